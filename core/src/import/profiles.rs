//! Built-in bank layouts, recognised by their header row, and the column mapping every import runs on.
//! The layouts come from the banks' documented exports (docs/import-formats.md lists them with their
//! quirks); a file none of them fits gets a guessed mapping, or one the user gives and saves per account.

use super::values::{parse_amount, parse_date, Currency, DateOrder, DecimalMark};
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
    /// An unsigned amount and a column saying which way it went (ING NL "Af/Bij", "S/H", "CR/DR"). A
    /// row whose direction is in neither list is rejected, not guessed.
    Indicator { amount: C, indicator: C, out_values: Vec<String>, in_values: Vec<String> },
    /// A signed amount and a fee column to subtract (Revolut).
    MinusFee { amount: C, fee: C },
}

impl<C> AmountSpec<C> {
    fn map<D>(&self, mut f: impl FnMut(&C) -> Result<D>) -> Result<AmountSpec<D>> {
        Ok(match self {
            AmountSpec::Signed(c) => AmountSpec::Signed(f(c)?),
            AmountSpec::Inverted(c) => AmountSpec::Inverted(f(c)?),
            AmountSpec::DebitCredit { debit, credit } => {
                AmountSpec::DebitCredit { debit: f(debit)?, credit: f(credit)? }
            }
            AmountSpec::Indicator { amount, indicator, out_values, in_values } => AmountSpec::Indicator {
                amount: f(amount)?,
                indicator: f(indicator)?,
                out_values: out_values.clone(),
                in_values: in_values.clone(),
            },
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
    /// On money coming in, the first non-empty of these comes before `payee`: banks that name the other
    /// party in a column that depends on the direction (DKB's Zahlungspflichtige*r, Wise's Payer Name).
    pub payee_in: Vec<usize>,
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
    /// Rows whose payee starts with one of these are balance lines, not transactions (on top of
    /// `BALANCE_LINES`, which every layout has).
    pub skip_payees: Vec<String>,
    /// Where the file says which currency its amounts are in.
    pub currency: CurrencySource,
}

/// Where a CSV file states its currency.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum CurrencySource {
    /// Nowhere: the account's currency is taken.
    Unstated,
    /// A column holding an ISO code per row (Revolut "Currency", Sparkasse "Waehrung").
    Column(usize),
    /// One currency for the whole file, and what says so.
    Fixed(Currency, CurrencyFrom),
}

/// What fixes a whole file's currency.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CurrencyFrom {
    /// The amount column's header ("Amount (GBP)", "Betrag (€)", "Umsatz in EUR").
    Header,
    /// The bank only exports in one currency (Chase: USD).
    Layout,
    /// The user's mapping (`currency=EUR`).
    Given,
}

/// Words that start a balance line in any layout ("Opening Balance", "Anfangssaldo", …): a statement's
/// summary, not a transaction.
pub const BALANCE_LINES: &[&str] = &[
    "opening balance",
    "closing balance",
    "balance brought forward",
    "balance carried forward",
    "brought forward",
    "carried forward",
    "beginning balance",
    "ending balance",
    "start balance",
    "previous balance",
    "anfangssaldo",
    "endsaldo",
    "schlusssaldo",
    "alter kontostand",
    "neuer kontostand",
    "kontostand",
    "saldo inicial",
    "saldo final",
    "saldo anterior",
    "solde initial",
    "solde final",
    "solde précédent",
    "solde au",
    "beginsaldo",
    "eindsaldo",
    "saldo iniziale",
    "saldo finale",
    "ingående saldo",
    "utgående saldo",
    "primo saldo",
    "ultimo saldo",
];

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
    /// When not empty, the header must also have at least one of these: what tells this layout apart
    /// from others that share its required columns (Amex's "Extended Details" or "Card Member").
    pub distinctive: &'static [&'static str],
    pub date: &'static [&'static str],
    pub payee: &'static [&'static str],
    /// Columns naming the other party on money coming in, tried before `payee` (see `Mapping`).
    pub payee_in: &'static [&'static str],
    /// A column holding each row's currency code; if several columns have this name, the first one
    /// after the amount (ING-DiBa's "Saldo;Währung;Betrag;Währung").
    pub currency: Option<&'static str>,
    pub memo: &'static [&'static str],
    pub amount: AmountSpec<&'static str>,
    pub bank_id: Option<&'static str>,
    pub balance: Option<&'static str>,
    pub pending: Option<(&'static str, &'static [&'static str])>,
    pub date_order: Option<DateOrder>,
    pub decimal: Option<DecimalMark>,
    pub skip_payees: &'static [&'static str],
    /// The one currency this bank's exports are in, when the file never says (Chase: USD).
    pub fixed_currency: Option<&'static str>,
    /// For an `Indicator` amount: the direction column's values for money out and money in (empty:
    /// `DIRECTIONS_OUT` and `DIRECTIONS_IN`).
    pub directions: (&'static [&'static str], &'static [&'static str]),
}

const BASE: Profile = Profile {
    id: "",
    name: "",
    header: &[],
    headerless: false,
    distinctive: &[],
    date: &[],
    payee: &[],
    payee_in: &[],
    currency: None,
    memo: &[],
    amount: AmountSpec::Signed("Amount"),
    bank_id: None,
    balance: None,
    pending: None,
    date_order: None,
    decimal: None,
    skip_payees: &[],
    fixed_currency: None,
    directions: (&[], &[]),
};

use AmountSpec::{DebitCredit, Indicator, Inverted, MinusFee, Signed};
use DateOrder::{DayFirst, MonthFirst, YearFirst};
use DecimalMark::Comma;

