//! Partner pools through the JSON API: opportunities, proposed teams, consortia and their workspace, the joint dossier.

use super::{ApiResult, Json, Path, Query, UPLOAD_BODY_LIMIT};
use crate::brochure_files::{committee_file, read_api_file};
use crate::error::ApiError;
use crate::identity::ApiCaller;
use crate::state::AppState;
use app::committee::DossierInput;
use app::consortia::{
    self as area, FormInput, LotInput, MyConsortium, OpportunityInput, OpportunitySummary, OpportunityView,
    RequirementView, TeamQuery, TeamsView, WorkspaceView,
};
use axum::Router;
use axum::extract::multipart::MultipartRejection;
use axum::extract::{DefaultBodyLimit, Multipart, State};
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use serde::{Deserialize, Serialize};
use utoipa::OpenApi;

#[derive(OpenApi)]
#[openapi(paths(
    list_opportunities,
    enter_opportunity,
    opportunity,
    edit_opportunity,
    teams,
    form_consortium,
    my_consortia,
    workspace,
    invitation,
    answer,
    invite,
    hand_lead,
    post_message,
    attach_document,
    document,
    submit_joint_dossier,
))]
pub(super) struct Doc;

pub(super) fn routes() -> Router<AppState> {
    Router::new()
        .route(
            "/api/v1/clusters/{id}/opportunities",
            get(list_opportunities).post(enter_opportunity),
        )
        .route(
            "/api/v1/opportunities/{id}",
            get(opportunity).put(edit_opportunity),
        )
        .route("/api/v1/opportunities/{id}/teams", get(teams))
        .route("/api/v1/opportunities/{id}/consortia", post(form_consortium))
        .route("/api/v1/consortia", get(my_consortia))
        .route("/api/v1/consortia/{id}", get(workspace))
        .route("/api/v1/consortia/{id}/invitation", get(invitation).post(answer))
        .route("/api/v1/consortia/{id}/invitations", post(invite))
        .route("/api/v1/consortia/{id}/lead", post(hand_lead))
        .route("/api/v1/consortia/{id}/messages", post(post_message))
        .route(
            "/api/v1/consortia/{id}/documents",
            post(attach_document).layer(DefaultBodyLimit::max(UPLOAD_BODY_LIMIT)),
        )
        .route("/api/v1/consortia/{id}/documents/{name}", get(document))
        .route("/api/v1/consortia/{id}/joint-dossier", post(submit_joint_dossier))
}

/// Labels follow the caller's Accept-Language (French unless English comes first).
fn locale(headers: &HeaderMap) -> &'static str {
    let accept = headers.get(header::ACCEPT_LANGUAGE).and_then(|v| v.to_str().ok());
    crate::i18n::negotiate(None, None, accept).locale
}

// ---- bodies and answers -------------------------------------------------------------------------

/// One lot: its requirements as capability codes (the directory's vocabulary), certification
/// names and INSEE region codes; at least one requirement per lot.
#[derive(Deserialize, Serialize, utoipa::ToSchema, Default)]
#[serde(default)]
pub struct LotForm {
    /// Empty: the linked call's lot at the same position, or "Lot n".
    pub name: String,
    pub min_headcount: i64,
    pub capabilities: Vec<String>,
    pub certifications: Vec<String>,
    pub regions: Vec<String>,
}

/// An opportunity: `call_id` for one of the cluster's published calls (title, buyer and deadline
/// are then the call's), otherwise an external tender (title, buyer, deadline required).
#[derive(Deserialize, utoipa::ToSchema, Default)]
#[serde(default)]
pub struct OpportunityForm {
    pub call_id: Option<i64>,
    pub title: String,
    pub buyer: String,
    pub url: String,
    /// `YYYY-MM-DDTHH:MM`, Paris time.
    pub deadline: String,
    pub description: String,
    pub lots: Vec<LotForm>,
}

impl From<OpportunityForm> for OpportunityInput {
    fn from(f: OpportunityForm) -> Self {
        OpportunityInput {
            call_id: f.call_id,
            title: f.title,
            buyer: f.buyer,
            url: f.url,
            deadline: f.deadline,
            description: f.description,
            lots: f
                .lots
                .into_iter()
                .map(|l| LotInput {
                    name: l.name,
                    min_headcount: l.min_headcount,
                    capabilities: l.capabilities,
                    certifications: l.certifications,
                    regions: l.regions,
                })
                .collect(),
        }
    }
}

