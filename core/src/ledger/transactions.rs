use std::collections::HashMap;

use chrono::NaiveDate;
use rusqlite::types::Value;
use rust_decimal::Decimal;

use uuid::Uuid;

use crate::analytics::totals;
use crate::error::{Error, Result};
use crate::ids::{id_value, new_id, parse_id};
use crate::journal::{Entity, Writer};
use crate::values::{check_date, from_minor, to_minor};
use crate::vault::Vault;

#[derive(Debug, Clone, PartialEq)]
pub struct NewTransaction {
    pub account_id: String,
    pub date: NaiveDate,
    /// The account holder's view: money out is negative (a card purchase too), money in positive.
    pub amount: Decimal,
    pub payee: String,
    pub memo: String,
    pub category_id: Option<String>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Transaction {
    pub id: String,
    pub account_id: String,
    pub account: String,
    pub date: NaiveDate,
    pub amount: Decimal,
    pub currency: String,
    pub payee: String,
    pub memo: String,
    pub category_id: Option<String>,
    /// The category's full path ("Food:Groceries").
    pub category: Option<String>,
    pub import_batch: Option<String>,
    /// The payee exactly as the bank wrote it, when `payee` is a cleaned-up name.
    pub original_payee: Option<String>,
    /// Without the leading '#'.
    pub tags: Vec<String>,
    /// The other side of a transfer between the user's own accounts.
    pub transfer_id: Option<String>,
}

/// Which transactions to list. A category includes its sub-categories.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct TransactionFilter {
    pub account_id: Option<String>,
    pub from: Option<NaiveDate>,
    pub to: Option<NaiveDate>,
    pub category_id: Option<String>,
    /// Text to find in the payee, the bank's payee text or the memo (case-insensitive).
    pub search: Option<String>,
    pub limit: Option<usize>,
    pub offset: usize,
    /// Only the transactions listed after this one (a cursor from `ListPosition::of`): a page at any
    /// depth costs what the first page costs, and rows added meanwhile do not shift the pages.
    pub after: Option<ListPosition>,
}

/// Where a transaction stands in the listing order (date, then account, then id): what a cursor holds.
/// As text it is opaque to clients ("2026-11-02.<account>.<id>", hex); `parse` is its one reading.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ListPosition {
    date: NaiveDate,
    account: Uuid,
    id: Uuid,
}

impl ListPosition {
    /// The position of `t` in the listing order.
    pub fn of(t: &Transaction) -> Result<ListPosition> {
        Ok(ListPosition {
            date: t.date,
            account: parse_id("account", &t.account_id)?,
            id: parse_id("transaction", &t.id)?,
        })
    }

    pub fn parse(text: &str) -> Result<ListPosition> {
        let bad = || Error::invalid(format!("'{text}' is not a cursor this listing gave out"));
        let mut parts = text.trim().split('.');
        let (Some(date), Some(account), Some(id), None) = (parts.next(), parts.next(), parts.next(), parts.next())
        else {
            return Err(bad());
        };
        let date = NaiveDate::parse_from_str(date, "%Y-%m-%d").map_err(|_| bad())?;
        let hex = |h: &str| Uuid::try_parse(h).ok().filter(|_| h.len() == 32);
        match (hex(account), hex(id)) {
            (Some(account), Some(id)) => Ok(ListPosition { date, account, id }),
            _ => Err(bad()),
        }
    }
}

impl std::fmt::Display for ListPosition {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}.{}.{}", self.date, self.account.simple(), self.id.simple())
    }
}

/// Fields to change; `None` leaves a field as it is. `category: Some(None)` clears the category.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct TransactionEdit {
    pub account_id: Option<String>,
    pub date: Option<NaiveDate>,
    pub amount: Option<Decimal>,
    pub payee: Option<String>,
    pub memo: Option<String>,
    pub category: Option<Option<String>>,
    /// The new tags (without '#'), replacing the old ones; an empty list clears them.
    pub tags: Option<Vec<String>>,
}

impl TransactionEdit {
    pub fn is_empty(&self) -> bool {
        *self == TransactionEdit::default()
    }
}

/// How listings are ordered: newest day first; within a day by account and then in the order added (ids
/// are time-ordered), which for an import is the statement's own order. The order of the date index
/// (migration 0005), so a page at any depth comes from the index.
const ORDER: &str = " ORDER BY t.date DESC, t.account_id, t.id";

