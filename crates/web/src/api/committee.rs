//! The purchasing committee's core loop: calls for proposals (`/api/v1/clusters/{id}/calls`,
//! `/api/v1/calls/{id}…`) and the caller's organisation's dossier for a call. Times are sent in
//! Paris wall-clock time (`YYYY-MM-DDTHH:MM`) and returned as Unix milliseconds with their Paris
//! reading; dossiers stay sealed to the buyer side until the call closes.

use super::{ApiResult, Json, Path, UPLOAD_BODY_LIMIT};
use crate::brochure_files::{committee_file, path_segment, read_api_file};
use crate::error::ApiError;
use crate::identity::ApiCaller;
use crate::state::AppState;
use app::committee::calls::CallUpdate;
use app::committee::dossiers::SubmissionView;
use app::committee::invitations::InvitedOrganisation;
use app::committee::{CallView, DossierInput, DossierView};
use axum::Router;
use axum::extract::multipart::MultipartRejection;
use axum::extract::{DefaultBodyLimit, Multipart, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::routing::{delete, get, post};
use domain::committee::{CallInput, paris};
use serde::{Deserialize, Serialize};

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/api/v1/clusters/{id}/calls", get(list).post(create))
        .route("/api/v1/calls/{id}", get(get_one).put(update))
        .route("/api/v1/calls/{id}/publish", post(publish))
        .route("/api/v1/calls/{id}/cancel", post(cancel))
        .route("/api/v1/calls/{id}/questions", post(ask))
        .route("/api/v1/calls/{id}/questions/{qid}/answer", post(answer))
        .route("/api/v1/calls/{id}/dossier", get(my_dossier).put(save_dossier))
        .route(
            "/api/v1/calls/{id}/dossier/attachments",
            post(attach).layer(DefaultBodyLimit::max(UPLOAD_BODY_LIMIT)),
        )
        .route(
            "/api/v1/calls/{id}/dossier/attachments/{name}",
            delete(remove_attachment),
        )
        .route("/api/v1/calls/{id}/dossier/submit", post(submit))
        .route("/api/v1/calls/{id}/dossier/withdraw", post(withdraw))
        .route("/api/v1/calls/{id}/dossiers", get(submissions))
        .route(
            "/api/v1/calls/{id}/dossiers/{did}/versions/{version}/files/{name}",
            get(dossier_file),
        )
        .route(
            "/api/v1/calls/{id}/documents",
            post(add_document).layer(DefaultBodyLimit::max(UPLOAD_BODY_LIMIT)),
        )
        .route("/api/v1/calls/{id}/documents/{doc}", get(document))
        .route("/api/v1/calls/{id}/documents/{doc}/remove", post(remove_document))
        .route("/api/v1/calls/{id}/invitations", get(invitations).post(invite))
        .route("/api/v1/calls/{id}/invitations/{org}", delete(uninvite))
}

pub(super) fn paris_ms(ms: i64) -> String {
    jiff::Timestamp::from_millisecond(ms)
        .map(paris::display)
        .unwrap_or_default()
}

/// A call for proposals.
#[derive(Serialize, utoipa::ToSchema)]
pub struct Call {
    pub id: i64,
    pub cluster_id: i64,
    /// The buying organisation.
    pub buyer_id: i64,
    pub title: String,
    pub description: String,
    /// goods, services or works.
    pub category: String,
    /// sme, mid_cap, large; empty: any size.
    pub eligible_sizes: Vec<String>,
    pub required_certifications: Vec<String>,
    /// INSEE region codes; empty: any region.
    pub accepted_regions: Vec<String>,
    /// Unix ms.
    pub opens_at: i64,
    /// Unix ms; a dossier is accepted strictly before this instant.
    pub closes_at: i64,
    /// The closing instant in Paris time, e.g. "2027-01-09 12:00 (Paris time)".
    pub closes_at_paris: String,
    /// public, members or invited.
    pub visibility: String,
    /// draft, published, closed, decided or cancelled.
    pub state: String,
    pub published_at: Option<i64>,
    pub cancel_reason: Option<String>,
}

