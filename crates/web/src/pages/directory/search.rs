//! The directory search: a search box and facets as checkbox groups with counts. htmx asks
//! `/directory/results` as one types or ticks and swaps facets and hits in place (the address bar
//! follows through `HX-Push-Url`); without JavaScript the same form is a plain GET of `/directory`.

use super::tr_with;
use crate::identity::Viewer;
use crate::pages::members::size_label;
use crate::pages::{Chrome, render};
use crate::state::AppState;
use ::search::{Facet, FacetCounts, Hit, SearchResults};
use app::AppError;
use app::directory::DirectoryQuery;
use askama::Template;
use axum::extract::{RawQuery, State};
use axum::http::HeaderValue;
use axum::response::{IntoResponse, Response};
use std::collections::HashMap;
use std::sync::LazyLock;

/// The two-digit NAF divisions with their (French) labels; the nomenclature only labels codes.
static DIVISIONS: LazyLock<HashMap<&'static str, &'static str>> = LazyLock::new(|| {
    domain::naf::all_subclasses()
        .map(|code| (code.division(), code.division_label_fr()))
        .collect()
});

/// One value of a facet, as a checkbox.
pub struct FacetOption {
    /// Stable across refreshes, so that htmx gives the focus back to the box just ticked.
    pub id: String,
    pub value: String,
    pub label: String,
    pub count: u64,
    pub checked: bool,
}

/// A facet as a checkbox group: a fieldset with its legend.
pub struct FacetGroup {
    pub code: &'static str,
    pub legend: String,
    pub options: Vec<FacetOption>,
}

/// A matching organisation as the results list shows it.
pub struct HitRow {
    pub id: i64,
    pub name: String,
    /// HTML-escaped by the engine, matched words in `<mark>`: rendered unescaped.
    pub name_html: String,
    /// HTML-escaped by the engine, matched words in `<mark>`: rendered unescaped.
    pub snippet_html: String,
    pub sector: String,
    pub place: String,
    pub size: String,
}

/// Everything the results fragment shows: facets, hits, notices and pages.
pub struct ResultsView {
    pub total: u64,
    pub hits: Vec<HitRow>,
    pub facets: Vec<FacetGroup>,
    pub relaxed: bool,
    pub truncated: bool,
    pub page: usize,
    pub pages: usize,
    /// Query strings of the neighbouring pages.
    pub previous: Option<String>,
    pub next: Option<String>,
    /// The search without its page, url-encoded: what a saved search keeps.
    pub query: String,
    /// Where the address bar should point for this page of results.
    pub here: String,
}

#[derive(Template)]
#[template(path = "directory/search.html")]
struct SearchPage {
    c: Chrome,
    text: String,
    r: ResultsView,
}

#[derive(Template)]
#[template(path = "directory/results_fragment.html")]
struct ResultsFragment {
    c: Chrome,
    r: ResultsView,
}

/// `GET /directory`: the whole page.
pub async fn page(State(state): State<AppState>, viewer: Viewer, RawQuery(raw): RawQuery) -> Response {
    match search(&state, &viewer, raw.as_deref()).await {
        Ok((query, r)) => render(&SearchPage {
            c: Chrome::of(&viewer, "directory"),
            text: query.text,
            r,
        }),
        Err(error) => viewer.fail(error).into_response(),
    }
}

/// `GET /directory/results`: the facets and hits only, for htmx to swap in.
pub async fn results(State(state): State<AppState>, viewer: Viewer, RawQuery(raw): RawQuery) -> Response {
    let r = match search(&state, &viewer, raw.as_deref()).await {
        Ok((_, r)) => r,
        Err(error) => return viewer.fail(error).into_response(),
    };
    let here = r.here.clone();
    let mut response = render(&ResultsFragment {
        c: Chrome::of(&viewer, "directory"),
        r,
    });
    if let Ok(value) = HeaderValue::from_str(&here) {
        response.headers_mut().insert("hx-push-url", value);
    }
    response
}

