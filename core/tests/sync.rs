//! Sync records sealed under a vault's sync key: the key every device of the vault derives, which
//! survives a passphrase change and a rekey (they change what opens the vault, not what it syncs).

mod common;

use credence_core::sync::record::{open, seal, RecordId};
use credence_core::Passphrase;

use common::create;

#[test]
fn a_vault_keeps_its_sync_key_through_a_passphrase_change_and_a_rekey_and_no_other_vault_has_it() {
    let dir = tempfile::tempdir().expect("tempdir");
    let (_, mut vault) = create(dir.path());
    let vault_id = vault.vault_id().to_string();
    let id = RecordId { vault: &vault_id, device: "laptop", seq: 1 };
    let sealed = seal(&vault.sync_key(), &id, b"Add account Visa").expect("seal");
    vault.change_passphrase(&Passphrase::new("a new passphrase for this vault")).expect("change");
    assert_eq!(&open(&vault.sync_key(), &id, &sealed).expect("after a passphrase change")[..], b"Add account Visa");
    vault.rekey(&Passphrase::new("a new passphrase for this vault")).expect("rekey");
    assert_eq!(&open(&vault.sync_key(), &id, &sealed).expect("after a rekey")[..], b"Add account Visa");
    let other_dir = tempfile::tempdir().expect("tempdir");
    let (_, other) = create(other_dir.path());
    assert!(open(&other.sync_key(), &id, &sealed).is_err(), "another vault's key opens nothing of this one");
}