fn call_dto(c: store::committee::calls::Call) -> Call {
    Call {
        closes_at_paris: paris_ms(c.closes_at),
        id: c.id,
        cluster_id: c.cluster_id,
        buyer_id: c.buyer_id,
        state: c.state,
        published_at: c.published_at,
        cancel_reason: c.cancel_reason,
        title: c.fields.title,
        description: c.fields.description,
        category: c.fields.category,
        eligible_sizes: c.fields.eligible_sizes,
        required_certifications: c.fields.required_certifications,
        accepted_regions: c.fields.accepted_regions,
        opens_at: c.fields.opens_at,
        closes_at: c.fields.closes_at,
        visibility: c.fields.visibility,
    }
}

#[derive(Serialize, utoipa::ToSchema)]
pub struct Lot {
    /// Position in the call, from 1: what a dossier's `lots` name.
    pub position: i64,
    pub name: String,
    pub description: String,
}

#[derive(Serialize, utoipa::ToSchema)]
pub struct Criterion {
    pub name: String,
    pub description: String,
    pub weight: i64,
    /// Marks go from 0 to this (5, 10, 20 or 100).
    pub scale_max: i64,
}

/// A question about a call; who asked is shown to the buyer side only.
#[derive(Serialize, utoipa::ToSchema)]
pub struct Question {
    pub id: i64,
    pub call_id: i64,
    pub organisation_id: Option<i64>,
    pub question: String,
    pub asked_at: i64,
    pub answer: Option<String>,
    pub answered_at: Option<i64>,
}

fn question_dto(q: store::committee::calls::Question) -> Question {
    Question {
        id: q.id,
        call_id: q.call_id,
        organisation_id: q.organisation_id,
        question: q.question,
        asked_at: q.asked_at,
        answer: q.answer,
        answered_at: q.answered_at,
    }
}

#[derive(Serialize, utoipa::ToSchema)]
pub struct Amendment {
    pub text: String,
    pub at: i64,
}

/// A document of a call (specifications, templates), downloadable at `url` by its readers.
#[derive(Serialize, utoipa::ToSchema)]
pub struct Document {
    pub id: i64,
    pub file_name: String,
    /// Recognised from the content.
    pub content_type: String,
    pub size_bytes: i64,
    /// Hex SHA-256 of the content, checked again on download.
    pub sha256: String,
    pub added_at: i64,
    pub url: String,
}

fn document_dto(d: store::committee::calls::CallDocument) -> Document {
    Document {
        url: format!("/api/v1/calls/{}/documents/{}", d.call_id, d.id),
        id: d.id,
        file_name: d.file.file_name,
        content_type: d.file.content_type,
        size_bytes: d.file.size_bytes,
        sha256: d.file.file_sha256,
        added_at: d.added_at,
    }
}

/// A call with its lots, criteria, questions, amendments and documents.
#[derive(Serialize, utoipa::ToSchema)]
pub struct CallDetail {
    pub call: Call,
    pub lots: Vec<Lot>,
    pub criteria: Vec<Criterion>,
    /// The buyer side sees every question; others the answered ones.
    pub questions: Vec<Question>,
    pub amendments: Vec<Amendment>,
    pub documents: Vec<Document>,
    /// Whether the caller is on the buyer side.
    pub can_manage: bool,
    /// Buyer side only: how many dossiers stand submitted.
    pub submitted: Option<i64>,
}

fn detail_dto(v: CallView) -> CallDetail {
    CallDetail {
        call: call_dto(v.call),
        lots: (1..)
            .zip(v.parts.lots)
            .map(|(position, l)| Lot {
                position,
                name: l.name,
                description: l.description,
            })
            .collect(),
        criteria: v
            .parts
            .criteria
            .into_iter()
            .map(|k| Criterion {
                name: k.name,
                description: k.description,
                weight: k.weight,
                scale_max: k.scale_max,
            })
            .collect(),
        questions: v.questions.into_iter().map(question_dto).collect(),
        amendments: v
            .amendments
            .into_iter()
            .map(|a| Amendment {
                text: a.text,
                at: a.at,
            })
            .collect(),
        documents: v.documents.into_iter().map(document_dto).collect(),
        can_manage: v.can_manage,
        submitted: v.submitted,
    }
}

/// A file of a dossier, described; its bytes are kept by content hash.
#[derive(Serialize, utoipa::ToSchema)]
pub struct Attachment {
    pub file_name: String,
    /// Recognised from the content.
    pub content_type: String,
    pub size_bytes: i64,
    /// Hex SHA-256 of the content.
    pub sha256: String,
    /// 0 for the draft, else the submitted version.
    pub version: i64,
    pub added_at: i64,
    /// Where its readers download it.
    pub url: String,
}

