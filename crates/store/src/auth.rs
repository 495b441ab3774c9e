//! Secrets that stand for a person: sessions, invitations, password-reset tokens and API tokens.
//! Only hashes of the tokens are stored, so a copy of the database cannot be used to sign in.

use crate::records::{ApiToken, Invitation};
use crate::{Conn, Result, now_ms};

pub async fn insert_session(
    conn: &mut Conn,
    token_hash: &str,
    person_id: i64,
    expires_at: i64,
) -> Result<()> {
    sqlx::query(
        "INSERT INTO sessions (token_hash, person_id, created_at, expires_at) VALUES ($1, $2, $3, $4)",
    )
    .bind(token_hash)
    .bind(person_id)
    .bind(now_ms())
    .bind(expires_at)
    .execute(conn)
    .await?;
    Ok(())
}

/// The person behind a live session, if any.
pub async fn session_person(conn: &mut Conn, token_hash: &str, now: i64) -> Result<Option<i64>> {
    Ok(
        sqlx::query_scalar("SELECT person_id FROM sessions WHERE token_hash = $1 AND expires_at > $2")
            .bind(token_hash)
            .bind(now)
            .fetch_optional(conn)
            .await?,
    )
}

pub async fn delete_session(conn: &mut Conn, token_hash: &str) -> Result<()> {
    sqlx::query("DELETE FROM sessions WHERE token_hash = $1")
        .bind(token_hash)
        .execute(conn)
        .await?;
    Ok(())
}

/// Ends every session of a person, e.g. after a password reset.
pub async fn delete_sessions_of(conn: &mut Conn, person_id: i64) -> Result<u64> {
    let done = sqlx::query("DELETE FROM sessions WHERE person_id = $1")
        .bind(person_id)
        .execute(conn)
        .await?;
    Ok(done.rows_affected())
}

/// Ends every session of a person but one (the one that changed the password stays signed in).
pub async fn delete_other_sessions(conn: &mut Conn, person_id: i64, keep_hash: &str) -> Result<u64> {
    let done = sqlx::query("DELETE FROM sessions WHERE person_id = $1 AND token_hash <> $2")
        .bind(person_id)
        .bind(keep_hash)
        .execute(conn)
        .await?;
    Ok(done.rows_affected())
}

pub async fn delete_expired_sessions(conn: &mut Conn, now: i64) -> Result<u64> {
    let done = sqlx::query("DELETE FROM sessions WHERE expires_at <= $1")
        .bind(now)
        .execute(conn)
        .await?;
    Ok(done.rows_affected())
}

pub struct NewInvitation<'a> {
    pub token_hash: &'a str,
    pub email: &'a str,
    pub organisation_id: i64,
    pub role: &'a str,
    pub cluster_id: Option<i64>,
    pub invited_by: i64,
    pub expires_at: i64,
}

pub async fn insert_invitation(conn: &mut Conn, inv: &NewInvitation<'_>) -> Result<i64> {
    Ok(sqlx::query_scalar(
        "INSERT INTO invitations (token_hash, email, organisation_id, role, cluster_id, invited_by, created_at, expires_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING id",
    )
    .bind(inv.token_hash)
    .bind(inv.email)
    .bind(inv.organisation_id)
    .bind(inv.role)
    .bind(inv.cluster_id)
    .bind(inv.invited_by)
    .bind(now_ms())
    .bind(inv.expires_at)
    .fetch_one(conn)
    .await?)
}

/// An invitation that can still be accepted.
pub async fn open_invitation(conn: &mut Conn, token_hash: &str, now: i64) -> Result<Option<Invitation>> {
    Ok(sqlx::query_as(
        "SELECT id, email, organisation_id, role, cluster_id, invited_by, created_at, expires_at, accepted_at \
         FROM invitations WHERE token_hash = $1 AND accepted_at IS NULL AND expires_at > $2",
    )
    .bind(token_hash)
    .bind(now)
    .fetch_optional(conn)
    .await?)
}

/// Marks an invitation used; false when someone else used it first (the caller must roll back).
pub async fn accept_invitation(conn: &mut Conn, id: i64, now: i64) -> Result<bool> {
    let done = sqlx::query("UPDATE invitations SET accepted_at = $2 WHERE id = $1 AND accepted_at IS NULL")
        .bind(id)
        .bind(now)
        .execute(conn)
        .await?;
    Ok(done.rows_affected() == 1)
}

