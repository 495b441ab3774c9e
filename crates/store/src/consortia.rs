//! Storage of partner pools: opportunities with their requirements, consortia, their members, invitations, messages and documents.
//! The app validates every value (capability codes, region codes, lengths) before it gets here;
//! state changes of members and of the lead are guarded updates that say whether they happened.

use serde::Serialize;

use crate::committee::files::Attached;
use crate::{Conn, Result};

// ---- opportunities ------------------------------------------------------------------------------

/// What an opportunity says besides its lots; for a linked call, `title` and `deadline_at` are the
/// call's, copied when entered and read from the call when shown.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Default)]
pub struct OpportunityFields {
    pub call_id: Option<i64>,
    pub title: String,
    pub buyer: String,
    pub url: String,
    pub description: String,
    pub deadline_at: Option<i64>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Opportunity {
    pub id: i64,
    pub cluster_id: i64,
    pub organisation_id: i64,
    #[serde(flatten)]
    pub fields: OpportunityFields,
    pub created_by: Option<i64>,
    pub created_at: i64,
    pub updated_at: i64,
}

#[derive(sqlx::FromRow)]
struct OpportunityRow {
    id: i64,
    cluster_id: i64,
    call_id: Option<i64>,
    organisation_id: i64,
    title: String,
    buyer: String,
    url: String,
    description: String,
    deadline_at: Option<i64>,
    created_by: Option<i64>,
    created_at: i64,
    updated_at: i64,
}

impl From<OpportunityRow> for Opportunity {
    fn from(r: OpportunityRow) -> Self {
        Opportunity {
            id: r.id,
            cluster_id: r.cluster_id,
            organisation_id: r.organisation_id,
            fields: OpportunityFields {
                call_id: r.call_id,
                title: r.title,
                buyer: r.buyer,
                url: r.url,
                description: r.description,
                deadline_at: r.deadline_at,
            },
            created_by: r.created_by,
            created_at: r.created_at,
            updated_at: r.updated_at,
        }
    }
}

macro_rules! select_opportunity {
    ($rest:literal) => {
        concat!(
            "SELECT id, cluster_id, call_id, organisation_id, title, buyer, url, description, \
             deadline_at, created_by, created_at, updated_at FROM opportunities ",
            $rest
        )
    };
}

/// One requirement of a lot: `kind` is capability, certification or region.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize)]
pub struct Requirement {
    pub kind: String,
    pub code: String,
}

/// A lot with what it requires, as stored (positions from 1, in order).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Default)]
pub struct Lot {
    pub position: i64,
    pub name: String,
    pub min_headcount: i64,
    pub requirements: Vec<Requirement>,
}

pub async fn insert_opportunity(
    conn: &mut Conn,
    cluster_id: i64,
    organisation_id: i64,
    fields: &OpportunityFields,
    by: Option<i64>,
    at: i64,
) -> Result<i64> {
    Ok(sqlx::query_scalar(
        "INSERT INTO opportunities (cluster_id, call_id, organisation_id, title, buyer, url, description, \
         deadline_at, created_by, created_at, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $10) \
         RETURNING id",
    )
    .bind(cluster_id)
    .bind(fields.call_id)
    .bind(organisation_id)
    .bind(&fields.title)
    .bind(&fields.buyer)
    .bind(&fields.url)
    .bind(&fields.description)
    .bind(fields.deadline_at)
    .bind(by)
    .bind(at)
    .fetch_one(conn)
    .await?)
}

/// Rewrites what an opportunity says (never its cluster nor who entered it).
pub async fn update_opportunity(
    conn: &mut Conn,
    id: i64,
    fields: &OpportunityFields,
    at: i64,
) -> Result<bool> {
    let done = sqlx::query(
        "UPDATE opportunities SET call_id = $2, title = $3, buyer = $4, url = $5, description = $6, \
         deadline_at = $7, updated_at = $8 WHERE id = $1",
    )
    .bind(id)
    .bind(fields.call_id)
    .bind(&fields.title)
    .bind(&fields.buyer)
    .bind(&fields.url)
    .bind(&fields.description)
    .bind(fields.deadline_at)
    .bind(at)
    .execute(conn)
    .await?;
    Ok(done.rows_affected() == 1)
}

pub async fn opportunity(conn: &mut Conn, id: i64) -> Result<Option<Opportunity>> {
    let row: Option<OpportunityRow> = sqlx::query_as(select_opportunity!("WHERE id = $1"))
        .bind(id)
        .fetch_optional(conn)
        .await?;
    Ok(row.map(Opportunity::from))
}

/// A cluster's opportunities, newest first.
pub async fn opportunities(conn: &mut Conn, cluster_id: i64) -> Result<Vec<Opportunity>> {
    let rows: Vec<OpportunityRow> = sqlx::query_as(select_opportunity!(
        "WHERE cluster_id = $1 ORDER BY created_at DESC, id DESC"
    ))
    .bind(cluster_id)
    .fetch_all(conn)
    .await?;
    Ok(rows.into_iter().map(Opportunity::from).collect())
}

/// Replaces an opportunity's lots and their requirements (positions renumbered from 1).
pub async fn replace_lots(conn: &mut Conn, opportunity_id: i64, lots: &[Lot]) -> Result<()> {
    sqlx::query("DELETE FROM opportunity_requirements WHERE opportunity_id = $1")
        .bind(opportunity_id)
        .execute(&mut *conn)
        .await?;
    sqlx::query("DELETE FROM opportunity_lots WHERE opportunity_id = $1")
        .bind(opportunity_id)
        .execute(&mut *conn)
        .await?;
    for (i, lot) in lots.iter().enumerate() {
        let position = i as i64 + 1;
        sqlx::query(
            "INSERT INTO opportunity_lots (opportunity_id, position, name, min_headcount) VALUES ($1, $2, $3, $4)",
        )
        .bind(opportunity_id)
        .bind(position)
        .bind(&lot.name)
        .bind(lot.min_headcount)
        .execute(&mut *conn)
        .await?;
        for requirement in &lot.requirements {
            sqlx::query(
                "INSERT INTO opportunity_requirements (opportunity_id, lot_position, kind, code) \
                 VALUES ($1, $2, $3, $4) ON CONFLICT DO NOTHING",
            )
            .bind(opportunity_id)
            .bind(position)
            .bind(&requirement.kind)
            .bind(&requirement.code)
            .execute(&mut *conn)
            .await?;
        }
    }
    Ok(())
}

/// An opportunity's lots in order, each with its requirements (by kind, then code).
pub async fn lots(conn: &mut Conn, opportunity_id: i64) -> Result<Vec<Lot>> {
    let rows: Vec<(i64, String, i64)> = sqlx::query_as(
        "SELECT position, name, min_headcount FROM opportunity_lots WHERE opportunity_id = $1 ORDER BY position",
    )
    .bind(opportunity_id)
    .fetch_all(&mut *conn)
    .await?;
    let requirements: Vec<(i64, String, String)> = sqlx::query_as(
        "SELECT lot_position, kind, code FROM opportunity_requirements WHERE opportunity_id = $1 \
         ORDER BY lot_position, kind, code",
    )
    .bind(opportunity_id)
    .fetch_all(conn)
    .await?;
    Ok(rows
        .into_iter()
        .map(|(position, name, min_headcount)| Lot {
            position,
            name,
            min_headcount,
            requirements: requirements
                .iter()
                .filter(|(p, _, _)| *p == position)
                .map(|(_, kind, code)| Requirement {
                    kind: kind.clone(),
                    code: code.clone(),
                })
                .collect(),
        })
        .collect())
}

/// A member organisation of a cluster as the team finder reads it: its registry facts and its
/// directory profile (the JSON document, if it has one).
#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct MemberFacts {
    pub organisation_id: i64,
    pub legal_name: String,
    pub size: Option<String>,
    pub region_code: String,
    pub headcount: i64,
    pub profile: Option<String>,
}

