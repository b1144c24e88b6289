//! From a file to uniform raw rows: which source (CSV layout, OFX, CAMT.053), which mapping, and the
//! column-wide decisions (date order, decimal mark, sign) — each proven by the file, taken from a
//! recognised layout, given by the user, or guessed (`evidence.rs`). A file whose rows prove an assumed
//! decision wrong is read again with what they prove.

use std::io::Read;
use std::path::{Path, PathBuf};

use chrono::NaiveDate;
use rust_decimal::Decimal;

use super::camt;
use super::evidence::{Aspect, Basis, CurrencyTally, Decision, SignChecks};
use super::ofx::{self, OfxTransaction};
use super::profiles::{self, AmountSpec, CurrencyFrom, CurrencySource, Mapping, Profile, BALANCE_LINES};
use super::table::{read_error, Layout, Row};
use super::text::TextEncoding;
use super::values::{parse_amount, parse_date, AmountColumn, Currency, DateColumn, DateOrder, DecimalMark, Settlement};
use super::ImportOptions;
use crate::error::{Error, Result};

/// A row as read, before any vault decision. A field that could not be read holds the reason.
#[derive(Debug, Clone)]
pub struct RawRow {
    pub line: u64,
    pub date: std::result::Result<NaiveDate, String>,
    pub amount: std::result::Result<Decimal, String>,
    pub payee: String,
    pub memo: String,
    pub bank_id: Option<String>,
    pub balance: Option<Decimal>,
    /// The currency the file says this row is in; `None` when it does not say.
    pub currency: Option<Currency>,
    /// Why this row is not a transaction at all (a pending row, a balance line, a short row).
    pub skip: Option<String>,
}

enum Kind {
    Csv(Box<CsvSource>),
    Ofx(Vec<OfxTransaction>),
    /// Rows read whole up front (CAMT.053).
    Read(Vec<RawRow>),
}

