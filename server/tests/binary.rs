//! `credence-server` as an operator runs it: started on a free port, used, stopped with SIGTERM (it
//! finishes and exits 0), started again on the same data (nothing lost).

use std::io::{BufRead, BufReader};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use serde_json::json;

/// The server's process, killed if a test fails before it stops it.
struct Process(Child);

impl Drop for Process {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

/// Starts the binary on `data` and waits for the line that says where it listens.
fn start(data: &std::path::Path) -> (Process, String) {
    let mut child = Command::new(env!("CARGO_BIN_EXE_credence-server"))
        .args(["--listen", "127.0.0.1:0", "--json-logs", "--data"])
        .arg(data)
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .expect("spawn");
    let stdout = child.stdout.take().expect("stdout");
    let mut line = String::new();
    BufReader::new(stdout).read_line(&mut line).expect("first line");
    let url =
        line.trim().strip_prefix("credence-server listening on ").unwrap_or_else(|| panic!("{line:?}")).to_string();
    (Process(child), url)
}

fn agent() -> ureq::Agent {
    ureq::Agent::config_builder().http_status_as_error(false).build().into()
}

/// Sends SIGTERM and waits (polling, with a generous limit) for the process to end; its exit status.
fn terminate(mut process: Process) -> std::process::ExitStatus {
    let pid = process.0.id().to_string();
    assert!(Command::new("kill").args(["-TERM", &pid]).status().expect("kill").success());
    let deadline = Instant::now() + Duration::from_secs(60);
    loop {
        if let Some(status) = process.0.try_wait().expect("wait") {
            return status;
        }
        assert!(Instant::now() < deadline, "the server did not stop within a minute of SIGTERM");
        std::thread::sleep(Duration::from_millis(20));
    }
}

#[test]
fn the_server_starts_serves_stops_on_sigterm_and_keeps_its_data() {
    let dir = tempfile::tempdir().expect("dir");
    let (process, url) = start(dir.path());
    let mut health = agent().get(format!("{url}/healthz")).call().expect("healthz");
    assert_eq!(health.body_mut().read_to_string().expect("body"), "ok");
    let register = agent()
        .post(format!("{url}/api/v1/users/register"))
        .send_json(json!({"user": "ada", "password": "correct horse battery"}))
        .expect("register");
    assert_eq!(register.status(), 201);
    assert!(terminate(process).success(), "a clean stop exits 0");

    let (_process, url) = start(dir.path());
    let login = agent()
        .post(format!("{url}/api/v1/users/login"))
        .send_json(json!({"user": "ada", "password": "correct horse battery"}))
        .expect("login");
    assert_eq!(login.status(), 200, "the account survived the restart");
}

/// A self-signed certificate for 127.0.0.1 and localhost, written as PEM files in `dir`; its DER form.
fn self_signed(dir: &std::path::Path) -> (std::path::PathBuf, std::path::PathBuf, Vec<u8>) {
    let key = rcgen::KeyPair::generate().expect("key pair");
    let params = rcgen::CertificateParams::new(vec!["127.0.0.1".to_string(), "localhost".to_string()]).expect("params");
    let cert = params.self_signed(&key).expect("certificate");
    let (cert_path, key_path) = (dir.join("cert.pem"), dir.join("key.pem"));
    std::fs::write(&cert_path, cert.pem()).expect("write cert");
    std::fs::write(&key_path, key.serialize_pem()).expect("write key");
    (cert_path, key_path, cert.der().to_vec())
}

#[test]
fn with_a_certificate_and_key_the_server_speaks_only_https() {
    let dir = tempfile::tempdir().expect("dir");
    let (cert, key, der) = self_signed(dir.path());
    let mut child = Command::new(env!("CARGO_BIN_EXE_credence-server"))
        .args(["--listen", "127.0.0.1:0", "--data"])
        .arg(dir.path().join("data"))
        .arg("--tls-cert")
        .arg(&cert)
        .arg("--tls-key")
        .arg(&key)
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .expect("spawn");
    let stdout = child.stdout.take().expect("stdout");
    let _process = Process(child);
    let mut line = String::new();
    BufReader::new(stdout).read_line(&mut line).expect("first line");
    let url = line.trim().strip_prefix("credence-server listening on ").unwrap_or_else(|| panic!("{line:?}"));
    assert!(url.starts_with("https://127.0.0.1:"), "{url}");

    let trusting: ureq::Agent = ureq::Agent::config_builder()
        .http_status_as_error(false)
        .tls_config(
            ureq::tls::TlsConfig::builder()
                .root_certs(ureq::tls::RootCerts::new_with_certs(&[ureq::tls::Certificate::from_der(&der).to_owned()]))
                .build(),
        )
        .build()
        .into();
    let mut health = trusting.get(format!("{url}/healthz")).call().expect("healthz over TLS");
    assert_eq!(health.body_mut().read_to_string().expect("body"), "ok");
    let register = trusting
        .post(format!("{url}/api/v1/users/register"))
        .send_json(json!({"user": "ada", "password": "correct horse battery"}))
        .expect("register over TLS");
    assert_eq!(register.status(), 201);

    assert!(agent().get(format!("{url}/healthz")).call().is_err(), "a certificate no one vouches for is refused");
    let plain = url.replacen("https://", "http://", 1);
    let answered_plain = agent().get(format!("{plain}/healthz")).call().is_ok_and(|r| r.status() == 200);
    assert!(!answered_plain, "plain HTTP gets no answer");
}

#[test]
fn a_certificate_that_does_not_read_stops_the_server_with_a_sentence() {
    let dir = tempfile::tempdir().expect("dir");
    let (cert, _, _) = self_signed(dir.path());
    let not_a_key = dir.path().join("not-a-key.pem");
    std::fs::write(&not_a_key, "hello").expect("write");
    let out = Command::new(env!("CARGO_BIN_EXE_credence-server"))
        .args(["--listen", "127.0.0.1:0", "--data"])
        .arg(dir.path().join("data"))
        .arg("--tls-cert")
        .arg(&cert)
        .arg("--tls-key")
        .arg(&not_a_key)
        .output()
        .expect("run");
    assert!(!out.status.success());
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("not-a-key.pem is not a readable PEM private key"), "{err}");
}
