//! Sync (docs/sync.md): a vault's devices converge through a sync server that stores only sealed
//! bytes. Each device's operations (the change log, `journal`) become an append-only series of
//! records (`ops` → `record`), sealed here before they leave; what arrives from the other devices is
//! opened, checked for its place in its series, and merged field by field, last writer wins (`merge`).
//! `client` speaks the protocol; `state` keeps this device's progress. The server side is
//! `credence-server`.

mod account;
mod client;
mod keyring;
mod merge;
mod ops;
pub mod record;
mod snapshot;
mod state;

use std::path::Path;

use credence_protocol as protocol;
use zeroize::Zeroizing;

use crate::error::{Error, Result};
use crate::journal::RemoteOp;
use crate::vault::{KeyFile, Passphrase, RecoveryKey, Vault};
pub use account::fingerprint;
pub(crate) use account::{AccountKeys, Identity};
use client::Client;
pub(crate) use keyring::Keyring;
use record::{RecordId, SyncKey};
pub use snapshot::{RestoreReport, SyncSnapshot};

/// What a key check record holds: a device that opens it holds the vault's sync key.
const KEY_CHECK: &[u8] = b"credence key check v1";
/// The key check's place: no device writes a series by this name.
const KEY_CHECK_DEVICE: &str = "key-check";

/// The most records one upload carries, and about the most bytes.
const UPLOAD_RECORDS: usize = 500;
const UPLOAD_BYTES: usize = 8 * 1024 * 1024;
/// Operations sealed per step (each step commits its records to the outbox).
const SEAL_BATCH: usize = 200;

/// Where sync stands on this device (`credence sync status`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SyncStatus {
    /// The server's address; `None` when sync is off for this vault.
    pub server: Option<String>,
    pub user: Option<String>,
    pub vault: String,
    pub device: String,
    /// Operations of this device not yet on the server (sealed records waiting, plus operations not
    /// sealed yet); 0 while sync is off.
    pub pending: u64,
    /// When a sync last finished (RFC 3339), if ever.
    pub last_sync: Option<String>,
    /// How far into the vault's records this device has read.
    pub cursor: u64,
    /// What the account may do with the vault (`owner`, `editor`, `viewer`), as of the last sync.
    pub role: Option<String>,
}

/// What one sync did.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct SyncReport {
    /// Records this device uploaded.
    pub pushed: u64,
    /// Records of other devices applied.
    pub pulled: u64,
    /// Decisions last-writer-wins took against a write during this sync.
    pub conflicts: u64,
}

/// A step of a sync, for a progress display.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SyncProgress {
    /// Records uploaded so far, of how many waiting.
    Pushed { done: u64, total: u64 },
    /// Records received and applied so far.
    Pulled { done: u64 },
}

/// A write that last-writer-wins decided against (`credence sync conflicts`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SyncConflict {
    pub decided_at: String,
    pub entity: &'static str,
    pub entity_id: String,
    /// The field, for an edit; `None` for a whole row.
    pub field: Option<String>,
    /// The value that stayed (JSON text), when one did.
    pub kept: Option<String>,
    /// The value that was overwritten or dropped, or why the row was.
    pub lost: Option<String>,
    /// The device whose write lost, and when (its clock stamp).
    pub lost_device: String,
    pub lost_at: String,
}

/// A device of the vault as the server knows it (`credence sync devices`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SyncDevice {
    pub device: String,
    pub user: String,
    pub first_seen: chrono::DateTime<chrono::Utc>,
    pub last_seen: chrono::DateTime<chrono::Utc>,
    pub records: u64,
    pub revoked: bool,
    pub this_device: bool,
}

/// A second factor being set up for the sync account: shown once, then confirmed with a code.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TotpSetup {
    /// The shared secret, base32, for typing into an authenticator app.
    pub secret: String,
    /// `otpauth://totp/…`, for a QR code.
    pub uri: String,
    /// Each logs in once instead of a code (a lost phone).
    pub recovery_codes: Vec<String>,
}

/// What a member of a shared vault may do.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MemberRole {
    /// Everything, sharing included (the account that registered the vault).
    Owner,
    /// Reads and writes.
    Editor,
    /// Reads; what a viewer's device changes stays on that device.
    Viewer,
}

impl MemberRole {
    pub fn as_str(self) -> &'static str {
        self.wire().as_str()
    }

    /// `editor` or `viewer` (a vault has one owner).
    pub fn for_sharing(text: &str) -> Result<MemberRole> {
        match text.trim().to_ascii_lowercase().as_str() {
            "editor" => Ok(MemberRole::Editor),
            "viewer" => Ok(MemberRole::Viewer),
            other => Err(Error::invalid(format!("{other:?} is not a role to share with; say editor or viewer"))),
        }
    }

    fn wire(self) -> protocol::Role {
        match self {
            MemberRole::Owner => protocol::Role::Owner,
            MemberRole::Editor => protocol::Role::Editor,
            MemberRole::Viewer => protocol::Role::Viewer,
        }
    }

    fn from_wire(role: protocol::Role) -> MemberRole {
        match role {
            protocol::Role::Owner => MemberRole::Owner,
            protocol::Role::Editor => MemberRole::Editor,
            protocol::Role::Viewer => MemberRole::Viewer,
        }
    }
}

/// A member of the vault (`credence sync members`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SyncMember {
    pub user: String,
    pub role: MemberRole,
    /// Its public key's fingerprint, to compare with what the member's own device shows; `None` for an
    /// account that has not signed in since sharing came.
    pub fingerprint: Option<String>,
    pub since: chrono::DateTime<chrono::Utc>,
    /// This device's account.
    pub you: bool,
}