/// Every built-in layout. A layout is recognised only by columns that tell it apart from the others
/// (a header of just Date, Description, Amount could be any of a dozen banks, each with its own sign:
/// that is a guess, not a layout). Where one layout's header contains another's, the one with more
/// matching columns wins.
pub static PROFILES: &[Profile] = &[
    // ---- United States ----
    Profile {
        id: "chase-checking",
        name: "Chase checking / savings",
        header: &["Details", "Posting Date", "Description", "Amount", "Type", "Balance"],
        date: &["Posting Date"],
        payee: &["Description"],
        memo: &["Check or Slip #"],
        balance: Some("Balance"),
        date_order: Some(MonthFirst),
        fixed_currency: Some("USD"),
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
        fixed_currency: Some("USD"),
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
        fixed_currency: Some("USD"),
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
        fixed_currency: Some("USD"),
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
        fixed_currency: Some("USD"),
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
        fixed_currency: Some("USD"),
        ..BASE
    },
    Profile {
        id: "capital-one-360",
        name: "Capital One 360 checking / savings",
        header: &[
            "Account Number",
            "Transaction Description",
            "Transaction Date",
            "Transaction Type",
            "Transaction Amount",
            "Balance",
        ],
        date: &["Transaction Date"],
        payee: &["Transaction Description"],
        amount: Indicator {
            amount: "Transaction Amount",
            indicator: "Transaction Type",
            out_values: Vec::new(),
            in_values: Vec::new(),
        },
        balance: Some("Balance"),
        date_order: Some(MonthFirst),
        fixed_currency: Some("USD"),
        ..BASE
    },
    Profile {
        id: "schwab-checking",
        name: "Charles Schwab Bank checking",
        header: &["Date", "Status", "Type", "CheckNumber", "Description", "Withdrawal", "Deposit", "RunningBalance"],
        date: &["Date"],
        payee: &["Description"],
        memo: &["CheckNumber"],
        amount: DebitCredit { debit: "Withdrawal", credit: "Deposit" },
        balance: Some("RunningBalance"),
        pending: Some(("Status", &["Pending"])),
        date_order: Some(MonthFirst),
        fixed_currency: Some("USD"),
        ..BASE
    },
    Profile {
        id: "amex",
        name: "American Express card (US)",
        header: &["Date", "Description", "Amount"],
        distinctive: &["Extended Details", "Card Member", "Appears On Your Statement As", "City/State"],
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
        name: "American Express card (UK)",
        header: &["Date", "Description", "Amount", "Town/City", "Postcode"],
        date: &["Date"],
        payee: &["Description"],
        memo: &["Extended Details"],
        amount: Inverted("Amount"),
        bank_id: Some("Reference"),
        date_order: Some(DayFirst),
        fixed_currency: Some("GBP"),
        ..BASE
    },
    Profile {
        id: "apple-card",
        name: "Apple Card",
        header: &["Transaction Date", "Clearing Date", "Description", "Merchant", "Category", "Type", "Amount (*)"],
        date: &["Transaction Date"],
        payee: &["Merchant", "Description"],
        memo: &["Description"],
        amount: Inverted("Amount (*)"),
        date_order: Some(MonthFirst),
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
        fixed_currency: Some("USD"),
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
        fixed_currency: Some("USD"),
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
        fixed_currency: Some("USD"),
        ..BASE
    },
    Profile {
        id: "dcu",
        name: "Digital Federal Credit Union",
        header: &["DATE", "TRANSACTION TYPE", "DESCRIPTION", "AMOUNT", "ID", "MEMO", "CURRENT BALANCE"],
        date: &["DATE"],
        payee: &["DESCRIPTION"],
        memo: &["MEMO"],
        bank_id: Some("ID"),
        balance: Some("CURRENT BALANCE"),
        date_order: Some(MonthFirst),
        fixed_currency: Some("USD"),
        ..BASE
    },
    // ---- United Kingdom and Ireland ----
    Profile {
        id: "monzo",
        name: "Monzo",
        header: &["Transaction ID", "Date", "Name", "Amount"],
        date: &["Date"],
        payee: &["Name", "Description"],
        memo: &["Notes and #tags"],
        bank_id: Some("Transaction ID"),
        balance: Some("Balance"),
        currency: Some("Currency"),
        date_order: Some(DayFirst),
        ..BASE
    },
    Profile {
        id: "monzo-2018",
        name: "Monzo (2018 export)",
        header: &["id", "created", "amount", "currency", "local_amount", "local_currency", "description"],
        date: &["created"],
        payee: &["description"],
        memo: &["notes"],
        bank_id: Some("id"),
        currency: Some("currency"),
        date_order: Some(YearFirst),
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
        fixed_currency: Some("GBP"),
        ..BASE
    },
    Profile {
        id: "barclaycard",
        name: "Barclaycard credit card (no header row)",
        // The export has no header: date ("10 Feb 18"), description, card type, cardholder, category,
        // then credit and debit of which one is filled.
        header: &["Date", "Description", "Card", "Cardholder", "Category", "Credit", "Debit"],
        headerless: true,
        date: &["Date"],
        payee: &["Description"],
        memo: &["Category"],
        amount: DebitCredit { debit: "Debit", credit: "Credit" },
        date_order: Some(DayFirst),
        fixed_currency: Some("GBP"),
        ..BASE
    },
    Profile {
        id: "lloyds",
        name: "Lloyds / Halifax / Bank of Scotland / TSB",
        header: &[
            "Transaction Date",
            "Transaction Type",
            "Sort Code",
            "Account Number",
            "Transaction Description",
            "Debit Amount",
            "Credit Amount",
            "Balance",
        ],
        date: &["Transaction Date"],
        payee: &["Transaction Description"],
        memo: &["Transaction Type"],
        amount: DebitCredit { debit: "Debit Amount", credit: "Credit Amount" },
        balance: Some("Balance"),
        date_order: Some(DayFirst),
        fixed_currency: Some("GBP"),
        ..BASE
    },
    Profile {
        id: "nationwide",
        name: "Nationwide current account",
        header: &["Date", "Transaction type", "Description", "Paid out", "Paid in", "Balance"],
        date: &["Date"],
        payee: &["Description"],
        memo: &["Transaction type"],
        amount: DebitCredit { debit: "Paid out", credit: "Paid in" },
        balance: Some("Balance"),
        date_order: Some(DayFirst),
        fixed_currency: Some("GBP"),
        ..BASE
    },
    Profile {
        id: "natwest",
        name: "NatWest / RBS / Ulster Bank",
        header: &["Date", "Type", "Description", "Value", "Balance", "Account Name", "Account Number"],
        date: &["Date"],
        payee: &["Description"],
        memo: &["Type"],
        amount: Signed("Value"),
        balance: Some("Balance"),
        date_order: Some(DayFirst),
        ..BASE
    },
    Profile {
        id: "john-lewis-card",
        name: "John Lewis Partnership Card",
        // The header ends with a comma: the unnamed fourth column says CR on money in.
        header: &["Date Processed", "Description", "Amount", ""],
        date: &["Date Processed"],
        payee: &["Description"],
        // Purchases are written positive; a payment is "+ £1,100.00" with CR in the unnamed last column.
        amount: Indicator { amount: "Amount", indicator: "", out_values: Vec::new(), in_values: Vec::new() },
        directions: (&[""], &["cr"]),
        pending: Some(("Date Processed", &["Pending"])),
        date_order: Some(DayFirst),
        fixed_currency: Some("GBP"),
        ..BASE
    },
    Profile {
        id: "aib",
        name: "AIB (Allied Irish Banks)",
        header: &["Posted Account", "Posted Transactions Date", "Debit Amount", "Credit Amount", "Balance"],
        date: &["Posted Transactions Date"],
        payee: &["Description1", "Description"],
        memo: &["Description2", "Description3"],
        amount: DebitCredit { debit: "Debit Amount", credit: "Credit Amount" },
        balance: Some("Balance"),
        currency: Some("Posted Currency"),
        date_order: Some(DayFirst),
        ..BASE
    },
    Profile {
        id: "revolut",
        name: "Revolut",
        header: &[
            "Type",
            "Product",
            "Started Date",
            "Completed Date",
            "Description",
            "Amount",
            "Fee",
            "Currency",
            "State",
        ],
        date: &["Completed Date", "Started Date"],
        payee: &["Description"],
        memo: &["Type"],
        amount: MinusFee { amount: "Amount", fee: "Fee" },
        balance: Some("Balance"),
        currency: Some("Currency"),
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
        id: "wise",
        name: "Wise (TransferWise) balance statement",
        header: &["TransferWise ID", "Date", "Amount", "Currency", "Description"],
        date: &["Date"],
        payee: &["Merchant", "Payee Name", "Description"],
        payee_in: &["Payer Name"],
        memo: &["Payment Reference"],
        bank_id: Some("TransferWise ID"),
        balance: Some("Running Balance"),
        currency: Some("Currency"),
        date_order: Some(DayFirst),
        ..BASE
    },
    // ---- Germany, Austria, Switzerland ----
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
        id: "n26-legacy-fr",
        name: "N26 (legacy layout, French)",
        header: &[
            "Date",
            "Bénéficiaire",
            "Numéro de compte",
            "Type de transaction",
            "Référence de paiement",
            "Montant (*)",
        ],
        date: &["Date"],
        payee: &["Bénéficiaire"],
        memo: &["Référence de paiement"],
        amount: Signed("Montant (*)"),
        date_order: Some(YearFirst),
        ..BASE
    },
    Profile {
        id: "ing-de",
        name: "ING Germany (ING-DiBa)",
        // Column 2 was "Valuta" and is "Wertstellungsdatum" since 2024; optional columns (Kategorie,
        // Notiz, tags) move the others, so nothing depends on positions.
        header: &["Buchung", "Auftraggeber/Empfänger", "Buchungstext", "Verwendungszweck", "Betrag"],
        date: &["Buchung"],
        payee: &["Auftraggeber/Empfänger"],
        memo: &["Verwendungszweck"],
        amount: Signed("Betrag"),
        balance: Some("Saldo"),
        currency: Some("Währung"),
        date_order: Some(DayFirst),
        decimal: Some(Comma),
        ..BASE
    },
    Profile {
        id: "dkb",
        name: "DKB (2023 layout)",
        header: &["Buchungsdatum", "Wertstellung", "Status", "Verwendungszweck", "Betrag (*)"],
        distinctive: &["Zahlungsempfänger*in", "Zahlungspflichtige*r"],
        date: &["Buchungsdatum"],
        // The other party is the recipient on money out and the payer on money in; the other column
        // holds the account holder's own name.
        payee: &["Zahlungsempfänger*in", "Zahlungspflichtige*r"],
        payee_in: &["Zahlungspflichtige*r"],
        memo: &["Verwendungszweck"],
        amount: Signed("Betrag (*)"),
        pending: Some(("Status", &["Vorgemerkt"])),
        date_order: Some(DayFirst),
        decimal: Some(Comma),
        ..BASE
    },
    Profile {
        id: "dkb-card",
        name: "DKB credit card (2023 layout)",
        header: &["Belegdatum", "Wertstellung", "Status", "Beschreibung", "Umsatztyp", "Betrag (*)"],
        date: &["Belegdatum"],
        payee: &["Beschreibung"],
        memo: &["Umsatztyp"],
        amount: Signed("Betrag (*)"),
        pending: Some(("Status", &["Vorgemerkt"])),
        date_order: Some(DayFirst),
        decimal: Some(Comma),
        ..BASE
    },
    Profile {
        id: "dkb-legacy",
        name: "DKB (legacy layout)",
        header: &[
            "Buchungstag",
            "Wertstellung",
            "Buchungstext",
            "Auftraggeber / Begünstigter",
            "Verwendungszweck",
            "Betrag (*)",
        ],
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
        id: "sparkasse",
        name: "Sparkasse (CSV-CAMT and CSV-MT940)",
        header: &[
            "Auftragskonto",
            "Buchungstag",
            "Valutadatum",
            "Buchungstext",
            "Verwendungszweck",
            "Beguenstigter/Zahlungspflichtiger",
            "Betrag",
            "Waehrung",
        ],
        date: &["Buchungstag"],
        payee: &["Beguenstigter/Zahlungspflichtiger"],
        memo: &["Verwendungszweck", "Buchungstext"],
        currency: Some("Waehrung"),
        pending: Some(("Info", &["Umsatz vorgemerkt"])),
        date_order: Some(DayFirst),
        decimal: Some(Comma),
        amount: Signed("Betrag"),
        ..BASE
    },
    Profile {
        id: "commerzbank",
        name: "Commerzbank",
        // No column names the other party: it is inside Buchungstext.
        header: &["Buchungstag", "Wertstellung", "Umsatzart", "Buchungstext", "Betrag", "Währung"],
        date: &["Buchungstag"],
        payee: &["Buchungstext"],
        memo: &["Umsatzart"],
        currency: Some("Währung"),
        date_order: Some(DayFirst),
        decimal: Some(Comma),
        amount: Signed("Betrag"),
        ..BASE
    },
    Profile {
        id: "deutsche-bank",
        name: "Deutsche Bank / Postbank",
        header: &[
            "Buchungstag",
            "Wert",
            "Umsatzart",
            "Begünstigter / Auftraggeber",
            "Verwendungszweck",
            "Soll",
            "Haben",
        ],
        date: &["Buchungstag"],
        payee: &["Begünstigter / Auftraggeber"],
        memo: &["Verwendungszweck"],
        amount: DebitCredit { debit: "Soll", credit: "Haben" },
        currency: Some("Währung"),
        date_order: Some(DayFirst),
        decimal: Some(Comma),
        skip_payees: &["Kontostand"],
        ..BASE
    },
    Profile {
        id: "comdirect",
        name: "comdirect",
        header: &["Buchungstag", "Wertstellung (Valuta)", "Vorgang", "Buchungstext", "Umsatz in EUR"],
        date: &["Buchungstag"],
        payee: &["Buchungstext"],
        memo: &["Vorgang"],
        amount: Signed("Umsatz in EUR"),
        pending: Some(("Buchungstag", &["offen"])),
        date_order: Some(DayFirst),
        decimal: Some(Comma),
        ..BASE
    },
    Profile {
        id: "volksbank",
        name: "Volksbank / Raiffeisenbank (Atruvia)",
        header: &[
            "Bezeichnung Auftragskonto",
            "IBAN Auftragskonto",
            "Buchungstag",
            "Valutadatum",
            "Name Zahlungsbeteiligter",
            "Verwendungszweck",
            "Betrag",
        ],
        date: &["Buchungstag"],
        payee: &["Name Zahlungsbeteiligter"],
        memo: &["Verwendungszweck", "Buchungstext"],
        balance: Some("Saldo nach Buchung"),
        currency: Some("Waehrung"),
        date_order: Some(DayFirst),
        decimal: Some(Comma),
        amount: Signed("Betrag"),
        ..BASE
    },
    Profile {
        id: "ubs",
        name: "UBS",
        header: &["Abschlussdatum", "Buchungsdatum", "Valutadatum", "Währung", "Belastung", "Gutschrift", "Saldo"],
        date: &["Buchungsdatum", "Abschlussdatum"],
        payee: &["Beschreibung1"],
        memo: &["Beschreibung2", "Beschreibung3"],
        amount: DebitCredit { debit: "Belastung", credit: "Gutschrift" },
        balance: Some("Saldo"),
        currency: Some("Währung"),
        date_order: Some(DayFirst),
        ..BASE
    },
    // ---- Benelux ----
    Profile {
        id: "ing-nl",
        name: "ING Netherlands",
        header: &["Datum", "Naam / Omschrijving", "Rekening", "Tegenrekening", "Code", "Af Bij", "Bedrag (*)"],
        date: &["Datum"],
        payee: &["Naam / Omschrijving"],
        memo: &["Mededelingen"],
        amount: Indicator { amount: "Bedrag (*)", indicator: "Af Bij", out_values: Vec::new(), in_values: Vec::new() },
        balance: Some("Saldo na mutatie"),
        date_order: Some(YearFirst),
        decimal: Some(Comma),
        ..BASE
    },
    Profile {
        id: "ing-nl-en",
        name: "ING Netherlands (English)",
        header: &["Date", "Name / Description", "Account", "Counterparty", "Code", "Debit/credit", "Amount (*)"],
        date: &["Date"],
        payee: &["Name / Description"],
        memo: &["Notifications"],
        amount: Indicator {
            amount: "Amount (*)",
            indicator: "Debit/credit",
            out_values: Vec::new(),
            in_values: Vec::new(),
        },
        balance: Some("Resulting balance"),
        date_order: Some(YearFirst),
        decimal: Some(Comma),
        ..BASE
    },
    Profile {
        id: "rabobank",
        name: "Rabobank",
        header: &["IBAN/BBAN", "Munt", "Volgnr", "Datum", "Rentedatum", "Bedrag", "Saldo na trn", "Naam tegenpartij"],
        date: &["Datum"],
        payee: &["Naam tegenpartij", "Omschrijving-1"],
        memo: &["Omschrijving-1", "Omschrijving-2", "Omschrijving-3"],
        bank_id: Some("Volgnr"),
        balance: Some("Saldo na trn"),
        currency: Some("Munt"),
        date_order: Some(YearFirst),
        decimal: Some(Comma),
        amount: Signed("Bedrag"),
        ..BASE
    },
    Profile {
        id: "abn-amro",
        name: "ABN AMRO (TXT….TAB, no header row)",
        header: &["Account", "Currency", "Date", "Start Balance", "Balance", "Value Date", "Amount", "Description"],
        headerless: true,
        date: &["Date"],
        payee: &["Description"],
        balance: Some("Balance"),
        currency: Some("Currency"),
        date_order: Some(YearFirst),
        decimal: Some(Comma),
        ..BASE
    },
    Profile {
        id: "bunq",
        name: "bunq",
        header: &["Date", "Interest Date", "Amount", "Counterparty", "Name", "Description"],
        date: &["Date"],
        payee: &["Name", "Description"],
        memo: &["Description"],
        date_order: Some(YearFirst),
        decimal: Some(Comma),
        ..BASE
    },
    Profile {
        id: "bunq-2018",
        name: "bunq (2018 export, Dutch)",
        header: &["Datum", "Bedrag", "Rekening", "Tegenrekening", "Naam", "Omschrijving"],
        date: &["Datum"],
        payee: &["Naam", "Omschrijving"],
        memo: &["Omschrijving"],
        date_order: Some(YearFirst),
        decimal: Some(Comma),
        amount: Signed("Bedrag"),
        ..BASE
    },
    Profile {
        id: "knab",
        name: "Knab",
        header: &["Rekeningnummer", "Transactiedatum", "Valutacode", "CreditDebet", "Bedrag", "Tegenrekeninghouder"],
        date: &["Transactiedatum"],
        payee: &["Tegenrekeninghouder", "Omschrijving"],
        memo: &["Omschrijving"],
        amount: Indicator { amount: "Bedrag", indicator: "CreditDebet", out_values: Vec::new(), in_values: Vec::new() },
        currency: Some("Valutacode"),
        date_order: Some(DayFirst),
        decimal: Some(Comma),
        ..BASE
    },
    Profile {
        id: "kbc",
        name: "KBC (Belgium)",
        // "Valuta" is the value date here, not the currency.
        header: &[
            "Rekeningnummer",
            "Rubrieknaam",
            "Naam",
            "Munt",
            "Afschriftnummer",
            "Datum",
            "Omschrijving",
            "Bedrag",
            "Saldo",
        ],
        date: &["Datum"],
        payee: &["Naam tegenpartij", "Omschrijving"],
        memo: &["Vrije mededeling", "Omschrijving"],
        balance: Some("Saldo"),
        currency: Some("Munt"),
        date_order: Some(DayFirst),
        decimal: Some(Comma),
        amount: Signed("Bedrag"),
        ..BASE
    },
    Profile {
        id: "bnp-fortis",
        name: "BNP Paribas Fortis (Belgium)",
        header: &["Volgnummer", "Uitvoeringsdatum", "Valutadatum", "Bedrag", "Valuta rekening"],
        date: &["Uitvoeringsdatum"],
        payee: &["Naam van de tegenpartij", "Tegenpartij van de verrichting", "Details"],
        memo: &["Mededeling", "Details"],
        currency: Some("Valuta rekening"),
        date_order: Some(DayFirst),
        decimal: Some(Comma),
        amount: Signed("Bedrag"),
        ..BASE
    },
    // ---- France, Nordics, Brazil ----
    Profile {
        id: "boursorama",
        name: "Boursorama / BoursoBank",
        header: &["dateOp", "dateVal", "label", "category", "amount"],
        date: &["dateOp"],
        payee: &["supplierFound", "label"],
        memo: &["label", "comment"],
        decimal: Some(Comma),
        fixed_currency: Some("EUR"),
        ..BASE
    },
    Profile {
        id: "nordea-se",
        name: "Nordea (Sweden)",
        header: &["Bokföringsdag", "Belopp", "Avsändare", "Mottagare", "Namn"],
        date: &["Bokföringsdag"],
        payee: &["Namn", "Rubrik", "Ytterligare detaljer"],
        memo: &["Rubrik", "Meddelande"],
        balance: Some("Saldo"),
        currency: Some("Valuta"),
        pending: Some(("Bokföringsdag", &["Reserverat"])),
        date_order: Some(YearFirst),
        decimal: Some(Comma),
        amount: Signed("Belopp"),
        ..BASE
    },
    Profile {
        id: "danske-dk",
        name: "Danske Bank (Denmark)",
        header: &["Dato", "Kategori", "Underkategori", "Tekst", "Beløb", "Saldo", "Status"],
        date: &["Dato"],
        payee: &["Tekst"],
        amount: Signed("Beløb"),
        balance: Some("Saldo"),
        pending: Some(("Status", &["Venter"])),
        date_order: Some(DayFirst),
        decimal: Some(Comma),
        fixed_currency: Some("DKK"),
        ..BASE
    },
    Profile {
        id: "nubank",
        name: "Nubank account (Brazil)",
        header: &["Data", "Valor", "Identificador", "Descrição"],
        date: &["Data"],
        payee: &["Descrição"],
        amount: Signed("Valor"),
        bank_id: Some("Identificador"),
        date_order: Some(DayFirst),
        decimal: Some(DecimalMark::Point),
        fixed_currency: Some("BRL"),
        ..BASE
    },
    // ---- Asia-Pacific ----
    Profile {
        id: "ocbc",
        name: "OCBC (Singapore)",
        header: &["Transaction date", "Description", "Withdrawals (*)", "Deposits (*)"],
        date: &["Transaction date"],
        payee: &["Description"],
        amount: DebitCredit { debit: "Withdrawals (*)", credit: "Deposits (*)" },
        date_order: Some(DayFirst),
        ..BASE
    },
    Profile {
        id: "dbs",
        name: "DBS / POSB (Singapore)",
        header: &["Transaction Date", "Reference", "Debit Amount", "Credit Amount", "Transaction Ref1"],
        date: &["Transaction Date"],
        payee: &["Transaction Ref1"],
        memo: &["Transaction Ref2", "Transaction Ref3", "Reference"],
        amount: DebitCredit { debit: "Debit Amount", credit: "Credit Amount" },
        date_order: Some(DayFirst),
        fixed_currency: Some("SGD"),
        ..BASE
    },
    Profile {
        id: "westpac",
        name: "Westpac (Australia)",
        header: &["Bank Account", "Date", "Narrative", "Debit Amount", "Credit Amount", "Balance"],
        date: &["Date"],
        payee: &["Narrative"],
        amount: DebitCredit { debit: "Debit Amount", credit: "Credit Amount" },
        balance: Some("Balance"),
        date_order: Some(DayFirst),
        fixed_currency: Some("AUD"),
        ..BASE
    },
    Profile {
        id: "nab",
        name: "NAB (Australia)",
        header: &["Date", "Amount", "Account Number", "Transaction Type", "Transaction Details", "Balance"],
        date: &["Date"],
        payee: &["Merchant Name", "Transaction Details"],
        memo: &["Transaction Details"],
        balance: Some("Balance"),
        date_order: Some(DayFirst),
        fixed_currency: Some("AUD"),
        ..BASE
    },
    Profile {
        id: "up-bank",
        name: "Up (Australia)",
        header: &["Time", "Transaction Type", "Payee", "Description", "Total (*)"],
        date: &["Time"],
        payee: &["Payee", "Description"],
        memo: &["Description"],
        amount: Signed("Total (*)"),
        date_order: Some(YearFirst),
        ..BASE
    },
    Profile {
        id: "commbank",
        name: "Commonwealth Bank (Australia, no header row)",
        header: &["Date", "Amount", "Description", "Balance"],
        headerless: true,
        date: &["Date"],
        payee: &["Description"],
        balance: Some("Balance"),
        date_order: Some(DayFirst),
        fixed_currency: Some("AUD"),
        ..BASE
    },
    Profile {
        id: "pc-financial",
        name: "PC Financial Mastercard (Canada)",
        header: &["Merchant Name", "Card Used For Transaction", "Date", "Time", "Amount"],
        date: &["Date"],
        payee: &["Merchant Name"],
        amount: Inverted("Amount"),
        date_order: Some(MonthFirst),
        fixed_currency: Some("CAD"),
        ..BASE
    },
    Profile {
        id: "hdfc",
        name: "HDFC Bank (India)",
        header: &[
            "Date",
            "Narration",
            "Chq./Ref.No.",
            "Value Dt",
            "Withdrawal Amt.",
            "Deposit Amt.",
            "Closing Balance",
        ],
        date: &["Date"],
        payee: &["Narration"],
        memo: &["Chq./Ref.No."],
        amount: DebitCredit { debit: "Withdrawal Amt.", credit: "Deposit Amt." },
        balance: Some("Closing Balance"),
        date_order: Some(DayFirst),
        fixed_currency: Some("INR"),
        ..BASE
    },
    Profile {
        id: "anz-nz",
        name: "ANZ (New Zealand)",
        header: &["Type", "Details", "Particulars", "Code", "Reference", "Amount", "Date"],
        date: &["Date"],
        payee: &["Details"],
        memo: &["Particulars", "Reference"],
        date_order: Some(DayFirst),
        fixed_currency: Some("NZD"),
        ..BASE
    },
];

