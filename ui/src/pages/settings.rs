//! Settings: where the vault is, backups, theme, formats, auto-lock, passphrase, this device's keychain,
//! sync (`sync.rs`).

use credence_api::{ApiError, BackupDone, ChosenFile, FilePurpose, Settings, VaultStatus};
use serde::Serialize;
use web_sys::HtmlInputElement;
use yew::prelude::*;

use crate::bridge::{call, NoArgs};
use crate::widgets::{choose_file, event_value, keep_chosen, ErrorBanner, RecoveryWords};
use crate::{format, use_app};

#[derive(Serialize)]
struct FileArgs {
    file: String,
}

#[derive(Serialize)]
struct RestoreArgs {
    file: String,
    passphrase: String,
}

#[derive(Serialize)]
struct RekeyArgs {
    passphrase: String,
}

#[derive(Serialize)]
struct PassphraseArgs {
    current: String,
    new: String,
}

#[function_component]
pub fn SettingsPage() -> Html {
    let app = use_app();
    let error = use_state(|| None::<ApiError>);
    let current = use_node_ref();
    let new = use_node_ref();

    let set = |apply: fn(&mut Settings, String)| {
        let (settings, save) = (app.settings.clone(), app.save_settings.clone());
        Callback::from(move |e: Event| {
            let mut changed = settings.clone();
            apply(&mut changed, event_value(&e));
            save.emit(changed);
        })
    };
    let backup = {
        let (error, notify) = (error.clone(), app.notify.clone());
        choose_file(
            FilePurpose::BackupTo,
            Callback::from(move |chosen: ChosenFile| {
                let (args, error, notify) = (FileArgs { file: chosen.handle }, error.clone(), notify.clone());
                yew::platform::spawn_local(async move {
                    match call::<BackupDone>("backup", &args).await {
                        Ok(done) => {
                            error.set(None);
                            notify.emit(format!(
                                "Backup written to {} ({} bytes).",
                                done.path,
                                format::count(done.bytes)
                            ));
                        }
                        Err(e) => error.set(Some(e)),
                    }
                });
            }),
        )
    };
    let change = {
        let (current, new, error, notify) = (current.clone(), new.clone(), error.clone(), app.notify.clone());
        Callback::from(move |e: SubmitEvent| {
            e.prevent_default();
            let value = |r: &NodeRef| r.cast::<HtmlInputElement>().map(|i| i.value()).unwrap_or_default();
            let args = PassphraseArgs { current: value(&current), new: value(&new) };
            let (error, notify) = (error.clone(), notify.clone());
            yew::platform::spawn_local(async move {
                match call::<()>("change_passphrase", &args).await {
                    Ok(()) => {
                        error.set(None);
                        notify.emit("Passphrase changed. Your recovery key still works.".into());
                    }
                    Err(e) => error.set(Some(e)),
                }
            });
        })
    };
    let forget = {
        let (error, notify) = (error.clone(), app.notify.clone());
        Callback::from(move |_| {
            let (error, notify) = (error.clone(), notify.clone());
            yew::platform::spawn_local(async move {
                match call::<bool>("forget_device", &crate::bridge::NoArgs {}).await {
                    Ok(true) => notify.emit("This device no longer remembers the vault's key.".into()),
                    Ok(false) => notify.emit("This device was not remembering the key.".into()),
                    Err(e) => error.set(Some(e)),
                }
            });
        })
    };
    let s = &app.settings;
    let option = |value: &str, label: &str, current: &str| html! { <option value={value.to_string()} selected={value == current}>{ label.to_string() }</option> };
    html! {
        <>
            <header class="page-head"><h1>{ "Settings" }</h1></header>
            <ErrorBanner error={(*error).clone()} id="settings-error" />
            <section class="card settings">
                <h2>{ "Appearance and formats" }</h2>
                <label>{ "Theme " }<select id="theme" onchange={set(|s, v| s.theme = v)}>
                    { option("system", "Follow the system", &s.theme) }{ option("light", "Light", &s.theme) }{ option("dark", "Dark", &s.theme) }
                </select></label>
                <label>{ "Dates " }<select id="date-format" onchange={set(|s, v| s.date_format = v)}>
                    { option("iso", "2026-11-25", &s.date_format) }{ option("us", "11/25/2026", &s.date_format) }{ option("eu", "25.11.2026", &s.date_format) }
                </select></label>
                <label>{ "Currency for new accounts " }<input size="4" value={s.currency.clone()} onchange={set(|s, v| s.currency = v.trim().to_uppercase())} /></label>
                <label>{ "Lock after " }<select id="auto-lock" onchange={set(|s, v| s.auto_lock_minutes = v.parse().unwrap_or(15))}>
                    { for [1u32, 5, 15, 30, 60, 0].iter().map(|m| option(&m.to_string(), &if *m == 0 { "never".to_string() } else { format!("{m} min idle") }, &s.auto_lock_minutes.to_string())) }
                </select></label>
                <label>{ "Notifications " }<select id="notifications" onchange={set(|s, v| s.notifications = v == "on")}>
                    { option("on", "Payment due, missed or a high balance before closing", if s.notifications { "on" } else { "off" }) }
                    { option("off", "Off", if s.notifications { "on" } else { "off" }) }
                </select></label>
                <label>{ "Card balances to report under " }<select id="utilization-target" onchange={set(|s, v| s.utilization_target = v.parse().unwrap_or(30))}>
                    { option("30", "30% of the limit", &s.utilization_target.to_string()) }
                    { option("10", "10% of the limit (the best scores)", &s.utilization_target.to_string()) }
                </select></label>
            </section>
            <section class="card">
                <h2>{ "Vault" }</h2>
                <p>{ "Location: " }<code id="vault-path">{ app.status.path.clone() }</code></p>
                <p><button class="primary" id="backup-now" onclick={backup}>{ "Back up to a file…" }</button></p>
                <p class="muted small">{ "A backup is one encrypted file. It restores with the passphrase that was current when it was made." }</p>
                <RestoreBackup />
            </section>
            <section class="card">
                <h2>{ "Passphrase" }</h2>
                <form class="inline" onsubmit={change}>
                    <input type="password" ref={current} placeholder="Current passphrase" aria-label="Current passphrase" autocomplete="current-password" required=true />
                    <input type="password" ref={new} placeholder="New passphrase" aria-label="New passphrase" autocomplete="new-password" required=true />
                    <button type="submit" class="primary">{ "Change passphrase" }</button>
                </form>
                <p>
                    <button class="secondary" onclick={forget}>{ "Forget the key on this device" }</button>
                    if let Some(note) = &app.status.keychain_note { <span class="muted small">{ format!(" {note}") }</span> }
                </p>
            </section>
            <super::sync::SyncSection />
            <NewRecoveryKey />
            <Rekey />
        </>
    }
}