impl Vault {
    pub fn add_transaction(&mut self, new: NewTransaction) -> Result<Transaction> {
        let summary = format!("Add transaction {} {}", new.date, new.payee.trim());
        let ids = self.add_transactions(&summary, [new])?;
        self.transaction_by_id(ids[0])
    }

    /// Adds many transactions as one operation (one database transaction, one undo step).
    pub fn add_transactions(
        &mut self,
        summary: &str,
        items: impl IntoIterator<Item = NewTransaction>,
    ) -> Result<Vec<Uuid>> {
        let currencies = self.account_currencies()?;
        self.write(summary, |w| {
            // Written in batches with the monthly totals added once at the end, as an import does.
            let mut totals = totals::Pending::default();
            let triggers_off = totals::Suspended::new();
            let (mut ids, mut batch) = (Vec::new(), Vec::with_capacity(BATCH_ROWS));
            for new in items {
                let row = transaction_row(&currencies, new)?;
                totals.add(row.account, row.date, row.category, row.amount_minor);
                batch.push(row);
                if batch.len() == BATCH_ROWS {
                    insert_batch(w, &mut batch, &mut ids)?;
                }
            }
            insert_batch(w, &mut batch, &mut ids)?;
            drop(triggers_off);
            totals.write(w.conn())?;
            Ok(ids)
        })
    }

    pub fn transaction(&self, id: &str) -> Result<Transaction> {
        self.transaction_by_id(parse_id("transaction", id)?)
    }

    fn transaction_by_id(&self, id: Uuid) -> Result<Transaction> {
        let mut found = self.query_transactions("WHERE t.id = ?1", vec![id_value(id)])?;
        found.pop().ok_or_else(|| Error::not_found("transaction", id.to_string()))
    }

    /// Transactions matching `filter`, newest day first.
    pub fn transactions(&self, filter: &TransactionFilter) -> Result<Vec<Transaction>> {
        let (clause, args) = self.filter_clause(filter)?;
        let Some(limit) = filter.limit else {
            return self.query_transactions(&format!("{clause}{ORDER}"), args);
        };
        // The page's ids come from the date index alone (date, account, id), however deep the offset;
        // only the page's own rows are then read.
        let page = format!("SELECT t.id FROM transactions t {clause}{ORDER} LIMIT {limit} OFFSET {}", filter.offset);
        self.query_transactions(&format!("WHERE t.id IN ({page}){ORDER}"), args)
    }

    /// Every transaction matching `filter`, newest day first, handed to `visit` one at a time as it is
    /// read: memory stays flat however many there are (listings and exports of any length).
    pub fn for_each_transaction(
        &self,
        filter: &TransactionFilter,
        visit: &mut dyn FnMut(Transaction) -> Result<()>,
    ) -> Result<()> {
        let (clause, args) = self.filter_clause(filter)?;
        let limit = filter.limit.map_or(String::new(), |l| format!(" LIMIT {l} OFFSET {}", filter.offset));
        self.visit_transactions(&format!("{clause}{ORDER}{limit}"), args, visit)
    }

    /// How many transactions match `filter` (its limit and offset aside): the length of a paged list.
    pub fn count_transactions(&self, filter: &TransactionFilter) -> Result<u64> {
        let (clause, args) = self.filter_clause(filter)?;
        let sql = format!("SELECT count(*) FROM transactions t {clause}");
        let count: i64 = self.conn.query_row(&sql, rusqlite::params_from_iter(args), |r| r.get(0))?;
        Ok(count as u64)
    }

