//! Bank-statement import: CSV in any of the built-in bank layouts (or a guessed or user-given
//! mapping), OFX and QFX. Every row read gets exactly one outcome (imported, duplicate of a named
//! transaction, or rejected with its line and a reason), and the counts add up to the rows read.
//! An import is one operation of the journal: all of it lands, or none; it can be undone as a whole;
//! a dry run is the same operation rolled back, so the preview cannot differ from the commit.

mod camt;
mod dedup;
mod evidence;
mod ofx;
mod profiles;
mod read;
mod table;
mod text;
mod values;

use std::path::Path;

use chrono::NaiveDate;
use rusqlite::types::Value;
use rust_decimal::Decimal;
use uuid::Uuid;

pub use evidence::{Aspect, Basis, Decision};
pub use profiles::{Profile, PROFILES};
pub use values::DateOrder;

use crate::analytics::totals;
use crate::error::{Error, Result};
use crate::ids::{id_value, new_id, parse_id};
use crate::journal::{Entity, Writer};
use crate::ledger::transactions::{insert_rows, TransactionRow};
use crate::rules::{self, looks_like_transfer, payee, tags_text, Facts, RuleSet};
use crate::values::{check_date, from_minor, to_minor};
use crate::vault::Vault;
use dedup::{Dedup, Keys};
use read::{RawRow, Source};

/// The OFX and CAMT.053 readers on any text, past the sniffing that decides which reader a statement
/// gets: for the fuzzer, which must reach both with every input. How many rows each read.
#[doc(hidden)]
pub fn read_as_ofx_and_camt(text: &str) -> (usize, Option<usize>) {
    (ofx::transactions(text).len(), camt::rows(text).ok().map(|rows| rows.len()))
}

/// What the user chose; everything else is detected.
#[derive(Debug, Clone, Default)]
pub struct ImportOptions {
    /// A built-in layout id (`credence import formats`); `None` or "auto" detects it.
    pub format: Option<String>,
    /// A column mapping (`date=…,amount=…,payee=…`); saved for this account and header unless dry run.
    pub mapping: Option<String>,
    /// A text encoding label overriding detection (utf-8, windows-1252, …).
    pub encoding: Option<String>,
    pub dry_run: bool,
    /// Write even though a decision is only guessed or a sanity check failed: the user has seen the
    /// preview (or the guesses printed) and confirms them.
    pub accept_guess: bool,
    /// A preview: every duplicate and rejected row (up to `MAX_LISTED`), and this many new rows
    /// (0: no preview at all), after skipping `preview_skip` of them (paging).
    pub preview_rows: usize,
    pub preview_skip: usize,
    /// Set from another thread to stop the import; it then ends with `Error::Cancelled`, writing nothing.
    pub cancel: Option<std::sync::Arc<std::sync::atomic::AtomicBool>>,
}

/// The outcome of one row.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RowOutcome {
    Imported { id: String },
    Duplicate { of: String },
    Rejected { reason: String },
}

/// A row as the preview shows it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PreviewRow {
    pub line: u64,
    pub date: Option<NaiveDate>,
    pub amount: Option<Decimal>,
    pub payee: String,
    pub outcome: RowOutcome,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RowError {
    pub line: u64,
    pub message: String,
}

/// What an import did (or, dry run, would do).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ImportReport {
    pub rows: u64,
    pub imported: u64,
    pub duplicates: u64,
    pub rejected: u64,
    /// The layout used: a built-in id, "ofx", "guessed" or "mapping".
    pub format: String,
    pub encoding: String,
    /// The batch id to undo the import with; `None` on a dry run or when nothing was imported.
    pub batch: Option<String>,
    /// One per rejected row, in file order (at most `MAX_LISTED`).
    pub errors: Vec<RowError>,
    /// Rows with their outcome: every duplicate and rejection, and the page of new rows asked for.
    pub preview: Vec<PreviewRow>,
    /// The five things decided about the file, each with what it rests on.
    pub decisions: Vec<Decision>,
    /// Sanity checks the rows failed (a salary that reads as money out, …).
    pub doubts: Vec<String>,
    /// A decision is only guessed or a sanity check failed: nothing is written without `accept_guess`.
    pub needs_confirmation: bool,
    pub warnings: Vec<String>,
    pub dry_run: bool,
    /// Imported rows paired with the other side of a transfer between the user's accounts.
    pub transfers: u64,
}

