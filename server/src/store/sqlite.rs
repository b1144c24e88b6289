//! The embedded backend: one SQLite file in the server's data folder (WAL, full sync: an upload the
//! server acknowledged survives a crash). One connection behind a lock, used from blocking threads:
//! SQLite writes one transaction at a time anyway.

use std::path::Path;
use std::sync::{Arc, Mutex, PoisonError};

use credence_protocol::{
    AuditEvent, Device, Grant, Identity, Member, MemberGrant, NewSnapshot, PublicKey, Record, Role, Sealed, Snapshot,
    StoredRecord, UploadReceipt, VaultSummary,
};
use rusqlite::{params, Connection, OptionalExtension, TransactionBehavior};

use super::{
    check_one_per_epoch, check_one_per_member, page_end, sqlite_migrations, time_of, to_i64, to_u64, Millis,
    SessionOwner, Store, StoreError, StoreResult, StoredKeys, User,
};

/// The store's file inside the data folder.
pub const FILE_NAME: &str = "credence-server.sqlite3";

#[derive(Clone)]
pub struct SqliteStore {
    conn: Arc<Mutex<Connection>>,
}

impl std::fmt::Debug for SqliteStore {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("SqliteStore")
    }
}

impl From<rusqlite::Error> for StoreError {
    fn from(e: rusqlite::Error) -> Self {
        StoreError::Backend(e.to_string())
    }
}

impl SqliteStore {
    /// Opens (creating if need be) the store in `data_dir` and brings its schema up to date.
    pub fn open(data_dir: &Path) -> StoreResult<SqliteStore> {
        std::fs::create_dir_all(data_dir)
            .map_err(|e| StoreError::Backend(format!("cannot create {}: {e}", data_dir.display())))?;
        let mut conn = Connection::open(data_dir.join(FILE_NAME))?;
        conn.busy_timeout(std::time::Duration::from_secs(10))?;
        conn.pragma_update(None, "journal_mode", "WAL")?;
        conn.pragma_update(None, "synchronous", "FULL")?;
        conn.pragma_update(None, "foreign_keys", true)?;
        migrate(&mut conn)?;
        Ok(SqliteStore { conn: Arc::new(Mutex::new(conn)) })
    }

    /// Runs `job` on the connection on a blocking thread.
    async fn run<T: Send + 'static>(
        &self,
        job: impl FnOnce(&mut Connection) -> StoreResult<T> + Send + 'static,
    ) -> StoreResult<T> {
        let conn = Arc::clone(&self.conn);
        tokio::task::spawn_blocking(move || {
            // A job that panicked left no transaction open (rolled back on drop): the connection is fine.
            let mut conn = conn.lock().unwrap_or_else(PoisonError::into_inner);
            job(&mut conn)
        })
        .await
        .map_err(|e| StoreError::Backend(format!("a storage task failed: {e}")))?
    }

    /// Runs `job` in one immediate transaction (the write lock taken at the start).
    async fn write<T: Send + 'static>(
        &self,
        job: impl FnOnce(&rusqlite::Transaction<'_>) -> StoreResult<T> + Send + 'static,
    ) -> StoreResult<T> {
        self.run(move |conn| {
            let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
            let out = job(&tx)?;
            tx.commit()?;
            Ok(out)
        })
        .await
    }
}

fn migrate(conn: &mut Connection) -> StoreResult<()> {
    let current: u32 = conn.query_row("PRAGMA user_version", [], |r| r.get(0))?;
    let current = current as usize;
    let known = sqlite_migrations();
    if current > known.len() {
        return Err(StoreError::Backend(format!(
            "the store's schema is version {current}, newer than this server knows ({}); upgrade the server",
            known.len()
        )));
    }
    for (index, (name, sql)) in known.iter().enumerate().skip(current) {
        let tx = conn.transaction()?;
        tx.execute_batch(sql).map_err(|e| StoreError::Backend(format!("migration {name} failed: {e}")))?;
        tx.pragma_update(None, "user_version", index as u32 + 1)?;
        tx.commit()?;
    }
    Ok(())
}

fn user_row(r: &rusqlite::Row<'_>) -> rusqlite::Result<User> {
    Ok(User {
        id: r.get(0)?,
        name: r.get(1)?,
        password_hash: r.get(2)?,
        totp_secret: r.get(3)?,
        totp_pending: r.get(4)?,
        created_at: r.get(5)?,
    })
}

const USER_COLUMNS: &str = "id, name, password_hash, totp_secret, totp_pending, created_at";

