//! The committee's files in the browser: the buyer side adds and removes a call's documents
//! (an amendment once published), readers download them, and dossier files are downloaded by
//! those who may read the dossier. Refusals are the call's page with the reason.

use super::calls::after;
use super::fail;
use crate::brochure_files::{committee_file, path_segment, read_form_file};
use crate::identity::Viewer;
use crate::state::AppState;
use app::AppError;
use axum::Form;
use axum::extract::multipart::MultipartRejection;
use axum::extract::{Multipart, Path, State};
use axum::response::Response;
use serde::Deserialize;

/// `POST /calls/{id}/documents`: multipart `file`, and `amendment` once the call is published.
pub async fn add(
    State(state): State<AppState>,
    viewer: Viewer,
    Path(id): Path<i64>,
    multipart: Result<Multipart, MultipartRejection>,
) -> Response {
    // Nobody streams 10 MiB in before being known to be someone.
    if matches!(viewer.actor, app::Actor::Visitor) {
        return fail(&viewer, AppError::Unauthenticated);
    }
    let result = match read_form_file(multipart).await {
        Ok(form) => {
            let amendment = form.text("amendment").to_owned();
            state
                .app
                .add_call_document(&viewer.actor, id, form.upload, &amendment)
                .await
                .map(|_| ())
        }
        Err(error) => Err(error),
    };
    after(&state, &viewer, id, result).await
}

#[derive(Deserialize)]
pub struct RemoveForm {
    #[serde(default)]
    amendment: String,
}

/// `POST /calls/{id}/documents/{doc}/remove`.
pub async fn remove(
    State(state): State<AppState>,
    viewer: Viewer,
    Path((id, doc)): Path<(i64, i64)>,
    Form(form): Form<RemoveForm>,
) -> Response {
    let result = state
        .app
        .remove_call_document(&viewer.actor, id, doc, &form.amendment)
        .await;
    after(&state, &viewer, id, result).await
}

/// `GET /calls/{id}/documents/{doc}`.
pub async fn document(
    State(state): State<AppState>,
    viewer: Viewer,
    Path((id, doc)): Path<(i64, i64)>,
) -> Response {
    match state.app.call_document(&viewer.actor, id, doc).await {
        Ok(file) => committee_file(file),
        Err(error) => fail(&viewer, error),
    }
}

/// `GET /calls/{id}/dossiers/{did}/versions/{version}/files/{name}`: one file of a dossier
/// (version 0: the draft) for those who may read it; "not found" for everyone else.
pub async fn dossier_file(
    State(state): State<AppState>,
    viewer: Viewer,
    Path((id, did, version, name)): Path<(i64, i64, i64, String)>,
) -> Response {
    match state
        .app
        .dossier_file(&viewer.actor, id, did, version, &name)
        .await
    {
        Ok(file) => committee_file(file),
        Err(error) => fail(&viewer, error),
    }
}

/// The download path of a dossier's file, its name encoded as one path segment.
pub fn dossier_file_path(call_id: i64, dossier_id: i64, version: i64, file_name: &str) -> String {
    format!(
        "/calls/{call_id}/dossiers/{dossier_id}/versions/{version}/files/{}",
        path_segment(file_name)
    )
}
