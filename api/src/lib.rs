//! Credence's API contract: the shapes every door exchanges. The CLI's `--json`, the desktop app's bridge
//! (src-tauri fills them, the wasm UI reads them) and the local REST API serialize these same types, so
//! a change here is a change for all three. Money and dates cross as strings (decimal text with its
//! currency, `YYYY-MM-DD`) so that no float ever holds an amount and this crate needs nothing but serde.
//! Field names are snake_case on the wire, everywhere. With the `core` feature, `convert` maps
//! credence-core's values and errors into them (the one such mapping).

use serde::{Deserialize, Serialize};

#[cfg(feature = "core")]
pub mod convert;
pub mod object;

/// Why a command failed. A closed list: the UI may branch on these; anything else is `Internal`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum ErrorCode {
    WrongPassphrase,
    WeakPassphrase,
    VaultNotFound,
    VaultExists,
    NotAVault,
    Damaged,
    NewerSchema,
    KeychainUnavailable,
    NotRemembered,
    Locked,
    Invalid,
    /// A name already taken, or a change that clashes with what the vault holds (a category still in
    /// use, an import with nothing left to remove); 409 in the REST API.
    Conflict,
    NotFound,
    NothingToUndo,
    Cancelled,
    Io,
    Internal,
    /// The REST API: no bearer token, or not this vault's.
    Unauthorized,
    /// The REST API: the request is not JSON, or not well-formed.
    BadRequest,
    /// The REST API: the body is larger than the API accepts.
    TooLarge,
    /// The REST API: an update without `If-Match` (so it could overwrite a change it never saw).
    PreconditionRequired,
    /// The REST API: the item changed since the `ETag` the update names.
    PreconditionFailed,
}

/// The error every command returns: a stable code and a sentence to show.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ApiError {
    pub code: ErrorCode,
    pub message: String,
    /// The request field the problem is in ("amount", "rows[3].date"), when it is one field's.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub field: Option<String>,
}

impl ApiError {
    pub fn new(code: ErrorCode, message: impl Into<String>) -> Self {
        ApiError { code, message: message.into(), field: None }
    }

    /// The same error, said of the request field `field`.
    pub fn in_field(self, field: impl Into<String>) -> Self {
        ApiError { field: Some(field.into()), ..self }
    }

    /// The same error, its field seen from the object that holds it under `outer` (`report.period`).
    pub fn within(self, outer: &str) -> Self {
        let field = self.field.as_deref().map_or_else(|| outer.to_string(), |inner| format!("{outer}.{inner}"));
        ApiError { field: Some(field), ..self }
    }
}

impl std::fmt::Display for ApiError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for ApiError {}

/// How the REST API answers an error: RFC 9457 problem details (`application/problem+json`), with the
/// same code and sentence the app receives.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Problem {
    /// `urn:credence:problem:<code>`.
    #[serde(rename = "type")]
    pub kind: String,
    /// The HTTP status's reason phrase.
    pub title: String,
    pub status: u16,
    /// The sentence to show.
    pub detail: String,
    pub code: ErrorCode,
    /// The request field the problem is in, when it is one field's.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub field: Option<String>,
}

/// The message shown for a failure the UI cannot explain (a bridge error, an unknown reply).
pub const GENERIC_ERROR: &str = "Something went wrong. Nothing was changed; try again.";

