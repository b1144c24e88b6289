//! `credence sync` as a person drives it: two vault files (two devices) and a real sync server on a
//! loopback port; the account password from $CREDENCE_SYNC_PASSWORD.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use credence_server::{App, Config, Running, SqliteStore};
use serde_json::Value;

const PASS: &str = "a long enough passphrase";
const ACCOUNT_PASSWORD: &str = "sync account password";

struct Setup {
    dir: tempfile::TempDir,
    server: Running,
    _data: tempfile::TempDir,
}

fn setup() -> Setup {
    let data = tempfile::tempdir().expect("dir");
    let path = data.path().to_path_buf();
    let server = Running::start(move || async move {
        Ok(App::new(SqliteStore::open(&path).map_err(std::io::Error::other)?, Config::default()).router())
    })
    .expect("server");
    Setup { dir: tempfile::tempdir().expect("dir"), server, _data: data }
}

impl Setup {
    fn vault(&self, name: &str) -> PathBuf {
        self.dir.path().join(name)
    }

    fn run(&self, vault: &Path, args: &[&str], password: &str) -> Output {
        self.run_with(vault, args, password, &[])
    }

    /// `run` with more environment variables.
    fn run_with(&self, vault: &Path, args: &[&str], password: &str, env: &[(&str, &str)]) -> Output {
        Command::new(env!("CARGO_BIN_EXE_credence"))
            .args(args)
            .env("CREDENCE_VAULT", vault)
            .env("CREDENCE_PASSPHRASE", PASS)
            .env("CREDENCE_SYNC_PASSWORD", password)
            .env_remove("CREDENCE_RECOVERY_KEY")
            .env_remove("CREDENCE_SYNC_OTP")
            .env_remove("CREDENCE_SYNC_CA")
            .env_remove("CREDENCE_SYNC_NEW_PASSWORD")
            .envs(env.iter().copied())
            .output()
            .expect("run credence")
    }

    fn ok(&self, vault: &Path, args: &[&str]) -> String {
        let out = self.run(vault, args, ACCOUNT_PASSWORD);
        assert!(out.status.success(), "{args:?} failed: {}", String::from_utf8_lossy(&out.stderr));
        String::from_utf8(out.stdout).expect("utf8")
    }

    fn json(&self, vault: &Path, args: &[&str]) -> Value {
        let mut all = args.to_vec();
        all.push("--json");
        serde_json::from_str(&self.ok(vault, &all)).expect("JSON")
    }

    fn server_args(&self) -> [String; 4] {
        ["--server".into(), self.server.url(), "--user".into(), "ada@example.org".into()]
    }
}

