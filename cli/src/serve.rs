//! `credence serve`: the local REST API (crate credence-rest) over the unlocked vault, on loopback
//! (elsewhere only with --allow-remote and TLS), until Ctrl-C or SIGTERM; requests in flight finish first.

use std::net::SocketAddr;
use std::path::PathBuf;

use anyhow::{Context, Result};
use credence_api::Serving;
use credence_rest::{TlsFiles, TlsListener, Token};

use crate::commands::Ctx;

#[derive(Debug, clap::Args)]
pub struct ServeArgs {
    /// Where to listen: a loopback address and port (port 0 picks a free one).
    #[arg(long, default_value = "127.0.0.1:7373", value_name = "ADDR")]
    pub listen: SocketAddr,
    /// Make a new API token first; the old one stops working.
    #[arg(long)]
    pub new_token: bool,
    /// Listen on an address other machines can reach (needs --tls-cert and --tls-key).
    #[arg(long)]
    pub allow_remote: bool,
    /// Serve HTTPS with this certificate chain (PEM).
    #[arg(long, value_name = "FILE.pem", requires = "tls_key")]
    pub tls_cert: Option<PathBuf>,
    /// The certificate's private key (PEM).
    #[arg(long, value_name = "FILE.pem", requires = "tls_cert")]
    pub tls_key: Option<PathBuf>,
    /// Let web pages from this origin call the API (`https://budget.example`; repeatable). None by default.
    #[arg(long = "cors-origin", value_name = "ORIGIN")]
    pub cors_origins: Vec<String>,
}

pub fn run(ctx: &Ctx, args: ServeArgs) -> Result<()> {
    let tls_files = args.tls_cert.zip(args.tls_key).map(|(certificate, key)| TlsFiles { certificate, key });
    credence_rest::check_listen_address(args.listen, args.allow_remote, tls_files.is_some())?;
    let tls = tls_files.as_ref().map(credence_rest::tls_acceptor).transpose()?;
    let vault = ctx.open()?;
    let token = if args.new_token { Token::renew(ctx.path())? } else { Token::for_vault(ctx.path())? };
    let router = credence_rest::allow_origins(credence_rest::router(vault, token), &args.cors_origins)?;
    let runtime = tokio::runtime::Builder::new_multi_thread().enable_all().build().context("starting the server")?;
    runtime.block_on(async move {
        let listener = tokio::net::TcpListener::bind(args.listen)
            .await
            .with_context(|| format!("cannot listen on {}", args.listen))?;
        let address = listener.local_addr()?;
        // Listened for before the address is printed: a stop sent the moment it is read is not lost
        // (until a handler is in place, SIGTERM's default ends the process uncleanly).
        let stop = stop_signal()?;
        let scheme = if tls.is_some() { "https" } else { "http" };
        let token_file = credence_rest::token_path(ctx.path());
        // The first line says where: scripts (and the tests) read the address from it.
        if ctx.global.json {
            let serving = Serving {
                listening: format!("{scheme}://{address}/api/v1"),
                token_file: token_file.display().to_string(),
            };
            println!("{}", serde_json::to_string(&serving)?);
        } else {
            println!("listening on {scheme}://{address}/api/v1");
            println!("token: in {} (send it as `Authorization: Bearer <token>`); Ctrl-C stops", token_file.display());
        }
        use std::io::Write;
        std::io::stdout().flush()?;
        match tls {
            Some(tls) => credence_rest::serve(TlsListener::new(listener, tls)?, router, stop).await?,
            None => credence_rest::serve(listener, router, stop).await?,
        }
        Ok(())
    })
}

/// Ctrl-C, or SIGTERM on Unix: the handlers are in place when this returns.
#[cfg(unix)]
fn stop_signal() -> Result<impl std::future::Future<Output = ()>> {
    use tokio::signal::unix::{signal, SignalKind};
    let mut terminate = signal(SignalKind::terminate()).context("listening for SIGTERM")?;
    let mut interrupt = signal(SignalKind::interrupt()).context("listening for Ctrl-C")?;
    Ok(async move {
        tokio::select! { _ = terminate.recv() => {}, _ = interrupt.recv() => {} }
    })
}

/// Ctrl-C.
#[cfg(not(unix))]
fn stop_signal() -> Result<impl std::future::Future<Output = ()>> {
    Ok(async {
        let _ = tokio::signal::ctrl_c().await;
    })
}
