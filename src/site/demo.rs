//! `--demo`: loads sample-data (compiled in) into an empty data dir, then reuses the dir.

use anyhow::{Result, bail};
use opsdeck_import::csv;
use opsdeck_storage::records::user::Role;
use opsdeck_views::i18n::Locale;
use serde::Deserialize;

use super::Site;
use super::access;
use super::init::{self, InitOptions};
use super::paths::SiteDir;
use crate::domain::users;

const SITE: &str = include_str!("../../sample-data/site.toml");
const TENANTS: &str = include_str!("../../sample-data/tenants.csv");
const USERS: &str = include_str!("../../sample-data/users.csv");

#[derive(Deserialize)]
struct SiteFile {
    name: String,
}

#[derive(Deserialize)]
struct TenantRow {
    name: String,
    display_name: String,
    time_zone: String,
    locale: String,
}

#[derive(Deserialize)]
struct UserRow {
    tenant: String,
    name: String,
    role: String,
    full_name: String,
}

/// Opens the demo site at `dir`, loading sample-data first when the dir is empty.
pub fn open_or_load(dir: &SiteDir) -> Result<Site> {
    if !dir.is_empty() {
        let site = Site::open(dir.clone())?;
        // Fill the gap since the demo last ran, so charts join up and nothing looks silent.
        if let Err(e) = super::demo_telemetry::catch_up(&site) {
            tracing::warn!("demo: catching up readings: {e}");
        }
        return Ok(site);
    }
    eprintln!(
        "opsdeck: loading the demo site into {}",
        dir.root().display()
    );
    load(dir)
}

fn load(dir: &SiteDir) -> Result<Site> {
    let site_file: SiteFile = toml::from_str(SITE)?;
    let tenants = csv::read::<TenantRow>("sample-data/tenants.csv", TENANTS.as_bytes());
    let people = csv::read::<UserRow>("sample-data/users.csv", USERS.as_bytes());
    if let Some(e) = tenants.errors.first().or(people.errors.first()) {
        bail!("the built-in demo data is broken: {e}");
    }
    let Some((_, first)) = tenants.records.first() else {
        bail!("the built-in demo data has no tenant");
    };
    let mut site = init::init(
        dir,
        &InitOptions {
            site_name: site_file.name,
            tenant: first.name.clone(),
            display_name: first.display_name.clone(),
            time_zone: first.time_zone.clone(),
            locale: Locale::parse(&first.locale),
            group: None,
        },
    )?;
    for (_, t) in tenants.records.iter().skip(1) {
        init::add_tenant(
            &mut site,
            &t.name,
            &t.display_name,
            &t.time_zone,
            Locale::parse(&t.locale),
        )?;
    }
    let me = access::os_user();
    for (_, t) in &tenants.records {
        let tenant = site.open_tenant(&t.name)?;
        for (row, u) in people.records.iter().filter(|(_, u)| u.tenant == t.name) {
            if u.name == me {
                continue;
            }
            let role: Role = u.role.parse().map_err(|e| {
                anyhow::anyhow!("sample-data/users.csv: row {row}, column 'role': {e}")
            })?;
            users::add(&tenant, &me, &u.name, role, &u.full_name)?;
        }
    }
    super::demo_telemetry::load(&site)?;
    if site.config.tenant("ceramica").is_some() {
        let tenant = site.open_tenant("ceramica")?;
        crate::domain::gas::seed::load(&tenant, &me)?;
        super::demo_gas::load(&site, &me, super::demo_gas::local_today(&site)?)?;
    }
    Ok(site)
}
