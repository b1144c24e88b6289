//! The Credence window: a Yew app. `App` shows the vault gate (create or unlock) until the vault is open,
//! then the shell: a sidebar and one page per route. Every page reads and writes through `bridge::call`;
//! nothing here computes a figure (core does, on the native side).

pub mod bridge;
pub mod format;
mod pages;
mod widgets;

use credence_api::{ApiError, Settings, VaultStatus};
use yew::prelude::*;
use yew_router::prelude::*;

use bridge::{call, NoArgs};

#[derive(Clone, Routable, PartialEq, Debug)]
pub enum Route {
    #[at("/")]
    Dashboard,
    #[at("/transactions")]
    Transactions,
    #[at("/accounts")]
    Accounts,
    #[at("/import")]
    Import,
    #[at("/reports")]
    Reports,
    #[at("/rules")]
    Rules,
    #[at("/score")]
    Score,
    #[at("/coach")]
    Coach,
    #[at("/settings")]
    Settings,
    #[not_found]
    #[at("/404")]
    NotFound,
}

/// What every page may reach: the preferences, and the ways to lock or to tell the user something.
#[derive(Clone, PartialEq, Debug)]
pub struct AppContext {
    pub settings: Settings,
    pub save_settings: Callback<Settings>,
    pub status: VaultStatus,
    pub locked: Callback<String>,
    pub notify: Callback<String>,
    /// How the last sync went (the sidebar's line); `None` when sync is off.
    pub sync_line: Option<String>,
}

#[function_component]
pub fn App() -> Html {
    let status = use_state(|| None::<VaultStatus>);
    let settings = use_state(Settings::default);
    let notice = use_state(|| None::<String>);
    let lock_reason = use_state(|| None::<String>);
    let load_error = use_state(|| None::<ApiError>);
    let sync_line = use_state(|| None::<String>);

    {
        let (status, settings, load_error, lock_reason, sync_line) =
            (status.clone(), settings.clone(), load_error.clone(), lock_reason.clone(), sync_line.clone());
        use_effect_with((), move |_| {
            yew::platform::spawn_local(async move {
                let line = sync_line.clone();
                bridge::listen::<credence_api::SyncStatus>("sync-status", move |now| {
                    line.set(pages::sync::describe(&now));
                })
                .await;
                let line = sync_line.clone();
                bridge::listen::<ApiError>("sync-failed", move |e| {
                    line.set(Some(format!("Sync failed: {}", e.message)))
                })
                .await;
                if let Ok(saved) = call::<Settings>("settings", &NoArgs {}).await {
                    settings.set(saved);
                }
                match call::<VaultStatus>("vault_status", &NoArgs {}).await {
                    Ok(s) => status.set(Some(s)),
                    Err(e) => load_error.set(Some(e)),
                }
                let (status, lock_reason) = (status.clone(), lock_reason.clone());
                bridge::listen::<String>("vault-locked", move |why| {
                    let said = match why.as_str() {
                        "sleep" => "Locked while the computer slept.",
                        "screen-locked" => "Locked with the screen.",
                        _ => "Locked after a while without use.",
                    };
                    lock_reason.set(Some(said.into()));
                    if let Some(current) = (*status).clone() {
                        status.set(Some(VaultStatus { unlocked: false, ..current }));
                    }
                })
                .await;
            });
        });
    }
    let unlocked = status.as_ref().is_some_and(|s| s.unlocked);
    use_input_reporting(unlocked);
    {
        // Opened (or joined): how sync stands, until the next sync says otherwise.
        let sync_line = sync_line.clone();
        use_effect_with(unlocked, move |unlocked| {
            if *unlocked {
                yew::platform::spawn_local(async move {
                    if let Ok(now) = call::<credence_api::SyncStatus>("sync_status", &NoArgs {}).await {
                        sync_line.set(pages::sync::describe(&now));
                    }
                });
            }
        });
    }
    let theme = theme_attribute(&settings.theme);
    let Some(current) = (*status).clone() else {
        let message = load_error.as_ref().map(|e| e.message.clone()).unwrap_or_else(|| "Opening Credence…".into());
        return html! { <main class="splash" data-theme={theme}><p id="splash">{ message }</p></main> };
    };
    if !current.unlocked {
        let on_open = {
            let (status, lock_reason) = (status.clone(), lock_reason.clone());
            Callback::from(move |s: VaultStatus| {
                lock_reason.set(None);
                status.set(Some(s));
            })
        };
        return html! {
            <div class="gate-page" data-theme={theme}>
                <pages::gate::Gate status={current} notice={(*lock_reason).clone()} {on_open} />
            </div>
        };
    }
    let context = AppContext {
        settings: (*settings).clone(),
        save_settings: {
            let settings = settings.clone();
            Callback::from(move |new: Settings| {
                let settings = settings.clone();
                yew::platform::spawn_local(async move {
                    if call::<()>("save_settings", &SaveSettings { settings: new.clone() }).await.is_ok() {
                        settings.set(new);
                    }
                });
            })
        },
        status: current.clone(),
        locked: {
            let (status, lock_reason) = (status.clone(), lock_reason.clone());
            Callback::from(move |reason: String| {
                lock_reason.set(Some(reason));
                status.set(Some(VaultStatus { unlocked: false, keychain_note: None, ..current.clone() }));
            })
        },
        notify: {
            let notice = notice.clone();
            Callback::from(move |text: String| notice.set(Some(text)))
        },
        sync_line: (*sync_line).clone(),
    };
    let dismiss = {
        let notice = notice.clone();
        Callback::from(move |_| notice.set(None))
    };
    {
        // A notice goes by itself after a while; a newer one starts the time again.
        let notice = notice.clone();
        use_effect_with((*notice).clone(), move |shown| {
            let timer = shown.is_some().then(|| gloo_timers::callback::Timeout::new(8_000, move || notice.set(None)));
            move || drop(timer)
        });
    }
    html! {
        <ContextProvider<AppContext> context={context}>
            <HashRouter>
                <div class="shell" data-theme={theme}>
                    <widgets::Sidebar />
                    <main class="page" id="page">
                        <Switch<Route> render={switch} />
                    </main>
                    if let Some(text) = (*notice).clone() {
                        <div class="toast" role="status" id="toast">
                            <span>{ text }</span>
                            <button class="ghost" onclick={dismiss} aria-label="Dismiss">{ "✕" }</button>
                        </div>
                    }
                </div>
            </HashRouter>
        </ContextProvider<AppContext>>
    }
}

