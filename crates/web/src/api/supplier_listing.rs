//! Buyers' supplier lists over the API: a buyer's list with its history
//! (`/api/v1/organisations/{id}/suppliers`), listing directly and delisting with a reason, where
//! an organisation is listed (`/api/v1/organisations/{id}/listings`), and the delisting figures of
//! a cluster's buyers for its staff (`/api/v1/clusters/{id}/delistings`). Instants are Unix ms.

use super::{ApiResult, Json, Path};
use crate::error::Problem;
use crate::identity::ApiCaller;
use crate::state::AppState;
use app::FieldError;
use app::committee::listings::{BuyerDelistings, DelistInput, ListingInput, MonthCount, SupplierList};
use axum::Router;
use axum::extract::State;
use axum::http::StatusCode;
use axum::routing::{get, post};
use serde::Serialize;
use utoipa::OpenApi;

#[derive(OpenApi)]
#[openapi(
    paths(
        supplier_list,
        list_supplier,
        delist_supplier,
        own_listings,
        cluster_delistings
    ),
    components(schemas(ListingInput, DelistInput, MonthCount, FieldError, Problem))
)]
pub(super) struct Doc;

pub(super) fn routes() -> Router<AppState> {
    Router::new()
        .route(
            "/api/v1/organisations/{id}/suppliers",
            get(supplier_list).post(list_supplier),
        )
        .route(
            "/api/v1/organisations/{id}/suppliers/{supplier_id}/delist",
            post(delist_supplier),
        )
        .route("/api/v1/organisations/{id}/listings", get(own_listings))
        .route("/api/v1/clusters/{id}/delistings", get(cluster_delistings))
}

/// One listing period of a supplier on a buyer's list.
#[derive(Serialize, utoipa::ToSchema)]
pub struct Listing {
    pub id: i64,
    pub buyer_id: i64,
    pub buyer_name: String,
    pub supplier_id: i64,
    pub supplier_name: String,
    /// sme, mid_cap or large.
    pub supplier_size: String,
    /// call, portfolio or direct.
    pub origin: String,
    /// The call whose published decision listed it, when the origin is a call.
    pub call_id: Option<i64>,
    pub call_title: Option<String>,
    pub note: String,
    pub listed_at: i64,
    /// Null while it is listed.
    pub delisted_at: Option<i64>,
    pub delist_reason: Option<String>,
}

fn listing_dto(l: store::committee::listings::Listing) -> Listing {
    Listing {
        id: l.id,
        buyer_id: l.buyer_id,
        buyer_name: l.buyer_name,
        supplier_id: l.supplier_id,
        supplier_name: l.supplier_name,
        supplier_size: l.supplier_size,
        origin: l.origin,
        call_id: l.call_id,
        call_title: l.call_title,
        note: l.note,
        listed_at: l.listed_at,
        delisted_at: l.delisted_at,
        delist_reason: l.delist_reason,
    }
}

fn listings_dto(list: Vec<store::committee::listings::Listing>) -> Vec<Listing> {
    list.into_iter().map(listing_dto).collect()
}

/// A buyer's list: who is listed now, and the closed periods with their reasons.
#[derive(Serialize, utoipa::ToSchema)]
pub struct Suppliers {
    pub buyer_id: i64,
    pub buyer_name: String,
    pub current: Vec<Listing>,
    pub history: Vec<Listing>,
    /// Whether the caller may list and delist.
    pub can_manage: bool,
}

fn suppliers_dto(list: SupplierList) -> Suppliers {
    Suppliers {
        buyer_id: list.buyer_id,
        buyer_name: list.buyer_name,
        current: listings_dto(list.current),
        history: listings_dto(list.history),
        can_manage: list.can_manage,
    }
}

/// One buyer's listings and delistings over time.
#[derive(Serialize, utoipa::ToSchema)]
pub struct BuyerFigures {
    pub buyer_id: i64,
    pub buyer_name: String,
    pub listed_now: usize,
    pub listed_smes_now: usize,
    pub delisted: usize,
    pub delisted_smes: usize,
    pub by_month: Vec<MonthCount>,
    /// The delistings, latest first, with their reasons.
    pub delistings: Vec<Listing>,
}

