//! The key file: a small JSON sidecar (`<vault>.keys`) holding the vault's random keys wrapped twice,
//! once under a key derived from the passphrase (Argon2id) and once under the recovery key.
//!
//! Do not change the layout of [`KeyFileV1`] or the associated-data layout in [`slot_aad`]: vaults on
//! users' disks depend on both; a change means a new `version` with the old one still readable.

use std::fs;
use std::path::{Path, PathBuf};

use chacha20poly1305::aead::{Aead, KeyInit, Payload};
use chacha20poly1305::{XChaCha20Poly1305, XNonce};
use data_encoding::BASE64;
use rand::RngCore;
use serde::{Deserialize, Serialize};
use zeroize::Zeroizing;

use super::secret::{Passphrase, RecoveryKey, VaultKeys};
use crate::error::{Error, Result};

const FORMAT: &str = "credence-keys";
/// Version 2 binds the page size into both slots' associated data; version 1 files (which do not)
/// are still read, and stay version 1 until both slots are sealed anew (a rekey).
const VERSION: u32 = 2;
const READABLE_VERSIONS: [u32; 2] = [1, 2];

/// Argon2id cost. The floor is what any key file must meet (a file below it was tampered with or
/// written by a broken build); the default is what new vaults get, tuned so unlocking takes about half a
/// second on a 2-core machine (see docs/benchmarks.md).
pub const KDF_FLOOR: KdfParams = KdfParams { memory_kib: 64 * 1024, iterations: 3, parallelism: 1 };
pub const KDF_DEFAULT: KdfParams = KdfParams { memory_kib: 128 * 1024, iterations: 4, parallelism: 4 };

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct KdfParams {
    pub memory_kib: u32,
    pub iterations: u32,
    pub parallelism: u32,
}

/// The most a key file may ask of the key derivation: a tampered file (or backup) asking for more could
/// exhaust the machine's memory or time before the passphrase is even checked.
pub const KDF_CEILING: KdfParams = KdfParams { memory_kib: 4 * 1024 * 1024, iterations: 20, parallelism: 16 };

impl KdfParams {
    fn check_ceiling(&self) -> Result<()> {
        let c = KDF_CEILING;
        if self.memory_kib > c.memory_kib || self.iterations > c.iterations || self.parallelism > c.parallelism {
            return Err(Error::Damaged(format!(
                "the key file asks for key-derivation settings beyond what Credence ever writes ({self:?}); it has been tampered with or comes from elsewhere"
            )));
        }
        Ok(())
    }

    fn check_floor(&self) -> Result<()> {
        let f = KDF_FLOOR;
        if self.memory_kib < f.memory_kib || self.iterations < f.iterations || self.parallelism < f.parallelism {
            return Err(Error::Damaged(format!(
                "the key file asks for key-derivation settings below the safe minimum ({self:?})"
            )));
        }
        Ok(())
    }
}

#[derive(Debug, Clone, Serialize, Deserialize)]
struct KdfSection {
    algorithm: String,
    #[serde(flatten)]
    params: KdfParams,
    salt: String,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
struct Slot {
    nonce: String,
    sealed: String,
}

// Clone: a key file is copied to change one slot; it holds only sealed material.
#[derive(Debug, Clone, Serialize, Deserialize)]
struct KeyFileV1 {
    format: String,
    version: u32,
    vault_id: String,
    kdf: KdfSection,
    passphrase_slot: Slot,
    recovery_slot: Slot,
    /// The database's page size, which SQLCipher must be told before it reads a page. Absent in key
    /// files written before it was recorded: those vaults use SQLCipher's default.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    page_size: Option<u32>,
}

/// SQLCipher's page size, for vaults whose key file records none.
const DEFAULT_PAGE_SIZE: u32 = 4096;

/// A parsed key file. Holds only wrapped (encrypted) keys, so it is safe to keep in memory and to copy
/// into backups.
#[derive(Debug)]
pub struct KeyFile {
    inner: KeyFileV1,
}

#[derive(Clone, Copy)]
enum SlotKind {
    Passphrase,
    Recovery,
}

impl SlotKind {
    fn name(self) -> &'static str {
        match self {
            SlotKind::Passphrase => "passphrase",
            SlotKind::Recovery => "recovery",
        }
    }
}