/// A device set up by `join`.
#[derive(Debug)]
pub struct Joined {
    pub vault: Vault,
    pub report: SyncReport,
    /// For a member of a shared vault, whose vault file is its own: the new file's recovery key, to
    /// show once.
    pub recovery_key: Option<RecoveryKey>,
}

/// How a joining device unlocks the vault's key file (the owner's devices); a member of a shared vault
/// gives the passphrase of the new file it makes instead.
#[derive(Debug)]
pub enum Unlock<'a> {
    Passphrase(&'a Passphrase),
    RecoveryKey(&'a RecoveryKey),
}

/// An account on a sync server and its password (and second factor, when it has one).
#[derive(Debug, Clone, Copy)]
pub struct Account<'a> {
    pub server: &'a str,
    pub user: &'a str,
    pub password: &'a str,
    pub otp: Option<&'a str>,
}

/// The key check of the vault key's generation `epoch`: its place is the generation's number.
fn key_check_id(vault: &str, epoch: u32) -> RecordId<'_> {
    RecordId { vault, device: KEY_CHECK_DEVICE, seq: u64::from(epoch) }
}

/// Whether `keyring` opens the vault's key check of generation `epoch`: refuses with a sentence if not.
fn prove_key(keyring: &Keyring, vault: &str, epoch: u32, check: &[u8]) -> Result<()> {
    let opened = keyring.key(epoch).and_then(|key| record::open(&key, &key_check_id(vault, epoch), check));
    match opened {
        Ok(payload) if payload.as_slice() == KEY_CHECK => Ok(()),
        _ => Err(Error::SyncRefused(
            "this device's key does not open the vault's records on the server (another vault's key file, or \
             the server's copy was changed); nothing was uploaded"
                .into(),
        )),
    }
}

/// Registers or logs in with the login secret the password yields on this device, and makes sure the
/// account has its key pair for sharing: opened from the server's sealed copy, or made now.
fn sign_in(client: &mut Client, account: &Account<'_>, register: bool) -> Result<(protocol::Session, Identity)> {
    if register && account.password.chars().count() < account::MIN_PASSWORD_CHARS {
        return Err(Error::invalid(format!(
            "the account password must be at least {} characters long",
            account::MIN_PASSWORD_CHARS
        )));
    }
    let keys = account::derive(account.user, account.password)?;
    let session = match register {
        true => client.register(account.user, &keys.login)?,
        false => client.login(account.user, &keys.login, account.otp)?,
    };
    client.set_token(session.token.clone());
    let identity = match client.identity()? {
        Some(stored) => Identity::from_server(&keys, &session.user, &stored.public.0, &stored.sealed_private.0)?,
        None => {
            let made = Identity::generate();
            let sealed = made.sealed_for_server(&keys, &session.user)?;
            client.set_identity(&protocol::Identity {
                public: protocol::Sealed(made.public().to_vec()),
                sealed_private: protocol::Sealed(sealed),
            })?;
            made
        }
    };
    Ok((session, identity))
}

fn sync_is_off() -> Error {
    Error::invalid("sync is off for this vault: turn it on with `credence sync register` or `credence sync join`")
}

impl Vault {
    /// Turns sync on: registers `account` on its server and makes this vault the account's first.
    /// Then syncs once (everything this vault holds goes up).
    pub fn sync_register(&mut self, account: &Account<'_>) -> Result<SyncReport> {
        if state::get(&self.conn, state::SERVER)?.is_some() {
            return Err(Error::Conflict("sync is already on for this vault (credence sync status)".into()));
        }
        let mut client = Client::new(account.server, None)?;
        let (session, identity) = sign_in(&mut client, account, true)?;
        let check = record::seal(&self.sync_key(), &key_check_id(self.vault_id(), 0), KEY_CHECK)?;
        client.create_vault(self.vault_id(), check, self.key_file_bytes())?;
        self.remember_session(client.url(), &session, &identity)?;
        self.pin_owner(&identity.public())?;
        self.sync_now(&mut |_| {})
    }

    /// Logs in again (a session ended, or the password changed); the server's address and the account
    /// stay as they were unless given.
    pub fn sync_login(&mut self, account: &Account<'_>) -> Result<()> {
        let mut client = Client::new(account.server, None)?;
        let (session, identity) = sign_in(&mut client, account, false)?;
        self.remember_session(client.url(), &session, &identity)
    }

    fn remember_session(&mut self, server: &str, session: &protocol::Session, identity: &Identity) -> Result<()> {
        let tx = self.conn.transaction()?;
        state::set(&tx, state::SERVER, server)?;
        state::set(&tx, state::USER, &session.user)?;
        state::set(&tx, state::TOKEN, &session.token)?;
        state::set(&tx, state::IDENTITY, &identity.to_hex())?;
        tx.commit()?;
        Ok(())
    }

    /// A client of this vault's server with its session; an error when sync is off.
    fn sync_client(&self) -> Result<Client> {
        let server = state::get(&self.conn, state::SERVER)?.ok_or_else(sync_is_off)?;
        Client::new(&server, state::get(&self.conn, state::TOKEN)?)
    }

