//! Another device's operation applied here (docs/sync.md, "Merge"). Every field is a last-writer-wins
//! register: a write lands unless this vault holds a newer write of the same field, or a newer deletion
//! of its row (clock stamps order them; they never tie, since each names its device). A deletion wins
//! over edits, before or after. A row that comes back (its deletion undone) is written whole under the
//! undo's stamp: each field takes the undo's value unless a newer write of it is known, wherever the
//! row stands when each arrives ([`take_newer_writes`], [`rejoin`]). Where the schema asks more, each
//! device decides the same way from the same facts, so all converge whatever order operations arrive in:
//! - a row whose parent was deleted meanwhile is not inserted (a transaction of a deleted account),
//!   and deleting a parent deletes the rows that need it and clears the references that may be empty;
//! - two rows that claim the same name (two accounts "Chase" made on two devices): the one with the
//!   smaller id keeps it, the other is renamed "Chase (2)" — and the rename is written again as this
//!   device's own edit ([`Rename`]), so it travels and every device ends with the same names whichever
//!   of them saw the clash; two rows that claim the same identity (the same statement line imported on
//!   two devices, one budget for the same month): the smaller id stays, the other goes.
//!
//! Every such decision is noted in `sync_conflicts`.

use rusqlite::types::Value;
use rusqlite::OptionalExtension;
use uuid::Uuid;

use super::ops::{row_value, shown, Piece, WireChange};
use super::state::{add_conflict, ConflictRow};
use crate::error::{Error, Result};
use crate::journal::{Entity, Writer};

/// A reference from one entity's column to another's rows.
struct Reference {
    child: Entity,
    column: &'static str,
    parent: Entity,
    /// Whether the reference may be empty (cleared when the parent goes) or the child needs it
    /// (deleted with the parent).
    optional: bool,
}

const REFERENCES: [Reference; 6] = [
    Reference { child: Entity::Transaction, column: "account_id", parent: Entity::Account, optional: false },
    Reference { child: Entity::Transaction, column: "category_id", parent: Entity::Category, optional: true },
    Reference { child: Entity::Category, column: "parent_id", parent: Entity::Category, optional: true },
    Reference { child: Entity::ImportBatch, column: "account_id", parent: Entity::Account, optional: false },
    Reference { child: Entity::ImportMapping, column: "account_id", parent: Entity::Account, optional: false },
    Reference { child: Entity::Budget, column: "category_id", parent: Entity::Category, optional: false },
];

/// A unique key of an entity: the SQL that finds another row holding the candidate's key (bound to the
/// candidate's values of `columns`, then its id), and whether a loser is renamed or removed.
struct UniqueKey {
    entity: Entity,
    columns: &'static [&'static str],
    others: &'static str,
    /// The column a loser is renamed in; `None`: the loser goes.
    renamed: Option<&'static str>,
}

const UNIQUE_KEYS: [UniqueKey; 7] = [
    UniqueKey {
        entity: Entity::Account,
        columns: &["name"],
        others: "SELECT id FROM accounts WHERE name = ?1 COLLATE NOCASE AND id != ?2",
        renamed: Some("name"),
    },
    UniqueKey {
        entity: Entity::Category,
        columns: &["parent_id", "name"],
        others: "SELECT id FROM categories WHERE coalesce(parent_id, x'') = coalesce(?1, x'') AND name = ?2 COLLATE NOCASE AND id != ?3",
        renamed: Some("name"),
    },
    UniqueKey {
        entity: Entity::SavedReport,
        columns: &["name"],
        others: "SELECT id FROM saved_reports WHERE lower(name) = lower(?1) AND id != ?2",
        renamed: Some("name"),
    },
    UniqueKey {
        entity: Entity::Transaction,
        columns: &["account_id", "fingerprint"],
        others: "SELECT id FROM transactions WHERE account_id = ?1 AND fingerprint = ?2 AND id != ?3",
        renamed: None,
    },
    UniqueKey {
        entity: Entity::ImportMapping,
        columns: &["account_id", "header"],
        others: "SELECT id FROM import_mappings WHERE account_id = ?1 AND header = ?2 AND id != ?3",
        renamed: None,
    },
    UniqueKey {
        entity: Entity::Budget,
        columns: &["category_id", "currency", "from_month"],
        others: "SELECT id FROM budgets WHERE category_id = ?1 AND currency = ?2 AND from_month = ?3 AND id != ?4",
        renamed: None,
    },
    UniqueKey {
        entity: Entity::ExchangeRate,
        columns: &["currency", "quote", "from_date"],
        others: "SELECT id FROM exchange_rates WHERE currency = ?1 AND quote = ?2 AND from_date = ?3 AND id != ?4",
        renamed: None,
    },
];

