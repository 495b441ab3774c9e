//! The qualified-supplier portfolio's storage: a cluster's qualification criteria, applications
//! with evidence, named reviewers and their opinions, final decisions, and subscriptions.
//! Dates are ISO `YYYY-MM-DD` text (ordered as dates on both backends); the app checks them.

use serde::Serialize;

use super::files::Attached;
use crate::{Conn, Result};

// ---- criteria -----------------------------------------------------------------------------------

#[derive(Debug, Clone, PartialEq, Eq, Serialize, sqlx::FromRow)]
pub struct Criterion {
    pub id: i64,
    pub cluster_id: i64,
    pub position: i64,
    pub name: String,
    pub description: String,
    pub active: bool,
}

#[derive(sqlx::FromRow)]
struct CriterionRow {
    id: i64,
    cluster_id: i64,
    position: i64,
    name: String,
    description: String,
    active: i64,
}

impl From<CriterionRow> for Criterion {
    fn from(r: CriterionRow) -> Self {
        Criterion {
            id: r.id,
            cluster_id: r.cluster_id,
            position: r.position,
            name: r.name,
            description: r.description,
            active: r.active != 0,
        }
    }
}

/// A cluster's criteria, active and retired, in their order.
pub async fn criteria(conn: &mut Conn, cluster_id: i64) -> Result<Vec<Criterion>> {
    let rows: Vec<CriterionRow> = sqlx::query_as(
        "SELECT id, cluster_id, position, name, description, active FROM qualification_criteria \
         WHERE cluster_id = $1 ORDER BY active DESC, position, id",
    )
    .bind(cluster_id)
    .fetch_all(conn)
    .await?;
    Ok(rows.into_iter().map(Criterion::from).collect())
}

pub async fn insert_criterion(
    conn: &mut Conn,
    cluster_id: i64,
    position: i64,
    name: &str,
    description: &str,
    by: Option<i64>,
    at: i64,
) -> Result<i64> {
    Ok(sqlx::query_scalar(
        "INSERT INTO qualification_criteria (cluster_id, position, name, description, active, updated_at, updated_by) \
         VALUES ($1, $2, $3, $4, 1, $5, $6) RETURNING id",
    )
    .bind(cluster_id)
    .bind(position)
    .bind(name)
    .bind(description)
    .bind(at)
    .bind(by)
    .fetch_one(conn)
    .await?)
}

/// Rewrites one of the cluster's criteria; false when it is not the cluster's.
#[allow(clippy::too_many_arguments)]
pub async fn update_criterion(
    conn: &mut Conn,
    cluster_id: i64,
    id: i64,
    position: i64,
    name: &str,
    description: &str,
    active: bool,
    by: Option<i64>,
    at: i64,
) -> Result<bool> {
    let done = sqlx::query(
        "UPDATE qualification_criteria SET position = $3, name = $4, description = $5, active = $6, \
         updated_at = $7, updated_by = $8 WHERE id = $2 AND cluster_id = $1",
    )
    .bind(cluster_id)
    .bind(id)
    .bind(position)
    .bind(name)
    .bind(description)
    .bind(i64::from(active))
    .bind(at)
    .bind(by)
    .execute(conn)
    .await?;
    Ok(done.rows_affected() == 1)
}

// ---- applications -------------------------------------------------------------------------------

#[derive(Debug, Clone, PartialEq, Eq, Serialize, sqlx::FromRow)]
pub struct Application {
    pub id: i64,
    pub cluster_id: i64,
    pub organisation_id: i64,
    /// draft, submitted, under_review, qualified, refused or withdrawn.
    pub state: String,
    pub created_at: i64,
    pub created_by: Option<i64>,
    pub updated_at: i64,
    pub submitted_at: Option<i64>,
    pub withdrawn_at: Option<i64>,
    pub decided_at: Option<i64>,
    pub decided_by: Option<i64>,
    pub renewal_on: Option<String>,
    pub refusal_reason: Option<String>,
}

