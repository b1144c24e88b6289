//! What-if: a change to the profile, scored like the original. Every scenario is a pure function
//! `profile → profile` followed by `estimate`, so a simulated score is exactly the score of the changed
//! profile (and the change can be explained line by line like any estimate).

use chrono::{Days, Months, NaiveDate};
use rust_decimal::{Decimal, RoundingStrategy};

use super::engine::{estimate, Estimate};
use super::inquiries::Flavour;
use super::profile::{
    CreditProfile, Delinquency, InquiryItem, InquiryKind, Ownership, Severity, Tradeline, TradelineKind,
};
use crate::error::{Error, Result};

/// One change to try. Accounts are named by their id in the profile.
#[derive(Debug, Clone, PartialEq)]
pub enum WhatIf {
    /// Pay a card (or any account) down to this balance.
    PayDown {
        account: String,
        to: Decimal,
    },
    /// Pay a card down to this share of its limit (percent).
    PayDownToPercent {
        account: String,
        percent: Decimal,
    },
    /// Pay every card down to this share of its limit (percent).
    PayAllCardsTo {
        percent: Decimal,
    },
    RaiseLimit {
        account: String,
        to: Decimal,
    },
    /// A new bankcard with this limit, opened today (one hard inquiry).
    OpenCard {
        limit: Decimal,
    },
    /// `pulls` hard inquiries for one auto/mortgage/student loan spread over `days` days, starting today.
    RateShop {
        kind: InquiryKind,
        pulls: u32,
        days: u32,
    },
    CloseAccount {
        account: String,
    },
    /// A payment missed today (30 days late), or a late already there growing to `severity`.
    MissPayment {
        account: String,
        severity: Severity,
    },
    /// Pay collection number `index` (0-based) in full today.
    PayCollection {
        index: usize,
    },
    /// Collection number `index` (0-based) taken off the report (deleted by the agency, or disputed away).
    RemoveCollection {
        index: usize,
    },
    /// One hard inquiry today, for a card or a loan.
    HardInquiry {
        kind: InquiryKind,
    },
    /// Pay an installment loan off today: balance 0 and closed.
    PayOff {
        account: String,
    },
    /// Let months pass with nothing else changing.
    Wait {
        months: u32,
    },
}

/// The kinds of change, by the name both shells use for them (`credence score simulate --pay …`, the
/// app's simulator), in the order a simulation applies them when several are given at once.
pub const CHANGE_KINDS: &[&str] = &[
    "pay",
    "pay-all-cards",
    "raise-limit",
    "close",
    "pay-off",
    "pay-collection",
    "remove-collection",
    "open-card",
    "inquiry",
    "rate-shop",
    "miss-payment",
    "wait",
];

