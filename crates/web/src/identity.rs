//! Who is making a request. Pages know people by their session cookie, the API by a bearer
//! token; neither accepts the other's credential, which keeps CSRF confined to the pages.

use crate::csrf::CsrfToken;
use crate::error::{ApiError, PageError};
use crate::i18n::{LANG_COOKIE, Tr, negotiate};
use crate::state::AppState;
use app::{Actor, AppError};
use axum::extract::FromRequestParts;
use axum::http::header::{ACCEPT_LANGUAGE, AUTHORIZATION};
use axum::http::request::Parts;
use axum_extra::extract::CookieJar;
use axum_extra::extract::cookie::{Cookie, SameSite};

pub const SESSION_COOKIE: &str = "passerelle_session";

/// The person (or visitor) looking at a page, with their language and the form token.
pub struct Viewer {
    pub actor: Actor,
    pub display_name: Option<String>,
    pub tr: Tr,
    pub csrf: String,
    pub path: String,
}

impl Viewer {
    /// Wraps a use-case error for rendering in this viewer's language.
    pub fn fail(&self, error: AppError) -> PageError {
        PageError {
            error,
            tr: self.tr,
            return_to: self.path.clone(),
        }
    }

    pub fn signed_in(&self) -> bool {
        matches!(self.actor, Actor::Person(_))
    }
}

impl FromRequestParts<AppState> for Viewer {
    type Rejection = PageError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, Self::Rejection> {
        let jar = CookieJar::from_headers(&parts.headers);
        let accept_language = parts.headers.get(ACCEPT_LANGUAGE).and_then(|v| v.to_str().ok());
        let cookie_locale = jar.get(LANG_COOKIE).map(|c| c.value().to_owned());
        let path = parts
            .uri
            .path_and_query()
            .map(|p| p.as_str().to_owned())
            .unwrap_or_else(|| "/".into());
        let csrf = parts
            .extensions
            .get::<CsrfToken>()
            .map(|t| t.0.clone())
            .unwrap_or_default();
        let fallback_tr = negotiate(cookie_locale.as_deref(), None, accept_language);
        let fail = |error| PageError {
            error,
            tr: fallback_tr,
            return_to: path.clone(),
        };

        let actor = match jar.get(SESSION_COOKIE) {
            Some(cookie) => state.app.session_actor(cookie.value()).await.map_err(fail)?,
            None => Actor::Visitor,
        };
        let person = match &actor {
            Actor::Person(_) => Some(state.app.person_of(&actor).await.map_err(fail)?),
            Actor::Visitor => None,
        };
        let tr = negotiate(
            cookie_locale.as_deref(),
            person.as_ref().map(|p| p.locale.as_str()),
            accept_language,
        );
        Ok(Viewer {
            actor,
            display_name: person.map(|p| p.full_name()),
            tr,
            csrf,
            path,
        })
    }
}

/// The caller of an API route: a bearer token's owner, or a visitor.
pub struct ApiCaller(pub Actor);

impl FromRequestParts<AppState> for ApiCaller {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, Self::Rejection> {
        let Some(header) = parts.headers.get(AUTHORIZATION) else {
            return Ok(ApiCaller(Actor::Visitor));
        };
        let token = header
            .to_str()
            .ok()
            .and_then(|h| h.split_once(' '))
            // The scheme name is case-insensitive (RFC 9110 §11.1).
            .and_then(|(scheme, token)| scheme.eq_ignore_ascii_case("bearer").then_some(token))
            .map(str::trim)
            .filter(|t| !t.is_empty() && t.len() <= 200)
            .ok_or(ApiError(AppError::Unauthenticated))?;
        match state.app.token_actor(token).await? {
            // A wrong token is an error, not a silent downgrade to visitor.
            Actor::Visitor => Err(ApiError(AppError::Unauthenticated)),
            actor => Ok(ApiCaller(actor)),
        }
    }
}

/// A cookie with the attributes every Passerelle cookie shares.
pub fn cookie(name: &'static str, value: String, secure: bool, same_site: SameSite) -> Cookie<'static> {
    Cookie::build((name, value))
        .path("/")
        .http_only(true)
        .secure(secure)
        .same_site(same_site)
        .build()
}

/// The client's network address. Behind a reverse proxy every client shares the proxy's address,
/// so login throttling then falls back to the per-account limit in practice.
pub struct ClientAddr(pub Option<std::net::IpAddr>);

impl ClientAddr {
    /// The key the login throttle counts attempts under.
    pub fn key(&self) -> String {
        self.0.map_or_else(|| "unknown".to_owned(), |ip| ip.to_string())
    }

    pub fn is_loopback(&self) -> bool {
        self.0.is_some_and(|ip| ip.is_loopback())
    }
}

impl<S: Send + Sync> FromRequestParts<S> for ClientAddr {
    type Rejection = std::convert::Infallible;

    async fn from_request_parts(parts: &mut Parts, _state: &S) -> Result<Self, Self::Rejection> {
        let peer = parts
            .extensions
            .get::<axum::extract::ConnectInfo<std::net::SocketAddr>>();
        Ok(ClientAddr(peer.map(|axum::extract::ConnectInfo(addr)| addr.ip())))
    }
}
