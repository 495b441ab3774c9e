//! Committee session pages: the cluster's sessions, one session with its presenting buyers and
//! attached calls, and the staff's controls (schedule form, presenters, attaching calls).

use super::policies::{home_cluster, messages};
use super::{fail, paris_time};
use crate::error::status_of;
use crate::identity::Viewer;
use crate::pages::{Chrome, Refusal, form_errors, render, render_with};
use crate::state::AppState;
use app::committee::sessions::{SessionInput, SessionView, TITLE_CHARS};
use app::{AppError, FieldError};
use askama::Template;
use axum::Form;
use axum::Router;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use domain::policy::{Action, authorize};
use serde::Deserialize;

pub(super) fn routes() -> Router<AppState> {
    Router::new()
        .route("/committee-sessions", get(list).post(create))
        .route("/committee-sessions/new", get(new_form))
        .route("/committee-sessions/{id}", get(show).post(update))
        .route("/committee-sessions/{id}/edit", get(edit))
        .route("/committee-sessions/{id}/presenters", post(presenters))
        .route("/committee-sessions/{id}/calls", post(attach))
        .route("/committee-sessions/{id}/calls/{call_id}/detach", post(detach))
}

fn back_to(id: i64) -> Response {
    Redirect::to(&format!("/committee-sessions/{id}")).into_response()
}

/// A session as the pages show it: times in Paris, presenters, visible calls.
struct SessionRow {
    id: i64,
    title: String,
    presentation: String,
    dossiers_due: String,
    decision: String,
    presenters: Vec<(i64, String)>,
    calls: Vec<CallRow>,
}

struct CallRow {
    id: i64,
    title: String,
    state: String,
    closes: String,
}

fn row(view: &SessionView) -> SessionRow {
    let s = &view.session;
    SessionRow {
        id: s.id,
        title: s.title.clone(),
        presentation: paris_time(s.presentation_at),
        dossiers_due: paris_time(s.dossiers_due_at),
        decision: paris_time(s.decision_at),
        presenters: view
            .presenters
            .iter()
            .map(|p| (p.organisation_id, p.name.clone()))
            .collect(),
        calls: view
            .calls
            .iter()
            .map(|c| CallRow {
                id: c.id,
                title: c.title.clone(),
                state: c.state.clone(),
                closes: paris_time(c.closes_at),
            })
            .collect(),
    }
}

#[derive(Template)]
#[template(path = "committee/sessions.html")]
struct SessionsPage {
    c: Chrome,
    cluster_id: i64,
    sessions: Vec<SessionRow>,
    can_manage: bool,
}

/// `GET /committee-sessions`: the sessions of the viewer's cluster.
pub async fn list(State(state): State<AppState>, viewer: Viewer) -> Response {
    let cluster_id = match home_cluster(&viewer) {
        Ok(id) => id,
        Err(error) => return fail(&viewer, error),
    };
    match state.app.committee_sessions(&viewer.actor, cluster_id).await {
        Ok(views) => render(&SessionsPage {
            c: Chrome::of(&viewer, "committee"),
            cluster_id,
            sessions: views.iter().map(row).collect(),
            can_manage: authorize(&viewer.actor, &Action::ManageCommitteeSessions { cluster_id }).is_ok(),
        }),
        Err(error) => fail(&viewer, error),
    }
}

// ---- one session ------------------------------------------------------------------------------

/// An organisation or call the staff may pick.
struct Choice {
    id: i64,
    label: String,
}

#[derive(Template)]
#[template(path = "committee/session.html")]
struct SessionPage {
    c: Chrome,
    session: SessionRow,
    can_manage: bool,
    /// One select per speaking slot: the current presenter's id, or 0 for an empty slot.
    slots: Vec<i64>,
    /// Organisations that may present: the cluster's large accounts and mid-caps, and whoever
    /// presents already.
    organisations: Vec<Choice>,
    /// Calls of the cluster not attached to this session.
    attachable: Vec<Choice>,
    errors: Vec<FieldError>,
}

impl SessionPage {
    fn err(&self, field: &str) -> String {
        messages(&self.errors, field)
    }
}

