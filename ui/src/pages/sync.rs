//! Sync in Settings (docs/sync.md): turn it on with an account on a sync server, sign in again, sync
//! now, turn it off; the second factor (`sync_factor`); the account's password and deletion
//! (`sync_account`); what last-writer-wins decided against; the vault's devices; snapshots and the
//! vault as it was at a past moment (`sync_history`). The sidebar's line says how the last sync went.
//! The native side does the work; this page only shows it.

use credence_api::{ApiError, SyncConflicts, SyncDevices, SyncReport, SyncStatus};
use serde::Serialize;
use web_sys::HtmlInputElement;
use yew::prelude::*;

use super::sync_account::SyncAccount;
use super::sync_factor::SecondFactor;
use super::sync_history::SyncHistory;
use super::sync_members::Household;
use crate::bridge::{call, NoArgs};
use crate::widgets::ErrorBanner;
use crate::{format, use_app};

#[derive(Serialize)]
struct AccountArgs {
    server: String,
    user: String,
    password: String,
    otp: Option<String>,
}

#[derive(Serialize)]
struct DeviceArgs {
    device: String,
}

/// A sentence on how sync stands, for the sidebar and this page.
pub fn describe(status: &SyncStatus) -> Option<String> {
    status.server.as_ref()?;
    Some(match (status.pending, &status.last_sync) {
        (0, Some(at)) => format!("Synced {}", format::stamp(at)),
        (0, None) => "Not synced yet".into(),
        (1, _) => "1 change waiting to sync".into(),
        (n, _) => format!("{} changes waiting to sync", format::count(n)),
    })
}

pub(crate) fn value(r: &NodeRef) -> String {
    r.cast::<HtmlInputElement>().map(|i| i.value()).unwrap_or_default()
}