/// An amount of money as core computed it: the exact decimal (for editing and for logic that needs
/// the sign) and the text to show in its currency ("−$1,234.50"), so the UI neither computes nor rounds.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Money {
    /// The exact decimal, money out negative ("-1234.5").
    pub amount: String,
    /// ISO 4217 code of the currency it is in.
    pub currency: String,
    /// The text to show, in the currency's places, rounded half away from zero, grouped ("−$1,234.50").
    pub display: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct VaultStatus {
    pub path: String,
    pub exists: bool,
    pub unlocked: bool,
    /// The key is kept in this device's OS keychain, so "Unlock" needs no passphrase.
    pub remembered: bool,
    /// Why "remember on this device" did not happen, when it was asked for and failed.
    pub keychain_note: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct PassphraseStrength {
    /// 0 (guessed at once) to 4 (strong).
    pub score: u8,
    /// Whether a vault may be created with it.
    pub acceptable: bool,
    /// What would make it stronger; empty when nothing needs saying.
    pub feedback: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct CreatedVault {
    /// The 24 words, shown once.
    pub recovery_key: String,
    pub keychain_note: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Account {
    pub id: String,
    pub name: String,
    /// checking, savings, credit-card, loan, cash, investment or other.
    pub kind: String,
    pub currency: String,
    pub credit_limit: Option<Money>,
    pub archived: bool,
    pub balance: Money,
    pub transaction_count: u64,
    /// A card's balance as a share of its limit, as the score reads it ("42%").
    pub utilization: Option<String>,
    /// Cards and loans: the day of the month the statement closes and the payment is due, as set
    /// (null: the coach infers them).
    pub statement_day: Option<u32>,
    pub due_day: Option<u32>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct NewAccount {
    pub name: String,
    /// checking, savings, credit-card, loan, cash, investment or other.
    #[cfg_attr(feature = "openapi", schema(pattern = "^(checking|savings|credit-card|loan|cash|investment|other)$"))]
    pub kind: String,
    /// ISO 4217 ("USD").
    #[cfg_attr(feature = "openapi", schema(pattern = "^[A-Z]{3}$"))]
    pub currency: String,
    /// Cards and loans: the limit, a positive decimal.
    #[cfg_attr(feature = "openapi", schema(pattern = r"^[0-9]+(\.[0-9]+)?$"))]
    pub credit_limit: Option<String>,
}

/// Fields of an account to change (the app's edit, `PATCH /api/v1/accounts/{id}`); `None` leaves one as
/// it is. An empty credit limit removes the limit.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(default)]
pub struct AccountEdit {
    /// Which account (the REST API takes it from the path instead).
    pub id: String,
    pub name: Option<String>,
    #[cfg_attr(feature = "openapi", schema(pattern = r"^([0-9]+(\.[0-9]+)?)?$"))]
    pub credit_limit: Option<String>,
    /// Archive (hide from lists, keep its history) or bring back.
    pub archived: Option<bool>,
    /// Cards and loans: the day of the month the statement closes, 1 to 31; 0 to infer it again.
    #[cfg_attr(feature = "openapi", schema(maximum = 31))]
    pub statement_day: Option<u32>,
    /// The day of the month the payment is due, 1 to 31; 0 to infer it again.
    #[cfg_attr(feature = "openapi", schema(maximum = 31))]
    pub due_day: Option<u32>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Category {
    pub id: String,
    /// Its own name ("Groceries").
    pub name: String,
    /// The full path ("Food:Groceries"): the name results use for it, stable whatever else is added.
    pub path: String,
    pub parent_id: Option<String>,
    /// income, expense or transfer.
    pub kind: String,
}

/// One page of the transaction list.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct TransactionQuery {
    pub account_id: Option<String>,
    pub category_id: Option<String>,
    pub search: Option<String>,
    pub offset: u64,
    pub limit: u64,
    /// Count the whole list too (a full index scan on a large vault: the first page asks, later ones
    /// reuse the answer).
    #[serde(default)]
    pub with_total: bool,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct TransactionPage {
    /// How many transactions match the query in all, when asked for.
    pub total: Option<u64>,
    pub offset: u64,
    pub rows: Vec<Transaction>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Transaction {
    pub id: String,
    /// YYYY-MM-DD.
    pub date: String,
    /// In the account holder's view: money out negative (a card purchase too), money in positive.
    pub amount: Money,
    pub currency: String,
    pub payee: String,
    pub memo: String,
    pub category_id: Option<String>,
    /// The category's full path ("Food:Groceries"), never a shortened name.
    pub category: Option<String>,
    /// The account's name.
    pub account: String,
    pub account_id: String,
    /// Without the leading '#'.
    pub tags: Vec<String>,
    /// The payee exactly as the bank wrote it, when `payee` is a cleaned-up name.
    pub bank_payee: Option<String>,
    /// The import that added it.
    pub import_batch: Option<String>,
    /// The other side of a transfer between the holder's own accounts.
    pub transfer_id: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct NewTransaction {
    pub account_id: String,
    /// YYYY-MM-DD, 1900 to 2100.
    #[cfg_attr(feature = "openapi", schema(format = Date))]
    pub date: String,
    /// A decimal in the account's currency, money out negative ("-12.34"); no finer than the currency.
    #[cfg_attr(feature = "openapi", schema(pattern = r"^-?[0-9]+(\.[0-9]+)?$"))]
    pub amount: String,
    pub payee: String,
    pub memo: String,
    pub category_id: Option<String>,
}

/// Which transactions a listing page of the REST API holds: filters, a page size and the cursor the
/// previous page gave (`GET /api/v1/transactions`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[cfg_attr(feature = "openapi", derive(utoipa::IntoParams))]
#[cfg_attr(feature = "openapi", into_params(parameter_in = Query))]
#[serde(default, deny_unknown_fields)]
pub struct TransactionListQuery {
    /// Only this account's.
    pub account_id: Option<String>,
    /// Only this category's and its sub-categories'.
    pub category_id: Option<String>,
    /// From this day (YYYY-MM-DD), inclusive.
    #[cfg_attr(feature = "openapi", param(format = Date))]
    pub from: Option<String>,
    /// To this day (YYYY-MM-DD), inclusive.
    #[cfg_attr(feature = "openapi", param(format = Date))]
    pub to: Option<String>,
    /// Text in the payee, the bank's payee text or the memo.
    pub search: Option<String>,
    /// Rows per page, 1 to 1,000 (100 when not given).
    #[cfg_attr(feature = "openapi", param(minimum = 1, maximum = 1000))]
    pub limit: Option<u32>,
    /// Where to continue: the `next_cursor` of the page before.
    pub cursor: Option<String>,
}

/// A page of transactions, newest day first, and the cursor for the next (null on the last page).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct TransactionList {
    pub rows: Vec<Transaction>,
    pub next_cursor: Option<String>,
}

/// Many transactions added as one change (one undo step).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct BulkCreated {
    pub created: u64,
    /// The new transactions' ids, in the order given.
    pub ids: Vec<String>,
}

/// A category to add by its path ("Food:Snacks"; missing parents are created).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct NewCategory {
    pub path: String,
    /// income, expense (the default) or transfer.
    #[cfg_attr(feature = "openapi", schema(pattern = "^(income|expense|transfer)$"))]
    pub kind: Option<String>,
}

/// Where `credence serve` listens (its first line with `--json`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Serving {
    /// The API's base URL ("http://127.0.0.1:7373/api/v1").
    pub listening: String,
    /// The file holding the bearer token.
    pub token_file: String,
}

/// A command that changes something and has nothing more to show: that it is done, and how it is said.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Done {
    pub ok: bool,
    pub message: String,
}

/// What an undo reverted.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Undone {
    pub summary: String,
}

/// Credit-score changes to try (`POST /api/v1/credit-score/simulate`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct SimulationRequest {
    #[serde(deserialize_with = "object::many")]
    pub changes: Vec<ScoreChange>,
    /// fico8 (the default), fico9, fico_legacy or vantage.
    pub flavour: Option<String>,
}

/// Which score flavour to estimate.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[cfg_attr(feature = "openapi", derive(utoipa::IntoParams))]
#[cfg_attr(feature = "openapi", into_params(parameter_in = Query))]
#[serde(default, deny_unknown_fields)]
pub struct FlavourQuery {
    /// fico8 (the default), fico9, fico_legacy or vantage.
    pub flavour: Option<String>,
}

/// What the coach is asked (`GET /api/v1/coach`, `credence coach`, the app).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[cfg_attr(feature = "openapi", derive(utoipa::IntoParams))]
#[cfg_attr(feature = "openapi", into_params(parameter_in = Query))]
#[serde(default, deny_unknown_fields)]
pub struct CoachQuery {
    /// On this day (YYYY-MM-DD); today when not given.
    #[cfg_attr(feature = "openapi", param(format = Date))]
    pub as_of: Option<String>,
    /// The utilization to report at closing, a percent of the limit (30 when not given).
    #[cfg_attr(feature = "openapi", param(minimum = 1, maximum = 100))]
    pub target: Option<u32>,
}

/// A score to reach, by when (`GET /api/v1/credit-score/plan`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
#[cfg_attr(feature = "openapi", derive(utoipa::IntoParams))]
#[cfg_attr(feature = "openapi", into_params(parameter_in = Query))]
#[serde(deny_unknown_fields)]
pub struct PlanQuery {
    /// The score to reach (300 to 850).
    #[cfg_attr(feature = "openapi", param(minimum = 300, maximum = 850))]
    pub target: u16,
    /// By this day (YYYY-MM-DD); within 24 months when not given.
    #[cfg_attr(feature = "openapi", param(format = Date))]
    pub by: Option<String>,
    /// fico8 (the default), fico9, fico_legacy or vantage.
    pub flavour: Option<String>,
}

