//! One card's or loan's money over the coach's window: its balance on every day (from the daily
//! totals kept on write, not its transactions), and the postings the coach reads one by one, each
//! classed once: money in (payment or refund) since the earliest statement that needs it, and the
//! interest, fees and cash advances of the last weeks. A card with a million purchases costs the
//! coach only those.

use chrono::{Days, Months, NaiveDate};
use rusqlite::Row;
use uuid::Uuid;

use super::words::{may_name_a_charge, Words};
use crate::error::Result;
use crate::ledger::Account;
use crate::vault::Vault;

/// Money in is read this far back at first (the due day is inferred from it); further back only when
/// an older statement with a balance needs its payments.
const MONEY_IN_MONTHS: u32 = 13;
/// Interest, fees and cash advances are read this far back: two closings (the closing day is inferred
/// from them), the alerts' 45 days, and the month before an interest charge.
const CHARGES_DAYS: u64 = 62;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Class {
    Payment,
    /// Money back that does not pay the card: a refund, a return, a reward, an adjustment.
    Refund,
    Interest,
    LateFee,
    CashAdvance,
    /// A payment taken back (bounced, reversed): the payment it cancels does not pay a statement.
    ReturnedPayment,
    /// A payment that a `ReturnedPayment` took back.
    Bounced,
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

/// A day with postings: its date, what it moved the balance by, and the money out in it.
#[derive(Debug, Clone, Copy)]
struct Day {
    date: NaiveDate,
    balance: i64,
    money_out: i64,
}

pub(crate) struct Book {
    pub account: Account,
    id: Uuid,
    /// The account's name, and the layouts of the files imported into it, as words.
    name: Words,
    formats: Words,
    /// The balance before the window's first day.
    opening: i64,
    /// Each day of the window with postings, by date, with the balance at its end.
    days: Vec<Day>,
    /// By date: money in from `money_in_from` on, and the charges the coach names.
    pub postings: Vec<Posting>,
    money_in_from: NaiveDate,
    until: NaiveDate,
}

impl Book {
    /// The account's days from `since` (the first of a month) to `until`, its money in of the last
    /// year and its charges of the last weeks.
    pub(crate) fn load(vault: &Vault, account: Account, since: NaiveDate, until: NaiveDate) -> Result<Book> {
        let id = Uuid::parse_str(&account.id).map_err(|e| crate::Error::Damaged(e.to_string()))?;
        let conn = &vault.conn;
        // Whole months before the window come from the monthly totals, its days from the daily ones.
        let opening: i64 = conn.query_row(
            "SELECT coalesce(sum(income + expense), 0) FROM monthly_totals WHERE account_id = ?1 AND month < ?2",
            rusqlite::params![id, since.format("%Y-%m").to_string()],
            |r| r.get(0),
        )?;
        let mut days = Vec::new();
        let mut balance = opening;
        let mut stmt = conn.prepare_cached(
            "SELECT day, income + expense, expense FROM daily_totals WHERE account_id = ?1 AND day BETWEEN ?2 AND ?3
             ORDER BY day",
        )?;
        let mut rows = stmt.query(rusqlite::params![id, since.to_string(), until.to_string()])?;
        while let Some(r) = rows.next()? {
            let Some(date) = date_of(r)? else { continue };
            balance += r.get::<_, i64>(1)?;
            days.push(Day { date, balance, money_out: -r.get::<_, i64>(2)? });
        }
        let formats: Vec<String> = {
            let mut stmt = conn.prepare_cached("SELECT DISTINCT format FROM import_batches WHERE account_id = ?1")?;
            let rows = stmt.query_map([id], |r| r.get(0))?;
            rows.collect::<rusqlite::Result<_>>()?
        };
        let name = Words::of([account.name.as_str()]);
        let formats = Words::of(formats.iter().map(String::as_str));
        let year_ago = until.checked_sub_months(Months::new(MONEY_IN_MONTHS)).unwrap_or(until).max(since);
        let mut book =
            Book { account, id, name, formats, opening, days, postings: Vec::new(), money_in_from: until, until };
        book.read_charges(vault)?;
        book.read_money_in(vault, year_ago)?;
        book.cancel_returned_payments();
        Ok(book)
    }

    /// Reads the money in from `from` on, if not read yet, from the partial index on money in alone (it
    /// holds every column read here): neither a purchase nor a row is read.
    pub(crate) fn read_money_in(&mut self, vault: &Vault, from: NaiveDate) -> Result<()> {
        if from >= self.money_in_from {
            return Ok(());
        }
        let mut stmt = vault.conn.prepare_cached(
            "SELECT date, amount, payee, original_payee, transfer_id IS NOT NULL FROM transactions
             WHERE account_id = ?1 AND amount > 0 AND date >= ?2 AND date < ?3",
        )?;
        let loan = self.account.kind == crate::AccountKind::Loan;
        let mut rows = stmt.query(rusqlite::params![self.id, from.to_string(), self.money_in_from.to_string()])?;
        while let Some(r) = rows.next()? {
            let Some(date) = date_of(r)? else { continue };
            let amount: i64 = r.get(1)?;
            let words = Words::of(
                std::iter::once(r.get_ref(2)?.as_str().unwrap_or_default()).chain(r.get_ref(3)?.as_str().ok()),
            );
            let class = classify(amount, &words, r.get(4)?, loan);
            self.postings.push(Posting { date, amount, class, from_checking: false });
        }
        self.money_in_from = from;
        self.postings.sort_by_key(|p| p.date);
        Ok(())
    }

    /// The interest, fees and cash advances of the last weeks: the money out of those days, day by day
    /// through the `(date, account_id)` index, its words read only when a charge word could be there.
    fn read_charges(&mut self, vault: &Vault) -> Result<()> {
        let from = self.until.checked_sub_days(Days::new(CHARGES_DAYS)).unwrap_or(self.until);
        let mut stmt = vault.conn.prepare_cached(
            "WITH RECURSIVE days(day) AS (SELECT ?2 UNION ALL SELECT date(day, '+1 day') FROM days WHERE day < ?3)
             SELECT t.date, t.amount, t.payee, t.original_payee
             FROM days CROSS JOIN transactions t ON t.date = days.day AND t.account_id = ?1 WHERE t.amount < 0",
        )?;
        let mut rows = stmt.query(rusqlite::params![self.id, from.to_string(), self.until.to_string()])?;
        while let Some(r) = rows.next()? {
            let (payee, original) = (r.get_ref(2)?.as_str().unwrap_or_default(), r.get_ref(3)?.as_str().ok());
            if !std::iter::once(payee).chain(original).any(may_name_a_charge) {
                continue;
            }
            let Some(date) = date_of(r)? else { continue };
            let amount: i64 = r.get(1)?;
            let class = classify(amount, &Words::of(std::iter::once(payee).chain(original)), false, false);
            if class != Class::Charge {
                self.postings.push(Posting { date, amount, class, from_checking: false });
            }
        }
        self.postings.sort_by_key(|p| p.date);
        Ok(())
    }

    /// A payment that came back within two weeks pays nothing: it leaves the payments (the balance
    /// has both already).
    fn cancel_returned_payments(&mut self) {
        let returned: Vec<(NaiveDate, i64)> =
            self.postings.iter().filter(|p| p.class == Class::ReturnedPayment).map(|p| (p.date, -p.amount)).collect();
        for (date, amount) in returned {
            let bounced = self.postings.iter().rposition(|p| {
                p.class == Class::Payment && p.amount == amount && p.date <= date && (date - p.date).num_days() <= 14
            });
            if let Some(i) = bounced {
                self.postings[i].class = Class::Bounced;
            }
        }
    }

    /// The card issuer the account's name says, else the layout of its statements ("chase-card").
    pub(crate) fn issuer(&self) -> Option<usize> {
        self.name.issuer().or_else(|| self.formats.issuer())
    }

    /// Adds a payment seen on the checking side, unless the card's own side shows it already (the same
    /// amount within a week, paid or bounced). It is not in the card's balance: the card's statement
    /// will bring it.
    pub(crate) fn add_checking_payment(&mut self, date: NaiveDate, amount: i64) {
        let shown = self.postings.iter().any(|p| {
            matches!(p.class, Class::Payment | Class::Bounced)
                && p.amount == amount
                && (p.date - date).num_days().abs() <= 7
        });
        if !shown {
            self.postings.push(Posting { date, amount, class: Class::Payment, from_checking: true });
            self.postings.sort_by_key(|p| p.date);
        }
    }

    /// The balance at the end of `date` (the holder's view: a card's debt is negative).
    pub(crate) fn balance_at(&self, date: NaiveDate) -> i64 {
        match self.days.partition_point(|d| d.date <= date) {
            0 => self.opening,
            n => self.days[n - 1].balance,
        }
    }

    /// Money out (purchases, fees, interest) dated after `after`, up to and including `until`; positive.
    pub(crate) fn money_out_between(&self, after: NaiveDate, until: NaiveDate) -> i64 {
        let start = self.days.partition_point(|d| d.date <= after);
        self.days[start..].iter().take_while(|d| d.date <= until).map(|d| d.money_out).sum()
    }

    /// The postings read, dated after `after`, up to and including `until`.
    pub(crate) fn between(&self, after: NaiveDate, until: NaiveDate) -> impl Iterator<Item = &Posting> {
        let start = self.postings.partition_point(|p| p.date <= after);
        self.postings[start..].iter().take_while(move |p| p.date <= until)
    }

    /// The dates postings of these classes were seen (interest and fees: the closing day; payments: the
    /// due day).
    pub(crate) fn dates_of(&self, classes: &[Class]) -> Vec<NaiveDate> {
        self.postings.iter().filter(|p| classes.contains(&p.class)).map(|p| p.date).collect()
    }
}

/// Column 0 as a stored date.
fn date_of(r: &Row<'_>) -> Result<Option<NaiveDate>> {
    Ok(NaiveDate::parse_from_str(r.get_ref(0)?.as_str().unwrap_or_default(), "%Y-%m-%d").ok())
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
    } else if words.says_payment_returned() {
        Class::ReturnedPayment
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
