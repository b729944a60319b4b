//! The Work-orders pane's view model (CMMS): orders with their filters, one order's page,
//! assets and one asset's page, preventive plans, inventory, and the maintenance KPIs. Enum-like
//! fields hold the stable codes ("open", "corrective", "urgent", "critical"); views translate
//! them. Figures, dates and money arrive formatted in the locale by the app.

use super::{Form, ListView, Prompt, matches_filter, pick};

/// Which list or page the pane shows.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, serde::Serialize, serde::Deserialize)]
pub enum WoView {
    #[default]
    Orders,
    /// One order, opened from a list.
    Order,
    Assets,
    /// One asset, opened from the asset list.
    Asset,
    Plans,
    Inventory,
    Kpis,
}

impl WoView {
    /// Orders -> Assets -> Plans -> Inventory -> KPIs -> Orders (a page counts as its list).
    pub fn next(self) -> WoView {
        match self {
            WoView::Orders | WoView::Order => WoView::Assets,
            WoView::Assets | WoView::Asset => WoView::Plans,
            WoView::Plans => WoView::Inventory,
            WoView::Inventory => WoView::Kpis,
            WoView::Kpis => WoView::Orders,
        }
    }
}

/// Which orders the list shows by status.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, serde::Serialize, serde::Deserialize)]
pub enum StatusFilter {
    /// Open, in progress and on hold: the backlog.
    #[default]
    Active,
    Open,
    InProgress,
    OnHold,
    Done,
    Cancelled,
    All,
}

impl StatusFilter {
    pub const ALL: [StatusFilter; 7] = [
        StatusFilter::Active,
        StatusFilter::Open,
        StatusFilter::InProgress,
        StatusFilter::OnHold,
        StatusFilter::Done,
        StatusFilter::Cancelled,
        StatusFilter::All,
    ];

    pub fn next(self) -> StatusFilter {
        let i = Self::ALL.iter().position(|s| *s == self).unwrap_or(0);
        Self::ALL[(i + 1) % Self::ALL.len()]
    }

    /// The status code it matches alone, or "active" / "all".
    pub fn code(self) -> &'static str {
        match self {
            StatusFilter::Active => "active",
            StatusFilter::Open => "open",
            StatusFilter::InProgress => "in_progress",
            StatusFilter::OnHold => "on_hold",
            StatusFilter::Done => "done",
            StatusFilter::Cancelled => "cancelled",
            StatusFilter::All => "all",
        }
    }

    pub fn from_code(code: &str) -> Option<StatusFilter> {
        Self::ALL.into_iter().find(|s| s.code() == code)
    }

    pub fn matches(self, status: &str) -> bool {
        match self {
            StatusFilter::All => true,
            StatusFilter::Active => matches!(status, "open" | "in_progress" | "on_hold"),
            one => one.code() == status,
        }
    }
}

/// The order types, in the order the type filter cycles through them.
pub const KINDS: [&str; 4] = ["corrective", "preventive", "predictive", "request"];
pub const PRIORITIES: [&str; 4] = ["low", "medium", "high", "urgent"];
pub const STATUSES: [&str; 5] = ["open", "in_progress", "on_hold", "done", "cancelled"];

/// What the order list is narrowed to, beyond the `/` text filter.
#[derive(Debug, Clone, PartialEq, Default, serde::Serialize, serde::Deserialize)]
pub struct OrderFilter {
    pub status: StatusFilter,
    /// A type code, or None for every type.
    pub kind: Option<String>,
    /// An asset tag (exact), empty for every asset.
    pub asset: String,
    /// A user name (exact), empty for everyone; "-" for unassigned orders.
    pub assignee: String,
    pub overdue_only: bool,
}

impl OrderFilter {
    pub fn matches(&self, o: &OrderRow) -> bool {
        self.status.matches(&o.status)
            && self.kind.as_deref().is_none_or(|k| k == o.kind)
            && (self.asset.is_empty() || self.asset.eq_ignore_ascii_case(&o.asset))
            && match self.assignee.as_str() {
                "" => true,
                "-" => o.assignee.is_empty(),
                a => a == o.assignee,
            }
            && (!self.overdue_only || o.overdue)
    }

    /// True when something beyond the default (active orders) narrows the list.
    pub fn is_narrowed(&self) -> bool {
        *self != OrderFilter::default()
    }
}

