//! Recurring payments and subscriptions, found in the transactions: the same payee on the same account
//! at a near-regular interval (weekly to yearly) for a similar amount. Each series says when and how much
//! to expect next, whether the price changed, and whether it is still running: one expected payment
//! that has not come is "missed" (late, or paid some other way); two are "lapsed" (most likely cancelled).

use std::collections::HashMap;

use chrono::{Months, NaiveDate};
use rust_decimal::Decimal;
use uuid::Uuid;

use crate::error::Result;
use crate::values::from_minor;
use crate::vault::Vault;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Cadence {
    Weekly,
    Biweekly,
    Monthly,
    Quarterly,
    Yearly,
}

impl Cadence {
    pub fn as_str(self) -> &'static str {
        match self {
            Cadence::Weekly => "weekly",
            Cadence::Biweekly => "every two weeks",
            Cadence::Monthly => "monthly",
            Cadence::Quarterly => "quarterly",
            Cadence::Yearly => "yearly",
        }
    }

    fn days(self) -> i64 {
        match self {
            Cadence::Weekly => 7,
            Cadence::Biweekly => 14,
            Cadence::Monthly => 30,
            Cadence::Quarterly => 91,
            Cadence::Yearly => 365,
        }
    }

    fn tolerance(self) -> i64 {
        match self {
            Cadence::Weekly => 1,
            Cadence::Biweekly => 2,
            Cadence::Monthly => 4,
            Cadence::Quarterly => 7,
            Cadence::Yearly => 10,
        }
    }

    fn after(self, date: NaiveDate) -> NaiveDate {
        match self {
            Cadence::Monthly => date.checked_add_months(Months::new(1)),
            Cadence::Quarterly => date.checked_add_months(Months::new(3)),
            Cadence::Yearly => date.checked_add_months(Months::new(12)),
            other => date.checked_add_days(chrono::Days::new(other.days() as u64)),
        }
        .unwrap_or(date)
    }
}

/// How far the series' payments have kept up, as of the report's date.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SeriesStatus {
    /// The next payment is not yet overdue.
    Active,
    /// The next expected payment is overdue.
    Missed,
    /// Two expected payments have not come: most likely cancelled. Kept so that a user can check.
    Lapsed,
}

impl SeriesStatus {
    pub fn as_str(self) -> &'static str {
        match self {
            SeriesStatus::Active => "active",
            SeriesStatus::Missed => "missed",
            SeriesStatus::Lapsed => "lapsed",
        }
    }
}

/// A recurring payment found in the transactions.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RecurringSeries {
    pub payee: String,
    pub account: String,
    pub currency: String,
    pub cadence: Cadence,
    pub occurrences: usize,
    pub last_date: NaiveDate,
    /// The latest amount (money out is negative).
    pub amount: Decimal,
    pub next_date: NaiveDate,
    /// (old amount, new amount, date of the first payment at the new amount)
    pub price_change: Option<(Decimal, Decimal, NaiveDate)>,
    /// Periods with no payment between the first and the last.
    pub skipped: usize,
    /// Payments in a row at the cadence, the latest back to the first gap, and the first of them.
    pub streak: usize,
    pub streak_since: NaiveDate,
    pub status: SeriesStatus,
}

impl RecurringSeries {
    /// Still being paid: active, or one payment late. What "coming up" lists show.
    pub fn is_running(&self) -> bool {
        self.status != SeriesStatus::Lapsed
    }

    /// What deserves the user's attention, in a sentence each: a price change, skipped periods, an
    /// overdue payment.
    pub fn notes(&self) -> Vec<String> {
        let mut notes = Vec::new();
        if let Some((old, new, from)) = self.price_change {
            notes.push(format!("price changed from {} to {} on {from}", old.abs(), new.abs()));
        }
        if self.skipped > 0 {
            notes.push(format!("{} payment(s) skipped", self.skipped));
        }
        match self.status {
            SeriesStatus::Active => {}
            SeriesStatus::Missed => notes.push(format!("the payment expected on {} has not come", self.next_date)),
            SeriesStatus::Lapsed => notes.push(format!("no payment since {}: cancelled?", self.last_date)),
        }
        notes
    }
}