/// A snapshot's number of parts and whether it is complete.
fn snapshot_state(tx: &rusqlite::Transaction<'_>, vault: &str, id: &str) -> StoreResult<(u32, bool)> {
    tx.query_row(
        "SELECT parts, stored_at IS NOT NULL FROM snapshots WHERE vault_id = ?1 AND id = ?2",
        params![vault, id],
        |r| Ok((r.get(0)?, r.get(1)?)),
    )
    .optional()?
    .ok_or(StoreError::NotFound)
}

const SNAPSHOT_COLUMNS: &str = "id, device, cursor, parts, bytes, taken_at, stored_at";

fn snapshot_row(r: &rusqlite::Row<'_>) -> rusqlite::Result<Snapshot> {
    Ok(Snapshot {
        id: r.get(0)?,
        device: r.get(1)?,
        cursor: to_u64(r.get(2)?),
        parts: r.get(3)?,
        bytes: to_u64(r.get(4)?),
        taken_at: time_of(r.get(5)?),
        stored_at: time_of(r.get::<_, Option<i64>>(6)?.unwrap_or_default()),
    })
}

fn is_unique_violation(e: &rusqlite::Error) -> bool {
    matches!(e.sqlite_error_code(), Some(rusqlite::ErrorCode::ConstraintViolation)) && e.to_string().contains("UNIQUE")
}

impl Store for SqliteStore {
    async fn ready(&self) -> StoreResult<()> {
        self.run(|c| Ok(c.query_row("SELECT 1", [], |_| Ok(()))?)).await
    }

    async fn create_user(&self, name: &str, password_hash: &str, now: Millis) -> StoreResult<i64> {
        let (name, hash) = (name.to_owned(), password_hash.to_owned());
        self.write(move |tx| {
            match tx.execute(
                "INSERT INTO users (name, password_hash, created_at) VALUES (?1, ?2, ?3)",
                params![name, hash, now],
            ) {
                Ok(_) => Ok(tx.last_insert_rowid()),
                Err(e) if is_unique_violation(&e) => Err(StoreError::Conflict(format!("the user name {name}"))),
                Err(e) => Err(e.into()),
            }
        })
        .await
    }

    async fn user_by_name(&self, name: &str) -> StoreResult<Option<User>> {
        let name = name.to_owned();
        self.run(move |c| {
            Ok(c.query_row(&format!("SELECT {USER_COLUMNS} FROM users WHERE name = ?1"), [name], user_row)
                .optional()?)
        })
        .await
    }

    async fn user(&self, id: i64) -> StoreResult<Option<User>> {
        self.run(move |c| {
            Ok(c.query_row(&format!("SELECT {USER_COLUMNS} FROM users WHERE id = ?1"), [id], user_row).optional()?)
        })
        .await
    }

    async fn set_password(&self, id: i64, password_hash: &str, sealed_private: Option<&[u8]>) -> StoreResult<()> {
        let (hash, sealed) = (password_hash.to_owned(), sealed_private.map(<[u8]>::to_vec));
        self.write(move |tx| {
            tx.execute(
                "UPDATE users SET password_hash = ?1, identity_sealed = COALESCE(?2, identity_sealed) WHERE id = ?3",
                params![hash, sealed, id],
            )?;
            tx.execute("DELETE FROM sessions WHERE user_id = ?1", [id])?;
            Ok(())
        })
        .await
    }

    async fn delete_user(&self, id: i64) -> StoreResult<()> {
        // Cascades take the sessions, codes, audit, memberships, devices, and the owned vaults' records.
        self.write(move |tx| {
            tx.execute("DELETE FROM vaults WHERE owner_id = ?1", [id])?;
            tx.execute("DELETE FROM users WHERE id = ?1", [id])?;
            Ok(())
        })
        .await
    }

    async fn enrol_totp(&self, id: i64, secret: &[u8], recovery_hashes: &[[u8; 32]]) -> StoreResult<()> {
        let (secret, hashes) = (secret.to_vec(), recovery_hashes.to_vec());
        self.write(move |tx| {
            tx.execute("UPDATE users SET totp_pending = ?1 WHERE id = ?2", params![secret, id])?;
            tx.execute("DELETE FROM recovery_codes WHERE user_id = ?1", [id])?;
            let mut insert = tx.prepare("INSERT INTO recovery_codes (user_id, code_hash) VALUES (?1, ?2)")?;
            for hash in &hashes {
                insert.execute(params![id, hash.as_slice()])?;
            }
            Ok(())
        })
        .await
    }