/// What direction columns write for money out and money in, when a layout does not say otherwise
/// (ING NL "Af"/"Bij", "Debit"/"Credit", Volksbank "S"/"H", Swedbank "D"/"K", Capital One 360, Knab).
const DIRECTIONS_OUT: &[&str] = &["af", "debit", "debet", "d", "dr", "db", "s", "soll", "ausgang", "withdrawal", "-"];
const DIRECTIONS_IN: &[&str] = &["bij", "credit", "c", "cr", "h", "haben", "k", "eingang", "deposit", "+"];

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
    /// How many of the profile's required columns the header row has, if it has all of them and one of
    /// its distinctive ones.
    pub fn score(&self, header: &[String]) -> Option<usize> {
        if self.headerless {
            return None;
        }
        let has_all = self.header.iter().all(|spec| find(header, spec).is_some());
        let distinct = self.distinctive.is_empty() || self.distinctive.iter().any(|spec| find(header, spec).is_some());
        (has_all && distinct).then_some(self.header.len() + usize::from(!self.distinctive.is_empty()))
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
            find(header, spec).ok_or_else(|| {
                Error::invalid(format!("the file has no \"{spec}\" column for the {} layout", self.name))
            })
        };
        let optional = |specs: &[&str]| specs.iter().filter_map(|s| find(header, s)).collect::<Vec<_>>();
        let date = self.date.iter().find_map(|s| find(header, s)).ok_or_else(|| Error::invalid("no date column"))?;
        let mut amount = self.amount.map(|c| required(c))?;
        if let AmountSpec::Indicator { out_values, in_values, .. } = &mut amount {
            let (out, into) =
                if self.directions.0.is_empty() { (DIRECTIONS_OUT, DIRECTIONS_IN) } else { self.directions };
            *out_values = out.iter().map(|s| s.to_string()).collect();
            *in_values = into.iter().map(|s| s.to_string()).collect();
        }
        let currency = match (self.currency, self.fixed_currency) {
            (Some(column), _) => {
                currency_column(header, column, &amount).map_or(CurrencySource::Unstated, CurrencySource::Column)
            }
            (None, Some(code)) => Currency::parse(code)
                .map_or(CurrencySource::Unstated, |c| CurrencySource::Fixed(c, CurrencyFrom::Layout)),
            (None, None) => header_currency(header, &amount),
        };
        Ok(Mapping {
            date,
            payee: optional(self.payee),
            payee_in: optional(self.payee_in),
            memo: optional(self.memo),
            amount,
            bank_id: self.bank_id.and_then(|c| find(header, c)),
            balance: self.balance.and_then(|c| find(header, c)),
            status: self
                .pending
                .and_then(|(c, values)| Some((find(header, c)?, values.iter().map(|v| v.to_lowercase()).collect()))),
            date_order: self.date_order,
            decimal: self.decimal,
            skip_payees: self.skip_payees.iter().map(|s| s.to_lowercase()).collect(),
            currency,
        })
    }
}

