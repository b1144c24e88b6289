//! The sync account itself, in Settings → Sync: change its password (the account's key pair is sealed
//! anew in the same step, so sharing keeps working; the other devices sign in again), or delete it
//! with every vault it owns on the server. Neither touches this vault's passphrase or contents.

use credence_api::{ApiError, ErrorCode};
use serde::Serialize;
use web_sys::HtmlInputElement;
use yew::prelude::*;

use super::sync::{value, Doer};
use crate::use_app;
use crate::widgets::ErrorBanner;

#[derive(Serialize)]
struct PasswordArgs {
    current: String,
    new: String,
}

#[derive(Serialize)]
struct DeleteArgs {
    user: String,
    password: String,
}

#[derive(Properties, PartialEq)]
pub struct SyncAccountProps {
    /// The account's user name.
    pub user: String,
    /// The Sync section's reload: after a deletion, sync is off.
    pub reload: Callback<()>,
}

#[function_component]
pub fn SyncAccount(props: &SyncAccountProps) -> Html {
    let app = use_app();
    let error = use_state(|| None::<ApiError>);
    let busy = use_state(|| false);
    let (current, new, again) = (use_node_ref(), use_node_ref(), use_node_ref());
    let (confirm_user, confirm_password) = (use_node_ref(), use_node_ref());
    let doer =
        Doer { busy: busy.clone(), error: error.clone(), reload: props.reload.clone(), notify: app.notify.clone() };

    let change = {
        let (doer, current, new, again) = (doer.clone(), current.clone(), new.clone(), again.clone());
        Callback::from(move |e: SubmitEvent| {
            e.prevent_default();
            if value(&new) != value(&again) {
                doer.error
                    .set(Some(ApiError::new(ErrorCode::Invalid, "The two new passwords differ; nothing was changed.")));
                return;
            }
            let args = PasswordArgs { current: value(&current), new: value(&new) };
            let fields = [current.clone(), new.clone(), again.clone()];
            doer.run("sync_change_password", args, move |()| {
                for field in &fields {
                    if let Some(input) = field.cast::<HtmlInputElement>() {
                        input.set_value("");
                    }
                }
                "The sync account's password is changed. Your other devices sign in again with it.".into()
            });
        })
    };
    let delete = {
        let (doer, confirm_user, confirm_password) = (doer.clone(), confirm_user.clone(), confirm_password.clone());
        Callback::from(move |e: SubmitEvent| {
            e.prevent_default();
            let args = DeleteArgs { user: value(&confirm_user), password: value(&confirm_password) };
            doer.run("sync_delete_account", args, |()| {
                "The sync account and its vaults are deleted from the server. Sync is off; this vault stays as it is."
                    .into()
            });
        })
    };
    html! {
        <>
            <h3>{ "Account" }</h3>
            <ErrorBanner error={(*error).clone()} id="account-error" />
            <details>
                <summary id="account-password-open">{ "Change the account's password" }</summary>
                <form class="inline" onsubmit={change}>
                    <input id="account-password" type="password" ref={current} placeholder="Current password" aria-label="Current account password" autocomplete="current-password" required=true />
                    <input id="account-new-password" type="password" ref={new} placeholder="New password" aria-label="New account password" autocomplete="new-password" minlength="10" required=true />
                    <input id="account-new-again" type="password" ref={again} placeholder="New password again" aria-label="New account password again" autocomplete="new-password" required=true />
                    <button type="submit" class="secondary" id="account-change" disabled={*busy}>{ "Change password" }</button>
                </form>
                <p class="muted small">{ "The password never leaves this computer; your vault's passphrase stays as it is." }</p>
            </details>
            <details>
                <summary id="account-delete-open">{ "Delete the account" }</summary>
                <p class="small">{ format!("Deletes the account {} from the server with every vault it owns — their records and snapshots, for every device and every person they are shared with. This vault stays on this computer.", props.user) }</p>
                <form class="inline" onsubmit={delete}>
                    <input id="delete-user" ref={confirm_user} placeholder="Type the user name" aria-label="The account's user name, to confirm" autocomplete="off" required=true />
                    <input id="delete-password" type="password" ref={confirm_password} placeholder="Account password" aria-label="Account password" autocomplete="current-password" required=true />
                    <button type="submit" class="danger" id="account-delete" disabled={*busy}>{ "Delete the account" }</button>
                </form>
            </details>
        </>
    }
}
