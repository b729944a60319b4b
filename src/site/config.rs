//! `<data>/opsdeck.toml` (the site config, no secrets) and `<data>/secrets.toml` (keys and
//! passwords, mode 0600, or 0640 in a group-shared site). A bad file is an error naming the file,
//! the line and the key.

use std::collections::BTreeMap;
use std::fmt;
use std::net::SocketAddr;
use std::path::{Path, PathBuf};

use opsdeck_storage::locale::Locale;

pub use crate::ingest::mqtt::MqttConfig;
pub use crate::notify::SmtpConfig;
use serde::Deserialize;
use toml::Spanned;

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Config {
    pub site: SiteSection,
    #[serde(default)]
    pub tenants: Vec<TenantConfig>,
    #[serde(default)]
    pub ingest: IngestConfig,
    #[serde(default)]
    pub mqtt: Option<MqttConfig>,
    #[serde(default)]
    pub telemetry: TelemetryConfig,
    #[serde(default)]
    pub smtp: Option<SmtpConfig>,
    #[serde(default)]
    pub ui: UiConfig,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SiteSection {
    pub name: String,
    pub default_tenant: Spanned<String>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TenantConfig {
    pub name: Spanned<String>,
    #[serde(default)]
    pub display_name: String,
    #[serde(default = "default_tz")]
    pub time_zone: Spanned<String>,
    #[serde(default)]
    pub locale: Locale,
}

fn default_tz() -> Spanned<String> {
    Spanned::new(0..0, "America/Sao_Paulo".to_owned())
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct IngestConfig {
    #[serde(default = "default_bind")]
    pub bind: Spanned<String>,
    #[serde(default = "default_tolerance")]
    pub timestamp_tolerance_secs: u64,
    #[serde(default = "default_body")]
    pub max_body_bytes: u64,
    /// Connections served at once; the next gets 503 at once.
    #[serde(default = "default_connections")]
    pub max_connections: usize,
    /// Messages waiting per tenant for the group commit before new ones get 429.
    #[serde(default = "default_queue")]
    pub queue: usize,
}

impl Default for IngestConfig {
    fn default() -> Self {
        IngestConfig {
            bind: default_bind(),
            timestamp_tolerance_secs: default_tolerance(),
            max_body_bytes: default_body(),
            max_connections: default_connections(),
            queue: default_queue(),
        }
    }
}

fn default_bind() -> Spanned<String> {
    Spanned::new(0..0, "127.0.0.1:8787".to_owned())
}
fn default_tolerance() -> u64 {
    300
}
fn default_body() -> u64 {
    1024 * 1024
}
fn default_connections() -> usize {
    256
}
fn default_queue() -> usize {
    4096
}

/// How long readings are kept. Hourly rollups are always kept.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TelemetryConfig {
    /// Raw points older than this many days are deleted (0 keeps them forever).
    #[serde(default = "default_raw_days")]
    pub raw_retention_days: u32,
    /// 1-minute rollups older than this many days are deleted (0 keeps them forever).
    #[serde(default = "default_minute_days")]
    pub minute_rollup_retention_days: u32,
}

impl Default for TelemetryConfig {
    fn default() -> Self {
        TelemetryConfig {
            raw_retention_days: default_raw_days(),
            minute_rollup_retention_days: default_minute_days(),
        }
    }
}

fn default_raw_days() -> u32 {
    30
}
fn default_minute_days() -> u32 {
    90
}

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct UiConfig {
    /// Colour on unless false here, --no-color or NO_COLOR.
    #[serde(default)]
    pub color: Option<bool>,
    #[serde(default)]
    pub ascii: bool,
    /// Overrides LANG for the UI language.
    #[serde(default)]
    pub locale: Option<Locale>,
}

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Secrets {
    pub audit_seal_key: String,
    #[serde(default)]
    pub ingest_keys: BTreeMap<String, String>,
    #[serde(default)]
    pub passwords: BTreeMap<String, String>,
}

/// A config problem with where it is.
#[derive(Debug, Clone, PartialEq)]
pub struct ConfigError {
    pub file: PathBuf,
    pub line: Option<usize>,
    pub key: Option<String>,
    pub message: String,
}

impl fmt::Display for ConfigError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.file.display())?;
        if let Some(l) = self.line {
            write!(f, ", line {l}")?;
        }
        if let Some(k) = &self.key {
            write!(f, ", key '{k}'")?;
        }
        write!(f, ": {}", self.message)
    }
}

