//! The first sync of a big vault: N transactions (default 1,000,000) written through the public API,
//! then `sync register` (every operation sealed and uploaded) and a second device's `join` (every
//! record downloaded, opened and merged), against a sync server on loopback (its embedded store in a
//! temporary folder). Prints the time of each and the bytes the server holds (what crossed the wire,
//! before base64 and HTTP). Used for docs/benchmarks.md:
//!     cargo run --release -p credence-core --example sync_first -- 1000000

#![allow(clippy::float_arithmetic)] // timing figures, not money

use std::time::Instant;

use chrono::{Days, NaiveDate};
use credence_core::sync::{join, Account, Unlock};
use credence_core::{AccountKind, NewAccount, NewTransaction, Passphrase, TransactionFilter, Vault};
use credence_server::{App, Config, Running, SqliteStore};
use rust_decimal::Decimal;

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let n: usize = std::env::args().nth(1).and_then(|a| a.parse().ok()).unwrap_or(1_000_000);
    let data = tempfile::tempdir()?;
    let store_path = data.path().to_path_buf();
    let server = Running::start(move || async move {
        Ok(App::new(SqliteStore::open(&store_path).map_err(std::io::Error::other)?, Config::default()).router())
    })?;
    let url = server.url();
    let account = Account { server: &url, user: "bench", password: "benchmark account password", otp: None };

    let dir = tempfile::tempdir()?;
    let passphrase = Passphrase::new("sync benchmark passphrase");
    let (mut vault, _) = Vault::create(&dir.path().join("laptop.vault"), &passphrase)?;
    let checking = vault
        .add_account(NewAccount {
            name: "Checking".into(),
            kind: AccountKind::Checking,
            currency: "USD".into(),
            credit_limit: None,
        })?
        .id;
    let start = NaiveDate::from_ymd_opt(2016, 1, 1).ok_or("date")?;
    let written = Instant::now();
    for batch in 0..n.div_ceil(50_000) {
        let rows: Vec<NewTransaction> = (batch * 50_000..((batch + 1) * 50_000).min(n))
            .map(|i| NewTransaction {
                account_id: checking.clone(),
                date: start + Days::new((i / 300) as u64),
                amount: Decimal::new(-((i % 9000) as i64 + 100), 2),
                payee: format!("MERCHANT {}", i % 500),
                memo: String::new(),
                category_id: None,
            })
            .collect();
        vault.add_transactions(&format!("batch {batch}"), rows)?;
    }
    println!("wrote {n} transactions in {:.1} s", written.elapsed().as_secs_f64());

    let pushed = Instant::now();
    let report = vault.sync_register(&account)?;
    let push_s = pushed.elapsed().as_secs_f64();
    let conn = rusqlite::Connection::open(data.path().join(credence_server::store::sqlite::FILE_NAME))?;
    let (records, bytes): (i64, i64) =
        conn.query_row("SELECT count(*), sum(length(data)) FROM records", [], |r| Ok((r.get(0)?, r.get(1)?)))?;
    println!("register (seal + upload): {push_s:.1} s, {} records, {:.1} MB sealed", report.pushed, bytes as f64 / 1e6);

    let pulled = Instant::now();
    let credence_core::sync::Joined { vault: phone, report: joined, .. } =
        join(&dir.path().join("phone.vault"), &account, None, Unlock::Passphrase(&passphrase))?;
    let pull_s = pulled.elapsed().as_secs_f64();
    let count = phone.transactions(&TransactionFilter::default())?.len();
    println!(
        "join (download + open + merge): {pull_s:.1} s, {} records applied, {count} transactions on the new device",
        joined.pulled
    );
    println!("server holds {records} records, {bytes} bytes; {:.0} bytes per transaction", bytes as f64 / n as f64);
    assert_eq!(count, n, "the new device holds every transaction");
    Ok(())
}
