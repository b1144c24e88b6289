//! Before the vault is open: create one (passphrase with strength feedback, then the recovery key shown
//! once and confirmed), join one from a sync server, or unlock the existing one (passphrase, or this
//! device's keychain).

use credence_api::{ApiError, CreatedVault, PassphraseStrength, VaultStatus};
use serde::Serialize;
use web_sys::HtmlInputElement;
use yew::prelude::*;

use crate::bridge::call;
use crate::widgets::{ErrorBanner, RecoveryWords};

#[derive(Properties, PartialEq)]
pub struct GateProps {
    pub status: VaultStatus,
    /// Why the vault is locked again (idle, the lock button).
    pub notice: Option<String>,
    pub on_open: Callback<VaultStatus>,
}

#[function_component]
pub fn Gate(props: &GateProps) -> Html {
    html! {
        <section class="gate" aria-labelledby="gate-title">
            <div class="gate-brand"><img src="icon.png" alt="" width="56" height="56" /><h1 id="gate-title">{ "Credence" }</h1></div>
            <p class="muted">{ "Your credit score and finances, encrypted on this computer." }</p>
            if props.status.exists {
                <Unlock status={props.status.clone()} notice={props.notice.clone()} on_open={props.on_open.clone()} />
            } else {
                <Create status={props.status.clone()} notice={None::<String>} on_open={props.on_open.clone()} />
                <Join status={props.status.clone()} notice={None::<String>} on_open={props.on_open.clone()} />
            }
        </section>
    }
}

#[derive(Serialize)]
struct UnlockArgs {
    passphrase: Option<String>,
    remember: bool,
}

#[function_component]
fn Unlock(props: &GateProps) -> Html {
    let passphrase = use_node_ref();
    let remember = use_state(|| false);
    let busy = use_state(|| false);
    let error = use_state(|| None::<ApiError>);
    let unlock_with = {
        let (busy, error, on_open, remember) = (busy.clone(), error.clone(), props.on_open.clone(), remember.clone());
        move |passphrase: Option<String>| {
            let (busy, error, on_open, remember) = (busy.clone(), error.clone(), on_open.clone(), *remember);
            busy.set(true);
            yew::platform::spawn_local(async move {
                match call::<VaultStatus>("unlock", &UnlockArgs { passphrase, remember }).await {
                    Ok(status) => on_open.emit(status),
                    Err(e) => {
                        error.set(Some(e));
                        busy.set(false);
                    }
                }
            });
        }
    };
    let onsubmit = {
        let (passphrase, unlock_with) = (passphrase.clone(), unlock_with.clone());
        Callback::from(move |e: SubmitEvent| {
            e.prevent_default();
            let text = passphrase.cast::<HtmlInputElement>().map(|i| i.value()).unwrap_or_default();
            unlock_with(Some(text));
        })
    };
    let with_keychain = Callback::from(move |_| unlock_with(None));
    let toggle = {
        let remember = remember.clone();
        Callback::from(move |_| remember.set(!*remember))
    };
    html! {
        <form class="card gate-form" {onsubmit}>
            if let Some(notice) = &props.notice { <p class="notice" id="lock-notice">{ notice }</p> }
            <label for="passphrase">{ "Passphrase" }</label>
            <input id="passphrase" type="password" ref={passphrase} autocomplete="current-password" autofocus=true />
            <label class="check"><input type="checkbox" id="remember" checked={*remember} onchange={toggle} />{ " Remember on this device (OS keychain)" }</label>
            <ErrorBanner error={(*error).clone()} id="unlock-error" />
            <div class="actions">
                <button id="unlock" type="submit" class="primary" disabled={*busy}>{ if *busy { "Unlocking…" } else { "Unlock" } }</button>
                if props.status.remembered {
                    <button id="unlock-keychain" type="button" class="secondary" onclick={with_keychain} disabled={*busy}>{ "Unlock with this device's keychain" }</button>
                }
            </div>
            <p class="muted small">{ "Vault: " }<code>{ props.status.path.clone() }</code></p>
        </form>
    }
}

#[derive(Serialize)]
struct StrengthArgs {
    passphrase: String,
}

#[derive(Serialize)]
struct CreateArgs {
    passphrase: String,
    remember: bool,
}

