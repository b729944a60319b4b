//! End-to-end tests: the real `opsdeck` binary driven in tmux, the way a person at a terminal
//! uses it. Every test gets its own tmux server (`tmux -L <unique socket>`, no config file, a
//! clean environment) and its own data dir, so the tests run in parallel and never touch the
//! user's tmux server, config or data. tmux is required: without it these tests fail, loudly.

mod common;

use std::cell::RefCell;
use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use common::cli::BIN;
use tempfile::TempDir;

/// How long to wait for something to appear on screen.
const TIMEOUT: Duration = Duration::from_secs(15);
const POLL: Duration = Duration::from_millis(100);
/// A key sent right after ESC would reach the app as Alt+key.
const AFTER_ESC: Duration = Duration::from_millis(300);

static SERVERS: AtomicUsize = AtomicUsize::new(0);

/// A private tmux server plus a scratch dir (site data, HOME). Dropping it kills the server,
/// also when the test panics.
struct Tmux {
    socket: String,
    /// The server's socket file, once it runs (tmux leaves it behind after kill-server).
    socket_path: RefCell<Option<PathBuf>>,
    data: PathBuf,
    home: PathBuf,
    // Dropped after `Drop::drop` has killed the server (and the consoles in it).
    _dir: TempDir,
}

impl Tmux {
    fn new(test: &str) -> Tmux {
        require_tmux();
        let dir = tempfile::tempdir().expect("creating a temp dir for the test");
        let home = dir.path().join("home");
        std::fs::create_dir_all(&home).expect("creating the test HOME");
        let socket = format!(
            "opsdeck-e2e-{}-{}-{test}",
            std::process::id(),
            SERVERS.fetch_add(1, Ordering::SeqCst)
        );
        Tmux {
            socket,
            socket_path: RefCell::default(),
            data: dir.path().join("site"),
            home,
            _dir: dir,
        }
    }

    fn data(&self) -> &str {
        self.data.to_str().expect("the temp dir path is UTF-8")
    }

    /// A command with a clean, fixed environment: no user keymap or config, no `NO_COLOR`,
    /// `LC_ALL` or `OPSDECK_*` leaking in from the environment running the tests.
    fn command(&self, program: &str) -> Command {
        let mut c = Command::new(program);
        c.env_clear()
            .env(
                "PATH",
                std::env::var_os("PATH").unwrap_or_else(|| "/usr/bin:/bin".into()),
            )
            .env("HOME", &self.home)
            .env("XDG_CONFIG_HOME", self.home.join(".config"))
            .env("XDG_DATA_HOME", self.home.join(".local/share"))
            .env("LANG", "C.UTF-8")
            .env("TERM", "xterm-256color");
        // The one clock this test runs on (see opsdeck_storage::clock).
        if let Some(spec) = opsdeck_storage::clock::spec() {
            c.env(opsdeck_storage::clock::ENV, spec);
        }
        c
    }

    fn tmux_output(&self, args: &[&str]) -> Output {
        self.command("tmux")
            .args(["-L", &self.socket, "-f", "/dev/null"])
            .args(args)
            .output()
            .expect("running tmux")
    }

    /// Runs a tmux command that must succeed; returns its stdout.
    fn tmux(&self, args: &[&str]) -> String {
        let out = self.tmux_output(args);
        assert!(
            out.status.success(),
            "tmux {args:?} failed ({}): {}",
            out.status,
            String::from_utf8_lossy(&out.stderr)
        );
        String::from_utf8_lossy(&out.stdout).into_owned()
    }

    /// Starts `opsdeck <args>` in a new detached session of `width`x`height`. The pane's shell
    /// prints `EXITED-<status>` when opsdeck ends and stays alive so the screen can be read.
    fn start(
        &self,
        session: &str,
        (width, height): (u16, u16),
        env: &[(&str, &str)],
        args: &[&str],
    ) {
        let mut line = format!("TERM=xterm-256color {}", sh_quote(BIN));
        for a in args {
            line.push(' ');
            line.push_str(&sh_quote(a));
        }
        line.push_str("; echo EXITED-$?; sleep 60");
        let (w, h) = (width.to_string(), height.to_string());
        let mut cmd = vec!["new-session", "-d", "-s", session, "-x", &w, "-y", &h];
        let clock = opsdeck_storage::clock::spec().map(|s| (opsdeck_storage::clock::ENV, s));
        let env: Vec<String> = std::iter::once(("LANG", "C.UTF-8"))
            .chain(env.iter().copied())
            .map(|(k, v)| format!("{k}={v}"))
            .chain(clock.map(|(k, v)| format!("{k}={v}")))
            .collect();
        for e in &env {
            cmd.extend(["-e", e.as_str()]);
        }
        cmd.push(&line);
        self.tmux(&cmd);
        if self.socket_path.borrow().is_none() {
            let path = self.tmux(&["display-message", "-p", "#{socket_path}"]);
            *self.socket_path.borrow_mut() = Some(PathBuf::from(path.trim()));
        }
    }

