//! The model's distribution smoke test (T18, a report, not a gate): scores a synthetic population drawn
//! loosely from FICO's published "average credit statistics" and prints how it spreads.
//!     cargo run --release -p credence-core --example score_population -- 20000
//! Loose expectations: about 15–25% at 800 or more, 10–20% under 580, median 700–750.

#![allow(clippy::float_arithmetic)] // a random population, not money

use chrono::{Months, NaiveDate};
use credence_core::score::{
    estimate, CollectionItem, CreditProfile, Delinquency, Flavour, InquiryItem, InquiryKind, Ownership, Severity,
    Tradeline, TradelineKind,
};
use rand::{Rng, SeedableRng};
use rust_decimal::Decimal;

fn person(rng: &mut impl Rng, as_of: NaiveDate) -> CreditProfile {
    let ago = |m: u32| as_of.checked_sub_months(Months::new(m)).unwrap_or(as_of);
    let history = rng.gen_range(6..420u32); // months since the first account
    let cards = rng.gen_range(1..=9u32);
    let loans = rng.gen_range(0..=4u32);
    // How much card debt: 40% under $1,000, 15% over $10,000.
    let debt_band: f64 = rng.gen();
    let card_debt = if debt_band < 0.4 {
        rng.gen_range(0..1000)
    } else if debt_band < 0.85 {
        rng.gen_range(1000..10000)
    } else {
        rng.gen_range(10000..30000)
    };
    let ever_late: f64 = rng.gen();
    let mut accounts = Vec::new();
    for i in 0..cards + loans {
        let revolving = i < cards;
        let opened = ago(rng.gen_range(1..=history.max(2)));
        let limit = Decimal::from(rng.gen_range(10..150u32) * 100);
        let mut delinquencies = Vec::new();
        if i == 0 && ever_late < 0.45 {
            let severity = if ever_late < 0.10 {
                Severity::ChargeOff
            } else if ever_late < 0.23 {
                Severity::Late90
            } else if ever_late < 0.30 {
                Severity::Late60
            } else {
                Severity::Late30
            };
            let months_ago = rng.gen_range(0..120u32);
            if ago(months_ago) > opened {
                delinquencies.push(Delinquency { date: ago(months_ago), severity });
            }
        }
        accounts.push(Tradeline {
            id: format!("t{i}"),
            kind: if revolving {
                TradelineKind::Bankcard
            } else {
                [TradelineKind::Auto, TradelineKind::Student, TradelineKind::Mortgage][i as usize % 3]
            },
            opened,
            closed: None,
            limit: revolving.then_some(limit),
            original_amount: (!revolving).then(|| limit * Decimal::from(10)),
            balance: if revolving {
                Decimal::from(card_debt / cards)
            } else {
                limit * Decimal::from(rng.gen_range(1..10u32))
            },
            balance_date: Some(as_of),
            past_due: Decimal::ZERO,
            ownership: Ownership::Individual,
            delinquencies,
            linked_account: None,
        });
    }
    let inquiries = (0..rng.gen_range(0..3u32))
        .map(|_| InquiryItem { date: ago(rng.gen_range(1..12)), kind: InquiryKind::Card, hard: true })
        .collect();
    let collections = if ever_late < 0.08 {
        vec![CollectionItem {
            reported: ago(24),
            first_delinquency: ago(30),
            original_amount: Decimal::from(800),
            balance: Decimal::from(800),
            paid: None,
            medical: false,
        }]
    } else {
        Vec::new()
    };
    CreditProfile { as_of, accounts, inquiries, collections, public_records: Vec::new(), reported_scores: Vec::new() }
}

fn main() {
    let n: usize = std::env::args().nth(1).and_then(|a| a.parse().ok()).unwrap_or(20_000);
    let as_of = NaiveDate::from_ymd_opt(2026, 11, 1).unwrap_or_default();
    let mut rng = rand::rngs::StdRng::seed_from_u64(18);
    let mut scores: Vec<u16> =
        (0..n).filter_map(|_| estimate(&person(&mut rng, as_of), as_of, Flavour::Fico8).score).collect();
    scores.sort_unstable();
    let share = |f: &dyn Fn(u16) -> bool| 100 * scores.iter().filter(|s| f(**s)).count() / scores.len().max(1);
    println!("{} scorable of {n}", scores.len());
    println!(
        "800+: {}%   under 580: {}%   median: {}",
        share(&|s| s >= 800),
        share(&|s| s < 580),
        scores.get(scores.len() / 2).copied().unwrap_or(0)
    );
    for (lo, hi) in [(300, 580), (580, 670), (670, 740), (740, 800), (800, 851)] {
        println!("{lo}–{}: {}%", hi - 1, share(&|s| s >= lo && s < hi));
    }
}