/// How many of the newest entries of a listing.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[cfg_attr(feature = "openapi", derive(utoipa::IntoParams))]
#[cfg_attr(feature = "openapi", into_params(parameter_in = Query))]
#[serde(default, deny_unknown_fields)]
pub struct LimitQuery {
    /// 1 to 1,000 (100 when not given).
    #[cfg_attr(feature = "openapi", param(minimum = 1, maximum = 1000))]
    pub limit: Option<u32>,
}

/// Fields of a transaction to change; `None` leaves one as it is.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct TransactionChange {
    /// Which transaction (the REST API takes it from the path instead).
    #[serde(default)]
    pub id: String,
    #[cfg_attr(feature = "openapi", schema(format = Date))]
    pub date: Option<String>,
    #[cfg_attr(feature = "openapi", schema(pattern = r"^-?[0-9]+(\.[0-9]+)?$"))]
    pub amount: Option<String>,
    pub payee: Option<String>,
    pub memo: Option<String>,
}

/// What a file the user chose is for: it decides the native dialog (open or save, its filters) and what
/// a command may do with the file (only a file chosen to be saved is ever written).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "kebab-case")]
pub enum FilePurpose {
    Statement,
    CreditReportIn,
    CreditReportOut,
    BackupTo,
    RestoreFrom,
    ReportOut,
    /// Where the vault as it was at a past moment is saved (a backup file).
    PastVaultTo,
}

/// A file the user chose in the native dialog or dropped on the window. The webview holds only this:
/// commands take the `handle`, never a path, so a script in the webview cannot name a file of its own.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ChosenFile {
    pub handle: String,
    /// The file's name, to show.
    pub name: String,
    /// Its whole path, to show.
    pub shown: String,
}

/// What an import should do; the file is read on the native side.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ImportRequest {
    /// The statement: a [`ChosenFile`] handle.
    pub file: String,
    pub account_id: String,
    /// A built-in layout id, or `None` to detect it.
    pub format: Option<String>,
    /// A column mapping (`date=…,amount=…,payee=…`) when detection is unsure.
    pub mapping: Option<String>,
    pub dry_run: bool,
    /// The user has seen the preview and confirms what was only guessed.
    #[serde(default)]
    pub accept_guess: bool,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ImportReport {
    pub rows: u64,
    pub imported: u64,
    pub duplicates: u64,
    pub rejected: u64,
    pub format: String,
    pub encoding: String,
    pub batch: Option<String>,
    pub dry_run: bool,
    pub transfers: u64,
    pub warnings: Vec<String>,
    pub errors: Vec<RowError>,
    /// A dry run's rows: every duplicate and rejection, and one page of the new rows.
    pub preview: Vec<PreviewRow>,
    /// Which page of the new rows `preview` holds (from 1), and how many pages there are.
    pub preview_page: u64,
    pub preview_pages: u64,
    /// How the file was read: layout, dates, decimal mark, sign, currency, each with what it rests on.
    pub decisions: Vec<ImportDecision>,
    /// Sanity checks the rows failed.
    pub doubts: Vec<String>,
    /// Something is only guessed or in doubt: the import is written only with `accept_guess`.
    pub needs_confirmation: bool,
}

/// One thing an import decided about a file.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ImportDecision {
    /// "layout", "dates", "decimal mark", "sign", "currency".
    pub aspect: String,
    pub choice: String,
    pub basis: Basis,
    pub evidence: String,
}