    async fn confirm_totp(&self, id: i64) -> StoreResult<()> {
        self.write(move |tx| {
            let changed = tx.execute(
                "UPDATE users SET totp_secret = totp_pending, totp_pending = NULL WHERE id = ?1 AND totp_pending IS NOT NULL",
                [id],
            )?;
            if changed == 0 {
                return Err(StoreError::NotFound);
            }
            Ok(())
        })
        .await
    }

    async fn remove_totp(&self, id: i64) -> StoreResult<()> {
        self.write(move |tx| {
            tx.execute("UPDATE users SET totp_secret = NULL, totp_pending = NULL WHERE id = ?1", [id])?;
            tx.execute("DELETE FROM recovery_codes WHERE user_id = ?1", [id])?;
            Ok(())
        })
        .await
    }

    async fn use_totp_step(&self, id: i64, step: i64) -> StoreResult<bool> {
        self.write(move |tx| {
            Ok(tx.execute("UPDATE users SET totp_step = ?1 WHERE id = ?2 AND totp_step < ?1", params![step, id])? == 1)
        })
        .await
    }

    async fn use_recovery_code(&self, id: i64, hash: &[u8; 32]) -> StoreResult<bool> {
        let hash = *hash;
        self.write(move |tx| {
            Ok(tx.execute(
                "DELETE FROM recovery_codes WHERE user_id = ?1 AND code_hash = ?2",
                params![id, hash.as_slice()],
            )? == 1)
        })
        .await
    }

    async fn create_session(
        &self,
        token_hash: &[u8; 32],
        user_id: i64,
        now: Millis,
        expires_at: Millis,
    ) -> StoreResult<()> {
        let hash = *token_hash;
        self.write(move |tx| {
            tx.execute("DELETE FROM sessions WHERE expires_at <= ?1", [now])?;
            tx.execute(
                "INSERT INTO sessions (token_hash, user_id, created_at, expires_at) VALUES (?1, ?2, ?3, ?4)",
                params![hash.as_slice(), user_id, now, expires_at],
            )?;
            Ok(())
        })
        .await
    }

    async fn session(&self, token_hash: &[u8; 32], now: Millis) -> StoreResult<Option<SessionOwner>> {
        let hash = *token_hash;
        self.run(move |c| {
            Ok(c.query_row(
                "SELECT u.id, u.name FROM sessions s JOIN users u ON u.id = s.user_id
                 WHERE s.token_hash = ?1 AND s.expires_at > ?2",
                params![hash.as_slice(), now],
                |r| Ok(SessionOwner { user_id: r.get(0)?, name: r.get(1)? }),
            )
            .optional()?)
        })
        .await
    }

    async fn end_session(&self, token_hash: &[u8; 32]) -> StoreResult<()> {
        let hash = *token_hash;
        self.write(move |tx| {
            tx.execute("DELETE FROM sessions WHERE token_hash = ?1", [hash.as_slice()])?;
            Ok(())
        })
        .await
    }

    async fn add_login_failure(&self, key: &str, now: Millis, forget_before: Millis) -> StoreResult<()> {
        let key = key.to_owned();
        self.write(move |tx| {
            tx.execute("DELETE FROM login_failures WHERE at < ?1", [forget_before])?;
            tx.execute("INSERT INTO login_failures (key, at) VALUES (?1, ?2)", params![key, now])?;
            Ok(())
        })
        .await
    }

    async fn login_failures(&self, key: &str, since: Millis) -> StoreResult<(u64, Option<Millis>)> {
        let key = key.to_owned();
        self.run(move |c| {
            Ok(c.query_row(
                "SELECT count(*), min(at) FROM login_failures WHERE key = ?1 AND at >= ?2",
                params![key, since],
                |r| Ok((to_u64(r.get(0)?), r.get(1)?)),
            )?)
        })
        .await
    }

    async fn audit(&self, user_id: i64, event: &str, address: &str, subject: &str, now: Millis) -> StoreResult<()> {
        let (event, address, subject) = (event.to_owned(), address.to_owned(), subject.to_owned());
        self.write(move |tx| {
            tx.execute(
                "INSERT INTO audit (user_id, at, event, address, subject) VALUES (?1, ?2, ?3, ?4, ?5)",
                params![user_id, now, event, address, subject],
            )?;
            Ok(())
        })
        .await
    }

    async fn audit_log(&self, user_id: i64, limit: u64) -> StoreResult<Vec<AuditEvent>> {
        let limit = to_i64(limit)?;
        self.run(move |c| {
            let mut query = c.prepare(
                "SELECT at, event, address, subject FROM audit WHERE user_id = ?1 ORDER BY id DESC LIMIT ?2",
            )?;
            let rows = query.query_map(params![user_id, limit], |r| {
                Ok(AuditEvent { at: time_of(r.get(0)?), event: r.get(1)?, address: r.get(2)?, subject: r.get(3)? })
            })?;
            Ok(rows.collect::<rusqlite::Result<_>>()?)
        })
        .await
    }

