//! The demo's ledger ("Orçamento Vivo").
//!
//! Tenant "hospital": cost centers for the hospital's HVAC (the chilled-water plant, the
//! critical areas, wards and support, the annex), a budget for the whole year by cost center
//! and category with figures of a 300-bed hospital's chilled-water plant (a maintenance
//! contract, parts, in-house labor, the plant's electricity), and then the work-order history
//! posted through the real consumer (estimates committed when orders started, cost lines
//! realized on close, what was left released). The plant's electricity bills are realized by
//! finance each month; a negotiated discount and an avoided call-out are savings with reasons.
//! The months of the year before the work-order history carry the cost finance migrated from
//! its previous cost sheet. Every month up to the one before last is closed (the last of them
//! with an override: orders still running); a contractor's late invoice for it arrives
//! afterwards and lands in the next month as an adjustment naming its original month. The story: the chilled-water plant runs over its budget (chiller 2's
//! high-pressure trips, the refrigerant recovery nobody estimated, a hot summer on the bills),
//! the wards run under theirs.
//!
//! Tenant "ceramica": a cost center per plant unit covering its gas, a gas budget, the gas
//! tariff (effective-dated, readjusted on the 1st of last month), each day's QDR posted as an
//! estimated cost, and last month's supply invoices keyed by finance (estimate vs invoice).

use anyhow::{Context, Result};
use jiff::civil::Date;
use jiff::tz::TimeZone;
use jiff::{Timestamp, ToSpan};
use opsdeck_storage::Tenant;
use opsdeck_storage::records::ledger::{CcKind, CostCenter, Month, Phase, SourceLink};
use rust_decimal::Decimal;

use crate::domain::ledger::budget::{self, LineInput};
use crate::domain::ledger::manual::{self, ManualInput};
use crate::domain::ledger::posting::{self, Posting};
use crate::domain::ledger::{centers, consumer, gas as ledger_gas, periods};
use crate::site::Site;

pub const HOSPITAL: &str = "hospital";
pub const CERAMICA: &str = "ceramica";
/// Finance in each demo tenant (sample-data/users.csv).
const HOSPITAL_FINANCE: &str = "carla.mendes";
const CERAMICA_FINANCE: &str = "iara.campos";

fn d(v: &str) -> Decimal {
    v.parse().unwrap_or_default()
}

/// (code, name, parent, kind, covers)
type Center = (
    &'static str,
    &'static str,
    Option<&'static str>,
    CcKind,
    &'static [&'static str],
);

const HOSPITAL_CENTERS: &[Center] = &[
    (
        "HSC",
        "Hospital Santa Clara",
        None,
        CcKind::Site,
        &["site:Hospital Santa Clara"],
    ),
    (
        "HSC-CAG",
        "Central de água gelada",
        Some("HSC"),
        CcKind::Unit,
        &["area:Hospital Santa Clara/Casa de máquinas"],
    ),
    (
        "HSC-CRIT",
        "Áreas críticas (UTI, CC, PS)",
        Some("HSC"),
        CcKind::Area,
        &[
            "area:Hospital Santa Clara/UTI",
            "area:Hospital Santa Clara/Centro cirúrgico",
            "area:Hospital Santa Clara/Pronto-socorro",
            "area:Hospital Santa Clara/Banco de sangue",
            "area:Hospital Santa Clara/CME",
            "area:Hospital Santa Clara/Laboratório",
            "area:Hospital Santa Clara/Diagnóstico por imagem",
            "area:Hospital Santa Clara/Farmácia",
        ],
    ),
    (
        "HSC-INT",
        "Internação e apoio",
        Some("HSC"),
        CcKind::Area,
        &[
            "area:Hospital Santa Clara/Internação",
            "area:Hospital Santa Clara/Nutrição",
            "area:Hospital Santa Clara/Recepção",
            "area:Hospital Santa Clara/Necrotério",
            "area:Hospital Santa Clara/TI",
        ],
    ),
    (
        "HSA",
        "Anexo",
        None,
        CcKind::Site,
        &["site:Hospital Santa Clara — Anexo"],
    ),
    (
        "HSA-AMB",
        "Ambulatório e administração",
        Some("HSA"),
        CcKind::Area,
        &[
            "area:Hospital Santa Clara — Anexo/Ambulatório",
            "area:Hospital Santa Clara — Anexo/Administração",
        ],
    ),
];

