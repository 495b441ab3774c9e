//! Buyers' supplier lists: who a large account lists, since when and why (a call it decided, the
//! cluster's qualified portfolio, or directly), and every delisting with its reason, kept over
//! time. Delisting SMEs is what the platform exists to fight, so the cluster staff read the figures.

use std::collections::BTreeMap;

use domain::committee::paris;
use domain::org::OrgSize;
use domain::person::Role;
use domain::policy::{Action, Actor, OrgFacts, authorize};
use serde::{Deserialize, Serialize};
use store::committee::listings::{self as stored, Candidate, Listing, NewListing};
use store::{Conn, StoreError, clusters, organisations, people};

use super::{instant, text_issue};
use crate::audit::Entry;
use crate::{App, AppError, Result};

const NOTE_CHARS: usize = 2_000;
const REASON_CHARS: usize = 2_000;

/// How a supplier came onto a buyer's list.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Origin {
    /// A published "listed" decision on the supplier's dossier for one of the buyer's calls.
    Call { call_id: i64, decision_id: i64 },
    /// Chosen from the cluster's qualified-supplier portfolio.
    Portfolio,
    /// Listed by hand by the buyer.
    Direct,
}

impl Origin {
    pub fn as_str(self) -> &'static str {
        match self {
            Origin::Call { .. } => "call",
            Origin::Portfolio => "portfolio",
            Origin::Direct => "direct",
        }
    }
}

/// Opens a listing period of `supplier_id` on `buyer_id`'s list and audits it, inside the caller's
/// transaction. `None` when the supplier is listed already: the open period stands unchanged, so
/// winning a call while listed directly keeps the original date and origin. Access is the
/// caller's business: this is the one place every origin goes through.
pub(crate) async fn record_listing(
    conn: &mut Conn,
    buyer_id: i64,
    supplier_id: i64,
    origin: Origin,
    note: &str,
    by: Option<i64>,
    at: i64,
) -> Result<Option<i64>> {
    let (call_id, decision_id) = match origin {
        Origin::Call { call_id, decision_id } => (Some(call_id), Some(decision_id)),
        Origin::Portfolio | Origin::Direct => (None, None),
    };
    let new = NewListing {
        buyer_id,
        supplier_id,
        origin: origin.as_str(),
        call_id,
        decision_id,
        note,
        listed_by: by,
        listed_at: at,
    };
    let Some(id) = stored::insert(conn, &new).await? else {
        return Ok(None);
    };
    let listing = stored::get(conn, id).await?;
    Entry::bare(by, "list_supplier", "supplier_listing", id)
        .after(&listing)
        .write(conn)
        .await?;
    Ok(Some(id))
}

/// Closes the supplier's open period on the buyer's list with `reason`, audited, inside the
/// caller's transaction; `None` when it is not listed.
pub(crate) async fn end_listing(
    conn: &mut Conn,
    open: &Listing,
    reason: &str,
    by: Option<i64>,
    at: i64,
) -> Result<Option<Listing>> {
    if !stored::delist(conn, open.id, reason, by, at).await? {
        return Ok(None);
    }
    let closed = stored::get(conn, open.id).await?;
    Entry::bare(by, "delist_supplier", "supplier_listing", open.id)
        .before(open)
        .after(&closed)
        .write(conn)
        .await?;
    Ok(closed)
}

/// What publishing a call's decision does to the buyer's list: a "listed" decision lists the
/// candidate (origin call); a correction that turns it "not_retained" delists it, with the
/// correction's feedback as the reason, but only if its open period came from this very call
/// (a supplier listed otherwise keeps its place). Runs in the publication's transaction.
pub(crate) async fn follow_decision(
    conn: &mut Conn,
    buyer_id: i64,
    supplier_id: i64,
    call_id: i64,
    decision: &store::committee::evaluation::Decision,
    by: Option<i64>,
    at: i64,
) -> Result<()> {
    match decision.outcome.as_str() {
        "listed" => {
            let origin = Origin::Call {
                call_id,
                decision_id: decision.id,
            };
            record_listing(conn, buyer_id, supplier_id, origin, "", by, at).await?;
        }
        _ if decision.corrects.is_some() => {
            let from_this_call = stored::open(conn, buyer_id, supplier_id)
                .await?
                .filter(|l| l.call_id == Some(call_id));
            if let Some(open) = from_this_call {
                let reason = if decision.feedback.trim().is_empty() {
                    "Décision corrigée : non retenu / Decision corrected: not retained"
                } else {
                    decision.feedback.as_str()
                };
                end_listing(conn, &open, reason, by, at).await?;
            }
        }
        _ => {}
    }
    Ok(())
}

