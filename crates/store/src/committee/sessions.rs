//! Committee sessions: a cluster's cycle of presentation, dossier deadline and decision meeting,
//! with the buyers presenting in order. Calls attach themselves (`calls::attach_to_session`).

use serde::Serialize;

use crate::{Conn, Result};

#[derive(Debug, Clone, PartialEq, Eq, Serialize, sqlx::FromRow)]
pub struct SessionFields {
    pub title: String,
    pub presentation_at: i64,
    pub dossiers_due_at: i64,
    pub decision_at: i64,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, sqlx::FromRow)]
pub struct Session {
    pub id: i64,
    pub cluster_id: i64,
    #[sqlx(flatten)]
    #[serde(flatten)]
    pub fields: SessionFields,
    pub created_by: Option<i64>,
    pub created_at: i64,
    pub updated_at: i64,
}

impl std::ops::Deref for Session {
    type Target = SessionFields;

    fn deref(&self) -> &SessionFields {
        &self.fields
    }
}

const SESSION_COLUMNS: &str = "SELECT id, cluster_id, title, presentation_at, dossiers_due_at, decision_at, \
     created_by, created_at, updated_at FROM committee_sessions";

pub async fn insert(
    conn: &mut Conn,
    cluster_id: i64,
    fields: &SessionFields,
    created_by: Option<i64>,
    at: i64,
) -> Result<i64> {
    Ok(sqlx::query_scalar(
        "INSERT INTO committee_sessions (cluster_id, title, presentation_at, dossiers_due_at, decision_at, \
         created_by, created_at, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $7) RETURNING id",
    )
    .bind(cluster_id)
    .bind(&fields.title)
    .bind(fields.presentation_at)
    .bind(fields.dossiers_due_at)
    .bind(fields.decision_at)
    .bind(created_by)
    .bind(at)
    .fetch_one(conn)
    .await?)
}

pub async fn update(conn: &mut Conn, id: i64, fields: &SessionFields, at: i64) -> Result<bool> {
    let done = sqlx::query(
        "UPDATE committee_sessions SET title = $2, presentation_at = $3, dossiers_due_at = $4, decision_at = $5, \
         updated_at = $6 WHERE id = $1",
    )
    .bind(id)
    .bind(&fields.title)
    .bind(fields.presentation_at)
    .bind(fields.dossiers_due_at)
    .bind(fields.decision_at)
    .bind(at)
    .execute(conn)
    .await?;
    Ok(done.rows_affected() == 1)
}

pub async fn get(conn: &mut Conn, id: i64) -> Result<Option<Session>> {
    Ok(
        sqlx::query_as(sqlx::AssertSqlSafe(format!("{SESSION_COLUMNS} WHERE id = $1")))
            .bind(id)
            .fetch_optional(conn)
            .await?,
    )
}

/// A cluster's sessions, the latest presentation first.
pub async fn of_cluster(conn: &mut Conn, cluster_id: i64) -> Result<Vec<Session>> {
    Ok(sqlx::query_as(sqlx::AssertSqlSafe(format!(
        "{SESSION_COLUMNS} WHERE cluster_id = $1 ORDER BY presentation_at DESC, id DESC"
    )))
    .bind(cluster_id)
    .fetch_all(conn)
    .await?)
}

/// Replaces the presenting buyers with `organisations`, in that speaking order. Two statements:
/// run it inside a transaction.
pub async fn set_presenters(conn: &mut Conn, session_id: i64, organisations: &[i64]) -> Result<()> {
    sqlx::query("DELETE FROM committee_presenters WHERE session_id = $1")
        .bind(session_id)
        .execute(&mut *conn)
        .await?;
    for (position, organisation_id) in (1i64..).zip(organisations) {
        sqlx::query(
            "INSERT INTO committee_presenters (session_id, organisation_id, position) VALUES ($1, $2, $3)",
        )
        .bind(session_id)
        .bind(organisation_id)
        .bind(position)
        .execute(&mut *conn)
        .await?;
    }
    Ok(())
}

/// The presenting organisations in speaking order.
pub async fn presenters(conn: &mut Conn, session_id: i64) -> Result<Vec<i64>> {
    Ok(sqlx::query_scalar(
        "SELECT organisation_id FROM committee_presenters WHERE session_id = $1 ORDER BY position",
    )
    .bind(session_id)
    .fetch_all(conn)
    .await?)
}
