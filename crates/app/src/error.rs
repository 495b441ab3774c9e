//! The errors a use-case can answer with. The web layer maps each variant to one HTTP status,
//! so the choice of variant is the choice of what the user is told.

use domain::policy::Denial;
use serde::Serialize;
use thiserror::Error;

/// One problem with one input field, reported back next to that field.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct FieldError {
    pub field: String,
    pub message: String,
}

impl FieldError {
    pub fn new(field: &str, message: impl ToString) -> FieldError {
        FieldError {
            field: field.to_owned(),
            message: message.to_string(),
        }
    }
}

#[derive(Debug, Error)]
pub enum AppError {
    #[error("sign-in required")]
    Unauthenticated,
    #[error("you are not allowed to do this")]
    Forbidden,
    #[error("{0} not found")]
    NotFound(&'static str),
    #[error("invalid input: {}", summary(.0))]
    Invalid(Vec<FieldError>),
    #[error("{0}")]
    Conflict(String),
    #[error("{0}")]
    Gone(String),
    #[error("too many attempts; try again in a minute")]
    RateLimited,
    #[error("wrong e-mail or password")]
    BadCredentials,
    #[error("storage failure")]
    Store(#[from] store::StoreError),
    #[error("internal error: {0}")]
    Internal(String),
}

fn summary(errors: &[FieldError]) -> String {
    errors
        .iter()
        .map(|e| format!("{}: {}", e.field, e.message))
        .collect::<Vec<_>>()
        .join("; ")
}

impl AppError {
    pub fn invalid(field: &str, message: impl ToString) -> AppError {
        AppError::Invalid(vec![FieldError::new(field, message)])
    }

    /// A refused view answers "not found" so that nobody learns what exists outside their reach.
    pub fn hiding(denial: Denial, what: &'static str) -> AppError {
        match denial {
            Denial::SignInRequired => AppError::Unauthenticated,
            Denial::Forbidden => AppError::NotFound(what),
        }
    }
}

impl From<Denial> for AppError {
    fn from(denial: Denial) -> Self {
        match denial {
            Denial::SignInRequired => AppError::Unauthenticated,
            Denial::Forbidden => AppError::Forbidden,
        }
    }
}
