//! Pooled purchasing through the JSON API: pools, commitments, sealed offers, awards and exports.
//!
//! Prices are exact decimals, sent and answered as strings (`"0.1234"`); a JSON number is refused
//! (422 naming the field): the JSON reader would pass it through a float. Times are Unix milliseconds in answers, Paris wall-clock
//! `YYYY-MM-DDTHH:MM` in the pool form.

use super::{ApiResult, Json, Path};
use crate::identity::ApiCaller;
use crate::state::AppState;
use app::pooling::{
    AwardTable, CommitmentInput, OfferInput, PoolInput, PoolSummary, PoolView, Progress, TierInput,
};
use axum::Router;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::Response;
use axum::routing::{get, post, put};
use domain::committee::paris;
use serde::{Deserialize, Deserializer, Serialize};
use utoipa::OpenApi;

#[derive(OpenApi)]
#[openapi(paths(
    list,
    create,
    get_one,
    update,
    set_suppliers,
    publish,
    cancel,
    commit,
    withdraw_commitment,
    offer,
    withdraw_offer,
    award,
    confirm_award,
    award_csv,
    award_xlsx,
))]
pub(super) struct Doc;

pub(super) fn routes() -> Router<AppState> {
    Router::new()
        .route("/api/v1/pools", get(list))
        .route("/api/v1/clusters/{cluster_id}/pools", post(create))
        .route("/api/v1/pools/{id}", get(get_one).put(update))
        .route("/api/v1/pools/{id}/suppliers", put(set_suppliers))
        .route("/api/v1/pools/{id}/publish", post(publish))
        .route("/api/v1/pools/{id}/cancel", post(cancel))
        .route(
            "/api/v1/pools/{id}/commitment",
            put(commit).delete(withdraw_commitment),
        )
        .route("/api/v1/pools/{id}/offer", put(offer).delete(withdraw_offer))
        .route("/api/v1/pools/{id}/award", get(award).post(confirm_award))
        .route("/api/v1/pools/{id}/award.csv", get(award_csv))
        .route("/api/v1/pools/{id}/award.xlsx", get(award_xlsx))
}

// ---- bodies and answers -------------------------------------------------------------------------

/// A decimal price as text, from a JSON string only: a JSON number has already been read as a
/// float by the time we see it (0.1 may arrive as 0.1000000000000000055…), so it is refused.
fn price_text<'de, D: Deserializer<'de>>(deserializer: D) -> Result<String, D::Error> {
    match serde_json::Value::deserialize(deserializer)? {
        serde_json::Value::String(text) => Ok(text),
        _ => Err(serde::de::Error::custom(
            "send prices as strings, e.g. \"0.1500\"",
        )),
    }
}

#[derive(Deserialize, utoipa::ToSchema)]
pub struct PoolForm {
    pub title: String,
    /// energy, packaging, it, insurance, transport or other.
    pub category: String,
    pub specification: String,
    /// The unit volumes count (kWh, pallet, licence…), at most 30 characters.
    pub unit: String,
    /// Paris wall-clock time, `YYYY-MM-DDTHH:MM`.
    pub opens_at: String,
    /// Paris wall-clock time, after `opens_at` and in the future.
    pub closes_at: String,
    /// Whole units, at least 1: below it at the close, nobody is bound.
    pub minimum_volume: i64,
}

impl PoolForm {
    fn input(self) -> PoolInput {
        PoolInput {
            title: self.title,
            category: self.category,
            specification: self.specification,
            unit: self.unit,
            opens_at: self.opens_at,
            closes_at: self.closes_at,
            minimum_volume: self.minimum_volume.to_string(),
        }
    }
}

#[derive(Deserialize, utoipa::ToSchema)]
pub struct SuppliersForm {
    /// Member organisations of the pool's cluster invited to make an offer.
    pub suppliers: Vec<i64>,
}

#[derive(Deserialize, utoipa::ToSchema)]
#[schema(as = PoolCancelForm)]
pub struct CancelForm {
    /// What the committed organisations and suppliers are told.
    pub reason: String,
}

#[derive(Deserialize, utoipa::ToSchema)]
pub struct CommitmentForm {
    /// Whole units, at least 1.
    pub volume: i64,
    /// What the organisation pays per unit today: ≥ 0, at most 4 decimal places.
    #[serde(deserialize_with = "price_text")]
    #[schema(value_type = String, example = "0.1820")]
    pub current_price: String,
}