/// A new recovery key for one that may have been seen: asked for, shown once, the old one retired.
#[function_component]
fn NewRecoveryKey() -> Html {
    let words = use_state(|| None::<String>);
    let sure = use_state(|| false);
    let error = use_state(|| None);
    let issue = {
        let (words, error) = (words.clone(), error.clone());
        Callback::from(move |_| show_new_words("new_recovery_key", NoArgs {}, words.clone(), error.clone()))
    };
    let toggle = {
        let sure = sure.clone();
        Callback::from(move |_| sure.set(!*sure))
    };
    let hide = {
        let (words, sure) = (words.clone(), sure.clone());
        Callback::from(move |_| {
            words.set(None);
            sure.set(false);
        })
    };
    html! {
        <section class="card" id="recovery">
            <h2>{ "Recovery key" }</h2>
            <ErrorBanner error={(*error).clone()} />
            if let Some(w) = &*words {
                <p>{ "Your new recovery key. The old one no longer opens this vault (backups taken before still open with it). Write these down; they are shown only this once." }</p>
                <RecoveryWords id="new-recovery-key" words={w.clone()} />
                <button class="primary" id="recovery-done" onclick={hide}>{ "I have written it down" }</button>
            } else {
                <p class="muted small">{ "If your recovery key may have been seen, issue a new one: the old one then stops working." }</p>
                <label class="check"><input type="checkbox" id="recovery-sure" checked={*sure} onchange={toggle} />{ " Retire my current recovery key" }</label>
                <button class="secondary" id="recovery-new" disabled={!*sure} onclick={issue}>{ "Issue a new recovery key" }</button>
            }
        </section>
    }
}

/// Runs a command whose answer is a new recovery key's words, and shows them (or its error).
fn show_new_words<A: Serialize + 'static>(
    cmd: &'static str,
    args: A,
    words: UseStateHandle<Option<String>>,
    error: UseStateHandle<Option<ApiError>>,
) {
    yew::platform::spawn_local(async move {
        match call::<String>(cmd, &args).await {
            Ok(w) => {
                error.set(None);
                words.set(Some(w));
            }
            Err(e) => error.set(Some(e)),
        }
    });
}

