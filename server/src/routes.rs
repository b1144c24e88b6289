//! The server's HTTP surface: `/healthz`, `/readyz` and `/api/v1` (the protocol's shapes, one per
//! request and answer, in the `credence-protocol` crate). Every `/api/v1` route but register and login
//! needs a session; a vault the session's account is not a member of answers 404, exactly as one that
//! does not exist.

use std::net::SocketAddr;

use axum::extract::{ConnectInfo, DefaultBodyLimit, FromRequestParts, Path, State};
use axum::http::{header, request::Parts, StatusCode};
use axum::middleware;
use axum::routing::{delete, get, post, put};
use axum::{Json, Router};
use credence_protocol::{
    AuditLog, Credentials, Devices, ErrorCode, Grants, Identity, MemberGrant, Members, NewMember, NewSnapshot,
    NewVault, PasswordChange, PasswordConfirmation, Profile, PublicKey, RecordPage, Role, Rotation, Sealed, Session,
    Snapshot, SnapshotPart, Snapshots, TotpCode, TotpEnrollment, Upload, UploadReceipt, VaultKeys, VaultSummary,
    MAX_PAGE,
};
use serde::Deserialize;

use crate::accounts;
use crate::problem::{Body, Failure, Params};
use crate::store::{time_of, SessionOwner, Store, StoredKeys, User};
use crate::App;

type Answer<T> = Result<T, Failure>;

pub fn all<S: Store>(app: App<S>) -> Router {
    let body_limit = app.config.body_limit;
    Router::new()
        .route("/healthz", get(|| async { "ok" }))
        .route("/readyz", get(ready::<S>))
        .route("/api/v1/users/register", post(register::<S>))
        .route("/api/v1/users/login", post(login::<S>))
        .route("/api/v1/users/logout", post(logout::<S>))
        .route("/api/v1/users/profile", get(profile::<S>).delete(delete_account::<S>))
        .route("/api/v1/users/password", post(change_password::<S>))
        .route("/api/v1/users/totp", post(enrol_totp::<S>).delete(remove_totp::<S>))
        .route("/api/v1/users/totp/confirm", post(confirm_totp::<S>))
        .route("/api/v1/users/audit", get(audit_log::<S>))
        .route("/api/v1/users/identity", put(set_identity::<S>).get(identity::<S>))
        .route("/api/v1/users/{user}/key", get(public_key::<S>))
        .route("/api/v1/vaults", post(create_vault::<S>))
        .route("/api/v1/vaults/{vault}/keys", get(vault_keys::<S>))
        .route("/api/v1/vaults/{vault}/records", post(upload::<S>).get(download::<S>))
        .route("/api/v1/vaults/{vault}/snapshots", post(begin_snapshot::<S>).get(snapshots::<S>))
        .route(
            "/api/v1/vaults/{vault}/snapshots/{id}/parts/{part}",
            put(put_snapshot_part::<S>).get(snapshot_part::<S>),
        )
        .route("/api/v1/vaults/{vault}/snapshots/{id}/complete", post(complete_snapshot::<S>))
        .route("/api/v1/vaults/{vault}/members", get(members::<S>))
        .route("/api/v1/vaults/{vault}/members/{user}", put(put_member::<S>))
        .route("/api/v1/vaults/{vault}/rotations", post(rotate::<S>))
        .route("/api/v1/vaults/{vault}/grants", get(grants::<S>))
        .route("/api/v1/vaults/{vault}/devices", get(devices::<S>))
        .route("/api/v1/vaults/{vault}/devices/{device}", delete(revoke_device::<S>))
        .fallback(|| async { Failure::new(ErrorCode::NotFound, "There is no such endpoint.") })
        .layer(middleware::from_fn_with_state(app.clone(), crate::metrics::record::<S>))
        .layer(DefaultBodyLimit::max(body_limit))
        .with_state(app)
}

async fn ready<S: Store>(State(app): State<App<S>>) -> Answer<&'static str> {
    app.store.ready().await?;
    Ok("ready")
}

/// The session a request carries (`Authorization: Bearer <token>`).
pub struct Signed {
    owner: SessionOwner,
    token_hash: [u8; 32],
}

impl<S: Store> FromRequestParts<App<S>> for Signed {
    type Rejection = Failure;

