//! Accounts with balances; add, rename, set a card's limit, archive.

use credence_api::{Account, AccountEdit, ApiError, ErrorCode, NewAccount};
use serde::Serialize;
use web_sys::{HtmlInputElement, HtmlSelectElement};
use yew::prelude::*;

use crate::bridge::{call, NoArgs};
use crate::use_app;
use crate::widgets::{use_query, ErrorBanner, Money};

const KINDS: [(&str, &str); 7] = [
    ("checking", "Checking"),
    ("savings", "Savings"),
    ("credit-card", "Credit card"),
    ("loan", "Loan"),
    ("cash", "Cash"),
    ("investment", "Investment"),
    ("other", "Other"),
];

fn kind_label(kind: &str) -> &'static str {
    KINDS.iter().find(|(k, _)| *k == kind).map_or("Other", |(_, label)| label)
}

#[function_component]
pub fn Accounts() -> Html {
    let reload = use_state(|| 0u32);
    let (accounts, load_error) = use_query::<Vec<Account>, _>("accounts", NoArgs {}, *reload);
    let error = use_state(|| None::<ApiError>);
    let refresh = {
        let reload = reload.clone();
        Callback::from(move |_: ()| reload.set(*reload + 1))
    };
    html! {
        <>
            <header class="page-head"><h1>{ "Accounts" }</h1></header>
            <ErrorBanner error={load_error.or((*error).clone())} />
            <AddAccount on_added={refresh.clone()} on_error={Callback::from({ let error = error.clone(); move |e| error.set(Some(e)) })} />
            <table class="grid" id="accounts">
                <thead><tr>
                    <th>{ "Name" }</th><th>{ "Type" }</th><th class="num">{ "Balance" }</th>
                    <th class="num">{ "Limit" }</th><th class="num">{ "Used" }</th><th class="num">{ "Transactions" }</th><th></th>
                </tr></thead>
                <tbody>
                    { for accounts.unwrap_or_default().into_iter().map(|a| html! {
                        <AccountRow account={a} on_changed={refresh.clone()} on_error={Callback::from({ let error = error.clone(); move |e| error.set(Some(e)) })} />
                    }) }
                </tbody>
            </table>
        </>
    }
}

#[derive(Properties, PartialEq)]
struct RowProps {
    account: Account,
    on_changed: Callback<()>,
    on_error: Callback<ApiError>,
}

#[derive(Serialize)]
struct ArchiveArgs {
    id: String,
    archived: bool,
}

#[derive(Serialize)]
struct EditArgs {
    edit: AccountEdit,
}

#[function_component]
fn AccountRow(props: &RowProps) -> Html {
    let a = &props.account;
    let editing = use_state(|| false);
    let name = use_node_ref();
    let limit = use_node_ref();
    let statement_day = use_node_ref();
    let due_day = use_node_ref();
    let archive = {
        let (id, archived, done, failed) =
            (a.id.clone(), !a.archived, props.on_changed.clone(), props.on_error.clone());
        Callback::from(move |_| {
            let (args, done, failed) = (ArchiveArgs { id: id.clone(), archived }, done.clone(), failed.clone());
            yew::platform::spawn_local(async move {
                match call::<Account>("set_account_archived", &args).await {
                    Ok(_) => done.emit(()),
                    Err(e) => failed.emit(e),
                }
            });
        })
    };
    let save = {
        let (id, editing, done, failed) =
            (a.id.clone(), editing.clone(), props.on_changed.clone(), props.on_error.clone());
        let (name, limit, is_credit) = (name.clone(), limit.clone(), is_credit(&a.kind));
        let (statement_day, due_day) = (statement_day.clone(), due_day.clone());
        Callback::from(move |e: SubmitEvent| {
            e.prevent_default();
            let value = |r: &NodeRef| r.cast::<HtmlInputElement>().map(|i| i.value());
            // A day left empty is inferred again (0); one that is not a whole number is said so, never
            // taken for empty.
            let day = |r: &NodeRef| -> Result<Option<u32>, ApiError> {
                match value(r).map(|t| t.trim().to_string()) {
                    Some(t) if t.is_empty() => Ok(Some(0)),
                    Some(t) => t.parse().map(Some).map_err(|_| {
                        ApiError::new(ErrorCode::Invalid, format!("\"{t}\" is not a day of the month (1 to 31)"))
                    }),
                    None => Ok(None),
                }
            };
            let days =
                if is_credit { day(&statement_day).and_then(|s| Ok((s, day(&due_day)?))) } else { Ok((None, None)) };
            let (statement_day, due_day) = match days {
                Ok(days) => days,
                Err(e) => return failed.emit(e),
            };
            let edit = AccountEdit {
                id: id.clone(),
                name: value(&name),
                credit_limit: if is_credit { value(&limit) } else { None },
                archived: None,
                statement_day,
                due_day,
            };
            let (editing, done, failed) = (editing.clone(), done.clone(), failed.clone());
            yew::platform::spawn_local(async move {
                match call::<Account>("edit_account", &EditArgs { edit }).await {
                    Ok(_) => {
                        editing.set(false);
                        done.emit(());
                    }
                    Err(e) => failed.emit(e),
                }
            });
        })
    };
    if *editing {
        let cancel = {
            let editing = editing.clone();
            Callback::from(move |_| editing.set(false))
        };
        return html! {
            <tr class="editing"><td colspan="7">
                <form class="inline" onsubmit={save}>
                    <input ref={name} value={a.name.clone()} aria-label="Account name" />
                    if is_credit(&a.kind) {
                        <input ref={limit} value={a.credit_limit.as_ref().map(|l| l.amount.clone()).unwrap_or_default()} placeholder="Credit limit" aria-label="Credit limit" class="num" />
                        <label class="small">{ "Statement closes on day " }
                            <input ref={statement_day} id="statement-day" type="number" min="1" max="31" size="3" class="num"
                                value={a.statement_day.map(|d| d.to_string()).unwrap_or_default()} placeholder="auto" aria-label="Statement closing day" /></label>
                        <label class="small">{ "due on day " }
                            <input ref={due_day} id="due-day" type="number" min="1" max="31" size="3" class="num"
                                value={a.due_day.map(|d| d.to_string()).unwrap_or_default()} placeholder="auto" aria-label="Payment due day" /></label>
                    }
                    <button type="submit" class="primary">{ "Save" }</button>
                    <button type="button" class="ghost" onclick={cancel}>{ "Cancel" }</button>
                </form>
            </td></tr>
        };
    }
    let edit = {
        let editing = editing.clone();
        Callback::from(move |_| editing.set(true))
    };
    html! {
        <tr class={classes!("account-row", a.archived.then_some("archived"))}>
            <td>{ a.name.clone() }{ if a.archived { " (archived)" } else { "" } }</td>
            <td>{ kind_label(&a.kind) }
                if let (Some(s), Some(d)) = (a.statement_day, a.due_day) {
                    <div class="muted small">{ format!("closes day {s}, due day {d}") }</div>
                }</td>
            <td class="num"><Money value={a.balance.clone()} /></td>
            <td class="num">{ a.credit_limit.as_ref().map(|l| l.display.clone()).unwrap_or_default() }</td>
            <td class="num">{ a.utilization.clone().unwrap_or_default() }</td>
            <td class="num">{ crate::format::count(a.transaction_count) }</td>
            <td class="row-actions">
                <button class="ghost" onclick={edit}>{ "Edit" }</button>
                <button class="ghost" onclick={archive}>{ if a.archived { "Unarchive" } else { "Archive" } }</button>
            </td>
        </tr>
    }
}

