//! Printing: aligned tables for people, JSON for scripts. The JSON is the contract's shapes
//! (`credence-api`, the same the app and the REST API send); changes to them go in CHANGELOG.md.

use std::fmt::Write as _;

use anyhow::Result;
use serde::Serialize;

/// A percent change for a table: "+12.5%", "-3.0%"; `none` when there is no figure.
pub fn signed_percent(change: Option<rust_decimal::Decimal>, none: &str) -> String {
    change.map_or_else(
        || none.to_string(),
        |p| format!("{}{p}%", if p.is_sign_positive() && !p.is_zero() { "+" } else { "" }),
    )
}

/// A JSON array written element by element as they come (a listing of any length in flat memory).
pub struct JsonArray {
    out: std::io::BufWriter<std::io::Stdout>,
    first: bool,
}

impl JsonArray {
    pub fn stdout() -> JsonArray {
        JsonArray { out: std::io::BufWriter::new(std::io::stdout()), first: true }
    }

    /// Writes one element; a closed pipe (`| head`) surfaces as an error the caller ends on.
    pub fn push(&mut self, value: &impl Serialize) -> credence_core::Result<()> {
        use std::io::Write;
        let text = serde_json::to_string(value).unwrap_or_default();
        let sep = if std::mem::take(&mut self.first) { "[\n  " } else { ",\n  " };
        write!(self.out, "{sep}{text}")
            .map_err(|source| credence_core::Error::Io { path: "standard output".into(), source })
    }

    pub fn finish(mut self) -> std::io::Result<()> {
        use std::io::Write;
        writeln!(self.out, "{}", if self.first { "[]" } else { "\n]" })?;
        self.out.flush()
    }
}

pub fn print_json(value: &impl Serialize) -> Result<()> {
    println!("{}", serde_json::to_string_pretty(value)?);
    Ok(())
}

/// A plain text table; columns marked numeric are right-aligned so decimal points line up.
pub struct Table {
    headers: Vec<&'static str>,
    numeric: Vec<bool>,
    rows: Vec<Vec<String>>,
}

impl Table {
    pub fn new(columns: &[(&'static str, bool)]) -> Self {
        Table {
            headers: columns.iter().map(|c| c.0).collect(),
            numeric: columns.iter().map(|c| c.1).collect(),
            rows: Vec::new(),
        }
    }

    pub fn row(&mut self, cells: Vec<String>) {
        self.rows.push(cells);
    }

    pub fn print(&self) {
        if self.rows.is_empty() {
            println!("(none)");
            return;
        }
        let widths: Vec<usize> = (0..self.headers.len())
            .map(|i| self.rows.iter().map(|r| r[i].chars().count()).chain([self.headers[i].len()]).max().unwrap_or(0))
            .collect();
        let line = |cells: &[String]| {
            let mut out = String::new();
            for (i, cell) in cells.iter().enumerate() {
                let pad = widths[i].saturating_sub(cell.chars().count());
                if i > 0 {
                    out.push_str("  ");
                }
                if self.numeric[i] {
                    let _ = write!(out, "{}{cell}", " ".repeat(pad));
                } else if i + 1 < cells.len() {
                    let _ = write!(out, "{cell}{}", " ".repeat(pad));
                } else {
                    out.push_str(cell);
                }
            }
            println!("{}", out.trim_end());
        };
        line(&self.headers.iter().map(|h| h.to_string()).collect::<Vec<_>>());
        for row in &self.rows {
            line(row);
        }
    }
}
