//! The site-services lock: one process per data dir runs ingest, schedulers and outbox consumers.
//! An OS file lock (released by the kernel if the holder dies), plus who holds it, written into
//! the locked file for the status bar and error messages.

use std::fs::{File, OpenOptions, TryLockError};
use std::io::{Read, Seek, Write};
use std::path::Path;

use anyhow::{Context, Result};

pub struct ServicesLock {
    file: File,
}

impl ServicesLock {
    /// Takes the lock if it is free. `Ok(None)` when another process holds it.
    pub fn try_acquire(path: &Path, role: &str) -> Result<Option<ServicesLock>> {
        if let Some(dir) = path.parent() {
            std::fs::create_dir_all(dir).with_context(|| format!("creating {}", dir.display()))?;
        }
        let mut file = OpenOptions::new()
            .read(true)
            .write(true)
            .create(true)
            .truncate(false)
            .open(path)
            .map_err(|e| {
                anyhow::anyhow!(
                    "{}: {}",
                    path.display(),
                    super::access::explain_io(path, &e)
                )
            })?;
        match file.try_lock() {
            Ok(()) => {}
            Err(TryLockError::WouldBlock) => return Ok(None),
            Err(TryLockError::Error(e)) => {
                return Err(e).with_context(|| format!("locking {}", path.display()));
            }
        }
        let who = format!(
            "{role} pid {} ({}) since {}",
            std::process::id(),
            super::access::os_user(),
            crate::clock::now().strftime("%Y-%m-%dT%H:%M:%SZ")
        );
        file.set_len(0)?;
        file.rewind()?;
        file.write_all(who.as_bytes())?;
        file.sync_data()?;
        Ok(Some(ServicesLock { file }))
    }

    /// Who holds the lock, as they wrote it; None when nobody does.
    pub fn holder(path: &Path) -> Option<String> {
        let mut file = File::open(path).ok()?;
        match file.try_lock_shared() {
            // We could take it: nobody holds it (whatever the file says).
            Ok(()) => {
                let _ = file.unlock();
                None
            }
            Err(_) => {
                let mut s = String::new();
                file.read_to_string(&mut s).ok()?;
                Some(s.trim().to_owned()).filter(|s| !s.is_empty())
            }
        }
    }
}

impl Drop for ServicesLock {
    fn drop(&mut self) {
        let _ = self.file.set_len(0);
        let _ = self.file.unlock();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn one_holder_at_a_time_and_it_is_named() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("run/services.lock");
        assert_eq!(ServicesLock::holder(&p), None);
        let a = ServicesLock::try_acquire(&p, "serve")
            .unwrap()
            .expect("free");
        assert!(ServicesLock::try_acquire(&p, "console").unwrap().is_none());
        let h = ServicesLock::holder(&p).unwrap();
        assert!(
            h.starts_with(&format!("serve pid {}", std::process::id())),
            "{h}"
        );
        drop(a);
        assert_eq!(ServicesLock::holder(&p), None);
        assert!(ServicesLock::try_acquire(&p, "console").unwrap().is_some());
    }
}
