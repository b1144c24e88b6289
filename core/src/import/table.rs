//! Reading a CSV statement as rows of cells: the delimiter is sniffed, the header row found past any
//! preamble (Bank of America's summary block, ING-DiBa's 13 lines), cells cleaned of padding, quotes
//! and spreadsheet apostrophes.

use std::io::Read;
use std::path::Path;

use super::profiles::{column_word, normalize_header, recognise, Profile, PROFILES};
use super::text::TextEncoding;
use crate::error::{Error, Result};

/// How far into a file the header row may be.
const HEADER_SEARCH_ROWS: usize = 60;

/// Data rows kept for guessing an unknown layout's columns.
const SAMPLE_ROWS: usize = 30;

/// The shape of a CSV file, found once and used for every pass over it.
#[derive(Debug, Clone)]
pub struct Layout {
    pub encoding: TextEncoding,
    pub delimiter: u8,
    /// Records (not lines) before the first data row: the preamble and the header row.
    pub skip_records: usize,
    /// The header row, normalized; for a headerless file, empty.
    pub header: Vec<String>,
    /// The built-in layout the header (or the first rows' shape) matched.
    pub profile: Option<&'static Profile>,
    /// The first data rows, for guessing what an unknown header's columns hold.
    pub samples: Vec<Vec<String>>,
}

/// One data row: its line number in the file and its cells.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Row {
    pub line: u64,
    pub cells: Vec<String>,
}

impl Layout {
    pub fn detect(path: &Path, encoding: TextEncoding) -> Result<Layout> {
        let mut head = String::new();
        encoding.open(path)?.take(256 * 1024).read_to_string(&mut head).map_err(|e| {
            Error::invalid(format!("{} cannot be read as {} text: {e}", path.display(), encoding.name()))
        })?;
        let delimiter = sniff_delimiter(&head);
        let first: Vec<Vec<String>> = Records::new(head.as_bytes(), delimiter)
            .take(HEADER_SEARCH_ROWS)
            .filter_map(|r| r.ok())
            .map(|r| r.cells)
            .collect();
        if first.is_empty() {
            return Err(Error::invalid(format!("{} has no rows", path.display())));
        }
        let samples_after = |skip: usize| {
            first
                .iter()
                .skip(skip)
                .filter(|r| r.iter().any(|c| !c.is_empty()))
                .take(SAMPLE_ROWS)
                .cloned()
                .collect::<Vec<_>>()
        };
        // A known header anywhere near the top wins.
        for (i, cells) in first.iter().enumerate() {
            let header: Vec<String> = cells.iter().map(|c| normalize_header(c)).collect();
            if let Some(profile) = recognise(&header) {
                return Ok(Layout {
                    encoding,
                    delimiter,
                    skip_records: i + 1,
                    header,
                    profile: Some(profile),
                    samples: samples_after(i + 1),
                });
            }
        }
        // A headerless layout recognised by the shape of its rows.
        if let Some(profile) =
            PROFILES.iter().find(|p| p.headerless && first.iter().take(5).all(|r| fits_headerless(p, r)))
        {
            return Ok(Layout {
                encoding,
                delimiter,
                skip_records: 0,
                header: Vec::new(),
                profile: Some(profile),
                samples: samples_after(0),
            });
        }
        // Otherwise the header is, of the rows before the first one holding a date and a number, the one
        // with the most column words ("Date", "Betrag", …); with none, the last text row (a header
        // followed by "Pending" rows with no date is still the header).
        let before_data: Vec<(usize, &Vec<String>)> = first
            .iter()
            .enumerate()
            .take_while(|(_, r)| !looks_like_data(r))
            .filter(|(_, r)| r.iter().filter(|c| !c.is_empty()).count() >= 2)
            .collect();
        let by_words = before_data
            .iter()
            .map(|(i, r)| (*i, r.iter().filter(|c| column_word(&normalize_header(c))).count()))
            .filter(|(_, n)| *n >= 2)
            .max_by_key(|(i, n)| (*n, std::cmp::Reverse(*i)))
            .map(|(i, _)| i);
        match by_words.or_else(|| before_data.last().map(|(i, _)| *i)) {
            Some(i) => Ok(Layout {
                encoding,
                delimiter,
                skip_records: i + 1,
                header: first[i].iter().map(|c| normalize_header(c)).collect(),
                profile: None,
                samples: samples_after(i + 1),
            }),
            None => Ok(Layout {
                encoding,
                delimiter,
                skip_records: 0,
                header: Vec::new(),
                profile: None,
                samples: samples_after(0),
            }),
        }
    }

