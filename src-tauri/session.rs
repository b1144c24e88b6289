//! The vault lives on one thread of its own: the KDF (a third of a second) and long queries never block
//! the UI or Tauri's runtime, and the connection is never shared between threads. Commands send jobs to it
//! and await the answer.
//!
//! The vault locks itself (dropping the keys) after `idle` without the person's input (keys, clicks,
//! scrolling, which the UI reports with `user_active`; commands a page sends by itself do not count), and
//! when the machine has slept (the monotonic clock stood still while the wall clock moved on), or when
//! told to (`locker`: the system is going to sleep, the screen locked; `watch.rs`); the `on_lock`
//! callback tells the UI why.

use std::panic::AssertUnwindSafe;
use std::path::PathBuf;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{mpsc, Arc, Mutex};
use std::time::{Duration, Instant, SystemTime};

use credence_api::{ApiError, ErrorCode};
use credence_core::Vault;

use credence_api::convert::api_error;

/// What the vault thread owns.
pub struct State {
    pub path: PathBuf,
    pub vault: Option<Vault>,
}

type Job = Box<dyn FnOnce(&mut State) + Send>;

/// What the vault thread is sent: work, or word that it should lock now (the machine is going to
/// sleep, the screen locked).
enum Message {
    Run(Job),
    Lock(LockReason),
}

/// Why the vault locked itself.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LockReason {
    Idle,
    Slept,
    // Heard only where the screen lock is listened to (Linux, `watch.rs`).
    #[cfg_attr(not(target_os = "linux"), allow(dead_code))]
    ScreenLocked,
}

impl LockReason {
    pub fn as_str(self) -> &'static str {
        match self {
            LockReason::Idle => "idle",
            LockReason::Slept => "sleep",
            LockReason::ScreenLocked => "screen-locked",
        }
    }
}

/// How often the vault thread looks at the clocks while it waits.
const TICK: Duration = Duration::from_secs(5);
/// A gap between the wall clock and the monotonic clock larger than this, within one wait, is sleep (a
/// clock set by hand moves too; locking then costs only a passphrase).
const SLEEP_GAP: Duration = Duration::from_secs(30);

pub struct Session {
    jobs: mpsc::Sender<Message>,
    idle: Arc<Mutex<Option<Duration>>>,
    last_input: Arc<Mutex<Instant>>,
    /// Raised by `cancel`; the running import polls it.
    pub cancel: Arc<AtomicBool>,
}

impl Session {
    /// Starts the vault thread for the vault at `path` (locked). `on_lock` runs on that thread when the
    /// vault locks itself: after `idle` without input (`None`: never), or after the machine slept.
    pub fn start(path: PathBuf, idle: Option<Duration>, on_lock: impl Fn(LockReason) + Send + 'static) -> Session {
        let (jobs, inbox) = mpsc::channel::<Message>();
        let idle = Arc::new(Mutex::new(idle));
        let last_input = Arc::new(Mutex::new(Instant::now()));
        let watch = Watch { idle: Arc::clone(&idle), last_input: Arc::clone(&last_input) };
        std::thread::Builder::new()
            .name("vault".into())
            .spawn(move || serve(State { path, vault: None }, &inbox, &watch, &on_lock))
            .map(drop)
            .unwrap_or_else(|e| eprintln!("credence: cannot start the vault thread: {e}"));
        Session { jobs, idle, last_input, cancel: Arc::new(AtomicBool::new(false)) }
    }

    /// A way to lock the vault from another thread (the session watcher), whatever it is doing.
    pub fn locker(&self) -> impl Fn(LockReason) + Send + Sync + 'static {
        let jobs = self.jobs.clone();
        move |reason| {
            let _ = jobs.send(Message::Lock(reason));
        }
    }

    /// The person did something (typed, clicked, scrolled): the idle time starts again.
    pub fn mark_input(&self) {
        if let Ok(mut last) = self.last_input.lock() {
            *last = Instant::now();
        }
    }

    pub fn set_idle_lock(&self, idle: Option<Duration>) {
        if let Ok(mut setting) = self.idle.lock() {
            *setting = idle;
        }
    }

    /// Runs `job` on the vault thread and returns its answer.
    pub async fn run<R: Send + 'static>(
        &self,
        job: impl FnOnce(&mut State) -> Result<R, ApiError> + Send + 'static,
    ) -> Result<R, ApiError> {
        let (reply, answer) = tokio::sync::oneshot::channel();
        let job: Job = Box::new(move |state| {
            let _ = reply.send(job(state));
        });
        self.jobs.send(Message::Run(job)).map_err(|_| stopped())?;
        answer.await.map_err(|_| stopped())?
    }

    /// Runs `job` with the unlocked vault; `Locked` when there is none.
    pub async fn with_vault<R: Send + 'static>(
        &self,
        job: impl FnOnce(&mut Vault) -> credence_core::Result<R> + Send + 'static,
    ) -> Result<R, ApiError> {
        self.run(move |state| match state.vault.as_mut() {
            Some(vault) => job(vault).map_err(|e| api_error(&e)),
            None => Err(ApiError::new(ErrorCode::Locked, "The vault is locked. Unlock it to continue.")),
        })
        .await
    }

    pub fn request_cancel(&self) {
        self.cancel.store(true, Ordering::Relaxed);
    }
}

/// What the vault thread watches besides its jobs.
struct Watch {
    idle: Arc<Mutex<Option<Duration>>>,
    last_input: Arc<Mutex<Instant>>,
}

