//! The missing-entry reminder on a real redb tenant with the seeded units: nothing before 18:00;
//! at 18:00 one notification for the operators per unit without an entry (the unit's assigned
//! operators when it has some); never twice (again, after a restart, from two threads at once);
//! at 20:00 the supervisors and admins; e-mail to a local SMTP sink this test starts, and a
//! notification kept with its error when the sink is down.

use std::collections::BTreeMap;
use std::io::{BufRead, BufReader, Write};
use std::net::{SocketAddr, TcpListener, TcpStream};
use std::path::Path;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use jiff::Zoned;
use jiff::civil::{Date, date};
use jiff::tz::TimeZone;
use opsdeck::domain::gas::assign;
use opsdeck::domain::gas::entries::{self, EntryInput};
use opsdeck::domain::gas::reminders::{self, MISSING_ENTRY, MissingEntry, Stage};
use opsdeck::domain::gas::seed;
use opsdeck::domain::users;
use opsdeck::notify::{Mailer, SmtpMailer};
use opsdeck::site::config::SmtpConfig;
use opsdeck_storage::records::gas::GasUnit;
use opsdeck_storage::records::notification::Notification;
use opsdeck_storage::records::user::Role;
use opsdeck_storage::{Tenant, codec};

const TODAY: Date = date(2026, 11, 23);
const SEAL: [u8; 32] = [5; 32];

fn at(day: Date, h: i8, m: i8) -> Zoned {
    day.at(h, m, 0, 0)
        .to_zoned(TimeZone::get("America/Sao_Paulo").unwrap())
        .unwrap()
}

fn open(path: &Path) -> Tenant {
    Tenant::open("ceramica", path, &SEAL).unwrap()
}

/// ana admin, bia and beto operators, caio supervisor, dora finance; the three seeded units.
fn rig() -> (tempfile::TempDir, Tenant) {
    let dir = tempfile::tempdir().unwrap();
    let t = open(&dir.path().join("t.redb"));
    users::bootstrap_admin(&t, "ana").unwrap();
    users::add(&t, "ana", "bia", Role::Operator, "Bia Lima").unwrap();
    users::add(&t, "ana", "beto", Role::Operator, "").unwrap();
    users::add(&t, "ana", "caio", Role::Supervisor, "Caio").unwrap();
    users::add(&t, "ana", "dora", Role::Finance, "Dora").unwrap();
    seed::load(&t, "ana").unwrap();
    let mut units: Vec<String> = t
        .list::<GasUnit>()
        .unwrap()
        .into_iter()
        .map(|u| u.key)
        .collect();
    units.sort();
    assert_eq!(units, ["BOT", "CRI", "URU"]);
    (dir, t)
}

fn enter(t: &Tenant, unit: &str, day: Date) {
    let u = t.get::<GasUnit>(unit).unwrap().unwrap().value;
    entries::save_entry(t, "bia", unit, EntryInput::blank(&u, day), None, day).unwrap();
}

fn stored(t: &Tenant) -> Vec<Notification> {
    t.list::<Notification>()
        .unwrap()
        .into_iter()
        .map(|v| v.value)
        .collect()
}

fn units_of(list: &[Notification]) -> Vec<&str> {
    let mut u: Vec<&str> = list.iter().map(|n| n.unit.as_str()).collect();
    u.sort();
    u
}

