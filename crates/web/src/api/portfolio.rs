//! The qualified-supplier portfolio through the JSON API: the staff's criteria, reviewers,
//! decisions and subscriptions; the applicant's application with its evidence; the reviewers'
//! opinions; the portfolio itself (in full or as a summary, saying which); and listing a supplier
//! from the portfolio on a subscribed buyer's list.

use super::{ApiResult, Json, Path, UPLOAD_BODY_LIMIT};
use crate::brochure_files::{committee_file, path_segment, read_api_file};
use crate::error::ApiError;
use crate::identity::ApiCaller;
use crate::state::AppState;
use app::committee::portfolio::{
    ApplicationSummary, ApplicationView, CriterionInput, DecisionInput, EvidenceInput, OpinionInput,
    PortfolioSummary, PortfolioView, SubscriptionInput, SubscriptionView,
};
use axum::Router;
use axum::extract::multipart::MultipartRejection;
use axum::extract::{DefaultBodyLimit, Multipart, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post, put};
use serde::{Deserialize, Serialize};
use utoipa::OpenApi;

#[derive(OpenApi)]
#[openapi(paths(
    criteria,
    set_criteria,
    applications,
    apply,
    application,
    save_evidence,
    submit,
    withdraw,
    name_reviewers,
    give_opinions,
    decide,
    attach_file,
    file,
    remove_file,
    portfolio,
    subscriptions,
    grant_subscription,
    revoke_subscription,
    list_from_portfolio,
))]
pub(super) struct Doc;

pub(super) fn routes() -> Router<AppState> {
    Router::new()
        .route(
            "/api/v1/clusters/{id}/qualification/criteria",
            get(criteria).put(set_criteria),
        )
        .route(
            "/api/v1/clusters/{id}/qualification/applications",
            get(applications).post(apply),
        )
        .route(
            "/api/v1/qualification/applications/{id}",
            get(application).put(save_evidence),
        )
        .route("/api/v1/qualification/applications/{id}/submit", post(submit))
        .route("/api/v1/qualification/applications/{id}/withdraw", post(withdraw))
        .route(
            "/api/v1/qualification/applications/{id}/reviewers",
            put(name_reviewers),
        )
        .route(
            "/api/v1/qualification/applications/{id}/opinions",
            put(give_opinions),
        )
        .route("/api/v1/qualification/applications/{id}/decision", post(decide))
        .route(
            "/api/v1/qualification/applications/{id}/files",
            post(attach_file).layer(DefaultBodyLimit::max(UPLOAD_BODY_LIMIT)),
        )
        .route(
            "/api/v1/qualification/applications/{id}/files/{name}",
            get(file).delete(remove_file),
        )
        .route("/api/v1/clusters/{id}/portfolio", get(portfolio))
        .route(
            "/api/v1/clusters/{id}/portfolio/subscriptions",
            get(subscriptions).post(grant_subscription),
        )
        .route(
            "/api/v1/clusters/{id}/portfolio/subscriptions/{sid}/revoke",
            post(revoke_subscription),
        )
        .route(
            "/api/v1/clusters/{id}/portfolio/listings",
            post(list_from_portfolio),
        )
}

// ---- bodies and answers -------------------------------------------------------------------------

#[derive(Serialize, utoipa::ToSchema)]
#[schema(as = QualificationCriterion)]
pub struct Criterion {
    pub id: i64,
    pub position: i64,
    pub name: String,
    pub description: String,
    /// False once retired (left out of the list): kept for the evidence given on it.
    pub active: bool,
}

fn criterion_dto(k: store::committee::portfolio::Criterion) -> Criterion {
    Criterion {
        id: k.id,
        position: k.position,
        name: k.name,
        description: k.description,
        active: k.active,
    }
}

/// One criterion to keep (with its `id`) or add (without); those left out are retired.
#[derive(Deserialize, utoipa::ToSchema)]
pub struct CriterionForm {
    #[serde(default)]
    pub id: Option<i64>,
    pub name: String,
    #[serde(default)]
    pub description: String,
}

