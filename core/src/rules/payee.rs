//! Payee normalization: the name a person would say, from the text a card network prints.
//! "SQ *BLUE BOTTLE 1234 SAN FRANCISCO CA" → "Blue Bottle". The bank's text is kept beside it
//! (`original_payee`), and duplicate detection always uses the bank's text.

/// Payment processors and terminals that prefix the merchant's name.
const PREFIXES: &[&str] = &[
    "SQ *",
    "SQ*",
    "TST* ",
    "TST*",
    "SP * ",
    "SP *",
    "SP*",
    "PAYPAL *",
    "PP*",
    "IN *",
    "PY *",
    "POS ",
    "POS DEBIT ",
    "DEBIT CARD PURCHASE ",
    "CHECK CRD PURCHASE ",
    "CHECKCARD ",
    "PURCHASE AUTHORIZED ON ",
    "CARD PURCHASE ",
    "RECURRING PAYMENT ",
    "DD ",
    "BILL PAYMENT ",
    "ACH DEBIT ",
    "ACH CREDIT ",
    "PREAUTHORIZED DEBIT ",
];

const US_STATES: &[&str] = &[
    "AL", "AK", "AZ", "AR", "CA", "CO", "CT", "DE", "FL", "GA", "HI", "ID", "IL", "IN", "IA", "KS", "KY", "LA", "ME",
    "MD", "MA", "MI", "MN", "MS", "MO", "MT", "NE", "NV", "NH", "NJ", "NM", "NY", "NC", "ND", "OH", "OK", "OR", "PA",
    "RI", "SC", "SD", "TN", "TX", "UT", "VT", "VA", "WA", "WV", "WI", "WY", "DC",
];

/// First words of two-word city names, so "SAN FRANCISCO CA" goes as a whole.
const CITY_FIRST_WORDS: &[&str] =
    &["SAN", "LOS", "NEW", "LAS", "SANTA", "SAINT", "ST", "FORT", "FT", "EL", "SALT", "PALO", "LONG", "SIOUX", "BATON"];

/// Words made only of digits, store numbers (#123), masked cards (XXXX1234), dates (12/30), phone numbers
/// and reference codes carry no name.
fn is_noise(word: &str) -> bool {
    let w = word.trim_matches(|c: char| c == ',' || c == '.');
    if w.is_empty() {
        return true;
    }
    if w.ends_with(':') || ["PPD", "CCD", "WEB", "TEL", "ACH"].contains(&w) {
        return true; // ACH codes and labels such as "ID:"
    }
    let digits = w.chars().filter(char::is_ascii_digit).count();
    let letters = w.chars().filter(|c| c.is_alphabetic()).count();
    digits > 0 && (w.starts_with('#') || letters == 0)
        || glued_date(w)
        || w.starts_with("XXXX")
        || w.starts_with("****")
        || digits >= 4 && digits * 2 >= w.len()
}

/// A card code with a date glued in, as banks prefix card payments: "POS25SEP", "30DEC14", "P0109US".
fn glued_date(word: &str) -> bool {
    let upper = word.to_ascii_uppercase();
    let bytes = upper.as_bytes();
    MONTH_CODES.iter().any(|m| upper.match_indices(m).any(|(i, _)| i > 0 && bytes[i - 1].is_ascii_digit()))
}

const MONTH_CODES: &[&str] = &["JAN", "FEB", "MAR", "APR", "MAY", "JUN", "JUL", "AUG", "SEP", "OCT", "NOV", "DEC"];

