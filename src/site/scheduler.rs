//! The one scheduler of the site services: every periodic job (preventive-plan generation, the
//! gas reminders, the meters' QDR, readings retention, and whatever the next panes bring)
//! registers here with its schedule, and one thread runs them in turn until one stop signal.
//! Each run is logged with its duration and outcome; a job that fails or panics is logged and
//! the others go on. Catching up after downtime is each job's own business (they keep what they
//! have done in the database, so a run repeated or late does nothing twice).

use std::panic::AssertUnwindSafe;
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

use crossbeam_channel::{Receiver, RecvTimeoutError, Sender};

/// When a job runs.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Every {
    /// At the start of every minute of the clock (local schedules like 18:00 are minutes).
    Minute,
    /// This long after its last run began.
    Interval(Duration),
}

/// What a run did, in a few words for the log ("3 orders", "nothing due").
pub type Outcome = anyhow::Result<String>;

type Run = Box<dyn FnMut() -> Outcome + Send>;

struct Job {
    /// "pm.generate hospital": the job and the tenant it works for.
    name: String,
    every: Every,
    next: Instant,
    run: Run,
}

/// The jobs to run, before the thread starts.
#[derive(Default)]
pub struct Scheduler {
    jobs: Vec<Job>,
}

/// The scheduler's thread; `stop` (or dropping it) ends it after the run in progress.
pub struct Running {
    stop: Option<Sender<()>>,
    thread: Option<JoinHandle<()>>,
}

impl Scheduler {
    pub fn new() -> Scheduler {
        Scheduler::default()
    }

    /// Registers `run`; its first run is `after` from the start (so that a console opening
    /// is not slowed by every job at once).
    pub fn add(
        &mut self,
        name: impl Into<String>,
        every: Every,
        after: Duration,
        run: impl FnMut() -> Outcome + Send + 'static,
    ) {
        self.jobs.push(Job {
            name: name.into(),
            every,
            next: Instant::now() + after,
            run: Box::new(run),
        });
    }

    /// The names of the jobs registered, in order.
    pub fn names(&self) -> Vec<&str> {
        self.jobs.iter().map(|j| j.name.as_str()).collect()
    }

    pub fn start(self) -> Running {
        let (tx, rx) = crossbeam_channel::bounded::<()>(1);
        let thread = std::thread::Builder::new()
            .name("scheduler".into())
            .spawn(move || run(self.jobs, &rx))
            .expect("spawning the scheduler thread");
        Running {
            stop: Some(tx),
            thread: Some(thread),
        }
    }
}

impl Running {
    /// Ends the thread once the run in progress (if any) is over.
    pub fn stop(mut self) {
        self.shutdown();
    }

    fn shutdown(&mut self) {
        // Dropping the sender wakes the thread at once.
        self.stop.take();
        if let Some(t) = self.thread.take() {
            let _ = t.join();
        }
    }
}

impl Drop for Running {
    fn drop(&mut self) {
        self.shutdown();
    }
}

fn run(mut jobs: Vec<Job>, stop: &Receiver<()>) {
    loop {
        let now = Instant::now();
        for job in jobs.iter_mut().filter(|j| j.next <= now) {
            run_once(job);
            job.next = next_run(job.every, Instant::now());
        }
        let Some(wake) = jobs.iter().map(|j| j.next).min() else {
            // Nothing registered: wait for the stop signal only.
            let _ = stop.recv();
            return;
        };
        match stop.recv_timeout(wake.saturating_duration_since(Instant::now())) {
            Err(RecvTimeoutError::Timeout) => {}
            // Stopped (the sender dropped, or a message sent).
            Ok(()) | Err(RecvTimeoutError::Disconnected) => return,
        }
    }
}