/// A name changed to settle a clash, to be written again as this device's own edit.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Rename {
    pub entity: Entity,
    pub id: Uuid,
    pub column: &'static str,
    pub value: Value,
}

/// Applies `piece` (from device `device`) inside the write `w` already opened under its stamp; the
/// renames it made to settle clashes are returned.
pub(crate) fn apply(w: &mut Writer<'_>, piece: &Piece, device: &str) -> Result<Vec<Rename>> {
    let mut at = Decision { hlc: &piece.hlc, device, renames: Vec::new() };
    let mut batch = Batch::default();
    for change in &piece.changes {
        if !matches!(change, WireChange::Insert { entity, .. } if Some(*entity) == batch.entity.map(Entity::code)) {
            batch.flush(w)?;
        }
        match change {
            WireChange::Insert { entity, id, row } => {
                let entity = entity_of(*entity)?;
                let values: Vec<Value> = entity.columns().iter().map(|c| row_value(row, c)).collect();
                if let Some(values) = insert(w, entity, *id, values, &batch, &mut at)? {
                    batch.add(entity, *id, values);
                }
            }
            WireChange::Update { entity, id, field, value } => {
                let entity = entity_of(*entity)?;
                if !entity.columns().contains(&field.as_str()) {
                    // A field of a newer Credence: kept by the devices that know it.
                    continue;
                }
                update(w, entity, *id, field, crate::journal::json_value(field, value), &mut at)?;
            }
            WireChange::Delete { entity, id } => {
                let entity = entity_of(*entity)?;
                // A row brought back here by a newer undo stays: the newer of the two stands.
                if !inserted_after(w, entity, *id, at.hlc)? {
                    delete_with_dependents(w, entity, *id)?;
                }
            }
        }
    }
    batch.flush(w)?;
    Ok(at.renames)
}

/// Rows of one entity accepted and not yet written: a run of inserts (an import's rows) goes in as a
/// few multi-row statements, its change log entries packed, as the import wrote them on its device.
#[derive(Default)]
struct Batch {
    entity: Option<Entity>,
    ids: Vec<Uuid>,
    values: Vec<Value>,
    held: std::collections::HashSet<Uuid>,
}

impl Batch {
    fn add(&mut self, entity: Entity, id: Uuid, values: Vec<Value>) {
        self.entity = Some(entity);
        self.ids.push(id);
        self.held.insert(id);
        self.values.extend(values);
    }

    /// Whether row `id` of `entity` waits in the batch.
    fn holds(&self, entity: Entity, id: Uuid) -> bool {
        self.entity == Some(entity) && self.held.contains(&id)
    }

    fn flush(&mut self, w: &mut Writer<'_>) -> Result<()> {
        if let Some(entity) = self.entity.take() {
            let values: Vec<&dyn rusqlite::ToSql> = self.values.iter().map(|v| v as &dyn rusqlite::ToSql).collect();
            w.insert_many(entity, &self.ids, &values)?;
        }
        self.ids.clear();
        self.values.clear();
        self.held.clear();
        Ok(())
    }
}

/// Whose write is being decided (the operation's stamp and device), and the renames made so far.
struct Decision<'a> {
    hlc: &'a str,
    device: &'a str,
    renames: Vec<Rename>,
}

fn entity_of(code: i64) -> Result<Entity> {
    Entity::from_code(code).ok_or_else(|| {
        Error::Sync(format!(
            "another device wrote a kind of record this version does not know ({code}); update Credence"
        ))
    })
}

fn exists(w: &Writer<'_>, entity: Entity, id: Uuid) -> Result<bool> {
    Ok(w.conn()
        .prepare_cached(&format!("SELECT 1 FROM {} WHERE id = ?1", entity.table()))?
        .query_row([id], |_| Ok(()))
        .optional()?
        .is_some())
}

fn current_row(w: &Writer<'_>, entity: Entity, id: Uuid) -> Result<Vec<Value>> {
    let columns = entity.columns();
    Ok(w.conn()
        .prepare_cached(&format!("SELECT {} FROM {} WHERE id = ?1", columns.join(", "), entity.table()))?
        .query_row([id], |r| (0..columns.len()).map(|i| r.get(i)).collect())?)
}

