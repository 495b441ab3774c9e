//! A person's saved searches and supplier shortlists: `/api/v1/saved-searches…`,
//! `/api/v1/shortlists…`. Each caller reaches only their own; anyone else's are "not found".

use super::{ApiResult, Json, Path, Query};
use crate::identity::ApiCaller;
use crate::state::AppState;
use app::AppError;
use app::buyer_tools::{self, ExportFormat, ShortlistView};
use axum::Router;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::Response;
use axum::routing::{delete, get};
use serde::{Deserialize, Serialize};

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/api/v1/saved-searches", get(list_searches).post(save_search))
        .route("/api/v1/saved-searches/{id}", delete(delete_search))
        .route("/api/v1/shortlists", get(list_shortlists).post(create_shortlist))
        .route(
            "/api/v1/shortlists/{id}",
            get(get_shortlist).delete(delete_shortlist),
        )
        .route("/api/v1/shortlists/{id}/entries", axum::routing::post(add_entry))
        .route(
            "/api/v1/shortlists/{id}/entries/{organisation_id}",
            delete(remove_entry),
        )
        .route("/api/v1/shortlists/{id}/export", get(export))
}

#[derive(Serialize, utoipa::ToSchema)]
pub struct SavedSearch {
    pub id: i64,
    pub name: String,
    /// The search in the directory's query-string form, e.g. `q=usinage&f=region%3A76`.
    pub query: String,
    pub text: String,
    /// `facet:value` filters.
    pub filters: Vec<String>,
    /// Whether newly matching profiles are e-mailed to the owner.
    pub alerts: bool,
    /// Unix milliseconds.
    pub last_alert_at: Option<i64>,
    pub created_at: i64,
}

impl From<buyer_tools::SavedSearch> for SavedSearch {
    fn from(s: buyer_tools::SavedSearch) -> Self {
        SavedSearch {
            query: s.query_string(),
            filters: s
                .query
                .filters
                .iter()
                .map(|(facet, value)| format!("{}:{value}", facet.as_str()))
                .collect(),
            text: s.query.text,
            id: s.id,
            name: s.name,
            alerts: s.alerts,
            last_alert_at: s.last_alert_at,
            created_at: s.created_at,
        }
    }
}

#[derive(Deserialize, utoipa::ToSchema)]
pub struct NewSavedSearch {
    /// 1 to 120 characters.
    name: String,
    /// The directory's query string without a page: `q=text` and repeated `f=facet:value`.
    #[serde(default)]
    query: String,
    /// E-mail newly matching profiles (default false).
    #[serde(default)]
    alerts: bool,
}

/// The caller's saved searches, newest first.
#[utoipa::path(get, path = "/api/v1/saved-searches", tag = "buyer tools",
    responses((status = 200, body = Vec<SavedSearch>), (status = 401, body = crate::error::Problem)))]
pub async fn list_searches(
    State(state): State<AppState>,
    ApiCaller(actor): ApiCaller,
) -> ApiResult<axum::Json<Vec<SavedSearch>>> {
    let searches = state.app.saved_searches(&actor).await?;
    Ok(axum::Json(searches.into_iter().map(SavedSearch::from).collect()))
}

/// Saves a directory search; its current matches count as seen, so alerts name only newcomers.
#[utoipa::path(post, path = "/api/v1/saved-searches", tag = "buyer tools", request_body = NewSavedSearch,
    responses((status = 201, body = SavedSearch), (status = 401, body = crate::error::Problem),
        (status = 422, body = crate::error::Problem)))]
pub async fn save_search(
    State(state): State<AppState>,
    ApiCaller(actor): ApiCaller,
    Json(body): Json<NewSavedSearch>,
) -> ApiResult<(StatusCode, axum::Json<SavedSearch>)> {
    let query = buyer_tools::parse_query_string(&body.query)?;
    let saved = state
        .app
        .save_search(&actor, &body.name, &query, body.alerts)
        .await?;
    Ok((StatusCode::CREATED, axum::Json(saved.into())))
}

/// Deletes one of the caller's saved searches.
#[utoipa::path(delete, path = "/api/v1/saved-searches/{id}", tag = "buyer tools", params(("id" = i64, Path)),
    responses((status = 204), (status = 401, body = crate::error::Problem), (status = 404, body = crate::error::Problem)))]