#[test]
fn register_join_edit_on_both_and_the_two_devices_list_the_same_transactions() {
    let s = setup();
    let (laptop, phone) = (s.vault("laptop.vault"), s.vault("phone.vault"));
    s.ok(&laptop, &["init"]);
    s.ok(&laptop, &["account", "add", "Chase Checking", "--type", "checking"]);
    s.ok(
        &laptop,
        &[
            "tx",
            "add",
            "--account",
            "Chase Checking",
            "--date",
            "2026-11-02",
            "--amount",
            "-12.50",
            "--payee",
            "Corner Cafe",
        ],
    );

    let off = s.json(&laptop, &["sync", "status"]);
    assert_eq!(off["server"], Value::Null, "sync starts off");
    let server = s.server_args();
    let server: Vec<&str> = server.iter().map(String::as_str).collect();
    let registered = s.json(&laptop, &[&["sync", "register"], &server[..]].concat());
    assert_eq!(registered["pulled"], 0);
    assert!(registered["pushed"].as_u64().is_some_and(|n| n >= 3), "{registered}");

    let status = s.json(&laptop, &["sync", "status"]);
    let mut keys: Vec<&str> = status.as_object().expect("object").keys().map(String::as_str).collect();
    keys.sort_unstable();
    assert_eq!(keys, ["cursor", "device", "last_sync", "pending", "role", "server", "user", "vault"]);
    assert_eq!(status["role"], "owner");
    assert_eq!(
        (status["server"].as_str(), status["user"].as_str(), status["pending"].as_u64()),
        (Some(s.server.url().as_str()), Some("ada@example.org"), Some(0))
    );

    let joined = s.json(&phone, &[&["sync", "join"], &server[..]].concat());
    assert!(joined["pulled"].as_u64().is_some_and(|n| n >= 3), "{joined}");
    assert_eq!(s.json(&phone, &["tx", "list"]), s.json(&laptop, &["tx", "list"]));

    let id = s.json(&phone, &["tx", "list"])[0]["id"].as_str().expect("id").to_string();
    s.ok(&phone, &["tx", "edit", &id, "--memo", "with Sam"]);
    s.ok(
        &laptop,
        &["tx", "add", "--account", "Chase Checking", "--date", "2026-11-03", "--amount", "-4.20", "--payee", "Bakery"],
    );
    s.ok(&phone, &["sync"]);
    s.ok(&laptop, &["sync"]);
    s.ok(&phone, &["sync"]);
    let (on_phone, on_laptop) = (s.json(&phone, &["tx", "list"]), s.json(&laptop, &["tx", "list"]));
    assert_eq!(on_phone, on_laptop);
    assert_eq!(on_laptop.as_array().map(Vec::len), Some(2));
    assert!(on_laptop.as_array().expect("list").iter().any(|t| t["memo"] == "with Sam"));
    assert_eq!(s.json(&laptop, &["sync", "conflicts"]), serde_json::json!({"conflicts": []}));
    let devices = s.json(&laptop, &["sync", "devices"]);
    assert_eq!(devices["devices"].as_array().map(Vec::len), Some(2), "{devices}");
}

#[test]
fn a_wrong_account_password_and_a_vault_without_sync_fail_in_one_sentence() {
    let s = setup();
    let laptop = s.vault("laptop.vault");
    s.ok(&laptop, &["init"]);
    let out = s.run(&laptop, &["sync"], ACCOUNT_PASSWORD);
    assert!(!out.status.success());
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("sync is off for this vault") && err.trim_end().lines().count() == 1, "{err}");

    let server = s.server_args();
    let server: Vec<&str> = server.iter().map(String::as_str).collect();
    s.ok(&laptop, &[&["sync", "register"], &server[..]].concat());
    let phone = s.vault("phone.vault");
    let out = s.run(&phone, &[&["sync", "join"], &server[..]].concat(), "not the account password");
    assert!(!out.status.success());
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("do not match an account") && err.trim_end().lines().count() == 1, "{err}");
    assert!(!phone.exists(), "no vault file was made");

    s.ok(&laptop, &["sync", "leave"]);
    let off = s.json(&laptop, &["sync", "status"]);
    assert_eq!((off["server"].clone(), off["cursor"].clone()), (Value::Null, Value::from(0)), "sync is off again");
    let out = s.run(&laptop, &["sync"], ACCOUNT_PASSWORD);
    assert!(!out.status.success(), "a vault that left syncs nothing");
}

