//! Dates and amounts as banks write them, and how a whole column settles what a single value cannot
//! (is 03/04/2024 the 3rd of April or the 4th of March? is 1,234 a thousand or one point two?).

use chrono::NaiveDate;
use rust_decimal::Decimal;

/// The order of day, month and year in numeric dates.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DateOrder {
    /// 01/31/2024 (US)
    MonthFirst,
    /// 31/01/2024, 31.01.2024 (most of the world)
    DayFirst,
    /// 2024-01-31, 20240131
    YearFirst,
}

impl DateOrder {
    pub fn as_str(self) -> &'static str {
        match self {
            DateOrder::MonthFirst => "MM/DD/YYYY",
            DateOrder::DayFirst => "DD/MM/YYYY",
            DateOrder::YearFirst => "YYYY-MM-DD",
        }
    }
}

/// A date split into its parts before the order is known.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum DateParts {
    /// Three numbers; `first_is_year` when the first has four digits.
    Numeric { a: u32, b: u32, c: u32, first_is_year: bool },
    /// A month written as a word ("12 Jan 24", "Dec 21, 2019"): unambiguous.
    Named { year: i32, month: u32, day: u32 },
}

const MONTHS: [&str; 12] = ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"];
const GERMAN_MONTHS: [(&str, u32); 4] = [("mär", 3), ("mai", 5), ("okt", 10), ("dez", 12)];

fn month_word(word: &str) -> Option<u32> {
    let w = word.to_lowercase();
    let prefix: String = w.chars().take(3).collect();
    MONTHS
        .iter()
        .position(|m| *m == prefix)
        .map(|i| i as u32 + 1)
        .or_else(|| GERMAN_MONTHS.iter().find(|(m, _)| *m == prefix).map(|(_, n)| *n))
}

fn full_year(y: u32, digits: usize) -> i32 {
    match digits {
        2 if y < 70 => 2000 + y as i32,
        2 => 1900 + y as i32,
        _ => y as i32,
    }
}

/// Splits a date cell into parts. Time of day and time zones after the date are ignored.
fn split_date(text: &str) -> Option<DateParts> {
    let t = text.trim().trim_matches('"').trim_start_matches('\'');
    // ISO timestamps: keep the date part.
    let t = t.split(['T', ' ']).next().filter(|d| d.len() >= 8 && d.contains('-')).unwrap_or(t);
    if t.len() == 8 && t.bytes().all(|b| b.is_ascii_digit()) {
        let n: u32 = t.parse().ok()?;
        return Some(DateParts::Named { year: (n / 10_000) as i32, month: n / 100 % 100, day: n % 100 });
    }
    let mut numbers: [(u32, usize); 3] = [(0, 0); 3];
    let mut n_numbers = 0;
    let mut words: [&str; 1] = [""];
    let mut n_words = 0;
    for token in t.split(['/', '-', '.', ' ', ',']).filter(|s| !s.is_empty()) {
        if token.bytes().all(|b| b.is_ascii_digit()) {
            if token.len() > 4 || n_numbers == 3 {
                return None;
            }
            numbers[n_numbers] = (token.parse().ok()?, token.len());
            n_numbers += 1;
        } else if token.contains(':') || token.starts_with('+') {
            break; // a time of day or a zone after the date
        } else {
            if n_words == 1 {
                return None;
            }
            words[0] = token;
            n_words += 1;
        }
        if n_numbers == 3 {
            break;
        }
    }
    let (numbers, words) = (&numbers[..n_numbers], &words[..n_words]);
    match (numbers, words) {
        ([(a, la), (b, _), (c, lc)], []) => {
            let first_is_year = *la == 4;
            if !first_is_year && *lc != 4 && *lc != 2 {
                return None;
            }
            let c = if first_is_year { *c } else { full_year(*c, *lc) as u32 };
            Some(DateParts::Numeric { a: *a, b: *b, c, first_is_year })
        }
        // "12 Jan 24", "12-Jan-2024", "Dec 21, 2019", "21. Dez. 2019"
        ([(x, _), (y, ly)], [word]) => {
            let month = month_word(word)?;
            let (day, year, year_digits) = if *ly >= 2 && *x <= 31 { (*x, *y, *ly) } else { (*y, *x, 4) };
            Some(DateParts::Named { year: full_year(year, year_digits), month, day })
        }
        _ => None,
    }
}

