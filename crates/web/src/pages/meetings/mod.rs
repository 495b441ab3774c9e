//! Business-meeting pages: events, registration, requests (htmx), the organiser's screen, agendas
//! (page, `.ics`, private feed) and table sheets. Handlers parse, call one use-case, render.

mod generation;

use super::{Chrome, Refusal, form_errors, render, render_with};
use crate::error::status_of;
use crate::identity::Viewer;
use crate::state::AppState;
use app::meetings::programme::local;
use app::meetings::suggestions::DEFAULT_SUGGESTIONS;
use app::meetings::{
    Agenda, EventInput, EventView, GuestInput, Outcomes, Preview, ProfileInput, RequestInput, RequestView,
    Suggestion, TableSheet,
};
use app::{Actor, AppError, FieldError};
use askama::Template;
use axum::extract::{Path, Query, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use axum::{Form, Router};
use serde::Deserialize;
use store::meetings::{Event, Participant};

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/events", get(list).post(create))
        .route("/events/new", get(new_form))
        .route("/events/{id}", get(show))
        .route("/events/{id}/registration", post(registration))
        .route("/events/{id}/register", post(register))
        .route("/events/{id}/profile", post(profile))
        .route("/events/{id}/requests", post(send_request))
        .route("/events/{id}/requests/{rid}/accept", post(accept))
        .route("/events/{id}/requests/{rid}/decline", post(decline))
        .route("/events/{id}/requests/{rid}/cancel", post(cancel))
        .route("/events/{id}/organiser", get(organiser))
        .route("/events/{id}/generate", post(generation::generate))
        .route("/events/{id}/generation", get(generation::status))
        .route("/events/{id}/guests", post(guest))
        .route("/events/{id}/publish", post(publish))
        .route("/events/{id}/meetings/{mid}/move", post(move_meeting))
        .route("/events/{id}/meetings/{mid}/attendance", post(attendance))
        .route("/events/{id}/meetings/{mid}/follow-up", post(follow_up))
        .route("/events/{id}/participants/{pid}/check-in", post(check_in))
        .route("/events/{id}/agenda", get(agenda))
        .route("/events/{id}/agenda.ics", get(agenda_ics))
        .route("/events/{id}/feed", post(feed))
        .route("/events/{id}/tables", get(tables))
        .route("/agenda/{file}", get(public_feed))
}

fn when(ms: i64) -> String {
    local(ms, "%d/%m/%Y %H:%M")
}

fn hour(ms: i64) -> String {
    local(ms, "%H:%M")
}

fn home_cluster(viewer: &Viewer) -> Result<i64, AppError> {
    match &viewer.actor {
        Actor::Person(p) => app::actor::home_cluster(p).ok_or(AppError::NotFound("cluster")),
        Actor::Visitor => Err(AppError::Unauthenticated),
    }
}

use super::fail;

fn back_to(id: i64, rest: &str) -> Response {
    Redirect::to(&format!("/events/{id}{rest}")).into_response()
}

// ---- list and creation ----------------------------------------------------------------------

#[derive(Template)]
#[template(path = "meetings/events.html")]
struct EventsPage {
    c: Chrome,
    events: Vec<(Event, String)>,
    can_create: bool,
}

async fn list(State(state): State<AppState>, viewer: Viewer) -> Response {
    let cluster_id = match home_cluster(&viewer) {
        Ok(id) => id,
        Err(error) => return fail(&viewer, error),
    };
    match state.app.events(&viewer.actor, cluster_id).await {
        Ok(events) => {
            let can_create =
                domain::policy::authorize(&viewer.actor, &domain::policy::Action::ManageEvent { cluster_id })
                    .is_ok();
            let events = events
                .into_iter()
                .map(|e| {
                    let day = e.first_day.clone();
                    (e, day)
                })
                .collect();
            render(&EventsPage {
                c: Chrome::of(&viewer, "events"),
                events,
                can_create,
            })
        }
        Err(error) => fail(&viewer, error),
    }
}

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default)]
struct EventForm {
    title: String,
    venue: String,
    first_day: String,
    days: String,
    sessions: String,
    slot_minutes: String,
    break_minutes: String,
    tables: String,
    online: Option<String>,
    request_deadline: String,
    max_pending: String,
    max_meetings: String,
}

