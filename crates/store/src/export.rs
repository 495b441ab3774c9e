//! Storage of export support: premises abroad, stay requests, shared VIE posts and applications.
//! Dates are ISO `YYYY-MM-DD` text, percentages and money decimal text; the app parses and checks
//! them. States change only through guarded updates, and the row locks below order the writers
//! whose check reads other rows (overbooking, shares over 100 %).

use serde::Serialize;

use crate::{Conn, Result};

// ---- premises -----------------------------------------------------------------------------------

#[derive(Debug, Clone, PartialEq, Eq, Serialize, sqlx::FromRow)]
pub struct Premises {
    pub id: i64,
    pub cluster_id: i64,
    pub host_id: i64,
    pub city: String,
    /// ISO 3166-1 alpha-2.
    pub country: String,
    pub desks: i64,
    pub available_from: String,
    pub available_to: String,
    pub conditions: String,
    pub contact_person_id: Option<i64>,
    pub contact_email: Option<String>,
    pub created_at: i64,
    pub created_by: Option<i64>,
    pub updated_at: i64,
    pub withdrawn_at: Option<i64>,
}

/// What the host writes about premises.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PremisesFields {
    pub city: String,
    pub country: String,
    pub desks: i64,
    pub available_from: String,
    pub available_to: String,
    pub conditions: String,
    pub contact_person_id: Option<i64>,
    pub contact_email: Option<String>,
}

const PREMISES_COLUMNS: &str = "id, cluster_id, host_id, city, country, desks, available_from, available_to, \
     conditions, contact_person_id, contact_email, created_at, created_by, updated_at, withdrawn_at";

pub async fn insert_premises(
    conn: &mut Conn,
    cluster_id: i64,
    host_id: i64,
    fields: &PremisesFields,
    by: Option<i64>,
    at: i64,
) -> Result<i64> {
    Ok(sqlx::query_scalar(
        "INSERT INTO export_premises (cluster_id, host_id, city, country, desks, available_from, available_to, \
         conditions, contact_person_id, contact_email, created_at, created_by, updated_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $11) RETURNING id",
    )
    .bind(cluster_id)
    .bind(host_id)
    .bind(&fields.city)
    .bind(&fields.country)
    .bind(fields.desks)
    .bind(&fields.available_from)
    .bind(&fields.available_to)
    .bind(&fields.conditions)
    .bind(fields.contact_person_id)
    .bind(&fields.contact_email)
    .bind(at)
    .bind(by)
    .fetch_one(conn)
    .await?)
}

/// Rewrites premises still offered; false when withdrawn or unknown.
pub async fn update_premises(conn: &mut Conn, id: i64, fields: &PremisesFields, at: i64) -> Result<bool> {
    let done = sqlx::query(
        "UPDATE export_premises SET city = $2, country = $3, desks = $4, available_from = $5, available_to = $6, \
         conditions = $7, contact_person_id = $8, contact_email = $9, updated_at = $10 \
         WHERE id = $1 AND withdrawn_at IS NULL",
    )
    .bind(id)
    .bind(&fields.city)
    .bind(&fields.country)
    .bind(fields.desks)
    .bind(&fields.available_from)
    .bind(&fields.available_to)
    .bind(&fields.conditions)
    .bind(fields.contact_person_id)
    .bind(&fields.contact_email)
    .bind(at)
    .execute(conn)
    .await?;
    Ok(done.rows_affected() == 1)
}

pub async fn premises(conn: &mut Conn, id: i64) -> Result<Option<Premises>> {
    Ok(sqlx::query_as(sqlx::AssertSqlSafe(format!(
        "SELECT {PREMISES_COLUMNS} FROM export_premises WHERE id = $1"
    )))
    .bind(id)
    .fetch_optional(conn)
    .await?)
}

/// The premises a cluster's members offer now, by country and city.
pub async fn premises_of_cluster(conn: &mut Conn, cluster_id: i64) -> Result<Vec<Premises>> {
    Ok(sqlx::query_as(sqlx::AssertSqlSafe(format!(
        "SELECT {PREMISES_COLUMNS} FROM export_premises WHERE cluster_id = $1 AND withdrawn_at IS NULL \
         ORDER BY country, city, id"
    )))
    .bind(cluster_id)
    .fetch_all(conn)
    .await?)
}

/// Withdraws premises and declines their pending requests with `answer`; false when already withdrawn.
pub async fn withdraw_premises(
    conn: &mut Conn,
    id: i64,
    answer: &str,
    by: Option<i64>,
    at: i64,
) -> Result<bool> {
    withdraw(
        conn,
        ("export_premises", "export_stays", "premises_id"),
        id,
        answer,
        by,
        at,
    )
    .await
}

