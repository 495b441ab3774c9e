//! The demo's opportunities and consortia: a tender linked to the cluster's first published call
//! when the demo has one (an external tender otherwise) and an external tender of the Occitanie
//! region, with requirements the demo SME and the demo lab cover between them; one consortium for
//! the latter, the demo SME leading, the lab having accepted, and a short exchange in its workspace.
//!
//! Written in the demo's own transaction, once, when the demo cluster is created.

use jiff::{SignedDuration, Timestamp};
use store::consortia::{self as stored, Lot, OpportunityFields, Requirement};
use store::{Conn, StoreError};

use super::{DEMO_LAB, DEMO_SME, InsertedIds, PlannedOrganisation};

use crate::consortia::{DEMO_CONSORTIUM_NAME, DEMO_TENDER_TITLE};

fn requirement(kind: &str, code: &str) -> Requirement {
    Requirement {
        kind: kind.into(),
        code: code.into(),
    }
}

/// Lot 1 for the demo SME (5-axis machining, EN 9100, in Occitanie), lot 2 for the lab (testing).
fn lots(first: &str, second: &str) -> Vec<Lot> {
    vec![
        Lot {
            position: 1,
            name: first.into(),
            min_headcount: 20,
            requirements: vec![
                requirement("capability", "machining-5-axis"),
                requirement("certification", "EN 9100"),
                requirement("region", "76"),
            ],
        },
        Lot {
            position: 2,
            name: second.into(),
            min_headcount: 0,
            requirements: vec![
                requirement("capability", "non-destructive-testing"),
                requirement("capability", "testing"),
            ],
        },
    ]
}

/// The organisation's row id and the row id of its person with this e-mail, if planned.
fn ids_of(
    plan: &[PlannedOrganisation],
    ids: &[InsertedIds],
    legal_name: &str,
    email: &str,
) -> Option<(i64, Option<i64>)> {
    let at = plan.iter().position(|o| o.fields.legal_name == legal_name)?;
    let person = plan[at]
        .people
        .iter()
        .position(|p| p.email == email)
        .and_then(|j| ids[at].1.get(j).copied());
    Some((ids[at].0, person))
}

pub(super) async fn insert(
    conn: &mut Conn,
    cluster_id: i64,
    plan: &[PlannedOrganisation],
    ids: &[InsertedIds],
) -> Result<(), StoreError> {
    let (Some((sme, head)), Some((lab, researcher))) = (
        ids_of(plan, ids, DEMO_SME, "dirigeant@pme-demo.fr"),
        ids_of(plan, ids, DEMO_LAB, "labo@labo-demo.fr"),
    ) else {
        return Ok(());
    };
    let now = Timestamp::now();
    let at = now.as_millisecond();

    // A published call of the cluster, if the demo has one, or an external tender of the same trade.
    let call = store::committee::calls::of_cluster(conn, cluster_id)
        .await?
        .into_iter()
        .find(|c| c.state == "published");
    let first = match &call {
        Some(call) => OpportunityFields {
            call_id: Some(call.id),
            title: call.fields.title.clone(),
            buyer: store::organisations::get(conn, call.buyer_id)
                .await?
                .map(|o| o.fields.legal_name)
                .unwrap_or_default(),
            url: String::new(),
            description: "Appel du pôle : à plusieurs, nous couvrons l'usinage et les essais.".into(),
            deadline_at: Some(call.fields.closes_at),
        },
        None => OpportunityFields {
            call_id: None,
            title: "Ferrures titane pour nacelles — consultation Aérostructures".into(),
            buyer: "Aérostructures Groupe Démo SA".into(),
            url: "https://achats.aerostructures-demo.fr/consultations/2027-014".into(),
            description: "Ferrures en Ti6Al4V usinées 5 axes, contrôlées par ressuage et ultrasons.".into(),
            deadline_at: Some((now + SignedDuration::from_hours(24 * 30)).as_millisecond()),
        },
    };
    let linked = stored::insert_opportunity(conn, cluster_id, sme, &first, head, at).await?;
    stored::replace_lots(
        conn,
        linked,
        &lots("Usinage des ferrures", "Contrôle non destructif"),
    )
    .await?;

    let deadline = (now + SignedDuration::from_hours(24 * 45)).as_millisecond();
    let tender = OpportunityFields {
        call_id: None,
        title: DEMO_TENDER_TITLE.into(),
        buyer: "Région Occitanie".into(),
        url: "https://marches.laregion.example/avis/2027-0457".into(),
        description: "Pièces de rechange usinées et campagnes d'essais pour les bancs moteurs du \
                      lycée aéronautique régional : deux lots, réponse en groupement acceptée."
            .into(),
        deadline_at: Some(deadline),
    };
    let external = stored::insert_opportunity(conn, cluster_id, sme, &tender, head, at).await?;
    stored::replace_lots(
        conn,
        external,
        &lots("Pièces de rechange usinées", "Essais et contrôles"),
    )
    .await?;

    let consortium = stored::insert_consortium(conn, external, DEMO_CONSORTIUM_NAME, sme, head, at).await?;
    stored::invite(conn, consortium, lab, head, at).await?;
    stored::answer(conn, consortium, lab, true, researcher, at + 60_000).await?;
    stored::post_message(
        conn,
        consortium,
        sme,
        head,
        "Bonjour à tous : je propose que nous prenions le lot 1 et le laboratoire le lot 2. \
         Premier point d'étape jeudi ?",
        at + 120_000,
    )
    .await?;
    stored::post_message(
        conn,
        consortium,
        lab,
        researcher,
        "D'accord pour le lot 2 : nos bancs de fatigue sont disponibles en mars. Jeudi 10 h nous convient.",
        at + 180_000,
    )
    .await?;
    Ok(())
}
