//! The worker's CMMS reads: orders, one order's page, assets and one asset's page, plans,
//! inventory and the KPIs, turned into view rows (formatted in the locale and the tenant zone)
//! so the UI thread only copies them in. Everything a key may act on carries its record
//! version, so a write from a stale screen is refused by the service, not applied blindly.

use std::collections::{BTreeMap, HashMap};

use jiff::civil::Date;
use jiff::{SignedDuration, Timestamp};
use opsdeck_storage::Versioned;
use opsdeck_storage::records::alert::Alert;
use opsdeck_storage::records::asset::Asset;
use opsdeck_storage::records::inventory::{Item, Movement};
use opsdeck_storage::records::pm_plan::PmPlan;
use opsdeck_storage::records::work_order::{ItemKind, ItemResult, Procedure, WorkOrder};
use opsdeck_views::i18n::{Locale, span};
use opsdeck_views::panes::wo::text::text as wo_text;
use opsdeck_views::state::wo::{
    AssetDetail, AssetRow, CheckRow, CostRow, EvidenceRow, ItemRow, KpiRow, Kpis, LogRow, MoveRow,
    OrderDetail, OrderRow, PlanRow, SensorRow, WoRights,
};
use rust_decimal::Decimal;

use super::protocol::{OrderFacts, PlanRows, WoCmd, WoData, WoQuery, WoReply};
use super::write;
use crate::app::io::Io;
use crate::app::outcome::words;
use crate::app::protocol::Reply;
use crate::domain::access::{Permission, require, role_of};
use crate::domain::cmms::inventory::{ItemInput, StockAction};
use crate::domain::cmms::plans::PlanInput;
use crate::domain::cmms::work_orders::{WoAction, allowed_moves, is_overdue};
use crate::domain::cmms::{assets, kpi, plans};
use crate::domain::service::Guarded;

/// A CMMS page older than this is loaded again on the next poll even with no record changed:
/// overdue marks and open downtime move with the clock.
const REFRESH: std::time::Duration = std::time::Duration::from_secs(30);

/// The audit head, query and time of the last load, to skip a poll's load when nothing it shows
/// changed.
#[derive(Debug, Default)]
pub struct Freshness(Option<(u64, WoQuery, std::time::Instant)>);

/// What the worker runs for the pane: its loads here, its writes in `write.rs`.
pub fn serve(io: &Io, seen: &mut Freshness, cmd: WoCmd) -> Option<Reply> {
    match cmd {
        WoCmd::Load { query, poll } => {
            // Every record change is audited; readings are not (their outbox event every
            // second would make every poll look like a change).
            let head = io.tenant.meta("audit_seq").ok().flatten().unwrap_or(0);
            let fresh = seen
                .0
                .as_ref()
                .is_some_and(|(h, q, at)| *h == head && *q == query && at.elapsed() < REFRESH);
            if poll && fresh {
                return None;
            }
            let reply = wo(io, &query)
                .map(|d| Reply::Wo(WoReply::Loaded(Box::new(d))))
                .unwrap_or_else(|e| Reply::Error(words(io.locale, &e)));
            seen.0 = Some((head, query, std::time::Instant::now()));
            Some(reply)
        }
        WoCmd::Write { write, generation } => Some(write::write(io, *write, generation)),
    }
}

/// How far back MTTR and MTBF look.
pub const RELIABILITY_DAYS: i64 = 90;
/// Movements kept per item for the inventory panel.
const MOVES_SHOWN: usize = 20;

fn money_or_blank(io: &Io, v: Decimal) -> String {
    if v.is_zero() {
        String::new()
    } else {
        io.locale.money(v)
    }
}

fn order_row(io: &Io, o: &WorkOrder, now: Timestamp) -> OrderRow {
    let answered = o.checklist.iter().filter(|c| c.result.is_some()).count();
    OrderRow {
        id: o.id,
        title: o.title.clone(),
        kind: o.kind.to_string(),
        priority: o.priority.to_string(),
        status: o.status.to_string(),
        asset: o.asset.clone().unwrap_or_default(),
        assignee: o.assignee.clone().unwrap_or_default(),
        due: o.due.map(|d| io.day(d)).unwrap_or_default(),
        overdue: is_overdue(o, now),
        cost: money_or_blank(io, o.cost()),
        when: io.day(o.closed_at().unwrap_or(o.created_at)),
        from_alert: o.alert.is_some(),
        checklist: (answered, o.checklist.len()),
    }
}

