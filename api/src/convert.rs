//! Core values to their contract shapes, and core errors to `{code, message}`: the one mapping, used by
//! every door (the CLI, the desktop app, the REST API).

use crate as api;
use crate::{ApiError, ErrorCode};
use credence_core::import::{self, RowOutcome};
use credence_core::{analytics, coach, ledger, rules, score, sync, values, AccountChanges, Error};
use rust_decimal::prelude::ToPrimitive;
use rust_decimal::Decimal;

pub fn api_error(e: &Error) -> ApiError {
    let code = match e {
        Error::WrongPassphrase | Error::WrongRecoveryKey | Error::MalformedRecoveryKey(_) => ErrorCode::WrongPassphrase,
        Error::WeakPassphrase(_) => ErrorCode::WeakPassphrase,
        Error::VaultNotFound(_) => ErrorCode::VaultNotFound,
        Error::AlreadyExists { .. } => ErrorCode::VaultExists,
        Error::NotAVault { .. } | Error::NotABackup { .. } => ErrorCode::NotAVault,
        Error::Damaged(_) => ErrorCode::Damaged,
        Error::NewerSchema { .. } => ErrorCode::NewerSchema,
        Error::KeychainUnavailable(_) => ErrorCode::KeychainUnavailable,
        Error::NotRemembered => ErrorCode::NotRemembered,
        Error::Invalid(_) | Error::CannotUndo { .. } | Error::Unconfirmed(_) => ErrorCode::Invalid,
        Error::Conflict(_) => ErrorCode::Conflict,
        Error::NotFound { .. } => ErrorCode::NotFound,
        Error::NothingToUndo => ErrorCode::NothingToUndo,
        Error::Cancelled => ErrorCode::Cancelled,
        Error::Io { .. } | Error::Unavailable(_) | Error::Sync(_) => ErrorCode::Io,
        Error::SyncRefused(_) => ErrorCode::Damaged,
        Error::Database(_) => ErrorCode::Internal,
    };
    let message = match (code, e) {
        // A database error's text means nothing to a user; the generic sentence says what matters.
        (ErrorCode::Internal, _) => api::GENERIC_ERROR.to_string(),
        (_, Error::Unconfirmed(_)) => format!(
            "{}. Preview it (dry_run), then confirm it (accept_guess), or give the format or a column mapping.",
            capitalized(&e.to_string())
        ),
        _ => capitalized(&e.to_string()),
    };
    ApiError::new(code, message)
}

fn capitalized(text: &str) -> String {
    let mut chars = text.chars();
    chars.next().map(|first| first.to_uppercase().chain(chars).collect()).unwrap_or_default()
}

pub fn invalid(message: impl Into<String>) -> ApiError {
    ApiError::new(ErrorCode::Invalid, message)
}

type Reply<T> = Result<T, ApiError>;

// --- Requests: each shape read once, here, for every door ---

/// A decimal amount as a person or a client wrote it ("-12.34").
pub fn decimal(text: &str) -> Reply<Decimal> {
    values::parse_amount(text).map_err(|e| api_error(&e))
}

/// An amount that may be left empty (a credit limit).
pub fn optional_decimal(text: Option<&str>) -> Reply<Option<Decimal>> {
    text.map(str::trim).filter(|t| !t.is_empty()).map(decimal).transpose()
}

/// A date, `YYYY-MM-DD`.
pub fn date(text: &str) -> Reply<chrono::NaiveDate> {
    values::parse_date(text).map_err(|e| api_error(&e))
}

/// A date that may be left out or empty, said of `field` when it does not read.
pub fn optional_date(text: Option<&str>, field: &str) -> Reply<Option<chrono::NaiveDate>> {
    text.map(str::trim).filter(|t| !t.is_empty()).map(date).transpose().map_err(|e| e.in_field(field.to_string()))
}

/// A score to aim for: on the 300–850 scale every flavour here uses.
pub fn target_score(target: u16) -> Reply<u16> {
    match target {
        300..=850 => Ok(target),
        _ => Err(invalid(format!("a score to reach is 300 to 850, not {target}")).in_field("target")),
    }
}

/// A score flavour by name; FICO 8 when none is given.
pub fn flavour(text: Option<&str>) -> Reply<score::Flavour> {
    match text.map(str::trim).filter(|t| !t.is_empty()) {
        None => Ok(score::Flavour::Fico8),
        Some(t) => score::Flavour::parse(t).ok_or_else(|| invalid(format!("\"{t}\" is not a score flavour"))),
    }
}

pub fn new_account(a: api::NewAccount) -> Reply<credence_core::NewAccount> {
    Ok(credence_core::NewAccount {
        kind: a.kind.parse().map_err(|e| api_error(&e).in_field("kind"))?,
        credit_limit: optional_decimal(a.credit_limit.as_deref()).map_err(|e| e.in_field("credit_limit"))?,
        name: a.name,
        currency: a.currency,
    })
}

/// What an account edit asks to change: a limit (an empty text removes it), statement and due days
/// (0 infers them again), each naming its field when it does not read. Archiving is `edit_account`'s.
pub fn account_changes(edit: &api::AccountEdit) -> Reply<AccountChanges> {
    let day = |value: Option<u32>, field: &str| -> Reply<Option<Option<u32>>> {
        match value {
            None => Ok(None),
            Some(0) => Ok(Some(None)),
            Some(d @ 1..=31) => Ok(Some(Some(d))),
            Some(d) => Err(invalid(format!("a day of the month is 1 to 31 (0 to infer it), not {d}")).in_field(field)),
        }
    };
    Ok(AccountChanges {
        name: edit.name.clone(),
        credit_limit: edit
            .credit_limit
            .as_deref()
            .map(|l| optional_decimal(Some(l)))
            .transpose()
            .map_err(|e| e.in_field("credit_limit"))?,
        statement_day: day(edit.statement_day, "statement_day")?,
        due_day: day(edit.due_day, "due_day")?,
    })
}

/// Applies an account edit (`changes` as `account_changes` read it), then archiving, each only when
/// asked for (the app and the API both).
pub fn edit_account(
    v: &mut credence_core::Vault,
    id: &str,
    edit: &api::AccountEdit,
    changes: &AccountChanges,
) -> credence_core::Result<api::Account> {
    let mut current = v.account(id)?;
    if *changes != AccountChanges::default() {
        current = v.edit_account(id, changes)?;
    }
    if let Some(archived) = edit.archived.filter(|a| *a != current.archived) {
        current = v.set_account_archived(id, archived)?;
    }
    Ok(account(current))
}

/// A count within `range`, `default` when not given; the field is named when it is out of range.
pub fn bounded(value: Option<u32>, default: u32, range: std::ops::RangeInclusive<u32>, field: &str) -> Reply<u32> {
    let value = value.unwrap_or(default);
    if range.contains(&value) {
        Ok(value)
    } else {
        Err(invalid(format!("{field} is {} to {}, not {value}", range.start(), range.end())).in_field(field))
    }
}

