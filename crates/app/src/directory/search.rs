//! Searching the directory: the reader's audience decides which fields are searched and shown.

use domain::policy::Actor;
use search::{Facet, Hit, SearchRequest, SearchResults};
use serde::{Deserialize, Serialize};

use super::profiles::audience_of;
use crate::{App, AppError, Result};

/// Longest query text kept; longer input is cut (and the results say so), never refused.
pub const MAX_QUERY_CHARS: usize = 1_000;
/// Facet values one search may select; nobody ticks more, and each costs a comparison per other.
pub const MAX_FILTERS: usize = 50;

/// A directory search as the page and the API express it.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct DirectoryQuery {
    #[serde(default)]
    pub text: String,
    /// Selected facet values: AND across facets, OR within one.
    #[serde(default)]
    pub filters: Vec<(Facet, String)>,
    /// 1-based.
    #[serde(default = "first_page")]
    pub page: usize,
    #[serde(default = "default_per_page")]
    pub per_page: usize,
}

fn first_page() -> usize {
    1
}

fn default_per_page() -> usize {
    search::request::DEFAULT_LIMIT
}

impl DirectoryQuery {
    pub fn text(text: impl Into<String>) -> Self {
        DirectoryQuery {
            text: text.into(),
            page: 1,
            per_page: default_per_page(),
            ..DirectoryQuery::default()
        }
    }

    /// Reads the query-string form shared by the directory page, the API and saved searches:
    /// `q=text`, repeated `f=facet:value`, `page=N`, `per_page=N`. Unknown keys are ignored;
    /// a malformed filter or number is refused with the offending value.
    pub fn from_pairs<'a>(pairs: impl IntoIterator<Item = (&'a str, &'a str)>) -> Result<Self> {
        let mut query = DirectoryQuery::text("");
        for (key, value) in pairs {
            match key {
                "q" => query.text = value.to_owned(),
                "f" => {
                    let parsed = value
                        .split_once(':')
                        .and_then(|(facet, v)| Some((Facet::parse(facet)?, v.trim())))
                        .filter(|(_, v)| !v.is_empty());
                    let Some((facet, v)) = parsed else {
                        return Err(AppError::invalid(
                            "f",
                            format!(
                                "'{value}' is not a filter of the form facet:value (facets: naf_section, naf_division, region, department, size, certification, label, cluster)"
                            ),
                        ));
                    };
                    if query.filters.len() >= MAX_FILTERS {
                        return Err(AppError::invalid(
                            "f",
                            format!("at most {MAX_FILTERS} filters can be combined in one search"),
                        ));
                    }
                    if !query.filters.iter().any(|(f, x)| *f == facet && x == v) {
                        query.filters.push((facet, v.to_owned()));
                    }
                }
                "page" | "per_page" => {
                    let n = value
                        .trim()
                        .parse::<usize>()
                        .map_err(|_| AppError::invalid(key, format!("'{value}' is not a whole number")))?;
                    if key == "page" {
                        query.page = n;
                    } else {
                        query.per_page = n;
                    }
                }
                _ => {}
            }
        }
        Ok(query)
    }

    /// The inverse of [`DirectoryQuery::from_pairs`], without the page: what a saved search keeps.
    pub fn to_pairs(&self) -> Vec<(String, String)> {
        let mut pairs = vec![("q".to_owned(), self.text.clone())];
        for (facet, value) in &self.filters {
            pairs.push(("f".to_owned(), format!("{}:{value}", facet.as_str())));
        }
        pairs
    }

    pub fn is_selected(&self, facet: Facet, value: &str) -> bool {
        self.filters.iter().any(|(f, v)| *f == facet && v == value)
    }

    /// The engine's request for this query, or a clear error for a page out of reach.
    pub fn request(&self, actor: &Actor) -> Result<SearchRequest> {
        if self.page == 0 {
            return Err(AppError::invalid("page", "pages are numbered from 1"));
        }
        if self.per_page == 0 || self.per_page > search::request::MAX_LIMIT {
            return Err(AppError::invalid(
                "per_page",
                format!("between 1 and {} results per page", search::request::MAX_LIMIT),
            ));
        }
        let offset = (self.page - 1).saturating_mul(self.per_page);
        if offset > search::request::MAX_OFFSET {
            return Err(AppError::invalid(
                "page",
                format!(
                    "results beyond the first {} are not paged; narrow the search instead",
                    search::request::MAX_OFFSET
                ),
            ));
        }
        let text: String = self.text.chars().take(MAX_QUERY_CHARS).collect();
        let mut request = SearchRequest::new(text, audience_of(actor)).page(offset, self.per_page);
        for (facet, value) in &self.filters {
            request = request.filter(*facet, value.trim());
        }
        Ok(request)
    }
}