    async fn from_request_parts(parts: &mut Parts, app: &App<S>) -> Answer<Signed> {
        let token = parts
            .headers
            .get(header::AUTHORIZATION)
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.strip_prefix("Bearer ").or_else(|| v.strip_prefix("bearer ")))
            .ok_or_else(|| {
                Failure::new(ErrorCode::Unauthorized, "Log in first: send `Authorization: Bearer <token>`.")
            })?;
        let token_hash = accounts::token_hash(token.trim());
        match app.store.session(&token_hash, app.now()).await? {
            Some(owner) => Ok(Signed { owner, token_hash }),
            None => Err(Failure::new(ErrorCode::Unauthorized, "That session has ended or never was; log in again.")),
        }
    }
}

/// The client's address, as the audit log and the rate limits know it: the connection's, or behind a
/// trusted proxy the one it appended last to `X-Forwarded-For` (earlier entries are the client's word).
#[derive(Debug, Clone)]
pub struct Client(String);

impl<S: Store> FromRequestParts<App<S>> for Client {
    type Rejection = Failure;

    async fn from_request_parts(parts: &mut Parts, app: &App<S>) -> Answer<Client> {
        let ConnectInfo(peer) = ConnectInfo::<SocketAddr>::from_request_parts(parts, app)
            .await
            .map_err(|_| Failure::new(ErrorCode::Internal, "The server cannot tell where the request came from."))?;
        let forwarded = || {
            let header = parts.headers.get_all("x-forwarded-for").iter().filter_map(|v| v.to_str().ok()).next_back()?;
            header.rsplit(',').next().map(str::trim).and_then(|a| a.parse::<std::net::IpAddr>().ok())
        };
        let address = match app.config.trusted_proxies.contains(&peer.ip()) {
            true => forwarded().unwrap_or(peer.ip()),
            false => peer.ip(),
        };
        Ok(Client(address.to_string()))
    }
}

async fn blocking<T: Send + 'static>(job: impl FnOnce() -> T + Send + 'static) -> Answer<T> {
    tokio::task::spawn_blocking(job)
        .await
        .map_err(|_| Failure::new(ErrorCode::Internal, "The server failed; try again."))
}

async fn new_session<S: Store>(app: &App<S>, user_id: i64, name: &str) -> Answer<Session> {
    let (token, hash) = accounts::new_token();
    let now = app.now();
    let expires = now + app.config.session_ms;
    app.store.create_session(&hash, user_id, now, expires).await?;
    Ok(Session { token, user: name.to_string(), expires_at: time_of(expires) })
}

async fn register<S: Store>(
    State(app): State<App<S>>,
    peer: Client,
    Body(credentials): Body<Credentials>,
) -> Answer<(StatusCode, Json<Session>)> {
    let name = accounts::normalize_user_name(&credentials.user);
    if let Some(problem) =
        accounts::user_name_problem(&name).or_else(|| accounts::password_problem(&credentials.password))
    {
        return Err(Failure::invalid(problem));
    }
    let password = credentials.password;
    let hash = blocking(move || accounts::hash_password(&password))
        .await?
        .map_err(|e| Failure::new(ErrorCode::Internal, e))?;
    let now = app.now();
    let id = app.store.create_user(&name, &hash, now).await?;
    app.store.audit(id, "registered", &peer.0, "", now).await?;
    Ok((StatusCode::CREATED, Json(new_session(&app, id, &name).await?)))
}

/// The rate-limit keys of a login attempt: the account and the address it comes from.
fn limit_keys(name: &str, peer: &Client) -> [String; 2] {
    [format!("user:{name}"), format!("address:{}", peer.0)]
}

/// Refuses with 429 and `Retry-After` when either key has used up its failed attempts.
async fn check_login_limit<S: Store>(app: &App<S>, keys: &[String; 2]) -> Answer<()> {
    let now = app.now();
    let window = app.config.login_window_ms;
    for key in keys {
        // A failure stops counting `window` after it happened, as Retry-After promises.
        let (failures, oldest) = app.store.login_failures(key, now - window + 1).await?;
        if failures >= app.config.login_attempts {
            let wait_ms = oldest.unwrap_or(now) + window - now;
            let seconds = u64::try_from(wait_ms.max(1000)).unwrap_or(1000).div_ceil(1000);
            return Err(Failure {
                retry_after: Some(seconds),
                ..Failure::new(
                    ErrorCode::RateLimited,
                    format!("Too many failed logins; try again in {} minutes.", seconds.div_ceil(60)),
                )
            });
        }
    }
    Ok(())
}

