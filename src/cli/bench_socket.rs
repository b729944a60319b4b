//! `opsdeck bench socket`: how fast consoles load their panes through the site service's socket,
//! against a console on the files themselves (its loop and its worker thread, as in the
//! console), while ingest runs at full rate. The site is the
//! demo (a hospital with 41 devices and three days of history, 149 work orders; ceramics plants
//! with gas), the service is a real `opsdeck serve` process, and the load generator posts
//! batches of 100 readings from 100 devices each (a gateway), so the ingest writer holds the
//! write lock as it does in the field.

use std::os::unix::net::UnixStream;
use std::path::{Path, PathBuf};
use std::process::{Child, Command};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::time::{Duration, Instant};

use anyhow::{Context, Result, bail};
use clap::Args;
use jiff::SignedDuration;

use crate::app::Msg;
use crate::app::gas::protocol::{GasCmd, GasQuery};
use crate::app::protocol::{Cmd, Reply};
use crate::app::wire::{self, Greeting, Hello, Request, Response};
use crate::app::wo::protocol::{WoCmd, WoQuery};
use crate::app::worker::Worker;
use crate::app::{audit::protocol::AuditCmd, telemetry::protocol::TmCmd};
use crate::ingest::client::IngestClient;
use crate::site::Site;
use crate::site::access::os_user;
use crate::site::paths::SiteDir;
use opsdeck_storage::locale::Locale;
use opsdeck_views::state::gas::GasView;
use opsdeck_views::state::telemetry::TimeWindow;

#[derive(Debug, Args)]
pub struct SocketArgs {
    /// Consoles loading panes at once
    #[arg(long, default_value_t = 20)]
    pub clients: usize,
    /// Seconds each phase (through the socket, then embedded) runs
    #[arg(long, default_value_t = 10)]
    pub seconds: u64,
    /// Ingest clients posting 100 readings (100 devices) per request, all the time
    #[arg(long, default_value_t = 8)]
    pub ingest_clients: usize,
    /// Where the scratch site goes [default: the system temp dir]
    #[arg(long)]
    pub dir: Option<PathBuf>,
}

/// What each console loads, in turn: the panes as they open.
fn loads(tenant: &str) -> Vec<(&'static str, Cmd)> {
    let mut v = vec![
        (
            "work orders",
            Cmd::Wo(WoCmd::Load {
                query: WoQuery::default(),
                poll: false,
            }),
        ),
        ("telemetry", Cmd::Telemetry(TmCmd::Load)),
        (
            "device 24 h",
            Cmd::Telemetry(TmCmd::LoadDevice {
                id: "AHU-01".into(),
                window: TimeWindow::Day,
                metric: 0,
            }),
        ),
        ("search", Cmd::Search("bomba".into())),
        (
            "audit",
            Cmd::Audit(AuditCmd::Load {
                filter: String::new(),
                around: None,
            }),
        ),
    ];
    if tenant == "ceramica" {
        v = vec![
            (
                "gas month",
                Cmd::Gas(GasCmd::Load(GasQuery {
                    view: GasView::Month,
                    unit: None,
                    unit_chosen: false,
                    day: None,
                    month: None,
                })),
            ),
            ("search", Cmd::Search("atomizador".into())),
        ];
    }
    v
}

struct Scratch(PathBuf);

