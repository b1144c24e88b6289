//! What this device keeps about sync, in its own tables beside the ledger (migration 0010): settings
//! and progress (`sync_state`), sealed records awaiting the server's receipt (`sync_outbox`), each
//! other device's place in its series (`sync_devices`) and what last-writer-wins decided against
//! (`sync_conflicts`). Bookkeeping, not ledger: written here, never through the change log.

use rusqlite::{params, Connection, OptionalExtension};

use crate::error::Result;

/// Keys of `sync_state`.
pub(crate) const SERVER: &str = "server";
pub(crate) const USER: &str = "user";
pub(crate) const TOKEN: &str = "token";
/// The newest record cursor applied (or skipped as this device's own).
pub(crate) const CURSOR: &str = "cursor";
/// The newest operation of this device sealed into the outbox.
pub(crate) const SEALED_OP: &str = "sealed_op";
/// The seq the next sealed record gets.
pub(crate) const NEXT_SEQ: &str = "next_seq";
pub(crate) const LAST_SYNC: &str = "last_sync";
/// The account's private key for sharing (hex; the vault itself is encrypted). Never in a snapshot.
pub(crate) const IDENTITY: &str = "identity";
/// What the account may do with the vault, as the server last said (`owner`, `editor`, `viewer`).
pub(crate) const ROLE: &str = "role";
/// The vault owner's public key (hex) as this device first learnt it: every later key of the vault
/// must come sealed by it.
pub(crate) const OWNER_KEY: &str = "owner_key";
/// When the newest snapshot this device knows of was stored (RFC 3339), so a sync asks the server about
/// snapshots only once a week.
pub(crate) const SNAPSHOT_SEEN: &str = "snapshot_seen";

/// Later generations of the vault's key are kept under `root:<epoch>`.
const EPOCH_ROOT: &str = "root:";

/// The later generations of the vault's key kept here, `(epoch, hex)`.
pub(crate) fn epoch_roots(conn: &Connection) -> Result<Vec<(u32, String)>> {
    let mut query = conn.prepare_cached("SELECT key, value FROM sync_state WHERE key LIKE 'root:%'")?;
    let rows = query.query_map([], |r| Ok((r.get::<_, String>(0)?, r.get::<_, String>(1)?)))?;
    let mut out = Vec::new();
    for row in rows {
        let (key, value) = row?;
        if let Some(epoch) = key.strip_prefix(EPOCH_ROOT).and_then(|e| e.parse().ok()) {
            out.push((epoch, value));
        }
    }
    Ok(out)
}

pub(crate) fn set_epoch_root(conn: &Connection, epoch: u32, hex: &str) -> Result<()> {
    set(conn, &format!("{EPOCH_ROOT}{epoch}"), hex)
}

pub(crate) fn get(conn: &Connection, key: &str) -> Result<Option<String>> {
    Ok(conn.query_row("SELECT value FROM sync_state WHERE key = ?1", [key], |r| r.get(0)).optional()?)
}

pub(crate) fn get_number(conn: &Connection, key: &str) -> Result<i64> {
    Ok(get(conn, key)?.and_then(|v| v.parse().ok()).unwrap_or(0))
}

pub(crate) fn set(conn: &Connection, key: &str, value: &str) -> Result<()> {
    conn.prepare_cached(
        "INSERT INTO sync_state (key, value) VALUES (?1, ?2) ON CONFLICT (key) DO UPDATE SET value = ?2",
    )?
    .execute([key, value])?;
    Ok(())
}

/// Puts a sealed record in the outbox. `last_op` names the operation it completes, if it does.
pub(crate) fn outbox_add(conn: &Connection, seq: i64, op_id: i64, last_op: Option<i64>, data: &[u8]) -> Result<()> {
    conn.prepare_cached("INSERT INTO sync_outbox (seq, op_id, last_op, data) VALUES (?1, ?2, ?3, ?4)")?
        .execute(params![seq, op_id, last_op, data])?;
    Ok(())
}