/// A buyer's list: who is listed now, and every past period with its delisting.
#[derive(Debug, Clone, Serialize)]
pub struct SupplierList {
    pub buyer_id: i64,
    pub buyer_name: String,
    pub current: Vec<Listing>,
    pub history: Vec<Listing>,
    /// Whether the reader may list and delist (buyers and admins of the buyer).
    pub can_manage: bool,
    /// For those who may: the organisations they may list now (members of the buyer's clusters
    /// not on the list).
    pub listable: Vec<Candidate>,
}

/// Where an organisation is listed and was, latest listing first.
#[derive(Debug, Clone, Serialize)]
pub struct OwnListings {
    pub organisation_name: String,
    pub listings: Vec<Listing>,
}

/// Listing a supplier by hand.
#[derive(Debug, Clone, Default, Deserialize, Serialize, utoipa::ToSchema)]
pub struct ListingInput {
    pub supplier_id: i64,
    #[serde(default)]
    pub note: String,
}

/// Delisting: the reason is mandatory and the supplier is told it.
#[derive(Debug, Clone, Default, Deserialize, Serialize, utoipa::ToSchema)]
pub struct DelistInput {
    #[serde(default)]
    pub reason: String,
}

/// One buyer's delistings over time, for the cluster staff.
#[derive(Debug, Clone, Serialize)]
pub struct BuyerDelistings {
    pub buyer_id: i64,
    pub buyer_name: String,
    pub listed_now: usize,
    pub listed_smes_now: usize,
    pub delisted: usize,
    pub delisted_smes: usize,
    /// Delistings per month (`YYYY-MM`, Paris time), oldest first.
    pub by_month: Vec<MonthCount>,
    /// The delistings themselves, latest first, with their reasons.
    pub delistings: Vec<Listing>,
}

/// Delistings in one month (`YYYY-MM`, Paris time).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct MonthCount {
    pub month: String,
    pub delisted: usize,
    pub delisted_smes: usize,
}

/// The buyer organisation with its clusters, for the policy; a missing one is not found.
async fn organisation_facts(conn: &mut Conn, id: i64) -> Result<(String, Vec<i64>)> {
    let organisation = organisations::get(conn, id)
        .await?
        .ok_or(AppError::NotFound("organisation"))?;
    Ok((
        organisation.legal_name.clone(),
        clusters::of_organisation(conn, id).await?,
    ))
}

/// The buyer's name and clusters once the actor may change its list: those who may not even
/// read it learn nothing (404); the staff, who read it, are refused (403).
async fn managed_list(conn: &mut Conn, actor: &Actor, buyer_id: i64) -> Result<(String, Vec<i64>)> {
    let (name, clusters) = organisation_facts(conn, buyer_id).await?;
    let facts = OrgFacts {
        id: buyer_id,
        clusters: &clusters,
    };
    authorize(actor, &Action::ViewSupplierList(facts)).map_err(|d| AppError::hiding(d, "organisation"))?;
    authorize(actor, &Action::ManageSupplierList(facts))?;
    Ok((name, clusters))
}

fn is_sme(listing: &Listing) -> bool {
    listing.supplier_size == OrgSize::Sme.as_str()
}

fn month_of(ms: i64) -> String {
    paris::paris()
        .to_datetime(instant(ms))
        .strftime("%Y-%m")
        .to_string()
}

/// Per buyer, what was listed and delisted, from every period of the cluster's buyers.
fn figures(periods: Vec<Listing>) -> Vec<BuyerDelistings> {
    let mut by_buyer: BTreeMap<(String, i64), Vec<Listing>> = BTreeMap::new();
    for period in periods {
        by_buyer
            .entry((period.buyer_name.clone(), period.buyer_id))
            .or_default()
            .push(period);
    }
    by_buyer
        .into_iter()
        .map(|((buyer_name, buyer_id), periods)| {
            let (open, closed): (Vec<Listing>, Vec<Listing>) =
                periods.into_iter().partition(|p| p.delisted_at.is_none());
            let mut months: BTreeMap<String, MonthCount> = BTreeMap::new();
            for period in &closed {
                let month = month_of(period.delisted_at.unwrap_or_default());
                let count = months.entry(month.clone()).or_insert(MonthCount {
                    month,
                    delisted: 0,
                    delisted_smes: 0,
                });
                count.delisted += 1;
                count.delisted_smes += usize::from(is_sme(period));
            }
            let mut delistings = closed;
            delistings.sort_by_key(|p| std::cmp::Reverse((p.delisted_at, p.id)));
            BuyerDelistings {
                buyer_id,
                buyer_name,
                listed_now: open.len(),
                listed_smes_now: open.iter().filter(|p| is_sme(p)).count(),
                delisted: delistings.len(),
                delisted_smes: delistings.iter().filter(|p| is_sme(p)).count(),
                by_month: months.into_values().collect(),
                delistings,
            }
        })
        .collect()
}

