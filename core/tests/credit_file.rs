//! Getting a credit file in without JSON: the first-score wizard's answers, the editor's forms, the
//! payment grid and links to vault accounts.

mod common;

use chrono::{Datelike, NaiveDate};
use credence_core::score::wizard::{
    Answers, CardAnswer, CollectionAnswer, InquiryAnswer, Late, LoanAnswer, RecordAnswer,
};
use credence_core::score::{
    estimate, simulate, CreditProfile, Flavour, InquiryKind, RecordKind, Severity, TradelineKind, WhatIf,
};
use credence_core::{AccountKind, NewAccount};
use proptest::prelude::*;
use rust_decimal::Decimal;

fn as_of() -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, 12, 2).expect("date")
}

fn month(y: i32, m: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, 1).expect("month")
}

const SEVERITIES: [(Severity, &str); 5] = [
    (Severity::Late30, "30"),
    (Severity::Late60, "60"),
    (Severity::Late90, "90"),
    (Severity::Late120, "120"),
    (Severity::ChargeOff, "chargeoff"),
];
const LOANS: [(TradelineKind, &str); 4] = [
    (TradelineKind::Auto, "auto"),
    (TradelineKind::Student, "student"),
    (TradelineKind::Mortgage, "mortgage"),
    (TradelineKind::Personal, "personal"),
];
const PURPOSES: [(InquiryKind, &str); 4] = [
    (InquiryKind::Card, "card"),
    (InquiryKind::Auto, "auto"),
    (InquiryKind::Mortgage, "mortgage"),
    (InquiryKind::Other, "other"),
];
const RECORDS: [(RecordKind, &str); 3] =
    [(RecordKind::BankruptcyCh7, "bankruptcy_ch7"), (RecordKind::Judgment, "judgment"), (RecordKind::Lien, "lien")];

/// A month 1–240 months before the as-of date, with its "YYYY-MM-01" text.
fn past_month() -> impl Strategy<Value = (NaiveDate, String)> {
    (1u32..240).prop_map(|back| {
        let m = as_of().with_day0(0).expect("first").checked_sub_months(chrono::Months::new(back)).expect("month");
        (m, m.format("%Y-%m-%d").to_string())
    })
}

fn cents() -> impl Strategy<Value = (Decimal, String)> {
    (0i64..5_000_000).prop_map(|c| {
        let d = Decimal::new(c, 2);
        (d, d.to_string())
    })
}

