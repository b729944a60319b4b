//! The evidence store: files attached to work orders (photos, reports, a sensor's readings at
//! the time of an alert), kept under the tenant's data dir by the SHA-256 of their content:
//! `<data>/tenants/<tenant>/evidence/<sha[0..2]>/<sha256>`. Content addressing makes a copy
//! tamper-evident (`opsdeck check` re-hashes every referenced file) and stores the same photo
//! attached twice once.
//!
//! A file arrives through a temp file in the store (`.incoming-*`), is flushed to disk and then
//! renamed to its name: a reader never sees half a file, and a crash leaves at most a temp file.
//! Stored files are made read-only. The `EvidenceRef` that points at a file (name, by, at) is
//! the caller's to build and save with its work order.

use std::fs::{self, File, OpenOptions};
use std::io::{self, Read, Write};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};

use anyhow::{Context, Result, bail};
use jiff::Timestamp;
use opsdeck_storage::Tenant;
use opsdeck_storage::records::device::Device;
use opsdeck_storage::records::work_order::EvidenceRef;
use sha2::{Digest, Sha256};

/// Largest file the store takes (50 MiB): photos and PDF reports fit, videos belong elsewhere,
/// and a file over the limit is refused before anything is copied.
pub const MAX_BYTES: u64 = 50 * 1024 * 1024;

/// Whether `sha` is a lowercase hex SHA-256, the only names the store has (so a stored
/// reference can never point outside it).
pub fn is_sha256(sha: &str) -> bool {
    sha.len() == 64
        && sha
            .bytes()
            .all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b))
}

/// Where the content with this hash is (or would be) stored in `store`, a tenant's evidence
/// directory (the site decides where: `SiteDir::evidence_dir`).
pub fn path_of(store: &Path, sha: &str) -> Result<PathBuf> {
    if !is_sha256(sha) {
        bail!("'{sha}' is not a SHA-256 (64 lowercase hex digits)");
    }
    Ok(store.join(&sha[..2]).join(sha))
}

/// A temp file in the store, removed on drop unless it was renamed into place.
struct Incoming {
    path: PathBuf,
    file: Option<File>,
}

impl Incoming {
    fn create(store: &Path) -> Result<Incoming> {
        static N: AtomicU64 = AtomicU64::new(0);
        fs::create_dir_all(store).with_context(|| format!("creating {}", store.display()))?;
        let nanos = crate::clock::now().as_nanosecond();
        for _ in 0..16 {
            let n = N.fetch_add(1, Ordering::Relaxed);
            let path = store.join(format!(".incoming-{}-{nanos}-{n}", std::process::id()));
            match OpenOptions::new().write(true).create_new(true).open(&path) {
                Ok(file) => {
                    return Ok(Incoming {
                        path,
                        file: Some(file),
                    });
                }
                Err(e) if e.kind() == io::ErrorKind::AlreadyExists => continue,
                Err(e) => {
                    return Err(e).with_context(|| format!("creating {}", path.display()));
                }
            }
        }
        bail!("could not create a temp file in {}", store.display())
    }

    /// Moves the finished temp file to `to` (keeping an intact copy already there).
    fn commit(mut self, to: &Path, sha: &str) -> Result<()> {
        if let Some(f) = self.file.take() {
            f.sync_all()
                .with_context(|| format!("writing {}", self.path.display()))?;
        }
        if let Some(parent) = to.parent() {
            fs::create_dir_all(parent).with_context(|| format!("creating {}", parent.display()))?;
        }
        // Same content already stored and intact: keep it (its time stamps stay, nothing moves).
        // A damaged copy is replaced by this good one.
        if to.exists() && hash_file(to).is_ok_and(|(h, _)| h == sha) {
            return Ok(());
        }
        set_read_only(&self.path);
        fs::rename(&self.path, to)
            .with_context(|| format!("moving {} to {}", self.path.display(), to.display()))?;
        if let Some(parent) = to.parent()
            && let Ok(d) = File::open(parent)
        {
            // Make the rename durable too (best effort: not every file system syncs dirs).
            let _ = d.sync_all();
        }
        Ok(())
    }
}

impl Drop for Incoming {
    fn drop(&mut self) {
        self.file.take();
        let _ = fs::remove_file(&self.path);
    }
}

#[cfg(unix)]
fn set_read_only(path: &Path) {
    use std::os::unix::fs::PermissionsExt;
    let _ = fs::set_permissions(path, fs::Permissions::from_mode(0o444));
}

#[cfg(not(unix))]
fn set_read_only(path: &Path) {
    if let Ok(m) = fs::metadata(path) {
        let mut p = m.permissions();
        p.set_readonly(true);
        let _ = fs::set_permissions(path, p);
    }
}

