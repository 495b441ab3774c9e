//! A person's supplier shortlists: named lists of organisations with a note each, read back with
//! the organisation's registry facts for display and export.
//!
//! Every statement names the owner in its WHERE clause (entries through their list's owner):
//! a person reaches only their own lists.

use sqlx::Row;

use crate::{Conn, Result, now_ms};

#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Shortlist {
    pub id: i64,
    pub person_id: i64,
    pub name: String,
    /// Organisations on the list.
    pub entries: i64,
    pub created_at: i64,
    pub updated_at: i64,
}

/// One organisation on a list, with the registry facts an export carries.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Entry {
    pub organisation_id: i64,
    pub legal_name: String,
    pub siret: String,
    pub naf_code: String,
    pub region_code: String,
    /// `sme`, `mid_cap`, `large`; none for labs and public bodies.
    pub size: Option<String>,
    pub website: Option<String>,
    pub note: String,
    pub added_at: i64,
}

const COLUMNS: &str = "SELECT l.id, l.person_id, l.name, \
     (SELECT COUNT(*) FROM shortlist_entries e WHERE e.shortlist_id = l.id), l.created_at, l.updated_at \
     FROM shortlists l";

fn decode(row: &sqlx::any::AnyRow) -> Result<Shortlist> {
    Ok(Shortlist {
        id: row.try_get(0)?,
        person_id: row.try_get(1)?,
        name: row.try_get(2)?,
        entries: row.try_get(3)?,
        created_at: row.try_get(4)?,
        updated_at: row.try_get(5)?,
    })
}

pub async fn insert(conn: &mut Conn, person_id: i64, name: &str) -> Result<i64> {
    Ok(sqlx::query_scalar(
        "INSERT INTO shortlists (person_id, name, created_at, updated_at) VALUES ($1, $2, $3, $3) RETURNING id",
    )
    .bind(person_id)
    .bind(name)
    .bind(now_ms())
    .fetch_one(conn)
    .await?)
}

/// The person's lists, most recently changed first.
pub async fn list(conn: &mut Conn, person_id: i64) -> Result<Vec<Shortlist>> {
    let rows = sqlx::query(sqlx::AssertSqlSafe(format!(
        "{COLUMNS} WHERE l.person_id = $1 ORDER BY l.updated_at DESC, l.id DESC"
    )))
    .bind(person_id)
    .fetch_all(conn)
    .await?;
    rows.iter().map(decode).collect()
}

pub async fn get(conn: &mut Conn, person_id: i64, id: i64) -> Result<Option<Shortlist>> {
    let row = sqlx::query(sqlx::AssertSqlSafe(format!(
        "{COLUMNS} WHERE l.id = $1 AND l.person_id = $2"
    )))
    .bind(id)
    .bind(person_id)
    .fetch_optional(conn)
    .await?;
    row.as_ref().map(decode).transpose()
}

/// The person's most recently changed list, if any: where "add to my list" goes by default.
pub async fn latest(conn: &mut Conn, person_id: i64) -> Result<Option<i64>> {
    Ok(sqlx::query_scalar(
        "SELECT id FROM shortlists WHERE person_id = $1 ORDER BY updated_at DESC, id DESC LIMIT 1",
    )
    .bind(person_id)
    .fetch_optional(conn)
    .await?)
}

pub async fn count(conn: &mut Conn, person_id: i64) -> Result<i64> {
    Ok(
        sqlx::query_scalar("SELECT COUNT(*) FROM shortlists WHERE person_id = $1")
            .bind(person_id)
            .fetch_one(conn)
            .await?,
    )
}

pub async fn rename(conn: &mut Conn, person_id: i64, id: i64, name: &str) -> Result<bool> {
    let done =
        sqlx::query("UPDATE shortlists SET name = $3, updated_at = $4 WHERE id = $1 AND person_id = $2")
            .bind(id)
            .bind(person_id)
            .bind(name)
            .bind(now_ms())
            .execute(conn)
            .await?;
    Ok(done.rows_affected() == 1)
}

/// Deletes a list with its entries; false when the person has no such list.
pub async fn delete(conn: &mut Conn, person_id: i64, id: i64) -> Result<bool> {
    // Explicit rather than left to ON DELETE CASCADE, so no backend setting can leave orphans.
    sqlx::query(
        "DELETE FROM shortlist_entries WHERE shortlist_id IN \
         (SELECT id FROM shortlists WHERE id = $1 AND person_id = $2)",
    )
    .bind(id)
    .bind(person_id)
    .execute(&mut *conn)
    .await?;
    let done = sqlx::query("DELETE FROM shortlists WHERE id = $1 AND person_id = $2")
        .bind(id)
        .bind(person_id)
        .execute(conn)
        .await?;
    Ok(done.rows_affected() == 1)
}

