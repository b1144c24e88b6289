//! Reports: one set of filters (dates, account, category, payee, tag, text; all history by default)
//! drives a trend (chart and table, with moving average and changes) and a custom report (totals per
//! period × group, exported as CSV); filters can be saved under a name and loaded again.

use credence_api::{Account, ApiError, Category, ReportRequest, ReportRow, SavedReport, Trend};
use serde::Serialize;
use web_sys::HtmlInputElement;
use yew::prelude::*;

use crate::bridge::{call, NoArgs};
use crate::widgets::{event_value, use_query, ErrorBanner, Money};
use crate::{effective_theme, format, use_app};

#[derive(Serialize, Clone, PartialEq)]
struct RequestArgs {
    request: ReportRequest,
}

#[derive(Serialize, Clone, PartialEq)]
struct TrendArgs {
    request: ReportRequest,
    measure: String,
    window: usize,
    theme: String,
}

#[derive(Serialize)]
struct SaveArgs {
    name: String,
    request: ReportRequest,
}

#[derive(Serialize)]
struct NameArgs {
    name: String,
}

/// Updates one field of the request from an input or select.
fn on_field(request: &UseStateHandle<ReportRequest>, set: fn(&mut ReportRequest, String)) -> Callback<Event> {
    let request = request.clone();
    Callback::from(move |e: Event| {
        let mut next = (*request).clone();
        set(&mut next, event_value(&e));
        request.set(next);
    })
}

fn optional(text: String) -> Option<String> {
    Some(text).filter(|t| !t.trim().is_empty())
}

fn listed(text: String) -> Vec<String> {
    optional(text).into_iter().collect()
}

