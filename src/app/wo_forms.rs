//! The Work-orders pane's forms and prompts: which fields each one has (words in the UI
//! language, values as the user typed or as stored), and reading them back into a write. A value
//! that does not parse is named on its field before anything is sent; the services check the rest.

use opsdeck_storage::records::work_order::{ItemResult, Priority, WoKind};
use opsdeck_views::i18n::Locale;
use opsdeck_views::state::wo::{KINDS, PRIORITIES, StatusFilter, WoView};
use opsdeck_views::state::{Form, FormField, Prompt};
use rust_decimal::Decimal;

use super::form;
use super::typed_input;
use super::update::App;
use super::wo_act::WoWrite;
use crate::domain::cmms::assets::AssetInput;
use crate::domain::cmms::inventory::ItemInput;
use crate::domain::cmms::plans::PlanInput;
use crate::domain::cmms::work_orders::{LaborInput, NewOrder, OrderEdit, OrderRef, due_at};
use opsdeck_views::panes::wo::text::CRITICALITIES;

/// What the open form edits.
#[derive(Debug, Clone)]
pub(super) enum FormKind {
    /// `asset`: the page it was opened from, kept as the default.
    NewOrder,
    EditOrder(OrderRef),
    Filter,
    Part(OrderRef),
    Labor(OrderRef),
    Service(OrderRef),
    /// Checklist item `item` (from 1).
    Answer {
        at: OrderRef,
        item: usize,
        measured: bool,
    },
    Done {
        at: OrderRef,
        alert: bool,
    },
    Receive(String),
    Adjust(String),
    /// (code, version) of the plan edited, None: a new (calendar) plan. Only calendar plans
    /// show their schedule here; a meter or threshold plan keeps it (`opsdeck pm` changes it).
    Plan(Option<(String, u64)>),
    /// The order's asset down from (`down`) or back up at the time typed.
    Down {
        at: OrderRef,
        down: bool,
    },
    /// (tag, version) of the asset edited; None: a new asset.
    Asset(Option<(String, u64)>),
    /// (code, version) of the item edited; None: a new item.
    Item(Option<(String, u64)>),
}

#[derive(Debug, Clone)]
pub(super) enum PromptKind {
    Hold(OrderRef),
    Cancel(OrderRef),
    Note(OrderRef),
    Attach(OrderRef),
}

impl FormKind {
    /// After "changed by X": the order as it is now, so Enter applies the form over it.
    pub(super) fn rebase(&mut self, version: u64) {
        match self {
            FormKind::EditOrder(at)
            | FormKind::Part(at)
            | FormKind::Labor(at)
            | FormKind::Service(at)
            | FormKind::Answer { at, .. }
            | FormKind::Done { at, .. }
            | FormKind::Down { at, .. } => at.version = Some(version),
            FormKind::Plan(Some((_, v)))
            | FormKind::Item(Some((_, v)))
            | FormKind::Asset(Some((_, v))) => *v = version,
            FormKind::NewOrder
            | FormKind::Filter
            | FormKind::Receive(_)
            | FormKind::Adjust(_)
            | FormKind::Plan(None)
            | FormKind::Item(None)
            | FormKind::Asset(None) => {}
        }
    }
}

impl PromptKind {
    pub(super) fn rebase(&mut self, version: u64) {
        match self {
            PromptKind::Hold(at)
            | PromptKind::Cancel(at)
            | PromptKind::Note(at)
            | PromptKind::Attach(at) => at.version = Some(version),
        }
    }
}

/// The words the pane shows for the codes (views' own table, so a form and the list agree).
pub(super) fn kind_word(l: Locale, code: &str) -> String {
    opsdeck_views::panes::wo::text::text(l).kind(code)
}

pub(super) fn priority_word(l: Locale, code: &str) -> String {
    opsdeck_views::panes::wo::text::text(l).priority(code)
}

pub(super) fn status_word(l: Locale, s: StatusFilter) -> &'static str {
    opsdeck_views::panes::wo::text::text(l).status_filter(s)
}

pub(super) fn text(key: &'static str, label: &str, value: &str) -> FormField {
    FormField {
        key,
        label: label.to_owned(),
        value: value.to_owned(),
        choices: Vec::new(),
        error: None,
    }
}

pub(super) fn choice(
    key: &'static str,
    label: &str,
    value: impl Into<String>,
    choices: Vec<String>,
) -> FormField {
    FormField {
        key,
        label: label.to_owned(),
        value: value.into(),
        choices,
        error: None,
    }
}