pub async fn delete_search(
    State(state): State<AppState>,
    ApiCaller(actor): ApiCaller,
    Path(id): Path<i64>,
) -> ApiResult<StatusCode> {
    state.app.delete_saved_search(&actor, id).await?;
    Ok(StatusCode::NO_CONTENT)
}

#[derive(Serialize, utoipa::ToSchema)]
pub struct Shortlist {
    pub id: i64,
    pub name: String,
    /// Organisations on the list.
    pub entries: i64,
    /// Unix milliseconds.
    pub created_at: i64,
    pub updated_at: i64,
}

impl From<store::shortlists::Shortlist> for Shortlist {
    fn from(l: store::shortlists::Shortlist) -> Self {
        Shortlist {
            id: l.id,
            name: l.name,
            entries: l.entries,
            created_at: l.created_at,
            updated_at: l.updated_at,
        }
    }
}

#[derive(Serialize, utoipa::ToSchema)]
pub struct ShortlistEntry {
    pub organisation_id: i64,
    pub legal_name: String,
    pub siret: String,
    pub naf_code: String,
    pub naf_label: String,
    pub region_code: String,
    pub region_name: String,
    /// sme, mid_cap or large; absent for non-companies.
    pub size: Option<String>,
    pub website: Option<String>,
    pub note: String,
    /// Unix milliseconds.
    pub added_at: i64,
}

impl From<&buyer_tools::shortlists::ShortlistEntry> for ShortlistEntry {
    fn from(e: &buyer_tools::shortlists::ShortlistEntry) -> Self {
        ShortlistEntry {
            organisation_id: e.organisation_id,
            legal_name: e.legal_name.clone(),
            siret: e.siret.clone(),
            naf_code: e.naf_code.clone(),
            naf_label: e.naf_label.clone(),
            region_code: e.region_code.clone(),
            region_name: e.region_name.clone(),
            size: e.size.clone(),
            website: e.website.clone(),
            note: e.note.clone(),
            added_at: e.added_at,
        }
    }
}

#[derive(Serialize, utoipa::ToSchema)]
pub struct ShortlistDetail {
    pub id: i64,
    pub name: String,
    pub created_at: i64,
    pub updated_at: i64,
    /// In the order they were added.
    pub entries: Vec<ShortlistEntry>,
}

impl From<ShortlistView> for ShortlistDetail {
    fn from(view: ShortlistView) -> Self {
        ShortlistDetail {
            entries: view.entries.iter().map(ShortlistEntry::from).collect(),
            id: view.list.id,
            name: view.list.name,
            created_at: view.list.created_at,
            updated_at: view.list.updated_at,
        }
    }
}

#[derive(Deserialize, utoipa::ToSchema)]
pub struct NewShortlist {
    /// 1 to 120 characters.
    name: String,
}

#[derive(Deserialize, utoipa::ToSchema)]
pub struct NewEntry {
    organisation_id: i64,
    /// Up to 500 characters.
    #[serde(default)]
    note: String,
}

/// The caller's shortlists, most recently changed first.
#[utoipa::path(get, path = "/api/v1/shortlists", tag = "buyer tools",
    responses((status = 200, body = Vec<Shortlist>), (status = 401, body = crate::error::Problem)))]
pub async fn list_shortlists(
    State(state): State<AppState>,
    ApiCaller(actor): ApiCaller,
) -> ApiResult<axum::Json<Vec<Shortlist>>> {
    let lists = state.app.shortlists(&actor).await?;
    Ok(axum::Json(lists.into_iter().map(Shortlist::from).collect()))
}

/// Creates an empty shortlist.
#[utoipa::path(post, path = "/api/v1/shortlists", tag = "buyer tools", request_body = NewShortlist,
    responses((status = 201, body = Shortlist), (status = 401, body = crate::error::Problem),
        (status = 422, body = crate::error::Problem)))]
pub async fn create_shortlist(
    State(state): State<AppState>,
    ApiCaller(actor): ApiCaller,
    Json(body): Json<NewShortlist>,
) -> ApiResult<(StatusCode, axum::Json<Shortlist>)> {
    let list = state.app.create_shortlist(&actor, &body.name).await?;
    Ok((StatusCode::CREATED, axum::Json(list.into())))
}

