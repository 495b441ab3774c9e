//! `passerelle alerts send`: e-mails the alerts of saved searches once and prints what was sent,
//! for a cron job. A running server already sends them every hour; both may run, nothing is sent twice.

use anyhow::{Context, Result, bail};
use clap::Subcommand;

use crate::config::Config;

#[derive(Subcommand)]
pub enum Alerts {
    /// Send every saved search's alert about newly matching profiles now.
    Send,
}

pub async fn run(config: &Config, command: Alerts) -> Result<()> {
    match command {
        Alerts::Send => send(config).await,
    }
}

async fn send(config: &Config) -> Result<()> {
    let store = crate::open_store(config).await?;
    let app = app::App::new(store.clone(), config.app_config()).context("cannot start the application")?;
    // A running server holds the on-disk index (it has one writer): then search a copy built in
    // memory from the database instead, which takes longer but needs nothing from the server.
    let app = match app.open_directory().await {
        Ok(_) => app,
        Err(error) => {
            eprintln!("note: the search index is in use ({error}); building a copy in memory");
            let app = app::App::new(
                store.clone(),
                app::AppConfig {
                    index_dir: None,
                    ..config.app_config()
                },
            )
            .context("cannot start the application")?;
            app.open_directory()
                .await
                .context("cannot build the directory's search index")?;
            app
        }
    };
    let report = app.send_search_alerts().await.context("cannot send the alerts")?;
    println!("alerts: {report}");
    store.close().await;
    if report.failures > 0 {
        bail!(
            "{} saved searches could not be alerted; see the log",
            report.failures
        );
    }
    Ok(())
}
