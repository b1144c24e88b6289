//! The sync server as a client meets it: a real server on a loopback port, spoken to over HTTP. The
//! server's clock is a hand-set one, so expiry, rate-limit windows and TOTP steps are moved, not waited
//! for.

mod support;

use std::sync::atomic::{AtomicI64, Ordering};
use std::sync::Arc;

use credence_protocol::{ErrorCode, Problem, Session, TotpEnrollment};
use credence_server::{accounts, App, Clock, Config, PostgresStore, Running, SqliteStore};
use serde_json::{json, Value};

/// 2026-11-20T18:00:00Z.
const START_MS: i64 = 1_795_716_000_000;

struct Server {
    running: Running,
    clock: Arc<AtomicI64>,
    _dir: tempfile::TempDir,
}

fn config(clock: &Arc<AtomicI64>) -> Config {
    Config {
        session_ms: 3600 * 1000,
        clock: Clock::Manual(Arc::clone(clock)),
        body_limit: 64 * 1024,
        trusted_proxies: vec!["127.0.0.1".parse().expect("address")],
        ..Config::default()
    }
}

impl Server {
    fn start() -> Server {
        let dir = tempfile::tempdir().expect("dir");
        let clock = Arc::new(AtomicI64::new(START_MS));
        let (path, config) = (dir.path().to_path_buf(), config(&clock));
        let running = Running::start(move || async move {
            let store = SqliteStore::open(&path).map_err(std::io::Error::other)?;
            Ok(App::new(store, config).router())
        })
        .expect("server");
        Server { running, clock, _dir: dir }
    }

    fn advance(&self, ms: i64) {
        self.clock.fetch_add(ms, Ordering::SeqCst);
    }

    fn call(&self, method: &str, path: &str, token: Option<&str>, body: Option<Value>) -> Reply {
        self.call_from("127.0.0.1", method, path, token, body)
    }

    /// A request said (by the trusted proxy at 127.0.0.1) to come from `client`.
    fn call_from(&self, client: &str, method: &str, path: &str, token: Option<&str>, body: Option<Value>) -> Reply {
        let agent: ureq::Agent = ureq::Agent::config_builder().http_status_as_error(false).build().into();
        let mut request = ureq::http::Request::builder().method(method).uri(format!("{}{path}", self.running.url()));
        request = request.header("X-Forwarded-For", format!("203.0.113.66, {client}"));
        if let Some(token) = token {
            request = request.header("Authorization", format!("Bearer {token}"));
        }
        let body = body.map(|b| b.to_string()).unwrap_or_default();
        let request = request.header("Content-Type", "application/json").body(body).expect("request");
        let mut response = agent.run(request).expect("an HTTP answer");
        let status = response.status().as_u16();
        let header = |name: &str| response.headers().get(name).and_then(|v| v.to_str().ok()).map(str::to_string);
        let (content_type, retry_after) = (header("content-type").unwrap_or_default(), header("retry-after"));
        let text = response.body_mut().read_to_string().expect("body");
        let body = serde_json::from_str(&text).unwrap_or(Value::String(text));
        Reply { status, content_type, retry_after, body }
    }

    fn register(&self, user: &str, password: &str) -> Session {
        let reply =
            self.call("POST", "/api/v1/users/register", None, Some(json!({"user": user, "password": password})));
        assert_eq!(reply.status, 201, "{:?}", reply.body);
        serde_json::from_value(reply.body).expect("session")
    }

    fn login(&self, user: &str, password: &str, otp: Option<&str>) -> Reply {
        self.login_from("127.0.0.1", user, password, otp)
    }

    fn login_from(&self, client: &str, user: &str, password: &str, otp: Option<&str>) -> Reply {
        let mut body = json!({"user": user, "password": password});
        if let Some(otp) = otp {
            body["otp"] = json!(otp);
        }
        self.call_from(client, "POST", "/api/v1/users/login", None, Some(body))
    }
}

#[derive(Debug)]
struct Reply {
    status: u16,
    content_type: String,
    retry_after: Option<String>,
    body: Value,
}

impl Reply {
    fn code(&self) -> ErrorCode {
        assert_eq!(self.content_type, "application/problem+json", "{self:?}");
        serde_json::from_value::<Problem>(self.body.clone()).unwrap_or_else(|e| panic!("{e}: {self:?}")).code
    }
}

