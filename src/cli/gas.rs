//! `opsdeck gas export`: the monthly Petrobras workbook from the command line.

use std::path::PathBuf;

use anyhow::{Context, Result, bail};
use clap::Subcommand;

use super::Cli;
use crate::domain::access::{Permission, require};
use crate::domain::gas::month::month;
use crate::report::gas::{petrobras_file_name, write_petrobras};
use crate::site::access::os_user;

#[derive(Debug, Subcommand)]
pub enum GasCmd {
    /// Write RC_<MM>_<YYYY>_Petrobras.xlsx for a month (report sheet and the "dados" sheet)
    Export {
        /// The month, YYYY-MM
        #[arg(long)]
        month: String,
        /// Directory to write into [default: the current one]
        #[arg(long)]
        out: Option<PathBuf>,
    },
}

/// "2026-11" -> the first day of that month.
pub fn parse_month(s: &str) -> Result<jiff::civil::Date> {
    let bad = || anyhow::anyhow!("--month '{s}': expected YYYY-MM, e.g. 2026-11");
    let (y, m) = s.trim().split_once('-').ok_or_else(bad)?;
    let (y, m): (i16, i8) = (y.parse().map_err(|_| bad())?, m.parse().map_err(|_| bad())?);
    jiff::civil::Date::new(y, m, 1).map_err(|_| bad())
}

pub fn run(cli: &Cli, c: &GasCmd) -> Result<()> {
    let site = cli.open_site()?;
    let tc = site.tenant_config(cli.tenant.as_deref())?;
    let tenant = site.open_tenant(tc.name())?;
    let me = os_user();
    match c {
        GasCmd::Export { month: m, out } => {
            require(&tenant, &me, Permission::Read)?;
            let first = parse_month(m)?;
            let data = month(&tenant, first)?;
            if data.units.is_empty() {
                bail!("tenant '{}' has no gas units", tc.name());
            }
            let dir = out.clone().unwrap_or_else(|| PathBuf::from("."));
            std::fs::create_dir_all(&dir).with_context(|| format!("creating {}", dir.display()))?;
            let path = dir.join(petrobras_file_name(first));
            write_petrobras(&data, &path)?;
            tenant.write(&me, |tx| {
                tx.audit("gas.export", "gas", &format!("{}", path.display()));
                Ok(())
            })?;
            println!("{}", path.display());
            Ok(())
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn months_parse_or_say_what_is_expected() {
        assert_eq!(
            parse_month("2026-11").unwrap(),
            jiff::civil::date(2026, 11, 1)
        );
        assert!(
            parse_month("2026-13")
                .unwrap_err()
                .to_string()
                .contains("YYYY-MM")
        );
        assert!(parse_month("nov").is_err());
    }
}
