//! Candidates' dossiers: a draft saved at any time, submissions that copy the draft into a new
//! numbered version (every version kept), withdrawal, and the buyer's read of the submitted
//! versions once the call has closed. The closing instant is checked inside the SQL statements
//! that submit, withdraw and unseal, so that no clock check can be separated from its write.

use serde::Serialize;

use super::files::Attached;
use super::{from_json, to_json};
use crate::{Conn, Result};

/// The version number under which a dossier's draft attachments are kept.
pub const DRAFT: i64 = 0;

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Dossier {
    pub id: i64,
    pub call_id: i64,
    pub organisation_id: i64,
    /// draft (never submitted), submitted or withdrawn.
    pub state: String,
    /// The draft's text.
    pub answer: String,
    /// The draft's lots, by position in the call.
    pub lots: Vec<i64>,
    /// The last submitted version; None before the first submission.
    pub current_version: Option<i64>,
    pub submitted_at: Option<i64>,
    pub withdrawn_at: Option<i64>,
    pub shortlisted_at: Option<i64>,
    pub created_at: i64,
    pub updated_at: i64,
    pub updated_by: Option<i64>,
}

#[derive(sqlx::FromRow)]
struct DossierRow {
    id: i64,
    call_id: i64,
    organisation_id: i64,
    state: String,
    answer: String,
    lots: String,
    current_version: Option<i64>,
    submitted_at: Option<i64>,
    withdrawn_at: Option<i64>,
    shortlisted_at: Option<i64>,
    created_at: i64,
    updated_at: i64,
    updated_by: Option<i64>,
}

impl DossierRow {
    fn decode(self) -> Result<Dossier> {
        Ok(Dossier {
            id: self.id,
            call_id: self.call_id,
            organisation_id: self.organisation_id,
            state: self.state,
            answer: self.answer,
            lots: from_json("lots", &self.lots)?,
            current_version: self.current_version,
            submitted_at: self.submitted_at,
            withdrawn_at: self.withdrawn_at,
            shortlisted_at: self.shortlisted_at,
            created_at: self.created_at,
            updated_at: self.updated_at,
            updated_by: self.updated_by,
        })
    }
}

macro_rules! dossier_sql {
    ($($rest:literal)+) => {
        concat!(
            "SELECT id, call_id, organisation_id, state, answer, lots, current_version, submitted_at, \
             withdrawn_at, shortlisted_at, created_at, updated_at, updated_by FROM dossiers ",
            $($rest),+
        )
    };
}

/// A submitted version as the candidate sent it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct DossierVersion {
    pub dossier_id: i64,
    pub version: i64,
    pub answer: String,
    pub lots: Vec<i64>,
    pub submitted_at: i64,
    pub submitted_by: Option<i64>,
}

#[derive(sqlx::FromRow)]
struct VersionRow {
    dossier_id: i64,
    version: i64,
    answer: String,
    lots: String,
    submitted_at: i64,
    submitted_by: Option<i64>,
}

impl VersionRow {
    fn decode(self) -> Result<DossierVersion> {
        Ok(DossierVersion {
            dossier_id: self.dossier_id,
            version: self.version,
            answer: self.answer,
            lots: from_json("lots", &self.lots)?,
            submitted_at: self.submitted_at,
            submitted_by: self.submitted_by,
        })
    }
}

/// A dossier's attachment, of its draft or of one version.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, sqlx::FromRow)]
pub struct Attachment {
    pub version: i64,
    #[sqlx(flatten)]
    #[serde(flatten)]
    pub file: Attached,
    pub added_at: i64,
}

/// Creates the candidate's dossier for a call, or replaces its draft; returns its id. The
/// submitted versions are untouched: a draft edited after submission is not submitted until the
/// candidate submits again.
pub async fn save_draft(
    conn: &mut Conn,
    call_id: i64,
    organisation_id: i64,
    answer: &str,
    lots: &[i64],
    by: Option<i64>,
    at: i64,
) -> Result<i64> {
    Ok(sqlx::query_scalar(
        "INSERT INTO dossiers (call_id, organisation_id, state, answer, lots, created_at, updated_at, updated_by) \
         VALUES ($1, $2, 'draft', $3, $4, $5, $5, $6) \
         ON CONFLICT (call_id, organisation_id) DO UPDATE SET answer = excluded.answer, lots = excluded.lots, \
         updated_at = excluded.updated_at, updated_by = excluded.updated_by RETURNING id",
    )
    .bind(call_id)
    .bind(organisation_id)
    .bind(answer)
    .bind(to_json(lots))
    .bind(at)
    .bind(by)
    .fetch_one(conn)
    .await?)
}

