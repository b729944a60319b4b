//! Naming auto-registered devices, setting metric units and labels, linking an asset.

use anyhow::{Result, bail};
use opsdeck_storage::Tenant;
use opsdeck_storage::records::device::Device;

use crate::domain::access::{Permission, require};

#[derive(Debug, Clone, Default, serde::Serialize, serde::Deserialize)]
pub struct DeviceEdit {
    pub name: Option<String>,
    pub asset: Option<String>,
    /// (metric, unit)
    pub units: Vec<(String, String)>,
}

/// Applies `change` to the device as read at `version` (None: as it is now).
pub fn edit(
    tenant: &Tenant,
    user: &str,
    id: &str,
    version: Option<u64>,
    change: &DeviceEdit,
) -> Result<Device> {
    require(tenant, user, Permission::ManageTelemetry)?;
    let Some(current) = tenant.get::<Device>(id)? else {
        bail!("no device '{id}' (devices appear with their first reading)");
    };
    let version = version.unwrap_or(current.version);
    let mut d = current.value.clone();
    if let Some(n) = &change.name {
        d.name = n.trim().to_owned();
    }
    if let Some(a) = &change.asset {
        d.asset = a.trim().to_owned();
    }
    for (metric, unit) in &change.units {
        let Some(m) = d.metrics.get_mut(metric) else {
            bail!(
                "device '{id}' has no metric '{metric}' (it has: {})",
                d.metrics.keys().cloned().collect::<Vec<_>>().join(", ")
            );
        };
        m.unit = unit.trim().to_owned();
    }
    // Naming or editing a device is confirming it.
    d.confirmed = true;
    let stored = tenant.write(user, |tx| tx.update(id, version, d))?;
    Ok(stored.value)
}
