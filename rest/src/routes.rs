//! The `/api/v1` handlers: read the request (the contract's readers), call core, answer a contract
//! shape. Updates and deletes of a transaction need `If-Match` with the `ETag` it was read with, so two
//! writers cannot silently overwrite each other.

use axum::extract::{Path, State};
use axum::http::{header, HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::{delete, get, patch, post, put};
use axum::{Json, Router};
use chrono::{Local, NaiveDate};
use credence_api::{self as api, convert, ErrorCode, Problem};
use credence_core::score::{simulate, WhatIf};
use credence_core::{CategoryKind, Vault};
use sha2::{Digest, Sha256};

use crate::problem::{Failure, JsonBody, JsonList, Params, RawBody};
use crate::Server;

type Answer<T> = Result<T, Failure>;

/// The most transactions one bulk request may add.
const BULK_LIMIT: usize = 10_000;

pub(crate) fn all() -> Router<Server> {
    Router::new()
        .route("/api/v1/accounts", get(accounts).post(add_account))
        .route("/api/v1/accounts/{id}", get(account).patch(edit_account))
        .route("/api/v1/categories", get(categories).post(add_category))
        .route("/api/v1/transactions", get(transactions).post(add_transaction))
        .route("/api/v1/transactions/bulk", post(add_transactions))
        .route("/api/v1/transactions/{id}", get(transaction).patch(edit_transaction).delete(delete_transaction))
        .route("/api/v1/imports", get(imports).post(import_statement))
        .route("/api/v1/imports/formats", get(import_formats))
        .route("/api/v1/imports/{batch}", delete(undo_import))
        .route("/api/v1/rules", get(rules).post(add_rule))
        .route("/api/v1/rules/apply", post(apply_rules))
        .route("/api/v1/rules/{id}", delete(delete_rule))
        .route("/api/v1/analytics/dashboard", get(dashboard))
        .route("/api/v1/reports/monthly", get(monthly_report))
        .route("/api/v1/reports/custom", post(custom_report))
        .route("/api/v1/reports/trend", post(trend_report))
        .route("/api/v1/reports/saved", get(saved_reports))
        .route("/api/v1/reports/saved/{name}", get(run_saved_report).put(save_report).delete(delete_saved_report))
        .route("/api/v1/charts/{kind}", get(chart))
        .route("/api/v1/budgets", get(budgets).put(set_budget))
        .route("/api/v1/recurring", get(recurring))
        .route("/api/v1/coach", get(coach))
        .route("/api/v1/coach/bills", get(on_time_bills))
        .route("/api/v1/credit-score", get(credit_score))
        .route("/api/v1/credit-score/factors", get(score_factors))
        .route("/api/v1/credit-score/history", get(score_history))
        .route("/api/v1/credit-score/compare", get(compare_scores))
        .route("/api/v1/credit-score/simulate", post(simulate_score))
        .route("/api/v1/credit-score/plan", get(score_plan))
        .route("/api/v1/credit-score/reported", post(report_score))
        .route("/api/v1/credit-file", get(credit_file))
        .route("/api/v1/credit-file/report", get(export_credit_report).put(replace_credit_report))
        .route("/api/v1/credit-file/first-score", post(first_score))
        .route("/api/v1/credit-file/items", post(add_credit_item))
        .route("/api/v1/credit-file/items/{id}", patch(edit_credit_item).delete(remove_credit_item))
        .route("/api/v1/credit-file/tradelines/{tradeline}/months/{month}", put(set_payment_month))
        .route(
            "/api/v1/credit-file/tradelines/{tradeline}/account",
            put(link_credit_account).delete(unlink_credit_account),
        )
        .route("/api/v1/changes", get(changes))
        .route("/api/v1/undo", post(undo))
}

fn today() -> NaiveDate {
    Local::now().date_naive()
}

pub(crate) async fn not_found() -> Failure {
    Failure::new(
        ErrorCode::NotFound,
        "There is nothing at this address; the API is under /api/v1 (see /api/v1/openapi.json).",
    )
}

// --- Accounts and categories ---

/// Every account with its balance.
#[utoipa::path(get, path = "/api/v1/accounts", tag = "accounts",
    responses((status = 200, body = Vec<api::Account>), (status = 401, body = Problem)))]
pub(crate) async fn accounts(State(server): State<Server>) -> Answer<Json<Vec<api::Account>>> {
    server.with_vault(|v| Ok(v.accounts()?.into_iter().map(convert::account).collect())).await.map(Json)
}

/// One account.
#[utoipa::path(get, path = "/api/v1/accounts/{id}", tag = "accounts", params(("id" = String, Path)),
    responses((status = 200, body = api::Account), (status = 401, body = Problem), (status = 404, body = Problem)))]
pub(crate) async fn account(State(server): State<Server>, Path(id): Path<String>) -> Answer<Json<api::Account>> {
    server.with_vault(move |v| Ok(convert::account(v.account(&id)?))).await.map(Json)
}

/// Renames an account, changes or removes its limit, archives it or brings it back.
#[utoipa::path(patch, path = "/api/v1/accounts/{id}", tag = "accounts", params(("id" = String, Path)),
    request_body = api::AccountEdit,
    responses((status = 200, body = api::Account), (status = 400, body = Problem), (status = 401, body = Problem),
        (status = 404, body = Problem), (status = 409, body = Problem), (status = 422, body = Problem)))]
pub(crate) async fn edit_account(
    State(server): State<Server>,
    Path(id): Path<String>,
    JsonBody(edit): JsonBody<api::AccountEdit>,
) -> Answer<Json<api::Account>> {
    let changes = convert::account_changes(&edit)?;
    server.with_vault(move |v| Ok(convert::edit_account(v, &id, &edit, &changes)?)).await.map(Json)
}

/// Adds an account.
#[utoipa::path(post, path = "/api/v1/accounts", tag = "accounts", request_body = api::NewAccount,
    responses((status = 201, body = api::Account), (status = 400, body = Problem), (status = 401, body = Problem),
        (status = 409, body = Problem), (status = 422, body = Problem)))]
