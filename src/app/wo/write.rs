//! The worker's CMMS writes, asked for from the Work-orders pane (and the one key in Telemetry
//! that opens an order from an alert). Every call goes through the domain services, which check
//! the role, the record version the screen showed, and the input; an answer names the form or
//! prompt generation it belongs to, so a late answer never closes a newer one.

use opsdeck_views::panes::wo::text::text as wo_text;
use std::path::PathBuf;

use opsdeck_storage::records::work_order::WoStatus;
use opsdeck_storage::why;
use opsdeck_views::i18n::Locale;

use opsdeck_views::state::PaneId;

use super::protocol::WoWrite;
use crate::app::io::Io;
use crate::app::link::Link;
use crate::app::outcome::{Failed, Saved};
use crate::app::protocol::Reply;
use crate::domain::cmms::assets::AssetEdit;
use crate::domain::cmms::inventory::{self};
use crate::domain::cmms::work_orders::{self as wo, AlertOutcome, FieldError};
use crate::domain::cmms::{assets, evidence, plans};
use opsdeck_storage::Versioned;
use opsdeck_storage::records::work_order::WorkOrder;

/// What a write did: the notice, and an order to open (a new one, or the one from an alert).
struct Done {
    notice: String,
    open: Option<u64>,
    /// (id, version) of the order as written, so the page acts on it without waiting for the
    /// next load.
    order: Option<(u64, u64)>,
}

fn done(notice: impl Into<String>) -> Done {
    Done {
        notice: notice.into(),
        open: None,
        order: None,
    }
}

impl Done {
    fn on(mut self, o: &Versioned<WorkOrder>) -> Done {
        self.order = Some((o.value.id, o.version));
        self
    }
}

/// Runs a write of form or prompt `generation` (0: none); the answer in the shared shape.
pub fn write(io: &Io, write: WoWrite, generation: u64) -> Reply {
    match wo_write(io, write) {
        Ok(d) => Reply::Saved(
            PaneId::WorkOrders,
            Saved {
                generation,
                notice: d.notice,
                open: d.open.map(Link::Order),
                version: d.order,
            },
        ),
        Err(e) => Reply::Failed(PaneId::WorkOrders, Failed::of(io, &e, generation)),
    }
}

