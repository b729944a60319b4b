//! `opsdeck init` and `opsdeck tenant add`: a new site's files with generated secrets, and the
//! invoking user as its admin.

use anyhow::{Context, Result, bail};
use opsdeck_storage::locale::Locale;
use opsdeck_storage::records::user::Role;

use super::Site;
use super::access;
use super::config::{self, Secrets};
use super::paths::SiteDir;
use crate::domain::users;

pub struct InitOptions {
    pub site_name: String,
    pub tenant: String,
    pub display_name: String,
    pub time_zone: String,
    pub locale: Locale,
    /// The site is run by its service and reached through it by this group's members.
    pub group: Option<String>,
    /// The service's user, owner of every file (root only; default: who runs init).
    pub owner: Option<String>,
}

pub fn random_hex(bytes: usize) -> Result<String> {
    let mut buf = vec![0u8; bytes];
    getrandom::fill(&mut buf).map_err(|e| anyhow::anyhow!("no system randomness: {e}"))?;
    Ok(hex::encode(buf))
}

pub fn init(dir: &SiteDir, opts: &InitOptions) -> Result<Site> {
    if dir.config().exists() {
        bail!(
            "{} already exists: this data dir holds a site already",
            dir.config().display()
        );
    }
    config::valid_tenant_name(&opts.tenant).map_err(anyhow::Error::msg)?;
    jiff::tz::TimeZone::get(&opts.time_zone)
        .with_context(|| format!("unknown time zone '{}'", opts.time_zone))?;
    let gid = opts
        .group
        .as_deref()
        .map(access::lookup_group)
        .transpose()?;
    std::fs::create_dir_all(dir.root()).map_err(|e| {
        anyhow::anyhow!(
            "{}: {}",
            dir.root().display(),
            access::explain_io(dir.root(), &e)
        )
    })?;
    let owner = match &opts.owner {
        Some(name) => Some(access::lookup_user(name)?),
        None => None,
    };
    let mut text = config::new_config_text(&opts.site_name, &opts.tenant);
    text.push_str(&config::tenant_block(
        &opts.tenant,
        &opts.display_name,
        &opts.time_zone,
        opts.locale,
    ));
    let secrets = Secrets {
        audit_seal_key: random_hex(32)?,
        ingest_keys: [(opts.tenant.clone(), random_hex(32)?)].into(),
        passwords: Default::default(),
    };
    access::write_private(&dir.secrets(), &secrets.to_toml(), false)?;
    std::fs::write(dir.config(), text)
        .with_context(|| format!("writing {}", dir.config().display()))?;
    let site = Site::open(dir.clone())?;
    let tenant = site.open_tenant(&opts.tenant)?;
    let me = access::os_user();
    users::bootstrap_admin(&tenant, &me)?;
    drop(tenant);
    if let Some(gid) = gid {
        let (uid, ugid) = owner.unwrap_or_else(|| (nix::unistd::geteuid(), nix::unistd::getegid()));
        super::share::apply(dir, uid, ugid, gid)?;
    }
    Ok(site)
}

/// Adds a tenant to an existing site; the invoking user becomes its admin.
pub fn add_tenant(
    site: &mut Site,
    name: &str,
    display: &str,
    tz: &str,
    locale: Locale,
) -> Result<()> {
    config::valid_tenant_name(name).map_err(anyhow::Error::msg)?;
    if site.config.tenant(name).is_some() {
        bail!(
            "tenant '{name}' already exists in {}",
            site.dir.config().display()
        );
    }
    jiff::tz::TimeZone::get(tz).with_context(|| format!("unknown time zone '{tz}'"))?;
    let shared = access::is_group_shared(site.dir.root());
    let mut secrets = site.secrets.clone();
    secrets.ingest_keys.insert(name.to_owned(), random_hex(32)?);
    let mut text = config::read_file(&site.dir.config())?;
    text.push_str(&config::tenant_block(name, display, tz, locale));
    // Validate the new text before anything is written.
    config::Config::parse(&site.dir.config(), &text)?;
    access::write_private(&site.dir.secrets(), &secrets.to_toml(), shared)?;
    std::fs::write(site.dir.config(), &text)?;
    *site = Site::open(site.dir.clone())?;
    let tenant = site.open_tenant(name)?;
    users::bootstrap_admin(&tenant, &access::os_user())?;
    Ok(())
}

pub fn default_init(tenant: &str) -> InitOptions {
    InitOptions {
        site_name: "opsdeck".into(),
        tenant: tenant.into(),
        display_name: tenant.into(),
        time_zone: "America/Sao_Paulo".into(),
        locale: Locale::PtBr,
        group: None,
        owner: None,
    }
}

/// The role `init` gives the person who ran it.
pub const FOUNDER_ROLE: Role = Role::Admin;
