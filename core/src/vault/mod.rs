//! The encrypted vault: one SQLCipher database file plus its key file (`<vault>.keys`).
//!
//! Key hierarchy: passphrase → Argon2id → key-encryption key, which unwraps two random 256-bit keys:
//! the SQLCipher database key (handed to SQLCipher raw) and the sync root key. The recovery key wraps
//! the same two keys. A wrong passphrase is caught by the key file's AEAD tag before the database is
//! touched, so it writes nothing and is told apart from a damaged database.

mod backup;
mod keychain;
mod keyfile;
mod lock;
pub(crate) mod migrations;
mod secret;
mod swap;

use std::path::{Path, PathBuf};

use rusqlite::{Connection, OpenFlags};

pub use backup::BackupSummary;
pub use keyfile::{key_file_path, KdfParams, KeyFile, KDF_CEILING, KDF_DEFAULT, KDF_FLOOR};
pub use migrations::LATEST_VERSION;
pub use secret::{Passphrase, RecoveryKey, Strength};

use crate::error::{Error, Result};
use crate::journal::Clock;
use lock::VaultLock;
pub(crate) use secret::VaultKeys;
use swap::Replaced;

const SQLITE_MAGIC: &[u8; 16] = b"SQLite format 3\0";

/// An open, unlocked vault. Dropping it closes the database.
#[derive(Debug)]
pub struct Vault {
    pub(crate) conn: Connection,
    pub(crate) clock: Clock,
    path: PathBuf,
    key_file: KeyFile,
    keys: VaultKeys,
    /// Held shared while the vault is open, so no other process replaces its files meanwhile.
    lock: VaultLock,
    /// The last recurring-payment detection, while the vault is unchanged.
    pub(crate) recurring_cache: crate::analytics::RecurringCache,
}

/// Settings for a new vault.
#[derive(Debug, Clone, Copy)]
pub struct CreateOptions {
    pub kdf: KdfParams,
}

impl Default for CreateOptions {
    fn default() -> Self {
        CreateOptions { kdf: KDF_DEFAULT }
    }
}

/// What `integrity` found: `problems` is empty when every check passed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct IntegrityReport {
    pub problems: Vec<String>,
}

impl IntegrityReport {
    pub fn is_ok(&self) -> bool {
        self.problems.is_empty()
    }
}

impl Vault {
    /// Creates a new vault at `path` and returns it open, with the recovery key to show the user once.
    /// Refuses to touch an existing file.
    pub fn create(path: &Path, passphrase: &Passphrase) -> Result<(Vault, RecoveryKey)> {
        Self::create_with(path, passphrase, CreateOptions::default())
    }

    pub fn create_with(path: &Path, passphrase: &Passphrase, options: CreateOptions) -> Result<(Vault, RecoveryKey)> {
        Self::create_at_version(path, passphrase, options, LATEST_VERSION)
    }

    /// Creates a vault whose schema stops at `version` (at least 1), as an older Credence would have;
    /// the migration tests start from these.
    pub(crate) fn create_at_version(
        path: &Path,
        passphrase: &Passphrase,
        options: CreateOptions,
        version: u32,
    ) -> Result<(Vault, RecoveryKey)> {
        passphrase.check_strength()?;
        // Before the key derivation: a path already taken is refused at once.
        refuse_existing(path)?;
        let keys = VaultKeys::generate();
        let recovery = RecoveryKey::generate();
        let vault_id = uuid::Uuid::now_v7().to_string();
        let key_file = KeyFile::seal(&vault_id, &keys, passphrase, &recovery, options.kdf, NEW_VAULT_PAGE_SIZE)?;
        let vault = Self::build(path, key_file, keys, |vault| {
            vault.initialize(&vault_id, version)?;
            vault.seed_default_categories()
        })?;
        Ok((vault, recovery))
    }

