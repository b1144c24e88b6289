//! Two flavours side by side, and why they differ: the rules of each family (inquiry windows, which
//! collections count, thin files) applied to the same report.

use chrono::NaiveDate;

use super::engine::{estimate, events, Estimate};
use super::inquiries::{counted_inquiries, Flavour};
use super::profile::CreditProfile;

#[derive(Debug, Clone, PartialEq)]
pub struct Comparison {
    pub first: Estimate,
    pub second: Estimate,
    /// Sentences naming each rule that treats this report differently, and the categories it moves.
    pub differences: Vec<String>,
}

pub fn compare(p: &CreditProfile, as_of: NaiveDate, first: Flavour, second: Flavour) -> Comparison {
    let (a, b) = (estimate(p, as_of, first), estimate(p, as_of, second));
    let (fa, fb) = (first.label(), second.label());
    let mut differences = Vec::new();
    let (qa, qb) = (counted_inquiries(&p.inquiries, as_of, first), counted_inquiries(&p.inquiries, as_of, second));
    if qa != qb {
        differences.push(format!(
            "{fa} counts {qa} hard inquiries and {fb} {qb}: rate shopping within {} days counts once in {fa}, within {} days in {fb}{}",
            window(first),
            window(second),
            if first == Flavour::Vantage || second == Flavour::Vantage { " (VantageScore groups inquiries of any type)" } else { "" }
        ));
    }
    let collections = |f| events(p, as_of, f).iter().filter(|e| e.kind == "collection").count();
    let (ca, cb) = (collections(first), collections(second));
    if ca != cb {
        differences.push(format!(
            "{fa} counts {ca} collections and {fb} {cb}: FICO 9 ignores paid collections and halves medical ones; VantageScore ignores paid and medical ones; FICO 8 ignores those under $100"
        ));
    }
    if a.score.is_some() != b.score.is_some() {
        differences.push("VantageScore scores files too new or too thin for FICO's minimum criteria".to_string());
    }
    for (ca, cb) in a.categories.iter().zip(&b.categories) {
        if ca.points != cb.points {
            differences.push(format!("{}: {} in {fa}, {} in {fb}", ca.name.replace('_', " "), ca.points, cb.points));
        }
    }
    if differences.is_empty() {
        differences.push(format!("{fa} and {fb} read this report the same way"));
    }
    Comparison { first: a, second: b, differences }
}

fn window(f: Flavour) -> u32 {
    match f {
        Flavour::Fico8 | Flavour::Fico9 => 45,
        Flavour::FicoLegacy | Flavour::Vantage => 14,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::score::{CollectionItem, InquiryItem, InquiryKind};
    use rust_decimal::Decimal;

    #[test]
    fn the_differences_name_the_rules_that_apply() {
        let mut p = crate::score::tests::a780();
        p.inquiries.push(InquiryItem { date: "2026-08-01".parse().expect("d"), kind: InquiryKind::Auto, hard: true });
        p.inquiries.push(InquiryItem { date: "2026-08-25".parse().expect("d"), kind: InquiryKind::Auto, hard: true });
        p.collections.push(CollectionItem {
            reported: "2025-06-01".parse().expect("d"),
            first_delinquency: "2025-01-01".parse().expect("d"),
            original_amount: Decimal::from(900),
            balance: Decimal::ZERO,
            paid: Some("2026-01-01".parse().expect("d")),
            medical: false,
        });
        let c = compare(&p, p.as_of, Flavour::Fico8, Flavour::Fico9);
        assert!(c.second.score > c.first.score, "fico9 ignores the paid collection");
        assert!(c.differences.iter().any(|d| d.contains("collections")), "{:?}", c.differences);
        let v = compare(&p, p.as_of, Flavour::Fico8, Flavour::FicoLegacy);
        assert!(v.differences.iter().any(|d| d.contains("hard inquiries")), "{:?}", v.differences);
        let same = compare(&p, p.as_of, Flavour::Fico8, Flavour::Fico8);
        assert_eq!(same.differences, vec!["FICO 8 and FICO 8 read this report the same way".to_string()]);
    }
}
