//! init, tenant, user, config.

use anyhow::{Result, bail};
use clap::{Args, Subcommand};
use opsdeck_storage::records::user::Role;
use opsdeck_views::i18n::Locale;

use super::Cli;
use crate::domain::access::{Permission, require};
use crate::domain::users;
use crate::site::access::{self, os_user};
use crate::site::config::mask;
use crate::site::init::{self, InitOptions};
use crate::site::lock::ServicesLock;
use crate::site::paths::SiteDir;

#[derive(Debug, Args)]
pub struct InitArgs {
    /// Site name shown in the console
    #[arg(long, default_value = "opsdeck")]
    pub site_name: String,
    /// IANA time zone of the first tenant
    #[arg(long, default_value = "America/Sao_Paulo")]
    pub time_zone: String,
    /// pt-BR or en
    #[arg(long, default_value = "pt-BR")]
    pub locale: String,
    /// A shared site: its service alone opens the files, and this Unix group's members reach it
    /// through its socket (their consoles and commands are its clients)
    #[arg(long, value_name = "GROUP")]
    pub group: Option<String>,
    /// With --group, as root: the system user the service runs as, owner of every file
    /// [default: you]
    #[arg(long, value_name = "USER", requires = "group")]
    pub user: Option<String>,
}

#[derive(Debug, Subcommand)]
pub enum TenantCmd {
    /// Add a tenant (its own database and index); you become its admin
    Add {
        name: String,
        #[arg(long, default_value = "")]
        display_name: String,
        #[arg(long, default_value = "America/Sao_Paulo")]
        time_zone: String,
        #[arg(long, default_value = "pt-BR")]
        locale: String,
    },
    /// List tenants
    List,
}

#[derive(Debug, Subcommand)]
pub enum UserCmd {
    /// Give an OS user a role in the tenant (or change it)
    Add {
        name: String,
        #[arg(long, value_parser = parse_role)]
        role: Role,
        #[arg(long, default_value = "")]
        full_name: String,
    },
    /// List users and roles of the tenant
    List {
        #[arg(long)]
        json: bool,
    },
    /// Remove a user's role in the tenant
    Remove { name: String },
}

fn parse_role(s: &str) -> Result<Role, String> {
    s.parse()
}

#[derive(Debug, Subcommand)]
pub enum ConfigCmd {
    /// Print the configuration in effect, secrets masked
    Show,
}

pub fn init(cli: &Cli, a: &InitArgs) -> Result<()> {
    if cli.demo {
        bail!("--demo creates its own site; run `opsdeck --demo` instead of init");
    }
    let dir = cli.site_dir();
    if a.group.is_some() && a.user.is_none() && nix::unistd::geteuid().is_root() {
        bail!(
            "a shared site is run by its own system user, not root: add --user (create one with: useradd --system opsdeck)"
        );
    }
    let tenant = cli.tenant.clone().unwrap_or_else(|| "main".to_owned());
    let site = init::init(
        &dir,
        &InitOptions {
            site_name: a.site_name.clone(),
            tenant: tenant.clone(),
            display_name: tenant.clone(),
            time_zone: a.time_zone.clone(),
            locale: Locale::parse(&a.locale),
            group: a.group.clone(),
            owner: a.user.clone(),
        },
    )?;
    println!("Created the site in {}", dir.root().display());
    println!("  config:  {}", site.dir.config().display());
    println!(
        "  secrets: {} (mode 0600; keep it private)",
        site.dir.secrets().display(),
    );
    println!("  tenant:  {tenant}, with {} as admin", os_user());
    if let Some(g) = &a.group {
        let owner = a.user.clone().unwrap_or_else(os_user);
        println!(
            "  shared with the members of group '{g}' through the site service: every file is {owner}'s alone"
        );
        println!(
            "Start the service as {owner}: opsdeck serve --data {} (`opsdeck site unit --user {owner} --group {g}` prints a systemd unit)",
            dir.root().display()
        );
        return Ok(());
    }
    println!(
        "Open the console with: opsdeck --data {}",
        dir.root().display()
    );
    Ok(())
}

