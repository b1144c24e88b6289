//! The monthly report against hand-computed totals and against a brute-force recomputation.

mod common;

use std::collections::BTreeMap;

use common::{create, tx};
use credence_core::analytics::MonthlyFilter;
use credence_core::{AccountKind, NewAccount, TransactionEdit, Vault};
use proptest::prelude::*;
use proptest::test_runner::{Config, TestRunner};
use rust_decimal::Decimal;

fn account(vault: &mut Vault, name: &str, kind: AccountKind, currency: &str) -> String {
    vault
        .add_account(NewAccount { name: name.into(), kind, currency: currency.into(), credit_limit: None })
        .expect("account")
        .id
}

fn d(s: &str) -> Decimal {
    s.parse().expect("decimal")
}

#[test]
fn monthly_totals_are_exact_leave_transfers_out_and_keep_currencies_apart() {
    let dir = tempfile::tempdir().expect("tempdir");
    let (_, mut vault) = create(dir.path());
    let checking = account(&mut vault, "Checking", AccountKind::Checking, "USD");
    let card = account(&mut vault, "Card", AccountKind::CreditCard, "USD");
    let euro = account(&mut vault, "Euro", AccountKind::Checking, "EUR");
    let groceries = vault.category_by_path("Groceries").expect("seeded").id;
    let salary = vault.category_by_path("Salary").expect("seeded").id;
    let payment = vault.category_by_path("Transfers:Credit Card Payment").expect("seeded").id;
    let mut add = |acct: &str, date: (i32, u32, u32), amount: &str, payee: &str, category: Option<&str>| {
        let mut t = tx(acct, date, amount, payee);
        t.category_id = category.map(str::to_string);
        vault.add_transaction(t).expect("add").id
    };
    add(&checking, (2026, 1, 1), "3000.00", "Employer", Some(&salary));
    add(&card, (2026, 1, 5), "-123.45", "Market", Some(&groceries));
    add(&card, (2026, 1, 20), "-0.10", "Market", Some(&groceries));
    add(&card, (2026, 1, 21), "-9.99", "Streaming", None);
    add(&checking, (2026, 1, 25), "-500.00", "Card payment", Some(&payment));
    add(&card, (2026, 1, 26), "500.00", "Payment received", Some(&payment));
    add(&card, (2026, 2, 2), "20.00", "Refund", Some(&groceries));
    add(&euro, (2026, 1, 3), "-40.00", "Bäckerei", Some(&groceries));
    let report = vault.monthly_report(&MonthlyFilter::default()).expect("report");
    let jan_usd = report.iter().find(|m| m.month == "2026-01" && m.currency == "USD").expect("jan usd");
    assert_eq!((jan_usd.income, jan_usd.expense, jan_usd.net), (d("3000.00"), d("-133.54"), d("2866.46")));
    assert_eq!(jan_usd.categories.get("Food:Groceries"), Some(&d("-123.55")));
    assert_eq!(jan_usd.categories.get("Uncategorized"), Some(&d("-9.99")));
    assert_eq!(jan_usd.categories.get("Income:Salary"), Some(&d("3000.00")));
    assert!(!jan_usd.categories.contains_key("Transfers:Credit Card Payment"), "transfers are left out");
    // Keys are full paths: a category added later under another parent with the same name changes none.
    vault.add_category("Leisure:Groceries", None).expect("a second Groceries");
    let again = vault.monthly_report(&MonthlyFilter::default()).expect("report");
    assert_eq!(again[0].categories.keys().collect::<Vec<_>>(), report[0].categories.keys().collect::<Vec<_>>());
    assert_eq!(jan_usd.savings_rate(), Some(d("95.5")));
    let jan_eur = report.iter().find(|m| m.month == "2026-01" && m.currency == "EUR").expect("jan eur");
    assert_eq!(jan_eur.expense, d("-40.00"), "euros are not added to dollars");
    let feb = report.iter().find(|m| m.month == "2026-02").expect("feb");
    assert_eq!((feb.income, feb.expense), (d("20.00"), d("0.00")), "a refund is money in");
    let only_card = vault
        .monthly_report(&MonthlyFilter {
            account_id: Some(card.clone()),
            from: "2026-01-10".parse().ok(),
            ..Default::default()
        })
        .expect("filtered");
    assert_eq!(only_card[0].expense, d("-10.09"));
}