/// New rows written per batch of multi-row statements.
const PENDING_ROWS: usize = 256;

/// Rejected (and, in a preview, duplicate) rows listed in a report; the counts cover all of them.
pub const MAX_LISTED: usize = 100_000;

/// Progress of a long import, for a progress bar.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ImportProgress {
    pub rows_done: u64,
    pub rows_total: u64,
}

/// A past import, as `import_batches` lists it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ImportBatch {
    pub id: String,
    pub account: String,
    pub file_name: String,
    pub format: String,
    pub rows: u64,
    pub imported: u64,
    pub duplicates: u64,
    pub rejected: u64,
    pub imported_at: String,
    /// How many of its transactions are still in the vault.
    pub remaining: u64,
}

/// What a statement holds, read without a vault (no duplicate or account checks).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Inspection {
    pub format: String,
    pub encoding: String,
    pub rows: u64,
    /// Rows with a readable date and amount that are not balance lines or pending.
    pub readable: u64,
    pub warnings: Vec<String>,
}

/// Reads a whole statement file the way `import_file` does, without touching a vault.
pub fn inspect(path: &Path, options: &ImportOptions) -> Result<Inspection> {
    let source = Source::open(path, options, &[])?;
    let (mut rows, mut readable) = (0u64, 0u64);
    for row in source.rows()? {
        let row = row?;
        rows += 1;
        readable += u64::from(row.skip.is_none() && row.date.is_ok() && row.amount.is_ok());
    }
    if rows == 0 {
        return Err(no_rows(&source));
    }
    Ok(Inspection {
        format: source.format.clone(),
        encoding: source.encoding.clone(),
        rows,
        readable,
        warnings: source.warnings.clone(),
    })
}

/// The built-in layouts: (id, description).
pub fn formats() -> Vec<(&'static str, &'static str)> {
    PROFILES
        .iter()
        .map(|p| (p.id, p.name))
        .chain([("ofx", "OFX 1.x / 2.x and QFX statements"), ("camt053", "ISO 20022 CAMT.053 statements (XML)")])
        .collect()
}

impl Vault {
    /// Imports a statement file into an account (or, with `dry_run`, reports what it would do).
    pub fn import_file(
        &mut self,
        path: &Path,
        account_id: &str,
        options: &ImportOptions,
        progress: &mut dyn FnMut(ImportProgress),
    ) -> Result<ImportReport> {
        let account = self.account(account_id)?;
        let saved = self.saved_mapping_for(parse_id("account", &account.id)?)?;
        let source = Source::open(path, options, &saved)?;
        match self.import_source(&source, &account, options, true, progress)? {
            Ok(report) => Ok(report),
            // The rows proved an assumption about the file wrong (its date order, decimal mark or sign), or
            // suggested a better guess: read it again that way (the first attempt was rolled back).
            Err(settled) => {
                let source = source.with_settled(settled);
                match self.import_source(&source, &account, options, false, progress)? {
                    Ok(report) => Ok(report),
                    Err(_) => Err(Error::invalid("the file's dates and amounts could not be settled")),
                }
            }
        }
    }

