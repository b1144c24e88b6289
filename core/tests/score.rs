//! The score engine against the model's sanity tests (docs: ../shared/reference/scoring-model.md, Part
//! C): anchor profiles, monotonicity, budgets, explanations.

use chrono::NaiveDate;
use credence_core::score::{estimate, CreditProfile, Delinquency, Flavour, Severity};

fn fixture(name: &str) -> CreditProfile {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/score").join(name);
    CreditProfile::from_json(&std::fs::read_to_string(path).expect("read")).expect("valid profile")
}

fn score(p: &CreditProfile) -> i32 {
    i32::from(estimate(p, p.as_of, Flavour::Fico8).score.expect("scorable"))
}

fn with_late(p: &CreditProfile, account: usize, severity: Severity, date: &str) -> CreditProfile {
    let mut p = p.clone();
    p.accounts[account].delinquencies.push(Delinquency { date: date.parse().expect("date"), severity });
    p
}

#[test]
fn the_a780_anchor_scores_about_777_and_explains_itself() {
    let p = fixture("a780.json");
    let e = estimate(&p, p.as_of, Flavour::Fico8);
    let s = e.score.expect("scorable");
    assert!((762..=792).contains(&s), "A780 scores {s}");
    assert_eq!(e.band, Some("Very Good"));
    assert_eq!(e.range, Some((s - 25, s + 25)));
    assert!(e.model_version.starts_with("credence-scorecard-"));
    let total: i32 = e.categories.iter().map(|c| c.points).sum::<i32>() + e.derogatory_effect;
    assert_eq!(total + 300, i32::from(s), "the display lines add up to the score");
    let maxes: Vec<u32> = e.categories.iter().map(|c| c.max).collect();
    assert_eq!(maxes, vec![192, 165, 83, 55, 55]);
    assert!(e.reasons.len() <= 5 && !e.reasons.is_empty());
    assert!(e.reasons.windows(2).all(|w| w[0].points_lost >= w[1].points_lost || w[1].code == "08"));
    assert!(!e.positives.is_empty());
    assert!(e.reasons.iter().all(|r| r.code != "24"), "cards carry balances: {:?}", e.reasons);
    assert_eq!(s, 777, "the reference's A780 fixture scores 777 on this card");
    // Order of accounts and inquiries does not matter.
    let mut shuffled = p.clone();
    shuffled.accounts.reverse();
    shuffled.inquiries.reverse();
    assert_eq!(estimate(&shuffled, p.as_of, Flavour::Fico8).score, e.score);
}

#[test]
fn a_new_30_day_late_costs_a_780_file_90_to_110_points_and_time_heals_it() {
    let p = fixture("a780.json");
    let base = score(&p);
    let late = with_late(&p, 1, Severity::Late30, "2026-10-01");
    let drop = base - score(&late);
    assert!((80..=125).contains(&drop), "30-day late costs {drop}");
    // Worse and more recent is never better; a second late costs more, but less than the first.
    let ninety = with_late(&p, 1, Severity::Late90, "2026-10-01");
    assert!(score(&ninety) <= score(&late));
    let older = with_late(&p, 1, Severity::Late30, "2024-10-01");
    assert!(score(&older) >= score(&late));
    let twice = with_late(&late, 2, Severity::Late30, "2026-09-01");
    let second = score(&late) - score(&twice);
    assert!(second > 0 && second < drop, "second late costs {second}");
    // Three years on, within 10 points of where it started.
    let mut later = late.clone();
    later.as_of = NaiveDate::from_ymd_opt(2029, 10, 1).expect("date");
    let mut base_later = p.clone();
    base_later.as_of = later.as_of;
    assert!(score(&base_later) - score(&later) <= 10);
}

