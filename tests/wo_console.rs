//! The Work-orders pane in the console loop on the demo hospital (real redb file, worker thread,
//! the services underneath): the order list and its filters, a new order keyed in a form, started,
//! booked with a part and labor and closed, with the stock and the cost posted checked in the
//! database; an order opened from a Telemetry alert with one key, closed resolving the alert;
//! inventory, plans, assets and KPIs from the keyboard.

mod common;

use common::console::Console;
use common::d;
use opsdeck::site::demo;
use opsdeck::site::paths::SiteDir;
use opsdeck_storage::records::alert::{Alert, AlertStatus};
use opsdeck_storage::records::device::Device;
use opsdeck_storage::records::inventory::Item;
use opsdeck_storage::records::rule::Severity;
use opsdeck_storage::records::work_order::{WoStatus, WorkOrder};
use opsdeck_views::state::PaneId;
use opsdeck_views::state::wo::{StatusFilter, WoView};
use ratatui::crossterm::event::KeyCode;

fn tz() -> jiff::tz::TimeZone {
    jiff::tz::TimeZone::get("America/Sao_Paulo").unwrap()
}

fn tenant(dir: &std::path::Path) -> std::sync::Arc<opsdeck_storage::Tenant> {
    let site = demo::open_or_load(&SiteDir::new(dir)).unwrap();
    site.tenant("hospital").unwrap().0
}

/// The record `key` as stored now (read through a second handle, like another console).
fn record<T: opsdeck_storage::Record>(dir: &std::path::Path, key: &str) -> T {
    tenant(dir).get::<T>(key).unwrap().unwrap().value
}

fn order(dir: &std::path::Path, id: u64) -> WorkOrder {
    record(dir, &WorkOrder::key(id))
}

/// Moves the open form's focus to `key`.
fn focus(c: &mut Console, key: &str) {
    for _ in 0..20 {
        let f = c.app.shell.wo.form.as_ref().expect("a form");
        if f.fields[f.focused].key == key {
            return;
        }
        c.key(KeyCode::Down);
    }
    panic!("no field {key}");
}

fn page_id(c: &Console) -> Option<u64> {
    c.app.shell.wo.order.as_ref().map(|o| o.row.id)
}

