//! The estimate over time: a projection month by month if nothing changes (with the dates items stop
//! counting), and a history from the stored report (with the events of each month and the scores the
//! user saw elsewhere). Both are repeated calls of the pure `estimate` at other as-of dates.

use chrono::{Months, NaiveDate};

use super::engine::estimate;
use super::inquiries::Flavour;
use super::profile::{CreditProfile, RecordKind};

/// One month on a timeline.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TimelinePoint {
    pub date: NaiveDate,
    pub score: Option<u16>,
    /// What happened (history) or stops counting (projection) since the previous point.
    pub notes: Vec<String>,
    /// Scores the user saw elsewhere in this month: (family, value).
    pub reported: Vec<(String, u16)>,
}

fn add_months(d: NaiveDate, n: u32) -> NaiveDate {
    d.checked_add_months(Months::new(n)).unwrap_or(d)
}

/// Dated milestones after which an item stops counting or leaves the report.
fn expiries(p: &CreditProfile) -> Vec<(NaiveDate, String)> {
    let mut out = Vec::new();
    for q in p.inquiries.iter().filter(|q| q.hard) {
        out.push((
            add_months(q.date, 12),
            format!("the {:?} inquiry of {} stops counting", q.kind, q.date).to_lowercase(),
        ));
    }
    for t in &p.accounts {
        for d in &t.delinquencies {
            out.push((add_months(d.date, 84), format!("the late payment of {} on {} stops counting", d.date, t.id)));
        }
        if let (Some(closed), true) = (t.closed, t.delinquencies.is_empty()) {
            out.push((add_months(closed, 120), format!("closed account {} leaves the report", t.id)));
        }
    }
    for c in &p.collections {
        out.push((
            add_months(c.first_delinquency, 84),
            format!("the collection reported {} leaves the report", c.reported),
        ));
    }
    for r in &p.public_records {
        let years = if r.kind == RecordKind::BankruptcyCh7 { 10 } else { 7 };
        out.push((
            add_months(r.filed, 12 * years),
            format!("the {:?} filed {} leaves the report", r.kind, r.filed).to_lowercase(),
        ));
    }
    out
}

/// The aging calendar: each date after `from` on which an item stops counting or leaves the report,
/// soonest first.
pub fn aging_calendar(p: &CreditProfile, from: NaiveDate) -> Vec<(NaiveDate, String)> {
    let mut out: Vec<_> = expiries(p).into_iter().filter(|(d, _)| *d > from).collect();
    out.sort();
    out
}

/// The estimate at `from` and each of the next `months` months, if nothing changes.
pub fn projection(p: &CreditProfile, from: NaiveDate, months: u32, flavour: Flavour) -> Vec<TimelinePoint> {
    let milestones = expiries(p);
    (0..=months)
        .map(|n| {
            let date = add_months(from, n);
            let previous = if n == 0 { date } else { add_months(from, n - 1) };
            let notes =
                milestones.iter().filter(|(d, _)| *d > previous && *d <= date).map(|(_, t)| t.clone()).collect();
            TimelinePoint { date, score: estimate(p, date, flavour).score, notes, reported: Vec::new() }
        })
        .collect()
}

