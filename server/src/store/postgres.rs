//! The backend at scale: PostgreSQL through a connection pool. Uploads to one vault serialize on its
//! row (`SELECT … FOR UPDATE`), so cursors are handed out in commit order and a reader paging by cursor
//! never skips a record that commits late; uploads to different vaults run side by side.

use std::collections::HashMap;
use std::str::FromStr;

use credence_protocol::{
    AuditEvent, Device, Grant, Identity, Member, MemberGrant, NewSnapshot, PublicKey, Record, Role, Sealed, Snapshot,
    StoredRecord, UploadReceipt, VaultSummary,
};
use deadpool_postgres::{Manager, ManagerConfig, Pool, RecyclingMethod};
use tokio_postgres::error::SqlState;
use tokio_postgres::NoTls;

use super::{
    check_one_per_epoch, check_one_per_member, page_end, postgres_migrations, time_of, to_i64, to_u64, Millis,
    SessionOwner, Store, StoreError, StoreResult, StoredKeys, User,
};

#[derive(Clone)]
pub struct PostgresStore {
    pool: Pool,
}

impl std::fmt::Debug for PostgresStore {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("PostgresStore")
    }
}

impl From<tokio_postgres::Error> for StoreError {
    fn from(e: tokio_postgres::Error) -> Self {
        StoreError::Backend(match e.as_db_error() {
            Some(db) => format!("{}: {}", db.code().code(), db.message()),
            None => e.to_string(),
        })
    }
}

impl From<deadpool_postgres::PoolError> for StoreError {
    fn from(e: deadpool_postgres::PoolError) -> Self {
        StoreError::Backend(format!("cannot reach PostgreSQL: {e}"))
    }
}

/// Serializes schema changes between servers starting at once on one database.
const MIGRATION_LOCK: i64 = 0x6372_6564_656e_6365; // "credence"

impl PostgresStore {
    /// Connects to `url` (`postgres://user:password@host:port/database`, or key=value pairs; a `host`
    /// that is a folder means a Unix socket) with up to `connections` connections, and brings the schema
    /// up to date.
    pub async fn connect(url: &str, connections: usize) -> StoreResult<PostgresStore> {
        let config = tokio_postgres::Config::from_str(url)
            .map_err(|e| StoreError::Backend(format!("that is not a PostgreSQL address: {e}")))?;
        let manager = Manager::from_config(config, NoTls, ManagerConfig { recycling_method: RecyclingMethod::Fast });
        let pool = Pool::builder(manager)
            .max_size(connections.max(1))
            .build()
            .map_err(|e| StoreError::Backend(format!("cannot set up the connection pool: {e}")))?;
        let store = PostgresStore { pool };
        store.migrate().await?;
        Ok(store)
    }

    async fn migrate(&self) -> StoreResult<()> {
        let mut client = self.pool.get().await?;
        let tx = client.transaction().await?;
        tx.execute("SELECT pg_advisory_xact_lock($1)", &[&MIGRATION_LOCK]).await?;
        tx.batch_execute("CREATE TABLE IF NOT EXISTS schema_version (version BIGINT NOT NULL)").await?;
        let current: i64 = tx.query_one("SELECT coalesce(max(version), 0) FROM schema_version", &[]).await?.get(0);
        let known = postgres_migrations();
        let current = usize::try_from(current).unwrap_or_default();
        if current > known.len() {
            return Err(StoreError::Backend(format!(
                "the database's schema is version {current}, newer than this server knows ({}); upgrade the server",
                known.len()
            )));
        }
        for (index, (name, sql)) in known.iter().enumerate().skip(current) {
            tx.batch_execute(sql).await.map_err(|e| StoreError::Backend(format!("migration {name} failed: {e}")))?;
            let version = i64::try_from(index + 1).unwrap_or(i64::MAX);
            tx.execute("INSERT INTO schema_version (version) VALUES ($1)", &[&version]).await?;
        }
        tx.commit().await?;
        Ok(())
    }
}

fn user_row(r: &tokio_postgres::Row) -> User {
    User {
        id: r.get(0),
        name: r.get(1),
        password_hash: r.get(2),
        totp_secret: r.get(3),
        totp_pending: r.get(4),
        created_at: r.get(5),
    }
}

const USER_COLUMNS: &str = "id, name, password_hash, totp_secret, totp_pending, created_at";

/// A snapshot's number of parts and whether it is complete, its row locked until the transaction ends.
async fn locked_snapshot(tx: &deadpool_postgres::Transaction<'_>, vault: &str, id: &str) -> StoreResult<(i64, bool)> {
    let row = tx
        .query_opt(
            "SELECT parts, stored_at IS NOT NULL FROM snapshots WHERE vault_id = $1 AND id = $2 FOR UPDATE",
            &[&vault, &id],
        )
        .await?
        .ok_or(StoreError::NotFound)?;
    Ok((row.get(0), row.get(1)))
}