#[test]
fn filters_narrow_the_list_and_a_new_order_is_started_booked_and_closed() {
    let dir = tempfile::tempdir().unwrap();
    let (mut c, _held) = Console::start(dir.path(), None);
    // The console opens on the work orders of the demo hospital.
    assert_eq!(c.app.shell.pane, PaneId::WorkOrders);
    c.until("the order list", |a| {
        a.shell.wo.loaded && !a.shell.wo.orders.is_empty()
    });
    let p = &c.app.shell.wo;
    assert!(p.kpis.backlog > 0, "the demo has a backlog: {:?}", p.kpis);
    // PM compliance counts what came due this month up to now: on the 1st, possibly nothing.
    let t = tenant(dir.path());
    let orders: Vec<WorkOrder> = t
        .list::<WorkOrder>()
        .unwrap()
        .into_iter()
        .map(|v| v.value)
        .collect();
    let now = opsdeck_storage::clock::now();
    let month = now
        .to_zoned(tz())
        .date()
        .first_of_month()
        .to_zoned(tz())
        .unwrap()
        .timestamp();
    let due = opsdeck::domain::cmms::kpi::pm_compliance(&orders, month, now);
    assert_eq!(
        (p.kpis.pm_due, p.kpis.pm_done),
        (due.due, due.done_on_time),
        "the pane's PM compliance is the stored orders' due this month so far"
    );
    assert_eq!(
        p.visible_orders().len(),
        p.kpis.backlog,
        "active = the backlog"
    );

    // s cycles the status filter; O keeps the overdue ones.
    c.key(KeyCode::Char('s'));
    assert_eq!(c.app.shell.wo.filter.status, StatusFilter::Open);
    assert!(
        c.app
            .shell
            .wo
            .visible_orders()
            .iter()
            .all(|o| o.status == "open")
    );
    c.key(KeyCode::Char('O'));
    let overdue = c.app.shell.wo.visible_orders().len();
    assert_eq!(
        overdue,
        c.app
            .shell
            .wo
            .orders
            .iter()
            .filter(|o| o.overdue && o.status == "open")
            .count()
    );
    // The filter form sets everything at once: back to active orders of every type.
    c.key(KeyCode::Char('f'));
    focus(&mut c, "status");
    c.key(KeyCode::Left); // open -> active
    focus(&mut c, "overdue");
    c.key(KeyCode::Char(' ')); // yes -> no
    c.key(KeyCode::Enter);
    assert!(c.app.shell.wo.form.is_none());
    assert_eq!(c.app.shell.wo.filter.status, StatusFilter::Active);
    assert!(!c.app.shell.wo.filter.overdue_only);

    // A new corrective order, keyed in the form.
    c.key(KeyCode::Char('n'));
    assert!(c.screen().contains("Nova ordem"), "{}", c.screen());
    c.typ("Vazamento na bandeja do fan coil");
    focus(&mut c, "asset");
    c.typ("no-such-tag");
    c.key(KeyCode::Enter);
    c.until("the asset refused on its field", |a| {
        a.shell.wo.form.as_ref().is_some_and(|f| {
            f.fields
                .iter()
                .any(|x| x.key == "asset" && x.error.is_some())
        })
    });
    let f = c.app.shell.wo.form.as_ref().unwrap();
    assert_eq!(
        f.fields[0].value, "Vazamento na bandeja do fan coil",
        "typed text kept"
    );
    focus(&mut c, "asset");
    c.ctrl('u');
    c.typ("CF-FARM-01");
    focus(&mut c, "due");
    c.typ("31/12/2026");
    c.key(KeyCode::Enter);
    c.until("the new order's page", |a| {
        a.shell.wo.view == WoView::Order
            && a.shell
                .wo
                .order
                .as_ref()
                .is_some_and(|o| o.row.title.starts_with("Vazamento"))
    });
    let id = page_id(&c).unwrap();
    let o = order(dir.path(), id);
    assert_eq!(o.asset.as_deref(), Some("CF-FARM-01"));
    assert_eq!(o.status, WoStatus::Open);
    assert!(o.due.is_some());

    // Start it, issue two filters from stock and book labor: the page shows the cost.
    c.key(KeyCode::Char('b'));
    c.until("in progress", |a| page_status_is(a, "in_progress"));
    let item_before = record::<Item>(dir.path(), "FLT-G4-592-592");
    let stock_before = item_before.on_hand();
    // The demo's receipts averaged the filter's cost; the order is charged that.
    let expected = d("2") * item_before.unit_cost + d("1.5") * d("80");
    c.key(KeyCode::Char('P'));
    c.typ("flt-g4-592-592");
    focus(&mut c, "qty");
    c.ctrl('u');
    c.typ("2");
    c.key(KeyCode::Enter);
    c.until("the part on the page", |a| {
        a.shell
            .wo
            .order
            .as_ref()
            .is_some_and(|o| o.parts.len() == 1)
            && a.shell.wo.form.is_none()
    });
    // A typo is named on its field and the form keeps what was typed.
    c.key(KeyCode::Char('L'));
    focus(&mut c, "hours");
    c.typ("uma e meia");
    focus(&mut c, "rate");
    c.typ("80");
    c.key(KeyCode::Enter);
    let f = c
        .app
        .shell
        .wo
        .form
        .as_ref()
        .expect("the labor form stays open");
    let hours = f.fields.iter().find(|x| x.key == "hours").unwrap();
    assert!(hours.error.is_some() && hours.value == "uma e meia");
    focus(&mut c, "hours");
    c.ctrl('u');
    c.typ("1,5");
    c.key(KeyCode::Enter);
    c.until("the labor on the page", |a| {
        a.shell
            .wo
            .order
            .as_ref()
            .is_some_and(|o| o.labor.len() == 1)
    });
    let page = c.app.shell.wo.order.as_ref().unwrap();
    let shown = opsdeck_views::i18n::Locale::PtBr.money(expected);
    assert_eq!(
        page.cost_total, shown,
        "2 filters at their cost + 1,5 h × R$ 80,00"
    );
    assert!(c.screen().contains(&shown), "{}", c.screen());

    // Close it with what was done.
    c.key(KeyCode::Char('c'));
    c.typ("bandeja limpa e filtros trocados");
    c.key(KeyCode::Enter);
    c.until("done", |a| page_status_is(a, "done"));
    let o = order(dir.path(), id);
    assert_eq!(o.status, WoStatus::Done);
    assert_eq!(o.cost(), expected);
    let stock_after = record::<Item>(dir.path(), "FLT-G4-592-592").on_hand();
    assert_eq!(stock_before - stock_after, d("2"));
    // A closed order takes no more bookings: the refusal shows, nothing is written.
    c.key(KeyCode::Char('$'));
    c.typ("Guindaste");
    focus(&mut c, "amount");
    c.typ("500");
    c.key(KeyCode::Enter);
    c.until("the refusal", |a| {
        a.shell.wo.form.as_ref().is_some_and(|f| {
            f.message
                .as_deref()
                .is_some_and(|m| m.contains("ordem fechada"))
                || f.fields.iter().any(|x| {
                    x.error
                        .as_deref()
                        .is_some_and(|e| e.contains("ordem fechada"))
                })
        })
    });
    assert!(order(dir.path(), id).services.is_empty());
    c.key(KeyCode::Esc);
    c.key(KeyCode::Char('s'));
    assert!(c.app.shell.wo.form.is_none(), "discarded");

    // Esc goes back to the list, on the same order.
    c.key(KeyCode::Esc);
    assert_eq!(c.app.shell.wo.view, WoView::Orders);
}

