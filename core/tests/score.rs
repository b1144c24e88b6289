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
    let p = CreditProfile::from_json(r#"{"as_of": "2026-11-01", "accounts": [
        {"id": "new", "type": "bankcard", "opened": "2026-09-01", "limit": "500", "balance": "0"}]}"#)
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
    assert!(thirty_day_drops[0] > thirty_day_drops[1] && thirty_day_drops[1] > thirty_day_drops[2], "higher scores lose more: {thirty_day_drops:?}");
}
