//! The monthly report: income, spending, net and spending by category, per month and currency.

use std::collections::{BTreeMap, BTreeSet};

use chrono::{Datelike, Days, NaiveDate};
use rust_decimal::Decimal;
use uuid::Uuid;

use super::periods::{month_start, Period};
use crate::error::Result;
use crate::ids::parse_id;
use crate::values::from_minor;
use crate::vault::Vault;

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct MonthlyFilter {
    pub from: Option<NaiveDate>,
    pub to: Option<NaiveDate>,
    pub account_id: Option<String>,
    /// Express amounts in this currency where a rate is known; other currencies stay apart.
    pub convert_to: Option<String>,
}

/// One month in one currency.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MonthTotals {
    /// "YYYY-MM"
    pub month: String,
    pub currency: String,
    /// Money in (positive).
    pub income: Decimal,
    /// Money out (negative).
    pub expense: Decimal,
    pub net: Decimal,
    /// Net amount per category, by full path ("Food:Groceries"); "Uncategorized" for transactions
    /// without one.
    pub categories: BTreeMap<String, Decimal>,
    pub transactions: u64,
    /// The currencies converted into this one at the user's rates (empty without conversion).
    pub converted_from: BTreeSet<String>,
}

impl MonthTotals {
    /// A month with nothing in it.
    pub(crate) fn empty(month: &str, currency: &str) -> MonthTotals {
        MonthTotals {
            month: month.to_string(),
            currency: currency.to_string(),
            income: from_minor(0, currency),
            expense: from_minor(0, currency),
            net: from_minor(0, currency),
            categories: BTreeMap::new(),
            transactions: 0,
            converted_from: BTreeSet::new(),
        }
    }

    /// Share of income kept, in percent, when there was income.
    pub fn savings_rate(&self) -> Option<Decimal> {
        (self.income > Decimal::ZERO).then(|| (self.net * Decimal::from(100) / self.income).round_dp(1))
    }
}

impl Vault {
    /// Income, spending and net per month (oldest first) and currency, transfers left out. Whole
    /// months come from the totals kept on write (`totals.rs`); a range that cuts a month reads rows.
    pub fn monthly_report(&self, filter: &MonthlyFilter) -> Result<Vec<MonthTotals>> {
        let whole_months = filter.from.is_none_or(|d| d.day() == 1)
            && filter.to.is_none_or(|d| d.checked_add_days(Days::new(1)).is_some_and(|next| next.day() == 1));
        if whole_months {
            self.monthly_report_from_totals(filter)
        } else {
            self.monthly_report_from_rows(filter)
        }
    }

    fn monthly_report_from_totals(&self, filter: &MonthlyFilter) -> Result<Vec<MonthTotals>> {
        let month = |d: NaiveDate| d.format("%Y-%m").to_string();
        self.monthly_query(
            "SELECT m.month, a.currency, nullif(m.category_id, x''), sum(m.income), sum(m.expense), sum(m.count)
             FROM monthly_totals m
             JOIN accounts a ON a.id = m.account_id
             LEFT JOIN categories c ON c.id = nullif(m.category_id, x'')
             WHERE m.transfer = 0 AND (c.kind IS NULL OR c.kind <> 'transfer')
               AND (?1 IS NULL OR m.month >= ?1) AND (?2 IS NULL OR m.month <= ?2) AND (?3 IS NULL OR m.account_id = ?3)
             GROUP BY 1, 2, 3",
            filter.from.map(month),
            filter.to.map(month),
            filter,
        )
    }

    fn monthly_report_from_rows(&self, filter: &MonthlyFilter) -> Result<Vec<MonthTotals>> {
        self.monthly_query(
            "SELECT substr(t.date, 1, 7), a.currency, t.category_id,
                    sum(CASE WHEN t.amount > 0 THEN t.amount ELSE 0 END),
                    sum(CASE WHEN t.amount < 0 THEN t.amount ELSE 0 END),
                    count(*)
             FROM transactions t
             JOIN accounts a ON a.id = t.account_id
             LEFT JOIN categories c ON c.id = t.category_id
             WHERE t.transfer_id IS NULL AND (c.kind IS NULL OR c.kind <> 'transfer')
               AND (?1 IS NULL OR t.date >= ?1) AND (?2 IS NULL OR t.date <= ?2) AND (?3 IS NULL OR t.account_id = ?3)
             GROUP BY 1, 2, 3",
            filter.from.map(|d| d.to_string()),
            filter.to.map(|d| d.to_string()),
            filter,
        )
    }

    /// Runs a query giving (month, currency, category, income, expense, count) rows and folds them into
    /// months, oldest first, converting currencies where the filter asks and a rate is known.
    fn monthly_query(
        &self,
        sql: &str,
        from: Option<String>,
        to: Option<String>,
        filter: &MonthlyFilter,
    ) -> Result<Vec<MonthTotals>> {
        let names = self.category_paths()?;
        let account = filter.account_id.as_deref().map(|a| parse_id("account", a)).transpose()?;
        let mut stmt = self.conn.prepare(sql)?;
        let rows = stmt.query_map(rusqlite::params![from, to, account], |r| {
            Ok((
                r.get::<_, String>(0)?,
                r.get::<_, String>(1)?,
                r.get::<_, Option<Uuid>>(2)?,
                r.get::<_, i64>(3)?,
                r.get::<_, i64>(4)?,
                r.get::<_, i64>(5)?,
            ))
        })?;
        let converter = self.converter(filter.convert_to.as_deref())?;
        let mut months: BTreeMap<(String, String), MonthTotals> = BTreeMap::new();
        for row in rows {
            let (month, currency, category, income, expense, count) = row?;
            let (inc, exp) = (from_minor(income, &currency), from_minor(expense, &currency));
            let (target, inc, exp) = if converter.converts(&currency) {
                let month_end = month_start(&month).map_or(NaiveDate::MAX, |start| Period::Month.end(start));
                let (target, inc) = converter.express(inc, &currency, month_end);
                (target, inc, converter.express(exp, &currency, month_end).1)
            } else {
                (currency.clone(), inc, exp)
            };
            let m =
                months.entry((month, target)).or_insert_with_key(|(month, target)| MonthTotals::empty(month, target));
            if m.currency != currency {
                m.converted_from.insert(currency);
            }
            m.income += inc;
            m.expense += exp;
            m.net += inc + exp;
            m.transactions += count as u64;
            let label = category.and_then(|c| names.get(&c)).map_or("Uncategorized", String::as_str);
            match m.categories.get_mut(label) {
                Some(total) => *total += inc + exp,
                None => {
                    m.categories.insert(label.to_string(), inc + exp);
                }
            }
        }
        Ok(months.into_values().collect())
    }

    /// Each category's full path: a report's keys stay the same whatever categories are added later.
    fn category_paths(&self) -> Result<std::collections::HashMap<Uuid, String>> {
        self.categories()?.into_iter().map(|c| Ok((parse_id("category", &c.id)?, c.path))).collect()
    }
}
