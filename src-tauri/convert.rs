//! Core values to their IPC shapes, and core errors to `{code, message}`.

use credence_core::import::{self, RowOutcome};
use credence_core::{analytics, ledger, rules, score, values, Error};
use rust_decimal::Decimal;
use credence_ipc as ipc;
use credence_ipc::{ErrorCode, IpcError};

pub fn ipc_error(e: &Error) -> IpcError {
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
        Error::Invalid(_) | Error::Conflict(_) | Error::CannotUndo { .. } | Error::Unconfirmed(_) => ErrorCode::Invalid,
        Error::NotFound { .. } => ErrorCode::NotFound,
        Error::NothingToUndo => ErrorCode::NothingToUndo,
        Error::Cancelled => ErrorCode::Cancelled,
        Error::Io { .. } => ErrorCode::Io,
        Error::Database(_) => ErrorCode::Internal,
    };
    let message = match code {
        // A database error's text means nothing to a user; the generic sentence says what matters.
        ErrorCode::Internal => ipc::GENERIC_ERROR.to_string(),
        _ => capitalized(&e.to_string()),
    };
    IpcError::new(code, message)
}

fn capitalized(text: &str) -> String {
    let mut chars = text.chars();
    chars.next().map(|first| first.to_uppercase().chain(chars).collect()).unwrap_or_default()
}

pub fn invalid(message: impl Into<String>) -> IpcError {
    IpcError::new(ErrorCode::Invalid, message)
}

pub fn account(a: ledger::Account) -> ipc::Account {
    ipc::Account {
        id: a.id,
        name: a.name,
        kind: a.kind.as_str().to_string(),
        currency: a.currency,
        credit_limit: a.credit_limit.map(|l| l.to_string()),
        archived: a.archived,
        balance: a.balance.to_string(),
        transaction_count: a.transaction_count,
    }
}

pub fn category(c: ledger::Category) -> ipc::Category {
    ipc::Category { id: c.id, path: c.path, kind: c.kind.as_str().to_string() }
}

pub fn transaction(t: ledger::Transaction) -> ipc::Transaction {
    ipc::Transaction {
        id: t.id,
        date: t.date.to_string(),
        amount: t.amount.to_string(),
        currency: t.currency,
        payee: t.payee,
        memo: t.memo,
        category_id: t.category_id,
        category: t.category,
        account: t.account,
    }
}

pub fn import_report(r: import::ImportReport) -> ipc::ImportReport {
    ipc::ImportReport {
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
        errors: r.errors.into_iter().map(|e| ipc::RowError { line: e.line, message: e.message }).collect(),
        preview: r.preview.into_iter().map(preview_row).collect(),
        decisions: r.decisions.into_iter().map(decision).collect(),
        doubts: r.doubts,
        needs_confirmation: r.needs_confirmation,
    }
}

fn decision(d: import::Decision) -> ipc::ImportDecision {
    let basis = match d.basis {
        import::Basis::Proven => ipc::Basis::Proven,
        import::Basis::Layout => ipc::Basis::Layout,
        import::Basis::Given => ipc::Basis::Given,
        import::Basis::Unstated => ipc::Basis::Unstated,
        import::Basis::Guessed => ipc::Basis::Guessed,
    };
    ipc::ImportDecision { aspect: d.aspect.as_str().to_string(), choice: d.choice, basis, evidence: d.evidence }
}

fn preview_row(row: import::PreviewRow) -> ipc::PreviewRow {
    let (outcome, detail) = match row.outcome {
        RowOutcome::Imported { .. } => (ipc::Outcome::New, String::new()),
        RowOutcome::Duplicate { of } => (ipc::Outcome::Duplicate, of),
        RowOutcome::Rejected { reason } => (ipc::Outcome::Rejected, reason),
    };
    ipc::PreviewRow {
        line: row.line,
        date: row.date.map(|d| d.to_string()),
        amount: row.amount.map(|a| a.to_string()),
        payee: row.payee,
        outcome,
        detail,
    }
}