fn serve(mut state: State, inbox: &mpsc::Receiver<Message>, watch: &Watch, on_lock: &dyn Fn(LockReason)) {
    let mut clocks = (Instant::now(), SystemTime::now());
    loop {
        let message = if state.vault.is_some() {
            let idle = watch.idle.lock().ok().and_then(|i| *i);
            let last_input = watch.last_input.lock().map(|l| *l).unwrap_or_else(|_| Instant::now());
            let reason = lock_due(idle, last_input.elapsed(), slept_between(clocks));
            clocks = (Instant::now(), SystemTime::now());
            if let Some(reason) = reason {
                state.vault = None;
                on_lock(reason);
                continue;
            }
            match inbox.recv_timeout(TICK) {
                Ok(message) => message,
                Err(mpsc::RecvTimeoutError::Timeout) => continue,
                Err(mpsc::RecvTimeoutError::Disconnected) => return,
            }
        } else {
            match inbox.recv() {
                Ok(message) => message,
                Err(_) => return,
            }
        };
        let job = match message {
            Message::Run(job) => job,
            Message::Lock(reason) => {
                if state.vault.take().is_some() {
                    on_lock(reason);
                }
                continue;
            }
        };
        // A bug in one command must not take the vault thread (and so the whole app) down with it. The
        // job's reply channel is dropped on a panic, which the caller reports as a failed command; every
        // write is one SQLite transaction, so nothing half-done stays behind.
        if std::panic::catch_unwind(AssertUnwindSafe(|| job(&mut state))).is_err() {
            eprintln!("credence: a command failed unexpectedly; the vault stays as it was");
        }
        clocks = (Instant::now(), SystemTime::now());
    }
}

/// Whether the machine slept since `since` was read: the wall clock moved on while the monotonic clock
/// (which stands still in suspend on Linux and macOS) did not.
fn slept_between(since: (Instant, SystemTime)) -> bool {
    let monotonic = since.0.elapsed();
    let wall = SystemTime::now().duration_since(since.1).unwrap_or_default();
    wall.saturating_sub(monotonic) > SLEEP_GAP
}

/// Why the open vault should lock now, if it should.
fn lock_due(idle: Option<Duration>, since_input: Duration, slept: bool) -> Option<LockReason> {
    if slept {
        return Some(LockReason::Slept);
    }
    idle.filter(|idle| since_input >= *idle).map(|_| LockReason::Idle)
}

fn stopped() -> ApiError {
    ApiError::new(ErrorCode::Internal, credence_api::GENERIC_ERROR)
}

#[cfg(test)]
mod tests {
    use super::*;
    use credence_core::Passphrase;

    fn fast_vault(dir: &tempfile::TempDir) -> PathBuf {
        let path = dir.path().join("v.credence");
        Vault::create(&path, &Passphrase::new("correct horse battery")).expect("create");
        path
    }

    async fn unlock(session: &Session, path: PathBuf) {
        session
            .run(move |s| {
                s.vault =
                    Some(Vault::open(&path, &Passphrase::new("correct horse battery")).map_err(|e| api_error(&e))?);
                Ok(())
            })
            .await
            .expect("unlock");
    }

    #[tokio::test]
    async fn a_locked_session_says_so_and_an_unlocked_one_answers() {
        let dir = tempfile::tempdir().expect("dir");
        let path = fast_vault(&dir);
        let session = Session::start(path.clone(), None, |_| {});
        let locked = session.with_vault(|v| v.accounts()).await.expect_err("locked");
        assert_eq!(locked.code, ErrorCode::Locked);
        unlock(&session, path).await;
        assert!(session.with_vault(|v| v.accounts()).await.expect("accounts").is_empty());
    }

    #[tokio::test]
    async fn a_panicking_command_leaves_the_session_working() {
        let dir = tempfile::tempdir().expect("dir");
        let session = Session::start(fast_vault(&dir), None, |_| {});
        let failed = session.run(|_| -> Result<(), ApiError> { panic!("bug") }).await.expect_err("panic");
        assert_eq!(failed.code, ErrorCode::Internal);
        assert!(session.run(|s| Ok(s.vault.is_none())).await.expect("still serving"));
    }

    /// Commands a page sends by itself (a refresh, a poll) do not keep the vault open: only input does.
    #[tokio::test]
    async fn a_vault_without_input_locks_itself_even_while_commands_arrive() {
        let dir = tempfile::tempdir().expect("dir");
        let path = fast_vault(&dir);
        let (told, heard) = std::sync::mpsc::channel();
        let session = Session::start(path.clone(), Some(Duration::from_millis(50)), move |reason| {
            let _ = told.send(reason);
        });
        unlock(&session, path).await;
        let reason = loop {
            let _ = session.with_vault(|v| v.accounts()).await;
            if let Ok(reason) = heard.try_recv() {
                break reason;
            }
            tokio::time::sleep(Duration::from_millis(5)).await;
        };
        assert_eq!(reason, LockReason::Idle);
        assert_eq!(session.with_vault(|v| v.accounts()).await.expect_err("locked").code, ErrorCode::Locked);
    }

    #[test]
    fn input_restarts_the_idle_time_and_sleep_locks_at_once() {
        let minute = Duration::from_secs(60);
        assert_eq!(lock_due(Some(15 * minute), 14 * minute, false), None);
        assert_eq!(lock_due(Some(15 * minute), 15 * minute, false), Some(LockReason::Idle));
        assert_eq!(lock_due(None, 600 * minute, false), None, "never: only sleep locks");
        assert_eq!(lock_due(None, Duration::ZERO, true), Some(LockReason::Slept));
        // Read just now: no sleep. Read "an hour ago" by the wall clock but a moment ago by the monotonic
        // clock: the machine slept through that hour.
        assert!(!slept_between((Instant::now(), SystemTime::now())));
        let hour_ago = SystemTime::now().checked_sub(60 * minute).expect("an hour ago");
        assert!(slept_between((Instant::now(), hour_ago)));
    }
}