    /// One attempt at an import. `Ok(Err(settled))`: the rows read disagreed with the date order or
    /// decimal mark assumed for them, nothing was written, and `settled` is what they say instead.
    fn import_source(
        &mut self,
        source: &Source,
        account: &crate::Account,
        options: &ImportOptions,
        may_retry: bool,
        progress: &mut dyn FnMut(ImportProgress),
    ) -> Result<std::result::Result<ImportReport, read::Settled>> {
        let account_uuid = parse_id("account", &account.id)?;
        let file_name = source.file_name();
        let summary = format!("Import {file_name} into {}", account.name);
        let batch = new_id();
        let existing = dedup::existing(&self.conn, account_uuid, source.total_rows as usize)?;
        let credit = account.kind.is_credit();
        let filing = Filing {
            rules: RuleSet::load(&self.conn)?,
            transfer_category: self.transfer_category()?,
            credit_account: credit,
        };
        let mut disagreement = None;
        let run = |w: &mut Writer<'_>| -> Result<ImportReport> {
            let mut state = Run::new(source, account_uuid, batch, filing.transfer_category);
            let decider = Decider {
                filing,
                account: account_uuid,
                batch,
                currency: account.currency.as_str(),
                dedup: existing,
                keys: Keys::with_capacity(source.total_rows as usize),
                payees: CleanPayees::default(),
                evidence: read::Evidence::default(),
                preview: PreviewPlan { take: options.preview_rows, skip: options.preview_skip, new_rows: 0, listed: 0 },
            };
            // Reading, checking and deciding each row runs on a second thread while this one writes: the
            // writing is the slower half, so it does nothing else.
            let evidence = std::thread::scope(|scope| -> Result<read::Evidence> {
                let (sender, batches) = std::sync::mpsc::sync_channel::<Result<Vec<Decided>>>(8);
                let reader = scope.spawn(move || read_in_batches(source, decider, &sender));
                for batch in batches {
                    for row in batch? {
                        state.one(w, row)?;
                        if state.report.rows.is_multiple_of(10_000) {
                            if options.cancel.as_ref().is_some_and(|c| c.load(std::sync::atomic::Ordering::Relaxed)) {
                                return Err(Error::Cancelled);
                            }
                            progress(ImportProgress { rows_done: state.report.rows, rows_total: source.total_rows });
                        }
                    }
                }
                reader.join().map_err(|_| Error::invalid("reading the file failed"))
            })?;
            if state.report.rows == 0 {
                return Err(no_rows(source));
            }
            let findings = match source.verdict(&evidence, credit, &account.currency, may_retry) {
                read::Verdict::Retry(settled) => {
                    disagreement = Some(settled);
                    return Err(Error::Conflict("retry".into())); // rolls the attempt back
                }
                read::Verdict::Final(findings) => findings,
            };
            refuse_other_currencies(&evidence.currencies, source, account)?;
            state.report.warnings.extend(evidence.chain.warnings());
            state.report.needs_confirmation =
                findings.doubts.len() + findings.decisions.iter().filter(|d| d.basis == Basis::Guessed).count() > 0;
            if state.report.needs_confirmation && !options.accept_guess && !options.dry_run {
                return Err(Error::Unconfirmed(unconfirmed(&findings)));
            }
            state.report.decisions = findings.decisions;
            state.report.doubts = findings.doubts;
            progress(ImportProgress { rows_done: state.report.rows, rows_total: source.total_rows });
            state.finish(w, &file_name, options)
        };
        let result = if options.dry_run { self.write_dry_run(&summary, run) } else { self.write(&summary, run) };
        if let Some(settled) = disagreement {
            return Ok(Err(settled));
        }
        let mut report = result?;
        if options.dry_run || report.imported == 0 {
            report.batch = None;
        }
        Ok(Ok(report))
    }

    /// Removes every transaction of an import that is still in the vault, as one operation.
    pub fn undo_import(&mut self, batch: &str) -> Result<ImportBatch> {
        let id = parse_id("import batch", batch)?;
        let info = self.import_batch(id)?;
        let ids: Vec<Uuid> = {
            let mut stmt = self.conn.prepare("SELECT id FROM transactions WHERE import_batch = ?1")?;
            let rows = stmt.query_map([id], |r| r.get(0))?;
            rows.collect::<rusqlite::Result<_>>()?
        };
        if ids.is_empty() {
            return Err(Error::Conflict(format!("the import {batch} has no transactions left to remove")));
        }
        self.write(&format!("Undo import {} ({} transactions)", info.file_name, ids.len()), |w| {
            ids.iter().try_for_each(|tx| w.delete(Entity::Transaction, *tx))
        })?;
        Ok(ImportBatch { remaining: 0, ..info })
    }

    /// Past imports, newest first.
    pub fn import_batches(&self) -> Result<Vec<ImportBatch>> {
        let remaining: std::collections::HashMap<Uuid, u64> = {
            let mut stmt = self.conn.prepare(
                "SELECT import_batch, count(*) FROM transactions WHERE import_batch IS NOT NULL GROUP BY import_batch",
            )?;
            let rows = stmt.query_map([], |r| Ok((r.get(0)?, r.get::<_, i64>(1)? as u64)))?;
            rows.collect::<rusqlite::Result<_>>()?
        };
        let mut stmt = self.conn.prepare(&format!("{SELECT_BATCHES} ORDER BY b.imported_at DESC, b.id DESC"))?;
        let rows = stmt.query_map([], batch_from_row)?;
        let mut batches = rows.collect::<rusqlite::Result<Vec<_>>>()?;
        for b in &mut batches {
            b.remaining = parse_id("import batch", &b.id).ok().and_then(|id| remaining.get(&id)).copied().unwrap_or(0);
        }
        Ok(batches)
    }

    fn import_batch(&self, id: Uuid) -> Result<ImportBatch> {
        use rusqlite::OptionalExtension;
        let batch = self
            .conn
            .query_row(&format!("{SELECT_BATCHES} WHERE b.id = ?1"), [id], batch_from_row)
            .optional()?
            .ok_or_else(|| Error::not_found("import batch", id.to_string()))?;
        let remaining: i64 =
            self.conn.query_row("SELECT count(*) FROM transactions WHERE import_batch = ?1", [id], |r| r.get(0))?;
        Ok(ImportBatch { remaining: remaining as u64, ..batch })
    }

    fn saved_mapping_for(&self, account: Uuid) -> Result<Vec<(String, String)>> {
        let mut stmt = self.conn.prepare("SELECT header, spec FROM import_mappings WHERE account_id = ?1")?;
        let rows = stmt.query_map([account], |r| Ok((r.get(0)?, r.get(1)?)))?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }
}

