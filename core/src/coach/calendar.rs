//! A card's or loan's calendar: the day of the month its statement closes and the day its payment is
//! due, as the user set them or inferred from its postings, and the dates they give.

use chrono::{Datelike, Days, Months, NaiveDate};

/// Days from a statement's closing to its due date when only one of the two is known: US issuers must
/// allow at least 21 (the CARD Act); most of the large ones allow 25.
pub const GRACE_DAYS: u32 = 25;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Calendar {
    pub statement_day: u32,
    pub due_day: u32,
    /// At least one of the two days was inferred from the postings, not set by the user.
    pub inferred: bool,
}

/// `day` in the month of `date`, or that month's last day when the month is shorter.
fn day_in_month(date: NaiveDate, day: u32) -> NaiveDate {
    let first = date.with_day(1).unwrap_or(date);
    let last = first.checked_add_months(Months::new(1)).and_then(|d| d.pred_opt()).unwrap_or(first);
    first.with_day(day.min(last.day())).unwrap_or(last)
}

impl Calendar {
    /// The closing dates from the last one on or before `from` to the first after `to`, oldest first.
    pub fn closings(&self, from: NaiveDate, to: NaiveDate) -> Vec<NaiveDate> {
        let mut month = from.with_day(1).and_then(|d| d.checked_sub_months(Months::new(1))).unwrap_or(from);
        let mut dates = Vec::new();
        loop {
            let closing = day_in_month(month, self.statement_day);
            dates.push(closing);
            match month.checked_add_months(Months::new(1)) {
                Some(next) if closing <= to => month = next,
                _ => break,
            }
        }
        let first = dates.iter().rposition(|d| *d <= from).unwrap_or(0);
        dates.split_off(first)
    }

    /// The due date of the statement that closes on `closing`: the first due day after it.
    pub fn due_after(&self, closing: NaiveDate) -> NaiveDate {
        let this_month = day_in_month(closing, self.due_day);
        if this_month > closing {
            return this_month;
        }
        closing.checked_add_months(Months::new(1)).map_or(this_month, |next| day_in_month(next, self.due_day))
    }

    /// A calendar from what the user set and what the postings show: interest and fees post on the
    /// closing day; payments cluster just before the due day. A missing day is the other one ±
    /// `GRACE_DAYS`. `None` when neither can be told.
    pub fn settle(
        statement_day: Option<u32>,
        due_day: Option<u32>,
        charge_dates: &[NaiveDate],
        payment_dates: &[NaiveDate],
    ) -> Option<Calendar> {
        let statement =
            statement_day.map(|d| (d, false)).or_else(|| cluster_day(charge_dates, 2, false).map(|d| (d, true)));
        let due = due_day.map(|d| (d, false)).or_else(|| cluster_day(payment_dates, 3, true).map(|d| (d, true)));
        let shift = |day: u32, forward: bool| -> u32 {
            // Day arithmetic on a 31-day month: close enough for a day of the month, and only a guess.
            let base = NaiveDate::from_ymd_opt(2001, 1, day).unwrap_or_default();
            let moved = if forward {
                base.checked_add_days(Days::new(u64::from(GRACE_DAYS)))
            } else {
                base.checked_sub_days(Days::new(u64::from(GRACE_DAYS)))
            };
            moved.map_or(day, |d| d.day())
        };
        let (statement_day, due_day, inferred) = match (statement, due) {
            (Some((s, si)), Some((d, di))) => (s, d, si || di),
            (Some((s, _)), None) => (s, shift(s, true), true),
            (None, Some((d, _))) => (shift(d, false), d, true),
            (None, None) => return None,
        };
        Some(Calendar { statement_day, due_day, inferred })
    }
}

/// The day of the month most of `dates` fall on (within two days, counted round the month's end):
/// at least `min` dates and half of them. With `latest`, the cluster's last day (a due day: people pay
/// on it or a little before), else its most common day.
fn cluster_day(dates: &[NaiveDate], min: usize, latest: bool) -> Option<u32> {
    if dates.len() < min {
        return None;
    }
    let distance = |a: u32, b: u32| {
        let d = a.abs_diff(b);
        d.min(31 - d)
    };
    let days: Vec<u32> = dates.iter().map(|d| d.day()).collect();
    let (centre, near) = (1..=31)
        .map(|c| (c, days.iter().filter(|d| distance(**d, c) <= 2).count()))
        .max_by_key(|(c, n)| (*n, days.iter().filter(|d| **d == *c).count()))?;
    if near < min || near * 2 < days.len() {
        return None;
    }
    let in_cluster = days.iter().copied().filter(|d| distance(*d, centre) <= 2);
    if latest {
        // The latest day of the cluster, seen from its centre (so 30, 31 and 1 give 1).
        in_cluster.max_by_key(|d| (i64::from(*d) - i64::from(centre) + 15).rem_euclid(31))
    } else {
        let mut counts = [0usize; 32];
        in_cluster.for_each(|d| counts[d as usize] += 1);
        (1..=31).max_by_key(|d| (counts[*d as usize], *d))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).expect("date")
    }

    #[test]
    fn closings_and_due_dates_follow_short_months() {
        let cal = Calendar { statement_day: 31, due_day: 25, inferred: false };
        assert_eq!(
            cal.closings(d(2026, 2, 10), d(2026, 4, 2)),
            [d(2026, 1, 31), d(2026, 2, 28), d(2026, 3, 31), d(2026, 4, 30)]
        );
        assert_eq!(cal.due_after(d(2026, 2, 28)), d(2026, 3, 25));
        let early = Calendar { statement_day: 5, due_day: 30, inferred: false };
        assert_eq!(early.due_after(d(2026, 2, 5)), d(2026, 2, 28), "due later in the same month, on its last day");
        assert_eq!(early.closings(d(2026, 3, 5), d(2026, 3, 5)), [d(2026, 3, 5), d(2026, 4, 5)]);
    }

    #[test]
    fn days_are_inferred_from_interest_and_payments_and_said_to_be() {
        let interest = [d(2026, 1, 28), d(2026, 2, 28), d(2026, 3, 28)];
        let autopay = [d(2026, 1, 22), d(2026, 2, 22), d(2026, 3, 21), d(2026, 4, 22)];
        assert_eq!(
            Calendar::settle(None, None, &interest, &autopay),
            Some(Calendar { statement_day: 28, due_day: 22, inferred: true })
        );
        assert_eq!(
            Calendar::settle(Some(3), Some(28), &interest, &autopay),
            Some(Calendar { statement_day: 3, due_day: 28, inferred: false })
        );
        assert_eq!(Calendar::settle(None, None, &[], &autopay).map(|c| (c.statement_day, c.due_day)), Some((28, 22)));
        let scattered = [d(2026, 1, 3), d(2026, 2, 17), d(2026, 3, 9), d(2026, 4, 25)];
        assert_eq!(Calendar::settle(None, None, &[], &scattered), None, "no day to tell");
        let month_end = [d(2026, 1, 31), d(2026, 2, 28), d(2026, 3, 31), d(2026, 4, 30)];
        assert_eq!(Calendar::settle(None, None, &[], &month_end).map(|c| c.due_day), Some(31));
    }
}