/// The path of the key file that belongs to a vault file.
pub fn key_file_path(vault: &Path) -> PathBuf {
    crate::files::beside(vault, ".keys")
}

impl KeyFile {
    /// Wraps `keys` under both the passphrase and the recovery key.
    pub fn seal(
        vault_id: &str,
        keys: &VaultKeys,
        passphrase: &Passphrase,
        recovery: &RecoveryKey,
        kdf: KdfParams,
        page_size: u32,
    ) -> Result<Self> {
        let mut inner = KeyFileV1 {
            format: FORMAT.into(),
            version: VERSION,
            vault_id: vault_id.into(),
            kdf: fresh_kdf_section(kdf)?,
            passphrase_slot: Slot { nonce: String::new(), sealed: String::new() },
            recovery_slot: Slot { nonce: String::new(), sealed: String::new() },
            page_size: Some(page_size),
        };
        inner.recovery_slot = seal_slot(&inner, SlotKind::Recovery, &recovery_kek(recovery), keys)?;
        inner.passphrase_slot = seal_slot(
            &inner,
            SlotKind::Passphrase,
            &*derive_passphrase_kek(passphrase.dangerously_expose(), &inner.kdf)?,
            keys,
        )?;
        Ok(KeyFile { inner })
    }

    pub fn vault_id(&self) -> &str {
        &self.inner.vault_id
    }

    pub fn kdf(&self) -> KdfParams {
        self.inner.kdf.params
    }

    pub fn page_size(&self) -> u32 {
        self.inner.page_size.unwrap_or(DEFAULT_PAGE_SIZE)
    }

    pub fn unlock_with_passphrase(&self, passphrase: &Passphrase) -> Result<VaultKeys> {
        self.unlock_with_passphrase_form(passphrase).map(|(keys, _)| keys)
    }

    /// Unlocks with the passphrase normalized or, for a slot sealed before passphrases were normalized,
    /// as typed; says which (`true`: as typed, so the slot should be sealed again).
    pub(crate) fn unlock_with_passphrase_form(&self, passphrase: &Passphrase) -> Result<(VaultKeys, bool)> {
        let kek = derive_passphrase_kek(passphrase.dangerously_expose(), &self.inner.kdf)?;
        if let Some(keys) = open_slot(&self.inner, SlotKind::Passphrase, &kek) {
            return Ok((keys, false));
        }
        let Some(typed) = passphrase.dangerously_expose_as_typed() else { return Err(Error::WrongPassphrase) };
        let kek = derive_passphrase_kek(typed, &self.inner.kdf)?;
        open_slot(&self.inner, SlotKind::Passphrase, &kek).map(|keys| (keys, true)).ok_or(Error::WrongPassphrase)
    }

    pub fn unlock_with_recovery_key(&self, recovery: &RecoveryKey) -> Result<VaultKeys> {
        open_slot(&self.inner, SlotKind::Recovery, &recovery_kek(recovery)).ok_or(Error::WrongRecoveryKey)
    }

    /// A copy of this key file whose recovery slot opens with `recovery` instead; the passphrase slot is
    /// kept byte for byte, and the old recovery key opens nothing in it.
    pub fn rewrap_recovery(&self, keys: &VaultKeys, recovery: &RecoveryKey) -> Result<Self> {
        let mut inner = self.inner.clone();
        inner.recovery_slot = seal_slot(&inner, SlotKind::Recovery, &recovery_kek(recovery), keys)?;
        Ok(KeyFile { inner })
    }

    /// A copy of this key file whose passphrase slot opens with `new` (fresh salt); the recovery slot
    /// is kept byte for byte.
    pub fn rewrap_passphrase(&self, keys: &VaultKeys, new: &Passphrase, kdf: KdfParams) -> Result<Self> {
        self.rewrap_with_bytes(keys, new.dangerously_expose(), kdf)
    }

