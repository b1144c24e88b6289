//! A sync record: one device's operation, sealed on the device before it leaves, so the sync server
//! stores bytes it can neither read, move nor replay. XChaCha20-Poly1305 under the vault's sync key,
//! with the vault, the device, the record's place in the device's series and the format version bound
//! as associated data; the payload padded to a size bucket, so the server learns a size class, not the
//! size of one edit. Do not change the sealed layout or the associated data of format 1: records on
//! servers and in other devices' vaults depend on them.

use std::fmt;

use chacha20poly1305::aead::{Aead, KeyInit, Payload};
use chacha20poly1305::{XChaCha20Poly1305, XNonce};
use rand::RngCore;
use zeroize::Zeroizing;

use crate::error::{Error, Result};

/// The sealed layout: this byte, a 24-byte nonce, then the ciphertext with its 16-byte tag. Records
/// sealed under the vault key's first generation keep it.
pub const FORMAT_VERSION: u8 = 1;
/// A record sealed under a later generation of the vault key (after a member's removal): this byte,
/// the generation (u32, little-endian), then as format 1; the generation is bound in the associated
/// data too.
pub const FORMAT_WITH_EPOCH: u8 = 2;
const NONCE_LEN: usize = 24;
const TAG_LEN: usize = 16;
/// A padded payload is the smallest of these that holds it (with its 4-byte length), else a whole
/// number of the largest.
const BUCKETS: [usize; 5] = [256, 1024, 4096, 16384, 65536];
/// Larger payloads are refused: an operation is one person's action (an import travels in pieces).
pub const MAX_PAYLOAD: usize = 16 * 1024 * 1024;

/// The key sync records are sealed under: derived from the vault's sync root key (in the key file,
/// beside the database key) and the vault's id, so it is the same on every device of the vault and
/// never the key that opens the database. Not `Clone`, never printed.
pub struct SyncKey(Zeroizing<[u8; 32]>);

impl SyncKey {
    pub(crate) fn derive(sync_root: &[u8; 32], vault_id: &str) -> SyncKey {
        let hk = hkdf::Hkdf::<sha2::Sha256>::new(Some(vault_id.as_bytes()), sync_root);
        let mut key = Zeroizing::new([0u8; 32]);
        // 32 bytes is far below HKDF-SHA256's limit; the expansion cannot fail.
        let _ = hk.expand(b"credence sync records v1", &mut key[..]);
        SyncKey(key)
    }
}

impl fmt::Debug for SyncKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("SyncKey(<redacted>)")
    }
}

/// Where a record belongs: its vault, the device that wrote it, and its place in that device's series.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RecordId<'a> {
    pub vault: &'a str,
    pub device: &'a str,
    pub seq: u64,
}

impl RecordId<'_> {
    fn associated_data(&self, epoch: u32) -> Vec<u8> {
        match epoch {
            0 => format!("credence-sync-record|v{FORMAT_VERSION}|{}|{}|{}", self.vault, self.device, self.seq),
            _ => {
                format!("credence-sync-record|v{FORMAT_WITH_EPOCH}|{}|{}|{}|{epoch}", self.vault, self.device, self.seq)
            }
        }
        .into_bytes()
    }
}

/// The sealed bytes of `payload` as record `id`, under the vault key's first generation.
pub fn seal(key: &SyncKey, id: &RecordId<'_>, payload: &[u8]) -> Result<Vec<u8>> {
    seal_in(key, 0, id, payload)
}

/// The sealed bytes of `payload` as record `id`, under `key`, the vault key of generation `epoch`.
pub fn seal_in(key: &SyncKey, epoch: u32, id: &RecordId<'_>, payload: &[u8]) -> Result<Vec<u8>> {
    if payload.len() > MAX_PAYLOAD {
        return Err(Error::Invalid(format!("a sync record holds at most {MAX_PAYLOAD} bytes, not {}", payload.len())));
    }
    let padded = pad(payload);
    let mut nonce = [0u8; NONCE_LEN];
    rand::rngs::OsRng.fill_bytes(&mut nonce);
    let cipher = XChaCha20Poly1305::new((&*key.0).into());
    let sealed = cipher
        .encrypt(XNonce::from_slice(&nonce), Payload { msg: &padded[..], aad: &id.associated_data(epoch) })
        .map_err(|_| Error::Damaged("a sync record could not be sealed".into()))?;
    let mut out = Vec::with_capacity(5 + NONCE_LEN + sealed.len());
    match epoch {
        0 => out.push(FORMAT_VERSION),
        _ => {
            out.push(FORMAT_WITH_EPOCH);
            out.extend_from_slice(&epoch.to_le_bytes());
        }
    }
    out.extend_from_slice(&nonce);
    out.extend_from_slice(&sealed);
    Ok(out)
}

