//! The Credence desktop app: a Tauri v2 window over credence-core. The window shows the Yew UI (ui/);
//! every button ends in one of the commands in `commands.rs`, which run core on the vault thread
//! (`session.rs`). See docs/ARCHITECTURE.md.

// No console window next to the app on Windows release builds.
#![cfg_attr(not(debug_assertions), windows_subsystem = "windows")]

mod alerts;
mod chosen;
mod commands;

mod session;
mod settings;
mod sync;
mod watch;

use std::path::PathBuf;

use tauri::{Emitter, Manager};

use crate::chosen::ChosenFiles;
use crate::session::Session;
use crate::settings::SettingsFile;

/// `$CREDENCE_VAULT`, else the same default vault the `credence` command uses.
fn vault_path() -> PathBuf {
    std::env::var_os("CREDENCE_VAULT")
        .map(PathBuf::from)
        .or_else(|| credence_core::vault::default_path().ok())
        .unwrap_or_else(|| PathBuf::from("credence.vault"))
}

fn settings_path(app: &tauri::App) -> PathBuf {
    std::env::var_os("CREDENCE_APP_SETTINGS")
        .map(PathBuf::from)
        .unwrap_or_else(|| app.path().app_config_dir().unwrap_or_else(|_| PathBuf::from(".")).join("settings.json"))
}

/// A build without the embedded UI (no `custom-protocol` feature) would load whatever answers on the
/// dev server's port, with all the app's commands: it starts only when a developer asks for it.
fn refuse_without_the_embedded_ui() {
    if cfg!(not(feature = "custom-protocol")) && std::env::var_os("CREDENCE_DEV_SERVER").is_none() {
        eprintln!(
            "credence: this build has no embedded UI and would load a page from a local web server; build it with scripts/build-app.sh, or set CREDENCE_DEV_SERVER=1 while developing"
        );
        std::process::exit(2);
    }
}

fn main() {
    refuse_without_the_embedded_ui();
    let result = tauri::Builder::default()
        .plugin(tauri_plugin_dialog::init())
        .plugin(tauri_plugin_notification::init())
        .setup(|app| {
            let settings = settings_path(app);
            app.manage(alerts::Announced::at(settings.with_file_name("announced-alerts.json")));
            let file = SettingsFile::at(settings);
            let idle = commands::idle_lock(&file.load());
            let handle = app.handle().clone();
            let session = Session::start(vault_path(), idle, move |reason| {
                let _ = handle.emit("vault-locked", reason.as_str());
            });
            watch::start(session.locker());
            app.manage(session);
            app.manage(file);
            app.manage(ChosenFiles::default());
            alerts::start(app.handle().clone());
            app.manage(sync::LastSync::default());
            sync::start(app.handle().clone());
            Ok(())
        })
        .on_window_event(|window, event| {
            // A statement dropped on the window is held like one chosen in the dialog.
            if let tauri::WindowEvent::DragDrop(tauri::DragDropEvent::Drop { paths, .. }) = event {
                if let Some(first) = paths.first() {
                    let chosen =
                        window.state::<ChosenFiles>().hold(first.clone(), credence_api::FilePurpose::Statement);
                    let _ = window.emit("file-dropped", chosen);
                }
            }
        })
        .invoke_handler(tauri::generate_handler![
            commands::vault_status,
            commands::passphrase_strength,
            commands::create_vault,
            commands::unlock,
            commands::lock,
            commands::user_active,
            commands::forget_device,
            commands::change_passphrase,
            commands::accounts,
            commands::add_account,
            commands::edit_account,
            commands::set_account_archived,
            commands::categories,
            commands::add_category,
            commands::transactions,
            commands::add_transaction,
            commands::edit_transaction,
            commands::set_category,
            commands::learn_rule,
            commands::delete_transaction,
            commands::undo,
            commands::history,
            commands::import_formats,
            commands::pick_file,
            commands::import_statement,
            commands::cancel_import,
            commands::import_batches,
            commands::undo_import,
            commands::rules,
            commands::add_rule,
            commands::delete_rule,
            commands::apply_rules,
            commands::dashboard,
            commands::custom_report,
            commands::trend,
            commands::saved_reports,
            commands::save_report,
            commands::delete_saved_report,
            commands::export_report,
            commands::recurring,
            commands::coach,
            commands::on_time_bills,
            commands::budgets,
            commands::chart,
            commands::set_budget,
            commands::score,
            commands::first_score,
            commands::import_credit_report,
            commands::export_credit_report,
            commands::credit_file,
            commands::add_credit_item,
            commands::edit_credit_item,
            commands::remove_credit_item,
            commands::set_payment_month,
            commands::link_credit_account,
            commands::unlink_credit_account,
            commands::report_score,
            commands::simulate_score,
            commands::score_plan,
            commands::score_timeline,
            commands::compare_scores,
            commands::backup,
            commands::restore,
            commands::rekey,
            commands::new_recovery_key,
            commands::settings,
            commands::save_settings,
            sync::sync_status,
            sync::sync_register,
            sync::sync_login,
            sync::sync_now,
            sync::sync_conflicts,
            sync::sync_devices,
            sync::sync_revoke,
            sync::sync_leave,
            sync::sync_snapshots,
            sync::sync_snapshot,
            sync::sync_restore,
            sync::sync_totp_on,
            sync::sync_totp_enrol,
            sync::sync_totp_confirm,
            sync::sync_totp_remove,
            sync::sync_change_password,
            sync::sync_delete_account,
            sync::sync_members,
            sync::sync_share,
            sync::sync_unshare,
            sync::join_vault,
        ])
        .run(tauri::generate_context!());
    if let Err(e) = result {
        eprintln!("credence: the window could not be opened: {e}");
        std::process::exit(1);
    }
}
