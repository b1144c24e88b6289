//! A process killed (SIGKILL) in the middle of writing leaves a consistent vault: every operation is
//! all there or not there at all, with its change-log entries, and the vault passes its checks.
//! The test binary re-runs itself as the writer (sled's pattern) and kills it at random moments.

mod common;

use std::process::{Command, Stdio};
use std::time::Duration;

use common::{checking, create, passphrase, tx};
use credence_core::{TransactionFilter, Vault};
use rand::{Rng, SeedableRng};

const CHILD_ENV: &str = "CREDENCE_CRASH_CHILD_VAULT";
const IMPORT_CHILD_ENV: &str = "CREDENCE_CRASH_CHILD_IMPORT";
const IMPORT_ROWS: usize = 20_000;
const BATCH: usize = 500;
const TRIALS: usize = 8;

/// A closed vault with one account, "Checking", for a child process to open.
fn vault_with_checking(dir: &std::path::Path) -> std::path::PathBuf {
    let (path, mut vault) = create(dir);
    checking(&mut vault);
    path
}

/// In the child: write batches until killed.
#[test]
fn crash_child_writer() {
    let Ok(path) = std::env::var(CHILD_ENV) else { return };
    let mut vault = Vault::open(path.as_ref(), &passphrase()).expect("child opens");
    let account = vault.account_by_name("Checking").expect("account").id;
    for batch in 0.. {
        let rows: Vec<_> = (0..BATCH).map(|i| tx(&account, (2024, 1, 1), "-1.00", &format!("p{}b{batch}-r{i}", std::process::id()))).collect();
        vault.add_transactions(&format!("batch {batch}"), rows).expect("write");
        if batch % 3 == 0 {
            // A row of this writer's own newest batch: a kill between the delete and its undo leaves at
            // most one standing delete per writer, each in a different batch (the first listed row would
            // be the same old batch's for every writer, and two trials could take two rows from it).
            let own = TransactionFilter { search: Some(format!("p{}b{batch}-r0", std::process::id())), limit: Some(1), ..Default::default() };
            let first = vault.transactions(&own).expect("list");
            let id = first[0].id.clone();
            vault.delete_transaction(&id).expect("delete");
            vault.undo().expect("undo");
        }
    }
}

#[test]
fn killing_the_writer_at_random_moments_never_leaves_a_partial_operation() {
    if std::env::var(CHILD_ENV).is_ok() {
        return;
    }
    let dir = tempfile::tempdir().expect("tempdir");
    let path = vault_with_checking(dir.path());

    let mut rng = rand::rngs::StdRng::seed_from_u64(2024);
    let mut last_count = 0;
    let exe = std::env::current_exe().expect("test binary");
    for trial in 0..TRIALS {
        let mut child = Command::new(&exe)
            .args(["--exact", "crash_child_writer", "--nocapture", "--test-threads=1"])
            .env(CHILD_ENV, &path)
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("spawn writer");
        std::thread::sleep(Duration::from_millis(rng.gen_range(300..1500)));
        child.kill().expect("SIGKILL");
        child.wait().expect("reap");

        let vault = Vault::open(&path, &passphrase()).expect("reopens after the crash");
        let report = vault.integrity().expect("integrity runs");
        assert!(report.is_ok(), "trial {trial}: {:?}", report.problems);
        let all = vault.transactions(&TransactionFilter::default()).expect("list");
        let mut per_batch = std::collections::HashMap::<String, usize>::new();
        for t in &all {
            let batch = t.payee.split('-').next().unwrap_or_default().to_string();
            *per_batch.entry(batch).or_default() += 1;
        }
        let log = vault.history(usize::MAX >> 1).expect("log");
        // The writer deletes a row and undoes that as two operations; a kill between them leaves the
        // delete, which is a whole operation, not a partial one.
        let standing_deletes = log.iter().filter(|op| op.summary.starts_with("Delete") && op.undone_by.is_none()).count();
        let missing: usize = per_batch.values().map(|n| BATCH - n).sum();
        assert_eq!(missing, standing_deletes, "trial {trial}: every missing row is a whole delete operation");
        for (batch, n) in &per_batch {
            assert!(*n == BATCH || *n + 1 == BATCH, "trial {trial}: batch {batch} is partial ({n} rows)");
        }
        let logged_rows: usize = log
            .iter()
            .filter(|op| op.summary.starts_with("batch"))
            .map(|op| op.changes.len())
            .sum();
        assert_eq!(logged_rows, per_batch.len() * BATCH, "trial {trial}: every inserted row has its change-log entry");
        last_count = all.len();
    }
    assert!(last_count > 0, "the writers committed something before being killed");
}

/// In the child: import the statement named by the environment into the vault named by it.
#[test]
fn crash_child_importer() {
    let (Ok(path), Ok(file)) = (std::env::var(CHILD_ENV), std::env::var(IMPORT_CHILD_ENV)) else { return };
    let mut vault = Vault::open(path.as_ref(), &passphrase()).expect("child opens");
    let account = vault.account_by_name("Checking").expect("account").id;
    let options = credence_core::import::ImportOptions::default();
    vault.import_file(file.as_ref(), &account, &options, &mut |_| {}).expect("import");
}

#[test]
fn killing_an_import_leaves_all_of_it_or_none_and_it_can_simply_be_run_again() {
    if std::env::var(CHILD_ENV).is_ok() {
        return;
    }
    let dir = tempfile::tempdir().expect("tempdir");
    let path = vault_with_checking(dir.path());
    let statement = dir.path().join("statement.csv");
    let mut text = String::from("Transaction Date,Post Date,Description,Category,Type,Amount,Memo\n");
    for i in 0..IMPORT_ROWS {
        let (month, day) = (1 + i % 12, 1 + i % 28);
        text.push_str(&format!("{month:02}/{day:02}/2024,{month:02}/{day:02}/2024,MERCHANT {},Shopping,Sale,-{}.{:02},\n", i % 97, 1 + i % 50, i % 100));
    }
    std::fs::write(&statement, text).expect("write statement");

    let mut rng = rand::rngs::StdRng::seed_from_u64(99);
    let exe = std::env::current_exe().expect("test binary");
    for trial in 0..6 {
        let mut child = Command::new(&exe)
            .args(["--exact", "crash_child_importer", "--nocapture", "--test-threads=1"])
            .env(CHILD_ENV, &path)
            .env(IMPORT_CHILD_ENV, &statement)
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("spawn importer");
        std::thread::sleep(Duration::from_millis(rng.gen_range(150..1400)));
        let _ = child.kill();
        child.wait().expect("reap");
        let vault = Vault::open(&path, &passphrase()).expect("reopens");
        assert!(vault.integrity().expect("integrity").is_ok(), "trial {trial}");
        let n = vault.transactions(&TransactionFilter::default()).expect("list").len();
        assert!(n == 0 || n == IMPORT_ROWS, "trial {trial}: {n} rows is a partial import");
    }
    let mut vault = Vault::open(&path, &passphrase()).expect("opens");
    let account = vault.account_by_name("Checking").expect("account").id;
    let report = vault
        .import_file(&statement, &account, &credence_core::import::ImportOptions::default(), &mut |_| {})
        .expect("import again");
    assert_eq!(report.imported + report.duplicates, IMPORT_ROWS as u64);
    assert_eq!(vault.transactions(&TransactionFilter::default()).expect("list").len(), IMPORT_ROWS);
}