    /// The visible screen of `target` as plain text.
    fn screen(&self, target: &str) -> String {
        self.tmux(&["capture-pane", "-p", "-t", &pane(target)])
    }

    /// The visible screen of `target` with its SGR escape sequences.
    fn screen_with_escapes(&self, target: &str) -> String {
        self.tmux(&["capture-pane", "-p", "-e", "-t", &pane(target)])
    }

    fn display(&self, target: &str, format: &str) -> String {
        self.tmux(&["display-message", "-p", "-t", &pane(target), format])
            .trim()
            .to_owned()
    }

    /// Types `text` literally.
    fn type_text(&self, target: &str, text: &str) {
        self.tmux(&["send-keys", "-t", &pane(target), "-l", text]);
    }

    /// Sends one named key (`Escape`, `Enter`, `BSpace`...).
    fn key(&self, target: &str, name: &str) {
        self.tmux(&["send-keys", "-t", &pane(target), name]);
        if name == "Escape" {
            std::thread::sleep(AFTER_ESC);
        }
    }

    /// Polls the screen of `target` until `done` holds; panics with the last screen (and the
    /// end of the site's log) after TIMEOUT.
    fn wait_until(&self, target: &str, what: &str, done: impl Fn(&str) -> bool) -> String {
        let deadline = Instant::now() + TIMEOUT;
        loop {
            let screen = self.screen(target);
            if done(&screen) {
                return screen;
            }
            assert!(
                Instant::now() < deadline,
                "timed out after {TIMEOUT:?} in tmux session '{target}' waiting for {what}\n\
                     --- last screen ---\n{screen}--- end of screen ---\n{}",
                self.log_tail()
            );
            std::thread::sleep(POLL);
        }
    }

    fn wait_for(&self, target: &str, text: &str) -> String {
        self.wait_until(target, &format!("{text:?}"), |s| s.contains(text))
    }

    /// Waits for opsdeck in `target` to end, and checks it exited 0 and left the alternate
    /// screen. Returns the (main) screen.
    fn wait_exit_ok(&self, target: &str) -> String {
        let screen = self.wait_for(target, "EXITED-");
        assert!(
            screen.contains("EXITED-0"),
            "opsdeck in session '{target}' did not exit 0\n--- screen ---\n{screen}--- end ---\n{}",
            self.log_tail()
        );
        assert_eq!(
            self.display(target, "#{alternate_on}"),
            "0",
            "session '{target}' is still on the alternate screen after opsdeck exited"
        );
        screen
    }

    /// The last lines of the site's log files, for failure messages.
    fn log_tail(&self) -> String {
        let mut out = String::new();
        let Ok(entries) = std::fs::read_dir(self.data.join("logs")) else {
            return "(no site log)".into();
        };
        for e in entries.flatten() {
            let text = std::fs::read_to_string(e.path()).unwrap_or_default();
            let lines: Vec<&str> = text.lines().collect();
            let _ = writeln!(out, "--- {} (last lines) ---", e.path().display());
            for l in &lines[lines.len().saturating_sub(20)..] {
                let _ = writeln!(out, "{l}");
            }
        }
        out
    }
}

impl Drop for Tmux {
    fn drop(&mut self) {
        let _ = self.tmux_output(&["kill-server"]);
        if let Some(path) = self.socket_path.borrow().as_ref() {
            let _ = std::fs::remove_file(path);
        }
    }
}

/// The active pane of the session named exactly `session`: a bare "t" may resolve to another
/// session ("t2") or the most recent pane, depending on tmux's lookup order.
fn pane(session: &str) -> String {
    format!("={session}:")
}

fn require_tmux() {
    match Command::new("tmux").arg("-V").output() {
        Ok(out) if out.status.success() => {}
        Ok(out) => panic!(
            "these end-to-end tests need tmux, but `tmux -V` failed ({}): {}",
            out.status,
            String::from_utf8_lossy(&out.stderr)
        ),
        Err(e) => {
            panic!("these end-to-end tests need tmux on PATH, but `tmux -V` could not run: {e}")
        }
    }
}

fn sh_quote(s: &str) -> String {
    format!("'{}'", s.replace('\'', r"'\''"))
}

/// The status bar: the last non-blank line of the screen.
fn status_line(screen: &str) -> &str {
    screen
        .lines()
        .rev()
        .find(|l| !l.trim().is_empty())
        .unwrap_or("")
}

/// The colour SGR sequences in `screen` (fg/bg 30-38, 40-48, 90-97, 100-107); default-colour
/// resets (39, 49) and attributes like bold or reverse are not colours.
fn colour_sgrs(screen: &str) -> Vec<String> {
    let mut found = Vec::new();
    let mut rest = screen;
    while let Some(start) = rest.find("\x1b[") {
        rest = &rest[start + 2..];
        let end = rest
            .find(|c: char| !(c.is_ascii_digit() || c == ';' || c == ':'))
            .unwrap_or(rest.len());
        if rest[end..].starts_with('m') {
            let params = &rest[..end];
            let colour = params.split([';', ':']).any(|p| {
                matches!(
                    p.parse::<u32>(),
                    Ok(30..=38 | 40..=48 | 90..=97 | 100..=107)
                )
            });
            if colour {
                found.push(format!("ESC[{params}m"));
            }
        }
        rest = &rest[end..];
    }
    found
}

