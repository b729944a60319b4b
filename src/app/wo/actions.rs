//! What the Work-orders pane's own keys do (`WoAct`): views, filters, the moves and bookings of
//! an order, stock, exports. Which record an act works on depends on the view.

use opsdeck_storage::records::work_order::{WoKind, WoStatus};
use opsdeck_views::action::WoAct;
use opsdeck_views::panes::wo::text::text as wo_text;
use opsdeck_views::state::wo::{KINDS, StatusFilter, WoView};

use super::WorkOrders;
use super::forms::{kind_word, status_word};
use super::protocol::WoWrite;
use super::purpose::{FormKind, PromptKind};
use crate::app::pane::Cx;
use crate::domain::cmms::work_orders::Filter;
use opsdeck_views::state::FormField;

impl WorkOrders {
    pub(super) fn wo_action(&mut self, cx: &mut Cx, a: WoAct) {
        let l = cx.shell.locale;
        match a {
            WoAct::Orders => self.set_wo_view(cx, WoView::Orders),
            WoAct::Assets => self.set_wo_view(cx, WoView::Assets),
            WoAct::Plans => self.set_wo_view(cx, WoView::Plans),
            WoAct::Inventory => self.set_wo_view(cx, WoView::Inventory),
            WoAct::Kpis => self.set_wo_view(cx, WoView::Kpis),
            WoAct::NextView => {
                let v = cx.shell.wo.view.next();
                self.set_wo_view(cx, v);
            }
            WoAct::StatusFilter => {
                self.set_wo_view(cx, WoView::Orders);
                let f = &mut cx.shell.wo.filter;
                f.status = f.status.next();
                let word = status_word(l, f.status);
                cx.shell.status.notice = Some(format!("{}: {word}", wo_text(l).status_word));
                cx.shell.wo.order_list.selected = 0;
            }
            WoAct::TypeFilter => {
                self.set_wo_view(cx, WoView::Orders);
                let f = &mut cx.shell.wo.filter;
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
                    .map_or(wo_text(l).all_word.to_owned(), |k| kind_word(l, k));
                cx.shell.status.notice = Some(format!("{}: {word}", wo_text(l).type_word));
                cx.shell.wo.order_list.selected = 0;
            }
            WoAct::Overdue => {
                self.set_wo_view(cx, WoView::Orders);
                let f = &mut cx.shell.wo.filter;
                f.overdue_only = !f.overdue_only;
                cx.shell.wo.order_list.selected = 0;
            }
            WoAct::FilterForm => self.open_filter_form(cx),
            WoAct::Start => {
                let Some((at, f)) = self.need_order(cx) else {
                    return;
                };
                let from = match f.status.as_str() {
                    "open" => WoStatus::Open,
                    "on_hold" => WoStatus::OnHold,
                    _ => {
                        cx.shell.status.last_error =
                            Some(format!("OS {}: {}", at.id, wo_text(l).only_open_hold_order));
                        return;
                    }
                };
                self.send_now(
                    cx,
                    WoWrite::Move {
                        at,
                        from: Some(from),
                        to: WoStatus::InProgress,
                        reason: String::new(),
                    },
                );
            }
            WoAct::Hold => {
                if let Some((at, _)) = self.need_order(cx) {
                    let title = format!("OS {} · {}", at.id, wo_text(l).hold_waiting_what);
                    self.open_wo_prompt(cx, PromptKind::Hold(at), title);
                }
            }
            WoAct::Cancel => {
                if let Some((at, _)) = self.need_order(cx) {
                    if !cx.shell.wo.rights.manage {
                        return self.wo_denied(cx);
                    }
                    let title = format!("OS {} · {}", at.id, wo_text(l).cancel_why);
                    self.open_wo_prompt(cx, PromptKind::Cancel(at), title);
                }
            }
            WoAct::Note => {
                if let Some((at, _)) = self.need_order(cx) {
                    let title = format!("OS {} · {}", at.id, wo_text(l).note_prompt);
                    self.open_wo_prompt(cx, PromptKind::Note(at), title);
                }
            }
            WoAct::Estimate => {
                if let Some((at, _)) = self.need_order(cx) {
                    if !cx.shell.wo.rights.manage {
                        return self.wo_denied(cx);
                    }
                    let title = format!("OS {} · {}", at.id, wo_text(l).estimate_prompt);
                    // The estimate as it is, so Enter alone keeps it.
                    let current = cx
                        .shell
                        .wo
                        .order
                        .as_ref()
                        .map(|o| o.estimate.trim_start_matches("R$").trim().to_owned())
                        .unwrap_or_default();
                    self.modal.open_prompt(
                        &mut cx.shell.wo.prompt,
                        PromptKind::Estimate(at),
                        title,
                        current,
                    );
                }
            }
            WoAct::Attach => {
                if let Some((at, _)) = self.need_order(cx) {
                    let title = format!("OS {} · {}", at.id, wo_text(l).attach_file_path_photo);
                    self.open_wo_prompt(cx, PromptKind::Attach(at), title);
                }
            }
            WoAct::Done => {
                let Some((at, f)) = self.need_order(cx) else {
                    return;
                };
                let mut fields = vec![FormField::text("reason", wo_text(l).what_was_done, "")];
                if f.alert_open {
                    let yes_no = vec![wo_text(l).yes.to_owned(), wo_text(l).no.to_owned()];
                    fields.push(FormField::choice(
                        "resolve",
                        wo_text(l).resolve_alert_came,
                        wo_text(l).yes,
                        yes_no,
                    ));
                }
                let title = format!("{} OS {}", wo_text(l).complete, at.id);
                self.open_form(
                    cx,
                    FormKind::Done {
                        at,
                        alert: f.alert_open,
                    },
                    title,
                    fields,
                );
            }
            WoAct::Part => {
                if let Some((at, _)) = self.need_order(cx) {
                    let moves = vec![
                        wo_text(l).issue_stock.to_owned(),
                        wo_text(l).return_stock.to_owned(),
                    ];
                    let fields = vec![
                        FormField::text("item", wo_text(l).item_code, ""),
                        FormField::text("qty", wo_text(l).quantity, "1"),
                        FormField::choice(
                            "movement",
                            wo_text(l).movement,
                            &moves[0],
                            moves.clone(),
                        ),
                        FormField::text("location", wo_text(l).location_empty_where_stocked, ""),
                    ];
                    let title = format!("OS {} · {}", at.id, wo_text(l).part_issue_return_stock);
                    self.open_form(cx, FormKind::Part(at), title, fields);
                }
            }
            WoAct::Labor => {
                if let Some((at, _)) = self.need_order(cx) {
                    let me = cx.shell.status.user.clone();
                    let fields = vec![
                        FormField::text("technician", wo_text(l).technician, &me),
                        FormField::text("hours", wo_text(l).hours, ""),
                        FormField::text("rate", wo_text(l).rate_r_h, ""),
                        FormField::text("note", wo_text(l).note_label, ""),
                    ];
                    let title = format!("OS {} · {}", at.id, wo_text(l).labor_prompt);
                    self.open_form(cx, FormKind::Labor(at), title, fields);
                }
            }
            WoAct::Service => {
                if let Some((at, _)) = self.need_order(cx) {
                    let fields = vec![
                        FormField::text("description", wo_text(l).service, ""),
                        FormField::text("amount", wo_text(l).amount_r, ""),
                    ];
                    let title = format!("OS {} · {}", at.id, wo_text(l).bought_service);
                    self.open_form(cx, FormKind::Service(at), title, fields);
                }
            }
            WoAct::Down => {
                if let Some((at, f)) = self.need_order(cx) {
                    if !f.has_asset {
                        cx.shell.status.last_error = Some(format!(
                            "OS {}: {}",
                            at.id,
                            wo_text(l).no_asset_nothing_down
                        ));
                        return;
                    }
                    let down = !cx.shell.wo.order.as_ref().is_some_and(|o| o.down_now);
                    self.open_down_form(cx, at, down, f.alert_raised);
                }
            }
            WoAct::Toggle => match cx.shell.wo.view {
                WoView::Order => self.open_answer_form(cx),
                WoView::Plans => {
                    let Some(code) = cx.shell.wo.selected_plan().map(|p| p.code.clone()) else {
                        return;
                    };
                    if !cx.shell.wo.rights.manage {
                        return self.wo_denied(cx);
                    }
                    let active = self.plan_versions.get(&code).is_some_and(|(a, _)| *a);
                    self.send_now(
                        cx,
                        WoWrite::PlanActive {
                            code,
                            active: !active,
                        },
                    );
                }
                _ => {}
            },
            WoAct::Export => match cx.shell.wo.view {
                WoView::Assets | WoView::Asset => {
                    let dir = cx.export_dir.to_path_buf();
                    self.send_now(cx, WoWrite::Labels { dir });
                }
                _ => self.export_orders(cx),
            },
            WoAct::Receive | WoAct::Adjust => {
                if cx.shell.wo.view != WoView::Inventory {
                    self.set_wo_view(cx, WoView::Inventory);
                    return;
                }
                let Some(code) = cx.shell.wo.selected_item().map(|i| i.code.clone()) else {
                    return;
                };
                let loc = self
                    .item_locations
                    .get(&code)
                    .and_then(|l| l.first().cloned())
                    .unwrap_or_else(|| wo_text(l).store.to_owned());
                if a == WoAct::Receive {
                    let fields = vec![
                        FormField::text("qty", wo_text(l).quantity, ""),
                        FormField::text("location", wo_text(l).location, &loc),
                        FormField::text("unit_cost", wo_text(l).unit_cost_r_empty, ""),
                        FormField::text("note", wo_text(l).note_invoice_supplier, ""),
                    ];
                    let title = format!("{} · {code}", wo_text(l).receive_title);
                    self.open_form(cx, FormKind::Receive(code), title, fields);
                } else {
                    if !cx.shell.wo.rights.stock {
                        return self.wo_denied(cx);
                    }
                    let fields = vec![
                        FormField::text("qty", wo_text(l).difference, ""),
                        FormField::text("location", wo_text(l).location, &loc),
                        FormField::text("reason", wo_text(l).reason, ""),
                    ];
                    let title = format!("{} · {code}", wo_text(l).stock_adjustment);
                    self.open_form(cx, FormKind::Adjust(code), title, fields);
                }
            }
            WoAct::Qr => {
                if cx.shell.wo.view == WoView::Assets
                    && let Some(tag) = cx.shell.wo.selected_asset().map(|a| a.tag.clone())
                {
                    self.open_asset(cx, tag);
                    cx.shell.wo.show_qr = true;
                } else if cx.shell.wo.view == WoView::Asset {
                    cx.shell.wo.show_qr = !cx.shell.wo.show_qr;
                }
            }
        }
    }

    fn export_orders(&mut self, cx: &mut Cx) {
        let f = &cx.shell.wo.filter;
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
        let dir = cx.export_dir.to_path_buf();
        cx.shell.status.notice = Some(wo_text(cx.shell.locale).exporting.to_owned());
        self.send_now(cx, WoWrite::Export { filter, kind, dir });
    }
}
