//! Buyers' tools: saved directory searches that e-mail their owner about newly matching profiles,
//! and supplier shortlists that export as CSV or XLSX. Each person sees and changes only their own.

pub mod alerts;
pub mod saved_searches;
pub mod shortlists;

pub use alerts::AlertsReport;
pub use saved_searches::{SavedSearch, parse_query_string};
pub use shortlists::{ExportFormat, ShortlistExport, ShortlistView};

use domain::policy::{Action, Actor, authorize};

use crate::{AppError, Result};

/// Longest name of a saved search or a shortlist.
pub const MAX_NAME_CHARS: usize = 120;

/// The person acting on their own buyer tools; visitors are asked to sign in.
fn owner(actor: &Actor) -> Result<i64> {
    authorize(actor, &Action::UseBuyerTools)?;
    match actor {
        Actor::Person(p) => Ok(p.person_id),
        Actor::Visitor => Err(AppError::Unauthenticated),
    }
}

/// A name as typed: trimmed, 1 to [`MAX_NAME_CHARS`] characters, no control characters.
fn name(input: &str) -> Result<String> {
    domain::text::required("name", input, MAX_NAME_CHARS).map_err(|e| AppError::invalid("name", e))
}

use crate::spreadsheet::english;
