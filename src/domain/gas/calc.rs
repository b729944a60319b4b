//! The RC calculations, exactly as the spec's GasCalculationService, on exact decimals:
//! QDC of the atomizers (hours x rate, primary and secondary), QDC of the lines (the daily rate
//! of every line or dryer that is on), QDS = their sum (or the manual override), the tolerance
//! bands around the plan (QDP) and how far the real consumption (QDR) falls outside them.
//! A day is always computed with the rates and the contract in force on that day.

use jiff::civil::Date;
use opsdeck_storage::records::gas::{Contract, DailyEntry, GasUnit};
use opsdeck_storage::refusal::Why;
use opsdeck_storage::why;
use rust_decimal::Decimal;

/// QDS of one unit and day, with its parts.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Qds {
    pub qdc_atomizer: Decimal,
    pub qdc_lines: Decimal,
    /// qdc_atomizer + qdc_lines
    pub calculated: Decimal,
    /// The manual override when set, else the calculated value.
    pub effective: Decimal,
    pub manual: bool,
}

/// A rate the day needs that did not exist yet (equipment added later than the date).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MissingRate {
    pub unit: String,
    pub equipment: String,
    pub date: Date,
}

impl MissingRate {
    pub fn why(&self) -> Why {
        why!(MissingRate, self.unit, self.equipment, self.date)
    }
}

impl std::fmt::Display for MissingRate {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        self.why().fmt(f)
    }
}

impl std::error::Error for MissingRate {}

/// hours x rate of the primary atomizer, plus the secondary's when the unit has one and hours
/// were entered for it.
pub fn qdc_atomizer(
    unit: &GasUnit,
    entry: &DailyEntry,
    date: Date,
) -> Result<Decimal, MissingRate> {
    let atomizers = unit.atomizers();
    let mut total = Decimal::ZERO;
    let parts = [
        (atomizers.first(), Some(entry.atomizer_hours)),
        (atomizers.get(1), entry.secondary_hours),
    ];
    for (equipment, hours) in parts {
        let (Some(e), Some(h)) = (equipment, hours) else {
            continue;
        };
        if h.is_zero() {
            continue;
        }
        let rate = e.rate_on(date).ok_or_else(|| MissingRate {
            unit: unit.code.clone(),
            equipment: e.code.clone(),
            date,
        })?;
        total += h * rate;
    }
    Ok(total)
}

/// The daily rate of every line (and dryer, which counts like a line) that is on.
pub fn qdc_lines(unit: &GasUnit, entry: &DailyEntry, date: Date) -> Result<Decimal, MissingRate> {
    let mut total = Decimal::ZERO;
    for e in unit.toggled() {
        if entry.lines.get(&e.code).copied().unwrap_or(false) {
            total += e.rate_on(date).ok_or_else(|| MissingRate {
                unit: unit.code.clone(),
                equipment: e.code.clone(),
                date,
            })?;
        }
    }
    Ok(total)
}

/// QDS of an entry on its date.
pub fn qds(unit: &GasUnit, entry: &DailyEntry) -> Result<Qds, MissingRate> {
    let qdc_atomizer = qdc_atomizer(unit, entry, entry.date)?;
    let qdc_lines = qdc_lines(unit, entry, entry.date)?;
    let calculated = qdc_atomizer + qdc_lines;
    let manual = entry.qds_manual.as_ref().map(|m| m.value);
    Ok(Qds {
        qdc_atomizer,
        qdc_lines,
        calculated,
        effective: manual.unwrap_or(calculated),
        manual: manual.is_some(),
    })
}

/// The tolerance bands around a plan and how far the real consumption is outside them.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Deviations {
    pub transport_min: Decimal,
    pub transport_max: Decimal,
    pub molecule_min: Decimal,
    pub molecule_max: Decimal,
    /// How far QDR is outside the transport band (0 inside).
    pub delta_transport: Decimal,
    pub delta_molecule: Decimal,
    /// The deltas as a fraction of QDP (0 when QDP is 0).
    pub percent_transport: Decimal,
    pub percent_molecule: Decimal,
    pub within_transport: bool,
    pub within_molecule: bool,
}

