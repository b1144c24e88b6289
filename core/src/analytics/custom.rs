//! Custom reports: transactions filtered (dates, accounts, categories, payees, tags, text, amount range)
//! and summed per period (week, month, quarter, year or all) and per group (category, payee, account or
//! none), with money in, money out, counts and averages, per currency (or converted, where the user gave
//! rates). Transfers are included only when asked for by category.
//!
//! The sums come in buckets of a month (a day for weekly reports), then fold into periods, so a rate
//! applies per month (or day) and a quarter is its three months. A query that only filters by whole months,
//! accounts and categories reads the monthly totals kept on write (`totals.rs`) instead of the rows.

use std::collections::BTreeMap;

use chrono::{Datelike, Days, NaiveDate};
use rusqlite::types::{Value, ValueRef};
use rust_decimal::Decimal;
use uuid::Uuid;

use super::periods::{month_start, Period};
use crate::error::{Error, Result};
use crate::ids::{id_value, parse_id};
use crate::ledger::transactions::{escape_like, text_condition, text_pattern};
use crate::values::{from_minor, minor_digits};
use crate::vault::Vault;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum GroupBy {
    #[default]
    Category,
    Payee,
    Account,
    None,
}

impl std::str::FromStr for GroupBy {
    type Err = Error;
    fn from_str(s: &str) -> Result<GroupBy> {
        Ok(match s {
            "category" => GroupBy::Category,
            "payee" => GroupBy::Payee,
            "account" => GroupBy::Account,
            "none" => GroupBy::None,
            other => {
                return Err(Error::invalid(format!(
                    "\"{other}\" is not a grouping (use category, payee, account or none)"
                )))
            }
        })
    }
}

impl GroupBy {
    pub fn as_str(self) -> &'static str {
        match self {
            GroupBy::Category => "category",
            GroupBy::Payee => "payee",
            GroupBy::Account => "account",
            GroupBy::None => "none",
        }
    }
}

/// What to report. Empty lists mean "all"; a category includes its sub-categories; several values of
/// one filter mean any of them.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct ReportQuery {
    pub from: Option<NaiveDate>,
    pub to: Option<NaiveDate>,
    pub account_ids: Vec<String>,
    pub category_ids: Vec<String>,
    /// Payees, matched whole and without regard to case.
    pub payees: Vec<String>,
    /// Tags, without the '#'.
    pub tags: Vec<String>,
    /// Text to find in the payee, the bank's payee text or the memo.
    pub text: Option<String>,
    /// Amount bounds, inclusive, in the account holder's view (money out negative).
    pub min: Option<Decimal>,
    pub max: Option<Decimal>,
    pub period: Period,
    pub group: GroupBy,
    /// Express amounts in this currency where a rate is known (`Vault::set_exchange_rate`).
    pub convert_to: Option<String>,
}

/// One period × group × currency cell.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReportRow {
    /// "2026-03-02" (a week's Monday), "2026-03", "2026-Q1", "2026" or "all".
    pub period: String,
    /// The period's first day (the first transaction's day for "all").
    pub start: NaiveDate,
    /// The category path, payee or account name ("" when not grouped; "Uncategorized").
    pub group: String,
    pub currency: String,
    /// Money in (positive).
    pub income: Decimal,
    /// Money out (negative).
    pub expense: Decimal,
    pub total: Decimal,
    pub count: u64,
    /// The mean per transaction, to the currency's precision plus two places.
    pub average: Decimal,
}

/// Sums of one bucket (a month, or a day of a weekly report) in one group and currency, in minor units;
/// `start` is the month's first day or the week's Monday.
struct Bucket {
    start: NaiveDate,
    group: String,
    currency: String,
    income: i64,
    expense: i64,
    count: i64,
}

/// A period × currency × group's sums so far, and its earliest bucket.
#[derive(Default)]
struct Cell {
    income: Decimal,
    expense: Decimal,
    count: i64,
    first: NaiveDate,
}

/// A WHERE clause in the making, with its arguments.
#[derive(Default)]
struct Conditions {
    clauses: Vec<String>,
    args: Vec<Value>,
}

impl Conditions {
    fn arg(&mut self, v: Value) -> String {
        self.args.push(v);
        format!("?{}", self.args.len())
    }

    fn any_of(&mut self, column: &str, values: Vec<Value>) {
        let marks: Vec<String> = values.into_iter().map(|v| self.arg(v)).collect();
        self.clauses.push(format!("{column} IN ({})", marks.join(", ")));
    }

