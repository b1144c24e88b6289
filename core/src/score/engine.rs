//! The estimate: `score = clamp(300, 850, round(300 + PH + κ·N))`, where PH is payment history (192
//! points less deductions for events, past-due amounts and too few accounts paid as agreed), N the points
//! of the fourteen other characteristics (at most 358) and κ ≤ 1 the compression the worst recent
//! derogatory item puts on them. Pure and deterministic: the as-of date is an argument, nothing reads
//! a clock. Every point is traceable to a table row in `model.json`.

use chrono::{Datelike, Months, NaiveDate};
use rust_decimal::prelude::ToPrimitive;
use rust_decimal::{Decimal, RoundingStrategy};

use super::inquiries::{counted_inquiries, Flavour};
use super::model::{bin, model, CATEGORIES};
use super::profile::{CreditProfile, RecordKind, Severity, Tradeline, TradelineKind};
use crate::values::whole_percent;

/// One estimate, explained.
#[derive(Debug, Clone, PartialEq)]
pub struct Estimate {
    /// `None` when the profile is not scorable (`not_scorable` says why).
    pub score: Option<u16>,
    pub range: Option<(u16, u16)>,
    pub band: Option<&'static str>,
    pub flavour: Flavour,
    pub model_version: String,
    /// Payment history, amounts owed, length of history, new credit, credit mix: whole points that,
    /// with `derogatory_effect`, add up to `score − 300`.
    pub categories: Vec<CategoryPoints>,
    /// Points the worst recent derogatory item takes from the other categories (0 or negative).
    pub derogatory_effect: i32,
    pub reasons: Vec<Reason>,
    pub positives: Vec<String>,
    pub not_scorable: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CategoryPoints {
    pub name: &'static str,
    pub points: i32,
    pub max: u32,
}

/// A reason the score is not higher, FICO-style, with the points it costs.
#[derive(Debug, Clone, PartialEq)]
pub struct Reason {
    pub code: String,
    pub text: &'static str,
    pub points_lost: Decimal,
    /// The data behind it ("card1 is at 92% of its limit; 41% overall").
    pub detail: String,
    /// When it stops costing points by itself, where time alone fixes it.
    pub improves_on: Option<NaiveDate>,
}

/// A derogatory item as the scorecard sees it.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Event {
    pub(crate) kind: &'static str,
    age: u32,
    /// FICO 9 halves medical collections' weight.
    weight: Decimal,
    /// What it is, for explanations ("a 30-day late on card1 in 2026-10").
    label: String,
    /// When it stops counting.
    ends: Option<NaiveDate>,
}

/// Whole calendar months from `from` to `to` (0 when `from` is later).
fn months(from: NaiveDate, to: NaiveDate) -> u32 {
    let m = (to.year() - from.year()) * 12 + to.month() as i32 - from.month() as i32 - i32::from(to.day() < from.day());
    m.max(0) as u32
}

fn years_ago(as_of: NaiveDate, years: u32) -> NaiveDate {
    as_of.checked_sub_months(Months::new(12 * years)).unwrap_or(NaiveDate::MIN)
}

fn dollars(amount: Decimal) -> u64 {
    amount.floor().to_u64().unwrap_or(0)
}

/// Items a bureau would still report at `as_of`.
fn reported(t: &Tradeline, as_of: NaiveDate) -> bool {
    let clean = t.delinquencies.is_empty();
    match t.closed {
        Some(c) if clean => c > years_ago(as_of, 10),
        Some(c) => c > years_ago(as_of, 7),
        None => true,
    }
}

fn severity_words(s: Severity) -> &'static str {
    match s {
        Severity::Late30 => "30-day late payment",
        Severity::Late60 => "60-day late payment",
        Severity::Late90 => "90-day late payment",
        Severity::Late120 => "120-day late payment",
        Severity::Settlement => "settlement",
        Severity::ChargeOff => "charge-off",
        Severity::Repossession => "repossession",
        Severity::Foreclosure => "foreclosure",
    }
}