/// Finds series among `(date, amount)` points of one payee: the cadence most intervals fit.
fn cadence_of(dates: &[NaiveDate]) -> Option<(Cadence, usize)> {
    let gaps: Vec<i64> = dates.windows(2).map(|w| (w[1] - w[0]).num_days()).collect();
    [Cadence::Weekly, Cadence::Biweekly, Cadence::Monthly, Cadence::Quarterly, Cadence::Yearly].into_iter().find_map(
        |c| {
            let mut skipped = 0;
            let fits = gaps
                .iter()
                .filter(|g| {
                    if (**g - c.days()).abs() <= c.tolerance() {
                        return true;
                    }
                    // One missed period in between.
                    let double = (**g - 2 * c.days()).abs() <= 2 * c.tolerance();
                    skipped += usize::from(double);
                    double
                })
                .count();
            (fits * 10 >= gaps.len() * 8 && skipped * 3 <= gaps.len()).then_some((c, skipped))
        },
    )
}

/// One payee's payments out of one account: (date, amount in minor units), oldest first.
struct Group {
    account: String,
    currency: String,
    payee: String,
    points: Vec<(NaiveDate, i64)>,
}

/// What the vault held when a detection ran: its newest operation (this connection's writes, undo
/// included) and SQLite's data version (other connections' commits).
type Snapshot = (Option<i64>, i64);

/// How far back detection reads: far enough for a yearly series that has missed its latest payment (three
/// payments, the newest up to two years and the grace days old: 52 months). Older history cannot change
/// what is running now.
const HISTORY_MONTHS: u32 = 54;

/// The last detection and what it was run on. Detection reads every payment of the last years (a
/// fraction of a second on a million rows); the dashboard asks for it on every visit, mostly of an
/// unchanged vault.
#[derive(Debug, Default)]
pub(crate) struct RecurringCache(std::sync::Mutex<Option<(Snapshot, NaiveDate, Vec<RecurringSeries>)>>);

impl Vault {
    /// Recurring payments out of the user's accounts, from the payments of the last years up to `as_of`,
    /// lapsed ones included. Detection runs again only once the vault has changed (or for another date).
    pub fn recurring_payments(&self, as_of: NaiveDate) -> Result<Vec<RecurringSeries>> {
        let snapshot: Snapshot = (
            self.conn.query_row("SELECT max(id) FROM operations", [], |r| r.get(0))?,
            self.conn.query_row("PRAGMA data_version", [], |r| r.get(0))?,
        );
        let mut cache = self.recurring_cache.0.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
        if let Some((seen, date, found)) = cache.as_ref() {
            if *seen == snapshot && *date == as_of {
                return Ok(found.clone());
            }
        }
        let found = self.detect_recurring(as_of)?;
        *cache = Some((snapshot, as_of, found.clone()));
        Ok(found)
    }

