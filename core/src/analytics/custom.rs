//! Custom reports: transactions filtered (dates, accounts, categories, text, amount range) and summed
//! per period (month, quarter, year or all) and per group (category, payee, account or none), with
//! counts and averages, per currency. Transfers are included only when asked for by category.

use std::collections::HashMap;

use chrono::NaiveDate;
use rusqlite::types::Value;
use rust_decimal::Decimal;
use uuid::Uuid;

use crate::error::{Error, Result};
use crate::ids::{id_value, parse_id};
use crate::ledger::transactions::{text_condition, text_pattern};
use crate::values::from_minor;
use crate::vault::Vault;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Period {
    #[default]
    Month,
    Quarter,
    Year,
    All,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum GroupBy {
    #[default]
    Category,
    Payee,
    Account,
    None,
}

impl std::str::FromStr for Period {
    type Err = Error;
    fn from_str(s: &str) -> Result<Period> {
        Ok(match s {
            "month" => Period::Month,
            "quarter" => Period::Quarter,
            "year" => Period::Year,
            "all" => Period::All,
            other => return Err(Error::invalid(format!("\"{other}\" is not a period (use month, quarter, year or all)"))),
        })
    }
}

impl std::str::FromStr for GroupBy {
    type Err = Error;
    fn from_str(s: &str) -> Result<GroupBy> {
        Ok(match s {
            "category" => GroupBy::Category,
            "payee" => GroupBy::Payee,
            "account" => GroupBy::Account,
            "none" => GroupBy::None,
            other => return Err(Error::invalid(format!("\"{other}\" is not a grouping (use category, payee, account or none)"))),
        })
    }
}

/// What to report. Empty lists mean "all"; a category includes its sub-categories.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct ReportQuery {
    pub from: Option<NaiveDate>,
    pub to: Option<NaiveDate>,
    pub account_ids: Vec<String>,
    pub category_ids: Vec<String>,
    /// Text to find in the payee, the bank's payee text or the memo.
    pub text: Option<String>,
    /// Amount bounds, inclusive, in the account holder's view (money out negative).
    pub min: Option<Decimal>,
    pub max: Option<Decimal>,
    pub period: Period,
    pub group: GroupBy,
}

/// One period × group × currency cell.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReportRow {
    /// "2026-03", "2026-Q1", "2026" or "all".
    pub period: String,
    /// The category path, payee or account name ("" when not grouped; "Uncategorized").
    pub group: String,
    pub currency: String,
    pub total: Decimal,
    pub count: u64,
    /// The mean per transaction, to the currency's precision plus two places.
    pub average: Decimal,
}

impl Vault {
    pub fn custom_report(&self, q: &ReportQuery) -> Result<Vec<ReportRow>> {
        let mut clauses = vec!["1 = 1".to_string()];
        let mut args: Vec<Value> = Vec::new();
        let mut arg = |v: Value| {
            args.push(v);
            format!("?{}", args.len())
        };
        if let Some(from) = q.from {
            clauses.push(format!("t.date >= {}", arg(Value::Text(from.to_string()))));
        }
        if let Some(to) = q.to {
            clauses.push(format!("t.date <= {}", arg(Value::Text(to.to_string()))));
        }
        if !q.account_ids.is_empty() {
            let marks: Vec<String> =
                q.account_ids.iter().map(|a| Ok(arg(id_value(parse_id("account", a)?)))).collect::<Result<_>>()?;
            clauses.push(format!("t.account_id IN ({})", marks.join(", ")));
        }
        if !q.category_ids.is_empty() {
            let mut marks = Vec::new();
            for c in &q.category_ids {
                for id in self.category_and_descendants(c)? {
                    marks.push(arg(id_value(id)));
                }
            }
            clauses.push(format!("t.category_id IN ({})", marks.join(", ")));
        } else {
            // Transfers between the user's own accounts are neither income nor spending.
            clauses.push("t.transfer_id IS NULL AND (c.kind IS NULL OR c.kind <> 'transfer')".into());
        }
        if let Some(text) = q.text.as_deref().map(str::trim).filter(|t| !t.is_empty()) {
            let placeholder = arg(text_pattern(text));
            clauses.push(text_condition(&placeholder));
        }
        // Amounts are stored in each currency's minor units: compare per currency, exactly (a bound
        // finer than the currency rounds inward: amount >= 1.005 USD means amount >= 1.01).
        for (bound, op) in [(q.min, ">="), (q.max, "<=")] {
            let Some(bound) = bound else { continue };
            let mut per_currency = Vec::new();
            for currency in self.currencies()? {
                let out_of_range = || Error::invalid(format!("{bound} is out of range for {currency}"));
                let scaled = bound.checked_mul(Decimal::from(10i64.pow(crate::values::minor_digits(&currency)))).ok_or_else(out_of_range)?;
                let minor = if op == ">=" { scaled.ceil() } else { scaled.floor() };
                let minor = i64::try_from(minor).map_err(|_| out_of_range())?;
                per_currency.push(format!("(a.currency = {} AND t.amount {op} {})", arg(Value::Text(currency)), arg(Value::Integer(minor))));
            }
            clauses.push(format!("({})", if per_currency.is_empty() { "0".to_string() } else { per_currency.join(" OR ") }));
        }
        let period = match q.period {
            Period::Month => "substr(t.date, 1, 7)",
            Period::Quarter => "substr(t.date, 1, 4) || '-Q' || ((cast(substr(t.date, 6, 2) AS INTEGER) + 2) / 3)",
            Period::Year => "substr(t.date, 1, 4)",
            Period::All => "'all'",
        };
        let group = match q.group {
            GroupBy::Category => "t.category_id",
            GroupBy::Payee => "t.payee",
            GroupBy::Account => "a.name",
            GroupBy::None => "''",
        };
        let sql = format!(
            "SELECT {period}, {group}, a.currency, sum(t.amount), count(*)
             FROM transactions t JOIN accounts a ON a.id = t.account_id LEFT JOIN categories c ON c.id = t.category_id
             WHERE {} GROUP BY 1, 2, 3 ORDER BY 1, 3, 2",
            clauses.join(" AND ")
        );
        let paths: HashMap<Uuid, String> =
            self.categories()?.into_iter().filter_map(|c| Some((Uuid::parse_str(&c.id).ok()?, c.path))).collect();
        let mut stmt = self.conn.prepare(&sql)?;
        let rows = stmt.query_map(rusqlite::params_from_iter(args), |r| {
            let key = match r.get_ref(1)? {
                rusqlite::types::ValueRef::Blob(b) => Uuid::from_slice(b).ok().and_then(|id| paths.get(&id).cloned()).unwrap_or_default(),
                rusqlite::types::ValueRef::Text(t) => String::from_utf8_lossy(t).into_owned(),
                _ if q.group == GroupBy::Category => "Uncategorized".to_string(),
                _ => String::new(),
            };
            Ok((r.get::<_, String>(0)?, key, r.get::<_, String>(2)?, r.get::<_, i64>(3)?, r.get::<_, i64>(4)?))
        })?;
        rows.map(|row| {
            let (period, group, currency, total, count) = row?;
            let total = from_minor(total, &currency);
            let average = (total / Decimal::from(count.max(1))).round_dp(crate::values::minor_digits(&currency) + 2);
            Ok(ReportRow { period, group, currency, total, count: count as u64, average })
        })
        .collect()
    }

    fn currencies(&self) -> Result<Vec<String>> {
        let mut stmt = self.conn.prepare("SELECT DISTINCT currency FROM accounts")?;
        let rows = stmt.query_map([], |r| r.get(0))?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }
}