/// The oldest records waiting, up to `max_bytes` in all (at least one).
pub(crate) fn outbox_batch(conn: &Connection, max_records: usize, max_bytes: usize) -> Result<Vec<(i64, Vec<u8>)>> {
    let mut query = conn.prepare_cached("SELECT seq, data FROM sync_outbox ORDER BY seq LIMIT ?1")?;
    let rows = query.query_map([max_records as i64], |r| Ok((r.get::<_, i64>(0)?, r.get::<_, Vec<u8>>(1)?)))?;
    let mut batch = Vec::new();
    let mut bytes = 0;
    for row in rows {
        let (seq, data) = row?;
        if !batch.is_empty() && bytes + data.len() > max_bytes {
            break;
        }
        bytes += data.len();
        batch.push((seq, data));
    }
    Ok(batch)
}

pub(crate) fn outbox_len(conn: &Connection) -> Result<u64> {
    Ok(conn.query_row("SELECT count(*) FROM sync_outbox", [], |r| r.get::<_, i64>(0))? as u64)
}

/// Forgets records the server has acknowledged.
pub(crate) fn outbox_remove_through(conn: &Connection, seq: i64) -> Result<()> {
    conn.execute("DELETE FROM sync_outbox WHERE seq <= ?1", [seq])?;
    Ok(())
}

pub(crate) fn device_last_seq(conn: &Connection, device: &str) -> Result<i64> {
    Ok(conn
        .prepare_cached("SELECT last_seq FROM sync_devices WHERE device = ?1")?
        .query_row([device], |r| r.get(0))
        .optional()?
        .unwrap_or(0))
}

pub(crate) fn set_device_last_seq(conn: &Connection, device: &str, seq: i64) -> Result<()> {
    conn.prepare_cached(
        "INSERT INTO sync_devices (device, last_seq) VALUES (?1, ?2) ON CONFLICT (device) DO UPDATE SET last_seq = ?2",
    )?
    .execute(params![device, seq])?;
    Ok(())
}

/// One decision last-writer-wins took against a write.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct ConflictRow<'a> {
    pub entity: i64,
    pub entity_id: uuid::Uuid,
    pub field: Option<&'a str>,
    pub kept: Option<String>,
    pub kept_hlc: Option<&'a str>,
    pub lost: Option<String>,
    pub lost_hlc: &'a str,
    pub lost_device: &'a str,
}

pub(crate) fn add_conflict(conn: &Connection, row: &ConflictRow<'_>) -> Result<()> {
    let now = chrono::Utc::now().to_rfc3339_opts(chrono::SecondsFormat::Secs, true);
    conn.prepare_cached(
        "INSERT INTO sync_conflicts (decided_at, entity, entity_id, field, kept, kept_hlc, lost, lost_hlc, lost_device)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)",
    )?
    .execute(params![
        now,
        row.entity,
        row.entity_id,
        row.field,
        row.kept,
        row.kept_hlc,
        row.lost,
        row.lost_hlc,
        row.lost_device
    ])?;
    Ok(())
}

/// Forgets everything about the server (leaving sync): its address, the session, the progress, the
/// records waiting; the ledger and the conflicts list are untouched. Turned on again (on any server),
/// the vault's whole history goes up again.
pub(crate) fn leave(conn: &Connection) -> Result<()> {
    conn.execute_batch("DELETE FROM sync_state; DELETE FROM sync_outbox; DELETE FROM sync_devices;")?;
    Ok(())
}

/// Makes an exported copy of this vault a snapshot (`snapshot`): only the cursor stays of the sync
/// settings (the session, the server's address and this device's numbering are its own), the outbox is
/// empty, and this device's records up to `last_seq` count as applied, as they are.
pub(crate) fn for_snapshot(conn: &Connection, device: &str, last_seq: i64) -> Result<()> {
    conn.execute("DELETE FROM sync_state WHERE key != ?1", [CURSOR])?;
    conn.execute("DELETE FROM sync_outbox", [])?;
    set_device_last_seq(conn, device, last_seq)
}
