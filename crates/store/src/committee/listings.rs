//! Buyers' supplier lists: one row per listing period of a supplier by a buyer, opened when it is
//! listed and closed when it is delisted with a reason. The partial unique index keeps at most one
//! open period per pair, so two racing listings cannot both succeed.

use serde::Serialize;

use crate::{Conn, Result};

/// A listing period, with the names people read.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, sqlx::FromRow)]
pub struct Listing {
    pub id: i64,
    pub buyer_id: i64,
    pub buyer_name: String,
    pub supplier_id: i64,
    pub supplier_name: String,
    /// sme, mid_cap or large: delisting SMEs is what the platform exists to fight.
    pub supplier_size: String,
    /// call, portfolio or direct.
    pub origin: String,
    pub call_id: Option<i64>,
    pub call_title: Option<String>,
    pub decision_id: Option<i64>,
    pub note: String,
    pub listed_at: i64,
    pub listed_by: Option<i64>,
    pub delisted_at: Option<i64>,
    pub delisted_by: Option<i64>,
    pub delist_reason: Option<String>,
}

/// What opens a listing period.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewListing<'a> {
    pub buyer_id: i64,
    pub supplier_id: i64,
    pub origin: &'a str,
    pub call_id: Option<i64>,
    pub decision_id: Option<i64>,
    pub note: &'a str,
    pub listed_by: Option<i64>,
    pub listed_at: i64,
}

const LISTING_COLUMNS: &str = "SELECT l.id, l.buyer_id, b.legal_name AS buyer_name, l.supplier_id, \
     s.legal_name AS supplier_name, COALESCE(s.size, '') AS supplier_size, l.origin, l.call_id, \
     c.title AS call_title, l.decision_id, l.note, l.listed_at, l.listed_by, l.delisted_at, l.delisted_by, \
     l.delist_reason FROM supplier_listings l \
     JOIN organisations b ON b.id = l.buyer_id JOIN organisations s ON s.id = l.supplier_id \
     LEFT JOIN calls c ON c.id = l.call_id";

/// Opens a listing period; `None` when the pair already has an open one (it stands unchanged).
pub async fn insert(conn: &mut Conn, new: &NewListing<'_>) -> Result<Option<i64>> {
    Ok(sqlx::query_scalar(
        "INSERT INTO supplier_listings (buyer_id, supplier_id, origin, call_id, decision_id, note, \
         listed_at, listed_by) VALUES ($1, $2, $3, $4, $5, $6, $7, $8) ON CONFLICT DO NOTHING RETURNING id",
    )
    .bind(new.buyer_id)
    .bind(new.supplier_id)
    .bind(new.origin)
    .bind(new.call_id)
    .bind(new.decision_id)
    .bind(new.note)
    .bind(new.listed_at)
    .bind(new.listed_by)
    .fetch_optional(conn)
    .await?)
}

/// Closes an open period with its reason; false when it was closed already.
pub async fn delist(conn: &mut Conn, id: i64, reason: &str, by: Option<i64>, at: i64) -> Result<bool> {
    let done = sqlx::query(
        "UPDATE supplier_listings SET delisted_at = $2, delisted_by = $3, delist_reason = $4 \
         WHERE id = $1 AND delisted_at IS NULL",
    )
    .bind(id)
    .bind(at)
    .bind(by)
    .bind(reason)
    .execute(conn)
    .await?;
    Ok(done.rows_affected() == 1)
}

pub async fn get(conn: &mut Conn, id: i64) -> Result<Option<Listing>> {
    Ok(
        sqlx::query_as(sqlx::AssertSqlSafe(format!("{LISTING_COLUMNS} WHERE l.id = $1")))
            .bind(id)
            .fetch_optional(conn)
            .await?,
    )
}

/// The open period of a pair, if the supplier is listed.
pub async fn open(conn: &mut Conn, buyer_id: i64, supplier_id: i64) -> Result<Option<Listing>> {
    Ok(sqlx::query_as(sqlx::AssertSqlSafe(format!(
        "{LISTING_COLUMNS} WHERE l.buyer_id = $1 AND l.supplier_id = $2 AND l.delisted_at IS NULL"
    )))
    .bind(buyer_id)
    .bind(supplier_id)
    .fetch_optional(conn)
    .await?)
}

/// Every period of a buyer's list, current and past, the latest listing first.
pub async fn of_buyer(conn: &mut Conn, buyer_id: i64) -> Result<Vec<Listing>> {
    Ok(sqlx::query_as(sqlx::AssertSqlSafe(format!(
        "{LISTING_COLUMNS} WHERE l.buyer_id = $1 ORDER BY l.listed_at DESC, l.id DESC"
    )))
    .bind(buyer_id)
    .fetch_all(conn)
    .await?)
}

/// Every period of a supplier with any buyer, the latest listing first.
pub async fn of_supplier(conn: &mut Conn, supplier_id: i64) -> Result<Vec<Listing>> {
    Ok(sqlx::query_as(sqlx::AssertSqlSafe(format!(
        "{LISTING_COLUMNS} WHERE l.supplier_id = $1 ORDER BY l.listed_at DESC, l.id DESC"
    )))
    .bind(supplier_id)
    .fetch_all(conn)
    .await?)
}

/// Every period of the buyers that are current members of a cluster, the latest listing first.
pub async fn in_cluster(conn: &mut Conn, cluster_id: i64) -> Result<Vec<Listing>> {
    Ok(sqlx::query_as(sqlx::AssertSqlSafe(format!(
        "{LISTING_COLUMNS} WHERE l.buyer_id IN \
         (SELECT organisation_id FROM memberships WHERE cluster_id = $1 AND left_at IS NULL) \
         ORDER BY l.listed_at DESC, l.id DESC"
    )))
    .bind(cluster_id)
    .fetch_all(conn)
    .await?)
}

/// An organisation a buyer may list, by name.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, sqlx::FromRow)]
pub struct Candidate {
    pub id: i64,
    pub legal_name: String,
    pub size: String,
}

/// The current members of the buyer's clusters that it does not list now, itself excluded, by
/// name: what the buyer's "list a supplier" form offers.
pub async fn listable(conn: &mut Conn, buyer_id: i64) -> Result<Vec<Candidate>> {
    Ok(sqlx::query_as(
        "SELECT o.id, o.legal_name, COALESCE(o.size, '') AS size FROM organisations o WHERE o.id <> $1 \
         AND o.id IN (SELECT m.organisation_id FROM memberships m JOIN memberships b \
           ON b.cluster_id = m.cluster_id AND b.organisation_id = $1 AND b.left_at IS NULL \
           WHERE m.left_at IS NULL) \
         AND o.id NOT IN (SELECT supplier_id FROM supplier_listings WHERE buyer_id = $1 AND delisted_at IS NULL) \
         ORDER BY o.name_key, o.id",
    )
    .bind(buyer_id)
    .fetch_all(conn)
    .await?)
}
