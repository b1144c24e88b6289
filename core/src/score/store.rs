//! The credit report kept in the vault, item by item, each stored as its JSON in the exchange format
//! and written through the journal like everything else (so import can be undone and sync can carry it).

use chrono::NaiveDate;
use rusqlite::types::Value;
use serde::de::DeserializeOwned;
use serde::Serialize;
use uuid::Uuid;

use super::profile::{CollectionItem, CreditProfile, InquiryItem, PublicRecord, ReportedScore, Tradeline};
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
    // Plain data: serializing it cannot fail.
    Value::Text(serde_json::to_string(item).unwrap_or_default())
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
                "account" => profile.accounts.push(parse::<Tradeline>(&text)?),
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