const APPLICATION_COLUMNS: &str = "a.id, a.cluster_id, a.organisation_id, a.state, a.created_at, a.created_by, \
     a.updated_at, a.submitted_at, a.withdrawn_at, a.decided_at, a.decided_by, a.renewal_on, a.refusal_reason";

/// The states in which an application is still being worked on (at most one per organisation).
pub const OPEN_STATES: [&str; 3] = ["draft", "submitted", "under_review"];

pub async fn create_application(
    conn: &mut Conn,
    cluster_id: i64,
    organisation_id: i64,
    by: Option<i64>,
    at: i64,
) -> Result<i64> {
    Ok(sqlx::query_scalar(
        "INSERT INTO qualification_applications (cluster_id, organisation_id, state, created_at, created_by, updated_at) \
         VALUES ($1, $2, 'draft', $3, $4, $3) RETURNING id",
    )
    .bind(cluster_id)
    .bind(organisation_id)
    .bind(at)
    .bind(by)
    .fetch_one(conn)
    .await?)
}

pub async fn application(conn: &mut Conn, id: i64) -> Result<Option<Application>> {
    Ok(sqlx::query_as(sqlx::AssertSqlSafe(format!(
        "SELECT {APPLICATION_COLUMNS} FROM qualification_applications a WHERE a.id = $1"
    )))
    .bind(id)
    .fetch_optional(conn)
    .await?)
}

/// Applications of a cluster, newest first; only one organisation's when `organisation_id` is set.
pub async fn applications(
    conn: &mut Conn,
    cluster_id: i64,
    organisation_id: Option<i64>,
) -> Result<Vec<Application>> {
    let of_one = if organisation_id.is_some() {
        "AND a.organisation_id = $2"
    } else {
        ""
    };
    let query = sqlx::query_as(sqlx::AssertSqlSafe(format!(
        "SELECT {APPLICATION_COLUMNS} FROM qualification_applications a \
         WHERE a.cluster_id = $1 {of_one} ORDER BY a.id DESC"
    )))
    .bind(cluster_id);
    let query = match organisation_id {
        Some(id) => query.bind(id),
        None => query,
    };
    Ok(query.fetch_all(conn).await?)
}

/// Applications of a cluster a person was named to review, newest first.
pub async fn reviewed_by(conn: &mut Conn, cluster_id: i64, person_id: i64) -> Result<Vec<Application>> {
    Ok(sqlx::query_as(sqlx::AssertSqlSafe(format!(
        "SELECT {APPLICATION_COLUMNS} FROM qualification_applications a \
         JOIN qualification_reviewers r ON r.application_id = a.id \
         WHERE a.cluster_id = $1 AND r.person_id = $2 ORDER BY a.id DESC"
    )))
    .bind(cluster_id)
    .bind(person_id)
    .fetch_all(conn)
    .await?)
}

/// The organisation's application still being worked on in the cluster, if any.
pub async fn open_application(conn: &mut Conn, cluster_id: i64, organisation_id: i64) -> Result<Option<i64>> {
    Ok(sqlx::query_scalar(
        "SELECT id FROM qualification_applications WHERE cluster_id = $1 AND organisation_id = $2 \
         AND state IN ('draft', 'submitted', 'under_review') ORDER BY id DESC",
    )
    .bind(cluster_id)
    .bind(organisation_id)
    .fetch_optional(conn)
    .await?)
}

/// Moves an application from one state to another; false when it was not in `from` any more.
pub async fn change_state(conn: &mut Conn, id: i64, from: &str, to: &str, at: i64) -> Result<bool> {
    let done = sqlx::query(
        "UPDATE qualification_applications SET state = $3, updated_at = $4, \
         submitted_at = CASE WHEN $3 = 'submitted' THEN $4 ELSE submitted_at END, \
         withdrawn_at = CASE WHEN $3 = 'withdrawn' THEN $4 ELSE withdrawn_at END \
         WHERE id = $1 AND state = $2",
    )
    .bind(id)
    .bind(from)
    .bind(to)
    .bind(at)
    .execute(conn)
    .await?;
    Ok(done.rows_affected() == 1)
}

