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
        .add_account(NewAccount {
            name: marks[0].clone(),
            kind: credence_core::AccountKind::Checking,
            currency: "EUR".into(),
            credit_limit: None,
        })
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
    vault_files(path)
        .into_iter()
        .map(|f| {
            let b = std::fs::read(&f).expect("read");
            (f, b)
        })
        .collect()
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

/// The mode bits of a file (owner, group, others).
#[cfg(unix)]
fn mode(path: &Path) -> u32 {
    use std::os::unix::fs::PermissionsExt;
    std::fs::metadata(path).unwrap_or_else(|e| panic!("{}: {e}", path.display())).permissions().mode() & 0o777
}

#[cfg(unix)]
#[test]
fn the_vault_its_companions_and_its_backups_are_owner_only_whatever_the_umask() {
    let dir = tempfile::tempdir().expect("dir");
    // Under the usual umask (022) a plain new file is readable by everyone; Credence's are not.
    let plain = dir.path().join("plain");
    std::fs::write(&plain, b"x").expect("plain file");
    eprintln!("a plain new file here gets mode {:o}", mode(&plain));
    let (path, mut vault) = create(&dir.path().join("data/credence"));
    assert_eq!(mode(&dir.path().join("data")), 0o700, "the folder Credence created");
    let account = checking(&mut vault);
    vault.add_transaction(tx(&account, (2026, 11, 2), "-12.00", "Corner shop")).expect("tx");
    let wal = credence_core::files::beside(&path, "-wal");
    assert!(wal.exists(), "the WAL is open");
    for file in
        [path.clone(), credence_core::vault::key_file_path(&path), wal, credence_core::files::beside(&path, "-shm")]
    {
        assert_eq!(mode(&file), 0o600, "{}", file.display());
    }
    let backup = dir.path().join("vault.bak");
    vault.backup(&backup).expect("backup");
    assert_eq!(mode(&backup), 0o600);
    drop(vault);
    let restored = dir.path().join("restored/vault");
    std::fs::create_dir_all(restored.parent().expect("folder")).expect("folder");
    Vault::restore(&backup, &restored, &passphrase()).expect("restore");
    assert_eq!((mode(&restored), mode(&credence_core::vault::key_file_path(&restored))), (0o600, 0o600));

    // A vault left readable by an older version becomes owner-only when opened.
    use std::os::unix::fs::PermissionsExt;
    std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o644)).expect("loosen");
    drop(Vault::open(&path, &passphrase()).expect("open"));
    assert_eq!(mode(&path), 0o600);
}

#[test]
fn a_backup_over_the_vaults_own_files_is_refused_and_leftovers_never_block() {
    let dir = tempfile::tempdir().expect("dir");
    let (path, mut vault) = create(dir.path());
    let account = checking(&mut vault);
    vault.add_transaction(tx(&account, (2026, 11, 2), "-12.00", "Corner shop")).expect("tx");
    let before = std::fs::read(&path).expect("vault");
    for own in [path.clone(), credence_core::vault::key_file_path(&path), credence_core::files::beside(&path, "-wal")] {
        let e = vault.backup(&own).expect_err("over its own file");
        assert!(e.to_string().contains("one of the vault's own files"), "{e}");
    }
    let also_own = dir.path().join(".").join(path.file_name().expect("name"));
    assert!(vault.backup(&also_own).is_err(), "the same file by another path");
    assert_eq!(std::fs::read(&path).expect("vault"), before);

    // What a crashed run of an older version left behind, under the names it used then.
    let backup = dir.path().join("vault.bak");
    for leftover in
        [credence_core::files::beside(&backup, ".writing"), credence_core::files::beside(&backup, ".exporting")]
    {
        std::fs::write(&leftover, b"half a backup").expect("leftover");
    }
    vault.backup(&backup).expect("a backup despite the leftovers");
    vault
        .change_passphrase(&Passphrase::new("a brand new passphrase of some length"))
        .expect("a new passphrase despite them");
    drop(vault);
    Vault::open(&path, &Passphrase::new("a brand new passphrase of some length")).expect("opens");
}

