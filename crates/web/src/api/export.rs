//! Export support through the JSON API: premises abroad and stay requests, shared VIE posts and applications.
//! Handlers parse, call one use-case of `app::export` and answer its view.

use super::{ApiResult, Json, Path};
use crate::identity::ApiCaller;
use crate::state::AppState;
use app::export::{
    ApplicationView, DecisionInput, ExportHub, PremisesInput, PremisesView, ShareInput, StayInput, StayView,
    VieInput, ViePostView,
};
use axum::Router;
use axum::extract::State;
use axum::http::StatusCode;
use axum::routing::{get, post};
use utoipa::OpenApi;

#[derive(OpenApi)]
#[openapi(paths(
    hub,
    publish_premises,
    premises,
    update_premises,
    withdraw_premises,
    request_stay,
    stay,
    decide_stay,
    withdraw_stay,
    publish_vie,
    vie_post,
    withdraw_vie,
    confirm_vie,
    apply_vie,
    vie_application,
    decide_vie_application,
    withdraw_vie_application,
))]
pub(super) struct Doc;

pub(super) fn routes() -> Router<AppState> {
    Router::new()
        .route("/api/v1/clusters/{cluster_id}/export", get(hub))
        .route(
            "/api/v1/clusters/{cluster_id}/export/premises",
            post(publish_premises),
        )
        .route("/api/v1/export/premises/{id}", get(premises).put(update_premises))
        .route("/api/v1/export/premises/{id}/withdraw", post(withdraw_premises))
        .route("/api/v1/export/premises/{id}/stays", post(request_stay))
        .route("/api/v1/export/stays/{id}", get(stay))
        .route("/api/v1/export/stays/{id}/decision", post(decide_stay))
        .route("/api/v1/export/stays/{id}/withdraw", post(withdraw_stay))
        .route("/api/v1/clusters/{cluster_id}/export/vie", post(publish_vie))
        .route("/api/v1/export/vie/{id}", get(vie_post))
        .route("/api/v1/export/vie/{id}/withdraw", post(withdraw_vie))
        .route("/api/v1/export/vie/{id}/confirm", post(confirm_vie))
        .route("/api/v1/export/vie/{id}/applications", post(apply_vie))
        .route("/api/v1/export/vie-applications/{id}", get(vie_application))
        .route(
            "/api/v1/export/vie-applications/{id}/decision",
            post(decide_vie_application),
        )
        .route(
            "/api/v1/export/vie-applications/{id}/withdraw",
            post(withdraw_vie_application),
        )
}

/// The cluster's premises abroad and VIE posts (its staff and registry participants).
#[utoipa::path(get, path = "/api/v1/clusters/{cluster_id}/export", tag = "export",
    params(("cluster_id" = i64, Path)),
    responses((status = 200, body = ExportHub), (status = 401, body = crate::error::Problem), (status = 404, body = crate::error::Problem)))]
pub async fn hub(
    State(state): State<AppState>,
    ApiCaller(actor): ApiCaller,
    Path(cluster_id): Path<i64>,
) -> ApiResult<axum::Json<ExportHub>> {
    Ok(axum::Json(state.app.export_hub(&actor, cluster_id).await?))
}

/// Publishes premises abroad (a large company or mid-cap's admins and buyers, or the cluster's staff with `host_id`).
#[utoipa::path(post, path = "/api/v1/clusters/{cluster_id}/export/premises", tag = "export",
    params(("cluster_id" = i64, Path)), request_body = PremisesInput,
    responses((status = 201, body = PremisesView), (status = 401, body = crate::error::Problem), (status = 404, body = crate::error::Problem), (status = 403, body = crate::error::Problem), (status = 409, body = crate::error::Problem), (status = 422, body = crate::error::Problem)))]
