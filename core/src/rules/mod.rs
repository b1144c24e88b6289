//! Categorization rules: ordered, every condition must hold, and for each field the first matching rule
//! that sets it wins. Rules run on every import and can be run again over existing transactions;
//! recategorizing a payee by hand suggests (or creates) the rule that would have done it. Transfers
//! between the user's own accounts are found and linked here too.

pub mod payee;
mod transfers;

use chrono::NaiveDate;
use regex::Regex;
use rusqlite::types::Value;
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};
use uuid::Uuid;

pub use transfers::TransferPair;

pub(crate) use transfers::{link as link_transfers, looks_like_transfer};

use crate::error::{Error, Result};
use crate::ids::{id_value, new_id, parse_id};
use crate::journal::Entity;
use crate::vault::Vault;

/// When a rule applies. Stored as JSON in `rules.conditions`: do not rename variants or fields.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "if", rename_all = "snake_case")]
pub enum Condition {
    /// The payee (or the bank's text for it) contains this, ignoring case.
    PayeeContains {
        text: String,
    },
    /// The payee (or the bank's text) is exactly this, ignoring case.
    PayeeIs {
        text: String,
    },
    /// The payee (or the bank's text) matches this regular expression (case-insensitive).
    PayeeMatches {
        pattern: String,
    },
    PayeeOneOf {
        payees: Vec<String>,
    },
    /// Both bounds inclusive, in the account holder's view (money out negative).
    AmountBetween {
        min: Option<Decimal>,
        max: Option<Decimal>,
    },
    Account {
        account_id: String,
    },
    DateBetween {
        from: Option<NaiveDate>,
        to: Option<NaiveDate>,
    },
}

/// What a rule does. Stored as JSON in `rules.actions`: do not rename variants or fields.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "then", rename_all = "snake_case")]
pub enum Action {
    SetCategory {
        category_id: String,
    },
    RenamePayee {
        payee: String,
    },
    AddTag {
        tag: String,
    },
    AddMemo {
        text: String,
    },
    /// Files the transaction under Transfers and pairs it with its other side where one exists.
    MarkTransfer,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RuleOrigin {
    User,
    /// Created from a recategorization the user made.
    Learned,
}

impl RuleOrigin {
    pub fn as_str(self) -> &'static str {
        match self {
            RuleOrigin::User => "user",
            RuleOrigin::Learned => "learned",
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Rule {
    pub id: String,
    pub position: i64,
    pub conditions: Vec<Condition>,
    pub actions: Vec<Action>,
    pub origin: RuleOrigin,
}

/// What running the rules over existing transactions did.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct ApplyReport {
    pub examined: u64,
    pub changed: u64,
    pub transfers_linked: u64,
}

/// A rule worth creating after the user recategorized a transaction by hand.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RuleSuggestion {
    pub payee: String,
    pub category_id: String,
    pub category: String,
    /// Other transactions from this payee that the rule would file differently.
    pub would_change: u64,
}

/// The facts about a transaction that conditions look at.
pub(crate) struct Facts<'a> {
    pub account: Uuid,
    pub date: NaiveDate,
    pub amount: Decimal,
    pub payee: &'a str,
    pub original_payee: Option<&'a str>,
}

/// What the matching rules would do to a transaction.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub(crate) struct Effects {
    pub category: Option<Uuid>,
    pub payee: Option<String>,
    pub tags: Vec<String>,
    pub memo: Vec<String>,
    pub transfer: bool,
}

enum Test {
    Contains(String),
    Is(String),
    Matches(Regex),
    OneOf(Vec<String>),
    Amount(Option<Decimal>, Option<Decimal>),
    Account(Uuid),
    Dates(Option<NaiveDate>, Option<NaiveDate>),
}

struct Compiled {
    tests: Vec<Test>,
    actions: Vec<Action>,
    category: Option<Uuid>,
}

/// The rules, ready to run: regular expressions compiled, text lower-cased, ids parsed.
pub(crate) struct RuleSet {
    rules: Vec<Compiled>,
}

fn compile(rule: &Rule) -> Result<Compiled> {
    let tests = rule
        .conditions
        .iter()
        .map(|c| {
            Ok(match c {
                Condition::PayeeContains { text } => Test::Contains(text.to_lowercase()),
                Condition::PayeeIs { text } => Test::Is(text.to_lowercase()),
                Condition::PayeeMatches { pattern } => Test::Matches(
                    regex::RegexBuilder::new(pattern)
                        .case_insensitive(true)
                        .size_limit(1 << 20)
                        .build()
                        .map_err(|e| Error::invalid(format!("\"{pattern}\" is not a valid pattern: {e}")))?,
                ),
                Condition::PayeeOneOf { payees } => Test::OneOf(payees.iter().map(|p| p.to_lowercase()).collect()),
                Condition::AmountBetween { min, max } => Test::Amount(*min, *max),
                Condition::Account { account_id } => Test::Account(parse_id("account", account_id)?),
                Condition::DateBetween { from, to } => Test::Dates(*from, *to),
            })
        })
        .collect::<Result<Vec<_>>>()?;
    let category = rule
        .actions
        .iter()
        .find_map(|a| match a {
            Action::SetCategory { category_id } => Some(parse_id("category", category_id)),
            _ => None,
        })
        .transpose()?;
    Ok(Compiled { tests, actions: rule.actions.clone(), category })
}

