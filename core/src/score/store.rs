//! The credit report kept in the vault, item by item, each stored as its JSON in the exchange format
//! and written through the journal like everything else (so import can be undone and sync can carry it).

use chrono::NaiveDate;
use rusqlite::types::Value;
use serde::de::DeserializeOwned;
use serde::Serialize;
use uuid::Uuid;

use super::form;
use super::profile::{CollectionItem, CreditProfile, InquiryItem, PublicRecord, ReportedScore, Severity, Tradeline};
use super::wizard::Answers;
use crate::error::{Error, Result};
use crate::ids::new_id;
use crate::journal::Entity;
use crate::vault::Vault;

/// How many items of each kind a credit report holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct CreditCounts {
    pub accounts: usize,
    pub inquiries: usize,
    pub collections: usize,
    pub public_records: usize,
    pub reported_scores: usize,
}

fn body<T: Serialize>(item: &T) -> Value {
    Value::Text(body_text(item))
}

impl Vault {
    /// Replaces the vault's credit report with `profile`'s items, as one operation (undo restores the
    /// previous report).
    pub fn replace_credit_report(&mut self, profile: &CreditProfile) -> Result<CreditCounts> {
        profile.validate()?;
        let existing: Vec<Uuid> = {
            let mut stmt = self.conn.prepare("SELECT id FROM credit_items")?;
            let rows = stmt.query_map([], |r| r.get(0))?;
            rows.collect::<rusqlite::Result<_>>()?
        };
        let mut items: Vec<(&str, Value)> = Vec::new();
        items.extend(profile.accounts.iter().map(|i| ("account", body(i))));
        items.extend(profile.inquiries.iter().map(|i| ("inquiry", body(i))));
        items.extend(profile.collections.iter().map(|i| ("collection", body(i))));
        items.extend(profile.public_records.iter().map(|i| ("public_record", body(i))));
        items.extend(profile.reported_scores.iter().map(|i| ("reported_score", body(i))));
        self.write("Import credit report", |w| {
            for id in &existing {
                w.delete(Entity::CreditItem, *id)?;
            }
            for (kind, json) in &items {
                w.insert(Entity::CreditItem, new_id(), &[Value::Text((*kind).into()), json.clone()])?;
            }
            Ok(())
        })?;
        Ok(counts(profile))
    }

    /// The vault's credit report as a profile as of `as_of`.
    pub fn credit_report(&self, as_of: NaiveDate) -> Result<CreditProfile> {
        let mut profile = CreditProfile {
            as_of,
            accounts: Vec::new(),
            inquiries: Vec::new(),
            collections: Vec::new(),
            public_records: Vec::new(),
            reported_scores: Vec::new(),
        };
        let mut stmt = self.conn.prepare("SELECT kind, body FROM credit_items ORDER BY kind, id")?;
        let rows = stmt.query_map([], |r| Ok((r.get::<_, String>(0)?, r.get::<_, String>(1)?)))?;
        for row in rows {
            let (kind, text) = row?;
            match kind.as_str() {
                "account" => {
                    let mut t = parse::<Tradeline>(&text)?;
                    if let Some(account) = t.linked_account.clone() {
                        self.fill_from_vault(&mut t, &account, as_of)?;
                    }
                    profile.accounts.push(t)
                }
                "inquiry" => profile.inquiries.push(parse::<InquiryItem>(&text)?),
                "collection" => profile.collections.push(parse::<CollectionItem>(&text)?),
                "public_record" => profile.public_records.push(parse::<PublicRecord>(&text)?),
                "reported_score" => profile.reported_scores.push(parse::<ReportedScore>(&text)?),
                other => return Err(Error::Damaged(format!("unknown credit item kind {other}"))),
            }
        }
        Ok(profile)
    }
}

/// One stored item of the credit report.
#[derive(Debug, Clone, PartialEq)]
pub struct CreditItem {
    pub id: String,
    pub kind: String,
    /// The item as JSON in the exchange format.
    pub body: serde_json::Value,
}

