//! Generating the schedule with a progress display: the organiser's "generate" starts it in the
//! background; htmx polls `GET /events/{id}/generation` every 500 ms for a fragment that stops
//! polling once done, then reloads the preview. Without JavaScript the form lands on a status page
//! that refreshes itself every second until the generation is over.

use super::{fail, organiser_refused};
use crate::identity::Viewer;
use crate::pages::{Chrome, render, render_with};
use crate::state::AppState;
use app::AppError;
use app::meetings::GenerationStatus;
use askama::Template;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Redirect, Response};

/// The progress of an event's latest generation, as the fragment shows it.
pub(super) struct GenerationView {
    pub event_id: i64,
    pub status: Option<GenerationStatus>,
    /// "1,4 s" in French, "1.4 s" in English; "40 ms" under a second.
    pub elapsed: String,
    /// The generation just ended under htmx's eyes: load the new preview once.
    pub refresh_preview: bool,
    /// Why this start was refused (another generation runs).
    pub notice: String,
}

impl GenerationView {
    pub fn of(viewer: &Viewer, event_id: i64, status: Option<GenerationStatus>) -> GenerationView {
        let elapsed = status
            .as_ref()
            .map(|s| seconds(s.elapsed_ms, viewer.tr.locale))
            .unwrap_or_default();
        GenerationView {
            event_id,
            status,
            elapsed,
            refresh_preview: false,
            notice: String::new(),
        }
    }

    fn running(&self) -> bool {
        self.status.as_ref().is_some_and(GenerationStatus::is_running)
    }
}

/// Under a second in milliseconds ("40 ms"), else in tenths of seconds.
fn seconds(ms: u64, locale: &str) -> String {
    if ms < 1_000 {
        return format!("{ms} ms");
    }
    let text = format!("{:.1} s", ms as f64 / 1000.0);
    if locale == "fr" {
        text.replace('.', ",")
    } else {
        text
    }
}

#[derive(Template)]
#[template(path = "meetings/generation.html")]
struct GenerationFragment {
    c: Chrome,
    g: GenerationView,
}

#[derive(Template)]
#[template(path = "meetings/generation_page.html")]
struct GenerationPage {
    c: Chrome,
    g: GenerationView,
    running: bool,
}

fn is_htmx(headers: &HeaderMap) -> bool {
    headers.contains_key("hx-request")
}

/// Progress is never cached: each poll must see the latest phase.
fn no_store(mut response: Response) -> Response {
    response
        .headers_mut()
        .insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    response
}

fn fragment(viewer: &Viewer, status: StatusCode, g: GenerationView) -> Response {
    no_store(render_with(
        status,
        &GenerationFragment {
            c: Chrome::of(viewer, "events"),
            g,
        },
    ))
}

/// `POST /events/{id}/generate`: starts the generation and answers at once — the progress
/// fragment for htmx, a redirect to the status page for a plain form. While another generation
/// of the event runs: 409 with a message (the fragment shows it beside the running progress).
pub(super) async fn generate(
    State(state): State<AppState>,
    viewer: Viewer,
    headers: HeaderMap,
    Path(id): Path<i64>,
) -> Response {
    match state.app.start_generation(&viewer.actor, id).await {
        Ok(status) if is_htmx(&headers) => fragment(
            &viewer,
            StatusCode::OK,
            GenerationView::of(&viewer, id, Some(status)),
        ),
        Ok(_) => Redirect::to(&format!("/events/{id}/generation")).into_response(),
        Err(AppError::Conflict(message)) if is_htmx(&headers) => {
            let current = state
                .app
                .generation_status(&viewer.actor, id)
                .await
                .ok()
                .flatten();
            let mut g = GenerationView::of(&viewer, id, current);
            g.notice = message;
            fragment(&viewer, StatusCode::CONFLICT, g)
        }
        Err(error) => organiser_refused(&state, &viewer, id, error).await,
    }
}

/// `GET /events/{id}/generation`: the fragment htmx polls, or a page that refreshes itself.
pub(super) async fn status(
    State(state): State<AppState>,
    viewer: Viewer,
    headers: HeaderMap,
    Path(id): Path<i64>,
) -> Response {
    let status = match state.app.generation_status(&viewer.actor, id).await {
        Ok(status) => status,
        Err(error) => return fail(&viewer, error),
    };
    let mut g = GenerationView::of(&viewer, id, status);
    if is_htmx(&headers) {
        // The poll that sees the end swaps in a fragment that fetches the new preview once.
        g.refresh_preview = !g.running() && g.status.is_some();
        return fragment(&viewer, StatusCode::OK, g);
    }
    let running = g.running();
    let mut response = no_store(render(&GenerationPage {
        c: Chrome::of(&viewer, "events"),
        g,
        running,
    }));
    if running {
        response
            .headers_mut()
            .insert(header::REFRESH, HeaderValue::from_static("1"));
    }
    response
}

#[cfg(test)]
mod tests {
    use super::seconds;

    #[test]
    fn seconds_are_written_the_reader_s_way() {
        assert_eq!(seconds(1_440, "fr"), "1,4 s");
        assert_eq!(seconds(1_440, "en"), "1.4 s");
        assert_eq!(seconds(40, "fr"), "40 ms");
        assert_eq!(seconds(12_000, "en"), "12.0 s");
    }
}