    /// The key file and keys of a member's own file of a shared vault: the vault's sync root (sealed to
    /// the member by the owner), a database key of its own, wrapped under the member's passphrase and a
    /// new recovery key (returned, to show once).
    pub(crate) fn member_keys(
        vault_id: &str,
        sync_root: zeroize::Zeroizing<[u8; 32]>,
        passphrase: &Passphrase,
    ) -> Result<(KeyFile, VaultKeys, RecoveryKey)> {
        passphrase.check_strength()?;
        let keys = VaultKeys::around_sync_root(sync_root);
        let recovery = RecoveryKey::generate();
        let key_file = KeyFile::seal(vault_id, &keys, passphrase, &recovery, KDF_DEFAULT, NEW_VAULT_PAGE_SIZE)?;
        Ok((key_file, keys, recovery))
    }

    /// A new vault at `path` for a vault that exists elsewhere (sync's join): its key file and keys as
    /// another device sealed them, a device id of its own, and nothing in it yet (what the other devices
    /// wrote arrives by sync, default categories included).
    pub(crate) fn create_joined(path: &Path, key_file: KeyFile, keys: VaultKeys) -> Result<Vault> {
        let vault_id = key_file.vault_id().to_string();
        Self::build(path, key_file, keys, |vault| vault.initialize(&vault_id, LATEST_VERSION))
    }

    /// A new vault at `path` for a vault that exists elsewhere, from one of its sync snapshots (the
    /// database file at `snapshot`, encrypted under the keys `keys` derive for snapshots): everything the
    /// snapshot holds, brought to this version's schema, with a device id of its own.
    pub(crate) fn create_from_snapshot(
        path: &Path,
        key_file: KeyFile,
        keys: VaultKeys,
        snapshot: &Path,
    ) -> Result<Vault> {
        let snapshot_keys = keys.for_snapshot(key_file.vault_id());
        Self::build(path, key_file, keys, |vault| vault.fill_from_snapshot(snapshot, &snapshot_keys))
    }

    /// Snapshots are written in SQLCipher's default page size, whatever the vault's: attaching a
    /// database reads it in the default page size before a pragma could say otherwise.
    const SNAPSHOT_PAGE_SIZE: u32 = 4096;

    fn fill_from_snapshot(&mut self, snapshot: &Path, keys: &VaultKeys) -> Result<()> {
        let key = keys.sqlcipher_key_literal();
        let from = snapshot.to_str().ok_or_else(|| Error::invalid("the snapshot's path is not valid Unicode"))?;
        self.conn.execute("ATTACH DATABASE ?1 AS snapshot KEY ?2", [from, key.as_str()])?;
        let copied = (|| {
            let version: u32 = self.conn.pragma_query_value(Some("snapshot"), "user_version", |r| r.get(0))?;
            if version > LATEST_VERSION {
                return Err(Error::NewerSchema { found: version, known: LATEST_VERSION });
            }
            self.conn.query_row("SELECT sqlcipher_export('main', 'snapshot')", [], |_| Ok(()))?;
            self.conn.pragma_update(None, "user_version", version)?;
            Ok(())
        })();
        self.conn.execute("DETACH DATABASE snapshot", [])?;
        copied?;
        if self.meta("vault_id")?.as_deref() != Some(self.vault_id()) {
            return Err(Error::SyncRefused("the snapshot belongs to another vault".into()));
        }
        migrations::migrate_to(&mut self.conn, LATEST_VERSION)?;
        let device_id = uuid::Uuid::new_v4().simple().to_string();
        self.conn.execute("UPDATE meta SET value = ?1 WHERE key = 'device_id'", [device_id])?;
        self.clock = Clock::load(&self.conn)?;
        Ok(())
    }

    /// A consistent copy of the database at the new file `to`, encrypted under the key this vault's
    /// sync snapshots derive from the sync root, and open (sync clears what belongs to this device
    /// alone before it seals the copy).
    pub(crate) fn export_snapshot(&self, to: &Path) -> Result<Connection> {
        let keys = self.keys.for_snapshot(self.vault_id());
        self.export_database(to, &keys, Self::SNAPSHOT_PAGE_SIZE)?;
        connect_paged(to, &keys, Self::SNAPSHOT_PAGE_SIZE, OpenFlags::empty())
    }

