//! Built-in bank layouts, recognised by their header row, and the column mapping every import runs on.
//! The layouts come from the banks' documented exports (docs/import-formats.md lists them with their
//! quirks); a file none of them fits gets a guessed mapping, or one the user gives and saves per account.

use super::values::{DateOrder, DecimalMark};
use crate::error::{Error, Result};

/// How a row's amount is written.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum AmountSpec<C> {
    /// One signed column, money in positive.
    Signed(C),
    /// One signed column, money out positive (Amex and Discover cards).
    Inverted(C),
    /// Unsigned money-out and money-in columns; either may hold negative numbers (Citi).
    DebitCredit { debit: C, credit: C },
    /// An unsigned amount and a column saying which way it went (ING NL "Af/Bij", "S/H", "CR/DR").
    Indicator { amount: C, indicator: C, out_values: Vec<String> },
    /// A signed amount and a fee column to subtract (Revolut).
    MinusFee { amount: C, fee: C },
}

impl<C> AmountSpec<C> {
    fn map<D>(&self, mut f: impl FnMut(&C) -> Result<D>) -> Result<AmountSpec<D>> {
        Ok(match self {
            AmountSpec::Signed(c) => AmountSpec::Signed(f(c)?),
            AmountSpec::Inverted(c) => AmountSpec::Inverted(f(c)?),
            AmountSpec::DebitCredit { debit, credit } => AmountSpec::DebitCredit { debit: f(debit)?, credit: f(credit)? },
            AmountSpec::Indicator { amount, indicator, out_values } => {
                AmountSpec::Indicator { amount: f(amount)?, indicator: f(indicator)?, out_values: out_values.clone() }
            }
            AmountSpec::MinusFee { amount, fee } => AmountSpec::MinusFee { amount: f(amount)?, fee: f(fee)? },
        })
    }

    pub fn columns(&self) -> Vec<&C> {
        match self {
            AmountSpec::Signed(c) | AmountSpec::Inverted(c) => vec![c],
            AmountSpec::DebitCredit { debit, credit } => vec![debit, credit],
            AmountSpec::Indicator { amount, indicator, .. } => vec![amount, indicator],
            AmountSpec::MinusFee { amount, fee } => vec![amount, fee],
        }
    }
}

/// Which column holds what, by position in the row. What every import runs on.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Mapping {
    pub date: usize,
    /// The first non-empty of these is the payee.
    pub payee: Vec<usize>,
    /// Non-empty ones are joined into the memo.
    pub memo: Vec<usize>,
    pub amount: AmountSpec<usize>,
    /// The bank's own id for the transaction: the best duplicate key.
    pub bank_id: Option<usize>,
    /// The running balance after the row, for the balance-chain check.
    pub balance: Option<usize>,
    /// A status column and the values that mean "not final yet" (pending rows are not imported).
    pub status: Option<(usize, Vec<String>)>,
    pub date_order: Option<DateOrder>,
    pub decimal: Option<DecimalMark>,
    /// Rows whose payee starts with one of these are balance lines, not transactions.
    pub skip_payees: Vec<String>,
}

/// A built-in layout. Column names are matched without regard to case, quotes or surrounding space;
/// a name ending in "(*)" matches any text in the brackets ("Amount (*)" ↔ "Amount (GBP)").
#[derive(Debug)]
pub struct Profile {
    pub id: &'static str,
    pub name: &'static str,
    /// Names every one of which the header row must have. For files without a header row: the names
    /// given to the positions, and `headerless` says so.
    pub header: &'static [&'static str],
    pub headerless: bool,
    pub date: &'static [&'static str],
    pub payee: &'static [&'static str],
    pub memo: &'static [&'static str],
    pub amount: AmountSpec<&'static str>,
    pub bank_id: Option<&'static str>,
    pub balance: Option<&'static str>,
    pub pending: Option<(&'static str, &'static [&'static str])>,
    pub date_order: Option<DateOrder>,
    pub decimal: Option<DecimalMark>,
    pub skip_payees: &'static [&'static str],
}