async fn note_login_failure<S: Store>(
    app: &App<S>,
    keys: &[String; 2],
    user: Option<&User>,
    peer: &Client,
) -> Answer<()> {
    let now = app.now();
    for key in keys {
        app.store.add_login_failure(key, now, now - app.config.login_window_ms).await?;
    }
    if let Some(user) = user {
        app.store.audit(user.id, "login_failed", &peer.0, "", now).await?;
    }
    app.metrics.failed_login();
    Ok(())
}

/// Whether `password` is the account's (an unknown account costs the same time and answers the same).
async fn password_matches(user: Option<&User>, password: String) -> Answer<bool> {
    let hash = user.map(|u| u.password_hash.clone());
    blocking(move || accounts::verify_password(hash.as_deref(), &password)).await
}

const WRONG_CREDENTIALS: &str = "That user name and password do not match an account.";

async fn login<S: Store>(
    State(app): State<App<S>>,
    peer: Client,
    Body(credentials): Body<Credentials>,
) -> Answer<Json<Session>> {
    let name = accounts::normalize_user_name(&credentials.user);
    let keys = limit_keys(&name, &peer);
    check_login_limit(&app, &keys).await?;
    let user = app.store.user_by_name(&name).await?;
    let matched = password_matches(user.as_ref(), credentials.password).await?;
    let user = match user {
        Some(user) if matched => user,
        other => {
            note_login_failure(&app, &keys, other.as_ref(), &peer).await?;
            return Err(Failure::new(ErrorCode::Unauthorized, WRONG_CREDENTIALS));
        }
    };
    if let Some(secret) = &user.totp_secret {
        let Some(code) = credentials.otp.as_deref() else {
            return Err(Failure::new(
                ErrorCode::OtpRequired,
                "This account asks for a code from its authenticator app (or one of its recovery codes).",
            ));
        };
        if let Err(failure) = second_factor(&app, &user, secret, code, &peer).await {
            note_login_failure(&app, &keys, Some(&user), &peer).await?;
            return Err(failure);
        }
    }
    app.store.audit(user.id, "login", &peer.0, "", app.now()).await?;
    Ok(Json(new_session(&app, user.id, &user.name).await?))
}

/// Accepts a current TOTP code not used before, or an unspent recovery code.
async fn second_factor<S: Store>(app: &App<S>, user: &User, secret: &[u8], code: &str, peer: &Client) -> Answer<()> {
    let digits = code.trim().len() == 6 && code.trim().bytes().all(|b| b.is_ascii_digit());
    if digits {
        let step = accounts::totp_step_of(secret, code, app.now()).ok_or_else(|| {
            Failure::new(ErrorCode::Unauthorized, "That code is not the authenticator's current one.")
        })?;
        if !app.store.use_totp_step(user.id, step).await? {
            return Err(Failure::new(ErrorCode::Unauthorized, "That code was already used; wait for the next one."));
        }
        return Ok(());
    }
    if app.store.use_recovery_code(user.id, &accounts::recovery_code_hash(code)).await? {
        app.store.audit(user.id, "recovery_code_used", &peer.0, "", app.now()).await?;
        return Ok(());
    }
    Err(Failure::new(
        ErrorCode::Unauthorized,
        "That is neither the authenticator's current code nor an unused recovery code.",
    ))
}

async fn logout<S: Store>(State(app): State<App<S>>, peer: Client, signed: Signed) -> Answer<StatusCode> {
    app.store.end_session(&signed.token_hash).await?;
    app.store.audit(signed.owner.user_id, "logout", &peer.0, "", app.now()).await?;
    Ok(StatusCode::NO_CONTENT)
}

async fn signed_user<S: Store>(app: &App<S>, signed: &Signed) -> Answer<User> {
    app.store.user(signed.owner.user_id).await?.ok_or_else(Failure::not_found)
}