impl App {
    /// Searches the directory; visitors search and see public fields only.
    pub async fn search_directory(&self, actor: &Actor, query: &DirectoryQuery) -> Result<SearchResults> {
        let request = query.request(actor)?;
        let cut = query.text.chars().count() > MAX_QUERY_CHARS;
        let directory = self.directory()?.clone();
        let mut results = tokio::task::spawn_blocking(move || directory.index().search(&request))
            .await
            .map_err(|e| AppError::Internal(e.to_string()))?
            .map_err(|e| AppError::Internal(format!("search failed: {e}")))?;
        results.truncated |= cut;
        Ok(results)
    }

    /// Organisations whose profiles read most like this one's, as `actor` may see them.
    pub async fn similar_organisations(
        &self,
        actor: &Actor,
        organisation_id: i64,
        limit: usize,
    ) -> Result<Vec<Hit>> {
        let audience = audience_of(actor);
        let directory = self.directory()?.clone();
        let limit = limit.clamp(1, 50);
        tokio::task::spawn_blocking(move || directory.index().similar(organisation_id, audience, limit))
            .await
            .map_err(|e| AppError::Internal(e.to_string()))?
            .map_err(|e| match e {
                search::SearchError::UnknownOrg(_) => AppError::NotFound("organisation"),
                e => AppError::Internal(format!("search failed: {e}")),
            })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_query_string_form_round_trips() {
        let query = DirectoryQuery::from_pairs([
            ("q", "usinage titane"),
            ("f", "region:76"),
            ("f", "naf_section:C"),
            ("f", "region:76"),
            ("page", "2"),
            ("utm", "ignored"),
        ])
        .unwrap();
        assert_eq!(query.text, "usinage titane");
        assert_eq!(query.filters.len(), 2);
        assert_eq!(query.page, 2);
        let pairs = query.to_pairs();
        let again = DirectoryQuery::from_pairs(pairs.iter().map(|(k, v)| (k.as_str(), v.as_str()))).unwrap();
        assert_eq!(again.filters, query.filters);
    }

    #[test]
    fn malformed_filters_and_pages_are_refused_by_name() {
        let error = DirectoryQuery::from_pairs([("f", "colour:blue")]).unwrap_err();
        assert!(error.to_string().contains("colour:blue"), "{error}");
        assert!(DirectoryQuery::from_pairs([("page", "-1")]).is_err());
        let deep = DirectoryQuery::from_pairs([("page", "100000")]).unwrap();
        assert!(deep.request(&Actor::Visitor).is_err());
        let many: Vec<String> = (0..=MAX_FILTERS).map(|i| format!("label:l{i}")).collect();
        let error = DirectoryQuery::from_pairs(many.iter().map(|f| ("f", f.as_str()))).unwrap_err();
        assert!(error.to_string().contains("at most 50 filters"), "{error}");
        let zero = DirectoryQuery::from_pairs([("page", "0")]).unwrap();
        assert!(zero.request(&Actor::Visitor).is_err());
    }
}
