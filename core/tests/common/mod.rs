//! Helpers shared by the core's behaviour tests.
#![allow(dead_code)]

use std::path::{Path, PathBuf};

use chrono::NaiveDate;
use credence_core::vault::KDF_FLOOR;
use credence_core::{AccountKind, CreateOptions, NewAccount, NewTransaction, Passphrase, Vault};
use rust_decimal::Decimal;

pub const PASS: &str = "correct horse battery staple";

pub fn passphrase() -> Passphrase {
    Passphrase::new(PASS)
}

/// A real vault with the floor KDF cost, so each unlock takes a fraction of a second.
pub fn create(dir: &Path) -> (PathBuf, Vault) {
    let path = dir.join("test.vault");
    let (vault, _) = Vault::create_with(&path, &passphrase(), CreateOptions { kdf: KDF_FLOOR }).expect("create");
    (path, vault)
}

pub fn checking(vault: &mut Vault) -> String {
    vault
        .add_account(NewAccount {
            name: "Checking".into(),
            kind: AccountKind::Checking,
            currency: "USD".into(),
            credit_limit: None,
        })
        .expect("account")
        .id
}

pub fn tx(account: &str, date: (i32, u32, u32), amount: &str, payee: &str) -> NewTransaction {
    NewTransaction {
        account_id: account.into(),
        date: NaiveDate::from_ymd_opt(date.0, date.1, date.2).expect("date"),
        amount: amount.parse::<Decimal>().expect("amount"),
        payee: payee.into(),
        memo: String::new(),
        category_id: None,
    }
}

/// Every file that belongs to the vault at `path`: the database, its WAL and shared memory, the key file.
pub fn vault_files(path: &Path) -> Vec<PathBuf> {
    let dir = path.parent().expect("parent");
    let mut files: Vec<PathBuf> = std::fs::read_dir(dir).expect("ls").filter_map(|e| Some(e.ok()?.path())).collect();
    files.sort();
    files
}
