//! `credence import`: statement files in, a summary (or JSON, or a dry-run preview) out, with a
//! progress bar on stderr for long files when stderr is a terminal.

use std::io::IsTerminal;

use anyhow::{Context, Result};
use credence_api::convert;
use credence_core::import::{ImportOptions, ImportReport, RowOutcome};

use crate::commands::{Ctx, ImportArgs, ImportCommand};
use crate::output::{print_json, Table};

/// New rows in one page of a dry run's preview (every duplicate and rejection is listed besides).
const PAGE_ROWS: usize = 50;

pub fn run(ctx: &Ctx, args: ImportArgs) -> Result<()> {
    match args.command {
        Some(ImportCommand::Formats) => formats(ctx),
        Some(ImportCommand::List) => list(ctx),
        Some(ImportCommand::Undo { batch }) => {
            let undone = ctx.open()?.undo_import(&batch)?;
            ctx.done(&format!("removed the {} transactions imported from {}", undone.imported, undone.file_name))
        }
        None => import(ctx, args),
    }
}

fn import(ctx: &Ctx, args: ImportArgs) -> Result<()> {
    let file = args.file.context("give the statement file to import")?;
    let account = args.account.context("give --account NAME")?;
    anyhow::ensure!(args.page >= 1, "--page counts from 1");
    let mut vault = ctx.open()?;
    let account = vault.account_by_name(&account)?;
    let options = ImportOptions {
        format: Some(args.format),
        mapping: args.map,
        encoding: args.encoding,
        dry_run: args.dry_run,
        accept_guess: args.accept_guess,
        preview_rows: if args.dry_run { PAGE_ROWS } else { 0 },
        preview_skip: (args.page - 1) * PAGE_ROWS,
        // Ctrl-C ends the process; the open transaction then rolls back by itself.
        cancel: None,
    };
    let bar = progress_bar(ctx.global.json);
    let report = vault.import_file(&file, &account.id, &options, &mut |p| {
        if let Some(bar) = &bar {
            bar.set_length(p.rows_total);
            bar.set_position(p.rows_done);
        }
    });
    if let Some(bar) = bar {
        bar.finish_and_clear();
    }
    let report = report.map_err(|e| match e {
        credence_core::Error::Unconfirmed(_) => anyhow::anyhow!(
            "{e}. Look at the rows with --dry-run, then run again with --accept-guess to confirm, or give --format or --map"
        ),
        other => other.into(),
    })?;
    let (rejected, rows) = (report.rejected, report.rows);
    if ctx.global.json {
        print_json(&convert::import_report(report, &account.currency, args.page, PAGE_ROWS))?;
    } else {
        print_report(&report, &file.display().to_string(), &account.name, args.page);
    }
    // A file none of whose rows could be read is a failure, whatever was printed.
    anyhow::ensure!(rejected < rows, "every one of the {rows} rows was rejected; nothing was imported");
    Ok(())
}

fn progress_bar(json: bool) -> Option<indicatif::ProgressBar> {
    if json || !std::io::stderr().is_terminal() {
        return None;
    }
    let bar = indicatif::ProgressBar::with_draw_target(Some(0), indicatif::ProgressDrawTarget::stderr());
    if let Ok(style) = indicatif::ProgressStyle::with_template("{bar:40} {pos}/{len} rows ({per_sec}, {eta} left)") {
        bar.set_style(style);
    }
    Some(bar)
}

fn print_report(r: &ImportReport, file: &str, account: &str, page: usize) {
    let verb = if r.dry_run { "Dry run: would import" } else { "Imported" };
    println!(
        "{verb} {} of {} rows from {file} into {account} (layout {}, {}).",
        r.imported, r.rows, r.format, r.encoding
    );
    println!("  {} new + {} duplicates + {} rejected = {} rows read", r.imported, r.duplicates, r.rejected, r.rows);
    println!("How the file was read:");
    for d in &r.decisions {
        println!("  {:<13} {:<22} {}: {}", d.aspect.as_str(), d.choice, d.basis.as_str(), d.evidence);
    }
    for doubt in &r.doubts {
        println!("  doubt: {doubt}");
    }
    if r.dry_run && r.needs_confirmation {
        println!(
            "  Something above is only guessed or in doubt: importing needs --accept-guess (or --format / --map)."
        );
    }
    for e in &r.errors {
        println!("  line {}: {}", e.line, e.message);
    }
    if (r.errors.len() as u64) < r.rejected {
        println!("  … and {} more rejected rows", r.rejected - r.errors.len() as u64);
    }
    for w in &r.warnings {
        println!("  warning: {w}");
    }
    if r.dry_run && !r.preview.is_empty() {
        let mut table =
            Table::new(&[("LINE", true), ("DATE", false), ("AMOUNT", true), ("PAYEE", false), ("OUTCOME", false)]);
        for p in &r.preview {
            let outcome = match &p.outcome {
                RowOutcome::Imported { .. } => "new".to_string(),
                RowOutcome::Duplicate { of } => format!("duplicate of {of}"),
                RowOutcome::Rejected { reason } => format!("rejected: {reason}"),
            };
            table.row(vec![
                p.line.to_string(),
                p.date.map(|d| d.to_string()).unwrap_or_default(),
                p.amount.map(|a| a.to_string()).unwrap_or_default(),
                p.payee.clone(),
                outcome,
            ]);
        }
        println!();
        table.print();
        let pages = r.imported.div_ceil(PAGE_ROWS as u64);
        if pages > 1 {
            println!("New rows: page {page} of {pages} (--page N for another).");
        }
    }
    if let Some(batch) = &r.batch {
        println!("Undo it with: credence import undo {batch}");
    }
}

fn formats(ctx: &Ctx) -> Result<()> {
    let formats = convert::import_formats();
    if ctx.global.json {
        return print_json(&formats);
    }
    let mut table = Table::new(&[("FORMAT", false), ("BANK / LAYOUT", false)]);
    for f in formats {
        table.row(vec![f.id, f.name]);
    }
    table.print();
    Ok(())
}

fn list(ctx: &Ctx) -> Result<()> {
    let batches = ctx.open()?.import_batches()?;
    if ctx.global.json {
        return print_json(&batches.into_iter().map(convert::import_batch).collect::<Vec<_>>());
    }
    let mut table = Table::new(&[
        ("WHEN", false),
        ("ACCOUNT", false),
        ("FILE", false),
        ("NEW", true),
        ("STILL THERE", true),
        ("BATCH", false),
    ]);
    for b in &batches {
        table.row(vec![
            b.imported_at.clone(),
            b.account.clone(),
            b.file_name.clone(),
            b.imported.to_string(),
            b.remaining.to_string(),
            b.id.clone(),
        ]);
    }
    table.print();
    Ok(())
}