#[test]
fn the_report_equals_a_brute_force_recomputation() {
    let dir = tempfile::tempdir().expect("tempdir");
    let (_, vault) = create(dir.path());
    let vault = std::cell::RefCell::new(vault);
    let n = std::cell::Cell::new(0);
    let mut runner = TestRunner::new(Config { cases: 24, ..Config::default() });
    let rows = prop::collection::vec((0u32..400, -50_000i64..50_000, 0usize..4), 1..60);
    runner
        .run(&rows, |rows| {
            n.set(n.get() + 1);
            let mut vault = vault.borrow_mut();
            let acct = account(&mut vault, &format!("A{}", n.get()), AccountKind::Checking, "USD");
            let cats: Vec<Option<String>> = vec![
                None,
                Some(vault.category_by_path("Groceries").expect("c").id),
                Some(vault.category_by_path("Salary").expect("c").id),
                Some(vault.category_by_path("Transfers").expect("c").id),
            ];
            let mut expected: BTreeMap<String, (Decimal, Decimal)> = BTreeMap::new();
            for (day, cents, cat) in &rows {
                let date = chrono::NaiveDate::from_ymd_opt(2025, 1, 1).expect("d") + chrono::Days::new(u64::from(*day));
                let amount = Decimal::new(*cents, 2);
                let id = vault
                    .add_transaction(credence_core::NewTransaction {
                        account_id: acct.clone(),
                        date,
                        amount,
                        payee: "x".into(),
                        memo: String::new(),
                        category_id: None,
                    })
                    .expect("add")
                    .id;
                if let Some(c) = &cats[*cat] {
                    vault
                        .edit_transaction(
                            &id,
                            TransactionEdit { category: Some(Some(c.clone())), ..Default::default() },
                        )
                        .expect("edit");
                }
                if *cat == 3 {
                    continue; // transfers are not income or spending
                }
                let e = expected.entry(date.format("%Y-%m").to_string()).or_default();
                if amount > Decimal::ZERO {
                    e.0 += amount
                } else {
                    e.1 += amount
                }
            }
            let got =
                vault.monthly_report(&MonthlyFilter { account_id: Some(acct), ..Default::default() }).expect("report");
            let got: BTreeMap<String, (Decimal, Decimal)> =
                got.into_iter().map(|m| (m.month, (m.income, m.expense))).collect();
            prop_assert_eq!(got, expected);
            Ok(())
        })
        .expect("matches");
}

/// The totals kept on write (migration 0006) against a recomputation from the transactions themselves,
/// through every kind of change: adds, edits of date, amount and category, deletes, undo, imports and
/// their undo, transfer pairing.
#[test]
fn totals_kept_on_write_follow_every_kind_of_change() {
    use rand::{rngs::StdRng, Rng, SeedableRng};
    let dir = tempfile::tempdir().expect("tempdir");
    let (_, mut vault) = create(dir.path());
    let checking = account(&mut vault, "Checking", AccountKind::Checking, "USD");
    let card = account(&mut vault, "Card", AccountKind::CreditCard, "USD");
    let cats: Vec<Option<String>> = [None, Some("Groceries"), Some("Salary"), Some("Transfers:Credit Card Payment")]
        .into_iter()
        .map(|p| p.map(|p| vault.category_by_path(p).expect("seeded").id))
        .collect();
    let mut rng = StdRng::seed_from_u64(7);
    let mut batches = Vec::new();
    for step in 0..240 {
        let ids: Vec<String> =
            vault.transactions(&Default::default()).expect("list").into_iter().map(|t| t.id).collect();
        let pick = |rng: &mut StdRng| (!ids.is_empty()).then(|| ids[rng.gen_range(0..ids.len())].clone());
        let date = chrono::NaiveDate::from_ymd_opt(2025, 1, 1).expect("d") + chrono::Days::new(rng.gen_range(0..120));
        match rng.gen_range(0..10) {
            0..=2 => {
                let acct = if rng.gen_bool(0.5) { &checking } else { &card };
                let mut t = tx(acct, (2025, 1, 1), "0", "Shop");
                t.date = date;
                t.amount = Decimal::new(rng.gen_range(-50_000..50_000), 2);
                t.category_id = cats[rng.gen_range(0..cats.len())].clone();
                vault.add_transaction(t).expect("add");
            }
            3 | 4 => {
                if let Some(id) = pick(&mut rng) {
                    let edit = match rng.gen_range(0..3) {
                        0 => TransactionEdit { date: Some(date), ..Default::default() },
                        1 => TransactionEdit {
                            amount: Some(Decimal::new(rng.gen_range(-9_000..9_000), 2)),
                            ..Default::default()
                        },
                        _ => TransactionEdit {
                            category: Some(cats[rng.gen_range(0..cats.len())].clone()),
                            ..Default::default()
                        },
                    };
                    vault.edit_transaction(&id, edit).expect("edit");
                }
            }
            5 => {
                if let Some(id) = pick(&mut rng) {
                    vault.delete_transaction(&id).expect("delete");
                }
            }
            6 => {
                let _ = vault.undo(); // nothing to undo is fine
            }
            7 => {
                let path = dir.path().join(format!("s{step}.csv"));
                let mut csv = String::from("Transaction Date,Post Date,Description,Category,Type,Amount,Memo\n");
                for i in 0..rng.gen_range(1..40) {
                    let d = date + chrono::Days::new(i % 9);
                    // A payment comes in on a card (the importer questions one that reads as a charge).
                    let (pay, whole) = if i % 7 == 0 {
                        ("PAYMENT THANK YOU".to_string(), rng.gen_range(1..300))
                    } else {
                        (format!("SHOP {}", i % 5), rng.gen_range(-300..300))
                    };
                    csv.push_str(&format!(
                        "{},{},{pay},x,Sale,{whole}.{:02},\n",
                        d.format("%m/%d/%Y"),
                        d.format("%m/%d/%Y"),
                        rng.gen_range(0..100)
                    ));
                }
                std::fs::write(&path, csv).expect("csv");
                let report = vault.import_file(&path, &card, &Default::default(), &mut |_| {}).expect("import");
                batches.extend(report.batch);
            }
            8 => {
                if let Some(batch) = batches.pop() {
                    // Gone already when a plain undo took the import back.
                    match vault.undo_import(&batch) {
                        Ok(_) | Err(credence_core::Error::NotFound { .. }) => {}
                        Err(e) => panic!("undo import: {e}"),
                    }
                }
            }
            _ => {
                vault.apply_rules(None, false).expect("pair transfers");
            }
        }
        if step % 20 == 19 {
            assert_totals_match_the_rows(&vault, step);
        }
    }
    assert_totals_match_the_rows(&vault, 240);
}