#[derive(Serialize, utoipa::ToSchema)]
pub struct Requirement {
    /// Its index among the opportunity's requirements, lot by lot.
    pub index: usize,
    pub lot_position: i64,
    /// capability, certification or region.
    pub kind: String,
    pub code: String,
    pub label: String,
}

fn requirement_dto(r: RequirementView) -> Requirement {
    Requirement {
        index: r.index,
        lot_position: r.lot_position,
        kind: r.kind,
        code: r.code,
        label: r.label,
    }
}

#[derive(Serialize, utoipa::ToSchema)]
#[schema(as = OpportunityLot)]
pub struct Lot {
    pub position: i64,
    pub name: String,
    pub min_headcount: i64,
}

#[derive(Serialize, utoipa::ToSchema)]
pub struct Opportunity {
    pub id: i64,
    pub cluster_id: i64,
    /// Set when the opportunity is one of the cluster's calls.
    pub call_id: Option<i64>,
    pub title: String,
    pub buyer: String,
    pub url: String,
    pub description: String,
    /// Unix ms.
    pub deadline_at: Option<i64>,
    pub deadline_paris: Option<String>,
    pub organisation_id: i64,
}

fn opportunity_dto(o: store::consortia::Opportunity, deadline_paris: Option<String>) -> Opportunity {
    Opportunity {
        id: o.id,
        cluster_id: o.cluster_id,
        call_id: o.fields.call_id,
        title: o.fields.title,
        buyer: o.fields.buyer,
        url: o.fields.url,
        description: o.fields.description,
        deadline_at: o.fields.deadline_at,
        deadline_paris,
        organisation_id: o.organisation_id,
    }
}

#[derive(Serialize, utoipa::ToSchema)]
pub struct OpportunityDetail {
    #[serde(flatten)]
    pub opportunity: Opportunity,
    pub entered_by: String,
    pub call_state: Option<String>,
    pub lots: Vec<Lot>,
    pub requirements: Vec<Requirement>,
    pub editable: bool,
    /// Consortia for it that the caller's organisation is in or invited to.
    pub my_consortia: Vec<i64>,
}

fn detail_dto(v: OpportunityView) -> OpportunityDetail {
    OpportunityDetail {
        opportunity: opportunity_dto(v.opportunity, v.deadline_paris),
        entered_by: v.entered_by,
        call_state: v.call_state,
        lots: v
            .lots
            .into_iter()
            .map(|l| Lot {
                position: l.position,
                name: l.name,
                min_headcount: l.min_headcount,
            })
            .collect(),
        requirements: v.requirements.into_iter().map(requirement_dto).collect(),
        editable: v.editable,
        my_consortia: v.my_consortia.into_iter().map(|c| c.id).collect(),
    }
}

fn summary_dto(s: OpportunitySummary) -> Opportunity {
    opportunity_dto(s.opportunity, s.deadline_paris)
}

#[derive(Deserialize, utoipa::IntoParams)]
pub struct TeamParams {
    /// At most this many members per team, 1 to 8 (4 when absent); anything else is 422 on `k`.
    #[param(value_type = Option<i64>)]
    k: Option<String>,
    /// Teams with a large account or an ETI able to lead first.
    #[serde(default)]
    prefer_lead: bool,
}

#[derive(Serialize, utoipa::ToSchema)]
pub struct TeamMember {
    pub organisation_id: i64,
    pub name: String,
    pub size: Option<String>,
    pub headcount: i64,
    pub can_lead: bool,
    /// The proposed lead (mandataire).
    pub lead: bool,
    /// Indexes of the requirements it covers.
    pub covers: Vec<usize>,
}

#[derive(Serialize, utoipa::ToSchema)]
pub struct Team {
    pub rank: usize,
    pub members: Vec<TeamMember>,
    pub cost: u64,
    pub headcount: u64,
    /// For each requirement (by index), the names of the members covering it.
    pub cover: Vec<Vec<String>>,
}

#[derive(Serialize, utoipa::ToSchema)]
pub struct Teams {
    pub k: usize,
    pub prefer_lead: bool,
    pub min_headcount: i64,
    pub requirements: Vec<Requirement>,
    pub teams: Vec<Team>,
    /// Requirements no member covers: with any, there is no team.
    pub uncovered: Vec<Requirement>,
    pub exact: bool,
}