/// A chart's colours, light when not given.
pub fn theme(text: Option<&str>) -> Reply<credence_core::charts::Theme> {
    text.unwrap_or("light").parse().map_err(|e| api_error(&e).in_field("theme"))
}

/// What a trend measures, spending when not given.
pub fn measure(text: Option<&str>) -> Reply<analytics::Measure> {
    text.unwrap_or("spending").parse().map_err(|e| api_error(&e).in_field("measure"))
}

/// A rule's conditions and actions, each read here for every door; the field at fault is named.
pub fn new_rule(r: api::NewRule) -> Reply<(Vec<rules::Condition>, Vec<rules::Action>)> {
    use rules::{Action, Condition};
    let given = |text: Option<String>| text.filter(|t| !t.trim().is_empty());
    let amount = |text: Option<String>, field: &str| {
        given(text).map(|a| values::parse_amount(&a)).transpose().map_err(|e| api_error(&e).in_field(field))
    };
    let day = |text: Option<String>, field: &str| optional_date(given(text).as_deref(), field);
    let mut conditions = Vec::new();
    conditions.extend(given(r.payee_contains).map(|text| Condition::PayeeContains { text }));
    conditions.extend(given(r.payee_is).map(|text| Condition::PayeeIs { text }));
    conditions.extend(given(r.payee_matches).map(|pattern| Condition::PayeeMatches { pattern }));
    let payees: Vec<String> = r.payee_one_of.iter().map(|p| p.trim().to_string()).filter(|p| !p.is_empty()).collect();
    if !payees.is_empty() {
        conditions.push(Condition::PayeeOneOf { payees });
    }
    let (min, max) = (amount(r.amount_min, "amount_min")?, amount(r.amount_max, "amount_max")?);
    if min.is_some() || max.is_some() {
        conditions.push(Condition::AmountBetween { min, max });
    }
    conditions.extend(given(r.account_id).map(|account_id| Condition::Account { account_id }));
    let (from, to) = (day(r.from, "from")?, day(r.to, "to")?);
    if from.is_some() || to.is_some() {
        conditions.push(Condition::DateBetween { from, to });
    }
    if conditions.is_empty() {
        return Err(invalid(
            "a rule needs a condition: what the payee contains, is or matches, an amount, an account or dates",
        )
        .in_field("payee_contains"));
    }
    let mut actions = Vec::new();
    actions.extend(given(r.category_id).map(|category_id| Action::SetCategory { category_id }));
    actions.extend(given(r.rename_to).map(|payee| Action::RenamePayee { payee }));
    actions.extend(given(r.tag).map(|t| Action::AddTag { tag: t.trim().trim_start_matches('#').to_string() }));
    actions.extend(given(r.memo).map(|text| Action::AddMemo { text }));
    if r.transfer {
        actions.push(Action::MarkTransfer);
    }
    if actions.is_empty() {
        return Err(invalid(
            "a rule needs something to do: a category to file under, a new name, a tag, a memo or transfer",
        )
        .in_field("category_id"));
    }
    Ok((conditions, actions))
}

/// One month of a payment history (`YYYY-MM`) and its status (`ok` clears it).
pub fn payment_change(month: &str, status: &str) -> Reply<(chrono::NaiveDate, Option<score::Severity>)> {
    let month = score::wizard::month("month", month).map_err(|e| api_error(&e).in_field("month"))?;
    let status = match status {
        "ok" => None,
        other => Some(score::wizard::severity("status", other).map_err(|e| api_error(&e).in_field("status"))?),
    };
    Ok((month, status))
}

/// A score seen elsewhere on `seen`, as the credit file's form fields.
pub fn reported_score_fields(r: &api::ReportedScore, seen: chrono::NaiveDate) -> Vec<(String, String)> {
    vec![
        ("value".to_string(), r.value.clone()),
        ("family".to_string(), r.family.clone()),
        ("bureau".to_string(), r.bureau.clone()),
        ("date".to_string(), seen.to_string()),
    ]
}

/// A credit-file item's fields as core takes them.
pub fn credit_fields(fields: std::collections::BTreeMap<String, String>) -> Vec<(String, String)> {
    fields.into_iter().collect()
}

pub fn new_transaction(t: api::NewTransaction) -> Reply<credence_core::NewTransaction> {
    Ok(credence_core::NewTransaction {
        date: date(&t.date).map_err(|e| e.in_field("date"))?,
        amount: decimal(&t.amount).map_err(|e| e.in_field("amount"))?,
        account_id: t.account_id,
        payee: t.payee,
        memo: t.memo,
        category_id: t.category_id.filter(|c| !c.is_empty()),
    })
}

pub fn transaction_edit(edit: &api::TransactionChange) -> Reply<credence_core::TransactionEdit> {
    Ok(credence_core::TransactionEdit {
        date: edit.date.as_deref().map(date).transpose().map_err(|e| e.in_field("date"))?,
        amount: edit.amount.as_deref().map(decimal).transpose().map_err(|e| e.in_field("amount"))?,
        payee: edit.payee.clone(),
        memo: edit.memo.clone(),
        ..Default::default()
    })
}

/// The app's page of the transaction list (by offset; at most 1,000 rows).
pub fn transaction_filter(query: &api::TransactionQuery) -> credence_core::TransactionFilter {
    credence_core::TransactionFilter {
        account_id: query.account_id.clone().filter(|a| !a.is_empty()),
        category_id: query.category_id.clone().filter(|c| !c.is_empty()),
        search: query.search.clone(),
        limit: Some(query.limit.min(1000) as usize),
        offset: query.offset as usize,
        ..Default::default()
    }
}

/// How many rows a page of a REST listing holds: 1 to 1,000, 100 when not asked.
pub fn page_size(limit: Option<u32>) -> Reply<usize> {
    match limit.unwrap_or(100) {
        limit @ 1..=1000 => Ok(limit as usize),
        limit => Err(invalid(format!("limit must be 1 to 1000, not {limit}")).in_field("limit")),
    }
}

/// A REST listing page's filter: at most 1,000 rows (100 unless asked), continuing after `cursor`.
pub fn transaction_list_filter(query: &api::TransactionListQuery) -> Reply<credence_core::TransactionFilter> {
    let day = |text: &Option<String>, field: &str| {
        text.as_deref().map(date).transpose().map_err(|e| e.in_field(field.to_string()))
    };
    let limit = page_size(query.limit)?;
    let after = query
        .cursor
        .as_deref()
        .map(credence_core::ListPosition::parse)
        .transpose()
        .map_err(|e| api_error(&e).in_field("cursor"))?;
    Ok(credence_core::TransactionFilter {
        account_id: query.account_id.clone().filter(|a| !a.is_empty()),
        category_id: query.category_id.clone().filter(|c| !c.is_empty()),
        from: day(&query.from, "from")?,
        to: day(&query.to, "to")?,
        search: query.search.clone(),
        limit: Some(limit),
        offset: 0,
        after,
    })
}

