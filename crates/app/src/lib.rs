//! Use-cases of Passerelle: one function per action. Each takes the actor, asks the policy,
//! runs one transaction on the store and returns a result the web layer can render.

pub mod accounts;
pub mod actor;
mod audit;
pub mod buyer_tools;
pub mod committee;
pub mod consortia;
pub mod demo;
pub mod directory;
mod error;
pub mod export;
pub mod mail;
pub mod meetings;
pub mod members;
pub mod organisations;
mod passwords;
pub mod pooling;
mod rate_limit;
mod secrets;
pub mod sirene;
pub mod spreadsheet;

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
    /// Where the directory's search index lives; in memory when `None` (tests).
    pub index_dir: Option<PathBuf>,
}

impl Default for AppConfig {
    fn default() -> Self {
        AppConfig {
            public_url: "http://127.0.0.1:8080".into(),
            outbox_dir: PathBuf::from("outbox"),
            smtp_url: None,
            mail_from: "Passerelle <no-reply@passerelle.local>".into(),
            metrics_token: None,
            index_dir: None,
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
    /// Set once by [`App::open_directory`]; commands that do not search never open the index.
    directory: Arc<std::sync::OnceLock<directory::Directory>>,
    /// Schedule generations per event: one at a time, their progress shown to organisers.
    generations: Arc<meetings::generation::Generations>,
}

impl App {
    pub fn new(store: Store, config: AppConfig) -> Result<App> {
        let mailer = mail::Mailer::from_config(&config)?;
        Ok(App {
            store,
            config: Arc::new(config),
            mailer,
            login_limiter: Arc::new(rate_limit::LoginLimiter::new()),
            directory: Arc::default(),
            generations: Arc::default(),
        })
    }

    /// Loads the demo data set (idempotent) with the documented demo password.
    pub async fn load_demo(&self) -> Result<demo::DemoSummary> {
        let hash = passwords::hash(demo::DEMO_PASSWORD.to_owned()).await?;
        Ok(demo::load(&self.store, &hash).await?)
    }

    /// Opens the directory's search index, brings it up to date and starts following the store.
    /// Idempotent: a second call keeps the index already open.
    pub async fn open_directory(&self) -> Result<&directory::Directory> {
        if let Some(directory) = self.directory.get() {
            return Ok(directory);
        }
        let opened = directory::Directory::open(&self.store, self.config.index_dir.as_deref()).await?;
        if self.directory.set(opened).is_ok() {
            let directory = self.directory.get().expect("just set");
            directory.spawn_follower(self.store.clone());
        }
        Ok(self.directory.get().expect("set above"))
    }

    /// The open directory, or an error saying the index is not available in this process.
    pub fn directory(&self) -> Result<&directory::Directory> {
        self.directory
            .get()
            .ok_or_else(|| AppError::Internal("the directory's search index is not open".into()))
    }

    /// Wakes the index follower after a write that changes the directory.
    pub(crate) fn notify_directory(&self) {
        if let Some(directory) = self.directory.get() {
            directory.notify();
        }
    }
}