pub(crate) fn events(p: &CreditProfile, as_of: NaiveDate, flavour: Flavour) -> Vec<Event> {
    let seven = years_ago(as_of, 7);
    let mut out = Vec::new();
    for t in p.accounts.iter().filter(|t| reported(t, as_of) && t.opened <= as_of) {
        let latest = t.delinquencies.iter().filter(|d| d.date <= as_of).map(|d| d.date).max();
        for d in t.delinquencies.iter().filter(|d| d.date > seven && d.date <= as_of) {
            let kind = match d.severity {
                Severity::Late30 => "late30",
                Severity::Late60 => "late60",
                Severity::Late90 | Severity::Late120 => "late90",
                Severity::Settlement => "settlement",
                Severity::ChargeOff | Severity::Repossession => "chargeoff",
                Severity::Foreclosure => "foreclosure",
            };
            // Still past due: the latest delinquency is still being reported, so it is as fresh as today.
            let age = if t.past_due > Decimal::ZERO && Some(d.date) == latest { 0 } else { months(d.date, as_of) };
            let ends = d.date.checked_add_months(Months::new(84));
            let label = format!("a {} on {} in {}", severity_words(d.severity), t.id, d.date.format("%Y-%m"));
            out.push(Event { kind, age, weight: Decimal::ONE, label, ends });
        }
    }
    for c in &p.collections {
        let paid = c.paid.is_some_and(|d| d <= as_of);
        let ignored = c.first_delinquency <= seven
            || c.reported > as_of
            || (c.medical
                && (paid || c.original_amount < Decimal::from(500) || c.first_delinquency > years_ago(as_of, 1)))
            || match flavour {
                Flavour::Fico8 | Flavour::FicoLegacy => c.original_amount < Decimal::from(100),
                Flavour::Fico9 => c.original_amount < Decimal::from(100) || paid,
                Flavour::Vantage => c.medical || paid,
            };
        if ignored {
            continue;
        }
        // An unpaid collection is updated every month; a paid one ages from its payment.
        let age = c.paid.filter(|_| paid).map_or(0, |d| months(d, as_of));
        let weight = if c.medical && flavour == Flavour::Fico9 { Decimal::new(5, 1) } else { Decimal::ONE };
        let label = format!("a collection of {} reported {}", c.original_amount, c.reported.format("%Y-%m"));
        let ends = c.first_delinquency.checked_add_months(Months::new(84));
        out.push(Event { kind: "collection", age, weight, label, ends });
    }
    for r in p.public_records.iter().filter(|r| r.filed <= as_of) {
        let (kind, kept_years) = match r.kind {
            RecordKind::BankruptcyCh7 => ("bankruptcy_ch7", 10),
            RecordKind::BankruptcyCh13 => ("bankruptcy_ch13", 7),
            RecordKind::Foreclosure => ("foreclosure", 7),
            // The bureaus stopped reporting civil judgments and tax liens in 2017–2018.
            RecordKind::Judgment | RecordKind::Lien => continue,
        };
        if r.filed > years_ago(as_of, kept_years) {
            let label = format!("a {} filed {}", kind.replace('_', " "), r.filed.format("%Y-%m"));
            let ends = r.filed.checked_add_months(Months::new(12 * kept_years));
            out.push(Event { kind, age: months(r.filed, as_of), weight: Decimal::ONE, label, ends });
        }
    }
    // A total order, so explanations do not depend on the order items were entered in.
    out.sort_by(|a, b| (a.kind, a.age, &a.label).cmp(&(b.kind, b.age, &b.label)));
    out
}