pub async fn publish_premises(
    State(state): State<AppState>,
    ApiCaller(actor): ApiCaller,
    Path(cluster_id): Path<i64>,
    Json(form): Json<PremisesInput>,
) -> ApiResult<(StatusCode, axum::Json<PremisesView>)> {
    Ok((
        StatusCode::CREATED,
        axum::Json(state.app.publish_premises(&actor, cluster_id, &form).await?),
    ))
}

/// Premises abroad, with the requests the caller may see (all for the host side, their own otherwise).
#[utoipa::path(get, path = "/api/v1/export/premises/{id}", tag = "export",
    params(("id" = i64, Path)),
    responses((status = 200, body = PremisesView), (status = 401, body = crate::error::Problem), (status = 404, body = crate::error::Problem)))]
pub async fn premises(
    State(state): State<AppState>,
    ApiCaller(actor): ApiCaller,
    Path(id): Path<i64>,
) -> ApiResult<axum::Json<PremisesView>> {
    Ok(axum::Json(state.app.export_premises(&actor, id).await?))
}

/// Rewrites premises (host side); accepted stays must still fit.
#[utoipa::path(put, path = "/api/v1/export/premises/{id}", tag = "export",
    params(("id" = i64, Path)), request_body = PremisesInput,
    responses((status = 200, body = PremisesView), (status = 401, body = crate::error::Problem), (status = 404, body = crate::error::Problem), (status = 403, body = crate::error::Problem), (status = 409, body = crate::error::Problem), (status = 422, body = crate::error::Problem)))]
pub async fn update_premises(
    State(state): State<AppState>,
    ApiCaller(actor): ApiCaller,
    Path(id): Path<i64>,
    Json(form): Json<PremisesInput>,
) -> ApiResult<axum::Json<PremisesView>> {
    Ok(axum::Json(state.app.update_premises(&actor, id, &form).await?))
}

/// Withdraws premises (host side); pending requests are declined.
#[utoipa::path(post, path = "/api/v1/export/premises/{id}/withdraw", tag = "export",
    params(("id" = i64, Path)),
    responses((status = 200, body = PremisesView), (status = 401, body = crate::error::Problem), (status = 404, body = crate::error::Problem), (status = 403, body = crate::error::Problem), (status = 409, body = crate::error::Problem)))]
pub async fn withdraw_premises(
    State(state): State<AppState>,
    ApiCaller(actor): ApiCaller,
    Path(id): Path<i64>,
) -> ApiResult<axum::Json<PremisesView>> {
    Ok(axum::Json(state.app.withdraw_premises(&actor, id).await?))
}

/// Requests a stay for the caller's organisation (registry participants of another member).
#[utoipa::path(post, path = "/api/v1/export/premises/{id}/stays", tag = "export",
    params(("id" = i64, Path)), request_body = StayInput,
    responses((status = 201, body = StayView), (status = 401, body = crate::error::Problem), (status = 404, body = crate::error::Problem), (status = 403, body = crate::error::Problem), (status = 409, body = crate::error::Problem), (status = 422, body = crate::error::Problem)))]
pub async fn request_stay(
    State(state): State<AppState>,
    ApiCaller(actor): ApiCaller,
    Path(id): Path<i64>,
    Json(form): Json<StayInput>,
) -> ApiResult<(StatusCode, axum::Json<StayView>)> {
    Ok((
        StatusCode::CREATED,
        axum::Json(state.app.request_stay(&actor, id, &form).await?),
    ))
}

/// One stay request: the host side's and the requesting organisation's; 404 for others.
#[utoipa::path(get, path = "/api/v1/export/stays/{id}", tag = "export",
    params(("id" = i64, Path)),
    responses((status = 200, body = StayView), (status = 401, body = crate::error::Problem), (status = 404, body = crate::error::Problem)))]
pub async fn stay(
    State(state): State<AppState>,
    ApiCaller(actor): ApiCaller,
    Path(id): Path<i64>,
) -> ApiResult<axum::Json<StayView>> {
    Ok(axum::Json(state.app.stay_request(&actor, id).await?))
}

