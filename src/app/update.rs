//! The console's state machine: a message in, state changed, maybe commands out to the worker.
//! No drawing and no I/O here beyond sending commands.

use crossbeam_channel::Sender;
use opsdeck_views::action::Action;
use opsdeck_views::keymap::{Key, Keymap, Resolved};
use opsdeck_views::state::{HelpRow, ListView, Overlay, Palette, PaneId, Shell, VerifyState};
use opsdeck_views::widgets::palette;
use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyEventKind, KeyModifiers};

use super::Msg;
use super::worker::{Cmd, Reply};

pub struct App {
    pub shell: Shell,
    pub keymap: Keymap,
    pub quit: bool,
    /// Where exports from the console go (the Petrobras workbook): the directory it was
    /// started in, like the CLI's.
    pub export_dir: std::path::PathBuf,
    pending: Vec<Key>,
    cmds: Sender<Cmd>,
    pub(super) tz: jiff::tz::TimeZone,
    /// Rows on one page of the focused list, for PgUp/PgDn (kept from the last terminal size).
    page: usize,
    /// After `open` on an audit search hit: select that entry once the trail is loaded.
    focus_seq: Option<u64>,
    pub(super) tm: super::telemetry::TelemetryCtx,
    pub(super) gs: super::gas::GasCtx,
    pub(super) wo: super::wo::WoCtx,
}

impl App {
    pub fn new(shell: Shell, keymap: Keymap, cmds: Sender<Cmd>, tz: jiff::tz::TimeZone) -> App {
        let mut app = App {
            shell,
            keymap,
            quit: false,
            export_dir: std::env::current_dir().unwrap_or_else(|_| ".".into()),
            pending: Vec::new(),
            cmds,
            tz,
            page: 10,
            focus_seq: None,
            tm: Default::default(),
            gs: Default::default(),
            wo: Default::default(),
        };
        app.send(Cmd::UnreadCount);
        app.rebuild_help();
        app.tick_clock();
        app
    }

    pub(super) fn send(&self, cmd: Cmd) {
        // The worker only stops when we do.
        let _ = self.cmds.send(cmd);
    }

    /// Handles one message; true when the screen must be redrawn.
    pub fn handle(&mut self, msg: Msg) -> bool {
        match msg {
            Msg::Key(k) => {
                if k.kind != KeyEventKind::Press {
                    return false;
                }
                self.key(k);
                true
            }
            Msg::Resize(_, h) => {
                self.page = (h as usize).saturating_sub(12).max(1);
                true
            }
            Msg::Tick => {
                self.send(Cmd::Poll);
                self.tick_clock()
            }
            Msg::Services(s) => {
                let changed = self.shell.status.services != s;
                self.shell.status.services = s;
                changed
            }
            Msg::Reply(r) => {
                self.reply(r);
                true
            }
            Msg::Paste(text) => {
                self.paste(&text);
                true
            }
        }
    }

    fn tick_clock(&mut self) -> bool {
        let now = crate::clock::now_in(&self.tz);
        let clock = self.shell.locale.datetime(&now);
        let changed = clock != self.shell.status.clock;
        self.shell.status.clock = clock;
        changed
    }

