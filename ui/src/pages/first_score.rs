//! The first-score wizard: a few minutes of questions a person can answer from memory or from their card
//! and loan apps, ending on a first estimate and what it does not know yet. Core reads every answer.

use credence_api::{
    CardAnswer, CollectionAnswer, FirstScore, FirstScoreAnswers, InquiryAnswer, LoanAnswer, RecordAnswer,
};
use serde::Serialize;
use yew::prelude::*;

use crate::bridge::call;
use crate::widgets::{event_value, ErrorBanner};

#[derive(Serialize)]
struct Args {
    answers: FirstScoreAnswers,
}

const LATE: &[(&str, &str)] = &[
    ("", "Never late"),
    ("30", "30 days late"),
    ("60", "60 days late"),
    ("90", "90 days late"),
    ("120", "120 days late"),
    ("chargeoff", "Charged off"),
];
const LOAN_KINDS: &[(&str, &str)] =
    &[("auto", "Car loan"), ("student", "Student loan"), ("mortgage", "Mortgage"), ("personal", "Personal loan")];
const PURPOSES: &[(&str, &str)] = &[
    ("card", "A card"),
    ("auto", "A car loan"),
    ("mortgage", "A mortgage"),
    ("student", "A student loan"),
    ("other", "Something else"),
];
const RECORDS: &[(&str, &str)] = &[
    ("bankruptcy_ch7", "Bankruptcy (chapter 7)"),
    ("bankruptcy_ch13", "Bankruptcy (chapter 13)"),
    ("foreclosure", "Foreclosure"),
    ("judgment", "Civil judgment"),
    ("lien", "Tax lien"),
];

#[derive(Properties, PartialEq)]
pub struct WizardProps {
    /// Called when the person has seen their first estimate and goes on.
    pub on_done: Callback<()>,
    /// The card and loan accounts of the vault a card or loan can be tied to: (id, name).
    pub linkable: Vec<(String, String)>,
}

/// The answers so far, and a way to change one part of them.
type Answers = UseStateHandle<FirstScoreAnswers>;

fn edit(answers: &Answers, change: impl Fn(&mut FirstScoreAnswers, String) + 'static) -> Callback<Event> {
    let answers = answers.clone();
    Callback::from(move |e: Event| {
        let mut next = (*answers).clone();
        change(&mut next, event_value(&e));
        answers.set(next);
    })
}

fn push(answers: &Answers, add: impl Fn(&mut FirstScoreAnswers) + 'static) -> Callback<MouseEvent> {
    let answers = answers.clone();
    Callback::from(move |_| {
        let mut next = (*answers).clone();
        add(&mut next);
        answers.set(next);
    })
}

fn text(id: String, label: &'static str, value: &str, placeholder: &'static str, on: Callback<Event>) -> Html {
    html! { <label>{ label }<input {id} value={value.to_string()} {placeholder} onchange={on} /></label> }
}

fn select(id: String, label: &'static str, value: &str, options: Vec<(String, String)>, on: Callback<Event>) -> Html {
    html! {
        <label>{ label }
            <select {id} onchange={on}>
                { for options.into_iter().map(|(v, l)| html! { <option selected={v == value} value={v.clone()}>{ l }</option> }) }
            </select>
        </label>
    }
}

fn fixed(options: &[(&str, &str)]) -> Vec<(String, String)> {
    options.iter().map(|(v, l)| (v.to_string(), l.to_string())).collect()
}

