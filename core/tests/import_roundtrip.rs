//! Property: a generated statement written out in a bank's layout imports back to exactly the same
//! dates, amounts and payees, whatever the layout's date order, decimal mark, sign model and quoting.

mod common;

use chrono::{Datelike, NaiveDate};
use common::create;
use credence_core::import::ImportOptions;
use credence_core::{AccountKind, NewAccount, TransactionFilter, Vault};
use proptest::prelude::*;
use proptest::test_runner::{Config, TestRunner};

#[derive(Debug, Clone)]
struct Entry {
    date: NaiveDate,
    cents: i64,
    payee: String,
}

fn entries() -> impl Strategy<Value = Vec<Entry>> {
    let word = prop::sample::select(vec![
        "CAFÉ", "Blue", "Bottle", "AT&T", "O'Neil", "Smith, J", "Müller", "\"Best\"", "#42", "Shop",
    ]);
    let payee = prop::collection::vec(word, 1..4).prop_map(|w| w.join(" "));
    let entry = (0i64..3650, -500_000i64..500_000, payee).prop_map(|(day, cents, payee)| Entry {
        date: NaiveDate::from_ymd_opt(2015, 1, 1).expect("date") + chrono::Days::new(day as u64),
        cents: if cents == 0 { 1 } else { cents },
        payee,
    });
    prop::collection::vec(entry, 1..40)
}

fn quoted(s: &str, delimiter: char) -> String {
    if s.contains([delimiter, '"', '\n']) {
        format!("\"{}\"", s.replace('"', "\"\""))
    } else {
        s.to_string()
    }
}

/// 1234567 cents as "12,345.67" (point) or "12.345,67" (comma), always positive.
fn grouped(cents: i64, comma: bool) -> String {
    let units = (cents.abs() / 100).to_string();
    let mut out = String::new();
    for (i, c) in units.chars().enumerate() {
        if i > 0 && (units.len() - i).is_multiple_of(3) {
            out.push(if comma { '.' } else { ',' });
        }
        out.push(c);
    }
    format!("{out}{}{:02}", if comma { ',' } else { '.' }, cents.abs() % 100)
}

fn render(layout: &str, entries: &[Entry]) -> String {
    let mut s = String::new();
    for e in entries {
        let (d, m, y) = (e.date.day(), e.date.month(), e.date.year());
        let sign = if e.cents < 0 { "-" } else { "" };
        let line = match layout {
            "chase-card" => format!(
                "{m:02}/{d:02}/{y},{m:02}/{d:02}/{y},{},Shopping,Sale,{sign}{},",
                quoted(&e.payee, ','),
                grouped(e.cents, false).replace(',', "")
            ),
            "amex" => format!(
                "{m:02}/{d:02}/{y},{},\"{}{}\"",
                quoted(&e.payee, ','),
                if e.cents < 0 { "" } else { "-" },
                grouped(e.cents, false)
            ),
            "lloyds" => {
                let (out, inn) = if e.cents < 0 {
                    (grouped(e.cents, false).replace(',', ""), String::new())
                } else {
                    (String::new(), grouped(e.cents, false).replace(',', ""))
                };
                format!("{d:02}/{m:02}/{y},DEB,'30-96-26,12345678,{},{out},{inn},0.00,", quoted(&e.payee, ','))
            }
            "ing-nl" => format!(
                "\"{y}{m:02}{d:02}\";{};\"NL20INGB0001234567\";\"\";\"BA\";\"{}\";\"{}\";\"Betaalautomaat\";\"\"",
                quoted(&e.payee, ';'),
                if e.cents < 0 { "Af" } else { "Bij" },
                grouped(e.cents, true)
            ),
            "ing-de" => format!(
                "{d:02}.{m:02}.{y};{d:02}.{m:02}.{y};{};Lastschrift;;0,00;EUR;{sign}{};EUR",
                quoted(&e.payee, ';'),
                grouped(e.cents, true)
            ),
            other => unreachable!("{other}"),
        };
        s.push_str(&line);
        s.push_str("\r\n");
    }
    let header = match layout {
        "chase-card" => "Transaction Date,Post Date,Description,Category,Type,Amount,Memo",
        "amex" => "Date,Description,Amount,Extended Details",
        "lloyds" => "Transaction Date,Transaction Type,Sort Code,Account Number,Transaction Description,Debit Amount,Credit Amount,Balance",
        "ing-nl" => "\"Datum\";\"Naam / Omschrijving\";\"Rekening\";\"Tegenrekening\";\"Code\";\"Af Bij\";\"Bedrag (EUR)\";\"Mutatiesoort\";\"Mededelingen\"",
        "ing-de" => "Buchung;Valuta;Auftraggeber/Empfänger;Buchungstext;Verwendungszweck;Saldo;Währung;Betrag;Währung",
        _ => "",
    };
    format!("{header}\r\n{s}")
}

fn imported(vault: &Vault, account: &str) -> Vec<(NaiveDate, String, String)> {
    let mut v: Vec<_> = vault
        .transactions(&TransactionFilter { account_id: Some(account.into()), ..Default::default() })
        .expect("list")
        .into_iter()
        .map(|t| (t.date, t.amount.to_string(), t.original_payee.unwrap_or(t.payee)))
        .collect();
    v.sort();
    v
}

#[test]
fn generated_statements_round_trip_through_every_layout() {
    let dir = tempfile::tempdir().expect("tempdir");
    let (_, vault) = create(dir.path());
    let vault = std::cell::RefCell::new(vault);
    let n = std::cell::Cell::new(0);
    let mut runner = TestRunner::new(Config { cases: 64, ..Config::default() });
    runner
        .run(&entries(), |entries| {
            for (layout, currency) in
                [("chase-card", "USD"), ("amex", "USD"), ("lloyds", "GBP"), ("ing-nl", "EUR"), ("ing-de", "EUR")]
            {
                n.set(n.get() + 1);
                let n = n.get();
                let mut vault = vault.borrow_mut();
                let account = vault
                    .add_account(NewAccount {
                        name: format!("A{n}"),
                        kind: AccountKind::Checking,
                        currency: currency.into(),
                        credit_limit: None,
                    })
                    .expect("account")
                    .id;
                let file = dir.path().join(format!("{layout}-{n}.csv"));
                std::fs::write(&file, render(layout, &entries)).expect("write");
                let report =
                    vault.import_file(&file, &account, &ImportOptions::default(), &mut |_| {}).expect("import");
                prop_assert_eq!(report.format.as_str(), layout);
                prop_assert_eq!((report.imported, report.rejected), (entries.len() as u64, 0));
                let mut want: Vec<_> = entries
                    .iter()
                    .map(|e| (e.date, rust_decimal::Decimal::new(e.cents, 2).to_string(), e.payee.clone()))
                    .collect();
                want.sort();
                prop_assert_eq!(imported(&vault, &account), want, "layout {}", layout);
            }
            Ok(())
        })
        .expect("round trip");
}