    fn sql(&self) -> String {
        if self.clauses.is_empty() {
            "1 = 1".to_string()
        } else {
            self.clauses.join(" AND ")
        }
    }
}

/// The rows as a CSV document (a header line, then one line per row). New columns go at the end:
/// scripts read these files by position.
/// A text cell a spreadsheet would not run: one starting with `=`, `+`, `-`, `@`, a tab or a carriage
/// return gets a leading apostrophe (OWASP's advice for CSV injection). Payees come from bank files, so
/// anyone who can send money can choose one.
pub fn spreadsheet_safe(text: &str) -> std::borrow::Cow<'_, str> {
    if text.starts_with(['=', '+', '-', '@', '\t', '\r']) {
        std::borrow::Cow::Owned(format!("'{text}"))
    } else {
        std::borrow::Cow::Borrowed(text)
    }
}

pub fn report_csv(rows: &[ReportRow]) -> Result<String> {
    let mut out = csv::Writer::from_writer(Vec::new());
    let failed = |e: csv::Error| Error::invalid(format!("the report could not be written as CSV: {e}"));
    out.write_record(["period", "group", "currency", "total", "count", "average", "income", "expense"])
        .map_err(failed)?;
    for r in rows {
        let numbers = [
            r.total.to_string(),
            r.count.to_string(),
            r.average.to_string(),
            r.income.to_string(),
            r.expense.to_string(),
        ];
        let texts = [spreadsheet_safe(&r.period), spreadsheet_safe(&r.group), spreadsheet_safe(&r.currency)];
        out.write_record(texts.iter().map(|t| t.as_ref()).chain(numbers.iter().map(String::as_str))).map_err(failed)?;
    }
    let bytes = out.into_inner().map_err(|e| Error::invalid(format!("the report could not be written as CSV: {e}")))?;
    String::from_utf8(bytes).map_err(|_| Error::invalid("the report could not be written as CSV"))
}

impl ReportQuery {
    /// Whether the monthly totals hold everything this query filters and groups by.
    fn totals_suffice(&self) -> bool {
        let month_start_or_open = self.from.is_none_or(|d| d.day() == 1);
        let month_end_or_open = self.to.is_none_or(|d| d.checked_add_days(Days::new(1)).is_some_and(|n| n.day() == 1));
        self.payees.is_empty()
            && self.tags.is_empty()
            && self.text.as_deref().is_none_or(|t| t.trim().is_empty())
            && self.min.is_none()
            && self.max.is_none()
            && self.period != Period::Week
            && self.group != GroupBy::Payee
            && month_start_or_open
            && month_end_or_open
    }
}

impl Vault {
    pub fn custom_report(&self, q: &ReportQuery) -> Result<Vec<ReportRow>> {
        let buckets = if q.totals_suffice() { self.buckets_from_totals(q)? } else { self.buckets_from_rows(q)? };
        let converter = self.converter(q.convert_to.as_deref())?;
        let bucket_period = if q.period == Period::Week { Period::Week } else { Period::Month };
        let mut cells: BTreeMap<(NaiveDate, String, String), Cell> = BTreeMap::new();
        for b in buckets {
            let on = bucket_period.end(b.start);
            let (currency, income) = converter.express(from_minor(b.income, &b.currency), &b.currency, on);
            let (_, expense) = converter.express(from_minor(b.expense, &b.currency), &b.currency, on);
            let cell = cells
                .entry((q.period.start(b.start), currency, b.group))
                .or_insert(Cell { first: b.start, ..Cell::default() });
            cell.income += income;
            cell.expense += expense;
            cell.count += b.count;
            cell.first = cell.first.min(b.start);
        }
        Ok(cells
            .into_iter()
            .map(|((start, currency, group), Cell { income, expense, count, first })| {
                let total = income + expense;
                let average = (total / Decimal::from(count.max(1))).round_dp(minor_digits(&currency) + 2);
                let start = if q.period == Period::All { first } else { start };
                ReportRow {
                    period: q.period.label(start),
                    start,
                    group,
                    currency,
                    income,
                    expense,
                    total,
                    count: count as u64,
                    average,
                }
            })
            .collect())
    }