impl Test {
    /// `lowered`: the payee and the bank's text for it, lower-cased once per transaction.
    fn holds(&self, f: &Facts<'_>, lowered: &[String]) -> bool {
        let payees = || lowered.iter();
        match self {
            Test::Contains(t) => payees().any(|p| p.contains(t.as_str())),
            Test::Is(t) => payees().any(|p| p == t),
            Test::Matches(re) => std::iter::once(f.payee).chain(f.original_payee).any(|p| re.is_match(p)),
            Test::OneOf(list) => payees().any(|p| list.contains(p)),
            Test::Amount(min, max) => min.is_none_or(|m| f.amount >= m) && max.is_none_or(|m| f.amount <= m),
            Test::Account(a) => f.account == *a,
            Test::Dates(from, to) => from.is_none_or(|d| f.date >= d) && to.is_none_or(|d| f.date <= d),
        }
    }
}

impl RuleSet {
    pub(crate) fn load(conn: &rusqlite::Connection) -> Result<RuleSet> {
        let rules = load_rules(conn)?;
        Ok(RuleSet { rules: rules.iter().map(compile).collect::<Result<_>>()? })
    }

    pub(crate) fn effects(&self, facts: &Facts<'_>) -> Effects {
        let mut e = Effects::default();
        if self.rules.is_empty() {
            return e;
        }
        let lowered: Vec<String> =
            std::iter::once(facts.payee).chain(facts.original_payee).map(str::to_lowercase).collect();
        for rule in self.rules.iter().filter(|r| r.tests.iter().all(|t| t.holds(facts, &lowered))) {
            if e.category.is_none() {
                e.category = rule.category;
            }
            for action in &rule.actions {
                match action {
                    Action::RenamePayee { payee } if e.payee.is_none() => e.payee = Some(payee.clone()),
                    Action::AddTag { tag } if !e.tags.contains(tag) => e.tags.push(tag.clone()),
                    Action::AddMemo { text } if !e.memo.contains(text) => e.memo.push(text.clone()),
                    Action::MarkTransfer => e.transfer = true,
                    _ => {}
                }
            }
        }
        e
    }
}

/// Tags as stored ("#a #b") back to a list without the '#'.
pub(crate) fn parse_tags(stored: Option<String>) -> Vec<String> {
    stored.map(|t| t.split_whitespace().map(|s| s.trim_start_matches('#').to_string()).collect()).unwrap_or_default()
}

/// Tags as stored: "#a #b".
pub(crate) fn tags_text(tags: &[String]) -> Option<String> {
    (!tags.is_empty())
        .then(|| tags.iter().map(|t| format!("#{}", t.trim_start_matches('#'))).collect::<Vec<_>>().join(" "))
}

fn load_rules(conn: &rusqlite::Connection) -> Result<Vec<Rule>> {
    let mut stmt = conn.prepare("SELECT id, position, conditions, actions, origin FROM rules ORDER BY position, id")?;
    let rows = stmt.query_map([], |r| {
        Ok((
            r.get::<_, Uuid>(0)?,
            r.get::<_, i64>(1)?,
            r.get::<_, String>(2)?,
            r.get::<_, String>(3)?,
            r.get::<_, String>(4)?,
        ))
    })?;
    rows.map(|row| {
        let (id, position, conditions, actions, origin) = row?;
        let damaged = |e: serde_json::Error| Error::Damaged(format!("rule {id} cannot be read: {e}"));
        Ok(Rule {
            id: id.to_string(),
            position,
            conditions: serde_json::from_str(&conditions).map_err(damaged)?,
            actions: serde_json::from_str(&actions).map_err(damaged)?,
            origin: if origin == "learned" { RuleOrigin::Learned } else { RuleOrigin::User },
        })
    })
    .collect()
}

impl Vault {
    /// Adds a rule at the end of the list (or at `position`, moving later ones down).
    pub fn add_rule(
        &mut self,
        conditions: Vec<Condition>,
        actions: Vec<Action>,
        position: Option<i64>,
    ) -> Result<Rule> {
        self.add_rule_from(conditions, actions, position, RuleOrigin::User)
    }

