//! From a file to uniform raw rows: which source (CSV layout or OFX), which mapping, and the column-wide
//! decisions (date order, decimal mark) made in a first pass over the whole file.

use std::io::Read;
use std::path::{Path, PathBuf};

use chrono::NaiveDate;
use rust_decimal::Decimal;

use super::camt;
use super::ofx::{self, OfxTransaction};
use super::profiles::{self, AmountSpec, Mapping};
use super::table::{read_error, Layout, Row};
use super::text::TextEncoding;
use super::values::{parse_amount, parse_date, AmountColumn, DateColumn, DateOrder, DecimalMark};
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
    /// Why this row is not a transaction at all (a pending row, a balance line, a short row).
    pub skip: Option<String>,
}

enum Kind {
    Csv(Box<CsvSource>),
    Ofx(Vec<OfxTransaction>),
    /// Rows read whole up front (CAMT.053).
    Read(Vec<RawRow>),
}

struct CsvSource {
    layout: Layout,
    mapping: Mapping,
    order: DateOrder,
    decimal: DecimalMark,
    /// `order` and `decimal` are the layout's usual ones, not yet checked against this file.
    check: bool,
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
            self.dates.observe(d);
        }
        for c in mapping.amount.columns() {
            if let Some(a) = row.cells.get(*c).filter(|a| !a.is_empty()) {
                self.amounts.observe(a);
            }
        }
    }

    fn settle(&self, mapping: &Mapping) -> ((DateOrder, DecimalMark), Option<String>) {
        let (order, warning) = self.dates.settle(mapping.date_order);
        ((order, self.amounts.settle(mapping.decimal)), warning)
    }
}

/// The date order and decimal mark a file's rows proved, and what to tell the user about it.
#[derive(Debug, Clone)]
pub struct Settled {
    order: DateOrder,
    decimal: DecimalMark,
    warning: Option<String>,
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
        let forced = options.format.as_deref().filter(|f| *f != "auto");
        if ofx::looks_like_ofx(&head) || forced == Some("ofx") {
            return Self::open_ofx(path, encoding);
        }
        if camt::looks_like_camt(&head) || forced == Some("camt053") {
            return Self::open_camt(path, encoding);
        }
        let layout = Layout::detect(path, encoding)?;
        let header_key = (!layout.header.is_empty()).then(|| layout.header.join("|"));
        let mut warnings = Vec::new();
        let (format, mapping) = if let Some(spec) = &options.mapping {
            ("mapping".to_string(), profiles::parse_mapping(spec, &layout.header)?)
        } else if let Some(id) = forced {
            let p = profiles::profile(id)?;
            (p.id.to_string(), p.mapping(&layout.header)?)
        } else if let Some((_, spec)) = saved.iter().find(|(h, _)| Some(h) == header_key.as_ref()) {
            ("mapping (saved)".to_string(), profiles::parse_mapping(spec, &layout.header)?)
        } else if let Some(p) = layout.profile {
            (p.id.to_string(), p.mapping(&layout.header)?)
        } else if let Some(m) = profiles::guess(&layout.header) {
            warnings.push(format!(
                "unknown layout; guessed date = \"{}\", amount = {}, payee = \"{}\" (give --map to change it)",
                layout.header[m.date],
                m.amount.columns().iter().map(|c| format!("\"{}\"", layout.header[**c])).collect::<Vec<_>>().join(" and "),
                layout.header[m.payee[0]],
            ));
            ("guessed".to_string(), m)
        } else {
            let shown = if layout.header.is_empty() { "no header row".to_string() } else { format!("header: {}", layout.header.join(", ")) };
            return Err(Error::invalid(format!(
                "Credence does not recognise this file's layout ({shown}); give a mapping such as --map \"date=1,amount=4,payee=3\""
            )));
        };