fn no_rows(source: &Source) -> Error {
    Error::invalid(format!(
        "{} has no transactions (a header and nothing under it?); nothing was imported",
        source.file_name()
    ))
}

/// A file that states its currency and has no row in the account's is refused whole: it belongs to
/// another account. (Rows in another currency than the account's, in a file that has some in it, are
/// rejected one by one.)
fn refuse_other_currencies(tally: &evidence::CurrencyTally, source: &Source, account: &crate::Account) -> Result<()> {
    if tally.matching > 0 || tally.others.is_empty() {
        return Ok(());
    }
    let first = &tally.others[0].0;
    Err(Error::invalid(format!(
        "{} is a statement in {}, but {} is in {}; nothing was imported. Import it into an account in {first} \
         (credence account add NAME --currency {first})",
        source.file_name(),
        tally.describe_others(),
        account.name,
        account.currency
    )))
}

/// What was only guessed or is in doubt; each door says how to confirm it in its own terms.
fn unconfirmed(findings: &read::Findings) -> String {
    let mut items: Vec<String> =
        findings.decisions.iter().filter(|d| d.basis == Basis::Guessed).map(Decision::describe).collect();
    items.extend(findings.doubts.iter().cloned());
    items.join("; ")
}

/// Which rows a preview lists: all the duplicates and rejections (up to `MAX_LISTED`), and one page of
/// the new rows.
struct PreviewPlan {
    take: usize,
    skip: usize,
    new_rows: usize,
    listed: usize,
}

impl PreviewPlan {
    /// Whether the next new row is on the page asked for.
    fn next_new(&mut self) -> bool {
        let show = self.take > 0 && (self.skip..self.skip + self.take).contains(&self.new_rows);
        self.new_rows += 1;
        show
    }

    /// Whether the next duplicate or rejected row is listed.
    fn next_other(&mut self) -> bool {
        let show = self.take > 0 && self.listed < MAX_LISTED;
        self.listed += usize::from(show);
        show
    }
}

/// A row as the reading thread leaves it: read, checked against the account's currency, keyed, its
/// payee cleaned; `checked` holds the reason when the row cannot be a transaction.
struct Prepared {
    raw: RawRow,
    checked: std::result::Result<Checked, String>,
}

struct Checked {
    date: NaiveDate,
    amount: Decimal,
    amount_minor: i64,
    fingerprint: dedup::Fingerprint,
    clean_payee: String,
}

/// Statements repeat payees (the same shop, the same salary), and cleaning one costs more than a lookup.
#[derive(Default)]
struct CleanPayees(std::collections::HashMap<String, String>);

impl CleanPayees {
    const LIMIT: usize = 50_000;

    fn get(&mut self, raw: &str) -> String {
        if let Some(clean) = self.0.get(raw) {
            return clean.clone();
        }
        if self.0.len() >= Self::LIMIT {
            self.0.clear();
        }
        let clean = payee::normalize(raw);
        self.0.insert(raw.to_string(), clean.clone());
        clean
    }
}