#[derive(Deserialize, utoipa::ToSchema)]
pub struct TierForm {
    /// The smallest volume this price applies to: the first tier from 1, then increasing.
    pub from_volume: i64,
    #[serde(deserialize_with = "price_text")]
    #[schema(value_type = String, example = "0.1590")]
    pub unit_price: String,
}

#[derive(Deserialize, utoipa::ToSchema)]
pub struct OfferForm {
    /// All-units pricing: the tier the awarded volume reaches prices every unit.
    pub tiers: Vec<TierForm>,
    /// The most the supplier can deliver; absent for no limit.
    #[serde(default)]
    pub max_volume: Option<i64>,
}

#[derive(Serialize, utoipa::ToSchema)]
pub struct Pool {
    pub id: i64,
    pub cluster_id: i64,
    pub title: String,
    pub category: String,
    pub specification: String,
    pub unit: String,
    /// Unix ms; `opens_at_paris` is the same instant in Paris wall-clock time.
    pub opens_at: i64,
    pub closes_at: i64,
    pub opens_at_paris: String,
    pub closes_at_paris: String,
    pub minimum_volume: i64,
    /// draft, open, closed, awarded or cancelled.
    pub state: String,
    /// The state as readers see it: also scheduled (open, before its opening) and closing
    /// (past its closing instant, settling at the next minute).
    pub phase: String,
    /// Once closed: award, below_minimum, infeasible or no_offer.
    pub outcome: Option<String>,
    pub cancel_reason: Option<String>,
    /// Whether the commitments reach the minimum (absent in the answers to the staff's writes).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub minimum_reached: Option<bool>,
    /// under_half, half_or_more or reached: all a reader who is not the staff learns of the
    /// commitments (with two committers the total would give the other's volume away).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub progress: Option<String>,
    /// Staff only: how many organisations committed, and their volume together.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub committers: Option<i64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub committed_volume: Option<i64>,
}

fn pool_dto(pool: store::pooling::Pool, phase: &str, progress: Option<&Progress>) -> Pool {
    let exact = progress.and_then(|p| p.exact);
    let at = |ms: i64| paris::input(jiff::Timestamp::from_millisecond(ms).unwrap_or_default());
    Pool {
        opens_at_paris: at(pool.opens_at),
        closes_at_paris: at(pool.closes_at),
        id: pool.id,
        cluster_id: pool.cluster_id,
        title: pool.title,
        category: pool.category,
        specification: pool.specification,
        unit: pool.unit,
        opens_at: pool.opens_at,
        closes_at: pool.closes_at,
        minimum_volume: pool.minimum_volume,
        state: pool.state,
        phase: phase.to_owned(),
        outcome: pool.outcome,
        cancel_reason: pool.cancel_reason,
        minimum_reached: progress.map(|p| p.minimum_reached),
        progress: progress.map(|p| p.band.to_owned()),
        committers: exact.map(|e| e.committers),
        committed_volume: exact.map(|e| e.volume),
    }
}

fn summary_dto(s: PoolSummary) -> Pool {
    pool_dto(s.pool, s.phase, Some(&s.progress))
}

/// The answer to a staff's write: the pool without its progress (read it with `GET`).
fn plain_dto(pool: store::pooling::Pool) -> Pool {
    let phase = app::pooling::phase(&pool, jiff::Timestamp::now());
    pool_dto(pool, phase, None)
}

#[derive(Serialize, utoipa::ToSchema)]
pub struct Commitment {
    pub organisation_id: i64,
    pub volume: i64,
    #[schema(example = "0.1820")]
    pub current_price: String,
    pub committed_at: i64,
    pub updated_at: i64,
}

fn commitment_dto(c: store::pooling::Commitment) -> Commitment {
    Commitment {
        organisation_id: c.organisation_id,
        volume: c.volume,
        current_price: c.current_price,
        committed_at: c.committed_at,
        updated_at: c.updated_at,
    }
}

#[derive(Serialize, utoipa::ToSchema)]
pub struct Tier {
    pub from_volume: i64,
    pub unit_price: String,
}

#[derive(Serialize, utoipa::ToSchema)]
pub struct Offer {
    pub organisation_id: i64,
    pub tiers: Vec<Tier>,
    pub max_volume: Option<i64>,
    pub offered_at: i64,
    pub updated_at: i64,
}

fn offer_dto(o: store::pooling::Offer) -> Offer {
    Offer {
        organisation_id: o.organisation_id,
        tiers: o
            .tiers
            .into_iter()
            .map(|t| Tier {
                from_volume: t.from_volume,
                unit_price: t.unit_price,
            })
            .collect(),
        max_volume: o.max_volume,
        offered_at: o.offered_at,
        updated_at: o.updated_at,
    }
}

