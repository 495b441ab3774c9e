//! The buyer side's evaluation board: naming evaluators, the consolidated ranking, the shortlist,
//! a decision per dossier (revised until published, corrected after), and publication behind a
//! confirmation page.

use super::super::{back_to, fail, paris_time};
use super::{Notice, error_for, outcome_label};
use crate::error::status_of;
use crate::i18n::Tr;
use crate::identity::Viewer;
use crate::pages::{Chrome, Refusal, form_errors, render_with};
use crate::state::AppState;
use app::committee::evaluation::{BoardRow, DecisionInput, EvaluationBoard};
use app::{Actor, AppError, FieldError};
use askama::Template;
use axum::Form;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::Response;

struct PersonRow {
    id: i64,
    name: String,
    email: String,
    named: bool,
}

struct HistoryRow {
    id: i64,
    outcome: String,
    feedback: String,
    corrects: Option<i64>,
    /// Paris time of publication; empty while pending.
    published: String,
}

/// One dossier of the ranking with its decision form.
struct RankRow {
    dossier_id: i64,
    organisation: String,
    rank: String,
    tied: bool,
    total: String,
    by_evaluator: Vec<(String, String)>,
    excluded: usize,
    incomplete: usize,
    shortlisted: bool,
    /// What the decision form holds: the latest decision, or what was typed when refused.
    outcome: String,
    feedback: String,
    /// The published decision in force, which a new decision corrects.
    corrects: Option<i64>,
    history: Vec<HistoryRow>,
    outcome_error: Option<String>,
    feedback_error: Option<String>,
    form_error: Option<String>,
}

#[derive(Template)]
#[template(path = "committee/evaluation.html")]
struct BoardPage {
    c: Chrome,
    id: i64,
    title: String,
    closes: String,
    sealed: bool,
    criteria: Vec<(String, u32, u32)>,
    people: Vec<PersonRow>,
    viewer_named: bool,
    rows: Vec<RankRow>,
    pending: usize,
    notice: String,
    errors: Vec<FieldError>,
}

/// What was typed into one dossier's decision form, to show again when refused.
struct TypedDecision {
    dossier_id: i64,
    input: DecisionInput,
}

const NOTICES: [&str; 4] = ["evaluators", "shortlist", "decided", "published"];

fn history_row(d: &store::committee::evaluation::Decision, tr: Tr) -> HistoryRow {
    HistoryRow {
        id: d.id,
        outcome: outcome_label(tr, &d.outcome),
        feedback: d.feedback.clone(),
        corrects: d.corrects,
        published: d.published_at.map(paris_time).unwrap_or_default(),
    }
}

fn rank_row(
    row: BoardRow,
    board: &EvaluationBoard,
    typed: Option<&TypedDecision>,
    errors: &[FieldError],
    tr: Tr,
) -> RankRow {
    let r = row.ranked;
    let latest = row.history.last();
    let name_of = |id: i64| {
        board
            .people
            .iter()
            .find(|p| p.person_id == id)
            .map_or_else(|| format!("#{id}"), |p| p.name.clone())
    };
    let this = typed.filter(|t| t.dossier_id == r.dossier_id);
    let (outcome, feedback) = match (this, latest) {
        (Some(t), _) => (t.input.outcome.clone(), t.input.feedback.clone()),
        (None, Some(d)) => (d.outcome.clone(), d.feedback.clone()),
        (None, None) => (String::new(), String::new()),
    };
    let mine = |field: &str| this.and_then(|_| error_for(errors, field));
    RankRow {
        dossier_id: r.dossier_id,
        organisation: r.organisation_name,
        rank: r.rank.map_or_else(|| "—".to_owned(), |n| n.to_string()),
        tied: r.tied_with_previous,
        total: r.total.map_or_else(|| "—".to_owned(), |t| t.to_string()),
        by_evaluator: r
            .by_evaluator
            .into_iter()
            .map(|(id, total)| (name_of(id), total.to_string()))
            .collect(),
        excluded: r.excluded_for_conflict,
        incomplete: r.incomplete,
        shortlisted: r.shortlisted,
        outcome,
        feedback,
        corrects: latest.filter(|d| d.published_at.is_some()).map(|d| d.id),
        history: row.history.iter().map(|d| history_row(d, tr)).collect(),
        outcome_error: mine("outcome"),
        feedback_error: mine("feedback"),
        form_error: mine("form").or_else(|| mine("corrects")),
    }
}

