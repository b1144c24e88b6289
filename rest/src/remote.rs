//! Serving beyond this machine, only when asked twice: `--allow-remote` and TLS (a certificate and its
//! key in PEM files; rustls with ring), so neither the token nor the vault's data ever crosses a network
//! in clear. And CORS, off unless origins are named: a web page may call the API only from an origin
//! the user listed (it still needs the token).

use std::net::SocketAddr;
use std::path::PathBuf;

use axum::http::{header, HeaderValue, Method};
use axum::Router;
use credence_core::Error;
use credence_tls::TlsAcceptor;
use tower_http::cors::CorsLayer;

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
    credence_tls::acceptor(&files.certificate, &files.key).map_err(Error::Invalid)
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