fn teams_dto(v: TeamsView) -> Teams {
    Teams {
        k: v.k,
        prefer_lead: v.prefer_lead,
        min_headcount: v.min_headcount,
        requirements: v.requirements.into_iter().map(requirement_dto).collect(),
        teams: v
            .teams
            .into_iter()
            .map(|t| Team {
                rank: t.rank,
                members: t
                    .members
                    .into_iter()
                    .map(|m| TeamMember {
                        organisation_id: m.organisation_id,
                        name: m.name,
                        size: m.size,
                        headcount: m.headcount,
                        can_lead: m.can_lead,
                        lead: m.lead,
                        covers: m.covers,
                    })
                    .collect(),
                cost: t.cost,
                headcount: t.headcount,
                cover: t.cover,
            })
            .collect(),
        uncovered: v.uncovered.into_iter().map(requirement_dto).collect(),
        exact: v.exact,
    }
}

#[derive(Deserialize, utoipa::ToSchema, Default)]
#[serde(default)]
pub struct ConsortiumForm {
    /// Empty: "Groupement — <opportunity>".
    pub name: String,
    /// Member organisations of the cluster to invite (e.g. a proposed team's).
    pub members: Vec<i64>,
}

#[derive(Serialize, utoipa::ToSchema)]
pub struct Created {
    pub id: i64,
}

#[derive(Serialize, utoipa::ToSchema)]
pub struct ConsortiumLine {
    pub id: i64,
    pub opportunity_id: i64,
    pub name: String,
    pub opportunity_title: String,
    pub lead_organisation_id: i64,
    pub lead_name: String,
    /// The caller's organisation's state: invited or accepted.
    pub state: String,
}

fn line_dto(m: MyConsortium) -> ConsortiumLine {
    ConsortiumLine {
        id: m.consortium.id,
        opportunity_id: m.consortium.opportunity_id,
        name: m.consortium.name,
        opportunity_title: m.opportunity_title,
        lead_organisation_id: m.consortium.lead_organisation_id,
        lead_name: m.lead_name,
        state: m.state,
    }
}

#[derive(Serialize, utoipa::ToSchema)]
pub struct Member {
    pub organisation_id: i64,
    pub name: String,
    /// lead, member, invited or declined.
    pub role: String,
    pub covers: Vec<usize>,
}

#[derive(Serialize, utoipa::ToSchema)]
pub struct Message {
    pub id: i64,
    pub organisation_id: i64,
    pub organisation_name: String,
    pub author: String,
    pub body: String,
    pub posted_at: i64,
}

#[derive(Serialize, utoipa::ToSchema)]
#[schema(as = ConsortiumDocument)]
pub struct Document {
    pub file_name: String,
    pub size_bytes: i64,
    pub content_type: String,
    pub file_sha256: String,
    pub organisation_name: String,
    pub added_at: i64,
}

#[derive(Serialize, utoipa::ToSchema)]
pub struct JointDossier {
    pub call_id: i64,
    pub lead_organisation_id: i64,
    pub submitted_at: i64,
    pub members: Vec<String>,
    /// submitted (it stands), withdrawn, or replaced (the lead submitted again alone since).
    pub status: String,
}

#[derive(Serialize, utoipa::ToSchema)]
pub struct Workspace {
    pub id: i64,
    pub name: String,
    pub opportunity: Opportunity,
    pub lead_organisation_id: i64,
    pub lead_name: String,
    pub leading: bool,
    pub members: Vec<Member>,
    pub requirements: Vec<Requirement>,
    pub uncovered: Vec<Requirement>,
    pub messages: Vec<Message>,
    pub documents: Vec<Document>,
    pub joint_dossiers: Vec<JointDossier>,
}