    fn detect_recurring(&self, as_of: NaiveDate) -> Result<Vec<RecurringSeries>> {
        let accounts: HashMap<Uuid, (String, String)> = self
            .accounts()?
            .into_iter()
            .filter_map(|a| Some((Uuid::parse_str(&a.id).ok()?, (a.name, a.currency))))
            .collect();
        // One pass over the table in storage order, borrowing each payee: a million rows allocate only
        // one entry per (account, payee). Each group is put in date order afterwards.
        let mut by_payee: HashMap<Uuid, HashMap<String, Vec<(NaiveDate, i64)>>> = HashMap::new();
        let since = as_of.checked_sub_months(Months::new(HISTORY_MONTHS)).unwrap_or(NaiveDate::MIN);
        // `+date`: a scan with the dates filtered beats the date index here (each entry would be one more
        // table lookup, for about half the table).
        let mut stmt = self.conn.prepare(
            "SELECT account_id, payee, date, amount FROM transactions
             WHERE +date BETWEEN ?1 AND ?2 AND amount < 0 AND transfer_id IS NULL",
        )?;
        let mut rows = stmt.query([since.to_string(), as_of.to_string()])?;
        while let Some(r) = rows.next()? {
            let account: Uuid = r.get(0)?;
            let payee = r.get_ref(1)?.as_str().unwrap_or_default();
            let Some(date) = iso_date(r.get_ref(2)?.as_bytes().unwrap_or_default()) else { continue };
            let amount: i64 = r.get(3)?;
            let payees = by_payee.entry(account).or_default();
            match payees.get_mut(payee) {
                Some(points) => points.push((date, amount)),
                None => {
                    payees.insert(payee.to_string(), vec![(date, amount)]);
                }
            }
        }
        let mut groups: HashMap<(Uuid, String), Group> = HashMap::new();
        for (account, payees) in by_payee {
            let Some((name, currency)) = accounts.get(&account) else { continue };
            for (payee, points) in payees {
                let group = groups.entry((account, payee.to_lowercase())).or_insert_with(|| Group {
                    account: name.clone(),
                    currency: currency.clone(),
                    payee,
                    points: Vec::new(),
                });
                group.points.extend(points);
            }
        }
        let mut found: Vec<RecurringSeries> = groups
            .into_values()
            .filter(|g| g.points.len() >= 3)
            .filter_map(|mut g| {
                g.points.sort_unstable();
                series(&g.account, &g.currency, &g.payee, &g.points, as_of)
            })
            .collect();
        found.sort_by(|a, b| (a.next_date, &a.payee).cmp(&(b.next_date, &b.payee)));
        Ok(found)
    }
}

/// "YYYY-MM-DD" as stored, without a format parser.
fn iso_date(text: &[u8]) -> Option<NaiveDate> {
    let number = |range: std::ops::Range<usize>| {
        text.get(range)?.iter().try_fold(0u32, |n, b| b.is_ascii_digit().then(|| n * 10 + u32::from(b - b'0')))
    };
    if text.len() != 10 {
        return None;
    }
    NaiveDate::from_ymd_opt(number(0..4)? as i32, number(5..7)?, number(8..10)?)
}

