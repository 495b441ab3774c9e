//! The buyer side's invitation page of a call: who is invited (withdrawable until closing), the
//! suppliers the directory recommends and a search among the cluster's members, each with an
//! invite button.

use super::{back_to, fail, paris_time};
use crate::error::status_of;
use crate::identity::Viewer;
use crate::pages::{Chrome, Refusal, form_errors, render_with};
use crate::state::AppState;
use app::FieldError;
use askama::Template;
use axum::Form;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::Response;
use serde::Deserialize;

/// Recommendations shown on the page.
const RECOMMENDED: usize = 10;

struct InvitedRow {
    organisation_id: i64,
    name: String,
    at: String,
}

struct CandidateRow {
    organisation_id: i64,
    name: String,
    invited: bool,
    /// The directory's matched passage, HTML-escaped with `<mark>` around the matches.
    snippet_html: String,
}

#[derive(Template)]
#[template(path = "committee/invitations.html")]
struct InvitationsPage {
    c: Chrome,
    id: i64,
    title: String,
    /// Draft, or published before closing: invitations may still change.
    changeable: bool,
    invited: Vec<InvitedRow>,
    recommended: Vec<CandidateRow>,
    query: String,
    found: Vec<CandidateRow>,
    errors: Vec<FieldError>,
}

#[derive(Deserialize, Default)]
pub struct Search {
    #[serde(default)]
    q: String,
}

async fn invitations_page(
    state: &AppState,
    viewer: &Viewer,
    id: i64,
    query: String,
    errors: Vec<FieldError>,
    status: StatusCode,
) -> Response {
    let actor = &viewer.actor;
    let view = match state.app.call(actor, id).await {
        Ok(view) => view,
        Err(error) => return fail(viewer, error),
    };
    let invited = match state.app.call_invitations(actor, id).await {
        Ok(found) => found,
        Err(error) => return fail(viewer, error),
    };
    let is_invited = |organisation_id: i64| invited.iter().any(|i| i.organisation_id == organisation_id);
    let recommended = match state.app.recommended_suppliers(actor, id, RECOMMENDED).await {
        Ok(found) => found
            .into_iter()
            .map(|r| CandidateRow {
                invited: is_invited(r.organisation_id),
                organisation_id: r.organisation_id,
                name: r.name,
                snippet_html: r.snippet_html,
            })
            .collect(),
        Err(error) => return fail(viewer, error),
    };
    let found = if query.trim().is_empty() {
        Vec::new()
    } else {
        match state.app.invitable_members(actor, id, &query).await {
            Ok(found) => found
                .into_iter()
                .map(|o| CandidateRow {
                    invited: is_invited(o.organisation_id),
                    organisation_id: o.organisation_id,
                    name: o.name,
                    snippet_html: String::new(),
                })
                .collect(),
            Err(error) => return fail(viewer, error),
        }
    };
    let changeable = view.changeable;
    render_with(
        status,
        &InvitationsPage {
            c: Chrome::of(viewer, "calls"),
            id,
            title: view.call.fields.title.clone(),
            changeable,
            invited: invited
                .iter()
                .map(|i| InvitedRow {
                    organisation_id: i.organisation_id,
                    name: i.name.clone(),
                    at: paris_time(i.invited_at),
                })
                .collect(),
            recommended,
            query,
            found,
            errors,
        },
    )
}

/// `GET /calls/{id}/invitations?q=`.
pub async fn show(
    State(state): State<AppState>,
    viewer: Viewer,
    Path(id): Path<i64>,
    Query(search): Query<Search>,
) -> Response {
    invitations_page(&state, &viewer, id, search.q, Vec::new(), StatusCode::OK).await
}

#[derive(Deserialize)]
pub struct InviteForm {
    #[serde(default)]
    organisation_id: String,
}

async fn after(state: &AppState, viewer: &Viewer, id: i64, result: Result<(), app::AppError>) -> Response {
    match result {
        Ok(()) => back_to(id, "/invitations"),
        Err(error) => {
            let status = status_of(&error);
            match form_errors(viewer, error) {
                Refusal::Fields(errors) => {
                    invitations_page(state, viewer, id, String::new(), errors, status).await
                }
                Refusal::Page(response) => response,
            }
        }
    }
}

/// `POST /calls/{id}/invitations`: invites the organisation named by `organisation_id`.
pub async fn invite(
    State(state): State<AppState>,
    viewer: Viewer,
    Path(id): Path<i64>,
    Form(form): Form<InviteForm>,
) -> Response {
    let result = match form.organisation_id.trim().parse::<i64>() {
        Ok(organisation_id) => state
            .app
            .invite_to_call(&viewer.actor, id, organisation_id)
            .await
            .map(|_| ()),
        Err(_) => Err(app::AppError::invalid(
            "organisation_id",
            format!("'{}' is not an organisation number", form.organisation_id),
        )),
    };
    after(&state, &viewer, id, result).await
}

/// `POST /calls/{id}/invitations/{org}/remove`.
pub async fn uninvite(
    State(state): State<AppState>,
    viewer: Viewer,
    Path((id, org)): Path<(i64, i64)>,
) -> Response {
    let result = state.app.uninvite_from_call(&viewer.actor, id, org).await;
    after(&state, &viewer, id, result).await
}
