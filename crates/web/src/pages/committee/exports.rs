//! Files a call's buyer side takes away from the pages: the consolidated ranking as a
//! spreadsheet, headers in the page's language. Same access as the ranking page.

use super::fail;
use crate::identity::Viewer;
use crate::state::AppState;
use axum::Router;
use axum::extract::{Path, State};
use axum::response::Response;
use axum::routing::get;

pub(super) fn routes() -> Router<AppState> {
    Router::new().route("/calls/{id}/ranking.xlsx", get(ranking_xlsx))
}

/// `GET /calls/{id}/ranking.xlsx`.
pub async fn ranking_xlsx(State(state): State<AppState>, viewer: Viewer, Path(id): Path<i64>) -> Response {
    match state
        .app
        .ranking_xlsx(&viewer.actor, id, Some(viewer.tr.locale))
        .await
    {
        Ok(download) => crate::brochure_files::export_file(download),
        Err(error) => fail(&viewer, error),
    }
}