const BASE: Profile = Profile {
    id: "",
    name: "",
    header: &[],
    headerless: false,
    date: &[],
    payee: &[],
    memo: &[],
    amount: AmountSpec::Signed("Amount"),
    bank_id: None,
    balance: None,
    pending: None,
    date_order: None,
    decimal: None,
    skip_payees: &[],
};

use AmountSpec::{DebitCredit, Inverted, MinusFee, Signed};
use DateOrder::{DayFirst, MonthFirst, YearFirst};
use DecimalMark::Comma;

/// Every built-in layout. Order matters only between layouts whose headers contain one another: the
/// one with more matching columns wins.
pub static PROFILES: &[Profile] = &[
    Profile {
        id: "chase-checking",
        name: "Chase checking / savings",
        header: &["Details", "Posting Date", "Description", "Amount", "Type", "Balance"],
        date: &["Posting Date"],
        payee: &["Description"],
        memo: &["Check or Slip #"],
        balance: Some("Balance"),
        date_order: Some(MonthFirst),
        ..BASE
    },
    Profile {
        id: "chase-card",
        name: "Chase credit card",
        header: &["Transaction Date", "Post Date", "Description", "Category", "Type", "Amount"],
        date: &["Transaction Date"],
        payee: &["Description"],
        memo: &["Memo"],
        date_order: Some(MonthFirst),
        ..BASE
    },
    Profile {
        id: "bofa-checking",
        name: "Bank of America checking",
        header: &["Date", "Description", "Amount", "Running Bal."],
        date: &["Date"],
        payee: &["Description"],
        balance: Some("Running Bal."),
        date_order: Some(MonthFirst),
        skip_payees: &["Beginning balance as of", "Ending balance as of"],
        ..BASE
    },
    Profile {
        id: "bofa-card",
        name: "Bank of America credit card",
        header: &["Posted Date", "Reference Number", "Payee", "Address", "Amount"],
        date: &["Posted Date"],
        payee: &["Payee"],
        memo: &["Address"],
        bank_id: Some("Reference Number"),
        date_order: Some(MonthFirst),
        ..BASE
    },
    Profile {
        id: "wells-fargo",
        name: "Wells Fargo checking (no header row)",
        header: &["Date", "Amount", "Star", "Check Number", "Description"],
        headerless: true,
        date: &["Date"],
        payee: &["Description"],
        memo: &["Check Number"],
        date_order: Some(MonthFirst),
        ..BASE
    },
    Profile {
        id: "capital-one-card",
        name: "Capital One credit card",
        header: &["Transaction Date", "Posted Date", "Card No.", "Description", "Category", "Debit", "Credit"],
        date: &["Transaction Date"],
        payee: &["Description"],
        amount: DebitCredit { debit: "Debit", credit: "Credit" },
        date_order: Some(YearFirst),
        ..BASE
    },
    Profile {
        id: "amex",
        name: "American Express card",
        header: &["Date", "Description", "Amount"],
        date: &["Date"],
        payee: &["Description"],
        memo: &["Extended Details"],
        amount: Inverted("Amount"),
        bank_id: Some("Reference"),
        date_order: Some(MonthFirst),
        ..BASE
    },
    Profile {
        id: "amex-uk",
        name: "American Express card (UK export)",
        header: &["Date", "Description", "Amount", "Town/City", "Postcode"],
        date: &["Date"],
        payee: &["Description"],
        memo: &["Extended Details"],
        amount: Inverted("Amount"),
        bank_id: Some("Reference"),
        date_order: Some(DayFirst),
        ..BASE
    },
    Profile {
        id: "discover-card",
        name: "Discover credit card",
        header: &["Trans. Date", "Post Date", "Description", "Amount", "Category"],
        date: &["Trans. Date"],
        payee: &["Description"],
        amount: Inverted("Amount"),
        date_order: Some(MonthFirst),
        ..BASE
    },
    Profile {
        id: "discover-savings",
        name: "Discover savings",
        header: &["Transaction Date", "Transaction Description", "Transaction Type", "Debit", "Credit", "Balance"],
        date: &["Transaction Date"],
        payee: &["Transaction Description"],
        amount: DebitCredit { debit: "Debit", credit: "Credit" },
        balance: Some("Balance"),
        date_order: Some(MonthFirst),
        ..BASE
    },
    Profile {
        id: "citi-card",
        name: "Citi credit card",
        header: &["Status", "Date", "Description", "Debit", "Credit"],
        date: &["Date"],
        payee: &["Description"],
        amount: DebitCredit { debit: "Debit", credit: "Credit" },
        pending: Some(("Status", &["Pending"])),
        date_order: Some(MonthFirst),
        ..BASE
    },
    Profile {
        id: "monzo",
        name: "Monzo",
        header: &["Transaction ID", "Date", "Name", "Amount"],
        date: &["Date"],
        payee: &["Name", "Description"],
        memo: &["Notes and #tags"],
        bank_id: Some("Transaction ID"),
        date_order: Some(DayFirst),
        ..BASE
    },
    Profile {
        id: "starling",
        name: "Starling",
        header: &["Date", "Counter Party", "Reference", "Type", "Amount (*)", "Balance (*)"],
        date: &["Date"],
        payee: &["Counter Party"],
        memo: &["Reference", "Notes"],
        amount: Signed("Amount (*)"),
        balance: Some("Balance (*)"),
        date_order: Some(DayFirst),
        ..BASE
    },
    Profile {
        id: "barclays",
        name: "Barclays current account",
        header: &["Number", "Date", "Account", "Amount", "Subcategory", "Memo"],
        date: &["Date"],
        payee: &["Memo"],
        memo: &["Subcategory"],
        date_order: Some(DayFirst),
        ..BASE
    },
    Profile {
        id: "barclaycard",
        name: "Barclaycard credit card (no header row)",
        // The export has no header; bank2ynab's profile reads these positions and skips the three
        // unnamed ones.
        header: &["Date", "Description", "Column 3", "Column 4", "Column 5", "Category", "Credit", "Debit"],
        headerless: true,
        date: &["Date"],
        payee: &["Description"],
        memo: &["Category"],
        amount: DebitCredit { debit: "Debit", credit: "Credit" },
        date_order: Some(DayFirst),
        ..BASE
    },
    Profile {
        id: "lloyds",
        name: "Lloyds / Halifax",
        header: &["Transaction Date", "Transaction Type", "Sort Code", "Account Number", "Transaction Description", "Debit Amount", "Credit Amount", "Balance"],
        date: &["Transaction Date"],
        payee: &["Transaction Description"],
        memo: &["Transaction Type"],
        amount: DebitCredit { debit: "Debit Amount", credit: "Credit Amount" },
        balance: Some("Balance"),
        date_order: Some(DayFirst),
        ..BASE
    },
    Profile {
        id: "revolut",
        name: "Revolut",
        header: &["Type", "Product", "Started Date", "Completed Date", "Description", "Amount", "Fee", "Currency", "State"],
        date: &["Completed Date", "Started Date"],
        payee: &["Description"],
        memo: &["Type"],
        amount: MinusFee { amount: "Amount", fee: "Fee" },
        balance: Some("Balance"),
        pending: Some(("State", &["PENDING", "REVERTED", "DECLINED", "FAILED"])),
        date_order: Some(YearFirst),
        ..BASE
    },
    Profile {
        id: "revolut-legacy",
        name: "Revolut (2019–2020 layout)",
        header: &["Completed Date", "Description", "Paid Out (*)", "Paid In (*)"],
        date: &["Completed Date"],
        payee: &["Description"],
        memo: &["Notes"],
        amount: DebitCredit { debit: "Paid Out (*)", credit: "Paid In (*)" },
        balance: Some("Balance (*)"),
        ..BASE
    },
    Profile {
        id: "n26",
        name: "N26",
        header: &["Booking Date", "Value Date", "Partner Name", "Amount (*)"],
        date: &["Booking Date"],
        payee: &["Partner Name"],
        memo: &["Payment Reference"],
        amount: Signed("Amount (*)"),
        date_order: Some(YearFirst),
        ..BASE
    },
    Profile {
        id: "n26-legacy",
        name: "N26 (legacy layout, English)",
        header: &["Date", "Payee", "Account number", "Transaction type", "Payment reference", "Amount (*)"],
        date: &["Date"],
        payee: &["Payee"],
        memo: &["Payment reference"],
        amount: Signed("Amount (*)"),
        date_order: Some(YearFirst),
        ..BASE
    },
    Profile {
        id: "n26-legacy-de",
        name: "N26 (legacy layout, German)",
        header: &["Datum", "Empfänger", "Kontonummer", "Transaktionstyp", "Verwendungszweck", "Betrag (*)"],
        date: &["Datum"],
        payee: &["Empfänger"],
        memo: &["Verwendungszweck"],
        amount: Signed("Betrag (*)"),
        date_order: Some(YearFirst),
        ..BASE
    },
    Profile {
        id: "ing-nl",
        name: "ING Netherlands",
        header: &["Datum", "Naam / Omschrijving", "Rekening", "Tegenrekening", "Code", "Af Bij", "Bedrag (*)"],
        date: &["Datum"],
        payee: &["Naam / Omschrijving"],
        memo: &["Mededelingen"],
        amount: AmountSpec::Indicator { amount: "Bedrag (*)", indicator: "Af Bij", out_values: Vec::new() },
        balance: Some("Saldo na mutatie"),
        date_order: Some(YearFirst),
        decimal: Some(Comma),
        ..BASE
    },
    Profile {
        id: "ing-de",
        name: "ING Germany (ING-DiBa)",
        header: &["Buchung", "Valuta", "Auftraggeber/Empfänger", "Buchungstext", "Verwendungszweck", "Betrag"],
        date: &["Buchung"],
        payee: &["Auftraggeber/Empfänger"],
        memo: &["Verwendungszweck"],
        amount: Signed("Betrag"),
        balance: Some("Saldo"),
        date_order: Some(DayFirst),
        decimal: Some(Comma),
        ..BASE
    },
    Profile {
        id: "dkb",
        name: "DKB (2023 layout)",
        header: &["Buchungsdatum", "Wertstellung", "Status", "Verwendungszweck", "Betrag (*)"],
        date: &["Buchungsdatum"],
        payee: &["Zahlungsempfänger*in", "Zahlungspflichtige*r"],
        memo: &["Verwendungszweck"],
        amount: Signed("Betrag (*)"),
        pending: Some(("Status", &["Vorgemerkt"])),
        date_order: Some(DayFirst),
        decimal: Some(Comma),
        ..BASE
    },
    Profile {
        id: "dkb-legacy",
        name: "DKB (legacy layout)",
        header: &["Buchungstag", "Wertstellung", "Buchungstext", "Auftraggeber / Begünstigter", "Verwendungszweck", "Betrag (*)"],
        date: &["Buchungstag"],
        payee: &["Auftraggeber / Begünstigter"],
        memo: &["Verwendungszweck"],
        amount: Signed("Betrag (*)"),
        date_order: Some(DayFirst),
        decimal: Some(Comma),
        skip_payees: &["Abschluss"],
        ..BASE
    },
    Profile {
        id: "deutsche-bank",
        name: "Deutsche Bank",
        header: &["Buchungstag", "Wert", "Umsatzart", "Begünstigter / Auftraggeber", "Verwendungszweck", "Soll", "Haben"],
        date: &["Buchungstag"],
        payee: &["Begünstigter / Auftraggeber"],
        memo: &["Verwendungszweck"],
        amount: DebitCredit { debit: "Soll", credit: "Haben" },
        date_order: Some(DayFirst),
        decimal: Some(Comma),
        skip_payees: &["Kontostand"],
        ..BASE
    },
    Profile {
        id: "generic-debit-credit",
        name: "Date, Description, Debit, Credit, Balance",
        header: &["Date", "Description", "Debit", "Credit", "Balance"],
        date: &["Date"],
        payee: &["Description"],
        amount: DebitCredit { debit: "Debit", credit: "Credit" },
        balance: Some("Balance"),
        ..BASE
    },
];

