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

/// An audit entry with the name of the person who made the change (none for the system, or when
/// that person is gone).
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, sqlx::FromRow)]
pub struct NamedEntry {
    #[sqlx(flatten)]
    #[serde(flatten)]
    pub entry: AuditEntry,
    pub actor_name: Option<String>,
}

/// Everything recorded about a call and what hangs from it — the call itself, its questions, its
/// dossiers and their decisions — newest first. Who may read which entry is the caller's business.
pub async fn of_call(conn: &mut Conn, call_id: i64) -> Result<Vec<NamedEntry>> {
    Ok(sqlx::query_as(
        "SELECT a.id, a.at, a.actor_person_id, a.action, a.entity, a.entity_id, a.before_json, a.after_json, \
         p.first_name || ' ' || p.last_name AS actor_name \
         FROM audit_log a LEFT JOIN people p ON p.id = a.actor_person_id \
         WHERE (a.entity = 'call' AND a.entity_id = $1) \
         OR (a.entity = 'call_question' AND a.entity_id IN (SELECT id FROM call_questions WHERE call_id = $1)) \
         OR (a.entity = 'dossier' AND a.entity_id IN (SELECT id FROM dossiers WHERE call_id = $1)) \
         OR (a.entity = 'dossier_decision' AND a.entity_id IN \
             (SELECT d.id FROM dossier_decisions d JOIN dossiers s ON s.id = d.dossier_id WHERE s.call_id = $1)) \
         ORDER BY a.at DESC, a.id DESC",
    )
    .bind(call_id)
    .fetch_all(conn)
    .await?)
}
