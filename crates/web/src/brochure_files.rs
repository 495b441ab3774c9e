//! Uploaded files over HTTP (brochures, dossier attachments), shared by the pages and the API:
//! reading a multipart upload, and sending the bytes back as an attachment a browser never renders.

use crate::error::{ApiError, Problem};
use app::AppError;
use app::directory::BrochureUpload;
use app::directory::profiles::MAX_BROCHURE_BYTES;
use axum::extract::Multipart;
use axum::extract::multipart::{MultipartError, MultipartRejection};
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use domain::profile::Visibility;
use store::profiles::Brochure;

/// Why an upload could not be read: a broken or oversized body (with its HTTP status), or a
/// field that is missing or wrong.
pub enum UploadError {
    Body { status: StatusCode, message: String },
    Field(AppError),
}

impl UploadError {
    /// The same refusal as a field error of the form, for the pages.
    pub fn into_field_error(self) -> AppError {
        match self {
            UploadError::Body { message, .. } => AppError::invalid("file", message),
            UploadError::Field(error) => error,
        }
    }
}

/// The `file` and optional `visibility` (public or members) fields of an upload.
pub async fn read_upload(mut multipart: Multipart) -> Result<BrochureUpload, UploadError> {
    let mut file: Option<(String, Vec<u8>)> = None;
    let mut visibility = Visibility::Public;
    while let Some(field) = multipart.next_field().await.map_err(broken)? {
        match field.name() {
            Some("file") => {
                let name = field.file_name().map(base_name).unwrap_or_default();
                let bytes = field.bytes().await.map_err(broken)?;
                file = Some((name, bytes.to_vec()));
            }
            Some("visibility") => {
                let text = field.text().await.map_err(broken)?;
                visibility = Visibility::parse(&text).ok_or_else(|| {
                    UploadError::Field(AppError::invalid(
                        "visibility",
                        format!("'{text}' is neither public nor members"),
                    ))
                })?;
            }
            _ => {}
        }
    }
    let (file_name, bytes) = file.ok_or_else(|| {
        UploadError::Field(AppError::invalid("file", "choose a file to send (field `file`)"))
    })?;
    Ok(BrochureUpload {
        file_name,
        visibility,
        bytes,
    })
}

fn broken(error: MultipartError) -> UploadError {
    let status = error.status();
    let message = if status == StatusCode::PAYLOAD_TOO_LARGE {
        format!(
            "the file is too large: at most {} MiB are accepted",
            MAX_BROCHURE_BYTES / (1024 * 1024)
        )
    } else {
        error.body_text()
    };
    UploadError::Body { status, message }
}

/// An upload as the API receives it: 415 unless multipart, 401 for a visitor before a byte of the
/// body is read, problem+json for a broken body or a wrong field.
pub async fn read_api_upload(
    actor: &app::Actor,
    multipart: Result<Multipart, MultipartRejection>,
) -> Result<BrochureUpload, Response> {
    let multipart = multipart.map_err(|rejection| {
        // Anything but multipart/form-data lands here: say which media type is expected.
        Problem::new(
            StatusCode::UNSUPPORTED_MEDIA_TYPE,
            format!("{}; send multipart/form-data", rejection.body_text()),
        )
        .into_response()
    })?;
    // Nobody streams 10 MiB in before being known to be someone.
    if matches!(actor, app::Actor::Visitor) {
        return Err(ApiError(AppError::Unauthenticated).into_response());
    }
    read_upload(multipart).await.map_err(|error| match error {
        UploadError::Body { status, message } => Problem::new(status, message).into_response(),
        UploadError::Field(error) => ApiError(error).into_response(),
    })
}

/// An upload as a page's form sends it: every refusal is an error of the form's `file` field.
/// The page turns visitors away before calling this, so that their body is never read.
pub async fn read_form_upload(
    multipart: Result<Multipart, MultipartRejection>,
) -> Result<BrochureUpload, AppError> {
    match multipart {
        Ok(multipart) => read_upload(multipart)
            .await
            .map_err(UploadError::into_field_error),
        Err(rejection) => Err(AppError::invalid(
            "file",
            format!("{}; send the form again", rejection.body_text()),
        )),
    }
}

/// Browsers of old sent the client's full path; only the last component is a name.
fn base_name(name: &str) -> String {
    name.rsplit(['/', '\\']).next().unwrap_or_default().to_owned()
}

/// The brochure's bytes as an attachment of its recognised type, never sniffed, and not kept
/// by shared caches when it is for members only.
pub fn attachment(brochure: &Brochure, bytes: Vec<u8>) -> Response {
    let mut response = bytes.into_response();
    let headers = response.headers_mut();
    // The type was recognised from the bytes at upload, one of three fixed values.
    if let Ok(value) = HeaderValue::from_str(&brochure.content_type) {
        headers.insert(header::CONTENT_TYPE, value);
    }
    if let Ok(value) = HeaderValue::from_str(&content_disposition(&brochure.file_name)) {
        headers.insert(header::CONTENT_DISPOSITION, value);
    }
    headers.insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
    if brochure.visibility != Visibility::Public.as_str() {
        headers.insert(
            header::CACHE_CONTROL,
            HeaderValue::from_static("private, no-store"),
        );
    }
    response
}

/// `attachment` with an ASCII fallback name and the exact name in RFC 8187 form: nothing from
/// the uploader's name can break out of the header or choose another disposition.
fn content_disposition(file_name: &str) -> String {
    let ascii: String = file_name
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | '_' | ' ') {
                c
            } else {
                '_'
            }
        })
        .collect();
    let ascii = ascii.trim_matches([' ', '.']);
    let ascii = if ascii.is_empty() { "brochure" } else { ascii };
    let mut encoded = String::new();
    for byte in file_name.bytes() {
        if byte.is_ascii_alphanumeric() || b"!#$&+-.^_`|~".contains(&byte) {
            encoded.push(byte as char);
        } else {
            encoded.push_str(&format!("%{byte:02X}"));
        }
    }
    format!("attachment; filename=\"{ascii}\"; filename*=UTF-8''{encoded}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn file_names_cannot_break_out_of_the_header() {
        let header = content_disposition("Plaquette \"été\"\r\nX: y.pdf");
        assert!(header.starts_with("attachment; filename=\"Plaquette __t____X_ y.pdf\"; filename*=UTF-8''"));
        assert!(header.ends_with("Plaquette%20%22%C3%A9t%C3%A9%22%0D%0AX%3A%20y.pdf"));
        assert!(!header.contains('\r') && !header.contains('\n'));
        assert!(HeaderValue::from_str(&header).is_ok());
        assert_eq!(
            content_disposition("...").split(';').nth(1),
            Some(" filename=\"brochure\"")
        );
        let accented = content_disposition("Présentation.pdf");
        assert!(
            accented.contains("filename*=UTF-8''Pr%C3%A9sentation.pdf"),
            "{accented}"
        );
    }

    #[test]
    fn only_the_last_component_of_a_path_is_a_name() {
        assert_eq!(base_name("C:\\Users\\moi\\plaquette.pdf"), "plaquette.pdf");
        assert_eq!(base_name("a/b/c.png"), "c.png");
    }
}
