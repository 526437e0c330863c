//! Settings read from the environment, each with a default that works on a developer's machine.

use std::path::PathBuf;

use chrono_tz::Tz;

use crate::domain::clock::DEFAULT_ZONE;
use crate::text::dictionary::{default_cache_path, DEFAULT_IPADIC_DIR};

pub const DEFAULT_DATABASE_URL: &str = "postgres://tsunagari:tsunagari@127.0.0.1:5432/tsunagari";
pub const DEFAULT_ADDR: &str = "127.0.0.1:8080";

#[derive(Debug, Clone)]
pub struct Config {
    pub database_url: String,
    pub addr: String,
    /// Base of the links handed to attendees, without a trailing slash; `None` means
    /// `http://` and the address actually bound.
    pub public_url: Option<String>,
    pub forms_dir: PathBuf,
    pub db_pool_size: u32,
    /// Longest wait for a database connection before a request gets 503, in milliseconds.
    pub db_wait_ms: u64,
    /// Largest request body accepted, in bytes; larger ones get 413.
    pub max_body_bytes: usize,
    /// Longest time a request's body may take to arrive, in seconds.
    pub body_timeout_secs: u64,
    /// Smallest group shown in researchers' aggregates; they may raise it, never lower it.
    pub min_cell: u64,
    /// Days after a fiscal year ends before researchers' releases include it (and freeze it).
    pub release_delay_days: u32,
    /// Researchers' release documents kept in memory once built (0 keeps none).
    pub release_cache_documents: usize,
    /// Public submissions accepted per client address per minute (all usable at once).
    pub submissions_per_minute: u32,
    /// Reverse proxies believed about the client's address (`X-Forwarded-For`).
    pub trusted_proxies: Vec<std::net::IpAddr>,
    /// Whether staff's cookies carry `Secure` (sent over HTTPS only). Off only when the service
    /// listens on loopback alone, where nothing travels over a network in clear.
    pub secure_cookies: bool,
    /// Debian's IPADIC sources, compiled once into `dictionary_cache` for word segmentation.
    pub ipadic_dir: PathBuf,
    pub dictionary_cache: PathBuf,
    /// Where the programme's days begin and end (fiscal years, waves, today) and whose clock
    /// staff's pages show.
    pub time_zone: Tz,
}

#[derive(Debug, thiserror::Error)]
#[error("environment variable {name} has an invalid value {value:?}: {reason}")]
pub struct ConfigError {
    name: &'static str,
    value: String,
    reason: String,
}

impl Config {
    pub fn from_env() -> Result<Self, ConfigError> {
        Self::from_lookup(|name| std::env::var(name).ok())
    }

    /// Reads settings through `lookup` so that tests need not touch the process environment.
    pub fn from_lookup(lookup: impl Fn(&str) -> Option<String>) -> Result<Self, ConfigError> {
        let addr = lookup("TSUNAGARI_ADDR").unwrap_or_else(|| DEFAULT_ADDR.to_owned());
        let public_url = lookup("TSUNAGARI_PUBLIC_URL").map(|url| url.trim_end_matches('/').to_owned());
        let secure_cookies = parse_secure_cookies(&lookup, &addr)?;
        Ok(Self {
            secure_cookies,
            database_url: lookup("DATABASE_URL").unwrap_or_else(|| DEFAULT_DATABASE_URL.to_owned()),
            public_url,
            addr,
            forms_dir: lookup("TSUNAGARI_FORMS_DIR").map_or_else(|| PathBuf::from("survey_forms"), PathBuf::from),
            db_pool_size: parse_number(&lookup, "TSUNAGARI_DB_POOL_SIZE", 10)?,
            db_wait_ms: parse_number(&lookup, "TSUNAGARI_DB_WAIT_MS", 2000)?,
            max_body_bytes: parse_number(&lookup, "TSUNAGARI_MAX_BODY_BYTES", 64 * 1024)?,
            body_timeout_secs: parse_number(&lookup, "TSUNAGARI_BODY_TIMEOUT_SECS", 60)?,
            min_cell: parse_number(&lookup, "TSUNAGARI_MIN_CELL", 5)?,
            release_delay_days: parse_number(&lookup, "TSUNAGARI_RELEASE_DELAY_DAYS", 61)?,
            release_cache_documents: parse_number(&lookup, "TSUNAGARI_RELEASE_CACHE_DOCUMENTS", 16)?,
            submissions_per_minute: parse_number(&lookup, "TSUNAGARI_SUBMISSIONS_PER_MINUTE", 600)?,
            trusted_proxies: parse_addresses(&lookup, "TSUNAGARI_TRUSTED_PROXIES")?,
            ipadic_dir: lookup("TSUNAGARI_IPADIC_DIR").map_or_else(|| PathBuf::from(DEFAULT_IPADIC_DIR), PathBuf::from),
            dictionary_cache: lookup("TSUNAGARI_DICTIONARY_CACHE").map_or_else(default_cache_path, PathBuf::from),
            time_zone: parse_time_zone(&lookup)?,
        })
    }
}

/// `TSUNAGARI_SECURE_COOKIES`: `true` unless set to `false` on a loopback address.
fn parse_secure_cookies(lookup: &impl Fn(&str) -> Option<String>, addr: &str) -> Result<bool, ConfigError> {
    const NAME: &str = "TSUNAGARI_SECURE_COOKIES";
    let Some(value) = lookup(NAME) else {
        return Ok(true);
    };
    let refuse = |reason: &str| ConfigError {
        name: NAME,
        value: value.clone(),
        reason: reason.to_owned(),
    };
    match value.trim() {
        "true" => Ok(true),
        "false" if listens_on_loopback_only(addr) => Ok(false),
        "false" => Err(refuse(
            "cookies may go without Secure only when TSUNAGARI_ADDR is a loopback address; \
             serve staff over HTTPS (see the README's reverse proxy example)",
        )),
        _ => Err(refuse("must be true or false")),
    }
}

