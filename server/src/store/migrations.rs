//! The server's schema, per backend: numbered SQL files under `server/migrations/<backend>/`, embedded,
//! applied in order, one transaction each. Append only; `server/migrations/manifest.sha256` pins the
//! bytes of every file that has landed, and both backends always have the same versions.

/// One schema step: its file name and SQL.
pub type Migration = (&'static str, &'static str);

pub fn sqlite_migrations() -> &'static [Migration] {
    &[
        ("0001_initial.sql", include_str!("../../migrations/sqlite/0001_initial.sql")),
        ("0002_snapshots.sql", include_str!("../../migrations/sqlite/0002_snapshots.sql")),
        ("0003_households.sql", include_str!("../../migrations/sqlite/0003_households.sql")),
    ]
}

pub fn postgres_migrations() -> &'static [Migration] {
    &[
        ("0001_initial.sql", include_str!("../../migrations/postgres/0001_initial.sql")),
        ("0002_snapshots.sql", include_str!("../../migrations/postgres/0002_snapshots.sql")),
        ("0003_households.sql", include_str!("../../migrations/postgres/0003_households.sql")),
    ]
}

#[cfg(test)]
mod tests {
    use super::*;
    use sha2::{Digest, Sha256};

    #[test]
    fn landed_migrations_are_unchanged_embedded_and_the_same_versions_on_both_backends() {
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("migrations");
        let manifest = std::fs::read_to_string(dir.join("manifest.sha256")).expect("manifest");
        let mut pinned = 0;
        for line in manifest.lines().filter(|l| !l.trim().is_empty()) {
            let (hash, path) = line.split_once("  ").expect("sha256sum format");
            let (backend, name) = path.split_once('/').expect("backend/file");
            let list = if backend == "sqlite" { sqlite_migrations() } else { postgres_migrations() };
            let (_, sql) = list.iter().find(|(n, _)| *n == name).expect("pinned migration is embedded");
            let actual = data_encoding::HEXLOWER.encode(&Sha256::digest(sql.as_bytes()));
            assert_eq!(actual, hash, "{path} was edited after it landed; add a new migration instead");
            pinned += 1;
        }
        for (backend, list) in [("sqlite", sqlite_migrations()), ("postgres", postgres_migrations())] {
            let mut on_disk: Vec<String> = std::fs::read_dir(dir.join(backend))
                .expect("ls")
                .filter_map(|e| e.ok()?.file_name().into_string().ok())
                .filter(|n| n.ends_with(".sql"))
                .collect();
            on_disk.sort();
            let embedded: Vec<&str> = list.iter().map(|(n, _)| *n).collect();
            assert_eq!(on_disk, embedded, "every {backend} migration file is embedded, in order");
            for (i, name) in embedded.iter().enumerate() {
                assert!(name.starts_with(&format!("{:04}_", i + 1)), "{name} is numbered in sequence");
            }
        }
        let names = |list: &[Migration]| list.iter().map(|(n, _)| *n).collect::<Vec<_>>();
        assert_eq!(names(sqlite_migrations()), names(postgres_migrations()), "both backends step together");
        assert_eq!(pinned, sqlite_migrations().len() * 2, "pin every new migration in manifest.sha256");
    }
}