pub fn wo(io: &Io, q: &WoQuery) -> anyhow::Result<WoData> {
    require(&io.tenant, &io.user, Permission::Read)?;
    let t = &io.tenant;
    let now = crate::clock::now();
    let role = role_of(t, &io.user)?;
    let rights = WoRights {
        create: role.is_some_and(|r| WoAction::Create.allowed(r)),
        manage: role.is_some_and(|r| WoAction::Manage.allowed(r)),
        work: role.is_some_and(|r| WoAction::Work.allowed(r)),
        stock: role.is_some_and(|r| StockAction::Manage.allowed(r)),
    };
    let orders: Vec<Versioned<WorkOrder>> = t.list::<WorkOrder>()?;
    let values: Vec<WorkOrder> = orders.iter().map(|o| o.value.clone()).collect();
    let stored_assets = t.list::<Asset>()?;
    let asset_list: Vec<Asset> = stored_assets.iter().map(|a| a.value.clone()).collect();
    let items = t.list::<Item>()?;
    let mut data = WoData {
        rights,
        asset_tags: asset_list.iter().map(|a| a.tag.clone()).collect(),
        procedures: t.list::<Procedure>()?.into_iter().map(|p| p.key).collect(),
        ..WoData::default()
    };
    // Newest first: what a supervisor looks at first.
    data.orders = values.iter().rev().map(|o| order_row(io, o, now)).collect();
    data.kpis = kpis(io, &values, &asset_list, &items, now);
    data.assets = asset_rows(&asset_list, &values, now);
    data.items = item_rows(io, &items, q.moves)?;
    data.asset_raw = stored_assets
        .into_iter()
        .map(|a| (a.key, (a.version, a.value)))
        .collect();
    data.item_raw = items
        .iter()
        .map(|i| {
            let v = &i.value;
            let input = ItemInput {
                code: v.code.clone(),
                name: v.name.clone(),
                unit: v.unit.clone(),
                unit_cost: v.unit_cost,
                min_stock: v.min_stock,
            };
            (i.key.clone(), (i.version, input))
        })
        .collect();
    data.item_locations = items
        .iter()
        .map(|i| (i.key.clone(), i.value.stock.keys().cloned().collect()))
        .collect();
    if q.plans {
        data.plans = Some(pm_plan_rows(io, &values)?);
    }
    if let Some(id) = q.order
        && let Some(o) = orders.iter().find(|o| o.value.id == id)
    {
        data.order = Some(order_page(io, o, &asset_list, &items, now)?);
    }
    if let Some(tag) = &q.asset
        && asset_list.iter().any(|a| &a.tag == tag)
    {
        data.asset = Some(asset_page(io, tag, &values, now)?);
    }
    Ok(data)
}

