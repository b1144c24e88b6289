//! Secret values as types: none is `Clone`, `Copy` or `Serialize`; `Debug` prints no bytes; memory is
//! wiped on drop. The raw value is reached only through a method named `dangerously_*`.

use std::fmt;

use rand::RngCore;
use zeroize::Zeroizing;

use crate::error::{Error, Result};

const MIN_PASSPHRASE_CHARS: usize = 8;
/// zxcvbn's "safely unguessable" (3) or better: about 10^10 guesses, each one an Argon2id run.
const MIN_PASSPHRASE_SCORE: u8 = 3;

/// zxcvbn's score (0–4) and its advice, as one sentence or none.
fn estimate(text: &str) -> (u8, String) {
    let estimate = zxcvbn::zxcvbn(text, &[]);
    let advice = estimate.feedback().map(|f| {
        let warning = f.warning().map(|w| w.to_string());
        let tips = f.suggestions().iter().map(ToString::to_string);
        warning.into_iter().chain(tips).collect::<Vec<_>>().join(" ")
    });
    (u8::from(estimate.score()), advice.unwrap_or_default())
}

/// A passphrase's guessability, for the feedback shown while one is typed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Strength {
    /// 0 (guessed at once) to 4 (strong).
    pub score: u8,
    pub acceptable: bool,
    pub feedback: String,
}

/// What the user types to unlock a vault, in Unicode's compatibility composition (NFKC), so the same
/// passphrase typed on two keyboards (a precomposed "é" or "e" + accent, a full-width digit) derives the
/// same key; as typed, too, where that differs, to open vaults sealed before passphrases were normalized.
pub struct Passphrase(Zeroizing<String>, Option<Zeroizing<String>>);

impl Passphrase {
    pub fn new(text: impl Into<String>) -> Self {
        use unicode_normalization::UnicodeNormalization;
        let typed = Zeroizing::new(text.into());
        let normalized = Zeroizing::new(typed.nfkc().collect::<String>());
        let as_typed = (*normalized != *typed).then_some(typed);
        Passphrase(normalized, as_typed)
    }

    /// The bytes as typed, where they differ from the normalized ones.
    pub(crate) fn dangerously_expose_as_typed(&self) -> Option<&[u8]> {
        self.1.as_ref().map(|t| t.as_bytes())
    }

    /// Refuses passphrases a guessing attack would find even behind Argon2id: shorter than 8 characters,
    /// or scored below 3 of 4 by zxcvbn (dictionary words, names, keyboard runs, dates and repeats count
    /// for little); the refusal carries the meter's advice. The CLI and the app both ask this.
    pub fn check_strength(&self) -> Result<()> {
        let chars = self.0.chars().count();
        if chars < MIN_PASSPHRASE_CHARS {
            return Err(Error::WeakPassphrase(format!(
                "use at least {MIN_PASSPHRASE_CHARS} characters (this one has {chars})"
            )));
        }
        let (score, advice) = estimate(&self.0);
        if score < MIN_PASSPHRASE_SCORE {
            let advice = if advice.is_empty() {
                "Add another word or two. Uncommon words are better.".to_string()
            } else {
                advice
            };
            return Err(Error::WeakPassphrase(format!("it would be guessed too easily. {advice}")));
        }
        Ok(())
    }

    /// How hard the passphrase is to guess, with what would make it stronger. `acceptable` is exactly
    /// what `check_strength` lets through.
    pub fn strength(&self) -> Strength {
        let (score, advice) = estimate(&self.0);
        let (acceptable, feedback) = match self.check_strength() {
            Err(Error::WeakPassphrase(why)) => (false, why),
            _ => (true, advice),
        };
        Strength { score, acceptable, feedback }
    }

    pub fn dangerously_expose(&self) -> &[u8] {
        self.0.as_bytes()
    }
}

impl fmt::Debug for Passphrase {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Passphrase(<redacted>)")
    }
}

/// A 256-bit key shown once at `init` as 24 English words (BIP39); it unlocks the vault when the
/// passphrase is lost.
pub struct RecoveryKey(Zeroizing<[u8; 32]>);

impl RecoveryKey {
    pub(crate) fn generate() -> Self {
        RecoveryKey(random_key())
    }