/// Records the final decision on an application under review or submitted; false when it was
/// decided (or withdrawn) meanwhile: a decision is taken once.
pub async fn decide(
    conn: &mut Conn,
    id: i64,
    outcome: &str,
    renewal_on: Option<&str>,
    refusal_reason: Option<&str>,
    by: Option<i64>,
    at: i64,
) -> Result<bool> {
    let done = sqlx::query(
        "UPDATE qualification_applications SET state = $2, renewal_on = $3, refusal_reason = $4, \
         decided_by = $5, decided_at = $6, updated_at = $6 \
         WHERE id = $1 AND state IN ('submitted', 'under_review') AND $2 IN ('qualified', 'refused')",
    )
    .bind(id)
    .bind(outcome)
    .bind(renewal_on)
    .bind(refusal_reason)
    .bind(by)
    .bind(at)
    .execute(conn)
    .await?;
    Ok(done.rows_affected() == 1)
}

// ---- evidence -----------------------------------------------------------------------------------

#[derive(Debug, Clone, PartialEq, Eq, Serialize, sqlx::FromRow)]
pub struct Evidence {
    pub criterion_id: i64,
    pub text: String,
    pub updated_at: i64,
}

/// Saves the evidence for one criterion of a draft application; false when the application is
/// no longer a draft or the criterion is not an active one of its cluster.
pub async fn save_evidence(
    conn: &mut Conn,
    application_id: i64,
    criterion_id: i64,
    text: &str,
    by: Option<i64>,
    at: i64,
) -> Result<bool> {
    let done = sqlx::query(
        "INSERT INTO qualification_evidence (application_id, criterion_id, text, updated_at, updated_by) \
         SELECT a.id, k.id, $3, $4, $5 FROM qualification_applications a \
         JOIN qualification_criteria k ON k.cluster_id = a.cluster_id AND k.id = $2 AND k.active = 1 \
         WHERE a.id = $1 AND a.state = 'draft' \
         ON CONFLICT (application_id, criterion_id) DO UPDATE SET text = excluded.text, \
         updated_at = excluded.updated_at, updated_by = excluded.updated_by",
    )
    .bind(application_id)
    .bind(criterion_id)
    .bind(text)
    .bind(at)
    .bind(by)
    .execute(conn)
    .await?;
    Ok(done.rows_affected() == 1)
}

/// Removes the evidence for one criterion of a draft (an answer emptied).
pub async fn clear_evidence(conn: &mut Conn, application_id: i64, criterion_id: i64) -> Result<bool> {
    let done = sqlx::query(
        "DELETE FROM qualification_evidence WHERE application_id = $1 AND criterion_id = $2 \
         AND EXISTS (SELECT 1 FROM qualification_applications a WHERE a.id = $1 AND a.state = 'draft')",
    )
    .bind(application_id)
    .bind(criterion_id)
    .execute(conn)
    .await?;
    Ok(done.rows_affected() == 1)
}

pub async fn evidence(conn: &mut Conn, application_id: i64) -> Result<Vec<Evidence>> {
    Ok(sqlx::query_as(
        "SELECT criterion_id, text, updated_at FROM qualification_evidence WHERE application_id = $1 \
         ORDER BY criterion_id",
    )
    .bind(application_id)
    .fetch_all(conn)
    .await?)
}

/// A file attached to the evidence for one criterion.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, sqlx::FromRow)]
pub struct EvidenceFile {
    pub criterion_id: i64,
    #[sqlx(flatten)]
    pub file: Attached,
    pub added_at: i64,
}

