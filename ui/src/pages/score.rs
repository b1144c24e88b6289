//! The credit-score page: the estimate in the chosen flavour with its calibration to the scores the
//! user saw, where its points come from and what holds it back; the what-if simulator, the plan to a
//! target, history and projection, flavours compared, and the credit file itself. Core computes every
//! figure and sentence; this page lays them out.

use credence_api::{
    CardUse, CreditFile, Score, ScoreChange, ScoreComparison, ScorePlan, ScoreSimulation, ScoreTimeline, FLAVOURS,
};
use serde::Serialize;
use yew::prelude::*;

use crate::bridge::{call, NoArgs};
use crate::pages::credit_file::{keep_report_file, CreditFileEditor};
use crate::pages::first_score::FirstScoreWizard;
use crate::use_app;
use crate::widgets::{event_value, use_query, ErrorBanner};

#[derive(Serialize, Clone, PartialEq)]
struct FlavourArgs {
    flavour: String,
}

#[derive(Serialize)]
struct SimulateArgs {
    changes: Vec<ScoreChange>,
    flavour: String,
}

/// The what-if changes the simulator offers: (kind, label, example value).
const CHANGES: &[(&str, &str, &str)] = &[
    ("pay", "Pay a card down to a balance (or a % of its limit)", "card-1:250.00"),
    ("pay-all-cards", "Pay every card down to a % of its limit", "10"),
    ("raise-limit", "Raise a card's limit to", "card-1:8000"),
    ("open-card", "Open a new card with a limit of", "5000"),
    ("inquiry", "Apply for credit (a hard inquiry: card, auto, mortgage, student, other)", "card"),
    ("rate-shop", "Shop for a loan (kind:pulls:days)", "auto:3:14"),
    ("close", "Close an account", "card-2"),
    ("miss-payment", "Miss a payment (account[:30|60|90|120])", "card-1:30"),
    ("pay-collection", "Pay a collection (number, from 1)", "1"),
    ("remove-collection", "A collection removed from the report (number, from 1)", "1"),
    ("pay-off", "Pay a loan off", "auto-1"),
    ("wait", "Let months pass", "12"),
];

const TABS: &[(&str, &str)] = &[
    ("overview", "Overview"),
    ("what-if", "What if"),
    ("plan", "Plan"),
    ("history", "History"),
    ("compare", "Compare"),
    ("file", "Credit file"),
];

fn flavour_label(flavour: &str) -> &str {
    FLAVOURS.iter().find(|(f, _)| *f == flavour).map_or(flavour, |(_, l)| l)
}

#[function_component]
pub fn ScorePage() -> Html {
    let reload = use_state(|| 0u32);
    let flavour = use_state(|| "fico8".to_string());
    let tab = use_state(|| "overview".to_string());
    let (score, error) = use_query::<Score, _>("score", FlavourArgs { flavour: (*flavour).clone() }, *reload);
    let (file, file_error) = use_query::<CreditFile, _>("credit_file", NoArgs {}, *reload);
    let changed = {
        let reload = reload.clone();
        Callback::from(move |_| reload.set(*reload + 1))
    };
    let empty = file.as_ref().is_some_and(|f| f.sections.iter().all(|s| s.items.is_empty()));
    let body = match (score, file) {
        (Some(_), Some(file)) if empty => html! { <NoScore on_kept={changed.clone()} linkable={file.linkable} /> },
        (Some(s), Some(file)) => {
            let pick_tab = |t: &'static str| {
                let tab = tab.clone();
                Callback::from(move |_| tab.set(t.to_string()))
            };
            let panel = match tab.as_str() {
                "what-if" => html! { <Simulator flavour={(*flavour).clone()} cards={s.cards.clone()} /> },
                "plan" => html! { <PlanView flavour={(*flavour).clone()} current={s.score} /> },
                "history" => html! { <HistoryView flavour={(*flavour).clone()} reload={*reload} /> },
                "compare" => html! { <CompareView reload={*reload} /> },
                "file" => html! { <CreditFileEditor {file} on_change={changed.clone()} /> },
                _ => html! { <Overview score={s.clone()} /> },
            };
            html! {
                <>
                    <Hero score={s} flavour={(*flavour).clone()} on_flavour={{ let flavour = flavour.clone(); Callback::from(move |f: String| flavour.set(f)) }}
                        on_reported={changed.clone()} />
                    <nav class="tabs" role="tablist">
                        { for TABS.iter().map(|(t, label)| html! {
                            <button id={format!("tab-{t}")} role="tab" aria-selected={(*tab == *t).to_string()} class={classes!("tab", (*tab == *t).then_some("active"))} onclick={pick_tab(t)}>{ *label }</button>
                        }) }
                    </nav>
                    { panel }
                </>
            }
        }
        _ => html! { <p class="muted">{ "Working out your score…" }</p> },
    };
    html! {
        <>
            <header class="page-head"><h1>{ "Credit score" }</h1></header>
            <ErrorBanner {error} />
            <ErrorBanner error={file_error} />
            { body }
        </>
    }
}