/// How a CSV file's mapping came about.
#[derive(Debug, Clone, Copy)]
enum Origin {
    /// The header (or the rows' shape) proves a built-in layout.
    Recognised(&'static Profile),
    /// `--format`.
    Forced(&'static Profile),
    /// `--map`, or a mapping saved for this header.
    Mapping { saved: bool },
    /// Column words and the first rows.
    Guessed,
}

struct CsvSource {
    layout: Layout,
    mapping: Mapping,
    origin: Origin,
    order: DateOrder,
    decimal: DecimalMark,
    /// The amounts are read with their sign turned round (the rows proved or suggested it).
    flip: Option<String>,
    /// What a first pass over the rows showed (files with nothing to go on for dates and decimals).
    first_pass: Option<Columns>,
}

/// What a file's date and amount columns show, value by value.
#[derive(Debug, Default, Clone)]
pub struct Columns {
    dates: DateColumn,
    amounts: AmountColumn,
}

impl Columns {
    fn observe(&mut self, row: &Row, mapping: &Mapping) {
        if let Some(d) = row.cells.get(mapping.date) {
            self.dates.observe(row.line, d);
        }
        for c in mapping.amount.columns() {
            if let Some(a) = row.cells.get(*c).filter(|a| !a.is_empty()) {
                self.amounts.observe(row.line, a);
            }
        }
    }
}

/// What an attempt at an import showed about the file once every row was read.
#[derive(Debug, Default)]
pub struct Evidence {
    pub columns: Option<Columns>,
    pub chain: BalanceChain,
    pub signs: SignChecks,
    pub currencies: CurrencyTally,
}

/// What to read differently on a second attempt, because the rows proved (or, for a guess, suggested)
/// it, and what to tell the user about it.
#[derive(Debug, Clone)]
pub struct Settled {
    order: DateOrder,
    decimal: DecimalMark,
    flip: Option<String>,
    warnings: Vec<String>,
}

/// After an attempt: read again, or the final word on the file.
pub enum Verdict {
    Retry(Settled),
    Final(Findings),
}

/// The five decisions and any sanity check the rows failed.
#[derive(Debug, Default)]
pub struct Findings {
    pub decisions: Vec<Decision>,
    pub doubts: Vec<String>,
}

/// About how many rows a file has, from the size of its first ones: for the progress bar and for
/// sizing the duplicate set, where an estimate is enough.
fn estimate_rows(path: &Path, layout: &Layout) -> Result<u64> {
    let size = std::fs::metadata(path).map_err(Error::io(path))?.len();
    let mut records = layout.records(path)?;
    let mut row = Row { line: 0, cells: Vec::new() };
    let (mut rows, mut bytes) = (0u64, 0u64);
    while rows < 200 && records.read_into(&mut row).map_err(read_error)? {
        rows += 1;
        bytes += row.cells.iter().map(|c| c.len() as u64 + 1).sum::<u64>() + 2;
    }
    Ok(bytes.checked_div(rows).map_or(0, |per_row| size / per_row.max(1)))
}

/// An opened statement: what it is and how to read it.
pub struct Source {
    path: PathBuf,
    kind: Kind,
    pub format: String,
    pub encoding: String,
    pub warnings: Vec<String>,
    pub total_rows: u64,
    /// The normalized header row, under which a user's mapping is saved.
    pub header_key: Option<String>,
}

/// The most of a header shown in a message: a binary or one-line 50 MB file must not fill a screen.
fn shown_header(header: &[String]) -> String {
    const MAX: usize = 160;
    let text: String = header.join(", ").chars().map(|c| if c.is_control() { '?' } else { c }).collect();
    match text.char_indices().nth(MAX) {
        Some((cut, _)) => format!("{}…", &text[..cut]),
        None => text,
    }
}

impl Source {
    pub fn open(path: &Path, options: &ImportOptions, saved: &[(String, String)]) -> Result<Source> {
        if !path.is_file() {
            return Err(Error::invalid(format!("{} is not a file", path.display())));
        }
        let encoding = match &options.encoding {
            Some(label) => TextEncoding::by_label(label)?,
            None => TextEncoding::detect(path)?,
        };
        let mut head = String::new();
        let _ = encoding.open(path)?.take(4096).read_to_string(&mut head);
        if head.contains('\0')
            || head.chars().filter(|c| c.is_control() && !c.is_whitespace()).count() * 20 > head.chars().count().max(1)
        {
            return Err(Error::invalid(format!(
                "{} is not a text file (it looks like binary data); export the statement as CSV, OFX or CAMT.053",
                path.display()
            )));
        }
        let forced = options.format.as_deref().filter(|f| *f != "auto");
        if ofx::looks_like_ofx(&head) || forced == Some("ofx") {
            return Self::open_ofx(path, encoding);
        }
        if camt::looks_like_camt(&head) || forced == Some("camt053") {
            return Self::open_camt(path, encoding);
        }
        let layout = Layout::detect(path, encoding)?;
        let header_key = (!layout.header.is_empty()).then(|| layout.header.join("|"));
        let (format, mapping, origin) = if let Some(spec) = &options.mapping {
            ("mapping".to_string(), profiles::parse_mapping(spec, &layout.header)?, Origin::Mapping { saved: false })
        } else if let Some(id) = forced {
            let p = profiles::profile(id)?;
            (p.id.to_string(), p.mapping(&layout.header)?, Origin::Forced(p))
        } else if let Some((_, spec)) = saved.iter().find(|(h, _)| Some(h) == header_key.as_ref()) {
            (
                "mapping (saved)".to_string(),
                profiles::parse_mapping(spec, &layout.header)?,
                Origin::Mapping { saved: true },
            )
        } else if let Some(p) = layout.profile {
            (p.id.to_string(), p.mapping(&layout.header)?, Origin::Recognised(p))
        } else if let Some(m) = profiles::guess(&layout.header, &layout.samples) {
            ("guessed".to_string(), m, Origin::Guessed)
        } else {
            let shown = if layout.header.is_empty() {
                "no header row".to_string()
            } else {
                format!("header: {}", shown_header(&layout.header))
            };
            return Err(Error::invalid(format!(
                "Credence does not recognise this file's layout ({shown}); name its columns in a mapping such as \
                 \"date=1,amount=4,payee=3\" (--map on the command line, \"Column mapping\" in the app)"
            )));
        };
        let (format, encoding_name) = (format, encoding.name().to_string());
        if mapping.date_order.is_some() {
            // The layout (or the user) knows the date order: read once, watching the columns, and check
            // at the end (`verdict`); a file that proves otherwise is read again with what it proved.
            let total_rows = estimate_rows(path, &layout)?;
            let (order, decimal) =
                (mapping.date_order.unwrap_or(DateOrder::MonthFirst), mapping.decimal.unwrap_or(DecimalMark::Point));
            let csv = CsvSource { layout, mapping, origin, order, decimal, flip: None, first_pass: None };
            return Ok(Source {
                path: path.to_owned(),
                kind: Kind::Csv(Box::new(csv)),
                format,
                encoding: encoding_name,
                warnings: Vec::new(),
                total_rows,
                header_key,
            });
        }
        // Nothing to go on: a first pass settles the date order and decimal mark from every value.
        let mut columns = Columns::default();
        let mut total = 0u64;
        let mut records = layout.records(path)?;
        let mut row = Row { line: 0, cells: Vec::new() };
        while records.read_into(&mut row).map_err(read_error)? {
            total += 1;
            columns.observe(&row, &mapping);
        }
        let order = columns.dates.settlement(None).value();
        let decimal = columns.amounts.settlement(mapping.decimal).value();
        let csv = CsvSource { layout, mapping, origin, order, decimal, flip: None, first_pass: Some(columns) };
        Ok(Source {
            path: path.to_owned(),
            kind: Kind::Csv(Box::new(csv)),
            format,
            encoding: encoding_name,
            warnings: Vec::new(),
            total_rows: total,
            header_key,
        })
    }

    /// The file's name, for the import's summary.
    pub fn file_name(&self) -> String {
        self.path.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default()
    }

    /// Whether the rows' date and amount values must be watched as they are read: a CSV file whose
    /// first pass has not already seen them all.
    pub fn watches_columns(&self) -> bool {
        matches!(&self.kind, Kind::Csv(csv) if csv.first_pass.is_none())
    }

    /// This source, read as `settled` says.
    pub fn with_settled(self, settled: Settled) -> Source {
        let Source { path, kind, format, encoding, mut warnings, total_rows, header_key } = self;
        let kind = match kind {
            Kind::Csv(mut csv) => {
                csv.order = settled.order;
                csv.decimal = settled.decimal;
                csv.flip = settled.flip;
                Kind::Csv(csv)
            }
            other => other,
        };
        warnings.extend(settled.warnings);
        Source { path, kind, format, encoding, warnings, total_rows, header_key }
    }

    /// What the rows showed, judged: read again (`may_retry` and an assumption proved wrong), or the
    /// five decisions with their basis and the sanity checks the rows failed.
    pub fn verdict(&self, evidence: &Evidence, credit: bool, account_currency: &str, may_retry: bool) -> Verdict {
        let mut findings = Findings::default();
        let sign = match &self.kind {
            Kind::Csv(csv) => match csv.verdict(evidence, credit, may_retry, &mut findings) {
                Ok(()) => None,
                Err(settled) => return Verdict::Retry(settled),
            },
            Kind::Ofx(_) => Some((
                "OFX",
                Decision::new(
                    Aspect::Sign,
                    "money out negative",
                    Basis::Layout,
                    "the OFX standard signs amounts (TRNAMT) from the account holder's side",
                ),
            )),
            Kind::Read(_) => Some((
                "ISO 20022 CAMT.053",
                Decision::new(
                    Aspect::Sign,
                    "money out negative",
                    Basis::Proven,
                    "every entry says CRDT (money in) or DBIT (money out)",
                ),
            )),
        };
        if let Some((standard, sign)) = sign {
            findings.decisions.push(Decision::new(
                Aspect::Layout,
                format!("{standard} statement"),
                Basis::Proven,
                format!("the file is an {standard} statement"),
            ));
            findings.decisions.push(Decision::new(
                Aspect::DateOrder,
                DateOrder::YearFirst.as_str(),
                Basis::Proven,
                format!("{standard} writes dates year first"),
            ));
            findings.decisions.push(Decision::new(
                Aspect::DecimalMark,
                "point",
                Basis::Proven,
                format!("{standard} amounts use a decimal point"),
            ));
            findings.decisions.push(sign);
            if let Some(why) = evidence.signs.contradiction(credit) {
                findings.doubts.push(format!("the signs may be the wrong way round ({why})"));
            }
        }
        let stated = match &self.kind {
            Kind::Csv(csv) => match &csv.mapping.currency {
                CurrencySource::Column(c) => Some((Basis::Proven, format!("the \"{}\" column", csv.header_name(*c)))),
                CurrencySource::Fixed(code, CurrencyFrom::Header) => {
                    Some((Basis::Proven, format!("the amount column's header names {code}")))
                }
                CurrencySource::Fixed(code, CurrencyFrom::Layout) => {
                    Some((Basis::Layout, format!("{} exports are in {code}", csv.layout_name())))
                }
                CurrencySource::Fixed(_, CurrencyFrom::Given) => Some((Basis::Given, "your mapping".to_string())),
                CurrencySource::Unstated => None,
            },
            Kind::Ofx(_) => {
                Some((Basis::Proven, "the statement's CURDEF (and each transaction's CURRENCY)".to_string()))
            }
            Kind::Read(_) => Some((Basis::Proven, "the Ccy of every amount".to_string())),
        };
        findings.decisions.push(currency_decision(&evidence.currencies, stated, account_currency));
        Verdict::Final(findings)
    }

    fn open_ofx(path: &Path, encoding: TextEncoding) -> Result<Source> {
        let transactions = ofx::transactions(&read_whole(path, encoding)?);
        if transactions.is_empty() {
            return Err(Error::invalid(format!("{} is an OFX file with no transactions (no STMTTRN)", path.display())));
        }
        Ok(Self::statement(path, encoding, "ofx", transactions.len(), Kind::Ofx(transactions)))
    }

    fn open_camt(path: &Path, encoding: TextEncoding) -> Result<Source> {
        let rows = camt::rows(&read_whole(path, encoding)?)
            .map_err(|why| Error::invalid(format!("{} is not a readable CAMT.053 statement: {why}", path.display())))?;
        if rows.is_empty() {
            return Err(Error::invalid(format!(
                "{} is a CAMT.053 statement with no entries (no Ntry)",
                path.display()
            )));
        }
        Ok(Self::statement(path, encoding, "camt053", rows.len(), Kind::Read(rows)))
    }

    /// A source read whole up front (OFX, CAMT): no header, nothing to settle.
    fn statement(path: &Path, encoding: TextEncoding, format: &str, rows: usize, kind: Kind) -> Source {
        Source {
            path: path.to_owned(),
            total_rows: rows as u64,
            kind,
            format: format.into(),
            encoding: encoding.name().to_string(),
            warnings: Vec::new(),
            header_key: None,
        }
    }

    /// The rows, in file order.
    pub fn rows(&self) -> Result<Box<dyn Iterator<Item = Result<RawRow>> + Send + '_>> {
        self.rows_observing(None)
    }

    /// The rows, in file order, each shown to `columns` (when given) before it is mapped. A CSV row with
    /// no date and no amount but some text continues the row before it (OCBC writes a transaction's
    /// second line so): its text joins that row's memo. Rows of empty cells are not rows.
    pub fn rows_observing<'a>(
        &'a self,
        mut columns: Option<&'a mut Columns>,
    ) -> Result<Box<dyn Iterator<Item = Result<RawRow>> + Send + 'a>> {
        match &self.kind {
            Kind::Csv(csv) => {
                let mut records = csv.layout.records(&self.path)?;
                let mut row = Row { line: 0, cells: Vec::new() };
                let mut held: Option<RawRow> = None;
                Ok(Box::new(std::iter::from_fn(move || loop {
                    match records.read_into(&mut row) {
                        Ok(true) => {
                            if row.cells.iter().all(|c| c.is_empty()) {
                                continue;
                            }
                            if let (Some(previous), true) = (held.as_mut(), csv.continues(&row)) {
                                let text: Vec<&str> =
                                    row.cells.iter().map(|c| c.trim()).filter(|c| !c.is_empty()).collect();
                                let text = one_line(&text.join(" "));
                                previous.memo =
                                    if previous.memo.is_empty() { text } else { format!("{} / {text}", previous.memo) };
                                continue;
                            }
                            if let Some(c) = columns.as_deref_mut() {
                                c.observe(&row, &csv.mapping);
                            }
                            let next = csv.row(&row);
                            if let Some(previous) = held.replace(next) {
                                return Some(Ok(previous));
                            }
                        }
                        Ok(false) => return held.take().map(Ok),
                        Err(e) => return Some(Err(read_error(e))),
                    }
                })))
            }
            Kind::Ofx(transactions) => Ok(Box::new(transactions.iter().map(|t| Ok(ofx_row(t))))),
            Kind::Read(rows) => Ok(Box::new(rows.iter().cloned().map(Ok))),
        }
    }
}

