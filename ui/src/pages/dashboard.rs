//! The dashboard: this month against last month, where the money went, what is due next.

use credence_ipc::{Budget, Category, IpcError, MonthTotals, NewBudget, Recurring};
use serde::Serialize;
use web_sys::HtmlInputElement;
use yew::prelude::*;

use crate::bridge::{call, NoArgs};
use crate::widgets::{event_value, use_query, ErrorBanner, Money};
use crate::{format, use_app};

#[derive(Serialize, Clone, PartialEq)]
struct Months {
    months: u32,
}

#[function_component]
pub fn Dashboard() -> Html {
    let app = use_app();
    let (months, error) = use_query::<Vec<MonthTotals>, _>("monthly_report", Months { months: 2 }, 0);
    let (recurring, _) = use_query::<Vec<Recurring>, _>("recurring", NoArgs {}, 0);
    let months = months.unwrap_or_default();
    // Per currency; the first currency with activity leads (several currencies are never added together).
    let currency = months.first().map(|m| m.currency.clone()).unwrap_or_else(|| app.settings.currency.clone());
    let (this_month, last_month) = current_and_previous_month();
    let of = |month: &str| months.iter().find(|m| m.currency == currency && m.month == month).cloned();
    let (this, last) = (of(&this_month), of(&last_month));
    let figure = |label: &str, get: fn(&MonthTotals) -> String| {
        let now = this.as_ref().map(get).unwrap_or_else(|| "0".into());
        let before = last.as_ref().map(get);
        html! {
            <div class="card figure">
                <div class="muted small">{ label }</div>
                <div class="big"><Money amount={now} currency={currency.clone()} /></div>
                if let Some(b) = before { <div class="muted small">{ "last month " }<Money amount={b} currency={currency.clone()} /></div> }
            </div>
        }
    };
    let rate = this.as_ref().and_then(|m| m.savings_rate.clone()).map(|r| format!("{r}%")).unwrap_or_else(|| "—".into());
    let spending: Vec<(String, String)> = this.as_ref().map(|m| m.categories.iter().filter(|(_, v)| format::is_negative(v)).take(8).cloned().collect()).unwrap_or_default();
    html! {
        <>
            <header class="page-head"><h1>{ "Dashboard" }</h1>
                <span class="muted">{ format::month(&this_month) }</span></header>
            <ErrorBanner {error} />
            <div class="figures" id="dashboard-figures">
                { figure("Income", |m| m.income.clone()) }
                { figure("Spending", |m| m.expense.clone()) }
                { figure("Net", |m| m.net.clone()) }
                <div class="card figure"><div class="muted small">{ "Savings rate" }</div><div class="big">{ rate }</div></div>
            </div>
            <div class="two">
                <section class="card">
                    <h2>{ "Spending by category" }</h2>
                    if spending.is_empty() { <p class="muted">{ "No spending this month yet." }</p> }
                    <table class="grid compact">
                        { for spending.into_iter().map(|(name, amount)| html! {
                            <tr><td>{ name.replace(':', " › ") }</td><td class="num"><Money amount={amount} currency={currency.clone()} /></td></tr>
                        }) }
                    </table>
                </section>
                <section class="card">
                    <h2>{ "Coming up" }</h2>
                    { match recurring {
                        Some(list) if !list.is_empty() => html! {
                            <table class="grid compact">
                                { for list.into_iter().take(8).map(|r| html! {
                                    <tr><td>{ format::date(&r.next_date, &app.settings.date_format) }</td><td>{ r.payee }
                                        { for r.notes.iter().map(|n| html! { <div class="muted small">{ n }</div> }) }</td>
                                        <td class="muted">{ r.cadence }</td>
                                        <td class="num"><Money amount={r.amount} currency={r.currency} /></td></tr>
                                }) }
                            </table>
                        },
                        _ => html! { <p class="muted">{ "No recurring payments found yet." }</p> },
                    } }
                </section>
            </div>
            <div class="two">
                <Chart kind="monthly" title="Income and spending by month" />
                <Chart kind="net-worth" title="Net worth at each month's end" />
            </div>
            <Budgets currency={currency.clone()} />
        </>
    }
}

#[derive(Serialize, Clone, PartialEq)]
struct ChartArgs {
    kind: String,
    theme: String,
    months: u32,
}

#[derive(Properties, PartialEq)]
struct ChartProps {
    kind: AttrValue,
    title: AttrValue,
}