#[test]
fn a_key_file_asking_for_an_absurd_key_derivation_is_refused_before_running_it() {
    let dir = tempfile::tempdir().expect("dir");
    let (path, vault) = create(dir.path());
    drop(vault);
    let keys = credence_core::vault::key_file_path(&path);
    let text = std::fs::read_to_string(&keys).expect("key file");
    let mut json: serde_json::Value = serde_json::from_str(&text).expect("json");
    json["kdf"]["memory_kib"] = serde_json::json!(u32::MAX);
    std::fs::write(&keys, json.to_string()).expect("tamper");
    let e = Vault::open(&path, &passphrase()).expect_err("tampered");
    assert!(matches!(e, Error::Damaged(_)) && e.to_string().contains("tampered"), "{e}");
}

fn key_json(path: &Path) -> serde_json::Value {
    serde_json::from_str(&std::fs::read_to_string(credence_core::vault::key_file_path(path)).expect("key file"))
        .expect("json")
}

fn write_key_json(path: &Path, json: &serde_json::Value) {
    std::fs::write(credence_core::vault::key_file_path(path), json.to_string()).expect("write key file");
}

#[test]
fn a_tampered_key_file_opens_nothing_and_says_so() {
    let dir = tempfile::tempdir().expect("dir");
    let (path, vault) = create(&dir.path().join("a"));
    drop(vault);
    let (other, other_vault) = create(&dir.path().join("b"));
    drop(other_vault);
    let original = key_json(&path);

    // The two slots swapped: each is bound to its own name, so neither opens.
    let mut swapped = original.clone();
    swapped["passphrase_slot"] = original["recovery_slot"].clone();
    swapped["recovery_slot"] = original["passphrase_slot"].clone();
    write_key_json(&path, &swapped);
    assert!(matches!(Vault::open(&path, &passphrase()), Err(Error::WrongPassphrase)));

    // Another vault's passphrase slot (same passphrase), with its salt: bound to that vault's id.
    let mut spliced = original.clone();
    let donor = key_json(&other);
    spliced["passphrase_slot"] = donor["passphrase_slot"].clone();
    spliced["kdf"] = donor["kdf"].clone();
    write_key_json(&path, &spliced);
    assert!(matches!(Vault::open(&path, &passphrase()), Err(Error::WrongPassphrase)));

    // Another page size: bound into both slots, so the key file opens nothing and the database is
    // never read with the wrong size.
    let mut resized = original.clone();
    resized["page_size"] = serde_json::json!(4096);
    write_key_json(&path, &resized);
    assert!(matches!(Vault::open(&path, &passphrase()), Err(Error::WrongPassphrase)));

    write_key_json(&path, &original);
    drop(Vault::open(&path, &passphrase()).expect("the untouched key file opens it"));
}

#[test]
fn a_truncated_wal_loses_only_the_cut_transactions_as_a_crash_would() {
    let dir = tempfile::tempdir().expect("dir");
    let (path, mut vault) = create(dir.path());
    let account = checking(&mut vault);
    vault.add_transaction(tx(&account, (2026, 11, 1), "-1.00", "First")).expect("tx");
    // A copy of the files as a crash would leave them: the vault and its WAL, mid-session.
    let wal = credence_core::files::beside(&path, "-wal");
    for n in 2..=20u32 {
        vault.add_transaction(tx(&account, (2026, 11, n), "-1.00", &format!("Later {n}"))).expect("tx");
    }
    let crashed = dir.path().join("crashed");
    std::fs::create_dir(&crashed).expect("dir");
    let copy = crashed.join(path.file_name().expect("name"));
    for (from, to) in [(&path, copy.clone()), (&wal, credence_core::files::beside(&copy, "-wal"))] {
        std::fs::copy(from, &to).expect("copy");
    }
    std::fs::copy(credence_core::vault::key_file_path(&path), credence_core::vault::key_file_path(&copy))
        .expect("copy keys");
    drop(vault);
    let copied_wal = credence_core::files::beside(&copy, "-wal");
    let len = std::fs::metadata(&copied_wal).expect("wal").len();
    std::fs::OpenOptions::new().write(true).open(&copied_wal).expect("open").set_len(len / 2).expect("truncate");
    let vault = Vault::open(&copy, &passphrase()).expect("opens: a cut WAL is a crash, not damage");
    assert!(vault.integrity().expect("integrity").is_ok());
    let kept = vault.transactions(&credence_core::TransactionFilter::default()).expect("list").len();
    assert!(kept < 20, "the cut transactions are gone ({kept} kept)");
}