    /// Accepts the words in any case, separated by any white space or hyphens.
    pub fn parse(text: &str) -> Result<Self> {
        let normalized = Zeroizing::new(
            text.split(|c: char| c.is_whitespace() || c == '-' || c == ',')
                .filter(|w| !w.is_empty())
                .map(str::to_lowercase)
                .collect::<Vec<_>>()
                .join(" "),
        );
        let words = normalized.split(' ').count();
        if words != 24 {
            return Err(Error::MalformedRecoveryKey(format!("expected 24 words, got {words}")));
        }
        let mnemonic = bip39::Mnemonic::parse_in_normalized(bip39::Language::English, &normalized)
            .map_err(|e| Error::MalformedRecoveryKey(e.to_string()))?;
        let (entropy, len) = mnemonic.to_entropy_array();
        let entropy = Zeroizing::new(entropy);
        let mut key = Zeroizing::new([0u8; 32]);
        if len != 32 {
            return Err(Error::MalformedRecoveryKey("wrong length".into()));
        }
        key.copy_from_slice(&entropy[..32]);
        Ok(RecoveryKey(key))
    }

    /// The 24 words, space separated, to show the user once.
    pub fn dangerously_to_words(&self) -> Zeroizing<String> {
        // 32 bytes of entropy is always a valid BIP39 length, so this cannot fail.
        let words = bip39::Mnemonic::from_entropy(&self.0[..])
            .map(|m| m.words().collect::<Vec<_>>().join(" "))
            .unwrap_or_default();
        Zeroizing::new(words)
    }

    pub(crate) fn bytes(&self) -> &[u8; 32] {
        &self.0
    }
}

impl fmt::Debug for RecoveryKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("RecoveryKey(<redacted>)")
    }
}

/// The keys the key file wraps: the SQLCipher database key and the root key of the (later) sync
/// encryption. Both are random, so changing the passphrase never re-encrypts anything.
pub struct VaultKeys {
    pub(crate) database: Zeroizing<[u8; 32]>,
    pub(crate) sync_root: Zeroizing<[u8; 32]>,
}

impl VaultKeys {
    pub(crate) fn generate() -> Self {
        VaultKeys { database: random_key(), sync_root: random_key() }
    }

    /// A new database key for a vault whose sync root came from elsewhere (a member of a shared vault
    /// makes its own vault file around the key the owner sealed for it).
    pub(crate) fn around_sync_root(sync_root: Zeroizing<[u8; 32]>) -> Self {
        VaultKeys { database: random_key(), sync_root }
    }

    /// The same sync key with a new database key: a rekey.
    pub(crate) fn with_new_database_key(&self) -> Self {
        VaultKeys { database: random_key(), sync_root: self.sync_root.clone() }
    }

    /// The keys a sync snapshot's database is encrypted under: its database key derived from the sync
    /// root (so every device of the vault, and only they, open it, whatever each one's own database
    /// key is after a rekey), the sync root as it is.
    pub(crate) fn for_snapshot(&self, vault_id: &str) -> Self {
        let hk = hkdf::Hkdf::<sha2::Sha256>::new(Some(vault_id.as_bytes()), &self.sync_root[..]);
        let mut database = Zeroizing::new([0u8; 32]);
        // 32 bytes is far below HKDF-SHA256's limit; the expansion cannot fail.
        let _ = hk.expand(b"credence sync snapshot database v1", &mut database[..]);
        VaultKeys { database, sync_root: self.sync_root.clone() }
    }

    pub(crate) fn to_bytes(&self) -> Zeroizing<[u8; 64]> {
        let mut out = Zeroizing::new([0u8; 64]);
        out[..32].copy_from_slice(&self.database[..]);
        out[32..].copy_from_slice(&self.sync_root[..]);
        out
    }

    pub(crate) fn from_bytes(bytes: &[u8]) -> Option<Self> {
        if bytes.len() != 64 {
            return None;
        }
        let mut keys = VaultKeys { database: Zeroizing::new([0; 32]), sync_root: Zeroizing::new([0; 32]) };
        keys.database.copy_from_slice(&bytes[..32]);
        keys.sync_root.copy_from_slice(&bytes[32..]);
        Some(keys)
    }

    /// The SQL that keys a SQLCipher connection with the raw database key (no PBKDF2 inside SQLCipher:
    /// the key is already random).
    pub(crate) fn sqlcipher_key_pragma(&self) -> Zeroizing<String> {
        Zeroizing::new(format!("PRAGMA key = \"{}\";", self.sqlcipher_key_literal().as_str()))
    }

    /// The database key as SQLCipher takes a raw key (`x'…'`), for `PRAGMA key` and `ATTACH … KEY`.
    pub(crate) fn sqlcipher_key_literal(&self) -> Zeroizing<String> {
        Zeroizing::new(format!("x'{}'", data_encoding::HEXLOWER.encode(&self.database[..])))
    }
}

