//! Where things live in a site data dir.

use std::path::{Path, PathBuf};

#[derive(Debug, Clone)]
pub struct SiteDir {
    root: PathBuf,
}

impl SiteDir {
    pub fn new(root: impl Into<PathBuf>) -> SiteDir {
        SiteDir { root: root.into() }
    }

    /// The platform data dir (e.g. ~/.local/share/opsdeck/site), used when --data is not given.
    pub fn default_root() -> PathBuf {
        project_dirs()
            .map(|d| d.data_dir().join("site"))
            .unwrap_or_else(|| PathBuf::from("opsdeck-data"))
    }

    /// Where `--demo` keeps its site when --data is not given.
    pub fn default_demo_root() -> PathBuf {
        project_dirs()
            .map(|d| d.data_dir().join("demo"))
            .unwrap_or_else(|| PathBuf::from("opsdeck-demo"))
    }

    /// The per-user config dir holding the user's keymap.toml.
    pub fn user_config_dir() -> Option<PathBuf> {
        project_dirs().map(|d| d.config_dir().to_owned())
    }

    pub fn root(&self) -> &Path {
        &self.root
    }
    pub fn config(&self) -> PathBuf {
        self.root.join("opsdeck.toml")
    }
    pub fn secrets(&self) -> PathBuf {
        self.root.join("secrets.toml")
    }
    pub fn tenants(&self) -> PathBuf {
        self.root.join("tenants")
    }
    pub fn tenant_dir(&self, tenant: &str) -> PathBuf {
        self.tenants().join(tenant)
    }
    /// The tenant's evidence store (content-addressed files, see `domain::cmms::evidence`).
    pub fn evidence_dir(&self, tenant: &str) -> PathBuf {
        self.tenant_dir(tenant).join("evidence")
    }
    pub fn tenant_db(&self, tenant: &str) -> PathBuf {
        self.tenant_dir(tenant).join("opsdeck.redb")
    }
    pub fn tenant_index(&self, tenant: &str) -> PathBuf {
        self.tenant_dir(tenant).join("index")
    }
    pub fn run_dir(&self) -> PathBuf {
        self.root.join("run")
    }
    /// The site service's socket: consoles and CLI commands of other users connect here.
    pub fn socket(&self) -> PathBuf {
        self.run_dir().join("opsdeck.sock")
    }
    /// The service's scratch space (uploads, exports on their way to a client): its own.
    pub fn scratch(&self) -> PathBuf {
        self.root.join("tmp")
    }
    pub fn services_lock(&self) -> PathBuf {
        self.run_dir().join("services.lock")
    }
    pub fn logs(&self) -> PathBuf {
        self.root.join("logs")
    }

    /// True when nothing of a site is there yet: a missing dir, or one holding at most the logs
    /// of an earlier attempt.
    pub fn is_empty(&self) -> bool {
        match std::fs::read_dir(&self.root) {
            Ok(it) => it.filter_map(Result::ok).all(|e| e.file_name() == "logs"),
            Err(_) => true,
        }
    }
}

fn project_dirs() -> Option<directories::ProjectDirs> {
    directories::ProjectDirs::from("br", "opsdeck", "opsdeck")
}
