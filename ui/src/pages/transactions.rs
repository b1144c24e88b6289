//! The transaction list: one scrolling list over every matching transaction, however many. Only the rows
//! in view exist in the page; they are fetched a page at a time (`PAGE` rows) as the list scrolls, so a
//! vault of a million transactions scrolls as smoothly as one of ten.

use std::collections::{HashMap, HashSet};
use std::rc::Rc;

use credence_api::{
    Account, ApiError, Category, NewTransaction, Recategorized, RulesApplied, SuggestedRule, Transaction,
    TransactionChange, TransactionPage, TransactionQuery,
};
use serde::Serialize;
use web_sys::{HtmlInputElement, HtmlSelectElement};
use yew::prelude::*;

use crate::bridge::{call, NoArgs};
use crate::widgets::{use_query, ErrorBanner, Money};
use crate::{format, use_app};

/// Pixels; the stylesheet's `.tx-row` height.
const ROW_HEIGHT: u64 = 44;
const PAGE: u64 = 100;
/// Rows rendered above and below the visible ones, so a quick scroll never shows a gap.
const OVERSCAN: u64 = 10;

#[derive(Default)]
struct Pages {
    generation: u32,
    total: Option<u64>,
    rows: HashMap<u64, Vec<Transaction>>,
    pending: HashSet<u64>,
}

#[derive(Serialize, Clone, PartialEq)]
struct QueryArgs {
    query: TransactionQuery,
}

