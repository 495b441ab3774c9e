//! File contents keyed by their SHA-256: the same bytes attached by ten candidates are stored once.
//! The app hashes, sniffs the type and caps the size before anything gets here.

use serde::Serialize;

use crate::{Conn, Result};

/// A stored file's description, without its bytes.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, sqlx::FromRow)]
pub struct StoredFile {
    pub sha256: String,
    pub size_bytes: i64,
    pub content_type: String,
    pub created_at: i64,
}

/// A file as attached to something (a call's document, a dossier's attachment): the name it was
/// given there and what the content is.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, sqlx::FromRow)]
pub struct Attached {
    pub file_name: String,
    pub file_sha256: String,
    pub size_bytes: i64,
    pub content_type: String,
}

/// Stores `content` under its hash unless the same content is already there; true when new.
/// The hash is the caller's (lowercase hex SHA-256 of `content`).
pub async fn put(conn: &mut Conn, sha256: &str, content_type: &str, content: &[u8], at: i64) -> Result<bool> {
    let done = sqlx::query(
        "INSERT INTO files (sha256, size_bytes, content_type, content, created_at) VALUES ($1, $2, $3, $4, $5) \
         ON CONFLICT (sha256) DO NOTHING",
    )
    .bind(sha256)
    .bind(content.len() as i64)
    .bind(content_type)
    .bind(content)
    .bind(at)
    .execute(conn)
    .await?;
    Ok(done.rows_affected() == 1)
}

pub async fn get(conn: &mut Conn, sha256: &str) -> Result<Option<StoredFile>> {
    Ok(
        sqlx::query_as("SELECT sha256, size_bytes, content_type, created_at FROM files WHERE sha256 = $1")
            .bind(sha256)
            .fetch_optional(conn)
            .await?,
    )
}

pub async fn content(conn: &mut Conn, sha256: &str) -> Result<Option<Vec<u8>>> {
    Ok(sqlx::query_scalar("SELECT content FROM files WHERE sha256 = $1")
        .bind(sha256)
        .fetch_optional(conn)
        .await?)
}

/// Deletes files nothing refers to any more (documents removed, drafts emptied); returns how many.
/// A file put but not yet attached by a transaction still running could go too: run it from a
/// maintenance task, not beside uploads.
pub async fn delete_unreferenced(conn: &mut Conn) -> Result<u64> {
    let done = sqlx::query(
        "DELETE FROM files WHERE NOT EXISTS (SELECT 1 FROM call_documents d WHERE d.file_sha256 = files.sha256) \
         AND NOT EXISTS (SELECT 1 FROM dossier_attachments a WHERE a.file_sha256 = files.sha256) \
         AND NOT EXISTS (SELECT 1 FROM qualification_evidence_files q WHERE q.file_sha256 = files.sha256) \
         AND NOT EXISTS (SELECT 1 FROM consortium_documents c WHERE c.file_sha256 = files.sha256)",
    )
    .execute(conn)
    .await?;
    Ok(done.rows_affected())
}

/// Replaces a stored file's bytes without changing its hash: how tests damage a file to check
/// that downloads verify the checksum. Never compiled into the product.
#[cfg(any(test, feature = "testing"))]
pub async fn corrupt_for_tests(conn: &mut Conn, sha256: &str, content: &[u8]) -> Result<bool> {
    let done = sqlx::query("UPDATE files SET content = $2 WHERE sha256 = $1")
        .bind(sha256)
        .bind(content)
        .execute(conn)
        .await?;
    Ok(done.rows_affected() == 1)
}
