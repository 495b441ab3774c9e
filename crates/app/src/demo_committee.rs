//! The demo's purchasing committee calendar: the demo large account's published purchasing
//! policy, and the coming season's committee session (needs presented on 14 December, dossiers
//! due on 9 January, decision meeting on 18 February, Paris time) with that buyer presenting.
//!
//! Written in the demo's own transaction, once, when the demo cluster is created (the load is
//! keyed on the cluster's slug, so this never runs twice on one store).

use domain::committee::paris;
use domain::person::Role;
use jiff::Timestamp;
use store::committee::policies::{self, PolicyFields};
use store::committee::sessions::{self, SessionFields};
use store::{Conn, StoreError};

use super::{DEMO_ACCOUNTS, DEMO_LARGE_ACCOUNT, InsertedIds, PlannedOrganisation};

const SESSION_TITLE: &str = "Comité achats innovation — saison d'hiver";

pub(super) async fn insert(
    conn: &mut Conn,
    cluster_id: i64,
    plan: &[PlannedOrganisation],
    ids: &[InsertedIds],
) -> Result<(), StoreError> {
    let Some(large) = plan
        .iter()
        .position(|o| o.fields.legal_name == DEMO_LARGE_ACCOUNT)
    else {
        return Ok(());
    };
    let large_id = ids[large].0;
    let now = store::now_ms();
    policies::save(
        conn,
        large_id,
        &policy(),
        demo_person(plan, ids, Role::Buyer),
        now,
    )
    .await?;
    let session_id = sessions::insert(
        conn,
        cluster_id,
        &session(Timestamp::now()),
        demo_person(plan, ids, Role::ClusterAdmin),
        now,
    )
    .await?;
    sessions::set_presenters(conn, session_id, &[large_id]).await
}

/// The row id of the demo account holding `role`.
fn demo_person(plan: &[PlannedOrganisation], ids: &[InsertedIds], role: Role) -> Option<i64> {
    let email = DEMO_ACCOUNTS.iter().find(|a| a.role == role)?.email;
    plan.iter().zip(ids).find_map(|(organisation, (_, people))| {
        organisation
            .people
            .iter()
            .position(|p| p.email == email)
            .map(|i| people[i])
    })
}

fn policy() -> PolicyFields {
    PolicyFields {
        buys: "Pièces élémentaires de structure en titane et en aluminium (usinage 5 axes, séries de 50 à \
               2 000), sous-ensembles chaudronnés, traitements de surface et contrôle non destructif, \
               outillages de montage, prestations d'ingénierie méthodes."
            .into(),
        innovation_priorities: "Fabrication additive métallique qualifiable en vol ; réduction de la \
                                consommation de titane (usinage proche des cotes) ; jumeaux numériques \
                                de ligne ; traitements de surface sans chrome hexavalent."
            .into(),
        how_to_get_listed: "1. Répondre à un appel du comité achats du pôle.\n2. Audit de capacité \
                            sur site (qualité EN 9100, sécurité, capacité).\n3. Lot pilote, puis \
                            référencement pour trois ans, revu chaque année."
            .into(),
        contacts: "Sophie Marchand, acheteuse innovation — acheteuse@grandcompte-demo.fr".into(),
        commitments: "Paiement à 45 jours fin de mois au plus ; retour écrit motivé à chaque dossier \
                      non retenu ; volumes prévisionnels partagés sur 18 mois ; pas de \
                      déréférencement sans préavis de six mois ni entretien préalable."
            .into(),
        published: 1,
    }
}

/// The coming season's cycle: the next 14 December (this year's until it has passed), then 9
/// January and 18 February after it, all Paris wall-clock times.
fn session(now: Timestamp) -> SessionFields {
    let today = paris::paris().to_datetime(now).date();
    let year = if (today.month(), today.day()) <= (12, 14) {
        today.year()
    } else {
        today.year() + 1
    };
    let at = |text: String| {
        paris::parse_local(&text)
            .expect("the demo's session times exist in Paris")
            .as_millisecond()
    };
    SessionFields {
        title: SESSION_TITLE.into(),
        presentation_at: at(format!("{year}-12-14T14:00")),
        dossiers_due_at: at(format!("{}-01-09T12:00", year + 1)),
        decision_at: at(format!("{}-02-18T10:00", year + 1)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_demo_policy_could_have_been_typed_in_the_form() {
        let fields = policy();
        let typed = crate::committee::policies::PolicyInput {
            buys: fields.buys.clone(),
            innovation_priorities: fields.innovation_priorities.clone(),
            how_to_get_listed: fields.how_to_get_listed.clone(),
            contacts: fields.contacts.clone(),
            commitments: fields.commitments.clone(),
            published: true,
        };
        assert_eq!(typed.validate().unwrap(), fields);
    }

    #[test]
    fn the_session_is_the_coming_season_in_order() {
        let before = "2026-12-05T10:00:00Z".parse().unwrap();
        let s = session(before);
        assert_eq!(
            paris::input(Timestamp::from_millisecond(s.presentation_at).unwrap()),
            "2026-12-14T14:00"
        );
        assert_eq!(
            paris::input(Timestamp::from_millisecond(s.decision_at).unwrap()),
            "2027-02-18T10:00"
        );
        assert!(s.presentation_at <= s.dossiers_due_at && s.dossiers_due_at <= s.decision_at);
        let after = "2026-12-20T10:00:00Z".parse().unwrap();
        assert_eq!(
            paris::input(Timestamp::from_millisecond(session(after).presentation_at).unwrap()),
            "2027-12-14T14:00"
        );
    }
}
