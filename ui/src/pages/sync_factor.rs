//! The sync account's second factor, in Settings → Sync: set up an authenticator app (its secret and
//! recovery codes shown once, then confirmed with a code), or turn it off with a code.

use credence_api::{ApiError, TotpSetup};
use serde::Serialize;
use yew::prelude::*;

use super::sync::{value, Doer};
use crate::bridge::{call, NoArgs};
use crate::use_app;
use crate::widgets::ErrorBanner;

#[derive(Serialize)]
struct CodeArgs {
    code: String,
}

#[function_component]
pub fn SecondFactor() -> Html {
    let app = use_app();
    let on = use_state(|| None::<bool>);
    let setup = use_state(|| None::<TotpSetup>);
    let error = use_state(|| None::<ApiError>);
    let busy = use_state(|| false);
    let code = use_node_ref();

    let reload = {
        let (on, setup) = (on.clone(), setup.clone());
        Callback::from(move |_: ()| {
            let (on, setup) = (on.clone(), setup.clone());
            yew::platform::spawn_local(async move {
                // Asks the server: offline, the section is simply not shown.
                on.set(call::<bool>("sync_totp_on", &NoArgs {}).await.ok());
                setup.set(None);
            });
        })
    };
    {
        let reload = reload.clone();
        use_effect_with((), move |_| reload.emit(()));
    }
    let doer = Doer { busy: busy.clone(), error: error.clone(), reload, notify: app.notify.clone() };
    let enrol = {
        let (setup, error, busy) = (setup.clone(), error.clone(), busy.clone());
        Callback::from(move |_| {
            let (setup, error, busy) = (setup.clone(), error.clone(), busy.clone());
            busy.set(true);
            yew::platform::spawn_local(async move {
                match call::<TotpSetup>("sync_totp_enrol", &NoArgs {}).await {
                    Ok(new) => {
                        error.set(None);
                        setup.set(Some(new));
                    }
                    Err(e) => error.set(Some(e)),
                }
                busy.set(false);
            });
        })
    };
    let with_code = |cmd: &'static str, said: &'static str| {
        let (doer, code) = (doer.clone(), code.clone());
        Callback::from(move |e: SubmitEvent| {
            e.prevent_default();
            doer.run(cmd, CodeArgs { code: value(&code) }, move |()| said.to_string());
        })
    };
    let code_field = html! {
        <input id="totp-code" ref={code.clone()} placeholder="123456" aria-label="Code from the authenticator app" size="10" inputmode="numeric" autocomplete="one-time-code" required=true />
    };
    let body = match (*on, &*setup) {
        (None, _) => return html! {},
        (Some(true), _) => html! {
            <>
                <p class="small" id="totp-state">{ "Signing in to the sync account asks for a code from your authenticator app." }</p>
                <form class="inline" onsubmit={with_code("sync_totp_remove", "Signing in no longer asks for a code.")}>
                    { code_field }
                    <button type="submit" class="secondary" id="totp-remove" disabled={*busy}>{ "Turn off" }</button>
                </form>
            </>
        },
        (Some(false), None) => html! {
            <p>
                <span class="small muted" id="totp-state">{ "Signing in asks only for the password. " }</span>
                <button class="secondary" id="totp-enrol" disabled={*busy} onclick={enrol}>{ "Set up an authenticator app" }</button>
            </p>
        },
        (Some(false), Some(new)) => html! {
            <>
                <p class="small">{ "Add this key to your authenticator app (it is shown only now), then type the code the app shows." }</p>
                <p><code id="totp-secret">{ new.secret.clone() }</code></p>
                <p class="muted small"><code>{ new.uri.clone() }</code></p>
                <p class="small">{ "Recovery codes — each signs in once without the app. Keep them somewhere safe:" }</p>
                <ul id="totp-recovery" class="codes">
                    { for new.recovery_codes.iter().map(|c| html! { <li><code>{ c.clone() }</code></li> }) }
                </ul>
                <form class="inline" onsubmit={with_code("sync_totp_confirm", "Signing in to the sync account now asks for a code.")}>
                    { code_field }
                    <button type="submit" class="primary" id="totp-confirm" disabled={*busy}>{ "Turn on" }</button>
                </form>
            </>
        },
    };
    html! {
        <>
            <h3>{ "Second factor" }</h3>
            <ErrorBanner error={(*error).clone()} id="totp-error" />
            { body }
        </>
    }
}
