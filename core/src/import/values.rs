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
    /// The order a pattern writes: `DD.MM.YY`, `%d/%m/%Y`, `MM/DD/YYYY`, `YYYY-MM-DD`, `DMY`, … (the
    /// first of D, M and Y decides, with Y first meaning year-month-day).
    pub fn from_pattern(pattern: &str) -> Option<DateOrder> {
        let upper = pattern.to_ascii_uppercase();
        let position = |letter: char| upper.find(letter);
        let (d, m, y) = (position('D')?, position('M')?, position('Y')?);
        Some(if y < d && y < m {
            DateOrder::YearFirst
        } else if d < m {
            DateOrder::DayFirst
        } else {
            DateOrder::MonthFirst
        })
    }

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

/// Whether a cell is a real calendar date in some order.
fn is_date(text: &str) -> bool {
    parse_date(text, DateOrder::DayFirst).is_some() || parse_date(text, DateOrder::MonthFirst).is_some()
}

/// Settles the order of a date column from all of its values: the order fewer values contradict wins
/// (13/01 cannot be month-first); a tie goes to the layout's own order, else month-first with a
/// warning. The first value that rules an order out is kept as the evidence.
#[derive(Debug, Default, Clone)]
pub struct DateColumn {
    against_month_first: usize,
    against_day_first: usize,
    numeric_seen: bool,
    /// The first value that cannot be month-first, and its line.
    first_against_month_first: Option<(u64, String)>,
    first_against_day_first: Option<(u64, String)>,
}

/// Where a column-wide decision came from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Settlement<T> {
    /// The values prove it; the text says which value.
    Proven(T, String),
    /// Nothing in the values decides; the layout's (or the default) is taken.
    Assumed(T),
}

impl<T: Copy> Settlement<T> {
    pub fn value(&self) -> T {
        match self {
            Settlement::Proven(v, _) | Settlement::Assumed(v) => *v,
        }
    }
}

impl DateColumn {
    pub fn observe(&mut self, line: u64, text: &str) {
        if let Some(parts @ DateParts::Numeric { first_is_year: false, .. }) = split_date(text) {
            self.numeric_seen = true;
            let (mdy, dmy) = orders_allowed(parts);
            self.against_month_first += usize::from(!mdy);
            self.against_day_first += usize::from(!dmy);
            if !mdy && self.first_against_month_first.is_none() {
                self.first_against_month_first = Some((line, text.to_string()));
            }
            if !dmy && self.first_against_day_first.is_none() {
                self.first_against_day_first = Some((line, text.to_string()));
            }
        }
    }

    /// The column's order: proven by its values, or assumed from `hint` (else month-first).
    pub fn settlement(&self, hint: Option<DateOrder>) -> Settlement<DateOrder> {
        if !self.numeric_seen {
            // Any order reads these alike; keep the layout's, so nothing is read twice for it.
            let order = hint.unwrap_or(DateOrder::YearFirst);
            return Settlement::Proven(order, "the dates are written year first or with the month as a word".into());
        }
        let (m, d) = (self.against_month_first, self.against_day_first);
        let proof = |example: &Option<(u64, String)>, why: &str| {
            example.as_ref().map(|(line, text)| format!("line {line}: \"{text}\" {why}")).unwrap_or_default()
        };
        if m < d {
            Settlement::Proven(
                DateOrder::MonthFirst,
                proof(&self.first_against_day_first, "has a month above 12 if read day first"),
            )
        } else if d < m {
            Settlement::Proven(DateOrder::DayFirst, proof(&self.first_against_month_first, "has a day above 12"))
        } else {
            Settlement::Assumed(hint.filter(|h| *h != DateOrder::YearFirst).unwrap_or(DateOrder::MonthFirst))
        }
    }

