//! The credit coach: the bank data meets the credit file. For each card and loan, its calendar
//! (statement closing and due days, set or inferred), the statement balance read off the vault's
//! postings, whether a payment has been seen for it, the on-time streak and utilization now and at
//! closing; and alerts before a statement costs points: a payment due or missed, a balance about to be
//! reported high, a late fee or interest posted. Points come from the score engine, for a card tied to
//! the credit file. `bills` finds the on-time record of rent, utilities, phone and streaming.
//! The rules are in docs/coach.md.

mod bills;
mod book;
mod calendar;
mod words;

use chrono::{Days, Months, NaiveDate};
use rust_decimal::Decimal;

pub use bills::{OnTimeBill, BILLS_NOTE};
pub use calendar::{Calendar, GRACE_DAYS};
pub use words::BillKind;

use book::{Book, Class};
use words::Words;

use crate::error::Result;
use crate::ledger::AccountKind;
use crate::score::{highest_balance_under, simulate, CreditProfile, Flavour, Severity, WhatIf};
use crate::values::{display_money, from_minor, whole_percent};
use crate::vault::Vault;

/// A payment due this many days ahead or fewer is announced.
pub const DUE_SOON_DAYS: i64 = 7;
/// A closing day this many days ahead or fewer makes a high balance worth paying down first.
pub const CLOSING_SOON_DAYS: i64 = 7;
/// A payment this many days past its due date is reported to the bureaus as 30 days late.
pub const REPORTED_LATE_DAYS: u64 = 30;
/// The default utilization target, and the second tier below it.
pub const TARGET_PERCENT: u32 = 30;
pub const SECOND_TIER_PERCENT: u32 = 10;
/// How far back statements are read: the streak counts up to five years of them.
const HISTORY_MONTHS: u32 = 61;
/// A missed due date stays an alert this long (past the day it is reported late, so it is not lost).
const MISSED_FOR_DAYS: u64 = 60;
/// Late fees and interest posted this recently are alerts.
const CHARGES_FOR_DAYS: u64 = 45;
/// Statements due this recently may be paid from a checking account whose card side is not imported
/// yet (the newest three or so).
const CHECKING_SIDE_DAYS: u64 = 100;
/// The pace of spending the projection at closing keeps up: the last this many days.
const PACE_DAYS: i64 = 30;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct CoachOptions {
    /// Utilization above this share of a card's limit at closing is an alert (percent).
    pub target_percent: u32,
}

impl Default for CoachOptions {
    fn default() -> Self {
        CoachOptions { target_percent: TARGET_PERCENT }
    }
}

/// What the coach says on a date.
#[derive(Debug, Clone, PartialEq)]
pub struct Coach {
    pub as_of: NaiveDate,
    pub accounts: Vec<CardStatus>,
    pub alerts: Vec<Alert>,
}

/// One card or loan: its calendar, latest statement, payments and utilization.
#[derive(Debug, Clone, PartialEq)]
pub struct CardStatus {
    pub account_id: String,
    pub account: String,
    pub kind: AccountKind,
    pub currency: String,
    /// `None` when the days are neither set nor to be told from the postings.
    pub calendar: Option<Calendar>,
    /// The latest statement's closing date (on or before the as-of date) and the next one.
    pub last_closing: Option<NaiveDate>,
    pub next_closing: Option<NaiveDate>,
    /// The balance at the latest closing (the holder's view: owed is negative).
    pub statement_balance: Option<Decimal>,
    pub due: Option<NaiveDate>,
    /// A payment has been seen since the latest closing.
    pub paid: bool,
    /// What those payments came to.
    pub paid_amount: Decimal,
    /// Statements in a row paid by their due date, newest back (ones with nothing owed neither count
    /// nor break it).
    pub streak_months: u32,
    pub balance_now: Decimal,
    pub credit_limit: Option<Decimal>,
    /// Whole percent of the limit owed now, and projected at the next closing; cards with a limit only.
    pub utilization_now: Option<u64>,
    pub utilization_at_closing: Option<u64>,
    /// The credit file's tradeline that follows this account, when one does.
    pub tradeline: Option<String>,
    /// The account's state in a sentence.
    pub summary: String,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum AlertKind {
    PaymentMissed,
    PaymentDue,
    UtilizationHigh,
    LateFee,
    Interest,
}

impl AlertKind {
    pub fn as_str(self) -> &'static str {
        match self {
            AlertKind::PaymentMissed => "payment_missed",
            AlertKind::PaymentDue => "payment_due",
            AlertKind::UtilizationHigh => "utilization_high",
            AlertKind::LateFee => "late_fee",
            AlertKind::Interest => "interest",
        }
    }

