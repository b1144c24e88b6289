//! `credence report …`: what the ledger adds up to.

use anyhow::Result;
use clap::Subcommand;
use credence_core::analytics::MonthlyFilter;
use credence_core::values;
use serde_json::json;

use crate::commands::Ctx;
use crate::output::{print_json, Table};

#[derive(Debug, Subcommand)]
pub enum ReportCommand {
    /// Income, spending, net and spending by category per month (transfers left out).
    Monthly {
        /// A date or a month (YYYY-MM).
        #[arg(long)]
        from: Option<String>,
        #[arg(long)]
        to: Option<String>,
        #[arg(long)]
        account: Option<String>,
    },
    /// Filtered totals per period and group, with counts and averages; --csv writes them to a file.
    Custom {
        /// A date or a month (YYYY-MM).
        #[arg(long)]
        from: Option<String>,
        #[arg(long)]
        to: Option<String>,
        /// Account names (repeatable).
        #[arg(long)]
        account: Vec<String>,
        /// Category paths or names, sub-categories included (repeatable).
        #[arg(long)]
        category: Vec<String>,
        /// Text in the payee or memo.
        #[arg(long)]
        text: Option<String>,
        #[arg(long, allow_hyphen_values = true)]
        min: Option<String>,
        #[arg(long, allow_hyphen_values = true)]
        max: Option<String>,
        /// month, quarter, year or all.
        #[arg(long, default_value = "month")]
        by: String,
        /// category, payee, account or none.
        #[arg(long, default_value = "category")]
        group: String,
        #[arg(long, value_name = "FILE.csv")]
        csv: Option<std::path::PathBuf>,
    },
}

pub fn run(ctx: &Ctx, cmd: ReportCommand) -> Result<()> {
    let vault = ctx.open()?;
    match cmd {
        ReportCommand::Monthly { from, to, account } => {
            let filter = MonthlyFilter {
                from: from.as_deref().map(|f| values::parse_date_or_month(f, false)).transpose()?,
                to: to.as_deref().map(|t| values::parse_date_or_month(t, true)).transpose()?,
                account_id: account.map(|a| vault.account_by_name(&a).map(|a| a.id)).transpose()?,
            };
            let months = vault.monthly_report(&filter)?;
            if ctx.global.json {
                return print_json(&json!(months
                    .iter()
                    .map(|m| json!({
                        "month": m.month,
                        "currency": m.currency,
                        "income": m.income.to_string(),
                        "expense": m.expense.to_string(),
                        "net": m.net.to_string(),
                        "categories": m.categories.iter().map(|(k, v)| (k.clone(), json!(v.to_string()))).collect::<serde_json::Map<_, _>>(),
                        "transactions": m.transactions,
                    }))
                    .collect::<Vec<_>>()));
            }
            let mut table = Table::new(&[("MONTH", false), ("INCOME", true), ("SPENDING", true), ("NET", true), ("SAVED", true), ("CUR", false)]);
            for m in &months {
                table.row(vec![
                    m.month.clone(),
                    m.income.to_string(),
                    m.expense.to_string(),
                    m.net.to_string(),
                    m.savings_rate().map(|r| format!("{r}%")).unwrap_or_default(),
                    m.currency.clone(),
                ]);
            }
            table.print();
        }
        ReportCommand::Custom { from, to, account, category, text, min, max, by, group, csv } => {
            let query = credence_core::analytics::ReportQuery {
                from: from.as_deref().map(|f| values::parse_date_or_month(f, false)).transpose()?,
                to: to.as_deref().map(|t| values::parse_date_or_month(t, true)).transpose()?,
                account_ids: account.iter().map(|a| vault.account_by_name(a).map(|a| a.id)).collect::<Result<_, _>>()?,
                category_ids: category.iter().map(|c| vault.category_by_path(c).map(|c| c.id)).collect::<Result<_, _>>()?,
                text,
                min: min.as_deref().map(values::parse_amount).transpose()?,
                max: max.as_deref().map(values::parse_amount).transpose()?,
                period: by.parse()?,
                group: group.parse()?,
            };
            let rows = vault.custom_report(&query)?;
            if let Some(path) = csv {
                let mut out = csv_writer(&path)?;
                out.write_record(["period", "group", "currency", "total", "count", "average"])?;
                for r in &rows {
                    out.write_record([&r.period, &r.group, &r.currency, &r.total.to_string(), &r.count.to_string(), &r.average.to_string()])?;
                }
                out.flush()?;
                println!("wrote {} rows to {}", rows.len(), path.display());
                return Ok(());
            }
            if ctx.global.json {
                return print_json(&json!(rows
                    .iter()
                    .map(|r| json!({
                        "period": r.period, "group": r.group, "currency": r.currency, "total": r.total.to_string(),
                        "count": r.count, "average": r.average.to_string(),
                    }))
                    .collect::<Vec<_>>()));
            }
            let mut table = Table::new(&[("PERIOD", false), ("GROUP", false), ("TOTAL", true), ("COUNT", true), ("AVERAGE", true), ("CUR", false)]);
            for r in &rows {
                table.row(vec![r.period.clone(), r.group.clone(), r.total.to_string(), r.count.to_string(), r.average.to_string(), r.currency.clone()]);
            }
            table.print();
        }
    }
    Ok(())
}

fn csv_writer(path: &std::path::Path) -> Result<csv::Writer<std::fs::File>> {
    Ok(csv::Writer::from_writer(std::fs::File::create(path).map_err(|e| anyhow::anyhow!("cannot write {}: {e}", path.display()))?))
}