const PASSWORD: &str = "correct horse battery";
const VAULT: &str = "5f0c1f3e-8d0a-4c55-9d59-3f2b1b3f0a01";

fn b64(bytes: &[u8]) -> String {
    data_encoding::BASE64.encode(bytes)
}

fn records(device: &str, seqs: std::ops::RangeInclusive<u64>, tag: &str) -> Value {
    let list: Vec<Value> =
        seqs.map(|seq| json!({"device": device, "seq": seq, "data": b64(format!("{tag}{seq}").as_bytes())})).collect();
    json!({"records": list})
}

#[test]
fn accounts_register_log_in_and_out_and_see_their_profile() {
    let server = Server::start();
    let session = server.register("Ada@Example.org", PASSWORD);
    assert_eq!(session.user, "ada@example.org", "names are kept in one case");
    assert_eq!(data_encoding::BASE64URL_NOPAD.decode(session.token.as_bytes()).expect("token").len(), 32);
    let again = server.call(
        "POST",
        "/api/v1/users/register",
        None,
        Some(json!({"user": "ADA@example.org", "password": PASSWORD})),
    );
    assert_eq!((again.status, again.code()), (409, ErrorCode::Conflict));
    let weak = server.call("POST", "/api/v1/users/register", None, Some(json!({"user": "bob", "password": "short"})));
    assert_eq!((weak.status, weak.code()), (422, ErrorCode::Invalid));
    assert!(weak.body["detail"].as_str().is_some_and(|d| d.contains("at least 10")), "{:?}", weak.body);

    let profile = server.call("GET", "/api/v1/users/profile", Some(&session.token), None);
    assert_eq!(profile.status, 200);
    assert_eq!((profile.body["user"].as_str(), profile.body["totp"].as_bool()), (Some("ada@example.org"), Some(false)));

    let login = server.login("ada@example.org", PASSWORD, None);
    assert_eq!(login.status, 200, "{:?}", login.body);
    let second: Session = serde_json::from_value(login.body).expect("session");
    assert_ne!(second.token, session.token);
    assert_eq!(server.call("POST", "/api/v1/users/logout", Some(&second.token), None).status, 204);
    assert_eq!(server.call("GET", "/api/v1/users/profile", Some(&second.token), None).status, 401, "logged out");
    assert_eq!(
        server.call("GET", "/api/v1/users/profile", Some(&session.token), None).status,
        200,
        "the other session lives"
    );

    let audit = server.call("GET", "/api/v1/users/audit", Some(&session.token), None);
    let events: Vec<&str> =
        audit.body["events"].as_array().expect("events").iter().filter_map(|e| e["event"].as_str()).collect();
    assert_eq!(events, ["logout", "login", "registered"]);
    assert_eq!(audit.body["events"][0]["address"], "127.0.0.1");
}

#[test]
fn a_wrong_password_and_an_unknown_user_answer_alike_and_five_failures_lock_for_fifteen_minutes() {
    let server = Server::start();
    server.register("ada", PASSWORD);
    let wrong = server.login("ada", "not the password", None);
    let unknown = server.login("nobody-at-all", "not the password", None);
    assert_eq!((wrong.status, &wrong.body), (401, &unknown.body), "nothing tells an account apart from none");

    // Each from an address of its own: the account's own limit is what stops them.
    for i in 0..4 {
        assert_eq!(server.login_from(&format!("198.51.100.{i}"), "ada", "still wrong!", None).status, 401);
    }
    let locked = server.login_from("198.51.100.200", "ada", PASSWORD, None);
    assert_eq!((locked.status, locked.code()), (429, ErrorCode::RateLimited), "the right password waits too");
    let retry: i64 = locked.retry_after.as_deref().expect("Retry-After").parse().expect("seconds");
    assert!((1..=900).contains(&retry), "{retry}");
    assert_eq!(
        server.login_from("198.51.100.201", "grace", "any password", None).status,
        401,
        "other accounts are not locked"
    );
    server.advance(retry * 1000);
    assert_eq!(server.login("ada", PASSWORD, None).status, 200, "the window passed");
}

