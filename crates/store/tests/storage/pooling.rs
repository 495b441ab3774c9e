//! Storage stories of pooling, on both backends (`on_both_backends!` comes from the suite's root):
//! a pool round-trips with its suppliers, commitments, offers and award; state changes are
//! guarded; the window and the seal live in the SQL statements themselves.

#[allow(unused_imports)]
use super::*;
use store::pooling::{self as pools, AwardLine, AwardShare, AwardTotals, PoolFields, StoredTier, Taken};

on_both_backends!(
    a_pool_round_trips_with_its_commitments_offers_and_award,
    pool_state_changes_are_guarded,
    a_late_commitment_or_offer_is_refused_by_the_sql_guard_and_the_standing_one_kept,
    a_draft_cancelled_before_publication_stays_unpublished,
    an_open_pool_past_its_close_is_settled_before_it_is_cancelled,
    the_commit_statement_caps_the_pool_total,
    an_interrupted_settlement_is_due_again,
    a_take_under_way_at_the_close_is_waited_for,
);

/// The total the statement allows in these stories (the app passes `MAX_TOTAL_VOLUME`).
const MAX: i64 = 1_000_000_000_000;

const OPENS: i64 = 1_800_000_000_000;
const CLOSES: i64 = OPENS + 86_400_000;

struct Fixture {
    cluster: i64,
    sme: i64,
    other_sme: i64,
    supplier: i64,
    staff: i64,
    pool: i64,
}

fn pool_fields(title: &str) -> PoolFields {
    PoolFields {
        title: title.to_owned(),
        category: "energy".into(),
        specification: "Électricité verte".into(),
        unit: "kWh".into(),
        opens_at: OPENS,
        closes_at: CLOSES,
        minimum_volume: 100,
    }
}

async fn fixture(conn: &mut store::Conn) -> Fixture {
    let cluster = clusters::insert(conn, "Pôle Démo", "pole-demo").await.unwrap();
    let association = organisations::insert(conn, &fields("Pôle Démo", "73282932000074"))
        .await
        .unwrap();
    let sme = organisations::insert(conn, &fields("Usinage Titane SAS", "40483304800022"))
        .await
        .unwrap();
    let other_sme = organisations::insert(conn, &fields("Autre PME SARL", "10000000000001"))
        .await
        .unwrap();
    let supplier = organisations::insert(conn, &fields("Énergies SA", "10000000000002"))
        .await
        .unwrap();
    for org in [association, sme, other_sme, supplier] {
        clusters::add_member(conn, cluster, org).await.unwrap();
    }
    let staff = people::insert(conn, &person(association, "animation@pole.fr"))
        .await
        .unwrap();
    let pool = pools::create(
        conn,
        cluster,
        &pool_fields("Électricité 2027"),
        Some(staff),
        OPENS - 5_000,
    )
    .await
    .unwrap();
    Fixture {
        cluster,
        sme,
        other_sme,
        supplier,
        staff,
        pool,
    }
}

fn tiers(list: &[(i64, &str)]) -> Vec<StoredTier> {
    list.iter()
        .map(|&(from_volume, price)| StoredTier {
            from_volume,
            unit_price: price.to_owned(),
        })
        .collect()
}

