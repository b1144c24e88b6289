//! Sync against a real sync server (credence-server on a loopback port, its embedded store in a
//! temporary folder): vaults on several "devices" (vault files) converge; the server holds no
//! plaintext; what a hostile server hands back is refused before anything of it is applied.

mod common;

use std::path::{Path, PathBuf};

use credence_core::sync::{join, Account, SyncReport, Unlock};
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
    let (phone, _) =
        join(&dir.join("phone.vault"), &server.account(), None, Unlock::Passphrase(&passphrase())).expect("join");
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

    let (mut phone, joined) =
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
    let mut bytes = Vec::new();
    for entry in std::fs::read_dir(server.data.path()).expect("ls").flatten() {
        bytes.extend(std::fs::read(entry.path()).expect("read"));
    }
    assert!(bytes.len() > 10_000, "the store was written");
    for canary in ["CANARYPAYEE7F3A", "4242.42", "424242", common::PASS, PASSWORD, "Checking"] {
        assert!(!bytes.windows(canary.len()).any(|w| w == canary.as_bytes()), "{canary} is on the server in the clear");
    }
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
