//! One function per command: resolve names to ids with core lookups, call core, print.

use std::path::PathBuf;
use std::str::FromStr;

use anyhow::{bail, Result};
use clap::Subcommand;
use credence_core::{
    values, AccountKind, CategoryKind, Error as CoreError, NewAccount, NewTransaction, TransactionEdit,
    TransactionFilter, Vault,
};

use crate::output::{print_json, Table};
use crate::secrets::{self, NEW_PASSPHRASE_ENV};
use crate::{Command, Global};
use credence_api::{self as api, convert};

#[derive(Debug, Subcommand)]
pub enum AccountCommand {
    /// Add an account.
    Add {
        name: String,
        #[arg(
            long = "type",
            value_name = "TYPE",
            help = "checking, savings, credit-card, loan, cash, investment or other"
        )]
        kind: String,
        #[arg(long, default_value = "USD")]
        currency: String,
        /// Credit limit (cards and loans).
        #[arg(long, allow_hyphen_values = true)]
        limit: Option<String>,
    },
    /// List accounts with balances.
    List,
    /// Rename an account, change its limit, or set a card's or loan's statement and due days.
    Edit {
        name: String,
        /// A new name.
        #[arg(long = "name", value_name = "NEW_NAME")]
        new_name: Option<String>,
        /// A new credit limit ("" removes it).
        #[arg(long)]
        limit: Option<String>,
        /// The day of the month the statement closes, 1 to 31 (0: infer it from the payments again).
        #[arg(long, value_name = "DAY")]
        statement_day: Option<u32>,
        /// The day of the month the payment is due, 1 to 31 (0: infer it again).
        #[arg(long, value_name = "DAY")]
        due_day: Option<u32>,
    },
    /// Hide an account from everyday lists (its history stays).
    Archive { name: String },
}

#[derive(Debug, clap::Args)]
#[command(args_conflicts_with_subcommands = true, subcommand_negates_reqs = true)]
pub struct ImportArgs {
    #[command(subcommand)]
    pub command: Option<ImportCommand>,
    /// The statement file.
    #[arg(required = true)]
    pub file: Option<PathBuf>,
    /// The account the statement belongs to.
    #[arg(long, required = true)]
    pub account: Option<String>,
    /// auto (default) or a layout from `credence import formats`.
    #[arg(long, default_value = "auto")]
    pub format: String,
    /// Which column is which, e.g. "date=Posting Date,amount=Amount,payee=Description" (columns by
    /// name or number; also debit=, credit=, memo=, balance=, id=, sign=inverted, dates=DD/MM/YYYY,
    /// decimal=comma). Remembered for this account and header.
    #[arg(long, value_name = "SPEC")]
    pub map: Option<String>,
    /// The file's text encoding, when detection gets it wrong (utf-8, windows-1252, utf-16, …).
    #[arg(long)]
    pub encoding: Option<String>,
    /// Show what would happen, row by row, without changing anything: how the file was read (each
    /// decision and what proves it), every duplicate and rejected row, and a page of the new rows.
    #[arg(long)]
    pub dry_run: bool,
    /// With --dry-run: which page of new rows to show (50 a page).
    #[arg(long, default_value_t = 1, value_name = "N")]
    pub page: usize,
    /// Write even though the layout, date order, decimal mark or sign is only guessed, or a sanity
    /// check failed (look at --dry-run first).
    #[arg(long)]
    pub accept_guess: bool,
}

#[derive(Debug, Subcommand)]
pub enum ImportCommand {
    /// Remove every transaction an import added.
    Undo { batch: String },
    /// List the built-in bank layouts.
    Formats,
    /// List past imports.
    List,
}

#[derive(Debug, Subcommand)]
pub enum CategoryCommand {
    /// Add a category by path, e.g. "Food:Snacks" (missing parents are created).
    Add {
        path: String,
        #[arg(long, help = "expense (default), income or transfer")]
        kind: Option<String>,
    },
    /// List categories.
    List,
}

