//! Killed mid-sync (SIGKILL), 50 times each: the sync server during uploads, and the client during a
//! sync. Afterwards every row written is on every device exactly once: nothing lost, nothing twice, and
//! each device's series on the server has no gap. The test binary re-runs itself as the killed process
//! (the pattern of crash.rs).

mod common;

use std::collections::HashMap;
use std::io::{BufRead, BufReader};
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::time::Duration;

use common::{checking, create, passphrase, tx};
use credence_core::sync::{join, Account, Unlock};
use credence_core::{TransactionFilter, Vault};
use credence_server::{App, Config, Running, SqliteStore};
use rand::{Rng, SeedableRng};

const SERVER_CHILD_ENV: &str = "CREDENCE_SYNC_CRASH_SERVER";
const CLIENT_CHILD_ENV: &str = "CREDENCE_SYNC_CRASH_CLIENT";
const TRIALS: usize = 50;
const PASSWORD: &str = "account password 1";
/// Rows each round of writing adds: enough that an upload is under way when the kill comes.
const ROWS: usize = 300;

fn account(url: &str) -> Account<'_> {
    Account { server: url, user: "ada", password: PASSWORD, otp: None }
}

/// A child process, killed (and reaped) when dropped.
struct Killed(Child);

impl Drop for Killed {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

fn spawn_child(test: &str, env: &[(&str, &str)]) -> Child {
    let mut command = Command::new(std::env::current_exe().expect("test binary"));
    command.args(["--exact", test, "--nocapture", "--test-threads=1"]).stdout(Stdio::piped()).stderr(Stdio::null());
    for (key, value) in env {
        command.env(key, value);
    }
    command.spawn().expect("spawn child")
}

/// In the child: a sync server on the data folder named by the environment; prints its address, then
/// serves until killed.
#[test]
fn sync_crash_child_server() {
    let Ok(data) = std::env::var(SERVER_CHILD_ENV) else { return };
    let running = Running::start(move || async move {
        Ok(App::new(SqliteStore::open(data.as_ref()).map_err(std::io::Error::other)?, Config::default()).router())
    })
    .expect("server");
    println!("listening {}", running.url());
    loop {
        std::thread::park();
    }
}

/// Starts the server child on `data` and waits for its address.
fn start_server_child(data: &Path) -> (Killed, String) {
    let mut child = spawn_child("sync_crash_child_server", &[(SERVER_CHILD_ENV, &data.to_string_lossy())]);
    let stdout = child.stdout.take().expect("stdout");
    let child = Killed(child);
    for line in BufReader::new(stdout).lines() {
        let line = line.expect("line");
        // The harness may have written "test … " before it on the same line.
        if let Some((_, url)) = line.split_once("listening ") {
            return (child, url.trim().to_string());
        }
    }
    panic!("the server child ended before it listened");
}

/// Rows named `{tag}-{round}-{i}`.
fn write_round(vault: &mut Vault, tag: &str, round: usize) {
    let account = vault.account_by_name("Checking").expect("account").id;
    let rows: Vec<_> = (0..ROWS)
        .map(|i| tx(&account, (2026, 11, 1 + (i % 28) as u32), "-1.00", &format!("{tag}-{round}-{i}")))
        .collect();
    vault.add_transactions(&format!("round {round}"), rows).expect("write");
}

/// Every payee of the vault with how many times it appears.
fn payees(vault: &Vault) -> HashMap<String, usize> {
    let mut out = HashMap::new();
    for t in vault.transactions(&TransactionFilter::default()).expect("list") {
        *out.entry(t.payee).or_default() += 1;
    }
    out
}

/// The server's records: each device's seqs are 1..=n with none missing or twice.
fn assert_series_whole(data: &Path) {
    let conn =
        rusqlite::Connection::open(data.join(credence_server::store::sqlite::FILE_NAME)).expect("open the store");
    let mut query =
        conn.prepare("SELECT device, count(*), min(seq), max(seq) FROM records GROUP BY device").expect("query");
    let rows = query
        .query_map([], |r| Ok((r.get::<_, String>(0)?, r.get::<_, i64>(1)?, r.get::<_, i64>(2)?, r.get::<_, i64>(3)?)))
        .expect("rows");
    for row in rows {
        let (device, count, min, max) = row.expect("row");
        assert_eq!((min, max), (1, count), "device {device}'s series has a gap or a repeat");
    }
}

/// Joins a fresh device and checks it holds exactly what `expected` names, each once.
fn assert_joined_device_matches(url: &str, dir: &Path, expected: &HashMap<String, usize>) {
    let joined =
        join(&dir.join("check.vault"), &account(url), None, Unlock::Passphrase(&passphrase())).expect("join").vault;
    let got = payees(&joined);
    assert!(got.values().all(|n| *n == 1), "a row arrived twice");
    assert_eq!(&got, expected, "the new device holds exactly what was written");
}

#[test]
fn killing_the_server_during_uploads_loses_nothing_and_stores_nothing_twice() {
    if std::env::var(SERVER_CHILD_ENV).is_ok() || std::env::var(CLIENT_CHILD_ENV).is_ok() {
        return;
    }
    let data = tempfile::tempdir().expect("dir");
    let dir = tempfile::tempdir().expect("dir");
    let (_path, mut vault) = create(dir.path());
    checking(&mut vault);
    let (mut server, mut url) = start_server_child(data.path());
    vault.sync_register(&account(&url)).expect("register");
    let mut rng = rand::rngs::StdRng::seed_from_u64(16);
    let mut interrupted = 0;
    for round in 0..TRIALS {
        write_round(&mut vault, "s", round);
        let kill_after = Duration::from_micros(rng.gen_range(0..40_000));
        let victim = server.0.id();
        let killer = std::thread::spawn(move || {
            std::thread::sleep(kill_after);
            let _ = Command::new("kill").args(["-KILL", &victim.to_string()]).status();
        });
        if vault.sync_now(&mut |_| {}).is_err() {
            interrupted += 1;
        }
        killer.join().expect("killer");
        drop(server);
        (server, url) = start_server_child(data.path());
        vault.sync_login(&account(&url)).expect("log in to the restarted server");
    }
    vault.sync_now(&mut |_| {}).expect("a clean sync at the end");
    assert!(interrupted > 0, "some syncs were cut short by the kill");
    assert_eq!(vault.sync_status().expect("status").pending, 0);
    assert_series_whole(data.path());
    assert_joined_device_matches(&url, dir.path(), &payees(&vault));
}

/// In the child: the vault named by the environment writes a round and syncs, over and over.
#[test]
fn sync_crash_child_client() {
    let Ok(path) = std::env::var(CLIENT_CHILD_ENV) else { return };
    let mut vault = Vault::open(path.as_ref(), &passphrase()).expect("child opens");
    let tag = format!("c{}", std::process::id());
    for round in 0.. {
        write_round(&mut vault, &tag, round);
        vault.sync_now(&mut |_| {}).expect("sync");
        println!("synced {round}");
    }
}

#[test]
fn killing_the_client_during_a_sync_loses_nothing_and_sends_nothing_twice() {
    if std::env::var(SERVER_CHILD_ENV).is_ok() || std::env::var(CLIENT_CHILD_ENV).is_ok() {
        return;
    }
    let data = tempfile::tempdir().expect("dir");
    let path = data.path().to_path_buf();
    let server = Running::start(move || async move {
        Ok(App::new(SqliteStore::open(&path).map_err(std::io::Error::other)?, Config::default()).router())
    })
    .expect("server");
    let dir = tempfile::tempdir().expect("dir");
    let (path, mut vault) = create(dir.path());
    checking(&mut vault);
    vault.sync_register(&account(&server.url())).expect("register");
    drop(vault);
    let mut rng = rand::rngs::StdRng::seed_from_u64(61);
    let path_text = path.to_string_lossy().to_string();
    for _ in 0..TRIALS {
        let child = spawn_child("sync_crash_child_client", &[(CLIENT_CHILD_ENV, &path_text)]);
        let child = Killed(child);
        std::thread::sleep(Duration::from_millis(rng.gen_range(50..400)));
        drop(child);
        let vault = Vault::open(&path, &passphrase()).expect("reopens after the kill");
        assert!(vault.integrity().expect("integrity").is_ok());
    }
    let mut vault = Vault::open(&path, &passphrase()).expect("open");
    vault.sync_now(&mut |_| {}).expect("a clean sync at the end");
    assert_eq!(vault.sync_status().expect("status").pending, 0);
    let written = payees(&vault);
    assert!(written.len() >= ROWS, "the children wrote something before being killed");
    assert_series_whole(data.path());
    assert_joined_device_matches(&server.url(), dir.path(), &written);
}
