//! The committee's calendar and reading material: large accounts' purchasing policies
//! (`/api/v1/clusters/{id}/purchasing-policies`, `/api/v1/organisations/{id}/purchasing-policy`),
//! committee sessions with their presenters and attached calls (`/api/v1/…/committee-sessions`,
//! `/api/v1/calls/{id}/session`) and a call's audit trail for its buyer side
//! (`/api/v1/calls/{id}/audit`). Times are typed in Paris wall-clock time and returned as Unix
//! milliseconds with their Paris reading.

use super::{ApiResult, Json, Path};
use crate::error::Problem;
use crate::identity::ApiCaller;
use crate::state::AppState;
use app::committee::audit_trail::TrailEntry;
use app::committee::policies::{ListedPolicy, PolicyInput, PolicyView};
use app::committee::sessions::{SessionInput, SessionView};
use app::{AppError, FieldError};
use axum::Router;
use axum::extract::State;
use axum::http::StatusCode;
use axum::routing::{get, put};
use serde::{Deserialize, Serialize};
use utoipa::OpenApi;

#[derive(OpenApi)]
#[openapi(
    paths(
        cluster_policies,
        get_policy,
        save_policy,
        list_sessions,
        create_session,
        get_session,
        update_session,
        set_presenters,
        attach_call,
        call_audit
    ),
    components(schemas(PolicyInput, SessionInput, FieldError, Problem))
)]
pub(super) struct Doc;

pub(super) fn routes() -> Router<AppState> {
    Router::new()
        .route("/api/v1/clusters/{id}/purchasing-policies", get(cluster_policies))
        .route(
            "/api/v1/organisations/{id}/purchasing-policy",
            get(get_policy).put(save_policy),
        )
        .route(
            "/api/v1/clusters/{id}/committee-sessions",
            get(list_sessions).post(create_session),
        )
        .route(
            "/api/v1/committee-sessions/{id}",
            get(get_session).put(update_session),
        )
        .route("/api/v1/committee-sessions/{id}/presenters", put(set_presenters))
        .route("/api/v1/calls/{id}/session", put(attach_call))
        .route("/api/v1/calls/{id}/audit", get(call_audit))
}

use super::committee::paris_ms;

// ---- purchasing policies ----------------------------------------------------------------------

/// An organisation's purchasing policy.
#[derive(Serialize, utoipa::ToSchema)]
pub struct Policy {
    pub organisation_id: i64,
    pub organisation_name: String,
    pub buys: String,
    pub innovation_priorities: String,
    pub how_to_get_listed: String,
    pub contacts: String,
    pub commitments: String,
    /// False while it is a draft, seen by its editors only.
    pub published: bool,
    /// Unix ms.
    pub updated_at: i64,
    /// Whether the caller may edit it.
    pub can_edit: bool,
}

fn policy_dto(
    organisation_name: String,
    policy: store::committee::policies::Policy,
    can_edit: bool,
) -> Policy {
    Policy {
        organisation_id: policy.organisation_id,
        organisation_name,
        published: policy.is_published(),
        updated_at: policy.updated_at,
        buys: policy.fields.buys,
        innovation_priorities: policy.fields.innovation_priorities,
        how_to_get_listed: policy.fields.how_to_get_listed,
        contacts: policy.fields.contacts,
        commitments: policy.fields.commitments,
        can_edit,
    }
}

fn view_dto(view: PolicyView) -> ApiResult<Policy> {
    let policy = view.policy.ok_or(AppError::NotFound("purchasing policy"))?;
    Ok(policy_dto(view.organisation_name, policy, view.can_edit))
}

/// The published purchasing policies of a cluster's members, most recently updated first (its
/// registry participants and staff).
#[utoipa::path(get, path = "/api/v1/clusters/{id}/purchasing-policies", tag = "committee",
    params(("id" = i64, Path)),
    responses((status = 200, body = Vec<Policy>), (status = 401, body = Problem),
        (status = 404, body = Problem)))]
