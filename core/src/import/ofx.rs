//! OFX 1.x (SGML: leaf tags are never closed), OFX 2.x (XML) and QFX statements. Only what an import
//! needs is read: each STMTTRN's FITID, DTPOSTED, TRNAMT, NAME and MEMO, with its line number, and its
//! currency: the statement's CURDEF, unless the transaction has a CURRENCY aggregate (its amount is then
//! in that currency; an ORIGCURRENCY only says what it was converted from). Values may be CDATA
//! sections (Suncorp writes `<NAME><![CDATA[ALDI STORE  ]]></NAME>`).

/// One `<STMTTRN>` block, its values still text.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct OfxTransaction {
    pub line: u64,
    pub fitid: Option<String>,
    pub posted: Option<String>,
    pub amount: Option<String>,
    pub name: Option<String>,
    pub memo: Option<String>,
    pub kind: Option<String>,
    pub currency: Option<String>,
}

/// True when the start of a file is an OFX or QFX statement.
pub fn looks_like_ofx(head: &str) -> bool {
    let start: String = head.chars().take(4096).collect::<String>().to_uppercase();
    start.contains("OFXHEADER") || start.contains("<OFX>")
}

/// Every transaction in the statement, in file order.
pub fn transactions(text: &str) -> Vec<OfxTransaction> {
    let mut out = Vec::new();
    let mut current: Option<OfxTransaction> = None;
    let mut statement_currency: Option<String> = None;
    // Inside a CURRENCY (true) or ORIGCURRENCY (false) aggregate of the current transaction.
    let mut in_currency: Option<bool> = None;
    let mut line: u64 = 1;
    let mut pos = 0;
    let bytes = text.as_bytes();
    while let Some(offset) = text[pos..].find('<') {
        let start = pos + offset;
        line += bytes[pos..start].iter().filter(|b| **b == b'\n').count() as u64;
        let Some(end_rel) = text[start..].find('>') else { break };
        let end = start + end_rel;
        let tag = text[start + 1..end].trim().to_uppercase();
        let (raw_value, value_end) = value_after(text, end + 1);
        let value = decode_entities(raw_value.trim());
        match tag.as_str() {
            "STMTTRN" => {
                current = Some(OfxTransaction { line, currency: statement_currency.clone(), ..Default::default() })
            }
            "/STMTTRN" => {
                out.extend(current.take());
                in_currency = None;
            }
            "CURRENCY" => in_currency = Some(true),
            "ORIGCURRENCY" => in_currency = Some(false),
            "/CURRENCY" | "/ORIGCURRENCY" => in_currency = None,
            "CURDEF" if current.is_none() && !value.is_empty() => statement_currency = Some(value),
            "CURSYM" => {
                if let (Some(t), Some(true)) = (current.as_mut(), in_currency) {
                    t.currency = Some(value);
                }
            }
            _ => {
                if let Some(t) = current.as_mut().filter(|_| !value.is_empty()) {
                    let slot = match tag.as_str() {
                        "FITID" => &mut t.fitid,
                        "DTPOSTED" => &mut t.posted,
                        "TRNAMT" => &mut t.amount,
                        "NAME" | "PAYEE" => &mut t.name,
                        "MEMO" => &mut t.memo,
                        "TRNTYPE" => &mut t.kind,
                        _ => &mut None,
                    };
                    if slot.is_none() {
                        *slot = Some(value);
                    }
                }
            }
        }
        line += bytes[start..value_end].iter().filter(|b| **b == b'\n').count() as u64;
        pos = value_end.max(end + 1);
    }
    // An SGML file may end a block implicitly; keep what was read.
    out.extend(current);
    out
}

/// The text after a tag up to the next tag, and where it ends; a CDATA section is taken whole (it may
/// hold `<`), without its markers.
fn value_after(text: &str, from: usize) -> (&str, usize) {
    let rest = &text[from..];
    let trimmed = rest.trim_start();
    if let Some(inner) = trimmed.strip_prefix("<![CDATA[") {
        if let Some(close) = inner.find("]]>") {
            let cdata_start = from + (rest.len() - trimmed.len()) + "<![CDATA[".len();
            return (&text[cdata_start..cdata_start + close], cdata_start + close + "]]>".len());
        }
    }
    let end = rest.find('<').map_or(text.len(), |i| from + i);
    (&text[from..end], end)
}

fn decode_entities(s: &str) -> String {
    if !s.contains('&') {
        return s.to_string();
    }
    s.replace("&lt;", "<").replace("&gt;", ">").replace("&quot;", "\"").replace("&apos;", "'").replace("&amp;", "&")
}