impl Drop for Scratch {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

struct Service(Child);

impl Drop for Service {
    fn drop(&mut self) {
        let _ = nix::sys::signal::kill(
            nix::unistd::Pid::from_raw(self.0.id() as i32),
            nix::sys::signal::Signal::SIGTERM,
        );
        let _ = self.0.wait();
    }
}

pub fn run(a: &SocketArgs) -> Result<()> {
    let root = a.dir.clone().unwrap_or_else(std::env::temp_dir);
    let scratch = Scratch(root.join(format!("opsdeck-bench-socket-{}", std::process::id())));
    let dir = SiteDir::new(scratch.0.join("site"));
    crate::site::demo::open_or_load(&dir)?;
    let port = std::net::TcpListener::bind("127.0.0.1:0")?
        .local_addr()?
        .port();
    let cfg = std::fs::read_to_string(dir.config())?;
    std::fs::write(
        dir.config(),
        cfg.replace("127.0.0.1:8787", &format!("127.0.0.1:{port}")),
    )?;
    // Laid out as a shared site (ours, the group passing through), so `serve` listens.
    let (uid, gid) = (nix::unistd::geteuid(), nix::unistd::getegid());
    crate::site::share::apply(&dir, uid, gid, gid)?;
    let site = Arc::new(Site::open(dir.clone())?);
    let key = site
        .secrets
        .ingest_keys
        .get("hospital")
        .cloned()
        .context("the demo's ingest key")?;
    let service = Service(
        Command::new("/proc/self/exe")
            .args(["serve", "--data"])
            .arg(dir.root())
            .stderr(std::process::Stdio::null())
            .spawn()
            .context("starting opsdeck serve")?,
    );
    let t = Instant::now();
    while UnixStream::connect(dir.socket()).is_err() {
        if t.elapsed() > Duration::from_secs(60) {
            bail!("the service did not listen within a minute");
        }
        std::thread::sleep(Duration::from_millis(50));
    }
    let cores = std::thread::available_parallelism().map_or(1, |n| n.get());
    println!(
        "opsdeck bench socket · {cores} cores · {} consoles (a quarter on ceramica's gas) · {} s per phase · ingest: {} clients x 100 readings from 100 devices per request",
        a.clients, a.seconds, a.ingest_clients
    );
    let stop = Arc::new(AtomicBool::new(false));
    let posted = Arc::new(AtomicU64::new(0));
    let addr: std::net::SocketAddr = format!("127.0.0.1:{port}").parse()?;
    let ingest: Vec<_> = (0..a.ingest_clients)
        .map(|c| {
            let (stop, posted, key) = (stop.clone(), posted.clone(), key.clone());
            std::thread::spawn(move || gateway(addr, &key, c, &stop, &posted))
        })
        .collect();
    std::thread::sleep(Duration::from_secs(1));

    let time = Duration::from_secs(a.seconds);
    let before = posted.load(Ordering::Relaxed);
    let t0 = Instant::now();
    let socket = phase(a.clients, time, |tenant| {
        let mut c = SocketConsole::open(&dir.socket(), tenant)?;
        Ok(Box::new(move |cmd: Cmd| c.ask(cmd)) as Ask)
    })?;
    let socket_rate = (posted.load(Ordering::Relaxed) - before) as f64 / t0.elapsed().as_secs_f64();
    let rss = memory(service.0.id());
    let before = posted.load(Ordering::Relaxed);
    let t0 = Instant::now();
    let embedded = phase(a.clients, time, |tenant| {
        // As the console does: its loop hands the command to its worker thread and waits.
        let (_, io) = crate::app::opening(&site, Some(tenant), &os_user(), Locale::PtBr)?;
        let (cmd_tx, cmd_rx) = crossbeam_channel::unbounded::<Cmd>();
        let (msg_tx, msg_rx) = crossbeam_channel::unbounded::<Msg>();
        Worker::new(site.clone(), io).spawn(cmd_rx, msg_tx);
        Ok(Box::new(move |cmd: Cmd| {
            cmd_tx.send(cmd)?;
            loop {
                if let Msg::Reply(r) = msg_rx.recv()? {
                    return Ok(Some(r));
                }
            }
        }) as Ask)
    })?;
    let embedded_rate =
        (posted.load(Ordering::Relaxed) - before) as f64 / t0.elapsed().as_secs_f64();
    stop.store(true, Ordering::Relaxed);
    for h in ingest {
        let _ = h.join();
    }
    println!();
    println!(
        "{:<14} {:>9} {:>9} {:>9} {:>9} {:>6} {:>7} {:>9}",
        "pane load", "sock p50", "sock p99", "emb p50", "emb p99", "p99 x", "loads", "reply"
    );
    for p in &socket {
        let Some(e) = embedded.iter().find(|e| e.name == p.name) else {
            continue;
        };
        let (s, t) = (&p.times, &e.times);
        let (sp50, sp99, ep50, ep99) = (pct(s, 50), pct(s, 99), pct(t, 50), pct(t, 99));
        println!(
            "{:<14} {:>9} {:>9} {:>9} {:>9} {:>6.2} {:>7} {:>6} KB",
            p.name,
            ms(sp50),
            ms(sp99),
            ms(ep50),
            ms(ep99),
            sp99.as_secs_f64() / ep99.as_secs_f64().max(1e-9),
            s.len(),
            p.bytes >> 10
        );
    }
    println!();
    println!(
        "ingest meanwhile: {socket_rate:.0} readings/s (socket phase), {embedded_rate:.0} readings/s (embedded phase)"
    );
    if let Some((rss, hwm)) = rss {
        println!(
            "service memory with {} consoles connected: {} MB resident, {} MB peak",
            a.clients,
            rss >> 10,
            hwm >> 10
        );
    }
    drop(service);
    Ok(())
}

type Ask = Box<dyn FnMut(Cmd) -> Result<Option<Reply>> + Send>;

/// One pane's load times, sorted, and the largest reply it got (bincode bytes).
struct Pane {
    name: String,
    times: Vec<Duration>,
    bytes: u64,
}

/// `clients` consoles, each loading its panes in turn for `time`; the latencies per pane.
fn phase(
    clients: usize,
    time: Duration,
    open: impl Fn(&str) -> Result<Ask> + Sync,
) -> Result<Vec<Pane>> {
    let deadline = Instant::now() + time;
    let results: Vec<Result<Vec<(String, Duration, u64)>>> = std::thread::scope(|s| {
        let handles: Vec<_> = (0..clients)
            .map(|c| {
                let open = &open;
                s.spawn(move || {
                    let tenant = if c % 4 == 3 { "ceramica" } else { "hospital" };
                    let mut ask = open(tenant)?;
                    let mut out = Vec::new();
                    while Instant::now() < deadline {
                        for (name, cmd) in loads(tenant) {
                            let t = Instant::now();
                            let r = ask(cmd)?;
                            let took = t.elapsed();
                            if let Some(Reply::Error(e)) = &r {
                                bail!("{name}: {e}");
                            }
                            let size = bincode::serialized_size(&r).unwrap_or(0);
                            out.push((name.to_owned(), took, size));
                        }
                    }
                    Ok(out)
                })
            })
            .collect();
        handles
            .into_iter()
            .map(|h| {
                h.join()
                    .unwrap_or_else(|_| bail!("a console thread panicked"))
            })
            .collect()
    });
    let mut by: Vec<Pane> = Vec::new();
    for r in results {
        for (name, d, size) in r? {
            match by.iter_mut().find(|p| p.name == name) {
                Some(p) => {
                    p.times.push(d);
                    p.bytes = p.bytes.max(size);
                }
                None => by.push(Pane {
                    name,
                    times: vec![d],
                    bytes: size,
                }),
            }
        }
    }
    for p in &mut by {
        p.times.sort();
    }
    Ok(by)
}

/// A console's connection, used in turn: a command, then its reply (notices skipped).
struct SocketConsole(UnixStream);

impl SocketConsole {
    fn open(socket: &Path, tenant: &str) -> Result<SocketConsole> {
        let mut s = UnixStream::connect(socket)?;
        wire::write_frame(&mut s, &Hello::ours())?;
        if let Greeting::Refused { console, site } = wire::read_frame(&s, 1 << 20)? {
            bail!("{}", wire::mismatch(&console, &site));
        }
        wire::write_frame(
            &mut s,
            &Request::Open {
                tenant: Some(tenant.into()),
                locale: Some(Locale::PtBr),
            },
        )?;
        match wire::read_frame::<Response>(&s, 1 << 28)? {
            Response::Opened(_) => Ok(SocketConsole(s)),
            other => bail!("opening {tenant}: {other:?}"),
        }
    }

