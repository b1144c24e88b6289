//! Sync against a real sync server (credence-server on a loopback port, its embedded store in a
//! temporary folder): vaults on several "devices" (vault files) converge; the server holds no
//! plaintext; what a hostile server hands back is refused before anything of it is applied.

mod common;
// The server's own throwaway PostgreSQL cluster, shared rather than copied.
#[path = "../../server/tests/support/postgres.rs"]
#[allow(dead_code)]
mod postgres;

use std::path::{Path, PathBuf};

use credence_core::sync::{join, restore, Account, Joined, MemberRole, SyncReport, Unlock};
use credence_core::vault::KDF_FLOOR;
use credence_core::{CreateOptions, Error, TransactionEdit, TransactionFilter, Vault};
use credence_server::{App, Config, Running, SqliteStore};

use common::{checking, passphrase, tx};

const PASSWORD: &str = "account password 1";

struct Server {
    running: Running,
    data: tempfile::TempDir,
}

fn server() -> Server {
    let data = tempfile::tempdir().expect("dir");
    let path = data.path().to_path_buf();
    let running = Running::start(move || async move {
        Ok(App::new(SqliteStore::open(&path).map_err(std::io::Error::other)?, Config::default()).router())
    })
    .expect("server");
    Server { running, data }
}

impl Server {
    fn account(&self) -> Account<'_> {
        // Leaked once per test: the account borrows its server address for the test's length.
        let url: &'static str = Box::leak(self.running.url().into_boxed_str());
        Account { server: url, user: "ada", password: PASSWORD, otp: None }
    }

    /// Another account on the same server.
    fn account_of<'a>(&'a self, user: &'a str, password: &'a str) -> Account<'a> {
        Account { user, password, ..self.account() }
    }

    /// The server's SQLite file, to look into (or tamper with) as a hostile operator would.
    fn database(&self) -> PathBuf {
        self.data.path().join(credence_server::store::sqlite::FILE_NAME)
    }
}

fn new_vault(dir: &Path, name: &str) -> Vault {
    Vault::create_with(&dir.join(name), &passphrase(), CreateOptions { kdf: KDF_FLOOR }).expect("create").0
}

/// Everything a person sees, in a form two vaults can be compared by.
fn contents(vault: &Vault) -> Vec<String> {
    let mut out: Vec<String> =
        vault.accounts().expect("accounts").iter().map(|a| format!("account {} {}", a.name, a.id)).collect();
    out.extend(vault.categories().expect("categories").iter().map(|c| format!("category {} {}", c.name, c.id)));
    out.extend(
        vault
            .transactions(&TransactionFilter::default())
            .expect("transactions")
            .iter()
            .map(|t| format!("tx {} {} {} {} {} {:?}", t.id, t.date, t.amount, t.payee, t.memo, t.category_id)),
    );
    out.sort();
    out
}

fn sync(vault: &mut Vault) -> SyncReport {
    vault.sync_now(&mut |_| {}).expect("sync")
}

/// A laptop vault set up by `fill`, registered on `server`, and a phone that joined it.
fn laptop_and_phone<T>(server: &Server, dir: &Path, fill: impl FnOnce(&mut Vault) -> T) -> (Vault, Vault, T) {
    let mut laptop = new_vault(dir, "laptop.vault");
    let filled = fill(&mut laptop);
    laptop.sync_register(&server.account()).expect("register");
    let phone =
        join(&dir.join("phone.vault"), &server.account(), None, Unlock::Passphrase(&passphrase())).expect("join").vault;
    (laptop, phone, filled)
}

/// An account with one transaction; the transaction.
fn one_transaction(vault: &mut Vault, payee: &str) -> credence_core::Transaction {
    let account = checking(vault);
    vault.add_transaction(tx(&account, (2026, 11, 2), "-3.00", payee)).expect("tx")
}

#[test]
fn a_second_device_joins_and_both_converge_after_edits_on_each() {
    let server = server();
    let dir = tempfile::tempdir().expect("dir");
    let mut laptop = new_vault(dir.path(), "laptop.vault");
    let account = checking(&mut laptop);
    laptop.add_transaction(tx(&account, (2026, 11, 2), "-12.50", "Corner Cafe")).expect("tx");
    let rent = laptop.add_transaction(tx(&account, (2026, 11, 1), "-1400.00", "Rent")).expect("tx");
    let report = laptop.sync_register(&server.account()).expect("register");
    assert!(report.pushed >= 3, "the vault's history went up: {report:?}");

    let Joined { vault: mut phone, report: joined, .. } =
        join(&dir.path().join("phone.vault"), &server.account(), None, Unlock::Passphrase(&passphrase()))
            .expect("join");
    assert_eq!(contents(&phone), contents(&laptop), "the new device holds the same vault");
    assert!(joined.pulled >= 3);
    assert_eq!(phone.vault_id(), laptop.vault_id());
    assert_ne!(phone.sync_status().expect("status").device, laptop.sync_status().expect("status").device);

    // Edits on both sides, different fields of the same row and rows of their own.
    phone
        .edit_transaction(&rent.id, TransactionEdit { memo: Some("November".into()), ..Default::default() })
        .expect("edit");
    laptop
        .edit_transaction(&rent.id, TransactionEdit { payee: Some("Landlord".into()), ..Default::default() })
        .expect("edit");
    phone.add_transaction(tx(&account, (2026, 11, 3), "-4.20", "Bakery")).expect("tx");
    sync(&mut phone);
    sync(&mut laptop);
    sync(&mut phone);
    assert_eq!(contents(&phone), contents(&laptop));
    let rent_now = laptop.transaction(&rent.id).expect("rent");
    assert_eq!((rent_now.payee.as_str(), rent_now.memo.as_str()), ("Landlord", "November"), "both edits kept");
    assert_eq!(phone.sync_status().expect("status").pending, 0);
}

