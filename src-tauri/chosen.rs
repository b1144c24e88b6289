//! Files the user chose, held here by handle. A path reaches the shell only from the native file dialog
//! or a file dropped on the window; the webview gets a random handle and the name to show, and every
//! command that reads or writes a file takes the handle. A script injected into the webview can
//! therefore touch no file the user did not pick, and write none the user did not pick to be written.
//!
//! End-to-end tests cannot click through a native dialog: when `CREDENCE_E2E_DIALOG_ANSWERS` names a
//! file at launch, each dialog takes its answer from that file's first line instead (the test writes it;
//! the webview cannot). Whoever can set the app's environment can read the user's files already.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::Mutex;

use credence_api::{self as api, ApiError, FilePurpose};
use rand::RngCore;
use tauri::AppHandle;
use tauri_plugin_dialog::DialogExt;

use credence_api::convert::invalid;

const E2E_ANSWERS: &str = "CREDENCE_E2E_DIALOG_ANSWERS";

/// Where to save a report as CSV: asked by the shell itself, so never a handle.
pub const REPORT_OUT: FilePurpose = FilePurpose::ReportOut;

#[derive(Default)]
pub struct ChosenFiles(Mutex<HashMap<String, Chosen>>);

struct Chosen {
    path: PathBuf,
    purpose: FilePurpose,
}

impl ChosenFiles {
    /// Holds `path`, chosen for `purpose`, and returns what the webview may know of it.
    pub fn hold(&self, path: PathBuf, purpose: FilePurpose) -> api::ChosenFile {
        let mut random = [0u8; 16];
        rand::rngs::OsRng.fill_bytes(&mut random);
        let handle: String = random.iter().map(|b| format!("{b:02x}")).collect();
        let chosen = api::ChosenFile {
            handle: handle.clone(),
            name: path.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default(),
            shown: path.display().to_string(),
        };
        if let Ok(mut held) = self.0.lock() {
            held.insert(handle, Chosen { path, purpose });
        }
        chosen
    }

    /// The file behind `handle`, to read.
    pub fn to_read(&self, handle: &str) -> Result<PathBuf, ApiError> {
        self.get(handle, |_| true)
    }

    /// The file behind `handle`, to write: only one the user chose in a save dialog.
    pub fn to_write(&self, handle: &str) -> Result<PathBuf, ApiError> {
        self.get(handle, |p| {
            matches!(
                p,
                FilePurpose::CreditReportOut
                    | FilePurpose::BackupTo
                    | FilePurpose::ReportOut
                    | FilePurpose::PastVaultTo
            )
        })
    }

    fn get(&self, handle: &str, allowed: impl Fn(FilePurpose) -> bool) -> Result<PathBuf, ApiError> {
        let held = self.0.lock().map_err(|_| invalid("Choose the file again."))?;
        match held.get(handle) {
            Some(c) if allowed(c.purpose) => Ok(c.path.clone()),
            Some(_) => {
                Err(invalid("That file was chosen to be read, not written; choose where to save with \"Save as…\"."))
            }
            None => Err(invalid("Choose the file with the file dialog, or drop it on the window.")),
        }
    }
}

/// Shows the native dialog for `purpose` (or, under test, takes the prepared answer); the path chosen,
/// if any.
pub fn ask(app: &AppHandle, purpose: FilePurpose) -> Option<PathBuf> {
    if let Some(answers) = std::env::var_os(E2E_ANSWERS) {
        return next_answer(Path::new(&answers));
    }
    let dialog = app.dialog().file();
    let picked = match purpose {
        FilePurpose::Statement => {
            dialog.add_filter("Bank statements", &["csv", "txt", "ofx", "qfx", "tsv", "xml"]).blocking_pick_file()
        }
        FilePurpose::CreditReportIn => dialog.add_filter("Credit reports", &["json"]).blocking_pick_file(),
        FilePurpose::CreditReportOut => dialog.set_file_name("credit-report.json").blocking_save_file(),
        FilePurpose::BackupTo => dialog.set_file_name("credence.backup").blocking_save_file(),
        FilePurpose::PastVaultTo => dialog.set_file_name("credence-as-it-was.backup").blocking_save_file(),
        FilePurpose::RestoreFrom => dialog.add_filter("Credence backups", &["backup"]).blocking_pick_file(),
        FilePurpose::ReportOut => {
            dialog.set_file_name("credence-report.csv").add_filter("CSV", &["csv"]).blocking_save_file()
        }
    };
    picked.and_then(|p| p.into_path().ok())
}

/// Takes the first line of the answers file (an empty line: the dialog was cancelled).
fn next_answer(answers: &Path) -> Option<PathBuf> {
    let text = std::fs::read_to_string(answers).ok()?;
    let (first, rest) = text.split_once('\n').unwrap_or((&text, ""));
    let _ = std::fs::write(answers, rest);
    Some(PathBuf::from(first.trim())).filter(|p| !p.as_os_str().is_empty())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_handle_gives_only_its_own_file_and_only_a_save_choice_is_written() {
        let files = ChosenFiles::default();
        let statement = files.hold(PathBuf::from("/home/me/statement.csv"), FilePurpose::Statement);
        let backup = files.hold(PathBuf::from("/home/me/credence.backup"), FilePurpose::BackupTo);
        assert_eq!((statement.name.as_str(), statement.handle.len()), ("statement.csv", 32));
        assert_eq!(files.to_read(&statement.handle).expect("read"), PathBuf::from("/home/me/statement.csv"));
        assert!(files.to_write(&statement.handle).is_err(), "a file chosen to be read is never written");
        assert_eq!(files.to_write(&backup.handle).expect("write"), PathBuf::from("/home/me/credence.backup"));
        for made_up in ["/etc/passwd", "../x", "", &statement.handle[..31]] {
            assert!(files.to_read(made_up).is_err(), "{made_up}");
        }
    }
}
