//! Configuration: built-in defaults, then `passerelle.toml` (if present), then `PASSERELLE_*`
//! environment variables, then command-line flags. Works with no configuration at all.

use figment::Figment;
use figment::providers::{Env, Format, Serialized, Toml};
use serde::{Deserialize, Serialize};
use std::path::PathBuf;

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Config {
    /// `sqlite://passerelle.db` (default) or `postgres://user@host/db`.
    pub database_url: String,
    /// Address `serve` listens on.
    pub addr: String,
    /// URL people reach Passerelle at, used in e-mailed links; `https://` turns on Secure cookies.
    pub public_url: Option<String>,
    /// Folder where e-mails are written when no SMTP relay is configured.
    pub outbox_dir: PathBuf,
    /// `smtp://user:password@host:port` of a relay; unset means the outbox folder.
    pub smtp_url: Option<String>,
    pub mail_from: String,
    /// Bearer token a remote Prometheus presents to read `/metrics`; local clients need none.
    pub metrics_token: Option<String>,
    /// `pretty` (default) or `json` logs.
    pub log_format: String,
    /// Folder of the directory's search index (derived from the database; rebuilt when missing).
    pub index_dir: PathBuf,
}

impl Default for Config {
    fn default() -> Self {
        Config {
            database_url: "sqlite://passerelle.db".into(),
            addr: "127.0.0.1:8080".into(),
            public_url: None,
            outbox_dir: PathBuf::from("outbox"),
            smtp_url: None,
            mail_from: "Passerelle <no-reply@passerelle.local>".into(),
            metrics_token: None,
            log_format: "pretty".into(),
            index_dir: PathBuf::from("passerelle-index"),
        }
    }
}

/// Settings given on the command line; only those present override the layers below.
#[derive(Debug, Default, Serialize)]
pub struct Overrides {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub database_url: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub addr: Option<String>,
}

pub const KNOWN_KEYS: [&str; 9] = [
    "database_url",
    "addr",
    "public_url",
    "outbox_dir",
    "smtp_url",
    "mail_from",
    "metrics_token",
    "log_format",
    "index_dir",
];

impl Config {
    pub fn load(file: &std::path::Path, overrides: Overrides) -> Result<Config, Box<figment::Error>> {
        Figment::from(Serialized::defaults(Config::default()))
            .merge(Toml::file(file))
            .merge(Env::prefixed("PASSERELLE_").only(&KNOWN_KEYS))
            .merge(Serialized::defaults(overrides))
            .extract()
            .map_err(Box::new)
    }

    /// Environment variables that look like settings but are not: a typo should not pass silently.
    pub fn unknown_env_vars() -> Vec<String> {
        std::env::vars()
            .filter_map(|(name, _)| {
                let key = name.strip_prefix("PASSERELLE_")?.to_lowercase();
                // Variables used by the test suites, not by the product.
                let for_tests = key.starts_with("test_");
                (!KNOWN_KEYS.contains(&key.as_str()) && !for_tests).then_some(name)
            })
            .collect()
    }

    pub fn app_config(&self) -> app::AppConfig {
        app::AppConfig {
            public_url: self
                .public_url
                .clone()
                .unwrap_or_else(|| format!("http://{}", self.addr))
                .trim_end_matches('/')
                .to_owned(),
            outbox_dir: self.outbox_dir.clone(),
            smtp_url: self.smtp_url.clone(),
            mail_from: self.mail_from.clone(),
            metrics_token: self.metrics_token.clone(),
            index_dir: Some(self.index_dir.clone()),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn defaults_need_no_file_and_flags_win() {
        let missing = std::path::Path::new("/nonexistent/passerelle.toml");
        let config = Config::load(
            missing,
            Overrides {
                addr: Some("127.0.0.1:9999".into()),
                ..Default::default()
            },
        )
        .unwrap();
        assert_eq!(config.addr, "127.0.0.1:9999");
        assert!(config.database_url.starts_with("sqlite://"));
        assert_eq!(config.app_config().public_url, "http://127.0.0.1:9999");
    }
}
