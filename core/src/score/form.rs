//! The credit file editor's forms: for each kind of credit item, the fields a person fills in, and the
//! way between those fields (text, as typed) and the item's JSON in the exchange format. The app draws
//! whatever form this describes, so the meaning of every field lives here, next to the profile.

use serde_json::{Map, Value};

use crate::error::{Error, Result};

/// How a field is typed in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Input {
    Text,
    Date,
    Money,
    /// A whole number (a reported score).
    Number,
    /// Yes or no.
    Flag,
    /// One of a fixed list of (value, label).
    Choice(&'static [(&'static str, &'static str)]),
}

/// One field of an item's form.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Field {
    /// The item's JSON field.
    pub name: &'static str,
    pub label: &'static str,
    pub input: Input,
    pub required: bool,
}

const fn field(name: &'static str, label: &'static str, input: Input, required: bool) -> Field {
    Field { name, label, input, required }
}

const ACCOUNT_KINDS: &[(&str, &str)] = &[
    ("bankcard", "Credit card"),
    ("retail_card", "Store card"),
    ("charge_card", "Charge card"),
    ("ploc", "Personal line of credit"),
    ("heloc", "Home equity line"),
    ("auto", "Auto loan"),
    ("student", "Student loan"),
    ("mortgage", "Mortgage"),
    ("personal", "Personal loan"),
    ("consumer_finance", "Consumer finance loan"),
    ("other", "Other"),
];
const OWNERSHIP: &[(&str, &str)] =
    &[("individual", "Mine"), ("joint", "Joint"), ("authorized_user", "Authorized user")];
const PURPOSES: &[(&str, &str)] = &[
    ("card", "A card"),
    ("auto", "A car loan"),
    ("mortgage", "A mortgage"),
    ("student", "A student loan"),
    ("other", "Something else"),
];
const RECORDS: &[(&str, &str)] = &[
    ("bankruptcy_ch7", "Bankruptcy (chapter 7)"),
    ("bankruptcy_ch13", "Bankruptcy (chapter 13)"),
    ("foreclosure", "Foreclosure"),
    ("judgment", "Civil judgment"),
    ("lien", "Tax lien"),
];

const ACCOUNT: &[Field] = &[
    field("id", "Name", Input::Text, true),
    field("type", "Kind", Input::Choice(ACCOUNT_KINDS), true),
    field("opened", "Opened", Input::Date, true),
    field("closed", "Closed", Input::Date, false),
    field("limit", "Credit limit", Input::Money, false),
    field("original_amount", "Amount borrowed", Input::Money, false),
    field("balance", "Balance owed", Input::Money, false),
    field("balance_date", "Balance as of", Input::Date, false),
    field("past_due", "Past due", Input::Money, false),
    field("ownership", "Whose", Input::Choice(OWNERSHIP), false),
];
const INQUIRY: &[Field] = &[
    field("date", "Applied on", Input::Date, true),
    field("type", "For", Input::Choice(PURPOSES), true),
    field("hard", "Hard inquiry", Input::Flag, false),
];
const COLLECTION: &[Field] = &[
    field("reported", "Reported on", Input::Date, true),
    field("first_delinquency", "First missed payment", Input::Date, true),
    field("original_amount", "Amount", Input::Money, true),
    field("balance", "Still owed", Input::Money, false),
    field("paid", "Paid on", Input::Date, false),
    field("medical", "Medical", Input::Flag, false),
];
const PUBLIC_RECORD: &[Field] =
    &[field("kind", "Kind", Input::Choice(RECORDS), true), field("filed", "Filed on", Input::Date, true)];
const REPORTED_SCORE: &[Field] = &[
    field("value", "Score", Input::Number, true),
    field("family", "Which score", Input::Choice(SCORE_FAMILIES), true),
    field("bureau", "Bureau", Input::Choice(BUREAUS), false),
    field("date", "Seen on", Input::Date, true),
];

