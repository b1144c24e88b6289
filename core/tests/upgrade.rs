//! Vaults written by released versions of Credence open in this one, upgraded to the newest schema with
//! every balance intact. Each released schema keeps a fixture in tests/fixtures/ (made with the
//! `credence` of that version; passphrase in the name of the test's constant).

use credence_core::vault::{key_file_path, LATEST_VERSION};
use credence_core::{Passphrase, TransactionFilter, Vault};

const SCHEMA_V1_PASSPHRASE: &str = "fixture passphrase v1";

fn fixture_copy(name: &str, dir: &std::path::Path) -> std::path::PathBuf {
    let src = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures").join(name);
    let dst = dir.join(name);
    std::fs::copy(&src, &dst).expect("copy vault");
    std::fs::copy(key_file_path(&src), key_file_path(&dst)).expect("copy key file");
    dst
}

#[test]
fn a_schema_v1_vault_opens_upgraded_with_its_data_intact() {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = fixture_copy("schema-v1.vault", dir.path());
    let vault = Vault::open(&path, &Passphrase::new(SCHEMA_V1_PASSPHRASE)).expect("opens");
    assert_eq!(vault.schema_version().expect("version"), LATEST_VERSION);
    assert!(vault.integrity().expect("integrity").is_ok());
    let balances: Vec<(String, String)> =
        vault.accounts().expect("accounts").into_iter().map(|a| (a.name, a.balance.to_string())).collect();
    assert_eq!(balances, vec![("Checking".into(), "3045.79".into()), ("Visa".into(), "0.00".into())]);
    let txs = vault.transactions(&TransactionFilter::default()).expect("transactions");
    assert_eq!(txs.len(), 4);
    let grocer = txs.iter().find(|t| t.payee == "Grocer").expect("grocer");
    assert_eq!((grocer.memo.as_str(), grocer.category.as_deref()), ("weekly shop", Some("Food:Groceries")));
    assert_eq!(
        vault.account_by_name("Visa").expect("visa").credit_limit.map(|l| l.to_string()),
        Some("2500.00".into())
    );
}
