//! Snapshots and point-in-time restore (docs/sync.md, "Snapshots and restore"). A snapshot is a
//! device's whole vault at one moment — ledger, change log and each device's place in its series —
//! copied into a database encrypted under a key derived from the sync root (`VaultKeys::for_snapshot`),
//! then sealed in parts like records, so the server keeps bytes it cannot read, reorder or cut. A new
//! device, or a restore, starts from the newest fitting snapshot and reads only the records after it.
//!
//! A snapshot is taken right after a sync that left nothing waiting: every operation of this device is
//! in a record the server acknowledged before the snapshot's cursor, so what comes after the cursor is
//! never something the snapshot already holds.

use std::fs::{self, File};
use std::io::{Read, Write};
use std::path::{Path, PathBuf};

use chrono::{DateTime, Utc};
use credence_protocol as protocol;
use zeroize::Zeroizing;

use super::client::Client;
use super::keyring::Keyring;
use super::record::{self, RecordId};
use super::state;
use crate::error::{Error, Result};
use crate::files;
use crate::vault::{KeyFile, Vault, VaultKeys};

/// Bytes of the snapshot database per sealed part (with the part's 4-byte length it seals to 8 MiB).
const PART_BYTES: usize = 8 * 1024 * 1024 - 4096;
/// A vault syncing with a server takes a snapshot when the newest is older than this (and something
/// arrived since), so a new device or a restore reads at most about a week of records.
const SNAPSHOT_EVERY: chrono::TimeDelta = chrono::TimeDelta::days(7);
/// Syncs tried before a snapshot, to leave nothing waiting (a merge may write renames of its own).
const SETTLE_TRIES: usize = 3;

/// Where part `part` of snapshot `id` belongs: the vault, the snapshot and its number of parts are bound
/// into every part, so the server can neither mix parts of two snapshots nor drop the last ones.
fn part_id<'a>(vault: &'a str, series: &'a str, part: u32) -> RecordId<'a> {
    RecordId { vault, device: series, seq: u64::from(part) }
}

fn series_name(id: &str, parts: u32) -> String {
    format!("snapshot-{id}-of-{parts}")
}

/// A snapshot on the server (`credence sync snapshots`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SyncSnapshot {
    pub id: String,
    pub device: String,
    /// The records it holds: every one that arrived up to this cursor.
    pub cursor: u64,
    pub bytes: u64,
    /// Nothing in it is newer than this.
    pub taken_at: DateTime<Utc>,
    pub stored_at: DateTime<Utc>,
}

impl From<protocol::Snapshot> for SyncSnapshot {
    fn from(s: protocol::Snapshot) -> Self {
        SyncSnapshot {
            id: s.id,
            device: s.device,
            cursor: s.cursor,
            bytes: s.bytes,
            taken_at: s.taken_at,
            stored_at: s.stored_at,
        }
    }
}

/// What a restore built.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RestoreReport {
    pub path: PathBuf,
    /// The moment restored.
    pub at: DateTime<Utc>,
    /// The snapshot it started from, if one was old enough.
    pub snapshot: Option<String>,
    /// Records read after the snapshot (or from the start); those newer than `at` were read and left out.
    pub records: u64,
}

/// Removes a snapshot database and its companions however the work on it ended.
struct TempDatabase(PathBuf);

impl Drop for TempDatabase {
    fn drop(&mut self) {
        for suffix in ["", "-wal", "-shm", "-journal"] {
            let _ = fs::remove_file(files::beside(&self.0, suffix));
        }
    }
}

impl Vault {
    /// The vault's snapshots on the server, newest first.
    pub fn sync_snapshots(&self) -> Result<Vec<SyncSnapshot>> {
        let client = self.sync_client()?;
        Ok(client.snapshots(self.vault_id())?.snapshots.into_iter().map(SyncSnapshot::from).collect())
    }

