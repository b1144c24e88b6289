//! `credence coach`: each card's and loan's statement, due date, payment and streak, and the alerts
//! to act on; `credence coach bills`: the on-time record of rent, utilities, phone and streaming.

use anyhow::Result;
use clap::Subcommand;
use credence_api::{self as api, convert};
use credence_core::values;

use crate::commands::Ctx;
use crate::output::{print_json, Table};

#[derive(Debug, clap::Args)]
#[command(args_conflicts_with_subcommands = true)]
pub struct CoachArgs {
    #[command(subcommand)]
    command: Option<CoachCommand>,
    /// What the coach says on this date (default: today).
    #[arg(long)]
    as_of: Option<String>,
    /// The utilization to report at closing, a percent of the limit (default 30).
    #[arg(long, value_name = "PERCENT")]
    target: Option<u32>,
}

#[derive(Debug, Subcommand)]
enum CoachCommand {
    /// Rent, utilities, phone and streaming paid on time: the record a lender could be shown.
    Bills {
        /// On this date (default: today).
        #[arg(long)]
        as_of: Option<String>,
    },
}

fn as_of(text: Option<&str>) -> Result<chrono::NaiveDate> {
    Ok(text.map(values::parse_date).transpose()?.unwrap_or_else(|| chrono::Local::now().date_naive()))
}

pub fn coach(ctx: &Ctx, args: CoachArgs) -> Result<()> {
    if let Some(CoachCommand::Bills { as_of: date }) = args.command {
        return bills(ctx, as_of(date.as_deref())?);
    }
    let query = api::CoachQuery { as_of: args.as_of, target: args.target };
    let (as_of, options) = convert::coach_query(&query, chrono::Local::now().date_naive())?;
    let coach = convert::coach(ctx.open()?.coach(as_of, &options)?);
    if ctx.global.json {
        return print_json(&coach);
    }
    if coach.accounts.is_empty() {
        println!("No card or loan accounts yet: add one with `credence account add NAME --type credit-card`.");
        return Ok(());
    }
    let mut table = Table::new(&[
        ("ACCOUNT", false),
        ("CLOSES", false),
        ("DUE", false),
        ("STATEMENT", true),
        ("PAID", true),
        ("STREAK", true),
        ("USED NOW", true),
        ("AT CLOSING", true),
    ]);
    let percent = |p: Option<u64>| p.map(|p| format!("{p}%")).unwrap_or_default();
    for a in &coach.accounts {
        let days = match (a.statement_day, a.due_day) {
            (Some(s), Some(d)) => format!("day {s} / {d}{}", if a.inferred { " (inferred)" } else { "" }),
            _ => "not known".into(),
        };
        table.row(vec![
            a.account.clone(),
            days,
            a.due.clone().unwrap_or_default(),
            a.statement_balance.clone().unwrap_or_default(),
            if a.paid { a.paid_amount.clone() } else { "no".into() },
            a.streak_months.to_string(),
            percent(a.utilization_now),
            percent(a.utilization_at_closing),
        ]);
    }
    table.print();
    for a in &coach.accounts {
        println!("{}: {}", a.account, a.summary);
    }
    if coach.alerts.is_empty() {
        println!("\nNothing to act on as of {}.", coach.as_of);
    } else {
        println!();
        for alert in &coach.alerts {
            println!("[{}] {}", alert.kind, alert.text);
        }
    }
    Ok(())
}

fn bills(ctx: &Ctx, as_of: chrono::NaiveDate) -> Result<()> {
    let bills = convert::on_time_bills(ctx.open()?.on_time_bills(as_of)?);
    if ctx.global.json {
        return print_json(&bills);
    }
    let mut table = Table::new(&[
        ("KIND", false),
        ("PAYEE", false),
        ("AMOUNT", true),
        ("IN A ROW", true),
        ("SINCE", false),
        ("ACCOUNT", false),
    ]);
    for b in &bills.bills {
        let streak = format!("{} {}{}", b.streak, b.cadence, if b.overdue { ", next overdue" } else { "" });
        table.row(vec![
            b.kind.clone(),
            b.payee.clone(),
            b.amount.display.clone(),
            streak,
            b.since.clone(),
            b.account.clone(),
        ]);
    }
    table.print();
    println!("\n{}", bills.note);
    Ok(())
}
