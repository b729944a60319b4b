//! The Ledger pane ("Orçamento Vivo"): the period grid with its tree and category column, the
//! period navigation, drill-down to entries and from an entry to its work order, the forms
//! (manual posting, saving, adjustment, planned amount), the close-readiness view and the
//! close itself.

mod load;
pub use load::time_loads;
pub mod protocol;
mod purpose;
mod write;

use opsdeck_storage::records::ledger::{Month, Phase, subtree};
use opsdeck_views::Action;
use opsdeck_views::action::LedgerAct;
use opsdeck_views::panes::ledger::text::text as ledger_text;
use opsdeck_views::refusals;
use opsdeck_views::state::ledger::{LedgerView, PeriodSize};
use opsdeck_views::state::{FormField, ListView, PaneId, Shell};
use ratatui::crossterm::event::KeyEvent;
use rust_decimal::Decimal;

use super::link::Link;
use super::modal::{self, Modal, Step};
use super::outcome::{Failed, Saved};
use super::pane::{Cx, Pane, Reload};
use super::protocol::{Cmd, Reply};
use super::typed_input::{parse, parse_date};
use crate::app::io::Io;
use protocol::{LedgerCmd, LedgerReply, PostInput};
use purpose::{LedgerForm, LedgerPrompt};

pub fn serve(io: &Io, cmd: LedgerCmd) -> Reply {
    let error = |e: anyhow::Error| Reply::Error(crate::app::outcome::words(io.locale, &e));
    match cmd {
        LedgerCmd::Load { size, anchor } => load::load(io, size, anchor)
            .map(Reply::Ledger)
            .unwrap_or_else(error),
        LedgerCmd::Entries {
            from,
            to,
            cost_centers,
            category,
            title,
            focus,
        } => load::entries(io, from, to, &cost_centers, category.as_deref())
            .map(|rows| Reply::Ledger(LedgerReply::Entries { title, rows, focus }))
            .unwrap_or_else(error),
        LedgerCmd::Readiness { month } => load::readiness(io, month)
            .map(|r| Reply::Ledger(LedgerReply::Readiness(r)))
            .unwrap_or_else(error),
        write => write::write(io, write),
    }
}

#[derive(Debug, Default)]
pub struct Ledger {
    modal: Modal<LedgerForm, LedgerPrompt>,
    /// Close was asked before the readiness was known: ask once it arrives.
    close_pending: bool,
    /// The last entries asked for, to ask again when something changes.
    entries_cmd: Option<LedgerCmd>,
}

/// The phases a manual posting may have, in the form's order.
const PHASES: [Phase; 5] = [
    Phase::Realize,
    Phase::Commit,
    Phase::Release,
    Phase::Savings,
    Phase::Adjust,
];

impl Ledger {
    fn load(&self, cx: &mut Cx) {
        let p = &mut cx.shell.ledger;
        p.loading = true;
        let (size, anchor, view) = (p.size, p.anchor, p.view);
        cx.send(Cmd::Ledger(LedgerCmd::Load { size, anchor }));
        match view {
            LedgerView::Entries => {
                if let Some(c) = &self.entries_cmd {
                    cx.send(Cmd::Ledger(c.clone()));
                }
            }
            LedgerView::Readiness => {
                if let Some(m) = cx.shell.ledger.readiness.month {
                    cx.send(Cmd::Ledger(LedgerCmd::Readiness { month: m }));
                }
            }
            LedgerView::Grid => {}
        }
    }

    fn anchor(shell: &Shell) -> Option<Month> {
        shell
            .ledger
            .anchor
            .or_else(|| shell.ledger.grid.as_ref().map(|g| g.to))
    }

    /// The entries of the selected cost center (its subtree) and category column.
    fn drill(&mut self, cx: &mut Cx) {
        let p = &cx.shell.ledger;
        let (Some(g), Some(i)) = (&p.grid, p.selected_row()) else {
            return;
        };
        let root = g.rows[i].code.clone();
        let ccs = subtree(
            &root,
            g.rows
                .iter()
                .map(|r| (r.code.as_str(), r.parent.as_deref())),
        );
        let category = p.selected_category().map(str::to_owned);
        let label = opsdeck_views::panes::ledger::period_label(cx.shell, p.size, g.from, g.to);
        let title = match &category {
            Some(c) => format!("{root} · {c} · {label}"),
            None => format!("{root} · {label}"),
        };
        let cmd = LedgerCmd::Entries {
            from: g.from,
            to: g.to,
            cost_centers: ccs,
            category,
            title,
            focus: None,
        };
        let p = &mut cx.shell.ledger;
        p.view = LedgerView::Entries;
        p.entries.clear();
        p.entries_list = ListView::default();
        p.loading = true;
        self.entries_cmd = Some(cmd.clone());
        cx.send(Cmd::Ledger(cmd));
    }