    /// Pushes this device's operations, then pulls and merges the other devices'. Safe to interrupt at
    /// any point: what was uploaded is known by the server's receipt, what was applied committed with
    /// its place in the series, and the next sync carries on from there.
    pub fn sync_now(&mut self, progress: &mut dyn FnMut(SyncProgress)) -> Result<SyncReport> {
        let client = self.sync_client()?;
        let keys = client.vault_keys(self.vault_id())?;
        let ring = self.current_keyring(&client, &keys)?;
        // A viewer reads; what its device changes stays here (the server would refuse it).
        let writes = keys.role.is_none_or(protocol::Role::can_write);
        if let Some(role) = keys.role {
            state::set(&self.conn, state::ROLE, role.as_str())?;
        }
        let conflicts_before = self.conflict_count()?;
        let mut pushed = if writes { self.push(&client, &ring, progress)? } else { 0 };
        let pulled = self.pull(&client, &ring, None, progress)?;
        // Merging may have written edits of this device's own (names a clash was settled with): they
        // go up now rather than at the next sync.
        if writes {
            pushed += self.push(&client, &ring, progress)?;
        }
        state::set(
            &self.conn,
            state::LAST_SYNC,
            &chrono::Utc::now().to_rfc3339_opts(chrono::SecondsFormat::Secs, true),
        )?;
        Ok(SyncReport { pushed, pulled, conflicts: self.conflict_count()? - conflicts_before })
    }

    /// The generations of the vault's key this device holds.
    fn keyring(&self) -> Result<Keyring> {
        Keyring::of_vault(&self.conn, self.vault_id(), self.sync_root())
    }

    /// The keyring, brought up to the server's current generation (`keys.epoch`: the grants this
    /// account was given opened, and kept here), with the server's key check proven by it.
    fn current_keyring(&self, client: &Client, keys: &protocol::VaultKeys) -> Result<Keyring> {
        let mut ring = self.keyring()?;
        if ring.root(keys.epoch).is_none() {
            let me = state::get(&self.conn, state::USER)?.unwrap_or_default();
            ring.learn(client, &self.identity()?, &me, &self.owner_key()?, keys.epoch)?;
            self.keep_epochs(&ring)?;
        }
        prove_key(&ring, self.vault_id(), keys.epoch, &keys.check.0)?;
        Ok(ring)
    }

    /// Pins the vault owner's public key (its own, for the owner's devices).
    fn pin_owner(&self, public: &[u8]) -> Result<()> {
        state::set(&self.conn, state::OWNER_KEY, &data_encoding::HEXLOWER.encode(public))
    }

    /// The vault owner's public key as this device pinned it.
    fn owner_key(&self) -> Result<Vec<u8>> {
        let hex = state::get(&self.conn, state::OWNER_KEY)?.ok_or_else(|| {
            Error::invalid("this device does not know the vault owner's key yet: join the vault again")
        })?;
        data_encoding::HEXLOWER
            .decode(hex.as_bytes())
            .map_err(|_| Error::Damaged("the vault owner's pinned key does not read".into()))
    }

    /// Keeps the later generations of `ring` in this vault.
    fn keep_epochs(&self, ring: &Keyring) -> Result<()> {
        for (epoch, root) in ring.later() {
            state::set_epoch_root(&self.conn, epoch, &keyring::root_to_hex(root))?;
        }
        Ok(())
    }

    /// Seals this device's new operations into the outbox, under the newest generation of the vault's
    /// key in `ring`, a batch of operations per transaction.
    fn seal_pending(&mut self, ring: &Keyring) -> Result<()> {
        let device = self.device_id()?;
        let epoch = ring.newest();
        let key = ring.key(epoch)?;
        let vault = self.vault_id().to_string();
        loop {
            let tx = self.conn.transaction()?;
            let after = state::get_number(&tx, state::SEALED_OP)?;
            let ops = ops::local_ops_after(&tx, &device, after, SEAL_BATCH)?;
            let Some(newest) = ops.last().map(|op| op.id) else { return Ok(()) };
            let mut seq = state::get_number(&tx, state::NEXT_SEQ)?.max(1);
            for op in &ops {
                ops::pieces_of(&tx, op, &mut |piece| {
                    let payload = Zeroizing::new(piece.to_bytes()?);
                    let seq_u64 =
                        u64::try_from(seq).map_err(|_| Error::Damaged("sync sequence out of range".into()))?;
                    let id = RecordId { vault: &vault, device: &device, seq: seq_u64 };
                    let sealed = record::seal_in(&key, epoch, &id, &payload)?;
                    state::outbox_add(&tx, seq, op.id, piece.last.then_some(op.id), &sealed)?;
                    seq += 1;
                    Ok(())
                })?;
            }
            state::set(&tx, state::NEXT_SEQ, &seq.to_string())?;
            state::set(&tx, state::SEALED_OP, &newest.to_string())?;
            tx.commit()?;
        }
    }

    fn push(&mut self, client: &Client, ring: &Keyring, progress: &mut dyn FnMut(SyncProgress)) -> Result<u64> {
        self.seal_pending(ring)?;
        let device = self.device_id()?;
        let total = state::outbox_len(&self.conn)?;
        let mut done = 0;
        loop {
            let batch = state::outbox_batch(&self.conn, UPLOAD_RECORDS, UPLOAD_BYTES)?;
            let Some(&(newest, _)) = batch.last() else { return Ok(done) };
            let count = batch.len() as u64;
            let records = batch
                .into_iter()
                .map(|(seq, data)| protocol::Record {
                    device: device.clone(),
                    seq: seq as u64,
                    data: protocol::Sealed(data),
                })
                .collect();
            client.upload(self.vault_id(), records)?;
            state::outbox_remove_through(&self.conn, newest)?;
            done += count;
            progress(SyncProgress::Pushed { done, total });
        }
    }

