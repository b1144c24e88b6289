//! A hybrid logical clock: wall-clock milliseconds, a counter for events in the same millisecond (or
//! when the wall clock steps back), and the device id. Its string form sorts in causal order, so
//! "newest change wins" is a string comparison everywhere, including in SQL.

use rusqlite::Connection;

use crate::error::{Error, Result};

#[derive(Debug)]
pub(crate) struct Clock {
    millis: u64,
    counter: u32,
    device: String,
}

impl Clock {
    /// Resumes from the newest stamp in the vault, so stamps stay increasing across restarts even when
    /// the wall clock went back.
    pub(crate) fn load(conn: &Connection) -> Result<Clock> {
        let device: Option<String> = conn
            .query_row("SELECT value FROM meta WHERE key = 'device_id'", [], |r| r.get(0))
            .or_else(|e| match e {
                rusqlite::Error::QueryReturnedNoRows | rusqlite::Error::SqliteFailure(..) => Ok(None),
                other => Err(other),
            })?;
        let last: Option<String> = conn.query_row("SELECT max(hlc) FROM operations", [], |r| r.get(0)).unwrap_or(None);
        let (millis, counter) = match last.as_deref().map(parse) {
            Some(Some((m, c))) => (m, c),
            Some(None) => return Err(Error::Damaged("the change log holds an unreadable clock stamp".into())),
            None => (0, 0),
        };
        Ok(Clock { millis, counter, device: device.unwrap_or_default() })
    }

    /// The next stamp for a local event at wall time `now_ms`.
    pub(crate) fn tick(&mut self, now_ms: u64) -> String {
        if now_ms > self.millis {
            self.millis = now_ms;
            self.counter = 0;
        } else {
            self.counter += 1;
        }
        format!("{:015}-{:08x}-{}", self.millis, self.counter, self.device)
    }
}

impl Clock {
    /// Moves the clock past `stamp` (another device's), so this device's next stamp is newer than
    /// everything it has seen: a later edit here wins over what it was made after.
    pub(crate) fn observe(&mut self, stamp: &str) -> Result<()> {
        let (millis, counter) =
            parse(stamp).ok_or_else(|| Error::Damaged(format!("unreadable clock stamp {stamp:?}")))?;
        if (millis, counter) > (self.millis, self.counter) {
            (self.millis, self.counter) = (millis, counter);
        }
        Ok(())
    }
}

/// Whether `stamp` is a clock stamp of the form this clock writes.
pub(crate) fn is_stamp(stamp: &str) -> bool {
    parse(stamp).is_some() && stamp.len() > 25 && stamp.as_bytes()[15] == b'-' && stamp.as_bytes()[24] == b'-'
}

fn parse(stamp: &str) -> Option<(u64, u32)> {
    let mut parts = stamp.splitn(3, '-');
    let millis = parts.next()?.parse().ok()?;
    let counter = u32::from_str_radix(parts.next()?, 16).ok()?;
    Some((millis, counter))
}

pub(crate) fn now_ms() -> u64 {
    std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map(|d| d.as_millis() as u64).unwrap_or(0)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn stamps_increase_even_when_the_wall_clock_stands_still_or_steps_back() {
        let mut clock = Clock { millis: 0, counter: 0, device: "dev".into() };
        let a = clock.tick(1_000);
        let b = clock.tick(1_000);
        let c = clock.tick(900);
        let d = clock.tick(2_000);
        assert!(a < b && b < c && c < d, "{a} {b} {c} {d}");
        assert_eq!(parse(&c), Some((1_000, 2)));
    }

    #[test]
    fn observing_another_devices_stamp_moves_past_it() {
        let mut clock = Clock { millis: 1_000, counter: 0, device: "a".into() };
        clock.observe("000000000005000-00000003-b").expect("stamp");
        let next = clock.tick(2_000);
        assert!(next.as_str() > "000000000005000-00000003-b", "{next}");
        clock.observe("000000000000010-00000000-c").expect("an older stamp changes nothing");
        assert!(clock.tick(2_000) > next);
        assert!(clock.observe("garbage").is_err());
        assert!(is_stamp("000000000005000-00000003-b") && !is_stamp("5000-3-b"));
    }
}
