//! Evaluation of a closed call through the JSON API: the buyer side names evaluators, each
//! evaluator declares conflicts of interest and marks the dossiers, the buyer side reads the
//! ranking, keeps a shortlist, records decisions and publishes them; a candidate reads its own
//! decision once published.

use super::{ApiResult, Json, Path, Query};
use crate::identity::ApiCaller;
use crate::state::AppState;
use app::committee::evaluation::{DecisionInput, MarkInput, PublishedDecision, RankedDossier};
use app::committee::for_you::{CallForYou, Recommendation};
use axum::Router;
use axum::extract::State;
use axum::routing::{get, post, put};
use serde::{Deserialize, Serialize};

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/api/v1/calls/{id}/evaluators", put(name_evaluators))
        .route(
            "/api/v1/calls/{id}/dossiers/{did}/conflict",
            post(declare_conflict),
        )
        .route("/api/v1/calls/{id}/dossiers/{did}/marks", put(save_marks))
        .route("/api/v1/calls/{id}/ranking", get(ranking))
        .route("/api/v1/calls/{id}/shortlist", post(shortlist))
        .route("/api/v1/calls/{id}/dossiers/{did}/decision", put(decide))
        .route("/api/v1/calls/{id}/decisions/publish", post(publish_decisions))
        .route("/api/v1/calls/{id}/dossier/decision", get(my_decision))
        .route("/api/v1/calls-for-you", get(calls_for_you))
        .route("/api/v1/calls/{id}/recommendations", get(recommendations))
}

#[derive(Deserialize, utoipa::ToSchema)]
pub struct EvaluatorsForm {
    /// People of the buying organisation; replaces the previous list.
    pub person_ids: Vec<i64>,
}

#[derive(Serialize, utoipa::ToSchema)]
pub struct Evaluators {
    pub person_ids: Vec<i64>,
}

#[derive(Deserialize, utoipa::ToSchema)]
pub struct ConflictForm {
    /// True: a conflict of interest with this candidate (the evaluator's sheet will not count);
    /// false: none. A declared conflict cannot be taken back.
    pub conflict: bool,
    #[serde(default)]
    pub note: String,
}

#[derive(Serialize, utoipa::ToSchema)]
pub struct ConflictDeclared {
    pub dossier_id: i64,
    pub conflict: bool,
}

/// One mark: the criterion's position in the call (from 1), a whole mark within its scale.
#[derive(Deserialize, utoipa::ToSchema)]
pub struct MarkForm {
    pub criterion: i64,
    pub mark: i64,
    #[serde(default)]
    pub comment: String,
}

#[derive(Serialize, utoipa::ToSchema)]
pub struct Mark {
    pub dossier_id: i64,
    pub person_id: i64,
    pub criterion: i64,
    pub mark: i64,
    pub comment: String,
    pub updated_at: i64,
}

/// An evaluator's weighted total for a dossier.
#[derive(Serialize, utoipa::ToSchema)]
pub struct EvaluatorTotal {
    pub person_id: i64,
    /// Out of 100, e.g. "72.5".
    pub total: String,
    /// Thousandths of a point.
    pub total_milli: u32,
}

/// A dossier's place in the consolidated ranking.
#[derive(Serialize, utoipa::ToSchema)]
pub struct Ranked {
    pub dossier_id: i64,
    pub organisation_id: i64,
    pub organisation_name: String,
    /// 1 for the first; null while no complete sheet without conflict counts.
    pub rank: Option<usize>,
    /// Mean of the counted evaluators' weighted totals, out of 100.
    pub total: Option<String>,
    pub total_milli: Option<u32>,
    pub by_evaluator: Vec<EvaluatorTotal>,
    pub excluded_for_conflict: usize,
    pub incomplete: usize,
    pub tied_with_previous: bool,
    pub shortlisted: bool,
    pub decision: Option<Decision>,
}

fn ranked_dto(r: RankedDossier) -> Ranked {
    Ranked {
        dossier_id: r.dossier_id,
        organisation_id: r.organisation_id,
        organisation_name: r.organisation_name,
        rank: r.rank,
        total: r.total.map(|t| t.to_string()),
        total_milli: r.total.map(|t| t.milli()),
        by_evaluator: r
            .by_evaluator
            .into_iter()
            .map(|(person_id, t)| EvaluatorTotal {
                person_id,
                total: t.to_string(),
                total_milli: t.milli(),
            })
            .collect(),
        excluded_for_conflict: r.excluded_for_conflict,
        incomplete: r.incomplete,
        tied_with_previous: r.tied_with_previous,
        shortlisted: r.shortlisted,
        decision: r.decision.map(decision_dto),
    }
}

