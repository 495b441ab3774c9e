//! The member list with search-as-you-type: the full page, or only the results when htmx asks.

use super::{Chrome, render};
use crate::identity::Viewer;
use crate::state::AppState;
use app::{Actor, AppError};
use askama::Template;
use axum::Router;
use axum::extract::{Query, State};
use axum::http::HeaderMap;
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use domain::policy::{Action, authorize};
use serde::Deserialize;
use store::records::{Organisation, Page};

const PER_PAGE: i64 = 25;

pub fn routes() -> Router<AppState> {
    Router::new().route("/members", get(members))
}

#[derive(Deserialize)]
struct MemberQuery {
    #[serde(default)]
    q: String,
    /// Kept as text so that a hand-typed `page=abc` shows page 1 rather than an error.
    #[serde(default)]
    page: String,
}

/// A table row, with codes resolved to names for display.
pub struct MemberRow {
    pub id: i64,
    pub name: String,
    pub size: String,
    pub naf_code: String,
    pub naf_label: String,
    pub place: String,
}

impl MemberRow {
    fn of(org: &Organisation, locale: &str) -> MemberRow {
        MemberRow {
            id: org.id,
            name: org.legal_name.clone(),
            size: size_label(org.size.as_deref(), locale),
            naf_code: org.naf_code.clone(),
            naf_label: domain::naf::NafCode::parse(&org.naf_code)
                .map(|c| c.label_fr().to_owned())
                .unwrap_or_default(),
            place: place_of(org),
        }
    }
}

pub fn size_label(size: Option<&str>, locale: &str) -> String {
    let parsed = size.and_then(|s| domain::org::OrgSize::parse(s).ok());
    match parsed {
        Some(size) if locale == "en" => size.label_en().to_owned(),
        Some(size) => size.label_fr().to_owned(),
        None => "—".to_owned(),
    }
}

pub fn place_of(org: &Organisation) -> String {
    match domain::geo::commune(&org.commune_code) {
        Some(commune) => format!("{} ({})", commune.name, commune.department_code),
        None => org.commune_code.clone(),
    }
}

#[derive(Template)]
#[template(path = "members.html")]
struct MembersPage {
    c: Chrome,
    oob: bool,
    query: String,
    page: Page<Organisation>,
    rows: Vec<MemberRow>,
    current: i64,
    pages: i64,
    can_create: bool,
}

#[derive(Template)]
#[template(path = "members_results.html")]
struct MembersResults {
    c: Chrome,
    /// Rendered for htmx: also refreshes the language toggle's return address out of band.
    oob: bool,
    query: String,
    page: Page<Organisation>,
    rows: Vec<MemberRow>,
    current: i64,
    pages: i64,
}

async fn members(
    State(state): State<AppState>,
    viewer: Viewer,
    headers: HeaderMap,
    Query(query): Query<MemberQuery>,
) -> Response {
    let cluster_id = match &viewer.actor {
        Actor::Person(p) => app::actor::home_cluster(p),
        Actor::Visitor => None,
    };
    let Some(cluster_id) = cluster_id else {
        let error = if viewer.signed_in() {
            AppError::NotFound("cluster")
        } else {
            AppError::Unauthenticated
        };
        return viewer.fail(error).into_response();
    };
    let current = query.page.parse::<i64>().unwrap_or(1).max(1);
    let page = match state
        .app
        .members(&viewer.actor, cluster_id, &query.q, current, PER_PAGE)
        .await
    {
        Ok(page) => page,
        Err(error) => return viewer.fail(error).into_response(),
    };
    let rows = page
        .items
        .iter()
        .map(|o| MemberRow::of(o, viewer.tr.locale))
        .collect();
    let pages = (page.total + PER_PAGE - 1) / PER_PAGE;
    let c = Chrome::of(&viewer, "members");
    // htmx swaps only the results; a full load or a history restore gets the whole page.
    let partial = headers.contains_key("hx-request") && !headers.contains_key("hx-history-restore-request");
    if partial {
        return render(&MembersResults {
            c,
            oob: true,
            query: query.q,
            page,
            rows,
            current,
            pages,
        });
    }
    let can_create = authorize(&viewer.actor, &Action::CreateOrganisation { cluster_id }).is_ok();
    render(&MembersPage {
        c,
        oob: false,
        query: query.q,
        page,
        rows,
        current,
        pages,
        can_create,
    })
}
