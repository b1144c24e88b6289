//! Dashboard figures, trends, saved reports, tags and payees, weekly buckets and exchange rates, each
//! against hand-computed figures or a brute-force recomputation over the rows.

mod common;

use std::collections::BTreeMap;

use chrono::{Datelike, Days, NaiveDate};
use common::{create, tx};
use credence_core::analytics::{GroupBy, Measure, MonthlyFilter, Period, ReportQuery, SeriesStatus};
use credence_core::{AccountChanges, AccountKind, NewAccount, Transaction, TransactionEdit, Vault};
use rand::{rngs::StdRng, Rng, SeedableRng};
use rust_decimal::Decimal;

fn d(s: &str) -> Decimal {
    s.parse().expect("decimal")
}

fn day(s: &str) -> NaiveDate {
    s.parse().expect("date")
}

fn account(vault: &mut Vault, name: &str, kind: AccountKind, currency: &str, limit: Option<&str>) -> String {
    vault
        .add_account(NewAccount { name: name.into(), kind, currency: currency.into(), credit_limit: limit.map(d) })
        .expect("account")
        .id
}

fn add(vault: &mut Vault, account: &str, date: &str, amount: &str, payee: &str, category: Option<&str>) -> Transaction {
    let mut t = tx(account, (2000, 1, 1), amount, payee);
    t.date = day(date);
    t.category_id = category.map(|c| vault.category_by_path(c).expect("category").id);
    vault.add_transaction(t).expect("add")
}

#[test]
fn the_dashboard_rolls_up_categories_and_tracks_net_worth_and_utilization() {
    let dir = tempfile::tempdir().expect("tempdir");
    let (_, mut vault) = create(dir.path());
    let checking = account(&mut vault, "Checking", AccountKind::Checking, "USD", None);
    let visa = account(&mut vault, "Visa", AccountKind::CreditCard, "USD", Some("2000"));
    let amex = account(&mut vault, "Amex", AccountKind::CreditCard, "USD", Some("3000"));
    let euro = account(&mut vault, "Konto", AccountKind::Checking, "EUR", None);
    add(&mut vault, &checking, "2026-09-01", "5000.00", "Opening", None);
    add(&mut vault, &checking, "2026-10-01", "3000.00", "Employer", Some("Salary"));
    add(&mut vault, &visa, "2026-10-05", "-200.00", "Market", Some("Food:Groceries"));
    add(&mut vault, &checking, "2026-11-01", "3000.00", "Employer", Some("Salary"));
    add(&mut vault, &visa, "2026-11-03", "-300.00", "Market", Some("Food:Groceries"));
    add(&mut vault, &visa, "2026-11-04", "-100.00", "Bistro", Some("Food:Restaurants"));
    add(&mut vault, &amex, "2026-11-06", "-150.00", "Snacks", Some("Food"));
    add(&mut vault, &amex, "2026-11-07", "-450.00", "Airline", Some("Travel"));
    add(&mut vault, &visa, "2026-11-08", "50.00", "Market refund", Some("Food:Groceries"));
    add(&mut vault, &euro, "2026-11-09", "-80.00", "Bäckerei", Some("Food:Groceries"));
    let dash = vault.dashboard(day("2026-11-30"), None).expect("dashboard");
    assert_eq!((dash.month.as_str(), dash.currency.as_str()), ("2026-11", "USD"));
    assert_eq!(
        (dash.this_month.income, dash.this_month.expense, dash.this_month.net),
        (d("3050.00"), d("-1000.00"), d("2050.00"))
    );
    assert_eq!((dash.last_month.income, dash.last_month.expense), (d("3000.00"), d("-200.00")));
    assert_eq!(dash.spending_change, Some(d("400.0")), "spending went from 200 to 1000");
    assert_eq!(dash.income_change, Some(d("1.7")));
    assert_eq!(dash.this_month.savings_rate(), Some(d("67.2")));
    assert!(dash.left_out.contains("EUR"), "euros without a rate are left out, and said so");
    let food = dash.spending.iter().find(|s| s.category == "Food").expect("food");
    assert_eq!(food.amount, d("500.00"), "groceries 300 - 50 refund + restaurants 100 + Food itself 150");
    assert_eq!(
        food.parts,
        vec![
            ("Groceries".to_string(), d("250.00")),
            ("Food".to_string(), d("150.00")),
            ("Restaurants".to_string(), d("100.00"))
        ]
    );
    assert_eq!(dash.spending[0].category, "Food", "largest first");
    assert_eq!(food.share, d("52.6"), "500 of 950");
    assert!(dash.spending.iter().all(|s| s.category != "Salary"), "income is not spending");
    assert_eq!(dash.net_worth.len(), 12);
    let nov = dash.net_worth.last().expect("nov");
    assert_eq!((nov.assets, nov.debts, nov.net), (d("11000.00"), d("1150.00"), d("9850.00")));
    let sep = &dash.net_worth[dash.net_worth.len() - 3];
    assert_eq!((sep.month.as_str(), sep.net), ("2026-09", d("5000.00")));
    let util = dash.utilization.last().expect("nov");
    assert_eq!(util.cards, vec![("Amex".to_string(), d("20.0")), ("Visa".to_string(), d("27.5"))]);
    assert_eq!(util.overall, Some(d("23.0")), "1150 owed of 5000");
    assert_eq!(dash.utilization[dash.utilization.len() - 2].overall, Some(d("4.0")), "October: 200 of 5000");

    vault.set_exchange_rate("EUR", "USD", d("1.10"), day("2026-01-01")).expect("rate");
    let dash = vault.dashboard(day("2026-11-30"), None).expect("dashboard");
    assert!(dash.left_out.is_empty() && dash.converted_from.contains("EUR"));
    assert_eq!(dash.this_month.expense, d("-1088.00"), "80 EUR at 1.10 = 88 USD");
    assert_eq!(dash.net_worth.last().expect("nov").assets, d("10912.00"));
    let in_euros = vault.dashboard(day("2026-11-30"), Some("EUR")).expect("in euros");
    assert_eq!(in_euros.this_month.expense, d("-989.09"), "-80 EUR and -1000 USD / 1.10 (rounded once)");
}

