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
        Command::new(env!("CARGO_BIN_EXE_credence"))
            .args(args)
            .env("CREDENCE_VAULT", vault)
            .env("CREDENCE_PASSPHRASE", PASS)
            .env("CREDENCE_SYNC_PASSWORD", password)
            .env_remove("CREDENCE_RECOVERY_KEY")
            .env_remove("CREDENCE_SYNC_OTP")
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
    assert_eq!(keys, ["cursor", "device", "last_sync", "pending", "server", "user", "vault"]);
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
