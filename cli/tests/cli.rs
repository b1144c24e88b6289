//! The `credence` command as a user and a script drive it: the contract in README.md.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use serde_json::Value;

const PASS: &str = "a long enough passphrase";

struct Env {
    _dir: tempfile::TempDir,
    vault: PathBuf,
}

impl Env {
    fn new() -> Self {
        let dir = tempfile::tempdir().expect("tempdir");
        let vault = dir.path().join("home").join("credence.vault");
        Env { _dir: dir, vault }
    }

    fn run_with(&self, pass: &str, args: &[&str], extra_env: &[(&str, &str)]) -> Output {
        let mut cmd = Command::new(env!("CARGO_BIN_EXE_credence"));
        cmd.args(args).env("CREDENCE_VAULT", &self.vault).env("CREDENCE_PASSPHRASE", pass);
        cmd.env_remove("CREDENCE_NEW_PASSPHRASE").env_remove("CREDENCE_RECOVERY_KEY");
        for (k, v) in extra_env {
            cmd.env(k, v);
        }
        cmd.output().expect("run credence")
    }

    fn ok(&self, args: &[&str]) -> String {
        let out = self.run_with(PASS, args, &[]);
        assert!(out.status.success(), "{args:?} failed: {}", String::from_utf8_lossy(&out.stderr));
        String::from_utf8(out.stdout).expect("utf8")
    }

    fn json(&self, args: &[&str]) -> Value {
        let mut all = args.to_vec();
        all.push("--json");
        serde_json::from_str(&self.ok(&all)).expect("valid JSON")
    }

    /// Runs a command that must fail; returns its one-line error.
    fn fails(&self, pass: &str, args: &[&str]) -> String {
        let out = self.run_with(pass, args, &[]);
        assert!(!out.status.success(), "{args:?} should fail");
        let err = String::from_utf8(out.stderr).expect("utf8");
        assert_eq!(err.trim_end().lines().count(), 1, "one line on stderr: {err}");
        err.trim_end().to_string()
    }
}

fn files_in(dir: &Path) -> Vec<(String, Vec<u8>)> {
    let mut files: Vec<_> = std::fs::read_dir(dir)
        .expect("ls")
        .filter_map(|e| e.ok())
        .map(|e| (e.file_name().to_string_lossy().into_owned(), std::fs::read(e.path()).expect("read")))
        .collect();
    files.sort();
    files
}

#[test]
fn a_new_user_creates_a_vault_adds_data_and_lists_it_as_json() {
    let env = Env::new();
    let init = env.json(&["init"]);
    let words = init["recovery_key"].as_str().expect("recovery key");
    assert_eq!(words.split(' ').count(), 24);

    assert_eq!(env.json(&["tx", "list"]), serde_json::json!([]), "an empty listing is an empty array");
    env.ok(&["account", "add", "Everyday Checking", "--type", "checking"]);
    let card = env.json(&["account", "add", "Visa", "--type", "credit-card", "--limit", "5000"]);
    assert_eq!(card["credit_limit"]["amount"], "5000.00");
    assert_eq!((card["kind"].as_str(), card["balance"]["display"].as_str()), (Some("credit-card"), Some("$0.00")));
    env.ok(&["category", "add", "Food:Snacks"]);
    env.ok(&[
        "tx",
        "add",
        "--account",
        "everyday checking",
        "--date",
        "2026-10-01",
        "--amount",
        "3200",
        "--payee",
        "Employer Inc",
        "--category",
        "Salary",
    ]);
    env.ok(&[
        "tx",
        "add",
        "--account",
        "Visa",
        "--date",
        "2026-10-02",
        "--amount",
        "-12.34",
        "--payee",
        "Corner Deli",
        "--category",
        "Food:Snacks",
        "--memo",
        "lunch",
    ]);
    env.ok(&["tx", "add", "--account", "Visa", "--date", "2026-10-20", "--amount", "12.34", "--payee", "Card payment"]);

    let list = env.json(&["tx", "list"]);
    let rows = list.as_array().expect("array");
    assert_eq!(rows.len(), 3);
    let deli = rows.iter().find(|r| r["payee"] == "Corner Deli").expect("deli");
    assert_eq!(deli["amount"]["amount"], "-12.34", "a card purchase is negative");
    assert_eq!(
        (deli["amount"]["currency"].as_str(), deli["amount"]["display"].as_str()),
        (Some("USD"), Some("−$12.34"))
    );
    assert_eq!(deli["date"], "2026-10-02");
    assert_eq!(deli["category"], "Food:Snacks");
    assert_eq!(deli["account"], "Visa");
    assert!(deli["id"].as_str().is_some_and(|id| id.len() == 36));
    assert_eq!(rows[0]["payee"], "Card payment", "newest first");
    assert_eq!(rows[0]["amount"]["amount"], "12.34", "a card payment is positive");

    let visa_only = env.json(&["tx", "list", "--account", "Visa", "--from", "2026-10-10"]);
    assert_eq!(visa_only.as_array().map(Vec::len), Some(1));
    let accounts = env.json(&["account", "list"]);
    let visa = accounts.as_array().and_then(|a| a.iter().find(|x| x["name"] == "Visa")).expect("visa");
    assert_eq!(visa["balance"]["amount"], "0.00");

    let table = env.ok(&["tx", "list"]);
    assert!(table.lines().next().is_some_and(|h| h.starts_with("DATE")), "{table}");
}

#[test]
fn edit_delete_and_undo_from_the_command_line() {
    let env = Env::new();
    env.ok(&["init"]);
    env.ok(&["account", "add", "Cash", "--type", "cash", "--currency", "eur"]);
    let t =
        env.json(&["tx", "add", "--account", "Cash", "--date", "2026-01-05", "--amount", "-3.50", "--payee", "Bakery"]);
    let id = t["id"].as_str().expect("id").to_string();
    let short = &id[id.len() - 8..];
    let edited = env.json(&["tx", "edit", short, "--amount", "-4", "--category", "Food"]);
    assert_eq!(edited["amount"]["amount"], "-4.00");
    assert_eq!(edited["category"], "Food");
    assert_eq!(edited["currency"], "EUR");
    env.ok(&["tx", "delete", &id]);
    assert_eq!(env.json(&["tx", "list"]).as_array().map(Vec::len), Some(0));
    let undone = env.json(&["undo"]);
    assert!(undone["summary"].as_str().is_some_and(|s| s.starts_with("Delete transaction")));
    assert_eq!(env.json(&["tx", "list"])[0]["amount"]["amount"], "-4.00");
    let log = env.json(&["log", "--limit", "3"]);
    assert!(log[0]["summary"].as_str().is_some_and(|s| s.starts_with("Undo: ")));
    let err = env.fails(PASS, &["tx", "edit", short]);
    assert!(err.contains("nothing to change"), "{err}");
}

