//! The SQLite FTS5 baseline of the benchmark: the same profiles in an FTS5 table (bm25 with the
//! same field weights), facets counted by GROUP BY over the same match set, top 10 with snippets.

use std::collections::HashMap;
use std::path::Path;

use sqlx::sqlite::{SqliteConnectOptions, SqliteConnection, SqliteJournalMode, SqliteSynchronous};
use sqlx::{Connection, QueryBuilder, Row, Sqlite};

use crate::document::{ProfileDoc, Visibility};
use crate::facets::Facet;
use crate::workload::BenchQuery;

/// Rows per multi-row INSERT: amortises the per-statement cost, well under SQLite's 32,766
/// bound variables.
const BATCH: usize = 500;
/// Results per page, as in Passerelle's run.
pub const PAGE: i64 = 10;

pub struct Fts5 {
    connection: SqliteConnection,
}

/// The seven text columns, in the order of the bm25 weights below.
struct Columns {
    name: String,
    capabilities: [String; 2],
    offers: [String; 2],
    presentation: [String; 2],
}

fn slot(visibility: Visibility) -> usize {
    match visibility {
        Visibility::Public => 0,
        Visibility::Members => 1,
    }
}

fn push_line(text: &mut String, line: &str) {
    if !line.is_empty() {
        if !text.is_empty() {
            text.push('\n');
        }
        text.push_str(line);
    }
}

fn columns(profile: &ProfileDoc) -> Columns {
    let mut columns = Columns {
        name: profile.name.clone(),
        capabilities: Default::default(),
        offers: Default::default(),
        presentation: Default::default(),
    };
    let terms = &mut columns.capabilities[slot(profile.capability_terms.visibility)];
    for term in &profile.capability_terms.value {
        push_line(terms, term);
    }
    push_line(
        &mut columns.capabilities[slot(profile.capabilities_text.visibility)],
        &profile.capabilities_text.value,
    );
    for offer in &profile.offers {
        let text = &mut columns.offers[slot(offer.visibility)];
        push_line(text, &offer.title);
        push_line(text, &offer.description);
    }
    push_line(
        &mut columns.presentation[slot(profile.presentation.visibility)],
        &profile.presentation.value,
    );
    columns
}

/// Same weights as Passerelle's field boosts: name 3, capabilities 2, offers 1.5, prose 1.
const BM25: &str = "bm25(fts, 3.0, 2.0, 1.5, 1.0, 2.0, 1.5, 1.0)";

impl Fts5 {
    /// A fresh database file at `path`, tuned for a bulk load and reads (no journal, no sync,
    /// a 1 GiB page cache, memory-mapped I/O).
    pub async fn create(path: &Path) -> sqlx::Result<Self> {
        let _ = std::fs::remove_file(path);
        let options = SqliteConnectOptions::new()
            .filename(path)
            .create_if_missing(true)
            .journal_mode(SqliteJournalMode::Off)
            .synchronous(SqliteSynchronous::Off)
            .pragma("cache_size", "-1048576")
            .pragma("temp_store", "memory")
            .pragma("mmap_size", "17179869184")
            .statement_cache_capacity(256);
        let mut connection = SqliteConnection::connect_with(&options).await?;
        for statement in [
            "CREATE TABLE profiles (id INTEGER PRIMARY KEY, name TEXT NOT NULL, naf TEXT NOT NULL, \
             naf_section TEXT NOT NULL, naf_division TEXT NOT NULL, region TEXT NOT NULL, \
             department TEXT NOT NULL, size TEXT NOT NULL)",
            "CREATE TABLE profile_values (profile_id INTEGER NOT NULL, facet TEXT NOT NULL, \
             value TEXT NOT NULL)",
            "CREATE VIRTUAL TABLE fts USING fts5(name, capabilities_public, offers_public, \
             presentation_public, capabilities_members, offers_members, presentation_members, \
             tokenize = 'unicode61 remove_diacritics 2', prefix = '2 3 4')",
            "CREATE TEMP TABLE matches (id INTEGER PRIMARY KEY, score REAL NOT NULL)",
        ] {
            sqlx::query(statement).execute(&mut connection).await?;
        }
        Ok(Fts5 { connection })
    }