/// Replaces the vault with a backup: the file, then the passphrase it was made under. The vault it
/// replaces is kept whole beside it.
#[function_component]
fn RestoreBackup() -> Html {
    let app = use_app();
    let file = use_state(|| None::<ChosenFile>);
    let passphrase = use_node_ref();
    let error = use_state(|| None);
    let choose = choose_file(FilePurpose::RestoreFrom, keep_chosen(&file));
    let restore = {
        let (file, passphrase, error, locked) = (file.clone(), passphrase.clone(), error.clone(), app.locked.clone());
        Callback::from(move |e: SubmitEvent| {
            e.prevent_default();
            let Some(chosen) = (*file).clone() else { return };
            let typed = passphrase.cast::<HtmlInputElement>().map(|i| i.value()).unwrap_or_default();
            let args = RestoreArgs { file: chosen.handle, passphrase: typed };
            let (error, locked) = (error.clone(), locked.clone());
            yew::platform::spawn_local(async move {
                match call::<VaultStatus>("restore", &args).await {
                    // Every page shows the restored vault from scratch.
                    Ok(_) => {
                        if let Some(window) = web_sys::window() {
                            let _ = window.location().reload();
                        }
                    }
                    // Refused after the open vault was closed: the shell has it locked now.
                    Err(e) => match call::<VaultStatus>("vault_status", &NoArgs {}).await {
                        Ok(now) if !now.unlocked => locked.emit(format!("The backup was not restored: {}", e.message)),
                        _ => error.set(Some(e)),
                    },
                }
            });
        })
    };
    html! {
        <div id="restore">
            <h3>{ "Restore a backup" }</h3>
            <ErrorBanner error={(*error).clone()} id="restore-error" />
            <p class="muted small">{ "The vault it replaces is kept whole beside it, named with .before-restore." }</p>
            <form class="inline" onsubmit={restore}>
                <button type="button" class="secondary" id="restore-choose" onclick={choose}>{ "Choose a backup…" }</button>
                <span class="chosen-file" id="restore-file">{ file.as_ref().map_or("No backup chosen".to_string(), |f| f.name.clone()) }</span>
                <input type="password" id="restore-passphrase" ref={passphrase} placeholder="Its passphrase" aria-label="The backup's passphrase" autocomplete="current-password" required=true />
                <button type="submit" class="secondary" id="restore-btn" disabled={file.is_none()}>{ "Restore" }</button>
            </form>
        </div>
    }
}

/// Key rotation: the database re-encrypted under a new key and a new recovery key, shown once.
#[function_component]
fn Rekey() -> Html {
    let words = use_state(|| None::<String>);
    let passphrase = use_node_ref();
    let error = use_state(|| None);
    let rekey = {
        let (words, passphrase, error) = (words.clone(), passphrase.clone(), error.clone());
        Callback::from(move |e: SubmitEvent| {
            e.prevent_default();
            let args =
                RekeyArgs { passphrase: passphrase.cast::<HtmlInputElement>().map(|i| i.value()).unwrap_or_default() };
            show_new_words("rekey", args, words.clone(), error.clone());
        })
    };
    let hide = {
        let words = words.clone();
        Callback::from(move |_| words.set(None))
    };
    html! {
        <section class="card" id="rekey">
            <h2>{ "Encryption key" }</h2>
            <ErrorBanner error={(*error).clone()} id="rekey-error" />
            if let Some(w) = &*words {
                <p>{ "The vault is re-encrypted under a new key. Your passphrase is unchanged; this new recovery key replaces the old one. Write these down; they are shown only this once." }</p>
                <RecoveryWords id="rekey-recovery-key" words={w.clone()} />
                <button class="primary" id="rekey-done" onclick={hide}>{ "I have written it down" }</button>
            } else {
                <p class="muted small">{ "If a copy of this vault's key file or recovery key may have been taken, re-encrypt the vault under a new key: old key files and recovery keys then open nothing. Backups made before keep their own keys." }</p>
                <form class="inline" onsubmit={rekey}>
                    <input type="password" id="rekey-passphrase" ref={passphrase} placeholder="Your passphrase" aria-label="Your passphrase" autocomplete="current-password" required=true />
                    <button type="submit" class="secondary" id="rekey-btn">{ "Re-encrypt with a new key" }</button>
                </form>
            }
        </section>
    }
}