#[function_component]
pub fn Transactions() -> Html {
    let app = use_app();
    let search = use_state(String::new);
    let account = use_state(String::new);
    let reload = use_state(|| 0u32);
    let pages = use_mut_ref(Pages::default);
    let redraw = use_state(|| 0u32);
    let scroll = use_state(|| (0u64, 600u64));
    let error = use_state(|| None::<ApiError>);
    let suggestion = use_state(|| None::<(String, SuggestedRule)>);
    let list = use_node_ref();
    let (categories, _) = use_query::<Vec<Category>, _>("categories", NoArgs {}, 0);
    let (accounts, _) = use_query::<Vec<Account>, _>("accounts", NoArgs {}, 0);

    // A new filter or a change to the data starts the list over (and renders again, to fetch).
    {
        let (pages, list, redraw) = (pages.clone(), list.clone(), redraw.clone());
        use_effect_with(((*search).clone(), (*account).clone(), *reload), move |_| {
            let mut p = pages.borrow_mut();
            let generation = p.generation + 1;
            *p = Pages { generation, ..Pages::default() };
            drop(p);
            if let Some(el) = list.cast::<web_sys::Element>() {
                el.set_scroll_top(0);
            }
            redraw.set(*redraw + 1);
        });
    }

    let (top, height) = *scroll;
    let first = (top / ROW_HEIGHT).saturating_sub(OVERSCAN);
    let visible = height / ROW_HEIGHT + 2 * OVERSCAN;
    let total = pages.borrow().total;
    let last = total.map_or(first + visible, |t| (first + visible).min(t));

    // Fetch the pages the visible rows live on.
    {
        let wanted: Vec<u64> =
            if total == Some(0) { vec![] } else { (first / PAGE..=last.max(first) / PAGE).collect() };
        let mut p = pages.borrow_mut();
        let generation = p.generation;
        for page in wanted {
            if p.rows.contains_key(&page) || !p.pending.insert(page) {
                continue;
            }
            let query = TransactionQuery {
                account_id: Some((*account).clone()).filter(|a| !a.is_empty()),
                search: Some((*search).clone()).filter(|s| !s.trim().is_empty()),
                offset: page * PAGE,
                limit: PAGE,
                with_total: page == 0,
                ..Default::default()
            };
            let (pages, redraw, error) = (pages.clone(), redraw.clone(), error.clone());
            yew::platform::spawn_local(async move {
                let reply = call::<TransactionPage>("transactions", &QueryArgs { query }).await;
                let mut p = pages.borrow_mut();
                if p.generation != generation {
                    return; // an answer to a list the user has since changed
                }
                p.pending.remove(&page);
                match reply {
                    Ok(answer) => {
                        if let Some(total) = answer.total {
                            p.total = Some(total);
                        }
                        p.rows.insert(page, answer.rows);
                    }
                    Err(e) => error.set(Some(e)),
                }
                drop(p);
                redraw.set(*redraw + 1);
            });
        }
    }

    let onscroll = {
        let (scroll, list) = (scroll.clone(), list.clone());
        Callback::from(move |_: Event| {
            if let Some(el) = list.cast::<web_sys::Element>() {
                scroll.set((el.scroll_top().max(0) as u64, el.client_height().max(0) as u64));
            }
        })
    };
    let on_search = {
        let search = search.clone();
        Callback::from(move |e: InputEvent| search.set(e.target_unchecked_into::<HtmlInputElement>().value()))
    };
    let on_account = {
        let account = account.clone();
        Callback::from(move |e: Event| account.set(e.target_unchecked_into::<HtmlSelectElement>().value()))
    };
    let refresh = {
        let reload = reload.clone();
        Callback::from(move |_: ()| reload.set(*reload + 1))
    };
    let on_error = {
        let error = error.clone();
        Callback::from(move |e: ApiError| error.set(Some(e)))
    };
    let undo = {
        let (refresh, notify, on_error) = (refresh.clone(), app.notify.clone(), on_error.clone());
        Callback::from(move |_| {
            let (refresh, notify, on_error) = (refresh.clone(), notify.clone(), on_error.clone());
            yew::platform::spawn_local(async move {
                match call::<String>("undo", &NoArgs {}).await {
                    Ok(what) => {
                        notify.emit(format!("Undone: {what}"));
                        refresh.emit(());
                    }
                    Err(e) => on_error.emit(e),
                }
            });
        })
    };
    let on_recategorized = {
        let suggestion = suggestion.clone();
        Callback::from(move |(id, r): (String, Recategorized)| suggestion.set(r.suggested_rule.map(|s| (id, s))))
    };

    // Shared by every visible row: cloning the handle, not the list, on each scroll.
    let categories: Rc<Vec<Category>> = Rc::new(categories.unwrap_or_default());
    let p = pages.borrow();
    let rows: Vec<(u64, Transaction)> = (first..last)
        .filter_map(|i| p.rows.get(&(i / PAGE)).and_then(|rows| rows.get((i % PAGE) as usize)).map(|t| (i, t.clone())))
        .collect();
    let total_rows = p.total.unwrap_or(0);
    drop(p);
    let spacer = format!("height: {}px", total_rows * ROW_HEIGHT);
    html! {
        <>
            <header class="page-head">
                <h1>{ "Transactions" }</h1>
                <span class="muted" id="tx-count">{ format!("{} transactions", format::count(total_rows)) }</span>
                <div class="grow"></div>
                <button id="undo-btn" class="secondary" onclick={undo}>{ "Undo" }</button>
            </header>
            <div class="toolbar">
                <input id="tx-search" type="search" placeholder="Search payee or memo" aria-label="Search transactions" value={(*search).clone()} oninput={on_search} />
                <select id="tx-account" aria-label="Account" onchange={on_account}>
                    <option value="" selected={account.is_empty()}>{ "All accounts" }</option>
                    { for accounts.clone().unwrap_or_default().into_iter().map(|a| html! { <option value={a.id.clone()} selected={*account == a.id}>{ a.name }</option> }) }
                </select>
            </div>
            <AddTransaction accounts={accounts.unwrap_or_default()} categories={categories.clone()} on_added={refresh.clone()} on_error={on_error.clone()} />
            <ErrorBanner error={(*error).clone()} />
            if let Some((id, rule)) = (*suggestion).clone() {
                <RuleOffer transaction_id={id} rule={rule} on_done={{ let s = suggestion.clone(); let r = refresh.clone(); Callback::from(move |_| { s.set(None); r.emit(()); }) }} on_error={on_error.clone()} />
            }
            <div class="tx-head" role="row">
                <span>{ "Date" }</span><span>{ "Payee" }</span><span>{ "Category" }</span><span>{ "Account" }</span><span class="num">{ "Amount" }</span><span></span>
            </div>
            <div class="tx-scroll" ref={list} {onscroll} role="table" aria-label="Transactions" aria-rowcount={total_rows.to_string()}>
                <div class="tx-spacer" style={spacer}>
                    { for rows.into_iter().map(|(index, t)| html! {
                        <TxRow key={t.id.clone()} {index} transaction={t.clone()} categories={categories.clone()}
                               on_changed={on_recategorized.clone()} on_deleted={refresh.clone()} on_error={on_error.clone()} />
                    }) }
                </div>
                if total_rows == 0 && pages.borrow().total.is_some() {
                    <p class="empty">{ if search.is_empty() { "No transactions yet. Import a statement or add one above." } else { "Nothing matches this search." } }</p>
                }
            </div>
        </>
    }
}