pub(crate) async fn add_account(
    State(server): State<Server>,
    JsonBody(new): JsonBody<api::NewAccount>,
) -> Answer<Response> {
    let new = convert::new_account(new)?;
    let added = server.with_vault(move |v| Ok(convert::account(v.add_account(new)?))).await?;
    Ok(created(&format!("/api/v1/accounts/{}", added.id), None, added))
}

/// Every category, by full path.
#[utoipa::path(get, path = "/api/v1/categories", tag = "categories",
    responses((status = 200, body = Vec<api::Category>), (status = 401, body = Problem)))]
pub(crate) async fn categories(State(server): State<Server>) -> Answer<Json<Vec<api::Category>>> {
    server.with_vault(|v| Ok(v.categories()?.into_iter().map(convert::category).collect())).await.map(Json)
}

/// Adds a category by path; missing parents are created.
#[utoipa::path(post, path = "/api/v1/categories", tag = "categories", request_body = api::NewCategory,
    responses((status = 201, body = api::Category), (status = 400, body = Problem), (status = 401, body = Problem),
        (status = 409, body = Problem), (status = 422, body = Problem)))]
pub(crate) async fn add_category(
    State(server): State<Server>,
    JsonBody(new): JsonBody<api::NewCategory>,
) -> Answer<Response> {
    let kind = new
        .kind
        .as_deref()
        .map(str::parse::<CategoryKind>)
        .transpose()
        .map_err(|e| convert::api_error(&e).in_field("kind"))?;
    let added = server.with_vault(move |v| Ok(convert::category(v.add_category(&new.path, kind)?))).await?;
    Ok(created("/api/v1/categories", None, added))
}

// --- Transactions ---

/// A page of transactions, newest day first; follow `next_cursor` for the next.
#[utoipa::path(get, path = "/api/v1/transactions", tag = "transactions", params(api::TransactionListQuery),
    responses((status = 200, body = api::TransactionList), (status = 401, body = Problem),
        (status = 404, body = Problem, description = "The account or category to filter by does not exist"),
        (status = 422, body = Problem)))]
pub(crate) async fn transactions(
    State(server): State<Server>,
    Params(query): Params<api::TransactionListQuery>,
) -> Answer<Json<api::TransactionList>> {
    let filter = convert::transaction_list_filter(&query)?;
    let limit = filter.limit.unwrap_or_default();
    server.with_vault(move |v| Ok(convert::transaction_list(v.transactions(&filter)?, limit)?)).await.map(Json)
}

/// One transaction, with its `ETag`.
#[utoipa::path(get, path = "/api/v1/transactions/{id}", tag = "transactions", params(("id" = String, Path)),
    responses((status = 200, body = api::Transaction, headers(("ETag" = String))), (status = 401, body = Problem),
        (status = 404, body = Problem)))]
pub(crate) async fn transaction(State(server): State<Server>, Path(id): Path<String>) -> Answer<Response> {
    let found = server.with_vault(move |v| Ok(convert::transaction(v.transaction(&id)?))).await?;
    Ok(with_etag(StatusCode::OK, found))
}

/// Adds a transaction (money out negative).
#[utoipa::path(post, path = "/api/v1/transactions", tag = "transactions", request_body = api::NewTransaction,
    responses((status = 201, body = api::Transaction, headers(("ETag" = String), ("Location" = String))),
        (status = 400, body = Problem), (status = 401, body = Problem), (status = 404, body = Problem),
        (status = 409, body = Problem), (status = 422, body = Problem)))]
pub(crate) async fn add_transaction(
    State(server): State<Server>,
    JsonBody(new): JsonBody<api::NewTransaction>,
) -> Answer<Response> {
    let new = convert::new_transaction(new)?;
    let added = server.with_vault(move |v| Ok(convert::transaction(v.add_transaction(new)?))).await?;
    let etag = etag_of(&added);
    Ok(created(&format!("/api/v1/transactions/{}", added.id), Some(etag), added))
}

/// Adds many transactions as one change (one undo step); all or none.
#[utoipa::path(post, path = "/api/v1/transactions/bulk", tag = "transactions", request_body = Vec<api::NewTransaction>,
    responses((status = 201, body = api::BulkCreated), (status = 400, body = Problem), (status = 401, body = Problem),
        (status = 404, body = Problem), (status = 413, body = Problem), (status = 409, body = Problem), (status = 422, body = Problem)))]
pub(crate) async fn add_transactions(
    State(server): State<Server>,
    JsonList(rows): JsonList<Vec<api::object::Object<api::NewTransaction>>>,
) -> Answer<Response> {
    if rows.len() > BULK_LIMIT {
        return Err(Failure::new(ErrorCode::TooLarge, format!("At most {BULK_LIMIT} transactions a request.")));
    }
    let rows = rows
        .into_iter()
        .enumerate()
        .map(|(i, row)| {
            convert::new_transaction(row.0).map_err(|e| {
                let field = e.field.as_deref().map_or(format!("[{i}]"), |f| format!("[{i}].{f}"));
                Failure(e.in_field(field))
            })
        })
        .collect::<Result<Vec<_>, _>>()?;
    let summary = format!("Add {} transactions (API)", rows.len());
    let ids = server.with_vault(move |v| Ok(v.add_transactions(&summary, rows)?)).await?;
    let ids: Vec<String> = ids.iter().map(ToString::to_string).collect();
    Ok((StatusCode::CREATED, Json(api::BulkCreated { created: ids.len() as u64, ids })).into_response())
}

/// Changes a transaction's date, amount, payee or memo; needs `If-Match` with its current `ETag`.
#[utoipa::path(patch, path = "/api/v1/transactions/{id}", tag = "transactions",
    params(("id" = String, Path), ("If-Match" = String, Header, description = "The ETag the transaction was read with")),
    request_body = api::TransactionChange,
    responses((status = 200, body = api::Transaction, headers(("ETag" = String))), (status = 400, body = Problem),
        (status = 401, body = Problem), (status = 404, body = Problem), (status = 412, body = Problem),
        (status = 409, body = Problem), (status = 422, body = Problem), (status = 428, body = Problem)))]
