//! Money in and out per account, month and category, kept on write in `monthly_totals` (migration
//! 0006), and per account and day in `daily_totals` (migration 0009), by triggers, so reports,
//! balances and the coach never read every transaction. The triggers call
//! `credence_totals_by_trigger()`, registered here on every connection; an import suspends them on its
//! writing thread while it inserts, and adds the totals of its rows itself in one upsert per bucket.

use std::cell::Cell;
use std::collections::HashMap;

use chrono::{Datelike, NaiveDate};
use rusqlite::functions::FunctionFlags;
use uuid::Uuid;

use crate::error::Result;

thread_local! {
    static SUSPENDED: Cell<bool> = const { Cell::new(false) };
}

/// Makes the triggers' switch known to a new connection. SQLite runs the function on the thread that
/// runs the statement, so the switch is per thread: an import's writing thread.
pub(crate) fn register(conn: &rusqlite::Connection) -> rusqlite::Result<()> {
    conn.create_scalar_function("credence_totals_by_trigger", 0, FunctionFlags::SQLITE_UTF8, |_| {
        Ok(!SUSPENDED.with(Cell::get))
    })
}

/// While alive, this thread's inserts, edits and deletes leave `monthly_totals` alone; the holder adds
/// what it wrote itself (`Pending::write`). Dropping it (also on an error) turns the triggers back on.
pub(crate) struct Suspended(());

impl Suspended {
    pub(crate) fn new() -> Suspended {
        SUSPENDED.with(|s| s.set(true));
        Suspended(())
    }
}

impl Drop for Suspended {
    fn drop(&mut self) {
        SUSPENDED.with(|s| s.set(false));
    }
}

/// Totals of new rows not yet in `monthly_totals` and `daily_totals`, none of them a paired transfer
/// (pairing comes after, through the triggers).
#[derive(Debug, Default)]
pub(crate) struct Pending {
    buckets: HashMap<(Uuid, u32, Option<Uuid>), [i64; 3]>,
    days: HashMap<(Uuid, NaiveDate), [i64; 3]>,
}

fn add_to(bucket: &mut [i64; 3], amount_minor: i64) {
    bucket[0] += amount_minor.max(0);
    bucket[1] += amount_minor.min(0);
    bucket[2] += 1;
}

impl Pending {
    pub(crate) fn add(&mut self, account: Uuid, date: NaiveDate, category: Option<Uuid>, amount_minor: i64) {
        let month = date.year() as u32 * 100 + date.month();
        add_to(self.buckets.entry((account, month, category)).or_default(), amount_minor);
        add_to(self.days.entry((account, date)).or_default(), amount_minor);
    }

    /// Adds the totals to `monthly_totals` (call once the triggers are back on).
    pub(crate) fn write(&self, conn: &rusqlite::Connection) -> Result<()> {
        let mut stmt = conn.prepare_cached(
            "INSERT INTO monthly_totals VALUES (?1, ?2, ?3, 0, ?4, ?5, ?6)
             ON CONFLICT DO UPDATE SET income = income + excluded.income, expense = expense + excluded.expense,
                 count = count + excluded.count",
        )?;
        for ((account, month, category), [income, expense, count]) in &self.buckets {
            let month = format!("{:04}-{:02}", month / 100, month % 100);
            let category: &[u8] = category.as_ref().map_or(&[], |c| c.as_bytes());
            stmt.execute(rusqlite::params![account, month, category, income, expense, count])?;
        }
        let mut stmt = conn.prepare_cached(
            "INSERT INTO daily_totals VALUES (?1, ?2, ?3, ?4, ?5)
             ON CONFLICT DO UPDATE SET income = income + excluded.income, expense = expense + excluded.expense,
                 count = count + excluded.count",
        )?;
        for ((account, day), [income, expense, count]) in &self.days {
            stmt.execute(rusqlite::params![account, day.to_string(), income, expense, count])?;
        }
        Ok(())
    }
}
