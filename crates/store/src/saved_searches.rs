//! A person's saved directory searches, and for each the organisations it has already shown or
//! announced (the seen set), so that an alert names only newcomers.
//!
//! Every read or change of a saved search names its owner in the WHERE clause: a person reaches
//! only their own rows. The seen set is keyed by the saved search alone; it is reached through a
//! search whose owner the caller has already checked, or by the alert job, which serves every owner.

use std::collections::HashSet;

use sqlx::{AssertSqlSafe, Row};

use crate::dialect::{Params, ROWS_PER_STATEMENT};
use crate::{Conn, Result, now_ms};

#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct SavedSearch {
    pub id: i64,
    pub person_id: i64,
    pub name: String,
    /// The search as pairs of the directory's query-string form, JSON.
    pub query_json: String,
    pub alerts: bool,
    pub last_alert_at: Option<i64>,
    pub created_at: i64,
}

const COLUMNS: &str =
    "SELECT id, person_id, name, query_json, alerts, last_alert_at, created_at FROM saved_searches";

fn decode(row: &sqlx::any::AnyRow) -> Result<SavedSearch> {
    Ok(SavedSearch {
        id: row.try_get(0)?,
        person_id: row.try_get(1)?,
        name: row.try_get(2)?,
        query_json: row.try_get(3)?,
        alerts: row.try_get::<i64, _>(4)? != 0,
        last_alert_at: row.try_get(5)?,
        created_at: row.try_get(6)?,
    })
}

pub async fn insert(
    conn: &mut Conn,
    person_id: i64,
    name: &str,
    query_json: &str,
    alerts: bool,
) -> Result<i64> {
    Ok(sqlx::query_scalar(
        "INSERT INTO saved_searches (person_id, name, query_json, alerts, created_at) \
         VALUES ($1, $2, $3, $4, $5) RETURNING id",
    )
    .bind(person_id)
    .bind(name)
    .bind(query_json)
    .bind(i64::from(alerts))
    .bind(now_ms())
    .fetch_one(conn)
    .await?)
}

/// The person's saved searches, newest first.
pub async fn list(conn: &mut Conn, person_id: i64) -> Result<Vec<SavedSearch>> {
    let rows = sqlx::query(AssertSqlSafe(format!(
        "{COLUMNS} WHERE person_id = $1 ORDER BY created_at DESC, id DESC"
    )))
    .bind(person_id)
    .fetch_all(conn)
    .await?;
    rows.iter().map(decode).collect()
}

pub async fn get(conn: &mut Conn, person_id: i64, id: i64) -> Result<Option<SavedSearch>> {
    let row = sqlx::query(AssertSqlSafe(format!(
        "{COLUMNS} WHERE id = $1 AND person_id = $2"
    )))
    .bind(id)
    .bind(person_id)
    .fetch_optional(conn)
    .await?;
    row.as_ref().map(decode).transpose()
}

pub async fn count(conn: &mut Conn, person_id: i64) -> Result<i64> {
    Ok(
        sqlx::query_scalar("SELECT COUNT(*) FROM saved_searches WHERE person_id = $1")
            .bind(person_id)
            .fetch_one(conn)
            .await?,
    )
}

/// Deletes a saved search and its seen set; false when the person has no such search.
pub async fn delete(conn: &mut Conn, person_id: i64, id: i64) -> Result<bool> {
    // Explicit rather than left to ON DELETE CASCADE, so no backend setting can leave orphans.
    sqlx::query(
        "DELETE FROM saved_search_seen WHERE saved_search_id IN \
         (SELECT id FROM saved_searches WHERE id = $1 AND person_id = $2)",
    )
    .bind(id)
    .bind(person_id)
    .execute(&mut *conn)
    .await?;
    let done = sqlx::query("DELETE FROM saved_searches WHERE id = $1 AND person_id = $2")
        .bind(id)
        .bind(person_id)
        .execute(conn)
        .await?;
    Ok(done.rows_affected() == 1)
}

/// Turns alerts on or off; false when the person has no such search.
pub async fn set_alerts(conn: &mut Conn, person_id: i64, id: i64, alerts: bool) -> Result<bool> {
    let done = sqlx::query("UPDATE saved_searches SET alerts = $3 WHERE id = $1 AND person_id = $2")
        .bind(id)
        .bind(person_id)
        .bind(i64::from(alerts))
        .execute(conn)
        .await?;
    Ok(done.rows_affected() == 1)
}

/// A saved search with alerts on, with what the alert job needs of its owner.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AlertSubscription {
    pub search: SavedSearch,
    pub email: String,
    pub first_name: String,
    pub locale: String,
}