pub async fn cluster_policies(
    State(state): State<AppState>,
    ApiCaller(actor): ApiCaller,
    Path(id): Path<i64>,
) -> ApiResult<axum::Json<Vec<Policy>>> {
    let policies = state.app.purchasing_policies(&actor, id).await?;
    Ok(axum::Json(
        policies
            .into_iter()
            .map(
                |ListedPolicy {
                     organisation_name,
                     policy,
                 }| policy_dto(organisation_name, policy, false),
            )
            .collect(),
    ))
}

/// An organisation's purchasing policy: published, for the committee of its clusters; a draft,
/// for its editors only. "Not found" when there is none the caller may read.
#[utoipa::path(get, path = "/api/v1/organisations/{id}/purchasing-policy", tag = "committee",
    params(("id" = i64, Path)),
    responses((status = 200, body = Policy), (status = 401, body = Problem), (status = 404, body = Problem)))]
pub async fn get_policy(
    State(state): State<AppState>,
    ApiCaller(actor): ApiCaller,
    Path(id): Path<i64>,
) -> ApiResult<axum::Json<Policy>> {
    Ok(axum::Json(view_dto(
        state.app.purchasing_policy(&actor, id).await?,
    )?))
}

/// Saves the organisation's policy as a draft (`published: false`) or published; publishing
/// needs `buys`, `how_to_get_listed` and `contacts`. Its buyers and admins, and cluster staff.
#[utoipa::path(put, path = "/api/v1/organisations/{id}/purchasing-policy", tag = "committee",
    params(("id" = i64, Path)), request_body = PolicyInput,
    responses((status = 200, body = Policy), (status = 401, body = Problem), (status = 403, body = Problem),
        (status = 404, body = Problem), (status = 422, body = Problem)))]
pub async fn save_policy(
    State(state): State<AppState>,
    ApiCaller(actor): ApiCaller,
    Path(id): Path<i64>,
    Json(input): Json<PolicyInput>,
) -> ApiResult<axum::Json<Policy>> {
    Ok(axum::Json(view_dto(
        state.app.save_purchasing_policy(&actor, id, &input).await?,
    )?))
}

// ---- committee sessions -----------------------------------------------------------------------

/// A buyer presenting at a session.
#[derive(Serialize, utoipa::ToSchema)]
pub struct Presenter {
    pub organisation_id: i64,
    pub name: String,
}

/// A call attached to a session (only those the caller may see are listed).
#[derive(Serialize, utoipa::ToSchema)]
pub struct SessionCall {
    pub id: i64,
    pub buyer_id: i64,
    pub title: String,
    /// draft, published, closed, decided or cancelled.
    pub state: String,
    /// Unix ms.
    pub closes_at: i64,
    pub closes_at_paris: String,
}

/// A committee session: presentation, dossiers due, decision meeting.
#[derive(Serialize, utoipa::ToSchema)]
pub struct Session {
    pub id: i64,
    pub cluster_id: i64,
    pub title: String,
    /// Unix ms.
    pub presentation_at: i64,
    pub presentation_at_paris: String,
    pub dossiers_due_at: i64,
    pub dossiers_due_at_paris: String,
    pub decision_at: i64,
    pub decision_at_paris: String,
    /// In speaking order.
    pub presenters: Vec<Presenter>,
    pub calls: Vec<SessionCall>,
    /// Whether the caller may edit it.
    pub can_manage: bool,
}

fn session_dto(view: SessionView) -> Session {
    let s = view.session;
    Session {
        id: s.id,
        cluster_id: s.cluster_id,
        presentation_at_paris: paris_ms(s.fields.presentation_at),
        dossiers_due_at_paris: paris_ms(s.fields.dossiers_due_at),
        decision_at_paris: paris_ms(s.fields.decision_at),
        presentation_at: s.fields.presentation_at,
        dossiers_due_at: s.fields.dossiers_due_at,
        decision_at: s.fields.decision_at,
        title: s.fields.title,
        presenters: view
            .presenters
            .into_iter()
            .map(|p| Presenter {
                organisation_id: p.organisation_id,
                name: p.name,
            })
            .collect(),
        calls: view
            .calls
            .into_iter()
            .map(|c| SessionCall {
                id: c.id,
                buyer_id: c.buyer_id,
                closes_at_paris: paris_ms(c.fields.closes_at),
                closes_at: c.fields.closes_at,
                title: c.fields.title,
                state: c.state,
            })
            .collect(),
        can_manage: view.can_manage,
    }
}

