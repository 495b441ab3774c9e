//! A call taken out of Passerelle: as open data, the Open Contracting Data Standard 1.1 release
//! package of the call and its awards (`/api/v1/calls/{id}/ocds`, for whoever may read the call),
//! and its consolidated ranking as a spreadsheet (`/api/v1/calls/{id}/ranking.xlsx`, buyer side).

use super::{ApiResult, Path};
use crate::error::Problem;
use crate::identity::ApiCaller;
use crate::state::AppState;
use axum::Router;
use axum::extract::State;
use axum::response::Response;
use axum::routing::get;
use utoipa::OpenApi;

#[derive(OpenApi)]
#[openapi(paths(ocds, ranking_xlsx), components(schemas(Problem)))]
pub(super) struct Doc;

pub(super) fn routes() -> Router<AppState> {
    Router::new()
        .route("/api/v1/calls/{id}/ocds", get(ocds))
        .route("/api/v1/calls/{id}/ranking.xlsx", get(ranking_xlsx))
}

/// The call as an OCDS 1.1 release package (one release: parties, buyer, tender with lots,
/// weighted criteria and documents; tenderers once closed; awards from published "listed"
/// decisions). Readable by whoever may read the call, visitors included for a public call.
#[utoipa::path(get, path = "/api/v1/calls/{id}/ocds", tag = "committee", params(("id" = i64, Path)),
    responses((status = 200, description = "An OCDS 1.1 release package.", content_type = "application/json",
            body = serde_json::Value),
        (status = 401, body = Problem), (status = 404, body = Problem)))]
pub async fn ocds(
    State(state): State<AppState>,
    ApiCaller(actor): ApiCaller,
    Path(id): Path<i64>,
) -> ApiResult<axum::Json<serde_json::Value>> {
    Ok(axum::Json(state.app.call_ocds(&actor, id).await?))
}

/// The consolidated ranking of a closed call as an XLSX file, headers in the caller's language
/// (the buyer side, like the ranking itself).
#[utoipa::path(get, path = "/api/v1/calls/{id}/ranking.xlsx", tag = "committee",
    params(("id" = i64, Path)),
    responses((status = 200, description = "The file, as an attachment.",
            content_type = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
        (status = 401, body = Problem), (status = 404, body = Problem), (status = 409, body = Problem)))]
pub async fn ranking_xlsx(
    State(state): State<AppState>,
    ApiCaller(actor): ApiCaller,
    Path(id): Path<i64>,
) -> ApiResult<Response> {
    let download = state.app.ranking_xlsx(&actor, id, None).await?;
    Ok(crate::brochure_files::export_file(download))
}
