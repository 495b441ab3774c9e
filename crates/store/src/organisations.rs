//! Organisations of the registry: create, update, read, and the paginated member listing
//! with search-as-you-type on an accent-folded name key.

use crate::dialect::{Params, ROWS_PER_STATEMENT};
use crate::records::{Organisation, OrganisationFields, Page};
use crate::{Conn, Result, now_ms};
use domain::text::search_key;
use sqlx::{AssertSqlSafe, Row};
use std::collections::HashMap;

/// Prefixes the organisation columns so every read decodes into the same record.
macro_rules! select_organisation {
    ($rest:literal) => {
        concat!(
            "SELECT o.id, o.legal_name, o.kind, o.siren, o.siret, o.naf_code, o.address_line, o.postcode, \
             o.commune_code, o.department_code, o.region_code, o.headcount, o.turnover_eur, \
             o.balance_sheet_eur, o.size, o.website, o.created_at, o.updated_at FROM organisations o ",
            $rest
        )
    };
}
pub(crate) use select_organisation;

/// Binds the organisation's fields as parameters $2…$17, in the column order insert and update share.
fn bind_fields<'q>(query: crate::AnyQuery<'q>, fields: &'q OrganisationFields) -> crate::AnyQuery<'q> {
    query
        .bind(&fields.legal_name)
        .bind(search_key(&fields.legal_name))
        .bind(&fields.kind)
        .bind(&fields.siren)
        .bind(&fields.siret)
        .bind(&fields.naf_code)
        .bind(&fields.address_line)
        .bind(&fields.postcode)
        .bind(&fields.commune_code)
        .bind(&fields.department_code)
        .bind(&fields.region_code)
        .bind(fields.headcount)
        .bind(fields.turnover_eur)
        .bind(fields.balance_sheet_eur)
        .bind(&fields.size)
        .bind(&fields.website)
}

pub async fn insert(conn: &mut Conn, fields: &OrganisationFields) -> Result<i64> {
    // $1 is the creation instant so that the fields keep the same numbers as in `update`.
    let query = sqlx::query(
        "INSERT INTO organisations (created_at, updated_at, legal_name, name_key, kind, siren, siret, naf_code, \
         address_line, postcode, commune_code, department_code, region_code, headcount, turnover_eur, \
         balance_sheet_eur, size, website) \
         VALUES ($1, $1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17) RETURNING id",
    )
    .bind(now_ms());
    let row = bind_fields(query, fields).fetch_one(&mut *conn).await?;
    let id = row.try_get(0)?;
    crate::directory::touch(conn, &[id]).await?;
    Ok(id)
}

/// Replaces every field; returns false when the organisation does not exist.
pub async fn update(conn: &mut Conn, id: i64, fields: &OrganisationFields) -> Result<bool> {
    let query = sqlx::query(
        "UPDATE organisations SET legal_name = $2, name_key = $3, kind = $4, siren = $5, siret = $6, naf_code = $7, \
         address_line = $8, postcode = $9, commune_code = $10, department_code = $11, region_code = $12, \
         headcount = $13, turnover_eur = $14, balance_sheet_eur = $15, size = $16, website = $17, updated_at = $18 \
         WHERE id = $1",
    )
    .bind(id);
    let done = bind_fields(query, fields)
        .bind(now_ms())
        .execute(&mut *conn)
        .await?;
    if done.rows_affected() == 1 {
        crate::directory::touch(conn, &[id]).await?;
    }
    Ok(done.rows_affected() == 1)
}

pub async fn get(conn: &mut Conn, id: i64) -> Result<Option<Organisation>> {
    Ok(sqlx::query_as(select_organisation!("WHERE o.id = $1"))
        .bind(id)
        .fetch_optional(conn)
        .await?)
}

pub async fn by_siret(conn: &mut Conn, siret: &str) -> Result<Option<Organisation>> {
    Ok(sqlx::query_as(select_organisation!("WHERE o.siret = $1"))
        .bind(siret)
        .fetch_optional(conn)
        .await?)
}

/// The search key keeps only letters, digits and single spaces, so user input can never carry a
/// LIKE wildcard into the pattern.
fn contains_pattern(query: &str) -> String {
    format!("%{}%", search_key(query))
}