    fn step(&mut self, cx: &mut Cx, forward: bool) {
        self.close_pending = false;
        let Some(a) = Self::anchor(cx.shell) else {
            return;
        };
        let size = cx.shell.ledger.size;
        cx.shell.ledger.anchor = Some(crate::domain::ledger::grid::step(size, a, forward));
        cx.shell.ledger.view = LedgerView::Grid;
        self.load(cx);
    }

    fn selected_leaf(shell: &Shell) -> String {
        let p = &shell.ledger;
        match (&p.grid, p.selected_row()) {
            (Some(g), Some(i)) if !g.rows[i].has_children => g.rows[i].code.clone(),
            _ => String::new(),
        }
    }

    /// The categories' names, for a choice field.
    fn category_choices(shell: &Shell) -> Vec<String> {
        shell
            .ledger
            .grid
            .as_ref()
            .map(|g| g.categories.iter().map(|(_, n)| n.clone()).collect())
            .unwrap_or_default()
    }

    /// A category's name from its code (the code when unknown), and back.
    fn category_name(shell: &Shell, code: &str) -> String {
        shell
            .ledger
            .grid
            .as_ref()
            .and_then(|g| g.categories.iter().find(|(c, _)| c == code))
            .map_or_else(|| code.to_owned(), |(_, n)| n.clone())
    }

    fn category_code(shell: &Shell, name: &str) -> String {
        shell
            .ledger
            .grid
            .as_ref()
            .and_then(|g| g.categories.iter().find(|(_, n)| n == name))
            .map_or_else(|| name.to_owned(), |(c, _)| c.clone())
    }

    /// The user's role may not do this: say so instead of opening a form they cannot save.
    fn refuse_unless(cx: &mut Cx, allowed: bool) -> bool {
        if !allowed {
            let w = ledger_text(cx.shell.locale);
            cx.error(w.no_rights);
        }
        !allowed
    }

    fn open_post_form(&mut self, cx: &mut Cx, phase: Option<Phase>, corrects: Option<&str>) {
        let l = cx.shell.locale;
        let w = ledger_text(l);
        let today = crate::clock::now_in(cx.tz).date();
        if Self::refuse_unless(cx, cx.shell.ledger.rights.post) {
            return;
        }
        let cats = Self::category_choices(cx.shell);
        let p = &cx.shell.ledger;
        let picked = p
            .selected_category()
            .map(|c| Self::category_name(cx.shell, c));
        let mut cc = Self::selected_leaf(cx.shell);
        let mut category = picked.or_else(|| cats.first().cloned()).unwrap_or_default();
        let mut description = String::new();
        if let Some(k) = corrects
            && let Some(e) = p.entries.iter().find(|e| e.key == k)
        {
            cc = e.cost_center.clone();
            category = Self::category_name(cx.shell, &e.category);
            description = format!("{} {}", w.adjustment_of, e.source);
        }
        let title = match phase {
            Some(Phase::Savings) => w.savings_title.to_owned(),
            Some(Phase::Adjust) => match corrects {
                Some(k) => format!("{} · {k}", w.adjust_title),
                None => w.adjust_title.to_owned(),
            },
            _ => w.post_title.to_owned(),
        };
        let mut fields = Vec::new();
        if phase.is_none() {
            fields.push(FormField::choice(
                "phase",
                w.phase,
                w.phase(Phase::Realize.as_str()),
                PHASES
                    .iter()
                    .map(|ph| w.phase(ph.as_str()).to_owned())
                    .collect(),
            ));
        }
        fields.push(FormField::text("date", w.date, &l.date(today)));
        fields.push(FormField::text("cost_center", w.cost_center, &cc));
        fields.push(FormField::choice("category", w.category, category, cats));
        fields.push(FormField::text("amount", w.amount, ""));
        fields.push(FormField::text("description", w.description, &description));
        fields.push(FormField::text("reason", w.reason, ""));
        if phase == Some(Phase::Savings) {
            fields.push(FormField::text("evidence", w.evidence, ""));
        }
        if phase.is_none() {
            fields.push(FormField::text("against", w.against, ""));
        }
        self.modal.open_form(
            &mut cx.shell.ledger.form,
            LedgerForm::Post {
                phase,
                corrects: corrects.map(str::to_owned),
            },
            title,
            fields,
        );
    }