/// Reads the query string (`q`, repeated `f=facet:value`, `page`, `per_page`) and searches.
async fn search(
    state: &AppState,
    viewer: &Viewer,
    raw: Option<&str>,
) -> Result<(DirectoryQuery, ResultsView), AppError> {
    let pairs: Vec<(String, String)> = url::form_urlencoded::parse(raw.unwrap_or_default().as_bytes())
        .into_owned()
        .collect();
    let query = DirectoryQuery::from_pairs(pairs.iter().map(|(k, v)| (k.as_str(), v.as_str())))?;
    let results = state.app.search_directory(&viewer.actor, &query).await?;
    let clusters = if has_values(&results, Facet::Cluster) {
        let mut conn = state.app.store.conn().await?;
        store::clusters::list(&mut conn)
            .await?
            .into_iter()
            .map(|c| (c.id.to_string(), c.name))
            .collect()
    } else {
        HashMap::new()
    };
    let view = view(viewer, &query, results, &clusters);
    Ok((query, view))
}

fn has_values(results: &SearchResults, facet: Facet) -> bool {
    results
        .facets
        .iter()
        .any(|f| f.facet == facet && !f.values.is_empty())
}

fn view(
    viewer: &Viewer,
    query: &DirectoryQuery,
    results: SearchResults,
    clusters: &HashMap<String, String>,
) -> ResultsView {
    let locale = viewer.tr.locale;
    let per_page = query.per_page.max(1);
    let reachable = ::search::request::MAX_OFFSET / per_page + 1;
    let pages = (results.total as usize).div_ceil(per_page).min(reachable);
    let link = |page: usize| query_string(query, page);
    ResultsView {
        total: results.total,
        hits: results.hits.into_iter().map(|h| hit_row(h, locale)).collect(),
        facets: Facet::DEFAULT
            .into_iter()
            .map(|facet| facet_group(viewer, query, facet, &results.facets, clusters))
            .collect(),
        relaxed: results.relaxed,
        truncated: results.truncated,
        page: query.page,
        pages,
        previous: (query.page > 1 && query.page <= pages + 1).then(|| link(query.page - 1)),
        next: (query.page < pages).then(|| link(query.page + 1)),
        query: query_string(query, 1),
        here: format!("/directory?{}", link(query.page)),
    }
}

/// The search as a query string: [`DirectoryQuery::to_pairs`], then the page size and the page
/// when they are not the defaults.
fn query_string(query: &DirectoryQuery, page: usize) -> String {
    let mut out = url::form_urlencoded::Serializer::new(String::new());
    for (key, value) in query.to_pairs() {
        out.append_pair(&key, &value);
    }
    if query.per_page != ::search::request::DEFAULT_LIMIT {
        out.append_pair("per_page", &query.per_page.to_string());
    }
    if page > 1 {
        out.append_pair("page", &page.to_string());
    }
    out.finish()
}

fn hit_row(hit: Hit, locale: &str) -> HitRow {
    let sector = match domain::naf::NafCode::parse(&hit.naf) {
        Ok(code) => format!("{} — {}", code.as_str(), code.label_fr()),
        Err(_) => hit.naf.clone(),
    };
    let region = domain::geo::region(&hit.region).map(|r| r.name);
    let department = domain::geo::department(&hit.department).map(|d| d.name);
    let place = match (department, region) {
        (Some(d), Some(r)) => format!("{d} ({}), {r}", hit.department),
        (None, Some(r)) => r.to_owned(),
        (Some(d), None) => d.to_owned(),
        (None, None) => String::new(),
    };
    HitRow {
        id: hit.org_id,
        name: hit.name,
        name_html: hit.name_html,
        snippet_html: hit.snippet_html,
        sector,
        place,
        size: size_label(Some(hit.size.as_str()).filter(|s| !s.is_empty()), locale),
    }
}