fn column_index(entity: Entity, column: &str) -> usize {
    entity.columns().iter().position(|c| *c == column).unwrap_or_default()
}

/// The newest update of `field` of row `id` this vault holds.
fn newest_update(w: &Writer<'_>, id: Uuid, field: &str) -> Result<Option<String>> {
    Ok(w.conn()
        .prepare_cached(
            "SELECT max(o.hlc) FROM changes c JOIN operations o ON o.id = c.op_id
             WHERE c.kind = 2 AND c.entity_id = ?1 AND c.field = ?2",
        )?
        .query_row(rusqlite::params![id, field], |r| r.get(0))?)
}

/// Notes a decision against `at`'s write of row `id` (`field`, or the whole row): what stayed, with the
/// stamp of the write that kept it when known, and what was lost.
fn note(
    w: &Writer<'_>,
    at: &Decision<'_>,
    (entity, id): (Entity, Uuid),
    field: Option<&str>,
    (kept, kept_hlc): (Option<&Value>, Option<&str>),
    lost: Option<&Value>,
) -> Result<()> {
    add_conflict(
        w.conn(),
        &ConflictRow {
            entity: entity.code(),
            entity_id: id,
            field,
            kept: kept.map(shown),
            kept_hlc,
            lost: lost.map(shown),
            lost_hlc: at.hlc,
            lost_device: at.device,
        },
    )
}

/// The newest deletion of row `id` this vault holds.
fn newest_deletion(conn: &rusqlite::Connection, id: Uuid) -> Result<Option<String>> {
    Ok(conn
        .prepare_cached(
            "SELECT max(o.hlc) FROM changes c JOIN operations o ON o.id = c.op_id WHERE c.kind = 3 AND c.entity_id = ?1",
        )?
        .query_row([id], |r| r.get(0))?)
}

/// Sets in `values` (row `id` of `entity` coming back under the stamp `stamp`: its deletion undone)
/// every write of its fields newer than that, oldest first so the newest stands: the edits this vault
/// applied while the row still stood here, and those that arrived while it was gone (noted as decided
/// by its deletion). A device where the row already stood again when such an edit arrived applied it,
/// so every device ends with the same row whichever came first.
fn take_newer_writes(
    conn: &rusqlite::Connection,
    entity: Entity,
    id: Uuid,
    stamp: &str,
    values: &mut [Value],
) -> Result<()> {
    let mut writes = conn.prepare_cached(
        "SELECT c.field, c.new_value, o.hlc FROM changes c JOIN operations o ON o.id = c.op_id
          WHERE c.kind = 2 AND c.entity_id = ?1 AND o.hlc > ?2
         UNION ALL
         SELECT field, lost, lost_hlc FROM sync_conflicts
          WHERE entity_id = ?1 AND lost_hlc > ?2 AND field IS NOT NULL AND kept IS NULL AND kept_hlc IS NOT NULL
         ORDER BY 3",
    )?;
    let mut rows = writes.query(rusqlite::params![id, stamp])?;
    while let Some(row) = rows.next()? {
        let (field, new): (String, Option<String>) = (row.get(0)?, row.get(1)?);
        let Some(i) = entity.columns().iter().position(|c| *c == field) else { continue };
        let new: serde_json::Value = match new {
            Some(text) => {
                serde_json::from_str(&text).map_err(|e| Error::Damaged(format!("unreadable change-log entry: {e}")))?
            }
            None => serde_json::Value::Null,
        };
        values[i] = crate::journal::json_value(&field, &new);
    }
    Ok(())
}

/// Row `id` stands here, brought back by one undo of its deletion, when another device's undo of a
/// deletion of it brings it back too (`values` under `at`'s stamp). A bringing back writes every field,
/// so unless a newer one already did, this one sets each field no newer edit has; it is logged as an
/// insert of the row, so a deletion older than it is refused here as everywhere.
fn rejoin(w: &mut Writer<'_>, entity: Entity, id: Uuid, values: &[Value], at: &mut Decision<'_>) -> Result<()> {
    if inserted_after(w, entity, id, at.hlc)? {
        return Ok(());
    }
    let current = current_row(w, entity, id)?;
    for (i, column) in entity.columns().iter().enumerate() {
        // `update` keeps a field that a newer edit wrote (and notes it).
        if current[i] != values[i] {
            update(w, entity, id, column, values[i].clone(), at)?;
        }
    }
    w.log_insert(entity, id)
}