/// Which orders a numeric date allows: (month-first possible, day-first possible).
fn orders_allowed(parts: DateParts) -> (bool, bool) {
    match parts {
        DateParts::Numeric { a, b, first_is_year: false, .. } => (a <= 12 && b <= 31, b <= 12 && a <= 31),
        _ => (true, true),
    }
}

/// Reads a date given the column's order; `None` when it is not a real calendar date.
pub fn parse_date(text: &str, order: DateOrder) -> Option<NaiveDate> {
    match split_date(text)? {
        DateParts::Named { year, month, day } => NaiveDate::from_ymd_opt(year, month, day),
        DateParts::Numeric { a, b, c, first_is_year: true } => NaiveDate::from_ymd_opt(a as i32, b, c),
        DateParts::Numeric { a, b, c, first_is_year: false } => match order {
            DateOrder::DayFirst => NaiveDate::from_ymd_opt(c as i32, b, a),
            DateOrder::MonthFirst | DateOrder::YearFirst => NaiveDate::from_ymd_opt(c as i32, a, b),
        },
    }
}

/// Settles the order of a date column from all of its values: the order fewer values contradict wins
/// (13/01 cannot be month-first); a tie goes to the layout's own order, else month-first with a
/// warning.
#[derive(Debug, Default, Clone)]
pub struct DateColumn {
    against_month_first: usize,
    against_day_first: usize,
    numeric_seen: bool,
}

impl DateColumn {
    pub fn observe(&mut self, text: &str) {
        if let Some(parts @ DateParts::Numeric { first_is_year: false, .. }) = split_date(text) {
            self.numeric_seen = true;
            let (mdy, dmy) = orders_allowed(parts);
            self.against_month_first += usize::from(!mdy);
            self.against_day_first += usize::from(!dmy);
        }
    }

    pub fn settle(&self, hint: Option<DateOrder>) -> (DateOrder, Option<String>) {
        if !self.numeric_seen {
            return (DateOrder::YearFirst, None);
        }
        let (m, d) = (self.against_month_first, self.against_day_first);
        let proven = if m < d { Some(DateOrder::MonthFirst) } else if d < m { Some(DateOrder::DayFirst) } else { None };
        match (proven, hint) {
            (Some(order), Some(h)) if h != DateOrder::YearFirst && h != order => (
                order,
                Some(format!("the dates read as {} although this layout normally uses {}", order.as_str(), h.as_str())),
            ),
            (Some(order), _) => (order, None),
            (None, Some(h)) => (h, None),
            (None, None) => (
                DateOrder::MonthFirst,
                Some("no date in the file tells DD/MM from MM/DD; assumed MM/DD (give --map \"…,dates=DD/MM/YYYY\" to change it)".into()),
            ),
        }
    }
}

/// Which character marks the decimals.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DecimalMark {
    Point,
    Comma,
}

/// Settles the decimal mark of an amount column from all of its values.
#[derive(Debug, Default, Clone)]
pub struct AmountColumn {
    comma_votes: usize,
    point_votes: usize,
}

