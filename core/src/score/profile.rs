//! A credit profile: tradelines, inquiries, collections, public records and the scores the user has seen,
//! as of a date. The JSON exchange format (import, export, `credence score --report`) is defined here;
//! a malformed file is rejected with the JSON path of its first problem ("accounts[2].opened: …").
//!
//! Do not rename fields or variants: users keep these files.

use chrono::{Datelike, Months, NaiveDate};
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

use crate::error::{Error, Result};
use crate::values::check_date;

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CreditProfile {
    pub as_of: NaiveDate,
    #[serde(default)]
    pub accounts: Vec<Tradeline>,
    #[serde(default)]
    pub inquiries: Vec<InquiryItem>,
    #[serde(default)]
    pub collections: Vec<CollectionItem>,
    #[serde(default)]
    pub public_records: Vec<PublicRecord>,
    #[serde(default)]
    pub reported_scores: Vec<ReportedScore>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum TradelineKind {
    Bankcard,
    RetailCard,
    ChargeCard,
    Ploc,
    Heloc,
    Auto,
    Student,
    Mortgage,
    Personal,
    ConsumerFinance,
    Other,
}

impl TradelineKind {
    /// Revolving lines whose balances count toward utilization (charge cards and HELOCs do not).
    pub fn is_revolving(self) -> bool {
        matches!(self, TradelineKind::Bankcard | TradelineKind::RetailCard | TradelineKind::Ploc)
    }

    pub fn is_installment(self) -> bool {
        matches!(
            self,
            TradelineKind::Auto
                | TradelineKind::Student
                | TradelineKind::Mortgage
                | TradelineKind::Personal
                | TradelineKind::ConsumerFinance
        )
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Ownership {
    Individual,
    Joint,
    AuthorizedUser,
}

/// The worst level a delinquency reached.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
pub enum Severity {
    #[serde(rename = "30")]
    Late30,
    #[serde(rename = "60")]
    Late60,
    #[serde(rename = "90")]
    Late90,
    #[serde(rename = "120")]
    Late120,
    #[serde(rename = "settlement")]
    Settlement,
    #[serde(rename = "chargeoff")]
    ChargeOff,
    #[serde(rename = "repossession")]
    Repossession,
    #[serde(rename = "foreclosure")]
    Foreclosure,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Delinquency {
    pub date: NaiveDate,
    pub severity: Severity,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Tradeline {
    pub id: String,
    #[serde(rename = "type")]
    pub kind: TradelineKind,
    pub opened: NaiveDate,
    #[serde(default)]
    pub closed: Option<NaiveDate>,
    #[serde(default)]
    pub limit: Option<Decimal>,
    #[serde(default)]
    pub original_amount: Option<Decimal>,
    #[serde(default)]
    pub balance: Decimal,
    #[serde(default)]
    pub balance_date: Option<NaiveDate>,
    #[serde(default)]
    pub past_due: Decimal,
    #[serde(default = "individual")]
    pub ownership: Ownership,
    #[serde(default)]
    pub delinquencies: Vec<Delinquency>,
    /// The vault account this tradeline is (a card or loan the user also tracks): its balance and limit
    /// then come from the vault, so they are kept in one place.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub linked_account: Option<String>,
}

/// How one month's payment on a tradeline went: `None` paid as agreed, or how late it got.
pub type MonthStatus = (NaiveDate, Option<Severity>);

fn same_month(a: NaiveDate, b: NaiveDate) -> bool {
    (a.year(), a.month()) == (b.year(), b.month())
}

impl Tradeline {
    /// The payment history grid: the first day of each of the `months` months up to `as_of` (oldest
    /// first, none before the account was opened) with the worst delinquency reported in it.
    pub fn payment_grid(&self, as_of: NaiveDate, months: u32) -> Vec<MonthStatus> {
        let this_month = as_of.with_day(1).unwrap_or(as_of);
        let opened = self.opened.with_day(1).unwrap_or(self.opened);
        (0..months)
            .rev()
            .filter_map(|back| this_month.checked_sub_months(Months::new(back)))
            .filter(|m| *m >= opened)
            .map(|m| (m, self.delinquencies.iter().filter(|d| same_month(d.date, m)).map(|d| d.severity).max()))
            .collect()
    }

    /// Records how the payment of `month` went, replacing what was recorded for that month.
    pub fn set_month(&mut self, month: NaiveDate, status: Option<Severity>) {
        self.delinquencies.retain(|d| !same_month(d.date, month));
        if let Some(severity) = status {
            self.delinquencies.push(Delinquency { date: month.with_day(1).unwrap_or(month), severity });
            self.delinquencies.sort_by_key(|d| d.date);
        }
    }
}

fn individual() -> Ownership {
    Ownership::Individual
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum InquiryKind {
    Card,
    Auto,
    Mortgage,
    Student,
    Other,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct InquiryItem {
    pub date: NaiveDate,
    #[serde(rename = "type")]
    pub kind: InquiryKind,
    #[serde(default = "hard")]
    pub hard: bool,
}

fn hard() -> bool {
    true
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CollectionItem {
    pub reported: NaiveDate,
    pub first_delinquency: NaiveDate,
    pub original_amount: Decimal,
    #[serde(default)]
    pub balance: Decimal,
    /// When it was paid or settled; `None` while unpaid.
    #[serde(default)]
    pub paid: Option<NaiveDate>,
    #[serde(default)]
    pub medical: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum RecordKind {
    BankruptcyCh7,
    BankruptcyCh13,
    Foreclosure,
    Judgment,
    Lien,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PublicRecord {
    pub kind: RecordKind,
    pub filed: NaiveDate,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ReportedScore {
    pub value: u16,
    /// "FICO 8", "VantageScore 3.0", …
    pub family: String,
    #[serde(default)]
    pub bureau: Option<String>,
    pub date: NaiveDate,
}

impl CreditProfile {
    /// Reads the JSON exchange format. Errors name the JSON path of the first problem.
    pub fn from_json(text: &str) -> Result<CreditProfile> {
        let de = &mut serde_json::Deserializer::from_str(text);
        let profile: CreditProfile = serde_path_to_error::deserialize(de).map_err(|e| {
            let path = e.path().to_string();
            let inner = e.into_inner();
            let at = if path == "." { String::new() } else { format!("{path}: ") };
            Error::invalid(format!("the credit profile is not valid: {at}{}", plain(&inner)))
        })?;
        profile.validate()?;
        Ok(profile)
    }

    /// Reads a credit-profile file (the JSON exchange format, `docs/scoring.md`).
    pub fn read(path: &std::path::Path) -> Result<CreditProfile> {
        let text = std::fs::read_to_string(path).map_err(Error::io(path))?;
        CreditProfile::from_json(&text)
    }

    pub fn to_json(&self) -> String {
        // Plain data: serializing it cannot fail.
        serde_json::to_string_pretty(self).unwrap_or_default()
    }

    /// Checks what the types cannot: dates in range and in order, money from zero to a trillion, scores
    /// on 300–850.
    pub fn validate(&self) -> Result<()> {
        let bad = |path: String, why: &str| Error::invalid(format!("the credit profile is not valid: {path}: {why}"));
        let date = |path: String, d: NaiveDate| {
            check_date(d).map(|_| ()).map_err(|_| bad(path, "dates must be between 1900 and 2100"))
        };
        // A ceiling far above any real report keeps the engine's sums and ratios inside `Decimal`.
        let ceiling = Decimal::from(1_000_000_000_000_u64);
        let money = |path: String, m: Decimal| {
            if m < Decimal::ZERO {
                Err(bad(path, "cannot be negative"))
            } else if m > ceiling {
                Err(bad(path, "is larger than any amount on a credit report (at most 1,000,000,000,000)"))
            } else {
                Ok(())
            }
        };
        date("as_of".into(), self.as_of)?;
        for (i, a) in self.accounts.iter().enumerate() {
            let p = |f: &str| format!("accounts[{i}].{f}");
            date(p("opened"), a.opened)?;
            if a.opened > self.as_of {
                return Err(bad(p("opened"), "is after the profile's as_of date"));
            }
            if let Some(c) = a.closed {
                date(p("closed"), c)?;
                if c < a.opened {
                    return Err(bad(p("closed"), "is before the account was opened"));
                }
            }
            for (field, value) in [("limit", a.limit), ("original_amount", a.original_amount)] {
                if let Some(v) = value {
                    money(p(field), v)?;
                }
            }
            money(p("balance"), a.balance)?;
            money(p("past_due"), a.past_due)?;
            if a.kind.is_revolving() && a.limit.is_none() && a.closed.is_none() {
                return Err(bad(p("limit"), "an open card or credit line needs its credit limit"));
            }
            for (j, d) in a.delinquencies.iter().enumerate() {
                date(format!("accounts[{i}].delinquencies[{j}].date"), d.date)?;
            }
        }
        for (i, q) in self.inquiries.iter().enumerate() {
            date(format!("inquiries[{i}].date"), q.date)?;
        }
        for (i, c) in self.collections.iter().enumerate() {
            date(format!("collections[{i}].reported"), c.reported)?;
            date(format!("collections[{i}].first_delinquency"), c.first_delinquency)?;
            money(format!("collections[{i}].original_amount"), c.original_amount)?;
            money(format!("collections[{i}].balance"), c.balance)?;
        }
        for (i, r) in self.public_records.iter().enumerate() {
            date(format!("public_records[{i}].filed"), r.filed)?;
        }
        for (i, s) in self.reported_scores.iter().enumerate() {
            if !(300..=850).contains(&s.value) {
                return Err(bad(format!("reported_scores[{i}].value"), "a score is between 300 and 850"));
            }
            date(format!("reported_scores[{i}].date"), s.date)?;
        }
        Ok(())
    }
}

/// serde's message without its " at line L column C" suffix (the path says where).
fn plain(e: &serde_json::Error) -> String {
    let text = e.to_string();
    match text.find(" at line ") {
        Some(i) => text[..i].to_string(),
        None => text,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    pub(crate) const SAMPLE: &str = r#"{
      "as_of": "2026-11-01",
      "accounts": [
        {"id": "visa", "type": "bankcard", "opened": "2015-03-01", "limit": "10000", "balance": "1200.50", "balance_date": "2026-10-20"},
        {"id": "car", "type": "auto", "opened": "2024-01-15", "original_amount": "24000", "balance": "15000",
         "delinquencies": [{"date": "2025-04-01", "severity": "30"}]}
      ],
      "inquiries": [{"date": "2026-06-01", "type": "auto", "hard": true}],
      "collections": [{"reported": "2022-01-01", "first_delinquency": "2021-06-01", "original_amount": "250", "balance": "0", "paid": "2023-01-01", "medical": true}],
      "public_records": [],
      "reported_scores": [{"value": 742, "family": "FICO 8", "bureau": "Experian", "date": "2026-10-01"}]
    }"#;

    #[test]
    fn the_exchange_format_round_trips() {
        let p = CreditProfile::from_json(SAMPLE).expect("parses");
        assert_eq!(p.accounts[0].limit, Some("10000".parse().expect("d")));
        assert_eq!(p.accounts[1].delinquencies[0].severity, Severity::Late30);
        assert_eq!(p.accounts[0].ownership, Ownership::Individual, "individual unless said otherwise");
        let again = CreditProfile::from_json(&p.to_json()).expect("round trip");
        assert_eq!(again, p);
    }

    fn error(text: &str) -> String {
        CreditProfile::from_json(text).expect_err("malformed").to_string()
    }

    #[test]
    fn a_malformed_profile_names_the_path_of_its_first_problem() {
        let wrong_type = SAMPLE.replace("\"type\": \"auto\", \"opened\"", "\"type\": \"boat\", \"opened\"");
        assert!(error(&wrong_type).contains("accounts[1].type: unknown variant `boat`"), "{}", error(&wrong_type));
        let bad_date = SAMPLE.replace("2024-01-15", "2024-13-15");
        assert!(error(&bad_date).contains("accounts[1].opened"), "{}", error(&bad_date));
        let bad_money = SAMPLE.replace("\"1200.50\"", "\"lots\"");
        assert!(error(&bad_money).contains("accounts[0].balance"), "{}", error(&bad_money));
        let closed_early = SAMPLE.replace(
            "\"type\": \"bankcard\", \"opened\": \"2015-03-01\"",
            "\"type\": \"bankcard\", \"opened\": \"2015-03-01\", \"closed\": \"2014-01-01\"",
        );
        assert!(error(&closed_early).contains("accounts[0].closed: is before the account was opened"));
        let no_limit = SAMPLE.replace("\"limit\": \"10000\", ", "");
        assert!(error(&no_limit).contains("accounts[0].limit: an open card"));
        let score = SAMPLE.replace("742", "900");
        assert!(error(&score).contains("reported_scores[0].value"));
        let unknown = SAMPLE.replace("\"as_of\"", "\"asof\"");
        assert!(error(&unknown).starts_with("the credit profile is not valid: "), "{}", error(&unknown));
        assert!(error("not json").starts_with("the credit profile is not valid"));
    }
}