fn page_status_is(a: &opsdeck::app::App, s: &str) -> bool {
    a.shell.wo.order.as_ref().is_some_and(|o| o.row.status == s)
}

/// An open critical alert on the vaccine cold room's sensor, as the engine writes one.
fn raise_alert(dir: &std::path::Path) -> String {
    let t = tenant(dir);
    let id = 9_001;
    let key = Alert::key(id);
    t.write("engine", |tx| {
        if tx.get::<Device>("CR-03")?.is_none() {
            let mut dev = Device::first_seen("CR-03", opsdeck_storage::clock::now());
            dev.asset = "CF-VAC-01".into();
            tx.insert("CR-03", dev)?;
        }
        tx.insert(
            &key,
            Alert {
                id,
                rule: "camara-fria-acima-de-8".into(),
                device: "CR-03".into(),
                severity: Severity::Critical,
                status: AlertStatus::Open,
                raised_at: opsdeck_storage::clock::now(),
                value: Some(9.4),
                message: "Câmara fria vacinas 9,4 °C acima de 8 °C".into(),
                last_value: Some(9.6),
                acked_by: None,
                acked_at: None,
                resolved_at: None,
                resolved_by: None,
                resolve_note: String::new(),
                reopened: 0,
            },
        )?;
        Ok(())
    })
    .unwrap();
    key
}