    fn reply(&mut self, r: Reply) {
        match r {
            Reply::Audit { rows, total } => {
                let a = &mut self.shell.audit;
                a.rows = rows;
                a.total = total;
                if let Some(seq) = self.focus_seq.take() {
                    a.list.filter.clear();
                    a.list.selected = a.rows.iter().position(|r| r.seq == seq).unwrap_or(0);
                }
                let n = a.visible().len();
                clamp(&mut a.list, n);
            }
            Reply::Hits { query, hits, docs } => {
                let s = &mut self.shell.search;
                s.indexed_docs = docs;
                // A late answer to an older query is dropped.
                if query == s.query.trim() {
                    s.hits = hits;
                    s.searched = Some(query);
                    let n = s.visible().len();
                    clamp(&mut s.list, n);
                }
            }
            Reply::Verified(v) => self.shell.audit.verify = Some(v),
            Reply::Changed { docs } => {
                self.shell.search.indexed_docs = docs;
                self.send(Cmd::UnreadCount);
                if let Some(Overlay::Notifications(_)) = self.shell.overlay {
                    self.send(Cmd::LoadNotifications);
                }
                if self.shell.pane == PaneId::WorkOrders {
                    self.reload_wo_polled();
                } else {
                    self.reload();
                }
            }
            Reply::Telemetry(d) => self.telemetry_loaded(*d),
            Reply::Device(d) => self.device_loaded(*d),
            Reply::Done(notice) => {
                self.shell.status.notice = Some(notice);
                self.reload();
            }
            Reply::FormSaved(notice, generation) => self.form_saved(notice, generation),
            Reply::FormFailed(e, generation) => self.form_failed(e, generation),
            Reply::PromptFailed(e, generation) => self.prompt_failed(e, generation),
            Reply::Gas(d) => self.gas_loaded(*d),
            Reply::GasSaved(notice, generation) => self.gas_saved(notice, generation),
            Reply::GasFailed {
                error,
                field,
                generation,
                conflict,
            } => self.gas_failed(error, field, generation, conflict),
            Reply::GasExported(first, path) => self.gas_exported(first, path),
            Reply::Notifications(rows) => {
                self.shell.status.unread = rows.iter().filter(|r| !r.read).count();
                if let Some(Overlay::Notifications(n)) = &mut self.shell.overlay {
                    n.list.selected = n.list.selected.min(rows.len().saturating_sub(1));
                    n.rows = rows;
                    n.loaded = true;
                }
            }
            Reply::Unread(n) => self.shell.status.unread = n,
            Reply::Wo(d) => self.wo_loaded(*d),
            Reply::WoSaved {
                notice,
                open,
                order,
                generation,
            } => self.wo_saved(notice, open, order, generation),
            Reply::WoFailed {
                error,
                field,
                conflict,
                generation,
            } => self.wo_failed(error, field, conflict, generation),
            Reply::Error(e) => {
                self.gas_unstick();
                self.wo_unstick(&e);
                tracing::warn!("{e}");
                self.shell.status.last_error = Some(e);
            }
        }
    }

    /// Reloads what the focused pane shows (after a commit anywhere, or `refresh`).
    fn reload(&mut self) {
        match self.shell.pane {
            PaneId::Audit => self.send(Cmd::LoadAudit),
            PaneId::Search => {
                if let Some(q) = self.shell.search.searched.clone() {
                    self.send(Cmd::Search(q));
                }
            }
            PaneId::Telemetry => self.reload_telemetry(),
            PaneId::Gas => self.reload_gas(),
            PaneId::WorkOrders => self.reload_wo(),
            _ => {}
        }
    }

    /// Text pasted into the terminal: into whatever takes typing now.
    fn paste(&mut self, text: &str) {
        if self.shell.overlay.is_some() {
            return;
        }
        if self.shell.pane == PaneId::Gas {
            self.gas_paste(text);
        } else if self.shell.pane == PaneId::WorkOrders {
            self.wo_paste(text);
        } else if self.shell.pane == PaneId::Search && self.shell.search.editing {
            self.shell
                .search
                .query
                .push_str(text.lines().next().unwrap_or(""));
            self.search_now();
        }
    }

    fn key(&mut self, k: KeyEvent) {
        self.shell.status.notice = None;
        match &mut self.shell.overlay {
            Some(Overlay::Palette(p)) => {
                let mut p = std::mem::take(p);
                let keep = self.palette_key(&mut p, k);
                self.shell.overlay = keep.then_some(Overlay::Palette(p));
                return;
            }
            Some(Overlay::Help { scroll }) => {
                match k.code {
                    KeyCode::Esc | KeyCode::Char('q') | KeyCode::Char('?') | KeyCode::F(1) => {
                        self.shell.overlay = None
                    }
                    KeyCode::Char('j') | KeyCode::Down => *scroll += 1,
                    KeyCode::Char('k') | KeyCode::Up => *scroll = scroll.saturating_sub(1),
                    KeyCode::PageDown | KeyCode::Char(' ') => *scroll += 10,
                    KeyCode::PageUp => *scroll = scroll.saturating_sub(10),
                    KeyCode::Char('g') | KeyCode::Home => *scroll = 0,
                    _ => {}
                }
                // Never scroll past the last binding into an empty box.
                let last = self.shell.help.len() + self.shell.keymap_warnings.len();
                if let Some(Overlay::Help { scroll }) = &mut self.shell.overlay {
                    *scroll = (*scroll).min(last.saturating_sub(self.page));
                }
                return;
            }
            Some(Overlay::Notifications(n)) => {
                let len = n.rows.len();
                match k.code {
                    KeyCode::Esc | KeyCode::Char('q') | KeyCode::Char('N') => {
                        self.shell.overlay = None
                    }
                    KeyCode::Char('j') | KeyCode::Down => {
                        n.list.selected = (n.list.selected + 1).min(len.saturating_sub(1))
                    }
                    KeyCode::Char('k') | KeyCode::Up => {
                        n.list.selected = n.list.selected.saturating_sub(1)
                    }
                    KeyCode::Enter | KeyCode::Char('r') => {
                        if let Some(row) = n.rows.get(n.list.selected).filter(|r| !r.read) {
                            let id = row.id;
                            self.send(Cmd::MarkRead(id));
                        }
                    }
                    _ => {}
                }
                return;
            }
            None => {}
        }
        if self.shell.filtering {
            self.filter_key(k);
            return;
        }
        if self.shell.pane == PaneId::Search && self.shell.search.editing && self.query_key(k) {
            return;
        }
        if self.shell.pane == PaneId::Telemetry && self.telemetry_key(k) {
            return;
        }
        if self.shell.pane == PaneId::Gas && self.gas_key(k) {
            return;
        }
        if self.shell.pane == PaneId::WorkOrders && self.wo_key(k) {
            return;
        }
        self.pending.push(Key::from_event(&k));
        let section = self.shell.pane.section();
        let list_pane = matches!(
            self.shell.pane,
            PaneId::Search | PaneId::Audit | PaneId::Telemetry | PaneId::WorkOrders
        ) || (self.shell.pane == PaneId::Gas
            && self.shell.gas.view != opsdeck_views::state::gas::GasView::Entry);
        let ctx: &[&str] = if list_pane {
            &[section, "list", "global"]
        } else {
            &[section, "global"]
        };
        match self.keymap.resolve(ctx, &self.pending) {
            Resolved::Action(a) => {
                self.pending.clear();
                self.shell.pending_keys.clear();
                self.shell.status.last_error = None;
                self.apply(a);
            }
            Resolved::Pending => {
                self.shell.pending_keys = self
                    .pending
                    .iter()
                    .map(Key::to_string)
                    .collect::<Vec<_>>()
                    .join(" ");
            }
            Resolved::None => {
                self.pending.clear();
                self.shell.pending_keys.clear();
            }
        }
    }

