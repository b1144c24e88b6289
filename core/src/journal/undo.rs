//! Undo and the audit view, both read from the change log.

use rusqlite::types::Value;
use rusqlite::{params, OptionalExtension};
use serde_json::Value as Json;
use uuid::Uuid;

use super::{json_value, Entity, Writer};
use crate::error::{Error, Result};
use crate::vault::Vault;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ChangeKind {
    Insert,
    Update,
    Delete,
}

impl ChangeKind {
    pub fn as_str(self) -> &'static str {
        match self {
            ChangeKind::Insert => "insert",
            ChangeKind::Update => "update",
            ChangeKind::Delete => "delete",
        }
    }

    pub(crate) fn code(self) -> i64 {
        match self {
            ChangeKind::Insert => 1,
            ChangeKind::Update => 2,
            ChangeKind::Delete => 3,
        }
    }

    fn from_code(code: i64) -> Result<Self> {
        [ChangeKind::Insert, ChangeKind::Update, ChangeKind::Delete]
            .into_iter()
            .find(|k| k.code() == code)
            .ok_or_else(|| Error::Damaged(format!("unknown change kind {code} in the change log")))
    }
}

/// One user action as the change log recorded it.
#[derive(Debug, Clone, PartialEq)]
pub struct Operation {
    pub id: i64,
    pub hlc: String,
    pub device_id: String,
    pub summary: String,
    pub undoes: Option<i64>,
    pub undone_by: Option<i64>,
    pub changes: Vec<Change>,
}

/// One row-level change: `old` holds the whole row for a delete, `old`/`new` one field's values for an
/// update; an insert has neither (the row itself holds what was inserted).
#[derive(Debug, Clone, PartialEq)]
pub struct Change {
    pub kind: ChangeKind,
    pub entity: &'static str,
    pub entity_id: String,
    pub field: Option<String>,
    pub old: Option<Json>,
    pub new: Option<Json>,
}

impl Operation {
    /// When the operation happened, by the wall clock of the device that made it.
    pub fn time(&self) -> Option<chrono::DateTime<chrono::Utc>> {
        let millis = self.hlc.split('-').next()?.parse::<i64>().ok()?;
        chrono::DateTime::from_timestamp_millis(millis)
    }
}

impl Vault {
    /// Reverts the most recent operation that is not itself an undo and not undone yet, as a new
    /// operation (so undo is in the log too, and sync sees it as ordinary changes). Returns the summary
    /// of what was undone.
    pub fn undo(&mut self) -> Result<String> {
        let target: Option<(i64, String)> = self
            .conn
            .query_row(
                "SELECT id, summary FROM operations
                 WHERE undoable = 1 AND undoes IS NULL AND undone_by IS NULL
                 ORDER BY id DESC LIMIT 1",
                [],
                |r| Ok((r.get(0)?, r.get(1)?)),
            )
            .optional()?;
        let (target, summary) = target.ok_or(Error::NothingToUndo)?;
        let changes = load_changes(&self.conn, target)?;
        self.write(&format!("Undo: {summary}"), |w| {
            for change in changes.iter().rev() {
                revert(w, change).map_err(|e| Error::CannotUndo { summary: summary.clone(), why: e.to_string() })?;
            }
            w.conn().execute("UPDATE operations SET undoes = ?1 WHERE id = ?2", params![target, w.op_id])?;
            w.conn().execute("UPDATE operations SET undone_by = ?1 WHERE id = ?2", params![w.op_id, target])?;
            Ok(())
        })?;
        Ok(summary)
    }