async fn a_pool_round_trips_with_its_commitments_offers_and_award(db: TestDatabase) {
    let mut conn = db.store.conn().await.unwrap();
    let f = fixture(&mut conn).await;
    let pool = pools::get(&mut conn, f.pool).await.unwrap().unwrap();
    assert_eq!(
        (pool.state.as_str(), pool.title.as_str(), pool.minimum_volume),
        ("draft", "Électricité 2027", 100)
    );
    assert_eq!(pools::of_cluster(&mut conn, f.cluster).await.unwrap().len(), 1);
    assert!(
        pools::set_invitations(&mut conn, f.pool, &[f.supplier], Some(f.staff), OPENS - 4_000)
            .await
            .unwrap()
    );
    assert_eq!(pools::invitations(&mut conn, f.pool).await.unwrap(), [f.supplier]);
    assert!(
        pools::inviting(&mut conn, f.supplier).await.unwrap().is_empty(),
        "a draft invites nobody yet"
    );
    assert!(
        pools::publish(&mut conn, f.pool, Some(f.staff), OPENS - 3_000)
            .await
            .unwrap()
    );
    assert_eq!(
        pools::inviting(&mut conn, f.supplier).await.unwrap()[0].id,
        f.pool
    );

    assert!(
        pools::commit(&mut conn, f.pool, f.sme, 60, "0.21", None, OPENS + 1, MAX)
            .await
            .unwrap()
    );
    assert!(
        pools::commit(&mut conn, f.pool, f.other_sme, 40, "0.2", None, OPENS + 2, MAX)
            .await
            .unwrap()
    );
    // A change keeps the commitment's place (its first instant).
    assert!(
        pools::commit(&mut conn, f.pool, f.sme, 70, "0.2100", None, OPENS + 3, MAX)
            .await
            .unwrap()
    );
    let commitments = pools::commitments(&mut conn, f.pool).await.unwrap();
    assert_eq!(
        commitments
            .iter()
            .map(|c| (c.organisation_id, c.volume))
            .collect::<Vec<_>>(),
        [(f.sme, 70), (f.other_sme, 40)]
    );
    assert_eq!(commitments[0].committed_at, OPENS + 1);
    assert_eq!(
        commitments[0].current_price, "0.2100",
        "decimal text is kept as written"
    );
    assert_eq!(pools::progress(&mut conn, f.pool).await.unwrap(), (2, 110));
    assert!(
        pools::withdraw(&mut conn, Taken::Commitment, f.pool, f.other_sme, OPENS + 4)
            .await
            .unwrap()
    );
    assert!(
        !pools::withdraw(&mut conn, Taken::Commitment, f.pool, f.other_sme, OPENS + 5)
            .await
            .unwrap(),
        "nothing left to withdraw"
    );
    assert_eq!(pools::progress(&mut conn, f.pool).await.unwrap(), (1, 70));

    let offer = tiers(&[(1, "0.2"), (50, "0.15")]);
    assert!(
        pools::save_offer(&mut conn, f.pool, f.supplier, &offer, Some(500), None, OPENS + 6)
            .await
            .unwrap()
    );
    assert!(
        !pools::save_offer(&mut conn, f.pool, f.sme, &offer, None, None, OPENS + 6)
            .await
            .unwrap(),
        "an organisation that is not invited cannot offer, whatever the caller checked"
    );
    let own = pools::own_offer(&mut conn, f.pool, f.supplier)
        .await
        .unwrap()
        .unwrap();
    assert_eq!((own.tiers.clone(), own.max_volume), (offer.clone(), Some(500)));
    // Sealed until the closing instant, opened at it.
    assert!(
        pools::unsealed_offers(&mut conn, f.pool, CLOSES - 1)
            .await
            .unwrap()
            .is_empty()
    );
    assert_eq!(
        pools::unsealed_offers(&mut conn, f.pool, CLOSES)
            .await
            .unwrap()
            .len(),
        1
    );

    assert!(pools::due(&mut conn, CLOSES - 1).await.unwrap().is_empty());
    assert_eq!(pools::due(&mut conn, CLOSES).await.unwrap(), [f.pool]);
    assert!(pools::close(&mut conn, f.pool, CLOSES).await.unwrap());
    assert!(
        !pools::close(&mut conn, f.pool, CLOSES + 1).await.unwrap(),
        "closed once"
    );
    let totals = AwardTotals {
        total: "10.50".into(),
        unit_price: "0.15".into(),
        current_total: "14.70".into(),
        savings: "4.20".into(),
    };
    let lines = [AwardLine {
        organisation_id: f.supplier,
        volume: 70,
        unit_price: Some("0.15".into()),
        cost: "10.50".into(),
    }];
    let shares = [AwardShare {
        organisation_id: f.sme,
        position: 0,
        volume: 70,
        current_price: "0.21".into(),
        current_cost: "14.70".into(),
        new_unit_price: "0.15".into(),
        new_cost: "10.50".into(),
        savings: "4.20".into(),
    }];
    assert!(
        pools::record_outcome(&mut conn, f.pool, "award", 70, Some((&totals, &lines, &shares)))
            .await
            .unwrap()
    );
    assert!(
        !pools::record_outcome(&mut conn, f.pool, "below_minimum", 70, None)
            .await
            .unwrap(),
        "settled once"
    );
    let pool = pools::get(&mut conn, f.pool).await.unwrap().unwrap();
    assert_eq!(
        (
            pool.outcome.as_deref(),
            pool.award_total.as_deref(),
            pool.committed_volume
        ),
        (Some("award"), Some("10.50"), Some(70))
    );
    assert_eq!(pools::award_lines(&mut conn, f.pool).await.unwrap(), lines);
    assert_eq!(pools::award_shares(&mut conn, f.pool).await.unwrap(), shares);
    assert!(
        pools::confirm_award(&mut conn, f.pool, Some(f.staff), CLOSES + 10)
            .await
            .unwrap()
    );
    assert!(
        !pools::confirm_award(&mut conn, f.pool, Some(f.staff), CLOSES + 11)
            .await
            .unwrap(),
        "awarded once"
    );
    assert_eq!(
        pools::get(&mut conn, f.pool).await.unwrap().unwrap().state,
        "awarded"
    );
}

