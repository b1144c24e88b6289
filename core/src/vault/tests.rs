use super::*;

pub(crate) const PASS: &str = "correct horse battery staple";

/// A new vault at the floor KDF cost (fast enough for unit tests, still a real Argon2id).
pub(crate) fn new_vault() -> (tempfile::TempDir, PathBuf, Vault) {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join("test.vault");
    let (vault, _) =
        Vault::create_with(&path, &Passphrase::new(PASS), CreateOptions { kdf: KDF_FLOOR }).expect("create");
    (dir, path, vault)
}

fn add_account(vault: &mut Vault, name: &str) -> crate::Account {
    let kind = crate::AccountKind::Checking;
    let new = crate::NewAccount { name: name.into(), kind, currency: "USD".into(), credit_limit: None };
    vault.add_account(new).expect("account")
}

#[test]
fn create_then_open_round_trips_and_seeds_categories() {
    let (_dir, path, vault) = new_vault();
    let id = vault.vault_id().to_string();
    assert!(vault.categories().expect("categories").iter().any(|c| c.path == "Food:Groceries"));
    drop(vault);
    let vault = Vault::open(&path, &Passphrase::new(PASS)).expect("open");
    assert_eq!(vault.vault_id(), id);
    assert_eq!(vault.schema_version().expect("version"), LATEST_VERSION);
    assert!(vault.integrity().expect("integrity").is_ok());
}

#[test]
fn create_refuses_to_overwrite() {
    let (_dir, path, vault) = new_vault();
    drop(vault);
    let err = Vault::create_with(&path, &Passphrase::new(PASS), CreateOptions { kdf: KDF_FLOOR }).expect_err("exists");
    assert!(matches!(err, Error::AlreadyExists { .. }), "{err}");
}

#[test]
fn open_never_creates() {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join("missing.vault");
    let err = Vault::open(&path, &Passphrase::new(PASS)).expect_err("missing");
    assert!(matches!(err, Error::VaultNotFound(_)));
    assert_eq!(std::fs::read_dir(dir.path()).expect("ls").count(), 0);
}

#[test]
fn passphrase_change_keeps_data_and_recovery_key_sets_a_new_one() {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join("v.vault");
    let (mut vault, recovery) =
        Vault::create_with(&path, &Passphrase::new(PASS), CreateOptions { kdf: KDF_FLOOR }).expect("create");
    let db_before = std::fs::read(&path).expect("read");
    vault.change_passphrase(&Passphrase::new("second passphrase")).expect("change");
    drop(vault);
    assert_eq!(std::fs::read(&path).expect("read"), db_before, "the database is not re-encrypted");
    assert!(matches!(Vault::open(&path, &Passphrase::new(PASS)), Err(Error::WrongPassphrase)));
    drop(Vault::open(&path, &Passphrase::new("second passphrase")).expect("new passphrase opens"));

    let words = recovery.dangerously_to_words();
    let recovered =
        Vault::recover(&path, &RecoveryKey::parse(&words).expect("parse"), &Passphrase::new("third passphrase"))
            .expect("recover");
    drop(recovered);
    drop(Vault::open(&path, &Passphrase::new("third passphrase")).expect("opens after recovery"));
    assert!(matches!(Vault::open_with_recovery_key(&path, &RecoveryKey::generate()), Err(Error::WrongRecoveryKey)));
}

