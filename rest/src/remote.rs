//! Serving beyond this machine, only when asked twice: `--allow-remote` and TLS (a certificate and its
//! key in PEM files; rustls with ring), so neither the token nor the vault's data ever crosses a network
//! in clear. And CORS, off unless origins are named: a web page may call the API only from an origin
//! the user listed (it still needs the token).

use std::io;
use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::Duration;

use axum::http::{header, HeaderValue, Method};
use axum::Router;
use credence_core::Error;
use tokio::net::{TcpListener, TcpStream};
use tokio_rustls::rustls::pki_types::pem::PemObject;
use tokio_rustls::rustls::pki_types::{CertificateDer, PrivateKeyDer};
use tokio_rustls::rustls::{self, ServerConfig};
use tokio_rustls::server::TlsStream;
use tokio_rustls::TlsAcceptor;
use tower_http::cors::CorsLayer;

/// How long a client may take over its TLS handshake before the connection is dropped.
const HANDSHAKE_TIMEOUT: Duration = Duration::from_secs(10);

/// Whether the API may listen on `address`: loopback always; another address only with
/// `allow_remote` and TLS.
pub fn check_listen_address(address: SocketAddr, allow_remote: bool, tls: bool) -> credence_core::Result<()> {
    match (address.ip().is_loopback(), allow_remote, tls) {
        (true, _, _) | (false, true, true) => Ok(()),
        (false, false, _) => Err(Error::Invalid(format!(
            "{address} is not a loopback address; the API listens only on this machine (127.0.0.1 or ::1) \
             unless --allow-remote is given, with --tls-cert and --tls-key"
        ))),
        (false, true, false) => Err(Error::Invalid(format!(
            "serving on {address} needs TLS: give --tls-cert and --tls-key (PEM files), so the token and \
             your data never cross the network in clear"
        ))),
    }
}

/// A certificate chain and its private key, PEM.
#[derive(Debug, Clone)]
pub struct TlsFiles {
    pub certificate: PathBuf,
    pub key: PathBuf,
}

/// The TLS side of the server, from `files`; a clear error when they do not read or do not match.
pub fn tls_acceptor(files: &TlsFiles) -> credence_core::Result<TlsAcceptor> {
    let unreadable = |path: &Path, what: &str, e: &dyn std::fmt::Display| {
        Error::Invalid(format!("{} is not a readable PEM {what}: {e}", path.display()))
    };
    let chain = CertificateDer::pem_file_iter(&files.certificate)
        .and_then(|certificates| certificates.collect::<Result<Vec<_>, _>>())
        .map_err(|e| unreadable(&files.certificate, "certificate", &e))?;
    if chain.is_empty() {
        return Err(Error::Invalid(format!("{} holds no certificate", files.certificate.display())));
    }
    let key = PrivateKeyDer::from_pem_file(&files.key).map_err(|e| unreadable(&files.key, "private key", &e))?;
    let provider = Arc::new(rustls::crypto::ring::default_provider());
    let mut config = ServerConfig::builder_with_provider(provider)
        .with_safe_default_protocol_versions()
        .and_then(|builder| builder.with_no_client_auth().with_single_cert(chain, key))
        .map_err(|e| Error::Invalid(format!("the certificate and key cannot serve TLS: {e}")))?;
    config.alpn_protocols = vec![b"http/1.1".to_vec()];
    Ok(TlsAcceptor::from(Arc::new(config)))
}

/// A listener handing the server connections whose TLS handshake is done. Handshakes run each on a
/// task of its own, so a client that stalls in one holds up nobody else.
pub struct TlsListener {
    ready: tokio::sync::mpsc::Receiver<(TlsStream<TcpStream>, SocketAddr)>,
    local: SocketAddr,
    accepting: tokio::task::JoinHandle<()>,
}

