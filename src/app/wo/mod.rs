//! The Work-orders pane: its views and pages, the order list's filters, and the forms and
//! prompts that open, move, book on and close an order, answer its checklist, receive and adjust
//! stock, and export. Keys for an open form or prompt come here before the keymap, so typing "c"
//! in a note never completes an order. Writes carry the record version the screen showed; the
//! services refuse a stale one with who changed it and when.

mod actions;
mod forms;
mod load;
pub mod protocol;
mod purpose;
pub(crate) mod write;

pub use load::{Freshness, serve, time_loads};

use opsdeck_views::panes::wo::text::text as wo_text;
use std::collections::BTreeMap;
use std::path::PathBuf;

use opsdeck_storage::records::work_order::WoStatus;
use opsdeck_views::Action;
use opsdeck_views::action::WoAct;
use opsdeck_views::state::wo::WoView;
use opsdeck_views::state::{ListView, PaneId, Shell};
use ratatui::crossterm::event::KeyEvent;

use super::link::Link;
use super::modal::{Modal, Step};
use super::outcome::{Failed, Saved};
use super::pane::{Cx, Pane, Reload};
use super::protocol::{Cmd, Reply};
use crate::domain::cmms::inventory::ItemInput;
use crate::domain::cmms::plans::PlanInput;
use crate::domain::cmms::work_orders::OrderRef;
use protocol::{OrderFacts, WoCmd, WoData, WoQuery, WoReply, WoWrite};
use purpose::{FormKind, PromptKind};

/// What the pane knows beyond what it shows.
#[derive(Debug, Default)]
pub struct WorkOrders {
    query: WoQuery,
    facts: Option<OrderFacts>,
    plan_versions: BTreeMap<String, (bool, u64)>,
    item_locations: BTreeMap<String, Vec<String>>,
    item_raw: BTreeMap<String, (u64, ItemInput)>,
    asset_raw: BTreeMap<String, (u64, opsdeck_storage::records::asset::Asset)>,
    plan_raw: BTreeMap<String, (u64, PlanInput)>,
    procedures: Vec<String>,
    modal: Modal<FormKind, PromptKind>,
    /// Where Esc from the order page goes back to.
    back_to: WoView,
    /// Where Esc from the asset page goes back to (the asset list, or the KPIs).
    asset_back_to: WoView,
    /// The pane an order page was opened from (Telemetry, for an alert's order): Esc returns.
    back_to_pane: Option<PaneId>,
    /// `e` on the order list: open the edit form once the order's page has loaded.
    edit_when_loaded: bool,
}

impl Pane for WorkOrders {
    fn id(&self) -> PaneId {
        PaneId::WorkOrders
    }

    /// Keys for an open form or prompt; false leaves the key to the keymap.
    fn key(&mut self, cx: &mut Cx, k: KeyEvent) -> bool {
        let p = &mut cx.shell.wo;
        match self
            .modal
            .key(&mut p.form, &mut p.prompt, cx.shell.locale, k)
        {
            Step::Free => false,
            Step::Kept | Step::Closed | Step::Choice(_) => true,
            Step::Form(kind) => {
                self.submit_form(cx, kind);
                true
            }
            Step::Prompt(kind, input) => {
                self.submit_prompt(cx, kind, input);
                true
            }
        }
    }

    fn act(&mut self, cx: &mut Cx, a: Action) -> bool {
        match a {
            Action::Wo(w) => self.wo_action(cx, w),
            Action::Open => self.wo_open(cx),
            Action::New => self.wo_new(cx),
            Action::Edit => self.wo_edit(cx),
            Action::PageUp | Action::PageDown => {
                return self.wo_scroll(cx, a == Action::PageDown);
            }
            Action::Up | Action::Down | Action::Top | Action::Bottom => {
                // The order page follows its checklist cursor again once the cursor moves.
                if let Some(o) = cx.shell.wo.order.as_mut() {
                    o.scroll = 0;
                }
                return false;
            }
            _ => return false,
        }
        true
    }