    async fn create_vault(&self, vault: &str, owner: i64, keys: &StoredKeys, now: Millis) -> StoreResult<()> {
        let (vault, keys) = (vault.to_owned(), keys.clone());
        self.write(move |tx| {
            match tx.execute(
                "INSERT INTO vaults (id, owner_id, key_check, key_file, created_at) VALUES (?1, ?2, ?3, ?4, ?5)",
                params![vault, owner, keys.check, keys.key_file, now],
            ) {
                Ok(_) => {}
                Err(e) if e.sqlite_error_code() == Some(rusqlite::ErrorCode::ConstraintViolation) => {
                    return Err(StoreError::Conflict(format!("the vault id {vault}")))
                }
                Err(e) => return Err(e.into()),
            }
            tx.execute(
                "INSERT INTO members (vault_id, user_id, role, added_at) VALUES (?1, ?2, 'owner', ?3)",
                params![vault, owner, now],
            )?;
            Ok(())
        })
        .await
    }

    async fn role(&self, vault: &str, user_id: i64) -> StoreResult<Option<Role>> {
        let vault = vault.to_owned();
        self.run(move |c| {
            let role: Option<String> = c
                .query_row(
                    "SELECT role FROM members WHERE vault_id = ?1 AND user_id = ?2",
                    params![vault, user_id],
                    |r| r.get(0),
                )
                .optional()?;
            Ok(role.as_deref().and_then(Role::parse))
        })
        .await
    }

    async fn vaults_of(&self, user_id: i64) -> StoreResult<Vec<VaultSummary>> {
        self.run(move |c| {
            let mut query = c.prepare(
                "SELECT v.id, m.role, v.created_at FROM members m JOIN vaults v ON v.id = m.vault_id
                 WHERE m.user_id = ?1 ORDER BY v.created_at, v.id",
            )?;
            let rows =
                query.query_map([user_id], |r| Ok((r.get::<_, String>(0)?, r.get::<_, String>(1)?, r.get(2)?)))?;
            let mut out = Vec::new();
            for row in rows {
                let (vault, role, created) = row?;
                let role = Role::parse(&role).ok_or_else(|| StoreError::Backend(format!("unknown role {role}")))?;
                out.push(VaultSummary { vault, role, created_at: time_of(created) });
            }
            Ok(out)
        })
        .await
    }

    async fn vault_keys(&self, vault: &str) -> StoreResult<StoredKeys> {
        let vault = vault.to_owned();
        self.run(move |c| {
            c.query_row(
                "SELECT coalesce(e.key_check, v.key_check), v.key_file, v.epoch FROM vaults v
                 LEFT JOIN vault_epochs e ON e.vault_id = v.id AND e.epoch = v.epoch WHERE v.id = ?1",
                [vault],
                |r| Ok(StoredKeys { check: r.get(0)?, key_file: r.get(1)?, epoch: r.get(2)? }),
            )
            .optional()?
            .ok_or(StoreError::NotFound)
        })
        .await
    }

    async fn put_records(
        &self,
        vault: &str,
        user_id: i64,
        records: &[Record],
        now: Millis,
    ) -> StoreResult<UploadReceipt> {
        let (vault, records) = (vault.to_owned(), records.to_vec());
        self.write(move |tx| {
            let mut head: i64 =
                tx.query_row("SELECT head FROM vaults WHERE id = ?1", [&vault], |r| r.get(0)).optional()?.ok_or(StoreError::NotFound)?;
            let (mut stored, mut unchanged, mut bytes) = (0u64, 0u64, 0i64);
            let mut existing = tx.prepare_cached("SELECT data FROM records WHERE vault_id = ?1 AND device = ?2 AND seq = ?3")?;
            let mut revoked = tx.prepare_cached("SELECT revoked FROM devices WHERE vault_id = ?1 AND device = ?2")?;
            let mut insert = tx.prepare_cached(
                "INSERT INTO records (vault_id, arrival, device, seq, data, received_at, size) VALUES (?1, ?2, ?3, ?4, ?5, ?6, length(?5))",
            )?;
            let mut seen = tx.prepare_cached(
                "INSERT INTO devices (vault_id, device, user_id, first_seen, last_seen, records) VALUES (?1, ?2, ?3, ?4, ?4, ?5)
                 ON CONFLICT (vault_id, device) DO UPDATE SET last_seen = ?4, records = records + ?5",
            )?;
            for record in &records {
                let seq = to_i64(record.seq)?;
                if revoked.query_row(params![vault, record.device], |r| r.get::<_, bool>(0)).optional()? == Some(true) {
                    return Err(StoreError::Revoked(record.device.clone()));
                }
                match existing.query_row(params![vault, record.device, seq], |r| r.get::<_, Vec<u8>>(0)).optional()? {
                    Some(data) if data == record.data.0 => unchanged += 1,
                    Some(_) => return Err(StoreError::Mismatch { device: record.device.clone(), seq: record.seq }),
                    None => {
                        head += 1;
                        insert.execute(params![vault, head, record.device, seq, record.data.0, now])?;
                        seen.execute(params![vault, record.device, user_id, now, 1])?;
                        stored += 1;
                        bytes += i64::try_from(record.data.0.len()).unwrap_or(i64::MAX);
                    }
                }
            }
            tx.execute("UPDATE vaults SET head = ?1, bytes = bytes + ?2 WHERE id = ?3", params![head, bytes, vault])?;
            Ok(UploadReceipt { stored, unchanged, cursor: to_u64(head) })
        })
        .await
    }

