//! Balances over time, from the monthly totals kept on write: net worth at each month's end (what the
//! user has minus what they owe on cards and loans) and credit utilization (each card's balance owed as a
//! share of its limit, and all cards together). Limits are today's: the vault keeps no limit history.

use std::collections::{BTreeMap, HashMap};

use chrono::{Months, NaiveDate};
use rust_decimal::Decimal;
use uuid::Uuid;

use super::periods::{month_start, Period};
use super::rates::Converter;
use crate::error::Result;
use crate::ledger::{Account, AccountKind};
use crate::values::from_minor;
use crate::vault::Vault;

/// Net worth at one month's end, in one currency.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NetWorthPoint {
    /// "YYYY-MM"
    pub month: String,
    pub currency: String,
    /// What the non-credit accounts hold.
    pub assets: Decimal,
    /// What is owed on cards and loans (positive when owed).
    pub debts: Decimal,
    /// Assets minus debts.
    pub net: Decimal,
}

/// Credit utilization at one month's end, in percent with one decimal.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UtilizationPoint {
    /// "YYYY-MM"
    pub month: String,
    /// All cards' balances owed over all their limits (cards in `currency`, or converted to it).
    pub overall: Option<Decimal>,
    /// Each card with a limit, by name.
    pub cards: Vec<(String, Decimal)>,
}

impl UtilizationPoint {
    /// What the overall figure means for a score, and whether it weighs on it (30% and over).
    pub fn advice(&self) -> Option<(&'static str, bool)> {
        let overall = self.overall?;
        Some(if overall >= Decimal::from(30) {
            ("above 30%: it weighs on your score", true)
        } else if overall >= Decimal::from(10) {
            ("under 30%; under 10% scores best", false)
        } else {
            ("under 10%: the best band", false)
        })
    }
}

/// The first day of each of the `months` months up to `as_of`'s, oldest first.
pub(crate) fn month_starts(as_of: NaiveDate, months: u32) -> Vec<NaiveDate> {
    let this = Period::Month.start(as_of);
    (0..months.max(1)).rev().filter_map(|back| this.checked_sub_months(Months::new(back))).collect()
}

/// With one decimal always ("30.0"), so figures line up.
fn percent(owed: Decimal, limit: Decimal) -> Decimal {
    let mut p = (owed * Decimal::from(100) / limit).round_dp(1);
    p.rescale(1);
    p
}

/// Every account's balance at the end of each of a run of months, in minor units: what net worth and
/// utilization are both computed from, read once.
pub(crate) struct MonthEnds {
    starts: Vec<NaiveDate>,
    accounts: Vec<(Account, Vec<i64>)>,
}

impl Vault {
    /// The balances at the end of each of the `months` months up to `as_of`'s.
    pub(crate) fn month_ends(&self, as_of: NaiveDate, months: u32) -> Result<MonthEnds> {
        let starts = month_starts(as_of, months);
        let mut changes: HashMap<Uuid, BTreeMap<NaiveDate, i64>> = HashMap::new();
        let mut stmt = self
            .conn
            .prepare_cached("SELECT account_id, month, sum(income + expense) FROM monthly_totals GROUP BY 1, 2")?;
        let rows = stmt.query_map([], |r| Ok((r.get::<_, Uuid>(0)?, r.get::<_, String>(1)?, r.get::<_, i64>(2)?)))?;
        for row in rows {
            let (account, month, change) = row?;
            if let Some(start) = month_start(&month) {
                changes.entry(account).or_default().insert(start, change);
            }
        }
        let mut accounts = Vec::new();
        for account in self.accounts()? {
            let Ok(id) = Uuid::parse_str(&account.id) else { continue };
            let per_month = changes.remove(&id).unwrap_or_default();
            let mut balance = 0i64;
            let mut pending = per_month.iter().peekable();
            let balances = starts
                .iter()
                .map(|start| {
                    while let Some((_, change)) = pending.next_if(|(month, _)| *month <= start) {
                        balance += change;
                    }
                    balance
                })
                .collect();
            accounts.push((account, balances));
        }
        Ok(MonthEnds { starts, accounts })
    }

