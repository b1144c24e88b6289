//! What the vault's files reveal and how it fails: no plaintext on disk, a wrong passphrase writes
//! nothing, damage is told apart from a wrong passphrase and from "not a vault".

mod common;

use std::path::Path;

use common::{checking, create, passphrase, tx, vault_files};
use credence_core::{Error, NewAccount, Passphrase, Vault};
use rand::{Rng, SeedableRng};

fn contains(haystack: &[u8], needle: &[u8]) -> bool {
    haystack.windows(needle.len()).any(|w| w == needle)
}

fn canaries(n: usize) -> Vec<String> {
    let mut rng = rand::rngs::StdRng::seed_from_u64(7);
    (0..n).map(|_| (0..16).map(|_| rng.gen_range(b'a'..=b'z') as char).collect()).collect()
}

fn assert_no_canary_in(files: &[std::path::PathBuf], canaries: &[String]) {
    for file in files {
        let bytes = std::fs::read(file).expect("read");
        for c in canaries {
            assert!(!contains(&bytes, c.as_bytes()), "{c} found in plaintext in {}", file.display());
        }
    }
}

#[test]
fn no_payee_memo_or_name_appears_in_plaintext_on_disk() {
    let dir = tempfile::tempdir().expect("tempdir");
    let (path, mut vault) = create(dir.path());
    let marks = canaries(400);
    let account = vault
        .add_account(NewAccount { name: marks[0].clone(), kind: credence_core::AccountKind::Checking, currency: "EUR".into(), credit_limit: None })
        .expect("account")
        .id;
    vault.add_category(&marks[1], None).expect("category");
    let rows = marks[2..].chunks(2).map(|pair| {
        let mut t = tx(&account, (2024, 6, 1), "-1.00", &pair[0]);
        t.memo = pair[1].clone();
        t
    });
    vault.add_transactions("canaries", rows.collect::<Vec<_>>()).expect("insert");
    checking(&mut vault);

    // While open: the WAL holds the newest pages; it is encrypted too.
    let open_files = vault_files(&path);
    assert!(open_files.iter().any(|f| f.to_string_lossy().ends_with("-wal")), "WAL mode is on");
    assert_no_canary_in(&open_files, &marks);
    drop(vault);
    assert_no_canary_in(&vault_files(&path), &marks);
    let head = std::fs::read(&path).expect("read");
    assert_ne!(&head[..16], b"SQLite format 3\0", "the header is encrypted too");
}

fn snapshot(path: &Path) -> Vec<(std::path::PathBuf, Vec<u8>)> {
    vault_files(path).into_iter().map(|f| { let b = std::fs::read(&f).expect("read"); (f, b) }).collect()
}

#[test]
fn a_wrong_passphrase_says_so_and_writes_nothing() {
    let dir = tempfile::tempdir().expect("tempdir");
    let (path, mut vault) = create(dir.path());
    checking(&mut vault);
    drop(vault);
    let before = snapshot(&path);
    let err = Vault::open(&path, &Passphrase::new("not the passphrase")).expect_err("wrong");
    assert!(matches!(err, Error::WrongPassphrase));
    assert_eq!(err.to_string(), "wrong passphrase");
    assert_eq!(snapshot(&path), before, "no file changed and no -wal/-shm appeared");
}

fn flip_byte(path: &Path, offset: usize) {
    let mut bytes = std::fs::read(path).expect("read");
    bytes[offset] ^= 0x5a;
    std::fs::write(path, bytes).expect("write");
}

/// Damage either stops the vault from opening or fails its integrity check; it is never reported as
/// a wrong passphrase and never silently returns altered data.
fn assert_damage_detected(path: &Path) {
    match Vault::open(path, &passphrase()) {
        Err(Error::Damaged(why)) => assert!(!why.is_empty()),
        Err(other) => panic!("expected a damaged-vault error, got: {other}"),
        Ok(vault) => {
            let report = vault.integrity();
            assert!(matches!(&report, Err(Error::Damaged(_))) || matches!(&report, Ok(r) if !r.is_ok()), "{report:?}");
        }
    }
}

#[test]
fn damage_anywhere_is_reported_as_damage_not_as_a_wrong_passphrase() {
    let dir = tempfile::tempdir().expect("tempdir");
    let (path, mut vault) = create(dir.path());
    let account = checking(&mut vault);
    let rows: Vec<_> = (0..2000).map(|i| tx(&account, (2024, 1, 1), "-1.00", &format!("payee {i}"))).collect();
    vault.add_transactions("fill", rows).expect("fill");
    drop(vault);
    let pristine = std::fs::read(&path).expect("read");
    let pages = pristine.len() / 4096;
    assert!(pages > 10);

    let mut rng = rand::rngs::StdRng::seed_from_u64(11);
    let mut offsets = vec![0usize, 20, 100, 4095];
    offsets.extend((0..12).map(|_| rng.gen_range(4096..pristine.len())));
    for offset in offsets {
        std::fs::write(&path, &pristine).expect("reset");
        flip_byte(&path, offset);
        assert_damage_detected(&path);
    }

    std::fs::write(&path, &pristine[..pristine.len() / 2]).expect("truncate");
    assert_damage_detected(&path);
    std::fs::write(&path, &pristine).expect("reset");
    let message = Vault::open(&path, &passphrase()).map(|_| ()).map_err(|e| e.to_string());
    assert_eq!(message, Ok(()));
}

#[test]
fn a_damaged_page_one_says_restore_from_a_backup() {
    let dir = tempfile::tempdir().expect("tempdir");
    let (path, vault) = create(dir.path());
    drop(vault);
    flip_byte(&path, 200);
    let err = Vault::open(&path, &passphrase()).expect_err("damaged");
    assert!(err.to_string().starts_with("vault is damaged ("), "{err}");
    assert!(err.to_string().ends_with("restore from a backup"), "{err}");
}

#[test]
fn a_damaged_key_file_is_damage_and_a_missing_one_is_explained() {
    let dir = tempfile::tempdir().expect("tempdir");
    let (path, vault) = create(dir.path());
    drop(vault);
    let keys = credence_core::vault::key_file_path(&path);
    let original = std::fs::read(&keys).expect("read");
    std::fs::write(&keys, &original[..original.len() / 2]).expect("truncate");
    assert!(matches!(Vault::open(&path, &passphrase()), Err(Error::Damaged(_))));
    std::fs::remove_file(&keys).expect("rm");
    let err = Vault::open(&path, &passphrase()).expect_err("missing");
    assert!(matches!(err, Error::NotAVault { .. }));
    assert!(err.to_string().contains("key file"), "{err}");
}

#[test]
fn files_that_are_not_vaults_are_named_as_such() {
    let dir = tempfile::tempdir().expect("tempdir");
    let plain = dir.path().join("plain.db");
    {
        let conn = rusqlite::Connection::open(&plain).expect("plain sqlite");
        conn.execute_batch("CREATE TABLE t (x); INSERT INTO t VALUES (1);").expect("write");
    }
    let err = Vault::open(&plain, &passphrase()).expect_err("plain");
    assert!(err.to_string().contains("not a Credence vault (it is a plain, unencrypted SQLite database)"), "{err}");
    let text = dir.path().join("notes.txt");
    std::fs::write(&text, "hello").expect("write");
    assert!(matches!(Vault::open(&text, &passphrase()), Err(Error::NotAVault { .. })));
    assert!(matches!(Vault::open(dir.path(), &passphrase()), Err(Error::NotAVault { .. })));
}