pub(super) fn value<'a>(f: &'a Form, key: &str) -> &'a str {
    f.fields
        .iter()
        .find(|x| x.key == key)
        .map_or("", |x| x.value.as_str())
}

/// The code behind a choice shown as a word (`words` in the order of `codes`).
pub(super) fn code_of<'a, W: AsRef<str>>(
    shown: &str,
    codes: &[&'a str],
    word: impl Fn(&str) -> W,
) -> Option<&'a str> {
    codes.iter().copied().find(|c| word(c).as_ref() == shown)
}

impl App {
    pub(super) fn open_form(&mut self, kind: FormKind, title: String, fields: Vec<FormField>) {
        self.wo.generation += 1;
        let initial = fields.iter().map(|f| f.value.clone()).collect();
        self.shell.wo.form = Some(Form {
            title,
            fields,
            focused: 0,
            message: None,
            confirm_discard: false,
        });
        self.wo.form = Some((kind, initial));
    }

    pub(super) fn open_wo_prompt(&mut self, kind: PromptKind, title: String) {
        self.wo.generation += 1;
        self.wo.prompt_discard = false;
        self.shell.wo.prompt = Some(Prompt::new(title));
        self.wo.prompt = Some(kind);
    }

    pub(super) fn open_new_order(&mut self, asset: String) {
        let l = self.shell.locale;
        let kinds: Vec<&str> = if self.shell.wo.rights.manage {
            KINDS.to_vec()
        } else {
            vec!["corrective", "request"]
        };
        let mut procs = vec!["—".to_owned()];
        procs.extend(self.wo.procedures.iter().cloned());
        let fields = vec![
            text("title", l.tr("Título", "Title"), ""),
            choice(
                "kind",
                l.tr("Tipo", "Type"),
                kind_word(l, "corrective"),
                kinds.iter().map(|k| kind_word(l, k).to_owned()).collect(),
            ),
            choice(
                "priority",
                l.tr("Prioridade", "Priority"),
                priority_word(l, "medium"),
                PRIORITIES
                    .iter()
                    .map(|p| priority_word(l, p).to_owned())
                    .collect(),
            ),
            text("asset", l.tr("Ativo (tag)", "Asset (tag)"), &asset),
            text("assignee", l.tr("Responsável", "Assignee"), ""),
            text("due", l.tr("Prazo (dd/mm/aaaa)", "Due (yyyy-mm-dd)"), ""),
            choice("procedure", l.tr("Procedimento", "Procedure"), "—", procs),
            text("description", l.tr("Descrição", "Description"), ""),
        ];
        self.open_form(
            FormKind::NewOrder,
            l.tr("Nova ordem de serviço", "New work order").to_owned(),
            fields,
        );
    }

    pub(super) fn open_edit_order(&mut self) {
        let Some((at, f)) = self.need_order() else {
            return;
        };
        if !self.shell.wo.rights.manage {
            return self.wo_denied();
        }
        let l = self.shell.locale;
        let due = f
            .due
            .parse::<jiff::civil::Date>()
            .map(|d| l.date(d))
            .unwrap_or_default();
        let fields = vec![
            text("title", l.tr("Título", "Title"), &f.title),
            choice(
                "priority",
                l.tr("Prioridade", "Priority"),
                priority_word(l, &f.priority),
                PRIORITIES
                    .iter()
                    .map(|p| priority_word(l, p).to_owned())
                    .collect(),
            ),
            text("assignee", l.tr("Responsável", "Assignee"), &f.assignee),
            text("due", l.tr("Prazo (dd/mm/aaaa)", "Due (yyyy-mm-dd)"), &due),
            text(
                "description",
                l.tr("Descrição", "Description"),
                &f.description,
            ),
        ];
        self.open_form(
            FormKind::EditOrder(at),
            format!("{} OS {}", l.tr("Editar", "Edit"), at.id),
            fields,
        );
    }

    pub(super) fn item_fields(&self, code: Option<&str>) -> Vec<FormField> {
        let l = self.shell.locale;
        let raw = code.and_then(|c| self.wo.item_raw.get(c)).map(|(_, i)| i);
        let num = |v: Option<Decimal>| v.map(|v| l.quantity(v)).unwrap_or_default();
        let mut fields = Vec::new();
        if code.is_none() {
            fields.push(text("code", l.tr("Código", "Code"), ""));
        }
        fields.extend([
            text(
                "name",
                l.tr("Nome", "Name"),
                raw.map_or("", |i| i.name.as_str()),
            ),
            text(
                "unit",
                l.tr("Unidade (un, m, kg)", "Unit (pc, m, kg)"),
                raw.map_or("un", |i| i.unit.as_str()),
            ),
            text(
                "unit_cost",
                l.tr("Custo unitário R$", "Unit cost R$"),
                &num(raw.map(|i| i.unit_cost)),
            ),
            text(
                "min_stock",
                l.tr("Estoque mínimo", "Minimum stock"),
                &num(raw.map(|i| i.min_stock)),
            ),
        ]);
        fields
    }

