//! E-mail through the site's `[smtp]` server (lettre, blocking): the `Mailer` the domain's
//! reminders send with. The console's notification list is `domain::notifications`.
//!
//! E-mail addresses: a `User` has no e-mail field. The current convention is that the address of
//! a tenant user is `<user name>@<domain>`, where the domain is the part after '@' in
//! `[smtp] from` (with `from = "RC <rc@ceramica.com.br>"`, user `ana.souza` is mailed at
//! `ana.souza@ceramica.com.br`). `Mailer::address_of` is the one place that applies it.
//!
//! `[smtp] starttls = true` (the default) requires STARTTLS before any credential or message is
//! sent, verifying the server against the system's root certificates (rustls with ring);
//! `starttls = false` speaks plain SMTP, meant for a relay on the same host or a test sink.

use std::time::Duration;

use anyhow::{Context, Result, anyhow, bail};
use lettre::message::Mailbox;
use lettre::message::header::ContentType;
use lettre::transport::smtp::authentication::Credentials;
use lettre::{Message, SmtpTransport, Transport};
use serde::Deserialize;

/// How long one SMTP command may take before the send fails.
pub const SMTP_TIMEOUT: Duration = Duration::from_secs(20);

pub use crate::domain::mail::Mailer;

/// The site's `[smtp]` section as written.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SmtpConfig {
    pub host: String,
    #[serde(default = "default_smtp_port")]
    pub port: u16,
    pub from: String,
    #[serde(default)]
    pub username: String,
    #[serde(default)]
    pub password_secret: String,
    #[serde(default = "yes")]
    pub starttls: bool,
}

fn default_smtp_port() -> u16 {
    587
}
fn yes() -> bool {
    true
}
/// E-mail through the site's `[smtp]` server.
#[derive(Clone)]
pub struct SmtpMailer {
    transport: SmtpTransport,
    from: Mailbox,
    domain: String,
    server: String,
}

impl std::fmt::Debug for SmtpMailer {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SmtpMailer")
            .field("server", &self.server)
            .field("from", &self.from.to_string())
            .finish_non_exhaustive()
    }
}

impl SmtpMailer {
    /// Checks `[smtp]` (errors name the key) and builds the transport with the password its
    /// `password_secret` names (the site reads its secrets). Connects to nothing yet.
    pub fn from_config(cfg: &SmtpConfig, password: String) -> Result<SmtpMailer> {
        let host = cfg.host.trim();
        if host.is_empty() {
            bail!("[smtp] host is empty: the SMTP server's name, e.g. \"smtp.example.com\"");
        }
        if cfg.port == 0 {
            bail!("[smtp] port = 0: expected the SMTP server's port, e.g. 587");
        }
        let from: Mailbox = cfg.from.trim().parse().map_err(|e| {
            anyhow!(
                "[smtp] from = {:?}: not an e-mail address ({e}); \
                 expected e.g. \"opsdeck@example.com\" or \"RC <rc@example.com>\"",
                cfg.from
            )
        })?;
        let domain = from.email.domain().to_owned();
        if !password.is_empty() && cfg.username.is_empty() {
            bail!("[smtp] password_secret is set but username is empty (SMTP AUTH needs both)");
        }
        let builder = if cfg.starttls {
            SmtpTransport::starttls_relay(host)
                .map_err(|e| anyhow!("[smtp] host = {host:?} with starttls: {e}"))?
        } else {
            if !password.is_empty() {
                tracing::warn!(
                    "[smtp] starttls = false: the password for {host} is sent unencrypted"
                );
            }
            SmtpTransport::builder_dangerous(host)
        };
        let mut builder = builder.port(cfg.port).timeout(Some(SMTP_TIMEOUT));
        if !cfg.username.is_empty() {
            builder = builder.credentials(Credentials::new(cfg.username.clone(), password));
        }
        Ok(SmtpMailer {
            transport: builder.build(),
            from,
            domain,
            server: format!("{host}:{}", cfg.port),
        })
    }

    /// "host:port", for the log.
    pub fn server(&self) -> &str {
        &self.server
    }

    /// The domain user addresses are made with (from `[smtp] from`).
    pub fn domain(&self) -> &str {
        &self.domain
    }
}

impl Mailer for SmtpMailer {
    fn address_of(&self, user: &str) -> String {
        format!("{user}@{}", self.domain)
    }

    fn send(&self, to: &str, subject: &str, body: &str) -> Result<()> {
        let to: Mailbox = to
            .parse()
            .map_err(|e| anyhow!("{to:?} is not an e-mail address ({e})"))?;
        let message = Message::builder()
            .from(self.from.clone())
            .to(to)
            .subject(subject)
            .header(ContentType::TEXT_PLAIN)
            .body(body.to_owned())
            .context("building the e-mail")?;
        self.transport
            .send(&message)
            .map_err(|e| anyhow!("[smtp] server {}: {e}", self.server))?;
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cfg(from: &str) -> SmtpConfig {
        SmtpConfig {
            host: "127.0.0.1".into(),
            port: 2525,
            from: from.into(),
            username: String::new(),
            password_secret: String::new(),
            starttls: false,
        }
    }

    #[test]
    fn addresses_use_the_domain_of_from() {
        let m = SmtpMailer::from_config(&cfg("RC <rc@ceramica.example>"), String::new()).unwrap();
        assert_eq!(m.address_of("ana.souza"), "ana.souza@ceramica.example");
        assert_eq!(m.domain(), "ceramica.example");
    }

    #[test]
    fn config_errors_name_the_key() {
        let err = |c: &SmtpConfig, pw: &str| {
            SmtpMailer::from_config(c, pw.into())
                .unwrap_err()
                .to_string()
        };
        assert!(err(&cfg("not an address"), "").starts_with("[smtp] from"));
        let mut c = cfg("rc@x.example");
        c.host = " ".into();
        assert!(err(&c, "").starts_with("[smtp] host"));
        let mut c = cfg("rc@x.example");
        c.password_secret = "smtp".into();
        let e = err(&c, "pw");
        assert!(e.contains("username"), "{e}");
    }

    #[test]
    fn starttls_builds_with_ring() {
        let mut c = cfg("rc@x.example");
        c.starttls = true;
        c.host = "smtp.example.com".into();
        c.port = 587;
        SmtpMailer::from_config(&c, String::new()).unwrap();
    }
}
