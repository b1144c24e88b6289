//! What a chart shows, read from the vault: exact amounts per month (or per category), one currency.

use std::collections::BTreeMap;

use chrono::{Datelike, Months, NaiveDate};
use rust_decimal::Decimal;

use crate::analytics::MonthlyFilter;
use crate::error::{Error, Result};
use crate::values::from_minor;
use crate::vault::Vault;

/// The charts there are.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ChartKind {
    /// Income and spending per month, as bars.
    Monthly,
    /// Spending per category in the last month, as horizontal bars.
    Categories,
    /// The sum of all account balances at the end of each month, as a line.
    NetWorth,
    /// Each card's balance as a share of its limit at each month's end, with the 30% and 10% guides.
    Utilization,
}

impl std::str::FromStr for ChartKind {
    type Err = Error;
    fn from_str(s: &str) -> Result<ChartKind> {
        Ok(match s {
            "monthly" => ChartKind::Monthly,
            "categories" => ChartKind::Categories,
            "net-worth" => ChartKind::NetWorth,
            "utilization" => ChartKind::Utilization,
            other => {
                return Err(Error::invalid(format!(
                    "\"{other}\" is not a chart (use monthly, categories, net-worth or utilization)"
                )))
            }
        })
    }
}

/// A named series of values, one per label (`None`: nothing to show there).
#[derive(Debug, Clone, PartialEq)]
pub struct Series {
    pub name: String,
    pub values: Vec<Option<Decimal>>,
}

/// A chart's content.
#[derive(Debug, Clone, PartialEq)]
pub enum ChartData {
    /// Side-by-side bars per label (months).
    Bars { title: String, currency: String, labels: Vec<String>, series: Vec<Series> },
    /// One bar per label, largest first.
    HorizontalBars { title: String, currency: String, items: Vec<(String, Decimal)> },
    /// Lines over labels (months); `percent` values are percentages, else money in `currency`.
    Lines { title: String, currency: String, percent: bool, labels: Vec<String>, series: Vec<Series>, guides: Vec<(String, Decimal)> },
}

/// "2026-03" for each of the `months` months up to `as_of`'s, oldest first.
fn month_labels(as_of: NaiveDate, months: u32) -> Vec<String> {
    (0..months)
        .rev()
        .filter_map(|back| as_of.with_day(1)?.checked_sub_months(Months::new(back)))
        .map(|d| d.format("%Y-%m").to_string())
        .collect()
}

impl Vault {
    /// The data of a chart over the `months` months up to `as_of`, in `currency` (default: the currency
    /// most accounts use). Different currencies are never added together.
    pub fn chart(&self, kind: ChartKind, as_of: NaiveDate, months: u32, currency: Option<&str>) -> Result<ChartData> {
        let currency = match currency {
            Some(c) => crate::values::currency_code(c)?,
            None => self.main_currency()?,
        };
        let labels = month_labels(as_of, months.clamp(1, 240));
        match kind {
            ChartKind::Monthly => self.monthly_bars(&labels, currency),
            ChartKind::Categories => self.category_bars(as_of, currency),
            ChartKind::NetWorth => self.net_worth_line(labels, currency),
            ChartKind::Utilization => self.utilization_lines(labels),
        }
    }

    fn main_currency(&self) -> Result<String> {
        let mut counts: BTreeMap<String, usize> = BTreeMap::new();
        for a in self.accounts()?.into_iter().filter(|a| !a.archived) {
            *counts.entry(a.currency).or_default() += 1;
        }
        Ok(counts.into_iter().max_by_key(|(_, n)| *n).map_or_else(|| "USD".to_string(), |(c, _)| c))
    }

    fn monthly_bars(&self, labels: &[String], currency: String) -> Result<ChartData> {
        let report = self.monthly_report(&MonthlyFilter::default())?;
        let of = |month: &str, pick: fn(&crate::analytics::MonthTotals) -> Decimal| {
            report.iter().find(|m| m.month == month && m.currency == currency).map(pick).or(Some(Decimal::ZERO))
        };
        let series = vec![
            Series { name: "Income".into(), values: labels.iter().map(|m| of(m, |t| t.income)).collect() },
            Series { name: "Spending".into(), values: labels.iter().map(|m| of(m, |t| -t.expense)).collect() },
        ];
        Ok(ChartData::Bars { title: "Income and spending".into(), currency, labels: labels.to_vec(), series })
    }