/// A listing page and the cursor after its last row, when the page was full (so there may be more).
pub fn transaction_list(rows: Vec<ledger::Transaction>, limit: usize) -> credence_core::Result<api::TransactionList> {
    let next_cursor = match rows.last() {
        Some(last) if rows.len() == limit => Some(credence_core::ListPosition::of(last)?.to_string()),
        _ => None,
    };
    Ok(api::TransactionList { rows: rows.into_iter().map(transaction).collect(), next_cursor })
}

// --- Results ---

/// Where a backup went and how big it is.
pub fn backup_done(b: &credence_core::BackupSummary) -> api::BackupDone {
    api::BackupDone { path: b.path.display().to_string(), bytes: b.bytes }
}

pub fn rules_applied(r: rules::ApplyReport) -> api::RulesApplied {
    api::RulesApplied { examined: r.examined, changed: r.changed, transfers: r.transfers_linked }
}

/// A change-log entry; with `with_changes`, every row and field it touched.
pub fn history_entry(op: credence_core::Operation, with_changes: bool) -> api::HistoryEntry {
    let time = op.time();
    api::HistoryEntry {
        id: op.id,
        when: time.map(|t| t.with_timezone(&chrono::Local).format("%Y-%m-%d %H:%M").to_string()).unwrap_or_default(),
        time: time.map(|t| t.to_rfc3339()),
        hlc: op.hlc,
        device: op.device_id,
        undoes: op.undoes,
        undone_by: op.undone_by,
        change_count: op.changes.len() as u64,
        changes: with_changes.then(|| {
            op.changes
                .into_iter()
                .map(|c| api::FieldChange {
                    kind: c.kind.as_str().to_string(),
                    entity: c.entity.to_string(),
                    id: c.entity_id,
                    field: c.field,
                    old: c.old,
                    new: c.new,
                })
                .collect()
        }),
        summary: op.summary,
    }
}

pub fn exchange_rate(r: analytics::ExchangeRate) -> api::ExchangeRate {
    api::ExchangeRate { currency: r.currency, quote: r.quote, from: r.from.to_string(), rate: r.rate.to_string() }
}

/// An amount in `currency`, with the text to show (core's formatting: the currency's places, grouped).
pub fn money(amount: Decimal, currency: &str) -> api::Money {
    api::Money {
        amount: amount.to_string(),
        currency: currency.to_string(),
        display: values::display_money(amount, currency),
    }
}

pub fn account(a: ledger::Account) -> api::Account {
    let utilization = a.utilization().map(|u| format!("{u}%"));
    api::Account {
        id: a.id,
        name: a.name,
        kind: a.kind.as_str().to_string(),
        credit_limit: a.credit_limit.map(|l| money(l, &a.currency)),
        archived: a.archived,
        utilization,
        balance: money(a.balance, &a.currency),
        currency: a.currency,
        transaction_count: a.transaction_count,
        statement_day: a.statement_day,
        due_day: a.due_day,
    }
}

/// A coach request read: the day (`today` when not given) and the utilization target, a percent of
/// the limit (30 when not given).
pub fn coach_query(q: &api::CoachQuery, today: chrono::NaiveDate) -> Reply<(chrono::NaiveDate, coach::CoachOptions)> {
    // Given, it must be a date (an empty one is not "today").
    let as_of = q.as_of.as_deref().map(date).transpose().map_err(|e| e.in_field("as_of"))?.unwrap_or(today);
    Ok((as_of, coach::CoachOptions { target_percent: bounded(q.target, coach::TARGET_PERCENT, 1..=100, "target")? }))
}

/// What the coach says, every door's shape.
pub fn coach(c: coach::Coach) -> api::Coach {
    let text = |d: Option<chrono::NaiveDate>| d.map(|d| d.to_string());
    let accounts = c
        .accounts
        .into_iter()
        .map(|a| api::CoachAccount {
            kind: a.kind.as_str().to_string(),
            statement_day: a.calendar.map(|c| c.statement_day),
            due_day: a.calendar.map(|c| c.due_day),
            inferred: a.calendar.is_some_and(|c| c.inferred),
            last_closing: text(a.last_closing),
            next_closing: text(a.next_closing),
            statement_balance: a.statement_balance.map(|b| b.to_string()),
            due: text(a.due),
            paid: a.paid,
            paid_amount: a.paid_amount.to_string(),
            streak_months: a.streak_months,
            balance_now: a.balance_now.to_string(),
            credit_limit: a.credit_limit.map(|l| l.to_string()),
            utilization_now: a.utilization_now,
            utilization_at_closing: a.utilization_at_closing,
            tradeline: a.tradeline,
            summary: a.summary,
            account: a.account,
            account_id: a.account_id,
            currency: a.currency,
        })
        .collect();
    let alerts = c
        .alerts
        .into_iter()
        .map(|a| api::CoachAlert {
            kind: a.kind.as_str().to_string(),
            key: a.key(),
            date: a.date.to_string(),
            report_date: text(a.report_date),
            amount: a.amount.to_string(),
            points: a.points,
            text: a.text,
            account: a.account,
            account_id: a.account_id,
            currency: a.currency,
        })
        .collect();
    api::Coach { as_of: c.as_of.to_string(), accounts, alerts }
}

/// The on-time record of bills, with what it is and is not.
pub fn on_time_bills(bills: Vec<coach::OnTimeBill>) -> api::OnTimeBills {
    let bills = bills
        .into_iter()
        .map(|b| api::OnTimeBill {
            kind: b.kind.as_str().to_string(),
            cadence: b.cadence.as_str().to_string(),
            amount: money(b.amount, &b.currency),
            streak: b.streak as u32,
            since: b.since.to_string(),
            last_date: b.last_date.to_string(),
            overdue: b.overdue,
            payee: b.payee,
            account: b.account,
        })
        .collect();
    api::OnTimeBills { note: coach::BILLS_NOTE.to_string(), bills }
}

pub fn sync_status(s: sync::SyncStatus) -> api::SyncStatus {
    api::SyncStatus {
        server: s.server,
        user: s.user,
        vault: s.vault,
        device: s.device,
        pending: s.pending,
        last_sync: s.last_sync,
        cursor: s.cursor,
        role: s.role,
    }
}

pub fn sync_members(members: Vec<sync::SyncMember>) -> api::SyncMembers {
    api::SyncMembers { members: members.into_iter().map(sync_member).collect() }
}

pub fn sync_member(m: sync::SyncMember) -> api::SyncMember {
    api::SyncMember {
        role: m.role.as_str().to_string(),
        since: seconds(m.since),
        user: m.user,
        fingerprint: m.fingerprint,
        you: m.you,
    }
}

pub fn sync_report(r: &sync::SyncReport) -> api::SyncReport {
    api::SyncReport { pushed: r.pushed, pulled: r.pulled, conflicts: r.conflicts }
}

