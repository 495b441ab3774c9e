//! Passerelle's full-text search engine over SME capability profiles (tantivy).
//! A derived cache of the store: rebuilt from it in bulk, kept fresh change by change.
//!
//! Start at [`SearchIndex`]: [`SearchIndex::open_or_create`] (or [`SearchIndex::in_ram`]),
//! [`SearchIndex::upsert`] / [`SearchIndex::delete`], [`SearchIndex::rebuild`],
//! [`SearchIndex::search`] with a [`SearchRequest`], and [`SearchIndex::similar`].
//!
//! How it is built, and why:
//! - **Visibility by construction.** Public and members-only text go to separate fields
//!   ([`schema`]); [`schema::Fields::searchable`] is the one place that lists the fields an
//!   [`Audience`] may search, and queries, snippets and "similar companies" take their fields
//!   from it alone. A visitor's query never touches a members-only field (nor its statistics).
//! - **Analysis** ([`analysis`]): one pipeline per field value that detects French or English,
//!   removes that language's stop words, stems with Snowball *before* folding accents (the
//!   French stemmer keys on accents), and indexes the unaccented spelling's stem too when it
//!   differs ("securite" meets "sécurité"). Query words are looked up by their French and
//!   English stems, so the query's language need not be guessed.
//! - **Typos** ([`query`]): words of five letters or more that are not already common in the
//!   index also match dictionary words one edit from their stem, constant-scored below exact
//!   BM25 matches.
//! - **Facets** ([`facets`]): counted over the whole match set from fast fields holding one
//!   value per profile (single-valued facets packed into one number, multi-valued ones as
//!   value sets); filters are AND across facets, OR within one.
//! - **Freshness** ([`index`]): changes are committed by a background thread 200 ms after the
//!   first pending one and the reader is reloaded at once: searchable within a second.
//!
//! With the `bench` feature: [`bench::run_bench`], against SQLite FTS5 on a synthetic corpus.

pub mod analysis;
#[cfg(feature = "bench")]
pub mod bench;
#[cfg(feature = "bench")]
pub mod corpus;
pub mod differentiation;
pub mod document;
pub mod error;
pub mod facets;
#[cfg(feature = "bench")]
mod fts5;
pub mod index;
mod packed;
pub mod query;
pub mod request;
pub mod schema;
pub mod snippets;
mod union;
#[cfg(feature = "bench")]
pub mod workload;

pub use differentiation::{Differentiation, PeerText, SharedPhrase, Suggestion, differentiate};
pub use document::{Offer, OrgId, ProfileDoc, Visibility, Visible};
pub use error::{Result, SearchError};
pub use facets::{Facet, FacetCounts, FacetValue, Filters};
pub use index::{COMMIT_DELAY, RebuildOptions, SearchIndex};
pub use request::{Hit, SearchRequest, SearchResults};
pub use schema::Audience;

#[cfg(feature = "bench")]
pub use bench::{BenchReport, EngineFigures, run_bench};