fn attachment_dto(call_id: i64, dossier_id: i64, a: store::committee::dossiers::Attachment) -> Attachment {
    Attachment {
        url: format!(
            "/api/v1/calls/{call_id}/dossiers/{dossier_id}/versions/{}/files/{}",
            a.version,
            path_segment(&a.file.file_name)
        ),
        file_name: a.file.file_name,
        content_type: a.file.content_type,
        size_bytes: a.file.size_bytes,
        sha256: a.file.file_sha256,
        version: a.version,
        added_at: a.added_at,
    }
}

/// A submitted version, as sent.
#[derive(Serialize, utoipa::ToSchema)]
pub struct Version {
    pub version: i64,
    pub answer: String,
    pub lots: Vec<i64>,
    pub submitted_at: i64,
}

fn version_dto(v: store::committee::dossiers::DossierVersion) -> Version {
    Version {
        version: v.version,
        answer: v.answer,
        lots: v.lots,
        submitted_at: v.submitted_at,
    }
}

/// The caller's organisation's dossier for a call.
#[derive(Serialize, utoipa::ToSchema)]
pub struct Dossier {
    pub call_id: i64,
    /// None until the first save.
    pub id: Option<i64>,
    /// none (never saved), draft, submitted or withdrawn.
    pub state: String,
    /// The draft's answer.
    pub answer: String,
    /// The draft's lots, by position in the call.
    pub lots: Vec<i64>,
    pub current_version: Option<i64>,
    pub submitted_at: Option<i64>,
    pub withdrawn_at: Option<i64>,
    /// The draft's files.
    pub attachments: Vec<Attachment>,
    /// Every submitted version, newest first.
    pub versions: Vec<Version>,
    /// The files of the submitted versions, each naming its version.
    pub submitted_attachments: Vec<Attachment>,
    pub closes_at_paris: String,
}

fn dossier_dto(v: DossierView) -> Dossier {
    let d = v.dossier;
    let dossier_id = d.as_ref().map_or(0, |d| d.id);
    Dossier {
        call_id: v.call_id,
        id: d.as_ref().map(|d| d.id),
        state: d.as_ref().map_or_else(|| "none".to_owned(), |d| d.state.clone()),
        answer: d.as_ref().map(|d| d.answer.clone()).unwrap_or_default(),
        lots: d.as_ref().map(|d| d.lots.clone()).unwrap_or_default(),
        current_version: d.as_ref().and_then(|d| d.current_version),
        submitted_at: d.as_ref().and_then(|d| d.submitted_at),
        withdrawn_at: d.as_ref().and_then(|d| d.withdrawn_at),
        attachments: v
            .attachments
            .into_iter()
            .map(|a| attachment_dto(v.call_id, dossier_id, a))
            .collect(),
        versions: v.versions.into_iter().map(version_dto).collect(),
        submitted_attachments: v
            .submitted_files
            .into_iter()
            .map(|a| attachment_dto(v.call_id, dossier_id, a))
            .collect(),
        closes_at_paris: v.closes_at_paris,
    }
}

/// A submitted dossier as the buyer side reads it after closing.
#[derive(Serialize, utoipa::ToSchema)]
pub struct Submission {
    pub dossier_id: i64,
    pub organisation_id: i64,
    pub organisation_name: String,
    pub version: Version,
    pub attachments: Vec<Attachment>,
    /// A joint offer from a consortium: its other members, by name; empty for a single candidate.
    pub co_contractors: Vec<String>,
}

fn submission_dto(call_id: i64, s: SubmissionView) -> Submission {
    let dossier_id = s.version.dossier_id;
    Submission {
        dossier_id,
        organisation_id: s.organisation_id,
        organisation_name: s.organisation_name,
        version: version_dto(s.version),
        attachments: s
            .attachments
            .into_iter()
            .map(|a| attachment_dto(call_id, dossier_id, a))
            .collect(),
        co_contractors: s.co_contractors,
    }
}