async fn pool_state_changes_are_guarded(db: TestDatabase) {
    let mut conn = db.store.conn().await.unwrap();
    let f = fixture(&mut conn).await;
    assert!(
        pools::update_draft(
            &mut conn,
            f.pool,
            &pool_fields("Électricité 2027 bis"),
            None,
            OPENS - 4_000
        )
        .await
        .unwrap()
    );
    // A draft takes no commitment, and cannot be published once its close has passed.
    assert!(
        !pools::commit(&mut conn, f.pool, f.sme, 10, "1", None, OPENS + 1, MAX)
            .await
            .unwrap()
    );
    assert!(!pools::publish(&mut conn, f.pool, None, CLOSES).await.unwrap());
    assert!(
        pools::publish(&mut conn, f.pool, None, OPENS - 3_000)
            .await
            .unwrap()
    );
    assert!(
        !pools::publish(&mut conn, f.pool, None, OPENS - 2_000)
            .await
            .unwrap(),
        "published once"
    );
    assert!(
        !pools::update_draft(&mut conn, f.pool, &pool_fields("Changé"), None, OPENS)
            .await
            .unwrap()
    );
    assert!(
        !pools::set_invitations(&mut conn, f.pool, &[f.supplier], None, OPENS)
            .await
            .unwrap()
    );
    // Before the opening instant nothing is taken either.
    assert!(
        !pools::commit(&mut conn, f.pool, f.sme, 10, "1", None, OPENS - 1, MAX)
            .await
            .unwrap()
    );
    assert!(
        !pools::confirm_award(&mut conn, f.pool, None, OPENS)
            .await
            .unwrap(),
        "nothing to confirm while open"
    );
    // Of two cancellers expecting different states, only the right one wins.
    assert!(
        !pools::cancel(&mut conn, f.pool, "draft", "late", None, OPENS)
            .await
            .unwrap()
    );
    assert!(
        pools::cancel(&mut conn, f.pool, "open", "Besoin abandonné", None, OPENS)
            .await
            .unwrap()
    );
    assert!(
        !pools::cancel(&mut conn, f.pool, "open", "again", None, OPENS)
            .await
            .unwrap()
    );
    assert!(
        !pools::commit(&mut conn, f.pool, f.sme, 10, "1", None, OPENS + 1, MAX)
            .await
            .unwrap()
    );
    assert!(
        pools::due(&mut conn, CLOSES + 1).await.unwrap().is_empty(),
        "a cancelled pool never closes"
    );
    let pool = pools::get(&mut conn, f.pool).await.unwrap().unwrap();
    assert_eq!(
        (pool.state.as_str(), pool.cancel_reason.as_deref()),
        ("cancelled", Some("Besoin abandonné"))
    );
}