#[test]
fn failures_are_also_counted_per_address_across_accounts() {
    let server = Server::start();
    for i in 0..5 {
        assert_eq!(server.login(&format!("guess{i}"), "not the password", None).status, 401);
    }
    server.register("ada", PASSWORD);
    let locked = server.login("ada", PASSWORD, None);
    assert_eq!(
        (locked.status, locked.code()),
        (429, ErrorCode::RateLimited),
        "one address guessing many accounts is stopped"
    );
    assert_eq!(server.login_from("192.0.2.7", "ada", PASSWORD, None).status, 200, "another address is not");
    let audit = server.call("GET", "/api/v1/users/audit", Some(&server.register("eve", PASSWORD).token), None);
    assert_eq!(audit.body["events"][0]["address"], "127.0.0.1", "the proxy's last entry, not the client's own claim");
}

#[test]
fn sessions_expire_and_a_password_change_ends_every_other_session() {
    let server = Server::start();
    let first = server.register("ada", PASSWORD);
    let second: Session = serde_json::from_value(server.login("ada", PASSWORD, None).body).expect("session");
    let change = json!({"password": PASSWORD, "new_password": "a brand new passphrase"});
    let wrong = server.call(
        "POST",
        "/api/v1/users/password",
        Some(&first.token),
        Some(json!({"password": "nope nope nope", "new_password": "a brand new passphrase"})),
    );
    assert_eq!((wrong.status, wrong.code()), (403, ErrorCode::Forbidden), "the session is good; the password is not");
    let changed = server.call("POST", "/api/v1/users/password", Some(&first.token), Some(change));
    assert_eq!(changed.status, 200, "{:?}", changed.body);
    let fresh: Session = serde_json::from_value(changed.body).expect("session");
    for old in [&first.token, &second.token] {
        assert_eq!(server.call("GET", "/api/v1/users/profile", Some(old), None).status, 401, "old sessions end");
    }
    assert_eq!(server.call("GET", "/api/v1/users/profile", Some(&fresh.token), None).status, 200);
    assert_eq!(server.login("ada", PASSWORD, None).status, 401, "the old password is gone");
    assert_eq!(server.login("ada", "a brand new passphrase", None).status, 200);

    server.advance(3600 * 1000);
    let expired = server.call("GET", "/api/v1/users/profile", Some(&fresh.token), None);
    assert_eq!((expired.status, expired.code()), (401, ErrorCode::Unauthorized), "sessions end when they expire");
}

#[test]
fn a_second_factor_is_asked_for_and_a_code_or_recovery_code_works_once() {
    let server = Server::start();
    let session = server.register("ada", PASSWORD);
    let enrolment = server.call("POST", "/api/v1/users/totp", Some(&session.token), None);
    assert_eq!(enrolment.status, 200, "{:?}", enrolment.body);
    let enrolment: TotpEnrollment = serde_json::from_value(enrolment.body).expect("enrolment");
    assert!(enrolment.uri.starts_with("otpauth://totp/Credence%3Aada?secret="), "{}", enrolment.uri);
    let secret = data_encoding::BASE32_NOPAD.decode(enrolment.secret.as_bytes()).expect("base32");
    let code_now = |server: &Server| {
        let step = server.clock.load(Ordering::SeqCst) / 1000 / accounts::TOTP_STEP_SECONDS;
        format!("{:06}", accounts::totp_code(&secret, step))
    };
    assert_eq!(server.login("ada", PASSWORD, None).status, 200, "not asked before it is confirmed");
    let bad = server.call("POST", "/api/v1/users/totp/confirm", Some(&session.token), Some(json!({"code": "000000"})));
    assert_eq!(bad.status, 422);
    let confirmed = server.call(
        "POST",
        "/api/v1/users/totp/confirm",
        Some(&session.token),
        Some(json!({"code": code_now(&server)})),
    );
    assert_eq!(confirmed.status, 204, "{:?}", confirmed.body);

    let asked = server.login("ada", PASSWORD, None);
    assert_eq!((asked.status, asked.code()), (401, ErrorCode::OtpRequired));
    let replayed = server.login("ada", PASSWORD, Some(&code_now(&server)));
    assert_eq!(replayed.status, 401, "the code that confirmed cannot log in");
    server.advance(30_000);
    assert_eq!(server.login("ada", PASSWORD, Some(&code_now(&server))).status, 200);
    let again = server.login("ada", PASSWORD, Some(&code_now(&server)));
    assert_eq!(again.status, 401, "a code is used once within its window: {:?}", again.body);
    assert!(again.body["detail"].as_str().is_some_and(|d| d.contains("already used")), "{:?}", again.body);

    let recovery = enrolment.recovery_codes[3].to_uppercase();
    assert_eq!(server.login("ada", PASSWORD, Some(&recovery)).status, 200);
    assert_eq!(server.login("ada", PASSWORD, Some(&recovery)).status, 401, "a recovery code works once");
    let wrong_password = server.login("ada", "not the password", Some(&enrolment.recovery_codes[4]));
    assert_eq!(wrong_password.status, 401);
    assert_eq!(
        server.login("ada", PASSWORD, Some(&enrolment.recovery_codes[4])).status,
        200,
        "not spent by a failed login"
    );
    let profile = server.call("GET", "/api/v1/users/profile", Some(&session.token), None);
    assert_eq!(profile.body["totp"], true);
}

