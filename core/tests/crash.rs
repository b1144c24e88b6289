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
        let rows: Vec<_> = (0..BATCH)
            .map(|i| tx(&account, (2024, 1, 1), "-1.00", &format!("p{}b{batch}-r{i}", std::process::id())))
            .collect();
        vault.add_transactions(&format!("batch {batch}"), rows).expect("write");
        if batch % 3 == 0 {
            // A row of this writer's own newest batch: a kill between the delete and its undo leaves at
            // most one standing delete per writer, each in a different batch (the first listed row would
            // be the same old batch's for every writer, and two trials could take two rows from it).
            let own = TransactionFilter {
                search: Some(format!("p{}b{batch}-r0", std::process::id())),
                limit: Some(1),
                ..Default::default()
            };
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
        let standing_deletes =
            log.iter().filter(|op| op.summary.starts_with("Delete") && op.undone_by.is_none()).count();
        let missing: usize = per_batch.values().map(|n| BATCH - n).sum();
        assert_eq!(missing, standing_deletes, "trial {trial}: every missing row is a whole delete operation");
        for (batch, n) in &per_batch {
            assert!(*n == BATCH || *n + 1 == BATCH, "trial {trial}: batch {batch} is partial ({n} rows)");
        }
        let logged_rows: usize =
            log.iter().filter(|op| op.summary.starts_with("batch")).map(|op| op.changes.len()).sum();
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
        text.push_str(&format!(
            "{month:02}/{day:02}/2024,{month:02}/{day:02}/2024,MERCHANT {},Shopping,Sale,-{}.{:02},\n",
            i % 97,
            1 + i % 50,
            i % 100
        ));
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

// --- Killing every other writing operation at random moments -------------------------------------
//
// Each operation runs in a child that repeats it until killed; after each kill the vault (or the file
// the operation writes) must be the old or the new state, open with the right passphrase and pass its
// checks. CI runs a few trials of each; `CREDENCE_CRASH_TRIALS=100 cargo test -p credence-core --test
// crash -- --test-threads=1` runs a hundred.

const OPERATION_ENV: &str = "CREDENCE_CRASH_CHILD_OPERATION";
const SECOND: &str = "a second passphrase, just as long";
const CATEGORIZED_ROWS: usize = 2_000;

fn trials() -> usize {
    std::env::var("CREDENCE_CRASH_TRIALS").ok().and_then(|n| n.parse().ok()).unwrap_or(3)
}

/// Opens with whichever of the two passphrases is current.
fn open_either(path: &std::path::Path) -> Vault {
    Vault::open(path, &passphrase())
        .or_else(|_| Vault::open(path, &credence_core::Passphrase::new(SECOND)))
        .expect("the old or the new passphrase opens it")
}

fn names(vault: &Vault) -> Vec<String> {
    vault.accounts().expect("accounts").into_iter().map(|a| a.name).collect()
}

/// A closed vault holding one named account, and its backup (made with the floor KDF cost).
fn vault_and_backup(dir: &std::path::Path, name: &str) -> (std::path::PathBuf, std::path::PathBuf) {
    let path = dir.join(format!("{name}.vault"));
    let (mut vault, _) =
        Vault::create_with(&path, &passphrase(), credence_core::CreateOptions { kdf: credence_core::vault::KDF_FLOOR })
            .expect("create");
    vault
        .add_account(credence_core::NewAccount {
            name: name.into(),
            kind: credence_core::AccountKind::Checking,
            currency: "USD".into(),
            credit_limit: None,
        })
        .expect("account");
    let backup = dir.join(format!("{name}.backup"));
    vault.backup(&backup).expect("backup");
    (path, backup)
}

/// In the child: repeat the named operation on the vault until killed.
#[test]
fn crash_child_operation() {
    let (Ok(operation), Ok(path)) = (std::env::var(OPERATION_ENV), std::env::var(CHILD_ENV)) else { return };
    let path = std::path::PathBuf::from(path);
    let dir = path.parent().expect("folder").to_owned();
    match operation.as_str() {
        "passphrase" => loop {
            let mut vault = open_either(&path);
            let next = if Vault::open(&path, &passphrase()).is_ok() { SECOND } else { common::PASS };
            vault.change_passphrase(&credence_core::Passphrase::new(next)).expect("change");
        },
        "create" => {
            for n in 0.. {
                let at = dir.join(format!("new-{n}.vault"));
                drop(
                    Vault::create_with(
                        &at,
                        &passphrase(),
                        credence_core::CreateOptions { kdf: credence_core::vault::KDF_FLOOR },
                    )
                    .expect("create"),
                );
            }
        }
        "backup" => {
            let vault = Vault::open(&path, &passphrase()).expect("open");
            loop {
                vault.backup(&dir.join("out.backup")).expect("backup");
            }
        }
        "restore" => loop {
            for name in ["One", "Two"] {
                drop(Vault::restore(&dir.join(format!("{name}.backup")), &path, &passphrase()).expect("restore"));
            }
        },
        "rekey" => {
            let mut vault = Vault::open(&path, &passphrase()).expect("open");
            loop {
                vault.rekey(&passphrase()).expect("rekey");
            }
        }
        "rules" => {
            let mut vault = Vault::open(&path, &passphrase()).expect("open");
            loop {
                vault.apply_rules(None, true).expect("apply");
                vault.undo().expect("undo");
            }
        }
        other => panic!("no such operation {other}"),
    }
}

/// Runs `operation` in a child killed at a random moment, `trials()` times, calling `check` after each.
fn kill_repeatedly(operation: &str, path: &std::path::Path, seed: u64, mut check: impl FnMut(usize)) {
    let mut rng = rand::rngs::StdRng::seed_from_u64(seed);
    let exe = std::env::current_exe().expect("test binary");
    for trial in 0..trials() {
        let mut child = Command::new(&exe)
            .args(["--exact", "crash_child_operation", "--nocapture", "--test-threads=1"])
            .env(CHILD_ENV, path)
            .env(OPERATION_ENV, operation)
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("spawn");
        std::thread::sleep(Duration::from_millis(rng.gen_range(100..2500)));
        let _ = child.kill();
        let status = child.wait().expect("reap");
        assert!(
            status.code().is_none(),
            "{operation}: the child died by the kill, not by a failure of its own ({status})"
        );
        check(trial);
    }
}

#[test]
fn killing_a_passphrase_change_leaves_the_old_or_the_new_passphrase_working() {
    if std::env::var(CHILD_ENV).is_ok() {
        return;
    }
    let dir = tempfile::tempdir().expect("tempdir");
    let path = vault_with_checking(dir.path());
    kill_repeatedly("passphrase", &path, 1, |trial| {
        let vault = open_either(&path);
        assert!(vault.integrity().expect("integrity").is_ok(), "trial {trial}");
        assert_eq!(names(&vault), ["Checking"], "trial {trial}");
    });
}

#[test]
fn killing_init_leaves_a_whole_vault_or_nothing_in_the_way_of_the_next_init() {
    if std::env::var(CHILD_ENV).is_ok() {
        return;
    }
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join("anchor.vault");
    let mut next = 0;
    kill_repeatedly("create", &path, 2, |trial| {
        // Every vault the child put in place opens; the one it was killed making is either whole or
        // not there at all, and creating it again then works.
        loop {
            let at = dir.path().join(format!("new-{next}.vault"));
            next += 1;
            match Vault::open(&at, &passphrase()) {
                Ok(vault) => assert!(vault.integrity().expect("integrity").is_ok(), "trial {trial}: {}", at.display()),
                Err(credence_core::Error::VaultNotFound(_)) => {
                    let options = credence_core::CreateOptions { kdf: credence_core::vault::KDF_FLOOR };
                    drop(
                        Vault::create_with(&at, &passphrase(), options)
                            .unwrap_or_else(|e| panic!("trial {trial}: init again: {e}")),
                    );
                    break;
                }
                Err(e) => panic!("trial {trial}: {} is half made: {e}", at.display()),
            }
        }
        // The next child starts its numbering from 0 again; clear what this one made.
        for entry in std::fs::read_dir(dir.path()).expect("ls").filter_map(|e| e.ok()) {
            std::fs::remove_file(entry.path()).expect("clear");
        }
        next = 0;
    });
}

#[test]
fn killing_a_backup_leaves_no_backup_or_one_that_restores() {
    if std::env::var(CHILD_ENV).is_ok() {
        return;
    }
    let dir = tempfile::tempdir().expect("tempdir");
    let (path, _) = vault_and_backup(dir.path(), "One");
    let out = dir.path().join("out.backup");
    kill_repeatedly("backup", &path, 3, |trial| {
        if !out.exists() {
            return;
        }
        let restored = dir.path().join(format!("restored-{trial}/vault"));
        std::fs::create_dir_all(restored.parent().expect("folder")).expect("folder");
        let vault = Vault::restore(&out, &restored, &passphrase())
            .unwrap_or_else(|e| panic!("trial {trial}: the backup does not restore: {e}"));
        assert_eq!(names(&vault), ["One"], "trial {trial}");
    });
}

#[test]
fn killing_a_restore_leaves_the_old_or_the_restored_vault_never_neither() {
    if std::env::var(CHILD_ENV).is_ok() {
        return;
    }
    let dir = tempfile::tempdir().expect("tempdir");
    vault_and_backup(dir.path(), "One");
    vault_and_backup(dir.path(), "Two");
    let path = dir.path().join("target.vault");
    drop(Vault::restore(&dir.path().join("One.backup"), &path, &passphrase()).expect("first restore"));
    kill_repeatedly("restore", &path, 4, |trial| {
        let vault = Vault::open(&path, &passphrase()).unwrap_or_else(|e| panic!("trial {trial}: {e}"));
        assert!(vault.integrity().expect("integrity").is_ok(), "trial {trial}");
        let now = names(&vault);
        assert!(now == ["One"] || now == ["Two"], "trial {trial}: {now:?}");
        let leftovers: Vec<_> = std::fs::read_dir(dir.path())
            .expect("ls")
            .filter_map(|e| e.ok())
            .map(|e| e.file_name().to_string_lossy().into_owned())
            .filter(|n| n.contains("incoming") || n.contains("journal"))
            .collect();
        assert!(leftovers.is_empty(), "trial {trial}: {leftovers:?}");
    });
}

#[test]
fn killing_a_rekey_leaves_a_vault_the_passphrase_opens() {
    if std::env::var(CHILD_ENV).is_ok() {
        return;
    }
    let dir = tempfile::tempdir().expect("tempdir");
    let path = vault_with_checking(dir.path());
    kill_repeatedly("rekey", &path, 5, |trial| {
        let vault = Vault::open(&path, &passphrase()).unwrap_or_else(|e| panic!("trial {trial}: {e}"));
        assert!(vault.integrity().expect("integrity").is_ok(), "trial {trial}");
        assert_eq!(names(&vault), ["Checking"], "trial {trial}");
        let old_copies = std::fs::read_dir(dir.path())
            .expect("ls")
            .filter_map(|e| e.ok())
            .filter(|e| e.file_name().to_string_lossy().contains("before-rekey"))
            .count();
        assert_eq!(old_copies, 0, "trial {trial}: the database under the old key is gone");
    });
}

#[test]
fn killing_rules_or_their_undo_leaves_every_row_filed_or_none() {
    if std::env::var(CHILD_ENV).is_ok() {
        return;
    }
    let dir = tempfile::tempdir().expect("tempdir");
    let (path, mut vault) = create(dir.path());
    let account = checking(&mut vault);
    let rows: Vec<_> = (0..CATEGORIZED_ROWS)
        .map(|i| tx(&account, (2024, 1 + (i % 12) as u32, 1), "-3.00", &format!("CORNER GROCER {i}")))
        .collect();
    vault.add_transactions("rows", rows).expect("rows");
    let groceries =
        vault.categories().expect("categories").into_iter().find(|c| c.path == "Food:Groceries").expect("groceries").id;
    vault
        .add_rule(
            vec![credence_core::rules::Condition::PayeeContains { text: "grocer".into() }],
            vec![credence_core::rules::Action::SetCategory { category_id: groceries }],
            None,
        )
        .expect("rule");
    drop(vault);
    kill_repeatedly("rules", &path, 6, |trial| {
        let vault = Vault::open(&path, &passphrase()).expect("opens");
        assert!(vault.integrity().expect("integrity").is_ok(), "trial {trial}");
        let filed = vault
            .transactions(&TransactionFilter::default())
            .expect("list")
            .iter()
            .filter(|t| t.category.is_some())
            .count();
        assert!(
            filed == 0 || filed == CATEGORIZED_ROWS,
            "trial {trial}: {filed} rows filed is a partial apply or undo"
        );
    });
}
