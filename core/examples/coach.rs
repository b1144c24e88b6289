//! The credit coach over a vault of N transactions (default 1,000,000): a checking account with most
//! of them and two cards with ten years of purchases, interest and monthly payments (one tied to a
//! credit file), written through the public API. Prints how long `Vault::coach` takes after unlock
//! (first call and again), and `on_time_bills`. Used for docs/benchmarks.md:
//!     cargo run --release -p credence-core --example coach -- 1000000
//! Or the same timings on a vault that exists (the passphrase in `CREDENCE_PASSPHRASE`):
//!     cargo run --release -p credence-core --example coach -- path/to.vault 2024-12-20

#![allow(clippy::float_arithmetic)] // timing figures, not money

use std::time::Instant;

use chrono::{Datelike, Days, Months, NaiveDate};
use credence_core::coach::CoachOptions;
use credence_core::{AccountChanges, AccountKind, NewAccount, NewTransaction, Passphrase, Vault};
use rust_decimal::Decimal;

const CARD_ROWS_PER_MONTH: usize = 250;

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let first = std::env::args().nth(1).unwrap_or_default();
    if std::path::Path::new(&first).is_file() {
        let as_of = std::env::args().nth(2).ok_or("the as-of date")?.parse()?;
        let passphrase = Passphrase::new(std::env::var("CREDENCE_PASSPHRASE")?);
        return time(std::path::Path::new(&first), &passphrase, as_of);
    }
    let n: usize = first.parse().unwrap_or(1_000_000);
    let dir = tempfile::tempdir()?;
    let path = dir.path().join("coach.vault");
    let passphrase = Passphrase::new("coach benchmark passphrase");
    let (mut vault, _) = Vault::create(&path, &passphrase)?;
    let account = |vault: &mut Vault, name: &str, kind, limit: Option<i64>| -> Result<String, credence_core::Error> {
        Ok(vault
            .add_account(NewAccount {
                name: name.into(),
                kind,
                currency: "USD".into(),
                credit_limit: limit.map(Decimal::from),
            })?
            .id)
    };
    let checking = account(&mut vault, "Checking", AccountKind::Checking, None)?;
    let start = NaiveDate::from_ymd_opt(2016, 12, 1).ok_or("date")?;
    let months = 120u32;
    let as_of = start.checked_add_months(Months::new(months)).ok_or("date")? - Days::new(5);
    let mut rows = Vec::new();
    for (name, limit, closing, due) in [("Chase Freedom", 8000, 28u32, 22u32), ("Citi Double Cash", 5000, 15, 10)] {
        let card = account(&mut vault, name, AccountKind::CreditCard, Some(limit))?;
        if name.starts_with("Chase") {
            // The other card's days are inferred from its postings.
            let days =
                AccountChanges { statement_day: Some(Some(closing)), due_day: Some(Some(due)), ..Default::default() };
            vault.edit_account(&card, &days)?;
        }
        for m in 0..months {
            let month = start.checked_add_months(Months::new(m)).ok_or("date")?;
            for i in 0..CARD_ROWS_PER_MONTH {
                let day = month + Days::new((i * 28 / CARD_ROWS_PER_MONTH) as u64);
                rows.push(tx(&card, day, -((i % 40) as i64 + 1) * 37, &format!("MERCHANT {}", i % 60)));
            }
            let closing_day = month.with_day(closing).ok_or("day")?;
            rows.push(tx(&card, closing_day, -1234, "INTEREST CHARGE ON PURCHASES"));
            let paid = month.with_day(due).ok_or("day")?.checked_add_months(Months::new(1)).ok_or("date")?;
            // A month of purchases (184,075 cents) and its interest: each statement paid in full.
            rows.push(tx(&card, paid, 185_309, "AUTOPAY PAYMENT - THANK YOU"));
            rows.push(tx(&checking, paid, -185_309, &format!("{} AUTOPAY", name.to_uppercase())));
        }
    }
    let rest = n.saturating_sub(rows.len());
    for i in 0..rest {
        let day = start + Days::new((i * (months as usize * 30) / rest.max(1)) as u64);
        rows.push(tx(&checking, day, -((i % 10_000) as i64) - 1, &format!("Merchant {}", i % 500)));
    }
    let count = rows.len();
    vault.add_transactions("coach benchmark", rows)?;
    let profile = credence_core::score::CreditProfile::from_json(
        r#"{"as_of": "2026-11-01", "accounts": [
            {"id": "freedom", "type": "bankcard", "opened": "2012-04-01", "limit": "8000", "balance": "0"},
            {"id": "auto", "type": "auto", "opened": "2022-05-01", "original_amount": "14500", "balance": "8000"}]}"#,
    )?;
    vault.replace_credit_report(&profile)?;
    let freedom = vault.account_by_name("Chase Freedom")?.id;
    vault.link_credit_account("freedom", &freedom)?;
    drop(vault);
    println!("{count} transactions");
    time(&path, &passphrase, as_of)
}

/// Unlocks the vault, then times the coach twice and the on-time bills once.
fn time(path: &std::path::Path, passphrase: &Passphrase, as_of: NaiveDate) -> Result<(), Box<dyn std::error::Error>> {
    let t0 = Instant::now();
    let vault = Vault::open(path, passphrase)?;
    println!("unlock: {:.0} ms", t0.elapsed().as_secs_f64() * 1e3);
    for label in ["coach, first call", "coach, again"] {
        let t = Instant::now();
        let coach = vault.coach(as_of, &CoachOptions::default())?;
        println!(
            "{label}: {:.1} ms ({} accounts, {} alerts, streaks {:?})",
            t.elapsed().as_secs_f64() * 1e3,
            coach.accounts.len(),
            coach.alerts.len(),
            coach.accounts.iter().map(|a| a.streak_months).collect::<Vec<_>>()
        );
    }
    let t = Instant::now();
    let bills = vault.on_time_bills(as_of)?;
    println!("on-time bills: {:.0} ms ({} found)", t.elapsed().as_secs_f64() * 1e3, bills.len());
    Ok(())
}

fn tx(account: &str, date: NaiveDate, cents: i64, payee: &str) -> NewTransaction {
    NewTransaction {
        account_id: account.into(),
        date,
        amount: Decimal::new(cents, 2),
        payee: payee.into(),
        memo: String::new(),
        category_id: None,
    }
}