    async fn records_after(
        &self,
        vault: &str,
        after: u64,
        limit: u64,
        max_bytes: u64,
    ) -> StoreResult<(Vec<StoredRecord>, bool)> {
        let vault = vault.to_owned();
        let (after, ask) = (to_i64(after)?, to_i64(limit.saturating_add(1))?);
        self.run(move |c| {
            let sizes: Vec<(i64, i64)> = c
                .prepare_cached("SELECT arrival, size FROM records WHERE vault_id = ?1 AND arrival > ?2 ORDER BY arrival LIMIT ?3")?
                .query_map(params![vault, after, ask], |r| Ok((r.get(0)?, r.get(1)?)))?
                .collect::<rusqlite::Result<_>>()?;
            let (Some(last), more) = page_end(&sizes, limit, max_bytes) else { return Ok((Vec::new(), false)) };
            let mut query = c.prepare_cached(
                "SELECT arrival, device, seq, data FROM records WHERE vault_id = ?1 AND arrival > ?2 AND arrival <= ?3 ORDER BY arrival",
            )?;
            let rows = query.query_map(params![vault, after, last], |r| {
                Ok(StoredRecord {
                    cursor: to_u64(r.get(0)?),
                    device: r.get(1)?,
                    seq: to_u64(r.get(2)?),
                    data: credence_protocol::Sealed(r.get(3)?),
                })
            })?;
            Ok((rows.collect::<rusqlite::Result<_>>()?, more))
        })
        .await
    }

    async fn devices(&self, vault: &str) -> StoreResult<Vec<Device>> {
        let vault = vault.to_owned();
        self.run(move |c| {
            let mut query = c.prepare(
                "SELECT d.device, u.name, d.first_seen, d.last_seen, d.records, d.revoked
                 FROM devices d JOIN users u ON u.id = d.user_id WHERE d.vault_id = ?1 ORDER BY d.first_seen, d.device",
            )?;
            let rows = query.query_map([vault], |r| {
                Ok(Device {
                    device: r.get(0)?,
                    user: r.get(1)?,
                    first_seen: time_of(r.get(2)?),
                    last_seen: time_of(r.get(3)?),
                    records: to_u64(r.get(4)?),
                    revoked: r.get(5)?,
                })
            })?;
            Ok(rows.collect::<rusqlite::Result<_>>()?)
        })
        .await
    }

    async fn revoke_device(&self, vault: &str, device: &str) -> StoreResult<()> {
        let (vault, device) = (vault.to_owned(), device.to_owned());
        self.write(move |tx| {
            match tx
                .execute("UPDATE devices SET revoked = 1 WHERE vault_id = ?1 AND device = ?2", params![vault, device])?
            {
                0 => Err(StoreError::NotFound),
                _ => Ok(()),
            }
        })
        .await
    }

    async fn set_identity(&self, user_id: i64, identity: &Identity) -> StoreResult<()> {
        let identity = identity.clone();
        self.write(move |tx| {
            let set = tx.execute(
                "UPDATE users SET identity_public = ?1, identity_sealed = ?2 WHERE id = ?3 AND identity_public IS NULL",
                params![identity.public.0, identity.sealed_private.0, user_id],
            )?;
            let exists = tx.query_row("SELECT count(*) FROM users WHERE id = ?1", [user_id], |r| r.get::<_, i64>(0))?;
            super::identity_set(set as u64, exists > 0)
        })
        .await
    }