#[test]
fn the_account_password_changes_on_one_device_the_others_log_in_again_and_the_account_can_be_deleted() {
    let s = setup();
    let (laptop, phone) = (s.vault("laptop.vault"), s.vault("phone.vault"));
    s.ok(&laptop, &["init"]);
    let server = s.server_args();
    let server: Vec<&str> = server.iter().map(String::as_str).collect();
    s.ok(&laptop, &[&["sync", "register"], &server[..]].concat());
    s.ok(&phone, &[&["sync", "join"], &server[..]].concat());
    let one_line_error = |out: Output, says: &str| {
        assert!(!out.status.success());
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(err.contains(says) && err.trim_end().lines().count() == 1, "{err}");
    };

    let new_password = "the new account password";
    let change = |current: &str| {
        s.run_with(&laptop, &["sync", "password"], current, &[("CREDENCE_SYNC_NEW_PASSWORD", new_password)])
    };
    one_line_error(change("not the account password"), "not this account's password");
    let changed = change(ACCOUNT_PASSWORD);
    assert!(changed.status.success(), "{}", String::from_utf8_lossy(&changed.stderr));
    assert!(s.run(&laptop, &["sync"], new_password).status.success(), "the laptop syncs on with its new session");
    one_line_error(s.run(&phone, &["sync"], new_password), "credence sync login");
    let login = s.run(&phone, &[&["sync", "login"], &server[..]].concat(), new_password);
    assert!(login.status.success(), "{}", String::from_utf8_lossy(&login.stderr));
    assert!(s.run(&phone, &["sync"], new_password).status.success());

    one_line_error(s.run(&laptop, &["sync", "delete-account", "bob"], new_password), "not bob");
    let deleted = s.run(&laptop, &["sync", "delete-account", "ada@example.org", "--json"], new_password);
    assert!(deleted.status.success(), "{}", String::from_utf8_lossy(&deleted.stderr));
    assert_eq!(s.json(&laptop, &["sync", "status"])["server"], Value::Null, "sync is off on the laptop");
    assert!(!s.run(&phone, &["sync"], new_password).status.success(), "the phone's account is gone");
    let again = s.run(&s.vault("again.vault"), &[&["sync", "join"], &server[..]].concat(), new_password);
    one_line_error(again, "do not match an account");
}

#[test]
fn a_second_factor_is_set_up_asked_for_at_login_and_removed() {
    let s = setup();
    let laptop = s.vault("laptop.vault");
    s.ok(&laptop, &["init"]);
    let server = s.server_args();
    let server: Vec<&str> = server.iter().map(String::as_str).collect();
    s.ok(&laptop, &[&["sync", "register"], &server[..]].concat());

    let enrolment = s.json(&laptop, &["sync", "totp", "enable"]);
    assert!(enrolment["uri"].as_str().is_some_and(|u| u.starts_with("otpauth://totp/")), "{enrolment}");
    let codes: Vec<String> = enrolment["recovery_codes"]
        .as_array()
        .expect("codes")
        .iter()
        .map(|c| c.as_str().expect("code").to_string())
        .collect();
    assert_eq!(codes.len(), 10);
    let secret =
        data_encoding::BASE32_NOPAD.decode(enrolment["secret"].as_str().expect("secret").as_bytes()).expect("base32");
    let now = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).expect("time").as_secs() as i64;
    let code = format!("{:06}", credence_server::accounts::totp_code(&secret, now / 30));
    s.ok(&laptop, &["sync", "totp", "confirm", &code]);

    let asked = s.run(&laptop, &[&["sync", "login"], &server[..]].concat(), ACCOUNT_PASSWORD);
    assert!(!asked.status.success());
    let err = String::from_utf8_lossy(&asked.stderr);
    assert!(err.contains("--otp"), "the error says how to give the code: {err}");
    s.ok(&laptop, &[&["sync", "login"], &server[..], &["--otp", &codes[0]]].concat());
    s.ok(&laptop, &["sync", "totp", "disable", &codes[1]]);
    s.ok(&laptop, &[&["sync", "login"], &server[..]].concat());
}