    /// This vault's key file and keys, for another file of the same vault (sync's restore): it opens
    /// with the same passphrase and recovery key.
    pub(crate) fn key_copies(&self) -> Result<(KeyFile, VaultKeys)> {
        let key_file = KeyFile::from_bytes(&self.key_file.to_bytes())?;
        let keys = VaultKeys::from_bytes(&self.keys.to_bytes()[..])
            .ok_or_else(|| Error::Damaged("the vault's keys do not copy".into()))?;
        Ok((key_file, keys))
    }

    /// Opens a downloaded snapshot database of the vault `key_file` belongs to.
    pub(crate) fn open_snapshot(snapshot: &Path, key_file: &KeyFile, keys: &VaultKeys) -> Result<Connection> {
        connect_paged(snapshot, &keys.for_snapshot(key_file.vault_id()), Self::SNAPSHOT_PAGE_SIZE, OpenFlags::empty())
    }

    /// Builds a new vault at `path` under `key_file`, filled by `init`, and opens it. Refuses to touch an
    /// existing file.
    fn build(
        path: &Path,
        key_file: KeyFile,
        keys: VaultKeys,
        init: impl FnOnce(&mut Vault) -> Result<()>,
    ) -> Result<Vault> {
        refuse_existing(path)?;
        crate::files::create_dir_owner_only(crate::files::folder_of(path))?;
        let exclusive = VaultLock::exclusive(path)?;
        // Again under the lock: an interrupted swap finished here may have put a vault in place.
        settle_locked(path)?;
        refuse_existing(path)?;

        // Built beside its final name and swapped in whole, so a crash during `init` never leaves
        // something at `path` that looks like a vault but is not one, nor a key file without its vault.
        // It starts as an empty owner-only file: SQLite gives the WAL and the shared memory the
        // database's own mode, so the vault and its companions are never readable by others.
        let building = swap::incoming_database(path);
        let result = (|| {
            drop(crate::files::create_new(&building)?);
            let conn = connect(&building, &keys, &key_file, OpenFlags::empty())?;
            let mut vault = Vault::from_parts(conn, building.clone(), key_file, keys)?;
            init(&mut vault)?;
            let Vault { conn, key_file, keys, .. } = vault;
            conn.close().map_err(|(_, e)| Error::from(e))?;
            key_file.write_atomically(&swap::incoming_key_file(path))?;
            swap::swap_in(path, &Replaced::Nothing)?;
            Ok::<_, Error>((key_file, keys))
        })();
        let (key_file, keys) = result.inspect_err(|_| swap::discard_unfinished(path))?;
        drop(exclusive);
        Vault::open_locked(path, key_file, keys)
    }

    /// Opens an existing vault. Never creates one.
    pub fn open(path: &Path, passphrase: &Passphrase) -> Result<Vault> {
        settle(path)?;
        let key_file = read_key_file(path)?;
        let (keys, as_typed) = key_file.unlock_with_passphrase_form(passphrase)?;
        let mut vault = Self::open_with_keys(path, key_file, keys)?;
        if as_typed {
            // Sealed before passphrases were normalized: sealed again under the normalized form, so
            // the same passphrase typed on another keyboard opens it from now on. On a read-only disk
            // it stays as it is and still opens as typed.
            let _ = vault.reseal_passphrase(passphrase);
        }
        Ok(vault)
    }

    /// Opens with the recovery key instead of the passphrase.
    pub fn open_with_recovery_key(path: &Path, recovery: &RecoveryKey) -> Result<Vault> {
        settle(path)?;
        let key_file = read_key_file(path)?;
        let keys = key_file.unlock_with_recovery_key(recovery)?;
        Self::open_with_keys(path, key_file, keys)
    }

    /// Sets a new passphrase after a lost one: opens with the recovery key and rewraps the keys.
    pub fn recover(path: &Path, recovery: &RecoveryKey, new: &Passphrase) -> Result<Vault> {
        new.check_strength()?;
        let mut vault = Self::open_with_recovery_key(path, recovery)?;
        vault.change_passphrase(new)?;
        Ok(vault)
    }