    /// Worth an OS notification (the others are for the page).
    pub fn notifies(self) -> bool {
        matches!(self, AlertKind::PaymentMissed | AlertKind::PaymentDue | AlertKind::UtilizationHigh)
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct Alert {
    pub kind: AlertKind,
    pub account_id: String,
    pub account: String,
    pub currency: String,
    /// The due date (payment due or missed), the closing date (utilization), the posting date (fee,
    /// interest).
    pub date: NaiveDate,
    /// When a missed payment would be reported 30 days late.
    pub report_date: Option<NaiveDate>,
    /// To pay (due, missed: the statement balance; utilization: down to the target), or the fee or
    /// interest charged; positive.
    pub amount: Decimal,
    /// Points the score engine gives for it (negative: lost), when the account is tied to the credit
    /// file.
    pub points: Option<i32>,
    pub text: String,
}

impl Alert {
    /// The same alert on another day has the same key (kind, account, date): what "notify once" keys on.
    pub fn key(&self) -> String {
        format!("{}:{}:{}", self.kind.as_str(), self.account_id, self.date)
    }
}

/// A statement as the coach reads it.
#[derive(Debug, Clone, Copy)]
struct Statement {
    closing: NaiveDate,
    due: NaiveDate,
    /// What was owed at closing, minor units (0 when nothing was).
    owed: i64,
    /// The payments that paid it (see `statements`): their sum, the part dated by the due date, and
    /// the first one's date.
    paid: i64,
    paid_by_due: i64,
    first_paid: Option<NaiveDate>,
}

impl Statement {
    fn unpaid(&self) -> bool {
        self.owed > 0 && self.first_paid.is_none()
    }

    fn on_time(&self) -> bool {
        self.first_paid.is_some_and(|d| d <= self.due)
    }
}

impl Vault {
    /// What the coach says on `as_of`, from the transactions up to that day and the credit file.
    pub fn coach(&self, as_of: NaiveDate, options: &CoachOptions) -> Result<Coach> {
        let since = window_start(as_of);
        let mut books = Vec::new();
        for account in self.accounts()?.into_iter().filter(|a| a.kind.is_credit() && !a.archived) {
            books.push(Book::load(self, account, since, as_of)?);
        }
        let calendars: Vec<Option<Calendar>> = books.iter().map(calendar_of).collect();
        // Statements with a balance owed need their payments: money in from the oldest of them on.
        for (book, calendar) in books.iter_mut().zip(&calendars) {
            let oldest_owed = calendar.and_then(|c| statements(book, c, since, as_of).into_iter().find(|s| s.owed > 0));
            if let Some(s) = oldest_owed {
                book.read_money_in(self, s.closing)?;
            }
        }
        self.add_checking_side_payments(&mut books, &calendars, since, as_of)?;
        let profile = self.credit_report(as_of)?;
        let mut coach = Coach { as_of, accounts: Vec::new(), alerts: Vec::new() };
        for (book, calendar) in books.iter().zip(calendars) {
            let card = Card::read(book, calendar, &profile, as_of, options);
            coach.alerts.extend(card.alerts());
            coach.accounts.push(card.status());
        }
        coach.alerts.sort_by(|a, b| (a.kind, a.date, &a.account).cmp(&(b.kind, b.date, &b.account)));
        Ok(coach)
    }

    /// Payments that left a checking account for a card's issuer while the card's own side of them
    /// is not in the vault (its latest statement not imported yet). Read only when some recent
    /// statement is unpaid by the card's own postings, from its closing on.
    fn add_checking_side_payments(
        &self,
        books: &mut [Book],
        calendars: &[Option<Calendar>],
        since: NaiveDate,
        as_of: NaiveDate,
    ) -> Result<()> {
        let recent = as_of.checked_sub_days(Days::new(CHECKING_SIDE_DAYS)).unwrap_or(as_of);
        let statements: Vec<Vec<Statement>> = books
            .iter()
            .zip(calendars)
            .map(|(book, calendar)| calendar.map(|c| statements(book, c, since, as_of)).unwrap_or_default())
            .collect();
        let earliest_unpaid = statements
            .iter()
            .filter_map(|list| list.iter().find(|s| s.due >= recent && s.unpaid()).map(|s| s.closing))
            .min();
        let Some(from) = earliest_unpaid else { return Ok(()) };
        let credit: std::collections::HashSet<uuid::Uuid> =
            books.iter().filter_map(|b| uuid::Uuid::parse_str(&b.account.id).ok()).collect();
        let issuer_of_book: Vec<Option<usize>> = books.iter().map(Book::issuer).collect();
        let mut stmt = self.conn.prepare(
            "SELECT account_id, date, amount, payee, original_payee FROM transactions
             WHERE date > ?1 AND date <= ?2 AND amount < 0 AND transfer_id IS NULL",
        )?;
        let mut rows = stmt.query([from.to_string(), as_of.to_string()])?;
        let mut found = Vec::new();
        while let Some(r) = rows.next()? {
            let account: uuid::Uuid = r.get(0)?;
            if credit.contains(&account) {
                continue;
            }
            let words = Words::of(
                std::iter::once(r.get_ref(3)?.as_str().unwrap_or_default()).chain(r.get_ref(4)?.as_str().ok()),
            );
            let Some(issuer) = words.card_payment_to() else { continue };
            let Ok(date) = NaiveDate::parse_from_str(r.get_ref(1)?.as_str().unwrap_or_default(), "%Y-%m-%d") else {
                continue;
            };
            found.push((issuer, date, -r.get::<_, i64>(2)?));
        }
        for (issuer, date, amount) in found {
            // One card of that issuer takes it; with several, the one whose statement it pays exactly.
            let cards: Vec<usize> = (0..books.len()).filter(|i| issuer_of_book[*i] == Some(issuer)).collect();
            let card = match cards.as_slice() {
                [one] => Some(*one),
                several => several
                    .iter()
                    .copied()
                    .find(|i| statements[*i].iter().any(|s| s.owed == amount && s.closing < date)),
            };
            if let Some(i) = card {
                books[i].add_checking_payment(date, amount);
            }
        }
        Ok(())
    }
}

/// The first day of the month five years before `as_of`: the oldest statement read.
fn window_start(as_of: NaiveDate) -> NaiveDate {
    as_of
        .checked_sub_months(Months::new(HISTORY_MONTHS))
        .and_then(|d| chrono::Datelike::with_day(&d, 1))
        .unwrap_or(as_of)
}

/// The calendar the user set, completed from the postings.
fn calendar_of(book: &Book) -> Option<Calendar> {
    Calendar::settle(
        book.account.statement_day,
        book.account.due_day,
        &book.dates_of(&[Class::Interest, Class::LateFee]),
        &book.dates_of(&[Class::Payment]),
    )
}

/// Every statement that closed from the window's start to `as_of`, oldest first, with the payments
/// that paid it. A payment pays the oldest statement closed before it that no payment has paid yet, as
/// issuers apply it to the oldest amount due; with none, the latest closed before it (a second payment
/// towards the same statement). A payment that leaves nothing owed pays every statement before it.
fn statements(book: &Book, calendar: Calendar, since: NaiveDate, as_of: NaiveDate) -> Vec<Statement> {
    let mut list: Vec<Statement> = calendar
        .closings(since, as_of)
        .into_iter()
        .filter(|c| *c >= since && *c <= as_of)
        .map(|closing| Statement {
            closing,
            due: calendar.due_after(closing),
            owed: (-book.balance_at(closing)).max(0),
            paid: 0,
            paid_by_due: 0,
            first_paid: None,
        })
        .collect();
    let Some(first) = list.first().map(|s| s.closing) else { return list };
    for payment in book.between(first, as_of).filter(|p| p.class == Class::Payment) {
        let closed = list.partition_point(|s| s.closing < payment.date);
        let cleared = !payment.from_checking && book.balance_at(payment.date) >= 0;
        let mut pay = |s: &mut Statement| {
            s.paid += payment.amount;
            if payment.date <= s.due {
                s.paid_by_due += payment.amount;
            }
            s.first_paid.get_or_insert(payment.date);
        };
        if cleared {
            list[..closed].iter_mut().filter(|s| s.first_paid.is_none()).for_each(&mut pay);
        } else if let Some(oldest) = list[..closed].iter_mut().find(|s| s.unpaid()) {
            pay(oldest);
        } else if let Some(latest) = list[..closed].last_mut() {
            pay(latest);
        }
    }
    list
}

/// One account read for the day: what the status and the alerts are made of.
struct Card<'a> {
    book: &'a Book,
    calendar: Option<Calendar>,
    statements: Vec<Statement>,
    next_closing: Option<NaiveDate>,
    as_of: NaiveDate,
    profile: &'a CreditProfile,
    tradeline: Option<String>,
    target_percent: u32,
}

impl<'a> Card<'a> {
    fn read(
        book: &'a Book,
        calendar: Option<Calendar>,
        profile: &'a CreditProfile,
        as_of: NaiveDate,
        options: &CoachOptions,
    ) -> Card<'a> {
        let since = window_start(as_of);
        let statements = calendar.map(|c| statements(book, c, since, as_of)).unwrap_or_default();
        let next_closing = calendar.and_then(|c| c.closings(as_of, as_of).into_iter().find(|d| *d > as_of));
        let tradeline = profile
            .accounts
            .iter()
            .find(|t| t.linked_account.as_deref() == Some(book.account.id.as_str()))
            .map(|t| t.id.clone());
        Card {
            book,
            calendar,
            statements,
            next_closing,
            as_of,
            profile,
            tradeline,
            target_percent: options.target_percent,
        }
    }

