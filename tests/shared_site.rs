//! A site run by its service, as root would set one up on a server: a service user owns the
//! files, an operator and a finance user of the site's group use it through the service's
//! socket, with their consoles (in tmux, through runuser) and their commands. These tests make
//! users and a group, so they need root (CI runs as root); they fail, never skip, without it.

mod common;

use std::io::Write;
use std::os::unix::fs::{MetadataExt, PermissionsExt};
use std::os::unix::net::UnixStream;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Output};
use std::time::{Duration, Instant};

use common::cli::{BIN, opsdeck, stdout_of};
use opsdeck::app::wire::{self, Greeting, Hello, Request, Response};

fn require_root() {
    assert!(
        nix::unistd::geteuid().is_root(),
        "the shared-site tests make users and a group: run them as root (CI does)"
    );
}

fn run(program: &str, args: &[&str]) {
    let status = Command::new(program)
        .args(args)
        .status()
        .unwrap_or_else(|e| panic!("{program} is needed for this test and failed to run: {e}"));
    assert!(status.success(), "{program} {args:?} failed: {status}");
}

/// useradd, groupadd ... : the tests run side by side, and these take a lock on /etc/passwd
/// that a neighbour may hold for a moment.
fn run_locked(program: &str, args: &[&str]) {
    let mut last = String::new();
    for _ in 0..50 {
        let out = Command::new(program)
            .args(args)
            .output()
            .unwrap_or_else(|e| panic!("{program} is needed for this test and failed to run: {e}"));
        if out.status.success() {
            return;
        }
        last = String::from_utf8_lossy(&out.stderr).into_owned();
        std::thread::sleep(Duration::from_millis(100));
    }
    panic!("{program} {args:?} failed: {last}");
}

/// A group, a service user and site users made for one test, removed after it.
struct People {
    group: String,
    users: Vec<String>,
}

impl People {
    /// `roles` become users named `<role>-<pid>`, members of the group; the service user is
    /// not a member of it.
    fn create(tag: &str, roles: &[&str]) -> People {
        require_root();
        let id = std::process::id();
        let group = format!("odk{tag}{id}");
        run_locked("groupadd", &[&group]);
        let mut p = People {
            group,
            users: vec![],
        };
        let svc = format!("odk{tag}svc{id}");
        run(
            "useradd",
            &["--system", "-M", "-s", "/usr/sbin/nologin", &svc],
        );
        p.users.push(svc);
        for r in roles {
            let name = format!("odk{tag}{r}{id}");
            run_locked("useradd", &["-m", "-G", &p.group, &name]);
            p.users.push(name);
        }
        p
    }

    fn service(&self) -> &str {
        &self.users[0]
    }

    fn user(&self, i: usize) -> &str {
        &self.users[i + 1]
    }
}

impl Drop for People {
    fn drop(&mut self) {
        for u in &self.users {
            retry_quietly("userdel", &["-r", u]);
        }
        retry_quietly("groupdel", &[&self.group]);
    }
}

fn retry_quietly(program: &str, args: &[&str]) {
    for _ in 0..50 {
        match Command::new(program).args(args).output() {
            Ok(o) if o.status.success() => return,
            Ok(o) if !String::from_utf8_lossy(&o.stderr).contains("lock") => return,
            Err(_) => return,
            Ok(_) => std::thread::sleep(Duration::from_millis(100)),
        }
    }
}

/// `opsdeck` as `user`, through runuser, with the test's clock.
fn as_user(user: &str, dir: &Path, args: &[&str]) -> Output {
    let mut c = Command::new("runuser");
    c.args(["-u", user, "--", BIN, "--data"])
        .arg(dir)
        .args(args);
    c.env_remove("OPSDECK_DATA").env("NO_COLOR", "1");
    if let Some(spec) = opsdeck_storage::clock::spec() {
        c.env(opsdeck_storage::clock::ENV, spec);
    }
    c.current_dir("/tmp");
    c.output().expect("runuser is needed for this test")
}

fn ok(out: Output) -> String {
    assert!(
        out.status.success(),
        "failed ({}): {}{}",
        out.status,
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout).into_owned()
}

fn refused(out: Output) -> String {
    let stderr = String::from_utf8_lossy(&out.stderr).into_owned();
    assert!(!out.status.success(), "not refused: {stderr}");
    assert!(!stderr.contains("panicked"), "{stderr}");
    stderr
}

