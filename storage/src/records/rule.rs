//! Alert rules: a condition on the readings of the devices a rule applies to. The evaluator
//! (`opsdeck::domain::telemetry::rules`) turns readings into raise/clear transitions.

use serde::{Deserialize, Deserializer, Serialize, Serializer};

use super::Record;
use crate::refusal::Why;
use crate::search_doc::SearchDoc;
use crate::why;

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    Info,
    Warning,
    Critical,
}

named_enum!(Severity, "severity", { Info => "info", Warning => "warning", Critical => "critical" });

/// Which side of a threshold's limit is the alert side.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Direction {
    Above,
    Below,
}

named_enum!(Direction, "direction", { Above => "above", Below => "below" });

/// The condition a rule watches.
///
/// Serde: in human-readable formats (JSON, TOML) this is internally tagged,
/// `{"kind": "threshold", "metric": ..., ...}`. Binary formats (the bincode record codec) cannot
/// read internally tagged enums back, so there it is serde's plain externally tagged form.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(remote = "Self", rename_all = "snake_case")]
pub enum RuleKind {
    /// `metric` beyond `limit` in `direction` for at least `for_secs` (0: at once). Once raised it
    /// clears only `hysteresis` back inside the limit.
    Threshold {
        metric: String,
        direction: Direction,
        limit: f64,
        for_secs: u64,
        hysteresis: f64,
    },
    /// `|newest - oldest|` of the `metric` samples within the last `window_secs` exceeds
    /// `max_change`.
    RateOfChange {
        metric: String,
        max_change: f64,
        window_secs: u64,
    },
    /// No reading of any metric from the device for `minutes`.
    Stale { minutes: u64 },
    /// `metric` outside `[min, max]` for at least `for_secs`; clears inside
    /// `[min + hysteresis, max - hysteresis]`.
    Band {
        metric: String,
        min: f64,
        max: f64,
        for_secs: u64,
        hysteresis: f64,
    },
}

/// The human-readable serde shape of [`RuleKind`]: internally tagged by `kind`.
#[derive(Serialize, Deserialize)]
#[serde(remote = "RuleKind", tag = "kind", rename_all = "snake_case")]
enum TaggedKind {
    Threshold {
        metric: String,
        direction: Direction,
        limit: f64,
        for_secs: u64,
        hysteresis: f64,
    },
    RateOfChange {
        metric: String,
        max_change: f64,
        window_secs: u64,
    },
    Stale {
        minutes: u64,
    },
    Band {
        metric: String,
        min: f64,
        max: f64,
        for_secs: u64,
        hysteresis: f64,
    },
}

impl Serialize for RuleKind {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        if s.is_human_readable() {
            TaggedKind::serialize(self, s)
        } else {
            RuleKind::serialize(self, s)
        }
    }
}

impl<'de> Deserialize<'de> for RuleKind {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        if d.is_human_readable() {
            TaggedKind::deserialize(d)
        } else {
            RuleKind::deserialize(d)
        }
    }
}