async fn profile<S: Store>(State(app): State<App<S>>, signed: Signed) -> Answer<Json<Profile>> {
    let user = signed_user(&app, &signed).await?;
    let vaults = app.store.vaults_of(user.id).await?;
    Ok(Json(Profile {
        user: user.name,
        created_at: time_of(user.created_at),
        totp: user.totp_secret.is_some(),
        vaults,
    }))
}

/// Confirms a sensitive request with the account's password (counted against the login limit).
async fn confirm_password<S: Store>(app: &App<S>, user: &User, password: String, peer: &Client) -> Answer<()> {
    let keys = limit_keys(&user.name, peer);
    check_login_limit(app, &keys).await?;
    if !password_matches(Some(user), password).await? {
        note_login_failure(app, &keys, Some(user), peer).await?;
        // 403, not 401: the session is good, so "log in again" would be the wrong advice.
        return Err(Failure::new(ErrorCode::Forbidden, "That is not this account's password; nothing was changed."));
    }
    Ok(())
}

async fn delete_account<S: Store>(
    State(app): State<App<S>>,
    peer: Client,
    signed: Signed,
    Body(confirmation): Body<PasswordConfirmation>,
) -> Answer<StatusCode> {
    let user = signed_user(&app, &signed).await?;
    confirm_password(&app, &user, confirmation.password, &peer).await?;
    app.store.delete_user(user.id).await?;
    tracing::info!(user = %user.name, "account deleted");
    Ok(StatusCode::NO_CONTENT)
}

async fn change_password<S: Store>(
    State(app): State<App<S>>,
    peer: Client,
    signed: Signed,
    Body(change): Body<PasswordChange>,
) -> Answer<Json<Session>> {
    let user = signed_user(&app, &signed).await?;
    if let Some(problem) = accounts::password_problem(&change.new_password) {
        return Err(Failure::invalid(problem));
    }
    let has_key_pair = app.store.identity(user.id).await?.is_some();
    if let Some(problem) = resealing_problem(has_key_pair, change.sealed_private.as_ref()) {
        return Err(Failure::invalid(problem));
    }
    confirm_password(&app, &user, change.password, &peer).await?;
    let new_password = change.new_password;
    let hash = blocking(move || accounts::hash_password(&new_password))
        .await?
        .map_err(|e| Failure::new(ErrorCode::Internal, e))?;
    let sealed_private = change.sealed_private.map(|sealed| sealed.0);
    app.store.set_password(user.id, &hash, sealed_private.as_deref()).await?;
    app.store.audit(user.id, "password_changed", &peer.0, "", app.now()).await?;
    Ok(Json(new_session(&app, user.id, &user.name).await?))
}

/// Why a password change's re-sealed private key is not acceptable, as a sentence; `None` when it is.
/// An account with a key pair must send it sealed under the new password, or the pair would stay
/// sealed under the old one, which no device could then open.
fn resealing_problem(has_key_pair: bool, sealed_private: Option<&Sealed>) -> Option<String> {
    match (has_key_pair, sealed_private) {
        (true, None) => Some(
            "In the request body, `sealed_private` is missing: this account's key pair must be sealed under the \
             new password in the same change (a Credence device does this)."
                .into(),
        ),
        (false, Some(_)) => Some("In the request body, `sealed_private`: this account has no key pair to seal.".into()),
        (true, Some(sealed)) if sealed.0.is_empty() || sealed.0.len() > MAX_KEY_SEAL => {
            Some(format!("In the request body, `sealed_private`: 1 to {MAX_KEY_SEAL} bytes."))
        }
        _ => None,
    }
}

async fn enrol_totp<S: Store>(State(app): State<App<S>>, signed: Signed) -> Answer<Json<TotpEnrollment>> {
    let user = signed_user(&app, &signed).await?;
    if user.totp_secret.is_some() {
        return Err(Failure::new(ErrorCode::Conflict, "This account already has a second factor; remove it first."));
    }
    let secret = accounts::new_totp_secret();
    let (recovery_codes, hashes) = accounts::new_recovery_codes();
    app.store.enrol_totp(user.id, &secret, &hashes).await?;
    Ok(Json(TotpEnrollment {
        secret: accounts::totp_secret_text(&secret),
        uri: accounts::totp_uri(&secret, &user.name),
        recovery_codes,
    }))
}

