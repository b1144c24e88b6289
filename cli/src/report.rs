//! `credence report …`: what the ledger adds up to.

use std::path::PathBuf;

use anyhow::Result;
use clap::Subcommand;
use credence_api::convert;
use credence_core::analytics::{report_csv, Measure, ReportQuery, ReportRow};
use credence_core::charts::{self, ChartData, Theme};
use credence_core::{values, Vault};

use crate::commands::Ctx;
use crate::output::{print_json, signed_percent, Table};

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
        /// Add other currencies into this one at the rates from `credence rate set`.
        #[arg(long, value_name = "CUR")]
        convert: Option<String>,
    },
    /// Filtered totals per period and group: money in, out, net, counts, averages; --csv writes them to
    /// a file, --save keeps the report under a name.
    Custom {
        #[command(flatten)]
        filters: Filters,
        /// week, month, quarter, year or all.
        #[arg(long, default_value = "month")]
        by: String,
        /// category, payee, account or none.
        #[arg(long, default_value = "category")]
        group: String,
        #[arg(long, value_name = "FILE.csv")]
        csv: Option<PathBuf>,
        /// Keep these filters and grouping as a saved report (run it with `report run NAME`).
        #[arg(long, value_name = "NAME")]
        save: Option<String>,
    },
    /// One figure over time (income, spending or net of what the filters select), with a moving
    /// average and the change against the period before and a year before.
    Trend {
        #[command(flatten)]
        filters: Filters,
        /// income, spending or net.
        #[arg(long, default_value = "spending")]
        of: String,
        /// week, month, quarter or year.
        #[arg(long, default_value = "month")]
        by: String,
        /// Periods in the moving average.
        #[arg(long, default_value_t = 3)]
        average: usize,
        /// Also draw it to an SVG or PNG file.
        #[arg(long, value_name = "FILE")]
        chart: Option<PathBuf>,
        /// The chart's colours: light or dark.
        #[arg(long, default_value = "light")]
        theme: String,
    },
    /// Run a saved report.
    Run {
        name: String,
        #[arg(long, value_name = "FILE.csv")]
        csv: Option<PathBuf>,
    },
    /// List the saved reports.
    Saved,
    /// Delete a saved report.
    Delete { name: String },
}

/// What a custom report or a trend looks at.
#[derive(Debug, clap::Args)]
pub struct Filters {
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
    /// Payees, whole and in any case (repeatable).
    #[arg(long)]
    payee: Vec<String>,
    /// Tags, with or without '#' (repeatable).
    #[arg(long)]
    tag: Vec<String>,
    /// Text in the payee or memo.
    #[arg(long)]
    text: Option<String>,
    #[arg(long, allow_hyphen_values = true)]
    min: Option<String>,
    #[arg(long, allow_hyphen_values = true)]
    max: Option<String>,
    /// Add other currencies into this one at the rates from `credence rate set`.
    #[arg(long, value_name = "CUR")]
    convert: Option<String>,
}

impl Filters {
    /// The flags as the contract's report request (names resolved to ids here), read by the one reader
    /// the app and the API use.
    fn query(self, vault: &Vault, by: &str, group: &str) -> Result<ReportQuery> {
        let request = credence_api::ReportRequest {
            from: self.from,
            to: self.to,
            account_ids: self
                .account
                .iter()
                .map(|a| vault.account_by_name(a).map(|a| a.id))
                .collect::<Result<_, _>>()?,
            category_ids: self
                .category
                .iter()
                .map(|c| vault.category_by_path(c).map(|c| c.id))
                .collect::<Result<_, _>>()?,
            payees: self.payee,
            tags: self.tag,
            text: self.text,
            min: self.min,
            max: self.max,
            period: by.to_string(),
            group: group.to_string(),
            convert_to: self.convert,
        };
        Ok(convert::report_query(request)?)
    }
}

