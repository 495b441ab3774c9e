//! The purchasing committee's storage: buyers' purchasing policies, committee sessions, calls for
//! proposals with their parts, candidates' dossiers and their versions, evaluation, and the files
//! all of them attach. Rows are defined next to the only queries that read them.
//!
//! State changes are guarded in SQL (`… WHERE state = $expected`) and report whether they
//! happened, so that of two racing writers exactly one wins; the caller turns a lost race into a
//! message. Functions that write several statements expect to run inside the caller's transaction.

pub mod calls;
pub mod dossiers;
pub mod evaluation;
pub mod files;
pub mod listings;
pub mod policies;
pub mod portfolio;
pub mod sessions;

use serde::Serialize;
use serde::de::DeserializeOwned;

/// Lists kept in one TEXT column as a JSON array.
pub(crate) fn to_json<T: Serialize>(list: &[T]) -> String {
    serde_json::to_string(list).expect("lists of strings and numbers always serialise")
}

pub(crate) fn from_json<T: DeserializeOwned>(column: &str, text: &str) -> crate::Result<Vec<T>> {
    serde_json::from_str(text).map_err(|e| {
        sqlx::Error::ColumnDecode {
            index: column.to_owned(),
            source: Box::new(e),
        }
        .into()
    })
}
