//! The credit-score engine (docs/scoring.md, to come with the engine itself): a transparent, offline
//! estimate computed from a credit profile the user keeps. This first part holds the profile — the
//! credit report as data, read from and written to the JSON exchange format — and the rules that
//! decide which of its items a bureau would still report and which inquiries count.

pub mod inquiries;
pub mod profile;

pub use inquiries::{counted_inquiries, Flavour};
pub use profile::{
    CollectionItem, CreditProfile, Delinquency, InquiryItem, InquiryKind, Ownership, PublicRecord, RecordKind,
    ReportedScore, Severity, Tradeline, TradelineKind,
};
