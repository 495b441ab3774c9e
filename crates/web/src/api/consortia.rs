//! Partner pools through the JSON API: opportunities, proposed teams, consortia and their workspace, the joint dossier.

use crate::state::AppState;
use axum::Router;
use utoipa::OpenApi;

#[derive(OpenApi)]
#[openapi()]
pub(super) struct Doc;

pub(super) fn routes() -> Router<AppState> {
    Router::new()
}