#[test]
fn paying_down_a_card_or_raising_a_limit_never_lowers_the_score() {
    let p = fixture("a780.json");
    let base = score(&p);
    let mut paid = p.clone();
    paid.accounts[1].balance = "1000".parse().expect("d");
    assert!(score(&paid) >= base);
    let mut raised = p.clone();
    raised.accounts[2].limit = Some("30000".parse().expect("d"));
    assert!(score(&raised) >= base);
    let mut maxed = p.clone();
    maxed.accounts[1].balance = "10000".parse().expect("d");
    assert!(score(&maxed) < base);
}

#[test]
fn a_profile_with_nothing_to_score_says_why() {
    let p = CreditProfile::from_json(
        r#"{"as_of": "2026-11-01", "accounts": [
        {"id": "new", "type": "bankcard", "opened": "2026-09-01", "limit": "500", "balance": "0"}]}"#,
    )
    .expect("valid");
    let e = estimate(&p, p.as_of, Flavour::Fico8);
    assert_eq!(e.score, None);
    assert_eq!(e.not_scorable, vec!["no account has been open for 6 months".to_string()]);
    assert!(estimate(&p, p.as_of, Flavour::Vantage).score.is_some(), "VantageScore scores thin files");
}

fn card_balance(p: &CreditProfile, id: &str, balance: &str) -> CreditProfile {
    let mut q = p.clone();
    if let Some(t) = q.accounts.iter_mut().find(|t| t.id == id) {
        t.balance = balance.parse().expect("decimal");
    }
    q
}

#[test]
fn t17_utilization_rounds_to_whole_percents_and_a_cent_is_not_zero() {
    let p = fixture("a780.json");
    // Cards total $40,000 of limits; card1 carries the whole balance in these variants.
    let only_card1 = |b: &str| card_balance(&card_balance(&card_balance(&p, "card2", "0"), "card3", "0"), "card1", b);
    let at_9_4 = score(&only_card1("3760")); // 9.4% overall → the 1–9 bin
    let at_9_5 = score(&only_card1("3800")); // 9.5% → rounds to 10 → the 10–19 bin
    assert!(at_9_4 > at_9_5, "9.4% {at_9_4} vs 9.5% {at_9_5}");
    let a_cent = score(&only_card1("160")); // 0.4% is still "1–9", not "all zero"
    let zero = score(&only_card1("0"));
    assert!(a_cent > zero, "a small balance beats all-zero: {a_cent} vs {zero}");
    assert!(zero >= at_9_5, "all-zero scores no worse than the 10–19% bin");
}

#[test]
fn t9_t10_closing_and_paying_off() {
    let p = fixture("a780.json");
    let base = score(&p);
    let mut closed = p.clone();
    closed.accounts[4].closed = Some(p.as_of); // card4, $0 balance, while other cards carry balances
    assert!(score(&closed) <= base, "closing a $0 card while others carry balances never helps");
    let e = estimate(&closed, p.as_of, Flavour::Fico8);
    let base_e = estimate(&p, p.as_of, Flavour::Fico8);
    assert_eq!(e.categories[2], base_e.categories[2], "length of history is unchanged while the account is reported");
    let mut paid_down = p.clone();
    paid_down.accounts[5].balance = "4000".parse().expect("d");
    assert!(score(&paid_down) >= base, "paying down a loan never hurts");
    let mut paid_off = p.clone();
    paid_off.accounts[5].balance = "0".parse().expect("d");
    paid_off.accounts[5].closed = Some(p.as_of);
    let cost = base - score(&paid_off);
    assert!(cost <= 5, "paying off the last open loan costs at most 5 points, cost {cost}");
    let mix = |q: &CreditProfile| estimate(q, q.as_of, Flavour::Fico8).categories[4].points;
    assert_eq!(mix(&paid_off), mix(&p), "credit mix counts types ever held");
}