/// The pid in "console pid <pid> (<user>)".
fn holder_pid(screen: &str) -> u32 {
    let at = screen
        .find("console pid ")
        .expect("the screen names the services holder")
        + "console pid ".len();
    let digits: String = screen[at..]
        .chars()
        .take_while(char::is_ascii_digit)
        .collect();
    digits
        .parse()
        .unwrap_or_else(|e| panic!("no pid after 'console pid' ({e}) on screen:\n{screen}"))
}

/// The parent pid of `pid`, from /proc.
fn parent_pid(pid: u32) -> u32 {
    let stat = std::fs::read_to_string(format!("/proc/{pid}/stat"))
        .unwrap_or_else(|e| panic!("reading /proc/{pid}/stat (is process {pid} alive?): {e}"));
    // "pid (comm) state ppid ..."; comm may hold spaces and parentheses.
    let after = &stat[stat.rfind(')').expect("a /proc stat line has ')'") + 1..];
    after
        .split_whitespace()
        .nth(1)
        .and_then(|p| p.parse().ok())
        .unwrap_or_else(|| panic!("no ppid in /proc/{pid}/stat: {stat}"))
}

fn path_exists(p: &Path) -> bool {
    p.try_exists().unwrap_or(false)
}

#[test]
fn demo_console_switches_panes_searches_and_quits_cleanly() {
    let tmux = Tmux::new("demo");
    assert!(
        !path_exists(&tmux.data),
        "the data dir must start out missing"
    );
    tmux.start("t", (120, 40), &[], &["--data", tmux.data(), "--demo"]);

    tmux.wait_for("t", "Auditoria");
    let screen = tmux.wait_until("t", "the status bar with tenant, role and services", |s| {
        let st = status_line(s);
        st.contains("hospital") && st.contains("(admin)") && st.contains("este console")
    });
    assert!(screen.contains("Ordens"), "{screen}");
    // The console opens on the work orders (loaded by the worker a moment later).
    tmux.wait_until("t", "the work orders with their KPIs", |s| {
        s.contains("Backlog") && s.contains("Ordens (")
    });
    // Guards the NO_COLOR test below: colours do show up in a capture when they are on.
    let coloured = tmux.screen_with_escapes("t");
    assert!(
        !colour_sgrs(&coloured).is_empty(),
        "expected colour escape codes with colour on:\n{coloured}"
    );

    tmux.type_text("t", "3");
    tmux.wait_for("t", "Orçamento Vivo");
    tmux.type_text("t", "5");
    tmux.wait_for("t", "Chega com");
    tmux.type_text("t", "8");
    tmux.wait_for("t", "Trilha de auditoria");
    tmux.type_text("t", "v");
    tmux.wait_for("t", "Cadeia íntegra");
    tmux.type_text("t", "?");
    tmux.wait_for("t", "Ajuda");
    tmux.key("t", "Escape");
    tmux.wait_until("t", "the help overlay to close", |s| !s.contains("Ajuda"));

    // `i` edits the query in the search pane (the [search] keymap section).
    tmux.type_text("t", "7");
    tmux.wait_for("t", "s ou ctrl-f para buscar");
    tmux.type_text("t", "i");
    tmux.wait_for("t", "▏");
    tmux.type_text("t", "ana");
    tmux.wait_for("t", "ana▏");
    // The background indexer fills the index about once a second: until it has, a search finds
    // nothing, so retype the last letter (a fresh search) until the hits show.
    let deadline = Instant::now() + TIMEOUT;
    let mut retyped = Instant::now();
    loop {
        let screen = tmux.screen("t");
        if screen.contains("«ana»") && screen.contains("ana.souza") {
            break;
        }
        assert!(
            Instant::now() < deadline,
            "no search hit for 'ana' within {TIMEOUT:?}\n--- last screen ---\n{screen}--- end ---\n{}",
            tmux.log_tail()
        );
        if retyped.elapsed() >= Duration::from_secs(1) {
            tmux.key("t", "BSpace");
            tmux.type_text("t", "a");
            retyped = Instant::now();
        }
        std::thread::sleep(POLL);
    }

    tmux.key("t", "Escape");
    tmux.type_text("t", "q");
    let screen = tmux.wait_exit_ok("t");
    assert!(
        screen.contains("loading the demo site"),
        "the first run reports loading the demo before the console opens:\n{screen}"
    );
    assert!(
        !screen.contains("Auditoria") && !screen.contains('╭'),
        "the console left its drawing on the main screen:\n{screen}"
    );
    assert_eq!(
        tmux.display("t", "#{cursor_flag}"),
        "1",
        "the cursor is still hidden after opsdeck exited"
    );
    assert!(
        path_exists(&tmux.data.join("opsdeck.toml")),
        "the demo site was not written to --data"
    );
}

