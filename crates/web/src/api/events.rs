//! Matchmaking events, meeting requests, the schedule and agendas: `/api/v1/…events…`.

use super::{ApiResult, Json, Path, Query};
use crate::identity::ApiCaller;
use crate::state::AppState;
use app::meetings::scheduling::MoveInput;
use app::meetings::suggestions::DEFAULT_SUGGESTIONS;
use app::meetings::{EventInput, GuestInput, Outcomes, Preview, ProfileInput, RequestInput, Suggestion};
use axum::Router;
use axum::extract::State;
use axum::http::StatusCode;
use axum::routing::{get, post};
use serde::{Deserialize, Serialize};

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/api/v1/clusters/{cluster_id}/events", get(list).post(create))
        .route("/api/v1/events/{id}", get(get_one))
        .route("/api/v1/events/{id}/registrations", post(register))
        .route(
            "/api/v1/events/{id}/requests",
            get(my_requests).post(send_request),
        )
        .route("/api/v1/events/{id}/requests/{request_id}/accept", post(accept))
        .route("/api/v1/events/{id}/requests/{request_id}/decline", post(decline))
        .route("/api/v1/events/{id}/requests/{request_id}/cancel", post(cancel))
        .route("/api/v1/events/{id}/schedule", get(preview).post(generate))
        .route(
            "/api/v1/events/{id}/meetings/{meeting_id}/move",
            post(move_meeting),
        )
        .route("/api/v1/events/{id}/publish", post(publish))
        .route("/api/v1/events/{id}/agenda", get(agenda))
        .route("/api/v1/events/{id}/guests", post(register_guest))
        .route(
            "/api/v1/events/{id}/participants/{participant_id}/check-in",
            post(check_in),
        )
        .route(
            "/api/v1/events/{id}/meetings/{meeting_id}/attendance",
            post(attendance),
        )
        .route(
            "/api/v1/events/{id}/meetings/{meeting_id}/follow-up",
            post(follow_up),
        )
        .route("/api/v1/events/{id}/suggestions", get(suggestions))
        .route("/api/v1/events/{id}/outcomes", get(outcomes))
}

#[derive(Serialize, utoipa::ToSchema)]
pub struct Event {
    pub id: i64,
    pub cluster_id: i64,
    pub title: String,
    pub venue: String,
    pub first_day: String,
    pub days: i64,
    pub sessions: String,
    pub slot_minutes: i64,
    pub break_minutes: i64,
    pub tables: i64,
    pub online: bool,
    pub registration_open: bool,
    /// Unix ms.
    pub request_deadline: i64,
    pub published_at: Option<i64>,
    pub slots: Vec<Slot>,
}

#[derive(Serialize, utoipa::ToSchema)]
pub struct Slot {
    pub index: i64,
    /// Unix ms.
    pub starts_at: i64,
    pub ends_at: i64,
}

fn event_dto(e: store::meetings::Event, slots: &[store::meetings::Slot]) -> Event {
    Event {
        id: e.id,
        cluster_id: e.cluster_id,
        registration_open: e.is_open(),
        published_at: e.published_at,
        title: e.fields.title,
        venue: e.fields.venue,
        first_day: e.fields.first_day,
        days: e.fields.days,
        sessions: e.fields.sessions,
        slot_minutes: e.fields.slot_minutes,
        break_minutes: e.fields.break_minutes,
        tables: e.fields.tables_count,
        online: e.fields.online != 0,
        request_deadline: e.fields.request_deadline,
        slots: slots
            .iter()
            .map(|s| Slot {
                index: s.slot_index,
                starts_at: s.starts_at,
                ends_at: s.ends_at,
            })
            .collect(),
    }
}

#[derive(Serialize, utoipa::ToSchema)]
pub struct Participant {
    pub id: i64,
    pub name: String,
    pub organisation: String,
    pub offers: String,
    pub seeks: String,
}

#[derive(Serialize, utoipa::ToSchema)]
pub struct MeetingRequest {
    pub id: i64,
    pub from_participant: i64,
    pub to_participant: i64,
    /// The other side, "Name (Organisation)" (in `my requests` only).
    pub other: Option<String>,
    pub message: String,
    /// pending, accepted, declined, expired or cancelled.
    pub status: String,
    pub must_meet: bool,
    pub met_before: bool,
    pub mutual: bool,
    pub created_at: i64,
    pub answered_at: Option<i64>,
    pub expires_at: i64,
}