/// The e-mail addresses of an organisation's admins, who answer for its listings.
async fn admin_addresses(conn: &mut Conn, organisation_id: i64) -> Result<Vec<String>> {
    let mut addresses = Vec::new();
    for person in people::of_organisation(conn, organisation_id).await? {
        let principal = crate::actor::load_principal(conn, person.id).await?;
        if principal.is_some_and(|p| p.holds_in_org(Role::OrgAdmin, organisation_id)) {
            addresses.push(person.email);
        }
    }
    Ok(addresses)
}

impl App {
    /// A buyer's supplier list, current and past: the buyer's buyers and admins and the staff of
    /// its clusters. Anyone else learns nothing of it (404).
    pub async fn supplier_list(&self, actor: &Actor, buyer_id: i64) -> Result<SupplierList> {
        let mut conn = self.store.conn().await?;
        let (buyer_name, clusters) = organisation_facts(&mut conn, buyer_id).await?;
        let facts = OrgFacts {
            id: buyer_id,
            clusters: &clusters,
        };
        authorize(actor, &Action::ViewSupplierList(facts))
            .map_err(|d| AppError::hiding(d, "organisation"))?;
        let (current, history) = stored::of_buyer(&mut conn, buyer_id)
            .await?
            .into_iter()
            .partition(|l| l.delisted_at.is_none());
        let can_manage = authorize(actor, &Action::ManageSupplierList(facts)).is_ok();
        let listable = if can_manage {
            stored::listable(&mut conn, buyer_id).await?
        } else {
            Vec::new()
        };
        Ok(SupplierList {
            buyer_id,
            buyer_name,
            current,
            history,
            can_manage,
            listable,
        })
    }

    /// Lists a supplier directly: a member organisation of a cluster the buyer belongs to, other
    /// than the buyer, not listed already (409).
    #[tracing::instrument(skip(self, actor, input))]
    pub async fn list_supplier(&self, actor: &Actor, buyer_id: i64, input: &ListingInput) -> Result<Listing> {
        let mut tx = self.store.begin().await?;
        let (_, buyer_clusters) = managed_list(&mut tx, actor, buyer_id).await?;
        let note = domain::text::multiline("note", &input.note, NOTE_CHARS)
            .map_err(|e| text_issue("note", e))?
            .unwrap_or_default();
        if input.supplier_id == buyer_id {
            return Err(AppError::invalid(
                "supplier_id",
                "an organisation does not list itself",
            ));
        }
        let supplier = organisations::get(&mut tx, input.supplier_id).await?;
        let supplier_clusters = clusters::of_organisation(&mut tx, input.supplier_id).await?;
        let shares = supplier_clusters.iter().any(|c| buyer_clusters.contains(c));
        if supplier.is_none() || !shares {
            return Err(AppError::invalid(
                "supplier_id",
                "is not a member organisation of your clusters",
            ));
        }
        let by = crate::actor::actor_id(actor);
        let id = record_listing(
            &mut tx,
            buyer_id,
            input.supplier_id,
            Origin::Direct,
            &note,
            by,
            store::now_ms(),
        )
        .await?
        .ok_or_else(|| AppError::Conflict("this supplier is on your list already".into()))?;
        let listing = stored::get(&mut tx, id)
            .await?
            .ok_or(AppError::NotFound("listing"))?;
        tx.commit().await.map_err(StoreError::from)?;
        Ok(listing)
    }