/// What a decision rests on.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum Basis {
    Proven,
    Layout,
    Given,
    Unstated,
    Guessed,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct RowError {
    pub line: u64,
    pub message: String,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum Outcome {
    New,
    Duplicate,
    Rejected,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct PreviewRow {
    pub line: u64,
    pub date: Option<String>,
    pub amount: Option<Money>,
    pub payee: String,
    pub outcome: Outcome,
    /// Why a row was rejected, or the id of the transaction it duplicates.
    pub detail: String,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ImportProgress {
    pub rows_done: u64,
    pub rows_total: u64,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ImportBatch {
    pub id: String,
    pub account: String,
    pub file_name: String,
    pub format: String,
    /// Rows read from the file.
    pub rows: u64,
    pub imported: u64,
    pub duplicates: u64,
    pub rejected: u64,
    pub imported_at: String,
    pub remaining: u64,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Format {
    pub id: String,
    pub name: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Rule {
    pub id: String,
    /// Rules are tried in this order, 1 first.
    pub position: i64,
    /// What it does, naming what it points at: `if payee contains "netflix" then file under Subscriptions`.
    pub description: String,
    /// The category it files under (full path), if it sets one.
    pub category: Option<String>,
    pub category_id: Option<String>,
    /// user or learned.
    pub origin: String,
}

/// A rule to add (the app's form, `POST /api/v1/rules`, `credence rule add`): every condition given must
/// hold, then every action given is taken. Empty texts are not given. At least one of each.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(default)]
pub struct NewRule {
    // Conditions.
    pub payee_contains: Option<String>,
    pub payee_is: Option<String>,
    /// A regular expression, matched without regard to case.
    pub payee_matches: Option<String>,
    pub payee_one_of: Vec<String>,
    /// The amount between these (money out negative), either end open.
    pub amount_min: Option<String>,
    pub amount_max: Option<String>,
    pub account_id: Option<String>,
    /// The date between these (YYYY-MM-DD), either end open.
    pub from: Option<String>,
    pub to: Option<String>,
    // Actions.
    pub category_id: Option<String>,
    pub rename_to: Option<String>,
    pub tag: Option<String>,
    pub memo: Option<String>,
    /// File matching transactions as transfers between the user's accounts and pair them.
    pub transfer: bool,
    /// Where it goes in the order (1 first); last when not given.
    pub position: Option<i64>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct RulesApplied {
    /// Transactions the rules looked at.
    pub examined: u64,
    /// Of those, how many a rule changed.
    pub changed: u64,
    /// Transfers paired afterwards.
    pub transfers: u64,
}

/// The category edit's answer: the transaction as it now is and, if the payee has no rule yet, the rule
/// the UI may offer to create.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Recategorized {
    pub transaction: Transaction,
    pub suggested_rule: Option<SuggestedRule>,
}

/// "File every <payee> under <category>", offered after a manual recategorization.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct SuggestedRule {
    pub payee: String,
    pub category_id: String,
    pub category: String,
    /// Other transactions of this payee the rule would re-file.
    pub would_change: u64,
}

/// One month's money in the dashboard's currency.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct MonthFigures {
    pub month: String,
    pub income: Money,
    pub expense: Money,
    pub net: Money,
    /// Percent of income kept, when there was income.
    pub savings_rate: Option<String>,
    /// How many transactions the month holds.
    pub transactions: u64,
}

/// A top category's spending this month, with its sub-categories.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct CategorySpending {
    pub category: String,
    /// Money out less refunds (positive).
    pub amount: Money,
    /// Percent of the month's spending.
    pub share: String,
    /// Its sub-categories' spending, largest first.
    pub parts: Vec<CategoryPart>,
}

/// A sub-category's share of a category's spending.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct CategoryPart {
    /// Full path ("Food:Groceries").
    pub name: String,
    pub amount: Money,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct NetWorthPoint {
    pub month: String,
    pub assets: Money,
    pub debts: Money,
    pub net: Money,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct UtilizationPoint {
    pub month: String,
    /// All cards together, percent.
    pub overall: Option<String>,
    /// Each card's own.
    pub cards: Vec<CardShare>,
    /// What the overall figure means for a score, and whether it weighs on it.
    pub advice: Option<String>,
    pub high: bool,
}

/// Everything the dashboard shows but the recurring payments, in one currency.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Dashboard {
    pub month: String,
    pub currency: String,
    /// Currencies added in at the user's rates.
    pub converted_from: Vec<String>,
    /// Currencies with money this month that no rate brings in: not in the figures.
    pub left_out: Vec<String>,
    pub this_month: MonthFigures,
    pub last_month: MonthFigures,
    /// Percent change from last month.
    pub income_change: Option<String>,
    pub spending_change: Option<String>,
    pub spending: Vec<CategorySpending>,
    /// Twelve month-ends, oldest first.
    pub net_worth: Vec<NetWorthPoint>,
    pub utilization: Vec<UtilizationPoint>,
}

/// One card's utilization at a month's end.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct CardShare {
    /// The card account's name.
    pub card: String,
    /// Balance as a percent of the limit ("42.5").
    pub percent: String,
}

/// How to read a statement uploaded to `POST /api/v1/imports` (the body is the file itself).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
#[cfg_attr(feature = "openapi", derive(utoipa::IntoParams))]
#[cfg_attr(feature = "openapi", into_params(parameter_in = Query))]
#[serde(deny_unknown_fields)]
pub struct ImportQuery {
    /// The account the statement belongs to.
    pub account_id: String,
    /// The file's name as the bank named it ("statement.csv", "export.qfx"): its extension tells OFX,
    /// QFX and CAMT from CSV, and the import list shows it.
    pub file_name: String,
    /// A built-in layout id (`GET /api/v1/imports/formats`); detected when not given.
    pub format: Option<String>,
    /// Which column is which (`date=Posting Date,amount=Amount,payee=Description`).
    pub mapping: Option<String>,
    /// A text encoding overriding detection (utf-8, windows-1252, utf-16, …).
    pub encoding: Option<String>,
    /// Show what would happen without writing anything.
    #[serde(default)]
    pub dry_run: bool,
    /// Write even though the layout, date order, decimal mark or sign is only guessed.
    #[serde(default)]
    pub accept_guess: bool,
}

/// Which months a monthly report covers (`GET /api/v1/reports/monthly`, `credence report monthly`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
#[cfg_attr(feature = "openapi", derive(utoipa::IntoParams))]
#[cfg_attr(feature = "openapi", into_params(parameter_in = Query))]
#[serde(default, deny_unknown_fields)]
pub struct MonthlyQuery {
    /// From this month or day (`2026-01` or `2026-01-15`).
    pub from: Option<String>,
    /// To this month or day (a month means its last day).
    pub to: Option<String>,
    /// Only this account's.
    pub account_id: Option<String>,
    /// Add other currencies into this one at the user's rates.
    pub convert_to: Option<String>,
}

/// One month in one currency: income, spending, net, and each category's net by full path.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct MonthReport {
    /// YYYY-MM.
    pub month: String,
    pub currency: String,
    pub income: Money,
    pub expense: Money,
    pub net: Money,
    /// Percent of income kept, when there was income.
    pub savings_rate: Option<String>,
    /// Net by category, keyed by full path ("Food:Groceries"; "Uncategorized"); transfers left out.
    pub categories: std::collections::BTreeMap<String, Money>,
    pub transactions: u64,
    /// Currencies added in at the user's rates.
    pub converted_from: Vec<String>,
}

/// A custom report's filters and grouping (empty lists and `None` mean all; dates YYYY-MM-DD).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(default)]
pub struct ReportRequest {
    pub from: Option<String>,
    pub to: Option<String>,
    pub account_ids: Vec<String>,
    pub category_ids: Vec<String>,
    pub payees: Vec<String>,
    pub tags: Vec<String>,
    pub text: Option<String>,
    pub min: Option<String>,
    pub max: Option<String>,
    /// week, month, quarter, year or all.
    pub period: String,
    /// category, payee, account or none.
    pub group: String,
    pub convert_to: Option<String>,
}

impl Default for ReportRequest {
    fn default() -> Self {
        ReportRequest {
            from: None,
            to: None,
            account_ids: Vec::new(),
            category_ids: Vec::new(),
            payees: Vec::new(),
            tags: Vec::new(),
            text: None,
            min: None,
            max: None,
            period: "month".into(),
            group: "category".into(),
            convert_to: None,
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ReportRow {
    /// "2026-03-02" (a week's Monday), "2026-03", "2026-Q1", "2026" or "all".
    pub period: String,
    /// The period's first day.
    pub start: String,
    /// The category path, payee or account name ("" when not grouped).
    pub group: String,
    pub currency: String,
    pub income: Money,
    pub expense: Money,
    pub total: Money,
    pub count: u64,
    pub average: Money,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct TrendPoint {
    /// The period's label ("2026-10", "2026-Q4", "2026-W44").
    pub period: String,
    /// Its first day.
    pub start: String,
    pub value: Money,
    pub transactions: u64,
    pub moving_average: Option<Money>,
    /// Against the period before.
    pub change: Option<Money>,
    pub change_percent: Option<String>,
    /// The same period a year before, and the change against it.
    pub year_ago: Option<Money>,
    pub year_change_percent: Option<String>,
}

/// One currency's trend, with its chart drawn by core where one was asked for.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Trend {
    /// income, spending or net.
    pub measure: String,
    /// week, month, quarter or year.
    pub period: String,
    pub currency: String,
    pub window: usize,
    pub converted_from: Vec<String>,
    pub points: Vec<TrendPoint>,
    /// An SVG document (the app and the API; not the CLI's JSON).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub chart: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct SavedReport {
    pub name: String,
    pub request: ReportRequest,
}

/// A category's budget this month and what was spent against it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Budget {
    pub category_id: String,
    pub category: String,
    pub currency: String,
    /// The month this amount has applied from (YYYY-MM).
    pub since: String,
    pub budget: Money,
    pub spent: Money,
    /// What is left (negative: over budget), and how much that is either way.
    pub remaining: Money,
    pub left_or_over: Money,
    pub used_percent: String,
    /// The used share as a bar's width: whole percent, 0–100.
    pub bar_percent: u32,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct NewBudget {
    pub category_id: String,
    pub amount: String,
    pub currency: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Recurring {
    pub payee: String,
    pub account: String,
    /// weekly, fortnightly, monthly, quarterly or yearly.
    pub cadence: String,
    /// The latest amount (money out negative).
    pub amount: Money,
    pub currency: String,
    pub occurrences: u64,
    pub last_date: String,
    pub next_date: String,
    /// Periods with no payment between the first and the last.
    pub skipped: u64,
    /// active, missed (one payment late) or lapsed.
    pub status: String,
    pub price_change: Option<PriceChange>,
    /// What deserves attention, a sentence each.
    pub notes: Vec<String>,
}

/// A recurring payment's new price, and the day it was first paid.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct PriceChange {
    pub from: Money,
    pub to: Money,
    pub on: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Score {
    /// `None` while the vault holds no scorable credit report (`not_scorable` says why).
    pub score: Option<u16>,
    /// The likely range of the real score of this flavour.
    pub range: Option<(u16, u16)>,
    pub band: Option<String>,
    pub as_of: String,
    pub model: String,
    /// The flavour whose rules were applied (a value of `FLAVOURS`).
    pub flavour: String,
    pub factors: Vec<ScoreFactor>,
    /// Points the derogatory items (late payments, collections, records) take off.
    pub derogatory_effect: i32,
    /// The share of people at this score the model expects to fall 90 days behind within two years.
    pub bad_rate: Option<String>,
    pub reasons: Vec<ScoreReason>,
    pub positives: Vec<String>,
    pub not_scorable: Vec<String>,
    /// The estimate calibrated to each score family the user reported.
    pub calibration: Vec<Calibration>,
    /// What to do, best first.
    pub advice: Vec<ScoreAdvice>,
    /// The open cards, for the simulator's sliders.
    pub cards: Vec<CardUse>,
}

/// The score flavours the app offers: (value, label).
pub const FLAVOURS: &[(&str, &str)] = &[
    ("fico8", "FICO 8"),
    ("fico9", "FICO 9"),
    ("fico_legacy", "Older FICO (2, 4, 5)"),
    ("vantage", "VantageScore-like"),
];

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Calibration {
    pub family: String,
    pub score: u16,
    pub range: (u16, u16),
    pub offset: i32,
    pub observations: u64,
    /// "Your FICO 8 scores run 6 points above this estimate on average; shown 742 ± 9."
    pub sentence: String,
    pub warning: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ScoreAdvice {
    pub action: String,
    /// What it costs, for payments ("$1,250.00").
    pub cost: Option<String>,
    /// How many months it takes, for waiting.
    pub months: u32,
    pub points: i32,
}

/// A card payment that moves the card to a better utilization bin, and the points it is worth.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct UtilizationStep {
    pub account: String,
    pub pay: Money,
    pub points: i32,
}

/// One payment of a plan.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct PlannedPayment {
    pub account: String,
    pub amount: Money,
}

/// An item of the credit report in the exchange format, with its id in the vault.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct CreditItem {
    pub id: String,
    /// account, inquiry, collection, public_record or reported_score.
    pub kind: String,
    pub item: serde_json::Value,
}

/// An open card as the score reads it: balance and limit as figures and as text, and its utilization.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct CardUse {
    pub id: String,
    pub balance: Money,
    pub limit: Money,
    /// Whole percent, as the score rounds it.
    pub utilization: u32,
}

/// A plan to reach a target score.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ScorePlan {
    pub target: u16,
    pub current: Option<u16>,
    /// Each step as a sentence, in order ("Pay $1,200.00 on visa before its statement closes").
    pub steps: Vec<String>,
    /// The total to pay, as text, and each payment.
    pub pay: Option<String>,
    pub payments: Vec<PlannedPayment>,
    pub by: Option<String>,
    /// The score the plan reaches, or `None` when the target is out of reach.
    pub score: Option<u16>,
    pub best: Option<u16>,
    pub summary: String,
}

/// The estimate month by month: history, then projection, with the scores the user saw.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ScoreTimeline {
    /// The chart as an SVG document.
    pub svg: String,
    pub points: Vec<ScorePoint>,
    /// When each late payment, inquiry, collection and record stops counting: (date, what).
    pub calendar: Vec<(String, String)>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ScorePoint {
    pub month: String,
    pub score: Option<u16>,
    pub projected: bool,
    pub reported: Vec<(String, u16)>,
    pub notes: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ScoreComparison {
    pub first: Score,
    pub second: Score,
    pub differences: Vec<String>,
}

/// The first-score wizard's answers, as typed (months as YYYY-MM, amounts as text).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(default)]
pub struct FirstScoreAnswers {
    #[serde(deserialize_with = "object::many")]
    pub cards: Vec<CardAnswer>,
    #[serde(deserialize_with = "object::many")]
    pub loans: Vec<LoanAnswer>,
    #[serde(deserialize_with = "object::many")]
    pub inquiries: Vec<InquiryAnswer>,
    #[serde(deserialize_with = "object::many")]
    pub collections: Vec<CollectionAnswer>,
    #[serde(deserialize_with = "object::many")]
    pub public_records: Vec<RecordAnswer>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(default)]
pub struct CardAnswer {
    pub name: String,
    pub opened: String,
    pub limit: String,
    pub balance: String,
    /// "" for never late, else 30, 60, 90, 120 or chargeoff.
    pub late: String,
    pub late_month: String,
    /// The vault account this card is; "" for none.
    pub account_id: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(default)]
pub struct LoanAnswer {
    pub name: String,
    /// auto, student, mortgage, personal.
    pub kind: String,
    pub opened: String,
    pub original_amount: String,
    pub balance: String,
    pub late: String,
    pub late_month: String,
    pub account_id: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(default)]
pub struct InquiryAnswer {
    pub month: String,
    /// card, auto, mortgage, student, other.
    pub purpose: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(default)]
pub struct CollectionAnswer {
    pub month: String,
    pub amount: String,
    /// "" while unpaid.
    pub paid_month: String,
    pub medical: bool,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(default)]
pub struct RecordAnswer {
    pub kind: String,
    pub month: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct FirstScore {
    pub score: Score,
    /// What the estimate does not know yet.
    pub unknowns: Vec<String>,
}

/// The credit file as the editor shows it: one section per kind of item.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct CreditFile {
    pub sections: Vec<CreditSection>,
    /// Card and loan accounts of the vault a tradeline can be linked to: (id, name).
    pub linkable: Vec<(String, String)>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct CreditSection {
    /// account, inquiry, collection, public_record, reported_score.
    pub kind: String,
    pub label: String,
    pub form: Vec<FormField>,
    pub items: Vec<CreditEntry>,
}

/// A field of an item's form, as core describes it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct FormField {
    pub name: String,
    pub label: String,
    /// text, date, money, number, flag or choice.
    pub input: String,
    pub required: bool,
    /// For a choice: (value, label).
    pub options: Vec<(String, String)>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct CreditEntry {
    pub id: String,
    /// One line saying what it is ("visa · Credit card · opened 2015-03-01").
    pub summary: String,
    /// The form's values, in the form's order.
    pub values: Vec<String>,
    /// For a card or loan: its id in the report, its payment grid and the vault account it follows.
    pub tradeline: Option<String>,
    pub grid: Vec<PaymentMonth>,
    pub linked: Option<(String, String)>,
}

/// One month of a payment-history grid: `status` "ok", "30", "60", "90", "120" or "chargeoff".
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct PaymentMonth {
    pub month: String,
    pub status: String,
}

/// The statuses a payment-history month can have, in the order a click cycles through them.
pub const PAYMENT_STATUSES: &[&str] = &["ok", "30", "60", "90", "120", "chargeoff"];

/// One what-if change as a person writes it: `kind` one of `pay`, `pay-all-cards`, `raise-limit`,
/// `close`, `pay-off`, `pay-collection`, `open-card`, `rate-shop`, `miss-payment`, `wait`; `value` as
/// `credence score simulate` takes it (`card-1:250`, `10`, `auto:3:14`, …). Core reads it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ScoreChange {
    pub kind: String,
    pub value: String,
}

/// The estimate before and after a list of changes.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ScoreSimulation {
    pub before: Score,
    pub after: Score,
    /// Points gained (negative: lost); `None` when either side is not scorable.
    pub delta: Option<i32>,
    /// Each category whose points moved: (name, before, after).
    pub moved: Vec<(String, i32, i32)>,
}

/// What a stored credit report holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct CreditCounts {
    pub accounts: u64,
    pub inquiries: u64,
    pub collections: u64,
    pub public_records: u64,
    pub reported_scores: u64,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ScoreFactor {
    pub name: String,
    pub points: i32,
    pub max_points: u32,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ScoreReason {
    /// A stable code for the reason ("U1").
    pub code: String,
    pub text: String,
    pub detail: String,
    pub points_lost: String,
    /// When it stops costing points by itself, where time alone fixes it.
    pub improves_on: Option<String>,
}

/// One change in the vault's log: what it did, when and where, and whether it was undone.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct HistoryEntry {
    pub id: i64,
    pub summary: String,
    /// Local time, to show ("2026-11-25 14:03").
    pub when: String,
    /// RFC 3339, UTC.
    pub time: Option<String>,
    /// The hybrid logical clock stamp that orders changes across devices.
    pub hlc: String,
    pub device: String,
    /// The change this one undid, and the change that undid this one.
    pub undoes: Option<i64>,
    pub undone_by: Option<i64>,
    /// How many rows and fields it touched.
    pub change_count: u64,
    /// Each of them (`credence log --json` only; the app and the API list entries without them).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub changes: Option<Vec<FieldChange>>,
}

/// One row-level change: `old` holds the whole row for a delete, `old`/`new` one field's values for an
/// update; an insert has neither.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct FieldChange {
    /// insert, update or delete.
    pub kind: String,
    pub entity: String,
    pub id: String,
    pub field: Option<String>,
    pub old: Option<serde_json::Value>,
    pub new: Option<serde_json::Value>,
}

