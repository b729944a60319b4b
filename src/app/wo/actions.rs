//! What the Work-orders pane's own keys do (`WoAct`): views, filters, the moves and bookings of
//! an order, stock, exports. Which record an act works on depends on the view.

use opsdeck_storage::records::work_order::{WoKind, WoStatus};
use opsdeck_views::action::WoAct;
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
                cx.shell.status.notice = Some(format!("{}: {word}", l.tr("status", "status")));
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
                    .map_or(l.tr("todos", "all").to_owned(), |k| kind_word(l, k));
                cx.shell.status.notice = Some(format!("{}: {word}", l.tr("tipo", "type")));
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
                        cx.shell.status.last_error = Some(format!(
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
                    let title = format!(
                        "OS {} · {}",
                        at.id,
                        l.tr("em espera: aguardando o quê?", "on hold: waiting for what?")
                    );
                    self.open_wo_prompt(cx, PromptKind::Hold(at), title);
                }
            }
            WoAct::Cancel => {
                if let Some((at, _)) = self.need_order(cx) {
                    if !cx.shell.wo.rights.manage {
                        return self.wo_denied(cx);
                    }
                    let title = format!(
                        "OS {} · {}",
                        at.id,
                        l.tr("cancelar: por quê?", "cancel: why?")
                    );
                    self.open_wo_prompt(cx, PromptKind::Cancel(at), title);
                }
            }
            WoAct::Note => {
                if let Some((at, _)) = self.need_order(cx) {
                    let title = format!("OS {} · {}", at.id, l.tr("nota", "note"));
                    self.open_wo_prompt(cx, PromptKind::Note(at), title);
                }
            }
            WoAct::Attach => {
                if let Some((at, _)) = self.need_order(cx) {
                    let title = format!(
                        "OS {} · {}",
                        at.id,
                        l.tr(
                            "anexar arquivo: caminho (foto, laudo)",
                            "attach a file: path (photo, report)"
                        )
                    );
                    self.open_wo_prompt(cx, PromptKind::Attach(at), title);
                }
            }
            WoAct::Done => {
                let Some((at, f)) = self.need_order(cx) else {
                    return;
                };
                let mut fields = vec![FormField::text(
                    "reason",
                    l.tr("O que foi feito", "What was done"),
                    "",
                )];
                if f.alert_open {
                    let yes_no = vec![l.tr("sim", "yes").to_owned(), l.tr("não", "no").to_owned()];
                    fields.push(FormField::choice(
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
                        l.tr("baixar do estoque", "issue from stock").to_owned(),
                        l.tr("devolver ao estoque", "return to stock").to_owned(),
                    ];
                    let fields = vec![
                        FormField::text("item", l.tr("Item (código)", "Item (code)"), ""),
                        FormField::text("qty", l.tr("Quantidade", "Quantity"), "1"),
                        FormField::choice(
                            "movement",
                            l.tr("Movimento", "Movement"),
                            &moves[0],
                            moves.clone(),
                        ),
                        FormField::text(
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
                    self.open_form(cx, FormKind::Part(at), title, fields);
                }
            }
            WoAct::Labor => {
                if let Some((at, _)) = self.need_order(cx) {
                    let me = cx.shell.status.user.clone();
                    let fields = vec![
                        FormField::text("technician", l.tr("Técnico", "Technician"), &me),
                        FormField::text("hours", l.tr("Horas", "Hours"), ""),
                        FormField::text("rate", l.tr("Valor hora R$", "Rate R$/h"), ""),
                        FormField::text("note", l.tr("Nota", "Note"), ""),
                    ];
                    let title = format!("OS {} · {}", at.id, l.tr("mão de obra", "labor"));
                    self.open_form(cx, FormKind::Labor(at), title, fields);
                }
            }
            WoAct::Service => {
                if let Some((at, _)) = self.need_order(cx) {
                    let fields = vec![
                        FormField::text("description", l.tr("Serviço", "Service"), ""),
                        FormField::text("amount", l.tr("Valor R$", "Amount R$"), ""),
                    ];
                    let title = format!(
                        "OS {} · {}",
                        at.id,
                        l.tr("serviço contratado", "bought service")
                    );
                    self.open_form(cx, FormKind::Service(at), title, fields);
                }
            }
            WoAct::Down => {
                if let Some((at, f)) = self.need_order(cx) {
                    if !f.has_asset {
                        cx.shell.status.last_error = Some(format!(
                            "OS {}: {}",
                            at.id,
                            l.tr(
                                "sem ativo: não há o que parar",
                                "no asset: nothing to be down"
                            )
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
                    .unwrap_or_else(|| l.tr("Almoxarifado", "Store").to_owned());
                if a == WoAct::Receive {
                    let fields = vec![
                        FormField::text("qty", l.tr("Quantidade", "Quantity"), ""),
                        FormField::text("location", l.tr("Local", "Location"), &loc),
                        FormField::text(
                            "unit_cost",
                            l.tr(
                                "Custo unitário R$ (vazio: o atual)",
                                "Unit cost R$ (empty: current)",
                            ),
                            "",
                        ),
                        FormField::text(
                            "note",
                            l.tr("Nota (NF, fornecedor)", "Note (invoice, supplier)"),
                            "",
                        ),
                    ];
                    let title = format!("{} · {code}", l.tr("Entrada", "Receive"));
                    self.open_form(cx, FormKind::Receive(code), title, fields);
                } else {
                    if !cx.shell.wo.rights.stock {
                        return self.wo_denied(cx);
                    }
                    let fields = vec![
                        FormField::text("qty", l.tr("Diferença (+/-)", "Difference (+/-)"), ""),
                        FormField::text("location", l.tr("Local", "Location"), &loc),
                        FormField::text("reason", l.tr("Motivo", "Reason"), ""),
                    ];
                    let title =
                        format!("{} · {code}", l.tr("Ajuste de estoque", "Stock adjustment"));
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
        cx.shell.status.notice = Some(cx.tr("exportando…", "exporting…").to_owned());
        self.send_now(cx, WoWrite::Export { filter, kind, dir });
    }
}
