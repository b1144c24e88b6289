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

/// A new vault in `dir` and its API token.
fn vault_and_token(dir: &Path) -> (Vault, credence_rest::Token) {
    let path = dir.join("api.vault");
    let passphrase = Passphrase::new("correct horse battery staple");
    let (vault, _) = Vault::create_with(&path, &passphrase, CreateOptions { kdf: KDF_FLOOR }).expect("vault");
    (vault, credence_rest::Token::for_vault(&path).expect("token"))
}

impl Server {
    fn start() -> Server {
        let dir = tempfile::tempdir().expect("dir");
        let (vault, token) = vault_and_token(dir.path());
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
        self.send_text(method, path, body.to_string(), if_match)
    }

    /// A request whose body is `body` as written, said to be JSON (it need not be).
    fn send_text(&self, method: &str, path: &str, body: String, if_match: Option<&str>) -> Reply {
        let request = ureq::http::Request::builder()
            .method(method)
            .uri(self.url(path))
            .header("Authorization", self.auth())
            .header("Content-Type", "application/json");
        let request = match if_match {
            Some(tag) => request.header("If-Match", tag),
            None => request,
        };
        reply(agent().run(request.body(body).expect("request")))
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
        // A made-up value where the path has a parameter: the token is checked before anything is looked up.
        let path = with_made_up_parameters(path);
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
    assert!(operations >= 50, "only {operations} operations documented");
}

#[test]
fn every_operation_answers_a_made_up_id_with_404_and_a_broken_body_with_400() {
    let server = Server::start();
    let document: Value = serde_json::from_str(&credence_rest::document()).expect("document");
    let (mut lookups, mut bodies) = (0, 0);
    for (template, item) in document["paths"].as_object().expect("paths") {
        for (method, operation) in item.as_object().expect("operations") {
            let method = method.to_uppercase();
            let path = with_made_up_parameters(template);
            // Reading or deleting something that is not there.
            if template.contains('{') && (method == "GET" || method == "DELETE") {
                let reply = server.send_text(&method, &path, String::new(), Some("*"));
                assert_eq!(problem(&reply, 404).code, ErrorCode::NotFound, "{method} {template}");
                lookups += 1;
            }
            // A JSON body that is not JSON, and one of the wrong kind (an array for an object, or back).
            let takes_json = operation["requestBody"]["content"]["application/json"]["schema"].clone();
            if takes_json.is_null() || template.ends_with("/report") {
                continue;
            }
            let array = takes_json["type"] == "array";
            for (body, status) in [("{\"oops\":", 400), (if array { "{}" } else { "[]" }, 422)] {
                problem(&server.send_text(&method, &path, body.to_string(), Some("*")), status);
            }
            bodies += 1;
        }
    }
    assert!(lookups >= 10 && bodies >= 15, "{lookups} lookups, {bodies} bodies");
}

/// `path` with each `{parameter}` replaced by a value that names nothing.
fn with_made_up_parameters(path: &str) -> String {
    let mut out = String::new();
    let mut rest = path;
    while let Some(open) = rest.find('{') {
        out.push_str(&rest[..open]);
        out.push_str("0190f000-0000-7000-8000-000000000000");
        rest = rest[open..].split_once('}').map_or("", |(_, after)| after);
    }
    out + rest
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
    // A name already taken clashes with what the vault holds: 409, as the document says.
    let taken = json!({"name": "everyday", "kind": "savings", "currency": "USD", "credit_limit": null});
    let again = problem(&server.send("POST", "/api/v1/accounts", &taken, None), 409);
    assert_eq!(again.code, ErrorCode::Conflict, "{}", again.detail);
    let category = json!({"path": "Hobbies:Pottery", "kind": null});
    assert_eq!(server.send("POST", "/api/v1/categories", &category, None).status, 201);
    assert_eq!(problem(&server.send("POST", "/api/v1/categories", &category, None), 409).code, ErrorCode::Conflict);

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
    let nul = problem(&server.upload(&format!("account_id={}&file_name=a%00b.csv", account.id), &chase), 422);
    assert_eq!(nul.field.as_deref(), Some("file_name"), "a NUL in the name is the request's fault, not the server's");
}

impl Server {
    /// A GET answered with something other than JSON: status, content type, bytes.
    fn get_bytes(&self, path: &str) -> (u16, String, Vec<u8>) {
        let mut response = agent().get(self.url(path)).header("Authorization", self.auth()).call().expect("answer");
        let content_type =
            response.headers().get("content-type").and_then(|v| v.to_str().ok()).unwrap_or_default().to_string();
        let bytes = response.body_mut().read_to_vec().expect("body");
        (response.status().as_u16(), content_type, bytes)
    }
}

#[test]
fn accounts_rules_reports_budgets_and_charts_are_edited_and_drawn_as_in_the_app() {
    let server = Server::start();
    let account = checking(&server);
    let path = format!("/api/v1/accounts/{}", account.id);
    let card = server.send(
        "POST",
        "/api/v1/accounts",
        &json!({"name": "Visa", "kind": "credit-card", "currency": "USD", "credit_limit": "5000"}),
        None,
    );
    let card: api::Account = serde_json::from_value(card.body).expect("card");
    let card_path = format!("/api/v1/accounts/{}", card.id);

    // Rename, change the limit, archive: one request, the account as it now is.
    let edited = server.send("PATCH", &card_path, &json!({"name": "Visa Gold", "credit_limit": "7500"}), None);
    assert_eq!(edited.status, 200, "{}", edited.body);
    assert_eq!(
        (edited.body["name"].as_str(), edited.body["credit_limit"]["display"].as_str()),
        (Some("Visa Gold"), Some("$7,500.00"))
    );
    let archived = server.send("PATCH", &path, &json!({"archived": true}), None);
    assert_eq!(archived.body["archived"], true, "{}", archived.body);
    let bad_limit = problem(&server.send("PATCH", &card_path, &json!({"credit_limit": "lots"}), None), 422);
    assert_eq!(bad_limit.field.as_deref(), Some("credit_limit"));
    problem(&server.send("PATCH", "/api/v1/accounts/nope", &json!({"name": "x"}), None), 404);
    assert_eq!(server.send("PATCH", &path, &json!({"archived": false}), None).body["archived"], false);

    // Rules: added naming the category, applied, deleted; one with nothing to do is refused.
    let category: api::Category =
        serde_json::from_value(server.send("POST", "/api/v1/categories", &json!({"path": "Fun:Streaming"}), None).body)
            .expect("category");
    let today = chrono::Local::now().date_naive().to_string();
    server.send("POST", "/api/v1/transactions", &new_transaction(&account.id, &today, "-15.49", "NETFLIX.COM"), None);
    let rule = server.send(
        "POST",
        "/api/v1/rules",
        &json!({"payee_contains": "netflix", "category_id": category.id, "rename_to": null}),
        None,
    );
    assert_eq!(rule.status, 201, "{}", rule.body);
    assert_eq!(rule.body["category"], "Fun:Streaming");
    assert!(rule.body["description"].as_str().is_some_and(|d| d.contains("Fun:Streaming")), "{}", rule.body);
    let applied: api::RulesApplied =
        serde_json::from_value(server.send("POST", "/api/v1/rules/apply", &Value::Null, None).body).expect("applied");
    assert_eq!(applied.changed, 1);
    let nothing = json!({"payee_contains": "netflix", "category_id": null, "rename_to": ""});
    assert_eq!(
        problem(&server.send("POST", "/api/v1/rules", &nothing, None), 422).field.as_deref(),
        Some("category_id")
    );
    let bad_amount = json!({"amount_min": "ten", "tag": "big"});
    assert_eq!(
        problem(&server.send("POST", "/api/v1/rules", &bad_amount, None), 422).field.as_deref(),
        Some("amount_min")
    );
    let big = server.send("POST", "/api/v1/rules", &json!({"amount_max": "-1000", "tag": "#big", "position": 1}), None);
    assert_eq!((big.status, big.body["position"].as_i64()), (201, Some(1)), "{}", big.body);
    assert!(big.body["description"].as_str().is_some_and(|d| d.contains("big")), "{}", big.body);
    assert_eq!(server.delete(&format!("/api/v1/rules/{}", big.body["id"].as_str().expect("id")), None).status, 204);
    let rule_path = format!("/api/v1/rules/{}", rule.body["id"].as_str().expect("id"));
    assert_eq!(server.delete(&rule_path, None).status, 204);
    problem(&server.delete(&rule_path, None), 404);

    // Saved reports: saved under a name, listed, run, deleted.
    let request = json!({"from": &today[..7], "period": "month", "group": "category"});
    assert_eq!(server.send("PUT", "/api/v1/reports/saved/Streaming", &request, None).status, 204);
    let saved: Vec<api::SavedReport> = serde_json::from_value(server.get("/api/v1/reports/saved").body).expect("saved");
    assert_eq!(saved.iter().map(|s| s.name.as_str()).collect::<Vec<_>>(), ["Streaming"]);
    let rows: Vec<api::ReportRow> =
        serde_json::from_value(server.get("/api/v1/reports/saved/Streaming").body).expect("rows");
    assert_eq!(
        rows.iter().map(|r| (r.group.as_str(), r.total.amount.as_str())).collect::<Vec<_>>(),
        [("Fun:Streaming", "-15.49")]
    );
    let bad = problem(&server.send("PUT", "/api/v1/reports/saved/Odd", &json!({"period": "fortnight"}), None), 422);
    assert_eq!(bad.field.as_deref(), Some("period"));
    assert_eq!(server.delete("/api/v1/reports/saved/Streaming", None).status, 204);
    problem(&server.get("/api/v1/reports/saved/Streaming"), 404);

    // A trend, with its chart; the field at fault is named inside the report.
    let trend =
        server.send("POST", "/api/v1/reports/trend", &json!({"report": {"period": "month"}, "window": 2}), None);
    assert_eq!(trend.status, 200, "{}", trend.body);
    let trends: Vec<api::Trend> = serde_json::from_value(trend.body).expect("trend");
    let last = trends[0].points.last().expect("a point");
    assert_eq!((trends[0].measure.as_str(), last.value.amount.as_str()), ("spending", "15.49"));
    assert!(trends[0].chart.as_deref().is_some_and(|c| c.starts_with("<svg")));
    let bad = server.send("POST", "/api/v1/reports/trend", &json!({"report": {"period": "all"}, "window": 99}), None);
    assert_eq!(problem(&bad, 422).field.as_deref(), Some("window"));
    let bad = server.send("POST", "/api/v1/reports/trend", &json!({"report": {"period": "fortnight"}}), None);
    assert_eq!(problem(&bad, 422).field.as_deref(), Some("report.period"));

    // Charts as SVG and PNG; an unknown kind is not there, a bad count is named.
    let (status, media, svg) = server.get_bytes("/api/v1/charts/monthly?months=6&theme=dark");
    assert_eq!((status, media.as_str()), (200, "image/svg+xml"));
    assert!(svg.starts_with(b"<svg"));
    let (status, media, png) = server.get_bytes("/api/v1/charts/net-worth?format=png");
    assert_eq!((status, media.as_str(), &png[..8]), (200, "image/png", &b"\x89PNG\r\n\x1a\n"[..]));
    assert_eq!(problem(&server.get("/api/v1/charts/pie"), 404).code, ErrorCode::NotFound);
    assert_eq!(problem(&server.get("/api/v1/charts/monthly?months=0"), 422).field.as_deref(), Some("months"));
    assert_eq!(problem(&server.get("/api/v1/charts/monthly?format=gif"), 422).field.as_deref(), Some("format"));

    // A budget set, then seen with what was spent against it.
    let budget = json!({"category_id": category.id, "amount": "20", "currency": "USD"});
    assert_eq!(server.send("PUT", "/api/v1/budgets", &budget, None).status, 204);
    let budgets: Vec<api::Budget> = serde_json::from_value(server.get("/api/v1/budgets").body).expect("budgets");
    assert_eq!((budgets[0].spent.amount.as_str(), budgets[0].remaining.amount.as_str()), ("15.49", "4.51"));
    let bad = json!({"category_id": category.id, "amount": "twenty", "currency": "USD"});
    assert_eq!(problem(&server.send("PUT", "/api/v1/budgets", &bad, None), 422).field.as_deref(), Some("amount"));
    let formats: Vec<api::Format> =
        serde_json::from_value(server.get("/api/v1/imports/formats").body).expect("formats");
    assert!(formats.iter().any(|f| f.id == "chase-checking"), "{formats:?}");
}

#[test]
fn the_credit_file_is_kept_edited_and_scored_over_the_api() {
    let server = Server::start();
    let profile = std::fs::read(Path::new(env!("CARGO_MANIFEST_DIR")).join("../core/tests/fixtures/score/a720.json"))
        .expect("fixture");
    let put = |body: &[u8]| {
        reply(
            agent()
                .put(server.url("/api/v1/credit-file/report"))
                .header("Authorization", server.auth())
                .header("Content-Type", "application/json")
                .send(body),
        )
    };
    let kept = put(&profile);
    assert_eq!(kept.status, 200, "{}", kept.body);
    let counts: api::CreditCounts = serde_json::from_value(kept.body).expect("counts");
    assert!(counts.accounts > 0 && counts.inquiries > 0, "{counts:?}");
    assert_eq!(problem(&put(b"{\"accounts\": 7}"), 422).code, ErrorCode::Invalid);

    let score: api::Score = serde_json::from_value(server.get("/api/v1/credit-score").body).expect("score");
    let factors: api::ScoreFactors =
        serde_json::from_value(server.get("/api/v1/credit-score/factors").body).expect("factors");
    assert!(score.score.is_some());
    assert_eq!((factors.score, &factors.factors, &factors.reasons), (score.score, &score.factors, &score.reasons));
    let history = server.get("/api/v1/credit-score/history?back=6&forward=3");
    let history: api::ScoreTimeline = serde_json::from_value(history.body).expect("history");
    assert_eq!(history.points.iter().filter(|p| p.projected).count(), 3);
    assert!(history.svg.starts_with("<svg"));
    assert_eq!(problem(&server.get("/api/v1/credit-score/history?back=500"), 422).field.as_deref(), Some("back"));
    let compared = server.get("/api/v1/credit-score/compare?first=fico8&second=vantage");
    let compared: api::ScoreComparison = serde_json::from_value(compared.body).expect("comparison");
    assert_eq!((compared.first.flavour.as_str(), compared.second.flavour.as_str()), ("fico8", "vantage"));
    assert_eq!(
        problem(&server.get("/api/v1/credit-score/compare?first=fico8&second=x"), 422).field.as_deref(),
        Some("second")
    );

    // Items: a score seen elsewhere, an inquiry added, edited and removed.
    let seen = server.send(
        "POST",
        "/api/v1/credit-score/reported",
        &json!({"value": "731", "family": "FICO 8", "bureau": "Experian"}),
        None,
    );
    assert_eq!(seen.status, 201, "{}", seen.body);
    let calibrated: api::Score = serde_json::from_value(server.get("/api/v1/credit-score").body).expect("score");
    assert_eq!(calibrated.calibration.len(), 1, "{calibrated:?}");
    let bad = server.send(
        "POST",
        "/api/v1/credit-score/reported",
        &json!({"value": "high", "family": "FICO 8", "bureau": "Experian"}),
        None,
    );
    problem(&bad, 422);
    let inquiry = server.send(
        "POST",
        "/api/v1/credit-file/items",
        &json!({"kind": "inquiry", "fields": {"date": "2026-08-01", "type": "card", "hard": "yes"}}),
        None,
    );
    assert_eq!(inquiry.status, 201, "{}", inquiry.body);
    let item = format!("/api/v1/credit-file/items/{}", inquiry.body["id"].as_str().expect("id"));
    let edit = server.send("PATCH", &item, &json!({"fields": {"type": "auto"}}), None);
    assert_eq!(edit.status, 204, "{}", edit.body);
    let file: api::CreditFile = serde_json::from_value(server.get("/api/v1/credit-file").body).expect("file");
    let inquiries = file.sections.iter().find(|s| s.kind == "inquiry").expect("inquiries");
    assert_eq!(inquiries.items.len() as u64, counts.inquiries + 1);
    assert!(inquiries
        .items
        .iter()
        .any(|i| i.values.contains(&"auto".to_string()) && i.values.contains(&"2026-08-01".to_string())));
    assert_eq!(server.delete(&item, None).status, 204);
    problem(&server.delete(&item, None), 404);
    let bad_kind = server.send("POST", "/api/v1/credit-file/items", &json!({"kind": "rumour", "fields": {}}), None);
    problem(&bad_kind, 422);

    // A month of a card's history marked late, then the card tied to a vault account and untied.
    let card = file.sections.iter().flat_map(|s| &s.items).find_map(|i| i.tradeline.clone()).expect("a tradeline");
    let month = format!("/api/v1/credit-file/tradelines/{card}/months/2026-05");
    assert_eq!(server.send("PUT", &month, &json!({"status": "30"}), None).status, 204);
    let later: api::Score = serde_json::from_value(server.get("/api/v1/credit-score").body).expect("score");
    assert!(later.score < calibrated.score, "{:?} then {:?}", calibrated.score, later.score);
    assert_eq!(
        problem(&server.send("PUT", &month, &json!({"status": "45"}), None), 422).field.as_deref(),
        Some("status")
    );
    let bad_month = format!("/api/v1/credit-file/tradelines/{card}/months/May");
    assert_eq!(
        problem(&server.send("PUT", &bad_month, &json!({"status": "30"}), None), 422).field.as_deref(),
        Some("month")
    );
    let visa = server.send(
        "POST",
        "/api/v1/accounts",
        &json!({"name": "Visa", "kind": "credit-card", "currency": "USD", "credit_limit": "8000"}),
        None,
    );
    let link = format!("/api/v1/credit-file/tradelines/{card}/account");
    assert_eq!(server.send("PUT", &link, &json!({"account_id": visa.body["id"]}), None).status, 204);
    assert_eq!(server.delete(&link, None).status, 204);
    problem(&server.send("PUT", &link, &json!({"account_id": "nope"}), None), 404);

    // What GET gives, PUT takes back unchanged.
    let (status, media, exported) = server.get_bytes("/api/v1/credit-file/report");
    assert_eq!((status, media.as_str()), (200, "application/json"));
    let again: api::CreditCounts = serde_json::from_value(put(&exported).body).expect("counts");
    assert_eq!(again.reported_scores, 1);
    assert_eq!(server.get_bytes("/api/v1/credit-file/report").2, exported);
}

fn fixture(name: &str) -> std::path::PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures").join(name)
}