    /// Takes a snapshot if the newest on the server is more than a week old and records arrived since
    /// (a syncing device calls this after a sync). A viewer's device never does: it may not write.
    pub fn sync_snapshot_if_due(&mut self, now: DateTime<Utc>) -> Result<Option<SyncSnapshot>> {
        if state::get(&self.conn, state::ROLE)?.as_deref() == Some(super::MemberRole::Viewer.as_str()) {
            return Ok(None);
        }
        let seen = state::get(&self.conn, state::SNAPSHOT_SEEN)?
            .and_then(|t| DateTime::parse_from_rfc3339(&t).ok())
            .map(|t| t.with_timezone(&Utc));
        if seen.is_some_and(|stored| now - stored < SNAPSHOT_EVERY) {
            return Ok(None);
        }
        let client = self.sync_client()?;
        let cursor = state::get_number(&self.conn, state::CURSOR)? as u64;
        let newest = client.snapshots(self.vault_id())?.snapshots.into_iter().next();
        if let Some(s) = &newest {
            state::set(&self.conn, state::SNAPSHOT_SEEN, &s.stored_at.to_rfc3339())?;
        }
        let due = match &newest {
            None => cursor > 0,
            Some(s) => s.cursor < cursor && now - s.stored_at >= SNAPSHOT_EVERY,
        };
        if !due {
            return Ok(None);
        }
        self.sync_snapshot()
    }

    /// Syncs, then uploads a snapshot of the vault as it stands. `None` when the vault kept changing
    /// while it was taken (another window writing): nothing was uploaded, and the next one will do.
    pub fn sync_snapshot(&mut self) -> Result<Option<SyncSnapshot>> {
        let client = self.sync_client()?;
        let ring = self.current_keyring(&client, &client.vault_keys(self.vault_id())?)?;
        if !self.settle(&client, &ring)? {
            return Ok(None);
        }
        let vault = self.vault_id().to_string();
        let copy = TempDatabase(files::temp_beside(self.path(), ".snapshot"));
        let Some((cursor, taken_at)) = self.prepare_copy(&copy.0)? else { return Ok(None) };

        let size = fs::metadata(&copy.0).map_err(Error::io(&copy.0))?.len();
        let parts = u32::try_from(size.div_ceil(PART_BYTES as u64).max(1))
            .map_err(|_| Error::invalid("the vault is too large for one snapshot"))?;
        let id = uuid::Uuid::new_v4().simple().to_string();
        let new = protocol::NewSnapshot { id: id.clone(), device: self.device_id()?, cursor, parts, taken_at };
        client.begin_snapshot(&vault, &new)?;
        let series = series_name(&id, parts);
        let epoch = ring.newest();
        let key = ring.key(epoch)?;
        let mut file = File::open(&copy.0).map_err(Error::io(&copy.0))?;
        for part in 0..parts {
            let mut chunk = Zeroizing::new(Vec::with_capacity(PART_BYTES));
            (&mut file).take(PART_BYTES as u64).read_to_end(&mut chunk).map_err(Error::io(&copy.0))?;
            let sealed = record::seal_in(&key, epoch, &part_id(&vault, &series, part), &chunk)?;
            client.put_snapshot_part(&vault, &id, part, sealed)?;
        }
        let stored = client.complete_snapshot(&vault, &id)?;
        state::set(&self.conn, state::SNAPSHOT_SEEN, &stored.stored_at.to_rfc3339())?;
        Ok(Some(stored.into()))
    }

    /// Syncs until nothing of this device waits and the cursor is past its own last record; false when
    /// that does not happen in a few tries.
    fn settle(&mut self, client: &Client, ring: &Keyring) -> Result<bool> {
        for _ in 0..SETTLE_TRIES {
            let pushed = self.push(client, ring, &mut |_| {})?;
            // Pulled after the push, so the cursor passes this device's own records too.
            self.pull(client, ring, None, &mut |_| {})?;
            if pushed == 0 && self.sync_status()?.pending == 0 {
                return Ok(true);
            }
        }
        Ok(false)
    }

