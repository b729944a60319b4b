//! The entry form of a gas unit's day: its fields (matching the unit's equipment), reading them
//! back into an `EntryInput`, and the live QDS recomputed on every keystroke with the rates in
//! force on the form's date. Pure functions: the state machine calls them, tests drive them.

use std::collections::BTreeMap;

use jiff::civil::Date;
use opsdeck_storage::records::gas::{DailyEntry, Equipment, GasUnit, ManualQds, RateUnit};
use opsdeck_views::i18n::Locale;
use opsdeck_views::refusals;
use opsdeck_views::state::gas::{EntryField, EntryValue, QdsPreview};
use rust_decimal::Decimal;

use crate::app::typed_input;
use crate::domain::gas::calc;
use crate::domain::gas::entries::{self, EntryInput};

/// The rate of `e` on `date` ("540 m³/h"), or "—" before the equipment's first rate.
pub fn rate_text(locale: Locale, e: &Equipment, date: Date) -> String {
    match e.rate_on(date) {
        Some(r) => rate_with_unit(locale, r, e.rate_unit),
        None => "—".to_owned(),
    }
}

/// "540 m³/h" / "9.600 m³/d".
pub fn rate_with_unit(locale: Locale, rate: Decimal, unit: RateUnit) -> String {
    let unit = match unit {
        RateUnit::PerHour => "m³/h",
        RateUnit::PerDay => "m³/d",
    };
    format!("{} {unit}", locale.number(rate, decimals(rate)))
}

/// As many decimals as the value has, at most 3 (rates and hours are shown as typed).
pub fn decimals(v: Decimal) -> u32 {
    v.normalize().scale().min(3)
}

fn number_text(locale: Locale, v: Decimal) -> String {
    locale.number(v, decimals(v))
}

/// The form's fields for `input` on `unit`: atomizers (scheduled + hours, the second one where
/// the unit has it), each line and dryer, observations, the manual QDS.
pub fn fields(locale: Locale, unit: &GasUnit, input: &EntryInput) -> Vec<EntryField> {
    let w = opsdeck_views::panes::gas::text::text(locale);
    let date = input.date;
    let mut out = Vec::new();
    let atomizers = unit.atomizers();
    let parts = [
        (
            "atomizer_scheduled",
            "atomizer_hours",
            Some(input.atomizer_scheduled),
            Some(input.atomizer_hours),
        ),
        (
            "secondary_scheduled",
            "secondary_hours",
            input.secondary_scheduled,
            input.secondary_hours,
        ),
    ];
    for (a, (sched_key, hours_key, scheduled, hours)) in atomizers.iter().zip(parts) {
        out.push(EntryField {
            key: sched_key.into(),
            label: format!("{} {}", a.name, w.entry_scheduled),
            value: EntryValue::Toggle(scheduled.unwrap_or(false)),
            rate: String::new(),
            contributes: None,
            error: None,
        });
        out.push(EntryField {
            key: hours_key.into(),
            label: format!("{} {}", a.name, w.entry_hours),
            value: EntryValue::Text(number_text(locale, hours.unwrap_or_default())),
            rate: rate_text(locale, a, date),
            contributes: None,
            error: None,
        });
    }
    for e in unit.toggled() {
        out.push(EntryField {
            key: format!("lines.{}", e.code),
            label: e.name.clone(),
            value: EntryValue::Toggle(input.lines.get(&e.code).copied().unwrap_or(false)),
            rate: rate_text(locale, e, date),
            contributes: None,
            error: None,
        });
    }
    out.push(EntryField {
        key: "observations".into(),
        label: w.entry_observations.into(),
        value: EntryValue::Text(input.observations.clone()),
        rate: String::new(),
        contributes: None,
        error: None,
    });
    out.push(EntryField {
        key: "qds_manual".into(),
        label: w.entry_manual_qds.into(),
        value: EntryValue::Text(
            input
                .qds_manual
                .map(|q| number_text(locale, q))
                .unwrap_or_default(),
        ),
        rate: String::new(),
        contributes: None,
        error: None,
    });
    out
}

