//! The credit-score page: the estimate, where its points come from, and what holds it back; keeping a
//! credit report file in the vault; and the what-if simulator (changes are read and scored by core).

use credence_ipc::{CreditCounts, Score, ScoreChange, ScoreSimulation};
use serde::Serialize;
use yew::prelude::*;

use crate::bridge::{call, NoArgs};
use crate::widgets::{event_value, pick_file_into, use_query, ErrorBanner};

#[derive(Serialize)]
struct PathArgs {
    path: String,
}

#[derive(Serialize)]
struct SimulateArgs {
    changes: Vec<ScoreChange>,
}

/// The what-if changes the simulator offers: (kind, label, example value).
const CHANGES: &[(&str, &str, &str)] = &[
    ("pay", "Pay a card down to a balance", "card-1:250.00"),
    ("pay-all-cards", "Pay every card down to a % of its limit", "10"),
    ("raise-limit", "Raise a card's limit to", "card-1:8000"),
    ("open-card", "Open a new card with a limit of", "5000"),
    ("rate-shop", "Shop for a loan (kind:pulls:days)", "auto:3:14"),
    ("close", "Close an account", "card-2"),
    ("miss-payment", "Miss a payment (account[:30|60|90|120])", "card-1:30"),
    ("pay-collection", "Pay a collection (number, from 1)", "1"),
    ("pay-off", "Pay a loan off", "auto-1"),
    ("wait", "Let months pass", "12"),
];

#[function_component]
pub fn ScorePage() -> Html {
    let reload = use_state(|| 0u32);
    let (score, error) = use_query::<Score, _>("score", NoArgs {}, *reload);
    let body = match score {
        None => html! { <p class="muted">{ "Working out your score…" }</p> },
        Some(s) if s.score.is_none() => html! { <NoScore score={s} on_imported={{ let reload = reload.clone(); Callback::from(move |_| reload.set(*reload + 1)) }} /> },
        Some(s) => html! {
            <>
                <div class="card score-hero" id="score">
                    <div class="score-number">{ s.score.map(|n| n.to_string()).unwrap_or_default() }</div>
                    <div><div class="band">{ s.band.clone().unwrap_or_default() }</div>
                        <div class="muted small">{ format!("Estimated {} · model {}", s.as_of, s.model) }</div></div>
                </div>
                <section class="card">
                    <h2>{ "Where the points come from" }</h2>
                    { for s.factors.iter().map(|f| {
                        let width = (f.points.max(0) as u32 * 100).checked_div(f.max_points).unwrap_or(0);
                        html! {
                            <div class="factor">
                                <span>{ f.name.clone() }</span>
                                <div class="track"><div class="fill" style={format!("width: {width}%")}></div></div>
                                <span class="num">{ format!("{} / {}", f.points, f.max_points) }</span>
                            </div>
                        }
                    }) }
                </section>
                <section class="card">
                    <h2>{ "What holds it back" }</h2>
                    if s.reasons.is_empty() { <p class="muted">{ "Nothing notable." }</p> }
                    <ol class="reasons">
                        { for s.reasons.iter().map(|r| html! { <li><strong>{ r.text.clone() }</strong>{ format!(" — {} (about {} points)", r.detail, r.points_lost) }</li> }) }
                    </ol>
                    if !s.positives.is_empty() {
                        <h3>{ "Working for you" }</h3>
                        <ul>{ for s.positives.iter().map(|p| html! { <li>{ p }</li> }) }</ul>
                    }
                </section>
                <Simulator />
            </>
        },
    };
    html! {
        <>
            <header class="page-head"><h1>{ "Credit score" }</h1></header>
            <ErrorBanner {error} />
            { body }
        </>
    }
}

#[derive(Properties, PartialEq)]
struct NoScoreProps {
    score: Score,
    on_imported: Callback<()>,
}

/// No credit report yet: keep one from a file (the JSON exchange format, docs/scoring.md).
#[function_component]
fn NoScore(props: &NoScoreProps) -> Html {
    let path = use_state(String::new);
    let error = use_state(|| None);
    let pick = pick_file_into(&path, false);
    let keep = {
        let (path, error, done) = (path.clone(), error.clone(), props.on_imported.clone());
        Callback::from(move |e: SubmitEvent| {
            e.prevent_default();
            let (args, error, done) = (PathArgs { path: (*path).clone() }, error.clone(), done.clone());
            yew::platform::spawn_local(async move {
                match call::<CreditCounts>("import_credit_report", &args).await {
                    Ok(_) => done.emit(()),
                    Err(e) => error.set(Some(e)),
                }
            });
        })
    };
    let set_path = {
        let path = path.clone();
        Callback::from(move |e: Event| path.set(event_value(&e)))
    };
    html! {
        <form class="card wizard" id="score-empty" onsubmit={keep}>
            <h2>{ "No score yet" }</h2>
            <p>{ "Credence estimates your score from your credit report, which stays in this vault. Keep a report file here (the credit-profile JSON, described in docs/scoring.md):" }</p>
            <div class="inline">
                <input id="credit-path" class="grow" value={(*path).clone()} onchange={set_path} placeholder="/home/you/credit-report.json" />
                <button type="button" class="secondary" onclick={pick}>{ "Choose file…" }</button>
            </div>
            <ErrorBanner error={(*error).clone()} id="credit-error" />
            <div class="actions"><button id="import-credit" type="submit" class="primary" disabled={path.trim().is_empty()}>{ "Keep this report" }</button></div>
            { for props.score.not_scorable.iter().map(|why| html! { <p class="muted small">{ why }</p> }) }
        </form>
    }
}

