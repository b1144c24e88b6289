//! The ledger through the public API: accounts, categories, transactions, the change log and undo.

mod common;

use common::{checking, create, tx};
use credence_core::{AccountChanges, AccountKind, Error, NewAccount, TransactionEdit, TransactionFilter};
use rust_decimal::Decimal;

fn dec(s: &str) -> Decimal {
    s.parse().expect("decimal")
}

#[test]
fn balances_are_exact_sums_in_the_holders_view() {
    let dir = tempfile::tempdir().expect("tempdir");
    let (_, mut vault) = create(dir.path());
    let account = checking(&mut vault);
    for (amount, payee) in [("0.10", "a"), ("0.20", "b"), ("-0.30", "c"), ("1000000.01", "d")] {
        vault.add_transaction(tx(&account, (2024, 5, 1), amount, payee)).expect("add");
    }
    let a = vault.account(&account).expect("account");
    assert_eq!(a.balance, dec("1000000.01"));
    assert_eq!(a.balance.to_string(), "1000000.01");
    assert_eq!(a.transaction_count, 4);
}

#[test]
fn listing_filters_by_account_dates_and_category_including_children() {
    let dir = tempfile::tempdir().expect("tempdir");
    let (_, mut vault) = create(dir.path());
    let account = checking(&mut vault);
    let groceries = vault.category_by_path("Food:Groceries").expect("seeded").id;
    let food = vault.category_by_path("food").expect("by name, any case").id;
    let mut t = tx(&account, (2024, 3, 10), "-50", "Market");
    t.category_id = Some(groceries.clone());
    vault.add_transaction(t).expect("add");
    vault.add_transaction(tx(&account, (2024, 4, 1), "-9.99", "Streaming")).expect("add");

    let by_food =
        vault.transactions(&TransactionFilter { category_id: Some(food), ..Default::default() }).expect("list");
    assert_eq!(by_food.len(), 1);
    assert_eq!(by_food[0].category.as_deref(), Some("Food:Groceries"));
    let april = vault
        .transactions(&TransactionFilter {
            from: "2024-04-01".parse().ok(),
            to: "2024-04-30".parse().ok(),
            ..Default::default()
        })
        .expect("list");
    assert_eq!(april.iter().map(|t| t.payee.as_str()).collect::<Vec<_>>(), vec!["Streaming"]);
    let newest_first = vault.transactions(&TransactionFilter { limit: Some(1), ..Default::default() }).expect("list");
    assert_eq!(newest_first[0].payee, "Streaming");
}

#[test]
fn search_finds_text_in_payee_or_memo_and_counts_the_whole_list_behind_a_page() {
    let dir = tempfile::tempdir().expect("tempdir");
    let (_, mut vault) = create(dir.path());
    let account = checking(&mut vault);
    for (day, payee) in [(1, "Blue Bottle"), (2, "Market"), (3, "blue 50%_off"), (4, "Cinema")] {
        vault.add_transaction(tx(&account, (2024, 5, day), "-4", payee)).expect("add");
    }
    let mut memo = tx(&account, (2024, 5, 5), "-1", "Shop");
    memo.memo = "a BLUE pen".into();
    vault.add_transaction(memo).expect("add");

    let search = |text: &str, limit| TransactionFilter { search: Some(text.into()), limit, ..Default::default() };
    let payees =
        |f: &TransactionFilter| vault.transactions(f).expect("list").into_iter().map(|t| t.payee).collect::<Vec<_>>();
    assert_eq!(payees(&search("blue", None)), vec!["Shop", "blue 50%_off", "Blue Bottle"]);
    assert_eq!(payees(&search("50%_", None)), vec!["blue 50%_off"], "% and _ are literal");
    assert_eq!(payees(&search("0%", None)), vec!["blue 50%_off"]);
    assert_eq!(payees(&search("blue", Some(1))), vec!["Shop"]);
    assert_eq!(vault.count_transactions(&search("blue", Some(1))).expect("count"), 3, "limit aside");
    assert_eq!(vault.count_transactions(&TransactionFilter::default()).expect("count"), 5);
}

#[test]
fn accounts_can_be_renamed_and_card_limits_set_or_removed() {
    let dir = tempfile::tempdir().expect("tempdir");
    let (_, mut vault) = create(dir.path());
    let card = vault
        .add_account(NewAccount {
            name: "Visa".into(),
            kind: AccountKind::CreditCard,
            currency: "USD".into(),
            credit_limit: None,
        })
        .expect("card");
    let edited = vault
        .edit_account(
            &card.id,
            &AccountChanges {
                name: Some("Visa Gold".into()),
                credit_limit: Some(Some(dec("5000"))),
                ..Default::default()
            },
        )
        .expect("edit");
    assert_eq!((edited.name.as_str(), edited.credit_limit), ("Visa Gold", Some(dec("5000"))));
    assert_eq!(
        vault
            .edit_account(&card.id, &AccountChanges { credit_limit: Some(None), ..Default::default() })
            .expect("clear")
            .credit_limit,
        None
    );
    vault.undo().expect("undo");
    assert_eq!(vault.account(&card.id).expect("card").credit_limit, Some(dec("5000")));
    let checking = checking(&mut vault);
    let refused = vault
        .edit_account(&checking, &AccountChanges { credit_limit: Some(Some(dec("10"))), ..Default::default() })
        .expect_err("no limit on checking");
    assert!(refused.to_string().contains("credit limit"), "{refused}");
}