/// Everything but the events: the characteristics' points and the fixed deductions.
struct Characteristics {
    /// (category, characteristic, points, max, reason code)
    points: Vec<(&'static str, String, u32, u32, String)>,
    past_due_deduction: u32,
    paa_deduction: u32,
    thin: bool,
    /// The data behind each reason code, and when time alone fixes it.
    details: Vec<(&'static str, String, Option<NaiveDate>)>,
}

fn characteristics(p: &CreditProfile, as_of: NaiveDate, flavour: Flavour) -> Characteristics {
    let m = model();
    let lines: Vec<&Tradeline> = p.accounts.iter().filter(|t| reported(t, as_of) && t.opened <= as_of).collect();
    let open = |t: &&Tradeline| t.closed.is_none_or(|c| c > as_of);
    let revolvers: Vec<&&Tradeline> =
        lines.iter().filter(|t| t.kind.is_revolving() && (open(t) || t.balance > Decimal::ZERO)).collect();
    let zero = Decimal::ZERO;
    let (balance, limit) =
        revolvers.iter().fold((zero, zero), |(b, l), t| (b + t.balance, l + t.limit.unwrap_or(zero)));
    let mut values: Vec<(&str, Option<u64>, bool)> = Vec::new(); // (name, value or none, all-zero)
    values.push((
        "AO1",
        (!revolvers.is_empty() && limit > zero).then(|| whole_percent(balance, limit).max(u64::from(balance > zero))),
        balance == zero,
    ));
    let highest = revolvers
        .iter()
        .filter(|t| t.limit.is_some_and(|l| l > zero))
        .map(|t| whole_percent(t.balance, t.limit.unwrap_or(Decimal::ONE)))
        .max();
    values.push(("AO2", highest, false));
    values.push(("AO3", Some(lines.iter().filter(|t| t.balance > zero).count() as u64), false));
    let loans: Vec<&&Tradeline> =
        lines.iter().filter(|t| t.kind.is_installment() && t.kind != TradelineKind::Mortgage && open(t)).collect();
    let (owed, borrowed) =
        loans.iter().fold((zero, zero), |(b, o), t| (b + t.balance, o + t.original_amount.unwrap_or(t.balance)));
    values.push(("AO4", (!loans.is_empty() && borrowed > zero).then(|| whole_percent(owed, borrowed)), false));
    let non_mortgage: Decimal = lines.iter().filter(|t| t.kind != TradelineKind::Mortgage).map(|t| t.balance).sum();
    // Any balance at all is at least $1: a few cents must not land in the "no balance" bin.
    values.push(("AO5", Some(dollars(non_mortgage).max(u64::from(non_mortgage > zero))), false));
    let ages: Vec<u32> = lines.iter().map(|t| months(t.opened, as_of)).collect();
    let oldest = ages.iter().copied().max().unwrap_or(0);
    values.push(("LH1", Some(u64::from(oldest)), false));
    let average = if ages.is_empty() { 0 } else { ages.iter().map(|a| u64::from(*a)).sum::<u64>() / ages.len() as u64 };
    values.push(("LH2", Some(average), false));
    let oldest_revolving = lines.iter().filter(|t| t.kind.is_revolving()).map(|t| months(t.opened, as_of)).max();
    values.push(("LH3", oldest_revolving.map(u64::from), false));
    values.push(("NC1", Some(u64::from(counted_inquiries(&p.inquiries, as_of, flavour))), false));
    let year_ago = years_ago(as_of, 1);
    values.push(("NC2", Some(lines.iter().filter(|t| t.opened > year_ago).count() as u64), false));
    let newest = lines.iter().map(|t| months(t.opened, as_of)).min().unwrap_or(0);
    values.push(("NC3", Some(u64::from(newest)), false));
    let any_revolving = lines
        .iter()
        .any(|t| t.kind.is_revolving() || matches!(t.kind, TradelineKind::ChargeCard | TradelineKind::Heloc));
    let any_installment = lines.iter().any(|t| t.kind.is_installment());
    values.push(("CM1", Some(u64::from(any_installment) + 2 * u64::from(any_revolving)), false));
    values.push(("CM2", Some(lines.iter().filter(|t| t.kind.is_revolving() && open(t)).count() as u64), false));
    values.push(("CM3", Some(lines.iter().filter(|t| t.kind == TradelineKind::ConsumerFinance).count() as u64), false));

    let thin = lines.len() < 3 || oldest < 24;
    let pct = |part: Decimal, whole: Decimal| whole_percent(part, whole);
    let mut details: Vec<(&'static str, String, Option<NaiveDate>)> = Vec::new();
    if let Some(top) = revolvers
        .iter()
        .filter(|t| t.limit.is_some_and(|l| l > zero))
        .max_by_key(|t| (pct(t.balance, t.limit.unwrap_or(Decimal::ONE)), std::cmp::Reverse(t.id.clone())))
    {
        details.push((
            "10",
            format!(
                "{} is at {}% of its limit; {}% of all card limits is in use",
                top.id,
                pct(top.balance, top.limit.unwrap_or(Decimal::ONE)),
                pct(balance, limit)
            ),
            None,
        ));
    }
    details.push(("24", "no card carries a balance this month".into(), None));
    details.push((
        "05",
        format!("{} accounts carry a balance", lines.iter().filter(|t| t.balance > zero).count()),
        None,
    ));
    details.push(("03", format!("open loans still owe {}% of what was borrowed", pct(owed, borrowed)), None));
    details.push(("01", format!("{} owed outside mortgages", non_mortgage), None));
    details.push(("14", format!("oldest account {oldest} months, average {average} months"), None));
    details.push(("12", format!("oldest card {} months", oldest_revolving.unwrap_or(0)), None));
    let year_ago_q = as_of.checked_sub_months(Months::new(12)).unwrap_or(as_of);
    let first_inquiry =
        p.inquiries.iter().filter(|q| q.hard && q.date > year_ago_q && q.date <= as_of).map(|q| q.date).min();
    details.push((
        "08",
        format!("{} hard inquiries count from the last 12 months", counted_inquiries(&p.inquiries, as_of, flavour)),
        first_inquiry.and_then(|d| d.checked_add_months(Months::new(12))),
    ));
    let first_new = lines.iter().filter(|t| t.opened > year_ago).map(|t| t.opened).min();
    details.push((
        "09",
        format!("{} accounts opened in the last 12 months", lines.iter().filter(|t| t.opened > year_ago).count()),
        first_new.and_then(|d| d.checked_add_months(Months::new(12))),
    ));
    details.push(("30", format!("the newest account was opened {newest} months ago"), None));
    details.push(("04", "no installment loan on the report".into(), None));
    details.push((
        "15",
        format!("{} open cards", lines.iter().filter(|t| t.kind.is_revolving() && open(t)).count()),
        None,
    ));
    details.push((
        "06",
        format!(
            "{} consumer-finance accounts",
            lines.iter().filter(|t| t.kind == TradelineKind::ConsumerFinance).count()
        ),
        None,
    ));
    let points = values
        .into_iter()
        .map(|(name, value, all_zero)| {
            let c = &m.characteristics[name];
            let mut code = c.code.clone();
            let mut pts = match (value, c.all_zero, c.none) {
                (None, _, none) => none.unwrap_or(0),
                (Some(_), Some(z), _) if all_zero => {
                    code = "24".into(); // no recent revolving balances
                    z
                }
                (Some(v), _, _) => bin(&c.edges, v),
            };
            if thin && c.category == "new_credit" {
                let lost = Decimal::from(c.max - pts) * m.thin_file_new_credit_factor;
                pts = (Decimal::from(c.max) - lost).max(zero).floor().to_u32().unwrap_or(0);
            }
            (category_of(&c.category), name.to_string(), pts, c.max, code)
        })
        .collect();

    let past_due: Decimal = lines.iter().map(|t| t.past_due).sum();
    let two_years = years_ago(as_of, 2);
    let satisfactory = lines
        .iter()
        .filter(|t| t.delinquencies.iter().all(|d| d.date <= two_years) && t.past_due == zero)
        .filter(|t| t.balance_date.is_none_or(|d| d > two_years) || open(t))
        .count() as u32;
    details.push(("21", format!("{past_due} past due"), None));
    details.push(("27", format!("{satisfactory} accounts paid as agreed in the last two years"), None));
    Characteristics {
        points,
        past_due_deduction: bin(&m.past_due, dollars(past_due)),
        paa_deduction: bin(&m.satisfactory, u64::from(satisfactory)),
        thin,
        details,
    }
}

fn category_of(name: &str) -> &'static str {
    CATEGORIES.iter().find(|(c, _)| *c == name).map_or("credit_mix", |(c, _)| c)
}

/// PH and κ from the events and the fixed deductions.
fn payment_history(events: &[Event], fixed: u32) -> (Decimal, Decimal) {
    let m = model();
    let deductions: Vec<Decimal> = events
        .iter()
        .map(|e| {
            let params = &m.events[e.kind];
            Decimal::from(params.p) * m.decay(&params.schedule, e.age) * e.weight
        })
        .collect();
    // The worst event counts in full, every other one at most `extra_event_cap`: more delinquencies
    // always cost more, each extra one less than the first.
    let worst = deductions.iter().copied().max().unwrap_or_default();
    let cap = Decimal::from(m.extra_event_cap);
    let others_capped: Decimal = deductions.iter().map(|d| (*d).min(cap)).sum::<Decimal>() - worst.min(cap);
    let total = (worst + others_capped + Decimal::from(fixed)).min(Decimal::from(192));
    let kappa = events
        .iter()
        .map(|e| {
            let params = &m.events[e.kind];
            Decimal::ONE - (Decimal::ONE - params.kappa) * m.decay(&params.schedule, e.age) * e.weight
        })
        .min()
        .unwrap_or(Decimal::ONE)
        .min(Decimal::ONE);
    (Decimal::from(192) - total, kappa)
}

fn round_score(raw: Decimal) -> u16 {
    let r = raw
        .round_dp_with_strategy(0, RoundingStrategy::MidpointAwayFromZero)
        .clamp(Decimal::from(300), Decimal::from(850));
    r.to_u16().unwrap_or(300)
}

/// The unrounded score for a set of events and characteristics.
fn raw_score(events: &[Event], ch: &Characteristics) -> (Decimal, Decimal, Decimal, Decimal) {
    let (ph, kappa) = payment_history(events, ch.past_due_deduction + ch.paa_deduction);
    let n: Decimal = ch.points.iter().map(|p| Decimal::from(p.2)).sum();
    (Decimal::from(300) + ph + kappa * n, ph, kappa, n)
}

fn band(score: u16) -> &'static str {
    match score {
        800.. => "Exceptional",
        740.. => "Very Good",
        670.. => "Good",
        580.. => "Fair",
        _ => "Poor",
    }
}

/// Why a profile cannot be scored (FICO's minimum criteria), if it cannot.
fn not_scorable(p: &CreditProfile, as_of: NaiveDate, flavour: Flavour) -> Vec<String> {
    let lines: Vec<&Tradeline> = p.accounts.iter().filter(|t| reported(t, as_of) && t.opened <= as_of).collect();
    let mut why = Vec::new();
    if lines.is_empty() {
        why.push("there are no credit accounts on the report".to_string());
        return why;
    }
    if flavour == Flavour::Vantage {
        return why;
    }
    if !lines.iter().any(|t| months(t.opened, as_of) >= 6) {
        why.push("no account has been open for 6 months".to_string());
    }
    let six_months = as_of.checked_sub_months(Months::new(6)).unwrap_or(as_of);
    if !lines.iter().any(|t| t.closed.is_none() || t.balance_date.is_some_and(|d| d > six_months)) {
        why.push("no account has been updated in the last 6 months".to_string());
    }
    why
}

const TEXTS: &[(&str, &str)] = &[
    ("00", "No adverse factor"),
    ("01", "Amount owed on accounts is too high"),
    ("03", "Proportion of loan balances to loan amounts is too high"),
    ("04", "Lack of recent installment loan information"),
    ("05", "Too many accounts with balances"),
    ("06", "Too many consumer finance company accounts"),
    ("07", "Account payment history is too new to rate"),
    ("08", "Too many inquiries last 12 months"),
    ("09", "Too many accounts recently opened"),
    ("10", "Proportion of balances to credit limits on revolving accounts is too high"),
    ("12", "Length of time revolving accounts have been established"),
    ("13", "Time since delinquency is too recent or unknown"),
    ("14", "Length of time accounts have been established"),
    ("15", "Lack of recent bank/national revolving information"),
    ("16", "Lack of recent revolving account information"),
    ("21", "Amount past due on accounts"),
    ("22", "Serious delinquency, derogatory public record or collection filed"),
    ("24", "No recent revolving balances"),
    ("27", "Too few accounts currently paid as agreed"),
    ("30", "Time since most recent account opening is too short"),
    ("39", "Serious delinquency"),
    ("40", "Derogatory public record or collection filed"),
];

fn text(code: &str) -> &'static str {
    TEXTS.iter().find(|(c, _)| *c == code).map_or("Other factor", |(_, t)| t)
}