    pub(super) fn open_filter_form(&mut self) {
        let l = self.shell.locale;
        self.set_wo_view(WoView::Orders);
        let f = self.shell.wo.filter.clone();
        let mut kinds = vec![l.tr("todos", "all").to_owned()];
        kinds.extend(KINDS.iter().map(|k| kind_word(l, k).to_owned()));
        let yes_no = vec![l.tr("não", "no").to_owned(), l.tr("sim", "yes").to_owned()];
        let fields = vec![
            choice(
                "status",
                l.tr("Status", "Status"),
                status_word(l, f.status),
                StatusFilter::ALL
                    .iter()
                    .map(|s| status_word(l, *s).to_owned())
                    .collect(),
            ),
            choice(
                "kind",
                l.tr("Tipo", "Type"),
                f.kind
                    .as_deref()
                    .map_or(l.tr("todos", "all").to_owned(), |k| kind_word(l, k)),
                kinds,
            ),
            text("asset", l.tr("Ativo (tag)", "Asset (tag)"), &f.asset),
            text(
                "assignee",
                l.tr("Responsável (- sem)", "Assignee (- none)"),
                &f.assignee,
            ),
            choice(
                "overdue",
                l.tr("Só atrasadas", "Overdue only"),
                if f.overdue_only {
                    &yes_no[1]
                } else {
                    &yes_no[0]
                },
                yes_no.clone(),
            ),
        ];
        self.open_form(
            FormKind::Filter,
            l.tr("Filtrar ordens", "Filter orders").to_owned(),
            fields,
        );
    }

    pub(super) fn open_answer_form(&mut self) {
        let Some((at, f)) = self.need_order() else {
            return;
        };
        let l = self.shell.locale;
        let Some(d) = self.shell.wo.order.as_ref() else {
            return;
        };
        let Some(row) = d.selected_item() else {
            self.shell.status.notice = Some(
                l.tr("esta OS não tem checklist", "this order has no checklist")
                    .to_owned(),
            );
            return;
        };
        let n = row.n;
        let (measured, typed, note) = f.items.get(n - 1).cloned().unwrap_or_default();
        let answer = if measured {
            let unit = row.unit.clone().unwrap_or_default();
            text(
                "result",
                &format!(
                    "{} ({unit}; na: {})",
                    l.tr("Valor", "Value"),
                    l.tr("não se aplica", "not applicable")
                ),
                &typed,
            )
        } else {
            let words = [
                l.tr("ok", "pass"),
                l.tr("falha", "fail"),
                l.tr("não se aplica", "n/a"),
            ];
            let current = match typed.as_str() {
                "fail" => words[1],
                "na" => words[2],
                _ => words[0],
            };
            choice(
                "result",
                l.tr("Resultado", "Result"),
                current,
                words.iter().map(|w| (*w).to_owned()).collect(),
            )
        };
        let fields = vec![answer, text("note", l.tr("Nota", "Note"), &note)];
        let title = format!("OS {} · {n}. {}", at.id, row.text);
        self.open_form(
            FormKind::Answer {
                at,
                item: n,
                measured,
            },
            title,
            fields,
        );
    }

