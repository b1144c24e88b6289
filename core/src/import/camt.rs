//! ISO 20022 CAMT.053 bank-to-customer statements (XML; most EU banks offer them). Each entry (`Ntry`)
//! becomes a row: the booking date, the amount signed by `CdtDbtInd`, the other party's name as payee,
//! the remittance text as memo, and the bank's own reference (`AcctSvcrRef`) as the duplicate key.
//! Entries not booked yet are rows with a reason, like pending card rows. Both the older (`.001.02`)
//! and newer (`.001.08`+) shapes are read: `Sts` or `Sts/Cd`, `Dbtr/Nm` or `Dbtr/Pty/Nm`. The bytes are
//! decoded before this module sees them (BOM, UTF-8, else Windows-1252 / ISO-8859-1), whatever the XML
//! declaration says.

use chrono::NaiveDate;
use quick_xml::events::Event;
use rust_decimal::Decimal;

use super::read::RawRow;

/// True when the start of a file is a CAMT.053 statement.
pub fn looks_like_camt(head: &str) -> bool {
    head.contains("camt.053") || head.contains("BkToCstmrStmt>")
}

/// One entry's values, still text.
#[derive(Debug, Default)]
struct Entry {
    line: u64,
    amount: Option<String>,
    credit: Option<String>,
    status: Option<String>,
    booked: Option<String>,
    value_date: Option<String>,
    reference: Option<String>,
    debtor: Option<String>,
    creditor: Option<String>,
    remittance: Vec<String>,
    additional: Option<String>,
    /// The entry amount's `Ccy` attribute.
    currency: Option<String>,
}

/// Every entry of every statement in the file, in file order.
pub fn rows(text: &str) -> Result<Vec<RawRow>, String> {
    let mut reader = quick_xml::Reader::from_str(text);
    reader.trim_text(true);
    let mut path: Vec<String> = Vec::new();
    let mut entries = Vec::new();
    let mut current: Option<Entry> = None;
    let (mut line, mut counted) = (1u64, 0usize);
    loop {
        let event = reader.read_event();
        // The reader now stands just past the event; a tag holds no newline, so this is its line.
        let position = reader.buffer_position().min(text.len());
        line += text.as_bytes()[counted..position].iter().filter(|b| **b == b'\n').count() as u64;
        counted = position;
        match event {
            Ok(Event::Start(e)) => {
                let name = String::from_utf8_lossy(e.local_name().as_ref()).into_owned();
                if name == "Ntry" {
                    current = Some(Entry { line, ..Entry::default() });
                }
                if let (Some(entry), "Amt", Some("Ntry")) =
                    (current.as_mut(), name.as_str(), path.last().map(String::as_str))
                {
                    let ccy = e
                        .try_get_attribute("Ccy")
                        .ok()
                        .flatten()
                        .and_then(|a| a.unescape_value().ok().map(|v| v.trim().to_string()));
                    // "XXX" is ISO 4217's "no currency".
                    entry.currency = ccy.filter(|c| c != "XXX");
                }
                path.push(name);
            }
            Ok(Event::End(_)) => {
                if path.pop().as_deref() == Some("Ntry") {
                    entries.extend(current.take());
                }
            }
            Ok(Event::Text(t)) => {
                if let Some(entry) = current.as_mut() {
                    let value = t.unescape().map_err(|e| format!("line {line}: {e}"))?;
                    entry.take(&path, value.trim());
                }
            }
            Ok(Event::Eof) => break,
            Ok(_) => {}
            Err(e) => return Err(format!("the XML is not well formed near line {line}: {e}")),
        }
    }
    Ok(entries.into_iter().map(Entry::into_row).collect())
}

impl Entry {
    /// Files a text value by where it sits under the entry.
    fn take(&mut self, path: &[String], value: &str) {
        let ends = |suffix: &[&str]| {
            path.len() >= suffix.len() && path[path.len() - suffix.len()..].iter().zip(suffix).all(|(a, b)| a == b)
        };
        let first = |slot: &mut Option<String>| {
            if slot.is_none() {
                *slot = Some(value.to_string());
            }
        };
        if ends(&["Ntry", "Amt"]) {
            first(&mut self.amount);
        } else if ends(&["Ntry", "CdtDbtInd"]) {
            first(&mut self.credit);
        } else if ends(&["Ntry", "Sts"]) || ends(&["Ntry", "Sts", "Cd"]) {
            first(&mut self.status);
        } else if ends(&["BookgDt", "Dt"]) || ends(&["BookgDt", "DtTm"]) {
            first(&mut self.booked);
        } else if ends(&["ValDt", "Dt"]) || ends(&["ValDt", "DtTm"]) {
            first(&mut self.value_date);
        } else if ends(&["Ntry", "AcctSvcrRef"]) || ends(&["TxDtls", "Refs", "AcctSvcrRef"]) {
            first(&mut self.reference);
        } else if ends(&["RltdPties", "Dbtr", "Nm"]) || ends(&["RltdPties", "Dbtr", "Pty", "Nm"]) {
            first(&mut self.debtor);
        } else if ends(&["RltdPties", "Cdtr", "Nm"]) || ends(&["RltdPties", "Cdtr", "Pty", "Nm"]) {
            first(&mut self.creditor);
        } else if ends(&["RmtInf", "Ustrd"]) {
            self.remittance.push(value.to_string());
        } else if ends(&["Ntry", "AddtlNtryInf"]) {
            first(&mut self.additional);
        }
    }

