//! Large accounts' purchasing policies: what they buy, their innovation priorities, how to get
//! listed, whom to contact and what they commit to towards SMEs. One per organisation.

use serde::Serialize;

use crate::{Conn, Result};

#[derive(Debug, Clone, PartialEq, Eq, Serialize, sqlx::FromRow)]
pub struct PolicyFields {
    pub buys: String,
    pub innovation_priorities: String,
    pub how_to_get_listed: String,
    pub contacts: String,
    pub commitments: String,
    /// 1 when shown to members, 0 while the buyer is still writing it.
    pub published: i64,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, sqlx::FromRow)]
pub struct Policy {
    pub organisation_id: i64,
    #[sqlx(flatten)]
    #[serde(flatten)]
    pub fields: PolicyFields,
    pub updated_at: i64,
    pub updated_by: Option<i64>,
}

impl std::ops::Deref for Policy {
    type Target = PolicyFields;

    fn deref(&self) -> &PolicyFields {
        &self.fields
    }
}

impl Policy {
    pub fn is_published(&self) -> bool {
        self.published != 0
    }
}

const POLICY_COLUMNS: &str = "SELECT organisation_id, buys, innovation_priorities, how_to_get_listed, contacts, \
     commitments, published, updated_at, updated_by FROM purchasing_policies";

/// Creates or replaces the organisation's policy.
pub async fn save(
    conn: &mut Conn,
    organisation_id: i64,
    fields: &PolicyFields,
    by: Option<i64>,
    at: i64,
) -> Result<()> {
    sqlx::query(
        "INSERT INTO purchasing_policies (organisation_id, buys, innovation_priorities, how_to_get_listed, \
         contacts, commitments, published, updated_at, updated_by) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) \
         ON CONFLICT (organisation_id) DO UPDATE SET buys = excluded.buys, \
         innovation_priorities = excluded.innovation_priorities, how_to_get_listed = excluded.how_to_get_listed, \
         contacts = excluded.contacts, commitments = excluded.commitments, published = excluded.published, \
         updated_at = excluded.updated_at, updated_by = excluded.updated_by",
    )
    .bind(organisation_id)
    .bind(&fields.buys)
    .bind(&fields.innovation_priorities)
    .bind(&fields.how_to_get_listed)
    .bind(&fields.contacts)
    .bind(&fields.commitments)
    .bind(fields.published)
    .bind(at)
    .bind(by)
    .execute(conn)
    .await?;
    Ok(())
}

pub async fn get(conn: &mut Conn, organisation_id: i64) -> Result<Option<Policy>> {
    Ok(sqlx::query_as(sqlx::AssertSqlSafe(format!(
        "{POLICY_COLUMNS} WHERE organisation_id = $1"
    )))
    .bind(organisation_id)
    .fetch_optional(conn)
    .await?)
}

/// Published policies of a cluster's current member organisations, most recently updated first.
pub async fn published_in_cluster(conn: &mut Conn, cluster_id: i64) -> Result<Vec<Policy>> {
    Ok(sqlx::query_as(sqlx::AssertSqlSafe(format!(
        "{POLICY_COLUMNS} WHERE published = 1 AND organisation_id IN \
         (SELECT organisation_id FROM memberships WHERE cluster_id = $1 AND left_at IS NULL) \
         ORDER BY updated_at DESC, organisation_id"
    )))
    .bind(cluster_id)
    .fetch_all(conn)
    .await?)
}
