//! Export support pages: premises abroad and stay requests, shared VIE posts and applications.

use crate::state::AppState;
use axum::Router;

pub fn routes() -> Router<AppState> {
    Router::new()
}
