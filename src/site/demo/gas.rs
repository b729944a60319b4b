//! The demo site's gas figures (tenant "ceramica"): daily entries, approved plans (QDP) and real
//! consumption (QDR) of the three plant units (sample-data/gas/units.toml) for the two full
//! months before the current one and the current month up to yesterday, plus today's and
//! tomorrow's plans. Everything is written under the gas services' rules
//! (`domain::gas::entries`: roles, entry checks), attributed and audited like an operator's work,
//! one transaction per month. The values come from a seeded generator (`demo_telemetry::Rng`),
//! one stream per unit and day, so a day's figures do not depend on the day the demo was created.
//!
//! What the data shows:
//! - the rates are the spec's (full burn of each piece of equipment); what keeps the site inside
//!   its contract (QDC 134,800 m³/d) is how the plants run (`Pattern`): Criciúma runs Linha 0
//!   and one of its small lines L1-L5 in turns of two days (L6 and L7 stand in on the weekdays
//!   L0 is down), its atomizer 14 to 19 h; Urussanga and Botucatu run one line at a time
//!   (Urussanga mostly L1, L2 one turn in four; Botucatu L1 and L2 by turns of four days), their
//!   atomizers 7 to 14 h; Botucatu's dryer is on most weekdays and its second atomizer (ATM 052)
//!   runs 4 to 8 h on about half of them. Consolidated, a weekday's QDS is about 105,000 to
//!   130,000 m³ (mean about 119,000; about one weekday in a hundred slightly above the QDC);
//!   Saturdays (fewer atomizer hours, Criciúma's turn line on half of them) about 80,000 to
//!   110,000; Sundays (atomizers mostly stopped, each line on about half of them) mostly 20,000
//!   to 70,000;
//! - each unit stops its (primary) atomizer one weekday a month for maintenance (0 h, with a
//!   note; Botucatu's ATM 052 runs 16 to 20 h instead);
//! - the plan (QDP) is the day's QDS, except on a few days where the atomizer ran less than
//!   programmed (NOK); every past plan is approved;
//! - the meters' QDR (source import) is within ±3 % of the plan on ordinary days; a few unit-days
//!   are in the transport band only (yellow), two are outside it (red): an unplanned general stop
//!   at Criciúma and a postponed maintenance at Botucatu that the plan did not follow;
//! - one manual QDS override (Urussanga, explained in the observations) and one missing entry
//!   (Urussanga, previous month: plan and QDR are there, the entry is not);
//! - the last [`METER_DAYS`] days have no QDR: the gas meters' telemetry fills them through the
//!   site services' QDR sync (`domain::gas::meter::sync_qdr`); the meters' model
//!   (sample-data/telemetry/devices.csv, `demo_telemetry`) totals, day by day, what this
//!   generator says the unit burned ([`metered_volume`]), so those days are green too;
//! - plans are programmed ahead ([`plans_ahead`]): today's is approved, tomorrow's waits for the
//!   supervisor; today's entry is left for the user to key.
//!
//! Loading is idempotent: a record already stored is left as it is, so a second run with the
//! same `today` writes nothing and returns 0 (and a run that failed between its monthly
//! transactions is completed by the next one). The one exception is the demo's own pending
//! plan: when its day has come (a run on a later day) and it still has the demo's QDP, it is
//! approved, as the supervisor would have.

use std::collections::BTreeMap;
use std::sync::{Mutex, OnceLock};
use std::time::Instant;

use anyhow::{Context, Result};
use jiff::Timestamp;
use jiff::civil::{Date, Weekday};
use opsdeck_storage::records::gas::{
    DailyEntry, DailyPlan, EquipmentKind, GasUnit, ManualQds, QdrSource, RealConsumption, day_key,
};
use opsdeck_storage::{Tenant, Tx};
use rust_decimal::Decimal;
use rust_decimal::prelude::ToPrimitive;

use super::common::{ACTOR, Rng};
use crate::domain::gas::calc;
use crate::domain::gas::entries::{self, EntryInput, GasAction};
use crate::domain::gas::seed;
use crate::site::Site;

/// The demo tenant with the gas units.
pub const TENANT: &str = "ceramica";
/// The days before today left without a QDR: the gas meters' telemetry fills them.
pub const METER_DAYS: i64 = 2;
/// Full months before the current one.
pub const MONTHS_BACK: i64 = 2;

const SEED: u64 = 0x6761_735f_6465_6d6f;

/// Why a unit's day is not an ordinary one.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Special {
    /// The primary atomizer stops for planned maintenance (0 h, a note); planned as such.
    Maintenance,
    /// An unplanned general stop: the entry and the meter are far below the plan (red, NOK).
    Stop,
    /// The plan expected the primary atomizer in maintenance, which was postponed: the meter is
    /// far above the plan (red, NOK).
    PlanNotRevised,
    /// The meter is off the plan by this many per mille, inside the transport band only
    /// (yellow).
    Off(i32),
    /// A manual QDS override, explained in the observations.
    ManualQds,
    /// No entry keyed; the plan and the QDR are there.
    Missing,
}

/// One unit and day of the demo: what is keyed, programmed and metered.
#[derive(Debug, Clone, PartialEq)]
pub struct DemoDay {
    pub unit: String,
    pub date: Date,
    pub special: Option<Special>,
    /// None for the missing entry.
    pub entry: Option<EntryInput>,
    pub qdp: Decimal,
    /// None in the last [`METER_DAYS`] days.
    pub qdr: Option<Decimal>,
}

/// A special day: in month `month` of the range (0 the oldest, 1 the previous, 2 the current),
/// the first `weekday` on or after day `from` (at most the 22nd, so it stays in the month).
struct Event {
    month: i64,
    unit: &'static str,
    weekday: Weekday,
    from: i8,
    special: Special,
    note: &'static str,
}