/// SHA-256 (lowercase hex) and size of a file, read in chunks.
pub fn hash_file(path: &Path) -> io::Result<(String, u64)> {
    let mut f = File::open(path)?;
    let mut h = Sha256::new();
    let mut buf = vec![0u8; 64 * 1024];
    let mut size = 0u64;
    loop {
        let n = f.read(&mut buf)?;
        if n == 0 {
            break;
        }
        h.update(&buf[..n]);
        size += n as u64;
    }
    Ok((hex::encode(h.finalize()), size))
}

/// Copies the file at `path` into the store, hashing it on the way. Returns its SHA-256 (hex)
/// and size. Directories, other non-regular files and files over [`MAX_BYTES`] are refused.
pub fn store_file(store: &Path, path: &Path) -> Result<(String, u64)> {
    let shown = path.display();
    let meta = fs::metadata(path).map_err(|e| match e.kind() {
        io::ErrorKind::NotFound => anyhow::anyhow!("{shown}: no such file"),
        _ => anyhow::anyhow!("{shown}: {e}"),
    })?;
    if meta.is_dir() {
        bail!("{shown} is a directory: attach the files in it one by one");
    }
    if !meta.is_file() {
        bail!("{shown} is not a regular file");
    }
    if meta.len() > MAX_BYTES {
        bail!(
            "{shown} is {} MiB; evidence files may be at most {} MiB",
            meta.len().div_ceil(1024 * 1024),
            MAX_BYTES / (1024 * 1024)
        );
    }
    let src = File::open(path).with_context(|| format!("opening {shown}"))?;
    store_reader(store, src).with_context(|| format!("storing {shown} as evidence"))
}

/// Stores generated content (e.g. a readings snapshot). Returns its SHA-256 (hex) and size.
pub fn store_bytes(store: &Path, bytes: &[u8]) -> Result<(String, u64)> {
    if bytes.len() as u64 > MAX_BYTES {
        bail!(
            "evidence may be at most {} MiB, this is {} MiB",
            MAX_BYTES / (1024 * 1024),
            (bytes.len() as u64).div_ceil(1024 * 1024)
        );
    }
    store_reader(store, bytes)
}

fn store_reader(store: &Path, mut src: impl Read) -> Result<(String, u64)> {
    let mut tmp = Incoming::create(store)?;
    let mut h = Sha256::new();
    let mut buf = vec![0u8; 64 * 1024];
    let mut size = 0u64;
    {
        let Some(out) = tmp.file.as_mut() else {
            bail!("temp file closed early");
        };
        loop {
            let n = match src.read(&mut buf) {
                Ok(0) => break,
                Ok(n) => n,
                Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
                Err(e) => return Err(e).context("reading"),
            };
            size += n as u64;
            // The file may have grown since it was measured.
            if size > MAX_BYTES {
                bail!(
                    "over {} MiB (the evidence limit)",
                    MAX_BYTES / (1024 * 1024)
                );
            }
            h.update(&buf[..n]);
            out.write_all(&buf[..n])
                .with_context(|| format!("writing {}", tmp.path.display()))?;
        }
    }
    let sha = hex::encode(h.finalize());
    let to = path_of(store, &sha)?;
    tmp.commit(&to, &sha)?;
    Ok((sha, size))
}

/// What is wrong with one stored evidence file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Fault {
    /// The reference's hash is not a SHA-256: the record itself is damaged.
    BadHash,
    Missing,
    Unreadable(String),
    /// The file's size differs from the one recorded when it was attached.
    Size {
        found: u64,
    },
    /// Same size, other content: the file was altered.
    Hash {
        found: String,
    },
}

/// A referenced evidence file that does not hold what was attached.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Problem {
    pub name: String,
    pub sha256: String,
    pub size: u64,
    pub fault: Fault,
}

impl std::fmt::Display for Problem {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "'{}' (sha256 {}): ", self.name, self.sha256)?;
        match &self.fault {
            Fault::BadHash => write!(f, "the recorded hash is not a SHA-256"),
            Fault::Missing => write!(f, "the file is missing from the evidence store"),
            Fault::Unreadable(e) => write!(f, "unreadable: {e}"),
            Fault::Size { found } => write!(
                f,
                "size is {found} bytes, {} were attached: the file was altered",
                self.size
            ),
            Fault::Hash { found } => {
                write!(f, "content hashes to {found}: the file was altered")
            }
        }
    }
}

