//! The Work-orders pane's forms and prompts: which fields each one has (words in the UI
//! language, values as the user typed or as stored), and reading them back into a write. A value
//! that does not parse is named on its field before anything is sent; the services check the rest.

use opsdeck_storage::records::work_order::{ItemResult, Priority, WoKind};
use opsdeck_views::i18n::Locale;
use opsdeck_views::panes::wo::text::text as wo_text;
use opsdeck_views::state::wo::{KINDS, PRIORITIES, StatusFilter, WoView};
use opsdeck_views::state::{Form, FormField};
use rust_decimal::Decimal;

use super::WorkOrders;
use super::protocol::WoWrite;
use super::purpose::{FormKind, PromptKind};
use crate::app::modal;
use crate::app::pane::Cx;
use crate::app::typed_input;
use crate::domain::cmms::assets::AssetInput;
use crate::domain::cmms::inventory::ItemInput;
use crate::domain::cmms::plans::PlanInput;
use crate::domain::cmms::work_orders::{LaborInput, NewOrder, OrderEdit, OrderRef, due_at};
use opsdeck_views::panes::wo::text::CRITICALITIES;

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

/// The code behind a choice shown as a word (`words` in the order of `codes`).
pub(super) fn code_of<'a, W: AsRef<str>>(
    shown: &str,
    codes: &[&'a str],
    word: impl Fn(&str) -> W,
) -> Option<&'a str> {
    codes.iter().copied().find(|c| word(c).as_ref() == shown)
}

impl WorkOrders {
    pub(super) fn open_form(
        &mut self,
        cx: &mut Cx,
        kind: FormKind,
        title: String,
        fields: Vec<FormField>,
    ) {
        self.modal
            .open_form(&mut cx.shell.wo.form, kind, title, fields);
    }

    pub(super) fn open_wo_prompt(&mut self, cx: &mut Cx, kind: PromptKind, title: String) {
        self.modal
            .open_prompt(&mut cx.shell.wo.prompt, kind, title, String::new());
    }

    pub(super) fn open_new_order(&mut self, cx: &mut Cx, asset: String) {
        let l = cx.shell.locale;
        let kinds: Vec<&str> = if cx.shell.wo.rights.manage {
            KINDS.to_vec()
        } else {
            vec!["corrective", "request"]
        };
        let mut procs = vec!["—".to_owned()];
        procs.extend(self.procedures.iter().cloned());
        let fields = vec![
            FormField::text("title", wo_text(l).title, ""),
            FormField::choice(
                "kind",
                wo_text(l).type_label,
                kind_word(l, "corrective"),
                kinds.iter().map(|k| kind_word(l, k).to_owned()).collect(),
            ),
            FormField::choice(
                "priority",
                wo_text(l).priority,
                priority_word(l, "medium"),
                PRIORITIES
                    .iter()
                    .map(|p| priority_word(l, p).to_owned())
                    .collect(),
            ),
            FormField::text("asset", wo_text(l).asset_tag, &asset),
            FormField::text("assignee", wo_text(l).assignee, ""),
            FormField::text("due", wo_text(l).due_yyyy_mm_dd, ""),
            FormField::choice("procedure", wo_text(l).procedure, "—", procs),
            FormField::text("description", wo_text(l).description, ""),
        ];
        self.open_form(
            cx,
            FormKind::NewOrder,
            wo_text(l).new_work_order.to_owned(),
            fields,
        );
    }

    pub(super) fn open_edit_order(&mut self, cx: &mut Cx) {
        let Some((at, f)) = self.need_order(cx) else {
            return;
        };
        if !cx.shell.wo.rights.manage {
            return self.wo_denied(cx);
        }
        let l = cx.shell.locale;
        let due = f
            .due
            .parse::<jiff::civil::Date>()
            .map(|d| l.date(d))
            .unwrap_or_default();
        let fields = vec![
            FormField::text("title", wo_text(l).title, &f.title),
            FormField::choice(
                "priority",
                wo_text(l).priority,
                priority_word(l, &f.priority),
                PRIORITIES
                    .iter()
                    .map(|p| priority_word(l, p).to_owned())
                    .collect(),
            ),
            FormField::text("assignee", wo_text(l).assignee, &f.assignee),
            FormField::text("due", wo_text(l).due_yyyy_mm_dd, &due),
            FormField::text("description", wo_text(l).description, &f.description),
        ];
        self.open_form(
            cx,
            FormKind::EditOrder(at),
            format!("{} OS {}", wo_text(l).edit_word, at.id),
            fields,
        );
    }