impl WhatIf {
    /// One change from its kind and value as a person writes them: `pay` `card-1:250.00` or `card-1:10%`,
    /// `pay-all-cards` `10`, `raise-limit` `card-1:8000`, `close` `card-2`, `pay-off` `auto-1`,
    /// `pay-collection` / `remove-collection` `1` (counted from 1), `open-card` `5000`, `inquiry` `card`, `rate-shop` `auto:3:14`,
    /// `miss-payment` `card-1` or `card-1:60`, `wait` `6` (months). The one place this grammar is read.
    pub fn parse(kind: &str, value: &str) -> Result<WhatIf> {
        let value = value.trim();
        let amount = |text: &str| crate::values::parse_amount(text);
        let account_and_amount = || -> Result<(String, Decimal)> {
            let (id, to) =
                value.rsplit_once(':').ok_or_else(|| Error::invalid(format!("\"{value}\" is not ACCOUNT:AMOUNT")))?;
            Ok((id.trim().to_string(), amount(to)?))
        };
        let number = |text: &str, what: &str| -> Result<u32> {
            text.trim().parse().map_err(|_| Error::invalid(format!("\"{text}\" is not a number of {what}")))
        };
        let collection = || -> Result<usize> {
            let n = number(value, "the collection (counting from 1)")?;
            n.checked_sub(1).map(|i| i as usize).ok_or_else(|| Error::invalid("collections are counted from 1"))
        };
        let account = || -> Result<String> {
            (!value.is_empty())
                .then(|| value.to_string())
                .ok_or_else(|| Error::invalid(format!("{kind} needs an account")))
        };
        Ok(match kind {
            "pay" => match value.strip_suffix('%') {
                Some(share) => {
                    let (id, percent) = share
                        .rsplit_once(':')
                        .ok_or_else(|| Error::invalid(format!("\"{value}\" is not ACCOUNT:PERCENT%")))?;
                    WhatIf::PayDownToPercent { account: id.trim().to_string(), percent: amount(percent)? }
                }
                None => {
                    let (account, to) = account_and_amount()?;
                    WhatIf::PayDown { account, to }
                }
            },
            "pay-all-cards" => WhatIf::PayAllCardsTo { percent: amount(value)? },
            "raise-limit" => {
                let (account, to) = account_and_amount()?;
                WhatIf::RaiseLimit { account, to }
            }
            "close" => WhatIf::CloseAccount { account: account()? },
            "pay-off" => WhatIf::PayOff { account: account()? },
            "pay-collection" => WhatIf::PayCollection { index: collection()? },
            "remove-collection" => WhatIf::RemoveCollection { index: collection()? },
            "inquiry" => WhatIf::HardInquiry { kind: super::wizard::purpose("inquiry", value)? },
            "open-card" => WhatIf::OpenCard { limit: amount(value)? },
            "rate-shop" => {
                let parts: Vec<&str> = value.split(':').collect();
                let [loan, pulls, days] = parts.as_slice() else {
                    return Err(Error::invalid("rate-shop takes KIND:PULLS:DAYS, e.g. auto:3:14"));
                };
                let kind = match loan.trim() {
                    "auto" => InquiryKind::Auto,
                    "mortgage" => InquiryKind::Mortgage,
                    "student" => InquiryKind::Student,
                    other => {
                        return Err(Error::invalid(format!(
                            "\"{other}\" is not a loan to shop for (auto, mortgage or student)"
                        )))
                    }
                };
                WhatIf::RateShop { kind, pulls: number(pulls, "pulls")?, days: number(days, "days")? }
            }
            "miss-payment" => {
                let (id, severity) = match value.rsplit_once(':') {
                    Some((id, "30")) => (id, Severity::Late30),
                    Some((id, "60")) => (id, Severity::Late60),
                    Some((id, "90")) => (id, Severity::Late90),
                    Some((id, "120")) => (id, Severity::Late120),
                    Some((_, other)) => {
                        return Err(Error::invalid(format!("\"{other}\" is not how late (30, 60, 90 or 120 days)")))
                    }
                    None => (value, Severity::Late30),
                };
                WhatIf::MissPayment { account: id.trim().to_string(), severity }
            }
            "wait" => WhatIf::Wait { months: number(value, "months")? },
            other => {
                return Err(Error::invalid(format!(
                    "\"{other}\" is not a change to simulate ({})",
                    CHANGE_KINDS.join(", ")
                )));
            }
        })
    }

    /// Changes given as (kind, value) pairs, in the order `CHANGE_KINDS` lists the kinds (and, within
    /// a kind, as given): what `credence score simulate` and the app's simulator both apply.
    pub fn parse_all<'a>(given: impl IntoIterator<Item = (&'a str, &'a str)>) -> Result<Vec<WhatIf>> {
        let mut pairs: Vec<(usize, &str, &str)> = Vec::new();
        for (kind, value) in given {
            let rank = CHANGE_KINDS.iter().position(|k| *k == kind).unwrap_or(CHANGE_KINDS.len());
            pairs.push((rank, kind, value));
        }
        pairs.sort_by_key(|(rank, _, _)| *rank); // stable: a kind's changes keep their order
        pairs.into_iter().map(|(_, kind, value)| WhatIf::parse(kind, value)).collect()
    }
}

/// A scenario's outcome.
#[derive(Debug, Clone, PartialEq)]
pub struct Simulation {
    pub before: Estimate,
    pub after: Estimate,
    pub as_of_after: NaiveDate,
}

impl Simulation {
    /// Points gained (negative: lost); `None` when either side is not scorable.
    pub fn delta(&self) -> Option<i32> {
        Some(i32::from(self.after.score?) - i32::from(self.before.score?))
    }
}

fn account<'a>(p: &'a mut CreditProfile, id: &str) -> Result<&'a mut Tradeline> {
    p.accounts.iter_mut().find(|t| t.id == id).ok_or_else(|| Error::not_found("credit account", id))
}

/// `percent` of `limit`, in whole cents rounded down (so the share is never exceeded).
fn share_of(limit: Decimal, percent: Decimal) -> Decimal {
    (limit * percent / Decimal::from(100)).round_dp_with_strategy(2, RoundingStrategy::ToZero)
}

