//! Rules (conditions on the payee, the amount, the account → a category, a clean name, a tag, a
//! transfer), run on every import and on demand; categories.

use credence_api::{Account, ApiError, Category, NewRule, Rule, RulesApplied};
use serde::Serialize;
use web_sys::{HtmlInputElement, HtmlSelectElement};
use yew::prelude::*;

use crate::bridge::{call, NoArgs};
use crate::use_app;
use crate::widgets::{use_query, ErrorBanner};

#[derive(Serialize)]
struct AddArgs {
    rule: NewRule,
}

#[derive(Serialize)]
struct IdArgs {
    id: String,
}

#[derive(Serialize)]
struct CategoryArgs {
    category_path: String,
}

#[function_component]
pub fn Rules() -> Html {
    let app = use_app();
    let reload = use_state(|| 0u32);
    let (rules, load_error) = use_query::<Vec<Rule>, _>("rules", NoArgs {}, *reload);
    let (categories, _) = use_query::<Vec<Category>, _>("categories", NoArgs {}, *reload);
    let error = use_state(|| None::<ApiError>);
    let (accounts, _) = use_query::<Vec<Account>, _>("accounts", NoArgs {}, 0);
    let payee = use_node_ref();
    let rename = use_node_ref();
    let (amount_min, amount_max, tag, transfer) = (use_node_ref(), use_node_ref(), use_node_ref(), use_node_ref());
    // The form is read when it is sent, selects included: what the user sees chosen is what is sent.
    let (category, account) = (use_node_ref(), use_node_ref());
    let new_category = use_node_ref();

    // Runs a command that changes the rules or categories, then reloads both.
    let run = |cmd: &'static str| {
        let (reload, error) = (reload.clone(), error.clone());
        move |args: serde_json::Value| {
            let (reload, error) = (reload.clone(), error.clone());
            yew::platform::spawn_local(async move {
                match call::<serde_json::Value>(cmd, &args).await {
                    Ok(_) => {
                        error.set(None);
                        reload.set(*reload + 1);
                    }
                    Err(e) => error.set(Some(e)),
                }
            });
        }
    };
    let add_rule = {
        let inputs =
            (payee.clone(), rename.clone(), amount_min.clone(), amount_max.clone(), tag.clone(), transfer.clone());
        let (category, account, submit) = (category.clone(), account.clone(), run("add_rule"));
        Callback::from(move |e: SubmitEvent| {
            e.prevent_default();
            let (payee, rename, amount_min, amount_max, tag, transfer) = &inputs;
            let value = |r: &NodeRef| r.cast::<HtmlInputElement>().map(|i| i.value()).unwrap_or_default();
            let chosen = |r: &NodeRef| r.cast::<HtmlSelectElement>().map(|s| s.value()).unwrap_or_default();
            // Empty fields are not conditions or actions; the contract's rule reader says what is missing.
            let rule = NewRule {
                payee_contains: Some(value(payee)),
                amount_min: Some(value(amount_min)),
                amount_max: Some(value(amount_max)),
                account_id: Some(chosen(&account)),
                category_id: Some(chosen(&category)),
                rename_to: Some(value(rename)),
                tag: Some(value(tag)),
                transfer: transfer.cast::<HtmlInputElement>().is_some_and(|i| i.checked()),
                ..NewRule::default()
            };
            submit(serde_json::to_value(AddArgs { rule }).unwrap_or_default());
        })
    };
    let add_category = {
        let (input, submit) = (new_category.clone(), run("add_category"));
        Callback::from(move |e: SubmitEvent| {
            e.prevent_default();
            let category_path = input.cast::<HtmlInputElement>().map(|i| i.value()).unwrap_or_default();
            submit(serde_json::to_value(CategoryArgs { category_path }).unwrap_or_default());
        })
    };
    let apply = {
        let (error, notify) = (error.clone(), app.notify.clone());
        Callback::from(move |_| {
            let (error, notify) = (error.clone(), notify.clone());
            yew::platform::spawn_local(async move {
                match call::<RulesApplied>("apply_rules", &NoArgs {}).await {
                    Ok(a) => notify.emit(format!(
                        "Rules re-filed {} transactions and paired {} transfers.",
                        a.changed, a.transfers
                    )),
                    Err(e) => error.set(Some(e)),
                }
            });
        })
    };
    let delete = run("delete_rule");
    let categories = categories.unwrap_or_default();
    html! {
        <>
            <header class="page-head"><h1>{ "Rules & categories" }</h1><div class="grow"></div>
                <button id="apply-rules" class="secondary" onclick={apply}>{ "Run rules on all transactions" }</button></header>
            <ErrorBanner error={load_error.or((*error).clone())} />
            <form class="card inline" onsubmit={add_rule}>
                <label>{ "When the payee contains " }<input id="rule-payee" ref={payee} placeholder="netflix" /></label>
                <label>{ "file it under " }
                    <select id="rule-category" ref={category}>
                        <option value="" selected=true>{ "(leave the category)" }</option>
                        { for categories.iter().map(|c| html! { <option value={c.id.clone()}>{ c.path.replace(':', " › ") }</option> }) }
                    </select>
                </label>
                <label>{ "and call it " }<input ref={rename} placeholder="(keep the name)" /></label>
                <details class="more">
                    <summary>{ "More conditions and actions" }</summary>
                    <label>{ "amount from " }<input id="rule-amount-min" ref={amount_min} inputmode="decimal" placeholder="-1000.00" /></label>
                    <label>{ " to " }<input id="rule-amount-max" ref={amount_max} inputmode="decimal" placeholder="-50.00" /></label>
                    <label>{ "in " }
                        <select id="rule-account" ref={account}>
                            <option value="" selected=true>{ "(any account)" }</option>
                            { for accounts.unwrap_or_default().into_iter().map(|a| html! { <option value={a.id}>{ a.name }</option> }) }
                        </select>
                    </label>
                    <label>{ "tag it " }<input id="rule-tag" ref={tag} placeholder="#work" /></label>
                    <label><input id="rule-transfer" type="checkbox" ref={transfer} />{ " a transfer between my accounts" }</label>
                    <p class="muted small">{ "Money out is negative: \"from -1000 to -50\" is a payment of 50 to 1,000." }</p>
                </details>
                <button id="add-rule" type="submit" class="primary">{ "Add rule" }</button>
            </form>
            <table class="grid" id="rules">
                <thead><tr><th class="num">{ "#" }</th><th>{ "Rule" }</th><th>{ "Made by" }</th><th></th></tr></thead>
                <tbody>
                    { for rules.unwrap_or_default().into_iter().map(|r| {
                        let onclick = { let (delete, id) = (delete.clone(), r.id.clone()); Callback::from(move |_| delete(serde_json::to_value(IdArgs { id: id.clone() }).unwrap_or_default())) };
                        html! {
                            <tr><td class="num">{ r.position }</td><td>{ r.description }</td>
                                <td class="muted">{ if r.origin == "learned" { "learned from you" } else { "you" } }</td>
                                <td><button class="ghost" {onclick}>{ "Delete" }</button></td></tr>
                        }
                    }) }
                </tbody>
            </table>
            <section class="card">
                <h2>{ "Categories" }</h2>
                <form class="inline" onsubmit={add_category}>
                    <input id="new-category" ref={new_category} placeholder="Parent:Child, e.g. Food:Coffee" required=true />
                    <button type="submit" class="secondary">{ "Add category" }</button>
                </form>
                <ul class="categories">
                    { for categories.iter().map(|c| {
                        let depth = c.path.matches(':').count();
                        let name = c.path.rsplit(':').next().unwrap_or_default().to_string();
                        html! { <li class={format!("depth{depth}")}>{ name }<span class="muted small">{ format!(" {}", c.kind) }</span></li> }
                    }) }
                </ul>
            </section>
        </>
    }
}