fn kpis(
    io: &Io,
    orders: &[WorkOrder],
    asset_list: &[Asset],
    items: &[Versioned<Item>],
    now: Timestamp,
) -> Kpis {
    let l = io.locale;
    let today = now.to_zoned(io.tz.clone());
    let first = today.date().first_of_month();
    let start = |d: Date| {
        d.to_zoned(io.tz.clone())
            .map(|z| z.timestamp())
            .unwrap_or(now)
    };
    let (from, to) = (
        start(first),
        first
            .checked_add(jiff::Span::new().months(1))
            .map(start)
            .unwrap_or(now),
    );
    // Compliance so far: orders due later this month are not late yet.
    let pm = kpi::pm_compliance(orders, from, to.min(now));
    let costs = kpi::cost_per_asset(orders, from, to);
    let window_from = now - SignedDuration::from_hours(24 * RELIABILITY_DAYS);
    let names: HashMap<&str, &str> = asset_list
        .iter()
        .map(|a| (a.tag.as_str(), a.name.as_str()))
        .collect();
    let mut tags: Vec<&str> = orders
        .iter()
        .filter_map(|o| o.asset.as_deref())
        .collect::<std::collections::BTreeSet<_>>()
        .into_iter()
        .collect();
    tags.retain(|t| !t.is_empty());
    let dash = "—".to_owned();
    let mut rows: Vec<(Option<SignedDuration>, KpiRow)> = tags
        .into_iter()
        .filter_map(|tag| {
            let r = kpi::reliability(orders, tag, window_from, now);
            let cost = costs.get(tag).copied().unwrap_or_default();
            (r.failures > 0 || !cost.is_zero()).then(|| {
                (
                    r.mttr,
                    KpiRow {
                        asset: tag.to_owned(),
                        name: names.get(tag).copied().unwrap_or_default().to_owned(),
                        failures: r.failures,
                        mttr: r.mttr.map_or(dash.clone(), span),
                        mtbf: r.mtbf.map_or(dash.clone(), span),
                        downtime: if r.downtime.is_zero() {
                            dash.clone()
                        } else {
                            span(r.downtime)
                        },
                        cost_month: money_or_blank(io, cost),
                    },
                )
            })
        })
        .collect();
    // Worst repair time first, then the most failures, then the dearest.
    rows.sort_by(|a, b| {
        b.0.cmp(&a.0)
            .then(b.1.failures.cmp(&a.1.failures))
            .then(a.1.asset.cmp(&b.1.asset))
    });
    Kpis {
        backlog: kpi::backlog(orders),
        overdue: kpi::overdue(orders, now),
        month: l.month_year(first),
        pm_done: pm.done_on_time,
        pm_due: pm.due,
        pm_percent: pm.percent(),
        cost_month: l.money(costs.values().copied().sum()),
        window: format!("{RELIABILITY_DAYS} d"),
        rows: rows.into_iter().map(|(_, r)| r).collect(),
        below_min: items.iter().filter(|i| i.value.below_minimum()).count(),
        list: Default::default(),
    }
}

fn asset_rows(list: &[Asset], orders: &[WorkOrder], now: Timestamp) -> Vec<AssetRow> {
    let mut open: HashMap<&str, usize> = HashMap::new();
    let mut down: HashMap<&str, bool> = HashMap::new();
    for o in orders {
        if let Some(a) = o.asset.as_deref() {
            if !o.status.is_closed() {
                *open.entry(a).or_default() += 1;
            }
            if o.downtime.iter().any(|d| d.to.is_none() && d.from <= now) {
                down.insert(a, true);
            }
        }
    }
    let mut rows: Vec<AssetRow> = list
        .iter()
        .map(|a| AssetRow {
            tag: a.tag.clone(),
            name: a.name.clone(),
            kind: a.kind.clone(),
            site: a.site.clone(),
            area: a.area.clone(),
            criticality: a.criticality.to_string(),
            open_orders: open.get(a.tag.as_str()).copied().unwrap_or(0),
            sensors: a.sensors.len(),
            down: down.get(a.tag.as_str()).copied().unwrap_or(false),
            active: a.active,
        })
        .collect();
    // The tree order: site, area, tag.
    rows.sort_by(|a, b| (&a.site, &a.area, &a.tag).cmp(&(&b.site, &b.area, &b.tag)));
    rows
}