    fn add_rule_from(
        &mut self,
        conditions: Vec<Condition>,
        actions: Vec<Action>,
        position: Option<i64>,
        origin: RuleOrigin,
    ) -> Result<Rule> {
        if conditions.is_empty() {
            return Err(Error::invalid("a rule needs at least one condition (--payee-contains, --amount-min, …)"));
        }
        if actions.is_empty() {
            return Err(Error::invalid(
                "a rule needs at least one action (--category, --rename, --tag, --memo, --transfer)",
            ));
        }
        let id = new_id();
        let candidate = Rule { id: id.to_string(), position: 0, conditions, actions, origin };
        compile(&candidate)?;
        for action in &candidate.actions {
            if let Action::SetCategory { category_id } = action {
                self.category(category_id)?;
            }
        }
        let existing = load_rules(&self.conn)?;
        let end = existing.last().map_or(1, |r| r.position + 1);
        let position = position.map_or(end, |p| p.clamp(1, end));
        // Plain data: serializing it cannot fail.
        let values = [
            Value::Integer(position),
            Value::Text(serde_json::to_string(&candidate.conditions).unwrap_or_default()),
            Value::Text(serde_json::to_string(&candidate.actions).unwrap_or_default()),
            Value::Text(origin.as_str().into()),
        ];
        let description = describe(&candidate, &self.rule_names()?);
        self.write(&format!("Add rule {description}"), |w| {
            for later in existing.iter().filter(|r| r.position >= position) {
                let later_id = parse_id("rule", &later.id)?;
                w.update(Entity::Rule, later_id, "position", Value::Integer(later.position + 1))?;
            }
            w.insert(Entity::Rule, id, &values)
        })?;
        Ok(Rule { position, ..candidate })
    }

    pub fn rules(&self) -> Result<Vec<Rule>> {
        load_rules(&self.conn)
    }

    /// The names rules refer to by id (category paths, account names), read once to describe rules.
    pub fn rule_names(&self) -> Result<RuleNames> {
        Ok(RuleNames {
            categories: self.categories()?.into_iter().map(|c| (c.id, c.path)).collect(),
            accounts: self.accounts()?.into_iter().map(|a| (a.id, a.name)).collect(),
        })
    }

    pub fn delete_rule(&mut self, id: &str) -> Result<Rule> {
        let rule = self.rules()?.into_iter().find(|r| r.id == id.trim()).ok_or_else(|| Error::not_found("rule", id))?;
        let uuid = parse_id("rule", id)?;
        let description = describe(&rule, &self.rule_names()?);
        self.write(&format!("Delete rule {description}"), |w| w.delete(Entity::Rule, uuid))?;
        Ok(rule)
    }

    /// Runs the rules over existing transactions (of one account, or all). Categories are set only on
    /// uncategorized transactions unless `overwrite`; then transfers are paired.
    pub fn apply_rules(&mut self, account: Option<&str>, overwrite: bool) -> Result<ApplyReport> {
        let rules = RuleSet::load(&self.conn)?;
        let account = account.map(|a| parse_id("account", a)).transpose()?;
        let rows = transfers::rows_for(&self.conn, account)?;
        let transfer_category = self.transfer_category()?;
        self.write("Apply rules", |w| {
            let mut report = ApplyReport { examined: rows.len() as u64, ..Default::default() };
            let mut candidates = Vec::new();
            for row in &rows {
                let facts = Facts {
                    account: row.account,
                    date: row.date,
                    amount: row.amount,
                    payee: &row.payee,
                    original_payee: row.original_payee.as_deref(),
                };
                let e = rules.effects(&facts);
                let mut changed = false;
                if let Some(c) = e.category.or(e.transfer.then_some(transfer_category).flatten()) {
                    if overwrite || row.category.is_none() {
                        changed |= w.update(Entity::Transaction, row.id, "category_id", id_value(c))?;
                    }
                }
                if let Some(p) = &e.payee {
                    changed |= w.update(Entity::Transaction, row.id, "payee", Value::Text(p.clone()))?;
                }
                let mut tags: Vec<String> = row.tags.clone();
                tags.extend(e.tags.iter().filter(|t| !row.tags.contains(t)).cloned());
                if tags != row.tags {
                    changed |= w.update(
                        Entity::Transaction,
                        row.id,
                        "tags",
                        tags_text(&tags).map_or(Value::Null, Value::Text),
                    )?;
                }
                report.changed += u64::from(changed);
                if e.transfer || transfers::looks_like_transfer(&row.payee, row.original_payee.as_deref()) {
                    candidates.push(row.id);
                }
            }
            report.transfers_linked = transfers::link(w, &candidates, transfer_category)?.len() as u64;
            Ok(report)
        })
    }