#[test]
fn one_key_on_an_alert_opens_a_predictive_order_that_closes_resolving_it() {
    let dir = tempfile::tempdir().unwrap();
    let (mut c, _held) = Console::start(dir.path(), None);
    let key = raise_alert(dir.path());
    c.key(KeyCode::Char('2'));
    c.key(KeyCode::Char('v'));
    c.until("the alert listed", |a| {
        a.shell.telemetry.alerts.iter().any(|x| x.id == 9_001)
    });
    let pos = c
        .app
        .shell
        .telemetry
        .visible_alerts()
        .iter()
        .position(|x| x.id == 9_001)
        .unwrap();
    c.app.shell.telemetry.alert_list.selected = pos;
    c.key(KeyCode::Char('o'));
    c.until("the order page of the alert", |a| {
        a.shell.pane == PaneId::WorkOrders
            && a.shell.wo.order.as_ref().is_some_and(|o| o.alert.is_some())
    });
    let page = c.app.shell.wo.order.as_ref().unwrap();
    assert_eq!(page.row.kind, "predictive");
    assert_eq!(page.row.priority, "urgent", "critical alert");
    assert_eq!(page.row.asset, "CF-VAC-01");
    assert!(
        page.evidence
            .iter()
            .any(|e| e.name.starts_with("leituras-CR-03")),
        "{:?}",
        page.evidence
    );
    let id = page.row.id;
    let o = order(dir.path(), id);
    assert_eq!(o.alert.as_deref(), Some(key.as_str()));

    // The same key again finds the same order.
    c.key(KeyCode::Char('2'));
    c.key(KeyCode::Char('o'));
    c.until("back on the order", |a| {
        a.shell.pane == PaneId::WorkOrders && a.shell.wo.order.is_some()
    });
    assert_eq!(page_id(&c), Some(id));
    assert_eq!(
        tenant(dir.path())
            .list::<WorkOrder>()
            .unwrap()
            .iter()
            .filter(|w| w.value.alert.as_deref() == Some(key.as_str()))
            .count(),
        1
    );

    // Start, record downtime, close: the form offers to resolve the alert.
    c.key(KeyCode::Char('b'));
    c.until("in progress", |a| page_status_is(a, "in_progress"));
    // D asks since when; for an alert's order it proposes when the alert was raised.
    c.key(KeyCode::Char('D'));
    let f = c.app.shell.wo.form.as_ref().expect("the downtime form");
    assert_eq!(f.fields[0].key, "when");
    c.key(KeyCode::Enter);
    c.until("the asset down", |a| {
        a.shell.wo.order.as_ref().is_some_and(|o| o.down_now)
    });
    let raised = record::<Alert>(dir.path(), &key).raised_at;
    let from = order(dir.path(), id).downtime[0].from;
    assert!(
        (from - raised).get_seconds().abs() < 60,
        "down from the alert's minute: {from} vs {raised}"
    );
    c.key(KeyCode::Char('c'));
    let f = c.app.shell.wo.form.as_ref().unwrap();
    assert!(
        f.fields
            .iter()
            .any(|x| x.key == "resolve" && x.value == "sim")
    );
    c.typ("porta da câmara regulada; temperatura de volta a 5 °C");
    c.key(KeyCode::Enter);
    c.until("done", |a| page_status_is(a, "done"));
    let t = tenant(dir.path());
    let alert = t.get::<Alert>(&key).unwrap().unwrap().value;
    assert!(!alert.is_open(), "the alert was resolved with the order");
    let o = order(dir.path(), id);
    assert!(
        o.downtime.iter().all(|w| w.to.is_some()),
        "closing ends the downtime"
    );
}

#[test]
fn inventory_plans_assets_and_kpis_from_the_keyboard() {
    let dir = tempfile::tempdir().unwrap();
    let (mut c, _held) = Console::start(dir.path(), None);
    c.until("loaded", |a| {
        a.shell.wo.loaded && !a.shell.wo.items.is_empty()
    });

    // Inventory: below-minimum items flagged; a count that would go below zero is refused.
    c.key(KeyCode::Char('i'));
    assert_eq!(c.app.shell.wo.view, WoView::Inventory);
    // What the history always leaves below minimum (the F8 bag filters too on some days: they
    // are changed only above 250 Pa, and the readings follow the date).
    let below: Vec<&str> = c
        .app
        .shell
        .wo
        .items
        .iter()
        .filter(|i| i.below_min)
        .map(|i| i.code.as_str())
        .collect();
    for code in [
        "CORREIA-A52",
        "GAS-R134A",
        "GAXETA-CAMARA",
        "OLEO-POE-CHILLER",
        "SELO-KSB-MEGANORM",
    ] {
        assert!(below.contains(&code), "{code} not below minimum: {below:?}");
    }
    assert!(below.len() <= 6, "{below:?}");
    c.key(KeyCode::Char('/'));
    c.typ("FLT-G4-592-592");
    c.key(KeyCode::Enter);
    c.key(KeyCode::Char('R'));
    c.typ("-100000");
    focus(&mut c, "reason");
    c.typ("contagem");
    c.key(KeyCode::Enter);
    c.until("the refusal on the form", |a| {
        a.shell
            .wo
            .form
            .as_ref()
            .is_some_and(|f| f.message.is_some() || f.fields.iter().any(|x| x.error.is_some()))
    });
    c.key(KeyCode::Esc);
    c.key(KeyCode::Char('s'));
    // Receive 10 at a new cost: the row shows the new stock.
    let before = c.app.shell.wo.selected_item().unwrap().on_hand.clone();
    c.key(KeyCode::Char('r'));
    c.typ("10");
    c.key(KeyCode::Enter);
    c.until("received", |a| {
        a.shell.wo.form.is_none()
            && a.shell
                .wo
                .selected_item()
                .is_some_and(|i| i.on_hand != before)
    });
    assert_eq!(
        c.app.shell.wo.selected_item().unwrap().moves[0].kind,
        "receive"
    );

    // Plans: space pauses the selected plan, space again resumes it.
    c.key(KeyCode::Char('p'));
    c.until("plans", |a| !a.shell.wo.plans.is_empty());
    let code = c.app.shell.wo.selected_plan().unwrap().code.clone();
    c.key(KeyCode::Char(' '));
    c.until("paused", |a| {
        a.shell.wo.plans.iter().any(|p| p.code == code && !p.active)
    });
    c.key(KeyCode::Char(' '));
    c.until("resumed", |a| {
        a.shell.wo.plans.iter().any(|p| p.code == code && p.active)
    });

    // Assets: the vaccine cold room's page with its QR code, orders and sensor.
    c.key(KeyCode::Char('a'));
    c.key(KeyCode::Char('/'));
    c.typ("CF-VAC");
    c.key(KeyCode::Enter);
    c.key(KeyCode::Enter);
    c.until("the asset page", |a| a.shell.wo.asset.is_some());
    let a = c.app.shell.wo.asset.as_ref().unwrap();
    assert_eq!(a.row.tag, "CF-VAC-01");
    assert!(!a.qr.is_empty() && a.qr_text.ends_with("asset:CF-VAC-01"));
    assert!(a.sensors.iter().any(|s| s.device == "CR-03"));
    c.key(KeyCode::Char('Q'));
    assert!(c.app.shell.wo.show_qr);
    c.key(KeyCode::Esc);
    assert!(!c.app.shell.wo.show_qr);
    // n on the asset page opens an order for it.
    c.key(KeyCode::Char('n'));
    let f = c.app.shell.wo.form.as_ref().unwrap();
    assert_eq!(
        f.fields.iter().find(|x| x.key == "asset").unwrap().value,
        "CF-VAC-01"
    );
    c.key(KeyCode::Esc);

    // KPIs: the chiller trips of the demo give CAG-CH-02 its MTTR.
    c.key(KeyCode::Char('K'));
    let k = &c.app.shell.wo.kpis;
    let ch = k
        .rows
        .iter()
        .find(|r| r.asset == "CAG-CH-02")
        .expect("CAG-CH-02 in the KPIs");
    assert!(ch.failures > 0 && ch.mttr != "—", "{ch:?}");
    assert!(c.screen().contains("CAG-CH-02"), "{}", c.screen());
}

