//! The REST API as a client meets it: a real server on a loopback port over a real encrypted vault,
//! spoken to over HTTP.

use std::path::Path;

use credence_api::{self as api, ErrorCode, Problem};
use credence_core::vault::KDF_FLOOR;
use credence_core::{CreateOptions, Passphrase, Vault};
use serde_json::{json, Value};

/// A server on 127.0.0.1 (a free port) over a new vault; stopped, and its thread joined, on drop.
struct Server {
    base: String,
    token: String,
    _serving: credence_rest::Background,
    _dir: tempfile::TempDir,
}

impl Server {
    fn start() -> Server {
        let dir = tempfile::tempdir().expect("dir");
        let path = dir.path().join("api.vault");
        let passphrase = Passphrase::new("correct horse battery staple");
        let (vault, _) = Vault::create_with(&path, &passphrase, CreateOptions { kdf: KDF_FLOOR }).expect("vault");
        let token = credence_rest::Token::for_vault(&path).expect("token");
        let secret = token.dangerously_reveal().to_string();
        let serving = credence_rest::Background::start(credence_rest::router(vault, token)).expect("serve");
        Server { base: format!("http://{}", serving.address()), token: secret, _serving: serving, _dir: dir }
    }

    fn url(&self, path: &str) -> String {
        format!("{}{path}", self.base)
    }

    fn auth(&self) -> String {
        format!("Bearer {}", self.token)
    }
}

fn agent() -> ureq::Agent {
    ureq::Agent::config_builder().http_status_as_error(false).build().into()
}

/// A response: status, headers we look at, and the body as JSON (Null when empty).
struct Reply {
    status: u16,
    content_type: String,
    etag: Option<String>,
    body: Value,
}

fn reply(response: Result<ureq::http::Response<ureq::Body>, ureq::Error>) -> Reply {
    let mut response = response.expect("an HTTP answer");
    let header = |name: &str| response.headers().get(name).and_then(|v| v.to_str().ok()).map(str::to_string);
    let (content_type, etag) = (header("content-type").unwrap_or_default(), header("etag"));
    let status = response.status().as_u16();
    let text = response.body_mut().read_to_string().expect("body");
    let body = if text.is_empty() { Value::Null } else { serde_json::from_str(&text).expect("JSON body") };
    Reply { status, content_type, etag, body }
}

impl Server {
    fn get(&self, path: &str) -> Reply {
        reply(agent().get(self.url(path)).header("Authorization", self.auth()).call())
    }

    fn send(&self, method: &str, path: &str, body: &Value, if_match: Option<&str>) -> Reply {
        let request = ureq::http::Request::builder()
            .method(method)
            .uri(self.url(path))
            .header("Authorization", self.auth())
            .header("Content-Type", "application/json");
        let request = match if_match {
            Some(tag) => request.header("If-Match", tag),
            None => request,
        };
        reply(agent().run(request.body(body.to_string()).expect("request")))
    }

    fn delete(&self, path: &str, if_match: Option<&str>) -> Reply {
        let request = agent().delete(self.url(path)).header("Authorization", self.auth());
        reply(match if_match {
            Some(tag) => request.header("If-Match", tag).call(),
            None => request.call(),
        })
    }
}

/// The problem details of an error reply, checked to be one.
fn problem(reply: &Reply, status: u16) -> Problem {
    assert_eq!(reply.status, status, "{}", reply.body);
    assert_eq!(reply.content_type, "application/problem+json");
    let problem: Problem = serde_json::from_value(reply.body.clone()).expect("problem details");
    assert_eq!(problem.status, status);
    assert!(problem.kind.starts_with("urn:credence:problem:"), "{}", problem.kind);
    assert!(!problem.detail.is_empty());
    problem
}

fn checking(server: &Server) -> api::Account {
    let new = json!({"name": "Everyday", "kind": "checking", "currency": "USD", "credit_limit": null});
    let created = server.send("POST", "/api/v1/accounts", &new, None);
    assert_eq!(created.status, 201, "{}", created.body);
    serde_json::from_value(created.body).expect("account")
}

fn new_transaction(account: &str, date: &str, amount: &str, payee: &str) -> Value {
    json!({"account_id": account, "date": date, "amount": amount, "payee": payee, "memo": "", "category_id": null})
}