#[derive(Properties, PartialEq)]
pub struct HeroProps {
    pub score: Score,
    pub flavour: String,
    pub on_flavour: Callback<String>,
    pub on_reported: Callback<()>,
}

/// The estimate, its band and range, the flavour switch, calibration, and "I saw a score" in two clicks.
#[function_component]
pub fn Hero(props: &HeroProps) -> Html {
    let s = &props.score;
    let on_flavour = {
        let pick = props.on_flavour.clone();
        Callback::from(move |e: Event| pick.emit(event_value(&e)))
    };
    let range = s.range.map(|(lo, hi)| format!(" · likely {lo}–{hi}")).unwrap_or_default();
    html! {
        <div class="card score-hero" id="score">
            <div class="score-number">{ s.score.map(|n| n.to_string()).unwrap_or_else(|| "—".into()) }</div>
            <div class="grow">
                <div class="band">{ s.band.clone().unwrap_or_else(|| "Not scorable yet".into()) }</div>
                <div class="muted small">{ format!("{} estimate, {}{range} · model {}", flavour_label(&s.flavour), s.as_of, s.model) }</div>
                { for s.not_scorable.iter().map(|w| html! { <p class="muted small">{ w }</p> }) }
                <div id="calibration">
                    { for s.calibration.iter().map(|c| html! {
                        <p class="small">{ c.sentence.clone() }
                            if let Some(w) = &c.warning { <br /><span class="warning">{ w.clone() }</span> }
                        </p>
                    }) }
                </div>
            </div>
            <div class="hero-side">
                <label class="small">{ "Flavour " }
                    <select id="flavour" onchange={on_flavour}>
                        { for FLAVOURS.iter().map(|(f, l)| html! { <option value={*f} selected={props.flavour == *f}>{ *l }</option> }) }
                    </select>
                </label>
                <ReportScore on_done={props.on_reported.clone()} />
            </div>
        </div>
    }
}

#[derive(Serialize)]
struct ReportArgs {
    value: String,
    family: String,
    bureau: String,
}

const SEEN: &[(&str, &str, &str)] = &[
    ("FICO 8|Experian", "FICO 8", "Experian"),
    ("FICO 8|Equifax", "FICO 8", "Equifax"),
    ("FICO 8|TransUnion", "FICO 8", "TransUnion"),
    ("VantageScore 3.0|TransUnion", "VantageScore 3.0", "TransUnion"),
    ("VantageScore 3.0|Equifax", "VantageScore 3.0", "Equifax"),
    ("FICO 9|Experian", "FICO 9", "Experian"),
];

#[derive(Properties, PartialEq)]
struct ReportProps {
    on_done: Callback<()>,
}

