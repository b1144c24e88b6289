//! The commands the UI invokes. Each one parses its arguments, calls core on the vault thread and maps
//! the answer; what a command means lives in core.

use std::sync::atomic::Ordering;
use std::time::Duration;

use chrono::{Local, NaiveDate};
use credence_api as api;
use credence_api::ApiError;
use credence_core::analytics;
use credence_core::charts::{self, ChartKind};
use credence_core::import::ImportOptions;
use credence_core::score::{self, simulate, CreditProfile, WhatIf};
use credence_core::{Passphrase, TransactionEdit, Vault};
use tauri::ipc::Channel;
use tauri::{AppHandle, State};

use crate::chosen::{self, ChosenFiles};
use crate::session::Session;
use crate::settings::SettingsFile;
use credence_api::convert::{self, api_error, invalid};

type Reply<T> = Result<T, ApiError>;

fn today() -> NaiveDate {
    Local::now().date_naive()
}

// --- The vault: create, unlock, lock ---

#[tauri::command(rename_all = "snake_case")]
pub async fn vault_status(session: State<'_, Session>) -> Reply<api::VaultStatus> {
    session.run(|s| Ok(status(&s.path, s.vault.is_some(), None))).await
}

fn status(path: &std::path::Path, unlocked: bool, keychain_note: Option<String>) -> api::VaultStatus {
    api::VaultStatus {
        path: path.display().to_string(),
        exists: path.exists(),
        unlocked,
        remembered: Vault::is_remembered(path),
        keychain_note,
    }
}

#[tauri::command(rename_all = "snake_case")]
pub fn passphrase_strength(passphrase: String) -> api::PassphraseStrength {
    let strength = Passphrase::new(passphrase).strength();
    api::PassphraseStrength { score: strength.score, acceptable: strength.acceptable, feedback: strength.feedback }
}

#[tauri::command(rename_all = "snake_case")]
pub async fn create_vault(session: State<'_, Session>, passphrase: String, remember: bool) -> Reply<api::CreatedVault> {
    session.mark_input();
    session
        .run(move |s| {
            let (vault, recovery) = Vault::create(&s.path, &Passphrase::new(passphrase)).map_err(|e| api_error(&e))?;
            let keychain_note =
                remember.then(|| vault.remember_on_device().err()).flatten().map(|e| api_error(&e).message);
            let recovery_key = recovery.dangerously_to_words().to_string();
            s.vault = Some(vault);
            Ok(api::CreatedVault { recovery_key, keychain_note })
        })
        .await
}

/// Opens the vault with the passphrase, or without one from this device's keychain.
#[tauri::command(rename_all = "snake_case")]
pub async fn unlock(
    session: State<'_, Session>,
    passphrase: Option<String>,
    remember: bool,
) -> Reply<api::VaultStatus> {
    session.cancel.store(false, Ordering::Relaxed);
    session.mark_input();
    session
        .run(move |s| {
            let vault = match passphrase {
                Some(p) => Vault::open(&s.path, &Passphrase::new(p)),
                None => Vault::open_remembered(&s.path),
            }
            .map_err(|e| api_error(&e))?;
            let keychain_note =
                remember.then(|| vault.remember_on_device().err()).flatten().map(|e| api_error(&e).message);
            s.vault = Some(vault);
            Ok(status(&s.path, true, keychain_note))
        })
        .await
}

/// The person typed, clicked or scrolled: the idle lock's time starts again.
#[tauri::command(rename_all = "snake_case")]
pub fn user_active(session: State<'_, Session>) {
    session.mark_input();
}

#[tauri::command(rename_all = "snake_case")]
pub async fn lock(session: State<'_, Session>) -> Reply<()> {
    session
        .run(|s| {
            s.vault = None;
            Ok(())
        })
        .await
}

#[tauri::command(rename_all = "snake_case")]
pub async fn forget_device(session: State<'_, Session>) -> Reply<bool> {
    session.run(|s| Vault::forget_on_device(&s.path).map_err(|e| api_error(&e))).await
}