/// Reads the fields back: the input, or the message of each field that does not parse.
pub fn input_of(
    locale: Locale,
    unit: &GasUnit,
    date: Date,
    fields: &[EntryField],
) -> Result<EntryInput, BTreeMap<String, String>> {
    let mut errors = BTreeMap::new();
    let mut input = EntryInput::blank(unit, date);
    for f in fields {
        match (&f.value, f.key.as_str()) {
            (EntryValue::Toggle(on), "atomizer_scheduled") => input.atomizer_scheduled = *on,
            (EntryValue::Toggle(on), "secondary_scheduled") => {
                input.secondary_scheduled = Some(*on)
            }
            (EntryValue::Toggle(on), key) => {
                if let Some(code) = key.strip_prefix("lines.") {
                    input.lines.insert(code.to_owned(), *on);
                }
            }
            (EntryValue::Text(t), "observations") => input.observations = t.clone(),
            (EntryValue::Text(t), "qds_manual") if t.trim().is_empty() => input.qds_manual = None,
            (EntryValue::Text(t), key) => {
                // Out-of-range values are refused here, before the live QDS multiplies them.
                let value = typed_input::parse(locale, t).and_then(|v| {
                    let bad = match key {
                        "qds_manual" => entries::check_quantity(key, v, "a QDS"),
                        _ => entries::check_hours(key, v),
                    };
                    bad.map_or(Ok(v), |e| Err(refusals::say(locale, &e.why)))
                });
                match value {
                    Ok(v) => match key {
                        "atomizer_hours" => input.atomizer_hours = v,
                        "secondary_hours" => input.secondary_hours = Some(v),
                        "qds_manual" => input.qds_manual = Some(v),
                        _ => {}
                    },
                    Err(e) => {
                        errors.insert(key.to_owned(), e);
                    }
                }
            }
        }
    }
    if errors.is_empty() {
        Ok(input)
    } else {
        Err(errors)
    }
}

/// The QDS of the form as it stands, and what each field adds to it (set on `fields`).
pub fn preview(
    locale: Locale,
    unit: &GasUnit,
    date: Date,
    fields: &mut [EntryField],
) -> QdsPreview {
    let input = match input_of(locale, unit, date, fields) {
        Ok(i) => i,
        Err(errors) => {
            for f in fields.iter_mut() {
                f.contributes = None;
            }
            let (key, msg) = errors.iter().next().map_or(("", ""), |(k, m)| (k, m));
            let label = fields
                .iter()
                .find(|f| f.key == key)
                .map_or(key, |f| f.label.as_str());
            return QdsPreview::Invalid(format!("{label}: {msg}"));
        }
    };
    let atomizers = unit.atomizers();
    for f in fields.iter_mut() {
        f.contributes = match f.key.as_str() {
            "atomizer_hours" => atomizers
                .first()
                .and_then(|a| a.rate_on(date))
                .map(|r| r * input.atomizer_hours),
            "secondary_hours" => atomizers
                .get(1)
                .and_then(|a| a.rate_on(date))
                .zip(input.secondary_hours)
                .map(|(r, h)| r * h),
            key => key.strip_prefix("lines.").and_then(|code| {
                let on = input.lines.get(code).copied().unwrap_or(false);
                let rate = unit.equipment(code).and_then(|e| e.rate_on(date));
                Some(if on { rate? } else { Decimal::ZERO })
            }),
        };
    }
    let entry = DailyEntry {
        unit: unit.code.clone(),
        date,
        atomizer_scheduled: input.atomizer_scheduled,
        atomizer_hours: input.atomizer_hours,
        secondary_scheduled: input.secondary_scheduled,
        secondary_hours: input.secondary_hours,
        lines: input.lines.clone(),
        observations: String::new(),
        qds_manual: input.qds_manual.map(|value| ManualQds {
            value,
            by: String::new(),
            at: jiff::Timestamp::UNIX_EPOCH,
        }),
    };
    match calc::qds(unit, &entry) {
        Ok(q) => QdsPreview::Calculated {
            atomizers: q.qdc_atomizer,
            lines: q.qdc_lines,
            calculated: q.calculated,
            effective: q.effective,
            manual: q.manual,
        },
        Err(e) => QdsPreview::Invalid(refusals::say(locale, &e.why())),
    }
}

/// The values of the fields, to tell whether the form changed.
pub fn values(fields: &[EntryField]) -> Vec<EntryValue> {
    fields.iter().map(|f| f.value.clone()).collect()
}

#[cfg(test)]
mod tests {
    use jiff::civil::date;
    use opsdeck_storage::records::gas::EquipmentKind;

    use super::*;
    use crate::domain::gas::fixtures::{d, eq};

    /// Botucatu as in the spec's seed, with ATM 250's rate raised on 2026-11-15.
    fn botucatu() -> GasUnit {
        let start = date(2026, 1, 1);
        GasUnit {
            code: "BOT".into(),
            name: "Botucatu".into(),
            active: true,
            meter: None,
            equipment: vec![
                eq(
                    "ATM250",
                    "ATM 250",
                    EquipmentKind::Atomizer,
                    0,
                    &[(start, "1100"), (date(2026, 11, 15), "1200")],
                ),
                eq(
                    "ATM052",
                    "ATM 052",
                    EquipmentKind::Atomizer,
                    1,
                    &[(start, "420")],
                ),
                eq(
                    "SEC2",
                    "Secador 2",
                    EquipmentKind::Dryer,
                    2,
                    &[(start, "7200")],
                ),
                eq(
                    "L1",
                    "L1",
                    EquipmentKind::ProductionLine,
                    3,
                    &[(start, "9600")],
                ),
                eq(
                    "L2",
                    "L2",
                    EquipmentKind::ProductionLine,
                    4,
                    &[(start, "9600")],
                ),
            ],
        }
    }