fn late() -> impl Strategy<Value = Option<(Late, String)>> {
    prop::option::of((past_month(), 0usize..SEVERITIES.len())).prop_map(|l| {
        l.map(|((m, text), s)| {
            let (severity, name) = SEVERITIES[s];
            (Late { month: m, severity }, format!(r#"[{{"date": "{text}", "severity": "{name}"}}]"#))
        })
    })
}

/// A card's answer and the JSON a person would type for the same facts (its id given separately).
fn card() -> impl Strategy<Value = (CardAnswer, String)> {
    (past_month(), cents(), cents(), late()).prop_map(|((opened, opened_text), (limit, limit_text), (balance, balance_text), late)| {
        let (late, lates) = late.map_or((None, "[]".to_string()), |(l, j)| (Some(l), j));
        let answer = CardAnswer { name: String::new(), opened, limit: Some(limit), balance: Some(balance), late, account: None };
        let json = format!(
            r#""type": "bankcard", "opened": "{opened_text}", "limit": "{limit_text}", "balance": "{balance_text}", "balance_date": "2026-12-02", "delinquencies": {lates}"#
        );
        (answer, json)
    })
}

fn loan() -> impl Strategy<Value = (LoanAnswer, String)> {
    (past_month(), 0usize..LOANS.len(), cents(), cents(), late()).prop_map(|((opened, opened_text), k, (amount, amount_text), (balance, balance_text), late)| {
        let (late, lates) = late.map_or((None, "[]".to_string()), |(l, j)| (Some(l), j));
        let (kind, name) = LOANS[k];
        let answer = LoanAnswer { name: String::new(), kind, opened, original_amount: amount, balance: Some(balance), late, account: None };
        let json = format!(
            r#""type": "{name}", "opened": "{opened_text}", "original_amount": "{amount_text}", "balance": "{balance_text}", "balance_date": "2026-12-02", "delinquencies": {lates}"#
        );
        (answer, json)
    })
}

fn names() -> impl Strategy<Value = String> {
    prop::sample::select(vec!["Visa", "Chase Freedom", "Amex Gold!", "", "Car", "visa", "Sallie Mae"])
        .prop_map(str::to_string)
}

#[derive(Debug, Clone)]
struct Generated {
    answers: Answers,
    json: String,
}

fn answers() -> impl Strategy<Value = Generated> {
    (
        prop::collection::vec((names(), card()), 0..4),
        prop::collection::vec((names(), loan()), 0..3),
        prop::collection::vec((past_month(), 0usize..PURPOSES.len()), 0..4),
        prop::collection::vec((past_month(), cents(), prop::option::of(past_month()), any::<bool>()), 0..3),
        prop::collection::vec((past_month(), 0usize..RECORDS.len()), 0..2),
    )
        .prop_map(|(cards, loans, inquiries, collections, records)| {
            let mut answers = Answers::default();
            let mut accounts = Vec::new();
            // Ids as a person would name them: the name in lower case with dashes, numbered when taken.
            let mut taken: Vec<String> = Vec::new();
            let mut id = |name: &str, fallback: String| {
                let words: Vec<String> = name.to_lowercase().split(|c: char| !c.is_alphanumeric()).filter(|w| !w.is_empty()).map(str::to_string).collect();
                let base = if words.is_empty() { fallback } else { words.join("-") };
                let mut candidate = base.clone();
                let mut n = 2;
                while taken.contains(&candidate) {
                    candidate = format!("{base}-{n}");
                    n += 1;
                }
                taken.push(candidate.clone());
                candidate
            };
            for (i, (name, (mut card, json))) in cards.into_iter().enumerate() {
                accounts.push(format!(r#"{{"id": "{}", {json}}}"#, id(&name, format!("card-{}", i + 1))));
                card.name = name;
                answers.cards.push(card);
            }
            for (i, (name, (mut loan, json))) in loans.into_iter().enumerate() {
                accounts.push(format!(r#"{{"id": "{}", {json}}}"#, id(&name, format!("loan-{}", i + 1))));
                loan.name = name;
                answers.loans.push(loan);
            }
            let mut inquiry_json = Vec::new();
            for ((m, text), p) in inquiries {
                answers.inquiries.push(InquiryAnswer { month: m, purpose: PURPOSES[p].0 });
                inquiry_json.push(format!(r#"{{"date": "{text}", "type": "{}"}}"#, PURPOSES[p].1));
            }
            let mut collection_json = Vec::new();
            for ((m, text), (amount, amount_text), paid, medical) in collections {
                let owed = if paid.is_some() { "0".to_string() } else { amount_text.clone() };
                let paid_json = paid.as_ref().map_or("null".to_string(), |(_, t)| format!("\"{t}\""));
                answers.collections.push(CollectionAnswer { month: m, amount, paid: paid.map(|(d, _)| d), medical });
                collection_json.push(format!(
                    r#"{{"reported": "{text}", "first_delinquency": "{text}", "original_amount": "{amount_text}", "balance": "{owed}", "paid": {paid_json}, "medical": {medical}}}"#
                ));
            }
            let mut record_json = Vec::new();
            for ((m, text), r) in records {
                answers.public_records.push(RecordAnswer { kind: RECORDS[r].0, month: m });
                record_json.push(format!(r#"{{"kind": "{}", "filed": "{text}"}}"#, RECORDS[r].1));
            }
            let json = format!(
                r#"{{"as_of": "2026-12-02", "accounts": [{}], "inquiries": [{}], "collections": [{}], "public_records": [{}]}}"#,
                accounts.join(", "),
                inquiry_json.join(", "),
                collection_json.join(", "),
                record_json.join(", ")
            );
            Generated { answers, json }
        })
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 300, ..ProptestConfig::default() })]

    /// The wizard's profile is exactly the one the same facts give when typed as JSON, so it scores the same.
    #[test]
    fn every_wizard_answer_set_is_the_profile_its_facts_give_as_json(g in answers()) {
        let typed = CreditProfile::from_json(&g.json).map_err(|e| TestCaseError::fail(format!("{e}\n{}", g.json)))?;
        let answered = g.answers.to_profile(as_of());
        prop_assert_eq!(&answered, &typed);
        prop_assert_eq!(estimate(&answered, as_of(), Flavour::Fico8), estimate(&typed, as_of(), Flavour::Fico8));
        prop_assert!(!g.answers.unknowns(as_of()).is_empty());
    }
}

#[test]
fn the_wizard_reads_months_and_amounts_as_people_type_them_and_names_the_answer_that_is_wrong() {
    use credence_core::score::wizard::{money, month as read_month, severity};
    assert_eq!(read_month("card 1: opened", "2019-04").expect("month"), month(2019, 4));
    assert_eq!(read_month("card 1: opened", "2019-04-17").expect("date"), month(2019, 4));
    assert_eq!(money("card 1: limit", "$10,000").expect("money"), Decimal::from(10_000));
    assert_eq!(severity("late", "60").expect("60"), Severity::Late60);
    let e = read_month("card 2 (Amex): opened", "April").expect_err("not a month").to_string();
    assert_eq!(e, "card 2 (Amex): opened: \"April\" is not a month (write it as YYYY-MM)");
    let e = money("loan 1: balance", "-5").expect_err("negative").to_string();
    assert_eq!(e, "loan 1: balance: cannot be negative");
}

fn card_account(vault: &mut credence_core::Vault, name: &str, limit: i64) -> String {
    vault
        .add_account(NewAccount {
            name: name.into(),
            kind: AccountKind::CreditCard,
            currency: "USD".into(),
            credit_limit: Some(Decimal::from(limit)),
        })
        .expect("card")
        .id
}

#[test]
fn a_card_tied_to_a_vault_account_follows_its_balance_and_limit_and_reported_scores_stay() {
    let dir = tempfile::tempdir().expect("dir");
    let (_, mut vault) = common::create(dir.path());
    let visa = card_account(&mut vault, "Visa", 8000);
    vault.add_transaction(common::tx(&visa, (2026, 11, 20), "-1600.00", "Groceries")).expect("spend");
    vault
        .add_credit_fields(
            "reported_score",
            &[("value".into(), "742".into()), ("family".into(), "FICO 8".into()), ("date".into(), "2026-11-01".into())],
        )
        .expect("seen");
    let answers = Answers {
        cards: vec![
            CardAnswer {
                name: "Visa".into(),
                opened: month(2015, 3),
                limit: None,
                balance: None,
                late: Some(Late { month: month(2024, 12), severity: Severity::Late30 }),
                account: Some(visa.clone()),
            },
            CardAnswer {
                name: "Amex".into(),
                opened: month(2020, 6),
                limit: Some(Decimal::from(5000)),
                balance: Some(Decimal::from(250)),
                late: None,
                account: None,
            },
        ],
        inquiries: vec![InquiryAnswer { month: month(2026, 5), purpose: InquiryKind::Card }],
        ..Answers::default()
    };
    let counts = vault.keep_first_score(&answers, as_of()).expect("kept");
    assert_eq!((counts.accounts, counts.inquiries, counts.reported_scores), (2, 1, 1));
    let report = vault.credit_report(as_of()).expect("report");
    let tied = report.accounts.iter().find(|t| t.id == "visa").expect("visa");
    assert_eq!((tied.balance, tied.limit), (Decimal::from(1600), Some(Decimal::from(8000))));
    assert_eq!(tied.linked_account.as_deref(), Some(visa.as_str()));
    assert!(estimate(&report, as_of(), Flavour::Fico8).score.is_some());

    // Spending more on the card moves the report with it.
    vault.add_transaction(common::tx(&visa, (2026, 11, 25), "-400.00", "Fuel")).expect("spend");
    let report = vault.credit_report(as_of()).expect("report");
    assert_eq!(report.accounts.iter().find(|t| t.id == "visa").expect("visa").balance, Decimal::from(2000));

    // Untied, it keeps what it had.
    vault.unlink_credit_account("visa", as_of()).expect("unlink");
    vault.add_transaction(common::tx(&visa, (2026, 11, 26), "-100.00", "Fuel")).expect("spend");
    let t = vault.credit_report(as_of()).expect("report").accounts.into_iter().find(|t| t.id == "visa").expect("visa");
    assert_eq!((t.balance, t.linked_account), (Decimal::from(2000), None));
    assert!(vault.unlink_credit_account("visa", as_of()).expect_err("not linked").to_string().contains("not linked"));

    // A card tied to an account without a limit says where to give it.
    let no_limit = vault
        .add_account(NewAccount {
            name: "Store card".into(),
            kind: AccountKind::CreditCard,
            currency: "USD".into(),
            credit_limit: None,
        })
        .expect("card")
        .id;
    let untied_limit = Answers {
        cards: vec![CardAnswer { account: Some(no_limit), ..answers.cards[0].clone() }],
        ..Answers::default()
    };
    let e = vault.keep_first_score(&untied_limit, as_of()).expect_err("no limit anywhere").to_string();
    assert!(e.contains("Store card has no credit limit in Credence"), "{e}");

    // A checking account cannot stand for a card.
    let checking = common::checking(&mut vault);
    let wrong = Answers {
        cards: vec![CardAnswer { account: Some(checking), ..answers.cards[0].clone() }],
        ..Answers::default()
    };
    assert!(vault
        .keep_first_score(&wrong, as_of())
        .expect_err("checking")
        .to_string()
        .contains("not a card or loan account"));
}

#[test]
fn the_editor_names_the_field_it_refuses_keeps_what_it_does_not_show_and_undo_brings_items_back() {
    let dir = tempfile::tempdir().expect("dir");
    let (_, mut vault) = common::create(dir.path());
    let fields = |pairs: &[(&str, &str)]| pairs.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect::<Vec<_>>();
    let no_limit = vault
        .add_credit_fields("account", &fields(&[("id", "visa"), ("type", "bankcard"), ("opened", "2015-03-01")]))
        .expect_err("no limit");
    assert_eq!(no_limit.to_string(), "Credit limit: an open card or credit line needs its credit limit");
    let early = vault
        .add_credit_fields(
            "account",
            &fields(&[
                ("id", "visa"),
                ("type", "bankcard"),
                ("opened", "2015-03-01"),
                ("closed", "2014-01-01"),
                ("limit", "100"),
            ]),
        )
        .expect_err("closed early");
    assert_eq!(early.to_string(), "Closed: is before the account was opened");
    let id = vault
        .add_credit_fields(
            "account",
            &fields(&[
                ("id", "visa"),
                ("type", "bankcard"),
                ("opened", "2015-03-01"),
                ("limit", "5000"),
                ("balance", "900"),
            ]),
        )
        .expect("added");

    vault.set_payment_month("visa", month(2025, 2), Some(Severity::Late60)).expect("late");
    vault.set_payment_month("visa", month(2025, 3), Some(Severity::Late30)).expect("late");
    vault.set_payment_month("visa", month(2025, 3), None).expect("paid after all");
    let t = vault.credit_report(as_of()).expect("report").accounts.remove(0);
    let grid = t.payment_grid(as_of(), 24);
    assert_eq!(grid.len(), 24);
    assert_eq!((grid[0].0, grid[23].0), (month(2025, 1), month(2026, 12)));
    let lates: Vec<_> = grid.iter().filter(|(_, s)| s.is_some()).collect();
    assert_eq!(lates, vec![&(month(2025, 2), Some(Severity::Late60))]);

    vault
        .edit_credit_fields(
            &id,
            &fields(&[
                ("id", "visa"),
                ("type", "bankcard"),
                ("opened", "2015-03-01"),
                ("limit", "6000"),
                ("balance", "900"),
            ]),
        )
        .expect("edited");
    let t = vault.credit_report(as_of()).expect("report").accounts.remove(0);
    assert_eq!((t.limit, t.delinquencies.len()), (Some(Decimal::from(6000)), 1), "the edit keeps the payment history");

    vault.remove_credit_item(&id).expect("removed");
    assert!(vault.credit_report(as_of()).expect("report").accounts.is_empty());
    vault.undo().expect("undo");
    assert_eq!(vault.credit_report(as_of()).expect("report").accounts[0].limit, Some(Decimal::from(6000)));
}

#[test]
fn a_card_paid_down_to_a_share_of_its_limit_is_the_same_as_paying_to_that_balance() {
    let text =
        std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/score/a780.json")).expect("read");
    let p = CreditProfile::from_json(&text).expect("valid");
    let card =
        p.accounts.iter().find(|t| t.kind.is_revolving() && t.balance > Decimal::ZERO).expect("a card with a balance");
    let limit = card.limit.expect("limit");
    let share = WhatIf::parse_all([("pay", format!("{}:5%", card.id).as_str())]).expect("parses");
    let to = (limit * Decimal::from(5) / Decimal::from(100))
        .round_dp_with_strategy(2, rust_decimal::RoundingStrategy::ToZero)
        .min(card.balance);
    let amount = vec![WhatIf::PayDown { account: card.id.clone(), to }];
    let (a, b) = (
        simulate(&p, p.as_of, Flavour::Fico8, &share).expect("share"),
        simulate(&p, p.as_of, Flavour::Fico8, &amount).expect("amount"),
    );
    assert_eq!(a.after, b.after);
}

#[test]
fn a_tied_card_owes_what_its_account_shows_on_the_day_scored() {
    let dir = tempfile::tempdir().expect("dir");
    let (_, mut vault) = common::create(dir.path());
    let visa = card_account(&mut vault, "Visa", 5000);
    for (date, amount) in [
        ((2026, 9, 30), "-100.00"),
        ((2026, 11, 28), "-200.00"),
        ((2026, 12, 1), "-40.00"),
        ((2026, 12, 2), "-8.00"),
        ((2026, 12, 3), "-1000.00"),
    ] {
        vault.add_transaction(common::tx(&visa, date, amount, "Shop")).expect("tx");
    }
    let answers = Answers {
        cards: vec![CardAnswer {
            name: "Visa".into(),
            opened: month(2015, 3),
            limit: None,
            balance: None,
            late: None,
            account: Some(visa),
        }],
        ..Answers::default()
    };
    vault.keep_first_score(&answers, as_of()).expect("kept");
    let owed = |on: NaiveDate| vault.credit_report(on).expect("report").accounts[0].balance;
    assert_eq!(owed(as_of()), Decimal::from(348), "whole months and this month's rows to the day; not tomorrow's");
    assert_eq!(owed(NaiveDate::from_ymd_opt(2026, 11, 30).expect("date")), Decimal::from(300));
    assert_eq!(owed(NaiveDate::from_ymd_opt(2026, 12, 31).expect("date")), Decimal::from(1348));
}