#[derive(Deserialize, utoipa::ToSchema)]
pub struct ShortlistForm {
    /// Submitted dossiers of the call; replaces the shortlist.
    pub dossier_ids: Vec<i64>,
}

#[derive(Serialize, utoipa::ToSchema)]
#[schema(as = CallShortlist)]
pub struct Shortlist {
    pub dossier_ids: Vec<i64>,
}

#[derive(Deserialize, utoipa::ToSchema)]
pub struct DecisionForm {
    /// listed or not_retained.
    pub outcome: String,
    /// What the candidate is told.
    #[serde(default)]
    pub feedback: String,
    /// To correct a published decision: its id (a new decision linked to it is recorded).
    #[serde(default)]
    pub corrects: Option<i64>,
}

/// A decision on a dossier; final once published.
#[derive(Serialize, utoipa::ToSchema)]
pub struct Decision {
    pub id: i64,
    pub dossier_id: i64,
    /// listed or not_retained.
    pub outcome: String,
    pub feedback: String,
    /// The published decision this one corrects.
    pub corrects: Option<i64>,
    pub created_at: i64,
    pub published_at: Option<i64>,
}

fn decision_dto(d: store::committee::evaluation::Decision) -> Decision {
    Decision {
        id: d.id,
        dossier_id: d.dossier_id,
        outcome: d.outcome,
        feedback: d.feedback,
        corrects: d.corrects,
        created_at: d.created_at,
        published_at: d.published_at,
    }
}

#[derive(Serialize, utoipa::ToSchema)]
#[schema(as = PublishedDecisions)]
pub struct Published {
    /// How many decisions were published.
    pub published: u64,
}

/// The caller's organisation's decision in force for a call.
#[derive(Serialize, utoipa::ToSchema)]
pub struct MyDecision {
    pub call_id: i64,
    pub decision: Decision,
}

fn my_decision_dto(d: PublishedDecision) -> MyDecision {
    MyDecision {
        call_id: d.call_id,
        decision: decision_dto(d.decision),
    }
}

/// Names the call's evaluators among the buying organisation's people (buyer side).
#[utoipa::path(put, path = "/api/v1/calls/{id}/evaluators", tag = "committee", params(("id" = i64, Path)),
    request_body = EvaluatorsForm,
    responses((status = 200, body = Evaluators), (status = 401, body = crate::error::Problem),
        (status = 404, body = crate::error::Problem), (status = 422, body = crate::error::Problem)))]
pub async fn name_evaluators(
    State(state): State<AppState>,
    ApiCaller(actor): ApiCaller,
    Path(id): Path<i64>,
    Json(form): Json<EvaluatorsForm>,
) -> ApiResult<axum::Json<Evaluators>> {
    let person_ids = state.app.name_evaluators(&actor, id, &form.person_ids).await?;
    Ok(axum::Json(Evaluators { person_ids }))
}

/// A named evaluator declares a conflict of interest with a dossier, or none.
#[utoipa::path(post, path = "/api/v1/calls/{id}/dossiers/{did}/conflict", tag = "committee",
    params(("id" = i64, Path), ("did" = i64, Path)), request_body = ConflictForm,
    responses((status = 200, body = ConflictDeclared), (status = 401, body = crate::error::Problem),
        (status = 404, body = crate::error::Problem), (status = 409, body = crate::error::Problem)))]
pub async fn declare_conflict(
    State(state): State<AppState>,
    ApiCaller(actor): ApiCaller,
    Path((id, did)): Path<(i64, i64)>,
    Json(form): Json<ConflictForm>,
) -> ApiResult<axum::Json<ConflictDeclared>> {
    let conflict = state
        .app
        .declare_conflict(&actor, id, did, form.conflict, &form.note)
        .await?;
    Ok(axum::Json(ConflictDeclared {
        dossier_id: did,
        conflict,
    }))
}

/// A named evaluator marks a dossier's criteria with comments once the call has closed; a mark
/// outside its criterion's scale is refused (422 naming the criterion), nothing saved.
#[utoipa::path(put, path = "/api/v1/calls/{id}/dossiers/{did}/marks", tag = "committee",
    params(("id" = i64, Path), ("did" = i64, Path)), request_body = Vec<MarkForm>,
    responses((status = 200, body = Vec<Mark>), (status = 401, body = crate::error::Problem),
        (status = 404, body = crate::error::Problem), (status = 409, body = crate::error::Problem),
        (status = 422, body = crate::error::Problem)))]
