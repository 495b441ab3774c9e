//! `passerelle calls close-due`: moves every published call whose closing instant has passed to
//! `closed` and prints which, for a cron job. A running server does the same every minute; both
//! may run, a call is closed once.

use anyhow::{Context, Result};
use clap::Subcommand;

use crate::config::Config;

#[derive(Subcommand)]
pub enum Calls {
    /// Close the published calls whose closing instant has passed.
    CloseDue,
}

pub async fn run(config: &Config, command: Calls) -> Result<()> {
    match command {
        Calls::CloseDue => close_due(config).await,
    }
}

async fn close_due(config: &Config) -> Result<()> {
    let app = crate::build_app(config).await?;
    let closed = app
        .close_due_calls()
        .await
        .context("cannot close the due calls")?;
    let ids = closed.iter().map(i64::to_string).collect::<Vec<_>>().join(", ");
    match closed.len() {
        0 => println!("calls: none due"),
        n => println!("calls: closed {n} ({ids})"),
    }
    app.store.close().await;
    Ok(())
}