#[test]
fn with_tls_the_api_answers_https_only_and_a_client_verifies_the_certificate() {
    let dir = tempfile::tempdir().expect("dir");
    let (vault, token) = vault_and_token(dir.path());
    let secret = token.dangerously_reveal().to_string();
    let files = credence_rest::TlsFiles { certificate: fixture("localhost.crt"), key: fixture("localhost.key") };
    let acceptor = credence_rest::tls_acceptor(&files).expect("the certificate and key serve");
    let serving = credence_rest::Background::start_tls(credence_rest::router(vault, token), acceptor).expect("serve");
    let port = serving.address().port();

    // A client that trusts the test CA gets the API over HTTPS, checking the name on the certificate.
    let ca = std::fs::read(fixture("ca.crt")).expect("ca");
    let roots = ureq::tls::RootCerts::new_with_certs(&[ureq::tls::Certificate::from_pem(&ca).expect("pem")]);
    let trusting: ureq::Agent = ureq::Agent::config_builder()
        .http_status_as_error(false)
        .tls_config(ureq::tls::TlsConfig::builder().root_certs(roots).build())
        .build()
        .into();
    let mut answer = trusting
        .get(format!("https://localhost:{port}/api/v1/accounts"))
        .header("Authorization", format!("Bearer {secret}"))
        .call()
        .expect("an HTTPS answer");
    assert_eq!(answer.status().as_u16(), 200);
    assert_eq!(answer.body_mut().read_to_string().expect("body"), "[]");

    // One that does not trust it refuses the connection; plain HTTP gets no answer at all.
    let wary: ureq::Agent = ureq::Agent::config_builder().http_status_as_error(false).build().into();
    assert!(wary.get(format!("https://localhost:{port}/api/v1/accounts")).call().is_err());
    assert!(agent().get(format!("http://127.0.0.1:{port}/api/v1/accounts")).call().is_err());

    // A key that is not the certificate's is refused before serving.
    let wrong = credence_rest::TlsFiles { certificate: fixture("ca.crt"), key: fixture("localhost.key") };
    let refused = credence_rest::tls_acceptor(&wrong).map(drop).expect_err("mismatched");
    assert!(refused.to_string().contains("cannot serve TLS"), "{refused}");
}