impl RuleKind {
    /// The `kind` tag: "threshold", "rate_of_change", "stale" or "band".
    pub fn tag(&self) -> &'static str {
        match self {
            RuleKind::Threshold { .. } => "threshold",
            RuleKind::RateOfChange { .. } => "rate_of_change",
            RuleKind::Stale { .. } => "stale",
            RuleKind::Band { .. } => "band",
        }
    }

    /// The metric the rule watches; `None` for `Stale` (which watches every metric).
    pub fn metric(&self) -> Option<&str> {
        match self {
            RuleKind::Threshold { metric, .. }
            | RuleKind::RateOfChange { metric, .. }
            | RuleKind::Band { metric, .. } => Some(metric),
            RuleKind::Stale { .. } => None,
        }
    }

    /// The condition in words, e.g. "supply_temp_c above 9 for 5 min, clears at or below 8.5".
    pub fn describe(&self) -> String {
        match self {
            RuleKind::Threshold {
                metric,
                direction,
                limit,
                for_secs,
                hysteresis,
            } => {
                let clear = match direction {
                    Direction::Above => format!("at or below {}", format_value(limit - hysteresis)),
                    Direction::Below => format!("at or above {}", format_value(limit + hysteresis)),
                };
                format!(
                    "{metric} {direction} {}{}, clears {clear}",
                    format_value(*limit),
                    held_for(*for_secs)
                )
            }
            RuleKind::RateOfChange {
                metric,
                max_change,
                window_secs,
            } => format!(
                "{metric} changes by more than {} within {}, clears at or below {}",
                format_value(*max_change),
                format_secs(*window_secs),
                format_value(max_change * 0.8)
            ),
            RuleKind::Stale { minutes } => {
                format!("no reading of any metric for {minutes} min")
            }
            RuleKind::Band {
                metric,
                min,
                max,
                for_secs,
                hysteresis,
            } => format!(
                "{metric} outside {} to {}{}, clears within {} to {}",
                format_value(*min),
                format_value(*max),
                held_for(*for_secs),
                format_value(min + hysteresis),
                format_value(max - hysteresis)
            ),
        }
    }
}

fn held_for(secs: u64) -> String {
    if secs == 0 {
        String::new()
    } else {
        format!(" for {}", format_secs(secs))
    }
}

/// A reading or limit for messages: at most 3 decimals, no trailing zeros ("9", "9.8", "0.333").
pub fn format_value(v: f64) -> String {
    if !v.is_finite() {
        return v.to_string();
    }
    let s = format!("{v:.3}");
    let s = s.trim_end_matches('0').trim_end_matches('.');
    if s == "-0" { "0".into() } else { s.into() }
}

/// A duration for messages: "30 s", "5 min", "2 h", "1 min 30 s".
pub fn format_secs(secs: u64) -> String {
    if secs > 0 && secs.is_multiple_of(3600) {
        format!("{} h", secs / 3600)
    } else if secs > 0 && secs.is_multiple_of(60) {
        format!("{} min", secs / 60)
    } else if secs < 60 {
        format!("{secs} s")
    } else {
        format!("{} min {} s", secs / 60, secs % 60)
    }
}

/// Upper bounds, so a typo cannot make a rule that never fires or that holds a huge window.
pub const MAX_WINDOW_SECS: u64 = 3600;
pub const MAX_STALE_MINUTES: u64 = 30 * 24 * 60;
pub const MAX_FOR_SECS: u64 = 86_400;

/// Keyed by the rule name.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Rule {
    pub name: String,
    /// "AHU-01" (one device), "AHU-*" (every device whose id starts with "AHU-") or "*" (all).
    /// Matched ignoring ASCII case.
    pub devices: String,
    pub kind: RuleKind,
    pub severity: Severity,
    pub enabled: bool,
    pub note: String,
}

impl Rule {
    /// Whether readings of `device` are evaluated by this rule (regardless of `enabled`).
    pub fn applies_to(&self, device: &str) -> bool {
        let pattern = self.devices.trim();
        match pattern.strip_suffix('*') {
            Some(prefix) => device
                .get(..prefix.len())
                .is_some_and(|head| head.eq_ignore_ascii_case(prefix)),
            None => !pattern.is_empty() && device.eq_ignore_ascii_case(pattern),
        }
    }

    /// The metric the rule watches; `None` for `Stale` (which watches every metric).
    pub fn metric(&self) -> Option<&str> {
        self.kind.metric()
    }

    /// The first problem, as "field: what is wrong" (see [`Rule::problems`]).
    pub fn validate(&self) -> Result<(), String> {
        match self.problems().into_iter().next() {
            None => Ok(()),
            Some((field, message)) => Err(format!("{field}: {message}")),
        }
    }