    fn reply(&mut self, cx: &mut Cx, r: Reply) {
        match r {
            Reply::Wo(WoReply::Loaded(d)) => self.wo_loaded(cx, *d),
            Reply::Saved(_, s) => self.saved(cx, s),
            Reply::Failed(_, f) => self.failed(cx, f),
            _ => {}
        }
    }

    fn reload(&mut self, cx: &mut Cx, why: Reload) {
        let query = self.wo_query(cx);
        // After a commit somewhere, the worker loads again only when a record changed
        // (readings arrive every second and change nothing here) or the last load is old.
        let poll = why == Reload::Changed;
        cx.send(Cmd::Wo(WoCmd::Load { query, poll }));
    }

    fn back(&mut self, cx: &mut Cx) -> bool {
        self.wo_back(cx)
    }

    fn paste(&mut self, cx: &mut Cx, text: &str) {
        let p = &mut cx.shell.wo;
        self.modal.paste(&mut p.form, &mut p.prompt, text);
    }

    fn follow(&mut self, cx: &mut Cx, link: &Link) -> bool {
        match link {
            Link::Order(id) => {
                cx.go(PaneId::WorkOrders);
                self.open_order(cx, *id);
            }
            Link::Asset(tag) => {
                cx.go(PaneId::WorkOrders);
                self.open_asset(cx, tag.clone());
            }
            Link::AlertOrder(key) => {
                cx.notice(wo_text(cx.shell.locale).opening_alert_s_order);
                self.send_now(cx, WoWrite::FromAlert(key.clone()));
            }
            _ => return false,
        }
        true
    }

    fn unstick(&mut self, cx: &mut Cx, error: &str) {
        let p = &mut cx.shell.wo;
        self.modal.unstick(&mut p.form, &mut p.prompt, error);
    }

    fn busy(&self, shell: &Shell) -> bool {
        shell.wo.form.is_some() || shell.wo.prompt.is_some()
    }

    fn list<'s>(&self, shell: &'s mut Shell) -> Option<(&'s mut ListView, usize)> {
        let n = shell.wo.visible_len();
        shell.wo.list_mut().map(|l| (l, n))
    }

    fn filterable(&self, shell: &mut Shell) -> bool {
        shell.wo.filterable()
    }
}

impl WorkOrders {
    fn wo_query(&self, cx: &Cx) -> WoQuery {
        WoQuery {
            plans: cx.shell.wo.view == WoView::Plans,
            moves: cx.shell.wo.view == WoView::Inventory,
            ..self.query.clone()
        }
    }

    pub(super) fn reload_wo(&mut self, cx: &mut Cx) {
        self.reload(cx, Reload::Shown);
    }