/// The cluster's current members with their profiles, by id.
pub async fn member_facts(conn: &mut Conn, cluster_id: i64) -> Result<Vec<MemberFacts>> {
    Ok(sqlx::query_as(
        "SELECT o.id AS organisation_id, o.legal_name, o.size, o.region_code, o.headcount, p.document AS profile \
         FROM organisations o JOIN memberships m ON m.organisation_id = o.id \
         LEFT JOIN profiles p ON p.organisation_id = o.id \
         WHERE m.cluster_id = $1 AND m.left_at IS NULL ORDER BY o.id",
    )
    .bind(cluster_id)
    .fetch_all(conn)
    .await?)
}

/// Some members' facts, by id (the workspace reads only its own members' profiles).
pub async fn facts_of(conn: &mut Conn, organisation_ids: &[i64]) -> Result<Vec<MemberFacts>> {
    let mut out = Vec::with_capacity(organisation_ids.len());
    for organisation_id in organisation_ids {
        let found: Option<MemberFacts> = sqlx::query_as(
            "SELECT o.id AS organisation_id, o.legal_name, o.size, o.region_code, o.headcount, p.document AS profile \
             FROM organisations o LEFT JOIN profiles p ON p.organisation_id = o.id WHERE o.id = $1",
        )
        .bind(organisation_id)
        .fetch_optional(&mut *conn)
        .await?;
        out.extend(found);
    }
    Ok(out)
}