/// Accepts (409 when a day would be overbooked) or declines a pending request (host side).
#[utoipa::path(post, path = "/api/v1/export/stays/{id}/decision", tag = "export",
    params(("id" = i64, Path)), request_body = DecisionInput,
    responses((status = 200, body = StayView), (status = 401, body = crate::error::Problem), (status = 404, body = crate::error::Problem), (status = 403, body = crate::error::Problem), (status = 409, body = crate::error::Problem), (status = 422, body = crate::error::Problem)))]
pub async fn decide_stay(
    State(state): State<AppState>,
    ApiCaller(actor): ApiCaller,
    Path(id): Path<i64>,
    Json(form): Json<DecisionInput>,
) -> ApiResult<axum::Json<StayView>> {
    Ok(axum::Json(state.app.decide_stay(&actor, id, &form).await?))
}

/// Withdraws a pending request (the requesting organisation).
#[utoipa::path(post, path = "/api/v1/export/stays/{id}/withdraw", tag = "export",
    params(("id" = i64, Path)),
    responses((status = 200, body = StayView), (status = 401, body = crate::error::Problem), (status = 404, body = crate::error::Problem), (status = 403, body = crate::error::Problem), (status = 409, body = crate::error::Problem)))]
pub async fn withdraw_stay(
    State(state): State<AppState>,
    ApiCaller(actor): ApiCaller,
    Path(id): Path<i64>,
) -> ApiResult<axum::Json<StayView>> {
    Ok(axum::Json(state.app.withdraw_stay(&actor, id).await?))
}

/// Publishes a shared VIE post (host side, as for premises).
#[utoipa::path(post, path = "/api/v1/clusters/{cluster_id}/export/vie", tag = "export",
    params(("cluster_id" = i64, Path)), request_body = VieInput,
    responses((status = 201, body = ViePostView), (status = 401, body = crate::error::Problem), (status = 404, body = crate::error::Problem), (status = 403, body = crate::error::Problem), (status = 409, body = crate::error::Problem), (status = 422, body = crate::error::Problem)))]
pub async fn publish_vie(
    State(state): State<AppState>,
    ApiCaller(actor): ApiCaller,
    Path(cluster_id): Path<i64>,
    Json(form): Json<VieInput>,
) -> ApiResult<(StatusCode, axum::Json<ViePostView>)> {
    Ok((
        StatusCode::CREATED,
        axum::Json(state.app.publish_vie_post(&actor, cluster_id, &form).await?),
    ))
}

/// A VIE post: accepted shares with their parts of the cost, and the applications the caller may see.
#[utoipa::path(get, path = "/api/v1/export/vie/{id}", tag = "export",
    params(("id" = i64, Path)),
    responses((status = 200, body = ViePostView), (status = 401, body = crate::error::Problem), (status = 404, body = crate::error::Problem)))]
pub async fn vie_post(
    State(state): State<AppState>,
    ApiCaller(actor): ApiCaller,
    Path(id): Path<i64>,
) -> ApiResult<axum::Json<ViePostView>> {
    Ok(axum::Json(state.app.vie_post(&actor, id).await?))
}

/// Withdraws a VIE post (host side); pending applications are declined.
#[utoipa::path(post, path = "/api/v1/export/vie/{id}/withdraw", tag = "export",
    params(("id" = i64, Path)),
    responses((status = 200, body = ViePostView), (status = 401, body = crate::error::Problem), (status = 404, body = crate::error::Problem), (status = 403, body = crate::error::Problem), (status = 409, body = crate::error::Problem)))]
pub async fn withdraw_vie(
    State(state): State<AppState>,
    ApiCaller(actor): ApiCaller,
    Path(id): Path<i64>,
) -> ApiResult<axum::Json<ViePostView>> {
    Ok(axum::Json(state.app.withdraw_vie_post(&actor, id).await?))
}