fn workspace_dto(v: WorkspaceView) -> Workspace {
    Workspace {
        id: v.consortium.id,
        name: v.consortium.name,
        opportunity: opportunity_dto(v.opportunity, None),
        lead_organisation_id: v.consortium.lead_organisation_id,
        lead_name: v.lead_name,
        leading: v.leading,
        members: v
            .members
            .into_iter()
            .map(|m| Member {
                organisation_id: m.member.organisation_id,
                name: m.name,
                role: m.role,
                covers: m.covers,
            })
            .collect(),
        requirements: v.requirements.into_iter().map(requirement_dto).collect(),
        uncovered: v.uncovered.into_iter().map(requirement_dto).collect(),
        messages: v
            .messages
            .into_iter()
            .map(|m| Message {
                id: m.message.id,
                organisation_id: m.message.organisation_id,
                organisation_name: m.organisation_name,
                author: m.author,
                body: m.message.body,
                posted_at: m.message.posted_at,
            })
            .collect(),
        documents: v.documents.into_iter().map(document_dto).collect(),
        joint_dossiers: v
            .joint_dossiers
            .into_iter()
            .map(|j| JointDossier {
                call_id: j.joint.call_id,
                lead_organisation_id: j.joint.lead_organisation_id,
                submitted_at: j.joint.submitted_at,
                members: j.members,
                status: j.status,
            })
            .collect(),
    }
}

fn document_dto(d: area::DocumentView) -> Document {
    Document {
        file_name: d.document.file.file_name,
        size_bytes: d.document.file.size_bytes,
        content_type: d.document.file.content_type,
        file_sha256: d.document.file.file_sha256,
        organisation_name: d.organisation_name,
        added_at: d.document.added_at,
    }
}

#[derive(Serialize, utoipa::ToSchema)]
#[schema(as = ConsortiumInvitation)]
pub struct Invitation {
    pub id: i64,
    pub name: String,
    pub opportunity_id: i64,
    pub opportunity_title: String,
    pub lead_name: String,
    /// invited, accepted or declined.
    pub state: String,
}

#[derive(Deserialize, utoipa::ToSchema)]
#[schema(as = InvitationAnswerForm)]
pub struct AnswerForm {
    pub accept: bool,
}

#[derive(Deserialize, utoipa::ToSchema)]
pub struct OrganisationForm {
    pub organisation_id: i64,
}

#[derive(Deserialize, utoipa::ToSchema)]
pub struct MessageForm {
    pub body: String,
}

/// Multipart: one `file` (PDF, PNG, JPEG, DOCX or XLSX, 10 MiB at most).
#[derive(utoipa::ToSchema)]
#[allow(dead_code)]
#[schema(as = ConsortiumDocumentForm)]
pub struct DocumentForm {
    #[schema(value_type = String, format = Binary)]
    file: Vec<u8>,
}

/// The joint dossier: an answer and lots (positions in the call, from 1) saved to the lead's draft
/// before submitting; an empty answer submits the draft as it stands.
#[derive(Deserialize, utoipa::ToSchema, Default)]
#[serde(default)]
pub struct JointDossierForm {
    pub answer: String,
    pub lots: Vec<i64>,
}

#[derive(Serialize, utoipa::ToSchema)]
pub struct Submitted {
    pub call_id: i64,
    pub dossier_id: Option<i64>,
    pub state: Option<String>,
    pub version: Option<i64>,
}

// ---- handlers -----------------------------------------------------------------------------------

/// The cluster's opportunities (linked calls only for those who may see the call).
#[utoipa::path(get, path = "/api/v1/clusters/{id}/opportunities", tag = "consortia",
    params(("id" = i64, Path)),
    responses((status = 200, body = Vec<Opportunity>), (status = 401, body = crate::error::Problem),
        (status = 404, body = crate::error::Problem)))]
pub async fn list_opportunities(
    State(state): State<AppState>,
    ApiCaller(actor): ApiCaller,
    Path(id): Path<i64>,
) -> ApiResult<axum::Json<Vec<Opportunity>>> {
    let found = state.app.opportunities(&actor, id).await?;
    Ok(axum::Json(found.into_iter().map(summary_dto).collect()))
}

/// Enters an opportunity (a call of the cluster, or an external tender) with its lots.
#[utoipa::path(post, path = "/api/v1/clusters/{id}/opportunities", tag = "consortia",
    params(("id" = i64, Path)), request_body = OpportunityForm,
    responses((status = 201, body = OpportunityDetail), (status = 401, body = crate::error::Problem),
        (status = 403, body = crate::error::Problem), (status = 404, body = crate::error::Problem),
        (status = 422, body = crate::error::Problem)))]