/// What a buyer writes: see `domain::committee::CallInput`. Times in Paris wall-clock time.
#[derive(Deserialize, utoipa::ToSchema)]
#[allow(dead_code)]
pub struct CallForm {
    title: String,
    description: String,
    /// goods, services or works.
    category: String,
    /// [{name, description}]
    #[schema(value_type = Vec<Object>)]
    lots: Vec<serde_json::Value>,
    /// {sizes: [sme|mid_cap|large], certifications: [..], regions: [INSEE codes]}
    #[schema(value_type = Object)]
    eligibility: serde_json::Value,
    /// [{name, description, weight: "3", scale_max: "5|10|20|100"}]
    #[schema(value_type = Vec<Object>)]
    criteria: Vec<serde_json::Value>,
    /// `YYYY-MM-DDTHH:MM`, Paris time.
    opens_at: String,
    /// `YYYY-MM-DDTHH:MM`, Paris time; a time that does not exist (spring DST gap) is refused.
    closes_at: String,
    /// public, members or invited.
    visibility: String,
    /// On PUT of a published call: what changed (required; candidates are notified).
    amendment: Option<String>,
}

#[derive(Deserialize, utoipa::ToSchema)]
pub struct CancelForm {
    /// Told to the invited and candidate organisations.
    pub reason: String,
}

#[derive(Deserialize, utoipa::ToSchema)]
pub struct QuestionForm {
    pub question: String,
}

#[derive(Deserialize, utoipa::ToSchema)]
pub struct AnswerForm {
    /// Public to everyone who sees the call, once and for all.
    pub answer: String,
}

#[derive(Deserialize, utoipa::ToSchema)]
#[allow(dead_code)]
pub struct DossierForm {
    answer: String,
    /// Lots answered, by position in the call (from 1).
    lots: Vec<i64>,
}

/// The multipart form of an attachment, for the OpenAPI document.
#[derive(utoipa::ToSchema)]
#[allow(dead_code)]
pub struct AttachmentForm {
    /// A PDF, PNG, JPEG, DOCX or XLSX file of at most 10 MiB; its name is sanitised.
    #[schema(value_type = String, format = Binary)]
    file: Vec<u8>,
}

/// The calls of a cluster the caller may see (visitors: public ones), closing soonest first.
#[utoipa::path(get, path = "/api/v1/clusters/{id}/calls", tag = "committee", params(("id" = i64, Path)),
    responses((status = 200, body = Vec<Call>), (status = 404, body = crate::error::Problem)))]
pub async fn list(
    State(state): State<AppState>,
    ApiCaller(actor): ApiCaller,
    Path(id): Path<i64>,
) -> ApiResult<axum::Json<Vec<Call>>> {
    let calls = state.app.calls(&actor, id).await?;
    Ok(axum::Json(calls.into_iter().map(call_dto).collect()))
}

/// Creates a draft call of the caller's organisation (buyers and admins of a member, cluster staff).
#[utoipa::path(post, path = "/api/v1/clusters/{id}/calls", tag = "committee", params(("id" = i64, Path)),
    request_body = CallForm,
    responses((status = 201, body = Call), (status = 401, body = crate::error::Problem),
        (status = 403, body = crate::error::Problem), (status = 422, body = crate::error::Problem)))]
pub async fn create(
    State(state): State<AppState>,
    ApiCaller(actor): ApiCaller,
    Path(id): Path<i64>,
    Json(input): Json<CallInput>,
) -> ApiResult<(StatusCode, axum::Json<Call>)> {
    let call = state.app.create_call(&actor, id, &input).await?;
    Ok((StatusCode::CREATED, axum::Json(call_dto(call))))
}

/// A call with its lots, criteria, public answers and amendments.
#[utoipa::path(get, path = "/api/v1/calls/{id}", tag = "committee", params(("id" = i64, Path)),
    responses((status = 200, body = CallDetail), (status = 401, body = crate::error::Problem),
        (status = 404, body = crate::error::Problem)))]
pub async fn get_one(
    State(state): State<AppState>,
    ApiCaller(actor): ApiCaller,
    Path(id): Path<i64>,
) -> ApiResult<axum::Json<CallDetail>> {
    Ok(axum::Json(detail_dto(state.app.call(&actor, id).await?)))
}

/// Replaces a draft or published call; a published call's edit needs an `amendment`, sent to
/// the candidates.
#[utoipa::path(put, path = "/api/v1/calls/{id}", tag = "committee", params(("id" = i64, Path)),
    request_body = CallForm,
    responses((status = 200, body = Call), (status = 403, body = crate::error::Problem),
        (status = 404, body = crate::error::Problem), (status = 409, body = crate::error::Problem),
        (status = 422, body = crate::error::Problem)))]