#[test]
fn a_checklist_is_answered_a_file_attached_a_plan_created_and_the_list_exported() {
    let dir = tempfile::tempdir().unwrap();
    let (mut c, _held) = Console::start(dir.path(), None);
    let out = tempfile::tempdir().unwrap();
    c.app.export_dir = out.path().to_owned();
    c.until("loaded", |a| {
        a.shell.wo.loaded && !a.shell.wo.orders.is_empty()
    });

    // An open preventive order with a checklist: start it, answer the first item.
    let id = c
        .app
        .shell
        .wo
        .visible_orders()
        .iter()
        .find(|o| o.kind == "preventive" && o.status == "open" && o.checklist.1 > 0)
        .map(|o| o.id)
        .expect("an open preventive order");
    let pos = c
        .app
        .shell
        .wo
        .visible_orders()
        .iter()
        .position(|o| o.id == id)
        .unwrap();
    c.app.shell.wo.order_list.selected = pos;
    c.key(KeyCode::Enter);
    c.until("its page", |a| page_id_is(a, id));
    c.key(KeyCode::Char('b'));
    c.until("in progress", |a| page_status_is(a, "in_progress"));
    let first = order(dir.path(), id).checklist[0].item.kind.clone();
    c.key(KeyCode::Char(' '));
    assert!(c.app.shell.wo.form.is_some(), "the answer form");
    match first {
        opsdeck_storage::records::work_order::ItemKind::PassFail => {
            c.key(KeyCode::Right); // ok -> falha
        }
        opsdeck_storage::records::work_order::ItemKind::Value { .. } => {
            c.typ("12,5");
        }
    }
    focus(&mut c, "note");
    c.typ("medido na visita");
    c.key(KeyCode::Enter);
    c.until("answered", |a| {
        a.shell
            .wo
            .order
            .as_ref()
            .is_some_and(|o| o.checklist[0].result.is_some())
    });
    let o = order(dir.path(), id);
    assert_eq!(o.checklist[0].note, "medido na visita");
    assert!(o.checklist[0].result.is_some());
    // Completing with required items open is refused, naming the item; nothing changes.
    c.key(KeyCode::Char('c'));
    c.typ("feito");
    c.key(KeyCode::Enter);
    c.until("the refusal", |a| {
        a.shell
            .wo
            .form
            .as_ref()
            .is_some_and(|f| f.message.is_some() || f.fields.iter().any(|x| x.error.is_some()))
    });
    assert_eq!(order(dir.path(), id).status, WoStatus::InProgress);
    c.key(KeyCode::Esc);
    c.key(KeyCode::Char('s'));

    // A photo attached by path: stored under its SHA-256, shown on the page.
    let photo = out.path().join("condensador.jpg");
    std::fs::write(&photo, b"\xff\xd8\xff fake jpeg bytes").unwrap();
    c.key(KeyCode::Char('A'));
    c.typ(photo.to_str().unwrap());
    c.key(KeyCode::Enter);
    c.until("the evidence on the page", |a| {
        a.shell
            .wo
            .order
            .as_ref()
            .is_some_and(|o| o.evidence.iter().any(|e| e.name == "condensador.jpg"))
    });
    let ev = order(dir.path(), id)
        .evidence
        .iter()
        .find(|e| e.name == "condensador.jpg")
        .cloned()
        .unwrap();
    let stored = opsdeck::domain::cmms::evidence::path_of(
        &SiteDir::new(dir.path()).evidence_dir("hospital"),
        &ev.sha256,
    )
    .unwrap();
    assert_eq!(
        std::fs::read(stored).unwrap(),
        std::fs::read(&photo).unwrap()
    );
    // A path that does not exist is named in the prompt, which keeps it.
    c.key(KeyCode::Char('A'));
    c.typ("/nao/existe.jpg");
    c.key(KeyCode::Enter);
    c.until("the prompt's error", |a| {
        a.shell
            .wo
            .prompt
            .as_ref()
            .is_some_and(|p| p.error.is_some() && p.input == "/nao/existe.jpg")
    });
    c.key(KeyCode::Esc);

    // A new calendar plan from the plans view, then edited.
    c.key(KeyCode::Esc);
    c.key(KeyCode::Char('p'));
    c.key(KeyCode::Char('n'));
    assert!(c.app.shell.wo.form.is_some());
    c.typ("PM-EXA-TRIM");
    focus(&mut c, "name");
    c.typ("Exaustor — inspeção trimestral");
    focus(&mut c, "assets");
    c.typ("cag-exa-01");
    focus(&mut c, "every");
    c.ctrl('u');
    c.typ("3");
    c.key(KeyCode::Enter);
    c.until("the new plan listed", |a| {
        a.shell.wo.form.is_none() && a.shell.wo.plans.iter().any(|p| p.code == "PM-EXA-TRIM")
    });
    let plan = record::<opsdeck_storage::records::pm_plan::PmPlan>(dir.path(), "PM-EXA-TRIM");
    assert_eq!(plan.assets, ["CAG-EXA-01"]);
    assert!(
        plan.schedule.describe().starts_with("every 3 months"),
        "{}",
        plan.schedule.describe()
    );
    let pos = c
        .app
        .shell
        .wo
        .visible_plans()
        .iter()
        .position(|p| p.code == "PM-EXA-TRIM")
        .unwrap();
    c.app.shell.wo.plan_list.selected = pos;
    c.key(KeyCode::Char('e'));
    focus(&mut c, "lead_days");
    c.ctrl('u');
    c.typ("quatorze");
    c.key(KeyCode::Enter);
    let f = c.app.shell.wo.form.as_ref().expect("kept open");
    assert!(
        f.fields
            .iter()
            .any(|x| x.key == "lead_days" && x.error.is_some() && x.value == "quatorze")
    );
    focus(&mut c, "lead_days");
    c.ctrl('u');
    c.typ("14");
    c.key(KeyCode::Enter);
    c.until("saved", |a| a.shell.wo.form.is_none());
    c.until("the edit stored", |_| {
        tenant(dir.path())
            .get::<opsdeck_storage::records::pm_plan::PmPlan>("PM-EXA-TRIM")
            .unwrap()
            .is_some_and(|p| p.value.lead_days == 14)
    });

    // x on the orders writes the workbook and the CSV files where the console was started.
    c.key(KeyCode::Char('o'));
    c.key(KeyCode::Char('x'));
    c.until("the export written", |a| {
        a.shell
            .status
            .notice
            .as_deref()
            .is_some_and(|n| n.contains(".xlsx"))
    });
    let names: Vec<String> = std::fs::read_dir(out.path())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    let xlsx = names
        .iter()
        .find(|n| n.ends_with(".xlsx"))
        .expect("an xlsx");
    assert!(
        names.iter().filter(|n| n.ends_with(".csv")).count() == 2,
        "{names:?}"
    );
    use calamine::Reader;
    let mut book: calamine::Xlsx<_> = calamine::open_workbook(out.path().join(xlsx)).unwrap();
    let sheets = book.sheet_names().to_vec();
    assert_eq!(sheets.len(), 2, "{sheets:?}");
    let orders = book.worksheet_range(&sheets[0]).unwrap();
    // Header, the active orders, the totals row.
    let active = c
        .app
        .shell
        .wo
        .orders
        .iter()
        .filter(|o| !matches!(o.status.as_str(), "done" | "cancelled"))
        .count();
    assert_eq!(orders.height(), active + 2, "{names:?}");
}

