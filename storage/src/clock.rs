//! "Now" for all of opsdeck: the system clock, or a clock moved to another instant with
//! `OPSDECK_NOW`, so the demo and the tests can be run on any date (the first of a month, the
//! last day of a year, a 29 February) and a time of day chosen on purpose.
//!
//! `OPSDECK_NOW=2028-02-29T09:30:00-03:00` makes the process's clock read that instant when it
//! is first asked, and run on from there at the real rate. `OPSDECK_NOW=<instant>@<unix secs>`
//! anchors it instead: the clock read `<instant>` at real time `<unix secs>`. A process that
//! starts others hands them [`spec`] so that all of them keep one timeline.
//!
//! Every read of the time of day goes through [`now`]; clippy.toml forbids jiff's own `now`.

use std::sync::OnceLock;

use jiff::{Timestamp, Zoned};

/// The environment variable that moves the clock.
pub const ENV: &str = "OPSDECK_NOW";

#[derive(Debug, Clone, Copy)]
struct Shift {
    /// The instant the clock was set to, and the real instant it read that.
    at: Timestamp,
    anchor: Timestamp,
}

fn shift() -> Option<Shift> {
    static SHIFT: OnceLock<Option<Shift>> = OnceLock::new();
    *SHIFT.get_or_init(|| {
        let value = std::env::var(ENV).ok()?;
        match parse(&value, real()) {
            Ok(s) => Some(s),
            // Running on the real clock by mistake would be worse than stopping: a test run on
            // "29 February" that silently ran today proves nothing.
            Err(e) => panic!("{ENV}={value}: {e}"),
        }
    })
}

#[allow(clippy::disallowed_methods)]
fn real() -> Timestamp {
    Timestamp::now()
}

/// Reads `<instant>` or `<instant>@<unix secs>`; `started` anchors a bare instant.
fn parse(value: &str, started: Timestamp) -> Result<Shift, String> {
    let (at, anchor) = match value.trim().split_once('@') {
        Some((at, anchor)) => {
            let secs: i64 = anchor
                .trim()
                .parse()
                .map_err(|_| format!("'{anchor}' after @ is not unix seconds"))?;
            let anchor = Timestamp::from_second(secs).map_err(|e| e.to_string())?;
            (at, anchor)
        }
        None => (value.trim(), started),
    };
    let at: Timestamp = at.parse().map_err(|e| {
        format!("not an instant with its offset (e.g. 2028-02-29T09:30:00-03:00): {e}")
    })?;
    Ok(Shift { at, anchor })
}

/// The current instant.
pub fn now() -> Timestamp {
    // The shift first: its anchor is read on the first call, and must not be after `real`.
    match shift() {
        Some(s) => s.at + real().duration_since(s.anchor),
        None => real(),
    }
}

/// The current instant in `tz`.
pub fn now_in(tz: &jiff::tz::TimeZone) -> Zoned {
    now().to_zoned(tz.clone())
}

/// What to give a child process in `OPSDECK_NOW` so that its clock reads the same as ours
/// (None when ours is the system clock).
pub fn spec() -> Option<String> {
    let s = shift()?;
    // Whole seconds: the anchor is written in seconds, so move `at` by what is cut off.
    let anchor = Timestamp::from_second(s.anchor.as_second()).unwrap_or(s.anchor);
    let at = s.at - s.anchor.duration_since(anchor);
    Some(format!("{at}@{}", anchor.as_second()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_moved_clock_reads_its_instant_and_runs_on_from_its_anchor() {
        let started: Timestamp = "2026-12-07T19:00:00Z".parse().unwrap();
        let s = parse("2028-02-29T09:30:00-03:00", started).unwrap();
        assert_eq!(s.at.to_string(), "2028-02-29T12:30:00Z");
        assert_eq!(s.anchor, started);
        let s = parse("2028-12-31T23:59:00Z@1765134000", started).unwrap();
        assert_eq!(s.anchor.as_second(), 1_765_134_000);
        for bad in [
            "29/02/2028",
            "2028-02-30T00:00:00Z",
            "2028-02-29T00:00:00Z@soon",
        ] {
            assert!(parse(bad, started).is_err(), "{bad}");
        }
    }
}
