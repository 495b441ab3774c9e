//! What a caller asks the engine and what it gets back: a search request with filters, facets
//! and a page, and results carrying hits with HTML snippets and facet counts.

use serde::{Deserialize, Serialize};

use crate::document::OrgId;
use crate::facets::{Facet, FacetCounts, Filters};
use crate::schema::Audience;

/// Results per page are capped here (larger requests get this many).
pub const MAX_LIMIT: usize = 100;
/// Paging further than this is refused: deep pages cost a top-k of that size and nobody reads
/// them; a narrower search is the answer.
pub const MAX_OFFSET: usize = 10_000;
/// Results per page unless asked otherwise.
pub const DEFAULT_LIMIT: usize = 20;

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SearchRequest {
    /// What the user typed; any string is accepted.
    pub text: String,
    pub audience: Audience,
    pub filters: Filters,
    /// Facets to count over the match set.
    pub facets: Vec<Facet>,
    pub offset: usize,
    pub limit: usize,
}

impl SearchRequest {
    /// The first page of results for `text`, with the default facets.
    pub fn new(text: impl Into<String>, audience: Audience) -> Self {
        SearchRequest {
            text: text.into(),
            audience,
            filters: Filters::new(),
            facets: Facet::DEFAULT.to_vec(),
            offset: 0,
            limit: DEFAULT_LIMIT,
        }
    }

    pub fn filter(mut self, facet: Facet, value: impl Into<String>) -> Self {
        self.filters.add(facet, value);
        self
    }

    pub fn page(mut self, offset: usize, limit: usize) -> Self {
        self.offset = offset;
        self.limit = limit;
        self
    }

    pub fn facets(mut self, facets: &[Facet]) -> Self {
        self.facets = facets.to_vec();
        self
    }
}

/// One matching profile, with only what the audience may see.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Hit {
    pub org_id: OrgId,
    pub score: f32,
    pub name: String,
    /// The name, HTML-escaped, matched words in `<mark>`.
    pub name_html: String,
    /// A fragment of the visible text, HTML-escaped, matched words in `<mark>`.
    pub snippet_html: String,
    pub naf: String,
    pub region: String,
    pub department: String,
    pub size: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SearchResults {
    /// Profiles matching, over all pages.
    pub total: u64,
    pub hits: Vec<Hit>,
    /// Counted over all matching profiles, not only this page.
    pub facets: Vec<FacetCounts>,
    /// No profile matched every word, so these match some of them.
    pub relaxed: bool,
    /// Part of the query was ignored (too long or too many words).
    pub truncated: bool,
}
