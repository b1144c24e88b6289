//! What a posting's text says it is: a card payment, a refund, interest, a late fee, a cash advance, a
//! bill; and which card issuer a checking account's payment goes to. Texts are compared as words
//! (upper case, letters and digits; anything else separates), so "E-PAYMENT" is `E PAYMENT` and "CITI"
//! does not match inside "ELECTRICITY". docs/coach.md lists these rules.

/// A payee (and the bank's original text, when rules renamed it) as words.
pub(crate) struct Words(Vec<String>);

impl Words {
    pub(crate) fn of<'a>(texts: impl IntoIterator<Item = &'a str>) -> Words {
        let mut words = Vec::new();
        for text in texts {
            words
                .extend(text.split(|c: char| !c.is_alphanumeric()).filter(|w| !w.is_empty()).map(|w| w.to_uppercase()));
            words.push(String::new()); // a phrase never runs from one text into the next
        }
        Words(words)
    }

    /// Whether any of `phrases` appears, as consecutive whole words.
    fn has_any(&self, phrases: &[&[&str]]) -> bool {
        phrases
            .iter()
            .any(|phrase| self.0.windows(phrase.len()).any(|w| w.iter().zip(phrase.iter()).all(|(a, b)| a == b)))
    }

    /// Money into a card or loan that pays it, by its words (transfer pairing aside): a payment word
    /// and no refund word.
    pub(crate) fn says_payment(&self) -> bool {
        self.has_any(PAYMENT) && !self.says_refund()
    }

    /// A refund, a return, a reward or an adjustment: money back, not a payment.
    pub(crate) fn says_refund(&self) -> bool {
        self.has_any(REFUND)
    }

    pub(crate) fn says_late_fee(&self) -> bool {
        self.has_any(LATE_FEE)
    }

    pub(crate) fn says_interest(&self) -> bool {
        self.has_any(INTEREST) && !self.says_late_fee()
    }

    pub(crate) fn says_cash_advance(&self) -> bool {
        self.has_any(CASH_ADVANCE)
    }

    /// A payment that came back (bounced, reversed): money out of a card that takes a payment back.
    pub(crate) fn says_payment_returned(&self) -> bool {
        self.has_any(PAYMENT) && self.has_any(RETURNED)
    }

    /// The card issuer a text names, if any (its index in `ISSUERS`).
    pub(crate) fn issuer(&self) -> Option<usize> {
        ISSUERS.iter().position(|(_, aliases)| self.has_any(aliases))
    }

    /// A checking account's payment to a card issuer: an issuer's name with a payment word
    /// ("CHASE CREDIT CRD AUTOPAY", "CAPITAL ONE CRCARDPMT", "AMERICAN EXPRESS ACH PMT").
    pub(crate) fn card_payment_to(&self) -> Option<usize> {
        if !self.has_any(PAYMENT) || self.says_refund() {
            return None;
        }
        self.issuer()
    }

    /// The kind of bill a recurring payment is, by its payee, for the on-time record.
    pub(crate) fn bill_kind(&self) -> Option<BillKind> {
        BILLS.iter().find(|(_, phrases)| self.has_any(phrases)).map(|(kind, _)| *kind)
    }
}

/// Stems of every word the charge classes below start from (late fee, interest, cash advance, a
/// returned payment): money out whose text has none of them is a purchase, and its words need not be
/// read (most of a card's postings). A test keeps this list in step with those phrases.
const CHARGE_STEMS: [&[u8]; 13] = [
    b"LATE",
    b"INTEREST",
    b"FINANCE",
    b"FEE",
    b"ZINS",
    b"CASH",
    b"ATM",
    b"MAHN",
    b"RETURN",
    b"REVERS",
    b"NSF",
    b"DISHONO",
    b"UNPAID",
];

/// Whether a charge's text may name a late fee, interest, a cash advance or a returned payment (any
/// case); a cheap look before `Words::of`.
pub(crate) fn may_name_a_charge(text: &str) -> bool {
    let bytes = text.as_bytes();
    CHARGE_STEMS.iter().any(|stem| bytes.windows(stem.len()).any(|w| w.eq_ignore_ascii_case(stem)))
}

