//! Signing in and out, choosing the language, and resetting a forgotten password.

use super::{Chrome, Refusal, form_errors, message_page, render, render_with, safe_next};
use crate::i18n::LANG_COOKIE;
use crate::identity::{ClientAddr, SESSION_COOKIE, Viewer, cookie};
use crate::state::AppState;
use app::{AppError, FieldError};
use askama::Template;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use axum::{Form, Router};
use axum_extra::extract::CookieJar;
use axum_extra::extract::cookie::SameSite;
use serde::Deserialize;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/login", get(login_form).post(login))
        .route("/logout", post(logout))
        .route("/lang", post(choose_language))
        .route("/password/forgot", get(forgot_form).post(forgot))
        .route("/password/reset/{token}", get(reset_form).post(reset))
}

#[derive(Template)]
#[template(path = "login.html")]
struct LoginPage {
    c: Chrome,
    next: String,
    email: String,
    problem: Option<String>,
}

#[derive(Deserialize)]
struct NextQuery {
    #[serde(default)]
    next: String,
}

async fn login_form(viewer: Viewer, Query(query): Query<NextQuery>) -> Response {
    if viewer.signed_in() {
        return Redirect::to(safe_next(&query.next)).into_response();
    }
    render(&LoginPage {
        c: Chrome::of(&viewer, "login"),
        next: query.next,
        email: String::new(),
        problem: None,
    })
}

#[derive(Deserialize)]
struct LoginForm {
    #[serde(default)]
    email: String,
    #[serde(default)]
    password: String,
    #[serde(default)]
    next: String,
}

async fn login(
    State(state): State<AppState>,
    viewer: Viewer,
    client: ClientAddr,
    jar: CookieJar,
    Form(form): Form<LoginForm>,
) -> Response {
    match state.app.login(&form.email, &form.password, &client.key()).await {
        Ok(session) => {
            let jar = jar.add(cookie(
                SESSION_COOKIE,
                session.0,
                state.secure_cookies,
                SameSite::Lax,
            ));
            (jar, Redirect::to(safe_next(&form.next))).into_response()
        }
        Err(error @ (AppError::BadCredentials | AppError::RateLimited)) => {
            let status = crate::error::status_of(&error);
            let problem = viewer.tr.t(if matches!(error, AppError::RateLimited) {
                "login.rate_limited"
            } else {
                "login.bad_credentials"
            });
            render_with(
                status,
                &LoginPage {
                    c: Chrome::of(&viewer, "login"),
                    next: form.next,
                    email: form.email,
                    problem: Some(problem),
                },
            )
        }
        Err(other) => viewer.fail(other).into_response(),
    }
}

async fn logout(State(state): State<AppState>, jar: CookieJar) -> Response {
    if let Some(session) = jar.get(SESSION_COOKIE)
        && let Err(error) = state.app.logout(session.value()).await
    {
        tracing::error!(%error, "logout failed");
    }
    let jar = jar.remove(cookie(
        SESSION_COOKIE,
        String::new(),
        state.secure_cookies,
        SameSite::Lax,
    ));
    (jar, Redirect::to("/")).into_response()
}

#[derive(Deserialize)]
struct LanguageForm {
    #[serde(default)]
    locale: String,
    #[serde(default)]
    next: String,
}

/// Remembers the language in a cookie and, for a signed-in person, in their account.
async fn choose_language(
    State(state): State<AppState>,
    viewer: Viewer,
    jar: CookieJar,
    Form(form): Form<LanguageForm>,
) -> Response {
    let locale = match app::accounts::parse_locale(&form.locale) {
        Ok(locale) => locale,
        Err(error) => return viewer.fail(error).into_response(),
    };
    if viewer.signed_in()
        && let Err(error) = state.app.set_locale(&viewer.actor, locale).await
    {
        return viewer.fail(error).into_response();
    }
    let jar = jar.add(cookie(
        LANG_COOKIE,
        locale.to_owned(),
        state.secure_cookies,
        SameSite::Lax,
    ));
    (jar, Redirect::to(safe_next(&form.next))).into_response()
}

#[derive(Template)]
#[template(path = "forgot.html")]
struct ForgotPage {
    c: Chrome,
    errors: Vec<FieldError>,
}

async fn forgot_form(viewer: Viewer) -> Response {
    render(&ForgotPage {
        c: Chrome::of(&viewer, "login"),
        errors: Vec::new(),
    })
}

#[derive(Deserialize)]
struct ForgotForm {
    #[serde(default)]
    email: String,
}

async fn forgot(State(state): State<AppState>, viewer: Viewer, Form(form): Form<ForgotForm>) -> Response {
    match state.app.request_password_reset(&form.email).await {
        Ok(()) => message_page(&viewer, "forgot.title", "forgot.sent", "/login", "nav.login"),
        Err(error) => match form_errors(&viewer, error) {
            Refusal::Fields(errors) => render_with(
                StatusCode::UNPROCESSABLE_ENTITY,
                &ForgotPage {
                    c: Chrome::of(&viewer, "login"),
                    errors,
                },
            ),
            Refusal::Page(response) => response,
        },
    }
}

#[derive(Template)]
#[template(path = "reset.html")]
struct ResetPage {
    c: Chrome,
    token: String,
    errors: Vec<FieldError>,
}

async fn reset_form(State(state): State<AppState>, viewer: Viewer, Path(token): Path<String>) -> Response {
    match state.app.reset_link_is_open(&token).await {
        Ok(true) => {}
        Ok(false) => {
            let gone = AppError::Gone("this reset link is invalid, expired or already used".into());
            return viewer.fail(gone).into_response();
        }
        Err(error) => return viewer.fail(error).into_response(),
    }
    render(&ResetPage {
        c: Chrome::of(&viewer, "login"),
        token,
        errors: Vec::new(),
    })
}

#[derive(Deserialize)]
struct ResetForm {
    #[serde(default)]
    password: String,
}

async fn reset(
    State(state): State<AppState>,
    viewer: Viewer,
    Path(token): Path<String>,
    Form(form): Form<ResetForm>,
) -> Response {
    match state.app.reset_password(&token, &form.password).await {
        Ok(()) => message_page(&viewer, "reset.title", "reset.done", "/login", "nav.login"),
        Err(error) => {
            let status = crate::error::status_of(&error);
            match form_errors(&viewer, error) {
                Refusal::Fields(errors) => render_with(
                    status,
                    &ResetPage {
                        c: Chrome::of(&viewer, "login"),
                        token,
                        errors,
                    },
                ),
                Refusal::Page(response) => response,
            }
        }
    }
}