    /// Streams the data rows (blank lines are not rows).
    #[cfg(test)]
    pub fn rows(&self, path: &Path) -> Result<impl Iterator<Item = Result<Row>>> {
        Ok(Records::new(self.encoding.open(path)?, self.delimiter).skip(self.skip_records))
    }

    /// The data rows for `read_into`, which reuses one row's memory for all of them.
    pub fn records(&self, path: &Path) -> Result<Records<Box<dyn Read + Send>>> {
        let mut records = Records::new(self.encoding.open(path)?, self.delimiter);
        let mut skipped = Row { line: 0, cells: Vec::new() };
        for _ in 0..self.skip_records {
            if !records.read_into(&mut skipped).map_err(read_error)? {
                break;
            }
        }
        Ok(records)
    }
}

pub fn read_error(e: std::io::Error) -> Error {
    Error::invalid(format!("the file cannot be read: {e}"))
}

/// A CSV reader that knows on which line each record starts, whatever the line endings (LF, CRLF,
/// CR alone) and however many blank lines or quoted newlines came before.
pub struct Records<R: Read> {
    input: std::io::BufReader<R>,
    delimiter: u8,
    line: u64,
    /// A CR was the last byte read: a following LF belongs to it.
    after_cr: bool,
    done: bool,
    /// The field being read, kept to reuse its memory.
    field: Vec<u8>,
}

impl<R: Read> Records<R> {
    pub fn new(input: R, delimiter: u8) -> Self {
        Records {
            input: std::io::BufReader::with_capacity(1 << 16, input),
            delimiter,
            line: 1,
            after_cr: false,
            done: false,
            field: Vec::new(),
        }
    }

    fn peek_byte(&mut self) -> std::io::Result<Option<u8>> {
        use std::io::BufRead;
        Ok(self.input.fill_buf()?.first().copied())
    }

    fn next_byte(&mut self) -> std::io::Result<Option<u8>> {
        let b = self.peek_byte()?;
        if b.is_some() {
            use std::io::BufRead;
            self.input.consume(1);
        }
        Ok(b)
    }

    /// Reads one record; `None` at the end. Blank lines are skipped.
    fn read_record(&mut self) -> std::io::Result<Option<Row>> {
        let mut row = Row { line: 0, cells: Vec::new() };
        Ok(self.read_into(&mut row)?.then_some(row))
    }

    /// Reads the next record into `row`, reusing its memory; false at the end.
    pub fn read_into(&mut self, row: &mut Row) -> std::io::Result<bool> {
        #[derive(PartialEq)]
        enum State {
            FieldStart,
            Unquoted,
            Quoted,
            AfterQuote,
        }
        let mut n_cells = 0usize;
        let mut field = std::mem::take(&mut self.field);
        field.clear();
        let mut state = State::FieldStart;
        let mut started = false;
        let mut start_line = self.line;
        let cells = &mut row.cells;
        let mut finish = |field: &mut Vec<u8>, n: &mut usize| {
            let text = String::from_utf8_lossy(field);
            let clean = clean_slice(&text);
            match cells.get_mut(*n) {
                Some(cell) => {
                    cell.clear();
                    cell.push_str(clean);
                }
                None => cells.push(clean.to_string()),
            }
            *n += 1;
            field.clear();
        };
        loop {
            let Some(b) = self.next_byte()? else {
                self.done = true;
                break;
            };
            let was_cr = std::mem::replace(&mut self.after_cr, b == b'\r');
            if b == b'\n' && was_cr {
                continue; // the LF of a CRLF: the line was counted at the CR
            }
            let newline = b == b'\n' || b == b'\r';
            if newline {
                self.line += 1;
            }
            if state == State::Quoted {
                match b {
                    b'"' if self.peek_byte()? == Some(b'"') => {
                        self.next_byte()?;
                        field.push(b'"');
                    }
                    b'"' => state = State::AfterQuote,
                    b'\r' => field.push(b'\n'),
                    _ => field.push(b),
                }
                continue;
            }
            if newline {
                if started {
                    break;
                }
                start_line = self.line; // a blank line
                continue;
            }
            if !started {
                started = true;
                start_line = self.line;
            }
            if b == self.delimiter {
                finish(&mut field, &mut n_cells);
                state = State::FieldStart;
                continue;
            }
            match state {
                State::FieldStart if b == b'"' => {
                    field.clear(); // padding before an opening quote
                    state = State::Quoted;
                }
                State::FieldStart if b.is_ascii_whitespace() => field.push(b),
                _ => {
                    if state == State::FieldStart {
                        state = State::Unquoted;
                    }
                    field.push(b);
                }
            }
        }
        if started {
            finish(&mut field, &mut n_cells);
            cells.truncate(n_cells);
            row.line = start_line;
        }
        self.field = field;
        Ok(started)
    }
}