/// Words issuers and banks use for a card payment: the card side ("PAYMENT THANK YOU", "AUTOPAY
/// PAYMENT", "MOBILE PYMT", "EPAYMENT", "ACH DEPOSIT INTERNET TRANSFER FROM ACCOUNT …") and the checking
/// side ("… CARD PAYMENT", "CRD PMT", "ACH PMT", "CRCARDPMT").
const PAYMENT: &[&[&str]] = &[
    &["PAYMENT"],
    &["PAYMENTS"],
    &["PYMT"],
    &["PYMNT"],
    &["PYMNTS"],
    &["PMT"],
    &["EPAYMENT"],
    &["EPAY"],
    &["AUTOPAY"],
    &["AUTO", "PAY"],
    &["DIRECTPAY"],
    &["CRCARDPMT"],
    &["THANK", "YOU"],
    &["TRANSFER", "FROM"],
    &["DIRECT", "DEBIT"],
    &["AUSGLEICH"],
    &["EINZAHLUNG"],
];

const REFUND: &[&[&str]] = &[
    &["REFUND"],
    &["REFUNDS"],
    &["RETURN"],
    &["RETURNS"],
    &["RETURNED"],
    &["REVERSAL"],
    &["REVERSED"],
    &["CASHBACK"],
    &["CASH", "BACK"],
    &["DAILY", "CASH"],
    &["REWARD"],
    &["REWARDS"],
    &["ADJUSTMENT"],
    &["ADJ"],
    &["DISPUTE"],
    &["CHARGEBACK"],
    &["STATEMENT", "CREDIT"],
    &["ERSTATTUNG"],
    &["GUTSCHRIFT"],
];

const LATE_FEE: &[&[&str]] = &[
    &["LATE", "FEE"],
    &["LATE", "PAYMENT", "FEE"],
    &["LATE", "PYMT", "FEE"],
    &["LATE", "CHARGE"],
    &["LATE", "PAYMENT", "CHARGE"],
    &["MAHNGEBÜHR"],
];

const INTEREST: &[&[&str]] = &[&["INTEREST"], &["FINANCE", "CHARGE"], &["ZINSEN"], &["SOLLZINSEN"]];

const RETURNED: &[&[&str]] = &[
    &["RETURNED"],
    &["RETURN"],
    &["REVERSAL"],
    &["REVERSED"],
    &["NSF"],
    &["DISHONOURED"],
    &["DISHONORED"],
    &["UNPAID"],
];

const CASH_ADVANCE: &[&[&str]] = &[&["CASH", "ADVANCE"], &["CASH", "ADV"], &["ATM"], &["CASH", "WITHDRAWAL"]];

/// Card issuers, by the words their names take in bank texts, account names and layout names.
pub(crate) const ISSUERS: &[(&str, &[&[&str]])] = &[
    ("Chase", &[&["CHASE"]]),
    ("American Express", &[&["AMERICAN", "EXPRESS"], &["AMEX"]]),
    ("Citi", &[&["CITI"], &["CITICARD"], &["CITICARDS"], &["CITIBANK"]]),
    ("Capital One", &[&["CAPITAL", "ONE"], &["CAPITALONE"], &["CAP", "ONE"]]),
    ("Discover", &[&["DISCOVER"]]),
    ("Bank of America", &[&["BANK", "OF", "AMERICA"], &["BOFA"], &["BK", "OF", "AMER"], &["BA", "ELECTRONIC"]]),
    ("Wells Fargo", &[&["WELLS", "FARGO"], &["WF", "CREDIT"], &["WF", "CRD"]]),
    ("Barclays", &[&["BARCLAYCARD"], &["BARCLAYS"]]),
    ("Synchrony", &[&["SYNCHRONY"], &["SYNCB"]]),
    ("U.S. Bank", &[&["US", "BANK"], &["USBANK"], &["U", "S", "BANK"]]),
    ("Apple Card", &[&["APPLECARD"], &["APPLE", "CARD"], &["GSBANK"], &["GOLDMAN", "SACHS"]]),
    ("Navy Federal", &[&["NAVY", "FEDERAL"]]),
    ("PNC", &[&["PNC"]]),
    ("TD", &[&["TD", "BANK"]]),
    ("Credit One", &[&["CREDIT", "ONE"]]),
    ("USAA", &[&["USAA"]]),
    ("HSBC", &[&["HSBC"]]),
    ("MBNA", &[&["MBNA"]]),
    ("John Lewis", &[&["JOHN", "LEWIS"], &["NEWDAY"]]),
    ("DKB", &[&["DKB"]]),
];