    /// Net worth at the end of each of the `months` months up to `as_of`'s, per currency (or in
    /// `convert_to` where the user gave rates), oldest first.
    pub fn net_worth(&self, as_of: NaiveDate, months: u32, convert_to: Option<&str>) -> Result<Vec<NetWorthPoint>> {
        Ok(self.month_ends(as_of, months)?.net_worth(&self.converter(convert_to)?))
    }

    /// Utilization of the open cards with a limit at the end of each of the `months` months up to
    /// `as_of`'s. The overall figure adds the cards in `currency` and those converted to it.
    pub fn utilization(&self, as_of: NaiveDate, months: u32, currency: &str) -> Result<Vec<UtilizationPoint>> {
        Ok(self.month_ends(as_of, months)?.utilization(&self.converter(Some(currency))?, currency))
    }
}

impl MonthEnds {
    pub(crate) fn net_worth(&self, converter: &Converter) -> Vec<NetWorthPoint> {
        let mut points: BTreeMap<(NaiveDate, String), (Decimal, Decimal)> = BTreeMap::new();
        for (account, balances) in &self.accounts {
            for (start, balance) in self.starts.iter().zip(balances) {
                let (currency, balance) = converter.express(
                    from_minor(*balance, &account.currency),
                    &account.currency,
                    Period::Month.end(*start),
                );
                let point = points.entry((*start, currency)).or_default();
                if account.kind.is_credit() {
                    point.1 -= balance;
                } else {
                    point.0 += balance;
                }
            }
        }
        points
            .into_iter()
            .map(|((start, currency), (assets, debts))| NetWorthPoint {
                month: Period::Month.label(start),
                currency,
                assets,
                debts,
                net: assets - debts,
            })
            .collect()
    }

    /// `converter` turns the cards of other currencies into `currency` for the overall figure.
    pub(crate) fn utilization(&self, converter: &Converter, currency: &str) -> Vec<UtilizationPoint> {
        let cards: Vec<(&Account, Decimal, &Vec<i64>)> = self
            .accounts
            .iter()
            .filter(|(a, _)| a.kind == AccountKind::CreditCard && !a.archived)
            .filter_map(|(a, balances)| Some((a, a.credit_limit.filter(|l| *l > Decimal::ZERO)?, balances)))
            .collect();
        self.starts
            .iter()
            .enumerate()
            .map(|(i, start)| {
                let on = Period::Month.end(*start);
                let (mut owed_all, mut limit_all) = (Decimal::ZERO, Decimal::ZERO);
                let cards = cards
                    .iter()
                    .map(|(card, limit, balances)| {
                        let owed = (-from_minor(balances[i], &card.currency)).max(Decimal::ZERO);
                        let (owed_currency, owed_there) = converter.express(owed, &card.currency, on);
                        let (_, limit_there) = converter.express(*limit, &card.currency, on);
                        if owed_currency == currency {
                            owed_all += owed_there;
                            limit_all += limit_there;
                        }
                        (card.name.clone(), percent(owed, *limit))
                    })
                    .collect();
                let overall = (limit_all > Decimal::ZERO).then(|| percent(owed_all, limit_all));
                UtilizationPoint { month: Period::Month.label(*start), overall, cards }
            })
            .collect()
    }
}

#[cfg(test)]
mod advice_tests {
    use super::*;

    #[test]
    fn utilization_advice_follows_the_30_and_10_percent_marks() {
        let at = |overall: &str| {
            UtilizationPoint { month: "2026-11".into(), overall: Some(overall.parse().expect("d")), cards: Vec::new() }
                .advice()
        };
        assert_eq!(at("30.0"), Some(("above 30%: it weighs on your score", true)));
        assert_eq!(at("29.9").map(|a| a.1), Some(false));
        assert_eq!(at("9.9"), Some(("under 10%: the best band", false)));
        assert_eq!(UtilizationPoint { month: "2026-11".into(), overall: None, cards: Vec::new() }.advice(), None);
    }
}
