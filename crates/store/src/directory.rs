//! The directory's side of the store: the change log the search index follows, and the rows the
//! index is built from (an organisation, its profile document and its current clusters).

use std::collections::HashMap;

use sqlx::{AssertSqlSafe, Row};

use crate::dialect::{Params, ROWS_PER_STATEMENT};
use crate::organisations::select_organisation;
use crate::records::Organisation;
use crate::{Conn, Result, now_ms};

/// Any constant will do: the lock that orders the writers of the change log.
const CHANGE_LOG_LOCK: i64 = 0x7365_6172_6368;

/// On PostgreSQL a change's id is drawn when it is written but seen when its transaction commits:
/// a follower could see a later id first, move its watermark past it, and never apply the earlier
/// one. Writers of the log therefore queue, from their first change to their commit, on a lock
/// held until their transaction ends, so ids become visible in order. SQLite has one writer at a
/// time already. Only a transaction keeps the lock past this statement: write the log in one.
async fn queue_behind_other_writers(conn: &mut Conn) -> Result<()> {
    if conn.backend_name() != <sqlx::Sqlite as sqlx::Database>::NAME {
        sqlx::query("SELECT pg_advisory_xact_lock($1)")
            .bind(CHANGE_LOG_LOCK)
            .execute(&mut *conn)
            .await?;
    }
    Ok(())
}

/// Records that these organisations changed, in the caller's transaction.
pub async fn touch(conn: &mut Conn, organisation_ids: &[i64]) -> Result<()> {
    if organisation_ids.is_empty() {
        return Ok(());
    }
    queue_behind_other_writers(conn).await?;
    let now = now_ms();
    for chunk in organisation_ids.chunks(ROWS_PER_STATEMENT) {
        let sql = format!(
            "INSERT INTO search_changes (organisation_id, changed_at) VALUES {}",
            Params::of(conn).rows(chunk.len(), 2)
        );
        let mut query = sqlx::query(AssertSqlSafe(sql));
        for id in chunk {
            query = query.bind(*id).bind(now);
        }
        query.execute(&mut *conn).await?;
    }
    Ok(())
}

/// Records that everything may have changed (say after a bulk import): the index rebuilds.
pub async fn touch_all(conn: &mut Conn) -> Result<()> {
    queue_behind_other_writers(conn).await?;
    sqlx::query("INSERT INTO search_changes (organisation_id, changed_at) VALUES (NULL, $1)")
        .bind(now_ms())
        .execute(conn)
        .await?;
    Ok(())
}

/// One entry of the change log; `organisation_id` is `None` for "reindex everything".
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Change {
    pub id: i64,
    pub organisation_id: Option<i64>,
}

/// Changes after `after`, oldest first.
pub async fn changes_after(conn: &mut Conn, after: i64, limit: i64) -> Result<Vec<Change>> {
    let rows =
        sqlx::query("SELECT id, organisation_id FROM search_changes WHERE id > $1 ORDER BY id LIMIT $2")
            .bind(after)
            .bind(limit)
            .fetch_all(conn)
            .await?;
    rows.iter()
        .map(|r| {
            Ok(Change {
                id: r.try_get(0)?,
                organisation_id: r.try_get(1)?,
            })
        })
        .collect()
}

/// The id of the latest change, 0 when there is none: where a full rebuild leaves the follower.
pub async fn last_change(conn: &mut Conn) -> Result<i64> {
    let last: Option<i64> = sqlx::query_scalar("SELECT MAX(id) FROM search_changes")
        .fetch_one(conn)
        .await?;
    Ok(last.unwrap_or(0))
}

/// The id of the oldest change still logged, if any: a follower whose watermark is below it by
/// more than one has missed changes that were pruned.
pub async fn first_change(conn: &mut Conn) -> Result<Option<i64>> {
    Ok(sqlx::query_scalar("SELECT MIN(id) FROM search_changes")
        .fetch_one(conn)
        .await?)
}

/// Forgets changes older than `before_ms` that the follower has passed (`up_to`). The newest
/// entry always stays, so that the log's position survives in the database itself.
pub async fn prune_changes(conn: &mut Conn, up_to: i64, before_ms: i64) -> Result<u64> {
    let done = sqlx::query(
        "DELETE FROM search_changes WHERE id <= $1 AND changed_at < $2 \
         AND id < (SELECT MAX(id) FROM search_changes)",
    )
    .bind(up_to)
    .bind(before_ms)
    .execute(conn)
    .await?;
    Ok(done.rows_affected())
}

/// What the index needs of one organisation.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DirectoryRow {
    pub organisation: Organisation,
    /// JSON of `domain::profile::Profile`, when the organisation filled one in.
    pub profile_json: Option<String>,
    /// Clusters it currently belongs to, ascending.
    pub clusters: Vec<i64>,
}

