//! Report benchmarks over a vault of 1,000,000 transactions across ten years (CREDENCE_BENCH_ROWS to
//! change): the monthly report, the dashboard, custom reports, trends and recurring detection. The
//! ledger is synthetic but shaped like a household's: three accounts (one a card with a limit), 40
//! categories, 2,000 payees, monthly subscriptions, some tags. Figures and commands: docs/benchmarks.md.

use chrono::{Days, NaiveDate};
use credence_core::analytics::{GroupBy, Measure, MonthlyFilter, Period, ReportQuery};
use credence_core::vault::KDF_FLOOR;
use credence_core::{AccountKind, CreateOptions, NewAccount, NewTransaction, Passphrase, TransactionEdit, Vault};
use criterion::{criterion_group, criterion_main, Criterion};
use rust_decimal::Decimal;

fn day(s: &str) -> NaiveDate {
    s.parse().expect("date")
}

/// A fresh vault with `n` transactions; returns it with its folder (kept alive) and a category id.
fn ledger(n: usize) -> (tempfile::TempDir, Vault, String) {
    let dir = tempfile::tempdir().expect("tempdir");
    let options = CreateOptions { kdf: KDF_FLOOR };
    let (mut vault, _) =
        Vault::create_with(&dir.path().join("bench.vault"), &Passphrase::new("benchmark passphrase"), options)
            .expect("create");
    let account = |vault: &mut Vault, name: &str, kind, limit: Option<i64>| {
        let new =
            NewAccount { name: name.into(), kind, currency: "USD".into(), credit_limit: limit.map(Decimal::from) };
        vault.add_account(new).expect("account").id
    };
    let accounts = [
        account(&mut vault, "Checking", AccountKind::Checking, None),
        account(&mut vault, "Visa", AccountKind::CreditCard, Some(12_000)),
        account(&mut vault, "Savings", AccountKind::Savings, None),
    ];
    let categories: Vec<String> = vault.categories().expect("categories").into_iter().map(|c| c.id).take(40).collect();
    let start = day("2016-12-01");
    let rows = (0..n).map(|i| {
        let subscription = i % 97 == 0;
        NewTransaction {
            account_id: accounts[i % 7 % 3].clone(),
            date: start + Days::new((i * 3650 / n) as u64),
            amount: if i % 50 == 0 {
                Decimal::new(325_000, 2)
            } else {
                Decimal::new(-((i * 7919 % 20_000) as i64) - 1, 2)
            },
            payee: if subscription { format!("Streaming {}", i % 5) } else { format!("Merchant {}", i * 31 % 2000) },
            memo: String::new(),
            category_id: Some(categories[i * 13 % categories.len()].clone()),
        }
    });
    vault.add_transactions("bench ledger", rows).expect("insert");
    let groceries = vault.category_by_path("Groceries").expect("seeded").id;
    let tagged: Vec<String> =
        vault.transactions(&Default::default()).expect("list").into_iter().step_by(5_000).map(|t| t.id).collect();
    for id in tagged {
        vault
            .edit_transaction(&id, TransactionEdit { tags: Some(vec!["trip".into()]), ..Default::default() })
            .expect("tag");
    }
    (dir, vault, groceries)
}

fn reports(c: &mut Criterion) {
    let n = std::env::var("CREDENCE_BENCH_ROWS").ok().and_then(|v| v.parse().ok()).unwrap_or(1_000_000);
    let (_dir, vault, groceries) = ledger(n);
    let as_of = day("2026-11-30");
    let mut group = c.benchmark_group(format!("reports over {n} transactions"));
    group.sample_size(10);
    group.bench_function("monthly report, 120 months", |b| {
        b.iter(|| vault.monthly_report(&MonthlyFilter::default()).expect("report"))
    });
    group.bench_function("dashboard", |b| b.iter(|| vault.dashboard(as_of, None).expect("dashboard")));
    let three_filters = ReportQuery {
        from: Some(day("2023-01-01")),
        to: Some(day("2023-06-30")),
        text: Some("merchant 1".into()),
        max: Some(Decimal::ZERO),
        group: GroupBy::Payee,
        ..Default::default()
    };
    group.bench_function("custom report, three filters, by month × payee (rows)", |b| {
        b.iter(|| vault.custom_report(&three_filters).expect("report"))
    });
    let totals = ReportQuery {
        category_ids: vec![groceries.clone()],
        period: Period::Quarter,
        group: GroupBy::Account,
        ..Default::default()
    };
    group.bench_function("custom report, category by quarter × account (monthly totals)", |b| {
        b.iter(|| vault.custom_report(&totals).expect("report"))
    });
    let tagged = ReportQuery { tags: vec!["trip".into()], period: Period::Year, ..Default::default() };
    group.bench_function("custom report, one tag by year × category (rows)", |b| {
        b.iter(|| vault.custom_report(&tagged).expect("report"))
    });
    let monthly = ReportQuery { category_ids: vec![groceries.clone()], ..Default::default() };
    group.bench_function("trend of a category, monthly, ten years", |b| {
        b.iter(|| vault.trend(&monthly, Measure::Spending, 3, as_of).expect("trend"))
    });
    let weekly = ReportQuery { period: Period::Week, from: Some(day("2024-12-01")), ..Default::default() };
    group.bench_function("trend of all spending, weekly, two years", |b| {
        b.iter(|| vault.trend(&weekly, Measure::Spending, 4, as_of).expect("trend"))
    });
    // Each call asks for another day, so that every one runs the detection (an unchanged vault and the
    // same day are answered from memory: the second figure).
    let mut days_back = 0;
    group.bench_function("recurring payments, detection", |b| {
        b.iter(|| {
            days_back += 1;
            vault.recurring_payments(as_of - Days::new(days_back)).expect("recurring")
        })
    });
    group.bench_function("recurring payments, unchanged vault", |b| {
        b.iter(|| vault.recurring_payments(as_of).expect("recurring"))
    });
    group.finish();
}

criterion_group!(benches, reports);
criterion_main!(benches);