/// The column holding each row's currency: the first one named `name` after the amount column (ING-DiBa
/// has "Währung" after its balance and again after its amount), else the first one so named.
fn currency_column(header: &[String], name: &str, amount: &AmountSpec<usize>) -> Option<usize> {
    let after = amount.columns().into_iter().copied().max().unwrap_or(0);
    let matches = |i: &usize| header_matches(name, &header[*i]);
    (after..header.len()).find(matches).or_else(|| (0..header.len()).find(matches))
}

/// The currency the amount columns' headers name ("Amount (GBP)", "Betrag (€)", "Umsatz in EUR").
fn header_currency(header: &[String], amount: &AmountSpec<usize>) -> CurrencySource {
    amount
        .columns()
        .into_iter()
        .find_map(|c| header.get(*c).and_then(|h| Currency::in_header(h)))
        .map_or(CurrencySource::Unstated, |c| CurrencySource::Fixed(c, CurrencyFrom::Header))
}

pub fn profile(id: &str) -> Result<&'static Profile> {
    PROFILES
        .iter()
        .find(|p| p.id == id)
        .ok_or_else(|| Error::invalid(format!("\"{id}\" is not a known format; `credence import formats` lists them")))
}

/// The built-in layout whose header signature fits this row best.
pub fn recognise(header: &[String]) -> Option<&'static Profile> {
    PROFILES.iter().filter_map(|p| Some((p.score(header)?, p))).max_by_key(|(score, _)| *score).map(|(_, p)| p)
}

