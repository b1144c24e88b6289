//! The credit coach's golden scenarios, each built from bank files in real layouts (Chase card and
//! checking, Capital One card) imported as a person would: cards with known closing and due days, a
//! missed month, a payment on the last day, a partial payment, a refund that is not a payment, a card
//! paid from two checking accounts, a transfer pair, two years of autopay, a balance that crosses 30%
//! four days before closing, fees and interest with their causes, days inferred, and a payment seen
//! only on the checking side.

mod common;

use std::path::Path;

use chrono::{Datelike, Months, NaiveDate};
use credence_core::coach::{AlertKind, Calendar, CardStatus, Coach, CoachOptions};
use credence_core::{AccountChanges, AccountKind, NewAccount, Vault};
use rust_decimal::Decimal;

use common::create;

fn d(y: i32, m: u32, day: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, day).expect("date")
}

fn dec(text: &str) -> Decimal {
    text.parse().expect("decimal")
}

/// A posting as the bank prints it: date, description, amount in the holder's view.
type Row = (NaiveDate, String, Decimal);

fn row(date: NaiveDate, payee: &str, amount: &str) -> Row {
    (date, payee.to_string(), dec(amount))
}

/// Chase's card export: purchases negative, payments positive.
fn chase_card(rows: &[Row]) -> String {
    let mut csv = String::from("Transaction Date,Post Date,Description,Category,Type,Amount,Memo\n");
    for (date, payee, amount) in rows {
        let kind = if *amount > Decimal::ZERO { "Payment" } else { "Sale" };
        let day = date.format("%m/%d/%Y");
        csv.push_str(&format!("{day},{day},{payee},,{kind},{amount:.2},\n"));
    }
    csv
}

/// Capital One's card export: unsigned Debit (charges) and Credit (payments, refunds) columns.
fn capital_one_card(rows: &[Row]) -> String {
    let mut csv = String::from("Transaction Date,Posted Date,Card No.,Description,Category,Debit,Credit\n");
    for (date, payee, amount) in rows {
        let day = date.format("%Y-%m-%d");
        let (debit, credit) = if *amount < Decimal::ZERO {
            (format!("{:.2}", -amount), String::new())
        } else {
            (String::new(), format!("{amount:.2}"))
        };
        csv.push_str(&format!("{day},{day},1234,{payee},Other,{debit},{credit}\n"));
    }
    csv
}

/// Chase's checking export, with its running balance.
fn chase_checking(opening: Decimal, rows: &[Row]) -> String {
    let mut csv = String::from("Details,Posting Date,Description,Amount,Type,Balance,Check or Slip #\n");
    let mut balance = opening;
    for (date, payee, amount) in rows {
        balance += amount;
        let (details, kind) = if *amount < Decimal::ZERO { ("DEBIT", "ACH_DEBIT") } else { ("CREDIT", "ACH_CREDIT") };
        csv.push_str(&format!("{details},{},{payee},{amount:.2},{kind},{balance:.2},,\n", date.format("%m/%d/%Y")));
    }
    csv
}

fn import(vault: &mut Vault, dir: &Path, name: &str, account: &str, csv: &str) {
    let path = dir.join(name);
    std::fs::write(&path, csv).expect("write statement");
    let report = vault.import_file(&path, account, &Default::default(), &mut |_| {}).expect("import");
    assert_eq!(report.rejected, 0, "{name}: every row reads");
}

fn account(vault: &mut Vault, name: &str, kind: AccountKind, limit: Option<&str>) -> String {
    vault
        .add_account(NewAccount { name: name.into(), kind, currency: "USD".into(), credit_limit: limit.map(dec) })
        .expect("account")
        .id
}

fn set_days(vault: &mut Vault, id: &str, statement: u32, due: u32) {
    let changes =
        AccountChanges { statement_day: Some(Some(statement)), due_day: Some(Some(due)), ..Default::default() };
    vault.edit_account(id, &changes).expect("days");
}

fn coach_on(vault: &Vault, as_of: NaiveDate) -> Coach {
    vault.coach(as_of, &CoachOptions::default()).expect("coach")
}