#[function_component]
pub fn SyncSection() -> Html {
    let app = use_app();
    let status = use_state(|| None::<SyncStatus>);
    let conflicts = use_state(|| None::<SyncConflicts>);
    let devices = use_state(|| None::<SyncDevices>);
    let error = use_state(|| None::<ApiError>);
    let busy = use_state(|| false);
    let (server, user, password, otp) = (use_node_ref(), use_node_ref(), use_node_ref(), use_node_ref());

    let reload = {
        let (status, conflicts, devices, error) = (status.clone(), conflicts.clone(), devices.clone(), error.clone());
        Callback::from(move |_: ()| {
            let (status, conflicts, devices, error) =
                (status.clone(), conflicts.clone(), devices.clone(), error.clone());
            yew::platform::spawn_local(async move {
                match call::<SyncStatus>("sync_status", &NoArgs {}).await {
                    Ok(now) => {
                        let on = now.server.is_some();
                        status.set(Some(now));
                        if on {
                            conflicts.set(call::<SyncConflicts>("sync_conflicts", &NoArgs {}).await.ok());
                            // Asks the server: offline, the list is simply not shown.
                            devices.set(call::<SyncDevices>("sync_devices", &NoArgs {}).await.ok());
                        }
                    }
                    Err(e) => error.set(Some(e)),
                }
            });
        })
    };
    {
        let reload = reload.clone();
        use_effect_with((), move |_| reload.emit(()));
    }
    let doer = Doer { busy: busy.clone(), error: error.clone(), reload: reload.clone(), notify: app.notify.clone() };
    let form_args = {
        let (server, user, password, otp) = (server.clone(), user.clone(), password.clone(), otp.clone());
        move || {
            let code = value(&otp);
            AccountArgs {
                server: value(&server),
                user: value(&user),
                password: value(&password),
                otp: (!code.trim().is_empty()).then_some(code),
            }
        }
    };
    let register = {
        let (doer, form_args) = (doer.clone(), form_args.clone());
        Callback::from(move |e: SubmitEvent| {
            e.prevent_default();
            doer.run("sync_register", form_args(), |r: SyncReport| format!("Sync is on: {} changes sent.", r.pushed));
        })
    };
    let login = {
        let (doer, form_args) = (doer.clone(), form_args.clone());
        Callback::from(move |e: SubmitEvent| {
            e.prevent_default();
            doer.run("sync_login", form_args(), |()| "Signed in to the sync server.".into());
        })
    };
    let sync_now = {
        let doer = doer.clone();
        Callback::from(move |_| {
            doer.run("sync_now", NoArgs {}, |r: SyncReport| {
                format!("Synced: {} sent, {} received.", r.pushed, r.pulled)
            });
        })
    };
    let leave = {
        let doer = doer.clone();
        Callback::from(move |_| {
            doer.run("sync_leave", NoArgs {}, |()| {
                "Sync is off for this vault. Its contents and the server's copy are unchanged.".into()
            });
        })
    };
    let revoke = {
        let doer = doer.clone();
        move |device: String| {
            doer.run("sync_revoke", DeviceArgs { device }, |()| {
                "That device can no longer upload to this vault.".into()
            });
        }
    };

    let fields = |with_code: bool, defaults: Option<&SyncStatus>| {
        let server_value = defaults.and_then(|s| s.server.clone()).unwrap_or_default();
        let user_value = defaults.and_then(|s| s.user.clone()).unwrap_or_default();
        html! {
            <>
                <input id="sync-server" ref={server.clone()} value={server_value} placeholder="https://sync.example.org" aria-label="Sync server" required=true />
                <input id="sync-user" ref={user.clone()} value={user_value} placeholder="User name" aria-label="User name" autocomplete="username" required=true />
                <input id="sync-password" type="password" ref={password.clone()} placeholder="Account password" aria-label="Account password" autocomplete="current-password" required=true />
                if with_code {
                    <input id="sync-otp" ref={otp.clone()} placeholder="Code (if asked)" aria-label="Authenticator code" size="8" inputmode="numeric" autocomplete="one-time-code" />
                }
            </>
        }
    };
    let body = match &*status {
        None => html! { <p class="muted">{ "…" }</p> },
        Some(s) if s.server.is_none() => html! {
            <>
                <p class="muted small">{ "Keep this vault on your other computers through a sync server you trust. Everything leaves this computer sealed with the vault's own keys: the server sees sizes and times, never a payee, an amount or your score. The account password never leaves this computer, and cannot open the vault." }</p>
                <form class="inline" onsubmit={register}>
                    { fields(false, None) }
                    <button type="submit" class="primary" id="sync-register" disabled={*busy}>{ "Turn on sync" }</button>
                </form>
                <p class="muted small">{ "To add this computer to a vault already on a server, lock, and choose \"Join from a sync server\" on a computer without a vault." }</p>
            </>
        },
        Some(s) => html! {
            <>
                <p id="sync-state">{ describe(s).unwrap_or_default() }</p>
                <dl class="facts">
                    <dt>{ "Server" }</dt><dd id="sync-server-shown">{ s.server.clone().unwrap_or_default() }</dd>
                    <dt>{ "Account" }</dt><dd>{ s.user.clone().unwrap_or_default() }</dd>
                    <dt>{ "This device" }</dt><dd><code>{ s.device.clone() }</code></dd>
                </dl>
                <p>
                    <button class="primary" id="sync-now" disabled={*busy} onclick={sync_now}>{ "Sync now" }</button>
                    { " " }
                    <button class="secondary" id="sync-leave" onclick={leave}>{ "Turn off sync" }</button>
                </p>
                <details>
                    <summary>{ "Sign in again (after a password change, or with a code)" }</summary>
                    <form class="inline" onsubmit={login}>
                        { fields(true, Some(s)) }
                        <button type="submit" class="secondary" id="sync-login" disabled={*busy}>{ "Sign in" }</button>
                    </form>
                </details>
                <SecondFactor />
                <SyncAccount user={s.user.clone().unwrap_or_default()} reload={reload.clone()} />
                <Household owner={s.role.as_deref() == Some("owner")} />
                <Conflicts list={(*conflicts).clone()} />
                if let Some(list) = &*devices {
                    <h3>{ "Devices" }</h3>
                    <table class="table" id="sync-devices">
                        <thead><tr><th>{ "Device" }</th><th>{ "Account" }</th><th>{ "Last seen" }</th><th class="num">{ "Records" }</th><th></th></tr></thead>
                        <tbody>
                            { for list.devices.iter().map(|d| {
                                let revoke = revoke.clone();
                                let device = d.device.clone();
                                let onclick = Callback::from(move |_| revoke(device.clone()));
                                html! {
                                    <tr>
                                        <td><code>{ d.device.clone() }</code>{ if d.this_device { " (this one)" } else { "" } }</td>
                                        <td>{ d.user.clone() }</td>
                                        <td>{ format::stamp(&d.last_seen) }</td>
                                        <td class="num">{ format::count(d.records) }</td>
                                        <td>
                                            if d.revoked { <span class="muted">{ "revoked" }</span> }
                                            else if !d.this_device { <button class="ghost" {onclick}>{ "Revoke" }</button> }
                                        </td>
                                    </tr>
                                }
                            }) }
                        </tbody>
                    </table>
                }
                <SyncHistory />
            </>
        },
    };
    html! {
        <section class="card" id="sync">
            <h2>{ "Sync" }</h2>
            <ErrorBanner error={(*error).clone()} id="sync-error" />
            { body }
        </section>
    }
}