#[test]
fn rates_convert_only_where_given_and_follow_their_dates() {
    let dir = tempfile::tempdir().expect("tempdir");
    let (_, mut vault) = create(dir.path());
    let usd = account(&mut vault, "Checking", AccountKind::Checking, "USD", None);
    let eur = account(&mut vault, "Konto", AccountKind::Checking, "EUR", None);
    let gbp = account(&mut vault, "Current", AccountKind::Checking, "GBP", None);
    add(&mut vault, &usd, "2026-01-10", "-10.00", "a", None);
    add(&mut vault, &eur, "2026-01-11", "-10.00", "b", None);
    add(&mut vault, &eur, "2026-03-11", "-10.00", "c", None);
    add(&mut vault, &gbp, "2026-03-12", "-10.00", "d", None);
    assert!(vault.set_exchange_rate("EUR", "EUR", d("1"), day("2026-01-01")).is_err());
    assert!(vault.set_exchange_rate("EUR", "USD", d("0"), day("2026-01-01")).is_err());
    vault.set_exchange_rate("EUR", "USD", d("1.10"), day("2026-02-01")).expect("rate");
    vault.set_exchange_rate("EUR", "USD", d("1.20"), day("2026-03-15")).expect("rate");
    vault.set_exchange_rate("EUR", "USD", d("1.25"), day("2026-03-15")).expect("replaces the same date");
    assert_eq!(vault.exchange_rates().expect("rates").len(), 2);
    let report =
        vault.monthly_report(&MonthlyFilter { convert_to: Some("usd".into()), ..Default::default() }).expect("report");
    let usd_of = |month: &str| report.iter().find(|m| m.month == month && m.currency == "USD").expect("usd").clone();
    assert_eq!(usd_of("2026-01").expense, d("-21.00"), "January before the first rate: the earliest one covers it");
    assert_eq!(usd_of("2026-03").expense, d("-12.50"), "the rate in force at March's end");
    assert_eq!(usd_of("2026-03").converted_from.iter().collect::<Vec<_>>(), ["EUR"]);
    let march_gbp = report.iter().find(|m| m.month == "2026-03" && m.currency == "GBP").expect("gbp stays apart");
    assert_eq!(march_gbp.expense, d("-10.00"));
    let plain = vault.monthly_report(&MonthlyFilter::default()).expect("plain");
    assert_eq!(
        plain.iter().filter(|m| m.month == "2026-01").count(),
        2,
        "without --convert nothing is added across currencies"
    );
    vault.remove_exchange_rate("EUR", "USD", day("2026-03-15")).expect("remove");
    vault.undo().expect("undo the removal");
    assert_eq!(vault.exchange_rates().expect("rates").len(), 2);
    let custom = vault
        .custom_report(&ReportQuery {
            period: Period::All,
            group: GroupBy::None,
            convert_to: Some("USD".into()),
            ..Default::default()
        })
        .expect("custom");
    let all_usd = custom.iter().find(|r| r.currency == "USD").expect("usd");
    assert_eq!(all_usd.total, d("-33.50"), "10 + 11 + 12.50");
    assert_eq!(all_usd.count, 3);
}

