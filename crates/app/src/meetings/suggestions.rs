//! Suggested matches: whom a participant might ask for a meeting, found by the directory's search
//! engine from what they seek, among the event's other participants they have not asked yet.
//!
//! The engine ranks organisations, not people: each hit is mapped to the participants of that
//! organisation. External guests have no directory profile and are never suggested.

use super::{own_participant, visible_event};
use crate::directory::DirectoryQuery;
use crate::{App, AppError, Result};
use domain::policy::Actor;
use search::{Facet, Hit};
use serde::Serialize;
use std::collections::{HashMap, HashSet};
use store::meetings::{self, Participant};

/// Suggestions asked for at most.
pub const MAX_SUGGESTIONS: usize = 50;
pub const DEFAULT_SUGGESTIONS: usize = 10;
/// Multiplies a candidate's score when their own "seeks" finds the viewer's organisation too.
pub const MUTUAL_BONUS: f32 = 1.5;
/// Hits per search page, the engine's maximum.
const PER_PAGE: usize = search::request::MAX_LIMIT;
/// Pages read at most to find the participants among the directory's matches.
const PAGES: usize = 3;
/// Candidates (the best first) whose own "seeks" is searched back for the viewer: one search each.
const MUTUAL_CHECKED: usize = 30;

/// A participant worth meeting, and why.
#[derive(Debug, Clone, PartialEq, Serialize, utoipa::ToSchema)]
pub struct Suggestion {
    pub participant_id: i64,
    pub name: String,
    pub organisation: String,
    /// sme, midcap, large or other.
    pub kind: String,
    /// What they offer at this event.
    pub offers: String,
    /// The engine's relevance, times 1.5 when the interest is mutual.
    pub score: f32,
    /// What they seek finds the viewer's organisation too.
    pub mutual: bool,
    /// Why: a fragment of their directory profile, HTML-escaped, matched words in `<mark>`.
    pub why_html: String,
}

impl App {
    /// Whom the actor might ask for a meeting at this event, the most relevant first: the
    /// directory searched with what they seek (or, when they seek nothing, the organisations
    /// most like their own), kept to the event's participants they have no request with, either
    /// way. Empty for someone not registered, and when the search index is not open.
    #[tracing::instrument(skip(self, actor))]
    pub async fn suggested_matches(
        &self,
        actor: &Actor,
        event_id: i64,
        limit: usize,
    ) -> Result<Vec<Suggestion>> {
        if !(1..=MAX_SUGGESTIONS).contains(&limit) {
            return Err(AppError::invalid(
                "limit",
                format!("between 1 and {MAX_SUGGESTIONS} suggestions"),
            ));
        }
        let mut conn = self.store.conn().await?;
        let event = visible_event(&mut conn, actor, event_id).await?;
        let Some(me) = own_participant(&mut conn, actor, event_id).await? else {
            return Ok(Vec::new());
        };
        if self.directory().is_err() {
            return Ok(Vec::new());
        }
        let participants = meetings::participants(&mut conn, event_id).await?;
        // Any request between the two, whatever its state: asked, answered, withdrawn, or declined
        // with "no thanks" — none of them is a suggestion any more.
        let asked: HashSet<i64> = meetings::requests_of(&mut conn, me.id)
            .await?
            .iter()
            .map(|r| {
                if r.from_participant == me.id {
                    r.to_participant
                } else {
                    r.from_participant
                }
            })
            .collect();
        drop(conn);
        let mut by_organisation: HashMap<i64, Vec<&Participant>> = HashMap::new();
        for p in &participants {
            let Some(organisation) = p.organisation_id else {
                continue;
            };
            if p.id != me.id && Some(organisation) != me.organisation_id && !asked.contains(&p.id) {
                by_organisation.entry(organisation).or_default().push(p);
            }
        }
        if by_organisation.is_empty() {
            return Ok(Vec::new());
        }
        let hits = if !me.seeks.trim().is_empty() {
            self.hits_among(actor, &me.seeks, event.cluster_id, &by_organisation)
                .await?
        } else if let Some(organisation) = me.organisation_id {
            match self
                .similar_organisations(actor, organisation, MAX_SUGGESTIONS)
                .await
            {
                Ok(hits) => hits,
                // Their organisation has no directory entry to compare with.
                Err(AppError::NotFound(_)) => Vec::new(),
                Err(error) => return Err(error),
            }
        } else {
            Vec::new()
        };
        let mut suggestions: Vec<Suggestion> = hits
            .iter()
            .filter_map(|hit| Some((hit, by_organisation.get(&hit.org_id)?)))
            .flat_map(|(hit, people)| people.iter().map(move |p| suggestion(p, hit)))
            .collect();
        if let Some(mine) = me.organisation_id {
            let mut asked_back: HashMap<String, bool> = HashMap::new();
            for s in suggestions.iter_mut().take(MUTUAL_CHECKED) {
                let Some(their_seeks) = participants
                    .iter()
                    .find(|p| p.id == s.participant_id)
                    .map(|p| p.seeks.trim().to_owned())
                    .filter(|t| !t.is_empty())
                else {
                    continue;
                };
                let mutual = match asked_back.get(&their_seeks) {
                    Some(found) => *found,
                    None => {
                        let found = self
                            .search_finds(actor, &their_seeks, event.cluster_id, mine)
                            .await?;
                        asked_back.insert(their_seeks, found);
                        found
                    }
                };
                if mutual {
                    s.mutual = true;
                    s.score *= MUTUAL_BONUS;
                }
            }
        }
        rank(&mut suggestions);
        suggestions.truncate(limit);
        Ok(suggestions)
    }