pub async fn get(conn: &mut Conn, id: i64) -> Result<Option<Dossier>> {
    let row: Option<DossierRow> = sqlx::query_as(dossier_sql!("WHERE id = $1"))
        .bind(id)
        .fetch_optional(conn)
        .await?;
    row.map(DossierRow::decode).transpose()
}

/// The dossier of one candidate for one call.
pub async fn find(conn: &mut Conn, call_id: i64, organisation_id: i64) -> Result<Option<Dossier>> {
    let row: Option<DossierRow> = sqlx::query_as(dossier_sql!("WHERE call_id = $1 AND organisation_id = $2"))
        .bind(call_id)
        .bind(organisation_id)
        .fetch_optional(conn)
        .await?;
    row.map(DossierRow::decode).transpose()
}

/// A candidate's dossiers, most recently edited first.
pub async fn of_organisation(conn: &mut Conn, organisation_id: i64) -> Result<Vec<Dossier>> {
    let rows: Vec<DossierRow> = sqlx::query_as(dossier_sql!(
        "WHERE organisation_id = $1 ORDER BY updated_at DESC, id DESC"
    ))
    .bind(organisation_id)
    .fetch_all(conn)
    .await?;
    rows.into_iter().map(DossierRow::decode).collect()
}

/// How many dossiers of a call stand submitted: the buyer may know it before closing, not more.
pub async fn count_submitted(conn: &mut Conn, call_id: i64) -> Result<i64> {
    Ok(
        sqlx::query_scalar("SELECT COUNT(*) FROM dossiers WHERE call_id = $1 AND state = 'submitted'")
            .bind(call_id)
            .fetch_one(conn)
            .await?,
    )
}

/// The organisations holding a dossier for a call, whatever its state: who is told when the call
/// is amended or cancelled.
pub async fn candidates(conn: &mut Conn, call_id: i64) -> Result<Vec<i64>> {
    Ok(
        sqlx::query_scalar(
            "SELECT organisation_id FROM dossiers WHERE call_id = $1 ORDER BY organisation_id",
        )
        .bind(call_id)
        .fetch_all(conn)
        .await?,
    )
}

/// Adds a stored file (see `files::put`) to the draft; a name already in the draft is a duplicate.
pub async fn add_draft_attachment(conn: &mut Conn, dossier_id: i64, file: &Attached, at: i64) -> Result<()> {
    sqlx::query(
        "INSERT INTO dossier_attachments (dossier_id, version, file_name, file_sha256, size_bytes, content_type, \
         added_at) VALUES ($1, 0, $2, $3, $4, $5, $6)",
    )
    .bind(dossier_id)
    .bind(&file.file_name)
    .bind(&file.file_sha256)
    .bind(file.size_bytes)
    .bind(&file.content_type)
    .bind(at)
    .execute(conn)
    .await?;
    Ok(())
}

/// Removes an attachment from the draft; submitted versions keep theirs.
pub async fn remove_draft_attachment(conn: &mut Conn, dossier_id: i64, file_name: &str) -> Result<bool> {
    let done = sqlx::query(
        "DELETE FROM dossier_attachments WHERE dossier_id = $1 AND version = 0 AND file_name = $2",
    )
    .bind(dossier_id)
    .bind(file_name)
    .execute(conn)
    .await?;
    Ok(done.rows_affected() == 1)
}

/// The attachments of the draft ([`DRAFT`]) or of a submitted version, by name.
pub async fn attachments(conn: &mut Conn, dossier_id: i64, version: i64) -> Result<Vec<Attachment>> {
    Ok(sqlx::query_as(
        "SELECT version, file_name, file_sha256, size_bytes, content_type, added_at FROM dossier_attachments \
         WHERE dossier_id = $1 AND version = $2 ORDER BY file_name",
    )
    .bind(dossier_id)
    .bind(version)
    .fetch_all(conn)
    .await?)
}

