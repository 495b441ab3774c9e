//! Storage of pooled purchasing: pools, their invited suppliers, commitments, sealed offers and awards.
//!
//! State changes are guarded in SQL (`… WHERE state = $expected`) and report whether they happened.
//! The commitment window is checked by the statements that write commitments and offers, and the
//! seal by the statement that reads offers, so that no clock check can be separated from its write
//! or read. Money is exact decimal TEXT, parsed by the app. Functions that write several statements
//! expect to run inside the caller's transaction.

use serde::{Deserialize, Serialize};

use crate::committee::{from_json, to_json};
use crate::{Conn, Result};

/// What the staff write about a pool.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Default)]
pub struct PoolFields {
    pub title: String,
    /// A `domain::pooling::Category` code.
    pub category: String,
    pub specification: String,
    pub unit: String,
    pub opens_at: i64,
    pub closes_at: i64,
    pub minimum_volume: i64,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, sqlx::FromRow)]
pub struct Pool {
    pub id: i64,
    pub cluster_id: i64,
    pub title: String,
    pub category: String,
    pub specification: String,
    pub unit: String,
    pub opens_at: i64,
    pub closes_at: i64,
    pub minimum_volume: i64,
    /// draft, open, closed, awarded or cancelled.
    pub state: String,
    /// Set at the close: award, below_minimum, infeasible or no_offer.
    pub outcome: Option<String>,
    pub committed_volume: Option<i64>,
    pub award_total: Option<String>,
    pub award_unit_price: Option<String>,
    pub award_current_total: Option<String>,
    pub award_savings: Option<String>,
    pub cancel_reason: Option<String>,
    pub created_at: i64,
    pub created_by: Option<i64>,
    pub updated_at: i64,
    pub updated_by: Option<i64>,
    pub published_at: Option<i64>,
    pub closed_at: Option<i64>,
    pub awarded_at: Option<i64>,
    pub awarded_by: Option<i64>,
    pub cancelled_at: Option<i64>,
}

const POOL_COLUMNS: &str = "SELECT id, cluster_id, title, category, specification, unit, opens_at, closes_at, \
     minimum_volume, state, outcome, committed_volume, award_total, award_unit_price, award_current_total, \
     award_savings, cancel_reason, created_at, created_by, updated_at, updated_by, published_at, closed_at, \
     awarded_at, awarded_by, cancelled_at FROM pools";

/// The window in which a pool takes commitments and offers at `$now`, as a condition on `pools p`.
const TAKING: &str = "p.state = 'open' AND p.opens_at <= $NOW AND p.closes_at > $NOW";

pub async fn create(
    conn: &mut Conn,
    cluster_id: i64,
    fields: &PoolFields,
    by: Option<i64>,
    at: i64,
) -> Result<i64> {
    Ok(sqlx::query_scalar(
        "INSERT INTO pools (cluster_id, title, category, specification, unit, opens_at, closes_at, minimum_volume, \
         state, created_at, created_by, updated_at, updated_by) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, 'draft', $9, $10, $9, $10) RETURNING id",
    )
    .bind(cluster_id)
    .bind(&fields.title)
    .bind(&fields.category)
    .bind(&fields.specification)
    .bind(&fields.unit)
    .bind(fields.opens_at)
    .bind(fields.closes_at)
    .bind(fields.minimum_volume)
    .bind(at)
    .bind(by)
    .fetch_one(conn)
    .await?)
}

/// Rewrites a draft; false when the pool is no longer a draft (or does not exist).
pub async fn update_draft(
    conn: &mut Conn,
    id: i64,
    fields: &PoolFields,
    by: Option<i64>,
    at: i64,
) -> Result<bool> {
    let done = sqlx::query(
        "UPDATE pools SET title = $2, category = $3, specification = $4, unit = $5, opens_at = $6, closes_at = $7, \
         minimum_volume = $8, updated_at = $9, updated_by = $10 WHERE id = $1 AND state = 'draft'",
    )
    .bind(id)
    .bind(&fields.title)
    .bind(&fields.category)
    .bind(&fields.specification)
    .bind(&fields.unit)
    .bind(fields.opens_at)
    .bind(fields.closes_at)
    .bind(fields.minimum_volume)
    .bind(at)
    .bind(by)
    .execute(conn)
    .await?;
    Ok(done.rows_affected() == 1)
}

