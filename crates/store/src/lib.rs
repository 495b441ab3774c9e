//! Persistence: one SQL schema and one set of queries served on SQLite (default) or PostgreSQL,
//! chosen at run time from the database URL. The store is the source of truth of Passerelle.

mod dialect;
mod error;
pub mod records;

pub mod audit;
pub mod auth;
pub mod clusters;
pub mod committee;
pub mod consortia;
pub mod directory;
pub mod export;
pub mod meetings;
pub mod organisations;
pub mod people;
pub mod pooling;
pub mod profiles;
pub mod saved_searches;
pub mod shortlists;
#[cfg(feature = "testing")]
pub mod testing;

pub use dialect::Backend;
pub use error::StoreError;
pub use sqlx::AnyConnection as Conn;

use sqlx::any::AnyPoolOptions;
use sqlx::migrate::{Migration, MigrationType, Migrator};
use sqlx::{AnyPool, AssertSqlSafe, Transaction};
use std::time::Duration;

/// A statement being bound, for helpers that bind a record's fields in one place.
pub(crate) type AnyQuery<'q> = sqlx::query::Query<'q, sqlx::Any, sqlx::any::AnyArguments>;

pub type Tx = Transaction<'static, sqlx::Any>;
pub type Result<T, E = StoreError> = std::result::Result<T, E>;

/// Handle on the database; cheap to clone.
#[derive(Clone, Debug)]
pub struct Store {
    pool: AnyPool,
    backend: Backend,
}

/// The migrations, in order. Each is written once; the dialect fills in what differs.
const MIGRATIONS: &[(i64, &str, &str)] = &[
    (1, "foundation", include_str!("../migrations/0001_foundation.sql")),
    (
        2,
        "membership history",
        include_str!("../migrations/0002_membership_history.sql"),
    ),
    (3, "meetings", include_str!("../migrations/0003_meetings.sql")),
    (4, "directory", include_str!("../migrations/0004_directory.sql")),
    (5, "committee", include_str!("../migrations/0005_committee.sql")),
    (
        6,
        "supplier_listings",
        include_str!("../migrations/0006_supplier_listings.sql"),
    ),
    (7, "portfolio", include_str!("../migrations/0007_portfolio.sql")),
    (8, "pools", include_str!("../migrations/0008_pools.sql")),
    (9, "consortia", include_str!("../migrations/0009_consortia.sql")),
    (10, "export", include_str!("../migrations/0010_export.sql")),
];

impl Store {
    /// Opens the database named by `url` (`sqlite://…` or `postgres://…`), creating an SQLite file if needed.
    pub async fn connect(url: &str) -> Result<Store> {
        sqlx::any::install_default_drivers();
        let backend = Backend::from_url(url)?;
        let url = backend.normalise_url(url);
        let options = AnyPoolOptions::new()
            .max_connections(backend.max_connections())
            .acquire_timeout(Duration::from_secs(10));
        let options = if backend == Backend::Sqlite {
            options.after_connect(|conn, _meta| {
                Box::pin(async move {
                    // WAL lets readers run beside the writer; synchronous=NORMAL in WAL mode still loses
                    // nothing acknowledged when the process is killed (only an OS crash could).
                    // temp_store = MEMORY keeps the statement journals of multi-row writes off disk: the
                    // SIRENE import spent a third of its time writing them to temporary files.
                    sqlx::raw_sql("PRAGMA journal_mode = WAL; PRAGMA synchronous = NORMAL; PRAGMA foreign_keys = ON; PRAGMA busy_timeout = 10000; PRAGMA temp_store = MEMORY;")
                        .execute(conn)
                        .await?;
                    Ok(())
                })
            })
        } else {
            options
        };
        let pool = options.connect(&url).await?;
        Ok(Store { pool, backend })
    }

    pub fn backend(&self) -> Backend {
        self.backend
    }

    /// Brings the schema up to date; safe to call on every start.
    pub async fn migrate(&self) -> Result<()> {
        let migrations = MIGRATIONS
            .iter()
            .map(|(version, name, sql)| {
                let sql = self.backend.render_migration(sql);
                Migration::new(
                    *version,
                    (*name).into(),
                    MigrationType::Simple,
                    AssertSqlSafe(sql).into_sql_str(),
                    false,
                )
            })
            .collect();
        Migrator::with_migrations(migrations).run(&self.pool).await?;
        Ok(())
    }

    /// Starts a write transaction. On SQLite it takes the write lock at once (BEGIN IMMEDIATE) so two
    /// writers queue on the busy timeout instead of failing when a read lock would need upgrading.
    pub async fn begin(&self) -> Result<Tx> {
        Ok(self.pool.begin_with(self.backend.begin_statement()).await?)
    }

    /// A connection for reads that need no transaction.
    pub async fn conn(&self) -> Result<sqlx::pool::PoolConnection<sqlx::Any>> {
        Ok(self.pool.acquire().await?)
    }

    /// Cheap liveness probe for `/healthz`.
    pub async fn ping(&self) -> Result<()> {
        sqlx::query("SELECT 1").execute(&self.pool).await?;
        Ok(())
    }

    pub async fn close(&self) {
        self.pool.close().await;
    }
}

use sqlx::SqlSafeStr;

/// Current instant as stored: Unix milliseconds.
pub fn now_ms() -> i64 {
    jiff::Timestamp::now().as_millisecond()
}