/// Bills a lender could be shown as on-time history (Experian Boost's kinds).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum BillKind {
    Rent,
    Utilities,
    Phone,
    Streaming,
}

impl BillKind {
    pub fn as_str(self) -> &'static str {
        match self {
            BillKind::Rent => "rent",
            BillKind::Utilities => "utilities",
            BillKind::Phone => "phone",
            BillKind::Streaming => "streaming",
        }
    }
}

const BILLS: &[(BillKind, &[&[&str]])] = &[
    (
        BillKind::Rent,
        &[
            &["RENT"],
            &["RENTAL"],
            &["APARTMENTS"],
            &["APTS"],
            &["PROPERTY", "MANAGEMENT"],
            &["PROPERTY", "MGMT"],
            &["LEASING"],
            &["LANDLORD"],
            &["MIETE"],
            &["LOYER"],
            &["HUUR"],
        ],
    ),
    (
        BillKind::Utilities,
        &[
            &["ELECTRIC"],
            &["ELECTRICITY"],
            &["ENERGY"],
            &["POWER"],
            &["UTILITY"],
            &["UTILITIES"],
            &["WATER"],
            &["SEWER"],
            &["GAS", "CO"],
            &["GAS", "COMPANY"],
            &["NATURAL", "GAS"],
            &["PG", "E"],
            &["CON", "ED"],
            &["CONED"],
            &["EDISON"],
            &["NATIONAL", "GRID"],
            &["XCEL"],
            &["DOMINION"],
            &["ENTERGY"],
            &["STADTWERKE"],
            &["BRITISH", "GAS"],
            &["EDF"],
            &["ENGIE"],
            &["COMCAST"],
            &["XFINITY"],
            &["SPECTRUM"],
            &["COX", "COMM"],
            &["FRONTIER"],
            &["CENTURYLINK"],
            &["FIOS"],
        ],
    ),
    (
        BillKind::Phone,
        &[
            &["VERIZON"],
            &["VZWRLSS"],
            &["AT", "T"],
            &["ATT"],
            &["T", "MOBILE"],
            &["TMOBILE"],
            &["SPRINT"],
            &["MINT", "MOBILE"],
            &["CRICKET"],
            &["METRO", "BY", "T"],
            &["GOOGLE", "FI"],
            &["VISIBLE"],
            &["VODAFONE"],
            &["O2"],
            &["TELEKOM"],
            &["WIRELESS"],
        ],
    ),
    (
        BillKind::Streaming,
        &[
            &["NETFLIX"],
            &["SPOTIFY"],
            &["HULU"],
            &["DISNEY"],
            &["HBO"],
            &["MAX", "COM"],
            &["PARAMOUNT"],
            &["PEACOCK"],
            &["APPLE", "COM", "BILL"],
            &["YOUTUBE"],
            &["PRIME", "VIDEO"],
            &["AMAZON", "PRIME"],
            &["AUDIBLE"],
            &["SIRIUSXM"],
            &["DEEZER"],
            &["TIDAL"],
            &["CRUNCHYROLL"],
        ],
    ),
];

#[cfg(test)]
mod tests {
    use super::*;

    fn words(text: &str) -> Words {
        Words::of([text])
    }