#[test]
fn backup_and_restore_carry_the_key_file() {
    let (dir, path, mut vault) = new_vault();
    add_account(&mut vault, "Checking");
    let backup = dir.path().join("backup.credence-backup");
    vault.backup(&backup).expect("backup");
    add_account(&mut vault, "Later");
    drop(vault);

    assert!(matches!(
        Vault::restore(&backup, &path, &Passphrase::new("wrong passphrase")),
        Err(Error::WrongPassphrase)
    ));
    let restored = Vault::restore(&backup, &path, &Passphrase::new(PASS)).expect("restore");
    let names: Vec<String> = restored.accounts().expect("accounts").into_iter().map(|a| a.name).collect();
    assert_eq!(names, vec!["Checking"]);
    assert!(restored.integrity().expect("integrity").is_ok());
    let set_aside = std::fs::read_dir(dir.path())
        .expect("ls")
        .filter_map(|e| e.ok())
        .filter(|e| e.file_name().to_string_lossy().contains("before-restore"))
        .count();
    assert!(set_aside >= 2, "the replaced vault and key file are kept aside");
}

#[test]
fn restore_rejects_a_file_that_is_not_a_backup() {
    let (dir, path, vault) = new_vault();
    drop(vault);
    let junk = dir.path().join("junk");
    std::fs::write(&junk, b"hello").expect("write");
    assert!(matches!(Vault::restore(&junk, &path, &Passphrase::new(PASS)), Err(Error::NotABackup { .. })));
}

/// Fills a vault the way an older Credence would have: plain SQL using only the columns of schema 1
/// (later migrations only add), so it works on a vault at any version.
fn fill(vault: &mut Vault) -> Vec<(String, rust_decimal::Decimal)> {
    let account = uuid::Uuid::now_v7();
    vault
        .conn
        .execute(
            "INSERT INTO accounts (id, name, kind, currency) VALUES (?1, 'Checking', 'checking', 'USD')",
            [account],
        )
        .expect("account");
    for (i, amount) in [-1234i64, 250_000, -1].iter().enumerate() {
        vault
            .conn
            .execute(
                "INSERT INTO transactions (id, account_id, date, amount, payee) VALUES (?1, ?2, ?3, ?4, ?5)",
                rusqlite::params![
                    uuid::Uuid::now_v7(),
                    account,
                    format!("2024-01-0{}", i + 1),
                    amount,
                    format!("Payee {i}")
                ],
            )
            .expect("tx");
    }
    // Balances by plain SQL too: the API of this build may read tables an older schema lacks.
    let mut stmt = vault
        .conn
        .prepare("SELECT a.name, a.currency, sum(t.amount) FROM accounts a JOIN transactions t ON t.account_id = a.id GROUP BY a.id")
        .expect("balances");
    let rows = stmt
        .query_map([], |r| Ok((r.get::<_, String>(0)?, r.get::<_, String>(1)?, r.get::<_, i64>(2)?)))
        .expect("query");
    rows.map(|r| r.expect("row"))
        .map(|(name, currency, minor)| (name, crate::values::from_minor(minor, &currency)))
        .collect()
}

#[test]
fn a_vault_at_every_earlier_schema_version_upgrades_to_the_newest() {
    for version in 1..=LATEST_VERSION {
        let dir = tempfile::tempdir().expect("tempdir");
        let path = dir.path().join("old.vault");
        let (mut vault, _) =
            Vault::create_at_version(&path, &Passphrase::new(PASS), CreateOptions { kdf: KDF_FLOOR }, version)
                .expect("create old");
        assert_eq!(vault.schema_version().expect("version"), version);
        let balances = fill(&mut vault);
        drop(vault);
        let upgraded = Vault::open(&path, &Passphrase::new(PASS)).expect("open upgrades");
        assert_eq!(upgraded.schema_version().expect("version"), LATEST_VERSION);
        assert!(upgraded.integrity().expect("integrity").is_ok());
        let after: Vec<_> = upgraded.accounts().expect("accounts").into_iter().map(|a| (a.name, a.balance)).collect();
        assert_eq!(after, balances, "balances survive the upgrade from version {version}");
    }
}

