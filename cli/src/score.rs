//! `credence score`: the estimate, explained.

use std::path::PathBuf;

use anyhow::{Context, Result};
use credence_api::convert;
use credence_core::score::{
    calibrate, compare, escalation, estimate, history, next_utilization_steps, plan, projection, recommendations,
    simulate, CreditProfile, Estimate, Flavour, WhatIf,
};
use credence_core::values;

use crate::commands::Ctx;
use crate::output::{print_json, Table};

#[derive(Debug, clap::Args)]
pub struct ScoreArgs {
    #[command(subcommand)]
    command: Option<ScoreCommand>,
    /// Evaluate a credit-profile JSON file (no vault needed); without it, the vault's credit report.
    #[arg(long, value_name = "FILE.json", global = true)]
    report: Option<PathBuf>,
    /// fico8 (default), fico9, fico_legacy or vantage.
    #[arg(long, default_value = "fico8", global = true)]
    flavour: String,
    /// Score as of this date (default: the file's as_of, or today for the vault's report).
    #[arg(long, global = true)]
    as_of: Option<String>,
    /// Show a second flavour beside the first and explain the difference.
    #[arg(long, value_name = "FLAVOUR")]
    compare: Option<String>,
}

#[derive(Debug, clap::Subcommand)]
enum ScoreCommand {
    /// The estimate at the end of each past month, with what happened and the scores you saw.
    History {
        #[arg(long, default_value_t = 24)]
        months: u32,
    },
    /// The estimate month by month if nothing changes, and when items stop counting.
    Project {
        #[arg(long, default_value_t = 60)]
        months: u32,
    },
    /// The cheapest way to reach a target score: what to pay (highest-utilization cards first) and how long
    /// to wait.
    Plan {
        #[arg(long)]
        target: u16,
        /// Reach it by this date (default: within 24 months).
        #[arg(long)]
        by: Option<String>,
    },
    /// What if…: the estimate after the changes given (applied in the order listed here). Without
    /// changes, the cheapest payment on each card that moves it to a better utilization bin.
    Simulate(Box<Changes>),
}

#[derive(Debug, clap::Args)]
struct Changes {
    /// Pay an account down to a balance, ID:AMOUNT, or a card to a share of its limit, ID:PERCENT% (repeatable).
    #[arg(long = "pay", value_name = "ID:AMOUNT|ID:PCT%")]
    pay: Vec<String>,
    /// Pay every card down to this percent of its limit.
    #[arg(long, value_name = "PERCENT")]
    pay_all_cards: Option<String>,
    /// Raise a limit: ID:AMOUNT (repeatable).
    #[arg(long, value_name = "ID:AMOUNT")]
    raise_limit: Vec<String>,
    #[arg(long, value_name = "ID")]
    close: Vec<String>,
    /// Pay an installment loan off.
    #[arg(long, value_name = "ID")]
    pay_off: Vec<String>,
    /// Pay collection number N (counting from 1) in full.
    #[arg(long, value_name = "N")]
    pay_collection: Vec<String>,
    /// Collection number N (counting from 1) taken off the report.
    #[arg(long, value_name = "N")]
    remove_collection: Vec<String>,
    /// One hard inquiry today: card, auto, mortgage, student or other.
    #[arg(long, value_name = "KIND")]
    inquiry: Vec<String>,
    /// Open a new card with this limit.
    #[arg(long, value_name = "LIMIT")]
    open_card: Option<String>,
    /// Shop for a loan: auto|mortgage|student:PULLS:DAYS.
    #[arg(long, value_name = "KIND:PULLS:DAYS")]
    rate_shop: Option<String>,
    /// Miss a payment: ID, or ID:30|60|90|120 for how late it gets.
    #[arg(long, value_name = "ID[:DAYS]")]
    miss_payment: Vec<String>,
    /// Then let this many months pass.
    #[arg(long, value_name = "MONTHS")]
    wait: Option<String>,
}