    /// The filters every source shares: accounts and categories (with the transfer rule).
    fn common_conditions(
        &self,
        q: &ReportQuery,
        c: &mut Conditions,
        account: &str,
        category: &str,
        transfer_free: &str,
    ) -> Result<()> {
        if !q.account_ids.is_empty() {
            let ids =
                q.account_ids.iter().map(|a| Ok(id_value(parse_id("account", a)?))).collect::<Result<Vec<_>>>()?;
            c.any_of(account, ids);
        }
        if q.category_ids.is_empty() {
            // Transfers between the user's own accounts are neither income nor spending.
            c.clauses.push(format!("{transfer_free} AND (c.kind IS NULL OR c.kind <> 'transfer')"));
        } else {
            let mut ids = Vec::new();
            for id in &q.category_ids {
                ids.extend(self.category_and_descendants(id)?.into_iter().map(id_value));
            }
            c.any_of(category, ids);
        }
        Ok(())
    }

    fn buckets_from_totals(&self, q: &ReportQuery) -> Result<Vec<Bucket>> {
        let mut c = Conditions::default();
        if let Some(from) = q.from {
            let mark = c.arg(Value::Text(from.format("%Y-%m").to_string()));
            c.clauses.push(format!("m.month >= {mark}"));
        }
        if let Some(to) = q.to {
            let mark = c.arg(Value::Text(to.format("%Y-%m").to_string()));
            c.clauses.push(format!("m.month <= {mark}"));
        }
        self.common_conditions(q, &mut c, "m.account_id", "m.category_id", "m.transfer = 0")?;
        let group = match q.group {
            GroupBy::Category => "nullif(m.category_id, x'')",
            GroupBy::Account => "a.name",
            GroupBy::Payee | GroupBy::None => "''",
        };
        let sql = format!(
            "SELECT m.month, {group}, a.currency, sum(m.income), sum(m.expense), sum(m.count)
             FROM monthly_totals m JOIN accounts a ON a.id = m.account_id LEFT JOIN categories c ON c.id = nullif(m.category_id, x'')
             WHERE {} GROUP BY 1, 2, 3",
            c.sql()
        );
        self.read_buckets(&sql, c.args, q.group, month_start)
    }

    fn buckets_from_rows(&self, q: &ReportQuery) -> Result<Vec<Bucket>> {
        let mut c = Conditions::default();
        if let Some(from) = q.from {
            let mark = c.arg(Value::Text(from.to_string()));
            c.clauses.push(format!("t.date >= {mark}"));
        }
        if let Some(to) = q.to {
            let mark = c.arg(Value::Text(to.to_string()));
            c.clauses.push(format!("t.date <= {mark}"));
        }
        self.common_conditions(q, &mut c, "t.account_id", "t.category_id", "t.transfer_id IS NULL")?;
        if !q.payees.is_empty() {
            let payees = q.payees.iter().map(|p| Value::Text(p.trim().to_lowercase())).collect();
            c.any_of("lower(t.payee)", payees);
        }
        if !q.tags.is_empty() {
            let any: Vec<String> = q
                .tags
                .iter()
                .map(|tag| {
                    let mark = c.arg(Value::Text(format!("% #{} %", escape_like(tag.trim().trim_start_matches('#')))));
                    format!("(' ' || coalesce(t.tags, '') || ' ') LIKE {mark} ESCAPE '\\'")
                })
                .collect();
            c.clauses.push(format!("({})", any.join(" OR ")));
        }
        if let Some(text) = q.text.as_deref().map(str::trim).filter(|t| !t.is_empty()) {
            let placeholder = c.arg(text_pattern(text));
            c.clauses.push(text_condition(&placeholder));
        }
        self.amount_bounds(q, &mut c)?;
        // Weekly reports sum per day here and fold the days into weeks when reading (cheaper than
        // working out each row's Monday in SQL).
        let bucket = if q.period == Period::Week { "t.date" } else { "substr(t.date, 1, 7)" };
        let group = match q.group {
            GroupBy::Category => "t.category_id",
            GroupBy::Payee => "t.payee",
            GroupBy::Account => "a.name",
            GroupBy::None => "''",
        };
        let sql = format!(
            "SELECT {bucket}, {group}, a.currency, sum(max(t.amount, 0)), sum(min(t.amount, 0)), count(*)
             FROM transactions t JOIN accounts a ON a.id = t.account_id LEFT JOIN categories c ON c.id = t.category_id
             WHERE {} GROUP BY 1, 2, 3",
            c.sql()
        );
        let week = q.period == Period::Week;
        self.read_buckets(&sql, c.args, q.group, |text| {
            if week {
                text.parse().ok().map(|d| Period::Week.start(d))
            } else {
                month_start(text)
            }
        })
    }