/// "I saw 742 on Experian (FICO 8) today": type the number, press Add.
#[function_component]
fn ReportScore(props: &ReportProps) -> Html {
    let value = use_state(String::new);
    let source = use_state(|| SEEN[0].0.to_string());
    let error = use_state(|| None);
    let add = {
        let (value, source, error, done) = (value.clone(), source.clone(), error.clone(), props.on_done.clone());
        Callback::from(move |e: SubmitEvent| {
            e.prevent_default();
            let (family, bureau) =
                SEEN.iter().find(|(k, _, _)| *k == *source).map_or(("FICO 8", ""), |(_, f, b)| (*f, *b));
            let args = ReportArgs { value: (*value).clone(), family: family.into(), bureau: bureau.into() };
            let (value, error, done) = (value.clone(), error.clone(), done.clone());
            yew::platform::spawn_local(async move {
                match call::<()>("report_score", &args).await {
                    Ok(()) => {
                        value.set(String::new());
                        error.set(None);
                        done.emit(());
                    }
                    Err(e) => error.set(Some(e)),
                }
            });
        })
    };
    html! {
        <form class="seen" onsubmit={add}>
            <span class="small muted">{ "I saw a score today:" }</span>
            <div class="inline">
                <input id="seen-value" class="num" size="4" value={(*value).clone()} placeholder="742" aria-label="The score you saw"
                    onchange={{ let value = value.clone(); Callback::from(move |e: Event| value.set(event_value(&e))) }} />
                <select id="seen-source" aria-label="Which score" onchange={{ let source = source.clone(); Callback::from(move |e: Event| source.set(event_value(&e))) }}>
                    { for SEEN.iter().map(|(k, f, b)| html! { <option value={*k} selected={*source == *k}>{ format!("{f} · {b}") }</option> }) }
                </select>
                <button id="seen-add" type="submit" class="secondary" disabled={value.trim().is_empty()}>{ "Add" }</button>
            </div>
            <ErrorBanner error={(*error).clone()} id="seen-error" />
        </form>
    }
}

#[derive(Properties, PartialEq)]
pub struct OverviewProps {
    pub score: Score,
}

/// Where the points come from, every reason with the points it costs and when it stops counting, and
/// what to do.
#[function_component]
pub fn Overview(props: &OverviewProps) -> Html {
    let s = &props.score;
    html! {
        <>
            <section class="card">
                <h2>{ "Where the points come from" }</h2>
                { for s.factors.iter().map(|f| {
                    let width = (f.points.max(0) as u32 * 100).checked_div(f.max_points).unwrap_or(0);
                    html! {
                        <div class="factor">
                            <span>{ f.name.replace('_', " ") }</span>
                            <div class="track"><div class="fill" style={format!("width: {width}%")}></div></div>
                            <span class="num">{ format!("{} / {}", f.points, f.max_points) }</span>
                        </div>
                    }
                }) }
            </section>
            <section class="card" id="reasons">
                <h2>{ "What holds it back" }</h2>
                if s.reasons.is_empty() { <p class="muted">{ "Nothing notable." }</p> }
                <ol class="reasons">
                    { for s.reasons.iter().map(|r| html! {
                        <li><strong>{ r.text.clone() }</strong>{ format!(" — {} (about {} points)", r.detail, r.points_lost) }
                            if let Some(d) = &r.improves_on { <span class="muted small">{ format!(" · stops counting on {d}") }</span> }
                        </li>
                    }) }
                </ol>
                if !s.positives.is_empty() {
                    <h3>{ "Working for you" }</h3>
                    <ul>{ for s.positives.iter().map(|p| html! { <li>{ p }</li> }) }</ul>
                }
            </section>
            if !s.advice.is_empty() {
                <section class="card" id="advice">
                    <h2>{ "What to do" }</h2>
                    <ul>{ for s.advice.iter().map(|a| html! {
                        <li><strong>{ format!("+{} ", a.points) }</strong>{ a.action.clone() }
                            if let Some(cost) = &a.cost { <span class="muted small">{ format!(" · {cost}") }</span> }
                        </li>
                    }) }</ul>
                </section>
            }
        </>
    }
}

#[derive(Properties, PartialEq)]
struct NoScoreProps {
    on_kept: Callback<()>,
    linkable: Vec<(String, String)>,
}