/// Whether row `id` was inserted (brought back by an undo) by an operation newer than `stamp`. Insert
/// entries hold runs of ids, so the run is searched; only operations newer than `stamp` are.
fn inserted_after(w: &Writer<'_>, entity: Entity, id: Uuid, stamp: &str) -> Result<bool> {
    Ok(w.conn()
        .prepare_cached(
            "SELECT 1 FROM operations o JOIN changes c ON c.op_id = o.id
             WHERE o.hlc > ?1 AND c.kind = 1 AND c.entity = ?2 AND instr(c.entity_id, ?3) > 0 LIMIT 1",
        )?
        .query_row(rusqlite::params![stamp, entity.code(), id], |_| Ok(()))
        .optional()?
        .is_some())
}

/// The values row `id` is to be inserted with, or `None` when it is not to be (delivered before,
/// deleted here since, its parent gone, or a duplicate that loses).
fn insert(
    w: &mut Writer<'_>,
    entity: Entity,
    id: Uuid,
    mut values: Vec<Value>,
    batch: &Batch,
    at: &mut Decision<'_>,
) -> Result<Option<Vec<Value>>> {
    if batch.holds(entity, id) {
        return Ok(None);
    }
    let deleted = newest_deletion(w.conn(), id)?;
    if exists(w, entity, id)? {
        // Delivered before; or, when it was deleted once, brought back here by another undo first.
        if deleted.is_some() {
            rejoin(w, entity, id, &values, at)?;
        }
        return Ok(None);
    }
    match deleted {
        // Deleted here after this (re)insertion was made: the newer of the two stands.
        Some(deleted) if deleted.as_str() > at.hlc => return Ok(None),
        Some(_) => take_newer_writes(w.conn(), entity, id, at.hlc, &mut values)?,
        None => {}
    }
    for reference in REFERENCES.iter().filter(|r| r.child == entity) {
        let i = column_index(entity, reference.column);
        let Value::Blob(parent) = &values[i] else { continue };
        let parent = Uuid::from_slice(parent)
            .map_err(|_| Error::SyncRefused("a synced row has a malformed reference".into()))?;
        if batch.holds(reference.parent, parent) || exists(w, reference.parent, parent)? {
            continue;
        }
        if reference.optional {
            values[i] = Value::Null;
        } else {
            note(
                w,
                at,
                (entity, id),
                None,
                (None, None),
                Some(&Value::Text("inserted under a deleted parent".into())),
            )?;
            return Ok(None);
        }
    }
    if !settle_unique(w, entity, id, &mut values, at)? {
        return Ok(None);
    }
    Ok(Some(values))
}

fn update(
    w: &mut Writer<'_>,
    entity: Entity,
    id: Uuid,
    field: &str,
    mut value: Value,
    at: &mut Decision<'_>,
) -> Result<()> {
    if !exists(w, entity, id)? {
        // Kept with the deletion that decided it: should the row come back by an undo older than this
        // edit, the edit is taken (`take_newer_writes`).
        let deleted = newest_deletion(w.conn(), id)?;
        return note(w, at, (entity, id), Some(field), (None, deleted.as_deref()), Some(&value));
    }
    let deleted = newest_deletion(w.conn(), id)?;
    if let Some(newer) = newest_update(w, id, field)?.max(deleted.clone()).filter(|newer| newer.as_str() > at.hlc) {
        let kept = current_row(w, entity, id)?.swap_remove(column_index(entity, field));
        return note(w, at, (entity, id), Some(field), (Some(&kept), Some(&newer)), Some(&value));
    }
    // A row deleted once may have come back by an undo newer than this edit: that wrote every field.
    if deleted.is_some() && inserted_after(w, entity, id, at.hlc)? {
        let kept = current_row(w, entity, id)?.swap_remove(column_index(entity, field));
        return note(w, at, (entity, id), Some(field), (Some(&kept), None), Some(&value));
    }
    if let Some(reference) = REFERENCES.iter().find(|r| r.child == entity && r.column == field) {
        if let Value::Blob(parent) = &value {
            let parent = Uuid::from_slice(parent)
                .map_err(|_| Error::SyncRefused("a synced edit has a malformed reference".into()))?;
            if !exists(w, reference.parent, parent)? {
                if !reference.optional {
                    return note(w, at, (entity, id), Some(field), (None, None), Some(&value));
                }
                value = Value::Null;
            }
        }
    }
    if UNIQUE_KEYS.iter().any(|k| k.entity == entity && k.columns.contains(&field)) {
        let mut row = current_row(w, entity, id)?;
        row[column_index(entity, field)] = value;
        if !settle_unique(w, entity, id, &mut row, at)? {
            return Ok(());
        }
        value = row.swap_remove(column_index(entity, field));
    }
    w.update_stamped(entity, id, field, value)
}