#[tauri::command(rename_all = "snake_case")]
pub async fn change_passphrase(session: State<'_, Session>, current: String, new: String) -> Reply<()> {
    session
        .run(move |s| {
            // Proves the person at the keyboard knows the passphrase, not only that the vault is open.
            drop(Vault::open(&s.path, &Passphrase::new(current)).map_err(|e| api_error(&e))?);
            let vault = s.vault.as_mut().ok_or_else(|| invalid("Unlock the vault first."))?;
            vault.change_passphrase(&Passphrase::new(new)).map_err(|e| api_error(&e))
        })
        .await
}

// --- Accounts and categories ---

#[tauri::command(rename_all = "snake_case")]
pub async fn accounts(session: State<'_, Session>) -> Reply<Vec<api::Account>> {
    session.with_vault(|v| v.accounts()).await.map(|a| a.into_iter().map(convert::account).collect())
}

#[tauri::command(rename_all = "snake_case")]
pub async fn add_account(session: State<'_, Session>, account: api::NewAccount) -> Reply<api::Account> {
    let new = convert::new_account(account)?;
    session.with_vault(move |v| v.add_account(new)).await.map(convert::account)
}

#[tauri::command(rename_all = "snake_case")]
pub async fn edit_account(session: State<'_, Session>, edit: api::AccountEdit) -> Reply<api::Account> {
    let changes = convert::account_changes(&edit)?;
    session.with_vault(move |v| convert::edit_account(v, &edit.id, &edit, &changes)).await
}

#[tauri::command(rename_all = "snake_case")]
pub async fn set_account_archived(session: State<'_, Session>, id: String, archived: bool) -> Reply<api::Account> {
    session.with_vault(move |v| v.set_account_archived(&id, archived)).await.map(convert::account)
}

#[tauri::command(rename_all = "snake_case")]
pub async fn categories(session: State<'_, Session>) -> Reply<Vec<api::Category>> {
    session.with_vault(|v| v.categories()).await.map(|c| c.into_iter().map(convert::category).collect())
}

#[tauri::command(rename_all = "snake_case")]
pub async fn add_category(session: State<'_, Session>, category_path: String) -> Reply<api::Category> {
    session.with_vault(move |v| v.add_category(&category_path, None)).await.map(convert::category)
}

// --- Transactions ---

#[tauri::command(rename_all = "snake_case")]
pub async fn transactions(session: State<'_, Session>, query: api::TransactionQuery) -> Reply<api::TransactionPage> {
    let filter = convert::transaction_filter(&query);
    let with_total = query.with_total;
    session
        .with_vault(move |v| {
            Ok((with_total.then(|| v.count_transactions(&filter)).transpose()?, v.transactions(&filter)?))
        })
        .await
        .map(|(total, rows)| api::TransactionPage {
            total,
            offset: query.offset,
            rows: rows.into_iter().map(convert::transaction).collect(),
        })
}

#[tauri::command(rename_all = "snake_case")]
pub async fn add_transaction(session: State<'_, Session>, transaction: api::NewTransaction) -> Reply<api::Transaction> {
    let new = convert::new_transaction(transaction)?;
    session.with_vault(move |v| v.add_transaction(new)).await.map(convert::transaction)
}

#[tauri::command(rename_all = "snake_case")]
pub async fn edit_transaction(session: State<'_, Session>, edit: api::TransactionChange) -> Reply<api::Transaction> {
    let change = convert::transaction_edit(&edit)?;
    session.with_vault(move |v| v.edit_transaction(&edit.id, change)).await.map(convert::transaction)
}

/// Files a transaction under a category (or none) and offers a rule for its payee.
#[tauri::command(rename_all = "snake_case")]
pub async fn set_category(
    session: State<'_, Session>,
    id: String,
    category_id: Option<String>,
) -> Reply<api::Recategorized> {
    let category = Some(category_id.filter(|c| !c.is_empty()));
    session
        .with_vault(move |v| {
            let transaction = v.edit_transaction(&id, TransactionEdit { category, ..Default::default() })?;
            let suggestion = v.suggest_rule(&id)?;
            Ok((transaction, suggestion))
        })
        .await
        .map(|(t, s)| api::Recategorized {
            transaction: convert::transaction(t),
            suggested_rule: s.map(convert::suggested_rule),
        })
}