/// A browser's CORS preflight for a POST to `url` from `origin`: the origin the server allows, if any.
fn preflight(url: &str, origin: &str) -> Option<String> {
    let request = ureq::http::Request::builder()
        .method("OPTIONS")
        .uri(url)
        .header("Origin", origin)
        .header("Access-Control-Request-Method", "POST")
        .header("Access-Control-Request-Headers", "authorization, content-type")
        .body(String::new())
        .expect("request");
    let response = agent().run(request).expect("an answer");
    response.headers().get("access-control-allow-origin").and_then(|v| v.to_str().ok()).map(str::to_string)
}

#[test]
fn cross_origin_calls_are_answered_only_for_the_origins_named() {
    let dir = tempfile::tempdir().expect("dir");
    let (vault, token) = vault_and_token(dir.path());
    let router = credence_rest::allow_origins(credence_rest::router(vault, token), &["https://budget.example".into()])
        .expect("an origin");
    let serving = credence_rest::Background::start(router).expect("serve");
    let url = format!("http://{}/api/v1/transactions", serving.address());
    assert_eq!(preflight(&url, "https://budget.example").as_deref(), Some("https://budget.example"));
    assert_eq!(preflight(&url, "https://evil.example"), None);

    // Without origins named, nothing is allowed.
    let other_dir = tempfile::tempdir().expect("dir");
    let (other, token) = vault_and_token(other_dir.path());
    let plain = credence_rest::allow_origins(credence_rest::router(other, token), &[]).expect("no origins");
    let plain = credence_rest::Background::start(plain).expect("serve");
    assert_eq!(preflight(&format!("http://{}/api/v1/transactions", plain.address()), "https://budget.example"), None);
}