#[function_component]
fn Create(props: &GateProps) -> Html {
    let first = use_state(String::new);
    let second = use_state(String::new);
    let strength = use_state(|| None::<PassphraseStrength>);
    let remember = use_state(|| false);
    let busy = use_state(|| false);
    let error = use_state(|| None::<ApiError>);
    let created = use_state(|| None::<CreatedVault>);
    let saved = use_state(|| false);

    if let Some(vault) = (*created).clone() {
        let toggle = {
            let saved = saved.clone();
            Callback::from(move |_| saved.set(!*saved))
        };
        let done = {
            let (on_open, status) = (props.on_open.clone(), props.status.clone());
            let note = vault.keychain_note.clone();
            Callback::from(move |_| {
                on_open.emit(VaultStatus {
                    exists: true,
                    unlocked: true,
                    keychain_note: note.clone(),
                    ..status.clone()
                })
            })
        };
        return html! {
            <div class="card gate-form">
                <h2>{ "Your recovery key" }</h2>
                <p>{ "If you forget your passphrase, these 24 words are the only way back into your vault. Write them down and keep them somewhere safe. They are shown only this once." }</p>
                <RecoveryWords id="recovery-key" words={vault.recovery_key.clone()} />
                if let Some(note) = &vault.keychain_note { <p class="notice">{ note }</p> }
                <label class="check"><input type="checkbox" id="saved-recovery" checked={*saved} onchange={toggle} />{ " I have written down my recovery key" }</label>
                <div class="actions"><button id="continue" class="primary" disabled={!*saved} onclick={done}>{ "Continue" }</button></div>
            </div>
        };
    }

    let on_first = {
        let (first, strength) = (first.clone(), strength.clone());
        Callback::from(move |e: InputEvent| {
            let text = e.target_unchecked_into::<HtmlInputElement>().value();
            first.set(text.clone());
            let strength = strength.clone();
            yew::platform::spawn_local(async move {
                if let Ok(s) =
                    call::<PassphraseStrength>("passphrase_strength", &StrengthArgs { passphrase: text }).await
                {
                    strength.set(Some(s));
                }
            });
        })
    };
    let on_second = {
        let second = second.clone();
        Callback::from(move |e: InputEvent| second.set(e.target_unchecked_into::<HtmlInputElement>().value()))
    };
    let matches = !second.is_empty() && *first == *second;
    let acceptable = strength.as_ref().is_some_and(|s| s.acceptable);
    let onsubmit = {
        let (first, busy, error, created, remember) =
            (first.clone(), busy.clone(), error.clone(), created.clone(), remember.clone());
        Callback::from(move |e: SubmitEvent| {
            e.prevent_default();
            let (busy, error, created) = (busy.clone(), error.clone(), created.clone());
            let args = CreateArgs { passphrase: (*first).clone(), remember: *remember };
            busy.set(true);
            yew::platform::spawn_local(async move {
                match call::<CreatedVault>("create_vault", &args).await {
                    Ok(vault) => created.set(Some(vault)),
                    Err(e) => error.set(Some(e)),
                }
                busy.set(false);
            });
        })
    };
    let toggle = {
        let remember = remember.clone();
        Callback::from(move |_| remember.set(!*remember))
    };
    let score = strength.as_ref().map_or(0, |s| s.score);
    html! {
        <form class="card gate-form" {onsubmit}>
            <h2>{ "Create your vault" }</h2>
            <p class="muted">{ "Choose a passphrase. It never leaves this computer and cannot be reset by anyone: a few unrelated words are easy to remember and hard to guess." }</p>
            <label for="passphrase">{ "Passphrase" }</label>
            <input id="passphrase" type="password" autocomplete="new-password" value={(*first).clone()} oninput={on_first} autofocus=true />
            <div class="meter" role="meter" aria-label="Passphrase strength" aria-valuemin="0" aria-valuemax="4" aria-valuenow={score.to_string()}>
                { for (0..4u8).map(|i| html! { <span class={classes!("bar", (!first.is_empty() && i < score.max(1)).then(|| format!("s{score}")))}></span> }) }
            </div>
            <p class="muted small" id="strength-feedback">{ strength_text(&first, strength.as_ref()) }</p>
            <label for="passphrase-confirm">{ "Type it again" }</label>
            <input id="passphrase-confirm" type="password" autocomplete="new-password" value={(*second).clone()} oninput={on_second} />
            if !second.is_empty() && !matches { <p class="muted small">{ "The two passphrases differ." }</p> }
            <label class="check"><input type="checkbox" checked={*remember} onchange={toggle} />{ " Remember on this device (OS keychain)" }</label>
            <ErrorBanner error={(*error).clone()} />
            <div class="actions">
                <button id="create-vault" type="submit" class="primary" disabled={*busy || !matches || !acceptable}>
                    { if *busy { "Creating…" } else { "Create vault" } }
                </button>
            </div>
            <p class="muted small">{ "Vault: " }<code>{ props.status.path.clone() }</code></p>
        </form>
    }
}

#[derive(Serialize)]
struct JoinArgs {
    server: String,
    user: String,
    password: String,
    otp: Option<String>,
    passphrase: String,
}