const EVENTS: &[Event] = &[
    Event {
        month: 0,
        unit: "CRI",
        weekday: Weekday::Thursday,
        from: 14,
        special: Special::Stop,
        note: "Parada geral não programada: queda de energia da concessionária às 06h. \
               Atomizador operou só 6 h; linhas {lines} desligadas até o fim do dia.",
    },
    Event {
        month: 0,
        unit: "CRI",
        weekday: Weekday::Friday,
        from: 21,
        special: Special::Off(80),
        note: "Massa com umidade acima do normal após as chuvas: secagem mais lenta e \
               queimadores em regime mais alto.",
    },
    Event {
        month: 0,
        unit: "URU",
        weekday: Weekday::Friday,
        from: 21,
        special: Special::Off(70),
        note: "Massa com umidade acima do normal após as chuvas: secagem mais lenta e \
               queimadores em regime mais alto.",
    },
    Event {
        month: 0,
        unit: "BOT",
        weekday: Weekday::Friday,
        from: 21,
        special: Special::Off(75),
        note: "Massa com umidade acima do normal: secador e fornos em regime mais alto.",
    },
    Event {
        month: 1,
        unit: "URU",
        weekday: Weekday::Monday,
        from: 2,
        special: Special::Off(90),
        note: "Teste de massa nova na linha L2 com ciclo de queima mais longo.",
    },
    Event {
        month: 1,
        unit: "URU",
        weekday: Weekday::Thursday,
        from: 3,
        special: Special::ManualQds,
        note: "QDS ajustado manualmente: a {line} operou só meio turno (troca de formato); \
               consumo estimado pela supervisão.",
    },
    Event {
        month: 1,
        unit: "URU",
        weekday: Weekday::Wednesday,
        from: 10,
        special: Special::Missing,
        note: "",
    },
    Event {
        month: 1,
        unit: "CRI",
        weekday: Weekday::Tuesday,
        from: 15,
        special: Special::Off(-120),
        note: "Forno da linha L6 em patamar reduzido durante a tarde para ajuste da curva de \
               queima.",
    },
    Event {
        month: 1,
        unit: "BOT",
        weekday: Weekday::Thursday,
        from: 19,
        special: Special::PlanNotRevised,
        note: "Manutenção do ATM 250 adiada a pedido do fornecedor; o atomizador operou 20 h \
               para recompor o estoque de pó. A programação (QDP) enviada na véspera previa o \
               ATM 250 parado e não foi revisada.",
    },
    Event {
        month: 2,
        unit: "BOT",
        weekday: Weekday::Tuesday,
        from: 2,
        special: Special::Off(-100),
        note: "Secador 2 com carga parcial; linhas com produção reduzida no segundo turno.",
    },
];

/// The maintenance day of each unit, every month: (unit, weekday, from, notes by month).
const MAINTENANCE: &[(&str, Weekday, i8, [&str; 2])] = &[
    (
        "CRI",
        Weekday::Monday,
        6,
        [
            "Manutenção preventiva do atomizador: limpeza da câmara de secagem e troca dos bicos. \
             Linhas em operação normal.",
            "Atomizador parado para inspeção do queimador e do ventilador de exaustão \
             (manutenção programada).",
        ],
    ),
    (
        "URU",
        Weekday::Tuesday,
        13,
        [
            "Atomizador parado para manutenção programada do queimador e inspeção do refratário.",
            "Manutenção preventiva do atomizador: troca das lanças e limpeza do ciclone.",
        ],
    ),
    (
        "BOT",
        Weekday::Wednesday,
        20,
        [
            "ATM 250 em manutenção preventiva (troca do disco atomizador); ATM 052 cobrindo \
             parte da produção.",
            "ATM 250 parado para limpeza da câmara e do ciclone; ATM 052 em turno estendido.",
        ],
    ),
];

/// Reasons an atomizer ran less than programmed (the NOK days).
const SHORT_REASONS: [&str; 4] = [
    "para troca de bicos",
    "para limpeza do ciclone",
    "por falta de barbotina",
    "para ajuste do queimador",
];

/// The first day of the range: the first of the month `MONTHS_BACK` months before today's.
pub fn first_day(today: Date) -> Result<Date> {
    Ok(today
        .first_of_month()
        .checked_sub(jiff::Span::new().months(MONTHS_BACK))?)
}

fn on_or_after(month_first: Date, from: i8, weekday: Weekday) -> Result<Date> {
    let mut d = month_first.with().day(from).build()?;
    while d.weekday() != weekday {
        d = d.tomorrow()?;
    }
    Ok(d)
}

fn month_first(first: Date, month: i64) -> Result<Date> {
    Ok(first.checked_add(jiff::Span::new().months(month))?)
}

/// The special days of the range starting at `first`, by (unit, date), with their notes.
fn specials(first: Date) -> Result<BTreeMap<(String, Date), (Special, String)>> {
    let mut out = BTreeMap::new();
    for month in 0..=MONTHS_BACK {
        let m = month_first(first, month)?;
        for (unit, weekday, from, notes) in MAINTENANCE {
            let date = on_or_after(m, *from, *weekday)?;
            let note = notes[(m.month() as usize) % notes.len()];
            out.insert(
                ((*unit).to_owned(), date),
                (Special::Maintenance, note.to_owned()),
            );
        }
    }
    for e in EVENTS {
        let date = on_or_after(month_first(first, e.month)?, e.from, e.weekday)?;
        let old = out.insert((e.unit.to_owned(), date), (e.special, e.note.to_owned()));
        debug_assert!(old.is_none(), "two special days on {} {date}", e.unit);
    }
    Ok(out)
}

fn hours(halves: i64) -> Decimal {
    Decimal::new(halves * 5, 1)
}

/// "1,5 h" / "2 h".
fn hours_pt(halves: i64) -> String {
    if halves % 2 == 0 {
        format!("{} h", halves / 2)
    } else {
        format!("{},5 h", halves / 2)
    }
}

/// A whole number in lo..=hi.
fn pick(rng: &mut Rng, lo: i64, hi: i64) -> i64 {
    (lo + (rng.unit() * (hi - lo + 1) as f64) as i64).min(hi)
}

fn is_weekday(date: Date) -> bool {
    !matches!(date.weekday(), Weekday::Saturday | Weekday::Sunday)
}

fn day_seed(unit: &str, date: Date) -> u64 {
    let mut h = SEED;
    for b in unit.bytes() {
        h = (h ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3);
    }
    h ^ ((date.year() as u64) << 32 | (date.month() as u64) << 8 | date.day() as u64)
}

/// How a unit runs on ordinary days. The RC rates are the equipment's full burn; the plants keep
/// the site under its contract (QDC) by running only part of it: a few lines at a time and the
/// atomizers for as many hours as those lines need powder.
struct Pattern {
    /// Primary atomizer hours (in half hours, inclusive) on weekdays and on Saturdays.
    weekday: (i64, i64),
    saturday: (i64, i64),
    /// The line that runs every day it can, and the lines that stand in on the weekdays it is
    /// down (a format change, a kiln repair).
    base: Option<(String, Vec<String>)>,
    /// Lines that take turns, one at a time, each for a stint of `stint` days (a code listed
    /// twice gets two stints per round).
    turns: Vec<String>,
    stint: i64,
}

/// Chance the base line is down on a weekday.
const BASE_DOWN: f64 = 0.08;

fn codes(list: &[&str]) -> Vec<String> {
    list.iter().map(|c| (*c).to_owned()).collect()
}

