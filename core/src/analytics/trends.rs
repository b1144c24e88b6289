//! Trends: one figure (income, spending or net) per week, month, quarter or year for any slice of the
//! ledger a custom report can filter (a category, a payee, an account, a tag…), every period present
//! (quiet ones are zero), with a moving average and the change against the period before and the same
//! period a year earlier.

use std::collections::{BTreeMap, BTreeSet};

use chrono::NaiveDate;
use rust_decimal::Decimal;

use super::custom::{GroupBy, ReportQuery};
use super::periods::Period;
use crate::error::{Error, Result};
use crate::values::minor_digits;
use crate::vault::Vault;

/// What a trend follows.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Measure {
    /// Money in.
    Income,
    /// Money out, as a positive amount.
    #[default]
    Spending,
    /// Money in less money out.
    Net,
}

impl std::str::FromStr for Measure {
    type Err = Error;
    fn from_str(s: &str) -> Result<Measure> {
        Ok(match s {
            "income" => Measure::Income,
            "spending" | "expense" => Measure::Spending,
            "net" => Measure::Net,
            other => return Err(Error::invalid(format!("\"{other}\" is not a measure (use income, spending or net)"))),
        })
    }
}

impl Measure {
    pub fn as_str(self) -> &'static str {
        match self {
            Measure::Income => "income",
            Measure::Spending => "spending",
            Measure::Net => "net",
        }
    }

    /// The name a chart or heading shows: "Income", "Spending", "Net".
    pub fn label(self) -> &'static str {
        match self {
            Measure::Income => "Income",
            Measure::Spending => "Spending",
            Measure::Net => "Net",
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TrendPoint {
    /// The period's label ("2026-03", "2026-Q1", "2026", or a week's Monday).
    pub period: String,
    pub start: NaiveDate,
    pub value: Decimal,
    pub transactions: u64,
    /// The mean of this and the window's earlier periods, once there are that many.
    pub moving_average: Option<Decimal>,
    /// Against the period before: the difference, and in percent (none when that one was zero).
    pub change: Option<Decimal>,
    pub change_percent: Option<Decimal>,
    /// The same period a year earlier, and the change against it in percent.
    pub year_ago: Option<Decimal>,
    pub year_change_percent: Option<Decimal>,
}

/// One currency's series.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Trend {
    pub currency: String,
    pub measure: Measure,
    pub period: Period,
    /// Periods in the moving average.
    pub window: usize,
    /// Currencies converted into this one at the user's rates.
    pub converted_from: BTreeSet<String>,
    pub points: Vec<TrendPoint>,
}

/// The change from `before` to `now` in percent, one decimal (none from zero).
pub(crate) fn percent_change(now: Decimal, before: Decimal) -> Option<Decimal> {
    (!before.is_zero()).then(|| ((now - before) * Decimal::from(100) / before.abs()).round_dp(1))
}

impl Vault {
    /// The trend of `measure` over what `query` selects (its grouping is ignored), per `query.period`,
    /// up to `as_of` unless the query ends earlier, with a `window`-period moving average.
    pub fn trend(&self, query: &ReportQuery, measure: Measure, window: usize, as_of: NaiveDate) -> Result<Vec<Trend>> {
        let period = query.period;
        if period == Period::All {
            return Err(Error::invalid("a trend needs periods: use week, month, quarter or year"));
        }
        let window = window.max(1);
        let to = query.to.unwrap_or(as_of);
        // A year more than asked, so the first periods have their year-ago figure and moving average;
        // without an end, up to the end of today's period, so whole months can come from the totals.
        let fetch_from = query.from.and_then(|f| period.year_before(period.start(f)));
        let fetch_to = query.to.unwrap_or_else(|| period.end(period.start(as_of)));
        let fetch =
            ReportQuery { from: fetch_from.or(query.from), to: Some(fetch_to), group: GroupBy::None, ..query.clone() };
        let mut per_currency: BTreeMap<String, BTreeMap<NaiveDate, (Decimal, u64)>> = BTreeMap::new();
        for row in self.custom_report(&fetch)? {
            let value = match measure {
                Measure::Income => row.income,
                Measure::Spending => -row.expense,
                Measure::Net => row.total,
            };
            per_currency.entry(row.currency).or_default().insert(row.start, (value, row.count));
        }
        let converter = self.converter(query.convert_to.as_deref())?;
        let converted = converter.converted_among(&self.currencies()?);
        Ok(per_currency
            .into_iter()
            .map(|(currency, values)| {
                let first = values.keys().next().copied().unwrap_or(to);
                let shown_from = query.from.map_or(first, |f| period.start(f));
                let points = series(
                    &values,
                    period,
                    fetch_from.unwrap_or(first).min(first),
                    shown_from,
                    to,
                    window,
                    minor_digits(&currency),
                );
                let converted_from =
                    if converter.target() == Some(currency.as_str()) { converted.clone() } else { BTreeSet::new() };
                Trend { currency, measure, period, window, converted_from, points }
            })
            .collect())
    }
}

