//! `credence`: every core capability, headless and scriptable. This crate only parses arguments, asks
//! for secrets, calls one core function per command and prints the result (a table, or JSON with
//! `--json`). Errors reach the user as one line on stderr and a non-zero exit code.

mod coach;
mod commands;
mod dashboard;
mod import;
mod output;
mod report;
mod rules;
mod score;
mod secrets;
mod serve;
mod sync;

use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Args, Parser, Subcommand};

#[derive(Debug, Parser)]
#[command(name = "credence", version, about = "Your credit score and finances, private and offline.")]
struct Cli {
    #[command(flatten)]
    global: Global,
    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Args)]
pub struct Global {
    /// The vault file (default: $CREDENCE_VAULT, else the OS data folder).
    #[arg(long, global = true, env = "CREDENCE_VAULT", value_name = "PATH")]
    pub vault: Option<PathBuf>,
    /// Read the passphrase from this file (first line) instead of $CREDENCE_PASSPHRASE or a prompt.
    #[arg(long, global = true, value_name = "FILE")]
    pub passphrase_file: Option<PathBuf>,
    /// Print machine-readable JSON.
    #[arg(long, global = true)]
    pub json: bool,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Create a new encrypted vault and show its recovery key once.
    Init,
    /// Print the path of the vault this command would use.
    Where,
    /// Change the vault's passphrase (the data is not re-encrypted).
    Passwd {
        /// Read the new passphrase from this file (else $CREDENCE_NEW_PASSPHRASE, else a prompt).
        #[arg(long, value_name = "FILE")]
        new_passphrase_file: Option<PathBuf>,
    },
    /// Set a new passphrase using the recovery key.
    Recover {
        /// Read the 24-word recovery key from this file (else $CREDENCE_RECOVERY_KEY, else a prompt).
        #[arg(long, value_name = "FILE")]
        recovery_key_file: Option<PathBuf>,
        /// Read the new passphrase from this file (else $CREDENCE_NEW_PASSPHRASE, else a prompt).
        #[arg(long, value_name = "FILE")]
        new_passphrase_file: Option<PathBuf>,
    },
    /// Issue a new recovery key and retire the old one (if it may have been seen), shown once.
    RecoveryKey {
        /// Required: the old recovery key stops working.
        #[arg(long = "new")]
        new: bool,
    },
    /// Rotate the keys: re-encrypt the database under a new random key and issue a new recovery key
    /// (shown once). The passphrase stays; old key files, recovery keys and remembered keys stop
    /// opening the vault (backups taken before keep their own keys).
    Rekey,
    /// Check the vault: SQLite integrity, every page's HMAC, references.
    Integrity,
    /// Keep the vault's key in the OS keychain so this device opens it without the passphrase.
    Remember,
    /// Remove the vault's key from the OS keychain.
    Forget,
    /// Write an encrypted backup (vault + key file in one file).
    Backup { file: PathBuf },
    /// Replace the vault with a backup (the current files are kept aside).
    Restore { file: PathBuf },
    /// Accounts: checking, savings, cards, loans, cash.
    #[command(subcommand)]
    Account(commands::AccountCommand),
    /// Categories (hierarchical: "Food:Groceries").
    #[command(subcommand)]
    Category(commands::CategoryCommand),
    /// Transactions.
    #[command(subcommand)]
    Tx(commands::TxCommand),
    /// Import a bank statement (CSV in a known or mapped layout, OFX, QFX); `import undo|formats|list`.
    Import(commands::ImportArgs),
    /// Categorization rules: `rule add|list|delete|apply`.
    #[command(subcommand)]
    Rule(rules::RuleCommand),
    /// The credit coach: each card's statement, due date, payment and streak, and what to do before it
    /// costs points; `coach bills` lists bills paid on time.
    Coach(coach::CoachArgs),
    /// Subscriptions and other recurring payments: what to expect next, price changes, missed ones.
    Recurring(report::RecurringArgs),
    /// Reports: `report monthly|custom|trend`, saved reports: `report run|saved|delete`.
    #[command(subcommand)]
    Report(report::ReportCommand),
    /// This month against last, spending by category, net worth and card utilization.
    Dashboard(dashboard::DashboardArgs),
    /// Exchange rates for reports that add currencies together: `rate set|list|remove`.
    #[command(subcommand)]
    Rate(dashboard::RateCommand),
    /// Draw a chart to an SVG or PNG file: monthly, categories, net-worth, utilization or score.
    Chart(report::ChartArgs),
    /// Monthly budgets per category: `budget set|show`.
    #[command(subcommand)]
    Budget(report::BudgetCommand),
    /// The estimated credit score, explained point by point.
    Score(score::ScoreArgs),
    /// The credit report kept in the vault: `credit import|export|show`.
    #[command(subcommand)]
    Credit(score::CreditCommand),
    /// Serve the local REST API (/api/v1; OpenAPI at /api/v1/openapi.json) on loopback over the unlocked
    /// vault; requests carry the token kept owner-only beside the vault.
    Serve(serve::ServeArgs),
    /// End-to-end-encrypted sync between your devices: `sync` (once), `sync register|join|login|status|
    /// conflicts|devices|revoke|leave`.
    Sync(sync::SyncArgs),
    /// Undo the last change (repeat to go further back).
    Undo,
    /// The change log: what changed, when, on which device.
    Log {
        #[arg(long, default_value_t = 20)]
        limit: usize,
    },
}

fn main() -> ExitCode {
    // `credence tx list | head` should end quietly when the reader goes away, like any Unix tool.
    sigpipe::reset();
    let cli = Cli::parse();
    match commands::run(cli.global, cli.command) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("credence: {e:#}");
            ExitCode::FAILURE
        }
    }
}