#[test]
fn passphrase_change_and_recovery_key() {
    let env = Env::new();
    let words = env.json(&["init"])["recovery_key"].as_str().expect("words").to_string();
    env.ok(&["account", "add", "Savings", "--type", "savings"]);

    let out = env.run_with(PASS, &["passwd"], &[("CREDENCE_NEW_PASSPHRASE", "the second passphrase")]);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    assert_eq!(env.fails(PASS, &["account", "list"]), "credence: wrong passphrase");

    let key_file = env.vault.parent().expect("dir").join("recovery.txt");
    std::fs::write(&key_file, format!("{words}\n")).expect("write");
    let out = env.run_with(
        "ignored",
        &["recover", "--recovery-key-file", key_file.to_str().expect("utf8")],
        &[("CREDENCE_NEW_PASSPHRASE", "the third passphrase")],
    );
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let out = env.run_with("the third passphrase", &["account", "list", "--json"], &[]);
    assert!(out.status.success());
    let accounts: Value = serde_json::from_slice(&out.stdout).expect("json");
    assert_eq!(accounts[0]["name"], "Savings", "no data lost");

    // A recovery key that may have been seen is replaced; the old one then opens nothing.
    let out = env.run_with("the third passphrase", &["recovery-key", "--new", "--json"], &[]);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let new_words = serde_json::from_slice::<Value>(&out.stdout).expect("json")["recovery_key"]
        .as_str()
        .expect("words")
        .to_string();
    assert_ne!(new_words, words);
    let retired = env.run_with(
        "ignored",
        &["recover", "--recovery-key-file", key_file.to_str().expect("utf8")],
        &[("CREDENCE_NEW_PASSPHRASE", "the fourth passphrase")],
    );
    assert!(
        String::from_utf8_lossy(&retired.stderr).contains("wrong recovery key"),
        "{}",
        String::from_utf8_lossy(&retired.stderr)
    );
    std::fs::write(&key_file, format!("{new_words}\n")).expect("write");
    let out = env.run_with(
        "ignored",
        &["recover", "--recovery-key-file", key_file.to_str().expect("utf8")],
        &[("CREDENCE_NEW_PASSPHRASE", "the fourth passphrase")],
    );
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    assert!(env.fails("the third passphrase", &["recovery-key"]).contains("shown only once"));
}

#[test]
fn failures_are_one_clear_line_and_change_nothing() {
    let env = Env::new();
    let missing = env.fails(PASS, &["account", "list"]);
    assert!(missing.contains("no vault at") && missing.contains("credence init"), "{missing}");
    assert!(!env.vault.exists(), "opening never creates a vault");

    env.ok(&["init"]);
    assert!(env.fails(PASS, &["init"]).contains("already exists"));
    env.ok(&["integrity"]);
    let dir = env.vault.parent().expect("dir").to_path_buf();
    let before = files_in(&dir);
    assert_eq!(env.fails("wrong wrong wrong", &["account", "list"]), "credence: wrong passphrase");
    assert_eq!(files_in(&dir), before, "a wrong passphrase writes nothing");

    env.ok(&["account", "add", "Checking", "--type", "checking"]);
    let bad_amount = env.fails(
        PASS,
        &["tx", "add", "--account", "Checking", "--date", "2026-01-01", "--amount", "12,50", "--payee", "x"],
    );
    assert!(bad_amount.contains("is not an amount"), "{bad_amount}");
    let bad_date = env
        .fails(PASS, &["tx", "add", "--account", "Checking", "--date", "31/01/2026", "--amount", "1", "--payee", "x"]);
    assert!(bad_date.contains("YYYY-MM-DD"), "{bad_date}");
    let bad_type = env.fails(PASS, &["account", "add", "X", "--type", "piggy-bank"]);
    assert!(bad_type.contains("not an account type"), "{bad_type}");
    let no_account =
        env.fails(PASS, &["tx", "add", "--account", "Nope", "--date", "2026-01-01", "--amount", "1", "--payee", "x"]);
    assert_eq!(no_account, "credence: account not found: Nope");
    assert_eq!(env.json(&["tx", "list"]).as_array().map(Vec::len), Some(0));

    let weak = Env::new();
    let err = weak.fails("short", &["init"]);
    assert!(err.contains("too weak"), "{err}");
    assert!(!weak.vault.exists());
}

#[test]
fn a_damaged_vault_is_one_line_that_says_restore_from_a_backup() {
    let env = Env::new();
    env.ok(&["init"]);
    let mut bytes = std::fs::read(&env.vault).expect("read");
    bytes[100] ^= 0xff;
    std::fs::write(&env.vault, bytes).expect("write");
    let err = env.fails(PASS, &["account", "list"]);
    assert!(err.starts_with("credence: vault is damaged (") && err.ends_with("restore from a backup"), "{err}");
}

#[test]
fn backup_and_restore_from_the_command_line() {
    let env = Env::new();
    env.ok(&["init"]);
    env.ok(&["account", "add", "Checking", "--type", "checking"]);
    let backup = env.vault.parent().expect("dir").join("vault.credence-backup");
    let b = env.json(&["backup", backup.to_str().expect("utf8")]);
    assert!(b["bytes"].as_u64().is_some_and(|n| n > 4096));
    env.ok(&["account", "add", "Added later", "--type", "cash"]);
    assert!(env.fails("wrong passphrase!", &["restore", backup.to_str().expect("utf8")]).contains("wrong passphrase"));
    env.ok(&["restore", backup.to_str().expect("utf8")]);
    let names: Vec<Value> =
        env.json(&["account", "list"]).as_array().expect("array").iter().map(|a| a["name"].clone()).collect();
    assert_eq!(names, vec![Value::from("Checking")]);
}