/// One row of an order list (also on the asset page).
#[derive(Debug, Clone, PartialEq, Default, serde::Serialize, serde::Deserialize)]
pub struct OrderRow {
    pub id: u64,
    pub title: String,
    /// "corrective" | "preventive" | "predictive" | "request"
    pub kind: String,
    /// "low" | "medium" | "high" | "urgent"
    pub priority: String,
    /// "open" | "in_progress" | "on_hold" | "done" | "cancelled"
    pub status: String,
    /// Asset tag, may be empty.
    pub asset: String,
    /// May be empty (unassigned).
    pub assignee: String,
    /// Formatted date, empty when none.
    pub due: String,
    /// Past its due time and not closed.
    pub overdue: bool,
    /// Formatted money (R$ 1.234,56), "" when nothing is booked.
    pub cost: String,
    /// Formatted: when it was created (lists) or closed (past orders of an asset).
    pub when: String,
    /// Created from a telemetry alert.
    pub from_alert: bool,
    /// The checklist: answered / items (0/0 without one).
    pub checklist: (usize, usize),
}

/// A checklist item of the order page.
#[derive(Debug, Clone, PartialEq, Default, serde::Serialize, serde::Deserialize)]
pub struct CheckRow {
    /// From 1, as the CLI numbers them.
    pub n: usize,
    pub text: String,
    pub required: bool,
    /// Unit of a measured item ("A", "°C"); None for pass/fail.
    pub unit: Option<String>,
    /// None: unanswered; "pass" | "fail" | "na" | the formatted value.
    pub result: Option<String>,
    pub note: String,
    /// "ana · 23/11 10:02", empty when unanswered.
    pub by: String,
}

/// A cost line of the order page (part, labor or service), formatted.
#[derive(Debug, Clone, PartialEq, Default, serde::Serialize, serde::Deserialize)]
pub struct CostRow {
    /// "FILT-G4-592 Filtro G4 592x592" / "lucas.martins" / "Locação de guindaste"
    pub what: String,
    /// "2 un × R$ 45,00" / "1,5 h × R$ 80,00" / "" (service)
    pub detail: String,
    pub amount: String,
}

#[derive(Debug, Clone, PartialEq, Default, serde::Serialize, serde::Deserialize)]
pub struct EvidenceRow {
    pub name: String,
    /// "12,4 KiB"
    pub size: String,
    /// Full lowercase hex; views shorten it where there is no room.
    pub sha256: String,
    /// "ana · 23/11/2026 10:02"
    pub by: String,
}

/// A dated line by someone: a note, or a status change with its reason.
#[derive(Debug, Clone, PartialEq, Default, serde::Serialize, serde::Deserialize)]
pub struct LogRow {
    /// Formatted.
    pub at: String,
    pub by: String,
    /// The note's text, or the reason given for a status change (may be empty).
    pub text: String,
    /// For a status change: (from, to) codes.
    pub change: Option<(String, String)>,
}

/// One order's page.
#[derive(Debug, Clone, PartialEq, Default, serde::Serialize, serde::Deserialize)]
pub struct OrderDetail {
    pub row: OrderRow,
    pub description: String,
    /// "CAG-CH-02 · Chiller 02 (Casa de máquinas)"
    pub asset_label: String,
    /// "ana · 23/11/2026 10:02"
    pub created: String,
    /// "Alerta 12 · CR-03 · temp_c 9,1 · aberto" when created from an alert.
    pub alert: Option<String>,
    /// "PM-CH-MENSAL/2026-11-01" when generated by a plan.
    pub plan: Option<String>,
    /// "PMOC-SPLIT-MENSAL · PMOC mensal — split"
    pub procedure: Option<String>,
    pub checklist: Vec<CheckRow>,
    pub parts: Vec<CostRow>,
    pub labor: Vec<CostRow>,
    pub services: Vec<CostRow>,
    /// Formatted sums.
    pub cost_parts: String,
    pub cost_labor: String,
    pub cost_services: String,
    pub cost_total: String,
    /// The supervisor's estimate (committed in the ledger when the order starts), or empty.
    pub estimate: String,
    pub evidence: Vec<EvidenceRow>,
    pub notes: Vec<LogRow>,
    /// "23/11 10:02 → 23/11 16:29 (6 h 27 min)"; an open window reads "desde 23/11 10:02".
    pub downtime: Vec<String>,
    /// The asset is down now (an open window on this order).
    pub down_now: bool,
    pub history: Vec<LogRow>,
    /// Status codes it may move to now.
    pub moves: Vec<String>,
    /// Cursor over the checklist items.
    pub list: ListView,
    /// First line shown of the page when it is taller than the screen (PgUp/PgDn).
    pub scroll: usize,
}

