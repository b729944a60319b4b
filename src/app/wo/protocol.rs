//! What the Work-orders pane asks the worker for and what comes back: the loads (the lists, the
//! page it has open) and the writes, each through the domain services.

use std::collections::BTreeMap;
use std::path::PathBuf;

use jiff::Timestamp;
use opsdeck_storage::records::asset::Asset;
use opsdeck_storage::records::work_order::{ItemResult, WoKind, WoStatus};
use opsdeck_views::state::wo::{
    AssetDetail, AssetRow, ItemRow, Kpis, OrderDetail, OrderRow, PlanRow, WoRights,
};
use rust_decimal::Decimal;

use crate::domain::cmms::assets::AssetInput;
use crate::domain::cmms::inventory::ItemInput;
use crate::domain::cmms::plans::PlanInput;
use crate::domain::cmms::work_orders::{Filter, LaborInput, NewOrder, OrderEdit, OrderRef};

#[derive(Debug, Clone, serde::Serialize, serde::Deserialize)]
pub enum WoCmd {
    /// `poll`: asked because something was committed; skipped when no record changed since
    /// the last load of the same query (and that load is recent).
    Load { query: WoQuery, poll: bool },
    /// A write of form or prompt `generation` (0: none).
    Write {
        write: Box<WoWrite>,
        generation: u64,
    },
}

#[derive(Debug, Clone, serde::Serialize, serde::Deserialize)]
pub enum WoReply {
    Loaded(Box<WoData>),
}

/// The plan rows, and per code (active, version) and (version, input as stored).
pub type PlanRows = (
    Vec<PlanRow>,
    BTreeMap<String, (bool, u64)>,
    BTreeMap<String, (u64, PlanInput)>,
);

/// What the pane asks for besides the lists: the page it has open.
#[derive(Debug, Clone, Default, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct WoQuery {
    pub order: Option<u64>,
    pub asset: Option<String>,
    /// The plans view is showing: their outlook (per asset, reading counters) is worth it.
    pub plans: bool,
    /// The inventory view is showing: each item's last movements.
    pub moves: bool,
}

/// The order page's record facts the state machine needs to act on it.
#[derive(Debug, Clone, Default, serde::Serialize, serde::Deserialize)]
pub struct OrderFacts {
    pub id: u64,
    pub version: u64,
    pub status: String,
    pub kind: String,
    /// Linked to an alert that is still open: closing offers to resolve it.
    pub alert_open: bool,
    /// When the linked alert was raised: where the asset's downtime starts by default.
    pub alert_raised: Option<Timestamp>,
    pub has_asset: bool,
    /// For the edit form, as stored.
    pub title: String,
    pub description: String,
    pub priority: String,
    pub assignee: String,
    /// YYYY-MM-DD in the tenant zone.
    pub due: String,
    /// The due instant as stored (kept when the edit form leaves the date alone).
    pub due_at: Option<Timestamp>,
    /// Per checklist item: measured (true) or pass/fail, its answer as typed back, its note.
    pub items: Vec<(bool, String, String)>,
}

#[derive(Debug, Clone, Default, serde::Serialize, serde::Deserialize)]
pub struct WoData {
    pub orders: Vec<OrderRow>,
    pub order: Option<(OrderDetail, OrderFacts)>,
    pub assets: Vec<AssetRow>,
    pub asset: Option<AssetDetail>,
    /// None when the plans view is not showing (what was shown last stays).
    pub plans: Option<PlanRows>,
    pub items: Vec<ItemRow>,
    /// Item code -> its stock locations, for the part form's default.
    pub item_locations: BTreeMap<String, Vec<String>>,
    /// Asset tag -> (version, the asset as stored), for the asset's edit form.
    pub asset_raw: BTreeMap<String, (u64, Asset)>,
    /// Item code -> (version, fields as stored), for the item's edit form.
    pub item_raw: BTreeMap<String, (u64, ItemInput)>,
    pub kpis: Kpis,
    pub rights: WoRights,
    /// Procedure codes, for the new-order form.
    pub procedures: Vec<String>,
    /// Asset tags that exist, for the forms' checks.
    pub asset_tags: Vec<String>,
}

/// One write the pane asks for.
#[derive(Debug, Clone, serde::Serialize, serde::Deserialize)]
pub enum WoWrite {
    Create(NewOrder),
    Update(OrderRef, OrderEdit),
    /// start, resume, hold, cancel (with the reason).
    Move {
        at: OrderRef,
        from: Option<WoStatus>,
        to: WoStatus,
        reason: String,
    },
    Complete {
        at: OrderRef,
        note: String,
        resolve_alert: bool,
    },
    Answer {
        at: OrderRef,
        item: usize,
        result: ItemResult,
        note: String,
    },
    Part {
        at: OrderRef,
        item: String,
        location: Option<String>,
        qty: Decimal,
        /// Give back to stock what was issued, instead of issuing.
        give_back: bool,
    },
    Labor(OrderRef, LaborInput),
    Service {
        at: OrderRef,
        description: String,
        amount: Decimal,
    },
    Note(OrderRef, String),
    /// The cost estimate (None clears it).
    Estimate(OrderRef, Option<Decimal>),
    Attach(OrderRef, PathBuf),
    /// The asset down from (true) or back up at (false) the instant.
    Down(OrderRef, bool, Timestamp),
    /// A predictive order from an alert (record key), with the readings snapshot.
    FromAlert(String),
    PlanActive {
        code: String,
        active: bool,
    },
    Receive {
        code: String,
        location: String,
        qty: Decimal,
        unit_cost: Option<Decimal>,
        note: String,
    },
    Adjust {
        code: String,
        location: String,
        qty: Decimal,
        reason: String,
    },
    /// `version`: of the asset edited (None: a new asset tagged `tag`).
    SaveAsset {
        tag: String,
        input: AssetInput,
        version: Option<u64>,
        /// The devices linked to it after the save (linked and unlinked to match).
        sensors: Vec<String>,
    },
    /// `version`: of the plan edited (None: a new plan).
    SavePlan(PlanInput, Option<u64>),
    /// `version`: of the item edited (None: a new item).
    SaveItem(ItemInput, Option<u64>),
    /// The order list (as filtered) and cost per asset, XLSX and CSV, into `dir`.
    Export {
        filter: Filter,
        kind: Option<WoKind>,
        dir: PathBuf,
    },
    /// QR label sheets of every active asset, into `dir`.
    Labels {
        dir: PathBuf,
    },
}