fn asset_page(
    io: &Io,
    tag: &str,
    orders: &[WorkOrder],
    now: Timestamp,
) -> anyhow::Result<AssetDetail> {
    let l = io.locale;
    let s = assets::summary_among(&io.tenant, tag, orders, now)?;
    let a = &s.asset.value;
    let qr_text = Asset::qr_text(io.tenant.name(), &a.tag);
    let qr = assets::qr_unicode(&qr_text)
        .map(|q| q.lines().map(str::to_owned).collect())
        .unwrap_or_default();
    let r = kpi::reliability(
        orders,
        &a.tag,
        now - SignedDuration::from_hours(24 * RELIABILITY_DAYS),
        now,
    );
    let reliability = if r.failures == 0 {
        String::new()
    } else {
        let (fails, within) = (wo_text(l).failures_in, wo_text(l).days_word);
        let dash = || "—".to_owned();
        format!(
            "MTTR {} · MTBF {} · {} {fails} {RELIABILITY_DAYS} {within}",
            r.mttr.map_or_else(dash, span),
            r.mtbf.map_or_else(dash, span),
            r.failures
        )
    };
    let row = asset_rows(std::slice::from_ref(a), orders, now)
        .pop()
        .unwrap_or_default();
    Ok(AssetDetail {
        row,
        location: a.location.clone(),
        make: a.make.clone(),
        model: a.model.clone(),
        serial: a.serial.clone(),
        installed: a.installed.map(|d| l.date(d)).unwrap_or_default(),
        notes: a.notes.clone(),
        qr_text,
        qr,
        sensors: s
            .sensors
            .iter()
            .map(|x| SensorRow {
                device: x.device.clone(),
                name: x.name.clone(),
                registered: x.registered,
            })
            .collect(),
        open_orders: s
            .open_orders
            .iter()
            .map(|o| order_row(io, o, now))
            .collect(),
        past_orders: s
            .past_orders
            .iter()
            .map(|o| order_row(io, o, now))
            .collect(),
        total_cost: l.money(s.total_cost),
        downtime: span(s.downtime),
        down_since: s.down_since.map(|d| io.when(d)),
        reliability,
        list: Default::default(),
    })
}