    #[test]
    fn issuers_card_side_payment_texts_are_payments_and_refunds_are_not() {
        for text in [
            "AUTOMATIC PAYMENT - THANK",
            "Payment Thank You-Mobile",
            "MOBILE PAYMENT - THANK YOU",
            "ONLINE PAYMENT, THANK YOU",
            "INTERNET PAYMENT - THANK YOU",
            "PAYMENT - THANK YOU",
            "CAPITAL ONE AUTOPAY PYMT",
            "CAPITAL ONE MOBILE PYMT",
            "ACH DEPOSIT INTERNET TRANSFER FROM ACCOUNT ENDING IN 1234",
            "EPAYMENT",
            "DIRECTPAY FULL BALANCE",
            "PAYMENT RECEIVED - THANK YOU",
        ] {
            assert!(words(text).says_payment(), "{text}");
        }
        for text in [
            "AMAZON MKTPL*RETURN",
            "DAILY CASH ADJUSTMENT",
            "REFUND - TARGET 00012",
            "CASHBACK REWARD",
            "STATEMENT CREDIT",
            "BEST BUY 00123",
        ] {
            assert!(!words(text).says_payment(), "{text}");
        }
    }

    #[test]
    fn checking_side_payments_name_their_issuer_and_words_are_whole() {
        let issuer = |text: &str| words(text).card_payment_to().map(|i| ISSUERS[i].0);
        assert_eq!(issuer("CHASE CREDIT CRD AUTOPAY PPD ID: 4760039224"), Some("Chase"));
        assert_eq!(issuer("AMERICAN EXPRESS ACH PMT A1234 WEB ID: 2005032111"), Some("American Express"));
        assert_eq!(issuer("CITI CARD ONLINE PAYMENT 123456 WEB ID: CITICARDAP"), Some("Citi"));
        assert_eq!(issuer("CAPITAL ONE CRCARDPMT 1234"), Some("Capital One"));
        assert_eq!(issuer("DISCOVER E-PAYMENT 1234"), Some("Discover"));
        assert_eq!(issuer("APPLECARD GSBANK PAYMENT"), Some("Apple Card"));
        assert_eq!(issuer("CITY ELECTRICITY PAYMENT"), None, "CITI is a word, not a part of one");
        assert_eq!(issuer("CHASE BANK BRANCH"), None, "an issuer's name without a payment word");
        assert!(words("LATE FEE").says_late_fee() && !words("LATE FEE").says_interest());
        assert!(words("PURCHASE INTEREST CHARGE").says_interest());
        assert!(words("CASH ADVANCE 0042").says_cash_advance());
        assert!(
            words("RETURNED PAYMENT").says_payment_returned()
                && words("PAYMENT REVERSAL - NSF").says_payment_returned()
        );
        assert!(!words("AUTOMATIC PAYMENT - THANK").says_payment_returned());
    }

    #[test]
    fn every_charge_phrase_passes_the_quick_look() {
        for phrases in [LATE_FEE, INTEREST, CASH_ADVANCE, RETURNED] {
            for phrase in phrases {
                assert!(may_name_a_charge(&phrase.join(" ")), "{phrase:?} has no stem in CHARGE_STEMS");
            }
        }
        assert!(!may_name_a_charge("WHOLE FOODS MARKET"));
    }

    #[test]
    fn bills_by_payee() {
        assert_eq!(words("SUNSET APTS RENT").bill_kind(), Some(BillKind::Rent));
        assert_eq!(words("PG&E WEB ONLINE").bill_kind(), Some(BillKind::Utilities));
        assert_eq!(words("VERIZON WIRELESS").bill_kind(), Some(BillKind::Phone));
        assert_eq!(words("T-MOBILE PCS SVC").bill_kind(), Some(BillKind::Phone));
        assert_eq!(words("NETFLIX.COM").bill_kind(), Some(BillKind::Streaming));
        assert_eq!(words("GROCERY OUTLET").bill_kind(), None);
    }
}