#[test]
fn records_upload_idempotently_page_in_order_and_a_changed_record_is_refused() {
    let server = Server::start();
    let token = server.register("ada", PASSWORD).token;
    let created = server.call(
        "POST",
        "/api/v1/vaults",
        Some(&token),
        Some(json!({"vault": VAULT, "check": b64(b"sealed check"), "key_file": b64(b"wrapped")})),
    );
    assert_eq!(created.status, 201, "{:?}", created.body);
    let keys = server.call("GET", &format!("/api/v1/vaults/{VAULT}/keys"), Some(&token), None);
    assert_eq!(
        keys.body,
        json!({"check": b64(b"sealed check"), "key_file": b64(b"wrapped"), "role": "owner", "epoch": 0})
    );

    let path = format!("/api/v1/vaults/{VAULT}/records");
    let first = server.call("POST", &path, Some(&token), Some(records("laptop", 1..=5, "a")));
    assert_eq!((first.status, &first.body), (200, &json!({"stored": 5, "unchanged": 0, "cursor": 5})));
    let retry = server.call("POST", &path, Some(&token), Some(records("laptop", 1..=5, "a")));
    assert_eq!(retry.body, json!({"stored": 0, "unchanged": 5, "cursor": 5}), "a retried upload stores nothing twice");
    server.call("POST", &path, Some(&token), Some(records("phone", 1..=3, "p")));
    let changed = server.call("POST", &path, Some(&token), Some(records("laptop", 5..=6, "z")));
    assert_eq!((changed.status, changed.code()), (409, ErrorCode::DeviceMismatch));
    assert!(changed.body["detail"].as_str().is_some_and(|d| d.contains("Nothing was stored")));

    let page = server.call("GET", &format!("{path}?after=0&limit=3"), Some(&token), None);
    assert_eq!((page.body["next"].as_u64(), page.body["more"].as_bool()), (Some(3), Some(true)));
    let mut cursor = 0;
    let mut seen = Vec::new();
    loop {
        let page = server.call("GET", &format!("{path}?after={cursor}&limit=3"), Some(&token), None);
        for r in page.body["records"].as_array().expect("records") {
            seen.push((r["device"].as_str().expect("device").to_string(), r["seq"].as_u64().expect("seq")));
        }
        cursor = page.body["next"].as_u64().expect("next");
        if page.body["more"] == false {
            break;
        }
    }
    let expected: Vec<(String, u64)> =
        (1..=5).map(|s| ("laptop".to_string(), s)).chain((1..=3).map(|s| ("phone".to_string(), s))).collect();
    assert_eq!(seen, expected, "every record once, in order of arrival; none of the refused upload");

    let devices = server.call("GET", &format!("/api/v1/vaults/{VAULT}/devices"), Some(&token), None);
    let names: Vec<&str> =
        devices.body["devices"].as_array().expect("devices").iter().filter_map(|d| d["device"].as_str()).collect();
    assert_eq!(names, ["laptop", "phone"]);
    assert_eq!(server.call("DELETE", &format!("/api/v1/vaults/{VAULT}/devices/phone"), Some(&token), None).status, 204);
    let refused = server.call("POST", &path, Some(&token), Some(records("phone", 4..=4, "p")));
    assert_eq!((refused.status, refused.code()), (403, ErrorCode::DeviceRevoked));

    let bad_seq = server.call(
        "POST",
        &path,
        Some(&token),
        Some(json!({"records": [{"device": "laptop", "seq": 0, "data": "AA=="}]})),
    );
    assert_eq!(bad_seq.status, 422);
    assert!(bad_seq.body["detail"].as_str().is_some_and(|d| d.contains("records[0].seq")), "{:?}", bad_seq.body);
    let bad_json = server.call(
        "POST",
        &path,
        Some(&token),
        Some(json!({"records": [{"device": "laptop", "seq": 1, "data": "%%%"}]})),
    );
    assert!(bad_json.body["detail"].as_str().is_some_and(|d| d.contains("records[0].data")), "{:?}", bad_json.body);
    let big = "A".repeat(100 * 1024);
    let too_large = server.call(
        "POST",
        &path,
        Some(&token),
        Some(json!({"records": [{"device": "laptop", "seq": 9, "data": big}]})),
    );
    assert_eq!((too_large.status, too_large.code()), (413, ErrorCode::TooLarge));
}