/// Puts an organisation on the person's list; false when it was already there (nothing changes)
/// or the person has no such list. The organisation must exist (a missing one is a
/// `MissingReference` error).
pub async fn add_entry(
    conn: &mut Conn,
    person_id: i64,
    shortlist_id: i64,
    organisation_id: i64,
    note: &str,
) -> Result<bool> {
    let now = now_ms();
    let done = sqlx::query(
        "INSERT INTO shortlist_entries (shortlist_id, organisation_id, note, added_at) \
         SELECT l.id, $2, $3, $4 FROM shortlists l WHERE l.id = $1 AND l.person_id = $5 \
         ON CONFLICT (shortlist_id, organisation_id) DO NOTHING",
    )
    .bind(shortlist_id)
    .bind(organisation_id)
    .bind(note)
    .bind(now)
    .bind(person_id)
    .execute(&mut *conn)
    .await?;
    let added = done.rows_affected() == 1;
    if added {
        touch(conn, person_id, shortlist_id, now).await?;
    }
    Ok(added)
}

/// Takes an organisation off the person's list; false when it was not on it.
pub async fn remove_entry(
    conn: &mut Conn,
    person_id: i64,
    shortlist_id: i64,
    organisation_id: i64,
) -> Result<bool> {
    let done = sqlx::query(
        "DELETE FROM shortlist_entries WHERE shortlist_id = $1 AND organisation_id = $2 \
         AND shortlist_id IN (SELECT id FROM shortlists WHERE id = $1 AND person_id = $3)",
    )
    .bind(shortlist_id)
    .bind(organisation_id)
    .bind(person_id)
    .execute(&mut *conn)
    .await?;
    let removed = done.rows_affected() == 1;
    if removed {
        touch(conn, person_id, shortlist_id, now_ms()).await?;
    }
    Ok(removed)
}

/// Replaces the note on an organisation of the person's list; false when it is not on it.
pub async fn set_note(
    conn: &mut Conn,
    person_id: i64,
    shortlist_id: i64,
    organisation_id: i64,
    note: &str,
) -> Result<bool> {
    let done = sqlx::query(
        "UPDATE shortlist_entries SET note = $3 WHERE shortlist_id = $1 AND organisation_id = $2 \
         AND shortlist_id IN (SELECT id FROM shortlists WHERE id = $1 AND person_id = $4)",
    )
    .bind(shortlist_id)
    .bind(organisation_id)
    .bind(note)
    .bind(person_id)
    .execute(&mut *conn)
    .await?;
    let changed = done.rows_affected() == 1;
    if changed {
        touch(conn, person_id, shortlist_id, now_ms()).await?;
    }
    Ok(changed)
}

async fn touch(conn: &mut Conn, person_id: i64, shortlist_id: i64, at: i64) -> Result<()> {
    sqlx::query("UPDATE shortlists SET updated_at = $3 WHERE id = $1 AND person_id = $2")
        .bind(shortlist_id)
        .bind(person_id)
        .bind(at)
        .execute(conn)
        .await?;
    Ok(())
}

/// The organisations on the person's list with their registry facts, in the order they were
/// added; empty when the person has no such list.
pub async fn entries(conn: &mut Conn, person_id: i64, shortlist_id: i64) -> Result<Vec<Entry>> {
    let rows = sqlx::query(
        "SELECT o.id, o.legal_name, o.siret, o.naf_code, o.region_code, o.size, o.website, e.note, e.added_at \
         FROM shortlist_entries e JOIN shortlists l ON l.id = e.shortlist_id \
         JOIN organisations o ON o.id = e.organisation_id \
         WHERE e.shortlist_id = $1 AND l.person_id = $2 ORDER BY e.added_at, o.id",
    )
    .bind(shortlist_id)
    .bind(person_id)
    .fetch_all(conn)
    .await?;
    rows.iter()
        .map(|r| {
            Ok(Entry {
                organisation_id: r.try_get(0)?,
                legal_name: r.try_get(1)?,
                siret: r.try_get(2)?,
                naf_code: r.try_get(3)?,
                region_code: r.try_get(4)?,
                size: r.try_get(5)?,
                website: r.try_get(6)?,
                note: r.try_get(7)?,
                added_at: r.try_get(8)?,
            })
        })
        .collect()
}
