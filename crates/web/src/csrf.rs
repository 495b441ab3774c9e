//! CSRF protection for every form: the double-submit pattern. A random token lives in an HttpOnly,
//! SameSite=Strict cookie and in each form; a state-changing request must present both, equal.
//! The JSON API is exempt because it only accepts bearer tokens, which browsers never send on their own.

use crate::identity::cookie;
use crate::state::AppState;
use axum::body::{Body, Bytes};
use axum::extract::{DefaultBodyLimit, FromRequest, Multipart, Request, State};
use axum::http::{Method, StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use axum_extra::extract::CookieJar;
use axum_extra::extract::cookie::SameSite;
use tower::{Layer, ServiceExt};

pub const CSRF_COOKIE: &str = "passerelle_csrf";
pub const CSRF_FIELD: &str = "csrf_token";
pub const CSRF_HEADER: &str = "x-csrf-token";

/// The token to embed in forms rendered for this request.
#[derive(Debug, Clone)]
pub struct CsrfToken(pub String);

fn looks_like_token(value: &str) -> bool {
    value.len() == 43
        && value
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
}

/// Compares in time independent of where the strings differ.
fn same(a: &str, b: &str) -> bool {
    a.len() == b.len() && a.bytes().zip(b.bytes()).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

fn new_token() -> String {
    use base64::Engine;
    use rand::RngCore;
    let mut bytes = [0u8; 32];
    rand::rng().fill_bytes(&mut bytes);
    base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(bytes)
}

pub async fn protect(State(state): State<AppState>, request: Request, next: Next) -> Response {
    let jar = CookieJar::from_headers(request.headers());
    let existing = jar
        .get(CSRF_COOKIE)
        .map(|c| c.value().to_owned())
        .filter(|v| looks_like_token(v));
    let needs_check = !matches!(*request.method(), Method::GET | Method::HEAD | Method::OPTIONS)
        && !request.uri().path().starts_with("/api/");

    let mut request = if needs_check {
        match verified(request, existing.as_deref()).await {
            Ok(request) => request,
            Err(response) => return response,
        }
    } else {
        request
    };
    let token = existing.clone().unwrap_or_else(new_token);
    request.extensions_mut().insert(CsrfToken(token.clone()));
    let mut response = next.run(request).await;
    if existing.is_none() {
        let set = cookie(CSRF_COOKIE, token, state.secure_cookies, SameSite::Strict);
        if let Ok(value) = set.to_string().parse() {
            response.headers_mut().append(header::SET_COOKIE, value);
        }
    }
    response
}

fn refusal() -> Response {
    (
        StatusCode::FORBIDDEN,
        "La vérification de sécurité du formulaire a échoué : rechargez la page et recommencez. \
         / The form's security check failed: reload the page and try again.",
    )
        .into_response()
}

/// Checks the token from the header (htmx) or the form body (urlencoded, or multipart for
/// uploads: put the token field first), and hands the request on intact.
async fn verified(request: Request, expected: Option<&str>) -> Result<Request, Response> {
    let Some(expected) = expected else {
        return Err(refusal());
    };
    if let Some(header) = request.headers().get(CSRF_HEADER).and_then(|v| v.to_str().ok()) {
        return if same(header, expected) {
            Ok(request)
        } else {
            Err(refusal())
        };
    }
    let content_type = request
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default()
        .to_owned();
    let multipart = content_type.starts_with("multipart/form-data");
    if !multipart && !content_type.starts_with("application/x-www-form-urlencoded") {
        return Err(refusal());
    }
    // Brochure uploads by a signed-in person may be as large as any body accepted at all; every
    // other form is small. Checked before buffering, so nobody makes the server hold 10 MiB by
    // posting a made-up file to any other page.
    let signed_in = CookieJar::from_headers(request.headers())
        .get(crate::identity::SESSION_COOKIE)
        .is_some();
    let limit = if multipart && signed_in && is_upload_path(request.uri().path()) {
        crate::MAX_BODY_BYTES
    } else {
        crate::BODY_LIMIT_BYTES
    };
    let (parts, body) = request.into_parts();
    let bytes = axum::body::to_bytes(body, limit)
        .await
        .map_err(|_| (StatusCode::PAYLOAD_TOO_LARGE, "request body too large").into_response())?;
    let presented = if multipart {
        multipart_field(&content_type, bytes.clone(), CSRF_FIELD).await
    } else {
        url::form_urlencoded::parse(&bytes)
            .find(|(key, _)| key == CSRF_FIELD)
            .map(|(_, value)| value.into_owned())
    };
    match presented {
        Some(token) if same(&token, expected) => Ok(Request::from_parts(parts, Body::from(bytes))),
        _ => Err(refusal()),
    }
}

/// The page routes that take files: `/directory/{id}/brochures`, `/calls/{id}/dossier/attachments`
/// and `/calls/{id}/documents`.
fn is_upload_path(path: &str) -> bool {
    let numbered = |prefix: &str, suffix: &str| {
        path.strip_prefix(prefix)
            .and_then(|rest| rest.strip_suffix(suffix))
            .is_some_and(|id| id.parse::<i64>().is_ok())
    };
    numbered("/directory/", "/brochures")
        || numbered("/calls/", "/dossier/attachments")
        || numbered("/calls/", "/documents")
        || numbered("/qualification/applications/", "/files")
        || numbered("/consortia/", "/documents")
}

/// The text of the first field called `name` in a buffered `multipart/form-data` body; the
/// file parts around it are skipped, not copied. None when absent or the body is malformed.
async fn multipart_field(content_type: &str, bytes: Bytes, name: &str) -> Option<String> {
    let request = Request::builder()
        .header(header::CONTENT_TYPE, content_type)
        .body(Body::from(bytes))
        .ok()?;
    let scan = tower::service_fn(|request: Request| async move {
        let mut form = Multipart::from_request(request, &()).await.map_err(|_| ())?;
        while let Some(field) = form.next_field().await.map_err(|_| ())? {
            if field.name() == Some(name) {
                return field.text().await.map(Some).map_err(|_| ());
            }
        }
        Ok::<_, ()>(None)
    });
    // The body is already in memory and bounded; the extractor's own 2 MB default would only
    // refuse large uploads.
    DefaultBodyLimit::disable()
        .layer(scan)
        .oneshot(request)
        .await
        .ok()
        .flatten()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_the_brochure_route_takes_large_uploads() {
        assert!(is_upload_path("/directory/42/brochures"));
        assert!(!is_upload_path("/directory/42/brochures/7/delete"));
        assert!(!is_upload_path("/login"));
        assert!(!is_upload_path("/directory/x/brochures"));
        assert!(is_upload_path("/calls/7/dossier/attachments"));
        assert!(!is_upload_path("/calls/x/dossier/attachments"));
        assert!(!is_upload_path("/calls/7/dossier"));
        assert!(is_upload_path("/calls/7/documents"));
        assert!(!is_upload_path("/calls/7/documents/3/remove"));
        assert!(is_upload_path("/qualification/applications/9/files"));
        assert!(!is_upload_path("/qualification/applications/9/files/a.pdf"));
    }

    #[test]
    fn tokens_have_the_shape_the_cookie_check_expects() {
        let token = new_token();
        assert!(looks_like_token(&token));
        assert!(!looks_like_token("short"));
        assert!(!looks_like_token(&format!("{}!", &token[..42])));
    }

    #[tokio::test]
    async fn the_token_is_read_from_a_multipart_upload() {
        let body = "--XyZ\r\n\
             Content-Disposition: form-data; name=\"visibility\"\r\n\r\n\
             public\r\n\
             --XyZ\r\n\
             Content-Disposition: form-data; name=\"file\"; filename=\"a.pdf\"\r\n\
             Content-Type: application/pdf\r\n\r\n\
             %PDF-1.4 csrf_token\r\n\
             --XyZ\r\n\
             Content-Disposition: form-data; name=\"csrf_token\"\r\n\r\n\
             the-token\r\n\
             --XyZ--\r\n";
        let content_type = "multipart/form-data; boundary=XyZ";
        let found = multipart_field(content_type, Bytes::from(body), CSRF_FIELD).await;
        assert_eq!(found.as_deref(), Some("the-token"));
        let without = body.replace("name=\"csrf_token\"", "name=\"other\"");
        assert_eq!(
            multipart_field(content_type, Bytes::from(without), CSRF_FIELD).await,
            None
        );
        assert_eq!(
            multipart_field(content_type, Bytes::from("garbage"), CSRF_FIELD).await,
            None
        );
    }

    #[test]
    fn comparison_needs_equal_strings() {
        assert!(same("abc", "abc"));
        assert!(!same("abc", "abd"));
        assert!(!same("abc", "abcd"));
    }
}