fn order_page(
    io: &Io,
    o: &Versioned<WorkOrder>,
    asset_list: &[Asset],
    stock: &[Versioned<Item>],
    now: Timestamp,
) -> anyhow::Result<(OrderDetail, OrderFacts)> {
    let l = io.locale;
    let v = &o.value;
    let who = |by: &str, at: Timestamp| io.who(by, at);
    let asset_label = match &v.asset {
        Some(tag) => match asset_list.iter().find(|a| &a.tag == tag) {
            Some(a) => format!("{} · {} ({})", a.tag, a.name, a.area),
            None => tag.clone(),
        },
        None => String::new(),
    };
    let alert = match &v.alert {
        Some(key) => io.tenant.get::<Alert>(key)?.map(|a| a.value),
        None => None,
    };
    let alert_label = alert.as_ref().map(|a| {
        let state = match (a.is_open(), l) {
            (true, Locale::PtBr) => "aberto",
            (true, Locale::En) => "open",
            (false, Locale::PtBr) => "resolvido",
            (false, Locale::En) => "resolved",
        };
        let word = if l == Locale::PtBr { "Alerta" } else { "Alert" };
        format!("{word} {} · {} · {} · {state}", a.id, a.device, a.rule)
    });
    let items: Vec<(bool, String, String)> = v
        .checklist
        .iter()
        .map(|c| {
            let measured = matches!(c.item.kind, ItemKind::Value { .. });
            let typed = match &c.result {
                Some(ItemResult::Value(x)) => l.quantity(*x),
                Some(ItemResult::Pass) => "pass".into(),
                Some(ItemResult::Fail) => "fail".into(),
                Some(ItemResult::NotApplicable) => "na".into(),
                None => String::new(),
            };
            (measured, typed, c.note.clone())
        })
        .collect();
    let checklist = v
        .checklist
        .iter()
        .enumerate()
        .map(|(i, c)| CheckRow {
            n: i + 1,
            text: c.item.text.clone(),
            required: c.item.required,
            unit: match &c.item.kind {
                ItemKind::Value { unit } => Some(unit.clone()),
                ItemKind::PassFail => None,
            },
            result: c.result.as_ref().map(|r| match r {
                ItemResult::Pass => "pass".into(),
                ItemResult::Fail => "fail".into(),
                ItemResult::NotApplicable => "na".into(),
                ItemResult::Value(x) => l.quantity(*x),
            }),
            note: c.note.clone(),
            by: match (&c.by, c.at) {
                (Some(b), Some(at)) => who(b, at),
                _ => String::new(),
            },
        })
        .collect();
    let names: BTreeMap<&str, &str> = stock
        .iter()
        .map(|i| (i.key.as_str(), i.value.name.as_str()))
        .collect();
    let parts = v
        .parts
        .iter()
        .map(|p| CostRow {
            what: match names.get(p.item.as_str()) {
                Some(n) => format!("{} {n}", p.item),
                None => p.item.clone(),
            },
            detail: format!("{} × {}", l.quantity(p.qty), l.money(p.unit_cost)),
            amount: l.money(p.qty * p.unit_cost),
        })
        .collect();
    let labor = v
        .labor
        .iter()
        .map(|x| CostRow {
            what: if x.note.is_empty() {
                x.technician.clone()
            } else {
                format!("{} · {}", x.technician, x.note)
            },
            detail: format!("{} h × {}", l.quantity(x.hours), l.money(x.rate)),
            amount: l.money(x.hours * x.rate),
        })
        .collect();
    let services = v
        .services
        .iter()
        .map(|s| CostRow {
            what: s.description.clone(),
            detail: String::new(),
            amount: l.money(s.amount),
        })
        .collect();
    let downtime = v
        .downtime
        .iter()
        .map(|d| match d.to {
            Some(to) => format!(
                "{} → {} ({})",
                io.when(d.from),
                io.when(to),
                span(to.duration_since(d.from))
            ),
            None => format!(
                "{} {} ({})",
                if l == Locale::PtBr {
                    "parado desde"
                } else {
                    "down since"
                },
                io.when(d.from),
                span(now.duration_since(d.from))
            ),
        })
        .collect();
    let detail = OrderDetail {
        row: order_row(io, v, now),
        description: v.description.clone(),
        asset_label,
        created: who(&v.created_by, v.created_at),
        alert: alert_label,
        plan: v.plan.clone(),
        procedure: v.procedure.clone(),
        checklist,
        parts,
        labor,
        services,
        cost_parts: l.money(v.parts_cost()),
        cost_labor: l.money(v.labor_cost()),
        cost_services: l.money(v.services_cost()),
        cost_total: l.money(v.cost()),
        estimate: v.estimate().map(|e| l.money(e)).unwrap_or_default(),
        evidence: v
            .evidence
            .iter()
            .map(|e| EvidenceRow {
                name: e.name.clone(),
                size: size_text(l, e.size),
                sha256: e.sha256.clone(),
                by: who(&e.by, e.at),
            })
            .collect(),
        notes: v
            .notes
            .iter()
            .map(|n| LogRow {
                at: io.when(n.at),
                by: n.by.clone(),
                text: n.text.clone(),
                change: None,
            })
            .collect(),
        downtime,
        down_now: v.open_downtime().is_some(),
        history: v
            .transitions
            .iter()
            .map(|x| LogRow {
                at: io.when(x.at),
                by: x.by.clone(),
                text: x.reason.clone(),
                change: Some((x.from.to_string(), x.to.to_string())),
            })
            .collect(),
        moves: allowed_moves(v.status)
            .iter()
            .map(ToString::to_string)
            .collect(),
        list: Default::default(),
        scroll: 0,
    };
    let facts = OrderFacts {
        id: v.id,
        version: o.version,
        status: v.status.to_string(),
        kind: v.kind.to_string(),
        alert_open: alert.as_ref().is_some_and(Alert::is_open),
        alert_raised: alert.as_ref().map(|a| a.raised_at),
        has_asset: v.asset.is_some(),
        title: v.title.clone(),
        description: v.description.clone(),
        priority: v.priority.to_string(),
        assignee: v.assignee.clone().unwrap_or_default(),
        due: v
            .due
            .map(|d| d.to_zoned(io.tz.clone()).date().to_string())
            .unwrap_or_default(),
        due_at: v.due,
        items,
    };
    Ok((detail, facts))
}