#[test]
fn the_same_field_edited_on_two_devices_keeps_the_later_write_and_lists_the_other() {
    let server = server();
    let dir = tempfile::tempdir().expect("dir");
    let (mut laptop, mut phone, coffee) = laptop_and_phone(&server, dir.path(), |v| one_transaction(v, "COFFEE 123"));

    laptop
        .edit_transaction(&coffee.id, TransactionEdit { payee: Some("Coffee (laptop)".into()), ..Default::default() })
        .expect("edit");
    phone
        .edit_transaction(&coffee.id, TransactionEdit { payee: Some("Coffee (phone)".into()), ..Default::default() })
        .expect("edit");
    // The phone's edit is the later one: it wins on both, whichever syncs first.
    sync(&mut laptop);
    sync(&mut phone);
    sync(&mut laptop);
    assert_eq!(laptop.transaction(&coffee.id).expect("tx").payee, "Coffee (phone)");
    assert_eq!(contents(&phone), contents(&laptop));
    let conflicts = phone.sync_conflicts(10).expect("conflicts");
    assert_eq!(conflicts.len(), 1, "{conflicts:?}");
    assert_eq!(conflicts[0].field.as_deref(), Some("payee"));
    assert_eq!(conflicts[0].lost.as_deref(), Some("\"Coffee (laptop)\""));
    assert_eq!(conflicts[0].kept.as_deref(), Some("\"Coffee (phone)\""));
}

#[test]
fn a_deletion_wins_over_an_edit_made_elsewhere_meanwhile() {
    let server = server();
    let dir = tempfile::tempdir().expect("dir");
    let (mut laptop, mut phone, gone) = laptop_and_phone(&server, dir.path(), |v| one_transaction(v, "Streaming"));
    phone
        .edit_transaction(&gone.id, TransactionEdit { memo: Some("cancel it".into()), ..Default::default() })
        .expect("edit");
    laptop.delete_transaction(&gone.id).expect("delete");
    sync(&mut phone);
    sync(&mut laptop);
    sync(&mut phone);
    assert!(laptop.transaction(&gone.id).is_err() && phone.transaction(&gone.id).is_err(), "gone on both");
    assert_eq!(contents(&phone), contents(&laptop));
}

#[test]
fn the_servers_storage_holds_no_payee_amount_or_passphrase() {
    let server = server();
    let dir = tempfile::tempdir().expect("dir");
    let mut laptop = new_vault(dir.path(), "laptop.vault");
    let account = checking(&mut laptop);
    laptop.add_transaction(tx(&account, (2026, 11, 2), "-4242.42", "CANARYPAYEE7F3A")).expect("tx");
    laptop.sync_register(&server.account()).expect("register");
    laptop.sync_snapshot().expect("snapshot").expect("taken");
    let mut bytes = Vec::new();
    for entry in std::fs::read_dir(server.data.path()).expect("ls").flatten() {
        bytes.extend(std::fs::read(entry.path()).expect("read"));
    }
    assert!(bytes.len() > 10_000, "the store was written");
    for canary in ["CANARYPAYEE7F3A", "4242.42", "424242", common::PASS, PASSWORD, "Checking"] {
        assert!(!holds(&bytes, canary), "{canary} is on the server in the clear");
    }
}

/// Whether `bytes` hold `canary` as text, or as the hex a database dump writes binary columns in.
fn holds(bytes: &[u8], canary: &str) -> bool {
    let hex = data_encoding::HEXLOWER.encode(canary.as_bytes());
    [canary.as_bytes(), hex.as_bytes()].iter().any(|needle| bytes.windows(needle.len()).any(|w| w == *needle))
}

#[test]
fn a_postgresql_servers_dump_holds_no_payee_amount_or_passphrase() {
    let cluster = postgres::TestPostgres::start();
    let url = cluster.fresh_database();
    let connect = url.clone();
    let running = Running::start(move || async move {
        let store = credence_server::PostgresStore::connect(&connect, 4).await.map_err(std::io::Error::other)?;
        Ok(App::new(store, Config::default()).router())
    })
    .expect("server on PostgreSQL");
    let server_url = running.url();
    let account = Account { server: &server_url, user: "ada", password: PASSWORD, otp: None };
    let dir = tempfile::tempdir().expect("dir");
    let mut laptop = new_vault(dir.path(), "laptop.vault");
    let checking = checking(&mut laptop);
    laptop.add_transaction(tx(&checking, (2026, 11, 2), "-4242.42", "CANARYPAYEE7F3A")).expect("tx");
    laptop.sync_register(&account).expect("register");
    laptop.sync_snapshot().expect("snapshot").expect("taken");
    let dump = cluster.dump(&url);
    assert!(holds(&dump, "vault_epochs") && dump.len() > 10_000, "the dump has the schema and the data");
    for canary in ["CANARYPAYEE7F3A", "4242.42", "424242", common::PASS, PASSWORD, "Checking"] {
        assert!(!holds(&dump, canary), "{canary} is in pg_dump's output, as text or hex");
    }
    drop(running);
}

