//! The credit file editor: every item of the credit report listed, added, edited and removed through the
//! forms core describes (core checks them and names the field it refuses); each card's and loan's last
//! 24 months of payments as a grid; links to vault accounts; undo; the report as a file, in and out.

use credence_api::{
    ApiError, ChosenFile, CreditEntry, CreditFile, CreditSection, FilePurpose, FormField, PaymentMonth,
    PAYMENT_STATUSES,
};
use serde::Serialize;
use yew::prelude::*;

use crate::bridge::{call, NoArgs};
use crate::widgets::{choose_file, event_value, ErrorBanner};

#[derive(Serialize)]
struct AddArgs {
    kind: String,
    fields: Vec<(String, String)>,
}

#[derive(Serialize)]
struct EditArgs {
    id: String,
    fields: Vec<(String, String)>,
}

#[derive(Serialize)]
struct IdArgs {
    id: String,
}

#[derive(Serialize)]
struct MonthArgs {
    tradeline: String,
    month: String,
    status: String,
}

#[derive(Serialize)]
struct LinkArgs {
    tradeline: String,
    account_id: String,
}

#[derive(Serialize)]
struct TradelineArgs {
    tradeline: String,
}

#[derive(Serialize)]
struct FileArgs {
    file: String,
}

/// A button's callback: choose a credit-profile JSON file and keep the report in it (replacing the
/// one in the vault); then `kept`, or the error.
pub fn keep_report_file(kept: Callback<()>, error: Callback<Option<ApiError>>) -> Callback<MouseEvent> {
    choose_file(
        FilePurpose::CreditReportIn,
        Callback::from(move |chosen: ChosenFile| {
            change("import_credit_report", FileArgs { file: chosen.handle }, kept.clone(), error.clone());
        }),
    )
}

/// Runs a command that changes the file, then reloads (or shows its error).
fn change<A: Serialize + 'static>(
    cmd: &'static str,
    args: A,
    changed: Callback<()>,
    error: Callback<Option<ApiError>>,
) {
    yew::platform::spawn_local(async move {
        match call::<serde_json::Value>(cmd, &args).await {
            Ok(_) => {
                error.emit(None);
                changed.emit(());
            }
            Err(e) => error.emit(Some(e)),
        }
    });
}

#[derive(Properties, PartialEq)]
pub struct EditorProps {
    pub file: CreditFile,
    /// Something changed: reload the file and the score.
    pub on_change: Callback<()>,
}

#[function_component]
pub fn CreditFileEditor(props: &EditorProps) -> Html {
    let error = use_state(|| None::<ApiError>);
    let set_error = {
        let error = error.clone();
        Callback::from(move |e: Option<ApiError>| error.set(e))
    };
    let undo = {
        let (changed, set_error) = (props.on_change.clone(), set_error.clone());
        Callback::from(move |_| change("undo", NoArgs {}, changed.clone(), set_error.clone()))
    };
    html! {
        <section class="card" id="credit-file">
            <header class="inline spread">
                <h2>{ "Your credit file" }</h2>
                <button id="credit-undo" class="secondary" onclick={undo}>{ "Undo last change" }</button>
            </header>
            <ErrorBanner error={(*error).clone()} id="credit-file-error" />
            { for props.file.sections.iter().map(|s| html! {
                <Section section={s.clone()} linkable={props.file.linkable.clone()} on_change={props.on_change.clone()} on_error={set_error.clone()} />
            }) }
            <FileInOut on_change={props.on_change.clone()} on_error={set_error} />
        </section>
    }
}

#[derive(Properties, PartialEq)]
struct SectionProps {
    section: CreditSection,
    linkable: Vec<(String, String)>,
    on_change: Callback<()>,
    on_error: Callback<Option<ApiError>>,
}

