//! One place that turns use-case errors into HTTP answers: an HTML page for people, an RFC 9457
//! `application/problem+json` document for API clients. The full cause chain goes to the log.

use crate::i18n::Tr;
use app::AppError;
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Redirect, Response};
use serde::Serialize;

pub fn status_of(error: &AppError) -> StatusCode {
    match error {
        AppError::Unauthenticated | AppError::BadCredentials => StatusCode::UNAUTHORIZED,
        AppError::Forbidden => StatusCode::FORBIDDEN,
        AppError::NotFound(_) => StatusCode::NOT_FOUND,
        AppError::Invalid(_) => StatusCode::UNPROCESSABLE_ENTITY,
        AppError::Conflict(_) => StatusCode::CONFLICT,
        AppError::Gone(_) => StatusCode::GONE,
        AppError::RateLimited => StatusCode::TOO_MANY_REQUESTS,
        AppError::Store(_) | AppError::Internal(_) => StatusCode::INTERNAL_SERVER_ERROR,
    }
}

/// Logs server-side failures with their whole cause chain; says nothing more to the client.
fn log_if_internal(error: &AppError) {
    if status_of(error).is_server_error() {
        let mut chain = error.to_string();
        let mut source = std::error::Error::source(error);
        while let Some(cause) = source {
            chain.push_str(": ");
            chain.push_str(&cause.to_string());
            source = cause.source();
        }
        tracing::error!(error = %chain, "request failed");
    }
}

/// What a person is told, without internals.
pub fn public_message(error: &AppError) -> String {
    match error {
        AppError::Store(_) | AppError::Internal(_) => "an internal error occurred; it has been logged".into(),
        other => other.to_string(),
    }
}

/// RFC 9457 problem details.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct Problem {
    #[serde(rename = "type")]
    pub kind: String,
    pub title: String,
    pub status: u16,
    pub detail: String,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub errors: Vec<app::FieldError>,
}

impl Problem {
    pub fn new(status: StatusCode, detail: impl Into<String>) -> Problem {
        Problem {
            kind: "about:blank".into(),
            title: status.canonical_reason().unwrap_or("Error").into(),
            status: status.as_u16(),
            detail: detail.into(),
            errors: Vec::new(),
        }
    }
}

impl IntoResponse for Problem {
    fn into_response(self) -> Response {
        let status = StatusCode::from_u16(self.status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
        let mut response = (status, axum::Json(self)).into_response();
        response.headers_mut().insert(
            header::CONTENT_TYPE,
            HeaderValue::from_static("application/problem+json"),
        );
        response
    }
}

/// An error answered to an API client.
pub struct ApiError(pub AppError);

impl From<AppError> for ApiError {
    fn from(error: AppError) -> Self {
        ApiError(error)
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        log_if_internal(&self.0);
        let status = status_of(&self.0);
        let mut problem = Problem::new(status, public_message(&self.0));
        if let AppError::Invalid(errors) = self.0 {
            problem.errors = errors;
        }
        let mut response = problem.into_response();
        if status == StatusCode::UNAUTHORIZED {
            response
                .headers_mut()
                .insert(header::WWW_AUTHENTICATE, HeaderValue::from_static("Bearer"));
        }
        response
    }
}

/// An error answered to a person in a browser, in their language.
pub struct PageError {
    pub error: AppError,
    pub tr: Tr,
    /// Where to come back after signing in.
    pub return_to: String,
}

impl IntoResponse for PageError {
    fn into_response(self) -> Response {
        log_if_internal(&self.error);
        if matches!(self.error, AppError::Unauthenticated) {
            let target = format!(
                "/login?next={}",
                url::form_urlencoded::byte_serialize(self.return_to.as_bytes()).collect::<String>()
            );
            return Redirect::to(&target).into_response();
        }
        let status = status_of(&self.error);
        crate::pages::error_page(self.tr, status, &public_message(&self.error))
    }
}