pub async fn get(conn: &mut Conn, id: i64) -> Result<Option<Pool>> {
    Ok(
        sqlx::query_as(sqlx::AssertSqlSafe(format!("{POOL_COLUMNS} WHERE id = $1")))
            .bind(id)
            .fetch_optional(conn)
            .await?,
    )
}

/// A cluster's pools, the latest closing first.
pub async fn of_cluster(conn: &mut Conn, cluster_id: i64) -> Result<Vec<Pool>> {
    Ok(sqlx::query_as(sqlx::AssertSqlSafe(format!(
        "{POOL_COLUMNS} WHERE cluster_id = $1 ORDER BY closes_at DESC, id DESC"
    )))
    .bind(cluster_id)
    .fetch_all(conn)
    .await?)
}

/// The published pools an organisation is invited to offer to, the latest closing first.
pub async fn inviting(conn: &mut Conn, organisation_id: i64) -> Result<Vec<Pool>> {
    Ok(sqlx::query_as(sqlx::AssertSqlSafe(format!(
        "{POOL_COLUMNS} WHERE published_at IS NOT NULL AND id IN \
         (SELECT pool_id FROM pool_invitations WHERE organisation_id = $1) ORDER BY closes_at DESC, id DESC"
    )))
    .bind(organisation_id)
    .fetch_all(conn)
    .await?)
}

/// Replaces the invited suppliers of a draft; false (nothing changed) once it is published.
pub async fn set_invitations(
    conn: &mut Conn,
    id: i64,
    organisations: &[i64],
    by: Option<i64>,
    at: i64,
) -> Result<bool> {
    let guard =
        sqlx::query("UPDATE pools SET updated_at = $2, updated_by = $3 WHERE id = $1 AND state = 'draft'")
            .bind(id)
            .bind(at)
            .bind(by)
            .execute(&mut *conn)
            .await?;
    if guard.rows_affected() != 1 {
        return Ok(false);
    }
    sqlx::query("DELETE FROM pool_invitations WHERE pool_id = $1")
        .bind(id)
        .execute(&mut *conn)
        .await?;
    for organisation_id in organisations {
        sqlx::query(
            "INSERT INTO pool_invitations (pool_id, organisation_id, invited_at) VALUES ($1, $2, $3)",
        )
        .bind(id)
        .bind(organisation_id)
        .bind(at)
        .execute(&mut *conn)
        .await?;
    }
    Ok(true)
}

/// The invited suppliers, by id.
pub async fn invitations(conn: &mut Conn, id: i64) -> Result<Vec<i64>> {
    Ok(sqlx::query_scalar(
        "SELECT organisation_id FROM pool_invitations WHERE pool_id = $1 ORDER BY organisation_id",
    )
    .bind(id)
    .fetch_all(conn)
    .await?)
}

/// Publishes a draft whose closing instant is still ahead; false otherwise.
pub async fn publish(conn: &mut Conn, id: i64, by: Option<i64>, now: i64) -> Result<bool> {
    let done = sqlx::query(
        "UPDATE pools SET state = 'open', published_at = $2, updated_at = $2, updated_by = $3 \
         WHERE id = $1 AND state = 'draft' AND closes_at > $2",
    )
    .bind(id)
    .bind(now)
    .bind(by)
    .execute(conn)
    .await?;
    Ok(done.rows_affected() == 1)
}

/// Cancels a pool that is still in `expected` (draft, open or closed); false when it moved, or
/// when it is open past its closing instant (being settled: cancel it once closed).
pub async fn cancel(
    conn: &mut Conn,
    id: i64,
    expected: &str,
    reason: &str,
    by: Option<i64>,
    now: i64,
) -> Result<bool> {
    let done = sqlx::query(
        "UPDATE pools SET state = 'cancelled', cancel_reason = $3, cancelled_at = $4, updated_at = $4, updated_by = $5 \
         WHERE id = $1 AND state = $2 AND state IN ('draft', 'open', 'closed') \
         AND NOT (state = 'open' AND closes_at <= $4)",
    )
    .bind(id)
    .bind(expected)
    .bind(reason)
    .bind(now)
    .bind(by)
    .execute(conn)
    .await?;
    Ok(done.rows_affected() == 1)
}

