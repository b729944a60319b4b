//! The Gas pane in the console loop on the demo site (tenant "ceramica", real redb file and
//! worker thread): keying a day, plans typed and pasted and approved, a rate changed with its
//! history, the Petrobras export, and the notification list.

mod common;

use common::console::Console;
use common::d;
use opsdeck::app::Msg;
use opsdeck::site::demo;
use opsdeck::site::paths::SiteDir;
use opsdeck_storage::records::gas::{DailyEntry, DailyPlan, GasUnit, day_key};
use opsdeck_storage::records::user::Role;
use opsdeck_views::state::Overlay;
use opsdeck_views::state::gas::{EntryValue, GasView, QdsPreview};
use ratatui::crossterm::event::KeyCode;
use rust_decimal::Decimal;

fn qds(c: &Console) -> Option<Decimal> {
    match c.app.shell.gas.entry.as_ref().map(|e| &e.qds) {
        Some(QdsPreview::Calculated { effective, .. }) => Some(*effective),
        _ => None,
    }
}

fn focus(c: &mut Console, key: &str) {
    for _ in 0..20 {
        let e = c.app.shell.gas.entry.as_ref().expect("entry form");
        if e.fields[e.focused].key == key {
            return;
        }
        c.key(KeyCode::Down);
    }
    panic!("no field {key}");
}

/// Moves the month grid's cursor to `day` with j/k.
fn select_day(c: &mut Console, day: jiff::civil::Date) {
    for _ in 0..62 {
        let m = c.app.shell.gas.month.as_ref().expect("a month grid");
        let at = m.rows[c.app.shell.gas.month_list.selected].date;
        if at == day {
            return;
        }
        c.key(KeyCode::Char(if at < day { 'j' } else { 'k' }));
    }
    panic!("no row for {day} in the month grid");
}

fn tenant(dir: &std::path::Path) -> std::sync::Arc<opsdeck_storage::Tenant> {
    let site = demo::open_or_load(&SiteDir::new(dir)).unwrap();
    site.tenant("ceramica").unwrap().0
}