/// The presenting organisations, in speaking order.
#[derive(Deserialize, utoipa::ToSchema)]
pub struct PresentersForm {
    /// Organisation ids, each a member of the session's cluster, none twice.
    pub organisations: Vec<i64>,
}

/// The session to attach a call to.
#[derive(Deserialize, utoipa::ToSchema)]
pub struct SessionChoice {
    /// A session of the call's cluster; null detaches the call.
    pub session_id: Option<i64>,
}

/// Where a call now stands.
#[derive(Serialize, utoipa::ToSchema)]
pub struct CallSession {
    pub call_id: i64,
    pub session_id: Option<i64>,
}

/// A cluster's committee sessions, latest presentation first (its registry participants and staff).
#[utoipa::path(get, path = "/api/v1/clusters/{id}/committee-sessions", tag = "committee",
    params(("id" = i64, Path)),
    responses((status = 200, body = Vec<Session>), (status = 401, body = Problem), (status = 404, body = Problem)))]
pub async fn list_sessions(
    State(state): State<AppState>,
    ApiCaller(actor): ApiCaller,
    Path(id): Path<i64>,
) -> ApiResult<axum::Json<Vec<Session>>> {
    let sessions = state.app.committee_sessions(&actor, id).await?;
    Ok(axum::Json(sessions.into_iter().map(session_dto).collect()))
}

/// Schedules a session (the cluster's staff). Times are Paris wall-clock (`YYYY-MM-DDTHH:MM`);
/// presentation ≤ dossiers due ≤ decision.
#[utoipa::path(post, path = "/api/v1/clusters/{id}/committee-sessions", tag = "committee",
    params(("id" = i64, Path)), request_body = SessionInput,
    responses((status = 201, body = Session), (status = 401, body = Problem), (status = 403, body = Problem),
        (status = 404, body = Problem), (status = 422, body = Problem)))]
pub async fn create_session(
    State(state): State<AppState>,
    ApiCaller(actor): ApiCaller,
    Path(id): Path<i64>,
    Json(input): Json<SessionInput>,
) -> ApiResult<(StatusCode, axum::Json<Session>)> {
    let session = state.app.create_committee_session(&actor, id, &input).await?;
    let view = state.app.committee_session(&actor, session.id).await?;
    Ok((StatusCode::CREATED, axum::Json(session_dto(view))))
}

/// One session with its presenters and the attached calls the caller may see.
#[utoipa::path(get, path = "/api/v1/committee-sessions/{id}", tag = "committee",
    params(("id" = i64, Path)),
    responses((status = 200, body = Session), (status = 401, body = Problem), (status = 404, body = Problem)))]
pub async fn get_session(
    State(state): State<AppState>,
    ApiCaller(actor): ApiCaller,
    Path(id): Path<i64>,
) -> ApiResult<axum::Json<Session>> {
    Ok(axum::Json(session_dto(
        state.app.committee_session(&actor, id).await?,
    )))
}

/// Reschedules or renames a session (the cluster's staff).
#[utoipa::path(put, path = "/api/v1/committee-sessions/{id}", tag = "committee",
    params(("id" = i64, Path)), request_body = SessionInput,
    responses((status = 200, body = Session), (status = 401, body = Problem), (status = 403, body = Problem),
        (status = 404, body = Problem), (status = 422, body = Problem)))]
