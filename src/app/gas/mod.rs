//! The Gas pane: the unit and day or month shown, the entry form (live QDS on every
//! keystroke), typing and pasting plans, approvals, the admin forms and the Petrobras export.
//! Keys of an open form, prompt or input come here before the keymap.

mod entry;
mod load;
pub mod protocol;
mod purpose;
mod write;

pub use load::serve;

use jiff::civil::Date;
use opsdeck_storage::records::gas::{Contract, GasUnit};
use opsdeck_views::action::{Action, GasAct};
use opsdeck_views::i18n::Locale;
use opsdeck_views::panes::gas::text::{GasText, text as gas_text};
use opsdeck_views::refusals;
use opsdeck_views::state::gas::{EntryForm, EntryValue, GasView, PlanSheet};
use opsdeck_views::state::{FormField, ListView, PaneId, Shell};
use ratatui::crossterm::event::{KeyCode, KeyEvent};
use rust_decimal::Decimal;

use super::modal::{self, Modal, Step};
use super::outcome::{Failed, Saved};
use super::pane::{Cx, Pane, Reload};
use super::protocol::{Cmd, Reply};
use super::typed_input::{parse, parse_date};
use crate::domain::gas::entries::EntryInput;
use load::tab;
use protocol::{DayData, GasCmd, GasData, GasQuery, GasReply};
use purpose::{GasForm, GasPrompt};

/// What the pane knows beyond what it shows.
#[derive(Debug, Default)]
pub struct Gas {
    /// The unit records, for the live QDS (rates by date).
    units: Vec<GasUnit>,
    contracts: Vec<Contract>,
    today: Option<Date>,
    /// False until the user picks a unit: the pane follows their assigned unit.
    unit_chosen: bool,
    /// The entry's day (None: today) and the month shown (None: this month).
    day: Option<Date>,
    month: Option<Date>,
    /// The stored entry's version (None: a new day) and the values the form opened with.
    entry_version: Option<u64>,
    entry_initial: Vec<EntryValue>,
    /// Open the entry in edit mode once its day is loaded (Enter on a day of the grid).
    edit_on_load: bool,
    /// The admin forms and the prompts; its generations also number the entry's and the plans'
    /// writes, so a late answer about an earlier one is told apart.
    modal: Modal<GasForm, GasPrompt>,
    /// Where the month grid's cursor goes when the next month arrives.
    month_cursor_set: Option<Date>,
    /// The last plan typed and sent: (generation, day, the value it had, the text typed), to
    /// put back if the save is refused.
    plan_pending: Option<(u64, Date, Option<Decimal>, String)>,
}

impl Pane for Gas {
    fn id(&self) -> PaneId {
        PaneId::Gas
    }

    fn key(&mut self, cx: &mut Cx, k: KeyEvent) -> bool {
        let p = &mut cx.shell.gas;
        match self
            .modal
            .key(&mut p.form, &mut p.prompt, cx.shell.locale, k)
        {
            Step::Free => self.gas_key(cx, k),
            Step::Kept | Step::Closed | Step::Choice(_) => true,
            Step::Form(kind) => {
                self.submit_gas_form(cx, kind);
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
            Action::Gas(g) => self.gas_action(cx, g),
            Action::Open | Action::Edit => self.gas_open(cx),
            Action::New => self.gas_new(cx),
            _ => return false,
        }
        true
    }

    fn reply(&mut self, cx: &mut Cx, r: Reply) {
        match r {
            Reply::Gas(GasReply::Loaded(d)) => self.gas_loaded(cx, *d),
            Reply::Gas(GasReply::Exported(first, path)) => self.gas_exported(cx, first, path),
            Reply::Saved(_, s) => self.gas_saved(cx, s),
            Reply::Failed(_, f) => self.gas_failed(cx, f),
            _ => {}
        }
    }

    fn reload(&mut self, cx: &mut Cx, _why: Reload) {
        self.reload_gas(cx);
    }

    fn paste(&mut self, cx: &mut Cx, text: &str) {
        let p = &mut cx.shell.gas;
        if !self.modal.paste(&mut p.form, &mut p.prompt, text) {
            self.gas_paste(cx, text);
        }
    }

    fn unstick(&mut self, cx: &mut Cx, error: &str) {
        let p = &mut cx.shell.gas;
        self.modal.unstick(&mut p.form, &mut p.prompt, error);
        if let Some(e) = &mut cx.shell.gas.entry {
            e.saving = false;
        }
    }

    fn busy(&self, shell: &Shell) -> bool {
        let p = &shell.gas;
        p.form.is_some()
            || p.prompt.is_some()
            || p.entry.as_ref().is_some_and(|e| e.editing)
            || p.plans.as_ref().is_some_and(|s| s.input.is_some())
    }

    fn list<'s>(&self, shell: &'s mut Shell) -> Option<(&'s mut ListView, usize)> {
        let n = shell.gas.visible_len();
        shell.gas.list_mut().map(|l| (l, n))
    }

    /// A month's days, a sheet of plans: nothing to filter.
    fn filterable(&self, _shell: &mut Shell) -> bool {
        false
    }
}

const CONTRACT_KEYS: [&str; 9] = [
    "effective_from",
    "qdc_limit",
    "transport_min",
    "transport_max",
    "molecule_min",
    "molecule_max",
    "incentive_bonus",
    "incentive_penalty",
    "note",
];

