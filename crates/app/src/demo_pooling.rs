//! The demo's purchasing pools: an open pool of green electricity with four generated SMEs
//! committed and Énergies Démo Réseaux invited (its sealed offer in), which the demo SME may join;
//! and a packaging pool closed a week ago and awarded, in which the demo SME saves on its pallets —
//! its award computed by `domain::pooling::settle` like any other.

use super::{DEMO_ACCOUNTS, DEMO_ASSOCIATION, DEMO_SME, InsertedIds, PlannedOrganisation};
use domain::person::Role;
use store::pooling::{self as stored, PoolFields, StoredTier};
use store::{Conn, StoreError};

const ENERGY_SUPPLIER: &str = "Énergies Démo Réseaux SA";
const DAY: i64 = 86_400_000;
const MAX_TOTAL: i64 = domain::pooling::money::MAX_TOTAL_VOLUME as i64;

fn tiers(list: &[(i64, &str)]) -> Vec<StoredTier> {
    list.iter()
        .map(|&(from_volume, price)| StoredTier {
            from_volume,
            unit_price: price.to_owned(),
        })
        .collect()
}

pub(super) async fn insert(
    conn: &mut Conn,
    cluster_id: i64,
    plan: &[PlannedOrganisation],
    ids: &[InsertedIds],
) -> Result<(), StoreError> {
    let now = store::now_ms();
    let staff = DEMO_ACCOUNTS
        .iter()
        .find(|a| a.organisation == DEMO_ASSOCIATION && a.role == Role::ClusterAdmin)
        .and_then(|account| {
            plan.iter().zip(ids).find_map(|(o, (_, people))| {
                o.people
                    .iter()
                    .position(|p| p.email == account.email)
                    .map(|i| people[i])
            })
        });
    let organisation = |name: &str| {
        plan.iter()
            .zip(ids)
            .find(|(o, _)| o.fields.legal_name == name)
            .map(|(_, (id, _))| *id)
    };
    let of_size = |size: &str, skip: usize, take: usize| -> Vec<i64> {
        plan.iter()
            .zip(ids)
            .filter(|(o, (_, people))| {
                o.fields.size.as_deref() == Some(size)
                    && o.fields.legal_name != DEMO_SME
                    && !people.is_empty()
            })
            .map(|(_, (id, _))| *id)
            .skip(skip)
            .take(take)
            .collect()
    };
    let (Some(energy), Some(demo_sme)) = (organisation(ENERGY_SUPPLIER), organisation(DEMO_SME)) else {
        return Ok(());
    };
    // Past the SMEs the portfolio and the listings use, so that each story keeps its own.
    let smes = of_size("sme", 10, 7);
    let packagers = of_size("mid_cap", 0, 2);
    if smes.len() < 7 || packagers.len() < 2 {
        return Ok(());
    }

    // An open pool: green electricity for 2027, four SMEs in, the energy group's offer sealed.
    let open = stored::create(
        conn,
        cluster_id,
        &PoolFields {
            title: "Électricité verte 2027 — groupement des PME du pôle".into(),
            category: "energy".into(),
            specification: "Fourniture d'électricité d'origine renouvelable garantie (garanties d'origine \
                            françaises), profil industriel en journée, sites raccordés en basse tension \
                            C4/C5, livraison du 1er janvier au 31 décembre 2027, prix ferme hors \
                            acheminement et taxes."
                .into(),
            unit: "MWh".into(),
            opens_at: now - 3 * DAY,
            closes_at: now + 21 * DAY,
            minimum_volume: 2_000,
        },
        staff,
        now - 5 * DAY,
    )
    .await?;
    stored::set_invitations(conn, open, &[energy], staff, now - 5 * DAY).await?;
    stored::publish(conn, open, staff, now - 4 * DAY).await?;
    for (k, (volume, price)) in [(420, "186.40"), (310, "201.75"), (650, "179.90"), (280, "210.30")]
        .into_iter()
        .enumerate()
    {
        stored::commit(
            conn,
            open,
            smes[k],
            volume,
            price,
            None,
            now - 2 * DAY + k as i64 * 3_600_000,
            MAX_TOTAL,
        )
        .await?;
    }
    stored::save_offer(
        conn,
        open,
        energy,
        &tiers(&[(1, "172.50"), (1_500, "164.80"), (3_000, "158.20")]),
        Some(8_000),
        None,
        now - DAY,
    )
    .await?;

    // An awarded pool: pallets and cartons for the first half of 2027, the demo SME among the
    // committed, two packaging mid-caps invited. Its window is in the past: every write carries
    // the instant it happened at.
    let closes = now - 7 * DAY;
    let awarded = stored::create(
        conn,
        cluster_id,
        &PoolFields {
            title: "Palettes et cartons — 1er semestre 2027".into(),
            category: "packaging".into(),
            specification: "Palettes bois EUR/EPAL 1200 × 800 neuves traitées NIMP 15 et cartons \
                            double cannelure aux formats du cahier des charges, livrées sur les sites \
                            d'Occitanie par lots de 30 palettes minimum."
                .into(),
            unit: "palette".into(),
            opens_at: closes - 28 * DAY,
            closes_at: closes,
            minimum_volume: 400,
        },
        staff,
        closes - 35 * DAY,
    )
    .await?;
    stored::set_invitations(conn, awarded, &packagers, staff, closes - 34 * DAY).await?;
    stored::publish(conn, awarded, staff, closes - 30 * DAY).await?;
    let committed = [
        (demo_sme, 120, "14.80"),
        (smes[4], 200, "15.20"),
        (smes[5], 90, "16.00"),
        (smes[6], 150, "14.50"),
    ];
    for (k, &(organisation_id, volume, price)) in committed.iter().enumerate() {
        stored::commit(
            conn,
            awarded,
            organisation_id,
            volume,
            price,
            None,
            closes - 20 * DAY + k as i64 * DAY,
            MAX_TOTAL,
        )
        .await?;
    }
    stored::save_offer(
        conn,
        awarded,
        packagers[0],
        &tiers(&[(1, "14.90"), (300, "13.60"), (500, "12.95")]),
        Some(600),
        None,
        closes - 10 * DAY,
    )
    .await?;
    stored::save_offer(
        conn,
        awarded,
        packagers[1],
        &tiers(&[(1, "14.20"), (250, "13.10")]),
        Some(350),
        None,
        closes - 9 * DAY,
    )
    .await?;
    stored::close(conn, awarded, closes).await?;
    let pool = stored::get(conn, awarded).await?.expect("just created");
    let commitments = stored::commitments(conn, awarded).await?;
    let offers = stored::unsealed_offers(conn, awarded, closes).await?;
    let committed_volume: i64 = commitments.iter().map(|c| c.volume).sum();
    // The figures above are fixed and valid: settling them cannot be refused.
    let (outcome, award) =
        crate::pooling::settled(&pool, &commitments, &offers).expect("the demo pool's figures settle");
    let award_ref = award.as_ref().map(|(t, l, s)| (t, l.as_slice(), s.as_slice()));
    stored::record_outcome(conn, awarded, outcome, committed_volume, award_ref).await?;
    stored::confirm_award(conn, awarded, staff, closes + DAY).await?;
    Ok(())
}
