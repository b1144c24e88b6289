//! A throwaway PostgreSQL cluster for a test: `initdb` in a temporary folder, served on a Unix socket
//! inside it only (no TCP port, so no clash with anything else on the machine), stopped and deleted
//! when dropped. Debian's `postgresql` package (scripts/setup.sh installs it) provides the binaries;
//! as root the cluster runs as the `postgres` user, since PostgreSQL refuses to run as root.
//! `CREDENCE_TEST_POSTGRES` (a connection string to a server whose user may create databases) uses
//! that server instead.

use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::atomic::{AtomicU32, Ordering};

pub struct TestPostgres {
    /// The cluster's folder (data and socket), when this test started one.
    own: Option<(tempfile::TempDir, PathBuf, Option<String>)>,
    base: String,
}

/// The folder of PostgreSQL's server binaries: the newest under /usr/lib/postgresql, or pg_config's.
fn bin_dir() -> PathBuf {
    let mut versions: Vec<PathBuf> = std::fs::read_dir("/usr/lib/postgresql")
        .map(|entries| entries.flatten().map(|e| e.path().join("bin")).filter(|p| p.join("initdb").exists()).collect())
        .unwrap_or_default();
    versions.sort_by_key(|p| {
        p.parent().and_then(|v| v.file_name()).and_then(|v| v.to_str()).and_then(|v| v.parse::<u32>().ok())
    });
    if let Some(newest) = versions.pop() {
        return newest;
    }
    let from_config = Command::new("pg_config").arg("--bindir").output().ok().filter(|o| o.status.success());
    match from_config {
        Some(out) => PathBuf::from(String::from_utf8_lossy(&out.stdout).trim()),
        None => panic!(
            "PostgreSQL's server binaries are not installed: run scripts/setup.sh (it installs Debian's postgresql)"
        ),
    }
}

fn is_root() -> bool {
    Command::new("id").arg("-u").output().is_ok_and(|o| String::from_utf8_lossy(&o.stdout).trim() == "0")
}

/// A PostgreSQL binary to run, as `as_user` when given (we are root).
fn command(as_user: Option<&str>, program: &Path) -> Command {
    match as_user {
        Some(user) => {
            let mut c = Command::new("runuser");
            c.args(["-u", user, "--"]).arg(program);
            c
        }
        None => Command::new(program),
    }
}

fn run(as_user: Option<&str>, program: &Path, args: &[&str]) {
    let out = command(as_user, program).args(args).output().unwrap_or_else(|e| panic!("{}: {e}", program.display()));
    assert!(
        out.status.success(),
        "{} {args:?} failed: {}{}",
        program.display(),
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
}

impl TestPostgres {
    pub fn start() -> TestPostgres {
        if let Ok(base) = std::env::var("CREDENCE_TEST_POSTGRES") {
            return TestPostgres { own: None, base };
        }
        let bin = bin_dir();
        let dir = tempfile::Builder::new().prefix("credence-pg-").tempdir().expect("temp dir");
        let user = is_root().then(|| "postgres".to_string());
        if user.is_some() {
            let out = Command::new("chown").args(["postgres:postgres"]).arg(dir.path()).output().expect("chown");
            assert!(out.status.success(), "chown: {}", String::from_utf8_lossy(&out.stderr));
        }
        let data = dir.path().join("data");
        let (data_s, socket) = (data.to_string_lossy().to_string(), dir.path().to_string_lossy().to_string());
        run(
            user.as_deref(),
            &bin.join("initdb"),
            &["-D", &data_s, "-U", "credence", "--auth=trust", "-E", "UTF8", "--no-sync"],
        );
        let options = format!("-k {socket} -c listen_addresses='' -c fsync=off -c max_connections=200");
        let log = dir.path().join("log").to_string_lossy().to_string();
        run(
            user.as_deref(),
            &bin.join("pg_ctl"),
            &["-D", &data_s, "-l", &log, "-o", &options, "-w", "-t", "120", "start"],
        );
        let base = format!("host={socket} user=credence");
        TestPostgres { own: Some((dir, bin, user)), base }
    }

    /// What `pg_dump` writes of the database at `url` (a connection string from `fresh_database`).
    pub fn dump(&self, url: &str) -> Vec<u8> {
        let pg_dump = self.own.as_ref().map_or_else(|| PathBuf::from("pg_dump"), |(_, bin, _)| bin.join("pg_dump"));
        let out = Command::new(pg_dump).args(["--no-owner", url]).output().expect("pg_dump");
        assert!(out.status.success(), "pg_dump: {}", String::from_utf8_lossy(&out.stderr));
        out.stdout
    }

    /// A connection string to a new, empty database of this cluster.
    pub fn fresh_database(&self) -> String {
        static NEXT: AtomicU32 = AtomicU32::new(0);
        let name = format!("credence_test_{}_{}", std::process::id(), NEXT.fetch_add(1, Ordering::SeqCst));
        let psql = self.own.as_ref().map_or_else(|| PathBuf::from("psql"), |(_, bin, _)| bin.join("psql"));
        let admin = format!("{} dbname=postgres", self.base);
        let out = Command::new(psql)
            .args([admin.as_str(), "-v", "ON_ERROR_STOP=1", "-qc"])
            .arg(format!("CREATE DATABASE {name}"))
            .output();
        let out = out.expect("psql");
        assert!(out.status.success(), "CREATE DATABASE: {}", String::from_utf8_lossy(&out.stderr));
        format!("{} dbname={name}", self.base)
    }
}

impl Drop for TestPostgres {
    fn drop(&mut self) {
        if let Some((dir, bin, user)) = &self.own {
            let data = dir.path().join("data").to_string_lossy().to_string();
            let _ = command(user.as_deref(), &bin.join("pg_ctl"))
                .args(["-D", &data, "-m", "immediate", "-w", "stop"])
                .output();
        }
    }
}