#[derive(Serialize, utoipa::ToSchema)]
#[schema(as = PoolOrganisation)]
pub struct Organisation {
    pub id: i64,
    pub name: String,
}

#[derive(Serialize, utoipa::ToSchema)]
pub struct NamedCommitment {
    pub organisation_name: String,
    #[serde(flatten)]
    pub commitment: Commitment,
}

#[derive(Serialize, utoipa::ToSchema)]
pub struct NamedOffer {
    pub organisation_name: String,
    #[serde(flatten)]
    pub offer: Offer,
}

/// A supplier's line of the award: `volume` 0 when left out.
#[derive(Serialize, utoipa::ToSchema)]
pub struct AwardLine {
    pub organisation_id: i64,
    pub organisation_name: String,
    pub volume: i64,
    /// The price of the tier reached, for every unit; absent for volume 0.
    pub unit_price: Option<String>,
    /// volume × unit price, rounded half up to the cent.
    pub cost: String,
}

/// An SME's share of the award.
#[derive(Serialize, utoipa::ToSchema)]
pub struct AwardShare {
    pub organisation_id: i64,
    pub organisation_name: String,
    pub volume: i64,
    pub current_price: String,
    pub current_cost: String,
    /// The pooled unit price (the same for every SME), to 4 decimal places.
    pub new_unit_price: String,
    /// Its part of the award's total, by the largest-remainder method.
    pub new_cost: String,
    /// current_cost − new_cost (negative when dearer).
    pub savings: String,
}

/// The award: the staff's in full (totals adding up to the cent), an SME's share or a supplier's
/// line for them (totals absent).
#[derive(Serialize, utoipa::ToSchema)]
pub struct Award {
    pub pool_id: i64,
    /// The pooled volume (staff only).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub volume: Option<i64>,
    pub total: Option<String>,
    pub unit_price: Option<String>,
    pub current_total: Option<String>,
    pub savings: Option<String>,
    pub lines: Vec<AwardLine>,
    pub shares: Vec<AwardShare>,
    /// Whether the staff confirmed it.
    pub confirmed: bool,
}

fn award_dto(a: AwardTable) -> Award {
    Award {
        pool_id: a.pool_id,
        volume: a.volume,
        total: a.total,
        unit_price: a.unit_price,
        current_total: a.current_total,
        savings: a.savings,
        lines: a
            .lines
            .into_iter()
            .map(|l| AwardLine {
                organisation_id: l.organisation.id,
                organisation_name: l.organisation.name,
                volume: l.line.volume,
                unit_price: l.line.unit_price,
                cost: l.line.cost,
            })
            .collect(),
        shares: a
            .shares
            .into_iter()
            .map(|s| AwardShare {
                organisation_id: s.organisation.id,
                organisation_name: s.organisation.name,
                volume: s.share.volume,
                current_price: s.share.current_price,
                current_cost: s.share.current_cost,
                new_unit_price: s.share.new_unit_price,
                new_cost: s.share.new_cost,
                savings: s.share.savings,
            })
            .collect(),
        confirmed: a.confirmed,
    }
}

fn own_line(l: store::pooling::AwardLine) -> AwardLine {
    AwardLine {
        organisation_id: l.organisation_id,
        organisation_name: String::new(),
        volume: l.volume,
        unit_price: l.unit_price,
        cost: l.cost,
    }
}

fn own_share(s: store::pooling::AwardShare) -> AwardShare {
    AwardShare {
        organisation_id: s.organisation_id,
        organisation_name: String::new(),
        volume: s.volume,
        current_price: s.current_price,
        current_cost: s.current_cost,
        new_unit_price: s.new_unit_price,
        new_cost: s.new_cost,
        savings: s.savings,
    }
}

/// A pool with the caller's own parts; the staff's parts only for the staff.
#[derive(Serialize, utoipa::ToSchema)]
pub struct PoolDetail {
    #[serde(flatten)]
    pub pool: Pool,
    /// Whether commitments and offers are taken now.
    pub taking: bool,
    pub may_commit: bool,
    pub may_offer: bool,
    pub my_commitment: Option<Commitment>,
    /// The caller's organisation's own offer (a supplier); nobody else's.
    pub my_offer: Option<Offer>,
    /// Once awarded: the caller's organisation's share or line.
    pub my_share: Option<AwardShare>,
    pub my_line: Option<AwardLine>,
    /// Staff only.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub invited: Option<Vec<Organisation>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub commitments: Option<Vec<NamedCommitment>>,
    /// Staff only, once the closing instant has passed.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub offers: Option<Vec<NamedOffer>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub award: Option<Award>,
}