    pub fn settle(&self, hint: Option<DateOrder>) -> (DateOrder, Option<String>) {
        match (self.settlement(hint), hint) {
            (Settlement::Proven(order, _), Some(h)) if self.numeric_seen && h != DateOrder::YearFirst && h != order => (
                order,
                Some(format!("the dates read as {} although this layout normally uses {}", order.as_str(), h.as_str())),
            ),
            (Settlement::Assumed(order), None) => (
                order,
                Some("no date in the file tells DD/MM from MM/DD; assumed MM/DD (a column mapping with dates=DD/MM/YYYY changes it)".into()),
            ),
            (s, _) => (s.value(), None),
        }
    }
}

/// An ISO 4217 currency code as a file writes it, kept without allocating (a row may carry one).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Currency([u8; 3]);

impl Currency {
    /// Three letters (any case, padding ignored): "EUR", "gbp ".
    pub fn parse(text: &str) -> Option<Currency> {
        let t = text.trim().as_bytes();
        match t {
            [a, b, c] if t.iter().all(u8::is_ascii_alphabetic) => {
                Some(Currency([a.to_ascii_uppercase(), b.to_ascii_uppercase(), c.to_ascii_uppercase()]))
            }
            _ => None,
        }
    }

    pub fn as_str(&self) -> &str {
        std::str::from_utf8(&self.0).unwrap_or("???")
    }

    /// The currency a column header names: "Amount (GBP)", "Betrag (€)", "Umsatz in EUR",
    /// "Withdrawals (SGD)". `$` alone names no currency (it is the dollar of a dozen countries).
    pub fn in_header(cell: &str) -> Option<Currency> {
        let inside = cell.rsplit_once('(').and_then(|(_, rest)| rest.strip_suffix(')')).map(str::trim);
        let after_in = cell.rsplit_once(" in ").map(|(_, code)| code.trim());
        [inside, after_in].into_iter().flatten().find_map(|text| match text {
            "€" => Currency::parse("EUR"),
            "£" => Currency::parse("GBP"),
            "r$" | "R$" => Currency::parse("BRL"),
            code => Currency::parse(code),
        })
    }
}

impl std::fmt::Display for Currency {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Which character marks the decimals.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DecimalMark {
    Point,
    Comma,
}

/// Settles the decimal mark of an amount column from all of its values, keeping the first value
/// that shows each mark as the evidence.
#[derive(Debug, Default, Clone)]
pub struct AmountColumn {
    comma_votes: usize,
    point_votes: usize,
    /// Values with a mark at all (`1,234` has one but proves nothing).
    marked: usize,
    first_comma: Option<(u64, String)>,
    first_point: Option<(u64, String)>,
    /// Values that read as a date, and whole numbers of eight digits or more (account numbers).
    pub date_like: usize,
    pub id_like: usize,
    pub values: usize,
}

impl AmountColumn {
    pub fn observe(&mut self, line: u64, text: &str) {
        self.values += 1;
        let bytes = text.as_bytes();
        let Some(i) = bytes.iter().rposition(|b| *b == b'.' || *b == b',') else {
            let digits = bytes.iter().filter(|b| b.is_ascii_digit()).count();
            self.id_like += usize::from(digits >= 8 && digits + 1 >= bytes.len());
            self.date_like += usize::from(digits >= 8 && is_date(text));
            return;
        };
        self.marked += 1;
        let decimals = bytes[i + 1..].iter().take_while(|b| b.is_ascii_digit()).count();
        let sep = bytes[i];
        let both = bytes.contains(&b'.') && bytes.contains(&b',');
        let vote_comma = match (sep, decimals) {
            (b',', 1 | 2) => Some(true),
            (b'.', 1 | 2) => Some(false),
            (b',', 3) if both => Some(false),
            (b'.', 3) if both => Some(true),
            _ => None,
        };
        // "05.01.2024" read as an amount would be a date in the wrong column (a sign is not a separator).
        let separators =
            bytes.iter().skip_while(|b| !b.is_ascii_digit()).filter(|b| matches!(b, b'.' | b'/' | b'-')).count();
        self.date_like += usize::from(separators >= 2 && is_date(text));
        match vote_comma {
            Some(true) => {
                self.comma_votes += 1;
                self.first_comma.get_or_insert_with(|| (line, text.to_string()));
            }
            Some(false) => {
                self.point_votes += 1;
                self.first_point.get_or_insert_with(|| (line, text.to_string()));
            }
            None => {}
        }
    }

