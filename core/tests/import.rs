//! Import through the public API: one golden file per built-in layout, duplicates, overlaps, twins,
//! dry runs that equal commits, undo, and files that are not statements.

mod common;

use std::path::PathBuf;

use common::{create, tx};
use credence_core::import::{ImportOptions, ImportReport, RowOutcome};
use credence_core::{AccountKind, NewAccount, TransactionFilter, Vault};

fn fixture(name: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/import").join(name)
}

fn account(vault: &mut Vault, currency: &str) -> String {
    let n = vault.accounts().expect("accounts").len();
    vault
        .add_account(NewAccount { name: format!("Account {n}"), kind: AccountKind::Checking, currency: currency.into(), credit_limit: None })
        .expect("account")
        .id
}

fn import(vault: &mut Vault, path: &std::path::Path, account: &str, options: ImportOptions) -> ImportReport {
    vault.import_file(path, account, &options, &mut |_| {}).expect("import")
}

/// (date, amount, payee) of an account's transactions, oldest first.
fn ledger(vault: &Vault, account: &str) -> Vec<(String, String, String)> {
    let mut rows: Vec<_> = vault
        .transactions(&TransactionFilter { account_id: Some(account.into()), ..Default::default() })
        .expect("list")
        .into_iter()
        .map(|t| (t.date.to_string(), t.amount.to_string(), t.original_payee.unwrap_or(t.payee)))
        .collect();
    rows.sort();
    rows
}

struct Golden {
    file: &'static str,
    currency: &'static str,
    format: &'static str,
    rows: u64,
    rejected: u64,
    transactions: &'static [(&'static str, &'static str, &'static str)],
}