#[test]
fn a_weekly_snapshot_goes_up_with_a_sync_and_restore_builds_the_vault_as_it_was() {
    let s = setup();
    let laptop = s.vault("laptop.vault");
    s.ok(&laptop, &["init"]);
    s.ok(&laptop, &["account", "add", "Chase Checking", "--type", "checking"]);
    let add = |payee: &str, date: &str| {
        s.ok(
            &laptop,
            &["tx", "add", "--account", "Chase Checking", "--date", date, "--amount", "-9.99", "--payee", payee],
        );
    };
    add("Corner Cafe", "2026-11-02");
    let server = s.server_args();
    let server: Vec<&str> = server.iter().map(String::as_str).collect();
    s.ok(&laptop, &[&["sync", "register"], &server[..]].concat());
    // A moment after the first transaction, and (waiting on the clock, not a guess) before the next.
    let moment = chrono::Utc::now();
    while chrono::Utc::now().timestamp_millis() <= moment.timestamp_millis() {
        std::hint::spin_loop();
    }
    add("Bakery", "2026-11-03");
    let synced = s.ok(&laptop, &["sync"]);
    assert!(synced.contains("snapshot"), "the first sync after registering takes the weekly snapshot: {synced}");
    let listed = s.json(&laptop, &["sync", "snapshots"]);
    assert_eq!(listed["snapshots"].as_array().map(Vec::len), Some(1), "{listed}");

    let at = moment.to_rfc3339_opts(chrono::SecondsFormat::Millis, true);
    let copy = s.vault("as-it-was.vault");
    let copy_arg = copy.to_str().expect("utf8");
    let restored = s.json(&laptop, &["sync", "restore", "--at", &at, "--out", copy_arg]);
    assert_eq!(restored["snapshot"], Value::Null, "the snapshot is newer than the moment: {restored}");
    let payees = |vault: &Path| -> Vec<String> {
        let list = s.json(vault, &["tx", "list"]);
        list.as_array().expect("list").iter().map(|t| t["payee"].as_str().expect("payee").to_string()).collect()
    };
    assert_eq!(payees(&copy), ["Corner Cafe"]);
    assert_eq!(s.json(&copy, &["sync", "status"])["server"], Value::Null, "the copy does not sync");

    // On another machine: the account, and the vault's passphrase; now is after the snapshot.
    let elsewhere = s.vault("elsewhere.vault");
    let now = chrono::Utc::now().to_rfc3339();
    let args = [&["sync", "restore", "--at", &now, "--out", elsewhere.to_str().expect("utf8")], &server[..]].concat();
    let restored = s.json(&s.vault("no-vault-here.vault"), &args);
    assert!(restored["snapshot"].is_string(), "started from the snapshot: {restored}");
    let mut both = payees(&elsewhere);
    both.sort();
    assert_eq!(both, ["Bakery", "Corner Cafe"]);

    let out = s.run(&laptop, &["sync", "restore", "--at", "last tuesday", "--out", "x.vault"], ACCOUNT_PASSWORD);
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(!out.status.success() && err.contains("is not a moment") && err.trim_end().lines().count() == 1, "{err}");
    let out = s.run(&laptop, &["sync", "restore", "--at", &now, "--out", copy_arg], ACCOUNT_PASSWORD);
    assert!(!out.status.success(), "an existing file is never overwritten");
    assert_eq!(payees(&copy), ["Corner Cafe"]);
}

#[test]
fn over_https_a_server_with_its_own_certificate_is_trusted_only_when_named() {
    let certs = tempfile::tempdir().expect("dir");
    let key = rcgen::KeyPair::generate().expect("key pair");
    let cert = rcgen::CertificateParams::new(vec!["127.0.0.1".to_string()])
        .expect("params")
        .self_signed(&key)
        .expect("certificate");
    let (cert_path, key_path) = (certs.path().join("cert.pem"), certs.path().join("key.pem"));
    std::fs::write(&cert_path, cert.pem()).expect("cert");
    std::fs::write(&key_path, key.serialize_pem()).expect("key");
    let data = tempfile::tempdir().expect("dir");
    let store = data.path().to_path_buf();
    let tls = credence_tls::acceptor(&cert_path, &key_path).expect("TLS settings");
    let server = Running::start_tls(
        move || async move {
            Ok(App::new(SqliteStore::open(&store).map_err(std::io::Error::other)?, Config::default()).router())
        },
        tls,
    )
    .expect("server");
    assert!(server.url().starts_with("https://"));
    let dir = tempfile::tempdir().expect("dir");
    let laptop = dir.path().join("laptop.vault");
    let run = |args: &[&str], ca: Option<&Path>| {
        let mut command = Command::new(env!("CARGO_BIN_EXE_credence"));
        command
            .args(args)
            .env("CREDENCE_VAULT", &laptop)
            .env("CREDENCE_PASSPHRASE", PASS)
            .env("CREDENCE_SYNC_PASSWORD", ACCOUNT_PASSWORD)
            .env_remove("CREDENCE_SYNC_CA");
        if let Some(ca) = ca {
            command.env("CREDENCE_SYNC_CA", ca);
        }
        command.output().expect("run credence")
    };
    assert!(run(&["init"], None).status.success());
    let url = server.url();
    let register = ["sync", "register", "--server", &url, "--user", "ada"];
    let refused = run(&register, None);
    let err = String::from_utf8_lossy(&refused.stderr);
    assert!(!refused.status.success() && err.contains("cannot reach the sync server"), "{err}");
    assert_eq!(err.trim_end().lines().count(), 1, "{err}");
    let trusted = run(&register, Some(&cert_path));
    assert!(trusted.status.success(), "{}", String::from_utf8_lossy(&trusted.stderr));
    let status = run(&["sync", "status", "--json"], Some(&cert_path));
    let status: Value = serde_json::from_slice(&status.stdout).expect("JSON");
    assert_eq!(status["server"].as_str(), Some(url.as_str()));
}