#[derive(Debug, Subcommand)]
pub enum TxCommand {
    /// Add a transaction (money out negative, money in positive).
    Add {
        #[arg(long)]
        account: String,
        #[arg(long)]
        date: String,
        #[arg(long, allow_hyphen_values = true)]
        amount: String,
        #[arg(long)]
        payee: String,
        #[arg(long)]
        category: Option<String>,
        #[arg(long, default_value = "")]
        memo: String,
    },
    /// List transactions, newest first.
    List {
        #[arg(long)]
        account: Option<String>,
        #[arg(long)]
        from: Option<String>,
        #[arg(long)]
        to: Option<String>,
        /// A category includes its sub-categories.
        #[arg(long)]
        category: Option<String>,
        /// Text to find in the payee, the bank's payee text or the memo.
        #[arg(long)]
        search: Option<String>,
        #[arg(long)]
        limit: Option<usize>,
    },
    /// Change fields of a transaction (ID: the whole id, or a unique start or end of it).
    Edit {
        id: String,
        #[arg(long)]
        account: Option<String>,
        #[arg(long)]
        date: Option<String>,
        #[arg(long, allow_hyphen_values = true)]
        amount: Option<String>,
        #[arg(long)]
        payee: Option<String>,
        /// A category path, or "" to clear it.
        #[arg(long)]
        category: Option<String>,
        #[arg(long)]
        memo: Option<String>,
        /// Tags, comma-separated, replacing the old ones ("" clears them).
        #[arg(long)]
        tags: Option<String>,
        /// With --category: also create a rule filing this payee there from now on, and apply it.
        #[arg(long)]
        learn: bool,
    },
    /// Delete a transaction (undo brings it back).
    Delete { id: String },
}

pub fn run(global: Global, command: Command) -> Result<()> {
    let path = match &global.vault {
        Some(p) => p.clone(),
        None => credence_core::vault::default_path()?,
    };
    let ctx = Ctx { path, global };
    match command {
        Command::Init => ctx.init(),
        Command::Where => {
            if ctx.global.json {
                let location = api::VaultLocation { vault: ctx.path.display().to_string(), exists: ctx.path.exists() };
                return print_json(&location);
            }
            println!("{}", ctx.path.display());
            Ok(())
        }
        Command::Passwd { new_passphrase_file } => {
            let mut vault = ctx.open()?;
            let new = secrets::new_passphrase(NEW_PASSPHRASE_ENV, new_passphrase_file.as_deref(), "New passphrase")?;
            vault.change_passphrase(&new)?;
            ctx.done("passphrase changed")
        }
        Command::Recover { recovery_key_file, new_passphrase_file } => {
            let recovery = secrets::recovery_key(recovery_key_file.as_deref())?;
            let new = secrets::new_passphrase(NEW_PASSPHRASE_ENV, new_passphrase_file.as_deref(), "New passphrase")?;
            Vault::recover(&ctx.path, &recovery, &new)?;
            ctx.done("new passphrase set with the recovery key")
        }
        Command::RecoveryKey { new } => {
            if !new {
                anyhow::bail!("a recovery key is shown only once, when it is made; `credence recovery-key --new` issues a new one and retires the old");
            }
            let recovery = ctx.open()?.new_recovery_key()?;
            ctx.show_recovery_key(&recovery, "A new recovery key; the old one no longer opens this vault")
        }
        Command::Rekey => {
            // Asked for even when the vault is remembered: the new key is sealed under it.
            let passphrase = secrets::unlock_passphrase(ctx.global.passphrase_file.as_deref())?;
            let recovery = Vault::open(&ctx.path, &passphrase)?.rekey(&passphrase)?;
            ctx.show_recovery_key(&recovery, "The vault is re-encrypted under a new key; the passphrase is unchanged, and this new recovery key replaces the old one")
        }
        Command::Integrity => ctx.integrity(),
        Command::Remember => {
            ctx.open()?.remember_on_device()?;
            ctx.done("this device will open the vault without the passphrase (run `credence forget` to stop)")
        }
        Command::Forget => {
            let removed = Vault::forget_on_device(&ctx.path)?;
            ctx.done(if removed {
                "the key was removed from this device's keychain"
            } else {
                "the vault was not remembered on this device"
            })
        }
        Command::Backup { file } => {
            let summary = ctx.open()?.backup(&file)?;
            if ctx.global.json {
                return print_json(&convert::backup_done(&summary));
            }
            println!("backup written to {} ({} bytes)", summary.path.display(), summary.bytes);
            Ok(())
        }
        Command::Restore { file } => {
            let passphrase = secrets::unlock_passphrase(ctx.global.passphrase_file.as_deref())?;
            Vault::restore(&file, &ctx.path, &passphrase)?;
            ctx.done("vault restored; the vault it replaced is kept whole beside it, named with a .before-restore suffix (open it with --vault)")
        }
        Command::Account(cmd) => ctx.account(cmd),
        Command::Category(cmd) => ctx.category(cmd),
        Command::Tx(cmd) => ctx.tx(cmd),
        Command::Import(args) => crate::import::run(&ctx, args),
        Command::Rule(cmd) => crate::rules::run(&ctx, cmd),
        Command::Score(args) => crate::score::run(&ctx, args),
        Command::Report(cmd) => crate::report::run(&ctx, cmd),
        Command::Recurring(args) => crate::report::recurring(&ctx, args),
        Command::Coach(args) => crate::coach::coach(&ctx, args),
        Command::Budget(cmd) => crate::report::budget(&ctx, cmd),
        Command::Chart(args) => crate::report::chart(&ctx, args),
        Command::Dashboard(args) => crate::dashboard::dashboard(&ctx, args),
        Command::Rate(cmd) => crate::dashboard::rate(&ctx, cmd),
        Command::Credit(cmd) => crate::score::credit(&ctx, cmd),
        Command::Undo => {
            let summary = ctx.open()?.undo()?;
            if ctx.global.json {
                return print_json(&credence_api::Undone { summary });
            }
            println!("undone: {summary}");
            Ok(())
        }
        Command::Log { limit } => ctx.log(limit),
        Command::Serve(args) => crate::serve::run(&ctx, args),
        Command::Sync(args) => crate::sync::run(&ctx, args),
    }
}