#[test]
fn every_operation_refuses_a_request_without_the_token_or_with_another() {
    let server = Server::start();
    let document: Value = serde_json::from_str(&credence_rest::document()).expect("document");
    let paths = document["paths"].as_object().expect("paths");
    let mut operations = 0;
    for (path, item) in paths {
        // A made-up id where the path has one: the token is checked before anything is looked up.
        let path = path.replace("{id}", "0190f000-0000-7000-8000-000000000000").replace("{batch}", "x");
        for method in item.as_object().expect("operations").keys() {
            for authorization in [None, Some("Bearer 0000"), Some(format!("Basic {}", server.token).as_str())] {
                let request =
                    ureq::http::Request::builder().method(method.to_uppercase().as_str()).uri(server.url(&path));
                let request = match authorization {
                    Some(value) => request.header("Authorization", value),
                    None => request,
                };
                let reply = reply(agent().run(request.body(String::new()).expect("request")));
                let problem = problem(&reply, 401);
                assert_eq!(problem.code, ErrorCode::Unauthorized, "{method} {path}");
            }
            operations += 1;
        }
    }
    assert!(operations >= 20, "only {operations} operations documented");
}

#[test]
fn transactions_are_paged_by_cursor_and_updates_need_the_version_they_read() {
    let server = Server::start();
    let account = checking(&server);
    let rows: Vec<Value> = (1..=25)
        .map(|n| {
            new_transaction(
                &account.id,
                &format!("2026-10-{:02}", n % 9 + 1),
                &format!("-{n}.25"),
                &format!("Shop {n}"),
            )
        })
        .collect();
    let bulk = server.send("POST", "/api/v1/transactions/bulk", &Value::Array(rows), None);
    assert_eq!(bulk.status, 201, "{}", bulk.body);
    assert_eq!(bulk.body["created"], 25);

    // Pages of 10 by cursor: every row once, newest day first, the last page without a cursor.
    let (mut seen, mut cursor, mut pages) = (Vec::new(), None::<String>, 0);
    loop {
        let query = cursor.as_ref().map_or(String::new(), |c| format!("&cursor={c}"));
        let page = server.get(&format!("/api/v1/transactions?limit=10{query}"));
        assert_eq!(page.status, 200, "{}", page.body);
        let page: api::TransactionList = serde_json::from_value(page.body).expect("page");
        pages += 1;
        seen.extend(page.rows);
        match page.next_cursor {
            Some(next) => cursor = Some(next),
            None => break,
        }
    }
    assert_eq!((seen.len(), pages), (25, 3));
    assert!(seen.windows(2).all(|w| w[0].date >= w[1].date));
    let mut ids: Vec<&str> = seen.iter().map(|t| t.id.as_str()).collect();
    ids.sort_unstable();
    ids.dedup();
    assert_eq!(ids.len(), 25);
    let filtered =
        server.get(&format!("/api/v1/transactions?account_id={}&search=Shop%2012&from=2026-10-01", account.id));
    let filtered: api::TransactionList = serde_json::from_value(filtered.body).expect("filtered");
    assert_eq!(filtered.rows.iter().map(|t| t.payee.as_str()).collect::<Vec<_>>(), ["Shop 12"]);
    assert_eq!(filtered.rows[0].amount.amount, "-12.25");
    assert_eq!(filtered.rows[0].amount.display, "−$12.25");

    // One read, two writers: the second, holding the old version, is refused instead of overwriting.
    let id = &seen[0].id;
    let read = server.get(&format!("/api/v1/transactions/{id}"));
    let version = read.etag.clone().expect("an ETag");
    let path = format!("/api/v1/transactions/{id}");
    problem(&server.send("PATCH", &path, &json!({"payee": "No version"}), None), 428);
    let first = server.send("PATCH", &path, &json!({"payee": "First writer"}), Some(&version));
    assert_eq!(first.status, 200, "{}", first.body);
    assert_eq!(first.body["payee"], "First writer");
    let newer = first.etag.expect("the new ETag");
    assert_ne!(newer, version);
    let second = server.send("PATCH", &path, &json!({"payee": "Second writer"}), Some(&version));
    assert_eq!(problem(&second, 412).code, ErrorCode::PreconditionFailed);
    assert_eq!(server.get(&path).body["payee"], "First writer");
    problem(&server.delete(&path, Some(&version)), 412);
    assert_eq!(server.delete(&path, Some(&newer)).status, 204);
    assert_eq!(problem(&server.get(&path), 404).code, ErrorCode::NotFound);

    // The deletion is one change in the log, and undo brings the row back.
    let undone = server.send("POST", "/api/v1/undo", &Value::Null, None);
    assert_eq!(undone.status, 200, "{}", undone.body);
    assert_eq!(server.get(&path).body["payee"], "First writer");
    let changes = server.get("/api/v1/changes?limit=2");
    assert_eq!(changes.body.as_array().map(Vec::len), Some(2));
}

