//! Alert rule evaluation, and the TOML file `opsdeck rules import` reads.
//!
//! The evaluator is pure: readings and the current time come in, raise/clear transitions come
//! out, and everything it remembers between calls is the caller's [`RuleState`] (one per rule and
//! device). No I/O, no clock.

use std::collections::{BTreeMap, BTreeSet};

use jiff::{SignedDuration, Timestamp};
use opsdeck_storage::records::rule::{
    Direction, Rule, RuleKind, Severity, format_secs, format_value,
};
use serde::{Deserialize, Serialize};
use toml::Spanned;

/// What the evaluator remembers about one rule on one device.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct RuleState {
    /// An alert is raised and not yet cleared.
    pub active: bool,
    /// When the current, not yet long enough, breach of a duration rule began.
    pub pending_since: Option<Timestamp>,
    /// The samples within the window of a `RateOfChange` rule, oldest first (empty otherwise).
    pub window: Vec<(Timestamp, f64)>,
    /// The newest sample time seen; older samples are ignored.
    pub last_seen: Option<Timestamp>,
    /// The newest sample value seen, so a raise on tick can name the value.
    #[serde(default)]
    pub last_value: Option<f64>,
}

#[derive(Debug, Clone, PartialEq)]
pub enum Transition {
    Raise {
        at: Timestamp,
        value: Option<f64>,
        message: String,
    },
    Clear {
        at: Timestamp,
        value: Option<f64>,
        message: String,
    },
}

impl Transition {
    pub fn at(&self) -> Timestamp {
        match self {
            Transition::Raise { at, .. } | Transition::Clear { at, .. } => *at,
        }
    }

    pub fn message(&self) -> &str {
        match self {
            Transition::Raise { message, .. } | Transition::Clear { message, .. } => message,
        }
    }

    pub fn is_raise(&self) -> bool {
        matches!(self, Transition::Raise { .. })
    }
}

/// A reading of the rule's metric (or, for Stale, of any metric) from a device the rule applies
/// to, in time order.
///
/// Returns a transition only when the alert state changes. A disabled rule, a non-finite value
/// and a sample older than the newest one seen (`st.last_seen`) change nothing.
///
/// - `Threshold` raises once the value has been beyond the limit for `for_secs` (0: at once) and
///   clears only `hysteresis` back inside it; a sample inside the limit while pending cancels
///   the pending breach.
/// - `Band` likewise: outside `[min, max]` raises, inside `[min + hysteresis, max - hysteresis]`
///   clears.
/// - `RateOfChange` keeps the samples within `window_secs` of this one and raises when
///   `|newest - oldest|` exceeds `max_change`. It has built-in hysteresis: it clears only when the
///   change falls back to `max_change * 0.8` or less.
/// - `Stale` notes the time and clears a raised staleness alert.
pub fn on_sample(rule: &Rule, st: &mut RuleState, ts: Timestamp, value: f64) -> Option<Transition> {
    if !rule.enabled || !value.is_finite() {
        return None;
    }
    if st.last_seen.is_some_and(|newest| ts < newest) {
        return None;
    }
    let previous = st.last_seen.replace(ts);
    st.last_value = Some(value);
    match &rule.kind {
        RuleKind::Threshold { for_secs, .. } | RuleKind::Band { for_secs, .. } => {
            let level = level(&rule.kind, value);
            if st.active {
                if level != Level::Clear {
                    return None;
                }
                st.active = false;
                st.pending_since = None;
                return Some(Transition::Clear {
                    at: ts,
                    value: Some(value),
                    message: clear_message(&rule.kind, value),
                });
            }
            if level != Level::Breach {
                st.pending_since = None;
                return None;
            }
            let since = *st.pending_since.get_or_insert(ts);
            if ts.duration_since(since) < secs(*for_secs) {
                return None;
            }
            st.active = true;
            st.pending_since = None;
            Some(Transition::Raise {
                at: ts,
                value: Some(value),
                message: raise_message(&rule.kind, Some(value)),
            })
        }
        RuleKind::RateOfChange {
            metric,
            max_change,
            window_secs,
        } => {
            let horizon = ts.checked_sub(secs(*window_secs)).unwrap_or(Timestamp::MIN);
            st.window.retain(|(t, _)| *t >= horizon);
            st.window.push((ts, value));
            let oldest = st.window.first().map_or(value, |(_, v)| *v);
            let change = (value - oldest).abs();
            let window = format_secs(*window_secs);
            if !st.active && change > *max_change {
                st.active = true;
                Some(Transition::Raise {
                    at: ts,
                    value: Some(value),
                    message: format!(
                        "{metric} changed by {} within {window}, limit {}",
                        format_value(change),
                        format_value(*max_change)
                    ),
                })
            } else if st.active && change <= max_change * 0.8 {
                st.active = false;
                Some(Transition::Clear {
                    at: ts,
                    value: Some(value),
                    message: format!(
                        "{metric} change {} within {window} back at or below {}",
                        format_value(change),
                        format_value(max_change * 0.8)
                    ),
                })
            } else {
                None
            }
        }
        RuleKind::Stale { .. } => {
            if !st.active {
                return None;
            }
            st.active = false;
            let gap = previous.map_or(String::new(), |p| {
                format!(" after {}", format_secs(whole_secs(ts.duration_since(p))))
            });
            Some(Transition::Clear {
                at: ts,
                value: Some(value),
                message: format!("reading again{gap}"),
            })
        }
    }
}