fn assert_totals_match_the_rows(vault: &Vault, step: usize) {
    let transfer_categories: std::collections::HashSet<String> = vault
        .categories()
        .expect("categories")
        .into_iter()
        .filter(|c| c.kind.as_str() == "transfer")
        .map(|c| c.id)
        .collect();
    let rows = vault.transactions(&Default::default()).expect("list");
    let mut expected: BTreeMap<String, (Decimal, Decimal)> = BTreeMap::new();
    let mut balances: BTreeMap<String, Decimal> = BTreeMap::new();
    for t in &rows {
        *balances.entry(t.account.clone()).or_default() += t.amount;
        if t.transfer_id.is_some() || t.category_id.as_ref().is_some_and(|c| transfer_categories.contains(c)) {
            continue;
        }
        let e = expected.entry(t.date.format("%Y-%m").to_string()).or_default();
        if t.amount > Decimal::ZERO {
            e.0 += t.amount
        } else {
            e.1 += t.amount
        }
    }
    let got: BTreeMap<String, (Decimal, Decimal)> = vault
        .monthly_report(&MonthlyFilter::default())
        .expect("report")
        .into_iter()
        .map(|m| (m.month, (m.income, m.expense)))
        .filter(|(_, (i, e))| !i.is_zero() || !e.is_zero())
        .collect();
    expected.retain(|_, (i, e)| !i.is_zero() || !e.is_zero());
    assert_eq!(got, expected, "monthly totals after step {step}");
    for a in vault.accounts().expect("accounts") {
        assert_eq!(
            a.balance,
            balances.get(&a.name).copied().unwrap_or_default(),
            "balance of {} after step {step}",
            a.name
        );
        // The daily totals: the balance at the end of every day with rows, and of the day before each.
        let mut dates: Vec<chrono::NaiveDate> = rows.iter().filter(|t| t.account == a.name).map(|t| t.date).collect();
        dates.extend(dates.clone().into_iter().filter_map(|d| d.pred_opt()));
        for date in dates {
            let expected: Decimal =
                rows.iter().filter(|t| t.account == a.name && t.date <= date).map(|t| t.amount).sum();
            assert_eq!(
                vault.balance_on(&a.id, date).expect("balance"),
                expected,
                "{} on {date} after step {step}",
                a.name
            );
        }
    }
}

