//! The first-score wizard: what a person can answer from memory or from their card and loan apps (each
//! card and loan, recent applications, collections and public records), turned into the credit profile
//! the JSON exchange format gives for the same facts, and what that estimate cannot know yet.
//!
//! Answers are month-precise, as people remember them: a month stands for its first day.

use chrono::NaiveDate;
use rust_decimal::Decimal;

use super::profile::{
    CollectionItem, CreditProfile, Delinquency, InquiryItem, InquiryKind, Ownership, PublicRecord, RecordKind,
    Severity, Tradeline, TradelineKind,
};
use crate::error::{Error, Result};

/// Everything the wizard asks.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Answers {
    pub cards: Vec<CardAnswer>,
    pub loans: Vec<LoanAnswer>,
    pub inquiries: Vec<InquiryAnswer>,
    pub collections: Vec<CollectionAnswer>,
    pub public_records: Vec<RecordAnswer>,
}

/// A credit card as its app shows it.
#[derive(Debug, Clone, PartialEq)]
pub struct CardAnswer {
    pub name: String,
    pub opened: NaiveDate,
    /// `None` only for a card tied to a vault account (the vault's limit is used).
    pub limit: Option<Decimal>,
    /// What is owed now; `None` for a tied card (the vault's balance is used).
    pub balance: Option<Decimal>,
    pub late: Option<Late>,
    /// The vault account this card is ("this is my Visa in Credence").
    pub account: Option<String>,
}

impl CardAnswer {
    /// A card needs its limit unless it is tied to an account (whose limit is used); `label` names the
    /// card in the error ("card 2 (Visa)").
    pub fn check(&self, label: &str) -> Result<()> {
        if self.account.is_none() && self.limit.is_none() {
            return Err(Error::invalid(format!(
                "{label}: limit: is needed (or tie the card to an account in Credence)"
            )));
        }
        Ok(())
    }
}

/// A loan as its app shows it.
#[derive(Debug, Clone, PartialEq)]
pub struct LoanAnswer {
    pub name: String,
    /// Auto, student, mortgage, personal, …
    pub kind: TradelineKind,
    pub opened: NaiveDate,
    pub original_amount: Decimal,
    /// `None` for a loan tied to a vault account.
    pub balance: Option<Decimal>,
    pub late: Option<Late>,
    pub account: Option<String>,
}

/// The worst late payment on an account: how late it got, and in which month.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Late {
    pub month: NaiveDate,
    pub severity: Severity,
}

/// An application for credit in the last two years.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct InquiryAnswer {
    pub month: NaiveDate,
    pub purpose: InquiryKind,
}

