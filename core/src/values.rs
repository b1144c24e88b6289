//! Money and dates as the vault accepts them. Money is `Decimal` in the API and integer minor units of
//! the account's currency on disk; dates are calendar dates between 1900 and 2100.

use chrono::{Datelike, NaiveDate};
use rust_decimal::Decimal;

use crate::error::{Error, Result};

/// ISO 4217 currencies whose minor unit is not hundredths.
const MINOR_DIGITS: &[(&str, u32)] = &[
    ("BHD", 3),
    ("BIF", 0),
    ("CLF", 4),
    ("CLP", 0),
    ("DJF", 0),
    ("GNF", 0),
    ("IQD", 3),
    ("ISK", 0),
    ("JOD", 3),
    ("JPY", 0),
    ("KMF", 0),
    ("KRW", 0),
    ("KWD", 3),
    ("LYD", 3),
    ("OMR", 3),
    ("PYG", 0),
    ("RWF", 0),
    ("TND", 3),
    ("UGX", 0),
    ("UYI", 0),
    ("UYW", 4),
    ("VND", 0),
    ("VUV", 0),
    ("XAF", 0),
    ("XOF", 0),
    ("XPF", 0),
];

/// Digits after the decimal point in `currency`'s minor unit (2 unless listed otherwise).
pub fn minor_digits(currency: &str) -> u32 {
    MINOR_DIGITS.iter().find(|(c, _)| *c == currency).map_or(2, |(_, d)| *d)
}

/// A three-letter currency code, upper-cased.
pub fn currency_code(text: &str) -> Result<String> {
    let code = text.trim().to_ascii_uppercase();
    if code.len() == 3 && code.bytes().all(|b| b.is_ascii_uppercase()) {
        Ok(code)
    } else {
        Err(Error::invalid(format!("\"{text}\" is not a currency code (use three letters, like USD or EUR)")))
    }
}

/// Parses a plain decimal amount as typed on a command line ("-12.34", "1000", "+5").
pub fn parse_amount(text: &str) -> Result<Decimal> {
    let t = text.trim();
    let t = t.strip_prefix('+').unwrap_or(t);
    Decimal::from_str_exact(t)
        .map_err(|_| Error::invalid(format!("\"{text}\" is not an amount (write it like -12.34)")))
}

/// `amount` in minor units of `currency`; refuses amounts finer than the currency's smallest unit
/// rather than rounding money away.
pub fn to_minor(amount: Decimal, currency: &str) -> Result<i64> {
    let digits = minor_digits(currency);
    let normalized = amount.normalize();
    if normalized.scale() > digits {
        return Err(Error::invalid(format!("{amount} has more decimal places than {currency} allows ({digits})")));
    }
    let mut scaled = normalized;
    scaled.rescale(digits);
    i64::try_from(scaled.mantissa()).map_err(|_| Error::invalid(format!("{amount} is too large an amount")))
}

/// Minor units back to a `Decimal` with the currency's number of decimal places.
pub fn from_minor(minor: i64, currency: &str) -> Decimal {
    Decimal::new(minor, minor_digits(currency))
}

/// `part` as a whole percent of `whole`, rounded half up as the score engine reads utilization (0 when
/// `whole` is not positive).
pub fn whole_percent(part: Decimal, whole: Decimal) -> u64 {
    use rust_decimal::prelude::ToPrimitive;
    if whole <= Decimal::ZERO {
        return 0;
    }
    let pct = (part * Decimal::from(100) / whole)
        .round_dp_with_strategy(0, rust_decimal::RoundingStrategy::MidpointAwayFromZero);
    pct.to_u64().unwrap_or(0)
}

/// Money as people read it: "−$1,234.50", "€12.00", "1,000 JPY"; the currency's own number of decimal
/// places (rounded half away from zero), thousands grouped, the typographic minus.
pub fn display_money(amount: Decimal, currency: &str) -> String {
    let places = minor_digits(currency);
    let rounded = amount.round_dp_with_strategy(places, rust_decimal::RoundingStrategy::MidpointAwayFromZero);
    let mut digits = rounded.abs();
    digits.rescale(places);
    let text = digits.to_string();
    let (whole, fraction) = text.split_once('.').unwrap_or((&text, ""));
    let mut grouped = String::new();
    for (i, c) in whole.chars().enumerate() {
        if i > 0 && (whole.len() - i) % 3 == 0 {
            grouped.push(',');
        }
        grouped.push(c);
    }
    let number = if fraction.is_empty() { grouped } else { format!("{grouped}.{fraction}") };
    let sign = if rounded.is_sign_negative() && !rounded.is_zero() { "−" } else { "" };
    let symbol = match currency {
        "USD" => Some("$"),
        "EUR" => Some("€"),
        "GBP" => Some("£"),
        "JPY" => Some("¥"),
        "CAD" => Some("CA$"),
        "AUD" => Some("A$"),
        _ => None,
    };
    match symbol {
        Some(symbol) => format!("{sign}{symbol}{number}"),
        None => format!("{sign}{number} {currency}"),
    }
}