    /// Typing in the search query line. Returns false for keys it leaves to the keymap.
    fn query_key(&mut self, k: KeyEvent) -> bool {
        let s = &mut self.shell.search;
        match k.code {
            KeyCode::Esc | KeyCode::Enter | KeyCode::Down | KeyCode::Tab => s.editing = false,
            KeyCode::Backspace => {
                s.query.pop();
                self.search_now();
            }
            KeyCode::Char('u') if k.modifiers.contains(KeyModifiers::CONTROL) => {
                s.query.clear();
                self.search_now();
            }
            KeyCode::Char(c) if !k.modifiers.contains(KeyModifiers::CONTROL) => {
                s.query.push(c);
                self.search_now();
            }
            _ => return false,
        }
        true
    }

    /// Search as you type: each keystroke asks; stale answers are dropped on arrival.
    fn search_now(&mut self) {
        let q = self.shell.search.query.trim().to_owned();
        if q.is_empty() {
            let s = &mut self.shell.search;
            s.hits.clear();
            s.searched = None;
            s.list = ListView::default();
        } else {
            self.shell.search.list.selected = 0;
            self.send(Cmd::Search(q));
        }
    }

    fn filter_key(&mut self, k: KeyEvent) {
        let Some(list) = self.focused_list() else {
            self.shell.filtering = false;
            return;
        };
        match k.code {
            KeyCode::Esc => {
                list.filter.clear();
                self.shell.filtering = false;
            }
            KeyCode::Enter => self.shell.filtering = false,
            KeyCode::Backspace => {
                list.filter.pop();
                list.selected = 0;
            }
            KeyCode::Up => list.selected = list.selected.saturating_sub(1),
            KeyCode::Down => list.selected += 1,
            KeyCode::Char(c) if !k.modifiers.contains(KeyModifiers::CONTROL) => {
                list.filter.push(c);
                list.selected = 0;
            }
            _ => {}
        }
        self.clamp_focused();
    }

