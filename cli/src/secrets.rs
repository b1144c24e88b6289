//! Where secrets come from: an environment variable, a file, or a prompt on the terminal (never an
//! argument, which other users could read from the process list).

use std::io::IsTerminal;
use std::path::Path;

use anyhow::{bail, Context, Result};
use credence_core::{Passphrase, RecoveryKey};
use zeroize::Zeroizing;

pub const PASSPHRASE_ENV: &str = "CREDENCE_PASSPHRASE";
pub const NEW_PASSPHRASE_ENV: &str = "CREDENCE_NEW_PASSPHRASE";
pub const RECOVERY_KEY_ENV: &str = "CREDENCE_RECOVERY_KEY";

/// The passphrase from the environment or a file, if either was given.
pub fn given_passphrase(file: Option<&Path>) -> Result<Option<Passphrase>> {
    if let Ok(p) = std::env::var(PASSPHRASE_ENV) {
        return Ok(Some(Passphrase::new(p)));
    }
    file.map(|f| read_first_line(f).map(Passphrase::new)).transpose()
}

/// The passphrase to unlock with: given, or asked for.
pub fn unlock_passphrase(file: Option<&Path>) -> Result<Passphrase> {
    match given_passphrase(file)? {
        Some(p) => Ok(p),
        None => prompt("Passphrase: ").map(Passphrase::new),
    }
}

/// A passphrase being set: given, or asked for twice.
pub fn new_passphrase(env: &str, file: Option<&Path>, label: &str) -> Result<Passphrase> {
    if let Ok(p) = std::env::var(env) {
        return Ok(Passphrase::new(p));
    }
    if let Some(f) = file {
        return read_first_line(f).map(Passphrase::new);
    }
    let first = prompt(&format!("{label}: "))?;
    let second = Zeroizing::new(prompt(&format!("{label} again: "))?);
    if first != *second {
        bail!("the two passphrases differ; nothing was changed");
    }
    Ok(Passphrase::new(first))
}

pub fn recovery_key(file: Option<&Path>) -> Result<RecoveryKey> {
    // Wiped when dropped, like the key it becomes.
    let text = Zeroizing::new(if let Ok(t) = std::env::var(RECOVERY_KEY_ENV) {
        t
    } else if let Some(f) = file {
        std::fs::read_to_string(f).with_context(|| format!("cannot read {}", f.display()))?
    } else {
        prompt("Recovery key (24 words): ")?
    });
    Ok(RecoveryKey::parse(&text)?)
}

fn read_first_line(file: &Path) -> Result<String> {
    // The whole file is wiped when dropped; only its first line goes on, into a `Passphrase`.
    let text =
        Zeroizing::new(std::fs::read_to_string(file).with_context(|| format!("cannot read {}", file.display()))?);
    Ok(text.lines().next().unwrap_or_default().to_string())
}

fn prompt(label: &str) -> Result<String> {
    if !std::io::stdin().is_terminal() {
        bail!("no passphrase given: set {PASSPHRASE_ENV}, use --passphrase-file, or run in a terminal");
    }
    rpassword::prompt_password(label).context("cannot read from the terminal")
}