/// Time passing with no reading: raises Stale rules, and raises duration rules whose condition
/// has held for `for_secs` up to `now`.
///
/// A `Stale` rule raises when `now - last_seen >= minutes`; it never raises for a device never
/// seen. `RateOfChange` needs a reading to change state and ignores ticks.
pub fn on_tick(rule: &Rule, st: &mut RuleState, now: Timestamp) -> Option<Transition> {
    if !rule.enabled || st.active {
        return None;
    }
    match &rule.kind {
        RuleKind::Stale { minutes } => {
            let last = st.last_seen?;
            let silent = now.duration_since(last);
            if silent < secs(minutes.saturating_mul(60)) {
                return None;
            }
            st.active = true;
            Some(Transition::Raise {
                at: now,
                value: None,
                message: format!(
                    "no reading for {}, limit {minutes} min",
                    format_secs(whole_secs(silent))
                ),
            })
        }
        RuleKind::Threshold { for_secs, .. } | RuleKind::Band { for_secs, .. } => {
            let since = st.pending_since?;
            if now.duration_since(since) < secs(*for_secs) {
                return None;
            }
            st.active = true;
            st.pending_since = None;
            Some(Transition::Raise {
                at: now,
                value: st.last_value,
                message: raise_message(&rule.kind, st.last_value),
            })
        }
        RuleKind::RateOfChange { .. } => None,
    }
}

fn secs(n: u64) -> SignedDuration {
    SignedDuration::from_secs(i64::try_from(n).unwrap_or(i64::MAX))
}

fn whole_secs(d: SignedDuration) -> u64 {
    u64::try_from(d.as_secs()).unwrap_or(0)
}

/// Where a value stands for a duration rule.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Level {
    /// Beyond the limit: starts (or continues) a breach.
    Breach,
    /// Inside the limit but within the hysteresis: neither raises nor clears.
    Between,
    /// Far enough inside the limit to clear.
    Clear,
}

fn level(kind: &RuleKind, v: f64) -> Level {
    let (breach, clear) = match kind {
        RuleKind::Threshold {
            direction: Direction::Above,
            limit,
            hysteresis,
            ..
        } => (v > *limit, v <= limit - hysteresis),
        RuleKind::Threshold {
            direction: Direction::Below,
            limit,
            hysteresis,
            ..
        } => (v < *limit, v >= limit + hysteresis),
        RuleKind::Band {
            min,
            max,
            hysteresis,
            ..
        } => (
            v < *min || v > *max,
            v >= min + hysteresis && v <= max - hysteresis,
        ),
        RuleKind::RateOfChange { .. } | RuleKind::Stale { .. } => (false, true),
    };
    if breach {
        Level::Breach
    } else if clear {
        Level::Clear
    } else {
        Level::Between
    }
}

fn held_for(for_secs: u64) -> String {
    if for_secs == 0 {
        String::new()
    } else {
        format!(" for {}", format_secs(for_secs))
    }
}

/// "supply_temp_c 9.8 above 9 for 5 min"; without the value when none is known.
fn raise_message(kind: &RuleKind, value: Option<f64>) -> String {
    let v = value.map_or(String::new(), |v| format!(" {}", format_value(v)));
    match kind {
        RuleKind::Threshold {
            metric,
            direction,
            limit,
            for_secs,
            ..
        } => format!(
            "{metric}{v} {direction} {}{}",
            format_value(*limit),
            held_for(*for_secs)
        ),
        RuleKind::Band {
            metric,
            min,
            max,
            for_secs,
            ..
        } => {
            let side = match value {
                Some(x) if x > *max => format!("above band max {}", format_value(*max)),
                Some(x) if x < *min => format!("below band min {}", format_value(*min)),
                _ => format!("outside {} to {}", format_value(*min), format_value(*max)),
            };
            format!("{metric}{v} {side}{}", held_for(*for_secs))
        }
        RuleKind::RateOfChange { .. } | RuleKind::Stale { .. } => kind.describe(),
    }
}

/// "supply_temp_c 8.4 back at or below 8.5".
fn clear_message(kind: &RuleKind, v: f64) -> String {
    let v = format_value(v);
    match kind {
        RuleKind::Threshold {
            metric,
            direction: Direction::Above,
            limit,
            hysteresis,
            ..
        } => format!(
            "{metric} {v} back at or below {}",
            format_value(limit - hysteresis)
        ),
        RuleKind::Threshold {
            metric,
            direction: Direction::Below,
            limit,
            hysteresis,
            ..
        } => format!(
            "{metric} {v} back at or above {}",
            format_value(limit + hysteresis)
        ),
        RuleKind::Band {
            metric,
            min,
            max,
            hysteresis,
            ..
        } => format!(
            "{metric} {v} back within {} to {}",
            format_value(min + hysteresis),
            format_value(max - hysteresis)
        ),
        RuleKind::RateOfChange { .. } | RuleKind::Stale { .. } => kind.describe(),
    }
}

// ---------------------------------------------------------------------------------------------
// The rules file
// ---------------------------------------------------------------------------------------------

type Table = BTreeMap<Spanned<String>, Spanned<toml::Value>>;

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RulesFile {
    #[serde(default)]
    rule: Vec<Spanned<Table>>,
}