/// A random ledger over two years: three accounts, five categories (one transfer), four payees, tags.
fn random_ledger(vault: &mut Vault, seed: u64, n: usize) -> Vec<Transaction> {
    let accounts = [
        account(vault, "Checking", AccountKind::Checking, "USD", None),
        account(vault, "Card", AccountKind::CreditCard, "USD", Some("5000")),
        account(vault, "Konto", AccountKind::Checking, "EUR", None),
    ];
    let cats = [None, Some("Food:Groceries"), Some("Food"), Some("Salary"), Some("Transfers")];
    let payees = ["Market", "Corner Deli", "Employer", "market hall"];
    let tags = [None, Some(vec!["trip".to_string()]), Some(vec!["work".to_string(), "trip".to_string()])];
    let mut rng = StdRng::seed_from_u64(seed);
    let mut all = Vec::new();
    for _ in 0..n {
        let acct = accounts[rng.gen_range(0..accounts.len())].clone();
        let date = day("2024-11-01") + Days::new(rng.gen_range(0..730));
        let amount = Decimal::new(rng.gen_range(-20_000..20_000), 2).to_string();
        let t = add(
            vault,
            &acct,
            &date.to_string(),
            &amount,
            payees[rng.gen_range(0..payees.len())],
            cats[rng.gen_range(0..cats.len())],
        );
        let t = match &tags[rng.gen_range(0..tags.len())] {
            Some(tags) => vault
                .edit_transaction(&t.id, TransactionEdit { tags: Some(tags.clone()), ..Default::default() })
                .expect("tag"),
            None => t,
        };
        all.push(t);
    }
    all
}

fn is_transfer(vault: &Vault, t: &Transaction) -> bool {
    let transfers = vault.category_by_path("Transfers").expect("c").id;
    t.transfer_id.is_some() || t.category_id.as_deref() == Some(transfers.as_str())
}

#[test]
fn tags_payees_and_weeks_equal_a_brute_force_sum_and_totals_equal_rows() {
    let dir = tempfile::tempdir().expect("tempdir");
    let (_, mut vault) = create(dir.path());
    let all = random_ledger(&mut vault, 5, 400);
    let q = ReportQuery {
        from: Some(day("2025-02-01")),
        to: Some(day("2025-09-30")),
        payees: vec!["MARKET".into(), "corner deli".into()],
        tags: vec!["#trip".into()],
        period: Period::Week,
        group: GroupBy::Payee,
        ..Default::default()
    };
    let mut expected: BTreeMap<(String, String, String), (Decimal, Decimal, u64)> = BTreeMap::new();
    for t in all.iter().filter(|t| !is_transfer(&vault, t)) {
        if t.date >= day("2025-02-01")
            && t.date <= day("2025-09-30")
            && ["market", "corner deli"].contains(&t.payee.to_lowercase().as_str())
            && t.tags.iter().any(|g| g == "trip")
        {
            let monday = t.date - Days::new(u64::from(t.date.weekday().num_days_from_monday()));
            let e = expected.entry((monday.to_string(), t.payee.clone(), t.currency.clone())).or_default();
            if t.amount > Decimal::ZERO {
                e.0 += t.amount
            } else {
                e.1 += t.amount
            }
            e.2 += 1;
        }
    }
    let got: BTreeMap<_, _> = vault
        .custom_report(&q)
        .expect("report")
        .into_iter()
        .map(|r| ((r.period, r.group, r.currency), (r.income, r.expense, r.count)))
        .collect();
    assert!(expected.len() > 5, "the filters select something");
    assert_eq!(got, expected);

    // The same whole-month query from the monthly totals and from the rows (a no-op amount bound forces
    // the rows) gives the same cells.
    for group in [GroupBy::Category, GroupBy::Account, GroupBy::None] {
        for period in [Period::Month, Period::Quarter, Period::Year, Period::All] {
            let totals = ReportQuery {
                from: Some(day("2025-01-01")),
                to: Some(day("2026-06-30")),
                period,
                group,
                ..Default::default()
            };
            let rows = ReportQuery { min: Some(d("-1000000")), ..totals.clone() };
            assert_eq!(
                vault.custom_report(&totals).expect("totals"),
                vault.custom_report(&rows).expect("rows"),
                "{group:?} × {period:?}"
            );
        }
    }
}