/// The pattern of the demo's units (sample-data/gas/units.toml): Criciúma runs Linha 0 and one
/// of its small lines (L6 and L7 stand in for L0), Urussanga and Botucatu one line at a time.
/// Any other unit runs its largest line and takes turns with the others.
fn pattern(unit: &GasUnit) -> Pattern {
    match unit.code.as_str() {
        "CRI" => Pattern {
            weekday: (28, 38),
            saturday: (12, 24),
            base: Some(("L0".into(), codes(&["L6", "L7"]))),
            turns: codes(&["L1", "L3", "L5", "L2", "L4"]),
            stint: 2,
        },
        "URU" => Pattern {
            weekday: (16, 28),
            saturday: (6, 14),
            base: None,
            turns: codes(&["L1", "L1", "L1", "L2"]),
            stint: 2,
        },
        "BOT" => Pattern {
            weekday: (14, 26),
            saturday: (8, 16),
            base: None,
            turns: codes(&["L1", "L2"]),
            stint: 4,
        },
        _ => {
            let mut lines: Vec<(&str, Decimal)> = unit
                .toggled()
                .into_iter()
                .filter(|e| e.kind == EquipmentKind::ProductionLine)
                .map(|e| {
                    (
                        e.code.as_str(),
                        e.rates.last().map_or(Decimal::ZERO, |r| r.rate),
                    )
                })
                .collect();
            lines.sort_by_key(|l| std::cmp::Reverse(l.1));
            let base = lines.first().map(|(c, _)| ((*c).to_owned(), Vec::new()));
            Pattern {
                weekday: (28, 40),
                saturday: (12, 24),
                base,
                turns: lines.iter().skip(1).map(|(c, _)| (*c).to_owned()).collect(),
                stint: 2,
            }
        }
    }
}

/// The day the stints are counted from: any fixed day, so a turn does not depend on the range
/// being generated.
/// The line whose turn it is on `date`.
fn turn(pattern: &Pattern, date: Date) -> Option<&str> {
    let days = i64::from(date.since(TURNS_FROM).ok()?.get_days());
    let n = pattern.turns.len() as i64;
    let i = days.div_euclid(pattern.stint.max(1)).rem_euclid(n.max(1));
    pattern.turns.get(i as usize).map(String::as_str)
}

const TURNS_FROM: Date = jiff::civil::date(2020, 1, 6);

/// An ordinary day as programmed, by the unit's [`Pattern`] and the day of the week: on
/// weekdays the base line (or its stand-ins) and the line whose turn it is, the atomizer 7 to
/// 19 h depending on the unit, Botucatu's secondary atomizer part-time on about half of them,
/// dryers on most; on Saturdays the same lines (the turn line on half of them when there is a
/// base line), fewer atomizer hours; on Sundays each of those lines on about half of them, the
/// atomizer mostly stopped, dryers off.
fn ordinary(unit: &GasUnit, date: Date, rng: &mut Rng) -> EntryInput {
    let p = pattern(unit);
    let mut input = EntryInput::blank(unit, date);
    let weekday = date.weekday();
    let halves = match weekday {
        Weekday::Saturday => pick(rng, p.saturday.0, p.saturday.1),
        Weekday::Sunday if rng.unit() < 0.7 => 0,
        Weekday::Sunday => pick(rng, 8, 16),
        _ => pick(rng, p.weekday.0, p.weekday.1),
    };
    input.atomizer_hours = hours(halves);
    input.atomizer_scheduled = halves > 0;
    if input.secondary_hours.is_some() {
        let second = if is_weekday(date) && rng.unit() < 0.45 {
            pick(rng, 8, 16)
        } else {
            0
        };
        input.secondary_hours = Some(hours(second));
        input.secondary_scheduled = Some(second > 0);
    }
    let mut on: Vec<&str> = Vec::new();
    if let Some((base, cover)) = &p.base {
        if is_weekday(date) && rng.unit() < BASE_DOWN && !cover.is_empty() {
            on.extend(cover.iter().map(String::as_str));
        } else {
            on.push(base);
        }
    }
    let with_base = p.base.is_some();
    if let Some(line) = turn(&p, date)
        && (weekday != Weekday::Saturday || !with_base || rng.unit() < 0.5)
    {
        on.push(line);
    }
    if weekday == Weekday::Sunday {
        on.retain(|_| rng.unit() < 0.5);
    }
    let dryers_on = match weekday {
        Weekday::Saturday => 0.7,
        Weekday::Sunday => 0.1,
        _ => 0.9,
    };
    for e in unit.toggled() {
        let value = match e.kind {
            EquipmentKind::Dryer => rng.unit() < dryers_on,
            _ => on.contains(&e.code.as_str()),
        };
        input.lines.insert(e.code.clone(), value);
    }
    input
}

/// The QDS `input` gives (the manual value when set).
pub fn qds_of(unit: &GasUnit, input: &EntryInput) -> Result<Decimal> {
    let entry = DailyEntry {
        unit: unit.code.clone(),
        date: input.date,
        atomizer_scheduled: input.atomizer_scheduled,
        atomizer_hours: input.atomizer_hours,
        secondary_scheduled: input.secondary_scheduled,
        secondary_hours: input.secondary_hours,
        lines: input.lines.clone(),
        observations: input.observations.clone(),
        qds_manual: input.qds_manual.map(|value| ManualQds {
            value,
            by: String::new(),
            at: Timestamp::UNIX_EPOCH,
        }),
    };
    Ok(calc::qds(unit, &entry)?.effective)
}

/// `base` times (1 + `fraction`), in whole m³ as the meters give them.
fn scaled(base: Decimal, fraction: f64) -> Decimal {
    let v = base.to_f64().unwrap_or(0.0) * (1.0 + fraction);
    Decimal::from(v.round() as i64)
}

/// The lines and dryers of `unit` that are on in `input`, largest rate first.
fn largest_on(unit: &GasUnit, input: &EntryInput) -> Vec<(String, String, Decimal)> {
    let mut on: Vec<(String, String, Decimal)> = unit
        .toggled()
        .into_iter()
        .filter(|e| input.lines.get(&e.code).copied().unwrap_or(false))
        .filter_map(|e| Some((e.code.clone(), e.name.clone(), e.rate_on(input.date)?)))
        .collect();
    on.sort_by(|a, b| b.2.cmp(&a.2).then(a.0.cmp(&b.0)));
    on
}

fn names_pt(names: &[String]) -> String {
    match names {
        [] => String::new(),
        [one] => one.clone(),
        [rest @ .., last] => format!("{} e {last}", rest.join(", ")),
    }
}

