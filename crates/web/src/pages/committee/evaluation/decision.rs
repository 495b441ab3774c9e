//! The candidate's decision page: the decision in force on its dossier and its feedback once
//! published, with the decisions it corrected; nothing before publication.

use super::super::{fail, paris_time};
use super::outcome_label;
use crate::identity::Viewer;
use crate::pages::{Chrome, render};
use crate::state::AppState;
use askama::Template;
use axum::extract::{Path, State};
use axum::response::Response;

struct DecisionRow {
    /// "listed" or "not_retained", for styling and tests.
    outcome: String,
    outcome_label: String,
    feedback: String,
    published: String,
}

#[derive(Template)]
#[template(path = "committee/decision.html")]
struct DecisionPage {
    c: Chrome,
    id: i64,
    title: String,
    /// The decision in force: the last published.
    current: Option<DecisionRow>,
    /// Earlier published decisions, corrected since; latest first.
    corrected: Vec<DecisionRow>,
}

/// `GET /calls/{id}/dossier/decision`.
pub async fn show(State(state): State<AppState>, viewer: Viewer, Path(id): Path<i64>) -> Response {
    let mine = match state.app.my_decisions(&viewer.actor, id).await {
        Ok(mine) => mine,
        Err(error) => return fail(&viewer, error),
    };
    let mut rows: Vec<DecisionRow> = mine
        .decisions
        .into_iter()
        .rev()
        .map(|d| DecisionRow {
            outcome_label: outcome_label(viewer.tr, &d.outcome),
            outcome: d.outcome,
            feedback: d.feedback,
            published: d.published_at.map(paris_time).unwrap_or_default(),
        })
        .collect();
    let current = (!rows.is_empty()).then(|| rows.remove(0));
    render(&DecisionPage {
        c: Chrome::of(&viewer, "calls"),
        id,
        title: mine.title,
        current,
        corrected: rows,
    })
}