fn request_dto(r: store::meetings::MeetingRequest, other: Option<String>, mutual: bool) -> MeetingRequest {
    MeetingRequest {
        id: r.id,
        from_participant: r.from_participant,
        to_participant: r.to_participant,
        other,
        message: r.message,
        status: r.status,
        must_meet: r.must_meet != 0,
        met_before: r.met_before != 0,
        mutual,
        created_at: r.created_at,
        answered_at: r.answered_at,
        expires_at: r.expires_at,
    }
}

#[derive(Serialize, utoipa::ToSchema)]
pub struct AgendaItem {
    pub meeting_id: i64,
    pub slot: i64,
    pub table: i64,
    pub starts_at: i64,
    pub ends_at: i64,
    pub with: String,
    pub follow_up: String,
}

#[derive(Serialize, utoipa::ToSchema)]
pub struct Agenda {
    pub event_id: i64,
    pub participant_id: i64,
    pub items: Vec<AgendaItem>,
}

/// Events of a cluster.
#[utoipa::path(get, path = "/api/v1/clusters/{cluster_id}/events", tag = "events",
    params(("cluster_id" = i64, Path)),
    responses((status = 200, body = Vec<Event>), (status = 401, body = crate::error::Problem),
        (status = 404, body = crate::error::Problem)))]
pub async fn list(
    State(state): State<AppState>,
    ApiCaller(actor): ApiCaller,
    Path(cluster_id): Path<i64>,
) -> ApiResult<axum::Json<Vec<Event>>> {
    let events = state.app.events(&actor, cluster_id).await?;
    Ok(axum::Json(
        events.into_iter().map(|e| event_dto(e, &[])).collect(),
    ))
}

/// Creates an event (cluster staff); its programme becomes slots in Europe/Paris.
#[utoipa::path(post, path = "/api/v1/clusters/{cluster_id}/events", tag = "events",
    params(("cluster_id" = i64, Path)), request_body = EventInput,
    responses((status = 201, body = Event), (status = 403, body = crate::error::Problem),
        (status = 422, body = crate::error::Problem)))]
pub async fn create(
    State(state): State<AppState>,
    ApiCaller(actor): ApiCaller,
    Path(cluster_id): Path<i64>,
    Json(input): Json<EventInput>,
) -> ApiResult<(StatusCode, axum::Json<Event>)> {
    let event = state.app.create_event(&actor, cluster_id, &input).await?;
    let view = state.app.event(&actor, event.id).await?;
    Ok((
        StatusCode::CREATED,
        axum::Json(event_dto(view.event, &view.slots)),
    ))
}

/// An event with its slots.
#[utoipa::path(get, path = "/api/v1/events/{id}", tag = "events", params(("id" = i64, Path)),
    responses((status = 200, body = Event), (status = 401, body = crate::error::Problem),
        (status = 404, body = crate::error::Problem)))]
pub async fn get_one(
    State(state): State<AppState>,
    ApiCaller(actor): ApiCaller,
    Path(id): Path<i64>,
) -> ApiResult<axum::Json<Event>> {
    let view = state.app.event(&actor, id).await?;
    Ok(axum::Json(event_dto(view.event, &view.slots)))
}

/// Registers the caller with an event profile (members of the cluster, registration open).
#[utoipa::path(post, path = "/api/v1/events/{id}/registrations", tag = "events", params(("id" = i64, Path)),
    request_body = ProfileInput,
    responses((status = 201, body = Participant), (status = 403, body = crate::error::Problem),
        (status = 409, body = crate::error::Problem)))]
pub async fn register(
    State(state): State<AppState>,
    ApiCaller(actor): ApiCaller,
    Path(id): Path<i64>,
    Json(input): Json<ProfileInput>,
) -> ApiResult<(StatusCode, axum::Json<Participant>)> {
    let p = state.app.register(&actor, id, &input).await?;
    Ok((
        StatusCode::CREATED,
        axum::Json(Participant {
            id: p.id,
            name: p.fields.display_name,
            organisation: p.fields.organisation_name,
            offers: p.fields.offers,
            seeks: p.fields.seeks,
        }),
    ))
}

/// The caller's own requests, sent and received.
#[utoipa::path(get, path = "/api/v1/events/{id}/requests", tag = "events", params(("id" = i64, Path)),
    responses((status = 200, body = Vec<MeetingRequest>), (status = 404, body = crate::error::Problem)))]
pub async fn my_requests(
    State(state): State<AppState>,
    ApiCaller(actor): ApiCaller,
    Path(id): Path<i64>,
) -> ApiResult<axum::Json<Vec<MeetingRequest>>> {
    let list = state.app.my_requests(&actor, id).await?;
    Ok(axum::Json(
        list.into_iter()
            .map(|v| request_dto(v.request, Some(v.other), v.mutual))
            .collect(),
    ))
}