    /// Hits of a search for `text` among the cluster's members, kept to the wanted organisations.
    async fn hits_among(
        &self,
        actor: &Actor,
        text: &str,
        cluster_id: i64,
        wanted: &HashMap<i64, Vec<&Participant>>,
    ) -> Result<Vec<Hit>> {
        let mut kept: Vec<Hit> = Vec::new();
        let mut seen = HashSet::new();
        for page in 1..=PAGES {
            let results = self
                .search_directory(actor, &in_cluster(text, cluster_id, page))
                .await?;
            let last = results.hits.len() < PER_PAGE;
            for hit in results.hits {
                if wanted.contains_key(&hit.org_id) && seen.insert(hit.org_id) {
                    kept.push(hit);
                }
            }
            if last || seen.len() == wanted.len() {
                break;
            }
        }
        Ok(kept)
    }

    /// Whether a search for `text` among the cluster's members finds `organisation` on its first page.
    async fn search_finds(
        &self,
        actor: &Actor,
        text: &str,
        cluster_id: i64,
        organisation: i64,
    ) -> Result<bool> {
        let results = self
            .search_directory(actor, &in_cluster(text, cluster_id, 1))
            .await?;
        Ok(results.hits.iter().any(|h| h.org_id == organisation))
    }
}

fn in_cluster(text: &str, cluster_id: i64, page: usize) -> DirectoryQuery {
    DirectoryQuery {
        text: text.to_owned(),
        filters: vec![(Facet::Cluster, cluster_id.to_string())],
        page,
        per_page: PER_PAGE,
    }
}

fn suggestion(p: &Participant, hit: &Hit) -> Suggestion {
    Suggestion {
        participant_id: p.id,
        name: p.display_name.clone(),
        organisation: p.organisation_name.clone(),
        kind: p.kind.clone(),
        offers: p.offers.clone(),
        score: hit.score,
        mutual: false,
        why_html: hit.snippet_html.clone(),
    }
}

/// Best first; equal scores by name, so the order is stable.
fn rank(suggestions: &mut [Suggestion]) {
    suggestions.sort_by(|a, b| {
        b.score
            .total_cmp(&a.score)
            .then_with(|| a.name.cmp(&b.name))
            .then_with(|| a.participant_id.cmp(&b.participant_id))
    });
}

