//! The worker's gas reads: what the Gas pane shows for a unit, a day and a month, turned into
//! view rows here (figures from `domain::gas::month`, each day with its own rates and contract),
//! so the UI thread only copies them in.

use jiff::civil::Date;
use opsdeck_storage::records::gas::{
    Contract, DailyEntry, DailyPlan, EquipmentKind, GasUnit, QdrSource, RealConsumption,
    contract_on, day_key,
};
use opsdeck_views::i18n::Locale;
use opsdeck_views::state::gas::{
    ContractRow, EquipmentRow, GasAdmin, GasBand, GasDayRow, GasMonth, GasReport, GasRights,
    GasView, PlanRow, RateRow, ReportRow,
};
use rust_decimal::Decimal;

use super::entry::{rate_text, rate_with_unit};
use super::protocol::{DayData, GasCmd, GasData, GasQuery, GasReply};
use super::write;
use crate::app::io::Io;
use crate::app::outcome::words;
use crate::app::protocol::Reply;
use crate::domain::access::{Permission, require, role_of};
use crate::domain::gas::calc::{self, Band};
use crate::domain::gas::entries::GasAction;
use crate::domain::gas::month::{self, DayRow, Month};
use crate::domain::service::Guarded;
use crate::report::gas::petrobras_file_name;

/// What the worker runs for the pane: its loads here, its writes in `write.rs`.
pub fn serve(io: &Io, cmd: GasCmd) -> Reply {
    match cmd {
        GasCmd::Load(q) => gas(io, q).map_or_else(
            |e| Reply::Error(words(io.locale, &e)),
            |d| Reply::Gas(GasReply::Loaded(Box::new(d))),
        ),
        write => write::write(io, write),
    }
}

pub fn band(b: Band) -> GasBand {
    match b {
        Band::Green => GasBand::Green,
        Band::Yellow => GasBand::Yellow,
        Band::Red => GasBand::Red,
    }
}

fn source_word(s: QdrSource) -> &'static str {
    match s {
        QdrSource::Manual => "manual",
        QdrSource::Api => "api",
        QdrSource::Import => "import",
    }
}

/// The row of `day` for unit index `unit`, or consolidated when None.
pub fn day_row(m: &Month, day: &DayRow, unit: Option<usize>, today: Date) -> GasDayRow {
    let future = day.date > today;
    let mut row = GasDayRow {
        date: day.date,
        future,
        ..GasDayRow::default()
    };
    let dev = match unit {
        Some(i) => {
            let Some(cell) = day.units.get(i) else {
                return row;
            };
            if cell.entry.is_none()
                && !future
                && let Some(u) = m.units.get(i)
            {
                row.missing = vec![u.code.clone()];
            }
            row.qds = cell.qds_value();
            row.qds_manual = matches!(&cell.qds, Some(Ok(q)) if q.manual);
            if let Some(Err(e)) = &cell.qds {
                row.problem = Some(e.clone());
            }
            row.qdp = cell.qdp;
            row.qdp_approved = cell.plan_approved;
            if let Some((v, s)) = cell.qdr {
                row.qdr = Some(v);
                row.qdr_source = source_word(s).into();
            }
            cell.deviations
        }
        None => {
            let cells = &day.units;
            if !future {
                row.missing = cells
                    .iter()
                    .zip(&m.units)
                    .filter(|(c, _)| c.entry.is_none())
                    .map(|(_, u)| u.code.clone())
                    .collect();
            }
            let problems: Vec<String> = cells
                .iter()
                .filter_map(|c| match &c.qds {
                    Some(Err(e)) => Some(e.clone()),
                    _ => None,
                })
                .collect();
            row.problem = (!problems.is_empty()).then(|| problems.join("; "));
            let any = |f: fn(&month::UnitCell) -> bool| cells.iter().any(f);
            let c = day.consolidated.as_ref();
            row.qds = c
                .filter(|_| any(|x| x.qds_value().is_some()))
                .map(|c| c.qds);
            row.qdp = c.filter(|_| any(|x| x.qdp.is_some())).map(|c| c.qdp);
            row.qdp_approved = row.qdp.is_some()
                && cells
                    .iter()
                    .filter(|x| x.qdp.is_some())
                    .all(|x| x.plan_approved);
            row.qdr = c.filter(|_| any(|x| x.qdr.is_some())).map(|c| c.qdr);
            row.qdc = c.map(|c| c.qdc);
            row.ok = c
                .filter(|_| row.qds.is_some() || row.qdp.is_some())
                .map(|c| c.ok);
            c.and_then(|c| c.deviations)
        }
    };
    if let Some(d) = dev {
        row.transport = Some((d.transport_min, d.transport_max));
        row.molecule = Some((d.molecule_min, d.molecule_max));
        row.delta_transport = Some(d.delta_transport);
        row.delta_molecule = Some(d.delta_molecule);
        row.percent_transport = Some(d.percent_transport);
        row.percent_molecule = Some(d.percent_molecule);
        row.band = Some(band(calc::band(&d)));
    }
    row
}