pub(crate) async fn edit_transaction(
    State(server): State<Server>,
    Path(id): Path<String>,
    headers: HeaderMap,
    JsonBody(change): JsonBody<api::TransactionChange>,
) -> Answer<Response> {
    let expected = if_match(&headers)?;
    let edit = convert::transaction_edit(&change)?;
    let edited = server
        .with_vault(move |v| {
            check_unchanged(v, &id, &expected)?;
            Ok(convert::transaction(v.edit_transaction(&id, edit)?))
        })
        .await?;
    Ok(with_etag(StatusCode::OK, edited))
}

/// Deletes a transaction; needs `If-Match` with its current `ETag`.
#[utoipa::path(delete, path = "/api/v1/transactions/{id}", tag = "transactions",
    params(("id" = String, Path), ("If-Match" = String, Header, description = "The ETag the transaction was read with")),
    responses((status = 204), (status = 401, body = Problem), (status = 404, body = Problem),
        (status = 412, body = Problem), (status = 428, body = Problem)))]
pub(crate) async fn delete_transaction(
    State(server): State<Server>,
    Path(id): Path<String>,
    headers: HeaderMap,
) -> Answer<StatusCode> {
    let expected = if_match(&headers)?;
    server
        .with_vault(move |v| {
            check_unchanged(v, &id, &expected)?;
            v.delete_transaction(&id)?;
            Ok(StatusCode::NO_CONTENT)
        })
        .await
}

// --- Imports and rules ---

/// Past imports, newest first.
#[utoipa::path(get, path = "/api/v1/imports", tag = "imports",
    responses((status = 200, body = Vec<api::ImportBatch>), (status = 401, body = Problem)))]
pub(crate) async fn imports(State(server): State<Server>) -> Answer<Json<Vec<api::ImportBatch>>> {
    server.with_vault(|v| Ok(v.import_batches()?.into_iter().map(convert::import_batch).collect())).await.map(Json)
}

/// Imports a bank statement sent as the body (CSV in a known or mapped layout, OFX, QFX, CAMT.053):
/// the same import as the app's and the CLI's, with its decisions, duplicates, rejected rows and a
/// preview of the new rows. A guessed layout, date order, decimal mark or sign is refused (422) until
/// `accept_guess`; `dry_run` writes nothing.
#[utoipa::path(post, path = "/api/v1/imports", tag = "imports", params(api::ImportQuery),
    request_body(content = Vec<u8>, content_type = "application/octet-stream", description = "The statement file"),
    responses((status = 200, body = api::ImportReport), (status = 401, body = Problem), (status = 404, body = Problem),
        (status = 413, body = Problem), (status = 409, body = Problem), (status = 422, body = Problem)))]
pub(crate) async fn import_statement(
    State(server): State<Server>,
    Params(query): Params<api::ImportQuery>,
    RawBody(body): RawBody,
) -> Answer<Json<api::ImportReport>> {
    let name = upload_name(&query.file_name)?;
    let options = convert::import_options(&query, convert::PREVIEW_ROWS);
    server
        .with_vault(move |v| {
            let currency = v.account(&query.account_id)?.currency;
            // The statement is read from a file: written owner-only into a folder of its own beside the
            // vault under the bank's file name (its extension picks the reader), removed afterwards.
            let folder = credence_core::files::temp_beside(v.path(), ".upload");
            credence_core::files::create_dir_owner_only(&folder)?;
            let file = folder.join(name);
            let imported = (|| {
                use std::io::Write;
                let mut out = credence_core::files::create_new(&file)?;
                out.write_all(&body).map_err(|source| credence_core::Error::Io { path: file.clone(), source })?;
                v.import_file(&file, &query.account_id, &options, &mut |_| {})
            })();
            let _ = std::fs::remove_dir_all(&folder);
            Ok(convert::import_report(imported?, &currency, 1, convert::PREVIEW_ROWS))
        })
        .await
        .map(Json)
}

/// The bank layouts the importer knows by name (a `format` for an upload).
#[utoipa::path(get, path = "/api/v1/imports/formats", tag = "imports",
    responses((status = 200, body = Vec<api::Format>), (status = 401, body = Problem)))]
pub(crate) async fn import_formats() -> Json<Vec<api::Format>> {
    Json(convert::import_formats())
}

/// The uploaded file's own name, without any folder a client put in front of it.
fn upload_name(file_name: &str) -> Answer<String> {
    let name = file_name.rsplit(['/', '\\']).next().unwrap_or_default().trim();
    if name.is_empty() || name == "." || name == ".." {
        return Err(convert::invalid("give the statement's file name, e.g. statement.csv")
            .in_field("file_name")
            .into());
    }
    // No file system takes a NUL, and control characters in a name are not a bank's (Schemathesis sent
    // one: the server answered 503 where the request was at fault).
    if name.chars().any(char::is_control) {
        return Err(convert::invalid("a file name cannot contain control characters").in_field("file_name").into());
    }
    Ok(name.to_string())
}

/// Undoes an import: removes every transaction it added.
#[utoipa::path(delete, path = "/api/v1/imports/{batch}", tag = "imports", params(("batch" = String, Path)),
    responses((status = 200, body = api::ImportBatch), (status = 401, body = Problem), (status = 404, body = Problem),
        (status = 409, body = Problem), (status = 422, body = Problem)))]
pub(crate) async fn undo_import(
    State(server): State<Server>,
    Path(batch): Path<String>,
) -> Answer<Json<api::ImportBatch>> {
    server.with_vault(move |v| Ok(convert::import_batch(v.undo_import(&batch)?))).await.map(Json)
}

/// The categorization rules, in the order they are tried.
#[utoipa::path(get, path = "/api/v1/rules", tag = "rules",
    responses((status = 200, body = Vec<api::Rule>), (status = 401, body = Problem)))]
pub(crate) async fn rules(State(server): State<Server>) -> Answer<Json<Vec<api::Rule>>> {
    server
        .with_vault(|v| {
            let names = v.rule_names()?;
            Ok(v.rules()?.into_iter().map(|r| convert::rule(r, &names)).collect())
        })
        .await
        .map(Json)
}