impl TlsListener {
    pub fn new(tcp: TcpListener, acceptor: TlsAcceptor) -> io::Result<TlsListener> {
        let local = tcp.local_addr()?;
        let (done, ready) = tokio::sync::mpsc::channel(64);
        let accepting = tokio::spawn(async move {
            loop {
                let Ok((stream, peer)) = tcp.accept().await else {
                    // Out of file descriptors and the like: wait a little instead of spinning.
                    tokio::time::sleep(Duration::from_millis(100)).await;
                    continue;
                };
                let (acceptor, done) = (acceptor.clone(), done.clone());
                tokio::spawn(async move {
                    if let Ok(Ok(tls)) = tokio::time::timeout(HANDSHAKE_TIMEOUT, acceptor.accept(stream)).await {
                        let _ = done.send((tls, peer)).await;
                    }
                });
            }
        });
        Ok(TlsListener { ready, local, accepting })
    }
}

impl std::fmt::Debug for TlsListener {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("TlsListener").field("local", &self.local).finish_non_exhaustive()
    }
}

impl Drop for TlsListener {
    fn drop(&mut self) {
        self.accepting.abort();
    }
}

impl axum::serve::Listener for TlsListener {
    type Io = TlsStream<TcpStream>;
    type Addr = SocketAddr;

    async fn accept(&mut self) -> (Self::Io, Self::Addr) {
        match self.ready.recv().await {
            Some(connection) => connection,
            // The accepting task ended (it does not, but if it did): no more connections.
            None => std::future::pending().await,
        }
    }

    fn local_addr(&self) -> io::Result<SocketAddr> {
        Ok(self.local)
    }
}

/// `router` answering cross-origin requests from `origins` only (`https://budget.example`); with none,
/// unchanged: browsers then refuse every cross-origin call.
pub fn allow_origins(router: Router, origins: &[String]) -> credence_core::Result<Router> {
    if origins.is_empty() {
        return Ok(router);
    }
    let origins = origins.iter().map(|o| origin(o)).collect::<credence_core::Result<Vec<_>>>()?;
    let cors = CorsLayer::new()
        .allow_origin(origins)
        .allow_methods([Method::GET, Method::POST, Method::PUT, Method::PATCH, Method::DELETE])
        .allow_headers([header::AUTHORIZATION, header::CONTENT_TYPE, header::IF_MATCH])
        .expose_headers([header::ETAG, header::LOCATION]);
    Ok(router.layer(cors))
}

/// An origin as a browser sends it: scheme, host and maybe a port; nothing else (no `*`, no path).
fn origin(text: &str) -> credence_core::Result<HeaderValue> {
    let bad = || {
        Error::Invalid(format!(
            "\"{text}\" is not an origin (write it as a browser sends it: https://host or https://host:port)"
        ))
    };
    let (scheme, rest) = text.split_once("://").ok_or_else(bad)?;
    let host_ok =
        !rest.is_empty() && rest.chars().all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | ':' | '[' | ']'));
    if !matches!(scheme, "http" | "https") || !host_ok {
        return Err(bad());
    }
    HeaderValue::from_str(text).map_err(|_| bad())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_loopback_unless_remote_is_allowed_and_tls_is_on() {
        let (local, any): (SocketAddr, SocketAddr) =
            ("127.0.0.1:7373".parse().expect("an address"), "0.0.0.0:7373".parse().expect("an address"));
        assert!(check_listen_address(local, false, false).is_ok());
        assert!(check_listen_address("[::1]:7373".parse().expect("an address"), false, false).is_ok());
        assert!(check_listen_address(any, false, true).is_err(), "TLS alone does not open it up");
        assert!(check_listen_address(any, true, false).is_err(), "nor --allow-remote without TLS");
        assert!(check_listen_address(any, true, true).is_ok());
    }

    #[test]
    fn an_origin_is_a_scheme_and_a_host_and_nothing_more() {
        for good in ["https://budget.example", "http://localhost:5173", "https://[::1]:8443"] {
            assert!(origin(good).is_ok(), "{good}");
        }
        for bad in ["*", "budget.example", "https://budget.example/app", "ftp://x", "https://", "https://a b"] {
            assert!(origin(bad).is_err(), "{bad}");
        }
    }
}