/// `TSUNAGARI_TIME_ZONE`: an IANA name such as `Asia/Tokyo` (the default).
fn parse_time_zone(lookup: &impl Fn(&str) -> Option<String>) -> Result<Tz, ConfigError> {
    const NAME: &str = "TSUNAGARI_TIME_ZONE";
    let Some(value) = lookup(NAME) else {
        return Ok(DEFAULT_ZONE);
    };
    value.trim().parse().map_err(|_| ConfigError {
        name: NAME,
        value: value.clone(),
        reason: "not a time zone name such as Asia/Tokyo or Europe/London".to_owned(),
    })
}

fn listens_on_loopback_only(addr: &str) -> bool {
    addr.parse::<std::net::SocketAddr>()
        .map(|socket| socket.ip().is_loopback())
        .unwrap_or_else(|_| addr.rsplit_once(':').is_some_and(|(host, _)| host == "localhost"))
}

/// A comma-separated list of IP addresses; none when unset.
fn parse_addresses(
    lookup: &impl Fn(&str) -> Option<String>,
    name: &'static str,
) -> Result<Vec<std::net::IpAddr>, ConfigError> {
    let Some(value) = lookup(name) else {
        return Ok(Vec::new());
    };
    value
        .split(',')
        .map(str::trim)
        .filter(|address| !address.is_empty())
        .map(|address| {
            address.parse().map_err(|_| ConfigError {
                name,
                value: value.clone(),
                reason: format!("{address:?} is not an IP address (write them as 127.0.0.1,::1)"),
            })
        })
        .collect()
}

fn parse_number<T>(lookup: &impl Fn(&str) -> Option<String>, name: &'static str, default: T) -> Result<T, ConfigError>
where
    T: std::str::FromStr + PartialOrd + From<u8>,
    T::Err: std::fmt::Display,
{
    let Some(value) = lookup(name) else {
        return Ok(default);
    };
    match value.trim().parse::<T>() {
        Ok(number) if number > T::from(0) => Ok(number),
        Ok(_) => Err(ConfigError {
            name,
            value,
            reason: "must be greater than zero".into(),
        }),
        Err(e) => Err(ConfigError {
            name,
            value,
            reason: e.to_string(),
        }),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn defaults_apply_when_nothing_is_set() {
        let config = Config::from_lookup(|_| None).unwrap();
        assert_eq!(config.database_url, DEFAULT_DATABASE_URL);
        assert_eq!(config.addr, "127.0.0.1:8080");
        assert_eq!(config.public_url, None);
        assert_eq!(config.max_body_bytes, 65536);
        assert_eq!(config.min_cell, 5);
    }

    #[test]
    fn public_url_loses_its_trailing_slash() {
        let config = Config::from_lookup(|name| {
            (name == "TSUNAGARI_PUBLIC_URL").then(|| "https://survey.example.jp/".to_owned())
        })
        .unwrap();
        assert_eq!(config.public_url.as_deref(), Some("https://survey.example.jp"));
    }

    #[test]
    fn cookies_are_secure_unless_turned_off_on_loopback() {
        let with = |addr: &str, secure: Option<&str>| {
            let (addr, secure) = (addr.to_owned(), secure.map(str::to_owned));
            Config::from_lookup(move |name| match name {
                "TSUNAGARI_ADDR" => Some(addr.clone()),
                "TSUNAGARI_SECURE_COOKIES" => secure.clone(),
                _ => None,
            })
        };
        assert!(with("0.0.0.0:8080", None).unwrap().secure_cookies);
        assert!(with("127.0.0.1:8080", None).unwrap().secure_cookies);
        assert!(!with("127.0.0.1:8080", Some("false")).unwrap().secure_cookies);
        assert!(!with("[::1]:8080", Some("false")).unwrap().secure_cookies);
        assert!(!with("localhost:8080", Some("false")).unwrap().secure_cookies);
        for refused in [
            ("0.0.0.0:8080", "false"),
            ("192.168.1.5:8080", "false"),
            ("127.0.0.1:8080", "no"),
        ] {
            let error = with(refused.0, Some(refused.1)).unwrap_err();
            assert!(error.to_string().contains("TSUNAGARI_SECURE_COOKIES"), "{error}");
        }
    }

    #[test]
    fn a_bad_number_is_reported_with_its_variable() {
        let error =
            Config::from_lookup(|name| (name == "TSUNAGARI_DB_POOL_SIZE").then(|| "many".to_owned())).unwrap_err();
        assert!(error.to_string().contains("TSUNAGARI_DB_POOL_SIZE"));
    }

    #[test]
    fn the_time_zone_is_japans_unless_another_is_named() {
        let with = |zone: &'static str| {
            Config::from_lookup(move |name| (name == "TSUNAGARI_TIME_ZONE").then(|| zone.to_owned()))
        };
        assert_eq!(Config::from_lookup(|_| None).unwrap().time_zone, chrono_tz::Asia::Tokyo);
        assert_eq!(with("Europe/London").unwrap().time_zone, chrono_tz::Europe::London);
        let error = with("JST+9").unwrap_err();
        assert!(error.to_string().contains("TSUNAGARI_TIME_ZONE"), "{error}");
    }
}
