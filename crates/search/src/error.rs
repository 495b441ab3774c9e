//! The one error type of the search crate.
//! Bad query text is never an error (it is sanitised); these are the cases a caller must handle.

use std::path::PathBuf;

use crate::document::OrgId;

#[derive(Debug, thiserror::Error)]
pub enum SearchError {
    #[error("search index: {0}")]
    Index(#[from] tantivy::TantivyError),
    #[error("search index directory {path}: {source}")]
    Directory { path: PathBuf, source: std::io::Error },
    /// The index on disk predates the current schema. It is a derived cache: rebuild it.
    #[error("the search index at {0} was built with another schema; rebuild it")]
    SchemaMismatch(PathBuf),
    #[error("results cannot be paged past the first {max}; narrow the search instead")]
    PageTooDeep { max: usize },
    #[error("no profile of organisation {0} in the search index")]
    UnknownOrg(OrgId),
    /// A failed rebuild could not reopen the writer; open the index again.
    #[error("the search index cannot take changes after a failed rebuild; reopen it")]
    WriterUnavailable,
}

pub type Result<T, E = SearchError> = std::result::Result<T, E>;
