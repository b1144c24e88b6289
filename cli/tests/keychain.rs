//! "Remember on this device" against a real OS keychain: the Secret Service of gnome-keyring on a
//! private D-Bus session (scripts/setup.sh installs both), with HOME in a temporary folder so nothing
//! touches the user's own keyring. Without any keychain service the command says so and changes nothing.
#![cfg(target_os = "linux")]

use std::process::Command;

const PASS: &str = "a long enough passphrase";

fn credence(home: &std::path::Path) -> Command {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_credence"));
    cmd.env("HOME", home).env("XDG_DATA_HOME", home.join("data")).env("CREDENCE_VAULT", home.join("v.vault"));
    cmd
}

#[test]
fn remembered_vault_opens_without_the_passphrase_through_the_secret_service() {
    let home = tempfile::tempdir().expect("tempdir");
    let init = credence(home.path()).arg("init").env("CREDENCE_PASSPHRASE", PASS).output().expect("init");
    assert!(init.status.success());
    let script = format!(
        r#"set -u
        echo -n keyring-unlock | gnome-keyring-daemon --unlock --components=secrets >/dev/null
        CREDENCE_PASSPHRASE='{PASS}' "$CREDENCE" remember || exit 10
        env -u CREDENCE_PASSPHRASE "$CREDENCE" account list --json </dev/null || exit 11
        "$CREDENCE" forget || exit 12
        env -u CREDENCE_PASSPHRASE "$CREDENCE" account list </dev/null && exit 13
        exit 0"#
    );
    let out = Command::new("dbus-run-session")
        .args(["--", "bash", "-c", &script])
        .env("CREDENCE", env!("CARGO_BIN_EXE_credence"))
        .env("HOME", home.path())
        .env("XDG_DATA_HOME", home.path().join("data"))
        .env("CREDENCE_VAULT", home.path().join("v.vault"))
        .env_remove("CREDENCE_PASSPHRASE")
        .output()
        .expect("dbus-run-session (package dbus) runs");
    let stdout = String::from_utf8_lossy(&out.stdout);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "exit {:?}\n{stdout}\n{stderr}", out.status.code());
    assert!(stdout.contains("[]"), "the vault opened from the keychain and listed no accounts: {stdout}");
    assert!(stderr.contains("no passphrase given"), "after forget, the passphrase is needed again: {stderr}");
}

#[test]
fn without_a_keychain_service_remember_says_so_clearly() {
    let home = tempfile::tempdir().expect("tempdir");
    assert!(credence(home.path())
        .arg("init")
        .env("CREDENCE_PASSPHRASE", PASS)
        .output()
        .expect("init")
        .status
        .success());
    let out = credence(home.path())
        .arg("remember")
        .env("CREDENCE_PASSPHRASE", PASS)
        .env_remove("DBUS_SESSION_BUS_ADDRESS")
        .env_remove("DISPLAY")
        .output()
        .expect("remember");
    assert!(!out.status.success());
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("the OS keychain is not available here"), "{err}");
    // Carrying on without it: the passphrase still opens the vault.
    let list = credence(home.path()).args(["account", "list"]).env("CREDENCE_PASSPHRASE", PASS).output().expect("list");
    assert!(list.status.success());
}
