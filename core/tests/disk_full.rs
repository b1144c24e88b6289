//! A full disk: every write (an import, a backup, a passphrase change, a rekey) fails with a sentence
//! that says the disk is full, and the vault is exactly as it was.
//!
//! The disk is a real one: a 24 MiB tmpfs, mounted in a private mount namespace (`unshare`, as an
//! unprivileged user too), so the test needs no root, changes nothing outside itself, and the mount
//! disappears with the process. The test binary re-runs itself inside the namespace.

mod common;

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::Command;

use common::{checking, passphrase, PASS};
use credence_core::import::ImportOptions;
use credence_core::vault::KDF_FLOOR;
use credence_core::{CreateOptions, Passphrase, TransactionFilter, Vault};

const INSIDE_ENV: &str = "CREDENCE_DISK_FULL_INSIDE";
const STATEMENT_ROWS: usize = 20_000;

#[test]
fn a_full_disk_fails_every_write_with_a_clear_sentence_and_changes_nothing() {
    let exe = std::env::current_exe().expect("test binary");
    let out = Command::new("unshare")
        .args(["--user", "--map-root-user", "--mount"])
        .arg(exe)
        .args(["--exact", "on_a_full_disk", "--include-ignored", "--nocapture", "--test-threads=1"])
        .env(INSIDE_ENV, "1")
        .output()
        .expect("unshare (util-linux) runs");
    let said = format!("{}{}", String::from_utf8_lossy(&out.stdout), String::from_utf8_lossy(&out.stderr));
    assert!(out.status.success() && said.contains("1 passed"), "inside the namespace:\n{said}");
}

/// Run by the test above inside its mount namespace; on its own it would mount over a temporary
/// folder of the real machine, so it is ignored unless that test runs it.
#[test]
#[ignore = "run inside a private mount namespace by a_full_disk_fails_every_write_…"]
fn on_a_full_disk() {
    assert!(
        std::env::var(INSIDE_ENV).is_ok(),
        "run through a_full_disk_fails_every_write_with_a_clear_sentence_and_changes_nothing"
    );
    let outside = tempfile::tempdir().expect("tempdir");
    let small = outside.path().join("small");
    std::fs::create_dir(&small).expect("mount point");
    let mounted =
        Command::new("mount").args(["-t", "tmpfs", "-o", "size=24m", "tmpfs"]).arg(&small).status().expect("mount");
    assert!(mounted.success(), "mount a tmpfs inside the namespace");

    let path = small.join("v.vault");
    let (mut vault, _) = Vault::create_with(&path, &passphrase(), CreateOptions { kdf: KDF_FLOOR }).expect("create");
    let account = checking(&mut vault);
    let statement = write_statement(outside.path());
    let options = ImportOptions::default();
    let first = vault.import_file(&statement.0, &account, &options, &mut |_| {}).expect("an import that fits");
    assert_eq!(first.imported, 3);
    let rows_before = rows(&vault);
    let files_before = listing(&small);

    let filler = fill(&small);
    let full = |what: &str, e: credence_core::Error| {
        let said = e.to_string();
        println!("{what}: {said}");
        assert!(said.contains("disk") && said.contains("full") && said.contains("free some space"), "{what}: {said}");
        assert!(!said.contains("restore"), "{what}: a full disk never suggests restoring a backup: {said}");
    };
    let e = vault.import_file(&statement.1, &account, &options, &mut |_| {}).expect_err("import on a full disk");
    full("import", e);
    let e = vault.backup(&small.join("v.backup")).expect_err("backup on a full disk");
    full("backup", e);
    let e = vault
        .change_passphrase(&Passphrase::new("a different passphrase entirely"))
        .expect_err("passphrase change on a full disk");
    full("passphrase change", e);
    let e = vault.rekey(&passphrase()).expect_err("rekey on a full disk");
    full("rekey", e);

    assert_eq!(rows(&vault), rows_before, "the open vault is unchanged");
    drop(vault);
    let vault = Vault::open(&path, &Passphrase::new(PASS)).expect("the old passphrase still opens it, disk still full");
    assert!(vault.integrity().expect("integrity").is_ok());
    assert_eq!(rows(&vault), rows_before);
    let mut expected: Vec<PathBuf> = files_before.iter().cloned().chain([filler.clone()]).collect();
    expected.sort();
    assert_eq!(listing(&small), expected, "no temporary files left");

    std::fs::remove_file(&filler).expect("free the space");
    let mut vault = vault;
    let big = vault
        .import_file(&statement.1, &account, &options, &mut |_| {})
        .expect("with space again, the same import works");
    assert_eq!(big.imported as usize, STATEMENT_ROWS);
    vault.backup(&small.join("v.backup")).expect("and so does a backup");
}

/// A small statement that fits and a large one that does not fit a full disk, outside the small disk.
fn write_statement(dir: &Path) -> (PathBuf, PathBuf) {
    let header = "Transaction Date,Post Date,Description,Category,Type,Amount,Memo\n";
    let row = |i: usize| {
        format!(
            "{:02}/{:02}/2024,{:02}/{:02}/2024,SHOP NUMBER {i},Shopping,Sale,-{}.{:02},\n",
            1 + i % 12,
            1 + i % 28,
            1 + i % 12,
            1 + i % 28,
            1 + i % 90,
            i % 100
        )
    };
    let small = dir.join("small.csv");
    std::fs::write(&small, format!("{header}{}", (0..3).map(row).collect::<String>())).expect("small statement");
    let large = dir.join("large.csv");
    std::fs::write(&large, format!("{header}{}", (3..3 + STATEMENT_ROWS).map(row).collect::<String>()))
        .expect("large statement");
    (small, large)
}

/// Fills the disk to the last byte with one file.
fn fill(dir: &Path) -> PathBuf {
    let filler = dir.join("filler");
    let mut file = std::fs::File::create(&filler).expect("filler");
    let chunk = vec![0u8; 64 * 1024];
    let mut size = chunk.len();
    // Large chunks, then smaller ones, until not even one byte fits.
    while size > 0 {
        while file.write_all(&chunk[..size]).is_ok() {}
        size /= 2;
    }
    let _ = file.sync_all();
    filler
}

fn rows(vault: &Vault) -> usize {
    vault.transactions(&TransactionFilter::default()).expect("list").len()
}

fn listing(dir: &Path) -> Vec<PathBuf> {
    let mut found: Vec<PathBuf> = std::fs::read_dir(dir).expect("ls").map(|e| e.expect("entry").path()).collect();
    found.retain(|p| !p.to_string_lossy().ends_with("-wal") && !p.to_string_lossy().ends_with("-shm"));
    found.sort();
    found
}