/// Every saved search with alerts on, across owners, oldest first: the alert job's work list.
pub async fn with_alerts(conn: &mut Conn) -> Result<Vec<AlertSubscription>> {
    let rows = sqlx::query(
        "SELECT s.id, s.person_id, s.name, s.query_json, s.alerts, s.last_alert_at, s.created_at, \
         p.email, p.first_name, p.locale \
         FROM saved_searches s JOIN people p ON p.id = s.person_id WHERE s.alerts <> 0 ORDER BY s.id",
    )
    .fetch_all(conn)
    .await?;
    rows.iter()
        .map(|row| {
            Ok(AlertSubscription {
                search: decode(row)?,
                email: row.try_get(7)?,
                first_name: row.try_get(8)?,
                locale: row.try_get(9)?,
            })
        })
        .collect()
}

/// Records when the search last alerted its owner (`None`: never, say after a failed send).
pub async fn set_last_alert(conn: &mut Conn, id: i64, at: Option<i64>) -> Result<()> {
    sqlx::query("UPDATE saved_searches SET last_alert_at = $2 WHERE id = $1")
        .bind(id)
        .bind(at)
        .execute(conn)
        .await?;
    Ok(())
}

/// Adds organisations to the seen set and returns those that were not in it yet, ascending.
/// Two alert runs racing over one search cannot both get the same organisation back: the primary
/// key lets one insert win, so this doubles as the claim on what an alert announces.
pub async fn mark_seen(conn: &mut Conn, saved_search_id: i64, organisation_ids: &[i64]) -> Result<Vec<i64>> {
    let mut unique = organisation_ids.to_vec();
    unique.sort_unstable();
    unique.dedup();
    let mut added = Vec::new();
    for chunk in unique.chunks(ROWS_PER_STATEMENT) {
        let sql = format!(
            "INSERT INTO saved_search_seen (saved_search_id, organisation_id) VALUES {} \
             ON CONFLICT (saved_search_id, organisation_id) DO NOTHING RETURNING organisation_id",
            Params::of(conn).rows(chunk.len(), 2)
        );
        let mut query = sqlx::query_scalar(AssertSqlSafe(sql));
        for id in chunk {
            query = query.bind(saved_search_id).bind(*id);
        }
        let ids: Vec<i64> = query.fetch_all(&mut *conn).await?;
        added.extend(ids);
    }
    added.sort_unstable();
    Ok(added)
}

/// Takes organisations out of the seen set again (an alert that could not be sent).
pub async fn unmark_seen(conn: &mut Conn, saved_search_id: i64, organisation_ids: &[i64]) -> Result<()> {
    for chunk in organisation_ids.chunks(ROWS_PER_STATEMENT) {
        let params = Params::of(conn).list(chunk.len());
        // The search's id is the last parameter so that the list keeps its numbering from $1.
        let last = match Params::of(conn) {
            Params::Numbered => format!("${}", chunk.len() + 1),
            Params::Positional => "?".to_owned(),
        };
        let sql = format!(
            "DELETE FROM saved_search_seen WHERE organisation_id IN ({params}) AND saved_search_id = {last}"
        );
        let mut query = sqlx::query(AssertSqlSafe(sql));
        for id in chunk {
            query = query.bind(*id);
        }
        query.bind(saved_search_id).execute(&mut *conn).await?;
    }
    Ok(())
}

/// Which of these organisations the saved search has already seen.
pub async fn seen_among(
    conn: &mut Conn,
    saved_search_id: i64,
    organisation_ids: &[i64],
) -> Result<HashSet<i64>> {
    let mut seen = HashSet::new();
    for chunk in organisation_ids.chunks(ROWS_PER_STATEMENT) {
        let params = Params::of(conn).list(chunk.len());
        let last = match Params::of(conn) {
            Params::Numbered => format!("${}", chunk.len() + 1),
            Params::Positional => "?".to_owned(),
        };
        let sql = format!(
            "SELECT organisation_id FROM saved_search_seen \
             WHERE organisation_id IN ({params}) AND saved_search_id = {last}"
        );
        let mut query = sqlx::query_scalar::<_, i64>(AssertSqlSafe(sql));
        for id in chunk {
            query = query.bind(*id);
        }
        seen.extend(query.bind(saved_search_id).fetch_all(&mut *conn).await?);
    }
    Ok(seen)
}

/// How many organisations the saved search has seen.
pub async fn seen_count(conn: &mut Conn, saved_search_id: i64) -> Result<i64> {
    Ok(
        sqlx::query_scalar("SELECT COUNT(*) FROM saved_search_seen WHERE saved_search_id = $1")
            .bind(saved_search_id)
            .fetch_one(conn)
            .await?,
    )
}
