//! The `passerelle` command: serve the product, migrate the database, load the demo data set.
//! Errors end the process with a message and a non-zero exit code.

mod alerts;
mod bench;
mod calls;
mod config;
mod import;
mod index;
mod pools;
mod schedule;

use anyhow::{Context, Result};
use clap::{Parser, Subcommand};
use config::{Config, Overrides};
use std::path::PathBuf;
use std::process::ExitCode;

#[derive(Parser)]
#[command(
    name = "passerelle",
    version,
    about = "Passerelle: the competitiveness cluster's platform"
)]
struct Cli {
    /// Configuration file (optional; PASSERELLE_* variables and flags override it).
    #[arg(long, global = true, default_value = "passerelle.toml")]
    config: PathBuf,
    /// Database URL: sqlite://FILE (default sqlite://passerelle.db) or postgres://…
    #[arg(long, global = true)]
    database_url: Option<String>,
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Serve the web pages and the API (migrates the database first).
    Serve {
        /// Listen address, e.g. 127.0.0.1:8080.
        #[arg(long)]
        addr: Option<String>,
        /// Load the demo data set first if it is not there yet.
        #[arg(long)]
        demo: bool,
    },
    /// Bring the database schema up to date.
    Migrate,
    /// Load the demo data set (idempotent).
    Demo,
    /// Print the OpenAPI document.
    Openapi,
    /// Import organisations from a public register (use a --release build for large files).
    Import {
        #[command(subcommand)]
        source: import::Import,
    },
    /// Schedule business meetings from an instance file (no database needed).
    Schedule {
        /// Instance JSON: slots, tables, participants, requests (and optionally pinned meetings).
        #[arg(long)]
        input: PathBuf,
        /// Where to write the schedule JSON (not written if the instance is refused).
        #[arg(long)]
        output: PathBuf,
    },
    /// The directory's search index.
    Index {
        #[command(subcommand)]
        command: index::Index,
    },
    /// E-mail alerts of saved searches (the server also sends them hourly).
    Alerts {
        #[command(subcommand)]
        command: alerts::Alerts,
    },
    /// Calls for proposals (the server also closes due calls every minute).
    Calls {
        #[command(subcommand)]
        command: calls::Calls,
    },
    /// Purchasing pools (the server also closes and settles due pools every minute).
    Pools {
        #[command(subcommand)]
        command: pools::Pools,
    },
    /// Benchmarks (run them with --release).
    Bench {
        #[command(subcommand)]
        bench: bench::Bench,
    },
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let runtime = match tokio::runtime::Builder::new_multi_thread().enable_all().build() {
        Ok(runtime) => runtime,
        Err(error) => {
            eprintln!("error: cannot start the runtime: {error}");
            return ExitCode::FAILURE;
        }
    };
    match runtime.block_on(run(cli)) {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            eprintln!("error: {error:#}");
            ExitCode::FAILURE
        }
    }
}

async fn run(cli: Cli) -> Result<()> {
    let addr = match &cli.command {
        Command::Serve { addr, .. } => addr.clone(),
        _ => None,
    };
    let config = Config::load(
        &cli.config,
        Overrides {
            database_url: cli.database_url.clone(),
            addr,
        },
    )
    .context("invalid configuration")?;
    init_logging(&config.log_format);
    for name in Config::unknown_env_vars() {
        tracing::warn!(variable = %name, "unknown PASSERELLE_ setting ignored");
    }
    match cli.command {
        Command::Openapi => {
            println!(
                "{}",
                web::openapi_document()
                    .to_pretty_json()
                    .context("cannot render OpenAPI")?
            );
            Ok(())
        }
        Command::Migrate => {
            open_store(&config).await?;
            println!("database is up to date");
            Ok(())
        }
        Command::Demo => {
            let app = build_app(&config).await?;
            report_demo(app.load_demo().await.context("cannot load the demo data")?);
            Ok(())
        }
        Command::Serve { demo, .. } => serve(&config, demo).await,
        Command::Import { source } => import::run(&config, source).await,
        Command::Schedule { input, output } => schedule::run(&input, &output),
        Command::Index { command } => index::run(&config, command).await,
        Command::Bench { bench } => bench::run(bench),
        Command::Alerts { command } => alerts::run(&config, command).await,
        Command::Calls { command } => calls::run(&config, command).await,
        Command::Pools { command } => pools::run(&config, command).await,
    }
}