#[test]
fn trends_equal_a_brute_force_series_with_averages_and_year_over_year() {
    let dir = tempfile::tempdir().expect("tempdir");
    let (_, mut vault) = create(dir.path());
    let all = random_ledger(&mut vault, 9, 300);
    let food = vault.category_by_path("Food").expect("c").id;
    let as_of = day("2026-10-31");
    for (period, measure) in
        [(Period::Month, Measure::Spending), (Period::Quarter, Measure::Net), (Period::Week, Measure::Income)]
    {
        let q = ReportQuery {
            from: Some(day("2025-11-01")),
            category_ids: vec![food.clone()],
            period,
            ..Default::default()
        };
        let trends = vault.trend(&q, measure, 3, as_of).expect("trend");
        let usd = trends.iter().find(|t| t.currency == "USD").expect("usd");
        let mut per_period: BTreeMap<NaiveDate, Decimal> = BTreeMap::new();
        for t in all.iter().filter(|t| t.currency == "USD" && t.category_id.is_some()) {
            let cat = t.category_id.as_deref().expect("c");
            if cat != food && cat != vault.category_by_path("Food:Groceries").expect("c").id {
                continue;
            }
            let v = match measure {
                Measure::Income => t.amount.max(Decimal::ZERO),
                Measure::Spending => -t.amount.min(Decimal::ZERO),
                Measure::Net => t.amount,
            };
            *per_period.entry(period.start(t.date)).or_default() += v;
        }
        let starts = period.starts(day("2025-11-01"), as_of);
        assert_eq!(usd.points.len(), starts.len(), "{period:?}: every period present, quiet ones too");
        for (i, p) in usd.points.iter().enumerate() {
            let value_at = |s: NaiveDate| per_period.get(&s).copied().unwrap_or_default();
            assert_eq!(p.start, starts[i]);
            assert_eq!(p.value, value_at(p.start), "{period:?} {}", p.period);
            let year_ago = period.year_before(p.start).expect("y");
            assert_eq!(p.year_ago, Some(value_at(year_ago)), "{period:?} {} a year before", p.period);
            let mut window = vec![p.start];
            for _ in 0..2 {
                let earlier = *window.last().expect("w");
                window.push(period.starts(earlier - Days::new(1), earlier - Days::new(1))[0]);
            }
            let mean = (window.iter().map(|s| value_at(*s)).sum::<Decimal>() / Decimal::from(3)).round_dp(2);
            assert_eq!(p.moving_average, Some(mean), "{period:?} {} 3-period mean", p.period);
        }
    }
    let err = vault
        .trend(&ReportQuery { period: Period::All, ..Default::default() }, Measure::Net, 3, as_of)
        .expect_err("all");
    assert!(err.to_string().contains("week, month, quarter or year"));
}

#[test]
fn saved_reports_keep_their_filters_by_id_and_are_undoable() {
    let dir = tempfile::tempdir().expect("tempdir");
    let (_, mut vault) = create(dir.path());
    random_ledger(&mut vault, 3, 60);
    let card = vault.account_by_name("Card").expect("card").id;
    let food = vault.category_by_path("Food").expect("food").id;
    let q = ReportQuery {
        from: Some(day("2025-01-01")),
        account_ids: vec![card.clone()],
        category_ids: vec![food],
        tags: vec!["trip".into()],
        max: Some(d("-0.01")),
        period: Period::Quarter,
        group: GroupBy::Payee,
        convert_to: Some("USD".into()),
        ..Default::default()
    };
    vault.save_report("Trip food", &q).expect("save");
    let saved = vault.saved_report("trip FOOD").expect("any case");
    assert_eq!((saved.name.as_str(), &saved.query), ("Trip food", &q));
    vault
        .edit_account(&card, &AccountChanges { name: Some("Travel card".into()), ..Default::default() })
        .expect("rename");
    assert_eq!(
        vault.custom_report(&vault.saved_report("Trip food").expect("s").query).expect("run"),
        vault.custom_report(&q).expect("run")
    );
    vault.save_report("trip food", &ReportQuery { period: Period::Year, ..q.clone() }).expect("replace");
    assert_eq!(vault.saved_reports().expect("list").len(), 1);
    assert_eq!(vault.saved_report("Trip food").expect("s").query.period, Period::Year);
    vault.delete_saved_report("Trip food").expect("delete");
    assert!(matches!(vault.saved_report("Trip food"), Err(credence_core::Error::NotFound { .. })));
    vault.undo().expect("undo");
    assert_eq!(vault.saved_report("Trip food").expect("back").query.period, Period::Year);
    assert!(vault.save_report("  ", &q).is_err());
    let gone = ReportQuery { account_ids: vec!["0190b5d2-0000-7000-8000-000000000000".into()], ..Default::default() };
    assert!(vault.save_report("Ghost", &gone).is_err(), "an account that does not exist");
}