/// The month grid of unit index `unit` (None: consolidated).
pub fn grid(m: &Month, unit: Option<usize>, today: Date) -> GasMonth {
    let rows: Vec<GasDayRow> = m.days.iter().map(|d| day_row(m, d, unit, today)).collect();
    let sum = |f: fn(&GasDayRow) -> Option<Decimal>| rows.iter().filter_map(f).sum::<Decimal>();
    GasMonth {
        first: m.first,
        unit: unit.and_then(|i| m.units.get(i)).map(tab),
        total_qds: sum(|r| r.qds),
        total_qdp: sum(|r| r.qdp),
        total_qdr: sum(|r| r.qdr),
        days_missing: rows.iter().filter(|r| !r.missing.is_empty()).count(),
        days_yellow: rows
            .iter()
            .filter(|r| r.band == Some(GasBand::Yellow))
            .count(),
        days_red: rows.iter().filter(|r| r.band == Some(GasBand::Red)).count(),
        rows,
    }
}

/// The index of unit `code` among the units the month was computed with (read in the same
/// pass as its figures, so a unit switched on or off meanwhile cannot shift the columns).
fn index_in(m: &Month, code: Option<&str>) -> Option<usize> {
    m.units.iter().position(|u| Some(u.code.as_str()) == code)
}

pub fn tab(u: &GasUnit) -> opsdeck_views::state::gas::GasUnitTab {
    opsdeck_views::state::gas::GasUnitTab {
        code: u.code.clone(),
        name: u.name.clone(),
    }
}

/// The Petrobras preview: per unit QDS/QDP/QDR and the consolidated columns, day by day.
pub fn report(m: &Month, today: Date) -> GasReport {
    let rows = m
        .days
        .iter()
        .map(|d| ReportRow {
            date: d.date,
            units: d
                .units
                .iter()
                .map(|c| (c.qds_value(), c.qdp, c.qdr.map(|(v, _)| v)))
                .collect(),
            day: day_row(m, d, None, today),
        })
        .collect::<Vec<ReportRow>>();
    GasReport {
        first: m.first,
        totals: Some(report_totals(m, &rows)),
        rows,
        file_name: petrobras_file_name(m.first),
        ..GasReport::default()
    }
}

/// The totals row, as the workbook sums its columns.
fn report_totals(m: &Month, rows: &[ReportRow]) -> ReportRow {
    let total = |f: &dyn Fn(&ReportRow) -> Option<Decimal>| -> Option<Decimal> {
        let v: Vec<Decimal> = rows.iter().filter_map(f).collect();
        (!v.is_empty()).then(|| v.iter().sum())
    };
    let units = (0..m.units.len())
        .map(|i| {
            (
                total(&|r| r.units.get(i).and_then(|u| u.0)),
                total(&|r| r.units.get(i).and_then(|u| u.1)),
                total(&|r| r.units.get(i).and_then(|u| u.2)),
            )
        })
        .collect();
    ReportRow {
        date: m.first,
        units,
        day: GasDayRow {
            date: m.first,
            qds: total(&|r| r.day.qds),
            qdp: total(&|r| r.day.qdp),
            qdr: total(&|r| r.day.qdr),
            qdc: total(&|r| r.day.qdc),
            delta_transport: total(&|r| r.day.delta_transport),
            delta_molecule: total(&|r| r.day.delta_molecule),
            ..GasDayRow::default()
        },
    }
}

fn kind_word(locale: Locale, k: EquipmentKind) -> &'static str {
    match (locale, k) {
        (Locale::PtBr, EquipmentKind::Atomizer) => "atomizador",
        (Locale::PtBr, EquipmentKind::ProductionLine) => "linha",
        (Locale::PtBr, EquipmentKind::Dryer) => "secador",
        (Locale::En, EquipmentKind::Atomizer) => "atomizer",
        (Locale::En, EquipmentKind::ProductionLine) => "line",
        (Locale::En, EquipmentKind::Dryer) => "dryer",
    }
}

