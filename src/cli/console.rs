//! `opsdeck` without a command: the console, configured from the flags, the site's `[ui]` and
//! the user's own keymap, then handed to `app::run` ready.

use std::sync::Arc;

use anyhow::Result;
use opsdeck_views::theme::Theme;

use super::Cli;
use crate::app::{Console, UiOptions};
use crate::site::Site;
use crate::site::paths::SiteDir;
use crate::site::services::ServiceOptions;

pub fn ready(cli: &Cli) -> Result<Console> {
    let site = cli.open_site()?;
    let ui = UiOptions {
        locale: cli.locale(Some(&site)),
        theme: theme(cli, &site),
        user_keymap: user_keymap(),
    };
    Ok(Console {
        site: Arc::new(site),
        tenant: cli.tenant.clone(),
        ui,
        services: ServiceOptions { demo: cli.demo },
    })
}

fn theme(cli: &Cli, site: &Site) -> Theme {
    let no_color_env = std::env::var_os("NO_COLOR").is_some_and(|v| !v.is_empty());
    Theme {
        color: !(cli.no_color || no_color_env || site.config.ui.color == Some(false)),
        ascii: cli.ascii || site.config.ui.ascii,
    }
}

/// The user's `keymap.toml` (file name, contents), if they have one.
fn user_keymap() -> Option<(String, String)> {
    let path = SiteDir::user_config_dir()?.join("keymap.toml");
    let text = std::fs::read_to_string(&path).ok()?;
    Some((path.display().to_string(), text))
}