/// A key generation as PostgreSQL keeps it (BIGINT).
fn epoch_of(stored: i64) -> StoreResult<u32> {
    u32::try_from(stored).map_err(|_| StoreError::Backend(format!("key generation {stored} is out of range")))
}

const SNAPSHOT_COLUMNS: &str = "id, device, cursor, parts, bytes, taken_at, stored_at";

fn snapshot_row(r: &tokio_postgres::Row) -> StoreResult<Snapshot> {
    Ok(Snapshot {
        id: r.get(0),
        device: r.get(1),
        cursor: to_u64(r.get(2)),
        parts: u32::try_from(r.get::<_, i64>(3))
            .map_err(|_| StoreError::Backend("a snapshot's part count is out of range".into()))?,
        bytes: to_u64(r.get(4)),
        taken_at: time_of(r.get(5)),
        stored_at: time_of(r.get::<_, Option<i64>>(6).unwrap_or_default()),
    })
}

fn is_unique_violation(e: &tokio_postgres::Error) -> bool {
    e.code() == Some(&SqlState::UNIQUE_VIOLATION)
}

impl Store for PostgresStore {
    async fn ready(&self) -> StoreResult<()> {
        self.pool.get().await?.query_one("SELECT 1", &[]).await?;
        Ok(())
    }

    async fn create_user(&self, name: &str, password_hash: &str, now: Millis) -> StoreResult<i64> {
        let client = self.pool.get().await?;
        match client
            .query_one(
                "INSERT INTO users (name, password_hash, created_at) VALUES ($1, $2, $3) RETURNING id",
                &[&name, &password_hash, &now],
            )
            .await
        {
            Ok(row) => Ok(row.get(0)),
            Err(e) if is_unique_violation(&e) => Err(StoreError::Conflict(format!("the user name {name}"))),
            Err(e) => Err(e.into()),
        }
    }

    async fn user_by_name(&self, name: &str) -> StoreResult<Option<User>> {
        let client = self.pool.get().await?;
        let row = client.query_opt(&format!("SELECT {USER_COLUMNS} FROM users WHERE name = $1"), &[&name]).await?;
        Ok(row.as_ref().map(user_row))
    }

    async fn user(&self, id: i64) -> StoreResult<Option<User>> {
        let client = self.pool.get().await?;
        let row = client.query_opt(&format!("SELECT {USER_COLUMNS} FROM users WHERE id = $1"), &[&id]).await?;
        Ok(row.as_ref().map(user_row))
    }

    async fn set_password(&self, id: i64, password_hash: &str, sealed_private: Option<&[u8]>) -> StoreResult<()> {
        let mut client = self.pool.get().await?;
        let tx = client.transaction().await?;
        tx.execute(
            "UPDATE users SET password_hash = $1, identity_sealed = COALESCE($2, identity_sealed) WHERE id = $3",
            &[&password_hash, &sealed_private, &id],
        )
        .await?;
        tx.execute("DELETE FROM sessions WHERE user_id = $1", &[&id]).await?;
        tx.commit().await?;
        Ok(())
    }

    async fn delete_user(&self, id: i64) -> StoreResult<()> {
        let mut client = self.pool.get().await?;
        let tx = client.transaction().await?;
        tx.execute("DELETE FROM vaults WHERE owner_id = $1", &[&id]).await?;
        tx.execute("DELETE FROM users WHERE id = $1", &[&id]).await?;
        tx.commit().await?;
        Ok(())
    }

    async fn enrol_totp(&self, id: i64, secret: &[u8], recovery_hashes: &[[u8; 32]]) -> StoreResult<()> {
        let mut client = self.pool.get().await?;
        let tx = client.transaction().await?;
        tx.execute("UPDATE users SET totp_pending = $1 WHERE id = $2", &[&secret, &id]).await?;
        tx.execute("DELETE FROM recovery_codes WHERE user_id = $1", &[&id]).await?;
        let hashes: Vec<&[u8]> = recovery_hashes.iter().map(|h| h.as_slice()).collect();
        tx.execute("INSERT INTO recovery_codes (user_id, code_hash) SELECT $1, unnest($2::bytea[])", &[&id, &hashes])
            .await?;
        tx.commit().await?;
        Ok(())
    }

