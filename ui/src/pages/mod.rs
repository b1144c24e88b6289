//! One module per screen.

pub mod accounts;
pub mod coach;
pub mod credit_file;
pub mod dashboard;
pub mod first_score;
pub mod gate;
pub mod import;
pub mod reports;
pub mod rules;
pub mod score;
pub mod settings;
pub mod sync;
pub mod sync_account;
pub mod sync_factor;
pub mod sync_history;
pub mod sync_members;
pub mod transactions;
