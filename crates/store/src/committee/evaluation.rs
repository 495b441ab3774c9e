//! Evaluation of a closed call's dossiers: named evaluators, their declared conflicts of interest,
//! their marks with comments, the shortlist, and decisions that are immutable once published.
//! Weighted totals and the ranking are computed by `domain::committee::scoring` from these rows.

use serde::Serialize;

use crate::{Conn, Result};

// ---- evaluators ---------------------------------------------------------------------------------

/// Names a person evaluator of a call; false when they already were.
pub async fn name_evaluator(
    conn: &mut Conn,
    call_id: i64,
    person_id: i64,
    named_by: Option<i64>,
    at: i64,
) -> Result<bool> {
    let done = sqlx::query(
        "INSERT INTO call_evaluators (call_id, person_id, named_at, named_by) VALUES ($1, $2, $3, $4) \
         ON CONFLICT (call_id, person_id) DO NOTHING",
    )
    .bind(call_id)
    .bind(person_id)
    .bind(at)
    .bind(named_by)
    .execute(conn)
    .await?;
    Ok(done.rows_affected() == 1)
}

pub async fn remove_evaluator(conn: &mut Conn, call_id: i64, person_id: i64) -> Result<bool> {
    let done = sqlx::query("DELETE FROM call_evaluators WHERE call_id = $1 AND person_id = $2")
        .bind(call_id)
        .bind(person_id)
        .execute(conn)
        .await?;
    Ok(done.rows_affected() == 1)
}

/// The evaluators of a call, in the order they were named.
pub async fn evaluators(conn: &mut Conn, call_id: i64) -> Result<Vec<i64>> {
    Ok(sqlx::query_scalar(
        "SELECT person_id FROM call_evaluators WHERE call_id = $1 ORDER BY named_at, person_id",
    )
    .bind(call_id)
    .fetch_all(conn)
    .await?)
}

/// The calls a person is named evaluator of, the latest named first.
pub async fn calls_of_evaluator(conn: &mut Conn, person_id: i64) -> Result<Vec<i64>> {
    Ok(sqlx::query_scalar(
        "SELECT call_id FROM call_evaluators WHERE person_id = $1 ORDER BY named_at DESC, call_id DESC",
    )
    .bind(person_id)
    .fetch_all(conn)
    .await?)
}

// ---- conflicts of interest ----------------------------------------------------------------------

#[derive(Debug, Clone, PartialEq, Eq, Serialize, sqlx::FromRow)]
pub struct Conflict {
    pub dossier_id: i64,
    pub person_id: i64,
    pub reason: String,
    pub declared_at: i64,
}

/// Records that an evaluator has a conflict of interest with a dossier; false when already
/// declared (the first declaration stands). A declaration cannot be taken back.
pub async fn declare_conflict(
    conn: &mut Conn,
    dossier_id: i64,
    person_id: i64,
    reason: &str,
    at: i64,
) -> Result<bool> {
    let done = sqlx::query(
        "INSERT INTO evaluation_conflicts (dossier_id, person_id, reason, declared_at) VALUES ($1, $2, $3, $4) \
         ON CONFLICT (dossier_id, person_id) DO NOTHING",
    )
    .bind(dossier_id)
    .bind(person_id)
    .bind(reason)
    .bind(at)
    .execute(conn)
    .await?;
    Ok(done.rows_affected() == 1)
}

/// The declared conflicts on a call's dossiers.
pub async fn conflicts(conn: &mut Conn, call_id: i64) -> Result<Vec<Conflict>> {
    Ok(sqlx::query_as(
        "SELECT x.dossier_id, x.person_id, x.reason, x.declared_at FROM evaluation_conflicts x \
         JOIN dossiers d ON d.id = x.dossier_id WHERE d.call_id = $1 ORDER BY x.dossier_id, x.person_id",
    )
    .bind(call_id)
    .fetch_all(conn)
    .await?)
}

// ---- marks --------------------------------------------------------------------------------------

#[derive(Debug, Clone, PartialEq, Eq, Serialize, sqlx::FromRow)]
pub struct Mark {
    pub dossier_id: i64,
    pub person_id: i64,
    pub criterion_position: i64,
    pub mark: i64,
    pub comment: String,
    pub updated_at: i64,
}