pub struct Ctx {
    path: PathBuf,
    pub global: Global,
}

impl Ctx {
    /// The vault this command uses.
    pub fn path(&self) -> &std::path::Path {
        &self.path
    }

    /// Unlocks with a given passphrase, else with a key this device remembers, else by asking.
    pub fn open(&self) -> Result<Vault> {
        if let Some(p) = secrets::given_passphrase(self.global.passphrase_file.as_deref())? {
            return Ok(Vault::open(&self.path, &p)?);
        }
        match Vault::open_remembered(&self.path) {
            Ok(v) => return Ok(v),
            Err(CoreError::NotRemembered | CoreError::KeychainUnavailable(_)) => {}
            Err(e) => return Err(e.into()),
        }
        let p = secrets::unlock_passphrase(None)?;
        Ok(Vault::open(&self.path, &p)?)
    }

    pub fn done(&self, message: &str) -> Result<()> {
        if self.global.json {
            print_json(&credence_api::Done { ok: true, message: message.to_string() })
        } else {
            println!("{message}");
            Ok(())
        }
    }

    fn init(&self) -> Result<()> {
        let passphrase = match secrets::given_passphrase(self.global.passphrase_file.as_deref())? {
            Some(p) => p,
            None => secrets::new_passphrase(secrets::PASSPHRASE_ENV, None, "Choose a passphrase")?,
        };
        let (vault, recovery) = Vault::create(&self.path, &passphrase)?;
        self.show_recovery_key(&recovery, &format!("Created the vault at {}", vault.path().display()))
    }

    /// A recovery key, shown once: as JSON, or as numbered groups of six words.
    pub(crate) fn show_recovery_key(&self, recovery: &credence_core::RecoveryKey, headline: &str) -> Result<()> {
        let words = recovery.dangerously_to_words();
        if self.global.json {
            let shown = api::RecoveryKeyShown {
                vault: self.path.display().to_string(),
                recovery_key: words.as_str().to_string(),
            };
            return print_json(&shown);
        }
        println!("{headline}");
        println!();
        println!("Your recovery key (shown only this once; write it down and keep it somewhere safe):");
        println!();
        for (i, chunk) in words.split(' ').collect::<Vec<_>>().chunks(6).enumerate() {
            println!("  {:>2}-{:>2}  {}", i * 6 + 1, i * 6 + chunk.len(), chunk.join(" "));
        }
        println!();
        println!("If you forget your passphrase, `credence recover` and these 24 words set a new one.");
        println!("Without both, nobody (not even us) can open this vault.");
        Ok(())
    }