/// What a button of the section needs: to show it is busy, the error, to reload, to say it is done.
#[derive(Clone)]
pub(crate) struct Doer {
    pub busy: UseStateHandle<bool>,
    pub error: UseStateHandle<Option<ApiError>>,
    pub reload: Callback<()>,
    pub notify: Callback<String>,
}

impl Doer {
    /// Runs `cmd` with `args`; on success says `said(answer)` and reloads the section, else shows why.
    pub(crate) fn run<A, R>(&self, cmd: &'static str, args: A, said: impl FnOnce(R) -> String + 'static)
    where
        A: Serialize + 'static,
        R: serde::de::DeserializeOwned + 'static,
    {
        let this = self.clone();
        this.busy.set(true);
        yew::platform::spawn_local(async move {
            let answer = call::<R>(cmd, &args).await;
            this.busy.set(false);
            match answer {
                Ok(answer) => {
                    this.error.set(None);
                    this.notify.emit(said(answer));
                    this.reload.emit(());
                }
                Err(e) => this.error.set(Some(e)),
            }
        });
    }
}

#[derive(Properties, PartialEq)]
struct ConflictsProps {
    list: Option<SyncConflicts>,
}

/// What last-writer-wins decided against, newest first.
#[function_component]
fn Conflicts(props: &ConflictsProps) -> Html {
    let Some(list) = &props.list else { return html! {} };
    if list.conflicts.is_empty() {
        return html! { <p class="muted small" id="sync-conflicts">{ "No change was overwritten by another device's." }</p> };
    }
    html! {
        <>
            <h3>{ "Decided against" }</h3>
            <table class="table" id="sync-conflicts">
                <thead><tr><th>{ "What" }</th><th>{ "Field" }</th><th>{ "Kept" }</th><th>{ "Lost" }</th><th>{ "From" }</th></tr></thead>
                <tbody>
                    { for list.conflicts.iter().map(|c| html! {
                        <tr>
                            <td>{ c.entity.clone() }</td>
                            <td>{ c.field.clone().unwrap_or_default() }</td>
                            <td>{ c.kept.clone().unwrap_or_default() }</td>
                            <td>{ c.lost.clone().unwrap_or_default() }</td>
                            <td class="muted small">{ format!("{} at {}", c.lost_device, format::stamp(&c.lost_at)) }</td>
                        </tr>
                    }) }
                </tbody>
            </table>
        </>
    }
}
