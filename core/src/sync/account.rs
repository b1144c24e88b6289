//! The sync account's keys, made on the device (docs/sync.md, "Accounts and households"). The account
//! password is stretched here (Argon2id, salted with the account's name) and split two ways: the
//! **login secret**, which is all the server ever receives and hashes again, and the **identity key**,
//! which seals the account's X25519 key pair for the server to keep. One cannot be had from the other,
//! so the server, which sees the first, cannot open the second.
//!
//! The key pair is how a vault is shared: its owner seals the vault's sync root to a member's public
//! key, authenticated by the owner's own (static X25519 on both sides, so a member knows the key came
//! from the owner it compared fingerprints with, not from the server).

use std::fmt;

use argon2::{Algorithm, Argon2, Params, Version};
use chacha20poly1305::aead::{Aead, KeyInit, Payload};
use chacha20poly1305::{XChaCha20Poly1305, XNonce};
use rand::RngCore;
use sha2::{Digest, Sha256};
use x25519_dalek::{PublicKey, StaticSecret};
use zeroize::Zeroizing;

use crate::error::{Error, Result};

/// The shortest account password a device sends on (the server sees only the login secret).
pub const MIN_PASSWORD_CHARS: usize = 10;
/// The sealed layouts' version byte.
const VERSION: u8 = 1;
const NONCE_LEN: usize = 24;

/// What the account password yields on this device.
pub(crate) struct AccountKeys {
    /// Sent as the password to register, log in, or confirm; base64 of 32 derived bytes.
    pub login: Zeroizing<String>,
    identity: Zeroizing<[u8; 32]>,
}

impl fmt::Debug for AccountKeys {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("AccountKeys(<redacted>)")
    }
}

/// Stretches `password` for the account `user` (its name as the server compares it).
pub(crate) fn derive(user: &str, password: &str) -> Result<AccountKeys> {
    let salt = Sha256::digest(format!("credence account v1|{}", user.trim().to_ascii_lowercase()).as_bytes());
    // The vault key file's floor: 64 MiB, 3 passes (a login is rare; a guess at it should not be cheap).
    let params = Params::new(64 * 1024, 3, 1, Some(32)).map_err(|e| Error::invalid(e.to_string()))?;
    let mut stretched = Zeroizing::new([0u8; 32]);
    Argon2::new(Algorithm::Argon2id, Version::V0x13, params)
        .hash_password_into(password.as_bytes(), &salt, &mut stretched[..])
        .map_err(|e| Error::invalid(format!("the account password cannot be used: {e}")))?;
    let hk = hkdf::Hkdf::<Sha256>::new(None, &stretched[..]);
    let (mut login, mut identity) = (Zeroizing::new([0u8; 32]), Zeroizing::new([0u8; 32]));
    // 32 bytes is far below HKDF-SHA256's limit; the expansions cannot fail.
    let _ = hk.expand(b"credence account login v1", &mut login[..]);
    let _ = hk.expand(b"credence account identity v1", &mut identity[..]);
    Ok(AccountKeys { login: Zeroizing::new(data_encoding::BASE64.encode(&login[..])), identity })
}

/// The account's key pair for sharing. Not `Clone`, never printed.
pub(crate) struct Identity(StaticSecret);

impl fmt::Debug for Identity {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Identity(<redacted>)")
    }
}

/// Seals `payload` under `key` as `version ‖ nonce ‖ ciphertext`, bound to `aad`.
fn seal(key: &[u8; 32], aad: &[u8], payload: &[u8]) -> Result<Vec<u8>> {
    let mut nonce = [0u8; NONCE_LEN];
    rand::rngs::OsRng.fill_bytes(&mut nonce);
    let sealed = XChaCha20Poly1305::new(key.into())
        .encrypt(XNonce::from_slice(&nonce), Payload { msg: payload, aad })
        .map_err(|_| Error::Damaged("a key could not be sealed".into()))?;
    Ok([&[VERSION][..], &nonce, &sealed].concat())
}