/// The member organisations the staff may name as presenters.
async fn presenter_choices(
    state: &AppState,
    viewer: &Viewer,
    cluster_id: i64,
    current: &[(i64, String)],
) -> Result<Vec<Choice>, AppError> {
    let mut choices: Vec<Choice> = current
        .iter()
        .map(|(id, name)| Choice {
            id: *id,
            label: name.clone(),
        })
        .collect();
    let per_page = app::members::PAGE_SIZE_MAX;
    for page in 1.. {
        let found = state
            .app
            .members(&viewer.actor, cluster_id, "", page, per_page)
            .await?;
        for organisation in &found.items {
            let buyer_sized = matches!(organisation.fields.size.as_deref(), Some("large" | "mid_cap"));
            if buyer_sized && !choices.iter().any(|c| c.id == organisation.id) {
                choices.push(Choice {
                    id: organisation.id,
                    label: organisation.fields.legal_name.clone(),
                });
            }
        }
        if page * per_page >= found.total {
            break;
        }
    }
    choices.sort_by(|a, b| a.label.cmp(&b.label));
    Ok(choices)
}

async fn session_page(
    state: &AppState,
    viewer: &Viewer,
    id: i64,
    errors: Vec<FieldError>,
    status: StatusCode,
) -> Response {
    let view = match state.app.committee_session(&viewer.actor, id).await {
        Ok(view) => view,
        Err(error) => return fail(viewer, error),
    };
    let session = row(&view);
    let (organisations, attachable) = if view.can_manage {
        let cluster_id = view.session.cluster_id;
        let organisations = match presenter_choices(state, viewer, cluster_id, &session.presenters).await {
            Ok(choices) => choices,
            Err(error) => return fail(viewer, error),
        };
        let calls = match state.app.calls(&viewer.actor, cluster_id).await {
            Ok(calls) => calls,
            Err(error) => return fail(viewer, error),
        };
        let attachable = calls
            .into_iter()
            .filter(|c| c.session_id != Some(id))
            .map(|c| Choice {
                id: c.id,
                label: c.fields.title,
            })
            .collect();
        (organisations, attachable)
    } else {
        (Vec::new(), Vec::new())
    };
    let mut slots: Vec<i64> = session.presenters.iter().map(|(id, _)| *id).collect();
    slots.resize(slots.len() + 2, 0);
    render_with(
        status,
        &SessionPage {
            c: Chrome::of(viewer, "committee"),
            session,
            can_manage: view.can_manage,
            slots,
            organisations,
            attachable,
            errors,
        },
    )
}

/// After a staff control: back to the session, or its page again with the refusal.
async fn after(state: &AppState, viewer: &Viewer, id: i64, result: Result<(), AppError>) -> Response {
    match result {
        Ok(()) => back_to(id),
        Err(error) => {
            let status = status_of(&error);
            match form_errors(viewer, error) {
                Refusal::Fields(errors) => session_page(state, viewer, id, errors, status).await,
                Refusal::Page(response) => response,
            }
        }
    }
}

/// `GET /committee-sessions/{id}`.
pub async fn show(State(state): State<AppState>, viewer: Viewer, Path(id): Path<i64>) -> Response {
    session_page(&state, &viewer, id, Vec::new(), StatusCode::OK).await
}

/// `POST /committee-sessions/{id}/presenters`: the slots in order, empty ones dropped.
pub async fn presenters(
    State(state): State<AppState>,
    viewer: Viewer,
    Path(id): Path<i64>,
    Form(pairs): Form<Vec<(String, String)>>,
) -> Response {
    let mut organisations = Vec::new();
    for (key, value) in pairs {
        if key != "presenter" || value.trim().is_empty() {
            continue;
        }
        match value.trim().parse::<i64>() {
            Ok(organisation_id) => organisations.push(organisation_id),
            Err(_) => {
                let error = AppError::invalid("organisations", format!("'{value}' is not an organisation"));
                return after(&state, &viewer, id, Err(error)).await;
            }
        }
    }
    let result = state
        .app
        .set_session_presenters(&viewer.actor, id, &organisations)
        .await
        .map(|_| ());
    after(&state, &viewer, id, result).await
}

#[derive(Deserialize)]
pub struct AttachForm {
    #[serde(default)]
    call_id: String,
}

/// `POST /committee-sessions/{id}/calls`: attaches the chosen call.
pub async fn attach(
    State(state): State<AppState>,
    viewer: Viewer,
    Path(id): Path<i64>,
    Form(form): Form<AttachForm>,
) -> Response {
    let result = match form.call_id.trim().parse::<i64>() {
        Ok(call_id) => state
            .app
            .attach_call_to_session(&viewer.actor, call_id, Some(id))
            .await
            .map(|_| ()),
        Err(_) => Err(AppError::invalid("call_id", "choose a call to attach")),
    };
    after(&state, &viewer, id, result).await
}