    /// Reads the form into a write; a value that does not parse goes back to its field.
    pub(super) fn submit_wo_form(&mut self) {
        if self.wo.saving == Some(self.wo.generation) {
            return;
        }
        let l = self.shell.locale;
        let Some((kind, _)) = self.wo.form.clone() else {
            return;
        };
        let Some(form) = self.shell.wo.form.clone() else {
            return;
        };
        let f = &form;
        let mut r = Reader {
            f,
            l,
            tz: &self.tz,
            errors: Vec::new(),
        };
        let write = match &kind {
            FormKind::Filter => {
                let s = value(f, "status");
                let k = value(f, "kind");
                let filter = &mut self.shell.wo.filter;
                filter.status = StatusFilter::ALL
                    .into_iter()
                    .find(|x| status_word(l, *x) == s)
                    .unwrap_or_default();
                filter.kind = code_of(k, &KINDS, |c| kind_word(l, c)).map(str::to_owned);
                filter.asset = value(f, "asset").trim().to_ascii_uppercase();
                filter.assignee = value(f, "assignee").trim().to_owned();
                filter.overdue_only = value(f, "overdue") == l.tr("sim", "yes");
                self.shell.wo.order_list.selected = 0;
                self.shell.wo.form = None;
                self.wo.form = None;
                return;
            }
            FormKind::NewOrder => {
                let due = r.due();
                let kind = code_of(value(f, "kind"), &KINDS, |c| kind_word(l, c))
                    .and_then(|k| k.parse::<WoKind>().ok())
                    .unwrap_or(WoKind::Corrective);
                let priority = code_of(value(f, "priority"), &PRIORITIES, |c| priority_word(l, c))
                    .and_then(|p| p.parse::<Priority>().ok())
                    .unwrap_or(Priority::Medium);
                let opt = |k: &str| Some(value(f, k).trim().to_owned()).filter(|v| !v.is_empty());
                let procedure = opt("procedure").filter(|p| p != "—");
                WoWrite::Create(NewOrder {
                    description: value(f, "description").to_owned(),
                    priority,
                    asset: opt("asset"),
                    assignee: opt("assignee"),
                    due,
                    procedure,
                    ..NewOrder::new(value(f, "title"), kind)
                })
            }
            FormKind::EditOrder(at) => {
                // A date left as it was keeps the stored due time (not moved to the day's end).
                let due_index = f.fields.iter().position(|x| x.key == "due");
                let untouched = due_index
                    .and_then(|i| self.wo.form.as_ref().and_then(|(_, init)| init.get(i)))
                    .is_some_and(|init| init == value(f, "due"));
                let due = match (untouched, self.wo.facts.as_ref()) {
                    (true, Some(facts)) => facts.due_at,
                    _ => r.due(),
                };
                let priority = code_of(value(f, "priority"), &PRIORITIES, |c| priority_word(l, c))
                    .and_then(|p| p.parse::<Priority>().ok())
                    .unwrap_or(Priority::Medium);
                WoWrite::Update(
                    *at,
                    OrderEdit {
                        title: value(f, "title").to_owned(),
                        description: value(f, "description").to_owned(),
                        priority,
                        assignee: Some(value(f, "assignee").to_owned()),
                        due,
                    },
                )
            }
            FormKind::Part(at) => {
                let q = r.number("qty", true);
                let location =
                    Some(value(f, "location").trim().to_owned()).filter(|v| !v.is_empty());
                // Codes as stored, whatever the case typed ("flt-g4" finds FLT-G4).
                let typed = value(f, "item").trim();
                let item = self
                    .wo
                    .item_raw
                    .keys()
                    .find(|c| c.eq_ignore_ascii_case(typed))
                    .cloned()
                    .unwrap_or_else(|| typed.to_owned());
                WoWrite::Part {
                    at: *at,
                    item,
                    location,
                    qty: q.unwrap_or_default(),
                    give_back: value(f, "movement")
                        == l.tr("devolver ao estoque", "return to stock"),
                }
            }
            FormKind::Labor(at) => {
                let hours = r.number("hours", true);
                let rate = r.number("rate", true);
                WoWrite::Labor(
                    *at,
                    LaborInput {
                        technician: value(f, "technician").to_owned(),
                        hours: hours.unwrap_or_default(),
                        rate: rate.unwrap_or_default(),
                        note: value(f, "note").to_owned(),
                    },
                )
            }
            FormKind::Service(at) => {
                let amount = r.number("amount", true);
                WoWrite::Service {
                    at: *at,
                    description: value(f, "description").to_owned(),
                    amount: amount.unwrap_or_default(),
                }
            }
            FormKind::Answer { at, item, measured } => {
                let shown = value(f, "result").trim().to_owned();
                let result = if *measured {
                    match shown.to_lowercase().as_str() {
                        "na" | "n/a" => Some(ItemResult::NotApplicable),
                        _ => r.number("result", true).map(ItemResult::Value),
                    }
                } else if shown == l.tr("falha", "fail") {
                    Some(ItemResult::Fail)
                } else if shown == l.tr("não se aplica", "n/a") {
                    Some(ItemResult::NotApplicable)
                } else {
                    Some(ItemResult::Pass)
                };
                WoWrite::Answer {
                    at: *at,
                    item: *item,
                    result: result.unwrap_or(ItemResult::Pass),
                    note: value(f, "note").to_owned(),
                }
            }
            FormKind::Done { at, alert } => WoWrite::Complete {
                at: *at,
                note: value(f, "reason").to_owned(),
                resolve_alert: *alert && value(f, "resolve") == l.tr("sim", "yes"),
            },
            FormKind::Receive(code) => {
                let q = r.number("qty", true);
                let cost = r.number("unit_cost", false);
                WoWrite::Receive {
                    code: code.clone(),
                    location: value(f, "location").to_owned(),
                    qty: q.unwrap_or_default(),
                    unit_cost: cost,
                    note: value(f, "note").to_owned(),
                }
            }
            FormKind::Adjust(code) => {
                let q = r.number("qty", true);
                WoWrite::Adjust {
                    code: code.clone(),
                    location: value(f, "location").to_owned(),
                    qty: q.unwrap_or_default(),
                    reason: value(f, "reason").to_owned(),
                }
            }
            FormKind::Down { at, down } => {
                let when = match typed_input::parse_datetime(value(f, "when")) {
                    Ok(dt) => dt
                        .to_zoned(self.tz.clone())
                        .map(|z| z.timestamp())
                        .map_err(|e| e.to_string()),
                    Err(e) => Err(e),
                };
                let now = crate::clock::now();
                let when = match when {
                    // A minute of slack for a clock read a moment ago.
                    Ok(t) if t > now + jiff::SignedDuration::from_mins(1) => {
                        let msg = l.tr(
                            "no futuro: use a hora em que aconteceu",
                            "in the future: use when it happened",
                        );
                        r.errors.push(("when", msg.to_owned()));
                        now
                    }
                    Ok(t) => t,
                    Err(e) => {
                        r.errors.push(("when", e));
                        now
                    }
                };
                WoWrite::Down(*at, *down, when)
            }
            FormKind::Asset(existing) => {
                let installed = match value(f, "installed").trim() {
                    "" => None,
                    v => match typed_input::parse_date(v) {
                        Ok(d) => Some(d),
                        Err(e) => {
                            r.errors.push(("installed", e));
                            None
                        }
                    },
                };
                let words = opsdeck_views::panes::wo::text::text(l);
                let kind = code_of(value(f, "kind"), crate::domain::cmms::assets::KINDS, |c| {
                    words.asset_kind(c)
                })
                .map_or_else(|| value(f, "kind").to_owned(), str::to_owned);
                let criticality = code_of(value(f, "criticality"), &CRITICALITIES, |c| {
                    words.criticality(c)
                })
                .and_then(|c| c.parse().ok())
                .unwrap_or(opsdeck_storage::records::asset::Criticality::Medium);
                let input = AssetInput {
                    name: value(f, "name").to_owned(),
                    kind,
                    site: value(f, "site").to_owned(),
                    area: value(f, "area").to_owned(),
                    location: value(f, "location").to_owned(),
                    make: value(f, "make").to_owned(),
                    model: value(f, "model").to_owned(),
                    serial: value(f, "serial").to_owned(),
                    installed,
                    criticality,
                    notes: value(f, "notes").to_owned(),
                };
                let sensors: Vec<String> = value(f, "sensors")
                    .split([',', ';', ' '])
                    .map(str::trim)
                    .filter(|d| !d.is_empty())
                    .map(str::to_owned)
                    .collect();
                match existing {
                    Some((tag, v)) => WoWrite::SaveAsset {
                        tag: tag.clone(),
                        input,
                        version: Some(*v),
                        sensors,
                    },
                    None => WoWrite::SaveAsset {
                        tag: value(f, "tag").to_owned(),
                        input,
                        version: None,
                        sensors,
                    },
                }
            }
            FormKind::Plan(existing) => {
                let input = self.plan_input(&mut r, existing.as_ref());
                WoWrite::SavePlan(input, existing.as_ref().map(|(_, v)| *v))
            }
            FormKind::Item(existing) => {
                let cost = r.number("unit_cost", true);
                let min = r.number("min_stock", false);
                let code = match existing {
                    Some((c, _)) => c.clone(),
                    None => value(f, "code").trim().to_ascii_uppercase(),
                };
                WoWrite::SaveItem(
                    ItemInput {
                        code,
                        name: value(f, "name").to_owned(),
                        unit: value(f, "unit").to_owned(),
                        unit_cost: cost.unwrap_or_default(),
                        min_stock: min.unwrap_or_default(),
                    },
                    existing.as_ref().map(|(_, v)| *v),
                )
            }
        };
        let errors = r.errors;
        let Some(f) = self.shell.wo.form.as_mut() else {
            return;
        };
        if !errors.is_empty() {
            let first = form::place_errors(&mut f.fields, |k| {
                errors.iter().find(|(e, _)| *e == k).map(|(_, m)| m.clone())
            });
            if let Some(i) = first {
                f.focused = i;
            }
            return;
        }
        f.message = Some(l.tr("salvando…", "saving…").to_owned());
        self.send_write(write);
    }
}