/// The currency decision: where the file states it, which it holds; else the account's.
fn currency_decision(tally: &CurrencyTally, stated: Option<(Basis, String)>, account_currency: &str) -> Decision {
    match stated {
        Some((basis, how)) if tally.stated() => {
            let choice = if tally.matching > 0 {
                account_currency.to_string()
            } else {
                tally.others.first().map(|(c, _)| c.clone()).unwrap_or_default()
            };
            let others = if tally.others.is_empty() || tally.matching == 0 {
                String::new()
            } else {
                format!("; rows in {} are set aside", tally.describe_others())
            };
            Decision::new(Aspect::Currency, choice, basis, format!("{how}{others}"))
        }
        _ => Decision::new(
            Aspect::Currency,
            account_currency,
            Basis::Unstated,
            format!("the file does not say; taken as the account's {account_currency}"),
        ),
    }
}

impl CsvSource {
    fn header_name(&self, column: usize) -> String {
        self.layout.header.get(column).cloned().unwrap_or_else(|| format!("column {}", column + 1))
    }

    fn layout_name(&self) -> &'static str {
        match self.origin {
            Origin::Recognised(p) | Origin::Forced(p) => p.name,
            Origin::Mapping { .. } | Origin::Guessed => "this bank",
        }
    }

    fn user_mapping(&self) -> bool {
        matches!(self.origin, Origin::Mapping { .. })
    }

    /// Whether a row only continues the one before it: no date, no amount, some text.
    fn continues(&self, row: &Row) -> bool {
        let empty = |i: &usize| row.cells.get(*i).is_none_or(|c| c.trim().is_empty());
        empty(&self.mapping.date)
            && self.mapping.amount.columns().into_iter().all(empty)
            && row.cells.iter().any(|c| c.chars().any(char::is_alphabetic))
    }

    fn row(&self, row: &Row) -> RawRow {
        let mut raw = csv_row(row, &self.mapping, self.order, self.decimal);
        if self.flip.is_some() {
            raw.amount = raw.amount.map(|a| -a);
        }
        raw
    }

    /// Judges this file's decisions from what the rows showed; `Err` asks for another reading.
    fn verdict(
        &self,
        evidence: &Evidence,
        credit: bool,
        may_retry: bool,
        findings: &mut Findings,
    ) -> std::result::Result<(), Settled> {
        let columns = evidence.columns.as_ref().or(self.first_pass.as_ref()).cloned().unwrap_or_default();
        let m = &self.mapping;
        let mut retry =
            Settled { order: self.order, decimal: self.decimal, flip: self.flip.clone(), warnings: Vec::new() };

        // Dates.
        let dates = if self.user_mapping() && m.date_order.is_some() {
            Decision::new(Aspect::DateOrder, self.order.as_str(), Basis::Given, "your mapping")
        } else {
            match columns.dates.settlement(m.date_order) {
                Settlement::Proven(order, why) => {
                    if order != self.order {
                        retry.order = order;
                        retry.warnings.extend(columns.dates.settle(m.date_order).1);
                    }
                    Decision::new(Aspect::DateOrder, order.as_str(), Basis::Proven, why)
                }
                Settlement::Assumed(order) if m.date_order.is_some() => Decision::new(
                    Aspect::DateOrder,
                    order.as_str(),
                    Basis::Layout,
                    format!("{} writes {}; no date in the file says otherwise", self.layout_name(), order.as_str()),
                ),
                Settlement::Assumed(order) => Decision::new(
                    Aspect::DateOrder,
                    order.as_str(),
                    Basis::Guessed,
                    format!(
                        "no date has a day above 12, so DD/MM and MM/DD both fit; a column mapping with dates={} confirms it",
                        order.as_str()
                    ),
                ),
            }
        };

        // Decimal mark.
        let mark_name = |d: DecimalMark| if d == DecimalMark::Comma { "comma" } else { "point" };
        let decimal = if self.user_mapping() && m.decimal.is_some() {
            Decision::new(Aspect::DecimalMark, mark_name(self.decimal), Basis::Given, "your mapping")
        } else {
            match columns.amounts.settlement(m.decimal) {
                Settlement::Proven(mark, why) => {
                    if mark != self.decimal {
                        retry.decimal = mark;
                    }
                    Decision::new(Aspect::DecimalMark, mark_name(mark), Basis::Proven, why)
                }
                Settlement::Assumed(mark) if m.decimal.is_some() => Decision::new(
                    Aspect::DecimalMark,
                    mark_name(mark),
                    Basis::Layout,
                    format!("{} writes a decimal {}", self.layout_name(), mark_name(mark)),
                ),
                Settlement::Assumed(mark) => Decision::new(
                    Aspect::DecimalMark,
                    mark_name(mark),
                    Basis::Guessed,
                    format!(
                        "amounts such as 1,234 read either way; a column mapping with decimal={} confirms it",
                        mark_name(mark)
                    ),
                ),
            }
        };

        // Sign.
        let (mut sign_basis, mut sign_why) = self.sign_basis();
        let chain = evidence.chain.verdict(credit);
        match chain {
            Chain::AsRead(links) => {
                sign_basis = Basis::Proven;
                sign_why = format!("the running balance follows the amounts from row to row ({links} steps)");
            }
            Chain::Inverted(_) if self.user_mapping() => findings.doubts.push(
                "the running balance says the amounts' signs are the other way round: add sign=inverted to your mapping".into(),
            ),
            Chain::Inverted(_) => {
                let why = "the running balance says the amounts' signs are the other way round".to_string();
                retry.warnings.push(format!("{why}, so they were read that way"));
                retry.flip = if self.flip.is_some() { None } else { Some(why) };
            }
            Chain::Unknown => {
                if let Some(why) = evidence.signs.contradiction(credit) {
                    if sign_basis == Basis::Guessed && self.flip.is_none() {
                        retry.flip = Some(why);
                    } else {
                        findings.doubts.push(format!("the signs may be the wrong way round ({why})"));
                    }
                } else if sign_basis == Basis::Guessed && self.flip.is_none() && evidence.signs.mostly_positive_on_card(credit) {
                    retry.flip = Some("most rows are positive, and on a card most rows are purchases".into());
                } else if let (Basis::Guessed, Some(support)) = (sign_basis, evidence.signs.support()) {
                    sign_why = format!("{sign_why} ({support})");
                }
            }
        }
        if let Some(why) = &self.flip {
            sign_why = format!("{sign_why}; the file's signs are turned round: {why}");
        }
        let sign = Decision::new(Aspect::Sign, "money out negative", sign_basis, sign_why);

        let changed =
            retry.order != self.order || retry.decimal != self.decimal || retry.flip.is_some() != self.flip.is_some();
        if changed && may_retry {
            return Err(retry);
        }
        if changed {
            // Read once more already: what the rows say now is put to the user, not acted on.
            let why = retry
                .flip
                .clone()
                .filter(|_| self.flip.is_none())
                .unwrap_or_else(|| "dates or amounts read another way".into());
            findings.doubts.push(format!("even read a second time, the rows disagree with how they were read ({why})"));
        }

        // The layout.
        let layout = match self.origin {
            Origin::Recognised(p) if p.headerless => Decision::new(
                Aspect::Layout,
                p.name,
                Basis::Proven,
                "the rows have this export's shape (it has no header row)",
            ),
            Origin::Recognised(p) => {
                let names: Vec<String> = p
                    .header
                    .iter()
                    .chain(
                        p.distinctive.iter().filter(|d| self.layout.header.iter().any(|h| h.eq_ignore_ascii_case(d))),
                    )
                    .filter(|name| !name.is_empty())
                    .map(|name| name.replace("(*)", "(…)"))
                    .collect();
                Decision::new(
                    Aspect::Layout,
                    p.name,
                    Basis::Proven,
                    format!("the header has the columns of this export ({})", names.join(", ")),
                )
            }
            Origin::Forced(p) => {
                Decision::new(Aspect::Layout, p.name, Basis::Given, format!("the layout chosen: {}", p.id))
            }
            Origin::Mapping { saved } => Decision::new(
                Aspect::Layout,
                "your mapping",
                Basis::Given,
                if saved { "the mapping saved for this header" } else { "the column mapping given" },
            ),
            Origin::Guessed => {
                let roles = self.describe_roles();
                match chain {
                    Chain::AsRead(links) => Decision::new(
                        Aspect::Layout,
                        "columns from their names",
                        Basis::Proven,
                        format!("{roles}; the running balance follows the amounts from row to row ({links} steps), which proves the amount column"),
                    ),
                    _ => Decision::new(Aspect::Layout, "columns from their names", Basis::Guessed, format!("{roles}; a column mapping changes it")),
                }
            }
        };
        let amounts = &columns.amounts;
        if amounts.values > 0 && amounts.date_like * 2 > amounts.values {
            findings.doubts.push("the amount column holds dates, not amounts".into());
        }
        if amounts.values > 0 && amounts.id_like * 2 > amounts.values {
            findings
                .doubts
                .push("the amount column holds long whole numbers that look like account or card numbers".into());
        }
        findings.decisions.extend([layout, dates, decimal, sign]);
        Ok(())
    }

    /// What the sign rests on before the rows are read.
    fn sign_basis(&self) -> (Basis, String) {
        let name = |c: &usize| format!("\"{}\"", self.header_name(*c));
        let guessed = matches!(self.origin, Origin::Guessed);
        match (&self.mapping.amount, self.origin) {
            (_, Origin::Mapping { .. }) => (Basis::Given, "your mapping".into()),
            (AmountSpec::DebitCredit { debit, credit }, _) => (
                if guessed { Basis::Guessed } else { Basis::Proven },
                format!("money out in {} and money in in {}", name(debit), name(credit)),
            ),
            (AmountSpec::Indicator { indicator, .. }, _) => (
                if guessed { Basis::Guessed } else { Basis::Proven },
                format!("the direction column {}", name(indicator)),
            ),
            (AmountSpec::Inverted(_), Origin::Recognised(p) | Origin::Forced(p)) => (
                Basis::Layout,
                format!("{} writes charges positive and payments negative, so they are turned round", p.name),
            ),
            (_, Origin::Recognised(p) | Origin::Forced(p)) => {
                (Basis::Layout, format!("{} writes money out negative", p.name))
            }
            (_, Origin::Guessed) => (Basis::Guessed, "one signed column, money out taken as negative".into()),
        }
    }

    /// "date = "Datum", amount = "Betrag", payee = "Empfänger"".
    fn describe_roles(&self) -> String {
        let m = &self.mapping;
        let name = |c: usize| format!("\"{}\"", self.header_name(c));
        let amount = m.amount.columns().iter().map(|c| name(**c)).collect::<Vec<_>>().join(" and ");
        let mut roles = format!(
            "date = {}, amount = {amount}, payee = {}",
            name(m.date),
            m.payee.first().map_or("none".into(), |p| name(*p))
        );
        if let Some(b) = m.balance {
            roles.push_str(&format!(", balance = {}", name(b)));
        }
        if self.layout.header.is_empty() {
            format!("no header row; guessed from the rows: {roles}")
        } else {
            format!("unknown header; guessed {roles}")
        }
    }
}

