//! Any bytes, read as what a user or an attacker can hand Credence besides a statement: a key file (its
//! own, or the one inside a backup), a recovery key, a credit-profile JSON file. Each may be refused,
//! never panic; a key file asking for absurd key derivation must be refused before Argon2 runs (the
//! run's -timeout and -rss_limit_mb would catch it running).
#![no_main]

use credence_core::score::CreditProfile;
use credence_core::vault::KeyFile;
use credence_core::RecoveryKey;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if let Ok(file) = KeyFile::from_bytes(data) {
        // The recovery slot's key derivation is HKDF: cheap, so any parsed file can be tried.
        if let Ok(key) = RecoveryKey::parse("abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon art") {
            let _ = file.unlock_with_recovery_key(&key);
        }
        let _ = file.to_bytes();
    }
    if let Ok(text) = std::str::from_utf8(data) {
        let _ = RecoveryKey::parse(text);
        if let Ok(profile) = CreditProfile::from_json(text) {
            let _ = credence_core::score::estimate(&profile, profile.as_of, credence_core::score::Flavour::Fico8);
        }
    }
});
