//! Clusters and their membership: `/api/v1/clusters…`.

use super::dto::{Cluster, OrganisationPage};
use super::{ApiResult, Json, Path, Query};
use crate::identity::ApiCaller;
use crate::state::AppState;
use axum::extract::State;
use axum::http::StatusCode;
use axum::routing::{delete, get};
use axum::{Router, response::IntoResponse};
use serde::Deserialize;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/api/v1/clusters", get(list_clusters))
        .route(
            "/api/v1/clusters/{cluster_id}/members",
            get(list_members).post(add_member),
        )
        .route(
            "/api/v1/clusters/{cluster_id}/members/{organisation_id}",
            delete(remove_member),
        )
}

/// Clusters whose member list the caller may read.
#[utoipa::path(get, path = "/api/v1/clusters", tag = "clusters",
    responses((status = 200, body = Vec<Cluster>), (status = 401, body = crate::error::Problem)))]
pub async fn list_clusters(
    State(state): State<AppState>,
    ApiCaller(actor): ApiCaller,
) -> ApiResult<axum::Json<Vec<Cluster>>> {
    if matches!(actor, app::Actor::Visitor) {
        return Err(app::AppError::Unauthenticated.into());
    }
    let clusters = state.app.clusters_of(&actor).await?;
    Ok(axum::Json(clusters.into_iter().map(Cluster::from).collect()))
}

#[derive(Deserialize, utoipa::IntoParams)]
pub struct MemberQuery {
    /// Part of the name, accents and case ignored.
    #[serde(default)]
    q: String,
    #[serde(default = "first_page")]
    page: i64,
    #[serde(default = "default_per_page")]
    per_page: i64,
}

fn first_page() -> i64 {
    1
}

fn default_per_page() -> i64 {
    25
}

/// Member organisations of a cluster, by name, paginated.
#[utoipa::path(get, path = "/api/v1/clusters/{cluster_id}/members", tag = "clusters",
    params(("cluster_id" = i64, Path), MemberQuery),
    responses((status = 200, body = OrganisationPage), (status = 401, body = crate::error::Problem),
        (status = 404, body = crate::error::Problem)))]
pub async fn list_members(
    State(state): State<AppState>,
    ApiCaller(actor): ApiCaller,
    Path(cluster_id): Path<i64>,
    Query(query): Query<MemberQuery>,
) -> ApiResult<axum::Json<OrganisationPage>> {
    let page = state
        .app
        .members(&actor, cluster_id, &query.q, query.page, query.per_page)
        .await?;
    Ok(axum::Json(OrganisationPage {
        page: page.offset / page.limit + 1,
        per_page: page.limit,
        total: page.total,
        items: page.items.into_iter().map(Into::into).collect(),
    }))
}

#[derive(Deserialize, utoipa::ToSchema)]
pub struct NewMembership {
    organisation_id: i64,
}

/// Makes an existing organisation a member of the cluster (cluster admins).
#[utoipa::path(post, path = "/api/v1/clusters/{cluster_id}/members", tag = "clusters",
    params(("cluster_id" = i64, Path)), request_body = NewMembership,
    responses((status = 201, description = "added"), (status = 200, description = "already a member"),
        (status = 403, body = crate::error::Problem), (status = 404, body = crate::error::Problem)))]
pub async fn add_member(
    State(state): State<AppState>,
    ApiCaller(actor): ApiCaller,
    Path(cluster_id): Path<i64>,
    Json(body): Json<NewMembership>,
) -> ApiResult<StatusCode> {
    let added = state
        .app
        .add_membership(&actor, cluster_id, body.organisation_id)
        .await?;
    Ok(if added {
        StatusCode::CREATED
    } else {
        StatusCode::OK
    })
}

/// Ends an organisation's membership of the cluster (cluster admins).
#[utoipa::path(delete, path = "/api/v1/clusters/{cluster_id}/members/{organisation_id}", tag = "clusters",
    params(("cluster_id" = i64, Path), ("organisation_id" = i64, Path)),
    responses((status = 204), (status = 403, body = crate::error::Problem), (status = 404, body = crate::error::Problem)))]
pub async fn remove_member(
    State(state): State<AppState>,
    ApiCaller(actor): ApiCaller,
    Path((cluster_id, organisation_id)): Path<(i64, i64)>,
) -> ApiResult<impl IntoResponse> {
    state
        .app
        .remove_membership(&actor, cluster_id, organisation_id)
        .await?;
    Ok(StatusCode::NO_CONTENT)
}