    /// Loads every profile in one transaction, then builds the secondary indexes and merges
    /// the FTS5 segments (the counterpart of Passerelle's single commit and merges).
    pub async fn load(&mut self, profiles: &[ProfileDoc]) -> sqlx::Result<()> {
        let mut transaction = self.connection.begin().await?;
        for batch in profiles.chunks(BATCH) {
            let mut insert: QueryBuilder<Sqlite> = QueryBuilder::new(
                "INSERT INTO profiles (id, name, naf, naf_section, naf_division, region, \
                 department, size) ",
            );
            insert.push_values(batch, |mut row, p| {
                row.push_bind(p.org_id)
                    .push_bind(p.name.as_str())
                    .push_bind(p.naf.as_str())
                    .push_bind(p.naf.section().to_string())
                    .push_bind(p.naf.division())
                    .push_bind(p.region.as_str())
                    .push_bind(p.department.as_str())
                    .push_bind(p.size.map_or("", |s| s.as_str()));
            });
            insert.build().execute(&mut *transaction).await?;

            let values: Vec<(i64, &str, String)> = batch
                .iter()
                .flat_map(|p| {
                    let id = p.org_id;
                    p.certifications
                        .iter()
                        .map(move |c| (id, Facet::Certification.as_str(), c.clone()))
                        .chain(
                            p.labels
                                .iter()
                                .map(move |l| (id, Facet::Label.as_str(), l.clone())),
                        )
                        .chain(
                            p.clusters
                                .iter()
                                .map(move |c| (id, Facet::Cluster.as_str(), c.to_string())),
                        )
                })
                .collect();
            for chunk in values.chunks(BATCH * 2) {
                let mut insert: QueryBuilder<Sqlite> =
                    QueryBuilder::new("INSERT INTO profile_values (profile_id, facet, value) ");
                insert.push_values(chunk, |mut row, (id, facet, value)| {
                    row.push_bind(*id).push_bind(*facet).push_bind(value.as_str());
                });
                insert.build().execute(&mut *transaction).await?;
            }

            let texts: Vec<(i64, Columns)> = batch.iter().map(|p| (p.org_id, columns(p))).collect();
            let mut insert: QueryBuilder<Sqlite> = QueryBuilder::new(
                "INSERT INTO fts (rowid, name, capabilities_public, offers_public, \
                 presentation_public, capabilities_members, offers_members, presentation_members) ",
            );
            insert.push_values(&texts, |mut row, (id, c)| {
                row.push_bind(*id)
                    .push_bind(c.name.as_str())
                    .push_bind(c.capabilities[0].as_str())
                    .push_bind(c.offers[0].as_str())
                    .push_bind(c.presentation[0].as_str())
                    .push_bind(c.capabilities[1].as_str())
                    .push_bind(c.offers[1].as_str())
                    .push_bind(c.presentation[1].as_str());
            });
            insert.build().execute(&mut *transaction).await?;
        }
        for statement in [
            "CREATE INDEX profile_values_by_profile ON profile_values (profile_id)",
            "CREATE INDEX profile_values_by_value ON profile_values (facet, value, profile_id)",
            "CREATE INDEX profiles_by_region ON profiles (region)",
            "INSERT INTO fts (fts) VALUES ('optimize')",
        ] {
            sqlx::query(statement).execute(&mut *transaction).await?;
        }
        transaction.commit().await?;
        sqlx::query("ANALYZE").execute(&mut self.connection).await?;
        Ok(())
    }