// ---- commitments ----------------------------------------------------------------------------------

#[derive(Debug, Clone, PartialEq, Eq, Serialize, sqlx::FromRow)]
pub struct Commitment {
    pub pool_id: i64,
    pub organisation_id: i64,
    pub volume: i64,
    /// Decimal text, at most four places.
    pub current_price: String,
    pub committed_at: i64,
    pub updated_at: i64,
    pub updated_by: Option<i64>,
}

/// Starts a take (commitment, offer, withdrawal): a no-op update of the pool row while it takes
/// them at `now`. It locks the row until the transaction ends, so that the close (an update of
/// the same row) waits for a take under way and a take never slips in after the close has read
/// the commitments and offers. False when the pool takes nothing at `now`.
pub async fn lock_taking(conn: &mut Conn, pool_id: i64, now: i64) -> Result<bool> {
    let done = sqlx::query(
        "UPDATE pools SET updated_at = updated_at \
         WHERE id = $1 AND state = 'open' AND opens_at <= $2 AND closes_at > $2",
    )
    .bind(pool_id)
    .bind(now)
    .execute(conn)
    .await?;
    Ok(done.rows_affected() == 1)
}

/// Creates or changes the organisation's commitment while the pool takes them at `now` (open, in
/// its window) and the pool's commitments together stay within `max_total` units — checked by the
/// statement itself; false when refused, and nothing is written.
#[allow(clippy::too_many_arguments)]
pub async fn commit(
    conn: &mut Conn,
    pool_id: i64,
    organisation_id: i64,
    volume: i64,
    current_price: &str,
    by: Option<i64>,
    now: i64,
    max_total: i64,
) -> Result<bool> {
    let sql = format!(
        "INSERT INTO pool_commitments (pool_id, organisation_id, volume, current_price, committed_at, updated_at, updated_by) \
         SELECT p.id, $2, $3, $4, $5, $5, $6 FROM pools p WHERE p.id = $1 AND {} \
         AND $3 + (SELECT COALESCE(SUM(c.volume), 0) FROM pool_commitments c \
                   WHERE c.pool_id = $1 AND c.organisation_id <> $2) <= $7 \
         ON CONFLICT (pool_id, organisation_id) DO UPDATE SET volume = excluded.volume, \
         current_price = excluded.current_price, updated_at = excluded.updated_at, updated_by = excluded.updated_by",
        TAKING.replace("$NOW", "$5")
    );
    let done = sqlx::query(sqlx::AssertSqlSafe(sql))
        .bind(pool_id)
        .bind(organisation_id)
        .bind(volume)
        .bind(current_price)
        .bind(now)
        .bind(by)
        .bind(max_total)
        .execute(conn)
        .await?;
    Ok(done.rows_affected() == 1)
}

/// What a withdrawal removes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Taken {
    Commitment,
    Offer,
}

/// Withdraws the organisation's commitment or offer while the pool takes them at `now`; false
/// when refused (or there is none), and nothing is removed.
pub async fn withdraw(
    conn: &mut Conn,
    taken: Taken,
    pool_id: i64,
    organisation_id: i64,
    now: i64,
) -> Result<bool> {
    let table = match taken {
        Taken::Commitment => "pool_commitments",
        Taken::Offer => "pool_offers",
    };
    let sql = format!(
        "DELETE FROM {table} WHERE pool_id = $1 AND organisation_id = $2 \
         AND EXISTS (SELECT 1 FROM pools p WHERE p.id = $1 AND {})",
        TAKING.replace("$NOW", "$3")
    );
    let done = sqlx::query(sqlx::AssertSqlSafe(sql))
        .bind(pool_id)
        .bind(organisation_id)
        .bind(now)
        .execute(conn)
        .await?;
    Ok(done.rows_affected() == 1)
}

const COMMITMENT_COLUMNS: &str = "SELECT pool_id, organisation_id, volume, current_price, committed_at, updated_at, \
     updated_by FROM pool_commitments";

