//! The generations of a vault's key this device holds (docs/sync.md, "Households"). The first is the
//! key file's sync root; a member's removal starts the next, which reaches each member that stays — the
//! owner's own devices included — sealed to its account's key pair (`account::Identity`). A device
//! seals under the newest generation it holds and opens each record under the one it names
//! (`record::epoch_of`). Later generations are kept in the vault (encrypted like everything in it).

use std::collections::BTreeMap;

use rusqlite::Connection;
use zeroize::Zeroizing;

use super::account::Identity;
use super::client::Client;
use super::record::SyncKey;
use super::state;
use crate::error::{Error, Result};

pub(crate) struct Keyring {
    vault: String,
    roots: BTreeMap<u32, Zeroizing<[u8; 32]>>,
}

impl std::fmt::Debug for Keyring {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Keyring").field("epochs", &self.roots.keys().collect::<Vec<_>>()).finish()
    }
}

impl Keyring {
    /// No generation yet (a member's, before its grants are opened).
    pub(crate) fn empty(vault: &str) -> Keyring {
        Keyring { vault: vault.to_string(), roots: BTreeMap::new() }
    }

    /// The first generation alone.
    pub(crate) fn first(vault: &str, root: &[u8; 32]) -> Keyring {
        Keyring { vault: vault.to_string(), roots: BTreeMap::from([(0, Zeroizing::new(*root))]) }
    }

    /// The first generation and the later ones kept in the vault behind `conn`.
    pub(crate) fn of_vault(conn: &Connection, vault: &str, root: &[u8; 32]) -> Result<Keyring> {
        let mut ring = Keyring::first(vault, root);
        for (epoch, hex) in state::epoch_roots(conn)? {
            ring.roots.insert(epoch, Zeroizing::new(root_from_hex(&hex)?));
        }
        Ok(ring)
    }

    pub(crate) fn newest(&self) -> u32 {
        self.roots.keys().next_back().copied().unwrap_or(0)
    }

    pub(crate) fn root(&self, epoch: u32) -> Option<&[u8; 32]> {
        self.roots.get(&epoch).map(|r| &**r)
    }

    /// The key records of generation `epoch` are sealed under.
    pub(crate) fn key(&self, epoch: u32) -> Result<SyncKey> {
        let root = self.root(epoch).ok_or_else(|| {
            Error::SyncRefused(format!(
                "a record is sealed under generation {epoch} of the vault's key, which this account was not given"
            ))
        })?;
        Ok(SyncKey::derive(root, &self.vault))
    }

    pub(crate) fn insert(&mut self, epoch: u32, root: Zeroizing<[u8; 32]>) {
        self.roots.insert(epoch, root);
    }

    /// The generations after the first, to keep in a vault.
    pub(crate) fn later(&self) -> impl Iterator<Item = (u32, &[u8; 32])> {
        self.roots.iter().filter(|(e, _)| **e > 0).map(|(e, r)| (*e, &**r))
    }

    pub(crate) fn epochs(&self) -> impl Iterator<Item = u32> + '_ {
        self.roots.keys().copied()
    }

    /// Opens the grants the server holds for `me` (signed in on `client`) of the generations this ring
    /// lacks, through `wanted` (the vault's current one); a generation the account was not given is
    /// refused, and so is a grant not sealed by `owner_key`, the vault owner's public key as this
    /// device first learnt it: the server, which knows every public key, could otherwise seal a key of
    /// its own making "from the owner" and read what the device then seals.
    pub(crate) fn learn(
        &mut self,
        client: &Client,
        identity: &Identity,
        me: &str,
        owner_key: &[u8],
        wanted: u32,
    ) -> Result<()> {
        if self.root(wanted).is_some() && self.newest() >= wanted {
            return Ok(());
        }
        self.open_grants(&client.grants(&self.vault)?.grants, identity, me, owner_key)?;
        match self.root(wanted) {
            Some(_) => Ok(()),
            None => Err(Error::SyncRefused(format!(
                "the vault's key is at generation {wanted}, which the owner has not given this account"
            ))),
        }
    }

    /// Opens the generations in `grants` this ring lacks (every grant must be sealed by `owner_key`).
    pub(crate) fn open_grants(
        &mut self,
        grants: &[credence_protocol::Grant],
        identity: &Identity,
        me: &str,
        owner_key: &[u8],
    ) -> Result<()> {
        for grant in grants {
            if grant.from_public.0 != owner_key {
                return Err(Error::SyncRefused(format!(
                    "a key for this vault was sealed by a key that is not its owner's ({}); nothing of it was used",
                    super::account::fingerprint(&grant.from_public.0)
                )));
            }
            if self.root(grant.epoch).is_none() {
                let root = identity.open_grant(
                    &self.vault,
                    grant.epoch,
                    &grant.from,
                    me,
                    &grant.from_public.0,
                    &grant.sealed.0,
                )?;
                self.insert(grant.epoch, root);
            }
        }
        Ok(())
    }
}

fn root_from_hex(hex: &str) -> Result<[u8; 32]> {
    let bytes = Zeroizing::new(
        data_encoding::HEXLOWER
            .decode(hex.as_bytes())
            .map_err(|_| Error::Damaged("a kept generation of the vault's key does not read".into()))?,
    );
    bytes[..].try_into().map_err(|_| Error::Damaged("a kept generation of the vault's key is not 32 bytes".into()))
}

/// A root as kept in the vault.
pub(crate) fn root_to_hex(root: &[u8; 32]) -> Zeroizing<String> {
    Zeroizing::new(data_encoding::HEXLOWER.encode(root))
}