pub async fn update(
    State(state): State<AppState>,
    ApiCaller(actor): ApiCaller,
    Path(id): Path<i64>,
    Json(input): Json<CallUpdate>,
) -> ApiResult<axum::Json<Call>> {
    Ok(axum::Json(call_dto(
        state.app.update_call(&actor, id, &input).await?,
    )))
}

/// Publishes a draft call (its closing instant must be ahead).
#[utoipa::path(post, path = "/api/v1/calls/{id}/publish", tag = "committee", params(("id" = i64, Path)),
    responses((status = 200, body = Call), (status = 403, body = crate::error::Problem),
        (status = 404, body = crate::error::Problem), (status = 409, body = crate::error::Problem)))]
pub async fn publish(
    State(state): State<AppState>,
    ApiCaller(actor): ApiCaller,
    Path(id): Path<i64>,
) -> ApiResult<axum::Json<Call>> {
    Ok(axum::Json(call_dto(state.app.publish_call(&actor, id).await?)))
}

/// Cancels a call with a reason; invited and candidate organisations are told by e-mail.
#[utoipa::path(post, path = "/api/v1/calls/{id}/cancel", tag = "committee", params(("id" = i64, Path)),
    request_body = CancelForm,
    responses((status = 200, body = Call), (status = 403, body = crate::error::Problem),
        (status = 404, body = crate::error::Problem), (status = 409, body = crate::error::Problem),
        (status = 422, body = crate::error::Problem)))]
pub async fn cancel(
    State(state): State<AppState>,
    ApiCaller(actor): ApiCaller,
    Path(id): Path<i64>,
    Json(form): Json<CancelForm>,
) -> ApiResult<axum::Json<Call>> {
    Ok(axum::Json(call_dto(
        state.app.cancel_call(&actor, id, &form.reason).await?,
    )))
}

/// Asks the buyer a question about a published call; the answer will be public.
#[utoipa::path(post, path = "/api/v1/calls/{id}/questions", tag = "committee", params(("id" = i64, Path)),
    request_body = QuestionForm,
    responses((status = 201, body = Question), (status = 401, body = crate::error::Problem),
        (status = 404, body = crate::error::Problem), (status = 409, body = crate::error::Problem),
        (status = 422, body = crate::error::Problem)))]
pub async fn ask(
    State(state): State<AppState>,
    ApiCaller(actor): ApiCaller,
    Path(id): Path<i64>,
    Json(form): Json<QuestionForm>,
) -> ApiResult<(StatusCode, axum::Json<Question>)> {
    let question = state.app.ask_question(&actor, id, &form.question).await?;
    Ok((StatusCode::CREATED, axum::Json(question_dto(question))))
}

/// Answers a question, once; the answer is shown to everyone who sees the call.
#[utoipa::path(post, path = "/api/v1/calls/{id}/questions/{qid}/answer", tag = "committee",
    params(("id" = i64, Path), ("qid" = i64, Path)), request_body = AnswerForm,
    responses((status = 200, body = Question), (status = 403, body = crate::error::Problem),
        (status = 404, body = crate::error::Problem), (status = 409, body = crate::error::Problem),
        (status = 422, body = crate::error::Problem)))]
pub async fn answer(
    State(state): State<AppState>,
    ApiCaller(actor): ApiCaller,
    Path((id, qid)): Path<(i64, i64)>,
    Json(form): Json<AnswerForm>,
) -> ApiResult<axum::Json<Question>> {
    let question = state.app.answer_question(&actor, id, qid, &form.answer).await?;
    Ok(axum::Json(question_dto(question)))
}

/// The caller's organisation's dossier for the call: draft, files and submitted versions.
#[utoipa::path(get, path = "/api/v1/calls/{id}/dossier", tag = "committee", params(("id" = i64, Path)),
    responses((status = 200, body = Dossier), (status = 401, body = crate::error::Problem),
        (status = 404, body = crate::error::Problem)))]
pub async fn my_dossier(
    State(state): State<AppState>,
    ApiCaller(actor): ApiCaller,
    Path(id): Path<i64>,
) -> ApiResult<axum::Json<Dossier>> {
    Ok(axum::Json(dossier_dto(state.app.my_dossier(&actor, id).await?)))
}

/// Saves the draft (eligible candidates, while the call is open); submitted versions are untouched.
#[utoipa::path(put, path = "/api/v1/calls/{id}/dossier", tag = "committee", params(("id" = i64, Path)),
    request_body = DossierForm,
    responses((status = 200, body = Dossier), (status = 401, body = crate::error::Problem),
        (status = 403, body = crate::error::Problem), (status = 404, body = crate::error::Problem),
        (status = 409, body = crate::error::Problem), (status = 422, body = crate::error::Problem)))]
