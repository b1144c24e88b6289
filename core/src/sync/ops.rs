//! Operations as they travel (docs/sync.md): this device's operations, read back from the change log,
//! become payloads of one or more pieces (an import of a million rows travels as a few hundred), each
//! sealed into one record. An insert carries its row as it was inserted (later edits travel as their
//! own operations); an update carries the field's new value; a delete carries the row's id. This is a
//! stored and exchanged format: fields may be added, never renamed or given another meaning.

use std::collections::HashMap;

use rusqlite::types::Value;
use rusqlite::Connection;
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value as Json};
use uuid::Uuid;

use crate::error::{Error, Result};
use crate::journal::{row_json, value_json, Entity};

/// The payload format this version writes and reads.
pub(crate) const PAYLOAD_VERSION: u32 = 1;

/// A piece is closed once its changes reach about this many bytes of JSON.
const PIECE_BYTES: usize = 1024 * 1024;

/// One piece of one operation.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub(crate) struct Piece {
    pub v: u32,
    /// The operation's clock stamp (it names the device that made it).
    pub hlc: String,
    pub summary: String,
    pub undoable: bool,
    /// Whether this piece completes the operation.
    pub last: bool,
    pub changes: Vec<WireChange>,
}

/// A change as it travels. `entity` is the change log's entity code.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "k", rename_all = "snake_case")]
pub(crate) enum WireChange {
    Insert { entity: i64, id: Uuid, row: Map<String, Json> },
    Update { entity: i64, id: Uuid, field: String, value: Json },
    Delete { entity: i64, id: Uuid },
}

impl WireChange {
    /// Roughly its size as JSON: what decides when a piece is full.
    fn size(&self) -> usize {
        match self {
            WireChange::Insert { row, .. } => 64 + row.iter().map(|(k, v)| k.len() + json_size(v) + 4).sum::<usize>(),
            WireChange::Update { field, value, .. } => 96 + field.len() + json_size(value),
            WireChange::Delete { .. } => 72,
        }
    }
}

fn json_size(v: &Json) -> usize {
    match v {
        Json::String(s) => s.len() + 2,
        Json::Null => 4,
        other => other.to_string().len(),
    }
}

impl Piece {
    pub(crate) fn to_bytes(&self) -> Result<Vec<u8>> {
        serde_json::to_vec(self).map_err(|e| Error::Sync(format!("cannot encode an operation: {e}")))
    }

    pub(crate) fn from_bytes(bytes: &[u8]) -> Result<Piece> {
        let piece: Piece = serde_json::from_slice(bytes).map_err(|e| {
            Error::SyncRefused(format!("a record opened but does not hold an operation this version reads ({e})"))
        })?;
        if piece.v > PAYLOAD_VERSION {
            return Err(Error::Sync(format!(
                "another device writes sync records of a newer Credence (format {}); update Credence on this device",
                piece.v
            )));
        }
        Ok(piece)
    }
}

/// An operation of this device, as the change log holds it.
#[derive(Debug, Clone)]
pub(crate) struct LocalOp {
    pub id: i64,
    pub hlc: String,
    pub summary: String,
    pub undoable: bool,
}