pub fn run(ctx: &Ctx, cmd: ReportCommand) -> Result<()> {
    let mut vault = ctx.open()?;
    match cmd {
        ReportCommand::Monthly { from, to, account, convert } => {
            let account_id = account.map(|a| vault.account_by_name(&a).map(|a| a.id)).transpose()?;
            let query = credence_api::MonthlyQuery { from, to, account_id, convert_to: convert };
            let months = vault.monthly_report(&convert::monthly_filter(query)?)?;
            if ctx.global.json {
                return print_json(&months.into_iter().map(convert::month_report).collect::<Vec<_>>());
            }
            let mut table = Table::new(&[
                ("MONTH", false),
                ("INCOME", true),
                ("SPENDING", true),
                ("NET", true),
                ("SAVED", true),
                ("CUR", false),
            ]);
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
            note_conversions(months.iter().flat_map(|m| m.converted_from.iter()));
        }
        ReportCommand::Custom { filters, by, group, csv, save } => {
            let query = filters.query(&vault, &by, &group)?;
            if let Some(name) = save {
                vault.save_report(&name, &query)?;
                eprintln!("saved as \"{}\"; run it with `credence report run \"{}\"`", name.trim(), name.trim());
            }
            print_report(ctx, &vault.custom_report(&query)?, csv.as_deref())?;
        }
        ReportCommand::Run { name, csv } => {
            let saved = vault.saved_report(&name)?;
            print_report(ctx, &vault.custom_report(&saved.query)?, csv.as_deref())?;
        }
        ReportCommand::Saved => {
            let saved = vault.saved_reports()?;
            if ctx.global.json {
                return print_json(&saved.into_iter().map(convert::saved_report).collect::<Vec<_>>());
            }
            let mut table = Table::new(&[("NAME", false), ("BY", false), ("GROUP", false), ("FILTERS", false)]);
            for s in &saved {
                table.row(vec![
                    s.name.clone(),
                    s.query.period.as_str().into(),
                    s.query.group.as_str().into(),
                    describe_filters(&vault, &s.query),
                ]);
            }
            table.print();
        }
        ReportCommand::Delete { name } => {
            vault.delete_saved_report(&name)?;
            println!("deleted the saved report \"{}\"", name.trim());
        }
        ReportCommand::Trend { filters, of, by, average, chart, theme } => {
            let query = filters.query(&vault, &by, "none")?;
            let measure: Measure = of.parse()?;
            let trends = vault.trend(&query, measure, average, chrono::Local::now().date_naive())?;
            if let Some(path) = chart {
                let trend = trends.first().ok_or_else(|| anyhow::anyhow!("nothing to chart: no transactions match"))?;
                let title = trend_title(&vault, &query, measure);
                write_chart(&charts::trend_chart(trend, &title), theme.parse()?, &path)?;
                eprintln!("wrote {}", path.display());
            }
            if ctx.global.json {
                return print_json(&trends.iter().map(|t| convert::trend(t, None)).collect::<Vec<_>>());
            }
            for t in &trends {
                println!("{} per {}, {}-period moving average", t.measure.as_str(), t.period.as_str(), t.window);
                let mut table = Table::new(&[
                    ("PERIOD", false),
                    ("VALUE", true),
                    ("AVERAGE", true),
                    ("CHANGE", true),
                    ("VS YEAR AGO", true),
                    ("CUR", false),
                ]);
                let pct = |p| signed_percent(p, "");
                for p in &t.points {
                    let average = p.moving_average.map(|a| a.to_string()).unwrap_or_default();
                    table.row(vec![
                        p.period.clone(),
                        p.value.to_string(),
                        average,
                        pct(p.change_percent),
                        pct(p.year_change_percent),
                        t.currency.clone(),
                    ]);
                }
                table.print();
                note_conversions(t.converted_from.iter());
            }
        }
    }
    Ok(())
}

/// "Spending: Food" / "Net: Everyday, #trip".
fn trend_title(vault: &Vault, q: &ReportQuery, measure: Measure) -> String {
    match describe_filters(vault, q) {
        what if what.is_empty() => measure.label().to_string(),
        what => format!("{}: {what}", measure.label()),
    }
}

/// The filters of a query in a few words, names for ids.
fn describe_filters(vault: &Vault, q: &ReportQuery) -> String {
    let mut parts: Vec<String> = Vec::new();
    parts.extend(
        q.category_ids.iter().map(|c| vault.category(c).map_or_else(|_| "(deleted category)".into(), |c| c.path)),
    );
    parts
        .extend(q.account_ids.iter().map(|a| vault.account(a).map_or_else(|_| "(deleted account)".into(), |a| a.name)));
    parts.extend(q.payees.iter().cloned());
    parts.extend(q.tags.iter().map(|t| format!("#{}", t.trim_start_matches('#'))));
    if let Some(t) = &q.text {
        parts.push(format!("\"{t}\""));
    }
    match (q.from, q.to) {
        (Some(f), Some(t)) => parts.push(format!("{f}…{t}")),
        (Some(f), None) => parts.push(format!("from {f}")),
        (None, Some(t)) => parts.push(format!("to {t}")),
        (None, None) => {}
    }
    if let Some(c) = &q.convert_to {
        parts.push(format!("in {c}"));
    }
    parts.join(", ")
}

