//! Organisations of the registry: create, update, read, and the paginated member listing
//! with search-as-you-type on an accent-folded name key.

use crate::records::{Organisation, OrganisationFields, Page};
use crate::{Conn, Result, now_ms};
use domain::text::search_key;
use sqlx::Row;

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

type AnyQuery<'q> = sqlx::query::Query<'q, sqlx::Any, sqlx::any::AnyArguments>;

/// Binds the organisation's fields as parameters $2…$17, in the column order insert and update share.
fn bind_fields<'q>(query: AnyQuery<'q>, fields: &'q OrganisationFields) -> AnyQuery<'q> {
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
    let row = bind_fields(query, fields).fetch_one(conn).await?;
    Ok(row.try_get(0)?)
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
    let done = bind_fields(query, fields).bind(now_ms()).execute(conn).await?;
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

#[cfg(test)]
mod tests {
    use super::contains_pattern;

    #[test]
    fn user_typed_wildcards_never_reach_the_pattern() {
        assert_eq!(contains_pattern("Mécanique"), "%mecanique%");
        assert_eq!(contains_pattern("50%_x"), "%50 x%");
        assert_eq!(contains_pattern("a_b"), "%a b%");
    }
}
