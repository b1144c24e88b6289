//! The import wizard: choose a statement (file dialog, or drop it on the window) and the
//! account; see the detected layout and every row's outcome before anything is written; map columns when
//! detection is unsure; import with a progress bar (cancellable); undo a batch later.

use credence_api::{
    Account, ApiError, Basis, ChosenFile, FilePurpose, Format, ImportBatch, ImportDecision, ImportProgress,
    ImportReport, ImportRequest, Outcome,
};
use serde::Serialize;
use yew::prelude::*;
use yew_router::prelude::*;

use crate::bridge::{call, call_with_channel, listen, NoArgs};
use crate::widgets::{choose_file, event_value, use_query, ErrorBanner, Money};
use crate::{format, use_app, Route};

#[derive(Clone, PartialEq)]
enum Step {
    Choose,
    Previewing,
    Preview(ImportReport),
    Importing(ImportProgress),
    Done(ImportReport),
}

#[derive(Serialize)]
struct ImportArgs {
    request: ImportRequest,
}

#[derive(Serialize)]
struct BatchArgs {
    batch: String,
}

#[function_component]
pub fn ImportWizard() -> Html {
    let app = use_app();
    let file = use_state(|| None::<ChosenFile>);
    let account = use_state(String::new);
    let format_choice = use_state(|| "auto".to_string());
    let mapping = use_state(String::new);
    let step = use_state(|| Step::Choose);
    let error = use_state(|| None::<ApiError>);
    let reload = use_state(|| 0u32);
    let (accounts, _) = use_query::<Vec<Account>, _>("accounts", NoArgs {}, 0);
    let (formats, _) = use_query::<Vec<Format>, _>("import_formats", NoArgs {}, 0);
    let (batches, _) = use_query::<Vec<ImportBatch>, _>("import_batches", NoArgs {}, *reload);
    let accounts: Vec<Account> = accounts.unwrap_or_default().into_iter().filter(|a| !a.archived).collect();

    // The first account is the default choice.
    if account.is_empty() {
        if let Some(first) = accounts.first() {
            account.set(first.id.clone());
        }
    }
    {
        // The shell holds a dropped file as if chosen in the dialog and says which.
        let (file, step) = (file.clone(), step.clone());
        use_effect_with((), move |_| {
            yew::platform::spawn_local(listen::<ChosenFile>("file-dropped", move |dropped| {
                file.set(Some(dropped));
                step.set(Step::Choose);
            }));
        });
    }

    let request = |dry_run: bool| ImportRequest {
        file: file.as_ref().map(|f| f.handle.clone()).unwrap_or_default(),
        account_id: (*account).clone(),
        format: Some((*format_choice).clone()),
        mapping: Some((*mapping).clone()).filter(|m| !m.trim().is_empty()),
        dry_run,
        accept_guess: false,
    };
    let preview = {
        let (step, error, args) = (step.clone(), error.clone(), request(true));
        Callback::from(move |e: SubmitEvent| {
            e.prevent_default();
            let (step, error, args) = (step.clone(), error.clone(), ImportArgs { request: args.clone() });
            step.set(Step::Previewing);
            error.set(None);
            yew::platform::spawn_local(async move {
                let reply =
                    call_with_channel::<ImportReport, ImportProgress>("import_statement", &args, "on_progress", |_| {})
                        .await;
                match reply {
                    Ok(report) => step.set(Step::Preview(report)),
                    Err(e) => {
                        error.set(Some(e));
                        step.set(Step::Choose);
                    }
                }
            });
        })
    };
    let commit = {
        let (step, error, reload, args) = (step.clone(), error.clone(), reload.clone(), request(false));
        // `accept_guess`: the user saw the preview and confirmed what was only guessed.
        Callback::from(move |accept_guess: bool| {
            let request = ImportRequest { accept_guess, ..args.clone() };
            let (step, error, reload, args) = (step.clone(), error.clone(), reload.clone(), ImportArgs { request });
            step.set(Step::Importing(ImportProgress { rows_done: 0, rows_total: 0 }));
            yew::platform::spawn_local(async move {
                let progress = step.clone();
                let reply = call_with_channel::<ImportReport, ImportProgress>(
                    "import_statement",
                    &args,
                    "on_progress",
                    move |p| {
                        progress.set(Step::Importing(p));
                    },
                )
                .await;
                match reply {
                    Ok(report) => step.set(Step::Done(report)),
                    Err(e) => {
                        error.set(Some(e));
                        step.set(Step::Choose);
                    }
                }
                reload.set(*reload + 1);
            });
        })
    };
    let cancel =
        Callback::from(|_| yew::platform::spawn_local(async { drop(call::<()>("cancel_import", &NoArgs {}).await) }));
    let pick = {
        let (file, step) = (file.clone(), step.clone());
        choose_file(
            FilePurpose::Statement,
            Callback::from(move |chosen| {
                file.set(Some(chosen));
                step.set(Step::Choose);
            }),
        )
    };
    let undo_batch = {
        let (reload, error, notify, step) = (reload.clone(), error.clone(), app.notify.clone(), step.clone());
        Callback::from(move |batch: String| {
            let (reload, error, notify, step) = (reload.clone(), error.clone(), notify.clone(), step.clone());
            yew::platform::spawn_local(async move {
                match call::<ImportBatch>("undo_import", &BatchArgs { batch }).await {
                    Ok(b) => {
                        notify.emit(format!("Removed the {} transactions imported from {}.", b.remaining, b.file_name));
                        step.set(Step::Choose);
                        reload.set(*reload + 1);
                    }
                    Err(e) => error.set(Some(e)),
                }
            });
        })
    };
    let set = |state: &UseStateHandle<String>| {
        let state = state.clone();
        Callback::from(move |e: Event| state.set(event_value(&e)))
    };
    let back = {
        let step = step.clone();
        Callback::from(move |_| step.set(Step::Choose))
    };

    if accounts.is_empty() {
        return html! {
            <>
                <header class="page-head"><h1>{ "Import a statement" }</h1></header>
                <p class="card">{ "Add the account the statement belongs to first: " }<Link<Route> to={Route::Accounts}>{ "Accounts" }</Link<Route>></p>
            </>
        };
    }
    let busy = matches!(*step, Step::Previewing | Step::Importing(_));
    let currency = accounts.iter().find(|a| a.id == *account).map(|a| a.currency.clone()).unwrap_or_default();
    html! {
        <>
            <header class="page-head"><h1>{ "Import a statement" }</h1></header>
            <form class="card wizard" onsubmit={preview}>
                <label for="pick-file">{ "Statement file (CSV, OFX, QFX or CAMT.053 XML) — or drop it on this window" }</label>
                <div class="inline">
                    <button type="button" class="secondary" id="pick-file" onclick={pick}>{ "Choose file…" }</button>
                    <span class="grow chosen-file" id="import-file" title={file.as_ref().map(|f| f.shown.clone())}>
                        { file.as_ref().map_or("No statement chosen yet".to_string(), |f| f.name.clone()) }
                    </span>
                </div>
                <div class="inline">
                    <label>{ "Account " }
                        <select id="import-account" onchange={set(&account)}>
                            { for accounts.iter().map(|a| html! { <option value={a.id.clone()} selected={*account == a.id}>{ a.name.clone() }</option> }) }
                        </select>
                    </label>
                    <label>{ "Bank layout " }
                        <select id="import-format" onchange={set(&format_choice)}>
                            <option value="auto" selected={*format_choice == "auto"}>{ "Detect automatically" }</option>
                            { for formats.unwrap_or_default().into_iter().map(|f| html! { <option value={f.id.clone()} selected={*format_choice == f.id}>{ f.name }</option> }) }
                        </select>
                    </label>
                </div>
                <details open={!mapping.is_empty()}>
                    <summary>{ "Column mapping (when the layout is not recognised)" }</summary>
                    <input id="import-mapping" value={(*mapping).clone()} onchange={set(&mapping)} placeholder="date=Booking date,amount=Amount,payee=Counterparty,dates=dmy" />
                    <p class="muted small">{ "Name the columns by their header: date, amount (or debit and credit), payee, memo; dates=dmy or mdy. The mapping is saved for this account." }</p>
                </details>
                <ErrorBanner error={(*error).clone()} id="import-error" />
                <div class="actions">
                    <button id="preview-btn" type="submit" class="primary" disabled={busy || file.is_none()}>
                        { if *step == Step::Previewing { "Reading…" } else { "Preview" } }
                    </button>
                </div>
            </form>
            { match (*step).clone() {
                Step::Preview(report) => html! {
                    <ImportPreview report={report} date_style={app.settings.date_format.clone()} currency={currency.clone()} on_commit={commit} on_back={back} />
                },
                Step::Importing(p) => html! {
                    <div class="card" id="import-progress">
                        <p>{ if p.rows_total > 0 { format!("Importing… {} of {} rows", format::count(p.rows_done), format::count(p.rows_total)) } else { "Importing…".to_string() } }</p>
                        <progress max={p.rows_total.max(1).to_string()} value={p.rows_done.to_string()}></progress>
                        <button class="secondary" id="cancel-import" onclick={cancel}>{ "Cancel" }</button>
                    </div>
                },
                Step::Done(report) => done_view(&report, undo_batch.clone()),
                Step::Choose | Step::Previewing => html! {},
            } }
            <Batches batches={batches.unwrap_or_default()} on_undo={undo_batch} />
        </>
    }
}

