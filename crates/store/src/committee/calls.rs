//! Calls for proposals with their lots and criteria, their guarded state changes, documents,
//! questions and answers, amendments and invitations. Values were validated by
//! `domain::committee` before they get here.

use serde::Serialize;
use sqlx::Row;

use super::files::Attached;
use super::{from_json, to_json};
use crate::{AnyQuery, Conn, Result};

/// What a buyer edits on a call, as stored: codes as text, instants as Unix milliseconds.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct CallFields {
    pub title: String,
    pub description: String,
    pub category: String,
    pub eligible_sizes: Vec<String>,
    pub required_certifications: Vec<String>,
    pub accepted_regions: Vec<String>,
    pub opens_at: i64,
    pub closes_at: i64,
    pub visibility: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, sqlx::FromRow)]
pub struct Lot {
    pub name: String,
    pub description: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, sqlx::FromRow)]
pub struct Criterion {
    pub name: String,
    pub description: String,
    pub weight: i64,
    pub scale_max: i64,
}

/// The child rows of a call, in the call's order (positions 1, 2, 3…).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Default)]
pub struct CallParts {
    pub lots: Vec<Lot>,
    pub criteria: Vec<Criterion>,
}

/// A stored call; it dereferences to its fields.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Call {
    pub id: i64,
    pub cluster_id: i64,
    pub buyer_id: i64,
    pub session_id: Option<i64>,
    #[serde(flatten)]
    pub fields: CallFields,
    pub state: String,
    pub state_changed_at: i64,
    pub published_at: Option<i64>,
    pub cancel_reason: Option<String>,
    pub created_by: Option<i64>,
    pub created_at: i64,
    pub updated_at: i64,
}

impl std::ops::Deref for Call {
    type Target = CallFields;

    fn deref(&self) -> &CallFields {
        &self.fields
    }
}

/// The row as the database holds it; the lists are still JSON.
#[derive(sqlx::FromRow)]
struct CallRow {
    id: i64,
    cluster_id: i64,
    buyer_id: i64,
    session_id: Option<i64>,
    title: String,
    description: String,
    category: String,
    eligible_sizes: String,
    required_certifications: String,
    accepted_regions: String,
    opens_at: i64,
    closes_at: i64,
    visibility: String,
    state: String,
    state_changed_at: i64,
    published_at: Option<i64>,
    cancel_reason: Option<String>,
    created_by: Option<i64>,
    created_at: i64,
    updated_at: i64,
}

impl CallRow {
    fn decode(self) -> Result<Call> {
        Ok(Call {
            id: self.id,
            cluster_id: self.cluster_id,
            buyer_id: self.buyer_id,
            session_id: self.session_id,
            fields: CallFields {
                title: self.title,
                description: self.description,
                category: self.category,
                eligible_sizes: from_json("eligible_sizes", &self.eligible_sizes)?,
                required_certifications: from_json("required_certifications", &self.required_certifications)?,
                accepted_regions: from_json("accepted_regions", &self.accepted_regions)?,
                opens_at: self.opens_at,
                closes_at: self.closes_at,
                visibility: self.visibility,
            },
            state: self.state,
            state_changed_at: self.state_changed_at,
            published_at: self.published_at,
            cancel_reason: self.cancel_reason,
            created_by: self.created_by,
            created_at: self.created_at,
            updated_at: self.updated_at,
        })
    }
}

macro_rules! call_sql {
    ($($rest:literal)+) => {
        concat!(
            "SELECT c.id, c.cluster_id, c.buyer_id, c.session_id, c.title, c.description, c.category, \
             c.eligible_sizes, c.required_certifications, c.accepted_regions, c.opens_at, c.closes_at, \
             c.visibility, c.state, c.state_changed_at, c.published_at, c.cancel_reason, c.created_by, \
             c.created_at, c.updated_at FROM calls c ",
            $($rest),+
        )
    };
}

async fn fetch_calls(
    query: sqlx::query::QueryAs<'_, sqlx::Any, CallRow, sqlx::any::AnyArguments>,
    conn: &mut Conn,
) -> Result<Vec<Call>> {
    query
        .fetch_all(conn)
        .await?
        .into_iter()
        .map(CallRow::decode)
        .collect()
}