impl OrderDetail {
    pub fn selected_item(&self) -> Option<&CheckRow> {
        pick(self.checklist.iter().collect(), self.list.selected)
    }
}

/// One row of the asset list.
#[derive(Debug, Clone, PartialEq, Default, serde::Serialize, serde::Deserialize)]
pub struct AssetRow {
    pub tag: String,
    pub name: String,
    /// "chiller", "ahu", "split", "cold_room", "pump", ...
    pub kind: String,
    pub site: String,
    pub area: String,
    /// "low" | "medium" | "high" | "critical"
    pub criticality: String,
    pub open_orders: usize,
    pub sensors: usize,
    /// Down now (an open downtime window).
    pub down: bool,
    pub active: bool,
}

#[derive(Debug, Clone, PartialEq, Default, serde::Serialize, serde::Deserialize)]
pub struct SensorRow {
    pub device: String,
    pub name: String,
    /// It has sent readings.
    pub registered: bool,
}

/// One asset's page.
#[derive(Debug, Clone, PartialEq, Default, serde::Serialize, serde::Deserialize)]
pub struct AssetDetail {
    pub row: AssetRow,
    pub location: String,
    pub make: String,
    pub model: String,
    pub serial: String,
    /// Formatted date, empty when unknown.
    pub installed: String,
    pub notes: String,
    /// The text its QR code holds ("opsdeck:hospital:asset:CAG-CH-02").
    pub qr_text: String,
    /// The QR code drawn with half blocks, one string per terminal row.
    pub qr: Vec<String>,
    pub sensors: Vec<SensorRow>,
    /// Not closed, oldest first.
    pub open_orders: Vec<OrderRow>,
    /// Done and cancelled, most recently closed first.
    pub past_orders: Vec<OrderRow>,
    /// Formatted: cost of its done orders, downtime, "desde ..." when down now.
    pub total_cost: String,
    pub downtime: String,
    pub down_since: Option<String>,
    /// "MTTR 6 h 27 min · MTBF 29 d 4 h · 3 falhas em 90 d", empty without failures.
    pub reliability: String,
    /// Cursor over open then past orders.
    pub list: ListView,
}

impl AssetDetail {
    /// Open then past orders, as the cursor walks them.
    pub fn orders(&self) -> Vec<&OrderRow> {
        self.open_orders.iter().chain(&self.past_orders).collect()
    }

    pub fn selected_order(&self) -> Option<&OrderRow> {
        pick(self.orders(), self.list.selected)
    }
}

/// A preventive plan.
#[derive(Debug, Clone, PartialEq, Default, serde::Serialize, serde::Deserialize)]
pub struct PlanRow {
    pub code: String,
    pub name: String,
    /// "a cada 1 mês (fixo)" / "a cada 500 h de run_hours" / "temp_c acima de 8"
    pub schedule: String,
    pub assets: Vec<String>,
    /// Procedure code, may be empty.
    pub procedure: String,
    pub priority: String,
    pub assignee: String,
    pub active: bool,
    /// The earliest next due, formatted ("01/12/2026"), or what it waits for.
    pub next: String,
    /// Per asset: (tag, what comes next), formatted.
    pub outlook: Vec<(String, String)>,
    /// Orders it generated (all time) and how many of them are still open.
    pub generated: usize,
    pub open: usize,
}

/// A stock movement of an item, formatted.
#[derive(Debug, Clone, PartialEq, Default, serde::Serialize, serde::Deserialize)]
pub struct MoveRow {
    pub at: String,
    /// "receive" | "issue" | "return" | "adjust"
    pub kind: String,
    /// Signed, with its unit: "+10 un", "-2 un".
    pub qty: String,
    pub location: String,
    /// "OS 123" when issued to or returned from an order.
    pub order: String,
    pub by: String,
    pub note: String,
}