/// Sends a meeting request to another participant.
#[utoipa::path(post, path = "/api/v1/events/{id}/requests", tag = "events", params(("id" = i64, Path)),
    request_body = RequestInput,
    responses((status = 201, body = MeetingRequest), (status = 409, body = crate::error::Problem),
        (status = 422, body = crate::error::Problem)))]
pub async fn send_request(
    State(state): State<AppState>,
    ApiCaller(actor): ApiCaller,
    Path(id): Path<i64>,
    Json(input): Json<RequestInput>,
) -> ApiResult<(StatusCode, axum::Json<MeetingRequest>)> {
    let r = state.app.send_request(&actor, id, &input).await?;
    Ok((StatusCode::CREATED, axum::Json(request_dto(r, None, false))))
}

/// Accepts a request (its recipient only).
#[utoipa::path(post, path = "/api/v1/events/{id}/requests/{request_id}/accept", tag = "events",
    params(("id" = i64, Path), ("request_id" = i64, Path)),
    responses((status = 200, body = MeetingRequest), (status = 403, body = crate::error::Problem),
        (status = 404, body = crate::error::Problem), (status = 409, body = crate::error::Problem)))]
pub async fn accept(
    State(state): State<AppState>,
    ApiCaller(actor): ApiCaller,
    Path((id, request_id)): Path<(i64, i64)>,
) -> ApiResult<axum::Json<MeetingRequest>> {
    let r = state
        .app
        .answer_request(&actor, id, request_id, true, false)
        .await?;
    Ok(axum::Json(request_dto(r, None, false)))
}

#[derive(Deserialize, utoipa::IntoParams)]
pub struct DeclineQuery {
    /// The sender may not ask again.
    #[serde(default)]
    no_thanks: bool,
}

/// Declines a request (its recipient only).
#[utoipa::path(post, path = "/api/v1/events/{id}/requests/{request_id}/decline", tag = "events",
    params(("id" = i64, Path), ("request_id" = i64, Path), DeclineQuery),
    responses((status = 200, body = MeetingRequest), (status = 403, body = crate::error::Problem),
        (status = 404, body = crate::error::Problem), (status = 409, body = crate::error::Problem)))]
pub async fn decline(
    State(state): State<AppState>,
    ApiCaller(actor): ApiCaller,
    Path((id, request_id)): Path<(i64, i64)>,
    Query(query): Query<DeclineQuery>,
) -> ApiResult<axum::Json<MeetingRequest>> {
    let r = state
        .app
        .answer_request(&actor, id, request_id, false, query.no_thanks)
        .await?;
    Ok(axum::Json(request_dto(r, None, false)))
}

/// Withdraws a pending request (its sender only).
#[utoipa::path(post, path = "/api/v1/events/{id}/requests/{request_id}/cancel", tag = "events",
    params(("id" = i64, Path), ("request_id" = i64, Path)),
    responses((status = 200, body = MeetingRequest), (status = 403, body = crate::error::Problem),
        (status = 404, body = crate::error::Problem), (status = 409, body = crate::error::Problem)))]
pub async fn cancel(
    State(state): State<AppState>,
    ApiCaller(actor): ApiCaller,
    Path((id, request_id)): Path<(i64, i64)>,
) -> ApiResult<axum::Json<MeetingRequest>> {
    let r = state.app.cancel_request(&actor, id, request_id).await?;
    Ok(axum::Json(request_dto(r, None, false)))
}

/// The current schedule with its figures (organisers).
#[utoipa::path(get, path = "/api/v1/events/{id}/schedule", tag = "events", params(("id" = i64, Path)),
    responses((status = 200, body = Preview), (status = 403, body = crate::error::Problem),
        (status = 404, body = crate::error::Problem)))]
pub async fn preview(
    State(state): State<AppState>,
    ApiCaller(actor): ApiCaller,
    Path(id): Path<i64>,
) -> ApiResult<axum::Json<Preview>> {
    Ok(axum::Json(state.app.schedule_preview(&actor, id).await?))
}

/// Generates a draft schedule from the accepted requests; published meetings never move. 409
/// while another generation of the event runs (one started from the organiser's screen, say).
#[utoipa::path(post, path = "/api/v1/events/{id}/schedule", tag = "events", params(("id" = i64, Path)),
    responses((status = 200, body = Preview), (status = 403, body = crate::error::Problem),
        (status = 404, body = crate::error::Problem), (status = 409, body = crate::error::Problem)))]