fn series(
    account: &str,
    currency: &str,
    payee: &str,
    points: &[(NaiveDate, i64)],
    as_of: NaiveDate,
) -> Option<RecurringSeries> {
    if points.len() < 3 {
        return None;
    }
    // Similar amounts only: within 20% of the median (a price change keeps a series; a one-off does not).
    let mut amounts: Vec<i64> = points.iter().map(|p| p.1).collect();
    amounts.sort_unstable();
    let median = amounts[amounts.len() / 2];
    let similar: Vec<(NaiveDate, i64)> =
        points.iter().copied().filter(|p| (p.1 - median).abs() * 5 <= median.abs()).collect();
    if similar.len() < 3 {
        return None;
    }
    let dates: Vec<NaiveDate> = similar.iter().map(|p| p.0).collect();
    let (cadence, skipped) = cadence_of(&dates)?;
    let (last_date, last_amount) = *similar.last()?;
    let next_date = cadence.after(last_date);
    let overdue = |expected: NaiveDate| {
        expected.checked_add_days(chrono::Days::new((cadence.days() / 3).max(3) as u64)).is_some_and(|d| d < as_of)
    };
    let status = if overdue(cadence.after(next_date)) {
        SeriesStatus::Lapsed
    } else if overdue(next_date) {
        SeriesStatus::Missed
    } else {
        SeriesStatus::Active
    };
    let in_step = |w: &[NaiveDate]| ((w[1] - w[0]).num_days() - cadence.days()).abs() <= cadence.tolerance();
    let streak = 1 + dates.windows(2).rev().take_while(|w| in_step(w)).count();
    let price_change = similar
        .windows(2)
        .rev()
        .find(|w| w[0].1 != w[1].1)
        .map(|w| (from_minor(w[0].1, currency), from_minor(w[1].1, currency), w[1].0));
    Some(RecurringSeries {
        payee: payee.to_string(),
        account: account.to_string(),
        currency: currency.to_string(),
        cadence,
        occurrences: similar.len(),
        last_date,
        amount: from_minor(last_amount, currency),
        next_date,
        price_change,
        skipped,
        streak,
        streak_since: dates[dates.len() - streak],
        status,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).expect("date")
    }

    #[test]
    fn stored_dates_parse_and_anything_else_does_not() {
        assert_eq!(iso_date(b"2026-02-28"), Some(d(2026, 2, 28)));
        assert_eq!(iso_date(b"2026-02-30"), None);
        assert_eq!(iso_date(b"2026-2-28"), None);
        assert_eq!(iso_date(b"abcd-ef-gh"), None);
    }

    #[test]
    fn a_monthly_subscription_with_jitter_a_price_change_and_a_skipped_month() {
        let points = vec![
            (d(2026, 1, 15), -999),
            (d(2026, 2, 16), -999),
            (d(2026, 3, 14), -999),
            // April skipped
            (d(2026, 5, 15), -1099),
            (d(2026, 6, 17), -1099),
        ];
        let s = series("Card", "USD", "Netflix", &points, d(2026, 7, 1)).expect("a series");
        assert_eq!(s.cadence, Cadence::Monthly);
        assert_eq!((s.occurrences, s.skipped), (5, 1));
        assert_eq!((s.streak, s.streak_since), (2, d(2026, 5, 15)), "the skipped month ends the streak");
        assert_eq!(s.next_date, d(2026, 7, 17));
        assert_eq!(s.price_change, Some((Decimal::new(-999, 2), Decimal::new(-1099, 2), d(2026, 5, 15))));
        assert_eq!(s.status, SeriesStatus::Active);
        assert_eq!(s.notes(), ["price changed from 9.99 to 10.99 on 2026-05-15", "1 payment(s) skipped"]);
        let status_on = |as_of| series("Card", "USD", "Netflix", &points, as_of).expect("series").status;
        assert_eq!(status_on(d(2026, 7, 27)), SeriesStatus::Active, "within the grace days");
        assert_eq!(status_on(d(2026, 8, 20)), SeriesStatus::Missed, "a month overdue");
        assert_eq!(status_on(d(2026, 9, 28)), SeriesStatus::Lapsed, "two payments have not come");
        assert!(!series("Card", "USD", "Netflix", &points, d(2026, 9, 28)).expect("series").is_running());
    }

    #[test]
    fn irregular_or_one_off_payments_are_not_a_series() {
        let random =
            vec![(d(2026, 1, 3), -2000), (d(2026, 1, 9), -1500), (d(2026, 3, 28), -4000), (d(2026, 4, 2), -100)];
        assert!(series("Card", "USD", "Grocer", &random, d(2026, 5, 1)).is_none());
        let weekly = vec![(d(2026, 1, 2), -500), (d(2026, 1, 9), -500), (d(2026, 1, 16), -520), (d(2026, 1, 23), -500)];
        assert_eq!(series("Card", "USD", "Gym", &weekly, d(2026, 1, 25)).map(|s| s.cadence), Some(Cadence::Weekly));
        let yearly = vec![(d(2023, 3, 1), -9900), (d(2024, 3, 2), -9900), (d(2025, 2, 28), -9900)];
        assert_eq!(series("Card", "USD", "Domain", &yearly, d(2025, 3, 5)).map(|s| s.cadence), Some(Cadence::Yearly));
    }
}
