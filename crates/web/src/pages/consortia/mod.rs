//! Partner pool pages: opportunities, proposed teams, consortia, their private workspace and the joint dossier.

use crate::state::AppState;
use axum::Router;

pub fn routes() -> Router<AppState> {
    Router::new()
}