/// Checks `body` as an item of `kind` (the same rules as a whole profile) and returns it normalized.
fn checked(kind: &str, body: &str) -> Result<String> {
    let wrapped = match kind {
        "account" => "accounts",
        "inquiry" => "inquiries",
        "collection" => "collections",
        "public_record" => "public_records",
        "reported_score" => "reported_scores",
        other => return Err(form::fields(other).err().unwrap_or_else(|| Error::invalid(other))),
    };
    let item: serde_json::Value =
        serde_json::from_str(body).map_err(|e| Error::invalid(format!("the credit item is not JSON: {e}")))?;
    let profile = serde_json::json!({ "as_of": "2100-12-31", wrapped: [item] }).to_string();
    let p = CreditProfile::from_json(&profile).map_err(|e| by_field(kind, &format!("{wrapped}[0]."), e))?;
    Ok(match kind {
        "account" => body_text(&p.accounts[0]),
        "inquiry" => body_text(&p.inquiries[0]),
        "collection" => body_text(&p.collections[0]),
        "public_record" => body_text(&p.public_records[0]),
        _ => body_text(&p.reported_scores[0]),
    })
}

/// A whole profile's error about its one item, said of the item's field as the editor labels it
/// ("the credit profile is not valid: accounts[0].limit: …" → "Credit limit: …").
fn by_field(kind: &str, prefix: &str, e: Error) -> Error {
    let text = e.to_string();
    let Some(rest) = text.strip_prefix("the credit profile is not valid: ").and_then(|t| t.strip_prefix(prefix)) else {
        return e;
    };
    let (name, why) = rest.split_once(": ").unwrap_or((rest, ""));
    let field = name.split(['.', '[']).next().unwrap_or(name);
    let label = form::fields(kind).ok().and_then(|f| f.iter().find(|f| f.name == field)).map_or(name, |f| f.label);
    Error::invalid(format!("{label}: {why}"))
}

fn body_text<T: Serialize>(item: &T) -> String {
    // Plain data: serializing it cannot fail.
    serde_json::to_string(item).unwrap_or_default()
}

impl Vault {
    /// Every item of the vault's credit report, accounts first.
    pub fn credit_items(&self) -> Result<Vec<CreditItem>> {
        let mut stmt = self.conn.prepare("SELECT id, kind, body FROM credit_items ORDER BY kind, id")?;
        let rows =
            stmt.query_map([], |r| Ok((r.get::<_, Uuid>(0)?, r.get::<_, String>(1)?, r.get::<_, String>(2)?)))?;
        rows.map(|row| {
            let (id, kind, body) = row?;
            Ok(CreditItem {
                id: id.to_string(),
                kind,
                body: serde_json::from_str(&body).map_err(|e| Error::Damaged(e.to_string()))?,
            })
        })
        .collect()
    }

    /// Adds one item (`kind`: account, inquiry, collection, public_record, reported_score) from its JSON.
    pub fn add_credit_item(&mut self, kind: &str, body: &str) -> Result<String> {
        let text = checked(kind, body)?;
        let id = new_id();
        self.write(&format!("Add credit {kind}"), |w| {
            w.insert(Entity::CreditItem, id, &[Value::Text(kind.into()), Value::Text(text)])
        })?;
        Ok(id.to_string())
    }

    /// Replaces one item's JSON (its kind stays).
    pub fn edit_credit_item(&mut self, id: &str, body: &str) -> Result<()> {
        let item = self.credit_item(id)?;
        let text = checked(&item.kind, body)?;
        let uuid = crate::ids::parse_id("credit item", id)?;
        self.write(&format!("Edit credit {}", item.kind), |w| {
            w.update(Entity::CreditItem, uuid, "body", Value::Text(text)).map(|_| ())
        })
    }

