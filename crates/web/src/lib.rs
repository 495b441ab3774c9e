//! The HTTP face of Passerelle: server-rendered pages (askama + htmx) and the JSON API under
//! `/api/v1`. Handlers parse, call one use-case in `app`, and render — nothing else.

rust_i18n::i18n!("locales", fallback = "fr");

mod api;
mod assets;
mod brochure_files;
mod csrf;
mod error;
pub mod i18n;
mod identity;
mod ops;
mod pages;
mod state;

pub use api::openapi_document;
pub use state::AppState;

use axum::Router;
use std::future::Future;
use std::time::Duration;
use tokio::net::TcpListener;
use tower_http::catch_panic::CatchPanicLayer;
use tower_http::limit::RequestBodyLimitLayer;
use tower_http::timeout::TimeoutLayer;
use tower_http::trace::TraceLayer;

/// Request bodies above this are refused by every extractor (JSON, forms, bytes); an upload
/// route raises it for itself with its own `DefaultBodyLimit`.
const BODY_LIMIT_BYTES: usize = 1024 * 1024;
/// No request body above this reaches any handler: the largest upload (a 10 MiB brochure) and
/// its multipart framing.
const MAX_BODY_BYTES: usize = api::UPLOAD_BODY_LIMIT;

/// The whole application as one router; tests and the binary serve the very same thing.
pub fn router(app: app::App) -> Router {
    let state = AppState::new(app);
    Router::new()
        .merge(pages::routes())
        .merge(api::routes())
        .merge(ops::routes())
        .merge(assets::routes())
        .fallback(not_found)
        .layer(axum::middleware::from_fn_with_state(state.clone(), csrf::protect))
        .layer(axum::middleware::from_fn_with_state(
            state.clone(),
            ops::count_requests,
        ))
        .layer(axum::extract::DefaultBodyLimit::max(BODY_LIMIT_BYTES))
        .layer(RequestBodyLimitLayer::new(MAX_BODY_BYTES))
        .layer(TimeoutLayer::with_status_code(
            axum::http::StatusCode::REQUEST_TIMEOUT,
            Duration::from_secs(30),
        ))
        .layer(CatchPanicLayer::new())
        .layer(TraceLayer::new_for_http())
        .with_state(state)
}

/// Unknown paths: problem+json under `/api/`, an HTML page in the visitor's language elsewhere.
async fn not_found(uri: axum::http::Uri, headers: axum::http::HeaderMap) -> axum::response::Response {
    use axum::response::IntoResponse;
    let status = axum::http::StatusCode::NOT_FOUND;
    if uri.path().starts_with("/api/") {
        return error::Problem::new(status, "no such route").into_response();
    }
    let jar = axum_extra::extract::CookieJar::from_headers(&headers);
    let accept_language = headers
        .get(axum::http::header::ACCEPT_LANGUAGE)
        .and_then(|v| v.to_str().ok());
    let tr = i18n::negotiate(
        jar.get(i18n::LANG_COOKIE).map(|c| c.value()),
        None,
        accept_language,
    );
    pages::error_page(tr, status, &tr.t("error.no_such_page"))
}

/// Serves until `shutdown` resolves, then lets requests in flight finish.
pub async fn serve(
    listener: TcpListener,
    app: app::App,
    shutdown: impl Future<Output = ()> + Send + 'static,
) -> std::io::Result<()> {
    let service = router(app).into_make_service_with_connect_info::<std::net::SocketAddr>();
    axum::serve(listener, service)
        .with_graceful_shutdown(shutdown)
        .await
}
