//! Inserts N synthetic transactions (default 1,000,000) into a fresh vault through the public API in
//! one operation, and prints the time and the vault's size. Used for docs/benchmarks.md:
//!     cargo run --release -p credence-core --example bulk_insert -- 1000000

#![allow(clippy::float_arithmetic)] // timing figures, not money

use std::time::Instant;

use chrono::NaiveDate;
use credence_core::{AccountKind, NewAccount, NewTransaction, Passphrase, TransactionFilter, Vault};
use rust_decimal::Decimal;

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let n: usize = std::env::args().nth(1).map(|a| a.parse()).transpose()?.unwrap_or(1_000_000);
    let dir = tempfile::tempdir()?;
    let path = dir.path().join("bulk.vault");
    let t0 = Instant::now();
    let (mut vault, _) = Vault::create(&path, &Passphrase::new("bulk insert passphrase"))?;
    let created = t0.elapsed();
    let account = vault
        .add_account(NewAccount {
            name: "Checking".into(),
            kind: AccountKind::Checking,
            currency: "USD".into(),
            credit_limit: None,
        })?
        .id;
    let start = NaiveDate::from_ymd_opt(2016, 1, 1).ok_or("date")?;
    let rows = (0..n).map(|i| NewTransaction {
        account_id: account.clone(),
        date: start + chrono::Days::new((i * 3650 / n) as u64),
        amount: Decimal::new(-((i % 10_000) as i64) - 1, 2),
        payee: format!("Merchant {}", i % 500),
        memo: String::new(),
        category_id: None,
    });
    let t1 = Instant::now();
    vault.add_transactions("bulk insert", rows)?;
    let inserted = t1.elapsed();
    // The desktop list's queries: the length of the list, then a page at the top, middle and end.
    let t2 = Instant::now();
    let total = vault.count_transactions(&TransactionFilter::default())?;
    println!("count of {total}: {:.1} ms", t2.elapsed().as_secs_f64() * 1e3);
    for offset in [0, n / 2, n.saturating_sub(100)] {
        let t3 = Instant::now();
        let page = vault.transactions(&TransactionFilter { limit: Some(100), offset, ..Default::default() })?;
        println!("page of {} at offset {offset}: {:.1} ms", page.len(), t3.elapsed().as_secs_f64() * 1e3);
    }
    let t5 = Instant::now();
    let months = vault.monthly_report(&credence_core::analytics::MonthlyFilter::default())?;
    println!("monthly report ({} months): {:.1} ms", months.len(), t5.elapsed().as_secs_f64() * 1e3);
    let t6 = Instant::now();
    let accounts = vault.accounts()?;
    println!("accounts with balances ({}): {:.1} ms", accounts.len(), t6.elapsed().as_secs_f64() * 1e3);
    let t4 = Instant::now();
    let found =
        vault.count_transactions(&TransactionFilter { search: Some("Merchant 42".into()), ..Default::default() })?;
    println!("search count ({found}): {:.1} ms", t4.elapsed().as_secs_f64() * 1e3);
    drop(vault);
    let size: u64 = std::fs::read_dir(dir.path())?.filter_map(|e| e.ok()?.metadata().ok()).map(|m| m.len()).sum();
    println!(
        "created vault in {:.2} s; inserted {n} transactions in {:.2} s ({:.0} rows/s); vault on disk {:.1} MB",
        created.as_secs_f64(),
        inserted.as_secs_f64(),
        n as f64 / inserted.as_secs_f64(),
        size as f64 / 1e6
    );
    Ok(())
}
