//! The sync server as this device speaks to it: blocking HTTP (ureq, rustls for https) carrying the
//! protocol's shapes (`credence-protocol`). Every failure becomes one sentence: the server cannot be
//! reached, the account or session is not accepted, or what the server said.

use std::time::Duration;

use credence_protocol as protocol;
use serde::de::DeserializeOwned;
use serde::Serialize;

use crate::error::{Error, Result};

/// A connection to one sync server, with a session once logged in.
#[derive(Debug)]
pub(crate) struct Client {
    base: String,
    agent: ureq::Agent,
    token: Option<String>,
}

impl Client {
    /// A client of the server at `url` (`https://…`, or `http://…` on a trusted network or loopback).
    pub(crate) fn new(url: &str, token: Option<String>) -> Result<Client> {
        let base = url.trim().trim_end_matches('/').to_string();
        if !(base.starts_with("https://") || base.starts_with("http://")) {
            return Err(Error::invalid(format!(
                "{url:?} is not a server address; give one like https://sync.example.org"
            )));
        }
        let agent: ureq::Agent = ureq::Agent::config_builder()
            .http_status_as_error(false)
            .timeout_connect(Some(Duration::from_secs(15)))
            .timeout_global(Some(Duration::from_secs(300)))
            .tls_config(ureq::tls::TlsConfig::builder().root_certs(trusted_roots()?).build())
            .build()
            .into();
        Ok(Client { base, agent, token })
    }

    pub(crate) fn url(&self) -> &str {
        &self.base
    }

    pub(crate) fn set_token(&mut self, token: String) {
        self.token = Some(token);
    }

    fn send<B: Serialize, T: DeserializeOwned>(&self, method: &str, path: &str, body: Option<&B>) -> Result<T> {
        self.request(method, path, body, false)?.ok_or_else(|| refusal(404, b"", self.token.is_some()))
    }

    /// The same, with `None` for a 404 (something that may not exist yet).
    fn send_or_none<B: Serialize, T: DeserializeOwned>(
        &self,
        method: &str,
        path: &str,
        body: Option<&B>,
    ) -> Result<Option<T>> {
        self.request(method, path, body, true)
    }

    fn request<B: Serialize, T: DeserializeOwned>(
        &self,
        method: &str,
        path: &str,
        body: Option<&B>,
        none_when_absent: bool,
    ) -> Result<Option<T>> {
        let text = match body {
            Some(body) => serde_json::to_vec(body).map_err(|e| Error::Sync(format!("cannot encode a request: {e}")))?,
            None => Vec::new(),
        };
        let mut request = ureq::http::Request::builder().method(method).uri(format!("{}{path}", self.base));
        if let Some(token) = &self.token {
            request = request.header("Authorization", format!("Bearer {token}"));
        }
        if body.is_some() {
            request = request.header("Content-Type", "application/json");
        }
        let request = request.body(text).map_err(|e| Error::Sync(format!("cannot build a request: {e}")))?;
        let mut response = self.agent.run(request).map_err(|e| {
            Error::Sync(format!(
                "cannot reach the sync server at {}: {e}; check the address and the network",
                self.base
            ))
        })?;
        let status = response.status().as_u16();
        let bytes = response
            .body_mut()
            .with_config()
            .limit(64 * 1024 * 1024)
            .read_to_vec()
            .map_err(|e| Error::Sync(format!("the sync server's answer was cut off: {e}")))?;
        if (200..300).contains(&status) {
            let bytes = if bytes.is_empty() { b"null".to_vec() } else { bytes };
            return serde_json::from_slice(&bytes).map(Some).map_err(|e| {
                Error::Sync(format!("the sync server answered something this version does not read: {e}"))
            });
        }
        if status == 404 && none_when_absent {
            return Ok(None);
        }
        Err(refusal(status, &bytes, self.token.is_some()))
    }

    pub(crate) fn register(&self, user: &str, password: &str) -> Result<protocol::Session> {
        let body = protocol::Credentials { user: user.into(), password: password.into(), otp: None };
        self.send("POST", "/api/v1/users/register", Some(&body))
    }

    pub(crate) fn login(&self, user: &str, password: &str, otp: Option<&str>) -> Result<protocol::Session> {
        let body = protocol::Credentials { user: user.into(), password: password.into(), otp: otp.map(str::to_string) };
        self.send("POST", "/api/v1/users/login", Some(&body))
    }