/// One unit's day: (special, entry, QDP, QDR before the meter cut-off).
fn unit_day(
    unit: &GasUnit,
    date: Date,
    special: Option<&(Special, String)>,
) -> Result<(Option<Special>, Option<EntryInput>, Decimal, Decimal)> {
    let mut rng = Rng::new(day_seed(&unit.code, date));
    let mut programmed = ordinary(unit, date, &mut rng);
    let green = |rng: &mut Rng, actual: Decimal, qdp: Decimal| {
        let qdr = scaled(actual, rng.noise(0.02));
        let lo = scaled(qdp, -0.029);
        let hi = scaled(qdp, 0.029);
        qdr.clamp(lo, hi)
    };
    let Some((special, note)) = special else {
        let qdp = qds_of(unit, &programmed)?;
        let halves = (programmed.atomizer_hours * Decimal::TWO)
            .to_i64()
            .unwrap_or(0);
        // a weekday of 10 h or more: 1 to 2 h less still leaves a working day
        let short = is_weekday(date) && halves >= 20 && rng.unit() < 0.08;
        if !short {
            let qdr = green(&mut rng, qdp, qdp);
            return Ok((None, Some(programmed), qdp, qdr));
        }
        let less = pick(&mut rng, 2, 4);
        let reason = SHORT_REASONS[pick(&mut rng, 0, SHORT_REASONS.len() as i64 - 1) as usize];
        let mut actual = programmed;
        actual.atomizer_hours = hours(halves - less);
        let atomizer = unit
            .atomizers()
            .first()
            .map_or("Atomizador", |a| a.name.as_str());
        actual.observations = format!(
            "{atomizer} parado {} {reason}; programação (QDP) mantida.",
            hours_pt(less)
        );
        let qdr = green(&mut rng, qds_of(unit, &actual)?, qdp);
        return Ok((None, Some(actual), qdp, qdr));
    };
    let special = *special;
    let mut entry = match special {
        Special::Maintenance => {
            programmed.atomizer_hours = Decimal::ZERO;
            programmed.atomizer_scheduled = false;
            if programmed.secondary_hours.is_some() {
                let h = pick(&mut rng, 32, 40);
                programmed.secondary_hours = Some(hours(h));
                programmed.secondary_scheduled = Some(true);
            }
            programmed.observations = note.clone();
            let qdp = qds_of(unit, &programmed)?;
            let qdr = green(&mut rng, qdp, qdp);
            return Ok((Some(special), Some(programmed), qdp, qdr));
        }
        Special::Missing => {
            let qdp = qds_of(unit, &programmed)?;
            let qdr = green(&mut rng, qdp, qdp);
            return Ok((Some(special), None, qdp, qdr));
        }
        _ => programmed.clone(),
    };
    entry.observations = note.clone();
    let (qdp, qdr) = match special {
        Special::Stop => {
            let qdp = qds_of(unit, &programmed)?;
            entry.atomizer_hours = hours(12);
            entry.atomizer_scheduled = true;
            let off: Vec<(String, String, Decimal)> =
                largest_on(unit, &entry).into_iter().take(3).collect();
            for (code, _, _) in &off {
                entry.lines.insert(code.clone(), false);
            }
            let names: Vec<String> = unit
                .toggled()
                .into_iter()
                .filter(|e| off.iter().any(|(code, _, _)| *code == e.code))
                .map(|e| e.code.clone())
                .collect();
            entry.observations = note.replace("{lines}", &names_pt(&names));
            let qdr = scaled(qds_of(unit, &entry)?, rng.noise(0.01));
            (qdp, qdr)
        }
        Special::PlanNotRevised => {
            // 20 h, as the note says: well off a plan without the atomizer, whatever the day
            entry.atomizer_hours = hours(40);
            entry.atomizer_scheduled = true;
            let mut plan = programmed.clone();
            plan.atomizer_hours = Decimal::ZERO;
            plan.atomizer_scheduled = false;
            let qdp = qds_of(unit, &plan)?;
            let qdr = scaled(qds_of(unit, &entry)?, rng.noise(0.01));
            (qdp, qdr)
        }
        Special::Off(permille) => {
            let qdp = qds_of(unit, &entry)?;
            let qdr = scaled(qdp, f64::from(permille) / 1000.0 + rng.noise(0.003));
            (qdp, qdr)
        }
        Special::ManualQds => {
            let (code, name, rate) = unit
                .toggled()
                .into_iter()
                .filter_map(|e| Some((e.code.clone(), e.name.clone(), e.rate_on(date)?)))
                .max_by(|a, b| a.2.cmp(&b.2))
                .context("a unit with a line for the manual QDS")?;
            entry.lines.insert(code, true);
            let calculated = qds_of(unit, &entry)?;
            entry.qds_manual = Some((calculated - rate / Decimal::TWO).round());
            entry.observations = note.replace("{line}", &name.to_lowercase());
            let qdp = qds_of(unit, &entry)?;
            (qdp, green(&mut rng, qdp, qdp))
        }
        Special::Maintenance | Special::Missing => unreachable!("returned above"),
    };
    Ok((Some(special), Some(entry), qdp, qdr))
}

/// The demo days of `units` (unit by unit, oldest day first) for a tenant whose local date is
/// `today`: from the first of the month [`MONTHS_BACK`] months back to yesterday. Special days
/// of units not among `units` are left out.
pub fn demo_days(units: &[GasUnit], today: Date) -> Result<Vec<DemoDay>> {
    let first = first_day(today)?;
    let last = today.yesterday()?;
    let specials = specials(first)?;
    let mut out = Vec::new();
    for unit in units {
        let mut date = first;
        while date <= last {
            let special = specials.get(&(unit.code.clone(), date));
            let (special, entry, qdp, qdr) = unit_day(unit, date, special)
                .with_context(|| format!("demo gas day {} {date}", unit.code))?;
            let back = today.since(date)?.get_days();
            out.push(DemoDay {
                unit: unit.code.clone(),
                date,
                special,
                entry,
                qdp,
                qdr: (i64::from(back) > METER_DAYS).then_some(qdr),
            });
            date = date.tomorrow()?;
        }
    }
    Ok(out)
}

/// A plan (QDP) programmed ahead of its day: today's, approved by the supervisor, and
/// tomorrow's, pending approval. Neither day has an entry or a QDR yet.
#[derive(Debug, Clone, PartialEq)]
pub struct PlanAhead {
    pub unit: String,
    pub date: Date,
    pub qdp: Decimal,
    pub approved: bool,
}