pub async fn commitment(conn: &mut Conn, pool_id: i64, organisation_id: i64) -> Result<Option<Commitment>> {
    Ok(sqlx::query_as(sqlx::AssertSqlSafe(format!(
        "{COMMITMENT_COLUMNS} WHERE pool_id = $1 AND organisation_id = $2"
    )))
    .bind(pool_id)
    .bind(organisation_id)
    .fetch_optional(conn)
    .await?)
}

/// Every commitment of a pool, earliest first (the award's order and tie-break).
pub async fn commitments(conn: &mut Conn, pool_id: i64) -> Result<Vec<Commitment>> {
    Ok(sqlx::query_as(sqlx::AssertSqlSafe(format!(
        "{COMMITMENT_COLUMNS} WHERE pool_id = $1 ORDER BY committed_at, organisation_id"
    )))
    .bind(pool_id)
    .fetch_all(conn)
    .await?)
}

/// How many organisations committed and the volume they committed together: all the cluster sees.
pub async fn progress(conn: &mut Conn, pool_id: i64) -> Result<(i64, i64)> {
    let (count, total): (i64, i64) = sqlx::query_as(
        "SELECT COUNT(*), CAST(COALESCE(SUM(volume), 0) AS BIGINT) FROM pool_commitments WHERE pool_id = $1",
    )
    .bind(pool_id)
    .fetch_one(conn)
    .await?;
    Ok((count, total))
}

/// The pools an organisation committed to, by id.
pub async fn committed_pools(conn: &mut Conn, organisation_id: i64) -> Result<Vec<i64>> {
    Ok(
        sqlx::query_scalar(
            "SELECT pool_id FROM pool_commitments WHERE organisation_id = $1 ORDER BY pool_id",
        )
        .bind(organisation_id)
        .fetch_all(conn)
        .await?,
    )
}

// ---- offers -----------------------------------------------------------------------------------------

/// One price break of an offer, as kept in the `tiers` JSON column.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct StoredTier {
    pub from_volume: i64,
    /// Decimal text, at most four places.
    pub unit_price: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Offer {
    pub pool_id: i64,
    pub organisation_id: i64,
    pub tiers: Vec<StoredTier>,
    pub max_volume: Option<i64>,
    pub offered_at: i64,
    pub updated_at: i64,
    pub updated_by: Option<i64>,
}

#[derive(sqlx::FromRow)]
struct OfferRow {
    pool_id: i64,
    organisation_id: i64,
    tiers: String,
    max_volume: Option<i64>,
    offered_at: i64,
    updated_at: i64,
    updated_by: Option<i64>,
}

impl OfferRow {
    fn decode(self) -> Result<Offer> {
        Ok(Offer {
            pool_id: self.pool_id,
            organisation_id: self.organisation_id,
            tiers: from_json("tiers", &self.tiers)?,
            max_volume: self.max_volume,
            offered_at: self.offered_at,
            updated_at: self.updated_at,
            updated_by: self.updated_by,
        })
    }
}

const OFFER_COLUMNS: &str = "SELECT o.pool_id, o.organisation_id, o.tiers, o.max_volume, o.offered_at, o.updated_at, o.updated_by FROM pool_offers o";

/// Creates or changes an invited supplier's offer while the pool takes them at `now`; false when
/// refused (not invited, not open, outside the window), and nothing is written.
pub async fn save_offer(
    conn: &mut Conn,
    pool_id: i64,
    organisation_id: i64,
    tiers: &[StoredTier],
    max_volume: Option<i64>,
    by: Option<i64>,
    now: i64,
) -> Result<bool> {
    let sql = format!(
        "INSERT INTO pool_offers (pool_id, organisation_id, tiers, max_volume, offered_at, updated_at, updated_by) \
         SELECT p.id, $2, $3, $4, $5, $5, $6 FROM pools p WHERE p.id = $1 AND {} \
         AND EXISTS (SELECT 1 FROM pool_invitations i WHERE i.pool_id = p.id AND i.organisation_id = $2) \
         ON CONFLICT (pool_id, organisation_id) DO UPDATE SET tiers = excluded.tiers, \
         max_volume = excluded.max_volume, updated_at = excluded.updated_at, updated_by = excluded.updated_by",
        TAKING.replace("$NOW", "$5")
    );
    let done = sqlx::query(sqlx::AssertSqlSafe(sql))
        .bind(pool_id)
        .bind(organisation_id)
        .bind(to_json(tiers))
        .bind(max_volume)
        .bind(now)
        .bind(by)
        .execute(conn)
        .await?;
    Ok(done.rows_affected() == 1)
}