pub async fn save_dossier(
    State(state): State<AppState>,
    ApiCaller(actor): ApiCaller,
    Path(id): Path<i64>,
    Json(input): Json<DossierInput>,
) -> ApiResult<axum::Json<Dossier>> {
    Ok(axum::Json(dossier_dto(
        state.app.save_dossier(&actor, id, &input).await?,
    )))
}

/// Adds a file to the draft: PDF, PNG, JPEG, DOCX or XLSX (recognised from the content), at
/// most 10 MiB; its name is reduced to a safe base name.
#[utoipa::path(post, path = "/api/v1/calls/{id}/dossier/attachments", tag = "committee",
    params(("id" = i64, Path)),
    request_body(content = inline(AttachmentForm), content_type = "multipart/form-data"),
    responses((status = 201, body = Attachment), (status = 401, body = crate::error::Problem),
        (status = 404, body = crate::error::Problem), (status = 409, body = crate::error::Problem),
        (status = 413, body = crate::error::Problem), (status = 415, body = crate::error::Problem),
        (status = 422, body = crate::error::Problem)))]
pub async fn attach(
    State(state): State<AppState>,
    ApiCaller(actor): ApiCaller,
    Path(id): Path<i64>,
    multipart: Result<Multipart, MultipartRejection>,
) -> Result<(StatusCode, axum::Json<Attachment>), Response> {
    let form = read_api_file(&actor, multipart).await?;
    let added = state
        .app
        .attach_to_dossier(&actor, id, form.upload)
        .await
        .map_err(|e| ApiError(e).into_response())?;
    Ok((
        StatusCode::CREATED,
        axum::Json(attachment_dto(id, added.dossier_id, added.attachment)),
    ))
}

/// Submits the draft as a new version, strictly before the closing instant; a late submission
/// is refused (409) naming the closing instant in Paris time, and the draft is kept.
#[utoipa::path(post, path = "/api/v1/calls/{id}/dossier/submit", tag = "committee",
    params(("id" = i64, Path)),
    responses((status = 200, body = Dossier), (status = 401, body = crate::error::Problem),
        (status = 404, body = crate::error::Problem), (status = 409, body = crate::error::Problem),
        (status = 422, body = crate::error::Problem)))]
pub async fn submit(
    State(state): State<AppState>,
    ApiCaller(actor): ApiCaller,
    Path(id): Path<i64>,
) -> ApiResult<axum::Json<Dossier>> {
    Ok(axum::Json(dossier_dto(
        state.app.submit_dossier(&actor, id).await?,
    )))
}

/// Withdraws the submitted dossier while the call is open; its versions stay in the history.
#[utoipa::path(post, path = "/api/v1/calls/{id}/dossier/withdraw", tag = "committee",
    params(("id" = i64, Path)),
    responses((status = 200, body = Dossier), (status = 401, body = crate::error::Problem),
        (status = 404, body = crate::error::Problem), (status = 409, body = crate::error::Problem)))]
pub async fn withdraw(
    State(state): State<AppState>,
    ApiCaller(actor): ApiCaller,
    Path(id): Path<i64>,
) -> ApiResult<axum::Json<Dossier>> {
    Ok(axum::Json(dossier_dto(
        state.app.withdraw_dossier(&actor, id).await?,
    )))
}

/// The submitted dossiers of a call, for its buyer side once the call has closed; "not found"
/// while they are sealed and for everyone else.
#[utoipa::path(get, path = "/api/v1/calls/{id}/dossiers", tag = "committee", params(("id" = i64, Path)),
    responses((status = 200, body = Vec<Submission>), (status = 401, body = crate::error::Problem),
        (status = 404, body = crate::error::Problem)))]
pub async fn submissions(
    State(state): State<AppState>,
    ApiCaller(actor): ApiCaller,
    Path(id): Path<i64>,
) -> ApiResult<axum::Json<Vec<Submission>>> {
    let submissions = state.app.submissions(&actor, id).await?;
    Ok(axum::Json(
        submissions.into_iter().map(|s| submission_dto(id, s)).collect(),
    ))
}

