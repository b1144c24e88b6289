//! Duplicate detection. A row's key is the bank's own id where the file has one (FITID, Monzo's
//! Transaction ID); otherwise its date, amount and payee plus how many identical rows came before it in
//! the same file. So importing a file twice, or an overlapping statement, adds only the rows not seen
//! yet, while two genuine identical coffees on one day are both kept.

use std::collections::{HashMap, HashSet};
use std::hash::{BuildHasherDefault, Hash, Hasher};

use chrono::NaiveDate;
use sha2::{Digest, Sha256};
use uuid::Uuid;

use crate::error::Result;

pub type Fingerprint = [u8; 16];

trait Epoch {
    const MIN_1900: NaiveDate;
}

impl Epoch for NaiveDate {
    const MIN_1900: NaiveDate = match NaiveDate::from_ymd_opt(1900, 1, 1) {
        Some(d) => d,
        None => NaiveDate::MIN,
    };
}

/// The fingerprints already in an account, and the occurrence counts of the file being read. Only
/// fingerprints are held (16 bytes each; read from the covering index, not the table), so a
/// million-row account costs a few tens of megabytes; which transaction a duplicate repeats is looked up
/// only when asked.
pub struct Dedup {
    known: HashSet<Fingerprint, BuildHasherDefault<DigestHasher>>,
}

/// Hashes values that are already digests (fingerprints, 64-bit hashes) by taking their last 8 bytes:
/// re-hashing them with SipHash was a measurable share of an import's writing thread.
#[derive(Default)]
struct DigestHasher(u64);

impl Hasher for DigestHasher {
    fn finish(&self) -> u64 {
        self.0
    }

    fn write(&mut self, bytes: &[u8]) {
        let mut tail = [0u8; 8];
        let n = bytes.len().min(8);
        tail[..n].copy_from_slice(&bytes[bytes.len() - n..]);
        self.0 = self.0.rotate_left(29) ^ u64::from_le_bytes(tail);
    }

    fn write_u64(&mut self, n: u64) {
        self.0 = self.0.rotate_left(29) ^ n;
    }

    // The length an array or slice hashes first says nothing about a digest.
    fn write_usize(&mut self, _: usize) {}
}

/// Computes the rows' fingerprints in file order (on the reading thread).
pub struct Keys {
    /// Keyed by a 64-bit hash of (date, amount, payee): a collision needs two different rows among
    /// about 2^32, and would only shift an occurrence index.
    occurrences: HashMap<u64, u32, BuildHasherDefault<DigestHasher>>,
    scratch: Vec<u8>,
}

impl Keys {
    pub fn with_capacity(rows: usize) -> Keys {
        Keys { occurrences: HashMap::with_capacity_and_hasher(rows, Default::default()), scratch: Vec::new() }
    }
}

/// Loads the fingerprints of every transaction already imported into `account`, with room for
/// `incoming` more.
pub fn existing(conn: &rusqlite::Connection, account: Uuid, incoming: usize) -> Result<Dedup> {
    let mut stmt =
        conn.prepare("SELECT fingerprint FROM transactions WHERE account_id = ?1 AND fingerprint IS NOT NULL")?;
    let mut rows = stmt.query([account])?;
    let mut known = HashSet::with_capacity_and_hasher(incoming, Default::default());
    while let Some(row) = rows.next()? {
        if let Ok(fp) = <Fingerprint>::try_from(row.get_ref(0)?.as_blob().unwrap_or_default()) {
            known.insert(fp);
        }
    }
    // Room for the file's rows, less those likely already here (a re-import adds none).
    known.reserve(incoming.saturating_sub(known.len()));
    Ok(Dedup { known })
}

fn digest(parts: &[&[u8]]) -> Fingerprint {
    let mut h = Sha256::new();
    for p in parts {
        h.update((p.len() as u32).to_le_bytes());
        h.update(p);
    }
    let full = h.finalize();
    let mut out = [0u8; 16];
    out.copy_from_slice(&full[..16]);
    out
}

/// Writes the payee as compared (upper case, single spaces) into `out`, reusing its memory.
fn normalize_payee_into(payee: &str, out: &mut Vec<u8>) {
    out.clear();
    for (i, word) in payee.split_whitespace().enumerate() {
        if i > 0 {
            out.push(b' ');
        }
        if word.is_ascii() {
            out.extend(word.bytes().map(|b| b.to_ascii_uppercase()));
        } else {
            let mut buf = [0u8; 4];
            for c in word.chars().flat_map(char::to_uppercase) {
                out.extend_from_slice(c.encode_utf8(&mut buf).as_bytes());
            }
        }
    }
}

