//! Evaluation pages of a closed call: the buyer side's board (evaluators, ranking, shortlist,
//! decisions and their publication), the named evaluator's marking desk, and the candidate's
//! published decision. Handlers parse, call one use-case of `app::committee::evaluation`, render.

mod board;
mod decision;
mod marking;

use crate::state::AppState;
use app::FieldError;
use axum::Router;
use axum::routing::{get, post};
use serde::Deserialize;

pub(super) fn routes() -> Router<AppState> {
    Router::new()
        .route("/calls/{id}/evaluation", get(board::show))
        .route("/calls/{id}/evaluation/evaluators", post(board::name_evaluators))
        .route("/calls/{id}/evaluation/shortlist", post(board::shortlist))
        .route(
            "/calls/{id}/evaluation/dossiers/{did}/decision",
            post(board::decide),
        )
        .route(
            "/calls/{id}/evaluation/publish",
            get(board::confirm_publication).post(board::publish),
        )
        .route("/calls/{id}/marking", get(marking::desk))
        .route("/calls/{id}/marking/{did}", get(marking::sheet))
        .route("/calls/{id}/marking/{did}/conflict", post(marking::declare))
        .route("/calls/{id}/marking/{did}/marks", post(marking::save_marks))
        .route("/calls/{id}/dossier/decision", get(decision::show))
}

/// `?notice=…` after a successful form: which confirmation to show.
#[derive(Deserialize, Default)]
pub struct Notice {
    #[serde(default)]
    notice: String,
}

impl Notice {
    /// The translated confirmation, when the notice is one of `known`.
    fn text(&self, tr: crate::i18n::Tr, known: &[&str]) -> String {
        if known.contains(&self.notice.as_str()) {
            tr.t(format!("evaluation.notice.{}", self.notice))
        } else {
            String::new()
        }
    }
}

/// The message of the first error naming `field`, to show beside it.
fn error_for(errors: &[FieldError], field: &str) -> Option<String> {
    errors
        .iter()
        .find(|e| e.field == field)
        .map(|e| e.message.clone())
}

/// "listed" / "not_retained" in the reader's language.
fn outcome_label(tr: crate::i18n::Tr, outcome: &str) -> String {
    match outcome {
        "listed" => tr.t("evaluation.outcome.listed"),
        "not_retained" => tr.t("evaluation.outcome.not_retained"),
        other => other.to_owned(),
    }
}