async fn confirm_totp<S: Store>(
    State(app): State<App<S>>,
    peer: Client,
    signed: Signed,
    Body(code): Body<TotpCode>,
) -> Answer<StatusCode> {
    let user = signed_user(&app, &signed).await?;
    let pending = user.totp_pending.as_deref().ok_or_else(|| {
        Failure::new(ErrorCode::Conflict, "There is no second factor waiting to be confirmed; enrol one first.")
    })?;
    let step = accounts::totp_step_of(pending, &code.code, app.now()).ok_or_else(|| {
        Failure::invalid("That code is not the authenticator's current one; check the phone's clock.")
    })?;
    app.store.confirm_totp(user.id).await?;
    // The code that confirmed cannot log in too.
    app.store.use_totp_step(user.id, step).await?;
    app.store.audit(user.id, "totp_enabled", &peer.0, "", app.now()).await?;
    Ok(StatusCode::NO_CONTENT)
}

async fn remove_totp<S: Store>(
    State(app): State<App<S>>,
    peer: Client,
    signed: Signed,
    Body(code): Body<TotpCode>,
) -> Answer<StatusCode> {
    let user = signed_user(&app, &signed).await?;
    let secret = user
        .totp_secret
        .clone()
        .ok_or_else(|| Failure::new(ErrorCode::Conflict, "This account has no second factor."))?;
    second_factor(&app, &user, &secret, &code.code, &peer).await?;
    app.store.remove_totp(user.id).await?;
    app.store.audit(user.id, "totp_disabled", &peer.0, "", app.now()).await?;
    Ok(StatusCode::NO_CONTENT)
}

async fn audit_log<S: Store>(State(app): State<App<S>>, signed: Signed) -> Answer<Json<AuditLog>> {
    Ok(Json(AuditLog { events: app.store.audit_log(signed.owner.user_id, 200).await? }))
}

/// The largest key check and key file a vault may have (a few hundred bytes each in practice).
const MAX_KEY_BYTES: usize = 16 * 1024;

fn check_vault_id(vault: &str) -> Answer<()> {
    let hex = vault.replace('-', "");
    if vault.len() == 36 && hex.len() == 32 && hex.bytes().all(|b| b.is_ascii_hexdigit()) {
        Ok(())
    } else {
        Err(Failure::invalid("A vault id is a UUID (8-4-4-4-12 hexadecimal digits)."))
    }
}

async fn create_vault<S: Store>(
    State(app): State<App<S>>,
    peer: Client,
    signed: Signed,
    Body(new): Body<NewVault>,
) -> Answer<(StatusCode, Json<VaultSummary>)> {
    check_vault_id(&new.vault)?;
    for (name, bytes) in [("check", &new.check.0), ("key_file", &new.key_file.0)] {
        if bytes.is_empty() || bytes.len() > MAX_KEY_BYTES {
            return Err(Failure::invalid(format!("In the request body, `{name}`: 1 to {MAX_KEY_BYTES} bytes.")));
        }
    }
    let vault = new.vault.to_ascii_lowercase();
    let now = app.now();
    let keys = StoredKeys { check: new.check.0, key_file: new.key_file.0, epoch: 0 };
    app.store.create_vault(&vault, signed.owner.user_id, &keys, now).await?;
    app.store.audit(signed.owner.user_id, "vault_created", &peer.0, &vault, now).await?;
    Ok((StatusCode::CREATED, Json(VaultSummary { vault, role: Role::Owner, created_at: time_of(now) })))
}

/// The session's role in `vault`; 404 when it has none.
async fn role_in<S: Store>(app: &App<S>, signed: &Signed, vault: &str) -> Answer<Role> {
    app.store.role(&vault.to_ascii_lowercase(), signed.owner.user_id).await?.ok_or_else(Failure::not_found)
}

async fn vault_keys<S: Store>(
    State(app): State<App<S>>,
    signed: Signed,
    Path(vault): Path<String>,
) -> Answer<Json<VaultKeys>> {
    let role = role_in(&app, &signed, &vault).await?;
    let keys = app.store.vault_keys(&vault.to_ascii_lowercase()).await?;
    Ok(Json(VaultKeys {
        check: Sealed(keys.check),
        key_file: Sealed(keys.key_file),
        role: Some(role),
        epoch: keys.epoch,
    }))
}

/// The most records one upload carries.
pub const MAX_UPLOAD_RECORDS: usize = 1000;