#[test]
fn bad_input_is_refused_naming_the_field_and_changes_nothing() {
    let server = Server::start();
    let account = checking(&server);
    let add = |body: &Value| server.send("POST", "/api/v1/transactions", body, None);

    let bad_amount = problem(&add(&new_transaction(&account.id, "2026-10-01", "12.3.4", "x")), 422);
    assert_eq!((bad_amount.code, bad_amount.field.as_deref()), (ErrorCode::Invalid, Some("amount")));
    let bad_date = problem(&add(&new_transaction(&account.id, "2026-02-30", "1.00", "x")), 422);
    assert_eq!(bad_date.field.as_deref(), Some("date"));
    let mut wrong_type = new_transaction(&account.id, "2026-10-01", "1.00", "x");
    wrong_type["amount"] = json!(1.5);
    assert_eq!(problem(&add(&wrong_type), 422).field.as_deref(), Some("amount"));
    let unknown_account =
        problem(&add(&new_transaction("0190f000-0000-7000-8000-000000000000", "2026-10-01", "1.00", "x")), 404);
    assert_eq!(unknown_account.code, ErrorCode::NotFound);
    let mut in_bulk = vec![new_transaction(&account.id, "2026-10-01", "1.00", "fine"); 3];
    in_bulk[2]["date"] = json!("yesterday");
    let bulk = problem(&server.send("POST", "/api/v1/transactions/bulk", &Value::Array(in_bulk), None), 422);
    assert_eq!(bulk.field.as_deref(), Some("[2].date"));

    // Not JSON, not said to be JSON, too large.
    let raw = |content_type: &str, body: Vec<u8>| {
        reply(
            agent()
                .post(server.url("/api/v1/transactions"))
                .header("Authorization", server.auth())
                .header("Content-Type", content_type)
                .send(&body[..]),
        )
    };
    assert_eq!(problem(&raw("application/json", b"{\"amount\":".to_vec()), 400).code, ErrorCode::BadRequest);
    assert_eq!(problem(&raw("text/plain", b"{}".to_vec()), 400).code, ErrorCode::BadRequest);
    assert_eq!(problem(&raw("application/json", b"{} trailing".to_vec()), 400).code, ErrorCode::BadRequest);
    // An array where an object belongs (serde alone would read it as the fields in order).
    assert_eq!(problem(&raw("application/json", b"[null, null]".to_vec()), 422).code, ErrorCode::Invalid);
    let huge = vec![b' '; credence_rest::BODY_LIMIT + 1];
    assert_eq!(problem(&raw("application/json", huge), 413).code, ErrorCode::TooLarge);

    // Query parameters: out of range, unknown, a cursor never given out.
    assert_eq!(problem(&server.get("/api/v1/transactions?limit=0"), 422).field.as_deref(), Some("limit"));
    assert_eq!(problem(&server.get("/api/v1/transactions?limit=ten"), 422).field.as_deref(), Some("limit"));
    assert_eq!(problem(&server.get("/api/v1/transactions?cursor=abc"), 422).field.as_deref(), Some("cursor"));
    problem(&server.get("/api/v1/transactions?colour=blue"), 422);
    assert_eq!(problem(&server.get("/api/v1/credit-score?flavour=fico2"), 422).field.as_deref(), Some("flavour"));
    assert_eq!(problem(&server.get("/api/v1/accounts/nope"), 404).code, ErrorCode::NotFound);
    assert_eq!(problem(&server.get("/api/v1/nowhere"), 404).code, ErrorCode::NotFound);

    // None of it wrote anything.
    let list: api::TransactionList = serde_json::from_value(server.get("/api/v1/transactions").body).expect("list");
    assert!(list.rows.is_empty());
}