#[test]
fn small_terminal_shows_resize_notice() {
    let tmux = Tmux::new("small");
    tmux.start("t", (70, 20), &[], &["--data", tmux.data(), "--demo"]);
    let screen = tmux.wait_for("t", "Terminal pequeno demais");
    assert!(
        screen.contains("(70x20)"),
        "the notice gives the current size:\n{screen}"
    );
    assert!(
        !screen.contains("Auditoria"),
        "no tab bar on a too small terminal:\n{screen}"
    );

    tmux.tmux(&["resize-window", "-t", "t", "-x", "80", "-y", "24"]);
    let screen = tmux.wait_for("t", "Auditoria");
    assert!(
        !screen.contains("Terminal pequeno demais"),
        "the notice stays after resizing:\n{screen}"
    );
    tmux.wait_until("t", "the status bar", |s| {
        status_line(s).contains("hospital")
    });

    tmux.type_text("t", "q");
    tmux.wait_exit_ok("t");
}

#[test]
fn english_and_no_color() {
    let tmux = Tmux::new("nocolor");
    tmux.start(
        "t",
        (120, 40),
        &[("NO_COLOR", "1")],
        &["--data", tmux.data(), "--demo", "--lang", "en"],
    );
    // Until the rows are drawn too (tmux may be read between two rows of a frame).
    let screen = tmux.wait_until("t", "the English tab bar and work orders", |s| {
        s.contains("Audit")
            && s.contains("Work orders")
            && s.contains("Overdue")
            && (s.contains("! 2026-") || s.contains("urgent") || s.contains("high"))
    });
    assert!(
        !screen.contains("Auditoria"),
        "--lang en still shows Portuguese:\n{screen}"
    );
    let no_colour = |what: &str| {
        let raw = tmux.screen_with_escapes("t");
        let found = colour_sgrs(&raw);
        assert!(
            found.is_empty(),
            "NO_COLOR=1 but the {what} has colour codes {found:?}:\n{}",
            raw.replace('\x1b', "ESC")
        );
    };
    // Overdue and urgent orders are marked by words and glyphs, not colour alone.
    assert!(
        screen.contains("! 2026-") || screen.contains("urgent") || screen.contains("high"),
        "{screen}"
    );
    no_colour("work orders pane");

    tmux.type_text("t", "8");
    tmux.wait_for("t", "Audit trail");
    tmux.type_text("t", "v");
    tmux.wait_for("t", "Chain intact");
    no_colour("audit pane");

    tmux.type_text("t", "?");
    tmux.wait_for("t", "Help");
    no_colour("help overlay");
    tmux.key("t", "Escape");
    tmux.wait_until("t", "the help overlay to close", |s| !s.contains("Help —"));

    tmux.type_text("t", "q");
    tmux.wait_exit_ok("t");
}