#[test]
fn the_same_passphrase_typed_on_another_keyboard_opens_the_vault() {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join("v.vault");
    let composed = "caf\u{e9} cr\u{e8}me br\u{fb}l\u{e9}e fen\u{ea}tre";
    let decomposed = "cafe\u{301} cre\u{300}me bru\u{302}le\u{301}e fene\u{302}tre";
    drop(Vault::create_with(&path, &Passphrase::new(composed), CreateOptions { kdf: KDF_FLOOR }).expect("create"));
    drop(Vault::open(&path, &Passphrase::new(decomposed)).expect("the same passphrase, decomposed"));
}

#[test]
fn a_vault_sealed_before_passphrases_were_normalized_opens_and_is_sealed_again() {
    let (_dir, path, vault) = new_vault();
    // As an older Credence sealed it: the ligatures' bytes as typed, not normalized.
    let typed = "\u{fb01}nance \u{fb01}rst \u{fb02}oor twenty";
    let legacy = vault.key_file.rewrap_with_bytes(&vault.keys, typed.as_bytes(), KDF_FLOOR).expect("rewrap");
    legacy.write_atomically(&key_file_path(&path)).expect("write");
    drop(vault);
    assert!(
        matches!(Vault::open(&path, &Passphrase::new("finance first floor twenty")), Err(Error::WrongPassphrase)),
        "not yet normalized"
    );
    drop(Vault::open(&path, &Passphrase::new(typed)).expect("opens as typed"));
    drop(
        Vault::open(&path, &Passphrase::new("finance first floor twenty"))
            .expect("sealed again under the normalized form"),
    );
}

#[test]
fn a_vault_held_by_another_connection_is_in_use_not_damaged() {
    let (_dir, path, mut vault) = new_vault();
    add_account(&mut vault, "Everyday");
    // Another window holding the database exclusively, in the middle of a write.
    vault
        .conn
        .execute_batch("PRAGMA locking_mode = EXCLUSIVE; BEGIN IMMEDIATE; UPDATE accounts SET name = name;")
        .expect("hold it");
    let e = Vault::open(&path, &Passphrase::new(PASS)).expect_err("in use");
    assert!(matches!(e, Error::Unavailable(_)), "{e:?}");
    let said = e.to_string();
    assert!(
        said.contains("another Credence window or command is using it") && said.contains("nothing in it is lost"),
        "{said}"
    );
    assert!(!said.contains("restore"), "a held lock never suggests restoring a backup: {said}");
    vault.conn.execute_batch("ROLLBACK").expect("let go");
    drop(vault);
    drop(Vault::open(&path, &Passphrase::new(PASS)).expect("free again"));
}

#[test]
fn a_new_recovery_key_retires_the_old_one_and_keeps_the_passphrase() {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join("v.vault");
    let (mut vault, old) =
        Vault::create_with(&path, &Passphrase::new(PASS), CreateOptions { kdf: KDF_FLOOR }).expect("create");
    let new = vault.new_recovery_key().expect("new key");
    assert_ne!(new.dangerously_to_words().as_str(), old.dangerously_to_words().as_str());
    drop(vault);
    assert!(
        matches!(Vault::open_with_recovery_key(&path, &old), Err(Error::WrongRecoveryKey)),
        "the old key is retired"
    );
    drop(Vault::open_with_recovery_key(&path, &new).expect("the new key opens it"));
    drop(Vault::open(&path, &Passphrase::new(PASS)).expect("the passphrase is unchanged"));
}

fn names(vault: &Vault) -> Vec<String> {
    vault.accounts().expect("accounts").into_iter().map(|a| a.name).collect()
}

fn aside_files(dir: &Path, label: &str) -> Vec<PathBuf> {
    let mut found: Vec<_> = std::fs::read_dir(dir)
        .expect("ls")
        .filter_map(|e| e.ok())
        .map(|e| e.path())
        .filter(|p| p.to_string_lossy().contains(label))
        .collect();
    found.sort();
    found
}