/// Creates the rule `set_category` offered for this transaction's payee and applies it.
#[tauri::command(rename_all = "snake_case")]
pub async fn learn_rule(session: State<'_, Session>, transaction_id: String) -> Reply<api::RulesApplied> {
    session
        .with_vault(move |v| {
            let suggestion = v
                .suggest_rule(&transaction_id)?
                .ok_or_else(|| credence_core::Error::Invalid("this payee already has a rule".into()))?;
            v.learn_rule(&suggestion).map(|(_, applied)| applied)
        })
        .await
        .map(convert::rules_applied)
}

#[tauri::command(rename_all = "snake_case")]
pub async fn delete_transaction(session: State<'_, Session>, id: String) -> Reply<()> {
    session.with_vault(move |v| v.delete_transaction(&id).map(drop)).await
}

/// Reverts the last change; answers what was undone.
#[tauri::command(rename_all = "snake_case")]
pub async fn undo(session: State<'_, Session>) -> Reply<String> {
    session.with_vault(|v| v.undo()).await
}

#[tauri::command(rename_all = "snake_case")]
pub async fn history(session: State<'_, Session>, limit: usize) -> Reply<Vec<api::HistoryEntry>> {
    session
        .with_vault(move |v| v.history(limit))
        .await
        .map(|ops| ops.into_iter().map(|op| convert::history_entry(op, false)).collect())
}

// --- Import ---

#[tauri::command(rename_all = "snake_case")]
pub fn import_formats() -> Vec<api::Format> {
    convert::import_formats()
}

/// The native file dialog for `purpose`; the file chosen, held by handle (`None`: cancelled).
#[tauri::command(rename_all = "snake_case")]
pub async fn pick_file(
    app: AppHandle,
    chosen: State<'_, ChosenFiles>,
    purpose: api::FilePurpose,
) -> Reply<Option<api::ChosenFile>> {
    let picked = tauri::async_runtime::spawn_blocking(move || chosen::ask(&app, purpose))
        .await
        .map_err(|_| invalid("the file dialog could not be opened"))?;
    Ok(picked.map(|path| chosen.hold(path, purpose)))
}

/// Imports a statement, or with `dry_run` previews every row's outcome. Progress goes to `on_progress`;
/// `cancel_import` stops it with nothing written.
#[tauri::command(rename_all = "snake_case")]
pub async fn import_statement(
    session: State<'_, Session>,
    chosen: State<'_, ChosenFiles>,
    request: api::ImportRequest,
    on_progress: Channel<api::ImportProgress>,
) -> Reply<api::ImportReport> {
    session.cancel.store(false, Ordering::Relaxed);
    let options = ImportOptions { cancel: Some(session.cancel.clone()), ..convert::app_import_options(&request) };
    let path = chosen.to_read(&request.file)?;
    session
        .with_vault(move |v| {
            let currency = v.account(&request.account_id)?.currency;
            let report = v.import_file(&path, &request.account_id, &options, &mut |p| {
                let _ = on_progress.send(api::ImportProgress { rows_done: p.rows_done, rows_total: p.rows_total });
            })?;
            Ok(convert::import_report(report, &currency, 1, convert::PREVIEW_ROWS))
        })
        .await
}

#[tauri::command(rename_all = "snake_case")]
pub fn cancel_import(session: State<'_, Session>) {
    session.request_cancel();
}

#[tauri::command(rename_all = "snake_case")]
pub async fn import_batches(session: State<'_, Session>) -> Reply<Vec<api::ImportBatch>> {
    session.with_vault(|v| v.import_batches()).await.map(|b| b.into_iter().map(convert::import_batch).collect())
}

#[tauri::command(rename_all = "snake_case")]
pub async fn undo_import(session: State<'_, Session>, batch: String) -> Reply<api::ImportBatch> {
    session.with_vault(move |v| v.undo_import(&batch)).await.map(convert::import_batch)
}

// --- Rules ---

