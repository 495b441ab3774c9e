//! The demo's qualified-supplier portfolio: three qualification criteria; the demo SME and two
//! generated SMEs qualified after review (renewal in six months, one year and two years); another
//! SME, delisted by the demo large account when its certification lapsed, applying again and
//! waiting for reviewers; and a subscription for the demo large account so its buyer reads the
//! portfolio in full (its list already holds the demo SME "from the portfolio", see
//! demo_listings.rs). The demo SME may apply again at once: a renewal is a new application.

use super::{
    DEMO_ACCOUNTS, DEMO_ASSOCIATION, DEMO_LAB, DEMO_LARGE_ACCOUNT, DEMO_SME, InsertedIds, PlannedOrganisation,
};
use crate::committee::portfolio::{iso, today};
use domain::person::Role;
use store::committee::portfolio as stored;
use store::{Conn, StoreError};

const CRITERIA: [(&str, &str); 3] = [
    (
        "Système qualité certifié",
        "Certification ISO 9001 ou EN 9100 en cours de validité, périmètre et date du dernier audit.",
    ),
    (
        "Solidité financière",
        "Chiffre d'affaires et résultat des trois derniers exercices, fonds propres.",
    ),
    (
        "Références industrielles",
        "Deux références de fournitures comparables livrées à des industriels ces trois dernières années.",
    ),
];

const EVIDENCE: [&str; 3] = [
    "Certifiée ISO 9001:2015 depuis 2019 ; dernier audit de suivi en mars, sans écart majeur.",
    "Chiffre d'affaires en croissance régulière, résultat positif les trois derniers exercices.",
    "Deux fournitures comparables livrées à des industriels de la région, attestations jointes.",
];

pub(super) async fn insert(
    conn: &mut Conn,
    cluster_id: i64,
    plan: &[PlannedOrganisation],
    ids: &[InsertedIds],
) -> Result<(), StoreError> {
    let now = store::now_ms();
    // The demo account working for `organisation`, by its role there.
    let person = |organisation: &str, role: Role| {
        let account = DEMO_ACCOUNTS
            .iter()
            .find(|a| a.organisation == organisation && a.role == role)?;
        plan.iter().zip(ids).find_map(|(o, (_, people))| {
            o.people
                .iter()
                .position(|p| p.email == account.email)
                .map(|i| people[i])
        })
    };
    let staff = person(DEMO_ASSOCIATION, Role::ClusterAdmin);
    let mut criteria = Vec::new();
    for (position, (name, description)) in (1..).zip(CRITERIA) {
        criteria
            .push(stored::insert_criterion(conn, cluster_id, position, name, description, staff, now).await?);
    }
    let organisation = |name: &str| {
        plan.iter()
            .zip(ids)
            .find(|(o, _)| o.fields.legal_name == name)
            .map(|(_, (id, _))| *id)
    };
    // The first generated SMEs in plan order, as demo_listings.rs picks them: the second is the
    // one delisted for a lapsed certification, now applying again.
    let generated: Vec<i64> = plan
        .iter()
        .zip(ids)
        .filter(|(o, _)| o.fields.size.as_deref() == Some("sme") && o.fields.legal_name != DEMO_SME)
        .map(|(_, (id, _))| *id)
        .take(3)
        .collect();
    // The cluster's staff and the lab's researcher: independent of the applicants and of the buyers.
    let reviewers: Vec<i64> = [staff, person(DEMO_LAB, Role::Member)]
        .into_iter()
        .flatten()
        .collect();
    let today = today();
    let span = jiff::Span::new();
    // Applied four months ago, decided three months ago: before the demo buyer listed the demo SME
    // from the portfolio.
    let day_ms = 24 * 60 * 60 * 1000;
    let (applied_at, decided_at) = (now - 120 * day_ms, now - 90 * day_ms);
    let qualified = organisation(DEMO_SME)
        .map(|id| (id, span.months(6)))
        .into_iter()
        .chain(generated.first().map(|id| (*id, span.years(1))))
        .chain(generated.get(2).map(|id| (*id, span.years(2))));
    for (organisation_id, renewal_in) in qualified {
        let application = submitted(conn, cluster_id, organisation_id, &criteria, applied_at).await?;
        for reviewer in &reviewers {
            stored::name_reviewer(conn, application, *reviewer, staff, applied_at).await?;
        }
        stored::change_state(conn, application, "submitted", "under_review", applied_at).await?;
        for reviewer in &reviewers {
            for criterion in &criteria {
                stored::save_opinion(
                    conn,
                    application,
                    *reviewer,
                    *criterion,
                    true,
                    "Conforme.",
                    applied_at,
                )
                .await?;
            }
        }
        let renewal = iso(today.saturating_add(renewal_in));
        stored::decide(
            conn,
            application,
            "qualified",
            Some(&renewal),
            None,
            staff,
            decided_at,
        )
        .await?;
    }
    if let Some(pending) = generated.get(1) {
        // Left for the staff to name its reviewers.
        submitted(conn, cluster_id, *pending, &criteria, now).await?;
    }
    if let Some(large_account) = organisation(DEMO_LARGE_ACCOUNT) {
        let starts = today.saturating_sub(span.days(90));
        let ends = today.saturating_add(span.years(1));
        stored::grant_subscription(
            conn,
            cluster_id,
            large_account,
            &iso(starts),
            &iso(ends),
            staff,
            now,
        )
        .await?;
    }
    Ok(())
}

/// An application with evidence for every criterion, submitted; returns its id.
async fn submitted(
    conn: &mut Conn,
    cluster_id: i64,
    organisation_id: i64,
    criteria: &[i64],
    now: i64,
) -> Result<i64, StoreError> {
    let application = stored::create_application(conn, cluster_id, organisation_id, None, now).await?;
    for (criterion, text) in criteria.iter().zip(EVIDENCE) {
        stored::save_evidence(conn, application, *criterion, text, None, now).await?;
    }
    stored::change_state(conn, application, "draft", "submitted", now).await?;
    Ok(application)
}