    async fn confirm_totp(&self, id: i64) -> StoreResult<()> {
        let client = self.pool.get().await?;
        let changed = client
            .execute(
                "UPDATE users SET totp_secret = totp_pending, totp_pending = NULL WHERE id = $1 AND totp_pending IS NOT NULL",
                &[&id],
            )
            .await?;
        if changed == 0 {
            return Err(StoreError::NotFound);
        }
        Ok(())
    }

    async fn remove_totp(&self, id: i64) -> StoreResult<()> {
        let mut client = self.pool.get().await?;
        let tx = client.transaction().await?;
        tx.execute("UPDATE users SET totp_secret = NULL, totp_pending = NULL WHERE id = $1", &[&id]).await?;
        tx.execute("DELETE FROM recovery_codes WHERE user_id = $1", &[&id]).await?;
        tx.commit().await?;
        Ok(())
    }

    async fn use_totp_step(&self, id: i64, step: i64) -> StoreResult<bool> {
        let client = self.pool.get().await?;
        Ok(client.execute("UPDATE users SET totp_step = $1 WHERE id = $2 AND totp_step < $1", &[&step, &id]).await?
            == 1)
    }

    async fn use_recovery_code(&self, id: i64, hash: &[u8; 32]) -> StoreResult<bool> {
        let client = self.pool.get().await?;
        let hash = hash.as_slice();
        Ok(client.execute("DELETE FROM recovery_codes WHERE user_id = $1 AND code_hash = $2", &[&id, &hash]).await?
            == 1)
    }

    async fn create_session(
        &self,
        token_hash: &[u8; 32],
        user_id: i64,
        now: Millis,
        expires_at: Millis,
    ) -> StoreResult<()> {
        let mut client = self.pool.get().await?;
        let tx = client.transaction().await?;
        tx.execute("DELETE FROM sessions WHERE expires_at <= $1", &[&now]).await?;
        let hash = token_hash.as_slice();
        tx.execute(
            "INSERT INTO sessions (token_hash, user_id, created_at, expires_at) VALUES ($1, $2, $3, $4)",
            &[&hash, &user_id, &now, &expires_at],
        )
        .await?;
        tx.commit().await?;
        Ok(())
    }

    async fn session(&self, token_hash: &[u8; 32], now: Millis) -> StoreResult<Option<SessionOwner>> {
        let client = self.pool.get().await?;
        let hash = token_hash.as_slice();
        let row = client
            .query_opt(
                "SELECT u.id, u.name FROM sessions s JOIN users u ON u.id = s.user_id
                 WHERE s.token_hash = $1 AND s.expires_at > $2",
                &[&hash, &now],
            )
            .await?;
        Ok(row.map(|r| SessionOwner { user_id: r.get(0), name: r.get(1) }))
    }

    async fn end_session(&self, token_hash: &[u8; 32]) -> StoreResult<()> {
        let client = self.pool.get().await?;
        let hash = token_hash.as_slice();
        client.execute("DELETE FROM sessions WHERE token_hash = $1", &[&hash]).await?;
        Ok(())
    }

    async fn add_login_failure(&self, key: &str, now: Millis, forget_before: Millis) -> StoreResult<()> {
        let mut client = self.pool.get().await?;
        let tx = client.transaction().await?;
        tx.execute("DELETE FROM login_failures WHERE at < $1", &[&forget_before]).await?;
        tx.execute("INSERT INTO login_failures (key, at) VALUES ($1, $2)", &[&key, &now]).await?;
        tx.commit().await?;
        Ok(())
    }

    async fn login_failures(&self, key: &str, since: Millis) -> StoreResult<(u64, Option<Millis>)> {
        let client = self.pool.get().await?;
        let row = client
            .query_one("SELECT count(*), min(at) FROM login_failures WHERE key = $1 AND at >= $2", &[&key, &since])
            .await?;
        Ok((to_u64(row.get(0)), row.get(1)))
    }

    async fn audit(&self, user_id: i64, event: &str, address: &str, subject: &str, now: Millis) -> StoreResult<()> {
        let client = self.pool.get().await?;
        client
            .execute(
                "INSERT INTO audit (user_id, at, event, address, subject) VALUES ($1, $2, $3, $4, $5)",
                &[&user_id, &now, &event, &address, &subject],
            )
            .await?;
        Ok(())
    }

    async fn audit_log(&self, user_id: i64, limit: u64) -> StoreResult<Vec<AuditEvent>> {
        let client = self.pool.get().await?;
        let limit = to_i64(limit)?;
        let rows = client
            .query(
                "SELECT at, event, address, subject FROM audit WHERE user_id = $1 ORDER BY id DESC LIMIT $2",
                &[&user_id, &limit],
            )
            .await?;
        Ok(rows
            .iter()
            .map(|r| AuditEvent { at: time_of(r.get(0)), event: r.get(1), address: r.get(2), subject: r.get(3) })
            .collect())
    }

