//! The API's OpenAPI 3.1 document, generated from the handlers' annotations and the contract's types
//! (so it cannot describe a shape the API does not send), served at `/api/v1/openapi.json` and kept in
//! `docs/openapi.json` (a test fails when the committed file is stale).

use axum::http::{header, StatusCode};
use axum::response::IntoResponse;
use utoipa::openapi::security::{Http, HttpAuthScheme, SecurityScheme};
use utoipa::openapi::RefOr;
use utoipa::{Modify, OpenApi};

use crate::routes;

#[derive(OpenApi)]
#[openapi(
    info(title = "Credence local API", description = "A person's vault on this machine: accounts, transactions, \
        imports, rules, analytics and the credit-score estimate. Loopback only; every request carries the \
        vault's bearer token (`credence serve` says where it is). Errors are RFC 9457 problem details whose \
        `code` is the one the desktop app receives."),
    paths(
        routes::accounts, routes::account, routes::add_account, routes::edit_account, routes::categories,
        routes::add_category, routes::transactions, routes::transaction, routes::add_transaction,
        routes::add_transactions, routes::edit_transaction, routes::delete_transaction, routes::imports,
        routes::import_statement, routes::import_formats, routes::undo_import, routes::rules, routes::add_rule,
        routes::delete_rule, routes::apply_rules, routes::dashboard, routes::monthly_report, routes::custom_report,
        routes::trend_report, routes::saved_reports, routes::run_saved_report, routes::save_report,
        routes::delete_saved_report, routes::chart, routes::budgets, routes::set_budget, routes::recurring, routes::coach, routes::on_time_bills,
        routes::credit_score, routes::score_factors, routes::score_history, routes::compare_scores,
        routes::simulate_score, routes::score_plan, routes::report_score, routes::credit_file,
        routes::export_credit_report, routes::replace_credit_report, routes::first_score, routes::add_credit_item,
        routes::edit_credit_item, routes::remove_credit_item, routes::set_payment_month, routes::link_credit_account,
        routes::unlink_credit_account, routes::changes, routes::undo,
    ),
    modifiers(&BearerToken, &ProblemMediaType),
    security(("bearer" = [])),
)]
struct Document;

/// Declares the bearer token every operation needs.
struct BearerToken;

impl Modify for BearerToken {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        let components = openapi.components.get_or_insert_with(Default::default);
        components.add_security_scheme("bearer", SecurityScheme::Http(Http::new(HttpAuthScheme::Bearer)));
    }
}

/// Error responses are `application/problem+json` (RFC 9457), as the server sends them (the handlers'
/// annotations name only the body type); a response without a description gets its status's name.
struct ProblemMediaType;

impl Modify for ProblemMediaType {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        for item in openapi.paths.paths.values_mut() {
            let operations = [&mut item.get, &mut item.put, &mut item.post, &mut item.delete, &mut item.patch];
            for operation in operations.into_iter().flatten() {
                for (status, response) in &mut operation.responses.responses {
                    let RefOr::T(response) = response else { continue };
                    if response.description.is_empty() {
                        let reason = status.parse().ok().and_then(|s| StatusCode::from_u16(s).ok());
                        response.description =
                            reason.and_then(|s| s.canonical_reason()).unwrap_or_default().to_string();
                    }
                    if status.starts_with('4') || status.starts_with('5') {
                        if let Some(content) = response.content.shift_remove("application/json") {
                            response.content.insert("application/problem+json".to_string(), content);
                        }
                    }
                }
            }
        }
    }
}

/// The document as pretty JSON, ending in a newline (as committed in `docs/openapi.json`).
pub fn document() -> String {
    let mut text = Document::openapi().to_pretty_json().unwrap_or_default();
    text.push('\n');
    text
}

pub(crate) async fn serve() -> impl IntoResponse {
    ([(header::CONTENT_TYPE, "application/json")], document())
}