/// Adds a rule (at the end unless `position` says where): its conditions, all of which must hold, and
/// what it does.
#[utoipa::path(post, path = "/api/v1/rules", tag = "rules", request_body = api::NewRule,
    responses((status = 201, body = api::Rule), (status = 400, body = Problem), (status = 401, body = Problem),
        (status = 404, body = Problem), (status = 409, body = Problem), (status = 422, body = Problem)))]
pub(crate) async fn add_rule(State(server): State<Server>, JsonBody(new): JsonBody<api::NewRule>) -> Answer<Response> {
    let position = new.position;
    let (conditions, actions) = convert::new_rule(new)?;
    let added = server
        .with_vault(move |v| {
            let rule = v.add_rule(conditions, actions, position)?;
            Ok(convert::rule(rule, &v.rule_names()?))
        })
        .await?;
    Ok(created(&format!("/api/v1/rules/{}", added.id), None, added))
}

/// Deletes a rule (what it already filed stays filed).
#[utoipa::path(delete, path = "/api/v1/rules/{id}", tag = "rules", params(("id" = String, Path)),
    responses((status = 204), (status = 401, body = Problem), (status = 404, body = Problem)))]
pub(crate) async fn delete_rule(State(server): State<Server>, Path(id): Path<String>) -> Answer<StatusCode> {
    server.with_vault(move |v| Ok(v.delete_rule(&id).map(|_| StatusCode::NO_CONTENT)?)).await
}

/// Runs the rules over transactions not yet categorized, then pairs transfers; one undo step.
#[utoipa::path(post, path = "/api/v1/rules/apply", tag = "rules",
    responses((status = 200, body = api::RulesApplied), (status = 401, body = Problem)))]
pub(crate) async fn apply_rules(State(server): State<Server>) -> Answer<Json<api::RulesApplied>> {
    server.with_vault(|v| Ok(convert::rules_applied(v.apply_rules(None, false)?))).await.map(Json)
}

// --- Analytics ---

/// This month against last, spending by category, net worth and utilization.
#[utoipa::path(get, path = "/api/v1/analytics/dashboard", tag = "analytics",
    responses((status = 200, body = api::Dashboard), (status = 401, body = Problem)))]
pub(crate) async fn dashboard(State(server): State<Server>) -> Answer<Json<api::Dashboard>> {
    server.with_vault(|v| Ok(convert::dashboard(v.dashboard(today(), None)?))).await.map(Json)
}

/// Income, spending, net and each category's net, month by month (one row per month and currency).
#[utoipa::path(get, path = "/api/v1/reports/monthly", tag = "analytics", params(api::MonthlyQuery),
    responses((status = 200, body = Vec<api::MonthReport>), (status = 401, body = Problem),
        (status = 404, body = Problem, description = "The account to report on does not exist"),
        (status = 422, body = Problem)))]
pub(crate) async fn monthly_report(
    State(server): State<Server>,
    Params(query): Params<api::MonthlyQuery>,
) -> Answer<Json<Vec<api::MonthReport>>> {
    let filter = convert::monthly_filter(query)?;
    server
        .with_vault(move |v| Ok(v.monthly_report(&filter)?.into_iter().map(convert::month_report).collect()))
        .await
        .map(Json)
}

/// A custom report: filters (dates, accounts, categories, payees, tags, text, amounts), a period and a
/// grouping, in the request body.
#[utoipa::path(post, path = "/api/v1/reports/custom", tag = "analytics", request_body = api::ReportRequest,
    responses((status = 200, body = Vec<api::ReportRow>), (status = 400, body = Problem), (status = 401, body = Problem),
        (status = 404, body = Problem), (status = 422, body = Problem)))]
pub(crate) async fn custom_report(
    State(server): State<Server>,
    JsonBody(request): JsonBody<api::ReportRequest>,
) -> Answer<Json<Vec<api::ReportRow>>> {
    let query = convert::report_query(request)?;
    server
        .with_vault(move |v| Ok(v.custom_report(&query)?.into_iter().map(convert::report_row).collect()))
        .await
        .map(Json)
}

/// The trend of income, spending or net over what a report selects, per period, with a moving average,
/// year-ago changes and its chart (SVG), one per currency.
#[utoipa::path(post, path = "/api/v1/reports/trend", tag = "analytics", request_body = api::TrendRequest,
    responses((status = 200, body = Vec<api::Trend>), (status = 400, body = Problem), (status = 401, body = Problem),
        (status = 404, body = Problem), (status = 422, body = Problem)))]
pub(crate) async fn trend_report(
    State(server): State<Server>,
    JsonBody(request): JsonBody<api::TrendRequest>,
) -> Answer<Json<Vec<api::Trend>>> {
    let measure = convert::measure(request.measure.as_deref())?;
    let window = convert::bounded(request.window, 3, 1..=36, "window")? as usize;
    let theme = convert::theme(request.theme.as_deref())?;
    let query = convert::report_query(request.report).map_err(|e| e.within("report"))?;
    server.with_vault(move |v| Ok(convert::trends(v, &query, measure, window, today(), Some(theme))?)).await.map(Json)
}

/// The saved custom reports.
#[utoipa::path(get, path = "/api/v1/reports/saved", tag = "analytics",
    responses((status = 200, body = Vec<api::SavedReport>), (status = 401, body = Problem)))]
pub(crate) async fn saved_reports(State(server): State<Server>) -> Answer<Json<Vec<api::SavedReport>>> {
    server.with_vault(|v| Ok(v.saved_reports()?.into_iter().map(convert::saved_report).collect())).await.map(Json)
}

/// Runs a saved report.
#[utoipa::path(get, path = "/api/v1/reports/saved/{name}", tag = "analytics", params(("name" = String, Path)),
    responses((status = 200, body = Vec<api::ReportRow>), (status = 401, body = Problem), (status = 404, body = Problem)))]