#[tauri::command(rename_all = "snake_case")]
pub async fn rules(session: State<'_, Session>) -> Reply<Vec<api::Rule>> {
    session
        .with_vault(|v| Ok((v.rules()?, v.rule_names()?)))
        .await
        .map(|(rules, names)| rules.into_iter().map(|r| convert::rule(r, &names)).collect())
}

#[tauri::command(rename_all = "snake_case")]
pub async fn add_rule(session: State<'_, Session>, rule: api::NewRule) -> Reply<api::Rule> {
    let position = rule.position;
    let (conditions, actions) = convert::new_rule(rule)?;
    session
        .with_vault(move |v| Ok((v.add_rule(conditions, actions, position)?, v.rule_names()?)))
        .await
        .map(|(rule, names)| convert::rule(rule, &names))
}

#[tauri::command(rename_all = "snake_case")]
pub async fn delete_rule(session: State<'_, Session>, id: String) -> Reply<()> {
    session.with_vault(move |v| v.delete_rule(&id).map(drop)).await
}

#[tauri::command(rename_all = "snake_case")]
pub async fn apply_rules(session: State<'_, Session>) -> Reply<api::RulesApplied> {
    session.with_vault(|v| v.apply_rules(None, false)).await.map(convert::rules_applied)
}

// --- Reports and the score ---

/// This month against last, spending by category, net worth and utilization, in the currency most
/// accounts use.
#[tauri::command(rename_all = "snake_case")]
pub async fn dashboard(session: State<'_, Session>) -> Reply<api::Dashboard> {
    session.with_vault(|v| v.dashboard(today(), None)).await.map(convert::dashboard)
}

#[tauri::command(rename_all = "snake_case")]
pub async fn custom_report(session: State<'_, Session>, request: api::ReportRequest) -> Reply<Vec<api::ReportRow>> {
    let query = convert::report_query(request)?;
    session
        .with_vault(move |v| v.custom_report(&query))
        .await
        .map(|rows| rows.into_iter().map(convert::report_row).collect())
}

/// The trend of `measure` (income, spending or net) over what `request` selects, per its period, with
/// a `window`-period moving average and its chart in `theme`.
#[tauri::command(rename_all = "snake_case")]
pub async fn trend(
    session: State<'_, Session>,
    request: api::ReportRequest,
    measure: String,
    window: usize,
    theme: String,
) -> Reply<Vec<api::Trend>> {
    let query = convert::report_query(request)?;
    let measure = convert::measure(Some(&measure))?;
    let theme = convert::theme(Some(&theme))?;
    session.with_vault(move |v| convert::trends(v, &query, measure, window, today(), Some(theme))).await
}

#[tauri::command(rename_all = "snake_case")]
pub async fn saved_reports(session: State<'_, Session>) -> Reply<Vec<api::SavedReport>> {
    session.with_vault(|v| v.saved_reports()).await.map(|all| all.into_iter().map(convert::saved_report).collect())
}

#[tauri::command(rename_all = "snake_case")]
pub async fn save_report(session: State<'_, Session>, name: String, request: api::ReportRequest) -> Reply<()> {
    let query = convert::report_query(request)?;
    session.with_vault(move |v| v.save_report(&name, &query)).await
}

#[tauri::command(rename_all = "snake_case")]
pub async fn delete_saved_report(session: State<'_, Session>, name: String) -> Reply<()> {
    session.with_vault(move |v| v.delete_saved_report(&name)).await
}

/// Asks where to save, then writes the report there as CSV; `None` when the user cancelled.
#[tauri::command(rename_all = "snake_case")]
pub async fn export_report(
    app: AppHandle,
    session: State<'_, Session>,
    request: api::ReportRequest,
) -> Reply<Option<String>> {
    let query = convert::report_query(request)?;
    let picked = tauri::async_runtime::spawn_blocking(move || chosen::ask(&app, chosen::REPORT_OUT))
        .await
        .map_err(|_| invalid("the file dialog could not be opened"))?;
    let Some(path) = picked else { return Ok(None) };
    let csv = session.with_vault(move |v| analytics::report_csv(&v.custom_report(&query)?)).await?;
    credence_core::files::write_atomically(&path, csv.as_bytes()).map_err(|e| api_error(&e))?;
    Ok(Some(path.display().to_string()))
}