const GOLDENS: &[Golden] = &[
    Golden { file: "chase-checking.csv", currency: "USD", format: "chase-checking", rows: 3, rejected: 0, transactions: &[
        ("2024-01-03", "-54.21", "GROCERY OUTLET #123"), ("2024-01-05", "2500.00", "ACME PAYROLL PPD"), ("2024-01-09", "-120.00", "CHECK 1042")] },
    Golden { file: "chase-card.csv", currency: "USD", format: "chase-card", rows: 4, rejected: 0, transactions: &[
        ("2024-01-12", "-4.50", "BLUE BOTTLE COFFEE"), ("2024-01-12", "-4.50", "BLUE BOTTLE COFFEE"),
        ("2024-01-15", "250.00", "AUTOMATIC PAYMENT - THANK"), ("2024-01-16", "19.99", "AMAZON MKTPL*RETURN")] },
    Golden { file: "bofa-checking.csv", currency: "USD", format: "bofa-checking", rows: 3, rejected: 1, transactions: &[
        ("2024-02-02", "-1250.00", "RENT PAYMENT"), ("2024-02-15", "2000.00", "PAYROLL DEPOSIT")] },
    Golden { file: "wells-fargo.csv", currency: "USD", format: "wells-fargo", rows: 3, rejected: 0, transactions: &[
        ("2024-01-02", "-12.00", "CHECK CRD PURCHASE 12/30 SAFEWAY"), ("2024-01-03", "1500.00", "DIRECT DEP EMPLOYER"), ("2024-01-04", "-80.00", "CHECK # 1043")] },
    Golden { file: "capital-one-card.csv", currency: "USD", format: "capital-one-card", rows: 2, rejected: 0, transactions: &[
        ("2024-03-01", "-23.50", "UBER TRIP"), ("2024-03-05", "500.00", "CAPITAL ONE AUTOPAY PYMT")] },
    Golden { file: "amex.csv", currency: "USD", format: "amex", rows: 2, rejected: 0, transactions: &[
        ("2024-03-10", "-42.10", "WHOLE FOODS"), ("2024-03-12", "947.69", "MOBILE PAYMENT - THANK YOU")] },
    Golden { file: "discover-card.csv", currency: "USD", format: "discover-card", rows: 2, rejected: 0, transactions: &[
        ("2024-04-01", "-35.12", "SHELL OIL 5744"), ("2024-04-03", "200.00", "INTERNET PAYMENT - THANK YOU")] },
    Golden { file: "citi-card.csv", currency: "USD", format: "citi-card", rows: 3, rejected: 1, transactions: &[
        ("2024-05-02", "-15.49", "NETFLIX.COM"), ("2024-05-04", "300.00", "ONLINE PAYMENT")] },
    Golden { file: "monzo.csv", currency: "GBP", format: "monzo", rows: 2, rejected: 0, transactions: &[
        ("2024-06-03", "-3.95", "Pret A Manger"), ("2024-06-04", "50.00", "Alex Smith")] },
    Golden { file: "starling.csv", currency: "GBP", format: "starling", rows: 2, rejected: 0, transactions: &[
        ("2024-07-01", "-12.40", "Tesco"), ("2024-07-02", "2100.00", "Employer Ltd")] },
    Golden { file: "lloyds.csv", currency: "GBP", format: "lloyds", rows: 3, rejected: 0, transactions: &[
        ("2024-08-05", "-23.45", "SAINSBURYS"), ("2024-08-06", "10.00", "J SMITH REFUND"), ("2024-08-07", "-120.00", "COUNCIL TAX")] },
    Golden { file: "revolut.csv", currency: "EUR", format: "revolut", rows: 3, rejected: 1, transactions: &[
        ("2024-09-02", "-20.00", "Amazon"), ("2024-09-03", "-50.50", "Exchanged to USD")] },
    Golden { file: "revolut-legacy.csv", currency: "GBP", format: "revolut-legacy", rows: 2, rejected: 0, transactions: &[
        ("2019-12-21", "-3.20", "Coffee Shop"), ("2019-12-22", "100.00", "Top-Up by *1234")] },
    Golden { file: "n26.csv", currency: "EUR", format: "n26", rows: 2, rejected: 0, transactions: &[
        ("2024-10-01", "-18.75", "REWE Markt"), ("2024-10-02", "3100.00", "Arbeitgeber GmbH")] },
    Golden { file: "ing-nl.csv", currency: "EUR", format: "ing-nl", rows: 2, rejected: 0, transactions: &[
        ("2024-11-05", "-23.45", "Albert Heijn 1234"), ("2024-11-06", "2750.00", "Werkgever BV")] },
    Golden { file: "ing-de.csv", currency: "EUR", format: "ing-de", rows: 2, rejected: 0, transactions: &[
        ("2024-11-15", "2500.00", "Arbeitgeber AG"), ("2024-11-28", "-4.80", "Bäckerei Müller")] },
    Golden { file: "deutsche-bank.csv", currency: "EUR", format: "deutsche-bank", rows: 3, rejected: 1, transactions: &[
        ("2024-12-02", "-65.00", "Stadtwerke"), ("2024-12-03", "2800.00", "Arbeitgeber AG")] },
    Golden { file: "barclaycard.csv", currency: "GBP", format: "barclaycard", rows: 3, rejected: 0, transactions: &[
        ("2024-01-12", "-23.45", "TESCO STORES 3217 LONDON"), ("2024-01-14", "150.00", "PAYMENT RECEIVED - THANK YOU"), ("2024-01-15", "-9.99", "AMAZON.CO.UK*2K4RT")] },
    Golden { file: "camt053.xml", currency: "EUR", format: "camt053", rows: 3, rejected: 1, transactions: &[
        ("2024-03-04", "-23.45", "Bäckerei Müller"), ("2024-03-05", "2500.00", "Arbeitgeber AG")] },
    Golden { file: "checking.ofx", currency: "USD", format: "ofx", rows: 4, rejected: 0, transactions: &[
        ("2024-01-05", "-42.10", "AT&T WIRELESS"), ("2024-01-06", "1000.00", "PAYROLL"), ("2024-01-07", "-4.50", "COFFEE"), ("2024-01-07", "-4.50", "COFFEE")] },
    Golden { file: "card.qfx", currency: "USD", format: "ofx", rows: 2, rejected: 0, transactions: &[
        ("2024-02-01", "-15.99", "SPOTIFY"), ("2024-02-15", "100.00", "PAYMENT RECEIVED")] },
];

