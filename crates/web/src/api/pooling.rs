//! Pooled purchasing through the JSON API: pools, commitments, sealed offers, awards and exports.

use crate::state::AppState;
use axum::Router;
use utoipa::OpenApi;

#[derive(OpenApi)]
#[openapi()]
pub(super) struct Doc;

pub(super) fn routes() -> Router<AppState> {
    Router::new()
}