pub fn gas(io: &Io, q: GasQuery) -> anyhow::Result<GasData> {
    require(&io.tenant, &io.user, Permission::Read)?;
    let t = &io.tenant;
    let today = io.today();
    let units: Vec<GasUnit> = t
        .list::<GasUnit>()?
        .into_iter()
        .map(|u| u.value)
        .filter(|u| u.active)
        .collect();
    let role = role_of(t, &io.user)?;
    let can = |a: GasAction| role.is_some_and(|r| a.allowed(r));
    let rights = GasRights {
        enter: can(GasAction::Enter),
        enter_past: can(GasAction::EnterPast),
        approve: can(GasAction::ApprovePlan),
        configure: can(GasAction::Configure),
    };
    let assigned = crate::domain::gas::assign::units_of(t, &io.user).unwrap_or_default();
    let default_unit = assigned
        .into_iter()
        .find(|c| units.iter().any(|u| &u.code == c))
        .or_else(|| units.first().map(|u| u.code.clone()));
    let unit = if q.unit_chosen {
        q.unit.clone()
    } else {
        default_unit.clone()
    };
    let unit_index = unit
        .as_ref()
        .and_then(|c| units.iter().position(|u| &u.code == c));
    let first = q.month.unwrap_or(today).first_of_month();
    let mut data = GasData {
        query: GasQuery {
            unit: unit.clone(),
            ..q.clone()
        },
        today,
        units: units.clone(),
        rights,
        default_unit,
        day: None,
        month: None,
        plans: None,
        report: None,
        admin: None,
    };
    match q.view {
        GasView::Entry => {
            if let Some(code) = unit.as_ref().filter(|_| unit_index.is_some()) {
                data.day = Some(gas_day(io, code, q.day.unwrap_or(today))?);
            }
        }
        GasView::Month => {
            let m = month::month(t, first)?;
            let i = index_in(&m, unit.as_deref());
            data.month = Some(grid(&m, i, today));
        }
        GasView::Report => {
            let m = month::month(t, first)?;
            data.report = Some(report(&m, today));
        }
        GasView::Plans => {
            let m = month::month(t, first)?;
            if let Some(i) = index_in(&m, unit.as_deref()) {
                data.plans = Some(plan_rows(io, &m, i)?);
            }
        }
        GasView::Admin => data.admin = Some(gas_admin(io, &units, today)?),
    }
    Ok(data)
}

fn gas_day(io: &Io, unit: &str, date: Date) -> anyhow::Result<DayData> {
    let t = &io.tenant;
    let key = day_key(unit, date);
    let qdp = t.get::<DailyPlan>(&key)?.map(|p| p.value.qdp);
    let qdr = t.get::<RealConsumption>(&key)?.map(|r| r.value.qdr);
    let contracts: Vec<Contract> = t.list::<Contract>()?.into_iter().map(|c| c.value).collect();
    let band = match (qdp, qdr, contract_on(&contracts, date)) {
        (Some(p), Some(r), Some(c)) => Some(band(calc::band(&calc::deviations(p, r, c)))),
        _ => None,
    };
    Ok(DayData {
        unit: unit.to_owned(),
        date,
        entry: t.get::<DailyEntry>(&key)?,
        qdp,
        qdr,
        band,
    })
}

fn plan_rows(io: &Io, m: &Month, unit: usize) -> anyhow::Result<Vec<PlanRow>> {
    let Some(code) = m.units.get(unit).map(|u| &u.code) else {
        return Ok(Vec::new());
    };
    let mut rows = Vec::with_capacity(m.days.len());
    for d in &m.days {
        let plan = io.tenant.get::<DailyPlan>(&day_key(code, d.date))?;
        let cell = d.units.get(unit);
        rows.push(PlanRow {
            date: d.date,
            qdp: plan.as_ref().map(|p| p.value.qdp),
            qds: cell.and_then(|c| c.qds_value()),
            approved: plan.and_then(|p| {
                let at = p.value.approved_at?;
                Some(io.who(p.value.approved_by.as_deref()?, at))
            }),
        });
    }
    Ok(rows)
}

fn gas_admin(io: &Io, units: &[GasUnit], today: Date) -> anyhow::Result<(GasAdmin, Vec<Contract>)> {
    let l = io.locale;
    let mut equipment = Vec::new();
    for u in units {
        let mut eq: Vec<_> = u.equipment.iter().collect();
        eq.sort_by_key(|e| e.order);
        for e in eq {
            equipment.push(EquipmentRow {
                unit: u.code.clone(),
                code: e.code.clone(),
                name: e.name.clone(),
                kind: kind_word(l, e.kind).into(),
                rate: rate_text(l, e, today),
                active: e.active,
                history: e
                    .rates
                    .iter()
                    .map(|r| RateRow {
                        from: r.from,
                        rate: rate_with_unit(l, r.rate, e.rate_unit),
                        set: io.who(&r.by, r.at),
                        note: r.note.clone(),
                    })
                    .collect(),
            });
        }
    }
    let mut contracts: Vec<Contract> = io
        .tenant
        .list::<Contract>()?
        .into_iter()
        .map(|c| c.value)
        .collect();
    contracts.sort_by_key(|c| c.effective_from);
    let current = contract_on(&contracts, today).map(|c| c.effective_from);
    let rows = contracts
        .iter()
        .map(|c| ContractRow {
            from: c.effective_from,
            qdc: c.qdc_limit,
            transport: (c.transport_min, c.transport_max),
            molecule: (c.molecule_min, c.molecule_max),
            bonus: c.incentive_bonus,
            penalty: c.incentive_penalty,
            note: c.note.clone(),
            current: Some(c.effective_from) == current,
        })
        .collect();
    Ok((
        GasAdmin {
            equipment,
            contracts: rows,
            ..GasAdmin::default()
        },
        contracts,
    ))
}