#[test]
fn every_endpoint_refuses_no_session_a_false_one_and_another_accounts_vault() {
    let server = Server::start();
    let owner = server.register("owner", PASSWORD).token;
    let stranger = server.register("stranger", PASSWORD).token;
    server.call(
        "POST",
        "/api/v1/vaults",
        Some(&owner),
        Some(json!({"vault": VAULT, "check": b64(b"c"), "key_file": b64(b"k")})),
    );
    server.call("POST", &format!("/api/v1/vaults/{VAULT}/records"), Some(&owner), Some(records("laptop", 1..=1, "a")));
    let vault_routes = [
        ("GET", format!("/api/v1/vaults/{VAULT}/keys"), None),
        ("GET", format!("/api/v1/vaults/{VAULT}/records"), None),
        ("POST", format!("/api/v1/vaults/{VAULT}/records"), Some(records("intruder", 1..=1, "x"))),
        ("GET", format!("/api/v1/vaults/{VAULT}/devices"), None),
        ("DELETE", format!("/api/v1/vaults/{VAULT}/devices/laptop"), None),
        (
            "POST",
            format!("/api/v1/vaults/{VAULT}/snapshots"),
            Some(json!({"id": "s1", "device": "laptop", "cursor": 1, "parts": 1, "taken_at": "2026-11-20T18:00:00Z"})),
        ),
        ("GET", format!("/api/v1/vaults/{VAULT}/snapshots"), None),
        ("PUT", format!("/api/v1/vaults/{VAULT}/snapshots/s1/parts/0"), Some(json!({"data": b64(b"part")}))),
        ("GET", format!("/api/v1/vaults/{VAULT}/snapshots/s1/parts/0"), None),
        ("POST", format!("/api/v1/vaults/{VAULT}/snapshots/s1/complete"), None),
        ("GET", format!("/api/v1/vaults/{VAULT}/members"), None),
        (
            "PUT",
            format!("/api/v1/vaults/{VAULT}/members/stranger"),
            Some(json!({"role": "editor", "grants": [{"epoch": 0, "sealed": b64(b"g")}]})),
        ),
        (
            "POST",
            format!("/api/v1/vaults/{VAULT}/rotations"),
            Some(json!({"remove": "stranger", "epoch": 1, "check": b64(b"c"), "grants": []})),
        ),
        ("GET", format!("/api/v1/vaults/{VAULT}/grants"), None),
    ];
    let account_routes = [
        ("POST", "/api/v1/users/logout".to_string(), None),
        ("GET", "/api/v1/users/profile".to_string(), None),
        ("DELETE", "/api/v1/users/profile".to_string(), Some(json!({"password": PASSWORD}))),
        (
            "POST",
            "/api/v1/users/password".to_string(),
            Some(json!({"password": PASSWORD, "new_password": "0123456789ab"})),
        ),
        ("POST", "/api/v1/users/totp".to_string(), None),
        ("DELETE", "/api/v1/users/totp".to_string(), Some(json!({"code": "123456"}))),
        ("POST", "/api/v1/users/totp/confirm".to_string(), Some(json!({"code": "123456"}))),
        ("GET", "/api/v1/users/audit".to_string(), None),
        (
            "PUT",
            "/api/v1/users/identity".to_string(),
            Some(json!({"public": b64(&[7; 32]), "sealed_private": b64(b"s")})),
        ),
        ("GET", "/api/v1/users/identity".to_string(), None),
        ("GET", "/api/v1/users/owner/key".to_string(), None),
        ("POST", "/api/v1/vaults".to_string(), Some(json!({"vault": VAULT, "check": "AA==", "key_file": "AA=="}))),
    ];
    for (method, path, body) in vault_routes.iter().chain(account_routes.iter()) {
        for token in [None, Some("not-a-session")] {
            let reply = server.call(method, path, token, body.clone());
            assert_eq!((reply.status, reply.code()), (401, ErrorCode::Unauthorized), "{method} {path} with {token:?}");
        }
    }
    for (method, path, body) in &vault_routes {
        let reply = server.call(method, path, Some(&stranger), body.clone());
        assert_eq!((reply.status, reply.code()), (404, ErrorCode::NotFound), "{method} {path} as another account");
    }
    let unknown = server.call("GET", "/api/v1/vaults/5f0c1f3e-8d0a-4c55-9d59-000000000000/keys", Some(&owner), None);
    assert_eq!(
        unknown.body,
        server.call("GET", &vault_routes[0].1, Some(&stranger), None).body,
        "another's vault looks absent"
    );
    let owner_sees = server.call("GET", &format!("/api/v1/vaults/{VAULT}/records"), Some(&owner), None);
    assert_eq!(owner_sees.body["records"].as_array().map(Vec::len), Some(1), "the stranger stored nothing");
}