/// The flags as (kind, value) pairs for core's one reading of them (`WhatIf::parse_all`).
fn changes(c: &Changes) -> Result<Vec<WhatIf>> {
    let mut given: Vec<(&str, &str)> = Vec::new();
    given.extend(c.pay.iter().map(|v| ("pay", v.as_str())));
    given.extend(c.pay_all_cards.iter().map(|v| ("pay-all-cards", v.as_str())));
    given.extend(c.raise_limit.iter().map(|v| ("raise-limit", v.as_str())));
    given.extend(c.close.iter().map(|v| ("close", v.as_str())));
    given.extend(c.pay_off.iter().map(|v| ("pay-off", v.as_str())));
    given.extend(c.pay_collection.iter().map(|v| ("pay-collection", v.as_str())));
    given.extend(c.remove_collection.iter().map(|v| ("remove-collection", v.as_str())));
    given.extend(c.open_card.iter().map(|v| ("open-card", v.as_str())));
    given.extend(c.inquiry.iter().map(|v| ("inquiry", v.as_str())));
    given.extend(c.rate_shop.iter().map(|v| ("rate-shop", v.as_str())));
    given.extend(c.miss_payment.iter().map(|v| ("miss-payment", v.as_str())));
    given.extend(c.wait.iter().map(|v| ("wait", v.as_str())));
    Ok(WhatIf::parse_all(given)?)
}

pub fn run(ctx: &Ctx, args: ScoreArgs) -> Result<()> {
    let parse_flavour = |f: &str| {
        Flavour::parse(f)
            .with_context(|| format!("\"{f}\" is not a score flavour (use fico8, fico9, fico_legacy or vantage)"))
    };
    let flavour = parse_flavour(&args.flavour)?;
    let other = args.compare.as_deref().map(parse_flavour).transpose()?;
    let as_of = args.as_of.as_deref().map(values::parse_date).transpose()?;
    let (profile, as_of) = match args.report {
        Some(report) => {
            let profile = read_profile(&report)?;
            let as_of = as_of.unwrap_or(profile.as_of);
            (profile, as_of)
        }
        None => {
            let as_of = as_of.unwrap_or_else(|| chrono::Local::now().date_naive());
            (ctx.open()?.credit_report(as_of)?, as_of)
        }
    };
    let timeline = match args.command {
        None if other.is_some() => {
            let c = compare(&profile, as_of, flavour, other.unwrap_or(flavour));
            if ctx.global.json {
                return print_json(&convert::comparison(c, as_of));
            }
            let show = |e: &Estimate| e.score.map_or("not scorable".to_string(), |s| s.to_string());
            println!(
                "{}: {}   {}: {}",
                c.first.flavour.as_str(),
                show(&c.first),
                c.second.flavour.as_str(),
                show(&c.second)
            );
            for d in &c.differences {
                println!("  - {d}");
            }
            return Ok(());
        }
        None => {
            if ctx.global.json {
                return print_json(&convert::score_overview(&profile, as_of, flavour));
            }
            let e = estimate(&profile, as_of, flavour);
            let calibrated = calibrate(&profile, as_of);
            print_estimate(&e);
            let recs = recommendations(&profile, as_of, flavour);
            if !recs.is_empty() {
                println!("What to do:");
                for r in recs.iter().take(3) {
                    println!("  +{:<3} {}", r.gain, r.action);
                }
            }
            for c in &calibrated {
                println!(
                    "Calibrated to your {} reports ({}): {} (likely {}–{}, {:+} points)",
                    c.family, c.observations, c.score, c.range.0, c.range.1, c.offset
                );
                if let Some(w) = &c.warning {
                    println!("  note: {w}");
                }
            }
            return Ok(());
        }
        Some(ScoreCommand::Simulate(c)) => return simulate_command(ctx, &profile, as_of, flavour, &c),
        Some(ScoreCommand::Plan { target, by }) => {
            let by = by.as_deref().map(values::parse_date).transpose()?;
            return plan_command(ctx, &profile, as_of, flavour, target, by);
        }
        Some(ScoreCommand::History { months }) => (history(&profile, as_of, months, flavour), false),
        Some(ScoreCommand::Project { months }) => (projection(&profile, as_of, months, flavour), true),
    };
    let (timeline, projected) = timeline;
    if ctx.global.json {
        return print_json(&convert::score_points(&timeline, projected));
    }
    let mut table = Table::new(&[("MONTH", false), ("ESTIMATE", true), ("SEEN", false), ("WHAT HAPPENED", false)]);
    for p in &timeline {
        table.row(vec![
            p.date.format("%Y-%m").to_string(),
            p.score.map(|s| s.to_string()).unwrap_or_else(|| "—".into()),
            p.reported.iter().map(|(f, v)| format!("{f} {v}")).collect::<Vec<_>>().join(", "),
            p.notes.join("; "),
        ]);
    }
    table.print();
    Ok(())
}