async fn a_late_commitment_or_offer_is_refused_by_the_sql_guard_and_the_standing_one_kept(db: TestDatabase) {
    let mut conn = db.store.conn().await.unwrap();
    let f = fixture(&mut conn).await;
    pools::set_invitations(&mut conn, f.pool, &[f.supplier], None, OPENS - 4_000)
        .await
        .unwrap();
    pools::publish(&mut conn, f.pool, None, OPENS - 3_000)
        .await
        .unwrap();
    assert!(
        pools::commit(&mut conn, f.pool, f.sme, 10, "1.5", None, CLOSES - 1, MAX)
            .await
            .unwrap(),
        "the last millisecond counts"
    );
    let offer = tiers(&[(1, "1")]);
    assert!(
        pools::save_offer(&mut conn, f.pool, f.supplier, &offer, None, None, CLOSES - 1)
            .await
            .unwrap()
    );
    // Exactly at the closing instant, and after: refused, and nothing changes.
    for now in [CLOSES, CLOSES + 60_000] {
        assert!(
            !pools::commit(&mut conn, f.pool, f.sme, 99, "9", None, now, MAX)
                .await
                .unwrap()
        );
        assert!(
            !pools::commit(&mut conn, f.pool, f.other_sme, 5, "9", None, now, MAX)
                .await
                .unwrap()
        );
        assert!(
            !pools::withdraw(&mut conn, Taken::Commitment, f.pool, f.sme, now)
                .await
                .unwrap()
        );
        assert!(
            !pools::save_offer(
                &mut conn,
                f.pool,
                f.supplier,
                &tiers(&[(1, "0.5")]),
                None,
                None,
                now
            )
            .await
            .unwrap()
        );
        assert!(
            !pools::withdraw(&mut conn, Taken::Offer, f.pool, f.supplier, now)
                .await
                .unwrap()
        );
    }
    let commitments = pools::commitments(&mut conn, f.pool).await.unwrap();
    assert_eq!(commitments.len(), 1);
    assert_eq!(
        (commitments[0].volume, commitments[0].current_price.as_str()),
        (10, "1.5")
    );
    assert_eq!(
        pools::own_offer(&mut conn, f.pool, f.supplier)
            .await
            .unwrap()
            .unwrap()
            .tiers,
        offer
    );
}

/// Publishes the fixture's pool with the supplier invited.
async fn published(conn: &mut store::Conn, f: &Fixture) {
    pools::set_invitations(conn, f.pool, &[f.supplier], None, OPENS - 4_000)
        .await
        .unwrap();
    assert!(pools::publish(conn, f.pool, None, OPENS - 3_000).await.unwrap());
}

async fn a_draft_cancelled_before_publication_stays_unpublished(db: TestDatabase) {
    let mut conn = db.store.conn().await.unwrap();
    let f = fixture(&mut conn).await;
    pools::set_invitations(&mut conn, f.pool, &[f.supplier], None, OPENS - 4_000)
        .await
        .unwrap();
    assert!(
        pools::cancel(
            &mut conn,
            f.pool,
            "draft",
            "Besoin abandonné",
            None,
            OPENS - 3_000
        )
        .await
        .unwrap()
    );
    assert!(
        pools::inviting(&mut conn, f.supplier).await.unwrap().is_empty(),
        "a draft cancelled unpublished invites nobody"
    );
    assert!(
        pools::unsealed_offers(&mut conn, f.pool, CLOSES + 1)
            .await
            .unwrap()
            .is_empty()
    );
    let pool = pools::get(&mut conn, f.pool).await.unwrap().unwrap();
    assert_eq!((pool.state.as_str(), pool.published_at), ("cancelled", None));
}

async fn an_open_pool_past_its_close_is_settled_before_it_is_cancelled(db: TestDatabase) {
    let mut conn = db.store.conn().await.unwrap();
    let f = fixture(&mut conn).await;
    published(&mut conn, &f).await;
    for now in [CLOSES, CLOSES + 60_000] {
        assert!(
            !pools::cancel(&mut conn, f.pool, "open", "trop tard", None, now)
                .await
                .unwrap(),
            "open past its close: being settled"
        );
    }
    assert!(pools::close(&mut conn, f.pool, CLOSES + 60_000).await.unwrap());
    assert!(
        pools::cancel(
            &mut conn,
            f.pool,
            "closed",
            "Offres insuffisantes",
            None,
            CLOSES + 70_000
        )
        .await
        .unwrap()
    );
}