    /// The column's decimal mark: proven by its values, or assumed from `hint` (else the point).
    pub fn settlement(&self, hint: Option<DecimalMark>) -> Settlement<DecimalMark> {
        let proof = |example: &Option<(u64, String)>| {
            example.as_ref().map(|(line, text)| format!("line {line}: \"{text}\"")).unwrap_or_default()
        };
        if self.comma_votes > self.point_votes {
            Settlement::Proven(DecimalMark::Comma, proof(&self.first_comma))
        } else if self.point_votes > self.comma_votes {
            Settlement::Proven(DecimalMark::Point, proof(&self.first_point))
        } else if self.marked == 0 {
            Settlement::Proven(hint.unwrap_or(DecimalMark::Point), "no amount has a decimal or thousands mark".into())
        } else {
            Settlement::Assumed(hint.unwrap_or(DecimalMark::Point))
        }
    }
}

/// Reads an amount as banks print it: thousands separators, currency symbols or codes, `(12.00)`,
/// `12.00-` and `12.00 DR` for money out, `12.00 CR` and a leading `+` for money in. `None` for an empty
/// cell; `Err` for anything that does not read cleanly under the column's decimal mark: two signs
/// (`--5`), digit groups that are not thousands (`12,34,56`; Indian lakh groups such as `1,23,456.00`
/// are fine), a second decimal mark, words, digits after a word.
/// Runs once per cell of a million-row file, so it allocates nothing on success.
pub fn parse_amount(text: &str, mark: DecimalMark) -> Result<Option<Decimal>, String> {
    let t = text.trim().trim_matches('"').trim_start_matches('\'').trim();
    if t.is_empty() || t == "-" {
        return Ok(None);
    }
    let not_amount = || format!("\"{text}\" is not an amount");
    let (body, parenthesized) = match t.strip_prefix('(').and_then(|x| x.strip_suffix(')')) {
        Some(inner) => (inner, true),
        None => (t, false),
    };
    let decimal = match mark {
        DecimalMark::Point => '.',
        DecimalMark::Comma => ',',
    };
    let mut mantissa: i128 = 0;
    let mut scale: u32 = 0;
    let (mut digits, mut in_decimals, mut number_ended) = (0u32, false, false);
    let mut groups = Groups::default();
    let (mut signs, mut negative) = (u32::from(parenthesized), parenthesized);
    let mut word = Word::default();
    let mut chars = body.chars().peekable();
    while let Some(c) = chars.next() {
        if c.is_alphabetic() {
            number_ended |= digits > 0;
            word.push(c).map_err(|_| not_amount())?;
            continue;
        }
        if let Some(debit) = word.finish().map_err(|_| not_amount())? {
            signs += 1;
            negative = debit;
        }
        let digit_follows = chars.peek().is_some_and(char::is_ascii_digit);
        match c {
            '0'..='9' => {
                digits += 1;
                if number_ended || digits > 28 {
                    return Err(not_amount());
                }
                mantissa = mantissa * 10 + i128::from(c as u8 - b'0');
                if in_decimals {
                    scale += 1;
                } else {
                    groups.digit();
                }
            }
            c if c == decimal => {
                if in_decimals || number_ended || !groups.close() {
                    return Err(not_amount());
                }
                in_decimals = true;
            }
            // A thousands separator: the other mark or a Swiss apostrophe, only between digits.
            '.' | ',' | '\'' | '’' => {
                if in_decimals || number_ended || digits == 0 || !digit_follows || !groups.separator() {
                    return Err(not_amount());
                }
            }
            // A space between digits groups thousands; anywhere else it separates a sign, symbol or code.
            c if c.is_whitespace() => {
                if digits > 0 && digit_follows && !number_ended {
                    if in_decimals || !groups.separator() {
                        return Err(not_amount());
                    }
                } else {
                    number_ended |= digits > 0;
                }
            }
            '-' | '−' => {
                number_ended |= digits > 0;
                signs += 1;
                negative = true;
            }
            '+' => {
                number_ended |= digits > 0;
                signs += 1;
            }
            c if "$€£¥₹₩₽¢".contains(c) => number_ended |= digits > 0,
            _ => return Err(not_amount()),
        }
    }
    if let Some(debit) = word.finish().map_err(|_| not_amount())? {
        signs += 1;
        negative = debit;
    }
    if digits == 0 || signs > 1 || (!in_decimals && !groups.close()) {
        return Err(not_amount());
    }
    let value = Decimal::try_from_i128_with_scale(if negative { -mantissa } else { mantissa }, scale)
        .map_err(|_| not_amount())?;
    Ok(Some(value))
}

/// The digit groups of an amount's integer part: thousands (`1,234,567`) or Indian lakhs
/// (`12,34,567`), never anything else.
#[derive(Default)]
struct Groups {
    /// Digits since the last separator.
    current: u32,
    /// Separators seen.
    separators: u32,
    /// The size of the groups between the first and the last (2 or 3, the same for all).
    middle: Option<u32>,
}

impl Groups {
    fn digit(&mut self) {
        self.current += 1;
    }