pub fn sync_conflicts(conflicts: Vec<sync::SyncConflict>) -> api::SyncConflicts {
    let conflicts = conflicts
        .into_iter()
        .map(|c| api::SyncConflict {
            decided_at: c.decided_at,
            entity: c.entity.to_string(),
            entity_id: c.entity_id,
            field: c.field,
            kept: c.kept,
            lost: c.lost,
            lost_device: c.lost_device,
            lost_at: c.lost_at,
        })
        .collect();
    api::SyncConflicts { conflicts }
}

pub fn totp_setup(t: sync::TotpSetup) -> api::TotpSetup {
    api::TotpSetup { secret: t.secret, uri: t.uri, recovery_codes: t.recovery_codes }
}

fn seconds(t: chrono::DateTime<chrono::Utc>) -> String {
    t.to_rfc3339_opts(chrono::SecondsFormat::Secs, true)
}

pub fn sync_snapshots(snapshots: Vec<sync::SyncSnapshot>) -> api::SyncSnapshots {
    api::SyncSnapshots { snapshots: snapshots.into_iter().map(sync_snapshot).collect() }
}

pub fn sync_snapshot(s: sync::SyncSnapshot) -> api::SyncSnapshot {
    api::SyncSnapshot {
        taken_at: seconds(s.taken_at),
        stored_at: seconds(s.stored_at),
        id: s.id,
        device: s.device,
        cursor: s.cursor,
        bytes: s.bytes,
    }
}

pub fn sync_restore(r: sync::RestoreReport) -> api::SyncRestore {
    api::SyncRestore { path: r.path.display().to_string(), at: seconds(r.at), snapshot: r.snapshot, records: r.records }
}

pub fn sync_devices(devices: Vec<sync::SyncDevice>) -> api::SyncDevices {
    let devices = devices
        .into_iter()
        .map(|d| api::SyncDevice {
            first_seen: seconds(d.first_seen),
            last_seen: seconds(d.last_seen),
            device: d.device,
            user: d.user,
            records: d.records,
            revoked: d.revoked,
            this_device: d.this_device,
        })
        .collect();
    api::SyncDevices { devices }
}

pub fn category(c: ledger::Category) -> api::Category {
    api::Category { id: c.id, name: c.name, path: c.path, parent_id: c.parent_id, kind: c.kind.as_str().to_string() }
}

pub fn transaction(t: ledger::Transaction) -> api::Transaction {
    api::Transaction {
        id: t.id,
        date: t.date.to_string(),
        amount: money(t.amount, &t.currency),
        currency: t.currency,
        payee: t.payee,
        memo: t.memo,
        category_id: t.category_id,
        category: t.category,
        account: t.account,
        account_id: t.account_id,
        tags: t.tags,
        bank_payee: t.original_payee,
        import_batch: t.import_batch,
        transfer_id: t.transfer_id,
    }
}

/// An import's report; `currency` is the account's (the preview's amounts are in it), and its preview
/// is page `page` of the new rows, `page_rows` to a page.
pub fn import_report(r: import::ImportReport, currency: &str, page: usize, page_rows: usize) -> api::ImportReport {
    api::ImportReport {
        preview_page: page as u64,
        preview_pages: r.imported.div_ceil(page_rows.max(1) as u64).max(1),
        rows: r.rows,
        imported: r.imported,
        duplicates: r.duplicates,
        rejected: r.rejected,
        format: r.format,
        encoding: r.encoding,
        batch: r.batch,
        dry_run: r.dry_run,
        transfers: r.transfers,
        warnings: r.warnings,
        errors: r.errors.into_iter().map(|e| api::RowError { line: e.line, message: e.message }).collect(),
        preview: r.preview.into_iter().map(|row| preview_row(row, currency)).collect(),
        decisions: r.decisions.into_iter().map(decision).collect(),
        doubts: r.doubts,
        needs_confirmation: r.needs_confirmation,
    }
}

fn decision(d: import::Decision) -> api::ImportDecision {
    let basis = match d.basis {
        import::Basis::Proven => api::Basis::Proven,
        import::Basis::Layout => api::Basis::Layout,
        import::Basis::Given => api::Basis::Given,
        import::Basis::Unstated => api::Basis::Unstated,
        import::Basis::Guessed => api::Basis::Guessed,
    };
    api::ImportDecision { aspect: d.aspect.as_str().to_string(), choice: d.choice, basis, evidence: d.evidence }
}

fn preview_row(row: import::PreviewRow, currency: &str) -> api::PreviewRow {
    let (outcome, detail) = match row.outcome {
        RowOutcome::Imported { .. } => (api::Outcome::New, String::new()),
        RowOutcome::Duplicate { of } => (api::Outcome::Duplicate, of),
        RowOutcome::Rejected { reason } => (api::Outcome::Rejected, reason),
    };
    api::PreviewRow {
        line: row.line,
        date: row.date.map(|d| d.to_string()),
        amount: row.amount.map(|a| money(a, currency)),
        payee: row.payee,
        outcome,
        detail,
    }
}

pub fn import_batch(b: import::ImportBatch) -> api::ImportBatch {
    api::ImportBatch {
        id: b.id,
        account: b.account,
        file_name: b.file_name,
        format: b.format,
        rows: b.rows,
        imported: b.imported,
        duplicates: b.duplicates,
        rejected: b.rejected,
        imported_at: b.imported_at,
        remaining: b.remaining,
    }
}

/// A rule with what it does in words and the category it files under, by `names` (`Vault::rule_names`).
pub fn rule(r: rules::Rule, names: &rules::RuleNames) -> api::Rule {
    api::Rule {
        description: rules::describe(&r, names),
        category: r.category_id().map(|id| names.category(id)),
        category_id: r.category_id().map(str::to_string),
        id: r.id,
        position: r.position,
        origin: r.origin.as_str().to_string(),
    }
}

pub fn suggested_rule(s: rules::RuleSuggestion) -> api::SuggestedRule {
    api::SuggestedRule {
        payee: s.payee,
        category_id: s.category_id,
        category: s.category,
        would_change: s.would_change,
    }
}

fn month_figures(m: &analytics::MonthTotals, currency: &str) -> api::MonthFigures {
    api::MonthFigures {
        month: m.month.clone(),
        income: money(m.income, currency),
        expense: money(m.expense, currency),
        net: money(m.net, currency),
        savings_rate: m.savings_rate().map(|r| r.to_string()),
        transactions: m.transactions,
    }
}

fn texts(d: Option<Decimal>) -> Option<String> {
    d.map(|d| d.to_string())
}