        if mapping.date_order.is_some() {
            // The layout knows its date order: read once, watching the columns, and check at the end
            // (`disagrees`); a file that proves otherwise is read again with what it proved.
            let total_rows = estimate_rows(path, &layout)?;
            let (order, decimal) = (mapping.date_order.unwrap_or(DateOrder::MonthFirst), mapping.decimal.unwrap_or(DecimalMark::Point));
            return Ok(Source {
                path: path.to_owned(),
                kind: Kind::Csv(Box::new(CsvSource { layout, mapping, order, decimal, check: true })),
                format,
                encoding: encoding.name().to_string(),
                warnings,
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
        let ((order, decimal), warning) = columns.settle(&mapping);
        warnings.extend(warning);
        Ok(Source {
            path: path.to_owned(),
            kind: Kind::Csv(Box::new(CsvSource { layout, mapping, order, decimal, check: false })),
            format,
            encoding: encoding.name().to_string(),
            warnings,
            total_rows: total,
            header_key,
        })
    }

    /// The file's name, for the import's summary.
    pub fn file_name(&self) -> String {
        self.path.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default()
    }

    /// Whether the date order and decimal mark were assumed and must be checked against the rows.
    pub fn needs_checking(&self) -> bool {
        matches!(&self.kind, Kind::Csv(csv) if csv.check)
    }

    /// What the rows proved, when it differs from what was assumed.
    pub fn disagrees(&self, columns: &Columns) -> Option<Settled> {
        let Kind::Csv(csv) = &self.kind else { return None };
        let (settled, warning) = columns.settle(&csv.mapping);
        (settled != (csv.order, csv.decimal)).then_some(Settled { order: settled.0, decimal: settled.1, warning })
    }

    /// This source, read with the date order and decimal mark its rows proved.
    pub fn with_settled(self, settled: Settled) -> Source {
        let Source { path, kind, format, encoding, mut warnings, total_rows, header_key } = self;
        let kind = match kind {
            Kind::Csv(mut csv) => {
                csv.order = settled.order;
                csv.decimal = settled.decimal;
                csv.check = false;
                Kind::Csv(csv)
            }
            other => other,
        };
        warnings.extend(settled.warning);
        Source { path, kind, format, encoding, warnings, total_rows, header_key }
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
            return Err(Error::invalid(format!("{} is a CAMT.053 statement with no entries (no Ntry)", path.display())));
        }
        Ok(Self::statement(path, encoding, "camt053", rows.len(), Kind::Read(rows)))
    }

    /// A source read whole up front (OFX, CAMT): no header, no warnings, nothing to settle.
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

    /// The rows, in file order, each shown to `columns` (when given) before it is mapped.
    pub fn rows_observing<'a>(
        &'a self,
        mut columns: Option<&'a mut Columns>,
    ) -> Result<Box<dyn Iterator<Item = Result<RawRow>> + Send + 'a>> {
        match &self.kind {
            Kind::Csv(csv) => {
                let mut records = csv.layout.records(&self.path)?;
                let mut row = Row { line: 0, cells: Vec::new() };
                Ok(Box::new(std::iter::from_fn(move || match records.read_into(&mut row) {
                    Ok(true) => {
                        if let Some(c) = columns.as_deref_mut() {
                            c.observe(&row, &csv.mapping);
                        }
                        Some(Ok(csv_row(&row, &csv.mapping, csv.order, csv.decimal)))
                    }
                    Ok(false) => None,
                    Err(e) => Some(Err(read_error(e))),
                })))
            }
            Kind::Ofx(transactions) => Ok(Box::new(transactions.iter().map(|t| Ok(ofx_row(t))))),
            Kind::Read(rows) => Ok(Box::new(rows.iter().cloned().map(Ok))),
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

fn csv_row(row: &Row, m: &Mapping, order: DateOrder, decimal: DecimalMark) -> RawRow {
    let cell = |i: usize| row.cells.get(i).map(String::as_str).unwrap_or("");
    let needed = 1 + [m.date].iter().chain(m.amount.columns()).max().copied().unwrap_or(0);
    let memo_parts: Vec<String> = m.memo.iter().map(|i| one_line(cell(*i))).filter(|s| !s.is_empty()).collect();
    let mut payee = m.payee.iter().map(|i| one_line(cell(*i))).find(|s| !s.is_empty()).unwrap_or_default();
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
        let lower = payee.to_lowercase();
        m.skip_payees.iter().any(|p| lower.starts_with(p.as_str())).then(|| "a balance line, not a transaction".to_string())
    });
    let date_text = cell(m.date);
    let date = parse_date(date_text, order).ok_or_else(|| {
        if date_text.is_empty() { "no date".to_string() } else { format!("\"{date_text}\" is not a date") }
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
        AmountSpec::Indicator { amount, indicator, out_values } => amount_of(*amount).and_then(|a| {
            let a = a.ok_or_else(|| "no amount".to_string())?.abs();
            Ok(if out_values.contains(&cell(*indicator).to_lowercase()) { -a } else { a })
        }),
        AmountSpec::MinusFee { amount, fee } => match (amount_of(*amount), amount_of(*fee)) {
            (Err(e), _) | (_, Err(e)) => Err(e),
            (Ok(None), _) => Err("no amount".to_string()),
            (Ok(Some(a)), Ok(f)) => Ok(a - f.unwrap_or_default().abs()),
        },
    };
    RawRow {
        line: row.line,
        date,
        amount,
        memo: memo_parts.iter().filter(|p| **p != payee).cloned().collect::<Vec<_>>().join(" / "),
        payee,
        bank_id: m.bank_id.map(|i| cell(i).trim().to_string()).filter(|s| !s.is_empty()),
        balance: m.balance.and_then(|i| parse_amount(cell(i), decimal).ok().flatten()),
        skip,
    }
}

fn ofx_row(t: &OfxTransaction) -> RawRow {
    let posted = t.posted.as_deref().map(ofx::posted_date).unwrap_or("");
    let amount_text = t.amount.as_deref().unwrap_or("");
    let decimal = if amount_text.contains(',') && !amount_text.contains('.') { DecimalMark::Comma } else { DecimalMark::Point };
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
        skip: None,
    }
}