const UNITS: [&str; 3] = ["day", "week", "month"];
const MODES: [&str; 2] = ["fixed", "floating"];

fn unit_word(l: Locale, code: &str) -> &'static str {
    match (code, l) {
        ("day", Locale::PtBr) => "dias",
        ("week", Locale::PtBr) => "semanas",
        ("month", Locale::PtBr) => "meses",
        ("day", Locale::En) => "days",
        ("week", Locale::En) => "weeks",
        ("month", Locale::En) => "months",
        _ => "?",
    }
}

fn mode_word(l: Locale, code: &str) -> &'static str {
    match (code, l) {
        ("fixed", Locale::PtBr) => "fixo (pela agenda)",
        ("floating", Locale::PtBr) => "flutuante (desde a última)",
        ("fixed", Locale::En) => "fixed (by the schedule)",
        ("floating", Locale::En) => "floating (from the last one)",
        _ => "?",
    }
}

impl App {
    /// The plan form: a new calendar plan (`code` None) or the stored plan's fields.
    pub(super) fn open_plan_form(&mut self, code: Option<String>) {
        use opsdeck_storage::records::pm_plan::Schedule;
        let l = self.shell.locale;
        let stored = code.as_ref().and_then(|c| self.wo.plan_raw.get(c)).cloned();
        if code.is_some() && stored.is_none() {
            return;
        }
        let input = stored.as_ref().map(|(_, i)| i.clone());
        let today = crate::clock::now_in(&self.tz).date();
        let mut procs = vec!["—".to_owned()];
        procs.extend(self.wo.procedures.iter().cloned());
        let get = |f: fn(&PlanInput) -> String| input.as_ref().map(f).unwrap_or_default();
        let mut fields = Vec::new();
        if input.is_none() {
            fields.push(text("code", l.tr("Código", "Code"), ""));
        }
        fields.extend([
            text("name", l.tr("Nome", "Name"), &get(|i| i.name.clone())),
            text(
                "assets",
                l.tr(
                    "Ativos (tags, separadas por vírgula)",
                    "Assets (tags, comma separated)",
                ),
                &get(|i| i.assets.join(", ")),
            ),
            choice(
                "procedure",
                l.tr("Procedimento", "Procedure"),
                input
                    .as_ref()
                    .and_then(|i| i.procedure.clone())
                    .unwrap_or_else(|| "—".into()),
                procs,
            ),
            text(
                "title",
                l.tr(
                    "Título das OS (vazio: o nome)",
                    "Orders' title (empty: the name)",
                ),
                &get(|i| i.title.clone()),
            ),
        ]);
        let calendar = match input.as_ref().map(|i| &i.schedule) {
            None => Some((1, "month", "fixed", today)),
            Some(Schedule::Calendar {
                every,
                unit,
                start,
                mode,
            }) => Some((*every, unit.as_str(), mode.as_str(), *start)),
            Some(_) => None,
        };
        if let Some((every, unit, mode, start)) = calendar {
            fields.extend([
                text("every", l.tr("A cada", "Every"), &every.to_string()),
                choice(
                    "unit",
                    l.tr("Período", "Period"),
                    unit_word(l, unit),
                    UNITS.iter().map(|u| unit_word(l, u).to_owned()).collect(),
                ),
                choice(
                    "mode",
                    l.tr("Contagem", "Counted"),
                    mode_word(l, mode),
                    MODES.iter().map(|m| mode_word(l, m).to_owned()).collect(),
                ),
                text("start", l.tr("Primeira data", "First date"), &l.date(start)),
            ]);
        }
        fields.extend([
            text(
                "lead_days",
                l.tr(
                    "Gerar a OS com antecedência (dias)",
                    "Generate the order ahead (days)",
                ),
                &input.as_ref().map_or(7, |i| i.lead_days).to_string(),
            ),
            choice(
                "priority",
                l.tr("Prioridade", "Priority"),
                priority_word(l, input.as_ref().map_or("medium", |i| i.priority.as_str())),
                PRIORITIES
                    .iter()
                    .map(|p| priority_word(l, p).to_owned())
                    .collect(),
            ),
            text(
                "assignee",
                l.tr("Responsável", "Assignee"),
                &input
                    .as_ref()
                    .and_then(|i| i.assignee.clone())
                    .unwrap_or_default(),
            ),
        ]);
        let title = match &code {
            Some(c) => format!("{} {c}", l.tr("Editar plano", "Edit plan")),
            None => l
                .tr(
                    "Novo plano preventivo (calendário)",
                    "New preventive plan (calendar)",
                )
                .to_owned(),
        };
        let kind = FormKind::Plan(code.zip(stored.map(|(v, _)| v)));
        self.open_form(kind, title, fields);
    }

