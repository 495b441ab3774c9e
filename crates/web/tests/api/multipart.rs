//! Upload bodies as a browser or an API program sends them: `multipart/form-data` with text fields
//! and at most one file, and a small PDF to put in it. The server judges a file by its bytes, never
//! by the type a part declares, so every file part declares `application/octet-stream`.

use reqwest::RequestBuilder;
use reqwest::header::CONTENT_TYPE;

const BOUNDARY: &str = "passerelle-test-boundary-7MA4YWxk";

/// A `multipart/form-data` body and its `Content-Type`: the text fields in order first (a page's
/// CSRF token must come before the file), then the `file` part, when there is one, as
/// `(file name, bytes)`.
pub fn multipart(fields: &[(&str, &str)], file: Option<(&str, &[u8])>) -> (String, Vec<u8>) {
    let mut body = Vec::new();
    for (name, value) in fields {
        body.extend_from_slice(
            format!("--{BOUNDARY}\r\nContent-Disposition: form-data; name=\"{name}\"\r\n\r\n{value}\r\n")
                .as_bytes(),
        );
    }
    if let Some((file_name, bytes)) = file {
        body.extend_from_slice(
            format!(
                "--{BOUNDARY}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"{file_name}\"\r\n\
                 Content-Type: application/octet-stream\r\n\r\n"
            )
            .as_bytes(),
        );
        body.extend_from_slice(bytes);
        body.extend_from_slice(b"\r\n");
    }
    body.extend_from_slice(format!("--{BOUNDARY}--\r\n").as_bytes());
    (format!("multipart/form-data; boundary={BOUNDARY}"), body)
}

/// The request carrying a `multipart` body of these fields and this file.
pub fn with_multipart(
    request: RequestBuilder,
    fields: &[(&str, &str)],
    file: Option<(&str, &[u8])>,
) -> RequestBuilder {
    let (content_type, body) = multipart(fields, file);
    request.header(CONTENT_TYPE, content_type).body(body)
}

/// A tiny PDF holding `text`: accepted wherever a PDF is, and told apart from another by its text.
pub fn pdf(text: &str) -> Vec<u8> {
    format!("%PDF-1.7\n{text}\n%%EOF\n").into_bytes()
}