/// A chart of the last `months` months as an SVG document (kind: monthly, categories, net-worth,
/// utilization, score; theme: light or dark).
#[tauri::command(rename_all = "snake_case")]
pub async fn chart(session: State<'_, Session>, kind: String, theme: String, months: u32) -> Reply<String> {
    let kind: ChartKind = kind.parse().map_err(|e| api_error(&e))?;
    let theme: charts::Theme = theme.parse().map_err(|e| api_error(&e))?;
    session.with_vault(move |v| charts::svg(&v.chart(kind, today(), months, None)?, theme)).await
}

/// This month's budgets with what was spent against them.
#[tauri::command(rename_all = "snake_case")]
pub async fn budgets(session: State<'_, Session>) -> Reply<Vec<api::Budget>> {
    session.with_vault(|v| v.budgets(today())).await.map(|b| b.into_iter().map(convert::budget).collect())
}

/// Sets a category's monthly budget from this month on (0 ends it).
#[tauri::command(rename_all = "snake_case")]
pub async fn set_budget(session: State<'_, Session>, budget: api::NewBudget) -> Reply<()> {
    let amount = convert::decimal(&budget.amount)?;
    session.with_vault(move |v| v.set_budget(&budget.category_id, amount, &budget.currency, today())).await
}

/// What the coach says today, at the utilization target of the settings; new alerts worth it raise
/// an OS notification (`alerts.rs`).
#[tauri::command(rename_all = "snake_case")]
pub async fn coach(app: AppHandle) -> Reply<api::Coach> {
    crate::alerts::ask(&app).await.map(convert::coach)
}

#[tauri::command(rename_all = "snake_case")]
pub async fn on_time_bills(session: State<'_, Session>) -> Reply<api::OnTimeBills> {
    session.with_vault(|v| v.on_time_bills(today())).await.map(convert::on_time_bills)
}

#[tauri::command(rename_all = "snake_case")]
pub async fn recurring(session: State<'_, Session>) -> Reply<Vec<api::Recurring>> {
    let series = session.with_vault(|v| v.recurring_payments(today())).await?;
    Ok(series.into_iter().filter(analytics::RecurringSeries::is_running).map(convert::recurring).collect())
}

/// The estimate of the vault's credit report in `flavour` (default FICO 8), with calibration to the
/// scores the user saw, what to do, and the cards the simulator can pay down.
#[tauri::command(rename_all = "snake_case")]
pub async fn score(session: State<'_, Session>, flavour: Option<String>) -> Reply<api::Score> {
    let (as_of, flavour) = (today(), convert::flavour(flavour.as_deref())?);
    session
        .with_vault(move |v| v.credit_report(as_of))
        .await
        .map(|profile| convert::score_overview(&profile, as_of, flavour))
}

/// Keeps the first-score wizard's answers as the credit report and scores it.
#[tauri::command(rename_all = "snake_case")]
pub async fn first_score(session: State<'_, Session>, answers: api::FirstScoreAnswers) -> Reply<api::FirstScore> {
    let as_of = today();
    let answers = convert::first_score_answers(&answers)?;
    session.with_vault(move |v| convert::first_score(v, &answers, as_of)).await
}

/// Keeps a credit report file (the JSON exchange format) in the vault, replacing the one there.
#[tauri::command(rename_all = "snake_case")]
pub async fn import_credit_report(
    session: State<'_, Session>,
    chosen: State<'_, ChosenFiles>,
    file: String,
) -> Reply<api::CreditCounts> {
    let profile = CreditProfile::read(&chosen.to_read(&file)?).map_err(|e| api_error(&e))?;
    session.with_vault(move |v| v.replace_credit_report(&profile)).await.map(convert::credit_counts)
}

/// Writes the vault's credit report, as a credit-profile JSON file, where the user chose to save it.
#[tauri::command(rename_all = "snake_case")]
pub async fn export_credit_report(
    session: State<'_, Session>,
    chosen: State<'_, ChosenFiles>,
    file: String,
) -> Reply<String> {
    let as_of = today();
    let path = chosen.to_write(&file)?;
    let json = session.with_vault(move |v| Ok(v.credit_report(as_of)?.to_json())).await?;
    credence_core::files::write_atomically(&path, (json + "\n").as_bytes()).map_err(|e| api_error(&e))?;
    Ok(path.display().to_string())
}

