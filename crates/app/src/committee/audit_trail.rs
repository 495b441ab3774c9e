//! A call's audit trail as its buyer side reads it: every recorded change of the call, its
//! questions, its dossiers and their decisions, newest first, with who made it. What candidates do
//! in private (draft saves, files added or removed) never shows. Dossier entries never carry what
//! the dossier held — the buyer side reads dossiers through the submissions, which give only the
//! version standing submitted, never a withdrawn one or one replaced by a resubmission — and while
//! dossiers are sealed they show only what happened and when, not who.

use domain::policy::{Action, Actor, authorize};
use jiff::Timestamp;
use serde::Serialize;
use store::audit::{self, NamedEntry};

use super::{LoadedCall, load_call};
use crate::{App, AppError, Result};

/// Dossier entries that are the candidate's own work in progress (the draft's text, files added
/// and removed): not the buyer side's business, sealed or not.
const CANDIDATE_PRIVATE: [&str; 3] = ["save_draft", "attach", "detach"];

/// One change, as the reader may see it.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct TrailEntry {
    pub at: i64,
    pub action: String,
    /// call, call_question, dossier or dossier_decision.
    pub entity: String,
    pub entity_id: i64,
    /// Who made the change; none when withheld or made by the system.
    pub actor_name: Option<String>,
    pub before: Option<serde_json::Value>,
    pub after: Option<serde_json::Value>,
    /// True when the details are withheld because the dossiers are still sealed.
    pub sealed: bool,
}

fn json(text: Option<String>) -> Option<serde_json::Value> {
    text.and_then(|t| serde_json::from_str(&t).ok())
}

/// What of `entry` the buyer side may read, given whether the dossiers are sealed; `None` hides
/// it altogether.
fn for_buyer_side(named: NamedEntry, sealed: bool) -> Option<TrailEntry> {
    let NamedEntry { entry, actor_name } = named;
    let of_dossier = entry.entity == "dossier";
    if of_dossier && CANDIDATE_PRIVATE.contains(&entry.action.as_str()) {
        return None;
    }
    let withheld = of_dossier && sealed;
    Some(TrailEntry {
        at: entry.at,
        action: entry.action,
        entity: entry.entity,
        entity_id: entry.entity_id,
        actor_name: if withheld { None } else { actor_name },
        before: if of_dossier { None } else { json(entry.before_json) },
        after: if of_dossier { None } else { json(entry.after_json) },
        sealed: withheld,
    })
}

fn buyer_side(actor: &Actor, loaded: &LoadedCall) -> Result<()> {
    authorize(
        actor,
        &Action::ManageCall {
            cluster_id: loaded.call.cluster_id,
            buyer_id: loaded.call.buyer_id,
        },
    )
    .map_err(|d| AppError::hiding(d, "call"))
}

impl App {
    /// The audit trail of a call for its buyer side (its buyers and admins, the cluster's staff);
    /// "not found" for everyone else.
    pub async fn call_audit_trail(&self, actor: &Actor, call_id: i64) -> Result<Vec<TrailEntry>> {
        let mut conn = self.store.conn().await?;
        let loaded = load_call(&mut conn, call_id).await?;
        buyer_side(actor, &loaded)?;
        let sealed = loaded.sealed(Timestamp::now());
        Ok(audit::of_call(&mut conn, call_id)
            .await?
            .into_iter()
            .filter_map(|entry| for_buyer_side(entry, sealed))
            .collect())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use store::records::AuditEntry;

    fn entry(entity: &str, action: &str) -> NamedEntry {
        NamedEntry {
            entry: AuditEntry {
                id: 1,
                at: 1_000,
                actor_person_id: Some(7),
                action: action.into(),
                entity: entity.into(),
                entity_id: 3,
                before_json: Some(r#"{"state":"draft"}"#.into()),
                after_json: Some(r#"{"answer":"secret"}"#.into()),
            },
            actor_name: Some("Laurent Fabre".into()),
        }
    }

    #[test]
    fn drafts_and_files_of_candidates_never_show() {
        for sealed in [true, false] {
            assert_eq!(for_buyer_side(entry("dossier", "save_draft"), sealed), None);
            assert_eq!(for_buyer_side(entry("dossier", "attach"), sealed), None);
            assert_eq!(for_buyer_side(entry("dossier", "detach"), sealed), None);
        }
    }

    #[test]
    fn a_sealed_dossier_entry_shows_only_what_and_when() {
        let shown = for_buyer_side(entry("dossier", "submit"), true).unwrap();
        assert_eq!((shown.action.as_str(), shown.at), ("submit", 1_000));
        assert_eq!((shown.actor_name, shown.before, shown.after), (None, None, None));
        assert!(shown.sealed);
    }

    #[test]
    fn once_unsealed_a_dossier_entry_shows_who_but_never_what_it_held() {
        // A withdrawn dossier, or a version a resubmission replaced, stays the candidate's.
        let dossier = for_buyer_side(entry("dossier", "submit"), false).unwrap();
        assert_eq!(dossier.actor_name.as_deref(), Some("Laurent Fabre"));
        assert_eq!((dossier.before, dossier.after), (None, None));
        assert!(!dossier.sealed);
    }

    #[test]
    fn the_calls_own_entries_show_everything() {
        let call = for_buyer_side(entry("call", "publish"), true).unwrap();
        assert!(!call.sealed);
        assert!(call.before.is_some());
    }
}