impl<R: Read> Iterator for Records<R> {
    type Item = Result<Row>;

    fn next(&mut self) -> Option<Self::Item> {
        if self.done {
            return None;
        }
        self.read_record().map_err(read_error).transpose()
    }
}

/// Padding, and the apostrophe spreadsheets put before a cell to keep it as text (`'30-96-26`, `'3202…`,
/// NatWest's `'WWF UK`); an apostrophe that opens a word in lower case (`'tis`) or stands alone is kept.
pub fn clean_slice(cell: &str) -> &str {
    let t = cell.trim();
    match t.strip_prefix('\'') {
        Some(rest) if rest.starts_with(|c: char| c.is_ascii_digit() || c.is_uppercase() || "-+.".contains(c)) => rest,
        _ => t,
    }
}

/// The delimiter that splits the first lines most consistently into more than one field.
fn sniff_delimiter(head: &str) -> u8 {
    let lines: Vec<&str> = head.lines().filter(|l| !l.trim().is_empty()).take(60).collect();
    let mut best = (b',', 0usize);
    for candidate in [b',', b';', b'\t', b'|'] {
        let counts: Vec<usize> = lines.iter().map(|l| count_outside_quotes(l, candidate)).collect();
        // The most common non-zero count, weighted by how many lines share it.
        let mut tally = std::collections::HashMap::new();
        for c in counts.iter().filter(|c| **c > 0) {
            *tally.entry(*c).or_insert(0usize) += 1;
        }
        let score = tally.into_iter().map(|(count, lines)| lines * 1000 + count).max().unwrap_or(0);
        if score > best.1 {
            best = (candidate, score);
        }
    }
    best.0
}

fn count_outside_quotes(line: &str, delimiter: u8) -> usize {
    let mut quoted = false;
    line.bytes()
        .filter(|b| {
            if *b == b'"' {
                quoted = !quoted;
            }
            !quoted && *b == delimiter
        })
        .count()
}

/// A row whose first cells hold a date and a number is data, not a header or a preamble line.
fn looks_like_data(row: &[String]) -> bool {
    let has_date = row.iter().any(|c| {
        super::values::parse_date(c, super::values::DateOrder::MonthFirst).is_some()
            || super::values::parse_date(c, super::values::DateOrder::DayFirst).is_some()
    });
    let has_number = row.iter().any(|c| {
        !c.is_empty()
            && c.chars().any(|ch| ch.is_ascii_digit())
            && c.chars().all(|ch| ch.is_ascii_digit() || ".,-+() $€£".contains(ch))
    });
    has_date && has_number
}