#[test]
fn the_read_only_views_answer_their_documented_shapes() {
    let server = Server::start();
    let account = checking(&server);
    let today = chrono::Local::now().date_naive().to_string();
    assert_eq!(
        server
            .send("POST", "/api/v1/transactions", &new_transaction(&account.id, &today, "2500.00", "Salary"), None)
            .status,
        201
    );
    let category = server.send("POST", "/api/v1/categories", &json!({"path": "Food:Snacks"}), None);
    assert_eq!(category.body["path"], "Food:Snacks", "{}", category.body);

    let dashboard: api::Dashboard =
        serde_json::from_value(server.get("/api/v1/analytics/dashboard").body).expect("dashboard");
    assert_eq!(dashboard.this_month.income.amount, "2500.00");
    let accounts: Vec<api::Account> = serde_json::from_value(server.get("/api/v1/accounts").body).expect("accounts");
    assert_eq!(accounts[0].balance.display, "$2,500.00");
    for path in ["/api/v1/categories", "/api/v1/rules", "/api/v1/imports", "/api/v1/budgets", "/api/v1/recurring"] {
        let reply = server.get(path);
        assert_eq!(reply.status, 200, "{path}: {}", reply.body);
        assert!(reply.body.is_array(), "{path}");
    }
    let month = &today[..7];
    let monthly = server.get(&format!("/api/v1/reports/monthly?from={month}&to={month}"));
    let monthly: Vec<api::MonthReport> = serde_json::from_value(monthly.body).expect("monthly");
    assert_eq!((monthly.len(), monthly[0].income.display.as_str()), (1, "$2,500.00"));
    assert_eq!(problem(&server.get("/api/v1/reports/monthly?from=spring"), 422).field.as_deref(), Some("from"));
    let custom = server.send(
        "POST",
        "/api/v1/reports/custom",
        &json!({"from": month, "period": "month", "group": "payee"}),
        None,
    );
    let rows: Vec<api::ReportRow> = serde_json::from_value(custom.body).expect("custom report");
    assert_eq!(rows.iter().map(|r| r.group.as_str()).collect::<Vec<_>>(), ["Salary"]);
    let bad_period = server.send("POST", "/api/v1/reports/custom", &json!({"period": "fortnight"}), None);
    assert_eq!(problem(&bad_period, 422).field.as_deref(), Some("period"));
    let score: api::Score =
        serde_json::from_value(server.get("/api/v1/credit-score?flavour=vantage").body).expect("score");
    assert!(score.score.is_none(), "no credit report kept, so no estimate");
    let simulate = |kind: &str, value: &str| {
        server.send(
            "POST",
            "/api/v1/credit-score/simulate",
            &json!({"changes": [{"kind": kind, "value": value}]}),
            None,
        )
    };
    assert_eq!(problem(&simulate("pay", "nocard:10"), 404).code, ErrorCode::NotFound);
    assert_eq!(problem(&simulate("teleport", "1"), 422).field.as_deref(), Some("changes"));
    let plan = server.get("/api/v1/credit-score/plan?target=760&by=2030-01-01");
    assert_eq!(plan.status, 200, "{}", plan.body);
    let plan: api::ScorePlan = serde_json::from_value(plan.body).expect("a plan");
    assert!(plan.summary.starts_with("There is no score to plan from yet"), "{}", plan.summary);
    assert_eq!(problem(&server.get("/api/v1/credit-score/plan?target=760&by=soon"), 422).field.as_deref(), Some("by"));
    assert_eq!(problem(&server.get("/api/v1/credit-score/plan"), 422).code, ErrorCode::Invalid);
    assert_eq!(problem(&server.get("/api/v1/credit-score/plan?target=299"), 422).field.as_deref(), Some("target"));

    // The document is public (no data in it) and the one generated from the code.
    let document = reply(agent().get(server.url("/api/v1/openapi.json")).call());
    assert_eq!(document.status, 200);
    assert_eq!(document.body, serde_json::from_str::<Value>(&credence_rest::document()).expect("document"));
    assert_eq!(document.body["openapi"].as_str().map(|v| &v[..3]), Some("3.1"));
}