pub async fn generate(
    State(state): State<AppState>,
    ApiCaller(actor): ApiCaller,
    Path(id): Path<i64>,
) -> ApiResult<axum::Json<Preview>> {
    Ok(axum::Json(state.app.generate_schedule(&actor, id).await?))
}

/// Moves a draft meeting to another slot and table (both counted from 0).
#[utoipa::path(post, path = "/api/v1/events/{id}/meetings/{meeting_id}/move", tag = "events",
    params(("id" = i64, Path), ("meeting_id" = i64, Path)), request_body = MoveInput,
    responses((status = 204), (status = 403, body = crate::error::Problem),
        (status = 409, body = crate::error::Problem), (status = 422, body = crate::error::Problem)))]
pub async fn move_meeting(
    State(state): State<AppState>,
    ApiCaller(actor): ApiCaller,
    Path((id, meeting_id)): Path<(i64, i64)>,
    Json(to): Json<MoveInput>,
) -> ApiResult<StatusCode> {
    state.app.move_meeting(&actor, id, meeting_id, to).await?;
    Ok(StatusCode::NO_CONTENT)
}

#[derive(Serialize, utoipa::ToSchema)]
pub struct Published {
    pub meetings_published: u64,
}

/// Publishes the draft meetings and notifies the participants.
#[utoipa::path(post, path = "/api/v1/events/{id}/publish", tag = "events", params(("id" = i64, Path)),
    responses((status = 200, body = Published), (status = 403, body = crate::error::Problem)))]
pub async fn publish(
    State(state): State<AppState>,
    ApiCaller(actor): ApiCaller,
    Path(id): Path<i64>,
) -> ApiResult<axum::Json<Published>> {
    let meetings_published = state.app.publish_schedule(&actor, id).await?;
    Ok(axum::Json(Published { meetings_published }))
}

#[derive(Deserialize, utoipa::IntoParams)]
pub struct AgendaQuery {
    /// Another participant's agenda (organisers only).
    participant: Option<i64>,
}

/// The caller's agenda of published meetings.
#[utoipa::path(get, path = "/api/v1/events/{id}/agenda", tag = "events", params(("id" = i64, Path), AgendaQuery),
    responses((status = 200, body = Agenda), (status = 404, body = crate::error::Problem)))]
pub async fn agenda(
    State(state): State<AppState>,
    ApiCaller(actor): ApiCaller,
    Path(id): Path<i64>,
    Query(query): Query<AgendaQuery>,
) -> ApiResult<axum::Json<Agenda>> {
    let agenda = state.app.agenda(&actor, id, query.participant).await?;
    Ok(axum::Json(Agenda {
        event_id: agenda.event.id,
        participant_id: agenda.participant.id,
        items: agenda
            .items
            .into_iter()
            .map(|i| AgendaItem {
                meeting_id: i.meeting_id,
                slot: i.slot,
                table: i.table,
                starts_at: i.starts_at,
                ends_at: i.ends_at,
                with: i.with,
                follow_up: i.follow_up,
            })
            .collect(),
    }))
}

fn participant_dto(p: store::meetings::Participant) -> Participant {
    Participant {
        id: p.id,
        name: p.fields.display_name,
        organisation: p.fields.organisation_name,
        offers: p.fields.offers,
        seeks: p.fields.seeks,
    }
}

/// Registers an external guest with an event profile (organisers only); guests follow their
/// agenda through a private feed link.
#[utoipa::path(post, path = "/api/v1/events/{id}/guests", tag = "events", params(("id" = i64, Path)),
    request_body = GuestInput,
    responses((status = 201, body = Participant), (status = 403, body = crate::error::Problem),
        (status = 404, body = crate::error::Problem), (status = 422, body = crate::error::Problem)))]
pub async fn register_guest(
    State(state): State<AppState>,
    ApiCaller(actor): ApiCaller,
    Path(id): Path<i64>,
    Json(input): Json<GuestInput>,
) -> ApiResult<(StatusCode, axum::Json<Participant>)> {
    let p = state.app.register_guest(&actor, id, &input).await?;
    Ok((StatusCode::CREATED, axum::Json(participant_dto(p))))
}

/// Marks a participant as arrived (organisers, on the day); checking in twice keeps the first time.
#[utoipa::path(post, path = "/api/v1/events/{id}/participants/{participant_id}/check-in", tag = "events",
    params(("id" = i64, Path), ("participant_id" = i64, Path)),
    responses((status = 204), (status = 403, body = crate::error::Problem),
        (status = 404, body = crate::error::Problem)))]