/// Withdraws an offer (`tables`: the offer's table, its requests' table and their column naming
/// the offer) and declines its pending requests with `answer`; false when already withdrawn.
async fn withdraw(
    conn: &mut Conn,
    (offers, requests, offer_column): (&'static str, &'static str, &'static str),
    id: i64,
    answer: &str,
    by: Option<i64>,
    at: i64,
) -> Result<bool> {
    let done = sqlx::query(sqlx::AssertSqlSafe(format!(
        "UPDATE {offers} SET withdrawn_at = $2 WHERE id = $1 AND withdrawn_at IS NULL"
    )))
    .bind(id)
    .bind(at)
    .execute(&mut *conn)
    .await?;
    if done.rows_affected() != 1 {
        return Ok(false);
    }
    decline_pending(conn, (requests, offer_column), id, answer, by, at).await?;
    Ok(true)
}

/// Declines every pending request of an offer with `answer`.
async fn decline_pending(
    conn: &mut Conn,
    (requests, offer_column): (&'static str, &'static str),
    id: i64,
    answer: &str,
    by: Option<i64>,
    at: i64,
) -> Result<u64> {
    let done = sqlx::query(sqlx::AssertSqlSafe(format!(
        "UPDATE {requests} SET state = 'declined', answer = $2, decided_at = $3, decided_by = $4 \
         WHERE {offer_column} = $1 AND state = 'pending'"
    )))
    .bind(id)
    .bind(answer)
    .bind(at)
    .bind(by)
    .execute(conn)
    .await?;
    Ok(done.rows_affected())
}

/// The e-mail addresses of the admins and buyers of an organisation (its host side).
pub async fn host_side_addresses(conn: &mut Conn, organisation_id: i64) -> Result<Vec<String>> {
    Ok(sqlx::query_scalar(
        "SELECT DISTINCT p.email FROM people p JOIN role_grants g ON g.person_id = p.id \
         WHERE p.organisation_id = $1 AND g.scope_kind = 'organisation' AND g.scope_id = $1 \
         AND g.role IN ('org_admin', 'buyer') ORDER BY p.email",
    )
    .bind(organisation_id)
    .fetch_all(conn)
    .await?)
}

/// Takes the premises' row lock until the transaction ends (a no-op update, the same on both
/// backends): accepting a stay reads the accepted stays, then writes, and must not race another.
pub async fn lock_premises(conn: &mut Conn, id: i64) -> Result<()> {
    sqlx::query("UPDATE export_premises SET id = id WHERE id = $1")
        .bind(id)
        .execute(conn)
        .await?;
    Ok(())
}

// ---- stays --------------------------------------------------------------------------------------

#[derive(Debug, Clone, PartialEq, Eq, Serialize, sqlx::FromRow)]
pub struct Stay {
    pub id: i64,
    pub premises_id: i64,
    pub organisation_id: i64,
    pub requested_by: Option<i64>,
    pub starts_on: String,
    pub ends_on: String,
    pub desks: i64,
    pub purpose: String,
    /// pending, accepted, declined or withdrawn.
    pub state: String,
    /// The host's message with the decision.
    pub answer: String,
    pub created_at: i64,
    pub decided_at: Option<i64>,
    pub decided_by: Option<i64>,
}

const STAY_COLUMNS: &str = "id, premises_id, organisation_id, requested_by, starts_on, ends_on, desks, purpose, \
     state, answer, created_at, decided_at, decided_by";

#[allow(clippy::too_many_arguments)]
pub async fn insert_stay(
    conn: &mut Conn,
    premises_id: i64,
    organisation_id: i64,
    starts_on: &str,
    ends_on: &str,
    desks: i64,
    purpose: &str,
    by: Option<i64>,
    at: i64,
) -> Result<i64> {
    Ok(sqlx::query_scalar(
        "INSERT INTO export_stays (premises_id, organisation_id, requested_by, starts_on, ends_on, desks, purpose, \
         state, answer, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, 'pending', '', $8) RETURNING id",
    )
    .bind(premises_id)
    .bind(organisation_id)
    .bind(by)
    .bind(starts_on)
    .bind(ends_on)
    .bind(desks)
    .bind(purpose)
    .bind(at)
    .fetch_one(conn)
    .await?)
}

pub async fn stay(conn: &mut Conn, id: i64) -> Result<Option<Stay>> {
    Ok(sqlx::query_as(sqlx::AssertSqlSafe(format!(
        "SELECT {STAY_COLUMNS} FROM export_stays WHERE id = $1"
    )))
    .bind(id)
    .fetch_optional(conn)
    .await?)
}

/// Requests for premises, oldest first; only one organisation's when `organisation_id` is set.
pub async fn stays(conn: &mut Conn, premises_id: i64, organisation_id: Option<i64>) -> Result<Vec<Stay>> {
    let query = sqlx::query_as(sqlx::AssertSqlSafe(format!(
        "SELECT {STAY_COLUMNS} FROM export_stays WHERE premises_id = $1 AND ($2 = 0 OR organisation_id = $2) \
         ORDER BY id"
    )))
    .bind(premises_id)
    .bind(organisation_id.unwrap_or(0));
    Ok(query.fetch_all(conn).await?)
}

/// Moves a pending request to `state` (accepted, declined or withdrawn); false when it was no
/// longer pending.
pub async fn settle_stay(
    conn: &mut Conn,
    id: i64,
    state: &str,
    answer: &str,
    by: Option<i64>,
    at: i64,
) -> Result<bool> {
    settle(conn, "export_stays", id, state, answer, by, at).await
}

async fn settle(
    conn: &mut Conn,
    table: &'static str,
    id: i64,
    state: &str,
    answer: &str,
    by: Option<i64>,
    at: i64,
) -> Result<bool> {
    let done = sqlx::query(sqlx::AssertSqlSafe(format!(
        "UPDATE {table} SET state = $2, answer = $3, decided_at = $4, decided_by = $5 \
         WHERE id = $1 AND state = 'pending'"
    )))
    .bind(id)
    .bind(state)
    .bind(answer)
    .bind(at)
    .bind(by)
    .execute(conn)
    .await?;
    Ok(done.rows_affected() == 1)
}

// ---- VIE posts ----------------------------------------------------------------------------------

#[derive(Debug, Clone, PartialEq, Eq, Serialize, sqlx::FromRow)]
pub struct ViePost {
    pub id: i64,
    pub cluster_id: i64,
    pub host_id: i64,
    pub title: String,
    pub country: String,
    pub city: String,
    pub mission: String,
    pub starts_on: String,
    pub duration_months: i64,
    /// Decimal text, to the cent.
    pub monthly_cost: String,
    pub created_at: i64,
    pub created_by: Option<i64>,
    pub confirmed_at: Option<i64>,
    pub confirmed_by: Option<i64>,
    pub withdrawn_at: Option<i64>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct VieFields {
    pub title: String,
    pub country: String,
    pub city: String,
    pub mission: String,
    pub starts_on: String,
    pub duration_months: i64,
    pub monthly_cost: String,
}

const POST_COLUMNS: &str = "id, cluster_id, host_id, title, country, city, mission, starts_on, duration_months, \
     monthly_cost, created_at, created_by, confirmed_at, confirmed_by, withdrawn_at";

pub async fn insert_post(
    conn: &mut Conn,
    cluster_id: i64,
    host_id: i64,
    fields: &VieFields,
    by: Option<i64>,
    at: i64,
) -> Result<i64> {
    Ok(sqlx::query_scalar(
        "INSERT INTO export_vie_posts (cluster_id, host_id, title, country, city, mission, starts_on, \
         duration_months, monthly_cost, created_at, created_by) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11) RETURNING id",
    )
    .bind(cluster_id)
    .bind(host_id)
    .bind(&fields.title)
    .bind(&fields.country)
    .bind(&fields.city)
    .bind(&fields.mission)
    .bind(&fields.starts_on)
    .bind(fields.duration_months)
    .bind(&fields.monthly_cost)
    .bind(at)
    .bind(by)
    .fetch_one(conn)
    .await?)
}

pub async fn post(conn: &mut Conn, id: i64) -> Result<Option<ViePost>> {
    Ok(sqlx::query_as(sqlx::AssertSqlSafe(format!(
        "SELECT {POST_COLUMNS} FROM export_vie_posts WHERE id = $1"
    )))
    .bind(id)
    .fetch_optional(conn)
    .await?)
}

/// The VIE posts a cluster's members host now, soonest first.
pub async fn posts_of_cluster(conn: &mut Conn, cluster_id: i64) -> Result<Vec<ViePost>> {
    Ok(sqlx::query_as(sqlx::AssertSqlSafe(format!(
        "SELECT {POST_COLUMNS} FROM export_vie_posts WHERE cluster_id = $1 AND withdrawn_at IS NULL \
         ORDER BY starts_on, id"
    )))
    .bind(cluster_id)
    .fetch_all(conn)
    .await?)
}

/// Withdraws a post and declines its pending applications; false when already withdrawn.
pub async fn withdraw_post(conn: &mut Conn, id: i64, answer: &str, by: Option<i64>, at: i64) -> Result<bool> {
    withdraw(
        conn,
        ("export_vie_posts", "export_vie_applications", "post_id"),
        id,
        answer,
        by,
        at,
    )
    .await
}

/// Declines the pending applications of a post with `answer` (once its sharing is confirmed);
/// the number declined.
pub async fn decline_pending_applications(
    conn: &mut Conn,
    post_id: i64,
    answer: &str,
    by: Option<i64>,
    at: i64,
) -> Result<u64> {
    decline_pending(
        conn,
        ("export_vie_applications", "post_id"),
        post_id,
        answer,
        by,
        at,
    )
    .await
}

/// Confirms the sharing of a post still open; false when confirmed or withdrawn already.
pub async fn confirm_post(conn: &mut Conn, id: i64, by: Option<i64>, at: i64) -> Result<bool> {
    let done = sqlx::query(
        "UPDATE export_vie_posts SET confirmed_at = $2, confirmed_by = $3 \
         WHERE id = $1 AND confirmed_at IS NULL AND withdrawn_at IS NULL",
    )
    .bind(id)
    .bind(at)
    .bind(by)
    .execute(conn)
    .await?;
    Ok(done.rows_affected() == 1)
}

/// Takes the post's row lock until the transaction ends: accepting a share reads the accepted
/// shares, then writes, and must not race another accept or the confirmation.
pub async fn lock_post(conn: &mut Conn, id: i64) -> Result<()> {
    sqlx::query("UPDATE export_vie_posts SET id = id WHERE id = $1")
        .bind(id)
        .execute(conn)
        .await?;
    Ok(())
}

// ---- VIE applications ---------------------------------------------------------------------------

#[derive(Debug, Clone, PartialEq, Eq, Serialize, sqlx::FromRow)]
pub struct VieApplication {
    pub id: i64,
    pub post_id: i64,
    pub organisation_id: i64,
    pub applied_by: Option<i64>,
    /// Percentage of the volunteer's time, decimal text to the hundredth.
    pub share: String,
    pub tasks: String,
    /// pending, accepted, declined or withdrawn.
    pub state: String,
    pub answer: String,
    pub created_at: i64,
    pub decided_at: Option<i64>,
    pub decided_by: Option<i64>,
}

const APPLICATION_COLUMNS: &str = "id, post_id, organisation_id, applied_by, share, tasks, state, answer, created_at, decided_at, decided_by";

pub async fn insert_application(
    conn: &mut Conn,
    post_id: i64,
    organisation_id: i64,
    share: &str,
    tasks: &str,
    by: Option<i64>,
    at: i64,
) -> Result<i64> {
    Ok(sqlx::query_scalar(
        "INSERT INTO export_vie_applications (post_id, organisation_id, applied_by, share, tasks, state, answer, \
         created_at) VALUES ($1, $2, $3, $4, $5, 'pending', '', $6) RETURNING id",
    )
    .bind(post_id)
    .bind(organisation_id)
    .bind(by)
    .bind(share)
    .bind(tasks)
    .bind(at)
    .fetch_one(conn)
    .await?)
}

pub async fn application(conn: &mut Conn, id: i64) -> Result<Option<VieApplication>> {
    Ok(sqlx::query_as(sqlx::AssertSqlSafe(format!(
        "SELECT {APPLICATION_COLUMNS} FROM export_vie_applications WHERE id = $1"
    )))
    .bind(id)
    .fetch_optional(conn)
    .await?)
}

/// Applications for a post, oldest first (the order ties of the cost split follow); only one
/// organisation's when `organisation_id` is set.
pub async fn applications(
    conn: &mut Conn,
    post_id: i64,
    organisation_id: Option<i64>,
) -> Result<Vec<VieApplication>> {
    Ok(sqlx::query_as(sqlx::AssertSqlSafe(format!(
        "SELECT {APPLICATION_COLUMNS} FROM export_vie_applications \
         WHERE post_id = $1 AND ($2 = 0 OR organisation_id = $2) ORDER BY id"
    )))
    .bind(post_id)
    .bind(organisation_id.unwrap_or(0))
    .fetch_all(conn)
    .await?)
}

/// Moves a pending application to `state`; false when it was no longer pending.
pub async fn settle_application(
    conn: &mut Conn,
    id: i64,
    state: &str,
    answer: &str,
    by: Option<i64>,
    at: i64,
) -> Result<bool> {
    settle(conn, "export_vie_applications", id, state, answer, by, at).await
}