/// ING NL's direction column says "Af" for money out.
const ING_OUT: &[&str] = &["af"];

/// A header cell as compared: lower case, no quotes, no BOM, single spaces.
pub fn normalize_header(cell: &str) -> String {
    cell.trim_start_matches('\u{feff}')
        .trim()
        .trim_matches('"')
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
        .to_lowercase()
}

fn header_matches(spec: &str, cell: &str) -> bool {
    let spec = spec.to_lowercase();
    match spec.strip_suffix("(*)") {
        Some(prefix) => cell.starts_with(prefix.trim_end()) && cell.ends_with(')') && cell.contains('('),
        None => cell == spec,
    }
}

/// The position of the first header cell that matches `spec`.
fn find(header: &[String], spec: &str) -> Option<usize> {
    header.iter().position(|h| header_matches(spec, h))
}

impl Profile {
    /// How many of the profile's required columns the header row has, if it has all of them.
    pub fn score(&self, header: &[String]) -> Option<usize> {
        if self.headerless {
            return None;
        }
        self.header.iter().all(|spec| find(header, spec).is_some()).then_some(self.header.len())
    }

    /// The profile applied to a header row (or, headerless, to its own column names).
    pub fn mapping(&self, header: &[String]) -> Result<Mapping> {
        let synthetic: Vec<String>;
        let header = if self.headerless {
            synthetic = self.header.iter().map(|h| normalize_header(h)).collect();
            &synthetic
        } else {
            header
        };
        let required = |spec: &str| {
            find(header, spec).ok_or_else(|| Error::invalid(format!("the file has no \"{spec}\" column for the {} layout", self.name)))
        };
        let optional = |specs: &[&str]| specs.iter().filter_map(|s| find(header, s)).collect::<Vec<_>>();
        let date = self.date.iter().find_map(|s| find(header, s)).ok_or_else(|| Error::invalid("no date column"))?;
        let mut amount = self.amount.map(|c| required(c))?;
        if let AmountSpec::Indicator { out_values, .. } = &mut amount {
            if out_values.is_empty() {
                *out_values = ING_OUT.iter().map(|s| s.to_string()).collect();
            }
        }
        Ok(Mapping {
            date,
            payee: optional(self.payee),
            memo: optional(self.memo),
            amount,
            bank_id: self.bank_id.and_then(|c| find(header, c)),
            balance: self.balance.and_then(|c| find(header, c)),
            status: self.pending.and_then(|(c, values)| {
                Some((find(header, c)?, values.iter().map(|v| v.to_lowercase()).collect()))
            }),
            date_order: self.date_order,
            decimal: self.decimal,
            skip_payees: self.skip_payees.iter().map(|s| s.to_lowercase()).collect(),
        })
    }
}