/// The counts the engine gave for `facet`, plus the selected values it did not count (so that
/// they can be unticked), each with a readable label.
fn facet_group(
    viewer: &Viewer,
    query: &DirectoryQuery,
    facet: Facet,
    counts: &[FacetCounts],
    clusters: &HashMap<String, String>,
) -> FacetGroup {
    let mut options: Vec<FacetOption> = counts
        .iter()
        .filter(|c| c.facet == facet)
        .flat_map(|c| &c.values)
        .map(|v| FacetOption {
            id: option_id(facet, &v.value),
            label: value_label(viewer, facet, &v.value, clusters),
            checked: query.is_selected(facet, &v.value),
            value: v.value.clone(),
            count: v.count,
        })
        .collect();
    for (f, value) in &query.filters {
        if *f == facet && !options.iter().any(|o| &o.value == value) {
            options.push(FacetOption {
                id: option_id(facet, value),
                label: value_label(viewer, facet, value, clusters),
                value: value.clone(),
                count: 0,
                checked: true,
            });
        }
    }
    FacetGroup {
        code: facet.as_str(),
        legend: viewer.tr.t(format!("directory.facet.{}", facet.as_str())),
        options,
    }
}

/// An element id for a facet value: letters and digits kept, anything else a hyphen.
fn option_id(facet: Facet, value: &str) -> String {
    let cleaned: String = value
        .chars()
        .map(|c| if c.is_ascii_alphanumeric() { c } else { '-' })
        .collect();
    format!("facet-{}-{cleaned}", facet.as_str())
}

/// Names for codes; English falls back to French where the nomenclature has no English.
fn value_label(viewer: &Viewer, facet: Facet, value: &str, clusters: &HashMap<String, String>) -> String {
    let known = match facet {
        Facet::NafSection => domain::naf::sections()
            .find(|(letter, _)| value.len() == 1 && value.starts_with(*letter))
            .map(|(letter, label)| format!("{letter} — {}", sentence_case(label))),
        Facet::NafDivision => DIVISIONS.get(value).map(|label| format!("{value} — {label}")),
        Facet::Region => domain::geo::region(value).map(|r| r.name.to_owned()),
        Facet::Department => domain::geo::department(value).map(|d| format!("{} ({value})", d.name)),
        Facet::Size => Some(size_label(Some(value), viewer.tr.locale)),
        Facet::Cluster => clusters.get(value).cloned(),
        Facet::Certification | Facet::Label => None,
    };
    known.unwrap_or_else(|| value.to_owned())
}

/// INSEE publishes section labels in capitals; a sentence reads better in a list.
fn sentence_case(label: &str) -> String {
    let lower = label.to_lowercase();
    let mut chars = lower.chars();
    match chars.next() {
        Some(first) => first.to_uppercase().chain(chars).collect(),
        None => String::new(),
    }
}

/// Words shared by the search page and its fragment.
impl ResultsView {
    pub fn count_text(&self, tr: &crate::i18n::Tr) -> String {
        let key = match self.total {
            0 => "directory.count_none",
            1 => "directory.count_one",
            _ => "directory.count_many",
        };
        tr_with(*tr, key, &[("n", &self.total.to_string())])
    }

    pub fn page_text(&self, tr: &crate::i18n::Tr) -> String {
        tr_with(
            *tr,
            "directory.page_of",
            &[
                ("page", &self.page.to_string()),
                ("pages", &self.pages.to_string()),
            ],
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn links_keep_the_search_and_change_only_the_page() {
        let query = DirectoryQuery::from_pairs([
            ("q", "usinage & titane"),
            ("f", "region:76"),
            ("f", "naf_section:C"),
            ("page", "3"),
        ])
        .unwrap();
        assert_eq!(
            query_string(&query, 1),
            "q=usinage+%26+titane&f=region%3A76&f=naf_section%3AC"
        );
        assert!(query_string(&query, 2).ends_with("&page=2"));
    }

    #[test]
    fn nomenclature_labels_read_as_sentences() {
        assert_eq!(
            sentence_case("INDUSTRIE MANUFACTURIÈRE"),
            "Industrie manufacturière"
        );
        assert!(DIVISIONS.get("25").is_some_and(|l| !l.is_empty()));
    }
}