#[function_component]
pub fn FirstScoreWizard(props: &WizardProps) -> Html {
    let answers = use_state(FirstScoreAnswers::default);
    let result = use_state(|| None::<FirstScore>);
    let error = use_state(|| None);
    let mut tie: Vec<(String, String)> = vec![(String::new(), "Not in Credence".into())];
    tie.extend(props.linkable.iter().cloned());

    if let Some(first) = (*result).clone() {
        let done = props.on_done.clone();
        return html! {
            <section class="card wizard" id="first-score">
                <h2>{ "Your first estimate" }</h2>
                <div class="score-hero">
                    <div class="score-number">{ first.score.score.map(|s| s.to_string()).unwrap_or_else(|| "—".into()) }</div>
                    <div class="band">{ first.score.band.clone().unwrap_or_default() }</div>
                </div>
                { for first.score.not_scorable.iter().map(|w| html! { <p class="muted">{ w }</p> }) }
                <h3>{ "What holds it back" }</h3>
                <ol class="reasons">{ for first.score.reasons.iter().map(|r| html! { <li><strong>{ r.text.clone() }</strong>{ format!(" — {}", r.detail) }</li> }) }</ol>
                <h3>{ "What this estimate does not know yet" }</h3>
                <ul id="unknowns">{ for first.unknowns.iter().map(|u| html! { <li>{ u }</li> }) }</ul>
                <div class="actions"><button id="wiz-done" class="primary" onclick={Callback::from(move |_| done.emit(()))}>{ "See the details" }</button></div>
            </section>
        };
    }

    let submit = {
        let (answers, result, error) = (answers.clone(), result.clone(), error.clone());
        Callback::from(move |e: SubmitEvent| {
            e.prevent_default();
            let (args, result, error) = (Args { answers: (*answers).clone() }, result.clone(), error.clone());
            yew::platform::spawn_local(async move {
                match call::<FirstScore>("first_score", &args).await {
                    Ok(first) => result.set(Some(first)),
                    Err(e) => error.set(Some(e)),
                }
            });
        })
    };
    let a = &*answers;
    html! {
        <form class="card wizard first-score" id="score-wizard" onsubmit={submit}>
            <h2>{ "Your first score, in a few minutes" }</h2>
            <p class="muted">{ "No documents needed: answer from memory or from your card and loan apps. Months are enough (2019-04). Everything stays in this vault." }</p>

            <h3>{ "Credit cards" }</h3>
            { for a.cards.iter().enumerate().map(|(i, c)| html! {
                <fieldset class="answer">
                    <legend>{ format!("Card {}", i + 1) }</legend>
                    { text(format!("card-{i}-name"), "Name", &c.name, "Visa", edit(&answers, move |a, v| a.cards[i].name = v)) }
                    { text(format!("card-{i}-opened"), "Opened", &c.opened, "2019-04", edit(&answers, move |a, v| a.cards[i].opened = v)) }
                    { select(format!("card-{i}-account"), "This is my… in Credence", &c.account_id, tie.clone(), edit(&answers, move |a, v| a.cards[i].account_id = v)) }
                    if c.account_id.is_empty() {
                        { text(format!("card-{i}-limit"), "Credit limit", &c.limit, "5000", edit(&answers, move |a, v| a.cards[i].limit = v)) }
                        { text(format!("card-{i}-balance"), "Owed now", &c.balance, "1250.00", edit(&answers, move |a, v| a.cards[i].balance = v)) }
                    } else {
                        <p class="muted small">{ "Balance and limit follow the account's transactions." }</p>
                    }
                    { select(format!("card-{i}-late"), "Ever late?", &c.late, fixed(LATE), edit(&answers, move |a, v| a.cards[i].late = v)) }
                    if !c.late.is_empty() {
                        { text(format!("card-{i}-late-month"), "When", &c.late_month, "2024-12", edit(&answers, move |a, v| a.cards[i].late_month = v)) }
                    }
                    <button type="button" class="ghost" onclick={push(&answers, move |a| { a.cards.remove(i); })}>{ "Remove" }</button>
                </fieldset>
            }) }
            <button type="button" id="wiz-add-card" class="secondary" onclick={push(&answers, |a| a.cards.push(CardAnswer::default()))}>{ "Add a card" }</button>

            <h3>{ "Loans" }</h3>
            { for a.loans.iter().enumerate().map(|(i, l)| html! {
                <fieldset class="answer">
                    <legend>{ format!("Loan {}", i + 1) }</legend>
                    { text(format!("loan-{i}-name"), "Name", &l.name, "Car", edit(&answers, move |a, v| a.loans[i].name = v)) }
                    { select(format!("loan-{i}-kind"), "Kind", &l.kind, fixed(LOAN_KINDS), edit(&answers, move |a, v| a.loans[i].kind = v)) }
                    { text(format!("loan-{i}-opened"), "Opened", &l.opened, "2022-06", edit(&answers, move |a, v| a.loans[i].opened = v)) }
                    { text(format!("loan-{i}-amount"), "Borrowed", &l.original_amount, "24000", edit(&answers, move |a, v| a.loans[i].original_amount = v)) }
                    { select(format!("loan-{i}-account"), "This is my… in Credence", &l.account_id, tie.clone(), edit(&answers, move |a, v| a.loans[i].account_id = v)) }
                    if l.account_id.is_empty() {
                        { text(format!("loan-{i}-balance"), "Owed now", &l.balance, "15000", edit(&answers, move |a, v| a.loans[i].balance = v)) }
                    }
                    { select(format!("loan-{i}-late"), "Ever late?", &l.late, fixed(LATE), edit(&answers, move |a, v| a.loans[i].late = v)) }
                    if !l.late.is_empty() {
                        { text(format!("loan-{i}-late-month"), "When", &l.late_month, "2024-12", edit(&answers, move |a, v| a.loans[i].late_month = v)) }
                    }
                    <button type="button" class="ghost" onclick={push(&answers, move |a| { a.loans.remove(i); })}>{ "Remove" }</button>
                </fieldset>
            }) }
            <button type="button" id="wiz-add-loan" class="secondary" onclick={push(&answers, |a| a.loans.push(LoanAnswer { kind: "auto".into(), ..LoanAnswer::default() }))}>{ "Add a loan" }</button>

            <h3>{ "Applications for credit in the last two years" }</h3>
            { for a.inquiries.iter().enumerate().map(|(i, q)| html! {
                <fieldset class="answer">
                    { text(format!("inquiry-{i}-month"), "When", &q.month, "2026-05", edit(&answers, move |a, v| a.inquiries[i].month = v)) }
                    { select(format!("inquiry-{i}-purpose"), "For", &q.purpose, fixed(PURPOSES), edit(&answers, move |a, v| a.inquiries[i].purpose = v)) }
                    <button type="button" class="ghost" onclick={push(&answers, move |a| { a.inquiries.remove(i); })}>{ "Remove" }</button>
                </fieldset>
            }) }
            <button type="button" id="wiz-add-inquiry" class="secondary" onclick={push(&answers, |a| a.inquiries.push(InquiryAnswer { purpose: "card".into(), ..InquiryAnswer::default() }))}>{ "Add an application" }</button>

            <h3>{ "Collections and public records" }</h3>
            <p class="muted small">{ "A debt passed to a collection agency, a bankruptcy, a judgment or a lien. Most people have none." }</p>
            { for a.collections.iter().enumerate().map(|(i, c)| html! {
                <fieldset class="answer">
                    { text(format!("collection-{i}-month"), "Reported in", &c.month, "2023-02", edit(&answers, move |a, v| a.collections[i].month = v)) }
                    { text(format!("collection-{i}-amount"), "Amount", &c.amount, "450", edit(&answers, move |a, v| a.collections[i].amount = v)) }
                    { text(format!("collection-{i}-paid"), "Paid in (empty if not)", &c.paid_month, "2024-01", edit(&answers, move |a, v| a.collections[i].paid_month = v)) }
                    <label class="inline"><input type="checkbox" checked={c.medical} onchange={edit(&answers, move |a, _| a.collections[i].medical = !a.collections[i].medical)} />{ "Medical" }</label>
                    <button type="button" class="ghost" onclick={push(&answers, move |a| { a.collections.remove(i); })}>{ "Remove" }</button>
                </fieldset>
            }) }
            { for a.public_records.iter().enumerate().map(|(i, r)| html! {
                <fieldset class="answer">
                    { select(format!("record-{i}-kind"), "Kind", &r.kind, fixed(RECORDS), edit(&answers, move |a, v| a.public_records[i].kind = v)) }
                    { text(format!("record-{i}-month"), "Filed in", &r.month, "2019-08", edit(&answers, move |a, v| a.public_records[i].month = v)) }
                    <button type="button" class="ghost" onclick={push(&answers, move |a| { a.public_records.remove(i); })}>{ "Remove" }</button>
                </fieldset>
            }) }
            <div class="inline">
                <button type="button" id="wiz-add-collection" class="secondary" onclick={push(&answers, |a| a.collections.push(CollectionAnswer::default()))}>{ "Add a collection" }</button>
                <button type="button" id="wiz-add-record" class="secondary" onclick={push(&answers, |a| a.public_records.push(RecordAnswer { kind: "bankruptcy_ch7".into(), ..RecordAnswer::default() }))}>{ "Add a public record" }</button>
            </div>

            <ErrorBanner error={(*error).clone()} id="wizard-error" />
            <div class="actions">
                <button id="wiz-score" type="submit" class="primary" disabled={a.cards.is_empty() && a.loans.is_empty()}>{ "Estimate my score" }</button>
            </div>
        </form>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn the_wizard_starts_empty_and_asks_for_an_account_before_it_estimates() {
        #[function_component]
        fn Host() -> Html {
            html! { <FirstScoreWizard on_done={Callback::noop()} linkable={vec![("a1".to_string(), "Visa".to_string())]} /> }
        }
        let html = yew::LocalServerRenderer::<Host>::new().render().await;
        assert!(
            html.contains("wiz-add-card") && html.contains("wiz-add-inquiry") && html.contains("wiz-add-record"),
            "{html}"
        );
        assert!(html.contains("disabled"), "nothing to estimate from yet: {html}");
        assert!(!html.contains("Visa"), "accounts to tie to appear with a card: {html}");
    }
}