pub fn dashboard(d: analytics::Dashboard) -> api::Dashboard {
    let c = d.currency.as_str();
    api::Dashboard {
        month: d.month.clone(),
        converted_from: d.converted_from.iter().cloned().collect(),
        left_out: d.left_out.iter().cloned().collect(),
        this_month: month_figures(&d.this_month, c),
        last_month: month_figures(&d.last_month, c),
        income_change: texts(d.income_change),
        spending_change: texts(d.spending_change),
        spending: d
            .spending
            .iter()
            .map(|s| api::CategorySpending {
                category: s.category.clone(),
                amount: money(s.amount, c),
                share: s.share.to_string(),
                parts: s
                    .parts
                    .iter()
                    .map(|(name, amount)| api::CategoryPart { name: name.clone(), amount: money(*amount, c) })
                    .collect(),
            })
            .collect(),
        net_worth: d
            .net_worth
            .iter()
            .map(|p| api::NetWorthPoint {
                month: p.month.clone(),
                assets: money(p.assets, c),
                debts: money(p.debts, c),
                net: money(p.net, c),
            })
            .collect(),
        utilization: d
            .utilization
            .iter()
            .map(|p| api::UtilizationPoint {
                month: p.month.clone(),
                overall: texts(p.overall),
                cards: p
                    .cards
                    .iter()
                    .map(|(card, percent)| api::CardShare { card: card.clone(), percent: percent.to_string() })
                    .collect(),
                advice: p.advice().map(|(a, _)| a.to_string()),
                high: p.advice().is_some_and(|(_, high)| high),
            })
            .collect(),
        currency: d.currency,
    }
}

/// New rows an import's preview lists in the app and the API.
pub const PREVIEW_ROWS: usize = 200;

/// How the app reads the statement the user chose.
pub fn app_import_options(r: &api::ImportRequest) -> import::ImportOptions {
    let query = api::ImportQuery {
        account_id: r.account_id.clone(),
        file_name: String::new(),
        format: r.format.clone(),
        mapping: r.mapping.clone(),
        encoding: None,
        dry_run: r.dry_run,
        accept_guess: r.accept_guess,
    };
    import_options(&query, PREVIEW_ROWS)
}

/// How an uploaded statement is read, with a preview of `preview_rows` new rows.
pub fn import_options(q: &api::ImportQuery, preview_rows: usize) -> import::ImportOptions {
    let given = |text: &Option<String>| text.clone().filter(|t| !t.trim().is_empty());
    import::ImportOptions {
        format: given(&q.format).filter(|f| f != "auto"),
        mapping: given(&q.mapping),
        encoding: given(&q.encoding),
        dry_run: q.dry_run,
        accept_guess: q.accept_guess,
        preview_rows,
        ..Default::default()
    }
}

/// A monthly report's months: a day or a month each end (a month as `to` means its last day).
pub fn monthly_filter(q: api::MonthlyQuery) -> Reply<analytics::MonthlyFilter> {
    let day = |text: Option<String>, end: bool, field: &str| {
        text.filter(|t| !t.trim().is_empty())
            .map(|d| values::parse_date_or_month(&d, end))
            .transpose()
            .map_err(|e| api_error(&e).in_field(field))
    };
    Ok(analytics::MonthlyFilter {
        from: day(q.from, false, "from")?,
        to: day(q.to, true, "to")?,
        account_id: q.account_id.filter(|a| !a.is_empty()),
        convert_to: q.convert_to.filter(|c| !c.trim().is_empty()),
    })
}

pub fn month_report(m: analytics::MonthTotals) -> api::MonthReport {
    let c = m.currency.as_str();
    api::MonthReport {
        month: m.month.clone(),
        income: money(m.income, c),
        expense: money(m.expense, c),
        net: money(m.net, c),
        savings_rate: m.savings_rate().map(|r| r.to_string()),
        categories: m.categories.iter().map(|(path, amount)| (path.clone(), money(*amount, c))).collect(),
        transactions: m.transactions,
        converted_from: m.converted_from.iter().cloned().collect(),
        currency: m.currency,
    }
}

/// A report request read as the CLI reads its flags: `from`/`to` a day or a month (`2026-01` is the
/// month's first day as `from`, its last as `to`), amounts as decimals; the field at fault is named.
pub fn report_query(r: api::ReportRequest) -> Result<analytics::ReportQuery, ApiError> {
    let given = |text: Option<String>| text.filter(|t| !t.trim().is_empty());
    let day = |text: Option<String>, end: bool, field: &str| {
        given(text).map(|d| values::parse_date_or_month(&d, end)).transpose().map_err(|e| api_error(&e).in_field(field))
    };
    let amount = |text: Option<String>, field: &str| {
        given(text).map(|a| values::parse_amount(&a)).transpose().map_err(|e| api_error(&e).in_field(field))
    };
    Ok(analytics::ReportQuery {
        from: day(r.from, false, "from")?,
        to: day(r.to, true, "to")?,
        account_ids: r.account_ids,
        category_ids: r.category_ids,
        payees: r.payees.into_iter().filter(|p| !p.trim().is_empty()).collect(),
        tags: r.tags.into_iter().filter(|t| !t.trim().is_empty()).collect(),
        text: given(r.text),
        min: amount(r.min, "min")?,
        max: amount(r.max, "max")?,
        period: r.period.parse().map_err(|e| api_error(&e).in_field("period"))?,
        group: r.group.parse().map_err(|e| api_error(&e).in_field("group"))?,
        convert_to: given(r.convert_to),
    })
}

fn report_request(q: &analytics::ReportQuery) -> api::ReportRequest {
    api::ReportRequest {
        from: q.from.map(|d| d.to_string()),
        to: q.to.map(|d| d.to_string()),
        account_ids: q.account_ids.clone(),
        category_ids: q.category_ids.clone(),
        payees: q.payees.clone(),
        tags: q.tags.clone(),
        text: q.text.clone(),
        min: texts(q.min),
        max: texts(q.max),
        period: q.period.as_str().into(),
        group: q.group.as_str().into(),
        convert_to: q.convert_to.clone(),
    }
}

pub fn saved_report(s: analytics::SavedReport) -> api::SavedReport {
    api::SavedReport { request: report_request(&s.query), name: s.name }
}

pub fn report_row(r: analytics::ReportRow) -> api::ReportRow {
    api::ReportRow {
        period: r.period,
        start: r.start.to_string(),
        group: r.group,
        income: money(r.income, &r.currency),
        expense: money(r.expense, &r.currency),
        total: money(r.total, &r.currency),
        count: r.count,
        average: money(r.average, &r.currency),
        currency: r.currency,
    }
}

pub fn trend(t: &analytics::Trend, chart: Option<String>) -> api::Trend {
    let c = t.currency.as_str();
    api::Trend {
        measure: t.measure.as_str().to_string(),
        period: t.period.as_str().to_string(),
        currency: t.currency.clone(),
        window: t.window,
        converted_from: t.converted_from.iter().cloned().collect(),
        points: t
            .points
            .iter()
            .map(|p| api::TrendPoint {
                period: p.period.clone(),
                start: p.start.to_string(),
                value: money(p.value, c),
                transactions: p.transactions,
                moving_average: p.moving_average.map(|a| money(a, c)),
                change: p.change.map(|a| money(a, c)),
                change_percent: texts(p.change_percent),
                year_ago: p.year_ago.map(|a| money(a, c)),
                year_change_percent: texts(p.year_change_percent),
            })
            .collect(),
        chart,
    }
}