    pub(super) fn wo_loaded(&mut self, cx: &mut Cx, d: WoData) {
        let p = &mut cx.shell.wo;
        // Keep the cursor on the same record as the lists re-sort.
        let order = p.selected_order().map(|o| o.id);
        let asset = p.selected_asset().map(|a| a.tag.clone());
        let item = p.selected_item().map(|i| i.code.clone());
        let kpi_asset = p
            .kpis
            .rows
            .get(p.kpis.list.selected)
            .map(|r| r.asset.clone());
        p.orders = d.orders;
        p.assets = d.assets;
        p.items = d.items;
        let kpi_list = std::mem::take(&mut p.kpis.list);
        p.kpis = d.kpis;
        p.kpis.list = kpi_list;
        // KPI rows re-sort as downtime grows: keep the cursor on the asset.
        if let Some(tag) = kpi_asset
            && let Some(i) = p.kpis.rows.iter().position(|r| r.asset == tag)
        {
            p.kpis.list.selected = i;
        }
        p.rights = d.rights;
        p.loaded = true;
        if let Some(id) = order
            && let Some(i) = p.visible_orders().iter().position(|o| o.id == id)
        {
            p.order_list.selected = i;
        }
        if let Some(tag) = asset
            && let Some(i) = p.visible_assets().iter().position(|a| a.tag == tag)
        {
            p.asset_list.selected = i;
        }
        if let Some(code) = item
            && let Some(i) = p.visible_items().iter().position(|x| x.code == code)
        {
            p.item_list.selected = i;
        }
        // A load that left before our last write on this order landed shows it as it was:
        // keep what we have until the next load (the write asked for one).
        let stale = |f: &OrderFacts| {
            self.facts
                .as_ref()
                .is_some_and(|old| old.id == f.id && old.version > f.version)
        };
        match d.order {
            Some((mut detail, facts)) if self.query.order == Some(facts.id) && !stale(&facts) => {
                if let Some(old) = p.order.as_ref().filter(|o| o.row.id == facts.id) {
                    detail.list = old.list.clone();
                    detail.scroll = old.scroll;
                }
                let n = detail.checklist.len();
                detail.list.selected = detail.list.selected.min(n.saturating_sub(1));
                p.order = Some(detail);
                self.facts = Some(facts);
            }
            _ => {}
        }
        if let Some(mut detail) = d.asset
            && self.query.asset.as_deref() == Some(detail.row.tag.as_str())
        {
            // Orders move from open to past: keep the cursor on the same order.
            if let Some(old) = p.asset.as_ref().filter(|a| a.row.tag == detail.row.tag) {
                detail.list = old.list.clone();
                if let Some(id) = old.selected_order().map(|o| o.id)
                    && let Some(i) = detail.orders().iter().position(|o| o.id == id)
                {
                    detail.list.selected = i;
                }
            }
            let n = detail.orders().len();
            detail.list.selected = detail.list.selected.min(n.saturating_sub(1));
            p.asset = Some(detail);
        }
        if let Some((rows, versions, raw)) = d.plans {
            let p = &mut cx.shell.wo;
            let plan = p.selected_plan().map(|x| x.code.clone());
            p.plans = rows;
            if let Some(code) = plan
                && let Some(i) = p.visible_plans().iter().position(|x| x.code == code)
            {
                p.plan_list.selected = i;
            }
            self.plan_versions = versions;
            self.plan_raw = raw;
        }
        self.item_locations = d.item_locations;
        self.item_raw = d.item_raw;
        self.asset_raw = d.asset_raw;
        self.procedures = d.procedures;
        if self.edit_when_loaded
            && self.facts.is_some()
            && cx.shell.wo.form.is_none()
            && cx.shell.wo.prompt.is_none()
        {
            self.edit_when_loaded = false;
            self.open_edit_order(cx);
        }
        self.clamp_wo(cx);
    }

    fn clamp_wo(&mut self, cx: &mut Cx) {
        let n = cx.shell.wo.visible_len();
        if let Some(l) = cx.shell.wo.list_mut() {
            l.selected = l.selected.min(n.saturating_sub(1));
        }
    }

    /// A write went through: close its form or prompt, say so, open the order it names. The
    /// page takes the order's new version at once, so the next key does not conflict with it.
    fn saved(&mut self, cx: &mut Cx, s: Saved) {
        let p = &mut cx.shell.wo;
        self.modal.saved(s.generation, &mut p.form, &mut p.prompt);
        if let (Some((id, version)), Some(f)) = (s.version, self.facts.as_mut())
            && f.id == id
        {
            f.version = f.version.max(version);
        }
        cx.notice(s.notice);
        match s.open {
            // An order from an alert: shown at once if the user is still where they asked
            // for it, else named in the notice (their typing must not land in another pane).
            Some(Link::Order(id)) if cx.shell.pane == PaneId::Telemetry => {
                if !cx.busy {
                    cx.go(PaneId::WorkOrders);
                    self.back_to_pane = Some(PaneId::Telemetry);
                    self.open_order(cx, id);
                }
            }
            Some(Link::Order(id)) if cx.shell.pane == PaneId::WorkOrders => self.open_order(cx, id),
            _ => self.reload_wo(cx),
        }
    }

