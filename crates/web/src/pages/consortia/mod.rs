//! Partner pool pages: opportunities, proposed teams, consortia, their private workspace and the joint dossier.

use crate::brochure_files::{committee_file, path_segment, read_form_file};
use crate::error::status_of;
use crate::identity::Viewer;
use crate::pages::{
    Chrome, Refusal, fail, form_errors, go_with_notice, notice_text, refused, render, render_with,
};
use crate::state::AppState;
use app::consortia::{FormInput, LotInput, OpportunityInput, RequirementView, TeamQuery};
use app::{Actor, AppError, FieldError};
use askama::Template;
use axum::extract::multipart::MultipartRejection;
use axum::extract::{DefaultBodyLimit, Multipart, Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use axum::{Form, Router};
use serde::Deserialize;

mod opportunities;
mod workspace;

use opportunities::*;
use workspace::*;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/opportunities", get(home))
        .route("/consortia", get(home))
        .route("/clusters/{id}/opportunities", get(list).post(enter))
        .route("/clusters/{id}/opportunities/new", get(new_form))
        .route("/opportunities/{id}", get(show).post(edit))
        .route("/opportunities/{id}/edit", get(edit_form))
        .route("/opportunities/{id}/teams", get(teams))
        .route("/opportunities/{id}/consortia", post(form_consortium))
        .route("/consortia/{id}", get(consortium))
        .route("/consortia/{id}/answer", post(answer))
        .route("/consortia/{id}/invitations", post(invite))
        .route("/consortia/{id}/lead", post(hand_lead))
        .route("/consortia/{id}/messages", post(post_message))
        .route(
            "/consortia/{id}/documents",
            post(attach).layer(DefaultBodyLimit::max(crate::api::UPLOAD_BODY_LIMIT)),
        )
        .route("/consortia/{id}/documents/{name}", get(download))
        .route("/consortia/{id}/joint-dossier", post(submit_joint))
}

#[derive(Deserialize, Default)]
pub struct Notice {
    #[serde(default)]
    notice: String,
}

const NOTICES: [&str; 10] = [
    "entered",
    "saved",
    "formed",
    "accepted",
    "declined",
    "invited",
    "lead",
    "posted",
    "submitted",
    "attached",
];

/// `GET /opportunities` and `GET /consortia`: the viewer's cluster's opportunities.
async fn home(viewer: Viewer) -> Response {
    match &viewer.actor {
        Actor::Person(p) => match app::actor::home_cluster(p) {
            Some(id) => Redirect::to(&format!("/clusters/{id}/opportunities")).into_response(),
            None => fail(&viewer, AppError::NotFound("cluster")),
        },
        Actor::Visitor => fail(&viewer, AppError::Unauthenticated),
    }
}

/// A requirement as a page lists it.
struct RequirementLine {
    lot: String,
    kind: String,
    label: String,
}

fn requirement_line(viewer: &Viewer, r: &RequirementView) -> RequirementLine {
    RequirementLine {
        lot: r.lot_name.clone(),
        kind: viewer.tr.t(format!("consortia.kind.{}", r.kind)),
        label: r.label.clone(),
    }
}
