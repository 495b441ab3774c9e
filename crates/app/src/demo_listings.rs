//! The demo large account's supplier list, with its history: the demo SME listed directly two
//! years ago, delisted last spring with a reason, and listed again from the qualified portfolio;
//! two more SMEs, one listed and one delisted. Enough for the buyer's list, the SME's "where we
//! are listed" page and the cluster's delisting figures to show something real.
//!
//! Written in the demo's own transaction, once, when the demo cluster is created.

use domain::person::Role;
use store::committee::listings::{self, NewListing};
use store::{Conn, StoreError};

use super::{DEMO_ACCOUNTS, DEMO_LARGE_ACCOUNT, DEMO_SME, InsertedIds, PlannedOrganisation};

const DAY_MS: i64 = 24 * 60 * 60 * 1000;

/// One period of the demo list: who, how, when (days ago) and, if it ended, when and why.
struct Period {
    supplier: usize,
    origin: &'static str,
    note: &'static str,
    listed_days_ago: i64,
    delisted: Option<(i64, &'static str)>,
}

pub(super) async fn insert(
    conn: &mut Conn,
    _cluster_id: i64,
    plan: &[PlannedOrganisation],
    ids: &[InsertedIds],
) -> Result<(), StoreError> {
    let position = |name: &str| plan.iter().position(|o| o.fields.legal_name == name);
    let (Some(large), Some(sme)) = (position(DEMO_LARGE_ACCOUNT), position(DEMO_SME)) else {
        return Ok(());
    };
    let mut other_smes = plan
        .iter()
        .enumerate()
        .filter(|(i, o)| *i != sme && o.fields.size.as_deref() == Some("sme"))
        .map(|(i, _)| i);
    let (Some(second), Some(third)) = (other_smes.next(), other_smes.next()) else {
        return Ok(());
    };
    let buyer = buyer_person(plan, ids);
    let now = store::now_ms();
    for period in periods(sme, second, third) {
        let listed_at = now - period.listed_days_ago * DAY_MS;
        let new = NewListing {
            buyer_id: ids[large].0,
            supplier_id: ids[period.supplier].0,
            origin: period.origin,
            call_id: None,
            decision_id: None,
            note: period.note,
            listed_by: buyer,
            listed_at,
        };
        let Some(id) = listings::insert(conn, &new).await? else {
            continue;
        };
        if let Some((days_ago, reason)) = period.delisted {
            listings::delist(conn, id, reason, buyer, now - days_ago * DAY_MS).await?;
        }
    }
    Ok(())
}

/// Oldest first, so that the demo SME's second period opens after its first one closed.
fn periods(sme: usize, second: usize, third: usize) -> [Period; 4] {
    [
        Period {
            supplier: sme,
            origin: "direct",
            note: "Usinage 5 axes de ferrures titane, série pilote.",
            listed_days_ago: 760,
            delisted: Some((
                240,
                "Transfert des volumes de ferrures vers un site du groupe ; aucune réserve sur la \
                 qualité des livraisons.",
            )),
        },
        Period {
            supplier: third,
            origin: "direct",
            note: "Traitements de surface sans chrome hexavalent.",
            listed_days_ago: 540,
            delisted: Some((
                95,
                "Certification EN 9100 non renouvelée à l'échéance ; un nouveau référencement est \
                 possible dès son renouvellement.",
            )),
        },
        Period {
            supplier: second,
            origin: "direct",
            note: "Contrôle non destructif par ultrasons.",
            listed_days_ago: 400,
            delisted: None,
        },
        Period {
            supplier: sme,
            origin: "portfolio",
            note: "Référencée de nouveau depuis le portefeuille de fournisseurs qualifiés du pôle.",
            listed_days_ago: 60,
            delisted: None,
        },
    ]
}

/// The demo buyer's row id, who lists and delists.
fn buyer_person(plan: &[PlannedOrganisation], ids: &[InsertedIds]) -> Option<i64> {
    let email = DEMO_ACCOUNTS.iter().find(|a| a.role == Role::Buyer)?.email;
    plan.iter().zip(ids).find_map(|(organisation, (_, people))| {
        organisation
            .people
            .iter()
            .position(|p| p.email == email)
            .map(|i| people[i])
    })
}
