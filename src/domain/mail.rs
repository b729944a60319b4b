//! Sending plain-text e-mail as the domain needs it (the gas reminders): the site's SMTP mailer
//! (`notify`) implements it; tests bring their own.

use anyhow::Result;

/// Sends plain-text e-mail.
pub trait Mailer: Send + Sync {
    /// The e-mail address of a tenant user (see the module doc for the convention).
    fn address_of(&self, user: &str) -> String;

    /// Sends one message to one address; Ok once the server accepted it.
    fn send(&self, to: &str, subject: &str, body: &str) -> Result<()>;
}