/// The directory rows of these organisations (those that exist), in id order.
pub async fn rows_by_ids(conn: &mut Conn, ids: &[i64]) -> Result<Vec<DirectoryRow>> {
    let mut unique = ids.to_vec();
    unique.sort_unstable();
    unique.dedup();
    let mut out = Vec::with_capacity(unique.len());
    for chunk in unique.chunks(ROWS_PER_STATEMENT) {
        let params = Params::of(conn).list(chunk.len());
        let sql = format!(
            "{} WHERE o.id IN ({params}) ORDER BY o.id",
            select_organisation!("")
        );
        let mut query = sqlx::query_as::<_, Organisation>(AssertSqlSafe(sql));
        for id in chunk {
            query = query.bind(*id);
        }
        let organisations = query.fetch_all(&mut *conn).await?;
        out.extend(complete(conn, organisations).await?);
    }
    Ok(out)
}

/// Up to `limit` directory rows with an id above `after`, in id order: the pages of a rebuild.
pub async fn rows_after(conn: &mut Conn, after: i64, limit: i64) -> Result<Vec<DirectoryRow>> {
    let organisations: Vec<Organisation> =
        sqlx::query_as(select_organisation!("WHERE o.id > $1 ORDER BY o.id LIMIT $2"))
            .bind(after)
            .bind(limit)
            .fetch_all(&mut *conn)
            .await?;
    let mut out = Vec::with_capacity(organisations.len());
    for chunk in organisations.chunks(ROWS_PER_STATEMENT) {
        out.extend(complete(conn, chunk.to_vec()).await?);
    }
    Ok(out)
}

/// Adds the profile documents and current clusters of at most ROWS_PER_STATEMENT organisations.
async fn complete(conn: &mut Conn, organisations: Vec<Organisation>) -> Result<Vec<DirectoryRow>> {
    if organisations.is_empty() {
        return Ok(Vec::new());
    }
    let params = Params::of(conn).list(organisations.len());
    let sql = format!("SELECT organisation_id, document FROM profiles WHERE organisation_id IN ({params})");
    let mut query = sqlx::query(AssertSqlSafe(sql));
    for o in &organisations {
        query = query.bind(o.id);
    }
    let mut documents: HashMap<i64, String> = HashMap::new();
    for row in query.fetch_all(&mut *conn).await? {
        documents.insert(row.try_get(0)?, row.try_get(1)?);
    }
    let sql = format!(
        "SELECT organisation_id, cluster_id FROM memberships \
         WHERE left_at IS NULL AND organisation_id IN ({params}) ORDER BY cluster_id"
    );
    let mut query = sqlx::query(AssertSqlSafe(sql));
    for o in &organisations {
        query = query.bind(o.id);
    }
    let mut clusters: HashMap<i64, Vec<i64>> = HashMap::new();
    for row in query.fetch_all(&mut *conn).await? {
        clusters.entry(row.try_get(0)?).or_default().push(row.try_get(1)?);
    }
    Ok(organisations
        .into_iter()
        .map(|organisation| DirectoryRow {
            profile_json: documents.remove(&organisation.id),
            clusters: clusters.remove(&organisation.id).unwrap_or_default(),
            organisation,
        })
        .collect())
}

/// Every organisation of a NAF division with a profile: the peers differentiation compares with.
/// Returns `(organisation id, profile JSON)`, most recently updated first, at most `limit`.
pub async fn profiles_in_division(conn: &mut Conn, division: &str, limit: i64) -> Result<Vec<(i64, String)>> {
    let rows = sqlx::query(
        "SELECT p.organisation_id, p.document FROM profiles p JOIN organisations o ON o.id = p.organisation_id \
         WHERE o.naf_code LIKE $1 ORDER BY p.updated_at DESC, p.organisation_id LIMIT $2",
    )
    .bind(format!("{division}.%"))
    .bind(limit)
    .fetch_all(conn)
    .await?;
    rows.iter().map(|r| Ok((r.try_get(0)?, r.try_get(1)?))).collect()
}

/// Profiles that carry at least one expiry date, by organisation id, after `after`: the ones a
/// passing day may change in the directory (an expired credential leaves the facets).
pub async fn profiles_with_expiries(conn: &mut Conn, after: i64, limit: i64) -> Result<Vec<(i64, String)>> {
    // The documents are compact serde JSON, so a dated credential always reads exactly so.
    let rows = sqlx::query(
        "SELECT organisation_id, document FROM profiles \
         WHERE organisation_id > $1 AND document LIKE '%\"expires_on\":\"%' ORDER BY organisation_id LIMIT $2",
    )
    .bind(after)
    .bind(limit)
    .fetch_all(conn)
    .await?;
    rows.iter().map(|r| Ok((r.try_get(0)?, r.try_get(1)?))).collect()
}