#[test]
fn every_built_in_layout_imports_its_golden_file_exactly() {
    let dir = tempfile::tempdir().expect("tempdir");
    let (_, mut vault) = create(dir.path());
    for g in GOLDENS {
        let acct = account(&mut vault, g.currency);
        let r = import(&mut vault, &fixture(g.file), &acct, ImportOptions::default());
        assert_eq!((r.format.as_str(), r.rows, r.rejected), (g.format, g.rows, g.rejected), "{}: {r:?}", g.file);
        assert_eq!(r.imported + r.duplicates + r.rejected, r.rows, "{}: every row has one outcome", g.file);
        assert_eq!(r.errors.len() as u64, r.rejected, "{}: every rejection has a line and a reason", g.file);
        let want: Vec<_> = g.transactions.iter().map(|(d, a, p)| (d.to_string(), a.to_string(), p.to_string())).collect();
        assert_eq!(ledger(&vault, &acct), want, "{}", g.file);
        // Importing the same file again adds nothing.
        let again = import(&mut vault, &fixture(g.file), &acct, ImportOptions::default());
        assert_eq!((again.imported, again.duplicates), (0, r.imported), "{}: re-import", g.file);
        assert_eq!(again.batch, None);
    }
}

#[test]
fn rejections_name_the_line_and_the_reason() {
    let dir = tempfile::tempdir().expect("tempdir");
    let (_, mut vault) = create(dir.path());
    let acct = account(&mut vault, "USD");
    let bofa = import(&mut vault, &fixture("bofa-checking.csv"), &acct, ImportOptions::default());
    assert_eq!(bofa.errors[0].line, 8);
    assert_eq!(bofa.errors[0].message, "a balance line, not a transaction");
    let citi = import(&mut vault, &fixture("citi-card.csv"), &acct, ImportOptions::default());
    assert_eq!((citi.errors[0].line, citi.errors[0].message.starts_with("Pending (not final yet)")), (4, true), "{citi:?}");
    let eur = account(&mut vault, "EUR");
    let db = import(&mut vault, &fixture("deutsche-bank.csv"), &eur, ImportOptions::default());
    assert_eq!(db.errors[0].line, 7);
}

fn write(dir: &std::path::Path, name: &str, text: &str) -> PathBuf {
    let path = dir.join(name);
    std::fs::write(&path, text).expect("write");
    path
}

const HEADER: &str = "Transaction Date,Post Date,Description,Category,Type,Amount,Memo\n";

fn chase_rows(rows: &[(&str, &str, &str)]) -> String {
    let mut s = HEADER.to_string();
    for (date, payee, amount) in rows {
        s.push_str(&format!("{date},{date},{payee},Shopping,Sale,{amount},\n"));
    }
    s
}

#[test]
fn overlapping_statements_add_exactly_the_new_rows_and_twins_are_kept() {
    let dir = tempfile::tempdir().expect("tempdir");
    let (_, mut vault) = create(dir.path());
    let acct = account(&mut vault, "USD");
    let january = write(dir.path(), "jan.csv", &chase_rows(&[
        ("01/02/2024", "COFFEE", "-4.50"), ("01/02/2024", "COFFEE", "-4.50"), ("01/10/2024", "BOOKS", "-20.00"),
    ]));
    let overlap = write(dir.path(), "jan-feb.csv", &chase_rows(&[
        ("01/02/2024", "COFFEE", "-4.50"), ("01/02/2024", "COFFEE", "-4.50"), ("01/02/2024", "COFFEE", "-4.50"),
        ("01/10/2024", "BOOKS", "-20.00"), ("02/01/2024", "RENT", "-900.00"),
    ]));
    let first = import(&mut vault, &january, &acct, ImportOptions::default());
    assert_eq!((first.imported, first.duplicates), (3, 0), "two identical coffees are two transactions");
    let second = import(&mut vault, &overlap, &acct, ImportOptions::default());
    assert_eq!((second.imported, second.duplicates, second.rows), (2, 3, 5), "a third coffee and the rent are new");
    assert_eq!(ledger(&vault, &acct).len(), 5);
    // Another account's identical rows are not duplicates of these.
    let other = account(&mut vault, "USD");
    assert_eq!(import(&mut vault, &january, &other, ImportOptions::default()).imported, 3);
}