/// Prints a custom report's rows (or writes them as CSV).
fn print_report(ctx: &Ctx, rows: &[ReportRow], csv: Option<&std::path::Path>) -> Result<()> {
    if let Some(path) = csv {
        credence_core::files::write_atomically(path, report_csv(rows)?.as_bytes())?;
        println!("wrote {} rows to {}", rows.len(), path.display());
        return Ok(());
    }
    if ctx.global.json {
        return print_json(&rows.iter().cloned().map(convert::report_row).collect::<Vec<_>>());
    }
    let mut table = Table::new(&[
        ("PERIOD", false),
        ("GROUP", false),
        ("IN", true),
        ("OUT", true),
        ("TOTAL", true),
        ("COUNT", true),
        ("AVERAGE", true),
        ("CUR", false),
    ]);
    for r in rows {
        table.row(vec![
            r.period.clone(),
            r.group.clone(),
            r.income.to_string(),
            r.expense.to_string(),
            r.total.to_string(),
            r.count.to_string(),
            r.average.to_string(),
            r.currency.clone(),
        ]);
    }
    table.print();
    Ok(())
}

/// Says on stderr which currencies a converted figure took in, so a sum across currencies is never silent.
fn note_conversions<'a>(currencies: impl Iterator<Item = &'a String>) {
    let set: std::collections::BTreeSet<&String> = currencies.collect();
    if !set.is_empty() {
        eprintln!("converted at your rates: {}", set.into_iter().cloned().collect::<Vec<_>>().join(", "));
    }
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
    let month = |text: Option<String>| {
        text.as_deref().map(|m| values::parse_date_or_month(m, false)).transpose().map(|m| m.unwrap_or_else(this_month))
    };
    match cmd {
        BudgetCommand::Set { category, amount, from, currency } => {
            let mut vault = ctx.open()?;
            let category = vault.category_by_path(&category)?;
            let amount = values::parse_amount(&amount)?;
            let from = month(from)?;
            vault.set_budget(&category.id, amount, &currency, from)?;
            ctx.done(&format!(
                "budget for {}: {amount} {} a month from {}",
                category.path,
                currency.to_uppercase(),
                from.format("%Y-%m")
            ))
        }
        BudgetCommand::Show { month: m } => {
            let lines = ctx.open()?.budgets(month(m)?)?;
            if ctx.global.json {
                return print_json(&lines.into_iter().map(convert::budget).collect::<Vec<_>>());
            }
            let mut table = Table::new(&[
                ("CATEGORY", false),
                ("BUDGET", true),
                ("SPENT", true),
                ("LEFT", true),
                ("USED", true),
                ("CUR", false),
            ]);
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
    /// monthly (income and spending), categories (this month's spending), net-worth, utilization, score.
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
    /// The currency to chart (default: the one most accounts use); others are added at your rates.
    #[arg(long)]
    currency: Option<String>,
}

/// `credence chart KIND --out FILE.svg|.png`.
pub fn chart(ctx: &Ctx, args: ChartArgs) -> Result<()> {
    let kind: charts::ChartKind = args.kind.parse()?;
    let today = chrono::Local::now().date_naive();
    let data = ctx.open()?.chart(kind, today, args.months, args.currency.as_deref())?;
    write_chart(&data, args.theme.parse()?, &args.out)?;
    println!("wrote {}", args.out.display());
    Ok(())
}

/// Writes a chart as SVG or PNG, by the file's ending.
fn write_chart(data: &ChartData, theme: Theme, out: &std::path::Path) -> Result<()> {
    match out.extension().and_then(|e| e.to_str()).map(str::to_ascii_lowercase).as_deref() {
        Some("svg") => std::fs::write(out, charts::svg(data, theme)?)
            .map_err(|e| anyhow::anyhow!("cannot write {}: {e}", out.display())),
        Some("png") => Ok(charts::write_png(data, theme, out)?),
        _ => anyhow::bail!("give the chart a file ending in .svg or .png"),
    }
}

#[derive(Debug, clap::Args)]
pub struct RecurringArgs {
    /// What was running on this date (default: today).
    #[arg(long)]
    as_of: Option<String>,
    /// Lapsed series too (two expected payments have not come).
    #[arg(long)]
    all: bool,
}

/// `credence recurring`: subscriptions and other recurring payments, with what to expect next.
pub fn recurring(ctx: &Ctx, args: RecurringArgs) -> Result<()> {
    let as_of =
        args.as_of.as_deref().map(values::parse_date).transpose()?.unwrap_or_else(|| chrono::Local::now().date_naive());
    let series: Vec<_> =
        ctx.open()?.recurring_payments(as_of)?.into_iter().filter(|s| args.all || s.is_running()).collect();
    if ctx.global.json {
        return print_json(&series.into_iter().map(convert::recurring).collect::<Vec<_>>());
    }
    let mut table = Table::new(&[
        ("PAYEE", false),
        ("EVERY", false),
        ("AMOUNT", true),
        ("NEXT", false),
        ("ACCOUNT", false),
        ("NOTE", false),
    ]);
    for s in &series {
        table.row(vec![
            s.payee.clone(),
            s.cadence.as_str().into(),
            format!("{} {}", s.amount, s.currency),
            s.next_date.to_string(),
            s.account.clone(),
            s.notes().join("; "),
        ]);
    }
    table.print();
    Ok(())
}
