//! Purchasing policy pages: the cluster's published policies, one organisation's policy, and its
//! editors' form (a draft or published; refused input comes back beside its fields, unsaved).

use super::{fail, paris_time};
use crate::error::status_of;
use crate::identity::Viewer;
use crate::pages::{Chrome, Refusal, form_errors, render, render_with};
use crate::state::AppState;
use app::committee::policies::{PolicyInput, PolicyView, limits};
use app::{Actor, AppError, FieldError};
use askama::Template;
use axum::Form;
use axum::Router;
use axum::extract::{Path, State};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::get;
use serde::Deserialize;

pub(super) fn routes() -> Router<AppState> {
    Router::new()
        .route("/purchasing-policies", get(list))
        .route("/organisations/{id}/purchasing-policy", get(show).post(save))
        .route("/organisations/{id}/purchasing-policy/edit", get(edit))
}

/// A published policy as a line of the list.
struct PolicyRow {
    organisation_id: i64,
    organisation_name: String,
    buys: String,
    updated: String,
}

#[derive(Template)]
#[template(path = "committee/policies.html")]
struct PoliciesPage {
    c: Chrome,
    policies: Vec<PolicyRow>,
    /// The viewer's own organisation, when they may write its policy.
    own: Option<i64>,
}

/// The cluster whose committee the viewer reads by default (shared with the session pages).
pub(super) fn home_cluster(viewer: &Viewer) -> Result<i64, AppError> {
    match &viewer.actor {
        Actor::Person(p) => app::actor::home_cluster(p).ok_or(AppError::NotFound("cluster")),
        Actor::Visitor => Err(AppError::Unauthenticated),
    }
}

/// `GET /purchasing-policies`: the published policies of the viewer's cluster.
pub async fn list(State(state): State<AppState>, viewer: Viewer) -> Response {
    let listed = match home_cluster(&viewer) {
        Ok(cluster_id) => state.app.purchasing_policies(&viewer.actor, cluster_id).await,
        Err(error) => Err(error),
    };
    let listed = match listed {
        Ok(listed) => listed,
        Err(error) => return fail(&viewer, error),
    };
    let own = match &viewer.actor {
        Actor::Person(p) => state
            .app
            .purchasing_policy(&viewer.actor, p.organisation_id)
            .await
            .ok()
            .filter(|view| view.can_edit)
            .map(|view| view.organisation_id),
        Actor::Visitor => None,
    };
    render(&PoliciesPage {
        c: Chrome::of(&viewer, "committee"),
        policies: listed
            .into_iter()
            .map(|l| PolicyRow {
                organisation_id: l.policy.organisation_id,
                organisation_name: l.organisation_name,
                buys: excerpt(&l.policy.buys),
                updated: paris_time(l.policy.updated_at),
            })
            .collect(),
        own,
    })
}

/// The first lines of a section, for a list.
fn excerpt(text: &str) -> String {
    const MAX: usize = 240;
    if text.chars().count() <= MAX {
        text.to_owned()
    } else {
        text.chars().take(MAX).chain(['…']).collect()
    }
}

#[derive(Template)]
#[template(path = "committee/policy.html")]
struct PolicyPage {
    c: Chrome,
    view: PolicyView,
    published: bool,
    updated: String,
}

/// `GET /organisations/{id}/purchasing-policy`.
pub async fn show(State(state): State<AppState>, viewer: Viewer, Path(id): Path<i64>) -> Response {
    match state.app.purchasing_policy(&viewer.actor, id).await {
        Ok(view) => render(&PolicyPage {
            c: Chrome::of(&viewer, "committee"),
            published: view.policy.as_ref().is_some_and(|p| p.is_published()),
            updated: view
                .policy
                .as_ref()
                .map(|p| paris_time(p.updated_at))
                .unwrap_or_default(),
            view,
        }),
        Err(error) => fail(&viewer, error),
    }
}

#[derive(Template)]
#[template(path = "committee/policy_form.html")]
struct PolicyFormPage {
    c: Chrome,
    organisation_id: i64,
    organisation_name: String,
    form: PolicyInput,
    section_chars: usize,
    contacts_chars: usize,
    errors: Vec<FieldError>,
}

impl PolicyFormPage {
    fn new(viewer: &Viewer, view: &PolicyView, form: PolicyInput, errors: Vec<FieldError>) -> PolicyFormPage {
        PolicyFormPage {
            c: Chrome::of(viewer, "committee"),
            organisation_id: view.organisation_id,
            organisation_name: view.organisation_name.clone(),
            form,
            section_chars: limits::SECTION_CHARS,
            contacts_chars: limits::CONTACTS_CHARS,
            errors,
        }
    }

    fn err(&self, field: &str) -> String {
        messages(&self.errors, field)
    }
}

/// The messages about one field, or about any row of a list field (`organisations[1]`), joined
/// for beside it (shared with the session pages).
pub(super) fn messages(errors: &[FieldError], field: &str) -> String {
    let row = format!("{field}[");
    errors
        .iter()
        .filter(|e| e.field == field || e.field.starts_with(&row))
        .map(|e| e.message.as_str())
        .collect::<Vec<_>>()
        .join(" ")
}

/// The policy as its editor may change it; everyone else is refused as the use-case says.
async fn editable(state: &AppState, viewer: &Viewer, id: i64) -> Result<PolicyView, AppError> {
    let view = state.app.purchasing_policy(&viewer.actor, id).await?;
    if view.can_edit {
        Ok(view)
    } else {
        Err(AppError::Forbidden)
    }
}

/// `GET /organisations/{id}/purchasing-policy/edit`.
pub async fn edit(State(state): State<AppState>, viewer: Viewer, Path(id): Path<i64>) -> Response {
    match editable(&state, &viewer, id).await {
        Ok(view) => {
            let form = view.policy.as_ref().map(PolicyInput::from).unwrap_or_default();
            render(&PolicyFormPage::new(&viewer, &view, form, Vec::new()))
        }
        Err(error) => fail(&viewer, error),
    }
}

/// The form as sent: the sections, and which button was pressed.
#[derive(Deserialize)]
pub struct PolicyForm {
    #[serde(default)]
    buys: String,
    #[serde(default)]
    innovation_priorities: String,
    #[serde(default)]
    how_to_get_listed: String,
    #[serde(default)]
    contacts: String,
    #[serde(default)]
    commitments: String,
    /// "publish" or "draft".
    #[serde(default)]
    intent: String,
}

/// `POST /organisations/{id}/purchasing-policy`: saves, or shows the form again with the errors.
pub async fn save(
    State(state): State<AppState>,
    viewer: Viewer,
    Path(id): Path<i64>,
    Form(form): Form<PolicyForm>,
) -> Response {
    let input = PolicyInput {
        buys: form.buys,
        innovation_priorities: form.innovation_priorities,
        how_to_get_listed: form.how_to_get_listed,
        contacts: form.contacts,
        commitments: form.commitments,
        published: form.intent == "publish",
    };
    match state.app.save_purchasing_policy(&viewer.actor, id, &input).await {
        Ok(_) => Redirect::to(&format!("/organisations/{id}/purchasing-policy")).into_response(),
        Err(error) => {
            let status = status_of(&error);
            match form_errors(&viewer, error) {
                Refusal::Fields(errors) => match editable(&state, &viewer, id).await {
                    Ok(view) => render_with(status, &PolicyFormPage::new(&viewer, &view, input, errors)),
                    Err(error) => fail(&viewer, error),
                },
                Refusal::Page(response) => response,
            }
        }
    }
}