/// Whether `id` is a device's or a snapshot's id: 1 to 64 letters, digits, - and _.
fn is_plain_id(id: &str) -> bool {
    (1..=64).contains(&id.len()) && id.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
}

fn check_upload(upload: &Upload) -> Answer<()> {
    if upload.records.len() > MAX_UPLOAD_RECORDS {
        return Err(Failure::invalid(format!(
            "An upload carries at most {MAX_UPLOAD_RECORDS} records; send the rest next."
        )));
    }
    for (i, record) in upload.records.iter().enumerate() {
        if !is_plain_id(&record.device) {
            return Err(Failure::invalid(format!(
                "In the request body, `records[{i}].device`: a device id is 1 to 64 letters, digits, - and _."
            )));
        }
        if record.seq == 0 || i64::try_from(record.seq).is_err() {
            return Err(Failure::invalid(format!(
                "In the request body, `records[{i}].seq`: counts from 1, below 2^63."
            )));
        }
        if record.data.0.is_empty() {
            return Err(Failure::invalid(format!(
                "In the request body, `records[{i}].data`: a record is never empty."
            )));
        }
    }
    Ok(())
}

async fn upload<S: Store>(
    State(app): State<App<S>>,
    signed: Signed,
    Path(vault): Path<String>,
    Body(upload): Body<Upload>,
) -> Answer<Json<UploadReceipt>> {
    writer_in(&app, &signed, &vault).await?;
    check_upload(&upload)?;
    let receipt =
        app.store.put_records(&vault.to_ascii_lowercase(), signed.owner.user_id, &upload.records, app.now()).await?;
    app.metrics.stored(receipt.stored);
    Ok(Json(receipt))
}

/// About the most bytes of records one page answers (at least one record, whatever its size): a page
/// stays far below what a client reads at once, and what the server holds in memory for it.
const PAGE_BYTES: u64 = 8 * 1024 * 1024;

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct PageQuery {
    #[serde(default)]
    after: u64,
    #[serde(default)]
    limit: Option<u64>,
}

async fn download<S: Store>(
    State(app): State<App<S>>,
    signed: Signed,
    Path(vault): Path<String>,
    Params(query): Params<PageQuery>,
) -> Answer<Json<RecordPage>> {
    role_in(&app, &signed, &vault).await?;
    let limit = query.limit.unwrap_or(MAX_PAGE).clamp(1, MAX_PAGE);
    let (records, more) = app.store.records_after(&vault.to_ascii_lowercase(), query.after, limit, PAGE_BYTES).await?;
    let next = records.last().map_or(query.after, |r| r.cursor);
    Ok(Json(RecordPage { records, next, more }))
}

/// The most bytes of a sealed identity or grant (a 32-byte key and its sealing, with room to spare).
const MAX_KEY_SEAL: usize = 1024;

async fn set_identity<S: Store>(
    State(app): State<App<S>>,
    peer: Client,
    signed: Signed,
    Body(identity): Body<Identity>,
) -> Answer<StatusCode> {
    if identity.public.0.len() != 32 {
        return Err(Failure::invalid("In the request body, `public`: an X25519 public key is 32 bytes."));
    }
    if identity.sealed_private.0.is_empty() || identity.sealed_private.0.len() > MAX_KEY_SEAL {
        return Err(Failure::invalid(format!("In the request body, `sealed_private`: 1 to {MAX_KEY_SEAL} bytes.")));
    }
    app.store.set_identity(signed.owner.user_id, &identity).await?;
    app.store.audit(signed.owner.user_id, "identity_set", &peer.0, "", app.now()).await?;
    Ok(StatusCode::NO_CONTENT)
}

async fn identity<S: Store>(State(app): State<App<S>>, signed: Signed) -> Answer<Json<Identity>> {
    app.store.identity(signed.owner.user_id).await?.map(Json).ok_or_else(Failure::not_found)
}

async fn public_key<S: Store>(
    State(app): State<App<S>>,
    _signed: Signed,
    Path(user): Path<String>,
) -> Answer<Json<PublicKey>> {
    let name = accounts::normalize_user_name(&user);
    app.store.public_key(&name).await?.map(Json).ok_or_else(|| {
        Failure::new(
            ErrorCode::NotFound,
            format!("There is no account {name} with a key for sharing (it gets one when it next signs in)."),
        )
    })
}

