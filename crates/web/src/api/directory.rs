//! The SME capability directory: `/api/v1/search`, and each organisation's profile, similar
//! organisations and differentiation report under `/api/v1/organisations/{id}/…`.
//! Visitors read public fields only; the audience is decided in `app`, never here.

use super::brochures::{Brochure, brochure_dto};
use super::{ApiResult, Json, Path, Query};
use crate::identity::ApiCaller;
use crate::state::AppState;
use app::directory::{DirectoryQuery, ProfilePage};
use axum::Router;
use axum::extract::{RawQuery, State};
use axum::routing::get;
use domain::profile::{Profile, ProfileInput};
use search::differentiation::Differentiation;
use serde::{Deserialize, Serialize};

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/api/v1/search", get(search))
        .route(
            "/api/v1/organisations/{id}/profile",
            get(profile).put(save_profile),
        )
        .route("/api/v1/organisations/{id}/similar", get(similar))
        .route("/api/v1/organisations/{id}/differentiation", get(differentiation))
}

/// One page of directory results.
#[derive(Serialize, utoipa::ToSchema)]
pub struct SearchPage {
    /// Matching organisations over all pages.
    pub total: u64,
    pub page: usize,
    pub per_page: usize,
    /// No organisation matched every word: these match some of them.
    pub relaxed: bool,
    /// Part of the query was ignored (too long, or too many words).
    pub truncated: bool,
    pub hits: Vec<SearchHit>,
    /// Counted over all matching organisations, not only this page.
    pub facets: Vec<FacetCounts>,
}

/// One matching organisation, with only what the caller may see.
#[derive(Serialize, utoipa::ToSchema)]
pub struct SearchHit {
    pub organisation_id: i64,
    pub name: String,
    /// The name, HTML-escaped, matched words in `<mark>`.
    pub name_html: String,
    /// A fragment of the visible text, HTML-escaped, matched words in `<mark>`.
    pub snippet_html: String,
    pub naf_code: String,
    /// INSEE region code.
    pub region: String,
    /// INSEE department code.
    pub department: String,
    /// sme, mid_cap or large; empty for organisations without a size category (labs, public bodies).
    pub size: String,
    pub score: f32,
    /// The organisation's directory page.
    pub url: String,
}

impl From<search::Hit> for SearchHit {
    fn from(hit: search::Hit) -> Self {
        SearchHit {
            url: format!("/directory/{}", hit.org_id),
            organisation_id: hit.org_id,
            name: hit.name,
            name_html: hit.name_html,
            snippet_html: hit.snippet_html,
            naf_code: hit.naf,
            region: hit.region,
            department: hit.department,
            size: hit.size,
            score: hit.score,
        }
    }
}

/// The values of one facet over the match set, most frequent first.
#[derive(Serialize, utoipa::ToSchema)]
pub struct FacetCounts {
    /// naf_section, naf_division, region, department, size, certification, label or cluster.
    pub facet: String,
    pub values: Vec<FacetValue>,
}

#[derive(Serialize, utoipa::ToSchema)]
pub struct FacetValue {
    pub value: String,
    pub count: u64,
    /// The query filters on this value (`f=facet:value`).
    pub selected: bool,
}

/// Searches the directory. Any text is accepted (quotes make phrases, a trailing `*` a prefix);
/// visitors search and see public fields only, signed-in callers members-only ones too.
#[utoipa::path(get, path = "/api/v1/search", tag = "directory",
    params(
        ("q" = Option<String>, Query, description = "Words to search for: quotes make a phrase, a trailing `*` a prefix; overlong text is cut and `truncated` says so."),
        ("f" = Option<Vec<String>>, Query, explode,
            description = "Repeatable filter `facet:value`: AND across facets, OR within one. Facets: \
                naf_section, naf_division, region, department, size, certification, label, cluster."),
        ("page" = Option<usize>, Query, description = "1-based page number (default 1)."),
        ("per_page" = Option<usize>, Query, description = "Results per page, 1 to 100 (default 20)."),
    ),
    responses((status = 200, body = SearchPage), (status = 422, body = crate::error::Problem)))]
pub async fn search(
    State(state): State<AppState>,
    ApiCaller(actor): ApiCaller,
    RawQuery(raw): RawQuery,
) -> ApiResult<axum::Json<SearchPage>> {
    // Read by hand: `f` repeats, and a malformed value must be refused by its parameter's name.
    let pairs: Vec<(String, String)> = url::form_urlencoded::parse(raw.unwrap_or_default().as_bytes())
        .into_owned()
        .collect();
    let query = DirectoryQuery::from_pairs(pairs.iter().map(|(k, v)| (k.as_str(), v.as_str())))?;
    let results = state.app.search_directory(&actor, &query).await?;
    Ok(axum::Json(SearchPage {
        total: results.total,
        page: query.page,
        per_page: query.per_page,
        relaxed: results.relaxed,
        truncated: results.truncated,
        hits: results.hits.into_iter().map(SearchHit::from).collect(),
        facets: results
            .facets
            .into_iter()
            .map(|counts| FacetCounts {
                facet: counts.facet.as_str().to_owned(),
                values: counts
                    .values
                    .into_iter()
                    .map(|v| FacetValue {
                        selected: query.is_selected(counts.facet, &v.value),
                        value: v.value,
                        count: v.count,
                    })
                    .collect(),
            })
            .collect(),
    }))
}

