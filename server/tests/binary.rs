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