/// `opsdeck serve` as the service user; stopped when dropped.
struct Service(Child);

impl Service {
    fn start(user: &str, dir: &Path) -> Service {
        let mut c = Command::new("runuser");
        c.args(["-u", user, "--", BIN, "serve", "--data"]).arg(dir);
        c.env_remove("OPSDECK_DATA").current_dir("/tmp");
        if let Some(spec) = opsdeck_storage::clock::spec() {
            c.env(opsdeck_storage::clock::ENV, spec);
        }
        let child = c.spawn().expect("starting opsdeck serve");
        let socket = dir.join("run/opsdeck.sock");
        let t = Instant::now();
        while UnixStream::connect(&socket).is_err() {
            assert!(
                t.elapsed() < Duration::from_secs(60),
                "the service did not listen on {} within a minute",
                socket.display()
            );
            std::thread::sleep(Duration::from_millis(50));
        }
        Service(child)
    }

    fn pid(&self) -> u32 {
        self.0.id()
    }
}

impl Drop for Service {
    fn drop(&mut self) {
        // runuser hands SIGTERM on to the service, which stops cleanly.
        let _ = nix::sys::signal::kill(
            nix::unistd::Pid::from_raw(self.0.id() as i32),
            nix::sys::signal::Signal::SIGTERM,
        );
        let _ = self.0.wait();
    }
}

/// A site dir inside a temp dir everybody may pass through (as /srv would be).
fn site_dir() -> (tempfile::TempDir, PathBuf) {
    let tmp = tempfile::tempdir().unwrap();
    std::fs::set_permissions(tmp.path(), std::fs::Permissions::from_mode(0o755)).unwrap();
    let dir = tmp.path().join("site");
    (tmp, dir)
}

/// Moves the site's ingest server to a free port (tests run side by side).
fn free_ingest_port(dir: &Path) {
    let cfg = dir.join("opsdeck.toml");
    let text = std::fs::read_to_string(&cfg).unwrap();
    let port = common::free_port();
    std::fs::write(
        &cfg,
        text.replace("127.0.0.1:8787", &format!("127.0.0.1:{port}")),
    )
    .unwrap();
}

fn mode(p: &Path) -> u32 {
    std::fs::metadata(p).unwrap().permissions().mode() & 0o7777
}

fn audit_lines(dir: &Path) -> String {
    stdout_of(opsdeck(dir).args(["audit", "list", "--limit", "200"]))
}

