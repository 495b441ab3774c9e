//! "Calls for you": the open calls a candidate's organisation may see, split into those it is
//! eligible for — ranked by how well the directory matches it to the call's text — and those it
//! is not, each with the reasons.

use domain::committee::{self, CallState, CandidateFacts, Eligibility, Ineligibility};
use domain::org::OrgSize;
use domain::policy::{Action, Actor, authorize};
use domain::profile::Profile;
use jiff::Timestamp;
use serde::Serialize;
use store::committee::calls::{self as stored, Call};
use store::{Conn, organisations, profiles};

use super::load_call;
use crate::directory::search::DirectoryQuery;
use crate::{App, AppError, Result};

/// An open call as a candidate organisation sees it.
#[derive(Debug, Clone, Serialize)]
pub struct CallForYou {
    pub call: Call,
    /// Empty when the organisation is eligible.
    pub reasons: Vec<Ineligibility>,
    /// The directory's relevance of the organisation to the call's text; 0 when it does not match.
    pub relevance: f32,
    /// The organisation's matched passage, HTML-escaped with `<mark>` around the matches.
    pub snippet_html: Option<String>,
}

/// The open calls for an organisation: eligible ones first by relevance, then the others.
#[derive(Debug, Clone, Serialize)]
pub struct CallsForYou {
    pub eligible: Vec<CallForYou>,
    pub not_eligible: Vec<CallForYou>,
}

/// A supplier the directory suggests for a call, eligible to answer it.
#[derive(Debug, Clone, Serialize)]
pub struct Recommendation {
    pub organisation_id: i64,
    pub name: String,
    pub relevance: f32,
    /// Its matched passage, HTML-escaped with `<mark>` around the matches.
    pub snippet_html: String,
}

/// The certifications a profile holds still valid on `today` (`YYYY-MM-DD`), by name: the ones the
/// eligibility rules (and partner pools' team finder) count.
pub(crate) fn current_certifications(profile: &Profile, today: &str) -> Vec<String> {
    profile
        .certifications
        .value
        .iter()
        .filter(|c| c.is_current(today))
        .map(|c| c.name.clone())
        .collect()
}

/// The reasons an organisation may not answer a call: size and region from the registry,
/// certifications from its profile (expired ones left out); empty when eligible.
pub(crate) async fn ineligibility(
    conn: &mut Conn,
    call: &Call,
    organisation_id: i64,
) -> Result<Vec<Ineligibility>> {
    let organisation = organisations::get(conn, organisation_id)
        .await?
        .ok_or(AppError::NotFound("organisation"))?;
    // Only certifications still valid today count, as in the directory's facets.
    let today = crate::directory::index::today();
    let certifications = match profiles::get(conn, organisation_id).await? {
        Some(stored) => serde_json::from_str::<Profile>(&stored.document)
            .map(|p| current_certifications(&p, &today))
            .unwrap_or_default(),
        None => Vec::new(),
    };
    let facts = CandidateFacts {
        size: organisation.size.as_deref().and_then(|s| OrgSize::parse(s).ok()),
        certifications,
        regions: vec![organisation.region_code.clone()],
    };
    let rules = Eligibility {
        sizes: call
            .eligible_sizes
            .iter()
            .filter_map(|s| OrgSize::parse(s).ok())
            .collect(),
        certifications: call.required_certifications.clone(),
        regions: call.accepted_regions.clone(),
    };
    Ok(committee::check(&rules, &facts))
}

impl App {
    /// The published calls still open that the actor's organisation may see in its clusters,
    /// other than its own: eligible ones ranked by directory relevance, the others with reasons.
    pub async fn calls_for_you(&self, actor: &Actor) -> Result<CallsForYou> {
        let Actor::Person(principal) = actor else {
            return Err(AppError::Unauthenticated);
        };
        let now = Timestamp::now();
        let mut conn = self.store.conn().await?;
        let mut found = Vec::new();
        for cluster_id in &principal.clusters {
            for call in stored::of_cluster(&mut conn, *cluster_id).await? {
                let loaded = load_call(&mut conn, call.id).await?;
                let open =
                    loaded.state == CallState::Published && loaded.opens() <= now && now < loaded.closes();
                if !open
                    || loaded.call.buyer_id == principal.organisation_id
                    || authorize(actor, &Action::ViewCall(loaded.facts())).is_err()
                {
                    continue;
                }
                let reasons = ineligibility(&mut conn, &loaded.call, principal.organisation_id).await?;
                found.push((loaded.call, reasons));
            }
        }
        drop(conn);
        let mut out = CallsForYou {
            eligible: Vec::new(),
            not_eligible: Vec::new(),
        };
        for (call, reasons) in found {
            let query = DirectoryQuery::text(format!("{} {}", call.title, call.description));
            let hit = self
                .search_directory(actor, &query)
                .await?
                .hits
                .into_iter()
                .find(|h| h.org_id == principal.organisation_id);
            let entry = CallForYou {
                relevance: hit.as_ref().map_or(0.0, |h| h.score),
                snippet_html: hit.map(|h| h.snippet_html),
                call,
                reasons,
            };
            if entry.reasons.is_empty() {
                out.eligible.push(entry);
            } else {
                out.not_eligible.push(entry);
            }
        }
        out.eligible.sort_by(|a, b| {
            b.relevance
                .total_cmp(&a.relevance)
                .then(a.call.closes_at.cmp(&b.call.closes_at))
        });
        Ok(out)
    }

    /// For the buyer side: up to `limit` (1 to 100) member organisations the directory finds most
    /// relevant to the call's title and description, keeping only those eligible for it.
    pub async fn recommended_suppliers(
        &self,
        actor: &Actor,
        call_id: i64,
        limit: usize,
    ) -> Result<Vec<Recommendation>> {
        let mut conn = self.store.conn().await?;
        let loaded = load_call(&mut conn, call_id).await?;
        authorize(
            actor,
            &Action::ManageCall {
                cluster_id: loaded.call.cluster_id,
                buyer_id: loaded.call.buyer_id,
            },
        )
        .map_err(|d| AppError::hiding(d, "call"))?;
        if !(1..=search::request::MAX_LIMIT).contains(&limit) {
            return Err(AppError::invalid(
                "limit",
                format!("between 1 and {}", search::request::MAX_LIMIT),
            ));
        }
        let query = DirectoryQuery {
            per_page: search::request::MAX_LIMIT,
            ..DirectoryQuery::text(format!("{} {}", loaded.call.title, loaded.call.description))
        };
        let hits = self.search_directory(actor, &query).await?.hits;
        let mut out = Vec::new();
        for hit in hits {
            if out.len() == limit {
                break;
            }
            if hit.org_id == loaded.call.buyer_id
                || !ineligibility(&mut conn, &loaded.call, hit.org_id)
                    .await?
                    .is_empty()
            {
                continue;
            }
            out.push(Recommendation {
                organisation_id: hit.org_id,
                name: hit.name,
                relevance: hit.score,
                snippet_html: hit.snippet_html,
            });
        }
        Ok(out)
    }
}