fn detail_dto(v: PoolView) -> PoolDetail {
    let staff = v.is_staff;
    PoolDetail {
        pool: pool_dto(v.pool, v.phase, Some(&v.progress)),
        taking: v.taking,
        may_commit: v.may_commit,
        may_offer: v.may_offer,
        my_commitment: v.my_commitment.map(commitment_dto),
        my_offer: v.my_offer.map(offer_dto),
        my_share: v.my_share.map(own_share),
        my_line: v.my_line.map(own_line),
        invited: staff.then(|| {
            v.invited
                .into_iter()
                .map(|o| Organisation {
                    id: o.id,
                    name: o.name,
                })
                .collect()
        }),
        commitments: v.commitments.map(|list| {
            list.into_iter()
                .map(|c| NamedCommitment {
                    organisation_name: c.organisation.name,
                    commitment: commitment_dto(c.commitment),
                })
                .collect()
        }),
        offers: v.offers.map(|list| {
            list.into_iter()
                .map(|o| NamedOffer {
                    organisation_name: o.organisation.name,
                    offer: offer_dto(o.offer),
                })
                .collect()
        }),
        award: v.award.map(award_dto),
    }
}

// ---- handlers -----------------------------------------------------------------------------------

/// The pools the caller may read: their clusters' published pools, those their organisation is
/// invited to, and for the staff the drafts.
#[utoipa::path(get, path = "/api/v1/pools", tag = "pooling",
    responses((status = 200, body = Vec<Pool>), (status = 401, body = crate::error::Problem)))]
pub async fn list(
    State(state): State<AppState>,
    ApiCaller(actor): ApiCaller,
) -> ApiResult<axum::Json<Vec<Pool>>> {
    let pools = state.app.pools(&actor).await?;
    Ok(axum::Json(pools.into_iter().map(summary_dto).collect()))
}

/// Creates a draft pool (the cluster's staff).
#[utoipa::path(post, path = "/api/v1/clusters/{cluster_id}/pools", tag = "pooling",
    params(("cluster_id" = i64, Path)), request_body = PoolForm,
    responses((status = 201, body = Pool), (status = 401, body = crate::error::Problem),
        (status = 403, body = crate::error::Problem), (status = 404, body = crate::error::Problem),
        (status = 422, body = crate::error::Problem)))]
pub async fn create(
    State(state): State<AppState>,
    ApiCaller(actor): ApiCaller,
    Path(cluster_id): Path<i64>,
    Json(form): Json<PoolForm>,
) -> ApiResult<(StatusCode, axum::Json<Pool>)> {
    let pool = state.app.create_pool(&actor, cluster_id, &form.input()).await?;
    Ok((StatusCode::CREATED, axum::Json(plain_dto(pool))))
}

/// A pool with the caller's own commitment or offer; the staff also get every commitment, the
/// offers once the closing instant has passed (sealed before, for everyone), and the award.
#[utoipa::path(get, path = "/api/v1/pools/{id}", tag = "pooling", params(("id" = i64, Path)),
    responses((status = 200, body = PoolDetail), (status = 401, body = crate::error::Problem),
        (status = 404, body = crate::error::Problem)))]
pub async fn get_one(
    State(state): State<AppState>,
    ApiCaller(actor): ApiCaller,
    Path(id): Path<i64>,
) -> ApiResult<axum::Json<PoolDetail>> {
    Ok(axum::Json(detail_dto(state.app.pool(&actor, id).await?)))
}

/// Rewrites a draft pool (staff); 409 once published.
#[utoipa::path(put, path = "/api/v1/pools/{id}", tag = "pooling", params(("id" = i64, Path)),
    request_body = PoolForm,
    responses((status = 200, body = Pool), (status = 403, body = crate::error::Problem),
        (status = 404, body = crate::error::Problem), (status = 409, body = crate::error::Problem),
        (status = 422, body = crate::error::Problem)))]
pub async fn update(
    State(state): State<AppState>,
    ApiCaller(actor): ApiCaller,
    Path(id): Path<i64>,
    Json(form): Json<PoolForm>,
) -> ApiResult<axum::Json<Pool>> {
    let pool = state.app.update_pool(&actor, id, &form.input()).await?;
    Ok(axum::Json(plain_dto(pool)))
}