    /// Changes the account's password (both login secrets), with the key pair sealed under the new one;
    /// answers the new session (every other ended).
    pub(crate) fn change_password(&self, change: &protocol::PasswordChange) -> Result<protocol::Session> {
        self.send("POST", "/api/v1/users/password", Some(change))
    }

    /// Deletes the account with every vault it owns (`password` is the login secret, as confirmation).
    pub(crate) fn delete_account(&self, password: &str) -> Result<()> {
        let body = protocol::PasswordConfirmation { password: password.into() };
        self.send::<_, serde::de::IgnoredAny>("DELETE", "/api/v1/users/profile", Some(&body)).map(|_| ())
    }

    pub(crate) fn profile(&self) -> Result<protocol::Profile> {
        self.send::<(), _>("GET", "/api/v1/users/profile", None)
    }

    pub(crate) fn create_vault(
        &self,
        vault: &str,
        check: Vec<u8>,
        key_file: Vec<u8>,
    ) -> Result<protocol::VaultSummary> {
        let body = protocol::NewVault {
            vault: vault.into(),
            check: protocol::Sealed(check),
            key_file: protocol::Sealed(key_file),
        };
        self.send("POST", "/api/v1/vaults", Some(&body))
    }

    pub(crate) fn vault_keys(&self, vault: &str) -> Result<protocol::VaultKeys> {
        self.send::<(), _>("GET", &format!("/api/v1/vaults/{vault}/keys"), None)
    }

    pub(crate) fn upload(&self, vault: &str, records: Vec<protocol::Record>) -> Result<protocol::UploadReceipt> {
        self.send("POST", &format!("/api/v1/vaults/{vault}/records"), Some(&protocol::Upload { records }))
    }

    pub(crate) fn download(&self, vault: &str, after: u64) -> Result<protocol::RecordPage> {
        self.send::<(), _>("GET", &format!("/api/v1/vaults/{vault}/records?after={after}"), None)
    }

    pub(crate) fn begin_snapshot(&self, vault: &str, snapshot: &protocol::NewSnapshot) -> Result<()> {
        self.send::<_, serde::de::IgnoredAny>("POST", &format!("/api/v1/vaults/{vault}/snapshots"), Some(snapshot))
            .map(|_| ())
    }

    pub(crate) fn put_snapshot_part(&self, vault: &str, id: &str, part: u32, data: Vec<u8>) -> Result<()> {
        let body = protocol::SnapshotPart { data: protocol::Sealed(data) };
        self.send::<_, serde::de::IgnoredAny>(
            "PUT",
            &format!("/api/v1/vaults/{vault}/snapshots/{id}/parts/{part}"),
            Some(&body),
        )
        .map(|_| ())
    }

    pub(crate) fn complete_snapshot(&self, vault: &str, id: &str) -> Result<protocol::Snapshot> {
        self.send::<(), _>("POST", &format!("/api/v1/vaults/{vault}/snapshots/{id}/complete"), None)
    }

    pub(crate) fn snapshots(&self, vault: &str) -> Result<protocol::Snapshots> {
        self.send::<(), _>("GET", &format!("/api/v1/vaults/{vault}/snapshots"), None)
    }

    pub(crate) fn snapshot_part(&self, vault: &str, id: &str, part: u32) -> Result<protocol::SnapshotPart> {
        self.send::<(), _>("GET", &format!("/api/v1/vaults/{vault}/snapshots/{id}/parts/{part}"), None)
    }

    /// The account's key pair as the server keeps it; `None` before it has one.
    pub(crate) fn identity(&self) -> Result<Option<protocol::Identity>> {
        self.send_or_none::<(), _>("GET", "/api/v1/users/identity", None)
    }

    pub(crate) fn set_identity(&self, identity: &protocol::Identity) -> Result<()> {
        self.send::<_, serde::de::IgnoredAny>("PUT", "/api/v1/users/identity", Some(identity)).map(|_| ())
    }

    /// Another account's public key; `None` when it has none (or there is no such account).
    pub(crate) fn public_key(&self, user: &str) -> Result<Option<protocol::PublicKey>> {
        self.send_or_none::<(), _>("GET", &format!("/api/v1/users/{user}/key"), None)
    }

    pub(crate) fn members(&self, vault: &str) -> Result<protocol::Members> {
        self.send::<(), _>("GET", &format!("/api/v1/vaults/{vault}/members"), None)
    }