/// Binds the fields as $2…$10, the numbering insert and update share ($1 is the instant).
fn bind_fields<'q>(query: AnyQuery<'q>, fields: &'q CallFields) -> AnyQuery<'q> {
    query
        .bind(&fields.title)
        .bind(&fields.description)
        .bind(&fields.category)
        .bind(to_json(&fields.eligible_sizes))
        .bind(to_json(&fields.required_certifications))
        .bind(to_json(&fields.accepted_regions))
        .bind(fields.opens_at)
        .bind(fields.closes_at)
        .bind(&fields.visibility)
}

/// Creates a call in the draft state with its lots and criteria (several statements: run it inside
/// a transaction).
pub async fn insert(
    conn: &mut Conn,
    cluster_id: i64,
    buyer_id: i64,
    fields: &CallFields,
    parts: &CallParts,
    created_by: Option<i64>,
    at: i64,
) -> Result<i64> {
    let query = sqlx::query(
        "INSERT INTO calls (created_at, updated_at, state_changed_at, title, description, category, \
         eligible_sizes, required_certifications, accepted_regions, opens_at, closes_at, visibility, \
         cluster_id, buyer_id, created_by, state) \
         VALUES ($1, $1, $1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, 'draft') RETURNING id",
    )
    .bind(at);
    let row = bind_fields(query, fields)
        .bind(cluster_id)
        .bind(buyer_id)
        .bind(created_by)
        .fetch_one(&mut *conn)
        .await?;
    let id = row.try_get(0)?;
    write_parts(conn, id, parts).await?;
    Ok(id)
}

/// Replaces the fields, lots and criteria of a call that is still a draft or published; false
/// when the call does not exist or has closed, been decided or cancelled. What may change once
/// published (and the amendment that announces it) is the use-case's decision. Several statements:
/// run it inside a transaction.
pub async fn update(
    conn: &mut Conn,
    id: i64,
    fields: &CallFields,
    parts: &CallParts,
    at: i64,
) -> Result<bool> {
    let query = sqlx::query(
        "UPDATE calls SET updated_at = $1, title = $2, description = $3, category = $4, eligible_sizes = $5, \
         required_certifications = $6, accepted_regions = $7, opens_at = $8, closes_at = $9, visibility = $10 \
         WHERE id = $11 AND state IN ('draft', 'published')",
    )
    .bind(at);
    let done = bind_fields(query, fields).bind(id).execute(&mut *conn).await?;
    if done.rows_affected() != 1 {
        return Ok(false);
    }
    for table in [
        "DELETE FROM call_lots WHERE call_id = $1",
        "DELETE FROM call_criteria WHERE call_id = $1",
    ] {
        sqlx::query(table).bind(id).execute(&mut *conn).await?;
    }
    write_parts(conn, id, parts).await?;
    Ok(true)
}

async fn write_parts(conn: &mut Conn, id: i64, parts: &CallParts) -> Result<()> {
    for (position, lot) in (1i64..).zip(&parts.lots) {
        sqlx::query("INSERT INTO call_lots (call_id, position, name, description) VALUES ($1, $2, $3, $4)")
            .bind(id)
            .bind(position)
            .bind(&lot.name)
            .bind(&lot.description)
            .execute(&mut *conn)
            .await?;
    }
    for (position, criterion) in (1i64..).zip(&parts.criteria) {
        sqlx::query(
            "INSERT INTO call_criteria (call_id, position, name, description, weight, scale_max) \
             VALUES ($1, $2, $3, $4, $5, $6)",
        )
        .bind(id)
        .bind(position)
        .bind(&criterion.name)
        .bind(&criterion.description)
        .bind(criterion.weight)
        .bind(criterion.scale_max)
        .execute(&mut *conn)
        .await?;
    }
    Ok(())
}

pub async fn get(conn: &mut Conn, id: i64) -> Result<Option<Call>> {
    let row: Option<CallRow> = sqlx::query_as(call_sql!("WHERE c.id = $1"))
        .bind(id)
        .fetch_optional(conn)
        .await?;
    row.map(CallRow::decode).transpose()
}

pub async fn parts(conn: &mut Conn, id: i64) -> Result<CallParts> {
    let lots = sqlx::query_as("SELECT name, description FROM call_lots WHERE call_id = $1 ORDER BY position")
        .bind(id)
        .fetch_all(&mut *conn)
        .await?;
    let criteria = sqlx::query_as(
        "SELECT name, description, weight, scale_max FROM call_criteria WHERE call_id = $1 ORDER BY position",
    )
    .bind(id)
    .fetch_all(conn)
    .await?;
    Ok(CallParts { lots, criteria })
}