    fn money(&self, minor: i64) -> Decimal {
        from_minor(minor, &self.book.account.currency)
    }

    fn text(&self, minor: i64) -> String {
        display_money(self.money(minor), &self.book.account.currency)
    }

    fn owed_now(&self) -> i64 {
        (-self.book.balance_at(self.as_of)).max(0)
    }

    /// The card's limit in minor units, when utilization applies (cards with a limit above zero).
    fn limit(&self) -> Option<i64> {
        let limit = self.book.account.credit_limit.filter(|l| *l > Decimal::ZERO)?;
        (self.book.account.kind == AccountKind::CreditCard)
            .then(|| crate::values::to_minor(limit, &self.book.account.currency).ok())
            .flatten()
    }

    fn percent(&self, owed: i64) -> Option<u64> {
        let limit = self.limit()?;
        Some(whole_percent(self.money(owed), self.money(limit)))
    }

    /// What is owed at the next closing if the last 30 days' charges (net of refunds, and of payments
    /// that bounced: money out and back) go on at the same pace; payments made before then lower it.
    fn projected_at_closing(&self) -> Option<i64> {
        let closing = self.next_closing?;
        let start = self.as_of.checked_sub_days(Days::new(PACE_DAYS as u64)).unwrap_or(self.as_of);
        let refunded: i64 = self
            .book
            .between(start, self.as_of)
            .filter(|p| matches!(p.class, Class::Refund | Class::Bounced))
            .map(|p| p.amount)
            .sum();
        let charged = self.book.money_out_between(start, self.as_of) - refunded;
        let days_left = (closing - self.as_of).num_days();
        Some((self.owed_now() + charged.max(0) * days_left / PACE_DAYS).max(0))
    }