#[function_component]
fn Section(props: &SectionProps) -> Html {
    let adding = use_state(|| false);
    let s = &props.section;
    let add = {
        let (kind, adding, changed, error) =
            (s.kind.clone(), adding.clone(), props.on_change.clone(), props.on_error.clone());
        Callback::from(move |fields: Vec<(String, String)>| {
            let done = {
                let (adding, changed) = (adding.clone(), changed.clone());
                Callback::from(move |_| {
                    adding.set(false);
                    changed.emit(());
                })
            };
            change("add_credit_item", AddArgs { kind: kind.clone(), fields }, done, error.clone());
        })
    };
    let open = {
        let adding = adding.clone();
        Callback::from(move |_| adding.set(!*adding))
    };
    html! {
        <div class="credit-section" id={format!("section-{}", s.kind)}>
            <h3>{ s.label.clone() }<span class="muted small">{ format!(" ({})", s.items.len()) }</span></h3>
            <ul class="credit-items">
                { for s.items.iter().map(|item| html! {
                    <Entry entry={item.clone()} form={s.form.clone()} linkable={props.linkable.clone()} on_change={props.on_change.clone()} on_error={props.on_error.clone()} />
                }) }
            </ul>
            if *adding {
                <ItemForm form={s.form.clone()} values={Vec::<String>::new()} id={format!("new-{}", s.kind)} on_save={add} on_cancel={open.clone()} />
            } else {
                <button class="secondary" id={format!("add-{}", s.kind)} onclick={open}>{ "Add" }</button>
            }
        </div>
    }
}

#[derive(Properties, PartialEq)]
struct EntryProps {
    entry: CreditEntry,
    form: Vec<FormField>,
    linkable: Vec<(String, String)>,
    on_change: Callback<()>,
    on_error: Callback<Option<ApiError>>,
}

#[function_component]
fn Entry(props: &EntryProps) -> Html {
    let editing = use_state(|| false);
    let e = &props.entry;
    let (changed, error) = (props.on_change.clone(), props.on_error.clone());
    let toggle = {
        let editing = editing.clone();
        Callback::from(move |_| editing.set(!*editing))
    };
    let save = {
        let (id, editing, changed, error) = (e.id.clone(), editing.clone(), changed.clone(), error.clone());
        Callback::from(move |fields: Vec<(String, String)>| {
            let done = {
                let (editing, changed) = (editing.clone(), changed.clone());
                Callback::from(move |_| {
                    editing.set(false);
                    changed.emit(());
                })
            };
            change("edit_credit_item", EditArgs { id: id.clone(), fields }, done, error.clone());
        })
    };
    let remove = {
        let (id, changed, error) = (e.id.clone(), changed.clone(), error.clone());
        Callback::from(move |_| change("remove_credit_item", IdArgs { id: id.clone() }, changed.clone(), error.clone()))
    };
    html! {
        <li class="credit-item">
            <div class="inline spread">
                <span class="summary">{ e.summary.clone() }</span>
                <span>
                    <button class="ghost item-edit" onclick={toggle.clone()}>{ "Edit" }</button>
                    <button class="ghost item-remove" onclick={remove}>{ "Remove" }</button>
                </span>
            </div>
            if *editing {
                <ItemForm form={props.form.clone()} values={e.values.clone()} id={format!("edit-{}", e.id)} on_save={save} on_cancel={toggle} />
            }
            if let Some(tradeline) = e.tradeline.clone() {
                <PaymentGrid tradeline={tradeline.clone()} months={e.grid.clone()} on_change={changed.clone()} on_error={error.clone()} />
                <Link {tradeline} linked={e.linked.clone()} linkable={props.linkable.clone()} on_change={changed} on_error={error} />
            }
        </li>
    }
}

#[derive(Properties, PartialEq)]
pub struct GridProps {
    pub tradeline: String,
    pub months: Vec<PaymentMonth>,
    pub on_change: Callback<()>,
    pub on_error: Callback<Option<ApiError>>,
}

/// The status a click moves a month to (OK → 30 → 60 → 90 → 120 → charge-off → OK).
pub fn next_status(status: &str) -> &'static str {
    let at = PAYMENT_STATUSES.iter().position(|s| *s == status).unwrap_or(0);
    PAYMENT_STATUSES[(at + 1) % PAYMENT_STATUSES.len()]
}