pub fn import_batch(b: import::ImportBatch) -> ipc::ImportBatch {
    ipc::ImportBatch {
        id: b.id,
        account: b.account,
        file_name: b.file_name,
        format: b.format,
        imported: b.imported,
        duplicates: b.duplicates,
        rejected: b.rejected,
        imported_at: b.imported_at,
        remaining: b.remaining,
    }
}

pub fn rule(r: rules::Rule) -> ipc::Rule {
    ipc::Rule {
        description: rules::describe(&r),
        id: r.id,
        position: r.position,
        origin: r.origin.as_str().to_string(),
    }
}

pub fn suggested_rule(s: rules::RuleSuggestion) -> ipc::SuggestedRule {
    ipc::SuggestedRule { payee: s.payee, category_id: s.category_id, category: s.category, would_change: s.would_change }
}

fn month_figures(m: &analytics::MonthTotals) -> ipc::MonthFigures {
    ipc::MonthFigures {
        month: m.month.clone(),
        income: m.income.to_string(),
        expense: m.expense.to_string(),
        net: m.net.to_string(),
        savings_rate: m.savings_rate().map(|r| r.to_string()),
    }
}

fn texts(d: Option<Decimal>) -> Option<String> {
    d.map(|d| d.to_string())
}

fn pairs(items: &[(String, Decimal)]) -> Vec<(String, String)> {
    items.iter().map(|(name, v)| (name.clone(), v.to_string())).collect()
}

pub fn dashboard(d: analytics::Dashboard) -> ipc::Dashboard {
    ipc::Dashboard {
        month: d.month,
        currency: d.currency,
        converted_from: d.converted_from.into_iter().collect(),
        left_out: d.left_out.into_iter().collect(),
        this_month: month_figures(&d.this_month),
        last_month: month_figures(&d.last_month),
        income_change: texts(d.income_change),
        spending_change: texts(d.spending_change),
        spending: d
            .spending
            .iter()
            .map(|s| ipc::CategorySpending { category: s.category.clone(), amount: s.amount.to_string(), share: s.share.to_string(), parts: pairs(&s.parts) })
            .collect(),
        net_worth: d
            .net_worth
            .iter()
            .map(|p| ipc::NetWorthPoint { month: p.month.clone(), assets: p.assets.to_string(), debts: p.debts.to_string(), net: p.net.to_string() })
            .collect(),
        utilization: d
            .utilization
            .iter()
            .map(|p| ipc::UtilizationPoint { month: p.month.clone(), overall: texts(p.overall), cards: pairs(&p.cards) })
            .collect(),
    }
}

/// The UI's report request as a core query: dates, amounts, period and grouping parsed.
pub fn report_query(r: ipc::ReportRequest) -> Result<analytics::ReportQuery, IpcError> {
    let date = |d: Option<String>| d.filter(|d| !d.trim().is_empty()).map(|d| values::parse_date(&d)).transpose();
    let amount = |a: Option<String>| a.filter(|a| !a.trim().is_empty()).map(|a| values::parse_amount(&a)).transpose();
    let parsed = (|| -> credence_core::Result<analytics::ReportQuery> {
        Ok(analytics::ReportQuery {
            from: date(r.from)?,
            to: date(r.to)?,
            account_ids: r.account_ids,
            category_ids: r.category_ids,
            payees: r.payees.into_iter().filter(|p| !p.trim().is_empty()).collect(),
            tags: r.tags.into_iter().filter(|t| !t.trim().is_empty()).collect(),
            text: r.text.filter(|t| !t.trim().is_empty()),
            min: amount(r.min)?,
            max: amount(r.max)?,
            period: r.period.parse()?,
            group: r.group.parse()?,
            convert_to: r.convert_to.filter(|c| !c.trim().is_empty()),
        })
    })();
    parsed.map_err(|e| ipc_error(&e))
}