    fn open_with_keys(path: &Path, key_file: KeyFile, keys: VaultKeys) -> Result<Vault> {
        // A vault made by an older Credence (or copied in under a loose umask) becomes owner-only the
        // first time it is opened; where the filesystem does not allow it, it stays as it was.
        let companion = |suffix: &str| crate::files::beside(path, suffix);
        for own in
            [path.to_owned(), key_file_path(path), companion("-wal"), companion("-shm")].iter().filter(|f| f.exists())
        {
            let _ = crate::files::restrict(own);
        }
        let mut vault = Vault::open_locked(path, key_file, keys)?;
        let stored_id = vault.meta("vault_id")?;
        if stored_id.as_deref() != Some(vault.key_file.vault_id()) {
            return Err(Error::Damaged("the key file belongs to another vault".into()));
        }
        migrations::migrate_to(&mut vault.conn, LATEST_VERSION)?;
        Ok(vault)
    }

    /// Connects to the vault at `path` holding its lock shared.
    fn open_locked(path: &Path, key_file: KeyFile, keys: VaultKeys) -> Result<Vault> {
        let lock = VaultLock::shared(path)?;
        let conn = connect(path, &keys, &key_file, OpenFlags::empty())?;
        Ok(Vault { lock, ..Vault::from_parts(conn, path.to_owned(), key_file, keys)? })
    }

    /// A vault on a connection of its own (a database being built or checked), holding no lock.
    fn from_parts(conn: Connection, path: PathBuf, key_file: KeyFile, keys: VaultKeys) -> Result<Vault> {
        let clock = Clock::load(&conn)?;
        Ok(Vault { conn, clock, path, key_file, keys, lock: VaultLock::unheld(), recurring_cache: Default::default() })
    }

    /// Schema and identity of a brand-new vault.
    fn initialize(&mut self, vault_id: &str, version: u32) -> Result<()> {
        migrations::migrate_to(&mut self.conn, version.max(1))?;
        let device_id = uuid::Uuid::new_v4().simple().to_string();
        self.conn.execute(
            "INSERT INTO meta (key, value) VALUES ('vault_id', ?1), ('device_id', ?2)",
            [vault_id, device_id.as_str()],
        )?;
        self.clock = Clock::load(&self.conn)?;
        Ok(())
    }

    /// Rewraps the vault's keys under a new passphrase. Writes only the small key file (atomically);
    /// the database is not re-encrypted, and a crash leaves either the old or the new passphrase
    /// working.
    pub fn change_passphrase(&mut self, new: &Passphrase) -> Result<()> {
        new.check_strength()?;
        self.reseal_passphrase(new).map_err(|e| e.full_disk_at(&self.path))
    }

    /// Issues a new recovery key and retires the old one (for a key that may have been seen): the key
    /// file's recovery slot is sealed again, atomically; the passphrase and the data are unchanged.
    /// Backups taken before still open with the old key: they hold their own key file.
    pub fn new_recovery_key(&mut self) -> Result<RecoveryKey> {
        let recovery = RecoveryKey::generate();
        let rewrapped = self.key_file.rewrap_recovery(&self.keys, &recovery)?;
        rewrapped.write_atomically(&key_file_path(&self.path))?;
        self.key_file = rewrapped;
        Ok(recovery)
    }

    /// Key rotation: re-encrypts the database under a new random key and seals that key under the
    /// passphrase (which must be the current one) and a new recovery key, returned to show once. The
    /// new database is exported beside the vault, checked, and swapped in journaled, then the old one
    /// is deleted: a crash leaves the old or the new vault, and afterwards no old key file, recovery
    /// key or remembered key opens the vault. (Backups taken before keep their own keys and still
    /// restore.) Needs the vault open nowhere else. The sync key is kept: rotating it means re-uploading
    /// everything, which belongs to sync.
    pub fn rekey(&mut self, passphrase: &Passphrase) -> Result<RecoveryKey> {
        self.key_file.unlock_with_passphrase(passphrase)?;
        self.lock.upgrade(&self.path)?;
        let result = self.rekey_holding_the_lock(passphrase);
        self.lock.downgrade();
        result
    }

