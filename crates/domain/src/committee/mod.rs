//! The purchasing committee's rules: calls for proposals and their life, who may answer them, the
//! submission deadline and the seal on dossiers, and the scoring of dossiers. Pure values and
//! functions; the store keeps them and the app runs them.

pub mod call;
pub mod deadline;
pub mod eligibility;
pub mod paris;
pub mod scoring;

pub use call::{
    Call, CallInput, CallIssue, CallState, CallVisibility, Category, Criterion, Eligibility,
    IllegalTransition, Lot, normalised_weights, transition,
};
pub use deadline::{LateOrEarly, may_submit, sealed};
pub use eligibility::{CandidateFacts, Ineligibility, check};
pub use scoring::{DossierSheets, Points, Ranked, ScoringError, Sheet, check_mark, rank, weighted_total};