fn outside(value: Decimal, min: Decimal, max: Decimal) -> Decimal {
    let below = if value < min {
        min - value
    } else {
        Decimal::ZERO
    };
    let above = if value > max {
        value - max
    } else {
        Decimal::ZERO
    };
    below + above
}

pub fn deviations(qdp: Decimal, qdr: Decimal, contract: &Contract) -> Deviations {
    let transport_min = qdp * contract.transport_min;
    let transport_max = qdp * contract.transport_max;
    let molecule_min = qdp * contract.molecule_min;
    let molecule_max = qdp * contract.molecule_max;
    let delta_transport = outside(qdr, transport_min, transport_max);
    let delta_molecule = outside(qdr, molecule_min, molecule_max);
    let pct = |d: Decimal| {
        if qdp > Decimal::ZERO {
            d / qdp
        } else {
            Decimal::ZERO
        }
    };
    Deviations {
        transport_min,
        transport_max,
        molecule_min,
        molecule_max,
        delta_transport,
        delta_molecule,
        percent_transport: pct(delta_transport),
        percent_molecule: pct(delta_molecule),
        within_transport: qdr >= transport_min && qdr <= transport_max,
        within_molecule: qdr >= molecule_min && qdr <= molecule_max,
    }
}

/// The colour of a day, never shown without its word: green inside the molecule band, yellow
/// inside the transport band only, red outside both.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Band {
    Green,
    Yellow,
    Red,
}

pub fn band(d: &Deviations) -> Band {
    if d.within_molecule {
        Band::Green
    } else if d.within_transport {
        Band::Yellow
    } else {
        Band::Red
    }
}

/// One unit's figures for a day; any part may be missing (no entry yet, no plan, no meter).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct UnitDay {
    pub qds: Option<Decimal>,
    pub qdp: Option<Decimal>,
    pub qdr: Option<Decimal>,
}

/// The consolidated day over all units, as the dashboard and the Petrobras sheet show it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Consolidated {
    pub qdc: Decimal,
    pub qds: Decimal,
    pub qdp: Decimal,
    pub qdr: Decimal,
    /// OK when the summed plan equals the summed QDS (the spec's rule).
    pub ok: bool,
    /// Bands of the summed QDR against the summed QDP, when there is a plan and a QDR.
    pub deviations: Option<Deviations>,
    /// Units with no entry for the day.
    pub missing_entries: usize,
}