    /// Delists a supplier with a mandatory reason, which its admins receive by e-mail.
    #[tracing::instrument(skip(self, actor, input))]
    pub async fn delist_supplier(
        &self,
        actor: &Actor,
        buyer_id: i64,
        supplier_id: i64,
        input: &DelistInput,
    ) -> Result<Listing> {
        let mut tx = self.store.begin().await?;
        let (buyer_name, _) = managed_list(&mut tx, actor, buyer_id).await?;
        let reason = domain::text::multiline("reason", &input.reason, REASON_CHARS)
            .map_err(|e| text_issue("reason", e))?
            .ok_or_else(|| AppError::invalid("reason", "is required: the supplier is told why"))?;
        let open = stored::open(&mut tx, buyer_id, supplier_id)
            .await?
            .ok_or(AppError::NotFound("listing"))?;
        let by = crate::actor::actor_id(actor);
        let closed = end_listing(&mut tx, &open, &reason, by, store::now_ms())
            .await?
            .ok_or_else(|| AppError::Conflict("this supplier was delisted meanwhile".into()))?;
        let addresses = admin_addresses(&mut tx, supplier_id).await?;
        tx.commit().await.map_err(StoreError::from)?;
        let subject = format!("{buyer_name} : fin de référencement / Delisting");
        let body = format!(
            "{buyer_name} a mis fin au référencement de {supplier}.\nMotif : {reason}\n\n\
             {buyer_name} has delisted {supplier}.\nReason: {reason}\n\n{url}\n",
            supplier = closed.supplier_name,
            url = self.listings_url(supplier_id),
        );
        self.mail_all(&addresses, &subject, &body).await;
        Ok(closed)
    }

    /// Where an organisation is listed, and where it was delisted and why: its own people and
    /// the staff of its clusters.
    pub async fn own_listings(&self, actor: &Actor, organisation_id: i64) -> Result<OwnListings> {
        let mut conn = self.store.conn().await?;
        let (organisation_name, clusters) = organisation_facts(&mut conn, organisation_id).await?;
        let facts = OrgFacts {
            id: organisation_id,
            clusters: &clusters,
        };
        authorize(actor, &Action::ViewOwnListings(facts)).map_err(|d| AppError::hiding(d, "organisation"))?;
        Ok(OwnListings {
            organisation_name,
            listings: stored::of_supplier(&mut conn, organisation_id).await?,
        })
    }

    /// Delistings per buyer of a cluster over time, SMEs counted apart: the cluster staff (the
    /// same people who run its committee sessions, `ManageCommitteeSessions`).
    pub async fn cluster_delistings(&self, actor: &Actor, cluster_id: i64) -> Result<Vec<BuyerDelistings>> {
        let mut conn = self.store.conn().await?;
        authorize(actor, &Action::ManageCommitteeSessions { cluster_id })
            .map_err(|d| AppError::hiding(d, "cluster"))?;
        Ok(figures(stored::in_cluster(&mut conn, cluster_id).await?))
    }

    fn listings_url(&self, organisation_id: i64) -> String {
        format!(
            "{}/organisations/{organisation_id}/listings",
            self.config.public_url.trim_end_matches('/')
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn period(buyer: i64, size: &str, delisted_at: Option<i64>) -> Listing {
        Listing {
            id: delisted_at.unwrap_or(0),
            buyer_id: buyer,
            buyer_name: format!("Buyer {buyer}"),
            supplier_id: 99,
            supplier_name: "Supplier".into(),
            supplier_size: size.into(),
            origin: "direct".into(),
            call_id: None,
            call_title: None,
            decision_id: None,
            note: String::new(),
            listed_at: 0,
            listed_by: None,
            delisted_at,
            delisted_by: None,
            delist_reason: delisted_at.map(|_| "reason".into()),
        }
    }

    #[test]
    fn figures_count_delistings_per_buyer_and_paris_month_with_smes_apart() {
        // 2027-01-31 23:30 UTC is already February in Paris.
        let jan = 1_800_000_000_000; // 2027-01-15
        let feb_in_paris = jiff::Timestamp::from_second(1_801_438_200)
            .unwrap()
            .as_millisecond();
        let out = figures(vec![
            period(1, "sme", Some(jan)),
            period(1, "large", Some(feb_in_paris)),
            period(1, "sme", None),
            period(2, "sme", None),
        ]);
        assert_eq!(out.len(), 2);
        let first = &out[0];
        assert_eq!((first.listed_now, first.listed_smes_now), (1, 1));
        assert_eq!((first.delisted, first.delisted_smes), (2, 1));
        assert_eq!(
            first.by_month,
            vec![
                MonthCount {
                    month: "2027-01".into(),
                    delisted: 1,
                    delisted_smes: 1
                },
                MonthCount {
                    month: "2027-02".into(),
                    delisted: 1,
                    delisted_smes: 0
                },
            ]
        );
        assert_eq!(first.delistings[0].delisted_at, Some(feb_in_paris));
        assert_eq!((out[1].listed_now, out[1].delisted), (1, 0));
    }
}