/// Makes room for row `id` with `values` under the entity's unique keys. Returns false when the row
/// loses and is not to be written; renames it in `values`, or renames or removes the other row, when
/// that settles it.
fn settle_unique(
    w: &mut Writer<'_>,
    entity: Entity,
    id: Uuid,
    values: &mut [Value],
    at: &mut Decision<'_>,
) -> Result<bool> {
    for key in UNIQUE_KEYS.iter().filter(|k| k.entity == entity) {
        let mut bound: Vec<Value> = key.columns.iter().map(|c| values[column_index(entity, c)].clone()).collect();
        if bound.contains(&Value::Null) && key.renamed.is_none() {
            continue;
        }
        bound.push(Value::Blob(id.as_bytes().to_vec()));
        let other: Option<Uuid> = w
            .conn()
            .prepare_cached(key.others)?
            .query_row(rusqlite::params_from_iter(bound.iter()), |r| r.get(0))
            .optional()?;
        let Some(other) = other else { continue };
        let this_wins = id < other;
        match key.renamed {
            Some(column) => {
                let i = column_index(entity, column);
                let (loser, renamed) = if this_wins {
                    let mut theirs = current_row(w, entity, other)?;
                    let renamed = free_name(w, entity, key, other, &mut theirs, i)?;
                    w.update_stamped(entity, other, column, renamed.clone())?;
                    (other, renamed)
                } else {
                    values[i] = free_name(w, entity, key, id, values, i)?;
                    (id, values[i].clone())
                };
                note(w, at, (entity, loser), Some(column), (Some(&renamed), None), None)?;
                at.renames.push(Rename { entity, id: loser, column, value: renamed });
            }
            None if this_wins => {
                note(w, at, (entity, other), None, (None, None), Some(&Value::Text(SAME_AS_SMALLER.into())))?;
                delete_with_dependents(w, entity, other)?;
            }
            None => {
                note(w, at, (entity, id), None, (None, None), Some(&Value::Text(SAME_AS_SMALLER.into())))?;
                return Ok(false);
            }
        }
    }
    Ok(true)
}

/// Why a row that duplicates another's identity went.
const SAME_AS_SMALLER: &str = "the same as a row with a smaller id";

/// "Name (2)", "Name (3)", … : the first that no other row of the key holds.
fn free_name(w: &Writer<'_>, entity: Entity, key: &UniqueKey, id: Uuid, row: &mut [Value], i: usize) -> Result<Value> {
    let Value::Text(base) = row[i].clone() else { return Ok(row[i].clone()) };
    for n in 2.. {
        row[i] = Value::Text(format!("{base} ({n})"));
        let mut bound: Vec<Value> = key.columns.iter().map(|c| row[column_index(entity, c)].clone()).collect();
        bound.push(Value::Blob(id.as_bytes().to_vec()));
        let taken = w
            .conn()
            .prepare_cached(key.others)?
            .query_row(rusqlite::params_from_iter(bound.iter()), |_| Ok(()))
            .optional()?;
        if taken.is_none() {
            return Ok(row[i].clone());
        }
    }
    Ok(row[i].clone())
}

/// Deletes row `id` and, first, the rows that need it; clears the references to it that may be empty.
fn delete_with_dependents(w: &mut Writer<'_>, entity: Entity, id: Uuid) -> Result<()> {
    if !exists(w, entity, id)? {
        return Ok(());
    }
    for reference in REFERENCES.iter().filter(|r| r.parent == entity) {
        let sql = format!("SELECT id FROM {} WHERE {} = ?1", reference.child.table(), reference.column);
        let children: Vec<Uuid> =
            w.conn().prepare_cached(&sql)?.query_map([id], |r| r.get(0))?.collect::<rusqlite::Result<_>>()?;
        for child in children {
            if reference.optional {
                w.update(reference.child, child, reference.column, Value::Null)?;
            } else {
                delete_with_dependents(w, reference.child, child)?;
            }
        }
    }
    w.delete(entity, id)
}
