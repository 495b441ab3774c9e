//! Saved directory searches: kept as the pairs of the directory's query-string form, re-run from
//! a link, and optionally followed by e-mail alerts (see `alerts`).

use domain::policy::Actor;
use serde::Serialize;
use store::StoreError;
use store::saved_searches as stored;

use super::{name, owner};
use crate::audit::Entry;
use crate::directory::DirectoryQuery;
use crate::directory::search::MAX_QUERY_CHARS;
use crate::{App, AppError, Result};

/// Saved searches one person may keep.
pub const MAX_SAVED_SEARCHES: i64 = 50;
/// Filters one saved search may hold.
pub use crate::directory::search::MAX_FILTERS;
/// Matches recorded as already seen when a search is saved, and scanned by each alert run.
pub const MATCHES_FOLLOWED: usize = 500;

/// A saved search as its owner sees it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct SavedSearch {
    pub id: i64,
    pub name: String,
    pub query: DirectoryQuery,
    pub alerts: bool,
    /// Unix milliseconds of the last alert e-mailed.
    pub last_alert_at: Option<i64>,
    pub created_at: i64,
}

impl SavedSearch {
    /// The search as the directory page reads it (`q=…&f=…`), without a page.
    pub fn query_string(&self) -> String {
        query_string(&self.query)
    }
}

/// `q=…&f=facet:value…` for a query; an empty text is left out.
pub fn query_string(query: &DirectoryQuery) -> String {
    let mut out = url::form_urlencoded::Serializer::new(String::new());
    for (key, value) in query.to_pairs() {
        if !(key == "q" && value.is_empty()) {
            out.append_pair(&key, &value);
        }
    }
    out.finish()
}

/// Reads a search in the directory's query-string form (`q=usinage&f=region%3A76`) as a form or an
/// API body sends it: a leading `?`, or a whole `…/directory?…` address pasted, is accepted too.
/// A refusal names the `query` field, with the offending part.
pub fn parse_query_string(input: &str) -> Result<DirectoryQuery> {
    let input = input.trim();
    let input = input.split_once('?').map_or(input, |(_, query)| query);
    let pairs: Vec<(String, String)> = url::form_urlencoded::parse(input.as_bytes())
        .into_owned()
        .collect();
    DirectoryQuery::from_pairs(pairs.iter().map(|(k, v)| (k.as_str(), v.as_str()))).map_err(|error| {
        match error {
            AppError::Invalid(errors) => AppError::Invalid(
                errors
                    .into_iter()
                    .map(|e| crate::FieldError::new("query", e.message))
                    .collect(),
            ),
            other => other,
        }
    })
}

/// How a query is stored: the JSON of its pairs, the same form the page and the API speak.
fn to_json(query: &DirectoryQuery) -> Result<String> {
    serde_json::to_string(&query.to_pairs()).map_err(|e| AppError::Internal(e.to_string()))
}

/// Reads a stored query back; a row that no longer parses (a facet since removed) is an error
/// the caller reports rather than a search silently widened.
pub(crate) fn from_json(json: &str) -> Result<DirectoryQuery> {
    let pairs: Vec<(String, String)> = serde_json::from_str(json)
        .map_err(|e| AppError::Internal(format!("stored search unreadable: {e}")))?;
    DirectoryQuery::from_pairs(pairs.iter().map(|(k, v)| (k.as_str(), v.as_str())))
}

fn view(row: stored::SavedSearch) -> Result<SavedSearch> {
    Ok(SavedSearch {
        query: from_json(&row.query_json)?,
        id: row.id,
        name: row.name,
        alerts: row.alerts,
        last_alert_at: row.last_alert_at,
        created_at: row.created_at,
    })
}

/// What may be saved of a query: its text and filters, within bounds.
fn check_query(query: &DirectoryQuery) -> Result<DirectoryQuery> {
    let chars = query.text.chars().count();
    if chars > MAX_QUERY_CHARS {
        return Err(AppError::invalid(
            "query",
            format!("the search text has {chars} characters; at most {MAX_QUERY_CHARS} can be saved"),
        ));
    }
    if query.filters.len() > MAX_FILTERS {
        return Err(AppError::invalid(
            "query",
            format!("at most {MAX_FILTERS} filters can be saved with a search"),
        ));
    }
    Ok(DirectoryQuery {
        text: query.text.trim().to_owned(),
        filters: query.filters.clone(),
        ..DirectoryQuery::text("")
    })
}