    /// The plan form read back; schedule fields absent keep the stored schedule.
    fn plan_input(&self, r: &mut Reader, existing: Option<&(String, u64)>) -> PlanInput {
        use opsdeck_storage::records::pm_plan::{CalendarMode, PeriodUnit, Schedule};
        let l = self.shell.locale;
        let f = r.f;
        let stored = existing
            .and_then(|(c, _)| self.wo.plan_raw.get(c))
            .map(|(_, i)| i);
        let has = |k: &str| f.fields.iter().any(|x| x.key == k);
        let whole = |r: &mut Reader, key: &'static str| -> u32 {
            let v = value(r.f, key).trim();
            match v.parse::<u32>() {
                Ok(n) => n,
                Err(_) => {
                    r.errors.push((
                        key,
                        format!("'{v}': {}", l.tr("um número inteiro", "a whole number")),
                    ));
                    0
                }
            }
        };
        let schedule = if has("every") {
            let every = whole(r, "every");
            let unit = code_of(value(f, "unit"), &UNITS, |c| unit_word(l, c))
                .and_then(|u| u.parse::<PeriodUnit>().ok())
                .unwrap_or(PeriodUnit::Month);
            let mode = code_of(value(f, "mode"), &MODES, |c| mode_word(l, c))
                .and_then(|m| m.parse::<CalendarMode>().ok())
                .unwrap_or(CalendarMode::Fixed);
            let start = match typed_input::parse_date(value(f, "start")) {
                Ok(d) => d,
                Err(e) => {
                    r.errors.push(("start", e));
                    jiff::civil::Date::default()
                }
            };
            Schedule::Calendar {
                every,
                unit,
                start,
                mode,
            }
        } else {
            stored
                .map(|i| i.schedule.clone())
                .unwrap_or(Schedule::Calendar {
                    every: 1,
                    unit: PeriodUnit::Month,
                    start: jiff::civil::Date::default(),
                    mode: CalendarMode::Fixed,
                })
        };
        let lead_days = whole(r, "lead_days");
        let opt =
            |k: &str| Some(value(f, k).trim().to_owned()).filter(|v| !v.is_empty() && v != "—");
        PlanInput {
            code: match existing {
                Some((c, _)) => c.clone(),
                None => value(f, "code").trim().to_ascii_uppercase(),
            },
            name: value(f, "name").to_owned(),
            assets: value(f, "assets")
                .split([',', ';', ' '])
                .map(|a| a.trim().to_ascii_uppercase())
                .filter(|a| !a.is_empty())
                .collect(),
            procedure: opt("procedure"),
            schedule,
            lead_days,
            priority: code_of(value(f, "priority"), &PRIORITIES, |c| priority_word(l, c))
                .and_then(|p| p.parse::<Priority>().ok())
                .unwrap_or(Priority::Medium),
            assignee: opt("assignee"),
            title: value(f, "title").to_owned(),
            note: stored.map(|i| i.note.clone()).unwrap_or_default(),
        }
    }
}