/// The trends of `measure` over what `query` selects, each charted in `theme` when one is given.
pub fn trends(
    v: &credence_core::Vault,
    query: &analytics::ReportQuery,
    measure: analytics::Measure,
    window: usize,
    as_of: chrono::NaiveDate,
    theme: Option<credence_core::charts::Theme>,
) -> credence_core::Result<Vec<api::Trend>> {
    use credence_core::charts;
    v.trend(query, measure, window, as_of)?
        .iter()
        .map(|t| {
            let chart = theme.map(|theme| charts::svg(&charts::trend_chart(t, measure.label()), theme)).transpose()?;
            Ok(trend(t, chart))
        })
        .collect()
}

/// The bank layouts the importer knows by name.
pub fn import_formats() -> Vec<api::Format> {
    import::formats().into_iter().map(|(id, name)| api::Format { id: id.into(), name: name.into() }).collect()
}

pub fn budget(b: analytics::BudgetLine) -> api::Budget {
    api::Budget {
        category_id: b.category_id,
        category: b.category,
        budget: money(b.budget, &b.currency),
        spent: money(b.spent, &b.currency),
        remaining: money(b.remaining, &b.currency),
        left_or_over: money(b.remaining.abs(), &b.currency),
        currency: b.currency,
        since: b.since,
        bar_percent: b.used_percent.clamp(Decimal::ZERO, Decimal::from(100)).round().to_u32().unwrap_or(0),
        used_percent: b.used_percent.to_string(),
    }
}

pub fn recurring(s: analytics::RecurringSeries) -> api::Recurring {
    let c = s.currency.as_str();
    api::Recurring {
        notes: s.notes(),
        payee: s.payee.clone(),
        account: s.account.clone(),
        cadence: s.cadence.as_str().to_string(),
        amount: money(s.amount, c),
        occurrences: s.occurrences as u64,
        last_date: s.last_date.to_string(),
        next_date: s.next_date.to_string(),
        skipped: s.skipped as u64,
        status: s.status.as_str().to_string(),
        price_change: s.price_change.map(|(from, to, on)| api::PriceChange {
            from: money(from, c),
            to: money(to, c),
            on: on.to_string(),
        }),
        currency: s.currency,
    }
}

pub fn simulation(s: score::Simulation, as_of: chrono::NaiveDate) -> api::ScoreSimulation {
    let delta = s.delta();
    let moved = s
        .before
        .categories
        .iter()
        .zip(&s.after.categories)
        .filter(|(b, a)| a.points != b.points)
        .map(|(b, a)| (a.name.to_string(), b.points, a.points))
        .collect();
    api::ScoreSimulation { before: score(s.before, as_of), after: score(s.after, s.as_of_after), delta, moved }
}

pub fn credit_counts(c: score::CreditCounts) -> api::CreditCounts {
    let n = |v: usize| v as u64;
    api::CreditCounts {
        accounts: n(c.accounts),
        inquiries: n(c.inquiries),
        collections: n(c.collections),
        public_records: n(c.public_records),
        reported_scores: n(c.reported_scores),
    }
}

pub fn score(e: score::Estimate, as_of: chrono::NaiveDate) -> api::Score {
    api::Score {
        score: e.score,
        range: e.range,
        band: e.band.map(str::to_string),
        as_of: as_of.to_string(),
        model: e.model_version,
        flavour: e.flavour.as_str().to_string(),
        factors: e
            .categories
            .iter()
            .map(|c| api::ScoreFactor { name: c.name.to_string(), points: c.points, max_points: c.max })
            .collect(),
        derogatory_effect: e.derogatory_effect,
        bad_rate: e.score.map(score::bad_rate_percent),
        reasons: e
            .reasons
            .into_iter()
            .map(|r| api::ScoreReason {
                code: r.code,
                text: r.text.to_string(),
                detail: r.detail,
                points_lost: r.points_lost.round_dp(0).to_string(),
                improves_on: r.improves_on.map(|d| d.to_string()),
            })
            .collect(),
        positives: e.positives,
        not_scorable: e.not_scorable,
        ..api::Score::default()
    }
}

/// The estimate with what the score page shows around it: calibration to reported scores of this
/// flavour's family, what to do, and the open cards.
pub fn score_overview(p: &score::CreditProfile, as_of: chrono::NaiveDate, flavour: score::Flavour) -> api::Score {
    let estimate = score::estimate(p, as_of, flavour);
    let scorable = estimate.score.is_some();
    let mut out = score(estimate, as_of);
    if !scorable {
        return out;
    }
    out.calibration = score::calibrate(p, as_of)
        .into_iter()
        .filter(|c| c.flavour == flavour)
        .map(|c| api::Calibration {
            sentence: c.sentence(),
            family: c.family,
            score: c.score,
            range: c.range,
            offset: c.offset,
            observations: c.observations as u64,
            warning: c.warning,
        })
        .collect();
    out.advice = score::recommendations(p, as_of, flavour)
        .into_iter()
        .map(|r| api::ScoreAdvice {
            action: r.action,
            cost: r.cost.map(score::dollars),
            months: r.months,
            points: r.gain,
        })
        .collect();
    out.cards = p
        .accounts
        .iter()
        .filter(|t| t.kind.is_revolving() && t.closed.is_none())
        .filter_map(|t| {
            let limit = t.limit?;
            Some(api::CardUse {
                id: t.id.clone(),
                balance: money(t.balance, "USD"),
                limit: money(limit, "USD"),
                utilization: values::whole_percent(t.balance, limit) as u32,
            })
        })
        .collect();
    out
}

pub fn plan(p: &score::Plan, as_of: chrono::NaiveDate) -> api::ScorePlan {
    let (steps, summary) = p.describe(as_of);
    api::ScorePlan {
        target: p.target,
        current: p.current,
        steps,
        pay: p.reached.as_ref().filter(|s| s.pay > Decimal::ZERO).map(|s| score::dollars(s.pay)),
        payments: p.reached.as_ref().map_or_else(Vec::new, |s| {
            s.payments
                .iter()
                .map(|(account, amount)| api::PlannedPayment {
                    account: account.clone(),
                    amount: money(*amount, "USD"),
                })
                .collect()
        }),
        by: p.reached.as_ref().map(|s| s.by.to_string()),
        score: p.reached.as_ref().map(|s| s.score),
        best: p.best,
        summary,
    }
}