/// Text as a single line with single spaces (Amex puts newlines inside quoted fields).
fn one_line(text: &str) -> String {
    let clean = !text.as_bytes().windows(2).any(|w| w[0].is_ascii_whitespace() && w[1].is_ascii_whitespace())
        && !text.bytes().any(|b| b.is_ascii_whitespace() && b != b' ')
        && text.trim().len() == text.len();
    if clean {
        return text.to_string();
    }
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// Whether `payee` starts with one of `prefixes` (lower case), ignoring case, without allocating. Runs
/// on every row: only the prefixes with the payee's first letter are compared.
fn starts_with_any<S: AsRef<str>>(payee: &str, prefixes: &[S]) -> bool {
    let Some(first) = payee.as_bytes().first().map(u8::to_ascii_lowercase) else { return false };
    prefixes.iter().map(AsRef::as_ref).filter(|p| p.as_bytes().first() == Some(&first)).any(|p| {
        let mut text = payee.chars().flat_map(char::to_lowercase);
        p.chars().all(|c| text.next() == Some(c))
    })
}

fn csv_row(row: &Row, m: &Mapping, order: DateOrder, decimal: DecimalMark) -> RawRow {
    let cell = |i: usize| row.cells.get(i).map(String::as_str).unwrap_or("");
    let needed = 1 + [m.date].iter().chain(m.amount.columns()).max().copied().unwrap_or(0);
    let date_text = cell(m.date);
    let date = parse_date(date_text, order).ok_or_else(|| {
        if date_text.is_empty() {
            "no date".to_string()
        } else {
            format!("\"{date_text}\" is not a date")
        }
    });
    let amount_of = |i: usize| parse_amount(cell(i), decimal);
    let amount = match &m.amount {
        AmountSpec::Signed(c) => amount_of(*c).and_then(|a| a.ok_or_else(|| "no amount".to_string())),
        AmountSpec::Inverted(c) => amount_of(*c).and_then(|a| a.map(|v| -v).ok_or_else(|| "no amount".to_string())),
        AmountSpec::DebitCredit { debit, credit } => match (amount_of(*debit), amount_of(*credit)) {
            (Err(e), _) | (_, Err(e)) => Err(e),
            (Ok(None), Ok(None)) => Err("neither a debit nor a credit amount".to_string()),
            (Ok(d), Ok(c)) => Ok(c.unwrap_or_default().abs() - d.unwrap_or_default().abs()),
        },
        AmountSpec::Indicator { amount, indicator, out_values, in_values } => amount_of(*amount).and_then(|a| {
            let a = a.ok_or_else(|| "no amount".to_string())?.abs();
            let direction = cell(*indicator).trim().to_lowercase();
            if out_values.contains(&direction) {
                Ok(-a)
            } else if in_values.contains(&direction) || in_values.is_empty() {
                Ok(a)
            } else {
                Err(format!("\"{}\" does not say whether money went out or came in", cell(*indicator)))
            }
        }),
        AmountSpec::MinusFee { amount, fee } => match (amount_of(*amount), amount_of(*fee)) {
            (Err(e), _) | (_, Err(e)) => Err(e),
            (Ok(None), _) => Err("no amount".to_string()),
            (Ok(Some(a)), Ok(f)) => Ok(a - f.unwrap_or_default().abs()),
        },
    };
    let memo_parts: Vec<String> = m.memo.iter().map(|i| one_line(cell(*i))).filter(|s| !s.is_empty()).collect();
    let incoming = amount.as_ref().is_ok_and(|a| *a > Decimal::ZERO);
    let payee_columns =
        if incoming { m.payee_in.iter().chain(m.payee.iter()) } else { [].iter().chain(m.payee.iter()) };
    let mut payee = payee_columns.map(|i| one_line(cell(*i))).find(|s| !s.is_empty()).unwrap_or_default();
    if payee.is_empty() {
        payee = memo_parts.first().cloned().unwrap_or_default();
    }
    let skip = if row.cells.len() < needed {
        Some(format!("only {} fields where this layout needs at least {needed}", row.cells.len()))
    } else if let Some((col, values)) = &m.status {
        let status = cell(*col).to_lowercase();
        values.contains(&status).then(|| format!("{} (not final yet); import it again once it has cleared", cell(*col)))
    } else {
        None
    };
    let skip = skip.or_else(|| {
        (starts_with_any(&payee, &m.skip_payees) || starts_with_any(&payee, BALANCE_LINES))
            .then(|| "a balance line, not a transaction".to_string())
    });
    let currency = match &m.currency {
        CurrencySource::Column(i) => Currency::parse(cell(*i)),
        CurrencySource::Fixed(c, _) => Some(*c),
        CurrencySource::Unstated => None,
    };
    RawRow {
        line: row.line,
        date,
        amount,
        memo: memo_parts.iter().filter(|p| **p != payee).cloned().collect::<Vec<_>>().join(" / "),
        payee,
        bank_id: m.bank_id.map(|i| cell(i).trim().to_string()).filter(|s| !s.is_empty()),
        balance: m.balance.and_then(|i| parse_amount(cell(i), decimal).ok().flatten()),
        currency,
        skip,
    }
}

fn ofx_row(t: &OfxTransaction) -> RawRow {
    let posted = t.posted.as_deref().map(ofx::posted_date).unwrap_or("");
    let amount_text = t.amount.as_deref().unwrap_or("");
    let decimal =
        if amount_text.contains(',') && !amount_text.contains('.') { DecimalMark::Comma } else { DecimalMark::Point };
    let name = one_line(t.name.as_deref().unwrap_or(""));
    let memo = one_line(t.memo.as_deref().unwrap_or(""));
    RawRow {
        line: t.line,
        date: parse_date(posted, DateOrder::YearFirst).ok_or_else(|| format!("\"{posted}\" is not a date (DTPOSTED)")),
        amount: parse_amount(amount_text, decimal).and_then(|a| a.ok_or_else(|| "no amount (TRNAMT)".to_string())),
        payee: if name.is_empty() { memo.clone() } else { name.clone() },
        memo: if name.is_empty() { String::new() } else { memo },
        bank_id: t.fitid.clone().filter(|f| !f.trim().is_empty()),
        balance: None,
        currency: t.currency.as_deref().and_then(Currency::parse),
        skip: None,
    }
}

fn read_whole(path: &Path, encoding: TextEncoding) -> Result<String> {
    let mut text = String::new();
    encoding.open(path)?.read_to_string(&mut text).map_err(Error::io(path))?;
    Ok(text)
}

/// Follows a running-balance column and remembers where it does not add up, in whichever direction the
/// file is sorted (oldest first or newest first), both with the amounts as read and with their signs
/// turned round.
///
/// Which of the two holds says whether amounts and balance are written from the same side; whether
/// that side is the account holder's shows in the balance itself: a current account's balance is
/// mostly positive, and a card's, seen from its holder, is negative (money owed). So a card export whose
/// charges and balance owed are both positive follows "as read" and is still the bank's view: its
/// amounts are turned round.
#[derive(Debug, Default)]
pub struct BalanceChain {
    /// The last row with a balance: (line, amount, balance).
    previous: Option<(u64, Decimal, Decimal)>,
    /// The sum of the amounts of the rows since then that had no balance (Bank of Ireland gives one
    /// only on the day's last row).
    between: Decimal,
    links: u64,
    /// Links that do not add up: [as read, signs turned round] × [oldest first, newest first].
    breaks: [[Vec<(u64, u64)>; 2]; 2],
    positive_balances: u64,
    negative_balances: u64,
}

/// What a running balance proves about the amounts' sign.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Chain {
    /// The amounts as read are the holder's view; the balance follows them on this many links.
    AsRead(u64),
    /// The amounts must be turned round; the balance follows them so on this many links.
    Inverted(u64),
    /// No balance, or it follows neither way well enough, or its own sign says nothing.
    Unknown,
}

