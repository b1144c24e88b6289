//! Putting a new database and key file in place of a vault's (create, restore, rekey) so that a crash
//! at any moment leaves a vault that opens: the old one or the new one, never a database with the other's
//! key file, never nothing.
//!
//! The new pair is first written completely beside the vault (`<vault>.incoming`,
//! `<vault>.keys.incoming`) and checked. Only then is the journal `<vault>.swap-journal` written: from
//! that moment the replacement is decided, and every step after it can be redone from what is on disk.
//! The steps move the old database (with its WAL, under the name SQLite looks for) and key file aside to
//! `<vault><aside>`, move the new pair in, delete the old pair if it is not to be kept, and remove the
//! journal. Whoever opens the vault next and finds a journal (the process that wrote it having died)
//! finishes those steps first, under the exclusive vault lock; the one exception is a vault being
//! created, which is rolled back instead unless it was wholly in place: its recovery key was never shown.

use std::fs;
use std::path::{Path, PathBuf};

use super::keyfile::key_file_path;
use crate::error::{Error, Result};
use crate::files;

/// The journal's presence means "the incoming pair is complete and checked; put it in place".
fn journal_path(vault: &Path) -> PathBuf {
    files::beside(vault, ".swap-journal")
}

/// Where the new database is written before it replaces the vault's.
pub(crate) fn incoming_database(vault: &Path) -> PathBuf {
    files::beside(vault, ".incoming")
}

/// Where the new key file is written before it replaces the vault's.
pub(crate) fn incoming_key_file(vault: &Path) -> PathBuf {
    files::beside(&key_file_path(vault), ".incoming")
}

/// What happens to the replaced vault.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Replaced {
    /// Nothing: a new vault (`init`).
    Nothing,
    /// Kept as a complete vault of its own at `<vault><suffix>` (with its WAL and key file).
    KeptAs(String),
    /// Deleted once the new pair is in place (a rekey: the old key must open nothing that stays).
    Deleted(String),
}

impl Replaced {
    fn encode(&self) -> String {
        match self {
            Replaced::Nothing => "create\n".into(),
            Replaced::KeptAs(suffix) => format!("keep {suffix}\n"),
            Replaced::Deleted(suffix) => format!("delete {suffix}\n"),
        }
    }

    fn decode(text: &str) -> Option<Replaced> {
        if text.trim_end() == "create" {
            return Some(Replaced::Nothing);
        }
        let (verb, suffix) = text.trim_end().split_once(' ')?;
        // The suffix only ever names a file beside the vault.
        if !suffix.starts_with('.') || suffix.contains(['/', '\\']) {
            return None;
        }
        match verb {
            "keep" => Some(Replaced::KeptAs(suffix.into())),
            "delete" => Some(Replaced::Deleted(suffix.into())),
            _ => None,
        }
    }

    /// Where the replaced pair goes (a name nothing has, for a new vault).
    fn suffix(&self) -> &str {
        match self {
            Replaced::Nothing => ".replaced-by-create",
            Replaced::KeptAs(s) | Replaced::Deleted(s) => s,
        }
    }
}

/// Whether an incoming file lies beside the vault (written now, or left by a run that died).
pub(crate) fn left_unfinished(vault: &Path) -> bool {
    incoming_database(vault).exists() || incoming_key_file(vault).exists()
}

/// Removes an incoming pair no journal vouches for (left by a run that died while writing it).
pub(crate) fn discard_unfinished(vault: &Path) {
    if !journal_path(vault).exists() {
        for f in [incoming_database(vault), incoming_key_file(vault)] {
            let _ = fs::remove_file(&f);
            for suffix in ["-wal", "-shm"] {
                let _ = fs::remove_file(files::beside(&f, suffix));
            }
        }
    }
}