/// Monthly planned R$ per (cost center, category); the plant's electricity follows the season.
const HOSPITAL_BUDGET: &[(&str, &str, &str)] = &[
    ("HSC-CAG", "services", "3200"),
    ("HSC-CAG", "parts", "2400"),
    ("HSC-CAG", "labor", "1500"),
    ("HSC-CRIT", "services", "1100"),
    ("HSC-CRIT", "parts", "3400"),
    ("HSC-CRIT", "labor", "1300"),
    ("HSC-INT", "services", "1800"),
    ("HSC-INT", "parts", "2600"),
    ("HSC-INT", "labor", "2900"),
    ("HSA-AMB", "services", "600"),
    ("HSA-AMB", "parts", "700"),
    ("HSA-AMB", "labor", "800"),
];

/// The plant's electricity budget by month (R$): summer (Dec-Mar) is the chillers' season.
const CAG_ENERGY: [&str; 12] = [
    "118000", "121000", "112000", "96000", "82000", "74000", "72000", "76000", "84000", "94000",
    "103000", "114000",
];

/// What the plant's bills came to, as a share of the month's budget (a hot spring).
const CAG_ENERGY_ACTUAL: [&str; 12] = [
    "1.02", "1.04", "0.99", "1.01", "0.97", "0.98", "1.00", "1.03", "1.06", "1.09", "1.11", "1.08",
];

/// What finance set as each procedure's standard cost (R$): a preventive order made with the
/// procedure gets it as its estimate.
const STANDARD_COSTS: &[(&str, &str, &str)] = &[
    (
        "PMOC-SPLIT-M",
        "180",
        "limpeza de filtros e medições, 1 h de técnico + materiais",
    ),
    ("PMOC-FC-M", "220", "fan coil: filtros, dreno e medições"),
    ("PMOC-UTA-FILTRO", "650", "troca de filtros G4/F7 da UTA"),
    (
        "CH-TRIM",
        "2800",
        "inspeção trimestral do chiller com o fabricante",
    ),
    ("BOMBA-500H", "450", "lubrificação e alinhamento da bomba"),
    (
        "CF-CONDENSADOR",
        "380",
        "limpeza do condensador da câmara fria",
    ),
];

/// The procedures' standard costs of the hospital (before its orders are made).
pub fn standard_costs(site: &Site, me: &str) -> Result<()> {
    if site.config.tenant(HOSPITAL).is_none() {
        return Ok(());
    }
    let t = site.open_tenant(HOSPITAL)?;
    for (procedure, amount, note) in STANDARD_COSTS {
        if t.get::<opsdeck_storage::records::work_order::Procedure>(procedure)?
            .is_some()
        {
            centers::set_standard_cost(&t, me, procedure, Some(d(amount)), note)?;
        }
    }
    Ok(())
}

/// Loads the ledger of both demo tenants (after the work-order history and the gas data).
pub fn load(site: &Site, me: &str) -> Result<()> {
    if site.config.tenant(HOSPITAL).is_some() {
        let tz = site.tenant_config(Some(HOSPITAL))?.zone();
        let t = site.open_tenant(HOSPITAL)?;
        hospital(&t, me, &tz).context("writing the demo ledger of tenant 'hospital'")?;
    }
    if site.config.tenant(CERAMICA).is_some() {
        let tz = site.tenant_config(Some(CERAMICA))?.zone();
        let t = site.open_tenant(CERAMICA)?;
        ceramica(&t, me, &tz).context("writing the demo ledger of tenant 'ceramica'")?;
    }
    Ok(())
}

fn centers(t: &Tenant, me: &str, list: &[Center]) -> Result<()> {
    for (code, name, parent, kind, covers) in list {
        centers::set_cost_center(
            t,
            me,
            CostCenter {
                code: (*code).into(),
                name: (*name).into(),
                parent: parent.map(str::to_owned),
                kind: *kind,
                covers: covers.iter().map(|c| (*c).to_owned()).collect(),
                active: true,
            },
        )?;
    }
    Ok(())
}

fn at(day: Date, hour: i8, tz: &TimeZone) -> Result<Timestamp> {
    Ok(day.at(hour, 0, 0, 0).to_zoned(tz.clone())?.timestamp())
}