/// Attaches a stored file to the evidence for a criterion of a draft application; false when the
/// application is no longer a draft, the criterion not an active one of its cluster, or the name
/// already taken in the application.
pub async fn add_evidence_file(
    conn: &mut Conn,
    application_id: i64,
    criterion_id: i64,
    file: &Attached,
    by: Option<i64>,
    at: i64,
) -> Result<bool> {
    let done = sqlx::query(
        "INSERT INTO qualification_evidence_files (application_id, criterion_id, file_name, file_sha256, \
         size_bytes, content_type, added_at, added_by) \
         SELECT a.id, k.id, $3, $4, $5, $6, $7, $8 FROM qualification_applications a \
         JOIN qualification_criteria k ON k.cluster_id = a.cluster_id AND k.id = $2 AND k.active = 1 \
         WHERE a.id = $1 AND a.state = 'draft' \
         ON CONFLICT (application_id, file_name) DO NOTHING",
    )
    .bind(application_id)
    .bind(criterion_id)
    .bind(&file.file_name)
    .bind(&file.file_sha256)
    .bind(file.size_bytes)
    .bind(&file.content_type)
    .bind(at)
    .bind(by)
    .execute(conn)
    .await?;
    Ok(done.rows_affected() == 1)
}

/// Removes a file from a draft application's evidence; false when there is none by that name or
/// the application is no longer a draft.
pub async fn remove_evidence_file(conn: &mut Conn, application_id: i64, file_name: &str) -> Result<bool> {
    let done = sqlx::query(
        "DELETE FROM qualification_evidence_files WHERE application_id = $1 AND file_name = $2 \
         AND EXISTS (SELECT 1 FROM qualification_applications a WHERE a.id = $1 AND a.state = 'draft')",
    )
    .bind(application_id)
    .bind(file_name)
    .execute(conn)
    .await?;
    Ok(done.rows_affected() == 1)
}

/// An application's evidence files, by criterion and name.
pub async fn evidence_files(conn: &mut Conn, application_id: i64) -> Result<Vec<EvidenceFile>> {
    Ok(sqlx::query_as(
        "SELECT criterion_id, file_name, file_sha256, size_bytes, content_type, added_at \
         FROM qualification_evidence_files WHERE application_id = $1 ORDER BY criterion_id, file_name",
    )
    .bind(application_id)
    .fetch_all(conn)
    .await?)
}

// ---- reviewers and opinions ---------------------------------------------------------------------

pub async fn reviewers(conn: &mut Conn, application_id: i64) -> Result<Vec<i64>> {
    Ok(sqlx::query_scalar(
        "SELECT person_id FROM qualification_reviewers WHERE application_id = $1 ORDER BY named_at, person_id",
    )
    .bind(application_id)
    .fetch_all(conn)
    .await?)
}

pub async fn name_reviewer(
    conn: &mut Conn,
    application_id: i64,
    person_id: i64,
    by: Option<i64>,
    at: i64,
) -> Result<bool> {
    let done = sqlx::query(
        "INSERT INTO qualification_reviewers (application_id, person_id, named_at, named_by) VALUES ($1, $2, $3, $4) \
         ON CONFLICT (application_id, person_id) DO NOTHING",
    )
    .bind(application_id)
    .bind(person_id)
    .bind(at)
    .bind(by)
    .execute(conn)
    .await?;
    Ok(done.rows_affected() == 1)
}