fn whole(field: &str, text: &str, errors: &mut Vec<FieldError>) -> Option<i64> {
    let t = text.trim();
    if t.is_empty() {
        return None;
    }
    t.parse()
        .map_err(|_| errors.push(FieldError::new(field, format!("'{t}' is not a whole number"))))
        .ok()
}

impl EventForm {
    fn to_input(&self) -> Result<EventInput, Vec<FieldError>> {
        let mut errors = Vec::new();
        let days = whole("days", &self.days, &mut errors).unwrap_or(1);
        let slot_minutes = whole("slot_minutes", &self.slot_minutes, &mut errors).unwrap_or(0);
        let break_minutes = whole("break_minutes", &self.break_minutes, &mut errors).unwrap_or(0);
        let tables = whole("tables", &self.tables, &mut errors).unwrap_or(0);
        let max_pending = whole("max_pending", &self.max_pending, &mut errors);
        let max_meetings = whole("max_meetings", &self.max_meetings, &mut errors);
        if !errors.is_empty() {
            return Err(errors);
        }
        Ok(EventInput {
            title: self.title.clone(),
            venue: self.venue.clone(),
            first_day: self.first_day.clone(),
            days,
            sessions: self.sessions.clone(),
            slot_minutes,
            break_minutes,
            tables,
            online: self.online.is_some(),
            request_deadline: self.request_deadline.clone(),
            max_pending,
            max_meetings,
        })
    }
}

#[derive(Template)]
#[template(path = "meetings/event_form.html")]
struct EventFormPage {
    c: Chrome,
    form: EventForm,
    errors: Vec<FieldError>,
}

async fn new_form(viewer: Viewer) -> Response {
    let allowed = home_cluster(&viewer).and_then(|cluster_id| {
        domain::policy::authorize(&viewer.actor, &domain::policy::Action::ManageEvent { cluster_id })
            .map_err(Into::into)
    });
    if let Err(error) = allowed {
        return fail(&viewer, error);
    }
    let form = EventForm {
        days: "1".into(),
        sessions: "09:00-12:30,14:00-17:30".into(),
        slot_minutes: "25".into(),
        break_minutes: "5".into(),
        tables: "20".into(),
        max_pending: "20".into(),
        ..Default::default()
    };
    render(&EventFormPage {
        c: Chrome::of(&viewer, "events"),
        form,
        errors: Vec::new(),
    })
}

async fn create(State(state): State<AppState>, viewer: Viewer, Form(form): Form<EventForm>) -> Response {
    let cluster_id = match home_cluster(&viewer) {
        Ok(id) => id,
        Err(error) => return fail(&viewer, error),
    };
    let result = match form.to_input() {
        Ok(input) => state.app.create_event(&viewer.actor, cluster_id, &input).await,
        Err(errors) => Err(AppError::Invalid(errors)),
    };
    match result {
        Ok(event) => back_to(event.id, ""),
        Err(error) => {
            let status = status_of(&error);
            match form_errors(&viewer, error) {
                Refusal::Fields(errors) => render_with(
                    status,
                    &EventFormPage {
                        c: Chrome::of(&viewer, "events"),
                        form,
                        errors,
                    },
                ),
                Refusal::Page(response) => response,
            }
        }
    }
}

// ---- the event page, registration and requests ------------------------------------------------

struct SlotRow {
    number: i64,
    label: String,
    /// Ticked in the profile form: every slot for a newcomer, their availability once registered.
    checked: bool,
}

#[derive(Template)]
#[template(path = "meetings/event.html")]
struct EventPage {
    c: Chrome,
    view: EventView,
    slots: Vec<SlotRow>,
    deadline: String,
    others: Vec<Participant>,
    requests: Vec<RequestView>,
    /// Whom the directory suggests meeting (registered viewers).
    suggestions: Vec<Suggestion>,
    event_id: i64,
    errors: Vec<FieldError>,
    /// The profile form's values: empty for a newcomer, their own once registered.
    profile_offers: String,
    profile_seeks: String,
    profile_max: String,
}