/// No credit report yet: the first-score wizard, or a report file (the JSON exchange format).
#[function_component]
fn NoScore(props: &NoScoreProps) -> Html {
    let error = use_state(|| None);
    let keep = {
        let error = error.clone();
        keep_report_file(props.on_kept.clone(), Callback::from(move |e| error.set(e)))
    };
    html! {
        <>
            <FirstScoreWizard on_done={props.on_kept.clone()} linkable={props.linkable.clone()} />
            <section class="card wizard" id="score-empty">
                <h2>{ "Or keep a report file" }</h2>
                <p class="muted">{ "A credit report in the credit-profile JSON format (docs/scoring.md), such as one exported from Credence." }</p>
                <ErrorBanner error={(*error).clone()} id="credit-error" />
                <div class="actions"><button id="import-credit" class="secondary" onclick={keep}>{ "Choose a report file…" }</button></div>
            </section>
        </>
    }
}

#[derive(Properties, PartialEq)]
struct SimulatorProps {
    flavour: String,
    cards: Vec<CardUse>,
}

/// What if…: changes applied in core's one order and scored there, re-scored as each one is added or a
/// slider moves; this shows what core returns.
#[function_component]
fn Simulator(props: &SimulatorProps) -> Html {
    let changes = use_state(Vec::<ScoreChange>::new);
    // Where a slider was moved to: (the value as typed by the slider, whether it is a % of the limit).
    // Its change ("pay" card:amount or card:percent%) is applied after the listed ones.
    let slider = use_state(|| None::<(String, bool)>);
    let card = use_state(|| props.cards.first().map(|c| c.id.clone()).unwrap_or_default());
    let kind = use_state(|| CHANGES[0].0.to_string());
    let value = use_state(String::new);
    let result = use_state(|| None::<ScoreSimulation>);
    // How many results have arrived: marks the result as new even when the figures are the same.
    let runs = use_mut_ref(|| 0u32);
    let error = use_state(|| None);
    {
        let (result, error, flavour, runs) = (result.clone(), error.clone(), props.flavour.clone(), runs.clone());
        let slid = (*slider).clone().map(|(to, percent)| ScoreChange {
            kind: "pay".into(),
            value: format!("{}:{to}{}", *card, if percent { "%" } else { "" }),
        });
        use_effect_with(((*changes).clone(), slid), move |(changes, slid)| {
            let args = SimulateArgs { changes: changes.iter().chain(slid.iter()).cloned().collect(), flavour };
            if args.changes.is_empty() {
                result.set(None);
            } else {
                yew::platform::spawn_local(async move {
                    match call::<ScoreSimulation>("simulate_score", &args).await {
                        Ok(sim) => {
                            *runs.borrow_mut() += 1;
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
    let chosen = props.cards.iter().find(|c| c.id == *card).cloned();
    let slide = |percent: bool| {
        let slider = slider.clone();
        Callback::from(move |e: InputEvent| slider.set(Some((event_value(&e), percent))))
    };
    let position = |percent: bool, rest: String| match &*slider {
        Some((to, p)) if *p == percent => to.clone(),
        _ => rest,
    };
    html! {
        <section class="card" id="what-if">
            <h2>{ "What if…" }</h2>
            if let Some(c) = chosen {
                <div class="sliders">
                    <label class="small">{ "Pay down " }
                        <select id="slider-card" onchange={{ let (card, slider) = (card.clone(), slider.clone()); Callback::from(move |e: Event| { card.set(event_value(&e)); slider.set(None); }) }}>
                            { for props.cards.iter().map(|k| html! { <option value={k.id.clone()} selected={k.id == c.id}>{ format!("{} ({} of {}, {}%)", k.id, k.balance.display, k.limit.display, k.utilization) }</option> }) }
                        </select>
                    </label>
                    <label class="small">{ "to a balance of" }
                        <input id="slider-money" type="range" min="0" max={c.balance.amount.clone()} step="1" value={position(false, c.balance.amount.clone())} oninput={slide(false)} />
                    </label>
                    <label class="small">{ "or to a share of its limit (%)" }
                        <input id="slider-percent" type="range" min="0" max={c.utilization.to_string()} step="1" value={position(true, c.utilization.to_string())} oninput={slide(true)} />
                    </label>
                    if let Some((to, percent)) = &*slider {
                        <span class="muted small" id="slider-change">{ if *percent { format!("{} paid down to {to}% of its limit", c.id) } else { format!("{} paid down to a balance of {to}", c.id) } }</span>
                    }
                </div>
            }
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
            if let Some(sim) = (*result).clone() { <SimulationResult {sim} run={*runs.borrow()} /> }
        </section>
    }
}

#[derive(Properties, PartialEq)]
pub struct SimulationProps {
    pub sim: ScoreSimulation,
    /// Which result this is, counted from 1 (`data-run`, so a watcher sees a new result arrive).
    #[prop_or_default]
    pub run: u32,
}

/// The estimate before and after, and the categories that moved, as core computed them.
#[function_component]
pub fn SimulationResult(props: &SimulationProps) -> Html {
    let sim = &props.sim;
    let show = |s: Option<u16>| s.map_or("not scorable".to_string(), |n| n.to_string());
    let delta = sim.delta.map_or(String::new(), |d| format!(" ({d:+})"));
    html! {
        <div id="whatif-result" data-run={props.run.to_string()}>
            <p class="big"><strong>{ format!("{} → {}{delta}", show(sim.before.score), show(sim.after.score)) }</strong>
                <span class="muted small">{ format!(" as of {}", sim.after.as_of) }</span></p>
            <ul>{ for sim.moved.iter().map(|(name, before, after)| html! { <li>{ format!("{}: {before} → {after}", name.replace('_', " ")) }</li> }) }</ul>
        </div>
    }
}

#[derive(Serialize)]
struct PlanArgs {
    target: u16,
    by: Option<String>,
    flavour: String,
}

#[derive(Properties, PartialEq)]
struct PlanProps {
    flavour: String,
    current: Option<u16>,
}

/// "Reach 760 by June": the payments and the wait, from core's plan.
#[function_component]
fn PlanView(props: &PlanProps) -> Html {
    let target = use_state(|| props.current.map_or(700, |c| (c + 20).min(850)).to_string());
    let by = use_state(String::new);
    let plan = use_state(|| None::<ScorePlan>);
    let error = use_state(|| None);
    let submit = {
        let (target, by, plan, error, flavour) =
            (target.clone(), by.clone(), plan.clone(), error.clone(), props.flavour.clone());
        Callback::from(move |e: SubmitEvent| {
            e.prevent_default();
            let Ok(t) = target.trim().parse::<u16>() else {
                error.set(Some(credence_api::ApiError::new(
                    credence_api::ErrorCode::Invalid,
                    "A target is a score between 300 and 850",
                )));
                return;
            };
            let args = PlanArgs {
                target: t,
                by: Some((*by).clone()).filter(|b| !b.trim().is_empty()),
                flavour: flavour.clone(),
            };
            let (plan, error) = (plan.clone(), error.clone());
            yew::platform::spawn_local(async move {
                match call::<ScorePlan>("score_plan", &args).await {
                    Ok(p) => {
                        error.set(None);
                        plan.set(Some(p));
                    }
                    Err(e) => error.set(Some(e)),
                }
            });
        })
    };
    html! {
        <section class="card" id="plan">
            <h2>{ "Plan" }</h2>
            <form class="inline" onsubmit={submit}>
                <label>{ "Reach " }<input id="plan-target" class="num" size="4" value={(*target).clone()}
                    onchange={{ let target = target.clone(); Callback::from(move |e: Event| target.set(event_value(&e))) }} /></label>
                <label>{ " by " }<input id="plan-by" value={(*by).clone()} placeholder="2027-06-01 (optional)"
                    onchange={{ let by = by.clone(); Callback::from(move |e: Event| by.set(event_value(&e))) }} /></label>
                <button id="plan-go" type="submit" class="secondary">{ "Make a plan" }</button>
            </form>
            <ErrorBanner error={(*error).clone()} id="plan-error" />
            if let Some(p) = &*plan {
                <div id="plan-result">
                    <ol>{ for p.steps.iter().map(|s| html! { <li>{ s }</li> }) }</ol>
                    <p><strong>{ p.summary.clone() }</strong></p>
                    if let Some(pay) = &p.pay { <p class="muted small">{ format!("In all: {pay}") }</p> }
                </div>
            }
        </section>
    }
}

#[derive(Serialize, Clone, PartialEq)]
struct TimelineArgs {
    flavour: String,
    theme: String,
    back: u32,
    forward: u32,
}

#[derive(Properties, PartialEq)]
struct HistoryProps {
    flavour: String,
    reload: u32,
}

/// The estimate month by month, two years back and five forward, with the scores the user saw and the
/// aging calendar.
#[function_component]
fn HistoryView(props: &HistoryProps) -> Html {
    let app = use_app();
    let theme = crate::effective_theme(&app.settings.theme).to_string();
    let args = TimelineArgs { flavour: props.flavour.clone(), theme, back: 24, forward: 60 };
    let (timeline, error) = use_query::<ScoreTimeline, _>("score_timeline", args, props.reload);
    html! {
        <section class="card" id="history">
            <h2>{ "History and projection" }</h2>
            <ErrorBanner {error} />
            if let Some(timeline) = timeline { <Timeline {timeline} /> }
        </section>
    }
}

#[derive(Properties, PartialEq)]
pub struct TimelineProps {
    pub timeline: ScoreTimeline,
}

/// The chart core drew, the scores the user saw, and the aging calendar.
#[function_component]
pub fn Timeline(props: &TimelineProps) -> Html {
    let t = &props.timeline;
    let chart = crate::format::svg_data_uri(&t.svg);
    html! {
        <>
            <img class="chart" src={chart} alt="The estimate month by month" />
            <h3>{ "Scores you saw" }</h3>
            if t.points.iter().all(|p| p.reported.is_empty()) { <p class="muted small">{ "None yet: add one above when you see a score elsewhere." }</p> }
            <ul id="seen-scores">
                { for t.points.iter().flat_map(|p| p.reported.iter().map(move |(f, v)| html! { <li>{ format!("{}: {v} ({f})", p.month) }</li> })) }
            </ul>
            <h3>{ "When things stop counting" }</h3>
            if t.calendar.is_empty() { <p class="muted small">{ "Nothing on the report stops counting." }</p> }
            <table class="grid compact" id="aging-calendar">
                <tbody>{ for t.calendar.iter().map(|(d, what)| html! { <tr><td>{ d.clone() }</td><td>{ what.clone() }</td></tr> }) }</tbody>
            </table>
        </>
    }
}

#[derive(Serialize, Clone, PartialEq)]
struct CompareArgs {
    first: String,
    second: String,
}

#[derive(Properties, PartialEq)]
struct CompareProps {
    reload: u32,
}

/// Two flavours side by side, with the rules that make them differ.
#[function_component]
fn CompareView(props: &CompareProps) -> Html {
    let first = use_state(|| "fico8".to_string());
    let second = use_state(|| "vantage".to_string());
    let (comparison, error) = use_query::<ScoreComparison, _>(
        "compare_scores",
        CompareArgs { first: (*first).clone(), second: (*second).clone() },
        props.reload,
    );
    let pick = |state: &UseStateHandle<String>, id: &'static str| {
        let state = state.clone();
        let current = (*state).clone();
        html! {
            <select {id} onchange={Callback::from(move |e: Event| state.set(event_value(&e)))}>
                { for FLAVOURS.iter().map(|(f, l)| html! { <option value={*f} selected={current == *f}>{ *l }</option> }) }
            </select>
        }
    };
    let show = |s: &Score| s.score.map_or("not scorable".to_string(), |n| n.to_string());
    html! {
        <section class="card" id="compare">
            <h2>{ "Compare flavours" }</h2>
            <div class="inline">{ pick(&first, "compare-first") }{ " and " }{ pick(&second, "compare-second") }</div>
            <ErrorBanner {error} />
            if let Some(c) = comparison {
                <div class="compare-scores">
                    <div><div class="muted small">{ flavour_label(&c.first.flavour).to_string() }</div><div class="big">{ show(&c.first) }</div></div>
                    <div><div class="muted small">{ flavour_label(&c.second.flavour).to_string() }</div><div class="big">{ show(&c.second) }</div></div>
                </div>
                <ul id="differences">{ for c.differences.iter().map(|d| html! { <li>{ d }</li> }) }</ul>
            }
        </section>
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use credence_api::{Calibration, ScorePoint, ScoreReason};

    fn score(n: u16) -> Score {
        Score {
            score: Some(n),
            band: Some("Good".into()),
            as_of: "2026-12-02".into(),
            model: "2026.1".into(),
            flavour: "fico8".into(),
            ..Score::default()
        }
    }

    #[tokio::test]
    async fn a_simulation_shows_both_scores_the_change_and_what_moved() {
        let sim = ScoreSimulation {
            before: score(742),
            after: score(761),
            delta: Some(19),
            moved: vec![("amounts_owed".into(), 80, 99)],
        };
        let html =
            yew::LocalServerRenderer::<SimulationResult>::with_props(SimulationProps { sim, run: 1 }).render().await;
        assert!(html.contains("742 → 761 (+19)") && html.contains("amounts owed: 80 → 99"), "{html}");
    }

    #[tokio::test]
    async fn the_hero_names_the_flavour_its_range_and_the_calibration() {
        let mut s = score(742);
        s.range = Some((727, 757));
        s.calibration = vec![Calibration {
            family: "FICO 8".into(),
            score: 748,
            range: (736, 760),
            offset: 6,
            observations: 2,
            sentence:
                "Your FICO 8 scores run 6 points above this estimate on average (2 seen): shown as 748, likely 736–760."
                    .into(),
            warning: None,
        }];
        let props = HeroProps {
            score: s,
            flavour: "fico8".into(),
            on_flavour: Callback::noop(),
            on_reported: Callback::noop(),
        };
        let html = yew::LocalServerRenderer::<Hero>::with_props(props).render().await;
        assert!(html.contains("FICO 8 estimate, 2026-12-02 · likely 727–757"), "{html}");
        assert!(html.contains("run 6 points above"), "{html}");
        assert!(html.contains("seen-value"), "the reported-score form is on the hero: {html}");
    }

    #[tokio::test]
    async fn the_history_lists_the_scores_seen_and_the_aging_calendar() {
        let point = |month: &str, reported: Vec<(String, u16)>| ScorePoint {
            month: month.into(),
            score: Some(740),
            projected: false,
            reported,
            notes: Vec::new(),
        };
        let timeline = ScoreTimeline {
            svg: "<svg/>".into(),
            points: vec![point("2026-11", Vec::new()), point("2026-12", vec![("FICO 8".into(), 742)])],
            calendar: vec![("2027-06-01".into(), "the card inquiry of 2026-06-01 stops counting".into())],
        };
        let html = yew::LocalServerRenderer::<Timeline>::with_props(TimelineProps { timeline }).render().await;
        assert!(
            html.contains("2026-12: 742 (FICO 8)")
                && html.contains("2027-06-01")
                && html.contains("inquiry of 2026-06-01 stops counting"),
            "{html}"
        );
        assert!(html.contains("data:image/svg+xml"), "the chart is an image: {html}");
    }

    #[tokio::test]
    async fn every_reason_says_when_it_stops_counting() {
        let mut s = score(700);
        s.reasons = vec![ScoreReason {
            code: "D1".into(),
            text: "Serious delinquency".into(),
            detail: "a 30-day late on visa".into(),
            points_lost: "62".into(),
            improves_on: Some("2031-12-01".into()),
        }];
        let html = yew::LocalServerRenderer::<Overview>::with_props(OverviewProps { score: s }).render().await;
        assert!(html.contains("about 62 points") && html.contains("stops counting on 2031-12-01"), "{html}");
    }
}
