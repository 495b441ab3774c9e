//! The JSON API under `/api/v1`, its OpenAPI document at `/api/openapi.json` (generated from
//! the handlers' annotations) and a browsable page at `/api/docs` with vendored assets.

mod clusters;
mod dto;
mod me;
mod organisations;

use crate::error::{ApiError, Problem};
use crate::state::AppState;
use axum::Router;
use axum::extract::rejection::{JsonRejection, PathRejection, QueryRejection};
use axum::extract::{FromRequest, FromRequestParts};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use serde::de::DeserializeOwned;
use utoipa::OpenApi;
use utoipa::openapi::security::{HttpAuthScheme, HttpBuilder, SecurityScheme};
use utoipa_swagger_ui::SwaggerUi;

#[derive(OpenApi)]
#[openapi(
    info(title = "Passerelle API", description = "Members, organisations and people of a competitiveness cluster."),
    paths(
        me::me,
        clusters::list_clusters,
        clusters::list_members,
        clusters::add_member,
        clusters::remove_member,
        organisations::create,
        organisations::get_one,
        organisations::update,
        organisations::people,
        organisations::invite,
        organisations::person,
    ),
    components(schemas(Problem, app::FieldError)),
    modifiers(&BearerAuth),
    security(("bearer" = [])),
)]
struct ApiDoc;

struct BearerAuth;

impl utoipa::Modify for BearerAuth {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        let components = openapi.components.get_or_insert_with(Default::default);
        components.add_security_scheme(
            "bearer",
            SecurityScheme::Http(HttpBuilder::new().scheme(HttpAuthScheme::Bearer).build()),
        );
    }
}

pub fn openapi_document() -> utoipa::openapi::OpenApi {
    ApiDoc::openapi()
}

pub fn routes() -> Router<AppState> {
    Router::new()
        .merge(me::routes())
        .merge(clusters::routes())
        .merge(organisations::routes())
        .merge(SwaggerUi::new("/api/docs").url("/api/openapi.json", openapi_document()))
        .fallback_service(Router::new().fallback(no_such_route).with_state(()))
}

async fn no_such_route() -> Response {
    Problem::new(StatusCode::NOT_FOUND, "no such route").into_response()
}

/// JSON body extractor whose refusals are problem+json with the parser's message
/// (malformed JSON, wrong content type, missing field…).
pub struct Json<T>(pub T);

impl<T: DeserializeOwned, S: Send + Sync> FromRequest<S> for Json<T> {
    type Rejection = Response;

    async fn from_request(req: axum::extract::Request, state: &S) -> Result<Self, Self::Rejection> {
        match axum::Json::<T>::from_request(req, state).await {
            Ok(axum::Json(value)) => Ok(Json(value)),
            Err(rejection) => Err(json_problem(rejection)),
        }
    }
}

fn json_problem(rejection: JsonRejection) -> Response {
    let status = match &rejection {
        JsonRejection::MissingJsonContentType(_) => StatusCode::UNSUPPORTED_MEDIA_TYPE,
        JsonRejection::JsonSyntaxError(_) => StatusCode::BAD_REQUEST,
        JsonRejection::JsonDataError(_) => StatusCode::UNPROCESSABLE_ENTITY,
        _ => rejection.status(),
    };
    Problem::new(status, rejection.body_text()).into_response()
}

/// Path parameters whose refusals (e.g. a non-numeric id) are problem+json.
pub struct Path<T>(pub T);

impl<T: DeserializeOwned + Send, S: Send + Sync> FromRequestParts<S> for Path<T> {
    type Rejection = Response;

    async fn from_request_parts(
        parts: &mut axum::http::request::Parts,
        state: &S,
    ) -> Result<Self, Self::Rejection> {
        match axum::extract::Path::<T>::from_request_parts(parts, state).await {
            Ok(axum::extract::Path(value)) => Ok(Path(value)),
            Err(rejection) => Err(path_problem(rejection)),
        }
    }
}

fn path_problem(rejection: PathRejection) -> Response {
    Problem::new(StatusCode::BAD_REQUEST, rejection.body_text()).into_response()
}

/// Query strings whose refusals are problem+json.
pub struct Query<T>(pub T);

impl<T: DeserializeOwned, S: Send + Sync> FromRequestParts<S> for Query<T> {
    type Rejection = Response;

    async fn from_request_parts(
        parts: &mut axum::http::request::Parts,
        state: &S,
    ) -> Result<Self, Self::Rejection> {
        match axum::extract::Query::<T>::from_request_parts(parts, state).await {
            Ok(axum::extract::Query(value)) => Ok(Query(value)),
            Err(rejection) => Err(query_problem(rejection)),
        }
    }
}

fn query_problem(rejection: QueryRejection) -> Response {
    Problem::new(StatusCode::BAD_REQUEST, rejection.body_text()).into_response()
}

pub type ApiResult<T> = Result<T, ApiError>;