impl App {
    /// The asset form: a new asset (`tag` None, its site and area defaulting to the selected
    /// one's) or the stored asset's fields.
    pub(super) fn open_asset_form(&mut self, tag: Option<String>) {
        let l = self.shell.locale;
        let stored = tag.as_ref().and_then(|t| self.wo.asset_raw.get(t)).cloned();
        if tag.is_some() && stored.is_none() {
            return;
        }
        let words = opsdeck_views::panes::wo::text::text(l);
        let near = self
            .shell
            .wo
            .selected_asset()
            .map(|a| (a.site.clone(), a.area.clone()))
            .unwrap_or_default();
        let a = stored.as_ref().map(|(_, a)| a);
        let get = |f: fn(&opsdeck_storage::records::asset::Asset) -> String, or: &str| {
            a.map_or_else(|| or.to_owned(), f)
        };
        let kinds: Vec<String> = crate::domain::cmms::assets::KINDS
            .iter()
            .map(|k| words.asset_kind(k))
            .collect();
        let mut fields = Vec::new();
        if tag.is_none() {
            fields.push(text("tag", l.tr("Tag (etiqueta)", "Tag (label)"), ""));
        }
        fields.extend([
            text("name", l.tr("Nome", "Name"), &get(|a| a.name.clone(), "")),
            choice(
                "kind",
                l.tr("Tipo", "Type"),
                words.asset_kind(&get(|a| a.kind.clone(), "other")),
                kinds,
            ),
            text(
                "site",
                l.tr("Local (site)", "Site"),
                &get(|a| a.site.clone(), &near.0),
            ),
            text(
                "area",
                l.tr("Área", "Area"),
                &get(|a| a.area.clone(), &near.1),
            ),
            text(
                "location",
                l.tr("Localização", "Location"),
                &get(|a| a.location.clone(), ""),
            ),
            text(
                "make",
                l.tr("Fabricante", "Make"),
                &get(|a| a.make.clone(), ""),
            ),
            text(
                "model",
                l.tr("Modelo", "Model"),
                &get(|a| a.model.clone(), ""),
            ),
            text(
                "serial",
                l.tr("Nº de série", "Serial"),
                &get(|a| a.serial.clone(), ""),
            ),
            text(
                "installed",
                l.tr("Instalado em (dd/mm/aaaa)", "Installed (yyyy-mm-dd)"),
                &a.and_then(|a| a.installed)
                    .map(|d| l.date(d))
                    .unwrap_or_default(),
            ),
            choice(
                "criticality",
                l.tr("Criticidade", "Criticality"),
                words.criticality(&get(|a| a.criticality.to_string(), "medium")),
                CRITICALITIES.iter().map(|c| words.criticality(c)).collect(),
            ),
            text(
                "sensors",
                l.tr("Sensores (dispositivos)", "Sensors (devices)"),
                &get(|a| a.sensors.join(", "), ""),
            ),
            text(
                "notes",
                l.tr("Notas", "Notes"),
                &get(|a| a.notes.clone(), ""),
            ),
        ]);
        let title = match &tag {
            Some(t) => format!("{} {t}", l.tr("Editar ativo", "Edit asset")),
            None => l.tr("Novo ativo", "New asset").to_owned(),
        };
        let kind = FormKind::Asset(tag.zip(stored.map(|(v, _)| v)));
        self.open_form(kind, title, fields);
    }
}