fn is_credit(kind: &str) -> bool {
    matches!(kind, "credit-card" | "loan")
}

#[derive(Properties, PartialEq)]
struct AddProps {
    on_added: Callback<()>,
    on_error: Callback<ApiError>,
}

#[derive(Serialize)]
struct AddArgs {
    account: NewAccount,
}

#[function_component]
fn AddAccount(props: &AddProps) -> Html {
    let app = use_app();
    let name = use_node_ref();
    let kind = use_state(|| "checking".to_string());
    let currency = use_node_ref();
    let limit = use_node_ref();
    let onsubmit = {
        let (name, kind, currency, limit, done, failed) = (
            name.clone(),
            kind.clone(),
            currency.clone(),
            limit.clone(),
            props.on_added.clone(),
            props.on_error.clone(),
        );
        Callback::from(move |e: SubmitEvent| {
            e.prevent_default();
            let value = |r: &NodeRef| r.cast::<HtmlInputElement>().map(|i| i.value()).unwrap_or_default();
            let account = NewAccount {
                name: value(&name),
                kind: (*kind).clone(),
                currency: value(&currency),
                credit_limit: Some(value(&limit)).filter(|l| !l.trim().is_empty()),
            };
            let (done, failed, name) = (done.clone(), failed.clone(), name.clone());
            yew::platform::spawn_local(async move {
                match call::<Account>("add_account", &AddArgs { account }).await {
                    Ok(_) => {
                        if let Some(input) = name.cast::<HtmlInputElement>() {
                            input.set_value("");
                        }
                        done.emit(());
                    }
                    Err(e) => failed.emit(e),
                }
            });
        })
    };
    let on_kind = {
        let kind = kind.clone();
        Callback::from(move |e: Event| kind.set(e.target_unchecked_into::<HtmlSelectElement>().value()))
    };
    html! {
        <form class="card inline add-account" {onsubmit}>
            <input id="account-name" ref={name} placeholder="Account name" aria-label="Account name" required=true />
            <select id="account-kind" aria-label="Account type" onchange={on_kind}>
                { for KINDS.iter().map(|(k, label)| html! { <option value={*k} selected={*kind == *k}>{ *label }</option> }) }
            </select>
            <input id="account-currency" ref={currency} value={app.settings.currency.clone()} aria-label="Currency" size="4" />
            if is_credit(&kind) {
                <input id="account-limit" ref={limit} placeholder="Credit limit" aria-label="Credit limit" class="num" />
            }
            <button id="add-account" type="submit" class="primary">{ "Add account" }</button>
        </form>
    }
}
