//! Where the server keeps accounts, sessions and sealed records: one trait, [`Store`], and its two
//! backends, embedded SQLite (`sqlite.rs`, the default: nothing to install) and PostgreSQL
//! (`postgres.rs`, for scale). Both pass the same conformance suite (server/tests/store.rs). The store
//! knows nothing of HTTP or of passwords in clear: `accounts.rs` hashes, `routes.rs` decides who may.

mod migrations;
pub mod postgres;
pub mod sqlite;

use std::future::Future;

use credence_protocol::{
    AuditEvent, Device, Grant, Identity, Member, MemberGrant, NewSnapshot, PublicKey, Record, Role, Snapshot,
    StoredRecord, UploadReceipt, VaultSummary,
};

pub use migrations::{postgres_migrations, sqlite_migrations, Migration};

/// Unix time in milliseconds, as the store keeps every time.
pub type Millis = i64;

/// An account as stored.
#[derive(Debug, Clone)]
pub struct User {
    pub id: i64,
    pub name: String,
    /// Argon2id, PHC string format.
    pub password_hash: String,
    /// The confirmed second factor's secret.
    pub totp_secret: Option<Vec<u8>>,
    /// A second factor enrolled and not yet confirmed.
    pub totp_pending: Option<Vec<u8>>,
    pub created_at: Millis,
}

/// A vault's key check and key file, both sealed on a device.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StoredKeys {
    /// Sealed under the vault key of generation `epoch`.
    pub check: Vec<u8>,
    pub key_file: Vec<u8>,
    /// The vault key's current generation (0 for a new vault: a member's removal starts the next).
    pub epoch: u32,
}

/// A signed-in session: whose, and until when.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SessionOwner {
    pub user_id: i64,
    pub name: String,
}

/// What the store refuses, and what fails under it.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error("{0} is already taken")]
    Conflict(String),
    #[error("not found")]
    NotFound,
    /// `(device, seq)` is stored with other bytes than the upload's.
    #[error("record {seq} of device {device} is already stored with other contents")]
    Mismatch { device: String, seq: u64 },
    #[error("device {0} was revoked")]
    Revoked(String),
    /// The request contradicts what is stored (a sentence for the client).
    #[error("{0}")]
    Refused(String),
    /// The database is unreachable or failed.
    #[error("storage: {0}")]
    Backend(String),
}

pub type StoreResult<T> = Result<T, StoreError>;