    /// A separator after `current` digits; false when that group cannot stand there.
    fn separator(&mut self) -> bool {
        let ok = if self.separators == 0 {
            (1..=3).contains(&self.current)
        } else {
            (2..=3).contains(&self.current) && self.middle.is_none_or(|m| m == self.current)
        };
        if self.separators > 0 {
            self.middle = Some(self.current);
        }
        self.separators += 1;
        self.current = 0;
        ok
    }

    /// The integer part ends: with separators, its last group has three digits.
    fn close(&self) -> bool {
        self.separators == 0 || self.current == 3
    }
}

/// A run of letters in an amount: a currency code (`EUR`, `GBP`) or word (`kr`, `zł`, `Ft`, `Kč`, `lei`)
/// is ignored; `CR` and `DR`/`DB` say which way the money went; any other word is not an amount.
#[derive(Default)]
struct Word {
    len: usize,
    upper: [u8; 4],
    lower_case: bool,
}

/// Currency words written in lower case beside an amount (non-ASCII letters are kept as 0).
const CURRENCY_WORDS: &[&[u8]] = &[b"KR", b"Z\0", b"FT", b"K\0", b"LEI", b"CR", b"DR", b"DB", b"R"];

impl Word {
    fn push(&mut self, c: char) -> Result<(), ()> {
        if self.len == 4 {
            return Err(());
        }
        self.lower_case |= c.is_lowercase();
        self.upper[self.len] = if c.is_ascii() { c.to_ascii_uppercase() as u8 } else { 0 };
        self.len += 1;
        Ok(())
    }