    /// Applies the other devices' records after the cursor; with `until`, those whose operations are
    /// newer are read (and checked) but not applied (a restore to that moment).
    fn pull(
        &mut self,
        client: &Client,
        ring: &Keyring,
        until: Option<chrono::DateTime<chrono::Utc>>,
        progress: &mut dyn FnMut(SyncProgress),
    ) -> Result<u64> {
        let own = self.device_id()?;
        let vault = self.vault_id().to_string();
        let mut applied = 0;
        loop {
            let after = state::get_number(&self.conn, state::CURSOR)?;
            let page = client.download(&vault, after as u64)?;
            for stored in &page.records {
                let cursor = i64::try_from(stored.cursor)
                    .map_err(|_| Error::SyncRefused("a record's cursor is out of range".into()))?;
                if stored.cursor <= after as u64 {
                    return Err(Error::SyncRefused("the server handed back records out of order".into()));
                }
                if stored.device == own {
                    // This device's own record, coming back: already here.
                    state::set(&self.conn, state::CURSOR, &cursor.to_string())?;
                    continue;
                }
                self.apply_record(ring, &vault, stored, cursor, until)?;
                applied += 1;
                progress(SyncProgress::Pulled { done: applied });
            }
            if !page.more {
                return Ok(applied);
            }
        }
    }

    /// Opens one record of another device, checks its place in that device's series, and applies it,
    /// with the new place and cursor, in one transaction.
    fn apply_record(
        &mut self,
        ring: &Keyring,
        vault: &str,
        stored: &protocol::StoredRecord,
        cursor: i64,
        until: Option<chrono::DateTime<chrono::Utc>>,
    ) -> Result<()> {
        let expected = state::device_last_seq(&self.conn, &stored.device)? + 1;
        let seq =
            i64::try_from(stored.seq).map_err(|_| Error::SyncRefused("a record's place is out of range".into()))?;
        if seq != expected {
            return Err(Error::SyncRefused(format!(
                "record {} of device {} arrived where record {expected} was due: the series was cut, replayed or reordered",
                stored.seq, stored.device
            )));
        }
        let epoch = record::epoch_of(&stored.data.0).unwrap_or_default();
        let payload = ring
            .key(epoch)
            .and_then(|key| {
                record::open(&key, &RecordId { vault, device: &stored.device, seq: stored.seq }, &stored.data.0)
            })
            .map_err(|e| Error::SyncRefused(e.to_string()))?;
        let piece = ops::Piece::from_bytes(&payload)?;
        if !piece.hlc.ends_with(&format!("-{}", stored.device)) {
            return Err(Error::SyncRefused(format!(
                "a record of device {} carries another device's operation",
                stored.device
            )));
        }
        let after_until = until
            .is_some_and(|at| crate::journal::stamp_millis(&piece.hlc).is_none_or(|ms| ms > at.timestamp_millis()));
        if after_until {
            let tx = self.conn.transaction()?;
            state::set_device_last_seq(&tx, &stored.device, seq)?;
            state::set(&tx, state::CURSOR, &cursor.to_string())?;
            tx.commit()?;
            return Ok(());
        }
        let op =
            RemoteOp { hlc: &piece.hlc, device: &stored.device, summary: &piece.summary, undoable: piece.undoable };
        self.recurring_cache = Default::default();
        let renames = self.write_remote(&op, |w| {
            let renames = merge::apply(w, &piece, &stored.device)?;
            state::set_device_last_seq(w.conn(), &stored.device, seq)?;
            state::set(w.conn(), state::CURSOR, &cursor.to_string())?;
            Ok(renames)
        })?;
        if renames.is_empty() {
            return Ok(());
        }
        // The names a clash was settled with, written again as this device's own edits: they travel, so
        // every device ends with them, also those that never saw the clash.
        self.write_op("Sync: renamed to settle a name two devices chose", false, |w| {
            for rename in renames {
                if w.conn()
                    .query_row(&format!("SELECT 1 FROM {} WHERE id = ?1", rename.entity.table()), [rename.id], |_| {
                        Ok(())
                    })
                    .is_ok()
                {
                    w.update_stamped(rename.entity, rename.id, rename.column, rename.value)?;
                }
            }
            Ok(())
        })
    }

    fn conflict_count(&self) -> Result<u64> {
        Ok(self.conn.query_row("SELECT count(*) FROM sync_conflicts", [], |r| r.get::<_, i64>(0))? as u64)
    }

    /// Where sync stands.
    pub fn sync_status(&self) -> Result<SyncStatus> {
        let device = self.device_id()?;
        let server = state::get(&self.conn, state::SERVER)?;
        // With sync off nothing waits, and the change log is not counted (the app asks every half minute).
        let pending = match server {
            Some(_) => {
                let sealed = state::get_number(&self.conn, state::SEALED_OP)?;
                let unsealed: i64 = self.conn.query_row(
                    "SELECT count(*) FROM operations WHERE device_id = ?1 AND id > ?2",
                    rusqlite::params![device, sealed],
                    |r| r.get(0),
                )?;
                let waiting: i64 =
                    self.conn.query_row("SELECT count(DISTINCT op_id) FROM sync_outbox", [], |r| r.get(0))?;
                (unsealed + waiting) as u64
            }
            None => 0,
        };
        Ok(SyncStatus {
            server,
            user: state::get(&self.conn, state::USER)?,
            vault: self.vault_id().to_string(),
            device,
            pending,
            last_sync: state::get(&self.conn, state::LAST_SYNC)?,
            cursor: state::get_number(&self.conn, state::CURSOR)? as u64,
            role: state::get(&self.conn, state::ROLE)?,
        })
    }