pub async fn save_marks(
    State(state): State<AppState>,
    ApiCaller(actor): ApiCaller,
    Path((id, did)): Path<(i64, i64)>,
    Json(marks): Json<Vec<MarkForm>>,
) -> ApiResult<axum::Json<Vec<Mark>>> {
    let marks: Vec<MarkInput> = marks
        .into_iter()
        .map(|m| MarkInput {
            criterion: m.criterion,
            mark: m.mark,
            comment: m.comment,
        })
        .collect();
    let saved = state.app.save_marks(&actor, id, did, &marks).await?;
    Ok(axum::Json(
        saved
            .into_iter()
            .map(|m| Mark {
                dossier_id: m.dossier_id,
                person_id: m.person_id,
                criterion: m.criterion_position,
                mark: m.mark,
                comment: m.comment,
                updated_at: m.updated_at,
            })
            .collect(),
    ))
}

/// The consolidated ranking of a closed call's dossiers (buyer side).
#[utoipa::path(get, path = "/api/v1/calls/{id}/ranking", tag = "committee", params(("id" = i64, Path)),
    responses((status = 200, body = Vec<Ranked>), (status = 401, body = crate::error::Problem),
        (status = 404, body = crate::error::Problem), (status = 409, body = crate::error::Problem)))]
pub async fn ranking(
    State(state): State<AppState>,
    ApiCaller(actor): ApiCaller,
    Path(id): Path<i64>,
) -> ApiResult<axum::Json<Vec<Ranked>>> {
    let ranking = state.app.ranking(&actor, id).await?;
    Ok(axum::Json(ranking.into_iter().map(ranked_dto).collect()))
}

/// Sets the call's shortlist (buyer side).
#[utoipa::path(post, path = "/api/v1/calls/{id}/shortlist", tag = "committee", params(("id" = i64, Path)),
    request_body = ShortlistForm,
    responses((status = 200, body = Shortlist), (status = 401, body = crate::error::Problem),
        (status = 404, body = crate::error::Problem), (status = 409, body = crate::error::Problem),
        (status = 422, body = crate::error::Problem)))]
pub async fn shortlist(
    State(state): State<AppState>,
    ApiCaller(actor): ApiCaller,
    Path(id): Path<i64>,
    Json(form): Json<ShortlistForm>,
) -> ApiResult<axum::Json<Shortlist>> {
    let dossier_ids = state
        .app
        .shortlist_dossiers(&actor, id, &form.dossier_ids)
        .await?;
    Ok(axum::Json(Shortlist { dossier_ids }))
}

/// Records or revises a dossier's decision (buyer side); a published decision is final (409)
/// unless corrected by a new decision naming it in `corrects`.
#[utoipa::path(put, path = "/api/v1/calls/{id}/dossiers/{did}/decision", tag = "committee",
    params(("id" = i64, Path), ("did" = i64, Path)), request_body = DecisionForm,
    responses((status = 200, body = Decision), (status = 401, body = crate::error::Problem),
        (status = 404, body = crate::error::Problem), (status = 409, body = crate::error::Problem),
        (status = 422, body = crate::error::Problem)))]
pub async fn decide(
    State(state): State<AppState>,
    ApiCaller(actor): ApiCaller,
    Path((id, did)): Path<(i64, i64)>,
    Json(form): Json<DecisionForm>,
) -> ApiResult<axum::Json<Decision>> {
    let input = DecisionInput {
        outcome: form.outcome,
        feedback: form.feedback,
        corrects: form.corrects,
    };
    Ok(axum::Json(decision_dto(
        state.app.decide(&actor, id, did, &input).await?,
    )))
}

/// Publishes the call's pending decisions; each candidate concerned is told by e-mail.
#[utoipa::path(post, path = "/api/v1/calls/{id}/decisions/publish", tag = "committee",
    params(("id" = i64, Path)),
    responses((status = 200, body = Published), (status = 401, body = crate::error::Problem),
        (status = 404, body = crate::error::Problem), (status = 409, body = crate::error::Problem)))]
pub async fn publish_decisions(
    State(state): State<AppState>,
    ApiCaller(actor): ApiCaller,
    Path(id): Path<i64>,
) -> ApiResult<axum::Json<Published>> {
    let published = state.app.publish_decisions(&actor, id).await?;
    Ok(axum::Json(Published { published }))
}

/// The caller's organisation's decision for a call, once published; 404 before.
#[utoipa::path(get, path = "/api/v1/calls/{id}/dossier/decision", tag = "committee",
    params(("id" = i64, Path)),
    responses((status = 200, body = MyDecision), (status = 401, body = crate::error::Problem),
        (status = 404, body = crate::error::Problem)))]
