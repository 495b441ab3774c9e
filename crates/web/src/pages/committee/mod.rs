//! Purchasing committee pages: the calls for proposals a viewer may see, the buyer's call form and
//! controls, public Q&A, the candidate's dossier (draft, files, submission, withdrawal) and the
//! buyer side's sealed-until-closing submissions. Handlers parse, call one use-case, render.

mod audit;
mod calls;
mod dossier;
mod evaluation;
mod exports;
mod files;
mod for_you;
mod invitations;
mod policies;
mod portfolio;
mod sessions;
mod suppliers;

use crate::state::AppState;
use axum::Router;
use axum::extract::DefaultBodyLimit;
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/calls", get(calls::list).post(calls::create))
        .route("/calls/new", get(calls::new_form))
        .route("/calls/for-you", get(for_you::show))
        .route("/calls/{id}", get(calls::show))
        .route("/calls/{id}/edit", get(calls::edit_form).post(calls::edit))
        .route(
            "/calls/{id}/documents",
            post(files::add).layer(DefaultBodyLimit::max(crate::api::UPLOAD_BODY_LIMIT)),
        )
        .route("/calls/{id}/documents/{doc}", get(files::document))
        .route("/calls/{id}/documents/{doc}/remove", post(files::remove))
        .route(
            "/calls/{id}/invitations",
            get(invitations::show).post(invitations::invite),
        )
        .route(
            "/calls/{id}/invitations/{org}/remove",
            post(invitations::uninvite),
        )
        .route("/calls/{id}/publish", post(calls::publish))
        .route("/calls/{id}/cancel", post(calls::cancel))
        .route("/calls/{id}/questions", post(calls::ask))
        .route("/calls/{id}/questions/{qid}/answer", post(calls::answer))
        .route("/calls/{id}/dossier", get(dossier::show).post(dossier::save))
        .route(
            "/calls/{id}/dossier/attachments",
            post(dossier::attach).layer(DefaultBodyLimit::max(crate::api::UPLOAD_BODY_LIMIT)),
        )
        .route(
            "/calls/{id}/dossier/attachments/remove",
            post(dossier::remove_file),
        )
        .route("/calls/{id}/dossier/submit", post(dossier::submit))
        .route("/calls/{id}/dossier/withdraw", post(dossier::withdraw))
        .route("/calls/{id}/dossiers", get(dossier::submissions))
        .route(
            "/calls/{id}/dossiers/{did}/versions/{version}/files/{name}",
            get(files::dossier_file),
        )
        .merge(audit::routes())
        .merge(evaluation::routes())
        .merge(policies::routes())
        .merge(sessions::routes())
        .merge(suppliers::routes())
        .merge(exports::routes())
        .merge(portfolio::routes())
}

/// A stored instant (Unix ms) in Paris time, as people read it (shared with the other areas).
use super::paris_time;

use super::fail;

fn back_to(id: i64, rest: &str) -> Response {
    Redirect::to(&format!("/calls/{id}{rest}")).into_response()
}
