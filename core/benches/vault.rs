//! Vault benchmarks: unlocking (Argon2id at the default cost, then SQLCipher) and inserting
//! transactions through the public API. Figures and commands: docs/benchmarks.md.

use chrono::NaiveDate;
use credence_core::{AccountKind, NewAccount, NewTransaction, Passphrase, Vault};
use criterion::{criterion_group, criterion_main, BatchSize, Criterion, Throughput};
use rust_decimal::Decimal;

const PASS: &str = "benchmark passphrase";

fn rows(account: &str, n: usize) -> Vec<NewTransaction> {
    let start = NaiveDate::from_ymd_opt(2016, 1, 1).expect("date");
    (0..n)
        .map(|i| NewTransaction {
            account_id: account.to_string(),
            date: start + chrono::Days::new((i * 3650 / n) as u64),
            amount: Decimal::new(-((i % 10_000) as i64) - 1, 2),
            payee: format!("Merchant {}", i % 500),
            memo: String::new(),
            category_id: None,
        })
        .collect()
}

fn unlock(c: &mut Criterion) {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join("bench.vault");
    drop(Vault::create(&path, &Passphrase::new(PASS)).expect("create"));
    let mut group = c.benchmark_group("vault");
    group.sample_size(10);
    group.bench_function("open (Argon2id default cost + SQLCipher)", |b| {
        b.iter(|| Vault::open(&path, &Passphrase::new(PASS)).expect("open"))
    });
    group.finish();
}

fn insert(c: &mut Criterion) {
    const N: usize = 100_000;
    let mut group = c.benchmark_group("insert");
    group.sample_size(10);
    group.throughput(Throughput::Elements(N as u64));
    group.bench_function("100k transactions, one operation", |b| {
        b.iter_batched(
            || {
                let dir = tempfile::tempdir().expect("tempdir");
                let (mut vault, _) =
                    Vault::create(&dir.path().join("v.vault"), &Passphrase::new(PASS)).expect("create");
                let account = vault
                    .add_account(NewAccount {
                        name: "Checking".into(),
                        kind: AccountKind::Checking,
                        currency: "USD".into(),
                        credit_limit: None,
                    })
                    .expect("account")
                    .id;
                let batch = rows(&account, N);
                (dir, vault, batch)
            },
            |(dir, mut vault, batch)| {
                vault.add_transactions("bench", batch).expect("insert");
                (dir, vault)
            },
            BatchSize::PerIteration,
        )
    });
    group.finish();
}

criterion_group!(benches, unlock, insert);
criterion_main!(benches);
