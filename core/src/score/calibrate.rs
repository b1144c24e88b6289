//! Calibration to the scores the user has seen elsewhere: per score family, an offset learned from the
//! differences between reported scores and the estimate as of the same dates, weighted toward recent ones
//! and shrunk toward zero; clamped to ±60, beyond which the data is more likely incomplete than the model
//! off. With three or more observations spanning 40 points, a slope too (0.8–1.25), which keeps the
//! order of scores and scales what-if deltas.
#![allow(clippy::float_arithmetic)] // weights and fits of scores, never money

use chrono::NaiveDate;

use super::engine::estimate;
use super::inquiries::Flavour;
use super::profile::CreditProfile;

/// The estimate calibrated to one score family.
#[derive(Debug, Clone, PartialEq)]
pub struct Calibrated {
    pub family: String,
    pub flavour: Flavour,
    pub score: u16,
    pub range: (u16, u16),
    /// Calibrated minus uncalibrated, at the current estimate.
    pub offset: i32,
    pub observations: usize,
    /// Said when the reported scores sit further from the estimate than calibration may absorb.
    pub warning: Option<String>,
}

impl Calibrated {
    /// What calibration did, in a sentence ("Your FICO 8 scores run 6 points above this estimate on
    /// average (2 seen): shown as 783, likely 771–795.").
    pub fn sentence(&self) -> String {
        let seen = format!("({} seen)", self.observations);
        let how = match self.offset {
            0 => format!("Your {} scores match this estimate {seen}", self.family),
            n if n > 0 => format!("Your {} scores run {n} points above this estimate on average {seen}", self.family),
            n => format!("Your {} scores run {} points below this estimate on average {seen}", self.family, -n),
        };
        format!("{how}: shown as {}, likely {}–{}.", self.score, self.range.0, self.range.1)
    }
}

/// The share of people at this score the model expects to fall 90 days behind within two years:
/// odds(good:bad) = 2^((score − 560) / 40), the scorecard's points-to-double-the-odds scale.
pub fn bad_rate(score: u16) -> f64 {
    let odds = 2f64.powf((f64::from(score) - 560.0) / 40.0);
    1.0 / (1.0 + odds)
}

/// `bad_rate` as a percentage with one decimal ("2.3%").
pub fn bad_rate_percent(score: u16) -> String {
    format!("{:.1}%", bad_rate(score) * 100.0)
}

/// The flavour whose rules a reported score's family follows.
pub fn flavour_of(family: &str) -> Option<Flavour> {
    let f = family.to_lowercase().replace("score", "").replace(' ', "");
    if f.starts_with("vantage") {
        Some(Flavour::Vantage)
    } else if f.contains("fico9") {
        Some(Flavour::Fico9)
    } else if ["fico2", "fico4", "fico5"].iter().any(|l| f.contains(l)) {
        Some(Flavour::FicoLegacy)
    } else if f.contains("fico") {
        Some(Flavour::Fico8)
    } else {
        None
    }
}

const MAX_OFFSET: f64 = 60.0;

fn months_between(earlier: NaiveDate, later: NaiveDate) -> f64 {
    (later - earlier).num_days().max(0) as f64 / 30.4375
}

/// One calibrated estimate per score family the user has reported, as of `as_of`.
pub fn calibrate(profile: &CreditProfile, as_of: NaiveDate) -> Vec<Calibrated> {
    let mut families: Vec<String> = profile.reported_scores.iter().map(|s| s.family.clone()).collect();
    families.sort();
    families.dedup();
    families.into_iter().filter_map(|family| calibrate_family(profile, as_of, &family)).collect()
}

