//! The qualified-supplier portfolio's pages: the portfolio (in full for the staff and subscribers,
//! its summary for the rest of the cluster), the qualification page (criteria, applying, the
//! applications one may see), one application (the applicant's evidence, a reviewer's opinions,
//! the staff's reviewers and decision), and the staff's criteria and subscriptions.

use super::fail;
use crate::brochure_files::{committee_file, path_segment, read_form_file};
use crate::identity::Viewer;
use crate::pages::{Chrome, render_with};
use crate::state::AppState;
use app::committee::portfolio::{
    CriterionInput, DecisionInput, EvidenceInput, OpinionInput, PortfolioView, Standing, SubscriptionInput,
};
use app::{Actor, AppError, FieldError};
use askama::Template;
use axum::extract::multipart::MultipartRejection;
use axum::extract::{DefaultBodyLimit, Multipart, Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use axum::{Form, Router};
use domain::policy::{Action, OrgFacts, authorize};
use serde::Deserialize;

mod application;
mod criteria;
mod qualification;
mod subscriptions;
mod view;

use application::*;
use criteria::*;
use qualification::*;
use subscriptions::*;
use view::*;

pub(super) fn routes() -> Router<crate::state::AppState> {
    Router::new()
        .route("/portfolio", get(home_portfolio))
        .route("/qualification", get(home_qualification))
        .route("/clusters/{id}/portfolio", get(portfolio))
        .route("/clusters/{id}/portfolio/listings", post(list_supplier))
        .route("/clusters/{id}/qualification", get(qualification))
        .route("/clusters/{id}/qualification/applications", post(apply))
        .route(
            "/clusters/{id}/qualification/criteria",
            get(criteria).post(save_criteria),
        )
        .route(
            "/clusters/{id}/portfolio/subscriptions",
            get(subscriptions).post(grant),
        )
        .route(
            "/clusters/{id}/portfolio/subscriptions/{sid}/revoke",
            post(revoke),
        )
        .route(
            "/qualification/applications/{id}",
            get(application).post(save_evidence),
        )
        .route("/qualification/applications/{id}/submit", post(submit))
        .route("/qualification/applications/{id}/withdraw", post(withdraw))
        .route("/qualification/applications/{id}/reviewers", post(name_reviewers))
        .route("/qualification/applications/{id}/opinions", post(give_opinions))
        .route("/qualification/applications/{id}/decision", post(decide))
        .route(
            "/qualification/applications/{id}/files",
            post(attach_file).layer(DefaultBodyLimit::max(crate::api::UPLOAD_BODY_LIMIT)),
        )
        .route("/qualification/applications/{id}/files/{name}", get(download))
        .route(
            "/qualification/applications/{id}/files/{name}/remove",
            post(remove_file),
        )
}

#[derive(Deserialize, Default)]
pub struct Notice {
    #[serde(default)]
    notice: String,
}

const NOTICES: [&str; 12] = [
    "listed",
    "applied",
    "saved",
    "submitted",
    "withdrawn",
    "reviewers",
    "opinions",
    "decided",
    "granted",
    "revoked",
    "attached",
    "removed",
];

fn notice_text(viewer: &Viewer, notice: &str) -> String {
    crate::pages::notice_text(viewer, "portfolio", &NOTICES, notice)
}

use crate::pages::{go_with_notice as go, refused};

fn is_staff(viewer: &Viewer, cluster_id: i64) -> bool {
    authorize(&viewer.actor, &Action::ManagePortfolio { cluster_id }).is_ok()
}

/// `GET /portfolio` and `GET /qualification`: the viewer's own cluster's page.
fn to_home_cluster(viewer: &Viewer, rest: &str) -> Response {
    match &viewer.actor {
        Actor::Person(p) => match app::actor::home_cluster(p) {
            Some(id) => Redirect::to(&format!("/clusters/{id}/{rest}")).into_response(),
            None => fail(viewer, AppError::NotFound("cluster")),
        },
        Actor::Visitor => fail(viewer, AppError::Unauthenticated),
    }
}

async fn home_portfolio(viewer: Viewer) -> Response {
    to_home_cluster(&viewer, "portfolio")
}

async fn home_qualification(viewer: Viewer) -> Response {
    to_home_cluster(&viewer, "qualification")
}