#[test]
fn budgets_track_net_spending_with_sub_categories_and_apply_from_their_month() {
    let dir = tempfile::tempdir().expect("tempdir");
    let (_, mut vault) = create(dir.path());
    let card = account(&mut vault, "Card", AccountKind::CreditCard, "USD");
    let euro = account(&mut vault, "Euro", AccountKind::Checking, "EUR");
    let food = vault.category_by_path("Food").expect("seeded").id;
    let groceries = vault.category_by_path("Food:Groceries").expect("seeded").id;
    let date = |y, m, day| chrono::NaiveDate::from_ymd_opt(y, m, day).expect("date");
    vault.set_budget(&food, d("400"), "USD", date(2026, 1, 15)).expect("budget");
    vault.set_budget(&food, d("350"), "USD", date(2026, 3, 1)).expect("lower from March");
    for (acct, day, amount, category) in [
        (&card, (2026, 2, 3), "-120.40", &groceries),
        (&card, (2026, 2, 9), "-80.00", &food),
        (&card, (2026, 2, 10), "15.00", &groceries),   // a refund
        (&euro, (2026, 2, 11), "-999.00", &groceries), // another currency
        (&card, (2026, 3, 1), "-400.00", &groceries),
    ] {
        let mut t = tx(acct, day, amount, "Shop");
        t.category_id = Some(category.clone());
        vault.add_transaction(t).expect("add");
    }
    assert!(vault.budgets(date(2025, 12, 1)).expect("before").is_empty(), "no budget before its month");
    let feb = vault.budgets(date(2026, 2, 20)).expect("february");
    assert_eq!(feb.len(), 1);
    let f = &feb[0];
    assert_eq!(
        (f.category.as_str(), f.since.as_str(), f.budget, f.spent, f.remaining, f.used_percent),
        ("Food", "2026-01", d("400"), d("185.40"), d("214.60"), d("46.4"))
    );
    let mar = &vault.budgets(date(2026, 3, 5)).expect("march")[0];
    assert_eq!(
        (mar.budget, mar.spent, mar.remaining, mar.used_percent),
        (d("350"), d("400.00"), d("-50.00"), d("114.3"))
    );
    vault.set_budget(&food, d("0"), "USD", date(2026, 4, 1)).expect("end it");
    assert!(vault.budgets(date(2026, 4, 1)).expect("april").is_empty());
    vault.undo().expect("undo the end");
    assert_eq!(vault.budgets(date(2026, 4, 1)).expect("april again")[0].budget, d("350"));
    assert!(vault.set_budget(&food, d("-1"), "USD", date(2026, 1, 1)).is_err());
}

#[test]
fn charts_render_as_svg_and_png_with_their_series_in_both_themes() {
    use credence_core::charts::{self, ChartData, ChartKind, Theme};
    let dir = tempfile::tempdir().expect("tempdir");
    let (_, mut vault) = create(dir.path());
    let checking = account(&mut vault, "Checking", AccountKind::Checking, "USD");
    let card = vault
        .add_account(NewAccount {
            name: "Visa".into(),
            kind: AccountKind::CreditCard,
            currency: "USD".into(),
            credit_limit: Some(d("2000")),
        })
        .expect("card")
        .id;
    let groceries = vault.category_by_path("Groceries").expect("seeded").id;
    for (acct, day, amount, category) in [
        (&checking, (2026, 1, 1), "3000", None),
        (&card, (2026, 1, 9), "-450.00", Some(groceries.clone())),
        (&checking, (2026, 2, 1), "3000", None),
        (&card, (2026, 2, 9), "-150.00", Some(groceries.clone())),
    ] {
        let mut t = tx(acct, day, amount, "x");
        t.category_id = category;
        vault.add_transaction(t).expect("add");
    }
    let feb = chrono::NaiveDate::from_ymd_opt(2026, 2, 28).expect("date");
    let ChartData::Bars { labels, series, .. } = vault.chart(ChartKind::Monthly, feb, 3, None).expect("monthly") else {
        panic!("bars")
    };
    assert_eq!(labels, ["2025-12", "2026-01", "2026-02"]);
    assert_eq!(series[1].values, [Some(d("0")), Some(d("450.00")), Some(d("150.00"))], "spending per month");
    let ChartData::Lines { series, guides, .. } =
        vault.chart(ChartKind::Utilization, feb, 2, None).expect("utilization")
    else {
        panic!("lines")
    };
    assert_eq!(series[0].values, [Some(d("22.5")), Some(d("30.0"))], "600 owed of 2000 by February");
    assert_eq!(guides.len(), 2);
    let ChartData::Lines { series, .. } = vault.chart(ChartKind::NetWorth, feb, 2, None).expect("net worth") else {
        panic!("lines")
    };
    assert_eq!(series[0].values, [Some(d("2550.00")), Some(d("5400.00"))]);

    for kind in [ChartKind::Monthly, ChartKind::Categories, ChartKind::NetWorth, ChartKind::Utilization] {
        let data = vault.chart(kind, feb, 6, None).expect("data");
        for theme in [Theme::Light, Theme::Dark] {
            let svg = charts::svg(&data, theme).expect("svg");
            assert!(svg.starts_with("<svg") && svg.trim_end().ends_with("</svg>"), "{kind:?}: a whole SVG document");
            let png = dir.path().join(format!("{kind:?}-{theme:?}.png"));
            charts::write_png(&data, theme, &png).expect("png");
            let bytes = std::fs::read(&png).expect("read png");
            assert_eq!(&bytes[..8], b"\x89PNG\r\n\x1a\n", "{kind:?}: a PNG file");
        }
    }
    let svg = charts::svg(&vault.chart(ChartKind::Monthly, feb, 3, None).expect("data"), Theme::Light).expect("svg");
    assert!(
        svg.contains("Income") && svg.contains("Spending") && svg.contains("Feb 26"),
        "legend and month labels are in the SVG"
    );
}

