//! Import through the public API: one golden file per built-in layout, duplicates, overlaps, twins,
//! dry runs that equal commits, undo, and files that are not statements.

mod common;

use std::path::PathBuf;

use common::{create, tx};
use credence_core::import::{Aspect, Basis, ImportOptions, ImportReport, RowOutcome};
use credence_core::{AccountKind, NewAccount, TransactionFilter, Vault};

fn fixture(name: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/import").join(name)
}

fn account(vault: &mut Vault, currency: &str) -> String {
    let n = vault.accounts().expect("accounts").len();
    vault
        .add_account(NewAccount {
            name: format!("Account {n}"),
            kind: AccountKind::Checking,
            currency: currency.into(),
            credit_limit: None,
        })
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

/// One fixture of `tests/fixtures/import/expected.json`: a statement in a real bank's shape and what
/// importing it must do.
#[derive(Debug, serde::Deserialize)]
struct Case {
    file: String,
    bank: String,
    account: AccountSpec,
    #[serde(default)]
    options: CaseOptions,
    expect: Expect,
}

#[derive(Debug, serde::Deserialize)]
struct AccountSpec {
    kind: String,
    currency: String,
}

#[derive(Debug, Default, serde::Deserialize)]
struct CaseOptions {
    format: Option<String>,
    map: Option<String>,
    #[serde(default)]
    accept_guess: bool,
}

#[derive(Debug, serde::Deserialize)]
#[serde(untagged)]
enum Expect {
    Refused { error: String },
    Imported(Outcome),
}

#[derive(Debug, serde::Deserialize)]
struct Outcome {
    format: String,
    rows: u64,
    imported: u64,
    rejected: u64,
    /// The exact sum of the imported amounts.
    sum: String,
    first: String,
    last: String,
    currency: String,
    /// The bank's text of one imported row's payee.
    payee: String,
    #[serde(default)]
    needs_confirmation: bool,
    /// Every imported row, oldest first, where the fixture lists them: (date, amount, bank payee).
    #[serde(default)]
    transactions: Option<Vec<(String, String, String)>>,
}

fn cases() -> Vec<Case> {
    let text = std::fs::read_to_string(fixture("expected.json")).expect("expected.json");
    serde_json::from_str(&text).expect("expected.json is a list of cases")
}

/// Every fixture is a real bank's shape (header, quoting, dates, numbers, preamble, encoding) or a trap
/// real files set; each imports to exactly its expectation, or is refused with its sentence, and a
/// second import of the same file adds nothing.
#[test]
fn every_statement_fixture_imports_exactly_as_expected() {
    let dir = tempfile::tempdir().expect("tempdir");
    let (_, mut vault) = create(dir.path());
    let cases = cases();
    let listed: std::collections::HashSet<&str> = cases.iter().map(|c| c.file.as_str()).collect();
    let on_disk: Vec<String> = std::fs::read_dir(fixture(""))
        .expect("fixtures")
        .map(|e| e.expect("entry").file_name().to_string_lossy().into_owned())
        .filter(|name| name != "expected.json")
        .collect();
    for name in &on_disk {
        assert!(listed.contains(name.as_str()), "{name} has no expectation in expected.json");
    }
    let mut failures = Vec::new();
    for case in &cases {
        if let Err(why) = check(&mut vault, case) {
            failures.push(format!("{} ({}): {why}", case.file, case.bank));
        }
    }
    assert!(failures.is_empty(), "{} of {} fixtures differ:\n{}", failures.len(), cases.len(), failures.join("\n"));
    assert!(cases.len() >= 60, "the corpus has {} fixtures", cases.len());
}

/// Every built-in layout is tried on at least one file in its shape (docs/import.md says so).
#[test]
fn every_layout_has_a_fixture() {
    let cases = cases();
    for p in credence_core::import::PROFILES {
        assert!(
            cases.iter().any(|c| matches!(&c.expect, Expect::Imported(o) if o.format == p.id)),
            "no fixture imports as {}",
            p.id
        );
    }
}

fn check(vault: &mut Vault, case: &Case) -> Result<(), String> {
    let n = vault.accounts().expect("accounts").len();
    let kind: AccountKind = case.account.kind.parse().map_err(|e| format!("account kind: {e}"))?;
    let acct = vault
        .add_account(NewAccount {
            name: format!("{n} {}", case.file),
            kind,
            currency: case.account.currency.clone(),
            credit_limit: None,
        })
        .expect("account")
        .id;
    let options = ImportOptions {
        format: case.options.format.clone(),
        mapping: case.options.map.clone(),
        accept_guess: case.options.accept_guess,
        ..Default::default()
    };
    let result = vault.import_file(&fixture(&case.file), &acct, &options, &mut |_| {});
    let want = match (&case.expect, result) {
        (Expect::Refused { error }, Err(e)) => {
            return if e.to_string().contains(error.as_str()) {
                Ok(())
            } else {
                Err(format!("refused with \"{e}\", not \"{error}\""))
            };
        }
        (Expect::Refused { .. }, Ok(r)) => {
            return Err(format!("imported {} rows where it must be refused", r.imported))
        }
        (Expect::Imported(_), Err(e)) => return Err(format!("refused: {e}")),
        (Expect::Imported(want), Ok(report)) => (want, report),
    };
    let (want, r) = want;
    let got = (r.format.as_str(), r.rows, r.imported, r.rejected, r.needs_confirmation);
    let expected = (want.format.as_str(), want.rows, want.imported, want.rejected, want.needs_confirmation);
    if got != expected {
        return Err(format!("(format, rows, imported, rejected, needs confirmation) = {got:?}, expected {expected:?}; errors {:?}; decisions {:?}; doubts {:?}",
            r.errors, r.decisions.iter().map(|d| d.describe()).collect::<Vec<_>>(), r.doubts));
    }
    if r.imported + r.duplicates + r.rejected != r.rows || r.errors.len() as u64 != r.rejected {
        return Err("the outcomes do not add up to the rows, or a rejection has no line".into());
    }
    let rows = ledger(vault, &acct);
    if want.imported == 0 {
        return if rows.is_empty() && want.sum == "0" {
            Ok(())
        } else {
            Err(format!("nothing was to be imported: {rows:?}"))
        };
    }
    let sum: rust_decimal::Decimal =
        rows.iter().map(|(_, a, _)| a.parse::<rust_decimal::Decimal>().expect("amount")).sum();
    if sum.to_string() != want.sum {
        return Err(format!("the amounts sum to {sum}, expected {}: {rows:?}", want.sum));
    }
    let (first, last) = (rows.first().map(|r| r.0.clone()), rows.last().map(|r| r.0.clone()));
    if (first.as_deref(), last.as_deref()) != (Some(want.first.as_str()), Some(want.last.as_str())) {
        return Err(format!("dates run {first:?} to {last:?}, expected {} to {}", want.first, want.last));
    }
    if !rows.iter().any(|(_, _, payee)| *payee == want.payee) {
        return Err(format!("no row has the payee \"{}\": {rows:?}", want.payee));
    }
    let currency = r.decisions.iter().find(|d| d.aspect == Aspect::Currency).map(|d| d.choice.clone());
    if currency.as_deref() != Some(want.currency.as_str()) {
        return Err(format!("currency {currency:?}, expected {}", want.currency));
    }
    if let Some(transactions) = &want.transactions {
        if &rows != transactions {
            return Err(format!("rows {rows:?}, expected {transactions:?}"));
        }
    }
    let again =
        vault.import_file(&fixture(&case.file), &acct, &options, &mut |_| {}).map_err(|e| format!("re-import: {e}"))?;
    if (again.imported, again.duplicates) != (0, r.imported) {
        return Err(format!("re-import added {} and found {} duplicates", again.imported, again.duplicates));
    }
    Ok(())
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
    assert_eq!(
        (citi.errors[0].line, citi.errors[0].message.starts_with("Pending (not final yet)")),
        (4, true),
        "{citi:?}"
    );
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
    let january = write(
        dir.path(),
        "jan.csv",
        &chase_rows(&[
            ("01/02/2024", "COFFEE", "-4.50"),
            ("01/02/2024", "COFFEE", "-4.50"),
            ("01/10/2024", "BOOKS", "-20.00"),
        ]),
    );
    let overlap = write(
        dir.path(),
        "jan-feb.csv",
        &chase_rows(&[
            ("01/02/2024", "COFFEE", "-4.50"),
            ("01/02/2024", "COFFEE", "-4.50"),
            ("01/02/2024", "COFFEE", "-4.50"),
            ("01/10/2024", "BOOKS", "-20.00"),
            ("02/01/2024", "RENT", "-900.00"),
        ]),
    );
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
    let file = write(
        dir.path(),
        "mixed.csv",
        &chase_rows(&[
            ("03/01/2024", "GYM", "-30.00"),
            ("03/02/2024", "GYM", "-30.00"),
            ("02/30/2024", "BAD DATE", "-1.00"),
            ("03/04/2024", "NO AMOUNT", ""),
        ]),
    );
    let history = vault.history(1000).expect("log").len();
    let preview =
        import(&mut vault, &file, &acct, ImportOptions { dry_run: true, preview_rows: 100, ..Default::default() });
    assert!(preview.dry_run && preview.batch.is_none());
    assert_eq!(vault.history(1000).expect("log").len(), history, "a dry run writes nothing");
    assert_eq!(ledger(&vault, &acct).len(), 1);
    let done = import(&mut vault, &file, &acct, ImportOptions { preview_rows: 100, ..Default::default() });
    let kinds = |r: &ImportReport| -> Vec<String> {
        r.preview
            .iter()
            .map(|p| match &p.outcome {
                RowOutcome::Imported { .. } => "new".to_string(),
                RowOutcome::Duplicate { of } => format!("duplicate of {of}"),
                RowOutcome::Rejected { reason } => format!("rejected: {reason}"),
            })
            .collect()
    };
    assert_eq!(kinds(&preview), kinds(&done), "preview equals commit, row by row");
    assert_eq!((done.imported, done.duplicates, done.rejected), (1, 1, 2));
    assert!(kinds(&done)[0].starts_with("duplicate of 0"), "names the transaction it repeats: {:?}", kinds(&done));
    assert_eq!(
        done.errors.iter().map(|e| (e.line, e.message.clone())).collect::<Vec<_>>(),
        vec![(4, "\"02/30/2024\" is not a date".to_string()), (5, "no amount".to_string())]
    );
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
fn a_guessed_layout_is_written_only_once_confirmed_and_a_mapping_is_remembered() {
    let dir = tempfile::tempdir().expect("tempdir");
    let (_, mut vault) = create(dir.path());
    let acct = account(&mut vault, "EUR");
    let guessed = write(
        dir.path(),
        "guess.csv",
        "Booking Date;Merchant;Amount;Notes\n13.01.2024;Café Zentral;-3,40;\n14.01.2024;Gehalt;2.000,00;Jan\n",
    );
    let history = vault.history(1000).expect("log").len();
    let refused = vault
        .import_file(&guessed, &acct, &ImportOptions::default(), &mut |_| {})
        .expect_err("a guess is not written unasked");
    assert!(matches!(refused, credence_core::Error::Unconfirmed(_)), "{refused}");
    let message = refused.to_string();
    assert!(message.starts_with("not imported, because") && message.contains("\"merchant\""), "{message}");
    assert!(!message.contains("--accept-guess"), "how to confirm is each door's to say: {message}");
    assert_eq!(vault.history(1000).expect("log").len(), history, "nothing was written");
    // The preview shows what was guessed and what the file proved.
    let preview =
        import(&mut vault, &guessed, &acct, ImportOptions { dry_run: true, preview_rows: 10, ..Default::default() });
    assert!(preview.needs_confirmation);
    let basis = |aspect: Aspect| preview.decisions.iter().find(|d| d.aspect == aspect).map(|d| d.basis);
    assert_eq!(basis(Aspect::Layout), Some(Basis::Guessed));
    assert_eq!(basis(Aspect::DateOrder), Some(Basis::Proven), "13.01 has a day above 12");
    assert_eq!(basis(Aspect::DecimalMark), Some(Basis::Proven), "-3,40 has a decimal comma");
    let r = import(&mut vault, &guessed, &acct, ImportOptions { accept_guess: true, ..Default::default() });
    assert_eq!((r.format.as_str(), r.imported, r.needs_confirmation), ("guessed", 2, true));
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
fn a_guessed_sign_follows_what_the_rows_say() {
    let dir = tempfile::tempdir().expect("tempdir");
    let (_, mut vault) = create(dir.path());
    let checking = account(&mut vault, "USD");
    // Written from the bank's side: pay arriving reads as money out.
    let bank_side = write(
        dir.path(),
        "bank-side.csv",
        "Posted,Narrative,Sum\n2024-03-01,ACME CORP PAYROLL,-2500.00\n2024-03-02,GROCER,54.10\n",
    );
    let r = import(&mut vault, &bank_side, &checking, ImportOptions { accept_guess: true, ..Default::default() });
    assert_eq!(
        ledger(&vault, &checking),
        vec![
            ("2024-03-01".into(), "2500.00".into(), "ACME CORP PAYROLL".into()),
            ("2024-03-02".into(), "-54.10".into(), "GROCER".into()),
        ]
    );
    let sign = r.decisions.iter().find(|d| d.aspect == Aspect::Sign).expect("sign");
    assert!(sign.basis == Basis::Guessed && sign.evidence.contains("PAYROLL"), "{sign:?}");
    // A recognised layout whose rows contradict it is not turned round silently: it asks.
    let chase = write(
        dir.path(),
        "chase.csv",
        &chase_rows(&[("03/01/2024", "ACME CORP PAYROLL", "-2500.00"), ("03/02/2024", "GROCER", "54.10")]),
    );
    let err = vault.import_file(&chase, &checking, &ImportOptions::default(), &mut |_| {}).expect_err("a doubt");
    assert!(err.to_string().contains("wrong way round"), "{err}");
}

#[test]
fn a_statement_in_another_currency_is_refused_and_stray_rows_are_set_aside() {
    let dir = tempfile::tempdir().expect("tempdir");
    let (_, mut vault) = create(dir.path());
    let eur = account(&mut vault, "EUR");
    let header = "Type,Product,Started Date,Completed Date,Description,Amount,Fee,Currency,State,Balance\n";
    let gbp = write(dir.path(), "gbp.csv", &format!("{header}CARD_PAYMENT,Current,2024-09-02 10:00:00,2024-09-02 11:00:00,Tesco,-20.00,0.00,GBP,COMPLETED,80.00\n"));
    let err = vault.import_file(&gbp, &eur, &ImportOptions::default(), &mut |_| {}).expect_err("GBP into EUR");
    assert!(
        err.to_string().contains("is a statement in GBP (1 row)") && err.to_string().contains("--currency GBP"),
        "{err}"
    );
    let mixed = write(
        dir.path(),
        "mixed.csv",
        &format!(
        "{header}CARD_PAYMENT,Current,2024-09-02 10:00:00,2024-09-02 11:00:00,Lidl,-20.00,0.00,EUR,COMPLETED,80.00\n\
         CARD_PAYMENT,Current,2024-09-03 10:00:00,2024-09-03 11:00:00,Tesco,-5.00,0.00,GBP,COMPLETED,15.00\n"),
    );
    let r = import(&mut vault, &mixed, &eur, ImportOptions::default());
    assert_eq!((r.imported, r.rejected), (1, 1));
    assert_eq!(
        (r.errors[0].line, r.errors[0].message.as_str()),
        (3, "in GBP, not the account's EUR (never converted or mixed)")
    );
}

#[test]
fn a_preview_names_every_duplicate_and_rejection_and_pages_the_new_rows() {
    let dir = tempfile::tempdir().expect("tempdir");
    let (_, mut vault) = create(dir.path());
    let acct = account(&mut vault, "USD");
    let old: Vec<(String, String, String)> =
        (1..=30).map(|d| (format!("01/{d:02}/2024"), format!("SHOP {d}"), "-1.00".to_string())).collect();
    fn as_refs(rows: &[(String, String, String)]) -> Vec<(&str, &str, &str)> {
        rows.iter().map(|(a, b, c)| (a.as_str(), b.as_str(), c.as_str())).collect()
    }
    import(&mut vault, &write(dir.path(), "old.csv", &chase_rows(&as_refs(&old))), &acct, ImportOptions::default());
    let mut rows = old.clone();
    rows.extend((1..=28).map(|d| (format!("02/{d:02}/2024"), format!("CAFE {d}"), "-2.00".to_string())));
    rows.push(("02/30/2024".into(), "NO SUCH DAY".into(), "-3.00".into()));
    let file = write(dir.path(), "new.csv", &chase_rows(&as_refs(&rows)));
    let mut page = |skip: usize| {
        import(
            &mut vault,
            &file,
            &acct,
            ImportOptions { dry_run: true, preview_rows: 10, preview_skip: skip, ..Default::default() },
        )
    };
    let first = page(0);
    let count = |r: &ImportReport, f: fn(&RowOutcome) -> bool| r.preview.iter().filter(|p| f(&p.outcome)).count();
    assert_eq!(
        count(&first, |o| matches!(o, RowOutcome::Duplicate { .. })),
        30,
        "every duplicate, not the first 20 rows"
    );
    assert_eq!(count(&first, |o| matches!(o, RowOutcome::Rejected { .. })), 1);
    assert_eq!(count(&first, |o| matches!(o, RowOutcome::Imported { .. })), 10);
    assert!(
        first.preview.iter().all(|p| !matches!(&p.outcome, RowOutcome::Duplicate { of } if of.is_empty())),
        "each duplicate names its original"
    );
    let third = page(20);
    let new_payees: Vec<&str> = third
        .preview
        .iter()
        .filter(|p| matches!(p.outcome, RowOutcome::Imported { .. }))
        .map(|p| p.payee.as_str())
        .collect();
    assert_eq!(new_payees.first().copied(), Some("CAFE 21"));
    assert_eq!(new_payees.len(), 8);
}

#[test]
fn files_that_are_not_statements_get_a_clear_error_and_change_nothing() {
    let dir = tempfile::tempdir().expect("tempdir");
    let (_, mut vault) = create(dir.path());
    let acct = account(&mut vault, "USD");
    let history = vault.history(1000).expect("log").len();
    for (name, bytes) in [
        ("empty.csv", &b""[..]),
        ("binary.csv", &[0u8, 159, 146, 150, 255, 0, 1][..]),
        ("prose.txt", &b"Dear customer,\nthank you.\n"[..]),
    ] {
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
    let acct = account(&mut vault, "USD");
    // Chase writes MM/DD/YYYY; this file's 25/04 can only be day-first.
    let uk = write(
        dir.path(),
        "chase-uk-dates.csv",
        &chase_rows(&[("03/04/2024", "TESCO", "-12.00"), ("25/04/2024", "BOOTS", "-3.50")]),
    );
    let r = import(&mut vault, &uk, &acct, ImportOptions::default());
    assert_eq!((r.format.as_str(), r.imported, r.rejected), ("chase-card", 2, 0));
    assert!(r.warnings.iter().any(|w| w.contains("DD/MM/YYYY")), "{:?}", r.warnings);
    assert_eq!(ledger(&vault, &acct)[0], ("2024-04-03".into(), "-12.00".into(), "TESCO".into()));
    let dates = r.decisions.iter().find(|d| d.aspect == Aspect::DateOrder).expect("dates");
    assert!(dates.basis == Basis::Proven && dates.evidence.contains("25/04/2024"), "{dates:?}");
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
        csv.push_str(&format!(
            "01/{:02}/2024,01/{:02}/2024,SHOP {i},Shopping,Sale,-{}.{:02},\n",
            i % 28 + 1,
            i % 28 + 1,
            i % 90 + 1,
            i % 100
        ));
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