    fn open_budget_form(&mut self, cx: &mut Cx) {
        let l = cx.shell.locale;
        let w = ledger_text(l);
        if Self::refuse_unless(cx, cx.shell.ledger.rights.budget) {
            return;
        }
        let cats = Self::category_choices(cx.shell);
        let p = &cx.shell.ledger;
        let month = Self::anchor(cx.shell).unwrap_or(Month::of(crate::clock::now_in(cx.tz).date()));
        let cc = Self::selected_leaf(cx.shell);
        let category = p
            .selected_category()
            .map(|c| Self::category_name(cx.shell, c))
            .or_else(|| cats.first().cloned())
            .unwrap_or_default();
        // The cell's planned amount when one month is shown.
        let current = match (&p.grid, p.selected_row(), p.column.checked_sub(1)) {
            (Some(g), Some(i), Some(c)) if p.size == PeriodSize::Month => g.rows[i]
                .cells
                .get(c)
                .map(|f| l.number(f.planned, 2))
                .unwrap_or_default(),
            _ => String::new(),
        };
        let fields = vec![
            FormField::text("month", w.month, &month.to_string()),
            FormField::text("cost_center", w.cost_center, &cc),
            FormField::choice("category", w.category, category, cats),
            FormField::text("planned", w.cols[0], &current),
            FormField::text("note", w.note, ""),
        ];
        self.modal.open_form(
            &mut cx.shell.ledger.form,
            LedgerForm::Budget,
            w.budget_title.to_owned(),
            fields,
        );
    }

