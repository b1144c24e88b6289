//! The ledger: accounts, hierarchical categories and transactions. Every write goes through the
//! journal's write path; reads are plain queries.

mod accounts;
mod categories;
pub(crate) mod transactions;

pub use accounts::{Account, AccountChanges, AccountKind, NewAccount};
pub use categories::{Category, CategoryKind};
pub use transactions::{ListPosition, NewTransaction, Transaction, TransactionEdit, TransactionFilter};
