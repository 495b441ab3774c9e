//! The account page: who I am, changing my password, and my API tokens.

use super::{Chrome, Refusal, form_errors, render_with};
use crate::identity::{SESSION_COOKIE, Viewer};
use crate::state::AppState;
use app::{Actor, AppError, FieldError};
use askama::Template;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Form, Router};
use axum_extra::extract::CookieJar;
use serde::Deserialize;
use store::records::{ApiToken, Person};

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/account", get(show))
        .route("/account/password", post(change_password))
        .route("/account/tokens", post(create_token))
        .route("/account/tokens/{id}/revoke", post(revoke_token))
}

#[derive(Template)]
#[template(path = "account.html")]
struct AccountPage {
    c: Chrome,
    person: Person,
    roles: Vec<&'static str>,
    tokens: Vec<ApiToken>,
    new_token: Option<String>,
    notice: Option<String>,
    errors: Vec<FieldError>,
}

/// Renders the account page after an action, with its outcome.
async fn page(
    state: &AppState,
    viewer: &Viewer,
    status: StatusCode,
    notice: Option<String>,
    new_token: Option<String>,
    errors: Vec<FieldError>,
) -> Response {
    let Actor::Person(principal) = &viewer.actor else {
        return viewer.fail(AppError::Unauthenticated).into_response();
    };
    let loaded = async {
        let person = state.app.person_of(&viewer.actor).await?;
        let tokens = state.app.api_tokens(&viewer.actor).await?;
        Ok::<_, AppError>((person, tokens))
    };
    match loaded.await {
        Ok((person, tokens)) => render_with(
            status,
            &AccountPage {
                c: Chrome::of(viewer, "account"),
                person,
                roles: principal.roles().into_iter().map(|r| r.as_str()).collect(),
                tokens,
                new_token,
                notice,
                errors,
            },
        ),
        Err(error) => viewer.fail(error).into_response(),
    }
}

async fn show(State(state): State<AppState>, viewer: Viewer) -> Response {
    page(&state, &viewer, StatusCode::OK, None, None, Vec::new()).await
}

/// Renders the outcome of an account action: a notice on success, the errors otherwise.
async fn outcome(
    state: &AppState,
    viewer: &Viewer,
    result: Result<(), AppError>,
    success_key: &str,
    new_token: Option<String>,
) -> Response {
    match result {
        Ok(()) => {
            page(
                state,
                viewer,
                StatusCode::OK,
                Some(viewer.tr.t(success_key)),
                new_token,
                Vec::new(),
            )
            .await
        }
        Err(error) => {
            let status = crate::error::status_of(&error);
            match form_errors(viewer, error) {
                Refusal::Fields(errors) => page(state, viewer, status, None, None, errors).await,
                Refusal::Page(response) => response,
            }
        }
    }
}

#[derive(Deserialize)]
struct PasswordForm {
    #[serde(default)]
    current_password: String,
    #[serde(default)]
    new_password: String,
}

async fn change_password(
    State(state): State<AppState>,
    viewer: Viewer,
    jar: CookieJar,
    Form(form): Form<PasswordForm>,
) -> Response {
    let session = jar.get(SESSION_COOKIE).map(|c| c.value().to_owned());
    let result = state
        .app
        .change_password(
            &viewer.actor,
            &form.current_password,
            &form.new_password,
            session.as_deref(),
        )
        .await;
    outcome(&state, &viewer, result, "account.password_changed", None).await
}

#[derive(Deserialize)]
struct TokenForm {
    #[serde(default)]
    name: String,
}

async fn create_token(
    State(state): State<AppState>,
    viewer: Viewer,
    Form(form): Form<TokenForm>,
) -> Response {
    match state.app.create_api_token(&viewer.actor, &form.name).await {
        Ok((_, secret)) => outcome(&state, &viewer, Ok(()), "account.token_created", Some(secret)).await,
        Err(error) => outcome(&state, &viewer, Err(error), "", None).await,
    }
}

async fn revoke_token(State(state): State<AppState>, viewer: Viewer, Path(id): Path<i64>) -> Response {
    let result = state.app.revoke_api_token(&viewer.actor, id).await;
    outcome(&state, &viewer, result, "account.token_revoked_notice", None).await
}