#[derive(Debug, Subcommand)]
pub enum BudgetCommand {
    /// Set a category's monthly budget from a month on (0 ends it).
    Set {
        /// A category path or name ("Food", "Food:Groceries").
        category: String,
        amount: String,
        /// The first month it applies to (YYYY-MM; default this month).
        #[arg(long)]
        from: Option<String>,
        #[arg(long, default_value = "USD")]
        currency: String,
    },
    /// Each budget with what was spent against it in a month.
    Show {
        /// YYYY-MM (default this month).
        #[arg(long)]
        month: Option<String>,
    },
}

/// `credence budget set|show`.
pub fn budget(ctx: &Ctx, cmd: BudgetCommand) -> Result<()> {
    let this_month = || chrono::Local::now().date_naive();
    let month = |text: Option<String>| text.as_deref().map(|m| values::parse_date_or_month(m, false)).transpose().map(|m| m.unwrap_or_else(this_month));
    match cmd {
        BudgetCommand::Set { category, amount, from, currency } => {
            let mut vault = ctx.open()?;
            let category = vault.category_by_path(&category)?;
            let amount = values::parse_amount(&amount)?;
            let from = month(from)?;
            vault.set_budget(&category.id, amount, &currency, from)?;
            println!("budget for {}: {amount} {} a month from {}", category.path, currency.to_uppercase(), from.format("%Y-%m"));
            Ok(())
        }
        BudgetCommand::Show { month: m } => {
            let lines = ctx.open()?.budgets(month(m)?)?;
            if ctx.global.json {
                return print_json(&json!(lines
                    .iter()
                    .map(|b| json!({
                        "category": b.category, "currency": b.currency, "since": b.since, "budget": b.budget.to_string(),
                        "spent": b.spent.to_string(), "remaining": b.remaining.to_string(), "used_percent": b.used_percent.to_string(),
                    }))
                    .collect::<Vec<_>>()));
            }
            let mut table = Table::new(&[("CATEGORY", false), ("BUDGET", true), ("SPENT", true), ("LEFT", true), ("USED", true), ("CUR", false)]);
            for b in &lines {
                table.row(vec![
                    b.category.clone(),
                    b.budget.to_string(),
                    b.spent.to_string(),
                    b.remaining.to_string(),
                    format!("{}%", b.used_percent),
                    b.currency.clone(),
                ]);
            }
            table.print();
            Ok(())
        }
    }
}

#[derive(Debug, clap::Args)]
pub struct ChartArgs {
    /// monthly (income and spending), categories (this month's spending), net-worth, utilization.
    kind: String,
    /// The file to write: .svg or .png.
    #[arg(long)]
    out: std::path::PathBuf,
    /// light or dark.
    #[arg(long, default_value = "light")]
    theme: String,
    /// How many months, up to this one.
    #[arg(long, default_value_t = 12)]
    months: u32,
    /// The currency to chart (default: the one most accounts use).
    #[arg(long)]
    currency: Option<String>,
}

/// `credence chart KIND --out FILE.svg|.png`.
pub fn chart(ctx: &Ctx, args: ChartArgs) -> Result<()> {
    use credence_core::charts;
    let kind: charts::ChartKind = args.kind.parse()?;
    let theme: charts::Theme = args.theme.parse()?;
    let today = chrono::Local::now().date_naive();
    let data = ctx.open()?.chart(kind, today, args.months, args.currency.as_deref())?;
    match args.out.extension().and_then(|e| e.to_str()).map(str::to_ascii_lowercase).as_deref() {
        Some("svg") => std::fs::write(&args.out, charts::svg(&data, theme)?)?,
        Some("png") => charts::png(&data, theme, &args.out)?,
        _ => anyhow::bail!("give --out a file ending in .svg or .png"),
    }
    println!("wrote {}", args.out.display());
    Ok(())
}

/// `credence recurring`: subscriptions and other recurring payments, with what to expect next.
pub fn recurring(ctx: &Ctx) -> Result<()> {
    let today = chrono::Local::now().date_naive();
    let series = ctx.open()?.recurring_payments(today)?;
    if ctx.global.json {
        return print_json(&json!(series
            .iter()
            .map(|s| json!({
                "payee": s.payee, "account": s.account, "currency": s.currency, "cadence": s.cadence.as_str(),
                "occurrences": s.occurrences, "last_date": s.last_date.to_string(), "amount": s.amount.to_string(),
                "next_date": s.next_date.to_string(), "skipped": s.skipped, "missed": s.missed,
                "price_change": s.price_change.map(|(old, new, on)| json!({ "from": old.to_string(), "to": new.to_string(), "on": on.to_string() })),
            }))
            .collect::<Vec<_>>()));
    }
    let mut table = Table::new(&[("PAYEE", false), ("EVERY", false), ("AMOUNT", true), ("NEXT", false), ("ACCOUNT", false), ("NOTE", false)]);
    for s in &series {
        let mut notes = Vec::new();
        if let Some((old, new, on)) = s.price_change {
            notes.push(format!("price {old} → {new} since {on}"));
        }
        if s.missed {
            notes.push("expected payment has not come: cancelled?".to_string());
        }
        table.row(vec![s.payee.clone(), s.cadence.as_str().into(), format!("{} {}", s.amount, s.currency), s.next_date.to_string(), s.account.clone(), notes.join("; ")]);
    }
    table.print();
    Ok(())
}