/// Column words, most specific first, in English, German, Dutch, French, Spanish, Italian, Portuguese
/// and the Nordic languages. A header cell matches a word when the word is the cell or a run of whole
/// words in it ("value" is in "Value date", not in "Valuta").
mod words {
    pub const DATE: &[&str] = &[
        "transaction date",
        "booking date",
        "posting date",
        "posted date",
        "date processed",
        "trans. date",
        "buchungstag",
        "buchungsdatum",
        "buchung",
        "boekdatum",
        "transactiedatum",
        "boekingsdatum",
        "date opération",
        "date d'opération",
        "date operation",
        "date comptable",
        "fecha operación",
        "fecha operacion",
        "fecha",
        "data operazione",
        "data contabile",
        "data lançamento",
        "data movimento",
        "data do lançamento",
        "bokföringsdag",
        "bokföringsdatum",
        "transaktionsdag",
        "bogføringsdato",
        "bokføringsdato",
        "kirjauspäivä",
        "päivämäärä",
        "date",
        "datum",
        "data",
        "dato",
        "posted",
        "time",
        "when",
    ];
    /// A second date that is not the booking date: never the amount, never the main date when a booking
    /// date exists.
    pub const VALUE_DATE: &[&str] = &[
        "value date",
        "valuta",
        "valutadatum",
        "wertstellung",
        "wertstellungsdatum",
        "wert",
        "rentedatum",
        "date valeur",
        "date de valeur",
        "fecha valor",
        "data valuta",
        "data valor",
        "valutadag",
        "valørdato",
        "rentedato",
        "arvopäivä",
        "interest date",
        "clearing date",
        "post date",
        "settled date",
        "processed on",
    ];
    pub const AMOUNT: &[&str] = &[
        "amount",
        "transaction amount",
        "betrag",
        "umsatz",
        "buchungsbetrag",
        "bedrag",
        "montant",
        "importe",
        "cantidad",
        "importo",
        "valor",
        "montante",
        "importância",
        "belopp",
        "beløb",
        "beløp",
        "määrä",
        "summa",
        "value",
        "total",
        "sum",
    ];
    pub const DEBIT: &[&str] = &[
        "debit",
        "debits",
        "debit amount",
        "paid out",
        "money out",
        "withdrawal",
        "withdrawals",
        "withdrawal amount",
        "soll",
        "belastung",
        "lastschrift",
        "débit",
        "debit euros",
        "débit euros",
        "cargo",
        "cargos",
        "debe",
        "uscite",
        "addebiti",
        "dare",
        "débito",
        "saída",
        "uttag",
        "udbetaling",
        "hævning",
        "uttak",
        "ut fra konto",
        "veloitus",
        "out",
        "spent",
        "charge",
        "charges",
    ];
    pub const CREDIT: &[&str] = &[
        "credit",
        "credits",
        "credit amount",
        "paid in",
        "money in",
        "deposit",
        "deposits",
        "deposit amount",
        "haben",
        "gutschrift",
        "crédit",
        "crédit euros",
        "credit euros",
        "abono",
        "abonos",
        "haber",
        "entrate",
        "accrediti",
        "avere",
        "crédito",
        "entrada",
        "insättning",
        "indbetaling",
        "innskudd",
        "inn på konto",
        "pano",
        "hyvitys",
        "in",
        "received",
    ];
    pub const DIRECTION: &[&str] = &[
        "af bij",
        "debit/credit",
        "credit/debit",
        "cr/dr",
        "dr/cr",
        "d/c",
        "c/d",
        "s/h",
        "soll/haben",
        "creditdebet",
        "debet/credit",
        "d/k",
        "sign",
    ];
    pub const PAYEE: &[&str] = &[
        "payee",
        "merchant",
        "merchant name",
        "counter party",
        "counterparty",
        "counterparty name",
        "name",
        "beneficiary",
        "payer",
        "auftraggeber/empfänger",
        "beguenstigter/zahlungspflichtiger",
        "begünstigter / auftraggeber",
        "name zahlungsbeteiligter",
        "empfänger",
        "auftraggeber",
        "zahlungsempfänger",
        "naam tegenpartij",
        "naam",
        "tegenpartij",
        "bénéficiaire",
        "tiers",
        "contrepartie",
        "beneficiario",
        "ordenante",
        "destinatario",
        "ordinante",
        "controparte",
        "beneficiário",
        "favorecido",
        "destinatário",
        "mottagare",
        "namn",
        "modtager",
        "mottaker",
        "saaja",
        "saaja/maksaja",
        "description",
        "transaction description",
        "details",
        "narrative",
        "narration",
        "particulars",
        "libellé",
        "libelle",
        "label",
        "omschrijving",
        "concepto",
        "descripción",
        "descripcion",
        "movimiento",
        "descrizione",
        "causale",
        "descrição",
        "descricao",
        "histórico",
        "beskrivning",
        "text",
        "tekst",
        "rubrik",
        "selitys",
        "buchungstext",
        "title",
        "memo",
    ];
    pub const MEMO: &[&str] = &[
        "verwendungszweck",
        "mededelingen",
        "reference",
        "payment reference",
        "notes",
        "memo",
        "communication",
        "motif",
        "observaciones",
        "meddelande",
        "viesti",
        "omschrijving",
        "description",
        "details",
        "buchungstext",
    ];
    pub const BALANCE: &[&str] = &[
        "running bal",
        "running balance",
        "balance",
        "closing balance",
        "saldo",
        "saldo na mutatie",
        "saldo nach buchung",
        "kontostand",
        "solde",
        "bokfört saldo",
    ];
    pub const CURRENCY: &[&str] = &[
        "currency",
        "währung",
        "waehrung",
        "wkz",
        "devise",
        "monnaie",
        "moneda",
        "divisa",
        "moeda",
        "munt",
        "valutacode",
        "valuuta",
        "valuta",
        "ccy",
        "curr",
    ];
}