fn pm_plan_rows(io: &Io, orders: &[WorkOrder]) -> anyhow::Result<PlanRows> {
    let l = io.locale;
    let today = io.today();
    let mut rows = Vec::new();
    let mut versions = BTreeMap::new();
    let mut raw = BTreeMap::new();
    for p in io.tenant.list::<PmPlan>()? {
        let plan = &p.value;
        versions.insert(p.key.clone(), (plan.active, p.version));
        raw.insert(p.key.clone(), (p.version, PlanInput::from_plan(plan)));
        let outlook = plans::outlook(&io.tenant, plan, today, &io.tz)?;
        let mut next: Option<Date> = None;
        let outlook: Vec<(String, String)> = outlook
            .into_iter()
            .map(|(tag, o)| {
                if let plans::Outlook::Due { date, .. } = o {
                    next = Some(next.map_or(date, |n: Date| n.min(date)));
                }
                (tag, outlook_text(l, &o))
            })
            .collect();
        let prefix = format!("{}/", plan.code);
        let mine: Vec<&WorkOrder> = orders
            .iter()
            .filter(|o| o.plan.as_deref().is_some_and(|x| x.starts_with(&prefix)))
            .collect();
        rows.push(PlanRow {
            code: plan.code.clone(),
            name: plan.name.clone(),
            schedule: plans::schedule_text(l, &plan.schedule),
            assets: plan.assets.clone(),
            procedure: plan.procedure.clone().unwrap_or_default(),
            priority: plan.priority.to_string(),
            assignee: plan.assignee.clone().unwrap_or_default(),
            active: plan.active,
            next: match (plan.active, next) {
                (false, _) => wo_text(l).paused.into(),
                (true, Some(d)) => l.date(d),
                (true, None) => outlook.first().map(|(_, t)| t.clone()).unwrap_or_default(),
            },
            outlook,
            generated: mine.len(),
            open: mine.iter().filter(|o| !o.status.is_closed()).count(),
        });
    }
    Ok((rows, versions, raw))
}

fn item_rows(io: &Io, items: &[Versioned<Item>], with_moves: bool) -> anyhow::Result<Vec<ItemRow>> {
    let l = io.locale;
    let mut moves: HashMap<String, Vec<Movement>> = HashMap::new();
    // The last few per item (only for the view that shows them).
    let all = if with_moves {
        io.tenant.list::<Movement>()?
    } else {
        Vec::new()
    };
    for m in all {
        moves.entry(m.value.item.clone()).or_default().push(m.value);
    }
    // By when they happened (a history keyed in later has later ids), newest first.
    for list in moves.values_mut() {
        list.sort_by(|a, b| b.at.cmp(&a.at).then(b.id.cmp(&a.id)));
        list.truncate(MOVES_SHOWN);
    }
    Ok(items
        .iter()
        .map(|i| {
            let it = &i.value;
            let on_hand = it.on_hand();
            ItemRow {
                code: it.code.clone(),
                name: it.name.clone(),
                unit: it.unit.clone(),
                on_hand: l.quantity(on_hand),
                min: l.quantity(it.min_stock),
                unit_cost: l.money(it.unit_cost),
                value: l.money(on_hand * it.unit_cost),
                below_min: it.below_minimum(),
                locations: it
                    .stock
                    .iter()
                    .map(|(loc, q)| format!("{loc} {}", l.quantity(*q)))
                    .collect::<Vec<_>>()
                    .join(" · "),
                moves: moves
                    .remove(&it.code)
                    .unwrap_or_default()
                    .into_iter()
                    .map(|m| MoveRow {
                        at: io.when(m.at),
                        kind: m.kind.to_string(),
                        qty: format!(
                            "{}{} {}",
                            if m.qty.is_sign_positive() { "+" } else { "" },
                            l.quantity(m.qty),
                            it.unit
                        ),
                        location: m.location,
                        order: m.work_order.map(|w| format!("OS {w}")).unwrap_or_default(),
                        by: m.by,
                        // The service notes "OS 119" on an issue: the column says it.
                        note: if m.work_order.is_some_and(|w| m.note == format!("OS {w}")) {
                            String::new()
                        } else {
                            m.note
                        },
                    })
                    .collect(),
            }
        })
        .collect())
}