fn fits_headerless(profile: &Profile, row: &[String]) -> bool {
    use super::values::{parse_amount, parse_date, Currency, DateOrder, DecimalMark};
    let amount = |cell: &str| matches!(parse_amount(cell, DecimalMark::Point), Ok(Some(_)));
    let comma_amount = |cell: &str| matches!(parse_amount(cell, DecimalMark::Comma), Ok(Some(_)));
    let worded_date =
        |cell: &str| cell.chars().any(|c| c.is_ascii_alphabetic()) && parse_date(cell, DateOrder::DayFirst).is_some();
    let yyyymmdd = |cell: &str| cell.len() == 8 && parse_date(cell, DateOrder::YearFirst).is_some();
    match profile.id {
        // Wells Fargo: date, signed amount, "*", check number (often empty), description.
        "wells-fargo" => {
            row.len() == 5 && parse_date(&row[0], DateOrder::MonthFirst).is_some() && amount(&row[1]) && row[2] == "*"
        }
        // Barclaycard: "10 Feb 18", description, card type, cardholder, category, then credit and debit of
        // which one is filled.
        "barclaycard" => row.len() == 7 && worded_date(&row[0]) && (amount(&row[5]) != amount(&row[6])),
        // ABN AMRO .TAB: account, currency, YYYYMMDD, balance before, balance after, YYYYMMDD, amount, text.
        "abn-amro" => {
            row.len() == 8
                && Currency::parse(&row[1]).is_some()
                && yyyymmdd(&row[2])
                && yyyymmdd(&row[5])
                && comma_amount(&row[6])
        }
        // CommBank: date, amount and balance both with an explicit sign ("+210.00"), description.
        "commbank" => {
            let signed = |cell: &str| cell.starts_with(['+', '-']) && amount(cell);
            row.len() == 4
                && parse_date(&row[0], DateOrder::DayFirst).is_some()
                && signed(&row[1])
                && (signed(&row[3]) || row[3].is_empty())
        }
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn layout(text: &[u8]) -> (Layout, Vec<Row>) {
        let dir = tempfile::tempdir().expect("tempdir");
        let path = dir.path().join("s.csv");
        std::fs::write(&path, text).expect("write");
        let enc = TextEncoding::detect(&path).expect("encoding");
        let layout = Layout::detect(&path, enc).expect("layout");
        let rows = layout.rows(&path).expect("rows").collect::<Result<Vec<_>>>().expect("read");
        (layout, rows)
    }

    #[test]
    fn finds_the_header_after_a_preamble_and_skips_blank_lines() {
        let text = "Description,,Summary Amt.\r\nBeginning balance as of 01/01/2024,,\"1,000.00\"\r\nTotal credits,,\"2,000.00\"\r\n\r\nDate,Description,Amount,Running Bal.\r\n01/01/2024,Beginning balance as of 01/01/2024,,\"1,000.00\"\r\n01/02/2024,\"COFFEE, INC\",-4.50,995.50\r\n\r\n";
        let (layout, rows) = layout(text.as_bytes());
        assert_eq!(layout.profile.map(|p| p.id), Some("bofa-checking"));
        assert_eq!(layout.delimiter, b',');
        assert_eq!(rows.len(), 2);
        assert_eq!(rows[1].line, 7);
        assert_eq!(rows[1].cells[1], "COFFEE, INC");
    }

    #[test]
    fn padded_semicolons_and_apostrophes_and_duplicate_names() {
        let text = "Completed Date ; Description ; Paid Out (GBP) ; Paid In (GBP) ; Balance (GBP)\nDec 21, 2019 ; \"Shop\" ; 5.00 ;  ; '95.00\n";
        let (layout, rows) = layout(text.as_bytes());
        assert_eq!(layout.delimiter, b';');
        assert_eq!(layout.profile.map(|p| p.id), Some("revolut-legacy"));
        assert_eq!(rows[0].cells, vec!["Dec 21, 2019", "Shop", "5.00", "", "95.00"]);
    }

    #[test]
    fn headerless_wells_fargo_is_recognised_by_shape() {
        let text = "\"01/02/2024\",\"-12.00\",\"*\",\"\",\"CHECK CRD PURCHASE 12/30 GROCER\"\n\"01/03/2024\",\"100.00\",\"*\",\"\",\"DEPOSIT\"\n";
        let (layout, rows) = layout(text.as_bytes());
        assert_eq!(layout.profile.map(|p| p.id), Some("wells-fargo"));
        assert_eq!(rows.len(), 2);
    }

    fn records(text: &str) -> Vec<(u64, Vec<String>)> {
        Records::new(text.as_bytes(), b',').map(|r| r.map(|r| (r.line, r.cells))).collect::<Result<_>>().expect("parse")
    }

    #[test]
    fn line_numbers_survive_every_line_ending_blank_lines_and_quoted_newlines() {
        let s = |v: &[&str]| v.iter().map(|x| x.to_string()).collect::<Vec<_>>();
        assert_eq!(records("a\n\nb\n"), vec![(1, s(&["a"])), (3, s(&["b"]))]);
        assert_eq!(records("a,1\r\n\r\nb,2\r\n"), vec![(1, s(&["a", "1"])), (3, s(&["b", "2"]))]);
        assert_eq!(records("a\rb\r\rc"), vec![(1, s(&["a"])), (2, s(&["b"])), (4, s(&["c"]))]);
        assert_eq!(
            records("\"x\r\ny\",1\nz,\"say \"\"hi\"\"\"\n"),
            vec![(1, s(&["x\ny", "1"])), (3, s(&["z", "say \"hi\""]))]
        );
        assert_eq!(records("a,b,\n"), vec![(1, s(&["a", "b", ""]))], "a trailing comma is an empty last field");
    }

    #[test]
    fn quoted_newlines_stay_in_one_cell_and_line_numbers_count_lines() {
        let text = "Date,Description,Amount,Extended Details\n01/05/2024,SHOP,10.00,\"line one\nline two\"\n01/06/2024,CAFE,3.00,\n";
        let (layout, rows) = layout(text.as_bytes());
        assert_eq!(layout.profile.map(|p| p.id), Some("amex"));
        assert_eq!(rows[0].cells[3], "line one\nline two");
        assert_eq!((rows[0].line, rows[1].line), (2, 4));
    }
}