    fn latest(&self) -> Option<&Statement> {
        self.statements.last()
    }

    fn streak(&self) -> u32 {
        let mut streak = 0;
        for s in self.statements.iter().rev() {
            if s.owed == 0 {
                continue;
            }
            if s.on_time() {
                streak += 1;
            } else if s.first_paid.is_none() && s.due >= self.as_of {
                continue; // not due yet
            } else {
                break;
            }
        }
        streak
    }

    /// Points the engine gives for `change` to this account's tradeline, when it has one.
    fn points(&self, change: impl FnOnce(String) -> WhatIf) -> Option<i32> {
        let change = change(self.tradeline.clone()?);
        simulate(self.profile, self.as_of, Flavour::Fico8, &[change]).ok()?.delta()
    }

    fn status(&self) -> CardStatus {
        let account = &self.book.account;
        let latest = self.latest();
        let owed_now = self.owed_now();
        CardStatus {
            account_id: account.id.clone(),
            account: account.name.clone(),
            kind: account.kind,
            currency: account.currency.clone(),
            calendar: self.calendar,
            last_closing: latest.map(|s| s.closing),
            next_closing: self.next_closing,
            statement_balance: latest.map(|s| self.money(self.book.balance_at(s.closing))),
            due: latest.map(|s| s.due),
            paid: latest.is_some_and(|s| s.first_paid.is_some()),
            paid_amount: self.money(latest.map_or(0, |s| s.paid)),
            streak_months: self.streak(),
            balance_now: self.money(self.book.balance_at(self.as_of)),
            credit_limit: self.limit().map(|l| self.money(l)),
            utilization_now: self.percent(owed_now),
            utilization_at_closing: self.projected_at_closing().and_then(|p| self.percent(p)),
            tradeline: self.tradeline.clone(),
            summary: self.summary(),
        }
    }

