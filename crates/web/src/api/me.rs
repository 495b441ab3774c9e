//! `GET /api/v1/me`: who the bearer token belongs to.

use super::ApiResult;
use crate::identity::ApiCaller;
use crate::state::AppState;
use app::{Actor, AppError};
use axum::extract::State;
use axum::routing::get;
use axum::{Json, Router};
use serde::Serialize;

#[derive(Serialize, utoipa::ToSchema)]
pub struct Me {
    pub person_id: i64,
    pub email: String,
    pub first_name: String,
    pub last_name: String,
    pub organisation_id: i64,
    pub clusters: Vec<i64>,
    /// Roles held, e.g. `buyer`, `org_admin`, `cluster_admin`.
    pub roles: Vec<String>,
}

pub fn routes() -> Router<AppState> {
    Router::new().route("/api/v1/me", get(me))
}

/// The caller's own account.
#[utoipa::path(get, path = "/api/v1/me", tag = "accounts",
    responses((status = 200, body = Me), (status = 401, body = crate::error::Problem)))]
pub async fn me(State(state): State<AppState>, ApiCaller(actor): ApiCaller) -> ApiResult<Json<Me>> {
    let Actor::Person(principal) = &actor else {
        return Err(AppError::Unauthenticated.into());
    };
    let person = state.app.person_of(&actor).await?;
    Ok(Json(Me {
        person_id: person.id,
        email: person.email,
        first_name: person.first_name,
        last_name: person.last_name,
        organisation_id: person.organisation_id,
        clusters: principal.clusters.clone(),
        roles: principal.roles().iter().map(|r| r.as_str().to_owned()).collect(),
    }))
}