/// Every period from `shown_from` to `to` with its figures; `values` may start earlier (from
/// `data_from`), which feeds the first periods' averages and year-ago figures.
fn series(
    values: &BTreeMap<NaiveDate, (Decimal, u64)>,
    period: Period,
    data_from: NaiveDate,
    shown_from: NaiveDate,
    to: NaiveDate,
    window: usize,
    digits: u32,
) -> Vec<TrendPoint> {
    let starts = period.starts(data_from.min(shown_from), to);
    let all: Vec<(NaiveDate, Decimal, u64)> =
        starts.iter().map(|s| values.get(s).map_or((*s, Decimal::new(0, digits), 0), |(v, n)| (*s, *v, *n))).collect();
    let value_at = |start: NaiveDate| all.binary_search_by_key(&start, |p| p.0).ok().map(|i| all[i].1);
    all.iter()
        .enumerate()
        .filter(|(_, (start, _, _))| *start >= period.start(shown_from))
        .map(|(i, (start, value, transactions))| {
            let moving_average = (i + 1 >= window).then(|| {
                let sum: Decimal = all[i + 1 - window..=i].iter().map(|p| p.1).sum();
                (sum / Decimal::from(window as u64)).round_dp(digits)
            });
            let previous = i.checked_sub(1).map(|j| all[j].1);
            let year_ago = period.year_before(*start).and_then(value_at);
            TrendPoint {
                period: period.label(*start),
                start: *start,
                value: *value,
                transactions: *transactions,
                moving_average,
                change: previous.map(|p| *value - p),
                change_percent: previous.and_then(|p| percent_change(*value, p)),
                year_ago,
                year_change_percent: year_ago.and_then(|y| percent_change(*value, y)),
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::analytics::testing::{d, day};

    #[test]
    fn a_series_fills_quiet_periods_and_carries_averages_and_changes() {
        let mut values = BTreeMap::new();
        values.insert(day("2025-01-01"), (d("100"), 2));
        values.insert(day("2026-01-01"), (d("150"), 3));
        values.insert(day("2026-03-01"), (d("60"), 1));
        let points = series(&values, Period::Month, day("2025-01-01"), day("2026-01-01"), day("2026-03-31"), 3, 2);
        assert_eq!(points.iter().map(|p| p.period.as_str()).collect::<Vec<_>>(), ["2026-01", "2026-02", "2026-03"]);
        assert_eq!(points[0].year_ago, Some(d("100")));
        assert_eq!(points[0].year_change_percent, Some(d("50.0")));
        assert_eq!(points[0].change, Some(d("150")), "December 2025 was quiet: zero");
        assert_eq!(points[0].change_percent, None, "no percent change from zero");
        assert_eq!(points[1].value, d("0"));
        assert_eq!(points[1].change_percent, Some(d("-100.0")));
        assert_eq!(points[2].moving_average, Some(d("70.00")), "(150 + 0 + 60) / 3");
        assert_eq!(points[2].year_ago, Some(d("0")));
        assert_eq!(points[2].year_change_percent, None);
        assert_eq!(percent_change(d("-50"), d("-100")), Some(d("50.0")), "a smaller loss is a rise");
    }
}
