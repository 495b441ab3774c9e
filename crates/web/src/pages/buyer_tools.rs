//! The buyer's own tools: saved directory searches (re-run, alerts on or off, delete) and supplier
//! shortlists (create, view, notes, remove, export as CSV or XLSX). The directory page posts its
//! "save this search" and "add to my list" forms here.

use super::{Chrome, Refusal, form_errors, render_with, safe_next};
use crate::identity::Viewer;
use crate::state::AppState;
use app::buyer_tools::{ExportFormat, SavedSearch, ShortlistView};
use app::directory::DirectoryQuery;
use app::{AppError, FieldError};
use askama::Template;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use axum::{Form, Router};
use search::Facet;
use serde::Deserialize;
use store::shortlists::Shortlist;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/saved-searches", get(saved_searches).post(save_search))
        .route("/saved-searches/{id}/delete", post(delete_search))
        .route("/saved-searches/{id}/alerts", post(set_alerts))
        .route("/shortlists", get(shortlists).post(create_shortlist))
        .route("/shortlists/add", post(add_to_shortlist))
        .route("/shortlists/{id}", get(shortlist))
        .route("/shortlists/{id}/rename", post(rename_shortlist))
        .route("/shortlists/{id}/delete", post(delete_shortlist))
        .route(
            "/shortlists/{id}/entries/{organisation_id}/delete",
            post(remove_entry),
        )
        .route("/shortlists/{id}/entries/{organisation_id}/note", post(set_note))
        .route("/shortlists/{id}/export.csv", get(export_csv))
        .route("/shortlists/{id}/export.xlsx", get(export_xlsx))
}

/// A day as people read it here, in Paris time.
fn day(ms: i64) -> String {
    jiff::Timestamp::from_millisecond(ms)
        .map(|t| {
            app::meetings::programme::paris()
                .to_datetime(t)
                .date()
                .to_string()
        })
        .unwrap_or_default()
}

/// A form's id field: a whole number, else a refusal naming the field.
fn id_field(field: &str, input: &str) -> Result<i64, AppError> {
    input.trim().parse().map_err(|_| {
        AppError::invalid(
            field,
            format!("'{}' is not an id", input.chars().take(40).collect::<String>()),
        )
    })
}

/// The page the request came from, when it is one of ours: where "add to my list" returns to.
fn same_site_referer(headers: &HeaderMap) -> Option<String> {
    let referer = headers.get(header::REFERER)?.to_str().ok()?;
    let host = headers.get(header::HOST)?.to_str().ok()?;
    let url = url::Url::parse(referer).ok()?;
    let authority = match url.port() {
        Some(port) => format!("{}:{port}", url.host_str()?),
        None => url.host_str()?.to_owned(),
    };
    if !matches!(url.scheme(), "http" | "https") || !authority.eq_ignore_ascii_case(host) {
        return None;
    }
    let path = match url.query() {
        Some(query) => format!("{}?{query}", url.path()),
        None => url.path().to_owned(),
    };
    (safe_next(&path) == path).then_some(path)
}

// -------------------------------------------------------------------------------------------------
// Saved searches

/// A saved search as the list shows it.
struct SearchRow {
    id: i64,
    name: String,
    query_string: String,
    summary: String,
    alerts: bool,
    last_alert: Option<String>,
    created: String,
}

impl SearchRow {
    fn of(search: SavedSearch, viewer: &Viewer) -> SearchRow {
        SearchRow {
            query_string: search.query_string(),
            summary: summary(&search.query, viewer),
            id: search.id,
            alerts: search.alerts,
            last_alert: search.last_alert_at.map(day),
            created: day(search.created_at),
            name: search.name,
        }
    }
}

/// "« usinage » · Région : Occitanie" — the text and the filters, facet values named.
fn summary(query: &DirectoryQuery, viewer: &Viewer) -> String {
    let tr = viewer.tr;
    let mut parts = Vec::new();
    if !query.text.is_empty() {
        parts.push(format!("« {} »", query.text));
    }
    for (facet, value) in &query.filters {
        let shown = match facet {
            Facet::Region => domain::geo::region(value).map(|r| r.name.to_owned()),
            Facet::Department => domain::geo::department(value).map(|d| d.name.to_owned()),
            Facet::Size => Some(super::members::size_label(Some(value), tr.locale)),
            _ => None,
        };
        parts.push(format!(
            "{} : {}",
            tr.t(format!("directory.facet.{}", facet.as_str())),
            shown.unwrap_or_else(|| value.clone())
        ));
    }
    if parts.is_empty() {
        tr.t("buyer_tools.saved_everything")
    } else {
        parts.join(" · ")
    }
}

