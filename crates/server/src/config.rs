//! Configuration: embedded defaults → TOML file → `PARVIS_*` environment, then validation, so
//! that a wrong value stops start-up with one clear line instead of being silently defaulted.

use std::net::IpAddr;
use std::path::{Path, PathBuf};

use figment::providers::{Format, Toml};
use figment::value::{Dict, Map, Value};
use figment::{Figment, Metadata, Profile, Provider};
use parvis_core::color::MIN_TEXT_CONTRAST;
use parvis_core::{Bounds, Color, CommuneColors, HolidayRules, LatLon, Locale, SchoolZone};
use serde::{Deserialize, Serialize};

/// The built-in defaults (the demo commune), also the reference of every key.
const DEFAULTS: &str = include_str!("defaults.toml");

/// The file read from the working directory when none is given explicitly.
pub const DEFAULT_FILE: &str = "parvis.toml";

/// Prefix of the environment variables that override the configuration.
pub const ENV_PREFIX: &str = "PARVIS_";

/// Background of the app's dark theme, against which `primary_dark_theme` must stay readable.
pub const DARK_THEME_BACKGROUND: Color = Color::rgb(0x12, 0x14, 0x17);

/// Why the configuration cannot be used. The message is one line, naming the key to fix.
#[derive(Debug, thiserror::Error)]
#[error("{0}")]
pub struct ConfigError(pub String);

/// The whole server configuration.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Config {
    pub server: ServerConfig,
    /// Where the SQLite database (and later the photo store) lives; created if missing.
    pub data_dir: PathBuf,
    pub database: DatabaseConfig,
    pub log: LogConfig,
    pub demo: DemoConfig,
    pub commune: CommuneConfig,
    pub push: PushConfig,
    pub news: crate::news::config::NewsConfig,
    pub agenda: crate::agenda::config::AgendaConfig,
    pub facilities: crate::facilities::config::FacilitiesConfig,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ServerConfig {
    pub host: String,
    /// 0 picks a free port (tests).
    pub port: u16,
    /// The built PWA (Trunk's `dist/`).
    pub app_dir: PathBuf,
    /// The public address behind a reverse proxy, e.g. `https://parvis.example.fr`.
    #[serde(default)]
    pub public_url: Option<String>,
    /// Largest request body accepted.
    pub max_body_bytes: usize,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DatabaseConfig {
    /// `sqlite://…`; defaults to `<data_dir>/parvis.db`.
    #[serde(default)]
    pub url: Option<String>,
    pub max_connections: u32,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LogConfig {
    /// A tracing filter (`info`, `parvis_server=debug,info`); `RUST_LOG` wins when set.
    pub level: String,
    pub format: LogFormat,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum LogFormat {
    /// Human-readable lines.
    Pretty,
    /// One JSON object per line, for log collectors.
    Json,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DemoConfig {
    /// Load the demo content on first start.
    pub load: bool,
}

/// Web Push delivery (RFC 8030/8292).
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PushConfig {
    /// The VAPID `sub` claim: how a push service reaches the operator (`mailto:` or `https:`).
    pub contact: String,
    /// How long a push service keeps an undelivered notification (`TTL` header), in seconds.
    pub ttl_seconds: u32,
    /// Requests to push services in flight at once during a fan-out.
    pub concurrency: usize,
    /// Attempts per notification when a push service answers 429 or 5xx.
    pub max_attempts: u32,
    /// First retry delay; it doubles at each attempt (a `Retry-After` wins when longer).
    pub retry_base_ms: u64,
    /// Time limit of one request to a push service, in seconds.
    pub timeout_seconds: u64,
    /// Seconds between two catch-up sweeps, which push recent articles nobody announced
    /// (imported by the CLI, or missed while the dispatcher lagged); one runs at start-up.
    #[serde(default = "default_sweep_seconds")]
    pub sweep_seconds: u64,
}

fn default_sweep_seconds() -> u64 {
    60
}

/// The commune's identity: everything the app shows of it comes from here.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CommuneConfig {
    pub name: String,
    pub short_name: String,
    #[serde(default)]
    pub insee_code: Option<String>,
    /// An SVG or PNG file; an embedded logo otherwise.
    #[serde(default)]
    pub logo: Option<PathBuf>,
    pub colors: ColorsConfig,
    pub time_zone: String,
    pub default_locale: Locale,
    pub center: CenterConfig,
    pub bounds: BoundsConfig,
    pub tile_url: String,
    pub tile_attribution: String,
    #[serde(default)]
    pub website: Option<String>,
    /// The school-holiday zone (`"A"`, `"B"` or `"C"`) for `SH` rules of opening hours; unset
    /// in Corsica and overseas, whose calendars differ.
    #[serde(default)]
    pub school_zone: Option<SchoolZone>,
    /// Moselle, Bas-Rhin and Haut-Rhin: Good Friday and 26 December are public holidays too.
    #[serde(default)]
    pub alsace_moselle: bool,
}

impl CommuneConfig {
    /// The holiday rules of opening hours.
    pub fn holiday_rules(&self) -> HolidayRules {
        HolidayRules {
            school_zone: self.school_zone,
            alsace_moselle: self.alsace_moselle,
        }
    }

    /// The commune's time zone (validated at load; Paris if it somehow is not).
    pub fn tz(&self) -> chrono_tz::Tz {
        self.time_zone.parse().unwrap_or(chrono_tz::Europe::Paris)
    }
}

#[derive(Debug, Clone, Copy, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ColorsConfig {
    pub primary: Color,
    pub primary_dark_theme: Color,
}

#[derive(Debug, Clone, Copy, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CenterConfig {
    pub lat: f64,
    pub lon: f64,
}

#[derive(Debug, Clone, Copy, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct BoundsConfig {
    pub south: f64,
    pub west: f64,
    pub north: f64,
    pub east: f64,
}