    fn filter_clause(&self, filter: &TransactionFilter) -> Result<(String, Vec<Value>)> {
        let mut clauses = Vec::new();
        let mut args = Vec::new();
        if let Some(account) = &filter.account_id {
            clauses.push("t.account_id = ?".to_string());
            args.push(id_value(parse_id("account", account)?));
        }
        if let Some(from) = filter.from {
            clauses.push("t.date >= ?".to_string());
            args.push(Value::Text(from.to_string()));
        }
        if let Some(to) = filter.to {
            clauses.push("t.date <= ?".to_string());
            args.push(Value::Text(to.to_string()));
        }
        if let Some(category) = &filter.category_id {
            let ids = self.category_and_descendants(category)?;
            clauses.push(format!("t.category_id IN ({})", vec!["?"; ids.len()].join(", ")));
            args.extend(ids.into_iter().map(id_value));
        }
        if let Some(text) = filter.search.as_deref().map(str::trim).filter(|t| !t.is_empty()) {
            args.push(text_pattern(text));
            clauses.push(text_condition(&format!("?{}", args.len())));
        }
        if let Some(after) = &filter.after {
            // After in the listing order: an older day, or the same day and a later account, or the
            // same day and account and a later id. The date index serves it from the cursor on.
            args.extend([Value::Text(after.date.to_string()), id_value(after.account), id_value(after.id)]);
            let (date, account, id) = (args.len() - 2, args.len() - 1, args.len());
            clauses.push(format!(
                "(t.date < ?{date} OR (t.date = ?{date} AND (t.account_id > ?{account} \
                 OR (t.account_id = ?{account} AND t.id > ?{id}))))"
            ));
        }
        let clause = if clauses.is_empty() { String::new() } else { format!("WHERE {}", clauses.join(" AND ")) };
        Ok((clause, args))
    }

    /// Accepts a whole id or a unique start or end of one (at least 6 characters, hyphens optional).
    pub fn resolve_transaction_id(&self, text: &str) -> Result<String> {
        if let Ok(id) = Uuid::parse_str(text.trim()) {
            return Ok(self.transaction_by_id(id)?.id);
        }
        let hex: String = text.trim().chars().filter(|c| *c != '-').collect::<String>().to_ascii_uppercase();
        if hex.len() < 6 || !hex.chars().all(|c| c.is_ascii_hexdigit()) {
            return Err(Error::invalid("give at least 6 characters of the transaction id"));
        }
        let mut stmt = self
            .conn
            .prepare("SELECT id FROM transactions WHERE hex(id) LIKE ?1 || '%' OR hex(id) LIKE '%' || ?1 LIMIT 2")?;
        let ids = stmt.query_map([&hex], |r| r.get::<_, Uuid>(0))?.collect::<rusqlite::Result<Vec<_>>>()?;
        match ids.as_slice() {
            [one] => Ok(one.to_string()),
            [] => Err(Error::not_found("transaction", text)),
            _ => Err(Error::invalid(format!("\"{text}\" matches more than one transaction; give more of the id"))),
        }
    }

    pub fn edit_transaction(&mut self, id: &str, edit: TransactionEdit) -> Result<Transaction> {
        let id = parse_id("transaction", id)?;
        let current = self.transaction_by_id(id)?;
        if edit.is_empty() {
            return Ok(current);
        }
        let account = self.account(edit.account_id.as_deref().unwrap_or(&current.account_id))?;
        let amount = edit.amount.unwrap_or(current.amount);
        let mut fields: Vec<(&str, Value)> = vec![
            ("account_id", id_value(parse_id("account", &account.id)?)),
            ("amount", Value::Integer(to_minor(amount, &account.currency)?)),
        ];
        if let Some(date) = edit.date {
            fields.push(("date", Value::Text(check_date(date)?.to_string())));
        }
        if let Some(payee) = &edit.payee {
            fields.push(("payee", Value::Text(clean_payee(payee)?)));
        }
        if let Some(memo) = &edit.memo {
            fields.push(("memo", Value::Text(memo.trim().to_string())));
        }
        if let Some(category) = &edit.category {
            let category = category.as_deref().map(|c| parse_id("category", c)).transpose()?;
            fields.push(("category_id", category.map_or(Value::Null, id_value)));
        }
        if let Some(tags) = &edit.tags {
            let tags: Vec<String> =
                tags.iter().map(|t| t.trim().trim_start_matches('#').to_string()).filter(|t| !t.is_empty()).collect();
            if let Some(bad) = tags.iter().find(|t| t.contains(char::is_whitespace)) {
                return Err(Error::invalid(format!("a tag is one word: \"{bad}\"")));
            }
            fields.push(("tags", crate::rules::tags_text(&tags).map_or(Value::Null, Value::Text)));
        }
        let summary = format!("Edit transaction {} {}", current.date, current.payee);
        self.write(&summary, |w| {
            for (field, value) in fields {
                w.update(Entity::Transaction, id, field, value)?;
            }
            Ok(())
        })?;
        self.transaction_by_id(id)
    }

    pub fn delete_transaction(&mut self, id: &str) -> Result<Transaction> {
        let id = parse_id("transaction", id)?;
        let current = self.transaction_by_id(id)?;
        self.write(&format!("Delete transaction {} {}", current.date, current.payee), |w| {
            w.delete(Entity::Transaction, id)
        })?;
        Ok(current)
    }