/// An inventory item.
#[derive(Debug, Clone, PartialEq, Default, serde::Serialize, serde::Deserialize)]
pub struct ItemRow {
    pub code: String,
    pub name: String,
    pub unit: String,
    /// Formatted quantities and money.
    pub on_hand: String,
    pub min: String,
    pub unit_cost: String,
    pub value: String,
    pub below_min: bool,
    /// "Almoxarifado 3 · Casa de máquinas 1"
    pub locations: String,
    /// Newest first, at most the last 20.
    pub moves: Vec<MoveRow>,
}

/// Reliability and cost of one asset on the KPI page.
#[derive(Debug, Clone, PartialEq, Default, serde::Serialize, serde::Deserialize)]
pub struct KpiRow {
    pub asset: String,
    pub name: String,
    /// Failures (corrective and predictive orders) in the reliability window.
    pub failures: usize,
    /// Formatted durations, "—" without failures.
    pub mttr: String,
    pub mtbf: String,
    pub downtime: String,
    /// Cost of its orders closed this month, formatted ("" when none).
    pub cost_month: String,
}

/// The maintenance KPIs, as of the load.
#[derive(Debug, Clone, PartialEq, Default, serde::Serialize, serde::Deserialize)]
pub struct Kpis {
    pub backlog: usize,
    pub overdue: usize,
    /// "novembro de 2026" / "November 2026"
    pub month: String,
    /// Preventive orders due this month and done on time: (done on time, due).
    pub pm_done: usize,
    pub pm_due: usize,
    /// 0..=100, None when none was due.
    pub pm_percent: Option<u32>,
    /// Cost of every order closed this month, formatted.
    pub cost_month: String,
    /// "90 d"; the reliability window.
    pub window: String,
    /// Assets with failures in the window or cost this month, worst MTTR first.
    pub rows: Vec<KpiRow>,
    /// Inventory items below their minimum.
    pub below_min: usize,
    pub list: ListView,
}

/// What the user may do here (the services enforce it; the pane only hides or explains).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, serde::Serialize, serde::Deserialize)]
pub struct WoRights {
    /// Open corrective orders and requests.
    pub create: bool,
    /// Open preventive and predictive orders, assign, cancel, manage plans.
    pub manage: bool,
    /// Start, hold, close, book parts and labor.
    pub work: bool,
    /// Receive and adjust stock, edit items.
    pub stock: bool,
}

#[derive(Debug, Clone, PartialEq, Default)]
pub struct WoPane {
    pub view: WoView,
    pub orders: Vec<OrderRow>,
    pub order_list: ListView,
    pub filter: OrderFilter,
    pub order: Option<OrderDetail>,
    pub assets: Vec<AssetRow>,
    pub asset_list: ListView,
    pub asset: Option<AssetDetail>,
    /// The asset page shows its QR code large (toggled).
    pub show_qr: bool,
    pub plans: Vec<PlanRow>,
    pub plan_list: ListView,
    pub items: Vec<ItemRow>,
    pub item_list: ListView,
    pub kpis: Kpis,
    pub form: Option<Form>,
    pub prompt: Option<Prompt>,
    pub rights: WoRights,
    /// False until the first load finished.
    pub loaded: bool,
}

impl WoPane {
    /// Orders passing the filter and the `/` text (id, title, asset, assignee).
    pub fn visible_orders(&self) -> Vec<&OrderRow> {
        self.orders
            .iter()
            .filter(|o| self.filter.matches(o))
            .filter(|o| {
                matches_filter(
                    &self.order_list.filter,
                    &[&o.id.to_string(), &o.title, &o.asset, &o.assignee],
                )
            })
            .collect()
    }

    pub fn visible_assets(&self) -> Vec<&AssetRow> {
        self.assets
            .iter()
            .filter(|a| {
                matches_filter(
                    &self.asset_list.filter,
                    &[&a.tag, &a.name, &a.kind, &a.area, &a.site],
                )
            })
            .collect()
    }

    pub fn visible_plans(&self) -> Vec<&PlanRow> {
        self.plans
            .iter()
            .filter(|p| {
                let assets = p.assets.join(" ");
                matches_filter(
                    &self.plan_list.filter,
                    &[&p.code, &p.name, &assets, &p.procedure],
                )
            })
            .collect()
    }

    pub fn visible_items(&self) -> Vec<&ItemRow> {
        self.items
            .iter()
            .filter(|i| matches_filter(&self.item_list.filter, &[&i.code, &i.name, &i.locations]))
            .collect()
    }