/// `YYYYMMDD[HHMMSS[.XXX][[-5:EST]]]` → the date part as `YYYYMMDD`.
pub fn posted_date(value: &str) -> &str {
    value.get(..8).unwrap_or(value)
}

#[cfg(test)]
mod tests {
    use super::*;

    const SGML: &str = "OFXHEADER:100\nDATA:OFXSGML\nVERSION:102\n\n<OFX>\n<BANKMSGSRSV1><STMTTRNRS><STMTRS>\n<BANKTRANLIST>\n<STMTTRN>\n<TRNTYPE>DEBIT\n<DTPOSTED>20240105120000[-5:EST]\n<TRNAMT>-42.10\n<FITID>A1\n<NAME>AT&amp;T BILL\n<MEMO>Phone\n</STMTTRN>\n<STMTTRN>\n<TRNTYPE>CREDIT\n<DTPOSTED>20240106\n<TRNAMT>1000.00\n<FITID>A2\n<NAME>PAYROLL\n</STMTTRN>\n</BANKTRANLIST></STMTRS></STMTTRNRS></BANKMSGSRSV1></OFX>\n";

    #[test]
    fn sgml_with_unclosed_leaf_tags() {
        let t = transactions(SGML);
        assert_eq!(t.len(), 2);
        assert_eq!(t[0].fitid.as_deref(), Some("A1"));
        assert_eq!(t[0].name.as_deref(), Some("AT&T BILL"));
        assert_eq!(posted_date(t[0].posted.as_deref().expect("date")), "20240105");
        assert_eq!(t[0].amount.as_deref(), Some("-42.10"));
        assert_eq!(t[0].line, 8);
        assert_eq!(t[1].memo, None);
        assert!(looks_like_ofx(SGML));
    }

    #[test]
    fn xml_with_closed_tags() {
        let xml = "<?xml version=\"1.0\"?><?OFX OFXHEADER=\"200\"?><OFX><CREDITCARDMSGSRSV1><CCSTMTTRNRS><CCSTMTRS><BANKTRANLIST><STMTTRN><TRNTYPE>DEBIT</TRNTYPE><DTPOSTED>20240107</DTPOSTED><TRNAMT>-5.25</TRNAMT><FITID>X9</FITID><NAME>CAFE</NAME></STMTTRN></BANKTRANLIST></CCSTMTRS></CCSTMTTRNRS></CREDITCARDMSGSRSV1></OFX>";
        let t = transactions(xml);
        assert_eq!(t.len(), 1);
        assert_eq!(
            (t[0].fitid.as_deref(), t[0].amount.as_deref(), t[0].name.as_deref()),
            (Some("X9"), Some("-5.25"), Some("CAFE"))
        );
        assert!(looks_like_ofx(xml));
        assert!(!looks_like_ofx("Date,Amount\n"));
    }

    #[test]
    fn cdata_names_and_currencies_per_statement_and_transaction() {
        let text = "<OFX><BANKMSGSRSV1><STMTTRNRS><STMTRS><CURDEF>AUD<BANKTRANLIST>\n<STMTTRN><TRNTYPE>DEBIT<DTPOSTED>20131215\
            <TRNAMT>-16.85<FITID>1<NAME><![CDATA[EFTPOS <WDL> ALDI  ]]></NAME></STMTTRN>\n\
            <STMTTRN><TRNTYPE>DEBIT<DTPOSTED>20131216<TRNAMT>-5.00<FITID>2<NAME>SHOP<CURRENCY><CURRATE>1.1<CURSYM>USD</CURRENCY></STMTTRN>\n\
            <STMTTRN><TRNTYPE>DEBIT<DTPOSTED>20131217<TRNAMT>-7.00<FITID>3<NAME>CAFE<ORIGCURRENCY><CURRATE>0.9<CURSYM>EUR</ORIGCURRENCY></STMTTRN>\n\
            </BANKTRANLIST></STMTRS></STMTTRNRS><STMTTRNRS><STMTRS><CURDEF>CAD<BANKTRANLIST><STMTTRN><TRNAMT>1<FITID>4<NAME>X</STMTTRN>\
            </BANKTRANLIST></STMTRS></STMTTRNRS></BANKMSGSRSV1></OFX>";
        let t = transactions(text);
        assert_eq!(t.len(), 4);
        assert_eq!(t[0].name.as_deref(), Some("EFTPOS <WDL> ALDI"));
        let currencies: Vec<_> = t.iter().map(|t| t.currency.as_deref()).collect();
        assert_eq!(
            currencies,
            vec![Some("AUD"), Some("USD"), Some("AUD"), Some("CAD")],
            "ORIGCURRENCY leaves the amount in CURDEF"
        );
        assert_eq!(t[1].line, 3);
    }
}