fn prepare(
    raw: RawRow,
    currency: &str,
    keys: &mut Keys,
    payees: &mut CleanPayees,
    tally: &mut evidence::CurrencyTally,
) -> Prepared {
    let checked = (|| {
        if let Some(reason) = &raw.skip {
            return Err(reason.clone());
        }
        if let Some(stated) = raw.currency {
            tally.observe(stated.as_str(), currency);
            if stated.as_str() != currency {
                return Err(format!("in {stated}, not the account's {currency} (never converted or mixed)"));
            }
        }
        let date = check_date(raw.date.clone()?).map_err(|e| e.to_string())?;
        let amount = raw.amount.clone()?;
        let amount_minor = to_minor(amount, currency).map_err(|e| e.to_string())?;
        let fingerprint = keys.fingerprint(raw.bank_id.as_deref(), date, amount_minor, &raw.payee);
        Ok(Checked { date, amount, amount_minor, fingerprint, clean_payee: payees.get(&raw.payee) })
    })();
    Prepared { raw, checked }
}

/// Sends the file's rows, decided, in batches until the end, an error, or the receiver hanging up.
/// Returns what the rows showed about the file.
fn read_in_batches(
    source: &Source,
    mut decider: Decider<'_>,
    sender: &std::sync::mpsc::SyncSender<Result<Vec<Decided>>>,
) -> read::Evidence {
    const BATCH: usize = 2048;
    let mut columns = source.watches_columns().then(read::Columns::default);
    let rows = match source.rows_observing(columns.as_mut()) {
        Ok(rows) => rows,
        Err(e) => {
            let _ = sender.send(Err(e));
            return read::Evidence::default();
        }
    };
    let mut batch = Vec::with_capacity(BATCH);
    for row in rows {
        match row {
            Ok(r) => batch.push(decider.decide(r)),
            Err(e) => {
                let _ = sender.send(Err(e));
                return read::Evidence::default();
            }
        }
        if batch.len() == BATCH && sender.send(Ok(std::mem::replace(&mut batch, Vec::with_capacity(BATCH)))).is_err() {
            return read::Evidence::default();
        }
    }
    if !batch.is_empty() {
        let _ = sender.send(Ok(batch));
    }
    read::Evidence { columns, ..decider.evidence }
}

// `remaining` is filled in by the callers with one scan of transactions (import_batch has no index:
// an import writes one entry per row into every index, and listing imports is rare).
const SELECT_BATCHES: &str = "SELECT b.id, a.name, b.file_name, b.format, b.rows, b.imported, b.duplicates, b.rejected,
        b.imported_at
    FROM import_batches b JOIN accounts a ON a.id = b.account_id";

fn batch_from_row(r: &rusqlite::Row<'_>) -> rusqlite::Result<ImportBatch> {
    Ok(ImportBatch {
        id: r.get::<_, Uuid>(0)?.to_string(),
        account: r.get(1)?,
        file_name: r.get(2)?,
        format: r.get(3)?,
        rows: r.get::<_, i64>(4)? as u64,
        imported: r.get::<_, i64>(5)? as u64,
        duplicates: r.get::<_, i64>(6)? as u64,
        rejected: r.get::<_, i64>(7)? as u64,
        imported_at: r.get(8)?,
        remaining: 0,
    })
}

/// A row as the reading thread leaves it: read, checked, keyed and decided, so that the writing thread
/// (the slower half of an import) only writes and counts.
struct Decided {
    line: u64,
    date: Option<NaiveDate>,
    /// The amount as it will be stored, kept only for the rows the preview shows.
    amount: Option<Decimal>,
    /// The row's own payee text, kept only for the rows the preview shows.
    payee: Option<String>,
    outcome: Outcome,
}

enum Outcome {
    /// A row to insert, and whether it may be one side of a transfer.
    New(TransactionRow, bool),
    Duplicate(dedup::Fingerprint),
    Rejected(String),
}

/// How new rows are filed: the rules, and what counts as a transfer.
struct Filing {
    rules: RuleSet,
    transfer_category: Option<Uuid>,
    /// Money arriving on a card or loan is almost always a payment from another account.
    credit_account: bool,
}

/// The reading thread's half of an import: which rows are new, and how each is filed.
struct Decider<'a> {
    filing: Filing,
    account: Uuid,
    batch: Uuid,
    currency: &'a str,
    dedup: Dedup,
    keys: Keys,
    payees: CleanPayees,
    /// What the rows show about the file: the running balance, the signs of telling rows, currencies.
    evidence: read::Evidence,
    preview: PreviewPlan,
}