    /// A write was refused: on its field when the form has one, else on the form, the prompt or
    /// the status line. Nothing typed is lost.
    fn failed(&mut self, cx: &mut Cx, f: Failed) {
        let p = &mut cx.shell.wo;
        if let Some(e) = self
            .modal
            .failed(&f, &mut p.form, &mut p.prompt, cx.shell.locale)
        {
            cx.error(e);
        }
        self.reload_wo(cx);
    }

    /// Sends the open form's or prompt's write; false (nothing sent) while its previous one is
    /// still on its way.
    fn send_write(&mut self, cx: &mut Cx, write: WoWrite) -> bool {
        let Some(generation) = self.modal.sending() else {
            return false;
        };
        cx.send(Cmd::Wo(WoCmd::Write {
            write: Box::new(write),
            generation,
        }));
        true
    }

    /// A write without a form (start, down, pause): generation 0, which no form has, so its
    /// answer never closes or marks one.
    fn send_now(&mut self, cx: &mut Cx, write: WoWrite) {
        cx.send(Cmd::Wo(WoCmd::Write {
            write: Box::new(write),
            generation: 0,
        }));
    }

    pub(super) fn open_order(&mut self, cx: &mut Cx, id: u64) {
        if cx.shell.wo.view != WoView::Order {
            self.back_to = match cx.shell.wo.view {
                WoView::Asset => WoView::Asset,
                _ => WoView::Orders,
            };
        }
        if cx.shell.wo.order.as_ref().is_none_or(|o| o.row.id != id) {
            cx.shell.wo.order = None;
            self.facts = None;
            self.edit_when_loaded = false;
        }
        cx.shell.wo.view = WoView::Order;
        self.query.order = Some(id);
        self.reload_wo(cx);
    }

    pub(super) fn open_asset(&mut self, cx: &mut Cx, tag: String) {
        if cx.shell.wo.asset.as_ref().is_none_or(|a| a.row.tag != tag) {
            cx.shell.wo.asset = None;
        }
        cx.shell.wo.show_qr = false;
        if cx.shell.wo.view != WoView::Asset {
            self.asset_back_to = match cx.shell.wo.view {
                WoView::Kpis => WoView::Kpis,
                _ => WoView::Assets,
            };
        }
        cx.shell.wo.view = WoView::Asset;
        self.query.asset = Some(tag);
        self.reload_wo(cx);
    }

    /// One of the pane's lists. Pages left behind stop being loaded; the view loads what only
    /// it shows (plans' outlook, stock movements).
    pub(super) fn set_wo_view(&mut self, cx: &mut Cx, v: WoView) {
        let changed = cx.shell.wo.view != v;
        cx.shell.wo.view = v;
        cx.shell.filtering = false;
        self.query.order = None;
        self.query.asset = None;
        self.facts = None;
        self.back_to_pane = None;
        self.clamp_wo(cx);
        if changed {
            self.reload_wo(cx);
        }
    }

    /// The order the keys act on: the open page's, at the version shown.
    fn order_at(&self, cx: &Cx) -> Option<(OrderRef, &OrderFacts)> {
        if cx.shell.wo.view != WoView::Order {
            return None;
        }
        let f = self.facts.as_ref()?;
        Some((OrderRef::at(f.id, f.version), f))
    }

    /// Keys that need an order page say so when there is none.
    pub(super) fn need_order(&mut self, cx: &mut Cx) -> Option<(OrderRef, OrderFacts)> {
        match self.order_at(cx) {
            Some((at, f)) => Some((at, f.clone())),
            None => {
                let why = if cx.shell.wo.view == WoView::Order {
                    wo_text(cx.shell.locale).loading_order
                } else {
                    wo_text(cx.shell.locale).open_order_enter_list
                };
                cx.shell.status.notice = Some(why.to_owned());
                None
            }
        }
    }