/// Puts the complete, checked incoming pair in place. The caller holds the exclusive vault lock.
pub(crate) fn swap_in(vault: &Path, replaced: &Replaced) -> Result<()> {
    files::sync_dir(files::folder_of(vault))?;
    files::write_atomically(&journal_path(vault), replaced.encode().as_bytes())?;
    carry_out(vault, replaced)
}

/// Whether a replacement was left half-done (the caller then takes the exclusive lock and finishes it).
pub(crate) fn interrupted(vault: &Path) -> bool {
    journal_path(vault).exists()
}

/// Finishes what a journal left behind by a run that died: carries a replacement out, or rolls a
/// creation back. Safe to run any number of times. The caller holds the exclusive vault lock.
pub(crate) fn finish(vault: &Path) -> Result<()> {
    let journal = journal_path(vault);
    let Ok(text) = fs::read_to_string(&journal) else { return Ok(()) };
    let replaced = Replaced::decode(&text).ok_or_else(|| {
        Error::Damaged(format!(
            "{} is not a journal this Credence wrote; move it away and try again",
            journal.display()
        ))
    })?;
    if replaced == Replaced::Nothing && incoming_database(vault).exists() {
        // The key file goes in first, so one in place while the database is still incoming is this
        // creation's own (`create` refused to start with a key file there).
        if !incoming_key_file(vault).exists() {
            remove_if_there(&key_file_path(vault))?;
        }
        for f in [incoming_database(vault), incoming_key_file(vault)] {
            remove_if_there(&f)?;
        }
        remove_if_there(&journal)?;
        return files::sync_dir(files::folder_of(vault));
    }
    carry_out(vault, &replaced)
}

/// The journal's steps, from wherever they stopped; each is skipped once done.
fn carry_out(vault: &Path, replaced: &Replaced) -> Result<()> {
    let journal = journal_path(vault);
    let aside = files::beside(vault, replaced.suffix());
    let (incoming_db, incoming_keys) = (incoming_database(vault), incoming_key_file(vault));
    let wal = |db: &Path| files::beside(db, "-wal");

    // The old database and its WAL go aside together, under names SQLite pairs up again.
    if incoming_db.exists() {
        move_if_there(vault, &aside)?;
        move_if_there(&wal(vault), &wal(&aside))?;
        // Shared memory is rebuilt on open; the old one must not meet the new database.
        let _ = fs::remove_file(files::beside(vault, "-shm"));
    }
    if incoming_keys.exists() {
        move_if_there(&key_file_path(vault), &key_file_path(&aside))?;
        fs::rename(&incoming_keys, key_file_path(vault)).map_err(Error::io(key_file_path(vault)))?;
    }
    if incoming_db.exists() {
        fs::rename(&incoming_db, vault).map_err(Error::io(vault))?;
    }
    files::sync_dir(files::folder_of(vault))?;
    if let Replaced::Deleted(_) = replaced {
        for f in [aside.clone(), wal(&aside), files::beside(&aside, "-shm"), key_file_path(&aside)] {
            remove_if_there(&f)?;
        }
    }
    remove_if_there(&journal)?;
    files::sync_dir(files::folder_of(vault))
}

fn remove_if_there(path: &Path) -> Result<()> {
    match fs::remove_file(path) {
        Err(e) if e.kind() != std::io::ErrorKind::NotFound => Err(Error::io(path)(e)),
        _ => Ok(()),
    }
}