/// Replaces the invited suppliers of a draft (staff): member organisations of the cluster.
#[utoipa::path(put, path = "/api/v1/pools/{id}/suppliers", tag = "pooling", params(("id" = i64, Path)),
    request_body = SuppliersForm,
    responses((status = 200, body = Vec<i64>), (status = 403, body = crate::error::Problem),
        (status = 404, body = crate::error::Problem), (status = 409, body = crate::error::Problem),
        (status = 422, body = crate::error::Problem)))]
pub async fn set_suppliers(
    State(state): State<AppState>,
    ApiCaller(actor): ApiCaller,
    Path(id): Path<i64>,
    Json(form): Json<SuppliersForm>,
) -> ApiResult<axum::Json<Vec<i64>>> {
    Ok(axum::Json(
        state.app.set_pool_suppliers(&actor, id, &form.suppliers).await?,
    ))
}

/// Publishes a draft (staff); the invited suppliers are told by e-mail.
#[utoipa::path(post, path = "/api/v1/pools/{id}/publish", tag = "pooling", params(("id" = i64, Path)),
    responses((status = 200, body = Pool), (status = 403, body = crate::error::Problem),
        (status = 404, body = crate::error::Problem), (status = 409, body = crate::error::Problem),
        (status = 422, body = crate::error::Problem)))]
pub async fn publish(
    State(state): State<AppState>,
    ApiCaller(actor): ApiCaller,
    Path(id): Path<i64>,
) -> ApiResult<axum::Json<Pool>> {
    Ok(axum::Json(plain_dto(state.app.publish_pool(&actor, id).await?)))
}

/// Cancels a draft, open or closed pool with a reason (staff); 409 once awarded or cancelled.
#[utoipa::path(post, path = "/api/v1/pools/{id}/cancel", tag = "pooling", params(("id" = i64, Path)),
    request_body = CancelForm,
    responses((status = 200, body = Pool), (status = 403, body = crate::error::Problem),
        (status = 404, body = crate::error::Problem), (status = 409, body = crate::error::Problem),
        (status = 422, body = crate::error::Problem)))]
pub async fn cancel(
    State(state): State<AppState>,
    ApiCaller(actor): ApiCaller,
    Path(id): Path<i64>,
    Json(form): Json<CancelForm>,
) -> ApiResult<axum::Json<Pool>> {
    Ok(axum::Json(plain_dto(
        state.app.cancel_pool(&actor, id, &form.reason).await?,
    )))
}

/// Commits the caller's organisation (its buyers and admins), or changes its commitment, while
/// the pool is open; 409 at or after the closing instant, the standing commitment kept.
#[utoipa::path(put, path = "/api/v1/pools/{id}/commitment", tag = "pooling", params(("id" = i64, Path)),
    request_body = CommitmentForm,
    responses((status = 200, body = Commitment), (status = 401, body = crate::error::Problem),
        (status = 403, body = crate::error::Problem), (status = 404, body = crate::error::Problem),
        (status = 409, body = crate::error::Problem), (status = 422, body = crate::error::Problem)))]
pub async fn commit(
    State(state): State<AppState>,
    ApiCaller(actor): ApiCaller,
    Path(id): Path<i64>,
    Json(form): Json<CommitmentForm>,
) -> ApiResult<axum::Json<Commitment>> {
    let input = CommitmentInput {
        volume: form.volume.to_string(),
        current_price: form.current_price,
    };
    Ok(axum::Json(commitment_dto(
        state.app.commit_to_pool(&actor, id, &input).await?,
    )))
}

/// Withdraws the caller's organisation's commitment while the pool is open.
#[utoipa::path(delete, path = "/api/v1/pools/{id}/commitment", tag = "pooling", params(("id" = i64, Path)),
    responses((status = 204), (status = 401, body = crate::error::Problem),
        (status = 403, body = crate::error::Problem), (status = 404, body = crate::error::Problem),
        (status = 409, body = crate::error::Problem)))]
pub async fn withdraw_commitment(
    State(state): State<AppState>,
    ApiCaller(actor): ApiCaller,
    Path(id): Path<i64>,
) -> ApiResult<StatusCode> {
    state.app.withdraw_pool_commitment(&actor, id).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// Makes or changes the caller's organisation's sealed offer (an invited supplier) while the pool
/// is open; refusals name the field (`tiers[1].from_volume`).
#[utoipa::path(put, path = "/api/v1/pools/{id}/offer", tag = "pooling", params(("id" = i64, Path)),
    request_body = OfferForm,
    responses((status = 200, body = Offer), (status = 401, body = crate::error::Problem),
        (status = 403, body = crate::error::Problem), (status = 404, body = crate::error::Problem),
        (status = 409, body = crate::error::Problem), (status = 422, body = crate::error::Problem)))]