#[test]
fn keying_todays_criciuma_entry_updates_qds_on_every_key_and_shows_in_the_month() {
    let dir = tempfile::tempdir().unwrap();
    let (mut c, _held) = Console::start_in(dir.path(), Some("ceramica"), None);
    c.key(KeyCode::Char('4'));
    c.until("today's entry form", |a| a.shell.gas.entry.is_some());
    let e = c.app.shell.gas.entry.as_ref().unwrap();
    // The demo admin is assigned to Criciúma; today has no entry yet.
    assert_eq!(e.unit.code, "CRI", "{}", c.screen());
    assert!(e.today && e.entered.is_none() && !e.editing);
    assert_eq!(qds(&c), Some(Decimal::ZERO));
    let keys: Vec<&str> = e.fields.iter().map(|f| f.key.as_str()).collect();
    assert_eq!(
        &keys[..4],
        [
            "atomizer_scheduled",
            "atomizer_hours",
            "lines.L0",
            "lines.L1"
        ]
    );
    assert!(keys.contains(&"lines.L7"));

    c.key(KeyCode::Enter);
    assert!(c.app.shell.gas.entry.as_ref().unwrap().editing);
    c.key(KeyCode::Char(' ')); // scheduled: yes
    focus(&mut c, "atomizer_hours");
    c.key(KeyCode::Backspace);
    c.typ("2");
    assert_eq!(qds(&c), Some(d("2700")), "1350 m³/h x 2 h");
    c.typ("0");
    assert_eq!(qds(&c), Some(d("27000")), "1350 m³/h x 20 h");
    focus(&mut c, "lines.L0");
    c.key(KeyCode::Char(' '));
    assert_eq!(qds(&c), Some(d("51000")), "+ L0 24.000 m³/d");
    focus(&mut c, "lines.L6");
    c.key(KeyCode::Char('s'));
    assert_eq!(qds(&c), Some(d("63500")), "+ L6 12.500 m³/d");
    // A typo is named on its field and the QDS says why it cannot compute.
    focus(&mut c, "atomizer_hours");
    c.typ("x");
    assert!(
        matches!(&c.app.shell.gas.entry.as_ref().unwrap().qds, QdsPreview::Invalid(w) if w.contains("20x")),
        "{}",
        c.screen()
    );
    c.key(KeyCode::Backspace);
    focus(&mut c, "observations");
    c.typ("forno 2 parado 4 h");
    assert!(c.app.shell.gas.entry.as_ref().unwrap().dirty);
    c.key(KeyCode::Enter);
    c.until("the entry saved", |a| {
        a.shell
            .gas
            .entry
            .as_ref()
            .is_some_and(|e| e.entered.is_some() && !e.editing && !e.dirty)
    });
    let notice = c.app.shell.status.notice.clone().unwrap_or_default();
    assert!(
        notice.contains("CRI") && notice.contains("63.500"),
        "{notice}"
    );

    let t = tenant(dir.path());
    let today = c.app.shell.gas.today.unwrap();
    let stored = t
        .get::<DailyEntry>(&day_key("CRI", today))
        .unwrap()
        .expect("stored");
    assert_eq!(stored.value.atomizer_hours, d("20"));
    assert!(stored.value.atomizer_scheduled);
    assert_eq!(stored.value.lines.get("L6"), Some(&true));
    assert_eq!(stored.value.lines.get("L1"), Some(&false));
    assert_eq!(stored.value.observations, "forno 2 parado 4 h");

    // The month grid of Criciúma shows the day, no longer missing.
    c.key(KeyCode::Char('m'));
    c.until("the month grid", |a| {
        a.shell
            .gas
            .month
            .as_ref()
            .is_some_and(|m| m.rows.iter().any(|r| r.date == today))
    });
    let m = c.app.shell.gas.month.as_ref().unwrap();
    let row = m.rows.iter().find(|r| r.date == today).unwrap();
    assert_eq!(row.qds, Some(d("63500")));
    assert!(row.missing.is_empty());
    assert_eq!(
        m.rows[c.app.shell.gas.month_list.selected].date, today,
        "the cursor starts on today"
    );
    // Consolidated: the other two units are still missing today.
    // Yesterday's QDR keyed by hand (the meter was down): stored as manual, shown at once.
    let yesterday = today.yesterday().unwrap();
    if today.day() == 1 {
        // Yesterday is last month's last day.
        c.key(KeyCode::Char('['));
        c.until("last month's grid", |a| {
            a.shell
                .gas
                .month
                .as_ref()
                .is_some_and(|m| m.rows.iter().any(|r| r.date == yesterday))
        });
        c.key(KeyCode::Char('G'));
    } else {
        c.key(KeyCode::Char('k'));
    }
    c.key(KeyCode::Char('r'));
    assert!(c.app.shell.gas.prompt.is_some(), "{}", c.screen());
    c.ctrl('u');
    c.typ("4l.000");
    c.key(KeyCode::Enter);
    let err = c
        .app
        .shell
        .gas
        .prompt
        .as_ref()
        .and_then(|p| p.error.clone());
    assert!(
        err.is_some_and(|e| e.contains("4l.000")),
        "a typo is refused in the prompt"
    );
    c.ctrl('u');
    c.typ("41.000");
    c.key(KeyCode::Enter);
    c.until("the manual QDR in the grid", |a| {
        a.shell.gas.prompt.is_none()
            && a.shell.gas.month.as_ref().is_some_and(|m| {
                m.rows.iter().any(|r| {
                    r.date == yesterday && r.qdr == Some(d("41000")) && r.qdr_source == "manual"
                })
            })
    });
    let qdr = t
        .get::<opsdeck_storage::records::gas::RealConsumption>(&day_key("CRI", yesterday))
        .unwrap()
        .unwrap();
    assert_eq!(
        qdr.value.source,
        opsdeck_storage::records::gas::QdrSource::Manual
    );
    if today.day() == 1 {
        c.key(KeyCode::Char(']'));
        c.until("this month's grid again", |a| {
            a.shell
                .gas
                .month
                .as_ref()
                .is_some_and(|m| m.rows.iter().any(|r| r.date == today))
        });
    }

    // BOT, CRI, URU, then all units consolidated.
    c.key(KeyCode::Char('u'));
    c.key(KeyCode::Char('u'));
    c.until("consolidated", |a| {
        a.shell.gas.month.as_ref().is_some_and(|m| m.unit.is_none())
    });
    let m = c.app.shell.gas.month.as_ref().unwrap();
    let row = m.rows.iter().find(|r| r.date == today).unwrap();
    assert_eq!(row.missing, ["BOT", "URU"]);
    assert!(row.qdc.is_some());

    // Enter on a consolidated day opens the first missing unit's entry, ready to type.
    select_day(&mut c, today);
    c.key(KeyCode::Enter);
    c.until("Botucatu's entry", |a| {
        a.shell
            .gas
            .entry
            .as_ref()
            .is_some_and(|e| e.unit.code == "BOT" && e.editing)
    });
    let keys: Vec<String> = c
        .app
        .shell
        .gas
        .entry
        .as_ref()
        .unwrap()
        .fields
        .iter()
        .map(|f| f.key.clone())
        .collect();
    assert!(
        keys.contains(&"secondary_hours".to_owned()) && keys.contains(&"lines.SEC2".to_owned()),
        "{keys:?}"
    );
    assert_eq!(c.app.shell.gas.view, GasView::Entry);
    // Esc on an untouched form leaves edit mode without asking.
    c.key(KeyCode::Esc);
    assert!(!c.app.shell.gas.entry.as_ref().unwrap().editing);
}