#[test]
fn a_shared_vault_is_read_by_its_members_written_by_editors_and_shared_only_by_its_owner() {
    let server = Server::start();
    let owner = server.register("owner", PASSWORD).token;
    let editor = server.register("editor", PASSWORD).token;
    let viewer = server.register("viewer", PASSWORD).token;
    server.call(
        "POST",
        "/api/v1/vaults",
        Some(&owner),
        Some(json!({"vault": VAULT, "check": b64(b"c"), "key_file": b64(b"k")})),
    );
    let key = |n: u8| json!({"public": b64(&[n; 32]), "sealed_private": b64(b"sealed private key")});
    for (token, n) in [(&owner, 1), (&editor, 2)] {
        assert_eq!(server.call("PUT", "/api/v1/users/identity", Some(token), Some(key(n))).status, 204);
    }
    assert_eq!(server.call("GET", "/api/v1/users/identity", Some(&editor), None).body, key(2));
    let replaced = server.call("PUT", "/api/v1/users/identity", Some(&editor), Some(key(9)));
    assert_eq!((replaced.status, replaced.code()), (409, ErrorCode::Conflict), "a session cannot swap the key pair");
    let change = |sealed: Option<&[u8]>| {
        let mut body = json!({"password": PASSWORD, "new_password": "another long password"});
        if let Some(sealed) = sealed {
            body["sealed_private"] = json!(b64(sealed));
        }
        body
    };
    let unsealed = server.call("POST", "/api/v1/users/password", Some(&editor), Some(change(None)));
    assert_eq!((unsealed.status, unsealed.code()), (422, ErrorCode::Invalid), "the key pair would be left behind");
    let no_pair = server.call("POST", "/api/v1/users/password", Some(&viewer), Some(change(Some(b"x"))));
    assert_eq!(no_pair.status, 422, "an account without a key pair has nothing to reseal");
    let changed = server.call("POST", "/api/v1/users/password", Some(&editor), Some(change(Some(b"sealed anew"))));
    assert_eq!(changed.status, 200, "{:?}", changed.body);
    let editor: Session = serde_json::from_value(changed.body).expect("session");
    let editor = editor.token;
    assert_eq!(
        server.call("GET", "/api/v1/users/identity", Some(&editor), None).body,
        json!({"public": b64(&[2; 32]), "sealed_private": b64(b"sealed anew")}),
        "the same key pair, sealed under the new password"
    );
    let public = server.call("GET", "/api/v1/users/Editor/key", Some(&owner), None);
    assert_eq!(public.body, json!({"user": "editor", "public": b64(&[2; 32])}), "names compare without case");
    let none = server.call("GET", "/api/v1/users/viewer/key", Some(&owner), None);
    assert_eq!(none.status, 404, "an account without a key pair has no key to share with");
    assert_eq!(
        server
            .call(
                "PUT",
                "/api/v1/users/identity",
                Some(&viewer),
                Some(json!({"public": b64(b"short"), "sealed_private": b64(b"s")}))
            )
            .status,
        422
    );

    let share = |who: &str, role: &str, token: &str| {
        let body = json!({"role": role, "grants": [{"epoch": 0, "sealed": b64(format!("key for {who}").as_bytes())}]});
        server.call("PUT", &format!("/api/v1/vaults/{VAULT}/members/{who}"), Some(token), Some(body))
    };
    assert_eq!(share("editor", "editor", &owner).status, 204);
    assert_eq!(share("viewer", "viewer", &owner).status, 204);
    assert_eq!((share("viewer", "editor", &editor).status, share("owner", "editor", &owner).status), (403, 409));
    let members = server.call("GET", &format!("/api/v1/vaults/{VAULT}/members"), Some(&viewer), None);
    let listed: Vec<(String, String)> = members.body["members"]
        .as_array()
        .expect("members")
        .iter()
        .map(|m| (m["user"].as_str().expect("user").into(), m["role"].as_str().expect("role").into()))
        .collect();
    assert_eq!(
        listed,
        [("owner".into(), "owner".into()), ("editor".into(), "editor".into()), ("viewer".into(), "viewer".into())]
    );
    let grants = server.call("GET", &format!("/api/v1/vaults/{VAULT}/grants"), Some(&editor), None);
    assert_eq!(
        grants.body,
        json!({"grants": [{"epoch": 0, "from": "owner", "from_public": b64(&[1; 32]), "sealed": b64(b"key for editor")}]})
    );
    let profile = server.call("GET", "/api/v1/users/profile", Some(&viewer), None);
    assert_eq!(profile.body["vaults"][0]["role"], "viewer");
    let keys = server.call("GET", &format!("/api/v1/vaults/{VAULT}/keys"), Some(&viewer), None);
    assert_eq!(keys.body["role"], "viewer");

    let upload = |token: &str, device: &str| {
        server.call("POST", &format!("/api/v1/vaults/{VAULT}/records"), Some(token), Some(records(device, 1..=1, "a")))
    };
    assert_eq!(upload(&editor, "editor-laptop").status, 200, "an editor writes");
    let refused = upload(&viewer, "viewer-laptop");
    assert_eq!((refused.status, refused.code()), (403, ErrorCode::Forbidden), "a viewer does not");
    let pages = server.call("GET", &format!("/api/v1/vaults/{VAULT}/records"), Some(&viewer), None);
    assert_eq!(pages.body["records"].as_array().map(Vec::len), Some(1), "but reads");
    let revoke = server.call("DELETE", &format!("/api/v1/vaults/{VAULT}/devices/editor-laptop"), Some(&editor), None);
    assert_eq!(revoke.status, 403, "only the owner revokes devices");

    let rotation = |remove: &str, epoch: u32, stay: &[&str], token: &str| {
        let grants: Vec<Value> = stay.iter().map(|u| json!({"user": u, "sealed": b64(b"next key")})).collect();
        let body = json!({"remove": remove, "epoch": epoch, "check": b64(b"next check"), "grants": grants});
        server.call("POST", &format!("/api/v1/vaults/{VAULT}/rotations"), Some(token), Some(body))
    };
    assert_eq!(rotation("viewer", 1, &["owner", "editor"], &editor).status, 403, "only the owner removes");
    assert_eq!(rotation("viewer", 1, &["owner"], &owner).status, 409, "every member that stays gets the new key");
    assert_eq!(rotation("viewer", 1, &["owner", "editor"], &owner).status, 204);
    let gone = server.call("GET", &format!("/api/v1/vaults/{VAULT}/records"), Some(&viewer), None);
    assert_eq!(gone.status, 404, "a removed member no longer sees the vault");
    let keys = server.call("GET", &format!("/api/v1/vaults/{VAULT}/keys"), Some(&editor), None);
    assert_eq!((keys.body["epoch"].clone(), keys.body["check"].clone()), (json!(1), json!(b64(b"next check"))));
    assert_eq!(rotation("owner", 2, &["editor"], &owner).status, 409, "the owner stays");
}