pub async fn offer(
    State(state): State<AppState>,
    ApiCaller(actor): ApiCaller,
    Path(id): Path<i64>,
    Json(form): Json<OfferForm>,
) -> ApiResult<axum::Json<Offer>> {
    let input = OfferInput {
        tiers: form
            .tiers
            .into_iter()
            .map(|t| TierInput {
                from_volume: t.from_volume.to_string(),
                unit_price: t.unit_price,
            })
            .collect(),
        max_volume: form.max_volume.map(|m| m.to_string()).unwrap_or_default(),
    };
    Ok(axum::Json(offer_dto(
        state.app.offer_to_pool(&actor, id, &input).await?,
    )))
}

/// Withdraws the caller's organisation's offer while the pool is open.
#[utoipa::path(delete, path = "/api/v1/pools/{id}/offer", tag = "pooling", params(("id" = i64, Path)),
    responses((status = 204), (status = 401, body = crate::error::Problem),
        (status = 403, body = crate::error::Problem), (status = 404, body = crate::error::Problem),
        (status = 409, body = crate::error::Problem)))]
pub async fn withdraw_offer(
    State(state): State<AppState>,
    ApiCaller(actor): ApiCaller,
    Path(id): Path<i64>,
) -> ApiResult<StatusCode> {
    state.app.withdraw_pool_offer(&actor, id).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// The award: in full for the staff once computed at the close; the caller's own share or line
/// once confirmed; 404 otherwise.
#[utoipa::path(get, path = "/api/v1/pools/{id}/award", tag = "pooling", params(("id" = i64, Path)),
    responses((status = 200, body = Award), (status = 401, body = crate::error::Problem),
        (status = 404, body = crate::error::Problem)))]
pub async fn award(
    State(state): State<AppState>,
    ApiCaller(actor): ApiCaller,
    Path(id): Path<i64>,
) -> ApiResult<axum::Json<Award>> {
    Ok(axum::Json(award_dto(state.app.pool_award(&actor, id).await?)))
}

/// Confirms the computed award (staff): the pool becomes awarded and everyone is told; 409 twice.
#[utoipa::path(post, path = "/api/v1/pools/{id}/award", tag = "pooling", params(("id" = i64, Path)),
    responses((status = 200, body = Pool), (status = 403, body = crate::error::Problem),
        (status = 404, body = crate::error::Problem), (status = 409, body = crate::error::Problem)))]
pub async fn confirm_award(
    State(state): State<AppState>,
    ApiCaller(actor): ApiCaller,
    Path(id): Path<i64>,
) -> ApiResult<axum::Json<Pool>> {
    Ok(axum::Json(plain_dto(
        state.app.confirm_pool_award(&actor, id).await?,
    )))
}

/// The award as CSV (staff), headers in the caller's language.
#[utoipa::path(get, path = "/api/v1/pools/{id}/award.csv", tag = "pooling", params(("id" = i64, Path)),
    responses((status = 200, description = "The file, as an attachment.", content_type = "text/csv"),
        (status = 403, body = crate::error::Problem), (status = 404, body = crate::error::Problem),
        (status = 409, body = crate::error::Problem)))]
pub async fn award_csv(
    State(state): State<AppState>,
    ApiCaller(actor): ApiCaller,
    Path(id): Path<i64>,
) -> ApiResult<Response> {
    let download = state.app.pool_award_export(&actor, id, "csv", None).await?;
    Ok(crate::brochure_files::export_file(download))
}

/// The award as XLSX (staff), headers in the caller's language.
#[utoipa::path(get, path = "/api/v1/pools/{id}/award.xlsx", tag = "pooling", params(("id" = i64, Path)),
    responses((status = 200, description = "The file, as an attachment.",
            content_type = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
        (status = 403, body = crate::error::Problem), (status = 404, body = crate::error::Problem),
        (status = 409, body = crate::error::Problem)))]
pub async fn award_xlsx(
    State(state): State<AppState>,
    ApiCaller(actor): ApiCaller,
    Path(id): Path<i64>,
) -> ApiResult<Response> {
    let download = state.app.pool_award_export(&actor, id, "xlsx", None).await?;
    Ok(crate::brochure_files::export_file(download))
}
