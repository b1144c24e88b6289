//! `credence score`: the estimate, explained.

use std::path::PathBuf;

use anyhow::{bail, Context, Result};
use credence_core::score::{estimate, CreditProfile, Estimate, Flavour};
use credence_core::values;
use rust_decimal::prelude::ToPrimitive;
use serde_json::json;

use crate::commands::Ctx;
use crate::output::{print_json, Table};

#[derive(Debug, clap::Args)]
pub struct ScoreArgs {
    /// Evaluate a credit-profile JSON file (no vault needed).
    #[arg(long, value_name = "FILE.json")]
    report: Option<PathBuf>,
    /// fico8 (default), fico9, fico_legacy or vantage.
    #[arg(long, default_value = "fico8")]
    flavour: String,
    /// Score as of this date (default: the profile's as_of).
    #[arg(long)]
    as_of: Option<String>,
}

pub fn run(ctx: &Ctx, args: ScoreArgs) -> Result<()> {
    let flavour = Flavour::parse(&args.flavour)
        .with_context(|| format!("\"{}\" is not a score flavour (use fico8, fico9, fico_legacy or vantage)", args.flavour))?;
    let Some(report) = args.report else {
        bail!("the vault does not hold credit data yet; evaluate a credit-profile file with --report FILE.json");
    };
    let text = std::fs::read_to_string(&report).with_context(|| format!("cannot read {}", report.display()))?;
    let profile = CreditProfile::from_json(&text)?;
    let as_of = args.as_of.as_deref().map(values::parse_date).transpose()?.unwrap_or(profile.as_of);
    let e = estimate(&profile, as_of, flavour);
    if ctx.global.json {
        return print_json(&estimate_json(&e));
    }
    print_estimate(&e);
    Ok(())
}

fn estimate_json(e: &Estimate) -> serde_json::Value {
    let Some(score) = e.score else {
        return json!({ "score": null, "not_scorable": e.not_scorable, "flavour": e.flavour.as_str(), "model_version": e.model_version });
    };
    json!({
        "score": score,
        "range": e.range.map(|(lo, hi)| [lo, hi]),
        "band": e.band,
        "flavour": e.flavour.as_str(),
        "model_version": e.model_version,
        "categories": e.categories.iter().map(|c| json!({ "name": c.name, "points": c.points, "max": c.max })).collect::<Vec<_>>(),
        "derogatory_effect": e.derogatory_effect,
        "reasons": e.reasons.iter().map(|r| json!({ "code": r.code, "text": r.text, "points_lost": r.points_lost.to_f64() })).collect::<Vec<_>>(),
        "positives": e.positives,
    })
}

fn print_estimate(e: &Estimate) {
    let Some(score) = e.score else {
        println!("Not enough on the report to estimate a score:");
        for why in &e.not_scorable {
            println!("  - {why}");
        }
        return;
    };
    let (lo, hi) = e.range.unwrap_or((score, score));
    println!("Estimated score: {score} ({}), likely between {lo} and {hi}", e.band.unwrap_or(""));
    println!("An estimate from your own data ({}, {}), not a FICO or VantageScore.", e.flavour.as_str(), e.model_version);
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
    }
    if !e.positives.is_empty() {
        println!("What helps:");
        for p in &e.positives {
            println!("  + {p}");
        }
    }
}
