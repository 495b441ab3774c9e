//! `passerelle import sirene`: loads establishments from an INSEE SIRENE stock file into the
//! registry, with a progress bar on a terminal and a summary of what became of every row.

use crate::config::Config;
use anyhow::{Context, Result};
use app::sirene::{self, Counts, ImportOptions, Progress};
use clap::Subcommand;
use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};
use std::io::IsTerminal;
use std::path::{Path, PathBuf};
use std::time::Instant;

#[derive(Subcommand)]
pub enum Import {
    /// Create or update organisations from a SIRENE establishment-stock CSV (StockEtablissement
    /// layout, comma-separated, UTF-8, header row); closed establishments are skipped.
    Sirene {
        /// The CSV file.
        file: PathBuf,
        /// Also make the imported organisations members of this cluster.
        #[arg(long, value_name = "SLUG")]
        cluster: Option<String>,
        /// Where rejected rows go (CSV: line, siret, reason); default FILE.rejects.csv beside FILE.
        #[arg(long, value_name = "FILE")]
        rejects: Option<PathBuf>,
        /// Rows per transaction; a failure keeps the transactions committed before it.
        #[arg(long, value_name = "N", default_value_t = sirene::DEFAULT_BATCH_SIZE)]
        batch_size: usize,
    },
}

pub async fn run(config: &Config, import: Import) -> Result<()> {
    match import {
        Import::Sirene {
            file,
            cluster,
            rejects,
            batch_size,
        } => {
            let rejects = rejects.unwrap_or_else(|| sirene::default_rejects_path(&file));
            let options = ImportOptions {
                cluster,
                batch_size,
                ..ImportOptions::new(rejects)
            };
            import_sirene(config, &file, &options).await
        }
    }
}

async fn import_sirene(config: &Config, file: &Path, options: &ImportOptions) -> Result<()> {
    // Opened before the database, so a mistyped path creates nothing.
    let input = std::fs::File::open(file).with_context(|| format!("cannot open {}", file.display()))?;
    let size = input.metadata().map(|m| m.len()).unwrap_or_default();
    let store = crate::open_store(config).await?;
    let bar = progress_bar(size);
    let started = Instant::now();
    let on_progress = |p: Progress| {
        bar.set_position(p.bytes);
        bar.set_message(format!("{} rows, {} rejected", p.counts.read, p.counts.rejected));
    };
    let result = sirene::import(&store, input, options, &on_progress).await;
    bar.finish_and_clear();
    store.close().await;
    let report = result.with_context(|| format!("SIRENE import of {} failed", file.display()))?;
    let seconds = started.elapsed().as_secs_f64();
    println!(
        "imported {} in {seconds:.1} s ({:.0} rows/s)",
        file.display(),
        report.counts.read as f64 / seconds.max(1e-9)
    );
    print_counts(&report.counts, options.cluster.as_deref());
    println!("rejects: {}", report.rejects.display());
    Ok(())
}

fn print_counts(counts: &Counts, cluster: Option<&str>) {
    let rows = [
        ("read", counts.read, ""),
        ("created", counts.created, ""),
        ("updated", counts.updated, ""),
        ("unchanged", counts.unchanged, ""),
        ("closed", counts.closed, " (skipped)"),
        ("rejected", counts.rejected, ""),
    ];
    for (label, count, note) in rows {
        println!("  {label:<10} {count:>9}{note}");
    }
    if let Some(slug) = cluster {
        println!(
            "  {:<10} {:>9} (new members of {slug})",
            "joined", counts.joined_cluster
        );
    }
}

/// Drawn on stderr when it is a terminal, by bytes of the file (the row count is unknown up front).
fn progress_bar(size: u64) -> ProgressBar {
    if !std::io::stderr().is_terminal() {
        return ProgressBar::hidden();
    }
    let bar = ProgressBar::with_draw_target(Some(size), ProgressDrawTarget::stderr());
    if let Ok(style) = ProgressStyle::with_template(
        "{elapsed_precise} [{wide_bar}] {bytes}/{total_bytes} ({eta} left) {msg}",
    ) {
        bar.set_style(style.progress_chars("=> "));
    }
    bar
}