impl std::error::Error for ConfigError {}

fn locate(src: &str, span: std::ops::Range<usize>) -> (usize, Option<String>) {
    let start = span.start.min(src.len());
    let line = src[..start].bytes().filter(|b| *b == b'\n').count() + 1;
    let text = src.lines().nth(line - 1).unwrap_or("");
    let key = text
        .split_once('=')
        .map(|(k, _)| k.trim().trim_matches('"').to_owned())
        .filter(|k| !k.is_empty() && !k.starts_with('['));
    (line, key)
}

fn parse<T: serde::de::DeserializeOwned>(path: &Path, src: &str) -> Result<T, ConfigError> {
    toml::from_str(src).map_err(|e| {
        let (line, key) = e
            .span()
            .map(|s| locate(src, s))
            .map_or((None, None), |(l, k)| (Some(l), k));
        // serde names unknown keys itself; fall back to the key on the line.
        let message = e.message().to_owned();
        let key = if message.contains("unknown field") {
            message.split('`').nth(1).map(str::to_owned).or(key)
        } else {
            key
        };
        ConfigError {
            file: path.to_owned(),
            line,
            key,
            message,
        }
    })
}

pub fn read_file(path: &Path) -> Result<String, ConfigError> {
    std::fs::read_to_string(path).map_err(|e| ConfigError {
        file: path.to_owned(),
        line: None,
        key: None,
        message: crate::site::access::explain_io(path, &e),
    })
}

impl Config {
    pub fn load(path: &Path) -> Result<Config, ConfigError> {
        let src = read_file(path)?;
        Config::parse(path, &src)
    }

    pub fn parse(path: &Path, src: &str) -> Result<Config, ConfigError> {
        let cfg: Config = parse(path, src)?;
        cfg.validate(path, src)?;
        Ok(cfg)
    }

    fn validate(&self, path: &Path, src: &str) -> Result<(), ConfigError> {
        let err = |span: std::ops::Range<usize>, message: String| {
            let (line, key) = if span.is_empty() {
                (None, None)
            } else {
                let (l, k) = locate(src, span);
                (Some(l), k)
            };
            ConfigError {
                file: path.to_owned(),
                line,
                key,
                message,
            }
        };
        let mut seen = Vec::new();
        for t in &self.tenants {
            let name = t.name.get_ref();
            if let Err(m) = valid_tenant_name(name) {
                return Err(err(t.name.span(), m));
            }
            if seen.contains(name) {
                return Err(err(
                    t.name.span(),
                    format!("tenant '{name}' is listed twice"),
                ));
            }
            seen.push(name.clone());
            if let Err(e) = jiff::tz::TimeZone::get(t.time_zone.get_ref()) {
                return Err(err(
                    t.time_zone.span(),
                    format!("unknown time zone '{}': {e}", t.time_zone.get_ref()),
                ));
            }
        }
        let def = self.site.default_tenant.get_ref();
        if !seen.contains(def) {
            return Err(err(
                self.site.default_tenant.span(),
                format!(
                    "default tenant '{def}' is not among [[tenants]] ({})",
                    seen.join(", ")
                ),
            ));
        }
        if self.ingest.bind.get_ref().parse::<SocketAddr>().is_err() {
            return Err(err(
                self.ingest.bind.span(),
                format!("'{}' is not an address:port", self.ingest.bind.get_ref()),
            ));
        }
        Ok(())
    }

    pub fn tenant(&self, name: &str) -> Option<&TenantConfig> {
        self.tenants.iter().find(|t| t.name.get_ref() == name)
    }

    pub fn tenant_names(&self) -> Vec<String> {
        self.tenants
            .iter()
            .map(|t| t.name.get_ref().clone())
            .collect()
    }
}

impl TenantConfig {
    pub fn name(&self) -> &str {
        self.name.get_ref()
    }

    pub fn zone(&self) -> jiff::tz::TimeZone {
        // validated at load
        jiff::tz::TimeZone::get(self.time_zone.get_ref()).unwrap_or(jiff::tz::TimeZone::UTC)
    }
}