/// Saves (or replaces) one evaluator's mark on one criterion of one dossier. The statement itself
/// requires a closed call, a submitted dossier, a named evaluator without a declared conflict on
/// it, an existing criterion and a mark within its scale; false when any of these fails. Each
/// evaluator writes only their own rows, so two evaluators saving at once never overwrite each
/// other.
pub async fn save_mark(
    conn: &mut Conn,
    dossier_id: i64,
    person_id: i64,
    criterion_position: i64,
    mark: i64,
    comment: &str,
    at: i64,
) -> Result<bool> {
    let done = sqlx::query(
        "INSERT INTO evaluation_marks (dossier_id, person_id, criterion_position, mark, comment, updated_at) \
         SELECT d.id, e.person_id, k.position, $4, $5, $6 FROM dossiers d \
         JOIN calls c ON c.id = d.call_id \
         JOIN call_criteria k ON k.call_id = c.id AND k.position = $3 \
         JOIN call_evaluators e ON e.call_id = c.id AND e.person_id = $2 \
         WHERE d.id = $1 AND c.state = 'closed' AND d.state = 'submitted' AND $4 >= 0 AND $4 <= k.scale_max \
         AND NOT EXISTS (SELECT 1 FROM evaluation_conflicts x WHERE x.dossier_id = d.id AND x.person_id = $2) \
         ON CONFLICT (dossier_id, person_id, criterion_position) DO UPDATE SET mark = excluded.mark, \
         comment = excluded.comment, updated_at = excluded.updated_at",
    )
    .bind(dossier_id)
    .bind(person_id)
    .bind(criterion_position)
    .bind(mark)
    .bind(comment)
    .bind(at)
    .execute(conn)
    .await?;
    Ok(done.rows_affected() == 1)
}

/// Every mark on a call's dossiers, by dossier, evaluator and criterion.
pub async fn marks(conn: &mut Conn, call_id: i64) -> Result<Vec<Mark>> {
    Ok(sqlx::query_as(
        "SELECT m.dossier_id, m.person_id, m.criterion_position, m.mark, m.comment, m.updated_at \
         FROM evaluation_marks m JOIN dossiers d ON d.id = m.dossier_id WHERE d.call_id = $1 \
         ORDER BY m.dossier_id, m.person_id, m.criterion_position",
    )
    .bind(call_id)
    .fetch_all(conn)
    .await?)
}

// ---- shortlist ----------------------------------------------------------------------------------

/// Puts a submitted dossier on the call's shortlist or takes it off.
pub async fn set_shortlisted(conn: &mut Conn, dossier_id: i64, shortlisted: bool, at: i64) -> Result<bool> {
    let done = sqlx::query(
        "UPDATE dossiers SET shortlisted_at = CASE WHEN $2 = 1 THEN $3 ELSE NULL END, updated_at = $3 \
         WHERE id = $1 AND state = 'submitted'",
    )
    .bind(dossier_id)
    .bind(i64::from(shortlisted))
    .bind(at)
    .execute(conn)
    .await?;
    Ok(done.rows_affected() == 1)
}

// ---- decisions ----------------------------------------------------------------------------------

#[derive(Debug, Clone, PartialEq, Eq, Serialize, sqlx::FromRow)]
pub struct Decision {
    pub id: i64,
    pub dossier_id: i64,
    /// listed or not_retained.
    pub outcome: String,
    /// What the candidate is told.
    pub feedback: String,
    /// The published decision this one corrects.
    pub corrects: Option<i64>,
    pub decided_by: Option<i64>,
    pub created_at: i64,
    pub published_at: Option<i64>,
}

/// Records an unpublished decision on a dossier, or a correction of a published one.
pub async fn record_decision(
    conn: &mut Conn,
    dossier_id: i64,
    outcome: &str,
    feedback: &str,
    corrects: Option<i64>,
    decided_by: Option<i64>,
    at: i64,
) -> Result<i64> {
    Ok(sqlx::query_scalar(
        "INSERT INTO dossier_decisions (dossier_id, outcome, feedback, corrects, decided_by, created_at) \
         VALUES ($1, $2, $3, $4, $5, $6) RETURNING id",
    )
    .bind(dossier_id)
    .bind(outcome)
    .bind(feedback)
    .bind(corrects)
    .bind(decided_by)
    .bind(at)
    .fetch_one(conn)
    .await?)
}

/// Changes a decision not yet published; false once it is (corrections are new decisions).
pub async fn revise_decision(conn: &mut Conn, id: i64, outcome: &str, feedback: &str) -> Result<bool> {
    let done = sqlx::query(
        "UPDATE dossier_decisions SET outcome = $2, feedback = $3 WHERE id = $1 AND published_at IS NULL",
    )
    .bind(id)
    .bind(outcome)
    .bind(feedback)
    .execute(conn)
    .await?;
    Ok(done.rows_affected() == 1)
}

/// Publishes every unpublished decision on a call's dossiers; returns how many.
pub async fn publish_decisions(conn: &mut Conn, call_id: i64, at: i64) -> Result<u64> {
    let done = sqlx::query(
        "UPDATE dossier_decisions SET published_at = $2 WHERE published_at IS NULL \
         AND dossier_id IN (SELECT id FROM dossiers WHERE call_id = $1)",
    )
    .bind(call_id)
    .bind(at)
    .execute(conn)
    .await?;
    Ok(done.rows_affected())
}

/// A dossier's decisions, oldest first: the last published one is in force.
pub async fn decisions(conn: &mut Conn, dossier_id: i64) -> Result<Vec<Decision>> {
    Ok(sqlx::query_as(
        "SELECT id, dossier_id, outcome, feedback, corrects, decided_by, created_at, published_at \
         FROM dossier_decisions WHERE dossier_id = $1 ORDER BY id",
    )
    .bind(dossier_id)
    .fetch_all(conn)
    .await?)
}