impl Keys {
    /// The key of the next row of the file. Call once per row, in file order.
    pub fn fingerprint(
        &mut self,
        bank_id: Option<&str>,
        date: NaiveDate,
        amount_minor: i64,
        payee: &str,
    ) -> Fingerprint {
        if let Some(id) = bank_id {
            let mut fp = digest(&[b"bank-id", id.trim().as_bytes()]);
            fp[0] = 0xff;
            return fp;
        }
        let days = (date - NaiveDate::MIN_1900).num_days().clamp(0, 0xfe_ffff) as u32;
        // Which occurrence of this (date, amount, payee) in the file this row is.
        normalize_payee_into(payee, &mut self.scratch);
        let mut quick = std::collections::hash_map::DefaultHasher::new();
        days.hash(&mut quick);
        amount_minor.hash(&mut quick);
        quick.write(&self.scratch);
        let seen = self.occurrences.entry(quick.finish()).or_insert(0);
        let occurrence = *seen;
        *seen += 1;

        let mut h = Sha256::new();
        h.update(b"row");
        h.update(days.to_le_bytes());
        h.update(amount_minor.to_le_bytes());
        h.update(occurrence.to_le_bytes());
        h.update(&self.scratch);
        let mut fp = [0u8; 16];
        fp.copy_from_slice(&h.finalize()[..16]);
        // Lead with the date, so that a statement's rows land next to each other in the fingerprint
        // index instead of all over it (a date-sorted import then writes that index almost in order).
        fp[..3].copy_from_slice(&days.to_be_bytes()[1..]);
        fp
    }
}

impl Dedup {
    /// Adds the fingerprint; false when it was already there (a duplicate).
    pub fn is_new(&mut self, fingerprint: Fingerprint) -> bool {
        self.known.insert(fingerprint)
    }
}

/// The transaction a duplicate repeats (in this account, committed or earlier in this import).
/// The transactions that `wanted` fingerprints belong to in `account`, as (the caller's index, id):
/// one scan of the account's fingerprints however many are asked for (they have no index).
pub fn originals(
    conn: &rusqlite::Connection,
    account: Uuid,
    wanted: &[(usize, Fingerprint)],
) -> Result<Vec<(usize, Uuid)>> {
    if wanted.is_empty() {
        return Ok(Vec::new());
    }
    let mut by_fingerprint: std::collections::HashMap<Fingerprint, Vec<usize>> = std::collections::HashMap::new();
    for (index, fp) in wanted {
        by_fingerprint.entry(*fp).or_default().push(*index);
    }
    let mut stmt =
        conn.prepare("SELECT id, fingerprint FROM transactions WHERE account_id = ?1 AND fingerprint IS NOT NULL")?;
    let mut rows = stmt.query([account])?;
    let mut found = Vec::new();
    while let Some(row) = rows.next()? {
        let Ok(fp) = <Fingerprint>::try_from(row.get_ref(1)?.as_blob().unwrap_or_default()) else { continue };
        if let Some(indexes) = by_fingerprint.remove(&fp) {
            let id: Uuid = row.get(0)?;
            found.extend(indexes.into_iter().map(|i| (i, id)));
        }
    }
    Ok(found)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(2024, 1, d).expect("date")
    }

    #[test]
    fn identical_rows_in_one_file_get_distinct_keys_that_repeat_in_the_next_file() {
        let mut first = Keys::with_capacity(0);
        let a = first.fingerprint(None, day(2), -450, "Blue Bottle");
        let b = first.fingerprint(None, day(2), -450, "BLUE  bottle");
        assert_ne!(a, b, "two coffees on one day are two transactions");
        let mut second = Keys::with_capacity(0);
        assert_eq!(second.fingerprint(None, day(2), -450, "Blue Bottle"), a);
        assert_eq!(second.fingerprint(None, day(2), -450, "Blue Bottle"), b);
        assert_ne!(second.fingerprint(None, day(2), -450, "Blue Bottle"), b, "a third is new");
    }

    #[test]
    fn a_bank_id_is_the_key_whatever_else_changes() {
        let mut d = Keys::with_capacity(0);
        let a = d.fingerprint(Some("FIT-1"), day(2), -450, "x");
        assert_eq!(d.fingerprint(Some("FIT-1"), day(3), -999, "y"), a);
        assert_ne!(d.fingerprint(Some("FIT-2"), day(2), -450, "x"), a);
    }
}