/// An exchange rate: one `currency` is worth `rate` `quote` from `from` on.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ExchangeRate {
    pub currency: String,
    pub quote: String,
    pub from: String,
    pub rate: String,
}

/// Where the vault is (`credence where`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct VaultLocation {
    pub vault: String,
    pub exists: bool,
}

/// A new recovery key, shown once (`credence init`, `credence recovery-key --new`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RecoveryKeyShown {
    pub vault: String,
    /// The 24 words.
    pub recovery_key: String,
}

/// What `credence check` found.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct IntegrityReport {
    pub ok: bool,
    pub problems: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct BackupDone {
    pub path: String,
    pub bytes: u64,
}

/// The app's preferences, kept outside the vault because they apply before it is unlocked.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(default)]
pub struct Settings {
    /// system, light or dark.
    pub theme: String,
    /// iso (2026-11-25), us (11/25/2026) or eu (25.11.2026).
    pub date_format: String,
    /// The currency new accounts start with.
    pub currency: String,
    /// Lock the vault after this many idle minutes; 0 never.
    pub auto_lock_minutes: u32,
    /// Raise an OS notification for a new payment_due, payment_missed or utilization_high alert.
    pub notifications: bool,
    /// The coach's utilization target at closing, a percent of the limit (30 or 10).
    pub utilization_target: u32,
}