#[test]
fn edits_are_kept_across_a_reload_and_discarding_asks_first() {
    let dir = tempfile::tempdir().unwrap();
    let (mut c, _held) = Console::start_in(dir.path(), Some("ceramica"), None);
    c.key(KeyCode::Char('4'));
    c.until("entry", |a| a.shell.gas.entry.is_some());
    // Yesterday has an entry from the demo operators: it shows who entered it.
    c.key(KeyCode::Char('['));
    c.until("yesterday", |a| {
        a.shell
            .gas
            .entry
            .as_ref()
            .is_some_and(|e| !e.today && e.entered.is_some())
    });
    c.key(KeyCode::Char('e'));
    focus(&mut c, "observations");
    c.typ(" (revisado)");
    // A commit elsewhere reloads the pane: what was typed stays.
    c.app
        .handle(Msg::Reply(opsdeck::app::protocol::Reply::Changed {
            docs: 0,
        }));
    c.pump(std::time::Duration::from_millis(300));
    let e = c.app.shell.gas.entry.as_ref().unwrap();
    let obs = e.field("observations").unwrap();
    assert!(
        matches!(&obs.value, EntryValue::Text(t) if t.ends_with(" (revisado)")),
        "{obs:?}"
    );
    c.key(KeyCode::Esc);
    assert!(c.app.shell.gas.entry.as_ref().unwrap().confirm_discard);
    c.key(KeyCode::Char('n'));
    assert!(c.app.shell.gas.entry.as_ref().unwrap().editing);
    c.key(KeyCode::Esc);
    c.key(KeyCode::Char('s'));
    c.until("the stored day back", |a| {
        a.shell.gas.entry.as_ref().is_some_and(|e| {
            !e.editing
                && matches!(&e.field("observations").unwrap().value,
                    EntryValue::Text(t) if !t.ends_with(" (revisado)"))
        })
    });
}

