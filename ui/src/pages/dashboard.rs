//! The dashboard: this month against last month, where the money went, net worth and card
//! utilization, what is due next, budgets and charts.

use credence_api::{
    ApiError, Budget, Category, Dashboard as DashboardData, Money as MoneyValue, NetWorthPoint, NewBudget, Recurring,
    UtilizationPoint,
};
use serde::Serialize;
use web_sys::HtmlInputElement;
use yew::prelude::*;

use crate::bridge::{call, NoArgs};
use crate::widgets::{event_value, use_query, ErrorBanner, Money};
use crate::{format, use_app};

#[function_component]
pub fn Dashboard() -> Html {
    let app = use_app();
    let (dashboard, error) = use_query::<DashboardData, _>("dashboard", NoArgs {}, 0);
    let (recurring, _) = use_query::<Vec<Recurring>, _>("recurring", NoArgs {}, 0);
    let d = dashboard.unwrap_or_default();
    let currency = if d.currency.is_empty() { app.settings.currency.clone() } else { d.currency.clone() };
    let figure = |label: &str, now: &MoneyValue, before: &MoneyValue, change: Option<&String>| {
        html! {
            <div class="card figure">
                <div class="muted small">{ label }</div>
                <div class="big"><Money value={now.clone()} /></div>
                <div class="muted small">{ "last month " }<Money value={before.clone()} />
                    if let Some(c) = change { { " · " }{ format::signed_percent(c) } }</div>
            </div>
        }
    };
    let rate = d.this_month.savings_rate.clone().map(|r| format!("{r}%")).unwrap_or_else(|| "—".into());
    let last_rate = d.last_month.savings_rate.clone().map(|r| format!("{r}%")).unwrap_or_else(|| "—".into());
    let month = if d.month.is_empty() { current_month() } else { d.month.clone() };
    html! {
        <>
            <header class="page-head"><h1>{ "Dashboard" }</h1>
                <span class="muted">{ format::month(&month) }</span></header>
            <ErrorBanner {error} />
            if !d.left_out.is_empty() {
                <p class="muted small" id="left-out">{ format!("Not in these figures: money in {} (no exchange rate to {currency}).", d.left_out.join(", ")) }</p>
            }
            <div class="figures" id="dashboard-figures">
                { figure("Income", &d.this_month.income, &d.last_month.income, d.income_change.as_ref()) }
                { figure("Spending", &d.this_month.expense, &d.last_month.expense, d.spending_change.as_ref()) }
                { figure("Net", &d.this_month.net, &d.last_month.net, None) }
                <div class="card figure"><div class="muted small">{ "Savings rate" }</div><div class="big">{ rate }</div>
                    <div class="muted small">{ format!("last month {last_rate}") }</div></div>
            </div>
            <div class="figures" id="balance-figures">
                <NetWorthFigure points={d.net_worth.clone()} currency={currency.clone()} />
                <UtilizationFigure points={d.utilization.clone()} />
            </div>
            <crate::pages::coach::CoachCard />
            <div class="two">
                <section class="card" id="spending-by-category">
                    <h2>{ "Spending by category" }</h2>
                    if d.spending.is_empty() { <p class="muted">{ "No spending this month yet." }</p> }
                    <table class="grid compact">
                        { for d.spending.iter().take(10).map(|s| html! {
                            <>
                                <tr><td><strong>{ s.category.clone() }</strong></td><td class="num muted small">{ format!("{}%", s.share) }</td>
                                    <td class="num"><Money value={s.amount.clone()} /></td></tr>
                                { for s.parts.iter().filter(|p| p.name != s.category || s.parts.len() > 1).map(|p| html! {
                                    <tr class="sub"><td>{ p.name.replace(':', " › ") }</td><td></td>
                                        <td class="num muted"><Money value={p.amount.clone()} /></td></tr>
                                }) }
                            </>
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
                                        <td class="num"><Money value={r.amount} /></td></tr>
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
            <div class="two">
                <Chart kind="utilization" title="Credit utilization at each month's end" />
                <Chart kind="score" title="Credit score over time" />
            </div>
            <Budgets currency={currency.clone()} />
        </>
    }
}

#[derive(Properties, PartialEq)]
struct NetWorthProps {
    points: Vec<NetWorthPoint>,
    currency: String,
}

/// Net worth now, with what it was a year ago and what makes it up.
#[function_component]
fn NetWorthFigure(props: &NetWorthProps) -> Html {
    let Some(now) = props.points.last() else { return html! {} };
    let year_ago = props.points.first().filter(|p| p.month != now.month);
    html! {
        <div class="card figure wide" id="net-worth">
            <div class="muted small">{ "Net worth" }</div>
            <div class="big"><Money value={now.net.clone()} /></div>
            <div class="muted small">{ "assets " }<Money value={now.assets.clone()} />
                { " · owed " }<Money value={now.debts.clone()} />
                if let Some(y) = year_ago { { format!(" · {} ", format::month(&y.month)) }<Money value={y.net.clone()} /> }
            </div>
        </div>
    }
}

#[derive(Properties, PartialEq)]
struct UtilizationProps {
    points: Vec<UtilizationPoint>,
}

/// All cards' utilization now against the 30% and 10% marks, and each card's.
#[function_component]
fn UtilizationFigure(props: &UtilizationProps) -> Html {
    let Some(now) = props.points.last() else { return html! {} };
    let Some(overall) = now.overall.clone() else {
        return html! { <div class="card figure wide"><div class="muted small">{ "Card utilization" }</div><div class="big">{ "—" }</div>
        <div class="muted small">{ "Add a credit limit to a card to see it." }</div></div> };
    };
    let advice = now.advice.clone().unwrap_or_default();
    html! {
        <div class="card figure wide" id="utilization">
            <div class="muted small">{ "Card utilization" }</div>
            <div class={classes!("big", now.high.then_some("negative"))}>{ format!("{overall}%") }</div>
            <div class="muted small">{ advice }{ for now.cards.iter().map(|c| html! { { format!(" · {} {}%", c.card, c.percent) } }) }</div>
        </div>
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
                <img src={format::svg_data_uri(&svg)} alt={props.title.clone()} />
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
    let error = use_state(|| None::<ApiError>);
    let category = use_state(String::new);
    let amount = use_node_ref();
    let onsubmit = {
        let (category, amount, error, reload, currency) =
            (category.clone(), amount.clone(), error.clone(), reload.clone(), props.currency.clone());
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
    let expense_categories: Vec<Category> =
        categories.unwrap_or_default().into_iter().filter(|c| c.kind == "expense").collect();
    html! {
        <section class="card" id="budgets">
            <h2>{ "Budgets this month" }</h2>
            <ErrorBanner error={load_error.or((*error).clone())} />
            { for budgets.unwrap_or_default().into_iter().map(|b| {
                let over = format::is_negative(&b.remaining.amount);
                // The bar's width is the used share, capped at 100; the figure itself is exact text.
                let width = b.bar_percent;
                html! {
                    <div class="budget">
                        <span>{ b.category.replace(':', " › ") }</span>
                        <div class="track"><div class={classes!("fill", over.then_some("over"))} style={format!("width: {width}%")}></div></div>
                        <span class="num"><Money value={b.spent.clone()} />{ " of " }<Money value={b.budget.clone()} /></span>
                        <span class={classes!("num", "small", if over { "negative" } else { "muted" })}>
                            { if over { "over by ".to_string() } else { "left ".to_string() } }<Money value={b.left_or_over} />
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

/// "YYYY-MM" of this month by the local clock (until the dashboard answers).
fn current_month() -> String {
    let now = js_sys::Date::new_0();
    format!("{}-{:02}", now.get_full_year(), now.get_month() + 1)
}