/// The board; `typed` keeps a refused decision's input beside its dossier.
async fn board_page(
    state: &AppState,
    viewer: &Viewer,
    id: i64,
    typed: Option<TypedDecision>,
    notice: String,
    errors: Vec<FieldError>,
    status: StatusCode,
) -> Response {
    let board = match state.app.evaluation_board(&viewer.actor, id).await {
        Ok(board) => board,
        Err(error) => return fail(viewer, error),
    };
    let tr = viewer.tr;
    let viewer_named = match &viewer.actor {
        Actor::Person(p) => board.people.iter().any(|c| c.named && c.person_id == p.person_id),
        Actor::Visitor => false,
    };
    let rows: Vec<RankRow> = board
        .ranking
        .clone()
        .into_iter()
        .map(|row| rank_row(row, &board, typed.as_ref(), &errors, tr))
        .collect();
    // Errors shown beside a decision form are not repeated at the top, except in the summary.
    let errors = match &typed {
        Some(t) => errors
            .into_iter()
            .map(|e| FieldError::new(&format!("decision-{}", t.dossier_id), e.message))
            .collect(),
        None => errors,
    };
    let pending = board
        .ranking
        .iter()
        .filter(|r| r.history.last().is_some_and(|d| d.published_at.is_none()))
        .count();
    render_with(
        status,
        &BoardPage {
            c: Chrome::of(viewer, "calls"),
            id,
            title: board.title.clone(),
            closes: paris_time(board.closes_at),
            sealed: board.sealed,
            criteria: board
                .criteria
                .iter()
                .map(|k| (k.name.clone(), k.weight, k.scale_max))
                .collect(),
            people: board
                .people
                .iter()
                .map(|p| PersonRow {
                    id: p.person_id,
                    name: p.name.clone(),
                    email: p.email.clone(),
                    named: p.named,
                })
                .collect(),
            viewer_named,
            rows,
            pending,
            notice,
            errors,
        },
    )
}

/// Turns a refusal into the board with the reason, or an error page.
async fn refused(
    state: &AppState,
    viewer: &Viewer,
    id: i64,
    typed: Option<TypedDecision>,
    error: AppError,
) -> Response {
    let status = status_of(&error);
    match form_errors(viewer, error) {
        Refusal::Fields(errors) => board_page(state, viewer, id, typed, String::new(), errors, status).await,
        Refusal::Page(response) => response,
    }
}

/// `GET /calls/{id}/evaluation`.
pub async fn show(
    State(state): State<AppState>,
    viewer: Viewer,
    Path(id): Path<i64>,
    Query(notice): Query<Notice>,
) -> Response {
    let notice = notice.text(viewer.tr, &NOTICES);
    board_page(&state, &viewer, id, None, notice, Vec::new(), StatusCode::OK).await
}

/// Ids from repeated checkbox fields named `name`; anything else is a field error.
fn ids(pairs: &[(String, String)], name: &str) -> Result<Vec<i64>, AppError> {
    let mut ids = Vec::new();
    let mut errors = Vec::new();
    for (key, value) in pairs.iter().filter(|(key, _)| key == name) {
        match value.trim().parse() {
            Ok(id) => ids.push(id),
            Err(_) => errors.push(FieldError::new(key, format!("'{value}' is not an id"))),
        }
    }
    if errors.is_empty() {
        Ok(ids)
    } else {
        Err(AppError::Invalid(errors))
    }
}

/// Where a list form lands: back on the board with its notice, or the board with the refusal.
async fn landed(
    state: &AppState,
    viewer: &Viewer,
    id: i64,
    result: Result<(), AppError>,
    notice: &str,
) -> Response {
    match result {
        Ok(()) => back_to(id, &format!("/evaluation?notice={notice}")),
        Err(error) => refused(state, viewer, id, None, error).await,
    }
}

/// `POST /calls/{id}/evaluation/evaluators`: `person_ids` checked, replacing the list.
pub async fn name_evaluators(
    State(state): State<AppState>,
    viewer: Viewer,
    Path(id): Path<i64>,
    Form(pairs): Form<Vec<(String, String)>>,
) -> Response {
    let result = async {
        let people = ids(&pairs, "person_ids")?;
        state.app.name_evaluators(&viewer.actor, id, &people).await?;
        Ok(())
    }
    .await;
    landed(&state, &viewer, id, result, "evaluators").await
}

