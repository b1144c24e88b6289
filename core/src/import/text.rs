//! Turning a statement file's bytes into text: BOM first, then valid UTF-8, else Windows-1252 (a
//! superset of ISO-8859-1, what German and older US exports use), unless the user names an encoding.

use std::fs::File;
use std::io::{BufReader, Read};
use std::path::Path;

use encoding_rs::Encoding;
use encoding_rs_io::DecodeReaderBytesBuilder;

use crate::error::{Error, Result};

/// UTF-16 without a byte-order mark (Windows exports): text whose every other byte is zero.
fn utf16_without_bom(start: &[u8]) -> Option<&'static Encoding> {
    let pairs = start.len() / 2;
    if pairs < 8 {
        return None;
    }
    let zeros_at = |offset: usize| start.chunks_exact(2).filter(|p| p[offset] == 0).count();
    let (even, odd) = (zeros_at(0), zeros_at(1));
    if odd * 10 >= pairs * 9 && even == 0 {
        Some(encoding_rs::UTF_16LE)
    } else if even * 10 >= pairs * 9 && odd == 0 {
        Some(encoding_rs::UTF_16BE)
    } else {
        None
    }
}

/// How a file's bytes become text.
#[derive(Debug, Clone, Copy)]
pub struct TextEncoding(&'static Encoding);

impl TextEncoding {
    pub fn name(self) -> &'static str {
        self.0.name()
    }

    pub fn by_label(label: &str) -> Result<Self> {
        Encoding::for_label(label.trim().as_bytes()).map(TextEncoding).ok_or_else(|| {
            Error::invalid(format!("\"{label}\" is not a text encoding (try utf-8, windows-1252, iso-8859-1, utf-16)"))
        })
    }

    /// Looks at the whole file: a BOM decides; else UTF-8 if every byte sequence is valid UTF-8.
    pub fn detect(path: &Path) -> Result<Self> {
        let mut file = BufReader::with_capacity(1 << 16, File::open(path).map_err(Error::io(path))?);
        let mut head = [0u8; 3];
        let n = read_up_to(&mut file, &mut head).map_err(Error::io(path))?;
        if let Some((enc, _)) = Encoding::for_bom(&head[..n]) {
            return Ok(TextEncoding(enc));
        }
        let mut validator = Utf8Validator::default();
        validator.feed(&head[..n]);
        let mut buf = vec![0u8; 1 << 16];
        let mut start = head[..n].to_vec();
        loop {
            let n = file.read(&mut buf).map_err(Error::io(path))?;
            if !start.is_empty() {
                start.extend_from_slice(&buf[..n]);
                if let Some(utf16) = utf16_without_bom(&start) {
                    return Ok(TextEncoding(utf16));
                }
                start = Vec::new();
            }
            if n == 0 || !validator.feed(&buf[..n]) {
                break;
            }
        }
        Ok(TextEncoding(if validator.finish() { encoding_rs::UTF_8 } else { encoding_rs::WINDOWS_1252 }))
    }

    /// The file as UTF-8 text, BOM removed.
    pub fn open(self, path: &Path) -> Result<Box<dyn Read + Send>> {
        let file = File::open(path).map_err(Error::io(path))?;
        let reader = DecodeReaderBytesBuilder::new()
            .encoding(Some(self.0))
            .bom_override(true)
            .strip_bom(true)
            .utf8_passthru(true)
            .build(BufReader::with_capacity(1 << 16, file));
        Ok(Box::new(reader))
    }
}

fn read_up_to(r: &mut impl Read, buf: &mut [u8]) -> std::io::Result<usize> {
    let mut filled = 0;
    while filled < buf.len() {
        let n = r.read(&mut buf[filled..])?;
        if n == 0 {
            break;
        }
        filled += n;
    }
    Ok(filled)
}

/// Validates UTF-8 across chunk boundaries.
#[derive(Default)]
struct Utf8Validator {
    carry: Vec<u8>,
    invalid: bool,
}

impl Utf8Validator {
    /// Returns false once the input is known not to be UTF-8.
    fn feed(&mut self, chunk: &[u8]) -> bool {
        if self.invalid {
            return false;
        }
        let mut data = std::mem::take(&mut self.carry);
        data.extend_from_slice(chunk);
        match std::str::from_utf8(&data) {
            Ok(_) => {}
            Err(e) if e.error_len().is_none() => self.carry = data[e.valid_up_to()..].to_vec(),
            Err(_) => self.invalid = true,
        }
        !self.invalid
    }

    fn finish(self) -> bool {
        !self.invalid && self.carry.is_empty()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn detect(bytes: &[u8]) -> (&'static str, String) {
        let dir = tempfile::tempdir().expect("tempdir");
        let path = dir.path().join("f.csv");
        std::fs::write(&path, bytes).expect("write");
        let enc = TextEncoding::detect(&path).expect("detect");
        let mut text = String::new();
        enc.open(&path).expect("open").read_to_string(&mut text).expect("decode");
        (enc.name(), text)
    }

    #[test]
    fn bom_then_utf8_then_windows_1252() {
        assert_eq!(detect(b"\xEF\xBB\xBFDatum;Betrag\n"), ("UTF-8", "Datum;Betrag\n".to_string()));
        assert_eq!(detect("Währung;Café\n".as_bytes()), ("UTF-8", "Währung;Café\n".to_string()));
        assert_eq!(detect(b"W\xE4hrung;Caf\xE9 \x80\n"), ("windows-1252", "Währung;Café €\n".to_string()));
        let utf16: Vec<u8> =
            [0xFF, 0xFE].into_iter().chain("Date,Amount\n".encode_utf16().flat_map(u16::to_le_bytes)).collect();
        assert_eq!(detect(&utf16), ("UTF-16LE", "Date,Amount\n".to_string()));
        let no_bom: Vec<u8> = "Datum;Betrag\n".encode_utf16().flat_map(u16::to_le_bytes).collect();
        assert_eq!(detect(&no_bom), ("UTF-16LE", "Datum;Betrag\n".to_string()), "Windows exports often have no BOM");
    }

    #[test]
    fn a_multibyte_character_split_across_chunks_is_still_utf8() {
        let mut v = Utf8Validator::default();
        let bytes = "é".as_bytes();
        assert!(v.feed(&bytes[..1]));
        assert!(v.feed(&bytes[1..]));
        assert!(v.finish());
    }
}