    async fn identity(&self, user_id: i64) -> StoreResult<Option<Identity>> {
        self.run(move |c| {
            let identity = c
                .query_row("SELECT identity_public, identity_sealed FROM users WHERE id = ?1", [user_id], |r| {
                    let (public, sealed): (Option<Vec<u8>>, Option<Vec<u8>>) = (r.get(0)?, r.get(1)?);
                    Ok(public
                        .zip(sealed)
                        .map(|(public, sealed)| Identity { public: Sealed(public), sealed_private: Sealed(sealed) }))
                })
                .optional()?;
            Ok(identity.flatten())
        })
        .await
    }

    async fn public_key(&self, name: &str) -> StoreResult<Option<PublicKey>> {
        let name = name.to_owned();
        self.run(move |c| {
            let public: Option<Vec<u8>> = c
                .query_row(
                    "SELECT identity_public FROM users WHERE name = ?1 AND identity_public IS NOT NULL",
                    [&name],
                    |r| r.get(0),
                )
                .optional()?;
            Ok(public.map(|public| PublicKey { user: name, public: Sealed(public) }))
        })
        .await
    }

    async fn members(&self, vault: &str) -> StoreResult<Vec<Member>> {
        let vault = vault.to_owned();
        self.run(move |c| {
            let mut query = c.prepare(
                "SELECT u.name, m.role, u.identity_public, m.added_at FROM members m JOIN users u ON u.id = m.user_id
                 WHERE m.vault_id = ?1 ORDER BY m.role != 'owner', m.added_at, u.name",
            )?;
            let rows = query.query_map([vault], |r| {
                Ok((r.get::<_, String>(0)?, r.get::<_, String>(1)?, r.get::<_, Option<Vec<u8>>>(2)?, r.get(3)?))
            })?;
            let mut out = Vec::new();
            for row in rows {
                let (user, role, public, since) = row?;
                let role = Role::parse(&role).ok_or_else(|| StoreError::Backend(format!("unknown role {role}")))?;
                out.push(Member { user, role, public: public.map(Sealed), since: time_of(since) });
            }
            Ok(out)
        })
        .await
    }

    async fn put_member(
        &self,
        vault: &str,
        from: i64,
        member: &str,
        role: Role,
        grants: &[(u32, Vec<u8>)],
        now: Millis,
    ) -> StoreResult<()> {
        let (vault, member, grants) = (vault.to_owned(), member.to_owned(), grants.to_vec());
        self.write(move |tx| {
            let user_id: i64 = tx
                .query_row("SELECT id FROM users WHERE name = ?1", [&member], |r| r.get(0))
                .optional()?
                .ok_or(StoreError::NotFound)?;
            let (owner, epoch): (i64, u32) = tx
                .query_row("SELECT owner_id, epoch FROM vaults WHERE id = ?1", [&vault], |r| Ok((r.get(0)?, r.get(1)?)))
                .optional()?
                .ok_or(StoreError::NotFound)?;
            if user_id == owner || role == Role::Owner {
                return Err(StoreError::Refused("A vault has one owner; share it as editor or viewer.".into()));
            }
            check_one_per_epoch(&grants, epoch)?;
            tx.execute(
                "INSERT INTO members (vault_id, user_id, role, added_at) VALUES (?1, ?2, ?3, ?4)
                 ON CONFLICT (vault_id, user_id) DO UPDATE SET role = ?3",
                params![vault, user_id, role.as_str(), now],
            )?;
            tx.execute("DELETE FROM grants WHERE vault_id = ?1 AND user_id = ?2", params![vault, user_id])?;
            let mut insert = tx.prepare(
                "INSERT INTO grants (vault_id, user_id, epoch, from_id, sealed) VALUES (?1, ?2, ?3, ?4, ?5)",
            )?;
            for (epoch, sealed) in &grants {
                insert.execute(params![vault, user_id, epoch, from, sealed])?;
            }
            Ok(())
        })
        .await
    }