fn card<'c>(coach: &'c Coach, name: &str) -> &'c CardStatus {
    coach.accounts.iter().find(|a| a.account == name).expect("the card is listed")
}

fn kinds(coach: &Coach, name: &str) -> Vec<AlertKind> {
    coach.alerts.iter().filter(|a| a.account == name).map(|a| a.kind).collect()
}

/// Monthly card purchases from `first` for `months` months, on the 3rd, 12th and 19th.
fn purchases(first: NaiveDate, months: u32) -> Vec<Row> {
    (0..months)
        .flat_map(|m| {
            let month = first.checked_add_months(Months::new(m)).expect("month");
            [(3, "WHOLE FOODS MARKET", "-84.20"), (12, "SHELL OIL 5744", "-41.35"), (19, "NETFLIX.COM", "-15.49")]
                .map(|(day, payee, amount)| row(month.with_day(day).expect("day"), payee, amount))
        })
        .collect()
}

#[test]
fn two_years_of_autopay_from_checking_is_a_streak_of_24_with_nothing_to_say() {
    let dir = tempfile::tempdir().expect("tempdir");
    let (_, mut vault) = create(dir.path());
    let checking = account(&mut vault, "Chase Checking", AccountKind::Checking, None);
    let card_id = account(&mut vault, "Chase Freedom", AccountKind::CreditCard, Some("5000"));
    set_days(&mut vault, &card_id, 28, 22);
    // Purchases from November 2024; each statement (closing on the 28th) paid in full on the 22nd.
    let mut card_rows = purchases(d(2024, 11, 1), 25);
    let mut bank_rows = Vec::new();
    for m in 0..24 {
        let due = d(2024, 12, 22).checked_add_months(Months::new(m)).expect("due");
        bank_rows.push(row(due.with_day(1).expect("1st"), "ACME PAYROLL PPD", "2500.00"));
        bank_rows.push(row(due, "CHASE CREDIT CRD AUTOPAY PPD ID: 4760039224", "-141.04"));
        card_rows.push(row(due, "AUTOMATIC PAYMENT - THANK", "141.04"));
    }
    import(&mut vault, dir.path(), "card.csv", &card_id, &chase_card(&card_rows));
    import(&mut vault, dir.path(), "checking.csv", &checking, &chase_checking(dec("1000"), &bank_rows));

    let coach = coach_on(&vault, d(2026, 11, 25));
    let freedom = card(&coach, "Chase Freedom");
    assert_eq!(freedom.calendar, Some(Calendar { statement_day: 28, due_day: 22, inferred: false }));
    assert_eq!(freedom.streak_months, 24, "24 statements, each paid by its due date");
    assert_eq!(freedom.last_closing, Some(d(2026, 10, 28)));
    assert_eq!(freedom.due, Some(d(2026, 11, 22)));
    assert_eq!(
        freedom.statement_balance,
        Some(dec("-141.04")),
        "a month of purchases; the one before was paid in full"
    );
    assert!(freedom.paid);
    assert_eq!(freedom.paid_amount, dec("141.04"));
    assert_eq!(freedom.next_closing, Some(d(2026, 11, 28)));
    assert!(kinds(&coach, "Chase Freedom").is_empty(), "nothing to warn about: {:?}", coach.alerts);
    assert!(card(&coach, "Chase Freedom").summary.contains("paid $141.04"), "{}", freedom.summary);
    assert!(!coach.accounts.iter().any(|a| a.account == "Chase Checking"), "only cards and loans");
}

/// A Capital One card (closing on the 15th, due on the 10th) and its checking account, from the
/// given card rows and payments; returns the card's id.
fn capital_one(vault: &mut Vault, dir: &Path, card_rows: &[Row], payments: &[(NaiveDate, &str)]) -> String {
    let checking = account(vault, "Checking", AccountKind::Checking, None);
    let card_id = account(vault, "Capital One Quicksilver", AccountKind::CreditCard, Some("1000"));
    set_days(vault, &card_id, 15, 10);
    let mut card_rows = card_rows.to_vec();
    let mut bank_rows = vec![row(d(2026, 1, 2), "ACME PAYROLL PPD", "3000.00")];
    for (date, amount) in payments {
        card_rows.push(row(*date, "CAPITAL ONE AUTOPAY PYMT", amount));
        bank_rows.push(row(*date, "CAPITAL ONE MOBILE PMT", &format!("-{amount}")));
    }
    import(vault, dir, "capital-one.csv", &card_id, &capital_one_card(&card_rows));
    import(vault, dir, "checking.csv", &checking, &chase_checking(dec("500"), &bank_rows));
    card_id
}