    /// The same, from the exact bytes the key derivation takes (a slot as older versions sealed it).
    pub(crate) fn rewrap_with_bytes(&self, keys: &VaultKeys, passphrase: &[u8], kdf: KdfParams) -> Result<Self> {
        let mut inner = self.inner.clone();
        // The slot's associated data names the new salt and settings, so they are in place before sealing.
        inner.kdf = fresh_kdf_section(kdf)?;
        inner.passphrase_slot =
            seal_slot(&inner, SlotKind::Passphrase, &*derive_passphrase_kek(passphrase, &inner.kdf)?, keys)?;
        Ok(KeyFile { inner })
    }

    pub fn to_bytes(&self) -> Vec<u8> {
        // Serializing plain strings and integers cannot fail.
        serde_json::to_vec_pretty(&self.inner).unwrap_or_default()
    }

    pub fn from_bytes(bytes: &[u8]) -> Result<Self> {
        let inner: KeyFileV1 =
            serde_json::from_slice(bytes).map_err(|e| Error::Damaged(format!("the key file cannot be read: {e}")))?;
        if inner.format != FORMAT {
            return Err(Error::Damaged("the key file is not a Credence key file".into()));
        }
        if !READABLE_VERSIONS.contains(&inner.version) {
            return Err(Error::Damaged(format!("unknown key file version {}; update Credence", inner.version)));
        }
        if inner.kdf.algorithm != "argon2id" {
            return Err(Error::Damaged(format!("unknown key derivation {}", inner.kdf.algorithm)));
        }
        inner.kdf.params.check_floor()?;
        inner.kdf.params.check_ceiling()?;
        if !inner.page_size.is_none_or(|p| p.is_power_of_two() && (512..=65536).contains(&p)) {
            return Err(Error::Damaged("the key file names an impossible page size".into()));
        }
        Ok(KeyFile { inner })
    }

    pub fn read(path: &Path) -> Result<Self> {
        let bytes = fs::read(path).map_err(Error::io(path))?;
        Self::from_bytes(&bytes)
    }

    /// Replaces the file at `path` so that a crash at any point leaves either the old or the new key
    /// file, never a torn one: write a temporary file (mode 0600), fsync it, rename it over, fsync the
    /// folder.
    pub fn write_atomically(&self, path: &Path) -> Result<()> {
        crate::files::write_atomically(path, &self.to_bytes())
    }
}

fn fresh_kdf_section(params: KdfParams) -> Result<KdfSection> {
    params.check_floor()?;
    params.check_ceiling()?;
    let mut salt = [0u8; 16];
    rand::rngs::OsRng.fill_bytes(&mut salt);
    Ok(KdfSection { algorithm: "argon2id".into(), params, salt: BASE64.encode(&salt) })
}

fn derive_passphrase_kek(passphrase: &[u8], kdf: &KdfSection) -> Result<Zeroizing<[u8; 32]>> {
    let salt = BASE64
        .decode(kdf.salt.as_bytes())
        .map_err(|_| Error::Damaged("the key file's salt is not valid base64".into()))?;
    let p = kdf.params;
    let params = argon2::Params::new(p.memory_kib, p.iterations, p.parallelism, Some(32))
        .map_err(|e| Error::Damaged(format!("the key file's key-derivation settings are invalid: {e}")))?;
    let argon = argon2::Argon2::new(argon2::Algorithm::Argon2id, argon2::Version::V0x13, params);
    let mut kek = Zeroizing::new([0u8; 32]);
    argon
        .hash_password_into(passphrase, &salt, &mut kek[..])
        .map_err(|e| Error::Damaged(format!("key derivation failed: {e}")))?;
    Ok(kek)
}

/// The recovery key is already 256 random bits; HKDF only separates it from any other use.
fn recovery_kek(recovery: &RecoveryKey) -> Zeroizing<[u8; 32]> {
    let hk = hkdf::Hkdf::<sha2::Sha256>::new(None, recovery.bytes());
    let mut kek = Zeroizing::new([0u8; 32]);
    // 32 bytes is far below HKDF-SHA256's output limit.
    let _ = hk.expand(b"credence recovery kek v1", &mut kek[..]);
    kek
}

