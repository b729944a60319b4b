//! The notifications addressed to people of a tenant (the console's `N` list): what a user was
//! sent, and marking one read for themselves.

use anyhow::{Result, anyhow};
use opsdeck_storage::Tenant;
use opsdeck_storage::records::notification::Notification;

/// The notifications addressed to `user`, newest first.
pub fn for_user(tenant: &Tenant, user: &str) -> Result<Vec<Notification>> {
    let mut out: Vec<Notification> = tenant
        .list::<Notification>()?
        .into_iter()
        .map(|v| v.value)
        .filter(|n| n.is_for(user))
        .collect();
    out.reverse();
    Ok(out)
}

/// How many notifications addressed to `user` they have not read.
pub fn unread_count(tenant: &Tenant, user: &str) -> Result<usize> {
    Ok(for_user(tenant, user)?
        .iter()
        .filter(|n| !n.is_read_by(user))
        .count())
}

/// Marks notification `id` read by `user`, who must be one of its recipients. Marking it again
/// writes nothing.
pub fn mark_read(tenant: &Tenant, user: &str, id: u64) -> Result<()> {
    let key = Notification::key(id);
    tenant.write_if(user, |tx| {
        let Some(cur) = tx.get::<Notification>(&key)? else {
            return Ok((false, Err(anyhow!("there is no notification {id}"))));
        };
        if !cur.value.is_for(user) {
            return Ok((
                false,
                Err(anyhow!("notification {id} was not addressed to {user}")),
            ));
        }
        if cur.value.is_read_by(user) {
            return Ok((false, Ok(())));
        }
        let mut n = cur.value;
        n.read_by.push(user.to_owned());
        tx.update(&key, cur.version, n)?;
        Ok((true, Ok(())))
    })?
}