/// `POST /calls/{id}/evaluation/shortlist`: `dossier_ids` checked, replacing the shortlist.
pub async fn shortlist(
    State(state): State<AppState>,
    viewer: Viewer,
    Path(id): Path<i64>,
    Form(pairs): Form<Vec<(String, String)>>,
) -> Response {
    let result = async {
        let dossiers = ids(&pairs, "dossier_ids")?;
        state.app.shortlist_dossiers(&viewer.actor, id, &dossiers).await?;
        Ok(())
    }
    .await;
    landed(&state, &viewer, id, result, "shortlist").await
}

#[derive(serde::Deserialize)]
pub struct DecisionForm {
    #[serde(default)]
    outcome: String,
    #[serde(default)]
    feedback: String,
    /// Set by the form when the decision in force is published: this one corrects it.
    #[serde(default)]
    corrects: String,
}

/// `POST /calls/{id}/evaluation/dossiers/{did}/decision`: records, revises or corrects.
pub async fn decide(
    State(state): State<AppState>,
    viewer: Viewer,
    Path((id, did)): Path<(i64, i64)>,
    Form(form): Form<DecisionForm>,
) -> Response {
    let corrects = match form.corrects.trim() {
        "" => Ok(None),
        text => text
            .parse()
            .map(Some)
            .map_err(|_| AppError::invalid("corrects", format!("'{text}' is not a decision id"))),
    };
    let input = DecisionInput {
        outcome: form.outcome,
        feedback: form.feedback,
        corrects: None,
    };
    let result = match corrects {
        Ok(corrects) => {
            let input = DecisionInput {
                corrects,
                ..input.clone()
            };
            state.app.decide(&viewer.actor, id, did, &input).await.map(|_| ())
        }
        Err(error) => Err(error),
    };
    match result {
        Ok(()) => back_to(id, "/evaluation?notice=decided"),
        Err(error) => {
            let typed = TypedDecision {
                dossier_id: did,
                input,
            };
            refused(&state, &viewer, id, Some(typed), error).await
        }
    }
}

struct PendingRow {
    organisation: String,
    outcome: String,
    feedback: String,
    correction: bool,
}

#[derive(Template)]
#[template(path = "committee/evaluation_publish.html")]
struct PublishPage {
    c: Chrome,
    id: i64,
    title: String,
    pending: Vec<PendingRow>,
    errors: Vec<FieldError>,
}

async fn publish_page(
    state: &AppState,
    viewer: &Viewer,
    id: i64,
    errors: Vec<FieldError>,
    status: StatusCode,
) -> Response {
    let board = match state.app.evaluation_board(&viewer.actor, id).await {
        Ok(board) => board,
        Err(error) => return fail(viewer, error),
    };
    let pending = board
        .ranking
        .iter()
        .filter_map(|row| {
            let d = row.history.last().filter(|d| d.published_at.is_none())?;
            Some(PendingRow {
                organisation: row.ranked.organisation_name.clone(),
                outcome: outcome_label(viewer.tr, &d.outcome),
                feedback: d.feedback.clone(),
                correction: d.corrects.is_some(),
            })
        })
        .collect();
    render_with(
        status,
        &PublishPage {
            c: Chrome::of(viewer, "calls"),
            id,
            title: board.title,
            pending,
            errors,
        },
    )
}

/// `GET /calls/{id}/evaluation/publish`: what publication will send, and the button to confirm.
pub async fn confirm_publication(
    State(state): State<AppState>,
    viewer: Viewer,
    Path(id): Path<i64>,
) -> Response {
    publish_page(&state, &viewer, id, Vec::new(), StatusCode::OK).await
}

/// `POST /calls/{id}/evaluation/publish`: publishes the pending decisions; final from then on.
pub async fn publish(State(state): State<AppState>, viewer: Viewer, Path(id): Path<i64>) -> Response {
    match state.app.publish_decisions(&viewer.actor, id).await {
        Ok(_) => back_to(id, "/evaluation?notice=published"),
        Err(error) => {
            let status = status_of(&error);
            match form_errors(&viewer, error) {
                Refusal::Fields(errors) => publish_page(&state, &viewer, id, errors, status).await,
                Refusal::Page(response) => response,
            }
        }
    }
}
