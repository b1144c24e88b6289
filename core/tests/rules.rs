//! Rules, payee normalization, learning from recategorization, and transfer pairing.

mod common;

use common::create;
use credence_core::import::ImportOptions;
use credence_core::rules::{Action, Condition};
use credence_core::{AccountKind, NewAccount, TransactionEdit, TransactionFilter, Vault};

fn account(vault: &mut Vault, name: &str, kind: AccountKind) -> String {
    vault
        .add_account(NewAccount { name: name.into(), kind, currency: "USD".into(), credit_limit: None })
        .expect("account")
        .id
}

fn statement(dir: &std::path::Path, name: &str, rows: &[(&str, &str, &str)]) -> std::path::PathBuf {
    let mut s = String::from("Transaction Date,Post Date,Description,Category,Type,Amount,Memo\n");
    for (date, payee, amount) in rows {
        s.push_str(&format!("{date},{date},\"{payee}\",,Sale,{amount},\n"));
    }
    let path = dir.join(name);
    std::fs::write(&path, s).expect("write");
    path
}

fn category_id(vault: &Vault, path: &str) -> String {
    vault.category_by_path(path).expect("category").id
}

fn by_payee(vault: &Vault, payee: &str) -> credence_core::Transaction {
    vault
        .transactions(&TransactionFilter::default())
        .expect("list")
        .into_iter()
        .find(|t| t.payee == payee)
        .unwrap_or_else(|| panic!("no transaction from {payee}"))
}

#[test]
fn imports_clean_payees_and_file_them_by_the_first_matching_rule() {
    let dir = tempfile::tempdir().expect("tempdir");
    let (_, mut vault) = create(dir.path());
    let card = account(&mut vault, "Visa", AccountKind::CreditCard);
    let coffee = category_id(&vault, "Coffee");
    let restaurants = category_id(&vault, "Restaurants");
    vault
        .add_rule(
            vec![Condition::PayeeContains { text: "blue bottle".into() }],
            vec![Action::SetCategory { category_id: coffee.clone() }, Action::AddTag { tag: "treats".into() }],
            None,
        )
        .expect("rule 1");
    vault
        .add_rule(
            vec![Condition::PayeeMatches { pattern: "bottle|grill".into() }],
            vec![Action::SetCategory { category_id: restaurants.clone() }],
            None,
        )
        .expect("rule 2");
    vault
        .add_rule(
            vec![
                Condition::PayeeContains { text: "AMZN".into() },
                Condition::AmountBetween { min: Some("-50".parse().expect("d")), max: None },
            ],
            vec![Action::RenamePayee { payee: "Amazon".into() }, Action::AddMemo { text: "small order".into() }],
            None,
        )
        .expect("rule 3");
    let file = statement(
        dir.path(),
        "visa.csv",
        &[
            ("01/03/2024", "SQ *BLUE BOTTLE 1234 SAN FRANCISCO CA", "-4.50"),
            ("01/04/2024", "TST* CORNER GRILL 0042", "-30.00"),
            ("01/05/2024", "AMZN MKTP US*2K4L70", "-12.99"),
            ("01/06/2024", "AMZN MKTP US*9ZZZ11", "-212.99"),
        ],
    );
    let r = vault.import_file(&file, &card, &ImportOptions::default(), &mut |_| {}).expect("import");
    assert_eq!(r.imported, 4);

    let blue = by_payee(&vault, "Blue Bottle");
    assert_eq!(blue.original_payee.as_deref(), Some("SQ *BLUE BOTTLE 1234 SAN FRANCISCO CA"));
    assert_eq!(blue.category.as_deref(), Some("Food:Coffee"), "the first rule that sets a category wins");
    assert_eq!(blue.tags, vec!["treats"]);
    assert_eq!(by_payee(&vault, "Corner Grill").category.as_deref(), Some("Food:Restaurants"));
    let amazon = by_payee(&vault, "Amazon");
    assert_eq!((amazon.amount.to_string().as_str(), amazon.memo.as_str()), ("-12.99", "small order"));
    assert_eq!(by_payee(&vault, "Amzn Mktp US").category, None, "the amount condition kept the big order out");
}