/// Today's and tomorrow's plans of `units` (unit by unit), computed as every past day's plan:
/// from what the unit is programmed to run that day, special days included, so the plan is the
/// one the day gets when it is generated as a past day later.
pub fn plans_ahead(units: &[GasUnit], today: Date) -> Result<Vec<PlanAhead>> {
    let specials = specials(first_day(today)?)?;
    let mut out = Vec::new();
    for unit in units {
        for (date, approved) in [(today, true), (today.tomorrow()?, false)] {
            let special = specials.get(&(unit.code.clone(), date));
            let (_, _, qdp, _) = unit_day(unit, date, special)
                .with_context(|| format!("demo gas plan {} {date}", unit.code))?;
            out.push(PlanAhead {
                unit: unit.code.clone(),
                date,
                qdp,
                approved,
            });
        }
    }
    Ok(out)
}

/// The seeded units (sample-data/gas/units.toml, compiled in), parsed once: the gas meters'
/// model follows them.
fn seed_units() -> &'static [GasUnit] {
    static UNITS: OnceLock<Vec<GasUnit>> = OnceLock::new();
    UNITS.get_or_init(|| {
        match seed::parse(
            "sample-data/gas/units.toml",
            seed::UNITS_TOML,
            ACTOR,
            Timestamp::UNIX_EPOCH,
        ) {
            Ok(s) => s.units,
            Err(e) => {
                // Tested not to happen; the meters then keep their flat model.
                tracing::warn!("demo gas: the built-in units do not parse: {e:#}");
                Vec::new()
            }
        }
    })
}

/// The volume (m³) the gas meter `device` of a demo unit measures on `date`: the real
/// consumption the demo generates for that unit and day, as a run of `load` on the next day
/// generates it (special days included; they never fall at a month's end, where the range
/// moves), with the seeded rates. None for a device that is no demo unit's meter.
///
/// The demo telemetry scales the meter's flow curve to it (`demo_telemetry`), so the QDR the
/// site services derive from the meter for the last [`METER_DAYS`] days is what the unit burned,
/// not a flat figure that a Sunday or a one-line day would be far from.
pub fn metered_volume(device: &str, date: Date) -> Option<f64> {
    static CACHE: Mutex<BTreeMap<(String, Date), Option<f64>>> = Mutex::new(BTreeMap::new());
    let key = (device.to_owned(), date);
    if let Some(hit) = CACHE.lock().ok().and_then(|c| c.get(&key).copied()) {
        return hit;
    }
    let volume = (|| {
        let unit = seed_units()
            .iter()
            .find(|u| u.meter.as_deref() == Some(device))?;
        let specials = specials(first_day(date.tomorrow().ok()?).ok()?).ok()?;
        let special = specials.get(&(unit.code.clone(), date));
        let (_, _, _, qdr) = unit_day(unit, date, special).ok()?;
        qdr.to_f64()
    })();
    if let Ok(mut c) = CACHE.lock() {
        c.insert(key, volume);
    }
    volume
}

/// The tenant's local date.
pub fn local_today(site: &Site) -> Result<Date> {
    Ok(crate::clock::now()
        .to_zoned(site.tenant_config(Some(TENANT))?.zone())
        .date())
}

/// Writes the demo gas data of tenant "ceramica" (see the module doc) as `actor`, who must be
/// a supervisor or an admin there (past days, approvals); `today` is the tenant's local date.
/// Nothing happens when the site has no such tenant. Returns how many records (entries, plans,
/// QDRs) were written; records already stored are left as they are (but for the approval of a
/// pending demo plan whose day has come).
pub fn load(site: &Site, actor: &str, today: Date) -> Result<usize> {
    if site.config.tenant(TENANT).is_none() {
        return Ok(0);
    }
    let started = Instant::now();
    let tenant = site.open_tenant(TENANT)?;
    let written = load_tenant(&tenant, actor, today)
        .with_context(|| format!("writing the demo gas data of tenant '{TENANT}'"))?;
    tracing::info!(
        records = written,
        elapsed_ms = started.elapsed().as_millis() as u64,
        "demo gas data loaded"
    );
    Ok(written)
}

/// `load` into an open tenant whose gas units are seeded.
///
/// One write transaction per month rather than one per record through the services (about 900
/// commits, a second in a debug build); the services' rules are applied first, so a refusal
/// writes nothing: the roles (`entries::require`: past days and approvals need a supervisor or
/// an admin), `entries::check_entry` for every entry, no negative QDP or QDR. The records are
/// built as the services build them: lines left out stored as off, observations trimmed, the
/// manual QDS stamped with `actor`; a plan is created, then approved (two audited writes, as
/// `save_plan` then `approve_plan`); QDRs come from an import.
pub fn load_tenant(tenant: &Tenant, actor: &str, today: Date) -> Result<usize> {
    for action in [
        GasAction::Enter,
        GasAction::EnterPast,
        GasAction::Plan,
        GasAction::ApprovePlan,
        GasAction::EnterQdr,
    ] {
        entries::require(tenant, actor, action)?;
    }
    let units: Vec<GasUnit> = tenant
        .list::<GasUnit>()?
        .into_iter()
        .map(|u| u.value)
        .filter(|u| u.active)
        .collect();
    let days = demo_days(&units, today)?;
    let mut months: BTreeMap<Date, Vec<(&GasUnit, &DemoDay)>> = BTreeMap::new();
    for d in &days {
        let unit = units
            .iter()
            .find(|u| u.code == d.unit)
            .context("a demo day of a unit not loaded")?;
        let at = || format!("demo gas day {} {}", d.unit, d.date);
        if let Some(input) = &d.entry
            && let Some(e) = entries::check_entry(unit, input, today).into_iter().next()
        {
            return Err(anyhow::Error::from(e).context(at()));
        }
        let quantities = [
            ("qdp", Some(d.qdp), "a plan"),
            ("qdr", d.qdr, "a real consumption"),
        ];
        for (field, value, what) in quantities {
            if let Some(e) = value.and_then(|v| entries::check_quantity(field, v, what)) {
                return Err(anyhow::Error::from(e).context(at()));
            }
        }
        months
            .entry(d.date.first_of_month())
            .or_default()
            .push((unit, d));
    }
    let ahead = plans_ahead(&units, today)?;
    let mut ahead_by_month: BTreeMap<Date, Vec<&PlanAhead>> = BTreeMap::new();
    for p in &ahead {
        if let Some(e) = entries::check_quantity("qdp", p.qdp, "a plan") {
            return Err(
                anyhow::Error::from(e).context(format!("demo gas plan {} {}", p.unit, p.date))
            );
        }
        months.entry(p.date.first_of_month()).or_default();
        ahead_by_month
            .entry(p.date.first_of_month())
            .or_default()
            .push(p);
    }
    let mut written = 0;
    for (first, month) in &months {
        let plans = ahead_by_month.get(first).map_or(&[][..], Vec::as_slice);
        written += tenant.write_if(actor, |tx| {
            let mut n = 0;
            for (unit, d) in month {
                n += write_day(tx, unit, d)?;
            }
            for p in plans {
                n += write_plan(tx, &p.unit, p.date, p.qdp, p.approved)?;
            }
            Ok((n > 0, n))
        })?;
    }
    Ok(written)
}