fn size_text(l: Locale, bytes: u64) -> String {
    let b = Decimal::from(bytes);
    match bytes {
        0..1024 => format!("{bytes} B"),
        1024..1_048_576 => format!("{} KiB", l.number(b / Decimal::from(1024), 1)),
        _ => format!("{} MiB", l.number(b / Decimal::from(1_048_576), 1)),
    }
}

fn outlook_text(l: Locale, o: &plans::Outlook) -> String {
    use plans::Outlook as O;
    if l == Locale::En {
        return o.to_string();
    }
    let v = |x: &Option<f64>| x.map_or("sem leitura".to_owned(), |x| l.reading(x));
    match o {
        O::Due { date, generated_on } => format!(
            "próxima {} (OS gerada em {})",
            l.date(*date),
            l.date(*generated_on)
        ),
        O::AfterOrder(id) => format!("aguarda a OS {id} ser fechada"),
        O::Meter { device, now, at } => match (device, at) {
            (None, _) => "sem leituras do contador ainda".into(),
            (Some(d), Some(at)) => {
                format!("próxima em {} de {d} (agora {})", l.reading(*at), v(now))
            }
            (Some(d), None) => format!("conta a partir da próxima leitura de {d}"),
        },
        O::Threshold {
            device,
            now,
            waiting_inside,
            open_order,
        } => match (device, open_order, waiting_inside) {
            (None, _, _) => "sem leituras ainda".into(),
            (Some(d), Some(id), _) => format!("OS {id} aberta; {d} agora {}", v(now)),
            (Some(d), None, true) => format!("{d} agora {}; aguarda voltar à faixa", v(now)),
            (Some(d), None, false) => format!("vigiando {d}: agora {}", v(now)),
        },
        O::NoAsset(why) => why.clone(),
    }
}

/// How long the pane's loads take on `tenant` of `site` (for `opsdeck bench cmms`): the order
/// list with its KPIs, an order's page, the plans view and the inventory view; the median of
/// `runs` each.
pub fn time_loads(
    site: &crate::site::Site,
    tenant: &str,
    user: &str,
    runs: usize,
) -> anyhow::Result<Vec<(&'static str, std::time::Duration)>> {
    let tc = site.tenant_config(Some(tenant))?;
    let (t, index) = site.tenant(tenant)?;
    let some_order = t.list::<WorkOrder>()?.last().map(|o| o.value.id);
    let io = Io {
        evidence: site.dir.evidence_dir(tenant),
        tenant: t,
        index,
        user: user.to_owned(),
        tz: tc.zone(),
        locale: Locale::PtBr,
    };
    let cases: [(&'static str, WoQuery); 4] = [
        ("orders + KPIs", WoQuery::default()),
        (
            "order page",
            WoQuery {
                order: some_order,
                ..WoQuery::default()
            },
        ),
        (
            "plans view",
            WoQuery {
                plans: true,
                ..WoQuery::default()
            },
        ),
        (
            "inventory view",
            WoQuery {
                moves: true,
                ..WoQuery::default()
            },
        ),
    ];
    let mut out = Vec::new();
    for (name, q) in cases {
        let mut times = Vec::new();
        for _ in 0..runs.max(1) {
            let started = std::time::Instant::now();
            wo(&io, &q)?;
            times.push(started.elapsed());
        }
        times.sort();
        out.push((name, times[times.len() / 2]));
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn spans_and_quantities_read_like_people_write_them() {
        assert_eq!(span(SignedDuration::from_mins(387)), "6 h 27 min");
        assert_eq!(span(SignedDuration::from_mins(45)), "45 min");
        assert_eq!(span(SignedDuration::from_hours(52)), "2 d 4 h");
        assert_eq!(Locale::PtBr.quantity(Decimal::new(150, 2)), "1,5");
        assert_eq!(Locale::PtBr.quantity(Decimal::from(1200)), "1.200");
        assert_eq!(size_text(Locale::PtBr, 12_700), "12,4 KiB");
    }
}