#[test]
fn deleting_an_account_takes_its_vaults_and_records() {
    let server = Server::start();
    let token = server.register("ada", PASSWORD).token;
    server.call(
        "POST",
        "/api/v1/vaults",
        Some(&token),
        Some(json!({"vault": VAULT, "check": b64(b"c"), "key_file": b64(b"k")})),
    );
    server.call("POST", &format!("/api/v1/vaults/{VAULT}/records"), Some(&token), Some(records("laptop", 1..=3, "a")));
    let refused =
        server.call("DELETE", "/api/v1/users/profile", Some(&token), Some(json!({"password": "not the password"})));
    assert_eq!(refused.status, 403, "deleting asks for the password");
    assert_eq!(
        server.call("DELETE", "/api/v1/users/profile", Some(&token), Some(json!({"password": PASSWORD}))).status,
        204
    );
    assert_eq!(server.login("ada", PASSWORD, None).status, 401);
    let newcomer = server.register("ada", PASSWORD).token;
    let reused = server.call(
        "POST",
        "/api/v1/vaults",
        Some(&newcomer),
        Some(json!({"vault": VAULT, "check": b64(b"c"), "key_file": b64(b"k")})),
    );
    assert_eq!(reused.status, 201, "the vault id is free again: nothing of it was left");
    let records = server.call("GET", &format!("/api/v1/vaults/{VAULT}/records"), Some(&newcomer), None);
    assert_eq!(records.body["records"], json!([]));
}