/// Binds each sealed slot to its vault and its role, so a slot cannot be moved to another vault or the
/// other slot, and (from version 2) to the database's page size, so a changed page size is caught as
/// tampering with the key file rather than met as an undecryptable database. The passphrase slot is
/// also bound to its KDF settings and salt, so they cannot be lowered without the tag failing; the
/// recovery slot is not, so a passphrase change can keep it untouched.
fn slot_aad(file: &KeyFileV1, slot: SlotKind) -> Vec<u8> {
    let mut aad = format!("{FORMAT}|v{}|{}|{}", file.version, file.vault_id, slot.name());
    if file.version >= 2 {
        aad.push_str(&format!("|page={}", file.page_size.unwrap_or(DEFAULT_PAGE_SIZE)));
    }
    if let SlotKind::Passphrase = slot {
        let (k, p) = (&file.kdf, file.kdf.params);
        aad.push_str(&format!(
            "|{}|m={},t={},p={}|salt={}",
            k.algorithm, p.memory_kib, p.iterations, p.parallelism, k.salt
        ));
    }
    aad.into_bytes()
}

fn seal_slot(file: &KeyFileV1, slot: SlotKind, kek: &[u8; 32], keys: &VaultKeys) -> Result<Slot> {
    let cipher = XChaCha20Poly1305::new(kek.into());
    let mut nonce = [0u8; 24];
    rand::rngs::OsRng.fill_bytes(&mut nonce);
    let plain = keys.to_bytes();
    let sealed = cipher
        .encrypt(XNonce::from_slice(&nonce), Payload { msg: &plain[..], aad: &slot_aad(file, slot) })
        .map_err(|_| Error::invalid("could not seal the vault keys"))?;
    Ok(Slot { nonce: BASE64.encode(&nonce), sealed: BASE64.encode(&sealed) })
}

