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
use crate::files;
use super::{connect, Passphrase, Vault};
use crate::error::{Error, Result};

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
        let result = self.export_database(&export).and_then(|()| write_bundle(out, &self.key_file, &export));
        let _ = fs::remove_file(&export);
        result?;
        let bytes = fs::metadata(out).map_err(Error::io(out))?.len();
        Ok(BackupSummary { path: out.to_owned(), bytes })
    }

    fn export_database(&self, to: &Path) -> Result<()> {
        let key = self.keys.sqlcipher_key_pragma();
        // The ATTACH key takes the same "x'…'" form as PRAGMA key; pull it out of the pragma text.
        let raw = key.trim_start_matches("PRAGMA key = \"").trim_end_matches("\";");
        let path = to.to_str().ok_or_else(|| Error::invalid("the backup path is not valid Unicode"))?;
        // The vault connection never opens with CREATE, so ATTACH needs the (empty) file to exist.
        drop(files::create_new(to)?);
        self.conn.execute("ATTACH DATABASE ?1 AS backup KEY ?2", [path, raw])?;
        // The copy opens with the key file it is bundled with, so it is written with that page size.
        self.conn.execute_batch(&format!("PRAGMA backup.cipher_page_size = {};", self.key_file.page_size()))?;
        let version = self.schema_version()?;
        let result = self
            .conn
            .query_row("SELECT sqlcipher_export('backup')", [], |_| Ok(()))
            .and_then(|()| self.conn.pragma_update(Some("backup"), "user_version", version));
        self.conn.execute("DETACH DATABASE backup", [])?;
        Ok(result?)
    }

    /// Replaces the vault at `vault_path` with the backup at `backup`. The backup is unpacked and checked
    /// (passphrase, integrity) beside the vault first; only then are the current files moved aside to
    /// `*.before-restore-<time>` and the restored ones renamed in. A wrong passphrase writes nothing.
    pub fn restore(backup: &Path, vault_path: &Path, passphrase: &Passphrase) -> Result<Vault> {
        let mut reader = BufReader::new(File::open(backup).map_err(Error::io(backup))?);
        let key_file = read_bundle_header(backup, &mut reader)?;
        let keys = key_file.unlock_with_passphrase(passphrase)?;

        let staged_db = files::beside(vault_path, ".restoring");
        let staged_keys = files::beside(&key_file_path(vault_path), ".restoring");
        let staged = (|| {
            copy_to_new_file(&mut reader, &staged_db)?;
            key_file.write_atomically(&staged_keys)?;
            let conn = connect(&staged_db, &keys, &key_file, OpenFlags::empty())?;
            let check = Vault::from_parts(conn, staged_db.clone(), KeyFile::read(&staged_keys)?, keys)?;
            let report = check.integrity()?;
            if !report.is_ok() {
                return Err(Error::Damaged(format!("the backup fails its integrity check: {}", report.problems.join("; "))));
            }
            check.conn.close().map_err(|(_, e)| Error::from(e))
        })();
        if let Err(e) = staged {
            for f in [&staged_db, &staged_keys] {
                let _ = fs::remove_file(f);
            }
            for suffix in ["-wal", "-shm"] {
                let _ = fs::remove_file(files::beside(&staged_db, suffix));
            }
            return Err(e);
        }

        let stamp = chrono::Utc::now().format("%Y%m%dT%H%M%S");
        let aside = format!(".before-restore-{stamp}");
        for existing in [vault_path.to_owned(), files::beside(vault_path, "-wal"), files::beside(vault_path, "-shm"), key_file_path(vault_path)] {
            if existing.exists() {
                fs::rename(&existing, files::beside(&existing, &aside)).map_err(Error::io(&existing))?;
            }
        }
        fs::rename(&staged_keys, key_file_path(vault_path)).map_err(Error::io(vault_path))?;
        fs::rename(&staged_db, vault_path).map_err(Error::io(vault_path))?;
        files::sync_dir(files::folder_of(vault_path))?;
        Vault::open(vault_path, passphrase)
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
        let own = [self.path.clone(), files::beside(&self.path, "-wal"), files::beside(&self.path, "-shm"), key_file_path(&self.path)];
        if own.iter().any(|f| canonical(f).is_some() && canonical(f) == target) {
            return Err(Error::invalid(format!("{} is one of the vault's own files; choose another place for the backup", out.display())));
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