pub async fn insert_password_reset(
    conn: &mut Conn,
    token_hash: &str,
    person_id: i64,
    expires_at: i64,
) -> Result<()> {
    sqlx::query(
        "INSERT INTO password_resets (token_hash, person_id, created_at, expires_at) VALUES ($1, $2, $3, $4)",
    )
    .bind(token_hash)
    .bind(person_id)
    .bind(now_ms())
    .bind(expires_at)
    .execute(conn)
    .await?;
    Ok(())
}

/// Whether a reset link can still be used, so the form is not offered for a dead link.
pub async fn password_reset_is_open(conn: &mut Conn, token_hash: &str, now: i64) -> Result<bool> {
    let found: Option<i64> = sqlx::query_scalar(
        "SELECT person_id FROM password_resets WHERE token_hash = $1 AND used_at IS NULL AND expires_at > $2",
    )
    .bind(token_hash)
    .bind(now)
    .fetch_optional(conn)
    .await?;
    Ok(found.is_some())
}

/// Consumes a reset token in one statement, so a token can never be used twice even concurrently.
pub async fn use_password_reset(conn: &mut Conn, token_hash: &str, now: i64) -> Result<Option<i64>> {
    Ok(sqlx::query_scalar(
        "UPDATE password_resets SET used_at = $2 WHERE token_hash = $1 AND used_at IS NULL AND expires_at > $2 \
         RETURNING person_id",
    )
    .bind(token_hash)
    .bind(now)
    .fetch_optional(conn)
    .await?)
}

pub async fn insert_api_token(conn: &mut Conn, person_id: i64, name: &str, token_hash: &str) -> Result<i64> {
    Ok(sqlx::query_scalar(
        "INSERT INTO api_tokens (person_id, name, token_hash, created_at) VALUES ($1, $2, $3, $4) RETURNING id",
    )
    .bind(person_id)
    .bind(name)
    .bind(token_hash)
    .bind(now_ms())
    .fetch_one(conn)
    .await?)
}

/// The person behind a live API token; records the use.
/// How stale `last_used_at` may get: recording every call would turn each API read into a write.
const TOKEN_USE_RESOLUTION_MS: i64 = 60_000;

/// The person behind a live API token; records the use at most once a minute.
pub async fn api_token_person(conn: &mut Conn, token_hash: &str, now: i64) -> Result<Option<i64>> {
    let row: Option<(i64, i64, Option<i64>)> = sqlx::query_as(
        "SELECT id, person_id, last_used_at FROM api_tokens WHERE token_hash = $1 AND revoked_at IS NULL",
    )
    .bind(token_hash)
    .fetch_optional(&mut *conn)
    .await?;
    let Some((id, person_id, last_used_at)) = row else {
        return Ok(None);
    };
    if last_used_at.is_none_or(|at| now - at >= TOKEN_USE_RESOLUTION_MS) {
        sqlx::query("UPDATE api_tokens SET last_used_at = $2 WHERE id = $1")
            .bind(id)
            .bind(now)
            .execute(conn)
            .await?;
    }
    Ok(Some(person_id))
}

pub async fn api_tokens_of(conn: &mut Conn, person_id: i64) -> Result<Vec<ApiToken>> {
    Ok(sqlx::query_as(
        "SELECT id, person_id, name, created_at, last_used_at, revoked_at FROM api_tokens \
         WHERE person_id = $1 ORDER BY id",
    )
    .bind(person_id)
    .fetch_all(conn)
    .await?)
}

/// Revokes one of the person's own tokens; false when no such live token is theirs.
pub async fn revoke_api_token(conn: &mut Conn, person_id: i64, token_id: i64, now: i64) -> Result<bool> {
    let done = sqlx::query(
        "UPDATE api_tokens SET revoked_at = $3 WHERE id = $1 AND person_id = $2 AND revoked_at IS NULL",
    )
    .bind(token_id)
    .bind(person_id)
    .bind(now)
    .execute(conn)
    .await?;
    Ok(done.rows_affected() == 1)
}