/// The e-mail addresses of an organisation's registry participants (its admins, buyers and
/// members; not its evaluators nor mediators).
pub async fn participant_addresses(conn: &mut Conn, organisation_id: i64) -> Result<Vec<String>> {
    Ok(sqlx::query_scalar(
        "SELECT DISTINCT p.email FROM people p JOIN role_grants g ON g.person_id = p.id \
         WHERE p.organisation_id = $1 AND g.scope_kind = 'organisation' AND g.scope_id = $1 \
         AND g.role IN ('org_admin', 'buyer', 'member') ORDER BY p.email",
    )
    .bind(organisation_id)
    .fetch_all(conn)
    .await?)
}

// ---- consortia ----------------------------------------------------------------------------------

#[derive(Debug, Clone, PartialEq, Eq, Serialize, sqlx::FromRow)]
pub struct Consortium {
    pub id: i64,
    pub opportunity_id: i64,
    pub name: String,
    pub lead_organisation_id: i64,
    pub created_by: Option<i64>,
    pub created_at: i64,
    pub updated_at: i64,
}

macro_rules! select_consortium {
    ($rest:literal) => {
        concat!(
            "SELECT c.id, c.opportunity_id, c.name, c.lead_organisation_id, c.created_by, \
             c.created_at, c.updated_at FROM consortia c ",
            $rest
        )
    };
}

pub const INVITED: &str = "invited";
pub const ACCEPTED: &str = "accepted";
pub const DECLINED: &str = "declined";

/// Creates a consortium with its lead as its first, accepted, member.
pub async fn insert_consortium(
    conn: &mut Conn,
    opportunity_id: i64,
    name: &str,
    lead_organisation_id: i64,
    by: Option<i64>,
    at: i64,
) -> Result<i64> {
    let id: i64 = sqlx::query_scalar(
        "INSERT INTO consortia (opportunity_id, name, lead_organisation_id, created_by, created_at, updated_at) \
         VALUES ($1, $2, $3, $4, $5, $5) RETURNING id",
    )
    .bind(opportunity_id)
    .bind(name)
    .bind(lead_organisation_id)
    .bind(by)
    .bind(at)
    .fetch_one(&mut *conn)
    .await?;
    sqlx::query(
        "INSERT INTO consortium_members (consortium_id, organisation_id, state, invited_at, invited_by, \
         answered_at, answered_by) VALUES ($1, $2, $3, $4, $5, $4, $5)",
    )
    .bind(id)
    .bind(lead_organisation_id)
    .bind(ACCEPTED)
    .bind(at)
    .bind(by)
    .execute(conn)
    .await?;
    Ok(id)
}

pub async fn consortium(conn: &mut Conn, id: i64) -> Result<Option<Consortium>> {
    Ok(sqlx::query_as(select_consortium!("WHERE c.id = $1"))
        .bind(id)
        .fetch_optional(conn)
        .await?)
}

/// The consortia formed for an opportunity, oldest first.
pub async fn of_opportunity(conn: &mut Conn, opportunity_id: i64) -> Result<Vec<Consortium>> {
    Ok(
        sqlx::query_as(select_consortium!("WHERE c.opportunity_id = $1 ORDER BY c.id"))
            .bind(opportunity_id)
            .fetch_all(conn)
            .await?,
    )
}

