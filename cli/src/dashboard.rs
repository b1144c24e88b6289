//! `credence dashboard` (the desktop dashboard's figures, as text or JSON) and `credence rate …` (the
//! exchange rates reports may convert with).

use anyhow::Result;
use clap::Subcommand;
use credence_core::values;
use rust_decimal::Decimal;

use crate::commands::Ctx;
use crate::output::{print_json, signed_percent, Table};

#[derive(Debug, clap::Args)]
pub struct DashboardArgs {
    /// The month to show (YYYY-MM or a date; default this month).
    #[arg(long)]
    month: Option<String>,
    /// Show the figures in this currency (default: the one most accounts use); others are added at your
    /// rates or listed as left out.
    #[arg(long)]
    currency: Option<String>,
}

/// `credence dashboard`.
pub fn dashboard(ctx: &Ctx, args: DashboardArgs) -> Result<()> {
    let as_of = match args.month.as_deref() {
        Some(m) => values::parse_date_or_month(m, true)?,
        None => chrono::Local::now().date_naive(),
    };
    let d = ctx.open()?.dashboard(as_of, args.currency.as_deref())?;
    if ctx.global.json {
        return print_json(&credence_api::convert::dashboard(d));
    }
    let pct = |p: Option<Decimal>| signed_percent(p, "—");
    println!("{} in {}", d.month, d.currency);
    let mut table = Table::new(&[("", false), ("THIS MONTH", true), ("LAST MONTH", true), ("CHANGE", true)]);
    table.row(vec![
        "Income".into(),
        d.this_month.income.to_string(),
        d.last_month.income.to_string(),
        pct(d.income_change),
    ]);
    table.row(vec![
        "Spending".into(),
        d.this_month.expense.to_string(),
        d.last_month.expense.to_string(),
        pct(d.spending_change),
    ]);
    table.row(vec!["Net".into(), d.this_month.net.to_string(), d.last_month.net.to_string(), String::new()]);
    let rate = |m: &credence_core::analytics::MonthTotals| {
        m.savings_rate().map(|r| format!("{r}%")).unwrap_or_else(|| "—".into())
    };
    table.row(vec!["Savings rate".into(), rate(&d.this_month), rate(&d.last_month), String::new()]);
    table.print();
    if !d.spending.is_empty() {
        println!("\nSpending by category");
        let mut table = Table::new(&[("CATEGORY", false), ("SPENT", true), ("SHARE", true)]);
        for s in &d.spending {
            table.row(vec![s.category.clone(), s.amount.to_string(), format!("{}%", s.share)]);
            for (part, amount) in s.parts.iter().filter(|(part, _)| *part != s.category) {
                table.row(vec![format!("  {part}"), amount.to_string(), String::new()]);
            }
        }
        table.print();
    }
    if let (Some(now), Some(year_ago)) = (d.net_worth.last(), d.net_worth.first()) {
        println!(
            "\nNet worth {} (assets {}, debts {}); {} at the end of {}",
            now.net, now.assets, now.debts, year_ago.net, year_ago.month
        );
    }
    if let Some(u) = d.utilization.last().and_then(|u| u.overall.map(|o| (o, u))) {
        let cards: Vec<String> = u.1.cards.iter().map(|(name, p)| format!("{name} {p}%")).collect();
        println!("Card utilization {}% ({})", u.0, cards.join(", "));
    }
    if !d.converted_from.is_empty() {
        eprintln!("converted at your rates: {}", d.converted_from.iter().cloned().collect::<Vec<_>>().join(", "));
    }
    if !d.left_out.is_empty() {
        eprintln!(
            "not included (no exchange rate to {}): {}; add one with `credence rate set`",
            d.currency,
            d.left_out.iter().cloned().collect::<Vec<_>>().join(", ")
        );
    }
    Ok(())
}

#[derive(Debug, Subcommand)]
pub enum RateCommand {
    /// One CURRENCY is worth RATE QUOTE from a date on, e.g. `rate set EUR USD 1.08 --from 2026-01-01`.
    Set {
        currency: String,
        quote: String,
        rate: String,
        /// The first day it applies (default today; the pair's earliest rate also covers earlier dates).
        #[arg(long)]
        from: Option<String>,
    },
    /// List the exchange rates.
    List,
    /// Remove the rate of a pair that starts on a date.
    Remove {
        currency: String,
        quote: String,
        #[arg(long)]
        from: String,
    },
}

/// `credence rate set|list|remove`.
pub fn rate(ctx: &Ctx, cmd: RateCommand) -> Result<()> {
    let mut vault = ctx.open()?;
    match cmd {
        RateCommand::Set { currency, quote, rate, from } => {
            let from = from
                .as_deref()
                .map(values::parse_date)
                .transpose()?
                .unwrap_or_else(|| chrono::Local::now().date_naive());
            vault.set_exchange_rate(&currency, &quote, values::parse_amount(&rate)?, from)?;
            return ctx.done(&format!(
                "1 {} = {} {} from {from}",
                currency.to_uppercase(),
                rate.trim(),
                quote.to_uppercase()
            ));
        }
        RateCommand::List => {
            let rates = vault.exchange_rates()?;
            if ctx.global.json {
                return print_json(&rates.into_iter().map(credence_api::convert::exchange_rate).collect::<Vec<_>>());
            }
            let mut table = Table::new(&[("PAIR", false), ("RATE", true), ("FROM", false)]);
            for r in &rates {
                table.row(vec![format!("{}→{}", r.currency, r.quote), r.rate.to_string(), r.from.to_string()]);
            }
            table.print();
        }
        RateCommand::Remove { currency, quote, from } => {
            let from = values::parse_date(&from)?;
            vault.remove_exchange_rate(&currency, &quote, from)?;
            return ctx.done(&format!(
                "removed the {}→{} rate from {from}",
                currency.to_uppercase(),
                quote.to_uppercase()
            ));
        }
    }
    Ok(())
}