/// `POST /committee-sessions/{id}/calls/{call_id}/detach`.
pub async fn detach(
    State(state): State<AppState>,
    viewer: Viewer,
    Path((id, call_id)): Path<(i64, i64)>,
) -> Response {
    let result = state
        .app
        .detach_call_from_session(&viewer.actor, id, call_id)
        .await
        .map(|_| ());
    after(&state, &viewer, id, result).await
}

// ---- the schedule form ------------------------------------------------------------------------

#[derive(Template)]
#[template(path = "committee/session_form.html")]
struct SessionFormPage {
    c: Chrome,
    /// None for a new session.
    id: Option<i64>,
    form: SessionInput,
    title_chars: usize,
    errors: Vec<FieldError>,
}

impl SessionFormPage {
    fn new(viewer: &Viewer, id: Option<i64>, form: SessionInput, errors: Vec<FieldError>) -> Self {
        SessionFormPage {
            c: Chrome::of(viewer, "committee"),
            id,
            form,
            title_chars: TITLE_CHARS,
            errors,
        }
    }

    fn err(&self, field: &str) -> String {
        messages(&self.errors, field)
    }

    fn action(&self) -> String {
        match self.id {
            Some(id) => format!("/committee-sessions/{id}"),
            None => "/committee-sessions".to_owned(),
        }
    }
}

/// Only the cluster's staff get the form; others are told as the policy says.
fn may_manage(viewer: &Viewer, cluster_id: i64) -> Result<(), AppError> {
    match authorize(&viewer.actor, &Action::ManageCommitteeSessions { cluster_id }) {
        Ok(()) => Ok(()),
        Err(_) if !viewer.signed_in() => Err(AppError::Unauthenticated),
        Err(_) => Err(AppError::Forbidden),
    }
}

/// `GET /committee-sessions/new`.
pub async fn new_form(viewer: Viewer) -> Response {
    match home_cluster(&viewer).and_then(|cluster_id| may_manage(&viewer, cluster_id)) {
        Ok(()) => render(&SessionFormPage::new(
            &viewer,
            None,
            SessionInput::default(),
            Vec::new(),
        )),
        Err(error) => fail(&viewer, error),
    }
}

/// `GET /committee-sessions/{id}/edit`.
pub async fn edit(State(state): State<AppState>, viewer: Viewer, Path(id): Path<i64>) -> Response {
    let view = match state.app.committee_session(&viewer.actor, id).await {
        Ok(view) => view,
        Err(error) => return fail(&viewer, error),
    };
    if let Err(error) = may_manage(&viewer, view.session.cluster_id) {
        return fail(&viewer, error);
    }
    let form = SessionInput::from(&view.session.fields);
    render(&SessionFormPage::new(&viewer, Some(id), form, Vec::new()))
}

fn refused_form(viewer: &Viewer, id: Option<i64>, form: SessionInput, error: AppError) -> Response {
    let status = status_of(&error);
    match form_errors(viewer, error) {
        Refusal::Fields(errors) => render_with(status, &SessionFormPage::new(viewer, id, form, errors)),
        Refusal::Page(response) => response,
    }
}

/// `POST /committee-sessions`: schedules a session in the viewer's cluster.
pub async fn create(
    State(state): State<AppState>,
    viewer: Viewer,
    Form(form): Form<SessionInput>,
) -> Response {
    let result = match home_cluster(&viewer) {
        Ok(cluster_id) => {
            state
                .app
                .create_committee_session(&viewer.actor, cluster_id, &form)
                .await
        }
        Err(error) => Err(error),
    };
    match result {
        Ok(session) => back_to(session.id),
        Err(error) => refused_form(&viewer, None, form, error),
    }
}

/// `POST /committee-sessions/{id}`: reschedules a session.
pub async fn update(
    State(state): State<AppState>,
    viewer: Viewer,
    Path(id): Path<i64>,
    Form(form): Form<SessionInput>,
) -> Response {
    match state.app.update_committee_session(&viewer.actor, id, &form).await {
        Ok(_) => back_to(id),
        Err(error) => refused_form(&viewer, Some(id), form, error),
    }
}