    pub(super) fn item_fields(&self, cx: &Cx, code: Option<&str>) -> Vec<FormField> {
        let l = cx.shell.locale;
        let raw = code.and_then(|c| self.item_raw.get(c)).map(|(_, i)| i);
        let num = |v: Option<Decimal>| v.map(|v| l.quantity(v)).unwrap_or_default();
        let mut fields = Vec::new();
        if code.is_none() {
            fields.push(FormField::text("code", wo_text(l).code, ""));
        }
        fields.extend([
            FormField::text("name", wo_text(l).name, raw.map_or("", |i| i.name.as_str())),
            FormField::text(
                "unit",
                wo_text(l).unit_pc_m_kg,
                raw.map_or("un", |i| i.unit.as_str()),
            ),
            FormField::text(
                "unit_cost",
                wo_text(l).unit_cost_r,
                &num(raw.map(|i| i.unit_cost)),
            ),
            FormField::text(
                "min_stock",
                wo_text(l).minimum_stock,
                &num(raw.map(|i| i.min_stock)),
            ),
        ]);
        fields
    }

    pub(super) fn open_filter_form(&mut self, cx: &mut Cx) {
        let l = cx.shell.locale;
        self.set_wo_view(cx, WoView::Orders);
        let f = cx.shell.wo.filter.clone();
        let mut kinds = vec![wo_text(l).all_word.to_owned()];
        kinds.extend(KINDS.iter().map(|k| kind_word(l, k).to_owned()));
        let yes_no = vec![wo_text(l).no.to_owned(), wo_text(l).yes.to_owned()];
        let fields = vec![
            FormField::choice(
                "status",
                wo_text(l).status_label,
                status_word(l, f.status),
                StatusFilter::ALL
                    .iter()
                    .map(|s| status_word(l, *s).to_owned())
                    .collect(),
            ),
            FormField::choice(
                "kind",
                wo_text(l).type_label,
                f.kind
                    .as_deref()
                    .map_or(wo_text(l).all_word.to_owned(), |k| kind_word(l, k)),
                kinds,
            ),
            FormField::text("asset", wo_text(l).asset_tag, &f.asset),
            FormField::text("assignee", wo_text(l).assignee_none, &f.assignee),
            FormField::choice(
                "overdue",
                wo_text(l).overdue_only_label,
                if f.overdue_only {
                    &yes_no[1]
                } else {
                    &yes_no[0]
                },
                yes_no.clone(),
            ),
        ];
        self.open_form(
            cx,
            FormKind::Filter,
            wo_text(l).filter_orders.to_owned(),
            fields,
        );
    }

