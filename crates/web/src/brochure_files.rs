//! Uploaded files over HTTP (brochures, call documents, dossier attachments), shared by the pages
//! and the API: reading a multipart upload, and sending the bytes back as an attachment a browser
//! never renders.

use crate::error::{ApiError, Problem};
use app::AppError;
use app::committee::{FileDownload, Upload};
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

/// A multipart form with one file: the file (`file` field) and the form's other text fields.
pub struct FileForm {
    pub upload: Upload,
    fields: Vec<(String, String)>,
}

impl FileForm {
    /// A text field's value, empty when absent.
    pub fn text(&self, name: &str) -> &str {
        self.fields
            .iter()
            .find(|(key, _)| key == name)
            .map_or("", |(_, value)| value.as_str())
    }
}

/// Reads a multipart form whose `file` field is required.
async fn read_file_form(mut multipart: Multipart) -> Result<FileForm, UploadError> {
    let mut file: Option<Upload> = None;
    let mut fields = Vec::new();
    while let Some(field) = multipart.next_field().await.map_err(broken)? {
        match field.name().map(str::to_owned) {
            Some(name) if name == "file" => {
                let file_name = field.file_name().map(base_name).unwrap_or_default();
                let bytes = field.bytes().await.map_err(broken)?;
                file = Some(Upload {
                    file_name,
                    bytes: bytes.to_vec(),
                });
            }
            Some(name) => fields.push((name, field.text().await.map_err(broken)?)),
            None => {}
        }
    }
    let upload = file.ok_or_else(|| {
        UploadError::Field(AppError::invalid("file", "choose a file to send (field `file`)"))
    })?;
    Ok(FileForm { upload, fields })
}

