//! (being written)

use crate::state::AppState;
use axum::Router;
use utoipa::OpenApi;

#[derive(OpenApi)]
pub(super) struct Doc;

pub(super) fn routes() -> Router<AppState> {
    Router::new()
}