/// The generation of the vault key `sealed` says it was sealed under (opening it checks the claim).
pub fn epoch_of(sealed: &[u8]) -> Option<u32> {
    match sealed.split_first()? {
        (&FORMAT_VERSION, _) => Some(0),
        (&FORMAT_WITH_EPOCH, rest) => Some(u32::from_le_bytes(*rest.first_chunk::<4>()?)),
        _ => None,
    }
}

/// The payload of record `id`, if these bytes are exactly what a device holding `key` sealed as that
/// record: anything changed, cut short, sealed under another key, or moved to another vault, device or
/// place in the series is refused.
pub fn open(key: &SyncKey, id: &RecordId<'_>, sealed: &[u8]) -> Result<Zeroizing<Vec<u8>>> {
    let refused = |why: &str| {
        Error::Damaged(format!(
            "sync record {} of device {} did not open ({why}): it was changed, moved, or sealed under another key",
            id.seq, id.device
        ))
    };
    let (&version, rest) = sealed.split_first().ok_or_else(|| refused("empty"))?;
    let (epoch, rest) = match version {
        FORMAT_VERSION => (0, rest),
        FORMAT_WITH_EPOCH => {
            let (epoch, rest) = rest.split_first_chunk::<4>().ok_or_else(|| refused("too short"))?;
            (u32::from_le_bytes(*epoch), rest)
        }
        _ => {
            return Err(refused(&format!(
                "format {version}, this version reads {FORMAT_VERSION} and {FORMAT_WITH_EPOCH}"
            )))
        }
    };
    if rest.len() < NONCE_LEN + TAG_LEN {
        return Err(refused("too short"));
    }
    let (nonce, ciphertext) = rest.split_at(NONCE_LEN);
    let cipher = XChaCha20Poly1305::new((&*key.0).into());
    let padded = Zeroizing::new(
        cipher
            .decrypt(XNonce::from_slice(nonce), Payload { msg: ciphertext, aad: &id.associated_data(epoch) })
            .map_err(|_| refused("its tag does not match"))?,
    );
    unpad(&padded).ok_or_else(|| refused("its padding is not the writer's"))
}

/// The payload's length (4 bytes, little-endian), the payload, and zeros up to the size bucket.
fn pad(payload: &[u8]) -> Zeroizing<Vec<u8>> {
    let needed = 4 + payload.len();
    let largest = BUCKETS[BUCKETS.len() - 1];
    let size = BUCKETS.iter().copied().find(|b| *b >= needed).unwrap_or_else(|| needed.div_ceil(largest) * largest);
    let mut padded = Zeroizing::new(Vec::with_capacity(size));
    padded.extend_from_slice(&(payload.len() as u32).to_le_bytes());
    padded.extend_from_slice(payload);
    padded.resize(size, 0);
    padded
}

