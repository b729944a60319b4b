//! The JSON body of a reading message: one object or an array of them,
//! `{"device":"AHU-01","ts":"2026-11-22T10:00:00Z","metrics":{"supply_temp_c":12.4}}`.
//! Errors say where: `[3].metrics.power_kw: expected a number`.

use jiff::{SignedDuration, Timestamp};
use opsdeck_storage::readings::Reading;
use serde_json::Value;

/// Most readings one message may carry.
pub const MAX_READINGS: usize = 10_000;

pub fn valid_id(s: &str) -> bool {
    !s.is_empty()
        && s.len() <= 64
        && s.bytes()
            .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.' | b':'))
}

/// How far from the server clock a reading's time may be.
#[derive(Debug, Clone, Copy)]
pub struct Limits {
    /// Ahead of now (a device with a fast clock): a bad point would sit at the end of charts.
    pub max_ahead: SignedDuration,
    /// Behind now: older than the raw retention, a point could not be told from one already
    /// stored and deleted, and would be counted twice in the hourly rollups. None: no limit.
    pub max_age: Option<SignedDuration>,
}

/// Parses and validates a body against `limits` around `now`.
pub fn parse(body: &[u8], now: Timestamp, limits: Limits) -> Result<Vec<Reading>, String> {
    let value: Value = serde_json::from_slice(body).map_err(|e| format!("malformed JSON: {e}"))?;
    let mut out = Vec::new();
    match &value {
        Value::Array(items) => {
            if items.is_empty() {
                return Err("empty array: send at least one reading".into());
            }
            for (i, item) in items.iter().enumerate() {
                one(item, &format!("[{i}]"), now, limits, &mut out)?;
                if out.len() > MAX_READINGS {
                    return Err(format!(
                        "too many readings in one message (more than {MAX_READINGS}); split the batch"
                    ));
                }
            }
        }
        Value::Object(_) => one(&value, "", now, limits, &mut out)?,
        _ => return Err("expected a reading object or an array of them".into()),
    }
    Ok(out)
}

fn one(
    item: &Value,
    at: &str,
    now: Timestamp,
    limits: Limits,
    out: &mut Vec<Reading>,
) -> Result<(), String> {
    let dot = if at.is_empty() { "" } else { "." };
    let Value::Object(obj) = item else {
        return Err(format!("{at}: expected an object"));
    };
    for key in obj.keys() {
        if !matches!(key.as_str(), "device" | "ts" | "metrics") {
            return Err(format!(
                "{at}{dot}{key}: unknown field (expected device, ts, metrics)"
            ));
        }
    }
    let device = match obj.get("device") {
        Some(Value::String(s)) if valid_id(s) => s.clone(),
        Some(Value::String(s)) => {
            return Err(format!(
                "{at}{dot}device: '{s}' is not a device id (1-64 letters, digits, - _ . :)"
            ));
        }
        Some(_) => return Err(format!("{at}{dot}device: expected a string")),
        None => return Err(format!("{at}{dot}device: missing")),
    };
    let ts: Timestamp = match obj.get("ts") {
        Some(Value::String(s)) => s.parse().map_err(|_| {
            format!("{at}{dot}ts: '{s}' is not an RFC 3339 time (e.g. 2026-11-22T10:00:00Z)")
        })?,
        Some(_) => return Err(format!("{at}{dot}ts: expected an RFC 3339 string")),
        None => return Err(format!("{at}{dot}ts: missing")),
    };
    if ts.duration_since(now) > limits.max_ahead {
        return Err(format!(
            "{at}{dot}ts: {ts} is in the future (device clock ahead of the server)"
        ));
    }
    if let Some(age) = limits.max_age
        && now.duration_since(ts) > age
    {
        return Err(format!(
            "{at}{dot}ts: {ts} is older than the raw retention ({} days)",
            age.as_hours() / 24
        ));
    }
    let metrics = match obj.get("metrics") {
        Some(Value::Object(m)) if !m.is_empty() => m,
        Some(Value::Object(_)) => return Err(format!("{at}{dot}metrics: empty")),
        Some(_) => return Err(format!("{at}{dot}metrics: expected an object")),
        None => return Err(format!("{at}{dot}metrics: missing")),
    };
    for (name, v) in metrics {
        if !valid_id(name) {
            return Err(format!(
                "{at}{dot}metrics.{name}: not a metric name (1-64 letters, digits, - _ . :)"
            ));
        }
        let Some(value) = v.as_f64().filter(|x| x.is_finite()) else {
            return Err(format!(
                "{at}{dot}metrics.{name}: expected a number, got {v}"
            ));
        };
        out.push(Reading {
            device: device.clone(),
            metric: name.clone(),
            ts,
            value,
        });
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn p(s: &str) -> Result<Vec<Reading>, String> {
        parse(
            s.as_bytes(),
            "2026-11-22T10:00:00Z".parse().unwrap(),
            Limits {
                max_ahead: SignedDuration::from_secs(300),
                max_age: Some(SignedDuration::from_hours(24 * 30)),
            },
        )
    }

    #[test]
    fn one_reading_or_a_batch() {
        let one = p(r#"{"device":"AHU-01","ts":"2026-11-22T10:00:00Z","metrics":{"supply_temp_c":12.4,"power_kw":31.2}}"#).unwrap();
        assert_eq!(one.len(), 2);
        assert_eq!(one[0].device, "AHU-01");
        let batch = p(r#"[{"device":"A","ts":"2026-11-22T09:00:00Z","metrics":{"t":1}},{"device":"B","ts":"2026-11-22T09:00:01Z","metrics":{"t":2}}]"#).unwrap();
        assert_eq!(batch.len(), 2);
    }

    #[test]
    fn errors_say_where() {
        assert!(p("{").unwrap_err().starts_with("malformed JSON"));
        assert_eq!(
            p(r#"[{"device":"A","ts":"2026-11-22T09:00:00Z","metrics":{"t":1}},{"device":"A","ts":"2026-11-22T09:00:00Z","metrics":{"t":"hot"}}]"#).unwrap_err(),
            "[1].metrics.t: expected a number, got \"hot\""
        );
        assert_eq!(
            p(r#"{"device":5,"ts":"2026-11-22T09:00:00Z","metrics":{"t":1}}"#).unwrap_err(),
            "device: expected a string"
        );
        assert!(
            p(r#"{"device":"A","ts":"yesterday","metrics":{"t":1}}"#)
                .unwrap_err()
                .starts_with("ts: 'yesterday'")
        );
        assert!(
            p(r#"{"device":"A","ts":"2026-11-23T09:00:00Z","metrics":{"t":1}}"#)
                .unwrap_err()
                .contains("future")
        );
        assert!(
            p(r#"{"device":"A","ts":"2026-11-22T09:00:00Z","metrics":{}}"#)
                .unwrap_err()
                .contains("empty")
        );
        assert!(
            p(r#"{"device":"A B","ts":"2026-11-22T09:00:00Z","metrics":{"t":1}}"#)
                .unwrap_err()
                .contains("not a device id")
        );
        assert!(
            p(r#"{"device":"A","ts":"2026-11-22T09:00:00Z","metrics":{"t":1},"x":1}"#)
                .unwrap_err()
                .contains("unknown field")
        );
        assert!(p("[]").unwrap_err().contains("empty array"));
        assert!(
            p(r#"{"device":"A","ts":"1970-01-01T00:00:00Z","metrics":{"t":1}}"#)
                .unwrap_err()
                .contains("older than the raw retention (30 days)")
        );
        assert!(p("3").is_err());
    }
}