/// Every item of the credit report, with the editor's forms.
#[tauri::command(rename_all = "snake_case")]
pub async fn credit_file(session: State<'_, Session>) -> Reply<api::CreditFile> {
    let as_of = today();
    session.with_vault(move |v| convert::credit_file(v, as_of)).await
}

#[tauri::command(rename_all = "snake_case")]
pub async fn add_credit_item(
    session: State<'_, Session>,
    kind: String,
    fields: Vec<(String, String)>,
) -> Reply<String> {
    session.with_vault(move |v| v.add_credit_fields(&kind, &fields)).await
}

#[tauri::command(rename_all = "snake_case")]
pub async fn edit_credit_item(session: State<'_, Session>, id: String, fields: Vec<(String, String)>) -> Reply<()> {
    session.with_vault(move |v| v.edit_credit_fields(&id, &fields)).await
}

#[tauri::command(rename_all = "snake_case")]
pub async fn remove_credit_item(session: State<'_, Session>, id: String) -> Reply<()> {
    session.with_vault(move |v| v.remove_credit_item(&id)).await
}

/// Sets one month of a tradeline's payment history (status: ok, 30, 60, 90, 120 or chargeoff).
#[tauri::command(rename_all = "snake_case")]
pub async fn set_payment_month(
    session: State<'_, Session>,
    tradeline: String,
    month: String,
    status: String,
) -> Reply<()> {
    let (month, status) = convert::payment_change(&month, &status)?;
    session.with_vault(move |v| v.set_payment_month(&tradeline, month, status)).await
}

#[tauri::command(rename_all = "snake_case")]
pub async fn link_credit_account(session: State<'_, Session>, tradeline: String, account_id: String) -> Reply<()> {
    session.with_vault(move |v| v.link_credit_account(&tradeline, &account_id)).await
}

#[tauri::command(rename_all = "snake_case")]
pub async fn unlink_credit_account(session: State<'_, Session>, tradeline: String) -> Reply<()> {
    let as_of = today();
    session.with_vault(move |v| v.unlink_credit_account(&tradeline, as_of)).await
}

/// Records a score the user saw elsewhere today ("742 on Experian, FICO 8").
#[tauri::command(rename_all = "snake_case")]
pub async fn report_score(session: State<'_, Session>, value: String, family: String, bureau: String) -> Reply<()> {
    let fields = convert::reported_score_fields(&api::ReportedScore { value, family, bureau }, today());
    session.with_vault(move |v| v.add_credit_fields("reported_score", &fields).map(|_| ())).await
}

/// The estimate after the changes given, applied in core's one order (`WhatIf::parse_all`).
#[tauri::command(rename_all = "snake_case")]
pub async fn simulate_score(
    session: State<'_, Session>,
    changes: Vec<api::ScoreChange>,
    flavour: Option<String>,
) -> Reply<api::ScoreSimulation> {
    let (as_of, flavour) = (today(), convert::flavour(flavour.as_deref())?);
    let list =
        WhatIf::parse_all(changes.iter().map(|c| (c.kind.as_str(), c.value.as_str()))).map_err(|e| api_error(&e))?;
    let profile = session.with_vault(move |v| v.credit_report(as_of)).await?;
    simulate(&profile, as_of, flavour, &list).map(|s| convert::simulation(s, as_of)).map_err(|e| api_error(&e))
}

/// How to reach `target` by `by` (YYYY-MM-DD; default within 24 months).
#[tauri::command(rename_all = "snake_case")]
pub async fn score_plan(
    session: State<'_, Session>,
    target: u16,
    by: Option<String>,
    flavour: Option<String>,
) -> Reply<api::ScorePlan> {
    let (as_of, flavour) = (today(), convert::flavour(flavour.as_deref())?);
    let by = convert::optional_date(by.as_deref(), "by")?;
    let target = convert::target_score(target)?;
    let profile = session.with_vault(move |v| v.credit_report(as_of)).await?;
    Ok(convert::plan(&score::plan(&profile, as_of, flavour, target, by), as_of))
}

