//! Storage errors, with the database's constraint violations turned into answers a user can act on.

use thiserror::Error;

#[derive(Debug, Error)]
pub enum StoreError {
    #[error("unsupported database URL scheme '{0}': use sqlite:// or postgres://")]
    UnsupportedUrl(String),
    /// A uniqueness rule was broken; the payload names the constraint or column.
    #[error("already exists: {0}")]
    Duplicate(String),
    #[error("a referenced record does not exist: {0}")]
    MissingReference(String),
    #[error("database error")]
    Database(#[source] sqlx::Error),
    #[error("migration failed")]
    Migration(#[from] sqlx::migrate::MigrateError),
}

impl From<sqlx::Error> for StoreError {
    fn from(error: sqlx::Error) -> Self {
        if let sqlx::Error::Database(db) = &error {
            let detail = db
                .constraint()
                .map(str::to_owned)
                .unwrap_or_else(|| db.message().to_owned());
            if db.is_unique_violation() {
                return StoreError::Duplicate(detail);
            }
            if db.is_foreign_key_violation() {
                return StoreError::MissingReference(detail);
            }
        }
        StoreError::Database(error)
    }
}