pub(crate) async fn run_saved_report(
    State(server): State<Server>,
    Path(name): Path<String>,
) -> Answer<Json<Vec<api::ReportRow>>> {
    server
        .with_vault(move |v| {
            let saved = v.saved_report(&name)?;
            Ok(v.custom_report(&saved.query)?.into_iter().map(convert::report_row).collect())
        })
        .await
        .map(Json)
}

/// Saves a custom report under a name (replacing one of that name).
#[utoipa::path(put, path = "/api/v1/reports/saved/{name}", tag = "analytics", params(("name" = String, Path)),
    request_body = api::ReportRequest,
    responses((status = 204), (status = 400, body = Problem), (status = 401, body = Problem),
        (status = 404, body = Problem), (status = 409, body = Problem), (status = 422, body = Problem)))]
pub(crate) async fn save_report(
    State(server): State<Server>,
    Path(name): Path<String>,
    JsonBody(request): JsonBody<api::ReportRequest>,
) -> Answer<StatusCode> {
    let query = convert::report_query(request)?;
    server.with_vault(move |v| Ok(v.save_report(&name, &query).map(|()| StatusCode::NO_CONTENT)?)).await
}

/// Deletes a saved report.
#[utoipa::path(delete, path = "/api/v1/reports/saved/{name}", tag = "analytics", params(("name" = String, Path)),
    responses((status = 204), (status = 401, body = Problem), (status = 404, body = Problem)))]
pub(crate) async fn delete_saved_report(State(server): State<Server>, Path(name): Path<String>) -> Answer<StatusCode> {
    server.with_vault(move |v| Ok(v.delete_saved_report(&name).map(|()| StatusCode::NO_CONTENT)?)).await
}

/// A chart of the last months: monthly, categories, net-worth, utilization or score; SVG or PNG.
#[utoipa::path(get, path = "/api/v1/charts/{kind}", tag = "analytics",
    params(("kind" = String, Path, pattern = "^(monthly|categories|net-worth|utilization|score)$"), api::ChartQuery),
    responses((status = 200, description = "The chart", content((String = "image/svg+xml"), (Vec<u8> = "image/png"))),
        (status = 401, body = Problem), (status = 404, body = Problem), (status = 422, body = Problem)))]
pub(crate) async fn chart(
    State(server): State<Server>,
    Path(kind): Path<String>,
    Params(query): Params<api::ChartQuery>,
) -> Answer<Response> {
    let kind: credence_core::charts::ChartKind =
        kind.parse().map_err(|e: credence_core::Error| Failure::new(ErrorCode::NotFound, e.to_string()))?;
    let months = convert::bounded(query.months, 12, 1..=120, "months")?;
    let theme = convert::theme(query.theme.as_deref())?;
    let png = match query.format.as_deref().unwrap_or("svg") {
        "svg" => false,
        "png" => true,
        other => {
            return Err(convert::invalid(format!("\"{other}\" is not a chart format (svg or png)"))
                .in_field("format")
                .into())
        }
    };
    let data = server.with_vault(move |v| Ok(v.chart(kind, today(), months, None)?)).await?;
    // Drawing is CPU work: off the async threads.
    let (media, bytes) = tokio::task::spawn_blocking(move || {
        if png {
            credence_core::charts::png(&data, theme).map(|b| ("image/png", b))
        } else {
            credence_core::charts::svg(&data, theme).map(|s| ("image/svg+xml", s.into_bytes()))
        }
    })
    .await
    .map_err(|_| Failure::new(ErrorCode::Internal, credence_api::GENERIC_ERROR))??;
    Ok(([(header::CONTENT_TYPE, media)], bytes).into_response())
}

/// Sets a category's monthly budget from this month on (0 ends it).
#[utoipa::path(put, path = "/api/v1/budgets", tag = "analytics", request_body = api::NewBudget,
    responses((status = 204), (status = 400, body = Problem), (status = 401, body = Problem),
        (status = 404, body = Problem), (status = 409, body = Problem), (status = 422, body = Problem)))]
pub(crate) async fn set_budget(
    State(server): State<Server>,
    JsonBody(budget): JsonBody<api::NewBudget>,
) -> Answer<StatusCode> {
    let amount = convert::decimal(&budget.amount).map_err(|e| e.in_field("amount"))?;
    server
        .with_vault(move |v| {
            v.set_budget(&budget.category_id, amount, &budget.currency, today())?;
            Ok(StatusCode::NO_CONTENT)
        })
        .await
}

/// This month's budgets with what was spent against them.
#[utoipa::path(get, path = "/api/v1/budgets", tag = "analytics",
    responses((status = 200, body = Vec<api::Budget>), (status = 401, body = Problem)))]
pub(crate) async fn budgets(State(server): State<Server>) -> Answer<Json<Vec<api::Budget>>> {
    server.with_vault(|v| Ok(v.budgets(today())?.into_iter().map(convert::budget).collect())).await.map(Json)
}

/// Subscriptions and other recurring payments still running.
#[utoipa::path(get, path = "/api/v1/recurring", tag = "analytics",
    responses((status = 200, body = Vec<api::Recurring>), (status = 401, body = Problem)))]
pub(crate) async fn recurring(State(server): State<Server>) -> Answer<Json<Vec<api::Recurring>>> {
    server
        .with_vault(|v| {
            let series = v.recurring_payments(today())?;
            Ok(series
                .into_iter()
                .filter(credence_core::analytics::RecurringSeries::is_running)
                .map(convert::recurring)
                .collect())
        })
        .await
        .map(Json)
}

// --- The credit coach ---

/// Each card's and loan's statement, due date, payment and streak, and the alerts to act on.
#[utoipa::path(get, path = "/api/v1/coach", tag = "coach", params(api::CoachQuery),
    responses((status = 200, body = api::Coach), (status = 400, body = Problem), (status = 401, body = Problem),
        (status = 422, body = Problem)))]
pub(crate) async fn coach(
    State(server): State<Server>,
    Params(query): Params<api::CoachQuery>,
) -> Answer<Json<api::Coach>> {
    let (as_of, options) = convert::coach_query(&query, today())?;
    server.with_vault(move |v| Ok(convert::coach(v.coach(as_of, &options)?))).await.map(Json)
}

