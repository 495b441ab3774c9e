//! Capability profiles and their brochures. The profile is kept as one JSON document (validated by
//! `domain::profile` before it gets here); every write also records a directory change so that the
//! search index follows.

use sqlx::Row;

use crate::{Conn, Result, directory, now_ms};

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StoredProfile {
    pub document: String,
    pub updated_at: i64,
    pub updated_by: Option<i64>,
}

pub async fn get(conn: &mut Conn, organisation_id: i64) -> Result<Option<StoredProfile>> {
    let row = sqlx::query("SELECT document, updated_at, updated_by FROM profiles WHERE organisation_id = $1")
        .bind(organisation_id)
        .fetch_optional(conn)
        .await?;
    row.map(|r| {
        Ok(StoredProfile {
            document: r.try_get(0)?,
            updated_at: r.try_get(1)?,
            updated_by: r.try_get(2)?,
        })
    })
    .transpose()
}

/// Creates or replaces the profile of an organisation.
pub async fn save(conn: &mut Conn, organisation_id: i64, document: &str, by: Option<i64>) -> Result<()> {
    sqlx::query(
        "INSERT INTO profiles (organisation_id, document, updated_at, updated_by) VALUES ($1, $2, $3, $4) \
         ON CONFLICT (organisation_id) DO UPDATE SET document = excluded.document, \
         updated_at = excluded.updated_at, updated_by = excluded.updated_by",
    )
    .bind(organisation_id)
    .bind(document)
    .bind(now_ms())
    .bind(by)
    .execute(&mut *conn)
    .await?;
    directory::touch(conn, &[organisation_id]).await
}

/// A brochure's description, without its bytes.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, sqlx::FromRow)]
pub struct Brochure {
    pub id: i64,
    pub organisation_id: i64,
    pub file_name: String,
    pub content_type: String,
    pub size_bytes: i64,
    pub sha256: String,
    /// `public` or `members`.
    pub visibility: String,
    pub created_at: i64,
}

pub struct NewBrochure<'a> {
    pub organisation_id: i64,
    pub file_name: &'a str,
    pub content_type: &'a str,
    pub sha256: &'a str,
    pub visibility: &'a str,
    pub content: &'a [u8],
    pub created_by: Option<i64>,
}

const BROCHURE_COLUMNS: &str = "SELECT id, organisation_id, file_name, content_type, size_bytes, sha256, visibility, created_at FROM brochures";

pub async fn add_brochure(conn: &mut Conn, new: &NewBrochure<'_>) -> Result<i64> {
    let row = sqlx::query(
        "INSERT INTO brochures (organisation_id, file_name, content_type, size_bytes, sha256, visibility, \
         content, created_at, created_by) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) RETURNING id",
    )
    .bind(new.organisation_id)
    .bind(new.file_name)
    .bind(new.content_type)
    .bind(new.content.len() as i64)
    .bind(new.sha256)
    .bind(new.visibility)
    .bind(new.content)
    .bind(now_ms())
    .bind(new.created_by)
    .fetch_one(conn)
    .await?;
    Ok(row.try_get(0)?)
}

/// The brochures of an organisation, oldest first.
pub async fn brochures(conn: &mut Conn, organisation_id: i64) -> Result<Vec<Brochure>> {
    Ok(sqlx::query_as(sqlx::AssertSqlSafe(format!(
        "{BROCHURE_COLUMNS} WHERE organisation_id = $1 ORDER BY id"
    )))
    .bind(organisation_id)
    .fetch_all(conn)
    .await?)
}

pub async fn brochure(conn: &mut Conn, id: i64) -> Result<Option<Brochure>> {
    Ok(
        sqlx::query_as(sqlx::AssertSqlSafe(format!("{BROCHURE_COLUMNS} WHERE id = $1")))
            .bind(id)
            .fetch_optional(conn)
            .await?,
    )
}

pub async fn brochure_content(conn: &mut Conn, id: i64) -> Result<Option<Vec<u8>>> {
    Ok(sqlx::query_scalar("SELECT content FROM brochures WHERE id = $1")
        .bind(id)
        .fetch_optional(conn)
        .await?)
}

pub async fn delete_brochure(conn: &mut Conn, id: i64) -> Result<bool> {
    let done = sqlx::query("DELETE FROM brochures WHERE id = $1")
        .bind(id)
        .execute(conn)
        .await?;
    Ok(done.rows_affected() == 1)
}