#[test]
fn a_missed_month_is_an_alert_with_the_day_it_would_be_reported_late_and_breaks_the_streak() {
    let dir = tempfile::tempdir().expect("tempdir");
    let (_, mut vault) = create(dir.path());
    // Statements close Feb 15 (125.55 owed), Mar 15 and Apr 15 (141.04 each); February's and March's are
    // paid, April's (due May 10) is not.
    let rows = purchases(d(2026, 2, 1), 4);
    let card_id = capital_one(&mut vault, dir.path(), &rows, &[(d(2026, 3, 9), "125.55"), (d(2026, 4, 8), "141.04")]);
    let coach = coach_on(&vault, d(2026, 5, 20));
    let missed: Vec<_> = coach.alerts.iter().filter(|a| a.kind == AlertKind::PaymentMissed).collect();
    assert_eq!(missed.len(), 1, "{:?}", coach.alerts);
    let alert = missed[0];
    assert_eq!((alert.date, alert.report_date), (d(2026, 5, 10), Some(d(2026, 6, 9))));
    assert_eq!(alert.amount, dec("141.04"), "April's statement: a month of purchases");
    assert_eq!(alert.account_id, card_id);
    assert!(alert.text.contains("Paying before 2026-06-09"), "{}", alert.text);
    assert_eq!(alert.points, None, "not tied to the credit file");
    let status = card(&coach, "Capital One Quicksilver");
    assert_eq!(status.streak_months, 0, "the latest statement due was missed");
    let paired =
        vault.transactions(&Default::default()).expect("rows").iter().filter(|t| t.transfer_id.is_some()).count();
    assert_eq!(paired, 4, "both payments paired with their checking side, imported after the card's");
    assert!(!status.paid);

    // Paid on the 25th, late but before it is reported: no alert, and the streak starts again.
    import(
        &mut vault,
        dir.path(),
        "late.csv",
        &card_id,
        &capital_one_card(&[row(d(2026, 5, 25), "CAPITAL ONE MOBILE PYMT", "141.04")]),
    );
    let later = coach_on(&vault, d(2026, 5, 26));
    assert!(!kinds(&later, "Capital One Quicksilver").contains(&AlertKind::PaymentMissed), "{:?}", later.alerts);
    assert_eq!(card(&later, "Capital One Quicksilver").streak_months, 0, "paid after the due date is not on time");
}

#[test]
fn a_payment_on_the_due_date_is_on_time() {
    let dir = tempfile::tempdir().expect("tempdir");
    let (_, mut vault) = create(dir.path());
    // Statements of Feb 15 (125.55) and Mar 15 (141.04), each paid on its due date, the 10th.
    let rows = purchases(d(2026, 2, 1), 2);
    capital_one(&mut vault, dir.path(), &rows, &[(d(2026, 3, 10), "125.55"), (d(2026, 4, 10), "141.04")]);
    let coach = coach_on(&vault, d(2026, 4, 14));
    assert_eq!(card(&coach, "Capital One Quicksilver").streak_months, 2);
    assert!(coach.alerts.is_empty(), "{:?}", coach.alerts);
}