impl Decider<'_> {
    fn decide(&mut self, raw: RawRow) -> Decided {
        let Prepared { mut raw, checked } =
            prepare(raw, self.currency, &mut self.keys, &mut self.payees, &mut self.evidence.currencies);
        let (outcome, show) = match checked {
            Ok(c) => self.file(&mut raw, c),
            Err(reason) => (Outcome::Rejected(reason), self.preview.next_other()),
        };
        // For the preview only: the amount as it will be stored (the currency's decimals).
        let amount = match &outcome {
            _ if !show => None,
            Outcome::New(row, _) => Some(from_minor(row.amount_minor, self.currency)),
            _ => raw.amount.ok(),
        };
        Decided {
            line: raw.line,
            date: raw.date.ok(),
            amount,
            payee: show.then(|| std::mem::take(&mut raw.payee)),
            outcome,
        }
    }

    /// What to do with a row that can be a transaction, and whether the preview shows it.
    fn file(&mut self, raw: &mut RawRow, c: Checked) -> (Outcome, bool) {
        self.evidence.chain.observe(raw.line, c.amount, raw.balance);
        self.evidence.signs.observe(self.filing.credit_account, raw.line, &raw.payee, c.amount);
        if !self.dedup.is_new(c.fingerprint) {
            return (Outcome::Duplicate(c.fingerprint), self.preview.next_other());
        }
        let show = self.preview.next_new();
        let facts = Facts {
            account: self.account,
            date: c.date,
            amount: c.amount,
            payee: &c.clean_payee,
            original_payee: Some(&raw.payee),
        };
        let effects = self.filing.rules.effects(&facts);
        let maybe_transfer = effects.transfer
            || looks_like_transfer(&raw.payee, None)
            || (self.filing.credit_account && c.amount > Decimal::ZERO);
        let payee = effects.payee.unwrap_or(c.clean_payee);
        let mut memo = std::mem::take(&mut raw.memo);
        for note in &effects.memo {
            memo = if memo.is_empty() { note.clone() } else { format!("{memo} / {note}") };
        }
        let row = TransactionRow {
            account: self.account,
            date: c.date,
            amount_minor: c.amount_minor,
            original_payee: (payee != raw.payee).then(|| {
                if show {
                    raw.payee.clone()
                } else {
                    std::mem::take(&mut raw.payee)
                }
            }),
            payee,
            memo,
            category: effects.category.or(effects.transfer.then_some(self.filing.transfer_category).flatten()),
            import_batch: Some(self.batch),
            fingerprint: Some(c.fingerprint),
            tags: tags_text(&effects.tags),
        };
        (Outcome::New(row, maybe_transfer), show)
    }
}

/// The writing thread's half of an import: the rows to write, and the report.
struct Run<'s> {
    /// New rows that may be one side of a transfer, paired once all rows are in.
    transfer_candidates: Vec<Uuid>,
    transfer_category: Option<Uuid>,
    /// New rows not written yet: they go in with multi-row statements (`PENDING_ROWS` at a time).
    pending_ids: Vec<Uuid>,
    pending: Vec<TransactionRow>,
    source: &'s Source,
    account: Uuid,
    batch: Uuid,
    report: ImportReport,
    /// The monthly totals of the new rows: added in one go at the end, the per-row triggers being
    /// suspended (on this thread) until then.
    totals: totals::Pending,
    triggers_off: Option<totals::Suspended>,
    /// Preview rows that repeat a transaction, and its fingerprint: named in one pass at the end.
    duplicates_shown: Vec<(usize, dedup::Fingerprint)>,
}

impl<'s> Run<'s> {
    fn new(source: &'s Source, account: Uuid, batch: Uuid, transfer_category: Option<Uuid>) -> Self {
        Run {
            transfer_candidates: Vec::new(),
            transfer_category,
            pending_ids: Vec::with_capacity(PENDING_ROWS),
            pending: Vec::with_capacity(PENDING_ROWS),
            source,
            account,
            batch,
            totals: totals::Pending::default(),
            triggers_off: Some(totals::Suspended::new()),
            duplicates_shown: Vec::new(),
            report: ImportReport {
                rows: 0,
                imported: 0,
                duplicates: 0,
                rejected: 0,
                format: source.format.clone(),
                encoding: source.encoding.clone(),
                batch: Some(batch.to_string()),
                errors: Vec::new(),
                preview: Vec::new(),
                warnings: source.warnings.clone(),
                dry_run: false,
                transfers: 0,
                decisions: Vec::new(),
                doubts: Vec::new(),
                needs_confirmation: false,
            },
        }
    }