    /// Checks the exported copy holds nothing of this device that is not on the server (it was taken
    /// between syncs: nothing may have been written after the last one), and clears what belongs to
    /// this device alone: of the sync settings only the cursor stays (no session, server address, key
    /// pair or later key generations), and the outbox is empty. Answers the copy's cursor and
    /// the time nothing in it is newer than; `None` when something was written meanwhile.
    fn prepare_copy(&self, copy: &Path) -> Result<Option<(u64, DateTime<Utc>)>> {
        let conn = self.export_snapshot(copy).map_err(|e| e.full_disk_at(copy))?;
        let device = self.device_id()?;
        let sealed = state::get_number(&conn, state::SEALED_OP)?;
        let unsent: i64 = conn.query_row(
            "SELECT (SELECT count(*) FROM sync_outbox) + (SELECT count(*) FROM operations WHERE device_id = ?1 AND id > ?2)",
            rusqlite::params![device, sealed],
            |r| r.get(0),
        )?;
        if unsent > 0 {
            return Ok(None);
        }
        let last_seq = state::get_number(&conn, state::NEXT_SEQ)?.max(1) - 1;
        state::for_snapshot(&conn, &device, last_seq)?;
        let cursor = state::get_number(&conn, state::CURSOR)? as u64;
        let taken_at = newest_change(&conn)?.unwrap_or_else(Utc::now);
        conn.close().map_err(|(_, e)| Error::from(e))?;
        Ok(Some((cursor, taken_at)))
    }
}

/// When the newest change in a vault's change log was made.
fn newest_change(conn: &rusqlite::Connection) -> Result<Option<DateTime<Utc>>> {
    let newest: Option<String> = conn.query_row("SELECT max(hlc) FROM operations", [], |r| r.get(0))?;
    Ok(newest.as_deref().and_then(crate::journal::stamp_millis).and_then(DateTime::from_timestamp_millis))
}

/// Downloads snapshot `snapshot` into a new encrypted database beside `near`, checking every part.
fn download(
    client: &Client,
    ring: &Keyring,
    vault: &str,
    snapshot: &protocol::Snapshot,
    near: &Path,
) -> Result<TempDatabase> {
    let file = TempDatabase(files::temp_beside(near, ".snapshot"));
    let mut out = files::create_new(&file.0)?;
    let series = series_name(&snapshot.id, snapshot.parts);
    for part in 0..snapshot.parts {
        let sealed = client.snapshot_part(vault, &snapshot.id, part)?;
        let epoch = record::epoch_of(&sealed.data.0).unwrap_or_default();
        let chunk = ring
            .key(epoch)
            .and_then(|key| record::open(&key, &part_id(vault, &series, part), &sealed.data.0))
            .map_err(|e| Error::SyncRefused(format!("snapshot {}: {e}", snapshot.id)))?;
        out.write_all(&chunk).map_err(|e| Error::io(&file.0)(e).full_disk_at(&file.0))?;
    }
    out.sync_all().map_err(Error::io(&file.0))?;
    Ok(file)
}

/// A new vault at `path` for the vault whose key file and keys these are: from the newest snapshot on
/// the server whose contents are no newer than `until` (any snapshot when `None`), or empty when there
/// is none. Answers the vault and the snapshot it started from.
pub(super) fn start_vault(
    client: &Client,
    path: &Path,
    key_file: KeyFile,
    keys: VaultKeys,
    ring: &Keyring,
    until: Option<DateTime<Utc>>,
) -> Result<(Vault, Option<String>)> {
    let vault = key_file.vault_id().to_string();
    let chosen = client.snapshots(&vault)?.snapshots.into_iter().find(|s| until.is_none_or(|at| s.taken_at <= at));
    let Some(snapshot) = chosen else { return Ok((Vault::create_joined(path, key_file, keys)?, None)) };
    files::create_dir_owner_only(files::folder_of(path))?;
    let file = download(client, ring, &vault, &snapshot, path)?;
    if let Some(at) = until {
        let conn = Vault::open_snapshot(&file.0, &key_file, &keys)?;
        if newest_change(&conn)?.is_some_and(|newest| newest > at) {
            return Err(Error::SyncRefused(format!(
                "snapshot {} holds changes newer than the server says it does; nothing was restored",
                snapshot.id
            )));
        }
    }
    Ok((Vault::create_from_snapshot(path, key_file, keys, &file.0)?, Some(snapshot.id)))
}