impl From<ColorsConfig> for CommuneColors {
    fn from(c: ColorsConfig) -> Self {
        CommuneColors {
            primary: c.primary,
            primary_dark_theme: c.primary_dark_theme,
        }
    }
}

impl From<CenterConfig> for LatLon {
    fn from(c: CenterConfig) -> Self {
        LatLon {
            lat: c.lat,
            lon: c.lon,
        }
    }
}

impl From<BoundsConfig> for Bounds {
    fn from(b: BoundsConfig) -> Self {
        Bounds {
            south: b.south,
            west: b.west,
            north: b.north,
            east: b.east,
        }
    }
}

/// Where the configuration comes from, besides the embedded defaults.
#[derive(Debug, Clone, Default)]
pub struct Sources {
    /// A file given explicitly (`--config` or `PARVIS_CONFIG`): it must exist.
    pub explicit_file: Option<PathBuf>,
    /// The directory where `parvis.toml` is looked for when no file is given.
    pub working_dir: Option<PathBuf>,
    /// Environment variables (all of them; only the `PARVIS_*` ones are read).
    pub env: Vec<(String, String)>,
}

impl Sources {
    /// The process's real sources: `--config` (if any), `PARVIS_CONFIG`, the current directory
    /// and the environment.
    pub fn from_process(cli_config: Option<PathBuf>) -> Self {
        let env: Vec<(String, String)> = std::env::vars_os()
            .filter_map(|(k, v)| Some((k.into_string().ok()?, v.into_string().ok()?)))
            .collect();
        let from_env = env
            .iter()
            .find(|(k, v)| k == "PARVIS_CONFIG" && !v.is_empty())
            .map(|(_, v)| PathBuf::from(v));
        Self {
            explicit_file: cli_config.or(from_env),
            working_dir: std::env::current_dir().ok(),
            env,
        }
    }
}

impl Config {
    /// Reads and validates the configuration.
    pub fn load(sources: &Sources) -> Result<Config, ConfigError> {
        let mut figment = Figment::from(Toml::string(DEFAULTS));
        match (&sources.explicit_file, &sources.working_dir) {
            (Some(file), _) => {
                if !file.is_file() {
                    return Err(ConfigError(format!(
                        "configuration file {} not found (or not a regular file)",
                        file.display()
                    )));
                }
                figment = figment.merge(Toml::file_exact(file));
            }
            (None, Some(dir)) => {
                let file = dir.join(DEFAULT_FILE);
                if file.is_file() {
                    figment = figment.merge(Toml::file_exact(file));
                }
            }
            (None, None) => {}
        }
        figment = figment.merge(EnvVars::new(&sources.env));
        let config: Config = figment
            .extract_lossy()
            .map_err(|e| ConfigError(one_line(&e)))?;
        config.validate()?;
        Ok(config)
    }