/// The profile (and as-of date) after `change`.
pub fn apply(profile: &CreditProfile, as_of: NaiveDate, change: &WhatIf) -> Result<(CreditProfile, NaiveDate)> {
    let mut p = profile.clone();
    let mut as_of = as_of;
    match change {
        WhatIf::PayDown { account: id, to } => {
            let t = account(&mut p, id)?;
            if *to < Decimal::ZERO || *to > t.balance {
                return Err(Error::invalid(format!("pay {id} down to between 0 and its balance of {}", t.balance)));
            }
            t.balance = *to;
        }
        WhatIf::PayDownToPercent { account: id, percent } => {
            let t = account(&mut p, id)?;
            let limit =
                t.limit.ok_or_else(|| Error::invalid(format!("{id} has no credit limit to pay down to a share of")))?;
            t.balance = t.balance.min(share_of(limit, *percent));
        }
        WhatIf::PayAllCardsTo { percent } => {
            for t in p.accounts.iter_mut().filter(|t| t.kind.is_revolving()) {
                if let Some(limit) = t.limit {
                    t.balance = t.balance.min(share_of(limit, *percent));
                }
            }
        }
        WhatIf::RaiseLimit { account: id, to } => {
            let t = account(&mut p, id)?;
            if t.limit.is_some_and(|l| *to < l) {
                return Err(Error::invalid(format!("{to} is lower than {id}'s current limit")));
            }
            t.limit = Some(*to);
        }
        WhatIf::OpenCard { limit } => {
            p.inquiries.push(InquiryItem { date: as_of, kind: InquiryKind::Card, hard: true });
            p.accounts.push(Tradeline {
                id: format!("new card {}", p.accounts.len() + 1),
                kind: TradelineKind::Bankcard,
                opened: as_of,
                closed: None,
                limit: Some(*limit),
                original_amount: None,
                balance: Decimal::ZERO,
                balance_date: Some(as_of),
                past_due: Decimal::ZERO,
                ownership: Ownership::Individual,
                delinquencies: Vec::new(),
                linked_account: None,
            });
        }
        WhatIf::RateShop { kind, pulls, days } => {
            for i in 0..*pulls {
                let offset = if *pulls > 1 { u64::from(*days) * u64::from(i) / u64::from(pulls - 1) } else { 0 };
                p.inquiries.push(InquiryItem { date: as_of + Days::new(offset), kind: *kind, hard: true });
            }
            as_of = as_of + Days::new(u64::from(*days));
        }
        WhatIf::CloseAccount { account: id } => account(&mut p, id)?.closed = Some(as_of),
        WhatIf::MissPayment { account: id, severity } => {
            let t = account(&mut p, id)?;
            t.delinquencies.push(Delinquency { date: as_of, severity: *severity });
            if t.past_due == Decimal::ZERO {
                t.past_due = Decimal::from(35); // a typical minimum payment
            }
        }
        WhatIf::PayCollection { index } => {
            let c =
                p.collections.get_mut(*index).ok_or_else(|| Error::not_found("collection", (index + 1).to_string()))?;
            c.balance = Decimal::ZERO;
            c.paid = Some(as_of);
        }
        WhatIf::RemoveCollection { index } => {
            if *index >= p.collections.len() {
                return Err(Error::not_found("collection", (index + 1).to_string()));
            }
            p.collections.remove(*index);
        }
        WhatIf::HardInquiry { kind } => p.inquiries.push(InquiryItem { date: as_of, kind: *kind, hard: true }),
        WhatIf::PayOff { account: id } => {
            let t = account(&mut p, id)?;
            t.balance = Decimal::ZERO;
            t.closed = Some(as_of);
        }
        WhatIf::Wait { months } => as_of = as_of.checked_add_months(Months::new(*months)).unwrap_or(as_of),
    }
    p.as_of = p.as_of.max(as_of);
    Ok((p, as_of))
}

/// Scores the profile before and after the changes, applied in order.
pub fn simulate(profile: &CreditProfile, as_of: NaiveDate, flavour: Flavour, changes: &[WhatIf]) -> Result<Simulation> {
    let before = estimate(profile, as_of, flavour);
    let (mut p, mut when) = (profile.clone(), as_of);
    for change in changes {
        (p, when) = apply(&p, when, change)?;
    }
    Ok(Simulation { before, after: estimate(&p, when, flavour), as_of_after: when })
}

/// What a missed payment on `account` does if it stays unpaid: the estimate as it becomes 30, 60, 90 and
/// 120 days late, month by month.
pub fn escalation(
    profile: &CreditProfile,
    as_of: NaiveDate,
    flavour: Flavour,
    account: &str,
) -> Result<Vec<(Severity, NaiveDate, Option<u16>)>> {
    [Severity::Late30, Severity::Late60, Severity::Late90, Severity::Late120]
        .into_iter()
        .enumerate()
        .map(|(month, severity)| {
            let date = as_of.checked_add_months(Months::new(month as u32)).unwrap_or(as_of);
            let (p, when) = apply(profile, date, &WhatIf::MissPayment { account: account.to_string(), severity })?;
            Ok((severity, when, estimate(&p, when, flavour).score))
        })
        .collect()
}