#[derive(Deserialize, utoipa::ToSchema)]
pub struct CriteriaForm {
    /// The active criteria, in order.
    pub criteria: Vec<CriterionForm>,
}

#[derive(Serialize, utoipa::ToSchema)]
pub struct Application {
    pub id: i64,
    pub cluster_id: i64,
    pub organisation_id: i64,
    pub organisation_name: String,
    /// draft, submitted, under_review, qualified, refused or withdrawn.
    pub state: String,
    /// How the caller stands towards it: staff, applicant or reviewer.
    pub standing: String,
    pub created_at: i64,
    pub submitted_at: Option<i64>,
    pub decided_at: Option<i64>,
    /// With a qualified decision: `YYYY-MM-DD`.
    pub renewal_on: Option<String>,
    /// With a refused decision.
    pub refusal_reason: Option<String>,
}

fn standing_code(standing: app::committee::portfolio::Standing) -> String {
    serde_json::to_value(standing)
        .ok()
        .and_then(|v| v.as_str().map(str::to_owned))
        .unwrap_or_default()
}

fn application_dto(
    a: store::committee::portfolio::Application,
    organisation_name: String,
    standing: app::committee::portfolio::Standing,
) -> Application {
    Application {
        id: a.id,
        cluster_id: a.cluster_id,
        organisation_id: a.organisation_id,
        organisation_name,
        state: a.state,
        standing: standing_code(standing),
        created_at: a.created_at,
        submitted_at: a.submitted_at,
        decided_at: a.decided_at,
        renewal_on: a.renewal_on,
        refusal_reason: a.refusal_reason,
    }
}

fn summary_dto(s: ApplicationSummary) -> Application {
    application_dto(s.application, s.organisation_name, s.standing)
}

#[derive(Serialize, utoipa::ToSchema)]
pub struct Evidence {
    pub criterion_id: i64,
    pub text: String,
    pub updated_at: i64,
}

/// A file backing the evidence for one criterion.
#[derive(Serialize, utoipa::ToSchema)]
pub struct EvidenceFile {
    pub criterion_id: i64,
    /// Sanitised; unique within the application.
    pub file_name: String,
    pub size_bytes: i64,
    /// Recognised from the content.
    pub content_type: String,
    /// SHA-256 of the content, checked on every download.
    pub sha256: String,
    pub added_at: i64,
    pub download: String,
}

fn file_dto(application_id: i64, f: store::committee::portfolio::EvidenceFile) -> EvidenceFile {
    EvidenceFile {
        criterion_id: f.criterion_id,
        download: format!(
            "/api/v1/qualification/applications/{application_id}/files/{}",
            path_segment(&f.file.file_name)
        ),
        file_name: f.file.file_name,
        size_bytes: f.file.size_bytes,
        content_type: f.file.content_type,
        sha256: f.file.file_sha256,
        added_at: f.added_at,
    }
}

/// The multipart form of an evidence file, for the OpenAPI document.
#[derive(utoipa::ToSchema)]
#[allow(dead_code)]
pub struct EvidenceFileForm {
    /// A PDF, PNG, JPEG, DOCX or XLSX file of at most 10 MiB; its name is sanitised.
    #[schema(value_type = String, format = Binary)]
    file: Vec<u8>,
    /// The criterion the file backs.
    criterion_id: i64,
}

#[derive(Serialize, utoipa::ToSchema)]
pub struct Reviewer {
    pub person_id: i64,
    pub name: String,
    pub organisation_name: String,
}

#[derive(Serialize, utoipa::ToSchema)]
pub struct Opinion {
    pub person_id: i64,
    pub criterion_id: i64,
    pub met: bool,
    pub comment: String,
    pub updated_at: i64,
}

fn opinion_dto(o: store::committee::portfolio::Opinion) -> Opinion {
    Opinion {
        person_id: o.person_id,
        criterion_id: o.criterion_id,
        met: o.met,
        comment: o.comment,
        updated_at: o.updated_at,
    }
}

