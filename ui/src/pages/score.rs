//! The credit-score page: the estimate, where its points come from, and what holds it back.

use credence_ipc::Score;
use yew::prelude::*;

use crate::bridge::NoArgs;
use crate::widgets::{use_query, ErrorBanner};

#[function_component]
pub fn ScorePage() -> Html {
    let (score, error) = use_query::<Score, _>("score", NoArgs {}, 0);
    let body = match score {
        None => html! { <p class="muted">{ "Working out your score…" }</p> },
        Some(s) if s.score.is_none() => html! {
            <div class="card" id="score-empty">
                <h2>{ "No score yet" }</h2>
                <p>{ "Credence estimates your score from your credit report, which stays in this vault. Import one with " }
                   <code>{ "credence credit import report.json" }</code>{ " (the format is in docs/scoring.md)." }</p>
                { for s.not_scorable.iter().map(|why| html! { <p class="muted small">{ why }</p> }) }
            </div>
        },
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