fn figures_dto(b: BuyerDelistings) -> BuyerFigures {
    BuyerFigures {
        buyer_id: b.buyer_id,
        buyer_name: b.buyer_name,
        listed_now: b.listed_now,
        listed_smes_now: b.listed_smes_now,
        delisted: b.delisted,
        delisted_smes: b.delisted_smes,
        by_month: b.by_month,
        delistings: listings_dto(b.delistings),
    }
}

/// A buyer's supplier list and its history: the buyer's buyers and admins, and the staff of its
/// clusters.
#[utoipa::path(get, path = "/api/v1/organisations/{id}/suppliers", tag = "supplier listing",
    params(("id" = i64, Path)),
    responses((status = 200, body = Suppliers), (status = 401, body = Problem),
        (status = 404, body = Problem)))]
pub async fn supplier_list(
    State(state): State<AppState>,
    ApiCaller(actor): ApiCaller,
    Path(id): Path<i64>,
) -> ApiResult<axum::Json<Suppliers>> {
    Ok(axum::Json(suppliers_dto(
        state.app.supplier_list(&actor, id).await?,
    )))
}

/// Lists a supplier directly (the buyer's buyers and admins): a member organisation of one of
/// the buyer's clusters, not the buyer itself; 409 when it is listed already.
#[utoipa::path(post, path = "/api/v1/organisations/{id}/suppliers", tag = "supplier listing",
    params(("id" = i64, Path)), request_body = ListingInput,
    responses((status = 201, body = Listing), (status = 401, body = Problem), (status = 403, body = Problem),
        (status = 404, body = Problem), (status = 409, body = Problem), (status = 422, body = Problem)))]
pub async fn list_supplier(
    State(state): State<AppState>,
    ApiCaller(actor): ApiCaller,
    Path(id): Path<i64>,
    Json(input): Json<ListingInput>,
) -> ApiResult<(StatusCode, axum::Json<Listing>)> {
    let listing = state.app.list_supplier(&actor, id, &input).await?;
    Ok((StatusCode::CREATED, axum::Json(listing_dto(listing))))
}

/// Delists a supplier with a reason, which its admins receive by e-mail (the buyer's buyers and
/// admins); 404 when it is not listed.
#[utoipa::path(post, path = "/api/v1/organisations/{id}/suppliers/{supplier_id}/delist",
    tag = "supplier listing", params(("id" = i64, Path), ("supplier_id" = i64, Path)),
    request_body = DelistInput,
    responses((status = 200, body = Listing), (status = 401, body = Problem), (status = 403, body = Problem),
        (status = 404, body = Problem), (status = 409, body = Problem), (status = 422, body = Problem)))]
pub async fn delist_supplier(
    State(state): State<AppState>,
    ApiCaller(actor): ApiCaller,
    Path((id, supplier_id)): Path<(i64, i64)>,
    Json(input): Json<DelistInput>,
) -> ApiResult<axum::Json<Listing>> {
    let listing = state.app.delist_supplier(&actor, id, supplier_id, &input).await?;
    Ok(axum::Json(listing_dto(listing)))
}

/// Where an organisation is listed, and where it was delisted and why: its own people and the
/// staff of its clusters. Latest listing first.
#[utoipa::path(get, path = "/api/v1/organisations/{id}/listings", tag = "supplier listing",
    params(("id" = i64, Path)),
    responses((status = 200, body = Vec<Listing>), (status = 401, body = Problem),
        (status = 404, body = Problem)))]
pub async fn own_listings(
    State(state): State<AppState>,
    ApiCaller(actor): ApiCaller,
    Path(id): Path<i64>,
) -> ApiResult<axum::Json<Vec<Listing>>> {
    let own = state.app.own_listings(&actor, id).await?;
    Ok(axum::Json(listings_dto(own.listings)))
}

/// Listings and delistings per buyer of the cluster, per month, SMEs apart: the cluster's staff.
#[utoipa::path(get, path = "/api/v1/clusters/{id}/delistings", tag = "supplier listing",
    params(("id" = i64, Path)),
    responses((status = 200, body = Vec<BuyerFigures>), (status = 401, body = Problem),
        (status = 404, body = Problem)))]
pub async fn cluster_delistings(
    State(state): State<AppState>,
    ApiCaller(actor): ApiCaller,
    Path(id): Path<i64>,
) -> ApiResult<axum::Json<Vec<BuyerFigures>>> {
    let figures = state.app.cluster_delistings(&actor, id).await?;
    Ok(axum::Json(figures.into_iter().map(figures_dto).collect()))
}
