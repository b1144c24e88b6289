//! The vault lives on one thread of its own: the KDF (a third of a second) and long queries never block
//! the UI or Tauri's runtime, and the connection is never shared between threads. Commands send jobs to it
//! and await the answer. After `idle` without a job the vault locks itself (dropping the keys) and the
//! `on_lock` callback tells the UI.

use std::panic::AssertUnwindSafe;
use std::path::PathBuf;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{mpsc, Arc, Mutex};
use std::time::Duration;

use credence_core::Vault;
use credence_ipc::{ErrorCode, IpcError};

use crate::convert::ipc_error;

/// What the vault thread owns.
pub struct State {
    pub path: PathBuf,
    pub vault: Option<Vault>,
}

type Job = Box<dyn FnOnce(&mut State) + Send>;

pub struct Session {
    jobs: mpsc::Sender<Job>,
    idle: Arc<Mutex<Option<Duration>>>,
    /// Raised by `cancel`; the running import polls it.
    pub cancel: Arc<AtomicBool>,
}

impl Session {
    /// Starts the vault thread for the vault at `path` (locked). `on_lock` runs on that thread when the
    /// vault locks itself after `idle` without a job (`None`: never).
    pub fn start(path: PathBuf, idle: Option<Duration>, on_lock: impl Fn() + Send + 'static) -> Session {
        let (jobs, inbox) = mpsc::channel::<Job>();
        let idle = Arc::new(Mutex::new(idle));
        let idle_setting = Arc::clone(&idle);
        std::thread::Builder::new()
            .name("vault".into())
            .spawn(move || serve(State { path, vault: None }, &inbox, &idle_setting, &on_lock))
            .map(drop)
            .unwrap_or_else(|e| eprintln!("credence: cannot start the vault thread: {e}"));
        Session { jobs, idle, cancel: Arc::new(AtomicBool::new(false)) }
    }

    pub fn set_idle_lock(&self, idle: Option<Duration>) {
        if let Ok(mut setting) = self.idle.lock() {
            *setting = idle;
        }
    }

    /// Runs `job` on the vault thread and returns its answer.
    pub async fn run<R: Send + 'static>(
        &self,
        job: impl FnOnce(&mut State) -> Result<R, IpcError> + Send + 'static,
    ) -> Result<R, IpcError> {
        let (reply, answer) = tokio::sync::oneshot::channel();
        let job: Job = Box::new(move |state| {
            let _ = reply.send(job(state));
        });
        self.jobs.send(job).map_err(|_| stopped())?;
        answer.await.map_err(|_| stopped())?
    }

    /// Runs `job` with the unlocked vault; `Locked` when there is none.
    pub async fn with_vault<R: Send + 'static>(
        &self,
        job: impl FnOnce(&mut Vault) -> credence_core::Result<R> + Send + 'static,
    ) -> Result<R, IpcError> {
        self.run(move |state| match state.vault.as_mut() {
            Some(vault) => job(vault).map_err(|e| ipc_error(&e)),
            None => Err(IpcError::new(ErrorCode::Locked, "The vault is locked. Unlock it to continue.")),
        })
        .await
    }

    pub fn request_cancel(&self) {
        self.cancel.store(true, Ordering::Relaxed);
    }
}

fn serve(mut state: State, inbox: &mpsc::Receiver<Job>, idle: &Mutex<Option<Duration>>, on_lock: &dyn Fn()) {
    loop {
        let timeout = idle.lock().ok().and_then(|i| *i).filter(|_| state.vault.is_some());
        let job = match timeout {
            Some(timeout) => match inbox.recv_timeout(timeout) {
                Ok(job) => job,
                Err(mpsc::RecvTimeoutError::Timeout) => {
                    state.vault = None;
                    on_lock();
                    continue;
                }
                Err(mpsc::RecvTimeoutError::Disconnected) => return,
            },
            None => match inbox.recv() {
                Ok(job) => job,
                Err(_) => return,
            },
        };
        // A bug in one command must not take the vault thread (and so the whole app) down with it. The
        // job's reply channel is dropped on a panic, which the caller reports as a failed command; every
        // write is one SQLite transaction, so nothing half-done stays behind.
        if std::panic::catch_unwind(AssertUnwindSafe(|| job(&mut state))).is_err() {
            eprintln!("credence: a command failed unexpectedly; the vault stays as it was");
        }
    }
}

fn stopped() -> IpcError {
    IpcError::new(ErrorCode::Internal, credence_ipc::GENERIC_ERROR)
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
                s.vault = Some(Vault::open(&path, &Passphrase::new("correct horse battery")).map_err(|e| ipc_error(&e))?);
                Ok(())
            })
            .await
            .expect("unlock");
    }

    #[tokio::test]
    async fn a_locked_session_says_so_and_an_unlocked_one_answers() {
        let dir = tempfile::tempdir().expect("dir");
        let path = fast_vault(&dir);
        let session = Session::start(path.clone(), None, || {});
        let locked = session.with_vault(|v| v.accounts()).await.expect_err("locked");
        assert_eq!(locked.code, ErrorCode::Locked);
        unlock(&session, path).await;
        assert!(session.with_vault(|v| v.accounts()).await.expect("accounts").is_empty());
    }

    #[tokio::test]
    async fn a_panicking_command_leaves_the_session_working() {
        let dir = tempfile::tempdir().expect("dir");
        let session = Session::start(fast_vault(&dir), None, || {});
        let failed = session.run(|_| -> Result<(), IpcError> { panic!("bug") }).await.expect_err("panic");
        assert_eq!(failed.code, ErrorCode::Internal);
        assert!(session.run(|s| Ok(s.vault.is_none())).await.expect("still serving"));
    }

    #[tokio::test]
    async fn an_idle_vault_locks_itself() {
        let dir = tempfile::tempdir().expect("dir");
        let path = fast_vault(&dir);
        let (told, heard) = std::sync::mpsc::channel();
        let session = Session::start(path.clone(), Some(Duration::from_millis(50)), move || {
            let _ = told.send(());
        });
        unlock(&session, path).await;
        heard.recv_timeout(Duration::from_secs(10)).expect("locked after idle");
        assert_eq!(session.with_vault(|v| v.accounts()).await.expect_err("locked").code, ErrorCode::Locked);
    }
}