    fn into_row(self) -> RawRow {
        let debit = self.credit.as_deref() == Some("DBIT");
        let amount = match (self.amount.as_deref(), self.credit.as_deref()) {
            (None, _) => Err("no amount (Amt)".to_string()),
            (Some(_), None) => Err("no direction (CdtDbtInd)".to_string()),
            (Some(text), Some(_)) => text
                .parse::<Decimal>()
                .map(|a| if debit { -a } else { a })
                .map_err(|_| format!("\"{text}\" is not an amount (Amt)")),
        };
        let date_text = self.booked.or(self.value_date).unwrap_or_default();
        let date = date_text
            .get(..10)
            .and_then(|d| NaiveDate::parse_from_str(d, "%Y-%m-%d").ok())
            .ok_or_else(|| format!("\"{date_text}\" is not a date (BookgDt)"));
        // The other party: who was paid on a debit, who paid on a credit.
        let (other, own) = if debit { (self.creditor, self.debtor) } else { (self.debtor, self.creditor) };
        let remittance = self.remittance.join(" ");
        let payee = other.or(own).or_else(|| self.additional.clone()).unwrap_or_else(|| remittance.clone());
        let memo = if remittance.is_empty() || remittance == payee {
            self.additional.filter(|a| *a != payee).unwrap_or_default()
        } else {
            remittance
        };
        let skip = match self.status.as_deref() {
            Some("PDNG") => Some("pending (not booked yet)".to_string()),
            Some("INFO") => Some("for information only, not booked".to_string()),
            _ => None,
        };
        let currency = self.currency.as_deref().and_then(super::values::Currency::parse);
        RawRow { line: self.line, date, amount, payee, memo, bank_id: self.reference, balance: None, currency, skip }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_both_shapes_of_entry_with_signs_parties_and_references() {
        let xml = r#"<?xml version="1.0" encoding="UTF-8"?>
<Document xmlns="urn:iso:std:iso:20022:tech:xsd:camt.053.001.08"><BkToCstmrStmt><Stmt>
  <Bal><Amt Ccy="EUR">100.00</Amt><CdtDbtInd>CRDT</CdtDbtInd></Bal>
  <Ntry><Amt Ccy="EUR">12.50</Amt><CdtDbtInd>DBIT</CdtDbtInd><Sts><Cd>BOOK</Cd></Sts>
    <BookgDt><DtTm>2024-05-06T10:00:00+02:00</DtTm></BookgDt><AcctSvcrRef>R-1</AcctSvcrRef>
    <NtryDtls><TxDtls><Amt Ccy="EUR">12.50</Amt><RltdPties><Dbtr><Pty><Nm>Me</Nm></Pty></Dbtr><Cdtr><Pty><Nm>Caf&#233; &amp; Co</Nm></Pty></Cdtr></RltdPties>
    <RmtInf><Ustrd>Order 7</Ustrd><Ustrd>table 3</Ustrd></RmtInf></TxDtls></NtryDtls></Ntry>
  <Ntry><Amt Ccy="EUR">2000</Amt><CdtDbtInd>CRDT</CdtDbtInd><Sts>BOOK</Sts><BookgDt><Dt>2024-05-07</Dt></BookgDt>
    <NtryDtls><TxDtls><Refs><AcctSvcrRef>R-2</AcctSvcrRef></Refs><RltdPties><Dbtr><Nm>Employer</Nm></Dbtr></RltdPties></TxDtls></NtryDtls></Ntry>
  <Ntry><Amt Ccy="EUR">5</Amt><CdtDbtInd>DBIT</CdtDbtInd><Sts>PDNG</Sts><ValDt><Dt>2024-05-08</Dt></ValDt>
    <AddtlNtryInf>Card reservation</AddtlNtryInf></Ntry>
</Stmt></BkToCstmrStmt></Document>"#;
        assert!(looks_like_camt(xml));
        let rows = rows(xml).expect("rows");
        assert_eq!(rows.len(), 3, "the balance's Amt is not an entry");
        let r = &rows[0];
        assert_eq!(
            (r.date.clone().ok(), r.amount.clone().ok()),
            (NaiveDate::from_ymd_opt(2024, 5, 6), Some(Decimal::new(-1250, 2)))
        );
        assert_eq!(
            (r.payee.as_str(), r.memo.as_str(), r.bank_id.as_deref(), r.line),
            ("Café & Co", "Order 7 table 3", Some("R-1"), 4)
        );
        assert_eq!(r.currency.map(|c| c.to_string()).as_deref(), Some("EUR"));
        assert_eq!(
            (rows[1].payee.as_str(), rows[1].amount.clone().ok(), rows[1].bank_id.as_deref()),
            ("Employer", Some(Decimal::new(2000, 0)), Some("R-2"))
        );
        assert_eq!(
            (rows[2].payee.as_str(), rows[2].skip.as_deref()),
            ("Card reservation", Some("pending (not booked yet)"))
        );
    }

    #[test]
    fn broken_xml_and_missing_fields_are_reasons_not_panics() {
        assert!(rows("<Document><BkToCstmrStmt><Ntry><Amt>1</Amt></Ntr></Document>").is_err());
        let rows =
            rows("<BkToCstmrStmt><Ntry><Amt>x</Amt><CdtDbtInd>CRDT</CdtDbtInd></Ntry></BkToCstmrStmt>").expect("rows");
        assert!(rows[0].amount.is_err() && rows[0].date.is_err());
    }
}