impl Default for Settings {
    fn default() -> Self {
        Settings {
            theme: "system".into(),
            date_format: "iso".into(),
            currency: "USD".into(),
            auto_lock_minutes: 15,
            notifications: true,
            utilization_target: 30,
        }
    }
}

/// What the credit coach says (`credence coach --json`, `GET /api/v1/coach`, the app's Coach page).
/// Dates are YYYY-MM-DD; money is a decimal string in the account's currency, in the holder's view.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Coach {
    pub as_of: String,
    /// Every card and loan that is not archived.
    pub accounts: Vec<CoachAccount>,
    /// Most pressing first: payment_missed, payment_due, utilization_high, late_fee, interest.
    pub alerts: Vec<CoachAlert>,
}

/// One card or loan as the coach reads it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct CoachAccount {
    /// The account's name.
    pub account: String,
    pub account_id: String,
    /// credit-card or loan.
    pub kind: String,
    pub currency: String,
    /// The statement closing and payment due days in use (null when neither is set nor can be told).
    pub statement_day: Option<u32>,
    pub due_day: Option<u32>,
    /// At least one of the two was inferred from the postings, not set.
    pub inferred: bool,
    /// The latest closing on or before as_of, and the next one.
    pub last_closing: Option<String>,
    pub next_closing: Option<String>,
    /// The balance at the latest closing (owed is negative, "-141.04").
    pub statement_balance: Option<String>,
    /// The latest statement's due date.
    pub due: Option<String>,
    /// A payment has been seen for the latest statement.
    pub paid: bool,
    /// What those payments came to ("141.04").
    pub paid_amount: String,
    /// Statements in a row paid by their due date.
    pub streak_months: u32,
    pub balance_now: String,
    pub credit_limit: Option<String>,
    /// Whole percent of the limit owed now and projected at the next closing (cards with a limit).
    pub utilization_now: Option<u64>,
    pub utilization_at_closing: Option<u64>,
    /// The credit file's tradeline tied to this account (points are given only then).
    pub tradeline: Option<String>,
    /// The account's state in a sentence.
    pub summary: String,
}