    async fn create_vault(&self, vault: &str, owner: i64, keys: &StoredKeys, now: Millis) -> StoreResult<()> {
        let mut client = self.pool.get().await?;
        let tx = client.transaction().await?;
        match tx
            .execute(
                "INSERT INTO vaults (id, owner_id, key_check, key_file, created_at) VALUES ($1, $2, $3, $4, $5)",
                &[&vault, &owner, &keys.check, &keys.key_file, &now],
            )
            .await
        {
            Ok(_) => {}
            Err(e) if is_unique_violation(&e) => return Err(StoreError::Conflict(format!("the vault id {vault}"))),
            Err(e) => return Err(e.into()),
        }
        tx.execute(
            "INSERT INTO members (vault_id, user_id, role, added_at) VALUES ($1, $2, 'owner', $3)",
            &[&vault, &owner, &now],
        )
        .await?;
        tx.commit().await?;
        Ok(())
    }

    async fn role(&self, vault: &str, user_id: i64) -> StoreResult<Option<Role>> {
        let client = self.pool.get().await?;
        let row = client
            .query_opt("SELECT role FROM members WHERE vault_id = $1 AND user_id = $2", &[&vault, &user_id])
            .await?;
        Ok(row.and_then(|r| Role::parse(r.get(0))))
    }

    async fn vaults_of(&self, user_id: i64) -> StoreResult<Vec<VaultSummary>> {
        let client = self.pool.get().await?;
        let rows = client
            .query(
                "SELECT v.id, m.role, v.created_at FROM members m JOIN vaults v ON v.id = m.vault_id
                 WHERE m.user_id = $1 ORDER BY v.created_at, v.id",
                &[&user_id],
            )
            .await?;
        rows.iter()
            .map(|r| {
                let role: &str = r.get(1);
                let role = Role::parse(role).ok_or_else(|| StoreError::Backend(format!("unknown role {role}")))?;
                Ok(VaultSummary { vault: r.get(0), role, created_at: time_of(r.get(2)) })
            })
            .collect()
    }

    async fn vault_keys(&self, vault: &str) -> StoreResult<StoredKeys> {
        let client = self.pool.get().await?;
        let row = client
            .query_opt(
                "SELECT coalesce(e.key_check, v.key_check), v.key_file, v.epoch FROM vaults v
                 LEFT JOIN vault_epochs e ON e.vault_id = v.id AND e.epoch = v.epoch WHERE v.id = $1",
                &[&vault],
            )
            .await?
            .ok_or(StoreError::NotFound)?;
        Ok(StoredKeys { check: row.get(0), key_file: row.get(1), epoch: epoch_of(row.get(2))? })
    }