fn summary_line(r: &ImportReport) -> String {
    format!(
        "{} rows: {} new, {} duplicate{}, {} rejected",
        format::count(r.rows),
        format::count(r.imported),
        format::count(r.duplicates),
        if r.duplicates == 1 { "" } else { "s" },
        format::count(r.rejected)
    )
}

#[derive(Properties, PartialEq)]
pub struct PreviewProps {
    pub report: ImportReport,
    pub date_style: String,
    pub currency: String,
    /// Import; true when the user confirmed what was guessed.
    pub on_commit: Callback<bool>,
    pub on_back: Callback<MouseEvent>,
}

/// Before anything is written: how the file was read (each decision and what it rests on), every
/// duplicate and rejected row, the first new rows; and, when something is only guessed or a sanity
/// check failed, the question whether it is right.
#[function_component]
pub fn ImportPreview(props: &PreviewProps) -> Html {
    let r = &props.report;
    let confirmed = use_state(|| false);
    let layout = match r.format.as_str() {
        "guessed" => "columns guessed from the header (check the preview; map them above if wrong)".to_string(),
        "mapping" => "your column mapping".to_string(),
        other => other.to_string(),
    };
    let toggle = {
        let confirmed = confirmed.clone();
        Callback::from(move |_: Event| confirmed.set(!*confirmed))
    };
    let commit = {
        let (on_commit, accept) = (props.on_commit.clone(), r.needs_confirmation && *confirmed);
        Callback::from(move |_: MouseEvent| on_commit.emit(accept))
    };
    let blocked = r.imported == 0 || (r.needs_confirmation && !*confirmed);
    let new_shown = r.preview.iter().filter(|p| p.outcome == Outcome::New).count() as u64;
    html! {
        <div class="card" id="import-preview">
            <h2>{ "Preview" }</h2>
            <p id="preview-summary"><strong>{ summary_line(r) }</strong>{ format!(" · layout: {layout} · {}", r.encoding) }</p>
            <Decisions decisions={r.decisions.clone()} doubts={r.doubts.clone()} />
            { for r.warnings.iter().map(|w| html! { <p class="notice">{ w }</p> }) }
            <table class="grid compact">
                <thead><tr><th class="num">{ "Line" }</th><th>{ "Date" }</th><th>{ "Payee" }</th><th class="num">{ "Amount" }</th><th>{ "Outcome" }</th></tr></thead>
                <tbody>
                    { for r.preview.iter().map(|row| {
                        let (badge, label) = match row.outcome {
                            Outcome::New => ("new", "New".to_string()),
                            Outcome::Duplicate => ("dup", "Duplicate".to_string()),
                            Outcome::Rejected => ("rej", format!("Rejected: {}", row.detail)),
                        };
                        html! {
                            <tr class="preview-row">
                                <td class="num muted">{ row.line }</td>
                                <td>{ row.date.as_deref().map(|d| format::date(d, &props.date_style)).unwrap_or_default() }</td>
                                <td>{ row.payee.clone() }</td>
                                <td class="num">{ row.amount.clone().map(|a| html! { <Money value={a} /> }).unwrap_or_default() }</td>
                                <td><span class={classes!("badge", badge)}>{ label }</span></td>
                            </tr>
                        }
                    }) }
                </tbody>
            </table>
            if new_shown < r.imported {
                <p class="muted small">{ format!("Every duplicate and rejected row is listed; new rows: the first {} of {}.", format::count(new_shown), format::count(r.imported)) }</p>
            }
            if r.needs_confirmation {
                <label class="confirm" id="confirm-guesses-label">
                    <input type="checkbox" id="confirm-guesses" checked={*confirmed} onchange={toggle} />
                    { " I checked the rows above: what is marked guessed or in doubt is right" }
                </label>
            }
            <div class="actions">
                <button id="import-btn" class="primary" onclick={commit} disabled={blocked}>
                    { if r.imported == 0 { "Nothing new to import".to_string() } else { format!("Import {} transactions", format::count(r.imported)) } }
                </button>
                <button class="ghost" onclick={props.on_back.clone()}>{ "Back" }</button>
            </div>
        </div>
    }
}