#[test]
fn rekey_issues_a_new_recovery_key_and_keeps_the_passphrase_and_the_data() {
    let env = Env::new();
    let first = env.json(&["init"])["recovery_key"].as_str().expect("first key").to_string();
    env.ok(&["account", "add", "Checking", "--type", "checking"]);
    let old_key_file = std::fs::read(credence_core::vault::key_file_path(&env.vault)).expect("key file");
    let rotated = env.json(&["rekey"])["recovery_key"].as_str().expect("new key").to_string();
    assert_ne!(rotated, first);
    assert_eq!(rotated.split(' ').count(), 24);
    assert_eq!(env.json(&["account", "list"])[0]["name"], "Checking", "same passphrase, same data");
    assert!(env.fails("wrong passphrase!", &["rekey"]).contains("wrong passphrase"));
    std::fs::write(credence_core::vault::key_file_path(&env.vault), old_key_file).expect("the old key file back");
    let err = env.fails(PASS, &["account", "list"]);
    assert!(err.contains("does not decrypt with its own key"), "the old key no longer opens it: {err}");
}

#[test]
fn importing_a_statement_reports_every_row_and_can_be_undone() {
    let env = Env::new();
    env.ok(&["init"]);
    env.ok(&["account", "add", "Visa", "--type", "credit-card"]);
    let statement = env.vault.parent().expect("dir").join("chase.csv");
    std::fs::write(
        &statement,
        "Transaction Date,Post Date,Description,Category,Type,Amount,Memo\n01/12/2024,01/13/2024,BLUE BOTTLE,Food,Sale,-4.50,\n01/12/2024,01/13/2024,BLUE BOTTLE,Food,Sale,-4.50,\n13/45/2024,01/14/2024,BROKEN,Food,Sale,-1.00,\n",
    )
    .expect("write");
    let file = statement.to_str().expect("utf8");

    let preview = env.json(&["import", file, "--account", "Visa", "--dry-run"]);
    assert_eq!(preview["dry_run"], true);
    assert_eq!(preview["preview"].as_array().map(Vec::len), Some(3));
    assert_eq!(preview["preview"][2]["outcome"], "rejected");
    assert_eq!(env.json(&["tx", "list"]).as_array().map(Vec::len), Some(0), "a dry run writes nothing");

    let r = env.json(&["import", file, "--account", "Visa"]);
    assert_eq!(
        (r["imported"].as_u64(), r["duplicates"].as_u64(), r["rejected"].as_u64(), r["rows"].as_u64()),
        (Some(2), Some(0), Some(1), Some(3))
    );
    assert_eq!(r["format"], "chase-card");
    assert_eq!(r["errors"][0]["line"], 4);
    assert_eq!(r["errors"][0]["message"], "\"13/45/2024\" is not a date");
    let batch = r["batch"].as_str().expect("batch").to_string();

    let again = env.json(&["import", file, "--account", "Visa"]);
    assert_eq!((again["imported"].as_u64(), again["duplicates"].as_u64()), (Some(0), Some(2)));
    assert!(again["batch"].is_null());

    let human = env.ok(&["import", file, "--account", "Visa"]);
    assert!(human.contains("0 new + 2 duplicates + 1 rejected = 3 rows read"), "{human}");
    assert_eq!(env.json(&["import", "list"])[0]["id"], batch.as_str());
    env.ok(&["import", "undo", &batch]);
    assert_eq!(env.json(&["tx", "list"]).as_array().map(Vec::len), Some(0));

    let formats = env.json(&["import", "formats"]);
    assert!(formats.as_array().is_some_and(|f| f.len() >= 25));

    let odd = env.vault.parent().expect("dir").join("odd.csv");
    std::fs::write(&odd, "When,Who,How much\n2024-02-01,Landlord,-800\n").expect("write");
    let err = env.fails(PASS, &["import", odd.to_str().expect("utf8"), "--account", "Visa"]);
    assert!(err.contains("does not recognise this file's layout") && err.contains("--map"), "{err}");
    let mapped = env.json(&[
        "import",
        odd.to_str().expect("utf8"),
        "--account",
        "Visa",
        "--map",
        "date=When,payee=Who,amount=How much",
    ]);
    assert_eq!(mapped["imported"], 1);
}

#[test]
fn a_guessed_statement_waits_for_confirmation_and_a_hopeless_one_fails() {
    let env = Env::new();
    env.ok(&["init"]);
    env.ok(&["account", "add", "Current", "--type", "checking", "--currency", "GBP"]);
    let dir = env.vault.parent().expect("dir");
    // first direct's header is shared by many banks: no layout, and nothing here proves the dates.
    let bare = dir.join("bare.csv");
    std::fs::write(
        &bare,
        "Date,Description,Amount
10/02/2018,MERCHANT,-5.00
09/02/2018,SALARY,1023.10
",
    )
    .expect("write");
    let bare = bare.to_str().expect("utf8");
    let err = env.fails(PASS, &["import", bare, "--account", "Current"]);
    assert!(err.contains("not imported") && err.contains("--accept-guess") && err.contains("DD/MM"), "{err}");
    let preview = env.json(&["import", bare, "--account", "Current", "--dry-run"]);
    assert_eq!(preview["needs_confirmation"], true);
    let dates = preview["decisions"]
        .as_array()
        .expect("decisions")
        .iter()
        .find(|d| d["aspect"] == "dates")
        .expect("dates")
        .clone();
    assert_eq!(dates["basis"], "guessed");
    let human = env.ok(&["import", bare, "--account", "Current", "--dry-run"]);
    assert!(human.contains("How the file was read:") && human.contains("--accept-guess"), "{human}");
    assert_eq!(env.json(&["tx", "list"]).as_array().map(Vec::len), Some(0));
    let done = env.json(&[
        "import",
        bare,
        "--account",
        "Current",
        "--map",
        "date=Date,payee=Description,amount=Amount,dates=DD/MM/YYYY",
    ]);
    assert_eq!(done["imported"], 2);
    // Every row rejected: the summary is printed, and the command fails.
    let broken = dir.join("broken.csv");
    std::fs::write(
        &broken,
        "Transaction Date,Post Date,Description,Category,Type,Amount,Memo
99/99/2024,01/13/2024,X,Food,Sale,-4.50,
",
    )
    .expect("write");
    env.ok(&["account", "add", "Visa", "--type", "credit-card"]);
    let err = env.fails(PASS, &["import", broken.to_str().expect("utf8"), "--account", "Visa"]);
    assert!(err.contains("every one of the 1 rows was rejected"), "{err}");
}