    pub(super) fn open_answer_form(&mut self, cx: &mut Cx) {
        let Some((at, f)) = self.need_order(cx) else {
            return;
        };
        let l = cx.shell.locale;
        let Some(d) = cx.shell.wo.order.as_ref() else {
            return;
        };
        let Some(row) = d.selected_item() else {
            cx.shell.status.notice = Some(wo_text(l).order_has_no_checklist.to_owned());
            return;
        };
        let n = row.n;
        let (measured, typed, note) = f.items.get(n - 1).cloned().unwrap_or_default();
        let answer = if measured {
            let unit = row.unit.clone().unwrap_or_default();
            FormField::text(
                "result",
                &format!(
                    "{} ({unit}; na: {})",
                    wo_text(l).value,
                    wo_text(l).not_applicable
                ),
                &typed,
            )
        } else {
            let words = [
                wo_text(l).pass_choice,
                wo_text(l).fail_choice,
                wo_text(l).n_a,
            ];
            let current = match typed.as_str() {
                "fail" => words[1],
                "na" => words[2],
                _ => words[0],
            };
            FormField::choice(
                "result",
                wo_text(l).result,
                current,
                words.iter().map(|w| (*w).to_owned()).collect(),
            )
        };
        let fields = vec![
            answer,
            FormField::text("note", wo_text(l).note_label, &note),
        ];
        let title = format!("OS {} · {n}. {}", at.id, row.text);
        self.open_form(
            cx,
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
    pub(super) fn submit_form(&mut self, cx: &mut Cx, kind: FormKind) {
        let l = cx.shell.locale;
        let Some(form) = cx.shell.wo.form.clone() else {
            return;
        };
        let f = &form;
        let mut r = Reader {
            f,
            l,
            tz: cx.tz,
            errors: Vec::new(),
        };
        let write = match &kind {
            FormKind::Filter => {
                let s = f.value("status");
                let k = f.value("kind");
                let filter = &mut cx.shell.wo.filter;
                filter.status = StatusFilter::ALL
                    .into_iter()
                    .find(|x| status_word(l, *x) == s)
                    .unwrap_or_default();
                filter.kind = code_of(k, &KINDS, |c| kind_word(l, c)).map(str::to_owned);
                filter.asset = f.value("asset").trim().to_ascii_uppercase();
                filter.assignee = f.value("assignee").trim().to_owned();
                filter.overdue_only = f.value("overdue") == wo_text(l).yes;
                cx.shell.wo.order_list.selected = 0;
                let p = &mut cx.shell.wo;
                self.modal.close(&mut p.form, &mut p.prompt);
                return;
            }
            FormKind::NewOrder => {
                let due = r.due();
                let kind = code_of(f.value("kind"), &KINDS, |c| kind_word(l, c))
                    .and_then(|k| k.parse::<WoKind>().ok())
                    .unwrap_or(WoKind::Corrective);
                let priority = code_of(f.value("priority"), &PRIORITIES, |c| priority_word(l, c))
                    .and_then(|p| p.parse::<Priority>().ok())
                    .unwrap_or(Priority::Medium);
                let opt = |k: &str| Some(f.value(k).trim().to_owned()).filter(|v| !v.is_empty());
                let procedure = opt("procedure").filter(|p| p != "—");
                WoWrite::Create(NewOrder {
                    description: f.value("description").to_owned(),
                    priority,
                    asset: opt("asset"),
                    assignee: opt("assignee"),
                    due,
                    procedure,
                    ..NewOrder::new(f.value("title"), kind)
                })
            }
            FormKind::EditOrder(at) => {
                // A date left as it was keeps the stored due time (not moved to the day's end).
                let due_index = f.fields.iter().position(|x| x.key == "due");
                let untouched = due_index
                    .and_then(|i| self.modal.initial().get(i))
                    .is_some_and(|init| init == f.value("due"));
                let due = match (untouched, self.facts.as_ref()) {
                    (true, Some(facts)) => facts.due_at,
                    _ => r.due(),
                };
                let priority = code_of(f.value("priority"), &PRIORITIES, |c| priority_word(l, c))
                    .and_then(|p| p.parse::<Priority>().ok())
                    .unwrap_or(Priority::Medium);
                WoWrite::Update(
                    *at,
                    OrderEdit {
                        title: f.value("title").to_owned(),
                        description: f.value("description").to_owned(),
                        priority,
                        assignee: Some(f.value("assignee").to_owned()),
                        due,
                    },
                )
            }
            FormKind::Part(at) => {
                let q = r.number("qty", true);
                let location =
                    Some(f.value("location").trim().to_owned()).filter(|v| !v.is_empty());
                // Codes as stored, whatever the case typed ("flt-g4" finds FLT-G4).
                let typed = f.value("item").trim();
                let item = self
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
                    give_back: f.value("movement") == wo_text(l).return_stock,
                }
            }
            FormKind::Labor(at) => {
                let hours = r.number("hours", true);
                let rate = r.number("rate", true);
                WoWrite::Labor(
                    *at,
                    LaborInput {
                        technician: f.value("technician").to_owned(),
                        hours: hours.unwrap_or_default(),
                        rate: rate.unwrap_or_default(),
                        note: f.value("note").to_owned(),
                    },
                )
            }
            FormKind::Service(at) => {
                let amount = r.number("amount", true);
                WoWrite::Service {
                    at: *at,
                    description: f.value("description").to_owned(),
                    amount: amount.unwrap_or_default(),
                }
            }
            FormKind::Answer { at, item, measured } => {
                let shown = f.value("result").trim().to_owned();
                let result = if *measured {
                    match shown.to_lowercase().as_str() {
                        "na" | "n/a" => Some(ItemResult::NotApplicable),
                        _ => r.number("result", true).map(ItemResult::Value),
                    }
                } else if shown == wo_text(l).fail_choice {
                    Some(ItemResult::Fail)
                } else if shown == wo_text(l).n_a {
                    Some(ItemResult::NotApplicable)
                } else {
                    Some(ItemResult::Pass)
                };
                WoWrite::Answer {
                    at: *at,
                    item: *item,
                    result: result.unwrap_or(ItemResult::Pass),
                    note: f.value("note").to_owned(),
                }
            }
            FormKind::Done { at, alert } => WoWrite::Complete {
                at: *at,
                note: f.value("reason").to_owned(),
                resolve_alert: *alert && f.value("resolve") == wo_text(l).yes,
            },
            FormKind::Receive(code) => {
                let q = r.number("qty", true);
                let cost = r.number("unit_cost", false);
                WoWrite::Receive {
                    code: code.clone(),
                    location: f.value("location").to_owned(),
                    qty: q.unwrap_or_default(),
                    unit_cost: cost,
                    note: f.value("note").to_owned(),
                }
            }
            FormKind::Adjust(code) => {
                let q = r.number("qty", true);
                WoWrite::Adjust {
                    code: code.clone(),
                    location: f.value("location").to_owned(),
                    qty: q.unwrap_or_default(),
                    reason: f.value("reason").to_owned(),
                }
            }
            FormKind::Down { at, down } => {
                let when = match typed_input::parse_datetime(l, f.value("when")) {
                    Ok(dt) => dt
                        .to_zoned(cx.tz.clone())
                        .map(|z| z.timestamp())
                        .map_err(|e| e.to_string()),
                    Err(e) => Err(e),
                };
                let now = crate::clock::now();
                let when = match when {
                    // A minute of slack for a clock read a moment ago.
                    Ok(t) if t > now + jiff::SignedDuration::from_mins(1) => {
                        let msg = wo_text(l).future_use_when_happened;
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
                let installed = match f.value("installed").trim() {
                    "" => None,
                    v => match typed_input::parse_date(l, v) {
                        Ok(d) => Some(d),
                        Err(e) => {
                            r.errors.push(("installed", e));
                            None
                        }
                    },
                };
                let words = opsdeck_views::panes::wo::text::text(l);
                let kind = code_of(f.value("kind"), crate::domain::cmms::assets::KINDS, |c| {
                    words.asset_kind(c)
                })
                .map_or_else(|| f.value("kind").to_owned(), str::to_owned);
                let criticality = code_of(f.value("criticality"), &CRITICALITIES, |c| {
                    words.criticality(c)
                })
                .and_then(|c| c.parse().ok())
                .unwrap_or(opsdeck_storage::records::asset::Criticality::Medium);
                let input = AssetInput {
                    name: f.value("name").to_owned(),
                    kind,
                    site: f.value("site").to_owned(),
                    area: f.value("area").to_owned(),
                    location: f.value("location").to_owned(),
                    make: f.value("make").to_owned(),
                    model: f.value("model").to_owned(),
                    serial: f.value("serial").to_owned(),
                    installed,
                    criticality,
                    notes: f.value("notes").to_owned(),
                };
                let sensors: Vec<String> = f
                    .value("sensors")
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
                        tag: f.value("tag").to_owned(),
                        input,
                        version: None,
                        sensors,
                    },
                }
            }
            FormKind::Plan(existing) => {
                let input = self.plan_input(cx, &mut r, existing.as_ref());
                WoWrite::SavePlan(input, existing.as_ref().map(|(_, v)| *v))
            }
            FormKind::Item(existing) => {
                let cost = r.number("unit_cost", true);
                let min = r.number("min_stock", false);
                let code = match existing {
                    Some((c, _)) => c.clone(),
                    None => f.value("code").trim().to_ascii_uppercase(),
                };
                WoWrite::SaveItem(
                    ItemInput {
                        code,
                        name: f.value("name").to_owned(),
                        unit: f.value("unit").to_owned(),
                        unit_cost: cost.unwrap_or_default(),
                        min_stock: min.unwrap_or_default(),
                    },
                    existing.as_ref().map(|(_, v)| *v),
                )
            }
        };
        let errors = r.errors;
        let Some(f) = cx.shell.wo.form.as_mut() else {
            return;
        };
        if !errors.is_empty() {
            let first = modal::place_errors(&mut f.fields, |k| {
                errors.iter().find(|(e, _)| *e == k).map(|(_, m)| m.clone())
            });
            if let Some(i) = first {
                f.focused = i;
            }
            return;
        }
        f.message = Some(wo_text(l).saving.to_owned());
        self.send_write(cx, write);
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

impl WorkOrders {
    /// The plan form: a new calendar plan (`code` None) or the stored plan's fields.
    pub(super) fn open_plan_form(&mut self, cx: &mut Cx, code: Option<String>) {
        use opsdeck_storage::records::pm_plan::Schedule;
        let l = cx.shell.locale;
        let stored = code.as_ref().and_then(|c| self.plan_raw.get(c)).cloned();
        if code.is_some() && stored.is_none() {
            return;
        }
        let input = stored.as_ref().map(|(_, i)| i.clone());
        let today = crate::clock::now_in(cx.tz).date();
        let mut procs = vec!["—".to_owned()];
        procs.extend(self.procedures.iter().cloned());
        let get = |f: fn(&PlanInput) -> String| input.as_ref().map(f).unwrap_or_default();
        let mut fields = Vec::new();
        if input.is_none() {
            fields.push(FormField::text("code", wo_text(l).code, ""));
        }
        fields.extend([
            FormField::text("name", wo_text(l).name, &get(|i| i.name.clone())),
            FormField::text(
                "assets",
                wo_text(l).assets_tags_comma_separated,
                &get(|i| i.assets.join(", ")),
            ),
            FormField::choice(
                "procedure",
                wo_text(l).procedure,
                input
                    .as_ref()
                    .and_then(|i| i.procedure.clone())
                    .unwrap_or_else(|| "—".into()),
                procs,
            ),
            FormField::text(
                "title",
                wo_text(l).orders_title_empty_name,
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
                FormField::text("every", wo_text(l).every, &every.to_string()),
                FormField::choice(
                    "unit",
                    wo_text(l).period,
                    unit_word(l, unit),
                    UNITS.iter().map(|u| unit_word(l, u).to_owned()).collect(),
                ),
                FormField::choice(
                    "mode",
                    wo_text(l).counted,
                    mode_word(l, mode),
                    MODES.iter().map(|m| mode_word(l, m).to_owned()).collect(),
                ),
                FormField::text("start", wo_text(l).first_date, &l.date(start)),
            ]);
        }
        fields.extend([
            FormField::text(
                "lead_days",
                wo_text(l).generate_order_ahead_days,
                &input.as_ref().map_or(7, |i| i.lead_days).to_string(),
            ),
            FormField::choice(
                "priority",
                wo_text(l).priority,
                priority_word(l, input.as_ref().map_or("medium", |i| i.priority.as_str())),
                PRIORITIES
                    .iter()
                    .map(|p| priority_word(l, p).to_owned())
                    .collect(),
            ),
            FormField::text(
                "assignee",
                wo_text(l).assignee,
                &input
                    .as_ref()
                    .and_then(|i| i.assignee.clone())
                    .unwrap_or_default(),
            ),
        ]);
        let title = match &code {
            Some(c) => format!("{} {c}", wo_text(l).edit_plan),
            None => wo_text(l).new_preventive_plan_calendar.to_owned(),
        };
        let kind = FormKind::Plan(code.zip(stored.map(|(v, _)| v)));
        self.open_form(cx, kind, title, fields);
    }

    /// The plan form read back; schedule fields absent keep the stored schedule.
    fn plan_input(&self, cx: &Cx, r: &mut Reader, existing: Option<&(String, u64)>) -> PlanInput {
        use opsdeck_storage::records::pm_plan::{CalendarMode, PeriodUnit, Schedule};
        let l = cx.shell.locale;
        let f = r.f;
        let stored = existing
            .and_then(|(c, _)| self.plan_raw.get(c))
            .map(|(_, i)| i);
        let has = |k: &str| f.fields.iter().any(|x| x.key == k);
        let whole = |r: &mut Reader, key: &'static str| -> u32 {
            let v = r.f.value(key).trim();
            match v.parse::<u32>() {
                Ok(n) => n,
                Err(_) => {
                    r.errors
                        .push((key, format!("'{v}': {}", wo_text(l).whole_number)));
                    0
                }
            }
        };
        let schedule = if has("every") {
            let every = whole(r, "every");
            let unit = code_of(f.value("unit"), &UNITS, |c| unit_word(l, c))
                .and_then(|u| u.parse::<PeriodUnit>().ok())
                .unwrap_or(PeriodUnit::Month);
            let mode = code_of(f.value("mode"), &MODES, |c| mode_word(l, c))
                .and_then(|m| m.parse::<CalendarMode>().ok())
                .unwrap_or(CalendarMode::Fixed);
            let start = match typed_input::parse_date(l, f.value("start")) {
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
            |k: &str| Some(f.value(k).trim().to_owned()).filter(|v| !v.is_empty() && v != "—");
        PlanInput {
            code: match existing {
                Some((c, _)) => c.clone(),
                None => f.value("code").trim().to_ascii_uppercase(),
            },
            name: f.value("name").to_owned(),
            assets: f
                .value("assets")
                .split([',', ';', ' '])
                .map(|a| a.trim().to_ascii_uppercase())
                .filter(|a| !a.is_empty())
                .collect(),
            procedure: opt("procedure"),
            schedule,
            lead_days,
            priority: code_of(f.value("priority"), &PRIORITIES, |c| priority_word(l, c))
                .and_then(|p| p.parse::<Priority>().ok())
                .unwrap_or(Priority::Medium),
            assignee: opt("assignee"),
            title: f.value("title").to_owned(),
            note: stored.map(|i| i.note.clone()).unwrap_or_default(),
        }
    }
}

impl WorkOrders {
    /// The asset form: a new asset (`tag` None, its site and area defaulting to the selected
    /// one's) or the stored asset's fields.
    pub(super) fn open_asset_form(&mut self, cx: &mut Cx, tag: Option<String>) {
        let l = cx.shell.locale;
        let stored = tag.as_ref().and_then(|t| self.asset_raw.get(t)).cloned();
        if tag.is_some() && stored.is_none() {
            return;
        }
        let words = opsdeck_views::panes::wo::text::text(l);
        let near = cx
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
            fields.push(FormField::text("tag", wo_text(l).tag_label, ""));
        }
        fields.extend([
            FormField::text("name", wo_text(l).name, &get(|a| a.name.clone(), "")),
            FormField::choice(
                "kind",
                wo_text(l).type_label,
                words.asset_kind(&get(|a| a.kind.clone(), "other")),
                kinds,
            ),
            FormField::text("site", wo_text(l).site, &get(|a| a.site.clone(), &near.0)),
            FormField::text("area", wo_text(l).area, &get(|a| a.area.clone(), &near.1)),
            FormField::text(
                "location",
                wo_text(l).location_where,
                &get(|a| a.location.clone(), ""),
            ),
            FormField::text("make", wo_text(l).make, &get(|a| a.make.clone(), "")),
            FormField::text("model", wo_text(l).model, &get(|a| a.model.clone(), "")),
            FormField::text(
                "serial",
                wo_text(l).serial_label,
                &get(|a| a.serial.clone(), ""),
            ),
            FormField::text(
                "installed",
                wo_text(l).installed_yyyy_mm_dd,
                &a.and_then(|a| a.installed)
                    .map(|d| l.date(d))
                    .unwrap_or_default(),
            ),
            FormField::choice(
                "criticality",
                wo_text(l).criticality,
                words.criticality(&get(|a| a.criticality.to_string(), "medium")),
                CRITICALITIES.iter().map(|c| words.criticality(c)).collect(),
            ),
            FormField::text(
                "sensors",
                wo_text(l).sensors_devices,
                &get(|a| a.sensors.join(", "), ""),
            ),
            FormField::text(
                "notes",
                wo_text(l).notes_label,
                &get(|a| a.notes.clone(), ""),
            ),
        ]);
        let title = match &tag {
            Some(t) => format!("{} {t}", wo_text(l).edit_asset),
            None => wo_text(l).new_asset.to_owned(),
        };
        let kind = FormKind::Asset(tag.zip(stored.map(|(v, _)| v)));
        self.open_form(cx, kind, title, fields);
    }
}

impl WorkOrders {
    /// When the asset went down (default: now, or when the order's alert was raised) or came
    /// back up (default: now), editable: the technician often records it afterwards.
    pub(super) fn open_down_form(
        &mut self,
        cx: &mut Cx,
        at: OrderRef,
        down: bool,
        alert_raised: Option<jiff::Timestamp>,
    ) {
        let l = cx.shell.locale;
        let now = crate::clock::now();
        let default = if down {
            alert_raised.unwrap_or(now)
        } else {
            now
        };
        let shown = default
            .to_zoned(cx.tz.clone())
            .strftime(wo_text(l).datetime_format)
            .to_string();
        let (title, label) = if down {
            (wo_text(l).asset_down, wo_text(l).down_since)
        } else {
            (wo_text(l).asset_back_up, wo_text(l).back_up)
        };
        let fields = vec![FormField::text("when", label, &shown)];
        self.open_form(
            cx,
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
        let v = self.f.value(key).trim();
        if v.is_empty() {
            if required {
                self.errors.push((key, wo_text(self.l).required.to_owned()));
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
        let v = self.f.value("due").trim();
        if v.is_empty() {
            return None;
        }
        match typed_input::parse_date(self.l, v).map(|d| due_at(d, self.tz)) {
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