    /// The newest `limit` operations with their changes, newest first: the audit view.
    pub fn history(&self, limit: usize) -> Result<Vec<Operation>> {
        let mut stmt = self.conn.prepare(
            "SELECT id, hlc, device_id, summary, undoes, undone_by FROM operations ORDER BY id DESC LIMIT ?1",
        )?;
        let ops = stmt
            .query_map([limit as i64], |r| {
                Ok(Operation {
                    id: r.get(0)?,
                    hlc: r.get(1)?,
                    device_id: r.get(2)?,
                    summary: r.get(3)?,
                    undoes: r.get(4)?,
                    undone_by: r.get(5)?,
                    changes: Vec::new(),
                })
            })?
            .collect::<rusqlite::Result<Vec<_>>>()?;
        ops.into_iter()
            .map(|mut op| {
                op.changes = load_changes(&self.conn, op.id)?.into_iter().map(StoredChange::public).collect();
                Ok(op)
            })
            .collect()
    }
}

/// A change as stored, with its entity resolved: what undo and the audit view work from.
struct StoredChange {
    kind: ChangeKind,
    entity: Entity,
    id: Uuid,
    field: Option<String>,
    old: Option<Json>,
    new: Option<Json>,
}

fn load_changes(conn: &rusqlite::Connection, op_id: i64) -> Result<Vec<StoredChange>> {
    let mut stmt = conn.prepare(
        "SELECT kind, entity, entity_id, field, old_value, new_value FROM changes WHERE op_id = ?1 ORDER BY seq",
    )?;
    let rows = stmt
        .query_map([op_id], |r| {
            Ok((
                r.get::<_, i64>(0)?,
                r.get::<_, i64>(1)?,
                r.get::<_, Vec<u8>>(2)?,
                r.get::<_, Option<String>>(3)?,
                r.get::<_, Option<String>>(4)?,
                r.get::<_, Option<String>>(5)?,
            ))
        })?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    let parse = |t: Option<String>| -> Result<Option<Json>> {
        t.map(|t| serde_json::from_str(&t).map_err(|e| Error::Damaged(format!("unreadable change-log entry: {e}"))))
            .transpose()
    };
    let mut changes = Vec::with_capacity(rows.len());
    for (kind, entity, ids, field, old, new) in rows {
        let entity = Entity::from_code(entity)
            .ok_or_else(|| Error::Damaged(format!("unknown entity {entity} in the change log")))?;
        let kind = ChangeKind::from_code(kind)?;
        // An insert's entry may hold a run of ids, 16 bytes each (`Writer::log_inserts`).
        if ids.is_empty() || ids.len() % 16 != 0 || (ids.len() > 16 && kind != ChangeKind::Insert) {
            return Err(Error::Damaged("a change-log entry has a malformed id".into()));
        }
        let (old, new) = (parse(old)?, parse(new)?);
        for id in ids.chunks_exact(16) {
            let id = Uuid::from_slice(id).map_err(|e| Error::Damaged(e.to_string()))?;
            changes.push(StoredChange { kind, entity, id, field: field.clone(), old: old.clone(), new: new.clone() });
        }
    }
    Ok(changes)
}

impl StoredChange {
    fn public(self) -> Change {
        Change {
            kind: self.kind,
            entity: self.entity.name(),
            entity_id: self.id.to_string(),
            field: self.field,
            old: self.old,
            new: self.new,
        }
    }
}

fn revert(w: &mut Writer<'_>, change: &StoredChange) -> Result<()> {
    let entity = change.entity;
    match change.kind {
        ChangeKind::Insert => w.delete(entity, change.id),
        ChangeKind::Delete => {
            let row = change.old.as_ref().and_then(Json::as_object);
            let row = row.ok_or_else(|| Error::Damaged("a logged delete has no row snapshot".into()))?;
            let values: Vec<_> =
                entity.columns().iter().map(|c| row.get(*c).map_or(Value::Null, |v| json_value(c, v))).collect();
            w.insert(entity, change.id, &values)
        }
        ChangeKind::Update => {
            let field = change.field.as_deref().ok_or_else(|| Error::Damaged("a logged update has no field".into()))?;
            let old = change.old.as_ref().map_or(Value::Null, |v| json_value(field, v));
            w.update(entity, change.id, field, old).map(|_| ())
        }
    }
}