pub async fn my_decision(
    State(state): State<AppState>,
    ApiCaller(actor): ApiCaller,
    Path(id): Path<i64>,
) -> ApiResult<axum::Json<MyDecision>> {
    Ok(axum::Json(my_decision_dto(
        state.app.my_decision(&actor, id).await?,
    )))
}

/// An open call for the caller's organisation.
#[derive(Serialize, utoipa::ToSchema)]
pub struct OpenCall {
    pub call_id: i64,
    pub title: String,
    pub buyer_id: i64,
    /// Unix ms.
    pub closes_at: i64,
    pub closes_at_paris: String,
    /// Why the organisation may not answer (`code`: wrong_size, missing_certification,
    /// region_not_accepted, with details); empty when eligible.
    #[schema(value_type = Vec<Object>)]
    pub reasons: Vec<serde_json::Value>,
    /// Directory relevance of the organisation to the call's text; 0 when it does not match.
    pub relevance: f32,
    /// The organisation's matched passage, HTML-escaped with `<mark>` around the matches.
    pub snippet_html: Option<String>,
}

fn open_call_dto(c: CallForYou) -> OpenCall {
    OpenCall {
        call_id: c.call.id,
        title: c.call.fields.title.clone(),
        buyer_id: c.call.buyer_id,
        closes_at: c.call.fields.closes_at,
        closes_at_paris: jiff::Timestamp::from_millisecond(c.call.fields.closes_at)
            .map(domain::committee::paris::display)
            .unwrap_or_default(),
        reasons: c
            .reasons
            .iter()
            .map(|r| serde_json::to_value(r).unwrap_or_default())
            .collect(),
        relevance: c.relevance,
        snippet_html: c.snippet_html,
    }
}

#[derive(Serialize, utoipa::ToSchema)]
pub struct CallsForYou {
    /// Calls the organisation may answer, most relevant first.
    pub eligible: Vec<OpenCall>,
    /// Calls it sees but may not answer, with the reasons.
    pub not_eligible: Vec<OpenCall>,
}

/// The open calls the caller's organisation sees in its clusters: those it is eligible for,
/// ranked by directory relevance, and the others with the reasons.
#[utoipa::path(get, path = "/api/v1/calls-for-you", tag = "committee",
    responses((status = 200, body = CallsForYou), (status = 401, body = crate::error::Problem)))]
pub async fn calls_for_you(
    State(state): State<AppState>,
    ApiCaller(actor): ApiCaller,
) -> ApiResult<axum::Json<CallsForYou>> {
    let found = state.app.calls_for_you(&actor).await?;
    Ok(axum::Json(CallsForYou {
        eligible: found.eligible.into_iter().map(open_call_dto).collect(),
        not_eligible: found.not_eligible.into_iter().map(open_call_dto).collect(),
    }))
}

#[derive(Deserialize, utoipa::IntoParams)]
pub struct RecommendationsQuery {
    /// How many, 1 to 100 (10 when absent).
    limit: Option<usize>,
}

/// A supplier the directory suggests for a call; every one listed is eligible for it.
#[derive(Serialize, utoipa::ToSchema)]
pub struct Supplier {
    pub organisation_id: i64,
    pub name: String,
    pub relevance: f32,
    /// The matched passage, HTML-escaped with `<mark>` around the matches.
    pub snippet_html: String,
}

fn supplier_dto(r: Recommendation) -> Supplier {
    Supplier {
        organisation_id: r.organisation_id,
        name: r.name,
        relevance: r.relevance,
        snippet_html: r.snippet_html,
    }
}

/// For the buyer side: member organisations eligible for the call, most relevant to its title and
/// description first.
#[utoipa::path(get, path = "/api/v1/calls/{id}/recommendations", tag = "committee",
    params(("id" = i64, Path), RecommendationsQuery),
    responses((status = 200, body = Vec<Supplier>), (status = 401, body = crate::error::Problem),
        (status = 404, body = crate::error::Problem), (status = 422, body = crate::error::Problem)))]
pub async fn recommendations(
    State(state): State<AppState>,
    ApiCaller(actor): ApiCaller,
    Path(id): Path<i64>,
    Query(query): Query<RecommendationsQuery>,
) -> ApiResult<axum::Json<Vec<Supplier>>> {
    let found = state
        .app
        .recommended_suppliers(&actor, id, query.limit.unwrap_or(10))
        .await?;
    Ok(axum::Json(found.into_iter().map(supplier_dto).collect()))
}
