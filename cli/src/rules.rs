//! `credence rule …`: categorization rules as command-line flags.

use anyhow::{bail, Result};
use clap::Subcommand;
use credence_api::{self as api, convert};
use credence_core::rules::{describe, RuleOrigin};

use crate::commands::Ctx;
use crate::output::{print_json, Table};

#[derive(Debug, Subcommand)]
pub enum RuleCommand {
    /// Add a rule: every condition given must hold; then every action given is taken.
    Add(Box<RuleSpec>),
    /// List rules in the order they run.
    List,
    /// Delete a rule (undo brings it back).
    Delete { id: String },
    /// Run the rules over existing transactions and pair transfers.
    Apply {
        /// Only this account's transactions.
        #[arg(long)]
        account: Option<String>,
        /// Also replace categories already set.
        #[arg(long)]
        overwrite: bool,
    },
}

#[derive(Debug, clap::Args)]
pub struct RuleSpec {
    #[arg(long, help_heading = "Conditions")]
    payee_contains: Option<String>,
    #[arg(long, help_heading = "Conditions")]
    payee_is: Option<String>,
    /// A regular expression, matched without regard to case.
    #[arg(long, help_heading = "Conditions")]
    payee_matches: Option<String>,
    /// Several payees separated by '|'.
    #[arg(long, help_heading = "Conditions")]
    payee_one_of: Option<String>,
    #[arg(long, allow_hyphen_values = true, help_heading = "Conditions")]
    amount_min: Option<String>,
    #[arg(long, allow_hyphen_values = true, help_heading = "Conditions")]
    amount_max: Option<String>,
    #[arg(long = "in-account", value_name = "NAME", help_heading = "Conditions")]
    in_account: Option<String>,
    #[arg(long, help_heading = "Conditions")]
    from: Option<String>,
    #[arg(long, help_heading = "Conditions")]
    to: Option<String>,
    #[arg(long, help_heading = "Actions")]
    category: Option<String>,
    #[arg(long, help_heading = "Actions")]
    rename: Option<String>,
    #[arg(long, help_heading = "Actions")]
    tag: Option<String>,
    #[arg(long, help_heading = "Actions")]
    memo: Option<String>,
    /// File matching transactions as transfers between your accounts and pair them.
    #[arg(long, help_heading = "Actions")]
    transfer: bool,
    /// Where the rule goes in the order (1 = first); default last.
    #[arg(long)]
    position: Option<i64>,
}

pub fn run(ctx: &Ctx, cmd: RuleCommand) -> Result<()> {
    let mut vault = ctx.open()?;
    match cmd {
        RuleCommand::Add(spec) => {
            let s = *spec;
            // Names to ids here (the CLI takes names); every condition and action is read by the contract.
            let account_id = s.in_account.as_deref().map(|a| vault.account_by_name(a).map(|a| a.id)).transpose()?;
            let category_id = s.category.as_deref().map(|c| vault.category_by_path(c).map(|c| c.id)).transpose()?;
            let request = api::NewRule {
                payee_contains: s.payee_contains,
                payee_is: s.payee_is,
                payee_matches: s.payee_matches,
                payee_one_of: s
                    .payee_one_of
                    .map(|list| list.split('|').map(str::to_string).collect())
                    .unwrap_or_default(),
                amount_min: s.amount_min,
                amount_max: s.amount_max,
                account_id,
                from: s.from,
                to: s.to,
                category_id,
                rename_to: s.rename,
                tag: s.tag,
                memo: s.memo,
                transfer: s.transfer,
                position: s.position,
            };
            let position = request.position;
            let (conditions, actions) = convert::new_rule(request)?;
            let rule = vault.add_rule(conditions, actions, position)?;
            let names = vault.rule_names()?;
            if ctx.global.json {
                return print_json(&convert::rule(rule, &names));
            }
            println!("added rule {}: {}", rule.position, describe(&rule, &names));
            println!("run `credence rule apply` to file existing transactions with it");
        }
        RuleCommand::List => {
            let (rules, names) = (vault.rules()?, vault.rule_names()?);
            if ctx.global.json {
                return print_json(&rules.into_iter().map(|r| convert::rule(r, &names)).collect::<Vec<_>>());
            }
            let mut table = Table::new(&[("#", true), ("RULE", false), ("FROM", false), ("ID", false)]);
            for r in &rules {
                let origin = if r.origin == RuleOrigin::Learned { "learned" } else { "you" };
                table.row(vec![r.position.to_string(), describe(r, &names), origin.into(), r.id.clone()]);
            }
            table.print();
        }
        RuleCommand::Delete { id } => {
            let rule = vault.delete_rule(&id)?;
            return ctx.done(&format!("deleted rule: {}", describe(&rule, &vault.rule_names()?)));
        }
        RuleCommand::Apply { account, overwrite } => {
            let account = account.map(|a| vault.account_by_name(&a).map(|a| a.id)).transpose()?;
            let r = vault.apply_rules(account.as_deref(), overwrite)?;
            if ctx.global.json {
                return print_json(&convert::rules_applied(r));
            }
            println!(
                "{} transactions examined, {} changed, {} transfers paired",
                r.examined, r.changed, r.transfers_linked
            );
        }
    }
    Ok(())
}

/// After a manual recategorization: create the rule (`learn`) or say that it could be created.
pub fn offer_rule(ctx: &Ctx, vault: &mut credence_core::Vault, tx: &str, learn: bool) -> Result<()> {
    let Some(suggestion) = vault.suggest_rule(tx)? else { return Ok(()) };
    if learn {
        let (rule, report) = vault.learn_rule(&suggestion)?;
        if !ctx.global.json {
            println!("learned: {} ({} more transactions filed)", describe(&rule, &vault.rule_names()?), report.changed);
        }
    } else if suggestion.would_change > 0 && !ctx.global.json {
        println!(
            "tip: {} other transactions from \"{}\" are filed elsewhere; add --learn to file them all under {} from now on",
            suggestion.would_change, suggestion.payee, suggestion.category
        );
    }
    Ok(())
}

pub fn require_category_for_learning(learn: bool, category: &Option<String>) -> Result<()> {
    if learn && category.is_none() {
        bail!("--learn goes with --category");
    }
    Ok(())
}