#[test]
fn a_shared_site_is_run_by_its_service_and_its_users_are_clients() {
    let people = People::create("a", &["op", "fin"]);
    let (svc, op, fin) = (people.service(), people.user(0), people.user(1));
    let (_tmp, dir) = site_dir();
    let out = stdout_of(opsdeck(&dir).args([
        "init",
        "--tenant",
        "plant",
        "--group",
        &people.group,
        "--user",
        svc,
    ]));
    assert!(out.contains("through the site service"), "{out}");
    free_ingest_port(&dir);

    // The service's user owns everything; the group only passes through to the socket.
    let meta = std::fs::metadata(&dir).unwrap();
    assert_eq!(mode(&dir), 0o710, "the data dir");
    assert_eq!(
        nix::unistd::User::from_uid(meta.uid().into())
            .unwrap()
            .unwrap()
            .name,
        svc
    );
    assert_eq!(mode(&dir.join("run")), 0o2710, "the run dir");
    assert_eq!(mode(&dir.join("secrets.toml")), 0o600, "the secrets");
    assert_eq!(
        mode(&dir.join("tenants/plant/opsdeck.redb")),
        0o600,
        "the database"
    );

    let service = Service::start(svc, &dir);
    assert_eq!(mode(&dir.join("run/opsdeck.sock")), 0o660, "the socket");

    // root, the founder (admin), gives roles through the service.
    opsdeck(&dir)
        .args(["user", "add", op, "--role", "operator"])
        .assert()
        .success();
    opsdeck(&dir)
        .args(["user", "add", fin, "--role", "finance"])
        .assert()
        .success();

    // The operator cannot touch the files...
    for file in ["secrets.toml", "opsdeck.toml", "tenants/plant/opsdeck.redb"] {
        let out = Command::new("runuser")
            .args(["-u", op, "--", "cat"])
            .arg(dir.join(file))
            .output()
            .unwrap();
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert!(!out.status.success(), "{op} read {file}");
        assert!(stderr.contains("Permission denied"), "{file}: {stderr}");
    }
    // ... nor pose as someone else.
    let mut forged = Command::new("runuser");
    forged
        .args(["-u", op, "--", BIN, "--data"])
        .arg(&dir)
        .args(["wo", "list"])
        .env("OPSDECK_ACTOR", "root")
        .env("OPSDECK_SCRATCH", dir.join("tmp/x"));
    let stderr = refused(forged.output().unwrap());
    assert!(stderr.contains("only by the site service"), "{stderr}");

    // Their commands go through the service and are theirs.
    let out = ok(as_user(
        op,
        &dir,
        &[
            "wo",
            "create",
            "--title",
            "Bomba vazando",
            "--type",
            "corrective",
        ],
    ));
    assert!(out.contains("OS 1"), "{out}");
    ok(as_user(op, &dir, &["wo", "note", "1", "selo trocado"]));
    let trail = audit_lines(&dir);
    assert!(
        trail
            .lines()
            .any(|l| l.contains(&format!("\t{op}\twork_order.create"))),
        "{trail}"
    );
    // What they may not do is refused by the service, and audited as theirs.
    let stderr = refused(as_user(op, &dir, &["audit", "list"]));
    assert!(stderr.contains("may not audit.view"), "{stderr}");
    assert!(
        audit_lines(&dir)
            .lines()
            .any(|l| l.contains(&format!("\t{op}\tdenied:audit.view"))),
        "the refusal is audited"
    );
    // Finance may read the trail; the site's settings are the admins' to see.
    ok(as_user(fin, &dir, &["audit", "list", "--limit", "3"]));
    let stderr = refused(as_user(op, &dir, &["config", "show"]));
    assert!(stderr.contains("may not site.maintain"), "{stderr}");
    // A data dir named relative to where the user is works as well.
    let relative = dir.strip_prefix("/tmp").expect("the site is under /tmp");
    ok(as_user(op, Path::new(relative), &["wo", "list"]));

    // Files: what the command reads is read as the user; what it writes is theirs.
    let home = PathBuf::from(format!("/home/{op}"));
    let photo = home.join("foto.txt");
    std::fs::write(&photo, "evidence bytes").unwrap();
    let (uid, gid) = {
        let m = std::fs::metadata(&home).unwrap();
        (m.uid(), m.gid())
    };
    nix::unistd::chown(&photo, Some(uid.into()), Some(gid.into())).unwrap();
    std::fs::set_permissions(&photo, std::fs::Permissions::from_mode(0o600)).unwrap();
    let out = ok(as_user(
        op,
        &dir,
        &["wo", "attach", "1", photo.to_str().unwrap()],
    ));
    assert!(out.contains("sha256"), "{out}");
    // The file's name may also be another argument's value.
    let photo2 = home.join("foto2.txt");
    std::fs::write(&photo2, "more evidence").unwrap();
    nix::unistd::chown(&photo2, Some(uid.into()), Some(gid.into())).unwrap();
    let p2 = photo2.to_str().unwrap();
    let out = ok(as_user(op, &dir, &["wo", "attach", "1", p2, "--name", p2]));
    assert!(out.contains("sha256"), "{out}");
    let show = ok(as_user(op, &dir, &["wo", "show", "1"]));
    assert!(show.contains("foto.txt"), "{show}");
    // A path the user names is never opened by the service.
    let stderr = refused(as_user(
        op,
        &dir,
        &[
            "wo",
            "attach",
            "1",
            dir.join("secrets.toml").to_str().unwrap(),
        ],
    ));
    assert!(
        stderr.contains("Permission denied") || stderr.contains("permission denied"),
        "{stderr}"
    );
    let out_dir = home.join("exports");
    ok(Command::new("runuser")
        .args(["-u", op, "--", "mkdir"])
        .arg(&out_dir)
        .output()
        .unwrap());
    ok(as_user(
        op,
        &dir,
        &[
            "wo",
            "export",
            "--format",
            "csv",
            "--dir",
            out_dir.to_str().unwrap(),
        ],
    ));
    let written: Vec<_> = std::fs::read_dir(&out_dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    assert_eq!(written.len(), 2, "orders and cost per asset: {written:?}");
    for f in &written {
        assert_eq!(std::fs::metadata(f).unwrap().uid(), uid, "{}", f.display());
        let text = std::fs::read_to_string(f).unwrap();
        assert!(!text.is_empty(), "{}", f.display());
    }

    // Another build is told so in words and opens nothing.
    let socket = dir.join("run/opsdeck.sock");
    let mut s = UnixStream::connect(&socket).unwrap();
    wire::write_frame(
        &mut s,
        &Hello {
            version: "0.0.1".into(),
            protocol: wire::PROTOCOL,
        },
    )
    .unwrap();
    match wire::read_frame::<Greeting>(&s, 1 << 20).unwrap() {
        Greeting::Refused { console, site } => {
            assert_eq!(
                wire::mismatch(&console, &site),
                format!("console 0.0.1, site {}: update the console", wire::VERSION)
            );
        }
        Greeting::Welcome(_) => panic!("another build was welcomed"),
    }

    // A client stuck in the middle of a request holds nobody else back, and a frame over the
    // limit is refused before it is read (the service hangs up).
    let mut stuck = UnixStream::connect(&socket).unwrap();
    wire::write_frame(&mut stuck, &Hello::ours()).unwrap();
    stuck.write_all(&[200, 0]).unwrap();
    let t = Instant::now();
    ok(as_user(op, &dir, &["wo", "list"]));
    assert!(
        t.elapsed() < wire::FRAME_DEADLINE,
        "a stuck client held a command back"
    );
    let mut big = UnixStream::connect(&socket).unwrap();
    wire::write_frame(&mut big, &Hello::ours()).unwrap();
    assert!(matches!(
        wire::read_frame::<Greeting>(&big, 1 << 20).unwrap(),
        Greeting::Welcome(_)
    ));
    big.write_all(&u32::MAX.to_le_bytes()).unwrap();
    big.set_read_timeout(Some(Duration::from_secs(10))).unwrap();
    let mut rest = Vec::new();
    let _ = std::io::Read::read_to_end(&mut big, &mut rest);
    assert!(rest.is_empty(), "the service answered an oversized frame");
    drop(stuck);

    // A client that dies in the middle of sending a write changes nothing.
    let mut s = UnixStream::connect(&socket).unwrap();
    wire::write_frame(&mut s, &Hello::ours()).unwrap();
    assert!(matches!(
        wire::read_frame::<Greeting>(&s, 1 << 20).unwrap(),
        Greeting::Welcome(_)
    ));
    wire::write_frame(
        &mut s,
        &Request::Open {
            tenant: None,
            locale: None,
        },
    )
    .unwrap();
    assert!(matches!(
        wire::read_frame::<Response>(&s, 1 << 26).unwrap(),
        Response::Opened(_)
    ));
    let write = Request::Cli {
        argv: ["wo", "create", "--title", "half", "--type", "corrective"]
            .map(String::from)
            .to_vec(),
        uploads: vec![],
    };
    let bytes = bincode::serialize(&write).unwrap();
    s.write_all(&(bytes.len() as u32).to_le_bytes()).unwrap();
    s.write_all(&bytes[..bytes.len() / 2]).unwrap();
    drop(s);
    let list = ok(as_user(op, &dir, &["wo", "list"]));
    assert!(!list.contains("half"), "{list}");
    assert_eq!(list.lines().count(), 2, "the header and order 1: {list}");

    // The operator's console: the status bar names the service; the trail is refused.
    let tmux = format!("odk-{}", std::process::id());
    let line = format!(
        "runuser -u {op} -- {BIN} --data {}; sleep 30",
        dir.display()
    );
    let mut clock = vec![];
    if let Some(spec) = opsdeck_storage::clock::spec() {
        clock = vec![
            "-e".to_owned(),
            format!("{}={spec}", opsdeck_storage::clock::ENV),
        ];
    }
    let mut args = vec![
        "-L",
        &tmux,
        "-f",
        "/dev/null",
        "new-session",
        "-d",
        "-x",
        "200",
        "-y",
        "40",
    ];
    args.extend(clock.iter().map(String::as_str));
    args.extend(["-e", "LANG=C.UTF-8", "-e", "TERM=xterm-256color", &line]);
    run("tmux", &args);
    struct Kill(String);
    impl Drop for Kill {
        fn drop(&mut self) {
            // tmux leaves its socket file behind after kill-server.
            let socket = Command::new("tmux")
                .args(["-L", &self.0, "display-message", "-p", "#{socket_path}"])
                .output()
                .map(|o| String::from_utf8_lossy(&o.stdout).trim().to_owned())
                .unwrap_or_default();
            let _ = Command::new("tmux")
                .args(["-L", &self.0, "kill-server"])
                .output();
            if !socket.is_empty() {
                let _ = std::fs::remove_file(socket);
            }
        }
    }
    let _kill = Kill(tmux.clone());
    let screen = || {
        let out = Command::new("tmux")
            .args(["-L", &tmux, "capture-pane", "-p"])
            .output()
            .unwrap();
        String::from_utf8_lossy(&out.stdout).into_owned()
    };
    let wait_for = |what: &str| {
        let t = Instant::now();
        loop {
            let s = screen();
            if s.contains(what) {
                return s;
            }
            assert!(
                t.elapsed() < Duration::from_secs(30),
                "the console never showed {what:?}:\n{s}"
            );
            std::thread::sleep(Duration::from_millis(100));
        }
    };
    let s = wait_for("Bomba vazando");
    assert!(
        s.contains(&format!("serviço do site pid {}", service_pid(&service))),
        "{s}"
    );
    assert!(
        s.contains(&format!("{op} (operator)")) || s.contains(&format!("{op} (operador)")),
        "{s}"
    );
    // The Telemetry pane says where the service takes readings.
    run("tmux", &["-L", &tmux, "send-keys", "2"]);
    wait_for("http://127.0.0.1:");
    run("tmux", &["-L", &tmux, "send-keys", "1"]);
    wait_for("Bomba vazando");
    // A new order by someone else shows without a key pressed (the service pushes it).
    opsdeck(&dir)
        .args([
            "wo",
            "create",
            "--title",
            "Chiller parado",
            "--type",
            "request",
        ])
        .assert()
        .success();
    wait_for("Chiller parado");
    run("tmux", &["-L", &tmux, "send-keys", "8"]);
    wait_for("✗ erro:");
    assert!(
        audit_lines(&dir)
            .lines()
            .filter(|l| l.contains(&format!("\t{op}\tdenied:audit.view")))
            .count()
            >= 2,
        "the console's refusal is audited as the operator's"
    );

    // The service restarts (an update): the console says so, keeps what was typed, and is
    // back by itself.
    run("tmux", &["-L", &tmux, "send-keys", "1"]);
    wait_for("Bomba vazando");
    run("tmux", &["-L", &tmux, "send-keys", "n"]);
    run("tmux", &["-L", &tmux, "send-keys", "Troca de rolamento"]);
    wait_for("Troca de rolamento");
    drop(service);
    wait_for("reconectando");
    let service = Service::start(svc, &dir);
    let s = wait_for("reconectado ao serviço do site");
    assert!(
        s.contains("Troca de rolamento"),
        "the form kept the text:\n{s}"
    );
    assert!(
        s.contains(&format!("serviço do site pid {}", service_pid(&service))),
        "{s}"
    );
    run("tmux", &["-L", &tmux, "send-keys", "Escape"]);
    std::thread::sleep(Duration::from_millis(300));
    run("tmux", &["-L", &tmux, "send-keys", "y"]);
    opsdeck(&dir)
        .args([
            "wo",
            "create",
            "--title",
            "Depois da volta",
            "--type",
            "request",
        ])
        .assert()
        .success();
    wait_for("Depois da volta");
    drop(service);
}

/// The service process: runuser's child.
fn service_pid(s: &Service) -> u32 {
    let children = std::fs::read_to_string(format!("/proc/{0}/task/{0}/children", s.pid()))
        .unwrap_or_default();
    children
        .split_whitespace()
        .next()
        .and_then(|p| p.parse().ok())
        .unwrap_or_else(|| s.pid())
}

#[test]
fn site_share_moves_a_group_shared_site_to_its_service() {
    let people = People::create("b", &["op"]);
    let (svc, op) = (people.service(), people.user(0));
    let (_tmp, dir) = site_dir();
    opsdeck(&dir)
        .args(["init", "--tenant", "plant"])
        .assert()
        .success();
    opsdeck(&dir)
        .args(["user", "add", op, "--role", "operator"])
        .assert()
        .success();
    free_ingest_port(&dir);
    // The old way of sharing: everything group read/write, the secrets group-readable.
    let gid = nix::unistd::Group::from_name(&people.group)
        .unwrap()
        .unwrap()
        .gid;
    for entry in walk(&dir) {
        nix::unistd::chown(&entry, None, Some(gid)).unwrap();
        let m = if entry.is_dir() { 0o2770 } else { 0o660 };
        std::fs::set_permissions(&entry, std::fs::Permissions::from_mode(m)).unwrap();
    }
    std::fs::set_permissions(
        dir.join("secrets.toml"),
        std::fs::Permissions::from_mode(0o640),
    )
    .unwrap();
    let old = std::fs::read_to_string(dir.join("secrets.toml")).unwrap();
    ok(as_user(op, &dir, &["user", "list"]));
    // A member plants a link for root to follow: the share closes the dir and stops.
    let planted = dir.join("evil");
    ok(Command::new("runuser")
        .args(["-u", op, "--", "ln", "-s", "/etc"])
        .arg(&planted)
        .output()
        .unwrap());
    let out = opsdeck(&dir)
        .args(["site", "share", "--user", svc, "--group", &people.group])
        .output()
        .unwrap();
    let stderr = refused(out);
    assert!(stderr.contains(&planted.display().to_string()), "{stderr}");
    assert_eq!(mode(&dir), 0o700, "closed to the group");
    assert_ne!(
        std::fs::metadata("/etc").unwrap().uid(),
        nix::unistd::User::from_name(svc)
            .unwrap()
            .unwrap()
            .uid
            .as_raw(),
        "root followed the link"
    );
    std::fs::remove_file(&planted).unwrap();

    let unit = dir.parent().unwrap().join("opsdeck.service");
    let out = stdout_of(opsdeck(&dir).args([
        "site",
        "share",
        "--user",
        svc,
        "--group",
        &people.group,
        "--rotate-keys",
        "--unit",
        unit.to_str().unwrap(),
    ]));
    assert!(out.contains("audit seal key rotated in 1 tenant"), "{out}");
    assert!(out.contains("new ingest keys"), "{out}");
    let unit_text = std::fs::read_to_string(&unit).unwrap();
    assert!(unit_text.contains(&format!("User={svc}")), "{unit_text}");
    assert!(unit_text.contains("serve --data"), "{unit_text}");

    let new = std::fs::read_to_string(dir.join("secrets.toml")).unwrap();
    let key = |text: &str, k: &str| {
        text.lines()
            .find(|l| l.trim_start().starts_with(k))
            .map(str::to_owned)
    };
    assert_ne!(key(&old, "audit_seal_key"), key(&new, "audit_seal_key"));
    assert_ne!(key(&old, "plant"), key(&new, "plant"), "the ingest key");
    assert_eq!(mode(&dir), 0o710);
    assert_eq!(mode(&dir.join("secrets.toml")), 0o600);
    for entry in walk(&dir) {
        let m = std::fs::metadata(&entry).unwrap();
        assert_eq!(m.mode() & 0o007, 0, "{} is open to others", entry.display());
        if entry != dir && entry != dir.join("run") {
            assert_eq!(
                m.mode() & 0o070,
                0,
                "{} is open to the group",
                entry.display()
            );
        }
    }

    // The operator reaches it only through the service now.
    let stderr = refused(as_user(op, &dir, &["user", "list"]));
    assert!(stderr.contains("not running"), "{stderr}");
    let _service = Service::start(svc, &dir);
    ok(as_user(op, &dir, &["user", "list"]));
    // The chain verifies under the new key (root, its admin, asks the service), and says it
    // was rotated.
    let out = stdout_of(opsdeck(&dir).args(["audit", "verify"]));
    assert!(out.contains("intact"), "{out}");
    let trail = audit_lines(&dir);
    assert!(trail.contains("audit.seal_rotated"), "{trail}");
}

#[test]
fn a_user_outside_the_group_is_told_which_group_to_join() {
    let people = People::create("c", &[]);
    let (_tmp, dir) = site_dir();
    opsdeck(&dir)
        .args(["init", "--group", &people.group, "--user", people.service()])
        .assert()
        .success();
    let stderr = refused(as_user("nobody", &dir, &["user", "list"]));
    assert!(stderr.contains("permission denied"), "{stderr}");
    assert!(
        stderr.contains(&format!("group '{}'", people.group)),
        "{stderr}"
    );
    assert!(stderr.contains(&dir.display().to_string()), "{stderr}");
}

fn walk(root: &Path) -> Vec<PathBuf> {
    let mut out = vec![root.to_owned()];
    let mut i = 0;
    while i < out.len() {
        if out[i].is_dir() {
            let more: Vec<_> = std::fs::read_dir(&out[i])
                .unwrap()
                .map(|e| e.unwrap().path())
                .collect();
            out.extend(more);
        }
        i += 1;
    }
    out
}