#[test]
fn operators_at_18_supervisors_at_20_once_each() {
    let (dir, t) = rig();
    enter(&t, "CRI", TODAY);

    assert!(
        reminders::run(&t, &at(TODAY, 17, 59), None)
            .unwrap()
            .is_empty()
    );
    assert!(stored(&t).is_empty());

    let first = reminders::run(&t, &at(TODAY, 18, 0), None).unwrap();
    assert_eq!(units_of(&first), ["BOT", "URU"], "CRI has its entry");
    for n in &first {
        assert_eq!(n.to_role, Role::Operator);
        assert_eq!(n.to_users, ["beto", "bia"]);
        assert_eq!(n.kind, MISSING_ENTRY);
        assert_eq!(n.date, TODAY);
        assert!(n.emailed_to.is_empty() && n.email_error.is_none());
        assert!(n.read_by.is_empty());
        let name = if n.unit == "BOT" {
            "Botucatu"
        } else {
            "Urussanga"
        };
        assert_eq!(
            n.subject,
            format!("⚠️ [RC] Entrada diária pendente - {name} - 23/11/2026")
        );
        for needed in [
            name,
            "23/11/2026",
            "Status do atomizador",
            "Horas de funcionamento",
            "Status das linhas",
        ] {
            assert!(n.body.contains(needed), "{needed:?} in {}", n.body);
        }
    }
    let bot = first.iter().find(|n| n.unit == "BOT").unwrap();
    assert!(bot.body.contains("ATM 250, ATM 052") && bot.body.contains("Secador 2"));
    assert_eq!(stored(&t), first);

    // One outbox event per notification, its payload naming unit, day and stage.
    let events: Vec<_> = t
        .events_after(0, 10_000)
        .unwrap()
        .into_iter()
        .filter(|e| e.name == MISSING_ENTRY)
        .collect();
    assert_eq!(events.len(), 2);
    for e in &events {
        let p: MissingEntry = codec::decode(&e.payload).unwrap();
        let n = first
            .iter()
            .find(|n| Notification::key(n.id) == e.key)
            .unwrap();
        assert_eq!(
            (p.unit.as_str(), p.date, p.stage),
            (n.unit.as_str(), TODAY, Stage::Operators)
        );
    }

    // Again, later, and after a restart: nothing new, nothing written.
    let counter = t.change_counter().unwrap();
    assert!(
        reminders::run(&t, &at(TODAY, 18, 1), None)
            .unwrap()
            .is_empty()
    );
    assert!(
        reminders::run(&t, &at(TODAY, 19, 30), None)
            .unwrap()
            .is_empty()
    );
    assert_eq!(t.change_counter().unwrap(), counter);
    drop(t);
    let t = open(&dir.path().join("t.redb"));
    assert!(
        reminders::run(&t, &at(TODAY, 19, 45), None)
            .unwrap()
            .is_empty()
    );

    // URU is entered before 20:00: only BOT escalates.
    enter(&t, "URU", TODAY);
    let second = reminders::run(&t, &at(TODAY, 20, 0), None).unwrap();
    assert_eq!(units_of(&second), ["BOT"]);
    assert_eq!(second[0].to_role, Role::Supervisor);
    assert_eq!(second[0].to_users, ["ana", "caio"]);
    assert!(second[0].subject.contains("escalonado") && second[0].subject.contains("Botucatu"));
    assert!(
        reminders::run(&t, &at(TODAY, 23, 59), None)
            .unwrap()
            .is_empty()
    );
    assert_eq!(stored(&t).len(), 3);

    // What each person sees in the console.
    let bia = opsdeck::domain::notifications::for_user(&t, "bia").unwrap();
    assert_eq!(bia.len(), 2);
    assert!(
        opsdeck::domain::notifications::for_user(&t, "dora")
            .unwrap()
            .is_empty()
    );
    assert_eq!(
        opsdeck::domain::notifications::for_user(&t, "caio").unwrap(),
        second
    );
    assert_eq!(
        opsdeck::domain::notifications::unread_count(&t, "bia").unwrap(),
        2
    );
    opsdeck::domain::notifications::mark_read(&t, "bia", bia[0].id).unwrap();
    opsdeck::domain::notifications::mark_read(&t, "bia", bia[0].id).unwrap();
    assert_eq!(
        opsdeck::domain::notifications::unread_count(&t, "bia").unwrap(),
        1
    );
    assert_eq!(
        opsdeck::domain::notifications::unread_count(&t, "beto").unwrap(),
        2
    );
    let err = opsdeck::domain::notifications::mark_read(&t, "dora", bia[0].id)
        .unwrap_err()
        .to_string();
    assert!(err.contains("not addressed to dora"), "{err}");

    // A new day starts over.
    let next = TODAY.tomorrow().unwrap();
    assert!(
        reminders::run(&t, &at(next, 9, 0), None)
            .unwrap()
            .is_empty()
    );
    let third = reminders::run(&t, &at(next, 18, 0), None).unwrap();
    assert_eq!(units_of(&third), ["BOT", "CRI", "URU"]);
}