fn open(key: &[u8; 32], aad: &[u8], sealed: &[u8], what: &str) -> Result<Zeroizing<Vec<u8>>> {
    let refused = || Error::SyncRefused(format!("{what} does not open: it was changed, or sealed for someone else"));
    match sealed.split_first() {
        Some((&VERSION, rest)) if rest.len() > NONCE_LEN => {
            let (nonce, ciphertext) = rest.split_at(NONCE_LEN);
            XChaCha20Poly1305::new(key.into())
                .decrypt(XNonce::from_slice(nonce), Payload { msg: ciphertext, aad })
                .map(Zeroizing::new)
                .map_err(|_| refused())
        }
        _ => Err(refused()),
    }
}

fn key_of(bytes: &[u8], what: &str) -> Result<[u8; 32]> {
    bytes.try_into().map_err(|_| Error::SyncRefused(format!("{what} is not a 32-byte key")))
}

impl Identity {
    pub(crate) fn generate() -> Identity {
        Identity(StaticSecret::random_from_rng(rand::rngs::OsRng))
    }

    pub(crate) fn public(&self) -> [u8; 32] {
        PublicKey::from(&self.0).to_bytes()
    }

    /// The private key sealed under the account's identity key, for the server to keep.
    pub(crate) fn sealed_for_server(&self, keys: &AccountKeys, user: &str) -> Result<Vec<u8>> {
        seal(&keys.identity, identity_aad(user).as_bytes(), self.0.as_bytes())
    }

    /// The key pair the server kept for `user`, opened with the account's identity key.
    pub(crate) fn from_server(keys: &AccountKeys, user: &str, public: &[u8], sealed: &[u8]) -> Result<Identity> {
        let secret = open(&keys.identity, identity_aad(user).as_bytes(), sealed, "the account's key pair")?;
        let identity = Identity(StaticSecret::from(key_of(&secret, "the account's private key")?));
        if identity.public() != key_of(public, "the account's public key")? {
            return Err(Error::SyncRefused("the server's copy of the account's key pair does not match itself".into()));
        }
        Ok(identity)
    }

    /// The private key, to keep in a vault (which is itself encrypted).
    pub(crate) fn to_hex(&self) -> Zeroizing<String> {
        Zeroizing::new(data_encoding::HEXLOWER.encode(self.0.as_bytes()))
    }

    pub(crate) fn from_hex(text: &str) -> Result<Identity> {
        let bytes = Zeroizing::new(
            data_encoding::HEXLOWER
                .decode(text.as_bytes())
                .map_err(|_| Error::Damaged("the vault's copy of the account key does not read".into()))?,
        );
        Ok(Identity(StaticSecret::from(key_of(&bytes, "the account's private key")?)))
    }

    /// The key both sides of a grant compute: X25519 of one's private and the other's public key,
    /// through HKDF bound to both public keys and the vault.
    fn grant_key(
        &self,
        other: &[u8; 32],
        from: &[u8; 32],
        to: &[u8; 32],
        vault: &str,
        epoch: u32,
    ) -> Result<Zeroizing<[u8; 32]>> {
        let shared = self.0.diffie_hellman(&PublicKey::from(*other));
        if !shared.was_contributory() {
            return Err(Error::SyncRefused("that public key is not one a key can be shared with".into()));
        }
        let hk = hkdf::Hkdf::<Sha256>::new(Some(&[&from[..], &to[..]].concat()), shared.as_bytes());
        let mut key = Zeroizing::new([0u8; 32]);
        let _ = hk.expand(format!("credence grant v1|{vault}|{epoch}").as_bytes(), &mut key[..]);
        Ok(key)
    }

    /// Seals generation `epoch` of the vault's key (its root) from this account (`from_user`) to
    /// `to_user`'s public key.
    pub(crate) fn seal_grant(
        &self,
        vault: &str,
        epoch: u32,
        from_user: &str,
        to_user: &str,
        to_public: &[u8],
        root: &[u8; 32],
    ) -> Result<Vec<u8>> {
        let to_public = key_of(to_public, &format!("{to_user}'s public key"))?;
        let key = self.grant_key(&to_public, &self.public(), &to_public, vault, epoch)?;
        seal(&key, grant_aad(vault, epoch, from_user, to_user).as_bytes(), root)
    }

