//! The JSON API under `/api/v1`, its OpenAPI document at `/api/openapi.json` (generated from
//! the handlers' annotations) and a browsable page at `/api/docs` with vendored assets.

mod brochures;
mod buyer_tools;
mod clusters;
mod committee;
mod committee_evaluation;
mod committee_exports;
mod committee_policies;
mod consortia;
mod directory;
mod dto;
mod events;
mod export;
mod me;
mod organisations;
mod pooling;
mod portfolio;
mod supplier_listing;

use crate::error::{ApiError, Problem};
use crate::state::AppState;
use app::{AppError, FieldError};
use axum::Router;
use axum::extract::rejection::{JsonRejection, PathRejection, QueryRejection};
use axum::extract::{FromRequest, FromRequestParts};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
pub use brochures::UPLOAD_BODY_LIMIT;
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
        events::list,
        events::create,
        events::get_one,
        events::register,
        events::my_requests,
        events::send_request,
        events::accept,
        events::decline,
        events::cancel,
        events::preview,
        events::generate,
        events::move_meeting,
        events::publish,
        events::agenda,
        events::register_guest,
        events::check_in,
        events::attendance,
        events::follow_up,
        events::suggestions,
        events::outcomes,
        directory::search,
        directory::profile,
        directory::save_profile,
        directory::similar,
        directory::differentiation,
        brochures::upload,
        brochures::download,
        brochures::remove,
        buyer_tools::list_searches,
        buyer_tools::save_search,
        buyer_tools::delete_search,
        buyer_tools::list_shortlists,
        buyer_tools::create_shortlist,
        buyer_tools::get_shortlist,
        buyer_tools::delete_shortlist,
        buyer_tools::add_entry,
        buyer_tools::remove_entry,
        buyer_tools::export,
        committee::list,
        committee::create,
        committee::get_one,
        committee::update,
        committee::publish,
        committee::cancel,
        committee::ask,
        committee::answer,
        committee::my_dossier,
        committee::save_dossier,
        committee::attach,
        committee::submit,
        committee::withdraw,
        committee::submissions,
        committee::remove_attachment,
        committee::dossier_file,
        committee::add_document,
        committee::document,
        committee::remove_document,
        committee::invitations,
        committee::invite,
        committee::uninvite,
        committee_evaluation::name_evaluators,
        committee_evaluation::declare_conflict,
        committee_evaluation::save_marks,
        committee_evaluation::ranking,
        committee_evaluation::shortlist,
        committee_evaluation::decide,
        committee_evaluation::publish_decisions,
        committee_evaluation::my_decision,
        committee_evaluation::calls_for_you,
        committee_evaluation::recommendations,
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

/// The whole document: the paths listed above, and those of the areas that keep their own list.
pub fn openapi_document() -> utoipa::openapi::OpenApi {
    let mut document = ApiDoc::openapi();
    document.merge(committee_policies::Doc::openapi());
    document.merge(committee_exports::Doc::openapi());
    document.merge(supplier_listing::Doc::openapi());
    document.merge(portfolio::Doc::openapi());
    document.merge(pooling::Doc::openapi());
    document.merge(consortia::Doc::openapi());
    document.merge(export::Doc::openapi());
    document
}

pub fn routes() -> Router<AppState> {
    Router::new()
        .merge(me::routes())
        .merge(clusters::routes())
        .merge(organisations::routes())
        .merge(events::routes())
        .merge(directory::routes())
        .merge(brochures::routes())
        .merge(buyer_tools::routes())
        .merge(committee::routes())
        .merge(committee_evaluation::routes())
        .merge(committee_policies::routes())
        .merge(committee_exports::routes())
        .merge(supplier_listing::routes())
        .merge(portfolio::routes())
        .merge(pooling::routes())
        .merge(consortia::routes())
        .merge(export::routes())
        .merge(SwaggerUi::new("/api/docs").url("/api/openapi.json", openapi_document()))
}

/// JSON body extractor whose refusals are problem+json: 415 for a wrong content type, 400 for
/// malformed JSON, 422 naming the offending field (missing, wrong type) in `errors[]`.
pub struct Json<T>(pub T);

impl<T: DeserializeOwned, S: Send + Sync> FromRequest<S> for Json<T> {
    type Rejection = Response;

    async fn from_request(req: axum::extract::Request, state: &S) -> Result<Self, Self::Rejection> {
        let axum::Json(value) = axum::Json::<serde_json::Value>::from_request(req, state)
            .await
            .map_err(json_problem)?;
        from_value(value).map(Json).map_err(IntoResponse::into_response)
    }
}

/// Deserialises a JSON value, reporting the path of the field that does not fit.
pub fn from_value<T: DeserializeOwned>(value: serde_json::Value) -> Result<T, ApiError> {
    serde_path_to_error::deserialize(value).map_err(|error| {
        let path = error.path().to_string();
        let message = error.inner().to_string();
        // A missing field is reported at its parent; its name is quoted in the message.
        let field = if path == "." {
            message.split('`').nth(1).unwrap_or("body").to_owned()
        } else {
            path
        };
        ApiError(AppError::Invalid(vec![FieldError::new(&field, message)]))
    })
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