#[test]
fn assigned_operators_get_their_unit_and_the_others_still_go_to_every_operator() {
    let (_dir, t) = rig();
    assign::set_units(&t, "ana", "bia", &["CRI".into()]).unwrap();
    // Only an admin runs URU: its operators' stage still reaches the operators.
    assign::set_units(&t, "ana", "ana", &["URU".into()]).unwrap();
    let raised = reminders::run(&t, &at(TODAY, 21, 0), None).unwrap();
    let to = |unit: &str, role: Role| -> Vec<String> {
        raised
            .iter()
            .find(|n| n.unit == unit && n.to_role == role)
            .unwrap_or_else(|| panic!("no {unit} notification for {role}"))
            .to_users
            .clone()
    };
    assert_eq!(to("CRI", Role::Operator), ["bia"]);
    assert_eq!(to("URU", Role::Operator), ["beto", "bia"]);
    assert_eq!(to("BOT", Role::Operator), ["beto", "bia"]);
    for unit in ["BOT", "CRI", "URU"] {
        assert_eq!(to(unit, Role::Supervisor), ["ana", "caio"], "{unit}");
    }
    assert_eq!(
        opsdeck::domain::notifications::unread_count(&t, "beto").unwrap(),
        2
    );
    assert_eq!(
        opsdeck::domain::notifications::unread_count(&t, "bia").unwrap(),
        3
    );
}

#[test]
fn a_service_started_late_raises_both_stages() {
    let (_dir, t) = rig();
    let raised = reminders::run(&t, &at(TODAY, 21, 10), None).unwrap();
    assert_eq!(raised.len(), 6);
    for unit in ["BOT", "CRI", "URU"] {
        let roles: Vec<Role> = raised
            .iter()
            .filter(|n| n.unit == unit)
            .map(|n| n.to_role)
            .collect();
        assert_eq!(roles, [Role::Operator, Role::Supervisor], "{unit}");
    }
    assert!(
        reminders::run(&t, &at(TODAY, 21, 11), None)
            .unwrap()
            .is_empty()
    );
}

#[test]
fn two_runs_at_once_raise_once() {
    let (_dir, t) = rig();
    let t = Arc::new(t);
    let handles: Vec<_> = (0..4)
        .map(|_| {
            let t = t.clone();
            std::thread::spawn(move || reminders::run(&t, &at(TODAY, 18, 0), None).unwrap().len())
        })
        .collect();
    let total: usize = handles.into_iter().map(|h| h.join().unwrap()).sum();
    assert_eq!(total, 3);
    assert_eq!(stored(&t).len(), 3);
}

// ---- e-mail ----

#[derive(Debug, Clone)]
struct Mail {
    to: Vec<String>,
    data: String,
}

/// A local SMTP sink: just enough SMTP to accept and keep messages.
struct Sink {
    addr: SocketAddr,
    mails: Arc<Mutex<Vec<Mail>>>,
}

fn start_sink() -> Sink {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let addr = listener.local_addr().unwrap();
    let mails = Arc::new(Mutex::new(Vec::new()));
    let keep = mails.clone();
    std::thread::spawn(move || {
        for conn in listener.incoming() {
            let Ok(conn) = conn else { continue };
            let keep = keep.clone();
            std::thread::spawn(move || {
                let _ = serve_smtp(conn, &keep);
            });
        }
    });
    Sink { addr, mails }
}

fn path_of(arg: &str) -> String {
    let arg = arg.trim();
    let end = arg.find('>').map(|i| i + 1).unwrap_or(arg.len());
    arg[..end].trim_matches(|c| c == '<' || c == '>').to_owned()
}

fn serve_smtp(conn: TcpStream, keep: &Mutex<Vec<Mail>>) -> std::io::Result<()> {
    conn.set_read_timeout(Some(Duration::from_secs(10)))?;
    let mut r = BufReader::new(conn.try_clone()?);
    let mut w = conn;
    w.write_all(b"220 sink.test ESMTP\r\n")?;
    let mut to = Vec::new();
    let mut line = String::new();
    loop {
        line.clear();
        if r.read_line(&mut line)? == 0 {
            return Ok(());
        }
        let cmd = line.trim_end();
        let upper = cmd.to_ascii_uppercase();
        if upper.starts_with("EHLO") || upper.starts_with("HELO") {
            w.write_all(b"250 sink.test\r\n")?;
        } else if upper.starts_with("MAIL FROM:") {
            to.clear();
            w.write_all(b"250 OK\r\n")?;
        } else if upper.starts_with("RCPT TO:") {
            to.push(path_of(&cmd[8..]));
            w.write_all(b"250 OK\r\n")?;
        } else if upper == "DATA" {
            w.write_all(b"354 go ahead\r\n")?;
            let mut data = String::new();
            loop {
                line.clear();
                if r.read_line(&mut line)? == 0 {
                    return Ok(());
                }
                if line == ".\r\n" || line == ".\n" {
                    break;
                }
                data.push_str(line.strip_prefix('.').unwrap_or(&line));
            }
            keep.lock().unwrap().push(Mail {
                to: std::mem::take(&mut to),
                data,
            });
            w.write_all(b"250 OK queued\r\n")?;
        } else if upper == "QUIT" {
            w.write_all(b"221 bye\r\n")?;
            return Ok(());
        } else {
            w.write_all(b"250 OK\r\n")?;
        }
    }
}