/// Members of a cluster whose name contains `query` (accents and case ignored), by name.
pub async fn list_members(
    conn: &mut Conn,
    cluster_id: i64,
    query: &str,
    offset: i64,
    limit: i64,
) -> Result<Page<Organisation>> {
    let pattern = contains_pattern(query);
    let total: i64 = sqlx::query_scalar(
        "SELECT COUNT(*) FROM organisations o JOIN memberships m ON m.organisation_id = o.id \
         WHERE m.cluster_id = $1 AND m.left_at IS NULL AND o.name_key LIKE $2",
    )
    .bind(cluster_id)
    .bind(&pattern)
    .fetch_one(&mut *conn)
    .await?;
    let items = sqlx::query_as(select_organisation!(
        "JOIN memberships m ON m.organisation_id = o.id \
         WHERE m.cluster_id = $1 AND m.left_at IS NULL AND o.name_key LIKE $2 ORDER BY o.name_key, o.id LIMIT $3 OFFSET $4"
    ))
    .bind(cluster_id)
    .bind(&pattern)
    .bind(limit)
    .bind(offset)
    .fetch_all(conn)
    .await?;
    Ok(Page {
        items,
        total,
        offset,
        limit,
    })
}

pub async fn count(conn: &mut Conn) -> Result<i64> {
    Ok(sqlx::query_scalar("SELECT COUNT(*) FROM organisations")
        .fetch_one(conn)
        .await?)
}

/// What a bulk upsert did with one row.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Upsert {
    Created,
    Updated,
    /// The merged fields equal the stored ones: nothing was written.
    Unchanged,
}

/// One row's organisation and what became of it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Upserted {
    pub id: i64,
    pub outcome: Upsert,
}

/// Who a bulk write names as the author of each change in the audit trail, and under which action.
#[derive(Debug, Clone, Copy)]
pub struct AuditAs<'a> {
    pub actor_person_id: Option<i64>,
    pub action: &'a str,
}

/// Creates or updates organisations keyed on SIRET, in bulk, and returns what became of each row,
/// in order. `merge(stored, incoming)` gives the fields to keep for an organisation that already
/// exists (the caller decides which fields the incoming data owns); when they equal the stored ones
/// the row is `Unchanged` and nothing is written. A SIRET given twice applies in order: the second
/// row merges onto the first. Each created or updated organisation gets an audit entry.
///
/// Meant to run inside the caller's transaction: on PostgreSQL a concurrent writer may still insert
/// one of the SIRETs between the read and the write, which fails the statement as a duplicate.
pub async fn upsert_by_siret<F>(
    conn: &mut Conn,
    rows: &[OrganisationFields],
    merge: F,
    audit: AuditAs<'_>,
) -> Result<Vec<Upserted>>
where
    F: Fn(&OrganisationFields, &OrganisationFields) -> OrganisationFields,
{
    struct Pending {
        id: Option<i64>,
        before: Option<Organisation>,
        current: OrganisationFields,
    }
    if Params::of(conn) == Params::Positional {
        // SQLite's default page cache (2 MiB) is far smaller than what one bulk transaction dirties
        // once the registry is large (random SIRETs and names touch most index pages): it would
        // spill pages mid-transaction and read them back. This connection gets 64 MiB, for good.
        sqlx::query("PRAGMA cache_size = -65536")
            .execute(&mut *conn)
            .await?;
    }
    let now = now_ms();
    let mut stored = by_sirets(&mut *conn, rows.iter().map(|r| r.siret.as_str())).await?;
    let mut pending: HashMap<&str, Pending> = HashMap::with_capacity(rows.len());
    // First appearances, so that inserts happen (and ids are given) in the caller's order.
    let mut order: Vec<&str> = Vec::with_capacity(rows.len());
    let mut outcomes: Vec<Upsert> = Vec::with_capacity(rows.len());
    for row in rows {
        let siret = row.siret.as_str();
        let outcome = if let Some(p) = pending.get_mut(siret) {
            let merged = merge(&p.current, row);
            let outcome = if merged == p.current {
                Upsert::Unchanged
            } else {
                Upsert::Updated
            };
            p.current = merged;
            outcome
        } else {
            order.push(siret);
            let (outcome, entry) = match stored.remove(siret) {
                Some(org) => {
                    let merged = merge(&org.fields, row);
                    let outcome = if merged == org.fields {
                        Upsert::Unchanged
                    } else {
                        Upsert::Updated
                    };
                    let entry = Pending {
                        id: Some(org.id),
                        current: merged,
                        before: Some(org),
                    };
                    (outcome, entry)
                }
                None => (
                    Upsert::Created,
                    Pending {
                        id: None,
                        before: None,
                        current: row.clone(),
                    },
                ),
            };
            pending.insert(siret, entry);
            outcome
        };
        outcomes.push(outcome);
    }

    let mut new: Vec<&OrganisationFields> = order
        .iter()
        .map(|s| &pending[s])
        .filter(|p| p.id.is_none())
        .map(|p| &p.current)
        .collect();
    // In SIRET order, neighbouring rows land on the same pages of the SIRET index.
    new.sort_unstable_by(|a, b| a.siret.cmp(&b.siret));
    let created = insert_many(&mut *conn, &new, now).await?;
    let changed: Vec<(i64, &OrganisationFields)> = order
        .iter()
        .map(|s| &pending[s])
        .filter_map(|p| match (&p.before, p.id) {
            (Some(before), Some(id)) if before.fields != p.current => Some((id, &p.current)),
            _ => None,
        })
        .collect();
    update_many(&mut *conn, &changed, now).await?;

    let mut entries = Vec::with_capacity(new.len() + changed.len());
    for siret in &order {
        let p = &pending[siret];
        let (id, before, created_at) = match (&p.before, p.id) {
            (None, _) => (created[*siret], None, now),
            (Some(before), Some(id)) if before.fields != p.current => (id, Some(before), before.created_at),
            _ => continue,
        };
        let after = Organisation {
            id,
            fields: p.current.clone(),
            created_at,
            updated_at: now,
        };
        entries.push(AuditRow {
            entity_id: id,
            before: before.map(json),
            after: Some(json(&after)),
        });
    }
    insert_audit_rows(&mut *conn, audit, "organisation", &entries, now).await?;
    let touched: Vec<i64> = entries.iter().map(|e| e.entity_id).collect();
    crate::directory::touch(&mut *conn, &touched).await?;

    Ok(rows
        .iter()
        .zip(outcomes)
        .map(|(row, outcome)| {
            let p = &pending[row.siret.as_str()];
            let id = p.id.unwrap_or_else(|| created[row.siret.as_str()]);
            Upserted { id, outcome }
        })
        .collect())
}