/// Removes a file from the caller's draft while the call is open; submitted versions keep theirs.
#[utoipa::path(delete, path = "/api/v1/calls/{id}/dossier/attachments/{name}", tag = "committee",
    params(("id" = i64, Path), ("name" = String, Path, description = "The file's name, URL-encoded")),
    responses((status = 200, body = Dossier), (status = 401, body = crate::error::Problem),
        (status = 404, body = crate::error::Problem), (status = 409, body = crate::error::Problem)))]
pub async fn remove_attachment(
    State(state): State<AppState>,
    ApiCaller(actor): ApiCaller,
    Path((id, name)): Path<(i64, String)>,
) -> ApiResult<axum::Json<Dossier>> {
    Ok(axum::Json(dossier_dto(
        state.app.remove_dossier_attachment(&actor, id, &name).await?,
    )))
}

/// One file of a dossier (`version` 0: the draft), as an attachment, after checking it still
/// matches its SHA-256. Its own organisation reads every version; the buyer side and the named
/// evaluators the version standing submitted, once the call has closed; anyone else gets 404.
#[utoipa::path(get, path = "/api/v1/calls/{id}/dossiers/{did}/versions/{version}/files/{name}",
    tag = "committee",
    params(("id" = i64, Path), ("did" = i64, Path), ("version" = i64, Path),
        ("name" = String, Path, description = "The file's name, URL-encoded")),
    responses((status = 200, description = "The file's bytes", content_type = "application/octet-stream"),
        (status = 401, body = crate::error::Problem), (status = 404, body = crate::error::Problem)))]
pub async fn dossier_file(
    State(state): State<AppState>,
    ApiCaller(actor): ApiCaller,
    Path((id, did, version, name)): Path<(i64, i64, i64, String)>,
) -> ApiResult<Response> {
    let file = state.app.dossier_file(&actor, id, did, version, &name).await?;
    Ok(committee_file(file))
}

/// The multipart form of a call's document, for the OpenAPI document.
#[derive(utoipa::ToSchema)]
#[allow(dead_code)]
pub struct DocumentForm {
    /// A PDF, PNG, JPEG, DOCX or XLSX file of at most 10 MiB; its name is sanitised.
    #[schema(value_type = String, format = Binary)]
    file: Vec<u8>,
    /// Required once the call is published: what the document changes (candidates are e-mailed).
    amendment: Option<String>,
}

/// Adds a document to a call (buyer side) while it is a draft, or — with an `amendment` — while
/// it is published and open; after closing the documents are final (409).
#[utoipa::path(post, path = "/api/v1/calls/{id}/documents", tag = "committee",
    params(("id" = i64, Path)),
    request_body(content = inline(DocumentForm), content_type = "multipart/form-data"),
    responses((status = 201, body = Document), (status = 401, body = crate::error::Problem),
        (status = 403, body = crate::error::Problem), (status = 404, body = crate::error::Problem),
        (status = 409, body = crate::error::Problem), (status = 413, body = crate::error::Problem),
        (status = 415, body = crate::error::Problem), (status = 422, body = crate::error::Problem)))]
pub async fn add_document(
    State(state): State<AppState>,
    ApiCaller(actor): ApiCaller,
    Path(id): Path<i64>,
    multipart: Result<Multipart, MultipartRejection>,
) -> Result<(StatusCode, axum::Json<Document>), Response> {
    let form = read_api_file(&actor, multipart).await?;
    let amendment = form.text("amendment").to_owned();
    let document = state
        .app
        .add_call_document(&actor, id, form.upload, &amendment)
        .await
        .map_err(|e| ApiError(e).into_response())?;
    Ok((StatusCode::CREATED, axum::Json(document_dto(document))))
}

/// A call's document, for everyone who may read the call, checked against its SHA-256.
#[utoipa::path(get, path = "/api/v1/calls/{id}/documents/{doc}", tag = "committee",
    params(("id" = i64, Path), ("doc" = i64, Path)),
    responses((status = 200, description = "The file's bytes", content_type = "application/octet-stream"),
        (status = 401, body = crate::error::Problem), (status = 404, body = crate::error::Problem)))]
pub async fn document(
    State(state): State<AppState>,
    ApiCaller(actor): ApiCaller,
    Path((id, doc)): Path<(i64, i64)>,
) -> ApiResult<Response> {
    Ok(committee_file(state.app.call_document(&actor, id, doc).await?))
}

#[derive(Deserialize, utoipa::ToSchema)]
pub struct RemoveDocumentForm {
    /// Required once the call is published: why the document goes (candidates are e-mailed).
    #[serde(default)]
    pub amendment: String,
}