#[function_component]
pub fn Reports() -> Html {
    let app = use_app();
    let request = use_state(ReportRequest::default);
    let measure = use_state(|| "spending".to_string());
    let reload_saved = use_state(|| 0u32);
    let (accounts, _) = use_query::<Vec<Account>, _>("accounts", NoArgs {}, 0);
    let (categories, _) = use_query::<Vec<Category>, _>("categories", NoArgs {}, 0);
    let (saved, _) = use_query::<Vec<SavedReport>, _>("saved_reports", NoArgs {}, *reload_saved);
    let theme = effective_theme(&app.settings.theme).to_string();
    let trend_request = ReportRequest {
        period: if request.period == "all" { "month".into() } else { request.period.clone() },
        ..(*request).clone()
    };
    let (trends, trend_error) = use_query::<Vec<Trend>, _>(
        "trend",
        TrendArgs { request: trend_request, measure: (*measure).clone(), window: 3, theme },
        0,
    );
    let (rows, rows_error) =
        use_query::<Vec<ReportRow>, _>("custom_report", RequestArgs { request: (*request).clone() }, 0);
    let error = use_state(|| None::<ApiError>);
    let save_name = use_node_ref();

    let save = {
        let (request, save_name, error, reload_saved, notify) =
            (request.clone(), save_name.clone(), error.clone(), reload_saved.clone(), app.notify.clone());
        Callback::from(move |e: SubmitEvent| {
            e.prevent_default();
            let name = save_name.cast::<HtmlInputElement>().map(|i| i.value()).unwrap_or_default();
            let args = SaveArgs { name: name.clone(), request: (*request).clone() };
            let (error, reload_saved, notify) = (error.clone(), reload_saved.clone(), notify.clone());
            yew::platform::spawn_local(async move {
                match call::<()>("save_report", &args).await {
                    Ok(()) => {
                        error.set(None);
                        reload_saved.set(*reload_saved + 1);
                        notify.emit(format!("Saved the report \u{201c}{}\u{201d}.", name.trim()));
                    }
                    Err(e) => error.set(Some(e)),
                }
            });
        })
    };
    let export = {
        let (request, error, notify) = (request.clone(), error.clone(), app.notify.clone());
        Callback::from(move |_| {
            let args = RequestArgs { request: (*request).clone() };
            let (error, notify) = (error.clone(), notify.clone());
            yew::platform::spawn_local(async move {
                match call::<Option<String>>("export_report", &args).await {
                    Ok(Some(path)) => notify.emit(format!("Wrote {path}.")),
                    Ok(None) => {}
                    Err(e) => error.set(Some(e)),
                }
            });
        })
    };
    let delete = {
        let (error, reload_saved) = (error.clone(), reload_saved.clone());
        move |name: String| {
            let (error, reload_saved) = (error.clone(), reload_saved.clone());
            Callback::from(move |_| {
                let (error, reload_saved, args) =
                    (error.clone(), reload_saved.clone(), NameArgs { name: name.clone() });
                yew::platform::spawn_local(async move {
                    match call::<()>("delete_saved_report", &args).await {
                        Ok(()) => reload_saved.set(*reload_saved + 1),
                        Err(e) => error.set(Some(e)),
                    }
                });
            })
        }
    };
    let load = |saved: ReportRequest| {
        let request = request.clone();
        Callback::from(move |_| request.set(saved.clone()))
    };
    let on_measure = {
        let measure = measure.clone();
        Callback::from(move |e: Event| measure.set(event_value(&e)))
    };
    let r = (*request).clone();
    let first = |ids: &[String]| ids.first().cloned().unwrap_or_default();
    html! {
        <>
            <header class="page-head"><h1>{ "Reports" }</h1></header>
            <ErrorBanner error={(*error).clone()} />
            <section class="card" id="report-filters">
                <div class="inline">
                    <label>{ "From " }<input type="date" id="report-from" value={r.from.clone().unwrap_or_default()} onchange={on_field(&request, |r, v| r.from = optional(v))} /></label>
                    <label>{ "To " }<input type="date" id="report-to" value={r.to.clone().unwrap_or_default()} onchange={on_field(&request, |r, v| r.to = optional(v))} /></label>
                    <select id="report-account" aria-label="Account" onchange={on_field(&request, |r, v| r.account_ids = listed(v))}>
                        <option value="" selected={r.account_ids.is_empty()}>{ "All accounts" }</option>
                        { for accounts.unwrap_or_default().into_iter().map(|a| html! {
                            <option value={a.id.clone()} selected={first(&r.account_ids) == a.id}>{ a.name }</option>
                        }) }
                    </select>
                    <select id="report-category" aria-label="Category" onchange={on_field(&request, |r, v| r.category_ids = listed(v))}>
                        <option value="" selected={r.category_ids.is_empty()}>{ "All categories" }</option>
                        { for categories.unwrap_or_default().into_iter().map(|c| html! {
                            <option value={c.id.clone()} selected={first(&r.category_ids) == c.id}>{ c.path.replace(':', " › ") }</option>
                        }) }
                    </select>
                    <input id="report-payee" placeholder="Payee" aria-label="Payee" size="12" value={first(&r.payees)} onchange={on_field(&request, |r, v| r.payees = listed(v))} />
                    <input id="report-tag" placeholder="Tag" aria-label="Tag" size="8" value={first(&r.tags)} onchange={on_field(&request, |r, v| r.tags = listed(v))} />
                    <input id="report-text" placeholder="Text in payee or memo" aria-label="Text" size="16" value={r.text.clone().unwrap_or_default()} onchange={on_field(&request, |r, v| r.text = optional(v))} />
                </div>
                <div class="inline" style="margin-top: 10px">
                    <label>{ "Per " }<select id="report-period" onchange={on_field(&request, |r, v| r.period = v)}>
                        { for ["week", "month", "quarter", "year", "all"].map(|p| html! { <option value={p} selected={r.period == p}>{ p }</option> }) }
                    </select></label>
                    <label>{ "Group by " }<select id="report-group" onchange={on_field(&request, |r, v| r.group = v)}>
                        { for ["category", "payee", "account", "none"].map(|g| html! { <option value={g} selected={r.group == g}>{ g }</option> }) }
                    </select></label>
                    <label>{ "Trend of " }<select id="trend-measure" onchange={on_measure}>
                        { for ["spending", "income", "net"].map(|m| html! { <option value={m} selected={*measure == m}>{ m }</option> }) }
                    </select></label>
                    <span class="grow"></span>
                    <button class="secondary" id="export-report" onclick={export}>{ "Export CSV…" }</button>
                </div>
            </section>
            <TrendView trends={trends.unwrap_or_default()} error={trend_error} />
            <section class="card" id="report-table">
                <h2>{ "Totals" }</h2>
                <ErrorBanner error={rows_error} />
                <ReportTable rows={rows.unwrap_or_default()} />
            </section>
            <section class="card" id="saved-reports">
                <h2>{ "Saved reports" }</h2>
                <form class="inline" onsubmit={save}>
                    <input id="save-name" ref={save_name} placeholder="Name these filters" aria-label="Report name" required=true />
                    <button type="submit" class="secondary" id="save-report">{ "Save" }</button>
                </form>
                <ul class="plain">
                    { for saved.unwrap_or_default().into_iter().map(|s| html! {
                        <li class="inline">
                            <button class="ghost saved-report" onclick={load(s.request.clone())}>{ s.name.clone() }</button>
                            <span class="muted small">{ format!("per {}, by {}", s.request.period, s.request.group) }</span>
                            <button class="ghost small" aria-label={format!("Delete {}", s.name)} onclick={delete(s.name.clone())}>{ "Delete" }</button>
                        </li>
                    }) }
                </ul>
            </section>
        </>
    }
}

#[derive(Properties, PartialEq)]
struct TrendProps {
    trends: Vec<Trend>,
    error: Option<ApiError>,
}