#[test]
fn bad_input_is_refused_with_a_reason_and_writes_nothing() {
    let dir = tempfile::tempdir().expect("tempdir");
    let (_, mut vault) = create(dir.path());
    let account = checking(&mut vault);
    let ops_before = vault.history(1000).expect("log").len();
    let too_precise = vault.add_transaction(tx(&account, (2024, 1, 1), "1.001", "x")).expect_err("precision");
    assert!(too_precise.to_string().contains("more decimal places than USD allows"), "{too_precise}");
    let old = vault.add_transaction(tx(&account, (1899, 12, 31), "1", "x")).expect_err("date");
    assert!(old.to_string().contains("outside the years 1900 to 2100"), "{old}");
    let unknown = vault.add_transaction(tx("no-such-account", (2024, 1, 1), "1", "x")).expect_err("account");
    assert!(matches!(unknown, Error::NotFound { .. }));
    let dup = vault
        .add_account(credence_core::NewAccount {
            name: "checking".into(),
            kind: credence_core::AccountKind::Savings,
            currency: "usd".into(),
            credit_limit: None,
        })
        .expect_err("duplicate name");
    assert!(matches!(dup, Error::Conflict(_)), "{dup}");
    // A batch with one bad row leaves none of its rows behind.
    let batch = vec![tx(&account, (2024, 1, 1), "1", "ok"), tx(&account, (2024, 1, 2), "0.001", "bad")];
    assert!(vault.add_transactions("batch", batch).is_err());
    assert_eq!(vault.transactions(&TransactionFilter::default()).expect("list").len(), 0);
    assert_eq!(vault.history(1000).expect("log").len(), ops_before, "failed writes leave no operation");
}

#[test]
fn every_change_is_logged_and_undo_walks_back_one_operation_at_a_time() {
    let dir = tempfile::tempdir().expect("tempdir");
    let (_, mut vault) = create(dir.path());
    let account = checking(&mut vault);
    let added = vault.add_transaction(tx(&account, (2024, 2, 1), "-20", "Cafe")).expect("add");
    let coffee = vault.category_by_path("Coffee").expect("seeded").id;
    vault
        .edit_transaction(
            &added.id,
            TransactionEdit { amount: Some(dec("-21.50")), category: Some(Some(coffee)), ..Default::default() },
        )
        .expect("edit");

    let log = vault.history(1).expect("log");
    let edit = &log[0];
    let fields: Vec<_> = edit.changes.iter().map(|c| c.field.clone().unwrap_or_default()).collect();
    assert_eq!(fields, vec!["amount", "category_id"], "one entry per changed field, none for unchanged ones");
    assert_eq!(edit.changes[0].old, Some(serde_json::json!(-2000)));
    assert_eq!(edit.changes[0].new, Some(serde_json::json!(-2150)));
    assert!(edit.time().is_some() && !edit.device_id.is_empty());

    vault.delete_transaction(&added.id).expect("delete");
    assert_eq!(vault.undo().expect("undo delete"), format!("Delete transaction 2024-02-01 Cafe"));
    let back = vault.transaction(&added.id).expect("restored");
    assert_eq!(back.amount, dec("-21.50"));
    assert_eq!(back.category.as_deref(), Some("Food:Coffee"));

    vault.undo().expect("undo edit");
    let back = vault.transaction(&added.id).expect("still there");
    assert_eq!((back.amount, back.category), (dec("-20.00"), None));

    vault.undo().expect("undo add");
    assert!(matches!(vault.transaction(&added.id), Err(Error::NotFound { .. })));
    vault.undo().expect("undo account");
    assert!(matches!(vault.undo(), Err(Error::NothingToUndo)), "seeding the vault is not undoable");
    assert_eq!(vault.categories().expect("categories").len(), 45);
    let log = vault.history(100).expect("log");
    assert!(log.iter().filter(|op| op.undoes.is_some()).count() == 4, "undos are operations in the log too");
}

