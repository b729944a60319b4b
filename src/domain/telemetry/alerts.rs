//! People acting on alerts: acknowledge (who, when) and resolve by hand with a note. The engine
//! raises and auto-resolves; these are the only other writers of `Alert` records.

use anyhow::{Result, bail};
use opsdeck_storage::Tenant;
use opsdeck_storage::Versioned;
use opsdeck_storage::records::alert::{Alert, AlertStatus};

use super::engine::AlertEvent;
use crate::domain::access::{Permission, require};

/// Open alerts first (by severity, worst first, newest first), then resolved ones newest first.
pub fn list(tenant: &Tenant) -> Result<Vec<Versioned<Alert>>> {
    let mut all = tenant.list::<Alert>()?;
    all.sort_by(|a, b| {
        let (a, b) = (&a.value, &b.value);
        b.is_open()
            .cmp(&a.is_open())
            .then(b.severity.cmp(&a.severity))
            .then(b.raised_at.cmp(&a.raised_at))
    });
    Ok(all)
}

/// The refusal for acting on a resolved alert; an `Error::Invalid` so nothing is written.
fn already_resolved(a: &Alert) -> opsdeck_storage::Error {
    let by = a
        .resolved_by
        .as_deref()
        .unwrap_or("the alert engine (condition cleared)");
    let at = a.resolved_at.map(|t| t.to_string()).unwrap_or_default();
    opsdeck_storage::Error::Invalid(format!(
        "alert {} was already resolved by {by} at {at}",
        a.id
    ))
}

fn event(a: &Alert, key: &str, message: &str) -> Vec<u8> {
    serde_json::to_vec(&AlertEvent {
        alert: key.to_owned(),
        id: a.id,
        rule: a.rule.clone(),
        device: a.device.clone(),
        severity: a.severity.to_string(),
        message: message.to_owned(),
        value: a.last_value,
        at: crate::clock::now(),
    })
    .unwrap_or_default()
}

/// Marks an open alert as seen by `user`. The check is on the alert's state, not on the version
/// the user looked at: acknowledging is only refused when it no longer applies (resolved).
pub fn acknowledge(tenant: &Tenant, user: &str, key: &str) -> Result<()> {
    require(tenant, user, Permission::HandleAlerts)?;
    tenant.write(user, |tx| {
        let Some(current) = tx.get::<Alert>(key)? else {
            return Err(opsdeck_storage::Error::NotFound {
                kind: "alert".into(),
                key: key.into(),
            });
        };
        let mut a = current.value.clone();
        if a.status == AlertStatus::Resolved {
            return Err(already_resolved(&a));
        }
        if a.status == AlertStatus::Acknowledged {
            return Ok(()); // someone was quicker: nothing to do
        }
        a.status = AlertStatus::Acknowledged;
        a.acked_by = Some(user.to_owned());
        a.acked_at = Some(tx.now());
        let payload = event(&a, key, "acknowledged");
        tx.update(key, current.version, a)?;
        tx.emit("alert.acknowledged", "alert", key, payload);
        Ok(())
    })?;
    Ok(())
}

/// Resolves an alert by hand. The note is required: it is what the next shift reads. If the
/// condition still holds, the alert is not raised again until it has cleared first. Refused
/// when it was resolved meanwhile (by the engine or someone else), naming who and when.
pub fn resolve(tenant: &Tenant, user: &str, key: &str, note: &str) -> Result<()> {
    require(tenant, user, Permission::HandleAlerts)?;
    let note = note.trim();
    if note.is_empty() {
        bail!("a note is required to resolve an alert by hand (what was done or found)");
    }
    tenant.write(user, |tx| {
        let Some(current) = tx.get::<Alert>(key)? else {
            return Err(opsdeck_storage::Error::NotFound {
                kind: "alert".into(),
                key: key.into(),
            });
        };
        let mut a = current.value.clone();
        if a.status == AlertStatus::Resolved {
            return Err(already_resolved(&a));
        }
        a.status = AlertStatus::Resolved;
        a.resolved_at = Some(tx.now());
        a.resolved_by = Some(user.to_owned());
        a.resolve_note = note.to_owned();
        let payload = event(&a, key, note);
        tx.update(key, current.version, a)?;
        tx.emit("alert.resolved", "alert", key, payload);
        Ok(())
    })?;
    Ok(())
}