fn hospital(t: &Tenant, me: &str, tz: &TimeZone) -> Result<()> {
    let today = crate::clock::now_in(tz).date();
    let this = Month::of(today);
    // The work-order history spans about three months before today (cmms.rs).
    let history = Month::of(today.checked_sub(95.days())?);
    let first = Month::new(this.year(), 1).min(history);
    centers(t, me, HOSPITAL_CENTERS)?;
    // The budget of every year the story touches, keyed by finance in January.
    let mut lines = Vec::new();
    let mut row = 2;
    for year in [first.year(), this.year()] {
        if year == first.year() && year == this.year() && !lines.is_empty() {
            continue;
        }
        for m in 1..=12 {
            let month = Month::new(year, m);
            for (cc, cat, amount) in HOSPITAL_BUDGET {
                lines.push((row, line(month, cc, cat, d(amount))));
                row += 1;
            }
            lines.push((
                row,
                line(month, "HSC-CAG", "energy", d(CAG_ENERGY[m as usize - 1])),
            ));
            row += 1;
        }
    }
    let january = at(Month::new(first.year(), 1).first_day(), 10, tz)?;
    budget::import(&t.as_of(january.min(crate::clock::now())), me, &lines)?;
    // The work-order history, through the consumer like any order closed today.
    consumer::run(t, tz)?;
    let mut m = first;
    while m < this {
        let keyed = m.next().first_day().checked_add(2.days())?;
        // Before the history: the month's maintenance cost as finance brought it over from the
        // previous system's cost sheet when the site moved to opsdeck.
        if m < history {
            for (cc, cat, amount) in HOSPITAL_BUDGET {
                let share = match *cc {
                    "HSC-CAG" => "1.07",
                    "HSC-CRIT" => "0.96",
                    "HSC-INT" => "0.78",
                    _ => "0.84",
                };
                let wobble = Decimal::from(m.month() as i64 % 4) * d("0.01");
                post(
                    t,
                    tz,
                    keyed,
                    ManualInput {
                        phase: Phase::Realize,
                        date: m.last_day(),
                        cost_center: (*cc).into(),
                        category: (*cat).into(),
                        amount: (d(amount) * (d(share) + wobble)).round_dp(2),
                        description: format!("Custo de {m} migrado da planilha de custos anterior"),
                        reason: String::new(),
                        evidence: "planilha CUSTOS_HVAC.xlsx".into(),
                        against: None,
                        corrects: None,
                    },
                )?;
            }
        }
        // The plant's electricity bill, realized by finance on the 3rd of the next month.
        let i = m.month() as usize - 1;
        post(
            t,
            tz,
            keyed.min(today),
            ManualInput {
                phase: Phase::Realize,
                date: m.last_day(),
                cost_center: "HSC-CAG".into(),
                category: "energy".into(),
                amount: (d(CAG_ENERGY[i]) * d(CAG_ENERGY_ACTUAL[i])).round_dp(2),
                description: format!("Conta de energia da CAG {m} (Celesc, UC 4471-09)"),
                reason: String::new(),
                evidence: format!("fatura {m}"),
                against: None,
                corrects: None,
            },
        )?;
        m = m.next();
    }
    // Savings: a negotiated discount on the chiller contract, a call-out avoided by telemetry.
    let closed = this.prev().prev();
    let savings = [
        (
            closed.first_day().checked_add(14.days())?,
            "HSC-CAG",
            "services",
            "1850",
            "Desconto negociado no contrato de manutenção dos chillers (renovação)",
            "Renegociação: reajuste de 4,5% em vez de 9,8% (IGP-M)",
            "aditivo 03/2026 ao contrato 118/2024",
        ),
        (
            this.prev().first_day().checked_add(6.days())?,
            "HSC-CRIT",
            "services",
            "980",
            "Chamado de emergência evitado: alerta de temperatura da UTI tratado pela equipe",
            "Alerta de telemetria atendido antes da falha; sem visita da contratada",
            "OS corretiva da UTI e alerta de temperatura",
        ),
    ];
    for (day, cc, cat, amount, description, reason, evidence) in savings {
        if day <= today {
            post(
                t,
                tz,
                day,
                ManualInput {
                    phase: Phase::Savings,
                    date: day,
                    cost_center: cc.into(),
                    category: cat.into(),
                    amount: d(amount),
                    description: description.into(),
                    reason: reason.into(),
                    evidence: evidence.into(),
                    against: None,
                    corrects: None,
                },
            )?;
        }
    }
    // Every month up to the one before last is closed on the 5th of the next, in order; the
    // last of them with orders still running (an override with its reason).
    let mut m = first;
    while m <= closed {
        let close_day = m.next().first_day().checked_add(4.days())?;
        if close_day <= today
            && t.get::<opsdeck_storage::records::ledger::PeriodClose>(&m.to_string())?
                .is_none()
        {
            let handle = t.as_of(at(close_day, 17, tz)?);
            periods::close(
                &handle,
                HOSPITAL_FINANCE,
                m,
                tz,
                close_day,
                "Fechamento mensal: OS em andamento seguem como compromisso no mês seguinte",
            )?;
        }
        m = m.next();
    }
    // The contractor's complementary invoice for chiller 2's refrigerant recovery arrives after
    // the close: it lands in the next month as an adjustment naming its own.
    let late_day = this.prev().first_day().checked_add(7.days())?.min(today);
    if t.get::<opsdeck_storage::records::ledger::PeriodClose>(&closed.to_string())?
        .is_some()
    {
        let late = t.as_of(at(late_day, 11, tz)?);
        let mut p = Posting::new(
            format!("demo:nf-complementar:{closed}"),
            Phase::Realize,
            "services",
            d("2380"),
        );
        p.cost_center = Some("HSC-CAG".into());
        p.date = closed.last_day().checked_sub(3.days())?;
        p.description =
            "NF complementar Refrigeração Sul: recolhimento e carga de R-134a do chiller 2".into();
        p.link = SourceLink::Manual;
        late.write(HOSPITAL_FINANCE, |tx| {
            posting::emit(tx, "ledger", &p.source, &p)
        })?;
        consumer::run(t, tz)?;
    }
    Ok(())
}