/// Every operation called once, in an order that gives each something to work on, its answer's shape
/// recorded under `METHOD /path`.
struct Shapes<'a> {
    server: &'a Server,
    recorded: std::collections::BTreeMap<String, Value>,
}

impl Shapes<'_> {
    /// Calls `path` (the documented `template` filled in) with `body`, records the answer's shape, and
    /// returns the answer's JSON (Null when it has none).
    fn call(&mut self, method: &str, template: &str, path: &str, body: Option<(&str, Vec<u8>)>) -> Value {
        let (content_type, bytes) = body.unwrap_or(("application/json", Vec::new()));
        let method = method.to_uppercase();
        let request = ureq::http::Request::builder()
            .method(method.as_str())
            .uri(self.server.url(path))
            .header("Authorization", self.server.auth())
            .header("Content-Type", content_type)
            // Any version: this test pins shapes, another one checks versions.
            .header("If-Match", "*")
            .body(bytes)
            .expect("request");
        let mut response = agent().run(request).expect("an answer");
        let status = response.status().as_u16();
        let media =
            response.headers().get("content-type").and_then(|v| v.to_str().ok()).unwrap_or_default().to_string();
        let answer = response.body_mut().read_to_vec().expect("body");
        assert!((200..300).contains(&status), "{method} {path}: {status} {}", String::from_utf8_lossy(&answer));
        let (shape, value) = match media.as_str() {
            _ if answer.is_empty() => (Value::from(format!("{status}, no content")), Value::Null),
            "application/json" => {
                let value: Value = serde_json::from_slice(&answer).expect("JSON");
                (credence_api::shape_of(&value), value)
            }
            other => (Value::from(other), Value::Null),
        };
        self.recorded.insert(format!("{method} {template}"), shape);
        value
    }

    fn json(&mut self, method: &str, template: &str, path: &str, body: &Value) -> Value {
        self.call(method, template, path, Some(("application/json", body.to_string().into_bytes())))
    }
}