    /// After `tx` was recategorized by hand: the rule that would file its payee the same way, unless a
    /// rule already does.
    pub fn suggest_rule(&self, tx: &str) -> Result<Option<RuleSuggestion>> {
        let t = self.transaction(tx)?;
        let Some(category_id) = t.category_id.clone() else { return Ok(None) };
        let rules = RuleSet::load(&self.conn)?;
        let account = parse_id("account", &t.account_id)?;
        let facts = Facts {
            account,
            date: t.date,
            amount: t.amount,
            payee: &t.payee,
            original_payee: t.original_payee.as_deref(),
        };
        if rules.effects(&facts).category.map(|c| c.to_string()) == Some(category_id.clone()) {
            return Ok(None);
        }
        let category = parse_id("category", &category_id)?;
        let would_change: i64 = self.conn.query_row(
            "SELECT count(*) FROM transactions WHERE payee = ?1 COLLATE NOCASE AND id <> ?2 AND category_id IS NOT ?3",
            rusqlite::params![t.payee, parse_id("transaction", &t.id)?, category],
            |r| r.get(0),
        )?;
        Ok(Some(RuleSuggestion {
            payee: t.payee.clone(),
            category: t.category.clone().unwrap_or_default(),
            category_id,
            would_change: would_change as u64,
        }))
    }

    /// Creates the suggested rule and files the payee's uncategorized transactions with it.
    pub fn learn_rule(&mut self, suggestion: &RuleSuggestion) -> Result<(Rule, ApplyReport)> {
        let rule = self.add_rule_from(
            vec![Condition::PayeeIs { text: suggestion.payee.clone() }],
            vec![Action::SetCategory { category_id: suggestion.category_id.clone() }],
            None,
            RuleOrigin::Learned,
        )?;
        let report = self.apply_rules(None, false)?;
        Ok((rule, report))
    }

    /// The "Transfers" category (created with the default set), if the user still has it.
    pub(crate) fn transfer_category(&self) -> Result<Option<Uuid>> {
        self.category_by_path("Transfers").ok().map(|c| parse_id("category", &c.id)).transpose()
    }
}

/// What rules point at by id, by name: category id → full path, account id → name.
#[derive(Debug, Clone, Default)]
pub struct RuleNames {
    categories: std::collections::HashMap<String, String>,
    accounts: std::collections::HashMap<String, String>,
}

impl RuleNames {
    /// The full path of the category a rule files under ("a deleted category" when it is gone).
    pub fn category(&self, id: &str) -> String {
        self.categories.get(id).cloned().unwrap_or_else(|| "a deleted category".into())
    }

    fn account(&self, id: &str) -> String {
        self.accounts.get(id).map_or_else(|| "a deleted account".into(), |name| format!("\"{name}\""))
    }
}

impl Rule {
    /// The category the rule files under, if it sets one.
    pub fn category_id(&self) -> Option<&str> {
        self.actions.iter().find_map(|a| match a {
            Action::SetCategory { category_id } => Some(category_id.as_str()),
            _ => None,
        })
    }
}

/// A rule in one line, naming what it points at, for the change log and listings:
/// `if payee contains "netflix" then file under Subscriptions:Streaming`.
pub fn describe(rule: &Rule, names: &RuleNames) -> String {
    let conditions: Vec<String> = rule
        .conditions
        .iter()
        .map(|c| match c {
            Condition::PayeeContains { text } => format!("payee contains \"{text}\""),
            Condition::PayeeIs { text } => format!("payee is \"{text}\""),
            Condition::PayeeMatches { pattern } => format!("payee matches /{pattern}/"),
            Condition::PayeeOneOf { payees } => format!("payee is one of {}", payees.join(", ")),
            Condition::AmountBetween { min, max } => match (min, max) {
                (Some(a), Some(b)) => format!("amount {a} to {b}"),
                (Some(a), None) => format!("amount at least {a}"),
                (None, Some(b)) => format!("amount at most {b}"),
                (None, None) => "any amount".into(),
            },
            Condition::Account { account_id } => format!("in {}", names.account(account_id)),
            Condition::DateBetween { from, to } => format!(
                "date {} to {}",
                from.map_or("…".into(), |d| d.to_string()),
                to.map_or("…".into(), |d| d.to_string())
            ),
        })
        .collect();
    let actions: Vec<String> = rule
        .actions
        .iter()
        .map(|a| match a {
            Action::SetCategory { category_id } => format!("file under {}", names.category(category_id)),
            Action::RenamePayee { payee } => format!("rename to \"{payee}\""),
            Action::AddTag { tag } => format!("tag #{}", tag.trim_start_matches('#')),
            Action::AddMemo { text } => format!("note \"{text}\""),
            Action::MarkTransfer => "mark as transfer".into(),
        })
        .collect();
    format!("if {} then {}", conditions.join(" and "), actions.join(", "))
}
