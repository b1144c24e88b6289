//! Backups: one self-contained file holding the key file and a consistent, still-encrypted copy of the
//! database (made with `sqlcipher_export`, never a raw copy of a live WAL database). Restoring needs the
//! passphrase that was current when the backup was taken.
//!
//! Layout (do not change; add a version): `CREDENCE-BACKUP\n`, u32 LE format version (1), u32 LE key
//! file length, the key file, then the database bytes to the end.

use std::fs::{self, File};
use std::io::{self, BufReader, BufWriter, Read, Write};
use std::path::{Path, PathBuf};

use rusqlite::OpenFlags;

use super::keyfile::{key_file_path, KeyFile};
use super::lock::VaultLock;
use super::secret::VaultKeys;
use super::swap::{self, Replaced};
use super::{check_incoming, connect, fresh_aside, settle_locked, Passphrase, Vault};
use crate::error::{Error, Result};
use crate::files;

const MAGIC: &[u8; 16] = b"CREDENCE-BACKUP\n";
const FORMAT_VERSION: u32 = 1;
const MAX_KEY_FILE: u32 = 64 * 1024;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BackupSummary {
    pub path: PathBuf,
    pub bytes: u64,
}

impl Vault {
    /// Writes a backup of the open vault to `out` (replacing it atomically if it exists).
    pub fn backup(&self, out: &Path) -> Result<BackupSummary> {
        self.refuse_own_files(out)?;
        let export = files::temp_beside(out, ".exporting");
        let result = self
            .export_database(&export, &self.keys, self.key_file.page_size())
            .and_then(|()| write_bundle(out, &self.key_file, &export))
            .map_err(|e| e.full_disk_at(out));
        let _ = fs::remove_file(&export);
        result?;
        let bytes = fs::metadata(out).map_err(Error::io(out))?.len();
        Ok(BackupSummary { path: out.to_owned(), bytes })
    }

    /// Writes a consistent copy of the database to the new file `to`, encrypted with `keys`' database
    /// key (the vault's own for a backup, a new one for a rekey) in pages of `page_size` bytes (the
    /// vault's own, except for a sync snapshot).
    pub(super) fn export_database(&self, to: &Path, keys: &VaultKeys, page_size: u32) -> Result<()> {
        let key = keys.sqlcipher_key_literal();
        let raw = key.as_str();
        let path = to.to_str().ok_or_else(|| Error::invalid("the backup path is not valid Unicode"))?;
        // The vault connection never opens with CREATE, so ATTACH needs the (empty) file to exist.
        drop(files::create_new(to)?);
        self.conn.execute("ATTACH DATABASE ?1 AS backup KEY ?2", [path, raw])?;
        self.conn.execute_batch(&format!("PRAGMA backup.cipher_page_size = {page_size};"))?;
        let version = self.schema_version()?;
        let result = self
            .conn
            .query_row("SELECT sqlcipher_export('backup')", [], |_| Ok(()))
            .and_then(|()| self.conn.pragma_update(Some("backup"), "user_version", version));
        self.conn.execute("DETACH DATABASE backup", [])?;
        Ok(result?)
    }

    /// Replaces the vault at `vault_path` with the backup at `backup`. The backup is unpacked and checked
    /// (passphrase, integrity) beside the vault first; then, under the exclusive vault lock (so no open
    /// app or command has its files renamed from under it), the current vault is checkpointed if the
    /// passphrase opens it and swapped out, journaled (`swap`): it is kept whole, WAL beside it, as
    /// `<vault>.before-restore-<time>`, and a crash at any point leaves the old or the restored vault.
    /// A wrong passphrase writes nothing.
    pub fn restore(backup: &Path, vault_path: &Path, passphrase: &Passphrase) -> Result<Vault> {
        let (mut reader, key_file, keys) = open_backup(backup, passphrase)?;

        files::create_dir_owner_only(files::folder_of(vault_path))?;
        let exclusive = VaultLock::exclusive(vault_path)?;
        settle_locked(vault_path)?;
        let (staged_db, staged_keys) = (swap::incoming_database(vault_path), swap::incoming_key_file(vault_path));
        let staged = (|| {
            copy_to_new_file(&mut reader, &staged_db)?;
            key_file.write_atomically(&staged_keys)?;
            check_incoming(vault_path, &keys, "the backup")
        })();
        if let Err(e) = staged {
            swap::discard_unfinished(vault_path);
            return Err(e.full_disk_at(vault_path));
        }
        checkpoint_if_it_opens(vault_path, passphrase);
        swap::swap_in(vault_path, &Replaced::KeptAs(fresh_aside(vault_path, "before-restore")))?;
        drop(exclusive);
        Vault::open(vault_path, passphrase)
    }

    /// Whether `backup` is a backup that `passphrase` opens, before anything is closed or replaced (a
    /// wrong passphrase or file is told at once, and the open vault stays open).
    pub fn check_backup(backup: &Path, passphrase: &Passphrase) -> Result<()> {
        open_backup(backup, passphrase).map(drop)
    }
}

