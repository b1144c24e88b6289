//! Credence's core: the whole domain with no UI. See docs/ARCHITECTURE.md for the map.
//!
//! The entry point is [`Vault`]: create or open one, then call its methods. Every mutation goes through
//! the journal (one operation = one database transaction + its change-log entries).

pub mod analytics;
pub mod charts;
pub mod coach;
pub mod error;
pub mod files;
mod ids;
pub mod import;
pub mod journal;
pub mod ledger;
pub mod rules;
pub mod score;
pub mod sync;
pub mod values;
pub mod vault;

pub use error::{Error, Result};
pub use journal::{Change, ChangeKind, Operation};
pub use ledger::{
    Account, AccountChanges, AccountKind, Category, CategoryKind, ListPosition, NewAccount, NewTransaction,
    Transaction, TransactionEdit, TransactionFilter,
};
pub use vault::{BackupSummary, CreateOptions, IntegrityReport, KdfParams, Passphrase, RecoveryKey, Vault};