    pub fn remove_credit_item(&mut self, id: &str) -> Result<()> {
        let item = self.credit_item(id)?;
        let uuid = crate::ids::parse_id("credit item", id)?;
        self.write(&format!("Remove credit {}", item.kind), |w| w.delete(Entity::CreditItem, uuid))
    }

    /// Keeps an account current: its statement balance (and date), by the account's id in the report.
    pub fn set_credit_balance(&mut self, account: &str, balance: rust_decimal::Decimal, date: NaiveDate) -> Result<()> {
        let item = self.credit_account_item(account)?;
        let mut body = item.body.clone();
        body["balance"] = serde_json::Value::String(balance.to_string());
        body["balance_date"] = serde_json::Value::String(date.to_string());
        self.edit_credit_item(&item.id, &body.to_string())
    }

    /// Links a tradeline of the report (by its id there) to a vault account: from then on its balance
    /// and limit are the vault's.
    pub fn link_credit_account(&mut self, tradeline: &str, account_id: &str) -> Result<()> {
        let account = self.account(account_id)?;
        if !account.kind.is_credit() {
            return Err(Error::invalid(format!("{} is not a card or loan account", account.name)));
        }
        let item = self.credit_account_item(tradeline)?;
        let mut body = item.body.clone();
        body["linked_account"] = serde_json::Value::String(account.id.clone());
        self.edit_credit_item(&item.id, &body.to_string())
    }

    /// A linked tradeline's balance (what is owed on the vault account as of `as_of`) and limit.
    fn fill_from_vault(&self, t: &mut Tradeline, account_id: &str, as_of: NaiveDate) -> Result<()> {
        let Ok(account) = self.account(account_id) else { return Ok(()) }; // unlinked by deleting the account
        let id = crate::ids::parse_id("account", &account.id)?;
        // Every score and every what-if reads this: whole months come from the totals kept on write,
        // only the rows of `as_of`'s own month are read (through the date index).
        use chrono::Datelike;
        let month_start = as_of.with_day(1).unwrap_or(as_of);
        let minor: i64 = self.conn.query_row(
            "SELECT coalesce((SELECT sum(income + expense) FROM monthly_totals WHERE account_id = ?1 AND month < ?2), 0)
                  + coalesce((SELECT sum(amount) FROM transactions WHERE account_id = ?1 AND date >= ?3 AND date <= ?4), 0)",
            rusqlite::params![id, month_start.format("%Y-%m").to_string(), month_start.to_string(), as_of.to_string()],
            |r| r.get(0),
        )?;
        // The vault keeps the holder's view (money owed is negative); a report shows what is owed.
        t.balance = (-crate::values::from_minor(minor, &account.currency)).max(rust_decimal::Decimal::ZERO);
        t.balance_date = Some(as_of);
        if account.credit_limit.is_some() {
            t.limit = account.credit_limit;
        }
        Ok(())
    }

    /// The account item whose id in the report is `tradeline`.
    fn credit_account_item(&self, tradeline: &str) -> Result<CreditItem> {
        self.credit_items()?
            .into_iter()
            .find(|i| i.kind == "account" && i.body.get("id").and_then(|v| v.as_str()) == Some(tradeline))
            .ok_or_else(|| Error::not_found("credit account", tradeline))
    }

    fn credit_item(&self, id: &str) -> Result<CreditItem> {
        let wanted = crate::ids::parse_id("credit item", id)?.to_string();
        self.credit_items()?.into_iter().find(|i| i.id == wanted).ok_or_else(|| Error::not_found("credit item", id))
    }
}

impl Vault {
    /// Adds an item from its editor form's fields (text as typed).
    pub fn add_credit_fields(&mut self, kind: &str, fields: &[(String, String)]) -> Result<String> {
        let body = form::from_fields(kind, fields, None)?;
        self.add_credit_item(kind, &body.to_string())
    }