#[derive(Properties, PartialEq)]
struct RowProps {
    index: u64,
    transaction: Transaction,
    categories: Rc<Vec<Category>>,
    on_changed: Callback<(String, Recategorized)>,
    /// After a delete or an edit: the list reloads.
    on_deleted: Callback<()>,
    on_error: Callback<ApiError>,
}

#[derive(Serialize)]
struct SetCategory {
    id: String,
    category_id: Option<String>,
}

#[derive(Serialize)]
struct IdArgs {
    id: String,
}

#[derive(Serialize)]
struct EditArgs {
    edit: TransactionChange,
}

#[function_component]
fn TxRow(props: &RowProps) -> Html {
    let app = use_app();
    let current = use_state(|| props.transaction.category_id.clone());
    let t = &props.transaction;
    let on_category = {
        let (id, current, changed, failed) =
            (t.id.clone(), current.clone(), props.on_changed.clone(), props.on_error.clone());
        Callback::from(move |e: Event| {
            let value = e.target_unchecked_into::<HtmlSelectElement>().value();
            let args = SetCategory { id: id.clone(), category_id: Some(value.clone()).filter(|v| !v.is_empty()) };
            let (id, current, changed, failed) = (id.clone(), current.clone(), changed.clone(), failed.clone());
            yew::platform::spawn_local(async move {
                match call::<Recategorized>("set_category", &args).await {
                    Ok(r) => {
                        current.set(r.transaction.category_id.clone());
                        changed.emit((id, r));
                    }
                    Err(e) => failed.emit(e),
                }
            });
        })
    };
    let delete = {
        let (id, deleted, failed) = (t.id.clone(), props.on_deleted.clone(), props.on_error.clone());
        Callback::from(move |_| {
            let (args, deleted, failed) = (IdArgs { id: id.clone() }, deleted.clone(), failed.clone());
            yew::platform::spawn_local(async move {
                match call::<()>("delete_transaction", &args).await {
                    Ok(()) => deleted.emit(()),
                    Err(e) => failed.emit(e),
                }
            });
        })
    };
    let style = format!("top: {}px", props.index * ROW_HEIGHT);
    let editing = use_state(|| false);
    let fields: [NodeRef; 4] = Default::default();
    let category = html! {
        <select class="tx-category" aria-label={format!("Category of {}", t.payee)} onchange={on_category}>
            <option value="" selected={current.is_none()}>{ "Uncategorized" }</option>
            { for props.categories.iter().map(|c| html! {
                <option value={c.id.clone()} selected={current.as_deref() == Some(c.id.as_str())}>{ c.path.replace(':', " › ") }</option>
            }) }
        </select>
    };
    if *editing {
        let save = {
            let (id, fields, editing, saved, failed) =
                (t.id.clone(), fields.clone(), editing.clone(), props.on_deleted.clone(), props.on_error.clone());
            Callback::from(move |e: SubmitEvent| {
                e.prevent_default();
                let value = |r: &NodeRef| r.cast::<HtmlInputElement>().map(|i| i.value());
                let edit = TransactionChange {
                    id: id.clone(),
                    date: value(&fields[0]),
                    payee: value(&fields[1]),
                    memo: value(&fields[2]),
                    amount: value(&fields[3]),
                };
                let (editing, saved, failed) = (editing.clone(), saved.clone(), failed.clone());
                yew::platform::spawn_local(async move {
                    match call::<Transaction>("edit_transaction", &EditArgs { edit }).await {
                        Ok(_) => {
                            editing.set(false);
                            saved.emit(());
                        }
                        Err(e) => failed.emit(e),
                    }
                });
            })
        };
        let cancel = {
            let editing = editing.clone();
            Callback::from(move |_| editing.set(false))
        };
        return html! {
            <form class="tx-row editing" role="row" {style} onsubmit={save}>
                <input ref={fields[0].clone()} type="date" value={t.date.clone()} aria-label="Date" required=true />
                <input ref={fields[1].clone()} value={t.payee.clone()} aria-label="Payee" required=true />
                { category }
                <input ref={fields[2].clone()} value={t.memo.clone()} placeholder="Memo" aria-label="Memo" />
                <input ref={fields[3].clone()} value={t.amount.amount.clone()} class="num" aria-label="Amount" required=true />
                <span class="row-actions">
                    <button type="submit" class="ghost icon" title="Save" aria-label="Save">{ "✓" }</button>
                    <button type="button" class="ghost icon" title="Cancel" aria-label="Cancel" onclick={cancel}>{ "↺" }</button>
                </span>
            </form>
        };
    }
    let edit = {
        let editing = editing.clone();
        Callback::from(move |_| editing.set(true))
    };
    html! {
        <div class="tx-row" role="row" {style} data-id={t.id.clone()}>
            <span class="date">{ format::date(&t.date, &app.settings.date_format) }</span>
            <span class="payee" title={t.memo.clone()}>{ t.payee.clone() }
                if !t.memo.is_empty() { <small class="muted">{ format!(" · {}", t.memo) }</small> }
            </span>
            { category }
            <span class="account muted">{ t.account.clone() }</span>
            <span class="num"><Money value={t.amount.clone()} /></span>
            <span class="row-actions">
                <button class="ghost icon tx-edit" aria-label={format!("Edit {}", t.payee)} title="Edit" onclick={edit}>{ "✎" }</button>
                <button class="ghost icon" aria-label={format!("Delete {}", t.payee)} title="Delete" onclick={delete}>{ "×" }</button>
            </span>
        </div>
    }
}