/// Whether a header cell is a usual column name in any language (for finding the header row).
pub fn column_word(cell: &str) -> bool {
    !cell.is_empty()
        && [
            words::DATE,
            words::VALUE_DATE,
            words::AMOUNT,
            words::DEBIT,
            words::CREDIT,
            words::PAYEE,
            words::MEMO,
            words::BALANCE,
            words::CURRENCY,
        ]
        .iter()
        .any(|list| list.iter().any(|w| w.len() > 2 && has_words(cell, w)))
}

/// Whether a header cell holds `word` as a run of whole words.
fn has_words(cell: &str, word: &str) -> bool {
    if cell == word {
        return true;
    }
    let mut start = 0;
    while let Some(i) = cell[start..].find(word) {
        let (at, end) = (start + i, start + i + word.len());
        let boundary = |c: Option<char>| c.is_none_or(|c| !c.is_alphanumeric());
        if boundary(cell[..at].chars().next_back()) && boundary(cell[end..].chars().next()) {
            return true;
        }
        start = at + word.chars().next().map_or(1, char::len_utf8);
    }
    false
}

/// What the first rows under a header show, column by column: enough to tell a date column from an
/// amount column from text when the names alone do not.
struct ColumnSamples<'a> {
    rows: &'a [Vec<String>],
}

impl ColumnSamples<'_> {
    fn filled(&self, column: usize) -> impl Iterator<Item = &str> {
        self.rows.iter().filter_map(move |r| r.get(column).map(String::as_str).filter(|c| !c.trim().is_empty()))
    }

    /// Whether `test` holds for at least `tenths`/10 of the filled cells; `None` for a column with no
    /// values.
    fn share(&self, column: usize, tenths: usize, test: impl Fn(&str) -> bool) -> Option<bool> {
        let (mut filled, mut passing) = (0usize, 0usize);
        for cell in self.filled(column) {
            filled += 1;
            passing += usize::from(test(cell));
        }
        (filled > 0).then_some(passing * 10 >= filled * tenths)
    }

    fn dates(&self, column: usize) -> bool {
        self.rows.is_empty()
            || self.share(column, 8, |c| {
                parse_date(c, DateOrder::DayFirst).is_some() || parse_date(c, DateOrder::MonthFirst).is_some()
            }) == Some(true)
    }

    fn amounts(&self, column: usize) -> bool {
        let amount = |c: &str| {
            (parse_amount(c, DecimalMark::Point).is_ok() || parse_amount(c, DecimalMark::Comma).is_ok())
                && parse_date(c, DateOrder::DayFirst).is_none()
                && parse_date(c, DateOrder::MonthFirst).is_none()
        };
        // An empty column may be an amount column (a file's debit side can be blank for a while).
        self.rows.is_empty() || self.share(column, 8, amount) != Some(false)
    }

    fn text(&self, column: usize) -> bool {
        self.rows.is_empty() || self.share(column, 5, |c| c.chars().any(char::is_alphabetic)) == Some(true)
    }

    fn codes(&self, column: usize) -> bool {
        self.share(column, 8, |c| Currency::parse(c).is_some()) == Some(true)
    }

    fn directions(&self, column: usize) -> bool {
        let known = |c: &str| {
            let v = c.trim().to_lowercase();
            DIRECTIONS_OUT.contains(&v.as_str()) || DIRECTIONS_IN.contains(&v.as_str())
        };
        self.share(column, 9, known) == Some(true)
    }

    /// Average letters per filled cell: the payee is the wordiest text column.
    fn letters(&self, column: usize) -> usize {
        let (mut n, mut letters) = (0usize, 0usize);
        for cell in self.filled(column) {
            n += 1;
            letters += cell.chars().filter(|c| c.is_alphabetic()).count();
        }
        letters.checked_div(n).unwrap_or(0)
    }
}