#[derive(Properties, PartialEq)]
pub struct DecisionsProps {
    pub decisions: Vec<ImportDecision>,
    pub doubts: Vec<String>,
}

/// How a statement was read: one line per decision, its basis as a badge, the evidence beside it.
#[function_component]
pub fn Decisions(props: &DecisionsProps) -> Html {
    let badge = |basis: Basis| match basis {
        Basis::Proven => ("proven", "proven by the file"),
        Basis::Layout => ("layout", "the bank's layout"),
        Basis::Given => ("given", "as you said"),
        Basis::Unstated => ("unstated", "not in the file"),
        Basis::Guessed => ("guessed", "guessed"),
    };
    html! {
        <table class="grid compact decisions" id="import-decisions">
            <tbody>
                { for props.decisions.iter().map(|d| {
                    let (class, label) = badge(d.basis);
                    html! {
                        <tr class={classes!("decision", class)}>
                            <th>{ d.aspect.clone() }</th>
                            <td>{ d.choice.clone() }</td>
                            <td><span class={classes!("badge", class)}>{ label }</span></td>
                            <td class="muted small">{ d.evidence.clone() }</td>
                        </tr>
                    }
                }) }
                { for props.doubts.iter().map(|doubt| html! {
                    <tr class="decision doubt"><th>{ "doubt" }</th><td colspan="3"><span class="badge guessed">{ "check" }</span>{ " " }{ doubt.clone() }</td></tr>
                }) }
            </tbody>
        </table>
    }
}