    /// The newest `limit` decisions last-writer-wins took against a write, newest first.
    pub fn sync_conflicts(&self, limit: usize) -> Result<Vec<SyncConflict>> {
        let mut query = self.conn.prepare(
            "SELECT decided_at, entity, entity_id, field, kept, lost, lost_device, lost_hlc FROM sync_conflicts ORDER BY id DESC LIMIT ?1",
        )?;
        let rows = query.query_map([limit as i64], |r| {
            Ok((
                r.get::<_, String>(0)?,
                r.get::<_, i64>(1)?,
                r.get::<_, uuid::Uuid>(2)?,
                r.get::<_, Option<String>>(3)?,
                r.get::<_, Option<String>>(4)?,
                r.get::<_, Option<String>>(5)?,
                r.get::<_, String>(6)?,
                r.get::<_, String>(7)?,
            ))
        })?;
        rows.map(|row| {
            let (decided_at, entity, id, field, kept, lost, lost_device, lost_hlc) = row?;
            let entity = crate::journal::Entity::from_code(entity).map_or("record", |e| e.name());
            let lost_at = crate::journal::stamp_time(&lost_hlc).unwrap_or(lost_hlc);
            Ok(SyncConflict { decided_at, entity, entity_id: id.to_string(), field, kept, lost, lost_device, lost_at })
        })
        .collect()
    }

    /// The vault's devices, as the server knows them.
    pub fn sync_devices(&self) -> Result<Vec<SyncDevice>> {
        let own = self.device_id()?;
        let devices = self.sync_client()?.devices(self.vault_id())?.devices;
        Ok(devices
            .into_iter()
            .map(|d| SyncDevice {
                this_device: d.device == own,
                device: d.device,
                user: d.user,
                first_seen: d.first_seen,
                last_seen: d.last_seen,
                records: d.records,
                revoked: d.revoked,
            })
            .collect())
    }

    /// Refuses `device`'s future uploads (a lost laptop). Only the vault's owner may.
    pub fn sync_revoke(&self, device: &str) -> Result<()> {
        if device == self.device_id()? {
            return Err(Error::invalid("that is this device; revoke it from another one"));
        }
        self.sync_client()?.revoke(self.vault_id(), device)
    }

    /// This device's key pair for sharing (kept in the vault at sign-in).
    fn identity(&self) -> Result<Identity> {
        let hex = state::get(&self.conn, state::IDENTITY)?.ok_or_else(|| {
            Error::invalid("this device has no key for sharing yet: sign in again (credence sync login) to make it")
        })?;
        Identity::from_hex(&hex)
    }

    /// Shares the vault with the account `user` as `role` (or changes its role): the vault's key of
    /// every generation so far, sealed from this account to `user`'s public key, goes to the server
    /// with the membership. Only the owner shares. Answers the member, with the fingerprint of the key
    /// it was sealed to: compare it with what `user`'s own device shows (`credence sync members`) to
    /// know the server gave the right key.
    pub fn sync_share(&self, user: &str, role: MemberRole) -> Result<SyncMember> {
        if role == MemberRole::Owner {
            return Err(Error::invalid("a vault has one owner; share it as editor or viewer"));
        }
        let client = self.sync_client()?;
        let me = state::get(&self.conn, state::USER)?.unwrap_or_default();
        let name = user.trim().to_ascii_lowercase();
        if name == me {
            return Err(Error::invalid("that is this account; share the vault with another one"));
        }
        let public = client.public_key(&name)?.ok_or_else(|| {
            Error::invalid(format!(
                "the account {name} has no key for sharing on the server: it gets one when it next signs in \
                 (credence sync login or register)"
            ))
        })?;
        let ring = self.current_keyring(&client, &client.vault_keys(self.vault_id())?)?;
        let identity = self.identity()?;
        let grants = ring
            .epochs()
            .map(|epoch| {
                let root =
                    ring.root(epoch).ok_or_else(|| Error::Damaged("a generation of the key went missing".into()))?;
                let sealed = identity.seal_grant(self.vault_id(), epoch, &me, &name, &public.public.0, root)?;
                Ok(protocol::EpochGrant { epoch, sealed: protocol::Sealed(sealed) })
            })
            .collect::<Result<Vec<_>>>()?;
        client.put_member(self.vault_id(), &name, &protocol::NewMember { role: role.wire(), grants })?;
        Ok(SyncMember {
            user: name,
            role,
            fingerprint: Some(fingerprint(&public.public.0)),
            since: chrono::Utc::now(),
            you: false,
        })
    }