/// The consortia an organisation belongs to or is invited to (declined ones left out), with its
/// state in each, newest first.
pub async fn of_organisation(conn: &mut Conn, organisation_id: i64) -> Result<Vec<(Consortium, String)>> {
    #[derive(sqlx::FromRow)]
    struct Row {
        #[sqlx(flatten)]
        consortium: Consortium,
        state: String,
    }
    let rows: Vec<Row> = sqlx::query_as(
        "SELECT c.id, c.opportunity_id, c.name, c.lead_organisation_id, c.created_by, c.created_at, \
         c.updated_at, m.state FROM consortia c JOIN consortium_members m ON m.consortium_id = c.id \
         WHERE m.organisation_id = $1 AND m.state <> 'declined' ORDER BY c.id DESC",
    )
    .bind(organisation_id)
    .fetch_all(conn)
    .await?;
    Ok(rows.into_iter().map(|r| (r.consortium, r.state)).collect())
}

/// Holds the lead inside a transaction: touches the consortium only if `lead` still leads (a
/// concurrent hand-over then waits for the transaction). False when the lead changed.
pub async fn hold_lead(conn: &mut Conn, id: i64, lead: i64, at: i64) -> Result<bool> {
    let done =
        sqlx::query("UPDATE consortia SET updated_at = $3 WHERE id = $1 AND lead_organisation_id = $2")
            .bind(id)
            .bind(lead)
            .bind(at)
            .execute(conn)
            .await?;
    Ok(done.rows_affected() == 1)
}

/// Hands the lead from `from` to `to`, only if `from` still leads and `to` is an accepted member.
pub async fn set_lead(conn: &mut Conn, id: i64, from: i64, to: i64, at: i64) -> Result<bool> {
    let done = sqlx::query(
        "UPDATE consortia SET lead_organisation_id = $3, updated_at = $4 WHERE id = $1 AND lead_organisation_id = $2 \
         AND EXISTS (SELECT 1 FROM consortium_members m WHERE m.consortium_id = $1 AND m.organisation_id = $3 \
         AND m.state = 'accepted')"
    )
    .bind(id)
    .bind(from)
    .bind(to)
    .bind(at)
    .execute(conn)
    .await?;
    Ok(done.rows_affected() == 1)
}

// ---- members ------------------------------------------------------------------------------------

#[derive(Debug, Clone, PartialEq, Eq, Serialize, sqlx::FromRow)]
pub struct Member {
    pub organisation_id: i64,
    pub state: String,
    pub invited_at: i64,
    pub answered_at: Option<i64>,
}

/// Invites an organisation; one that declined is invited again. False when it is already
/// invited or accepted.
pub async fn invite(
    conn: &mut Conn,
    consortium_id: i64,
    organisation_id: i64,
    by: Option<i64>,
    at: i64,
) -> Result<bool> {
    let done = sqlx::query(
        "INSERT INTO consortium_members (consortium_id, organisation_id, state, invited_at, invited_by) \
         VALUES ($1, $2, 'invited', $3, $4) \
         ON CONFLICT (consortium_id, organisation_id) DO UPDATE SET state = 'invited', invited_at = $3, \
         invited_by = $4, answered_at = NULL, answered_by = NULL WHERE consortium_members.state = 'declined'",
    )
    .bind(consortium_id)
    .bind(organisation_id)
    .bind(at)
    .bind(by)
    .execute(conn)
    .await?;
    Ok(done.rows_affected() == 1)
}

/// Accepts or declines a pending invitation; false when there is none pending.
pub async fn answer(
    conn: &mut Conn,
    consortium_id: i64,
    organisation_id: i64,
    accept: bool,
    by: Option<i64>,
    at: i64,
) -> Result<bool> {
    let done = sqlx::query(
        "UPDATE consortium_members SET state = $3, answered_at = $4, answered_by = $5 \
         WHERE consortium_id = $1 AND organisation_id = $2 AND state = 'invited'",
    )
    .bind(consortium_id)
    .bind(organisation_id)
    .bind(if accept { ACCEPTED } else { DECLINED })
    .bind(at)
    .bind(by)
    .execute(conn)
    .await?;
    Ok(done.rows_affected() == 1)
}

pub async fn members(conn: &mut Conn, consortium_id: i64) -> Result<Vec<Member>> {
    Ok(sqlx::query_as(
        "SELECT organisation_id, state, invited_at, answered_at FROM consortium_members \
         WHERE consortium_id = $1 ORDER BY invited_at, organisation_id",
    )
    .bind(consortium_id)
    .fetch_all(conn)
    .await?)
}