    /// Checks what serde cannot: contrasts, time zone, geography, addresses.
    pub fn validate(&self) -> Result<(), ConfigError> {
        let fail = |msg: String| Err(ConfigError(msg));
        let s = &self.server;
        if s.host.trim().is_empty() || !is_host(&s.host) {
            return fail(format!(
                "server.host `{}` is not an IP address or a host name",
                s.host
            ));
        }
        if s.max_body_bytes == 0 {
            return fail("server.max_body_bytes must be greater than 0".into());
        }
        if let Some(url) = &s.public_url
            && !is_http_url(url)
        {
            return fail(format!(
                "server.public_url `{url}` must start with http:// or https://"
            ));
        }
        if self.data_dir.as_os_str().is_empty() {
            return fail("data_dir must not be empty".into());
        }
        if let Some(url) = &self.database.url
            && !url.starts_with("sqlite:")
        {
            return fail(format!(
                "database.url `{}`: only SQLite (sqlite://…) is supported for now",
                redact(url)
            ));
        }
        if self.database.max_connections == 0 {
            return fail("database.max_connections must be at least 1".into());
        }
        if let Err(e) = tracing_subscriber::EnvFilter::builder().parse(&self.log.level) {
            return fail(format!(
                "log.level `{}` is not a valid filter: {e}",
                self.log.level
            ));
        }
        self.push.validate()?;
        self.news.validate()?;
        self.agenda.validate()?;
        self.facilities.validate()?;
        self.commune.validate()
    }

    /// The bound address, as `host:port` for `TcpListener::bind`.
    pub fn bind_address(&self) -> String {
        match self.server.host.parse::<IpAddr>() {
            Ok(IpAddr::V6(ip)) => format!("[{ip}]:{}", self.server.port),
            _ => format!("{}:{}", self.server.host, self.server.port),
        }
    }

    /// The SQLite database file when `database.url` is not given.
    pub fn default_database_file(&self) -> PathBuf {
        self.data_dir.join("parvis.db")
    }
}

impl PushConfig {
    fn validate(&self) -> Result<(), ConfigError> {
        let fail = |msg: String| Err(ConfigError(msg));
        let contact_ok = self
            .contact
            .strip_prefix("mailto:")
            .is_some_and(|address| address.contains('@'))
            || self.contact.starts_with("https://");
        if !contact_ok || self.contact.contains(char::is_whitespace) {
            return fail(format!(
                "push.contact `{}` must be a mailto: or https: URL (e.g. mailto:mairie@example.fr)",
                self.contact
            ));
        }
        if self.ttl_seconds > 28 * 24 * 3600 {
            return fail("push.ttl_seconds must be at most 2419200 (28 days)".into());
        }
        if self.concurrency == 0 {
            return fail("push.concurrency must be at least 1".into());
        }
        if self.max_attempts == 0 {
            return fail("push.max_attempts must be at least 1".into());
        }
        if self.timeout_seconds == 0 {
            return fail("push.timeout_seconds must be at least 1".into());
        }
        if self.sweep_seconds == 0 {
            return fail("push.sweep_seconds must be at least 1".into());
        }
        Ok(())
    }
}

impl CommuneConfig {
    fn validate(&self) -> Result<(), ConfigError> {
        let fail = |msg: String| Err(ConfigError(msg));
        if self.name.trim().is_empty() {
            return fail("commune.name must not be empty".into());
        }
        let short = self.short_name.trim().chars().count();
        if short == 0 || short > 12 {
            return fail(format!(
                "commune.short_name `{}` must have 1 to 12 characters (home-screen label)",
                self.short_name
            ));
        }
        if let Some(code) = &self.insee_code
            && (code.len() != 5 || !code.bytes().all(|b| b.is_ascii_alphanumeric()))
        {
            return fail(format!(
                "commune.insee_code `{code}` must have 5 characters (e.g. 37214)"
            ));
        }
        let primary = self.colors.primary;
        let contrast = primary.contrast(Color::WHITE);
        if contrast < MIN_TEXT_CONTRAST {
            return fail(format!(
                "commune.colors.primary {primary} has a contrast of {contrast:.2}:1 with white text; \
                 WCAG AA needs at least {MIN_TEXT_CONTRAST}:1, choose a darker colour"
            ));
        }
        let dark = self.colors.primary_dark_theme;
        let contrast = dark.contrast(DARK_THEME_BACKGROUND);
        if contrast < MIN_TEXT_CONTRAST {
            return fail(format!(
                "commune.colors.primary_dark_theme {dark} has a contrast of {contrast:.2}:1 on the \
                 dark background {DARK_THEME_BACKGROUND}; WCAG AA needs at least \
                 {MIN_TEXT_CONTRAST}:1, choose a lighter colour"
            ));
        }
        if self.time_zone.parse::<chrono_tz::Tz>().is_err() {
            return fail(format!(
                "commune.time_zone `{}` is not an IANA time zone (e.g. Europe/Paris)",
                self.time_zone
            ));
        }
        let center = LatLon::from(self.center);
        let bounds = Bounds::from(self.bounds);
        if !center.is_valid() {
            return fail("commune.center must have lat in [-90, 90] and lon in [-180, 180]".into());
        }
        if !bounds.is_valid() {
            return fail(
                "commune.bounds must be valid coordinates with south < north and west < east"
                    .into(),
            );
        }
        if !bounds.contains(center) {
            return fail("commune.center must lie inside commune.bounds".into());
        }
        if let Err(msg) = tile_origin(&self.tile_url) {
            return fail(format!("commune.tile_url `{}`: {msg}", self.tile_url));
        }
        if self.tile_attribution.trim().is_empty() {
            return fail(
                "commune.tile_attribution must not be empty (the tile provider requires it)".into(),
            );
        }
        if let Some(url) = &self.website
            && !is_http_url(url)
        {
            return fail(format!(
                "commune.website `{url}` must start with http:// or https://"
            ));
        }
        if let Some(logo) = &self.logo {
            logo_content_type(logo)?;
        }
        Ok(())
    }
}