    fn integrity(&self) -> Result<()> {
        let vault = self.open()?;
        let report = vault.integrity()?;
        if self.global.json {
            print_json(&api::IntegrityReport { ok: report.is_ok(), problems: report.problems.clone() })?;
        } else if report.is_ok() {
            println!("ok: the vault passed every check");
        } else {
            for p in &report.problems {
                println!("problem: {p}");
            }
        }
        if !report.is_ok() {
            bail!("vault is damaged ({} problems); restore from a backup", report.problems.len());
        }
        Ok(())
    }

    fn account(&self, cmd: AccountCommand) -> Result<()> {
        let mut vault = self.open()?;
        match cmd {
            AccountCommand::Add { name, kind, currency, limit } => {
                let account = vault.add_account(NewAccount {
                    name,
                    kind: AccountKind::from_str(&kind)?,
                    currency,
                    credit_limit: limit.as_deref().map(values::parse_amount).transpose()?,
                })?;
                if self.global.json {
                    return print_json(&convert::account(account));
                }
                println!("added account {} ({}, {})", account.name, account.kind.as_str(), account.currency);
            }
            AccountCommand::List => {
                let accounts = vault.accounts()?;
                if self.global.json {
                    return print_json(&accounts.into_iter().map(convert::account).collect::<Vec<_>>());
                }
                let mut table = Table::new(&[
                    ("NAME", false),
                    ("TYPE", false),
                    ("BALANCE", true),
                    ("CUR", false),
                    ("LIMIT", true),
                    ("TXNS", true),
                ]);
                for a in &accounts {
                    let name = if a.archived { format!("{} (archived)", a.name) } else { a.name.clone() };
                    table.row(vec![
                        name,
                        a.kind.as_str().into(),
                        a.balance.to_string(),
                        a.currency.clone(),
                        a.credit_limit.map(|l| l.to_string()).unwrap_or_default(),
                        a.transaction_count.to_string(),
                    ]);
                }
                table.print();
            }
            AccountCommand::Edit { name, new_name, limit, statement_day, due_day } => {
                let id = vault.account_by_name(&name)?.id;
                let edit = api::AccountEdit {
                    id: id.clone(),
                    name: new_name,
                    credit_limit: limit,
                    statement_day,
                    due_day,
                    archived: None,
                };
                let account = convert::edit_account(&mut vault, &id, &edit, &convert::account_changes(&edit)?)?;
                if self.global.json {
                    return print_json(&account);
                }
                let days = match (account.statement_day, account.due_day) {
                    (None, None) => String::new(),
                    (s, d) => format!(
                        "; statement closes on day {}, payment due on day {}",
                        s.map_or("(inferred)".to_string(), |s| s.to_string()),
                        d.map_or("(inferred)".to_string(), |d| d.to_string())
                    ),
                };
                println!("updated {}{days}", account.name);
            }
            AccountCommand::Archive { name } => {
                let id = vault.account_by_name(&name)?.id;
                let account = vault.set_account_archived(&id, true)?;
                return self.done(&format!("archived {}", account.name));
            }
        }
        Ok(())
    }

    fn category(&self, cmd: CategoryCommand) -> Result<()> {
        let mut vault = self.open()?;
        match cmd {
            CategoryCommand::Add { path, kind } => {
                let kind = kind.as_deref().map(CategoryKind::from_str).transpose()?;
                let category = vault.add_category(&path, kind)?;
                if self.global.json {
                    return print_json(&convert::category(category));
                }
                println!("added category {} ({})", category.path, category.kind.as_str());
            }
            CategoryCommand::List => {
                let categories = vault.categories()?;
                if self.global.json {
                    return print_json(&categories.into_iter().map(convert::category).collect::<Vec<_>>());
                }
                let mut table = Table::new(&[("CATEGORY", false), ("KIND", false)]);
                for c in &categories {
                    table.row(vec![c.path.clone(), c.kind.as_str().into()]);
                }
                table.print();
            }
        }
        Ok(())
    }

