//! How counts and dates look on screen. Money arrives with its text already written by core
//! (`credence_api::Money`); only its sign is read here, to colour it.

fn group_thousands(whole: &str) -> String {
    let digits: Vec<char> = whole.chars().collect();
    let mut out = String::with_capacity(digits.len() + digits.len() / 3);
    for (i, c) in digits.iter().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(*c);
    }
    out
}

/// An SVG document as a `data:` URI for an `<img>` (so nothing in it can run); percent-encoded in Rust,
/// so it renders the same natively (tests) and in the window.
pub fn svg_data_uri(svg: &str) -> String {
    let mut out = String::from("data:image/svg+xml;charset=utf-8,");
    for byte in svg.bytes() {
        if byte.is_ascii_alphanumeric() || b"-_.~=:/;,".contains(&byte) {
            out.push(char::from(byte));
        } else {
            out.push_str(&format!("%{byte:02X}"));
        }
    }
    out
}

/// Whether a decimal string is below zero (for colouring money out).
pub fn is_negative(amount: &str) -> bool {
    amount.trim().starts_with('-') && amount.chars().any(|c| c.is_ascii_digit() && c != '0')
}

/// "2026-11-25" in the user's chosen style: iso, us (11/25/2026) or eu (25.11.2026).
pub fn date(iso: &str, style: &str) -> String {
    let mut parts = iso.splitn(3, '-');
    let (Some(y), Some(m), Some(d)) = (parts.next(), parts.next(), parts.next()) else {
        return iso.to_string();
    };
    match style {
        "us" => format!("{m}/{d}/{y}"),
        "eu" => format!("{d}.{m}.{y}"),
        _ => iso.to_string(),
    }
}

/// "2026-11" → "November 2026".
pub fn month(month: &str) -> String {
    const NAMES: [&str; 12] = [
        "January",
        "February",
        "March",
        "April",
        "May",
        "June",
        "July",
        "August",
        "September",
        "October",
        "November",
        "December",
    ];
    let Some((year, m)) = month.split_once('-') else { return month.to_string() };
    match m.parse::<usize>().ok().and_then(|m| NAMES.get(m.wrapping_sub(1))) {
        Some(name) => format!("{name} {year}"),
        None => month.to_string(),
    }
}

/// A percent change as text: "+12.5%", "−3%", "0%".
pub fn signed_percent(change: &str) -> String {
    let t = change.trim();
    match t.strip_prefix('-') {
        Some(rest) if is_negative(t) => format!("−{rest}%"),
        Some(rest) => format!("{rest}%"),
        None if t.chars().any(|c| c.is_ascii_digit() && c != '0') => format!("+{t}%"),
        None => format!("{t}%"),
    }
}

/// A row count with thousands separators.
pub fn count(n: u64) -> String {
    group_thousands(&n.to_string())
}

/// A moment the native side gave as RFC 3339 in UTC ("2026-12-03T17:41:25Z"), as "2026-12-03 17:41 UTC".
pub fn stamp(rfc3339: &str) -> String {
    match (rfc3339.get(..10), rfc3339.get(11..16)) {
        (Some(day), Some(time)) if rfc3339.ends_with('Z') => format!("{day} {time} UTC"),
        _ => rfc3339.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_svg_becomes_a_data_uri_with_its_markup_escaped() {
        assert_eq!(
            svg_data_uri("<svg a=\"1\">#é</svg>"),
            "data:image/svg+xml;charset=utf-8,%3Csvg%20a=%221%22%3E%23%C3%A9%3C/svg%3E"
        );
    }

    #[test]
    fn dates_follow_the_chosen_style() {
        assert_eq!(date("2026-11-25", "us"), "11/25/2026");
        assert_eq!(date("2026-11-25", "eu"), "25.11.2026");
        assert_eq!(date("2026-11-25", "iso"), "2026-11-25");
        assert_eq!(month("2026-02"), "February 2026");
        assert_eq!(count(1234567), "1,234,567");
        assert!(is_negative("-4.50") && !is_negative("-0.00") && !is_negative("4"));
        assert_eq!(
            (signed_percent("12.5"), signed_percent("-3.0"), signed_percent("0.0")),
            ("+12.5%".into(), "−3.0%".into(), "0.0%".into())
        );
    }

    #[test]
    fn moments_in_utc_are_shown_to_the_minute_and_anything_else_as_given() {
        assert_eq!(stamp("2026-12-03T17:41:25Z"), "2026-12-03 17:41 UTC");
        assert_eq!(stamp("yesterday"), "yesterday");
    }
}