const POSITIVES: &[(&str, &str)] = &[
    ("PH", "No late payments or derogatory items on the report"),
    ("AO1", "Low balances compared with your card limits"),
    ("AO3", "Few accounts carrying a balance"),
    ("LH1", "A long credit history"),
    ("LH2", "Accounts that have been open a long time"),
    ("NC1", "Few recent applications for credit"),
    ("NC2", "Few accounts opened recently"),
    ("CM1", "A mix of cards and loans"),
];

/// Estimates the score of `profile` as of `as_of`.
pub fn estimate(profile: &CreditProfile, as_of: NaiveDate, flavour: Flavour) -> Estimate {
    let m = model();
    let blocked = not_scorable(profile, as_of, flavour);
    let mut result = Estimate {
        score: None,
        range: None,
        band: None,
        flavour,
        model_version: m.version.clone(),
        categories: Vec::new(),
        derogatory_effect: 0,
        reasons: Vec::new(),
        positives: Vec::new(),
        not_scorable: blocked.clone(),
    };
    if !blocked.is_empty() {
        return result;
    }
    let ch = characteristics(profile, as_of, flavour);
    let evs = events(profile, as_of, flavour);
    let (raw, ph, kappa, n) = raw_score(&evs, &ch);
    let score = round_score(raw);
    let derogatory = evs.iter().any(|e| m.decay(&m.events[e.kind].schedule, e.age) > Decimal::ZERO);
    let spread = if ch.thin || derogatory { 40 } else { 25 };
    result.score = Some(score);
    result.range = Some((score.saturating_sub(spread).max(300), (score + spread).min(850)));
    result.band = Some(band(score));

    // Display lines that add up exactly: 300 + PH + Σ category points − (1 − κ)·N, rounded by largest
    // remainder so the whole lines sum to the whole score.
    let mut lines: Vec<(&'static str, Decimal, u32)> = vec![("payment_history", ph, 192)];
    for (category, max) in CATEGORIES.iter().skip(1) {
        let pts: u32 = ch.points.iter().filter(|p| p.0 == *category).map(|p| p.2).sum();
        lines.push((category, Decimal::from(pts), *max));
    }
    lines.push(("derogatory_effect", -(Decimal::ONE - kappa) * n, 0));
    let whole = largest_remainder(&lines.iter().map(|l| l.1).collect::<Vec<_>>(), i64::from(score) - 300);
    for ((name, _, max), points) in lines.iter().zip(whole) {
        if *name == "derogatory_effect" {
            result.derogatory_effect = points as i32;
        } else {
            result.categories.push(CategoryPoints { name, points: points as i32, max: *max });
        }
    }

    result.reasons = reasons(&evs, &ch, kappa, raw);
    let mut strengths: Vec<(Decimal, &str)> = ch
        .points
        .iter()
        .filter_map(|(_, name, pts, max, _)| {
            let text = POSITIVES.iter().find(|(n, _)| n == name)?.1;
            (*max > 0 && *pts * 10 >= *max * 9).then(|| (Decimal::from(*pts) / Decimal::from(*max), text))
        })
        .collect();
    if ph == Decimal::from(192) {
        strengths.insert(0, (Decimal::from(2), POSITIVES[0].1));
    }
    strengths.sort_by_key(|s| std::cmp::Reverse(s.0));
    result.positives = strengths.into_iter().take(3).map(|(_, t)| t.to_string()).collect();
    result
}

/// Points lost per reason code, largest first: at most four, plus inquiries as a fifth when they cost
/// points but did not make the four.
fn reasons(evs: &[Event], ch: &Characteristics, kappa: Decimal, raw: Decimal) -> Vec<Reason> {
    let m = model();
    let mut losses: Vec<(String, Decimal)> = Vec::new();
    let mut add = |code: &str, loss: Decimal| {
        if loss <= Decimal::ZERO {
            return;
        }
        match losses.iter_mut().find(|(c, _)| c == code) {
            Some(entry) => entry.1 += loss,
            None => losses.push((code.to_string(), loss)),
        }
    };
    for (_, _, pts, max, code) in &ch.points {
        add(code, kappa * Decimal::from(max - pts));
    }
    for (i, e) in evs.iter().enumerate() {
        let without: Vec<Event> = evs.iter().enumerate().filter(|(j, _)| *j != i).map(|(_, e)| e.clone()).collect();
        add(&m.events[e.kind].code, raw_score(&without, ch).0 - raw);
    }
    add("21", Decimal::from(ch.past_due_deduction));
    add("27", Decimal::from(ch.paa_deduction));
    losses.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
    let mut chosen: Vec<(String, Decimal)> = losses.iter().take(4).cloned().collect();
    if let Some(inquiries) = losses.iter().skip(4).find(|(c, _)| c == "08") {
        chosen.push(inquiries.clone());
    }
    if chosen.is_empty() {
        return vec![Reason {
            code: "00".into(),
            text: text("00"),
            points_lost: Decimal::ZERO,
            detail: String::new(),
            improves_on: None,
        }];
    }
    chosen
        .into_iter()
        .map(|(code, loss)| {
            let from_events: Vec<&Event> = evs.iter().filter(|e| m.events[e.kind].code == code).collect();
            let (detail, improves_on) = if from_events.is_empty() {
                ch.details.iter().find(|d| d.0 == code).map(|d| (d.1.clone(), d.2)).unwrap_or_default()
            } else {
                let labels: Vec<&str> = from_events.iter().map(|e| e.label.as_str()).collect();
                (labels.join("; "), from_events.iter().filter_map(|e| e.ends).max())
            };
            Reason { text: text(&code), code, points_lost: loss.round_dp(1), detail, improves_on }
        })
        .collect()
}

/// Rounds `values` to whole numbers that sum to `total`, moving the fewest units (largest remainder).
fn largest_remainder(values: &[Decimal], total: i64) -> Vec<i64> {
    let mut floors: Vec<i64> = values.iter().map(|v| v.floor().to_i64().unwrap_or(0)).collect();
    let mut order: Vec<usize> = (0..values.len()).collect();
    order.sort_by(|a, b| (values[*b] - values[*b].floor()).cmp(&(values[*a] - values[*a].floor())).then(a.cmp(b)));
    let mut missing = total - floors.iter().sum::<i64>();
    let mut k = 0;
    while missing != 0 && !order.is_empty() {
        let i = order[k % order.len()];
        floors[i] += missing.signum();
        missing -= missing.signum();
        k += 1;
    }
    floors
}