#[test]
fn the_coach_and_the_calendar_name_the_field_at_fault() {
    let server = Server::start();
    for (query, field) in
        [("target=0", "target"), ("target=101", "target"), ("as_of=2026-02-30", "as_of"), ("as_of=", "as_of")]
    {
        let reply = server.get(&format!("/api/v1/coach?{query}"));
        assert_eq!(problem(&reply, 422).field.as_deref(), Some(field), "{query}");
    }
    assert_eq!(server.get("/api/v1/coach?as_of=2026-12-01&target=10").status, 200);
    let new = json!({"name": "Visa", "kind": "credit-card", "currency": "USD", "credit_limit": "1000"});
    let card: api::Account =
        serde_json::from_value(server.send("POST", "/api/v1/accounts", &new, None).body).expect("card");
    let path = format!("/api/v1/accounts/{}", card.id);
    let set = server.send("PATCH", &path, &json!({"statement_day": 31, "due_day": 25}), None);
    let set: api::Account = serde_json::from_value(set.body).expect("account");
    assert_eq!((set.statement_day, set.due_day), (Some(31), Some(25)));
    assert_eq!(
        problem(&server.send("PATCH", &path, &json!({"due_day": 32}), None), 422).field.as_deref(),
        Some("due_day")
    );
    let cleared = server.send("PATCH", &path, &json!({"statement_day": 0}), None);
    assert_eq!(
        serde_json::from_value::<api::Account>(cleared.body).expect("account").statement_day,
        None,
        "0 infers it again"
    );
    let checking = checking(&server);
    let refused = server.send("PATCH", &format!("/api/v1/accounts/{}", checking.id), &json!({"due_day": 5}), None);
    let detail = problem(&refused, 422).detail;
    assert!(detail.contains("nly credit-card and loan accounts have a due day"), "{detail}");
}

