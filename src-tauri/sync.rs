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

use crate::chosen::ChosenFiles;
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

#[tauri::command(rename_all = "snake_case")]
pub async fn sync_snapshots(session: State<'_, Session>) -> Reply<api::SyncSnapshots> {
    session.with_vault(|v| v.sync_snapshots()).await.map(convert::sync_snapshots)
}

/// Uploads a snapshot of the vault now (the background takes one weekly).
#[tauri::command(rename_all = "snake_case")]
pub async fn sync_snapshot(session: State<'_, Session>) -> Reply<api::SyncSnapshot> {
    session.mark_input();
    let taken = session.with_vault(|v| v.sync_snapshot()).await?;
    taken.map(convert::sync_snapshot).ok_or_else(|| {
        convert::invalid("The vault changed while the snapshot was being taken; nothing was uploaded. Try again.")
    })
}

/// Saves the vault as it was at `at` (a moment as a person writes it) as a backup file the user chose;
/// Settings → Restore from a backup then makes it the vault.
#[tauri::command(rename_all = "snake_case")]
pub async fn sync_restore(
    session: State<'_, Session>,
    chosen: State<'_, ChosenFiles>,
    at: String,
    file: String,
) -> Reply<api::SyncRestore> {
    session.mark_input();
    let out = chosen.to_write(&file)?;
    let at = sync::parse_moment(&at).map_err(|e| convert::api_error(&e))?;
    session.with_vault(move |v| v.sync_restore_backup(at, &out)).await.map(convert::sync_restore)
}

/// Whether logging in asks for a code.
#[tauri::command(rename_all = "snake_case")]
pub async fn sync_totp_on(session: State<'_, Session>) -> Reply<bool> {
    session.with_vault(|v| v.sync_totp_on()).await
}

/// Starts a second factor: the secret and recovery codes, shown once.
#[tauri::command(rename_all = "snake_case")]
pub async fn sync_totp_enrol(session: State<'_, Session>) -> Reply<api::TotpSetup> {
    session.mark_input();
    session.with_vault(|v| v.sync_totp_enrol()).await.map(convert::totp_setup)
}

#[tauri::command(rename_all = "snake_case")]
pub async fn sync_totp_confirm(session: State<'_, Session>, code: String) -> Reply<()> {
    session.mark_input();
    session.with_vault(move |v| v.sync_totp_confirm(&code)).await
}

#[tauri::command(rename_all = "snake_case")]
pub async fn sync_totp_remove(session: State<'_, Session>, code: String) -> Reply<()> {
    session.mark_input();
    session.with_vault(move |v| v.sync_totp_remove(&code)).await
}

/// Changes the sync account's password; the account's other devices sign in again with the new one.
#[tauri::command(rename_all = "snake_case")]
pub async fn sync_change_password(session: State<'_, Session>, current: String, new: String) -> Reply<()> {
    session.mark_input();
    session.with_vault(move |v| v.sync_change_password(&current, &new)).await
}

/// Deletes the sync account (named again, as a check) with every vault it owns; sync turns off here.
#[tauri::command(rename_all = "snake_case")]
pub async fn sync_delete_account(session: State<'_, Session>, user: String, password: String) -> Reply<()> {
    session.mark_input();
    session.with_vault(move |v| v.sync_delete_account(&user, &password)).await
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
) -> Reply<api::SyncJoined> {
    let session = app.state::<Session>();
    session.mark_input();
    let joined = session
        .run(move |s| {
            let account = account(&server, &user, &password, otp.as_deref());
            let joined = sync::join(&s.path, &account, None, Unlock::Passphrase(&Passphrase::new(passphrase)))
                .map_err(|e| convert::api_error(&e))?;
            s.vault = Some(joined.vault);
            // A member's copy of a shared vault has a recovery key of its own, shown once.
            let words = joined.recovery_key.map(|k| k.dangerously_to_words().as_str().to_string());
            Ok((joined.report, words))
        })
        .await;
    let (report, recovery_key) = match joined {
        Ok((report, words)) => (Ok(report), words),
        Err(e) => (Err(e), None),
    };
    Ok(api::SyncJoined { report: announce(&app, report).await?, recovery_key })
}

#[tauri::command(rename_all = "snake_case")]
pub async fn sync_members(session: State<'_, Session>) -> Reply<api::SyncMembers> {
    session.with_vault(|v| v.sync_members()).await.map(convert::sync_members)
}

/// Shares the vault with another account as `role` (editor or viewer); answers the member with its
/// key's fingerprint, to compare with what the member's own device shows.
#[tauri::command(rename_all = "snake_case")]
pub async fn sync_share(session: State<'_, Session>, user: String, role: String) -> Reply<api::SyncMember> {
    session.mark_input();
    let role = sync::MemberRole::for_sharing(&role).map_err(|e| convert::api_error(&e))?;
    session.with_vault(move |v| v.sync_share(&user, role)).await.map(convert::sync_member)
}

#[tauri::command(rename_all = "snake_case")]
pub async fn sync_unshare(session: State<'_, Session>, user: String) -> Reply<()> {
    session.mark_input();
    session.with_vault(move |v| v.sync_unshare(&user)).await
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
                if announce(&app, report).await.is_ok() {
                    // The weekly snapshot; a failure is tried again after the next sync.
                    let _ = app.state::<Session>().with_vault(|v| v.sync_snapshot_if_due(chrono::Utc::now())).await;
                }
            }
        }
    });
}