#[test]
fn a_partial_payment_is_a_payment_but_the_rest_carries_interest_and_the_alert_says_why() {
    let dir = tempfile::tempdir().expect("tempdir");
    let (_, mut vault) = create(dir.path());
    let mut rows = purchases(d(2026, 2, 1), 3);
    // March's statement (141.04, due Apr 10) is paid 50.00; interest posts on the April closing.
    rows.push(row(d(2026, 4, 15), "INTEREST CHARGE:PURCHASES", "-1.87"));
    capital_one(&mut vault, dir.path(), &rows, &[(d(2026, 3, 10), "125.55"), (d(2026, 4, 9), "50.00")]);
    let before = coach_on(&vault, d(2026, 4, 12));
    let status = card(&before, "Capital One Quicksilver");
    assert_eq!(
        (status.paid, status.paid_amount, status.streak_months),
        (true, dec("50.00"), 2),
        "any payment by the due date is on time"
    );
    assert!(status.summary.contains("paid $50.00 of it, the rest carries interest"), "{}", status.summary);
    assert!(before.alerts.is_empty(), "{:?}", before.alerts);

    let after = coach_on(&vault, d(2026, 4, 20));
    let interest: Vec<_> = after.alerts.iter().filter(|a| a.kind == AlertKind::Interest).collect();
    assert_eq!(interest.len(), 1, "{:?}", after.alerts);
    assert_eq!((interest[0].date, interest[0].amount, interest[0].report_date), (d(2026, 4, 15), dec("1.87"), None));
    assert!(
        interest[0]
            .text
            .contains("the statement of 2026-03-15 ($141.04) was not paid in full by 2026-04-10 (paid $50.00)"),
        "{}",
        interest[0].text
    );
}

#[test]
fn a_payment_that_bounces_pays_nothing() {
    let dir = tempfile::tempdir().expect("tempdir");
    let (_, mut vault) = create(dir.path());
    // March's statement (141.04, due Apr 10) is paid by autopay on the 10th, which comes back on the 13th.
    let mut rows = purchases(d(2026, 2, 1), 2);
    rows.push(row(d(2026, 4, 13), "RETURNED PAYMENT", "-141.04"));
    capital_one(&mut vault, dir.path(), &rows, &[(d(2026, 3, 10), "125.55"), (d(2026, 4, 10), "141.04")]);
    let coach = coach_on(&vault, d(2026, 4, 15));
    let missed = coach.alerts.iter().find(|a| a.kind == AlertKind::PaymentMissed).expect("the statement is unpaid");
    assert_eq!((missed.date, missed.amount), (d(2026, 4, 10), dec("141.04")), "{}", missed.text);
    assert_eq!(card(&coach, "Capital One Quicksilver").streak_months, 0);
}

#[test]
fn a_refund_is_not_a_payment_so_the_payment_is_still_due() {
    let dir = tempfile::tempdir().expect("tempdir");
    let (_, mut vault) = create(dir.path());
    let mut rows = purchases(d(2026, 2, 1), 2);
    rows.push(row(d(2026, 3, 20), "AMAZON MKTPL*RETURN", "25.00"));
    capital_one(&mut vault, dir.path(), &rows, &[(d(2026, 3, 8), "125.55")]);
    let coach = coach_on(&vault, d(2026, 4, 5));
    let due: Vec<_> = coach.alerts.iter().filter(|a| a.kind == AlertKind::PaymentDue).collect();
    assert_eq!(due.len(), 1, "{:?}", coach.alerts);
    assert_eq!((due[0].date, due[0].amount), (d(2026, 4, 10), dec("141.04")), "the refund after closing pays nothing");
    assert!(due[0].text.contains("in 5 days"), "{}", due[0].text);
    assert!(!card(&coach, "Capital One Quicksilver").paid, "a refund is not a payment");
    // Not yet due a week ahead.
    assert!(!kinds(&coach_on(&vault, d(2026, 4, 1)), "Capital One Quicksilver").contains(&AlertKind::PaymentDue));
}

