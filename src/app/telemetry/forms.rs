//! The rule and device forms of the Telemetry pane: which fields each kind of rule has, the rule
//! as the form shows it, and the form read back into a rule (a value that does not parse is
//! named on its field).

use std::collections::BTreeMap;

use opsdeck_storage::records::rule::{Direction, Rule, RuleKind, Severity};
use opsdeck_views::panes::telemetry::text::{RULE_FIELD_KEYS, TmText};
use opsdeck_views::state::FormField;

use super::load::form_number;

const KINDS: [&str; 4] = ["threshold", "band", "rate_of_change", "stale"];

/// The rule form's fields for the kind in `values`, in display order.
pub(super) fn rule_fields(tm: &TmText, values: &BTreeMap<&'static str, String>) -> Vec<FormField> {
    let kind = values
        .get("kind")
        .map(String::as_str)
        .unwrap_or("threshold");
    let wanted: &[&str] = match kind {
        "band" => &["metric", "min", "max", "for_secs", "hysteresis"],
        "rate_of_change" => &["metric", "max_change", "window_secs"],
        "stale" => &["minutes"],
        _ => &["metric", "direction", "limit", "for_secs", "hysteresis"],
    };
    RULE_FIELD_KEYS
        .iter()
        .enumerate()
        .filter(|(_, k)| {
            matches!(
                **k,
                "name" | "devices" | "kind" | "severity" | "enabled" | "note"
            ) || wanted.contains(k)
        })
        .map(|(i, k)| {
            let choices: Vec<String> = match *k {
                "kind" => KINDS.iter().map(|c| c.to_string()).collect(),
                "direction" => vec!["above".into(), "below".into()],
                "severity" => Severity::ALL.iter().map(|c| c.to_string()).collect(),
                "enabled" => tm.yes_no.iter().map(|c| c.to_string()).collect(),
                _ => Vec::new(),
            };
            let value = values.get(k).cloned().unwrap_or_else(|| {
                choices
                    .first()
                    .cloned()
                    .unwrap_or_else(|| default_number(k))
            });
            FormField::choice(k, tm.rule_field_labels[i], value, choices)
        })
        .collect()
}

fn default_number(key: &str) -> String {
    match key {
        "for_secs" | "hysteresis" => "0".into(),
        "window_secs" => "300".into(),
        "minutes" => "10".into(),
        _ => String::new(),
    }
}

/// A rule as form values, by TOML key.
pub(super) fn rule_values(r: &Rule, yes_no: [&str; 2]) -> BTreeMap<&'static str, String> {
    let mut v = BTreeMap::new();
    v.insert("name", r.name.clone());
    v.insert("devices", r.devices.clone());
    v.insert("kind", r.kind.tag().to_owned());
    v.insert("severity", r.severity.to_string());
    v.insert("enabled", yes_no[usize::from(!r.enabled)].to_owned());
    v.insert("note", r.note.clone());
    match &r.kind {
        RuleKind::Threshold {
            metric,
            direction,
            limit,
            for_secs,
            hysteresis,
        } => {
            v.insert("metric", metric.clone());
            v.insert("direction", direction.to_string());
            v.insert("limit", form_number(*limit));
            v.insert("for_secs", for_secs.to_string());
            v.insert("hysteresis", form_number(*hysteresis));
        }
        RuleKind::Band {
            metric,
            min,
            max,
            for_secs,
            hysteresis,
        } => {
            v.insert("metric", metric.clone());
            v.insert("min", form_number(*min));
            v.insert("max", form_number(*max));
            v.insert("for_secs", for_secs.to_string());
            v.insert("hysteresis", form_number(*hysteresis));
        }
        RuleKind::RateOfChange {
            metric,
            max_change,
            window_secs,
        } => {
            v.insert("metric", metric.clone());
            v.insert("max_change", form_number(*max_change));
            v.insert("window_secs", window_secs.to_string());
        }
        RuleKind::Stale { minutes } => {
            v.insert("minutes", minutes.to_string());
        }
    }
    v
}

