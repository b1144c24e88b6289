//! What an import decided about a file, and how sure it is of each decision. Every statement needs
//! five answers: the layout (which column is which), the date order, the decimal mark, the sign model
//! and the currency. Each is proven by the file, the documented convention of a layout the header
//! proves, given by the user, or guessed; a guess (or a sanity check the rows fail) is written only
//! once the user confirms it. A silent wrong number is worse than a refusal.

use rust_decimal::Decimal;

/// How an import knows one of its answers.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Basis {
    /// The file proves it: distinctive column names, a day above 12, a running balance that
    /// reconciles, a currency column.
    Proven,
    /// The documented convention of the bank layout the header proves, and nothing in the file says
    /// otherwise.
    Layout,
    /// The user said so: `--format`, `--map`, or a mapping saved for this header.
    Given,
    /// The file does not say, and nothing hangs on it (no currency stated: the account's is taken).
    Unstated,
    /// The importer's best guess. An import with a guess writes nothing until the user confirms it.
    Guessed,
}

impl Basis {
    pub fn as_str(self) -> &'static str {
        match self {
            Basis::Proven => "proven",
            Basis::Layout => "layout",
            Basis::Given => "given",
            Basis::Unstated => "unstated",
            Basis::Guessed => "guessed",
        }
    }
}

/// The five things every import decides.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Aspect {
    Layout,
    DateOrder,
    DecimalMark,
    Sign,
    Currency,
}

impl Aspect {
    pub fn as_str(self) -> &'static str {
        match self {
            Aspect::Layout => "layout",
            Aspect::DateOrder => "dates",
            Aspect::DecimalMark => "decimal mark",
            Aspect::Sign => "sign",
            Aspect::Currency => "currency",
        }
    }
}

/// One answer, with what it rests on.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Decision {
    pub aspect: Aspect,
    /// The answer, as a person reads it: "MM/DD/YYYY", "money out negative", "EUR".
    pub choice: String,
    pub basis: Basis,
    /// Why: the header, the line that proves it, or what was guessed and how to confirm it.
    pub evidence: String,
}

impl Decision {
    pub fn new(aspect: Aspect, choice: impl Into<String>, basis: Basis, evidence: impl Into<String>) -> Self {
        Decision { aspect, choice: choice.into(), basis, evidence: evidence.into() }
    }

    /// "dates guessed as DD/MM/YYYY (no day above 12 …)", "sign money out negative (proven: …)".
    pub fn describe(&self) -> String {
        match (self.basis, self.evidence.is_empty()) {
            (Basis::Guessed, true) => format!("{} guessed as {}", self.aspect.as_str(), self.choice),
            (Basis::Guessed, false) => {
                format!("{} guessed as {} ({})", self.aspect.as_str(), self.choice, self.evidence)
            }
            (basis, true) => format!("{} {} ({})", self.aspect.as_str(), self.choice, basis.as_str()),
            (basis, false) => {
                format!("{} {} ({}: {})", self.aspect.as_str(), self.choice, basis.as_str(), self.evidence)
            }
        }
    }
}

/// Rows whose direction is known from their words: pay arriving on a current account, a payment
/// arriving on a card. Read on a sample of the file (the first `SAMPLE` rows): enough to catch a
/// flipped sign, and free on a million-row import.
#[derive(Debug, Default, Clone)]
pub struct SignChecks {
    rows: usize,
    agree: usize,
    disagree: usize,
    /// The first row that came out the wrong way: (line, payee, amount).
    first_disagreement: Option<(u64, String, Decimal)>,
    first_agreement: Option<(u64, String)>,
    positive: usize,
    negative: usize,
}

/// Words that mean money coming in on a current or savings account.
const PAY_IN: &[&str] = &[
    "salary",
    "payroll",
    "direct dep",
    "dir dep",
    "gehalt",
    "lohn/gehalt",
    "salaire",
    "salaris",
    "nomina",
    "nómina",
    "stipendio",
    "salário",
    "pension payment",
];

/// Words that mean a payment arriving on a card, as the card's own statement says it. Not "AUTOPAY"
/// alone: "CHASE CREDIT CRD AUTOPAY" is the same payment leaving the current account.
const CARD_PAYMENT: &[&str] = &[
    "payment thank you",
    "payment - thank you",
    "payment, thank you",
    "payment - thank",
    "payment received",
    "thank you for your payment",
];

impl SignChecks {
    pub const SAMPLE: usize = 20_000;

