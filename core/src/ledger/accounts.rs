use std::str::FromStr;

use rusqlite::types::Value;
use rusqlite::OptionalExtension;
use rust_decimal::Decimal;

use uuid::Uuid;

use crate::error::{Error, Result};
use crate::ids::{new_id, parse_id};
use crate::journal::Entity;
use crate::values::{currency_code, from_minor, to_minor};
use crate::vault::Vault;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AccountKind {
    Checking,
    Savings,
    CreditCard,
    Loan,
    Cash,
    Investment,
    Other,
}

impl AccountKind {
    pub const ALL: [AccountKind; 7] = [
        AccountKind::Checking,
        AccountKind::Savings,
        AccountKind::CreditCard,
        AccountKind::Loan,
        AccountKind::Cash,
        AccountKind::Investment,
        AccountKind::Other,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            AccountKind::Checking => "checking",
            AccountKind::Savings => "savings",
            AccountKind::CreditCard => "credit-card",
            AccountKind::Loan => "loan",
            AccountKind::Cash => "cash",
            AccountKind::Investment => "investment",
            AccountKind::Other => "other",
        }
    }

    /// Cards and credit lines: the balance is owed, and a credit limit makes sense.
    pub fn is_credit(self) -> bool {
        matches!(self, AccountKind::CreditCard | AccountKind::Loan)
    }
}