#[cfg(test)]
mod tests {
    use super::*;
    use store::testing::TestDatabase;

    fn named(name: &str, score: f32) -> Suggestion {
        Suggestion {
            participant_id: 0,
            name: name.into(),
            organisation: String::new(),
            kind: "sme".into(),
            offers: String::new(),
            score,
            mutual: false,
            why_html: String::new(),
        }
    }

    #[test]
    fn the_best_score_comes_first_then_names() {
        let mut list = vec![named("Zoé", 2.0), named("Ana", 3.0), named("Bo", 2.0)];
        rank(&mut list);
        let names: Vec<&str> = list.iter().map(|s| s.name.as_str()).collect();
        assert_eq!(names, ["Ana", "Bo", "Zoé"]);
    }

    async fn person(app: &App, email: &str) -> Actor {
        let mut conn = app.store.conn().await.unwrap();
        let person = store::people::by_email(&mut conn, email).await.unwrap().unwrap();
        Actor::Person(
            crate::actor::load_principal(&mut conn, person.id)
                .await
                .unwrap()
                .unwrap(),
        )
    }

    #[tokio::test]
    async fn suggestions_come_from_what_the_buyer_seeks_among_people_she_has_not_asked() {
        let db = TestDatabase::sqlite().await;
        let app = App::new(db.store.clone(), crate::AppConfig::default()).unwrap();
        let summary = app.load_demo().await.unwrap();
        let mut conn = app.store.conn().await.unwrap();
        let event = meetings::events_of_cluster(&mut conn, summary.cluster_id)
            .await
            .unwrap()
            .into_iter()
            .find(|e| e.title == crate::demo::DEMO_EVENT_TITLE)
            .unwrap();
        let buyer = person(&app, "acheteuse@grandcompte-demo.fr").await;

        // Without the search index there is nothing to suggest, and no error either.
        assert_eq!(app.suggested_matches(&buyer, event.id, 10).await.unwrap(), []);

        app.open_directory().await.unwrap();
        let found = app.suggested_matches(&buyer, event.id, 50).await.unwrap();
        assert!(!found.is_empty(), "the buyer seeks titanium machining");
        let me = own_participant(&mut conn, &buyer, event.id)
            .await
            .unwrap()
            .unwrap();
        let requests = meetings::requests_of(&mut conn, me.id).await.unwrap();
        for s in &found {
            let p = meetings::participant(&mut conn, s.participant_id)
                .await
                .unwrap()
                .unwrap();
            assert_eq!(p.event_id, event.id);
            assert_ne!(p.organisation_id, me.organisation_id, "{} is a colleague", s.name);
            assert!(
                !requests
                    .iter()
                    .any(|r| r.from_participant == p.id || r.to_participant == p.id),
                "{} was asked already",
                s.name
            );
        }
        assert!(found.windows(2).all(|w| w[0].score >= w[1].score), "best first");
        assert!(
            found.iter().any(|s| s.organisation == crate::demo::DEMO_SME),
            "the titanium SME is suggested: {found:?}"
        );
        assert!(
            found.iter().any(|s| s.why_html.contains("<mark>")),
            "matched words are shown"
        );
        assert_eq!(app.suggested_matches(&buyer, event.id, 2).await.unwrap().len(), 2);

        // Bad input and people outside the event.
        for limit in [0, MAX_SUGGESTIONS + 1] {
            assert!(matches!(
                app.suggested_matches(&buyer, event.id, limit).await,
                Err(AppError::Invalid(_))
            ));
        }
        let lab = person(&app, "labo@labo-demo.fr").await;
        assert_eq!(
            app.suggested_matches(&lab, event.id, 10).await.unwrap(),
            [],
            "not registered"
        );
        assert!(matches!(
            app.suggested_matches(&Actor::Visitor, event.id, 10).await,
            Err(AppError::Unauthenticated)
        ));
        assert!(matches!(
            app.suggested_matches(&buyer, 999_999, 10).await,
            Err(AppError::NotFound(_))
        ));
    }
}