fn wo_write(io: &Io, write: WoWrite) -> anyhow::Result<Done> {
    let t = &io.tenant;
    let u = io.user.as_str();
    let l = io.locale;
    Ok(match write {
        WoWrite::Create(new) => {
            let o = wo::open_order(t, u, new)?;
            Done {
                notice: format!(
                    "OS {} {}",
                    o.value.id,
                    wo_text(io.locale).opened_f.to_owned()
                ),
                open: Some(o.value.id),
                order: None,
            }
        }
        WoWrite::Update(at, change) => {
            let o = wo::update(t, u, at, change)?;
            done(format!(
                "OS {} {}",
                at.id,
                wo_text(io.locale).saved_f.to_owned()
            ))
            .on(&o)
        }
        WoWrite::Move {
            at,
            from,
            to,
            reason,
        } => {
            let o = match from {
                Some(from) => wo::transition_from(t, u, at, from, to, &reason)?,
                None => wo::transition(t, u, at, to, &reason)?,
            };
            let word = match (to, l) {
                (WoStatus::InProgress, Locale::PtBr) => "em andamento",
                (WoStatus::OnHold, Locale::PtBr) => "em espera",
                (WoStatus::Cancelled, Locale::PtBr) => "cancelada",
                (WoStatus::Done, Locale::PtBr) => "concluída",
                (WoStatus::Open, Locale::PtBr) => "aberta",
                (WoStatus::InProgress, Locale::En) => "in progress",
                (WoStatus::OnHold, Locale::En) => "on hold",
                (WoStatus::Cancelled, Locale::En) => "cancelled",
                (WoStatus::Done, Locale::En) => "done",
                (WoStatus::Open, Locale::En) => "open",
            };
            done(format!("OS {}: {word}", at.id)).on(&o)
        }
        WoWrite::Complete {
            at,
            note,
            resolve_alert,
        } => {
            let c = wo::complete(t, u, at, &note, resolve_alert)?;
            let cost = l.money(c.order.value.cost());
            let alert = match c.alert {
                AlertOutcome::Resolved => {
                    format!("; {}", wo_text(io.locale).alert_resolved.to_owned())
                }
                AlertOutcome::AlreadyResolved => {
                    format!(
                        "; {}",
                        wo_text(io.locale).alert_was_already_resolved.to_owned()
                    )
                }
                AlertOutcome::Failed(why) => {
                    format!(
                        "; {}: {why}",
                        wo_text(io.locale).alert_not_resolved.to_owned()
                    )
                }
                AlertOutcome::NotAsked | AlertOutcome::NoAlert => String::new(),
            };
            done(format!(
                "OS {} {} · {} {cost}{alert}",
                at.id,
                wo_text(io.locale).done_f.to_owned(),
                wo_text(io.locale).cost_posted.to_owned()
            ))
            .on(&c.order)
        }
        WoWrite::Answer {
            at,
            item,
            result,
            note,
        } => {
            let o = wo::answer(t, u, at, item, result, &note)?;
            done(format!(
                "OS {} · item {item} {}",
                at.id,
                wo_text(io.locale).answered_notice.to_owned()
            ))
            .on(&o)
        }
        WoWrite::Part {
            at,
            item,
            location,
            qty,
            give_back,
        } => {
            let (o, what) = if give_back {
                let (o, _) = wo::return_part(t, u, at, &item, location.as_deref(), qty)?;
                (o, wo_text(io.locale).returned_stock.to_owned())
            } else {
                let (o, m) = wo::issue_part(t, u, at, &item, location.as_deref(), qty)?;
                let from = format!(
                    "{} {}",
                    wo_text(io.locale).issued_from.to_owned(),
                    m.location
                );
                (o, from)
            };
            done(format!(
                "OS {} · {} {item} {what} · {} {}",
                o.value.id,
                l.quantity(qty),
                wo_text(io.locale).total_word.to_owned(),
                l.money(o.value.cost())
            ))
            .on(&o)
        }
        WoWrite::Labor(at, labor) => {
            let o = wo::add_labor(t, u, at, labor)?;
            done(format!(
                "OS {} · {} · {} {}",
                at.id,
                wo_text(io.locale).labor_booked.to_owned(),
                wo_text(io.locale).total_word.to_owned(),
                l.money(o.value.cost())
            ))
            .on(&o)
        }
        WoWrite::Service {
            at,
            description,
            amount,
        } => {
            let o = wo::add_service(t, u, at, &description, amount)?;
            done(format!(
                "OS {} · {} · {} {}",
                at.id,
                wo_text(io.locale).service_booked.to_owned(),
                wo_text(io.locale).total_word.to_owned(),
                l.money(o.value.cost())
            ))
            .on(&o)
        }
        WoWrite::Estimate(at, value) => {
            wo::set_estimate(t, u, at, value)?;
            done(format!(
                "OS {} · {}",
                at.id,
                wo_text(io.locale).estimate_saved
            ))
        }
        WoWrite::Note(at, text) => {
            let o = wo::add_note(t, u, at, &text)?;
            done(format!(
                "OS {} · {}",
                at.id,
                wo_text(io.locale).note_added.to_owned()
            ))
            .on(&o)
        }
        WoWrite::Attach(at, path) => {
            let path = expand_home(&path);
            if !path.is_file() {
                return Err(FieldError::new("path", why!(NoSuchFile, path.display())).into());
            }
            let (sha256, size) = evidence::store_file(&io.evidence, &path)?;
            let name = path
                .file_name()
                .map(|n| n.to_string_lossy().into_owned())
                .unwrap_or_else(|| sha256.clone());
            let ev = opsdeck_storage::records::work_order::EvidenceRef {
                sha256: sha256.clone(),
                name: name.clone(),
                size,
                by: u.to_owned(),
                at: crate::clock::now(),
            };
            let o = wo::attach_evidence(t, u, at, ev)?;
            done(format!(
                "OS {} · {name} · sha256 {}",
                at.id,
                &sha256[..12.min(sha256.len())]
            ))
            .on(&o)
        }
        WoWrite::Down(at, down, when) => {
            let (o, what) = if down {
                let o = wo::asset_down(t, u, at, when)?;
                (o, wo_text(io.locale).asset_down_from.to_owned())
            } else {
                let o = wo::asset_up(t, u, at, when)?;
                (o, wo_text(io.locale).asset_back_up_at.to_owned())
            };
            let when = io.locale.datetime(&when.to_zoned(io.tz.clone()));
            done(format!("OS {} · {what} {when}", at.id)).on(&o)
        }
        WoWrite::FromAlert(key) => {
            let made = wo::from_alert_with_readings(&io.evidence, t, u, &key, crate::clock::now())?;
            let id = made.order.value.id;
            Done {
                notice: if made.created {
                    format!(
                        "OS {id} {}",
                        wo_text(io.locale)
                            .opened_predictive_readings_attached
                            .to_owned()
                    )
                } else {
                    format!(
                        "OS {id} {}",
                        wo_text(io.locale).already_open_alert.to_owned()
                    )
                },
                open: Some(id),
                order: None,
            }
        }
        WoWrite::PlanActive { code, active } => {
            plans::set_active(t, u, &code, active, io.today())?;
            done(format!(
                "{code}: {}",
                match (active, l) {
                    (true, Locale::PtBr) => "retomado",
                    (false, Locale::PtBr) => "pausado",
                    (true, Locale::En) => "resumed",
                    (false, Locale::En) => "paused",
                }
            ))
        }
        WoWrite::Receive {
            code,
            location,
            qty,
            unit_cost,
            note,
        } => {
            let m = inventory::receive(t, u, &code, &location, qty, unit_cost, &note)?;
            done(format!(
                "{} +{} ({}) {}",
                m.item,
                l.quantity(qty),
                m.location,
                wo_text(io.locale).received.to_owned()
            ))
        }
        WoWrite::Adjust {
            code,
            location,
            qty,
            reason,
        } => {
            let m = inventory::adjust(t, u, &code, &location, qty, &reason)?;
            done(format!(
                "{} {} ({}) {}",
                m.item,
                l.quantity(qty),
                m.location,
                wo_text(io.locale).adjusted.to_owned()
            ))
        }
        WoWrite::SaveAsset {
            tag,
            input,
            version,
            sensors,
        } => {
            // Every device id is checked before anything is written.
            let sensors = sensors
                .iter()
                .map(|d| assets::device_id(d))
                .collect::<Result<Vec<_>, _>>()
                .map_err(|e| FieldError::new("sensors", e.why))?;
            let today = io.today();
            let a = match version {
                Some(v) => {
                    let change = AssetEdit {
                        name: Some(input.name),
                        kind: Some(input.kind),
                        site: Some(input.site),
                        area: Some(input.area),
                        location: Some(input.location),
                        make: Some(input.make),
                        model: Some(input.model),
                        serial: Some(input.serial),
                        installed: Some(input.installed),
                        criticality: Some(input.criticality),
                        notes: Some(input.notes),
                    };
                    assets::edit(t, u, &tag, Some(v), &change, today)?
                }
                None => assets::create(t, u, &tag, &input, today)?,
            };
            let before = a.value.sensors.clone();
            for d in sensors.iter().filter(|d| !before.contains(d)) {
                assets::link_sensor(t, u, &a.key, d)?;
            }
            for d in before.iter().filter(|d| !sensors.contains(d)) {
                assets::unlink_sensor(t, u, &a.key, d)?;
            }
            done(format!(
                "{} {}",
                a.key,
                wo_text(io.locale).saved_m.to_owned()
            ))
        }
        WoWrite::SavePlan(input, version) => {
            let code = input.code.clone();
            let today = io.today();
            let p = match version {
                Some(v) => plans::edit(t, u, &code, v, input, today)?,
                None => plans::create(t, u, input, today)?,
            };
            done(format!(
                "{} {}",
                p.key,
                wo_text(io.locale).saved_m.to_owned()
            ))
        }
        WoWrite::SaveItem(input, version) => {
            let i = inventory::save_item(t, u, input, version)?;
            done(format!(
                "{} {}",
                i.key,
                wo_text(io.locale).saved_m.to_owned()
            ))
        }
        WoWrite::Export { filter, kind, dir } => {
            let opts = crate::report::cmms::WoExport {
                filter,
                kind,
                from: None,
                to: None,
            };
            let mut files = Vec::new();
            for format in [
                crate::report::cmms::ExportFormat::Xlsx,
                crate::report::cmms::ExportFormat::Csv,
            ] {
                files.extend(crate::report::cmms::export(
                    t, u, &io.tz, &opts, format, &dir,
                )?);
            }
            let names: Vec<String> = files.iter().map(|f| f.display().to_string()).collect();
            done(format!(
                "{}: {}",
                wo_text(io.locale).written_word.to_owned(),
                names.join(", ")
            ))
        }
        WoWrite::Labels { dir } => {
            let chosen: Vec<_> = assets::tree(t)?
                .into_iter()
                .flat_map(|s| s.areas)
                .flat_map(|a| a.assets)
                .collect();
            if chosen.is_empty() {
                anyhow::bail!("{}", wo_text(io.locale).no_active_assets_label.to_owned());
            }
            let pages = assets::label_pages_svg(t.name(), &chosen)?;
            let out = dir.join(format!("etiquetas-{}.svg", t.name()));
            let files = assets::label_files(&out, pages.len());
            for (file, page) in files.iter().zip(&pages) {
                std::fs::write(file, page)?;
            }
            let names: Vec<String> = files.iter().map(|f| f.display().to_string()).collect();
            done(format!(
                "{} {} · {}",
                chosen.len(),
                wo_text(io.locale).labels_print_100.to_owned(),
                names.join(", ")
            ))
        }
    })
}

/// "~/fotos/x.jpg" as typed in a prompt.
pub(crate) fn expand_home(path: &std::path::Path) -> PathBuf {
    match (path.strip_prefix("~"), std::env::var_os("HOME")) {
        (Ok(rest), Some(home)) => PathBuf::from(home).join(rest),
        _ => path.to_owned(),
    }
}
