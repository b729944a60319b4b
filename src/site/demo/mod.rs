//! `--demo`: loads sample-data (compiled in) into an empty data dir, then reuses the dir.

pub mod assets;
pub mod cmms;
mod common;
pub mod gas;
pub mod ledger;
pub mod plans;
pub mod simulator;
pub mod telemetry;

use anyhow::{Result, bail};
use opsdeck_import::csv;
use opsdeck_storage::Tenant;
use opsdeck_storage::locale::Locale;
use opsdeck_storage::records::user::Role;
use serde::Deserialize;

use crate::domain::access::role_of;
use crate::domain::gas::assign;
use crate::domain::gas::entries::GasAction;
use crate::domain::service::Guarded;
use crate::domain::users;
use crate::site::Site;
use crate::site::access;
use crate::site::init::{self, InitOptions};
use crate::site::paths::SiteDir;

const SITE: &str = include_str!("../../../sample-data/site.toml");
const TENANTS: &str = include_str!("../../../sample-data/tenants.csv");
const USERS: &str = include_str!("../../../sample-data/users.csv");
/// The gas units of the OS user running the demo (its admin), so the gas pane opens on one.
const MY_GAS_UNITS: &[&str] = &["CRI"];

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
    /// Gas unit codes the user runs, space-separated; empty for none.
    #[serde(default)]
    gas_units: String,
}

/// Opens the demo site at `dir`, loading sample-data first when the dir is empty.
pub fn open_or_load(dir: &SiteDir) -> Result<Site> {
    if !dir.is_empty() {
        let site = Site::open(dir.clone())?;
        // Fill the gap since the demo last ran, so charts join up and nothing looks silent.
        if let Err(e) = telemetry::catch_up(&site) {
            tracing::warn!("demo: catching up readings: {e}");
        }
        catch_up_gas(&site);
        // Writes the maintenance history only if it is not there (one read when it is).
        if let Err(e) = cmms::load(&site, &access::os_user()) {
            tracing::warn!("demo: maintenance history: {e:#}");
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
    let people = csv::read::<UserRow>("sample-data/users.csv", USERS.as_bytes());
    if let Some(e) = people.errors.first() {
        bail!("the built-in demo data is broken: {e}");
    }
    let (site, tenants) = site_and_tenants(dir)?;
    let me = access::os_user();
    for t in &tenants {
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
    telemetry::load(&site)?;
    // After the devices exist, so each asset links its sensors.
    assets::load(&site)?;
    // After the assets: the plans name them (the scheduler in the site services then generates
    // the orders).
    plans::load(&site)?;
    // Before the orders: a preventive order's estimate is its procedure's standard cost.
    ledger::standard_costs(&site, &me)?;
    // After the plans and the people: past preventive occurrences, corrective orders, stock.
    cmms::load(&site, &me)?;
    if site.config.tenant(gas::TENANT).is_some() {
        let tenant = site.open_tenant(gas::TENANT)?;
        crate::domain::gas::seed::load(&tenant, &me)?;
        gas::load(&site, &me, gas::local_today(&site)?)?;
        assign_gas_units(&tenant, &me, &people.records)?;
    }
    // After the orders and the gas days: their cost, through the ledger's consumer.
    ledger::load(&site, &me)?;
    Ok(site)
}

/// The demo site in `dir` with its tenants (sample-data/site.toml and tenants.csv), nothing in
/// them yet; their rows. The demo's loaders test on it too.
fn site_and_tenants(dir: &SiteDir) -> Result<(Site, Vec<TenantRow>)> {
    let site_file: SiteFile = toml::from_str(SITE)?;
    let tenants = csv::read::<TenantRow>("sample-data/tenants.csv", TENANTS.as_bytes());
    if let Some(e) = tenants.errors.first() {
        bail!("the built-in demo data is broken: {e}");
    }
    let tenants: Vec<TenantRow> = tenants.records.into_iter().map(|(_, t)| t).collect();
    let Some(first) = tenants.first() else {
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
            owner: None,
        },
    )?;
    for t in tenants.iter().skip(1) {
        init::add_tenant(
            &mut site,
            &t.name,
            &t.display_name,
            &t.time_zone,
            Locale::parse(&t.locale),
        )?;
    }
    Ok((site, tenants))
}

/// Gives the demo's people (column `gas_units`) and `me` their gas units.
fn assign_gas_units(tenant: &Tenant, me: &str, people: &[(u64, UserRow)]) -> Result<()> {
    for (row, u) in people.iter().filter(|(_, u)| u.tenant == tenant.name()) {
        let units: Vec<String> = u.gas_units.split_whitespace().map(str::to_owned).collect();
        // `me` gets MY_GAS_UNITS below, whatever the file says.
        if units.is_empty() || u.name == me {
            continue;
        }
        assign::set_units(tenant, me, &u.name, &units).map_err(|e| {
            anyhow::anyhow!("sample-data/users.csv: row {row}, column 'gas_units': {e:#}")
        })?;
    }
    let mine: Vec<String> = MY_GAS_UNITS.iter().map(|u| u.to_string()).collect();
    assign::set_units(tenant, me, me, &mine)?;
    Ok(())
}

/// On reopening: writes the demo gas days since the demo was last opened (entries, plans, QDR),
/// so the month has no hole. Never fails the open.
fn catch_up_gas(site: &Site) {
    if site.config.tenant(gas::TENANT).is_none() {
        return;
    }
    let me = access::os_user();
    match may_key_past_days(site, &me) {
        Ok(true) => {}
        // Someone else's demo dir: skip quietly, rather than audit a refusal at every open.
        Ok(false) => return,
        Err(e) => {
            tracing::warn!("demo: catching up gas data: {e:#}");
            return;
        }
    }
    // `load` logs what it wrote and how long it took.
    if let Err(e) = gas::local_today(site).and_then(|today| gas::load(site, &me, today)) {
        tracing::warn!("demo: catching up gas data: {e:#}");
    }
}

/// Whether `user` may write what `gas::load` writes (past days, approvals).
fn may_key_past_days(site: &Site, user: &str) -> Result<bool> {
    let tenant = site.open_tenant(gas::TENANT)?;
    Ok(role_of(&tenant, user)?
        .is_some_and(|r| GasAction::EnterPast.allowed(r) && GasAction::ApprovePlan.allowed(r)))
}
