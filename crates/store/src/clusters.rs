//! Clusters and their member organisations.

use crate::records::Cluster;
use crate::{Conn, Result, now_ms};

pub async fn insert(conn: &mut Conn, name: &str, slug: &str) -> Result<i64> {
    let id =
        sqlx::query_scalar("INSERT INTO clusters (name, slug, created_at) VALUES ($1, $2, $3) RETURNING id")
            .bind(name)
            .bind(slug)
            .bind(now_ms())
            .fetch_one(conn)
            .await?;
    Ok(id)
}

pub async fn get(conn: &mut Conn, id: i64) -> Result<Option<Cluster>> {
    Ok(
        sqlx::query_as("SELECT id, name, slug, created_at FROM clusters WHERE id = $1")
            .bind(id)
            .fetch_optional(conn)
            .await?,
    )
}

pub async fn by_slug(conn: &mut Conn, slug: &str) -> Result<Option<Cluster>> {
    Ok(
        sqlx::query_as("SELECT id, name, slug, created_at FROM clusters WHERE slug = $1")
            .bind(slug)
            .fetch_optional(conn)
            .await?,
    )
}

pub async fn list(conn: &mut Conn) -> Result<Vec<Cluster>> {
    Ok(
        sqlx::query_as("SELECT id, name, slug, created_at FROM clusters ORDER BY name, id")
            .fetch_all(conn)
            .await?,
    )
}

/// Adds an organisation to a cluster, or re-admits a former member; adding a current member is a
/// no-op (false), not an error.
pub async fn add_member(conn: &mut Conn, cluster_id: i64, organisation_id: i64) -> Result<bool> {
    let done = sqlx::query(
        "INSERT INTO memberships (cluster_id, organisation_id, joined_at) VALUES ($1, $2, $3) \
         ON CONFLICT (cluster_id, organisation_id) DO UPDATE SET joined_at = excluded.joined_at, left_at = NULL \
         WHERE memberships.left_at IS NOT NULL",
    )
    .bind(cluster_id)
    .bind(organisation_id)
    .bind(now_ms())
    .execute(&mut *conn)
    .await?;
    if done.rows_affected() == 1 {
        crate::directory::touch(conn, &[organisation_id]).await?;
    }
    Ok(done.rows_affected() == 1)
}

/// Ends a current membership; false when there is none.
pub async fn remove_member(conn: &mut Conn, cluster_id: i64, organisation_id: i64) -> Result<bool> {
    let done = sqlx::query(
        "UPDATE memberships SET left_at = $3 WHERE cluster_id = $1 AND organisation_id = $2 AND left_at IS NULL",
    )
    .bind(cluster_id)
    .bind(organisation_id)
    .bind(now_ms())
    .execute(&mut *conn)
    .await?;
    if done.rows_affected() == 1 {
        crate::directory::touch(conn, &[organisation_id]).await?;
    }
    Ok(done.rows_affected() == 1)
}

/// Whether an organisation is a current member of the cluster.
pub async fn is_member(conn: &mut Conn, cluster_id: i64, organisation_id: i64) -> Result<bool> {
    let found: Option<i64> = sqlx::query_scalar(
        "SELECT organisation_id FROM memberships \
         WHERE cluster_id = $1 AND organisation_id = $2 AND left_at IS NULL",
    )
    .bind(cluster_id)
    .bind(organisation_id)
    .fetch_optional(conn)
    .await?;
    Ok(found.is_some())
}

/// Whether the organisation once belonged to the cluster and has left it.
pub async fn is_former_member(conn: &mut Conn, cluster_id: i64, organisation_id: i64) -> Result<bool> {
    let found: Option<i64> = sqlx::query_scalar(
        "SELECT organisation_id FROM memberships \
         WHERE cluster_id = $1 AND organisation_id = $2 AND left_at IS NOT NULL",
    )
    .bind(cluster_id)
    .bind(organisation_id)
    .fetch_optional(conn)
    .await?;
    Ok(found.is_some())
}

/// The clusters an organisation belongs to, the fact the access policy reasons on.
pub async fn of_organisation(conn: &mut Conn, organisation_id: i64) -> Result<Vec<i64>> {
    Ok(sqlx::query_scalar(
        "SELECT cluster_id FROM memberships WHERE organisation_id = $1 AND left_at IS NULL ORDER BY cluster_id",
    )
    .bind(organisation_id)
    .fetch_all(conn)
    .await?)
}

pub async fn count_members(conn: &mut Conn, cluster_id: i64) -> Result<i64> {
    Ok(
        sqlx::query_scalar("SELECT COUNT(*) FROM memberships WHERE cluster_id = $1 AND left_at IS NULL")
            .bind(cluster_id)
            .fetch_one(conn)
            .await?,
    )
}