#[test]
fn health_readiness_and_metrics_answer() {
    let dir = tempfile::tempdir().expect("dir");
    let clock = Arc::new(AtomicI64::new(START_MS));
    let app = App::new(SqliteStore::open(dir.path()).expect("store"), config(&clock));
    let metrics_app = app.clone();
    let running = Running::start(move || async move { Ok(app.router()) }).expect("server");
    let metrics = Running::start(move || async move { Ok(metrics_app.metrics_router()) }).expect("metrics");
    let server = Server { running, clock, _dir: dir };
    assert_eq!(server.call("GET", "/healthz", None, None).status, 200);
    assert_eq!(server.call("GET", "/readyz", None, None).status, 200);
    let missing = server.call("GET", "/api/v1/nothing", None, None);
    assert_eq!((missing.status, missing.code()), (404, ErrorCode::NotFound));
    let token = server.register("ada", PASSWORD).token;
    server.login("ada", "not the password", None);
    server.call(
        "POST",
        "/api/v1/vaults",
        Some(&token),
        Some(json!({"vault": VAULT, "check": b64(b"c"), "key_file": b64(b"k")})),
    );
    server.call(
        "POST",
        &format!("/api/v1/vaults/{VAULT}/records"),
        Some(&token),
        Some(records("laptop", 1..=3, "abc")),
    );
    assert_eq!(server.call("GET", "/metrics", None, None).status, 404, "metrics are not served with the API");

    let mut reply = ureq::get(format!("{}/metrics", metrics.url())).call().expect("metrics");
    let text = reply.body_mut().read_to_string().expect("text");
    for line in [
        "credence_requests_total{method=\"POST\",route=\"/api/v1/vaults/{vault}/records\",status=\"200\"} 1",
        "credence_requests_total{method=\"POST\",route=\"/api/v1/users/login\",status=\"401\"} 1",
        "credence_request_duration_seconds_count{route=\"/api/v1/users/register\"} 1",
        "credence_failed_logins_total 1",
        "credence_records_stored_total 3",
        "credence_bytes_stored 12",
        "credence_active_devices 1",
    ] {
        assert!(text.lines().any(|l| l == line), "{line} in\n{text}");
    }
    assert!(!text.contains(VAULT), "ids stay out of the labels");
}

#[test]
fn the_server_works_the_same_on_postgresql() {
    let cluster = support::postgres::TestPostgres::start();
    let url = cluster.fresh_database();
    let clock = Arc::new(AtomicI64::new(START_MS));
    let config = config(&clock);
    let running = Running::start(move || async move {
        let store = PostgresStore::connect(&url, 4).await.map_err(std::io::Error::other)?;
        Ok(App::new(store, config).router())
    })
    .expect("server");
    let dir = tempfile::tempdir().expect("dir");
    let server = Server { running, clock, _dir: dir };
    let token = server.register("ada", PASSWORD).token;
    assert_eq!(
        server
            .call(
                "POST",
                "/api/v1/vaults",
                Some(&token),
                Some(json!({"vault": VAULT, "check": b64(b"c"), "key_file": b64(b"k")}))
            )
            .status,
        201
    );
    let path = format!("/api/v1/vaults/{VAULT}/records");
    assert_eq!(server.call("POST", &path, Some(&token), Some(records("laptop", 1..=4, "a"))).body["stored"], 4);
    assert_eq!(server.call("POST", &path, Some(&token), Some(records("laptop", 1..=4, "a"))).body["unchanged"], 4);
    let changed = server.call("POST", &path, Some(&token), Some(records("laptop", 4..=4, "z")));
    assert_eq!(changed.code(), ErrorCode::DeviceMismatch);
    for _ in 0..5 {
        server.login("ada", "not the password", None);
    }
    assert_eq!(server.login("ada", PASSWORD, None).status, 429);
    drop(server);
}