    async fn put_records(
        &self,
        vault: &str,
        user_id: i64,
        records: &[Record],
        now: Millis,
    ) -> StoreResult<UploadReceipt> {
        let upload = distinct(records)?;
        let mut client = self.pool.get().await?;
        let tx = client.transaction().await?;
        let head: i64 = tx
            .query_opt("SELECT head FROM vaults WHERE id = $1 FOR UPDATE", &[&vault])
            .await?
            .ok_or(StoreError::NotFound)?
            .get(0);
        let devices: Vec<&str> = upload.iter().map(|r| r.device.as_str()).collect();
        if let Some(row) = tx
            .query_opt(
                "SELECT device FROM devices WHERE vault_id = $1 AND revoked AND device = ANY($2) LIMIT 1",
                &[&vault, &devices],
            )
            .await?
        {
            return Err(StoreError::Revoked(row.get(0)));
        }
        let seqs = upload.iter().map(|r| to_i64(r.seq)).collect::<StoreResult<Vec<i64>>>()?;
        let stored_before: HashMap<(String, i64), Vec<u8>> = tx
            .query(
                "SELECT r.device, r.seq, r.data FROM records r
                 JOIN unnest($2::text[], $3::bigint[]) AS u(device, seq) ON r.device = u.device AND r.seq = u.seq
                 WHERE r.vault_id = $1",
                &[&vault, &devices, &seqs],
            )
            .await?
            .into_iter()
            .map(|r| ((r.get(0), r.get(1)), r.get(2)))
            .collect();
        let mut fresh = Vec::new();
        for (record, seq) in upload.iter().zip(&seqs) {
            match stored_before.get(&(record.device.clone(), *seq)) {
                Some(data) if *data == record.data.0 => {}
                Some(_) => return Err(StoreError::Mismatch { device: record.device.clone(), seq: record.seq }),
                None => fresh.push((*record, *seq)),
            }
        }
        // Repeats within the upload count as unchanged too, as they do on SQLite.
        let unchanged = (records.len() - fresh.len()) as u64;
        let arrivals: Vec<i64> = (1..=fresh.len() as i64).map(|n| head + n).collect();
        let fresh_devices: Vec<&str> = fresh.iter().map(|(r, _)| r.device.as_str()).collect();
        let fresh_seqs: Vec<i64> = fresh.iter().map(|(_, s)| *s).collect();
        let data: Vec<&[u8]> = fresh.iter().map(|(r, _)| r.data.0.as_slice()).collect();
        tx.execute(
            "INSERT INTO records (vault_id, arrival, device, seq, data, received_at, size)
             SELECT $1, a, d, s, b, $6, octet_length(b) FROM unnest($2::bigint[], $3::text[], $4::bigint[], $5::bytea[]) AS u(a, d, s, b)",
            &[&vault, &arrivals, &fresh_devices, &fresh_seqs, &data, &now],
        )
        .await?;
        tx.execute(
            "INSERT INTO devices (vault_id, device, user_id, first_seen, last_seen, records)
             SELECT $1, d, $2, $3, $3, count(*) FROM unnest($4::text[]) AS u(d) GROUP BY d
             ON CONFLICT (vault_id, device) DO UPDATE SET last_seen = EXCLUDED.last_seen, records = devices.records + EXCLUDED.records",
            &[&vault, &user_id, &now, &fresh_devices],
        )
        .await?;
        let bytes: i64 = data.iter().map(|d| d.len() as i64).sum();
        let new_head = head + fresh.len() as i64;
        tx.execute("UPDATE vaults SET head = $1, bytes = bytes + $2 WHERE id = $3", &[&new_head, &bytes, &vault])
            .await?;
        tx.commit().await?;
        Ok(UploadReceipt { stored: fresh.len() as u64, unchanged, cursor: to_u64(new_head) })
    }

    async fn records_after(
        &self,
        vault: &str,
        after: u64,
        limit: u64,
        max_bytes: u64,
    ) -> StoreResult<(Vec<StoredRecord>, bool)> {
        let client = self.pool.get().await?;
        let (after, ask) = (to_i64(after)?, to_i64(limit.saturating_add(1))?);
        let sizes: Vec<(i64, i64)> = client
            .query(
                "SELECT arrival, size FROM records WHERE vault_id = $1 AND arrival > $2 ORDER BY arrival LIMIT $3",
                &[&vault, &after, &ask],
            )
            .await?
            .iter()
            .map(|r| (r.get(0), r.get(1)))
            .collect();
        let (Some(last), more) = page_end(&sizes, limit, max_bytes) else { return Ok((Vec::new(), false)) };
        let rows = client
            .query(
                "SELECT arrival, device, seq, data FROM records WHERE vault_id = $1 AND arrival > $2 AND arrival <= $3 ORDER BY arrival",
                &[&vault, &after, &last],
            )
            .await?;
        let records = rows
            .iter()
            .map(|r| StoredRecord {
                cursor: to_u64(r.get(0)),
                device: r.get(1),
                seq: to_u64(r.get(2)),
                data: Sealed(r.get(3)),
            })
            .collect();
        Ok((records, more))
    }

    async fn devices(&self, vault: &str) -> StoreResult<Vec<Device>> {
        let client = self.pool.get().await?;
        let rows = client
            .query(
                "SELECT d.device, u.name, d.first_seen, d.last_seen, d.records, d.revoked
                 FROM devices d JOIN users u ON u.id = d.user_id WHERE d.vault_id = $1 ORDER BY d.first_seen, d.device",
                &[&vault],
            )
            .await?;
        Ok(rows
            .iter()
            .map(|r| Device {
                device: r.get(0),
                user: r.get(1),
                first_seen: time_of(r.get(2)),
                last_seen: time_of(r.get(3)),
                records: to_u64(r.get(4)),
                revoked: r.get(5),
            })
            .collect())
    }

    async fn revoke_device(&self, vault: &str, device: &str) -> StoreResult<()> {
        let client = self.pool.get().await?;
        match client
            .execute("UPDATE devices SET revoked = TRUE WHERE vault_id = $1 AND device = $2", &[&vault, &device])
            .await?
        {
            0 => Err(StoreError::NotFound),
            _ => Ok(()),
        }
    }

