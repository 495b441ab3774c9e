//! Export support through the JSON API: premises abroad and stay requests, shared VIE posts and applications.

use crate::state::AppState;
use axum::Router;
use utoipa::OpenApi;

#[derive(OpenApi)]
#[openapi()]
pub(super) struct Doc;

pub(super) fn routes() -> Router<AppState> {
    Router::new()
}
