//! Files only their owner can read. A vault, its key file, its WAL and every backup hold what an
//! offline passphrase guess needs, so each is created owner-only (0600; folders Credence creates 0700) on
//! Unix whatever the umask, and temporary files are created exclusively under random names, never
//! through a symlink, so a leftover from a crashed run never blocks the next one. On Windows files
//! inherit the ACL of the user's profile folder, which other users cannot read (docs/security.md).

use std::fs::{self, File, OpenOptions};
use std::path::{Path, PathBuf};

use rand::RngCore;

use crate::error::{Error, Result};

/// Creates `path` as a new, empty, owner-only file, open for writing; fails if anything (a file or a
/// symlink) is already there.
pub fn create_new(path: &Path) -> Result<File> {
    let mut options = OpenOptions::new();
    options.read(true).write(true).create_new(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.mode(0o600);
    }
    options.open(path).map_err(Error::io(path))
}

/// `path` with `suffix` added to its name ("vault" → "vault-wal").
pub fn beside(path: &Path, suffix: &str) -> PathBuf {
    let mut name = path.as_os_str().to_owned();
    name.push(suffix);
    PathBuf::from(name)
}

/// A temporary name beside `path` that nothing has: `path` + `suffix` + a random part.
pub fn temp_beside(path: &Path, suffix: &str) -> PathBuf {
    let mut random = [0u8; 6];
    rand::rngs::OsRng.fill_bytes(&mut random);
    let tag: String = random.iter().map(|b| format!("{b:02x}")).collect();
    beside(path, &format!("{suffix}-{tag}"))
}

/// Creates `dir` and any missing parents; the folders created here are owner-only (an existing folder,
/// such as the user's home, is left as it is).
pub fn create_dir_owner_only(dir: &Path) -> Result<()> {
    let mut missing = Vec::new();
    let mut at = Some(dir);
    while let Some(d) = at.filter(|d| !d.as_os_str().is_empty() && !d.exists()) {
        missing.push(d.to_owned());
        at = d.parent();
    }
    fs::create_dir_all(dir).map_err(Error::io(dir))?;
    #[cfg(unix)]
    for d in &missing {
        use std::os::unix::fs::PermissionsExt;
        fs::set_permissions(d, fs::Permissions::from_mode(0o700)).map_err(Error::io(d))?;
    }
    #[cfg(not(unix))]
    let _ = missing;
    Ok(())
}

/// Replaces the file at `path` so that a crash at any point leaves either the old or the new content,
/// never a torn file: an owner-only temporary file beside it, fsynced, renamed over, the folder fsynced.
pub fn write_atomically(path: &Path, bytes: &[u8]) -> Result<()> {
    use std::io::Write;
    let tmp = temp_beside(path, ".tmp");
    let result = (|| {
        let mut file = create_new(&tmp)?;
        file.write_all(bytes).map_err(Error::io(&tmp))?;
        file.sync_all().map_err(Error::io(&tmp))?;
        fs::rename(&tmp, path).map_err(Error::io(path))?;
        sync_dir(folder_of(path))
    })();
    if result.is_err() {
        let _ = fs::remove_file(&tmp);
    }
    result
}

/// The folder a path is in ("." for a bare file name).
pub fn folder_of(path: &Path) -> &Path {
    path.parent().filter(|d| !d.as_os_str().is_empty()).unwrap_or(Path::new("."))
}

/// Makes a rename in `dir` durable.
pub fn sync_dir(dir: &Path) -> Result<()> {
    #[cfg(unix)]
    {
        File::open(dir).and_then(|d| d.sync_all()).map_err(Error::io(dir))?;
    }
    #[cfg(not(unix))]
    let _ = dir;
    Ok(())
}

/// Makes an existing file owner-only (SQLite creates a database's WAL with the database's mode, so a
/// vault made owner-only keeps its companions so too).
pub fn restrict(path: &Path) -> Result<()> {
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        fs::set_permissions(path, fs::Permissions::from_mode(0o600)).map_err(Error::io(path))?;
    }
    #[cfg(not(unix))]
    let _ = path;
    Ok(())
}

#[cfg(all(test, unix))]
mod tests {
    use super::*;
    use std::os::unix::fs::PermissionsExt;

    fn mode(path: &Path) -> u32 {
        fs::metadata(path).expect("metadata").permissions().mode() & 0o777
    }

    #[test]
    fn new_files_and_created_folders_are_owner_only_and_existing_ones_are_left_alone() {
        let dir = tempfile::tempdir().expect("dir");
        fs::set_permissions(dir.path(), fs::Permissions::from_mode(0o755)).expect("chmod");
        let deep = dir.path().join("a/b");
        create_dir_owner_only(&deep).expect("dirs");
        assert_eq!((mode(&dir.path().join("a")), mode(&deep)), (0o700, 0o700));
        assert_eq!(mode(dir.path()), 0o755, "a folder that was there is not changed");
        let file = deep.join("f");
        create_new(&file).expect("file");
        assert_eq!(mode(&file), 0o600);
        assert!(create_new(&file).is_err(), "never over something already there");
        let link = deep.join("link");
        std::os::unix::fs::symlink(dir.path().join("elsewhere"), &link).expect("symlink");
        assert!(create_new(&link).is_err(), "never through a symlink");
        assert!(!dir.path().join("elsewhere").exists());
        let (a, b) = (temp_beside(&file, ".writing"), temp_beside(&file, ".writing"));
        assert_ne!(a, b);
        assert!(a.to_string_lossy().contains("f.writing-"));
    }
}