/// A supplier's own offer: only the supplier's own reads (and the close) may call this.
pub async fn own_offer(conn: &mut Conn, pool_id: i64, organisation_id: i64) -> Result<Option<Offer>> {
    let row: Option<OfferRow> = sqlx::query_as(sqlx::AssertSqlSafe(format!(
        "{OFFER_COLUMNS} WHERE o.pool_id = $1 AND o.organisation_id = $2"
    )))
    .bind(pool_id)
    .bind(organisation_id)
    .fetch_optional(conn)
    .await?;
    row.map(OfferRow::decode).transpose()
}

/// Every offer of a pool — but only once its closing instant has passed at `now` (and the pool was
/// published, and not cancelled before its close); before that, nothing. The seal lives in this
/// statement so that a forgotten check elsewhere cannot open an offer.
pub async fn unsealed_offers(conn: &mut Conn, pool_id: i64, now: i64) -> Result<Vec<Offer>> {
    let rows: Vec<OfferRow> = sqlx::query_as(sqlx::AssertSqlSafe(format!(
        "{OFFER_COLUMNS} JOIN pools p ON p.id = o.pool_id WHERE o.pool_id = $1 AND p.closes_at <= $2 \
         AND p.published_at IS NOT NULL AND (p.state <> 'cancelled' OR p.closed_at IS NOT NULL) \
         ORDER BY o.offered_at, o.organisation_id"
    )))
    .bind(pool_id)
    .bind(now)
    .fetch_all(conn)
    .await?;
    rows.into_iter().map(OfferRow::decode).collect()
}

// ---- the close and the award -------------------------------------------------------------------

/// The pools to close and settle at `now`: open ones whose closing instant has passed, and closed
/// ones whose settlement was interrupted (no outcome recorded yet).
pub async fn due(conn: &mut Conn, now: i64) -> Result<Vec<i64>> {
    Ok(sqlx::query_scalar(
        "SELECT id FROM pools WHERE (state = 'open' AND closes_at <= $1) \
         OR (state = 'closed' AND outcome IS NULL) ORDER BY closes_at, id",
    )
    .bind(now)
    .fetch_all(conn)
    .await?)
}

/// Closes an open pool whose closing instant has passed; false when another closer was first.
pub async fn close(conn: &mut Conn, id: i64, now: i64) -> Result<bool> {
    let done = sqlx::query(
        "UPDATE pools SET state = 'closed', closed_at = $2, updated_at = $2 \
         WHERE id = $1 AND state = 'open' AND closes_at <= $2",
    )
    .bind(id)
    .bind(now)
    .execute(conn)
    .await?;
    Ok(done.rows_affected() == 1)
}

/// The totals of a computed award, decimal text.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Default)]
pub struct AwardTotals {
    pub total: String,
    pub unit_price: String,
    pub current_total: String,
    pub savings: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, sqlx::FromRow)]
pub struct AwardLine {
    pub organisation_id: i64,
    pub volume: i64,
    pub unit_price: Option<String>,
    pub cost: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, sqlx::FromRow)]
pub struct AwardShare {
    pub organisation_id: i64,
    pub position: i64,
    pub volume: i64,
    pub current_price: String,
    pub current_cost: String,
    pub new_unit_price: String,
    pub new_cost: String,
    pub savings: String,
}

/// The people holding a role in a cluster (id, e-mail): the app keeps its staff among them.
pub async fn cluster_people(conn: &mut Conn, cluster_id: i64) -> Result<Vec<(i64, String)>> {
    Ok(sqlx::query_as(
        "SELECT DISTINCT p.id, p.email FROM role_grants g JOIN people p ON p.id = g.person_id \
         WHERE g.scope_kind = 'cluster' AND g.scope_id = $1 ORDER BY p.id",
    )
    .bind(cluster_id)
    .fetch_all(conn)
    .await?)
}

