//! Writes the audit trail from use-cases: one row per state change, inside the change's own
//! transaction, so a change and its record are committed or rolled back together.

use crate::Result;
use serde_json::Value;
use store::{Conn, audit};

/// Who changed what; `before`/`after` hold the states worth keeping, if any.
pub(crate) struct Entry<'a> {
    pub actor: Option<i64>,
    pub action: &'a str,
    pub entity: &'a str,
    pub entity_id: i64,
    pub before: Option<Value>,
    pub after: Option<Value>,
}

impl<'a> Entry<'a> {
    /// A change made by `actor`; chain `before`/`after` to keep the states around it.
    pub fn by(actor: &domain::policy::Actor, action: &'a str, entity: &'a str, entity_id: i64) -> Entry<'a> {
        Entry::bare(crate::actor::actor_id(actor), action, entity, entity_id)
    }

    pub fn before(mut self, state: &impl serde::Serialize) -> Entry<'a> {
        self.before = serde_json::to_value(state).ok();
        self
    }

    pub fn after(mut self, state: &impl serde::Serialize) -> Entry<'a> {
        self.after = serde_json::to_value(state).ok();
        self
    }

    /// A change whose details are in the entity itself (a password set, a token revoked).
    pub fn bare(actor: Option<i64>, action: &'a str, entity: &'a str, entity_id: i64) -> Entry<'a> {
        Entry {
            actor,
            action,
            entity,
            entity_id,
            before: None,
            after: None,
        }
    }

    pub async fn write(self, conn: &mut Conn) -> Result<()> {
        audit::record(
            conn,
            &audit::Change {
                actor_person_id: self.actor,
                action: self.action,
                entity: self.entity,
                entity_id: self.entity_id,
                before: self.before,
                after: self.after,
            },
        )
        .await?;
        Ok(())
    }
}