    /// Amounts are stored in each currency's minor units: compare per currency, exactly (a bound finer
    /// than the currency rounds inward: amount >= 1.005 USD means amount >= 1.01).
    fn amount_bounds(&self, q: &ReportQuery, c: &mut Conditions) -> Result<()> {
        for (bound, op) in [(q.min, ">="), (q.max, "<=")] {
            let Some(bound) = bound else { continue };
            let mut per_currency = Vec::new();
            for currency in self.currencies()? {
                let out_of_range = || Error::invalid(format!("{bound} is out of range for {currency}"));
                let scaled =
                    bound.checked_mul(Decimal::from(10i64.pow(minor_digits(&currency)))).ok_or_else(out_of_range)?;
                let minor = if op == ">=" { scaled.ceil() } else { scaled.floor() };
                let minor = i64::try_from(minor).map_err(|_| out_of_range())?;
                let (cur, amount) = (c.arg(Value::Text(currency)), c.arg(Value::Integer(minor)));
                per_currency.push(format!("(a.currency = {cur} AND t.amount {op} {amount})"));
            }
            c.clauses.push(format!(
                "({})",
                if per_currency.is_empty() { "0".to_string() } else { per_currency.join(" OR ") }
            ));
        }
        Ok(())
    }

    /// Runs a bucket query: (bucket, group, currency, income, expense, count) rows.
    fn read_buckets(
        &self,
        sql: &str,
        args: Vec<Value>,
        group: GroupBy,
        start: impl Fn(&str) -> Option<NaiveDate>,
    ) -> Result<Vec<Bucket>> {
        let paths: std::collections::HashMap<Uuid, String> =
            self.categories()?.into_iter().filter_map(|c| Some((Uuid::parse_str(&c.id).ok()?, c.path))).collect();
        let mut stmt = self.conn.prepare(sql)?;
        let rows = stmt.query_map(rusqlite::params_from_iter(args), |r| {
            let key = match r.get_ref(1)? {
                ValueRef::Blob(b) => {
                    Uuid::from_slice(b).ok().and_then(|id| paths.get(&id).cloned()).unwrap_or_default()
                }
                ValueRef::Text(t) => String::from_utf8_lossy(t).into_owned(),
                _ if group == GroupBy::Category => "Uncategorized".to_string(),
                _ => String::new(),
            };
            let bucket: String = r.get(0)?;
            Ok((bucket, key, r.get::<_, String>(2)?, r.get::<_, i64>(3)?, r.get::<_, i64>(4)?, r.get::<_, i64>(5)?))
        })?;
        rows.map(|row| {
            let (bucket, group, currency, income, expense, count) = row?;
            let start =
                start(&bucket).ok_or_else(|| Error::invalid(format!("a stored date is not readable: {bucket}")))?;
            Ok(Bucket { start, group, currency, income, expense, count })
        })
        .collect()
    }

    pub(crate) fn currencies(&self) -> Result<Vec<String>> {
        let mut stmt = self.conn.prepare("SELECT DISTINCT currency FROM accounts")?;
        let rows = stmt.query_map([], |r| r.get(0))?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_csv_cell_a_spreadsheet_would_run_is_written_as_text() {
        for (given, written) in [
            ("=HYPERLINK(\"http://x\")", "'=HYPERLINK(\"http://x\")"),
            ("+1", "'+1"),
            ("-cmd", "'-cmd"),
            ("@SUM(A1)", "'@SUM(A1)"),
            ("\tx", "'\tx"),
            ("Groceries", "Groceries"),
        ] {
            assert_eq!(spreadsheet_safe(given), written);
        }
        let row = ReportRow {
            period: "2026-11".into(),
            start: NaiveDate::from_ymd_opt(2026, 11, 1).expect("date"),
            group: "=cmd|' /C calc'!A0".into(),
            currency: "USD".into(),
            income: Decimal::ZERO,
            expense: Decimal::new(-1250, 2),
            total: Decimal::new(-1250, 2),
            count: 1,
            average: Decimal::new(-1250, 2),
        };
        let csv = report_csv(&[row]).expect("csv");
        assert!(csv.contains("'=cmd") && csv.contains(",-12.50,"), "text escaped, numbers left as numbers: {csv}");
    }
}