/// One of the caller's shortlists with its organisations.
#[utoipa::path(get, path = "/api/v1/shortlists/{id}", tag = "buyer tools", params(("id" = i64, Path)),
    responses((status = 200, body = ShortlistDetail), (status = 401, body = crate::error::Problem),
        (status = 404, body = crate::error::Problem)))]
pub async fn get_shortlist(
    State(state): State<AppState>,
    ApiCaller(actor): ApiCaller,
    Path(id): Path<i64>,
) -> ApiResult<axum::Json<ShortlistDetail>> {
    Ok(axum::Json(state.app.shortlist(&actor, id).await?.into()))
}

/// Deletes one of the caller's shortlists with its notes (the organisations are untouched).
#[utoipa::path(delete, path = "/api/v1/shortlists/{id}", tag = "buyer tools", params(("id" = i64, Path)),
    responses((status = 204), (status = 401, body = crate::error::Problem), (status = 404, body = crate::error::Problem)))]
pub async fn delete_shortlist(
    State(state): State<AppState>,
    ApiCaller(actor): ApiCaller,
    Path(id): Path<i64>,
) -> ApiResult<StatusCode> {
    state.app.delete_shortlist(&actor, id).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// Puts an organisation on the list: 201 when added, 200 when it was already there (unchanged).
#[utoipa::path(post, path = "/api/v1/shortlists/{id}/entries", tag = "buyer tools", params(("id" = i64, Path)),
    request_body = NewEntry,
    responses((status = 201, body = ShortlistEntry), (status = 200, body = ShortlistEntry),
        (status = 401, body = crate::error::Problem), (status = 404, body = crate::error::Problem),
        (status = 422, body = crate::error::Problem)))]
pub async fn add_entry(
    State(state): State<AppState>,
    ApiCaller(actor): ApiCaller,
    Path(id): Path<i64>,
    Json(body): Json<NewEntry>,
) -> ApiResult<(StatusCode, axum::Json<ShortlistEntry>)> {
    let added = state
        .app
        .add_to_shortlist(&actor, id, body.organisation_id, &body.note)
        .await?;
    let view = state.app.shortlist(&actor, id).await?;
    let entry = view
        .entries
        .iter()
        .find(|e| e.organisation_id == body.organisation_id)
        .ok_or(AppError::NotFound("organisation on this list"))?;
    let status = if added {
        StatusCode::CREATED
    } else {
        StatusCode::OK
    };
    Ok((status, axum::Json(entry.into())))
}

/// Takes an organisation off the list.
#[utoipa::path(delete, path = "/api/v1/shortlists/{id}/entries/{organisation_id}", tag = "buyer tools",
    params(("id" = i64, Path), ("organisation_id" = i64, Path)),
    responses((status = 204), (status = 401, body = crate::error::Problem), (status = 404, body = crate::error::Problem)))]
pub async fn remove_entry(
    State(state): State<AppState>,
    ApiCaller(actor): ApiCaller,
    Path((id, organisation_id)): Path<(i64, i64)>,
) -> ApiResult<StatusCode> {
    state
        .app
        .remove_from_shortlist(&actor, id, organisation_id)
        .await?;
    Ok(StatusCode::NO_CONTENT)
}

#[derive(Deserialize, utoipa::IntoParams)]
pub struct ExportQuery {
    /// `csv` (UTF-8 with a byte-order mark) or `xlsx`.
    #[serde(default)]
    format: String,
}

/// The list as a spreadsheet, headers in the caller's language, as an attachment.
#[utoipa::path(get, path = "/api/v1/shortlists/{id}/export", tag = "buyer tools",
    params(("id" = i64, Path), ExportQuery),
    responses((status = 200, description = "The file, as an attachment.",
            content(("text/csv"), ("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"))),
        (status = 401, body = crate::error::Problem), (status = 404, body = crate::error::Problem),
        (status = 422, body = crate::error::Problem)))]
pub async fn export(
    State(state): State<AppState>,
    ApiCaller(actor): ApiCaller,
    Path(id): Path<i64>,
    Query(query): Query<ExportQuery>,
) -> ApiResult<Response> {
    let format = ExportFormat::parse(&query.format)?;
    let export = state.app.export_shortlist(&actor, id, format, None).await?;
    Ok(crate::brochure_files::export_file(export))
}