pub fn profile(id: &str) -> Result<&'static Profile> {
    PROFILES.iter().find(|p| p.id == id).ok_or_else(|| {
        Error::invalid(format!("\"{id}\" is not a known format; `credence import formats` lists them"))
    })
}

/// The built-in layout whose header signature fits this row best.
pub fn recognise(header: &[String]) -> Option<&'static Profile> {
    PROFILES.iter().filter_map(|p| Some((p.score(header)?, p))).max_by_key(|(score, _)| *score).map(|(_, p)| p)
}

/// Guesses the roles of an unknown header from the usual column names in English, German, Dutch,
/// French and Spanish. `None` unless a date, an amount and a payee column are all found.
pub fn guess(header: &[String]) -> Option<Mapping> {
    let pick = |words: &[&str], taken: &[usize]| -> Option<usize> {
        words.iter().find_map(|w| header.iter().enumerate().find(|(i, h)| !taken.contains(i) && h.contains(w)).map(|(i, _)| i))
    };
    let exact = |words: &[&str]| words.iter().find_map(|w| header.iter().position(|h| h == w));
    let date = pick(&["transaction date", "booking date", "posting date", "posted date", "date", "datum", "buchung", "fecha", "data"], &[])?;
    let amount = match pick(&["amount", "betrag", "bedrag", "montant", "importe", "value"], &[date]) {
        Some(a) => AmountSpec::Signed(a),
        None => {
            let debit = exact(&["debit", "debits", "paid out", "money out", "withdrawal", "withdrawals", "soll", "out"])?;
            let credit = exact(&["credit", "credits", "paid in", "money in", "deposit", "deposits", "haben", "in"])?;
            AmountSpec::DebitCredit { debit, credit }
        }
    };
    let mut taken = vec![date];
    taken.extend(amount.columns().into_iter().copied());
    let payee = pick(&["payee", "merchant", "counter party", "counterparty", "name", "description", "details", "narrative", "beneficiary", "empfänger", "omschrijving", "libellé", "concepto", "memo"], &taken)?;
    taken.push(payee);
    let memo = pick(&["memo", "reference", "notes", "verwendungszweck", "mededelingen"], &taken);
    let balance = pick(&["running bal", "balance", "saldo", "solde"], &taken);
    Some(Mapping {
        date,
        payee: vec![payee],
        memo: memo.into_iter().collect(),
        amount,
        bank_id: None,
        balance,
        status: None,
        date_order: None,
        decimal: None,
        skip_payees: Vec::new(),
    })
}