pub async fn enter_opportunity(
    State(state): State<AppState>,
    ApiCaller(actor): ApiCaller,
    headers: HeaderMap,
    Path(id): Path<i64>,
    Json(form): Json<OpportunityForm>,
) -> ApiResult<(StatusCode, axum::Json<OpportunityDetail>)> {
    let created = state.app.enter_opportunity(&actor, id, &form.into()).await?;
    let view = state.app.opportunity(&actor, created, locale(&headers)).await?;
    Ok((StatusCode::CREATED, axum::Json(detail_dto(view))))
}

#[utoipa::path(get, path = "/api/v1/opportunities/{id}", tag = "consortia",
    params(("id" = i64, Path)),
    responses((status = 200, body = OpportunityDetail), (status = 401, body = crate::error::Problem),
        (status = 404, body = crate::error::Problem)))]
pub async fn opportunity(
    State(state): State<AppState>,
    ApiCaller(actor): ApiCaller,
    headers: HeaderMap,
    Path(id): Path<i64>,
) -> ApiResult<axum::Json<OpportunityDetail>> {
    Ok(axum::Json(detail_dto(
        state.app.opportunity(&actor, id, locale(&headers)).await?,
    )))
}

/// Rewrites an opportunity: its entering organisation and the cluster's staff.
#[utoipa::path(put, path = "/api/v1/opportunities/{id}", tag = "consortia",
    params(("id" = i64, Path)), request_body = OpportunityForm,
    responses((status = 200, body = OpportunityDetail), (status = 401, body = crate::error::Problem),
        (status = 403, body = crate::error::Problem), (status = 404, body = crate::error::Problem),
        (status = 422, body = crate::error::Problem)))]
pub async fn edit_opportunity(
    State(state): State<AppState>,
    ApiCaller(actor): ApiCaller,
    headers: HeaderMap,
    Path(id): Path<i64>,
    Json(form): Json<OpportunityForm>,
) -> ApiResult<axum::Json<OpportunityDetail>> {
    state.app.edit_opportunity(&actor, id, &form.into()).await?;
    Ok(axum::Json(detail_dto(
        state.app.opportunity(&actor, id, locale(&headers)).await?,
    )))
}

/// Ranked teams of at most k members covering every requirement, who covers what, and the
/// requirements nobody covers.
#[utoipa::path(get, path = "/api/v1/opportunities/{id}/teams", tag = "consortia",
    params(("id" = i64, Path), TeamParams),
    responses((status = 200, body = Teams), (status = 401, body = crate::error::Problem),
        (status = 404, body = crate::error::Problem), (status = 422, body = crate::error::Problem)))]
pub async fn teams(
    State(state): State<AppState>,
    ApiCaller(actor): ApiCaller,
    headers: HeaderMap,
    Path(id): Path<i64>,
    Query(params): Query<TeamParams>,
) -> ApiResult<axum::Json<Teams>> {
    // Not a number: out of range, refused on `k` by the use-case once the caller may read the
    // opportunity (so nobody learns it exists from a 422).
    let k = match params.k.as_deref().map(str::trim) {
        None | Some("") => None,
        Some(text) => Some(text.parse::<i64>().unwrap_or(0)),
    };
    let query = TeamQuery {
        k,
        prefer_lead: params.prefer_lead,
    };
    Ok(axum::Json(teams_dto(
        state
            .app
            .propose_teams(&actor, id, query, locale(&headers))
            .await?,
    )))
}

/// Forms a consortium led by the caller's organisation and invites the listed members.
#[utoipa::path(post, path = "/api/v1/opportunities/{id}/consortia", tag = "consortia",
    params(("id" = i64, Path)), request_body = ConsortiumForm,
    responses((status = 201, body = Created), (status = 401, body = crate::error::Problem),
        (status = 403, body = crate::error::Problem), (status = 404, body = crate::error::Problem),
        (status = 422, body = crate::error::Problem)))]
pub async fn form_consortium(
    State(state): State<AppState>,
    ApiCaller(actor): ApiCaller,
    Path(id): Path<i64>,
    Json(form): Json<ConsortiumForm>,
) -> ApiResult<(StatusCode, axum::Json<Created>)> {
    let input = FormInput {
        name: form.name,
        members: form.members,
    };
    let created = state.app.form_consortium(&actor, id, &input).await?;
    Ok((StatusCode::CREATED, axum::Json(Created { id: created })))
}