fn unpad(padded: &[u8]) -> Option<Zeroizing<Vec<u8>>> {
    let (length, rest) = padded.split_first_chunk::<4>()?;
    let length = u32::from_le_bytes(*length) as usize;
    let (payload, zeros) = (rest.get(..length)?, rest.get(length..)?);
    zeros.iter().all(|b| *b == 0).then(|| Zeroizing::new(payload.to_vec()))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn key(byte: u8) -> SyncKey {
        SyncKey::derive(&[byte; 32], "01a23c00-0000-7000-8000-000000000001")
    }

    const VAULT: &str = "01a23c00-0000-7000-8000-000000000001";

    fn id(device: &str, seq: u64) -> RecordId<'_> {
        RecordId { vault: VAULT, device, seq }
    }

    #[test]
    fn a_record_opens_as_itself_only() {
        let k = key(7);
        let payload = br#"{"op": 42, "summary": "Add transaction Market -42.10"}"#;
        let sealed = seal(&k, &id("laptop", 3), payload).expect("seal");
        assert_eq!(&open(&k, &id("laptop", 3), &sealed).expect("open")[..], payload);
        assert!(!sealed.windows(6).any(|w| w == b"Market"), "no plaintext in the sealed bytes");
        let refused = |what: &str, result: Result<Zeroizing<Vec<u8>>>| {
            let message = result.expect_err(what).to_string();
            assert!(message.contains("did not open"), "{what}: {message}");
        };
        refused("another place in the series (a replay or a reorder)", open(&k, &id("laptop", 4), &sealed));
        refused("another device", open(&k, &id("phone", 3), &sealed));
        let other_vault = RecordId { vault: "01a23c00-0000-7000-8000-000000000002", ..id("laptop", 3) };
        refused("another vault", open(&k, &other_vault, &sealed));
        refused("another key", open(&key(8), &id("laptop", 3), &sealed));
        for i in [0, 1, 30, sealed.len() - 1] {
            let mut tampered = sealed.clone();
            tampered[i] ^= 0x01;
            refused(&format!("byte {i} changed"), open(&k, &id("laptop", 3), &tampered));
        }
        refused("cut short", open(&k, &id("laptop", 3), &sealed[..sealed.len() - 1]));
        refused("empty", open(&k, &id("laptop", 3), &[]));
        assert_ne!(seal(&k, &id("laptop", 3), payload).expect("again"), sealed, "a fresh nonce every time");
    }

    #[test]
    fn a_later_generation_is_named_in_the_record_and_bound_into_it() {
        let k = key(5);
        let sealed = seal_in(&k, 3, &id("laptop", 1), b"after a removal").expect("seal");
        assert_eq!((sealed[0], epoch_of(&sealed)), (FORMAT_WITH_EPOCH, Some(3)));
        assert_eq!(&open(&k, &id("laptop", 1), &sealed).expect("open")[..], b"after a removal");
        let mut relabelled = sealed.clone();
        relabelled[1] = 4;
        assert!(open(&k, &id("laptop", 1), &relabelled).is_err(), "the generation cannot be relabelled");
        let first = seal(&k, &id("laptop", 1), b"before").expect("seal");
        assert_eq!((first[0], epoch_of(&first)), (FORMAT_VERSION, Some(0)), "the first generation keeps format 1");
    }

    #[test]
    fn sizes_are_bucketed_and_the_largest_payload_is_bounded() {
        let k = key(1);
        let size = |n: usize| seal(&k, &id("d", 1), &vec![7u8; n]).expect("seal").len();
        let overhead = 1 + NONCE_LEN + TAG_LEN;
        assert_eq!(size(0), 256 + overhead);
        assert_eq!(size(10), size(200), "one size class");
        assert_eq!(size(253), 1024 + overhead, "a payload and its length past 256 bytes take the next bucket");
        assert_eq!(size(70_000), 2 * 65536 + overhead, "whole 64 KiB beyond the buckets");
        let big = vec![1u8; 70_000];
        let sealed = seal(&k, &id("d", 1), &big).expect("seal");
        assert_eq!(&open(&k, &id("d", 1), &sealed).expect("open")[..], &big[..]);
        assert!(seal(&k, &id("d", 1), &vec![0u8; MAX_PAYLOAD + 1]).is_err());
    }

    #[test]
    fn every_device_of_a_vault_derives_the_same_key_and_other_vaults_another() {
        let payload = b"same vault, same key";
        let sealed = seal(&key(9), &id("laptop", 1), payload).expect("seal");
        assert_eq!(&open(&key(9), &id("laptop", 1), &sealed).expect("another device of the vault")[..], payload);
        let other = SyncKey::derive(&[9; 32], "01a23c00-0000-7000-8000-000000000002");
        assert!(open(&other, &id("laptop", 1), &sealed).is_err(), "the same root under another vault id");
        assert_eq!(format!("{:?}", key(9)), "SyncKey(<redacted>)");
    }
}
