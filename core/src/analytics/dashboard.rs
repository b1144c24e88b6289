//! The dashboard's figures in one call: this month against last month (income, spending, net, savings
//! rate), this month's spending by category with sub-categories rolled up into their top category, net
//! worth and credit utilization over the last year. Everything reads the monthly totals kept on write,
//! so the call costs the same on ten rows or ten million. Recurring payments have their own call
//! (`Vault::recurring_payments`), which reads the rows.

use std::collections::{BTreeMap, BTreeSet};

use chrono::{Months, NaiveDate};
use rust_decimal::Decimal;

use super::balances::{NetWorthPoint, UtilizationPoint};
use super::custom::{GroupBy, ReportQuery};
use super::monthly::{MonthTotals, MonthlyFilter};
use super::periods::Period;
use super::trends::percent_change;
use crate::error::Result;
use crate::values::currency_code;
use crate::vault::Vault;

/// How many months of net worth and utilization the dashboard shows.
const HISTORY_MONTHS: u32 = 12;

/// A top category's net spending in a month, with the sub-categories it rolls up.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CategorySpending {
    /// The top category's name ("Food"), or "Uncategorized".
    pub category: String,
    /// Money out less refunds (positive when spent).
    pub amount: Decimal,
    /// Share of the month's spending, in percent with one decimal.
    pub share: Decimal,
    /// The parts, largest first: sub-category paths below the top ("Groceries", "Restaurants"), the
    /// top category's own transactions under its name.
    pub parts: Vec<(String, Decimal)>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Dashboard {
    /// "YYYY-MM" of the date asked for.
    pub month: String,
    /// The currency of every figure.
    pub currency: String,
    /// Currencies converted into `currency` at the user's rates.
    pub converted_from: BTreeSet<String>,
    /// Currencies with money this month or last that no rate brings into `currency`: not in the figures.
    pub left_out: BTreeSet<String>,
    pub this_month: MonthTotals,
    pub last_month: MonthTotals,
    /// Percent change from last month (None when last month was zero); more spending is a rise.
    pub income_change: Option<Decimal>,
    pub spending_change: Option<Decimal>,
    /// Top categories by spending, largest first.
    pub spending: Vec<CategorySpending>,
    /// The last twelve month-ends, oldest first.
    pub net_worth: Vec<NetWorthPoint>,
    pub utilization: Vec<UtilizationPoint>,
}

impl Vault {
    /// The dashboard as of `as_of`, in `currency` (default: the currency most open accounts use).
    pub fn dashboard(&self, as_of: NaiveDate, currency: Option<&str>) -> Result<Dashboard> {
        let currency = match currency {
            Some(c) => currency_code(c)?,
            None => self.main_currency()?,
        };
        let this_start = Period::Month.start(as_of);
        let last_start = this_start.checked_sub_months(Months::new(1)).unwrap_or(this_start);
        let months = self.monthly_report(&MonthlyFilter {
            from: Some(last_start),
            to: Some(Period::Month.end(this_start)),
            convert_to: Some(currency.clone()),
            ..Default::default()
        })?;
        let (this_label, last_label) = (Period::Month.label(this_start), Period::Month.label(last_start));
        let pick = |label: &str| {
            months
                .iter()
                .find(|m| m.month == label && m.currency == currency)
                .cloned()
                .unwrap_or_else(|| MonthTotals::empty(label, &currency))
        };
        let (this_month, last_month) = (pick(&this_label), pick(&last_label));
        let left_out = months.iter().filter(|m| m.currency != currency).map(|m| m.currency.clone()).collect();
        let mut converted_from = this_month.converted_from.clone();
        converted_from.extend(last_month.converted_from.iter().cloned());
        let (ends, converter) = (self.month_ends(as_of, HISTORY_MONTHS)?, self.converter(Some(&currency))?);
        let net_worth = ends.net_worth(&converter).into_iter().filter(|p| p.currency == currency).collect();
        Ok(Dashboard {
            month: this_label,
            income_change: percent_change(this_month.income, last_month.income),
            spending_change: percent_change(-this_month.expense, -last_month.expense),
            spending: self.spending_by_top_category(this_start, &currency)?,
            net_worth,
            utilization: ends.utilization(&converter, &currency),
            converted_from,
            left_out,
            this_month,
            last_month,
            currency,
        })
    }

    /// Top categories by net spending in `month`'s month, largest first.
    pub(crate) fn spending_by_top_category(&self, month: NaiveDate, currency: &str) -> Result<Vec<CategorySpending>> {
        let rows = self.custom_report(&ReportQuery {
            from: Some(month),
            to: Some(Period::Month.end(month)),
            group: GroupBy::Category,
            convert_to: Some(currency.to_string()),
            ..Default::default()
        })?;
        let mut tops: BTreeMap<String, Vec<(String, Decimal)>> = BTreeMap::new();
        for row in rows.into_iter().filter(|r| r.currency == currency) {
            let (top, rest) = row.group.split_once(':').unwrap_or((&row.group, &row.group));
            tops.entry(top.to_string()).or_default().push((rest.to_string(), -row.total));
        }
        let mut spending: Vec<CategorySpending> = tops
            .into_iter()
            .filter_map(|(category, mut parts)| {
                let amount: Decimal = parts.iter().map(|(_, v)| *v).sum();
                parts.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
                (amount > Decimal::ZERO).then_some(CategorySpending { category, amount, share: Decimal::ZERO, parts })
            })
            .collect();
        let total: Decimal = spending.iter().map(|s| s.amount).sum();
        for s in &mut spending {
            s.share = (s.amount * Decimal::from(100) / total).round_dp(1);
        }
        spending.sort_by(|a, b| b.amount.cmp(&a.amount).then_with(|| a.category.cmp(&b.category)));
        Ok(spending)
    }

    /// The currency most open accounts use (USD in an empty vault).
    pub(crate) fn main_currency(&self) -> Result<String> {
        let mut counts: BTreeMap<String, usize> = BTreeMap::new();
        for a in self.accounts()?.into_iter().filter(|a| !a.archived) {
            *counts.entry(a.currency).or_default() += 1;
        }
        Ok(counts.into_iter().max_by_key(|(_, n)| *n).map_or_else(|| "USD".to_string(), |(c, _)| c))
    }
}