/// A cluster's calls, whatever their state, closing soonest first.
pub async fn of_cluster(conn: &mut Conn, cluster_id: i64) -> Result<Vec<Call>> {
    fetch_calls(
        sqlx::query_as(call_sql!("WHERE c.cluster_id = $1 ORDER BY c.closes_at, c.id")).bind(cluster_id),
        conn,
    )
    .await
}

/// A buyer's calls, newest first.
pub async fn of_buyer(conn: &mut Conn, buyer_id: i64) -> Result<Vec<Call>> {
    fetch_calls(
        sqlx::query_as(call_sql!(
            "WHERE c.buyer_id = $1 ORDER BY c.created_at DESC, c.id DESC"
        ))
        .bind(buyer_id),
        conn,
    )
    .await
}

/// A cluster's calls accepting dossiers at `now` (published, opened, not closed), closing soonest
/// first. Who may see which is the policy's business.
pub async fn open_at(conn: &mut Conn, cluster_id: i64, now: i64) -> Result<Vec<Call>> {
    fetch_calls(
        sqlx::query_as(call_sql!(
            "WHERE c.cluster_id = $1 AND c.state = 'published' AND c.opens_at <= $2 AND c.closes_at > $2 \
             ORDER BY c.closes_at, c.id"
        ))
        .bind(cluster_id)
        .bind(now),
        conn,
    )
    .await
}

/// The calls attached to a committee session.
pub async fn of_session(conn: &mut Conn, session_id: i64) -> Result<Vec<Call>> {
    fetch_calls(
        sqlx::query_as(call_sql!("WHERE c.session_id = $1 ORDER BY c.closes_at, c.id")).bind(session_id),
        conn,
    )
    .await
}

/// Calls an organisation was invited to, closing soonest first.
pub async fn inviting(conn: &mut Conn, organisation_id: i64) -> Result<Vec<Call>> {
    fetch_calls(
        sqlx::query_as(call_sql!(
            "JOIN call_invitations i ON i.call_id = c.id WHERE i.organisation_id = $1 ORDER BY c.closes_at, c.id"
        ))
        .bind(organisation_id),
        conn,
    )
    .await
}

/// Moves the call from session `from` to session `to` (None: no session) if it is still in
/// `from`; false when another writer moved it first (or it does not exist).
pub async fn attach_to_session(
    conn: &mut Conn,
    id: i64,
    from: Option<i64>,
    to: Option<i64>,
    at: i64,
) -> Result<bool> {
    let done = sqlx::query(
        "UPDATE calls SET session_id = $2, updated_at = $3 \
         WHERE id = $1 AND (session_id = $4 OR (session_id IS NULL AND $4 IS NULL))",
    )
    .bind(id)
    .bind(to)
    .bind(at)
    .bind(from)
    .execute(conn)
    .await?;
    Ok(done.rows_affected() == 1)
}

/// Moves a call from `from` to `to` if it is still in `from`; false when another writer moved it
/// first (or it does not exist). The database itself refuses to publish a call whose closing
/// instant has passed and to close one before it, whatever the caller checked.
pub async fn change_state(conn: &mut Conn, id: i64, from: &str, to: &str, at: i64) -> Result<bool> {
    let done = sqlx::query(
        "UPDATE calls SET state = $3, state_changed_at = $4, updated_at = $4, \
         published_at = CASE WHEN $3 = 'published' THEN $4 ELSE published_at END \
         WHERE id = $1 AND state = $2 \
         AND ($3 <> 'published' OR closes_at > $4) AND ($3 <> 'closed' OR closes_at <= $4)",
    )
    .bind(id)
    .bind(from)
    .bind(to)
    .bind(at)
    .execute(conn)
    .await?;
    Ok(done.rows_affected() == 1)
}

/// Cancels a call still in `from`, keeping the reason candidates are told.
pub async fn cancel(conn: &mut Conn, id: i64, from: &str, reason: &str, at: i64) -> Result<bool> {
    let done = sqlx::query(
        "UPDATE calls SET state = 'cancelled', cancel_reason = $3, state_changed_at = $4, updated_at = $4 \
         WHERE id = $1 AND state = $2 AND state IN ('draft', 'published', 'closed')",
    )
    .bind(id)
    .bind(from)
    .bind(reason)
    .bind(at)
    .execute(conn)
    .await?;
    Ok(done.rows_affected() == 1)
}

/// Closes every published call whose closing instant has passed; returns their ids.
pub async fn close_due(conn: &mut Conn, now: i64) -> Result<Vec<i64>> {
    let mut ids: Vec<i64> = sqlx::query_scalar(
        "UPDATE calls SET state = 'closed', state_changed_at = $1, updated_at = $1 \
         WHERE state = 'published' AND closes_at <= $1 RETURNING id",
    )
    .bind(now)
    .fetch_all(conn)
    .await?;
    ids.sort_unstable();
    Ok(ids)
}

