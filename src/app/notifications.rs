//! The worker's side of the notification list (`N`): what was sent to the user, newest first,
//! and marking one read.

use opsdeck_views::state::NotificationRow;

use opsdeck_views::i18n::Texts;

use super::io::Io;
use crate::domain::notifications as notify;

pub fn list(io: &Io) -> anyhow::Result<Vec<NotificationRow>> {
    let failed = io.locale.strings().email_failed;
    Ok(notify::for_user(&io.tenant, &io.user)?
        .into_iter()
        .map(|n| NotificationRow {
            id: n.id,
            at: io.when(n.created_at),
            read: n.is_read_by(&io.user),
            email: match (&n.email_error, n.emailed_to.is_empty()) {
                (Some(e), _) => format!("{failed}: {e}"),
                (None, false) => format!("e-mail: {}", n.emailed_to.join(", ")),
                (None, true) => String::new(),
            },
            subject: n.subject,
            body: n.body,
        })
        .collect())
}

/// Marks notification `id` read for the user; the list as it is then.
pub fn mark_read(io: &Io, id: u64) -> anyhow::Result<Vec<NotificationRow>> {
    notify::mark_read(&io.tenant, &io.user, id)?;
    list(io)
}

pub fn unread(io: &Io) -> anyhow::Result<usize> {
    notify::unread_count(&io.tenant, &io.user)
}