#[test]
fn charts_of_trends_and_score_history_render() {
    use credence_core::charts::{self, ChartData, ChartKind, Theme, Unit};
    let dir = tempfile::tempdir().expect("tempdir");
    let (_, mut vault) = create(dir.path());
    random_ledger(&mut vault, 4, 80);
    let trend = vault
        .trend(
            &ReportQuery { from: Some(day("2025-01-01")), ..Default::default() },
            Measure::Spending,
            3,
            day("2026-10-31"),
        )
        .expect("trend");
    let data = charts::trend_chart(&trend[0], "Spending");
    let ChartData::Lines { series, labels, .. } = &data else { panic!("lines") };
    assert_eq!(labels.len(), 22);
    assert_eq!(series[1].values[0], trend[0].points[0].moving_average);
    assert!(charts::svg(&data, Theme::Dark).expect("svg").contains("3-month average"));
    let json = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/score/a720.json"))
        .expect("fixture");
    let profile = credence_core::score::CreditProfile::from_json(&json).expect("profile");
    vault.replace_credit_report(&profile).expect("store");
    let score = vault.chart(ChartKind::Score, day("2026-10-31"), 24, None).expect("score chart");
    let ChartData::Lines { unit, series, labels, guides, .. } = &score else { panic!("lines") };
    assert_eq!((unit, labels.len(), guides.len()), (&Unit::ScorePoints, 24, 3));
    assert!(series[0].values.iter().flatten().all(|s| *s >= d("300") && *s <= d("850")));
    let png = dir.path().join("score.png");
    charts::write_png(&score, Theme::Light, &png).expect("png");
    assert_eq!(&std::fs::read(&png).expect("read")[..4], b"\x89PNG");
}

#[test]
fn recurring_payments_are_detected_again_after_any_change() {
    let dir = tempfile::tempdir().expect("tempdir");
    let (path, mut vault) = create(dir.path());
    let card = account(&mut vault, "Card", AccountKind::CreditCard, "USD", None);
    for date in ["2026-07-15", "2026-08-15", "2026-09-15"] {
        add(&mut vault, &card, date, "-9.99", "Streamly", None);
    }
    // A gym paid monthly years ago is history, not a subscription; nor is a payment after the date asked.
    for date in ["2021-01-04", "2021-02-04", "2021-03-04", "2021-04-04"] {
        add(&mut vault, &card, date, "-30", "Old gym", None);
    }
    add(&mut vault, &card, "2026-12-15", "-9.99", "Streamly", None);
    let as_of = day("2026-10-01");
    let first = vault.recurring_payments(as_of).expect("recurring");
    assert_eq!((first.len(), first[0].price_change, first[0].status), (1, None, SeriesStatus::Active));
    assert_eq!(first[0].next_date, day("2026-10-15"));
    assert_eq!(vault.recurring_payments(day("2021-05-01")).expect("in 2021")[0].payee, "Old gym");
    assert_eq!(vault.recurring_payments(as_of).expect("again"), first, "unchanged vault, same answer");
    add(&mut vault, &card, "2026-10-15", "-10.99", "Streamly", None);
    let later = day("2026-10-20");
    assert!(vault.recurring_payments(later).expect("after an add")[0].price_change.is_some(), "a write is seen");
    vault.undo().expect("undo");
    assert_eq!(vault.recurring_payments(later).expect("after undo")[0].price_change, None, "an undo is seen");
    // Another connection's write (the command line while the app is open) is seen too.
    let mut other = Vault::open(&path, &common::passphrase()).expect("second connection");
    add(&mut other, &card, "2026-10-15", "-10.99", "Streamly", None);
    assert!(vault.recurring_payments(later).expect("after another's add")[0].price_change.is_some());
}