/// Bulk form of [`crate::clusters::add_member`]: makes every organisation a current member of the
/// cluster (re-admitting former members) and returns those that were not, each with an audit entry.
pub async fn join_cluster(
    conn: &mut Conn,
    cluster_id: i64,
    organisation_ids: &[i64],
    audit: AuditAs<'_>,
) -> Result<Vec<i64>> {
    let now = now_ms();
    let mut unique = organisation_ids.to_vec();
    unique.sort_unstable();
    unique.dedup();
    let mut joined = Vec::new();
    for chunk in unique.chunks(ROWS_PER_STATEMENT) {
        let sql = format!(
            "INSERT INTO memberships (cluster_id, organisation_id, joined_at) VALUES {} \
             ON CONFLICT (cluster_id, organisation_id) DO UPDATE SET joined_at = excluded.joined_at, left_at = NULL \
             WHERE memberships.left_at IS NOT NULL RETURNING organisation_id",
            Params::of(conn).rows(chunk.len(), 3)
        );
        let mut query = sqlx::query_scalar(AssertSqlSafe(sql));
        for id in chunk {
            query = query.bind(cluster_id).bind(*id).bind(now);
        }
        let ids: Vec<i64> = query.fetch_all(&mut *conn).await?;
        joined.extend(ids);
    }
    joined.sort_unstable();
    let after = serde_json::json!({ "cluster_id": cluster_id }).to_string();
    let entries: Vec<AuditRow> = joined
        .iter()
        .map(|&id| AuditRow {
            entity_id: id,
            before: None,
            after: Some(after.clone()),
        })
        .collect();
    let audit = AuditAs {
        action: "membership_add",
        ..audit
    };
    insert_audit_rows(&mut *conn, audit, "organisation", &entries, now).await?;
    crate::directory::touch(conn, &joined).await?;
    Ok(joined)
}

/// The stored organisations among these SIRETs, by SIRET.
async fn by_sirets<'s>(
    conn: &mut Conn,
    sirets: impl Iterator<Item = &'s str>,
) -> Result<HashMap<String, Organisation>> {
    let mut unique: Vec<&str> = sirets.collect();
    unique.sort_unstable();
    unique.dedup();
    let mut found = HashMap::new();
    for chunk in unique.chunks(ROWS_PER_STATEMENT) {
        let sql = format!(
            "{} WHERE o.siret IN ({})",
            select_organisation!(""),
            Params::of(conn).list(chunk.len())
        );
        let mut query = sqlx::query_as::<_, Organisation>(AssertSqlSafe(sql))
            .persistent(Params::of(conn).may_cache_plans());
        for siret in chunk {
            query = query.bind(*siret);
        }
        for org in query.fetch_all(&mut *conn).await? {
            found.insert(org.fields.siret.clone(), org);
        }
    }
    Ok(found)
}

