//! Organisations and their people: `/api/v1/organisations…`, `/api/v1/people/{id}`.

use super::dto::{Organisation, Person};
use super::{ApiResult, Json, Path};
use crate::identity::ApiCaller;
use crate::state::AppState;
use app::AppError;
use app::organisations::OrganisationInput;
use axum::Router;
use axum::extract::State;
use axum::http::StatusCode;
use axum::routing::{get, post};
use serde::{Deserialize, Serialize};

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/api/v1/organisations", post(create))
        .route("/api/v1/organisations/{id}", get(get_one).put(update))
        .route("/api/v1/organisations/{id}/people", get(people))
        .route("/api/v1/organisations/{id}/invitations", post(invite))
        .route("/api/v1/people/{id}", get(person))
}

/// The request body of a creation: the organisation's fields plus the cluster it joins. Read as
/// a map so that a refused field is named exactly (serde's `flatten` would hide the path).
#[derive(utoipa::ToSchema)]
#[allow(dead_code)]
pub struct NewOrganisation {
    /// The cluster the new organisation joins.
    cluster_id: i64,
    #[schema(inline)]
    organisation: OrganisationInput,
}

/// Registers an organisation in a cluster (cluster admins).
#[utoipa::path(post, path = "/api/v1/organisations", tag = "organisations", request_body = NewOrganisation,
    responses((status = 201, body = Organisation), (status = 409, body = crate::error::Problem),
        (status = 422, body = crate::error::Problem), (status = 403, body = crate::error::Problem)))]
pub async fn create(
    State(state): State<AppState>,
    ApiCaller(actor): ApiCaller,
    Json(mut body): Json<serde_json::Map<String, serde_json::Value>>,
) -> ApiResult<(StatusCode, axum::Json<Organisation>)> {
    let cluster_id = body
        .remove("cluster_id")
        .ok_or_else(|| AppError::invalid("cluster_id", "missing field `cluster_id`"))?
        .as_i64()
        .ok_or_else(|| AppError::invalid("cluster_id", "must be an integer id"))?;
    let organisation: OrganisationInput = super::from_value(serde_json::Value::Object(body))?;
    let created = state
        .app
        .create_organisation(&actor, cluster_id, &organisation)
        .await?;
    Ok((StatusCode::CREATED, axum::Json(created.into())))
}

/// One organisation of a cluster the caller belongs to.
#[utoipa::path(get, path = "/api/v1/organisations/{id}", tag = "organisations", params(("id" = i64, Path)),
    responses((status = 200, body = Organisation), (status = 404, body = crate::error::Problem)))]
pub async fn get_one(
    State(state): State<AppState>,
    ApiCaller(actor): ApiCaller,
    Path(id): Path<i64>,
) -> ApiResult<axum::Json<Organisation>> {
    Ok(axum::Json(
        state.app.organisation(&actor, id).await?.organisation.into(),
    ))
}

/// Replaces an organisation's registry data (cluster admins, or the organisation's admins).
#[utoipa::path(put, path = "/api/v1/organisations/{id}", tag = "organisations", params(("id" = i64, Path)),
    request_body = OrganisationInput,
    responses((status = 200, body = Organisation), (status = 403, body = crate::error::Problem),
        (status = 404, body = crate::error::Problem), (status = 422, body = crate::error::Problem)))]
pub async fn update(
    State(state): State<AppState>,
    ApiCaller(actor): ApiCaller,
    Path(id): Path<i64>,
    Json(body): Json<OrganisationInput>,
) -> ApiResult<axum::Json<Organisation>> {
    Ok(axum::Json(
        state.app.update_organisation(&actor, id, &body).await?.into(),
    ))
}

/// People of an organisation (its own people and cluster admins only).
#[utoipa::path(get, path = "/api/v1/organisations/{id}/people", tag = "people", params(("id" = i64, Path)),
    responses((status = 200, body = Vec<Person>), (status = 403, body = crate::error::Problem),
        (status = 404, body = crate::error::Problem)))]
pub async fn people(
    State(state): State<AppState>,
    ApiCaller(actor): ApiCaller,
    Path(id): Path<i64>,
) -> ApiResult<axum::Json<Vec<Person>>> {
    Ok(axum::Json(
        state
            .app
            .people_of(&actor, id)
            .await?
            .into_iter()
            .map(Person::from)
            .collect(),
    ))
}

#[derive(Deserialize, utoipa::ToSchema)]
pub struct NewInvitation {
    email: String,
    /// org_admin, buyer, evaluator, member (and cluster_admin, mediator for cluster admins).
    role: String,
}

#[derive(Serialize, utoipa::ToSchema)]
pub struct InvitationCreated {
    id: i64,
}

/// E-mails an invitation to join the organisation with a role.
#[utoipa::path(post, path = "/api/v1/organisations/{id}/invitations", tag = "people", params(("id" = i64, Path)),
    request_body = NewInvitation,
    responses((status = 201, body = InvitationCreated), (status = 403, body = crate::error::Problem),
        (status = 409, body = crate::error::Problem), (status = 422, body = crate::error::Problem)))]
pub async fn invite(
    State(state): State<AppState>,
    ApiCaller(actor): ApiCaller,
    Path(id): Path<i64>,
    Json(body): Json<NewInvitation>,
) -> ApiResult<(StatusCode, axum::Json<InvitationCreated>)> {
    let invitation = state.app.invite(&actor, id, &body.email, &body.role).await?;
    Ok((
        StatusCode::CREATED,
        axum::Json(InvitationCreated { id: invitation }),
    ))
}

/// One person (their own organisation's people and cluster admins only).
#[utoipa::path(get, path = "/api/v1/people/{id}", tag = "people", params(("id" = i64, Path)),
    responses((status = 200, body = Person), (status = 404, body = crate::error::Problem)))]
pub async fn person(
    State(state): State<AppState>,
    ApiCaller(actor): ApiCaller,
    Path(id): Path<i64>,
) -> ApiResult<axum::Json<Person>> {
    Ok(axum::Json(state.app.person(&actor, id).await?.into()))
}
