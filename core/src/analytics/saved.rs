//! Saved reports: a custom report's filters and grouping kept under a name, to run again later. Accounts
//! and categories are kept by id, so renaming one keeps the report right; a deleted one makes the
//! report fail with a clear "not found" rather than widen silently. Stored as versioned JSON.

use chrono::NaiveDate;
use rusqlite::types::Value;
use rusqlite::OptionalExtension;
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use super::custom::{GroupBy, ReportQuery};
use super::periods::Period;
use crate::error::{Error, Result};
use crate::ids::new_id;
use crate::journal::Entity;
use crate::vault::Vault;

#[derive(Debug, Clone, PartialEq)]
pub struct SavedReport {
    pub name: String,
    pub query: ReportQuery,
}

/// The stored form (version 1). Private: the domain type stays free of serialization.
#[derive(Serialize, Deserialize)]
struct Stored {
    version: u32,
    from: Option<NaiveDate>,
    to: Option<NaiveDate>,
    accounts: Vec<String>,
    categories: Vec<String>,
    payees: Vec<String>,
    tags: Vec<String>,
    text: Option<String>,
    min: Option<Decimal>,
    max: Option<Decimal>,
    period: String,
    group: String,
    convert_to: Option<String>,
}

impl Stored {
    fn of(q: &ReportQuery) -> Stored {
        Stored {
            version: 1,
            from: q.from,
            to: q.to,
            accounts: q.account_ids.clone(),
            categories: q.category_ids.clone(),
            payees: q.payees.clone(),
            tags: q.tags.clone(),
            text: q.text.clone(),
            min: q.min,
            max: q.max,
            period: q.period.as_str().to_string(),
            group: q.group.as_str().to_string(),
            convert_to: q.convert_to.clone(),
        }
    }

    fn query(self) -> Result<ReportQuery> {
        Ok(ReportQuery {
            from: self.from,
            to: self.to,
            account_ids: self.accounts,
            category_ids: self.categories,
            payees: self.payees,
            tags: self.tags,
            text: self.text,
            min: self.min,
            max: self.max,
            period: self.period.parse::<Period>()?,
            group: self.group.parse::<GroupBy>()?,
            convert_to: self.convert_to,
        })
    }
}

fn unreadable(name: &str) -> Error {
    Error::invalid(format!("the saved report \"{name}\" is not readable by this version of Credence"))
}

impl Vault {
    /// Saves `query` under `name` (replacing a report of that name, whatever its case). The accounts
    /// and categories it names must exist.
    pub fn save_report(&mut self, name: &str, query: &ReportQuery) -> Result<()> {
        let name = name.trim();
        if name.is_empty() {
            return Err(Error::invalid("a saved report needs a name"));
        }
        for a in &query.account_ids {
            self.account(a)?;
        }
        for c in &query.category_ids {
            self.category(c)?;
        }
        let json = serde_json::to_string(&Stored::of(query))
            .map_err(|e| Error::invalid(format!("the report could not be saved: {e}")))?;
        let existing = self.saved_report_id(name)?;
        self.write(&format!("Save report \"{name}\""), |w| match existing {
            Some(id) => {
                w.update(Entity::SavedReport, id, "name", Value::Text(name.to_string()))?;
                w.update(Entity::SavedReport, id, "query", Value::Text(json.clone())).map(drop)
            }
            None => {
                w.insert(Entity::SavedReport, new_id(), &[Value::Text(name.to_string()), Value::Text(json.clone())])
            }
        })
    }

    /// The saved report called `name` (any case).
    pub fn saved_report(&self, name: &str) -> Result<SavedReport> {
        let (name, json): (String, String) = self
            .conn
            .query_row("SELECT name, query FROM saved_reports WHERE lower(name) = lower(?1)", [name.trim()], |r| {
                Ok((r.get(0)?, r.get(1)?))
            })
            .optional()?
            .ok_or_else(|| Error::not_found("saved report", name.trim()))?;
        let stored: Stored = serde_json::from_str(&json).map_err(|_| unreadable(&name))?;
        if stored.version != 1 {
            return Err(unreadable(&name));
        }
        Ok(SavedReport { query: stored.query()?, name })
    }

    /// Every saved report, by name.
    pub fn saved_reports(&self) -> Result<Vec<SavedReport>> {
        let mut stmt = self.conn.prepare("SELECT name FROM saved_reports ORDER BY lower(name)")?;
        let names = stmt.query_map([], |r| r.get::<_, String>(0))?.collect::<rusqlite::Result<Vec<_>>>()?;
        names.iter().map(|n| self.saved_report(n)).collect()
    }

    pub fn delete_saved_report(&mut self, name: &str) -> Result<()> {
        let id = self.saved_report_id(name)?.ok_or_else(|| Error::not_found("saved report", name.trim()))?;
        self.write(&format!("Delete saved report \"{}\"", name.trim()), |w| w.delete(Entity::SavedReport, id))
    }

    fn saved_report_id(&self, name: &str) -> Result<Option<Uuid>> {
        Ok(self
            .conn
            .query_row("SELECT id FROM saved_reports WHERE lower(name) = lower(?1)", [name.trim()], |r| r.get(0))
            .optional()?)
    }
}
