//! Server-rendered pages. Each handler builds a `Chrome` (the frame every page shares: language,
//! form token, navigation the viewer may use), calls one use-case and renders one template.

mod account;
mod buyer_tools;
mod committee;
mod consortia;
mod directory;
mod export;
mod home;
mod invitations;
mod meetings;
mod members;
mod organisations;
mod pooling;
mod session;

use crate::i18n::Tr;
use crate::identity::Viewer;
use crate::state::AppState;
use app::{Actor, AppError, FieldError};
use askama::Template;
use axum::Router;
use axum::http::StatusCode;
use axum::response::{Html, IntoResponse, Response};
use domain::policy::{Action, authorize};

pub fn routes() -> Router<AppState> {
    Router::new()
        .merge(home::routes())
        .merge(session::routes())
        .merge(invitations::routes())
        .merge(members::routes())
        .merge(organisations::routes())
        .merge(account::routes())
        .merge(buyer_tools::routes())
        .merge(meetings::routes())
        .merge(directory::routes())
        .merge(committee::routes())
        .merge(pooling::routes())
        .merge(consortia::routes())
        .merge(export::routes())
}

/// The frame around every page.
pub struct Chrome {
    pub tr: Tr,
    pub csrf: String,
    pub signed_in: bool,
    pub display_name: String,
    pub path: String,
    pub can_browse_members: bool,
    /// Which navigation entry is current.
    pub section: &'static str,
}

impl Chrome {
    pub fn of(viewer: &Viewer, section: &'static str) -> Chrome {
        let can_browse_members = match &viewer.actor {
            Actor::Person(p) => app::actor::home_cluster(p).is_some_and(|cluster_id| {
                authorize(&viewer.actor, &Action::ViewMemberList { cluster_id }).is_ok()
            }),
            Actor::Visitor => false,
        };
        Chrome {
            tr: viewer.tr,
            csrf: viewer.csrf.clone(),
            signed_in: viewer.signed_in(),
            display_name: viewer.display_name.clone().unwrap_or_default(),
            path: viewer.path.clone(),
            can_browse_members,
            section,
        }
    }

    /// The frame for pages rendered without a viewer (errors raised before one could be built).
    fn bare(tr: Tr) -> Chrome {
        Chrome {
            tr,
            csrf: String::new(),
            signed_in: false,
            display_name: String::new(),
            path: "/".into(),
            can_browse_members: false,
            section: "",
        }
    }
}

pub fn render(template: &impl Template) -> Response {
    render_with(StatusCode::OK, template)
}

pub fn render_with(status: StatusCode, template: &impl Template) -> Response {
    match template.render() {
        Ok(html) => (status, Html(html)).into_response(),
        Err(error) => {
            tracing::error!(%error, "template rendering failed");
            (StatusCode::INTERNAL_SERVER_ERROR, "template error").into_response()
        }
    }
}

#[derive(Template)]
#[template(path = "error.html")]
struct ErrorPage {
    c: Chrome,
    title: String,
    message: String,
}

pub fn error_page(tr: Tr, status: StatusCode, message: &str) -> Response {
    let title = match status {
        StatusCode::NOT_FOUND => tr.t("error.not_found"),
        StatusCode::FORBIDDEN => tr.t("error.forbidden"),
        StatusCode::TOO_MANY_REQUESTS => tr.t("error.rate_limited"),
        s if s.is_server_error() => tr.t("error.internal"),
        _ => tr.t("error.generic"),
    };
    render_with(
        status,
        &ErrorPage {
            c: Chrome::bare(tr),
            title,
            message: message.to_owned(),
        },
    )
}

#[derive(Template)]
#[template(path = "message.html")]
struct MessagePage {
    c: Chrome,
    title: String,
    message: String,
    link: String,
    link_text: String,
}

/// A page that only tells the person something and offers one link onwards.
pub fn message_page(
    viewer: &Viewer,
    title_key: &str,
    message_key: &str,
    link: &str,
    link_key: &str,
) -> Response {
    let tr = viewer.tr;
    render(&MessagePage {
        c: Chrome::of(viewer, ""),
        title: tr.t(title_key),
        message: tr.t(message_key),
        link: link.to_owned(),
        link_text: tr.t(link_key),
    })
}

/// What a refused form turns into: errors shown beside the form, or a whole error page.
pub enum Refusal {
    Fields(Vec<FieldError>),
    Page(Response),
}

/// Splits a use-case error into the field errors a form shows, or the error page otherwise.
pub fn form_errors(viewer: &Viewer, error: AppError) -> Refusal {
    match error {
        AppError::Invalid(errors) => Refusal::Fields(errors),
        AppError::Conflict(message) | AppError::Gone(message) => {
            Refusal::Fields(vec![FieldError::new("form", message)])
        }
        other => Refusal::Page(viewer.fail(other).into_response()),
    }
}

/// A use-case's refusal as an error page.
pub fn fail(viewer: &Viewer, error: AppError) -> Response {
    viewer.fail(error).into_response()
}

/// After a successful form: back to `path`, with a notice the page shows once.
pub fn go_with_notice(path: &str, notice: &str) -> Response {
    axum::response::Redirect::to(&format!("{path}?notice={notice}")).into_response()
}

/// The text of `?notice=…` for a page of `area`: one of the area's `known` notices, translated as
/// `<area>.notice.<notice>`; anything else (a hand-typed query) shows nothing.
pub fn notice_text(viewer: &Viewer, area: &str, known: &[&str], notice: &str) -> String {
    if known.contains(&notice) {
        viewer.tr.t(format!("{area}.notice.{notice}"))
    } else {
        String::new()
    }
}

/// A refused form: its field errors go back to `page` with the refusal's status (422, or 409 for a
/// conflict), anything else becomes an error page.
pub async fn refused<F, Fut>(viewer: &Viewer, error: AppError, page: F) -> Response
where
    F: FnOnce(Vec<FieldError>, StatusCode) -> Fut,
    Fut: std::future::Future<Output = Response>,
{
    let status = crate::error::status_of(&error);
    match form_errors(viewer, error) {
        Refusal::Fields(errors) => page(errors, status).await,
        Refusal::Page(response) => response,
    }
}

/// A stored instant (Unix ms) as pages show it: Paris wall-clock time, `dd/mm/yyyy hh:mm`.
pub fn paris_time(ms: i64) -> String {
    jiff::Timestamp::from_millisecond(ms)
        .map(|at| {
            domain::committee::paris::paris()
                .to_datetime(at)
                .strftime("%d/%m/%Y %H:%M")
                .to_string()
        })
        .unwrap_or_default()
}

/// Only local paths are accepted as a place to return to, so links cannot bounce people off-site.
pub fn safe_next(next: &str) -> &str {
    if next.starts_with('/')
        && !next.starts_with("//")
        && !next.starts_with("/\\")
        && !next.contains(char::is_control)
    {
        next
    } else {
        "/"
    }
}

#[cfg(test)]
mod tests {
    use super::safe_next;

    #[test]
    fn only_local_paths_are_followed() {
        assert_eq!(safe_next("/members?q=x"), "/members?q=x");
        assert_eq!(safe_next("//evil.example"), "/");
        assert_eq!(safe_next("https://evil.example"), "/");
        assert_eq!(safe_next("/\\evil.example"), "/");
        assert_eq!(safe_next(""), "/");
    }
}
