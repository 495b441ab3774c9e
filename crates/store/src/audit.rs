//! The audit trail: who changed what, when, with the state before and after as JSON.

use crate::records::AuditEntry;
use crate::{Conn, Result, now_ms};

pub struct Change<'a> {
    pub actor_person_id: Option<i64>,
    pub action: &'a str,
    pub entity: &'a str,
    pub entity_id: i64,
    pub before: Option<serde_json::Value>,
    pub after: Option<serde_json::Value>,
}

pub async fn record(conn: &mut Conn, change: &Change<'_>) -> Result<()> {
    sqlx::query(
        "INSERT INTO audit_log (at, actor_person_id, action, entity, entity_id, before_json, after_json) \
         VALUES ($1, $2, $3, $4, $5, $6, $7)",
    )
    .bind(now_ms())
    .bind(change.actor_person_id)
    .bind(change.action)
    .bind(change.entity)
    .bind(change.entity_id)
    .bind(change.before.as_ref().map(|v| v.to_string()))
    .bind(change.after.as_ref().map(|v| v.to_string()))
    .execute(conn)
    .await?;
    Ok(())
}

pub async fn of_entity(conn: &mut Conn, entity: &str, entity_id: i64) -> Result<Vec<AuditEntry>> {
    Ok(sqlx::query_as(
        "SELECT id, at, actor_person_id, action, entity, entity_id, before_json, after_json FROM audit_log \
         WHERE entity = $1 AND entity_id = $2 ORDER BY id",
    )
    .bind(entity)
    .bind(entity_id)
    .fetch_all(conn)
    .await?)
}