/// One run of `job`, logged with how long it took and what came of it; a panic is a failure
/// like any other and the scheduler goes on.
fn run_once(job: &mut Job) {
    let started = Instant::now();
    let outcome = std::panic::catch_unwind(AssertUnwindSafe(|| (job.run)()));
    let ms = started.elapsed().as_millis() as u64;
    match outcome {
        Ok(Ok(done)) => tracing::debug!(job = job.name.as_str(), ms, "{done}"),
        Ok(Err(e)) => tracing::warn!(job = job.name.as_str(), ms, "failed: {e:#}"),
        Err(p) => {
            let why = p
                .downcast_ref::<String>()
                .map(String::as_str)
                .or_else(|| p.downcast_ref::<&str>().copied())
                .unwrap_or("panic");
            tracing::error!(job = job.name.as_str(), ms, "panicked: {why}");
        }
    }
}

/// When a job runs next, after a run that ended at `now`.
fn next_run(every: Every, now: Instant) -> Instant {
    match every {
        Every::Interval(d) => now + d,
        Every::Minute => {
            let into_minute = crate::clock::now().as_millisecond().rem_euclid(60_000) as u64;
            // The next minute's start, and never sooner than a second from now (a run that
            // ended at :59.9 does not run again at :00.0 of the same minute's clock jitter).
            let wait = Duration::from_millis(60_000 - into_minute);
            now + wait.max(Duration::from_secs(1))
        }
    }
}

#[cfg(test)]
mod tests {
    use std::sync::Arc;
    use std::sync::atomic::{AtomicUsize, Ordering};

    use super::*;

    #[test]
    fn every_job_runs_on_its_schedule_and_a_failing_or_panicking_one_stops_nothing() {
        let ok = Arc::new(AtomicUsize::new(0));
        let bad = Arc::new(AtomicUsize::new(0));
        let mut s = Scheduler::new();
        let fast = Duration::from_millis(10);
        let n = ok.clone();
        s.add("counts", Every::Interval(fast), Duration::ZERO, move || {
            n.fetch_add(1, Ordering::SeqCst);
            Ok("counted".into())
        });
        let b = bad.clone();
        s.add("fails", Every::Interval(fast), Duration::ZERO, move || {
            if b.fetch_add(1, Ordering::SeqCst).is_multiple_of(2) {
                anyhow::bail!("the database is locked");
            }
            panic!("a bug");
        });
        s.add(
            "later",
            Every::Interval(Duration::from_secs(3600)),
            Duration::from_secs(3600),
            || panic!("must not run within the test"),
        );
        assert_eq!(s.names(), ["counts", "fails", "later"]);
        let running = s.start();
        let deadline = Instant::now() + Duration::from_secs(20);
        while (ok.load(Ordering::SeqCst) < 5 || bad.load(Ordering::SeqCst) < 5)
            && Instant::now() < deadline
        {
            std::thread::sleep(Duration::from_millis(5));
        }
        running.stop();
        assert!(
            ok.load(Ordering::SeqCst) >= 5,
            "the healthy job kept running"
        );
        assert!(
            bad.load(Ordering::SeqCst) >= 5,
            "errors and panics did not stop it"
        );
        let after = ok.load(Ordering::SeqCst);
        std::thread::sleep(Duration::from_millis(50));
        assert_eq!(
            ok.load(Ordering::SeqCst),
            after,
            "nothing runs once stopped"
        );
    }

    #[test]
    fn a_minute_job_waits_for_the_next_minute_and_at_least_a_second() {
        let now = Instant::now();
        let next = next_run(Every::Minute, now);
        let wait = next - now;
        assert!(wait >= Duration::from_secs(1) && wait <= Duration::from_secs(60));
        assert_eq!(
            next_run(Every::Interval(Duration::from_secs(600)), now) - now,
            Duration::from_secs(600)
        );
    }

    #[test]
    fn stopping_an_idle_scheduler_is_immediate() {
        let mut s = Scheduler::new();
        s.add(
            "hourly",
            Every::Interval(Duration::from_secs(3600)),
            Duration::from_secs(3600),
            || Ok(String::new()),
        );
        let running = s.start();
        let t = Instant::now();
        running.stop();
        assert!(t.elapsed() < Duration::from_secs(5));
    }
}