    /// Looks at one row as read, on an account that is a card or loan (`credit`) or not.
    pub fn observe(&mut self, credit: bool, line: u64, payee: &str, amount: Decimal) {
        if self.rows >= Self::SAMPLE || amount.is_zero() {
            return;
        }
        self.rows += 1;
        if amount > Decimal::ZERO {
            self.positive += 1;
        } else {
            self.negative += 1;
        }
        let words = if credit { CARD_PAYMENT } else { PAY_IN };
        let lower = payee.to_lowercase();
        if !words.iter().any(|w| lower.contains(w)) {
            return;
        }
        if amount > Decimal::ZERO {
            self.agree += 1;
            self.first_agreement.get_or_insert_with(|| (line, payee.to_string()));
        } else {
            self.disagree += 1;
            self.first_disagreement.get_or_insert_with(|| (line, payee.to_string(), amount));
        }
    }

    /// The rows' words say the sign is the other way round: why, or `None`.
    pub fn contradiction(&self, credit: bool) -> Option<String> {
        let (line, payee, amount) = self.first_disagreement.as_ref()?;
        (self.disagree > self.agree).then(|| {
            let what = if credit { "a payment to the card" } else { "pay coming in" };
            format!("line {line}: \"{payee}\" is {what} but reads as {amount}")
        })
    }

    /// The rows' words agree with the sign as read: why, or `None`.
    pub fn support(&self) -> Option<String> {
        let (line, payee) = self.first_agreement.as_ref()?;
        (self.agree > 0 && self.disagree == 0).then(|| format!("line {line}: \"{payee}\" comes in as money in"))
    }

    /// On a card, most rows are purchases: a file whose rows are mostly positive writes charges
    /// positive. Only a hint for a guess.
    pub fn mostly_positive_on_card(&self, credit: bool) -> bool {
        credit && self.positive > 2 * self.negative.max(1)
    }
}

/// Which currencies the rows said they were in.
#[derive(Debug, Default, Clone)]
pub struct CurrencyTally {
    /// Rows in the account's currency.
    pub matching: u64,
    /// Rows in another currency, per currency, in order of first appearance.
    pub others: Vec<(String, u64)>,
}

impl CurrencyTally {
    pub fn observe(&mut self, currency: &str, account_currency: &str) {
        if currency == account_currency {
            self.matching += 1;
        } else if let Some(entry) = self.others.iter_mut().find(|(c, _)| c == currency) {
            entry.1 += 1;
        } else {
            self.others.push((currency.to_string(), 1));
        }
    }

    pub fn stated(&self) -> bool {
        self.matching > 0 || !self.others.is_empty()
    }

    /// "EUR (40 rows) and GBP (2 rows)".
    pub fn describe_others(&self) -> String {
        let parts: Vec<String> =
            self.others.iter().map(|(c, n)| format!("{c} ({n} row{})", if *n == 1 { "" } else { "s" })).collect();
        parts.join(" and ")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> Decimal {
        s.parse().expect("decimal")
    }

    #[test]
    fn pay_that_reads_as_money_out_contradicts_the_sign() {
        let mut checks = SignChecks::default();
        checks.observe(false, 2, "ACME CORP PAYROLL", d("-2500.00"));
        checks.observe(false, 3, "Coffee", d("3.50"));
        let why = checks.contradiction(false).expect("contradiction");
        assert!(why.contains("line 2") && why.contains("-2500.00"), "{why}");
        let mut fine = SignChecks::default();
        fine.observe(false, 2, "ACME CORP PAYROLL", d("2500.00"));
        assert!(fine.contradiction(false).is_none());
        assert!(fine.support().is_some());
    }

    #[test]
    fn a_card_payment_that_reads_as_a_charge_contradicts_the_sign() {
        let mut checks = SignChecks::default();
        for line in 2..8 {
            checks.observe(true, line, "SHOP", d("10.00"));
        }
        checks.observe(true, 9, "PAYMENT RECEIVED - THANK YOU", d("-100.00"));
        checks.observe(true, 10, "CHASE CREDIT CRD AUTOPAY", d("-50.00"));
        assert!(
            checks.contradiction(true).is_some_and(|why| why.contains("line 9")),
            "the checking side's AUTOPAY says nothing"
        );
        assert!(checks.mostly_positive_on_card(true));
        assert!(!checks.mostly_positive_on_card(false));
    }

    #[test]
    fn currencies_are_counted_apart_from_the_accounts() {
        let mut tally = CurrencyTally::default();
        for c in ["EUR", "EUR", "GBP", "USD", "GBP"] {
            tally.observe(c, "EUR");
        }
        assert_eq!(tally.matching, 2);
        assert_eq!(tally.describe_others(), "GBP (2 rows) and USD (1 row)");
    }
}
