//! Which hard inquiries count, per score flavour: rate shopping for a mortgage, car or student loan
//! within one window counts once; FICO flavours ignore such inquiries in their first 30 days; anything
//! older than 12 months does not count.

use chrono::{Days, Months, NaiveDate};

use super::profile::{InquiryItem, InquiryKind};

/// The score family whose rules apply.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Flavour {
    Fico8,
    Fico9,
    /// FICO 2/4/5, the mortgage scores.
    FicoLegacy,
    /// VantageScore 3.0 and 4.0.
    Vantage,
}

impl Flavour {
    pub fn as_str(self) -> &'static str {
        match self {
            Flavour::Fico8 => "fico8",
            Flavour::Fico9 => "fico9",
            Flavour::FicoLegacy => "fico_legacy",
            Flavour::Vantage => "vantage",
        }
    }

    /// What people call it.
    pub fn label(self) -> &'static str {
        match self {
            Flavour::Fico8 => "FICO 8",
            Flavour::Fico9 => "FICO 9",
            Flavour::FicoLegacy => "Older FICO (2, 4, 5)",
            Flavour::Vantage => "VantageScore-like",
        }
    }

    pub fn parse(text: &str) -> Option<Flavour> {
        [Flavour::Fico8, Flavour::Fico9, Flavour::FicoLegacy, Flavour::Vantage].into_iter().find(|f| f.as_str() == text)
    }

    /// How many days of same-purpose inquiries count as one.
    fn window_days(self) -> u64 {
        match self {
            Flavour::Fico8 | Flavour::Fico9 => 45,
            Flavour::FicoLegacy | Flavour::Vantage => 14,
        }
    }
}

fn is_shopping(kind: InquiryKind) -> bool {
    matches!(kind, InquiryKind::Auto | InquiryKind::Mortgage | InquiryKind::Student)
}

/// How many hard inquiries count against a score as of `as_of`.
pub fn counted_inquiries(inquiries: &[InquiryItem], as_of: NaiveDate, flavour: Flavour) -> u32 {
    let year_ago = as_of.checked_sub_months(Months::new(12)).unwrap_or(as_of);
    let mut recent: Vec<&InquiryItem> =
        inquiries.iter().filter(|q| q.hard && q.date > year_ago && q.date <= as_of).collect();
    recent.sort_by_key(|q| (q.date, q.kind));
    let window = flavour.window_days();
    if flavour == Flavour::Vantage {
        // Any type, one window at a time, no buffer.
        return windows(recent.iter().map(|q| q.date), window);
    }
    let buffer_start = as_of.checked_sub_days(Days::new(30)).unwrap_or(as_of);
    let mut count = recent.iter().filter(|q| !is_shopping(q.kind)).count() as u32;
    for kind in [InquiryKind::Auto, InquiryKind::Mortgage, InquiryKind::Student] {
        let dates = recent.iter().filter(|q| q.kind == kind && q.date <= buffer_start).map(|q| q.date);
        count += windows(dates, window);
    }
    count
}

/// Greedy windows anchored at the first date of each: how many windows the sorted dates need.
fn windows(sorted: impl Iterator<Item = NaiveDate>, days: u64) -> u32 {
    let mut count = 0;
    let mut window_end: Option<NaiveDate> = None;
    for d in sorted {
        if window_end.is_none_or(|end| d >= end) {
            count += 1;
            window_end = d.checked_add_days(Days::new(days));
        }
    }
    count
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn q(date: &str, kind: InquiryKind) -> InquiryItem {
        InquiryItem { date: date.parse().expect("date"), kind, hard: true }
    }

    fn as_of() -> NaiveDate {
        "2026-11-01".parse().expect("date")
    }

    #[test]
    fn rate_shopping_counts_once_per_window_and_cards_never_dedupe() {
        use InquiryKind::*;
        let shopping = [q("2026-05-01", Auto), q("2026-05-10", Auto), q("2026-06-10", Auto)];
        assert_eq!(counted_inquiries(&shopping, as_of(), Flavour::Fico8), 1, "all inside 45 days");
        assert_eq!(counted_inquiries(&shopping, as_of(), Flavour::FicoLegacy), 2, "14-day windows");
        let apart = [q("2026-05-01", Auto), q("2026-06-20", Auto)];
        assert_eq!(counted_inquiries(&apart, as_of(), Flavour::Fico8), 2, "50 days apart");
        let cards = [q("2026-05-01", Card), q("2026-05-02", Card)];
        assert_eq!(counted_inquiries(&cards, as_of(), Flavour::Fico8), 2);
        let mixed = [q("2026-05-01", Card), q("2026-05-02", Mortgage), q("2026-05-05", Other)];
        assert_eq!(counted_inquiries(&mixed, as_of(), Flavour::Vantage), 1, "vantage: any type within 14 days");
    }

    #[test]
    fn fresh_shopping_old_and_soft_inquiries_do_not_count() {
        use InquiryKind::*;
        assert_eq!(counted_inquiries(&[q("2026-10-20", Mortgage)], as_of(), Flavour::Fico8), 0, "30-day buffer");
        assert_eq!(counted_inquiries(&[q("2026-10-20", Card)], as_of(), Flavour::Fico8), 1, "no buffer for cards");
        assert_eq!(counted_inquiries(&[q("2025-10-31", Card)], as_of(), Flavour::Fico8), 0, "older than 12 months");
        let soft = InquiryItem { hard: false, ..q("2026-09-01", Card) };
        assert_eq!(counted_inquiries(&[soft], as_of(), Flavour::Fico8), 0);
        assert_eq!(counted_inquiries(&[q("2026-12-01", Card)], as_of(), Flavour::Fico8), 0, "after as_of");
    }

    proptest! {
        #[test]
        fn order_never_matters_and_more_inquiries_never_count_less(
            days in prop::collection::vec((0u64..400, 0usize..5, any::<bool>()), 0..20),
            extra in (0u64..400, 0usize..5),
        ) {
            let kinds = [InquiryKind::Card, InquiryKind::Auto, InquiryKind::Mortgage, InquiryKind::Student, InquiryKind::Other];
            let make = |(d, k, hard): (u64, usize, bool)| InquiryItem { date: as_of() - Days::new(d), kind: kinds[k], hard };
            let list: Vec<_> = days.iter().copied().map(make).collect();
            let mut reversed = list.clone();
            reversed.reverse();
            for f in [Flavour::Fico8, Flavour::Fico9, Flavour::FicoLegacy, Flavour::Vantage] {
                let n = counted_inquiries(&list, as_of(), f);
                prop_assert_eq!(n, counted_inquiries(&reversed, as_of(), f));
                let mut more = list.clone();
                more.push(make((extra.0, extra.1, true)));
                prop_assert!(counted_inquiries(&more, as_of(), f) >= n);
            }
        }
    }
}