fn line(month: Month, cc: &str, cat: &str, planned: Decimal) -> LineInput {
    LineInput {
        month,
        cost_center: cc.into(),
        category: cat.into(),
        planned,
        note: String::new(),
    }
}

/// A finance posting made on `day` (10:00 local).
fn post(t: &Tenant, tz: &TimeZone, day: Date, i: ManualInput) -> Result<()> {
    let handle = t.as_of(at(day, 10, tz)?);
    let who = if t.name() == CERAMICA {
        CERAMICA_FINANCE
    } else {
        HOSPITAL_FINANCE
    };
    let what = format!("{} {} {} on {}", i.phase, i.cost_center, i.category, i.date);
    manual::post(&handle, who, i).with_context(|| what)?;
    Ok(())
}

const CERAMICA_CENTERS: &[Center] = &[
    ("CER", "Cerâmica Sul — utilidades", None, CcKind::Site, &[]),
    (
        "CER-CRI",
        "Unidade Criciúma",
        Some("CER"),
        CcKind::Unit,
        &["gas:CRI"],
    ),
    (
        "CER-URU",
        "Unidade Urussanga",
        Some("CER"),
        CcKind::Unit,
        &["gas:URU"],
    ),
    (
        "CER-BOT",
        "Unidade Botucatu",
        Some("CER"),
        CcKind::Unit,
        &["gas:BOT"],
    ),
];

/// Monthly gas budget per unit (R$).
const GAS_BUDGET: &[(&str, &str)] = &[
    ("CER-CRI", "4300000"),
    ("CER-URU", "2250000"),
    ("CER-BOT", "3700000"),
];

fn ceramica(t: &Tenant, me: &str, tz: &TimeZone) -> Result<()> {
    let today = crate::clock::now_in(tz).date();
    let this = Month::of(today);
    centers(t, me, CERAMICA_CENTERS)?;
    let mut lines = Vec::new();
    for m in 1..=12 {
        for (i, (cc, amount)) in GAS_BUDGET.iter().enumerate() {
            lines.push((
                (m as u64 - 1) * 3 + i as u64 + 2,
                line(Month::new(this.year(), m), cc, "gas", d(amount)),
            ));
        }
    }
    budget::import(t, me, &lines)?;
    // The distributor's tariff (R$/m³ with taxes), readjusted on the 1st of last month.
    let start = Month::new(this.year(), 1)
        .first_day()
        .min(this.prev().prev().first_day());
    ledger_gas::set_tariff(
        t,
        CERAMICA_FINANCE,
        start,
        d("3.1850"),
        "Tabela industrial SCGÁS",
    )?;
    ledger_gas::set_tariff(
        t,
        CERAMICA_FINANCE,
        this.prev().first_day(),
        d("3.2740"),
        "Reajuste trimestral SCGÁS",
    )?;
    ledger_gas::post_estimates(t, start)?;
    // Last month's supply invoices, keyed on the 5th: a little above the estimate (the
    // distributor's metering and the transport charge).
    let last = this.prev();
    let estimated = ledger_gas::month_summary(t, last)?;
    let key_day = this.first_day().checked_add(4.days())?;
    if key_day <= today {
        let handle = t.as_of(at(key_day, 9, tz)?);
        for (unit, (estimate, invoiced)) in estimated {
            if invoiced.is_some() || estimate.is_zero() {
                continue;
            }
            let amount = (estimate * d("1.018")).round_dp(2);
            let volume = (amount / d("3.2740")).round_dp(0);
            ledger_gas::set_invoice(
                &handle,
                CERAMICA_FINANCE,
                &unit,
                last,
                &format!("SCG-{}-{unit}", last.key()),
                volume,
                amount,
            )?;
        }
    }
    Ok(())
}
