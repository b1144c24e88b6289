//! Alternative data, kept local: rent, utilities, phone and streaming paid on time month after month,
//! found by the recurring-payment detector. The record Experian Boost would use; no score effect is
//! claimed for it.

use chrono::NaiveDate;
use rust_decimal::Decimal;

use super::words::{BillKind, Words};
use crate::analytics::{Cadence, SeriesStatus};
use crate::error::Result;
use crate::vault::Vault;

/// What the on-time record is, and what it is not.
pub const BILLS_NOTE: &str = "Bills paid on time are not on a credit report, so this estimate (FICO 8 flavour) gives \
them no points. This is the record a lender, or a service such as Experian Boost, could be shown; whether it counts \
depends on the score they use.";

/// A bill paid on time, month after month.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OnTimeBill {
    pub kind: BillKind,
    pub payee: String,
    pub account: String,
    pub currency: String,
    pub cadence: Cadence,
    /// The latest payment, positive.
    pub amount: Decimal,
    /// Payments in a row at the cadence up to the latest, and the first of them.
    pub streak: usize,
    pub since: NaiveDate,
    pub last_date: NaiveDate,
    /// The next payment is overdue (the streak may be about to end).
    pub overdue: bool,
}

impl Vault {
    /// Rent, utilities, phone and streaming among the recurring payments still running on `as_of`.
    pub fn on_time_bills(&self, as_of: NaiveDate) -> Result<Vec<OnTimeBill>> {
        let mut bills: Vec<OnTimeBill> = self
            .recurring_payments(as_of)?
            .into_iter()
            .filter(|s| s.is_running())
            .filter_map(|s| {
                let kind = Words::of([s.payee.as_str()]).bill_kind()?;
                Some(OnTimeBill {
                    kind,
                    amount: s.amount.abs(),
                    streak: s.streak,
                    since: s.streak_since,
                    last_date: s.last_date,
                    overdue: s.status == SeriesStatus::Missed,
                    cadence: s.cadence,
                    payee: s.payee,
                    account: s.account,
                    currency: s.currency,
                })
            })
            .collect();
        bills.sort_by(|a, b| (a.kind, &a.payee).cmp(&(b.kind, &b.payee)));
        Ok(bills)
    }
}