/// Guesses the roles of an unknown header from the usual column words (see `words`), checked against
/// the first rows under it: a date column must hold dates and an amount column amounts. A file with no
/// header row is guessed from its rows alone. `None` unless a date, an amount and a payee column are
/// all found.
pub fn guess(header: &[String], rows: &[Vec<String>]) -> Option<Mapping> {
    if header.is_empty() {
        return guess_headerless(rows);
    }
    let samples = ColumnSamples { rows };
    let columns = header.len();
    let by_words = |list: &[&str], taken: &[usize], fits: &dyn Fn(usize) -> bool| -> Option<usize> {
        list.iter().find_map(|w| (0..columns).find(|i| !taken.contains(i) && has_words(&header[*i], w) && fits(*i)))
    };
    let value_dates: Vec<usize> =
        (0..columns).filter(|i| words::VALUE_DATE.iter().any(|w| has_words(&header[*i], w))).collect();
    let date = by_words(words::DATE, &value_dates, &|i| samples.dates(i))
        .or_else(|| by_words(words::VALUE_DATE, &[], &|i| samples.dates(i)))?;
    let mut taken = value_dates.clone();
    taken.push(date);
    let is_amount = |i: usize| samples.amounts(i);
    let amount = match by_words(words::AMOUNT, &taken, &is_amount) {
        Some(a) => match by_words(words::DIRECTION, &taken, &|i| samples.directions(i)) {
            Some(indicator) => AmountSpec::Indicator {
                amount: a,
                indicator,
                out_values: DIRECTIONS_OUT.iter().map(|s| s.to_string()).collect(),
                in_values: DIRECTIONS_IN.iter().map(|s| s.to_string()).collect(),
            },
            None => AmountSpec::Signed(a),
        },
        None => {
            let debit = by_words(words::DEBIT, &taken, &is_amount)?;
            taken.push(debit);
            let credit = by_words(words::CREDIT, &taken, &is_amount)?;
            AmountSpec::DebitCredit { debit, credit }
        }
    };
    taken.extend(amount.columns().into_iter().copied());
    let balance = by_words(words::BALANCE, &taken, &is_amount);
    taken.extend(balance);
    let currency_col = by_words(words::CURRENCY, &taken, &|i| samples.codes(i));
    taken.extend(currency_col);
    let payee = by_words(words::PAYEE, &taken, &|i| samples.text(i))?;
    taken.push(payee);
    let memo = by_words(words::MEMO, &taken, &|i| samples.text(i));
    let currency = match currency_col {
        Some(c) => CurrencySource::Column(c),
        None => header_currency(header, &amount),
    };
    Some(Mapping {
        date,
        payee: vec![payee],
        payee_in: Vec::new(),
        memo: memo.into_iter().collect(),
        amount,
        bank_id: None,
        balance,
        status: None,
        date_order: None,
        decimal: None,
        skip_payees: Vec::new(),
        currency,
    })
}

/// Roles for a file without a header row, from its rows: the first column of dates, the wordiest text
/// column as payee, and one or two amount columns. Of two, the amount is the one under which the other
/// runs as a balance (CommBank: date, amount, text, balance; Suncorp: date, text, amount, balance).
fn guess_headerless(rows: &[Vec<String>]) -> Option<Mapping> {
    let samples = ColumnSamples { rows };
    let columns = rows.iter().map(Vec::len).max()?;
    let is_date =
        |c: &str| parse_date(c, DateOrder::DayFirst).is_some() || parse_date(c, DateOrder::MonthFirst).is_some();
    let date = (0..columns).find(|i| samples.share(*i, 9, is_date) == Some(true))?;
    let numbers: Vec<usize> = (0..columns)
        .filter(|i| {
            *i != date
                && samples.share(*i, 9, |c| c.chars().any(|ch| ch.is_ascii_digit())) == Some(true)
                && samples.amounts(*i)
        })
        .collect();
    let payee = (0..columns)
        .filter(|i| *i != date && !numbers.contains(i) && samples.text(*i))
        .max_by_key(|i| samples.letters(*i))?;
    let (amount, balance) = match numbers.as_slice() {
        [a] => (*a, None),
        [a, b, ..] => {
            if balance_fits(rows, *b, *a) >= balance_fits(rows, *a, *b) {
                (*a, Some(*b))
            } else {
                (*b, Some(*a))
            }
        }
        [] => return None,
    };
    Some(Mapping {
        date,
        payee: vec![payee],
        payee_in: Vec::new(),
        memo: Vec::new(),
        amount: AmountSpec::Signed(amount),
        bank_id: None,
        balance,
        status: None,
        date_order: None,
        decimal: None,
        skip_payees: Vec::new(),
        currency: CurrencySource::Unstated,
    })
}

/// How many neighbouring rows the `balance` column follows `amount` (either direction, either sign).
fn balance_fits(rows: &[Vec<String>], balance: usize, amount: usize) -> usize {
    let read = |row: &Vec<String>, i: usize| {
        let cell = row.get(i)?;
        parse_amount(cell, DecimalMark::Point)
            .ok()
            .flatten()
            .or_else(|| parse_amount(cell, DecimalMark::Comma).ok().flatten())
    };
    rows.windows(2)
        .filter(|pair| {
            let (Some(a0), Some(b0), Some(a1), Some(b1)) =
                (read(&pair[0], amount), read(&pair[0], balance), read(&pair[1], amount), read(&pair[1], balance))
            else {
                return false;
            };
            b0 + a1 == b1 || b1 + a0 == b0 || b0 - a1 == b1 || b1 - a0 == b0
        })
        .count()
}

