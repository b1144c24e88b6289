//! Analytics: what the ledger adds up to. Everything is computed from the vault in exact decimals;
//! transfers between the user's own accounts (filed under a transfer category, or paired) are neither
//! income nor spending; different currencies are never added together unless the user gave a rate
//! (`rates.rs`), and a converted figure says which currencies it took in.

mod balances;
mod budgets;
mod custom;
mod dashboard;
mod monthly;
mod periods;
mod rates;
mod recurring;
mod saved;
pub(crate) mod totals;
mod trends;

pub(crate) use balances::month_starts;
pub use balances::{NetWorthPoint, UtilizationPoint};
pub use budgets::BudgetLine;
pub use custom::{report_csv, GroupBy, ReportQuery, ReportRow};
pub use dashboard::{CategorySpending, Dashboard};
pub use monthly::{MonthTotals, MonthlyFilter};
pub use periods::Period;
pub use rates::ExchangeRate;
pub(crate) use recurring::RecurringCache;
pub use recurring::{Cadence, RecurringSeries, SeriesStatus};
pub use saved::SavedReport;
pub use trends::{Measure, Trend, TrendPoint};

/// Literals for the unit tests of this module.
#[cfg(test)]
pub(crate) mod testing {
    use chrono::NaiveDate;
    use rust_decimal::Decimal;

    pub(crate) fn d(s: &str) -> Decimal {
        s.parse().expect("decimal")
    }

    pub(crate) fn day(s: &str) -> NaiveDate {
        s.parse().expect("date")
    }
}