const COMMON_FIELDS: [&str; 6] = ["name", "devices", "kind", "severity", "enabled", "note"];
const KINDS: &str = "threshold, rate_of_change, stale, band";
const DEVICES: &str = "a string: a device id, a prefix like \"AHU-*\", or \"*\"";

/// Reads a rules file: `[[rule]]` tables, each a [`Rule`] with its kind's fields alongside the
/// common ones:
///
/// ```toml
/// [[rule]]
/// name = "Chiller supply high"
/// devices = "CH-*"
/// kind = "threshold"        # threshold, rate_of_change, stale or band
/// metric = "supply_temp_c"
/// direction = "above"
/// limit = 9.0
/// for_secs = 300
/// hysteresis = 0.5
/// severity = "critical"     # info, warning or critical
/// # enabled = true, note = "" are the defaults
/// ```
///
/// Every field of a kind is required (write 0 for no delay or no hysteresis); a field the kind
/// does not use is an error, so a typo is never silently ignored. Every problem in the file is
/// reported, each as "FILE, line N, field 'F': what is wrong". Rule names must be unique.
pub fn parse_rules_toml(file_name: &str, src: &str) -> Result<Vec<Rule>, Vec<String>> {
    let file: RulesFile =
        toml::from_str(src).map_err(|e| vec![toml_problem(file_name, src, &e)])?;
    let mut problems = Vec::new();
    let mut rules = Vec::new();
    let mut names: BTreeMap<String, usize> = BTreeMap::new();
    for table in &file.rule {
        let mut reader = Reader {
            file: file_name,
            src,
            table: table.get_ref(),
            header_line: line_of(src, table.span().start),
            used: BTreeSet::new(),
            problems: &mut problems,
        };
        let Some(rule) = reader.rule() else {
            continue;
        };
        let mut ok = true;
        for (field, message) in rule.problems() {
            reader.problem(field, message);
            ok = false;
        }
        let name_line = reader.line(Some("name"));
        if let Some(first) = names.get(&rule.name) {
            reader.problem(
                "name",
                format!(
                    "'{}' is already the name of the rule at line {first}",
                    rule.name
                ),
            );
            ok = false;
        } else {
            names.insert(rule.name.clone(), name_line);
        }
        if ok {
            rules.push(rule);
        }
    }
    if problems.is_empty() {
        Ok(rules)
    } else {
        Err(problems)
    }
}

fn line_of(src: &str, offset: usize) -> usize {
    let end = offset.min(src.len());
    src.as_bytes()[..end]
        .iter()
        .filter(|b| **b == b'\n')
        .count()
        + 1
}

fn toml_problem(file: &str, src: &str, e: &toml::de::Error) -> String {
    let mut message = e.message().trim().to_owned();
    let field = message
        .strip_prefix("unknown field `")
        .and_then(|rest| rest.split('`').next())
        .map(str::to_owned);
    if message.contains("expected a sequence") {
        message.push_str(" (write each rule as a [[rule]] table)");
    }
    let mut out = file.to_owned();
    if let Some(span) = e.span() {
        out.push_str(&format!(", line {}", line_of(src, span.start)));
    }
    if let Some(field) = field {
        out.push_str(&format!(", field '{field}'"));
    }
    out.push_str(&format!(": {message}"));
    out
}

/// Reads one `[[rule]]` table, recording a problem for each bad or missing field.
struct Reader<'a> {
    file: &'a str,
    src: &'a str,
    table: &'a Table,
    header_line: usize,
    used: BTreeSet<&'static str>,
    problems: &'a mut Vec<String>,
}

impl<'a> Reader<'a> {
    fn entry(&self, field: &str) -> Option<(&'a Spanned<String>, &'a Spanned<toml::Value>)> {
        self.table.get_key_value(field)
    }

    /// The line of `field`'s key, or of the `[[rule]]` header when it is absent.
    fn line(&self, field: Option<&str>) -> usize {
        field
            .and_then(|f| self.entry(f))
            .map_or(self.header_line, |(k, _)| line_of(self.src, k.span().start))
    }

    fn problem(&mut self, field: &str, message: impl std::fmt::Display) {
        let line = self.line(Some(field));
        self.problems.push(format!(
            "{}, line {line}, field '{field}': {message}",
            self.file
        ));
    }

    /// The value of `field`, converted; a missing field is a problem unless there is a default.
    fn get<T>(
        &mut self,
        field: &'static str,
        expected: &str,
        default: Option<T>,
        convert: impl FnOnce(&toml::Value) -> Option<T>,
    ) -> Option<T> {
        self.used.insert(field);
        match self.entry(field) {
            None => {
                if default.is_none() {
                    self.problem(field, format!("missing ({expected})"));
                }
                default
            }
            Some((_, v)) => {
                let got = convert(v.get_ref());
                if got.is_none() {
                    let found = match v.get_ref() {
                        toml::Value::Integer(i) => format!("{i}"),
                        toml::Value::Float(f) => format!("{f}"),
                        toml::Value::String(s) => format!("\"{s}\""),
                        toml::Value::Boolean(b) => format!("{b}"),
                        other => format!("a {}", other.type_str()),
                    };
                    self.problem(field, format!("expected {expected}, found {found}"));
                }
                got
            }
        }
    }