/// The selected day's plan as the input starts with it (all its decimals: walking the days
/// with Enter must not round a plan).
fn plan_text(locale: Locale, s: &PlanSheet) -> String {
    s.rows
        .get(s.list.selected)
        .and_then(|r| r.qdp)
        .map(|v| locale.number(v, entry::decimals(v)))
        .unwrap_or_default()
}

impl Gas {
    fn gas_words(&self, cx: &Cx) -> &'static GasText {
        gas_text(cx.shell.locale)
    }

    /// The unit shown, None when consolidated.
    fn gas_unit_code(&self, cx: &Cx) -> Option<String> {
        cx.shell.gas.unit_tab().map(|u| u.code.clone())
    }

    /// The tenant's today: as the last load said, else from the clock in the tenant's zone
    /// (before the first load answers).
    fn gas_today(&self, cx: &Cx) -> Date {
        self.today
            .unwrap_or_else(|| crate::clock::now().to_zoned(cx.tz.clone()).date())
    }

    fn gas_query(&self, cx: &Cx) -> GasQuery {
        GasQuery {
            view: cx.shell.gas.view,
            unit: self.gas_unit_code(cx),
            unit_chosen: self.unit_chosen,
            day: self.day,
            month: self.month,
        }
    }

    pub(super) fn reload_gas(&mut self, cx: &mut Cx) {
        cx.send(Cmd::Gas(GasCmd::Load(self.gas_query(cx))));
    }

    pub(super) fn gas_loaded(&mut self, cx: &mut Cx, d: GasData) {
        // A late answer for another view, unit, day or month is dropped.
        let mut asked = self.gas_query(cx);
        if !self.unit_chosen {
            asked.unit = d.query.unit.clone();
        }
        if d.query != asked {
            return;
        }
        let p = &mut cx.shell.gas;
        p.units = d.units.iter().map(tab).collect();
        p.unit = match &d.query.unit {
            Some(code) => d.units.iter().position(|u| &u.code == code).unwrap_or(0),
            None if matches!(p.view, GasView::Month | GasView::Report) => d.units.len(),
            // Admin is of every unit: the choice (consolidated too) stays for the next view.
            None if p.view == GasView::Admin => p.unit.min(d.units.len()),
            None => 0,
        };
        p.today = Some(d.today);
        p.rights = d.rights;
        p.loaded = true;
        self.today = Some(d.today);
        self.units = d.units;
        if let Some(day) = d.day {
            self.gas_day_loaded(cx, day);
        } else if p.view == GasView::Entry {
            p.entry = None;
        }
        if let Some(m) = d.month {
            let p = &mut cx.shell.gas;
            let first_time = p.month.as_ref().is_none_or(|cur| cur.first != m.first);
            if first_time {
                let at = self.month_cursor_set.take().unwrap_or(d.today);
                p.month_list.selected = m.rows.iter().position(|r| r.date == at).unwrap_or(0);
            }
            p.month_list.selected = p.month_list.selected.min(m.rows.len().saturating_sub(1));
            p.month = Some(m);
        }
        if let Some(rows) = d.plans {
            let p = &mut cx.shell.gas;
            let first = rows.first().map(|r| r.date.first_of_month());
            let unit = p.unit_tab().cloned();
            match &mut p.plans {
                Some(s) if Some(s.first) == first && s.unit == unit => {
                    s.list.selected = s.list.selected.min(rows.len().saturating_sub(1));
                    s.rows = rows;
                }
                _ => {
                    let selected = rows.iter().position(|r| r.date == d.today).unwrap_or(0);
                    p.plans = Some(PlanSheet {
                        first: first.unwrap_or(d.today),
                        unit,
                        rows,
                        list: opsdeck_views::state::ListView {
                            selected,
                            filter: String::new(),
                        },
                        input: None,
                        error: None,
                    });
                }
            }
        } else if cx.shell.gas.view == GasView::Plans {
            cx.shell.gas.plans = None;
        }
        if let Some(mut r) = d.report {
            let p = &mut cx.shell.gas;
            if let Some(cur) = &p.report
                && cur.first == r.first
            {
                r.list = cur.list.clone();
                r.column = cur.column;
                r.written = cur.written.clone();
            }
            r.list.selected = r.list.selected.min(r.rows.len().saturating_sub(1));
            p.report = Some(r);
        }
        if let Some((mut a, contracts)) = d.admin {
            let p = &mut cx.shell.gas;
            if let Some(cur) = &p.admin {
                a.list = cur.list.clone();
            }
            a.list.selected = a.list.selected.min(a.len().saturating_sub(1));
            p.admin = Some(a);
            self.contracts = contracts;
        }
    }

    fn who(&self, cx: &Cx, by: &str, at: jiff::Timestamp) -> String {
        format!(
            "{by} · {}",
            cx.shell.locale.datetime(&at.to_zoned(cx.tz.clone()))
        )
    }

    /// Why the user may not save the day, if they may not.
    fn read_only(&self, cx: &Cx, date: Date) -> Option<String> {
        let w = self.gas_words(cx);
        let rights = cx.shell.gas.rights;
        let today = self.today?;
        if !rights.enter {
            return Some(w.no_role.into());
        }
        if date < today && !rights.enter_past {
            return Some(w.past_needs_supervisor.into());
        }
        if today.tomorrow().is_ok_and(|t| date > t) {
            return Some(w.ahead.into());
        }
        None
    }

    fn gas_day_loaded(&mut self, cx: &mut Cx, day: DayData) {
        let locale = cx.shell.locale;
        let Some(unit) = self.units.iter().find(|u| u.code == day.unit).cloned() else {
            return;
        };
        let entered = day
            .entry
            .as_ref()
            .map(|e| self.who(cx, &e.changed_by, e.changed_at));
        let manual_by = day
            .entry
            .as_ref()
            .and_then(|e| e.value.qds_manual.as_ref())
            .map(|m| self.who(cx, &m.by, m.at));
        let read_only = self.read_only(cx, day.date);
        let today = self.today == Some(day.date);
        // The user is typing this very day: keep what they typed, refresh the context only.
        if let Some(f) = &mut cx.shell.gas.entry
            && f.unit.code == day.unit
            && f.date == day.date
            && f.editing
            && f.dirty
        {
            f.entered = entered;
            f.manual_by = manual_by;
            f.qdp = day.qdp;
            f.qdr = day.qdr;
            f.band = day.band;
            return;
        }
        let input = day
            .entry
            .as_ref()
            .map(|e| EntryInput::from_entry(&e.value))
            .unwrap_or_else(|| EntryInput::blank(&unit, day.date));
        let mut fields = entry::fields(locale, &unit, &input);
        let qds = entry::preview(locale, &unit, day.date, &mut fields);
        self.entry_version = day.entry.as_ref().map(|e| e.version);
        self.entry_initial = entry::values(&fields);
        let keep_focus = cx
            .shell
            .gas
            .entry
            .as_ref()
            .filter(|f| f.unit.code == day.unit && f.date == day.date)
            .map(|f| (f.focused, f.editing));
        let editing = std::mem::take(&mut self.edit_on_load) && read_only.is_none();
        if editing {
            // Pinned while typing (see gas_open).
            self.day = Some(day.date);
            self.unit_chosen = true;
        }
        let (focused, editing) = keep_focus.map_or((0, editing), |(f, e)| (f, e || editing));
        cx.shell.gas.entry = Some(EntryForm {
            unit: tab(&unit),
            date: day.date,
            today,
            focused: focused.min(fields.len().saturating_sub(1)),
            fields,
            editing: editing && read_only.is_none(),
            qds,
            entered,
            manual_by,
            qdp: day.qdp,
            qdr: day.qdr,
            band: day.band,
            dirty: false,
            saving: false,
            message: None,
            confirm_discard: false,
            read_only,
        });
    }

    fn gas_saved(&mut self, cx: &mut Cx, saved: Saved) {
        let p = &mut cx.shell.gas;
        if self
            .modal
            .saved(saved.generation, &mut p.form, &mut p.prompt)
            && let Some(f) = &mut p.entry
            && f.saving
        {
            f.saving = false;
            f.dirty = false;
            f.editing = false;
            f.message = None;
            self.entry_initial = entry::values(&f.fields);
        }
        cx.notice(saved.notice);
        self.reload_gas(cx);
    }

    fn gas_failed(&mut self, cx: &mut Cx, failed: Failed) {
        let generation = failed.generation;
        // A refused plan: the row shows what is stored again, the input reopens on it.
        if let Some((g, date, prev, typed)) = self.plan_pending.take()
            && g == generation
            && let Some(s) = &mut cx.shell.gas.plans
            && let Some(i) = s.rows.iter().position(|r| r.date == date)
        {
            self.modal.answered(generation);
            s.rows[i].qdp = prev;
            s.list.selected = i;
            s.input = Some(typed);
            s.error = Some(failed.error);
            self.reload_gas(cx);
            return;
        }
        let p = &mut cx.shell.gas;
        if p.form.is_some() || p.prompt.is_some() {
            if let Some(e) = self
                .modal
                .failed(&failed, &mut p.form, &mut p.prompt, cx.shell.locale)
            {
                cx.error(e);
            }
            return;
        }
        let error = failed.error;
        if !self.modal.answered(generation) {
            cx.error(error);
            self.reload_gas(cx);
            return;
        }
        let locale = cx.shell.locale;
        let tz = cx.tz.clone();
        let p = &mut cx.shell.gas;
        if let Some(e) = &mut p.entry
            && e.saving
        {
            e.saving = false;
            e.editing = true;
            // Someone saved this day meanwhile: say who, and let Enter save these values over
            // theirs (Esc and "discard" shows theirs).
            if let Some(c) = failed.conflict {
                self.entry_version = Some(c.version);
                let when = c.at.to_zoned(tz).strftime("%H:%M").to_string();
                let by = c.by;
                e.message = Some(
                    gas_text(locale)
                        .day_saved_by_other
                        .replace("{by}", &by)
                        .replace("{when}", &when),
                );
                return;
            }
            match modal::place_error(&mut e.fields, failed.field.as_deref(), &error) {
                Some(i) => e.focused = i,
                None => e.message = Some(error),
            }
            return;
        }
        if p.view == GasView::Plans
            && let Some(s) = &mut p.plans
        {
            s.error = Some(error);
            return;
        }
        cx.error(error);
    }

    pub(super) fn gas_exported(&mut self, cx: &mut Cx, first: Date, path: String) {
        if let Some(r) = &mut cx.shell.gas.report
            && r.first == first
        {
            r.written = Some(path.clone());
        }
        cx.shell.status.notice = Some(path);
    }

    fn set_gas_view(&mut self, cx: &mut Cx, v: GasView) {
        self.edit_on_load = false;
        let p = &mut cx.shell.gas;
        // Entry and plans are of one unit: leaving "consolidated" picks the user's unit back.
        if matches!(v, GasView::Entry | GasView::Plans) && p.unit >= p.units.len() {
            p.unit = 0;
            self.unit_chosen = false;
        }
        p.view = v;
        self.reload_gas(cx);
    }

    fn step_unit(&mut self, cx: &mut Cx, forward: bool) {
        let p = &mut cx.shell.gas;
        let n = p.units.len();
        if n == 0 {
            return;
        }
        let slots = if matches!(p.view, GasView::Month | GasView::Report) {
            n + 1
        } else {
            n
        };
        let cur = p.unit.min(slots - 1);
        p.unit = if forward {
            (cur + 1) % slots
        } else {
            (cur + slots - 1) % slots
        };
        self.unit_chosen = true;
        self.reload_gas(cx);
    }

    fn step_time(&mut self, cx: &mut Cx, forward: bool) {
        let today = self.gas_today(cx);
        if cx.shell.gas.view == GasView::Entry {
            let day = self.day.unwrap_or(today);
            let next = if forward {
                day.tomorrow()
            } else {
                day.yesterday()
            };
            if let Ok(d) = next {
                self.day = Some(d);
            }
        } else {
            let first = self.month.unwrap_or(today).first_of_month();
            let span = jiff::Span::new().months(if forward { 1 } else { -1 });
            if let Ok(d) = first.checked_add(span) {
                self.month = Some(d);
                self.month_cursor_set = Some(d);
            }
        }
        self.reload_gas(cx);
    }

    fn gas_action(&mut self, cx: &mut Cx, a: GasAct) {
        match a {
            GasAct::Entry => self.set_gas_view(cx, GasView::Entry),
            GasAct::Month => self.set_gas_view(cx, GasView::Month),
            GasAct::Plans => self.set_gas_view(cx, GasView::Plans),
            GasAct::Report => self.set_gas_view(cx, GasView::Report),
            GasAct::Admin => self.set_gas_view(cx, GasView::Admin),
            GasAct::NextView => self.set_gas_view(cx, cx.shell.gas.view.next()),
            GasAct::NextUnit => self.step_unit(cx, true),
            GasAct::PrevUnit => self.step_unit(cx, false),
            GasAct::Prev => self.step_time(cx, false),
            GasAct::Next => self.step_time(cx, true),
            GasAct::Today => {
                self.day = None;
                self.month = None;
                self.month_cursor_set = self.today;
                cx.shell.gas.month = None;
                self.reload_gas(cx);
            }
            GasAct::Export => {
                let today = self.gas_today(cx);
                let first = self.month.unwrap_or(today).first_of_month();
                let dir = cx.export_dir.to_path_buf();
                cx.send(Cmd::Gas(GasCmd::Export { first, dir }));
            }
            GasAct::Approve => self.approve_day(cx),
            GasAct::ApproveMonth => self.ask_approve_month(cx),
            GasAct::Qdr => self.ask_qdr(cx),
        }
    }

    /// Enter or `e` in the Gas pane.
    pub(super) fn gas_open(&mut self, cx: &mut Cx) {
        let p = &cx.shell.gas;
        match p.view {
            GasView::Entry => {
                let ro = p.entry.as_ref().and_then(|e| e.read_only.clone());
                if let Some(why) = ro {
                    cx.shell.status.last_error = Some(why);
                } else if let Some(e) = &mut cx.shell.gas.entry {
                    e.editing = true;
                    e.message = None;
                    // Pinned while typing: midnight or a new assignment must not swap the day.
                    self.day = Some(e.date);
                    self.unit_chosen = true;
                }
            }
            GasView::Month => {
                let Some(row) = p
                    .month
                    .as_ref()
                    .and_then(|m| m.rows.get(p.month_list.selected))
                else {
                    return;
                };
                let date = row.date;
                if p.unit >= p.units.len() {
                    // Consolidated: the first unit missing that day, else the user's unit.
                    if let Some(i) = row
                        .missing
                        .first()
                        .and_then(|c| p.units.iter().position(|u| &u.code == c))
                    {
                        cx.shell.gas.unit = i;
                        self.unit_chosen = true;
                    } else {
                        cx.shell.gas.unit = 0;
                        self.unit_chosen = false;
                    }
                }
                self.day = Some(date);
                self.edit_on_load = true;
                cx.shell.gas.view = GasView::Entry;
                cx.shell.gas.entry = None;
                self.reload_gas(cx);
            }
            GasView::Plans => self.start_plan_input(cx),
            GasView::Report => self.gas_action(cx, GasAct::Export),
            GasView::Admin => self.open_admin_form(cx, false),
        }
    }

    /// `n` in the Gas pane: a new contract (admin view).
    pub(super) fn gas_new(&mut self, cx: &mut Cx) {
        if cx.shell.gas.view == GasView::Admin {
            self.open_admin_form(cx, true);
        }
    }

    fn start_plan_input(&mut self, cx: &mut Cx) {
        let locale = cx.shell.locale;
        if let Some(s) = &mut cx.shell.gas.plans {
            s.input = Some(plan_text(locale, s));
            s.error = None;
        }
    }

    fn approve_day(&mut self, cx: &mut Cx) {
        if cx.shell.gas.view != GasView::Plans {
            self.set_gas_view(cx, GasView::Plans);
            return;
        }
        if !cx.shell.gas.rights.approve {
            cx.shell.status.last_error = Some(self.gas_words(cx).needs_supervisor.into());
            return;
        }
        // The sheet on screen names the unit (a `u` just pressed may not have reloaded yet).
        let Some((unit, row)) = cx
            .shell
            .gas
            .plans
            .as_ref()
            .and_then(|s| Some((s.unit.as_ref()?.code.clone(), s.rows.get(s.list.selected)?)))
        else {
            return;
        };
        let date = row.date;
        if row.qdp.is_none() {
            let l = cx.shell.locale;
            cx.error(
                gas_text(l)
                    .no_plan_on
                    .replace("{unit}", &unit)
                    .replace("{date}", &l.date(date)),
            );
            return;
        }
        let generation = self.modal.begin();
        cx.send(Cmd::Gas(GasCmd::ApprovePlans {
            unit,
            from: date,
            to: date,
            generation,
        }));
    }

    fn ask_approve_month(&mut self, cx: &mut Cx) {
        if cx.shell.gas.view != GasView::Plans {
            self.set_gas_view(cx, GasView::Plans);
            return;
        }
        if !cx.shell.gas.rights.approve {
            cx.shell.status.last_error = Some(self.gas_words(cx).needs_supervisor.into());
            return;
        }
        let Some(s) = cx.shell.gas.plans.as_ref() else {
            return;
        };
        let Some(unit) = s.unit.as_ref().map(|u| u.code.clone()) else {
            return;
        };
        let pending = s
            .rows
            .iter()
            .filter(|r| r.qdp.is_some() && r.approved.is_none())
            .count();
        let (Some(from), Some(to)) = (s.rows.first(), s.rows.last()) else {
            return;
        };
        let (from, to) = (from.date, to.date);
        let w = self.gas_words(cx);
        let yes = w.yes_no_keys;
        let title = format!(
            "{} {pending} × QDP {unit} {:02}/{}? ({yes})",
            w.approve_month,
            from.month(),
            from.year()
        );
        self.modal.ask(
            &mut cx.shell.gas.prompt,
            GasPrompt::ApproveMonth { unit, from, to },
            title,
        );
    }

    /// `r` on a day of one unit's month: the QDR keyed by hand (the meter was down, or the
    /// distributor's figure differs); a manual value is never replaced by the meter.
    fn ask_qdr(&mut self, cx: &mut Cx) {
        let p = &cx.shell.gas;
        let w = self.gas_words(cx);
        if p.view != GasView::Month {
            self.set_gas_view(cx, GasView::Month);
            return;
        }
        let Some(m) = p.month.as_ref() else {
            return;
        };
        let Some(unit) = m.unit.as_ref().map(|u| u.code.clone()) else {
            cx.shell.status.last_error = Some(w.no_unit.into());
            return;
        };
        let Some(row) = m.rows.get(p.month_list.selected) else {
            return;
        };
        let locale = cx.shell.locale;
        let date = row.date;
        let current = row
            .qdr
            .map(|v| locale.number(v, entry::decimals(v)))
            .unwrap_or_default();
        let title = format!("QDR {unit} {} (m³)", locale.date(date));
        self.modal.open_prompt(
            &mut cx.shell.gas.prompt,
            GasPrompt::Qdr { unit, date },
            title,
            current,
        );
    }

    fn open_admin_form(&mut self, cx: &mut Cx, new_contract: bool) {
        let w = self.gas_words(cx);
        if !cx.shell.gas.rights.configure {
            cx.shell.status.last_error = Some(w.needs_admin.into());
            return;
        }
        let locale = cx.shell.locale;
        let Some(a) = &cx.shell.gas.admin else {
            return;
        };
        let today = self.gas_today(cx);
        let sel = a.list.selected;
        let (kind, title, fields) = match a.equipment.get(sel).filter(|_| !new_contract) {
            Some(e) => {
                let current = self
                    .units
                    .iter()
                    .find(|u| u.code == e.unit)
                    .and_then(|u| u.equipment(&e.code))
                    .and_then(|x| x.rate_on(today))
                    .map(|r| locale.number(r, entry::decimals(r)))
                    .unwrap_or_default();
                (
                    GasForm::Rate {
                        unit: e.unit.clone(),
                        equipment: e.code.clone(),
                    },
                    format!("{} · {} {} ({})", w.rate_title, e.unit, e.name, e.code),
                    vec![
                        FormField::text("from", w.from, &locale.date(today)),
                        FormField::text("rate", w.rate, &current),
                        FormField::text("note", w.rate_reason, ""),
                    ],
                )
            }
            None => {
                // A new contract starts from the selected one (or the latest), next month.
                let base = sel
                    .checked_sub(a.equipment.len())
                    .and_then(|i| self.contracts.get(i))
                    .or(self.contracts.last());
                let from = today
                    .first_of_month()
                    .checked_add(jiff::Span::new().months(1))
                    .unwrap_or(today);
                let n = |v: Option<Decimal>| v.map(|v| locale.number(v, entry::decimals(v)));
                let values = [
                    Some(locale.date(from)),
                    n(base.map(|c| c.qdc_limit)),
                    n(base.map(|c| c.transport_min)),
                    n(base.map(|c| c.transport_max)),
                    n(base.map(|c| c.molecule_min)),
                    n(base.map(|c| c.molecule_max)),
                    n(base.map(|c| c.incentive_bonus)),
                    n(base.map(|c| c.incentive_penalty)),
                    Some(String::new()),
                ];
                let fields = CONTRACT_KEYS
                    .iter()
                    .zip(w.contract_labels)
                    .zip(values)
                    .map(|((k, label), v)| FormField::text(k, label, &v.unwrap_or_default()))
                    .collect();
                (GasForm::Contract, w.contract_title.to_owned(), fields)
            }
        };
        self.modal
            .open_form(&mut cx.shell.gas.form, kind, title, fields);
    }

    /// Keys while something in the pane takes typing. False: the keymap handles the key.
    fn gas_key(&mut self, cx: &mut Cx, k: KeyEvent) -> bool {
        match cx.shell.gas.view {
            GasView::Entry if cx.shell.gas.entry.as_ref().is_some_and(|e| e.editing) => {
                self.entry_key(cx, k);
                true
            }
            // The entry is no list: Enter, e or i start editing it.
            GasView::Entry
                if matches!(k.code, KeyCode::Enter | KeyCode::Char('e' | 'i'))
                    && k.modifiers.is_empty() =>
            {
                self.gas_open(cx);
                true
            }
            GasView::Plans
                if cx
                    .shell
                    .gas
                    .plans
                    .as_ref()
                    .is_some_and(|s| s.input.is_some()) =>
            {
                self.plan_key(cx, k);
                true
            }
            GasView::Report if matches!(k.code, KeyCode::Left | KeyCode::Right) => {
                if let Some(r) = &mut cx.shell.gas.report {
                    let groups = cx.shell.gas.units.len()
                        + opsdeck_views::state::gas::GasReport::TAIL_GROUPS;
                    r.column = if k.code == KeyCode::Right {
                        (r.column + 1).min(groups.saturating_sub(1))
                    } else {
                        r.column.saturating_sub(1)
                    };
                }
                true
            }
            _ => false,
        }
    }

    /// Enter on a prompt: the QDR typed (checked here first), or yes to approving the month.
    fn submit_prompt(&mut self, cx: &mut Cx, kind: GasPrompt, input: String) {
        let cmd = match kind {
            GasPrompt::Qdr { unit, date } => match parse(cx.shell.locale, &input) {
                Ok(qdr) => move |generation| GasCmd::SetQdr {
                    unit,
                    date,
                    qdr,
                    generation,
                },
                Err(e) => {
                    if let Some(p) = cx.shell.gas.prompt.as_mut() {
                        p.error = Some(e);
                    }
                    return;
                }
            },
            GasPrompt::ApproveMonth { unit, from, to } => {
                return self.send(cx, move |generation| GasCmd::ApprovePlans {
                    unit,
                    from,
                    to,
                    generation,
                });
            }
        };
        self.send(cx, cmd);
    }

    /// Sends the open form's or prompt's write, once (a second Enter waits for its answer).
    fn send(&mut self, cx: &mut Cx, cmd: impl FnOnce(u64) -> GasCmd) {
        if let Some(generation) = self.modal.sending() {
            cx.send(Cmd::Gas(cmd(generation)));
        }
    }

    fn submit_gas_form(&mut self, cx: &mut Cx, kind: GasForm) {
        let locale = cx.shell.locale;
        let Some(f) = cx.shell.gas.form.as_mut() else {
            return;
        };
        f.message = None;
        let get = |key: &str| {
            f.fields
                .iter()
                .find(|x| x.key == key)
                .map(|x| x.value.clone())
                .unwrap_or_default()
        };
        let mut errors: Vec<(&str, String)> = Vec::new();
        let date = |key: &'static str, errors: &mut Vec<(&str, String)>| match parse_date(
            locale,
            &get(key),
        ) {
            Ok(d) => Some(d),
            Err(e) => {
                errors.push((key, e));
                None
            }
        };
        let number =
            |key: &'static str, errors: &mut Vec<(&str, String)>| match parse(locale, &get(key)) {
                Ok(d) => Some(d),
                Err(e) => {
                    errors.push((key, e));
                    None
                }
            };
        let generation = self.modal.generation();
        let cmd = match kind {
            GasForm::Rate { unit, equipment } => {
                let from = date("from", &mut errors);
                let rate = number("rate", &mut errors);
                match (from, rate) {
                    (Some(from), Some(rate)) => Some(GasCmd::ChangeRate {
                        unit,
                        equipment,
                        from,
                        rate,
                        note: get("note"),
                        generation,
                    }),
                    _ => None,
                }
            }
            GasForm::Contract => {
                let from = date("effective_from", &mut errors);
                let mut n = CONTRACT_KEYS[1..8]
                    .iter()
                    .map(|k| number(k, &mut errors))
                    .collect::<Vec<_>>()
                    .into_iter();
                let mut next = || n.next().flatten();
                let (qdc, tmin, tmax, mmin, mmax, bonus, penalty) =
                    (next(), next(), next(), next(), next(), next(), next());
                match (from, qdc, tmin, tmax, mmin, mmax, bonus, penalty) {
                    (
                        Some(effective_from),
                        Some(qdc_limit),
                        Some(transport_min),
                        Some(transport_max),
                        Some(molecule_min),
                        Some(molecule_max),
                        Some(incentive_bonus),
                        Some(incentive_penalty),
                    ) => {
                        let contract = Contract {
                            effective_from,
                            qdc_limit,
                            transport_min,
                            transport_max,
                            molecule_min,
                            molecule_max,
                            incentive_bonus,
                            incentive_penalty,
                            note: get("note").trim().to_owned(),
                        };
                        let problems = crate::domain::gas::entries::check_contract(&contract);
                        for p in problems {
                            if let Some(k) = CONTRACT_KEYS.iter().find(|k| **k == p.field) {
                                errors.push((k, refusals::say(locale, &p.why)));
                            }
                        }
                        errors.is_empty().then_some(GasCmd::SetContract {
                            contract,
                            generation,
                        })
                    }
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
            cx.send(Cmd::Gas(cmd));
        }
    }

    fn entry_key(&mut self, cx: &mut Cx, k: KeyEvent) {
        let Some(f) = cx.shell.gas.entry.as_mut() else {
            return;
        };
        if f.saving {
            return;
        }
        if f.confirm_discard {
            match k.code {
                KeyCode::Char('y' | 's' | 'Y' | 'S') => {
                    // Back to what is stored.
                    f.confirm_discard = false;
                    f.editing = false;
                    self.edit_on_load = false;
                    cx.shell.gas.entry = None;
                    self.reload_gas(cx);
                }
                KeyCode::Char('n' | 'N') | KeyCode::Esc => f.confirm_discard = false,
                _ => {}
            }
            return;
        }
        let n = f.fields.len().max(1);
        let mut changed = false;
        match k.code {
            KeyCode::Esc => {
                if f.dirty {
                    f.confirm_discard = true;
                } else {
                    f.editing = false;
                }
            }
            KeyCode::Up | KeyCode::BackTab => f.focused = (f.focused + n - 1) % n,
            KeyCode::Down | KeyCode::Tab => f.focused = (f.focused + 1) % n,
            KeyCode::Enter => {
                self.save_entry(cx);
                return;
            }
            code => {
                let Some(field) = f.fields.get_mut(f.focused) else {
                    return;
                };
                match (&mut field.value, code) {
                    (
                        EntryValue::Toggle(on),
                        KeyCode::Char(' ') | KeyCode::Left | KeyCode::Right,
                    ) => {
                        *on = !*on;
                        changed = true;
                    }
                    (EntryValue::Toggle(on), KeyCode::Char('s' | 'S' | 'y' | 'Y' | '1')) => {
                        changed = !*on;
                        *on = true;
                    }
                    (EntryValue::Toggle(on), KeyCode::Char('n' | 'N' | '0')) => {
                        changed = *on;
                        *on = false;
                    }
                    (EntryValue::Text(t), _) => {
                        let before = t.clone();
                        changed = modal::edit_text(t, k) && *t != before;
                    }
                    _ => {}
                }
                if changed {
                    field.error = None;
                    f.message = None;
                }
            }
        }
        if changed {
            self.entry_changed(cx);
        }
    }

    /// After any keystroke that changed a value: the live QDS and whether anything changed.
    fn entry_changed(&mut self, cx: &mut Cx) {
        let locale = cx.shell.locale;
        let Some(f) = cx.shell.gas.entry.as_mut() else {
            return;
        };
        let Some(unit) = self.units.iter().find(|u| u.code == f.unit.code) else {
            return;
        };
        f.qds = entry::preview(locale, unit, f.date, &mut f.fields);
        f.dirty = entry::values(&f.fields) != self.entry_initial;
    }

    fn save_entry(&mut self, cx: &mut Cx) {
        let locale = cx.shell.locale;
        let Some(f) = cx.shell.gas.entry.as_mut() else {
            return;
        };
        let Some(unit) = self.units.iter().find(|u| u.code == f.unit.code) else {
            return;
        };
        if let Some(why) = &f.read_only {
            f.message = Some(why.clone());
            return;
        }
        let input = match entry::input_of(locale, unit, f.date, &f.fields) {
            Ok(i) => i,
            Err(errors) => {
                if let Some(i) = modal::place_errors(&mut f.fields, |k| errors.get(k).cloned()) {
                    f.focused = i;
                }
                return;
            }
        };
        let today = self.today.unwrap_or(f.date);
        let problems = crate::domain::gas::entries::check_entry(unit, &input, today);
        let first = modal::place_errors(&mut f.fields, |k| {
            problems
                .iter()
                .find(|p| p.field == k)
                .map(|p| refusals::say(locale, &p.why))
        });
        if let Some(i) = first {
            f.focused = i;
            return;
        }
        if let Some(p) = problems.first() {
            f.message = Some(format!("{}: {}", p.field, refusals::say(locale, &p.why)));
            return;
        }
        f.saving = true;
        f.message = None;
        let generation = self.modal.begin();
        cx.send(Cmd::Gas(GasCmd::SaveEntry {
            unit: unit.code.clone(),
            input,
            version: self.entry_version,
            generation,
        }));
    }

    fn plan_key(&mut self, cx: &mut Cx, k: KeyEvent) {
        let locale = cx.shell.locale;
        let Some(s) = cx.shell.gas.plans.as_mut() else {
            return;
        };
        let Some(input) = s.input.clone() else {
            return;
        };
        let unchanged = input == plan_text(locale, s);
        match k.code {
            KeyCode::Esc => {
                s.input = None;
                s.error = None;
            }
            KeyCode::Up | KeyCode::Down if !unchanged => {
                // Moving would lose what was typed: say how to keep or drop it.
                s.error = Some(gas_text(locale).typed_value_keys.into());
            }
            KeyCode::Up | KeyCode::Down => {
                let n = s.rows.len();
                s.list.selected = if k.code == KeyCode::Up {
                    s.list.selected.saturating_sub(1)
                } else {
                    (s.list.selected + 1).min(n.saturating_sub(1))
                };
                s.input = Some(plan_text(locale, s));
                s.error = None;
            }
            KeyCode::Enter => {
                let Some(row) = s.rows.get(s.list.selected) else {
                    return;
                };
                let (date, prev) = (row.date, row.qdp);
                if input.trim().is_empty() {
                    s.error = Some(gas_text(locale).type_value.into());
                    return;
                }
                let v = match parse(locale, &input) {
                    Ok(v) => v,
                    Err(e) => {
                        s.error = Some(e);
                        return;
                    }
                };
                // Shown at once and saved in the background; the cursor moves on so the next
                // value (typed, or pasted line by line) goes to the next day.
                let last = s.rows.len().saturating_sub(1);
                if let Some(r) = s.rows.get_mut(s.list.selected)
                    && r.qdp != Some(v)
                {
                    r.qdp = Some(v);
                    r.approved = None;
                }
                if s.list.selected < last {
                    s.list.selected += 1;
                    s.input = Some(plan_text(locale, s));
                } else {
                    s.input = None;
                }
                s.error = None;
                let Some(unit) = s.unit.as_ref().map(|u| u.code.clone()) else {
                    return;
                };
                if prev == Some(v) {
                    return;
                }
                let generation = self.modal.begin();
                self.plan_pending = Some((generation, date, prev, input));
                cx.send(Cmd::Gas(GasCmd::SavePlans {
                    unit,
                    plans: vec![(date, v)],
                    generation,
                }));
            }
            _ => {
                if let Some(text) = s.input.as_mut()
                    && modal::edit_text(text, k)
                {
                    s.error = None;
                }
            }
        }
    }

    /// Text pasted into the terminal (bracketed paste).
    pub(super) fn gas_paste(&mut self, cx: &mut Cx, text: &str) {
        let first_line = text.lines().next().unwrap_or("").trim_end();
        match cx.shell.gas.view {
            GasView::Plans => self.paste_plans(cx, text),
            GasView::Entry => {
                if let Some(f) = cx
                    .shell
                    .gas
                    .entry
                    .as_mut()
                    .filter(|f| f.editing && !f.saving && !f.confirm_discard)
                    && let Some(field) = f.fields.get_mut(f.focused)
                    && let EntryValue::Text(t) = &mut field.value
                {
                    t.push_str(first_line);
                    field.error = None;
                    f.message = None;
                    self.entry_changed(cx);
                }
            }
            _ => {}
        }
    }

    /// A column pasted from a spreadsheet: one value per line from the selected day on, or
    /// "date<TAB or ;>value" lines. All or nothing: a bad line saves none.
    fn paste_plans(&mut self, cx: &mut Cx, text: &str) {
        let locale = cx.shell.locale;
        let w = gas_text(locale);
        let Some(s) = cx.shell.gas.plans.as_mut() else {
            return;
        };
        let Some(unit) = s.unit.as_ref().map(|u| u.code.clone()) else {
            cx.shell.status.last_error = Some(w.no_unit.into());
            return;
        };
        let mut plans = Vec::new();
        let mut next = s.list.selected;
        for (i, line) in text.lines().enumerate() {
            if line.trim().is_empty() {
                continue;
            }
            let cells: Vec<&str> = line.split(['\t', ';']).map(str::trim).collect();
            let (date, value) = match cells.as_slice() {
                [d, .., v] => match parse_date(locale, d) {
                    Ok(d) if d.first_of_month() == s.first => (Some(d), *v),
                    Ok(d) => {
                        s.error = Some(format!(
                            "{} {}: {} {:02}/{}",
                            w.paste_line,
                            i + 1,
                            locale.date(d),
                            s.first.month(),
                            s.first.year()
                        ));
                        return;
                    }
                    Err(e) => {
                        s.error = Some(format!("{} {}: {e}", w.paste_line, i + 1));
                        return;
                    }
                },
                [v] => (None, *v),
                [] => continue,
            };
            let date = match date {
                Some(d) => d,
                None => match s.rows.get(next) {
                    Some(r) => {
                        next += 1;
                        r.date
                    }
                    None => {
                        s.error = Some(format!("{} {}: {}", w.paste_line, i + 1, w.past_month_end));
                        return;
                    }
                },
            };
            match parse(locale, value) {
                Ok(v) => plans.push((date, v)),
                Err(e) => {
                    s.error = Some(format!("{} {}: {e}", w.paste_line, i + 1));
                    return;
                }
            }
        }
        if plans.is_empty() {
            return;
        }
        s.input = None;
        s.error = None;
        s.list.selected = next.min(s.rows.len().saturating_sub(1));
        let generation = self.modal.begin();
        cx.send(Cmd::Gas(GasCmd::SavePlans {
            unit,
            plans,
            generation,
        }));
    }
}