    fn summary(&self) -> String {
        let Some(calendar) = self.calendar else {
            return "Set its statement and due days (or import a few months of its statements) to follow its payments."
                .into();
        };
        let inferred = if calendar.inferred { " (days inferred from its postings)" } else { "" };
        let Some(s) = self.latest() else {
            return format!("No statement has closed in the window yet{inferred}.");
        };
        let from_checking =
            self.book.between(s.closing, self.as_of).any(|p| p.class == Class::Payment && p.from_checking);
        let checking = if from_checking { " (seen leaving checking)" } else { "" };
        let due = self.due_amount(s);
        let loan = self.book.account.kind == AccountKind::Loan;
        let paid = match (s.owed, s.paid) {
            (0, _) => "nothing to pay".to_string(),
            (_, paid) if paid >= due => format!("paid {}{checking}", self.text(paid)),
            (_, paid) if paid > 0 && loan => format!("paid {} of it{checking}", self.text(paid)),
            (_, paid) if paid > 0 => format!("paid {} of it{checking}, the rest carries interest", self.text(paid)),
            _ if s.due < self.as_of => "no payment seen, past due".to_string(),
            _ => format!("no payment seen yet, {} day(s) left", (s.due - self.as_of).num_days()),
        };
        let owed = if loan {
            format!("{} due (balance {})", self.text(due), self.text(s.owed))
        } else {
            format!("{} owed", self.text(s.owed))
        };
        format!("Statement of {}: {owed}, due {}: {paid}{inferred}.", s.closing, s.due)
    }

    /// What a statement asks to be paid: a card's balance; a loan's installment (the latest payment
    /// before it, or the balance when none is known).
    fn due_amount(&self, s: &Statement) -> i64 {
        if self.book.account.kind != AccountKind::Loan {
            return s.owed;
        }
        let installment = self.book.postings.iter().rev().find(|p| p.class == Class::Payment && p.date <= s.closing);
        installment.map_or(s.owed, |p| p.amount.min(s.owed))
    }

    fn alerts(&self) -> Vec<Alert> {
        let mut alerts = Vec::new();
        alerts.extend(self.payment_alerts());
        alerts.extend(self.utilization_alert());
        alerts.extend(self.charge_alerts());
        alerts
    }

