//! The Work-orders pane's part of the state machine: its views and pages, the order list's
//! filters, and the forms and prompts that open, move, book on and close an order, answer its
//! checklist, receive and adjust stock, and export. Keys for an open form or prompt come here
//! before the keymap, so typing "c" in a note never completes an order. Writes carry the record
//! version the screen showed; the services refuse a stale one with who changed it and when.

use std::collections::BTreeMap;
use std::path::PathBuf;

use opsdeck_storage::records::work_order::{WoKind, WoStatus};
use opsdeck_views::action::WoAct;
use opsdeck_views::state::PaneId;
use opsdeck_views::state::wo::{KINDS, StatusFilter, WoView};
use ratatui::crossterm::event::KeyEvent;

use super::form::{self, FormKey};
use super::update::App;
use super::wo_act::WoWrite;
use super::wo_forms::{FormKind, PromptKind, choice, kind_word, status_word, text};
use super::wo_load::{OrderFacts, WoData, WoQuery};
use super::worker::Cmd;
use crate::domain::cmms::inventory::ItemInput;
use crate::domain::cmms::plans::PlanInput;
use crate::domain::cmms::work_orders::{Filter, OrderRef};

/// What the pane knows beyond what it shows.
#[derive(Debug, Default)]
pub struct WoCtx {
    pub(super) query: WoQuery,
    pub(super) facts: Option<OrderFacts>,
    pub(super) plan_versions: BTreeMap<String, (bool, u64)>,
    pub(super) item_locations: BTreeMap<String, Vec<String>>,
    pub(super) item_raw: BTreeMap<String, (u64, ItemInput)>,
    pub(super) asset_raw: BTreeMap<String, (u64, opsdeck_storage::records::asset::Asset)>,
    pub(super) plan_raw: BTreeMap<String, (u64, PlanInput)>,
    pub(super) procedures: Vec<String>,
    pub(super) form: Option<(FormKind, Vec<String>)>,
    pub(super) prompt: Option<PromptKind>,
    /// Counts forms and prompts opened: a late answer about an earlier one leaves the current
    /// one alone.
    pub(super) generation: u64,
    /// Where Esc from the order page goes back to.
    pub(super) back_to: WoView,
    /// Where Esc from the asset page goes back to (the asset list, or the KPIs).
    pub(super) asset_back_to: WoView,
    /// The pane an order page was opened from (Telemetry, for an alert's order): Esc returns.
    pub(super) back_to_pane: Option<PaneId>,
    /// The form or prompt generation whose write is on its way: Enter waits for its answer, so
    /// a double Enter on a slow link does not write twice.
    pub(super) saving: Option<u64>,
    /// Esc was pressed once on a prompt with text: the next Esc discards it.
    pub(super) prompt_discard: bool,
    /// `e` on the order list: open the edit form once the order's page has loaded.
    pub(super) edit_when_loaded: bool,
}