/// The `file` and optional `visibility` (public or members) fields of a brochure's upload.
pub async fn read_upload(multipart: Multipart) -> Result<BrochureUpload, UploadError> {
    let form = read_file_form(multipart).await?;
    let visibility = match form.text("visibility") {
        "" => Visibility::Public,
        text => Visibility::parse(text).ok_or_else(|| {
            UploadError::Field(AppError::invalid(
                "visibility",
                format!("'{text}' is neither public nor members"),
            ))
        })?,
    };
    Ok(BrochureUpload {
        file_name: form.upload.file_name,
        visibility,
        bytes: form.upload.bytes,
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
    let multipart = api_multipart(actor, multipart).map_err(|refusal| *refusal)?;
    read_upload(multipart).await.map_err(api_refusal)
}

/// A file form (a call's document, a dossier's attachment) as the API receives it, refused like
/// `read_api_upload`.
pub async fn read_api_file(
    actor: &app::Actor,
    multipart: Result<Multipart, MultipartRejection>,
) -> Result<FileForm, Response> {
    let multipart = api_multipart(actor, multipart).map_err(|refusal| *refusal)?;
    read_file_form(multipart).await.map_err(api_refusal)
}

/// The multipart body, or the refusal sent before reading a byte of it (boxed: it is large).
fn api_multipart(
    actor: &app::Actor,
    multipart: Result<Multipart, MultipartRejection>,
) -> Result<Multipart, Box<Response>> {
    let multipart = multipart.map_err(|rejection| {
        // Anything but multipart/form-data lands here: say which media type is expected.
        Box::new(
            Problem::new(
                StatusCode::UNSUPPORTED_MEDIA_TYPE,
                format!("{}; send multipart/form-data", rejection.body_text()),
            )
            .into_response(),
        )
    })?;
    // Nobody streams 10 MiB in before being known to be someone.
    if matches!(actor, app::Actor::Visitor) {
        return Err(Box::new(ApiError(AppError::Unauthenticated).into_response()));
    }
    Ok(multipart)
}

fn api_refusal(error: UploadError) -> Response {
    match error {
        UploadError::Body { status, message } => Problem::new(status, message).into_response(),
        UploadError::Field(error) => ApiError(error).into_response(),
    }
}

/// An upload as a page's form sends it: every refusal is an error of the form's `file` field.
/// The page turns visitors away before calling this, so that their body is never read.
pub async fn read_form_upload(
    multipart: Result<Multipart, MultipartRejection>,
) -> Result<BrochureUpload, AppError> {
    read_upload(form_multipart(multipart)?)
        .await
        .map_err(UploadError::into_field_error)
}

/// A file form as a page sends it, refused like `read_form_upload`.
pub async fn read_form_file(multipart: Result<Multipart, MultipartRejection>) -> Result<FileForm, AppError> {
    read_file_form(form_multipart(multipart)?)
        .await
        .map_err(UploadError::into_field_error)
}

fn form_multipart(multipart: Result<Multipart, MultipartRejection>) -> Result<Multipart, AppError> {
    multipart.map_err(|rejection| {
        AppError::invalid("file", format!("{}; send the form again", rejection.body_text()))
    })
}

/// Browsers of old sent the client's full path; only the last component is a name.
fn base_name(name: &str) -> String {
    name.rsplit(['/', '\\']).next().unwrap_or_default().to_owned()
}

/// The brochure's bytes as an attachment of its recognised type, never sniffed, and not kept
/// by shared caches when it is for members only.
pub fn attachment(brochure: &Brochure, bytes: Vec<u8>) -> Response {
    let private = brochure.visibility != Visibility::Public.as_str();
    file_response(
        &brochure.file_name,
        &brochure.content_type,
        bytes,
        "brochure",
        private,
    )
}

/// A committee file (a call's document, a dossier's attachment) as an attachment, never cached
/// by shared caches: who may read it depends on who asks and on the time.
pub fn committee_file(file: FileDownload) -> Response {
    file_response(&file.file_name, &file.content_type, file.bytes, "document", true)
}

/// An export the reader takes away (a shortlist, a call's ranking) as an attachment, private:
/// an export is its reader's alone.
pub fn export_file(download: app::spreadsheet::Download) -> Response {
    file_response(
        &download.file_name,
        download.content_type,
        download.bytes,
        "export",
        true,
    )
}

/// The one way a file leaves Passerelle: saved by the browser under a safe name, never rendered
/// or sniffed, and kept by no shared cache when `private`.
fn file_response(
    file_name: &str,
    content_type: &str,
    bytes: Vec<u8>,
    fallback: &str,
    private: bool,
) -> Response {
    let mut response = bytes.into_response();
    let headers = response.headers_mut();
    // The type was recognised from the bytes at upload, one of a few fixed values.
    if let Ok(value) = HeaderValue::from_str(content_type) {
        headers.insert(header::CONTENT_TYPE, value);
    }
    if let Ok(value) = HeaderValue::from_str(&content_disposition(file_name, fallback)) {
        headers.insert(header::CONTENT_DISPOSITION, value);
    }
    headers.insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
    if private {
        headers.insert(
            header::CACHE_CONTROL,
            HeaderValue::from_static("private, no-store"),
        );
    }
    response
}

/// A file name as one URL path segment: it may hold spaces, accents, `#`, `?` or `%`.
pub fn path_segment(file_name: &str) -> String {
    url::form_urlencoded::byte_serialize(file_name.as_bytes())
        .collect::<String>()
        .replace('+', "%20")
}

/// `attachment` with an ASCII fallback name and, unless the name is plain ASCII without spaces,
/// the exact name in RFC 8187 form: nothing from the uploader's name can break out of the header or
/// choose another disposition.
fn content_disposition(file_name: &str, fallback: &str) -> String {
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
    let ascii = if ascii.is_empty() { fallback } else { ascii };
    let mut encoded = String::new();
    for byte in file_name.bytes() {
        if byte.is_ascii_alphanumeric() || b"!#$&+-.^_`|~".contains(&byte) {
            encoded.push(byte as char);
        } else {
            encoded.push_str(&format!("%{byte:02X}"));
        }
    }
    if encoded == ascii {
        // A plain name (an export's, say): the encoded form would only repeat it.
        return format!("attachment; filename=\"{ascii}\"");
    }
    format!("attachment; filename=\"{ascii}\"; filename*=UTF-8''{encoded}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn file_names_cannot_break_out_of_the_header() {
        let header = content_disposition("Plaquette \"été\"\r\nX: y.pdf", "brochure");
        assert!(header.starts_with("attachment; filename=\"Plaquette __t____X_ y.pdf\"; filename*=UTF-8''"));
        assert!(header.ends_with("Plaquette%20%22%C3%A9t%C3%A9%22%0D%0AX%3A%20y.pdf"));
        assert!(!header.contains('\r') && !header.contains('\n'));
        assert!(HeaderValue::from_str(&header).is_ok());
        assert_eq!(
            content_disposition("...", "brochure").split(';').nth(1),
            Some(" filename=\"brochure\"")
        );
        assert_eq!(
            content_disposition("ranking-12.xlsx", "export"),
            "attachment; filename=\"ranking-12.xlsx\"",
            "a safe name is given once"
        );
        let accented = content_disposition("Présentation.pdf", "document");
        assert!(
            accented.contains("filename*=UTF-8''Pr%C3%A9sentation.pdf"),
            "{accented}"
        );
    }

    #[test]
    fn an_export_is_private_and_never_sniffed() {
        let response = export_file(app::spreadsheet::Download {
            file_name: "liste \"été\".csv".into(),
            content_type: "text/csv; charset=utf-8",
            bytes: b"a;b".to_vec(),
        });
        let headers = response.headers();
        assert_eq!(headers[header::X_CONTENT_TYPE_OPTIONS], "nosniff");
        assert_eq!(headers[header::CACHE_CONTROL], "private, no-store");
        assert_eq!(headers[header::CONTENT_TYPE], "text/csv; charset=utf-8");
        assert_eq!(
            headers[header::CONTENT_DISPOSITION],
            "attachment; filename=\"liste __t__.csv\"; filename*=UTF-8''liste%20%22%C3%A9t%C3%A9%22.csv"
        );
    }

    #[test]
    fn only_the_last_component_of_a_path_is_a_name() {
        assert_eq!(base_name("C:\\Users\\moi\\plaquette.pdf"), "plaquette.pdf");
        assert_eq!(base_name("a/b/c.png"), "c.png");
    }
}