/// The reference's anchor table (A4): published drops for one new event at three starting scores,
/// checked within ±15 points (Part C tolerance) of the published ranges.
#[test]
fn t6_anchor_profiles_and_the_published_point_drops() {
    let cases = [
        // fixture, expected score, 30-day late range, 90-day late range, foreclosure range
        ("a780.json", 777, (90, 110), (110, 130), (140, 160)),
        ("a720.json", 723, (70, 90), (90, 110), (130, 150)),
        ("a680.json", 678, (60, 80), (60, 80), (85, 105)),
    ];
    let mut thirty_day_drops = Vec::new();
    for (file, expected, late30, late90, foreclosure) in cases {
        let p = fixture(file);
        let base = score(&p);
        assert!((base - expected).abs() <= 15, "{file} scores {base}, expected about {expected}");
        let within = |drop: i32, (lo, hi): (i32, i32), what: &str| {
            assert!(drop >= lo - 15 && drop <= hi + 15, "{file}: {what} costs {drop}, published {lo}..{hi}");
        };
        let d30 = base - score(&with_late(&p, 1, Severity::Late30, "2026-10-01"));
        within(d30, late30, "a 30-day late");
        within(base - score(&with_late(&p, 1, Severity::Late90, "2026-10-01")), late90, "a 90-day late");
        within(base - score(&with_late(&p, 0, Severity::Foreclosure, "2026-10-01")), foreclosure, "a foreclosure");
        thirty_day_drops.push(d30);
    }
    assert!(
        thirty_day_drops[0] > thirty_day_drops[1] && thirty_day_drops[1] > thirty_day_drops[2],
        "higher scores lose more: {thirty_day_drops:?}"
    );
}

#[test]
fn t1_the_best_file_scores_850_and_the_worst_300() {
    let best = CreditProfile::from_json(
        r#"{"as_of": "2026-11-01", "accounts": [
        {"id": "m", "type": "mortgage", "opened": "1990-01-01", "original_amount": "100000", "balance": "0"},
        {"id": "a", "type": "auto", "opened": "2000-01-01", "original_amount": "20000", "balance": "0"},
        {"id": "c1", "type": "bankcard", "opened": "1995-01-01", "limit": "20000", "balance": "200"},
        {"id": "c2", "type": "bankcard", "opened": "1996-01-01", "limit": "20000", "balance": "0"},
        {"id": "c3", "type": "bankcard", "opened": "1997-01-01", "limit": "20000", "balance": "0"},
        {"id": "c4", "type": "bankcard", "opened": "1998-01-01", "limit": "20000", "balance": "0"}]}"#,
    )
    .expect("valid");
    let e = estimate(&best, best.as_of, Flavour::Fico8);
    assert_eq!(e.score, Some(850));
    assert_eq!(
        e.reasons.iter().map(|r| r.code.as_str()).collect::<Vec<_>>(),
        vec!["00"],
        "T13: a perfect file has no adverse factor"
    );

    // Every deduction at once: a fresh bankruptcy, twenty charged-off cards opened this year and over
    // their limits, a big past-due amount, six inquiries. Payment history is then 0 and κ at its lowest
    // (0.35); the tables cannot take N to 0 (this file still earns mix and age points), so the score is
    // 300 plus 0.35 × what is left, and nothing can take it below 300.
    let mut worst = CreditProfile::from_json(r#"{"as_of": "2026-11-01",
      "inquiries": [{"date": "2026-06-01", "type": "card"}, {"date": "2026-07-01", "type": "card"}, {"date": "2026-08-01", "type": "card"},
                    {"date": "2026-09-01", "type": "card"}, {"date": "2026-09-15", "type": "card"}, {"date": "2026-10-15", "type": "card"}],
      "public_records": [{"kind": "bankruptcy_ch7", "filed": "2026-10-01"}]}"#).expect("valid");
    for i in 0..20 {
        worst.accounts.push(credence_core::score::Tradeline {
            id: format!("c{i}"),
            kind: credence_core::score::TradelineKind::Bankcard,
            opened: "2026-04-01".parse().expect("d"),
            closed: None,
            limit: Some("500".parse().expect("d")),
            original_amount: None,
            balance: "3000".parse().expect("d"),
            balance_date: Some(worst.as_of),
            past_due: "300".parse().expect("d"),
            ownership: credence_core::score::Ownership::Individual,
            delinquencies: vec![Delinquency { date: "2026-10-01".parse().expect("d"), severity: Severity::ChargeOff }],
            linked_account: None,
        });
    }
    let e = estimate(&worst, worst.as_of, Flavour::Fico8);
    let floor = e.score.expect("scorable");
    assert_eq!(e.categories[0].points, 0, "payment history is used up");
    let kept: i32 = e.categories.iter().skip(1).map(|c| c.points).sum::<i32>() + e.derogatory_effect;
    assert_eq!(i32::from(floor), 300 + kept);
    assert!((300..=330).contains(&floor), "the worst file scores {floor}");
}