/// Opens the server's store as its operator could, and runs `sql`.
fn tamper(server: &Server, sql: &str) {
    let conn = rusqlite::Connection::open(server.database()).expect("open the server's store");
    conn.execute_batch(sql).expect("tamper");
}

/// A laptop and a phone in step, then three transactions on the laptop that the phone has not pulled.
fn joined_pair(server: &Server, dir: &Path) -> (Vault, Vault) {
    let (mut laptop, phone, account) = laptop_and_phone(server, dir, checking);
    for (i, payee) in ["One", "Two", "Three"].iter().enumerate() {
        laptop.add_transaction(tx(&account, (2026, 11, 1 + i as u32), "-1.00", payee)).expect("tx");
    }
    sync(&mut laptop);
    (laptop, phone)
}

#[test]
fn changed_cut_replayed_and_reordered_records_are_refused_and_nothing_of_them_is_applied() {
    let cases = [
        ("changed", "UPDATE records SET data = CAST(substr(data, 1, 40) || CASE WHEN substr(data, 41, 1) = x'00' THEN x'01' ELSE x'00' END || substr(data, 42) AS BLOB) WHERE arrival = (SELECT max(arrival) FROM records)"),
        ("cut", "DELETE FROM records WHERE arrival = (SELECT max(arrival) - 1 FROM records)"),
        ("replayed", "UPDATE records SET data = (SELECT data FROM records WHERE arrival = (SELECT max(arrival) - 1 FROM records)) WHERE arrival = (SELECT max(arrival) FROM records)"),
        ("reordered", "UPDATE records SET seq = -seq WHERE arrival >= (SELECT max(arrival) - 1 FROM records);
                       UPDATE records SET seq = CASE WHEN arrival = (SELECT max(arrival) FROM records) THEN -seq - 1 ELSE -seq + 1 END WHERE seq < 0"),
    ];
    for (what, sql) in cases {
        let server = server();
        let dir = tempfile::tempdir().expect("dir");
        let (_laptop, mut phone) = joined_pair(&server, dir.path());
        let before = contents(&phone);
        tamper(&server, sql);
        match phone.sync_now(&mut |_| {}) {
            Err(Error::SyncRefused(why)) => assert!(!why.is_empty(), "{what}"),
            other => panic!("{what}: expected a refusal, got {other:?}"),
        }
        let after = contents(&phone);
        let applied = after.len() - before.len();
        assert!(applied < 3, "{what}: the refused record and everything after it stayed out ({applied} applied)");
        assert!(
            matches!(phone.sync_now(&mut |_| {}), Err(Error::SyncRefused(_))),
            "{what}: refused again, not skipped"
        );
    }
}

#[test]
fn a_device_whose_key_does_not_open_the_servers_check_uploads_nothing() {
    let server = server();
    let dir = tempfile::tempdir().expect("dir");
    let mut laptop = new_vault(dir.path(), "laptop.vault");
    checking(&mut laptop);
    laptop.sync_register(&server.account()).expect("register");
    let records_before: i64 = rusqlite::Connection::open(server.database())
        .expect("open")
        .query_row("SELECT count(*) FROM records", [], |r| r.get(0))
        .expect("count");
    // The server's check replaced by one sealed under another vault's key.
    let other = new_vault(dir.path(), "other.vault");
    let forged = credence_core::sync::record::seal(
        &other.sync_key(),
        &credence_core::sync::record::RecordId { vault: laptop.vault_id(), device: "key-check", seq: 0 },
        b"credence key check v1",
    )
    .expect("seal");
    let conn = rusqlite::Connection::open(server.database()).expect("open");
    conn.execute("UPDATE vaults SET key_check = ?1", [forged]).expect("forge");
    checking_two(&mut laptop);
    match laptop.sync_now(&mut |_| {}) {
        Err(Error::SyncRefused(why)) => assert!(why.contains("nothing was uploaded"), "{why}"),
        other => panic!("expected a refusal, got {other:?}"),
    }
    let records_after: i64 = conn.query_row("SELECT count(*) FROM records", [], |r| r.get(0)).expect("count");
    assert_eq!(records_after, records_before, "nothing went up");
    assert!(laptop.sync_status().expect("status").pending > 0, "the edit waits for a server it can trust");
}

fn checking_two(vault: &mut Vault) {
    vault
        .add_account(credence_core::NewAccount {
            name: "Savings".into(),
            kind: credence_core::AccountKind::Savings,
            currency: "USD".into(),
            credit_limit: None,
        })
        .expect("account");
}

#[test]
fn joining_with_a_wrong_passphrase_creates_nothing() {
    let server = server();
    let dir = tempfile::tempdir().expect("dir");
    let mut laptop = new_vault(dir.path(), "laptop.vault");
    laptop.sync_register(&server.account()).expect("register");
    let path = dir.path().join("phone.vault");
    let wrong = credence_core::Passphrase::new("not the vault passphrase at all");
    assert!(matches!(join(&path, &server.account(), None, Unlock::Passphrase(&wrong)), Err(Error::WrongPassphrase)));
    assert!(!path.exists(), "no vault file was made");
    let taken = dir.path().join("laptop.vault");
    assert!(
        matches!(
            join(&taken, &server.account(), None, Unlock::Passphrase(&passphrase())),
            Err(Error::AlreadyExists { .. })
        ),
        "a path already holding a vault is refused"
    );
}

/// A moment after everything written so far and before anything written next: waits (polling the
/// clock, not sleeping a guess) until the wall clock has moved past it.
fn moment_between() -> chrono::DateTime<chrono::Utc> {
    let at = chrono::Utc::now();
    while chrono::Utc::now().timestamp_millis() <= at.timestamp_millis() {
        std::hint::spin_loop();
    }
    at
}

/// The names of the files in `dir` that `keep` keeps.
fn names_in(dir: &Path, keep: impl Fn(&str) -> bool) -> Vec<String> {
    std::fs::read_dir(dir)
        .expect("ls")
        .flatten()
        .filter_map(|e| e.file_name().into_string().ok())
        .filter(|name| keep(name))
        .collect()
}

fn payees(vault: &Vault) -> Vec<String> {
    let mut out: Vec<String> =
        vault.transactions(&TransactionFilter::default()).expect("transactions").into_iter().map(|t| t.payee).collect();
    out.sort();
    out
}

#[test]
fn a_vault_is_restored_as_it_was_at_a_moment_from_the_records_and_from_a_snapshot() {
    let server = server();
    let dir = tempfile::tempdir().expect("dir");
    let (mut laptop, mut phone, first) = laptop_and_phone(&server, dir.path(), |v| one_transaction(v, "Grocer"));
    let at_first = moment_between();
    let contents_at_first = contents(&laptop);

    // After the first moment: an edit on the phone, a new row and a deletion on the laptop.
    phone
        .edit_transaction(&first.id, TransactionEdit { payee: Some("Greengrocer".into()), ..Default::default() })
        .expect("edit");
    let account = laptop.accounts().expect("accounts")[0].id.clone();
    let second = laptop.add_transaction(tx(&account, (2026, 11, 5), "-8.00", "Bookshop")).expect("tx");
    sync(&mut phone);
    sync(&mut laptop);
    let at_second = moment_between();
    let contents_at_second = contents(&laptop);
    laptop.delete_transaction(&second.id).expect("delete");
    sync(&mut laptop);

    // No snapshot yet: the first moment comes from the records alone.
    let copy = dir.path().join("restored-first.vault");
    let report = laptop.sync_restore(at_first, &copy).expect("restore");
    assert_eq!(report.snapshot, None);
    let restored = Vault::open(&copy, &passphrase()).expect("the copy opens with the vault's passphrase");
    assert_eq!(contents(&restored), contents_at_first, "the vault as it was at the first moment");
    assert_eq!(restored.sync_status().expect("status").server, None, "the copy does not sync");
    drop(restored);

    // A snapshot, then more changes: a moment after the snapshot starts from it.
    let snapshot = laptop.sync_snapshot().expect("snapshot").expect("taken");
    assert!(snapshot.bytes > 0 && snapshot.cursor > 0, "{snapshot:?}");
    phone.add_transaction(tx(&account, (2026, 11, 6), "-2.00", "Kiosk")).expect("tx");
    sync(&mut phone);
    let at_third = moment_between();
    let contents_at_third = contents(&phone);
    phone
        .edit_transaction(&first.id, TransactionEdit { payee: Some("Market".into()), ..Default::default() })
        .expect("edit");
    sync(&mut phone);

    let copy = dir.path().join("restored-third.vault");
    let report = laptop.sync_restore(at_third, &copy).expect("restore");
    assert_eq!(report.snapshot.as_deref(), Some(snapshot.id.as_str()), "started from the snapshot");
    let restored = Vault::open(&copy, &passphrase()).expect("open");
    assert_eq!(contents(&restored), contents_at_third);
    assert_eq!(payees(&restored), ["Greengrocer", "Kiosk"]);
    drop(restored);

    // A moment before the snapshot cannot start from it: the records alone rebuild it, on another
    // machine, with the account and the passphrase.
    let copy = dir.path().join("restored-second.vault");
    let report =
        restore(&copy, &server.account(), None, Unlock::Passphrase(&passphrase()), at_second).expect("restore");
    assert_eq!(report.snapshot, None);
    let restored = Vault::open(&copy, &passphrase()).expect("open");
    assert_eq!(contents(&restored), contents_at_second);
    assert_eq!(payees(&restored), ["Bookshop", "Greengrocer"]);

    // As a backup file (the app's way): restoring that backup gives the same vault.
    let backup = dir.path().join("as-it-was.backup");
    let report = laptop.sync_restore_backup(at_third, &backup).expect("restore as a backup");
    assert_eq!(report.path, backup);
    let from_backup = Vault::restore(&backup, &dir.path().join("from-backup.vault"), &passphrase()).expect("restore");
    assert_eq!(contents(&from_backup), contents_at_third);
    let staged = names_in(dir.path(), |name| name.contains(".restoring"));
    assert!(staged.is_empty(), "the staging vault was removed: {staged:?}");

    // The live vaults are untouched, and a path already taken is refused.
    sync(&mut laptop);
    assert_eq!(payees(&laptop), ["Kiosk", "Market"]);
    assert!(matches!(laptop.sync_restore(at_first, &copy), Err(Error::AlreadyExists { .. })));
}

#[test]
fn a_new_device_starts_from_the_newest_snapshot_and_all_three_converge() {
    let server = server();
    let dir = tempfile::tempdir().expect("dir");
    let (mut laptop, mut phone, first) = laptop_and_phone(&server, dir.path(), |v| one_transaction(v, "Grocer"));
    let account = laptop.accounts().expect("accounts")[0].id.clone();
    for day in 1..=20 {
        laptop.add_transaction(tx(&account, (2026, 10, day), "-1.00", &format!("Before {day}"))).expect("tx");
    }
    sync(&mut laptop);
    assert!(phone.sync_snapshot().expect("snapshot").is_some(), "the phone takes it, having pulled everything");
    // After the snapshot: the laptop edits and adds (its records come after the snapshot's cursor).
    laptop
        .edit_transaction(&first.id, TransactionEdit { memo: Some("weekly".into()), ..Default::default() })
        .expect("edit");
    laptop.add_transaction(tx(&account, (2026, 11, 9), "-3.00", "After")).expect("tx");
    sync(&mut laptop);

    let Joined { vault: mut desktop, report: joined, .. } =
        join(&dir.path().join("desktop.vault"), &server.account(), None, Unlock::Passphrase(&passphrase()))
            .expect("join");
    assert!(joined.pulled <= 3, "only the records after the snapshot were read: {joined:?}");
    assert_eq!(contents(&desktop), contents(&laptop));
    let ids: std::collections::BTreeSet<String> =
        [&laptop, &phone, &desktop].iter().map(|v| v.sync_status().expect("status").device).collect();
    assert_eq!(ids.len(), 3, "the new device has an id of its own");

    // All three keep editing and converge.
    desktop
        .edit_transaction(&first.id, TransactionEdit { payee: Some("Desk".into()), ..Default::default() })
        .expect("edit");
    phone.add_transaction(tx(&account, (2026, 11, 10), "-5.00", "Phone")).expect("tx");
    for _ in 0..2 {
        for vault in [&mut desktop, &mut phone, &mut laptop] {
            sync(vault);
        }
    }
    assert_eq!(contents(&desktop), contents(&laptop));
    assert_eq!(contents(&phone), contents(&laptop));
    assert_eq!(laptop.transaction(&first.id).expect("tx").payee, "Desk");
    assert_eq!(desktop.sync_status().expect("status").pending, 0);
}

#[test]
fn a_changed_snapshot_part_is_refused_and_nothing_is_created() {
    let server = server();
    let dir = tempfile::tempdir().expect("dir");
    let mut laptop = new_vault(dir.path(), "laptop.vault");
    one_transaction(&mut laptop, "Grocer");
    laptop.sync_register(&server.account()).expect("register");
    laptop.sync_snapshot().expect("snapshot").expect("taken");
    tamper(&server, "UPDATE snapshot_parts SET data = CAST(substr(data, 1, 40) || CASE WHEN substr(data, 41, 1) = x'00' THEN x'01' ELSE x'00' END || substr(data, 42) AS BLOB)");
    let path = dir.path().join("phone.vault");
    match join(&path, &server.account(), None, Unlock::Passphrase(&passphrase())) {
        Err(Error::SyncRefused(why)) => assert!(why.contains("snapshot"), "{why}"),
        other => panic!("expected a refusal, got {:?}", other.map(|joined| joined.report)),
    }
    assert!(!path.exists(), "no vault file was made");
    let leftovers = names_in(dir.path(), |name| !name.starts_with("laptop.vault"));
    assert!(leftovers.is_empty(), "nothing of the refused join stays: {leftovers:?}");
}

#[test]
fn a_snapshot_is_due_when_none_is_newer_than_a_week_and_records_arrived_since() {
    let server = server();
    let dir = tempfile::tempdir().expect("dir");
    let mut laptop = new_vault(dir.path(), "laptop.vault");
    one_transaction(&mut laptop, "Grocer");
    laptop.sync_register(&server.account()).expect("register");
    let now = chrono::Utc::now();
    assert!(laptop.sync_snapshot_if_due(now).expect("due?").is_some(), "none yet");
    assert!(laptop.sync_snapshot_if_due(now).expect("due?").is_none(), "one was just taken");
    let in_eight_days = now + chrono::TimeDelta::days(8);
    assert!(laptop.sync_snapshot_if_due(in_eight_days).expect("due?").is_none(), "nothing arrived since");
    let account = laptop.accounts().expect("accounts")[0].id.clone();
    laptop.add_transaction(tx(&account, (2026, 11, 3), "-2.00", "Baker")).expect("tx");
    sync(&mut laptop);
    assert!(laptop.sync_snapshot_if_due(now).expect("due?").is_none(), "the last is less than a week old");
    assert!(laptop.sync_snapshot_if_due(in_eight_days).expect("due?").is_some());
    assert_eq!(laptop.sync_snapshots().expect("list").len(), 2);
}

#[test]
fn a_shared_vault_reaches_an_editor_and_a_viewer_under_their_own_passphrases_and_the_viewer_only_reads() {
    let server = server();
    let dir = tempfile::tempdir().expect("dir");
    let mut alice = new_vault(dir.path(), "alice.vault");
    let first = one_transaction(&mut alice, "Grocer");
    alice.sync_register(&server.account()).expect("register");
    // Bob and Carol have accounts of their own (each with a vault of its own).
    let (bob_account, carol_account) =
        (server.account_of("bob", "bob's password 1"), server.account_of("carol", "carol's password 1"));
    for (name, account) in [("bob-own.vault", &bob_account), ("carol-own.vault", &carol_account)] {
        new_vault(dir.path(), name).sync_register(account).expect("register");
    }

    let shared = alice.sync_share("Bob", MemberRole::Editor).expect("share with bob");
    assert_eq!((shared.user.as_str(), shared.role), ("bob", MemberRole::Editor));
    alice.sync_share("carol", MemberRole::Viewer).expect("share with carol");
    assert!(matches!(alice.sync_share("nobody", MemberRole::Viewer), Err(Error::Sync(_) | Error::Invalid(_))));

    // Bob joins with a passphrase of his own; his copy gets its own recovery key.
    let bobs_passphrase = credence_core::Passphrase::new("bob keeps his own long passphrase");
    let bob_path = dir.path().join("bob-shared.vault");
    let joined =
        join(&bob_path, &bob_account, Some(alice.vault_id()), Unlock::Passphrase(&bobs_passphrase)).expect("bob joins");
    let (mut bob, bob_recovery) =
        (joined.vault, joined.recovery_key.expect("a member's copy has its own recovery key"));
    assert_eq!(contents(&bob), contents(&alice));
    let members = bob.sync_members().expect("members");
    let bob_seen_by_bob = members.iter().find(|m| m.you).expect("bob is listed");
    assert_eq!(bob_seen_by_bob.fingerprint, shared.fingerprint, "the fingerprint alice saw is bob's own");
    let roles: Vec<(String, MemberRole)> = members.iter().map(|m| (m.user.clone(), m.role)).collect();
    assert_eq!(
        roles,
        [("ada".into(), MemberRole::Owner), ("bob".into(), MemberRole::Editor), ("carol".into(), MemberRole::Viewer)]
    );

    // An editor writes, and the owner receives it.
    bob.edit_transaction(&first.id, TransactionEdit { memo: Some("from bob".into()), ..Default::default() })
        .expect("edit");
    assert!(sync(&mut bob).pushed > 0);
    sync(&mut alice);
    assert_eq!(alice.transaction(&first.id).expect("tx").memo, "from bob");

    // A viewer reads; what it changes stays on its device, and nothing of it reaches the others.
    let carols_passphrase = credence_core::Passphrase::new("carol keeps her own long passphrase");
    let mut carol = join(
        &dir.path().join("carol-shared.vault"),
        &carol_account,
        Some(alice.vault_id()),
        Unlock::Passphrase(&carols_passphrase),
    )
    .expect("carol joins")
    .vault;
    assert_eq!(contents(&carol), contents(&alice));
    assert_eq!(carol.sync_status().expect("status").role.as_deref(), Some("viewer"));
    carol
        .edit_transaction(&first.id, TransactionEdit { payee: Some("Carol's idea".into()), ..Default::default() })
        .expect("a local edit");
    let report = sync(&mut carol);
    assert_eq!(report.pushed, 0, "a viewer uploads nothing");
    assert!(carol.sync_status().expect("status").pending > 0, "its change waits here");
    alice
        .edit_transaction(&first.id, TransactionEdit { memo: Some("from alice".into()), ..Default::default() })
        .expect("edit");
    sync(&mut alice);
    sync(&mut carol);
    assert_eq!(carol.transaction(&first.id).expect("tx").memo, "from alice", "but reads the others'");
    sync(&mut bob);
    assert_eq!(bob.transaction(&first.id).expect("tx").payee, "Grocer", "the viewer's edit reached no one");

    // Each copy opens with its member's own secrets, not the owner's.
    drop(bob);
    assert!(matches!(Vault::open(&bob_path, &passphrase()), Err(Error::WrongPassphrase)));
    drop(Vault::open_with_recovery_key(&bob_path, &bob_recovery).expect("bob's recovery key opens bob's copy"));

    // Removed, a member's devices are refused from then on, and what is written next is sealed under a
    // new generation of the vault's key, which her copy never had.
    alice.sync_unshare("carol").expect("unshare");
    assert!(carol.sync_now(&mut |_| {}).is_err(), "carol's device no longer reaches the vault");
    assert_eq!(alice.sync_members().expect("members").len(), 2);
    let account = alice.accounts().expect("accounts")[0].id.clone();
    alice.add_transaction(tx(&account, (2026, 11, 9), "-7.00", "After Carol")).expect("tx");
    sync(&mut alice);
    let conn = rusqlite::Connection::open(server.database()).expect("open the server's store");
    let (seq, device, newest): (i64, String, Vec<u8>) = conn
        .query_row("SELECT seq, device, data FROM records ORDER BY arrival DESC LIMIT 1", [], |r| {
            Ok((r.get(0)?, r.get(1)?, r.get(2)?))
        })
        .expect("the newest record");
    assert_eq!(credence_core::sync::record::epoch_of(&newest), Some(1), "sealed under the second generation");
    let id = credence_core::sync::record::RecordId { vault: alice.vault_id(), device: &device, seq: seq as u64 };
    assert!(
        credence_core::sync::record::open(&alice.sync_key(), &id, &newest).is_err(),
        "the first generation's key (all Carol ever had) does not open it"
    );
    // Those who stay read on: Bob's copy learns the new generation from the grant sealed for him, and
    // a new device of Alice's from hers.
    let mut bob = Vault::open(&bob_path, &bobs_passphrase).expect("open bob's copy");
    // A server that hands Bob a new generation sealed by anyone but the owner Bob's copy pinned (here
    // Carol, whose key the server knows) is refused, and nothing is sealed under it.
    let bobs_grant = "user_id = (SELECT id FROM users WHERE name = 'bob') AND epoch = 1";
    tamper(
        &server,
        &format!("UPDATE grants SET from_id = (SELECT id FROM users WHERE name = 'carol') WHERE {bobs_grant}"),
    );
    match bob.sync_now(&mut |_| {}) {
        Err(Error::SyncRefused(why)) => assert!(why.contains("not its owner's"), "{why}"),
        other => panic!("expected a refusal, got {other:?}"),
    }
    tamper(
        &server,
        &format!("UPDATE grants SET from_id = (SELECT id FROM users WHERE name = 'ada') WHERE {bobs_grant}"),
    );
    sync(&mut bob);
    assert!(bob.transactions(&TransactionFilter::default()).expect("list").iter().any(|t| t.payee == "After Carol"));
    bob.edit_transaction(&first.id, TransactionEdit { memo: Some("bob again".into()), ..Default::default() })
        .expect("edit");
    sync(&mut bob);
    alice.sync_snapshot().expect("snapshot").expect("taken under the new generation");
    let tablet = join(
        &dir.path().join("tablet.vault"),
        &server.account(),
        Some(alice.vault_id()),
        Unlock::Passphrase(&passphrase()),
    )
    .expect("another device of alice's")
    .vault;
    sync(&mut alice);
    assert_eq!(contents(&tablet), contents(&alice));
    assert_eq!(alice.transaction(&first.id).expect("tx").memo, "bob again");
}

#[test]
fn a_password_change_keeps_the_accounts_key_pair_and_a_deleted_account_takes_its_vaults_with_it() {
    const NEW_PASSWORD: &str = "a new account password";
    let server = server();
    let dir = tempfile::tempdir().expect("dir");
    let (mut laptop, mut phone, _) = laptop_and_phone(&server, dir.path(), |v| one_transaction(v, "Grocer"));
    let bob_account = server.account_of("bob", "bob's password 1");
    new_vault(dir.path(), "bob-own.vault").sync_register(&bob_account).expect("bob registers");
    let fingerprint_before = laptop.sync_members().expect("members")[0].fingerprint.clone();

    match laptop.sync_change_password("not the password", NEW_PASSWORD) {
        Err(Error::Sync(why)) => assert!(why.contains("not this account's password"), "{why}"),
        other => panic!("expected a refusal, got {other:?}"),
    }
    assert!(matches!(laptop.sync_change_password(PASSWORD, "short"), Err(Error::Invalid(_))));
    laptop.sync_change_password(PASSWORD, NEW_PASSWORD).expect("change");
    let account = laptop.accounts().expect("accounts")[0].id.clone();
    laptop.add_transaction(tx(&account, (2026, 11, 9), "-7.00", "After the change")).expect("tx");
    sync(&mut laptop);

    // The phone's session ended with the change; the old password no longer logs in, the new one does.
    match phone.sync_now(&mut |_| {}) {
        Err(Error::Sync(why)) => {
            assert!(why.contains("session has ended") && why.contains("Settings → Sync → Sign in again"), "{why}")
        }
        other => panic!("expected the session to have ended, got {other:?}"),
    }
    assert!(phone.sync_login(&server.account()).is_err(), "the old password is gone");
    let renewed = Account { password: NEW_PASSWORD, ..server.account() };
    phone.sync_login(&renewed).expect("the new password logs in");
    sync(&mut phone);
    assert_eq!(contents(&phone), contents(&laptop));

    // The key pair the server keeps opens under the new password (a new device's sign-in opens it), and
    // it is the same pair: its fingerprint is unchanged, and a vault shared after the change reaches Bob.
    let tablet = join(&dir.path().join("tablet.vault"), &renewed, None, Unlock::Passphrase(&passphrase()))
        .expect("a new device signs in with the new password")
        .vault;
    assert_eq!(contents(&tablet), contents(&laptop));
    assert_eq!(tablet.sync_members().expect("members")[0].fingerprint, fingerprint_before);
    laptop.sync_share("bob", MemberRole::Viewer).expect("share");
    let bobs_passphrase = credence_core::Passphrase::new("bob keeps his own long passphrase");
    let bob_path = dir.path().join("bob-shared.vault");
    let mut bob = join(&bob_path, &bob_account, Some(laptop.vault_id()), Unlock::Passphrase(&bobs_passphrase))
        .expect("bob joins")
        .vault;
    assert_eq!(contents(&bob), contents(&laptop));

    // Deleting asks for the account's name and its password; then the account, its vault (records,
    // key file) and Bob's membership are gone from the server, and the laptop keeps its contents.
    assert!(matches!(laptop.sync_delete_account("bob", NEW_PASSWORD), Err(Error::Invalid(_))));
    assert!(laptop.sync_delete_account("ada", PASSWORD).is_err(), "the old password deletes nothing");
    let kept = contents(&laptop);
    laptop.sync_delete_account(" Ada ", NEW_PASSWORD).expect("delete");
    assert_eq!(laptop.sync_status().expect("status").server, None, "sync is off here");
    assert_eq!(contents(&laptop), kept, "the vault's contents stay");
    assert!(phone.sync_now(&mut |_| {}).is_err(), "the account's other devices are refused");
    assert!(bob.sync_now(&mut |_| {}).is_err(), "the vault is gone for its members too");
    let conn = rusqlite::Connection::open(server.database()).expect("open the server's store");
    let count = |sql: &str| conn.query_row(sql, [], |r| r.get::<_, i64>(0)).expect("count");
    assert_eq!(count("SELECT count(*) FROM vaults"), 1, "only bob's own vault is left");
    assert_eq!(count("SELECT count(*) FROM users WHERE name = 'ada'"), 0);
    assert_eq!(count("SELECT count(*) FROM records WHERE vault_id != (SELECT id FROM vaults)"), 0);
    assert!(
        join(&dir.path().join("again.vault"), &renewed, None, Unlock::Passphrase(&passphrase())).is_err(),
        "the account no longer logs in"
    );
    assert!(!dir.path().join("again.vault").exists(), "and nothing was created");
}

/// An edit made after a transaction's deletion, on a device that had not heard of it, stands on the row
/// the deletion's undo brings back — on every device, whether the edit reached it before the deletion,
/// while the row was gone, or after the undo; and of two devices' undos of its deletion, the newer
/// one's row stands (found by the long convergence run, seeds 396 and 698).
#[test]
fn an_edit_newer_than_a_deletion_stands_on_the_row_its_undo_brings_back_whatever_arrives_first() {
    let server = server();
    let dir = tempfile::tempdir().expect("dir");
    let (mut laptop, mut phone, grocer) = laptop_and_phone(&server, dir.path(), |v| one_transaction(v, "Grocer"));
    let mut tablet = join(&dir.path().join("tablet.vault"), &server.account(), None, Unlock::Passphrase(&passphrase()))
        .expect("join")
        .vault;
    let edit = |vault: &mut Vault, payee: &str| {
        moment_between();
        vault
            .edit_transaction(&grocer.id, TransactionEdit { payee: Some(payee.into()), ..Default::default() })
            .expect("edit");
    };
    let everywhere = |devices: [&Vault; 3], payee: &str| {
        for (d, vault) in devices.iter().enumerate() {
            assert_eq!(vault.transaction(&grocer.id).expect("tx").payee, payee, "device {d}");
        }
    };

    // The edit reaches the phone before the deletion and its undo, the laptop after them.
    laptop.delete_transaction(&grocer.id).expect("delete");
    laptop.undo().expect("undo");
    edit(&mut tablet, "Edited once");
    sync(&mut tablet);
    sync(&mut phone);
    sync(&mut laptop);
    sync(&mut phone);
    sync(&mut tablet);
    everywhere([&laptop, &phone, &tablet], "Edited once");

    // The edit reaches the phone while the row is gone there (after the deletion, before its undo).
    laptop.delete_transaction(&grocer.id).expect("delete");
    sync(&mut laptop);
    laptop.undo().expect("undo");
    edit(&mut tablet, "Edited twice");
    sync(&mut tablet);
    sync(&mut phone);
    assert!(phone.transaction(&grocer.id).is_err(), "the phone has the deletion and the edit, not the undo");
    sync(&mut laptop);
    sync(&mut phone);
    sync(&mut tablet);
    everywhere([&laptop, &phone, &tablet], "Edited twice");

    // Two devices delete the row and undo it, one of them before an older edit reached it: the newer
    // undo's row stands everywhere (the long run's seed 698).
    edit(&mut phone, "Edited thrice");
    sync(&mut phone);
    sync(&mut laptop);
    let step = |vault: &mut Vault, undo: bool| {
        moment_between();
        match undo {
            false => drop(vault.delete_transaction(&grocer.id).expect("delete")),
            true => drop(vault.undo().expect("undo")),
        }
    };
    step(&mut laptop, false);
    step(&mut tablet, false);
    step(&mut tablet, true);
    step(&mut laptop, true);
    sync(&mut tablet);
    sync(&mut laptop);
    sync(&mut phone);
    sync(&mut tablet);
    sync(&mut laptop);
    everywhere([&laptop, &phone, &tablet], "Edited thrice");
    assert_eq!(contents(&phone), contents(&laptop));
    assert_eq!(contents(&tablet), contents(&laptop));
}
