//! Recommendations and target plans, each scored with the simulator. Ranked by points per dollar for
//! payments and points per month for waiting. Guardrails from FICO's own guidance: never "carry a
//! balance", never "open accounts for the mix"; real scores vary by bureau and version.

use chrono::{Months, NaiveDate};
use rust_decimal::{Decimal, RoundingStrategy};

use super::engine::estimate;
use super::inquiries::Flavour;
use super::profile::CreditProfile;
use super::simulate::{apply, next_utilization_steps, WhatIf};

#[derive(Debug, Clone, PartialEq)]
pub struct Recommendation {
    pub action: String,
    /// Dollars it takes, for payments.
    pub cost: Option<Decimal>,
    /// Months it takes, for waiting.
    pub months: u32,
    pub gain: i32,
}

/// How to reach a target score: pay so much (highest-utilization cards first), wait until a date.
#[derive(Debug, Clone, PartialEq)]
pub struct Plan {
    pub target: u16,
    pub current: Option<u16>,
    /// `None` when no payment and wait within the horizon reaches the target.
    pub reached: Option<PlanStep>,
    /// The best score the horizon allows (paying every card to 1% and waiting until the end).
    pub best: Option<u16>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct PlanStep {
    pub pay: Decimal,
    pub payments: Vec<(String, Decimal)>,
    pub by: NaiveDate,
    pub score: u16,
}

impl Plan {
    /// The plan in words: its steps in order, and a summary (what the CLI prints and the app shows).
    pub fn describe(&self, as_of: NaiveDate) -> (Vec<String>, String) {
        match &self.reached {
            Some(step) if step.pay == Decimal::ZERO && step.by == as_of => {
                (Vec::new(), format!("You are already at {} or above.", self.target))
            }
            Some(step) => {
                let mut steps: Vec<String> = step
                    .payments
                    .iter()
                    .map(|(id, amount)| format!("Pay {} on {id} before its statement closes", dollars(*amount)))
                    .collect();
                if step.by > as_of {
                    let then = if steps.is_empty() { "Avoid" } else { "Then avoid" };
                    steps.push(format!("{then} new applications until {}", step.by));
                }
                (steps, format!("About {} by {} (real scores vary by bureau and version).", step.score, step.by))
            }
            None => (
                Vec::new(),
                match self.best {
                    Some(best) => format!(
                        "{} is out of reach by paying down cards and waiting within the horizon; the best is about {best}.",
                        self.target
                    ),
                    // An empty or unscorable report: nothing to plan from until there is one.
                    None => "There is no score to plan from yet: keep a credit report first (credence credit import, \
                             or the app's first-score questions)."
                        .to_string(),
                },
            ),
        }
    }
}

/// Money on a credit report, as text: reports are in US dollars (the scores modelled are US scores).
pub fn dollars(amount: Decimal) -> String {
    crate::values::display_money(amount, "USD")
}

/// Card payments, highest utilization first, that bring aggregate revolving utilization to `percent`
/// (rounded half up, so a cent under `percent` + 0.5 reads as `percent`).
fn payments_to(p: &CreditProfile, percent: u32) -> Vec<(String, Decimal)> {
    let cards: Vec<_> =
        p.accounts.iter().filter(|t| t.kind.is_revolving() && t.closed.is_none() && t.limit.is_some()).collect();
    let limit: Decimal = cards.iter().filter_map(|t| t.limit).sum();
    let balance: Decimal = cards.iter().map(|t| t.balance).sum();
    let allowed = (limit * (Decimal::from(percent) + Decimal::new(5, 1)) / Decimal::from(100))
        .round_dp_with_strategy(2, RoundingStrategy::ToZero)
        - Decimal::new(1, 2);
    let mut excess = balance - allowed.max(Decimal::ZERO);
    let mut by_utilization = cards.clone();
    by_utilization.sort_by(|a, b| {
        let u =
            |t: &&super::profile::Tradeline| t.balance / t.limit.filter(|l| *l > Decimal::ZERO).unwrap_or(Decimal::ONE);
        u(b).cmp(&u(a)).then(a.id.cmp(&b.id))
    });
    let mut out = Vec::new();
    for t in by_utilization {
        if excess <= Decimal::ZERO {
            break;
        }
        let pay = excess.min(t.balance);
        if pay > Decimal::ZERO {
            out.push((t.id.clone(), pay));
            excess -= pay;
        }
    }
    out
}

fn after_payments(p: &CreditProfile, as_of: NaiveDate, payments: &[(String, Decimal)]) -> CreditProfile {
    let mut q = p.clone();
    for (id, pay) in payments {
        if let Some(t) = q.accounts.iter_mut().find(|t| &t.id == id) {
            t.balance -= *pay;
        }
    }
    q.as_of = q.as_of.max(as_of);
    q
}

/// The best few things to do now, ranked by points per dollar or per month of waiting.
pub fn recommendations(p: &CreditProfile, as_of: NaiveDate, flavour: Flavour) -> Vec<Recommendation> {
    let Some(base) = estimate(p, as_of, flavour).score else { return Vec::new() };
    let base = i32::from(base);
    let mut out = Vec::new();
    let past_due: Vec<_> = p.accounts.iter().filter(|t| t.past_due > Decimal::ZERO).collect();
    for t in past_due {
        let mut q = p.clone();
        if let Some(acct) = q.accounts.iter_mut().find(|a| a.id == t.id) {
            acct.past_due = Decimal::ZERO;
        }
        // Bringing it current also stops the late from growing to 60 and 90 days.
        let worse = apply(p, as_of, &WhatIf::Wait { months: 2 })
            .ok()
            .and_then(|(q, d)| estimate(&q, d, flavour).score)
            .map_or(base, i32::from);
        let gain = estimate(&q, as_of, flavour).score.map_or(base, i32::from) - base + (base - worse).max(0);
        out.push(Recommendation {
            action: format!(
                "bring {} current (pay the {} past due) before it becomes more late",
                t.id,
                dollars(t.past_due)
            ),
            cost: Some(t.past_due),
            months: 0,
            gain: gain.max(1),
        });
    }
    for (id, pay, gain) in next_utilization_steps(p, as_of, flavour) {
        out.push(Recommendation {
            action: format!("pay {} on {id} before its statement closes", dollars(pay)),
            cost: Some(pay),
            months: 0,
            gain,
        });
    }
    for percent in [29u32, 9] {
        let payments = payments_to(p, percent);
        if payments.is_empty() {
            continue;
        }
        let cost: Decimal = payments.iter().map(|p| p.1).sum();
        let gain = estimate(&after_payments(p, as_of, &payments), as_of, flavour).score.map_or(base, i32::from) - base;
        if gain > 0 {
            out.push(Recommendation {
                action: format!("bring overall card utilization under {}%", percent + 1),
                cost: Some(cost),
                months: 0,
                gain,
            });
        }
    }
    // Waiting: the first month in the next two years when the score rises by itself.
    for months in 1..=24u32 {
        let date = as_of.checked_add_months(Months::new(months)).unwrap_or(as_of);
        let later = estimate(p, date, flavour).score.map_or(base, i32::from);
        if later > base {
            out.push(Recommendation {
                action: format!("avoid new applications until {date}: items age and stop counting"),
                cost: None,
                months,
                gain: later - base,
            });
            break;
        }
    }
    let value = |r: &Recommendation| match r.cost {
        Some(c) if c > Decimal::ZERO => Decimal::from(r.gain) * Decimal::from(1000) / c,
        _ => Decimal::from(r.gain) * Decimal::from(100) / Decimal::from(r.months.max(1)),
    };
    out.sort_by_key(|r| std::cmp::Reverse(value(r)));
    out.truncate(5);
    out
}

/// The cheapest way (in dollars, then in time) to reach `target` by `by` (default: 24 months from now).
pub fn plan(p: &CreditProfile, as_of: NaiveDate, flavour: Flavour, target: u16, by: Option<NaiveDate>) -> Plan {
    let current = estimate(p, as_of, flavour).score;
    let horizon = by.unwrap_or_else(|| as_of.checked_add_months(Months::new(24)).unwrap_or(as_of));
    let mut options: Vec<Vec<(String, Decimal)>> = vec![Vec::new()];
    options.extend([89u32, 69, 49, 29, 9, 1].iter().map(|pct| payments_to(p, *pct)).filter(|p| !p.is_empty()));
    let mut best_found: Option<PlanStep> = None;
    let mut best_possible = current;
    for payments in &options {
        let paid = after_payments(p, as_of, payments);
        let cost: Decimal = payments.iter().map(|x| x.1).sum();
        let mut month = 0;
        loop {
            let date = as_of.checked_add_months(Months::new(month)).unwrap_or(as_of);
            if date > horizon {
                break;
            }
            let score = estimate(&paid, date, flavour).score;
            best_possible = best_possible.max(score);
            if score.is_some_and(|s| s >= target) {
                let better = best_found.as_ref().is_none_or(|b| (cost, date) < (b.pay, b.by));
                if better {
                    best_found = Some(PlanStep {
                        pay: cost,
                        payments: payments.clone(),
                        by: date,
                        score: score.unwrap_or(target),
                    });
                }
                break;
            }
            month += 1;
        }
    }
    Plan { target, current, reached: best_found, best: best_possible }
}

#[cfg(test)]
mod tests {
    use super::*;