impl fmt::Debug for VaultKeys {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("VaultKeys(<redacted>)")
    }
}

/// Secrets are never copied or serialized by accident: this fails to compile if one of them becomes
/// `Clone` or `Serialize` (the trick `static_assertions::assert_not_impl_any!` uses: with the trait
/// implemented, the impl to pick is ambiguous).
const _: () = {
    trait AmbiguousIfImplemented<A> {
        fn some_item() {}
    }
    impl<T: ?Sized> AmbiguousIfImplemented<()> for T {}
    struct IfClone;
    struct IfSerialize;
    impl<T: Clone> AmbiguousIfImplemented<IfClone> for T {}
    impl<T: ?Sized + serde::Serialize> AmbiguousIfImplemented<IfSerialize> for T {}
    let _ = <Passphrase as AmbiguousIfImplemented<_>>::some_item;
    let _ = <RecoveryKey as AmbiguousIfImplemented<_>>::some_item;
    let _ = <VaultKeys as AmbiguousIfImplemented<_>>::some_item;
    let _ = <crate::sync::record::SyncKey as AmbiguousIfImplemented<_>>::some_item;
    let _ = <crate::sync::AccountKeys as AmbiguousIfImplemented<_>>::some_item;
    let _ = <crate::sync::Identity as AmbiguousIfImplemented<_>>::some_item;
    let _ = <crate::sync::Keyring as AmbiguousIfImplemented<_>>::some_item;
};

pub(crate) fn random_key() -> Zeroizing<[u8; 32]> {
    let mut key = Zeroizing::new([0u8; 32]);
    rand::rngs::OsRng.fill_bytes(&mut key[..]);
    key
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn strength_ranks_common_passwords_low_and_long_random_phrases_high() {
        let weak = Passphrase::new("password1").strength();
        assert!(weak.score <= 1 && !weak.feedback.is_empty(), "{weak:?}");
        let short = Passphrase::new("x7!q").strength();
        assert!(!short.acceptable && short.feedback.contains("at least 8"), "{short:?}");
        let strong = Passphrase::new("tundra quill mosaic ferry lantern").strength();
        assert!(strong.score == 4 && strong.acceptable, "{strong:?}");
    }

    #[test]
    fn common_passwords_are_refused_with_the_meters_advice_whatever_their_length() {
        for weak in ["password", "12345678", "password1", "qwertyuiop", "iloveyou2020"] {
            let p = Passphrase::new(weak);
            let Err(Error::WeakPassphrase(why)) = p.check_strength() else { panic!("{weak} was let through") };
            assert!(why.starts_with("it would be guessed too easily. ") && why.len() > 40, "{weak}: {why}");
            assert!(!p.strength().acceptable, "the meter agrees with the rule");
        }
        for fine in ["tundra quill mosaic ferry lantern", "a long enough passphrase", "correct horse battery staple"] {
            assert!(Passphrase::new(fine).check_strength().is_ok(), "{fine}");
        }
    }

    #[test]
    fn debug_output_never_shows_secret_bytes() {
        let p = Passphrase::new("correct horse battery staple");
        let r = RecoveryKey::generate();
        let k = VaultKeys::generate();
        let shown = format!("{p:?} {r:?} {k:?}");
        assert_eq!(shown, "Passphrase(<redacted>) RecoveryKey(<redacted>) VaultKeys(<redacted>)");
    }

    #[test]
    fn recovery_key_round_trips_through_words_with_sloppy_spacing() {
        let key = RecoveryKey::generate();
        let words = key.dangerously_to_words();
        assert_eq!(words.split(' ').count(), 24);
        let sloppy = format!("  {}\n", words.to_uppercase().replace(' ', "  -\t"));
        let parsed = RecoveryKey::parse(&sloppy).expect("parses");
        assert_eq!(parsed.bytes(), key.bytes());
    }

    #[test]
    fn recovery_key_rejects_wrong_word_count_and_bad_checksum() {
        assert!(matches!(RecoveryKey::parse("abandon abandon"), Err(Error::MalformedRecoveryKey(_))));
        let words = "abandon ".repeat(24);
        assert!(matches!(RecoveryKey::parse(&words), Err(Error::MalformedRecoveryKey(_))));
    }

    #[test]
    fn short_passphrase_is_refused() {
        assert!(matches!(Passphrase::new("short").check_strength(), Err(Error::WeakPassphrase(_))));
        assert!(Passphrase::new("long enough phrase").check_strength().is_ok());
    }
}