/// The last 24 months of payments; a click moves a month to the next status.
#[function_component]
pub fn PaymentGrid(props: &GridProps) -> Html {
    html! {
        <div class="payment-grid" aria-label={format!("Payment history of {}", props.tradeline)}>
            { for props.months.iter().map(|m| {
                let args = MonthArgs { tradeline: props.tradeline.clone(), month: m.month.clone(), status: next_status(&m.status).to_string() };
                let (changed, error) = (props.on_change.clone(), props.on_error.clone());
                let cycle = Callback::from(move |_: MouseEvent| {
                    let args = MonthArgs { tradeline: args.tradeline.clone(), month: args.month.clone(), status: args.status.clone() };
                    change("set_payment_month", args, changed.clone(), error.clone());
                });
                let label = if m.status == "ok" { "OK".to_string() } else if m.status == "chargeoff" { "CO".to_string() } else { m.status.clone() };
                html! {
                    <button type="button" class={classes!("month", (m.status != "ok").then_some("late"))} data-month={m.month.clone()}
                        title={format!("{}: {} (click to change)", m.month, label)} onclick={cycle}>
                        <span class="m">{ m.month.get(5..).unwrap_or_default().to_string() }</span><span class="s">{ label }</span>
                    </button>
                }
            }) }
        </div>
    }
}

#[derive(Properties, PartialEq)]
struct LinkProps {
    tradeline: String,
    linked: Option<(String, String)>,
    linkable: Vec<(String, String)>,
    on_change: Callback<()>,
    on_error: Callback<Option<ApiError>>,
}

/// Which vault account a card or loan follows.
#[function_component]
fn Link(props: &LinkProps) -> Html {
    let (changed, error, tradeline) = (props.on_change.clone(), props.on_error.clone(), props.tradeline.clone());
    match &props.linked {
        Some((_, name)) => {
            let unlink = Callback::from(move |_| {
                change(
                    "unlink_credit_account",
                    TradelineArgs { tradeline: tradeline.clone() },
                    changed.clone(),
                    error.clone(),
                )
            });
            html! { <p class="small">{ format!("Follows {name} in Credence ") }<button class="ghost unlink" onclick={unlink}>{ "Unlink" }</button></p> }
        }
        None if props.linkable.is_empty() => html! {},
        None => {
            let link = Callback::from(move |e: Event| {
                let account_id = event_value(&e);
                if !account_id.is_empty() {
                    change(
                        "link_credit_account",
                        LinkArgs { tradeline: tradeline.clone(), account_id },
                        changed.clone(),
                        error.clone(),
                    );
                }
            });
            html! {
                <label class="small inline">{ "Follow an account in Credence: " }
                    <select class="link" onchange={link}>
                        <option value="" selected=true>{ "—" }</option>
                        { for props.linkable.iter().map(|(id, name)| html! { <option value={id.clone()}>{ name.clone() }</option> }) }
                    </select>
                </label>
            }
        }
    }
}

#[derive(Properties, PartialEq)]
pub struct FormProps {
    pub form: Vec<FormField>,
    /// The item's values in the form's order (empty for a new item).
    pub values: Vec<String>,
    pub id: String,
    pub on_save: Callback<Vec<(String, String)>>,
    pub on_cancel: Callback<MouseEvent>,
}

/// An item's form as core describes it: each field's input by its kind.
#[function_component]
pub fn ItemForm(props: &FormProps) -> Html {
    let values = use_state(|| {
        let first_choice = |f: &FormField| {
            if f.required {
                f.options.first().map(|o| o.0.clone()).unwrap_or_default()
            } else {
                String::new()
            }
        };
        props
            .form
            .iter()
            .enumerate()
            .map(|(i, f)| props.values.get(i).filter(|v| !v.is_empty()).cloned().unwrap_or_else(|| first_choice(f)))
            .collect::<Vec<String>>()
    });
    let submit = {
        let (values, form, save) = (values.clone(), props.form.clone(), props.on_save.clone());
        Callback::from(move |e: SubmitEvent| {
            e.prevent_default();
            save.emit(form.iter().zip(values.iter()).map(|(f, v)| (f.name.clone(), v.clone())).collect());
        })
    };
    let set = |i: usize, flag: bool| {
        let values = values.clone();
        Callback::from(move |e: Event| {
            let mut next = (*values).clone();
            if let Some(slot) = next.get_mut(i) {
                *slot = if flag { (slot != "true").to_string() } else { event_value(&e) };
            }
            values.set(next);
        })
    };
    html! {
        <form class="item-form" id={props.id.clone()} onsubmit={submit}>
            { for props.form.iter().enumerate().map(|(i, f)| {
                let value = values.get(i).cloned().unwrap_or_default();
                let name = format!("{}-{}", props.id, f.name);
                let input = match f.input.as_str() {
                    "choice" => html! {
                        <select id={name} onchange={set(i, false)}>
                            if !f.required { <option value="" selected={value.is_empty()}>{ "—" }</option> }
                            { for f.options.iter().map(|(v, l)| html! { <option value={v.clone()} selected={*v == value}>{ l.clone() }</option> }) }
                        </select>
                    },
                    "flag" => html! { <input id={name} type="checkbox" checked={value == "true"} onchange={set(i, true)} /> },
                    kind => {
                        let hint = match kind { "date" => "YYYY-MM-DD", "money" => "0.00", "number" => "742", _ => "" };
                        html! { <input id={name} {value} placeholder={hint} onchange={set(i, false)} /> }
                    }
                };
                html! { <label>{ format!("{}{}", f.label, if f.required { "" } else { " (optional)" }) }{ input }</label> }
            }) }
            <div class="actions">
                <button type="submit" class="primary">{ "Save" }</button>
                <button type="button" class="ghost" onclick={props.on_cancel.clone()}>{ "Cancel" }</button>
            </div>
        </form>
    }
}