pub fn consolidate(units: &[UnitDay], contract: &Contract) -> Consolidated {
    let sum = |f: fn(&UnitDay) -> Option<Decimal>| -> Decimal { units.iter().filter_map(f).sum() };
    let qds = sum(|u| u.qds);
    let qdp = sum(|u| u.qdp);
    let qdr = sum(|u| u.qdr);
    let has_plan = units.iter().any(|u| u.qdp.is_some());
    let has_qdr = units.iter().any(|u| u.qdr.is_some());
    Consolidated {
        qdc: contract.qdc_limit,
        qds,
        qdp,
        qdr,
        ok: qdp == qds,
        deviations: (has_plan && has_qdr).then(|| deviations(qdp, qdr, contract)),
        missing_entries: units.iter().filter(|u| u.qds.is_none()).count(),
    }
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeMap;

    use jiff::civil::date;
    use opsdeck_storage::records::gas::{Equipment, EquipmentKind, ManualQds};

    use super::*;

    use super::super::fixtures::d;

    fn eq(code: &str, kind: EquipmentKind, order: u32, rates: &[(Date, &str)]) -> Equipment {
        super::super::fixtures::eq(code, code, kind, order, rates)
    }

    const START: Date = date(2020, 1, 1);

    /// Criciúma from the spec's seed table.
    fn criciuma() -> GasUnit {
        let mut equipment = vec![eq("ATM", EquipmentKind::Atomizer, 0, &[(START, "1350")])];
        for (i, rate) in [
            "24000", "5500", "5500", "6500", "6500", "7000", "12500", "12500",
        ]
        .iter()
        .enumerate()
        {
            equipment.push(eq(
                &format!("L{i}"),
                EquipmentKind::ProductionLine,
                i as u32 + 1,
                &[(START, rate)],
            ));
        }
        GasUnit {
            code: "CRI".into(),
            name: "Criciúma".into(),
            active: true,
            equipment,
            meter: None,
        }
    }

    /// Botucatu: two atomizers and a dryer.
    fn botucatu() -> GasUnit {
        GasUnit {
            code: "BOT".into(),
            name: "Botucatu".into(),
            active: true,
            equipment: vec![
                eq("ATM250", EquipmentKind::Atomizer, 0, &[(START, "1300")]),
                eq("ATM052", EquipmentKind::Atomizer, 1, &[(START, "435")]),
                eq("SEC2", EquipmentKind::Dryer, 2, &[(START, "2750")]),
                eq("L1", EquipmentKind::ProductionLine, 3, &[(START, "23000")]),
                eq("L2", EquipmentKind::ProductionLine, 4, &[(START, "25500")]),
            ],
            meter: None,
        }
    }

    fn entry(unit: &str, day: Date, hours: &str, lines: &[(&str, bool)]) -> DailyEntry {
        DailyEntry {
            unit: unit.into(),
            date: day,
            atomizer_scheduled: true,
            atomizer_hours: d(hours),
            secondary_scheduled: None,
            secondary_hours: None,
            lines: lines
                .iter()
                .map(|(c, on)| (c.to_string(), *on))
                .collect::<BTreeMap<_, _>>(),
            observations: String::new(),
            qds_manual: None,
        }
    }

    fn contract() -> Contract {
        Contract {
            effective_from: START,
            qdc_limit: d("134800"),
            transport_min: d("0.8"),
            transport_max: d("1.1"),
            molecule_min: d("0.95"),
            molecule_max: d("1.05"),
            incentive_bonus: d("1.2"),
            incentive_penalty: d("0.7"),
            note: String::new(),
        }
    }

    #[test]
    fn criciuma_qds_by_hand() {
        // 22.5 h x 1,350 = 30,375; L0 + L3 + L6 on = 24,000 + 6,500 + 12,500 = 43,000.
        let e = entry(
            "CRI",
            date(2026, 11, 23),
            "22.5",
            &[("L0", true), ("L1", false), ("L3", true), ("L6", true)],
        );
        let q = qds(&criciuma(), &e).unwrap();
        assert_eq!(q.qdc_atomizer, d("30375"));
        assert_eq!(q.qdc_lines, d("43000"));
        assert_eq!(q.calculated, d("73375"));
        assert_eq!(q.effective, d("73375"));
        assert!(!q.manual);
        // every line on: 80,000 m³/d of lines, a full day of atomizer 32,400
        let all: Vec<(String, bool)> = (0..8).map(|i| (format!("L{i}"), true)).collect();
        let all: Vec<(&str, bool)> = all.iter().map(|(c, b)| (c.as_str(), *b)).collect();
        let q = qds(&criciuma(), &entry("CRI", date(2026, 11, 23), "24", &all)).unwrap();
        assert_eq!((q.qdc_atomizer, q.qdc_lines), (d("32400"), d("80000")));
    }

    #[test]
    fn botucatu_counts_both_atomizers_and_the_dryer_like_a_line() {
        // ATM 250: 20 h x 1,300 = 26,000; ATM 052: 6.5 h x 435 = 2,827.5
        // Secador 2 + Linha 2 = 2,750 + 25,500 = 28,250
        let mut e = entry(
            "BOT",
            date(2026, 11, 23),
            "20",
            &[("SEC2", true), ("L1", false), ("L2", true)],
        );
        e.secondary_scheduled = Some(true);
        e.secondary_hours = Some(d("6.5"));
        let q = qds(&botucatu(), &e).unwrap();
        assert_eq!(q.qdc_atomizer, d("28827.5"));
        assert_eq!(q.qdc_lines, d("28250"));
        assert_eq!(q.calculated, d("57077.5"));
        // without secondary hours only the primary counts
        e.secondary_hours = None;
        assert_eq!(qds(&botucatu(), &e).unwrap().qdc_atomizer, d("26000"));
    }

    #[test]
    fn a_manual_qds_replaces_the_calculated_one_but_both_are_kept() {
        let mut e = entry("CRI", date(2026, 11, 23), "10", &[("L0", true)]);
        e.qds_manual = Some(ManualQds {
            value: d("40000"),
            by: "bruno".into(),
            at: jiff::Timestamp::UNIX_EPOCH,
        });
        let q = qds(&criciuma(), &e).unwrap();
        assert_eq!(q.calculated, d("37500"));
        assert_eq!(q.effective, d("40000"));
        assert!(q.manual);
    }

    #[test]
    fn a_rate_changed_mid_month_applies_from_its_date_only() {
        let mut unit = criciuma();
        unit.equipment[0].rates.push(
            eq(
                "x",
                EquipmentKind::Atomizer,
                0,
                &[(date(2026, 11, 15), "1400")],
            )
            .rates[0]
                .clone(),
        );
        let before = entry("CRI", date(2026, 11, 14), "10", &[]);
        let on = entry("CRI", date(2026, 11, 15), "10", &[]);
        assert_eq!(qds(&unit, &before).unwrap().qdc_atomizer, d("13500"));
        assert_eq!(qds(&unit, &on).unwrap().qdc_atomizer, d("14000"));
        // equipment that did not exist yet on a date is an error, not a silent zero
        let mut newer = criciuma();
        newer.equipment[1].rates[0].from = date(2027, 1, 1);
        let e = qds(
            &newer,
            &entry("CRI", date(2026, 11, 15), "0", &[("L0", true)]),
        )
        .unwrap_err();
        assert_eq!(
            e.to_string(),
            "CRI L0: no rate in force on 2026-11-15 (the first rate starts later)"
        );
    }

    #[test]
    fn deviations_and_bands_from_the_spec_formulas() {
        let c = contract();
        // QDP 100,000: transport 80,000..110,000, molecule 95,000..105,000
        let inside = deviations(d("100000"), d("101000"), &c);
        assert_eq!(
            (inside.transport_min, inside.transport_max),
            (d("80000"), d("110000"))
        );
        assert_eq!(
            (inside.molecule_min, inside.molecule_max),
            (d("95000"), d("105000"))
        );
        assert!(inside.within_molecule && inside.within_transport);
        assert_eq!(inside.delta_molecule, Decimal::ZERO);
        assert_eq!(band(&inside), Band::Green);

        let high = deviations(d("100000"), d("108000"), &c);
        assert_eq!(high.delta_molecule, d("3000"));
        assert_eq!(high.delta_transport, Decimal::ZERO);
        assert_eq!(high.percent_molecule, d("0.03"));
        assert_eq!(band(&high), Band::Yellow);

        let low = deviations(d("100000"), d("70000"), &c);
        assert_eq!(low.delta_transport, d("10000"));
        assert_eq!(low.delta_molecule, d("25000"));
        assert_eq!(low.percent_transport, d("0.1"));
        assert_eq!(band(&low), Band::Red);

        // the band edges are inside
        assert!(deviations(d("100000"), d("95000"), &c).within_molecule);
        assert!(deviations(d("100000"), d("110000"), &c).within_transport);
        // no plan: no percentages, and any consumption is outside
        let none = deviations(Decimal::ZERO, d("5"), &c);
        assert_eq!(none.percent_transport, Decimal::ZERO);
        assert_eq!(band(&none), Band::Red);
    }

    #[test]
    fn the_consolidated_day_sums_units_and_flags_ok_and_missing() {
        let c = contract();
        let units = [
            UnitDay {
                qds: Some(d("73375")),
                qdp: Some(d("73375")),
                qdr: Some(d("72000")),
            },
            UnitDay {
                qds: Some(d("36000")),
                qdp: Some(d("36000")),
                qdr: Some(d("35500")),
            },
            UnitDay {
                qds: None,
                qdp: Some(d("20000")),
                qdr: None,
            },
        ];
        let day = consolidate(&units, &c);
        assert_eq!(day.qdc, d("134800"));
        assert_eq!(
            (day.qds, day.qdp, day.qdr),
            (d("109375"), d("129375"), d("107500"))
        );
        assert!(!day.ok, "QDP differs from QDS while a unit has no entry");
        assert_eq!(day.missing_entries, 1);
        let dev = day.deviations.unwrap();
        // 107,500 against 129,375: below 95% (122,906.25) and above 80% (103,500)
        assert_eq!(dev.molecule_min, d("122906.25"));
        assert_eq!(band(&dev), Band::Yellow);
        let all_in = consolidate(&units[..2], &c);
        assert!(all_in.ok);
    }
}
