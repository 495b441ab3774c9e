//! Static assets compiled into the binary: vendored htmx and the stylesheet. Nothing is loaded
//! from a CDN, so the product works on a closed network.

use crate::state::AppState;
use axum::Router;
use axum::http::header;
use axum::response::IntoResponse;
use axum::routing::get;

const HTMX: &str = include_str!("../static/htmx.min.js");
const STYLE: &str = include_str!("../static/passerelle.css");
const CACHE: &str = "public, max-age=3600";

pub fn routes() -> Router<AppState> {
    Router::new()
        .route(
            "/static/htmx.min.js",
            get(|| async {
                (
                    [
                        (header::CONTENT_TYPE, "text/javascript"),
                        (header::CACHE_CONTROL, CACHE),
                    ],
                    HTMX,
                )
                    .into_response()
            }),
        )
        .route(
            "/static/passerelle.css",
            get(|| async {
                (
                    [(header::CONTENT_TYPE, "text/css"), (header::CACHE_CONTROL, CACHE)],
                    STYLE,
                )
                    .into_response()
            }),
        )
}