fn read_whole(path: &Path, encoding: TextEncoding) -> Result<String> {
    let mut text = String::new();
    encoding.open(path)?.read_to_string(&mut text).map_err(Error::io(path))?;
    Ok(text)
}

/// Follows a running-balance column and remembers where it does not add up, in whichever direction the
/// file is sorted (oldest first or newest first).
#[derive(Debug, Default)]
pub struct BalanceChain {
    previous: Option<(u64, Decimal, Decimal)>,
    links: u64,
    forward_breaks: Vec<(u64, u64)>,
    backward_breaks: Vec<(u64, u64)>,
}

impl BalanceChain {
    pub fn observe(&mut self, line: u64, amount: Decimal, balance: Decimal) {
        if let Some((prev_line, prev_amount, prev_balance)) = self.previous {
            self.links += 1;
            if prev_balance + amount != balance {
                self.forward_breaks.push((prev_line, line));
            }
            if balance + prev_amount != prev_balance {
                self.backward_breaks.push((prev_line, line));
            }
        }
        self.previous = Some((line, amount, balance));
    }

    pub fn warnings(&self) -> Vec<String> {
        if self.links == 0 {
            return Vec::new();
        }
        let breaks = if self.forward_breaks.len() <= self.backward_breaks.len() { &self.forward_breaks } else { &self.backward_breaks };
        if breaks.is_empty() {
            return Vec::new();
        }
        if breaks.len() as u64 * 2 > self.links {
            return vec!["the running balance column does not follow the amounts (rows out of order?); it was not checked".into()];
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
            forward.observe(line, d(amount), d(balance));
        }
        let w = forward.warnings();
        assert_eq!(w.len(), 1);
        assert!(w[0].contains("lines 3 and 4"), "{w:?}");
        let mut backward = BalanceChain::default();
        for (line, amount, balance) in [(2, "20", "95"), (3, "-5", "75"), (4, "-5", "80"), (5, "-10", "85")] {
            backward.observe(line, d(amount), d(balance));
        }
        assert!(backward.warnings().is_empty(), "newest-first files chain the other way");
    }
}
