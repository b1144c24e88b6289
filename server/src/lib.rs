//! The Credence sync server (`credence-server`): accounts, sessions and a second factor; vaults and
//! their members; append-only series of records sealed on the devices, handed back in order of
//! arrival. It stores what it is sent and never holds a key that opens it (docs/sync.md). Storage is
//! one trait with two backends (`store/`); the HTTP surface is `routes.rs`; what an operator watches
//! is `metrics.rs` (docs/operations.md).

pub mod accounts;
mod metrics;
mod problem;
mod routes;
pub mod store;

use std::net::SocketAddr;
use std::sync::atomic::{AtomicI64, Ordering};
use std::sync::Arc;

use axum::Router;

pub use metrics::Metrics;
pub use store::postgres::PostgresStore;
pub use store::sqlite::SqliteStore;
pub use store::{Store, StoreError};

/// Where the server reads the time: the system clock, or (tests) a hand-set one.
#[derive(Debug, Clone, Default)]
pub enum Clock {
    #[default]
    System,
    /// Milliseconds since the Unix epoch, moved by whoever holds it.
    Manual(Arc<AtomicI64>),
}

impl Clock {
    pub fn now_ms(&self) -> i64 {
        match self {
            Clock::System => chrono::Utc::now().timestamp_millis(),
            Clock::Manual(ms) => ms.load(Ordering::SeqCst),
        }
    }
}

/// How the server behaves (each has a command-line option; docs/operations.md).
#[derive(Debug, Clone)]
pub struct Config {
    /// How long a session lasts from login.
    pub session_ms: i64,
    /// Failed logins allowed per account and per address within `login_window_ms`.
    pub login_attempts: u64,
    pub login_window_ms: i64,
    /// The largest request body read, in bytes.
    pub body_limit: usize,
    /// Reverse proxies whose `X-Forwarded-For` names the client (behind one, every request comes from
    /// the proxy's address, and rate limits per address would count everyone together).
    pub trusted_proxies: Vec<std::net::IpAddr>,
    /// How long a completed snapshot is kept (the newest is kept whatever its age); points in time
    /// before the oldest kept one are restored from the records alone.
    pub snapshot_retention_ms: i64,
    pub clock: Clock,
}

impl Default for Config {
    fn default() -> Self {
        Config {
            session_ms: 30 * 24 * 3600 * 1000,
            login_attempts: 5,
            login_window_ms: 15 * 60 * 1000,
            // One record of the largest size (16 MiB sealed) in base64, with room for the JSON around it.
            body_limit: 24 * 1024 * 1024,
            trusted_proxies: Vec::new(),
            snapshot_retention_ms: 30 * 24 * 3600 * 1000,
            clock: Clock::System,
        }
    }
}

/// What every handler shares.
#[derive(Debug)]
pub struct App<S> {
    store: Arc<S>,
    config: Arc<Config>,
    metrics: Arc<Metrics>,
}

impl<S> Clone for App<S> {
    fn clone(&self) -> Self {
        App { store: Arc::clone(&self.store), config: Arc::clone(&self.config), metrics: Arc::clone(&self.metrics) }
    }
}

impl<S: Store> App<S> {
    pub fn new(store: S, config: Config) -> App<S> {
        App { store: Arc::new(store), config: Arc::new(config), metrics: Arc::new(Metrics::default()) }
    }

    /// `/api/v1`, `/healthz` and `/readyz`.
    pub fn router(&self) -> Router {
        routes::all(self.clone())
    }

    /// Prometheus' `/metrics`, served on its own address (`--metrics-listen`), apart from the API.
    pub fn metrics_router(&self) -> Router {
        metrics::router(self.clone())
    }

    fn now(&self) -> i64 {
        self.config.clock.now_ms()
    }
}