    /// Returns whether the palette stays open.
    fn palette_key(&mut self, p: &mut Palette, k: KeyEvent) -> bool {
        let ctrl = k.modifiers.contains(KeyModifiers::CONTROL);
        match k.code {
            KeyCode::Esc => return false,
            KeyCode::Enter => {
                let input = p.input.trim().to_owned();
                if let Some(q) = input.strip_prefix("search ") {
                    self.shell.pane = PaneId::Search;
                    self.shell.search.query = q.trim().to_owned();
                    self.shell.search.editing = false;
                    self.search_now();
                    return false;
                }
                let found = palette::matches(&input);
                if let Some((_, action, _)) =
                    found.get(p.selected.min(found.len().saturating_sub(1)))
                {
                    self.apply(*action);
                } else {
                    self.shell.status.last_error = Some(format!("no command matches '{input}'"));
                }
                return false;
            }
            KeyCode::Tab => {
                let found = palette::matches(&p.input);
                if let Some((name, _, _)) = found.get(p.selected) {
                    p.input = (*name).to_owned();
                    p.selected = 0;
                }
            }
            KeyCode::Up => p.selected = p.selected.saturating_sub(1),
            KeyCode::Char('p') if ctrl => p.selected = p.selected.saturating_sub(1),
            KeyCode::Down => p.selected += 1,
            KeyCode::Char('n') if ctrl => p.selected += 1,
            KeyCode::Backspace => {
                p.input.pop();
                p.selected = 0;
            }
            KeyCode::Char(c) if !ctrl => {
                p.input.push(c);
                p.selected = 0;
            }
            _ => {}
        }
        let n = palette::matches(&p.input).len();
        p.selected = p.selected.min(n.saturating_sub(1));
        true
    }

    fn focused_list(&mut self) -> Option<&mut ListView> {
        match self.shell.pane {
            PaneId::Search => Some(&mut self.shell.search.list),
            PaneId::Audit => Some(&mut self.shell.audit.list),
            PaneId::Telemetry => self.shell.telemetry.list_mut(),
            PaneId::Gas => self.shell.gas.list_mut(),
            PaneId::WorkOrders => self.shell.wo.list_mut(),
            _ => None,
        }
    }

    fn focused_len(&self) -> usize {
        match self.shell.pane {
            PaneId::Search => self.shell.search.visible().len(),
            PaneId::Audit => self.shell.audit.visible().len(),
            PaneId::Telemetry => self.shell.telemetry.visible_len(),
            PaneId::Gas => self.shell.gas.visible_len(),
            PaneId::WorkOrders => self.shell.wo.visible_len(),
            _ => 0,
        }
    }

    fn clamp_focused(&mut self) {
        let n = self.focused_len();
        if let Some(l) = self.focused_list() {
            clamp(l, n);
        }
    }

    pub(super) fn go(&mut self, pane: PaneId) {
        self.shell.pane = pane;
        self.shell.filtering = false;
        if pane == PaneId::Audit {
            self.send(Cmd::LoadAudit);
        }
        if pane == PaneId::Telemetry {
            self.reload_telemetry();
        }
        if pane == PaneId::Gas {
            self.reload_gas();
        }
        if pane == PaneId::WorkOrders {
            self.reload_wo();
        }
    }