    fn rekey_holding_the_lock(&mut self, passphrase: &Passphrase) -> Result<RecoveryKey> {
        settle_locked(&self.path)?;
        let keys = self.keys.with_new_database_key();
        let recovery = RecoveryKey::generate();
        let kdf = self.key_file.kdf().max_with(KDF_DEFAULT);
        let key_file = KeyFile::seal(self.vault_id(), &keys, passphrase, &recovery, kdf, self.key_file.page_size())?;
        let staged = (|| {
            let incoming = swap::incoming_database(&self.path);
            self.export_database(&incoming, &keys, self.key_file.page_size())?;
            key_file.write_atomically(&swap::incoming_key_file(&self.path))?;
            check_incoming(&self.path, &keys, "the re-encrypted copy (the vault is unchanged)")
        })();
        if let Err(e) = staged {
            swap::discard_unfinished(&self.path);
            return Err(e.full_disk_at(&self.path));
        }
        let was_remembered = self.is_remembered_here();
        // The connection lets go of the old file before it is deleted.
        let old = std::mem::replace(&mut self.conn, Connection::open_in_memory()?);
        old.close().map_err(|(_, e)| Error::from(e))?;
        if let Err(e) = swap::swap_in(&self.path, &Replaced::Deleted(fresh_aside(&self.path, "before-rekey"))) {
            // Back on the old pair if it is still in place; if the swap got further, the next open
            // finishes it and this vault answers nothing until then.
            if let Ok(conn) = connect(&self.path, &self.keys, &self.key_file, OpenFlags::empty()) {
                self.conn = conn;
            }
            return Err(e);
        }
        self.conn = connect(&self.path, &keys, &key_file, OpenFlags::empty())?;
        (self.keys, self.key_file) = (keys, key_file);
        if was_remembered {
            let _ = self.remember_on_device();
        }
        Ok(recovery)
    }

    /// Seals the passphrase slot under `passphrase` (normalized) with fresh salt, atomically.
    fn reseal_passphrase(&mut self, passphrase: &Passphrase) -> Result<()> {
        let new = passphrase;
        let kdf = self.key_file.kdf();
        let rewrapped = self.key_file.rewrap_passphrase(&self.keys, new, kdf.max_with(KDF_DEFAULT))?;
        rewrapped.write_atomically(&key_file_path(&self.path))?;
        self.key_file = rewrapped;
        Ok(())
    }

    /// Runs SQLite's `integrity_check`, SQLCipher's `cipher_integrity_check` (every page's HMAC) and
    /// the foreign-key check.
    pub fn integrity(&self) -> Result<IntegrityReport> {
        integrity_of(&self.conn)
    }

    pub fn path(&self) -> &Path {
        &self.path
    }

    /// The key this vault's sync records are sealed under (`sync::record`).
    pub fn sync_key(&self) -> crate::sync::record::SyncKey {
        crate::sync::record::SyncKey::derive(&self.keys.sync_root, self.vault_id())
    }

    /// The sync root itself, to seal for a member of a shared vault.
    pub(crate) fn sync_root(&self) -> &[u8; 32] {
        &self.keys.sync_root
    }

    pub fn vault_id(&self) -> &str {
        self.key_file.vault_id()
    }

    /// The key file's bytes (keys wrapped under the passphrase and the recovery key; sync hands them to
    /// the server so another device can join).
    pub(crate) fn key_file_bytes(&self) -> Vec<u8> {
        self.key_file.to_bytes()
    }

    pub fn schema_version(&self) -> Result<u32> {
        migrations::schema_version(&self.conn)
    }

    pub(crate) fn meta(&self, key: &str) -> Result<Option<String>> {
        use rusqlite::OptionalExtension;
        Ok(self.conn.query_row("SELECT value FROM meta WHERE key = ?1", [key], |r| r.get(0)).optional()?)
    }

    pub(crate) fn device_id(&self) -> Result<String> {
        self.meta("device_id")?.ok_or_else(|| Error::Damaged("the vault has no device id".into()))
    }
}

impl KdfParams {
    /// Never lowers an existing vault's cost when its passphrase changes.
    fn max_with(self, other: KdfParams) -> KdfParams {
        KdfParams {
            memory_kib: self.memory_kib.max(other.memory_kib),
            iterations: self.iterations.max(other.iterations),
            parallelism: self.parallelism.max(other.parallelism),
        }
    }
}