#[test]
fn t6_t7_collections_cost_high_scores_more_and_a_90_day_late_fades_in_seven_years() {
    for (file, more_than) in [("a680.json", 40), ("a780.json", 100)] {
        let p = fixture(file);
        let mut with = p.clone();
        with.collections.push(credence_core::score::CollectionItem {
            reported: "2026-10-01".parse().expect("d"),
            first_delinquency: "2026-05-01".parse().expect("d"),
            original_amount: "400".parse().expect("d"),
            balance: "400".parse().expect("d"),
            paid: None,
            medical: false,
        });
        let drop = score(&p) - score(&with);
        assert!(drop > more_than, "{file}: an unpaid collection costs {drop}, published over {more_than}");
    }
    let p = fixture("a780.json");
    let late = with_late(&p, 1, Severity::Late90, "2026-10-01");
    let at = |q: &CreditProfile, months: u32| {
        let mut q = q.clone();
        q.as_of = q.as_of.checked_add_months(chrono::Months::new(months)).expect("date");
        score(&q)
    };
    assert!(at(&p, 84) - at(&late, 84) <= 5, "within 5 points by 84 months");
}

#[test]
fn t13_t14_high_utilization_leads_and_simulations_reverse() {
    let p = fixture("a780.json");
    let maxed = ["card1", "card2", "card3"].iter().fold(p.clone(), |q, id| {
        let mut q = q;
        if let Some(t) = q.accounts.iter_mut().find(|t| t.id == *id) {
            t.balance = "8000".parse().expect("d");
        }
        q
    });
    let e = estimate(&maxed, p.as_of, Flavour::Fico8);
    assert_eq!(e.reasons[0].code, "10", "{:?}", e.reasons);
    assert!(e.reasons[0].detail.contains("% of its limit"), "{}", e.reasons[0].detail);
    use credence_core::score::{simulate, WhatIf};
    let down = simulate(
        &p,
        p.as_of,
        Flavour::Fico8,
        &[WhatIf::PayDown { account: "card1".into(), to: "1000".parse().expect("d") }],
    )
    .expect("sim");
    let mut reborrowed = p.clone();
    reborrowed.accounts[1].balance = "1000".parse().expect("d");
    reborrowed.accounts[1].balance += "2000".parse::<rust_decimal::Decimal>().expect("d");
    assert_eq!(
        estimate(&reborrowed, p.as_of, Flavour::Fico8).score,
        down.before.score,
        "paying down then re-borrowing the same is where it started"
    );
}

/// Found by the key_material fuzzer: a balance of 3.7e24 overflowed the engine's decimal arithmetic (a
/// panic). A profile is refused with the path of the amount, by every door that reads one.
#[test]
fn an_amount_no_credit_report_holds_is_refused_not_scored() {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/score/huge-balance.json");
    let error = CreditProfile::from_json(&std::fs::read_to_string(path).expect("read")).expect_err("refused");
    let message = error.to_string();
    assert!(message.contains("accounts[1].balance") && message.contains("at most 1,000,000,000,000"), "{message}");
}
