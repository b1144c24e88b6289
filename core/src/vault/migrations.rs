//! Schema migrations: numbered SQL files from the top-level `migrations/` folder, embedded in the binary,
//! applied in order, one transaction each, the version kept in `PRAGMA user_version`.

use rusqlite::Connection;

use crate::error::{Error, Result};

/// Every migration that has landed, in order. Append only; `migrations/manifest.sha256` pins the bytes.
pub(crate) const MIGRATIONS: &[(&str, &str)] = &[
    ("0001_initial.sql", include_str!("../../../migrations/0001_initial.sql")),
    ("0002_import.sql", include_str!("../../../migrations/0002_import.sql")),
    ("0003_rules.sql", include_str!("../../../migrations/0003_rules.sql")),
    ("0004_credit.sql", include_str!("../../../migrations/0004_credit.sql")),
    ("0005_transactions_by_date.sql", include_str!("../../../migrations/0005_transactions_by_date.sql")),
    ("0006_monthly_totals.sql", include_str!("../../../migrations/0006_monthly_totals.sql")),
    ("0007_budgets.sql", include_str!("../../../migrations/0007_budgets.sql")),
    ("0008_rates_and_saved_reports.sql", include_str!("../../../migrations/0008_rates_and_saved_reports.sql")),
    ("0009_coach.sql", include_str!("../../../migrations/0009_coach.sql")),
    ("0010_sync.sql", include_str!("../../../migrations/0010_sync.sql")),
];

/// The schema version a vault has once every migration has run.
pub const LATEST_VERSION: u32 = MIGRATIONS.len() as u32;

pub(crate) fn schema_version(conn: &Connection) -> Result<u32> {
    Ok(conn.query_row("PRAGMA user_version", [], |r| r.get(0))?)
}

/// Brings the vault up to `target`. Each step commits on its own, so a crash leaves the vault at some
/// version N, never between N and N+1.
pub(crate) fn migrate_to(conn: &mut Connection, target: u32) -> Result<()> {
    let current = schema_version(conn)?;
    if current > LATEST_VERSION {
        return Err(Error::NewerSchema { found: current, known: LATEST_VERSION });
    }
    for (index, (name, sql)) in MIGRATIONS.iter().enumerate().take(target as usize).skip(current as usize) {
        let version = index as u32 + 1;
        let tx = conn.transaction()?;
        tx.execute_batch(sql).map_err(|e| Error::invalid(format!("migration {name} failed: {e}")))?;
        tx.pragma_update(None, "user_version", version)?;
        tx.commit()?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use sha2::{Digest, Sha256};

    fn migrations_dir() -> std::path::PathBuf {
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../migrations")
    }

    #[test]
    fn landed_migrations_are_unchanged_and_all_embedded() {
        let manifest = std::fs::read_to_string(migrations_dir().join("manifest.sha256")).expect("manifest");
        let pinned: Vec<(String, String)> = manifest
            .lines()
            .filter(|l| !l.trim().is_empty())
            .map(|l| {
                let (hash, name) = l.split_once("  ").expect("sha256sum format");
                (name.to_string(), hash.to_string())
            })
            .collect();
        for (name, hash) in &pinned {
            let (_, sql) = MIGRATIONS.iter().find(|(n, _)| n == name).expect("pinned migration is embedded");
            let actual = data_encoding::HEXLOWER.encode(&Sha256::digest(sql.as_bytes()));
            assert_eq!(&actual, hash, "{name} was edited after it landed; add a new migration instead");
        }
        let mut on_disk: Vec<String> = std::fs::read_dir(migrations_dir())
            .expect("ls")
            .filter_map(|e| e.ok()?.file_name().into_string().ok())
            .filter(|n| n.ends_with(".sql"))
            .collect();
        on_disk.sort();
        let embedded: Vec<String> = MIGRATIONS.iter().map(|(n, _)| n.to_string()).collect();
        assert_eq!(on_disk, embedded, "every migration file is embedded, in order");
        assert_eq!(pinned.len(), MIGRATIONS.len(), "pin every new migration in manifest.sha256");
        for (i, name) in embedded.iter().enumerate() {
            assert!(name.starts_with(&format!("{:04}_", i + 1)), "{name} is numbered in sequence");
        }
    }

    #[test]
    fn migrating_is_idempotent_and_refuses_newer_schemas() {
        let mut conn = Connection::open_in_memory().expect("open");
        migrate_to(&mut conn, LATEST_VERSION).expect("migrate");
        migrate_to(&mut conn, LATEST_VERSION).expect("again");
        assert_eq!(schema_version(&conn).expect("version"), LATEST_VERSION);
        conn.pragma_update(None, "user_version", LATEST_VERSION + 1).expect("bump");
        assert!(matches!(migrate_to(&mut conn, LATEST_VERSION), Err(Error::NewerSchema { .. })));
    }
}