/// Inserts new organisations; returns their ids by SIRET (RETURNING promises no row order).
async fn insert_many(
    conn: &mut Conn,
    rows: &[&OrganisationFields],
    now: i64,
) -> Result<HashMap<String, i64>> {
    let mut ids = HashMap::with_capacity(rows.len());
    for chunk in rows.chunks(ROWS_PER_STATEMENT) {
        let sql = format!(
            "INSERT INTO organisations (created_at, legal_name, name_key, kind, siren, siret, naf_code, \
             address_line, postcode, commune_code, department_code, region_code, headcount, turnover_eur, \
             balance_sheet_eur, size, website, updated_at) VALUES {} RETURNING id, siret",
            Params::of(conn).rows(chunk.len(), 18)
        );
        let mut query = sqlx::query(AssertSqlSafe(sql));
        for fields in chunk {
            query = bind_fields(query.bind(now), fields).bind(now);
        }
        for row in query.fetch_all(&mut *conn).await? {
            ids.insert(row.try_get::<String, _>(1)?, row.try_get::<i64, _>(0)?);
        }
    }
    Ok(ids)
}

/// Replaces every field of existing organisations, a few hundred per statement. `VALUES` names its
/// columns column1, column2… on both SQLite and PostgreSQL, so one statement serves both.
async fn update_many(conn: &mut Conn, rows: &[(i64, &OrganisationFields)], now: i64) -> Result<()> {
    for chunk in rows.chunks(ROWS_PER_STATEMENT) {
        let sql = format!(
            "UPDATE organisations SET legal_name = v.column2, name_key = v.column3, kind = v.column4, \
             siren = v.column5, siret = v.column6, naf_code = v.column7, address_line = v.column8, \
             postcode = v.column9, commune_code = v.column10, department_code = v.column11, \
             region_code = v.column12, headcount = v.column13, turnover_eur = v.column14, \
             balance_sheet_eur = v.column15, size = v.column16, website = v.column17, updated_at = v.column18 \
             FROM (VALUES {}) AS v WHERE organisations.id = v.column1",
            Params::of(conn).rows(chunk.len(), 18)
        );
        let mut query = sqlx::query(AssertSqlSafe(sql)).persistent(Params::of(conn).may_cache_plans());
        for (id, fields) in chunk {
            query = bind_fields(query.bind(*id), fields).bind(now);
        }
        query.execute(&mut *conn).await?;
    }
    Ok(())
}

struct AuditRow {
    entity_id: i64,
    before: Option<String>,
    after: Option<String>,
}

fn json(organisation: &Organisation) -> String {
    serde_json::to_string(organisation).unwrap_or_default()
}

/// The audit entries of a bulk write, in multi-row statements (one `audit::record` per row would
/// make a million-row import spend its time in round trips).
async fn insert_audit_rows(
    conn: &mut Conn,
    audit: AuditAs<'_>,
    entity: &str,
    rows: &[AuditRow],
    now: i64,
) -> Result<()> {
    for chunk in rows.chunks(ROWS_PER_STATEMENT) {
        let sql = format!(
            "INSERT INTO audit_log (at, actor_person_id, action, entity, entity_id, before_json, after_json) VALUES {}",
            Params::of(conn).rows(chunk.len(), 7)
        );
        let mut query = sqlx::query(AssertSqlSafe(sql));
        for row in chunk {
            query = query
                .bind(now)
                .bind(audit.actor_person_id)
                .bind(audit.action)
                .bind(entity)
                .bind(row.entity_id)
                .bind(row.before.as_deref())
                .bind(row.after.as_deref());
        }
        query.execute(&mut *conn).await?;
    }
    Ok(())
}

/// Takes the organisation's row lock until the transaction ends (a no-op update, the same on
/// both backends), so that "count, then insert if under the limit" on its rows cannot race.
pub async fn serialize_on(conn: &mut Conn, id: i64) -> Result<()> {
    sqlx::query("UPDATE organisations SET id = id WHERE id = $1")
        .bind(id)
        .execute(conn)
        .await?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::contains_pattern;
    use crate::dialect::Params;

    #[test]
    fn multi_row_parameters_are_numbered_rows_then_columns_or_positional() {
        assert_eq!(Params::Numbered.rows(2, 3), "($1, $2, $3), ($4, $5, $6)");
        assert_eq!(Params::Numbered.rows(1, 1), "($1)");
        assert_eq!(Params::Numbered.rows(0, 3), "");
        assert_eq!(Params::Positional.rows(2, 2), "(?, ?), (?, ?)");
        assert_eq!(Params::Numbered.list(3), "$1, $2, $3");
        assert_eq!(Params::Positional.list(2), "?, ?");
    }

    #[test]
    fn user_typed_wildcards_never_reach_the_pattern() {
        assert_eq!(contains_pattern("Mécanique"), "%mecanique%");
        assert_eq!(contains_pattern("50%_x"), "%50 x%");
        assert_eq!(contains_pattern("a_b"), "%a b%");
    }
}
