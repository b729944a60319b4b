//! `opsdeck gas`: setting up the units and contract, the monthly Petrobras workbook (export,
//! import of past days) and who runs which unit (assign, operators).

use std::path::PathBuf;

use anyhow::{Context, Result, bail};
use clap::Subcommand;

use super::Cli;
use crate::domain::access::{Permission, require};
use crate::domain::gas::entries::{self, GasAction};
use crate::domain::gas::{assign, seed};
use crate::report::gas::export_month;
use crate::site::access::os_user;

#[derive(Debug, Subcommand)]
pub enum GasCmd {
    /// Load gas units, their equipment rates and the supply contract (admin): the spec's three
    /// units and default contract, or FILE in the same TOML layout (sample-data/gas/units.toml).
    /// Units and contracts already there are left as they are.
    Setup { file: Option<PathBuf> },
    /// Write RC_<MM>_<YYYY>_Petrobras.xlsx for a month (report sheet and the "dados" sheet)
    Export {
        /// The month, YYYY-MM
        #[arg(long)]
        month: String,
        /// Directory to write into [default: the current one]
        #[arg(long)]
        out: Option<PathBuf>,
    },
    /// Import past days from the workbook's "dados" sheet (or CSV with the same columns);
    /// a file with any problem imports nothing
    Import {
        file: PathBuf,
        /// Import the good rows and report the bad ones, instead of refusing the file
        #[arg(long)]
        skip_bad_rows: bool,
    },
    /// Set the gas units USER runs (the 18:00 missing-entry reminder goes to a unit's operators;
    /// the gas pane opens on their unit); replaces USER's list (admin)
    Assign {
        /// OS user name with a role in the tenant
        user: String,
        /// Unit codes, e.g. CRI URU
        #[arg(required_unless_present = "none", conflicts_with = "none")]
        units: Vec<String>,
        /// Remove USER's assignment instead
        #[arg(long)]
        none: bool,
    },
    /// List each gas unit with the users assigned to it
    Operators,
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
            let dir = out.clone().unwrap_or_else(|| PathBuf::from("."));
            let path = export_month(&tenant, &me, parse_month(m)?, &dir)?;
            println!("{}", path.display());
            Ok(())
        }
        GasCmd::Assign { user, units, none } => {
            let units: &[String] = if *none { &[] } else { units };
            let done = assign::set_units(&tenant, &me, user, units)
                .with_context(|| format!("gas assign {user} in tenant '{}'", tc.name()))?;
            println!("{}", assigned_line(&done, tc.name()));
            Ok(())
        }
        GasCmd::Setup { file } => {
            entries::require(&tenant, &me, GasAction::Configure)?;
            let loaded = match file {
                None => seed::load_toml(&tenant, &me, seed::FILE_NAME, seed::UNITS_TOML)?,
                Some(path) => {
                    let text = std::fs::read_to_string(path)
                        .with_context(|| format!("reading {}", path.display()))?;
                    seed::load_toml(&tenant, &me, &path.display().to_string(), &text)?
                }
            };
            if loaded.units.is_empty() && loaded.contract.is_none() {
                println!(
                    "tenant '{}': nothing new (units and contract already there)",
                    tc.name()
                );
            } else {
                println!(
                    "tenant '{}': units added: {}; contract from: {}",
                    tc.name(),
                    if loaded.units.is_empty() {
                        "none".to_owned()
                    } else {
                        loaded.units.join(", ")
                    },
                    loaded.contract.as_deref().unwrap_or("(already there)")
                );
            }
            Ok(())
        }
        GasCmd::Operators => {
            require(&tenant, &me, Permission::Read)?;
            let list = assign::operators_by_unit(&tenant)?;
            if list.is_empty() {
                bail!("tenant '{}' has no gas units", tc.name());
            }
            for u in list {
                println!("{}", operators_line(&u));
            }
            Ok(())
        }
        GasCmd::Import {
            file,
            skip_bad_rows,
        } => {
            let label = file.display().to_string();
            let parsed = opsdeck_import::gas::read_data_sheet(file)
                .map_err(|e| anyhow::anyhow!("{label}: {e}"))?;
            let today = crate::clock::now().to_zoned(tc.zone()).date();
            let bar = indicatif::ProgressBar::new(parsed.records.len() as u64);
            let opts = crate::domain::gas::import::Options {
                today,
                skip_bad_rows: *skip_bad_rows,
            };
            let result =
                crate::domain::gas::import::import(&tenant, &me, &label, &parsed, opts, |n| {
                    bar.set_position(n as u64)
                })?;
            bar.finish_and_clear();
            match result {
                Ok(r) => {
                    println!(
                        "{label}: {} entries written ({} unchanged), {} plans, {} QDR ({} kept: keyed by hand), {} bad rows skipped",
                        r.entries_written,
                        r.entries_unchanged,
                        r.plans,
                        r.qdrs,
                        r.qdrs_kept_manual,
                        r.skipped_rows
                    );
                    Ok(())
                }
                Err(errors) => {
                    for e in &errors {
                        eprintln!("{e}");
                    }
                    bail!(
                        "{label}: {} problem(s), nothing imported (fix them, or use --skip-bad-rows)",
                        errors.len()
                    )
                }
            }
        }
    }
}

/// "bia runs CRI, URU in tenant 'ceramica'", "(unchanged)" when nothing was written.
fn assigned_line(a: &assign::Assignment, tenant: &str) -> String {
    let what = if a.units.is_empty() {
        format!("{} runs no gas unit in tenant '{tenant}'", a.user)
    } else {
        format!(
            "{} runs {} in tenant '{tenant}'",
            a.user,
            a.units.join(", ")
        )
    };
    if a.changed {
        what
    } else {
        format!("{what} (unchanged)")
    }
}

/// "CRI<tab>Criciúma<tab>bia, lucas": code, name, operators (or who the reminder goes to).
fn operators_line(u: &assign::UnitOperators) -> String {
    let who = if u.operators.is_empty() {
        "(none assigned: reminders go to every operator)".to_owned()
    } else {
        u.operators.join(", ")
    };
    let inactive = if u.active { "" } else { " (inactive)" };
    format!("{}\t{}{inactive}\t{who}", u.unit, u.name)
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