    async fn set_identity(&self, user_id: i64, identity: &Identity) -> StoreResult<()> {
        let mut client = self.pool.get().await?;
        let tx = client.transaction().await?;
        let set = tx
            .execute(
                "UPDATE users SET identity_public = $1, identity_sealed = $2 WHERE id = $3 AND identity_public IS NULL",
                &[&identity.public.0, &identity.sealed_private.0, &user_id],
            )
            .await?;
        let exists: i64 = tx.query_one("SELECT count(*) FROM users WHERE id = $1", &[&user_id]).await?.get(0);
        tx.commit().await?;
        super::identity_set(set, exists > 0)
    }

    async fn identity(&self, user_id: i64) -> StoreResult<Option<Identity>> {
        let client = self.pool.get().await?;
        let row =
            client.query_opt("SELECT identity_public, identity_sealed FROM users WHERE id = $1", &[&user_id]).await?;
        Ok(row.and_then(|r| {
            let (public, sealed): (Option<Vec<u8>>, Option<Vec<u8>>) = (r.get(0), r.get(1));
            Some(Identity { public: Sealed(public?), sealed_private: Sealed(sealed?) })
        }))
    }

    async fn public_key(&self, name: &str) -> StoreResult<Option<PublicKey>> {
        let client = self.pool.get().await?;
        let row = client
            .query_opt("SELECT identity_public FROM users WHERE name = $1 AND identity_public IS NOT NULL", &[&name])
            .await?;
        Ok(row.map(|r| PublicKey { user: name.to_string(), public: Sealed(r.get(0)) }))
    }

    async fn members(&self, vault: &str) -> StoreResult<Vec<Member>> {
        let client = self.pool.get().await?;
        let rows = client
            .query(
                "SELECT u.name, m.role, u.identity_public, m.added_at FROM members m JOIN users u ON u.id = m.user_id
                 WHERE m.vault_id = $1 ORDER BY m.role != 'owner', m.added_at, u.name",
                &[&vault],
            )
            .await?;
        rows.iter()
            .map(|r| {
                let role: String = r.get(1);
                let role = Role::parse(&role).ok_or_else(|| StoreError::Backend(format!("unknown role {role}")))?;
                let public: Option<Vec<u8>> = r.get(2);
                Ok(Member { user: r.get(0), role, public: public.map(Sealed), since: time_of(r.get(3)) })
            })
            .collect()
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
        let mut client = self.pool.get().await?;
        let tx = client.transaction().await?;
        let user_id: i64 =
            tx.query_opt("SELECT id FROM users WHERE name = $1", &[&member]).await?.ok_or(StoreError::NotFound)?.get(0);
        let row = tx
            .query_opt("SELECT owner_id, epoch FROM vaults WHERE id = $1 FOR UPDATE", &[&vault])
            .await?
            .ok_or(StoreError::NotFound)?;
        let (owner, epoch): (i64, u32) = (row.get(0), epoch_of(row.get(1))?);
        if user_id == owner || role == Role::Owner {
            return Err(StoreError::Refused("A vault has one owner; share it as editor or viewer.".into()));
        }
        check_one_per_epoch(grants, epoch)?;
        tx.execute(
            "INSERT INTO members (vault_id, user_id, role, added_at) VALUES ($1, $2, $3, $4)
             ON CONFLICT (vault_id, user_id) DO UPDATE SET role = $3",
            &[&vault, &user_id, &role.as_str(), &now],
        )
        .await?;
        tx.execute("DELETE FROM grants WHERE vault_id = $1 AND user_id = $2", &[&vault, &user_id]).await?;
        for (epoch, sealed) in grants {
            tx.execute(
                "INSERT INTO grants (vault_id, user_id, epoch, from_id, sealed) VALUES ($1, $2, $3, $4, $5)",
                &[&vault, &user_id, &i64::from(*epoch), &from, sealed],
            )
            .await?;
        }
        tx.commit().await?;
        Ok(())
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
        let mut client = self.pool.get().await?;
        let tx = client.transaction().await?;
        let current = tx
            .query_opt("SELECT epoch FROM vaults WHERE id = $1 FOR UPDATE", &[&vault])
            .await?
            .ok_or(StoreError::NotFound)?;
        let current = epoch_of(current.get(0))?;
        if epoch != current + 1 {
            return Err(StoreError::Conflict(format!("the key generation {epoch} (the next is {})", current + 1)));
        }
        let row = tx
            .query_opt(
                "SELECT m.role, m.user_id FROM members m JOIN users u ON u.id = m.user_id WHERE m.vault_id = $1 AND u.name = $2",
                &[&vault, &remove],
            )
            .await?
            .ok_or(StoreError::NotFound)?;
        let (role, removed): (String, i64) = (row.get(0), row.get(1));
        if role == Role::Owner.as_str() {
            return Err(StoreError::Refused("The owner stays; delete the vault instead.".into()));
        }
        tx.execute("DELETE FROM members WHERE vault_id = $1 AND user_id = $2", &[&vault, &removed]).await?;
        let staying: Vec<(String, i64)> = tx
            .query(
                "SELECT u.name, u.id FROM members m JOIN users u ON u.id = m.user_id WHERE m.vault_id = $1",
                &[&vault],
            )
            .await?
            .iter()
            .map(|r| (r.get(0), r.get(1)))
            .collect();
        let epoch = i64::from(epoch);
        for (user_id, sealed) in check_one_per_member(grants, &staying)? {
            tx.execute(
                "INSERT INTO grants (vault_id, user_id, epoch, from_id, sealed) VALUES ($1, $2, $3, $4, $5)",
                &[&vault, &user_id, &epoch, &from, &sealed],
            )
            .await?;
        }
        tx.execute(
            "INSERT INTO vault_epochs (vault_id, epoch, key_check, created_at) VALUES ($1, $2, $3, $4)",
            &[&vault, &epoch, &check, &now],
        )
        .await?;
        tx.execute("UPDATE vaults SET epoch = $1 WHERE id = $2", &[&epoch, &vault]).await?;
        tx.commit().await?;
        Ok(())
    }