/// Something to act on before it costs points or money.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct CoachAlert {
    /// payment_due, payment_missed, utilization_high, late_fee or interest.
    pub kind: String,
    /// The account's name.
    pub account: String,
    pub account_id: String,
    pub currency: String,
    /// The due date (payment_due, payment_missed), the closing date (utilization_high) or the posting
    /// date (late_fee, interest).
    pub date: String,
    /// When a missed payment would be reported 30 days late (the due date + 30 days); null otherwise.
    pub report_date: Option<String>,
    /// To pay (positive), or the fee or interest charged.
    pub amount: String,
    /// The score engine's points for it (negative: lost); null when the account is not tied to the
    /// credit file.
    pub points: Option<i32>,
    pub text: String,
    /// The same alert on another day has the same key (what the app notifies once for).
    pub key: String,
}

/// Where sync stands on this device (`credence sync status`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct SyncStatus {
    /// The sync server; null when sync is off for this vault.
    pub server: Option<String>,
    pub user: Option<String>,
    pub vault: String,
    pub device: String,
    /// This device's operations not yet on the server.
    pub pending: u64,
    /// When a sync last finished (RFC 3339), if ever.
    pub last_sync: Option<String>,
    /// How far into the vault's records this device has read.
    pub cursor: u64,
    /// What the account may do with the vault: owner, editor or viewer (null before the first sync).
    pub role: Option<String>,
}

/// What one sync did.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct SyncReport {
    /// Records this device uploaded.
    pub pushed: u64,
    /// Records of other devices applied here.
    pub pulled: u64,
    /// Writes last-writer-wins decided against during this sync (`credence sync conflicts`).
    pub conflicts: u64,
}

/// Writes last-writer-wins decided against, newest first.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct SyncConflicts {
    pub conflicts: Vec<SyncConflict>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct SyncConflict {
    pub decided_at: String,
    /// account, category, transaction, …
    pub entity: String,
    pub entity_id: String,
    /// The field, for an edit; null for a whole row.
    pub field: Option<String>,
    /// The value that stayed (JSON text), when one did.
    pub kept: Option<String>,
    /// The value overwritten or dropped (JSON text), or why the row was.
    pub lost: Option<String>,
    /// The device whose write lost, and when it was made.
    pub lost_device: String,
    pub lost_at: String,
}

/// A second factor being set up for the sync account (`credence sync totp enable`), shown once.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct TotpSetup {
    /// The shared secret, base32.
    pub secret: String,
    /// `otpauth://totp/…`, for a QR code.
    pub uri: String,
    pub recovery_codes: Vec<String>,
}

/// The vault's devices as the sync server knows them.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct SyncDevices {
    pub devices: Vec<SyncDevice>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct SyncDevice {
    pub device: String,
    pub user: String,
    pub first_seen: String,
    pub last_seen: String,
    pub records: u64,
    pub revoked: bool,
    pub this_device: bool,
}

/// What `credence sync join` did: the sync, and for a member of a shared vault (whose vault file is its
/// own) the new file's recovery key, shown once.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct SyncJoined {
    #[serde(flatten)]
    pub report: SyncReport,
    /// The 24 words; null when the vault's own passphrase and recovery key open the new file.
    pub recovery_key: Option<String>,
}

/// Who shares the vault (`credence sync members`), the owner first.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct SyncMembers {
    pub members: Vec<SyncMember>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct SyncMember {
    pub user: String,
    /// owner, editor or viewer.
    pub role: String,
    /// The fingerprint of the member's key for sharing (compare it with what the member's own device
    /// shows); null for an account that has not signed in since sharing came.
    pub fingerprint: Option<String>,
    pub since: String,
    /// This device's account.
    pub you: bool,
}

/// The vault's snapshots on the sync server, newest first (`credence sync snapshots`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct SyncSnapshots {
    pub snapshots: Vec<SyncSnapshot>,
}

/// A snapshot: the whole vault as one device held it, sealed on that device.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct SyncSnapshot {
    pub id: String,
    pub device: String,
    /// It holds every record that reached the server up to this cursor.
    pub cursor: u64,
    /// Sealed bytes on the server.
    pub bytes: u64,
    /// Nothing in it is newer than this (RFC 3339).
    pub taken_at: String,
    pub stored_at: String,
}

/// What a point-in-time restore built (`credence sync restore`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct SyncRestore {
    /// The new vault file; it opens with the vault's passphrase or recovery key, and does not sync.
    pub path: String,
    /// The moment restored (RFC 3339).
    pub at: String,
    /// The snapshot it started from, if one was older than the moment.
    pub snapshot: Option<String>,
    /// Records read after the snapshot (or from the start).
    pub records: u64,
}

/// Rent, utilities, phone and streaming paid on time: the record a lender could be shown.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct OnTimeBills {
    /// What this record is and is not (no score effect is claimed).
    pub note: String,
    pub bills: Vec<OnTimeBill>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct OnTimeBill {
    /// rent, utilities, phone or streaming.
    pub kind: String,
    pub payee: String,
    pub account: String,
    /// monthly, quarterly, …
    pub cadence: String,
    /// The latest payment.
    pub amount: Money,
    /// Payments in a row at the cadence, and the date of the first of them.
    pub streak: u32,
    pub since: String,
    pub last_date: String,
    /// The next payment is overdue.
    pub overdue: bool,
}