/// Removes a document from a call: freely while a draft, with an `amendment` while published
/// and open, never after closing (409).
#[utoipa::path(post, path = "/api/v1/calls/{id}/documents/{doc}/remove", tag = "committee",
    params(("id" = i64, Path), ("doc" = i64, Path)), request_body = RemoveDocumentForm,
    responses((status = 204), (status = 401, body = crate::error::Problem),
        (status = 403, body = crate::error::Problem), (status = 404, body = crate::error::Problem),
        (status = 409, body = crate::error::Problem), (status = 422, body = crate::error::Problem)))]
pub async fn remove_document(
    State(state): State<AppState>,
    ApiCaller(actor): ApiCaller,
    Path((id, doc)): Path<(i64, i64)>,
    Json(form): Json<RemoveDocumentForm>,
) -> ApiResult<StatusCode> {
    state
        .app
        .remove_call_document(&actor, id, doc, &form.amendment)
        .await?;
    Ok(StatusCode::NO_CONTENT)
}

/// An organisation invited to a call.
#[derive(Serialize, utoipa::ToSchema)]
pub struct Invitation {
    pub organisation_id: i64,
    pub name: String,
    pub invited_at: i64,
}

fn invitation_dto(i: InvitedOrganisation) -> Invitation {
    Invitation {
        organisation_id: i.organisation_id,
        name: i.name,
        invited_at: i.invited_at,
    }
}

#[derive(Deserialize, utoipa::ToSchema)]
pub struct InviteForm {
    /// A member organisation of the call's cluster, other than the buyer.
    pub organisation_id: i64,
}

/// The organisations invited to a call, for its buyer side.
#[utoipa::path(get, path = "/api/v1/calls/{id}/invitations", tag = "committee",
    params(("id" = i64, Path)),
    responses((status = 200, body = Vec<Invitation>), (status = 401, body = crate::error::Problem),
        (status = 403, body = crate::error::Problem), (status = 404, body = crate::error::Problem)))]
pub async fn invitations(
    State(state): State<AppState>,
    ApiCaller(actor): ApiCaller,
    Path(id): Path<i64>,
) -> ApiResult<axum::Json<Vec<Invitation>>> {
    let found = state.app.call_invitations(&actor, id).await?;
    Ok(axum::Json(found.into_iter().map(invitation_dto).collect()))
}

/// Invites a member organisation of the call's cluster before the call closes (201; 200 when it
/// already was). Its people are e-mailed, now or when the call is published, and see the call
/// among their calls for you. The buyer itself or a non-member: 422; an unknown id: 404.
#[utoipa::path(post, path = "/api/v1/calls/{id}/invitations", tag = "committee",
    params(("id" = i64, Path)), request_body = InviteForm,
    responses((status = 201, body = Invitation), (status = 200, body = Invitation),
        (status = 401, body = crate::error::Problem), (status = 403, body = crate::error::Problem),
        (status = 404, body = crate::error::Problem), (status = 409, body = crate::error::Problem),
        (status = 422, body = crate::error::Problem)))]
pub async fn invite(
    State(state): State<AppState>,
    ApiCaller(actor): ApiCaller,
    Path(id): Path<i64>,
    Json(form): Json<InviteForm>,
) -> ApiResult<(StatusCode, axum::Json<Invitation>)> {
    let invited = state.app.invite_to_call(&actor, id, form.organisation_id).await?;
    let status = if invited.created {
        StatusCode::CREATED
    } else {
        StatusCode::OK
    };
    Ok((status, axum::Json(invitation_dto(invited.invitation))))
}

/// Withdraws an invitation before the call closes.
#[utoipa::path(delete, path = "/api/v1/calls/{id}/invitations/{org}", tag = "committee",
    params(("id" = i64, Path), ("org" = i64, Path)),
    responses((status = 204), (status = 401, body = crate::error::Problem),
        (status = 403, body = crate::error::Problem), (status = 404, body = crate::error::Problem),
        (status = 409, body = crate::error::Problem)))]
pub async fn uninvite(
    State(state): State<AppState>,
    ApiCaller(actor): ApiCaller,
    Path((id, org)): Path<(i64, i64)>,
) -> ApiResult<StatusCode> {
    state.app.uninvite_from_call(&actor, id, org).await?;
    Ok(StatusCode::NO_CONTENT)
}
