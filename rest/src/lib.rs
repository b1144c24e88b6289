//! The local REST API (`credence serve`): `/api/v1` over an unlocked vault, on loopback, for scripts
//! and tools on this machine (elsewhere only with `--allow-remote` and TLS, `remote.rs`). A door like
//! the CLI and the desktop app, and as thin: each handler reads its request with the contract's readers
//! (`credence_api::convert`), calls core on a blocking thread (one at a time: the vault is one SQLite
//! connection), and answers a contract shape. Every route but
//! the OpenAPI document needs the vault's bearer token (`token.rs`); errors are RFC 9457 problem
//! details with the codes the app receives (`problem.rs`); the document is generated from the same
//! types (`openapi.rs`) and kept in `docs/openapi.json`.

mod openapi;
mod problem;
mod remote;
mod routes;
mod token;

use std::net::SocketAddr;
use std::sync::{Arc, Mutex, PoisonError};

use axum::extract::{DefaultBodyLimit, Request, State};
use axum::http::header;
use axum::middleware::{self, Next};
use axum::response::Response;
use axum::Router;
use credence_api::ErrorCode;
use credence_core::Vault;

pub use credence_tls::TlsListener;
pub use openapi::document;
pub use problem::BODY_LIMIT;
pub use remote::{allow_origins, check_listen_address, tls_acceptor, TlsFiles};
pub use token::{token_path, Token};

use problem::Failure;

/// What every handler shares: the vault (one connection, so one request at a time uses it) and the
/// token requests must carry.
#[derive(Clone)]
struct Server {
    vault: Arc<Mutex<Vault>>,
    token: Arc<Token>,
}

impl Server {
    /// Runs `job` on the vault on a blocking thread; core's errors become problem details.
    async fn with_vault<T: Send + 'static>(
        &self,
        job: impl FnOnce(&mut Vault) -> Result<T, Failure> + Send + 'static,
    ) -> Result<T, Failure> {
        let vault = Arc::clone(&self.vault);
        tokio::task::spawn_blocking(move || {
            // A job that panicked left no write half-done (SQLite rolled it back), so the vault serves on.
            let mut vault = vault.lock().unwrap_or_else(PoisonError::into_inner);
            job(&mut vault)
        })
        .await
        .map_err(|_| Failure::new(ErrorCode::Internal, credence_api::GENERIC_ERROR))?
    }
}

/// The API's routes over `vault`, answering only requests that carry `token`.
pub fn router(vault: Vault, token: Token) -> Router {
    let server = Server { vault: Arc::new(Mutex::new(vault)), token: Arc::new(token) };
    routes::all()
        .layer(middleware::from_fn_with_state(server.clone(), authorize))
        .route("/api/v1/openapi.json", axum::routing::get(openapi::serve))
        .fallback(routes::not_found)
        .layer(DefaultBodyLimit::max(BODY_LIMIT))
        .with_state(server)
}

/// Lets through only requests with `Authorization: Bearer <the vault's token>`.
async fn authorize(State(server): State<Server>, request: Request, next: Next) -> Result<Response, Failure> {
    let presented = request
        .headers()
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.strip_prefix("Bearer ").or_else(|| v.strip_prefix("bearer ")));
    match presented {
        Some(token) if server.token.accepts(token) => Ok(next.run(request).await),
        Some(_) => Err(Failure::new(ErrorCode::Unauthorized, "That is not this vault's API token.")),
        None => Err(Failure::new(
            ErrorCode::Unauthorized,
            "Send the vault's API token as `Authorization: Bearer <token>` (credence serve prints where it is).",
        )),
    }
}

/// Serves `router` on `listener` (plain TCP, or `TlsListener`) until `shutdown` completes; requests in
/// flight finish first.
pub async fn serve<L>(
    listener: L,
    router: Router,
    shutdown: impl std::future::Future<Output = ()> + Send + 'static,
) -> std::io::Result<()>
where
    L: axum::serve::Listener,
    L::Addr: std::fmt::Debug,
{
    axum::serve(listener, router).with_graceful_shutdown(shutdown).await
}

/// The API served from a thread of its own on a free port of 127.0.0.1 (for tests, benchmarks and hosts
/// that are not async); stopped, its requests in flight finished, when dropped.
pub struct Background {
    address: SocketAddr,
    stop: Option<tokio::sync::oneshot::Sender<()>>,
    thread: Option<std::thread::JoinHandle<std::io::Result<()>>>,
}

impl std::fmt::Debug for Background {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Background").field("address", &self.address).finish_non_exhaustive()
    }
}

impl Background {
    pub fn start(router: Router) -> std::io::Result<Background> {
        Background::start_with(router, None)
    }

    /// Serving HTTPS with `tls`.
    pub fn start_tls(router: Router, tls: credence_tls::TlsAcceptor) -> std::io::Result<Background> {
        Background::start_with(router, Some(tls))
    }

    fn start_with(router: Router, tls: Option<credence_tls::TlsAcceptor>) -> std::io::Result<Background> {
        let listener = std::net::TcpListener::bind("127.0.0.1:0")?;
        let address = listener.local_addr()?;
        listener.set_nonblocking(true)?;
        let runtime = tokio::runtime::Builder::new_multi_thread().worker_threads(2).enable_all().build()?;
        let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
        let thread = std::thread::spawn(move || {
            runtime.block_on(async move {
                let listener = tokio::net::TcpListener::from_std(listener)?;
                let stopped = async {
                    let _ = stopped.await;
                };
                match tls {
                    Some(tls) => serve(TlsListener::new(listener, tls)?, router, stopped).await,
                    None => serve(listener, router, stopped).await,
                }
            })
        });
        Ok(Background { address, stop: Some(stop), thread: Some(thread) })
    }

    /// Where it listens.
    pub fn address(&self) -> SocketAddr {
        self.address
    }
}

impl Drop for Background {
    fn drop(&mut self) {
        if let Some(stop) = self.stop.take() {
            let _ = stop.send(());
        }
        if let Some(thread) = self.thread.take() {
            let _ = thread.join();
        }
    }
}