impl App {
    /// Saves a directory search under a name. Its current matches are recorded as seen, so that
    /// the first alert names only organisations that match later.
    #[tracing::instrument(skip(self, actor, query))]
    pub async fn save_search(
        &self,
        actor: &Actor,
        name_input: &str,
        query: &DirectoryQuery,
        alerts: bool,
    ) -> Result<SavedSearch> {
        let person_id = owner(actor)?;
        let name = name(name_input)?;
        let query = check_query(query)?;
        let query_json = to_json(&query)?;
        let current: Vec<i64> = self
            .member_matches(&query, MATCHES_FOLLOWED)
            .await?
            .iter()
            .map(|hit| hit.org_id)
            .collect();
        let mut tx = self.store.begin().await?;
        // Counted under the owner's lock: two saves at once cannot both pass the limit.
        store::people::serialize_on(&mut tx, person_id).await?;
        if stored::count(&mut tx, person_id).await? >= MAX_SAVED_SEARCHES {
            return Err(AppError::invalid(
                "name",
                format!(
                    "you already keep {MAX_SAVED_SEARCHES} saved searches, the most allowed; delete one first"
                ),
            ));
        }
        let id = stored::insert(&mut tx, person_id, &name, &query_json, alerts).await?;
        stored::mark_seen(&mut tx, id, &current).await?;
        let row = stored::get(&mut tx, person_id, id)
            .await?
            .ok_or(AppError::NotFound("saved search"))?;
        Entry::by(actor, "create", "saved_search", id)
            .after(&row)
            .write(&mut tx)
            .await?;
        tx.commit().await.map_err(StoreError::from)?;
        view(row)
    }

    /// The person's saved searches, newest first.
    pub async fn saved_searches(&self, actor: &Actor) -> Result<Vec<SavedSearch>> {
        let person_id = owner(actor)?;
        let mut conn = self.store.conn().await?;
        stored::list(&mut conn, person_id)
            .await?
            .into_iter()
            .map(view)
            .collect()
    }

    pub async fn saved_search(&self, actor: &Actor, id: i64) -> Result<SavedSearch> {
        let person_id = owner(actor)?;
        let mut conn = self.store.conn().await?;
        let row = stored::get(&mut conn, person_id, id)
            .await?
            .ok_or(AppError::NotFound("saved search"))?;
        view(row)
    }

    #[tracing::instrument(skip(self, actor))]
    pub async fn delete_saved_search(&self, actor: &Actor, id: i64) -> Result<()> {
        let person_id = owner(actor)?;
        let mut tx = self.store.begin().await?;
        let row = stored::get(&mut tx, person_id, id)
            .await?
            .ok_or(AppError::NotFound("saved search"))?;
        stored::delete(&mut tx, person_id, id).await?;
        Entry::by(actor, "delete", "saved_search", id)
            .before(&row)
            .write(&mut tx)
            .await?;
        tx.commit().await.map_err(StoreError::from)?;
        Ok(())
    }

    /// Turns the e-mail alerts of a saved search on or off.
    #[tracing::instrument(skip(self, actor))]
    pub async fn set_search_alerts(&self, actor: &Actor, id: i64, alerts: bool) -> Result<SavedSearch> {
        let person_id = owner(actor)?;
        let mut tx = self.store.begin().await?;
        let before = stored::get(&mut tx, person_id, id)
            .await?
            .ok_or(AppError::NotFound("saved search"))?;
        stored::set_alerts(&mut tx, person_id, id, alerts).await?;
        let after = stored::get(&mut tx, person_id, id)
            .await?
            .ok_or(AppError::NotFound("saved search"))?;
        Entry::by(actor, "update", "saved_search", id)
            .before(&before)
            .after(&after)
            .write(&mut tx)
            .await?;
        tx.commit().await.map_err(StoreError::from)?;
        view(after)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_saved_query_keeps_text_and_filters_but_not_the_page() {
        let query =
            DirectoryQuery::from_pairs([("q", " usinage titane "), ("f", "region:76"), ("page", "3")])
                .unwrap();
        let kept = check_query(&query).unwrap();
        assert_eq!(kept.text, "usinage titane");
        assert_eq!(kept.page, 1);
        let json = to_json(&kept).unwrap();
        assert_eq!(json, r#"[["q","usinage titane"],["f","region:76"]]"#);
        assert_eq!(from_json(&json).unwrap(), kept);
        assert_eq!(query_string(&kept), "q=usinage+titane&f=region%3A76");
        assert_eq!(query_string(&DirectoryQuery::text("")), "");
    }

    #[test]
    fn the_query_string_is_read_as_typed_or_pasted() {
        let query = parse_query_string("q=usinage&f=region%3A76").unwrap();
        assert_eq!(query.text, "usinage");
        assert_eq!(query.filters, vec![(search::Facet::Region, "76".to_owned())]);
        let pasted =
            parse_query_string("https://p.example/directory?q=usinage+titane&f=size:sme&page=2").unwrap();
        assert_eq!(pasted.text, "usinage titane");
        assert_eq!(pasted.filters.len(), 1);
        assert_eq!(parse_query_string("").unwrap(), DirectoryQuery::text(""));
        match parse_query_string("f=colour:blue") {
            Err(AppError::Invalid(errors)) => {
                assert_eq!(errors[0].field, "query");
                assert!(errors[0].message.contains("colour:blue"), "{errors:?}");
            }
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn over_long_texts_are_refused_not_cut() {
        let query = DirectoryQuery::text("a".repeat(MAX_QUERY_CHARS + 1));
        let refused = check_query(&query).unwrap_err();
        assert!(refused.to_string().contains("at most"), "{refused}");
    }
}
