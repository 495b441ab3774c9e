//! Accepting an invitation: the invited person chooses a password and becomes a member.

use super::{Chrome, Refusal, form_errors, render, render_with};
use crate::identity::{SESSION_COOKIE, Viewer, cookie};
use crate::state::AppState;
use app::FieldError;
use app::accounts::{InvitationView, SignUp};
use askama::Template;
use axum::extract::{Path, State};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::get;
use axum::{Form, Router};
use axum_extra::extract::CookieJar;
use axum_extra::extract::cookie::SameSite;

pub fn routes() -> Router<AppState> {
    Router::new().route("/invitations/{token}", get(sign_up_form).post(sign_up))
}

#[derive(Template)]
#[template(path = "invitation.html")]
struct InvitationPage {
    c: Chrome,
    token: String,
    invitation: InvitationView,
    form: SignUp,
    errors: Vec<FieldError>,
}

async fn sign_up_form(State(state): State<AppState>, viewer: Viewer, Path(token): Path<String>) -> Response {
    match state.app.invitation(&token).await {
        Ok(invitation) => render(&InvitationPage {
            c: Chrome::of(&viewer, ""),
            token,
            invitation,
            form: SignUp::default(),
            errors: Vec::new(),
        }),
        Err(error) => viewer.fail(error).into_response(),
    }
}

async fn sign_up(
    State(state): State<AppState>,
    viewer: Viewer,
    jar: CookieJar,
    Path(token): Path<String>,
    Form(mut form): Form<SignUp>,
) -> Response {
    match state.app.accept_invitation(&token, &form).await {
        Ok(session) => {
            let jar = jar.add(cookie(
                SESSION_COOKIE,
                session.0,
                state.secure_cookies,
                SameSite::Lax,
            ));
            (jar, Redirect::to("/")).into_response()
        }
        Err(error) => {
            let status = crate::error::status_of(&error);
            let invitation = match state.app.invitation(&token).await {
                Ok(invitation) => invitation,
                Err(gone) => return viewer.fail(gone).into_response(),
            };
            match form_errors(&viewer, error) {
                Refusal::Fields(errors) => {
                    form.password.clear();
                    render_with(
                        status,
                        &InvitationPage {
                            c: Chrome::of(&viewer, ""),
                            token,
                            invitation,
                            form,
                            errors,
                        },
                    )
                }
                Refusal::Page(response) => response,
            }
        }
    }
}