fn base64(s: &str) -> Vec<u8> {
    let val = |c: u8| match c {
        b'A'..=b'Z' => Some(c - b'A'),
        b'a'..=b'z' => Some(c - b'a' + 26),
        b'0'..=b'9' => Some(c - b'0' + 52),
        b'+' => Some(62),
        b'/' => Some(63),
        _ => None,
    };
    let (mut out, mut acc, mut bits) = (Vec::new(), 0u32, 0);
    for v in s.bytes().filter_map(val) {
        acc = (acc << 6) | u32::from(v);
        bits += 6;
        if bits >= 8 {
            bits -= 8;
            out.push((acc >> bits) as u8);
            acc &= (1 << bits) - 1;
        }
    }
    out
}

fn quoted_printable(s: &str) -> Vec<u8> {
    let b = s.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    while i < b.len() {
        if b[i] == b'=' {
            if b[i + 1..].starts_with(b"\r\n") {
                i += 3;
                continue;
            }
            if b[i + 1..].starts_with(b"\n") {
                i += 2;
                continue;
            }
            let hex = std::str::from_utf8(&b[i + 1..i + 3]).unwrap();
            out.push(u8::from_str_radix(hex, 16).unwrap());
            i += 3;
        } else {
            out.push(b[i]);
            i += 1;
        }
    }
    out
}

/// RFC 2047: "=?utf-8?b?...?=" words (whitespace between two of them is dropped).
fn decode_header(v: &str) -> String {
    let mut out = Vec::new();
    let mut prev_encoded = false;
    for word in v.split_whitespace() {
        let encoded =
            word.len() > 10 && word[..8].eq_ignore_ascii_case("=?utf-8?") && word.ends_with("?=");
        if encoded {
            let (enc, text) = word[8..word.len() - 2].split_once('?').unwrap();
            if !out.is_empty() && !prev_encoded {
                out.push(b' ');
            }
            if enc.eq_ignore_ascii_case("b") {
                out.extend(base64(text));
            } else {
                out.extend(quoted_printable(&text.replace('_', " ")));
            }
        } else {
            if !out.is_empty() {
                out.push(b' ');
            }
            out.extend(word.as_bytes());
        }
        prev_encoded = encoded;
    }
    String::from_utf8(out).unwrap()
}

/// Headers (unfolded, lower-case names) and the decoded body of a message.
fn parse(data: &str) -> (BTreeMap<String, String>, String) {
    let (head, body) = data.split_once("\r\n\r\n").unwrap();
    let mut headers: BTreeMap<String, String> = BTreeMap::new();
    let mut last = String::new();
    for line in head.split("\r\n") {
        if line.starts_with([' ', '\t']) {
            headers.get_mut(&last).unwrap().push_str(line);
        } else if let Some((k, v)) = line.split_once(':') {
            last = k.trim().to_ascii_lowercase();
            headers.insert(last.clone(), v.trim().to_owned());
        }
    }
    let body = match headers
        .get("content-transfer-encoding")
        .map(|s| s.to_ascii_lowercase())
        .as_deref()
    {
        Some("base64") => String::from_utf8(base64(body)).unwrap(),
        Some("quoted-printable") => String::from_utf8(quoted_printable(body)).unwrap(),
        _ => body.to_owned(),
    };
    (headers, body.replace("\r\n", "\n"))
}

fn smtp(port: u16) -> SmtpConfig {
    SmtpConfig {
        host: "127.0.0.1".into(),
        port,
        from: "RC System <rc@ceramica.example>".into(),
        username: String::new(),
        password_secret: String::new(),
        starttls: false,
    }
}