pub async fn check_in(
    State(state): State<AppState>,
    ApiCaller(actor): ApiCaller,
    Path((id, participant_id)): Path<(i64, i64)>,
) -> ApiResult<StatusCode> {
    state.app.check_in(&actor, id, participant_id).await?;
    Ok(StatusCode::NO_CONTENT)
}

#[derive(Deserialize, utoipa::ToSchema)]
pub struct AttendanceInput {
    /// held or no_show.
    pub attendance: String,
}

/// Records whether a published meeting took place (organisers).
#[utoipa::path(post, path = "/api/v1/events/{id}/meetings/{meeting_id}/attendance", tag = "events",
    params(("id" = i64, Path), ("meeting_id" = i64, Path)), request_body = AttendanceInput,
    responses((status = 204), (status = 403, body = crate::error::Problem),
        (status = 404, body = crate::error::Problem), (status = 409, body = crate::error::Problem),
        (status = 422, body = crate::error::Problem)))]
pub async fn attendance(
    State(state): State<AppState>,
    ApiCaller(actor): ApiCaller,
    Path((id, meeting_id)): Path<(i64, i64)>,
    Json(input): Json<AttendanceInput>,
) -> ApiResult<StatusCode> {
    state
        .app
        .set_attendance(&actor, id, meeting_id, &input.attendance)
        .await?;
    Ok(StatusCode::NO_CONTENT)
}

#[derive(Deserialize, utoipa::ToSchema)]
pub struct FollowUpInput {
    /// none, call (call for proposals), quote or contract.
    pub follow_up: String,
}

/// Records what came of a published meeting (either of its two people, or the organisers).
#[utoipa::path(post, path = "/api/v1/events/{id}/meetings/{meeting_id}/follow-up", tag = "events",
    params(("id" = i64, Path), ("meeting_id" = i64, Path)), request_body = FollowUpInput,
    responses((status = 204), (status = 403, body = crate::error::Problem),
        (status = 404, body = crate::error::Problem), (status = 409, body = crate::error::Problem),
        (status = 422, body = crate::error::Problem)))]
pub async fn follow_up(
    State(state): State<AppState>,
    ApiCaller(actor): ApiCaller,
    Path((id, meeting_id)): Path<(i64, i64)>,
    Json(input): Json<FollowUpInput>,
) -> ApiResult<StatusCode> {
    state
        .app
        .set_follow_up(&actor, id, meeting_id, &input.follow_up)
        .await?;
    Ok(StatusCode::NO_CONTENT)
}

#[derive(Deserialize, utoipa::IntoParams)]
pub struct SuggestionsQuery {
    /// How many, 1 to 50 (10 when absent).
    limit: Option<usize>,
}

/// Participants the caller might ask for a meeting, the most relevant first: the directory
/// searched with what the caller seeks (or organisations like theirs when they seek nothing),
/// without those they have a request with either way. Empty when the caller is not registered
/// or the search index is not available.
#[utoipa::path(get, path = "/api/v1/events/{id}/suggestions", tag = "events",
    params(("id" = i64, Path), SuggestionsQuery),
    responses((status = 200, body = Vec<Suggestion>), (status = 401, body = crate::error::Problem),
        (status = 404, body = crate::error::Problem), (status = 422, body = crate::error::Problem)))]
pub async fn suggestions(
    State(state): State<AppState>,
    ApiCaller(actor): ApiCaller,
    Path(id): Path<i64>,
    Query(query): Query<SuggestionsQuery>,
) -> ApiResult<axum::Json<Vec<Suggestion>>> {
    let limit = query.limit.unwrap_or(DEFAULT_SUGGESTIONS);
    Ok(axum::Json(state.app.suggested_matches(&actor, id, limit).await?))
}

/// What came of the event's meetings (organisers): scheduled, published, held, missed, and the
/// follow-ups (call for proposals, quote, contract), overall and per kind of participant.
#[utoipa::path(get, path = "/api/v1/events/{id}/outcomes", tag = "events", params(("id" = i64, Path)),
    responses((status = 200, body = Outcomes), (status = 401, body = crate::error::Problem),
        (status = 403, body = crate::error::Problem), (status = 404, body = crate::error::Problem)))]
pub async fn outcomes(
    State(state): State<AppState>,
    ApiCaller(actor): ApiCaller,
    Path(id): Path<i64>,
) -> ApiResult<axum::Json<Outcomes>> {
    Ok(axum::Json(state.app.event_outcomes(&actor, id).await?))
}