/// Re-hashes the file of every reference (each distinct file once) and returns what does not
/// match, in the order of `refs`.
pub fn verify<'a>(store: &Path, refs: impl IntoIterator<Item = &'a EvidenceRef>) -> Vec<Problem> {
    let mut seen: std::collections::HashMap<String, io::Result<(String, u64)>> =
        std::collections::HashMap::new();
    let mut out = Vec::new();
    for r in refs {
        let problem = |fault| Problem {
            name: r.name.clone(),
            sha256: r.sha256.clone(),
            size: r.size,
            fault,
        };
        let Ok(path) = path_of(store, &r.sha256) else {
            out.push(problem(Fault::BadHash));
            continue;
        };
        let found = seen
            .entry(r.sha256.clone())
            .or_insert_with(|| hash_file(&path));
        match found {
            Err(e) if e.kind() == io::ErrorKind::NotFound => out.push(problem(Fault::Missing)),
            Err(e) => out.push(problem(Fault::Unreadable(e.to_string()))),
            Ok((_, size)) if *size != r.size => out.push(problem(Fault::Size { found: *size })),
            Ok((sha, _)) if *sha != r.sha256 => {
                out.push(problem(Fault::Hash { found: sha.clone() }))
            }
            Ok(_) => {}
        }
    }
    out
}

/// A device's raw readings with `from <= time < to` as CSV (`time,metric,value`, time in UTC
/// RFC 3339), oldest first: the snapshot attached to an order made from an alert. Every metric
/// the device is known to send counts, registered or not.
pub fn readings_snapshot_csv(
    tenant: &Tenant,
    device: &str,
    from: Timestamp,
    to: Timestamp,
) -> Result<Vec<u8>> {
    if from >= to {
        bail!("the snapshot window is empty: from {from} is not before to {to}");
    }
    let mut metrics: std::collections::BTreeSet<String> = tenant
        .get::<Device>(device)?
        .map(|d| d.value.metrics.into_keys().collect())
        .unwrap_or_default();
    metrics.extend(
        tenant
            .latest_readings()?
            .into_iter()
            .filter(|l| l.device == device)
            .map(|l| l.metric),
    );
    if metrics.is_empty() {
        bail!(
            "device '{device}' has no readings in tenant '{}'",
            tenant.name()
        );
    }
    let mut rows: Vec<(Timestamp, String, f64)> = Vec::new();
    for m in &metrics {
        for (ts, v) in tenant.readings(device, m, from, to)? {
            rows.push((ts, m.clone(), v));
        }
    }
    rows.sort_by(|a, b| a.0.cmp(&b.0).then_with(|| a.1.cmp(&b.1)));
    let mut w = csv::Writer::from_writer(Vec::new());
    w.write_record(["time", "metric", "value"])?;
    for (ts, m, v) in rows {
        w.write_record([ts.to_string(), m, v.to_string()])?;
    }
    w.into_inner()
        .map_err(|e| anyhow::anyhow!("writing the readings snapshot: {e}"))
}

/// How far back before an alert the attached readings go.
pub const SNAPSHOT_BEFORE: jiff::SignedDuration = jiff::SignedDuration::from_hours(6);
/// How long after the alert the snapshot reaches at most.
pub const SNAPSHOT_AFTER: jiff::SignedDuration = jiff::SignedDuration::from_hours(24);

/// The readings of the alert's device from `SNAPSHOT_BEFORE` before it was raised until `now`
/// (at most `SNAPSHOT_AFTER` after it),
/// stored as CSV evidence ("leituras-CR-03-....csv"), for the order opened from the alert.
/// None when there is no such alert (the caller's own check names it).
pub fn alert_snapshot(
    store: &Path,
    tenant: &Tenant,
    alert_key: &str,
    by: &str,
    now: Timestamp,
) -> Result<Option<EvidenceRef>> {
    let Some(alert) = tenant.get::<opsdeck_storage::records::alert::Alert>(alert_key)? else {
        return Ok(None);
    };
    let alert = alert.value;
    let from = alert.raised_at - SNAPSHOT_BEFORE;
    // An alert open for weeks still gets a snapshot of a bounded size: up to a day after it.
    let to = now
        .min(alert.raised_at + SNAPSHOT_AFTER)
        .max(alert.raised_at + jiff::SignedDuration::from_secs(1));
    let bytes = readings_snapshot_csv(tenant, &alert.device, from, to)?;
    let (sha256, size) = store_bytes(store, &bytes)?;
    Ok(Some(EvidenceRef {
        sha256,
        name: format!(
            "leituras-{}-{}.csv",
            alert.device,
            alert.raised_at.strftime("%Y%m%dT%H%M%SZ")
        ),
        size,
        by: by.to_owned(),
        at: now,
    }))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_sha256_names_make_paths() {
        let store = Path::new("/data/tenants/t/evidence");
        let sha = "ab".repeat(32);
        assert_eq!(
            path_of(store, &sha).unwrap(),
            PathBuf::from(format!("/data/tenants/t/evidence/ab/{sha}"))
        );
        assert!(path_of(store, "../../etc/passwd").is_err());
        assert!(path_of(store, &"AB".repeat(32)).is_err());
    }
}