/// The consortia the caller's organisation is in or invited to.
#[utoipa::path(get, path = "/api/v1/consortia", tag = "consortia",
    responses((status = 200, body = Vec<ConsortiumLine>), (status = 401, body = crate::error::Problem)))]
pub async fn my_consortia(
    State(state): State<AppState>,
    ApiCaller(actor): ApiCaller,
) -> ApiResult<axum::Json<Vec<ConsortiumLine>>> {
    let found = state.app.my_consortia(&actor).await?;
    Ok(axum::Json(found.into_iter().map(line_dto).collect()))
}

/// The private workspace: accepted members only; anyone else (staff included) finds nothing.
#[utoipa::path(get, path = "/api/v1/consortia/{id}", tag = "consortia",
    params(("id" = i64, Path)),
    responses((status = 200, body = Workspace), (status = 401, body = crate::error::Problem),
        (status = 404, body = crate::error::Problem)))]
pub async fn workspace(
    State(state): State<AppState>,
    ApiCaller(actor): ApiCaller,
    headers: HeaderMap,
    Path(id): Path<i64>,
) -> ApiResult<axum::Json<Workspace>> {
    Ok(axum::Json(workspace_dto(
        state
            .app
            .consortium_workspace(&actor, id, locale(&headers))
            .await?,
    )))
}

/// The caller's organisation's invitation to the consortium.
#[utoipa::path(get, path = "/api/v1/consortia/{id}/invitation", tag = "consortia",
    params(("id" = i64, Path)),
    responses((status = 200, body = Invitation), (status = 401, body = crate::error::Problem),
        (status = 404, body = crate::error::Problem)))]
pub async fn invitation(
    State(state): State<AppState>,
    ApiCaller(actor): ApiCaller,
    Path(id): Path<i64>,
) -> ApiResult<axum::Json<Invitation>> {
    let v = state.app.consortium_invitation(&actor, id).await?;
    Ok(axum::Json(Invitation {
        id: v.consortium.id,
        name: v.consortium.name,
        opportunity_id: v.opportunity.id,
        opportunity_title: v.opportunity.fields.title,
        lead_name: v.lead_name,
        state: v.state,
    }))
}

/// Accepts or declines the caller's organisation's pending invitation.
#[utoipa::path(post, path = "/api/v1/consortia/{id}/invitation", tag = "consortia",
    params(("id" = i64, Path)), request_body = AnswerForm,
    responses((status = 204), (status = 401, body = crate::error::Problem),
        (status = 404, body = crate::error::Problem), (status = 409, body = crate::error::Problem)))]
pub async fn answer(
    State(state): State<AppState>,
    ApiCaller(actor): ApiCaller,
    Path(id): Path<i64>,
    Json(form): Json<AnswerForm>,
) -> ApiResult<StatusCode> {
    state
        .app
        .answer_consortium_invitation(&actor, id, form.accept)
        .await?;
    Ok(StatusCode::NO_CONTENT)
}

/// Invites one more member organisation of the cluster: the lead.
#[utoipa::path(post, path = "/api/v1/consortia/{id}/invitations", tag = "consortia",
    params(("id" = i64, Path)), request_body = OrganisationForm,
    responses((status = 204), (status = 401, body = crate::error::Problem),
        (status = 403, body = crate::error::Problem), (status = 404, body = crate::error::Problem),
        (status = 409, body = crate::error::Problem), (status = 422, body = crate::error::Problem)))]
pub async fn invite(
    State(state): State<AppState>,
    ApiCaller(actor): ApiCaller,
    Path(id): Path<i64>,
    Json(form): Json<OrganisationForm>,
) -> ApiResult<StatusCode> {
    state
        .app
        .invite_to_consortium(&actor, id, form.organisation_id)
        .await?;
    Ok(StatusCode::NO_CONTENT)
}

/// Hands the lead (mandataire) to another accepted member: the lead.
#[utoipa::path(post, path = "/api/v1/consortia/{id}/lead", tag = "consortia",
    params(("id" = i64, Path)), request_body = OrganisationForm,
    responses((status = 204), (status = 401, body = crate::error::Problem),
        (status = 403, body = crate::error::Problem), (status = 404, body = crate::error::Problem),
        (status = 422, body = crate::error::Problem)))]