fn calibrate_family(profile: &CreditProfile, as_of: NaiveDate, family: &str) -> Option<Calibrated> {
    let flavour = flavour_of(family)?;
    let now = f64::from(estimate(profile, as_of, flavour).score?);
    // (reported, estimated then, weight)
    let obs: Vec<(f64, f64, f64)> = profile
        .reported_scores
        .iter()
        .filter(|s| s.family == family && s.date <= as_of)
        .filter_map(|s| {
            let e = estimate(profile, s.date, flavour).score?;
            Some((f64::from(s.value), f64::from(e), 0.5f64.powf(months_between(s.date, as_of) / 6.0)))
        })
        .collect();
    if obs.is_empty() {
        return None;
    }
    let weight: f64 = obs.iter().map(|o| o.2).sum();
    let raw_mean = obs.iter().map(|o| (o.0 - o.1) * o.2).sum::<f64>() / weight;
    let offset = (obs.iter().map(|o| (o.0 - o.1) * o.2).sum::<f64>() / (weight + 1.0)).clamp(-MAX_OFFSET, MAX_OFFSET);
    let warning = (raw_mean.abs() > MAX_OFFSET).then(|| {
        format!(
            "your reported {family} scores sit {:.0} points from the estimate: the credit report in Credence probably misses accounts or items (unknown limits, a missing card or loan)",
            raw_mean.abs()
        )
    });
    let (lo, hi) = obs.iter().fold((f64::MAX, f64::MIN), |(lo, hi), o| (lo.min(o.0), hi.max(o.0)));
    let calibrated = if obs.len() >= 3 && hi - lo >= 40.0 {
        // Weighted least squares S ≈ a + b·E, slope held to 0.8–1.25 so order and deltas stay sane.
        let (mx, my) =
            (obs.iter().map(|o| o.1 * o.2).sum::<f64>() / weight, obs.iter().map(|o| o.0 * o.2).sum::<f64>() / weight);
        let sxx: f64 = obs.iter().map(|o| o.2 * (o.1 - mx).powi(2)).sum();
        let sxy: f64 = obs.iter().map(|o| o.2 * (o.1 - mx) * (o.0 - my)).sum();
        let b = if sxx > 0.0 { (sxy / sxx).clamp(0.8, 1.25) } else { 1.0 };
        let a = my - b * mx;
        (a + b * now).clamp(now - MAX_OFFSET, now + MAX_OFFSET)
    } else {
        now + offset
    };
    let recent: Vec<f64> = obs.iter().filter(|o| o.2 >= 0.25).map(|o| o.0 - (o.1 + (calibrated - now))).collect();
    let rmse =
        if recent.is_empty() { 0.0 } else { (recent.iter().map(|r| r * r).sum::<f64>() / recent.len() as f64).sqrt() };
    let spread = (1.5 * rmse).max(12.0);
    let clamp = |v: f64| v.round().clamp(300.0, 850.0) as u16;
    let score = clamp(calibrated);
    Some(Calibrated {
        family: family.to_string(),
        flavour,
        score,
        range: (clamp(calibrated - spread), clamp(calibrated + spread)),
        offset: i32::from(score) - now as i32,
        observations: obs.len(),
        warning,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::score::ReportedScore;

    use crate::score::tests::a780;

    fn seen(p: &mut CreditProfile, value: u16, family: &str, date: &str) {
        p.reported_scores.push(ReportedScore {
            value,
            family: family.into(),
            bureau: None,
            date: date.parse().expect("date"),
        });
    }

    #[test]
    fn no_observation_no_calibration_and_families_are_separate() {
        let mut p = a780();
        assert!(calibrate(&p, p.as_of).is_empty());
        seen(&mut p, 797, "FICO 8", "2026-11-01");
        seen(&mut p, 740, "VantageScore 3.0", "2026-11-01");
        let c = calibrate(&p, p.as_of);
        assert_eq!(c.len(), 2);
        let fico = c.iter().find(|c| c.family == "FICO 8").expect("fico");
        assert_eq!(fico.offset, 10, "one fresh +20 residual shrinks to +10 with one pseudo-observation at 0");
        assert_eq!(fico.range, (fico.score - 15, fico.score + 15), "±1.5 × the remaining 10-point residual");
        let vantage = c.iter().find(|c| c.family == "VantageScore 3.0").expect("vantage");
        assert!(vantage.offset < 0);
    }

    #[test]
    fn old_observations_weigh_less_and_offsets_are_clamped_with_a_warning() {
        let mut fresh = a780();
        seen(&mut fresh, 817, "FICO 8", "2026-11-01");
        let mut old = a780();
        seen(&mut old, 817, "FICO 8", "2025-11-01");
        assert!(calibrate(&old, old.as_of)[0].offset.abs() < calibrate(&fresh, fresh.as_of)[0].offset.abs());
        let mut far = a780();
        for d in ["2026-09-01", "2026-10-01", "2026-11-01"] {
            seen(&mut far, 600, "FICO 8", d);
        }
        let c = &calibrate(&far, far.as_of)[0];
        assert!(c.offset >= -60, "{}", c.offset);
        assert!(c.warning.as_deref().is_some_and(|w| w.contains("misses accounts")));
    }

    #[test]
    fn bad_rates_follow_the_published_bands_within_a_factor_of_two() {
        for (score, published) in [(825u16, 0.01), (770, 0.02), (705, 0.08), (625, 0.28), (525, 0.61)] {
            let model = bad_rate(score);
            assert!(model <= published * 2.0 && model >= published / 2.0, "{score}: {model} vs {published}");
        }
    }

    #[test]
    fn calibration_says_which_way_the_reported_scores_run() {
        let mut p = a780();
        seen(&mut p, 797, "FICO 8", "2026-11-01");
        let c = &calibrate(&p, p.as_of)[0];
        assert_eq!(
            c.sentence(),
            format!(
                "Your FICO 8 scores run 10 points above this estimate on average (1 seen): shown as {}, likely {}–{}.",
                c.score, c.range.0, c.range.1
            )
        );
    }

    #[test]
    fn families_map_to_flavours() {
        assert_eq!(flavour_of("FICO 8"), Some(Flavour::Fico8));
        assert_eq!(flavour_of("FICO Score 9"), Some(Flavour::Fico9));
        assert_eq!(flavour_of("FICO 5 (Equifax)"), Some(Flavour::FicoLegacy));
        assert_eq!(flavour_of("VantageScore 4.0"), Some(Flavour::Vantage));
        assert_eq!(flavour_of("Bank score"), None);
    }
}