    fn set(fields: &mut [EntryField], key: &str, v: EntryValue) {
        fields.iter_mut().find(|f| f.key == key).unwrap().value = v;
    }

    #[test]
    fn botucatu_form_has_both_atomizers_the_dryer_and_its_lines() {
        let u = botucatu();
        let f = fields(Locale::PtBr, &u, &EntryInput::blank(&u, date(2026, 11, 10)));
        let keys: Vec<&str> = f.iter().map(|f| f.key.as_str()).collect();
        assert_eq!(
            keys,
            [
                "atomizer_scheduled",
                "atomizer_hours",
                "secondary_scheduled",
                "secondary_hours",
                "lines.SEC2",
                "lines.L1",
                "lines.L2",
                "observations",
                "qds_manual"
            ]
        );
        assert_eq!(f[1].label, "ATM 250 horas");
        assert_eq!(f[1].rate, "1.100 m³/h");
        assert_eq!(f[4].rate, "7.200 m³/d");
    }

    #[test]
    fn qds_follows_every_keystroke_with_the_rate_of_the_forms_date() {
        let u = botucatu();
        for (day, atm250) in [(date(2026, 11, 10), "1100"), (date(2026, 11, 20), "1200")] {
            let mut f = fields(Locale::PtBr, &u, &EntryInput::blank(&u, day));
            set(&mut f, "atomizer_hours", EntryValue::Text("20".into()));
            set(&mut f, "secondary_hours", EntryValue::Text("7,5".into()));
            set(&mut f, "lines.SEC2", EntryValue::Toggle(true));
            set(&mut f, "lines.L1", EntryValue::Toggle(true));
            let atomizers = d(atm250) * d("20") + d("420") * d("7.5");
            let lines = d("7200") + d("9600");
            assert_eq!(
                preview(Locale::PtBr, &u, day, &mut f),
                QdsPreview::Calculated {
                    atomizers,
                    lines,
                    calculated: atomizers + lines,
                    effective: atomizers + lines,
                    manual: false
                },
                "{day}"
            );
            assert_eq!(f[1].contributes, Some(d(atm250) * d("20")));
            assert_eq!(f[6].contributes, Some(Decimal::ZERO), "L2 is off");
            // A manual QDS replaces the calculated one; the calculation stays visible.
            set(&mut f, "qds_manual", EntryValue::Text("40.000".into()));
            let QdsPreview::Calculated {
                effective,
                manual,
                calculated,
                ..
            } = preview(Locale::PtBr, &u, day, &mut f)
            else {
                panic!("not calculated")
            };
            assert_eq!((effective, manual), (d("40000"), true));
            assert_eq!(calculated, atomizers + lines);
        }
    }

    #[test]
    fn a_field_that_is_not_a_number_says_which_and_the_input_reads_back() {
        let u = botucatu();
        let day = date(2026, 11, 10);
        let mut f = fields(Locale::PtBr, &u, &EntryInput::blank(&u, day));
        set(&mut f, "secondary_hours", EntryValue::Text("7h30".into()));
        let QdsPreview::Invalid(why) = preview(Locale::PtBr, &u, day, &mut f) else {
            panic!("should not compute")
        };
        assert!(
            why.starts_with("ATM 052 horas: '7h30' não é um número"),
            "{why}"
        );
        // Out of range: refused before it is multiplied (no overflow on 28 nines).
        set(&mut f, "secondary_hours", EntryValue::Text("9".repeat(28)));
        let QdsPreview::Invalid(why) = preview(Locale::PtBr, &u, day, &mut f) else {
            panic!("should not compute")
        };
        assert!(
            why.contains("fora de 0 a 24 horas"),
            "refused in Portuguese: {why}"
        );
        set(&mut f, "secondary_hours", EntryValue::Text("7,5".into()));
        set(
            &mut f,
            "observations",
            EntryValue::Text("troca de bico".into()),
        );
        let input = input_of(Locale::PtBr, &u, day, &f).unwrap();
        assert_eq!(input.secondary_hours, Some(d("7.5")));
        assert_eq!(input.secondary_scheduled, Some(false));
        assert_eq!(input.observations, "troca de bico");
        assert_eq!(input.qds_manual, None);
        // And a stored entry shows as it was typed.
        let again = fields(Locale::PtBr, &u, &input);
        assert_eq!(values(&again), values(&f));
    }
}