fn init_logging(format: &str) {
    let filter = tracing_subscriber::EnvFilter::try_from_default_env()
        .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("info,sqlx=warn,tower_http=info"));
    let builder = tracing_subscriber::fmt().with_env_filter(filter);
    let _ = if format == "json" {
        builder.json().try_init()
    } else {
        builder.try_init()
    };
}

async fn open_store(config: &Config) -> Result<store::Store> {
    let store = store::Store::connect(&config.database_url)
        .await
        .with_context(|| format!("cannot open the database {}", redact(&config.database_url)))?;
    store.migrate().await.context("cannot migrate the database")?;
    Ok(store)
}

async fn build_app(config: &Config) -> Result<app::App> {
    let store = open_store(config).await?;
    app::App::new(store, config.app_config()).context("cannot start the application")
}

fn report_demo(summary: app::demo::DemoSummary) {
    let verb = if summary.created {
        "loaded"
    } else {
        "already present"
    };
    println!(
        "demo data {verb}: {} organisations, {} people; every demo account's password is '{}'",
        summary.organisations,
        summary.people,
        app::demo::DEMO_PASSWORD
    );
}

async fn serve(config: &Config, demo: bool) -> Result<()> {
    let app = build_app(config).await?;
    if demo {
        report_demo(app.load_demo().await.context("cannot load the demo data")?);
    }
    let directory = app
        .open_directory()
        .await
        .context("cannot open the directory's search index")?;
    tracing::info!(profiles = directory.index().num_docs(), "search index is current");
    app.spawn_alerts(std::time::Duration::from_secs(3600));
    // Deadlines and seals follow the closing instant itself; this only keeps the label current.
    app.spawn_call_closing(std::time::Duration::from_secs(60));
    app.spawn_pool_closing(std::time::Duration::from_secs(60));
    let listener = tokio::net::TcpListener::bind(&config.addr)
        .await
        .with_context(|| format!("cannot listen on {}", config.addr))?;
    tracing::info!(addr = %config.addr, backend = app.store.backend().as_str(), "Passerelle is serving");
    println!("Passerelle listens on http://{}", listener.local_addr()?);
    let store = app.store.clone();
    web::serve(listener, app, shutdown_signal())
        .await
        .context("server failed")?;
    store.close().await;
    tracing::info!("stopped cleanly");
    Ok(())
}

/// Resolves on Ctrl-C or SIGTERM, so requests in flight finish before the process exits.
async fn shutdown_signal() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let terminate = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut signal) => {
                signal.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let terminate = std::future::pending::<()>();
    tokio::select! {
        () = ctrl_c => {},
        () = terminate => {},
    }
    tracing::info!("shutting down");
}

/// Hides a password in a database URL before it is printed.
fn redact(url: &str) -> String {
    match (url.find("://"), url.rfind('@')) {
        (Some(scheme_end), Some(at)) if at > scheme_end => {
            let credentials = &url[scheme_end + 3..at];
            match credentials.split_once(':') {
                Some((user, _)) => format!("{}{user}:***{}", &url[..scheme_end + 3], &url[at..]),
                None => url.to_owned(),
            }
        }
        _ => url.to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::redact;

    #[test]
    fn passwords_in_database_urls_are_hidden() {
        assert_eq!(redact("postgres://u:secret@h/db"), "postgres://u:***@h/db");
        assert_eq!(redact("postgres://u@h/db"), "postgres://u@h/db");
        assert_eq!(redact("sqlite://passerelle.db"), "sqlite://passerelle.db");
    }
}