impl BalanceChain {
    /// One row, in file order, with its running balance if the row has one.
    pub fn observe(&mut self, line: u64, amount: Decimal, balance: Option<Decimal>) {
        let Some(balance) = balance else {
            if self.previous.is_some() {
                self.between += amount;
            }
            return;
        };
        self.positive_balances += u64::from(balance > Decimal::ZERO);
        self.negative_balances += u64::from(balance < Decimal::ZERO);
        if let Some((prev_line, prev_amount, prev_balance)) = self.previous {
            let between = std::mem::take(&mut self.between);
            self.links += 1;
            for (side, sign) in [Decimal::ONE, Decimal::NEGATIVE_ONE].into_iter().enumerate() {
                if prev_balance + sign * (between + amount) != balance {
                    self.breaks[side][0].push((prev_line, line));
                }
                if balance + sign * (prev_amount + between) != prev_balance {
                    self.breaks[side][1].push((prev_line, line));
                }
            }
        }
        self.previous = Some((line, amount, balance));
    }

    /// The breaks of the better direction, for the amounts as read (0) or turned round (1).
    fn breaks(&self, side: usize) -> &Vec<(u64, u64)> {
        let [forward, backward] = &self.breaks[side];
        if forward.len() <= backward.len() {
            forward
        } else {
            backward
        }
    }