#[test]
fn custom_reports_filter_group_and_equal_a_brute_force_sum() {
    use credence_core::analytics::{GroupBy, Period, ReportQuery};
    use rand::{rngs::StdRng, Rng, SeedableRng};
    let dir = tempfile::tempdir().expect("tempdir");
    let (_, mut vault) = create(dir.path());
    let checking = account(&mut vault, "Checking", AccountKind::Checking, "USD");
    let card = account(&mut vault, "Card", AccountKind::CreditCard, "USD");
    let food = vault.category_by_path("Food").expect("seeded").id;
    let groceries = vault.category_by_path("Food:Groceries").expect("seeded").id;
    let salary = vault.category_by_path("Salary").expect("seeded").id;
    let cats = [None, Some(groceries.clone()), Some(food.clone()), Some(salary)];
    let payees = ["Market", "Corner Deli", "Employer", "market hall"];
    let mut rng = StdRng::seed_from_u64(11);
    let mut all = Vec::new();
    for _ in 0..300 {
        let acct = if rng.gen_bool(0.5) { &checking } else { &card };
        let mut t = tx(acct, (2025, 1, 1), "0", payees[rng.gen_range(0..payees.len())]);
        t.date = chrono::NaiveDate::from_ymd_opt(2025, 1, 1).expect("d") + chrono::Days::new(rng.gen_range(0..500));
        t.amount = Decimal::new(rng.gen_range(-20_000..20_000), 2);
        t.category_id = cats[rng.gen_range(0..cats.len())].clone();
        all.push(vault.add_transaction(t).expect("add"));
    }
    let q = ReportQuery {
        from: chrono::NaiveDate::from_ymd_opt(2025, 3, 1),
        to: chrono::NaiveDate::from_ymd_opt(2025, 12, 31),
        category_ids: vec![food.clone()],
        text: Some("MARKET".into()),
        min: Some(d("-150.005")),
        max: Some(d("0")),
        period: Period::Quarter,
        group: GroupBy::Account,
        ..Default::default()
    };
    let rows = vault.custom_report(&q).expect("report");
    let mut expected: BTreeMap<(String, String), (Decimal, u64)> = BTreeMap::new();
    for t in &all {
        let in_food =
            t.category_id.as_deref() == Some(food.as_str()) || t.category_id.as_deref() == Some(groceries.as_str());
        let month = t.date.format("%m").to_string().parse::<u32>().expect("m");
        if t.date >= q.from.expect("f")
            && t.date <= q.to.expect("t")
            && in_food
            && t.payee.to_lowercase().contains("market")
            && t.amount >= d("-150.00")
            && t.amount <= d("0")
        {
            let e = expected.entry((format!("2025-Q{}", month.div_ceil(3)), t.account.clone())).or_default();
            e.0 += t.amount;
            e.1 += 1;
        }
    }
    let got: BTreeMap<(String, String), (Decimal, u64)> =
        rows.iter().map(|r| ((r.period.clone(), r.group.clone()), (r.total, r.count))).collect();
    assert!(!expected.is_empty());
    assert_eq!(got, expected);
    let by_category = vault.custom_report(&ReportQuery { period: Period::All, ..Default::default() }).expect("all");
    assert!(
        by_category.iter().any(|r| r.group == "Food:Groceries")
            && by_category.iter().any(|r| r.group == "Uncategorized")
    );
    let total: Decimal = by_category.iter().map(|r| r.total).sum();
    assert_eq!(total, all.iter().map(|t| t.amount).sum::<Decimal>(), "no transfers here: every row counts once");
    let huge = ReportQuery { min: Some(Decimal::MAX), ..Default::default() };
    assert!(vault.custom_report(&huge).expect_err("a bound no currency can hold").to_string().contains("out of range"));
}
