//! A site: its data dir, config, secrets and tenants, and the services one process runs for it.

pub mod access;
pub mod config;
pub mod demo;
pub mod init;
pub mod jobs;
pub mod lock;
pub mod paths;
pub mod scheduler;
pub mod services;
pub mod share;

use std::collections::HashMap;
use std::sync::{Arc, Mutex};

use anyhow::{Context, Result, bail};
use opsdeck_storage::{SearchIndex, Tenant};

use config::{Config, Secrets, TenantConfig};
use paths::SiteDir;

/// A tenant's open database and search index.
pub type TenantHandles = (Arc<Tenant>, Arc<SearchIndex>);

pub struct Site {
    pub dir: SiteDir,
    pub config: Config,
    pub secrets: Secrets,
    /// One handle per tenant file and index in this process, shared by the console's worker and
    /// the site services (one page cache, one reader).
    open: Mutex<HashMap<String, TenantHandles>>,
}

impl Site {
    pub fn open(dir: SiteDir) -> Result<Site> {
        if !dir.config().exists() {
            if let Err(e) = std::fs::read_dir(dir.root())
                && e.kind() == std::io::ErrorKind::PermissionDenied
            {
                bail!(
                    "{}: {}",
                    dir.root().display(),
                    access::explain_io(dir.root(), &e)
                );
            }
            bail!(
                "no opsdeck site at {}: create one with `opsdeck init --data {}`, or try the demo with `opsdeck --demo`",
                dir.root().display(),
                dir.root().display()
            );
        }
        let config = Config::load(&dir.config())?;
        let secrets = Secrets::load(&dir.secrets())?;
        access::apply_umask(dir.root());
        Ok(Site {
            dir,
            config,
            secrets,
            open: Mutex::new(HashMap::new()),
        })
    }

    /// The named tenant, or the site's default.
    pub fn tenant_config(&self, name: Option<&str>) -> Result<&TenantConfig> {
        let name = name.unwrap_or(self.config.site.default_tenant.get_ref());
        self.config.tenant(name).with_context(|| {
            format!(
                "no tenant '{name}' in {} (tenants: {})",
                self.dir.config().display(),
                self.config.tenant_names().join(", ")
            )
        })
    }

    /// The tenant's database and search index, opened once per process.
    pub fn tenant(&self, name: &str) -> Result<TenantHandles> {
        let mut open = self.open.lock().unwrap_or_else(|p| p.into_inner());
        if let Some(pair) = open.get(name) {
            return Ok(pair.clone());
        }
        let pair = (
            Arc::new(self.open_tenant_file(name)?),
            Arc::new(SearchIndex::open(&self.dir.tenant_index(name))?),
        );
        open.insert(name.to_owned(), pair.clone());
        Ok(pair)
    }

    pub fn open_tenant(&self, name: &str) -> Result<Arc<Tenant>> {
        Ok(self.tenant(name)?.0)
    }

    pub fn open_index(&self, name: &str) -> Result<Arc<SearchIndex>> {
        Ok(self.tenant(name)?.1)
    }

    /// A handle of its own (not shared), for maintenance that needs the only one: integrity
    /// check, compaction.
    pub fn open_tenant_file(&self, name: &str) -> Result<Tenant> {
        let path = self.dir.tenant_db(name);
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent).map_err(|e| {
                anyhow::anyhow!("{}: {}", parent.display(), access::explain_io(parent, &e))
            })?;
        }
        if let Err(e) = std::fs::OpenOptions::new()
            .read(true)
            .write(true)
            .create(true)
            .truncate(false)
            .open(&path)
        {
            bail!("{}: {}", path.display(), access::explain_io(&path, &e));
        }
        Ok(Tenant::open(name, &path, &self.secrets.seal_key())?)
    }
}