    fn one(&mut self, w: &mut Writer<'_>, row: Decided) -> Result<()> {
        self.report.rows += 1;
        let want_preview = row.payee.is_some();
        // The outcome is spelled out (ids as text) only for the rows the preview shows.
        let outcome = match row.outcome {
            Outcome::New(new, maybe_transfer) => {
                self.report.imported += 1;
                let id = new_id();
                if maybe_transfer {
                    self.transfer_candidates.push(id);
                }
                self.totals.add(self.account, new.date, new.category, new.amount_minor);
                self.pending_ids.push(id);
                self.pending.push(new);
                if self.pending.len() == PENDING_ROWS {
                    self.flush(w)?;
                }
                want_preview.then(|| RowOutcome::Imported { id: id.to_string() })
            }
            Outcome::Duplicate(fingerprint) => {
                self.report.duplicates += 1;
                if want_preview {
                    self.duplicates_shown.push((self.report.preview.len(), fingerprint));
                }
                want_preview.then(|| RowOutcome::Duplicate { of: String::new() })
            }
            Outcome::Rejected(reason) => {
                self.report.rejected += 1;
                if self.report.errors.len() < MAX_LISTED {
                    self.report.errors.push(RowError { line: row.line, message: reason.clone() });
                }
                Some(RowOutcome::Rejected { reason })
            }
        };
        if let (Some(payee), Some(outcome)) = (row.payee, outcome) {
            self.report.preview.push(PreviewRow { line: row.line, date: row.date, amount: row.amount, payee, outcome });
        }
        Ok(())
    }

    fn flush(&mut self, w: &mut Writer<'_>) -> Result<()> {
        insert_rows(w, &self.pending_ids, &self.pending)?;
        self.pending_ids.clear();
        self.pending.clear();
        Ok(())
    }

    fn finish(mut self, w: &mut Writer<'_>, file_name: &str, options: &ImportOptions) -> Result<ImportReport> {
        self.flush(w)?;
        // The original may be a row of this very file, so this comes after the last rows are in.
        for (index, original) in dedup::originals(w.conn(), self.account, &self.duplicates_shown)? {
            if let Some(PreviewRow { outcome: RowOutcome::Duplicate { of }, .. }) = self.report.preview.get_mut(index) {
                *of = original.to_string();
            }
        }
        self.triggers_off = None;
        self.totals.write(w.conn())?;
        self.report.transfers =
            rules::link_transfers(w, &self.transfer_candidates, self.transfer_category)?.len() as u64;
        if self.report.imported > 0 {
            let count = |n: u64| Value::Integer(n as i64);
            let r = &self.report;
            let values = [
                id_value(self.account),
                Value::Text(file_name.to_string()),
                Value::Text(r.format.clone()),
                count(r.rows),
                count(r.imported),
                count(r.duplicates),
                count(r.rejected),
                Value::Text(chrono::Utc::now().to_rfc3339_opts(chrono::SecondsFormat::Secs, true)),
            ];
            w.insert(Entity::ImportBatch, self.batch, &values)?;
        }
        if let (Some(spec), Some(header)) = (&options.mapping, &self.source.header_key) {
            save_mapping(w, self.account, header, spec)?;
        }
        self.report.dry_run = options.dry_run;
        Ok(self.report)
    }
}

fn save_mapping(w: &mut Writer<'_>, account: Uuid, header: &str, spec: &str) -> Result<()> {
    use rusqlite::OptionalExtension;
    let existing: Option<Uuid> = w
        .conn()
        .query_row(
            "SELECT id FROM import_mappings WHERE account_id = ?1 AND header = ?2",
            rusqlite::params![account, header],
            |r| r.get(0),
        )
        .optional()?;
    match existing {
        Some(id) => w.update(Entity::ImportMapping, id, "spec", Value::Text(spec.to_string())).map(|_| ()),
        None => w.insert(
            Entity::ImportMapping,
            new_id(),
            &[id_value(account), Value::Text(header.to_string()), Value::Text(spec.to_string())],
        ),
    }
}