async fn the_commit_statement_caps_the_pool_total(db: TestDatabase) {
    let mut conn = db.store.conn().await.unwrap();
    let f = fixture(&mut conn).await;
    published(&mut conn, &f).await;
    let commit = |org: i64, volume: i64| (org, volume);
    let mut conn2 = db.store.conn().await.unwrap();
    for ((org, volume), taken) in [
        (commit(f.sme, 60), true),
        (commit(f.other_sme, 50), false),
        (commit(f.other_sme, 40), true),
        // A change counts the others only: 40 + 61 is over, 40 + 60 is not.
        (commit(f.sme, 61), false),
        (commit(f.sme, 60), true),
    ] {
        assert_eq!(
            pools::commit(&mut conn2, f.pool, org, volume, "1", None, OPENS + 1, 100)
                .await
                .unwrap(),
            taken,
            "{volume} by {org}"
        );
    }
    assert_eq!(pools::progress(&mut conn, f.pool).await.unwrap(), (2, 100));
}

async fn an_interrupted_settlement_is_due_again(db: TestDatabase) {
    let mut conn = db.store.conn().await.unwrap();
    let f = fixture(&mut conn).await;
    published(&mut conn, &f).await;
    assert!(pools::due(&mut conn, CLOSES - 1).await.unwrap().is_empty());
    assert_eq!(pools::due(&mut conn, CLOSES).await.unwrap(), [f.pool]);
    assert!(pools::close(&mut conn, f.pool, CLOSES).await.unwrap());
    // Closed, its outcome not recorded yet (the closer stopped): still due.
    assert_eq!(pools::due(&mut conn, CLOSES + 1).await.unwrap(), [f.pool]);
    assert!(
        pools::record_outcome(&mut conn, f.pool, "no_offer", 0, None)
            .await
            .unwrap()
    );
    assert!(pools::due(&mut conn, CLOSES + 2).await.unwrap().is_empty());
}

/// A commitment under way when the close comes is either in what the close reads, or refused —
/// never accepted and then missing from the settlement. The take locks the pool row first
/// (`lock_taking`); the close updates that row, so it waits for the take to end. PostgreSQL only:
/// SQLite lets one writer at a time anyway.
async fn a_take_under_way_at_the_close_is_waited_for(db: TestDatabase) {
    if !db.url.starts_with("postgres") {
        return;
    }
    let mut conn = db.store.conn().await.unwrap();
    let f = fixture(&mut conn).await;
    published(&mut conn, &f).await;
    assert!(!pools::lock_taking(&mut conn, f.pool, CLOSES).await.unwrap());
    assert!(!pools::lock_taking(&mut conn, f.pool, OPENS - 1).await.unwrap());

    let mut take = db.store.begin().await.unwrap();
    assert!(pools::lock_taking(&mut take, f.pool, CLOSES - 1).await.unwrap());
    assert!(
        pools::commit(&mut take, f.pool, f.sme, 10, "1", None, CLOSES - 1, MAX)
            .await
            .unwrap()
    );
    let store = db.store.clone();
    let pool = f.pool;
    let closer = tokio::spawn(async move {
        let mut tx = store.begin().await.unwrap();
        let closed = pools::close(&mut tx, pool, CLOSES).await.unwrap();
        tx.commit().await.unwrap();
        let mut conn = store.conn().await.unwrap();
        (closed, pools::commitments(&mut conn, pool).await.unwrap())
    });
    // Until the closer waits for the pool row (or, were the row not locked, has finished).
    loop {
        if closer.is_finished() {
            break;
        }
        let waiting: i64 = sqlx::query_scalar(
            "SELECT COUNT(*) FROM pg_stat_activity WHERE wait_event_type = 'Lock' \
             AND datname = current_database()",
        )
        .fetch_one(&mut *conn)
        .await
        .unwrap();
        if waiting > 0 {
            break;
        }
        tokio::task::yield_now().await;
    }
    take.commit().await.unwrap();
    let (closed, seen) = closer.await.unwrap();
    assert!(closed);
    assert_eq!(
        seen.iter().map(|c| c.organisation_id).collect::<Vec<_>>(),
        [f.sme],
        "the commitment taken before the close is read by the close"
    );
    // After the close, a take is refused at its first statement.
    let mut late = db.store.begin().await.unwrap();
    assert!(!pools::lock_taking(&mut late, f.pool, CLOSES - 1).await.unwrap());
}