#[test]
fn a_card_paid_from_two_checking_accounts_and_by_a_plain_transfer_pair() {
    let dir = tempfile::tempdir().expect("tempdir");
    let (_, mut vault) = create(dir.path());
    let joint = account(&mut vault, "Joint Checking", AccountKind::Checking, None);
    let own = account(&mut vault, "My Checking", AccountKind::Checking, None);
    let card_id = account(&mut vault, "Visa", AccountKind::CreditCard, Some("2000"));
    set_days(&mut vault, &card_id, 5, 30);
    let mut rows = purchases(d(2026, 1, 6), 2);
    // January's statement (closing Feb 5, due Feb 28) paid half from each account; February's (closing
    // Mar 5, due Mar 30) by a transfer whose card side says only "WEB XFER".
    rows.push(row(d(2026, 2, 20), "PAYMENT THANK YOU", "70.02"));
    rows.push(row(d(2026, 2, 21), "PAYMENT THANK YOU", "70.02"));
    rows.push(row(d(2026, 3, 25), "WEB XFER 5678", "140.04"));
    import(&mut vault, dir.path(), "visa.csv", &card_id, &chase_card(&rows));
    let salary = row(d(2026, 1, 2), "ACME PAYROLL PPD", "2000.00");
    import(
        &mut vault,
        dir.path(),
        "joint.csv",
        &joint,
        &chase_checking(dec("100"), &[salary.clone(), row(d(2026, 2, 20), "ONLINE PAYMENT TO VISA", "-70.02")]),
    );
    import(
        &mut vault,
        dir.path(),
        "mine.csv",
        &own,
        &chase_checking(
            dec("100"),
            &[
                salary,
                row(d(2026, 2, 21), "ONLINE PAYMENT TO VISA", "-70.02"),
                row(d(2026, 3, 25), "WEB XFER TO VISA", "-140.04"),
            ],
        ),
    );
    let coach = coach_on(&vault, d(2026, 4, 1));
    let visa = card(&coach, "Visa");
    assert_eq!(visa.streak_months, 2, "both statements paid on time: {}", visa.summary);
    assert_eq!(visa.last_closing, Some(d(2026, 3, 5)));
    assert_eq!((visa.paid, visa.paid_amount), (true, dec("140.04")), "the transfer pair is a payment");
    assert!(coach.alerts.is_empty(), "{:?}", coach.alerts);
    let transfers =
        vault.transactions(&Default::default()).expect("rows").into_iter().filter(|t| t.transfer_id.is_some()).count();
    assert_eq!(transfers, 6, "three payments, each paired with its checking side");
}

#[test]
fn a_balance_crossing_30_percent_four_days_before_closing_says_what_to_pay_and_what_it_gains() {
    let dir = tempfile::tempdir().expect("tempdir");
    let (_, mut vault) = create(dir.path());
    let card_id = account(&mut vault, "Chase Sapphire", AccountKind::CreditCard, Some("1000"));
    set_days(&mut vault, &card_id, 20, 15);
    let rows = [row(d(2026, 6, 2), "DELTA AIR LINES", "-250.00"), row(d(2026, 6, 15), "HILTON HOTELS", "-100.00")];
    import(&mut vault, dir.path(), "sapphire.csv", &card_id, &chase_card(&rows));
    vault
        .replace_credit_report(
            &credence_core::score::CreditProfile::from_json(
                r#"{"as_of": "2026-06-01", "accounts": [
                    {"id": "sapphire", "type": "bankcard", "opened": "2015-04-01", "limit": "1000", "balance": "0"},
                    {"id": "auto", "type": "auto", "opened": "2022-05-01", "original_amount": "14500", "balance": "8000"}]}"#,
            )
            .expect("profile"),
        )
        .expect("report");
    vault.link_credit_account("sapphire", &card_id).expect("link");

    let before = coach_on(&vault, d(2026, 6, 14));
    assert!(before.alerts.is_empty(), "25% is under the target: {:?}", before.alerts);
    let coach = coach_on(&vault, d(2026, 6, 16));
    let status = card(&coach, "Chase Sapphire");
    assert_eq!((status.utilization_now, status.tradeline.as_deref()), (Some(35), Some("sapphire")));
    assert!(status.utilization_at_closing.expect("projected") >= 35);
    let high: Vec<_> = coach.alerts.iter().filter(|a| a.kind == AlertKind::UtilizationHigh).collect();
    assert_eq!(high.len(), 1, "{:?}", coach.alerts);
    assert_eq!((high[0].date, high[0].amount), (d(2026, 6, 20), dec("55.01")), "294.99 of 1000 reads as 29%");
    let gain = high[0].points.expect("points from the engine");
    assert!(gain > 0, "reporting 30% instead of 35% gains points: {gain}");
    assert!(high[0].text.contains("$255.01 reports under 10%"), "{}", high[0].text);
    // A 10% target makes the same balance three times the payment.
    let strict = vault.coach(d(2026, 6, 16), &CoachOptions { target_percent: 10 }).expect("coach");
    assert_eq!(
        strict.alerts.iter().find(|a| a.kind == AlertKind::UtilizationHigh).map(|a| a.amount),
        Some(dec("255.01"))
    );
    // Missing a payment on a tied card costs points, from the engine.
    let missed = vault.coach(d(2026, 7, 20), &CoachOptions::default()).expect("coach");
    let alert = missed.alerts.iter().find(|a| a.kind == AlertKind::PaymentMissed).expect("June's statement unpaid");
    assert!(alert.points.expect("tied") < 0, "{alert:?}");
    assert!(alert.text.contains("would cost about"), "{}", alert.text);
    // July's statement, due in August, carries June's unpaid balance: its alert says one payment covers both.
    let both = vault.coach(d(2026, 8, 12), &CoachOptions::default()).expect("coach");
    let due = both.alerts.iter().find(|a| a.kind == AlertKind::PaymentDue).expect("July's statement is due");
    assert!(due.text.contains("It includes the $350.00 the statement of 2026-06-20 left unpaid."), "{}", due.text);
}