impl Server {
    /// Uploads `file` as a statement with the query `query`.
    fn upload(&self, query: &str, file: &[u8]) -> Reply {
        reply(
            agent()
                .post(self.url(&format!("/api/v1/imports?{query}")))
                .header("Authorization", self.auth())
                .header("Content-Type", "application/octet-stream")
                .send(file),
        )
    }
}

#[test]
fn a_statement_uploaded_is_read_as_the_app_reads_it_and_a_guess_waits_for_confirmation() {
    let server = Server::start();
    let account = checking(&server);
    let chase =
        std::fs::read(Path::new(env!("CARGO_MANIFEST_DIR")).join("../core/tests/fixtures/import/chase-checking.csv"))
            .expect("fixture");
    let query = |extra: &str| format!("account_id={}&file_name=Chase1234_Activity.CSV{extra}", account.id);

    let preview = server.upload(&query("&dry_run=true"), &chase);
    assert_eq!(preview.status, 200, "{}", preview.body);
    let preview: api::ImportReport = serde_json::from_value(preview.body).expect("report");
    assert!(preview.dry_run && preview.imported > 0 && preview.rejected == 0, "{preview:?}");
    let listed: api::TransactionList = serde_json::from_value(server.get("/api/v1/transactions").body).expect("list");
    assert!(listed.rows.is_empty(), "a dry run writes nothing");

    let done: api::ImportReport = serde_json::from_value(server.upload(&query(""), &chase).body).expect("report");
    assert_eq!((done.imported, done.format.as_str()), (preview.imported, preview.format.as_str()));
    let again: api::ImportReport = serde_json::from_value(server.upload(&query(""), &chase).body).expect("report");
    assert_eq!((again.imported, again.duplicates), (0, done.imported), "the same file twice: all duplicates");
    let batches: Vec<api::ImportBatch> = serde_json::from_value(server.get("/api/v1/imports").body).expect("batches");
    let chase_batches: Vec<_> = batches.iter().filter(|b| b.file_name == "Chase1234_Activity.CSV").collect();
    assert_eq!(
        chase_batches.iter().map(|b| b.imported).collect::<Vec<_>>(),
        [done.imported],
        "one batch, under the bank's name"
    );

    // Nothing in this file proves its day order: refused until the client confirms the guess.
    let bare = b"Date,Description,Amount\n10/02/2018,MERCHANT,-5.00\n09/02/2018,SALARY,1023.10\n";
    let bare_query = format!("account_id={}&file_name=bare.csv", account.id);
    let refused = problem(&server.upload(&bare_query, bare), 422);
    assert!(refused.detail.starts_with("Not imported, because"), "{}", refused.detail);
    let accepted: api::ImportReport =
        serde_json::from_value(server.upload(&format!("{bare_query}&accept_guess=true"), bare).body).expect("report");
    assert_eq!(accepted.imported, 2);

    // The upload leaves no file behind; an import is undone whole.
    let leftovers: Vec<_> = std::fs::read_dir(server._dir.path())
        .expect("ls")
        .flatten()
        .filter(|e| e.file_name().to_string_lossy().contains(".upload"))
        .collect();
    assert!(leftovers.is_empty(), "{leftovers:?}");
    let batch = batches[0].id.clone();
    let undone = server.delete(&format!("/api/v1/imports/{batch}"), None);
    assert_eq!(undone.status, 200, "{}", undone.body);
    assert_eq!(problem(&server.upload("file_name=x.csv", &chase), 422).code, ErrorCode::Invalid);
    let no_name = problem(&server.upload(&format!("account_id={}&file_name=../", account.id), &chase), 422);
    assert_eq!(no_name.field.as_deref(), Some("file_name"));
}

/// `docs/openapi.json` is the document the code generates; `CREDENCE_UPDATE_OPENAPI=1` rewrites it.
#[test]
fn the_committed_openapi_document_is_current() {
    let committed = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../docs/openapi.json");
    let generated = credence_rest::document();
    if std::env::var_os("CREDENCE_UPDATE_OPENAPI").is_some() {
        std::fs::write(&committed, &generated).expect("write docs/openapi.json");
    }
    let on_disk = std::fs::read_to_string(&committed).unwrap_or_default();
    assert!(
        on_disk == generated,
        "docs/openapi.json is stale; run `CREDENCE_UPDATE_OPENAPI=1 cargo test -p credence-rest --test api` and commit it"
    );
}
