//! The app's preferences file (theme, date format, default currency, auto-lock). It lives in the OS config
//! folder, outside the vault, because it applies before the vault is unlocked; it holds nothing private.

use std::path::PathBuf;

use credence_api::{ApiError, ErrorCode, Settings};

pub struct SettingsFile {
    path: PathBuf,
}

impl SettingsFile {
    pub fn at(path: PathBuf) -> SettingsFile {
        SettingsFile { path }
    }

    /// The saved settings; defaults where the file is missing or unreadable (it is only preferences).
    pub fn load(&self) -> Settings {
        std::fs::read(&self.path).ok().and_then(|bytes| serde_json::from_slice(&bytes).ok()).unwrap_or_default()
    }

    pub fn save(&self, settings: &Settings) -> Result<(), ApiError> {
        let failed = |e: std::io::Error| {
            ApiError::new(ErrorCode::Io, format!("Cannot save the settings to {}: {e}", self.path.display()))
        };
        if let Some(dir) = self.path.parent() {
            std::fs::create_dir_all(dir).map_err(failed)?;
        }
        let json =
            serde_json::to_vec_pretty(settings).map_err(|e| ApiError::new(ErrorCode::Internal, e.to_string()))?;
        let temp = self.path.with_extension("json.tmp");
        std::fs::write(&temp, json).map_err(failed)?;
        std::fs::rename(&temp, &self.path).map_err(failed)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn settings_survive_a_restart_and_a_damaged_file_means_defaults() {
        let dir = tempfile::tempdir().expect("dir");
        let file = SettingsFile::at(dir.path().join("app/settings.json"));
        assert_eq!(file.load(), Settings::default());
        let dark = Settings { theme: "dark".into(), auto_lock_minutes: 5, ..Settings::default() };
        file.save(&dark).expect("save");
        assert_eq!(SettingsFile::at(dir.path().join("app/settings.json")).load(), dark);
        std::fs::write(dir.path().join("app/settings.json"), "{not json").expect("damage");
        assert_eq!(file.load(), Settings::default());
    }
}