/// The demo's plan of `unit` on `date`: created (and approved when `approve`) when there is none;
/// when it is stored still pending with this very QDP (the demo wrote it ahead, as tomorrow's)
/// and `approve`, approved now that its day has come. A plan someone changed is left as it is.
/// Returns how many records it wrote (0 or 1).
fn write_plan(
    tx: &mut Tx,
    unit: &str,
    date: Date,
    qdp: Decimal,
    approve: bool,
) -> opsdeck_storage::Result<usize> {
    let key = day_key(unit, date);
    let plan = match tx.get::<DailyPlan>(&key)? {
        None => tx.insert(
            &key,
            DailyPlan {
                unit: unit.to_owned(),
                date,
                qdp,
                approved_by: None,
                approved_at: None,
            },
        )?,
        Some(cur) if approve && cur.value.approved_by.is_none() && cur.value.qdp == qdp => cur,
        Some(_) => return Ok(0),
    };
    if approve {
        // Two audited writes, as `save_plan` then `approve_plan`.
        let approved = DailyPlan {
            approved_by: Some(tx.actor().to_owned()),
            approved_at: Some(tx.now()),
            ..plan.value
        };
        tx.update(&key, plan.version, approved)?;
    }
    Ok(1)
}

/// The records of one demo day that are not stored yet (a pending plan of the demo's is
/// approved, see [`write_plan`]); returns how many it wrote.
fn write_day(tx: &mut Tx, unit: &GasUnit, d: &DemoDay) -> opsdeck_storage::Result<usize> {
    let key = day_key(&d.unit, d.date);
    let mut n = 0;
    if let Some(input) = &d.entry
        && tx.get::<DailyEntry>(&key)?.is_none()
    {
        let mut lines: BTreeMap<String, bool> = unit
            .toggled()
            .iter()
            .map(|e| (e.code.clone(), false))
            .collect();
        lines.extend(input.lines.clone());
        let qds_manual = input.qds_manual.map(|value| ManualQds {
            value,
            by: tx.actor().to_owned(),
            at: tx.now(),
        });
        let entry = DailyEntry {
            unit: unit.code.clone(),
            date: input.date,
            atomizer_scheduled: input.atomizer_scheduled,
            atomizer_hours: input.atomizer_hours,
            secondary_scheduled: input.secondary_scheduled,
            secondary_hours: input.secondary_hours,
            lines,
            observations: input.observations.trim_end().to_owned(),
            qds_manual,
        };
        tx.insert(&key, entry)?;
        n += 1;
    }
    n += write_plan(tx, &d.unit, d.date, d.qdp, true)?;
    if let Some(qdr) = d.qdr
        && tx.get::<RealConsumption>(&key)?.is_none()
    {
        tx.insert(
            &key,
            RealConsumption {
                unit: d.unit.clone(),
                date: d.date,
                qdr,
                source: QdrSource::Import,
            },
        )?;
        n += 1;
    }
    Ok(n)
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeSet;

    use jiff::civil::date;
    use opsdeck_storage::records::gas::Contract;

    use super::*;
    use crate::domain::gas::calc::Band;
    use crate::domain::gas::month::{self, Month};
    use crate::domain::gas::seed;
    use crate::site::access;
    use crate::site::paths::SiteDir;

    /// A Wednesday: the range is 2026-01-01 to 2026-03-17.
    const TODAY: Date = date(2026, 3, 18);

    /// A site in a tempdir with the demo's tenants and the gas units seeded, like the demo.
    fn demo_site(dir: &std::path::Path) -> Site {
        let (site, _) =
            crate::site::demo::site_and_tenants(&SiteDir::new(dir.join("site"))).unwrap();
        let tenant = site.open_tenant(TENANT).unwrap();
        seed::load(&tenant, &access::os_user()).unwrap();
        site
    }

    fn seed_units() -> (Vec<GasUnit>, Contract) {
        let s = seed::parse("units.toml", seed::UNITS_TOML, "t", Timestamp::UNIX_EPOCH).unwrap();
        (s.units, s.contract)
    }

    fn months(tenant: &Tenant, today: Date) -> Vec<Month> {
        let first = first_day(today).unwrap();
        (0..=MONTHS_BACK)
            .map(|m| month::month(tenant, month_first(first, m).unwrap()).unwrap())
            .collect()
    }

    fn loaded() -> (tempfile::TempDir, Site, usize) {
        let dir = tempfile::tempdir().unwrap();
        let site = demo_site(dir.path());
        let started = Instant::now();
        let n = load(&site, &access::os_user(), TODAY).unwrap();
        eprintln!(
            "demo_gas::load wrote {n} records in {:?}",
            started.elapsed()
        );
        (dir, site, n)
    }

    #[test]
    fn every_unit_and_day_has_an_entry_but_the_one_missing() {
        let (_dir, site, written) = loaded();
        let tenant = site.open_tenant(TENANT).unwrap();
        let yesterday = TODAY.yesterday().unwrap();
        let mut missing = Vec::new();
        let (mut entries, mut plans, mut qdrs, mut days) = (0, 0, 0, 0);
        for m in months(&tenant, TODAY) {
            let codes: Vec<&str> = m.units.iter().map(|u| u.code.as_str()).collect();
            assert_eq!(codes.len(), 3, "{codes:?}");
            for day in &m.days {
                for (unit, cell) in m.units.iter().zip(&day.units) {
                    if day.date > yesterday {
                        // today's entry is the user's; only today's and tomorrow's plans
                        assert!(cell.entry.is_none() && cell.qdr.is_none());
                        let ahead = day.date <= TODAY.tomorrow().unwrap();
                        assert_eq!(cell.qdp.is_some(), ahead, "{} {}", unit.code, day.date);
                        assert_eq!(cell.plan_approved, day.date == TODAY);
                        plans += usize::from(ahead);
                        continue;
                    }
                    days += 1;
                    match &cell.entry {
                        Some(_) => entries += 1,
                        None => missing.push((unit.code.clone(), day.date)),
                    }
                    assert!(cell.plan_approved, "{} {}", unit.code, day.date);
                    assert!(matches!(cell.qds, None | Some(Ok(_))));
                    plans += 1;
                    qdrs += usize::from(cell.qdr.is_some());
                }
            }
        }
        // 2026-01-01 .. 2026-03-17: 31 + 28 + 17 days, three units
        assert_eq!(days, 76 * 3);
        // the first Wednesday from the 10th of the previous month
        assert_eq!(missing, [("URU".to_owned(), date(2026, 2, 11))]);
        assert_eq!(written, entries + plans + qdrs);
        assert_eq!(plans, (76 + 2) * 3, "every past day, today and tomorrow");
        assert_eq!(qdrs, (76 - METER_DAYS as usize) * 3);
        // the entries keep their notes; one manual QDS, explained
        let stored = tenant.list::<DailyEntry>().unwrap();
        let manual: Vec<&DailyEntry> = stored
            .iter()
            .map(|e| &e.value)
            .filter(|e| e.qds_manual.is_some())
            .collect();
        assert_eq!(manual.len(), 1);
        assert!(manual[0].observations.contains("manualmente"));
        let maintenance = stored
            .iter()
            .filter(|e| {
                is_weekday(e.value.date)
                    && !e.value.atomizer_scheduled
                    && e.value.atomizer_hours.is_zero()
                    && !e.value.observations.is_empty()
            })
            .count();
        // one a month per unit; in March CRI's (the 9th) and URU's (the 17th) are before today
        assert_eq!(maintenance, 8);
    }

    #[test]
    fn the_data_shows_every_band_ok_and_nok_and_leaves_the_last_days_to_the_meters() {
        let (_dir, site, _) = loaded();
        let tenant = site.open_tenant(TENANT).unwrap();
        let meters_from = TODAY
            .checked_sub(jiff::Span::new().days(METER_DAYS))
            .unwrap();
        let yesterday = TODAY.yesterday().unwrap();
        let mut unit_bands: BTreeMap<&str, Vec<(String, Date)>> = BTreeMap::new();
        let mut day_bands: BTreeMap<&str, Vec<Date>> = BTreeMap::new();
        let (mut ok, mut nok) = (0, 0);
        let months = months(&tenant, TODAY);
        for m in &months {
            for day in m.days.iter().filter(|d| d.date <= yesterday) {
                for (unit, cell) in m.units.iter().zip(&day.units) {
                    if day.date >= meters_from {
                        assert_eq!(cell.qdr, None, "{} {}", unit.code, day.date);
                        continue;
                    }
                    let (qdr, source) = cell.qdr.unwrap();
                    assert_eq!(source, QdrSource::Import);
                    let band = cell.band().unwrap();
                    let name = match band {
                        Band::Green => "green",
                        Band::Yellow => "yellow",
                        Band::Red => "red",
                    };
                    unit_bands
                        .entry(name)
                        .or_default()
                        .push((unit.code.clone(), day.date));
                    if band == Band::Green {
                        let qdp = cell.qdp.unwrap();
                        assert!(
                            (qdr - qdp).abs() <= qdp * Decimal::new(3, 2),
                            "{} {}: {qdr} against {qdp}",
                            unit.code,
                            day.date
                        );
                    }
                }
                let c = day.consolidated.unwrap();
                if c.ok {
                    ok += 1;
                } else {
                    nok += 1;
                }
                if let Some(d) = c.deviations
                    && day.date < meters_from
                {
                    let name = match calc::band(&d) {
                        Band::Green => "green",
                        Band::Yellow => "yellow",
                        Band::Red => "red",
                    };
                    day_bands.entry(name).or_default().push(day.date);
                }
            }
        }
        eprintln!("unit-days: yellow {:?}", unit_bands.get("yellow"));
        eprintln!("unit-days: red {:?}", unit_bands.get("red"));
        eprintln!("days: yellow {:?}", day_bands.get("yellow"));
        eprintln!("days: red {:?}", day_bands.get("red"));
        eprintln!("OK {ok} NOK {nok}");
        assert_eq!(
            unit_bands["red"],
            [
                ("CRI".to_owned(), date(2026, 1, 15)),
                ("BOT".to_owned(), date(2026, 2, 19))
            ]
        );
        let yellow = unit_bands["yellow"].len();
        assert!((4..=8).contains(&yellow), "{yellow} yellow unit-days");
        assert!(unit_bands["green"].len() > 200);
        assert_eq!(day_bands["red"], [date(2026, 1, 15), date(2026, 2, 19)]);
        assert!(!day_bands["yellow"].is_empty());
        assert!(day_bands["green"].len() > 60);
        assert!(ok > nok && nok >= 5, "OK {ok} NOK {nok}");
    }

    #[test]
    fn an_operator_is_refused_and_nothing_is_written() {
        let dir = tempfile::tempdir().unwrap();
        let site = demo_site(dir.path());
        let tenant = site.open_tenant(TENANT).unwrap();
        let admin = access::os_user();
        crate::domain::users::add(
            &tenant,
            &admin,
            "olga",
            opsdeck_storage::records::user::Role::Operator,
            "Olga",
        )
        .unwrap();
        let e = load(&site, "olga", TODAY).unwrap_err();
        assert!(format!("{e:#}").contains("gas.entry.past"), "{e:#}");
        assert!(tenant.list::<DailyEntry>().unwrap().is_empty());
        assert!(tenant.list::<DailyPlan>().unwrap().is_empty());
        assert!(tenant.list::<RealConsumption>().unwrap().is_empty());
    }

    #[test]
    fn a_second_run_writes_nothing() {
        let (_dir, site, first) = loaded();
        assert!(first > 600, "{first}");
        let tenant = site.open_tenant(TENANT).unwrap();
        let counter = tenant.change_counter().unwrap();
        assert_eq!(load(&site, &access::os_user(), TODAY).unwrap(), 0);
        assert_eq!(tenant.change_counter().unwrap(), counter);
    }

    #[test]
    fn any_today_gets_one_missing_entry_two_red_days_and_valid_entries() {
        let (units, contract) = seed_units();
        let mut todays = Vec::new();
        for year in [2026, 2027, 2028] {
            for month in 1..=12 {
                let first = date(year, month, 1);
                for day in [1, 2, 3, 4, 15, first.days_in_month()] {
                    todays.push(date(year, month, day));
                }
            }
        }
        for today in todays {
            let days = demo_days(&units, today).unwrap();
            let first = first_day(today).unwrap();
            let n_days = today.since(first).unwrap().get_days() as usize;
            assert_eq!(days.len(), 3 * n_days, "{today}");
            let previous = month_first(first, 1).unwrap();
            let missing: Vec<&DemoDay> = days.iter().filter(|d| d.entry.is_none()).collect();
            assert_eq!(missing.len(), 1, "{today}");
            assert_eq!(missing[0].date.first_of_month(), previous);
            assert!(missing[0].qdr.is_some());
            let mut reds = 0;
            let mut yellows = 0;
            let mut dates = BTreeSet::new();
            for d in &days {
                assert!(dates.insert((d.unit.clone(), d.date)));
                let unit = units.iter().find(|u| u.code == d.unit).unwrap();
                if let Some(e) = &d.entry {
                    assert_eq!(
                        entries::check_entry(unit, e, today),
                        [],
                        "{} {}",
                        d.unit,
                        d.date
                    );
                    let qds = qds_of(unit, e).unwrap();
                    let nok = matches!(d.special, Some(Special::Stop | Special::PlanNotRevised))
                        || e.observations.contains("QDP");
                    assert_eq!(qds != d.qdp, nok, "{} {}", d.unit, d.date);
                }
                let back = today.since(d.date).unwrap().get_days();
                assert_eq!(d.qdr.is_none(), i64::from(back) <= METER_DAYS);
                let Some(qdr) = d.qdr else { continue };
                let band = calc::band(&calc::deviations(d.qdp, qdr, &contract));
                let expected = match d.special {
                    Some(Special::Stop | Special::PlanNotRevised) => Band::Red,
                    Some(Special::Off(_)) => Band::Yellow,
                    _ => Band::Green,
                };
                assert_eq!(
                    band, expected,
                    "{} {}: {qdr} against {}",
                    d.unit, d.date, d.qdp
                );
                reds += usize::from(band == Band::Red);
                yellows += usize::from(band == Band::Yellow);
            }
            assert_eq!(reds, 2, "{today}");
            assert!(yellows >= 5, "{today}");
        }
    }

    /// The consolidated QDS of every generated day with its three entries, by date.
    fn consolidated_qds(units: &[GasUnit], today: Date) -> BTreeMap<Date, Decimal> {
        let mut by_date: BTreeMap<Date, (Decimal, usize)> = BTreeMap::new();
        for d in demo_days(units, today).unwrap() {
            let unit = units.iter().find(|u| u.code == d.unit).unwrap();
            if let Some(e) = &d.entry {
                let day = by_date.entry(d.date).or_default();
                day.0 += qds_of(unit, e).unwrap();
                day.1 += 1;
            }
        }
        by_date
            .into_iter()
            .filter(|(_, (_, n))| *n == units.len())
            .map(|(date, (qds, _))| (date, qds))
            .collect()
    }

    #[test]
    fn weekdays_run_inside_the_contract_and_weekends_lower() {
        let (units, contract) = seed_units();
        let qdc = contract.qdc_limit;
        for month in 1..=12 {
            let today = date(2026, month, 25);
            let days = consolidated_qds(&units, today);
            let mean = |pick: &dyn Fn(Weekday) -> bool| {
                let v: Vec<Decimal> = days
                    .iter()
                    .filter(|(d, _)| pick(d.weekday()))
                    .map(|(_, q)| *q)
                    .collect();
                v.iter().sum::<Decimal>() / Decimal::from(v.len())
            };
            let weekdays = mean(&|w| !matches!(w, Weekday::Saturday | Weekday::Sunday));
            let saturdays = mean(&|w| w == Weekday::Saturday);
            let sundays = mean(&|w| w == Weekday::Sunday);
            assert!(
                weekdays >= Decimal::from(100_000) && weekdays <= qdc,
                "{today}: weekday mean {weekdays}"
            );
            let over: Vec<(Date, Decimal)> = days
                .iter()
                .filter(|(d, q)| is_weekday(**d) && **q > qdc)
                .map(|(d, q)| (*d, *q))
                .collect();
            assert!(over.len() <= 3, "{today}: weekdays above the QDC {over:?}");
            assert!(
                saturdays < weekdays * Decimal::new(9, 1),
                "{today}: Saturday mean {saturdays} against {weekdays}"
            );
            assert!(
                sundays < saturdays * Decimal::new(6, 1),
                "{today}: Sunday mean {sundays} against Saturday {saturdays}"
            );
        }
    }

    #[test]
    fn todays_plan_is_approved_and_tomorrows_waits_then_the_next_day_approves_it() {
        let (_dir, site, _) = loaded();
        let tenant = site.open_tenant(TENANT).unwrap();
        let me = access::os_user();
        let tomorrow = TODAY.tomorrow().unwrap();
        let (units, _) = seed_units();
        // the plans as a later run generates the days: programmed like every other day
        let later = demo_days(&units, date(2026, 3, 25)).unwrap();
        let plan_of = |unit: &str, date: Date| {
            tenant
                .get::<DailyPlan>(&day_key(unit, date))
                .unwrap()
                .map(|p| p.value)
        };
        for unit in ["CRI", "URU", "BOT"] {
            for (date, approved) in [(TODAY, true), (tomorrow, false)] {
                let plan = plan_of(unit, date).unwrap_or_else(|| panic!("{unit} {date}"));
                let expected = later
                    .iter()
                    .find(|d| d.unit == unit && d.date == date)
                    .unwrap();
                assert_eq!(plan.qdp, expected.qdp, "{unit} {date}");
                assert!(
                    plan.qdp > Decimal::from(15_000),
                    "{unit} {date}: {}",
                    plan.qdp
                );
                assert_eq!(plan.approved_by.as_deref() == Some(me.as_str()), approved);
                assert_eq!(plan.approved_by.is_some(), approved, "{unit} {date}");
                let key = day_key(unit, date);
                assert!(tenant.get::<DailyEntry>(&key).unwrap().is_none());
                assert!(tenant.get::<RealConsumption>(&key).unwrap().is_none());
            }
        }
        // someone changes Urussanga's plan for tomorrow: the next day leaves it pending
        entries::save_plan(&tenant, &me, "URU", tomorrow, Decimal::from(30_000)).unwrap();
        // The next day: yesterday's entries and plans (today's plan of the day before is kept),
        // today's plan approved, a new tomorrow pending.
        let next = tomorrow;
        let written = load(&site, &me, next).unwrap();
        // 3 entries, 3 QDRs (the day METER_DAYS + 1 back), 2 approvals, 3 plans for tomorrow
        assert_eq!(written, 3 + 3 + 2 + 3);
        for unit in ["CRI", "BOT"] {
            assert!(plan_of(unit, next).unwrap().approved_by.is_some(), "{unit}");
        }
        let changed = plan_of("URU", next).unwrap();
        assert_eq!(
            (changed.qdp, changed.approved_by),
            (Decimal::from(30_000), None)
        );
        for unit in ["CRI", "URU", "BOT"] {
            let after = plan_of(unit, next.tomorrow().unwrap()).unwrap();
            assert!(after.approved_by.is_none(), "{unit}");
            assert!(
                tenant
                    .get::<DailyEntry>(&day_key(unit, TODAY))
                    .unwrap()
                    .is_some()
            );
        }
        assert_eq!(load(&site, &me, next).unwrap(), 0);
    }
}