#[derive(Properties, PartialEq)]
struct OfferProps {
    transaction_id: String,
    rule: SuggestedRule,
    on_done: Callback<()>,
    on_error: Callback<ApiError>,
}

#[derive(Serialize)]
struct LearnArgs {
    transaction_id: String,
}

/// After a manual recategorization: offer a rule so the payee is filed that way from now on.
#[function_component]
fn RuleOffer(props: &OfferProps) -> Html {
    let app = use_app();
    let accept = {
        let (id, done, failed, notify) =
            (props.transaction_id.clone(), props.on_done.clone(), props.on_error.clone(), app.notify.clone());
        Callback::from(move |_| {
            let (args, done, failed, notify) =
                (LearnArgs { transaction_id: id.clone() }, done.clone(), failed.clone(), notify.clone());
            yew::platform::spawn_local(async move {
                match call::<RulesApplied>("learn_rule", &args).await {
                    Ok(applied) => {
                        notify.emit(format!("Rule created; {} other transaction(s) re-filed.", applied.changed));
                        done.emit(());
                    }
                    Err(e) => failed.emit(e),
                }
            });
        })
    };
    let dismiss = {
        let done = props.on_done.clone();
        Callback::from(move |_| done.emit(()))
    };
    let r = &props.rule;
    html! {
        <div class="offer" role="status" id="rule-offer">
            <span>{ format!("Always file “{}” under {}?", r.payee, r.category.replace(':', " › ")) }
                if r.would_change > 0 { { format!(" ({} other transactions would change.)", r.would_change) } }
            </span>
            <button class="primary" id="accept-rule" onclick={accept}>{ "Create rule" }</button>
            <button class="ghost" onclick={dismiss}>{ "Not now" }</button>
        </div>
    }
}

