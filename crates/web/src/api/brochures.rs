//! Brochures of a capability profile: multipart upload, download as an attachment, deletion.
//! Their type is recognised from their bytes in `app`; here they are only carried.

use super::{ApiResult, Path};
use crate::brochure_files::{attachment, read_api_upload};
use crate::error::ApiError;
use crate::identity::ApiCaller;
use crate::state::AppState;
use app::directory::profiles::MAX_BROCHURE_BYTES;
use axum::Router;
use axum::extract::multipart::MultipartRejection;
use axum::extract::{DefaultBodyLimit, Multipart, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::routing::{delete, get, post};
use serde::Serialize;

/// A brochure at the maximum size, plus the multipart framing and the `visibility` field.
pub const UPLOAD_BODY_LIMIT: usize = MAX_BROCHURE_BYTES + 64 * 1024;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route(
            "/api/v1/organisations/{id}/brochures",
            post(upload).layer(DefaultBodyLimit::max(UPLOAD_BODY_LIMIT)),
        )
        .route(
            "/api/v1/organisations/{id}/brochures/{brochure_id}",
            delete(remove),
        )
        .route("/api/v1/brochures/{id}", get(download))
}

/// A brochure's description; its bytes are at `url`.
#[derive(Serialize, utoipa::ToSchema)]
pub struct Brochure {
    pub id: i64,
    pub organisation_id: i64,
    pub file_name: String,
    /// application/pdf, image/png or image/jpeg, as recognised from the content.
    pub content_type: String,
    pub size_bytes: i64,
    /// Hex SHA-256 of the content.
    pub sha256: String,
    /// public or members.
    pub visibility: String,
    /// Unix milliseconds.
    pub created_at: i64,
    pub url: String,
}

pub fn brochure_dto(b: store::profiles::Brochure) -> Brochure {
    Brochure {
        url: format!("/api/v1/brochures/{}", b.id),
        id: b.id,
        organisation_id: b.organisation_id,
        file_name: b.file_name,
        content_type: b.content_type,
        size_bytes: b.size_bytes,
        sha256: b.sha256,
        visibility: b.visibility,
        created_at: b.created_at,
    }
}

/// The multipart form of an upload, for the OpenAPI document.
#[derive(utoipa::ToSchema)]
#[allow(dead_code)]
pub struct BrochureForm {
    /// A PDF, PNG or JPEG file of at most 10 MiB.
    #[schema(value_type = String, format = Binary)]
    file: Vec<u8>,
    /// public (default) or members.
    visibility: Option<String>,
}

/// Adds a brochure to a profile (its editors): a PDF, PNG or JPEG of at most 10 MiB, ten per profile.
#[utoipa::path(post, path = "/api/v1/organisations/{id}/brochures", tag = "directory",
    params(("id" = i64, Path)),
    request_body(content = inline(BrochureForm), content_type = "multipart/form-data"),
    responses((status = 201, body = Brochure), (status = 401, body = crate::error::Problem),
        (status = 404, body = crate::error::Problem), (status = 413, body = crate::error::Problem),
        (status = 415, body = crate::error::Problem), (status = 422, body = crate::error::Problem)))]
pub async fn upload(
    State(state): State<AppState>,
    ApiCaller(actor): ApiCaller,
    Path(id): Path<i64>,
    multipart: Result<Multipart, MultipartRejection>,
) -> Result<(StatusCode, axum::Json<Brochure>), Response> {
    let upload = read_api_upload(&actor, multipart).await?;
    let brochure = state
        .app
        .add_brochure(&actor, id, upload)
        .await
        .map_err(|e| ApiError(e).into_response())?;
    Ok((StatusCode::CREATED, axum::Json(brochure_dto(brochure))))
}

/// A brochure's bytes, as an attachment (members-only brochures are "not found" for visitors).
#[utoipa::path(get, path = "/api/v1/brochures/{id}", tag = "directory", params(("id" = i64, Path)),
    responses((status = 200, description = "The file, as an attachment.",
            content(("application/pdf"), ("image/png"), ("image/jpeg"))),
        (status = 404, body = crate::error::Problem)))]
pub async fn download(
    State(state): State<AppState>,
    ApiCaller(actor): ApiCaller,
    Path(id): Path<i64>,
) -> ApiResult<Response> {
    let (brochure, bytes) = state.app.brochure(&actor, id).await?;
    Ok(attachment(&brochure, bytes))
}

/// Removes a brochure from a profile (its editors).
#[utoipa::path(delete, path = "/api/v1/organisations/{id}/brochures/{brochure_id}", tag = "directory",
    params(("id" = i64, Path), ("brochure_id" = i64, Path)),
    responses((status = 204), (status = 401, body = crate::error::Problem),
        (status = 404, body = crate::error::Problem)))]
pub async fn remove(
    State(state): State<AppState>,
    ApiCaller(actor): ApiCaller,
    Path((id, brochure_id)): Path<(i64, i64)>,
) -> ApiResult<StatusCode> {
    state.app.delete_brochure(&actor, id, brochure_id).await?;
    Ok(StatusCode::NO_CONTENT)
}