    fn account_currencies(&self) -> Result<HashMap<Uuid, String>> {
        let mut stmt = self.conn.prepare("SELECT id, currency FROM accounts")?;
        let rows = stmt.query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    pub(crate) fn category_and_descendants(&self, id: &str) -> Result<Vec<Uuid>> {
        let id = parse_id("category", id)?;
        let mut stmt = self.conn.prepare(
            "WITH RECURSIVE sub(id) AS (SELECT id FROM categories WHERE id = ?1
                 UNION ALL SELECT c.id FROM categories c JOIN sub ON c.parent_id = sub.id)
             SELECT id FROM sub",
        )?;
        let ids = stmt.query_map([id], |r| r.get(0))?.collect::<rusqlite::Result<Vec<Uuid>>>()?;
        if ids.is_empty() {
            return Err(Error::not_found("category", id.to_string()));
        }
        Ok(ids)
    }

    fn query_transactions(&self, tail: &str, args: Vec<Value>) -> Result<Vec<Transaction>> {
        let mut out = Vec::new();
        self.visit_transactions(tail, args, &mut |t| {
            out.push(t);
            Ok(())
        })?;
        Ok(out)
    }

    /// Hands each matching transaction to `visit` as it is read, holding one at a time.
    fn visit_transactions(
        &self,
        tail: &str,
        args: Vec<Value>,
        visit: &mut dyn FnMut(Transaction) -> Result<()>,
    ) -> Result<()> {
        let paths: HashMap<String, String> = self.categories()?.into_iter().map(|c| (c.id, c.path)).collect();
        let sql = format!(
            "SELECT t.id, t.account_id, a.name, t.date, t.amount, a.currency, t.payee, t.memo, t.category_id, t.import_batch,
                    t.original_payee, t.tags, t.transfer_id
             FROM transactions t JOIN accounts a ON a.id = t.account_id {tail}"
        );
        let mut stmt = self.conn.prepare(&sql)?;
        let rows = stmt.query_map(rusqlite::params_from_iter(args), |r| {
            let currency: String = r.get(5)?;
            let date: String = r.get(3)?;
            let category_id: Option<String> = r.get::<_, Option<Uuid>>(8)?.map(|c| c.to_string());
            Ok(Transaction {
                id: r.get::<_, Uuid>(0)?.to_string(),
                account_id: r.get::<_, Uuid>(1)?.to_string(),
                account: r.get(2)?,
                date: NaiveDate::parse_from_str(&date, "%Y-%m-%d").unwrap_or_default(),
                amount: from_minor(r.get(4)?, &currency),
                currency,
                payee: r.get(6)?,
                memo: r.get(7)?,
                category: category_id.as_ref().and_then(|id| paths.get(id).cloned()),
                category_id,
                import_batch: r.get::<_, Option<Uuid>>(9)?.map(|b| b.to_string()),
                original_payee: r.get(10)?,
                tags: crate::rules::parse_tags(r.get(11)?),
                transfer_id: r.get::<_, Option<Uuid>>(12)?.map(|b| b.to_string()),
            })
        })?;
        for row in rows {
            visit(row?)?;
        }
        Ok(())
    }
}

/// A date as the table stores it ("YYYY-MM-DD"), formatted without a heap allocation: an import binds a
/// million of them.
struct DateText([u8; 10]);

impl DateText {
    fn of(date: NaiveDate) -> DateText {
        use chrono::Datelike;
        let digits = |n: u32, out: &mut [u8]| {
            let mut n = n;
            for slot in out.iter_mut().rev() {
                *slot = b'0' + (n % 10) as u8;
                n /= 10;
            }
        };
        let mut text = *b"0000-00-00";
        digits(date.year().clamp(0, 9999) as u32, &mut text[0..4]);
        digits(date.month(), &mut text[5..7]);
        digits(date.day(), &mut text[8..10]);
        DateText(text)
    }
}

impl rusqlite::ToSql for DateText {
    fn to_sql(&self) -> rusqlite::Result<rusqlite::types::ToSqlOutput<'_>> {
        Ok(rusqlite::types::ToSqlOutput::Borrowed(rusqlite::types::ValueRef::Text(&self.0)))
    }
}

