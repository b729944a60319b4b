//! The demo hospital's maintained assets (sample-data/cmms/assets.csv): chillers, pumps, air
//! handlers, fan coils, cold rooms and splits of the Hospital Santa Clara, each with the
//! telemetry device that watches it (the `sensors` column; the same tags as the `asset` column
//! of sample-data/telemetry/devices.csv). Loaded through the asset import, so the demo follows
//! the same rules and leaves the same audit trail as a real site, and loading twice changes
//! nothing.

use std::time::Instant;

use anyhow::{Result, bail};

use crate::domain::cmms::assets::{self, Imported};
use crate::site::{Site, access};

/// The demo tenant that has assets.
pub const TENANT: &str = "hospital";
pub const FILE: &str = "sample-data/cmms/assets.csv";
const CSV: &str = include_str!("../../../sample-data/cmms/assets.csv");

/// Imports the demo assets into tenant [`TENANT`] (when the site has it) as the OS user, the
/// demo's admin, and links each asset's devices. Run after `demo_telemetry::load`, so the
/// devices exist and get linked.
pub fn load(site: &Site) -> Result<Option<Imported>> {
    let Some(tc) = site.config.tenant(TENANT) else {
        return Ok(None);
    };
    let started = Instant::now();
    let today = crate::clock::now().to_zoned(tc.zone()).date();
    let tenant = site.open_tenant(TENANT)?;
    let me = access::os_user();
    match assets::import(&tenant, &me, FILE, CSV.as_bytes(), today)? {
        Ok(r) => {
            tracing::info!(
                created = r.created,
                updated = r.updated,
                links = r.links,
                elapsed_ms = started.elapsed().as_millis() as u64,
                "demo assets loaded"
            );
            Ok(Some(r))
        }
        Err(errors) => {
            let first = errors.first().map(ToString::to_string).unwrap_or_default();
            bail!(
                "the built-in demo assets are broken ({} problem(s)): {first}",
                errors.len()
            )
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_hospital_device_is_an_assets_sensor() {
        let parsed = opsdeck_import::csv::read::<assets::AssetRow>(FILE, CSV.as_bytes());
        assert!(parsed.errors.is_empty(), "{:?}", parsed.errors);
        let sensors: std::collections::BTreeMap<String, String> = parsed
            .records
            .iter()
            .flat_map(|(_, r)| {
                r.sensors
                    .split_whitespace()
                    .map(|s| (s.to_owned(), r.tag.clone()))
                    .collect::<Vec<_>>()
            })
            .collect();
        let devices: Vec<_> = super::super::telemetry::devices()
            .into_iter()
            .filter(|d| d.tenant == TENANT)
            .collect();
        assert_eq!(devices.len(), 40);
        for d in devices {
            assert_eq!(sensors.get(&d.id), Some(&d.asset), "device {}", d.id);
        }
    }
}