    /// Ends `user`'s membership and starts the next generation of the vault's key: a new random key,
    /// sealed for every member that stays (this account included, for its other devices), with its
    /// key check. The server refuses the removed account's devices at once; records sealed from now on
    /// are under a key it never had.
    pub fn sync_unshare(&self, user: &str) -> Result<()> {
        let client = self.sync_client()?;
        let me = state::get(&self.conn, state::USER)?.unwrap_or_default();
        let removed = user.trim().to_ascii_lowercase();
        let keys = client.vault_keys(self.vault_id())?;
        let mut ring = self.current_keyring(&client, &keys)?;
        let epoch = keys.epoch + 1;
        let mut root = zeroize::Zeroizing::new([0u8; 32]);
        rand::RngCore::fill_bytes(&mut rand::rngs::OsRng, &mut root[..]);
        let vault = self.vault_id();
        let check = record::seal_in(&SyncKey::derive(&root, vault), epoch, &key_check_id(vault, epoch), KEY_CHECK)?;
        let identity = self.identity()?;
        let members = client.members(vault)?.members;
        if !members.iter().any(|m| m.user == removed) {
            return Err(Error::not_found("member of this vault", &removed));
        }
        let grants = members
            .iter()
            .filter(|m| m.user != removed)
            .map(|m| {
                let public = m.public.as_ref().ok_or_else(|| {
                    Error::invalid(format!("{} has no key for sharing yet; it gets one when it next signs in", m.user))
                })?;
                let sealed = identity.seal_grant(vault, epoch, &me, &m.user, &public.0, &root)?;
                Ok(protocol::MemberGrant { user: m.user.clone(), sealed: protocol::Sealed(sealed) })
            })
            .collect::<Result<Vec<_>>>()?;
        client.rotate(vault, &protocol::Rotation { remove: removed, epoch, check: protocol::Sealed(check), grants })?;
        ring.insert(epoch, root);
        self.keep_epochs(&ring)
    }

    /// Who shares the vault, the owner first. The owner's fingerprint is that of the key this device
    /// pinned (what its keys are checked against), whatever the server lists.
    pub fn sync_members(&self) -> Result<Vec<SyncMember>> {
        let me = state::get(&self.conn, state::USER)?.unwrap_or_default();
        let pinned = self.owner_key().ok();
        let members = self.sync_client()?.members(self.vault_id())?.members;
        Ok(members
            .into_iter()
            .map(|m| SyncMember {
                you: m.user == me,
                fingerprint: match (m.role, &pinned) {
                    (protocol::Role::Owner, Some(key)) => Some(fingerprint(key)),
                    _ => m.public.as_ref().map(|p| fingerprint(&p.0)),
                },
                role: MemberRole::from_wire(m.role),
                user: m.user,
                since: m.since,
            })
            .collect())
    }

    /// Starts a second factor for the sync account: logins then ask for a code once it is confirmed
    /// (`sync_totp_confirm`).
    pub fn sync_totp_enrol(&self) -> Result<TotpSetup> {
        let setup = self.sync_client()?.enrol_totp()?;
        Ok(TotpSetup { secret: setup.secret, uri: setup.uri, recovery_codes: setup.recovery_codes })
    }

    /// Confirms the second factor with the authenticator's current code.
    pub fn sync_totp_confirm(&self, code: &str) -> Result<()> {
        self.sync_client()?.confirm_totp(code)
    }

    /// Removes the second factor (a current code or a recovery code proves it is the owner).
    pub fn sync_totp_remove(&self, code: &str) -> Result<()> {
        self.sync_client()?.remove_totp(code)
    }

    /// Changes the sync account's password. The account's key pair goes to the server sealed under the
    /// new password in the same request (or no device could open it again); the server ends every
    /// session, this device takes the new one, and the account's other devices log in again with the
    /// new password (`credence sync login`). The vault's passphrase is not touched.
    pub fn sync_change_password(&mut self, current: &str, new: &str) -> Result<()> {
        if new.chars().count() < account::MIN_PASSWORD_CHARS {
            return Err(Error::invalid(format!(
                "the new account password must be at least {} characters long",
                account::MIN_PASSWORD_CHARS
            )));
        }
        if new == current {
            return Err(Error::invalid("the new account password is the current one; nothing was changed"));
        }
        let mut client = self.sync_client()?;
        let user = self.sync_user()?;
        let identity = self.identity()?;
        let on_server =
            client.identity()?.ok_or_else(|| Error::Sync("the server lost the account's key pair".into()))?;
        if on_server.public.0 != identity.public() {
            return Err(Error::SyncRefused(
                "the server holds another key pair for this account than this device does; log in again \
                 (credence sync login) before changing the password"
                    .into(),
            ));
        }
        let (current, new) = (account::derive(&user, current)?, account::derive(&user, new)?);
        let change = protocol::PasswordChange {
            password: current.login.to_string(),
            new_password: new.login.to_string(),
            sealed_private: Some(protocol::Sealed(identity.sealed_for_server(&new, &user)?)),
        };
        let session = client.change_password(&change)?;
        client.set_token(session.token.clone());
        self.remember_session(client.url(), &session, &identity)
    }

    /// Deletes the sync account on the server — every vault it owns, with their records and snapshots,
    /// and its place in vaults others share with it — then turns sync off here. `user` must name this
    /// vault's account (a check that the right one goes); this vault's contents stay on this device.
    pub fn sync_delete_account(&mut self, user: &str, password: &str) -> Result<()> {
        let account = self.sync_user()?;
        if user.trim().to_ascii_lowercase() != account {
            return Err(Error::invalid(format!(
                "this vault syncs as the account {account}, not {}; nothing was deleted",
                user.trim()
            )));
        }
        let keys = account::derive(&account, password)?;
        self.sync_client()?.delete_account(&keys.login)?;
        state::leave(&self.conn)
    }

    /// The account this vault syncs as; an error when sync is off.
    fn sync_user(&self) -> Result<String> {
        state::get(&self.conn, state::USER)?.ok_or_else(sync_is_off)
    }

    /// Turns sync off for this vault: forgets the server, the session and the progress. The vault's
    /// contents, and the server's copy, stay as they are.
    pub fn sync_leave(&mut self) -> Result<()> {
        state::leave(&self.conn)
    }
}

