//! The model's sanity tests T1–T5, T8 and T13 as properties over random credit profiles.

use chrono::{Days, Months, NaiveDate};
use credence_core::score::{
    estimate, CollectionItem, CreditProfile, Delinquency, Flavour, InquiryItem, InquiryKind, Ownership, Severity,
    Tradeline, TradelineKind,
};
use proptest::prelude::*;
use rust_decimal::Decimal;

fn as_of() -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, 11, 1).expect("date")
}

fn months_ago(m: u32) -> NaiveDate {
    as_of().checked_sub_months(Months::new(m)).expect("date")
}

const KINDS: [TradelineKind; 8] = [
    TradelineKind::Bankcard,
    TradelineKind::Bankcard,
    TradelineKind::RetailCard,
    TradelineKind::Auto,
    TradelineKind::Student,
    TradelineKind::Mortgage,
    TradelineKind::Personal,
    TradelineKind::ConsumerFinance,
];
const SEVERITIES: [Severity; 6] = [
    Severity::Late30,
    Severity::Late60,
    Severity::Late90,
    Severity::Settlement,
    Severity::ChargeOff,
    Severity::Foreclosure,
];

fn tradeline() -> impl Strategy<Value = Tradeline> {
    (0usize..KINDS.len(), 6u32..400, 1u32..500, 0u32..120, prop::collection::vec((0usize..6, 0u32..100), 0..2))
        .prop_map(|(k, age, size, used, lates)| {
            let kind = KINDS[k];
            let amount = Decimal::from(size) * Decimal::from(100);
            let revolving = kind.is_revolving();
            Tradeline {
                id: format!("t{k}-{age}"),
                kind,
                opened: months_ago(age),
                closed: None,
                limit: revolving.then_some(amount),
                original_amount: (!revolving).then_some(amount),
                balance: amount * Decimal::from(used) / Decimal::from(100),
                balance_date: Some(months_ago(0)),
                past_due: Decimal::ZERO,
                ownership: Ownership::Individual,
                delinquencies: lates
                    .into_iter()
                    .filter(|(_, a)| *a < age)
                    .map(|(s, a)| Delinquency { date: months_ago(a), severity: SEVERITIES[s] })
                    .collect(),
                linked_account: None,
            }
        })
}

fn profile() -> impl Strategy<Value = CreditProfile> {
    let inquiry = (0u64..700, 0usize..5, any::<bool>()).prop_map(|(d, k, hard)| InquiryItem {
        date: as_of() - Days::new(d),
        kind: [InquiryKind::Card, InquiryKind::Auto, InquiryKind::Mortgage, InquiryKind::Student, InquiryKind::Other]
            [k],
        hard,
    });
    let collection =
        (1u32..80, 50u32..5000, any::<bool>(), any::<bool>()).prop_map(|(age, amount, paid, medical)| CollectionItem {
            reported: months_ago(age),
            first_delinquency: months_ago(age + 3),
            original_amount: Decimal::from(amount),
            balance: if paid { Decimal::ZERO } else { Decimal::from(amount) },
            paid: paid.then(|| months_ago(age / 2)),
            medical,
        });
    (
        prop::collection::vec(tradeline(), 1..12),
        prop::collection::vec(inquiry, 0..8),
        prop::collection::vec(collection, 0..2),
    )
        .prop_map(|(accounts, inquiries, collections)| CreditProfile {
            as_of: as_of(),
            accounts,
            inquiries,
            collections,
            public_records: Vec::new(),
            reported_scores: Vec::new(),
        })
}

