//! Transfers between the user's own accounts: a card payment leaving checking and arriving on the card
//! are one movement of money, not spending plus income. Pairs are linked both ways (`transfer_id`) and
//! filed under Transfers, so reports can leave them out.

use chrono::NaiveDate;
use rust_decimal::Decimal;
use uuid::Uuid;

use crate::error::Result;
use crate::ids::id_value;
use crate::journal::{Entity, Writer};
use crate::values::from_minor;

/// How far apart the two sides' dates may be (banks post on different days).
const MAX_DAYS_APART: i64 = 4;

const TRANSFER_WORDS: &[&str] = &[
    "PAYMENT THANK YOU",
    "AUTOPAY",
    "AUTOMATIC PAYMENT",
    "ONLINE PAYMENT",
    "MOBILE PAYMENT",
    "INTERNET PAYMENT",
    "PAYMENT RECEIVED",
    "CARD PAYMENT",
    "CREDIT CARD",
    "TRANSFER",
    "XFER",
    "ONLINE PMT",
    // A card payment as the checking side prints it ("CAPITAL ONE MOBILE PMT", "CHASE CREDIT CRD
    // AUTOPAY", "AMERICAN EXPRESS ACH PMT"): the card side is often imported first and says only
    // "PAYMENT THANK YOU", so this side must be a candidate too.
    "MOBILE PMT",
    "MOBILE PYMT",
    "ONLINE PYMT",
    "CRD PMT",
    "CRD PYMT",
    "CRCARDPMT",
    "ACH PMT",
    "E-PAYMENT",
    "EPAY",
    "UEBERWEISUNG",
    "ÜBERWEISUNG",
];

/// A candidate side, as stored.
struct Side {
    account: Uuid,
    date: String,
    amount: i64,
    currency: String,
    linked: bool,
    payee: String,
    original: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TransferPair {
    pub out: String,
    pub into: String,
}

/// A transaction as rules and transfer matching see it.
pub(crate) struct Row {
    pub id: Uuid,
    pub account: Uuid,
    pub date: NaiveDate,
    pub amount: Decimal,
    pub payee: String,
    pub original_payee: Option<String>,
    pub category: Option<Uuid>,
    pub tags: Vec<String>,
}

pub(crate) fn looks_like_transfer(payee: &str, original: Option<&str>) -> bool {
    std::iter::once(payee).chain(original).any(|p| {
        let upper = p.to_uppercase();
        TRANSFER_WORDS.iter().any(|w| upper.contains(w))
    })
}

pub(crate) fn rows_for(conn: &rusqlite::Connection, account: Option<Uuid>) -> Result<Vec<Row>> {
    let mut stmt = conn.prepare(
        "SELECT t.id, t.account_id, t.date, t.amount, a.currency, t.payee, t.original_payee, t.category_id, t.tags
         FROM transactions t JOIN accounts a ON a.id = t.account_id WHERE ?1 IS NULL OR t.account_id = ?1",
    )?;
    let rows = stmt.query_map([account], |r| {
        let date: String = r.get(2)?;
        let currency: String = r.get(4)?;

        Ok(Row {
            id: r.get(0)?,
            account: r.get(1)?,
            date: NaiveDate::parse_from_str(&date, "%Y-%m-%d").unwrap_or_default(),
            amount: from_minor(r.get(3)?, &currency),
            payee: r.get(5)?,
            original_payee: r.get(6)?,
            category: r.get(7)?,
            tags: super::parse_tags(r.get(8)?),
        })
    })?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

/// Pairs each unlinked candidate with the nearest-dated unlinked transaction of the opposite amount in
/// another account of the same currency, links both ways and files both under `category` if they have
/// none.
pub(crate) fn link(w: &mut Writer<'_>, candidates: &[Uuid], category: Option<Uuid>) -> Result<Vec<TransferPair>> {
    let mut pairs = Vec::new();
    for id in candidates {
        let me: Option<Side> = {
            use rusqlite::OptionalExtension;
            w.conn()
                .query_row(
                    "SELECT t.account_id, t.date, t.amount, a.currency, t.transfer_id, t.payee, t.original_payee
                     FROM transactions t JOIN accounts a ON a.id = t.account_id WHERE t.id = ?1",
                    [id],
                    |r| {
                        Ok(Side {
                            account: r.get(0)?,
                            date: r.get(1)?,
                            amount: r.get(2)?,
                            currency: r.get(3)?,
                            linked: r.get::<_, Option<Uuid>>(4)?.is_some(),
                            payee: r.get(5)?,
                            original: r.get(6)?,
                        })
                    },
                )
                .optional()?
        };
        let Some(Side { account, date, amount, currency, linked: false, payee, original }) = me else { continue };
        // At least one side must say it is a transfer: an ordinary purchase and a refund of the same
        // amount in two accounts are not one.
        let says_transfer = looks_like_transfer(&payee, original.as_deref());
        let Ok(day) = NaiveDate::parse_from_str(&date, "%Y-%m-%d") else { continue };
        let (from, to) =
            (day - chrono::Days::new(MAX_DAYS_APART as u64), day + chrono::Days::new(MAX_DAYS_APART as u64));
        let others: Vec<Uuid> = {
            let mut stmt = w.conn().prepare_cached("SELECT id FROM accounts WHERE id <> ?1 AND currency = ?2")?;
            let rows = stmt.query_map(rusqlite::params![account, currency], |r| r.get(0))?;
            rows.collect::<rusqlite::Result<_>>()?
        };
        let mut best: Option<(i64, Uuid)> = None;
        for other in others {
            let mut stmt = w.conn().prepare_cached(
                "SELECT id, date, payee, original_payee FROM transactions
                 WHERE account_id = ?1 AND date BETWEEN ?2 AND ?3 AND amount = ?4 AND transfer_id IS NULL",
            )?;
            let found = stmt.query_map(rusqlite::params![other, from.to_string(), to.to_string(), -amount], |r| {
                Ok((
                    r.get::<_, Uuid>(0)?,
                    r.get::<_, String>(1)?,
                    r.get::<_, String>(2)?,
                    r.get::<_, Option<String>>(3)?,
                ))
            })?;
            for f in found {
                let (candidate, d, their_payee, their_original) = f?;
                let they_say_transfer = looks_like_transfer(&their_payee, their_original.as_deref());
                if !says_transfer && !they_say_transfer {
                    continue;
                }
                // A partner that says "transfer" too beats a closer one that does not.
                let days =
                    NaiveDate::parse_from_str(&d, "%Y-%m-%d").map_or(i64::MAX / 2, |d| (d - day).num_days().abs());
                let gap = days + if they_say_transfer { 0 } else { 100 };
                if best.is_none_or(|(g, _)| gap < g) {
                    best = Some((gap, candidate));
                }
            }
        }
        let Some((_, partner)) = best else { continue };
        for (a, b) in [(*id, partner), (partner, *id)] {
            w.update(Entity::Transaction, a, "transfer_id", id_value(b))?;
            if let Some(c) = category {
                let current: Option<Uuid> =
                    w.conn().query_row("SELECT category_id FROM transactions WHERE id = ?1", [a], |r| r.get(0))?;
                if current.is_none() {
                    w.update(Entity::Transaction, a, "category_id", id_value(c))?;
                }
            }
        }
        let (out, into) = if amount < 0 { (*id, partner) } else { (partner, *id) };
        pairs.push(TransferPair { out: out.to_string(), into: into.to_string() });
    }
    Ok(pairs)
}