#[test]
fn a_late_fee_says_which_due_date_was_missed_and_days_are_inferred_from_the_postings() {
    let dir = tempfile::tempdir().expect("tempdir");
    let (_, mut vault) = create(dir.path());
    let card_id = account(&mut vault, "Discover It", AccountKind::CreditCard, Some("3000"));
    // No days set: interest posts on the 28th, payments come on the 22nd.
    // Statements of Dec 28 to Mar 28 paid on the 22nd after; April's (due May 22) not, and a late fee
    // posts the day after.
    let mut rows = purchases(d(2025, 12, 1), 6);
    for m in 0..4 {
        let closing = d(2025, 12, 28).checked_add_months(Months::new(m)).expect("closing");
        rows.push(row(closing, "INTEREST CHARGE ON PURCHASES", "-2.10"));
        let paid = d(2026, 1, 22).checked_add_months(Months::new(m)).expect("payment");
        rows.push(row(paid, "INTERNET PAYMENT - THANK YOU", "100.00"));
    }
    rows.push(row(d(2026, 5, 23), "LATE FEE", "-29.00"));
    import(&mut vault, dir.path(), "discover.csv", &card_id, &chase_card(&rows));
    let coach = coach_on(&vault, d(2026, 5, 24));
    let status = card(&coach, "Discover It");
    let calendar = status.calendar.expect("inferred");
    assert_eq!((calendar.statement_day, calendar.due_day, calendar.inferred), (28, 22, true));
    assert!(status.summary.contains("inferred"), "{}", status.summary);
    let fee = coach.alerts.iter().find(|a| a.kind == AlertKind::LateFee).expect("the fee");
    assert_eq!((fee.date, fee.amount, fee.points), (d(2026, 5, 23), dec("29.00"), None));
    assert!(fee.text.contains("no payment was seen by the due date of 2026-05-22"), "{}", fee.text);
    assert_eq!(kinds(&coach, "Discover It"), [AlertKind::PaymentMissed, AlertKind::LateFee]);
}