impl App {
    /// When the asset went down (default: now, or when the order's alert was raised) or came
    /// back up (default: now), editable: the technician often records it afterwards.
    pub(super) fn open_down_form(
        &mut self,
        at: OrderRef,
        down: bool,
        alert_raised: Option<jiff::Timestamp>,
    ) {
        let l = self.shell.locale;
        let now = crate::clock::now();
        let default = if down {
            alert_raised.unwrap_or(now)
        } else {
            now
        };
        let shown = default
            .to_zoned(self.tz.clone())
            .strftime(match l {
                Locale::PtBr => "%d/%m/%Y %H:%M",
                Locale::En => "%Y-%m-%d %H:%M",
            })
            .to_string();
        let (title, label) = if down {
            (
                l.tr("ativo parado", "asset down"),
                l.tr("Parado desde", "Down since"),
            )
        } else {
            (
                l.tr("ativo de volta", "asset back up"),
                l.tr("De volta em", "Back up at"),
            )
        };
        let fields = vec![text("when", label, &shown)];
        self.open_form(
            FormKind::Down { at, down },
            format!("OS {} · {title}", at.id),
            fields,
        );
    }
}

/// Reads typed values out of a form, collecting what does not parse per field.
struct Reader<'a> {
    f: &'a Form,
    l: Locale,
    tz: &'a jiff::tz::TimeZone,
    errors: Vec<(&'static str, String)>,
}

impl Reader<'_> {
    fn number(&mut self, key: &'static str, required: bool) -> Option<Decimal> {
        let v = value(self.f, key).trim();
        if v.is_empty() {
            if required {
                self.errors
                    .push((key, self.l.tr("obrigatório", "required").to_owned()));
            }
            return None;
        }
        match typed_input::parse(self.l, v) {
            Ok(d) => Some(d),
            Err(e) => {
                self.errors.push((key, e));
                None
            }
        }
    }

    /// The due field as the end of that day in the tenant zone; empty is none.
    fn due(&mut self) -> Option<jiff::Timestamp> {
        let v = value(self.f, "due").trim();
        if v.is_empty() {
            return None;
        }
        match typed_input::parse_date(v).map(|d| due_at(d, self.tz)) {
            Ok(Ok(t)) => Some(t),
            Ok(Err(e)) => {
                self.errors.push(("due", e.to_string()));
                None
            }
            Err(e) => {
                self.errors.push(("due", e));
                None
            }
        }
    }
}