/// What a signed-in account holds of a vault on the server.
enum Access {
    /// The owner's: the key file, and the keys it yields to the passphrase or recovery key.
    Owner(Box<KeyFile>, crate::vault::VaultKeys),
    /// A member's: the vault's sync root, as the owner sealed it for this account.
    Member(zeroize::Zeroizing<[u8; 32]>),
}

/// A signed-in client, its session and key pair, the vault `vault` (or the account's only one) and
/// what this account holds of it, proven against the server's key check.
struct AccountVault {
    client: Client,
    session: protocol::Session,
    identity: Identity,
    vault: String,
    access: Access,
    /// The generations of the vault's key this account holds, through the current one.
    ring: Keyring,
    /// The owner's public key every generation came sealed by (this account's own, for the owner).
    owner_key: Vec<u8>,
}

/// Signs `account` in and finds what it holds of `vault`: the owner unlocks the key file the server
/// keeps with `unlock`; a member opens the grants its owner sealed for it.
fn account_vault(account: &Account<'_>, vault: Option<&str>, unlock: &Unlock<'_>) -> Result<AccountVault> {
    let mut client = Client::new(account.server, None)?;
    let (session, identity) = sign_in(&mut client, account, false)?;
    let vaults = client.profile()?.vaults;
    let chosen = match vault {
        Some(id) => vaults.iter().find(|v| v.vault.eq_ignore_ascii_case(id.trim())),
        None if vaults.len() == 1 => vaults.first(),
        None if vaults.is_empty() => {
            return Err(Error::invalid(format!(
                "the account {} has no vault yet: register one with `credence sync register`",
                account.user
            )))
        }
        None => {
            let ids: Vec<&str> = vaults.iter().map(|v| v.vault.as_str()).collect();
            return Err(Error::invalid(format!(
                "the account has {} vaults ({}); say which with --vault-id",
                ids.len(),
                ids.join(", ")
            )));
        }
    };
    let chosen = chosen.ok_or_else(|| Error::not_found("vault on the server", vault.unwrap_or_default()))?;
    let vault_id = chosen.vault.clone();
    let keys = client.vault_keys(&vault_id)?;
    let (access, mut ring, owner_key) = match chosen.role {
        protocol::Role::Owner => {
            let key_file = KeyFile::from_bytes(&keys.key_file.0)
                .map_err(|e| Error::SyncRefused(format!("the server's copy of the key file does not read ({e})")))?;
            if !key_file.vault_id().eq_ignore_ascii_case(&vault_id) {
                return Err(Error::SyncRefused("the server's key file belongs to another vault".into()));
            }
            let vault_keys = match unlock {
                Unlock::Passphrase(passphrase) => key_file.unlock_with_passphrase(passphrase)?,
                Unlock::RecoveryKey(recovery) => key_file.unlock_with_recovery_key(recovery)?,
            };
            let ring = Keyring::first(&vault_id, &vault_keys.sync_root);
            (Access::Owner(Box::new(key_file), vault_keys), ring, identity.public().to_vec())
        }
        _ => {
            // The owner's key as the first grant names it (trust on first use: `credence sync members`
            // shows its fingerprint, for the two people to compare), then every generation by it.
            let grants = client.grants(&vault_id)?.grants;
            let owner_key = grants.iter().find(|g| g.epoch == 0).map(|g| g.from_public.0.clone()).unwrap_or_default();
            let mut ring = Keyring::empty(&vault_id);
            ring.open_grants(&grants, &identity, &session.user, &owner_key)?;
            let first = ring.root(0).map(|r| zeroize::Zeroizing::new(*r)).ok_or_else(|| {
                Error::SyncRefused("the vault is shared with this account, but the server holds no key for it".into())
            })?;
            (Access::Member(first), ring, owner_key)
        }
    };
    ring.learn(&client, &identity, &session.user, &owner_key, keys.epoch)?;
    prove_key(&ring, &vault_id, keys.epoch, &keys.check.0)?;
    Ok(AccountVault { client, session, identity, vault: vault_id, access, ring, owner_key })
}

/// Sets this machine up as a new device of a vault on the sync server: logs in, and creates the vault
/// at `path` from the newest snapshot (or empty) and the records after it. The owner's device unlocks
/// the key file the server keeps with the vault's passphrase or recovery key; a member of a shared
/// vault opens the key its owner sealed for it and makes a vault file of its own, under the passphrase
/// given (and a new recovery key, in the answer). `vault` picks one when the account has several.
pub fn join(path: &Path, account: &Account<'_>, vault: Option<&str>, unlock: Unlock<'_>) -> Result<Joined> {
    // Before anything goes over the network: the path must be free for the new vault.
    crate::vault::refuse_existing(path)?;
    let found = account_vault(account, vault, &unlock)?;
    let (key_file, keys, recovery_key) = match found.access {
        Access::Owner(key_file, keys) => (*key_file, keys, None),
        Access::Member(root) => {
            let Unlock::Passphrase(passphrase) = unlock else {
                return Err(Error::invalid(
                    "this vault is shared with you: your copy gets a passphrase of its own, not the owner's recovery key",
                ));
            };
            let (key_file, keys, recovery) = Vault::member_keys(&found.vault, root, passphrase)?;
            (key_file, keys, Some(recovery))
        }
    };
    let (mut vault, _) = snapshot::start_vault(&found.client, path, key_file, keys, &found.ring, None)?;
    vault.keep_epochs(&found.ring)?;
    vault.pin_owner(&found.owner_key)?;
    vault.remember_session(found.client.url(), &found.session, &found.identity)?;
    let report = vault.sync_now(&mut |_| {})?;
    Ok(Joined { vault, report, recovery_key })
}