fn simulate_command(
    ctx: &Ctx,
    profile: &CreditProfile,
    as_of: chrono::NaiveDate,
    flavour: Flavour,
    c: &Changes,
) -> Result<()> {
    let list = changes(c)?;
    if list.is_empty() {
        let steps = next_utilization_steps(profile, as_of, flavour);
        if ctx.global.json {
            return print_json(&convert::utilization_steps(steps));
        }
        if steps.is_empty() {
            println!("No card payment would move a card to a better utilization bin.");
        }
        for (id, pay, gain) in steps {
            println!("pay {pay} on {id}: +{gain} points");
        }
        return Ok(());
    }
    let sim = simulate(profile, as_of, flavour, &list)?;
    if ctx.global.json {
        return print_json(&convert::simulation(sim, as_of));
    }
    let show = |s: Option<u16>| s.map_or("not scorable".to_string(), |s| s.to_string());
    println!(
        "{} → {} ({}) as of {}",
        show(sim.before.score),
        show(sim.after.score),
        sim.delta().map_or("n/a".into(), |d| format!("{d:+}")),
        sim.as_of_after
    );
    for (b, a) in sim.before.categories.iter().zip(&sim.after.categories) {
        if a.points != b.points {
            println!("  {}: {} → {}", a.name.replace('_', " "), b.points, a.points);
        }
    }
    if sim.after.derogatory_effect != sim.before.derogatory_effect {
        println!("  derogatory effect: {} → {}", sim.before.derogatory_effect, sim.after.derogatory_effect);
    }
    for account in &c.miss_payment {
        let id = account.rsplit_once(':').map_or(account.as_str(), |(id, _)| id);
        println!("If the payment on {id} stays unpaid:");
        for (severity, date, score) in escalation(profile, as_of, flavour, id)? {
            println!("  {date}: {severity:?} → {}", show(score));
        }
    }
    Ok(())
}

fn plan_command(
    ctx: &Ctx,
    profile: &CreditProfile,
    as_of: chrono::NaiveDate,
    flavour: Flavour,
    target: u16,
    by: Option<chrono::NaiveDate>,
) -> Result<()> {
    let p = plan(profile, as_of, flavour, target, by);
    if ctx.global.json {
        return print_json(&convert::plan(&p, as_of));
    }
    let (steps, summary) = p.describe(as_of);
    if !steps.is_empty() {
        println!("To reach {} (estimate {}):", target, p.current.map_or("n/a".into(), |s| s.to_string()));
    }
    for step in &steps {
        println!("  {step}");
    }
    println!("{}{summary}", if steps.is_empty() { "" } else { "  → " });
    Ok(())
}

fn read_profile(path: &std::path::Path) -> Result<CreditProfile> {
    Ok(CreditProfile::read(path)?)
}

#[derive(Debug, clap::Subcommand)]
pub enum CreditCommand {
    /// Replace the credit report kept in the vault with a credit-profile JSON file.
    Import { file: PathBuf },
    /// Write the vault's credit report as a credit-profile JSON file (to stdout without --out).
    Export {
        #[arg(long)]
        out: Option<PathBuf>,
    },
    /// Count what the vault's credit report holds.
    Show,
    /// List the report's items with their ids.
    List,
    /// Add one item: KIND (account, inquiry, collection, public_record, reported_score) and its JSON.
    Add {
        kind: String,
        #[arg(value_name = "JSON")]
        body: String,
    },
    /// Replace one item's JSON.
    Edit {
        id: String,
        #[arg(value_name = "JSON")]
        body: String,
    },
    /// Remove one item (undo brings it back).
    Remove { id: String },
    /// Link a card or loan of the report (by its id there) to a vault account: its balance and limit then
    /// come from the vault.
    Link {
        tradeline: String,
        #[arg(long)]
        account: String,
    },
    /// Keep an account current: its statement balance (by the account's id in the report).
    Balance {
        account: String,
        #[arg(allow_hyphen_values = true)]
        amount: String,
        /// The statement date (default today).
        #[arg(long)]
        date: Option<String>,
    },
}

