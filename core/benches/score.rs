//! Score engine speed: one estimate with its explanation for a 30-tradeline profile with ten years of
//! history. Target: under 1 ms (docs/benchmarks.md).

use chrono::{Months, NaiveDate};
use credence_core::score::{
    estimate, history, projection, simulate, CreditProfile, Delinquency, Flavour, InquiryItem, InquiryKind, Ownership,
    Severity, Tradeline, TradelineKind, WhatIf,
};
use criterion::{criterion_group, criterion_main, Criterion};
use rust_decimal::Decimal;

fn profile() -> CreditProfile {
    let as_of = NaiveDate::from_ymd_opt(2026, 11, 1).expect("date");
    let ago = |m: u32| as_of.checked_sub_months(Months::new(m)).expect("date");
    let kinds = [
        TradelineKind::Bankcard,
        TradelineKind::RetailCard,
        TradelineKind::Auto,
        TradelineKind::Student,
        TradelineKind::Mortgage,
        TradelineKind::Personal,
    ];
    let accounts = (0..30u32)
        .map(|i| {
            let kind = kinds[i as usize % kinds.len()];
            let amount = Decimal::from(1000 + i * 750);
            Tradeline {
                id: format!("t{i}"),
                kind,
                opened: ago(6 + i * 4),
                closed: (i % 7 == 0).then(|| ago(i)),
                limit: kind.is_revolving().then_some(amount),
                original_amount: (!kind.is_revolving()).then_some(amount),
                balance: amount * Decimal::from(i % 10) / Decimal::from(10),
                balance_date: Some(ago(0)),
                past_due: Decimal::ZERO,
                ownership: Ownership::Individual,
                delinquencies: (i % 9 == 0)
                    .then(|| Delinquency { date: ago(i * 3 + 1), severity: Severity::Late30 })
                    .into_iter()
                    .collect(),
                linked_account: None,
            }
        })
        .collect();
    let inquiries =
        (0..12u32).map(|i| InquiryItem { date: ago(i * 10), kind: InquiryKind::Card, hard: true }).collect();
    CreditProfile {
        as_of,
        accounts,
        inquiries,
        collections: Vec::new(),
        public_records: Vec::new(),
        reported_scores: Vec::new(),
    }
}

fn bench(c: &mut Criterion) {
    let p = profile();
    c.bench_function("score/estimate with explanation, 30 tradelines", |b| {
        b.iter(|| estimate(&p, p.as_of, Flavour::Fico8))
    });
    let changes: Vec<Vec<WhatIf>> = (0..20u32)
        .map(|i| match i % 4 {
            0 => vec![WhatIf::PayAllCardsTo { percent: Decimal::from(i) }],
            1 => vec![WhatIf::OpenCard { limit: Decimal::from(1000 * i) }],
            2 => vec![WhatIf::PayDown { account: format!("t{}", i - 2), to: Decimal::ZERO }],
            _ => vec![WhatIf::Wait { months: i }],
        })
        .collect();
    c.bench_function("score/60-month projection + 20 simulations", |b| {
        b.iter(|| {
            let path = projection(&p, p.as_of, 60, Flavour::Fico8);
            let sims: Vec<_> =
                changes.iter().map(|c| simulate(&p, p.as_of, Flavour::Fico8, c).expect("simulates")).collect();
            (path, sims)
        })
    });
    // What the app's slider does on each move: read the change as typed, then score before and after.
    c.bench_function("score/one slider move (parse + simulate)", |b| {
        b.iter(|| {
            let change = WhatIf::parse_all([("pay", "t6:10%")]).expect("parses");
            simulate(&p, p.as_of, Flavour::Fico8, &change).expect("simulates")
        })
    });
    c.bench_function("score/monthly history over 10 years", |b| b.iter(|| history(&p, p.as_of, 120, Flavour::Fico8)));
}

criterion_group!(benches, bench);
criterion_main!(benches);