/// Submits the draft as a new version, if the call accepts submissions at `now`: published,
/// opened, and `now` strictly before the closing instant — checked by the statement itself.
/// Returns the new version number, or None when refused (late, early, call not published, or no
/// such dossier); a refused submission changes nothing, the draft included.
///
/// Writes three statements: run it inside a transaction. Two submissions of one dossier at once
/// queue on the dossier's row and get consecutive versions.
pub async fn submit(conn: &mut Conn, dossier_id: i64, by: Option<i64>, now: i64) -> Result<Option<i64>> {
    let version: Option<i64> = sqlx::query_scalar(
        "UPDATE dossiers SET state = 'submitted', current_version = COALESCE(current_version, 0) + 1, \
         submitted_at = $2, withdrawn_at = NULL, updated_at = $2 \
         WHERE id = $1 AND EXISTS (SELECT 1 FROM calls c WHERE c.id = dossiers.call_id \
         AND c.state = 'published' AND c.opens_at <= $2 AND c.closes_at > $2) \
         RETURNING current_version",
    )
    .bind(dossier_id)
    .bind(now)
    .fetch_optional(&mut *conn)
    .await?;
    let Some(version) = version else {
        return Ok(None);
    };
    sqlx::query(
        "INSERT INTO dossier_versions (dossier_id, version, answer, lots, submitted_at, submitted_by) \
         SELECT id, current_version, answer, lots, $2, $3 FROM dossiers WHERE id = $1",
    )
    .bind(dossier_id)
    .bind(now)
    .bind(by)
    .execute(&mut *conn)
    .await?;
    sqlx::query(
        "INSERT INTO dossier_attachments (dossier_id, version, file_name, file_sha256, size_bytes, content_type, \
         added_at) SELECT dossier_id, $2, file_name, file_sha256, size_bytes, content_type, added_at \
         FROM dossier_attachments WHERE dossier_id = $1 AND version = 0",
    )
    .bind(dossier_id)
    .bind(version)
    .execute(&mut *conn)
    .await?;
    Ok(Some(version))
}

/// Withdraws a submitted dossier while the call is still open (after closing, the buyer may
/// already be reading it); false when refused. The versions stay in the history; submitting again
/// before closing reinstates the dossier.
pub async fn withdraw(conn: &mut Conn, dossier_id: i64, now: i64) -> Result<bool> {
    let done = sqlx::query(
        "UPDATE dossiers SET state = 'withdrawn', withdrawn_at = $2, updated_at = $2 \
         WHERE id = $1 AND state = 'submitted' AND EXISTS (SELECT 1 FROM calls c WHERE c.id = dossiers.call_id \
         AND c.state = 'published' AND c.closes_at > $2)",
    )
    .bind(dossier_id)
    .bind(now)
    .execute(conn)
    .await?;
    Ok(done.rows_affected() == 1)
}

const VERSION_COLUMNS: &str =
    "SELECT dossier_id, version, answer, lots, submitted_at, submitted_by FROM dossier_versions";

/// Every submitted version of a dossier, newest first: the candidate's history.
pub async fn versions(conn: &mut Conn, dossier_id: i64) -> Result<Vec<DossierVersion>> {
    let rows: Vec<VersionRow> = sqlx::query_as(sqlx::AssertSqlSafe(format!(
        "{VERSION_COLUMNS} WHERE dossier_id = $1 ORDER BY version DESC"
    )))
    .bind(dossier_id)
    .fetch_all(conn)
    .await?;
    rows.into_iter().map(VersionRow::decode).collect()
}

pub async fn version(conn: &mut Conn, dossier_id: i64, version: i64) -> Result<Option<DossierVersion>> {
    let row: Option<VersionRow> = sqlx::query_as(sqlx::AssertSqlSafe(format!(
        "{VERSION_COLUMNS} WHERE dossier_id = $1 AND version = $2"
    )))
    .bind(dossier_id)
    .bind(version)
    .fetch_optional(conn)
    .await?;
    row.map(VersionRow::decode).transpose()
}

/// A submitted dossier as the buyer reads it after closing.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Submission {
    pub organisation_id: i64,
    pub version: DossierVersion,
}

/// The current version of every submitted dossier of a call — but only once the call has closed
/// at `now` (published past its closing instant, closed or decided); before that, nothing. This
/// repeats `domain::committee::sealed` in SQL so that a forgotten check cannot unseal a dossier.
pub async fn unsealed_submissions(conn: &mut Conn, call_id: i64, now: i64) -> Result<Vec<Submission>> {
    let rows = sqlx::query_as::<_, SubmissionRow>(
        "SELECT d.organisation_id, v.dossier_id, v.version, v.answer, v.lots, v.submitted_at, v.submitted_by \
         FROM dossiers d JOIN calls c ON c.id = d.call_id \
         JOIN dossier_versions v ON v.dossier_id = d.id AND v.version = d.current_version \
         WHERE d.call_id = $1 AND d.state = 'submitted' AND c.closes_at <= $2 \
         AND c.state IN ('published', 'closed', 'decided') ORDER BY d.id",
    )
    .bind(call_id)
    .bind(now)
    .fetch_all(conn)
    .await?;
    rows.into_iter()
        .map(|row| {
            Ok(Submission {
                organisation_id: row.organisation_id,
                version: row.version.decode()?,
            })
        })
        .collect()
}

#[derive(sqlx::FromRow)]
struct SubmissionRow {
    organisation_id: i64,
    #[sqlx(flatten)]
    version: VersionRow,
}