/// The "save a search" form as typed.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default)]
struct SaveSearchForm {
    name: String,
    query: String,
    alerts: Option<String>,
}

fn checked(value: Option<&str>) -> bool {
    matches!(value.map(str::trim), Some("on" | "true" | "1" | "yes"))
}

#[derive(Template)]
#[template(path = "buyer_tools/saved_searches.html")]
struct SavedSearchesPage {
    c: Chrome,
    searches: Vec<SearchRow>,
    name: String,
    query: String,
    alerts: bool,
    errors: Vec<FieldError>,
}

async fn saved_searches_page(
    state: &AppState,
    viewer: &Viewer,
    status: StatusCode,
    form: SaveSearchForm,
    errors: Vec<FieldError>,
) -> Response {
    let searches = match state.app.saved_searches(&viewer.actor).await {
        Ok(searches) => searches,
        Err(error) => return viewer.fail(error).into_response(),
    };
    render_with(
        status,
        &SavedSearchesPage {
            c: Chrome::of(viewer, "buyer_tools"),
            searches: searches.into_iter().map(|s| SearchRow::of(s, viewer)).collect(),
            alerts: checked(form.alerts.as_deref()),
            name: form.name,
            query: form.query,
            errors,
        },
    )
}

async fn saved_searches(State(state): State<AppState>, viewer: Viewer) -> Response {
    saved_searches_page(
        &state,
        &viewer,
        StatusCode::OK,
        SaveSearchForm::default(),
        Vec::new(),
    )
    .await
}

#[tracing::instrument(skip_all)]
async fn save_search(
    State(state): State<AppState>,
    viewer: Viewer,
    Form(form): Form<SaveSearchForm>,
) -> Response {
    let result = match app::buyer_tools::parse_query_string(&form.query) {
        Ok(query) => {
            state
                .app
                .save_search(&viewer.actor, &form.name, &query, checked(form.alerts.as_deref()))
                .await
        }
        Err(error) => Err(error),
    };
    match result {
        Ok(_) => Redirect::to("/saved-searches").into_response(),
        Err(error) => {
            let status = crate::error::status_of(&error);
            match form_errors(&viewer, error) {
                Refusal::Fields(errors) => saved_searches_page(&state, &viewer, status, form, errors).await,
                Refusal::Page(response) => response,
            }
        }
    }
}