fn report_request(q: &analytics::ReportQuery) -> ipc::ReportRequest {
    ipc::ReportRequest {
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

pub fn saved_report(s: analytics::SavedReport) -> ipc::SavedReport {
    ipc::SavedReport { request: report_request(&s.query), name: s.name }
}

pub fn report_row(r: analytics::ReportRow) -> ipc::ReportRow {
    ipc::ReportRow {
        period: r.period,
        group: r.group,
        currency: r.currency,
        income: r.income.to_string(),
        expense: r.expense.to_string(),
        total: r.total.to_string(),
        count: r.count,
        average: r.average.to_string(),
    }
}

pub fn trend(t: &analytics::Trend, chart: String) -> ipc::Trend {
    ipc::Trend {
        currency: t.currency.clone(),
        window: t.window,
        converted_from: t.converted_from.iter().cloned().collect(),
        points: t
            .points
            .iter()
            .map(|p| ipc::TrendPoint {
                period: p.period.clone(),
                value: p.value.to_string(),
                moving_average: texts(p.moving_average),
                change_percent: texts(p.change_percent),
                year_change_percent: texts(p.year_change_percent),
            })
            .collect(),
        chart,
    }
}

pub fn budget(b: analytics::BudgetLine) -> ipc::Budget {
    ipc::Budget {
        category_id: b.category_id,
        category: b.category,
        currency: b.currency,
        budget: b.budget.to_string(),
        spent: b.spent.to_string(),
        remaining: b.remaining.to_string(),
        used_percent: b.used_percent.to_string(),
    }
}

pub fn recurring(s: analytics::RecurringSeries) -> ipc::Recurring {
    ipc::Recurring {
        notes: s.notes(),
        payee: s.payee,
        cadence: s.cadence.as_str().to_string(),
        amount: s.amount.to_string(),
        currency: s.currency,
        next_date: s.next_date.to_string(),
    }
}

pub fn simulation(s: score::Simulation, as_of: chrono::NaiveDate) -> ipc::ScoreSimulation {
    let delta = s.delta();
    let moved = s
        .before
        .categories
        .iter()
        .zip(&s.after.categories)
        .filter(|(b, a)| a.points != b.points)
        .map(|(b, a)| (a.name.to_string(), b.points, a.points))
        .collect();
    ipc::ScoreSimulation { before: score(s.before, as_of), after: score(s.after, s.as_of_after), delta, moved }
}

pub fn credit_counts(c: score::CreditCounts) -> ipc::CreditCounts {
    let n = |v: usize| v as u64;
    ipc::CreditCounts {
        accounts: n(c.accounts),
        inquiries: n(c.inquiries),
        collections: n(c.collections),
        public_records: n(c.public_records),
        reported_scores: n(c.reported_scores),
    }
}

pub fn score(e: score::Estimate, as_of: chrono::NaiveDate) -> ipc::Score {
    ipc::Score {
        score: e.score,
        band: e.band.map(str::to_string),
        as_of: as_of.to_string(),
        model: e.model_version,
        factors: e
            .categories
            .iter()
            .map(|c| ipc::ScoreFactor { name: c.name.to_string(), points: c.points, max_points: c.max })
            .collect(),
        reasons: e
            .reasons
            .into_iter()
            .map(|r| ipc::ScoreReason { text: r.text.to_string(), detail: r.detail, points_lost: r.points_lost.round_dp(0).to_string() })
            .collect(),
        positives: e.positives,
        not_scorable: e.not_scorable,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn failures_cross_with_a_stable_code_and_the_core_sentence() {
        let wrong = ipc_error(&Error::WrongPassphrase);
        assert_eq!((wrong.code, wrong.message.as_str()), (ErrorCode::WrongPassphrase, "Wrong passphrase"));
        let missing = ipc_error(&Error::NotFound { what: "account", key: "Visa".into() });
        assert_eq!((missing.code, missing.message.as_str()), (ErrorCode::NotFound, "Account not found: Visa"));
        assert_eq!(ipc_error(&Error::Cancelled).code, ErrorCode::Cancelled);
    }
}