/// Serves `router` on `listener` until `shutdown` completes; requests in flight (uploads among them)
/// finish first. Handlers see the client's address (rate limits, the audit log).
pub async fn serve<L>(
    listener: L,
    router: Router,
    shutdown: impl std::future::Future<Output = ()> + Send + 'static,
) -> std::io::Result<()>
where
    L: axum::serve::Listener<Addr = SocketAddr>,
{
    use axum::serve::ListenerExt;
    // Through `tap_io`, axum gives any listener's peer address (TCP's, or TLS's over TCP) to handlers.
    axum::serve(listener.tap_io(|_| {}), router.into_make_service_with_connect_info::<SocketAddr>())
        .with_graceful_shutdown(shutdown)
        .await
}

/// A server on a thread of its own on a free port of 127.0.0.1 (tests, benchmarks); stopped, its
/// requests in flight finished, when dropped.
pub struct Running {
    address: SocketAddr,
    scheme: &'static str,
    stop: Option<tokio::sync::oneshot::Sender<()>>,
    thread: Option<std::thread::JoinHandle<std::io::Result<()>>>,
}

impl std::fmt::Debug for Running {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Running").field("address", &self.address).finish_non_exhaustive()
    }
}

impl Running {
    /// Starts `make_router` (called on the server's own runtime, so a store may connect there).
    pub fn start<F, Fut>(make_router: F) -> std::io::Result<Running>
    where
        F: FnOnce() -> Fut + Send + 'static,
        Fut: std::future::Future<Output = std::io::Result<Router>>,
    {
        Self::start_with(make_router, None)
    }

    /// The same, speaking HTTPS with `tls` (`credence_tls::acceptor`).
    pub fn start_tls<F, Fut>(make_router: F, tls: credence_tls::TlsAcceptor) -> std::io::Result<Running>
    where
        F: FnOnce() -> Fut + Send + 'static,
        Fut: std::future::Future<Output = std::io::Result<Router>>,
    {
        Self::start_with(make_router, Some(tls))
    }

    fn start_with<F, Fut>(make_router: F, tls: Option<credence_tls::TlsAcceptor>) -> std::io::Result<Running>
    where
        F: FnOnce() -> Fut + Send + 'static,
        Fut: std::future::Future<Output = std::io::Result<Router>>,
    {
        let scheme = if tls.is_some() { "https" } else { "http" };
        let listener = std::net::TcpListener::bind("127.0.0.1:0")?;
        let address = listener.local_addr()?;
        listener.set_nonblocking(true)?;
        let runtime = tokio::runtime::Builder::new_multi_thread().worker_threads(2).enable_all().build()?;
        let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
        let (ready, started) = std::sync::mpsc::channel::<std::io::Result<()>>();
        let thread = std::thread::spawn(move || {
            runtime.block_on(async move {
                let router = match make_router().await {
                    Ok(router) => router,
                    Err(e) => {
                        let text = e.to_string();
                        let _ = ready.send(Err(e));
                        return Err(std::io::Error::other(text));
                    }
                };
                let _ = ready.send(Ok(()));
                let listener = tokio::net::TcpListener::from_std(listener)?;
                let stopped = async {
                    let _ = stopped.await;
                };
                match tls {
                    Some(tls) => serve(credence_tls::TlsListener::new(listener, tls)?, router, stopped).await,
                    None => serve(listener, router, stopped).await,
                }
            })
        });
        started.recv().map_err(|_| std::io::Error::other("the server thread ended before it started"))??;
        Ok(Running { address, scheme, stop: Some(stop), thread: Some(thread) })
    }

    /// `http://127.0.0.1:PORT` (`https://` with TLS).
    pub fn url(&self) -> String {
        format!("{}://{}", self.scheme, self.address)
    }

    pub fn address(&self) -> SocketAddr {
        self.address
    }
}

impl Drop for Running {
    fn drop(&mut self) {
        if let Some(stop) = self.stop.take() {
            let _ = stop.send(());
        }
        if let Some(thread) = self.thread.take() {
            let _ = thread.join();
        }
    }
}
