//! `opsdeck` without a command: the console, configured from the flags, the site's `[ui]` and
//! the user's own keymap, then handed to `app::run` ready.

use std::sync::Arc;

use anyhow::Result;
use opsdeck_views::theme::Theme;

use super::Cli;
use crate::app::remote::Connection;
use crate::app::{Console, Target, UiOptions};
use crate::site::Site;
use crate::site::access::service_socket;
use crate::site::paths::SiteDir;
use crate::site::services::ServiceOptions;
use opsdeck_views::i18n::Locale;

pub fn ready(cli: &Cli) -> Result<Console> {
    let dir = cli.site_dir();
    if !cli.demo
        && let Some(socket) = service_socket(&dir)?
    {
        // A shared site: the service opens the files; this console is its client.
        let lang = cli.lang.as_deref().map(Locale::parse);
        let conn = Connection::open(&socket, cli.tenant.as_deref(), lang)?;
        let o = &conn.opening;
        let ui = UiOptions {
            locale: lang.or(o.locale).unwrap_or_else(|| cli.locale(None)),
            theme: theme_of(cli, o.color, o.ascii),
            user_keymap: user_keymap(),
        };
        return Ok(Console {
            target: Target::Remote(Box::new(conn)),
            tenant: cli.tenant.clone(),
            ui,
            services: ServiceOptions { demo: false },
        });
    }
    let site = cli.open_site()?;
    let ui = UiOptions {
        locale: cli.locale(Some(&site)),
        theme: theme(cli, &site),
        user_keymap: user_keymap(),
    };
    Ok(Console {
        target: Target::Embedded(Arc::new(site)),
        tenant: cli.tenant.clone(),
        ui,
        services: ServiceOptions { demo: cli.demo },
    })
}

fn theme(cli: &Cli, site: &Site) -> Theme {
    theme_of(cli, site.config.ui.color, site.config.ui.ascii)
}

/// The flags and NO_COLOR over the site's `[ui]` colour and ASCII settings.
fn theme_of(cli: &Cli, color: Option<bool>, ascii: bool) -> Theme {
    let no_color_env = std::env::var_os("NO_COLOR").is_some_and(|v| !v.is_empty());
    Theme {
        color: !(cli.no_color || no_color_env || color == Some(false)),
        ascii: cli.ascii || ascii,
    }
}

/// The user's `keymap.toml` (file name, contents), if they have one.
fn user_keymap() -> Option<(String, String)> {
    let path = SiteDir::user_config_dir()?.join("keymap.toml");
    let text = std::fs::read_to_string(&path).ok()?;
    Some((path.display().to_string(), text))
}
