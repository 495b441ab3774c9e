//! The demo's premises abroad and shared VIE posts: the demo large account offers desks in
//! Montréal and Singapore, the demo SME has asked for a stay in Montréal (pending, for the buyer
//! to answer); the large account hosts a VIE in Munich shared 60 % / 40 % by the demo SME and the
//! first generated SME, sharing confirmed.

use super::{DEMO_ACCOUNTS, DEMO_LARGE_ACCOUNT, DEMO_SME, InsertedIds, PlannedOrganisation};
use crate::export::iso;
use domain::committee::paris;
use domain::person::Role;
use jiff::ToSpan;
use store::export::{self as stored, PremisesFields, VieFields};
use store::{Conn, StoreError};

pub(super) async fn insert(
    conn: &mut Conn,
    cluster_id: i64,
    plan: &[PlannedOrganisation],
    ids: &[InsertedIds],
) -> Result<(), StoreError> {
    let now = store::now_ms();
    let today = paris::date(jiff::Timestamp::now());
    let organisation = |name: &str| {
        plan.iter()
            .zip(ids)
            .find(|(o, _)| o.fields.legal_name == name)
            .map(|(_, (id, _))| *id)
    };
    let person = |email: &str| {
        plan.iter()
            .zip(ids)
            .find_map(|(o, (_, people))| o.people.iter().position(|p| p.email == email).map(|i| people[i]))
    };
    let account = |organisation: &str, role: Role| {
        DEMO_ACCOUNTS
            .iter()
            .find(|a| a.organisation == organisation && a.role == role)
            .and_then(|a| person(a.email))
    };
    let (Some(host), Some(sme)) = (organisation(DEMO_LARGE_ACCOUNT), organisation(DEMO_SME)) else {
        return Ok(());
    };
    let buyer = account(DEMO_LARGE_ACCOUNT, Role::Buyer);
    let sme_admin = account(DEMO_SME, Role::OrgAdmin);
    let day = |months: i32, days: i32| iso(today.saturating_add(months.months()).saturating_add(days.days()));

    let montreal = stored::insert_premises(
        conn,
        cluster_id,
        host,
        &PremisesFields {
            city: "Montréal".into(),
            country: "CA".into(),
            desks: 4,
            available_from: day(1, 0),
            available_to: day(7, 0),
            conditions: "Plateau partagé au 12e étage, badge remis à l'accueil, accès de 8 h à 19 h ; \
                         salle de réunion sur réservation."
                .into(),
            contact_person_id: buyer,
            contact_email: None,
        },
        buyer,
        now,
    )
    .await?;
    stored::insert_premises(
        conn,
        cluster_id,
        host,
        &PremisesFields {
            city: "Singapour".into(),
            country: "SG".into(),
            desks: 2,
            available_from: day(2, 0),
            available_to: day(12, 0),
            conditions: "Bureau fermé dans notre filiale de Changi, poste équipé (écran, téléphone) ; \
                         présentation à l'équipe commerciale Asie-Pacifique possible."
                .into(),
            contact_person_id: None,
            contact_email: Some("asie@grandcompte-demo.fr".into()),
        },
        buyer,
        now,
    )
    .await?;
    stored::insert_stay(
        conn,
        montreal,
        sme,
        &day(2, 0),
        &day(2, 13),
        2,
        "Prospection des équipementiers aéronautiques du Grand Montréal et rendez-vous avec deux donneurs d'ordres.",
        sme_admin,
        now,
    )
    .await?;

    let post = stored::insert_post(
        conn,
        cluster_id,
        host,
        &VieFields {
            title: "VIE chargé d'affaires aéronautique".into(),
            country: "DE".into(),
            city: "Munich".into(),
            mission: "Développer les ventes auprès des équipementiers bavarois, organiser les visites \
                      clients et suivre les appels d'offres locaux."
                .into(),
            starts_on: day(3, 0),
            duration_months: 12,
            monthly_cost: "4200.00".into(),
        },
        buyer,
        now,
    )
    .await?;
    // The first generated SME in plan order shares the post with the demo SME.
    let partner = plan
        .iter()
        .zip(ids)
        .find(|(o, _)| o.fields.size.as_deref() == Some("sme") && o.fields.legal_name != DEMO_SME)
        .map(|(_, (id, people))| (*id, people.first().copied()));
    let Some((partner, partner_person)) = partner else {
        return Ok(());
    };
    for (organisation, by, share, tasks) in [
        (
            sme,
            sme_admin,
            "60",
            "Prospection des donneurs d'ordres de Bavière et suivi des devis.",
        ),
        (
            partner,
            partner_person,
            "40",
            "Veille sur les appels d'offres allemands et salons professionnels.",
        ),
    ] {
        let id = stored::insert_application(conn, post, organisation, share, tasks, by, now).await?;
        stored::settle_application(conn, id, "accepted", "", buyer, now).await?;
    }
    stored::confirm_post(conn, post, buyer, now).await?;
    Ok(())
}
