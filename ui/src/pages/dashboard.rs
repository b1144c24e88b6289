//! The dashboard: this month against last month, where the money went, what is due next.

use credence_ipc::{MonthTotals, Recurring};
use serde::Serialize;
use yew::prelude::*;

use crate::bridge::NoArgs;
use crate::widgets::{use_query, ErrorBanner, Money};
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
        </>
    }
}

/// ("YYYY-MM" of this month, of the one before) by the local clock.
fn current_and_previous_month() -> (String, String) {
    let now = js_sys::Date::new_0();
    let (year, month) = (now.get_full_year(), now.get_month() + 1);
    let previous = if month == 1 { (year - 1, 12) } else { (year, month - 1) };
    (format!("{year}-{month:02}"), format!("{}-{:02}", previous.0, previous.1))
}