/// Refuses `path` for a new vault when a vault or a key file is already there.
pub(crate) fn refuse_existing(path: &Path) -> Result<()> {
    match [path.to_owned(), key_file_path(path)].into_iter().find(|f| f.exists()) {
        Some(existing) => Err(Error::AlreadyExists {
            path: path.to_owned(),
            why: format!("{} already exists; move it away or choose another path", existing.display()),
        }),
        None => Ok(()),
    }
}

/// Where the vault lives when the user names none: the OS data folder (`~/.local/share/credence` on
/// Linux, `~/Library/Application Support/credence` on macOS, `%APPDATA%\\credence` on Windows).
pub fn default_path() -> Result<PathBuf> {
    let base = dirs::data_dir().ok_or_else(|| Error::invalid("this system has no data folder; pass --vault PATH"))?;
    Ok(base.join("credence").join("credence.vault"))
}

/// Finishes a replacement of the vault's files (restore, rekey, create) that a crashed run left
/// half-done, so nobody ever meets a vault without its key file or a key file without its vault; and
/// clears the copy a run killed before it decided to swap left beside the vault, unless one is being
/// written right now.
fn settle(path: &Path) -> Result<()> {
    let interrupted = swap::interrupted(path);
    if !interrupted && !swap::left_unfinished(path) {
        return Ok(());
    }
    match VaultLock::exclusive(path) {
        Ok(_exclusive) => settle_locked(path),
        Err(e) if interrupted => Err(e),
        Err(_) => Ok(()),
    }
}

/// The same, for a caller already holding the exclusive lock: also clears an incoming pair a run that
/// died before deciding to swap it in left behind.
fn settle_locked(path: &Path) -> Result<()> {
    swap::finish(path)?;
    swap::discard_unfinished(path);
    Ok(())
}

/// SQLite's `integrity_check`, SQLCipher's `cipher_integrity_check` (every page's HMAC) and the
/// foreign-key check, on any connection (the vault's, or a database about to replace it).
fn integrity_of(conn: &Connection) -> Result<IntegrityReport> {
    let mut problems = Vec::new();
    let rows = |sql: &str| -> Result<Vec<String>> {
        let mut stmt = conn.prepare(sql)?;
        let out = stmt.query_map([], |r| r.get::<_, rusqlite::types::Value>(0))?;
        Ok(out
            .map(|v| match v {
                Ok(rusqlite::types::Value::Text(t)) => t,
                Ok(other) => format!("{other:?}"),
                Err(e) => e.to_string(),
            })
            .collect())
    };
    problems.extend(rows("PRAGMA integrity_check")?.into_iter().filter(|r| r != "ok"));
    problems.extend(rows("PRAGMA cipher_integrity_check")?.into_iter().filter(|r| r != "ok"));
    let fk: i64 = conn.query_row("SELECT count(*) FROM pragma_foreign_key_check", [], |r| r.get(0))?;
    if fk > 0 {
        problems.push(format!("{fk} rows point at missing rows"));
    }
    Ok(IntegrityReport { problems })
}

/// Opens the incoming pair beside the vault (as written, key file read back from disk) and runs every
/// integrity check on it before it may replace anything; `what` names it in the refusal.
fn check_incoming(path: &Path, keys: &VaultKeys, what: &str) -> Result<()> {
    let (database, key_file) = (swap::incoming_database(path), KeyFile::read(&swap::incoming_key_file(path))?);
    let conn = connect(&database, keys, &key_file, OpenFlags::empty())?;
    let problems = integrity_of(&conn)?.problems;
    conn.close().map_err(|(_, e)| Error::from(e))?;
    if !problems.is_empty() {
        return Err(Error::Damaged(format!("{what} fails its integrity check: {}", problems.join("; "))));
    }
    Ok(())
}

/// A name beside the vault for the files it replaces, `.{label}-{time}`, that nothing has yet.
fn fresh_aside(path: &Path, label: &str) -> String {
    let stamp = chrono::Utc::now().format("%Y%m%dT%H%M%S");
    let taken = |suffix: &str| {
        let aside = crate::files::beside(path, suffix);
        aside.exists() || key_file_path(&aside).exists()
    };
    let first = format!(".{label}-{stamp}");
    (1..).map(|n| if n == 1 { first.clone() } else { format!("{first}-{n}") }).find(|s| !taken(s)).unwrap_or(first)
}