/// The cleaned-up payee; the input itself when nothing could be improved.
pub fn normalize(raw: &str) -> String {
    let upper = raw.trim().to_uppercase();
    let mut text: &str = &upper;
    let mut changed = true;
    while changed {
        changed = false;
        for p in PREFIXES {
            if let Some(rest) = text.strip_prefix(p) {
                text = rest.trim_start();
                changed = true;
            }
        }
    }
    // "AMZN MKTP US*2K4L" → "AMZN MKTP US"; "UBER *TRIP 9224" → "UBER"
    let text = match text.split_once('*') {
        Some((head, _)) if head.trim().len() >= 3 => head.trim(),
        _ => text.trim_start_matches('*'),
    };
    let words: Vec<&str> = text.split_whitespace().collect();
    // Everything from the first store number or reference on is location and noise.
    let mut keep: Vec<&str> = words.iter().skip_while(|w| is_noise(w)).take_while(|w| !is_noise(w)).copied().collect();
    // A trailing state code, and its city, are location.
    if keep.len() >= 3 && US_STATES.contains(&keep[keep.len() - 1]) {
        keep.pop();
        if keep.len() >= 3 && CITY_FIRST_WORDS.contains(&keep[keep.len() - 2]) {
            keep.truncate(keep.len() - 2);
        } else if keep.len() >= 2 {
            keep.pop();
        }
    }
    if keep.is_empty() {
        return raw.trim().to_string();
    }
    let cleaned = keep.join(" ");
    if raw.chars().any(char::is_lowercase) {
        // The bank already wrote a name for people ("Arbeitgeber GmbH"): keep its letters as they are.
        let kept_words: Vec<&str> = raw.split_whitespace().take(keep.len()).collect();
        if kept_words.join(" ").to_uppercase() == cleaned {
            return kept_words.join(" ");
        }
        return raw.trim().to_string();
    }
    title_case(&cleaned)
}

/// Words that stay in capitals.
const ACRONYMS: &[&str] = &[
    "US", "USA", "UK", "EU", "CVS", "ATM", "BP", "KFC", "IHOP", "DMV", "IRS", "TV", "LLC", "NYC", "ABC", "BBC", "HBO",
    "IKEA", "H&M", "ACH", "ATT", "UPS", "USPS", "DHL",
];

/// "BLUE BOTTLE" → "Blue Bottle"; known acronyms and words with '&' (AT&T) stay in capitals.
fn title_case(text: &str) -> String {
    text.split(' ')
        .map(|w| {
            // Acronyms, AT&T, and codes with digits (7-ELEVEN, B2B) keep the bank's capitals.
            if w.contains('&') || ACRONYMS.contains(&w) || w.chars().any(|c| c.is_ascii_digit()) {
                return w.to_string();
            }
            let mut chars = w.chars();
            match chars.next() {
                Some(first) => first.to_uppercase().chain(chars.flat_map(char::to_lowercase)).collect(),
                None => String::new(),
            }
        })
        .collect::<Vec<_>>()
        .join(" ")
}

#[cfg(test)]
mod tests {
    use super::normalize;

    #[test]
    fn card_network_text_becomes_a_name() {
        for (raw, want) in [
            ("SQ *BLUE BOTTLE 1234 SAN FRANCISCO CA", "Blue Bottle"),
            ("TST* SWEETGREEN 0042", "Sweetgreen"),
            ("NAPA AUTO PARTS AUSTIN TX", "Napa Auto Parts"),
            ("TARGET        00097159", "Target"),
            ("UBER *TRIP 92248", "Uber"),
            ("AMZN MKTP US*2K4L70", "Amzn Mktp US"),
            ("CHECK CRD PURCHASE 12/30 SAFEWAY #1234", "Safeway"),
            ("AT&T WIRELESS", "AT&T Wireless"),
            ("ACME CORP PAYROLL PPD ID: 1234567", "Acme Corp Payroll"),
            ("CVS/PHARMACY #04567", "Cvs/pharmacy"),
            ("Pret A Manger", "Pret A Manger"),
            ("Arbeitgeber GmbH", "Arbeitgeber GmbH"),
            ("Tesco Stores 2041", "Tesco Stores"),
            ("12345", "12345"),
            ("POS25SEP TEXACO SPAR", "Texaco Spar"),
            ("7-ELEVEN 3214", "7-ELEVEN"),
            ("", ""),
        ] {
            assert_eq!(normalize(raw), want, "{raw}");
        }
    }
}