    fn submit_form(&mut self, cx: &mut Cx, purpose: LedgerForm) {
        let l = cx.shell.locale;
        let w = ledger_text(l);
        let category = cx
            .shell
            .ledger
            .form
            .as_ref()
            .map(|f| Self::category_code(cx.shell, f.value("category").trim()))
            .unwrap_or_default();
        let Some(f) = cx.shell.ledger.form.as_mut() else {
            return;
        };
        f.message = None;
        let get = |k: &str| f.value(k).trim().to_owned();
        let mut errors: Vec<(&'static str, String)> = Vec::new();
        let required = refusals::say(l, &opsdeck_storage::why!(IsRequired));
        let generation = self.modal.generation();
        let cmd = match purpose {
            LedgerForm::Post { phase, corrects } => {
                let phase = phase.unwrap_or_else(|| {
                    let typed = get("phase");
                    PHASES
                        .iter()
                        .copied()
                        .find(|p| w.phase(p.as_str()) == typed)
                        .unwrap_or(Phase::Realize)
                });
                let date = parse_date(l, &get("date"))
                    .map_err(|e| errors.push(("date", e)))
                    .ok();
                let amount = if phase == Phase::Release {
                    Some(Decimal::ZERO)
                } else {
                    parse(l, &get("amount"))
                        .map_err(|e| errors.push(("amount", e)))
                        .ok()
                };
                if get("cost_center").is_empty() {
                    errors.push(("cost_center", required.clone()));
                }
                let against = Some(get("against")).filter(|a| !a.is_empty());
                match (date, amount) {
                    (Some(date), Some(amount)) => {
                        let input = PostInput {
                            phase,
                            date,
                            cost_center: get("cost_center"),
                            category: category.clone(),
                            amount,
                            description: get("description"),
                            reason: get("reason"),
                            evidence: get("evidence"),
                            against,
                            corrects,
                        };
                        // The domain's own checks, inline before anything is sent.
                        for e in crate::domain::ledger::manual::check(&write::manual_input(
                            input.clone(),
                        )) {
                            let key = match e.field.as_str() {
                                "description" => "description",
                                "reason" => "reason",
                                "amount" => "amount",
                                "against" => "against",
                                _ => "phase",
                            };
                            errors.push((key, refusals::say(l, &e.why)));
                        }
                        Some(LedgerCmd::Post { input, generation })
                    }
                    _ => None,
                }
            }
            LedgerForm::Budget => {
                let month = get("month")
                    .parse::<Month>()
                    .map_err(|e| errors.push(("month", e)))
                    .ok();
                let planned = parse(l, &get("planned"))
                    .map_err(|e| errors.push(("planned", e)))
                    .ok();
                if get("cost_center").is_empty() {
                    errors.push(("cost_center", required.clone()));
                }
                match (month, planned) {
                    (Some(month), Some(planned)) => Some(LedgerCmd::Budget {
                        month,
                        cost_center: get("cost_center"),
                        category: category.clone(),
                        planned,
                        note: get("note"),
                        generation,
                    }),
                    _ => None,
                }
            }
        };
        let first = modal::place_errors(&mut f.fields, |key| {
            errors
                .iter()
                .find(|(k, _)| *k == key)
                .map(|(_, m)| m.clone())
        });
        if let Some(i) = first {
            f.focused = i;
            return;
        }
        if let Some(cmd) = cmd
            && self.modal.sending().is_some()
        {
            cx.send(Cmd::Ledger(cmd));
        }
    }

    /// Close: a yes/no question when nothing is open, else the override's reason.
    fn ask_close(&mut self, cx: &mut Cx) {
        let w = ledger_text(cx.shell.locale);
        let r = &cx.shell.ledger.readiness;
        let Some(month) = r.month else {
            return;
        };
        if r.closed.is_some() {
            let label = cx.shell.locale.month_year(month.first_day());
            cx.notice(format!("{label}: {}", w.closed));
            return;
        }
        let label = cx.shell.locale.month_year(month.first_day());
        let issues = r.issues.len();
        let purpose = LedgerPrompt::Close { month, issues };
        if issues == 0 {
            let title = w.close_question.replace("{month}", &label);
            self.modal.ask(&mut cx.shell.ledger.prompt, purpose, title);
        } else {
            let title = w
                .close_override
                .replace("{month}", &label)
                .replace("{n}", &issues.to_string());
            self.modal
                .open_prompt(&mut cx.shell.ledger.prompt, purpose, title, String::new());
        }
    }

    fn saved(&mut self, cx: &mut Cx, saved: Saved) {
        let p = &mut cx.shell.ledger;
        self.modal
            .saved(saved.generation, &mut p.form, &mut p.prompt);
        cx.notice(saved.notice);
        self.load(cx);
    }

    fn failed(&mut self, cx: &mut Cx, failed: Failed) {
        let p = &mut cx.shell.ledger;
        if let Some(e) = self
            .modal
            .failed(&failed, &mut p.form, &mut p.prompt, cx.shell.locale)
        {
            cx.error(e);
        }
    }
}

impl Pane for Ledger {
    fn id(&self) -> PaneId {
        PaneId::Ledger
    }

    fn key(&mut self, cx: &mut Cx, k: KeyEvent) -> bool {
        let p = &mut cx.shell.ledger;
        match self
            .modal
            .key(&mut p.form, &mut p.prompt, cx.shell.locale, k)
        {
            Step::Free => false,
            Step::Kept | Step::Closed | Step::Choice(_) => true,
            Step::Form(purpose) => {
                self.submit_form(cx, purpose);
                true
            }
            Step::Prompt(LedgerPrompt::Close { month, issues }, text) => {
                if issues > 0 && text.trim().is_empty() {
                    if let Some(pr) = cx.shell.ledger.prompt.as_mut() {
                        pr.error = Some(refusals::say(
                            cx.shell.locale,
                            &opsdeck_storage::why!(IsRequired),
                        ));
                    }
                    return true;
                }
                if let Some(generation) = self.modal.sending() {
                    cx.send(Cmd::Ledger(LedgerCmd::Close {
                        month,
                        reason: text,
                        generation,
                    }));
                }
                true
            }
        }
    }

