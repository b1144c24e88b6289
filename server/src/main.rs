//! `credence-server`: the sync server's command line (docs/operations.md).

use std::net::SocketAddr;
use std::path::PathBuf;
use std::process::ExitCode;

use clap::Parser;
use credence_server::{App, Config, PostgresStore, SqliteStore, Store};

/// The Credence sync server: end-to-end-encrypted backup and multi-device sync. It stores only what
/// devices sealed; it never holds a key that opens it.
#[derive(Debug, Parser)]
#[command(name = "credence-server", version)]
struct Args {
    /// Where to listen for the API (HTTP; put a TLS-terminating proxy in front, docs/operations.md).
    #[arg(long, default_value = "127.0.0.1:8470")]
    listen: SocketAddr,
    /// The folder of the embedded SQLite store (used unless --database is given).
    #[arg(long, default_value = "credence-server-data")]
    data: PathBuf,
    /// A PostgreSQL database to use instead of the embedded store
    /// (postgres://user:password@host:port/database).
    #[arg(long, env = "CREDENCE_SERVER_DATABASE", hide_env_values = true)]
    database: Option<String>,
    /// Connections to PostgreSQL, at most.
    #[arg(long, default_value_t = 16)]
    connections: usize,
    /// Where to serve Prometheus' /metrics (off unless given; keep it off the public network).
    #[arg(long)]
    metrics_listen: Option<SocketAddr>,
    /// How many days a login lasts.
    #[arg(long, default_value_t = 30)]
    session_days: i64,
    /// How many days a snapshot of a vault is kept (the newest is always kept); a point in time older
    /// than the oldest kept snapshot is still restored, from the records alone.
    #[arg(long, default_value_t = 30)]
    snapshot_retention_days: i64,
    /// A reverse proxy in front of the server, whose X-Forwarded-For names the client (repeatable).
    /// Without it, rate limits and the audit log see the proxy's address for everyone.
    #[arg(long = "trusted-proxy", value_name = "IP")]
    trusted_proxies: Vec<std::net::IpAddr>,
    /// Serve HTTPS with this PEM certificate chain (with --tls-key); else plain HTTP, for loopback or
    /// behind a TLS-terminating proxy.
    #[arg(long, value_name = "FILE", requires = "tls_key")]
    tls_cert: Option<PathBuf>,
    /// The certificate's PEM private key.
    #[arg(long, value_name = "FILE", requires = "tls_cert")]
    tls_key: Option<PathBuf>,
    /// Log lines as JSON (for a log collector) instead of text.
    #[arg(long)]
    json_logs: bool,
}

fn main() -> ExitCode {
    let args = Args::parse();
    init_logs(args.json_logs);
    let runtime = match tokio::runtime::Builder::new_multi_thread().enable_all().build() {
        Ok(runtime) => runtime,
        Err(e) => {
            eprintln!("credence-server: cannot start: {e}");
            return ExitCode::FAILURE;
        }
    };
    match runtime.block_on(run(args)) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            tracing::error!(error = %e, "stopped");
            eprintln!("credence-server: {e}");
            ExitCode::FAILURE
        }
    }
}

fn init_logs(json: bool) {
    let filter = tracing_subscriber::EnvFilter::try_from_env("CREDENCE_LOG").unwrap_or_else(|_| "info".into());
    let builder = tracing_subscriber::fmt().with_env_filter(filter).with_writer(std::io::stderr);
    if json {
        builder.json().init();
    } else {
        builder.init();
    }
}

async fn run(args: Args) -> Result<(), String> {
    let config = Config {
        session_ms: args.session_days.max(1) * 24 * 3600 * 1000,
        trusted_proxies: args.trusted_proxies.clone(),
        snapshot_retention_ms: args.snapshot_retention_days.max(0) * 24 * 3600 * 1000,
        ..Config::default()
    };
    match args.database.as_deref() {
        Some(url) => {
            let store = PostgresStore::connect(url, args.connections).await.map_err(|e| e.to_string())?;
            tracing::info!("storage: PostgreSQL");
            serve(App::new(store, config), &args).await
        }
        None => {
            let data = args.data.clone();
            let store = tokio::task::spawn_blocking(move || SqliteStore::open(&data))
                .await
                .map_err(|e| e.to_string())?
                .map_err(|e| e.to_string())?;
            tracing::info!(data = %args.data.display(), "storage: embedded SQLite");
            serve(App::new(store, config), &args).await
        }
    }
}

async fn serve<S: Store>(app: App<S>, args: &Args) -> Result<(), String> {
    let listener = tokio::net::TcpListener::bind(args.listen)
        .await
        .map_err(|e| format!("cannot listen on {}: {e}", args.listen))?;
    let address = listener.local_addr().map_err(|e| e.to_string())?;
    let (stop, _) = tokio::sync::watch::channel(false);
    let stopped = |mut rx: tokio::sync::watch::Receiver<bool>| async move {
        let _ = rx.wait_for(|s| *s).await;
    };
    let metrics = match args.metrics_listen {
        Some(at) => {
            let listener =
                tokio::net::TcpListener::bind(at).await.map_err(|e| format!("cannot listen on {at}: {e}"))?;
            tracing::info!(address = %at, "metrics");
            Some(tokio::spawn(credence_server::serve(listener, app.metrics_router(), stopped(stop.subscribe()))))
        }
        None => None,
    };
    let (api, scheme) = match (&args.tls_cert, &args.tls_key) {
        (Some(cert), Some(key)) => {
            let tls = credence_tls::TlsListener::new(listener, credence_tls::acceptor(cert, key)?)
                .map_err(|e| e.to_string())?;
            (tokio::spawn(credence_server::serve(tls, app.router(), stopped(stop.subscribe()))), "https")
        }
        _ => (tokio::spawn(credence_server::serve(listener, app.router(), stopped(stop.subscribe()))), "http"),
    };
    // The address, once listening, on stdout: what scripts and tests wait for.
    println!("credence-server listening on {scheme}://{address}");
    tracing::info!(%address, "listening");
    shutdown_signal().await;
    tracing::info!("shutting down: finishing requests in flight");
    let _ = stop.send(true);
    let result = api.await.map_err(|e| e.to_string())?.map_err(|e| e.to_string());
    if let Some(metrics) = metrics {
        let _ = metrics.await;
    }
    result
}

/// Ctrl-C or SIGTERM (what service managers send).
async fn shutdown_signal() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let term = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut signal) => {
                signal.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let term = std::future::pending::<()>();
    tokio::select! {
        _ = ctrl_c => {},
        _ = term => {},
    }
}