pub fn credit(ctx: &Ctx, cmd: CreditCommand) -> Result<()> {
    let mut vault = ctx.open()?;
    let today = chrono::Local::now().date_naive();
    match cmd {
        CreditCommand::Import { file } => {
            let counts = vault.replace_credit_report(&read_profile(&file)?)?;
            if ctx.global.json {
                return print_json(&convert::credit_counts(counts));
            }
            println!(
                "credit report stored: {} accounts, {} inquiries, {} collections, {} public records, {} reported scores",
                counts.accounts, counts.inquiries, counts.collections, counts.public_records, counts.reported_scores
            );
        }
        CreditCommand::Export { out } => {
            let json = vault.credit_report(today)?.to_json();
            match out {
                // The credit report is personal data: written owner-only, like the vault.
                Some(path) => credence_core::files::write_atomically(&path, (json + "\n").as_bytes())?,
                None => println!("{json}"),
            }
        }
        CreditCommand::List => {
            let items = vault.credit_items()?;
            if ctx.global.json {
                return print_json(&items.into_iter().map(convert::credit_item).collect::<Vec<_>>());
            }
            let mut table = Table::new(&[("KIND", false), ("ITEM", false), ("ID", false)]);
            for i in &items {
                table.row(vec![i.kind.clone(), i.body.to_string(), i.id.clone()]);
            }
            table.print();
        }
        CreditCommand::Add { kind, body } => {
            let id = vault.add_credit_item(&kind, &body)?;
            return ctx.done(&format!("added credit {kind} {id}"));
        }
        CreditCommand::Edit { id, body } => {
            vault.edit_credit_item(&id, &body)?;
            return ctx.done("credit item updated");
        }
        CreditCommand::Link { tradeline, account } => {
            let account = vault.account_by_name(&account)?;
            vault.link_credit_account(&tradeline, &account.id)?;
            return ctx.done(&format!("{tradeline} now follows {}'s balance and limit", account.name));
        }
        CreditCommand::Remove { id } => {
            vault.remove_credit_item(&id)?;
            return ctx.done("credit item removed");
        }
        CreditCommand::Balance { account, amount, date } => {
            let date = date.as_deref().map(values::parse_date).transpose()?.unwrap_or(today);
            vault.set_credit_balance(&account, values::parse_amount(&amount)?, date)?;
            return ctx.done(&format!("{account}: balance {amount} as of {date}"));
        }
        CreditCommand::Show => {
            let counts = credence_core::score::counts(&vault.credit_report(today)?);
            if ctx.global.json {
                return print_json(&convert::credit_counts(counts));
            }
            println!(
                "{} accounts, {} inquiries, {} collections, {} public records, {} reported scores",
                counts.accounts, counts.inquiries, counts.collections, counts.public_records, counts.reported_scores
            );
        }
    }
    Ok(())
}

fn print_estimate(e: &Estimate) {
    let Some(score) = e.score else {
        println!("Not enough on the report to estimate a score:");
        for why in &e.not_scorable {
            println!("  - {why}");
        }
        println!(
            "Keep your credit report in the vault with `credence credit import FILE.json` (format: docs/scoring.md)."
        );
        return;
    };
    let (lo, hi) = e.range.unwrap_or((score, score));
    println!("Estimated score: {score} ({}), likely between {lo} and {hi}", e.band.unwrap_or(""));
    println!(
        "An estimate from your own data ({}, {}), not a FICO or VantageScore.",
        e.flavour.as_str(),
        e.model_version
    );
    println!();
    let mut table = Table::new(&[("WHERE THE POINTS COME FROM", false), ("POINTS", true), ("OF", true)]);
    table.row(vec!["base".into(), "300".into(), String::new()]);
    for c in &e.categories {
        table.row(vec![c.name.replace('_', " "), c.points.to_string(), c.max.to_string()]);
    }
    if e.derogatory_effect != 0 {
        table.row(vec!["derogatory effect".into(), e.derogatory_effect.to_string(), String::new()]);
    }
    table.print();
    println!();
    println!("What holds it back:");
    for r in &e.reasons {
        println!("  {:>5} pts  {} ({})", r.points_lost, r.text, r.code);
        let when = r.improves_on.map(|d| format!("; improves by itself on {d}")).unwrap_or_default();
        if !r.detail.is_empty() {
            println!("             {}{when}", r.detail);
        }
    }
    if !e.positives.is_empty() {
        println!("What helps:");
        for p in &e.positives {
            println!("  + {p}");
        }
    }
}