    fn act(&mut self, cx: &mut Cx, a: Action) -> bool {
        let view = cx.shell.ledger.view;
        match a {
            Action::Ledger(LedgerAct::Prev) => self.step(cx, false),
            Action::Ledger(LedgerAct::Next) => self.step(cx, true),
            Action::Ledger(LedgerAct::Size) => {
                let p = &mut cx.shell.ledger;
                p.size = p.size.next();
                p.view = LedgerView::Grid;
                self.load(cx);
            }
            Action::Ledger(LedgerAct::Toggle) if view == LedgerView::Grid => {
                let p = &mut cx.shell.ledger;
                if let (Some(g), Some(i)) = (&p.grid, p.selected_row())
                    && g.rows[i].has_children
                {
                    let code = g.rows[i].code.clone();
                    if !p.collapsed.remove(&code) {
                        p.collapsed.insert(code);
                    }
                }
            }
            Action::Ledger(LedgerAct::ColumnLeft) => {
                let p = &mut cx.shell.ledger;
                p.column = p.column.saturating_sub(1);
            }
            Action::Ledger(LedgerAct::ColumnRight) => {
                let p = &mut cx.shell.ledger;
                let n = p.grid.as_ref().map_or(0, |g| g.categories.len());
                p.column = (p.column + 1).min(n);
            }
            Action::Ledger(LedgerAct::Readiness) => {
                let Some(month) = Self::anchor(cx.shell) else {
                    return true;
                };
                let p = &mut cx.shell.ledger;
                p.view = LedgerView::Readiness;
                p.readiness = Default::default();
                p.readiness.month = Some(month);
                p.readiness_list = ListView::default();
                p.loading = true;
                cx.send(Cmd::Ledger(LedgerCmd::Readiness { month }));
            }
            Action::Ledger(LedgerAct::Close) => {
                if Self::refuse_unless(cx, cx.shell.ledger.rights.close) {
                    return true;
                }
                let Some(month) = Self::anchor(cx.shell) else {
                    return true;
                };
                if view == LedgerView::Readiness
                    && cx.shell.ledger.readiness.month == Some(month)
                    && !cx.shell.ledger.loading
                {
                    self.ask_close(cx);
                } else {
                    self.close_pending = true;
                    self.act(cx, Action::Ledger(LedgerAct::Readiness));
                }
            }
            Action::New => self.open_post_form(cx, None, None),
            Action::Ledger(LedgerAct::Savings) => {
                self.open_post_form(cx, Some(Phase::Savings), None)
            }
            Action::Ledger(LedgerAct::Adjust) => {
                let selected = if view == LedgerView::Entries {
                    let p = &cx.shell.ledger;
                    p.visible_entries()
                        .get(p.entries_list.selected)
                        .map(|e| e.key.clone())
                } else {
                    None
                };
                self.open_post_form(cx, Some(Phase::Adjust), selected.as_deref());
            }
            Action::Ledger(LedgerAct::Budget) => self.open_budget_form(cx),
            Action::Ledger(LedgerAct::Export) => {
                let Some(g) = &cx.shell.ledger.grid else {
                    return true;
                };
                let (from, to) = (g.from, g.to);
                let generation = self.modal.begin();
                cx.send(Cmd::Ledger(LedgerCmd::Export {
                    from,
                    to,
                    dir: cx.export_dir.to_path_buf(),
                    generation,
                }));
            }
            Action::Open if view == LedgerView::Grid => self.drill(cx),
            Action::Open if view == LedgerView::Entries => {
                let p = &cx.shell.ledger;
                let order = p
                    .visible_entries()
                    .get(p.entries_list.selected)
                    .map(|e| e.order);
                match order {
                    Some(Some(id)) => cx.follow(Link::Order(id)),
                    Some(None) => {
                        let w = ledger_text(cx.shell.locale);
                        cx.notice(w.no_source);
                    }
                    None => {}
                }
            }
            Action::Refresh => self.load(cx),
            _ => return false,
        }
        true
    }