/// This computer as another device of a vault on a sync server: the account signs in, the vault's
/// passphrase unlocks the keys the server keeps sealed, and everything arrives.
#[function_component]
fn Join(props: &GateProps) -> Html {
    let fields = [use_node_ref(), use_node_ref(), use_node_ref(), use_node_ref(), use_node_ref()];
    let busy = use_state(|| false);
    let error = use_state(|| None::<ApiError>);
    let recovery = use_state(|| None::<String>);
    let saved = use_state(|| false);
    let open = {
        let (on_open, status) = (props.on_open.clone(), props.status.clone());
        Callback::from(move |_: ()| {
            on_open.emit(VaultStatus { exists: true, unlocked: true, keychain_note: None, ..status.clone() })
        })
    };
    if let Some(words) = (*recovery).clone() {
        let toggle = {
            let saved = saved.clone();
            Callback::from(move |_| saved.set(!*saved))
        };
        return html! {
            <div class="card gate-form">
                <h2>{ "Your copy's recovery key" }</h2>
                <p>{ "This vault is shared with you; your copy on this computer has your passphrase and these 24 words of its own. Write them down: they are shown only this once." }</p>
                <RecoveryWords id="recovery-key" words={words} />
                <label class="check"><input type="checkbox" id="saved-recovery" checked={*saved} onchange={toggle} />{ " I have written down my recovery key" }</label>
                <div class="actions"><button id="continue" class="primary" disabled={!*saved} onclick={open.reform(|_| ())}>{ "Continue" }</button></div>
            </div>
        };
    }
    let onsubmit = {
        let (fields, busy, error, recovery) = (fields.clone(), busy.clone(), error.clone(), recovery.clone());
        let open = open.clone();
        Callback::from(move |e: SubmitEvent| {
            e.prevent_default();
            let [server, user, password, otp, passphrase] =
                fields.clone().map(|r| r.cast::<HtmlInputElement>().map(|i| i.value()).unwrap_or_default());
            let args = JoinArgs { server, user, password, otp: (!otp.trim().is_empty()).then_some(otp), passphrase };
            let (busy, error, recovery, open) = (busy.clone(), error.clone(), recovery.clone(), open.clone());
            busy.set(true);
            yew::platform::spawn_local(async move {
                match call::<credence_api::SyncJoined>("join_vault", &args).await {
                    Ok(joined) => match joined.recovery_key {
                        Some(words) => recovery.set(Some(words)),
                        None => open.emit(()),
                    },
                    Err(e) => {
                        error.set(Some(e));
                        busy.set(false);
                    }
                }
            });
        })
    };
    let [server, user, password, otp, passphrase] = fields;
    html! {
        <details class="card gate-form" id="join">
            <summary>{ "Already use Credence on another computer? Join from a sync server" }</summary>
            <form {onsubmit}>
                <label for="join-server">{ "Sync server" }</label>
                <input id="join-server" ref={server} placeholder="https://sync.example.org" required=true />
                <label for="join-user">{ "User name" }</label>
                <input id="join-user" ref={user} autocomplete="username" required=true />
                <label for="join-password">{ "Account password" }</label>
                <input id="join-password" type="password" ref={password} autocomplete="current-password" required=true />
                <label for="join-otp">{ "Authenticator code (if the account has one)" }</label>
                <input id="join-otp" ref={otp} inputmode="numeric" autocomplete="one-time-code" />
                <label for="join-passphrase">{ "The vault's passphrase (for a vault shared with you: a new one for your copy)" }</label>
                <input id="join-passphrase" type="password" ref={passphrase} autocomplete="current-password" required=true />
                <ErrorBanner error={(*error).clone()} id="join-error" />
                <div class="actions">
                    <button id="join-vault" type="submit" class="primary" disabled={*busy}>{ if *busy { "Joining…" } else { "Join" } }</button>
                </div>
            </form>
        </details>
    }
}

fn strength_text(typed: &str, strength: Option<&PassphraseStrength>) -> String {
    if typed.is_empty() {
        return String::new();
    }
    let Some(s) = strength else { return String::new() };
    let word = ["Very weak", "Weak", "Fair", "Strong", "Very strong"].get(usize::from(s.score)).copied().unwrap_or("");
    if s.feedback.is_empty() {
        format!("{word}.")
    } else {
        format!("{word}. {}", s.feedback)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    async fn render(exists: bool, remembered: bool, notice: Option<&str>) -> String {
        let status =
            VaultStatus { path: "/home/me/vault".into(), exists, unlocked: false, remembered, keychain_note: None };
        let props = GateProps { status, notice: notice.map(str::to_string), on_open: Callback::noop() };
        yew::LocalServerRenderer::<Gate>::with_props(props).render().await
    }

    #[tokio::test]
    async fn a_first_run_offers_to_create_a_vault_and_waits_for_a_good_passphrase() {
        let html = render(false, false, None).await;
        assert!(html.contains("Create your vault") && html.contains("/home/me/vault"), "{html}");
        assert!(
            html.contains(r#"id="create-vault""#) && html.contains("disabled"),
            "create waits for a passphrase: {html}"
        );
        assert!(!html.contains(r#"id="unlock""#));
    }

    #[tokio::test]
    async fn an_existing_vault_asks_to_unlock_and_offers_the_keychain_only_when_remembered() {
        let plain = render(true, false, Some("Locked after a while without use.")).await;
        assert!(plain.contains(r#"id="unlock""#) && plain.contains("Locked after a while without use."), "{plain}");
        assert!(!plain.contains("unlock-keychain"));
        assert!(render(true, true, None).await.contains(r#"id="unlock-keychain""#));
    }

    #[test]
    fn strength_text_names_the_level_and_the_advice() {
        let weak = PassphraseStrength { score: 1, acceptable: true, feedback: "Add another word or two.".into() };
        assert_eq!(strength_text("abc", Some(&weak)), "Weak. Add another word or two.");
        assert_eq!(strength_text("", Some(&weak)), "");
    }
}