/// The server's storage. Every method is one transaction: it happens entirely or not at all.
pub trait Store: Send + Sync + 'static {
    /// Whether the database answers (`/readyz`).
    fn ready(&self) -> impl Future<Output = StoreResult<()>> + Send;

    /// A new account; `Conflict` when the name is taken.
    fn create_user(
        &self,
        name: &str,
        password_hash: &str,
        now: Millis,
    ) -> impl Future<Output = StoreResult<i64>> + Send;
    fn user_by_name(&self, name: &str) -> impl Future<Output = StoreResult<Option<User>>> + Send;
    fn user(&self, id: i64) -> impl Future<Output = StoreResult<Option<User>>> + Send;
    /// Sets the password hash, and the sealed private key when given (the key pair sealed under the
    /// new password), and ends every session of the account: all in one transaction.
    fn set_password(
        &self,
        id: i64,
        password_hash: &str,
        sealed_private: Option<&[u8]>,
    ) -> impl Future<Output = StoreResult<()>> + Send;
    /// The account, its sessions, its audit log and every vault it owns (with their records) go.
    fn delete_user(&self, id: i64) -> impl Future<Output = StoreResult<()>> + Send;

    /// Enrols a second factor (replacing any unconfirmed one) and its recovery codes' hashes.
    fn enrol_totp(
        &self,
        id: i64,
        secret: &[u8],
        recovery_hashes: &[[u8; 32]],
    ) -> impl Future<Output = StoreResult<()>> + Send;
    /// Makes the enrolled second factor the one logins ask for.
    fn confirm_totp(&self, id: i64) -> impl Future<Output = StoreResult<()>> + Send;
    /// Removes the second factor and its recovery codes.
    fn remove_totp(&self, id: i64) -> impl Future<Output = StoreResult<()>> + Send;
    /// Records that a code of time step `step` was used; false when that step or a later one already was
    /// (a replay).
    fn use_totp_step(&self, id: i64, step: i64) -> impl Future<Output = StoreResult<bool>> + Send;
    /// Spends a recovery code; false when it is not one of the account's, or was spent.
    fn use_recovery_code(&self, id: i64, hash: &[u8; 32]) -> impl Future<Output = StoreResult<bool>> + Send;

    fn create_session(
        &self,
        token_hash: &[u8; 32],
        user_id: i64,
        now: Millis,
        expires_at: Millis,
    ) -> impl Future<Output = StoreResult<()>> + Send;
    /// The owner of an unexpired session.
    fn session(
        &self,
        token_hash: &[u8; 32],
        now: Millis,
    ) -> impl Future<Output = StoreResult<Option<SessionOwner>>> + Send;
    fn end_session(&self, token_hash: &[u8; 32]) -> impl Future<Output = StoreResult<()>> + Send;

    /// Notes a failed login under `key` (and forgets failures older than `forget_before`).
    fn add_login_failure(
        &self,
        key: &str,
        now: Millis,
        forget_before: Millis,
    ) -> impl Future<Output = StoreResult<()>> + Send;
    /// How many failures `key` has since `since`, and when the oldest of them was.
    fn login_failures(
        &self,
        key: &str,
        since: Millis,
    ) -> impl Future<Output = StoreResult<(u64, Option<Millis>)>> + Send;

    fn audit(
        &self,
        user_id: i64,
        event: &str,
        address: &str,
        subject: &str,
        now: Millis,
    ) -> impl Future<Output = StoreResult<()>> + Send;
    /// The account's newest `limit` events, newest first.
    fn audit_log(&self, user_id: i64, limit: u64) -> impl Future<Output = StoreResult<Vec<AuditEvent>>> + Send;

    /// A new vault owned by `owner`; `Conflict` when the id is taken.
    fn create_vault(
        &self,
        vault: &str,
        owner: i64,
        keys: &StoredKeys,
        now: Millis,
    ) -> impl Future<Output = StoreResult<()>> + Send;
    /// What `user` may do with `vault`; `None` when it may not see it (or it does not exist).
    fn role(&self, vault: &str, user_id: i64) -> impl Future<Output = StoreResult<Option<Role>>> + Send;
    fn vaults_of(&self, user_id: i64) -> impl Future<Output = StoreResult<Vec<VaultSummary>>> + Send;
    fn vault_keys(&self, vault: &str) -> impl Future<Output = StoreResult<StoredKeys>> + Send;

    /// Appends `records` to `vault` for `user_id`, all or none: a record stored before with the same
    /// bytes is counted unchanged; with other bytes the whole upload fails with `Mismatch`; any record
    /// from a revoked device fails it with `Revoked`.
    fn put_records(
        &self,
        vault: &str,
        user_id: i64,
        records: &[Record],
        now: Millis,
    ) -> impl Future<Output = StoreResult<UploadReceipt>> + Send;
    /// The records that arrived after cursor `after`, oldest first: up to `limit` of them and about
    /// `max_bytes` (at least one, whatever its size), and whether more follow.
    fn records_after(
        &self,
        vault: &str,
        after: u64,
        limit: u64,
        max_bytes: u64,
    ) -> impl Future<Output = StoreResult<(Vec<StoredRecord>, bool)>> + Send;
    fn devices(&self, vault: &str) -> impl Future<Output = StoreResult<Vec<Device>>> + Send;
    /// Refuses the device's future uploads; `NotFound` when the vault has no such device.
    fn revoke_device(&self, vault: &str, device: &str) -> impl Future<Output = StoreResult<()>> + Send;

    /// Sets the account's key pair for sharing, once: `Refused` when it has one (it changes only with
    /// the password, sealed anew), `NotFound` when there is no such account.
    fn set_identity(&self, user_id: i64, identity: &Identity) -> impl Future<Output = StoreResult<()>> + Send;
    fn identity(&self, user_id: i64) -> impl Future<Output = StoreResult<Option<Identity>>> + Send;
    /// The public key of the account named `name`, if it exists and has one.
    fn public_key(&self, name: &str) -> impl Future<Output = StoreResult<Option<PublicKey>>> + Send;
    /// The vault's members, the owner first, then by when they joined.
    fn members(&self, vault: &str) -> impl Future<Output = StoreResult<Vec<Member>>> + Send;
    /// Makes the account `member` a member of `vault` with `role` and the keys `from` sealed for it,
    /// `(epoch, sealed)` for every generation so far (replacing its role and grants if it was one).
    /// `NotFound` when there is no such account; `Refused` for the owner itself, the owner's role, or
    /// grants that are not one per generation.
    fn put_member(
        &self,
        vault: &str,
        from: i64,
        member: &str,
        role: Role,
        grants: &[(u32, Vec<u8>)],
        now: Millis,
    ) -> impl Future<Output = StoreResult<()>> + Send;
    /// Ends `remove`'s membership and begins the vault key's generation `epoch` (the next; `Conflict`
    /// otherwise) with its key check and its key sealed by `from` for every member that stays, the owner
    /// included (`Refused` unless exactly those). `NotFound` when `remove` is no member; `Refused` for
    /// the owner.
    #[allow(clippy::too_many_arguments)]
    fn rotate(
        &self,
        vault: &str,
        from: i64,
        remove: &str,
        epoch: u32,
        check: &[u8],
        grants: &[MemberGrant],
        now: Millis,
    ) -> impl Future<Output = StoreResult<()>> + Send;
    /// The keys sealed for `user_id`, oldest generation first, with their sealer's name and public key.
    fn grants(&self, vault: &str, user_id: i64) -> impl Future<Output = StoreResult<Vec<Grant>>> + Send;

    /// Begins a snapshot of `vault`. The same description again is fine (a retry); another under the
    /// same id is `Conflict`; from a revoked device, `Revoked`.
    fn begin_snapshot(
        &self,
        vault: &str,
        snapshot: &NewSnapshot,
        now: Millis,
    ) -> impl Future<Output = StoreResult<()>> + Send;
    /// Stores part `part` of a snapshot still being uploaded: the same bytes again are fine, other bytes
    /// are `Refused`; `NotFound` when there is no such snapshot or part.
    fn put_snapshot_part(
        &self,
        vault: &str,
        id: &str,
        part: u32,
        data: &[u8],
    ) -> impl Future<Output = StoreResult<()>> + Send;
    /// Completes a snapshot whose parts are all stored (`Refused` otherwise; completing it again answers
    /// it as it is). Then retention: the vault's completed snapshots stored before `keep_since` go, all
    /// but the newest, and so do uploads begun before `keep_since` and never completed.
    fn complete_snapshot(
        &self,
        vault: &str,
        id: &str,
        now: Millis,
        keep_since: Millis,
    ) -> impl Future<Output = StoreResult<Snapshot>> + Send;
    /// The vault's completed snapshots, newest first.
    fn snapshots(&self, vault: &str) -> impl Future<Output = StoreResult<Vec<Snapshot>>> + Send;
    /// A part of a completed snapshot; `NotFound` otherwise.
    fn snapshot_part(&self, vault: &str, id: &str, part: u32) -> impl Future<Output = StoreResult<Vec<u8>>> + Send;

    /// Bytes of sealed records and snapshots stored, over all vaults (`/metrics`).
    fn bytes_stored(&self) -> impl Future<Output = StoreResult<u64>> + Send;
    /// Devices that uploaded since `since` (`/metrics`).
    fn active_devices(&self, since: Millis) -> impl Future<Output = StoreResult<u64>> + Send;
}