    async fn grants(&self, vault: &str, user_id: i64) -> StoreResult<Vec<Grant>> {
        let client = self.pool.get().await?;
        let rows = client
            .query(
                "SELECT g.epoch, u.name, u.identity_public, g.sealed FROM grants g JOIN users u ON u.id = g.from_id
                 WHERE g.vault_id = $1 AND g.user_id = $2 AND u.identity_public IS NOT NULL ORDER BY g.epoch",
                &[&vault, &user_id],
            )
            .await?;
        rows.iter()
            .map(|r| {
                Ok(Grant {
                    epoch: epoch_of(r.get(0))?,
                    from: r.get(1),
                    from_public: Sealed(r.get(2)),
                    sealed: Sealed(r.get(3)),
                })
            })
            .collect()
    }

    async fn begin_snapshot(&self, vault: &str, snapshot: &NewSnapshot, now: Millis) -> StoreResult<()> {
        let client = self.pool.get().await?;
        let revoked = client
            .query_opt("SELECT revoked FROM devices WHERE vault_id = $1 AND device = $2", &[&vault, &snapshot.device])
            .await?;
        if revoked.is_some_and(|r| r.get::<_, bool>(0)) {
            return Err(StoreError::Revoked(snapshot.device.clone()));
        }
        let (cursor, parts, taken_at) =
            (to_i64(snapshot.cursor)?, i64::from(snapshot.parts), snapshot.taken_at.timestamp_millis());
        // Two tries of the same upload may race: the row goes in once, and both compare with it.
        client
            .execute(
                "INSERT INTO snapshots (vault_id, id, device, cursor, parts, taken_at, created_at)
                 VALUES ($1, $2, $3, $4, $5, $6, $7) ON CONFLICT (vault_id, id) DO NOTHING",
                &[&vault, &snapshot.id, &snapshot.device, &cursor, &parts, &taken_at, &now],
            )
            .await?;
        let row = client
            .query_one(
                "SELECT device, cursor, parts, taken_at FROM snapshots WHERE vault_id = $1 AND id = $2",
                &[&vault, &snapshot.id],
            )
            .await?;
        let stored: (String, i64, i64, i64) = (row.get(0), row.get(1), row.get(2), row.get(3));
        match stored == (snapshot.device.clone(), cursor, parts, taken_at) {
            true => Ok(()),
            false => Err(StoreError::Conflict(format!("the snapshot id {}", snapshot.id))),
        }
    }

    async fn put_snapshot_part(&self, vault: &str, id: &str, part: u32, data: &[u8]) -> StoreResult<()> {
        let mut client = self.pool.get().await?;
        let tx = client.transaction().await?;
        let (parts, complete) = locked_snapshot(&tx, vault, id).await?;
        let part = i64::from(part);
        if part >= parts {
            return Err(StoreError::NotFound);
        }
        let stored = tx
            .query_opt(
                "SELECT data FROM snapshot_parts WHERE vault_id = $1 AND snapshot_id = $2 AND part = $3",
                &[&vault, &id, &part],
            )
            .await?;
        match stored.map(|r| r.get::<_, Vec<u8>>(0)) {
            Some(same) if same == data => Ok(()),
            Some(_) => {
                Err(StoreError::Refused(format!("Part {part} of snapshot {id} is already stored with other contents.")))
            }
            None if complete => Err(StoreError::Refused(format!("Snapshot {id} is complete; it takes no more parts."))),
            None => {
                tx.execute(
                    "INSERT INTO snapshot_parts (vault_id, snapshot_id, part, data) VALUES ($1, $2, $3, $4)",
                    &[&vault, &id, &part, &data],
                )
                .await?;
                tx.commit().await?;
                Ok(())
            }
        }
    }