#[test]
fn plans_are_typed_pasted_and_approved_and_a_bad_paste_saves_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let (mut c, _held) = Console::start_in(dir.path(), Some("ceramica"), None);
    c.key(KeyCode::Char('4'));
    c.until("entry", |a| a.shell.gas.entry.is_some());
    // Next month has no plans yet.
    c.key(KeyCode::Char('p'));
    c.until("plans", |a| a.shell.gas.plans.is_some());
    c.key(KeyCode::Char(']'));
    // From its 5th day on (the demo plans tomorrow, which may be next month's 1st).
    c.until("next month's plans", |a| {
        a.shell.gas.plans.as_ref().is_some_and(|p| {
            p.rows.len() > 20 && p.rows[4..].iter().all(|r| r.qdp.is_none()) && p.list.selected == 0
        })
    });
    for _ in 0..4 {
        c.key(KeyCode::Char('j'));
    }
    let first = c.app.shell.gas.plans.as_ref().unwrap().rows[4].date;
    c.key(KeyCode::Enter);
    c.typ("48.200");
    c.key(KeyCode::Enter);
    c.typ("49100");
    c.key(KeyCode::Enter);
    c.key(KeyCode::Esc);
    let t = tenant(dir.path());
    c.until("two plans stored", |_| {
        t.get::<DailyPlan>(&day_key("CRI", first.tomorrow().unwrap()))
            .unwrap()
            .is_some()
    });
    let p1 = t.get::<DailyPlan>(&day_key("CRI", first)).unwrap().unwrap();
    assert_eq!(p1.value.qdp, d("48200"));

    // A pasted column fills from the cursor; one bad line and nothing is saved.
    // The cursor moved on with each value: the paste starts on the 7th day.
    assert_eq!(c.app.shell.gas.plans.as_ref().unwrap().list.selected, 6);
    c.app.handle(Msg::Paste("50.000\nabc\n51.000\n".into()));
    let err = c.app.shell.gas.plans.as_ref().unwrap().error.clone();
    assert!(
        err.as_deref()
            .is_some_and(|e| e.contains("2") && e.contains("abc")),
        "{err:?}"
    );
    c.app
        .handle(Msg::Paste("50.000\n\n51.000\n52.000\n".into()));
    c.until("the pasted plans", |a| {
        a.shell.gas.plans.as_ref().is_some_and(|p| {
            p.rows[6..9].iter().map(|r| r.qdp).collect::<Vec<_>>()
                == [Some(d("50000")), Some(d("51000")), Some(d("52000"))]
        })
    });

    // Approving the month asks first, then every plan is approved by the admin.
    c.key(KeyCode::Char('A'));
    assert!(c.app.shell.gas.prompt.is_some(), "{}", c.screen());
    c.key(KeyCode::Char('s'));
    c.until("approved", |a| {
        a.shell.gas.plans.as_ref().is_some_and(|p| {
            p.rows
                .iter()
                .filter(|r| r.qdp.is_some())
                .all(|r| r.approved.is_some())
        })
    });
    let p1 = t.get::<DailyPlan>(&day_key("CRI", first)).unwrap().unwrap();
    assert!(p1.value.approved_by.is_some());
}

#[test]
fn an_admin_changes_a_rate_from_a_date_and_sees_the_history() {
    let dir = tempfile::tempdir().unwrap();
    let (mut c, _held) = Console::start_in(dir.path(), Some("ceramica"), None);
    c.key(KeyCode::Char('4'));
    c.until("entry", |a| a.shell.gas.entry.is_some());
    c.key(KeyCode::Char('c'));
    c.until("admin", |a| a.shell.gas.admin.is_some());
    // Units in code order (as in the Petrobras sheet): BOT, CRI, URU.
    let a = c.app.shell.gas.admin.as_ref().unwrap();
    let cri = a
        .equipment
        .iter()
        .position(|e| e.unit == "CRI" && e.code == "ATM")
        .unwrap();
    assert_eq!(a.equipment[cri].history.len(), 1);
    assert!(a.contracts.iter().any(|c| c.current));
    for _ in 0..cri {
        c.key(KeyCode::Char('j'));
    }
    c.key(KeyCode::Enter);
    assert!(c.app.shell.gas.form.is_some(), "{}", c.screen());
    // A bad date is refused on its field, and nothing typed is lost.
    c.ctrl('u');
    c.typ("31/02/2026");
    c.key(KeyCode::Down);
    c.ctrl('u');
    c.typ("1.400");
    c.key(KeyCode::Down);
    c.typ("bico novo");
    c.key(KeyCode::Enter);
    let f = c.app.shell.gas.form.as_ref().unwrap();
    assert!(
        f.fields[0]
            .error
            .as_deref()
            .is_some_and(|e| e.contains("não é uma data"))
    );
    assert_eq!(f.fields[2].value, "bico novo");
    c.ctrl('u');
    let today = c.app.shell.gas.today.unwrap();
    let tomorrow = today.tomorrow().unwrap();
    c.typ(&tomorrow.strftime("%d/%m/%Y").to_string());
    c.key(KeyCode::Enter);
    c.until("the new rate in the history", |a| {
        a.shell.gas.form.is_none()
            && a.shell
                .gas
                .admin
                .as_ref()
                .is_some_and(|x| x.equipment[cri].history.len() == 2)
    });
    let t = tenant(dir.path());
    let cri = t.get::<GasUnit>("CRI").unwrap().unwrap().value;
    let atm = cri.equipment("ATM").unwrap();
    assert_eq!(atm.rate_on(today), Some(d("1350")), "today keeps its rate");
    assert_eq!(atm.rate_on(tomorrow), Some(d("1400")));
    assert_eq!(atm.rates[1].note, "bico novo");
}

