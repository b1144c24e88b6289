//! Analytics: what the ledger adds up to. Everything is computed from the vault in exact decimals;
//! transfers between the user's own accounts (filed under a transfer category, or paired) are neither
//! income nor spending; different currencies are never added together.

mod budgets;
mod custom;
mod monthly;
mod recurring;
pub(crate) mod totals;

pub use budgets::BudgetLine;
pub use custom::{GroupBy, Period, ReportQuery, ReportRow};
pub use monthly::{MonthTotals, MonthlyFilter};
pub use recurring::{Cadence, RecurringSeries};