/// The score families people see, as `calibrate::flavour_of` reads them.
pub const SCORE_FAMILIES: &[(&str, &str)] = &[
    ("FICO 8", "FICO 8"),
    ("FICO 9", "FICO 9"),
    ("FICO 2", "FICO 2 (mortgage)"),
    ("FICO 5", "FICO 5 (mortgage)"),
    ("FICO 4", "FICO 4 (mortgage)"),
    ("VantageScore 3.0", "VantageScore 3.0"),
    ("VantageScore 4.0", "VantageScore 4.0"),
];
pub const BUREAUS: &[(&str, &str)] = &[("Experian", "Experian"), ("Equifax", "Equifax"), ("TransUnion", "TransUnion")];

/// The kinds of credit item, with what the editor calls them.
pub const ITEM_KINDS: &[(&str, &str)] = &[
    ("account", "Cards and loans"),
    ("inquiry", "Applications (inquiries)"),
    ("collection", "Collections"),
    ("public_record", "Public records"),
    ("reported_score", "Scores you saw"),
];

/// The form of a kind of item.
pub fn fields(kind: &str) -> Result<&'static [Field]> {
    Ok(match kind {
        "account" => ACCOUNT,
        "inquiry" => INQUIRY,
        "collection" => COLLECTION,
        "public_record" => PUBLIC_RECORD,
        "reported_score" => REPORTED_SCORE,
        other => {
            let kinds: Vec<&str> = ITEM_KINDS.iter().map(|(k, _)| *k).collect();
            return Err(Error::invalid(format!("\"{other}\" is not a credit item kind (use {})", kinds.join(", "))));
        }
    })
}

/// An item's fields as text, in its form's order ("" where it has none).
pub fn to_fields(kind: &str, body: &Value) -> Result<Vec<(&'static str, String)>> {
    Ok(fields(kind)?
        .iter()
        .map(|f| {
            let text = match body.get(f.name) {
                Some(Value::String(s)) => s.clone(),
                Some(Value::Bool(b)) => b.to_string(),
                Some(Value::Number(n)) => n.to_string(),
                _ => String::new(),
            };
            (f.name, text)
        })
        .collect())
}

/// An item's JSON from its fields as typed; `keep` holds what the form does not show (an account's
/// payment history and link) and is kept as it is. Empty fields are left out, so the profile's
/// defaults apply; what is wrong is found by the profile's own checks, named by field.
pub fn from_fields(kind: &str, given: &[(String, String)], keep: Option<&Value>) -> Result<Value> {
    let form = fields(kind)?;
    let mut out: Map<String, Value> = match keep {
        Some(Value::Object(o)) => o
            .iter()
            .filter(|(k, _)| !form.iter().any(|f| f.name == k.as_str()))
            .map(|(k, v)| (k.clone(), v.clone()))
            .collect(),
        _ => Map::new(),
    };
    for (name, text) in given {
        let f = form
            .iter()
            .find(|f| f.name == name)
            .ok_or_else(|| Error::invalid(format!("a {kind} has no field \"{name}\"")))?;
        let text = text.trim();
        if text.is_empty() {
            if f.required {
                return Err(Error::invalid(format!("{}: is needed", f.label)));
            }
            continue;
        }
        let value = match f.input {
            Input::Flag => Value::Bool(matches!(text, "true" | "yes" | "on")),
            Input::Number => Value::Number(
                text.parse::<u64>()
                    .map_err(|_| Error::invalid(format!("{}: \"{text}\" is not a whole number", f.label)))?
                    .into(),
            ),
            Input::Money => Value::String(super::wizard::money(f.label, text)?.to_string()),
            Input::Text | Input::Date | Input::Choice(_) => Value::String(text.to_string()),
        };
        out.insert(f.name.to_string(), value);
    }
    for f in form.iter().filter(|f| f.required) {
        if !out.contains_key(f.name) {
            return Err(Error::invalid(format!("{}: is needed", f.label)));
        }
    }
    Ok(Value::Object(out))
}

