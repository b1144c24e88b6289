//! The vault lock: an advisory lock on `<vault>.lock` (flock on Unix, LockFileEx on Windows). Every
//! open vault holds it shared; replacing the vault's files (restore, rekey, finishing an interrupted
//! replacement) needs it exclusively, so no running app or command can have its files renamed from
//! under it. The OS drops the lock when its holder exits, even by kill -9, so it never goes stale.

use std::fs::{File, OpenOptions, TryLockError};
use std::path::{Path, PathBuf};

use crate::error::{Error, Result};
use crate::files;

#[derive(Debug)]
pub(crate) struct VaultLock {
    /// `None` where no lock file can exist (a vault on a read-only disk, which nothing can replace).
    file: Option<File>,
}

/// The lock file of a vault.
pub(crate) fn lock_path(vault: &Path) -> PathBuf {
    files::beside(vault, ".lock")
}

impl VaultLock {
    /// No hold at all: for a connection to a database that is being built or checked.
    pub(crate) fn unheld() -> VaultLock {
        VaultLock { file: None }
    }

    /// Held by every open vault.
    pub(crate) fn shared(vault: &Path) -> Result<VaultLock> {
        let lock = VaultLock { file: open_lock_file(vault) };
        if let Some(file) = &lock.file {
            file.try_lock_shared().map_err(|e| refused(e, vault, BEING_REPLACED))?;
        }
        Ok(lock)
    }

    /// Held while the vault's files are replaced.
    pub(crate) fn exclusive(vault: &Path) -> Result<VaultLock> {
        let lock = VaultLock { file: open_lock_file(vault) };
        match &lock.file {
            Some(file) => file.try_lock().map_err(|e| refused(e, vault, IN_USE))?,
            None => {
                return Err(Error::Unavailable(format!(
                    "{} cannot be locked (is its folder read-only?)",
                    vault.display()
                )))
            }
        }
        Ok(lock)
    }

    /// Turns this process's shared hold into an exclusive one, for replacing the files of the vault it
    /// has open. (Released first: Windows cannot convert a lock in place.) If another process holds it
    /// too, the shared hold is taken back and the refusal says why.
    pub(crate) fn upgrade(&self, vault: &Path) -> Result<()> {
        let Some(file) = &self.file else {
            return Err(Error::Unavailable(format!("{} cannot be locked (is its folder read-only?)", vault.display())));
        };
        let _ = file.unlock();
        file.try_lock().map_err(|e| {
            let _ = file.try_lock_shared();
            refused(e, vault, IN_USE)
        })
    }

    /// Back to the shared hold every open vault has.
    pub(crate) fn downgrade(&self) {
        if let Some(file) = &self.file {
            let _ = file.unlock();
            let _ = file.try_lock_shared();
        }
    }
}

const IN_USE: &str = "is open in another Credence window or command; close it and try again";
const BEING_REPLACED: &str =
    "is being restored or re-keyed by another Credence right now; wait for it to finish and try again";

fn refused(e: TryLockError, vault: &Path, why: &str) -> Error {
    match e {
        TryLockError::WouldBlock => Error::Unavailable(format!("{} {why}", vault.display())),
        TryLockError::Error(e) => Error::io(lock_path(vault))(e),
    }
}

/// Opens (creating it owner-only if needed) the lock file; on a disk where it cannot be created or
/// opened for writing, opens it to read or gives up.
fn open_lock_file(vault: &Path) -> Option<File> {
    let path = lock_path(vault);
    let mut options = OpenOptions::new();
    options.read(true).write(true).create(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.mode(0o600);
    }
    options.open(&path).ok().or_else(|| File::open(&path).ok())
}