/// An application with what the caller may read of it: reviewers and every opinion for the staff,
/// a reviewer's own opinions, neither for the applicant.
#[derive(Serialize, utoipa::ToSchema)]
pub struct ApplicationDetail {
    pub application: Application,
    pub criteria: Vec<Criterion>,
    pub evidence: Vec<Evidence>,
    pub files: Vec<EvidenceFile>,
    pub reviewers: Vec<Reviewer>,
    pub opinions: Vec<Opinion>,
}

fn detail_dto(v: ApplicationView) -> ApplicationDetail {
    let id = v.application.id;
    ApplicationDetail {
        files: v.files.into_iter().map(|f| file_dto(id, f)).collect(),
        application: application_dto(v.application, v.organisation_name, v.standing),
        criteria: v.criteria.into_iter().map(criterion_dto).collect(),
        evidence: v
            .evidence
            .into_iter()
            .map(|e| Evidence {
                criterion_id: e.criterion_id,
                text: e.text,
                updated_at: e.updated_at,
            })
            .collect(),
        reviewers: v
            .reviewers
            .into_iter()
            .map(|r| Reviewer {
                person_id: r.person_id,
                name: r.name,
                organisation_name: r.organisation_name,
            })
            .collect(),
        opinions: v.opinions.into_iter().map(opinion_dto).collect(),
    }
}

#[derive(Deserialize, utoipa::ToSchema)]
pub struct EvidenceForm {
    pub criterion_id: i64,
    /// Empty clears the evidence for this criterion.
    #[serde(default)]
    pub text: String,
}

#[derive(Deserialize, utoipa::ToSchema)]
pub struct EvidenceListForm {
    pub evidence: Vec<EvidenceForm>,
}

#[derive(Deserialize, utoipa::ToSchema)]
pub struct ReviewersForm {
    /// People of the cluster's member organisations or its staff, not of the applicant; replaces
    /// the previous list.
    pub person_ids: Vec<i64>,
}

#[derive(Serialize, utoipa::ToSchema)]
pub struct Reviewers {
    pub person_ids: Vec<i64>,
}

#[derive(Deserialize, utoipa::ToSchema)]
pub struct OpinionForm {
    pub criterion_id: i64,
    pub met: bool,
    #[serde(default)]
    pub comment: String,
}

#[derive(Deserialize, utoipa::ToSchema)]
pub struct OpinionsForm {
    pub opinions: Vec<OpinionForm>,
}

#[derive(Deserialize, utoipa::ToSchema)]
#[schema(as = QualificationDecisionForm)]
pub struct DecisionForm {
    /// qualified or refused.
    pub outcome: String,
    /// With qualified: `YYYY-MM-DD`, after today.
    #[serde(default)]
    pub renewal_on: String,
    /// With refused: what the applicant is told.
    #[serde(default)]
    pub reason: String,
}

#[derive(Serialize, utoipa::ToSchema)]
pub struct Count {
    pub code: String,
    pub label: String,
    pub count: usize,
}

#[derive(Serialize, utoipa::ToSchema)]
pub struct Summary {
    pub qualified: usize,
    pub by_naf_section: Vec<Count>,
    pub by_region: Vec<Count>,
    pub by_size: Vec<Count>,
}

fn counts(list: Vec<app::committee::portfolio::Count>) -> Vec<Count> {
    list.into_iter()
        .map(|c| Count {
            code: c.code,
            label: c.label,
            count: c.count,
        })
        .collect()
}

fn summary_of(s: PortfolioSummary) -> Summary {
    Summary {
        qualified: s.qualified,
        by_naf_section: counts(s.by_naf_section),
        by_region: counts(s.by_region),
        by_size: counts(s.by_size),
    }
}

#[derive(Serialize, utoipa::ToSchema)]
#[schema(as = QualifiedSupplier)]
pub struct Supplier {
    pub organisation_id: i64,
    pub name: String,
    pub naf_code: String,
    pub region_code: String,
    pub size: Option<String>,
    /// `YYYY-MM-DD`, Paris time.
    pub qualified_on: String,
    pub renewal_on: String,
    /// Criteria a majority of the reviewers' opinions found met.
    pub criteria_met: Vec<String>,
    /// Whether the caller's organisation lists this supplier now.
    pub on_my_list: bool,
}