#[test]
fn the_owner_shares_with_another_account_which_joins_with_its_own_copy_and_compares_fingerprints() {
    let s = setup();
    let (laptop, bob_own, bob_shared) =
        (s.vault("laptop.vault"), s.vault("bob-own.vault"), s.vault("bob-shared.vault"));
    s.ok(&laptop, &["init"]);
    s.ok(&laptop, &["account", "add", "Joint Checking", "--type", "checking"]);
    let server = s.server_args();
    let server: Vec<&str> = server.iter().map(String::as_str).collect();
    s.ok(&laptop, &[&["sync", "register"], &server[..]].concat());
    let vault_id = s.json(&laptop, &["sync", "status"])["vault"].as_str().expect("vault").to_string();
    let url = s.server.url();
    let as_bob = |more: &[&str]| -> Vec<String> {
        ["--server", url.as_str(), "--user", "bob"].iter().chain(more).map(|a| a.to_string()).collect()
    };
    s.ok(&bob_own, &["init"]);
    let bob_password = "bob's own account password";
    let args = |first: &[&str], more: &[&str]| -> Vec<String> {
        first.iter().map(|a| a.to_string()).chain(as_bob(more)).collect()
    };
    let out = s.run(&bob_own, &refs(&args(&["sync", "register"], &[])), bob_password);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));

    let shared = s.json(&laptop, &["sync", "share", "bob", "--role", "viewer"]);
    assert_eq!((shared["user"].as_str(), shared["role"].as_str()), (Some("bob"), Some("viewer")), "{shared}");
    let fingerprint = shared["fingerprint"].as_str().expect("fingerprint").to_string();

    let join = args(&["sync", "join"], &["--vault-id", &vault_id, "--json"]);
    let out = s.run(&bob_shared, &refs(&join), bob_password);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let joined: Value = serde_json::from_slice(&out.stdout).expect("JSON");
    let words = joined["recovery_key"].as_str().expect("a member's copy has its own recovery key");
    assert_eq!(words.split(' ').count(), 24);
    assert!(joined["pulled"].as_u64().is_some_and(|n| n > 0), "{joined}");
    assert_eq!(s.json(&bob_shared, &["account", "list"]), s.json(&laptop, &["account", "list"]));
    assert_eq!(s.json(&bob_shared, &["sync", "status"])["role"], "viewer");
    let members = s.json(&bob_shared, &["sync", "members"]);
    let me = members["members"].as_array().expect("members").iter().find(|m| m["you"] == true).expect("bob").clone();
    assert_eq!(me["fingerprint"].as_str(), Some(fingerprint.as_str()), "what the owner saw is bob's own key");

    let out = s.run(&bob_shared, &["sync", "share", "carol"], bob_password);
    assert!(!out.status.success(), "only the owner shares");
    s.ok(&laptop, &["sync", "unshare", "bob"]);
    let out = s.run(&bob_shared, &["sync"], bob_password);
    assert!(!out.status.success(), "an account no longer shared with is refused");
}

fn refs(owned: &[String]) -> Vec<&str> {
    owned.iter().map(String::as_str).collect()
}