pub async fn hand_lead(
    State(state): State<AppState>,
    ApiCaller(actor): ApiCaller,
    Path(id): Path<i64>,
    Json(form): Json<OrganisationForm>,
) -> ApiResult<StatusCode> {
    state
        .app
        .hand_consortium_lead(&actor, id, form.organisation_id)
        .await?;
    Ok(StatusCode::NO_CONTENT)
}

/// Posts a text message in the workspace (4,000 characters at most).
#[utoipa::path(post, path = "/api/v1/consortia/{id}/messages", tag = "consortia",
    params(("id" = i64, Path)), request_body = MessageForm,
    responses((status = 201, body = Message), (status = 401, body = crate::error::Problem),
        (status = 404, body = crate::error::Problem), (status = 422, body = crate::error::Problem)))]
pub async fn post_message(
    State(state): State<AppState>,
    ApiCaller(actor): ApiCaller,
    Path(id): Path<i64>,
    Json(form): Json<MessageForm>,
) -> ApiResult<(StatusCode, axum::Json<Message>)> {
    let m = state.app.post_consortium_message(&actor, id, &form.body).await?;
    Ok((
        StatusCode::CREATED,
        axum::Json(Message {
            id: m.message.id,
            organisation_id: m.message.organisation_id,
            organisation_name: m.organisation_name,
            author: m.author,
            body: m.message.body,
            posted_at: m.message.posted_at,
        }),
    ))
}

/// Adds a document to the workspace: type sniffed from the content, 10 MiB at most.
#[utoipa::path(post, path = "/api/v1/consortia/{id}/documents", tag = "consortia",
    params(("id" = i64, Path)), request_body(content = DocumentForm, content_type = "multipart/form-data"),
    responses((status = 201, body = Document), (status = 401, body = crate::error::Problem),
        (status = 404, body = crate::error::Problem), (status = 409, body = crate::error::Problem),
        (status = 413, body = crate::error::Problem), (status = 415, body = crate::error::Problem),
        (status = 422, body = crate::error::Problem)))]
pub async fn attach_document(
    State(state): State<AppState>,
    ApiCaller(actor): ApiCaller,
    Path(id): Path<i64>,
    multipart: Result<Multipart, MultipartRejection>,
) -> Result<(StatusCode, axum::Json<Document>), Response> {
    let form = read_api_file(&actor, multipart).await?;
    let document = state
        .app
        .attach_consortium_document(&actor, id, form.upload)
        .await
        .map_err(|e| ApiError(e).into_response())?;
    Ok((StatusCode::CREATED, axum::Json(document_dto(document))))
}

/// A workspace document, checksum verified; members only.
#[utoipa::path(get, path = "/api/v1/consortia/{id}/documents/{name}", tag = "consortia",
    params(("id" = i64, Path), ("name" = String, Path)),
    responses((status = 200, description = "the file", content_type = "application/octet-stream"),
        (status = 401, body = crate::error::Problem), (status = 404, body = crate::error::Problem)))]
pub async fn document(
    State(state): State<AppState>,
    ApiCaller(actor): ApiCaller,
    Path((id, name)): Path<(i64, String)>,
) -> ApiResult<Response> {
    Ok(committee_file(
        state.app.consortium_document(&actor, id, &name).await?,
    ))
}

/// The lead submits the joint dossier to the opportunity's call, before its closing instant.
#[utoipa::path(post, path = "/api/v1/consortia/{id}/joint-dossier", tag = "consortia",
    params(("id" = i64, Path)), request_body = JointDossierForm,
    responses((status = 200, body = Submitted), (status = 401, body = crate::error::Problem),
        (status = 403, body = crate::error::Problem), (status = 404, body = crate::error::Problem),
        (status = 409, body = crate::error::Problem), (status = 422, body = crate::error::Problem)))]
pub async fn submit_joint_dossier(
    State(state): State<AppState>,
    ApiCaller(actor): ApiCaller,
    Path(id): Path<i64>,
    Json(form): Json<JointDossierForm>,
) -> ApiResult<axum::Json<Submitted>> {
    let input = DossierInput {
        answer: form.answer,
        lots: form.lots,
    };
    let view = state.app.submit_joint_dossier(&actor, id, &input).await?;
    Ok(axum::Json(Submitted {
        call_id: view.call_id,
        dossier_id: view.dossier.as_ref().map(|d| d.id),
        state: view.dossier.as_ref().map(|d| d.state.clone()),
        version: view.dossier.as_ref().and_then(|d| d.current_version),
    }))
}
