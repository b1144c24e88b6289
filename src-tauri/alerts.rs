//! OS notifications for the coach's alerts: a new payment_due, payment_missed or utilization_high
//! alert raises one notification, once. Which alerts were announced is kept beside the settings as
//! SHA-256 digests of their keys (nothing readable about the person's accounts), the newest few hundred.
//! Alerts are looked at whenever the app asks the coach (the dashboard's card, the Coach page) and every
//! half hour while the vault is open; the Settings page turns notifications off.

use std::path::PathBuf;
use std::sync::Mutex;
use std::time::Duration;

use credence_core::coach::Coach;
use sha2::{Digest, Sha256};
use tauri::{AppHandle, Manager};
use tauri_plugin_notification::NotificationExt;

use crate::session::Session;
use crate::settings::SettingsFile;

/// How many announced alerts are remembered (a few years of monthly alerts on a dozen cards).
const REMEMBERED: usize = 500;
/// How often the coach is asked while the app sits open.
const EVERY: Duration = Duration::from_secs(30 * 60);

pub struct Announced {
    path: PathBuf,
    digests: Mutex<Vec<String>>,
}

impl Announced {
    pub fn at(path: PathBuf) -> Announced {
        let digests = std::fs::read(&path).ok().and_then(|b| serde_json::from_slice(&b).ok()).unwrap_or_default();
        Announced { path, digests: Mutex::new(digests) }
    }

    /// Whether `key` is announced for the first time (and remembers it).
    fn first_time(&self, key: &str) -> bool {
        let digest: String = Sha256::digest(key.as_bytes()).iter().map(|b| format!("{b:02x}")).collect();
        let mut digests = self.digests.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
        if digests.contains(&digest) {
            return false;
        }
        digests.push(digest);
        let excess = digests.len().saturating_sub(REMEMBERED);
        digests.drain(..excess);
        // Only a preference-like record: if it cannot be saved, an alert may be announced again.
        if let Ok(json) = serde_json::to_vec(&*digests) {
            let temp = self.path.with_extension("json.tmp");
            if std::fs::write(&temp, json).is_ok() {
                let _ = std::fs::rename(&temp, &self.path);
            }
        }
        true
    }
}

/// What the coach says today, at the settings' utilization target, after raising a notification for
/// each alert worth one that has not been announced yet (the settings allowing). The one way the app
/// asks the coach: its `coach` command and the half-hourly look both come here.
pub async fn ask(app: &AppHandle) -> Result<Coach, credence_api::ApiError> {
    let settings = app.state::<SettingsFile>().load();
    let query = credence_api::CoachQuery { as_of: None, target: Some(settings.utilization_target) };
    let (as_of, options) = credence_api::convert::coach_query(&query, chrono::Local::now().date_naive())?;
    let coach = app.state::<Session>().with_vault(move |v| v.coach(as_of, &options)).await?;
    if settings.notifications {
        announce(app, &coach);
    }
    Ok(coach)
}

fn announce(app: &AppHandle, coach: &Coach) {
    let announced = app.state::<Announced>();
    for alert in coach.alerts.iter().filter(|a| a.kind.notifies()) {
        if announced.first_time(&alert.key()) {
            let title = match alert.kind {
                credence_core::coach::AlertKind::PaymentMissed => "Payment missed",
                credence_core::coach::AlertKind::PaymentDue => "Payment due",
                _ => "Pay down before closing",
            };
            if let Err(e) = app.notification().builder().title(title).body(&alert.text).show() {
                eprintln!("credence: a notification could not be shown: {e}");
            }
        }
    }
}

/// Asks the coach every half hour while the vault is open (locked, it answers nothing: no alert).
pub fn start(app: AppHandle) {
    tauri::async_runtime::spawn(async move {
        loop {
            tokio::time::sleep(EVERY).await;
            let _ = ask(&app).await;
        }
    });
}
