//! Load on the local REST API over real HTTP on loopback: a vault of N transactions (default 1,000,000,
//! ten years, three accounts), `GET /api/v1/transactions?limit=100` from cursors at several depths and
//! `GET /api/v1/analytics/dashboard`, each timed one request at a time (p50/p99), then requests per
//! second with C clients (default 4) at random depths. For docs/benchmarks.md:
//!     cargo run --release -p credence-rest --example load -- 1000000 4

#![allow(clippy::float_arithmetic)] // timing figures, not money

use std::time::{Duration, Instant};

use chrono::NaiveDate;
use credence_core::vault::KDF_FLOOR;
use credence_core::{
    AccountKind, CreateOptions, ListPosition, NewAccount, NewTransaction, Passphrase, TransactionFilter, Vault,
};
use rust_decimal::Decimal;

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let mut args = std::env::args().skip(1);
    let n: usize = args.next().map(|a| a.parse()).transpose()?.unwrap_or(1_000_000);
    let clients: usize = args.next().map(|a| a.parse()).transpose()?.unwrap_or(4);
    let dir = tempfile::tempdir()?;
    let path = dir.path().join("load.vault");
    let (mut vault, _) =
        Vault::create_with(&path, &Passphrase::new("load test passphrase"), CreateOptions { kdf: KDF_FLOOR })?;
    let accounts: Vec<String> = ["Checking", "Savings", "Visa"]
        .iter()
        .map(|name| {
            let kind = if *name == "Visa" { AccountKind::CreditCard } else { AccountKind::Checking };
            let new = NewAccount { name: (*name).into(), kind, currency: "USD".into(), credit_limit: None };
            vault.add_account(new).map(|a| a.id)
        })
        .collect::<Result<_, _>>()?;
    let start = NaiveDate::from_ymd_opt(2016, 1, 1).ok_or("date")?;
    let rows = (0..n).map(|i| NewTransaction {
        account_id: accounts[i % 3].clone(),
        date: start + chrono::Days::new((i * 3650 / n) as u64),
        amount: Decimal::new(-((i % 10_000) as i64) - 1, 2),
        payee: format!("Merchant {}", i % 2000),
        memo: String::new(),
        category_id: None,
    });
    let t = Instant::now();
    vault.add_transactions("load test", rows)?;
    println!("{n} transactions added in {:.1} s", t.elapsed().as_secs_f64());
    // Cursors at the top, a tenth, the middle and near the end of the listing.
    let mut cursors = vec![("top".to_string(), String::new())];
    for (name, offset) in [("10%", n / 10), ("50%", n / 2), ("end", n.saturating_sub(150))] {
        let row = vault.transactions(&TransactionFilter { limit: Some(1), offset, ..Default::default() })?;
        let position = ListPosition::of(row.first().ok_or("no row")?)?;
        cursors.push((name.to_string(), format!("&cursor={position}")));
    }

    let token = credence_rest::Token::for_vault(&path)?;
    let bearer = format!("Bearer {}", token.dangerously_reveal());
    let serving = credence_rest::Background::start(credence_rest::router(vault, token))?;
    let base = format!("http://{}", serving.address());

    let agent: ureq::Agent = ureq::Agent::config_builder().http_status_as_error(true).build().into();
    let get = |url: &str| -> Result<Duration, ureq::Error> {
        let t = Instant::now();
        let mut reply = agent.get(url).header("Authorization", &bearer).call()?;
        reply.body_mut().read_to_vec()?;
        Ok(t.elapsed())
    };
    let summary = |times: &mut Vec<Duration>| {
        times.sort();
        let ms = |d: Duration| d.as_secs_f64() * 1e3;
        format!("p50 {:.2} ms, p99 {:.2} ms", ms(times[times.len() / 2]), ms(times[times.len() * 99 / 100]))
    };
    for (name, cursor) in &cursors {
        let url = format!("{base}/api/v1/transactions?limit=100{cursor}");
        let mut times = (0..200).map(|_| get(&url)).collect::<Result<Vec<_>, _>>()?;
        println!("GET /transactions?limit=100 at {name}: {}", summary(&mut times));
    }
    let dashboard = format!("{base}/api/v1/analytics/dashboard");
    let mut times = (0..100).map(|_| get(&dashboard)).collect::<Result<Vec<_>, _>>()?;
    println!("GET /analytics/dashboard: {}", summary(&mut times));

    // Throughput: C clients, each cycling through the depths, for five seconds.
    let deadline = Instant::now() + Duration::from_secs(5);
    let done: usize = std::thread::scope(|scope| {
        let workers: Vec<_> = (0..clients)
            .map(|c| {
                let (cursors, base, get) = (&cursors, &base, &get);
                scope.spawn(move || {
                    let mut count = 0;
                    while Instant::now() < deadline {
                        let cursor = &cursors[(c + count) % cursors.len()].1;
                        if get(&format!("{base}/api/v1/transactions?limit=100{cursor}")).is_ok() {
                            count += 1;
                        }
                    }
                    count
                })
            })
            .collect();
        workers.into_iter().map(|w| w.join().unwrap_or(0)).sum()
    });
    println!("{clients} clients, pages at every depth: {:.0} requests/s", done as f64 / 5.0);
    drop(serving);
    Ok(())
}