/// The backup's reader past its header, its key file, and the keys the passphrase unwraps from it.
fn open_backup(backup: &Path, passphrase: &Passphrase) -> Result<(BufReader<File>, KeyFile, VaultKeys)> {
    let mut reader = BufReader::new(File::open(backup).map_err(Error::io(backup))?);
    let key_file = read_bundle_header(backup, &mut reader)?;
    let keys = key_file.unlock_with_passphrase(passphrase)?;
    Ok((reader, key_file, keys))
}

/// Folds the WAL of the vault about to be set aside into its database, so the copy kept is one file.
/// Where the passphrase does not open it (a backup from before a passphrase change) the WAL is kept
/// beside it instead, under the name SQLite pairs it with, and the kept vault is just as complete.
fn checkpoint_if_it_opens(vault_path: &Path, passphrase: &Passphrase) {
    let Ok(key_file) = KeyFile::read(&key_file_path(vault_path)) else { return };
    let Ok(keys) = key_file.unlock_with_passphrase(passphrase) else { return };
    if let Ok(conn) = connect(vault_path, &keys, &key_file, OpenFlags::empty()) {
        let _ = conn.execute_batch("PRAGMA wal_checkpoint(TRUNCATE);");
        let _ = conn.close();
    }
}

impl Vault {
    /// A backup written over the vault itself, its key file, WAL or shared memory would destroy what
    /// it saves: refused.
    fn refuse_own_files(&self, out: &Path) -> Result<()> {
        let canonical = |p: &Path| -> Option<PathBuf> {
            let name = p.file_name()?;
            Some(fs::canonicalize(files::folder_of(p)).ok()?.join(name))
        };
        let target = canonical(out);
        let own = [
            self.path.clone(),
            files::beside(&self.path, "-wal"),
            files::beside(&self.path, "-shm"),
            key_file_path(&self.path),
        ];
        if own.iter().any(|f| canonical(f).is_some() && canonical(f) == target) {
            return Err(Error::invalid(format!(
                "{} is one of the vault's own files; choose another place for the backup",
                out.display()
            )));
        }
        Ok(())
    }
}

fn write_bundle(out: &Path, key_file: &KeyFile, database: &Path) -> Result<()> {
    let tmp = files::temp_beside(out, ".writing");
    let result = (|| {
        let mut file = BufWriter::new(files::create_new(&tmp)?);
        let key_bytes = key_file.to_bytes();
        let io = Error::io(&tmp);
        let write = |file: &mut BufWriter<File>| -> io::Result<()> {
            file.write_all(MAGIC)?;
            file.write_all(&FORMAT_VERSION.to_le_bytes())?;
            file.write_all(&(key_bytes.len() as u32).to_le_bytes())?;
            file.write_all(&key_bytes)?;
            io::copy(&mut File::open(database)?, file)?;
            file.flush()?;
            file.get_ref().sync_all()
        };
        write(&mut file).map_err(io)?;
        fs::rename(&tmp, out).map_err(Error::io(out))?;
        files::sync_dir(files::folder_of(out))
    })();
    if result.is_err() {
        let _ = fs::remove_file(&tmp);
    }
    result
}

fn read_bundle_header(path: &Path, reader: &mut impl Read) -> Result<KeyFile> {
    let not_backup = |why: &str| Error::NotABackup { path: path.to_owned(), why: why.into() };
    let mut magic = [0u8; 16];
    reader.read_exact(&mut magic).map_err(|_| not_backup("it is too short"))?;
    if &magic != MAGIC {
        return Err(not_backup("it does not start with the backup marker"));
    }
    let mut word = [0u8; 4];
    reader.read_exact(&mut word).map_err(|_| not_backup("it is truncated"))?;
    let version = u32::from_le_bytes(word);
    if version != FORMAT_VERSION {
        return Err(not_backup(&format!("unknown backup format {version}; update Credence")));
    }
    reader.read_exact(&mut word).map_err(|_| not_backup("it is truncated"))?;
    let len = u32::from_le_bytes(word);
    if len > MAX_KEY_FILE {
        return Err(not_backup("its key section is implausibly large"));
    }
    let mut key_bytes = vec![0u8; len as usize];
    reader.read_exact(&mut key_bytes).map_err(|_| not_backup("it is truncated"))?;
    KeyFile::from_bytes(&key_bytes)
}

fn copy_to_new_file(reader: &mut impl Read, to: &Path) -> Result<()> {
    let _ = fs::remove_file(to);
    let mut file = files::create_new(to)?;
    let copied = io::copy(reader, &mut file).map_err(Error::io(to))?;
    if copied == 0 {
        return Err(Error::Damaged("the backup holds no database".into()));
    }
    file.sync_all().map_err(Error::io(to))
}
