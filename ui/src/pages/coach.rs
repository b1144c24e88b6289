//! The credit coach: alerts to act on, each card's and loan's statement, payment and streak, and the
//! on-time record of bills. `CoachCard` is its summary on the dashboard. Every sentence and figure
//! comes from core; this page only lays them out.

use credence_api::{Coach, CoachAccount, CoachAlert, OnTimeBills};
use yew::prelude::*;
use yew_router::prelude::*;

use crate::bridge::NoArgs;
use crate::widgets::{use_query, ErrorBanner, Money};
use crate::{format, use_app, Route};

fn alert_title(kind: &str) -> &'static str {
    match kind {
        "payment_missed" => "Payment missed",
        "payment_due" => "Payment due",
        "utilization_high" => "Pay down before closing",
        "late_fee" => "Late fee",
        "interest" => "Interest charged",
        _ => "Alert",
    }
}

#[derive(Properties, PartialEq)]
struct AlertProps {
    alert: CoachAlert,
}

#[function_component]
fn AlertItem(props: &AlertProps) -> Html {
    let a = &props.alert;
    let urgent = matches!(a.kind.as_str(), "payment_missed" | "payment_due");
    let points = a.points.map(|p| if p >= 0 { format!("+{p} points") } else { format!("{p} points") });
    html! {
        <li class={classes!("coach-alert", a.kind.clone(), urgent.then_some("urgent"))} data-kind={a.kind.clone()}>
            <strong>{ alert_title(&a.kind) }</strong>
            if let Some(points) = points { <span class="badge">{ points }</span> }
            <div>{ a.text.clone() }</div>
        </li>
    }
}

/// The dashboard's card: the alerts, or that every card is on track.
#[function_component]
pub fn CoachCard() -> Html {
    let (coach, error) = use_query::<Coach, _>("coach", NoArgs {}, 0);
    let Some(coach) = coach else {
        return html! { <section class="card" id="coach-card"><h2>{ "Credit coach" }</h2><ErrorBanner {error} /></section> };
    };
    html! {
        <section class="card" id="coach-card">
            <h2>{ "Credit coach" }</h2>
            if coach.accounts.is_empty() {
                <p class="muted">{ "Add a credit card or loan to follow its statements and due dates." }</p>
            } else if coach.alerts.is_empty() {
                <p class="muted" id="coach-clear">{ format!("Nothing to act on: {} card(s) and loan(s) on track.", coach.accounts.len()) }</p>
            } else {
                <ul class="coach-alerts">{ for coach.alerts.iter().take(4).map(|a| html! { <AlertItem alert={a.clone()} /> }) }</ul>
            }
            <p class="small"><Link<Route> to={Route::Coach}>{ "Open the coach" }</Link<Route>></p>
        </section>
    }
}

/// The Coach page.
#[function_component]
pub fn CoachPage() -> Html {
    let (coach, error) = use_query::<Coach, _>("coach", NoArgs {}, 0);
    let (bills, bills_error) = use_query::<OnTimeBills, _>("on_time_bills", NoArgs {}, 0);
    let coach = coach.unwrap_or(Coach { as_of: String::new(), accounts: Vec::new(), alerts: Vec::new() });
    html! {
        <>
            <header class="page-head"><h1>{ "Credit coach" }</h1></header>
            <ErrorBanner {error} />
            <section class="card" id="coach-alerts">
                <h2>{ "To act on" }</h2>
                if coach.alerts.is_empty() {
                    <p class="muted">{ "Nothing: no payment due within a week, none missed, no card about to report a high balance." }</p>
                } else {
                    <ul class="coach-alerts">{ for coach.alerts.iter().map(|a| html! { <AlertItem alert={a.clone()} /> }) }</ul>
                }
            </section>
            <section class="card" id="coach-accounts">
                <h2>{ "Cards and loans" }</h2>
                if coach.accounts.is_empty() {
                    <p class="muted">{ "No card or loan accounts yet. Add one on the Accounts page, with its statement and due days." }</p>
                } else {
                    <table class="grid">
                        <thead><tr><th>{ "Account" }</th><th>{ "Statement closes / due" }</th><th>{ "Due" }</th>
                            <th>{ "Paid" }</th><th class="num">{ "On time" }</th><th class="num">{ "Used now → at closing" }</th></tr></thead>
                        <tbody>{ for coach.accounts.iter().map(|a| html! { <AccountRow account={a.clone()} /> }) }</tbody>
                    </table>
                }
            </section>
            <section class="card" id="on-time-bills">
                <h2>{ "Bills paid on time" }</h2>
                <ErrorBanner error={bills_error} />
                if let Some(bills) = bills {
                    if bills.bills.is_empty() {
                        <p class="muted">{ "No rent, utility, phone or streaming payments found running month after month yet." }</p>
                    } else {
                        <BillsTable bills={bills.clone()} />
                    }
                    <p class="muted small">{ bills.note }</p>
                }
            </section>
        </>
    }
}

#[derive(Properties, PartialEq)]
struct AccountProps {
    account: CoachAccount,
}

#[function_component]
fn AccountRow(props: &AccountProps) -> Html {
    let app = use_app();
    let a = &props.account;
    let days = match (a.statement_day, a.due_day) {
        (Some(s), Some(d)) => format!("day {s} / day {d}{}", if a.inferred { " (inferred)" } else { "" }),
        _ => "not known yet".into(),
    };
    let percent = |p: Option<u64>| p.map(|p| format!("{p}%")).unwrap_or_else(|| "—".into());
    let paid = if a.paid { "yes" } else { "no" };
    html! {
        <>
            <tr class="coach-account">
                <td><strong>{ a.account.clone() }</strong></td>
                <td>{ days }</td>
                <td>{ a.due.as_deref().map(|d| format::date(d, &app.settings.date_format)).unwrap_or_default() }</td>
                <td>{ paid }</td>
                <td class="num">{ format!("{} month(s)", a.streak_months) }</td>
                <td class="num">{ format!("{} → {}", percent(a.utilization_now), percent(a.utilization_at_closing)) }</td>
            </tr>
            <tr class="sub"><td colspan="6" class="muted small">{ a.summary.clone() }</td></tr>
        </>
    }
}

#[derive(Properties, PartialEq)]
struct BillsProps {
    bills: OnTimeBills,
}

#[function_component]
fn BillsTable(props: &BillsProps) -> Html {
    let app = use_app();
    html! {
        <table class="grid compact">
            <thead><tr><th>{ "Kind" }</th><th>{ "Payee" }</th><th class="num">{ "Amount" }</th>
                <th class="num">{ "In a row" }</th><th>{ "Since" }</th></tr></thead>
            <tbody>
                { for props.bills.bills.iter().map(|b| html! {
                    <tr>
                        <td>{ b.kind.clone() }</td>
                        <td>{ b.payee.clone() }<div class="muted small">{ b.account.clone() }</div></td>
                        <td class="num"><Money value={b.amount.clone()} /></td>
                        <td class="num">{ format!("{} {}", b.streak, b.cadence) }
                            if b.overdue { <div class="negative small">{ "next one overdue" }</div> }</td>
                        <td>{ format::date(&b.since, &app.settings.date_format) }</td>
                    </tr>
                }) }
            </tbody>
        </table>
    }
}