/// Each currency's trend: the chart core drew, and the last periods with their changes.
#[function_component]
fn TrendView(props: &TrendProps) -> Html {
    html! {
        <section class="card chart" id="trend">
            <ErrorBanner error={props.error.clone()} />
            if props.trends.is_empty() && props.error.is_none() { <p class="muted">{ "Nothing matches these filters yet." }</p> }
            { for props.trends.iter().map(|t| html! {
                <>
                    if let Some(chart) = &t.chart { <img src={crate::format::svg_data_uri(chart)} alt={format!("Trend in {}", t.currency)} /> }
                    if !t.converted_from.is_empty() { <p class="muted small">{ format!("Includes {} at your exchange rates.", t.converted_from.join(", ")) }</p> }
                    <table class="grid compact">
                        <thead><tr><th>{ "Period" }</th><th class="num">{ "Amount" }</th><th class="num">{ format!("{}-period average", t.window) }</th>
                            <th class="num">{ "vs previous" }</th><th class="num">{ "vs a year before" }</th></tr></thead>
                        <tbody>
                            { for t.points.iter().rev().take(6).map(|p| html! {
                                <tr><td>{ p.period.clone() }</td>
                                    <td class="num"><Money value={p.value.clone()} /></td>
                                    <td class="num">{ p.moving_average.as_ref().map(|a| a.display.clone()).unwrap_or_default() }</td>
                                    <td class="num">{ p.change_percent.as_deref().map(format::signed_percent).unwrap_or_else(|| "—".into()) }</td>
                                    <td class="num">{ p.year_change_percent.as_deref().map(format::signed_percent).unwrap_or_else(|| "—".into()) }</td></tr>
                            }) }
                        </tbody>
                    </table>
                </>
            }) }
        </section>
    }
}

/// Rows the table renders at most.
const MAX_ROWS_SHOWN: usize = 500;

#[derive(Properties, PartialEq)]
pub struct ReportTableProps {
    pub rows: Vec<ReportRow>,
}

/// A custom report's cells: period, group, money in and out, total, count, average.
#[function_component]
pub fn ReportTable(props: &ReportTableProps) -> Html {
    if props.rows.is_empty() {
        return html! { <p class="muted">{ "No transactions match these filters." }</p> };
    }
    // Newest periods first (labels sort as text), groups in core's order; a long report is for the
    // CSV export.
    let mut newest_first: Vec<&ReportRow> = props.rows.iter().collect();
    newest_first.sort_by(|a, b| b.period.cmp(&a.period));
    let shown = newest_first.into_iter().take(MAX_ROWS_SHOWN);
    html! {
        <>
        if props.rows.len() > MAX_ROWS_SHOWN {
            <p class="muted small">{ format!("The newest {MAX_ROWS_SHOWN} of {} rows; export CSV for all of them.", format::count(props.rows.len() as u64)) }</p>
        }
        <table class="grid compact">
            <thead><tr><th>{ "Period" }</th><th>{ "Group" }</th><th class="num">{ "In" }</th><th class="num">{ "Out" }</th>
                <th class="num">{ "Total" }</th><th class="num">{ "Count" }</th><th class="num">{ "Average" }</th></tr></thead>
            <tbody>
                { for shown.map(|r| html! {
                    <tr><td>{ r.period.clone() }</td><td>{ r.group.replace(':', " › ") }</td>
                        <td class="num"><Money value={r.income.clone()} /></td>
                        <td class="num"><Money value={r.expense.clone()} /></td>
                        <td class="num"><Money value={r.total.clone()} /></td>
                        <td class="num">{ format::count(r.count) }</td>
                        <td class="num"><Money value={r.average.clone()} /></td></tr>
                }) }
            </tbody>
        </table>
        </>
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use credence_api::Money;

    #[tokio::test]
    async fn a_report_table_shows_each_cell_as_money() {
        let rows = vec![ReportRow {
            period: "2026-Q1".into(),
            start: "2026-01-01".into(),
            group: "Food:Groceries".into(),
            currency: "USD".into(),
            income: Money { amount: "20.00".into(), currency: "USD".into(), display: "$20.00".into() },
            expense: Money { amount: "-1234.50".into(), currency: "USD".into(), display: "−$1,234.50".into() },
            total: Money { amount: "-1214.50".into(), currency: "USD".into(), display: "−$1,214.50".into() },
            count: 12,
            average: Money { amount: "-101.2083".into(), currency: "USD".into(), display: "−$101.21".into() },
        }];
        let html = yew::LocalServerRenderer::<ReportTable>::with_props(ReportTableProps { rows }).render().await;
        assert!(html.contains("Food › Groceries") && html.contains("−$1,214.50") && html.contains("2026-Q1"), "{html}");
        assert!(
            html.contains("−$101.21") && html.contains("class=\"money negative\""),
            "core's text, coloured by the amount's sign: {html}"
        );
        let empty =
            yew::LocalServerRenderer::<ReportTable>::with_props(ReportTableProps { rows: Vec::new() }).render().await;
        assert!(empty.contains("No transactions match"));
    }
}
