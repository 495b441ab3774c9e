//! A call's audit trail for its buyer side: who changed what and when, newest first, with the
//! states before and after. Sealed dossiers show only what happened and when.

use super::{fail, paris_time};
use crate::identity::Viewer;
use crate::pages::{Chrome, render};
use crate::state::AppState;
use askama::Template;
use axum::Router;
use axum::extract::{Path, State};
use axum::response::Response;
use axum::routing::get;

pub(super) fn routes() -> Router<AppState> {
    Router::new().route("/calls/{id}/audit", get(show))
}

/// One entry as the page shows it.
struct EntryRow {
    at: String,
    action: String,
    entity: String,
    entity_id: i64,
    actor: Option<String>,
    before: Option<String>,
    after: Option<String>,
    sealed: bool,
}

#[derive(Template)]
#[template(path = "committee/audit.html")]
struct AuditPage {
    c: Chrome,
    call_id: i64,
    entries: Vec<EntryRow>,
}

fn pretty(value: Option<serde_json::Value>) -> Option<String> {
    value.and_then(|v| serde_json::to_string_pretty(&v).ok())
}

/// `GET /calls/{id}/audit`.
pub async fn show(State(state): State<AppState>, viewer: Viewer, Path(id): Path<i64>) -> Response {
    let trail = match state.app.call_audit_trail(&viewer.actor, id).await {
        Ok(trail) => trail,
        Err(error) => return fail(&viewer, error),
    };
    render(&AuditPage {
        c: Chrome::of(&viewer, "calls"),
        call_id: id,
        entries: trail
            .into_iter()
            .map(|e| EntryRow {
                at: paris_time(e.at),
                action: e.action,
                entity: e.entity,
                entity_id: e.entity_id,
                actor: e.actor_name,
                before: pretty(e.before),
                after: pretty(e.after),
                sealed: e.sealed,
            })
            .collect(),
    })
}