/// What if…: changes applied in core's one order and scored there; this shows what core returns.
#[function_component]
fn Simulator() -> Html {
    let changes = use_state(Vec::<ScoreChange>::new);
    let kind = use_state(|| CHANGES[0].0.to_string());
    let value = use_state(String::new);
    let result = use_state(|| None::<ScoreSimulation>);
    let error = use_state(|| None);
    {
        let (result, error) = (result.clone(), error.clone());
        use_effect_with((*changes).clone(), move |changes| {
            let args = SimulateArgs { changes: changes.clone() };
            if args.changes.is_empty() {
                result.set(None);
            } else {
                yew::platform::spawn_local(async move {
                    match call::<ScoreSimulation>("simulate_score", &args).await {
                        Ok(sim) => {
                            error.set(None);
                            result.set(Some(sim));
                        }
                        Err(e) => error.set(Some(e)),
                    }
                });
            }
        });
    }
    let add = {
        let (changes, kind, value) = (changes.clone(), kind.clone(), value.clone());
        Callback::from(move |e: SubmitEvent| {
            e.prevent_default();
            let mut list = (*changes).clone();
            list.push(ScoreChange { kind: (*kind).clone(), value: (*value).clone() });
            changes.set(list);
            value.set(String::new());
        })
    };
    let remove = |i: usize| {
        let changes = changes.clone();
        Callback::from(move |_: MouseEvent| {
            let mut list = (*changes).clone();
            list.remove(i);
            changes.set(list);
        })
    };
    let example = CHANGES.iter().find(|(k, _, _)| *k == *kind).map_or("", |(_, _, e)| *e);
    let label = |k: &str| CHANGES.iter().find(|(c, _, _)| *c == k).map_or(k.to_string(), |(_, l, _)| l.to_string());
    html! {
        <section class="card" id="what-if">
            <h2>{ "What if…" }</h2>
            <form class="inline" onsubmit={add}>
                <select id="whatif-kind" onchange={{ let kind = kind.clone(); Callback::from(move |e: Event| kind.set(event_value(&e))) }}>
                    { for CHANGES.iter().map(|(k, l, _)| html! { <option value={*k} selected={*kind == *k}>{ *l }</option> }) }
                </select>
                <input id="whatif-value" class="grow" value={(*value).clone()} placeholder={example}
                    onchange={{ let value = value.clone(); Callback::from(move |e: Event| value.set(event_value(&e))) }} />
                <button id="whatif-add" type="submit" class="secondary" disabled={value.trim().is_empty()}>{ "Add" }</button>
            </form>
            <ul class="whatif-changes">
                { for changes.iter().enumerate().map(|(i, c)| html! {
                    <li>{ format!("{}: {} ", label(&c.kind), c.value) }<button class="ghost" onclick={remove(i)}>{ "Remove" }</button></li>
                }) }
            </ul>
            <ErrorBanner error={(*error).clone()} id="whatif-error" />
            if let Some(sim) = (*result).clone() { <SimulationResult {sim} /> }
        </section>
    }
}

#[derive(Properties, PartialEq)]
pub struct SimulationProps {
    pub sim: ScoreSimulation,
}

/// The estimate before and after, and the categories that moved, as core computed them.
#[function_component]
pub fn SimulationResult(props: &SimulationProps) -> Html {
    let sim = &props.sim;
    let show = |s: Option<u16>| s.map_or("not scorable".to_string(), |n| n.to_string());
    let delta = sim.delta.map_or(String::new(), |d| format!(" ({d:+})"));
    html! {
        <div id="whatif-result">
            <p class="big"><strong>{ format!("{} → {}{delta}", show(sim.before.score), show(sim.after.score)) }</strong>
                <span class="muted small">{ format!(" as of {}", sim.after.as_of) }</span></p>
            <ul>{ for sim.moved.iter().map(|(name, before, after)| html! { <li>{ format!("{name}: {before} → {after}") }</li> }) }</ul>
        </div>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn score(n: u16) -> Score {
        Score {
            score: Some(n),
            band: Some("Good".into()),
            as_of: "2026-12-02".into(),
            model: "2026.1".into(),
            factors: Vec::new(),
            reasons: Vec::new(),
            positives: Vec::new(),
            not_scorable: Vec::new(),
        }
    }

    #[tokio::test]
    async fn a_simulation_shows_both_scores_the_change_and_what_moved() {
        let sim = ScoreSimulation { before: score(742), after: score(761), delta: Some(19), moved: vec![("amounts owed".into(), 80, 99)] };
        let html = yew::LocalServerRenderer::<SimulationResult>::with_props(SimulationProps { sim }).render().await;
        assert!(html.contains("742 → 761 (+19)") && html.contains("amounts owed: 80 → 99"), "{html}");
    }
}