/// Rent, utilities, phone and streaming paid on time: the record a lender could be shown.
#[utoipa::path(get, path = "/api/v1/coach/bills", tag = "coach",
    responses((status = 200, body = api::OnTimeBills), (status = 401, body = Problem)))]
pub(crate) async fn on_time_bills(State(server): State<Server>) -> Answer<Json<api::OnTimeBills>> {
    server.with_vault(|v| Ok(convert::on_time_bills(v.on_time_bills(today())?))).await.map(Json)
}

// --- The credit score ---

/// The estimate of the vault's credit report, every point accounted for.
#[utoipa::path(get, path = "/api/v1/credit-score", tag = "credit", params(api::FlavourQuery),
    responses((status = 200, body = api::Score), (status = 401, body = Problem), (status = 422, body = Problem)))]
pub(crate) async fn credit_score(
    State(server): State<Server>,
    Params(query): Params<api::FlavourQuery>,
) -> Answer<Json<api::Score>> {
    let flavour = convert::flavour(query.flavour.as_deref()).map_err(|e| e.in_field("flavour"))?;
    let as_of = today();
    server.with_vault(move |v| Ok(convert::score_overview(&v.credit_report(as_of)?, as_of, flavour))).await.map(Json)
}

/// What makes the estimate: each factor's points, the reasons it is not higher, what helps it.
#[utoipa::path(get, path = "/api/v1/credit-score/factors", tag = "credit", params(api::FlavourQuery),
    responses((status = 200, body = api::ScoreFactors), (status = 401, body = Problem), (status = 422, body = Problem)))]
pub(crate) async fn score_factors(
    State(server): State<Server>,
    Params(query): Params<api::FlavourQuery>,
) -> Answer<Json<api::ScoreFactors>> {
    let flavour = convert::flavour(query.flavour.as_deref()).map_err(|e| e.in_field("flavour"))?;
    let as_of = today();
    server
        .with_vault(move |v| {
            let estimate = credence_core::score::estimate(&v.credit_report(as_of)?, as_of, flavour);
            Ok(convert::score_factors(convert::score(estimate, as_of)))
        })
        .await
        .map(Json)
}

/// The estimate month by month: the months back, then ahead if nothing changes, with the scores the user
/// saw, when each negative item stops counting, and the chart (SVG).
#[utoipa::path(get, path = "/api/v1/credit-score/history", tag = "credit", params(api::HistoryQuery),
    responses((status = 200, body = api::ScoreTimeline), (status = 401, body = Problem), (status = 422, body = Problem)))]
pub(crate) async fn score_history(
    State(server): State<Server>,
    Params(query): Params<api::HistoryQuery>,
) -> Answer<Json<api::ScoreTimeline>> {
    let flavour = convert::flavour(query.flavour.as_deref()).map_err(|e| e.in_field("flavour"))?;
    let back = convert::bounded(query.back, 24, 0..=120, "back")?;
    let forward = convert::bounded(query.forward, 24, 0..=120, "forward")?;
    let theme = convert::theme(query.theme.as_deref())?;
    let as_of = today();
    server
        .with_vault(move |v| {
            Ok(convert::score_timeline(&v.credit_report(as_of)?, as_of, flavour, (back, forward), theme)?)
        })
        .await
        .map(Json)
}

/// Two flavours side by side, and why they differ.
#[utoipa::path(get, path = "/api/v1/credit-score/compare", tag = "credit", params(api::CompareQuery),
    responses((status = 200, body = api::ScoreComparison), (status = 401, body = Problem), (status = 422, body = Problem)))]
pub(crate) async fn compare_scores(
    State(server): State<Server>,
    Params(query): Params<api::CompareQuery>,
) -> Answer<Json<api::ScoreComparison>> {
    let first = convert::flavour(Some(&query.first)).map_err(|e| e.in_field("first"))?;
    let second = convert::flavour(Some(&query.second)).map_err(|e| e.in_field("second"))?;
    let as_of = today();
    server
        .with_vault(move |v| {
            let profile = v.credit_report(as_of)?;
            Ok(convert::comparison(credence_core::score::compare(&profile, as_of, first, second), as_of))
        })
        .await
        .map(Json)
}

/// Records a score the user saw elsewhere today, to calibrate the estimate.
#[utoipa::path(post, path = "/api/v1/credit-score/reported", tag = "credit", request_body = api::ReportedScore,
    responses((status = 201, body = api::CreatedItem), (status = 400, body = Problem), (status = 401, body = Problem),
        (status = 409, body = Problem), (status = 422, body = Problem)))]
pub(crate) async fn report_score(
    State(server): State<Server>,
    JsonBody(reported): JsonBody<api::ReportedScore>,
) -> Answer<Response> {
    let fields = convert::reported_score_fields(&reported, today());
    let id = server.with_vault(move |v| Ok(v.add_credit_fields("reported_score", &fields)?)).await?;
    Ok(created(&format!("/api/v1/credit-file/items/{id}"), None, api::CreatedItem { id }))
}

/// The estimate after the changes given (`pay`, `limit`, `close`, `age`, …), in core's one order.
#[utoipa::path(post, path = "/api/v1/credit-score/simulate", tag = "credit", request_body = api::SimulationRequest,
    responses((status = 200, body = api::ScoreSimulation), (status = 400, body = Problem), (status = 401, body = Problem),
        (status = 404, body = Problem), (status = 422, body = Problem)))]
pub(crate) async fn simulate_score(
    State(server): State<Server>,
    JsonBody(request): JsonBody<api::SimulationRequest>,
) -> Answer<Json<api::ScoreSimulation>> {
    let flavour = convert::flavour(request.flavour.as_deref()).map_err(|e| e.in_field("flavour"))?;
    let changes = WhatIf::parse_all(request.changes.iter().map(|c| (c.kind.as_str(), c.value.as_str())))
        .map_err(|e| convert::api_error(&e).in_field("changes"))?;
    let as_of = today();
    server
        .with_vault(move |v| {
            let profile = v.credit_report(as_of)?;
            Ok(convert::simulation(simulate(&profile, as_of, flavour, &changes)?, as_of))
        })
        .await
        .map(Json)
}