#[derive(Template)]
#[template(path = "meetings/requests.html")]
struct RequestsFragment {
    c: Chrome,
    requests: Vec<RequestView>,
    event_id: i64,
}

async fn event_page(state: &AppState, viewer: &Viewer, id: i64, errors: Vec<FieldError>) -> Response {
    let view = match state.app.event(&viewer.actor, id).await {
        Ok(view) => view,
        Err(error) => return fail(viewer, error),
    };
    let participants = state
        .app
        .participants(&viewer.actor, id)
        .await
        .unwrap_or_default();
    let requests = state.app.my_requests(&viewer.actor, id).await.unwrap_or_default();
    let suggestions = if view.me.is_some() {
        state
            .app
            .suggested_matches(&viewer.actor, id, DEFAULT_SUGGESTIONS)
            .await
            .unwrap_or_else(|error| {
                tracing::warn!(%error, "suggested matches unavailable");
                Vec::new()
            })
    } else {
        Vec::new()
    };
    let me = view.me.as_ref().map(|p| p.id);
    let available = view.me.as_ref().map(|p| p.available_slots());
    let status = if errors.is_empty() {
        StatusCode::OK
    } else {
        StatusCode::UNPROCESSABLE_ENTITY
    };
    render_with(
        status,
        &EventPage {
            c: Chrome::of(viewer, "events"),
            slots: view
                .slots
                .iter()
                .map(|s| SlotRow {
                    number: s.slot_index + 1,
                    label: format!("{}–{}", when(s.starts_at), hour(s.ends_at)),
                    checked: available.as_ref().is_none_or(|a| a.contains(&s.slot_index)),
                })
                .collect(),
            profile_offers: view.me.as_ref().map(|p| p.offers.clone()).unwrap_or_default(),
            profile_seeks: view.me.as_ref().map(|p| p.seeks.clone()).unwrap_or_default(),
            profile_max: view
                .me
                .as_ref()
                .and_then(|p| p.max_meetings)
                .map(|n| n.to_string())
                .unwrap_or_default(),
            deadline: when(view.event.request_deadline),
            others: participants.into_iter().filter(|p| Some(p.id) != me).collect(),
            requests,
            suggestions,
            event_id: id,
            view,
            errors,
        },
    )
}

async fn show(State(state): State<AppState>, viewer: Viewer, Path(id): Path<i64>) -> Response {
    event_page(&state, &viewer, id, Vec::new()).await
}

#[derive(Deserialize)]
struct OpenForm {
    open: String,
}

async fn registration(
    State(state): State<AppState>,
    viewer: Viewer,
    Path(id): Path<i64>,
    Form(form): Form<OpenForm>,
) -> Response {
    match state
        .app
        .set_registration(&viewer.actor, id, form.open == "1")
        .await
    {
        Ok(()) => back_to(id, ""),
        Err(error) => fail(&viewer, error),
    }
}

/// The registration and profile form: offers, seeks, one `available` checkbox per slot (its number,
/// counted from 1; the field repeats, which `Form` cannot read, hence the hand parsing) and an
/// optional cap on meetings.
#[derive(Debug, Default, PartialEq, Eq)]
struct ProfileForm {
    offers: String,
    seeks: String,
    available: Vec<String>,
    max_meetings: String,
}

impl ProfileForm {
    fn parse(body: &[u8]) -> ProfileForm {
        let mut form = ProfileForm::default();
        for (key, value) in url::form_urlencoded::parse(body) {
            match key.as_ref() {
                "offers" => form.offers = value.into_owned(),
                "seeks" => form.seeks = value.into_owned(),
                "available" => form.available.push(value.into_owned()),
                "max_meetings" => form.max_meetings = value.into_owned(),
                _ => {}
            }
        }
        form
    }