fn score(p: &CreditProfile) -> Option<u16> {
    estimate(p, as_of(), Flavour::Fico8).score
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 300, ..ProptestConfig::default() })]

    #[test]
    fn t1_t2_range_determinism_order_and_lines_that_add_up(p in profile()) {
        let e = estimate(&p, as_of(), Flavour::Fico8);
        let Some(s) = e.score else { return Ok(()) };
        prop_assert!((300..=850).contains(&s));
        let mut reordered = p.clone();
        reordered.accounts.reverse();
        reordered.inquiries.reverse();
        prop_assert_eq!(estimate(&reordered, as_of(), Flavour::Fico8), e.clone());
        let lines: i32 = e.categories.iter().map(|c| c.points).sum::<i32>() + e.derogatory_effect;
        prop_assert_eq!(lines + 300, i32::from(s));
        for c in &e.categories {
            prop_assert!(c.points >= 0 && c.points <= c.max as i32, "{:?}", c);
        }
    }

    #[test]
    fn t3_t4_lower_balances_and_higher_limits_never_hurt(p in profile(), pick in any::<prop::sample::Index>()) {
        let Some(base) = score(&p) else { return Ok(()) };
        let cards: Vec<usize> = p.accounts.iter().enumerate().filter(|(_, t)| t.kind.is_revolving()).map(|(i, _)| i).collect();
        if cards.is_empty() {
            return Ok(());
        }
        let i = cards[pick.index(cards.len())];
        let mut lower = p.clone();
        lower.accounts[i].balance /= Decimal::from(2);
        prop_assert!(score(&lower).unwrap_or(0) >= base, "halving a card balance");
        let mut higher = p.clone();
        higher.accounts[i].limit = higher.accounts[i].limit.map(|l| l * Decimal::from(2));
        prop_assert!(score(&higher).unwrap_or(0) >= base, "doubling a limit");
    }

    #[test]
    fn t5_a_new_delinquency_never_helps_and_worse_is_never_better(p in profile(), sev in 0usize..6, age in 0u32..60) {
        let Some(base) = score(&p) else { return Ok(()) };
        let i = p.accounts.iter().position(|t| t.opened < months_ago(age)).unwrap_or(0);
        let mut late = p.clone();
        late.accounts[i].delinquencies.push(Delinquency { date: months_ago(age), severity: SEVERITIES[sev] });
        let with_late = score(&late).unwrap_or(0);
        prop_assert!(with_late <= base);
        if sev + 1 < SEVERITIES.len() {
            let mut worse = p.clone();
            worse.accounts[i].delinquencies.push(Delinquency { date: months_ago(age), severity: SEVERITIES[sev + 1] });
            prop_assert!(score(&worse).unwrap_or(0) <= with_late);
        }
    }

    #[test]
    fn t8_old_and_soft_inquiries_change_nothing(p in profile(), days in 366u64..700, kind in 0usize..5) {
        let base = score(&p);
        let kinds = [InquiryKind::Card, InquiryKind::Auto, InquiryKind::Mortgage, InquiryKind::Student, InquiryKind::Other];
        let mut old = p.clone();
        old.inquiries.push(InquiryItem { date: as_of() - Days::new(days), kind: kinds[kind], hard: true });
        prop_assert_eq!(score(&old), base);
        let mut soft = p.clone();
        soft.inquiries.push(InquiryItem { date: as_of() - Days::new(10), kind: kinds[kind], hard: false });
        prop_assert_eq!(score(&soft), base);
    }

    #[test]
    fn t13_at_most_four_reasons_and_a_fifth_only_for_inquiries(p in profile()) {
        let e = estimate(&p, as_of(), Flavour::Fico8);
        if e.score.is_none() {
            return Ok(());
        }
        prop_assert!(!e.reasons.is_empty() && e.reasons.len() <= 5);
        if e.reasons.len() == 5 {
            prop_assert_eq!(e.reasons[4].code.as_str(), "08");
        }
        for w in e.reasons.iter().take(4).collect::<Vec<_>>().windows(2) {
            prop_assert!(w[0].points_lost >= w[1].points_lost);
        }
    }
}

#[test]
fn t11_collections_by_flavour() {
    let base = CreditProfile::from_json(
        &std::fs::read_to_string(
            std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/score/a780.json"),
        )
        .expect("read"),
    )
    .expect("valid");
    let with = |amount: u32, paid: bool, medical: bool| {
        let mut p = base.clone();
        p.collections.push(CollectionItem {
            reported: months_ago(12),
            first_delinquency: months_ago(18),
            original_amount: Decimal::from(amount),
            balance: if paid { Decimal::ZERO } else { Decimal::from(amount) },
            paid: paid.then(|| months_ago(6)),
            medical,
        });
        p
    };
    let s = |p: &CreditProfile, f: Flavour| estimate(p, as_of(), f).score.expect("scorable");
    let clean = s(&base, Flavour::Fico8);
    assert_eq!(s(&with(80, false, false), Flavour::Fico8), clean, "fico8 ignores collections under $100");
    assert!(s(&with(800, true, false), Flavour::Fico8) < clean, "fico8: a paid collection still counts");
    assert_eq!(s(&with(800, true, false), Flavour::Fico9), s(&base, Flavour::Fico9), "fico9 ignores paid ones");
    let medical_cost = s(&base, Flavour::Fico9) - s(&with(800, false, true), Flavour::Fico9);
    let other_cost = s(&base, Flavour::Fico9) - s(&with(800, false, false), Flavour::Fico9);
    assert!(medical_cost > 0 && medical_cost * 2 <= other_cost + 1, "fico9 medical {medical_cost} vs {other_cost}");
    assert_eq!(s(&with(800, false, true), Flavour::Vantage), s(&base, Flavour::Vantage), "vantage ignores medical");
    let mut stale = with(800, false, false);
    stale.collections[0].first_delinquency = months_ago(90);
    assert_eq!(s(&stale, Flavour::Fico8), clean, "gone after 7 years");
}