    async fn complete_snapshot(&self, vault: &str, id: &str, now: Millis, keep_since: Millis) -> StoreResult<Snapshot> {
        let mut client = self.pool.get().await?;
        let tx = client.transaction().await?;
        let (parts, complete) = locked_snapshot(&tx, vault, id).await?;
        if !complete {
            let row = tx
                .query_one(
                    "SELECT count(*), coalesce(sum(length(data)), 0)::bigint FROM snapshot_parts
                     WHERE vault_id = $1 AND snapshot_id = $2",
                    &[&vault, &id],
                )
                .await?;
            let (stored, bytes): (i64, i64) = (row.get(0), row.get(1));
            if stored != parts {
                return Err(StoreError::Refused(format!(
                    "Snapshot {id} has {stored} of its {parts} parts; send the rest before completing it."
                )));
            }
            tx.execute(
                "UPDATE snapshots SET stored_at = $1, bytes = $2 WHERE vault_id = $3 AND id = $4",
                &[&now, &bytes, &vault, &id],
            )
            .await?;
        }
        tx.execute(
            "DELETE FROM snapshots WHERE vault_id = $1 AND id != $2
             AND (stored_at < $3 OR (stored_at IS NULL AND created_at < $3))",
            &[&vault, &id, &keep_since],
        )
        .await?;
        let row = tx
            .query_one(
                &format!("SELECT {SNAPSHOT_COLUMNS} FROM snapshots WHERE vault_id = $1 AND id = $2"),
                &[&vault, &id],
            )
            .await?;
        let snapshot = snapshot_row(&row)?;
        tx.commit().await?;
        Ok(snapshot)
    }

    async fn snapshots(&self, vault: &str) -> StoreResult<Vec<Snapshot>> {
        let client = self.pool.get().await?;
        let rows = client
            .query(
                &format!(
                    "SELECT {SNAPSHOT_COLUMNS} FROM snapshots WHERE vault_id = $1 AND stored_at IS NOT NULL
                     ORDER BY stored_at DESC, id DESC"
                ),
                &[&vault],
            )
            .await?;
        rows.iter().map(snapshot_row).collect()
    }

    async fn snapshot_part(&self, vault: &str, id: &str, part: u32) -> StoreResult<Vec<u8>> {
        let client = self.pool.get().await?;
        let row = client
            .query_opt(
                "SELECT p.data FROM snapshot_parts p JOIN snapshots s ON s.vault_id = p.vault_id AND s.id = p.snapshot_id
                 WHERE p.vault_id = $1 AND p.snapshot_id = $2 AND p.part = $3 AND s.stored_at IS NOT NULL",
                &[&vault, &id, &i64::from(part)],
            )
            .await?;
        row.map(|r| r.get(0)).ok_or(StoreError::NotFound)
    }

    async fn bytes_stored(&self) -> StoreResult<u64> {
        let client = self.pool.get().await?;
        let row = client
            .query_one(
                "SELECT (SELECT coalesce(sum(bytes), 0) FROM vaults)::bigint + (SELECT coalesce(sum(bytes), 0) FROM snapshots)::bigint",
                &[],
            )
            .await?;
        Ok(to_u64(row.get(0)))
    }

    async fn active_devices(&self, since: Millis) -> StoreResult<u64> {
        let client = self.pool.get().await?;
        Ok(to_u64(
            client
                .query_one("SELECT count(*) FROM devices WHERE last_seen >= $1 AND NOT revoked", &[&since])
                .await?
                .get(0),
        ))
    }
}

/// The upload with each (device, seq) once: a record repeated with the same bytes counts once; repeated
/// with other bytes, the upload is refused as the store would refuse it against a stored record.
fn distinct(records: &[Record]) -> StoreResult<Vec<&Record>> {
    let mut first: HashMap<(&str, u64), &Record> = HashMap::new();
    let mut out = Vec::with_capacity(records.len());
    for record in records {
        match first.get(&(record.device.as_str(), record.seq)) {
            Some(earlier) if earlier.data == record.data => {}
            Some(_) => return Err(StoreError::Mismatch { device: record.device.clone(), seq: record.seq }),
            None => {
                first.insert((record.device.as_str(), record.seq), record);
                out.push(record);
            }
        }
    }
    Ok(out)
}