async fn members<S: Store>(
    State(app): State<App<S>>,
    signed: Signed,
    Path(vault): Path<String>,
) -> Answer<Json<Members>> {
    role_in(&app, &signed, &vault).await?;
    Ok(Json(Members { members: app.store.members(&vault.to_ascii_lowercase()).await? }))
}

/// 403 unless `signed` owns `vault` (404 when it cannot see it at all).
async fn owner_of<S: Store>(app: &App<S>, signed: &Signed, vault: &str, what: &str) -> Answer<()> {
    match role_in(app, signed, vault).await? {
        Role::Owner => Ok(()),
        _ => Err(Failure::new(ErrorCode::Forbidden, format!("Only the vault's owner {what}."))),
    }
}

/// Each sealed key of a request: present, and no larger than a sealed key is.
fn check_sealed_keys<'a>(field: &str, sealed: impl IntoIterator<Item = &'a Sealed>) -> Answer<()> {
    match sealed.into_iter().all(|s| !s.0.is_empty() && s.0.len() <= MAX_KEY_SEAL) {
        true => Ok(()),
        false => Err(Failure::invalid(format!("In the request body, `{field}`: each 1 to {MAX_KEY_SEAL} bytes."))),
    }
}

async fn put_member<S: Store>(
    State(app): State<App<S>>,
    peer: Client,
    signed: Signed,
    Path((vault, user)): Path<(String, String)>,
    Body(new): Body<NewMember>,
) -> Answer<StatusCode> {
    owner_of(&app, &signed, &vault, "shares it").await?;
    check_sealed_keys("grants", new.grants.iter().map(|g| &g.sealed))?;
    let (vault, user) = (vault.to_ascii_lowercase(), accounts::normalize_user_name(&user));
    let grants: Vec<(u32, Vec<u8>)> = new.grants.into_iter().map(|g| (g.epoch, g.sealed.0)).collect();
    let now = app.now();
    app.store.put_member(&vault, signed.owner.user_id, &user, new.role, &grants, now).await?;
    app.store.audit(signed.owner.user_id, "member_added", &peer.0, &format!("{vault}/{user}"), now).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// A member leaves and the vault key's next generation begins (the owner only).
async fn rotate<S: Store>(
    State(app): State<App<S>>,
    peer: Client,
    signed: Signed,
    Path(vault): Path<String>,
    Body(rotation): Body<Rotation>,
) -> Answer<StatusCode> {
    owner_of(&app, &signed, &vault, "removes members").await?;
    check_sealed_keys("grants", rotation.grants.iter().map(|g| &g.sealed))?;
    if rotation.check.0.is_empty() || rotation.check.0.len() > MAX_KEY_BYTES {
        return Err(Failure::invalid(format!("In the request body, `check`: 1 to {MAX_KEY_BYTES} bytes.")));
    }
    let (vault, user) = (vault.to_ascii_lowercase(), accounts::normalize_user_name(&rotation.remove));
    let grants: Vec<MemberGrant> = rotation
        .grants
        .into_iter()
        .map(|g| MemberGrant { user: accounts::normalize_user_name(&g.user), sealed: g.sealed })
        .collect();
    let now = app.now();
    app.store.rotate(&vault, signed.owner.user_id, &user, rotation.epoch, &rotation.check.0, &grants, now).await?;
    app.store.audit(signed.owner.user_id, "member_removed", &peer.0, &format!("{vault}/{user}"), now).await?;
    Ok(StatusCode::NO_CONTENT)
}

async fn grants<S: Store>(
    State(app): State<App<S>>,
    signed: Signed,
    Path(vault): Path<String>,
) -> Answer<Json<Grants>> {
    role_in(&app, &signed, &vault).await?;
    Ok(Json(Grants { grants: app.store.grants(&vault.to_ascii_lowercase(), signed.owner.user_id).await? }))
}

/// The role `signed` needs to write to `vault`: 403 for a reader.
async fn writer_in<S: Store>(app: &App<S>, signed: &Signed, vault: &str) -> Answer<()> {
    match role_in(app, signed, vault).await?.can_write() {
        true => Ok(()),
        false => Err(Failure::new(ErrorCode::Forbidden, "This account may read this vault but not write to it.")),
    }
}

/// The most parts one snapshot has (at about 8 MiB a part, far beyond any one person's vault).
const MAX_SNAPSHOT_PARTS: u32 = 10_000;

/// A part's number from the path; anything else names no part (404, as a part beyond the last).
fn part_number(text: &str) -> Answer<u32> {
    text.parse().map_err(|_| Failure::not_found())
}

async fn begin_snapshot<S: Store>(
    State(app): State<App<S>>,
    signed: Signed,
    Path(vault): Path<String>,
    Body(new): Body<NewSnapshot>,
) -> Answer<StatusCode> {
    writer_in(&app, &signed, &vault).await?;
    for (name, id) in [("id", &new.id), ("device", &new.device)] {
        if !is_plain_id(id) {
            return Err(Failure::invalid(format!("In the request body, `{name}`: 1 to 64 letters, digits, - and _.")));
        }
    }
    if !(1..=MAX_SNAPSHOT_PARTS).contains(&new.parts) || i64::try_from(new.cursor).is_err() {
        return Err(Failure::invalid(format!(
            "In the request body: `parts` is 1 to {MAX_SNAPSHOT_PARTS}, `cursor` below 2^63."
        )));
    }
    app.store.begin_snapshot(&vault.to_ascii_lowercase(), &new, app.now()).await?;
    Ok(StatusCode::CREATED)
}

async fn put_snapshot_part<S: Store>(
    State(app): State<App<S>>,
    signed: Signed,
    Path((vault, id, part)): Path<(String, String, String)>,
    Body(upload): Body<SnapshotPart>,
) -> Answer<StatusCode> {
    writer_in(&app, &signed, &vault).await?;
    let part = part_number(&part)?;
    if upload.data.0.is_empty() {
        return Err(Failure::invalid("In the request body, `data`: a part is never empty."));
    }
    app.store.put_snapshot_part(&vault.to_ascii_lowercase(), &id, part, &upload.data.0).await?;
    Ok(StatusCode::NO_CONTENT)
}

async fn complete_snapshot<S: Store>(
    State(app): State<App<S>>,
    signed: Signed,
    Path((vault, id)): Path<(String, String)>,
) -> Answer<Json<Snapshot>> {
    writer_in(&app, &signed, &vault).await?;
    let now = app.now();
    let keep_since = now - app.config.snapshot_retention_ms;
    Ok(Json(app.store.complete_snapshot(&vault.to_ascii_lowercase(), &id, now, keep_since).await?))
}

async fn snapshots<S: Store>(
    State(app): State<App<S>>,
    signed: Signed,
    Path(vault): Path<String>,
) -> Answer<Json<Snapshots>> {
    role_in(&app, &signed, &vault).await?;
    Ok(Json(Snapshots { snapshots: app.store.snapshots(&vault.to_ascii_lowercase()).await? }))
}

async fn snapshot_part<S: Store>(
    State(app): State<App<S>>,
    signed: Signed,
    Path((vault, id, part)): Path<(String, String, String)>,
) -> Answer<Json<SnapshotPart>> {
    role_in(&app, &signed, &vault).await?;
    let part = part_number(&part)?;
    Ok(Json(SnapshotPart { data: Sealed(app.store.snapshot_part(&vault.to_ascii_lowercase(), &id, part).await?) }))
}

async fn devices<S: Store>(
    State(app): State<App<S>>,
    signed: Signed,
    Path(vault): Path<String>,
) -> Answer<Json<Devices>> {
    role_in(&app, &signed, &vault).await?;
    Ok(Json(Devices { devices: app.store.devices(&vault.to_ascii_lowercase()).await? }))
}

async fn revoke_device<S: Store>(
    State(app): State<App<S>>,
    peer: Client,
    signed: Signed,
    Path((vault, device)): Path<(String, String)>,
) -> Answer<StatusCode> {
    owner_of(&app, &signed, &vault, "revokes devices").await?;
    let vault = vault.to_ascii_lowercase();
    app.store.revoke_device(&vault, &device).await?;
    app.store.audit(signed.owner.user_id, "device_revoked", &peer.0, &format!("{vault}/{device}"), app.now()).await?;
    Ok(StatusCode::NO_CONTENT)
}