/// The content type of a logo file, from its extension (SVG or PNG only).
pub fn logo_content_type(path: &Path) -> Result<&'static str, ConfigError> {
    match path
        .extension()
        .and_then(|e| e.to_str())
        .map(str::to_ascii_lowercase)
        .as_deref()
    {
        Some("svg") => Ok("image/svg+xml"),
        Some("png") => Ok("image/png"),
        _ => Err(ConfigError(format!(
            "commune.logo {}: the logo must be an .svg or .png file",
            path.display()
        ))),
    }
}

/// The origin of a tile URL template for the CSP (`https://{s}.tile.osm.org` → `https://*.tile.osm.org`).
pub fn tile_origin(tile_url: &str) -> Result<String, &'static str> {
    let (scheme, rest) = tile_url
        .split_once("://")
        .filter(|(s, _)| matches!(*s, "http" | "https"))
        .ok_or("must start with https:// (or http://)")?;
    let authority = rest.split('/').next().unwrap_or_default();
    let authority = match authority.strip_prefix("{s}.") {
        Some(host) => format!("*.{host}"),
        None => authority.to_owned(),
    };
    let host_ok = !authority.is_empty()
        && authority.bytes().all(|b| {
            b.is_ascii_alphanumeric() || matches!(b, b'.' | b'-' | b':' | b'*' | b'[' | b']')
        });
    if !host_ok {
        return Err("the host must be a plain name (only a leading {s}. placeholder is allowed)");
    }
    if !(tile_url.contains("{z}") && tile_url.contains("{x}") && tile_url.contains("{y}")) {
        return Err("must contain the {z}, {x} and {y} placeholders");
    }
    Ok(format!("{scheme}://{authority}"))
}

fn is_http_url(url: &str) -> bool {
    let rest = url
        .strip_prefix("https://")
        .or_else(|| url.strip_prefix("http://"));
    rest.is_some_and(|r| !r.is_empty() && !r.contains(char::is_whitespace))
}

fn is_host(host: &str) -> bool {
    host.parse::<IpAddr>().is_ok()
        || (host.len() <= 253
            && host.split('.').all(|label| {
                !label.is_empty()
                    && label.len() <= 63
                    && label
                        .bytes()
                        .all(|b| b.is_ascii_alphanumeric() || b == b'-')
                    && !label.starts_with('-')
                    && !label.ends_with('-')
            }))
}

/// Hides a password in a database URL before it reaches a message.
fn redact(url: &str) -> String {
    match (url.find("://"), url.rfind('@')) {
        (Some(s), Some(at)) if at > s => format!("{}://…{}", &url[..s], &url[at..]),
        _ => url.to_owned(),
    }
}