/// A chart drawn by core as SVG, shown as an image (so nothing in it can run).
#[function_component]
fn Chart(props: &ChartProps) -> Html {
    let app = use_app();
    let theme = crate::effective_theme(&app.settings.theme);
    let args = ChartArgs { kind: props.kind.to_string(), theme: theme.to_string(), months: 12 };
    let (svg, error) = use_query::<String, _>("chart", args, 0);
    html! {
        <section class="card chart">
            <ErrorBanner {error} />
            if let Some(svg) = svg {
                <img src={format!("data:image/svg+xml;charset=utf-8,{}", String::from(js_sys::encode_uri_component(&svg)))} alt={props.title.clone()} />
            }
        </section>
    }
}

#[derive(Properties, PartialEq)]
struct BudgetsProps {
    currency: String,
}

#[derive(Serialize)]
struct SetBudget {
    budget: NewBudget,
}

/// This month's budgets as progress bars, and a form to set one.
#[function_component]
fn Budgets(props: &BudgetsProps) -> Html {
    let reload = use_state(|| 0u32);
    let (budgets, load_error) = use_query::<Vec<Budget>, _>("budgets", NoArgs {}, *reload);
    let (categories, _) = use_query::<Vec<Category>, _>("categories", NoArgs {}, 0);
    let error = use_state(|| None::<IpcError>);
    let category = use_state(String::new);
    let amount = use_node_ref();
    let onsubmit = {
        let (category, amount, error, reload, currency) = (category.clone(), amount.clone(), error.clone(), reload.clone(), props.currency.clone());
        Callback::from(move |e: SubmitEvent| {
            e.prevent_default();
            let budget = NewBudget {
                category_id: (*category).clone(),
                amount: amount.cast::<HtmlInputElement>().map(|i| i.value()).unwrap_or_default(),
                currency: currency.clone(),
            };
            let (error, reload) = (error.clone(), reload.clone());
            yew::platform::spawn_local(async move {
                match call::<()>("set_budget", &SetBudget { budget }).await {
                    Ok(()) => {
                        error.set(None);
                        reload.set(*reload + 1);
                    }
                    Err(e) => error.set(Some(e)),
                }
            });
        })
    };
    let on_category = {
        let category = category.clone();
        Callback::from(move |e: Event| category.set(event_value(&e)))
    };
    let expense_categories: Vec<Category> = categories.unwrap_or_default().into_iter().filter(|c| c.kind == "expense").collect();
    html! {
        <section class="card" id="budgets">
            <h2>{ "Budgets this month" }</h2>
            <ErrorBanner error={load_error.or((*error).clone())} />
            { for budgets.unwrap_or_default().into_iter().map(|b| {
                let over = format::is_negative(&b.remaining);
                // The bar's width is the used share, capped at 100; the figure itself is exact text.
                let width = b.used_percent.split('.').next().and_then(|p| p.parse::<i64>().ok()).unwrap_or(0).clamp(0, 100);
                html! {
                    <div class="budget">
                        <span>{ b.category.replace(':', " › ") }</span>
                        <div class="track"><div class={classes!("fill", over.then_some("over"))} style={format!("width: {width}%")}></div></div>
                        <span class="num"><Money amount={b.spent.clone()} currency={b.currency.clone()} />{ " of " }<Money amount={b.budget.clone()} currency={b.currency.clone()} /></span>
                        <span class={classes!("num", "small", if over { "negative" } else { "muted" })}>
                            { if over { "over by ".to_string() } else { "left ".to_string() } }<Money amount={b.remaining.trim_start_matches('-').to_string()} currency={b.currency} />
                        </span>
                    </div>
                }
            }) }
            <form class="inline" {onsubmit}>
                <select id="budget-category" aria-label="Category" onchange={on_category} required=true>
                    <option value="" selected={category.is_empty()}>{ "Choose a category…" }</option>
                    { for expense_categories.iter().map(|c| html! { <option value={c.id.clone()}>{ c.path.replace(':', " › ") }</option> }) }
                </select>
                <input id="budget-amount" ref={amount} class="num" placeholder="Monthly amount" aria-label="Monthly amount" required=true size="10" />
                <button type="submit" class="secondary" id="set-budget">{ format!("Set budget ({})", props.currency) }</button>
            </form>
        </section>
    }
}

/// ("YYYY-MM" of this month, of the one before) by the local clock.
fn current_and_previous_month() -> (String, String) {
    let now = js_sys::Date::new_0();
    let (year, month) = (now.get_full_year(), now.get_month() + 1);
    let previous = if month == 1 { (year - 1, 12) } else { (year, month - 1) };
    (format!("{year}-{month:02}"), format!("{}-{:02}", previous.0, previous.1))
}