    fn text(
        &mut self,
        field: &'static str,
        expected: &str,
        default: Option<&str>,
    ) -> Option<String> {
        self.get(field, expected, default.map(str::to_owned), |v| {
            v.as_str().map(|s| s.trim().to_owned())
        })
    }

    fn number(&mut self, field: &'static str) -> Option<f64> {
        self.get(field, "a number", None, |v| match v {
            toml::Value::Float(f) => Some(*f),
            toml::Value::Integer(i) => Some(*i as f64),
            _ => None,
        })
    }

    fn whole(&mut self, field: &'static str) -> Option<u64> {
        self.get(field, "a whole number, 0 or more", None, |v| {
            v.as_integer().and_then(|i| u64::try_from(i).ok())
        })
    }

    fn parsed<T: std::str::FromStr<Err = String>>(
        &mut self,
        field: &'static str,
        expected: &str,
    ) -> Option<T> {
        let s = self.text(field, expected, None)?;
        match s.parse() {
            Ok(v) => Some(v),
            Err(e) => {
                self.problem(field, e);
                None
            }
        }
    }

    /// The kind and its fields; also reports the keys the kind does not use.
    fn kind(&mut self) -> Option<RuleKind> {
        let tag = self.text("kind", &format!("one of: {KINDS}"), None)?;
        let kind = match tag.as_str() {
            "threshold" => {
                let metric = self.text("metric", "a string", None);
                let direction = self.parsed::<Direction>("direction", "above or below");
                let limit = self.number("limit");
                let for_secs = self.whole("for_secs");
                let hysteresis = self.number("hysteresis");
                match (metric, direction, limit, for_secs, hysteresis) {
                    (
                        Some(metric),
                        Some(direction),
                        Some(limit),
                        Some(for_secs),
                        Some(hysteresis),
                    ) => Some(RuleKind::Threshold {
                        metric,
                        direction,
                        limit,
                        for_secs,
                        hysteresis,
                    }),
                    _ => None,
                }
            }
            "rate_of_change" => {
                let metric = self.text("metric", "a string", None);
                let max_change = self.number("max_change");
                let window_secs = self.whole("window_secs");
                match (metric, max_change, window_secs) {
                    (Some(metric), Some(max_change), Some(window_secs)) => {
                        Some(RuleKind::RateOfChange {
                            metric,
                            max_change,
                            window_secs,
                        })
                    }
                    _ => None,
                }
            }
            "stale" => self
                .whole("minutes")
                .map(|minutes| RuleKind::Stale { minutes }),
            "band" => {
                let metric = self.text("metric", "a string", None);
                let min = self.number("min");
                let max = self.number("max");
                let for_secs = self.whole("for_secs");
                let hysteresis = self.number("hysteresis");
                match (metric, min, max, for_secs, hysteresis) {
                    (Some(metric), Some(min), Some(max), Some(for_secs), Some(hysteresis)) => {
                        Some(RuleKind::Band {
                            metric,
                            min,
                            max,
                            for_secs,
                            hysteresis,
                        })
                    }
                    _ => None,
                }
            }
            other => {
                self.problem(
                    "kind",
                    format!("unknown kind '{other}' (expected one of: {KINDS})"),
                );
                return None;
            }
        };
        self.unknown_fields(&tag);
        kind
    }

    fn rule(&mut self) -> Option<Rule> {
        let name = self.text("name", "a string", None);
        let devices = self.text("devices", DEVICES, None);
        let severity = self.parsed::<Severity>("severity", "one of: info, warning, critical");
        let enabled = self.get("enabled", "true or false", Some(true), toml::Value::as_bool);
        let note = self.text("note", "a string", Some(""));
        let kind = self.kind();
        Some(Rule {
            name: name?,
            devices: devices?,
            kind: kind?,
            severity: severity?,
            enabled: enabled?,
            note: note?,
        })
    }