fn page_id_is(a: &opsdeck::app::App, id: u64) -> bool {
    a.shell.wo.order.as_ref().is_some_and(|o| o.row.id == id)
}

#[test]
fn a_double_enter_writes_once_and_a_conflict_keeps_the_text_and_applies_on_enter() {
    use opsdeck::app::Msg;
    use ratatui::crossterm::event::{KeyEvent, KeyModifiers};
    let dir = tempfile::tempdir().unwrap();
    let (mut c, _held) = Console::start(dir.path(), None);
    c.until("loaded", |a| a.shell.wo.loaded);
    let before = tenant(dir.path()).list::<WorkOrder>().unwrap().len();

    // Two Enters in a row on a slow link: one order.
    c.key(KeyCode::Char('n'));
    c.typ("Ruído no fan coil do quarto 204");
    let enter = || Msg::Key(KeyEvent::new(KeyCode::Enter, KeyModifiers::NONE));
    c.tx.send(enter()).unwrap();
    c.tx.send(enter()).unwrap();
    c.until("the new order's page", |a| {
        a.shell.wo.form.is_none()
            && a.shell
                .wo
                .order
                .as_ref()
                .is_some_and(|o| o.row.title.starts_with("Ruído"))
    });
    c.pump(std::time::Duration::from_millis(300));
    assert_eq!(
        tenant(dir.path()).list::<WorkOrder>().unwrap().len(),
        before + 1
    );
    let id = page_id(&c).unwrap();

    // Someone else notes the order meanwhile (another console, no reload here yet).
    let t = tenant(dir.path());
    opsdeck::domain::cmms::work_orders::add_note(
        &t,
        "root",
        opsdeck::domain::cmms::work_orders::OrderRef::now(id),
        "peça pedida ao fornecedor",
    )
    .unwrap();
    c.key(KeyCode::Char('m'));
    c.typ("ventilador desbalanceado");
    c.key(KeyCode::Enter);
    c.until("the conflict named in the prompt", |a| {
        a.shell.wo.prompt.as_ref().is_some_and(|p| {
            p.error
                .as_deref()
                .is_some_and(|e| e.contains("alterada por"))
                && p.input == "ventilador desbalanceado"
        })
    });
    // Enter again applies it over the current order: both notes are kept.
    c.key(KeyCode::Enter);
    c.until("the prompt closed", |a| a.shell.wo.prompt.is_none());
    let notes: Vec<String> = order(dir.path(), id)
        .notes
        .into_iter()
        .map(|n| n.text)
        .collect();
    assert_eq!(
        notes,
        ["peça pedida ao fornecedor", "ventilador desbalanceado"]
    );

    // Esc on a prompt with text asks before throwing it away.
    c.key(KeyCode::Char('h'));
    c.typ("aguardando peça");
    c.key(KeyCode::Esc);
    assert!(
        c.app
            .shell
            .wo
            .prompt
            .as_ref()
            .is_some_and(|p| p.input == "aguardando peça")
    );
    c.key(KeyCode::Esc);
    assert!(c.app.shell.wo.prompt.is_none());
}

