//! People of member organisations and the roles they hold.

use crate::records::{GrantRow, NewPerson, Person};
use crate::{Conn, Result, now_ms};

macro_rules! select_person {
    ($rest:literal) => {
        concat!(
            "SELECT id, organisation_id, email, first_name, last_name, job_title, locale, created_at, updated_at \
             FROM people ",
            $rest
        )
    };
}

pub async fn insert(conn: &mut Conn, person: &NewPerson) -> Result<i64> {
    let now = now_ms();
    let id = sqlx::query_scalar(
        "INSERT INTO people (organisation_id, email, first_name, last_name, job_title, locale, password_hash, \
         created_at, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $8) RETURNING id",
    )
    .bind(person.organisation_id)
    .bind(&person.email)
    .bind(&person.first_name)
    .bind(&person.last_name)
    .bind(&person.job_title)
    .bind(&person.locale)
    .bind(&person.password_hash)
    .bind(now)
    .fetch_one(conn)
    .await?;
    Ok(id)
}

pub async fn get(conn: &mut Conn, id: i64) -> Result<Option<Person>> {
    Ok(sqlx::query_as(select_person!("WHERE id = $1"))
        .bind(id)
        .fetch_optional(conn)
        .await?)
}

pub async fn by_email(conn: &mut Conn, email: &str) -> Result<Option<Person>> {
    Ok(sqlx::query_as(select_person!("WHERE email = $1"))
        .bind(email)
        .fetch_optional(conn)
        .await?)
}

pub async fn of_organisation(conn: &mut Conn, organisation_id: i64) -> Result<Vec<Person>> {
    Ok(sqlx::query_as(select_person!(
        "WHERE organisation_id = $1 ORDER BY last_name, first_name, id"
    ))
    .bind(organisation_id)
    .fetch_all(conn)
    .await?)
}

/// The stored password hash of an account, if the person has set a password.
pub async fn password_hash(conn: &mut Conn, person_id: i64) -> Result<Option<String>> {
    let hash: Option<Option<String>> = sqlx::query_scalar("SELECT password_hash FROM people WHERE id = $1")
        .bind(person_id)
        .fetch_optional(conn)
        .await?;
    Ok(hash.flatten())
}

pub async fn set_password_hash(conn: &mut Conn, person_id: i64, hash: &str) -> Result<bool> {
    let done = sqlx::query("UPDATE people SET password_hash = $2, updated_at = $3 WHERE id = $1")
        .bind(person_id)
        .bind(hash)
        .bind(now_ms())
        .execute(conn)
        .await?;
    Ok(done.rows_affected() == 1)
}

pub async fn set_locale(conn: &mut Conn, person_id: i64, locale: &str) -> Result<bool> {
    let done = sqlx::query("UPDATE people SET locale = $2, updated_at = $3 WHERE id = $1")
        .bind(person_id)
        .bind(locale)
        .bind(now_ms())
        .execute(conn)
        .await?;
    Ok(done.rows_affected() == 1)
}

/// Grants a role; granting one already held is a no-op.
pub async fn grant(
    conn: &mut Conn,
    person_id: i64,
    role: &str,
    scope_kind: &str,
    scope_id: i64,
) -> Result<()> {
    sqlx::query(
        "INSERT INTO role_grants (person_id, role, scope_kind, scope_id) VALUES ($1, $2, $3, $4) \
         ON CONFLICT (person_id, role, scope_kind, scope_id) DO NOTHING",
    )
    .bind(person_id)
    .bind(role)
    .bind(scope_kind)
    .bind(scope_id)
    .execute(conn)
    .await?;
    Ok(())
}

pub async fn grants(conn: &mut Conn, person_id: i64) -> Result<Vec<GrantRow>> {
    Ok(sqlx::query_as(
        "SELECT role, scope_kind, scope_id FROM role_grants WHERE person_id = $1 ORDER BY role, scope_kind, scope_id",
    )
    .bind(person_id)
    .fetch_all(conn)
    .await?)
}

/// People working in the member organisations of a cluster.
pub async fn count_in_cluster(conn: &mut Conn, cluster_id: i64) -> Result<i64> {
    Ok(sqlx::query_scalar(
        "SELECT COUNT(*) FROM people p JOIN memberships m ON m.organisation_id = p.organisation_id \
         WHERE m.cluster_id = $1 AND m.left_at IS NULL",
    )
    .bind(cluster_id)
    .fetch_one(conn)
    .await?)
}

pub async fn count(conn: &mut Conn) -> Result<i64> {
    Ok(sqlx::query_scalar("SELECT COUNT(*) FROM people")
        .fetch_one(conn)
        .await?)
}

/// Takes the person's row lock until the transaction ends (a no-op update, the same on both
/// backends), so that "count, then insert if under the limit" on their rows cannot race.
pub async fn serialize_on(conn: &mut Conn, person_id: i64) -> Result<()> {
    sqlx::query("UPDATE people SET id = id WHERE id = $1")
        .bind(person_id)
        .execute(conn)
        .await?;
    Ok(())
}