/// The portfolio: `access` is `full` (staff, subscribers: `suppliers` listed) or `summary` (the
/// rest of the cluster: counts only, `suppliers` absent).
#[derive(Serialize, utoipa::ToSchema)]
pub struct Portfolio {
    pub cluster_id: i64,
    pub access: String,
    pub summary: Summary,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub suppliers: Option<Vec<Supplier>>,
}

fn portfolio_dto(p: PortfolioView) -> Portfolio {
    Portfolio {
        cluster_id: p.cluster_id,
        access: if p.suppliers.is_some() { "full" } else { "summary" }.into(),
        summary: summary_of(p.summary),
        suppliers: p.suppliers.map(|list| {
            list.into_iter()
                .map(|e| Supplier {
                    organisation_id: e.organisation_id,
                    name: e.name,
                    naf_code: e.naf_code,
                    region_code: e.region_code,
                    size: e.size,
                    qualified_on: e.qualified_on,
                    renewal_on: e.renewal_on,
                    criteria_met: e.criteria_met,
                    on_my_list: e.on_my_list,
                })
                .collect()
        }),
    }
}

#[derive(Deserialize, utoipa::ToSchema)]
pub struct SubscriptionForm {
    pub organisation_id: i64,
    /// `YYYY-MM-DD`.
    pub starts_on: String,
    /// `YYYY-MM-DD`, after `starts_on`; the last day of access.
    pub ends_on: String,
}

#[derive(Serialize, utoipa::ToSchema)]
pub struct Subscription {
    pub id: i64,
    pub organisation_id: i64,
    pub organisation_name: String,
    pub starts_on: String,
    pub ends_on: String,
    pub granted_at: i64,
    pub revoked_at: Option<i64>,
    /// In force today.
    pub active: bool,
}

fn subscription_dto(v: SubscriptionView) -> Subscription {
    Subscription {
        id: v.subscription.id,
        organisation_id: v.subscription.organisation_id,
        organisation_name: v.organisation_name,
        starts_on: v.subscription.starts_on,
        ends_on: v.subscription.ends_on,
        granted_at: v.subscription.granted_at,
        revoked_at: v.subscription.revoked_at,
        active: v.active,
    }
}

#[derive(Deserialize, utoipa::ToSchema)]
pub struct ListingForm {
    /// A supplier of the portfolio.
    pub supplier_id: i64,
    #[serde(default)]
    pub note: String,
}

#[derive(Serialize, utoipa::ToSchema)]
#[schema(as = PortfolioListing)]
pub struct Listing {
    pub id: i64,
    pub buyer_id: i64,
    pub supplier_id: i64,
    pub supplier_name: String,
    /// Always `portfolio` here.
    pub origin: String,
    pub listed_at: i64,
}

// ---- handlers -----------------------------------------------------------------------------------

/// The cluster's qualification criteria (anyone of the cluster).
#[utoipa::path(get, path = "/api/v1/clusters/{id}/qualification/criteria", tag = "portfolio",
    params(("id" = i64, Path)),
    responses((status = 200, body = Vec<Criterion>), (status = 401, body = crate::error::Problem),
        (status = 404, body = crate::error::Problem)))]
pub async fn criteria(
    State(state): State<AppState>,
    ApiCaller(actor): ApiCaller,
    Path(id): Path<i64>,
) -> ApiResult<axum::Json<Vec<Criterion>>> {
    let found = state.app.qualification_criteria(&actor, id).await?;
    Ok(axum::Json(found.into_iter().map(criterion_dto).collect()))
}

/// Replaces the active criteria (staff); those left out are retired.
#[utoipa::path(put, path = "/api/v1/clusters/{id}/qualification/criteria", tag = "portfolio",
    params(("id" = i64, Path)), request_body = CriteriaForm,
    responses((status = 200, body = Vec<Criterion>), (status = 401, body = crate::error::Problem),
        (status = 404, body = crate::error::Problem), (status = 422, body = crate::error::Problem)))]
