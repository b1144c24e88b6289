//! Settings: where the vault is, backups, theme, formats, auto-lock, passphrase and this device's keychain.

use credence_ipc::{BackupDone, IpcError, Settings};
use serde::Serialize;
use web_sys::HtmlInputElement;
use yew::prelude::*;

use crate::bridge::{call, NoArgs};
use crate::widgets::{event_value, pick_file_into, ErrorBanner};
use crate::{format, use_app};

#[derive(Serialize)]
struct PathArgs {
    path: String,
}

#[derive(Serialize)]
struct PassphraseArgs {
    current: String,
    new: String,
}

#[function_component]
pub fn SettingsPage() -> Html {
    let app = use_app();
    let error = use_state(|| None::<IpcError>);
    let backup_path = use_state(String::new);
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
        let (path, error, notify) = (backup_path.clone(), error.clone(), app.notify.clone());
        Callback::from(move |e: SubmitEvent| {
            e.prevent_default();
            let (args, error, notify) = (PathArgs { path: (*path).clone() }, error.clone(), notify.clone());
            yew::platform::spawn_local(async move {
                match call::<BackupDone>("backup", &args).await {
                    Ok(done) => notify.emit(format!("Backup written to {} ({} bytes).", done.path, format::count(done.bytes))),
                    Err(e) => error.set(Some(e)),
                }
            });
        })
    };
    let pick = pick_file_into(&backup_path, true);
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
    let on_path = {
        let path = backup_path.clone();
        Callback::from(move |e: Event| path.set(event_value(&e)))
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
            </section>
            <section class="card">
                <h2>{ "Vault" }</h2>
                <p>{ "Location: " }<code id="vault-path">{ app.status.path.clone() }</code></p>
                <form class="inline" onsubmit={backup}>
                    <input class="grow" value={(*backup_path).clone()} onchange={on_path} placeholder="Where to write the backup" aria-label="Backup file" required=true />
                    <button type="button" class="secondary" onclick={pick}>{ "Choose…" }</button>
                    <button type="submit" class="primary">{ "Back up now" }</button>
                </form>
                <p class="muted small">{ "A backup is one encrypted file: it opens with the same passphrase or recovery key." }</p>
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
            <NewRecoveryKey />
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
        Callback::from(move |_| {
            let (words, error) = (words.clone(), error.clone());
            yew::platform::spawn_local(async move {
                match call::<String>("new_recovery_key", &NoArgs {}).await {
                    Ok(w) => words.set(Some(w)),
                    Err(e) => error.set(Some(e)),
                }
            });
        })
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
                <ol class="recovery" id="new-recovery-key">{ for w.split_whitespace().map(|word| html! { <li>{ word }</li> }) }</ol>
                <button class="primary" id="recovery-done" onclick={hide}>{ "I have written it down" }</button>
            } else {
                <p class="muted small">{ "If your recovery key may have been seen, issue a new one: the old one then stops working." }</p>
                <label class="check"><input type="checkbox" id="recovery-sure" checked={*sure} onchange={toggle} />{ " Retire my current recovery key" }</label>
                <button class="secondary" id="recovery-new" disabled={!*sure} onclick={issue}>{ "Issue a new recovery key" }</button>
            }
        </section>
    }
}
