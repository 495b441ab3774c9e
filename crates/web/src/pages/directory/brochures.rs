//! Brochures from the pages: the editor's upload form (multipart; the type is recognised from
//! the bytes in `app`), deletion, and download as an attachment that a browser never renders.

use super::editor::{Feedback, editor_page};
use crate::brochure_files::{attachment, read_form_upload};
use crate::error::status_of;
use crate::identity::Viewer;
use crate::pages::{Refusal, form_errors, render_with};
use crate::state::AppState;
use app::AppError;
use axum::extract::multipart::MultipartRejection;
use axum::extract::{Multipart, Path, State};
use axum::response::{IntoResponse, Redirect, Response};

/// `POST /directory/{id}/brochures`: adds the file, or shows the editor again with the reason.
pub async fn upload(
    State(state): State<AppState>,
    viewer: Viewer,
    Path(id): Path<i64>,
    multipart: Result<Multipart, MultipartRejection>,
) -> Response {
    // Nobody streams 10 MiB in before being known to be someone.
    if matches!(viewer.actor, app::Actor::Visitor) {
        return viewer.fail(AppError::Unauthenticated).into_response();
    }
    let read = read_form_upload(multipart).await;
    let result = match read {
        Ok(upload) => state
            .app
            .add_brochure(&viewer.actor, id, upload)
            .await
            .map(|_| ()),
        Err(refused) => Err(refused),
    };
    let error = match result {
        Ok(()) => {
            return Redirect::to(&format!("/directory/{id}/edit?notice=brochure_added")).into_response();
        }
        Err(error) => error,
    };
    let status = status_of(&error);
    let brochure_errors = match form_errors(&viewer, error) {
        Refusal::Fields(errors) => errors,
        Refusal::Page(response) => return response,
    };
    let feedback = Feedback {
        typed: None,
        errors: Vec::new(),
        brochure_errors,
        notice: None,
    };
    match editor_page(&state, &viewer, id, feedback).await {
        Ok(page) => render_with(status, &page),
        Err(error) => viewer.fail(error).into_response(),
    }
}

/// `POST /directory/{id}/brochures/{brochure_id}/delete`.
pub async fn delete(
    State(state): State<AppState>,
    viewer: Viewer,
    Path((id, brochure_id)): Path<(i64, i64)>,
) -> Response {
    match state.app.delete_brochure(&viewer.actor, id, brochure_id).await {
        Ok(()) => Redirect::to(&format!("/directory/{id}/edit?notice=brochure_deleted")).into_response(),
        Err(error) => viewer.fail(error).into_response(),
    }
}

/// `GET /directory/brochures/{id}`: the bytes as an attachment; members-only brochures are
/// "not found" for visitors.
pub async fn download(State(state): State<AppState>, viewer: Viewer, Path(id): Path<i64>) -> Response {
    let (brochure, bytes) = match state.app.brochure(&viewer.actor, id).await {
        Ok(found) => found,
        Err(error) => return viewer.fail(error).into_response(),
    };
    attachment(&brochure, bytes)
}