    use crate::score::tests::a780;

    #[test]
    fn recommendations_are_scored_ranked_and_never_say_open_or_carry() {
        let p = a780();
        let recs = recommendations(&p, p.as_of, Flavour::Fico8);
        assert!(!recs.is_empty() && recs.len() <= 5);
        assert!(recs.iter().all(|r| r.gain > 0));
        for r in &recs {
            let a = r.action.to_lowercase();
            assert!(!a.contains("open a") && !a.contains("carry"), "{}", r.action);
        }
    }

    #[test]
    fn a_plan_reaches_the_target_at_the_least_cost_or_says_how_far_it_gets() {
        let p = a780();
        let plan = plan(&p, p.as_of, Flavour::Fico8, 790, None);
        let step = plan.reached.expect("790 is reachable from 777");
        assert!(step.score >= 790);
        let q = after_payments(&p, p.as_of, &step.payments);
        assert_eq!(estimate(&q, step.by, Flavour::Fico8).score, Some(step.score), "the plan is what the engine says");
        let already = super::plan(&p, p.as_of, Flavour::Fico8, 700, None);
        assert_eq!(already.reached.map(|s| (s.pay, s.by)), Some((Decimal::ZERO, p.as_of)), "nothing to do");
        let impossible = super::plan(&p, p.as_of, Flavour::Fico8, 850, Some(p.as_of));
        assert!(impossible.reached.is_none() && impossible.best.is_some());
    }
}