#[test]
fn an_asset_is_created_and_edited_from_the_asset_list() {
    let dir = tempfile::tempdir().unwrap();
    let (mut c, _held) = Console::start(dir.path(), None);
    c.until("loaded", |a| {
        a.shell.wo.loaded && !a.shell.wo.assets.is_empty()
    });
    c.key(KeyCode::Char('a'));
    c.key(KeyCode::Char('n'));
    assert!(c.screen().contains("Novo ativo"), "{}", c.screen());
    c.typ("torre 1!");
    focus(&mut c, "name");
    c.typ("Torre de resfriamento 1");
    c.key(KeyCode::Enter);
    c.until("the tag refused on its field", |a| {
        a.shell
            .wo
            .form
            .as_ref()
            .is_some_and(|f| f.fields.iter().any(|x| x.key == "tag" && x.error.is_some()))
    });
    focus(&mut c, "tag");
    c.ctrl('u');
    c.typ("cag-tr-01");
    focus(&mut c, "sensors");
    c.typ("TR-01-VIB, TR-01-TEMP");
    c.key(KeyCode::Enter);
    c.until("the asset listed", |a| {
        a.shell.wo.form.is_none() && a.shell.wo.assets.iter().any(|x| x.tag == "CAG-TR-01")
    });
    let stored = record::<opsdeck_storage::records::asset::Asset>(dir.path(), "CAG-TR-01");
    assert_eq!(stored.name, "Torre de resfriamento 1");
    assert_eq!(
        stored.sensors,
        ["TR-01-VIB", "TR-01-TEMP"],
        "linked on save"
    );
    assert!(
        !stored.site.is_empty(),
        "the site defaults to the selected asset's"
    );

    // e on the asset's page edits it.
    let pos = c
        .app
        .shell
        .wo
        .visible_assets()
        .iter()
        .position(|x| x.tag == "CAG-TR-01")
        .unwrap();
    c.app.shell.wo.asset_list.selected = pos;
    c.key(KeyCode::Enter);
    c.until("its page", |a| {
        a.shell
            .wo
            .asset
            .as_ref()
            .is_some_and(|x| x.row.tag == "CAG-TR-01")
    });
    c.key(KeyCode::Char('e'));
    focus(&mut c, "make");
    c.typ("Alpina");
    focus(&mut c, "criticality");
    c.key(KeyCode::Right);
    focus(&mut c, "sensors");
    c.ctrl('u');
    c.typ("TR-01-VIB");
    c.key(KeyCode::Enter);
    c.until("saved", |a| a.shell.wo.form.is_none());
    let stored = record::<opsdeck_storage::records::asset::Asset>(dir.path(), "CAG-TR-01");
    assert_eq!(stored.make, "Alpina");
    assert_eq!(stored.sensors, ["TR-01-VIB"], "the other one unlinked");
    assert_eq!(
        stored.criticality,
        opsdeck_storage::records::asset::Criticality::High
    );
}

