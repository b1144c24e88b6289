//! The one write path. Every mutation of the ledger runs inside [`Vault::write`], which opens one
//! database transaction, stamps it with a hybrid logical clock as an *operation*, and records every
//! row-level change (insert, per-field update, delete) in the change log. Undo, the audit view and
//! sync read that log; nothing else writes ledger tables.

mod hlc;
mod undo;

use rusqlite::types::Value;
use rusqlite::{params, OptionalExtension, Transaction};
use serde_json::{Map, Value as Json};
use uuid::Uuid;

pub(crate) use hlc::{is_stamp, Clock};
pub use undo::{Change, ChangeKind, Operation};

use crate::error::{Error, Result};
use crate::ids::{id_value, is_blob_column};
use crate::vault::Vault;

/// The tables the change log knows. Adding an entity means adding it here; its columns are what a
/// logged insert or delete snapshots.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Entity {
    Account,
    Category,
    Transaction,
    ImportBatch,
    ImportMapping,
    Rule,
    CreditItem,
    Budget,
    ExchangeRate,
    SavedReport,
}

const ENTITIES: [Entity; 10] = [
    Entity::Account,
    Entity::Category,
    Entity::Transaction,
    Entity::ImportBatch,
    Entity::ImportMapping,
    Entity::Rule,
    Entity::CreditItem,
    Entity::Budget,
    Entity::ExchangeRate,
    Entity::SavedReport,
];

impl Entity {
    /// The code stored in the change log (see migrations/0001_initial.sql).
    pub(crate) fn code(self) -> i64 {
        match self {
            Entity::Account => 1,
            Entity::Category => 2,
            Entity::Transaction => 3,
            Entity::ImportBatch => 4,
            Entity::ImportMapping => 5,
            Entity::Rule => 6,
            Entity::CreditItem => 7,
            Entity::Budget => 8,
            Entity::ExchangeRate => 9,
            Entity::SavedReport => 10,
        }
    }

    pub(crate) fn from_code(code: i64) -> Option<Entity> {
        ENTITIES.into_iter().find(|e| e.code() == code)
    }

    pub(crate) fn name(self) -> &'static str {
        match self {
            Entity::Account => "account",
            Entity::Category => "category",
            Entity::Transaction => "transaction",
            Entity::ImportBatch => "import batch",
            Entity::ImportMapping => "import mapping",
            Entity::Rule => "rule",
            Entity::CreditItem => "credit item",
            Entity::Budget => "budget",
            Entity::ExchangeRate => "exchange rate",
            Entity::SavedReport => "saved report",
        }
    }

    pub(crate) fn table(self) -> &'static str {
        match self {
            Entity::Account => "accounts",
            Entity::Category => "categories",
            Entity::Transaction => "transactions",
            Entity::ImportBatch => "import_batches",
            Entity::ImportMapping => "import_mappings",
            Entity::Rule => "rules",
            Entity::CreditItem => "credit_items",
            Entity::Budget => "budgets",
            Entity::ExchangeRate => "exchange_rates",
            Entity::SavedReport => "saved_reports",
        }
    }

    /// Every column but `id`, in the order `insert` takes values.
    pub(crate) fn columns(self) -> &'static [&'static str] {
        match self {
            Entity::Account => &["name", "kind", "currency", "credit_limit", "archived", "statement_day", "due_day"],
            Entity::Category => &["name", "parent_id", "kind"],
            Entity::Transaction => &[
                "account_id",
                "date",
                "amount",
                "payee",
                "memo",
                "category_id",
                "import_batch",
                "fingerprint",
                "original_payee",
                "tags",
                "transfer_id",
            ],
            Entity::ImportBatch => {
                &["account_id", "file_name", "format", "rows", "imported", "duplicates", "rejected", "imported_at"]
            }
            Entity::ImportMapping => &["account_id", "header", "spec"],
            Entity::Rule => &["position", "conditions", "actions", "origin"],
            Entity::CreditItem => &["kind", "body"],
            Entity::Budget => &["category_id", "from_month", "currency", "amount"],
            Entity::ExchangeRate => &["currency", "quote", "from_date", "rate"],
            Entity::SavedReport => &["name", "query"],
        }
    }

    fn has_column(self, field: &str) -> bool {
        self.columns().contains(&field)
    }

    /// The INSERT statement for this entity, built once per process.
    fn insert_sql(self) -> &'static str {
        static SQL: std::sync::OnceLock<Vec<String>> = std::sync::OnceLock::new();
        let all = SQL.get_or_init(|| {
            ENTITIES
                .iter()
                .map(|e| {
                    let cols = e.columns();
                    let marks = vec!["?"; cols.len() + 1].join(", ");
                    format!("INSERT INTO {} (id, {}) VALUES ({marks})", e.table(), cols.join(", "))
                })
                .collect()
        });
        &all[ENTITIES.iter().position(|e| *e == self).unwrap_or_default()]
    }
}