impl Secrets {
    pub fn load(path: &Path) -> Result<Secrets, ConfigError> {
        let src = read_file(path)?;
        let s: Secrets = parse(path, &src)?;
        if hex::decode(&s.audit_seal_key).map(|k| k.len()).unwrap_or(0) < 32 {
            return Err(ConfigError {
                file: path.to_owned(),
                line: None,
                key: Some("audit_seal_key".into()),
                message: "must be at least 32 bytes of hex".into(),
            });
        }
        Ok(s)
    }

    /// The password `[section] password_secret` names under [passwords]; "" when none is named.
    /// A name with no entry is an error naming the key.
    pub fn password_for(&self, section: &str, secret: &str) -> Result<String, String> {
        if secret.is_empty() {
            return Ok(String::new());
        }
        self.passwords.get(secret).cloned().ok_or_else(|| {
            format!(
                "[{section}] password_secret = {secret:?}: \
                 secrets.toml has no entry {secret:?} under [passwords]"
            )
        })
    }

    /// A password named in the config, masked for display.
    pub fn masked_password(&self, name: &str) -> String {
        mask(self.passwords.get(name).map(String::as_str).unwrap_or(""))
    }

    pub fn seal_key(&self) -> Vec<u8> {
        hex::decode(&self.audit_seal_key).unwrap_or_default()
    }

    /// The secrets file as text.
    pub fn to_toml(&self) -> String {
        let mut out = String::from(
            "# opsdeck site secrets. Keep this file private (mode 0600, or 0640 in a group-shared site).\n\
             # The audit seal key seals the audit chain: losing it makes `audit verify` fail.\n",
        );
        out.push_str(&format!(
            "audit_seal_key = \"{}\"\n\n[ingest_keys]\n",
            self.audit_seal_key
        ));
        for (k, v) in &self.ingest_keys {
            out.push_str(&format!("{} = \"{v}\"\n", toml_key(k)));
        }
        out.push_str("\n[passwords]\n");
        for (k, v) in &self.passwords {
            out.push_str(&format!(
                "{} = {}\n",
                toml_key(k),
                toml::Value::String(v.clone())
            ));
        }
        out
    }
}

fn toml_key(k: &str) -> String {
    if k.chars()
        .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-')
    {
        k.to_owned()
    } else {
        toml::Value::String(k.to_owned()).to_string()
    }
}

/// Shows the start of a secret only: enough to tell two apart, never enough to use.
pub fn mask(secret: &str) -> String {
    if secret.is_empty() {
        return "(unset)".into();
    }
    let head: String = secret.chars().take(4).collect();
    format!("{head}… ({} chars)", secret.chars().count())
}

pub fn valid_tenant_name(name: &str) -> Result<(), String> {
    let ok = !name.is_empty()
        && name.len() <= 40
        && name
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-' || c == '_')
        && name.chars().next().is_some_and(|c| c.is_ascii_lowercase());
    if ok {
        Ok(())
    } else {
        Err(format!(
            "tenant name '{name}' must start with a-z and use only a-z, 0-9, '-' and '_' (at most 40)"
        ))
    }
}

/// The text of one [[tenants]] entry, appended by `init` and `tenant add` so a hand-edited file
/// keeps its comments.
pub fn tenant_block(name: &str, display: &str, tz: &str, locale: Locale) -> String {
    format!(
        "\n[[tenants]]\nname = \"{name}\"\ndisplay_name = {}\ntime_zone = \"{tz}\"\nlocale = \"{}\"\n",
        toml::Value::String(display.to_owned()),
        locale.tag()
    )
}