    fn tx(&self, cmd: TxCommand) -> Result<()> {
        let mut vault = self.open()?;
        match cmd {
            TxCommand::Add { account, date, amount, payee, category, memo } => {
                let new = NewTransaction {
                    account_id: vault.account_by_name(&account)?.id,
                    date: values::parse_date(&date)?,
                    amount: values::parse_amount(&amount)?,
                    payee,
                    memo,
                    category_id: category.map(|c| vault.category_by_path(&c).map(|c| c.id)).transpose()?,
                };
                let t = vault.add_transaction(new)?;
                self.print_transaction("added", &t)
            }
            TxCommand::List { account, from, to, category, search, limit } => {
                let filter = TransactionFilter {
                    account_id: account.map(|a| vault.account_by_name(&a).map(|a| a.id)).transpose()?,
                    from: from.as_deref().map(values::parse_date).transpose()?,
                    to: to.as_deref().map(values::parse_date).transpose()?,
                    category_id: category.map(|c| vault.category_by_path(&c).map(|c| c.id)).transpose()?,
                    search,
                    limit,
                    ..Default::default()
                };
                if self.global.json {
                    // One row at a time, however many there are: memory stays flat.
                    let mut out = crate::output::JsonArray::stdout();
                    vault.for_each_transaction(&filter, &mut |t| out.push(&convert::transaction(t)))?;
                    return Ok(out.finish()?);
                }
                let txs = vault.transactions(&filter)?;
                let mut table = Table::new(&[
                    ("DATE", false),
                    ("AMOUNT", true),
                    ("PAYEE", false),
                    ("CATEGORY", false),
                    ("ACCOUNT", false),
                    ("ID", false),
                ]);
                for t in &txs {
                    table.row(vec![
                        t.date.to_string(),
                        format!("{} {}", t.amount, t.currency),
                        t.payee.clone(),
                        t.category.clone().unwrap_or_default(),
                        t.account.clone(),
                        t.id.clone(),
                    ]);
                }
                table.print();
                Ok(())
            }
            TxCommand::Edit { id, account, date, amount, payee, category, memo, tags, learn } => {
                crate::rules::require_category_for_learning(learn, &category)?;
                let id = vault.resolve_transaction_id(&id)?;
                let recategorized = category.as_deref().is_some_and(|c| !c.trim().is_empty());
                let edit = TransactionEdit {
                    account_id: account.map(|a| vault.account_by_name(&a).map(|a| a.id)).transpose()?,
                    date: date.as_deref().map(values::parse_date).transpose()?,
                    amount: amount.as_deref().map(values::parse_amount).transpose()?,
                    payee,
                    memo,
                    category: match category.as_deref().map(str::trim) {
                        None => None,
                        Some("") => Some(None),
                        Some(path) => Some(Some(vault.category_by_path(path)?.id)),
                    },
                    tags: tags
                        .map(|t| t.split(',').map(str::trim).filter(|t| !t.is_empty()).map(String::from).collect()),
                };
                if edit.is_empty() {
                    bail!("nothing to change: give at least one of --account --date --amount --payee --category --memo --tags");
                }
                let t = vault.edit_transaction(&id, edit)?;
                self.print_transaction("edited", &t)?;
                if recategorized {
                    crate::rules::offer_rule(self, &mut vault, &id, learn)?;
                }
                Ok(())
            }
            TxCommand::Delete { id } => {
                let id = vault.resolve_transaction_id(&id)?;
                let t = vault.delete_transaction(&id)?;
                self.print_transaction("deleted", &t)
            }
        }
    }

    fn print_transaction(&self, verb: &str, t: &credence_core::Transaction) -> Result<()> {
        if self.global.json {
            return print_json(&convert::transaction(t.clone()));
        }
        println!("{verb} {} {} {} {} [{}]", t.date, t.amount, t.currency, t.payee, t.id);
        Ok(())
    }

    fn log(&self, limit: usize) -> Result<()> {
        let vault = self.open()?;
        let ops = vault.history(limit)?;
        if self.global.json {
            return print_json(&ops.into_iter().map(|op| convert::history_entry(op, true)).collect::<Vec<_>>());
        }
        let mut table = Table::new(&[("#", true), ("WHEN", false), ("CHANGES", true), ("WHAT", false)]);
        for op in &ops {
            let when = op.time().map(|t| t.format("%Y-%m-%d %H:%M:%S").to_string()).unwrap_or_default();
            let mut what = op.summary.clone();
            if op.undone_by.is_some() {
                what.push_str(" (undone)");
            }
            table.row(vec![op.id.to_string(), when, op.changes.len().to_string(), what]);
        }
        table.print();
        Ok(())
    }
}