    /// Replaces an item's fields from its editor form; what the form does not show (payment history,
    /// link) stays.
    pub fn edit_credit_fields(&mut self, id: &str, fields: &[(String, String)]) -> Result<()> {
        let item = self.credit_item(id)?;
        let body = form::from_fields(&item.kind, fields, Some(&item.body))?;
        self.edit_credit_item(id, &body.to_string())
    }

    /// Changes some of an item's fields (by name); the others keep what they say now.
    pub fn change_credit_fields(&mut self, id: &str, changed: &[(String, String)]) -> Result<()> {
        let item = self.credit_item(id)?;
        let mut fields: Vec<(String, String)> =
            form::to_fields(&item.kind, &item.body)?.into_iter().map(|(name, text)| (name.to_string(), text)).collect();
        for (name, text) in changed {
            match fields.iter_mut().find(|(n, _)| n == name) {
                Some(field) => field.1.clone_from(text),
                None => return Err(Error::invalid(format!("a {} has no field \"{name}\"", item.kind))),
            }
        }
        self.edit_credit_fields(id, &fields)
    }

    /// Stops a tradeline following a vault account: it keeps the balance and limit it has now.
    pub fn unlink_credit_account(&mut self, tradeline: &str, as_of: NaiveDate) -> Result<()> {
        let item = self.credit_account_item(tradeline)?;
        let mut t = tradeline_of(&item)?;
        let Some(account) = t.linked_account.take() else {
            return Err(Error::invalid(format!("{tradeline} is not linked to an account")));
        };
        self.fill_from_vault(&mut t, &account, as_of)?;
        self.edit_credit_item(&item.id, &body_text(&t))
    }

    /// Sets how a tradeline's payment of `month` went: `None` paid as agreed, or how late it got.
    pub fn set_payment_month(&mut self, tradeline: &str, month: NaiveDate, status: Option<Severity>) -> Result<()> {
        let item = self.credit_account_item(tradeline)?;
        let mut t = tradeline_of(&item)?;
        t.set_month(month, status);
        self.edit_credit_item(&item.id, &body_text(&t))
    }

    /// Keeps the first-score wizard's answers as the vault's credit report (replacing the items there
    /// except the scores the user saw, which stay). Tied cards and loans must be card or loan accounts;
    /// their balance and limit come from the vault.
    pub fn keep_first_score(&mut self, answers: &Answers, as_of: NaiveDate) -> Result<CreditCounts> {
        for (i, card) in answers.cards.iter().enumerate() {
            card.check(&format!("card {} ({})", i + 1, card.name))?;
        }
        let mut profile = answers.to_profile(as_of);
        for t in profile.accounts.iter_mut() {
            if let Some(id) = t.linked_account.clone() {
                let account = self.account(&id)?;
                if !account.kind.is_credit() {
                    return Err(Error::invalid(format!("{}: {} is not a card or loan account", t.id, account.name)));
                }
                self.fill_from_vault(t, &id, as_of)?;
                if t.kind.is_revolving() && t.limit.is_none() {
                    return Err(Error::invalid(format!(
                        "{}: {} has no credit limit in Credence; give it on the Accounts page, or type the limit here instead of tying the card",
                        t.id, account.name
                    )));
                }
            }
        }
        profile.reported_scores = self.credit_report(as_of)?.reported_scores;
        self.replace_credit_report(&profile)
    }
}

fn tradeline_of(item: &CreditItem) -> Result<Tradeline> {
    serde_json::from_value(item.body.clone())
        .map_err(|e| Error::Damaged(format!("a stored credit item cannot be read: {e}")))
}

fn parse<T: DeserializeOwned>(text: &str) -> Result<T> {
    serde_json::from_str(text).map_err(|e| Error::Damaged(format!("a stored credit item cannot be read: {e}")))
}

pub fn counts(p: &CreditProfile) -> CreditCounts {
    CreditCounts {
        accounts: p.accounts.len(),
        inquiries: p.inquiries.len(),
        collections: p.collections.len(),
        public_records: p.public_records.len(),
        reported_scores: p.reported_scores.len(),
    }
}