/// The highest balance that reads as under `percent` of `limit`, in money with `places` decimals:
/// utilization is rounded half up to a whole percent, so one minor unit under `percent` − 0.5%.
pub fn highest_balance_under(limit: Decimal, percent: u32, places: u32) -> Decimal {
    let unit = Decimal::new(1, places);
    let under = (limit * (Decimal::from(percent) - Decimal::new(5, 1)) / Decimal::from(100))
        .round_dp_with_strategy(places, RoundingStrategy::ToZero)
        - unit;
    under.max(Decimal::ZERO)
}

/// For each card with a balance: the smallest payment that moves it into a better utilization bin, and
/// the points that gains (cards first, then all cards together).
pub fn next_utilization_steps(
    profile: &CreditProfile,
    as_of: NaiveDate,
    flavour: Flavour,
) -> Vec<(String, Decimal, i32)> {
    let base = estimate(profile, as_of, flavour).score.map_or(0, i32::from);
    let edges = [90u32, 70, 50, 30, 10];
    let mut steps = Vec::new();
    for t in profile.accounts.iter().filter(|t| t.kind.is_revolving() && t.balance > Decimal::ZERO) {
        let Some(limit) = t.limit.filter(|l| *l > Decimal::ZERO) else { continue };
        for edge in edges {
            let target = highest_balance_under(limit, edge, 2);
            if target >= t.balance {
                continue;
            }
            let change = WhatIf::PayDown { account: t.id.clone(), to: target };
            if let Ok((p, when)) = apply(profile, as_of, &change) {
                let gain = estimate(&p, when, flavour).score.map_or(0, i32::from) - base;
                if gain > 0 {
                    steps.push((t.id.clone(), t.balance - target, gain));
                    break;
                }
            }
        }
    }
    steps
}

#[cfg(test)]
mod tests {
    use super::*;

    use crate::score::tests::a780;

    fn d(s: &str) -> Decimal {
        s.parse().expect("decimal")
    }

    #[test]
    fn changes_are_read_from_the_words_both_shells_use() {
        let parsed = WhatIf::parse_all([
            ("wait", "6"),
            ("pay", "card-1:250.00"),
            ("miss-payment", "card-2:60"),
            ("pay", "card-3:0"),
        ])
        .expect("parse");
        assert_eq!(
            parsed,
            vec![
                WhatIf::PayDown { account: "card-1".into(), to: d("250.00") },
                WhatIf::PayDown { account: "card-3".into(), to: d("0") },
                WhatIf::MissPayment { account: "card-2".into(), severity: Severity::Late60 },
                WhatIf::Wait { months: 6 },
            ],
            "applied in one fixed order whatever order they were given in"
        );
        assert_eq!(
            WhatIf::parse("rate-shop", "auto:3:14").expect("rate shop"),
            WhatIf::RateShop { kind: InquiryKind::Auto, pulls: 3, days: 14 }
        );
        assert_eq!(WhatIf::parse("pay-collection", "1").expect("collection"), WhatIf::PayCollection { index: 0 });
        assert_eq!(
            WhatIf::parse("miss-payment", "card-1").expect("late"),
            WhatIf::MissPayment { account: "card-1".into(), severity: Severity::Late30 }
        );
        for (kind, value, says) in [
            ("pay", "card-1", "ACCOUNT:AMOUNT"),
            ("pay-collection", "0", "counted from 1"),
            ("rate-shop", "boat:1:2", "not a loan"),
            ("miss-payment", "card-1:45", "how late"),
            ("wait", "soon", "months"),
            ("teleport", "x", "not a change"),
        ] {
            let err = WhatIf::parse(kind, value).expect_err(kind).to_string();
            assert!(err.contains(says), "{kind} {value}: {err}");
        }
    }