/// Keeps the first-score wizard's answers as the credit report and scores it, saying what it does not
/// know yet.
pub fn first_score(
    v: &mut credence_core::Vault,
    answers: &score::wizard::Answers,
    as_of: chrono::NaiveDate,
) -> credence_core::Result<api::FirstScore> {
    v.keep_first_score(answers, as_of)?;
    let profile = v.credit_report(as_of)?;
    Ok(api::FirstScore {
        score: score_overview(&profile, as_of, score::Flavour::Fico8),
        unknowns: answers.unknowns(as_of),
    })
}

/// Two flavours side by side, and why they differ.
pub fn comparison(c: score::Comparison, as_of: chrono::NaiveDate) -> api::ScoreComparison {
    api::ScoreComparison { first: score(c.first, as_of), second: score(c.second, as_of), differences: c.differences }
}

/// What makes the score, from the estimate.
pub fn score_factors(s: api::Score) -> api::ScoreFactors {
    api::ScoreFactors {
        score: s.score,
        as_of: s.as_of,
        flavour: s.flavour,
        factors: s.factors,
        reasons: s.reasons,
        positives: s.positives,
        not_scorable: s.not_scorable,
    }
}

/// The estimate over the last `back` months and the next `forward` (if nothing changes), with the
/// scores the user saw and the aging calendar, charted in `theme`.
pub fn score_timeline(
    p: &score::CreditProfile,
    as_of: chrono::NaiveDate,
    flavour: score::Flavour,
    (back, forward): (u32, u32),
    theme: credence_core::charts::Theme,
) -> credence_core::Result<api::ScoreTimeline> {
    let history = score::history(p, as_of, back.min(120), flavour);
    let projection = score::projection(p, as_of, forward.min(120), flavour);
    let svg = credence_core::charts::svg(&credence_core::charts::score_chart(&history, &projection), theme)?;
    Ok(timeline(svg, &history, &projection, &score::aging_calendar(p, as_of)))
}

/// The cheapest card payments that move a card to a better utilization bin.
pub fn utilization_steps(steps: Vec<(String, Decimal, i32)>) -> Vec<api::UtilizationStep> {
    steps
        .into_iter()
        .map(|(account, pay, points)| api::UtilizationStep { account, pay: money(pay, "USD"), points })
        .collect()
}

pub fn credit_item(i: score::CreditItem) -> api::CreditItem {
    api::CreditItem { id: i.id, kind: i.kind, item: i.body }
}

/// Months of the estimate; `projected` for months ahead.
pub fn score_points(points: &[score::TimelinePoint], projected: bool) -> Vec<api::ScorePoint> {
    points
        .iter()
        .map(|p| api::ScorePoint {
            month: p.date.format("%Y-%m").to_string(),
            score: p.score,
            projected,
            reported: p.reported.clone(),
            notes: p.notes.clone(),
        })
        .collect()
}

fn timeline(
    svg: String,
    history: &[score::TimelinePoint],
    projection: &[score::TimelinePoint],
    calendar: &[(chrono::NaiveDate, String)],
) -> api::ScoreTimeline {
    let now = history.last().map(|h| h.date);
    let ahead: Vec<score::TimelinePoint> =
        projection.iter().filter(|p| now.is_none_or(|n| p.date > n)).cloned().collect();
    let mut points = score_points(history, false);
    points.extend(score_points(&ahead, true));
    api::ScoreTimeline { svg, points, calendar: calendar.iter().map(|(d, t)| (d.to_string(), t.clone())).collect() }
}

/// The wizard's answers as typed, read by core's parsers; an error names the answer ("card 2 (Amex):
/// opened: …").
pub fn first_score_answers(a: &api::FirstScoreAnswers) -> Result<score::wizard::Answers, ApiError> {
    use score::wizard::{self as w, Late};
    let late = |label: &str, how: &str, when: &str| -> credence_core::Result<Option<Late>> {
        if how.trim().is_empty() {
            return Ok(None);
        }
        Ok(Some(Late {
            severity: w::severity(&format!("{label}: how late"), how)?,
            month: w::month(&format!("{label}: late in"), when)?,
        }))
    };
    let tied = |id: &str| Some(id.trim().to_string()).filter(|i| !i.is_empty());
    let name = |what: &str, i: usize, n: &str| {
        if n.trim().is_empty() {
            format!("{what} {}", i + 1)
        } else {
            format!("{what} {} ({})", i + 1, n.trim())
        }
    };
    let read = || -> credence_core::Result<w::Answers> {
        let mut out = w::Answers::default();
        for (i, c) in a.cards.iter().enumerate() {
            let l = name("card", i, &c.name);
            let card = w::CardAnswer {
                name: c.name.trim().to_string(),
                opened: w::month(&format!("{l}: opened"), &c.opened)?,
                limit: w::optional_money(&format!("{l}: limit"), &c.limit)?,
                balance: w::optional_money(&format!("{l}: balance"), &c.balance)?,
                late: late(&l, &c.late, &c.late_month)?,
                account: tied(&c.account_id),
            };
            card.check(&l)?;
            out.cards.push(card);
        }
        for (i, n) in a.loans.iter().enumerate() {
            let l = name("loan", i, &n.name);
            out.loans.push(w::LoanAnswer {
                name: n.name.trim().to_string(),
                kind: w::loan_kind(&format!("{l}: kind"), &n.kind)?,
                opened: w::month(&format!("{l}: opened"), &n.opened)?,
                original_amount: w::money(&format!("{l}: amount borrowed"), &n.original_amount)?,
                balance: w::optional_money(&format!("{l}: balance"), &n.balance)?,
                late: late(&l, &n.late, &n.late_month)?,
                account: tied(&n.account_id),
            });
        }
        for (i, q) in a.inquiries.iter().enumerate() {
            let l = format!("application {}", i + 1);
            out.inquiries.push(w::InquiryAnswer {
                month: w::month(&format!("{l}: when"), &q.month)?,
                purpose: w::purpose(&format!("{l}: for"), &q.purpose)?,
            });
        }
        for (i, c) in a.collections.iter().enumerate() {
            let l = format!("collection {}", i + 1);
            let paid = if c.paid_month.trim().is_empty() {
                None
            } else {
                Some(w::month(&format!("{l}: paid in"), &c.paid_month)?)
            };
            out.collections.push(w::CollectionAnswer {
                month: w::month(&format!("{l}: reported in"), &c.month)?,
                amount: w::money(&format!("{l}: amount"), &c.amount)?,
                paid,
                medical: c.medical,
            });
        }
        for (i, r) in a.public_records.iter().enumerate() {
            let l = format!("public record {}", i + 1);
            out.public_records.push(w::RecordAnswer {
                kind: w::record_kind(&format!("{l}: kind"), &r.kind)?,
                month: w::month(&format!("{l}: filed in"), &r.month)?,
            });
        }
        Ok(out)
    };
    read().map_err(|e| api_error(&e))
}