pub const MIN_DATE: (i32, u32, u32) = (1900, 1, 1);
pub const MAX_DATE: (i32, u32, u32) = (2100, 12, 31);

/// Parses `YYYY-MM-DD` and checks the 1900–2100 range.
pub fn parse_date(text: &str) -> Result<NaiveDate> {
    let date = NaiveDate::parse_from_str(text.trim(), "%Y-%m-%d")
        .map_err(|_| Error::invalid(format!("\"{text}\" is not a date (write it as YYYY-MM-DD)")))?;
    check_date(date)
}

/// A date bound that may also be a whole month ("2026-03"): its first day, or with `end` its last.
pub fn parse_date_or_month(text: &str, end: bool) -> Result<NaiveDate> {
    let t = text.trim();
    if t.len() == 7 {
        let first = parse_date(&format!("{t}-01"))?;
        return Ok(if end {
            first.checked_add_months(chrono::Months::new(1)).and_then(|d| d.pred_opt()).unwrap_or(first)
        } else {
            first
        });
    }
    parse_date(t)
}

pub fn check_date(date: NaiveDate) -> Result<NaiveDate> {
    if (1900..=2100).contains(&date.year()) {
        Ok(date)
    } else {
        Err(Error::invalid(format!("{date} is outside the years 1900 to 2100")))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn d(s: &str) -> Decimal {
        Decimal::from_str_exact(s).expect("decimal")
    }

    #[test]
    fn money_is_shown_in_the_currencys_places_grouped_with_a_real_minus() {
        assert_eq!(display_money(d("-1234.5"), "USD"), "−$1,234.50");
        assert_eq!(display_money(d("1000000"), "JPY"), "¥1,000,000");
        assert_eq!(display_money(d("0.125"), "EUR"), "€0.13");
        assert_eq!(display_money(d("-0.001"), "USD"), "$0.00");
        assert_eq!(display_money(d("12.3456"), "KWD"), "12.346 KWD");
        assert_eq!(whole_percent(d("4.99"), d("10")), 50);
        assert_eq!(whole_percent(d("1"), d("0")), 0);
    }

    #[test]
    fn minor_units_follow_the_currency() {
        assert_eq!(to_minor(d("-12.34"), "USD").expect("usd"), -1234);
        assert_eq!(to_minor(d("12.3"), "EUR").expect("eur"), 1230);
        assert_eq!(to_minor(d("1500"), "JPY").expect("jpy"), 1500);
        assert_eq!(to_minor(d("1.234"), "KWD").expect("kwd"), 1234);
        assert_eq!(to_minor(d("12.340"), "USD").expect("trailing zero is fine"), 1234);
        assert!(to_minor(d("12.345"), "USD").is_err());
        assert!(to_minor(d("1.5"), "JPY").is_err());
        assert_eq!(from_minor(-1234, "USD").to_string(), "-12.34");
        assert_eq!(from_minor(5, "JPY").to_string(), "5");
    }

    #[test]
    fn dates_outside_1900_to_2100_are_refused() {
        assert!(parse_date("2024-02-29").is_ok());
        assert!(parse_date("2023-02-29").is_err());
        assert!(parse_date("0001-01-01").is_err());
        assert!(parse_date("2101-01-01").is_err());
        assert!(parse_date("12/01/2024").is_err());
    }

    #[test]
    fn amounts_parse_exactly() {
        assert_eq!(parse_amount("+5").expect("plus"), d("5"));
        assert_eq!(parse_amount(" -0.10 ").expect("spaces"), d("-0.10"));
        assert!(parse_amount("1,000").is_err());
        assert!(parse_amount("12.3.4").is_err());
        assert!(parse_amount("NaN").is_err());
    }

    proptest! {
        #[test]
        fn minor_units_round_trip(minor in -10_000_000_000_000i64..10_000_000_000_000i64, cur in prop::sample::select(vec!["USD", "JPY", "KWD", "CLF"])) {
            let amount = from_minor(minor, cur);
            prop_assert_eq!(to_minor(amount, cur).expect("fits"), minor);
        }
    }
}