#[test]
fn rules_file_imports_and_a_recategorization_can_be_learned() {
    let env = Env::new();
    env.ok(&["init"]);
    env.ok(&["account", "add", "Checking", "--type", "checking"]);
    let added = env.json(&["rule", "add", "--payee-contains", "netflix", "--category", "Subscriptions", "--tag", "tv"]);
    assert_eq!(added["position"], 1);
    assert_eq!(
        added["description"], "if payee contains \"netflix\" then file under Bills:Subscriptions, tag #tv",
        "what the rule does, the category by its full path"
    );
    assert_eq!(added["category"], "Bills:Subscriptions");
    let statement = env.vault.parent().expect("dir").join("bank.csv");
    std::fs::write(
        &statement,
        "Transaction Date,Post Date,Description,Category,Type,Amount,Memo\n02/01/2024,02/01/2024,NETFLIX.COM 866-579-7172 CA,,Sale,-15.49,\n02/03/2024,02/03/2024,SQ *BLUE BOTTLE 1234 SAN FRANCISCO CA,,Sale,-4.50,\n02/10/2024,02/10/2024,SQ *BLUE BOTTLE 1234 SAN FRANCISCO CA,,Sale,-5.00,\n",
    )
    .expect("write");
    env.ok(&["import", statement.to_str().expect("utf8"), "--account", "Checking"]);
    let txs = env.json(&["tx", "list"]);
    let netflix = txs.as_array().and_then(|a| a.iter().find(|t| t["payee"] == "Netflix.com")).expect("netflix");
    assert_eq!(netflix["category"], "Bills:Subscriptions");
    assert_eq!(netflix["tags"][0], "tv");
    assert_eq!(netflix["bank_payee"], "NETFLIX.COM 866-579-7172 CA");
    let coffee: Vec<&Value> = txs.as_array().expect("array").iter().filter(|t| t["payee"] == "Blue Bottle").collect();
    assert_eq!(coffee.len(), 2);
    let id = coffee[0]["id"].as_str().expect("id").to_string();

    let tip = env.ok(&["tx", "edit", &id, "--category", "Coffee"]);
    assert!(tip.contains("tip: 1 other transactions from \"Blue Bottle\""), "{tip}");
    let learned = env.ok(&["tx", "edit", &id, "--category", "Coffee", "--learn"]);
    assert!(learned.contains("learned: if payee is \"Blue Bottle\" then file under Food:Coffee"), "{learned}");
    let txs = env.json(&["tx", "list", "--category", "Coffee"]);
    assert_eq!(txs.as_array().map(Vec::len), Some(2), "the other coffee was filed by the learned rule");
    let rules = env.json(&["rule", "list"]);
    assert_eq!(rules[1]["origin"], "learned");
    assert_eq!(
        (rules[1]["category"].as_str(), rules[1]["category_id"].as_str().map(str::len)),
        (Some("Food:Coffee"), Some(36))
    );
    let table = env.ok(&["rule", "list"]);
    assert!(table.contains("then file under Food:Coffee"), "{table}");
    let applied = env.json(&["rule", "apply"]);
    assert_eq!(applied["changed"], 0);
    env.ok(&["rule", "delete", rules[0]["id"].as_str().expect("id")]);
    assert_eq!(env.json(&["rule", "list"]).as_array().map(Vec::len), Some(1));
}