/// Whether or not the restore's passphrase opens the vault it replaces (a backup from before a
/// passphrase change does not), that vault is kept complete: its last writes, still in the WAL of a
/// process that died without checkpointing, open with it.
#[test]
fn the_vault_a_restore_replaces_is_kept_whole_and_opens_on_its_own() {
    for passphrase_changed_since in [false, true] {
        let (dir, path, mut vault) = new_vault();
        add_account(&mut vault, "Checking");
        let backup = dir.path().join("b.backup");
        vault.backup(&backup).expect("backup");
        let current = if passphrase_changed_since { "a passphrase chosen later" } else { PASS };
        if passphrase_changed_since {
            vault.change_passphrase(&Passphrase::new(current)).expect("change");
        }
        add_account(&mut vault, "Only in the WAL");
        // The files as a kill -9 leaves them: the last write only in the WAL, never folded in.
        let crashed = dir.path().join("crashed.vault");
        for (from, to) in [(path.clone(), crashed.clone()), (key_file_path(&path), key_file_path(&crashed))] {
            std::fs::copy(from, to).expect("copy");
        }
        std::fs::copy(crate::files::beside(&path, "-wal"), crate::files::beside(&crashed, "-wal")).expect("the WAL");
        drop(vault);

        drop(Vault::restore(&backup, &crashed, &Passphrase::new(PASS)).expect("restore"));
        let kept = aside_files(dir.path(), "before-restore");
        let database = kept
            .iter()
            .find(|p| !p.to_string_lossy().ends_with(".keys") && !p.to_string_lossy().ends_with("-wal"))
            .expect("kept");
        let wal_kept = kept.iter().any(|p| p.to_string_lossy().ends_with("-wal"));
        assert_eq!(
            wal_kept, passphrase_changed_since,
            "the WAL is folded in where the passphrase opens the vault, else kept beside it: {kept:?}"
        );
        let old =
            Vault::open(database, &Passphrase::new(current)).expect("the replaced vault opens as a vault of its own");
        assert_eq!(names(&old), ["Checking", "Only in the WAL"]);
        assert!(old.integrity().expect("integrity").is_ok());
    }
}

#[test]
fn restore_and_rekey_wait_for_the_vault_to_be_closed_elsewhere() {
    let (dir, path, mut vault) = new_vault();
    let backup = dir.path().join("b.backup");
    vault.backup(&backup).expect("backup");
    let mut elsewhere = Vault::open(&path, &Passphrase::new(PASS)).expect("a second window");
    let e = Vault::restore(&backup, &path, &Passphrase::new(PASS)).expect_err("in use");
    assert!(
        matches!(e, Error::Unavailable(_)) && e.to_string().contains("is open in another Credence window or command"),
        "{e}"
    );
    let e = vault.rekey(&Passphrase::new(PASS)).expect_err("in use");
    assert!(e.to_string().contains("is open in another Credence window or command"), "{e}");
    add_account(&mut elsewhere, "Still writable");
    drop(elsewhere);
    assert_eq!(names(&vault), ["Still writable"], "a refused rekey leaves the vault open and working");
    vault.rekey(&Passphrase::new(PASS)).expect("alone now");
    drop(vault);
    drop(Vault::restore(&backup, &path, &Passphrase::new(PASS)).expect("closed everywhere"));
}