    /// Opens generation `epoch` of the vault's key that `from_user` (public key `from_public`) sealed
    /// for this account.
    pub(crate) fn open_grant(
        &self,
        vault: &str,
        epoch: u32,
        from_user: &str,
        to_user: &str,
        from_public: &[u8],
        sealed: &[u8],
    ) -> Result<Zeroizing<[u8; 32]>> {
        let from_public = key_of(from_public, &format!("{from_user}'s public key"))?;
        let key = self.grant_key(&from_public, &from_public, &self.public(), vault, epoch)?;
        let aad = grant_aad(vault, epoch, from_user, to_user);
        let root = open(&key, aad.as_bytes(), sealed, "the vault's key from its owner")?;
        Ok(Zeroizing::new(key_of(&root, "the vault's key")?))
    }
}

fn identity_aad(user: &str) -> String {
    format!("credence-identity|v{VERSION}|{}", user.trim().to_ascii_lowercase())
}

fn grant_aad(vault: &str, epoch: u32, from: &str, to: &str) -> String {
    format!("credence-grant|v{VERSION}|{vault}|{epoch}|{from}|{to}")
}

/// A public key as people compare it: the first 16 bytes of its SHA-256, in groups of four hex digits.
pub fn fingerprint(public: &[u8]) -> String {
    let digest = Sha256::digest(public);
    let hex = data_encoding::HEXUPPER.encode(&digest[..16]);
    hex.as_bytes().chunks(4).map(|c| String::from_utf8_lossy(c).into_owned()).collect::<Vec<_>>().join(" ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_login_secret_and_the_identity_key_differ_and_follow_the_name_and_password() {
        let a = derive("Ada@Example.org ", "correct horse battery").expect("derive");
        let same = derive("ada@example.org", "correct horse battery").expect("derive");
        let other = derive("grace@example.org", "correct horse battery").expect("derive");
        assert_eq!(*a.login, *same.login, "the name compares without case or spaces");
        assert_ne!(*a.login, *other.login, "the name salts it");
        assert_ne!(a.login.as_bytes(), data_encoding::BASE64.encode(&a.identity[..]).as_bytes());
        assert!(!a.login.contains("correct horse"), "the password itself never leaves");
    }

    #[test]
    fn a_grant_opens_only_for_its_member_from_its_owner_for_its_vault() {
        let (owner, member, stranger) = (Identity::generate(), Identity::generate(), Identity::generate());
        let root = [7u8; 32];
        let grant = owner.seal_grant("v1", 0, "alice", "bob", &member.public(), &root).expect("seal");
        let opened = member.open_grant("v1", 0, "alice", "bob", &owner.public(), &grant).expect("open");
        assert_eq!(*opened, root);
        assert!(stranger.open_grant("v1", 0, "alice", "bob", &owner.public(), &grant).is_err(), "another account");
        assert!(member.open_grant("v2", 0, "alice", "bob", &owner.public(), &grant).is_err(), "another vault");
        assert!(member.open_grant("v1", 1, "alice", "bob", &owner.public(), &grant).is_err(), "another generation");
        assert!(member.open_grant("v1", 0, "mallory", "bob", &stranger.public(), &grant).is_err(), "another sealer");
        // The server, knowing only public keys, cannot make a grant that opens as the owner's.
        let forged = stranger.seal_grant("v1", 0, "alice", "bob", &member.public(), &[9u8; 32]).expect("seal");
        assert!(member.open_grant("v1", 0, "alice", "bob", &owner.public(), &forged).is_err());
        assert!(owner.seal_grant("v1", 0, "alice", "bob", &[0u8; 32], &root).is_err(), "a degenerate public key");
    }

    #[test]
    fn the_key_pair_round_trips_through_the_server_only_with_the_account_password() {
        let keys = derive("ada", "correct horse battery").expect("derive");
        let identity = Identity::generate();
        let sealed = identity.sealed_for_server(&keys, "ada").expect("seal");
        let back = Identity::from_server(&keys, "ada", &identity.public(), &sealed).expect("open");
        assert_eq!(back.public(), identity.public());
        let wrong = derive("ada", "another password here").expect("derive");
        assert!(Identity::from_server(&wrong, "ada", &identity.public(), &sealed).is_err());
        assert_eq!(Identity::from_hex(&identity.to_hex()).expect("hex").public(), identity.public());
        assert_eq!(fingerprint(&[1u8; 32]).split(' ').count(), 8);
    }
}