/// Deletes a call that was never published, with its parts; false otherwise.
pub async fn delete_draft(conn: &mut Conn, id: i64) -> Result<bool> {
    let done = sqlx::query("DELETE FROM calls WHERE id = $1 AND state = 'draft'")
        .bind(id)
        .execute(conn)
        .await?;
    Ok(done.rows_affected() == 1)
}

// ---- documents ----------------------------------------------------------------------------------

#[derive(Debug, Clone, PartialEq, Eq, Serialize, sqlx::FromRow)]
pub struct CallDocument {
    pub id: i64,
    pub call_id: i64,
    #[sqlx(flatten)]
    #[serde(flatten)]
    pub file: Attached,
    pub added_at: i64,
    pub added_by: Option<i64>,
}

/// Attaches a stored file (see `files::put`) to a call; a name already used there is a duplicate.
pub async fn add_document(
    conn: &mut Conn,
    call_id: i64,
    file: &Attached,
    added_by: Option<i64>,
    at: i64,
) -> Result<i64> {
    Ok(sqlx::query_scalar(
        "INSERT INTO call_documents (call_id, file_name, file_sha256, size_bytes, content_type, added_at, added_by) \
         VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id",
    )
    .bind(call_id)
    .bind(&file.file_name)
    .bind(&file.file_sha256)
    .bind(file.size_bytes)
    .bind(&file.content_type)
    .bind(at)
    .bind(added_by)
    .fetch_one(conn)
    .await?)
}

pub async fn documents(conn: &mut Conn, call_id: i64) -> Result<Vec<CallDocument>> {
    Ok(sqlx::query_as(
        "SELECT id, call_id, file_name, file_sha256, size_bytes, content_type, added_at, added_by \
         FROM call_documents WHERE call_id = $1 ORDER BY id",
    )
    .bind(call_id)
    .fetch_all(conn)
    .await?)
}

pub async fn remove_document(conn: &mut Conn, call_id: i64, id: i64) -> Result<bool> {
    let done = sqlx::query("DELETE FROM call_documents WHERE id = $1 AND call_id = $2")
        .bind(id)
        .bind(call_id)
        .execute(conn)
        .await?;
    Ok(done.rows_affected() == 1)
}

// ---- questions and answers ----------------------------------------------------------------------

#[derive(Debug, Clone, PartialEq, Eq, Serialize, sqlx::FromRow)]
pub struct Question {
    pub id: i64,
    pub call_id: i64,
    /// Who asked: shown to the buyer, never to the other candidates.
    pub organisation_id: Option<i64>,
    pub asked_by: Option<i64>,
    pub question: String,
    pub asked_at: i64,
    pub answer: Option<String>,
    pub answered_by: Option<i64>,
    pub answered_at: Option<i64>,
}

const QUESTION_COLUMNS: &str = "SELECT id, call_id, organisation_id, asked_by, question, asked_at, answer, \
     answered_by, answered_at FROM call_questions";

pub async fn ask(
    conn: &mut Conn,
    call_id: i64,
    organisation_id: Option<i64>,
    asked_by: Option<i64>,
    question: &str,
    at: i64,
) -> Result<i64> {
    Ok(sqlx::query_scalar(
        "INSERT INTO call_questions (call_id, organisation_id, asked_by, question, asked_at) \
         VALUES ($1, $2, $3, $4, $5) RETURNING id",
    )
    .bind(call_id)
    .bind(organisation_id)
    .bind(asked_by)
    .bind(question)
    .bind(at)
    .fetch_one(conn)
    .await?)
}

/// Answers a question once: the answer is public from then on, so changing it would change what
/// every candidate already read (a correction is an amendment). False when already answered.
pub async fn answer(conn: &mut Conn, id: i64, answer: &str, by: Option<i64>, at: i64) -> Result<bool> {
    let done = sqlx::query(
        "UPDATE call_questions SET answer = $2, answered_by = $3, answered_at = $4 \
         WHERE id = $1 AND answered_at IS NULL",
    )
    .bind(id)
    .bind(answer)
    .bind(by)
    .bind(at)
    .execute(conn)
    .await?;
    Ok(done.rows_affected() == 1)
}

