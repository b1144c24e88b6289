//! The one error type of the core. Every variant's message is a sentence a user can act on; the shells
//! print it as-is.

use std::path::PathBuf;

/// Everything that can go wrong in the core.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    #[error("wrong passphrase")]
    WrongPassphrase,

    #[error("wrong recovery key")]
    WrongRecoveryKey,

    #[error("that is not a valid recovery key: {0}")]
    MalformedRecoveryKey(String),

    #[error("no vault at {}; run `credence init` to create one", .0.display())]
    VaultNotFound(PathBuf),

    #[error("{} is not a Credence vault ({why})", path.display())]
    NotAVault { path: PathBuf, why: String },

    #[error("vault is damaged ({0}); restore from a backup")]
    Damaged(String),

    #[error("cannot create a vault at {}: {why}", path.display())]
    AlreadyExists { path: PathBuf, why: String },

    #[error(
        "this vault was written by a newer Credence (schema {found}, this build knows up to {known}); update Credence"
    )]
    NewerSchema { found: u32, known: u32 },

    #[error("the passphrase is too weak: {0}")]
    WeakPassphrase(String),

    #[error("the OS keychain is not available here ({0}); enter the passphrase instead")]
    KeychainUnavailable(String),

    #[error("this vault is not remembered on this device")]
    NotRemembered,

    #[error("{0}")]
    Invalid(String),

    #[error("{what} not found: {key}")]
    NotFound { what: &'static str, key: String },

    #[error("{0}")]
    Conflict(String),

    #[error("cancelled; nothing was changed")]
    Cancelled,

    /// An import that rests on a guess (or failed a sanity check) and was not confirmed; the text says
    /// what was guessed (each door adds how to confirm it in its own terms).
    #[error("not imported, because {0}")]
    Unconfirmed(String),

    #[error("nothing to undo")]
    NothingToUndo,

    #[error("cannot undo \"{summary}\": {why}")]
    CannotUndo { summary: String, why: String },

    #[error("{} is not a Credence backup ({why})", path.display())]
    NotABackup { path: PathBuf, why: String },

    #[error("{}", describe_io(path, source))]
    Io { path: PathBuf, source: std::io::Error },

    /// The vault cannot be used right now for a reason outside it (a full disk, a read-only or
    /// unreadable file, another program holding it): nothing in it is damaged or lost.
    #[error("the vault cannot be used right now: {0}; nothing in it is lost")]
    Unavailable(String),

    /// The sync server could not be reached, or refused (a sentence saying which, and what to do).
    #[error("sync: {0}")]
    Sync(String),

    /// What the sync server handed back is not what this vault's devices sealed: changed, cut, replayed
    /// or reordered records, or a key that does not open them. Nothing of it was applied.
    #[error("sync stopped: {0}; nothing more from the server was applied")]
    SyncRefused(String),

    #[error("database error: {0}")]
    Database(rusqlite::Error),
}

pub type Result<T, E = Error> = std::result::Result<T, E>;

impl Error {
    pub(crate) fn invalid(msg: impl Into<String>) -> Self {
        Error::Invalid(msg.into())
    }

    pub(crate) fn io(path: impl Into<PathBuf>) -> impl FnOnce(std::io::Error) -> Self {
        let path = path.into();
        move |source| Error::Io { path, source }
    }

    pub(crate) fn not_found(what: &'static str, key: impl Into<String>) -> Self {
        Error::NotFound { what, key: key.into() }
    }
}

impl From<rusqlite::Error> for Error {
    /// SQLCipher reports a failed page HMAC as NOTADB or CORRUPT. The key was verified against the key
    /// file before the database was opened, so either code here means damage, never a wrong key.
    fn from(e: rusqlite::Error) -> Self {
        use rusqlite::ErrorCode::{DatabaseCorrupt, NotADatabase};
        if let Some(why) = unavailable(&e) {
            return Error::Unavailable(why);
        }
        match e.sqlite_error_code() {
            Some(NotADatabase) | Some(DatabaseCorrupt) => Error::Damaged(e.to_string()),
            _ => Error::Database(e),
        }
    }
}

/// A file error as a sentence with what to do. Credence writes files atomically, so a failed write
/// changed nothing, and a full disk says so rather than looking like damage.
fn describe_io(path: &std::path::Path, source: &std::io::Error) -> String {
    use std::io::ErrorKind::{PermissionDenied, ReadOnlyFilesystem, StorageFull};
    let at = path.display();
    match source.kind() {
        StorageFull => format!("the disk holding {at} is full; free some space and try again (nothing was changed)"),
        ReadOnlyFilesystem => format!("{at} is on a read-only disk; choose another place or make it writable"),
        PermissionDenied => format!("you may not read or write {at}; check its permissions"),
        _ => format!("file error at {at}: {source}"),
    }
}

impl Error {
    /// Whether this is the disk running out of space, however it surfaced.
    pub(crate) fn is_disk_full(&self) -> bool {
        match self {
            Error::Io { source, .. } => source.kind() == std::io::ErrorKind::StorageFull,
            Error::Unavailable(why) => why == DISK_FULL,
            _ => false,
        }
    }

    /// The same error, with a full disk named as the disk holding `path` (what the user asked to write,
    /// not the temporary file that ran out of room).
    pub(crate) fn full_disk_at(self, path: &std::path::Path) -> Error {
        match self.is_disk_full() {
            true => Error::Io { path: path.to_owned(), source: std::io::ErrorKind::StorageFull.into() },
            false => self,
        }
    }
}

const DISK_FULL: &str = "the disk is full; free some space and try again";

/// Whether SQLite said the disk is full: as its result code, or (from a function such as
/// `sqlcipher_export`, which reports a generic error) in its message.
pub(crate) fn is_disk_full(e: &rusqlite::Error) -> bool {
    e.sqlite_error_code() == Some(rusqlite::ErrorCode::DiskFull) || e.to_string().contains("database or disk is full")
}

/// What keeps the database from being used when the trouble is outside it, in words with what to do;
/// `None` for anything else. Only damage should ever suggest restoring a backup: following that advice
/// for a full disk or a held lock would throw recent changes away.
pub(crate) fn unavailable(e: &rusqlite::Error) -> Option<String> {
    use rusqlite::ErrorCode::{CannotOpen, DatabaseBusy, DatabaseLocked, PermissionDenied, ReadOnly, SystemIoFailure};
    if is_disk_full(e) {
        return Some(DISK_FULL.into());
    }
    Some(match e.sqlite_error_code()? {
        ReadOnly => "its file or folder is read-only; make it writable and try again".into(),
        CannotOpen | PermissionDenied => {
            "its file cannot be opened (check that it exists and that you may read and write it)".into()
        }
        DatabaseBusy | DatabaseLocked => {
            "another Credence window or command is using it; close that and try again".into()
        }
        SystemIoFailure => format!("the disk reported an error ({e}); check the disk and try again"),
        _ => return None,
    })
}