    async fn rotate(
        &self,
        vault: &str,
        from: i64,
        remove: &str,
        epoch: u32,
        check: &[u8],
        grants: &[MemberGrant],
        now: Millis,
    ) -> StoreResult<()> {
        let (vault, remove, check, grants) = (vault.to_owned(), remove.to_owned(), check.to_vec(), grants.to_vec());
        self.write(move |tx| {
            let current: u32 = tx
                .query_row("SELECT epoch FROM vaults WHERE id = ?1", [&vault], |r| r.get(0))
                .optional()?
                .ok_or(StoreError::NotFound)?;
            if epoch != current + 1 {
                return Err(StoreError::Conflict(format!("the key generation {epoch} (the next is {})", current + 1)));
            }
            let role: String = tx
                .query_row(
                    "SELECT m.role FROM members m JOIN users u ON u.id = m.user_id WHERE m.vault_id = ?1 AND u.name = ?2",
                    params![vault, remove],
                    |r| r.get(0),
                )
                .optional()?
                .ok_or(StoreError::NotFound)?;
            if role == Role::Owner.as_str() {
                return Err(StoreError::Refused("The owner stays; delete the vault instead.".into()));
            }
            tx.execute(
                "DELETE FROM members WHERE vault_id = ?1 AND user_id = (SELECT id FROM users WHERE name = ?2)",
                params![vault, remove],
            )?;
            let staying: Vec<(String, i64)> = tx
                .prepare("SELECT u.name, u.id FROM members m JOIN users u ON u.id = m.user_id WHERE m.vault_id = ?1")?
                .query_map([&vault], |r| Ok((r.get(0)?, r.get(1)?)))?
                .collect::<rusqlite::Result<_>>()?;
            let for_each = check_one_per_member(&grants, &staying)?;
            let mut insert = tx.prepare(
                "INSERT INTO grants (vault_id, user_id, epoch, from_id, sealed) VALUES (?1, ?2, ?3, ?4, ?5)",
            )?;
            for (user_id, sealed) in for_each {
                insert.execute(params![vault, user_id, epoch, from, sealed])?;
            }
            tx.execute(
                "INSERT INTO vault_epochs (vault_id, epoch, key_check, created_at) VALUES (?1, ?2, ?3, ?4)",
                params![vault, epoch, check, now],
            )?;
            tx.execute("UPDATE vaults SET epoch = ?1 WHERE id = ?2", params![epoch, vault])?;
            Ok(())
        })
        .await
    }

    async fn grants(&self, vault: &str, user_id: i64) -> StoreResult<Vec<Grant>> {
        let vault = vault.to_owned();
        self.run(move |c| {
            let mut query = c.prepare(
                "SELECT g.epoch, u.name, u.identity_public, g.sealed FROM grants g JOIN users u ON u.id = g.from_id
                 WHERE g.vault_id = ?1 AND g.user_id = ?2 AND u.identity_public IS NOT NULL ORDER BY g.epoch",
            )?;
            let rows = query.query_map(params![vault, user_id], |r| {
                Ok(Grant {
                    epoch: r.get(0)?,
                    from: r.get(1)?,
                    from_public: Sealed(r.get(2)?),
                    sealed: Sealed(r.get(3)?),
                })
            })?;
            Ok(rows.collect::<rusqlite::Result<_>>()?)
        })
        .await
    }

    async fn begin_snapshot(&self, vault: &str, snapshot: &NewSnapshot, now: Millis) -> StoreResult<()> {
        let (vault, new) = (vault.to_owned(), snapshot.clone());
        self.write(move |tx| {
            let revoked = tx
                .query_row("SELECT revoked FROM devices WHERE vault_id = ?1 AND device = ?2", params![vault, new.device], |r| {
                    r.get::<_, bool>(0)
                })
                .optional()?;
            if revoked == Some(true) {
                return Err(StoreError::Revoked(new.device));
            }
            let (cursor, taken_at) = (to_i64(new.cursor)?, new.taken_at.timestamp_millis());
            let existing = tx
                .query_row(
                    "SELECT device, cursor, parts, taken_at FROM snapshots WHERE vault_id = ?1 AND id = ?2",
                    params![vault, new.id],
                    |r| Ok((r.get::<_, String>(0)?, r.get::<_, i64>(1)?, r.get::<_, u32>(2)?, r.get::<_, i64>(3)?)),
                )
                .optional()?;
            match existing {
                Some(found) if found == (new.device.clone(), cursor, new.parts, taken_at) => Ok(()),
                Some(_) => Err(StoreError::Conflict(format!("the snapshot id {}", new.id))),
                None => {
                    tx.execute(
                        "INSERT INTO snapshots (vault_id, id, device, cursor, parts, taken_at, created_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
                        params![vault, new.id, new.device, cursor, new.parts, taken_at, now],
                    )?;
                    Ok(())
                }
            }
        })
        .await
    }

