//! The periods reports sum over: weeks (Monday to Sunday), months, quarters, years, or all time. Each
//! has a start date, an end date, a label and a successor, so a series can list every period in a
//! range, quiet ones included.

use chrono::{Datelike, Days, Months, NaiveDate};

use crate::error::{Error, Result};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Hash)]
pub enum Period {
    Week,
    #[default]
    Month,
    Quarter,
    Year,
    All,
}

impl std::str::FromStr for Period {
    type Err = Error;
    fn from_str(s: &str) -> Result<Period> {
        Ok(match s {
            "week" => Period::Week,
            "month" => Period::Month,
            "quarter" => Period::Quarter,
            "year" => Period::Year,
            "all" => Period::All,
            other => {
                return Err(Error::invalid(format!(
                    "\"{other}\" is not a period (use week, month, quarter, year or all)"
                )))
            }
        })
    }
}

impl Period {
    pub fn as_str(self) -> &'static str {
        match self {
            Period::Week => "week",
            Period::Month => "month",
            Period::Quarter => "quarter",
            Period::Year => "year",
            Period::All => "all",
        }
    }

    /// The first day of the period `date` is in (all time starts at the calendar's start).
    pub fn start(self, date: NaiveDate) -> NaiveDate {
        let first_of = |month: u32| NaiveDate::from_ymd_opt(date.year(), month, 1).unwrap_or(date);
        match self {
            Period::Week => date - Days::new(u64::from(date.weekday().num_days_from_monday())),
            Period::Month => first_of(date.month()),
            Period::Quarter => first_of((date.month() - 1) / 3 * 3 + 1),
            Period::Year => first_of(1),
            Period::All => NaiveDate::MIN,
        }
    }

    /// The first day of the next period, for a period that starts on `start`.
    pub fn next(self, start: NaiveDate) -> NaiveDate {
        let step = |d: Option<NaiveDate>| d.unwrap_or(NaiveDate::MAX);
        match self {
            Period::Week => step(start.checked_add_days(Days::new(7))),
            Period::Month => step(start.checked_add_months(Months::new(1))),
            Period::Quarter => step(start.checked_add_months(Months::new(3))),
            Period::Year => step(start.checked_add_months(Months::new(12))),
            Period::All => NaiveDate::MAX,
        }
    }

    /// The last day of the period that starts on `start`.
    pub fn end(self, start: NaiveDate) -> NaiveDate {
        self.next(start).pred_opt().unwrap_or(NaiveDate::MAX)
    }

    /// The same period one year earlier (52 weeks for a week).
    pub fn year_before(self, start: NaiveDate) -> Option<NaiveDate> {
        match self {
            Period::Week => start.checked_sub_days(Days::new(364)),
            Period::All => None,
            _ => start.checked_sub_months(Months::new(12)),
        }
    }

    /// "2026-03-02" (the week's Monday), "2026-03", "2026-Q1", "2026" or "all".
    pub fn label(self, start: NaiveDate) -> String {
        match self {
            Period::Week => start.to_string(),
            Period::Month => start.format("%Y-%m").to_string(),
            Period::Quarter => format!("{}-Q{}", start.year(), (start.month() - 1) / 3 + 1),
            Period::Year => start.year().to_string(),
            Period::All => "all".to_string(),
        }
    }

    /// Every period from the one holding `from` to the one holding `to`, as start dates.
    pub fn starts(self, from: NaiveDate, to: NaiveDate) -> Vec<NaiveDate> {
        let mut out = Vec::new();
        let mut start = self.start(from);
        while start <= to {
            out.push(start);
            let next = self.next(start);
            if next <= start {
                break;
            }
            start = next;
        }
        out
    }
}

/// "YYYY-MM" → the month's first day.
pub(crate) fn month_start(month: &str) -> Option<NaiveDate> {
    NaiveDate::parse_from_str(&format!("{month}-01"), "%Y-%m-%d").ok()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::analytics::testing::day;

    #[test]
    fn periods_start_end_and_follow_each_other() {
        let d = day("2026-08-13"); // a Thursday
        assert_eq!(Period::Week.start(d), day("2026-08-10"));
        assert_eq!(Period::Week.end(day("2026-08-10")), day("2026-08-16"));
        assert_eq!(Period::Month.start(d), day("2026-08-01"));
        assert_eq!(Period::Month.end(day("2026-02-01")), day("2026-02-28"));
        assert_eq!(Period::Quarter.start(d), day("2026-07-01"));
        assert_eq!(Period::Quarter.label(day("2026-07-01")), "2026-Q3");
        assert_eq!(Period::Year.label(Period::Year.start(d)), "2026");
        assert_eq!(Period::Month.year_before(day("2026-02-01")), Some(day("2025-02-01")));
        assert_eq!(Period::Week.year_before(day("2026-08-10")), Some(day("2025-08-11")), "52 weeks: also a Monday");
        assert_eq!(Period::Month.starts(day("2025-11-20"), day("2026-02-01")).len(), 4);
        assert_eq!(Period::All.starts(day("2025-11-20"), day("2026-02-01")), vec![NaiveDate::MIN]);
        assert_eq!(Period::Quarter.label(Period::Quarter.start(day("2026-12-31"))), "2026-Q4");
    }
}