/// A mapping the user writes: `date=Posting Date,amount=Amount,payee=Description` with columns by
/// header name or 1-based number; keys date, payee, memo, amount, debit, credit, balance, id, plus
/// `sign=inverted` and `dates=DD/MM/YYYY|MM/DD/YYYY|YYYY-MM-DD` and `decimal=comma|point`.
pub fn parse_mapping(spec: &str, header: &[String]) -> Result<Mapping> {
    let column = |name: &str| -> Result<usize> {
        let name = name.trim();
        if let Ok(n) = name.parse::<usize>() {
            return (n >= 1 && (header.is_empty() || n <= header.len()))
                .then(|| n - 1)
                .ok_or_else(|| Error::invalid(format!("there is no column {n}")));
        }
        find(header, &normalize_header(name)).ok_or_else(|| Error::invalid(format!("the file has no column named \"{name}\"")))
    };
    let mut date = None;
    let mut payee = Vec::new();
    let mut memo = Vec::new();
    let (mut amount, mut debit, mut credit, mut balance, mut bank_id) = (None, None, None, None, None);
    let mut inverted = false;
    let mut date_order = None;
    let mut decimal = None;
    for part in spec.split(',').map(str::trim).filter(|p| !p.is_empty()) {
        let (key, value) = part
            .split_once('=')
            .ok_or_else(|| Error::invalid(format!("\"{part}\" in the mapping is not key=column")))?;
        match key.trim().to_lowercase().as_str() {
            "date" => date = Some(column(value)?),
            "payee" | "description" => payee.push(column(value)?),
            "memo" => memo.push(column(value)?),
            "amount" => amount = Some(column(value)?),
            "debit" | "out" => debit = Some(column(value)?),
            "credit" | "in" => credit = Some(column(value)?),
            "balance" => balance = Some(column(value)?),
            "id" => bank_id = Some(column(value)?),
            "sign" => inverted = value.trim().eq_ignore_ascii_case("inverted"),
            "dates" => {
                date_order = Some(match value.trim().to_uppercase().as_str() {
                    "DD/MM/YYYY" | "DMY" => DayFirst,
                    "MM/DD/YYYY" | "MDY" => MonthFirst,
                    "YYYY-MM-DD" | "YMD" => YearFirst,
                    other => return Err(Error::invalid(format!("\"{other}\" is not a date order (DD/MM/YYYY, MM/DD/YYYY or YYYY-MM-DD)"))),
                })
            }
            "decimal" => decimal = Some(if value.trim().eq_ignore_ascii_case("comma") { Comma } else { DecimalMark::Point }),
            other => return Err(Error::invalid(format!("\"{other}\" is not a mapping key (date, payee, memo, amount, debit, credit, balance, id, sign, dates, decimal)"))),
        }
    }
    let amount = match (amount, debit, credit) {
        (Some(a), None, None) if inverted => AmountSpec::Inverted(a),
        (Some(a), None, None) => AmountSpec::Signed(a),
        (None, Some(debit), Some(credit)) => AmountSpec::DebitCredit { debit, credit },
        _ => return Err(Error::invalid("the mapping needs amount=COLUMN, or both debit=COLUMN and credit=COLUMN")),
    };
    Ok(Mapping {
        date: date.ok_or_else(|| Error::invalid("the mapping needs date=COLUMN"))?,
        payee: if payee.is_empty() { return Err(Error::invalid("the mapping needs payee=COLUMN")) } else { payee },
        memo,
        amount,
        bank_id,
        balance,
        status: None,
        date_order,
        decimal,
        skip_payees: Vec::new(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn header(cells: &[&str]) -> Vec<String> {
        cells.iter().map(|c| normalize_header(c)).collect()
    }

    #[test]
    fn every_profile_recognises_its_own_header_and_builds_a_mapping() {
        for p in PROFILES.iter().filter(|p| !p.headerless) {
            let h: Vec<String> = p.header.iter().map(|c| normalize_header(&c.replace("(*)", "(EUR)"))).collect();
            let found = recognise(&h).expect("recognised");
            assert_eq!(found.id, p.id, "{} is recognised as itself", p.id);
            p.mapping(&h).expect("mapping");
        }
    }

    #[test]
    fn the_more_specific_layout_wins() {
        let amex = header(&["Date", "Description", "Amount"]);
        assert_eq!(recognise(&amex).map(|p| p.id), Some("amex"));
        let uk = header(&["Date", "Description", "Amount", "Extended Details", "Town/City", "Postcode"]);
        assert_eq!(recognise(&uk).map(|p| p.id), Some("amex-uk"));
        let bofa = header(&["Date", "Description", "Amount", "Running Bal."]);
        assert_eq!(recognise(&bofa).map(|p| p.id), Some("bofa-checking"));
    }

    #[test]
    fn an_unknown_header_gets_a_guess_or_none() {
        let m = guess(&header(&["When", "Booking Date", "Merchant Name", "Amount", "Notes"])).expect("guess");
        assert_eq!((m.date, m.payee.clone(), m.amount.clone(), m.memo.clone()), (1, vec![2], AmountSpec::Signed(3), vec![4]));
        let dc = guess(&header(&["Date", "Details", "Money Out", "Money In", "Balance"])).expect("debit/credit");
        assert_eq!(dc.amount, AmountSpec::DebitCredit { debit: 2, credit: 3 });
        assert_eq!(dc.balance, Some(4));
        assert!(guess(&header(&["a", "b", "c"])).is_none());
    }

    #[test]
    fn a_user_mapping_by_name_or_number() {
        let h = header(&["Posted", "What", "Out", "In"]);
        let m = parse_mapping("date=Posted, payee=2, debit=Out, credit=4, dates=DD/MM/YYYY", &h).expect("mapping");
        assert_eq!(m.amount, AmountSpec::DebitCredit { debit: 2, credit: 3 });
        assert_eq!(m.date_order, Some(DayFirst));
        assert!(parse_mapping("date=Posted, payee=What", &h).is_err());
        assert!(parse_mapping("date=Nope, payee=What, amount=Out", &h).is_err());
        assert!(parse_mapping("date=9, payee=What, amount=Out", &h).is_err());
    }
}