    /// Every problem, each with the name of the field it is about (the TOML key).
    pub fn problems(&self) -> Vec<(&'static str, Why)> {
        let mut out: Vec<(&'static str, Why)> = Vec::new();
        if self.name.trim().is_empty() {
            out.push(("name", why!(MustNotBeEmpty)));
        }
        let devices = self.devices.trim();
        if devices.is_empty() {
            out.push(("devices", why!(DevicesEmpty)));
        } else if devices.strip_suffix('*').unwrap_or(devices).contains('*') {
            out.push(("devices", why!(StarOnlyAtEnd, devices)));
        }
        let metric = |m: &str, out: &mut Vec<(&'static str, Why)>| {
            if m.trim().is_empty() {
                out.push(("metric", why!(MustNotBeEmpty)));
            }
        };
        let finite = |field: &'static str, v: f64, out: &mut Vec<(&'static str, Why)>| {
            let ok = v.is_finite();
            if !ok {
                out.push((field, why!(NotFinite, v)));
            }
            ok
        };
        let hysteresis = |h: f64, out: &mut Vec<(&'static str, Why)>| {
            if finite("hysteresis", h, out) && h < 0.0 {
                out.push(("hysteresis", why!(NotNegative, format_value(h))));
            }
        };
        match &self.kind {
            RuleKind::Threshold {
                metric: m,
                limit,
                hysteresis: h,
                ..
            } => {
                metric(m, &mut out);
                finite("limit", *limit, &mut out);
                hysteresis(*h, &mut out);
            }
            RuleKind::RateOfChange {
                metric: m,
                max_change,
                window_secs,
            } => {
                metric(m, &mut out);
                if finite("max_change", *max_change, &mut out) && *max_change < 0.0 {
                    out.push(("max_change", why!(NotNegative, format_value(*max_change))));
                }
                if *window_secs == 0 {
                    out.push(("window_secs", why!(MoreThanZero)));
                } else if *window_secs > MAX_WINDOW_SECS {
                    // the evaluator keeps the window's samples: bound what it holds
                    out.push((
                        "window_secs",
                        why!(WindowTooLong, MAX_WINDOW_SECS, window_secs),
                    ));
                }
            }
            RuleKind::Stale { minutes } => {
                if *minutes == 0 {
                    out.push(("minutes", why!(MoreThanZero)));
                } else if *minutes > MAX_STALE_MINUTES {
                    out.push(("minutes", why!(StaleTooLong, MAX_STALE_MINUTES, minutes)));
                }
            }
            RuleKind::Band {
                metric: m,
                min,
                max,
                hysteresis: h,
                ..
            } => {
                metric(m, &mut out);
                let ok_min = finite("min", *min, &mut out);
                let ok_max = finite("max", *max, &mut out);
                if ok_min && ok_max && min >= max {
                    out.push((
                        "min",
                        why!(MinNotBelowMax, format_value(*min), format_value(*max)),
                    ));
                } else if ok_min && ok_max && h.is_finite() && *h >= 0.0 && min + h > max - h {
                    out.push((
                        "hysteresis",
                        why!(
                            HysteresisTooWide,
                            format_value(*h),
                            format_value(*min),
                            format_value(*max)
                        ),
                    ));
                }
                hysteresis(*h, &mut out);
            }
        }
        if let RuleKind::Threshold { for_secs, .. } | RuleKind::Band { for_secs, .. } = &self.kind
            && *for_secs > MAX_FOR_SECS
        {
            out.push(("for_secs", why!(ForTooLong, MAX_FOR_SECS, for_secs)));
        }
        out
    }

    /// The rule in words, for search and listings.
    pub fn describe(&self) -> String {
        let devices = match self.devices.trim() {
            "*" => "all devices".to_owned(),
            d if d.ends_with('*') => format!("devices {d}"),
            d => format!("device {d}"),
        };
        let mut s = format!("{} on {devices}: {}", self.severity, self.kind.describe());
        if !self.enabled {
            s.push_str(" (disabled)");
        }
        s
    }
}

impl Record for Rule {
    const KIND: &'static str = "rule";