/// What setting a key pair did: `set` rows changed, of an account that `exists`. A session alone
/// cannot replace a key pair — a stolen one could otherwise have the account's future grants sealed to
/// a key of the thief's.
pub fn identity_set(set: u64, exists: bool) -> StoreResult<()> {
    match (set, exists) {
        (0, false) => Err(StoreError::NotFound),
        (0, true) => Err(StoreError::Refused(
            "This account already has a key pair; it is sealed anew only with a password change.".into(),
        )),
        _ => Ok(()),
    }
}

/// Grants of a new member: one per generation of the vault key, 0 to `current`.
pub fn check_one_per_epoch(grants: &[(u32, Vec<u8>)], current: u32) -> StoreResult<()> {
    let mut epochs: Vec<u32> = grants.iter().map(|(e, _)| *e).collect();
    epochs.sort_unstable();
    match epochs == (0..=current).collect::<Vec<_>>() {
        true => Ok(()),
        false => Err(StoreError::Refused(format!(
            "Seal the vault's key of every generation for the new member: 0 to {current}, once each."
        ))),
    }
}

/// Grants of a new generation: one for each member that stays (`(name, id)`); each member's id with
/// its grant.
pub fn check_one_per_member(grants: &[MemberGrant], staying: &[(String, i64)]) -> StoreResult<Vec<(i64, Vec<u8>)>> {
    let refused =
        || StoreError::Refused("Seal the new key for every member that stays, the owner included, once each.".into());
    if grants.len() != staying.len() {
        return Err(refused());
    }
    grants
        .iter()
        .map(|g| {
            let (_, id) = staying.iter().find(|(name, _)| *name == g.user).ok_or_else(refused)?;
            Ok((*id, g.sealed.0.clone()))
        })
        .collect::<StoreResult<Vec<_>>>()
        .and_then(|pairs| {
            let mut ids: Vec<i64> = pairs.iter().map(|(id, _)| *id).collect();
            ids.sort_unstable();
            ids.dedup();
            if ids.len() == pairs.len() {
                Ok(pairs)
            } else {
                Err(refused())
            }
        })
}

/// Where a page ends, given the (arrival, size) of up to `limit + 1` records after its start: the
/// arrival of its last record (`None`: no record) and whether more follow. A page holds at most `limit`
/// records and, beyond its first, no more than `max_bytes` in all.
pub fn page_end(sizes: &[(i64, i64)], limit: u64, max_bytes: u64) -> (Option<i64>, bool) {
    let mut bytes = 0u64;
    let mut last = None;
    for (taken, (arrival, size)) in (0u64..).zip(sizes) {
        let size = to_u64(*size);
        if taken == limit || (taken > 0 && bytes + size > max_bytes) {
            return (last, true);
        }
        bytes += size;
        last = Some(*arrival);
    }
    (last, false)
}

/// Times as the protocol shows them.
pub fn time_of(ms: Millis) -> chrono::DateTime<chrono::Utc> {
    chrono::DateTime::from_timestamp_millis(ms).unwrap_or_default()
}

/// Counts and sequence numbers are kept as signed 64-bit integers (both databases' widest); the
/// protocol's are unsigned. Anything outside is refused before it reaches the store.
pub fn to_u64(n: i64) -> u64 {
    u64::try_from(n).unwrap_or_default()
}

pub fn to_i64(n: u64) -> StoreResult<i64> {
    i64::try_from(n).map_err(|_| StoreError::Backend(format!("{n} is too large to store")))
}