async fn delete_search(State(state): State<AppState>, viewer: Viewer, Path(id): Path<i64>) -> Response {
    match state.app.delete_saved_search(&viewer.actor, id).await {
        Ok(()) => Redirect::to("/saved-searches").into_response(),
        Err(error) => viewer.fail(error).into_response(),
    }
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct AlertsForm {
    alerts: Option<String>,
}

async fn set_alerts(
    State(state): State<AppState>,
    viewer: Viewer,
    Path(id): Path<i64>,
    Form(form): Form<AlertsForm>,
) -> Response {
    let on = checked(form.alerts.as_deref());
    match state.app.set_search_alerts(&viewer.actor, id, on).await {
        Ok(_) => Redirect::to("/saved-searches").into_response(),
        Err(error) => viewer.fail(error).into_response(),
    }
}

// -------------------------------------------------------------------------------------------------
// Shortlists

#[derive(Template)]
#[template(path = "buyer_tools/shortlists.html")]
struct ShortlistsPage {
    c: Chrome,
    lists: Vec<ListRow>,
    name: String,
    errors: Vec<FieldError>,
}

struct ListRow {
    id: i64,
    name: String,
    entries: i64,
    updated: String,
}

impl From<Shortlist> for ListRow {
    fn from(list: Shortlist) -> Self {
        ListRow {
            id: list.id,
            updated: day(list.updated_at),
            entries: list.entries,
            name: list.name,
        }
    }
}

async fn shortlists_page(
    state: &AppState,
    viewer: &Viewer,
    status: StatusCode,
    name: String,
    errors: Vec<FieldError>,
) -> Response {
    match state.app.shortlists(&viewer.actor).await {
        Ok(lists) => render_with(
            status,
            &ShortlistsPage {
                c: Chrome::of(viewer, "buyer_tools"),
                lists: lists.into_iter().map(ListRow::from).collect(),
                name,
                errors,
            },
        ),
        Err(error) => viewer.fail(error).into_response(),
    }
}

async fn shortlists(State(state): State<AppState>, viewer: Viewer) -> Response {
    shortlists_page(&state, &viewer, StatusCode::OK, String::new(), Vec::new()).await
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct NameForm {
    name: String,
}

#[tracing::instrument(skip_all)]
async fn create_shortlist(
    State(state): State<AppState>,
    viewer: Viewer,
    Form(form): Form<NameForm>,
) -> Response {
    match state.app.create_shortlist(&viewer.actor, &form.name).await {
        Ok(list) => Redirect::to(&format!("/shortlists/{}", list.id)).into_response(),
        Err(error) => {
            let status = crate::error::status_of(&error);
            match form_errors(&viewer, error) {
                Refusal::Fields(errors) => shortlists_page(&state, &viewer, status, form.name, errors).await,
                Refusal::Page(response) => response,
            }
        }
    }
}

/// An organisation on the list as the page shows it.
struct EntryRow {
    organisation_id: i64,
    legal_name: String,
    siret: String,
    naf_code: String,
    naf_label: String,
    region: String,
    size: String,
    website: Option<String>,
    note: String,
    added: String,
}

#[derive(Template)]
#[template(path = "buyer_tools/shortlist.html")]
struct ShortlistPage {
    c: Chrome,
    list: Shortlist,
    entries: Vec<EntryRow>,
    name: String,
    errors: Vec<FieldError>,
}

fn shortlist_page(
    viewer: &Viewer,
    status: StatusCode,
    view: ShortlistView,
    errors: Vec<FieldError>,
    name: Option<String>,
) -> Response {
    let locale = viewer.tr.locale;
    let entries = view
        .entries
        .iter()
        .map(|e| EntryRow {
            organisation_id: e.organisation_id,
            legal_name: e.legal_name.clone(),
            siret: e.siret.clone(),
            naf_code: e.naf_code.clone(),
            naf_label: e.naf_label.clone(),
            region: e.region_name.clone(),
            size: super::members::size_label(e.size.as_deref(), locale),
            website: e.website.clone(),
            note: e.note.clone(),
            added: day(e.added_at),
        })
        .collect();
    render_with(
        status,
        &ShortlistPage {
            c: Chrome::of(viewer, "buyer_tools"),
            name: name.unwrap_or_else(|| view.list.name.clone()),
            list: view.list,
            entries,
            errors,
        },
    )
}

async fn shortlist(State(state): State<AppState>, viewer: Viewer, Path(id): Path<i64>) -> Response {
    match state.app.shortlist(&viewer.actor, id).await {
        Ok(view) => shortlist_page(&viewer, StatusCode::OK, view, Vec::new(), None),
        Err(error) => viewer.fail(error).into_response(),
    }
}

#[tracing::instrument(skip_all)]
async fn rename_shortlist(
    State(state): State<AppState>,
    viewer: Viewer,
    Path(id): Path<i64>,
    Form(form): Form<NameForm>,
) -> Response {
    match state.app.rename_shortlist(&viewer.actor, id, &form.name).await {
        Ok(_) => Redirect::to(&format!("/shortlists/{id}")).into_response(),
        Err(error) => {
            let status = crate::error::status_of(&error);
            match form_errors(&viewer, error) {
                Refusal::Fields(errors) => match state.app.shortlist(&viewer.actor, id).await {
                    Ok(view) => shortlist_page(&viewer, status, view, errors, Some(form.name)),
                    Err(error) => viewer.fail(error).into_response(),
                },
                Refusal::Page(response) => response,
            }
        }
    }
}

async fn delete_shortlist(State(state): State<AppState>, viewer: Viewer, Path(id): Path<i64>) -> Response {
    match state.app.delete_shortlist(&viewer.actor, id).await {
        Ok(()) => Redirect::to("/shortlists").into_response(),
        Err(error) => viewer.fail(error).into_response(),
    }
}

/// "Add to my list" as the directory posts it; without a list, the person's latest list.
#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct AddForm {
    organisation_id: String,
    shortlist_id: String,
    note: String,
}

#[tracing::instrument(skip_all)]
async fn add_to_shortlist(
    State(state): State<AppState>,
    viewer: Viewer,
    headers: HeaderMap,
    Form(form): Form<AddForm>,
) -> Response {
    let added = async {
        let organisation_id = id_field("organisation_id", &form.organisation_id)?;
        if form.shortlist_id.trim().is_empty() {
            let default_name = viewer.tr.t("buyer_tools.default_list_name");
            let (list, _) = state
                .app
                .add_to_latest_shortlist(&viewer.actor, organisation_id, &form.note, &default_name)
                .await?;
            Ok(list)
        } else {
            let list = id_field("shortlist_id", &form.shortlist_id)?;
            state
                .app
                .add_to_shortlist(&viewer.actor, list, organisation_id, &form.note)
                .await?;
            Ok::<_, AppError>(list)
        }
    };
    match added.await {
        Ok(list) => {
            let back = same_site_referer(&headers).unwrap_or_else(|| format!("/shortlists/{list}"));
            Redirect::to(&back).into_response()
        }
        Err(error) => viewer.fail(error).into_response(),
    }
}

async fn remove_entry(
    State(state): State<AppState>,
    viewer: Viewer,
    Path((id, organisation_id)): Path<(i64, i64)>,
) -> Response {
    match state
        .app
        .remove_from_shortlist(&viewer.actor, id, organisation_id)
        .await
    {
        Ok(()) => Redirect::to(&format!("/shortlists/{id}")).into_response(),
        Err(error) => viewer.fail(error).into_response(),
    }
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct NoteForm {
    note: String,
}

async fn set_note(
    State(state): State<AppState>,
    viewer: Viewer,
    Path((id, organisation_id)): Path<(i64, i64)>,
    Form(form): Form<NoteForm>,
) -> Response {
    let saved = state
        .app
        .set_shortlist_note(&viewer.actor, id, organisation_id, &form.note)
        .await;
    match saved {
        Ok(()) => Redirect::to(&format!("/shortlists/{id}#entry-{organisation_id}")).into_response(),
        Err(error) => {
            let status = crate::error::status_of(&error);
            match form_errors(&viewer, error) {
                Refusal::Fields(errors) => match state.app.shortlist(&viewer.actor, id).await {
                    Ok(view) => shortlist_page(&viewer, status, view, errors, None),
                    Err(error) => viewer.fail(error).into_response(),
                },
                Refusal::Page(response) => response,
            }
        }
    }
}

async fn export(state: &AppState, viewer: &Viewer, id: i64, format: ExportFormat) -> Response {
    match state
        .app
        .export_shortlist(&viewer.actor, id, format, Some(viewer.tr.locale))
        .await
    {
        Ok(export) => crate::brochure_files::export_file(export),
        Err(error) => viewer.fail(error).into_response(),
    }
}

async fn export_csv(State(state): State<AppState>, viewer: Viewer, Path(id): Path<i64>) -> Response {
    export(&state, &viewer, id, ExportFormat::Csv).await
}

async fn export_xlsx(State(state): State<AppState>, viewer: Viewer, Path(id): Path<i64>) -> Response {
    export(&state, &viewer, id, ExportFormat::Xlsx).await
}

#[cfg(test)]
mod tests {
    use super::*;
    use axum::http::HeaderValue;

    #[test]
    fn only_a_referer_of_this_site_is_returned_to() {
        let headers = |referer: &str| {
            let mut headers = HeaderMap::new();
            headers.insert(header::HOST, HeaderValue::from_static("127.0.0.1:8080"));
            headers.insert(header::REFERER, HeaderValue::from_str(referer).unwrap());
            headers
        };
        assert_eq!(
            same_site_referer(&headers("http://127.0.0.1:8080/directory?q=titane&f=region%3A76")).as_deref(),
            Some("/directory?q=titane&f=region%3A76")
        );
        assert_eq!(
            same_site_referer(&headers("https://evil.example/directory")),
            None
        );
        assert_eq!(
            same_site_referer(&headers("http://127.0.0.1:9999/directory")),
            None
        );
        assert_eq!(same_site_referer(&headers("javascript:alert(1)")), None);
        assert_eq!(same_site_referer(&HeaderMap::new()), None);
    }

    #[test]
    fn every_buyer_tools_key_is_translated() {
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
        let fr = std::fs::read_to_string(root.join("locales/fr.yml")).unwrap();
        let en = std::fs::read_to_string(root.join("locales/en.yml")).unwrap();
        let mut missing = Vec::new();
        for entry in std::fs::read_dir(root.join("templates/buyer_tools"))
            .unwrap()
            .flatten()
        {
            let text = std::fs::read_to_string(entry.path()).unwrap();
            for chunk in text.split(".t(\"").skip(1) {
                let key = chunk.split('"').next().unwrap_or_default();
                for (name, file) in [("fr", &fr), ("en", &en)] {
                    if !file.lines().any(|l| l.starts_with(&format!("{key}:"))) {
                        missing.push(format!("{}: {key} ({name})", entry.path().display()));
                    }
                }
            }
        }
        assert!(missing.is_empty(), "untranslated keys: {missing:#?}");
    }
}