    /// Ends the run: `Ok(Some(true))` for a debit marker, `Ok(Some(false))` for a credit marker, `Err`
    /// for a word that has no business in an amount.
    fn finish(&mut self) -> Result<Option<bool>, ()> {
        let word = &self.upper[..self.len];
        let result = match word {
            [] => Ok(None),
            b"DR" | b"DB" => Ok(Some(true)),
            b"CR" => Ok(Some(false)),
            _ if self.lower_case && !CURRENCY_WORDS.contains(&word) => Err(()),
            [_] if word != b"R" => Err(()),
            _ => Ok(None),
        };
        *self = Word::default();
        result
    }
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
        for (line, d) in ["03/04/2024", "05/06/2024", "13/06/2024"].into_iter().enumerate() {
            col.observe(line as u64 + 2, d);
        }
        assert_eq!(col.settle(Some(DateOrder::DayFirst)).0, DateOrder::DayFirst, "13 can only be a day");
        let (order, warning) = col.settle(Some(DateOrder::MonthFirst));
        assert_eq!(order, DateOrder::DayFirst);
        assert!(warning.is_some(), "overriding a layout's usual order is said out loud");
        let mut col = DateColumn::default();
        for d in ["03/04/2024", "12/31/2024"] {
            col.observe(2, d);
        }
        assert_eq!(col.settle(None).0, DateOrder::MonthFirst);
        let mut col = DateColumn::default();
        col.observe(2, "03/04/2024");
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
            ("--5", Point, "error"),
            ("-(5.00)", Point, "error"),
            ("12,34,56", Point, "error"),
            ("1,23,456.78", Point, "123456.78"),
            ("1,234,56", Point, "error"),
            ("1.5", Comma, "error"),
            ("12.00 CR", Point, "12.00"),
            ("12.00 DR", Point, "-12.00"),
            ("1 234 567,00 kr", Comma, "1234567.00"),
            ("5 EUR 3", Point, "error"),
            ("R$ 1.234,56", Comma, "1234.56"),
            ("12abc", Point, "error"),
            ("1.234", Comma, "1234"),
            (",50", Comma, "0.50"),
        ];
        for (text, mark, want) in cases {
            assert_eq!(amount(text, mark), want, "{text}");
        }
    }

    #[test]
    fn the_whole_column_settles_the_decimal_mark() {
        let mut col = AmountColumn::default();
        for a in ["1.250,00", "-3,50", "12"] {
            col.observe(2, a);
        }
        assert_eq!(col.settlement(None).value(), DecimalMark::Comma);
        let mut col = AmountColumn::default();
        for a in ["1,250.00", "-3.5"] {
            col.observe(2, a);
        }
        assert_eq!(col.settlement(Some(DecimalMark::Comma)).value(), DecimalMark::Point);
        assert_eq!(AmountColumn::default().settlement(Some(DecimalMark::Comma)).value(), DecimalMark::Comma);
        let mut ambiguous = AmountColumn::default();
        ambiguous.observe(2, "1,234");
        assert_eq!(ambiguous.settlement(None), Settlement::Assumed(DecimalMark::Point), "1,234 proves nothing");
        let mut whole = AmountColumn::default();
        whole.observe(2, "-12");
        assert!(matches!(whole.settlement(None), Settlement::Proven(..)), "whole numbers need no mark");
    }

    #[test]
    fn currencies_from_codes_and_headers() {
        assert_eq!(Currency::parse(" eur ").map(|c| c.to_string()), Some("EUR".into()));
        assert_eq!(Currency::parse("EURO"), None);
        for (header, code) in [
            ("amount (gbp)", Some("GBP")),
            ("betrag (€)", Some("EUR")),
            ("umsatz in eur", Some("EUR")),
            ("withdrawals (sgd)", Some("SGD")),
            ("amount", None),
            ("cad$", None),
            ("amount ($)", None),
        ] {
            assert_eq!(Currency::in_header(header).map(|c| c.to_string()).as_deref(), code, "{header}");
        }
    }

    #[test]
    fn a_date_pattern_gives_its_order() {
        for (pattern, order) in [
            ("DD.MM.YY", DateOrder::DayFirst),
            ("%d/%m/%Y", DateOrder::DayFirst),
            ("MM/DD/YYYY", DateOrder::MonthFirst),
            ("YYYY-MM-DD", DateOrder::YearFirst),
            ("dmy", DateOrder::DayFirst),
            ("M/D/YY", DateOrder::MonthFirst),
        ] {
            assert_eq!(DateOrder::from_pattern(pattern), Some(order), "{pattern}");
        }
        assert_eq!(DateOrder::from_pattern("DD/MM"), None);
    }
}
