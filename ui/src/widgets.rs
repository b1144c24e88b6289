//! Pieces several pages share.

use credence_api::ApiError;
use yew::prelude::*;
use yew_router::prelude::*;

use crate::bridge::{call, NoArgs};
use crate::{format, use_app, Route};

const NAV: [(Route, &str, &str); 9] = [
    (Route::Dashboard, "Dashboard", "nav-dashboard"),
    (Route::Transactions, "Transactions", "nav-transactions"),
    (Route::Accounts, "Accounts", "nav-accounts"),
    (Route::Import, "Import", "nav-import"),
    (Route::Reports, "Reports", "nav-reports"),
    (Route::Rules, "Rules & categories", "nav-rules"),
    (Route::Score, "Credit score", "nav-score"),
    (Route::Coach, "Credit coach", "nav-coach"),
    (Route::Settings, "Settings", "nav-settings"),
];

#[function_component]
pub fn Sidebar() -> Html {
    let app = use_app();
    let current = use_route::<Route>();
    let lock = {
        let locked = app.locked.clone();
        Callback::from(move |_| {
            let locked = locked.clone();
            yew::platform::spawn_local(async move {
                if call::<()>("lock", &NoArgs {}).await.is_ok() {
                    locked.emit("Locked.".into());
                }
            });
        })
    };
    html! {
        <nav class="sidebar" aria-label="Main">
            <div class="brand"><img src="icon.png" alt="" width="28" height="28" /><span>{ "Credence" }</span></div>
            <ul>
                { for NAV.iter().map(|(route, label, id)| {
                    let active = current.as_ref() == Some(route);
                    html! {
                        <li>
                            <Link<Route> to={route.clone()} classes={classes!("nav-link", active.then_some("active"))}>
                                <span id={*id} aria-current={active.then_some("page")}>{ *label }</span>
                            </Link<Route>>
                        </li>
                    }
                }) }
            </ul>
            if let Some(line) = &app.sync_line {
                <p class="sync-line muted small" id="sync-line" role="status">{ line.clone() }</p>
            }
            <button id="lock-btn" class="secondary lock" onclick={lock}>{ "Lock" }</button>
        </nav>
    }
}

#[derive(Properties, PartialEq)]
pub struct ErrorProps {
    pub error: Option<ApiError>,
    #[prop_or_default]
    pub id: Option<AttrValue>,
}

/// A failed command's sentence, announced to screen readers.
#[function_component]
pub fn ErrorBanner(props: &ErrorProps) -> Html {
    match &props.error {
        Some(e) => html! { <p class="error" role="alert" id={props.id.clone()}>{ e.message.clone() }</p> },
        None => html! {},
    }
}

#[derive(Properties, PartialEq)]
pub struct MoneyProps {
    pub value: credence_api::Money,
}

/// An amount as core wrote it, right-aligned in tabular figures, money out in the "negative" colour.
#[function_component]
pub fn Money(props: &MoneyProps) -> Html {
    let class = classes!("money", format::is_negative(&props.value.amount).then_some("negative"));
    html! { <span class={class}>{ props.value.display.clone() }</span> }
}

/// The value of the input or select an event came from.
pub fn event_value(e: &Event) -> String {
    use wasm_bindgen::JsCast;
    let Some(target) = e.target() else { return String::new() };
    if let Some(select) = target.dyn_ref::<web_sys::HtmlSelectElement>() {
        return select.value();
    }
    target.dyn_ref::<web_sys::HtmlInputElement>().map(|i| i.value()).unwrap_or_default()
}

/// Loads `cmd`'s answer on mount and again whenever `reload` changes.
#[hook]
pub fn use_query<R, A>(cmd: &'static str, args: A, reload: u32) -> (Option<R>, Option<ApiError>)
where
    R: serde::de::DeserializeOwned + Clone + PartialEq + 'static,
    A: serde::Serialize + PartialEq + Clone + 'static,
{
    let data = use_state(|| None::<R>);
    let error = use_state(|| None::<ApiError>);
    {
        let (data, error) = (data.clone(), error.clone());
        use_effect_with((args, reload), move |(args, _)| {
            let args = args.clone();
            yew::platform::spawn_local(async move {
                match call::<R>(cmd, &args).await {
                    Ok(value) => {
                        data.set(Some(value));
                        error.set(None);
                    }
                    Err(e) => error.set(Some(e)),
                }
            });
        });
    }
    ((*data).clone(), (*error).clone())
}

#[derive(serde::Serialize)]
struct PickArgs {
    purpose: credence_api::FilePurpose,
}

/// A button's callback that opens the native file dialog for `purpose`; the file chosen (nothing on a
/// cancel) goes to `then`. The webview only ever sees its handle and name, never picks a path itself.
pub fn choose_file(
    purpose: credence_api::FilePurpose,
    then: Callback<credence_api::ChosenFile>,
) -> Callback<MouseEvent> {
    Callback::from(move |_| {
        let then = then.clone();
        yew::platform::spawn_local(async move {
            if let Ok(Some(chosen)) =
                crate::bridge::call::<Option<credence_api::ChosenFile>>("pick_file", &PickArgs { purpose }).await
            {
                then.emit(chosen);
            }
        });
    })
}

/// A callback that keeps the file chosen in `state`.
pub fn keep_chosen(state: &UseStateHandle<Option<credence_api::ChosenFile>>) -> Callback<credence_api::ChosenFile> {
    let state = state.clone();
    Callback::from(move |chosen| state.set(Some(chosen)))
}

#[derive(Properties, PartialEq)]
pub struct RecoveryWordsProps {
    pub id: AttrValue,
    /// The 24 words, as core wrote them.
    pub words: AttrValue,
}

/// A recovery key's words, numbered, to be written down.
#[function_component]
pub fn RecoveryWords(props: &RecoveryWordsProps) -> Html {
    html! {
        <ol class="recovery" id={props.id.clone()}>{ for props.words.split_whitespace().map(|w| html! { <li>{ w.to_string() }</li> }) }</ol>
    }
}