fn move_if_there(from: &Path, to: &Path) -> Result<()> {
    match fs::rename(from, to) {
        Err(e) if e.kind() != std::io::ErrorKind::NotFound => Err(Error::io(from)(e)),
        _ => Ok(()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_journal_names_only_files_beside_the_vault() {
        assert_eq!(Replaced::decode("keep .before-restore-1\n"), Some(Replaced::KeptAs(".before-restore-1".into())));
        assert_eq!(Replaced::decode("delete .before-rekey-1"), Some(Replaced::Deleted(".before-rekey-1".into())));
        assert_eq!(Replaced::decode(&Replaced::Nothing.encode()), Some(Replaced::Nothing));
        for hostile in ["keep ../../etc/passwd", "keep .x/../../y", "delete /tmp/x", "burn .x", ""] {
            assert_eq!(Replaced::decode(hostile), None, "{hostile}");
        }
    }

    /// Every prefix of the steps, redone by `finish`, ends in the same place: the new pair in place and
    /// the old one aside.
    #[test]
    fn finishing_from_any_step_puts_the_new_pair_in_place() {
        for stop_after in 0..=4 {
            let dir = tempfile::tempdir().expect("dir");
            let vault = dir.path().join("v");
            let aside = files::beside(&vault, ".before-x");
            for (f, text) in
                [(&vault, "old db"), (&files::beside(&vault, "-wal"), "old wal"), (&key_file_path(&vault), "old keys")]
            {
                fs::write(f, text).expect("old");
            }
            fs::write(incoming_database(&vault), "new db").expect("new");
            fs::write(incoming_key_file(&vault), "new keys").expect("new");
            fs::write(journal_path(&vault), Replaced::KeptAs(".before-x".into()).encode()).expect("journal");
            // The steps `finish` takes, cut short as a crash would.
            let steps: [Box<dyn Fn()>; 4] = [
                Box::new(|| fs::rename(&vault, &aside).expect("1")),
                Box::new(|| fs::rename(files::beside(&vault, "-wal"), files::beside(&aside, "-wal")).expect("2")),
                Box::new(|| fs::rename(key_file_path(&vault), key_file_path(&aside)).expect("3")),
                Box::new(|| fs::rename(incoming_key_file(&vault), key_file_path(&vault)).expect("4")),
            ];
            steps.iter().take(stop_after).for_each(|step| step());
            assert!(interrupted(&vault));
            finish(&vault).expect("finish");
            finish(&vault).expect("finishing twice is harmless");
            let read = |p: &Path| fs::read_to_string(p).expect("read");
            assert_eq!(
                (read(&vault), read(&key_file_path(&vault))),
                ("new db".into(), "new keys".into()),
                "stopped after {stop_after}"
            );
            assert_eq!(
                (read(&aside), read(&files::beside(&aside, "-wal")), read(&key_file_path(&aside))),
                ("old db".into(), "old wal".into(), "old keys".into())
            );
            assert!(!interrupted(&vault) && !incoming_database(&vault).exists() && !incoming_key_file(&vault).exists());
        }
    }

    /// A creation cut short is undone unless its database was already in place: nothing is left that
    /// would make `init` say a vault exists whose recovery key nobody saw.
    #[test]
    fn an_interrupted_creation_is_rolled_back_unless_it_was_complete() {
        for (key_moved_in, database_moved_in) in [(false, false), (true, false), (true, true)] {
            let dir = tempfile::tempdir().expect("dir");
            let vault = dir.path().join("v");
            fs::write(incoming_database(&vault), "new db").expect("db");
            fs::write(incoming_key_file(&vault), "new keys").expect("keys");
            fs::write(journal_path(&vault), Replaced::Nothing.encode()).expect("journal");
            if key_moved_in {
                fs::rename(incoming_key_file(&vault), key_file_path(&vault)).expect("keys in");
            }
            if database_moved_in {
                fs::rename(incoming_database(&vault), &vault).expect("db in");
            }
            finish(&vault).expect("finish");
            let left: Vec<_> = fs::read_dir(dir.path())
                .expect("ls")
                .map(|e| e.expect("entry").file_name().to_string_lossy().into_owned())
                .collect();
            let expected: Vec<String> = if database_moved_in { vec!["v".into(), "v.keys".into()] } else { vec![] };
            let mut left = left;
            left.sort();
            assert_eq!(left, expected, "key moved in {key_moved_in}, database moved in {database_moved_in}");
        }
    }
}