/// The estimate over the last `back` months and the next `forward` (if nothing changes), with the
/// scores the user saw and the aging calendar, charted in `theme`.
#[tauri::command(rename_all = "snake_case")]
pub async fn score_timeline(
    session: State<'_, Session>,
    flavour: Option<String>,
    theme: String,
    back: u32,
    forward: u32,
) -> Reply<api::ScoreTimeline> {
    let (as_of, flavour) = (today(), convert::flavour(flavour.as_deref())?);
    let theme = convert::theme(Some(&theme))?;
    let profile = session.with_vault(move |v| v.credit_report(as_of)).await?;
    convert::score_timeline(&profile, as_of, flavour, (back, forward), theme).map_err(|e| api_error(&e))
}

/// Two flavours side by side, and why they differ.
#[tauri::command(rename_all = "snake_case")]
pub async fn compare_scores(session: State<'_, Session>, first: String, second: String) -> Reply<api::ScoreComparison> {
    let (as_of, first, second) = (today(), convert::flavour(Some(&first))?, convert::flavour(Some(&second))?);
    let profile = session.with_vault(move |v| v.credit_report(as_of)).await?;
    Ok(convert::comparison(score::compare(&profile, as_of, first, second), as_of))
}

// --- Settings and backup ---

/// Issues a new recovery key and retires the old one; the 24 words, to show once.
#[tauri::command(rename_all = "snake_case")]
pub async fn new_recovery_key(session: State<'_, Session>) -> Reply<String> {
    session.with_vault(|v| v.new_recovery_key().map(|k| k.dangerously_to_words().to_string())).await
}

#[tauri::command(rename_all = "snake_case")]
pub async fn backup(
    session: State<'_, Session>,
    chosen: State<'_, ChosenFiles>,
    file: String,
) -> Reply<api::BackupDone> {
    let path = chosen.to_write(&file)?;
    session.with_vault(move |v| v.backup(&path)).await.map(|b| convert::backup_done(&b))
}

/// Replaces the vault with a backup (the passphrase is the one current when the backup was made). A
/// wrong file or passphrase is refused with the vault still open; then the open vault is closed (core
/// replaces no vault that is open anywhere) and the restored one is left unlocked, or on a failure from
/// there, the vault is locked.
#[tauri::command(rename_all = "snake_case")]
pub async fn restore(
    session: State<'_, Session>,
    chosen: State<'_, ChosenFiles>,
    file: String,
    passphrase: String,
) -> Reply<api::VaultStatus> {
    let backup = chosen.to_read(&file)?;
    let passphrase = Passphrase::new(passphrase);
    session
        .run(move |s| {
            Vault::check_backup(&backup, &passphrase).map_err(|e| api_error(&e))?;
            s.vault = None;
            let vault = Vault::restore(&backup, &s.path, &passphrase).map_err(|e| api_error(&e))?;
            s.vault = Some(vault);
            Ok(status(&s.path, true, None))
        })
        .await
}

/// Key rotation: the database re-encrypted under a new key; the new recovery key's 24 words, to show once.
#[tauri::command(rename_all = "snake_case")]
pub async fn rekey(session: State<'_, Session>, passphrase: String) -> Reply<String> {
    session
        .with_vault(move |v| v.rekey(&Passphrase::new(passphrase)).map(|k| k.dangerously_to_words().to_string()))
        .await
}

#[tauri::command(rename_all = "snake_case")]
pub fn settings(file: State<'_, SettingsFile>) -> api::Settings {
    file.load()
}

#[tauri::command(rename_all = "snake_case")]
pub fn save_settings(file: State<'_, SettingsFile>, session: State<'_, Session>, settings: api::Settings) -> Reply<()> {
    file.save(&settings)?;
    session.set_idle_lock(idle_lock(&settings));
    Ok(())
}

pub fn idle_lock(settings: &api::Settings) -> Option<Duration> {
    (settings.auto_lock_minutes > 0).then(|| Duration::from_secs(u64::from(settings.auto_lock_minutes) * 60))
}
