//! Locks the vault when the machine is about to sleep or the desktop session locks its screen, where the
//! platform says so. On Linux that is logind on the system bus: `PrepareForSleep(true)` on the manager,
//! and this session's `Lock` signal or its `LockedHint` turning true (GNOME, KDE and others set it when
//! the screen locks). Without a system bus or logind (a container, a system without systemd) nothing is
//! heard, and the idle lock and the session thread's own sleep check still apply. macOS and Windows
//! report both too (NSWorkspace, WTS session notifications); listening to them is not done yet.

use crate::session::LockReason;

/// Listens on a thread of its own for as long as the app runs; `lock` is called for each event.
#[cfg(target_os = "linux")]
pub fn start(lock: impl Fn(LockReason) + Send + Sync + 'static) {
    let spawned = std::thread::Builder::new().name("session-watch".into()).spawn(move || {
        if let Ok(conn) = dbus::blocking::Connection::new_system() {
            let session = own_session(&conn);
            if subscribe(&conn, session, lock).is_ok() {
                serve(&conn);
            }
        }
    });
    drop(spawned);
}

#[cfg(not(target_os = "linux"))]
pub fn start(_lock: impl Fn(LockReason) + Send + Sync + 'static) {}

/// This process's logind session, so another user's screen lock is not taken for ours.
#[cfg(target_os = "linux")]
fn own_session(conn: &dbus::blocking::Connection) -> Option<dbus::Path<'static>> {
    let manager =
        conn.with_proxy("org.freedesktop.login1", "/org/freedesktop/login1", std::time::Duration::from_secs(5));
    let (path,): (dbus::Path<'static>,) =
        manager.method_call("org.freedesktop.login1.Manager", "GetSessionByPID", (std::process::id(),)).ok()?;
    Some(path)
}

/// Subscribes to the signals (the bus has the match rules when this returns). Without a known session
/// (logind could not say), a screen lock of any session counts.
#[cfg(target_os = "linux")]
fn subscribe(
    conn: &dbus::blocking::Connection,
    session: Option<dbus::Path<'static>>,
    lock: impl Fn(LockReason) + Send + Sync + 'static,
) -> Result<(), dbus::Error> {
    use dbus::blocking::stdintf::org_freedesktop_dbus::PropertiesPropertiesChanged;
    use dbus::message::MatchRule;

    let lock = std::sync::Arc::new(lock);
    let on_sleep = std::sync::Arc::clone(&lock);
    conn.add_match(
        MatchRule::new_signal("org.freedesktop.login1.Manager", "PrepareForSleep"),
        move |(going,): (bool,), _, _| {
            if going {
                on_sleep(LockReason::Slept);
            }
            true
        },
    )?;
    let in_session = |rule: MatchRule<'static>| match &session {
        Some(path) => rule.with_path(path.clone()),
        None => rule,
    };
    let on_lock = std::sync::Arc::clone(&lock);
    conn.add_match(
        in_session(MatchRule::new_signal("org.freedesktop.login1.Session", "Lock")),
        move |(): (), _, _| {
            on_lock(LockReason::ScreenLocked);
            true
        },
    )?;
    let on_hint = std::sync::Arc::clone(&lock);
    let properties = in_session(MatchRule::new_signal("org.freedesktop.DBus.Properties", "PropertiesChanged"));
    conn.add_match(properties, move |changed: PropertiesPropertiesChanged, _, _| {
        let locked = changed.changed_properties.get("LockedHint").and_then(|v| v.0.as_u64());
        if changed.interface_name == "org.freedesktop.login1.Session" && locked == Some(1) {
            on_hint(LockReason::ScreenLocked);
        }
        true
    })?;
    Ok(())
}

/// Hands each signal to its match until the bus goes away.
#[cfg(target_os = "linux")]
fn serve(conn: &dbus::blocking::Connection) {
    while conn.process(std::time::Duration::from_secs(3600)).is_ok() {}
}

#[cfg(all(test, target_os = "linux"))]
mod tests {
    use super::*;
    use std::process::{Child, Command, Stdio};
    use std::sync::mpsc;
    use std::time::Duration;

    /// A real D-Bus daemon on a private socket, stopped when dropped.
    struct Bus {
        daemon: Child,
        address: String,
    }

    impl Drop for Bus {
        fn drop(&mut self) {
            let _ = self.daemon.kill();
            let _ = self.daemon.wait();
        }
    }

    fn private_bus() -> Bus {
        use std::io::BufRead;
        let mut daemon = Command::new("dbus-daemon")
            .args(["--session", "--nofork", "--print-address"])
            .stdout(Stdio::piped())
            .spawn()
            .expect("dbus-daemon (Debian's dbus package; scripts/setup.sh installs it)");
        let mut address = String::new();
        std::io::BufReader::new(daemon.stdout.take().expect("stdout"))
            .read_line(&mut address)
            .expect("the bus address");
        Bus { daemon, address: address.trim().to_string() }
    }

    fn send(bus: &Bus, path: &str, signal: &str, args: &[&str]) {
        let status = Command::new("dbus-send")
            .arg(format!("--bus={}", bus.address))
            .args(["--type=signal", path, signal])
            .args(args)
            .status()
            .expect("dbus-send");
        assert!(status.success());
    }

    /// The signals logind sends, sent for real over a bus: going to sleep and a screen lock lock the
    /// vault; waking up does not.
    #[test]
    fn sleep_and_a_locked_screen_lock_the_vault_and_waking_does_not() {
        let bus = private_bus();
        let (told, heard) = mpsc::channel();
        let address = bus.address.clone();
        let (ready, subscribed) = mpsc::channel();
        std::thread::spawn(move || {
            let mut channel = dbus::channel::Channel::open_private(&address).expect("connect");
            channel.register().expect("register");
            let conn = dbus::blocking::Connection::from(channel);
            let session = Some(dbus::Path::from("/org/freedesktop/login1/session/_31"));
            subscribe(&conn, session, move |reason| {
                let _ = told.send(reason);
            })
            .expect("subscribe");
            let _ = ready.send(());
            serve(&conn);
        });
        subscribed.recv_timeout(Duration::from_secs(30)).expect("subscribed");
        send(&bus, "/org/freedesktop/login1", "org.freedesktop.login1.Manager.PrepareForSleep", &["boolean:true"]);
        assert_eq!(heard.recv_timeout(Duration::from_secs(30)).ok(), Some(LockReason::Slept));

        send(&bus, "/org/freedesktop/login1", "org.freedesktop.login1.Manager.PrepareForSleep", &["boolean:false"]);
        send(&bus, "/org/freedesktop/login1/session/_32", "org.freedesktop.login1.Session.Lock", &[]);
        send(&bus, "/org/freedesktop/login1/session/_31", "org.freedesktop.login1.Session.Lock", &[]);
        assert_eq!(heard.recv_timeout(Duration::from_secs(30)).ok(), Some(LockReason::ScreenLocked));
        assert!(heard.try_recv().is_err(), "waking up and another session's lock lock nothing");
    }
}
