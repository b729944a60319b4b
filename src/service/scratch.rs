//! The service's own scratch dirs: a file a client sends (an attachment, an import) is written
//! here before the command reads it, and what a command writes (an export) waits here on its way
//! back to the client. Each request has its own dir, removed after it.

use std::os::unix::fs::DirBuilderExt;
use std::path::{Path, PathBuf};

use anyhow::{Context, Result};

pub struct Scratch(PathBuf);

impl Scratch {
    pub fn new(root: &Path) -> Result<Scratch> {
        std::fs::DirBuilder::new()
            .recursive(true)
            .mode(0o700)
            .create(root)
            .with_context(|| format!("creating {}", root.display()))?;
        let mut id = [0u8; 12];
        getrandom::fill(&mut id).map_err(|e| anyhow::anyhow!("random: {e}"))?;
        let dir = root.join(hex::encode(id));
        for sub in ["in", "out"] {
            std::fs::DirBuilder::new()
                .recursive(true)
                .mode(0o700)
                .create(dir.join(sub))?;
        }
        Ok(Scratch(dir))
    }

    /// The request's own dir (what a command run for it may touch).
    pub fn dir(&self) -> &Path {
        &self.0
    }

    /// Where what the client sent is put.
    pub fn input(&self) -> PathBuf {
        self.0.join("in")
    }

    /// Where a command writes what goes back to the client.
    pub fn output(&self) -> PathBuf {
        self.0.join("out")
    }

    /// Writes a file the client sent, under its own name (no directory in it).
    pub fn put(&self, index: usize, name: &str, bytes: &[u8]) -> Result<PathBuf> {
        let safe = Path::new(name)
            .file_name()
            .filter(|n| *n != ".." && *n != ".")
            .context("a file name with a directory in it")?;
        let dir = self.input().join(index.to_string());
        std::fs::DirBuilder::new().mode(0o700).create(&dir)?;
        let path = dir.join(safe);
        std::fs::write(&path, bytes).with_context(|| format!("writing {}", path.display()))?;
        Ok(path)
    }

    /// The files a command wrote, by name.
    pub fn written(&self) -> Vec<PathBuf> {
        let mut files: Vec<PathBuf> = std::fs::read_dir(self.output())
            .map(|it| {
                it.filter_map(Result::ok)
                    .map(|e| e.path())
                    .filter(|p| p.is_file())
                    .collect()
            })
            .unwrap_or_default();
        files.sort();
        files
    }
}

impl Drop for Scratch {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

/// What a service that stopped mid-request left.
pub fn clear(root: &Path) {
    let _ = std::fs::remove_dir_all(root);
}