    fn ask(&mut self, cmd: Cmd) -> Result<Option<Reply>> {
        wire::write_frame(&mut self.0, &Request::Cmd { cmd, upload: None })?;
        loop {
            match wire::read_frame::<Response>(&self.0, 1 << 28)? {
                Response::Reply(r) => return Ok(r),
                Response::Notice(_) | Response::File { .. } => {}
                other => bail!("{other:?}"),
            }
        }
    }
}

/// A gateway posting one reading from each of its 100 devices per request, as fast as acked.
fn gateway(addr: std::net::SocketAddr, key: &str, c: usize, stop: &AtomicBool, posted: &AtomicU64) {
    let mut client = IngestClient::new(addr, "hospital", key);
    let base = crate::clock::now() - SignedDuration::from_mins(30);
    let mut seq: i64 = 0;
    let mut body = String::new();
    while !stop.load(Ordering::Relaxed) {
        body.clear();
        body.push('[');
        let ts = base + SignedDuration::from_millis(seq);
        seq += 1;
        for d in 0..100 {
            if d > 0 {
                body.push(',');
            }
            body.push_str(&format!(
                r#"{{"device":"GW{c:02}-{d:03}","ts":"{ts}","metrics":{{"temp_c":{}}}}}"#,
                18 + (seq + d) % 9
            ));
        }
        body.push(']');
        if let Ok(r) = client.post(body.as_bytes())
            && r.status == 200
        {
            posted.fetch_add(100, Ordering::Relaxed);
        }
    }
}

fn pct(v: &[Duration], p: usize) -> Duration {
    if v.is_empty() {
        return Duration::ZERO;
    }
    v[((v.len() - 1) * p / 100).min(v.len() - 1)]
}

fn ms(d: Duration) -> String {
    format!("{:.1} ms", d.as_secs_f64() * 1000.0)
}

/// (resident, peak resident) of a process, in KiB.
fn memory(pid: u32) -> Option<(u64, u64)> {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).ok()?;
    let field = |name: &str| {
        status
            .lines()
            .find(|l| l.starts_with(name))
            .and_then(|l| l.split_whitespace().nth(1))
            .and_then(|v| v.parse().ok())
    };
    Some((field("VmRSS:")?, field("VmHWM:")?))
}