impl AmountColumn {
    pub fn observe(&mut self, text: &str) {
        let bytes = text.as_bytes();
        let Some(i) = bytes.iter().rposition(|b| *b == b'.' || *b == b',') else { return };
        let decimals = bytes[i + 1..].iter().take_while(|b| b.is_ascii_digit()).count();
        let sep = bytes[i];
        let both = bytes.contains(&b'.') && bytes.contains(&b',');
        match (sep, decimals) {
            (b',', 1 | 2) => self.comma_votes += 1,
            (b'.', 1 | 2) => self.point_votes += 1,
            (b',', 3) if both => self.point_votes += 1,
            (b'.', 3) if both => self.comma_votes += 1,
            _ => {}
        }
    }

    pub fn settle(&self, hint: Option<DecimalMark>) -> DecimalMark {
        if self.comma_votes > self.point_votes {
            DecimalMark::Comma
        } else if self.point_votes > self.comma_votes {
            DecimalMark::Point
        } else {
            hint.unwrap_or(DecimalMark::Point)
        }
    }
}

/// Reads an amount as banks print it: thousands separators, currency symbols or codes, `(12.00)` and
/// `12.00-` for negatives, a leading `+`. `None` for an empty cell; `Err` for text that is not a number.
/// Runs once per cell of a million-row file, so it allocates nothing on success.
pub fn parse_amount(text: &str, mark: DecimalMark) -> Result<Option<Decimal>, String> {
    let t = text.trim().trim_matches('"').trim_start_matches('\'').trim();
    if t.is_empty() || t == "-" {
        return Ok(None);
    }
    let not_amount = || format!("\"{text}\" is not an amount");
    let (body, mut negative) = match t.strip_prefix('(').and_then(|x| x.strip_suffix(')')) {
        Some(inner) => (inner, true),
        None => (t, false),
    };
    let decimal = match mark {
        DecimalMark::Point => '.',
        DecimalMark::Comma => ',',
    };
    let mut mantissa: i128 = 0;
    let mut scale: u32 = 0;
    let (mut digits, mut in_decimals, mut letters_after_digits) = (0u32, false, false);
    for c in body.chars() {
        match c {
            '0'..='9' => {
                if letters_after_digits {
                    return Err(not_amount());
                }
                digits += 1;
                if digits > 28 {
                    return Err(not_amount());
                }
                mantissa = mantissa * 10 + i128::from(c as u8 - b'0');
                if in_decimals {
                    scale += 1;
                }
            }
            c if c == decimal => {
                if in_decimals {
                    return Err(not_amount());
                }
                in_decimals = true;
            }
            '.' | ',' => {
                if in_decimals {
                    return Err(not_amount()); // a thousands separator after the decimals
                }
            }
            '-' | '−' => negative = !negative,
            '+' => {}
            // Thousands spaces (also non-breaking and narrow ones), Swiss apostrophes, currency marks.
            c if c.is_whitespace() || c == '\'' || c == '’' => {}
            c if "$€£¥₹₩₽¢".contains(c) => {}
            c if c.is_alphabetic() => letters_after_digits |= digits > 0,
            _ => return Err(not_amount()),
        }
    }
    if digits == 0 {
        return Err(not_amount());
    }
    let value = Decimal::try_from_i128_with_scale(if negative { -mantissa } else { mantissa }, scale).map_err(|_| not_amount())?;
    Ok(Some(value))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn date(s: &str, order: DateOrder) -> String {
        parse_date(s, order).map(|d| d.to_string()).unwrap_or_else(|| "none".into())
    }

    #[test]
    fn every_common_bank_date_form_reads() {
        use DateOrder::*;
        let cases = [
            ("01/31/2024", MonthFirst, "2024-01-31"),
            ("1/5/2024", MonthFirst, "2024-01-05"),
            ("31/01/2024", DayFirst, "2024-01-31"),
            ("31.01.2024", DayFirst, "2024-01-31"),
            ("31.01.24", DayFirst, "2024-01-31"),
            ("2024-01-31", MonthFirst, "2024-01-31"),
            ("20240131", DayFirst, "2024-01-31"),
            ("12 Jan 24", MonthFirst, "2024-01-12"),
            ("12-Jan-2024", DayFirst, "2024-01-12"),
            ("Dec 21, 2019", DayFirst, "2019-12-21"),
            ("2019-07-31 12:00:00 +0000", MonthFirst, "2019-07-31"),
            ("2024-03-05T10:22:01Z", DayFirst, "2024-03-05"),
            ("'03/04/2024", DayFirst, "2024-04-03"),
            ("21. Dez. 2019", DayFirst, "2019-12-21"),
            ("02/30/2024", MonthFirst, "none"),
            ("hello", MonthFirst, "none"),
            ("", MonthFirst, "none"),
        ];
        for (text, order, want) in cases {
            assert_eq!(date(text, order), want, "{text}");
        }
    }

    #[test]
    fn the_whole_column_settles_day_month_order() {
        let mut col = DateColumn::default();
        for d in ["03/04/2024", "05/06/2024", "13/06/2024"] {
            col.observe(d);
        }
        assert_eq!(col.settle(Some(DateOrder::DayFirst)).0, DateOrder::DayFirst, "13 can only be a day");
        let (order, warning) = col.settle(Some(DateOrder::MonthFirst));
        assert_eq!(order, DateOrder::DayFirst);
        assert!(warning.is_some(), "overriding a layout's usual order is said out loud");
        let mut col = DateColumn::default();
        for d in ["03/04/2024", "12/31/2024"] {
            col.observe(d);
        }
        assert_eq!(col.settle(None).0, DateOrder::MonthFirst);
        let mut col = DateColumn::default();
        col.observe("03/04/2024");
        let (order, warning) = col.settle(None);
        assert_eq!(order, DateOrder::MonthFirst);
        assert!(warning.is_some(), "an unprovable order is said out loud");
        assert_eq!(col.settle(Some(DateOrder::DayFirst)), (DateOrder::DayFirst, None));
    }

    fn amount(s: &str, mark: DecimalMark) -> String {
        match parse_amount(s, mark) {
            Ok(Some(d)) => d.to_string(),
            Ok(None) => "empty".into(),
            Err(_) => "error".into(),
        }
    }

    #[test]
    fn amounts_in_every_common_notation() {
        use DecimalMark::*;
        let cases = [
            ("1,234.56", Point, "1234.56"),
            ("-1,000.00", Point, "-1000.00"),
            ("1.234,56", Comma, "1234.56"),
            ("-1.250,00", Comma, "-1250.00"),
            ("1 234,56", Comma, "1234.56"),
            ("1\u{a0}234,56", Comma, "1234.56"),
            ("(12.00)", Point, "-12.00"),
            ("12.00-", Point, "-12.00"),
            ("$1,234.56", Point, "1234.56"),
            ("-$5.00", Point, "-5.00"),
            ("€ 5,00", Comma, "5.00"),
            ("5.00 EUR", Point, "5.00"),
            ("+7.5", Point, "7.5"),
            ("1'234.50", Point, "1234.50"),
            ("'42.10", Point, "42.10"),
            ("", Point, "empty"),
            ("abc", Point, "error"),
            ("1.234.567,89", Comma, "1234567.89"),
            ("12.3.4", Point, "error"),
        ];
        for (text, mark, want) in cases {
            assert_eq!(amount(text, mark), want, "{text}");
        }
    }

    #[test]
    fn the_whole_column_settles_the_decimal_mark() {
        let mut col = AmountColumn::default();
        for a in ["1.250,00", "-3,50", "12"] {
            col.observe(a);
        }
        assert_eq!(col.settle(None), DecimalMark::Comma);
        let mut col = AmountColumn::default();
        for a in ["1,250.00", "-3.5"] {
            col.observe(a);
        }
        assert_eq!(col.settle(Some(DecimalMark::Comma)), DecimalMark::Point);
        assert_eq!(AmountColumn::default().settle(Some(DecimalMark::Comma)), DecimalMark::Comma);
    }
}