    pub fn apply(&mut self, a: Action) {
        let page = self.page;
        let n = self.focused_len();
        match a {
            Action::Quit => self.quit = true,
            Action::Help => self.shell.overlay = Some(Overlay::Help { scroll: 0 }),
            Action::Palette => self.shell.overlay = Some(Overlay::Palette(Palette::default())),
            // Gas lists are days of a month: nothing to filter.
            Action::Filter => {
                self.shell.filtering = match self.shell.pane {
                    PaneId::Gas => false,
                    PaneId::WorkOrders => self.shell.wo.filterable(),
                    _ => self.focused_list().is_some(),
                }
            }
            Action::Notifications => {
                self.shell.overlay = Some(Overlay::Notifications(Default::default()));
                self.send(Cmd::LoadNotifications);
            }
            Action::Search => {
                self.go(PaneId::Search);
                self.shell.search.editing = true;
            }
            Action::Back => {
                // A page's own Esc first (device page, order or asset page), unless a
                // filter is typed on it.
                let page_back = match self.shell.pane {
                    PaneId::Telemetry => self.telemetry_back(),
                    PaneId::WorkOrders => {
                        self.shell.wo.list().is_none_or(|l| l.filter.is_empty()) && self.wo_back()
                    }
                    _ => false,
                };
                if page_back {
                } else if self.shell.search.editing {
                    self.shell.search.editing = false;
                } else if let Some(l) = self.focused_list().filter(|l| !l.filter.is_empty()) {
                    l.filter.clear();
                }
                self.shell.status.last_error = None;
            }
            Action::PaneNext => self.go(self.shell.pane.next()),
            Action::PanePrev => self.go(self.shell.pane.prev()),
            Action::Pane(p) => self.go(p),
            Action::Up => self.move_by(|s| s.saturating_sub(1), n),
            Action::Down => self.move_by(|s| s + 1, n),
            Action::Top => self.move_by(|_| 0, n),
            Action::Bottom => self.move_by(|_| usize::MAX, n),
            Action::PageUp if self.wo_scroll(false, page) => {}
            Action::PageDown if self.wo_scroll(true, page) => {}
            Action::PageUp => self.move_by(|s| s.saturating_sub(page), n),
            Action::PageDown => self.move_by(|s| s.saturating_add(page), n),
            Action::Open => self.open(),
            Action::New if self.shell.pane == PaneId::Telemetry => self.telemetry_new(),
            Action::Edit if self.shell.pane == PaneId::Telemetry => self.telemetry_edit(),
            Action::New if self.shell.pane == PaneId::Gas => self.gas_new(),
            Action::New if self.shell.pane == PaneId::WorkOrders => self.wo_new(),
            Action::Edit if self.shell.pane == PaneId::WorkOrders => self.wo_edit(),
            Action::Edit if self.shell.pane == PaneId::Gas => self.gas_open(),
            Action::New | Action::Edit => {
                self.shell.status.notice = Some(format!(
                    "{}: {}",
                    a.name(),
                    match self.shell.locale {
                        opsdeck_views::i18n::Locale::PtBr => "nada a criar ou editar neste painel",
                        opsdeck_views::i18n::Locale::En => "nothing to create or edit in this pane",
                    }
                ))
            }
            Action::Refresh => self.reload(),
            Action::AuditVerify => {
                if self.shell.pane != PaneId::Audit {
                    self.go(PaneId::Audit);
                }
                self.shell.audit.verify = Some(VerifyState::Running);
                self.send(Cmd::Verify);
            }
            Action::ToggleLanguage => {
                self.shell.locale = match self.shell.locale {
                    opsdeck_views::i18n::Locale::PtBr => opsdeck_views::i18n::Locale::En,
                    opsdeck_views::i18n::Locale::En => opsdeck_views::i18n::Locale::PtBr,
                };
                self.send(Cmd::SetLocale(self.shell.locale));
                self.tick_clock();
                self.reload();
            }
            Action::GasEntry
            | Action::GasMonth
            | Action::GasPlans
            | Action::GasReport
            | Action::GasExport
            | Action::GasAdmin
            | Action::GasNextView
            | Action::GasNextUnit
            | Action::GasPrevUnit
            | Action::GasPrev
            | Action::GasNext
            | Action::GasToday
            | Action::GasApprove
            | Action::GasApproveMonth
            | Action::GasQdr => self.gas_action(a),
            Action::Wo(w) => self.wo_action(w),
            Action::AlertWorkOrder => self.order_from_alert(),
            other => self.telemetry_action(other),
        }
    }

    fn move_by(&mut self, f: impl Fn(usize) -> usize, n: usize) {
        // The order page follows its checklist cursor again once the cursor moves.
        if self.shell.pane == PaneId::WorkOrders
            && let Some(o) = self.shell.wo.order.as_mut()
        {
            o.scroll = 0;
        }
        if let Some(l) = self.focused_list() {
            l.selected = f(l.selected);
            clamp(l, n);
        }
    }

    fn open(&mut self) {
        if self.shell.pane == PaneId::Telemetry {
            self.telemetry_open();
            return;
        }
        if self.shell.pane == PaneId::Gas {
            self.gas_open();
            return;
        }
        if self.shell.pane == PaneId::WorkOrders {
            self.wo_open();
            return;
        }
        if self.shell.pane != PaneId::Search {
            return;
        }
        let hit = {
            let s = &self.shell.search;
            s.visible()
                .get(s.list.selected)
                .map(|h| (h.kind.clone(), h.key.clone()))
        };
        match hit {
            Some((kind, key)) if kind == "audit" => {
                self.focus_seq = key.parse().ok();
                self.go(PaneId::Audit);
            }
            Some((kind, key)) if kind == "work_order" => {
                if let Ok(id) = key.parse::<u64>() {
                    self.go(PaneId::WorkOrders);
                    self.open_order(id);
                }
            }
            Some((kind, key)) if kind == "asset" => {
                self.go(PaneId::WorkOrders);
                self.open_asset(key);
            }
            Some((kind, key)) => {
                self.shell.status.notice = Some(format!("{kind} {key}"));
            }
            None => {}
        }
    }

    /// The help overlay's rows, from the bindings in effect.
    pub fn rebuild_help(&mut self) {
        let mut rows = Vec::new();
        for section in opsdeck_views::keymap::SECTIONS {
            for b in self.keymap.section(section) {
                rows.push(HelpRow {
                    section: (*section).to_owned(),
                    keys: b
                        .on
                        .iter()
                        .map(Key::to_string)
                        .collect::<Vec<_>>()
                        .join(" "),
                    action: b.action,
                    desc: b.desc.clone(),
                });
            }
        }
        self.shell.help = rows;
    }
}

fn clamp(l: &mut ListView, n: usize) {
    l.selected = l.selected.min(n.saturating_sub(1));
}
