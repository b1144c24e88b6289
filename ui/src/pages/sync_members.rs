//! Sharing, in Settings → Sync: who shares the vault, each account's key fingerprint (to compare with
//! what that person's own device shows), and for the owner, sharing with another account as editor or
//! viewer and stopping it.

use credence_api::{ApiError, SyncMember, SyncMembers};
use serde::Serialize;
use web_sys::HtmlSelectElement;
use yew::prelude::*;

use super::sync::{value, Doer};
use crate::bridge::{call, NoArgs};
use crate::widgets::ErrorBanner;
use crate::{format, use_app};

#[derive(Serialize)]
struct ShareArgs {
    user: String,
    role: String,
}

#[derive(Serialize)]
struct UserArgs {
    user: String,
}

#[derive(Properties, PartialEq)]
pub struct HouseholdProps {
    /// Whether this account owns the vault (only the owner shares).
    pub owner: bool,
}

#[function_component]
pub fn Household(props: &HouseholdProps) -> Html {
    let app = use_app();
    let members = use_state(|| None::<SyncMembers>);
    let error = use_state(|| None::<ApiError>);
    let busy = use_state(|| false);
    let (user, role) = (use_node_ref(), use_node_ref());

    let reload = {
        let members = members.clone();
        Callback::from(move |_: ()| {
            let members = members.clone();
            yew::platform::spawn_local(async move {
                // Asks the server: offline, the list is simply not shown.
                members.set(call::<SyncMembers>("sync_members", &NoArgs {}).await.ok());
            });
        })
    };
    {
        let reload = reload.clone();
        use_effect_with((), move |_| reload.emit(()));
    }
    let doer = Doer { busy: busy.clone(), error: error.clone(), reload, notify: app.notify.clone() };
    let share = {
        let (doer, user, role) = (doer.clone(), user.clone(), role.clone());
        Callback::from(move |e: SubmitEvent| {
            e.prevent_default();
            let role = role.cast::<HtmlSelectElement>().map(|s| s.value()).unwrap_or_default();
            doer.run("sync_share", ShareArgs { user: value(&user), role }, |m: SyncMember| {
                format!(
                    "Shared with {} as {}. Their key's fingerprint is {}: it should match what their device shows.",
                    m.user,
                    m.role,
                    m.fingerprint.unwrap_or_default()
                )
            });
        })
    };
    let stop = {
        let doer = doer.clone();
        move |user: String| {
            doer.run("sync_unshare", UserArgs { user: user.clone() }, move |()| {
                format!("{user} no longer shares this vault.")
            });
        }
    };
    let Some(list) = &*members else { return html! {} };
    html! {
        <>
            <h3>{ "Shared with" }</h3>
            <ErrorBanner error={(*error).clone()} id="share-error" />
            <table class="table" id="sync-members">
                <thead><tr><th>{ "Account" }</th><th>{ "Role" }</th><th>{ "Key fingerprint" }</th><th>{ "Since" }</th><th></th></tr></thead>
                <tbody>
                    { for list.members.iter().map(|m| {
                        let stop = stop.clone();
                        let user = m.user.clone();
                        let onclick = Callback::from(move |_| stop(user.clone()));
                        html! {
                            <tr>
                                <td>{ m.user.clone() }{ if m.you { " (you)" } else { "" } }</td>
                                <td>{ m.role.clone() }</td>
                                <td><code class="small">{ m.fingerprint.clone().unwrap_or_else(|| "none yet".into()) }</code></td>
                                <td>{ format::stamp(&m.since) }</td>
                                <td>
                                    if props.owner && m.role != "owner" {
                                        <button class="ghost" {onclick}>{ "Stop sharing" }</button>
                                    }
                                </td>
                            </tr>
                        }
                    }) }
                </tbody>
            </table>
            if props.owner {
                <form class="inline" onsubmit={share}>
                    <input id="share-user" ref={user} placeholder="Their user name on this server" aria-label="User name to share with" required=true />
                    <select id="share-role" ref={role} aria-label="Role">
                        <option value="editor" selected=true>{ "Editor (reads and writes)" }</option>
                        <option value="viewer">{ "Viewer (reads)" }</option>
                    </select>
                    <button type="submit" class="secondary" id="share" disabled={*busy}>{ "Share" }</button>
                </form>
                <p class="muted small">{ "The vault's key goes to them sealed to their own key: the server cannot open it. Compare the fingerprint shown with the one their device shows here." }</p>
            }
        </>
    }
}