    pub(crate) fn put_member(&self, vault: &str, user: &str, member: &protocol::NewMember) -> Result<()> {
        self.send::<_, serde::de::IgnoredAny>("PUT", &format!("/api/v1/vaults/{vault}/members/{user}"), Some(member))
            .map(|_| ())
    }

    pub(crate) fn rotate(&self, vault: &str, rotation: &protocol::Rotation) -> Result<()> {
        self.send::<_, serde::de::IgnoredAny>("POST", &format!("/api/v1/vaults/{vault}/rotations"), Some(rotation))
            .map(|_| ())
    }

    pub(crate) fn grants(&self, vault: &str) -> Result<protocol::Grants> {
        self.send::<(), _>("GET", &format!("/api/v1/vaults/{vault}/grants"), None)
    }

    pub(crate) fn devices(&self, vault: &str) -> Result<protocol::Devices> {
        self.send::<(), _>("GET", &format!("/api/v1/vaults/{vault}/devices"), None)
    }

    pub(crate) fn enrol_totp(&self) -> Result<protocol::TotpEnrollment> {
        self.send::<(), _>("POST", "/api/v1/users/totp", None)
    }

    pub(crate) fn confirm_totp(&self, code: &str) -> Result<()> {
        let body = protocol::TotpCode { code: code.into() };
        self.send::<_, serde::de::IgnoredAny>("POST", "/api/v1/users/totp/confirm", Some(&body)).map(|_| ())
    }

    pub(crate) fn remove_totp(&self, code: &str) -> Result<()> {
        let body = protocol::TotpCode { code: code.into() };
        self.send::<_, serde::de::IgnoredAny>("DELETE", "/api/v1/users/totp", Some(&body)).map(|_| ())
    }

    pub(crate) fn revoke(&self, vault: &str, device: &str) -> Result<()> {
        self.send::<(), serde::de::IgnoredAny>("DELETE", &format!("/api/v1/vaults/{vault}/devices/{device}"), None)
            .map(|_| ())
    }
}

/// Names a PEM file of the certificate authorities to trust instead of the public ones: a server with a
/// certificate of its own (a private CA, or self-signed).
pub const TRUSTED_CA_ENV: &str = "CREDENCE_SYNC_CA";

/// The public certificate authorities (webpki's list), or those in `$CREDENCE_SYNC_CA`.
fn trusted_roots() -> Result<ureq::tls::RootCerts> {
    let Some(path) = std::env::var_os(TRUSTED_CA_ENV) else { return Ok(ureq::tls::RootCerts::WebPki) };
    let pem = std::fs::read(&path).map_err(Error::io(std::path::Path::new(&path)))?;
    let certificates: Vec<ureq::tls::Certificate<'static>> = ureq::tls::parse_pem(&pem)
        .filter_map(|item| match item {
            Ok(ureq::tls::PemItem::Certificate(c)) => Some(c),
            _ => None,
        })
        .collect();
    if certificates.is_empty() {
        return Err(Error::invalid(format!(
            "{TRUSTED_CA_ENV} names {}, which holds no PEM certificate",
            std::path::Path::new(&path).display()
        )));
    }
    Ok(ureq::tls::RootCerts::new_with_certs(&certificates))
}

/// A non-success answer as a sentence: the server's own words when it sent problem details, with
/// how to go on where there is a way, said for both the command line and the app (the sidebar shows
/// these sentences too). `signed`: the request carried a session (so a 401 means it ended).
fn refusal(status: u16, body: &[u8], signed: bool) -> Error {
    let problem: Option<protocol::Problem> = serde_json::from_slice(body).ok();
    let detail = problem.as_ref().map_or_else(|| format!("the server answered HTTP {status}"), |p| p.detail.clone());
    match problem.map(|p| p.code) {
        Some(protocol::ErrorCode::Unauthorized) if signed => Error::Sync(format!(
            "{detail} (Sign in again: `credence sync login`, or Settings → Sync → Sign in again in the app.)"
        )),
        Some(protocol::ErrorCode::OtpRequired) => Error::Sync(format!(
            "{detail} Give the authenticator's code: --otp or $CREDENCE_SYNC_OTP, or the Code field in the app."
        )),
        Some(protocol::ErrorCode::DeviceMismatch) => Error::Sync(format!(
            "{detail} This vault file was probably copied from another device: set this copy up with \
             `credence sync join` instead."
        )),
        _ => Error::Sync(detail),
    }
}