/// Takes a reviewer off an application; their opinions go with them.
pub async fn remove_reviewer(conn: &mut Conn, application_id: i64, person_id: i64) -> Result<bool> {
    sqlx::query("DELETE FROM qualification_opinions WHERE application_id = $1 AND person_id = $2")
        .bind(application_id)
        .bind(person_id)
        .execute(&mut *conn)
        .await?;
    let done =
        sqlx::query("DELETE FROM qualification_reviewers WHERE application_id = $1 AND person_id = $2")
            .bind(application_id)
            .bind(person_id)
            .execute(conn)
            .await?;
    Ok(done.rows_affected() == 1)
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Opinion {
    pub person_id: i64,
    pub criterion_id: i64,
    pub met: bool,
    pub comment: String,
    pub updated_at: i64,
}

#[derive(sqlx::FromRow)]
struct OpinionRow {
    person_id: i64,
    criterion_id: i64,
    met: i64,
    comment: String,
    updated_at: i64,
}

/// Saves (or replaces) a reviewer's opinion on one criterion. The statement requires an
/// application under review, the person named its reviewer and an active criterion of its cluster;
/// false when any fails. Each reviewer writes only their own rows.
pub async fn save_opinion(
    conn: &mut Conn,
    application_id: i64,
    person_id: i64,
    criterion_id: i64,
    met: bool,
    comment: &str,
    at: i64,
) -> Result<bool> {
    let done = sqlx::query(
        "INSERT INTO qualification_opinions (application_id, person_id, criterion_id, met, comment, updated_at) \
         SELECT a.id, r.person_id, k.id, $4, $5, $6 FROM qualification_applications a \
         JOIN qualification_reviewers r ON r.application_id = a.id AND r.person_id = $2 \
         JOIN qualification_criteria k ON k.cluster_id = a.cluster_id AND k.id = $3 AND k.active = 1 \
         WHERE a.id = $1 AND a.state = 'under_review' \
         ON CONFLICT (application_id, person_id, criterion_id) DO UPDATE SET met = excluded.met, \
         comment = excluded.comment, updated_at = excluded.updated_at",
    )
    .bind(application_id)
    .bind(person_id)
    .bind(criterion_id)
    .bind(i64::from(met))
    .bind(comment)
    .bind(at)
    .execute(conn)
    .await?;
    Ok(done.rows_affected() == 1)
}

pub async fn opinions(conn: &mut Conn, application_id: i64) -> Result<Vec<Opinion>> {
    let rows: Vec<OpinionRow> = sqlx::query_as(
        "SELECT person_id, criterion_id, met, comment, updated_at FROM qualification_opinions \
         WHERE application_id = $1 ORDER BY person_id, criterion_id",
    )
    .bind(application_id)
    .fetch_all(conn)
    .await?;
    Ok(rows
        .into_iter()
        .map(|r| Opinion {
            person_id: r.person_id,
            criterion_id: r.criterion_id,
            met: r.met != 0,
            comment: r.comment,
            updated_at: r.updated_at,
        })
        .collect())
}

// ---- the portfolio ------------------------------------------------------------------------------

/// A qualified supplier as the portfolio lists it: its qualification in force.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, sqlx::FromRow)]
pub struct Qualified {
    pub application_id: i64,
    pub organisation_id: i64,
    pub legal_name: String,
    pub naf_code: String,
    pub region_code: String,
    pub size: Option<String>,
    pub decided_at: i64,
    pub renewal_on: String,
}

/// The cluster's portfolio on `today` (`YYYY-MM-DD`): the current members whose latest qualified
/// decision's renewal date is not passed, by name.
pub async fn qualified(conn: &mut Conn, cluster_id: i64, today: &str) -> Result<Vec<Qualified>> {
    Ok(sqlx::query_as(
        "SELECT a.id AS application_id, o.id AS organisation_id, o.legal_name, o.naf_code, o.region_code, \
         o.size, a.decided_at, a.renewal_on FROM qualification_applications a \
         JOIN organisations o ON o.id = a.organisation_id \
         JOIN memberships m ON m.cluster_id = a.cluster_id AND m.organisation_id = a.organisation_id \
         AND m.left_at IS NULL \
         WHERE a.cluster_id = $1 AND a.state = 'qualified' AND a.renewal_on >= $2 \
         AND NOT EXISTS (SELECT 1 FROM qualification_applications b WHERE b.cluster_id = a.cluster_id \
         AND b.organisation_id = a.organisation_id AND b.state = 'qualified' \
         AND (b.decided_at > a.decided_at OR (b.decided_at = a.decided_at AND b.id > a.id))) \
         ORDER BY o.name_key, o.id",
    )
    .bind(cluster_id)
    .bind(today)
    .fetch_all(conn)
    .await?)
}

// ---- subscriptions ------------------------------------------------------------------------------

#[derive(Debug, Clone, PartialEq, Eq, Serialize, sqlx::FromRow)]
pub struct Subscription {
    pub id: i64,
    pub cluster_id: i64,
    pub organisation_id: i64,
    pub starts_on: String,
    pub ends_on: String,
    pub granted_at: i64,
    pub granted_by: Option<i64>,
    pub revoked_at: Option<i64>,
    pub revoked_by: Option<i64>,
}

const SUBSCRIPTION_COLUMNS: &str =
    "id, cluster_id, organisation_id, starts_on, ends_on, granted_at, granted_by, revoked_at, revoked_by";

pub async fn grant_subscription(
    conn: &mut Conn,
    cluster_id: i64,
    organisation_id: i64,
    starts_on: &str,
    ends_on: &str,
    by: Option<i64>,
    at: i64,
) -> Result<i64> {
    Ok(sqlx::query_scalar(
        "INSERT INTO portfolio_subscriptions (cluster_id, organisation_id, starts_on, ends_on, granted_at, granted_by) \
         VALUES ($1, $2, $3, $4, $5, $6) RETURNING id",
    )
    .bind(cluster_id)
    .bind(organisation_id)
    .bind(starts_on)
    .bind(ends_on)
    .bind(at)
    .bind(by)
    .fetch_one(conn)
    .await?)
}

pub async fn subscription(conn: &mut Conn, id: i64) -> Result<Option<Subscription>> {
    Ok(sqlx::query_as(sqlx::AssertSqlSafe(format!(
        "SELECT {SUBSCRIPTION_COLUMNS} FROM portfolio_subscriptions WHERE id = $1"
    )))
    .bind(id)
    .fetch_optional(conn)
    .await?)
}

/// A cluster's subscriptions, newest first.
pub async fn subscriptions(conn: &mut Conn, cluster_id: i64) -> Result<Vec<Subscription>> {
    Ok(sqlx::query_as(sqlx::AssertSqlSafe(format!(
        "SELECT {SUBSCRIPTION_COLUMNS} FROM portfolio_subscriptions WHERE cluster_id = $1 ORDER BY id DESC"
    )))
    .bind(cluster_id)
    .fetch_all(conn)
    .await?)
}

/// Ends a subscription now; false when it was revoked already.
pub async fn revoke_subscription(conn: &mut Conn, id: i64, by: Option<i64>, at: i64) -> Result<bool> {
    let done = sqlx::query(
        "UPDATE portfolio_subscriptions SET revoked_at = $2, revoked_by = $3 WHERE id = $1 AND revoked_at IS NULL",
    )
    .bind(id)
    .bind(at)
    .bind(by)
    .execute(conn)
    .await?;
    Ok(done.rows_affected() == 1)
}

/// Whether the organisation holds a subscription to the cluster's portfolio in force on `today`.
pub async fn subscribed(conn: &mut Conn, cluster_id: i64, organisation_id: i64, today: &str) -> Result<bool> {
    let found: Option<i64> = sqlx::query_scalar(
        "SELECT id FROM portfolio_subscriptions WHERE cluster_id = $1 AND organisation_id = $2 \
         AND revoked_at IS NULL AND starts_on <= $3 AND ends_on >= $3",
    )
    .bind(cluster_id)
    .bind(organisation_id)
    .bind(today)
    .fetch_optional(conn)
    .await?;
    Ok(found.is_some())
}

/// The cluster's current member organisations that buy at scale (large accounts and mid-caps),
/// those a subscription is meant for, by name: (id, legal name).
pub async fn buying_members(conn: &mut Conn, cluster_id: i64) -> Result<Vec<(i64, String)>> {
    Ok(sqlx::query_as(
        "SELECT o.id, o.legal_name FROM organisations o JOIN memberships m ON m.organisation_id = o.id \
         WHERE m.cluster_id = $1 AND m.left_at IS NULL AND o.size IN ('large', 'mid_cap') ORDER BY o.name_key, o.id",
    )
    .bind(cluster_id)
    .fetch_all(conn)
    .await?)
}