    /// Slot numbers become indices (from 0); the use-case checks they exist.
    fn to_input(&self) -> Result<ProfileInput, Vec<FieldError>> {
        let mut errors = Vec::new();
        let mut available = Vec::with_capacity(self.available.len());
        for text in &self.available {
            match text.trim().parse::<i64>() {
                Ok(n) if n >= 1 => available.push(n - 1),
                _ => errors.push(FieldError::new("available", format!("'{text}' is not a slot"))),
            }
        }
        if self.available.is_empty() {
            errors.push(FieldError::new("available", "tick at least one slot"));
        }
        let max_meetings = match self.max_meetings.trim() {
            "" => None,
            text => match text.parse::<i64>() {
                Ok(n) => Some(n),
                Err(_) => {
                    errors.push(FieldError::new(
                        "max_meetings",
                        format!("'{text}' is not a number"),
                    ));
                    None
                }
            },
        };
        if !errors.is_empty() {
            return Err(errors);
        }
        Ok(ProfileInput {
            offers: self.offers.clone(),
            seeks: self.seeks.clone(),
            available: Some(available),
            max_meetings,
        })
    }
}

async fn register(
    State(state): State<AppState>,
    viewer: Viewer,
    Path(id): Path<i64>,
    body: axum::body::Bytes,
) -> Response {
    let input = match ProfileForm::parse(&body).to_input() {
        Ok(input) => input,
        Err(errors) => return event_page(&state, &viewer, id, errors).await,
    };
    match state.app.register(&viewer.actor, id, &input).await {
        Ok(_) => back_to(id, ""),
        Err(error) => refused(&state, &viewer, id, error).await,
    }
}

/// Edits one's own event profile: offers, seeks, availability, cap.
async fn profile(
    State(state): State<AppState>,
    viewer: Viewer,
    Path(id): Path<i64>,
    body: axum::body::Bytes,
) -> Response {
    let input = match ProfileForm::parse(&body).to_input() {
        Ok(input) => input,
        Err(errors) => return event_page(&state, &viewer, id, errors).await,
    };
    match state.app.update_profile(&viewer.actor, id, &input).await {
        Ok(_) => back_to(id, "#profile"),
        Err(error) => refused(&state, &viewer, id, error).await,
    }
}