/// Reads the key file of an existing vault, telling "nothing there", "not a vault" and "damaged" apart.
fn read_key_file(path: &Path) -> Result<KeyFile> {
    if !path.exists() {
        return Err(Error::VaultNotFound(path.to_owned()));
    }
    if path.is_dir() {
        return Err(Error::NotAVault { path: path.to_owned(), why: "it is a folder".into() });
    }
    let key_path = key_file_path(path);
    if !key_path.exists() {
        let why = if starts_with(path, SQLITE_MAGIC) {
            "it is a plain, unencrypted SQLite database".to_string()
        } else {
            format!("its key file {} is missing; if this is your vault, restore it from a backup", key_path.display())
        };
        return Err(Error::NotAVault { path: path.to_owned(), why });
    }
    KeyFile::read(&key_path)
}

fn starts_with(path: &Path, magic: &[u8]) -> bool {
    use std::io::Read;
    let mut head = vec![0u8; magic.len()];
    std::fs::File::open(path).and_then(|mut f| f.read_exact(&mut head)).is_ok() && head == magic
}

/// The page size of new vaults. SQLCipher encrypts and authenticates each page, and SQLite splits and
/// rebalances its B-trees a page at a time: 16 KiB pages made a million-row import about 15% faster and
/// the file 17% smaller than the default 4 KiB (docs/benchmarks.md).
const NEW_VAULT_PAGE_SIZE: u32 = 16384;

/// Opens (or with `extra = CREATE`, creates) a SQLCipher connection keyed with the raw database key,
/// and proves the key works by reading the schema.
pub(crate) fn connect(path: &Path, keys: &VaultKeys, key_file: &KeyFile, extra: OpenFlags) -> Result<Connection> {
    connect_paged(path, keys, key_file.page_size(), extra)
}

fn connect_paged(path: &Path, keys: &VaultKeys, page_size: u32, extra: OpenFlags) -> Result<Connection> {
    let flags =
        OpenFlags::SQLITE_OPEN_READ_WRITE | OpenFlags::SQLITE_OPEN_NO_MUTEX | OpenFlags::SQLITE_OPEN_URI | extra;
    let conn = Connection::open_with_flags(path, flags)?;
    // SQLCipher logs decryption failures to stderr; damage reaches the user as one typed error instead.
    conn.execute_batch("PRAGMA cipher_log_level = NONE;")?;
    // `cipher_memory_security` (every SQLCipher allocation locked and wiped) stays off: it made a
    // 200,000-row import six times slower (docs/benchmarks.md), and the keys it would protect are
    // already held in zeroizing buffers here (docs/security.md).
    conn.execute_batch(&keys.sqlcipher_key_pragma())?;
    // SQLCipher 4's settings, pinned: a newer SQLCipher with other defaults still reads the vault.
    conn.execute_batch("PRAGMA cipher_compatibility = 4;")?;
    conn.execute_batch(&format!("PRAGMA cipher_page_size = {page_size};"))?;
    crate::analytics::totals::register(&conn)?;
    if starts_with(path, SQLITE_MAGIC) {
        return Err(Error::Damaged("the database file is not encrypted".into()));
    }
    conn.query_row("SELECT count(*) FROM sqlite_master", [], |r| r.get::<_, i64>(0)).map_err(|e| {
        match crate::error::unavailable(&e) {
            Some(why) => Error::Unavailable(why),
            None => Error::Damaged(format!("the database does not decrypt with its own key: {e}")),
        }
    })?;
    conn.busy_timeout(std::time::Duration::from_secs(5))?;
    conn.execute_batch("PRAGMA journal_mode = WAL; PRAGMA synchronous = FULL; PRAGMA foreign_keys = ON; PRAGMA cache_size = -32768; PRAGMA temp_store = MEMORY;")?;
    Ok(conn)
}

#[cfg(test)]
mod tests;