#[test]
fn email_reaches_each_recipient_through_a_local_sink() {
    let (_dir, t) = rig();
    enter(&t, "CRI", TODAY);
    let sink = start_sink();
    let mailer = SmtpMailer::from_config(&smtp(sink.addr.port()), String::new()).unwrap();
    assert_eq!(mailer.address_of("bia"), "bia@ceramica.example");

    let raised = reminders::run(&t, &at(TODAY, 18, 0), Some(&mailer)).unwrap();
    assert_eq!(units_of(&raised), ["BOT", "URU"]);
    for n in &raised {
        assert_eq!(
            n.emailed_to,
            ["beto@ceramica.example", "bia@ceramica.example"]
        );
        assert_eq!(n.email_error, None);
    }
    assert_eq!(stored(&t), raised, "the outcome is stored");

    let mails = sink.mails.lock().unwrap().clone();
    assert_eq!(mails.len(), 4, "one per unit and operator");
    let mut seen = Vec::new();
    for m in &mails {
        assert_eq!(m.to.len(), 1);
        let (h, body) = parse(&m.data);
        let subject = decode_header(&h["subject"]);
        let (name, code) = if subject.contains("Urussanga") {
            ("Urussanga", "URU")
        } else {
            ("Botucatu", "BOT")
        };
        assert_eq!(
            subject,
            format!("⚠️ [RC] Entrada diária pendente - {name} - 23/11/2026")
        );
        assert!(h["to"].contains(&m.to[0]), "{:?} vs {}", h["to"], m.to[0]);
        assert!(h["from"].contains("rc@ceramica.example"));
        for needed in [
            &format!("unidade {name} ({code})"),
            "23/11/2026",
            "Status do atomizador",
            "Horas de funcionamento",
            "Status das linhas",
        ] {
            assert!(body.contains(needed), "{needed:?} in {body}");
        }
        let greeting = if m.to[0] == "bia@ceramica.example" {
            "Olá Bia Lima,"
        } else {
            "Olá beto,"
        };
        assert!(body.starts_with(greeting), "{body}");
        seen.push((m.to[0].clone(), code));
    }
    seen.sort();
    assert_eq!(
        seen,
        [
            ("beto@ceramica.example".to_string(), "BOT"),
            ("beto@ceramica.example".to_string(), "URU"),
            ("bia@ceramica.example".to_string(), "BOT"),
            ("bia@ceramica.example".to_string(), "URU"),
        ]
    );

    // Escalation mails the supervisor and the admin; nothing is sent twice.
    assert!(
        reminders::run(&t, &at(TODAY, 19, 0), Some(&mailer))
            .unwrap()
            .is_empty()
    );
    let escalated = reminders::run(&t, &at(TODAY, 20, 0), Some(&mailer)).unwrap();
    assert_eq!(escalated.len(), 2);
    let mails = sink.mails.lock().unwrap().clone();
    assert_eq!(mails.len(), 8);
    let mut late: Vec<String> = mails[4..].iter().map(|m| m.to[0].clone()).collect();
    late.sort();
    assert_eq!(
        late,
        [
            "ana@ceramica.example",
            "ana@ceramica.example",
            "caio@ceramica.example",
            "caio@ceramica.example"
        ]
    );
}

#[test]
fn with_the_sink_down_the_notification_is_kept_with_the_error() {
    let (_dir, t) = rig();
    let port = {
        let l = TcpListener::bind("127.0.0.1:0").unwrap();
        l.local_addr().unwrap().port()
    };
    let mailer = SmtpMailer::from_config(&smtp(port), String::new()).unwrap();
    let raised = reminders::run(&t, &at(TODAY, 18, 5), Some(&mailer)).unwrap();
    assert_eq!(raised.len(), 3);
    for n in stored(&t) {
        assert!(n.emailed_to.is_empty());
        let err = n.email_error.expect("the failure is recorded");
        assert!(
            err.contains("bia@ceramica.example") && err.contains("beto@ceramica.example"),
            "{err}"
        );
        assert!(err.contains("[smtp] server 127.0.0.1"), "{err}");
    }
    assert_eq!(stored(&t), raised);
    // Not raised (nor mailed) again.
    assert!(
        reminders::run(&t, &at(TODAY, 18, 6), Some(&mailer))
            .unwrap()
            .is_empty()
    );
}