    pub fn selected_order(&self) -> Option<&OrderRow> {
        pick(self.visible_orders(), self.order_list.selected)
    }

    pub fn selected_asset(&self) -> Option<&AssetRow> {
        pick(self.visible_assets(), self.asset_list.selected)
    }

    pub fn selected_plan(&self) -> Option<&PlanRow> {
        pick(self.visible_plans(), self.plan_list.selected)
    }

    pub fn selected_item(&self) -> Option<&ItemRow> {
        pick(self.visible_items(), self.item_list.selected)
    }

    pub fn list(&self) -> Option<&ListView> {
        match self.view {
            WoView::Orders => Some(&self.order_list),
            WoView::Order => self.order.as_ref().map(|o| &o.list),
            WoView::Assets => Some(&self.asset_list),
            WoView::Asset => self.asset.as_ref().map(|a| &a.list),
            WoView::Plans => Some(&self.plan_list),
            WoView::Inventory => Some(&self.item_list),
            WoView::Kpis => Some(&self.kpis.list),
        }
    }

    pub fn list_mut(&mut self) -> Option<&mut ListView> {
        match self.view {
            WoView::Orders => Some(&mut self.order_list),
            WoView::Order => self.order.as_mut().map(|o| &mut o.list),
            WoView::Assets => Some(&mut self.asset_list),
            WoView::Asset => self.asset.as_mut().map(|a| &mut a.list),
            WoView::Plans => Some(&mut self.plan_list),
            WoView::Inventory => Some(&mut self.item_list),
            WoView::Kpis => Some(&mut self.kpis.list),
        }
    }

    /// Rows of the current view's list (the order page: its checklist items).
    pub fn visible_len(&self) -> usize {
        match self.view {
            WoView::Orders => self.visible_orders().len(),
            WoView::Order => self.order.as_ref().map_or(0, |o| o.checklist.len()),
            WoView::Assets => self.visible_assets().len(),
            WoView::Asset => self.asset.as_ref().map_or(0, |a| a.orders().len()),
            WoView::Plans => self.visible_plans().len(),
            WoView::Inventory => self.visible_items().len(),
            WoView::Kpis => self.kpis.rows.len(),
        }
    }

    /// Whether `/` filters the current view (pages have no text filter).
    pub fn filterable(&self) -> bool {
        !matches!(self.view, WoView::Order | WoView::Asset | WoView::Kpis)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn row(id: u64, status: &str, kind: &str, assignee: &str, overdue: bool) -> OrderRow {
        OrderRow {
            id,
            title: format!("Ordem {id}"),
            kind: kind.into(),
            priority: "medium".into(),
            status: status.into(),
            asset: "CAG-CH-02".into(),
            assignee: assignee.into(),
            overdue,
            ..OrderRow::default()
        }
    }

    #[test]
    fn the_order_filter_narrows_by_status_type_assignee_and_overdue() {
        let mut p = WoPane {
            orders: vec![
                row(1, "open", "corrective", "ana", true),
                row(2, "done", "preventive", "", false),
                row(3, "on_hold", "preventive", "", false),
            ],
            ..WoPane::default()
        };
        let ids = |p: &WoPane| p.visible_orders().iter().map(|o| o.id).collect::<Vec<_>>();
        assert_eq!(ids(&p), [1, 3]);
        p.filter.status = StatusFilter::All;
        assert_eq!(ids(&p), [1, 2, 3]);
        p.filter.kind = Some("preventive".into());
        assert_eq!(ids(&p), [2, 3]);
        p.filter.assignee = "-".into();
        p.filter.status = StatusFilter::OnHold;
        assert_eq!(ids(&p), [3]);
        p.filter = OrderFilter {
            overdue_only: true,
            status: StatusFilter::All,
            ..OrderFilter::default()
        };
        assert_eq!(ids(&p), [1]);
        assert!(p.filter.is_narrowed());
        p.filter = OrderFilter::default();
        p.order_list.filter = "ordem 3".into();
        assert_eq!(ids(&p), [3]);
        assert_eq!(p.selected_order().map(|o| o.id), Some(3));
        assert_eq!(StatusFilter::All.next(), StatusFilter::Active);
        assert_eq!(
            StatusFilter::from_code("on_hold"),
            Some(StatusFilter::OnHold)
        );
    }
}
