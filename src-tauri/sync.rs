//! Sync in the app (docs/sync.md): the commands behind the Settings page's Sync section and the gate's
//! "join a vault from a sync server", over core's sync. And background sync while the vault is open:
//! within half a minute of a change, and every five minutes to catch up with the other devices (or
//! after a failure, five minutes later: offline, the app simply keeps working). Every sync's outcome
//! goes to the UI as a `sync-status` event (the sidebar's line) or a `sync-failed` one.

use std::sync::Mutex;
use std::time::{Duration, Instant};

use credence_api::{self as api, convert, ApiError};
use credence_core::sync::{self, Account, Unlock};
use credence_core::Passphrase;
use tauri::{AppHandle, Emitter, Manager, State};

use crate::session::Session;

type Reply<T> = Result<T, ApiError>;

/// How often the background looks for changes to send.
const TICK: Duration = Duration::from_secs(30);
/// How often it syncs with nothing to send (to receive), and how long it waits after a failure.
const EVERY: Duration = Duration::from_secs(5 * 60);

/// When a sync last ran, and whether it failed.
#[derive(Default)]
pub struct LastSync(Mutex<Option<(Instant, bool)>>);

impl LastSync {
    fn mark(&self, failed: bool) {
        if let Ok(mut last) = self.0.lock() {
            *last = Some((Instant::now(), failed));
        }
    }

    /// Whether the background should sync now, with `pending` changes waiting: soon after a change,
    /// every few minutes regardless, and never more often than that after a failure.
    fn due(&self, pending: bool) -> bool {
        let Ok(last) = self.0.lock() else { return true };
        match *last {
            None => true,
            Some((at, failed)) => at.elapsed() >= EVERY || (pending && !failed),
        }
    }
}

fn account<'a>(server: &'a str, user: &'a str, password: &'a str, otp: Option<&'a str>) -> Account<'a> {
    Account { server, user, password, otp: otp.filter(|o| !o.trim().is_empty()) }
}

#[tauri::command(rename_all = "snake_case")]
pub async fn sync_status(session: State<'_, Session>) -> Reply<api::SyncStatus> {
    session.with_vault(|v| v.sync_status()).await.map(convert::sync_status)
}

/// Turns sync on with a new account on `server`, this vault its first.
#[tauri::command(rename_all = "snake_case")]
pub async fn sync_register(app: AppHandle, server: String, user: String, password: String) -> Reply<api::SyncReport> {
    let session = app.state::<Session>();
    session.mark_input();
    let report = session.with_vault(move |v| v.sync_register(&account(&server, &user, &password, None))).await;
    announce(&app, report).await
}

/// Logs in again (an ended session, a changed password, a second factor).
#[tauri::command(rename_all = "snake_case")]
pub async fn sync_login(
    session: State<'_, Session>,
    server: String,
    user: String,
    password: String,
    otp: Option<String>,
) -> Reply<()> {
    session.mark_input();
    session.with_vault(move |v| v.sync_login(&account(&server, &user, &password, otp.as_deref()))).await
}

#[tauri::command(rename_all = "snake_case")]
pub async fn sync_now(app: AppHandle) -> Reply<api::SyncReport> {
    let report = app.state::<Session>().with_vault(|v| v.sync_now(&mut |_| {})).await;
    announce(&app, report).await
}

#[tauri::command(rename_all = "snake_case")]
pub async fn sync_conflicts(session: State<'_, Session>) -> Reply<api::SyncConflicts> {
    session.with_vault(|v| v.sync_conflicts(100)).await.map(convert::sync_conflicts)
}

#[tauri::command(rename_all = "snake_case")]
pub async fn sync_devices(session: State<'_, Session>) -> Reply<api::SyncDevices> {
    session.with_vault(|v| v.sync_devices()).await.map(convert::sync_devices)
}

#[tauri::command(rename_all = "snake_case")]
pub async fn sync_revoke(session: State<'_, Session>, device: String) -> Reply<()> {
    session.mark_input();
    session.with_vault(move |v| v.sync_revoke(&device)).await
}

#[tauri::command(rename_all = "snake_case")]
pub async fn sync_leave(session: State<'_, Session>) -> Reply<()> {
    session.mark_input();
    session.with_vault(|v| v.sync_leave()).await
}

/// On the gate, with no vault on this computer yet: makes this computer a device of a vault on the
/// server (its passphrase unlocks the key file the server keeps) and opens it.
#[tauri::command(rename_all = "snake_case")]
pub async fn join_vault(
    app: AppHandle,
    server: String,
    user: String,
    password: String,
    otp: Option<String>,
    passphrase: String,
) -> Reply<api::SyncReport> {
    let session = app.state::<Session>();
    session.mark_input();
    let report = session
        .run(move |s| {
            let account = account(&server, &user, &password, otp.as_deref());
            let (vault, report) = sync::join(&s.path, &account, None, Unlock::Passphrase(&Passphrase::new(passphrase)))
                .map_err(|e| convert::api_error(&e))?;
            s.vault = Some(vault);
            Ok(report)
        })
        .await;
    announce(&app, report).await
}

/// Tells the UI how a sync went, and answers it.
async fn announce(app: &AppHandle, report: Reply<sync::SyncReport>) -> Reply<api::SyncReport> {
    app.state::<LastSync>().mark(report.is_err());
    match report {
        Ok(report) => {
            if let Ok(status) = app.state::<Session>().with_vault(|v| v.sync_status()).await {
                let _ = app.emit("sync-status", convert::sync_status(status));
            }
            Ok(convert::sync_report(&report))
        }
        Err(error) => {
            let _ = app.emit("sync-failed", error.clone());
            Err(error)
        }
    }
}

/// Syncs in the background while the vault is open and sync is on.
pub fn start(app: AppHandle) {
    tauri::async_runtime::spawn(async move {
        loop {
            tokio::time::sleep(TICK).await;
            let Ok(status) = app.state::<Session>().with_vault(|v| v.sync_status()).await else { continue };
            if status.server.is_none() {
                continue;
            }
            if app.state::<LastSync>().due(status.pending > 0) {
                let report = app.state::<Session>().with_vault(|v| v.sync_now(&mut |_| {})).await;
                let _ = announce(&app, report).await;
            }
        }
    });
}