/// The credit report item by item, with the editor's form for each kind.
pub fn credit_file(v: &credence_core::Vault, as_of: chrono::NaiveDate) -> credence_core::Result<api::CreditFile> {
    use score::form::{self, Input};
    let accounts = v.accounts()?;
    let items = v.credit_items()?;
    let mut sections = Vec::new();
    for (kind, label) in form::ITEM_KINDS {
        let fields = form::fields(kind)?;
        let form_fields = fields
            .iter()
            .map(|f| {
                let (input, options) = match f.input {
                    Input::Text => ("text", &[][..]),
                    Input::Date => ("date", &[][..]),
                    Input::Money => ("money", &[][..]),
                    Input::Number => ("number", &[][..]),
                    Input::Flag => ("flag", &[][..]),
                    Input::Choice(options) => ("choice", options),
                };
                api::FormField {
                    name: f.name.to_string(),
                    label: f.label.to_string(),
                    input: input.to_string(),
                    required: f.required,
                    options: options.iter().map(|(v, l)| (v.to_string(), l.to_string())).collect(),
                }
            })
            .collect();
        let mut entries = Vec::new();
        for item in items.iter().filter(|i| i.kind == *kind) {
            let tradeline: Option<score::Tradeline> =
                (item.kind == "account").then(|| serde_json::from_value(item.body.clone()).ok()).flatten();
            let linked = tradeline.as_ref().and_then(|t| t.linked_account.clone()).map(|id| {
                let name = accounts
                    .iter()
                    .find(|a| a.id == id)
                    .map_or_else(|| "a deleted account".to_string(), |a| a.name.clone());
                (id, name)
            });
            entries.push(api::CreditEntry {
                id: item.id.clone(),
                summary: form::summary(kind, &item.body)?,
                values: form::to_fields(kind, &item.body)?.into_iter().map(|(_, v)| v).collect(),
                grid: tradeline
                    .as_ref()
                    .map(|t| t.payment_grid(as_of, 24))
                    .unwrap_or_default()
                    .into_iter()
                    .map(payment_month)
                    .collect(),
                tradeline: tradeline.map(|t| t.id),
                linked,
            });
        }
        sections.push(api::CreditSection {
            kind: kind.to_string(),
            label: label.to_string(),
            form: form_fields,
            items: entries,
        });
    }
    let linkable = accounts.into_iter().filter(|a| a.kind.is_credit() && !a.archived).map(|a| (a.id, a.name)).collect();
    Ok(api::CreditFile { sections, linkable })
}

fn payment_month((month, status): score::MonthStatus) -> api::PaymentMonth {
    let status = match status {
        None => "ok".to_string(),
        Some(s) => serde_json::to_value(s).ok().and_then(|v| v.as_str().map(str::to_string)).unwrap_or_default(),
    };
    api::PaymentMonth { month: month.format("%Y-%m").to_string(), status }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn failures_cross_with_a_stable_code_and_the_core_sentence() {
        let wrong = api_error(&Error::WrongPassphrase);
        assert_eq!((wrong.code, wrong.message.as_str()), (ErrorCode::WrongPassphrase, "Wrong passphrase"));
        let missing = api_error(&Error::NotFound { what: "account", key: "Visa".into() });
        assert_eq!((missing.code, missing.message.as_str()), (ErrorCode::NotFound, "Account not found: Visa"));
        assert_eq!(api_error(&Error::Cancelled).code, ErrorCode::Cancelled);
    }

    #[test]
    fn a_report_request_reads_months_as_the_cli_does_and_names_the_field_at_fault() {
        let request = |from: &str, to: &str, min: &str| api::ReportRequest {
            from: Some(from.into()),
            to: Some(to.into()),
            min: Some(min.into()),
            period: "month".into(),
            group: "category".into(),
            ..Default::default()
        };
        let query = report_query(request("2026-01", "2026-02", "")).expect("months");
        assert_eq!(
            (query.from.map(|d| d.to_string()), query.to.map(|d| d.to_string()), query.min),
            (Some("2026-01-01".into()), Some("2026-02-28".into()), None)
        );
        let days = report_query(request("2026-01-15", "2026-02-03", "-20")).expect("days");
        assert_eq!(days.to.map(|d| d.to_string()), Some("2026-02-03".into()));
        for (bad, field) in [
            (request("January", "", ""), "from"),
            (request("", "2026-13", ""), "to"),
            (request("", "", "twenty"), "min"),
            (api::ReportRequest { period: "fortnight".into(), ..request("", "", "") }, "period"),
        ] {
            let refused = report_query(bad).expect_err("refused");
            assert_eq!((refused.code, refused.field.as_deref()), (ErrorCode::Invalid, Some(field)));
        }
    }

    #[test]
    fn money_crosses_with_the_text_core_writes_for_its_currency() {
        let average = money("-101.2083".parse().expect("d"), "USD");
        assert_eq!((average.amount.as_str(), average.display.as_str()), ("-101.2083", "−$101.21"));
        assert_eq!(money(Decimal::from(1500), "JPY").display, "¥1,500");
        assert_eq!(money("12.3456".parse().expect("d"), "KWD").display, "12.346 KWD");
    }

    #[test]
    fn every_flavour_and_payment_status_the_app_offers_is_one_core_reads() {
        for (flavour, label) in api::FLAVOURS {
            let core = score::Flavour::parse(flavour).expect("a flavour core reads");
            assert_eq!((core.as_str(), core.label()), (*flavour, *label), "named as core names it");
        }
        for status in api::PAYMENT_STATUSES.iter().filter(|s| **s != "ok") {
            let severity = score::wizard::severity("status", status).expect("a severity core reads");
            assert_eq!(
                payment_month(("2026-01-01".parse().expect("date"), Some(severity))).status,
                *status,
                "shown as it is sent"
            );
        }
        assert_eq!(payment_month(("2026-01-01".parse().expect("date"), None)).status, "ok");
    }

    #[test]
    fn wizard_answers_are_read_by_core_and_a_wrong_one_is_named() {
        let mut answers = api::FirstScoreAnswers::default();
        answers.cards.push(api::CardAnswer {
            name: "Amex".into(),
            opened: "2020-06".into(),
            limit: "5,000".into(),
            balance: "250".into(),
            ..Default::default()
        });
        answers.inquiries.push(api::InquiryAnswer { month: "2026-05".into(), purpose: "card".into() });
        let read = first_score_answers(&answers).expect("valid answers");
        assert_eq!(read.cards[0].limit, Some(Decimal::from(5000)));
        answers.cards.push(api::CardAnswer {
            name: "Visa".into(),
            opened: "last year".into(),
            limit: "100".into(),
            ..Default::default()
        });
        let e = first_score_answers(&answers).expect_err("a wrong month");
        assert_eq!(e.message, "Card 2 (Visa): opened: \"last year\" is not a month (write it as YYYY-MM)");
        answers.cards[1] = api::CardAnswer { name: "Visa".into(), opened: "2019-01".into(), ..Default::default() };
        assert!(first_score_answers(&answers).expect_err("no limit").message.contains("limit: is needed"));
    }
}