#[test]
fn the_petrobras_preview_exports_the_month_and_notifications_are_read() {
    let dir = tempfile::tempdir().unwrap();
    let out = tempfile::tempdir().unwrap();
    let (mut c, _held) = Console::start_in(dir.path(), Some("ceramica"), None);
    c.app.export_dir = out.path().to_owned();
    c.key(KeyCode::Char('4'));
    c.until("entry", |a| a.shell.gas.entry.is_some());
    c.key(KeyCode::Char('x'));
    c.until("the report", |a| a.shell.gas.report.is_some());
    c.key(KeyCode::Char('['));
    c.until("last month's report", |a| {
        a.shell
            .gas
            .report
            .as_ref()
            .is_some_and(|r| Some(r.first) != a.shell.gas.today.map(|t| t.first_of_month()))
    });
    let r = c.app.shell.gas.report.as_ref().unwrap();
    assert_eq!(r.rows[0].units.len(), 3);
    assert!(r.rows.iter().all(|row| row.day.qdc.is_some()));
    let name = r.file_name.clone();
    c.key(KeyCode::Char('X'));
    c.until("written", |a| {
        a.shell
            .gas
            .report
            .as_ref()
            .is_some_and(|r| r.written.is_some())
    });
    let path = out.path().join(&name);
    assert!(path.exists(), "{}", path.display());
    assert!(
        c.app.shell.gas.report.as_ref().unwrap().written.as_deref() == Some(path.to_str().unwrap())
    );

    // A missing-entry reminder at 20:00 reaches the supervisors and admins, the demo user too.
    let t = tenant(dir.path());
    let now =
        opsdeck_storage::clock::now_in(&jiff::tz::TimeZone::get("America/Sao_Paulo").unwrap())
            .with()
            .time(jiff::civil::time(20, 30, 0, 0))
            .build()
            .unwrap();
    opsdeck::domain::gas::reminders::run(&t, &now, None).unwrap();
    // Raised now, or already by the console's site services when the clock is past 20:00:
    // either way once, to the supervisors.
    let today = now.date();
    let escalated: Vec<_> = t
        .list::<opsdeck_storage::records::notification::Notification>()
        .unwrap()
        .into_iter()
        .filter(|n| n.value.date == today && n.value.to_role == Role::Supervisor)
        .collect();
    assert!(
        !escalated.is_empty(),
        "today's 20:00 reminders reach the supervisors"
    );
    c.until("the unread badge", |a| a.shell.status.unread > 0);
    let unread = c.app.shell.status.unread;
    c.key(KeyCode::Char('N'));
    c.until("the list", |a| {
        matches!(&a.shell.overlay, Some(Overlay::Notifications(n)) if n.loaded && !n.rows.is_empty())
    });
    c.key(KeyCode::Enter);
    c.until("one read", |a| a.shell.status.unread == unread - 1);
    c.key(KeyCode::Esc);
    assert!(c.app.shell.overlay.is_none());
}