    /// Which way (0: as read, 1: turned round) the balance follows the amounts, if it does on most links.
    fn relation(&self) -> Option<(usize, u64)> {
        let fits = |side: usize| self.links - self.breaks(side).len() as u64;
        let (as_read, turned) = (fits(0), fits(1));
        if as_read > turned && as_read * 2 > self.links {
            Some((0, as_read))
        } else if turned > as_read && turned * 2 > self.links {
            Some((1, turned))
        } else {
            None
        }
    }

    /// What the balance proves about the amounts on an account that is a card or loan (`credit`) or
    /// not. A current account that is overdrawn throughout proves nothing (it may be overdrawn).
    pub fn verdict(&self, credit: bool) -> Chain {
        let Some((side, fits)) = self.relation() else { return Chain::Unknown };
        let (pos, neg) = (self.positive_balances, self.negative_balances);
        let holder_side = match (credit, pos > 2 * neg, neg > 2 * pos) {
            (false, true, _) | (true, _, true) => true,
            (true, true, _) => false,
            _ => return Chain::Unknown,
        };
        // Amounts and balance from the same side, and the balance from the holder's: as read.
        if (side == 0) == holder_side {
            Chain::AsRead(fits)
        } else {
            Chain::Inverted(fits)
        }
    }

    pub fn warnings(&self) -> Vec<String> {
        let Some((side, _)) = self.relation() else {
            return if self.links > 1 {
                vec!["the running balance column does not follow the amounts (rows out of order?); it was not checked"
                    .into()]
            } else {
                Vec::new()
            };
        };
        let breaks = self.breaks(side);
        if breaks.is_empty() {
            return Vec::new();
        }
        let shown: Vec<String> = breaks.iter().take(5).map(|(a, b)| format!("lines {a} and {b}")).collect();
        vec![format!(
            "the running balance does not add up between {}{}: a transaction may be missing from the file",
            shown.join(", "),
            if breaks.len() > 5 { format!(" and {} more places", breaks.len() - 5) } else { String::new() }
        )]
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> Decimal {
        s.parse().expect("decimal")
    }

    #[test]
    fn the_balance_chain_finds_a_gap_in_either_direction() {
        let mut forward = BalanceChain::default();
        for (line, amount, balance) in [(2, "-10", "90"), (3, "-5", "85"), (4, "-5", "75"), (5, "20", "95")] {
            forward.observe(line, d(amount), Some(d(balance)));
        }
        let w = forward.warnings();
        assert_eq!(w.len(), 1);
        assert!(w[0].contains("lines 3 and 4"), "{w:?}");
        let mut backward = BalanceChain::default();
        for (line, amount, balance) in [(2, "20", "95"), (3, "-5", "75"), (4, "-5", "80"), (5, "-10", "85")] {
            backward.observe(line, d(amount), Some(d(balance)));
        }
        assert!(backward.warnings().is_empty(), "newest-first files chain the other way");
        assert_eq!(backward.verdict(false), Chain::AsRead(3));
    }

    #[test]
    fn the_balance_and_its_own_sign_prove_which_way_the_amounts_go() {
        // A card export from the bank's side: charges positive, and the balance owed grows with each.
        let mut card = BalanceChain::default();
        for (line, amount, balance) in [(2, "10", "110"), (3, "5", "115"), (4, "-100", "15")] {
            card.observe(line, d(amount), Some(d(balance)));
        }
        assert_eq!(card.verdict(true), Chain::Inverted(2), "on a card, a positive balance owed is the bank's view");
        assert_eq!(card.verdict(false), Chain::AsRead(2), "on a current account, a positive balance is the holder's");
        assert!(card.warnings().is_empty());
        // Amounts signed one way and a current account's balance the other: the amounts are turned round.
        let mut flipped = BalanceChain::default();
        for (line, amount, balance) in [(2, "10", "90"), (3, "5", "85"), (4, "-100", "185")] {
            flipped.observe(line, d(amount), Some(d(balance)));
        }
        assert_eq!(flipped.verdict(false), Chain::Inverted(2));
        assert!(flipped.warnings().is_empty(), "not a gap: the other sign");
        // Overdrawn throughout: the balance's sign says nothing.
        let mut overdrawn = BalanceChain::default();
        for (line, amount, balance) in [(2, "-10", "-110"), (3, "-5", "-115")] {
            overdrawn.observe(line, d(amount), Some(d(balance)));
        }
        assert_eq!(overdrawn.verdict(false), Chain::Unknown);
    }

    #[test]
    fn rows_without_a_balance_are_carried_to_the_next_one() {
        let mut chain = BalanceChain::default();
        chain.observe(2, d("-10"), Some(d("90")));
        chain.observe(3, d("-5"), None);
        chain.observe(4, d("-5"), Some(d("80")));
        assert_eq!(chain.verdict(false), Chain::AsRead(1));
        assert!(chain.warnings().is_empty());
    }
}