#[test]
fn a_dry_run_reports_exactly_what_the_import_then_does_and_changes_nothing() {
    let dir = tempfile::tempdir().expect("tempdir");
    let (_, mut vault) = create(dir.path());
    let acct = account(&mut vault, "USD");
    let seed = write(dir.path(), "seed.csv", &chase_rows(&[("03/01/2024", "GYM", "-30.00")]));
    import(&mut vault, &seed, &acct, ImportOptions::default());
    let file = write(dir.path(), "mixed.csv", &chase_rows(&[
        ("03/01/2024", "GYM", "-30.00"), ("03/02/2024", "GYM", "-30.00"), ("02/30/2024", "BAD DATE", "-1.00"), ("03/04/2024", "NO AMOUNT", ""),
    ]));
    let history = vault.history(1000).expect("log").len();
    let preview = import(&mut vault, &file, &acct, ImportOptions { dry_run: true, preview_rows: 100, ..Default::default() });
    assert!(preview.dry_run && preview.batch.is_none());
    assert_eq!(vault.history(1000).expect("log").len(), history, "a dry run writes nothing");
    assert_eq!(ledger(&vault, &acct).len(), 1);
    let done = import(&mut vault, &file, &acct, ImportOptions { preview_rows: 100, ..Default::default() });
    let kinds = |r: &ImportReport| -> Vec<String> {
        r.preview.iter().map(|p| match &p.outcome {
            RowOutcome::Imported { .. } => "new".to_string(),
            RowOutcome::Duplicate { of } => format!("duplicate of {of}"),
            RowOutcome::Rejected { reason } => format!("rejected: {reason}"),
        }).collect()
    };
    assert_eq!(kinds(&preview), kinds(&done), "preview equals commit, row by row");
    assert_eq!((done.imported, done.duplicates, done.rejected), (1, 1, 2));
    assert!(kinds(&done)[0].starts_with("duplicate of 0"), "names the transaction it repeats: {:?}", kinds(&done));
    assert_eq!(done.errors.iter().map(|e| (e.line, e.message.clone())).collect::<Vec<_>>(), vec![
        (4, "\"02/30/2024\" is not a date".to_string()), (5, "no amount".to_string())]);
}

#[test]
fn an_import_is_undone_as_a_whole_and_can_then_be_imported_again() {
    let dir = tempfile::tempdir().expect("tempdir");
    let (_, mut vault) = create(dir.path());
    let acct = account(&mut vault, "USD");
    vault.add_transaction(tx(&acct, (2024, 1, 1), "100", "Opening")).expect("manual");
    let r = import(&mut vault, &fixture("chase-card.csv"), &acct, ImportOptions::default());
    let batch = r.batch.expect("batch");
    let batches = vault.import_batches().expect("batches");
    assert_eq!((batches[0].imported, batches[0].remaining), (4, 4));
    vault.undo_import(&batch).expect("undo import");
    assert_eq!(ledger(&vault, &acct).len(), 1, "only the manual transaction is left");
    assert!(vault.undo_import(&batch).is_err(), "nothing left to undo");
    assert_eq!(import(&mut vault, &fixture("chase-card.csv"), &acct, ImportOptions::default()).imported, 4);
    // The journal's undo reverts the last import too, batch record and all.
    vault.undo().expect("undo");
    assert_eq!(ledger(&vault, &acct).len(), 1);
}

#[test]
fn unknown_layouts_are_guessed_or_mapped_and_the_mapping_is_remembered() {
    let dir = tempfile::tempdir().expect("tempdir");
    let (_, mut vault) = create(dir.path());
    let acct = account(&mut vault, "EUR");
    let guessed = write(dir.path(), "guess.csv", "Booking Date;Merchant;Amount;Notes\n13.01.2024;Café Zentral;-3,40;\n14.01.2024;Gehalt;2.000,00;Jan\n");
    let r = import(&mut vault, &guessed, &acct, ImportOptions::default());
    assert_eq!((r.format.as_str(), r.imported), ("guessed", 2));
    assert!(r.warnings.iter().any(|w| w.contains("guessed")), "{:?}", r.warnings);
    assert_eq!(ledger(&vault, &acct)[0], ("2024-01-13".into(), "-3.40".into(), "Café Zentral".into()));

    let odd = write(dir.path(), "odd.csv", "When,Who,How much\n2024-02-01,Landlord,-800\n");
    let err = vault.import_file(&odd, &acct, &ImportOptions::default(), &mut |_| {}).expect_err("unknown");
    assert!(err.to_string().contains("--map"), "{err}");
    let mapped = ImportOptions { mapping: Some("date=When,payee=Who,amount=3".into()), ..Default::default() };
    assert_eq!(import(&mut vault, &odd, &acct, mapped).imported, 1);
    let odd2 = write(dir.path(), "odd2.csv", "When,Who,How much\n2024-03-01,Landlord,-800\n");
    let again = import(&mut vault, &odd2, &acct, ImportOptions::default());
    assert_eq!((again.format.as_str(), again.imported), ("mapping (saved)", 1));
}