    fn reply(&mut self, cx: &mut Cx, r: Reply) {
        match r {
            Reply::Ledger(LedgerReply::Loaded(l)) => {
                let p = &mut cx.shell.ledger;
                p.loading = false;
                p.error = None;
                p.size = l.size;
                p.anchor = Some(l.anchor);
                p.grid = Some(l.grid);
                p.chart = l.chart;
                p.closed = l.closed;
                p.rights = l.rights;
                let n = p.visible_rows().len();
                p.list.selected = p.list.selected.min(n.saturating_sub(1));
                let ncat = p.grid.as_ref().map_or(0, |g| g.categories.len());
                p.column = p.column.min(ncat);
            }
            Reply::Ledger(LedgerReply::Entries { title, rows, focus }) => {
                let p = &mut cx.shell.ledger;
                p.loading = false;
                p.entries_title = title;
                p.entries = rows;
                if let Some(k) = focus {
                    p.entries_list.filter.clear();
                    p.entries_list.selected =
                        p.entries.iter().position(|e| e.key == k).unwrap_or(0);
                }
                let n = p.visible_entries().len();
                p.entries_list.selected = p.entries_list.selected.min(n.saturating_sub(1));
            }
            Reply::Ledger(LedgerReply::Readiness(r)) => {
                let p = &mut cx.shell.ledger;
                // An answer about another month than the one shown now (the user moved on).
                if p.readiness.month.is_some() && p.readiness.month != r.month {
                    return;
                }
                p.loading = false;
                p.readiness = r;
                let n = p.readiness.issues.len();
                p.readiness_list.selected = p.readiness_list.selected.min(n.saturating_sub(1));
                if std::mem::take(&mut self.close_pending) && !cx.busy {
                    self.ask_close(cx);
                }
            }
            Reply::Saved(_, s) => self.saved(cx, s),
            Reply::Failed(_, f) => self.failed(cx, f),
            _ => {}
        }
    }

    fn reload(&mut self, cx: &mut Cx, _why: Reload) {
        self.load(cx);
    }

    fn back(&mut self, cx: &mut Cx) -> bool {
        self.close_pending = false;
        let p = &mut cx.shell.ledger;
        if p.view != LedgerView::Grid {
            p.view = LedgerView::Grid;
            return true;
        }
        false
    }

    fn paste(&mut self, cx: &mut Cx, text: &str) {
        let p = &mut cx.shell.ledger;
        self.modal.paste(&mut p.form, &mut p.prompt, text);
    }

    fn follow(&mut self, cx: &mut Cx, link: &Link) -> bool {
        let Link::LedgerEntry(key) = link else {
            return false;
        };
        // "202610|HC-CAG|parts|000000123": that cell's entries, the entry selected.
        let mut parts = key.split('|');
        let (Some(m), Some(cc), Some(cat)) = (parts.next(), parts.next(), parts.next()) else {
            return false;
        };
        let Ok(m) = m.parse::<u32>().map(Month) else {
            return false;
        };
        let cmd = LedgerCmd::Entries {
            from: m,
            to: m,
            cost_centers: vec![cc.to_owned()],
            category: Some(cat.to_owned()),
            title: format!("{cc} · {cat} · {m}"),
            focus: Some(key.clone()),
        };
        let p = &mut cx.shell.ledger;
        p.size = PeriodSize::Month;
        p.anchor = Some(m);
        p.view = LedgerView::Entries;
        p.loading = true;
        self.entries_cmd = Some(cmd.clone());
        cx.send(Cmd::Ledger(cmd));
        cx.go(PaneId::Ledger);
        true
    }

    fn unstick(&mut self, cx: &mut Cx, error: &str) {
        self.close_pending = false;
        let p = &mut cx.shell.ledger;
        p.loading = false;
        p.error = Some(error.to_owned());
        self.modal.unstick(&mut p.form, &mut p.prompt, error);
    }

    fn busy(&self, shell: &Shell) -> bool {
        shell.ledger.form.is_some() || shell.ledger.prompt.is_some()
    }

    fn list<'s>(&self, shell: &'s mut Shell) -> Option<(&'s mut ListView, usize)> {
        match shell.ledger.view {
            LedgerView::Grid => {
                let n = shell.ledger.visible_rows().len();
                Some((&mut shell.ledger.list, n))
            }
            LedgerView::Entries => {
                let n = shell.ledger.visible_entries().len();
                Some((&mut shell.ledger.entries_list, n))
            }
            LedgerView::Readiness => {
                let n = shell.ledger.readiness.issues.len();
                Some((&mut shell.ledger.readiness_list, n))
            }
        }
    }
}