/// One line saying what an item is, from its fields as the form labels them ("Name visa · Kind Credit
/// card · Opened 2015-03-01 · Credit limit $10,000.00").
pub fn summary(kind: &str, body: &Value) -> Result<String> {
    let form = fields(kind)?;
    let parts: Vec<String> = to_fields(kind, body)?
        .into_iter()
        .zip(form)
        .filter(|((_, text), _)| !text.is_empty())
        .map(|((_, text), f)| {
            let shown = match f.input {
                Input::Choice(options) => {
                    options.iter().find(|(v, _)| *v == text).map_or(text.clone(), |(_, l)| l.to_string())
                }
                Input::Money => text.parse().map_or(text.clone(), super::dollars),
                Input::Flag if text == "true" => "yes".to_string(),
                Input::Flag => "no".to_string(),
                _ => text.clone(),
            };
            format!("{} {shown}", f.label)
        })
        .collect();
    let mut text = parts.join(" · ");
    // The payment history is not a form field; every late payment is named, also those older than the grid.
    if let Some(lates) = body.get("delinquencies").and_then(Value::as_array).filter(|l| !l.is_empty()) {
        let named: Vec<String> = lates
            .iter()
            .filter_map(|d| Some((d.get("date")?.as_str()?, d.get("severity")?.as_str()?)))
            .map(|(date, severity)| match severity.parse::<u32>() {
                Ok(days) => format!("{days} days late in {}", date.get(..7).unwrap_or(date)),
                Err(_) => format!("{severity} in {}", date.get(..7).unwrap_or(date)),
            })
            .collect();
        text.push_str(&format!(" · Late payments: {}", named.join(", ")));
    }
    Ok(text)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn typed(pairs: &[(&str, &str)]) -> Vec<(String, String)> {
        pairs.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect()
    }

    #[test]
    fn fields_round_trip_through_an_items_json() {
        let body = from_fields(
            "account",
            &typed(&[
                ("id", "visa"),
                ("type", "bankcard"),
                ("opened", "2015-03-01"),
                ("limit", "$10,000"),
                ("closed", ""),
            ]),
            None,
        )
        .expect("valid");
        assert_eq!(
            body,
            serde_json::json!({"id": "visa", "type": "bankcard", "opened": "2015-03-01", "limit": "10000"})
        );
        assert_eq!(
            summary("account", &body).expect("summary"),
            "Name visa · Kind Credit card · Opened 2015-03-01 · Credit limit $10,000.00"
        );
        let shown = to_fields("account", &body).expect("fields");
        assert_eq!(shown[4], ("limit", "10000".to_string()));
        assert_eq!(shown[3], ("closed", String::new()));
        let score = from_fields(
            "reported_score",
            &typed(&[("value", "742"), ("family", "FICO 8"), ("date", "2026-11-01")]),
            None,
        )
        .expect("valid");
        assert_eq!(score["value"], serde_json::json!(742));
    }

    #[test]
    fn what_the_form_does_not_show_is_kept_and_missing_fields_are_named() {
        let stored = serde_json::json!({"id": "visa", "type": "bankcard", "opened": "2015-03-01", "limit": "5000",
            "delinquencies": [{"date": "2025-01-01", "severity": "30"}], "linked_account": "abc"});
        assert!(summary("account", &stored).expect("summary").ends_with(" · Late payments: 30 days late in 2025-01"));
        let edited = from_fields(
            "account",
            &typed(&[("id", "visa"), ("type", "bankcard"), ("opened", "2015-03-01"), ("limit", "6000")]),
            Some(&stored),
        )
        .expect("valid");
        assert_eq!(edited["delinquencies"], stored["delinquencies"]);
        assert_eq!(edited["linked_account"], "abc");
        assert_eq!(edited["limit"], "6000");
        let missing = from_fields("inquiry", &typed(&[("type", "card")]), None).expect_err("no date");
        assert_eq!(missing.to_string(), "Applied on: is needed");
        let bad = from_fields(
            "account",
            &typed(&[("id", "v"), ("type", "bankcard"), ("opened", "2015-03-01"), ("limit", "lots")]),
            None,
        )
        .expect_err("bad money");
        assert!(bad.to_string().starts_with("Credit limit: \"lots\""), "{bad}");
    }
}