    pub(super) fn wo_open(&mut self, cx: &mut Cx) {
        let p = &cx.shell.wo;
        match p.view {
            WoView::Orders => {
                if let Some(id) = p.selected_order().map(|o| o.id) {
                    self.open_order(cx, id);
                }
            }
            WoView::Order => self.wo_action(cx, WoAct::Toggle),
            WoView::Assets => {
                if let Some(tag) = p.selected_asset().map(|a| a.tag.clone()) {
                    self.open_asset(cx, tag);
                }
            }
            WoView::Asset => {
                if let Some(id) = p
                    .asset
                    .as_ref()
                    .and_then(|a| a.selected_order())
                    .map(|o| o.id)
                {
                    self.open_order(cx, id);
                }
            }
            WoView::Kpis => {
                let tag = p
                    .kpis
                    .rows
                    .get(p.kpis.list.selected)
                    .map(|r| r.asset.clone());
                if let Some(tag) = tag {
                    self.open_asset(cx, tag);
                }
            }
            WoView::Plans | WoView::Inventory => {}
        }
    }

    /// Esc: leave the large QR, the order page, the asset page. False when there is nothing to
    /// go back from.
    pub(super) fn wo_back(&mut self, cx: &mut Cx) -> bool {
        let p = &mut cx.shell.wo;
        match p.view {
            WoView::Asset if p.show_qr => p.show_qr = false,
            WoView::Order => {
                p.view = self.back_to;
                self.query.order = None;
                self.facts = None;
                self.edit_when_loaded = false;
                if let Some(pane) = self.back_to_pane.take() {
                    // An alert's order goes back to the alert list it came from.
                    cx.go(pane);
                } else if p.view == WoView::Asset {
                    self.reload_wo(cx);
                }
            }
            WoView::Asset => {
                p.view = self.asset_back_to;
                self.query.asset = None;
            }
            _ => return false,
        }
        true
    }

    pub(super) fn wo_new(&mut self, cx: &mut Cx) {
        let l = cx.shell.locale;
        match cx.shell.wo.view {
            WoView::Inventory => {
                if !cx.shell.wo.rights.stock {
                    return self.wo_denied(cx);
                }
                let fields = self.item_fields(cx, None);
                self.open_form(
                    cx,
                    FormKind::Item(None),
                    wo_text(l).new_stock_item.to_owned(),
                    fields,
                );
            }
            WoView::Plans => {
                if !cx.shell.wo.rights.manage {
                    return self.wo_denied(cx);
                }
                self.open_plan_form(cx, None);
            }
            WoView::Assets => {
                if !cx.shell.wo.rights.manage {
                    return self.wo_denied(cx);
                }
                self.open_asset_form(cx, None);
            }
            view => {
                if !cx.shell.wo.rights.create {
                    return self.wo_denied(cx);
                }
                let asset = match view {
                    WoView::Asset => cx.shell.wo.asset.as_ref().map(|a| a.row.tag.clone()),
                    WoView::Order => cx
                        .shell
                        .wo
                        .order
                        .as_ref()
                        .map(|o| o.row.asset.clone())
                        .filter(|a| !a.is_empty()),
                    _ => None,
                };
                self.open_new_order(cx, asset.unwrap_or_default());
            }
        }
    }

    pub(super) fn wo_denied(&mut self, cx: &mut Cx) {
        let role = cx.shell.status.role.clone().unwrap_or_else(|| "—".into());
        cx.shell.status.last_error = Some(format!(
            "{} ({role})",
            wo_text(cx.shell.locale).your_role_may_not
        ));
    }

