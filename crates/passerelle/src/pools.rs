//! `passerelle pools close-due`: closes every open pool whose closing instant has passed, settles
//! it (the award, or why there is none) and prints which, for a cron job. A running server does the
//! same every minute; both may run, a pool is closed and settled once.

use anyhow::{Context, Result};
use clap::Subcommand;

use crate::config::Config;

#[derive(Subcommand)]
pub enum Pools {
    /// Close and settle the open pools whose closing instant has passed.
    CloseDue,
}

pub async fn run(config: &Config, command: Pools) -> Result<()> {
    match command {
        Pools::CloseDue => close_due(config).await,
    }
}

async fn close_due(config: &Config) -> Result<()> {
    let app = crate::build_app(config).await?;
    let closed = app
        .close_due_pools()
        .await
        .context("cannot close the due pools")?;
    let ids = closed.iter().map(i64::to_string).collect::<Vec<_>>().join(", ");
    match closed.len() {
        0 => println!("pools: none due"),
        n => println!("pools: closed {n} ({ids})"),
    }
    app.store.close().await;
    Ok(())
}