pub async fn set_criteria(
    State(state): State<AppState>,
    ApiCaller(actor): ApiCaller,
    Path(id): Path<i64>,
    Json(form): Json<CriteriaForm>,
) -> ApiResult<axum::Json<Vec<Criterion>>> {
    let inputs: Vec<CriterionInput> = form
        .criteria
        .into_iter()
        .map(|k| CriterionInput {
            id: k.id,
            name: k.name,
            description: k.description,
        })
        .collect();
    let saved = state.app.set_qualification_criteria(&actor, id, &inputs).await?;
    Ok(axum::Json(saved.into_iter().map(criterion_dto).collect()))
}

/// The applications the caller may see: all for the staff, else their organisation's and those
/// they review.
#[utoipa::path(get, path = "/api/v1/clusters/{id}/qualification/applications", tag = "portfolio",
    params(("id" = i64, Path)),
    responses((status = 200, body = Vec<Application>), (status = 401, body = crate::error::Problem),
        (status = 404, body = crate::error::Problem)))]
pub async fn applications(
    State(state): State<AppState>,
    ApiCaller(actor): ApiCaller,
    Path(id): Path<i64>,
) -> ApiResult<axum::Json<Vec<Application>>> {
    let found = state.app.qualification_applications(&actor, id).await?;
    Ok(axum::Json(found.into_iter().map(summary_dto).collect()))
}

/// Opens a draft application for the caller's organisation (one in progress at a time).
#[utoipa::path(post, path = "/api/v1/clusters/{id}/qualification/applications", tag = "portfolio",
    params(("id" = i64, Path)),
    responses((status = 201, body = ApplicationDetail), (status = 401, body = crate::error::Problem),
        (status = 403, body = crate::error::Problem), (status = 404, body = crate::error::Problem),
        (status = 409, body = crate::error::Problem)))]
pub async fn apply(
    State(state): State<AppState>,
    ApiCaller(actor): ApiCaller,
    Path(id): Path<i64>,
) -> ApiResult<(StatusCode, axum::Json<ApplicationDetail>)> {
    let created = state.app.apply_for_qualification(&actor, id).await?;
    let view = state.app.qualification_application(&actor, created.id).await?;
    Ok((StatusCode::CREATED, axum::Json(detail_dto(view))))
}

/// One application: its staff, its applicant and its named reviewers read it; 404 for others.
#[utoipa::path(get, path = "/api/v1/qualification/applications/{id}", tag = "portfolio",
    params(("id" = i64, Path)),
    responses((status = 200, body = ApplicationDetail), (status = 401, body = crate::error::Problem),
        (status = 404, body = crate::error::Problem)))]
pub async fn application(
    State(state): State<AppState>,
    ApiCaller(actor): ApiCaller,
    Path(id): Path<i64>,
) -> ApiResult<axum::Json<ApplicationDetail>> {
    Ok(axum::Json(detail_dto(
        state.app.qualification_application(&actor, id).await?,
    )))
}

/// The applicant saves evidence on its draft, criterion by criterion.
#[utoipa::path(put, path = "/api/v1/qualification/applications/{id}", tag = "portfolio",
    params(("id" = i64, Path)), request_body = EvidenceListForm,
    responses((status = 200, body = ApplicationDetail), (status = 401, body = crate::error::Problem),
        (status = 403, body = crate::error::Problem), (status = 404, body = crate::error::Problem),
        (status = 409, body = crate::error::Problem), (status = 422, body = crate::error::Problem)))]
pub async fn save_evidence(
    State(state): State<AppState>,
    ApiCaller(actor): ApiCaller,
    Path(id): Path<i64>,
    Json(form): Json<EvidenceListForm>,
) -> ApiResult<axum::Json<ApplicationDetail>> {
    let inputs: Vec<EvidenceInput> = form
        .evidence
        .into_iter()
        .map(|e| EvidenceInput {
            criterion_id: e.criterion_id,
            text: e.text,
        })
        .collect();
    Ok(axum::Json(detail_dto(
        state.app.save_qualification_evidence(&actor, id, &inputs).await?,
    )))
}