/// A mapping the user writes: `date=Posting Date,amount=Amount,payee=Description` with columns by
/// header name or 1-based number; keys date, payee, memo, amount, debit, credit, balance, id, currency
/// (a column, or a code such as EUR), plus `sign=inverted`, `dates=` any pattern such as DD.MM.YY or
/// MM/DD/YYYY, and `decimal=comma|point`.
pub fn parse_mapping(spec: &str, header: &[String]) -> Result<Mapping> {
    let column = |name: &str| -> Result<usize> {
        let name = name.trim();
        if let Ok(n) = name.parse::<usize>() {
            return (n >= 1 && (header.is_empty() || n <= header.len()))
                .then(|| n - 1)
                .ok_or_else(|| Error::invalid(format!("there is no column {n}")));
        }
        find(header, &normalize_header(name))
            .ok_or_else(|| Error::invalid(format!("the file has no column named \"{name}\"")))
    };
    let mut date = None;
    let mut payee = Vec::new();
    let mut memo = Vec::new();
    let (mut amount, mut debit, mut credit, mut balance, mut bank_id) = (None, None, None, None, None);
    let mut inverted = false;
    let mut date_order = None;
    let mut decimal = None;
    let mut currency = CurrencySource::Unstated;
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
            "currency" => {
                currency = match Currency::parse(value).filter(|_| column(value).is_err()) {
                    Some(code) => CurrencySource::Fixed(code, CurrencyFrom::Given),
                    None => CurrencySource::Column(column(value)?),
                }
            }
            "sign" => {
                inverted = match value.trim().to_lowercase().as_str() {
                    "inverted" | "invert" | "flipped" => true,
                    "normal" | "signed" => false,
                    other => return Err(Error::invalid(format!("\"{other}\" is not a sign (normal or inverted)"))),
                }
            }
            "dates" => {
                date_order = Some(DateOrder::from_pattern(value).ok_or_else(|| {
                    Error::invalid(format!("\"{}\" is not a date pattern (such as DD/MM/YYYY, MM/DD/YYYY, YYYY-MM-DD or DD.MM.YY)", value.trim()))
                })?)
            }
            "decimal" => {
                decimal = Some(match value.trim().to_lowercase().as_str() {
                    "comma" | "," => Comma,
                    "point" | "dot" | "." => DecimalMark::Point,
                    other => return Err(Error::invalid(format!("\"{other}\" is not a decimal mark (comma or point)"))),
                })
            }
            other => return Err(Error::invalid(format!("\"{other}\" is not a mapping key (date, payee, memo, amount, debit, credit, balance, id, currency, sign, dates, decimal)"))),
        }
    }
    let amount = match (amount, debit, credit) {
        (Some(a), None, None) if inverted => AmountSpec::Inverted(a),
        (Some(a), None, None) => AmountSpec::Signed(a),
        (None, Some(debit), Some(credit)) => AmountSpec::DebitCredit { debit, credit },
        _ => return Err(Error::invalid("the mapping needs amount=COLUMN, or both debit=COLUMN and credit=COLUMN")),
    };
    if currency == CurrencySource::Unstated && !header.is_empty() {
        currency = header_currency(header, &amount);
    }
    Ok(Mapping {
        date: date.ok_or_else(|| Error::invalid("the mapping needs date=COLUMN"))?,
        payee: if payee.is_empty() { return Err(Error::invalid("the mapping needs payee=COLUMN")) } else { payee },
        payee_in: Vec::new(),
        memo,
        amount,
        bank_id,
        balance,
        status: None,
        date_order,
        decimal,
        skip_payees: Vec::new(),
        currency,
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
            let h: Vec<String> = p
                .header
                .iter()
                .chain(p.distinctive.first())
                .map(|c| normalize_header(&c.replace("(*)", "(EUR)")))
                .collect();
            let found = recognise(&h).expect("recognised");
            assert_eq!(found.id, p.id, "{} is recognised as itself", p.id);
            p.mapping(&h).expect("mapping");
        }
    }

    #[test]
    fn the_more_specific_layout_wins() {
        let amex = header(&["Date", "Description", "Card Member", "Account #", "Amount"]);
        assert_eq!(recognise(&amex).map(|p| p.id), Some("amex"));
        let uk = header(&["Date", "Description", "Amount", "Extended Details", "Town/City", "Postcode"]);
        assert_eq!(recognise(&uk).map(|p| p.id), Some("amex-uk"));
        let bofa = header(&["Date", "Description", "Amount", "Running Bal."]);
        assert_eq!(recognise(&bofa).map(|p| p.id), Some("bofa-checking"));
    }

    #[test]
    fn an_unknown_header_gets_a_guess_or_none() {
        let m = guess(&header(&["When", "Booking Date", "Merchant Name", "Amount", "Notes"]), &[]).expect("guess");
        assert_eq!(
            (m.date, m.payee.clone(), m.amount.clone(), m.memo.clone()),
            (1, vec![2], AmountSpec::Signed(3), vec![4])
        );
        let dc = guess(&header(&["Date", "Details", "Money Out", "Money In", "Balance"]), &[]).expect("debit/credit");
        assert_eq!(dc.amount, AmountSpec::DebitCredit { debit: 2, credit: 3 });
        assert_eq!(dc.balance, Some(4));
        assert!(guess(&header(&["a", "b", "c"]), &[]).is_none());
    }

    fn rows(rows: &[&[&str]]) -> Vec<Vec<String>> {
        rows.iter().map(|r| r.iter().map(|c| c.to_string()).collect()).collect()
    }

    #[test]
    fn a_value_date_is_never_the_amount_and_the_samples_decide() {
        // OCBC-like: "Value date" second, amounts in withdrawal and deposit columns.
        let h = header(&["Transaction date", "Value date", "Description", "Withdrawals", "Deposits"]);
        let m = guess(
            &h,
            &rows(&[
                &["18/04/2018", "18/04/2018", "DEBIT PURCHASE", "6.66", ""],
                &["02/04/2018", "02/04/2018", "SALARY", "", "3500.00"],
            ]),
        )
        .expect("guess");
        assert_eq!(
            (m.date, m.amount.clone(), m.payee.clone()),
            (0, AmountSpec::DebitCredit { debit: 3, credit: 4 }, vec![2])
        );
        // A column called "Amount" that holds text is not the amount.
        let h = header(&["Date", "Amount", "Value", "Name"]);
        let m = guess(&h, &rows(&[&["2024-01-02", "n/a", "-3.50", "Cafe"]])).expect("guess");
        assert_eq!(m.amount, AmountSpec::Signed(2));
    }

    #[test]
    fn column_words_in_many_languages() {
        /// A header, one row under it, and the (date, amount) columns it must give.
        type Case<'a> = (&'a [&'a str], &'a [&'a str], (usize, usize));
        let cases: &[Case] = &[
            (
                &["Buchungstag", "Valuta", "Auftraggeber/Empfänger", "Verwendungszweck", "Betrag"],
                &["02.01.2024", "03.01.2024", "REWE", "Einkauf", "-12,30"],
                (0, 4),
            ),
            (&["Date d'opération", "Libellé", "Montant"], &["02/01/2024", "CARREFOUR", "-12,30"], (0, 2)),
            (&["Fecha", "Concepto", "Importe", "Saldo"], &["02/01/2024", "MERCADONA", "-12,30", "100,00"], (0, 2)),
            (&["Data", "Descrizione", "Importo"], &["02/01/2024", "ESSELUNGA", "-12,30"], (0, 2)),
            (&["Data", "Descrição", "Valor"], &["02/01/2024", "PADARIA", "-12.30"], (0, 2)),
            (&["Bokföringsdag", "Text", "Belopp", "Saldo"], &["2024-01-02", "ICA", "-12,30", "100,00"], (0, 2)),
            (&["Dato", "Tekst", "Beløb"], &["02.01.2024", "NETTO", "-12,30"], (0, 2)),
            (&["Kirjauspäivä", "Selitys", "Määrä"], &["02.01.2024", "K-MARKET", "-12,30"], (0, 2)),
            (&["Datum", "Omschrijving", "Bedrag"], &["02-01-2024", "ALBERT HEIJN", "-12,30"], (0, 2)),
        ];
        for (h, row, (date, amount)) in cases {
            let m = guess(&header(h), &rows(&[row])).unwrap_or_else(|| panic!("no guess for {h:?}"));
            assert_eq!((m.date, m.amount.clone()), (*date, AmountSpec::Signed(*amount)), "{h:?}");
        }
        let debit_credit =
            guess(&header(&["Fecha", "Concepto", "Cargo", "Abono"]), &rows(&[&["02/01/2024", "X", "12,30", ""]]))
                .expect("guess");
        assert_eq!(debit_credit.amount, AmountSpec::DebitCredit { debit: 2, credit: 3 });
        let soll_haben = guess(&header(&["Buchungstag", "Text", "Soll", "Haben"]), &[]).expect("guess");
        assert_eq!(soll_haben.amount, AmountSpec::DebitCredit { debit: 2, credit: 3 });
    }

    #[test]
    fn a_file_without_a_header_is_guessed_from_its_rows() {
        // CommBank-like: date, amount, text, balance; the balance is told from the amount by following it.
        let m = guess(
            &[],
            &rows(&[
                &["31/12/2025", "-17.99", "CHEMIST WAREHOUSE", "5189.04"],
                &["30/12/2025", "210.00", "TRANSFER FROM J CITIZEN", "5207.03"],
                &["29/12/2025", "-50.00", "WOOLWORTHS", "4997.03"],
            ]),
        )
        .expect("guess");
        assert_eq!(
            (m.date, m.amount.clone(), m.payee.clone(), m.balance),
            (0, AmountSpec::Signed(1), vec![2], Some(3))
        );
    }

    /// docs/import.md lists every layout with what recognises it.
    #[test]
    fn every_layout_is_documented() {
        let doc = include_str!(concat!(env!("CARGO_MANIFEST_DIR"), "/../docs/import.md"));
        for p in PROFILES {
            assert!(doc.contains(&format!("| `{}` |", p.id)), "docs/import.md has no row for {}", p.id);
        }
    }

    /// A layout must be told apart by something: a header of only the words every bank uses (Date,
    /// Description, Amount) is any bank's, and taking it as one of them flips signs silently.
    #[test]
    fn every_layout_is_recognised_by_something_distinctive() {
        const COMMON: &[&str] = &[
            "date",
            "description",
            "amount",
            "balance",
            "debit",
            "credit",
            "payee",
            "memo",
            "name",
            "type",
            "category",
            "reference",
            "details",
            "datum",
            "betrag",
            "currency",
            "status",
            "notes",
            "value date",
            "transaction date",
            "",
        ];
        for p in PROFILES.iter().filter(|p| !p.headerless) {
            // Five or more columns in one combination are a signature too (Citi: Status, Date, Description,
            // Debit, Credit).
            let distinctive = p.header.len() >= 5
                || p.header.iter().chain(p.distinctive).any(|h| !COMMON.contains(&normalize_header(h).as_str()));
            assert!(distinctive, "{} is recognised by common words only", p.id);
        }
        assert!(recognise(&header(&["Date", "Description", "Amount"])).is_none(), "a bare header is not Amex");
        assert!(recognise(&header(&["Date", "Description", "Amount", "Balance"])).is_none());
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