#[derive(Properties, PartialEq)]
struct InOutProps {
    on_change: Callback<()>,
    on_error: Callback<Option<ApiError>>,
}

/// The report as a credit-profile JSON file: keep one from a file (replacing the items here), or write
/// this one out.
#[function_component]
fn FileInOut(props: &InOutProps) -> Html {
    let note = use_state(String::new);
    let keep = {
        let (note, changed) = (note.clone(), props.on_change.clone());
        keep_report_file(
            Callback::from(move |_| {
                note.set("Kept the report from the file.".into());
                changed.emit(());
            }),
            props.on_error.clone(),
        )
    };
    let export = {
        let (note, error) = (note.clone(), props.on_error.clone());
        choose_file(
            FilePurpose::CreditReportOut,
            Callback::from(move |chosen: ChosenFile| {
                let (args, note, error) = (FileArgs { file: chosen.handle }, note.clone(), error.clone());
                yew::platform::spawn_local(async move {
                    match call::<String>("export_credit_report", &args).await {
                        Ok(written) => {
                            error.emit(None);
                            note.set(format!("Saved to {written}"));
                        }
                        Err(e) => error.emit(Some(e)),
                    }
                });
            }),
        )
    };
    html! {
        <div class="credit-section">
            <h3>{ "As a file" }</h3>
            <div class="inline">
                <button id="credit-import" class="secondary" onclick={keep}>{ "Keep a report from a file…" }</button>
                <button id="credit-export" class="secondary" onclick={export}>{ "Export to a file…" }</button>
            </div>
            <p class="muted small" id="credit-file-note">{ (*note).clone() }</p>
        </div>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_click_cycles_a_month_through_every_status_and_back() {
        let mut status = "ok";
        let mut seen = Vec::new();
        for _ in 0..PAYMENT_STATUSES.len() {
            status = next_status(status);
            seen.push(status);
        }
        assert_eq!(seen, vec!["30", "60", "90", "120", "chargeoff", "ok"]);
    }

    #[tokio::test]
    async fn the_grid_marks_late_months_and_the_form_labels_optional_fields() {
        let months = vec![
            PaymentMonth { month: "2025-01".into(), status: "ok".into() },
            PaymentMonth { month: "2025-02".into(), status: "60".into() },
        ];
        let props =
            GridProps { tradeline: "visa".into(), months, on_change: Callback::noop(), on_error: Callback::noop() };
        let html = yew::LocalServerRenderer::<PaymentGrid>::with_props(props).render().await;
        assert!(html.contains("class=\"month late\"") && html.contains("2025-02: 60"), "{html}");
        let form = vec![
            FormField {
                name: "value".into(),
                label: "Score".into(),
                input: "number".into(),
                required: true,
                options: Vec::new(),
            },
            FormField {
                name: "bureau".into(),
                label: "Bureau".into(),
                input: "choice".into(),
                required: false,
                options: vec![("Experian".into(), "Experian".into())],
            },
        ];
        let props = FormProps {
            form,
            values: vec!["742".into(), String::new()],
            id: "f".into(),
            on_save: Callback::noop(),
            on_cancel: Callback::noop(),
        };
        let html = yew::LocalServerRenderer::<ItemForm>::with_props(props).render().await;
        assert!(html.contains("Bureau (optional)") && html.contains("value=\"742\""), "{html}");
    }
}
