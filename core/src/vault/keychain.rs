//! "Remember on this device": the unwrapped vault keys kept in the OS keychain (macOS Keychain,
//! Windows Credential Manager, the Secret Service or kernel keyring on Linux), so the vault opens without
//! the passphrase on this device only. Where no keychain service runs (a headless Linux box) every call
//! says so with [`Error::KeychainUnavailable`] and the caller carries on with the passphrase.

use std::path::Path;

use super::secret::VaultKeys;
use super::{read_key_file, Vault};
use crate::error::{Error, Result};

const SERVICE: &str = "credence-vault";

impl Vault {
    /// Stores this vault's keys in the OS keychain.
    pub fn remember_on_device(&self) -> Result<()> {
        self.remember_in(&entry_for(self.vault_id())?)
    }

    /// Opens the vault at `path` with keys remembered in the OS keychain.
    pub fn open_remembered(path: &Path) -> Result<Vault> {
        super::settle(path)?;
        let key_file = read_key_file(path)?;
        let entry = entry_for(key_file.vault_id())?;
        let keys = recall_from(&entry)?;
        Vault::open_with_keys(path, key_file, keys)
    }

    /// Whether this device's keychain holds the keys of the vault at `path` (false where there is no
    /// keychain or no vault).
    pub fn is_remembered(path: &Path) -> bool {
        let Ok(key_file) = read_key_file(path) else { return false };
        entry_for(key_file.vault_id()).and_then(|entry| recall_from(&entry)).is_ok()
    }

    /// Removes the vault's keys from the OS keychain; returns false when none were there.
    pub fn forget_on_device(path: &Path) -> Result<bool> {
        let key_file = read_key_file(path)?;
        forget_in(&entry_for(key_file.vault_id())?)
    }

    /// Whether this device's keychain holds an entry for this vault (its keys, current or not).
    pub(crate) fn is_remembered_here(&self) -> bool {
        entry_for(self.vault_id()).and_then(|entry| recall_from(&entry)).is_ok()
    }

    fn remember_in(&self, entry: &keyring::Entry) -> Result<()> {
        // keyutils reports a refused write as NoEntry; on a write, any failure means "unavailable".
        entry.set_secret(&self.keys.to_bytes()[..]).map_err(|e| Error::KeychainUnavailable(describe(&e)))
    }
}

fn entry_for(vault_id: &str) -> Result<keyring::Entry> {
    keyring::Entry::new(SERVICE, vault_id).map_err(|e| Error::KeychainUnavailable(describe(&e)))
}

fn recall_from(entry: &keyring::Entry) -> Result<VaultKeys> {
    let secret = zeroize::Zeroizing::new(entry.get_secret().map_err(map_read_error)?);
    VaultKeys::from_bytes(&secret)
        .ok_or_else(|| Error::KeychainUnavailable("the keychain entry is not a vault key".into()))
}

fn forget_in(entry: &keyring::Entry) -> Result<bool> {
    match entry.delete_credential() {
        Ok(()) => Ok(true),
        Err(keyring::Error::NoEntry) => Ok(false),
        Err(e) => Err(Error::KeychainUnavailable(describe(&e))),
    }
}

fn map_read_error(e: keyring::Error) -> Error {
    match e {
        keyring::Error::NoEntry => Error::NotRemembered,
        other => Error::KeychainUnavailable(describe(&other)),
    }
}

fn describe(e: &keyring::Error) -> String {
    match e {
        keyring::Error::PlatformFailure(inner) | keyring::Error::NoStorageAccess(inner) => {
            let text = inner.to_string();
            if text.contains("DISPLAY") || text.contains("dbus") || text.contains("D-Bus") {
                "no keychain service is running on this system".into()
            } else {
                text
            }
        }
        keyring::Error::NoEntry => "the keychain refused to store the key".into(),
        other => other.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::vault::tests::{new_vault, PASS};

    fn mock_entry() -> keyring::Entry {
        keyring::set_default_credential_builder(keyring::mock::default_credential_builder());
        keyring::Entry::new(SERVICE, "test").expect("mock entry")
    }

    #[test]
    fn remembered_keys_open_the_vault_without_the_passphrase() {
        let (_dir, path, vault) = new_vault();
        let entry = mock_entry();
        assert!(matches!(recall_from(&entry), Err(Error::NotRemembered)));
        vault.remember_in(&entry).expect("remember");
        let keys = recall_from(&entry).expect("recall");
        drop(vault);
        let key_file = read_key_file(&path).expect("key file");
        let reopened = Vault::open_with_keys(&path, key_file, keys).expect("opens");
        assert_eq!(reopened.accounts().expect("accounts").len(), 0);
        assert!(forget_in(&entry).expect("forget"));
        assert!(!forget_in(&entry).expect("forget twice"));
        let _ = PASS;
    }

    #[test]
    fn a_missing_keychain_service_is_a_clear_error() {
        let (_dir, _path, vault) = new_vault();
        let entry = mock_entry();
        let mock: &keyring::mock::MockCredential = entry.get_credential().downcast_ref().expect("mock");
        mock.set_error(keyring::Error::PlatformFailure(
            "Unable to autolaunch a dbus-daemon without a $DISPLAY for X11".into(),
        ));
        let err = vault.remember_in(&entry).expect_err("fails");
        assert_eq!(
            err.to_string(),
            "the OS keychain is not available here (no keychain service is running on this system); enter the passphrase instead"
        );
    }
}