fn done_view(r: &ImportReport, undo: Callback<String>) -> Html {
    let undo_this = r.batch.clone().map(|batch| {
        let undo = undo.clone();
        Callback::from(move |_| undo.emit(batch.clone()))
    });
    html! {
        <div class="card success" id="import-summary">
            <h2>{ "Imported" }</h2>
            <p><strong>{ summary_line(r) }</strong>
                if r.transfers > 0 { { format!(" · {} transfers paired with your other accounts", r.transfers) } }
            </p>
            { for r.errors.iter().take(20).map(|e| html! { <p class="muted small">{ format!("Line {}: {}", e.line, e.message) }</p> }) }
            <div class="actions">
                <Link<Route> to={Route::Transactions} classes="button primary">{ "See transactions" }</Link<Route>>
                if let Some(onclick) = undo_this { <button class="secondary" id="undo-import" {onclick}>{ "Undo this import" }</button> }
            </div>
        </div>
    }
}

#[derive(Properties, PartialEq)]
struct BatchesProps {
    batches: Vec<ImportBatch>,
    on_undo: Callback<String>,
}

#[function_component]
fn Batches(props: &BatchesProps) -> Html {
    if props.batches.is_empty() {
        return html! {};
    }
    html! {
        <section class="card">
            <h2>{ "Past imports" }</h2>
            <table class="grid compact" id="batches">
                <thead><tr><th>{ "When" }</th><th>{ "File" }</th><th>{ "Account" }</th><th class="num">{ "Imported" }</th><th class="num">{ "Still in vault" }</th><th></th></tr></thead>
                <tbody>
                    { for props.batches.iter().map(|b| {
                        let onclick = { let (id, undo) = (b.id.clone(), props.on_undo.clone()); Callback::from(move |_| undo.emit(id.clone())) };
                        html! {
                            <tr>
                                <td>{ b.imported_at.clone() }</td><td>{ b.file_name.clone() }</td><td>{ b.account.clone() }</td>
                                <td class="num">{ format::count(b.imported) }</td><td class="num">{ format::count(b.remaining) }</td>
                                <td>if b.remaining > 0 { <button class="ghost" {onclick}>{ "Undo" }</button> }</td>
                            </tr>
                        }
                    }) }
                </tbody>
            </table>
        </section>
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use credence_api::PreviewRow;

    fn report(needs_confirmation: bool) -> ImportReport {
        ImportReport {
            rows: 2,
            imported: 1,
            duplicates: 0,
            rejected: 1,
            format: "guessed".into(),
            encoding: "UTF-8".into(),
            batch: None,
            dry_run: true,
            transfers: 0,
            warnings: Vec::new(),
            errors: Vec::new(),
            preview_page: 1,
            preview_pages: 1,
            preview: vec![PreviewRow {
                line: 3,
                date: None,
                amount: None,
                payee: "BROKEN".into(),
                outcome: Outcome::Rejected,
                detail: "\"--5\" is not an amount".into(),
            }],
            decisions: vec![
                ImportDecision {
                    aspect: "dates".into(),
                    choice: "DD/MM/YYYY".into(),
                    basis: Basis::Proven,
                    evidence: "line 2: \"13/01/2024\" has a day above 12".into(),
                },
                ImportDecision {
                    aspect: "sign".into(),
                    choice: "money out negative".into(),
                    basis: Basis::Guessed,
                    evidence: "one signed column".into(),
                },
            ],
            doubts: vec!["the signs may be the wrong way round".into()],
            needs_confirmation,
        }
    }

    async fn render(r: ImportReport) -> String {
        let props = PreviewProps {
            report: r,
            date_style: "iso".into(),
            currency: "EUR".into(),
            on_commit: Callback::noop(),
            on_back: Callback::noop(),
        };
        yew::LocalServerRenderer::<ImportPreview>::with_props(props).render().await
    }

    #[tokio::test]
    async fn the_preview_shows_how_the_file_was_read_and_asks_about_guesses() {
        let html = render(report(true)).await;
        assert!(html.contains("proven by the file") && html.contains("13/01/2024"), "{html}");
        assert!(html.contains("guessed") && html.contains("wrong way round"), "{html}");
        assert!(html.contains("confirm-guesses"), "a guess is asked about: {html}");
        assert!(html.contains("disabled"), "nothing is imported before the answer: {html}");
        assert!(html.contains("is not an amount"), "every rejection is listed: {html}");
        let sure = render(report(false)).await;
        assert!(!sure.contains("confirm-guesses"), "nothing to ask: {sure}");
    }
}