    async fn put_snapshot_part(&self, vault: &str, id: &str, part: u32, data: &[u8]) -> StoreResult<()> {
        let (vault, id, data) = (vault.to_owned(), id.to_owned(), data.to_vec());
        self.write(move |tx| {
            let (parts, complete) = snapshot_state(tx, &vault, &id)?;
            if part >= parts {
                return Err(StoreError::NotFound);
            }
            let stored: Option<Vec<u8>> = tx
                .query_row(
                    "SELECT data FROM snapshot_parts WHERE vault_id = ?1 AND snapshot_id = ?2 AND part = ?3",
                    params![vault, id, part],
                    |r| r.get(0),
                )
                .optional()?;
            match stored {
                Some(same) if same == data => Ok(()),
                Some(_) => Err(StoreError::Refused(format!(
                    "Part {part} of snapshot {id} is already stored with other contents."
                ))),
                None if complete => {
                    Err(StoreError::Refused(format!("Snapshot {id} is complete; it takes no more parts.")))
                }
                None => {
                    tx.execute(
                        "INSERT INTO snapshot_parts (vault_id, snapshot_id, part, data) VALUES (?1, ?2, ?3, ?4)",
                        params![vault, id, part, data],
                    )?;
                    Ok(())
                }
            }
        })
        .await
    }

    async fn complete_snapshot(&self, vault: &str, id: &str, now: Millis, keep_since: Millis) -> StoreResult<Snapshot> {
        let (vault, id) = (vault.to_owned(), id.to_owned());
        self.write(move |tx| {
            let (parts, complete) = snapshot_state(tx, &vault, &id)?;
            if !complete {
                let (stored, bytes): (u32, i64) = tx.query_row(
                    "SELECT count(*), coalesce(sum(length(data)), 0) FROM snapshot_parts WHERE vault_id = ?1 AND snapshot_id = ?2",
                    params![vault, id],
                    |r| Ok((r.get(0)?, r.get(1)?)),
                )?;
                if stored != parts {
                    return Err(StoreError::Refused(format!(
                        "Snapshot {id} has {stored} of its {parts} parts; send the rest before completing it."
                    )));
                }
                tx.execute(
                    "UPDATE snapshots SET stored_at = ?1, bytes = ?2 WHERE vault_id = ?3 AND id = ?4",
                    params![now, bytes, vault, id],
                )?;
            }
            tx.execute(
                "DELETE FROM snapshots WHERE vault_id = ?1 AND id != ?2 AND (stored_at < ?3 OR (stored_at IS NULL AND created_at < ?3))",
                params![vault, id, keep_since],
            )?;
            tx.query_row(&format!("SELECT {SNAPSHOT_COLUMNS} FROM snapshots WHERE vault_id = ?1 AND id = ?2"), params![vault, id], snapshot_row)
                .map_err(StoreError::from)
        })
        .await
    }

    async fn snapshots(&self, vault: &str) -> StoreResult<Vec<Snapshot>> {
        let vault = vault.to_owned();
        self.run(move |c| {
            let mut query = c.prepare(&format!(
                "SELECT {SNAPSHOT_COLUMNS} FROM snapshots WHERE vault_id = ?1 AND stored_at IS NOT NULL ORDER BY stored_at DESC, id DESC"
            ))?;
            let rows = query.query_map([vault], snapshot_row)?;
            Ok(rows.collect::<rusqlite::Result<_>>()?)
        })
        .await
    }

    async fn snapshot_part(&self, vault: &str, id: &str, part: u32) -> StoreResult<Vec<u8>> {
        let (vault, id) = (vault.to_owned(), id.to_owned());
        self.run(move |c| {
            c.query_row(
                "SELECT p.data FROM snapshot_parts p JOIN snapshots s ON s.vault_id = p.vault_id AND s.id = p.snapshot_id
                 WHERE p.vault_id = ?1 AND p.snapshot_id = ?2 AND p.part = ?3 AND s.stored_at IS NOT NULL",
                params![vault, id, part],
                |r| r.get(0),
            )
            .optional()?
            .ok_or(StoreError::NotFound)
        })
        .await
    }

    async fn bytes_stored(&self) -> StoreResult<u64> {
        self.run(|c| {
            Ok(to_u64(c.query_row(
                "SELECT (SELECT coalesce(sum(bytes), 0) FROM vaults) + (SELECT coalesce(sum(bytes), 0) FROM snapshots)",
                [],
                |r| r.get(0),
            )?))
        })
        .await
    }

    async fn active_devices(&self, since: Millis) -> StoreResult<u64> {
        self.run(move |c| {
            Ok(to_u64(c.query_row(
                "SELECT count(*) FROM devices WHERE last_seen >= ?1 AND NOT revoked",
                [since],
                |r| r.get(0),
            )?))
        })
        .await
    }
}
