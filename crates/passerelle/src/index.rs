//! `passerelle index rebuild`: rebuilds the directory's search index from the store, with a
//! progress bar on a terminal. Run it with the server stopped: the index has one writer.

use std::io::IsTerminal;
use std::time::Instant;

use anyhow::{Context, Result};
use app::directory::Directory;
use clap::Subcommand;
use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};

use crate::config::Config;

#[derive(Subcommand)]
pub enum Index {
    /// Rebuild the search index from the database (stop the server first).
    Rebuild,
}

pub async fn run(config: &Config, command: Index) -> Result<()> {
    match command {
        Index::Rebuild => rebuild(config).await,
    }
}

async fn rebuild(config: &Config) -> Result<()> {
    let store = crate::open_store(config).await?;
    let (directory, _) = Directory::open_index(Some(&config.index_dir))
        .await
        .with_context(|| format!("cannot open the search index in {}", config.index_dir.display()))?;
    let bar = ProgressBar::with_draw_target(Some(0), draw_target());
    bar.set_style(
        ProgressStyle::with_template("{bar:40} {pos}/{len} organisations ({per_sec}, {eta} left)")
            .expect("valid template"),
    );
    let started = Instant::now();
    let indexed = directory
        .rebuild(&store, |done, total| {
            bar.set_length(total);
            bar.set_position(done);
        })
        .await
        .context("rebuild failed")?;
    bar.finish_and_clear();
    let seconds = started.elapsed().as_secs_f64();
    println!(
        "search index rebuilt in {}: {indexed} organisations in {seconds:.1} s ({:.0} per second)",
        config.index_dir.display(),
        indexed as f64 / seconds.max(1e-9)
    );
    store.close().await;
    Ok(())
}

/// The bar is drawn on a terminal only, so logs and CI output stay clean.
fn draw_target() -> ProgressDrawTarget {
    if std::io::stderr().is_terminal() {
        ProgressDrawTarget::stderr()
    } else {
        ProgressDrawTarget::hidden()
    }
}