#[derive(Properties, PartialEq)]
struct AddProps {
    accounts: Vec<Account>,
    categories: Rc<Vec<Category>>,
    on_added: Callback<()>,
    on_error: Callback<ApiError>,
}

#[derive(Serialize)]
struct AddArgs {
    transaction: NewTransaction,
}

#[function_component]
fn AddTransaction(props: &AddProps) -> Html {
    let open = use_state(|| false);
    let refs: [NodeRef; 4] = Default::default();
    let account = use_node_ref();
    let category = use_node_ref();
    if !*open {
        let show = {
            let open = open.clone();
            Callback::from(move |_| open.set(true))
        };
        return html! { <button id="add-tx-open" class="secondary add-tx" onclick={show}>{ "+ Add transaction" }</button> };
    }
    let onsubmit = {
        let (refs, account, category, open, done, failed) = (
            refs.clone(),
            account.clone(),
            category.clone(),
            open.clone(),
            props.on_added.clone(),
            props.on_error.clone(),
        );
        Callback::from(move |e: SubmitEvent| {
            e.prevent_default();
            let value = |r: &NodeRef| r.cast::<HtmlInputElement>().map(|i| i.value()).unwrap_or_default();
            let select = |r: &NodeRef| r.cast::<HtmlSelectElement>().map(|i| i.value()).unwrap_or_default();
            let transaction = NewTransaction {
                date: value(&refs[0]),
                payee: value(&refs[1]),
                amount: value(&refs[2]),
                memo: value(&refs[3]),
                account_id: select(&account),
                category_id: Some(select(&category)).filter(|c| !c.is_empty()),
            };
            let (open, done, failed) = (open.clone(), done.clone(), failed.clone());
            yew::platform::spawn_local(async move {
                match call::<Transaction>("add_transaction", &AddArgs { transaction }).await {
                    Ok(_) => {
                        open.set(false);
                        done.emit(());
                    }
                    Err(e) => failed.emit(e),
                }
            });
        })
    };
    let cancel = {
        let open = open.clone();
        Callback::from(move |_| open.set(false))
    };
    html! {
        <form class="card inline add-tx-form" {onsubmit}>
            <input ref={refs[0].clone()} type="date" aria-label="Date" required=true />
            <input ref={refs[1].clone()} placeholder="Payee" aria-label="Payee" required=true />
            <input ref={refs[2].clone()} placeholder="-12.34" aria-label="Amount (money out negative)" class="num" required=true />
            <select ref={account} aria-label="Account">
                { for props.accounts.iter().filter(|a| !a.archived).map(|a| html! { <option value={a.id.clone()}>{ a.name.clone() }</option> }) }
            </select>
            <select ref={category} aria-label="Category">
                <option value="">{ "Uncategorized" }</option>
                { for props.categories.iter().map(|c| html! { <option value={c.id.clone()}>{ c.path.replace(':', " › ") }</option> }) }
            </select>
            <input ref={refs[3].clone()} placeholder="Memo" aria-label="Memo" />
            <button type="submit" class="primary">{ "Add" }</button>
            <button type="button" class="ghost" onclick={cancel}>{ "Cancel" }</button>
        </form>
    }
}
