//! Any bytes, as a backup file restored over a vault, and as OFX and as CAMT.053 text read by those
//! readers directly (the statement reader reaches them only after sniffing). Each may be refused, never
//! panic, and a refused restore leaves nothing beside the vault.
//!
//! Before the corpus is read, a real backup (sealed at the floor key-derivation cost under
//! `SEED_PASSPHRASE`) is written into `$CREDENCE_FUZZ_SEEDS`, so mutations of it get past the key file
//! and reach the copy and the checks of the database inside. Key files asking for more than the floor
//! are only parsed: Argon2 at up to the 4 GiB ceiling would trip the run's memory limit, not a bug.
#![no_main]

use std::path::PathBuf;

use credence_core::vault::{KeyFile, KDF_FLOOR};
use credence_core::{CreateOptions, Passphrase, Vault};
use libfuzzer_sys::fuzz_target;

const SEED_PASSPHRASE: &str = "fuzzing seed passphrase, long enough";

fn scratch() -> PathBuf {
    std::env::temp_dir().join(format!("credence-fuzz-backup-{}", std::process::id()))
}

fn write_seed() {
    let Some(seeds) = std::env::var_os("CREDENCE_FUZZ_SEEDS") else { return };
    let dir = scratch().join("seed");
    let _ = std::fs::remove_dir_all(&dir);
    let vault = dir.join("seed.vault");
    let options = CreateOptions { kdf: KDF_FLOOR };
    if let Ok((vault, _)) = Vault::create_with(&vault, &Passphrase::new(SEED_PASSPHRASE), options) {
        let _ = vault.backup(&PathBuf::from(seeds).join("seed.backup"));
    }
}

fuzz_target!(init: write_seed(), |data: &[u8]| {
    if let Ok(text) = std::str::from_utf8(data) {
        let _ = credence_core::import::read_as_ofx_and_camt(text);
    }
    // The key file follows the 16-byte marker, the format word and its length word.
    let key_len = data.get(20..24).and_then(|w| <[u8; 4]>::try_from(w).ok()).map(|w| u32::from_le_bytes(w) as usize);
    let key_file = key_len.and_then(|n| data.get(24..24usize.checked_add(n)?)).and_then(|k| KeyFile::from_bytes(k).ok());
    let floor = key_file.map(|k| k.kdf() == KDF_FLOOR);
    let dir = scratch().join("run");
    let _ = std::fs::remove_dir_all(&dir);
    if std::fs::create_dir_all(&dir).is_err() || std::fs::write(dir.join("in.backup"), data).is_err() {
        return;
    }
    if floor == Some(false) {
        return;
    }
    let vault = dir.join("restored.vault");
    if Vault::restore(&dir.join("in.backup"), &vault, &Passphrase::new(SEED_PASSPHRASE)).is_err() {
        let left: Vec<_> = std::fs::read_dir(&dir).map(|d| d.filter_map(|e| e.ok()).map(|e| e.file_name()).collect()).unwrap_or_default();
        assert!(left.iter().all(|n| n == "in.backup" || n == "restored.vault.lock"), "a refused restore left {left:?}");
    }
});