/// This device's operations after operation `after`, oldest first, at most `limit`.
pub(crate) fn local_ops_after(conn: &Connection, device: &str, after: i64, limit: usize) -> Result<Vec<LocalOp>> {
    let mut query = conn.prepare_cached(
        "SELECT id, hlc, summary, undoable FROM operations WHERE device_id = ?1 AND id > ?2 ORDER BY id LIMIT ?3",
    )?;
    let rows = query.query_map(rusqlite::params![device, after, limit as i64], |r| {
        Ok(LocalOp { id: r.get(0)?, hlc: r.get(1)?, summary: r.get(2)?, undoable: r.get(3)? })
    })?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

/// Every piece of `op`, in order, handed to `emit` as it fills (an operation with no change still
/// travels, as one empty piece, so the other devices' logs match).
pub(crate) fn pieces_of(conn: &Connection, op: &LocalOp, emit: &mut dyn FnMut(Piece) -> Result<()>) -> Result<()> {
    let mut query = conn.prepare_cached(
        "SELECT kind, entity, entity_id, field, new_value FROM changes WHERE op_id = ?1 ORDER BY seq",
    )?;
    let rows = query.query_map([op.id], |r| {
        Ok((
            r.get::<_, i64>(0)?,
            r.get::<_, i64>(1)?,
            r.get::<_, Vec<u8>>(2)?,
            r.get::<_, Option<String>>(3)?,
            r.get::<_, Option<String>>(4)?,
        ))
    })?;
    let piece = |changes: Vec<WireChange>, last: bool| Piece {
        v: PAYLOAD_VERSION,
        hlc: op.hlc.clone(),
        summary: op.summary.clone(),
        undoable: op.undoable,
        last,
        changes,
    };
    let mut changes: Vec<WireChange> = Vec::new();
    let mut bytes = 0;
    for row in rows {
        let (kind, code, ids, field, new) = row?;
        let entity = Entity::from_code(code)
            .ok_or_else(|| Error::Damaged(format!("unknown entity {code} in the change log")))?;
        let out: Vec<WireChange> = match kind {
            1 => inserted_rows(conn, entity, op.id, &ids)?
                .into_iter()
                .map(|(id, row)| WireChange::Insert { entity: code, id, row })
                .collect(),
            2 => {
                let field = field.ok_or_else(|| Error::Damaged("a logged update has no field".into()))?;
                let value = match new {
                    Some(text) => serde_json::from_str(&text)
                        .map_err(|e| Error::Damaged(format!("unreadable change-log entry: {e}")))?,
                    None => Json::Null,
                };
                vec![WireChange::Update { entity: code, id: one_id(&ids)?, field, value }]
            }
            3 => vec![WireChange::Delete { entity: code, id: one_id(&ids)? }],
            other => return Err(Error::Damaged(format!("unknown change kind {other} in the change log"))),
        };
        for change in out {
            bytes += change.size();
            changes.push(change);
            if bytes >= PIECE_BYTES {
                emit(piece(std::mem::take(&mut changes), false))?;
                bytes = 0;
            }
        }
    }
    emit(piece(changes, true))
}

fn one_id(bytes: &[u8]) -> Result<Uuid> {
    Uuid::from_slice(bytes).map_err(|_| Error::Damaged("a change-log entry has a malformed id".into()))
}

/// The rows an insert entry of operation `op_id` inserted, as they were then: the row as it is now (or
/// as its deletion kept it), with every field a later update changed set back to what it replaced.
fn inserted_rows(
    conn: &Connection,
    entity: Entity,
    op_id: i64,
    packed: &[u8],
) -> Result<Vec<(Uuid, Map<String, Json>)>> {
    if packed.is_empty() || !packed.len().is_multiple_of(16) {
        return Err(Error::Damaged("a change-log entry has a malformed id".into()));
    }
    let ids: Vec<Uuid> = packed.chunks_exact(16).map(one_id).collect::<Result<_>>()?;
    let columns = entity.columns();
    let marks = vec!["?"; ids.len()].join(", ");
    let sql = format!("SELECT id, {} FROM {} WHERE id IN ({marks})", columns.join(", "), entity.table());
    let mut query = conn.prepare_cached(&sql)?;
    let mut now: HashMap<Uuid, Map<String, Json>> = HashMap::with_capacity(ids.len());
    let mut rows = query.query(rusqlite::params_from_iter(ids.iter()))?;
    while let Some(r) = rows.next()? {
        let id: Uuid = r.get(0)?;
        let values: Vec<Value> = (1..=columns.len()).map(|i| r.get(i)).collect::<rusqlite::Result<_>>()?;
        let Json::Object(map) = row_json(columns.iter().copied().zip(values.iter())) else { continue };
        now.insert(id, map);
    }
    // Rows deleted since: their deletion kept them whole.
    let mut deleted = conn.prepare_cached(
        "SELECT old_value FROM changes WHERE kind = 3 AND entity_id = ?1 AND op_id > ?2 ORDER BY op_id LIMIT 1",
    )?;
    let gone: Vec<Uuid> = ids.iter().filter(|id| !now.contains_key(id)).copied().collect();
    for id in &gone {
        let snapshot: Option<String> =
            rusqlite::OptionalExtension::optional(deleted.query_row(rusqlite::params![id, op_id], |r| r.get(0)))?;
        let snapshot =
            snapshot.ok_or_else(|| Error::Damaged(format!("{} {id} left no trace of its deletion", entity.name())))?;
        match serde_json::from_str(&snapshot) {
            Ok(Json::Object(map)) => {
                now.insert(*id, map);
            }
            _ => return Err(Error::Damaged("a logged delete has no row snapshot".into())),
        }
    }
    // Later edits set back, newest first, so the oldest edit's old value is what remains.
    let sql = format!(
        "SELECT entity_id, field, old_value FROM changes WHERE kind = 2 AND entity_id IN ({marks}) AND op_id > ? ORDER BY op_id DESC, seq DESC"
    );
    let mut later = conn.prepare_cached(&sql)?;
    let mut bound: Vec<Value> = ids.iter().map(|id| Value::Blob(id.as_bytes().to_vec())).collect();
    bound.push(Value::Integer(op_id));
    let mut rows = later.query(rusqlite::params_from_iter(bound.iter()))?;
    while let Some(r) = rows.next()? {
        let (id, field, old): (Uuid, String, Option<String>) = (r.get(0)?, r.get(1)?, r.get(2)?);
        let old = old
            .map(|t| serde_json::from_str(&t))
            .transpose()
            .map_err(|e| Error::Damaged(format!("unreadable change-log entry: {e}")))?;
        if let Some(row) = now.get_mut(&id) {
            row.insert(field, old.unwrap_or(Json::Null));
        }
    }
    ids.into_iter()
        .map(|id| {
            now.remove(&id)
                .map(|row| (id, row))
                .ok_or_else(|| Error::Damaged(format!("{} {id} is missing", entity.name())))
        })
        .collect()
}

/// The value of column `column` in a travelling row (absent in a row from an older Credence: NULL).
pub(crate) fn row_value(row: &Map<String, Json>, column: &str) -> Value {
    row.get(column).map_or(Value::Null, |v| crate::journal::json_value(column, v))
}

/// A value as conflicts list it.
pub(crate) fn shown(value: &Value) -> String {
    value_json(value).to_string()
}