/// The applicant submits its draft (evidence for every criterion needed).
#[utoipa::path(post, path = "/api/v1/qualification/applications/{id}/submit", tag = "portfolio",
    params(("id" = i64, Path)),
    responses((status = 200, body = ApplicationDetail), (status = 401, body = crate::error::Problem),
        (status = 404, body = crate::error::Problem), (status = 409, body = crate::error::Problem),
        (status = 422, body = crate::error::Problem)))]
pub async fn submit(
    State(state): State<AppState>,
    ApiCaller(actor): ApiCaller,
    Path(id): Path<i64>,
) -> ApiResult<axum::Json<ApplicationDetail>> {
    state.app.submit_qualification(&actor, id).await?;
    Ok(axum::Json(detail_dto(
        state.app.qualification_application(&actor, id).await?,
    )))
}

/// The applicant withdraws an application not yet decided.
#[utoipa::path(post, path = "/api/v1/qualification/applications/{id}/withdraw", tag = "portfolio",
    params(("id" = i64, Path)),
    responses((status = 200, body = ApplicationDetail), (status = 401, body = crate::error::Problem),
        (status = 404, body = crate::error::Problem), (status = 409, body = crate::error::Problem)))]
pub async fn withdraw(
    State(state): State<AppState>,
    ApiCaller(actor): ApiCaller,
    Path(id): Path<i64>,
) -> ApiResult<axum::Json<ApplicationDetail>> {
    state.app.withdraw_qualification(&actor, id).await?;
    Ok(axum::Json(detail_dto(
        state.app.qualification_application(&actor, id).await?,
    )))
}

/// The staff name the reviewers; the application goes under review.
#[utoipa::path(put, path = "/api/v1/qualification/applications/{id}/reviewers", tag = "portfolio",
    params(("id" = i64, Path)), request_body = ReviewersForm,
    responses((status = 200, body = Reviewers), (status = 401, body = crate::error::Problem),
        (status = 404, body = crate::error::Problem), (status = 409, body = crate::error::Problem),
        (status = 422, body = crate::error::Problem)))]
pub async fn name_reviewers(
    State(state): State<AppState>,
    ApiCaller(actor): ApiCaller,
    Path(id): Path<i64>,
    Json(form): Json<ReviewersForm>,
) -> ApiResult<axum::Json<Reviewers>> {
    let person_ids = state
        .app
        .name_qualification_reviewers(&actor, id, &form.person_ids)
        .await?;
    Ok(axum::Json(Reviewers { person_ids }))
}

/// A named reviewer's opinions, criterion by criterion (met or not, with a comment).
#[utoipa::path(put, path = "/api/v1/qualification/applications/{id}/opinions", tag = "portfolio",
    params(("id" = i64, Path)), request_body = OpinionsForm,
    responses((status = 200, body = Vec<Opinion>), (status = 401, body = crate::error::Problem),
        (status = 403, body = crate::error::Problem), (status = 404, body = crate::error::Problem),
        (status = 409, body = crate::error::Problem), (status = 422, body = crate::error::Problem)))]
pub async fn give_opinions(
    State(state): State<AppState>,
    ApiCaller(actor): ApiCaller,
    Path(id): Path<i64>,
    Json(form): Json<OpinionsForm>,
) -> ApiResult<axum::Json<Vec<Opinion>>> {
    let inputs: Vec<OpinionInput> = form
        .opinions
        .into_iter()
        .map(|o| OpinionInput {
            criterion_id: o.criterion_id,
            met: o.met,
            comment: o.comment,
        })
        .collect();
    let mine = state.app.give_qualification_opinions(&actor, id, &inputs).await?;
    Ok(axum::Json(mine.into_iter().map(opinion_dto).collect()))
}

/// The staff's final decision: qualified until a renewal date after today, or refused with a
/// reason; taken once (409 after). The applicant is told by e-mail.
#[utoipa::path(post, path = "/api/v1/qualification/applications/{id}/decision", tag = "portfolio",
    params(("id" = i64, Path)), request_body = DecisionForm,
    responses((status = 200, body = ApplicationDetail), (status = 401, body = crate::error::Problem),
        (status = 403, body = crate::error::Problem), (status = 404, body = crate::error::Problem),
        (status = 409, body = crate::error::Problem), (status = 422, body = crate::error::Problem)))]