    fn alert(&self, kind: AlertKind, date: NaiveDate, amount: i64, points: Option<i32>, text: String) -> Alert {
        Alert {
            kind,
            account_id: self.book.account.id.clone(),
            account: self.book.account.name.clone(),
            currency: self.book.account.currency.clone(),
            date,
            report_date: (kind == AlertKind::PaymentMissed).then(|| date + Days::new(REPORTED_LATE_DAYS)),
            amount: self.money(amount),
            points,
            text,
        }
    }

    /// `payment_due` for the latest statement; `payment_missed` for any recent one past its due date
    /// with no payment seen since it closed.
    fn payment_alerts(&self) -> Vec<Alert> {
        let missed_since = self.as_of.checked_sub_days(Days::new(MISSED_FOR_DAYS)).unwrap_or(self.as_of);
        let latest = self.latest().map(|l| l.closing);
        self.statements
            .iter()
            .filter(|s| s.unpaid())
            .filter_map(|s| {
                let days_left = (s.due - self.as_of).num_days();
                if (0..=DUE_SOON_DAYS).contains(&days_left) && latest == Some(s.closing) {
                    Some(self.due_alert(s, days_left))
                } else if s.due < self.as_of && s.due >= missed_since {
                    Some(self.missed_alert(s))
                } else {
                    None
                }
            })
            .collect()
    }

    /// What a 30-day late would cost, from the engine (tied accounts), and the sentence saying so.
    fn late_cost(&self) -> (Option<i32>, String) {
        let points = self.points(|account| WhatIf::MissPayment { account, severity: Severity::Late30 });
        let text = points.map(|p| format!(" A 30-day late would cost about {} points.", -p)).unwrap_or_default();
        (points, text)
    }

    fn due_alert(&self, s: &Statement, days_left: i64) -> Alert {
        let (points, cost) = self.late_cost();
        let when = match days_left {
            0 => "today".to_string(),
            1 => "tomorrow".to_string(),
            n => format!("in {n} days"),
        };
        // A missed statement's balance is carried into this one: one payment of this amount covers both.
        let carried = self
            .statements
            .iter()
            .filter(|_| self.book.account.kind == AccountKind::CreditCard)
            .find(|o| o.closing < s.closing && o.unpaid() && o.due < self.as_of)
            .map(|o| format!(" It includes the {} the statement of {} left unpaid.", self.text(o.owed), o.closing))
            .unwrap_or_default();
        let text = format!(
            "{}: {} is due {when} ({}) for the statement of {}, and no payment has been seen since it closed.{carried}{cost}",
            self.book.account.name,
            self.text(self.due_amount(s)),
            s.due,
            s.closing
        );
        self.alert(AlertKind::PaymentDue, s.due, self.due_amount(s), points, text)
    }

    fn missed_alert(&self, s: &Statement) -> Alert {
        let (points, cost) = self.late_cost();
        let reported = s.due + Days::new(REPORTED_LATE_DAYS);
        let window = if self.as_of <= reported {
            format!("Paying before {reported} keeps it from being reported 30 days late.")
        } else {
            format!("It may have been reported 30 days late on {reported}; paying now stops it reaching 60 days.")
        };
        let text = format!(
            "{}: the payment of {} due {} (statement of {}) has not been seen. {window}{cost}",
            self.book.account.name,
            self.text(self.due_amount(s)),
            s.due,
            s.closing
        );
        self.alert(AlertKind::PaymentMissed, s.due, self.due_amount(s), points, text)
    }