    fn search_doc(&self, key: &str) -> Option<SearchDoc> {
        let mut body = self.describe();
        if !self.note.trim().is_empty() {
            body.push_str(". ");
            body.push_str(self.note.trim());
        }
        Some(SearchDoc {
            kind: Self::KIND.into(),
            key: key.into(),
            title: format!("rule {}", self.name),
            body,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::codec;

    fn threshold() -> Rule {
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
            note: "Check the condenser fans".into(),
        }
    }

    fn with_kind(kind: RuleKind) -> Rule {
        Rule {
            kind,
            ..threshold()
        }
    }

    #[test]
    fn severity_and_direction_parse_and_display() {
        for s in Severity::ALL {
            assert_eq!(s.to_string().parse::<Severity>().unwrap(), s);
        }
        assert_eq!(
            " Critical ".parse::<Severity>().unwrap(),
            Severity::Critical
        );
        let err = "urgent".parse::<Severity>().unwrap_err();
        assert!(err.contains("info, warning, critical"), "{err}");
        for d in Direction::ALL {
            assert_eq!(d.to_string().parse::<Direction>().unwrap(), d);
        }
        assert!("sideways".parse::<Direction>().is_err());
    }

    #[test]
    fn every_kind_round_trips_through_the_record_codec() {
        let kinds = [
            threshold().kind,
            RuleKind::RateOfChange {
                metric: "pressure_kpa".into(),
                max_change: 20.0,
                window_secs: 60,
            },
            RuleKind::Stale { minutes: 15 },
            RuleKind::Band {
                metric: "humidity_pct".into(),
                min: 30.0,
                max: 60.0,
                for_secs: 0,
                hysteresis: 2.0,
            },
        ];
        for kind in kinds {
            let rule = with_kind(kind);
            let bytes = codec::encode(&rule).unwrap();
            assert_eq!(codec::decode::<Rule>(&bytes).unwrap(), rule);
        }
    }

    #[test]
    fn applies_to_exact_prefix_and_all() {
        let mut r = threshold();
        r.devices = "AHU-01".into();
        assert!(r.applies_to("AHU-01"));
        assert!(r.applies_to("ahu-01"));
        assert!(!r.applies_to("AHU-011"));
        assert!(!r.applies_to("AHU-0"));
        r.devices = "AHU-*".into();
        assert!(r.applies_to("AHU-01"));
        assert!(r.applies_to("AHU-"));
        assert!(!r.applies_to("CH-01"));
        assert!(!r.applies_to("AH"));
        assert!(!r.applies_to("AHÚ-1"), "non-ASCII must not panic or match");
        r.devices = "*".into();
        assert!(r.applies_to("anything"));
        assert!(r.applies_to(""));
        r.devices = String::new();
        assert!(!r.applies_to(""));
    }

    #[test]
    fn metric_is_none_only_for_stale() {
        assert_eq!(threshold().metric(), Some("supply_temp_c"));
        assert_eq!(with_kind(RuleKind::Stale { minutes: 5 }).metric(), None);
    }

    #[test]
    fn validate_accepts_a_good_rule_and_names_the_field_of_a_bad_one() {
        assert_eq!(threshold().validate(), Ok(()));
        let field = |r: Rule| -> String {
            let e = r.validate().unwrap_err();
            e.split(':').next().unwrap().to_owned()
        };
        assert_eq!(
            field(Rule {
                name: "  ".into(),
                ..threshold()
            }),
            "name"
        );
        assert_eq!(
            field(Rule {
                devices: "".into(),
                ..threshold()
            }),
            "devices"
        );
        assert_eq!(
            field(Rule {
                devices: "A*U".into(),
                ..threshold()
            }),
            "devices"
        );
        assert_eq!(
            field(with_kind(RuleKind::Threshold {
                metric: "".into(),
                direction: Direction::Below,
                limit: 1.0,
                for_secs: 0,
                hysteresis: 0.0,
            })),
            "metric"
        );
        assert_eq!(
            field(with_kind(RuleKind::Threshold {
                metric: "t".into(),
                direction: Direction::Below,
                limit: 1.0,
                for_secs: 0,
                hysteresis: -0.1,
            })),
            "hysteresis"
        );
        assert_eq!(
            field(with_kind(RuleKind::Threshold {
                metric: "t".into(),
                direction: Direction::Below,
                limit: f64::NAN,
                for_secs: 0,
                hysteresis: 0.0,
            })),
            "limit"
        );
        assert_eq!(
            field(with_kind(RuleKind::RateOfChange {
                metric: "p".into(),
                max_change: 1.0,
                window_secs: 0,
            })),
            "window_secs"
        );
        assert_eq!(
            field(with_kind(RuleKind::RateOfChange {
                metric: "p".into(),
                max_change: -1.0,
                window_secs: 10,
            })),
            "max_change"
        );
        assert_eq!(field(with_kind(RuleKind::Stale { minutes: 0 })), "minutes");
        let band = |min: f64, max: f64, hysteresis: f64| {
            with_kind(RuleKind::Band {
                metric: "h".into(),
                min,
                max,
                for_secs: 0,
                hysteresis,
            })
        };
        assert_eq!(field(band(60.0, 30.0, 0.0)), "min");
        assert_eq!(field(band(30.0, 30.0, 0.0)), "min");
        assert_eq!(field(band(30.0, 60.0, 16.0)), "hysteresis");
        assert_eq!(field(band(30.0, 60.0, -1.0)), "hysteresis");
        assert_eq!(band(30.0, 60.0, 15.0).validate(), Ok(()));
    }

    #[test]
    fn problems_lists_every_field() {
        let r = Rule {
            name: "".into(),
            devices: "".into(),
            ..with_kind(RuleKind::Stale { minutes: 0 })
        };
        let fields: Vec<_> = r.problems().into_iter().map(|(f, _)| f).collect();
        assert_eq!(fields, ["name", "devices", "minutes"]);
    }

    #[test]
    fn search_doc_titles_the_rule_and_describes_the_condition() {
        let doc = threshold().search_doc("Chiller supply high").unwrap();
        assert_eq!(doc.kind, "rule");
        assert_eq!(doc.key, "Chiller supply high");
        assert_eq!(doc.title, "rule Chiller supply high");
        assert_eq!(
            doc.body,
            "critical on devices CH-*: supply_temp_c above 9 for 5 min, clears at or below 8.5. \
             Check the condenser fans"
        );
        let stale = Rule {
            enabled: false,
            note: String::new(),
            devices: "AHU-01".into(),
            ..with_kind(RuleKind::Stale { minutes: 15 })
        };
        assert_eq!(
            stale.search_doc("s").unwrap().body,
            "critical on device AHU-01: no reading of any metric for 15 min (disabled)"
        );
        let band = Rule {
            devices: "*".into(),
            ..with_kind(RuleKind::Band {
                metric: "humidity_pct".into(),
                min: 30.0,
                max: 60.0,
                for_secs: 90,
                hysteresis: 2.0,
            })
        };
        assert!(
            band.describe().starts_with(
                "critical on all devices: humidity_pct outside 30 to 60 for 1 min 30 s, \
                 clears within 32 to 58"
            ),
            "{}",
            band.describe()
        );
        let roc = with_kind(RuleKind::RateOfChange {
            metric: "pressure_kpa".into(),
            max_change: 20.0,
            window_secs: 60,
        });
        assert!(
            roc.describe().ends_with(
                "pressure_kpa changes by more than 20 within 1 min, clears at or below 16"
            ),
            "{}",
            roc.describe()
        );
    }

    #[test]
    fn values_and_durations_read_well() {
        assert_eq!(format_value(9.0), "9");
        assert_eq!(format_value(9.8), "9.8");
        assert_eq!(format_value(0.1 + 0.2), "0.3");
        assert_eq!(format_value(-0.0001), "0");
        assert_eq!(format_value(-2.5), "-2.5");
        assert_eq!(format_value(100.0), "100");
        assert_eq!(format_secs(0), "0 s");
        assert_eq!(format_secs(45), "45 s");
        assert_eq!(format_secs(300), "5 min");
        assert_eq!(format_secs(7200), "2 h");
        assert_eq!(format_secs(90), "1 min 30 s");
    }
}