pub async fn question(conn: &mut Conn, id: i64) -> Result<Option<Question>> {
    Ok(
        sqlx::query_as(sqlx::AssertSqlSafe(format!("{QUESTION_COLUMNS} WHERE id = $1")))
            .bind(id)
            .fetch_optional(conn)
            .await?,
    )
}

/// Every question of a call, answered or not, oldest first: the buyer's view.
pub async fn questions(conn: &mut Conn, call_id: i64) -> Result<Vec<Question>> {
    Ok(sqlx::query_as(sqlx::AssertSqlSafe(format!(
        "{QUESTION_COLUMNS} WHERE call_id = $1 ORDER BY asked_at, id"
    )))
    .bind(call_id)
    .fetch_all(conn)
    .await?)
}

/// The answered questions, in the order they were answered: what everyone who sees the call sees.
pub async fn answered(conn: &mut Conn, call_id: i64) -> Result<Vec<Question>> {
    Ok(sqlx::query_as(sqlx::AssertSqlSafe(format!(
        "{QUESTION_COLUMNS} WHERE call_id = $1 AND answered_at IS NOT NULL ORDER BY answered_at, id"
    )))
    .bind(call_id)
    .fetch_all(conn)
    .await?)
}

// ---- amendments ---------------------------------------------------------------------------------

#[derive(Debug, Clone, PartialEq, Eq, Serialize, sqlx::FromRow)]
pub struct Amendment {
    pub id: i64,
    pub call_id: i64,
    pub text: String,
    pub at: i64,
    pub made_by: Option<i64>,
}

pub async fn amend(conn: &mut Conn, call_id: i64, text: &str, made_by: Option<i64>, at: i64) -> Result<i64> {
    Ok(sqlx::query_scalar(
        "INSERT INTO call_amendments (call_id, text, at, made_by) VALUES ($1, $2, $3, $4) RETURNING id",
    )
    .bind(call_id)
    .bind(text)
    .bind(at)
    .bind(made_by)
    .fetch_one(conn)
    .await?)
}

/// A call's amendments, oldest first.
pub async fn amendments(conn: &mut Conn, call_id: i64) -> Result<Vec<Amendment>> {
    Ok(sqlx::query_as(
        "SELECT id, call_id, text, at, made_by FROM call_amendments WHERE call_id = $1 ORDER BY at, id",
    )
    .bind(call_id)
    .fetch_all(conn)
    .await?)
}

// ---- invitations --------------------------------------------------------------------------------

#[derive(Debug, Clone, PartialEq, Eq, Serialize, sqlx::FromRow)]
pub struct Invitation {
    pub organisation_id: i64,
    pub invited_at: i64,
    pub invited_by: Option<i64>,
}

/// Invites an organisation; false when it already was (the first invitation is kept).
pub async fn invite(
    conn: &mut Conn,
    call_id: i64,
    organisation_id: i64,
    invited_by: Option<i64>,
    at: i64,
) -> Result<bool> {
    let done = sqlx::query(
        "INSERT INTO call_invitations (call_id, organisation_id, invited_at, invited_by) VALUES ($1, $2, $3, $4) \
         ON CONFLICT (call_id, organisation_id) DO NOTHING",
    )
    .bind(call_id)
    .bind(organisation_id)
    .bind(at)
    .bind(invited_by)
    .execute(conn)
    .await?;
    Ok(done.rows_affected() == 1)
}

pub async fn uninvite(conn: &mut Conn, call_id: i64, organisation_id: i64) -> Result<bool> {
    let done = sqlx::query("DELETE FROM call_invitations WHERE call_id = $1 AND organisation_id = $2")
        .bind(call_id)
        .bind(organisation_id)
        .execute(conn)
        .await?;
    Ok(done.rows_affected() == 1)
}

/// Who was invited, in the order of invitation.
pub async fn invitations(conn: &mut Conn, call_id: i64) -> Result<Vec<Invitation>> {
    Ok(sqlx::query_as(
        "SELECT organisation_id, invited_at, invited_by FROM call_invitations WHERE call_id = $1 \
         ORDER BY invited_at, organisation_id",
    )
    .bind(call_id)
    .fetch_all(conn)
    .await?)
}

pub async fn is_invited(conn: &mut Conn, call_id: i64, organisation_id: i64) -> Result<bool> {
    let found: Option<i64> = sqlx::query_scalar(
        "SELECT organisation_id FROM call_invitations WHERE call_id = $1 AND organisation_id = $2",
    )
    .bind(call_id)
    .bind(organisation_id)
    .fetch_optional(conn)
    .await?;
    Ok(found.is_some())
}