#[derive(Debug, Clone, PartialEq)]
pub struct CollectionAnswer {
    /// When it appeared on the report.
    pub month: NaiveDate,
    pub amount: Decimal,
    /// When it was paid, if it was.
    pub paid: Option<NaiveDate>,
    pub medical: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RecordAnswer {
    pub kind: RecordKind,
    pub month: NaiveDate,
}

/// A month as typed ("2019-04", or a full date whose day is dropped), as its first day; `field` names
/// the answer in the error ("card 2 (Amex): opened").
pub fn month(field: &str, text: &str) -> Result<NaiveDate> {
    let t = text.trim();
    let first = t
        .get(..7)
        .filter(|_| t.len() == 7 || t.len() == 10)
        .and_then(|m| NaiveDate::parse_from_str(&format!("{m}-01"), "%Y-%m-%d").ok());
    let date =
        first.ok_or_else(|| Error::invalid(format!("{field}: \"{text}\" is not a month (write it as YYYY-MM)")))?;
    crate::values::check_date(date).map_err(|e| Error::invalid(format!("{field}: {e}")))
}

/// An amount of money as typed, not negative; `field` names the answer in the error.
pub fn money(field: &str, text: &str) -> Result<Decimal> {
    let cleaned: String = text.trim().chars().filter(|c| !matches!(c, ',' | '$' | '€' | '£' | ' ')).collect();
    let amount = crate::values::parse_amount(&cleaned)
        .map_err(|_| Error::invalid(format!("{field}: \"{text}\" is not an amount (write it like 1250.00)")))?;
    if amount < Decimal::ZERO {
        return Err(Error::invalid(format!("{field}: cannot be negative")));
    }
    Ok(amount)
}

/// An optional amount: empty is `None`.
pub fn optional_money(field: &str, text: &str) -> Result<Option<Decimal>> {
    if text.trim().is_empty() {
        Ok(None)
    } else {
        money(field, text).map(Some)
    }
}

/// "30", "60", "90", "120", "chargeoff", … as the profile names a delinquency.
pub fn severity(field: &str, text: &str) -> Result<Severity> {
    serde_json::from_value(serde_json::Value::String(text.trim().to_string())).map_err(|_| {
        Error::invalid(format!(
            "{field}: \"{text}\" is not how late a payment got (30, 60, 90, 120, settlement or chargeoff)"
        ))
    })
}

/// A loan's kind as the profile names it (auto, student, mortgage, personal, …).
pub fn loan_kind(field: &str, text: &str) -> Result<TradelineKind> {
    let kind: TradelineKind = serde_json::from_value(serde_json::Value::String(text.trim().to_string()))
        .map_err(|_| Error::invalid(format!("{field}: \"{text}\" is not a kind of loan")))?;
    if kind.is_revolving() {
        return Err(Error::invalid(format!("{field}: a card goes with the cards, not the loans")));
    }
    Ok(kind)
}

/// What a hard inquiry was for (card, auto, mortgage, student, other).
pub fn purpose(field: &str, text: &str) -> Result<InquiryKind> {
    serde_json::from_value(serde_json::Value::String(text.trim().to_string())).map_err(|_| {
        Error::invalid(format!(
            "{field}: \"{text}\" is not what an application was for (card, auto, mortgage, student or other)"
        ))
    })
}

/// A public record's kind (bankruptcy_ch7, bankruptcy_ch13, foreclosure, judgment, lien).
pub fn record_kind(field: &str, text: &str) -> Result<RecordKind> {
    serde_json::from_value(serde_json::Value::String(text.trim().to_string()))
        .map_err(|_| Error::invalid(format!("{field}: \"{text}\" is not a kind of public record")))
}

/// A lower-case id from a name ("Chase Freedom" → "chase-freedom"), unique among `taken`.
fn id_for(name: &str, fallback: &str, taken: &mut Vec<String>) -> String {
    let mut slug = String::new();
    for c in name.trim().to_lowercase().chars() {
        if c.is_alphanumeric() {
            slug.push(c);
        } else if !slug.is_empty() && !slug.ends_with('-') {
            slug.push('-');
        }
    }
    let base = match slug.trim_end_matches('-') {
        "" => fallback.to_string(),
        s => s.to_string(),
    };
    let mut id = base.clone();
    let mut n = 2;
    while taken.contains(&id) {
        id = format!("{base}-{n}");
        n += 1;
    }
    taken.push(id.clone());
    id
}

fn delinquencies(late: Option<Late>) -> Vec<Delinquency> {
    late.map(|l| Delinquency { date: l.month, severity: l.severity }).into_iter().collect()
}

impl Answers {
    /// The credit profile these answers describe, as of `as_of`. Tied accounts carry their vault
    /// account's id (`linked_account`); their balance and limit are the vault's once stored.
    pub fn to_profile(&self, as_of: NaiveDate) -> CreditProfile {
        let mut taken = Vec::new();
        let mut accounts = Vec::new();
        for (i, c) in self.cards.iter().enumerate() {
            accounts.push(Tradeline {
                id: id_for(&c.name, &format!("card-{}", i + 1), &mut taken),
                kind: TradelineKind::Bankcard,
                opened: c.opened,
                closed: None,
                limit: c.limit,
                original_amount: None,
                balance: c.balance.unwrap_or_default(),
                balance_date: c.balance.map(|_| as_of),
                past_due: Decimal::ZERO,
                ownership: Ownership::Individual,
                delinquencies: delinquencies(c.late),
                linked_account: c.account.clone(),
            });
        }
        for (i, l) in self.loans.iter().enumerate() {
            accounts.push(Tradeline {
                id: id_for(&l.name, &format!("loan-{}", i + 1), &mut taken),
                kind: l.kind,
                opened: l.opened,
                closed: None,
                limit: None,
                original_amount: Some(l.original_amount),
                balance: l.balance.unwrap_or_default(),
                balance_date: l.balance.map(|_| as_of),
                past_due: Decimal::ZERO,
                ownership: Ownership::Individual,
                delinquencies: delinquencies(l.late),
                linked_account: l.account.clone(),
            });
        }
        CreditProfile {
            as_of,
            accounts,
            inquiries: self
                .inquiries
                .iter()
                .map(|q| InquiryItem { date: q.month, kind: q.purpose, hard: true })
                .collect(),
            // Nobody remembers when the original debt first went unpaid: the month it was reported stands
            // for it, which keeps it on the report no shorter than it really stays.
            collections: self
                .collections
                .iter()
                .map(|c| CollectionItem {
                    reported: c.month,
                    first_delinquency: c.month,
                    original_amount: c.amount,
                    balance: if c.paid.is_some() { Decimal::ZERO } else { c.amount },
                    paid: c.paid,
                    medical: c.medical,
                })
                .collect(),
            public_records: self.public_records.iter().map(|r| PublicRecord { kind: r.kind, filed: r.month }).collect(),
            reported_scores: Vec::new(),
        }
    }

    /// What an estimate from these answers cannot know yet, said plainly.
    pub fn unknowns(&self, as_of: NaiveDate) -> Vec<String> {
        let mut out = vec![
            "Dates are to the month, so the age of each account may be off by a few weeks.".to_string(),
            "Closed accounts, and cards on which you are an authorized user, are not counted; a full report lists them and they usually add length of history.".to_string(),
        ];
        if self.cards.iter().any(|c| c.late.is_some()) || self.loans.iter().any(|l| l.late.is_some()) {
            out.push(
                "Only the worst late payment on each account is known; a full report lists every month.".to_string(),
            );
        } else {
            out.push("No late payments were given; a full report would show any the lender reported.".to_string());
        }
        if self.cards.iter().any(|c| c.balance.is_some()) {
            out.push(format!(
                "Card balances are what you owe on {}; scores use the balance on each card's last statement, which can differ.",
                as_of.format("%Y-%m-%d")
            ));
        }
        let two_years_ago = as_of.checked_sub_months(chrono::Months::new(24)).unwrap_or(as_of);
        if self.inquiries.iter().any(|q| q.month < two_years_ago) {
            out.push("Applications older than two years no longer affect any score and could be left out.".to_string());
        }
        if self.collections.is_empty() && self.public_records.is_empty() {
            out.push(
                "No collections or public records were given; if one is on your report the estimate is too high."
                    .to_string(),
            );
        }
        out.push(
            "Import your full credit report, or keep editing the items here, to sharpen the estimate.".to_string(),
        );
        out
    }
}