#[test]
fn a_day_saved_by_someone_else_meanwhile_is_named_and_can_be_overwritten_knowingly() {
    let dir = tempfile::tempdir().unwrap();
    let (mut c, _held) = Console::start_in(dir.path(), Some("ceramica"), None);
    c.key(KeyCode::Char('4'));
    c.until("entry", |a| a.shell.gas.entry.is_some());
    c.key(KeyCode::Enter);
    focus(&mut c, "atomizer_hours");
    c.key(KeyCode::Backspace);
    // 28 nines: refused as hours, no overflow, the console goes on.
    c.typ(&"9".repeat(28));
    assert!(matches!(
        &c.app.shell.gas.entry.as_ref().unwrap().qds,
        QdsPreview::Invalid(w) if w.contains("fora de 0 a 24 horas")
    ));
    c.ctrl('u');
    c.typ("12");
    // Meanwhile the unit's operator saves the same day from another console.
    let t = tenant(dir.path());
    let today = c.app.shell.gas.today.unwrap();
    let cri = t.get::<GasUnit>("CRI").unwrap().unwrap().value;
    let mut theirs = opsdeck::domain::gas::entries::EntryInput::blank(&cri, today);
    theirs.atomizer_hours = d("20");
    opsdeck::domain::gas::entries::save_entry(&t, "lucas.martins", "CRI", theirs, None, today)
        .unwrap();
    c.key(KeyCode::Enter);
    c.until("the conflict named", |a| {
        a.shell.gas.entry.as_ref().is_some_and(|e| {
            !e.saving
                && e.message
                    .as_deref()
                    .is_some_and(|m| m.contains("lucas.martins"))
        })
    });
    // What was typed is still there; Enter again saves it over theirs.
    let e = c.app.shell.gas.entry.as_ref().unwrap();
    assert!(matches!(&e.field("atomizer_hours").unwrap().value, EntryValue::Text(t) if t == "12"));
    c.key(KeyCode::Enter);
    c.until("saved over", |a| {
        a.shell
            .gas
            .entry
            .as_ref()
            .is_some_and(|e| !e.editing && !e.dirty)
    });
    let stored = t
        .get::<DailyEntry>(&day_key("CRI", today))
        .unwrap()
        .unwrap();
    assert_eq!(stored.value.atomizer_hours, d("12"));
    assert_eq!(stored.version, 2);
}

#[test]
fn a_refused_plan_puts_the_row_back_and_keeps_what_was_typed() {
    let dir = tempfile::tempdir().unwrap();
    let (mut c, _held) = Console::start_in(dir.path(), Some("ceramica"), None);
    c.key(KeyCode::Char('4'));
    c.until("entry", |a| a.shell.gas.entry.is_some());
    c.key(KeyCode::Char('p'));
    c.key(KeyCode::Char(']'));
    c.until("next month's plans", |a| {
        a.shell
            .gas
            .plans
            .as_ref()
            .is_some_and(|p| p.rows.len() > 20 && p.rows[4].qdp.is_none())
    });
    for _ in 0..4 {
        c.key(KeyCode::Char('j'));
    }
    c.key(KeyCode::Enter);
    c.typ("-5");
    // Moving away would lose it: refused with how to keep or drop it.
    c.key(KeyCode::Down);
    let p = c.app.shell.gas.plans.as_ref().unwrap();
    assert_eq!(p.list.selected, 4);
    assert!(p.error.as_deref().is_some_and(|e| e.contains("Esc")));
    c.key(KeyCode::Enter);
    c.until("the refusal", |a| {
        a.shell.gas.plans.as_ref().is_some_and(|p| {
            p.error.as_deref().is_some_and(|e| e.contains("é negativo"))
                && p.list.selected == 4
                && p.rows[4].qdp.is_none()
                && p.input.as_deref() == Some("-5")
        })
    });
}