    /// Every key the kind did not read is a problem.
    fn unknown_fields(&mut self, kind: &str) {
        let table = self.table;
        let extra: Vec<&str> = table
            .keys()
            .map(|k| k.get_ref().as_str())
            .filter(|k| !self.used.contains(k))
            .collect();
        if extra.is_empty() {
            return;
        }
        let expected: Vec<&str> = COMMON_FIELDS
            .iter()
            .copied()
            .chain(self.used.iter().copied())
            .collect::<BTreeSet<_>>()
            .into_iter()
            .collect();
        for field in extra {
            self.problem(
                field,
                format!(
                    "not a field of a {kind} rule (its fields: {})",
                    expected.join(", ")
                ),
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn t(s: &str) -> Timestamp {
        format!("2026-03-02T{s}Z").parse().unwrap()
    }

    fn rule(kind: RuleKind) -> Rule {
        Rule {
            name: "r".into(),
            devices: "AHU-*".into(),
            kind,
            severity: Severity::Warning,
            enabled: true,
            note: String::new(),
        }
    }

    fn above(for_secs: u64) -> Rule {
        rule(RuleKind::Threshold {
            metric: "supply_temp_c".into(),
            direction: Direction::Above,
            limit: 9.0,
            for_secs,
            hysteresis: 0.5,
        })
    }

    fn below() -> Rule {
        rule(RuleKind::Threshold {
            metric: "suction_bar".into(),
            direction: Direction::Below,
            limit: 2.0,
            for_secs: 0,
            hysteresis: 0.3,
        })
    }

    fn band(for_secs: u64) -> Rule {
        rule(RuleKind::Band {
            metric: "humidity_pct".into(),
            min: 30.0,
            max: 60.0,
            for_secs,
            hysteresis: 2.0,
        })
    }

    fn roc() -> Rule {
        rule(RuleKind::RateOfChange {
            metric: "pressure_kpa".into(),
            max_change: 10.0,
            window_secs: 60,
        })
    }

    fn stale() -> Rule {
        rule(RuleKind::Stale { minutes: 15 })
    }

    /// Feeds samples in order and returns the transitions as ("raise"/"clear", message).
    fn feed(r: &Rule, st: &mut RuleState, samples: &[(&str, f64)]) -> Vec<(&'static str, String)> {
        samples
            .iter()
            .filter_map(|(ts, v)| on_sample(r, st, t(ts), *v))
            .map(|tr| {
                let kind = if tr.is_raise() { "raise" } else { "clear" };
                (kind, tr.message().to_owned())
            })
            .collect()
    }

    #[test]
    fn threshold_raises_after_the_duration_with_value_and_limit() {
        let r = above(300);
        let mut st = RuleState::default();
        assert_eq!(on_sample(&r, &mut st, t("10:00:00"), 9.5), None);
        assert_eq!(st.pending_since, Some(t("10:00:00")));
        assert_eq!(on_sample(&r, &mut st, t("10:04:59"), 9.6), None);
        assert_eq!(
            on_sample(&r, &mut st, t("10:05:00"), 9.8),
            Some(Transition::Raise {
                at: t("10:05:00"),
                value: Some(9.8),
                message: "supply_temp_c 9.8 above 9 for 5 min".into(),
            })
        );
        assert!(st.active);
        assert_eq!(st.pending_since, None);
    }

    #[test]
    fn threshold_without_duration_raises_at_once() {
        let r = above(0);
        let mut st = RuleState::default();
        assert_eq!(
            feed(&r, &mut st, &[("10:00:00", 9.0), ("10:01:00", 9.1)]),
            [("raise", "supply_temp_c 9.1 above 9".to_owned())]
        );
    }

    #[test]
    fn threshold_does_not_raise_before_the_duration_and_a_dip_cancels_pending() {
        let r = above(300);
        let mut st = RuleState::default();
        let out = feed(
            &r,
            &mut st,
            &[
                ("10:00:00", 9.5),
                ("10:03:00", 9.9),
                ("10:04:00", 8.9), // back inside: cancels
                ("10:05:00", 9.5), // a new breach starts here
                ("10:09:59", 9.5),
            ],
        );
        assert!(out.is_empty(), "{out:?}");
        assert_eq!(st.pending_since, Some(t("10:05:00")));
        assert!(!st.active);
        // A value equal to the limit is not above it: cancels too.
        assert_eq!(on_sample(&r, &mut st, t("10:10:00"), 9.0), None);
        assert_eq!(st.pending_since, None);
    }

    #[test]
    fn threshold_clears_only_past_the_hysteresis_without_flapping() {
        let r = above(0);
        let mut st = RuleState::default();
        let out = feed(
            &r,
            &mut st,
            &[
                ("10:00:00", 9.2), // raise
                ("10:01:00", 8.8), // inside the limit, within hysteresis: stays raised
                ("10:02:00", 9.3), // above again: no second raise
                ("10:03:00", 8.6),
                ("10:04:00", 9.1),
                ("10:05:00", 8.5), // at limit - hysteresis: clears
                ("10:06:00", 8.9), // below the limit: nothing
                ("10:07:00", 8.7),
            ],
        );
        assert_eq!(
            out,
            [
                ("raise", "supply_temp_c 9.2 above 9".to_owned()),
                ("clear", "supply_temp_c 8.5 back at or below 8.5".to_owned()),
            ]
        );
    }

    #[test]
    fn threshold_below_mirrors_above() {
        let r = below();
        let mut st = RuleState::default();
        let out = feed(
            &r,
            &mut st,
            &[
                ("10:00:00", 2.0), // at the limit: not below
                ("10:01:00", 1.9), // raise
                ("10:02:00", 2.2), // within hysteresis
                ("10:03:00", 1.5),
                ("10:04:00", 2.3), // limit + hysteresis: clears
            ],
        );
        assert_eq!(
            out,
            [
                ("raise", "suction_bar 1.9 below 2".to_owned()),
                ("clear", "suction_bar 2.3 back at or above 2.3".to_owned()),
            ]
        );
    }

    #[test]
    fn tick_raises_a_duration_rule_that_has_held_long_enough() {
        let r = above(300);
        let mut st = RuleState::default();
        assert_eq!(on_tick(&r, &mut st, t("10:00:00")), None, "nothing pending");
        assert_eq!(on_sample(&r, &mut st, t("10:00:00"), 9.7), None);
        assert_eq!(on_tick(&r, &mut st, t("10:04:59")), None);
        assert_eq!(
            on_tick(&r, &mut st, t("10:05:00")),
            Some(Transition::Raise {
                at: t("10:05:00"),
                value: Some(9.7),
                message: "supply_temp_c 9.7 above 9 for 5 min".into(),
            })
        );
        assert_eq!(on_tick(&r, &mut st, t("10:06:00")), None, "raised once");
        assert_eq!(
            on_sample(&r, &mut st, t("10:06:00"), 9.9),
            None,
            "raised once"
        );
        // Ticks never clear; a reading does.
        assert!(on_sample(&r, &mut st, t("10:07:00"), 8.0).is_some_and(|tr| !tr.is_raise()));
        assert_eq!(on_tick(&r, &mut st, t("11:00:00")), None);
    }

    #[test]
    fn band_raises_outside_for_the_duration_and_clears_inside_the_hysteresis() {
        let r = band(120);
        let mut st = RuleState::default();
        let out = feed(
            &r,
            &mut st,
            &[
                ("10:00:00", 45.0),
                ("10:01:00", 61.0), // pending
                ("10:02:00", 59.0), // back inside: cancels
                ("10:03:00", 62.0), // pending again
                ("10:04:59", 63.0),
                ("10:05:00", 64.0), // 2 min: raise
                ("10:06:00", 59.0), // inside but within hysteresis
                ("10:07:00", 65.0), // no second raise
                ("10:08:00", 58.0), // max - hysteresis: clears
                ("10:09:00", 29.0), // below min: pending
                ("10:10:00", 31.0), // cancels
            ],
        );
        assert_eq!(
            out,
            [
                (
                    "raise",
                    "humidity_pct 64 above band max 60 for 2 min".to_owned()
                ),
                ("clear", "humidity_pct 58 back within 32 to 58".to_owned()),
            ]
        );
        assert!(!st.active);
        assert_eq!(st.pending_since, None);
    }

    #[test]
    fn band_below_min_raises_on_tick_and_clears_above_min_plus_hysteresis() {
        let r = band(60);
        let mut st = RuleState::default();
        assert_eq!(on_sample(&r, &mut st, t("10:00:00"), 25.0), None);
        assert_eq!(
            on_tick(&r, &mut st, t("10:01:00")),
            Some(Transition::Raise {
                at: t("10:01:00"),
                value: Some(25.0),
                message: "humidity_pct 25 below band min 30 for 1 min".into(),
            })
        );
        assert_eq!(on_sample(&r, &mut st, t("10:02:00"), 31.9), None);
        assert_eq!(
            on_sample(&r, &mut st, t("10:03:00"), 32.0),
            Some(Transition::Clear {
                at: t("10:03:00"),
                value: Some(32.0),
                message: "humidity_pct 32 back within 32 to 58".into(),
            })
        );
    }

    #[test]
    fn rate_of_change_raises_over_the_window_and_clears_at_eighty_percent() {
        let r = roc();
        let mut st = RuleState::default();
        let out = feed(
            &r,
            &mut st,
            &[
                ("10:00:00", 100.0),
                ("10:00:30", 105.0),
                ("10:01:00", 110.0), // 10 over 60 s: not more than 10
                ("10:01:20", 116.0), // window 10:00:20..: oldest 105 -> 11: raise
                ("10:01:40", 115.0), // oldest 110 -> 5: clears (<= 8)
            ],
        );
        assert_eq!(
            out,
            [
                (
                    "raise",
                    "pressure_kpa changed by 11 within 1 min, limit 10".to_owned()
                ),
                (
                    "clear",
                    "pressure_kpa change 5 within 1 min back at or below 8".to_owned()
                ),
            ]
        );
        // Only the samples within the window are kept.
        assert_eq!(
            st.window,
            [
                (t("10:01:00"), 110.0),
                (t("10:01:20"), 116.0),
                (t("10:01:40"), 115.0)
            ]
        );
    }

    #[test]
    fn rate_of_change_holds_between_eighty_percent_and_the_limit() {
        let r = roc();
        let mut st = RuleState::default();
        let out = feed(
            &r,
            &mut st,
            &[
                ("10:00:00", 100.0),
                ("10:00:10", 88.0), // falling by 12: raise
                ("10:00:20", 91.0), // 9 from 100: above 8, stays raised
                ("10:00:30", 85.0), // 15: no second raise
                ("10:01:05", 82.0), // oldest now 88 (10:00:10): 6: clears
                ("10:01:06", 90.5), // oldest still 88: 2.5, nothing
            ],
        );
        assert_eq!(out.len(), 2, "{out:?}");
        assert_eq!(out[0].0, "raise");
        assert_eq!(out[1].0, "clear");
        // The tick does not clear or raise a rate-of-change rule.
        assert_eq!(on_tick(&r, &mut st, t("12:00:00")), None);
    }

    #[test]
    fn stale_raises_on_tick_and_clears_on_the_next_reading() {
        let r = stale();
        let mut st = RuleState::default();
        assert_eq!(
            on_tick(&r, &mut st, t("23:00:00")),
            None,
            "never seen: never stale"
        );
        assert_eq!(on_sample(&r, &mut st, t("10:00:00"), 1.0), None);
        assert_eq!(on_tick(&r, &mut st, t("10:14:59")), None);
        assert_eq!(
            on_tick(&r, &mut st, t("10:15:00")),
            Some(Transition::Raise {
                at: t("10:15:00"),
                value: None,
                message: "no reading for 15 min, limit 15 min".into(),
            })
        );
        assert_eq!(on_tick(&r, &mut st, t("10:30:00")), None, "raised once");
        assert_eq!(
            on_sample(&r, &mut st, t("10:17:30"), 4.0),
            Some(Transition::Clear {
                at: t("10:17:30"),
                value: Some(4.0),
                message: "reading again after 17 min 30 s".into(),
            })
        );
        assert_eq!(on_sample(&r, &mut st, t("10:18:00"), 4.0), None);
        assert_eq!(on_tick(&r, &mut st, t("10:32:59")), None);
        assert!(on_tick(&r, &mut st, t("10:33:00")).is_some());
    }

    #[test]
    fn disabled_rules_never_transition() {
        for mut r in [above(0), below(), band(0), roc(), stale()] {
            r.enabled = false;
            let mut st = RuleState::default();
            for (i, v) in [0.0, 1000.0, -1000.0, 0.0, 1000.0].into_iter().enumerate() {
                let ts = t("10:00:00") + SignedDuration::from_secs(i as i64 * 10);
                assert_eq!(on_sample(&r, &mut st, ts, v), None);
            }
            assert_eq!(on_tick(&r, &mut st, t("23:00:00")), None);
            // Even with state that would transition if the rule were enabled.
            let mut primed = RuleState {
                last_seen: Some(t("00:00:00")),
                pending_since: Some(t("00:00:00")),
                last_value: Some(1000.0),
                ..RuleState::default()
            };
            assert_eq!(on_tick(&r, &mut primed, t("23:00:00")), None);
            primed.active = true;
            assert_eq!(on_sample(&r, &mut primed, t("23:00:00"), 0.0), None);
        }
    }

    #[test]
    fn out_of_order_samples_are_ignored() {
        let r = above(300);
        let mut st = RuleState::default();
        assert_eq!(on_sample(&r, &mut st, t("10:00:00"), 9.5), None);
        assert_eq!(on_sample(&r, &mut st, t("10:02:00"), 9.5), None);
        // A late low reading from before does not cancel the pending breach ...
        assert_eq!(on_sample(&r, &mut st, t("10:01:00"), 5.0), None);
        assert_eq!(st.pending_since, Some(t("10:00:00")));
        assert_eq!(st.last_seen, Some(t("10:02:00")));
        // ... and a late high one does not raise.
        assert_eq!(on_sample(&r, &mut st, t("09:00:00"), 20.0), None);
        assert!(on_sample(&r, &mut st, t("10:05:00"), 9.5).is_some());
        assert_eq!(on_sample(&r, &mut st, t("10:04:00"), 1.0), None, "no clear");
        assert!(st.active);

        let r = roc();
        let mut st = RuleState::default();
        assert_eq!(on_sample(&r, &mut st, t("10:00:30"), 100.0), None);
        assert_eq!(on_sample(&r, &mut st, t("10:00:10"), 0.0), None);
        assert_eq!(st.window, [(t("10:00:30"), 100.0)]);

        let r = stale();
        let mut st = RuleState::default();
        assert_eq!(on_sample(&r, &mut st, t("10:00:00"), 1.0), None);
        assert!(on_tick(&r, &mut st, t("10:20:00")).is_some());
        assert_eq!(
            on_sample(&r, &mut st, t("09:59:00"), 1.0),
            None,
            "an old reading does not end staleness"
        );
        assert!(st.active);
    }

    #[test]
    fn non_finite_values_are_ignored() {
        let r = above(0);
        let mut st = RuleState::default();
        assert_eq!(on_sample(&r, &mut st, t("10:00:00"), f64::NAN), None);
        assert_eq!(on_sample(&r, &mut st, t("10:00:01"), f64::INFINITY), None);
        assert_eq!(st, RuleState::default());
    }

    #[test]
    fn rule_state_round_trips_through_json_and_defaults_last_value() {
        let st = RuleState {
            active: true,
            pending_since: Some(t("10:00:00")),
            window: vec![(t("10:00:00"), 1.5)],
            last_seen: Some(t("10:00:00")),
            last_value: Some(1.5),
        };
        let json = serde_json::to_string(&st).unwrap();
        assert_eq!(serde_json::from_str::<RuleState>(&json).unwrap(), st);
        let old = r#"{"active":false,"pending_since":null,"window":[],"last_seen":null}"#;
        assert_eq!(
            serde_json::from_str::<RuleState>(old).unwrap(),
            RuleState::default()
        );
    }

    #[test]
    fn rule_kind_is_internally_tagged_in_json() {
        let r = above(300);
        let v = serde_json::to_value(&r).unwrap();
        assert_eq!(v["kind"]["kind"], "threshold");
        assert_eq!(v["kind"]["direction"], "above");
        assert_eq!(v["severity"], "warning");
        let back: Rule = serde_json::from_value(v).unwrap();
        assert_eq!(back, r);
        let v = serde_json::to_value(roc().kind).unwrap();
        assert_eq!(v["kind"], "rate_of_change");
    }

    const GOOD: &str = r#"
# Chillers
[[rule]]
name = "Chiller supply high"
devices = "CH-*"
kind = "threshold"
metric = "supply_temp_c"
direction = "above"
limit = 9.0
for_secs = 300
hysteresis = 0.5
severity = "critical"

[[rule]]
name = "AHU silent"
devices = "*"
kind = "stale"
minutes = 15
severity = "warning"
enabled = false
note = "Gateway reboots nightly at 03:00"

[[rule]]
name = "Duct pressure jump"
devices = "AHU-01"
kind = "rate_of_change"
metric = "pressure_pa"
max_change = 50
window_secs = 60
severity = "info"

[[rule]]
name = "Humidity band"
devices = "AHU-*"
kind = "band"
metric = "humidity_pct"
min = 30
max = 60.5
for_secs = 600
hysteresis = 2
severity = "warning"
"#;

    #[test]
    fn parses_every_kind_with_defaults() {
        let rules = parse_rules_toml("rules.toml", GOOD).unwrap();
        assert_eq!(rules.len(), 4);
        assert_eq!(
            rules[0],
            Rule {
                name: "Chiller supply high".into(),
                devices: "CH-*".into(),
                kind: RuleKind::Threshold {
                    metric: "supply_temp_c".into(),
                    direction: Direction::Above,
                    limit: 9.0,
                    for_secs: 300,
                    hysteresis: 0.5,
                },
                severity: Severity::Critical,
                enabled: true,
                note: String::new(),
            }
        );
        assert_eq!(rules[1].kind, RuleKind::Stale { minutes: 15 });
        assert!(!rules[1].enabled);
        assert_eq!(rules[1].note, "Gateway reboots nightly at 03:00");
        assert_eq!(
            rules[2].kind,
            RuleKind::RateOfChange {
                metric: "pressure_pa".into(),
                max_change: 50.0,
                window_secs: 60,
            }
        );
        assert_eq!(rules[2].severity, Severity::Info);
        assert_eq!(
            rules[3].kind,
            RuleKind::Band {
                metric: "humidity_pct".into(),
                min: 30.0,
                max: 60.5,
                for_secs: 600,
                hysteresis: 2.0,
            }
        );
        assert_eq!(
            parse_rules_toml("empty.toml", "# nothing yet\n"),
            Ok(vec![])
        );
    }

    #[test]
    fn reports_every_problem_with_file_line_and_field() {
        let src = r#"[[rule]]
name = "A"
devices = "CH-*"
kind = "threshold"
metric = "supply_temp_c"
direction = "upward"
limit = "nine"
hysteresis = 0.5
severity = "critical"
delay = 5

[[rule]]
name = "B"
devices = "AHU-*"
kind = "band"
metric = "humidity_pct"
min = 60
max = 30
for_secs = -1
hysteresis = 0
severity = "urgent"

[[rule]]
name = "C"
kind = "flatline"
severity = "info"
devices = "*"

[[rule]]
name = "A"
devices = "*"
kind = "stale"
minutes = 0
severity = "info"
enabled = "yes"
"#;
        let problems = parse_rules_toml("site/rules.toml", src).unwrap_err();
        let expected = [
            "site/rules.toml, line 6, field 'direction': unknown direction 'upward' (expected one of: above, below)",
            "site/rules.toml, line 7, field 'limit': expected a number, found \"nine\"",
            "site/rules.toml, line 1, field 'for_secs': missing (a whole number, 0 or more)",
            "site/rules.toml, line 10, field 'delay': not a field of a threshold rule (its fields: devices, direction, enabled, for_secs, hysteresis, kind, limit, metric, name, note, severity)",
            "site/rules.toml, line 21, field 'severity': unknown severity 'urgent' (expected one of: info, warning, critical)",
            "site/rules.toml, line 19, field 'for_secs': expected a whole number, 0 or more, found -1",
            "site/rules.toml, line 25, field 'kind': unknown kind 'flatline' (expected one of: threshold, rate_of_change, stale, band)",
            "site/rules.toml, line 35, field 'enabled': expected true or false, found \"yes\"",
        ];
        assert_eq!(problems, expected, "{problems:#?}");

        // Once the fields read, the rule's own checks and duplicate names are reported too.
        let src = "[[rule]]\nname = \"A\"\ndevices = \"*\"\nkind = \"stale\"\nminutes = 5\n\
                   severity = \"info\"\n\n[[rule]]\nname = \"A\"\ndevices = \"*\"\n\
                   kind = \"band\"\nmetric = \"h\"\nmin = 60\nmax = 30\nfor_secs = 0\n\
                   hysteresis = 0\nseverity = \"info\"\n";
        let problems = parse_rules_toml("r.toml", src).unwrap_err();
        assert_eq!(
            problems,
            [
                "r.toml, line 13, field 'min': must be less than max (60 is not less than 30)",
                "r.toml, line 9, field 'name': 'A' is already the name of the rule at line 2",
            ]
        );
    }

    #[test]
    fn toml_syntax_and_shape_errors_name_the_line() {
        let problems = parse_rules_toml("r.toml", "[[rule]]\nname = \"A\nkind = 1\n").unwrap_err();
        assert_eq!(problems.len(), 1);
        assert!(problems[0].starts_with("r.toml, line 2: "), "{problems:?}");

        let problems = parse_rules_toml("r.toml", "\n[rule]\nname = \"A\"\n").unwrap_err();
        assert_eq!(problems.len(), 1);
        assert!(problems[0].starts_with("r.toml, line 2"), "{problems:?}");
        assert!(problems[0].contains("[[rule]]"), "{problems:?}");

        let problems = parse_rules_toml("r.toml", "\n\nrules = []\n").unwrap_err();
        assert_eq!(problems.len(), 1);
        assert!(
            problems[0].starts_with("r.toml, line 3, field 'rules': "),
            "{problems:?}"
        );
    }
}
