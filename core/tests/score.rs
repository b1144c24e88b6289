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