#[test]
fn categories_nest_and_resolve_by_path_or_unique_name() {
    let dir = tempfile::tempdir().expect("tempdir");
    let (_, mut vault) = create(dir.path());
    let snacks = vault.add_category("Food:Snacks:Chips", None).expect("add");
    assert_eq!(snacks.path, "Food:Snacks:Chips");
    assert_eq!(snacks.kind, credence_core::CategoryKind::Expense);
    assert!(vault.category_by_path("food:snacks").is_ok());
    assert!(matches!(vault.add_category("Food:Snacks", None), Err(Error::Conflict(_))));
    vault.add_category("Leisure:Chips", None).expect("same leaf name elsewhere");
    let ambiguous = vault.category_by_path("Chips").expect_err("ambiguous");
    assert!(ambiguous.to_string().contains("give the full path"), "{ambiguous}");
    assert!(vault.add_category("Food::x", None).is_err());
    let side = vault.add_category("Side Gigs", Some(credence_core::CategoryKind::Income)).expect("income");
    assert_eq!(side.kind, credence_core::CategoryKind::Income);
}

#[test]
fn transaction_ids_resolve_from_a_unique_start_or_end() {
    let dir = tempfile::tempdir().expect("tempdir");
    let (_, mut vault) = create(dir.path());
    let account = checking(&mut vault);
    let t = vault.add_transaction(tx(&account, (2024, 1, 1), "1", "x")).expect("add");
    assert_eq!(vault.resolve_transaction_id(&t.id).expect("whole"), t.id);
    assert_eq!(vault.resolve_transaction_id(&t.id[t.id.len() - 8..]).expect("end"), t.id);
    assert!(vault.resolve_transaction_id("abc").is_err());
}

#[test]
fn a_streamed_listing_is_the_same_rows_in_the_same_order_as_a_collected_one() {
    let dir = tempfile::tempdir().expect("dir");
    let (_, mut vault) = common::create(dir.path());
    let account = common::checking(&mut vault);
    for day in 1..=20u32 {
        vault
            .add_transaction(common::tx(
                &account,
                (2026, 10, day % 7 + 1),
                &format!("-{day}.00"),
                &format!("Shop {day}"),
            ))
            .expect("tx");
    }
    for filter in [
        credence_core::TransactionFilter::default(),
        credence_core::TransactionFilter { limit: Some(5), offset: 3, ..Default::default() },
        credence_core::TransactionFilter { search: Some("Shop 1".into()), ..Default::default() },
    ] {
        let mut streamed = Vec::new();
        vault
            .for_each_transaction(&filter, &mut |t| {
                streamed.push(t);
                Ok(())
            })
            .expect("stream");
        assert_eq!(streamed, vault.transactions(&filter).expect("list"), "{filter:?}");
    }
}

#[test]
fn cursor_pages_cover_the_listing_once_in_order_and_rows_added_meanwhile_do_not_shift_them() {
    use credence_core::ListPosition;
    let dir = tempfile::tempdir().expect("dir");
    let (_, mut vault) = common::create(dir.path());
    let first = common::checking(&mut vault);
    let savings =
        NewAccount { name: "Savings".into(), kind: AccountKind::Savings, currency: "USD".into(), credit_limit: None };
    let second = vault.add_account(savings).expect("account").id;
    // Several rows per day and per account, so the order within a day (account, then id) matters.
    for n in 1..=23u32 {
        let account = if n % 3 == 0 { &second } else { &first };
        vault
            .add_transaction(tx(account, (2026, 10, n % 4 + 1), &format!("-{n}.00"), &format!("Shop {n}")))
            .expect("tx");
    }
    let everything = vault.transactions(&TransactionFilter::default()).expect("list");
    let page = |vault: &credence_core::Vault, after: Option<ListPosition>| {
        vault.transactions(&TransactionFilter { limit: Some(5), after, ..Default::default() }).expect("page")
    };
    let (mut walked, mut after) = (Vec::new(), None);
    let mut pages = 0;
    loop {
        let rows = page(&vault, after);
        pages += 1;
        let Some(last) = rows.last() else { break };
        // The cursor goes out as text and comes back as text.
        after = Some(ListPosition::parse(&ListPosition::of(last).expect("position").to_string()).expect("parse"));
        walked.extend(rows);
    }
    assert_eq!(walked, everything);
    assert_eq!(pages, 6, "five full pages and an empty one");

    // A row added on a later day, before the page the cursor points at, does not move what comes next.
    let cursor = ListPosition::of(&everything[9]).expect("position");
    vault.add_transaction(tx(&first, (2026, 12, 1), "-1.00", "Newest")).expect("tx");
    assert_eq!(page(&vault, Some(cursor)), everything[10..15].to_vec());

    for bad in
        ["", "2026-10-01", "2026-13-01.00000000000000000000000000000000.00000000000000000000000000000000", "x.y.z"]
    {
        assert!(matches!(ListPosition::parse(bad), Err(Error::Invalid(_))), "{bad:?}");
    }
}