/// The condition "the pattern bound at `placeholder` matches the payee, the bank's payee text or the
/// memo" (any case) on a query of `transactions t`; the pattern comes from `text_pattern`.
pub(crate) fn text_condition(placeholder: &str) -> String {
    let p = placeholder;
    format!("(t.payee LIKE {p} ESCAPE '\\' OR t.memo LIKE {p} ESCAPE '\\' OR coalesce(t.original_payee, '') LIKE {p} ESCAPE '\\')")
}

/// `text` found anywhere, as a LIKE pattern for `text_condition`.
pub(crate) fn text_pattern(text: &str) -> Value {
    Value::Text(format!("%{}%", escape_like(text)))
}

/// `text` as a literal inside a LIKE pattern escaped with a backslash.
pub(crate) fn escape_like(text: &str) -> String {
    text.chars().fold(String::with_capacity(text.len()), |mut out, c| {
        if matches!(c, '%' | '_' | '\\') {
            out.push('\\');
        }
        out.push(c);
        out
    })
}

/// Rows per multi-row insert when adding many transactions.
const BATCH_ROWS: usize = 256;

fn insert_batch(w: &mut Writer<'_>, batch: &mut Vec<TransactionRow>, ids: &mut Vec<Uuid>) -> Result<()> {
    let first = ids.len();
    ids.extend(batch.iter().map(|_| new_id()));
    insert_rows(w, &ids[first..], batch)?;
    batch.clear();
    Ok(())
}

fn transaction_row(currencies: &HashMap<Uuid, String>, new: NewTransaction) -> Result<TransactionRow> {
    let account = parse_id("account", &new.account_id)?;
    let currency = currencies.get(&account).ok_or_else(|| Error::not_found("account", &new.account_id))?;
    Ok(TransactionRow {
        account,
        date: check_date(new.date)?,
        amount_minor: to_minor(new.amount, currency)?,
        payee: clean_payee(&new.payee)?,
        memo: new.memo.trim().to_string(),
        category: new.category_id.as_deref().map(|c| parse_id("category", c)).transpose()?,
        import_batch: None,
        fingerprint: None,
        original_payee: None,
        tags: None,
    })
}

/// A transaction as stored, already validated: what the ledger and the importer both insert.
#[derive(Debug, Clone)]
pub(crate) struct TransactionRow {
    pub account: Uuid,
    pub date: NaiveDate,
    pub amount_minor: i64,
    pub payee: String,
    pub memo: String,
    pub category: Option<Uuid>,
    pub import_batch: Option<Uuid>,
    pub fingerprint: Option<[u8; 16]>,
    pub original_payee: Option<String>,
    pub tags: Option<String>,
}

/// Inserts `rows` with the ids given, with multi-row statements.
pub(crate) fn insert_rows(w: &mut Writer<'_>, ids: &[Uuid], rows: &[TransactionRow]) -> Result<()> {
    let dates: Vec<DateText> = rows.iter().map(|r| DateText::of(r.date)).collect();
    let fingerprints: Vec<Option<&[u8]>> = rows.iter().map(|r| r.fingerprint.as_ref().map(|f| &f[..])).collect();
    let null = Value::Null;
    let mut values: Vec<&dyn rusqlite::ToSql> = Vec::with_capacity(rows.len() * 11);
    for ((row, date), fingerprint) in rows.iter().zip(&dates).zip(&fingerprints) {
        values.extend([
            &row.account as &dyn rusqlite::ToSql,
            date,
            &row.amount_minor,
            &row.payee,
            &row.memo,
            &row.category,
            &row.import_batch,
            fingerprint,
            &row.original_payee,
            &row.tags,
            &null,
        ]);
    }
    w.insert_many(Entity::Transaction, ids, &values)
}

fn clean_payee(text: &str) -> Result<String> {
    let payee = text.trim();
    if payee.chars().any(char::is_control) {
        return Err(Error::invalid("a payee cannot contain control characters"));
    }
    Ok(payee.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_are_stored_as_iso_text() {
        for (y, m, d) in [(1900, 1, 1), (2024, 2, 29), (2100, 12, 31), (987, 6, 5)] {
            let date = NaiveDate::from_ymd_opt(y, m, d).expect("date");
            assert_eq!(std::str::from_utf8(&DateText::of(date).0).expect("ascii"), format!("{y:04}-{m:02}-{d:02}"));
        }
        assert_eq!(escape_like("50%_a\\b"), "50\\%\\_a\\\\b");
    }
}