/// How to reach a score by a date: the steps, in order, with the points each is worth (the engine's).
#[utoipa::path(get, path = "/api/v1/credit-score/plan", tag = "credit", params(api::PlanQuery),
    responses((status = 200, body = api::ScorePlan), (status = 401, body = Problem), (status = 422, body = Problem)))]
pub(crate) async fn score_plan(
    State(server): State<Server>,
    Params(query): Params<api::PlanQuery>,
) -> Answer<Json<api::ScorePlan>> {
    let flavour = convert::flavour(query.flavour.as_deref()).map_err(|e| e.in_field("flavour"))?;
    let by = convert::optional_date(query.by.as_deref(), "by")?;
    let target = convert::target_score(query.target)?;
    let as_of = today();
    server
        .with_vault(move |v| {
            let profile = v.credit_report(as_of)?;
            Ok(convert::plan(&credence_core::score::plan(&profile, as_of, flavour, target, by), as_of))
        })
        .await
        .map(Json)
}

// --- The credit file ---

/// Every item of the credit report, by section, with each section's form.
#[utoipa::path(get, path = "/api/v1/credit-file", tag = "credit",
    responses((status = 200, body = api::CreditFile), (status = 401, body = Problem)))]
pub(crate) async fn credit_file(State(server): State<Server>) -> Answer<Json<api::CreditFile>> {
    server.with_vault(|v| Ok(convert::credit_file(v, today())?)).await.map(Json)
}

/// The credit report in the credit-profile exchange format (what `PUT` takes back).
#[utoipa::path(get, path = "/api/v1/credit-file/report", tag = "credit",
    responses((status = 200, body = Object, description = "A credit profile (docs/scoring.md)"),
        (status = 401, body = Problem)))]
pub(crate) async fn export_credit_report(State(server): State<Server>) -> Answer<Response> {
    let as_of = today();
    let json = server.with_vault(move |v| Ok(v.credit_report(as_of)?.to_json())).await?;
    Ok(([(header::CONTENT_TYPE, "application/json")], json).into_response())
}

/// Keeps a credit report (the credit-profile exchange format) in the vault, replacing the one there.
#[utoipa::path(put, path = "/api/v1/credit-file/report", tag = "credit",
    request_body(content = Object, content_type = "application/json", description = "A credit profile"),
    responses((status = 200, body = api::CreditCounts), (status = 400, body = Problem), (status = 401, body = Problem),
        (status = 413, body = Problem), (status = 409, body = Problem), (status = 422, body = Problem)))]
pub(crate) async fn replace_credit_report(
    State(server): State<Server>,
    RawBody(body): RawBody,
) -> Answer<Json<api::CreditCounts>> {
    let text = std::str::from_utf8(&body)
        .map_err(|_| Failure::new(ErrorCode::BadRequest, "The credit profile is not UTF-8 text."))?;
    let profile = credence_core::score::CreditProfile::from_json(text)?;
    server.with_vault(move |v| Ok(convert::credit_counts(v.replace_credit_report(&profile)?))).await.map(Json)
}

/// Builds the credit report from the first-score wizard's answers (replacing the one there) and scores it.
#[utoipa::path(post, path = "/api/v1/credit-file/first-score", tag = "credit", request_body = api::FirstScoreAnswers,
    responses((status = 200, body = api::FirstScore), (status = 400, body = Problem), (status = 401, body = Problem),
        (status = 404, body = Problem), (status = 409, body = Problem), (status = 422, body = Problem)))]
pub(crate) async fn first_score(
    State(server): State<Server>,
    JsonBody(answers): JsonBody<api::FirstScoreAnswers>,
) -> Answer<Json<api::FirstScore>> {
    let as_of = today();
    let answers = convert::first_score_answers(&answers)?;
    server.with_vault(move |v| Ok(convert::first_score(v, &answers, as_of)?)).await.map(Json)
}

/// Adds an item to the credit file: a section's `kind` and its form's fields by name.
#[utoipa::path(post, path = "/api/v1/credit-file/items", tag = "credit", request_body = api::NewCreditItem,
    responses((status = 201, body = api::CreatedItem), (status = 400, body = Problem), (status = 401, body = Problem),
        (status = 409, body = Problem), (status = 422, body = Problem)))]
pub(crate) async fn add_credit_item(
    State(server): State<Server>,
    JsonBody(new): JsonBody<api::NewCreditItem>,
) -> Answer<Response> {
    let fields = convert::credit_fields(new.fields);
    let id = server.with_vault(move |v| Ok(v.add_credit_fields(&new.kind, &fields)?)).await?;
    Ok(created(&format!("/api/v1/credit-file/items/{id}"), None, api::CreatedItem { id }))
}

/// Changes fields of a credit-file item.
#[utoipa::path(patch, path = "/api/v1/credit-file/items/{id}", tag = "credit", params(("id" = String, Path)),
    request_body = api::CreditItemChange,
    responses((status = 204), (status = 400, body = Problem), (status = 401, body = Problem),
        (status = 404, body = Problem), (status = 409, body = Problem), (status = 422, body = Problem)))]
pub(crate) async fn edit_credit_item(
    State(server): State<Server>,
    Path(id): Path<String>,
    JsonBody(change): JsonBody<api::CreditItemChange>,
) -> Answer<StatusCode> {
    let fields = convert::credit_fields(change.fields);
    server.with_vault(move |v| Ok(v.change_credit_fields(&id, &fields).map(|()| StatusCode::NO_CONTENT)?)).await
}

/// Removes an item from the credit file.
#[utoipa::path(delete, path = "/api/v1/credit-file/items/{id}", tag = "credit", params(("id" = String, Path)),
    responses((status = 204), (status = 401, body = Problem), (status = 404, body = Problem)))]