/// An organisation's directory page: registry facts, its profile cut to what the caller may see,
/// its brochures, and for its editors how complete it is.
#[derive(Serialize, utoipa::ToSchema)]
pub struct OrganisationProfile {
    pub id: i64,
    pub legal_name: String,
    pub siret: String,
    pub naf_code: String,
    pub region_code: String,
    pub department_code: String,
    /// sme, mid_cap or large; absent for non-companies.
    pub size: Option<String>,
    /// Clusters the organisation belongs to.
    pub clusters: Vec<i64>,
    /// The capability profile, in the shape `PUT …/profile` accepts; members-only fields are
    /// emptied (and members-only offers and references left out) for visitors.
    #[schema(value_type = Object)]
    pub profile: Profile,
    pub brochures: Vec<Brochure>,
    /// The caller may edit this profile.
    pub can_edit: bool,
    /// For editors only.
    pub completeness: Option<Completeness>,
    /// Unix milliseconds of the last save; absent when no profile was ever saved.
    pub updated_at: Option<i64>,
}

/// How complete a profile is, and what would raise the score most, in that order.
#[derive(Serialize, utoipa::ToSchema)]
pub struct Completeness {
    /// 0 to 100.
    pub score: u8,
    /// Each hint is `{"code": "add_offers", …}`, some with details (`minimum`, `name`).
    #[schema(value_type = Vec<Object>)]
    pub hints: Vec<domain::profile::Hint>,
}

impl From<ProfilePage> for OrganisationProfile {
    fn from(page: ProfilePage) -> Self {
        let organisation = page.organisation;
        OrganisationProfile {
            id: organisation.id,
            legal_name: organisation.fields.legal_name,
            siret: organisation.fields.siret,
            naf_code: organisation.fields.naf_code,
            region_code: organisation.fields.region_code,
            department_code: organisation.fields.department_code,
            size: organisation.fields.size,
            clusters: page.clusters,
            profile: page.profile,
            brochures: page.brochures.into_iter().map(brochure_dto).collect(),
            can_edit: page.can_edit,
            completeness: page.completeness.map(|c| Completeness {
                score: c.score,
                hints: c.hints,
            }),
            updated_at: page.updated_at,
        }
    }
}

/// An organisation's directory page as the caller may see it (visitors: public fields only).
#[utoipa::path(get, path = "/api/v1/organisations/{id}/profile", tag = "directory", params(("id" = i64, Path)),
    responses((status = 200, body = OrganisationProfile), (status = 404, body = crate::error::Problem)))]
pub async fn profile(
    State(state): State<AppState>,
    ApiCaller(actor): ApiCaller,
    Path(id): Path<i64>,
) -> ApiResult<axum::Json<OrganisationProfile>> {
    Ok(axum::Json(state.app.profile_page(&actor, id).await?.into()))
}

/// Replaces an organisation's capability profile (its admins and cluster admins). Every field
/// takes `{"value": …, "visibility": "public" | "members"}`; offers and references carry their
/// own visibility. All mistakes are reported at once, by path (e.g. `offers[2].title`).
#[utoipa::path(put, path = "/api/v1/organisations/{id}/profile", tag = "directory", params(("id" = i64, Path)),
    request_body(content = Object, description = "The profile: presentation, offers, capability_terms, \
        capabilities_text, certifications, labels, references, regions_served, export_markets, \
        headcount_band, turnover_band, languages."),
    responses((status = 200, description = "The saved profile, in the shape sent.", body = Object),
        (status = 401, body = crate::error::Problem), (status = 404, body = crate::error::Problem),
        (status = 422, body = crate::error::Problem)))]
pub async fn save_profile(
    State(state): State<AppState>,
    ApiCaller(actor): ApiCaller,
    Path(id): Path<i64>,
    Json(input): Json<ProfileInput>,
) -> ApiResult<axum::Json<Profile>> {
    Ok(axum::Json(state.app.save_profile(&actor, id, &input).await?))
}

#[derive(Deserialize, utoipa::IntoParams)]
pub struct SimilarQuery {
    /// How many organisations, 1 to 50 (default 10).
    #[serde(default = "default_similar")]
    limit: usize,
}

fn default_similar() -> usize {
    10
}

/// Organisations whose profiles read most like this one's, judged on what the caller may see.
#[utoipa::path(get, path = "/api/v1/organisations/{id}/similar", tag = "directory",
    params(("id" = i64, Path), SimilarQuery),
    responses((status = 200, body = Vec<SearchHit>), (status = 404, body = crate::error::Problem)))]
pub async fn similar(
    State(state): State<AppState>,
    ApiCaller(actor): ApiCaller,
    Path(id): Path<i64>,
    Query(query): Query<SimilarQuery>,
) -> ApiResult<axum::Json<Vec<SearchHit>>> {
    let hits = state.app.similar_organisations(&actor, id, query.limit).await?;
    Ok(axum::Json(hits.into_iter().map(SearchHit::from).collect()))
}

/// How generic the profile reads next to its peers of the same NAF division, with the phrases it
/// shares with them and suggestions (codes to translate); for the profile's editors.
#[utoipa::path(get, path = "/api/v1/organisations/{id}/differentiation", tag = "directory",
    params(("id" = i64, Path)),
    responses((status = 200, description = "distinctiveness (0–100), mean_similarity, nearest, \
        shared_phrases, distinctive_terms, suggestions, peers_compared.", body = Object),
        (status = 401, body = crate::error::Problem), (status = 404, body = crate::error::Problem)))]
pub async fn differentiation(
    State(state): State<AppState>,
    ApiCaller(actor): ApiCaller,
    Path(id): Path<i64>,
) -> ApiResult<axum::Json<Differentiation>> {
    Ok(axum::Json(state.app.differentiation(&actor, id).await?))
}