pub async fn decide(
    State(state): State<AppState>,
    ApiCaller(actor): ApiCaller,
    Path(id): Path<i64>,
    Json(form): Json<DecisionForm>,
) -> ApiResult<axum::Json<ApplicationDetail>> {
    let input = DecisionInput {
        outcome: form.outcome,
        renewal_on: form.renewal_on,
        reason: form.reason,
    };
    state.app.decide_qualification(&actor, id, &input).await?;
    Ok(axum::Json(detail_dto(
        state.app.qualification_application(&actor, id).await?,
    )))
}

/// The applicant attaches a file to the evidence for one criterion of its draft (multipart:
/// `file`, `criterion_id`): type sniffed from the content, 10 MiB at most, name sanitised.
#[utoipa::path(post, path = "/api/v1/qualification/applications/{id}/files", tag = "portfolio",
    params(("id" = i64, Path)), request_body(content = EvidenceFileForm, content_type = "multipart/form-data"),
    responses((status = 201, body = EvidenceFile), (status = 401, body = crate::error::Problem),
        (status = 404, body = crate::error::Problem), (status = 409, body = crate::error::Problem),
        (status = 413, body = crate::error::Problem), (status = 415, body = crate::error::Problem),
        (status = 422, body = crate::error::Problem)))]
pub async fn attach_file(
    State(state): State<AppState>,
    ApiCaller(actor): ApiCaller,
    Path(id): Path<i64>,
    multipart: Result<Multipart, MultipartRejection>,
) -> Result<(StatusCode, axum::Json<EvidenceFile>), Response> {
    let form = read_api_file(&actor, multipart).await?;
    let criterion_id = form.text("criterion_id").trim().parse::<i64>().map_err(|_| {
        ApiError(app::AppError::invalid(
            "criterion_id",
            "give the criterion the file backs",
        ))
        .into_response()
    })?;
    let attached = state
        .app
        .attach_qualification_file(&actor, id, criterion_id, form.upload)
        .await
        .map_err(|e| ApiError(e).into_response())?;
    Ok((StatusCode::CREATED, axum::Json(file_dto(id, attached))))
}

/// An evidence file, for the staff, the applicant and the named reviewers; its checksum verified.
#[utoipa::path(get, path = "/api/v1/qualification/applications/{id}/files/{name}", tag = "portfolio",
    params(("id" = i64, Path), ("name" = String, Path)),
    responses((status = 200, description = "the file", content_type = "application/octet-stream"),
        (status = 401, body = crate::error::Problem), (status = 404, body = crate::error::Problem)))]
pub async fn file(
    State(state): State<AppState>,
    ApiCaller(actor): ApiCaller,
    Path((id, name)): Path<(i64, String)>,
) -> ApiResult<Response> {
    Ok(committee_file(
        state.app.qualification_file(&actor, id, &name).await?,
    ))
}

/// The applicant removes a file from its draft's evidence.
#[utoipa::path(delete, path = "/api/v1/qualification/applications/{id}/files/{name}", tag = "portfolio",
    params(("id" = i64, Path), ("name" = String, Path)),
    responses((status = 204), (status = 401, body = crate::error::Problem),
        (status = 404, body = crate::error::Problem), (status = 409, body = crate::error::Problem)))]
pub async fn remove_file(
    State(state): State<AppState>,
    ApiCaller(actor): ApiCaller,
    Path((id, name)): Path<(i64, String)>,
) -> ApiResult<StatusCode> {
    state.app.remove_qualification_file(&actor, id, &name).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// The portfolio: in full for the staff and subscribers, its summary for the rest of the cluster.
#[utoipa::path(get, path = "/api/v1/clusters/{id}/portfolio", tag = "portfolio",
    params(("id" = i64, Path)),
    responses((status = 200, body = Portfolio), (status = 401, body = crate::error::Problem),
        (status = 404, body = crate::error::Problem)))]
