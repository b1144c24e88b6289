//! One card's or loan's postings over the coach's window, each classed once (payment, refund,
//! interest, late fee, cash advance, charge), with the running balance to read a statement off.

use chrono::NaiveDate;
use uuid::Uuid;

use super::words::Words;
use crate::error::Result;
use crate::ledger::Account;
use crate::vault::Vault;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Class {
    Payment,
    /// Money back that does not pay the card: a refund, a return, a reward, an adjustment.
    Refund,
    Interest,
    LateFee,
    CashAdvance,
    Charge,
}

#[derive(Debug, Clone)]
pub(crate) struct Posting {
    pub date: NaiveDate,
    /// Minor units, the holder's view (a payment into the card is positive).
    pub amount: i64,
    pub class: Class,
    /// Seen only as money leaving a checking account for this card's issuer (the card's own side is
    /// not in the vault yet).
    pub from_checking: bool,
}

pub(crate) struct Book {
    pub account: Account,
    /// The account's name, and the layouts of the files imported into it, as words.
    name: Words,
    formats: Words,
    /// The balance before the window's first day.
    opening: i64,
    /// By date.
    pub postings: Vec<Posting>,
    /// `running[i]`: the balance after `postings[i]`.
    running: Vec<i64>,
}

impl Book {
    /// The account's postings from `since` (the first of a month) to `until`.
    pub(crate) fn load(vault: &Vault, account: Account, since: NaiveDate, until: NaiveDate) -> Result<Book> {
        let id = Uuid::parse_str(&account.id).map_err(|e| crate::Error::Damaged(e.to_string()))?;
        let conn = &vault.conn;
        // Whole months before the window come from the totals kept on write.
        let opening: i64 = conn.query_row(
            "SELECT coalesce(sum(income + expense), 0) FROM monthly_totals WHERE account_id = ?1 AND month < ?2",
            rusqlite::params![id, since.format("%Y-%m").to_string()],
            |r| r.get(0),
        )?;
        let mut stmt = conn.prepare_cached(
            "SELECT date, amount, payee, original_payee, transfer_id IS NOT NULL FROM transactions
             WHERE account_id = ?1 AND date BETWEEN ?2 AND ?3 ORDER BY date",
        )?;
        let loan = account.kind == crate::AccountKind::Loan;
        let mut postings = Vec::new();
        let mut rows = stmt.query(rusqlite::params![id, since.to_string(), until.to_string()])?;
        while let Some(r) = rows.next()? {
            let Ok(date) = NaiveDate::parse_from_str(r.get_ref(0)?.as_str().unwrap_or_default(), "%Y-%m-%d") else {
                continue;
            };
            let amount: i64 = r.get(1)?;
            let words = Words::of(
                std::iter::once(r.get_ref(2)?.as_str().unwrap_or_default()).chain(r.get_ref(3)?.as_str().ok()),
            );
            let transfer: bool = r.get(4)?;
            postings.push(Posting {
                date,
                amount,
                class: classify(amount, &words, transfer, loan),
                from_checking: false,
            });
        }
        let formats: Vec<String> = {
            let mut stmt = conn.prepare_cached("SELECT DISTINCT format FROM import_batches WHERE account_id = ?1")?;
            let rows = stmt.query_map([id], |r| r.get(0))?;
            rows.collect::<rusqlite::Result<_>>()?
        };
        let name = Words::of([account.name.as_str()]);
        let formats = Words::of(formats.iter().map(String::as_str));
        let mut book = Book { account, name, formats, opening, postings, running: Vec::new() };
        book.settle();
        Ok(book)
    }

    /// The card issuer the account's name says, else the layout of its statements ("chase-card").
    pub(crate) fn issuer(&self) -> Option<usize> {
        self.name.issuer().or_else(|| self.formats.issuer())
    }

    /// Adds a payment seen on the checking side, unless the card's own side shows it already (the same
    /// amount within a week).
    pub(crate) fn add_checking_payment(&mut self, date: NaiveDate, amount: i64) -> bool {
        let shown = self
            .postings
            .iter()
            .any(|p| p.class == Class::Payment && p.amount == amount && (p.date - date).num_days().abs() <= 7);
        if !shown {
            self.postings.push(Posting { date, amount, class: Class::Payment, from_checking: true });
            self.settle();
        }
        !shown
    }

    fn settle(&mut self) {
        self.postings.sort_by_key(|p| p.date);
        let mut balance = self.opening;
        self.running = self
            .postings
            .iter()
            .map(|p| {
                // A payment only seen on the checking side is not in the card's balance: it is what the
                // card will show once its statement is imported.
                if !p.from_checking {
                    balance += p.amount;
                }
                balance
            })
            .collect();
    }

    /// The balance at the end of `date` (the holder's view: a card's debt is negative).
    pub(crate) fn balance_at(&self, date: NaiveDate) -> i64 {
        match self.postings.partition_point(|p| p.date <= date) {
            0 => self.opening,
            n => self.running[n - 1],
        }
    }

    /// Postings dated after `after`, up to and including `until`.
    pub(crate) fn between(&self, after: NaiveDate, until: NaiveDate) -> impl Iterator<Item = &Posting> {
        let start = self.postings.partition_point(|p| p.date <= after);
        self.postings[start..].iter().take_while(move |p| p.date <= until)
    }

    /// The dates interest or fees posted (the closing day, for inference) and payments came.
    pub(crate) fn dates_of(&self, classes: &[Class]) -> Vec<NaiveDate> {
        self.postings.iter().filter(|p| classes.contains(&p.class)).map(|p| p.date).collect()
    }
}

/// What a posting on a card or loan is. Money in pays the account when it is one side of a transfer
/// or says it is a payment, and never when it says it is a refund; on a loan, any money in but a
/// refund pays it.
fn classify(amount: i64, words: &Words, transfer: bool, loan: bool) -> Class {
    if amount > 0 {
        if words.says_refund() {
            Class::Refund
        } else if transfer || loan || words.says_payment() {
            Class::Payment
        } else {
            Class::Refund
        }
    } else if words.says_late_fee() {
        Class::LateFee
    } else if words.says_interest() {
        Class::Interest
    } else if words.says_cash_advance() {
        Class::CashAdvance
    } else {
        Class::Charge
    }
}
