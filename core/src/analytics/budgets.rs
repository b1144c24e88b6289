//! Monthly budgets per category: how much may go out each month, and how much has. A budget applies
//! from its month until a later one for the same category and currency replaces it (0 ends it). What
//! was spent is the category's net money out in that month, sub-categories included, read from the
//! monthly totals kept on write; transfers do not count.

use chrono::{Datelike, NaiveDate};
use rusqlite::types::Value;
use rusqlite::OptionalExtension;
use rust_decimal::Decimal;
use uuid::Uuid;

use crate::error::{Error, Result};
use crate::ids::{id_value, new_id, parse_id};
use crate::journal::Entity;
use crate::values::{currency_code, from_minor, to_minor};
use crate::vault::Vault;

/// One category's budget in one month.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BudgetLine {
    pub category_id: String,
    /// The category's full path ("Food:Groceries").
    pub category: String,
    pub currency: String,
    /// The month the amount has applied from ("YYYY-MM").
    pub since: String,
    pub budget: Decimal,
    /// Net money out this month (refunds reduce it; it can be negative).
    pub spent: Decimal,
    pub remaining: Decimal,
    /// Spent as a percentage of the budget, one decimal.
    pub used_percent: Decimal,
}

fn month_text(date: NaiveDate) -> String {
    format!("{:04}-{:02}", date.year(), date.month())
}

impl Vault {
    /// Sets the monthly budget of a category from `from`'s month on (0 ends an earlier one).
    pub fn set_budget(&mut self, category_id: &str, amount: Decimal, currency: &str, from: NaiveDate) -> Result<()> {
        let category = self.category(category_id)?;
        let currency = currency_code(currency)?;
        if amount < Decimal::ZERO {
            return Err(Error::invalid("a budget cannot be negative"));
        }
        let minor = to_minor(amount, &currency)?;
        let category_uuid = parse_id("category", &category.id)?;
        let month = month_text(from);
        let existing: Option<Uuid> = self
            .conn
            .query_row(
                "SELECT id FROM budgets WHERE category_id = ?1 AND currency = ?2 AND from_month = ?3",
                rusqlite::params![category_uuid, currency, month],
                |r| r.get(0),
            )
            .optional()?;
        let summary = format!("Budget {} {amount} {currency} from {month}", category.path);
        self.write(&summary, |w| match existing {
            Some(id) => w.update(Entity::Budget, id, "amount", Value::Integer(minor)).map(drop),
            None => w.insert(
                Entity::Budget,
                new_id(),
                &[
                    id_value(category_uuid),
                    Value::Text(month.clone()),
                    Value::Text(currency.clone()),
                    Value::Integer(minor),
                ],
            ),
        })
    }

    /// Every budget in force in `month`'s month, with what was spent against it.
    pub fn budgets(&self, month: NaiveDate) -> Result<Vec<BudgetLine>> {
        let month = month_text(month);
        let mut stmt = self.conn.prepare(
            "SELECT b.category_id, b.currency, b.from_month, b.amount FROM budgets b
             WHERE b.from_month = (SELECT max(o.from_month) FROM budgets o
                                   WHERE o.category_id = b.category_id AND o.currency = b.currency AND o.from_month <= ?1)
               AND b.amount > 0",
        )?;
        let rows = stmt
            .query_map([&month], |r| {
                Ok((r.get::<_, Uuid>(0)?, r.get::<_, String>(1)?, r.get::<_, String>(2)?, r.get::<_, i64>(3)?))
            })?
            .collect::<rusqlite::Result<Vec<_>>>()?;
        let mut lines = rows
            .into_iter()
            .map(|(category, currency, since, amount)| {
                let info = self.category(&category.to_string())?;
                let spent = from_minor(-self.net_in_month(&info.id, &currency, &month)?, &currency);
                let budget = from_minor(amount, &currency);
                Ok(BudgetLine {
                    category_id: info.id,
                    category: info.path,
                    since,
                    remaining: budget - spent,
                    used_percent: (spent * Decimal::from(100) / budget).round_dp(1),
                    budget,
                    spent,
                    currency,
                })
            })
            .collect::<Result<Vec<_>>>()?;
        lines.sort_by(|a, b| a.category.cmp(&b.category).then(a.currency.cmp(&b.currency)));
        Ok(lines)
    }

    /// Net money in (negative: out) of a category and its sub-categories in one month and currency.
    fn net_in_month(&self, category: &str, currency: &str, month: &str) -> Result<i64> {
        let ids = self.category_and_descendants(category)?;
        let marks = vec!["?"; ids.len()].join(", ");
        let sql = format!(
            "SELECT coalesce(sum(m.income + m.expense), 0) FROM monthly_totals m JOIN accounts a ON a.id = m.account_id
             WHERE m.month = ? AND a.currency = ? AND m.transfer = 0 AND m.category_id IN ({marks})"
        );
        let mut args = vec![Value::Text(month.to_string()), Value::Text(currency.to_string())];
        args.extend(ids.into_iter().map(id_value));
        Ok(self.conn.query_row(&sql, rusqlite::params_from_iter(args), |r| r.get(0))?)
    }
}