fn open_slot(file: &KeyFileV1, slot: SlotKind, kek: &[u8; 32]) -> Option<VaultKeys> {
    let sealed_slot = match slot {
        SlotKind::Passphrase => &file.passphrase_slot,
        SlotKind::Recovery => &file.recovery_slot,
    };
    let nonce = BASE64.decode(sealed_slot.nonce.as_bytes()).ok().filter(|n| n.len() == 24)?;
    let sealed = BASE64.decode(sealed_slot.sealed.as_bytes()).ok()?;
    let cipher = XChaCha20Poly1305::new(kek.into());
    let plain = Zeroizing::new(
        cipher.decrypt(XNonce::from_slice(&nonce), Payload { msg: &sealed, aad: &slot_aad(file, slot) }).ok()?,
    );
    VaultKeys::from_bytes(&plain)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sample() -> (KeyFile, VaultKeys, RecoveryKey) {
        let keys = VaultKeys::generate();
        let recovery = RecoveryKey::generate();
        let file = KeyFile::seal("vault-1", &keys, &Passphrase::new("hunter22 hunter22"), &recovery, KDF_FLOOR, 16384)
            .expect("seal");
        (file, keys, recovery)
    }

    #[test]
    fn both_slots_open_to_the_same_keys_and_wrong_secrets_are_told_apart() {
        let (file, keys, recovery) = sample();
        let file = KeyFile::from_bytes(&file.to_bytes()).expect("round trip");
        let a = file.unlock_with_passphrase(&Passphrase::new("hunter22 hunter22")).expect("passphrase");
        let b = file.unlock_with_recovery_key(&recovery).expect("recovery");
        assert_eq!(a.to_bytes()[..], keys.to_bytes()[..]);
        assert_eq!(b.to_bytes()[..], keys.to_bytes()[..]);
        assert!(matches!(
            file.unlock_with_passphrase(&Passphrase::new("hunter23 hunter22")),
            Err(Error::WrongPassphrase)
        ));
        assert!(matches!(file.unlock_with_recovery_key(&RecoveryKey::generate()), Err(Error::WrongRecoveryKey)));
    }

    #[test]
    fn lowering_kdf_settings_in_the_file_is_refused_or_breaks_the_tag() {
        let (file, _, _) = sample();
        let text = String::from_utf8(file.to_bytes()).expect("utf8");
        let below_floor = text.replace("\"memory_kib\": 65536", "\"memory_kib\": 1024");
        assert!(matches!(KeyFile::from_bytes(below_floor.as_bytes()), Err(Error::Damaged(_))));
        let other_valid = text.replace("\"iterations\": 3", "\"iterations\": 4");
        let tampered = KeyFile::from_bytes(other_valid.as_bytes()).expect("still parses");
        assert!(matches!(
            tampered.unlock_with_passphrase(&Passphrase::new("hunter22 hunter22")),
            Err(Error::WrongPassphrase)
        ));
    }

    #[test]
    fn missing_or_zero_kdf_parameters_are_an_error_never_a_default() {
        let (file, _, _) = sample();
        let text = String::from_utf8(file.to_bytes()).expect("utf8");
        let missing = text.replace("\"parallelism\": 1,", "");
        assert!(matches!(KeyFile::from_bytes(missing.as_bytes()), Err(Error::Damaged(_))));
        let zero = text.replace("\"parallelism\": 1", "\"parallelism\": 0");
        assert!(matches!(KeyFile::from_bytes(zero.as_bytes()), Err(Error::Damaged(_))));
    }

    #[test]
    fn rewrap_changes_only_the_passphrase_slot() {
        let (file, keys, recovery) = sample();
        let new = file.rewrap_passphrase(&keys, &Passphrase::new("a new passphrase"), KDF_FLOOR).expect("rewrap");
        assert!(matches!(
            new.unlock_with_passphrase(&Passphrase::new("hunter22 hunter22")),
            Err(Error::WrongPassphrase)
        ));
        assert!(new.unlock_with_passphrase(&Passphrase::new("a new passphrase")).is_ok());
        assert!(new.unlock_with_recovery_key(&recovery).is_ok());
        assert!(new.to_bytes().len() < 4096, "a passphrase change rewrites under 4 KB");
    }

    #[test]
    fn a_changed_page_size_breaks_both_slots_and_version_1_files_still_open() {
        let (file, keys, recovery) = sample();
        let pass = Passphrase::new("hunter22 hunter22");
        let text = String::from_utf8(file.to_bytes()).expect("utf8");
        let other_page = KeyFile::from_bytes(text.replace("\"page_size\": 16384", "\"page_size\": 4096").as_bytes())
            .expect("parses");
        assert!(matches!(other_page.unlock_with_passphrase(&pass), Err(Error::WrongPassphrase)));
        assert!(matches!(other_page.unlock_with_recovery_key(&recovery), Err(Error::WrongRecoveryKey)));

        // A version 1 file, as Credence sealed it before the page size was bound.
        let mut inner = file.inner.clone();
        inner.version = 1;
        inner.recovery_slot = seal_slot(&inner, SlotKind::Recovery, &recovery_kek(&recovery), &keys).expect("seal");
        inner.passphrase_slot = seal_slot(
            &inner,
            SlotKind::Passphrase,
            &derive_passphrase_kek(pass.dangerously_expose(), &inner.kdf).expect("kdf"),
            &keys,
        )
        .expect("seal");
        let v1 = KeyFile::from_bytes(&KeyFile { inner }.to_bytes()).expect("version 1 is read");
        assert!(v1.unlock_with_passphrase(&pass).is_ok() && v1.unlock_with_recovery_key(&recovery).is_ok());
        let changed = v1.rewrap_passphrase(&keys, &Passphrase::new("a new passphrase"), KDF_FLOOR).expect("rewrap");
        assert_eq!(changed.inner.version, 1, "a passphrase change keeps the recovery slot, so the version");
        assert!(changed.unlock_with_recovery_key(&recovery).is_ok());
        assert!(
            KeyFile::from_bytes(text.replace("\"version\": 2", "\"version\": 3").as_bytes()).is_err(),
            "a newer version is refused"
        );
    }

    #[cfg(unix)]
    #[test]
    fn key_file_is_written_owner_only() {
        use std::os::unix::fs::PermissionsExt;
        let dir = tempfile::tempdir().expect("tempdir");
        let path = dir.path().join("v.keys");
        let (file, _, _) = sample();
        file.write_atomically(&path).expect("write");
        file.write_atomically(&path).expect("overwrite");
        let mode = fs::metadata(&path).expect("meta").permissions().mode() & 0o777;
        assert_eq!(mode, 0o600);
        assert_eq!(fs::read_dir(dir.path()).expect("ls").count(), 1, "no temporary files left behind");
    }
}