pub async fn member_state(
    conn: &mut Conn,
    consortium_id: i64,
    organisation_id: i64,
) -> Result<Option<String>> {
    Ok(sqlx::query_scalar(
        "SELECT state FROM consortium_members WHERE consortium_id = $1 AND organisation_id = $2",
    )
    .bind(consortium_id)
    .bind(organisation_id)
    .fetch_optional(conn)
    .await?)
}

// ---- workspace ----------------------------------------------------------------------------------

#[derive(Debug, Clone, PartialEq, Eq, Serialize, sqlx::FromRow)]
pub struct Message {
    pub id: i64,
    pub consortium_id: i64,
    pub organisation_id: i64,
    pub person_id: Option<i64>,
    pub body: String,
    pub posted_at: i64,
}

pub async fn post_message(
    conn: &mut Conn,
    consortium_id: i64,
    organisation_id: i64,
    person_id: Option<i64>,
    body: &str,
    at: i64,
) -> Result<i64> {
    Ok(sqlx::query_scalar(
        "INSERT INTO consortium_messages (consortium_id, organisation_id, person_id, body, posted_at) \
         VALUES ($1, $2, $3, $4, $5) RETURNING id",
    )
    .bind(consortium_id)
    .bind(organisation_id)
    .bind(person_id)
    .bind(body)
    .bind(at)
    .fetch_one(conn)
    .await?)
}

/// The workspace's messages, oldest first.
pub async fn messages(conn: &mut Conn, consortium_id: i64) -> Result<Vec<Message>> {
    Ok(sqlx::query_as(
        "SELECT id, consortium_id, organisation_id, person_id, body, posted_at FROM consortium_messages \
         WHERE consortium_id = $1 ORDER BY posted_at, id",
    )
    .bind(consortium_id)
    .fetch_all(conn)
    .await?)
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Document {
    pub consortium_id: i64,
    #[serde(flatten)]
    pub file: Attached,
    pub organisation_id: i64,
    pub added_at: i64,
    pub added_by: Option<i64>,
}

#[derive(sqlx::FromRow)]
struct DocumentRow {
    consortium_id: i64,
    file_name: String,
    file_sha256: String,
    size_bytes: i64,
    content_type: String,
    organisation_id: i64,
    added_at: i64,
    added_by: Option<i64>,
}

/// Adds a document; false when the consortium already holds a file of that name.
pub async fn add_document(
    conn: &mut Conn,
    consortium_id: i64,
    file: &Attached,
    organisation_id: i64,
    by: Option<i64>,
    at: i64,
) -> Result<bool> {
    let done = sqlx::query(
        "INSERT INTO consortium_documents (consortium_id, file_name, file_sha256, size_bytes, content_type, \
         organisation_id, added_at, added_by) VALUES ($1, $2, $3, $4, $5, $6, $7, $8) \
         ON CONFLICT (consortium_id, file_name) DO NOTHING",
    )
    .bind(consortium_id)
    .bind(&file.file_name)
    .bind(&file.file_sha256)
    .bind(file.size_bytes)
    .bind(&file.content_type)
    .bind(organisation_id)
    .bind(at)
    .bind(by)
    .execute(conn)
    .await?;
    Ok(done.rows_affected() == 1)
}

/// The workspace's documents, by name.
pub async fn documents(conn: &mut Conn, consortium_id: i64) -> Result<Vec<Document>> {
    let rows: Vec<DocumentRow> = sqlx::query_as(
        "SELECT consortium_id, file_name, file_sha256, size_bytes, content_type, organisation_id, added_at, added_by \
         FROM consortium_documents WHERE consortium_id = $1 ORDER BY file_name",
    )
    .bind(consortium_id)
    .fetch_all(conn)
    .await?;
    Ok(rows
        .into_iter()
        .map(|r| Document {
            consortium_id: r.consortium_id,
            file: Attached {
                file_name: r.file_name,
                file_sha256: r.file_sha256,
                size_bytes: r.size_bytes,
                content_type: r.content_type,
            },
            organisation_id: r.organisation_id,
            added_at: r.added_at,
            added_by: r.added_by,
        })
        .collect())
}

// ---- joint dossiers -----------------------------------------------------------------------------

/// Records that the lead's dossier for the call answers for the consortium, with its members as
/// they stand (the lead among them). A later submission replaces the record; any other
/// consortium's record for the same lead and call is dropped (one dossier per organisation).
pub async fn record_joint_dossier(
    conn: &mut Conn,
    consortium_id: i64,
    call_id: i64,
    lead_organisation_id: i64,
    members: &[i64],
    by: Option<i64>,
    at: i64,
) -> Result<()> {
    let stale: Vec<i64> = sqlx::query_scalar(
        "SELECT consortium_id FROM consortium_dossiers WHERE call_id = $1 AND lead_organisation_id = $2",
    )
    .bind(call_id)
    .bind(lead_organisation_id)
    .fetch_all(&mut *conn)
    .await?;
    let mut replaced = stale;
    replaced.push(consortium_id);
    for id in replaced {
        sqlx::query("DELETE FROM consortium_dossier_members WHERE consortium_id = $1 AND call_id = $2")
            .bind(id)
            .bind(call_id)
            .execute(&mut *conn)
            .await?;
        sqlx::query("DELETE FROM consortium_dossiers WHERE consortium_id = $1 AND call_id = $2")
            .bind(id)
            .bind(call_id)
            .execute(&mut *conn)
            .await?;
    }
    sqlx::query(
        "INSERT INTO consortium_dossiers (consortium_id, call_id, lead_organisation_id, submitted_at, submitted_by) \
         VALUES ($1, $2, $3, $4, $5)",
    )
    .bind(consortium_id)
    .bind(call_id)
    .bind(lead_organisation_id)
    .bind(at)
    .bind(by)
    .execute(&mut *conn)
    .await?;
    for organisation_id in members {
        sqlx::query(
            "INSERT INTO consortium_dossier_members (consortium_id, call_id, organisation_id) VALUES ($1, $2, $3) \
             ON CONFLICT DO NOTHING",
        )
        .bind(consortium_id)
        .bind(call_id)
        .bind(organisation_id)
        .execute(&mut *conn)
        .await?;
    }
    Ok(())
}

/// A joint dossier as recorded: which consortium, when, and its members' organisations.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct JointDossier {
    pub consortium_id: i64,
    pub call_id: i64,
    pub lead_organisation_id: i64,
    pub submitted_at: i64,
    /// Every member at the submission, the lead included, by id.
    pub members: Vec<i64>,
}