async fn refused(state: &AppState, viewer: &Viewer, id: i64, error: AppError) -> Response {
    let status = status_of(&error);
    match form_errors(viewer, error) {
        Refusal::Fields(errors) => {
            let mut page = event_page(state, viewer, id, errors).await;
            *page.status_mut() = status;
            page
        }
        Refusal::Page(response) => response,
    }
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct SendForm {
    to: String,
    message: String,
    must_meet: Option<String>,
    met_before: Option<String>,
}

async fn requests_fragment(state: &AppState, viewer: &Viewer, id: i64) -> Response {
    match state.app.my_requests(&viewer.actor, id).await {
        Ok(requests) => render(&RequestsFragment {
            c: Chrome::of(viewer, "events"),
            requests,
            event_id: id,
        }),
        Err(error) => fail(viewer, error),
    }
}

/// After a change: the requests fragment for htmx, the event page for a plain form.
async fn after_change(state: &AppState, viewer: &Viewer, headers: &HeaderMap, id: i64) -> Response {
    if headers.contains_key("hx-request") {
        requests_fragment(state, viewer, id).await
    } else {
        back_to(id, "#requests")
    }
}

async fn send_request(
    State(state): State<AppState>,
    viewer: Viewer,
    headers: HeaderMap,
    Path(id): Path<i64>,
    Form(form): Form<SendForm>,
) -> Response {
    let Ok(to) = form.to.trim().parse::<i64>() else {
        return refused(
            &state,
            &viewer,
            id,
            AppError::invalid("to", "choose a participant"),
        )
        .await;
    };
    let input = RequestInput {
        to,
        message: form.message,
        must_meet: form.must_meet.is_some(),
        met_before: form.met_before.is_some(),
    };
    match state.app.send_request(&viewer.actor, id, &input).await {
        Ok(_) => after_change(&state, &viewer, &headers, id).await,
        Err(error) => refused(&state, &viewer, id, error).await,
    }
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct DeclineForm {
    no_thanks: Option<String>,
}

async fn accept(
    State(state): State<AppState>,
    viewer: Viewer,
    headers: HeaderMap,
    Path((id, rid)): Path<(i64, i64)>,
) -> Response {
    match state
        .app
        .answer_request(&viewer.actor, id, rid, true, false)
        .await
    {
        Ok(_) => after_change(&state, &viewer, &headers, id).await,
        Err(error) => fail(&viewer, error),
    }
}

async fn cancel(
    State(state): State<AppState>,
    viewer: Viewer,
    headers: HeaderMap,
    Path((id, rid)): Path<(i64, i64)>,
) -> Response {
    match state.app.cancel_request(&viewer.actor, id, rid).await {
        Ok(_) => after_change(&state, &viewer, &headers, id).await,
        Err(error) => fail(&viewer, error),
    }
}

async fn decline(
    State(state): State<AppState>,
    viewer: Viewer,
    headers: HeaderMap,
    Path((id, rid)): Path<(i64, i64)>,
    Form(form): Form<DeclineForm>,
) -> Response {
    match state
        .app
        .answer_request(&viewer.actor, id, rid, false, form.no_thanks.is_some())
        .await
    {
        Ok(_) => after_change(&state, &viewer, &headers, id).await,
        Err(error) => fail(&viewer, error),
    }
}

// ---- organiser's screen -----------------------------------------------------------------------

struct MeetingRow {
    id: i64,
    when: String,
    slot: i64,
    table: i64,
    a: String,
    b: String,
    weight: i64,
    state: String,
    attendance: String,
    follow_up: String,
}

#[derive(Template)]
#[template(path = "meetings/organiser.html")]
struct OrganiserPage {
    c: Chrome,
    event: Event,
    preview: Preview,
    rows: Vec<MeetingRow>,
    ratio: String,
    participants: Vec<Participant>,
    errors: Vec<FieldError>,
    g: generation::GenerationView,
    /// What came of the meetings, once published.
    outcomes: Option<Outcomes>,
    /// The guest form: its values (kept when refused) and one checkbox per slot.
    guest: GuestForm,
    slots: Vec<SlotRow>,
    profile_offers: String,
    profile_seeks: String,
    profile_max: String,
}

/// The organiser's form for an external guest: who they are, then the same profile fields as a
/// member's registration.
#[derive(Debug, Default, PartialEq, Eq)]
struct GuestForm {
    name: String,
    organisation: String,
    email: String,
    kind: String,
    profile: ProfileForm,
}

impl GuestForm {
    fn parse(body: &[u8]) -> GuestForm {
        let mut form = GuestForm {
            profile: ProfileForm::parse(body),
            ..GuestForm::default()
        };
        for (key, value) in url::form_urlencoded::parse(body) {
            match key.as_ref() {
                "name" => form.name = value.into_owned(),
                "organisation" => form.organisation = value.into_owned(),
                "email" => form.email = value.into_owned(),
                "kind" => form.kind = value.into_owned(),
                _ => {}
            }
        }
        form
    }

    fn input(&self, profile: ProfileInput) -> GuestInput {
        GuestInput {
            name: self.name.clone(),
            email: self.email.clone(),
            organisation: self.organisation.clone(),
            kind: self.kind.clone(),
            profile,
        }
    }

    /// Every mistake at once: the form's own (slots, cap) and the use-case's (name, e-mail…),
    /// checked without registering anything.
    fn to_input(&self) -> Result<GuestInput, Vec<FieldError>> {
        match self.profile.to_input() {
            Ok(profile) => Ok(self.input(profile)),
            Err(mut errors) => {
                let rest = ProfileInput {
                    offers: self.profile.offers.clone(),
                    seeks: self.profile.seeks.clone(),
                    available: Some(Vec::new()),
                    max_meetings: None,
                };
                if let Err(AppError::Invalid(more)) = app::meetings::events::parse_guest(&self.input(rest), 0)
                {
                    errors.extend(more);
                }
                Err(errors)
            }
        }
    }
}

async fn organiser_page(state: &AppState, viewer: &Viewer, id: i64, errors: Vec<FieldError>) -> Response {
    organiser_page_with(state, viewer, id, errors, GuestForm::default()).await
}

async fn organiser_page_with(
    state: &AppState,
    viewer: &Viewer,
    id: i64,
    errors: Vec<FieldError>,
    guest: GuestForm,
) -> Response {
    let preview = match state.app.schedule_preview(&viewer.actor, id).await {
        Ok(p) => p,
        Err(error) => return fail(viewer, error),
    };
    let view = match state.app.event(&viewer.actor, id).await {
        Ok(view) => view,
        Err(error) => return fail(viewer, error),
    };
    let participants = state
        .app
        .participants(&viewer.actor, id)
        .await
        .unwrap_or_default();
    let status = state
        .app
        .generation_status(&viewer.actor, id)
        .await
        .ok()
        .flatten();
    let outcomes = if view.event.is_published() {
        state.app.event_outcomes(&viewer.actor, id).await.ok()
    } else {
        None
    };
    let rows = preview
        .meetings
        .iter()
        .map(|m| MeetingRow {
            id: m.id,
            when: format!("{}–{}", when(m.starts_at), hour(m.ends_at)),
            slot: m.slot + 1,
            table: m.table + 1,
            a: m.a.clone(),
            b: m.b.clone(),
            weight: m.weight,
            state: m.state.clone(),
            attendance: m.attendance.clone().unwrap_or_default(),
            follow_up: m.follow_up.clone(),
        })
        .collect();
    let ratio = match (preview.total_weight, preview.upper_bound) {
        (Some(w), Some(b)) if b > 0 => format!("{:.1} %", 100.0 * w as f64 / b as f64),
        (Some(_), Some(_)) => "100 %".into(),
        _ => String::new(),
    };
    let status_code = if errors.is_empty() {
        StatusCode::OK
    } else {
        StatusCode::CONFLICT
    };
    // A fresh guest form ticks every slot; a refused one shows what was ticked.
    let ticked: Vec<&str> = guest.profile.available.iter().map(|s| s.trim()).collect();
    let fresh = guest == GuestForm::default();
    let slots = view
        .slots
        .iter()
        .map(|s| {
            let number = s.slot_index + 1;
            SlotRow {
                number,
                label: format!("{}–{}", when(s.starts_at), hour(s.ends_at)),
                checked: fresh || ticked.contains(&number.to_string().as_str()),
            }
        })
        .collect();
    render_with(
        status_code,
        &OrganiserPage {
            c: Chrome::of(viewer, "events"),
            g: generation::GenerationView::of(viewer, id, status),
            event: view.event,
            preview,
            rows,
            ratio,
            participants,
            errors,
            outcomes,
            slots,
            profile_offers: guest.profile.offers.clone(),
            profile_seeks: guest.profile.seeks.clone(),
            profile_max: guest.profile.max_meetings.clone(),
            guest,
        },
    )
}

async fn organiser(State(state): State<AppState>, viewer: Viewer, Path(id): Path<i64>) -> Response {
    organiser_page(&state, &viewer, id, Vec::new()).await
}

async fn organiser_refused(state: &AppState, viewer: &Viewer, id: i64, error: AppError) -> Response {
    organiser_refused_with(state, viewer, id, error, GuestForm::default()).await
}

async fn organiser_refused_with(
    state: &AppState,
    viewer: &Viewer,
    id: i64,
    error: AppError,
    guest: GuestForm,
) -> Response {
    let status = status_of(&error);
    match form_errors(viewer, error) {
        Refusal::Fields(errors) => {
            let mut page = organiser_page_with(state, viewer, id, errors, guest).await;
            if page.status().is_success() || page.status() == StatusCode::CONFLICT {
                *page.status_mut() = status;
            }
            page
        }
        Refusal::Page(response) => response,
    }
}

/// `POST /events/{id}/guests`: registers an external guest from the organiser's screen.
async fn guest(
    State(state): State<AppState>,
    viewer: Viewer,
    Path(id): Path<i64>,
    body: axum::body::Bytes,
) -> Response {
    let form = GuestForm::parse(&body);
    let result = match form.to_input() {
        Ok(input) => state
            .app
            .register_guest(&viewer.actor, id, &input)
            .await
            .map(|_| ()),
        Err(errors) => Err(AppError::Invalid(errors)),
    };
    match result {
        Ok(()) => back_to(id, "/organiser#guests"),
        // The organiser's screen itself refuses those who may not see it (403, 404, sign-in).
        Err(error) => organiser_refused_with(&state, &viewer, id, error, form).await,
    }
}

async fn publish(State(state): State<AppState>, viewer: Viewer, Path(id): Path<i64>) -> Response {
    match state.app.publish_schedule(&viewer.actor, id).await {
        Ok(_) => back_to(id, "/organiser"),
        Err(error) => organiser_refused(&state, &viewer, id, error).await,
    }
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct MoveForm {
    slot: String,
    table: String,
}

async fn move_meeting(
    State(state): State<AppState>,
    viewer: Viewer,
    Path((id, mid)): Path<(i64, i64)>,
    Form(form): Form<MoveForm>,
) -> Response {
    // People count slots and tables from 1.
    let (Ok(slot), Ok(table)) = (form.slot.trim().parse::<i64>(), form.table.trim().parse::<i64>()) else {
        return organiser_refused(
            &state,
            &viewer,
            id,
            AppError::invalid("slot", "slot and table are numbers"),
        )
        .await;
    };
    let to = app::meetings::scheduling::MoveInput {
        slot: slot - 1,
        table: table - 1,
    };
    match state.app.move_meeting(&viewer.actor, id, mid, to).await {
        Ok(()) => back_to(id, "/organiser"),
        Err(error) => organiser_refused(&state, &viewer, id, error).await,
    }
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct ValueForm {
    value: String,
}

async fn attendance(
    State(state): State<AppState>,
    viewer: Viewer,
    Path((id, mid)): Path<(i64, i64)>,
    Form(form): Form<ValueForm>,
) -> Response {
    match state
        .app
        .set_attendance(&viewer.actor, id, mid, &form.value)
        .await
    {
        Ok(()) => back_to(id, "/organiser"),
        Err(error) => organiser_refused(&state, &viewer, id, error).await,
    }
}

async fn follow_up(
    State(state): State<AppState>,
    viewer: Viewer,
    Path((id, mid)): Path<(i64, i64)>,
    Form(form): Form<ValueForm>,
) -> Response {
    match state.app.set_follow_up(&viewer.actor, id, mid, &form.value).await {
        Ok(()) => back_to(id, "/agenda"),
        Err(error) => fail(&viewer, error),
    }
}

async fn check_in(
    State(state): State<AppState>,
    viewer: Viewer,
    Path((id, pid)): Path<(i64, i64)>,
) -> Response {
    match state.app.check_in(&viewer.actor, id, pid).await {
        Ok(()) => back_to(id, "/organiser"),
        Err(error) => organiser_refused(&state, &viewer, id, error).await,
    }
}

// ---- agendas ------------------------------------------------------------------------------------

struct AgendaRow {
    meeting_id: i64,
    when: String,
    table: i64,
    with: String,
    with_offers: String,
    follow_up: String,
}

#[derive(Template)]
#[template(path = "meetings/agenda.html")]
struct AgendaPage {
    c: Chrome,
    agenda: Agenda,
    rows: Vec<AgendaRow>,
    own: bool,
    feed_url: String,
}

#[derive(Deserialize)]
struct AgendaQuery {
    participant: Option<i64>,
}

fn agenda_page(viewer: &Viewer, agenda: Agenda, own: bool, feed_url: String) -> Response {
    let rows = agenda
        .items
        .iter()
        .map(|i| AgendaRow {
            meeting_id: i.meeting_id,
            when: format!("{}–{}", when(i.starts_at), hour(i.ends_at)),
            table: i.table + 1,
            with: i.with.clone(),
            with_offers: i.with_offers.clone(),
            follow_up: i.follow_up.clone(),
        })
        .collect();
    render(&AgendaPage {
        c: Chrome::of(viewer, "events"),
        agenda,
        rows,
        own,
        feed_url,
    })
}

async fn agenda(
    State(state): State<AppState>,
    viewer: Viewer,
    Path(id): Path<i64>,
    Query(query): Query<AgendaQuery>,
) -> Response {
    match state.app.agenda(&viewer.actor, id, query.participant).await {
        Ok(agenda) => {
            let own = query.participant.is_none();
            agenda_page(&viewer, agenda, own, String::new())
        }
        Err(error) => fail(&viewer, error),
    }
}

/// A personal agenda: private to its owner, so the shared download response (never sniffed, kept
/// by no shared cache).
fn ics_response(text: String, filename: &str) -> Response {
    crate::brochure_files::export_file(app::spreadsheet::Download {
        file_name: filename.to_owned(),
        content_type: "text/calendar; charset=utf-8",
        bytes: text.into_bytes(),
    })
}

async fn agenda_ics(State(state): State<AppState>, viewer: Viewer, Path(id): Path<i64>) -> Response {
    match state.app.agenda_ics(&viewer.actor, id).await {
        Ok(text) => ics_response(text, &format!("agenda-{id}.ics")),
        Err(error) => fail(&viewer, error),
    }
}

async fn feed(State(state): State<AppState>, viewer: Viewer, Path(id): Path<i64>) -> Response {
    let url = match state.app.create_feed(&viewer.actor, id).await {
        Ok(url) => url,
        Err(error) => return fail(&viewer, error),
    };
    match state.app.agenda(&viewer.actor, id, None).await {
        Ok(agenda) => agenda_page(&viewer, agenda, true, url),
        Err(error) => fail(&viewer, error),
    }
}

/// `GET /agenda/{token}.ics`: the private feed, no sign-in.
async fn public_feed(State(state): State<AppState>, viewer: Viewer, Path(file): Path<String>) -> Response {
    let Some(token) = file.strip_suffix(".ics") else {
        return fail(&viewer, AppError::NotFound("agenda"));
    };
    match state.app.feed(token).await {
        Ok(text) => ics_response(text, "agenda.ics"),
        Err(error) => fail(&viewer, error),
    }
}

struct SheetView {
    table: i64,
    rows: Vec<(String, String, String)>,
}

#[derive(Template)]
#[template(path = "meetings/tables.html")]
struct TablesPage {
    c: Chrome,
    event: Event,
    sheets: Vec<SheetView>,
}

async fn tables(State(state): State<AppState>, viewer: Viewer, Path(id): Path<i64>) -> Response {
    match state.app.table_sheets(&viewer.actor, id).await {
        Ok((event, sheets)) => render(&TablesPage {
            c: Chrome::of(&viewer, "events"),
            event,
            sheets: sheets
                .into_iter()
                .map(|s: TableSheet| SheetView {
                    table: s.table + 1,
                    rows: s
                        .rows
                        .into_iter()
                        .map(|r| (format!("{}–{}", when(r.starts_at), hour(r.ends_at)), r.a, r.b))
                        .collect(),
                })
                .collect(),
        }),
        Err(error) => fail(&viewer, error),
    }
}

#[cfg(test)]
mod tests {
    use super::ProfileForm;

    #[test]
    fn ticked_slots_count_from_one_and_the_cap_is_optional() {
        let form = ProfileForm::parse(b"offers=usinage&available=1&available=3&max_meetings=&csrf_token=x");
        let input = form.to_input().unwrap();
        assert_eq!(input.available, Some(vec![0, 2]));
        assert_eq!((input.offers.as_str(), input.max_meetings), ("usinage", None));
        let input = ProfileForm::parse(b"available=2&max_meetings=4")
            .to_input()
            .unwrap();
        assert_eq!(input.max_meetings, Some(4));
        let fields = |body: &[u8]| -> Vec<String> {
            ProfileForm::parse(body)
                .to_input()
                .unwrap_err()
                .into_iter()
                .map(|e| e.field.to_string())
                .collect()
        };
        assert_eq!(fields(b"offers=x"), ["available"]);
        assert_eq!(fields(b"available=0"), ["available"]);
        assert_eq!(
            fields(b"available=x&max_meetings=beaucoup"),
            ["available", "max_meetings"]
        );
    }
}