#[test]
fn rules_rerun_on_existing_transactions_and_bad_rules_are_refused() {
    let dir = tempfile::tempdir().expect("tempdir");
    let (_, mut vault) = create(dir.path());
    let checking = account(&mut vault, "Checking", AccountKind::Checking);
    let file = statement(
        dir.path(),
        "c.csv",
        &[("02/01/2024", "NETFLIX.COM", "-15.49"), ("02/02/2024", "SPOTIFY USA", "-9.99")],
    );
    vault.import_file(&file, &checking, &ImportOptions::default(), &mut |_| {}).expect("import");
    let subs = category_id(&vault, "Subscriptions");
    vault
        .add_rule(
            vec![Condition::PayeeOneOf { payees: vec!["netflix.com".into(), "spotify usa".into()] }],
            vec![Action::SetCategory { category_id: subs }],
            None,
        )
        .expect("rule");
    let report = vault.apply_rules(None, false).expect("apply");
    assert_eq!((report.examined, report.changed), (2, 2));
    assert_eq!(by_payee(&vault, "Netflix.com").category.as_deref(), Some("Bills:Subscriptions"));
    assert_eq!(vault.apply_rules(None, false).expect("again").changed, 0, "running twice changes nothing more");

    assert!(vault
        .add_rule(vec![Condition::PayeeMatches { pattern: "(".into() }], vec![Action::MarkTransfer], None)
        .is_err());
    assert!(vault.add_rule(vec![], vec![Action::MarkTransfer], None).is_err());
    let unknown = Action::SetCategory { category_id: uuid_like() };
    assert!(vault.add_rule(vec![Condition::PayeeIs { text: "x".into() }], vec![unknown], None).is_err());
    let rule = vault
        .add_rule(vec![Condition::PayeeIs { text: "x".into() }], vec![Action::AddTag { tag: "x".into() }], Some(1))
        .expect("first");
    assert_eq!(vault.rules().expect("rules")[0].id, rule.id, "inserted at position 1");
    vault.delete_rule(&rule.id).expect("delete");
    vault.undo().expect("undo delete");
    assert_eq!(vault.rules().expect("rules").len(), 2);
}

fn uuid_like() -> String {
    "01234567-89ab-7def-8123-456789abcdef".into()
}

#[test]
fn recategorizing_a_payee_offers_the_rule_and_learning_files_the_rest() {
    let dir = tempfile::tempdir().expect("tempdir");
    let (_, mut vault) = create(dir.path());
    let checking = account(&mut vault, "Checking", AccountKind::Checking);
    let file = statement(
        dir.path(),
        "c.csv",
        &[
            ("03/01/2024", "GOLD'S GYM", "-40.00"),
            ("04/01/2024", "GOLD'S GYM", "-40.00"),
            ("05/01/2024", "GOLD'S GYM", "-40.00"),
        ],
    );
    vault.import_file(&file, &checking, &ImportOptions::default(), &mut |_| {}).expect("import");
    let first = vault.transactions(&TransactionFilter::default()).expect("list").pop().expect("one");
    let fitness = category_id(&vault, "Fitness");
    vault
        .edit_transaction(&first.id, TransactionEdit { category: Some(Some(fitness)), ..Default::default() })
        .expect("edit");
    let suggestion = vault.suggest_rule(&first.id).expect("suggest").expect("a suggestion");
    assert_eq!(
        (suggestion.payee.as_str(), suggestion.category.as_str(), suggestion.would_change),
        ("Gold's Gym", "Health:Fitness", 2)
    );
    let (rule, report) = vault.learn_rule(&suggestion).expect("learn");
    assert_eq!(rule.origin, credence_core::rules::RuleOrigin::Learned);
    assert_eq!(report.changed, 2);
    assert!(vault.suggest_rule(&first.id).expect("suggest").is_none(), "a rule already does it");
    let categories: Vec<_> =
        vault.transactions(&TransactionFilter::default()).expect("list").into_iter().map(|t| t.category).collect();
    assert!(categories.iter().all(|c| c.as_deref() == Some("Health:Fitness")));
}

#[test]
fn a_card_payment_on_both_statements_is_one_transfer() {
    let dir = tempfile::tempdir().expect("tempdir");
    let (_, mut vault) = create(dir.path());
    let checking = account(&mut vault, "Checking", AccountKind::Checking);
    let card = account(&mut vault, "Visa", AccountKind::CreditCard);
    let bank = statement(
        dir.path(),
        "bank.csv",
        &[("06/03/2024", "CHASE CREDIT CRD AUTOPAY", "-250.00"), ("06/04/2024", "GROCER", "-250.00")],
    );
    let visa = statement(
        dir.path(),
        "visa.csv",
        &[("06/05/2024", "AUTOMATIC PAYMENT - THANK", "250.00"), ("06/06/2024", "REFUND GROCER", "250.00")],
    );
    vault.import_file(&bank, &checking, &ImportOptions::default(), &mut |_| {}).expect("bank");
    let r = vault.import_file(&visa, &card, &ImportOptions::default(), &mut |_| {}).expect("visa");
    assert_eq!(r.transfers, 1);
    let all = vault.transactions(&TransactionFilter::default()).expect("list");
    let out = all.iter().find(|t| t.original_payee.as_deref() == Some("CHASE CREDIT CRD AUTOPAY")).expect("out");
    let into = all.iter().find(|t| t.original_payee.as_deref() == Some("AUTOMATIC PAYMENT - THANK")).expect("in");
    assert_eq!(out.transfer_id.as_deref(), Some(into.id.as_str()));
    assert_eq!(into.transfer_id.as_deref(), Some(out.id.as_str()));
    assert_eq!(out.category.as_deref(), Some("Transfers"));
    let grocer = all.iter().find(|t| t.payee == "Grocer").expect("grocer");
    assert_eq!(grocer.transfer_id, None, "an ordinary purchase of the same amount is not a transfer");
}