#[test]
fn a_payment_seen_only_leaving_checking_pays_the_card_of_its_issuer() {
    let dir = tempfile::tempdir().expect("tempdir");
    let (_, mut vault) = create(dir.path());
    let checking = account(&mut vault, "Checking", AccountKind::Checking, None);
    let chase = account(&mut vault, "Chase Freedom", AccountKind::CreditCard, Some("5000"));
    let citi = account(&mut vault, "Citi Double Cash", AccountKind::CreditCard, Some("5000"));
    for (card_id, name) in [(&chase, "chase.csv"), (&citi, "citi.csv")] {
        set_days(&mut vault, card_id, 28, 22);
        import(&mut vault, dir.path(), name, card_id, &chase_card(&purchases(d(2026, 10, 1), 1)));
    }
    // The card statements end in October; the checking account shows November's payment to Chase only.
    let bank = [
        row(d(2026, 11, 1), "ACME PAYROLL PPD", "2500.00"),
        row(d(2026, 11, 20), "CHASE CREDIT CRD EPAY 1234", "-141.04"),
        row(d(2026, 11, 20), "CITY ELECTRICITY PAYMENT", "-80.00"),
    ];
    import(&mut vault, dir.path(), "checking.csv", &checking, &chase_checking(dec("0"), &bank));
    let coach = coach_on(&vault, d(2026, 11, 21));
    let freedom = card(&coach, "Chase Freedom");
    assert!(freedom.paid && freedom.summary.contains("seen leaving checking"), "{}", freedom.summary);
    assert_eq!(freedom.statement_balance, Some(dec("-141.04")), "the card's own balance: the payment is not on it yet");
    assert!(!card(&coach, "Citi Double Cash").paid, "an electricity bill is not a Citi payment");
    assert_eq!(kinds(&coach, "Citi Double Cash"), [AlertKind::PaymentDue]);
}

#[test]
fn a_loan_asks_for_its_installment_not_its_balance() {
    let dir = tempfile::tempdir().expect("tempdir");
    let (_, mut vault) = create(dir.path());
    let loan = account(&mut vault, "Auto Loan", AccountKind::Loan, None);
    set_days(&mut vault, &loan, 20, 15);
    // The loan's opening balance, interest each statement and an installment each month; June's is not paid.
    let mut rows = vec![row(d(2026, 1, 2), "LOAN DISBURSEMENT", "-14500.00")];
    for m in 0..5 {
        let month = d(2026, 1, 20).checked_add_months(Months::new(m)).expect("month");
        rows.push(row(month, "INTEREST", "-48.33"));
        rows.push(row(month.with_day(15).expect("15th") + Months::new(1), "AUTOPAY", "350.00"));
    }
    rows.retain(|r| r.0 != d(2026, 6, 15));
    import(&mut vault, dir.path(), "loan.csv", &loan, &chase_card(&rows));
    let coach = coach_on(&vault, d(2026, 6, 20));
    let missed = coach.alerts.iter().find(|a| a.kind == AlertKind::PaymentMissed).expect("June's installment");
    assert_eq!((missed.date, missed.amount), (d(2026, 6, 15), dec("350.00")), "{}", missed.text);
    assert!(
        !coach.alerts.iter().any(|a| a.kind == AlertKind::Interest),
        "a loan's interest is its price: {:?}",
        coach.alerts
    );
    let status = card(&coach, "Auto Loan");
    assert_eq!((status.utilization_now, status.streak_months), (None, 0));
    assert!(status.summary.contains("$350.00 due (balance $13,"), "{}", status.summary);
}

#[test]
fn statement_and_due_days_are_edited_checked_and_undone() {
    let dir = tempfile::tempdir().expect("tempdir");
    let (_, mut vault) = create(dir.path());
    let card_id = account(&mut vault, "Visa", AccountKind::CreditCard, None);
    let checking = account(&mut vault, "Checking", AccountKind::Checking, None);
    set_days(&mut vault, &card_id, 31, 25);
    let visa = vault.account(&card_id).expect("card");
    assert_eq!((visa.statement_day, visa.due_day), (Some(31), Some(25)));
    let mut bad = |id: &str, day: u32| {
        vault
            .edit_account(id, &AccountChanges { due_day: Some(Some(day)), ..Default::default() })
            .expect_err("refused")
            .to_string()
    };
    assert!(bad(&card_id, 32).contains("1 to 31"));
    assert!(bad(&checking, 5).contains("only credit-card and loan accounts"));
    vault.edit_account(&card_id, &AccountChanges { statement_day: Some(None), ..Default::default() }).expect("clear");
    assert_eq!(vault.account(&card_id).expect("card").statement_day, None);
    vault.undo().expect("undo");
    assert_eq!(vault.account(&card_id).expect("card").statement_day, Some(31));
}