async fn joint_members(conn: &mut Conn, consortium_id: i64, call_id: i64) -> Result<Vec<i64>> {
    Ok(sqlx::query_scalar(
        "SELECT organisation_id FROM consortium_dossier_members WHERE consortium_id = $1 AND call_id = $2 \
         ORDER BY organisation_id",
    )
    .bind(consortium_id)
    .bind(call_id)
    .fetch_all(conn)
    .await?)
}

/// The joint dossier a lead organisation submitted to a call, if its dossier there is joint.
pub async fn joint_dossier_of(
    conn: &mut Conn,
    call_id: i64,
    lead_organisation_id: i64,
) -> Result<Option<JointDossier>> {
    let row: Option<(i64, i64)> = sqlx::query_as(
        "SELECT consortium_id, submitted_at FROM consortium_dossiers WHERE call_id = $1 AND lead_organisation_id = $2",
    )
    .bind(call_id)
    .bind(lead_organisation_id)
    .fetch_optional(&mut *conn)
    .await?;
    let Some((consortium_id, submitted_at)) = row else {
        return Ok(None);
    };
    let members = joint_members(conn, consortium_id, call_id).await?;
    Ok(Some(JointDossier {
        consortium_id,
        call_id,
        lead_organisation_id,
        submitted_at,
        members,
    }))
}

/// The joint dossiers a consortium submitted (one per call).
pub async fn joint_dossiers(conn: &mut Conn, consortium_id: i64) -> Result<Vec<JointDossier>> {
    let rows: Vec<(i64, i64, i64)> = sqlx::query_as(
        "SELECT call_id, lead_organisation_id, submitted_at FROM consortium_dossiers WHERE consortium_id = $1 \
         ORDER BY call_id",
    )
    .bind(consortium_id)
    .fetch_all(&mut *conn)
    .await?;
    let mut out = Vec::with_capacity(rows.len());
    for (call_id, lead_organisation_id, submitted_at) in rows {
        let members = joint_members(conn, consortium_id, call_id).await?;
        out.push(JointDossier {
            consortium_id,
            call_id,
            lead_organisation_id,
            submitted_at,
            members,
        });
    }
    Ok(out)
}