#[test]
fn a_note_found_by_the_global_search_opens_its_order() {
    let dir = tempfile::tempdir().unwrap();
    let (mut c, _held) = Console::start(dir.path(), None);
    c.ctrl('f');
    // The demo's vibration order has "rotor desbalanceado" in a note; the indexer catches up
    // within a second or two, so retype until the hit shows.
    c.typ("desbalanceado");
    let end = std::time::Instant::now() + std::time::Duration::from_secs(20);
    while !c
        .app
        .shell
        .search
        .hits
        .iter()
        .any(|h| h.kind == "work_order")
    {
        assert!(std::time::Instant::now() < end, "no hit:\n{}", c.screen());
        c.key(KeyCode::Backspace);
        c.typ("o");
        c.pump(std::time::Duration::from_millis(300));
    }
    let pos = c
        .app
        .shell
        .search
        .visible()
        .iter()
        .position(|h| h.kind == "work_order")
        .unwrap();
    let id: u64 = c.app.shell.search.visible()[pos].key.parse().unwrap();
    c.key(KeyCode::Enter); // leave the query line
    for _ in 0..pos {
        c.key(KeyCode::Char('j'));
    }
    c.key(KeyCode::Enter);
    c.until("the order's page", |a| {
        a.shell.pane == PaneId::WorkOrders && page_id_is(a, id)
    });
    let o = order(dir.path(), id);
    assert!(o.notes.iter().any(|n| n.text.contains("desbalanceado")));
}