pub fn tenant(cli: &Cli, c: &TenantCmd) -> Result<()> {
    let mut site = cli.open_site()?;
    match c {
        TenantCmd::Add {
            name,
            display_name,
            time_zone,
            locale,
        } => {
            let me = os_user();
            let default = site.open_tenant(site.config.site.default_tenant.get_ref())?;
            crate::domain::access::require(
                &default,
                &me,
                crate::domain::access::Permission::ManageTenants,
            )?;
            drop(default);
            let display = if display_name.is_empty() {
                name
            } else {
                display_name
            };
            init::add_tenant(&mut site, name, display, time_zone, Locale::parse(locale))?;
            println!(
                "Added tenant '{name}' ({}), with {me} as admin",
                site.dir.tenant_db(name).display()
            );
        }
        TenantCmd::List => {
            for t in &site.config.tenants {
                // A client of the service sees the tenants they have a role in.
                if access::acting_for_client()
                    && !matches!(
                        site.open_tenant(t.name())
                            .and_then(|x| crate::domain::access::role_of(&x, &os_user())),
                        Ok(Some(_))
                    )
                {
                    continue;
                }
                let def = if t.name() == site.config.site.default_tenant.get_ref() {
                    " (default)"
                } else {
                    ""
                };
                println!(
                    "{}\t{}\t{}\t{}{def}",
                    t.name(),
                    t.display_name,
                    t.time_zone.get_ref(),
                    t.locale.tag()
                );
            }
        }
    }
    Ok(())
}

pub fn user(cli: &Cli, c: &UserCmd) -> Result<()> {
    let site = cli.open_site()?;
    let tc = site.tenant_config(cli.tenant.as_deref())?;
    let tenant = site.open_tenant(tc.name())?;
    let me = os_user();
    match c {
        UserCmd::Add {
            name,
            role,
            full_name,
        } => {
            users::add(&tenant, &me, name, *role, full_name)?;
            println!("{name} is now {role} in tenant '{}'", tc.name());
        }
        UserCmd::Remove { name } => {
            users::remove(&tenant, &me, name)?;
            println!("{name} no longer has a role in tenant '{}'", tc.name());
        }
        UserCmd::List { json } => {
            if access::acting_for_client() {
                require(&tenant, &me, Permission::Read)?;
            }
            let list = users::list(&tenant)?;
            if *json {
                println!("{}", serde_json::to_string_pretty(&list)?);
            } else {
                for u in list {
                    println!("{}\t{}\t{}", u.name, u.role, u.full_name);
                }
            }
        }
    }
    Ok(())
}

pub fn config(cli: &Cli, c: &ConfigCmd) -> Result<()> {
    let ConfigCmd::Show = c;
    let site = cli.open_site()?;
    // The site's settings and the start of its secrets are the admins' to see.
    if access::acting_for_client() {
        let tc = site.tenant_config(cli.tenant.as_deref())?;
        require(
            &*site.open_tenant(tc.name())?,
            &os_user(),
            Permission::Maintain,
        )?;
    }
    let cfg = &site.config;
    println!("# {}", site.dir.config().display());
    println!(
        "[site]\nname = {:?}\ndefault_tenant = {:?}\n",
        cfg.site.name,
        cfg.site.default_tenant.get_ref()
    );
    for t in &cfg.tenants {
        println!(
            "[[tenants]]\nname = {:?}\ndisplay_name = {:?}\ntime_zone = {:?}\nlocale = {:?}\n",
            t.name(),
            t.display_name,
            t.time_zone.get_ref(),
            t.locale.tag()
        );
    }
    println!(
        "[ingest]\nbind = {:?}\ntimestamp_tolerance_secs = {}\nmax_body_bytes = {}\n",
        cfg.ingest.bind.get_ref(),
        cfg.ingest.timestamp_tolerance_secs,
        cfg.ingest.max_body_bytes
    );
    match &cfg.mqtt {
        Some(m) => println!(
            "[mqtt]\nurl = {:?}\nusername = {:?}\npassword = {:?}\ntls = {}\n",
            m.url,
            m.username,
            site.secrets.masked_password(&m.password_secret),
            m.tls
        ),
        None => println!("# [mqtt] not configured\n"),
    }
    match &cfg.smtp {
        Some(s) => println!(
            "[smtp]\nhost = {:?}\nport = {}\nfrom = {:?}\nusername = {:?}\npassword = {:?}\n",
            s.host,
            s.port,
            s.from,
            s.username,
            site.secrets.masked_password(&s.password_secret)
        ),
        None => println!("# [smtp] not configured\n"),
    }
    println!(
        "[ui]\ncolor = {}\nascii = {}\n",
        cfg.ui.color.unwrap_or(true),
        cfg.ui.ascii
    );
    println!("# {}", site.dir.secrets().display());
    println!("audit_seal_key = {:?}", mask(&site.secrets.audit_seal_key));
    for (t, k) in &site.secrets.ingest_keys {
        println!("ingest_keys.{t} = {:?}", mask(k));
    }
    for (n, p) in &site.secrets.passwords {
        println!("passwords.{n} = {:?}", mask(p));
    }
    println!();
    println!(
        "# site services: {}",
        ServicesLock::holder(&site.dir.services_lock()).unwrap_or_else(|| "not running".into())
    );
    if let Some(dir) = SiteDir::user_config_dir() {
        println!("# your keymap: {}", dir.join("keymap.toml").display());
    }
    println!("# logs: {}", site.dir.logs().display());
    Ok(())
}