pub(crate) async fn remove_credit_item(State(server): State<Server>, Path(id): Path<String>) -> Answer<StatusCode> {
    server.with_vault(move |v| Ok(v.remove_credit_item(&id).map(|()| StatusCode::NO_CONTENT)?)).await
}

/// Sets one month (YYYY-MM) of a card's or loan's payment history.
#[utoipa::path(put, path = "/api/v1/credit-file/tradelines/{tradeline}/months/{month}", tag = "credit",
    params(("tradeline" = String, Path), ("month" = String, Path, pattern = "^[0-9]{4}-[0-9]{2}$")),
    request_body = api::PaymentStatus,
    responses((status = 204), (status = 400, body = Problem), (status = 401, body = Problem),
        (status = 404, body = Problem), (status = 409, body = Problem), (status = 422, body = Problem)))]
pub(crate) async fn set_payment_month(
    State(server): State<Server>,
    Path((tradeline, month)): Path<(String, String)>,
    JsonBody(change): JsonBody<api::PaymentStatus>,
) -> Answer<StatusCode> {
    let (month, status) = convert::payment_change(&month, &change.status)?;
    server
        .with_vault(move |v| Ok(v.set_payment_month(&tradeline, month, status).map(|()| StatusCode::NO_CONTENT)?))
        .await
}

/// Ties a card or loan of the credit file to a vault account: its balance and limit follow the ledger.
#[utoipa::path(put, path = "/api/v1/credit-file/tradelines/{tradeline}/account", tag = "credit",
    params(("tradeline" = String, Path)), request_body = api::CreditLink,
    responses((status = 204), (status = 400, body = Problem), (status = 401, body = Problem),
        (status = 404, body = Problem), (status = 409, body = Problem), (status = 422, body = Problem)))]
pub(crate) async fn link_credit_account(
    State(server): State<Server>,
    Path(tradeline): Path<String>,
    JsonBody(link): JsonBody<api::CreditLink>,
) -> Answer<StatusCode> {
    server
        .with_vault(move |v| {
            Ok(v.link_credit_account(&tradeline, &link.account_id).map(|()| StatusCode::NO_CONTENT)?)
        })
        .await
}

/// Unties a card or loan from its vault account (it keeps today's balance and limit).
#[utoipa::path(delete, path = "/api/v1/credit-file/tradelines/{tradeline}/account", tag = "credit",
    params(("tradeline" = String, Path)),
    responses((status = 204), (status = 401, body = Problem), (status = 404, body = Problem),
        (status = 409, body = Problem), (status = 422, body = Problem)))]
pub(crate) async fn unlink_credit_account(
    State(server): State<Server>,
    Path(tradeline): Path<String>,
) -> Answer<StatusCode> {
    let as_of = today();
    server.with_vault(move |v| Ok(v.unlink_credit_account(&tradeline, as_of).map(|()| StatusCode::NO_CONTENT)?)).await
}

// --- The change log ---

/// The newest changes, newest first.
#[utoipa::path(get, path = "/api/v1/changes", tag = "changes", params(api::LimitQuery),
    responses((status = 200, body = Vec<api::HistoryEntry>), (status = 401, body = Problem), (status = 422, body = Problem)))]
pub(crate) async fn changes(
    State(server): State<Server>,
    Params(query): Params<api::LimitQuery>,
) -> Answer<Json<Vec<api::HistoryEntry>>> {
    let limit = convert::page_size(query.limit)?;
    server
        .with_vault(move |v| Ok(v.history(limit)?.into_iter().map(|op| convert::history_entry(op, false)).collect()))
        .await
        .map(Json)
}

/// Reverts the newest change not yet undone.
#[utoipa::path(post, path = "/api/v1/undo", tag = "changes",
    responses((status = 200, body = api::Undone), (status = 401, body = Problem), (status = 409, body = Problem)))]
pub(crate) async fn undo(State(server): State<Server>) -> Answer<Json<api::Undone>> {
    server.with_vault(|v| Ok(api::Undone { summary: v.undo()? })).await.map(Json)
}

// --- Versions of a transaction ---

/// A strong `ETag` of a transaction as the API shows it: any change to what it says changes the tag.
fn etag_of(t: &api::Transaction) -> String {
    let digest = Sha256::digest(serde_json::to_vec(t).unwrap_or_default());
    format!("\"{}\"", data_encoding::HEXLOWER.encode(&digest[..16]))
}

fn with_etag(status: StatusCode, t: api::Transaction) -> Response {
    let etag = etag_of(&t);
    let mut response = (status, Json(t)).into_response();
    if let Ok(value) = HeaderValue::from_str(&etag) {
        response.headers_mut().insert(header::ETAG, value);
    }
    response
}

fn created<T: serde::Serialize>(location: &str, etag: Option<String>, body: T) -> Response {
    let mut response = (StatusCode::CREATED, Json(body)).into_response();
    let headers = response.headers_mut();
    for (name, value) in [(header::LOCATION, Some(location.to_string())), (header::ETAG, etag)] {
        if let Some(value) = value.and_then(|v| HeaderValue::from_str(&v).ok()) {
            headers.insert(name, value);
        }
    }
    response
}

/// The `If-Match` an update must carry.
fn if_match(headers: &HeaderMap) -> Answer<String> {
    match headers.get(header::IF_MATCH).and_then(|v| v.to_str().ok()) {
        Some(tag) => Ok(tag.trim().to_string()),
        None => Err(Failure::new(
            ErrorCode::PreconditionRequired,
            "Send If-Match with the ETag the transaction was read with, so a change made since is not overwritten.",
        )),
    }
}

/// Refuses the update when the transaction is no longer what the client read (`*` accepts any version).
fn check_unchanged(vault: &Vault, id: &str, expected: &str) -> Answer<()> {
    let current = etag_of(&convert::transaction(vault.transaction(id)?));
    if expected == "*" || expected.split(',').any(|tag| tag.trim() == current) {
        Ok(())
    } else {
        Err(Failure::new(
            ErrorCode::PreconditionFailed,
            "The transaction changed since it was read; read it again and apply the change to what it is now.",
        ))
    }
}