pub fn new_config_text(site_name: &str, default_tenant: &str) -> String {
    format!(
        "# opsdeck site configuration. Secrets live in secrets.toml beside this file.\n\
         # `opsdeck config show` prints what is in effect.\n\n\
         [site]\nname = {}\ndefault_tenant = \"{default_tenant}\"\n\n\
         [ingest]\n# where sensors POST signed readings\nbind = \"127.0.0.1:8787\"\n\
         timestamp_tolerance_secs = 300\nmax_body_bytes = 1048576\n\n\
         [telemetry]\n# raw readings are kept this long; 1-minute rollups longer; hourly ones forever\n\
         raw_retention_days = 30\nminute_rollup_retention_days = 90\n\n\
         # [mqtt]\n# url = \"mqtt://127.0.0.1:1883\"\n# username = \"opsdeck\"\n\
         # password_secret = \"mqtt\"   # the key under [passwords] in secrets.toml\n# tls = false\n\n\
         # [smtp]\n# host = \"smtp.example.com\"\n# port = 587\n# from = \"opsdeck@example.com\"\n\
         # username = \"opsdeck\"\n# password_secret = \"smtp\"\n\n\
         [ui]\n# color = false      # same as NO_COLOR / --no-color\n# ascii = true       # no box-drawing glyphs\n\
         # locale = \"en\"      # default: from LANG, else pt-BR\n",
        toml::Value::String(site_name.to_owned())
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(src: &str) -> Result<Config, ConfigError> {
        Config::parse(Path::new("/d/opsdeck.toml"), src)
    }

    #[test]
    fn a_password_named_but_missing_from_secrets_names_the_section_and_key() {
        let secrets = Secrets {
            passwords: [("mqtt".to_string(), "s3cret".to_string())].into(),
            ..Secrets::default()
        };
        assert_eq!(secrets.password_for("mqtt", "mqtt").unwrap(), "s3cret");
        assert_eq!(secrets.password_for("smtp", "").unwrap(), "");
        let e = secrets.password_for("smtp", "mail").unwrap_err();
        assert!(
            e.contains("[smtp] password_secret = \"mail\"") && e.contains("[passwords]"),
            "{e}"
        );
    }

    const GOOD: &str = "[site]\nname = \"S\"\ndefault_tenant = \"a\"\n\n[[tenants]]\nname = \"a\"\ntime_zone = \"America/Sao_Paulo\"\n";

    #[test]
    fn a_good_file_loads_with_defaults() {
        let c = parse(GOOD).unwrap();
        assert_eq!(c.ingest.bind.get_ref(), "127.0.0.1:8787");
        assert_eq!(c.tenant("a").unwrap().locale, Locale::PtBr);
        assert!(c.mqtt.is_none());
    }

    #[test]
    fn errors_name_file_line_and_key() {
        let e = parse(&GOOD.replace("America/Sao_Paulo", "Mars/Olympus")).unwrap_err();
        assert_eq!(e.line, Some(7));
        assert_eq!(e.key.as_deref(), Some("time_zone"));
        assert!(
            e.to_string()
                .starts_with("/d/opsdeck.toml, line 7, key 'time_zone': unknown time zone"),
            "{e}"
        );

        let e = parse(&format!("{GOOD}colour = 3\n")).unwrap_err();
        assert_eq!(e.key.as_deref(), Some("colour"), "{e}");
        assert_eq!(e.line, Some(8));

        let e =
            parse(&GOOD.replace("default_tenant = \"a\"", "default_tenant = \"zz\"")).unwrap_err();
        assert_eq!(
            (e.line, e.key.as_deref()),
            (Some(3), Some("default_tenant"))
        );

        let e = parse("[site]\nname = 5\n").unwrap_err();
        assert_eq!((e.line, e.key.as_deref()), (Some(2), Some("name")), "{e}");

        let e = parse(&format!("{GOOD}[ingest]\nbind = \"nowhere\"\n")).unwrap_err();
        assert_eq!(e.key.as_deref(), Some("bind"));
    }

    #[test]
    fn generated_files_parse() {
        let mut src = new_config_text("Planta \"Sul\"", "x");
        src.push_str(&tenant_block(
            "x",
            "Cerâmica",
            "America/Sao_Paulo",
            Locale::En,
        ));
        let c = parse(&src).unwrap();
        assert_eq!(c.site.name, "Planta \"Sul\"");
        assert_eq!(c.tenant("x").unwrap().locale, Locale::En);
        let s = Secrets {
            audit_seal_key: "ab".repeat(32),
            ingest_keys: [("x".to_string(), "cd".repeat(32))].into(),
            passwords: [("mqtt".to_string(), "p\"w".to_string())].into(),
        };
        let back: Secrets = toml::from_str(&s.to_toml()).unwrap();
        assert_eq!(back.passwords["mqtt"], "p\"w");
        assert_eq!(mask("abcdef123"), "abcd… (9 chars)");
    }
}