pub async fn update_session(
    State(state): State<AppState>,
    ApiCaller(actor): ApiCaller,
    Path(id): Path<i64>,
    Json(input): Json<SessionInput>,
) -> ApiResult<axum::Json<Session>> {
    state.app.update_committee_session(&actor, id, &input).await?;
    Ok(axum::Json(session_dto(
        state.app.committee_session(&actor, id).await?,
    )))
}

/// Replaces the presenting buyers, in speaking order (the cluster's staff).
#[utoipa::path(put, path = "/api/v1/committee-sessions/{id}/presenters", tag = "committee",
    params(("id" = i64, Path)), request_body = PresentersForm,
    responses((status = 200, body = Session), (status = 401, body = Problem), (status = 403, body = Problem),
        (status = 404, body = Problem), (status = 422, body = Problem)))]
pub async fn set_presenters(
    State(state): State<AppState>,
    ApiCaller(actor): ApiCaller,
    Path(id): Path<i64>,
    Json(form): Json<PresentersForm>,
) -> ApiResult<axum::Json<Session>> {
    Ok(axum::Json(session_dto(
        state
            .app
            .set_session_presenters(&actor, id, &form.organisations)
            .await?,
    )))
}

/// Attaches a call to a session of its cluster, or detaches it with `null` (the cluster's staff).
#[utoipa::path(put, path = "/api/v1/calls/{id}/session", tag = "committee",
    params(("id" = i64, Path)), request_body = SessionChoice,
    responses((status = 200, body = CallSession), (status = 401, body = Problem), (status = 403, body = Problem),
        (status = 404, body = Problem), (status = 422, body = Problem)))]
pub async fn attach_call(
    State(state): State<AppState>,
    ApiCaller(actor): ApiCaller,
    Path(id): Path<i64>,
    Json(choice): Json<SessionChoice>,
) -> ApiResult<axum::Json<CallSession>> {
    let call = state
        .app
        .attach_call_to_session(&actor, id, choice.session_id)
        .await?;
    Ok(axum::Json(CallSession {
        call_id: call.id,
        session_id: call.session_id,
    }))
}

// ---- audit trail ------------------------------------------------------------------------------

/// One recorded change of a call, its questions, dossiers or decisions.
#[derive(Serialize, utoipa::ToSchema)]
pub struct AuditEntry {
    /// Unix ms.
    pub at: i64,
    pub at_paris: String,
    /// e.g. create, publish, amend, answer, submit, withdraw, decide.
    pub action: String,
    /// call, call_question, dossier or dossier_decision.
    pub entity: String,
    pub entity_id: i64,
    /// Who made it; null while a dossier is sealed.
    pub actor_name: Option<String>,
    #[schema(value_type = Option<Object>)]
    pub before: Option<serde_json::Value>,
    #[schema(value_type = Option<Object>)]
    pub after: Option<serde_json::Value>,
    /// True when the details are withheld because the dossiers are still sealed.
    pub sealed: bool,
}

fn audit_dto(e: TrailEntry) -> AuditEntry {
    AuditEntry {
        at_paris: paris_ms(e.at),
        at: e.at,
        action: e.action,
        entity: e.entity,
        entity_id: e.entity_id,
        actor_name: e.actor_name,
        before: e.before,
        after: e.after,
        sealed: e.sealed,
    }
}

/// A call's audit trail, newest first, for its buyer side; candidates' drafts never show and
/// sealed dossiers show only what happened and when. "Not found" for everyone else.
#[utoipa::path(get, path = "/api/v1/calls/{id}/audit", tag = "committee", params(("id" = i64, Path)),
    responses((status = 200, body = Vec<AuditEntry>), (status = 401, body = Problem),
        (status = 404, body = Problem)))]
pub async fn call_audit(
    State(state): State<AppState>,
    ApiCaller(actor): ApiCaller,
    Path(id): Path<i64>,
) -> ApiResult<axum::Json<Vec<AuditEntry>>> {
    let trail = state.app.call_audit_trail(&actor, id).await?;
    Ok(axum::Json(trail.into_iter().map(audit_dto).collect()))
}