    #[test]
    fn an_inquiry_costs_points_and_a_collection_removed_gives_them_back() {
        let mut p = a780();
        p.collections.push(crate::score::CollectionItem {
            reported: d_("2025-06-01"),
            first_delinquency: d_("2025-01-01"),
            original_amount: d("900"),
            balance: d("900"),
            paid: None,
            medical: false,
        });
        let with = |kind: &str, value: &str| {
            simulate(&p, p.as_of, Flavour::Fico8, &WhatIf::parse_all([(kind, value)]).expect("parses"))
                .expect("simulates")
        };
        let inquiry = with("inquiry", "card");
        assert!(inquiry.delta().is_some_and(|d| d <= 0), "{:?}", inquiry.delta());
        assert_eq!(
            WhatIf::parse("inquiry", "mortgage").expect("reads"),
            WhatIf::HardInquiry { kind: InquiryKind::Mortgage }
        );
        let removed = with("remove-collection", "1");
        let paid = with("pay-collection", "1");
        assert!(
            removed.delta() > Some(0) && removed.after.score >= paid.after.score,
            "removed {:?}, paid {:?}",
            removed.delta(),
            paid.delta()
        );
        let missing = simulate(&p, p.as_of, Flavour::Fico8, &[WhatIf::RemoveCollection { index: 1 }])
            .expect_err("one collection only");
        assert_eq!(missing.to_string(), "collection not found: 2", "counted from 1, as the user wrote it");
    }

    fn d_(s: &str) -> NaiveDate {
        s.parse().expect("date")
    }

    #[test]
    fn a_simulation_is_the_score_of_the_changed_profile() {
        let p = a780();
        for change in [
            WhatIf::PayDown { account: "card1".into(), to: d("500") },
            WhatIf::PayAllCardsTo { percent: d("5") },
            WhatIf::RaiseLimit { account: "card2".into(), to: d("20000") },
            WhatIf::OpenCard { limit: d("5000") },
            WhatIf::RateShop { kind: InquiryKind::Auto, pulls: 4, days: 10 },
            WhatIf::CloseAccount { account: "card4".into() },
            WhatIf::MissPayment { account: "card2".into(), severity: Severity::Late30 },
            WhatIf::PayOff { account: "auto".into() },
            WhatIf::Wait { months: 12 },
        ] {
            let sim = simulate(&p, p.as_of, Flavour::Fico8, std::slice::from_ref(&change)).expect("simulates");
            let (changed, when) = apply(&p, p.as_of, &change).expect("applies");
            assert_eq!(sim.after, estimate(&changed, when, Flavour::Fico8), "{change:?}");
        }
        let none = simulate(&p, p.as_of, Flavour::Fico8, &[WhatIf::Wait { months: 0 }]).expect("no-op");
        assert_eq!(none.delta(), Some(0), "waiting zero months changes nothing");
    }

    #[test]
    fn what_if_directions_match_the_model() {
        let p = a780();
        let delta =
            |c: WhatIf| simulate(&p, p.as_of, Flavour::Fico8, &[c]).expect("simulates").delta().expect("scorable");
        assert!(delta(WhatIf::PayDown { account: "card1".into(), to: d("500") }) > 0);
        assert!(delta(WhatIf::MissPayment { account: "card2".into(), severity: Severity::Late30 }) < -50);
        assert!(delta(WhatIf::OpenCard { limit: d("5000") }) < 0);
        let shop = simulate(
            &p,
            p.as_of,
            Flavour::Fico8,
            &[WhatIf::RateShop { kind: InquiryKind::Auto, pulls: 4, days: 10 }, WhatIf::Wait { months: 2 }],
        )
        .expect("simulates");
        let one = simulate(
            &p,
            p.as_of,
            Flavour::Fico8,
            &[WhatIf::RateShop { kind: InquiryKind::Auto, pulls: 1, days: 10 }, WhatIf::Wait { months: 2 }],
        )
        .expect("simulates");
        assert_eq!(shop.after.score, one.after.score, "four auto pulls in ten days count as one");
        assert!(
            simulate(&p, p.as_of, Flavour::Fico8, &[WhatIf::PayDown { account: "nope".into(), to: d("1") }]).is_err()
        );
    }

    #[test]
    fn an_unpaid_late_gets_worse_every_month() {
        let p = a780();
        let path = escalation(&p, p.as_of, Flavour::Fico8, "card2").expect("escalates");
        assert_eq!(path.len(), 4);
        assert!(path.windows(2).all(|w| w[1].2 <= w[0].2), "{path:?}");
    }

    #[test]
    fn the_cheapest_step_to_a_better_utilization_bin_is_costed() {
        let p = a780();
        let steps = next_utilization_steps(&p, p.as_of, Flavour::Fico8);
        let card1 = steps.iter().find(|s| s.0 == "card1").expect("card1 at 30% can step down");
        assert_eq!(card1.1, d("50.01"), "from $3,000 to $2,949.99: 29.5% would still round to 30%");
        assert!(card1.2 > 0);
    }
}