#[derive(serde::Serialize)]
struct SaveSettings {
    settings: Settings,
}

fn switch(route: Route) -> Html {
    match route {
        Route::Dashboard => html! { <pages::dashboard::Dashboard /> },
        Route::Transactions => html! { <pages::transactions::Transactions /> },
        Route::Accounts => html! { <pages::accounts::Accounts /> },
        Route::Import => html! { <pages::import::ImportWizard /> },
        Route::Reports => html! { <pages::reports::Reports /> },
        Route::Rules => html! { <pages::rules::Rules /> },
        Route::Score => html! { <pages::score::ScorePage /> },
        Route::Coach => html! { <pages::coach::CoachPage /> },
        Route::Settings => html! { <pages::settings::SettingsPage /> },
        Route::NotFound => html! { <Redirect<Route> to={Route::Dashboard} /> },
    }
}

/// `data-theme` on the root: absent follows the OS (CSS `prefers-color-scheme`).
fn theme_attribute(theme: &str) -> Option<AttrValue> {
    matches!(theme, "light" | "dark").then(|| AttrValue::from(theme.to_string()))
}

/// "light" or "dark": the user's choice, or the OS's when the choice is "system".
pub fn effective_theme(choice: &str) -> &'static str {
    match choice {
        "light" => "light",
        "dark" => "dark",
        _ => {
            let dark = web_sys::window()
                .and_then(|w| w.match_media("(prefers-color-scheme: dark)").ok().flatten())
                .is_some_and(|m| m.matches());
            if dark {
                "dark"
            } else {
                "light"
            }
        }
    }
}

/// The context every page under the shell has.
#[hook]
pub fn use_app() -> AppContext {
    use_context::<AppContext>().unwrap_or_else(|| AppContext {
        settings: Settings::default(),
        save_settings: Callback::noop(),
        status: VaultStatus {
            path: String::new(),
            exists: false,
            unlocked: false,
            remembered: false,
            keychain_note: None,
        },
        locked: Callback::noop(),
        notify: Callback::noop(),
        sync_line: None,
    })
}

/// While the vault is open, tells the shell that the person is here (a key, a click, the wheel, the
/// pointer moving), at most once every 20 seconds: the idle lock counts their input, not the commands
/// pages send by themselves.
#[hook]
fn use_input_reporting(unlocked: bool) {
    use wasm_bindgen::JsCast;
    use_effect_with(unlocked, move |unlocked| {
        let listening = unlocked.then(|| {
            let last = std::rc::Rc::new(std::cell::Cell::new(0u64));
            let heard = wasm_bindgen::closure::Closure::<dyn FnMut(web_sys::Event)>::new(move |_: web_sys::Event| {
                // Milliseconds since 1970, whole.
                let now = js_sys::Date::now() as u64;
                if now.saturating_sub(last.get()) >= 20_000 {
                    last.set(now);
                    yew::platform::spawn_local(async move {
                        let _ = call::<()>("user_active", &NoArgs {}).await;
                    });
                }
            });
            let document = web_sys::window().and_then(|w| w.document());
            for event in INPUT_EVENTS {
                if let Some(d) = &document {
                    let _ = d.add_event_listener_with_callback(event, heard.as_ref().unchecked_ref());
                }
            }
            (document, heard)
        });
        move || {
            if let Some((Some(document), heard)) = listening {
                for event in INPUT_EVENTS {
                    let _ = document.remove_event_listener_with_callback(event, heard.as_ref().unchecked_ref());
                }
            }
        }
    });
}

const INPUT_EVENTS: [&str; 4] = ["keydown", "pointerdown", "pointermove", "wheel"];