    pub(super) fn wo_edit(&mut self, cx: &mut Cx) {
        match cx.shell.wo.view {
            WoView::Order => self.open_edit_order(cx),
            WoView::Assets | WoView::Asset => {
                let tag = match cx.shell.wo.view {
                    WoView::Asset => cx.shell.wo.asset.as_ref().map(|a| a.row.tag.clone()),
                    _ => cx.shell.wo.selected_asset().map(|a| a.tag.clone()),
                };
                let Some(tag) = tag else {
                    return;
                };
                if !cx.shell.wo.rights.manage {
                    return self.wo_denied(cx);
                }
                self.open_asset_form(cx, Some(tag));
            }
            WoView::Orders => {
                if let Some(id) = cx.shell.wo.selected_order().map(|o| o.id) {
                    self.edit_when_loaded = true;
                    self.open_order(cx, id);
                }
            }
            WoView::Inventory => {
                let Some(code) = cx.shell.wo.selected_item().map(|i| i.code.clone()) else {
                    return;
                };
                if !cx.shell.wo.rights.stock {
                    return self.wo_denied(cx);
                }
                let Some((version, _)) = self.item_raw.get(&code) else {
                    return;
                };
                let version = *version;
                let fields = self.item_fields(cx, Some(&code));
                let title = format!("{} {code}", wo_text(cx.shell.locale).edit_item);
                self.open_form(cx, FormKind::Item(Some((code, version))), title, fields);
            }
            WoView::Plans => {
                let Some(code) = cx.shell.wo.selected_plan().map(|p| p.code.clone()) else {
                    return;
                };
                if !cx.shell.wo.rights.manage {
                    return self.wo_denied(cx);
                }
                self.open_plan_form(cx, Some(code));
            }
            _ => self.wo_new(cx),
        }
    }

    /// Enter on a prompt: the write it asks for (the services say what is missing: a reason,
    /// a note's text).
    fn submit_prompt(&mut self, cx: &mut Cx, kind: PromptKind, input: String) {
        let write = match kind {
            PromptKind::Hold(at) => WoWrite::Move {
                at,
                from: None,
                to: WoStatus::OnHold,
                reason: input,
            },
            PromptKind::Cancel(at) => WoWrite::Move {
                at,
                from: None,
                to: WoStatus::Cancelled,
                reason: input,
            },
            PromptKind::Note(at) => WoWrite::Note(at, input),
            PromptKind::Estimate(at) => {
                let value = if input.trim().is_empty() {
                    None
                } else {
                    match crate::app::typed_input::parse(cx.shell.locale, &input) {
                        Ok(v) => Some(v),
                        Err(e) => {
                            if let Some(p) = cx.shell.wo.prompt.as_mut() {
                                p.error = Some(e);
                            }
                            return;
                        }
                    }
                };
                WoWrite::Estimate(at, value)
            }
            PromptKind::Attach(at) => {
                if input.is_empty() {
                    if let Some(p) = cx.shell.wo.prompt.as_mut() {
                        p.error = Some(wo_text(cx.shell.locale).type_file_s_path.to_owned());
                    }
                    return;
                }
                WoWrite::Attach(at, PathBuf::from(input))
            }
        };
        self.send_write(cx, write);
    }

    /// PgUp/PgDn on the order page scroll it (it is taller than the screen at 80x24).
    fn wo_scroll(&mut self, cx: &mut Cx, down: bool) -> bool {
        if cx.shell.wo.view != WoView::Order {
            return false;
        }
        let page = cx.page;
        if let Some(o) = cx.shell.wo.order.as_mut() {
            // The view stops at the page's end; paging far past it would leave PgUp dead for
            // as many presses, so the offset stays within a generous count of its lines.
            let lines = 16
                + 3 * o.checklist.len()
                + 2 * (o.parts.len() + o.labor.len() + o.services.len() + o.evidence.len())
                + 4 * o.notes.len()
                + 3 * o.history.len()
                + o.downtime.len()
                + o.description.len() / 40;
            o.scroll = if down {
                o.scroll
                    .saturating_add(page)
                    .min(lines.saturating_sub(page))
            } else {
                o.scroll.saturating_sub(page)
            };
        }
        true
    }
}