/// A trend over what a report selects (`POST /api/v1/reports/trend`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(default)]
pub struct TrendRequest {
    /// What to include and the period (week, month, quarter or year); its grouping is ignored.
    #[serde(deserialize_with = "object::one")]
    pub report: ReportRequest,
    /// income, spending or net (spending when not given).
    pub measure: Option<String>,
    /// Periods in the moving average, 1 to 36 (3 when not given).
    #[cfg_attr(feature = "openapi", schema(minimum = 1, maximum = 36))]
    pub window: Option<u32>,
    /// The chart's colours: light (the default) or dark.
    pub theme: Option<String>,
}

/// How to draw a chart (`GET /api/v1/charts/{kind}`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
#[cfg_attr(feature = "openapi", derive(utoipa::IntoParams))]
#[cfg_attr(feature = "openapi", into_params(parameter_in = Query))]
#[serde(default, deny_unknown_fields)]
pub struct ChartQuery {
    /// How many months back, 1 to 120 (12 when not given).
    #[cfg_attr(feature = "openapi", param(minimum = 1, maximum = 120))]
    pub months: Option<u32>,
    /// light (the default) or dark.
    pub theme: Option<String>,
    /// svg (the default) or png.
    pub format: Option<String>,
}

/// The score month by month (`GET /api/v1/credit-score/history`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
#[cfg_attr(feature = "openapi", derive(utoipa::IntoParams))]
#[cfg_attr(feature = "openapi", into_params(parameter_in = Query))]
#[serde(default, deny_unknown_fields)]
pub struct HistoryQuery {
    /// fico8 (the default), fico9, fico_legacy or vantage.
    pub flavour: Option<String>,
    /// Months back, 0 to 120 (24 when not given).
    #[cfg_attr(feature = "openapi", param(minimum = 0, maximum = 120))]
    pub back: Option<u32>,
    /// Months ahead if nothing changes, 0 to 120 (24 when not given).
    #[cfg_attr(feature = "openapi", param(minimum = 0, maximum = 120))]
    pub forward: Option<u32>,
    /// The chart's colours: light (the default) or dark.
    pub theme: Option<String>,
}

/// Two flavours to compare (`GET /api/v1/credit-score/compare`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
#[cfg_attr(feature = "openapi", derive(utoipa::IntoParams))]
#[cfg_attr(feature = "openapi", into_params(parameter_in = Query))]
#[serde(deny_unknown_fields)]
pub struct CompareQuery {
    pub first: String,
    pub second: String,
}

/// What makes the score: each factor's points and the reasons it is not higher.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ScoreFactors {
    pub score: Option<u16>,
    pub as_of: String,
    pub flavour: String,
    pub factors: Vec<ScoreFactor>,
    pub reasons: Vec<ScoreReason>,
    pub positives: Vec<String>,
    pub not_scorable: Vec<String>,
}

/// An item to add to the credit file: its kind (a section's `kind`) and its form's fields by name.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct NewCreditItem {
    /// account, inquiry, collection, public_record or reported_score.
    pub kind: String,
    pub fields: std::collections::BTreeMap<String, String>,
}

/// Fields of a credit-file item to change, by name; others stay.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct CreditItemChange {
    pub fields: std::collections::BTreeMap<String, String>,
}

/// A credit-file item added.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct CreatedItem {
    pub id: String,
}

/// One month of a tradeline's payment history: ok, 30, 60, 90, 120 or chargeoff.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct PaymentStatus {
    #[cfg_attr(feature = "openapi", schema(pattern = "^(ok|30|60|90|120|chargeoff)$"))]
    pub status: String,
}

/// The vault account a tradeline follows (its balance and limit then come from the ledger).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct CreditLink {
    pub account_id: String,
}

/// A score the user saw elsewhere today ("742, FICO 8, Experian"), to calibrate the estimate.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ReportedScore {
    /// 300 to 850, as text (as the credit file's form takes it).
    #[cfg_attr(feature = "openapi", schema(pattern = "^[0-9]{3}$"))]
    pub value: String,
    /// The score's family as the field's choices name it (`GET /api/v1/credit-file` shows them).
    pub family: String,
    pub bureau: String,
}

/// The shape of a JSON value, for snapshot tests of what the doors print: every key with the shape of its
/// value, an array as the shape of its first element, scalars by type. What a client relies on, without
/// the ids, dates and figures of one run.
pub fn shape_of(value: &serde_json::Value) -> serde_json::Value {
    use serde_json::Value;
    match value {
        Value::Object(fields) => Value::Object(fields.iter().map(|(k, v)| (k.clone(), shape_of(v))).collect()),
        Value::Array(items) => Value::Array(items.first().map(shape_of).into_iter().collect()),
        Value::String(_) => "string".into(),
        Value::Number(_) => "number".into(),
        Value::Bool(_) => "bool".into(),
        Value::Null => "null".into(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn errors_cross_as_code_and_message() {
        let json = serde_json::to_string(&ApiError::new(ErrorCode::WrongPassphrase, "wrong passphrase")).expect("json");
        assert_eq!(json, r#"{"code":"wrong_passphrase","message":"wrong passphrase"}"#);
    }

    #[test]
    fn a_nested_shape_is_read_from_an_object_only() {
        let given: TrendRequest =
            serde_json::from_str(r#"{"report": {"period": "week"}, "window": 4}"#).expect("an object reads");
        assert_eq!((given.report.period.as_str(), given.window), ("week", Some(4)));
        let error = serde_json::from_str::<TrendRequest>(r#"{"report": [null, null]}"#).expect_err("an array");
        assert!(error.to_string().contains("expected an object"), "{error}");
        let changes = r#"{"changes": [{"kind": "pay", "value": "visa:10"}, ["wait", "3"]]}"#;
        assert!(serde_json::from_str::<SimulationRequest>(changes).is_err());
        assert!(serde_json::from_str::<Vec<object::Object<NewTransaction>>>(r#"[["a", "2026-01-01"]]"#).is_err());
    }

    #[test]
    fn fields_are_snake_case_on_every_door() {
        let q: TransactionQuery = serde_json::from_str(r#"{"account_id":"a","offset":50,"limit":100}"#).expect("query");
        assert_eq!((q.account_id.as_deref(), q.offset, q.limit), (Some("a"), 50, 100));
        assert!(serde_json::from_str::<TransactionQuery>(r#"{"accountId":"a","offset":0,"limit":1}"#)
            .is_ok_and(|q| q.account_id.is_none()));
    }
}