/// Builds, at `path`, the vault as it was at `at` (point-in-time restore) from the server's snapshots
/// and records, on any machine with the account and the vault's passphrase or recovery key. The new
/// file opens with them; sync is off for it (it is a copy of the past, not another device). A member of
/// a shared vault restores from its own copy instead (`Vault::sync_restore`).
pub fn restore(
    path: &Path,
    account: &Account<'_>,
    vault: Option<&str>,
    unlock: Unlock<'_>,
    at: chrono::DateTime<chrono::Utc>,
) -> Result<RestoreReport> {
    crate::vault::refuse_existing(path)?;
    let found = account_vault(account, vault, &unlock)?;
    let Access::Owner(key_file, keys) = found.access else {
        return Err(Error::invalid(
            "this vault is shared with you: restore from your own copy of it (credence sync restore --at … --out … \
             with that vault)",
        ));
    };
    restore_with(&found.client, path, *key_file, keys, &found.ring, at).map(|(_, report)| report)
}

impl Vault {
    /// Builds, at `out`, this vault as it was at `at` (point-in-time restore) from the server's
    /// snapshots and records; it opens with this vault's passphrase and recovery key. Sync is off for
    /// the copy.
    pub fn sync_restore(&self, at: chrono::DateTime<chrono::Utc>, out: &Path) -> Result<RestoreReport> {
        crate::vault::refuse_existing(out)?;
        let client = self.sync_client()?;
        let (key_file, keys) = self.key_copies()?;
        let ring = self.current_keyring(&client, &client.vault_keys(self.vault_id())?)?;
        restore_with(&client, out, key_file, keys, &ring, at).map(|(_, report)| report)
    }

    /// The same restore, written as a backup file at `out` (replaced if it exists, as a backup is):
    /// restoring that backup (`credence restore`, the app's Settings) makes it the vault, the current
    /// one kept aside. The vault is built beside `out` first and removed afterwards.
    pub fn sync_restore_backup(&self, at: chrono::DateTime<chrono::Utc>, out: &Path) -> Result<RestoreReport> {
        let client = self.sync_client()?;
        let (key_file, keys) = self.key_copies()?;
        let staging = crate::files::temp_beside(out, ".restoring");
        let ring = self.current_keyring(&client, &client.vault_keys(self.vault_id())?)?;
        let (restored, report) = restore_with(&client, &staging, key_file, keys, &ring, at)?;
        let written = restored.backup(out);
        drop(restored);
        remove_vault_files(&staging);
        written?;
        Ok(RestoreReport { path: out.to_owned(), ..report })
    }

    /// Whether logging in to the sync account asks for a second factor.
    pub fn sync_totp_on(&self) -> Result<bool> {
        Ok(self.sync_client()?.profile()?.totp)
    }
}

/// Removes a vault file and its companions (a restore that did not finish, or its staging copy).
fn remove_vault_files(path: &Path) {
    for file in [
        path.to_owned(),
        crate::vault::key_file_path(path),
        crate::files::beside(path, "-wal"),
        crate::files::beside(path, "-shm"),
        crate::files::beside(path, ".lock"),
    ] {
        let _ = std::fs::remove_file(file);
    }
}

fn restore_with(
    client: &Client,
    path: &Path,
    key_file: KeyFile,
    keys: crate::vault::VaultKeys,
    ring: &Keyring,
    at: chrono::DateTime<chrono::Utc>,
) -> Result<(Vault, RestoreReport)> {
    let (mut restored, snapshot) = snapshot::start_vault(client, path, key_file, keys, ring, Some(at))?;
    // The copy is not a device of the vault: it forgets the server once it is built.
    let built = restored.pull(client, ring, Some(at), &mut |_| {}).and_then(|records| {
        state::leave(&restored.conn)?;
        Ok(records)
    });
    match built {
        Ok(records) => Ok((restored, RestoreReport { path: path.to_owned(), at, snapshot, records })),
        Err(e) => {
            // Half a past is worse than none: the unfinished copy goes.
            drop(restored);
            remove_vault_files(path);
            Err(e)
        }
    }
}

/// A moment as a person writes it for a restore: RFC 3339 (`2026-11-20T18:00:00Z`, or with an offset),
/// a local date and time (`2026-11-20 18:00`), or a date (its end, local time).
pub fn parse_moment(text: &str) -> Result<chrono::DateTime<chrono::Utc>> {
    use chrono::{Local, NaiveDate, NaiveDateTime, TimeZone};
    let text = text.trim();
    if let Ok(at) = chrono::DateTime::parse_from_rfc3339(text) {
        return Ok(at.with_timezone(&chrono::Utc));
    }
    let local = ["%Y-%m-%d %H:%M:%S", "%Y-%m-%d %H:%M", "%Y-%m-%dT%H:%M:%S", "%Y-%m-%dT%H:%M"]
        .iter()
        .find_map(|f| NaiveDateTime::parse_from_str(text, f).ok())
        .or_else(|| {
            NaiveDate::parse_from_str(text, "%Y-%m-%d").ok().and_then(|d| d.and_hms_milli_opt(23, 59, 59, 999))
        });
    local
        .and_then(|naive| Local.from_local_datetime(&naive).earliest())
        .map(|at| at.with_timezone(&chrono::Utc))
        .ok_or_else(|| {
            Error::invalid(format!(
                "{text:?} is not a moment; write it like 2026-11-20T18:00:00Z, 2026-11-20 18:00 (local time) or 2026-11-20"
            ))
        })
}