/// A figment error on one line (figment may add the source on another).
fn one_line(err: &figment::Error) -> String {
    // Figment names keys with their profile ("default.server.port"); there are no profiles here.
    let text = err.to_string().replace("key \"default.", "key \"");
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// The `PARVIS_*` variables as a figment provider: `PARVIS_SERVER__PORT=9000` → `server.port`.
///
/// Only variables naming a known section (`PARVIS_SERVER__…`) or top-level key (`PARVIS_DATA_DIR`)
/// are read, so unrelated variables sharing the prefix (`PARVIS_CONFIG`, tools' own
/// `PARVIS_SERVER_BIN`) are not mistaken for unknown keys, while a typo inside a section still is.
struct EnvVars {
    pairs: Vec<(String, String)>,
}

const ENV_SECTIONS: [&str; 9] = [
    "server",
    "database",
    "log",
    "demo",
    "commune",
    "push",
    "news",
    "agenda",
    "facilities",
];
const ENV_TOP_LEVEL: [&str; 1] = ["data_dir"];

impl EnvVars {
    fn new(env: &[(String, String)]) -> Self {
        let pairs = env
            .iter()
            .filter_map(|(k, v)| {
                let key = k.strip_prefix(ENV_PREFIX)?.to_ascii_lowercase();
                let known = match key.split_once("__") {
                    Some((section, rest)) => ENV_SECTIONS.contains(&section) && !rest.is_empty(),
                    None => ENV_TOP_LEVEL.contains(&key.as_str()),
                };
                known.then(|| (key.replace("__", "."), v.clone()))
            })
            .collect();
        Self { pairs }
    }
}

impl Provider for EnvVars {
    fn metadata(&self) -> Metadata {
        Metadata::named("environment variable")
            .interpolater(|_, keys| format!("{ENV_PREFIX}{}", keys.join("__").to_ascii_uppercase()))
    }

    fn data(&self) -> Result<Map<Profile, Dict>, figment::Error> {
        let mut dict = Dict::new();
        for (key, raw) in &self.pairs {
            // Kept as text: `extract_lossy` turns it into a number or a boolean only where the
            // key wants one, so `PARVIS_COMMUNE__INSEE_CODE=37214` stays a string.
            let path: Vec<&str> = key.split('.').collect();
            insert_nested(&mut dict, &path, Value::from(raw.as_str()));
        }
        Ok(Profile::Default.collect(dict))
    }
}

/// Puts `value` at `path` inside `dict`, creating the intermediate tables.
fn insert_nested(dict: &mut Dict, path: &[&str], value: Value) {
    match path {
        [] => {}
        [last] => {
            dict.insert((*last).to_owned(), value);
        }
        [first, rest @ ..] => {
            let entry = dict
                .entry((*first).to_owned())
                .or_insert_with(|| Value::from(Dict::new()));
            if !matches!(entry, Value::Dict(..)) {
                *entry = Value::from(Dict::new());
            }
            if let Value::Dict(_, inner) = entry {
                insert_nested(inner, rest, value);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn env(pairs: &[(&str, &str)]) -> Sources {
        Sources {
            env: pairs
                .iter()
                .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
                .collect(),
            ..Sources::default()
        }
    }

    #[test]
    fn the_embedded_defaults_are_valid() {
        let config = Config::load(&Sources::default()).expect("defaults load");
        assert_eq!(config.server.port, 8080);
        assert_eq!(config.commune.short_name, "Saint-Aubin");
        assert_eq!(config.server.max_body_bytes, 1024 * 1024);
        assert_eq!(
            config.commune.holiday_rules(),
            HolidayRules {
                school_zone: Some(SchoolZone::B),
                alsace_moselle: false
            }
        );
    }

    #[test]
    fn environment_variables_override_nested_keys() {
        let config = Config::load(&env(&[
            ("PARVIS_SERVER__PORT", "9000"),
            ("PARVIS_COMMUNE__COLORS__PRIMARY", "#000000"),
            ("PARVIS_DATA_DIR", "/tmp/x"),
            ("PARVIS_CONFIG", "ignored"),
            ("PARVIS_SERVER_BIN", "a tool's variable"),
        ]))
        .expect("loads");
        assert_eq!(config.server.port, 9000);
        assert_eq!(config.commune.colors.primary, Color::BLACK);
        assert_eq!(config.data_dir, PathBuf::from("/tmp/x"));
    }

    #[test]
    fn a_typo_inside_a_section_is_an_error() {
        let err = Config::load(&env(&[("PARVIS_SERVER__PROT", "1")])).expect_err("unknown key");
        assert!(err.0.contains("prot"), "{err}");
    }

    #[test]
    fn tile_origins_are_derived_for_the_csp() {
        assert_eq!(
            tile_origin("https://tile.openstreetmap.org/{z}/{x}/{y}.png").as_deref(),
            Ok("https://tile.openstreetmap.org")
        );
        assert_eq!(
            tile_origin("https://{s}.tile.osm.org/{z}/{x}/{y}.png").as_deref(),
            Ok("https://*.tile.osm.org")
        );
        assert!(tile_origin("ftp://x/{z}/{x}/{y}").is_err());
        assert!(tile_origin("https://a{b}.c/{z}/{x}/{y}").is_err());
        assert!(tile_origin("https://tiles.example/").is_err());
    }

    #[test]
    fn passwords_are_redacted_from_messages() {
        assert_eq!(
            redact("postgres://u:secret@db/parvis"),
            "postgres://…@db/parvis"
        );
    }
}