/// A restore killed after it decided to swap (its journal written) but before it finished: the next
/// open, whatever step it stopped at, finishes it, and never says there is no vault.
#[test]
fn the_next_open_finishes_a_restore_that_was_cut_short() {
    for moved_aside in [false, true] {
        let (dir, path, mut vault) = new_vault();
        add_account(&mut vault, "Before");
        drop(vault);
        let other = dir.path().join("other.vault");
        let (mut restored, _) =
            Vault::create_with(&other, &Passphrase::new("another passphrase here"), CreateOptions { kdf: KDF_FLOOR })
                .expect("other");
        add_account(&mut restored, "From the backup");
        drop(restored);
        std::fs::rename(&other, swap::incoming_database(&path)).expect("incoming database");
        std::fs::rename(key_file_path(&other), swap::incoming_key_file(&path)).expect("incoming key file");
        std::fs::write(crate::files::beside(&path, ".swap-journal"), "keep .before-restore-test\n").expect("journal");
        if moved_aside {
            std::fs::rename(&path, crate::files::beside(&path, ".before-restore-test")).expect("the first step");
        }
        let vault = Vault::open(&path, &Passphrase::new("another passphrase here")).expect("finished and opened");
        assert_eq!(names(&vault), ["From the backup"]);
        drop(vault);
        let old = Vault::open(&crate::files::beside(&path, ".before-restore-test"), &Passphrase::new(PASS))
            .expect("old kept");
        assert_eq!(names(&old), ["Before"]);
        assert!(aside_files(dir.path(), "journal").is_empty() && aside_files(dir.path(), "incoming").is_empty());
    }
}

#[test]
fn a_create_or_restore_that_died_before_deciding_leaves_nothing_in_the_way() {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join("v.vault");
    // What a run killed while building the new database leaves: an incoming pair, no journal.
    std::fs::write(swap::incoming_database(&path), b"half a database").expect("leftover");
    std::fs::write(swap::incoming_key_file(&path), b"{").expect("leftover");
    assert!(
        matches!(Vault::open(&path, &Passphrase::new(PASS)), Err(Error::VaultNotFound(_))),
        "no vault was ever put in place"
    );
    assert!(aside_files(dir.path(), "incoming").is_empty(), "the next open clears what was left");
    std::fs::write(swap::incoming_database(&path), b"half a database").expect("leftover");
    drop(
        Vault::create_with(&path, &Passphrase::new(PASS), CreateOptions { kdf: KDF_FLOOR })
            .expect("init is not blocked"),
    );
    assert!(aside_files(dir.path(), "incoming").is_empty());
}

#[test]
fn after_a_rekey_no_old_key_opens_the_vault_and_old_backups_still_restore() {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join("v.vault");
    let (mut vault, old_recovery) =
        Vault::create_with(&path, &Passphrase::new(PASS), CreateOptions { kdf: KDF_FLOOR }).expect("create");
    add_account(&mut vault, "Checking");
    let old_key_file = std::fs::read(key_file_path(&path)).expect("old key file");
    let old_database = std::fs::read(&path).expect("old database");
    let backup = dir.path().join("before.backup");
    vault.backup(&backup).expect("backup");

    assert!(matches!(vault.rekey(&Passphrase::new("not the passphrase")), Err(Error::WrongPassphrase)));
    let recovery = vault.rekey(&Passphrase::new(PASS)).expect("rekey");
    add_account(&mut vault, "After");
    assert_eq!(names(&vault), ["After", "Checking"], "the vault goes on working");
    drop(vault);

    assert_ne!(std::fs::read(&path).expect("db")[..4096], old_database[..4096], "every page is encrypted anew");
    assert!(aside_files(dir.path(), "before-rekey").is_empty(), "the old database is gone");
    assert!(matches!(Vault::open_with_recovery_key(&path, &old_recovery), Err(Error::WrongRecoveryKey)));
    let vault = Vault::open_with_recovery_key(&path, &recovery).expect("the new recovery key");
    assert!(vault.integrity().expect("integrity").is_ok());
    drop(vault);
    let current_key_file = std::fs::read(key_file_path(&path)).expect("key file");
    std::fs::write(key_file_path(&path), &old_key_file).expect("an old key file put back");
    let e = Vault::open(&path, &Passphrase::new(PASS)).expect_err("the old key does not decrypt the new database");
    assert!(matches!(e, Error::Damaged(_)), "{e}");
    std::fs::write(key_file_path(&path), &current_key_file).expect("back");

    let restored = Vault::restore(&backup, &path, &Passphrase::new(PASS)).expect("an old backup restores");
    assert_eq!(names(&restored), ["Checking"]);
}
