//! The credit-score engine: a transparent, offline estimate computed from a credit profile the user
//! keeps, with every point traced to a table row (`model.json`). Called an estimate, never a FICO or
//! VantageScore. `profile` is the credit report as data (and its JSON exchange format), `inquiries` which
//! hard inquiries count, `engine` the scorecard.

mod calibrate;
mod compare;
mod engine;
pub mod form;
pub mod inquiries;
mod model;
mod plan;
pub mod profile;
mod simulate;
mod store;
mod timeline;
pub mod wizard;

pub use calibrate::{bad_rate, bad_rate_percent, calibrate, flavour_of, Calibrated};
pub use compare::{compare, Comparison};
pub use engine::{estimate, CategoryPoints, Estimate, Reason};
pub use plan::{dollars, plan, recommendations, Plan, PlanStep, Recommendation};
pub use simulate::{
    apply, escalation, highest_balance_under, next_utilization_steps, simulate, Simulation, WhatIf, CHANGE_KINDS,
};
pub use store::{counts, CreditCounts, CreditItem};
pub use timeline::{aging_calendar, history, projection, TimelinePoint};

pub use inquiries::{counted_inquiries, Flavour};
pub use profile::{
    CollectionItem, CreditProfile, Delinquency, InquiryItem, InquiryKind, MonthStatus, Ownership, PublicRecord,
    RecordKind, ReportedScore, Severity, Tradeline, TradelineKind,
};

#[cfg(test)]
pub(crate) mod tests {
    use super::CreditProfile;

    /// The reference's A780 anchor profile (scores 777).
    pub(crate) fn a780() -> CreditProfile {
        let text = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/score/a780.json"))
            .expect("read");
        CreditProfile::from_json(&text).expect("valid")
    }
}