/// Confirms the sharing (host side): 409 naming the gap unless the accepted shares make exactly 100 %.
#[utoipa::path(post, path = "/api/v1/export/vie/{id}/confirm", tag = "export",
    params(("id" = i64, Path)),
    responses((status = 200, body = ViePostView), (status = 401, body = crate::error::Problem), (status = 404, body = crate::error::Problem), (status = 403, body = crate::error::Problem), (status = 409, body = crate::error::Problem)))]
pub async fn confirm_vie(
    State(state): State<AppState>,
    ApiCaller(actor): ApiCaller,
    Path(id): Path<i64>,
) -> ApiResult<axum::Json<ViePostView>> {
    Ok(axum::Json(state.app.confirm_vie_sharing(&actor, id).await?))
}

/// Applies for a share of the volunteer's time (registry participants of another member); 422 over what is left.
#[utoipa::path(post, path = "/api/v1/export/vie/{id}/applications", tag = "export",
    params(("id" = i64, Path)), request_body = ShareInput,
    responses((status = 201, body = ApplicationView), (status = 401, body = crate::error::Problem), (status = 404, body = crate::error::Problem), (status = 403, body = crate::error::Problem), (status = 409, body = crate::error::Problem), (status = 422, body = crate::error::Problem)))]
pub async fn apply_vie(
    State(state): State<AppState>,
    ApiCaller(actor): ApiCaller,
    Path(id): Path<i64>,
    Json(form): Json<ShareInput>,
) -> ApiResult<(StatusCode, axum::Json<ApplicationView>)> {
    Ok((
        StatusCode::CREATED,
        axum::Json(state.app.apply_for_vie_share(&actor, id, &form).await?),
    ))
}

/// One application: the host side's and the applicant's; 404 for others.
#[utoipa::path(get, path = "/api/v1/export/vie-applications/{id}", tag = "export",
    params(("id" = i64, Path)),
    responses((status = 200, body = ApplicationView), (status = 401, body = crate::error::Problem), (status = 404, body = crate::error::Problem)))]
pub async fn vie_application(
    State(state): State<AppState>,
    ApiCaller(actor): ApiCaller,
    Path(id): Path<i64>,
) -> ApiResult<axum::Json<ApplicationView>> {
    Ok(axum::Json(state.app.vie_application(&actor, id).await?))
}

/// Accepts (409 when the shares would pass 100 %) or declines an application (host side).
#[utoipa::path(post, path = "/api/v1/export/vie-applications/{id}/decision", tag = "export",
    params(("id" = i64, Path)), request_body = DecisionInput,
    responses((status = 200, body = ApplicationView), (status = 401, body = crate::error::Problem), (status = 404, body = crate::error::Problem), (status = 403, body = crate::error::Problem), (status = 409, body = crate::error::Problem), (status = 422, body = crate::error::Problem)))]
pub async fn decide_vie_application(
    State(state): State<AppState>,
    ApiCaller(actor): ApiCaller,
    Path(id): Path<i64>,
    Json(form): Json<DecisionInput>,
) -> ApiResult<axum::Json<ApplicationView>> {
    Ok(axum::Json(
        state.app.decide_vie_application(&actor, id, &form).await?,
    ))
}

/// Withdraws a pending application (the applicant).
#[utoipa::path(post, path = "/api/v1/export/vie-applications/{id}/withdraw", tag = "export",
    params(("id" = i64, Path)),
    responses((status = 200, body = ApplicationView), (status = 401, body = crate::error::Problem), (status = 404, body = crate::error::Problem), (status = 403, body = crate::error::Problem), (status = 409, body = crate::error::Problem)))]
pub async fn withdraw_vie_application(
    State(state): State<AppState>,
    ApiCaller(actor): ApiCaller,
    Path(id): Path<i64>,
) -> ApiResult<axum::Json<ApplicationView>> {
    Ok(axum::Json(state.app.withdraw_vie_application(&actor, id).await?))
}