/// The estimate at the end of each of the last `months` months up to `to`, with each month's events and
/// reported scores. Balances are today's (the report keeps no balance history), so earlier points show
/// what the report's items alone did.
pub fn history(p: &CreditProfile, to: NaiveDate, months: u32, flavour: Flavour) -> Vec<TimelinePoint> {
    (0..=months)
        .rev()
        .map(|back| {
            let date = to.checked_sub_months(Months::new(back)).unwrap_or(to);
            let start = date.checked_sub_months(Months::new(1)).unwrap_or(date);
            let within = |d: NaiveDate| d > start && d <= date;
            let mut notes = Vec::new();
            for t in &p.accounts {
                if within(t.opened) {
                    notes.push(format!("{} opened", t.id));
                }
                if t.closed.is_some_and(within) {
                    notes.push(format!("{} closed", t.id));
                }
                for d in t.delinquencies.iter().filter(|d| within(d.date)) {
                    notes.push(format!("{:?} on {}", d.severity, t.id).to_lowercase().replace("late", "late payment "));
                }
            }
            notes.extend(
                p.inquiries
                    .iter()
                    .filter(|q| q.hard && within(q.date))
                    .map(|q| format!("{:?} inquiry", q.kind).to_lowercase()),
            );
            notes
                .extend(p.collections.iter().filter(|c| within(c.reported)).map(|_| "collection reported".to_string()));
            notes.extend(
                p.public_records
                    .iter()
                    .filter(|r| within(r.filed))
                    .map(|r| format!("{:?} filed", r.kind).to_lowercase()),
            );
            let reported =
                p.reported_scores.iter().filter(|s| within(s.date)).map(|s| (s.family.clone(), s.value)).collect();
            TimelinePoint { date, score: estimate(p, date, flavour).score, notes, reported }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::score::profile::{Delinquency, InquiryItem, InquiryKind, Severity};

    use crate::score::tests::a780;

    #[test]
    fn the_projection_starts_at_today_recovers_and_says_when_items_stop_counting() {
        let mut p = a780();
        p.accounts[1]
            .delinquencies
            .push(Delinquency { date: "2026-09-01".parse().expect("date"), severity: Severity::Late30 });
        let path = projection(&p, p.as_of, 60, Flavour::Fico8);
        assert_eq!(path.len(), 61);
        assert_eq!(path[0].score, estimate(&p, p.as_of, Flavour::Fico8).score, "month 0 is the current score");
        assert!(path.windows(2).all(|w| w[1].score >= w[0].score), "time never hurts a fixed report");
        let expiry = path.iter().find(|pt| pt.notes.iter().any(|n| n.contains("inquiry"))).expect("an inquiry expires");
        assert_eq!(expiry.date, "2027-03-01".parse::<NaiveDate>().expect("date"));
    }

    #[test]
    fn the_aging_calendar_lists_what_stops_counting_soonest_first() {
        let mut p = a780();
        p.inquiries.push(InquiryItem {
            date: "2026-06-01".parse().expect("date"),
            kind: InquiryKind::Card,
            hard: true,
        });
        p.accounts[1]
            .delinquencies
            .push(Delinquency { date: "2025-01-01".parse().expect("date"), severity: Severity::Late30 });
        let calendar = aging_calendar(&p, p.as_of);
        assert!(calendar.windows(2).all(|w| w[0].0 <= w[1].0));
        assert!(calendar.iter().all(|(d, _)| *d > p.as_of));
        assert!(
            calendar.contains(&(
                "2027-06-01".parse().expect("date"),
                "the card inquiry of 2026-06-01 stops counting".to_string()
            )),
            "{calendar:?}"
        );
        assert!(calendar
            .iter()
            .any(|(d, t)| *d == "2032-01-01".parse::<NaiveDate>().expect("date")
                && t.contains("late payment of 2025-01-01")));
    }

    #[test]
    fn history_marks_the_events_of_each_month() {
        let mut p = a780();
        p.inquiries.push(InquiryItem {
            date: "2026-10-15".parse().expect("date"),
            kind: InquiryKind::Mortgage,
            hard: true,
        });
        p.reported_scores.push(crate::score::ReportedScore {
            value: 781,
            family: "FICO 8".into(),
            bureau: None,
            date: "2026-10-20".parse().expect("date"),
        });
        let h = history(&p, p.as_of, 24, Flavour::Fico8);
        assert_eq!(h.len(), 25);
        let last = h.last().expect("point");
        assert_eq!(last.date, p.as_of);
        assert!(last.notes.contains(&"mortgage inquiry".to_string()), "{:?}", last.notes);
        assert_eq!(last.reported, vec![("FICO 8".to_string(), 781)]);
        assert!(
            h.iter().any(|pt| pt.notes.iter().any(|n| n == "auto opened")),
            "the auto loan opened in May 2025 is marked"
        );
    }
}