    fn category_bars(&self, as_of: NaiveDate, currency: String) -> Result<ChartData> {
        let month = as_of.format("%Y-%m").to_string();
        let report = self.monthly_report(&MonthlyFilter::default())?;
        let mut items: Vec<(String, Decimal)> = report
            .into_iter()
            .filter(|m| m.month == month && m.currency == currency)
            .flat_map(|m| m.categories)
            .filter(|(_, v)| *v < Decimal::ZERO)
            .map(|(k, v)| (k, -v))
            .collect();
        items.sort_by_key(|(_, amount)| std::cmp::Reverse(*amount));
        items.truncate(12);
        Ok(ChartData::HorizontalBars { title: format!("Spending by category, {month}"), currency, items })
    }

    /// Month-end balances summed over the accounts in `currency`, from the monthly totals.
    fn net_worth_line(&self, labels: Vec<String>, currency: String) -> Result<ChartData> {
        let mut stmt = self.conn.prepare(
            "SELECT m.month, sum(m.income + m.expense) FROM monthly_totals m JOIN accounts a ON a.id = m.account_id
             WHERE a.currency = ?1 GROUP BY m.month ORDER BY m.month",
        )?;
        let per_month = stmt.query_map([&currency], |r| Ok((r.get::<_, String>(0)?, r.get::<_, i64>(1)?)))?.collect::<rusqlite::Result<Vec<_>>>()?;
        let values = running_totals(&per_month, &labels).into_iter().map(|v| Some(from_minor(v, &currency))).collect();
        Ok(ChartData::Lines {
            title: "Net worth".into(),
            currency,
            percent: false,
            labels,
            series: vec![Series { name: "Net worth".into(), values }],
            guides: Vec::new(),
        })
    }

    /// Each card's month-end balance owed as a percentage of its limit.
    fn utilization_lines(&self, labels: Vec<String>) -> Result<ChartData> {
        let cards: Vec<_> = self.accounts()?.into_iter().filter(|a| a.kind == crate::AccountKind::CreditCard && !a.archived).collect();
        let mut series = Vec::new();
        for card in cards {
            let Some(limit) = card.credit_limit.filter(|l| *l > Decimal::ZERO) else { continue };
            let id = crate::ids::parse_id("account", &card.id)?;
            let mut stmt = self.conn.prepare_cached(
                "SELECT month, sum(income + expense) FROM monthly_totals WHERE account_id = ?1 GROUP BY month ORDER BY month",
            )?;
            let per_month = stmt.query_map([id], |r| Ok((r.get::<_, String>(0)?, r.get::<_, i64>(1)?)))?.collect::<rusqlite::Result<Vec<_>>>()?;
            let values = running_totals(&per_month, &labels)
                .into_iter()
                .map(|balance| {
                    let owed = (-from_minor(balance, &card.currency)).max(Decimal::ZERO);
                    Some((owed * Decimal::from(100) / limit).round_dp(1))
                })
                .collect();
            series.push(Series { name: card.name, values });
        }
        Ok(ChartData::Lines {
            title: "Credit utilization".into(),
            currency: String::new(),
            percent: true,
            labels,
            series,
            guides: vec![("30%".into(), Decimal::from(30)), ("10%".into(), Decimal::from(10))],
        })
    }
}

/// The running total at the end of each labelled month, from per-month changes (months before the first
/// label count towards it).
fn running_totals(per_month: &[(String, i64)], labels: &[String]) -> Vec<i64> {
    let mut total = 0i64;
    let mut changes = per_month.iter().peekable();
    labels
        .iter()
        .map(|label| {
            while let Some((_, change)) = changes.next_if(|(month, _)| month <= label) {
                total += change;
            }
            total
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn running_totals_carry_earlier_months_and_fill_quiet_ones() {
        let changes = vec![("2025-11".to_string(), 500), ("2026-01".to_string(), -200), ("2026-03".to_string(), 50)];
        let labels: Vec<String> = ["2026-01", "2026-02", "2026-03"].map(String::from).to_vec();
        assert_eq!(running_totals(&changes, &labels), vec![300, 300, 350]);
        assert_eq!(month_labels(NaiveDate::from_ymd_opt(2026, 3, 31).expect("d"), 3), labels);
    }
}