    /// `utilization_high`: the next closing is a week away or less and the balance now would be
    /// reported above the target.
    fn utilization_alert(&self) -> Option<Alert> {
        let (closing, limit) = (self.next_closing?, self.limit()?);
        let days = (closing - self.as_of).num_days();
        if !(1..=CLOSING_SOON_DAYS).contains(&days) {
            return None;
        }
        let owed = self.owed_now();
        let currency = &self.book.account.currency;
        let at = |percent: u32| -> i64 {
            let under = highest_balance_under(self.money(limit), percent, crate::values::minor_digits(currency));
            crate::values::to_minor(under, currency).unwrap_or(0)
        };
        let target = at(self.target_percent);
        if owed <= target {
            return None;
        }
        let gain = |to: i64| self.points(|account| WhatIf::PayDown { account, to: self.money(to) });
        let points = gain(target);
        let with_points = |points: Option<i32>| points.map(|p| format!(" (+{p} points)")).unwrap_or_default();
        let name = &self.book.account.name;
        let mut text = format!(
            "{name} closes on {closing} at {}% of its limit ({} owed). Pay {} before then to report under {}%{}.",
            self.percent(owed).unwrap_or_default(),
            self.text(owed),
            self.text(owed - target),
            self.target_percent,
            with_points(points)
        );
        let second = at(SECOND_TIER_PERCENT);
        if self.target_percent > SECOND_TIER_PERCENT && owed > second {
            text.push_str(&format!(
                " {} reports under {SECOND_TIER_PERCENT}%{}.",
                self.text(owed - second),
                with_points(gain(second))
            ));
        }
        Some(self.alert(AlertKind::UtilizationHigh, closing, owed - target, points, text))
    }

    /// `late_fee` (cards and loans) and `interest` (cards) posted in the last weeks, each with what caused it.
    fn charge_alerts(&self) -> Vec<Alert> {
        let start = self.as_of.checked_sub_days(Days::new(CHARGES_FOR_DAYS)).unwrap_or(self.as_of);
        self.book
            .between(start, self.as_of)
            .filter_map(|p| {
                let kind = match p.class {
                    Class::LateFee => AlertKind::LateFee,
                    // A loan's interest is its price, due every month; on a card it means a balance was carried.
                    Class::Interest if self.book.account.kind == AccountKind::CreditCard => AlertKind::Interest,
                    _ => return None,
                };
                let (what, cause) = match kind {
                    AlertKind::LateFee => ("A late fee", self.late_fee_cause(p.date)),
                    _ => ("Interest", self.interest_cause(p.date)),
                };
                let text = format!(
                    "{}: {what} of {} posted on {}: {cause}",
                    self.book.account.name,
                    self.text(-p.amount),
                    p.date
                );
                Some(self.alert(kind, p.date, -p.amount, None, text))
            })
            .collect()
    }

    /// The latest statement due before `date` that was owed something.
    fn statement_before(&self, date: NaiveDate) -> Option<&Statement> {
        self.statements.iter().rev().find(|s| s.due < date && s.owed > 0)
    }

    fn late_fee_cause(&self, date: NaiveDate) -> String {
        match self.statement_before(date) {
            Some(s) if !s.on_time() => format!(
                "no payment was seen by the due date of {} (statement of {}, {} owed).",
                s.due,
                s.closing,
                self.text(s.owed)
            ),
            _ => "the postings here show no late payment before it; check the statement and due days set for this card, or ask the issuer to waive it.".into(),
        }
    }

    fn interest_cause(&self, date: NaiveDate) -> String {
        if let Some(s) = self.statement_before(date).filter(|s| s.paid_by_due < s.owed) {
            return format!(
                "the statement of {} ({}) was not paid in full by {} (paid {}), so interest runs on what was carried.",
                s.closing,
                self.text(s.owed),
                s.due,
                self.text(s.paid_by_due)
            );
        }
        let month_before = date.checked_sub_months(Months::new(1)).unwrap_or(date);
        if let Some(advance) = self.book.between(month_before, date).find(|p| p.class == Class::CashAdvance) {
            return format!(
                "the cash advance of {} on {} is charged interest from the day it was taken.",
                self.text(-advance.amount),
                advance.date
            );
        }
        if self.calendar.is_none() {
            return "a balance was carried from an earlier statement (set the card's statement and due days to see which).".into();
        }
        "the statement before it was paid in full: a balance transfer, a promotional rate that ended or interest from the month before; check the statement.".into()
    }
}