#[test]
fn two_consoles_share_one_data_dir() {
    let tmux = Tmux::new("shared");
    let out = tmux
        .command(BIN)
        .args(["--data", tmux.data(), "--demo", "user", "list"])
        .output()
        .expect("running opsdeck user list");
    assert!(
        out.status.success(),
        "opsdeck --demo user list failed ({}): {}",
        out.status,
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(
        String::from_utf8_lossy(&out.stdout).contains("ana.souza"),
        "the demo users are listed: {}",
        String::from_utf8_lossy(&out.stdout)
    );

    // A starts first and takes the site services.
    tmux.start("t", (120, 40), &[], &["--data", tmux.data(), "--demo"]);
    tmux.wait_until("t", "A holding the services", |s| {
        status_line(s).contains("este console")
    });

    // B sees that a console holds them, and which one.
    tmux.start("t2", (120, 40), &[], &["--data", tmux.data(), "--demo"]);
    let b = tmux.wait_until("t2", "B naming the services holder", |s| {
        status_line(s).contains("console pid")
    });
    assert!(
        !status_line(&b).contains("este console"),
        "B claims the services too:\n{b}"
    );
    let holder = holder_pid(&b);
    let a_shell: u32 = tmux
        .display("t", "#{pane_pid}")
        .parse()
        .expect("tmux prints A's pane pid");
    assert_eq!(
        parent_pid(holder),
        a_shell,
        "B names pid {holder} as the holder, which is not console A"
    );

    // B shows the trail before A writes to it...
    tmux.type_text("t2", "8");
    let b = tmux.wait_for("t2", "device.create");
    assert!(
        !b.contains("audit.verify"),
        "nothing has verified the chain yet:\n{b}"
    );

    // ...A verifies, which appends an audit entry...
    tmux.type_text("t", "8");
    tmux.wait_for("t", "Trilha de auditoria");
    tmux.type_text("t", "v");
    tmux.wait_for("t", "Cadeia íntegra");

    // ...and B picks it up by itself (it polls the change counter every second).
    tmux.wait_for("t2", "audit.verify");

    tmux.type_text("t", "q");
    tmux.type_text("t2", "q");
    tmux.wait_exit_ok("t");
    tmux.wait_exit_ok("t2");
}

/// The ingest address the Telemetry pane's header shows ("ingest http://127.0.0.1:PORT").
fn ingest_addr(screen: &str) -> std::net::SocketAddr {
    let at = screen
        .find("ingest http://")
        .unwrap_or_else(|| panic!("no ingest address on screen:\n{screen}"))
        + "ingest http://".len();
    let addr: String = screen[at..]
        .chars()
        .take_while(|c| c.is_ascii_digit() || *c == '.' || *c == ':')
        .collect();
    addr.parse()
        .unwrap_or_else(|e| panic!("'{addr}' is not an address ({e}) on screen:\n{screen}"))
}

/// The tenant's ingest secret from the site's secrets.toml.
fn ingest_key(data: &Path, tenant: &str) -> String {
    let text = std::fs::read_to_string(data.join("secrets.toml")).expect("reading secrets.toml");
    let v: toml::Value = toml::from_str(&text).expect("secrets.toml parses");
    v["ingest_keys"][tenant]
        .as_str()
        .expect("the tenant has an ingest key")
        .to_owned()
}

/// Posts signed readings like a device would; panics unless the endpoint accepts them.
fn post(addr: std::net::SocketAddr, key: &str, body: &str) {
    let mut c = opsdeck::ingest::client::IngestClient::new(addr, "hospital", key);
    let r = c
        .post(body.as_bytes())
        .expect("posting to the ingest endpoint");
    assert_eq!(r.status, 200, "ingest refused {body}: {}", r.body);
}

fn reading(device: &str, metric: &str, ago_secs: i64, value: f64) -> String {
    let ts = opsdeck_storage::clock::now() - jiff::SignedDuration::from_secs(ago_secs);
    format!(r#"{{"device":"{device}","ts":"{ts}","metrics":{{"{metric}":{value}}}}}"#)
}

#[test]
fn telemetry_pane_shows_devices_charts_and_handles_an_alert_from_the_keyboard() {
    let tmux = Tmux::new("telemetry");
    tmux.start("t", (120, 40), &[], &["--data", tmux.data(), "--demo"]);
    tmux.wait_for("t", "Auditoria");
    tmux.type_text("t", "2");
    // The demo's devices with their sparklines, and the simulator's readings arriving.
    let screen = tmux.wait_until("t", "the demo devices and live ingest", |s| {
        s.contains("CR-03") && s.contains("AHU-01") && s.contains("ingest http://")
    });
    let addr = ingest_addr(&screen);
    let key = ingest_key(&tmux.data, "hospital");

    // A cold room breaching its 8 °C rule for over a minute raises a critical alert (a new
    // device: the simulator would send normal readings for a demo one).
    post(
        addr,
        &key,
        &format!(
            "[{},{}]",
            reading("CR-E2E", "temp_c", 70, 12.5),
            reading("CR-E2E", "temp_c", 1, 12.5)
        ),
    );
    tmux.wait_for("t", "Alertas (1 aberto)");
    tmux.type_text("t", "v");
    let screen = tmux.wait_for("t", "Câmara fria acima de 8");
    assert!(
        screen.contains("CR-E2E") && screen.contains("aberto"),
        "{screen}"
    );

    // Acknowledge, then resolve with a note typed into the prompt.
    tmux.type_text("t", "a");
    tmux.wait_for("t", "reconhecido");
    tmux.type_text("t", "x");
    tmux.wait_for("t", "o que foi feito");
    tmux.type_text("t", "porta da câmara fechada");
    tmux.key("t", "Enter");
    let screen = tmux.wait_for("t", "Alerta resolvido");
    assert!(screen.contains("resolvido"), "{screen}");
    tmux.wait_until("t", "no open alert", |s| !s.contains("aberto)"));

    // Enter on the alert opens its device: charts with time windows.
    tmux.key("t", "Enter");
    tmux.wait_for("t", "janela 1 h");
    tmux.type_text("t", "w");
    tmux.wait_for("t", "janela 24 h");
    tmux.key("t", "Escape");

    // A new rule: the form checks fields inline and keeps what was typed. `v` goes devices ->
    // alerts -> rules.
    tmux.wait_for("t", "Dispositivos (");
    tmux.type_text("t", "v");
    tmux.wait_for("t", "Alertas (");
    tmux.type_text("t", "v");
    tmux.wait_for("t", "Regras (");
    tmux.type_text("t", "n");
    tmux.wait_for("t", "Nova regra");
    tmux.type_text("t", "Teste e2e");
    tmux.key("t", "Enter");
    let screen = tmux.wait_for("t", "não pode ficar vazio");
    assert!(
        screen.contains("Teste e2e"),
        "the typed name was kept:\n{screen}"
    );
    // The focus went to the field in error (the metric): fill it in and save.
    tmux.type_text("t", "temp_c");
    tmux.key("t", "Enter");
    tmux.wait_for("t", "Regra salva");
    let screen = tmux.wait_for("t", "Teste e2e");
    assert!(!screen.contains("Nova regra"), "the form closed:\n{screen}");
    // Leaving a form with changes asks first.
    tmux.type_text("t", "n");
    tmux.wait_for("t", "Nova regra");
    tmux.type_text("t", "rascunho");
    tmux.key("t", "Escape");
    tmux.wait_for("t", "Descartar as alterações");
    tmux.type_text("t", "s");
    tmux.wait_until("t", "the form to close", |s| !s.contains("Nova regra"));

    tmux.type_text("t", "q");
    tmux.wait_exit_ok("t");
}

#[test]
fn a_second_console_shows_new_readings_without_a_keypress() {
    let tmux = Tmux::new("live");
    tmux.start("a", (120, 40), &[], &["--data", tmux.data(), "--demo"]);
    tmux.wait_for("a", "Auditoria");
    tmux.type_text("a", "2");
    let screen = tmux.wait_for("a", "ingest http://");
    let addr = ingest_addr(&screen);
    let key = ingest_key(&tmux.data, "hospital");

    tmux.start("b", (120, 40), &[], &["--data", tmux.data()]);
    tmux.wait_until("b", "the second console, not holding the services", |s| {
        status_line(s).contains("console pid")
    });
    tmux.type_text("b", "2");
    tmux.wait_for("b", "AHU-01");
    tmux.type_text("b", "/");
    tmux.type_text("b", "E2E");
    tmux.key("b", "Enter");

    post(addr, &key, &reading("E2E-LIVE", "supply_temp_c", 0, 41.5));
    tmux.wait_until("b", "the new device with its value", |s| {
        s.contains("E2E-LIVE") && s.contains("41,5")
    });
    post(addr, &key, &reading("E2E-LIVE", "supply_temp_c", 0, 43.5));
    tmux.wait_for("b", "43,5");

    tmux.type_text("b", "q");
    tmux.wait_exit_ok("b");
    tmux.type_text("a", "q");
    tmux.wait_exit_ok("a");
}

#[test]
fn gas_pane_keys_a_criciuma_day_with_live_qds_and_shows_it_in_the_month_grid() {
    let tmux = Tmux::new("gas");
    tmux.start(
        "g",
        (120, 40),
        &[],
        &["--data", tmux.data(), "--demo", "--tenant", "ceramica"],
    );
    tmux.wait_for("g", "Auditoria");
    tmux.type_text("g", "4");
    // Opens on today for the user's unit (the demo admin runs Criciúma), nothing entered yet.
    let screen = tmux.wait_for("g", "CRI Criciúma");
    assert!(screen.contains("(hoje)"), "{screen}");
    tmux.key("g", "Enter");
    tmux.wait_for("g", "editando");
    // Scheduled: yes; 20 h of the atomizer at 1.350 m³/h; lines 0 and 6 on.
    tmux.type_text("g", " ");
    tmux.key("g", "Down");
    tmux.key("g", "BSpace");
    tmux.type_text("g", "2");
    tmux.wait_for("g", "2.700 m³");
    tmux.type_text("g", "0");
    tmux.wait_for("g", "27.000 m³");
    tmux.key("g", "Down");
    tmux.type_text("g", " ");
    tmux.wait_for("g", "51.000 m³");
    for _ in 0..6 {
        tmux.key("g", "Down");
    }
    tmux.type_text("g", " ");
    tmux.wait_for("g", "63.500 m³");
    tmux.key("g", "Enter");
    let screen = tmux.wait_for("g", "lançamento salvo");
    assert!(!screen.contains("editando"), "{screen}");

    // The month grid shows the day with its QDS, and no longer as missing.
    tmux.type_text("g", "m");
    let today = tmux.wait_for("g", "Mês");
    let _ = today;
    let screen = tmux.wait_until("g", "today's row with its QDS", |s| {
        s.lines()
            .any(|l| l.contains("63.500") && !l.contains("falta"))
    });
    assert!(screen.contains("CRI"), "{screen}");
    tmux.type_text("g", "q");
    tmux.wait_exit_ok("g");
}

#[test]
fn an_alert_becomes_a_work_order_that_is_booked_and_closed_from_the_keyboard() {
    let tmux = Tmux::new("wo");
    tmux.start("w", (120, 40), &[], &["--data", tmux.data(), "--demo"]);
    // The console opens on the work orders of the demo hospital.
    let screen = tmux.wait_for("w", "Backlog");
    assert!(screen.contains("Ordens ("), "{screen}");
    // A test sensor on the vaccine cold room (the simulator sends normal readings for CR-03).
    let out = tmux
        .command(BIN)
        .args([
            "--data",
            tmux.data(),
            "asset",
            "link",
            "CF-VAC-01",
            "CR-E2E",
        ])
        .output()
        .expect("running opsdeck asset link");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );

    // The cold room breaches its 8 °C rule for over a minute: a critical alert.
    tmux.type_text("w", "2");
    let screen = tmux.wait_for("w", "ingest http://");
    let addr = ingest_addr(&screen);
    let key = ingest_key(&tmux.data, "hospital");
    post(
        addr,
        &key,
        &format!(
            "[{},{}]",
            reading("CR-E2E", "temp_c", 70, 12.5),
            reading("CR-E2E", "temp_c", 1, 12.5)
        ),
    );
    tmux.wait_for("w", "Alertas (1 aberto)");
    tmux.type_text("w", "v");
    tmux.wait_for("w", "Câmara fria acima de 8");

    // One key: a predictive order on the asset, with the sensor's readings as evidence.
    tmux.type_text("w", "o");
    let screen = tmux.wait_for("w", "leituras-CR-E2E");
    assert!(
        screen.contains("preditiva") && screen.contains("CF-VAC-01") && screen.contains("urgente"),
        "{screen}"
    );

    // Start it, issue two filters from stock, book 1,5 h at R$ 80,00.
    tmux.type_text("w", "b");
    tmux.wait_for("w", "em andamento");
    tmux.type_text("w", "P");
    tmux.wait_for("w", "peça: baixar");
    tmux.type_text("w", "FLT-G4-592-592");
    tmux.key("w", "Down");
    tmux.key("w", "BSpace");
    tmux.type_text("w", "2");
    tmux.key("w", "Enter");
    tmux.wait_for("w", "Filtro plissado G4");
    tmux.type_text("w", "L");
    tmux.wait_for("w", "mão de obra");
    tmux.key("w", "Down");
    tmux.type_text("w", "1,5");
    tmux.key("w", "Down");
    tmux.type_text("w", "80");
    tmux.key("w", "Enter");
    tmux.wait_for("w", "1,5 h × R$ 80,00");

    // Close it, resolving the alert it came from.
    tmux.type_text("w", "c");
    let screen = tmux.wait_for("w", "Resolver o alerta");
    assert!(screen.contains("sim"), "{screen}");
    tmux.type_text("w", "porta da câmara regulada");
    tmux.key("w", "Enter");
    tmux.wait_for("w", "custo lançado");
    // The page shows the order done and its alert resolved.
    let screen = tmux.wait_for("w", "· concluída");
    assert!(
        screen.contains("R$ 80,00") && screen.contains("resolvido"),
        "{screen}"
    );

    // The alert is no longer open in Telemetry.
    tmux.type_text("w", "2");
    tmux.wait_until("w", "no open alert", |s| {
        s.contains("Alertas (") && !s.contains("aberto)")
    });
    tmux.type_text("w", "q");
    tmux.wait_exit_ok("w");
}

#[test]
fn the_palette_switches_tenant_and_every_pane_follows() {
    let tmux = Tmux::new("tenant");
    tmux.start("t", (100, 30), &[], &["--data", tmux.data(), "--demo"]);
    tmux.wait_until("t", "the hospital's orders", |s| {
        status_line(s).contains("hospital") && s.contains("Ordens (")
    });
    // The hospital has no gas units: the Gas pane says which tenant has.
    tmux.type_text("t", "4");
    tmux.wait_for("t", ":tenant ceramica");

    // `:tenant cer` completes with tab; enter switches, the status bar and the pane follow.
    tmux.type_text("t", ":tenant cer");
    tmux.key("t", "Tab");
    tmux.wait_for("t", "tenant ceramica");
    tmux.key("t", "Enter");
    let s = tmux.wait_until("t", "the ceramics plants' gas", |s| {
        status_line(s).contains("ceramica") && s.contains("CRI Criciúma") && s.contains("QDS")
    });
    assert!(
        !s.contains(":tenant ceramica"),
        "the Gas pane shows the units now:\n{s}"
    );
    // Work orders follow too: the ceramics tenant has no orders of the hospital.
    tmux.type_text("t", "1");
    let s = tmux.wait_until("t", "the ceramics work orders", |s| s.contains("Ordens ("));
    assert!(
        !s.contains("UTA-"),
        "hospital orders shown in ceramica:\n{s}"
    );

    // `:tenant` alone lists the tenants; the picker marks the current one.
    tmux.type_text("t", ":tenant");
    tmux.key("t", "Enter");
    let s = tmux.wait_for("t", "Tenants");
    assert!(s.contains("hospital") && s.contains("(atual)"), "{s}");
    tmux.type_text("t", "k");
    tmux.key("t", "Enter");
    tmux.wait_until("t", "back on the hospital", |s| {
        status_line(s).contains("hospital") && s.contains("UTA-")
    });
    tmux.type_text("t", "q");
    tmux.wait_exit_ok("t");
}

/// Runs `opsdeck --data <site> <args>` (the console holding the site services keeps running);
/// returns its stdout, failing the test on a non-zero exit.
fn opsdeck(tmux: &Tmux, args: &[&str]) -> String {
    let out = tmux
        .command(BIN)
        .args(["--data", tmux.data()])
        .args(args)
        .output()
        .expect("running opsdeck");
    assert!(
        out.status.success(),
        "opsdeck {args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout).into_owned()
}

#[test]
fn a_closed_order_s_cost_reaches_the_ledger_and_a_closed_month_takes_only_an_adjustment() {
    let tmux = Tmux::new("ledger");
    tmux.start("l", (120, 40), &[], &["--data", tmux.data(), "--demo"]);
    tmux.wait_until("l", "the work orders", |s| {
        s.contains("Backlog") && s.contains("Ordens (")
    });
    // An order on chiller 1 with a R$ 2.000 estimate, started (committed), a contractor's
    // service booked on it.
    let made = opsdeck(
        &tmux,
        &[
            "wo",
            "create",
            "--title",
            "Chiller 1 troca do pressostato E2E",
            "--type",
            "corrective",
            "--asset",
            "CAG-CH-01",
        ],
    );
    let id = made
        .split_whitespace()
        .nth(1)
        .expect("OS <id> ...")
        .to_owned();
    opsdeck(&tmux, &["wo", "estimate", &id, "2000"]);
    opsdeck(&tmux, &["wo", "start", &id]);
    opsdeck(
        &tmux,
        &["wo", "service", &id, "Pressostato Danfoss KP5", "1480"],
    );

    // Close it from the keyboard.
    tmux.type_text("l", "/");
    tmux.type_text("l", "E2E");
    tmux.key("l", "Enter");
    tmux.wait_for("l", "troca do pressostato E2E");
    tmux.key("l", "Enter");
    let screen = tmux.wait_for("l", &format!("OS #{id}"));
    assert!(
        screen.contains("Estimativa (comprometida ao iniciar)") && screen.contains("R$ 2.000,00"),
        "{screen}"
    );
    tmux.type_text("l", "c");
    tmux.wait_for("l", "O que foi feito");
    tmux.type_text("l", "pressostato trocado e testado");
    tmux.key("l", "Enter");
    tmux.wait_for("l", "custo lançado");

    // The Ledger: this month, the chilled-water plant (4th row), contracted services (3rd
    // category): the realization, what it used of the estimate and the rest released.
    tmux.type_text("l", "3");
    tmux.wait_for("l", "HSC-CAG Central de água gelada");
    tmux.type_text("l", "jjj");
    tmux.type_text("l", "lll");
    tmux.wait_for("l", "▸Serviços");
    let realized = format!("OS {id} · Pressostato Danfoss KP5");
    tmux.key("l", "Enter");
    let screen = tmux.wait_until(
        "l",
        "the order's entries (the consumer posts within a second)",
        |s| s.contains(&realized) && s.contains("liberação"),
    );
    assert!(
        screen.contains("R$ 1.480,00") && screen.contains("R$ 520,00"),
        "realized 1.480, released 520 of the 2.000 estimate:\n{screen}"
    );
    // From the entry to its order, and back.
    tmux.type_text("l", "/");
    tmux.type_text("l", "Danfoss");
    tmux.key("l", "Enter");
    tmux.key("l", "Enter");
    tmux.wait_for(
        "l",
        &format!("OS #{id} · Chiller 1 troca do pressostato E2E"),
    );
    tmux.type_text("l", "3");
    tmux.wait_for("l", &realized);
    tmux.key("l", "Escape");
    tmux.key("l", "Escape");
    tmux.wait_for("l", "TOTAL");

    // A posting dated in a closed month (the demo closes every month up to the one before
    // last) is refused, nothing typed is lost, and the same form posts it as an adjustment.
    let now = opsdeck_storage::clock::now()
        .to_zoned(jiff::tz::TimeZone::get("America/Sao_Paulo").expect("zone"));
    let closed = now
        .date()
        .first_of_month()
        .checked_sub(jiff::Span::new().months(2))
        .expect("two months back");
    let day = format!("15/{:02}/{}", closed.month(), closed.year());
    tmux.type_text("l", "n");
    tmux.wait_for("l", "Novo lançamento");
    tmux.key("l", "Down");
    tmux.key("l", "C-u");
    tmux.type_text("l", &day);
    tmux.key("l", "Down");
    tmux.key("l", "Down");
    tmux.key("l", "Down");
    tmux.type_text("l", "350");
    tmux.key("l", "Down");
    tmux.type_text("l", "Visita extra E2E");
    tmux.key("l", "Enter");
    let screen = tmux.wait_for("l", "está fechado");
    assert!(screen.contains("lance um ajuste"), "{screen}");
    assert!(screen.contains("Visita extra E2E"), "{screen}");
    // Type: realized -> adjustment (four to the right); its reason; Enter.
    tmux.key("l", "Up");
    for _ in 0..4 {
        tmux.key("l", "Right");
    }
    tmux.wait_for("l", "‹ ajuste ›");
    for _ in 0..6 {
        tmux.key("l", "Down");
    }
    tmux.type_text("l", "visita não faturada no mês");
    tmux.key("l", "Enter");
    let screen = tmux.wait_for("l", "lançado: ajuste");
    assert!(screen.contains("R$ 350,00"), "{screen}");
    // It counts in the first open month (the one after the closed one), naming its own.
    let open = closed
        .checked_add(jiff::Span::new().months(1))
        .expect("a month on");
    let listed = opsdeck(
        &tmux,
        &["ledger", "entries", &open.strftime("%Y-%m").to_string()],
    );
    let line = listed
        .lines()
        .find(|l| l.contains("Visita extra E2E"))
        .unwrap_or_else(|| panic!("the adjustment in the entries:\n{listed}"));
    assert!(
        line.contains("adjust")
            && line.contains(&format!("late, for {}", closed.strftime("%Y-%m"))),
        "{line}"
    );
    tmux.type_text("l", "q");
    tmux.wait_exit_ok("l");
}
