//! Use-cases of Passerelle: one function per action. Each takes the actor, asks the policy,
//! runs one transaction on the store and returns a result the web layer can render.

pub mod accounts;
pub mod actor;
mod audit;
pub mod demo;
mod error;
pub mod mail;
pub mod meetings;
pub mod members;
pub mod organisations;
mod passwords;
mod rate_limit;
mod secrets;
pub mod sirene;

pub use domain::policy::{Actor, Principal};
pub use error::{AppError, FieldError};
pub use store::Store;

use std::path::PathBuf;
use std::sync::Arc;

pub type Result<T, E = AppError> = std::result::Result<T, E>;

/// Settings the use-cases need; the binary fills them from its configuration.
#[derive(Debug, Clone)]
pub struct AppConfig {
    /// Absolute URL the product is reached at, used in e-mailed links.
    pub public_url: String,
    /// Where e-mails go when no SMTP server is configured.
    pub outbox_dir: PathBuf,
    /// `smtp://host:port`; when absent, mail is written to `outbox_dir`.
    pub smtp_url: Option<String>,
    pub mail_from: String,
    /// Bearer token that lets a remote scraper read `/metrics` (local clients need none).
    pub metrics_token: Option<String>,
}

impl Default for AppConfig {
    fn default() -> Self {
        AppConfig {
            public_url: "http://127.0.0.1:8080".into(),
            outbox_dir: PathBuf::from("outbox"),
            smtp_url: None,
            mail_from: "Passerelle <no-reply@passerelle.local>".into(),
            metrics_token: None,
        }
    }
}

/// Everything a use-case may touch; shared by all requests.
#[derive(Clone)]
pub struct App {
    pub store: Store,
    pub config: Arc<AppConfig>,
    mailer: mail::Mailer,
    login_limiter: Arc<rate_limit::LoginLimiter>,
}

impl App {
    pub fn new(store: Store, config: AppConfig) -> Result<App> {
        let mailer = mail::Mailer::from_config(&config)?;
        Ok(App {
            store,
            config: Arc::new(config),
            mailer,
            login_limiter: Arc::new(rate_limit::LoginLimiter::new()),
        })
    }

    /// Loads the demo data set (idempotent) with the documented demo password.
    pub async fn load_demo(&self) -> Result<demo::DemoSummary> {
        let hash = passwords::hash(demo::DEMO_PASSWORD.to_owned()).await?;
        Ok(demo::load(&self.store, &hash).await?)
    }
}
