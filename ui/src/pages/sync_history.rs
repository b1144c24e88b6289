//! Back in time, in Settings → Sync: the server keeps sealed snapshots of the vault and every change
//! since, so the vault as it was at any moment can be rebuilt. It is saved as a backup file; restoring
//! that backup (Settings) makes it the vault, the current one kept aside.

use credence_api::{ApiError, ChosenFile, FilePurpose, SyncRestore, SyncSnapshot, SyncSnapshots};
use serde::Serialize;
use yew::prelude::*;

use super::sync::{value, Doer};
use crate::bridge::{call, NoArgs};
use crate::widgets::{choose_file, ErrorBanner};
use crate::{format, use_app};

#[derive(Serialize)]
struct RestoreArgs {
    at: String,
    file: String,
}

#[function_component]
pub fn SyncHistory() -> Html {
    let app = use_app();
    let snapshots = use_state(|| None::<SyncSnapshots>);
    let error = use_state(|| None::<ApiError>);
    let busy = use_state(|| false);
    let at = use_node_ref();

    let reload = {
        let snapshots = snapshots.clone();
        Callback::from(move |_: ()| {
            let snapshots = snapshots.clone();
            yew::platform::spawn_local(async move {
                snapshots.set(call::<SyncSnapshots>("sync_snapshots", &NoArgs {}).await.ok());
            });
        })
    };
    {
        let reload = reload.clone();
        use_effect_with((), move |_| reload.emit(()));
    }
    let doer = Doer { busy: busy.clone(), error: error.clone(), reload, notify: app.notify.clone() };
    let take = {
        let doer = doer.clone();
        Callback::from(move |_| {
            doer.run("sync_snapshot", NoArgs {}, |s: SyncSnapshot| {
                format!("Snapshot uploaded ({} bytes, sealed).", format::count(s.bytes))
            });
        })
    };
    let restore = {
        let (doer, at) = (doer.clone(), at.clone());
        choose_file(
            FilePurpose::PastVaultTo,
            Callback::from(move |chosen: ChosenFile| {
                let args = RestoreArgs { at: value(&at), file: chosen.handle };
                doer.run("sync_restore", args, |r: SyncRestore| {
                    format!(
                        "The vault as it was at {} is saved in {}. To make it the vault, restore that backup (Settings → Restore from a backup).",
                        format::stamp(&r.at),
                        r.path
                    )
                });
            }),
        )
    };
    html! {
        <>
            <h3>{ "Back in time" }</h3>
            <ErrorBanner error={(*error).clone()} id="history-error" />
            <p class="muted small">{ "The server keeps a sealed snapshot of the vault every week and every change since, so the vault as it was at any moment can be rebuilt. It is saved as a backup file; restoring that backup makes it the vault, and the current one is kept aside." }</p>
            <p class="inline">
                <input type="datetime-local" step="1" id="restore-at" ref={at} aria-label="The moment to go back to" />
                <button class="secondary" id="sync-restore" disabled={*busy} onclick={restore}>{ "Save the vault as it was then…" }</button>
            </p>
            if let Some(list) = (*snapshots).as_ref().filter(|l| !l.snapshots.is_empty()) {
                <table class="table" id="sync-snapshots">
                    <thead><tr><th>{ "Snapshot taken" }</th><th>{ "On device" }</th><th class="num">{ "Bytes" }</th></tr></thead>
                    <tbody>
                        { for list.snapshots.iter().map(|s| html! {
                            <tr>
                                <td>{ format::stamp(&s.taken_at) }</td>
                                <td><code>{ s.device.clone() }</code></td>
                                <td class="num">{ format::count(s.bytes) }</td>
                            </tr>
                        }) }
                    </tbody>
                </table>
            } else if snapshots.is_some() {
                <p class="muted small">{ "No snapshot yet: one is taken within a week of turning sync on." }</p>
            }
            <p><button class="secondary" id="sync-snapshot" disabled={*busy} onclick={take}>{ "Take a snapshot now" }</button></p>
        </>
    }
}