/// Records what the close found: `outcome` (award, below_minimum, infeasible, no_offer,
/// too_complex, invalid), the
/// committed volume, and for an award its totals, lines and shares. Only on a closed pool with no
/// outcome yet; false otherwise.
pub async fn record_outcome(
    conn: &mut Conn,
    id: i64,
    outcome: &str,
    committed_volume: i64,
    award: Option<(&AwardTotals, &[AwardLine], &[AwardShare])>,
) -> Result<bool> {
    let totals = award.map(|(t, _, _)| t);
    let done = sqlx::query(
        "UPDATE pools SET outcome = $2, committed_volume = $3, award_total = $4, award_unit_price = $5, \
         award_current_total = $6, award_savings = $7 WHERE id = $1 AND state = 'closed' AND outcome IS NULL",
    )
    .bind(id)
    .bind(outcome)
    .bind(committed_volume)
    .bind(totals.map(|t| t.total.clone()))
    .bind(totals.map(|t| t.unit_price.clone()))
    .bind(totals.map(|t| t.current_total.clone()))
    .bind(totals.map(|t| t.savings.clone()))
    .execute(&mut *conn)
    .await?;
    if done.rows_affected() != 1 {
        return Ok(false);
    }
    if let Some((_, lines, shares)) = award {
        for line in lines {
            sqlx::query(
                "INSERT INTO pool_award_lines (pool_id, organisation_id, volume, unit_price, cost) \
                 VALUES ($1, $2, $3, $4, $5)",
            )
            .bind(id)
            .bind(line.organisation_id)
            .bind(line.volume)
            .bind(&line.unit_price)
            .bind(&line.cost)
            .execute(&mut *conn)
            .await?;
        }
        for share in shares {
            sqlx::query(
                "INSERT INTO pool_award_shares (pool_id, organisation_id, position, volume, current_price, \
                 current_cost, new_unit_price, new_cost, savings) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)",
            )
            .bind(id)
            .bind(share.organisation_id)
            .bind(share.position)
            .bind(share.volume)
            .bind(&share.current_price)
            .bind(&share.current_cost)
            .bind(&share.new_unit_price)
            .bind(&share.new_cost)
            .bind(&share.savings)
            .execute(&mut *conn)
            .await?;
        }
    }
    Ok(true)
}

/// The award's supplier lines, by supplier.
pub async fn award_lines(conn: &mut Conn, id: i64) -> Result<Vec<AwardLine>> {
    Ok(sqlx::query_as(
        "SELECT organisation_id, volume, unit_price, cost FROM pool_award_lines WHERE pool_id = $1 \
         ORDER BY volume DESC, organisation_id",
    )
    .bind(id)
    .fetch_all(conn)
    .await?)
}

/// The award's SME shares, in the commitments' order.
pub async fn award_shares(conn: &mut Conn, id: i64) -> Result<Vec<AwardShare>> {
    Ok(sqlx::query_as(
        "SELECT organisation_id, position, volume, current_price, current_cost, new_unit_price, new_cost, savings \
         FROM pool_award_shares WHERE pool_id = $1 ORDER BY position",
    )
    .bind(id)
    .fetch_all(conn)
    .await?)
}

/// Confirms a computed award: closed with outcome award → awarded; false otherwise (already
/// awarded, cancelled, or nothing to award).
pub async fn confirm_award(conn: &mut Conn, id: i64, by: Option<i64>, now: i64) -> Result<bool> {
    let done = sqlx::query(
        "UPDATE pools SET state = 'awarded', awarded_at = $2, awarded_by = $3, updated_at = $2, updated_by = $3 \
         WHERE id = $1 AND state = 'closed' AND outcome = 'award'",
    )
    .bind(id)
    .bind(now)
    .bind(by)
    .execute(conn)
    .await?;
    Ok(done.rows_affected() == 1)
}

/// Moves a pool's closing instant, whatever its state, as if time had passed: for tests only
/// (the app never moves the instant of a published pool).
#[cfg(feature = "testing")]
pub async fn move_close(conn: &mut Conn, id: i64, closes_at: i64) -> Result<bool> {
    let done = sqlx::query("UPDATE pools SET closes_at = $2 WHERE id = $1")
        .bind(id)
        .bind(closes_at)
        .execute(conn)
        .await?;
    Ok(done.rows_affected() == 1)
}