    /// Runs one query the way the directory page would: match set into a temporary table,
    /// its size, the top page with snippets, and the seven facets counted over it.
    /// Returns the total and the number of hits on the page.
    pub async fn search(&mut self, query: &BenchQuery) -> sqlx::Result<(u64, usize)> {
        let connection = &mut self.connection;
        sqlx::query("DELETE FROM matches")
            .execute(&mut *connection)
            .await?;
        let mut expression = query.fts5_match(true);
        let mut total = fill_matches(connection, query, expression.as_deref()).await?;
        if total == 0 && query.clauses.len() > 1 {
            // As in Passerelle: nothing matched every word, so fall back to any word.
            expression = query.fts5_match(false);
            total = fill_matches(connection, query, expression.as_deref()).await?;
        }

        // CROSS JOIN fixes the join order: SQLite's planner, without statistics on the temporary
        // table, otherwise scans the whole profiles table and probes the matches.
        let top = sqlx::query(
            "SELECT m.id, p.name, p.naf, p.region FROM \
             (SELECT id, score FROM matches ORDER BY score, id LIMIT ?) m \
             CROSS JOIN profiles p ON p.id = m.id ORDER BY m.score, m.id",
        )
        .bind(PAGE)
        .fetch_all(&mut *connection)
        .await?;
        let ids: Vec<i64> = top.iter().map(|row| row.get::<i64, _>(0)).collect();
        if let (Some(expression), false) = (&expression, ids.is_empty()) {
            let mut snippets: QueryBuilder<Sqlite> = QueryBuilder::new(
                "SELECT rowid, snippet(fts, -1, '<mark>', '</mark>', '…', 24) FROM fts \
                 WHERE fts MATCH ",
            );
            snippets.push_bind(expression.as_str()).push(" AND rowid IN (");
            let mut separated = snippets.separated(", ");
            for id in &ids {
                separated.push_bind(*id);
            }
            snippets.push(")");
            snippets.build().fetch_all(&mut *connection).await?;
        }

        // The four single-valued facets in one pass over the match set, summed per facet here.
        let combinations = sqlx::query(
            "SELECT p.naf_section, p.naf_division, p.region, p.size, count(*) FROM matches m \
             CROSS JOIN profiles p ON p.id = m.id GROUP BY 1, 2, 3, 4",
        )
        .fetch_all(&mut *connection)
        .await?;
        let mut single: [HashMap<String, i64>; 4] = Default::default();
        for row in &combinations {
            let count: i64 = row.get(4);
            for (column, counts) in single.iter_mut().enumerate() {
                *counts.entry(row.get::<String, _>(column)).or_insert(0) += count;
            }
        }
        sqlx::query(
            "SELECT v.facet, v.value, count(*) FROM matches m \
             CROSS JOIN profile_values v ON v.profile_id = m.id GROUP BY v.facet, v.value",
        )
        .fetch_all(&mut *connection)
        .await?;
        Ok((total, ids.len()))
    }
}

/// Fills `matches` with the match set (bm25 scores, lower is better) and returns its size.
async fn fill_matches(
    connection: &mut SqliteConnection,
    query: &BenchQuery,
    expression: Option<&str>,
) -> sqlx::Result<u64> {
    let mut insert: QueryBuilder<Sqlite> = QueryBuilder::new("INSERT INTO matches (id, score) ");
    match expression {
        Some(expression) if query.filters.is_empty() => {
            insert.push(format!("SELECT rowid, {BM25} FROM fts WHERE fts MATCH "));
            insert.push_bind(expression);
        }
        Some(expression) => {
            insert.push(format!(
                "SELECT fts.rowid, {BM25} FROM fts CROSS JOIN profiles p ON p.id = fts.rowid \
                 WHERE fts MATCH "
            ));
            insert.push_bind(expression);
        }
        None => {
            insert.push("SELECT p.id, 0 FROM profiles p WHERE 1");
        }
    }
    for (facet, values) in query.filters.iter() {
        let column = match facet {
            Facet::NafSection => Some("p.naf_section"),
            Facet::NafDivision => Some("p.naf_division"),
            Facet::Region => Some("p.region"),
            Facet::Department => Some("p.department"),
            Facet::Size => Some("p.size"),
            Facet::Certification | Facet::Label | Facet::Cluster => None,
        };
        match column {
            Some(column) => {
                insert.push(format!(" AND {column} IN ("));
            }
            None => {
                insert.push(
                    " AND EXISTS (SELECT 1 FROM profile_values v WHERE v.profile_id = p.id \
                     AND v.facet = ",
                );
                insert.push_bind(facet.as_str()).push(" AND v.value IN (");
            }
        }
        let mut separated = insert.separated(", ");
        for value in values {
            separated.push_bind(value.as_str());
        }
        insert.push(if column.is_some() { ")" } else { "))" });
    }
    let done = insert.build().execute(&mut *connection).await?;
    Ok(done.rows_affected())
}