pub async fn portfolio(
    State(state): State<AppState>,
    ApiCaller(actor): ApiCaller,
    Path(id): Path<i64>,
) -> ApiResult<axum::Json<Portfolio>> {
    Ok(axum::Json(portfolio_dto(state.app.portfolio(&actor, id).await?)))
}

/// The cluster's portfolio subscriptions (staff).
#[utoipa::path(get, path = "/api/v1/clusters/{id}/portfolio/subscriptions", tag = "portfolio",
    params(("id" = i64, Path)),
    responses((status = 200, body = Vec<Subscription>), (status = 401, body = crate::error::Problem),
        (status = 404, body = crate::error::Problem)))]
pub async fn subscriptions(
    State(state): State<AppState>,
    ApiCaller(actor): ApiCaller,
    Path(id): Path<i64>,
) -> ApiResult<axum::Json<Vec<Subscription>>> {
    let found = state.app.portfolio_subscriptions(&actor, id).await?;
    Ok(axum::Json(found.into_iter().map(subscription_dto).collect()))
}

/// Grants a member organisation a subscription (staff).
#[utoipa::path(post, path = "/api/v1/clusters/{id}/portfolio/subscriptions", tag = "portfolio",
    params(("id" = i64, Path)), request_body = SubscriptionForm,
    responses((status = 201, body = Subscription), (status = 401, body = crate::error::Problem),
        (status = 404, body = crate::error::Problem), (status = 422, body = crate::error::Problem)))]
pub async fn grant_subscription(
    State(state): State<AppState>,
    ApiCaller(actor): ApiCaller,
    Path(id): Path<i64>,
    Json(form): Json<SubscriptionForm>,
) -> ApiResult<(StatusCode, axum::Json<Subscription>)> {
    let input = SubscriptionInput {
        organisation_id: form.organisation_id,
        starts_on: form.starts_on,
        ends_on: form.ends_on,
    };
    let granted = state.app.grant_portfolio_subscription(&actor, id, &input).await?;
    Ok((StatusCode::CREATED, axum::Json(subscription_dto(granted))))
}

/// Revokes a subscription (staff); 409 when revoked already.
#[utoipa::path(post, path = "/api/v1/clusters/{id}/portfolio/subscriptions/{sid}/revoke", tag = "portfolio",
    params(("id" = i64, Path), ("sid" = i64, Path)),
    responses((status = 200, body = Subscription), (status = 401, body = crate::error::Problem),
        (status = 404, body = crate::error::Problem), (status = 409, body = crate::error::Problem)))]
pub async fn revoke_subscription(
    State(state): State<AppState>,
    ApiCaller(actor): ApiCaller,
    Path((id, sid)): Path<(i64, i64)>,
) -> ApiResult<axum::Json<Subscription>> {
    let revoked = state.app.revoke_portfolio_subscription(&actor, id, sid).await?;
    Ok(axum::Json(subscription_dto(revoked)))
}

/// A subscribed buyer lists a supplier of the portfolio on its supplier list (origin portfolio).
#[utoipa::path(post, path = "/api/v1/clusters/{id}/portfolio/listings", tag = "portfolio",
    params(("id" = i64, Path)), request_body = ListingForm,
    responses((status = 201, body = Listing), (status = 401, body = crate::error::Problem),
        (status = 403, body = crate::error::Problem), (status = 404, body = crate::error::Problem),
        (status = 409, body = crate::error::Problem), (status = 422, body = crate::error::Problem)))]
pub async fn list_from_portfolio(
    State(state): State<AppState>,
    ApiCaller(actor): ApiCaller,
    Path(id): Path<i64>,
    Json(form): Json<ListingForm>,
) -> ApiResult<(StatusCode, axum::Json<Listing>)> {
    let listing = state
        .app
        .list_from_portfolio(&actor, id, form.supplier_id, &form.note)
        .await?;
    Ok((
        StatusCode::CREATED,
        axum::Json(Listing {
            id: listing.id,
            buyer_id: listing.buyer_id,
            supplier_id: listing.supplier_id,
            supplier_name: listing.supplier_name,
            origin: listing.origin,
            listed_at: listing.listed_at,
        }),
    ))
}