#[test]
fn files_that_are_not_statements_get_a_clear_error_and_change_nothing() {
    let dir = tempfile::tempdir().expect("tempdir");
    let (_, mut vault) = create(dir.path());
    let acct = account(&mut vault, "USD");
    let history = vault.history(1000).expect("log").len();
    for (name, bytes) in [("empty.csv", &b""[..]), ("binary.csv", &[0u8, 159, 146, 150, 255, 0, 1][..]), ("prose.txt", &b"Dear customer,\nthank you.\n"[..])] {
        let path = dir.path().join(name);
        std::fs::write(&path, bytes).expect("write");
        let err = vault.import_file(&path, &acct, &ImportOptions::default(), &mut |_| {});
        assert!(err.is_err(), "{name} is refused");
    }
    let missing = vault.import_file(&dir.path().join("nope.csv"), &acct, &ImportOptions::default(), &mut |_| {});
    assert!(missing.expect_err("missing").to_string().contains("is not a file"));
    assert_eq!(vault.history(1000).expect("log").len(), history);
}

#[test]
fn a_file_that_proves_its_layout_wrong_about_dates_is_read_the_way_it_proves() {
    let dir = tempfile::tempdir().expect("tempdir");
    let (_, mut vault) = create(dir.path());
    let acct = account(&mut vault, "GBP");
    // Amex's short layout is month-first in the US; this export is from the UK.
    let uk = write(dir.path(), "amex-uk-short.csv", "Date,Description,Amount\n03/04/2024,TESCO,12.00\n25/04/2024,BOOTS,3.50\n");
    let r = import(&mut vault, &uk, &acct, ImportOptions::default());
    assert_eq!((r.format.as_str(), r.imported, r.rejected), ("amex", 2, 0));
    assert!(r.warnings.iter().any(|w| w.contains("DD/MM/YYYY")), "{:?}", r.warnings);
    assert_eq!(ledger(&vault, &acct)[0], ("2024-04-03".into(), "-12.00".into(), "TESCO".into()));
    assert_eq!(vault.import_batches().expect("batches").len(), 1, "the first reading left nothing behind");
}

#[test]
fn a_cancelled_import_writes_nothing_and_says_so() {
    let dir = tempfile::tempdir().expect("tempdir");
    let (_, mut vault) = create(dir.path());
    let account = account(&mut vault, "USD");
    let path = dir.path().join("long.csv");
    let mut csv = String::from("Transaction Date,Post Date,Description,Category,Type,Amount,Memo\n");
    for i in 0..25_000 {
        csv.push_str(&format!("01/{:02}/2024,01/{:02}/2024,SHOP {i},Shopping,Sale,-{}.{:02},\n", i % 28 + 1, i % 28 + 1, i % 90 + 1, i % 100));
    }
    std::fs::write(&path, csv).expect("write");
    let cancel = std::sync::Arc::new(std::sync::atomic::AtomicBool::new(false));
    let options = ImportOptions { cancel: Some(cancel.clone()), ..Default::default() };
    let flag = cancel.clone();
    let outcome = vault.import_file(&path, &account, &options, &mut |p| {
        if p.rows_done > 0 {
            flag.store(true, std::sync::atomic::Ordering::Relaxed);
        }
    });
    assert!(matches!(outcome, Err(credence_core::Error::Cancelled)), "{outcome:?}");
    assert!(ledger(&vault, &account).is_empty());
    assert!(vault.import_batches().expect("batches").is_empty());
    cancel.store(false, std::sync::atomic::Ordering::Relaxed);
    assert_eq!(import(&mut vault, &path, &account, options).imported, 25_000);
    // The change log holds an import's rows in runs (many ids per entry); plain undo still removes each.
    let history = vault.history(1).expect("history");
    assert_eq!(history[0].changes.iter().filter(|c| c.entity == "transaction").count(), 25_000);
    vault.undo().expect("undo the import");
    assert!(ledger(&vault, &account).is_empty());
}