#[test]
fn a_credit_profile_file_gets_an_explained_estimate() {
    let env = Env::new();
    let profile = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../core/tests/fixtures/score/a780.json");
    let file = profile.to_str().expect("utf8");
    let e = env.json(&["score", "--report", file]);
    assert_eq!(e["score"], 777);
    assert_eq!(e["range"], serde_json::json!([752, 802]));
    assert_eq!(e["band"], "Very Good");
    assert_eq!(e["flavour"], "fico8");
    assert!(e["model"].as_str().is_some_and(|v| v.starts_with("credence-scorecard-")));
    assert_eq!(e["factors"][0]["name"], "payment_history");
    let lost = e["reasons"][0]["points_lost"].as_str().and_then(|p| p.parse::<u32>().ok());
    assert!(lost.is_some_and(|p| p > 0), "{e}");
    let text = env.ok(&["score", "--report", file]);
    assert!(text.contains("not a FICO or VantageScore"), "{text}");
    let path = env.json(&["score", "project", "--report", file, "--months", "6"]);
    assert_eq!(path.as_array().map(Vec::len), Some(7));
    assert_eq!(path[0]["score"], 777);
    assert!(path[4]["notes"][0].as_str().is_some_and(|n| n.contains("stops counting")), "{path}");
    let missed = env.json(&["score", "simulate", "--report", file, "--miss-payment", "card2"]);
    assert_eq!((missed["before"]["score"].as_i64(), missed["delta"].as_i64()), (Some(777), Some(-98)));
    // The flags are read by core's one parser, so the CLI gives what core (and the app) give for the same changes.
    let both = env.json(&["score", "simulate", "--report", file, "--inquiry", "card", "--pay", "card1:10%"]);
    let profile_data = credence_core::score::CreditProfile::read(&profile).expect("fixture");
    let changes =
        credence_core::score::WhatIf::parse_all([("inquiry", "card"), ("pay", "card1:10%")]).expect("changes");
    let core = credence_core::score::simulate(
        &profile_data,
        profile_data.as_of,
        credence_core::score::Flavour::Fico8,
        &changes,
    )
    .expect("simulate");
    assert_eq!(both["after"]["score"].as_u64(), core.after.score.map(u64::from), "{both}");
    let steps = env.json(&["score", "simulate", "--report", file]);
    assert_eq!(steps[0]["account"], "card1");
    let err = env.fails(PASS, &["score", "simulate", "--report", file, "--pay", "nope:10"]);
    assert!(err.contains("credit account not found: nope"), "{err}");
    let side = env.json(&["score", "--report", file, "--compare", "vantage"]);
    assert_eq!(
        (side["first"]["flavour"].as_str(), side["second"]["flavour"].as_str()),
        (Some("fico8"), Some("vantage"))
    );
    assert!(side["differences"].as_array().is_some_and(|d| !d.is_empty()));
    let plan = env.json(&["score", "plan", "--report", file, "--target", "800"]);
    assert!(plan["score"].as_u64().is_some_and(|s| s >= 800), "reachable: {plan}");
    let out_of_reach = env.json(&["score", "plan", "--report", file, "--target", "850", "--by", "2027-01-01"]);
    assert!(out_of_reach["score"].is_null(), "out of reach: {out_of_reach}");
    assert!(e["advice"].as_array().is_some_and(|r| !r.is_empty()));
    let past = env.json(&["score", "history", "--report", file, "--months", "12"]);
    assert_eq!(past.as_array().map(Vec::len), Some(13));

    std::fs::create_dir_all(env.vault.parent().expect("dir")).expect("mkdir");
    let thin = env.vault.parent().expect("dir").join("thin.json");
    std::fs::write(&thin, r#"{"as_of": "2026-11-01", "accounts": []}"#).expect("write");
    let none = env.json(&["score", "--report", thin.to_str().expect("utf8")]);
    assert!(none["score"].is_null());
    assert_eq!(none["not_scorable"][0], "there are no credit accounts on the report");

    let bad = env.vault.parent().expect("dir").join("bad.json");
    std::fs::write(
        &bad,
        r#"{"as_of": "2026-11-01", "accounts": [{"id": "x", "type": "boat", "opened": "2020-01-01"}]}"#,
    )
    .expect("write");
    let err = env.fails(PASS, &["score", "--report", bad.to_str().expect("utf8")]);
    assert!(err.contains("accounts[0].type"), "{err}");
}

#[test]
fn the_credit_report_kept_in_the_vault_is_scored_exported_and_undoable() {
    let env = Env::new();
    env.ok(&["init"]);
    let fixture = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../core/tests/fixtures/score/a780.json");
    let counts = env.json(&["credit", "import", fixture.to_str().expect("utf8")]);
    assert_eq!((counts["accounts"].as_u64(), counts["inquiries"].as_u64()), (Some(7), Some(2)));
    assert_eq!(env.json(&["score", "--as-of", "2026-11-01"])["score"], 777);
    let exported = env.vault.parent().expect("dir").join("export.json");
    env.ok(&["credit", "export", "--out", exported.to_str().expect("utf8")]);
    assert_eq!(
        env.json(&["score", "--report", exported.to_str().expect("utf8"), "--as-of", "2026-11-01"])["score"],
        777
    );
    env.ok(&["account", "add", "Chase Visa", "--type", "credit-card", "--limit", "10000"]);
    env.ok(&["tx", "add", "--account", "Chase Visa", "--date", "2026-10-05", "--amount", "-500", "--payee", "Shop"]);
    env.ok(&["credit", "link", "card2", "--account", "Chase Visa"]);
    let linked = env.json(&["credit", "export"]);
    let card2 = linked["accounts"].as_array().and_then(|a| a.iter().find(|t| t["id"] == "card2")).expect("card2");
    assert_eq!(
        (card2["balance"].as_str(), card2["limit"].as_str()),
        (Some("500.00"), Some("10000.00")),
        "from the vault: {card2}"
    );
    let not_credit = env.fails(PASS, &["credit", "link", "card3", "--account", "Chase Visa2"]);
    assert!(not_credit.contains("account not found"), "{not_credit}");
    env.ok(&["credit", "balance", "card1", "9000", "--date", "2026-10-20"]);
    assert!(
        env.json(&["score", "--as-of", "2026-11-01"])["score"].as_u64().is_some_and(|s| s < 777),
        "a maxed card costs points"
    );
    env.ok(&["credit", "add", "inquiry", r#"{"date": "2026-10-30", "type": "card"}"#]);
    let items = env.json(&["credit", "list"]);
    let inquiry = items.as_array().and_then(|i| i.iter().find(|i| i["item"]["date"] == "2026-10-30")).expect("added");
    let id = inquiry["id"].as_str().expect("id").to_string();
    env.ok(&["credit", "edit", &id, r#"{"date": "2026-10-29", "type": "auto"}"#]);
    env.ok(&["credit", "remove", &id]);
    assert_eq!(env.json(&["credit", "show"])["inquiries"], 2);
    let bad = env.fails(PASS, &["credit", "add", "account", r#"{"id": "x", "type": "boat", "opened": "2020-01-01"}"#]);
    assert!(bad.contains("unknown variant `boat`"), "{bad}");
    for _ in 0..8 {
        env.ok(&["undo"]); // remove, edit, add, balance, link, tx, account, import
    }
    assert_eq!(env.json(&["credit", "show"])["accounts"], 0);
    assert!(env.json(&["score"])["score"].is_null());
}

#[test]
fn the_monthly_report_as_json() {
    let env = Env::new();
    env.ok(&["init"]);
    env.ok(&["account", "add", "Checking", "--type", "checking"]);
    env.ok(&[
        "tx",
        "add",
        "--account",
        "Checking",
        "--date",
        "2026-03-01",
        "--amount",
        "1000",
        "--payee",
        "Employer",
        "--category",
        "Salary",
    ]);
    env.ok(&[
        "tx",
        "add",
        "--account",
        "Checking",
        "--date",
        "2026-03-05",
        "--amount",
        "-123.45",
        "--payee",
        "Market",
        "--category",
        "Groceries",
    ]);
    env.ok(&[
        "tx",
        "add",
        "--account",
        "Checking",
        "--date",
        "2026-04-05",
        "--amount",
        "-10",
        "--payee",
        "Market",
        "--category",
        "Groceries",
    ]);
    let report = env.json(&["report", "monthly", "--from", "2026-03", "--to", "2026-03"]);
    assert_eq!(report.as_array().map(Vec::len), Some(1));
    let march = &report[0];
    assert_eq!(
        (
            march["month"].as_str(),
            march["income"]["amount"].as_str(),
            march["expense"]["amount"].as_str(),
            march["net"]["display"].as_str()
        ),
        (Some("2026-03"), Some("1000.00"), Some("-123.45"), Some("$876.55"))
    );
    assert_eq!(march["categories"]["Food:Groceries"]["amount"], "-123.45", "keyed by full path");
}

#[test]
fn a_custom_report_as_json_and_as_csv() {
    let env = Env::new();
    env.ok(&["init"]);
    env.ok(&["account", "add", "Card", "--type", "credit-card"]);
    for (date, amount, payee) in
        [("2026-01-05", "-10.00", "Cafe"), ("2026-02-05", "-20.50", "Cafe"), ("2026-02-07", "-99", "Garage")]
    {
        env.ok(&["tx", "add", "--account", "Card", "--date", date, "--amount", amount, "--payee", payee]);
    }
    let rows = env.json(&["report", "custom", "--text", "cafe", "--by", "quarter", "--group", "payee"]);
    assert_eq!(
        (
            rows[0]["period"].as_str(),
            rows[0]["group"].as_str(),
            rows[0]["total"]["amount"].as_str(),
            rows[0]["count"].as_u64()
        ),
        (Some("2026-Q1"), Some("Cafe"), Some("-30.50"), Some(2))
    );
    let csv = env.vault.with_file_name("report.csv");
    env.ok(&[
        "report",
        "custom",
        "--min",
        "-50",
        "--by",
        "all",
        "--group",
        "none",
        "--csv",
        csv.to_str().expect("path"),
    ]);
    assert_eq!(
        std::fs::read_to_string(&csv).expect("csv"),
        "period,group,currency,total,count,average,income,expense\nall,,USD,-30.50,2,-15.25,0.00,-30.50\n"
    );
}

#[test]
fn budgets_from_the_command_line() {
    let env = Env::new();
    env.ok(&["init"]);
    env.ok(&["account", "add", "Card", "--type", "credit-card"]);
    env.ok(&["budget", "set", "Groceries", "300", "--from", "2026-03"]);
    env.ok(&[
        "tx",
        "add",
        "--account",
        "Card",
        "--date",
        "2026-03-05",
        "--amount",
        "-123.45",
        "--payee",
        "Market",
        "--category",
        "Groceries",
    ]);
    let march = env.json(&["budget", "show", "--month", "2026-03"]);
    assert_eq!(
        (
            march[0]["category"].as_str(),
            march[0]["budget"]["amount"].as_str(),
            march[0]["spent"]["amount"].as_str(),
            march[0]["remaining"]["amount"].as_str()
        ),
        (Some("Food:Groceries"), Some("300.00"), Some("123.45"), Some("176.55"))
    );
    assert_eq!(
        env.json(&["budget", "show", "--month", "2026-02"]).as_array().map(Vec::len),
        Some(0),
        "not before its month"
    );
}

#[test]
fn recurring_payments_are_found_with_their_next_date() {
    let env = Env::new();
    env.ok(&["init"]);
    env.ok(&["account", "add", "Card", "--type", "credit-card"]);
    for (date, amount) in
        [("2026-01-15", "-9.99"), ("2026-02-15", "-9.99"), ("2026-03-16", "-9.99"), ("2026-04-15", "-10.99")]
    {
        env.ok(&["tx", "add", "--account", "Card", "--date", date, "--amount", amount, "--payee", "Streamly"]);
    }
    env.ok(&["tx", "add", "--account", "Card", "--date", "2026-02-03", "--amount", "-42", "--payee", "Hardware store"]);
    let found = env.json(&["recurring", "--as-of", "2026-05-01"]);
    assert_eq!(found.as_array().map(Vec::len), Some(1), "{found}");
    let s = &found[0];
    assert_eq!(
        (s["payee"].as_str(), s["cadence"].as_str(), s["next_date"].as_str()),
        (Some("Streamly"), Some("monthly"), Some("2026-05-15"))
    );
    assert_eq!((s["status"].as_str(), s["price_change"]["to"]["amount"].as_str()), (Some("active"), Some("-10.99")));
    assert_eq!(env.json(&["recurring", "--as-of", "2026-06-01"])[0]["status"], "missed");
    // Two payments that have not come: cancelled, most likely; shown only when asked for.
    assert_eq!(env.json(&["recurring", "--as-of", "2026-07-01"]).as_array().map(Vec::len), Some(0));
    assert_eq!(env.json(&["recurring", "--as-of", "2026-07-01", "--all"])[0]["status"], "lapsed");
    let table = env.ok(&["recurring", "--as-of", "2026-07-01", "--all"]);
    assert!(table.contains("no payment since 2026-04-15: cancelled?"), "{table}");
}

#[test]
fn tags_saved_reports_trends_rates_and_the_dashboard_from_the_command_line() {
    let env = Env::new();
    env.ok(&["init"]);
    env.ok(&["account", "add", "Card", "--type", "credit-card", "--limit", "2000"]);
    env.ok(&["account", "add", "Konto", "--type", "checking", "--currency", "EUR"]);
    for (date, amount, payee) in [
        ("2026-01-05", "-10.00", "Cafe"),
        ("2026-02-05", "-20.50", "Cafe"),
        ("2026-02-07", "-99", "Garage"),
        ("2026-03-01", "-30", "Cafe"),
    ] {
        env.ok(&[
            "tx",
            "add",
            "--account",
            "Card",
            "--date",
            date,
            "--amount",
            amount,
            "--payee",
            payee,
            "--category",
            "Restaurants",
        ]);
    }
    env.ok(&[
        "tx",
        "add",
        "--account",
        "Konto",
        "--date",
        "2026-03-02",
        "--amount",
        "-40",
        "--payee",
        "Cafe",
        "--category",
        "Restaurants",
    ]);
    let garage = env.json(&["tx", "list", "--search", "garage"]);
    let id = garage[0]["id"].as_str().expect("id").to_string();
    env.ok(&["tx", "edit", &id, "--tags", "car,#work"]);
    assert_eq!(env.json(&["tx", "list", "--search", "garage"])[0]["tags"], serde_json::json!(["car", "work"]));
    let tagged = env.json(&["report", "custom", "--tag", "work", "--by", "all", "--group", "none"]);
    assert_eq!((tagged[0]["total"]["amount"].as_str(), tagged[0]["count"].as_u64()), (Some("-99.00"), Some(1)));

    env.ok(&["report", "custom", "--payee", "cafe", "--by", "month", "--group", "account", "--save", "Coffee"]);
    let saved = env.json(&["report", "saved"]);
    assert_eq!((saved[0]["name"].as_str(), saved[0]["request"]["payees"][0].as_str()), (Some("Coffee"), Some("cafe")));
    let coffee = env.json(&["report", "run", "coffee"]);
    assert_eq!(coffee.as_array().map(Vec::len), Some(4), "three months on the card, one in euros: {coffee}");
    env.ok(&["report", "delete", "Coffee"]);
    assert!(env.fails(PASS, &["report", "run", "Coffee"]).contains("saved report not found: Coffee"));

    env.ok(&["rate", "set", "EUR", "USD", "1.10", "--from", "2026-01-01"]);
    let rates = env.json(&["rate", "list"]);
    assert_eq!((rates[0]["currency"].as_str(), rates[0]["rate"].as_str()), (Some("EUR"), Some("1.1")));
    let trend = env.json(&[
        "report",
        "trend",
        "--payee",
        "Cafe",
        "--from",
        "2026-01",
        "--to",
        "2026-03",
        "--convert",
        "USD",
        "--average",
        "2",
    ]);
    let points = &trend[0]["points"];
    assert_eq!(trend.as_array().map(Vec::len), Some(1), "euros converted: one series");
    assert_eq!(
        (
            points[2]["period"].as_str(),
            points[2]["value"]["amount"].as_str(),
            points[2]["moving_average"]["amount"].as_str()
        ),
        (Some("2026-03"), Some("74.00"), Some("47.25")),
        "30 + 40 EUR at 1.10; (20.50 + 74) / 2"
    );
    assert_eq!(trend[0]["converted_from"], serde_json::json!(["EUR"]));
    let chart = env.vault.with_file_name("trend.svg");
    env.ok(&["report", "trend", "--category", "Restaurants", "--chart", chart.to_str().expect("path")]);
    assert!(std::fs::read_to_string(&chart).expect("svg").contains("Spending: Food:Restaurants"));

    let dash = env.json(&["dashboard", "--month", "2026-03"]);
    assert_eq!(
        (
            dash["month"].as_str(),
            dash["this_month"]["expense"]["amount"].as_str(),
            dash["last_month"]["expense"]["amount"].as_str()
        ),
        (Some("2026-03"), Some("-74.00"), Some("-119.50"))
    );
    assert_eq!(dash["spending"][0]["category"], "Food");
    assert_eq!(dash["utilization"][11]["overall"], "8.0", "159.50 owed of 2000");
    let score_chart = env.vault.with_file_name("score.png");
    env.ok(&["chart", "score", "--out", score_chart.to_str().expect("path")]);
    assert!(std::fs::read(&score_chart).expect("png").starts_with(b"\x89PNG"));
}

/// A `credence serve` process: killed on drop if a test ends before stopping it.
struct Serving {
    child: std::process::Child,
    base: String,
    // Kept open while the server runs: it writes more, and a closed pipe would end it (SIGPIPE).
    _stdout: std::io::BufReader<std::process::ChildStdout>,
}

impl Serving {
    fn start(env: &Env, extra: &[&str]) -> Serving {
        use std::io::BufRead;
        let mut cmd = Command::new(env!("CARGO_BIN_EXE_credence"));
        cmd.args(["serve", "--listen", "127.0.0.1:0"]).args(extra);
        cmd.env("CREDENCE_VAULT", &env.vault).env("CREDENCE_PASSPHRASE", PASS);
        let mut child = cmd.stdout(std::process::Stdio::piped()).spawn().expect("serve");
        let mut stdout = std::io::BufReader::new(child.stdout.take().expect("stdout"));
        let mut first = String::new();
        stdout.read_line(&mut first).expect("the address line");
        let base = first.trim().strip_prefix("listening on ").unwrap_or_default().to_string();
        let serving = Serving { child, base, _stdout: stdout };
        assert!(serving.base.contains("://127.0.0.1:"), "first line: {first}");
        serving
    }

    /// SIGTERM, as a service manager stops it: the server must end cleanly.
    fn stop(mut self) {
        let term = Command::new("kill").args(["-TERM", &self.child.id().to_string()]).status().expect("kill");
        assert!(term.success());
        assert!(self.child.wait().expect("wait").success(), "a clean stop on SIGTERM");
    }
}

impl Drop for Serving {
    fn drop(&mut self) {
        if self.child.try_wait().ok().flatten().is_none() {
            let _ = self.child.kill();
            let _ = self.child.wait();
        }
    }
}

#[test]
fn serve_answers_on_loopback_with_the_token_beside_the_vault_and_stops_on_sigterm() {
    let env = Env::new();
    env.ok(&["init"]);
    env.ok(&["account", "add", "Everyday", "--type", "checking"]);
    let refused = env.fails(PASS, &["serve", "--listen", "0.0.0.0:7373"]);
    assert!(refused.contains("not a loopback address"), "{refused}");
    let in_clear = env.fails(PASS, &["serve", "--listen", "0.0.0.0:7373", "--allow-remote"]);
    assert!(in_clear.contains("needs TLS"), "{in_clear}");
    let fixtures = Path::new(env!("CARGO_MANIFEST_DIR")).join("../rest/tests/fixtures");
    let (cert, key) = (fixtures.join("localhost.crt"), fixtures.join("localhost.key"));
    let mismatched = env
        .fails(PASS, &["serve", "--tls-cert", cert.to_str().expect("utf8"), "--tls-key", cert.to_str().expect("utf8")]);
    assert!(mismatched.contains("not a readable PEM private key"), "{mismatched}");
    let bad_origin = env.fails(PASS, &["serve", "--cors-origin", "*"]);
    assert!(bad_origin.contains("is not an origin"), "{bad_origin}");
    let https =
        Serving::start(&env, &["--tls-cert", cert.to_str().expect("utf8"), "--tls-key", key.to_str().expect("utf8")]);
    assert!(https.base.starts_with("https://127.0.0.1:"), "{}", https.base);
    https.stop();

    let token_file = PathBuf::from(format!("{}.api-token", env.vault.display()));
    let get = |base: &str, token: &str| {
        let agent: ureq::Agent = ureq::Agent::config_builder().http_status_as_error(false).build().into();
        let mut reply = agent
            .get(format!("{base}/accounts"))
            .header("Authorization", format!("Bearer {token}"))
            .call()
            .expect("GET");
        (reply.status().as_u16(), reply.body_mut().read_to_string().unwrap_or_default())
    };

    let server = Serving::start(&env, &[]);
    let base = server.base.clone();
    let token = std::fs::read_to_string(&token_file).expect("token file").trim().to_string();
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        assert_eq!(std::fs::metadata(&token_file).expect("meta").permissions().mode() & 0o777, 0o600);
    }
    let (status, body) = get(&base, &token);
    assert_eq!(status, 200, "{body}");
    let accounts: Value = serde_json::from_str(&body).expect("JSON");
    assert_eq!(accounts[0]["name"], "Everyday");
    assert_eq!(get(&base, "not-the-token").0, 401);
    server.stop();

    // A new token: the old one stops working.
    let server = Serving::start(&env, &["--new-token"]);
    let base = server.base.clone();
    assert_eq!(get(&base, &token).0, 401);
    let renewed = std::fs::read_to_string(&token_file).expect("token file").trim().to_string();
    assert_ne!(renewed, token);
    assert_eq!(get(&base, &renewed).0, 200);
    server.stop();
}

/// Every `--json` command's output shape, pinned in `cli/tests/snapshots/json-shapes.json`: a change to
/// what scripts read is a visible diff there (and an entry in CHANGELOG.md).
/// `CREDENCE_UPDATE_SNAPSHOTS=1 cargo test -p credence-cli --test cli json_shapes` rewrites the file.
#[test]
fn json_shapes_of_every_command_are_pinned() {
    let env = Env::new();
    let dir = env.vault.parent().expect("dir").to_path_buf();
    let fixtures = Path::new(env!("CARGO_MANIFEST_DIR")).join("../core/tests/fixtures");
    let statement = fixtures.join("import/chase-checking.csv");
    let credit = fixtures.join("score/a780.json");
    let backup = dir.join("shapes.backup");
    let mut shapes = serde_json::Map::new();
    let mut record = |label: &str, args: &[&str]| -> Value {
        let mut all = args.to_vec();
        all.push("--json");
        let out = env.ok(&all);
        let value: Value = serde_json::from_str(&out).unwrap_or_else(|e| panic!("{label}: not JSON ({e}): {out}"));
        shapes.insert(label.to_string(), credence_api::shape_of(&value));
        value
    };
    record("init", &["init"]);
    record("where", &["where"]);
    record("account add", &["account", "add", "Everyday", "--type", "checking"]);
    record("account add (card)", &["account", "add", "Visa", "--type", "credit-card", "--limit", "5000"]);
    record("account list", &["account", "list"]);
    record("category add", &["category", "add", "Food:Snacks"]);
    record("category list", &["category", "list"]);
    record("rule add", &["rule", "add", "--payee-contains", "grocery", "--category", "Groceries"]);
    record("import --dry-run", &["import", statement.to_str().expect("utf8"), "--account", "Everyday", "--dry-run"]);
    record("import", &["import", statement.to_str().expect("utf8"), "--account", "Everyday"]);
    record("import list", &["import", "list"]);
    record("import formats", &["import", "formats"]);
    let added = record(
        "tx add",
        &["tx", "add", "--account", "Visa", "--date", "2024-01-20", "--amount", "-12.34", "--payee", "Deli"],
    );
    let id = added["id"].as_str().expect("id").to_string();
    record("tx edit", &["tx", "edit", &id, "--memo", "lunch", "--tags", "work"]);
    record("tx list", &["tx", "list"]);
    record("account edit", &["account", "edit", "Visa", "--statement-day", "25", "--due-day", "20"]);
    let coach = record("coach", &["coach", "--as-of", "2024-02-16"]);
    assert_eq!(coach["alerts"][0]["kind"], "payment_due", "the statement of Jan 25 is due Feb 20: {coach}");
    assert_eq!(
        (coach["alerts"][0]["amount"].as_str(), coach["alerts"][0]["date"].as_str()),
        (Some("12.34"), Some("2024-02-20"))
    );
    let words = env.ok(&["coach", "--as-of", "2024-02-16"]);
    assert!(words.contains("[payment_due] Visa: $12.34 is due in 4 days (2024-02-20)"), "{words}");
    assert!(words.contains("day 25 / 20"), "{words}");
    record("coach bills", &["coach", "bills", "--as-of", "2024-03-31"]);
    record("rule list", &["rule", "list"]);
    record("rule apply", &["rule", "apply"]);
    record("report monthly", &["report", "monthly", "--from", "2024-01", "--to", "2024-01"]);
    record("report custom", &["report", "custom", "--from", "2024-01", "--by", "month", "--group", "category"]);
    record("report trend", &["report", "trend", "--category", "Groceries", "--by", "month"]);
    record("report custom --save", &["report", "custom", "--group", "payee", "--save", "Payees"]);
    record("report saved", &["report", "saved"]);
    record("report run", &["report", "run", "Payees"]);
    record("recurring", &["recurring", "--as-of", "2024-03-31", "--all"]);
    record("budget set", &["budget", "set", "Groceries", "400", "--from", "2024-01"]);
    record("budget show", &["budget", "show", "--month", "2024-01"]);
    record("dashboard", &["dashboard", "--month", "2024-01"]);
    record("rate set", &["rate", "set", "EUR", "USD", "1.08", "--from", "2024-01-01"]);
    record("rate list", &["rate", "list"]);
    record("credit import", &["credit", "import", credit.to_str().expect("utf8")]);
    record("credit show", &["credit", "show"]);
    record("score", &["score", "--as-of", "2026-11-01"]);
    record("score simulate", &["score", "simulate", "--as-of", "2026-11-01", "--miss-payment", "card2"]);
    record("score project", &["score", "project", "--as-of", "2026-11-01", "--months", "3"]);
    record("score history", &["score", "history", "--as-of", "2026-11-01", "--months", "3"]);
    record("score --compare", &["score", "--as-of", "2026-11-01", "--compare", "vantage"]);
    record("score plan", &["score", "plan", "--as-of", "2026-11-01", "--target", "800"]);
    record("score simulate (steps)", &["score", "simulate", "--as-of", "2026-11-01"]);
    record("credit list", &["credit", "list"]);
    record("tx delete", &["tx", "delete", &id]);
    record("undo", &["undo"]);
    record("log", &["log", "--limit", "2"]);
    record("backup", &["backup", backup.to_str().expect("utf8")]);
    record("integrity", &["integrity"]);

    let file = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/snapshots/json-shapes.json");
    let current = serde_json::to_string_pretty(&Value::Object(shapes)).expect("json") + "\n";
    if std::env::var_os("CREDENCE_UPDATE_SNAPSHOTS").is_some() {
        std::fs::write(&file, &current).expect("write the snapshot");
    }
    let pinned = std::fs::read_to_string(&file).unwrap_or_default();
    assert!(
        pinned == current,
        "a --json shape changed: review `git diff cli/tests/snapshots/json-shapes.json` after \
         `CREDENCE_UPDATE_SNAPSHOTS=1 cargo test -p credence-cli --test cli json_shapes`, and list the change in CHANGELOG.md"
    );
}
