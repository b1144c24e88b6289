use std::str::FromStr;

use rusqlite::types::Value;
use rusqlite::OptionalExtension;

use super::accounts::clean_name;
use uuid::Uuid;

use crate::error::{Error, Result};
use crate::ids::{id_value, new_id, parse_id};
use crate::journal::{Entity, Writer};
use crate::vault::Vault;

/// Separates levels in a category path: "Food:Groceries" (hledger's and GnuCash's convention).
pub const PATH_SEPARATOR: char = ':';

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CategoryKind {
    Expense,
    Income,
    Transfer,
}

impl CategoryKind {
    pub fn as_str(self) -> &'static str {
        match self {
            CategoryKind::Expense => "expense",
            CategoryKind::Income => "income",
            CategoryKind::Transfer => "transfer",
        }
    }
}

impl FromStr for CategoryKind {
    type Err = Error;
    fn from_str(s: &str) -> Result<Self> {
        match s {
            "expense" => Ok(CategoryKind::Expense),
            "income" => Ok(CategoryKind::Income),
            "transfer" => Ok(CategoryKind::Transfer),
            other => {
                Err(Error::invalid(format!("\"{other}\" is not a category kind (use expense, income or transfer)")))
            }
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Category {
    pub id: String,
    pub name: String,
    pub parent_id: Option<String>,
    /// The full path from the top, e.g. "Food:Groceries".
    pub path: String,
    pub kind: CategoryKind,
}

/// The categories a new vault starts with: top level, then children, each with its kind.
const DEFAULT_CATEGORIES: &[(&str, CategoryKind, &[&str])] = &[
    ("Income", CategoryKind::Income, &["Salary", "Interest", "Refunds", "Other Income"]),
    ("Housing", CategoryKind::Expense, &["Rent", "Mortgage", "Utilities", "Maintenance"]),
    ("Food", CategoryKind::Expense, &["Groceries", "Restaurants", "Coffee"]),
    ("Transport", CategoryKind::Expense, &["Fuel", "Public Transit", "Parking", "Car"]),
    ("Bills", CategoryKind::Expense, &["Phone", "Internet", "Insurance", "Subscriptions"]),
    ("Shopping", CategoryKind::Expense, &["Clothing", "Electronics", "Household"]),
    ("Health", CategoryKind::Expense, &["Medical", "Pharmacy", "Fitness"]),
    ("Leisure", CategoryKind::Expense, &["Entertainment", "Travel", "Hobbies"]),
    ("Financial", CategoryKind::Expense, &["Fees", "Interest Paid", "Taxes"]),
    ("Gifts & Donations", CategoryKind::Expense, &[]),
    ("Transfers", CategoryKind::Transfer, &["Credit Card Payment", "Savings", "Loan Payment"]),
];

const SELECT_CATEGORIES: &str = "WITH RECURSIVE tree(id, name, parent_id, kind, path) AS (
        SELECT id, name, parent_id, kind, name FROM categories WHERE parent_id IS NULL
        UNION ALL
        SELECT c.id, c.name, c.parent_id, c.kind, tree.path || ':' || c.name
        FROM categories c JOIN tree ON c.parent_id = tree.id
    ) SELECT id, name, parent_id, kind, path FROM tree";

fn category_from_row(r: &rusqlite::Row<'_>) -> rusqlite::Result<Category> {
    let kind: String = r.get(3)?;
    Ok(Category {
        id: r.get::<_, Uuid>(0)?.to_string(),
        name: r.get(1)?,
        parent_id: r.get::<_, Option<Uuid>>(2)?.map(|p| p.to_string()),
        kind: CategoryKind::from_str(&kind).unwrap_or(CategoryKind::Expense),
        path: r.get(4)?,
    })
}

impl Vault {
    /// Adds a category by path ("Food:Snacks"), creating missing parents. A new top-level category is
    /// an expense unless `kind` says otherwise; children inherit their parent's kind.
    pub fn add_category(&mut self, path: &str, kind: Option<CategoryKind>) -> Result<Category> {
        let parts = split_path(path)?;
        if self.category_by_path(path).is_ok() {
            return Err(Error::Conflict(format!("the category {} already exists", parts.join(":"))));
        }
        let id = self.write(&format!("Add category {}", parts.join(":")), |w| ensure_path(w, &parts, kind))?;
        self.category_by_id(id)
    }

    /// Every category, sorted by path.
    pub fn categories(&self) -> Result<Vec<Category>> {
        let mut stmt = self.conn.prepare(&format!("{SELECT_CATEGORIES} ORDER BY path COLLATE NOCASE"))?;
        let rows = stmt.query_map([], category_from_row)?.collect::<rusqlite::Result<Vec<_>>>()?;
        Ok(rows)
    }

    pub fn category(&self, id: &str) -> Result<Category> {
        self.category_by_id(parse_id("category", id)?)
    }

    fn category_by_id(&self, id: Uuid) -> Result<Category> {
        self.conn
            .query_row(&format!("{SELECT_CATEGORIES} WHERE id = ?1"), [id], category_from_row)
            .optional()?
            .ok_or_else(|| Error::not_found("category", id.to_string()))
    }

    /// Finds a category by its full path, or by its bare name when exactly one category has it.
    pub fn category_by_path(&self, path: &str) -> Result<Category> {
        let wanted = split_path(path)?.join(":");
        let all = self.categories()?;
        if let Some(c) = all.iter().find(|c| c.path.eq_ignore_ascii_case(&wanted)) {
            return Ok(c.clone());
        }
        let by_name: Vec<&Category> = all.iter().filter(|c| c.name.eq_ignore_ascii_case(&wanted)).collect();
        match by_name.as_slice() {
            [one] => Ok((*one).clone()),
            [] => Err(Error::not_found("category", path)),
            many => Err(Error::invalid(format!(
                "\"{path}\" could mean {}; give the full path",
                many.iter().map(|c| c.path.as_str()).collect::<Vec<_>>().join(" or ")
            ))),
        }
    }

    pub(crate) fn seed_default_categories(&mut self) -> Result<()> {
        self.write_op("Create the default categories", false, |w| {
            for (top, kind, children) in DEFAULT_CATEGORIES {
                ensure_path(w, &[top], Some(*kind))?;
                for child in *children {
                    ensure_path(w, &[top, child], Some(*kind))?;
                }
            }
            Ok(())
        })
    }
}

fn split_path(path: &str) -> Result<Vec<&str>> {
    let parts: Vec<&str> = path.split(PATH_SEPARATOR).map(str::trim).collect();
    if parts.iter().any(|p| p.is_empty()) {
        return Err(Error::invalid(format!("\"{path}\" is not a category path (write it like Food:Groceries)")));
    }
    for part in &parts {
        clean_name(part, "category")?;
    }
    Ok(parts)
}

/// Walks `parts` from the top, inserting each level that is missing; returns the last level's id.
fn ensure_path(w: &mut Writer<'_>, parts: &[&str], kind: Option<CategoryKind>) -> Result<Uuid> {
    let mut parent: Option<(Uuid, CategoryKind)> = None;
    for part in parts {
        let existing: Option<(Uuid, String)> = w
            .conn()
            .query_row(
                "SELECT id, kind FROM categories WHERE parent_id IS ?1 AND name = ?2 COLLATE NOCASE",
                rusqlite::params![parent.as_ref().map(|p| p.0), part],
                |r| Ok((r.get(0)?, r.get(1)?)),
            )
            .optional()?;
        parent = Some(match existing {
            Some((id, kind)) => (id, CategoryKind::from_str(&kind)?),
            None => {
                let kind = parent.as_ref().map(|p| p.1).or(kind).unwrap_or(CategoryKind::Expense);
                let id = new_id();
                let parent_id = parent.as_ref().map_or(Value::Null, |p| id_value(p.0));
                w.insert(
                    Entity::Category,
                    id,
                    &[Value::Text((*part).into()), parent_id, Value::Text(kind.as_str().into())],
                )?;
                (id, kind)
            }
        });
    }
    parent.map(|p| p.0).ok_or_else(|| Error::invalid("an empty category path"))
}