/// Reads the form back into a rule; numbers accept "8,5" as well as "8.5". Errors by field key.
pub(super) fn rule_from_fields(
    fields: &[FormField],
    yes_no: [&str; 2],
    not_a_number: &str,
) -> Result<Rule, BTreeMap<&'static str, String>> {
    let get = |key: &str| {
        fields
            .iter()
            .find(|f| f.key == key)
            .map(|f| f.value.trim().to_owned())
            .unwrap_or_default()
    };
    let mut errors: BTreeMap<&'static str, String> = BTreeMap::new();
    let mut float = |key: &'static str| -> f64 {
        match get(key).replace(',', ".").parse::<f64>() {
            Ok(v) => v,
            Err(_) => {
                errors.insert(key, format!("'{}' {not_a_number}", get(key)));
                f64::NAN
            }
        }
    };
    let limit = float("limit");
    let min = float("min");
    let max = float("max");
    let max_change = float("max_change");
    let hysteresis = float("hysteresis");
    let mut whole = |key: &'static str| -> u64 {
        match get(key).parse::<u64>() {
            Ok(v) => v,
            Err(_) => {
                errors.insert(key, format!("'{}' {not_a_number}", get(key)));
                0
            }
        }
    };
    let for_secs = whole("for_secs");
    let window_secs = whole("window_secs");
    let minutes = whole("minutes");
    let kind_name = get("kind");
    let kind = match kind_name.as_str() {
        "band" => RuleKind::Band {
            metric: get("metric"),
            min,
            max,
            for_secs,
            hysteresis,
        },
        "rate_of_change" => RuleKind::RateOfChange {
            metric: get("metric"),
            max_change,
            window_secs,
        },
        "stale" => RuleKind::Stale { minutes },
        _ => RuleKind::Threshold {
            metric: get("metric"),
            direction: get("direction").parse().unwrap_or(Direction::Above),
            limit,
            for_secs,
            hysteresis,
        },
    };
    // Only errors of fields the kind shows count.
    let shown: Vec<&str> = fields.iter().map(|f| f.key).collect();
    errors.retain(|k, _| shown.contains(k));
    if !errors.is_empty() {
        return Err(errors);
    }
    Ok(Rule {
        name: get("name"),
        devices: get("devices"),
        kind,
        severity: get("severity").parse().unwrap_or(Severity::Warning),
        enabled: get("enabled") != yes_no[1],
        note: get("note"),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn field(key: &'static str, value: &str) -> FormField {
        FormField::text(key, key, value)
    }

    #[test]
    fn a_form_reads_back_into_the_rule_it_shows() {
        let rule = Rule {
            name: "Câmara fria".into(),
            devices: "CR-*".into(),
            kind: RuleKind::Threshold {
                metric: "temp_c".into(),
                direction: Direction::Above,
                limit: 8.5,
                for_secs: 60,
                hysteresis: 0.5,
            },
            severity: Severity::Critical,
            enabled: false,
            note: "vacinas".into(),
        };
        let values = rule_values(&rule, ["sim", "não"]);
        let fields: Vec<FormField> = values.iter().map(|(k, v)| field(k, v)).collect();
        assert_eq!(
            rule_from_fields(&fields, ["sim", "não"], "x").unwrap(),
            rule
        );
    }

    #[test]
    fn bad_numbers_are_reported_on_their_field_and_commas_are_decimals() {
        let fields = vec![
            field("name", "r"),
            field("devices", "*"),
            field("kind", "band"),
            field("metric", "t"),
            field("min", "2,5"),
            field("max", "oito"),
            field("for_secs", "0"),
            field("hysteresis", "0"),
            field("severity", "warning"),
            field("enabled", "sim"),
            field("note", ""),
        ];
        let e = rule_from_fields(&fields, ["sim", "não"], "não é um número").unwrap_err();
        assert_eq!(e.len(), 1);
        assert_eq!(e["max"], "'oito' não é um número");
        let mut fixed = fields.clone();
        fixed[5].value = "8".into();
        let r = rule_from_fields(&fixed, ["sim", "não"], "x").unwrap();
        assert!(matches!(r.kind, RuleKind::Band { min, .. } if min == 2.5));
    }
}