impl App {
    fn wo_tr(&self, pt: &'static str, en: &'static str) -> &'static str {
        self.shell.locale.tr(pt, en)
    }

    pub(super) fn reload_wo(&mut self) {
        let query = self.wo_query();
        self.send(Cmd::LoadWo { query, poll: false });
    }

    /// After a commit somewhere: the worker reloads only when a record changed (readings
    /// arrive every second and change nothing here) or the last load is getting old.
    pub(super) fn reload_wo_polled(&mut self) {
        let query = self.wo_query();
        self.send(Cmd::LoadWo { query, poll: true });
    }

    fn wo_query(&self) -> WoQuery {
        WoQuery {
            plans: self.shell.wo.view == WoView::Plans,
            moves: self.shell.wo.view == WoView::Inventory,
            ..self.wo.query.clone()
        }
    }

    pub(super) fn wo_loaded(&mut self, d: WoData) {
        let p = &mut self.shell.wo;
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
            self.wo
                .facts
                .as_ref()
                .is_some_and(|old| old.id == f.id && old.version > f.version)
        };
        match d.order {
            Some((mut detail, facts))
                if self.wo.query.order == Some(facts.id) && !stale(&facts) =>
            {
                if let Some(old) = p.order.as_ref().filter(|o| o.row.id == facts.id) {
                    detail.list = old.list.clone();
                    detail.scroll = old.scroll;
                }
                let n = detail.checklist.len();
                detail.list.selected = detail.list.selected.min(n.saturating_sub(1));
                p.order = Some(detail);
                self.wo.facts = Some(facts);
            }
            _ => {}
        }
        if let Some(mut detail) = d.asset
            && self.wo.query.asset.as_deref() == Some(detail.row.tag.as_str())
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
            let p = &mut self.shell.wo;
            let plan = p.selected_plan().map(|x| x.code.clone());
            p.plans = rows;
            if let Some(code) = plan
                && let Some(i) = p.visible_plans().iter().position(|x| x.code == code)
            {
                p.plan_list.selected = i;
            }
            self.wo.plan_versions = versions;
            self.wo.plan_raw = raw;
        }
        self.wo.item_locations = d.item_locations;
        self.wo.item_raw = d.item_raw;
        self.wo.asset_raw = d.asset_raw;
        self.wo.procedures = d.procedures;
        if self.wo.edit_when_loaded
            && self.wo.facts.is_some()
            && self.shell.wo.form.is_none()
            && self.shell.wo.prompt.is_none()
        {
            self.wo.edit_when_loaded = false;
            self.open_edit_order();
        }
        self.clamp_wo();
    }

    fn clamp_wo(&mut self) {
        let n = self.shell.wo.visible_len();
        if let Some(l) = self.shell.wo.list_mut() {
            l.selected = l.selected.min(n.saturating_sub(1));
        }
    }

    /// A write went through: close its form or prompt, say so, open the order it names. The
    /// page takes the order's new version at once, so the next key does not conflict with it.
    pub(super) fn wo_saved(
        &mut self,
        notice: String,
        open: Option<u64>,
        order: Option<(u64, u64)>,
        generation: u64,
    ) {
        if self.wo.saving == Some(generation) {
            self.wo.saving = None;
        }
        if generation != 0 && generation == self.wo.generation {
            self.shell.wo.form = None;
            self.shell.wo.prompt = None;
            self.wo.form = None;
            self.wo.prompt = None;
        }
        if let (Some((id, version)), Some(f)) = (order, self.wo.facts.as_mut())
            && f.id == id
        {
            f.version = f.version.max(version);
        }
        self.shell.status.notice = Some(notice);
        match open {
            // An order from an alert: shown at once if the user is still where they asked
            // for it, else named in the notice (their typing must not land in another pane).
            Some(id) if self.shell.pane == PaneId::Telemetry => {
                let busy = self.shell.overlay.is_some()
                    || self.shell.telemetry.form.is_some()
                    || self.shell.telemetry.prompt.is_some();
                if !busy {
                    self.shell.pane = PaneId::WorkOrders;
                    self.shell.filtering = false;
                    self.wo.back_to_pane = Some(PaneId::Telemetry);
                    self.open_order(id);
                }
            }
            Some(id) if self.shell.pane == PaneId::WorkOrders => self.open_order(id),
            _ => self.reload_wo(),
        }
    }

    /// A write was refused: on its field when the form has one, else on the form, the prompt or
    /// the status line. Nothing typed is lost. When someone else changed the order first, the
    /// form moves onto its current version: Enter again applies it over theirs, knowingly.
    pub(super) fn wo_failed(
        &mut self,
        error: String,
        field: Option<String>,
        conflict: Option<(String, jiff::Timestamp, u64)>,
        generation: u64,
    ) {
        if self.wo.saving == Some(generation) {
            self.wo.saving = None;
        }
        let current = generation != 0 && generation == self.wo.generation;
        let error = match &conflict {
            Some(_) if current => {
                let again = self.wo_tr(
                    "enter aplica a sua sobre a atual",
                    "enter applies yours over it",
                );
                format!("{error}; {again}")
            }
            _ => error,
        };
        if current && let Some((_, _, version)) = conflict {
            if let Some((kind, _)) = self.wo.form.as_mut() {
                kind.rebase(version);
            }
            if let Some(kind) = self.wo.prompt.as_mut() {
                kind.rebase(version);
            }
        }
        if current && let Some(f) = self.shell.wo.form.as_mut() {
            match form::place_error(&mut f.fields, field.as_deref(), &error) {
                Some(i) => {
                    f.focused = i;
                    f.message = None;
                }
                None => f.message = Some(error),
            }
        } else if current && let Some(p) = self.shell.wo.prompt.as_mut() {
            p.error = Some(error);
        } else {
            self.shell.status.last_error = Some(error);
        }
        self.reload_wo();
    }

    /// A worker error (a bug caught, a database error) ends the wait for a write's answer, and
    /// the form says what happened instead of "saving…" forever.
    pub(super) fn wo_unstick(&mut self, error: &str) {
        if self.wo.saving.take().is_some()
            && let Some(f) = self.shell.wo.form.as_mut()
        {
            f.message = Some(error.to_owned());
        }
    }

    /// Keys for an open form or prompt; false leaves the key to the keymap.
    pub(super) fn wo_key(&mut self, k: KeyEvent) -> bool {
        if self.shell.wo.prompt.is_some() {
            self.wo_prompt_key(k);
            return true;
        }
        if self.shell.wo.form.is_some() {
            self.wo_form_key(k);
            return true;
        }
        false
    }

    pub(super) fn wo_paste(&mut self, text: &str) {
        if let Some(p) = self.shell.wo.prompt.as_mut() {
            p.input
                .push_str(text.lines().next().unwrap_or("").trim_end());
            p.error = None;
        } else if let Some(f) = self.shell.wo.form.as_mut() {
            form::paste(f, text);
        }
    }

    /// Sends the open form's or prompt's write; false (nothing sent) while its previous one is
    /// still on its way.
    pub(super) fn send_write(&mut self, write: WoWrite) -> bool {
        let generation = self.wo.generation;
        if self.wo.saving == Some(generation) {
            return false;
        }
        self.wo.saving = Some(generation);
        self.send(Cmd::Wo { write, generation });
        true
    }

    /// A write without a form (start, down, pause): generation 0, which no form has, so its
    /// answer never closes or marks one.
    fn send_now(&mut self, write: WoWrite) {
        self.send(Cmd::Wo {
            write,
            generation: 0,
        });
    }

    pub(super) fn open_order(&mut self, id: u64) {
        if self.shell.wo.view != WoView::Order {
            self.wo.back_to = match self.shell.wo.view {
                WoView::Asset => WoView::Asset,
                _ => WoView::Orders,
            };
        }
        if self.shell.wo.order.as_ref().is_none_or(|o| o.row.id != id) {
            self.shell.wo.order = None;
            self.wo.facts = None;
            self.wo.edit_when_loaded = false;
        }
        self.shell.wo.view = WoView::Order;
        self.wo.query.order = Some(id);
        self.reload_wo();
    }

    pub(super) fn open_asset(&mut self, tag: String) {
        if self
            .shell
            .wo
            .asset
            .as_ref()
            .is_none_or(|a| a.row.tag != tag)
        {
            self.shell.wo.asset = None;
        }
        self.shell.wo.show_qr = false;
        if self.shell.wo.view != WoView::Asset {
            self.wo.asset_back_to = match self.shell.wo.view {
                WoView::Kpis => WoView::Kpis,
                _ => WoView::Assets,
            };
        }
        self.shell.wo.view = WoView::Asset;
        self.wo.query.asset = Some(tag);
        self.reload_wo();
    }

    /// One of the pane's lists. Pages left behind stop being loaded; the view loads what only
    /// it shows (plans' outlook, stock movements).
    pub(super) fn set_wo_view(&mut self, v: WoView) {
        let changed = self.shell.wo.view != v;
        self.shell.wo.view = v;
        self.shell.filtering = false;
        self.wo.query.order = None;
        self.wo.query.asset = None;
        self.wo.facts = None;
        self.wo.back_to_pane = None;
        self.clamp_wo();
        if changed {
            self.reload_wo();
        }
    }

    /// The order the keys act on: the open page's, at the version shown.
    fn order_at(&self) -> Option<(OrderRef, &OrderFacts)> {
        if self.shell.wo.view != WoView::Order {
            return None;
        }
        let f = self.wo.facts.as_ref()?;
        Some((OrderRef::at(f.id, f.version), f))
    }

    /// Keys that need an order page say so when there is none.
    pub(super) fn need_order(&mut self) -> Option<(OrderRef, OrderFacts)> {
        match self.order_at() {
            Some((at, f)) => Some((at, f.clone())),
            None => {
                let why = if self.shell.wo.view == WoView::Order {
                    self.wo_tr("carregando a OS…", "loading the order…")
                } else {
                    self.wo_tr(
                        "abra uma OS (enter na lista) para isso",
                        "open an order (enter on the list) for that",
                    )
                };
                self.shell.status.notice = Some(why.to_owned());
                None
            }
        }
    }

    pub(super) fn wo_open(&mut self) {
        let p = &self.shell.wo;
        match p.view {
            WoView::Orders => {
                if let Some(id) = p.selected_order().map(|o| o.id) {
                    self.open_order(id);
                }
            }
            WoView::Order => self.wo_action(WoAct::Toggle),
            WoView::Assets => {
                if let Some(tag) = p.selected_asset().map(|a| a.tag.clone()) {
                    self.open_asset(tag);
                }
            }
            WoView::Asset => {
                if let Some(id) = p
                    .asset
                    .as_ref()
                    .and_then(|a| a.selected_order())
                    .map(|o| o.id)
                {
                    self.open_order(id);
                }
            }
            WoView::Kpis => {
                let tag = p
                    .kpis
                    .rows
                    .get(p.kpis.list.selected)
                    .map(|r| r.asset.clone());
                if let Some(tag) = tag {
                    self.open_asset(tag);
                }
            }
            WoView::Plans | WoView::Inventory => {}
        }
    }

    /// Esc: leave the large QR, the order page, the asset page. False when there is nothing to
    /// go back from.
    pub(super) fn wo_back(&mut self) -> bool {
        let p = &mut self.shell.wo;
        match p.view {
            WoView::Asset if p.show_qr => p.show_qr = false,
            WoView::Order => {
                p.view = self.wo.back_to;
                self.wo.query.order = None;
                self.wo.facts = None;
                self.wo.edit_when_loaded = false;
                if let Some(pane) = self.wo.back_to_pane.take() {
                    // An alert's order goes back to the alert list it came from.
                    self.go(pane);
                } else if p.view == WoView::Asset {
                    self.reload_wo();
                }
            }
            WoView::Asset => {
                p.view = self.wo.asset_back_to;
                self.wo.query.asset = None;
            }
            _ => return false,
        }
        true
    }

    pub(super) fn wo_new(&mut self) {
        let l = self.shell.locale;
        match self.shell.wo.view {
            WoView::Inventory => {
                if !self.shell.wo.rights.stock {
                    return self.wo_denied();
                }
                let fields = self.item_fields(None);
                self.open_form(
                    FormKind::Item(None),
                    l.tr("Novo item de estoque", "New stock item").to_owned(),
                    fields,
                );
            }
            WoView::Plans => {
                if !self.shell.wo.rights.manage {
                    return self.wo_denied();
                }
                self.open_plan_form(None);
            }
            WoView::Assets => {
                if !self.shell.wo.rights.manage {
                    return self.wo_denied();
                }
                self.open_asset_form(None);
            }
            view => {
                if !self.shell.wo.rights.create {
                    return self.wo_denied();
                }
                let asset = match view {
                    WoView::Asset => self.shell.wo.asset.as_ref().map(|a| a.row.tag.clone()),
                    WoView::Order => self
                        .shell
                        .wo
                        .order
                        .as_ref()
                        .map(|o| o.row.asset.clone())
                        .filter(|a| !a.is_empty()),
                    _ => None,
                };
                self.open_new_order(asset.unwrap_or_default());
            }
        }
    }

    pub(super) fn wo_denied(&mut self) {
        let role = self.shell.status.role.clone().unwrap_or_else(|| "—".into());
        self.shell.status.last_error = Some(format!(
            "{} ({role})",
            self.wo_tr(
                "seu papel não permite isso aqui; peça a um supervisor",
                "your role may not do that here; ask a supervisor"
            )
        ));
    }

    pub(super) fn wo_edit(&mut self) {
        match self.shell.wo.view {
            WoView::Order => self.open_edit_order(),
            WoView::Assets | WoView::Asset => {
                let tag = match self.shell.wo.view {
                    WoView::Asset => self.shell.wo.asset.as_ref().map(|a| a.row.tag.clone()),
                    _ => self.shell.wo.selected_asset().map(|a| a.tag.clone()),
                };
                let Some(tag) = tag else {
                    return;
                };
                if !self.shell.wo.rights.manage {
                    return self.wo_denied();
                }
                self.open_asset_form(Some(tag));
            }
            WoView::Orders => {
                if let Some(id) = self.shell.wo.selected_order().map(|o| o.id) {
                    self.wo.edit_when_loaded = true;
                    self.open_order(id);
                }
            }
            WoView::Inventory => {
                let Some(code) = self.shell.wo.selected_item().map(|i| i.code.clone()) else {
                    return;
                };
                if !self.shell.wo.rights.stock {
                    return self.wo_denied();
                }
                let Some((version, _)) = self.wo.item_raw.get(&code) else {
                    return;
                };
                let version = *version;
                let fields = self.item_fields(Some(&code));
                let title = format!("{} {code}", self.wo_tr("Editar item", "Edit item"));
                self.open_form(FormKind::Item(Some((code, version))), title, fields);
            }
            WoView::Plans => {
                let Some(code) = self.shell.wo.selected_plan().map(|p| p.code.clone()) else {
                    return;
                };
                if !self.shell.wo.rights.manage {
                    return self.wo_denied();
                }
                self.open_plan_form(Some(code));
            }
            _ => self.wo_new(),
        }
    }

    pub(super) fn wo_action(&mut self, a: WoAct) {
        let l = self.shell.locale;
        match a {
            WoAct::Orders => self.set_wo_view(WoView::Orders),
            WoAct::Assets => self.set_wo_view(WoView::Assets),
            WoAct::Plans => self.set_wo_view(WoView::Plans),
            WoAct::Inventory => self.set_wo_view(WoView::Inventory),
            WoAct::Kpis => self.set_wo_view(WoView::Kpis),
            WoAct::NextView => {
                let v = self.shell.wo.view.next();
                self.set_wo_view(v);
            }
            WoAct::StatusFilter => {
                self.set_wo_view(WoView::Orders);
                let f = &mut self.shell.wo.filter;
                f.status = f.status.next();
                let word = status_word(l, f.status);
                self.shell.status.notice = Some(format!("{}: {word}", l.tr("status", "status")));
                self.shell.wo.order_list.selected = 0;
            }
            WoAct::TypeFilter => {
                self.set_wo_view(WoView::Orders);
                let f = &mut self.shell.wo.filter;
                let i = f
                    .kind
                    .as_deref()
                    .and_then(|k| KINDS.iter().position(|c| *c == k));
                f.kind = match i {
                    None => Some(KINDS[0].to_owned()),
                    Some(i) if i + 1 < KINDS.len() => Some(KINDS[i + 1].to_owned()),
                    Some(_) => None,
                };
                let word = f
                    .kind
                    .as_deref()
                    .map_or(l.tr("todos", "all").to_owned(), |k| kind_word(l, k));
                self.shell.status.notice = Some(format!("{}: {word}", l.tr("tipo", "type")));
                self.shell.wo.order_list.selected = 0;
            }
            WoAct::Overdue => {
                self.set_wo_view(WoView::Orders);
                let f = &mut self.shell.wo.filter;
                f.overdue_only = !f.overdue_only;
                self.shell.wo.order_list.selected = 0;
            }
            WoAct::FilterForm => self.open_filter_form(),
            WoAct::Start => {
                let Some((at, f)) = self.need_order() else {
                    return;
                };
                let from = match f.status.as_str() {
                    "open" => WoStatus::Open,
                    "on_hold" => WoStatus::OnHold,
                    _ => {
                        self.shell.status.last_error = Some(format!(
                            "OS {}: {}",
                            at.id,
                            l.tr(
                                "só uma OS aberta ou em espera pode ser iniciada",
                                "only an open or on-hold order can be started"
                            )
                        ));
                        return;
                    }
                };
                self.send_now(WoWrite::Move {
                    at,
                    from: Some(from),
                    to: WoStatus::InProgress,
                    reason: String::new(),
                });
            }
            WoAct::Hold => {
                if let Some((at, _)) = self.need_order() {
                    let title = format!(
                        "OS {} · {}",
                        at.id,
                        l.tr("em espera: aguardando o quê?", "on hold: waiting for what?")
                    );
                    self.open_wo_prompt(PromptKind::Hold(at), title);
                }
            }
            WoAct::Cancel => {
                if let Some((at, _)) = self.need_order() {
                    if !self.shell.wo.rights.manage {
                        return self.wo_denied();
                    }
                    let title = format!(
                        "OS {} · {}",
                        at.id,
                        l.tr("cancelar: por quê?", "cancel: why?")
                    );
                    self.open_wo_prompt(PromptKind::Cancel(at), title);
                }
            }
            WoAct::Note => {
                if let Some((at, _)) = self.need_order() {
                    let title = format!("OS {} · {}", at.id, l.tr("nota", "note"));
                    self.open_wo_prompt(PromptKind::Note(at), title);
                }
            }
            WoAct::Attach => {
                if let Some((at, _)) = self.need_order() {
                    let title = format!(
                        "OS {} · {}",
                        at.id,
                        l.tr(
                            "anexar arquivo: caminho (foto, laudo)",
                            "attach a file: path (photo, report)"
                        )
                    );
                    self.open_wo_prompt(PromptKind::Attach(at), title);
                }
            }
            WoAct::Done => {
                let Some((at, f)) = self.need_order() else {
                    return;
                };
                let mut fields = vec![text("reason", l.tr("O que foi feito", "What was done"), "")];
                if f.alert_open {
                    let yes_no = vec![l.tr("sim", "yes").to_owned(), l.tr("não", "no").to_owned()];
                    fields.push(choice(
                        "resolve",
                        l.tr(
                            "Resolver o alerta de origem",
                            "Resolve the alert it came from",
                        ),
                        l.tr("sim", "yes"),
                        yes_no,
                    ));
                }
                let title = format!("{} OS {}", l.tr("Concluir", "Complete"), at.id);
                self.open_form(
                    FormKind::Done {
                        at,
                        alert: f.alert_open,
                    },
                    title,
                    fields,
                );
            }
            WoAct::Part => {
                if let Some((at, _)) = self.need_order() {
                    let moves = vec![
                        l.tr("baixar do estoque", "issue from stock").to_owned(),
                        l.tr("devolver ao estoque", "return to stock").to_owned(),
                    ];
                    let fields = vec![
                        text("item", l.tr("Item (código)", "Item (code)"), ""),
                        text("qty", l.tr("Quantidade", "Quantity"), "1"),
                        choice(
                            "movement",
                            l.tr("Movimento", "Movement"),
                            &moves[0],
                            moves.clone(),
                        ),
                        text(
                            "location",
                            l.tr(
                                "Local (vazio: onde houver)",
                                "Location (empty: where stocked)",
                            ),
                            "",
                        ),
                    ];
                    let title = format!(
                        "OS {} · {}",
                        at.id,
                        l.tr(
                            "peça: baixar do estoque ou devolver",
                            "part: issue from or return to stock"
                        )
                    );
                    self.open_form(FormKind::Part(at), title, fields);
                }
            }
            WoAct::Labor => {
                if let Some((at, _)) = self.need_order() {
                    let me = self.shell.status.user.clone();
                    let fields = vec![
                        text("technician", l.tr("Técnico", "Technician"), &me),
                        text("hours", l.tr("Horas", "Hours"), ""),
                        text("rate", l.tr("Valor hora R$", "Rate R$/h"), ""),
                        text("note", l.tr("Nota", "Note"), ""),
                    ];
                    let title = format!("OS {} · {}", at.id, l.tr("mão de obra", "labor"));
                    self.open_form(FormKind::Labor(at), title, fields);
                }
            }
            WoAct::Service => {
                if let Some((at, _)) = self.need_order() {
                    let fields = vec![
                        text("description", l.tr("Serviço", "Service"), ""),
                        text("amount", l.tr("Valor R$", "Amount R$"), ""),
                    ];
                    let title = format!(
                        "OS {} · {}",
                        at.id,
                        l.tr("serviço contratado", "bought service")
                    );
                    self.open_form(FormKind::Service(at), title, fields);
                }
            }
            WoAct::Down => {
                if let Some((at, f)) = self.need_order() {
                    if !f.has_asset {
                        self.shell.status.last_error = Some(format!(
                            "OS {}: {}",
                            at.id,
                            l.tr(
                                "sem ativo: não há o que parar",
                                "no asset: nothing to be down"
                            )
                        ));
                        return;
                    }
                    let down = !self.shell.wo.order.as_ref().is_some_and(|o| o.down_now);
                    self.open_down_form(at, down, f.alert_raised);
                }
            }
            WoAct::Toggle => match self.shell.wo.view {
                WoView::Order => self.open_answer_form(),
                WoView::Plans => {
                    let Some(code) = self.shell.wo.selected_plan().map(|p| p.code.clone()) else {
                        return;
                    };
                    if !self.shell.wo.rights.manage {
                        return self.wo_denied();
                    }
                    let active = self.wo.plan_versions.get(&code).is_some_and(|(a, _)| *a);
                    self.send_now(WoWrite::PlanActive {
                        code,
                        active: !active,
                    });
                }
                _ => {}
            },
            WoAct::Export => match self.shell.wo.view {
                WoView::Assets | WoView::Asset => {
                    let dir = self.export_dir.clone();
                    self.send_now(WoWrite::Labels { dir });
                }
                _ => self.export_orders(),
            },
            WoAct::Receive | WoAct::Adjust => {
                if self.shell.wo.view != WoView::Inventory {
                    self.set_wo_view(WoView::Inventory);
                    return;
                }
                let Some(code) = self.shell.wo.selected_item().map(|i| i.code.clone()) else {
                    return;
                };
                let loc = self
                    .wo
                    .item_locations
                    .get(&code)
                    .and_then(|l| l.first().cloned())
                    .unwrap_or_else(|| l.tr("Almoxarifado", "Store").to_owned());
                if a == WoAct::Receive {
                    let fields = vec![
                        text("qty", l.tr("Quantidade", "Quantity"), ""),
                        text("location", l.tr("Local", "Location"), &loc),
                        text(
                            "unit_cost",
                            l.tr(
                                "Custo unitário R$ (vazio: o atual)",
                                "Unit cost R$ (empty: current)",
                            ),
                            "",
                        ),
                        text(
                            "note",
                            l.tr("Nota (NF, fornecedor)", "Note (invoice, supplier)"),
                            "",
                        ),
                    ];
                    let title = format!("{} · {code}", l.tr("Entrada", "Receive"));
                    self.open_form(FormKind::Receive(code), title, fields);
                } else {
                    if !self.shell.wo.rights.stock {
                        return self.wo_denied();
                    }
                    let fields = vec![
                        text("qty", l.tr("Diferença (+/-)", "Difference (+/-)"), ""),
                        text("location", l.tr("Local", "Location"), &loc),
                        text("reason", l.tr("Motivo", "Reason"), ""),
                    ];
                    let title =
                        format!("{} · {code}", l.tr("Ajuste de estoque", "Stock adjustment"));
                    self.open_form(FormKind::Adjust(code), title, fields);
                }
            }
            WoAct::Qr => {
                if self.shell.wo.view == WoView::Assets
                    && let Some(tag) = self.shell.wo.selected_asset().map(|a| a.tag.clone())
                {
                    self.open_asset(tag);
                    self.shell.wo.show_qr = true;
                } else if self.shell.wo.view == WoView::Asset {
                    self.shell.wo.show_qr = !self.shell.wo.show_qr;
                }
            }
        }
    }

    fn export_orders(&mut self) {
        let f = &self.shell.wo.filter;
        let status = match f.status {
            StatusFilter::Active | StatusFilter::All => None,
            s => s.code().parse::<WoStatus>().ok(),
        };
        let filter = Filter {
            status,
            active: f.status == StatusFilter::Active,
            unassigned: f.assignee == "-",
            asset: (!f.asset.is_empty()).then(|| f.asset.to_ascii_uppercase()),
            assignee: (!f.assignee.is_empty() && f.assignee != "-").then(|| f.assignee.clone()),
            overdue_at: f.overdue_only.then(crate::clock::now),
        };
        let kind = f.kind.as_deref().and_then(|k| k.parse::<WoKind>().ok());
        let dir: PathBuf = self.export_dir.clone();
        self.shell.status.notice = Some(self.wo_tr("exportando…", "exporting…").to_owned());
        self.send_now(WoWrite::Export { filter, kind, dir });
    }

    fn wo_prompt_key(&mut self, k: KeyEvent) {
        use ratatui::crossterm::event::KeyCode;
        let l = self.shell.locale;
        let Some(p) = self.shell.wo.prompt.as_mut() else {
            return;
        };
        match k.code {
            // Typed text is not thrown away on one key: Esc asks, a second Esc discards.
            KeyCode::Esc if !p.input.trim().is_empty() && !self.wo.prompt_discard => {
                self.wo.prompt_discard = true;
                p.error = Some(
                    l.tr(
                        "esc de novo descarta o texto; enter salva",
                        "esc again discards the text; enter saves",
                    )
                    .to_owned(),
                );
            }
            KeyCode::Esc => {
                self.shell.wo.prompt = None;
                self.wo.prompt = None;
                self.wo.prompt_discard = false;
            }
            KeyCode::Enter if self.wo.saving == Some(self.wo.generation) => {}
            KeyCode::Enter => {
                self.wo.prompt_discard = false;
                let input = p.input.trim().to_owned();
                let write = match self.wo.prompt.clone() {
                    Some(PromptKind::Hold(at)) => WoWrite::Move {
                        at,
                        from: None,
                        to: WoStatus::OnHold,
                        reason: input,
                    },
                    Some(PromptKind::Cancel(at)) => WoWrite::Move {
                        at,
                        from: None,
                        to: WoStatus::Cancelled,
                        reason: input,
                    },
                    Some(PromptKind::Note(at)) => WoWrite::Note(at, input),
                    Some(PromptKind::Attach(at)) => {
                        if input.is_empty() {
                            p.error = Some(
                                l.tr("digite o caminho do arquivo", "type the file's path")
                                    .to_owned(),
                            );
                            return;
                        }
                        WoWrite::Attach(at, PathBuf::from(input))
                    }
                    None => {
                        self.shell.wo.prompt = None;
                        return;
                    }
                };
                // The services say what is missing (a reason, a note's text).
                self.send_write(write);
            }
            _ => {
                if form::edit_text(&mut p.input, k) {
                    p.error = None;
                    self.wo.prompt_discard = false;
                }
            }
        }
    }

    fn wo_form_key(&mut self, k: KeyEvent) {
        let Some(f) = self.shell.wo.form.as_mut() else {
            return;
        };
        let initial = self
            .wo
            .form
            .as_ref()
            .map(|(_, i)| i.clone())
            .unwrap_or_default();
        match form::key(f, &initial, k) {
            FormKey::Handled | FormKey::Choice(_) => {}
            FormKey::Submit => self.submit_wo_form(),
            FormKey::Close => {
                self.shell.wo.form = None;
                self.wo.form = None;
            }
        }
    }

    /// Telemetry's one key: a predictive order from the selected alert, with its readings.
    pub(super) fn order_from_alert(&mut self) {
        use opsdeck_views::state::TelemetryView;
        let t = &self.shell.telemetry;
        let id = (self.shell.pane == PaneId::Telemetry && t.view == TelemetryView::Alerts)
            .then(|| t.selected_alert().map(|a| a.id))
            .flatten();
        let Some(id) = id else {
            self.shell.status.notice = Some(
                self.wo_tr(
                    "escolha um alerta na vista de alertas (v) para abrir a OS",
                    "pick an alert in the alerts view (v) to open its order",
                )
                .to_owned(),
            );
            return;
        };
        let key = opsdeck_storage::records::alert::Alert::key(id);
        self.shell.status.notice = Some(
            self.wo_tr("abrindo a OS do alerta…", "opening the alert's order…")
                .to_owned(),
        );
        self.send_now(WoWrite::FromAlert(key));
    }

    /// PgUp/PgDn on the order page scroll it (it is taller than the screen at 80x24).
    pub(super) fn wo_scroll(&mut self, down: bool, page: usize) -> bool {
        if self.shell.pane != PaneId::WorkOrders || self.shell.wo.view != WoView::Order {
            return false;
        }
        if let Some(o) = self.shell.wo.order.as_mut() {
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