impl FromStr for AccountKind {
    type Err = Error;
    fn from_str(s: &str) -> Result<Self> {
        AccountKind::ALL.into_iter().find(|k| k.as_str() == s).ok_or_else(|| {
            Error::invalid(format!(
                "\"{s}\" is not an account type (use checking, savings, credit-card, loan, cash, investment or other)"
            ))
        })
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct NewAccount {
    pub name: String,
    pub kind: AccountKind,
    pub currency: String,
    pub credit_limit: Option<Decimal>,
}

/// What an account edit changes; `None` leaves a field as it is, `Some(None)` clears it.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct AccountChanges {
    pub name: Option<String>,
    pub credit_limit: Option<Option<Decimal>>,
    /// The statement closing day (`Some(None)`: infer it again).
    pub statement_day: Option<Option<u32>>,
    pub due_day: Option<Option<u32>>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Account {
    pub id: String,
    pub name: String,
    pub kind: AccountKind,
    pub currency: String,
    pub credit_limit: Option<Decimal>,
    pub archived: bool,
    /// The day of the month a card's or loan's statement closes, as the user set it (`None`: the coach
    /// infers it). A day past a short month's end is that month's last day.
    pub statement_day: Option<u32>,
    /// The day of the month its payment is due, as the user set it.
    pub due_day: Option<u32>,
    /// The sum of the account's transactions, in the holder's view (a card's debt is negative).
    pub balance: Decimal,
    pub transaction_count: u64,
}

impl Account {
    /// A card's balance as a whole percent of its limit, as the score reads it; `None` for other
    /// accounts and cards without a limit.
    pub fn utilization(&self) -> Option<u64> {
        let limit = self.credit_limit.filter(|l| *l > Decimal::ZERO && self.kind == AccountKind::CreditCard)?;
        Some(crate::values::whole_percent((-self.balance).max(Decimal::ZERO), limit))
    }
}

// Balances from the totals kept on write (analytics/totals.rs), not from every transaction.
const SELECT_ACCOUNTS: &str =
    "SELECT a.id, a.name, a.kind, a.currency, a.credit_limit, a.archived, a.statement_day, a.due_day,
        coalesce((SELECT sum(m.income + m.expense) FROM monthly_totals m WHERE m.account_id = a.id), 0),
        coalesce((SELECT sum(m.count) FROM monthly_totals m WHERE m.account_id = a.id), 0)
    FROM accounts a";

fn account_from_row(r: &rusqlite::Row<'_>) -> rusqlite::Result<Account> {
    let currency: String = r.get(3)?;
    let kind: String = r.get(2)?;
    Ok(Account {
        id: r.get::<_, Uuid>(0)?.to_string(),
        name: r.get(1)?,
        kind: AccountKind::from_str(&kind).unwrap_or(AccountKind::Other),
        credit_limit: r.get::<_, Option<i64>>(4)?.map(|m| from_minor(m, &currency)),
        archived: r.get(5)?,
        statement_day: r.get(6)?,
        due_day: r.get(7)?,
        balance: from_minor(r.get(8)?, &currency),
        transaction_count: r.get::<_, i64>(9)? as u64,
        currency,
    })
}

impl Vault {
    pub fn add_account(&mut self, new: NewAccount) -> Result<Account> {
        let name = clean_name(&new.name, "account")?;
        let currency = currency_code(&new.currency)?;
        let limit = limit_value(new.credit_limit, new.kind, &currency)?;
        let id = new_id();
        let values = [
            Value::Text(name.clone()),
            Value::Text(new.kind.as_str().into()),
            Value::Text(currency),
            limit,
            Value::Integer(0),
            Value::Null,
            Value::Null,
        ];
        self.write(&format!("Add account {name}"), |w| w.insert(Entity::Account, id, &values))?;
        self.account_by_id(id)
    }

    /// Every account, archived ones last, with balances.
    pub fn accounts(&self) -> Result<Vec<Account>> {
        let mut stmt = self.conn.prepare(&format!("{SELECT_ACCOUNTS} ORDER BY a.archived, a.name COLLATE NOCASE"))?;
        let rows = stmt.query_map([], account_from_row)?.collect::<rusqlite::Result<Vec<_>>>()?;
        Ok(rows)
    }

    pub fn account(&self, id: &str) -> Result<Account> {
        self.account_by_id(parse_id("account", id)?)
    }

    pub(crate) fn account_by_id(&self, id: Uuid) -> Result<Account> {
        self.conn
            .query_row(&format!("{SELECT_ACCOUNTS} WHERE a.id = ?1"), [id], account_from_row)
            .optional()?
            .ok_or_else(|| Error::not_found("account", id.to_string()))
    }

    /// Finds an account by its name (any case).
    pub fn account_by_name(&self, name: &str) -> Result<Account> {
        let id: Option<Uuid> = self
            .conn
            .query_row("SELECT id FROM accounts WHERE name = ?1 COLLATE NOCASE", [name.trim()], |r| r.get(0))
            .optional()?;
        self.account_by_id(id.ok_or_else(|| Error::not_found("account", name))?)
    }

    /// Changes what `changes` names, as one operation.
    pub fn edit_account(&mut self, id: &str, changes: &AccountChanges) -> Result<Account> {
        let account = self.account(id)?;
        let id = parse_id("account", id)?;
        let mut fields = Vec::new();
        if let Some(name) = &changes.name {
            fields.push(("name", Value::Text(clean_name(name, "account")?)));
        }
        if let Some(limit) = changes.credit_limit {
            fields.push(("credit_limit", limit_value(limit, account.kind, &account.currency)?));
        }
        for (field, day) in [("statement_day", changes.statement_day), ("due_day", changes.due_day)] {
            if let Some(day) = day {
                fields.push((field, calendar_day(day, field, account.kind)?));
            }
        }
        if fields.is_empty() {
            return Ok(account);
        }
        self.write(&format!("Edit account {}", account.name), |w| {
            fields.into_iter().try_for_each(|(field, value)| w.update(Entity::Account, id, field, value).map(drop))
        })?;
        self.account_by_id(id)
    }

    /// The account's balance at the end of `date` (the holder's view), from the totals kept per day.
    pub fn balance_on(&self, id: &str, date: chrono::NaiveDate) -> Result<Decimal> {
        let account = self.account(id)?;
        let minor: i64 = self.conn.query_row(
            "SELECT coalesce(sum(income + expense), 0) FROM daily_totals WHERE account_id = ?1 AND day <= ?2",
            rusqlite::params![parse_id("account", id)?, date.to_string()],
            |r| r.get(0),
        )?;
        Ok(from_minor(minor, &account.currency))
    }

    pub fn set_account_archived(&mut self, id: &str, archived: bool) -> Result<Account> {
        let account = self.account(id)?;
        let id = parse_id("account", id)?;
        let verb = if archived { "Archive" } else { "Unarchive" };
        self.write(&format!("{verb} account {}", account.name), |w| {
            w.update(Entity::Account, id, "archived", Value::Integer(i64::from(archived)))
        })?;
        self.account_by_id(id)
    }
}

/// A statement or due day: 1 to 31, only on cards and loans; `None` clears it (inferred again).
fn calendar_day(day: Option<u32>, field: &str, kind: AccountKind) -> Result<Value> {
    let what = field.replace('_', " ");
    match day {
        Some(_) if !kind.is_credit() => {
            Err(Error::invalid(format!("only credit-card and loan accounts have a {what}")))
        }
        Some(d) if !(1..=31).contains(&d) => {
            Err(Error::invalid(format!("a {what} is a day of the month, 1 to 31, not {d}")))
        }
        Some(d) => Ok(Value::Integer(i64::from(d))),
        None => Ok(Value::Null),
    }
}

fn limit_value(limit: Option<Decimal>, kind: AccountKind, currency: &str) -> Result<Value> {
    match limit {
        Some(_) if !kind.is_credit() => Err(Error::invalid("only credit-card and loan accounts have a credit limit")),
        Some(l) if l < Decimal::ZERO => Err(Error::invalid("a credit limit cannot be negative")),
        Some(l) => Ok(Value::Integer(to_minor(l, currency)?)),
        None => Ok(Value::Null),
    }
}

pub(crate) fn clean_name(text: &str, what: &str) -> Result<String> {
    let name = text.trim();
    if name.is_empty() {
        return Err(Error::invalid(format!("a {what} needs a name")));
    }
    if name.chars().any(char::is_control) {
        return Err(Error::invalid(format!("a {what} name cannot contain control characters")));
    }
    Ok(name.to_string())
}