/// A write in progress: one operation, one database transaction.
pub(crate) struct Writer<'c> {
    tx: Transaction<'c>,
    op_id: i64,
    seq: i64,
}

impl Vault {
    /// Runs `f` as one operation described by `summary`: all of its changes commit together with
    /// their change-log entries, or none does.
    pub(crate) fn write<T>(&mut self, summary: &str, f: impl FnOnce(&mut Writer<'_>) -> Result<T>) -> Result<T> {
        self.write_op(summary, true, f)
    }

    pub(crate) fn write_op<T>(
        &mut self,
        summary: &str,
        undoable: bool,
        f: impl FnOnce(&mut Writer<'_>) -> Result<T>,
    ) -> Result<T> {
        self.run_op(summary, undoable, true, f)
    }

    /// Runs `f` exactly as `write` would, then rolls everything back: a preview that cannot differ
    /// from the real thing, because it is the real thing.
    pub(crate) fn write_dry_run<T>(
        &mut self,
        summary: &str,
        f: impl FnOnce(&mut Writer<'_>) -> Result<T>,
    ) -> Result<T> {
        self.run_op(summary, true, false, f)
    }

    fn run_op<T>(
        &mut self,
        summary: &str,
        undoable: bool,
        commit: bool,
        f: impl FnOnce(&mut Writer<'_>) -> Result<T>,
    ) -> Result<T> {
        let device = self.device_id()?;
        let stamp = self.clock.tick(hlc::now_ms());
        let tx = self.conn.transaction()?;
        tx.execute(
            "INSERT INTO operations (hlc, device_id, summary, undoable) VALUES (?1, ?2, ?3, ?4)",
            params![stamp, device, summary, undoable],
        )?;
        let op_id = tx.last_insert_rowid();
        let mut writer = Writer { tx, op_id, seq: 0 };
        let out = f(&mut writer)?;
        if writer.seq == 0 || !commit {
            // Nothing changed, or a dry run: leave nothing behind (rolled back on drop).
            return Ok(out);
        }
        writer.tx.commit()?;
        Ok(out)
    }
}

/// When a clock stamp was made (RFC 3339, to the second), if it is one.
pub(crate) fn stamp_time(stamp: &str) -> Option<String> {
    Some(
        chrono::DateTime::from_timestamp_millis(stamp_millis(stamp)?)?
            .to_rfc3339_opts(chrono::SecondsFormat::Secs, true),
    )
}

/// The wall-clock milliseconds a clock stamp was taken at.
pub(crate) fn stamp_millis(stamp: &str) -> Option<i64> {
    stamp.split('-').next()?.parse().ok()
}

/// Another device's operation, as it arrives by sync: applied here under its own stamp and device.
#[derive(Debug, Clone)]
pub(crate) struct RemoteOp<'a> {
    pub hlc: &'a str,
    pub device: &'a str,
    pub summary: &'a str,
    pub undoable: bool,
}

impl Vault {
    /// Runs `f` as (a piece of) another device's operation `op`: its changes are logged under `op`'s
    /// stamp and device, so they sort among this device's by when they happened. A later piece of the
    /// same operation continues it. The clock moves past the stamp.
    pub(crate) fn write_remote<T>(
        &mut self,
        op: &RemoteOp<'_>,
        f: impl FnOnce(&mut Writer<'_>) -> Result<T>,
    ) -> Result<T> {
        if !is_stamp(op.hlc) {
            return Err(Error::Damaged(format!("a synced operation has an unreadable clock stamp {:?}", op.hlc)));
        }
        self.clock.observe(op.hlc)?;
        let tx = self.conn.transaction()?;
        let existing: Option<(i64, i64)> = tx
            .query_row(
                "SELECT o.id, coalesce((SELECT max(seq) FROM changes WHERE op_id = o.id), 0) FROM operations o WHERE o.hlc = ?1",
                [op.hlc],
                |r| Ok((r.get(0)?, r.get(1)?)),
            )
            .optional()?;
        let (op_id, seq) = match existing {
            Some(found) => found,
            None => {
                tx.execute(
                    "INSERT INTO operations (hlc, device_id, summary, undoable) VALUES (?1, ?2, ?3, ?4)",
                    params![op.hlc, op.device, op.summary, op.undoable],
                )?;
                (tx.last_insert_rowid(), 0)
            }
        };
        let mut writer = Writer { tx, op_id, seq };
        let out = f(&mut writer)?;
        writer.tx.commit()?;
        Ok(out)
    }
}

impl Writer<'_> {
    /// Reads inside the write's transaction.
    pub(crate) fn conn(&self) -> &rusqlite::Connection {
        &self.tx
    }

    /// Inserts a row; `values` follow `entity.columns()`, ids as blobs (`ids::id_value`).
    pub(crate) fn insert(&mut self, entity: Entity, id: Uuid, values: &[Value]) -> Result<()> {
        let refs: Vec<&dyn rusqlite::ToSql> = values.iter().map(|v| v as &dyn rusqlite::ToSql).collect();
        self.insert_refs(entity, id, &refs)
    }

    /// `insert` for callers that can lend their values instead of building `Value`s.
    pub(crate) fn insert_refs(&mut self, entity: Entity, id: Uuid, values: &[&dyn rusqlite::ToSql]) -> Result<()> {
        self.insert_many(entity, &[id], values)
    }

    /// Inserts rows `ids[i]` with values `values[i * width..(i + 1) * width]` (`width` is the number of
    /// the entity's columns), a few dozen rows per statement: an import's hot path, where a statement per
    /// row cost about a tenth of the import (docs/benchmarks.md).
    pub(crate) fn insert_many(&mut self, entity: Entity, ids: &[Uuid], values: &[&dyn rusqlite::ToSql]) -> Result<()> {
        let width = entity.columns().len();
        debug_assert_eq!(values.len(), ids.len() * width);
        for (ids, values) in ids.chunks(ROWS_PER_STATEMENT).zip(values.chunks(ROWS_PER_STATEMENT * width)) {
            let mut bound: Vec<&dyn rusqlite::ToSql> = Vec::with_capacity(ids.len() * (width + 1));
            for (id, row) in ids.iter().zip(values.chunks(width)) {
                bound.push(id);
                bound.extend_from_slice(row);
            }
            self.tx
                .prepare_cached(&multi_row_sql(entity.insert_sql(), width + 1, ids.len()))?
                .execute(bound.as_slice())
                .map_err(|e| constraint_error(entity, e))?;
            self.log_inserts(entity, ids)?;
        }
        Ok(())
    }

    /// Logs an insert of row `id` without writing it: another device brought back a row that stands
    /// here already, and its fields were set one by one (sync's merge).
    pub(crate) fn log_insert(&mut self, entity: Entity, id: Uuid) -> Result<()> {
        self.log_inserts(entity, &[id])
    }

    /// Logs inserted rows: one change-log entry per run of up to `IDS_PER_ENTRY` rows, whose
    /// `entity_id` holds their ids one after the other (an insert carries no other payload), so a
    /// million-row import adds eight thousand log entries, not a million.
    fn log_inserts(&mut self, entity: Entity, ids: &[Uuid]) -> Result<()> {
        for run in ids.chunks(IDS_PER_ENTRY) {
            self.seq += 1;
            let packed: Vec<u8> = run.iter().flat_map(|id| *id.as_bytes()).collect();
            self.tx
                .prepare_cached(
                    "INSERT INTO changes (op_id, seq, kind, entity, entity_id) VALUES (?1, ?2, ?3, ?4, ?5)",
                )?
                .execute(params![self.op_id, self.seq, ChangeKind::Insert.code(), entity.code(), packed])?;
        }
        Ok(())
    }

    /// Sets one field; logs nothing and returns false when the value is unchanged.
    pub(crate) fn update(&mut self, entity: Entity, id: Uuid, field: &str, new: Value) -> Result<bool> {
        self.set_field(entity, id, field, new, false)
    }

    /// Sets one field and logs the write even when the value is unchanged: a synced write that agrees
    /// with the value here still stamps the field, so an older write arriving later loses to it.
    pub(crate) fn update_stamped(&mut self, entity: Entity, id: Uuid, field: &str, new: Value) -> Result<()> {
        self.set_field(entity, id, field, new, true).map(|_| ())
    }

    fn set_field(&mut self, entity: Entity, id: Uuid, field: &str, new: Value, always_log: bool) -> Result<bool> {
        if !entity.has_column(field) {
            return Err(Error::invalid(format!("{} has no field {field}", entity.name())));
        }
        let table = entity.table();
        let old: Value = self
            .tx
            .query_row(&format!("SELECT {field} FROM {table} WHERE id = ?1"), [id], |r| r.get(0))
            .map_err(|e| not_found_or(entity, id, e))?;
        if old == new && !always_log {
            return Ok(false);
        }
        self.tx
            .prepare_cached(&format!("UPDATE {table} SET {field} = ?1 WHERE id = ?2"))?
            .execute(params![new, id])
            .map_err(|e| constraint_error(entity, e))?;
        let (old, new) = (value_json(&old), value_json(&new));
        self.log(ChangeKind::Update, entity, id, Some(field), Some(&old), Some(&new))?;
        Ok(true)
    }

    pub(crate) fn delete(&mut self, entity: Entity, id: Uuid) -> Result<()> {
        let columns = entity.columns();
        let old: Vec<Value> = self
            .tx
            .query_row(&format!("SELECT {} FROM {} WHERE id = ?1", columns.join(", "), entity.table()), [id], |r| {
                (0..columns.len()).map(|i| r.get(i)).collect()
            })
            .map_err(|e| not_found_or(entity, id, e))?;
        self.tx
            .execute(&format!("DELETE FROM {} WHERE id = ?1", entity.table()), [id])
            .map_err(|e| constraint_error(entity, e))?;
        let row = row_json(columns.iter().copied().zip(old.iter()));
        self.log(ChangeKind::Delete, entity, id, None, Some(&row), None)
    }

    fn log(
        &mut self,
        kind: ChangeKind,
        entity: Entity,
        id: Uuid,
        field: Option<&str>,
        old: Option<&Json>,
        new: Option<&Json>,
    ) -> Result<()> {
        self.seq += 1;
        let text = |v: Option<&Json>| v.map(Json::to_string);
        self.tx
            .prepare_cached(
                "INSERT INTO changes (op_id, seq, kind, entity, entity_id, field, old_value, new_value)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
            )?
            .execute(params![self.op_id, self.seq, kind.code(), entity.code(), id, field, text(old), text(new)])?;
        Ok(())
    }
}

/// Ids per change-log entry of an insert: 2 KB, which keeps an entry on its B-tree page.
const IDS_PER_ENTRY: usize = 128;

/// Rows per multi-row INSERT: large enough that per-statement costs vanish, small enough to stay far below
/// SQLite's limit on bound values.
const ROWS_PER_STATEMENT: usize = 64;

/// `single` (an `INSERT … VALUES (?, …)` of one row with `width` values) for `rows` rows.
fn multi_row_sql(single: &str, width: usize, rows: usize) -> String {
    let head = single.split(" VALUES ").next().unwrap_or(single);
    let mut sql = String::with_capacity(head.len() + 8 + rows * (width * 3 + 2));
    sql.push_str(head);
    sql.push_str(" VALUES ");
    for row in 0..rows {
        sql.push_str(if row == 0 { "(" } else { ", (" });
        for column in 0..width {
            sql.push_str(if column == 0 { "?" } else { ", ?" });
        }
        sql.push(')');
    }
    sql
}

pub(crate) fn row_json<'a>(pairs: impl Iterator<Item = (&'a str, &'a Value)>) -> Json {
    Json::Object(pairs.map(|(k, v)| (k.to_string(), value_json(v))).collect::<Map<_, _>>())
}

/// Values as the change log keeps them: ids (16-byte blobs) as their usual text form.
pub(crate) fn value_json(v: &Value) -> Json {
    match v {
        Value::Null => Json::Null,
        Value::Integer(i) => Json::from(*i),
        Value::Text(t) => Json::from(t.as_str()),
        Value::Blob(b) => match Uuid::from_slice(b) {
            Ok(id) => Json::from(id.to_string()),
            Err(_) => Json::from(data_encoding::BASE64.encode(b)),
        },
        // The ledger stores no floating-point columns.
        Value::Real(r) => Json::from(r.to_string()),
    }
}

/// The inverse of `value_json` for a value of column `column`.
pub(crate) fn json_value(column: &str, v: &Json) -> Value {
    match v {
        Json::Null => Value::Null,
        Json::Bool(b) => Value::Integer(i64::from(*b)),
        Json::Number(n) => n.as_i64().map(Value::Integer).unwrap_or_else(|| Value::Text(n.to_string())),
        Json::String(s) if is_blob_column(column) => match Uuid::parse_str(s) {
            Ok(id) => id_value(id),
            Err(_) => Value::Text(s.clone()),
        },
        Json::String(s) => Value::Text(s.clone()),
        other => Value::Text(other.to_string()),
    }
}

fn not_found_or(entity: Entity, id: Uuid, e: rusqlite::Error) -> Error {
    match e {
        rusqlite::Error::QueryReturnedNoRows => Error::not_found(entity.name(), id.to_string()),
        other => other.into(),
    }
}

/// Turns constraint failures into sentences; anything else stays a database error.
fn constraint_error(entity: Entity, e: rusqlite::Error) -> Error {
    let text = e.to_string();
    match e.sqlite_error_code() {
        Some(rusqlite::ErrorCode::ConstraintViolation) if text.contains("UNIQUE") => {
            Error::Conflict(format!("a {} with that name already exists", entity.name()))
        }
        Some(rusqlite::ErrorCode::ConstraintViolation) if text.contains("FOREIGN KEY") => Error::Conflict(format!(
            "that {} is still referred to by other records (or refers to one that does not exist)",
            entity.name()
        )),
        Some(rusqlite::ErrorCode::ConstraintViolation) => {
            Error::invalid(format!("that {} breaks a rule of the vault: {text}", entity.name()))
        }
        _ => e.into(),
    }
}