/// `rest/tests/snapshots/response-shapes.json` holds the shape of every operation's answer;
/// `CREDENCE_UPDATE_SNAPSHOTS=1` rewrites it. A change to what the API answers is a visible diff.
#[test]
fn the_shape_of_every_answer_is_pinned() {
    let server = Server::start();
    let mut s = Shapes { server: &server, recorded: std::collections::BTreeMap::new() };
    let today = chrono::Local::now().date_naive().to_string();
    let new_card = json!({"name": "Visa", "kind": "credit-card", "currency": "USD", "credit_limit": "5000"});
    let card = s.json("post", "/api/v1/accounts", "/api/v1/accounts", &new_card);
    let card_id = card["id"].as_str().expect("id").to_string();
    let account = format!("/api/v1/accounts/{card_id}");
    s.call("get", "/api/v1/accounts", "/api/v1/accounts", None);
    s.call("get", "/api/v1/accounts/{id}", &account, None);
    s.json(
        "patch",
        "/api/v1/accounts/{id}",
        &account,
        &json!({"name": "Visa Gold", "statement_day": 15, "due_day": 10}),
    );
    let category = s.json("post", "/api/v1/categories", "/api/v1/categories", &json!({"path": "Food:Snacks"}));
    let category_id = category["id"].as_str().expect("id").to_string();
    s.call("get", "/api/v1/categories", "/api/v1/categories", None);

    let added = s.json(
        "post",
        "/api/v1/transactions",
        "/api/v1/transactions",
        &new_transaction(&card_id, &today, "-42.10", "Market"),
    );
    let transaction = format!("/api/v1/transactions/{}", added["id"].as_str().expect("id"));
    let rows =
        json!([new_transaction(&card_id, &today, "-5.00", "Cafe"), new_transaction(&card_id, &today, "-7.50", "Cafe")]);
    s.json("post", "/api/v1/transactions/bulk", "/api/v1/transactions/bulk", &rows);
    s.call("get", "/api/v1/transactions", "/api/v1/transactions?limit=2", None);
    s.call("get", "/api/v1/transactions/{id}", &transaction, None);
    s.json("patch", "/api/v1/transactions/{id}", &transaction, &json!({"memo": "weekly shop"}));

    let statement =
        std::fs::read(Path::new(env!("CARGO_MANIFEST_DIR")).join("../core/tests/fixtures/import/chase-card.csv"))
            .expect("fixture");
    let upload = format!("/api/v1/imports?account_id={card_id}&file_name=chase.csv&dry_run=true");
    s.call("post", "/api/v1/imports", &upload, Some(("application/octet-stream", statement.clone())));
    s.call(
        "post",
        "/api/v1/imports",
        &upload.replace("&dry_run=true", ""),
        Some(("application/octet-stream", statement)),
    );
    let batches = s.call("get", "/api/v1/imports", "/api/v1/imports", None);
    s.call("get", "/api/v1/imports/formats", "/api/v1/imports/formats", None);

    let rule = s.json(
        "post",
        "/api/v1/rules",
        "/api/v1/rules",
        &json!({"payee_contains": "market", "category_id": category_id}),
    );
    s.call("get", "/api/v1/rules", "/api/v1/rules", None);
    s.call("post", "/api/v1/rules/apply", "/api/v1/rules/apply", None);

    let month = &today[..7];
    s.call("get", "/api/v1/analytics/dashboard", "/api/v1/analytics/dashboard", None);
    s.call("get", "/api/v1/reports/monthly", &format!("/api/v1/reports/monthly?from={month}"), None);
    let request = json!({"from": month, "period": "month", "group": "category"});
    s.json("post", "/api/v1/reports/custom", "/api/v1/reports/custom", &request);
    s.json("post", "/api/v1/reports/trend", "/api/v1/reports/trend", &json!({"report": {"period": "month"}}));
    s.json("put", "/api/v1/reports/saved/{name}", "/api/v1/reports/saved/Food", &request);
    s.call("get", "/api/v1/reports/saved", "/api/v1/reports/saved", None);
    s.call("get", "/api/v1/reports/saved/{name}", "/api/v1/reports/saved/Food", None);
    s.call("get", "/api/v1/charts/{kind}", "/api/v1/charts/monthly", None);
    s.json(
        "put",
        "/api/v1/budgets",
        "/api/v1/budgets",
        &json!({"category_id": category_id, "amount": "400", "currency": "USD"}),
    );
    s.call("get", "/api/v1/budgets", "/api/v1/budgets", None);
    s.call("get", "/api/v1/recurring", "/api/v1/recurring", None);

    let profile = std::fs::read(Path::new(env!("CARGO_MANIFEST_DIR")).join("../core/tests/fixtures/score/a720.json"))
        .expect("fixture");
    s.call("put", "/api/v1/credit-file/report", "/api/v1/credit-file/report", Some(("application/json", profile)));
    s.call("get", "/api/v1/credit-file/report", "/api/v1/credit-file/report", None);
    let file = s.call("get", "/api/v1/credit-file", "/api/v1/credit-file", None);
    s.call("get", "/api/v1/credit-score", "/api/v1/credit-score", None);
    s.call("get", "/api/v1/credit-score/factors", "/api/v1/credit-score/factors", None);
    s.call("get", "/api/v1/credit-score/history", "/api/v1/credit-score/history?back=2&forward=2", None);
    s.call("get", "/api/v1/credit-score/compare", "/api/v1/credit-score/compare?first=fico8&second=vantage", None);
    let changes = json!({"changes": [{"kind": "pay-all-cards", "value": "10"}]});
    s.json("post", "/api/v1/credit-score/simulate", "/api/v1/credit-score/simulate", &changes);
    s.call("get", "/api/v1/credit-score/plan", "/api/v1/credit-score/plan?target=780", None);
    let seen = json!({"value": "731", "family": "FICO 8", "bureau": "Experian"});
    s.json("post", "/api/v1/credit-score/reported", "/api/v1/credit-score/reported", &seen);
    let inquiry = json!({"kind": "inquiry", "fields": {"date": "2026-08-01", "type": "card", "hard": "yes"}});
    let item = s.json("post", "/api/v1/credit-file/items", "/api/v1/credit-file/items", &inquiry);
    let item = format!("/api/v1/credit-file/items/{}", item["id"].as_str().expect("id"));
    s.json("patch", "/api/v1/credit-file/items/{id}", &item, &json!({"fields": {"type": "auto"}}));
    s.call("delete", "/api/v1/credit-file/items/{id}", &item, None);
    let tradeline = file["sections"][0]["items"][0]["tradeline"].as_str().expect("a tradeline").to_string();
    let months = "/api/v1/credit-file/tradelines/{tradeline}/months/{month}";
    s.json(
        "put",
        months,
        &format!("/api/v1/credit-file/tradelines/{tradeline}/months/2026-05"),
        &json!({"status": "30"}),
    );
    let link = format!("/api/v1/credit-file/tradelines/{tradeline}/account");
    s.json("put", "/api/v1/credit-file/tradelines/{tradeline}/account", &link, &json!({"account_id": card_id}));
    // A card at 75% of its limit three days before it closes: the coach has an alert, with points.
    let furniture = new_transaction(&card_id, "2024-02-01", "-4000.00", "Furniture store");
    assert_eq!(server.send("POST", "/api/v1/transactions", &furniture, None).status, 201);
    let coach = s.call("get", "/api/v1/coach", "/api/v1/coach?as_of=2024-02-12", None);
    assert_eq!(coach["alerts"][0]["kind"], "utilization_high", "{coach}");
    assert!(coach["alerts"][0]["points"].is_number(), "the card is tied to the credit file: {coach}");
    s.call("get", "/api/v1/coach/bills", "/api/v1/coach/bills", None);
    s.call("delete", "/api/v1/credit-file/tradelines/{tradeline}/account", &link, None);
    let answers = json!({"cards": [{"name": "Visa", "opened": "2019-04", "limit": "5000", "balance": "900"}]});
    s.json("post", "/api/v1/credit-file/first-score", "/api/v1/credit-file/first-score", &answers);

    s.call("get", "/api/v1/changes", "/api/v1/changes?limit=3", None);
    s.call("post", "/api/v1/undo", "/api/v1/undo", None);
    s.call("delete", "/api/v1/transactions/{id}", &transaction, None);
    s.call("delete", "/api/v1/rules/{id}", &format!("/api/v1/rules/{}", rule["id"].as_str().expect("id")), None);
    s.call("delete", "/api/v1/reports/saved/{name}", "/api/v1/reports/saved/Food", None);
    let batch = batches[0]["id"].as_str().expect("a batch");
    s.call("delete", "/api/v1/imports/{batch}", &format!("/api/v1/imports/{batch}"), None);

    // Every documented operation was called.
    let document: Value = serde_json::from_str(&credence_rest::document()).expect("document");
    let documented: Vec<String> = document["paths"]
        .as_object()
        .expect("paths")
        .iter()
        .flat_map(|(path, item)| {
            item.as_object().expect("operations").keys().map(move |m| format!("{} {path}", m.to_uppercase()))
        })
        .collect();
    let missing: Vec<&String> = documented.iter().filter(|op| !s.recorded.contains_key(*op)).collect();
    assert!(missing.is_empty(), "operations this test does not call: {missing:?}");

    let file = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/snapshots/response-shapes.json");
    let current = serde_json::to_string_pretty(&s.recorded).expect("json") + "\n";
    if std::env::var_os("CREDENCE_UPDATE_SNAPSHOTS").is_some() {
        std::fs::create_dir_all(file.parent().expect("folder")).expect("mkdir");
        std::fs::write(&file, &current).expect("write the snapshot");
    }
    assert!(
        std::fs::read_to_string(&file).unwrap_or_default() == current,
        "an answer's shape changed: review `git diff rest/tests/snapshots/response-shapes.json` after \
         `CREDENCE_UPDATE_SNAPSHOTS=1 cargo test -p credence-rest --test api`, and list the change in CHANGELOG.md"
    );
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
