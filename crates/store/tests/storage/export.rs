//! Storage stories of export, on both backends (`on_both_backends!` comes from the suite's root).

#[allow(unused_imports)]
use super::*;
use store::export::{self as stored, PremisesFields, VieFields};

on_both_backends!(
    premises_round_trip_and_withdrawing_declines_pending_requests,
    stay_requests_are_decided_once_and_read_per_organisation,
    vie_posts_keep_decimal_text_and_confirm_once,
    one_organisation_has_one_live_application_per_post,
    a_second_accept_waits_for_the_offer_lock,
);

/// A cluster with a host and two requesting members: (cluster, host, [a, b], person of a).
async fn setup(conn: &mut store::Conn) -> (i64, i64, [i64; 2], i64) {
    let cluster = clusters::insert(conn, "Pôle", "pole").await.unwrap();
    let mut ids = Vec::new();
    for (i, siret) in ["73282932000074", "55208131766522", "44306184100047"]
        .iter()
        .enumerate()
    {
        let id = organisations::insert(conn, &fields(&format!("Membre {i}"), siret))
            .await
            .unwrap();
        clusters::add_member(conn, cluster, id).await.unwrap();
        ids.push(id);
    }
    let person_id = people::insert(conn, &person(ids[1], "pme@example.fr"))
        .await
        .unwrap();
    (cluster, ids[0], [ids[1], ids[2]], person_id)
}

fn montreal(desks: i64) -> PremisesFields {
    PremisesFields {
        city: "Montréal".into(),
        country: "CA".into(),
        desks,
        available_from: "2031-03-01".into(),
        available_to: "2031-06-30".into(),
        conditions: "Badge à l'accueil".into(),
        contact_person_id: None,
        contact_email: Some("international@example.fr".into()),
    }
}

async fn premises_round_trip_and_withdrawing_declines_pending_requests(db: TestDatabase) {
    let mut conn = db.store.conn().await.unwrap();
    let (cluster, host, [a, _], by) = setup(&mut conn).await;
    let id = stored::insert_premises(&mut conn, cluster, host, &montreal(3), None, 1_000)
        .await
        .unwrap();
    let read = stored::premises(&mut conn, id).await.unwrap().unwrap();
    assert_eq!(
        (read.city.as_str(), read.desks, read.host_id),
        ("Montréal", 3, host)
    );
    assert_eq!(read.contact_email.as_deref(), Some("international@example.fr"));
    assert!(
        stored::update_premises(&mut conn, id, &montreal(5), 2_000)
            .await
            .unwrap()
    );
    assert_eq!(stored::premises(&mut conn, id).await.unwrap().unwrap().desks, 5);

    let pending = stored::insert_stay(
        &mut conn,
        id,
        a,
        "2031-04-01",
        "2031-04-10",
        2,
        "Salon",
        Some(by),
        3_000,
    )
    .await
    .unwrap();
    let accepted = stored::insert_stay(
        &mut conn,
        id,
        a,
        "2031-05-01",
        "2031-05-10",
        1,
        "Clients",
        Some(by),
        3_000,
    )
    .await
    .unwrap();
    assert!(
        stored::settle_stay(&mut conn, accepted, "accepted", "", None, 4_000)
            .await
            .unwrap()
    );

    assert!(
        stored::withdraw_premises(&mut conn, id, "Retirés", None, 5_000)
            .await
            .unwrap()
    );
    assert!(
        !stored::withdraw_premises(&mut conn, id, "Retirés", None, 6_000)
            .await
            .unwrap()
    );
    let closed = stored::stay(&mut conn, pending).await.unwrap().unwrap();
    assert_eq!(
        (closed.state.as_str(), closed.answer.as_str()),
        ("declined", "Retirés")
    );
    assert_eq!(
        stored::stay(&mut conn, accepted).await.unwrap().unwrap().state,
        "accepted"
    );
    assert!(
        stored::premises_of_cluster(&mut conn, cluster)
            .await
            .unwrap()
            .is_empty()
    );
    assert!(
        !stored::update_premises(&mut conn, id, &montreal(6), 7_000)
            .await
            .unwrap()
    );
}

async fn stay_requests_are_decided_once_and_read_per_organisation(db: TestDatabase) {
    let mut tx = db.store.begin().await.unwrap();
    let (cluster, host, [a, b], by) = setup(&mut tx).await;
    let id = stored::insert_premises(&mut tx, cluster, host, &montreal(3), None, 1_000)
        .await
        .unwrap();
    // The lock is a plain statement inside the transaction on both backends.
    stored::lock_premises(&mut tx, id).await.unwrap();
    let ours = stored::insert_stay(
        &mut tx,
        id,
        a,
        "2031-04-01",
        "2031-04-10",
        2,
        "Salon",
        Some(by),
        2_000,
    )
    .await
    .unwrap();
    let theirs = stored::insert_stay(
        &mut tx,
        id,
        b,
        "2031-04-05",
        "2031-04-12",
        1,
        "Usine",
        None,
        2_000,
    )
    .await
    .unwrap();
    tx.commit().await.unwrap();
    let mut conn = db.store.conn().await.unwrap();
    let of_a: Vec<i64> = stored::stays(&mut conn, id, Some(a))
        .await
        .unwrap()
        .iter()
        .map(|s| s.id)
        .collect();
    assert_eq!(of_a, vec![ours]);
    let all: Vec<i64> = stored::stays(&mut conn, id, None)
        .await
        .unwrap()
        .iter()
        .map(|s| s.id)
        .collect();
    assert_eq!(all, vec![ours, theirs]);

    assert!(
        stored::settle_stay(&mut conn, ours, "accepted", "Bienvenue", None, 3_000)
            .await
            .unwrap()
    );
    assert!(
        !stored::settle_stay(&mut conn, ours, "declined", "Non", None, 4_000)
            .await
            .unwrap()
    );
    let decided = stored::stay(&mut conn, ours).await.unwrap().unwrap();
    assert_eq!(
        (
            decided.state.as_str(),
            decided.answer.as_str(),
            decided.decided_at
        ),
        ("accepted", "Bienvenue", Some(3_000))
    );
    assert!(
        stored::settle_stay(&mut conn, theirs, "withdrawn", "", None, 5_000)
            .await
            .unwrap()
    );
    assert!(
        !stored::settle_stay(&mut conn, theirs, "accepted", "", None, 6_000)
            .await
            .unwrap()
    );
}

async fn vie_posts_keep_decimal_text_and_confirm_once(db: TestDatabase) {
    let mut conn = db.store.conn().await.unwrap();
    let (cluster, host, [a, b], by) = setup(&mut conn).await;
    let fields = VieFields {
        title: "VIE Munich".into(),
        country: "DE".into(),
        city: "Munich".into(),
        mission: "Ventes".into(),
        starts_on: "2031-09-01".into(),
        duration_months: 12,
        monthly_cost: "4200.50".into(),
    };
    let post = stored::insert_post(&mut conn, cluster, host, &fields, None, 1_000)
        .await
        .unwrap();
    assert_eq!(
        stored::post(&mut conn, post).await.unwrap().unwrap().monthly_cost,
        "4200.50"
    );
    let first = stored::insert_application(&mut conn, post, a, "33.33", "Prospection", Some(by), 2_000)
        .await
        .unwrap();
    let second = stored::insert_application(&mut conn, post, b, "66.67", "Veille", None, 2_000)
        .await
        .unwrap();
    assert_eq!(
        stored::application(&mut conn, first)
            .await
            .unwrap()
            .unwrap()
            .share,
        "33.33"
    );
    let of_b = stored::applications(&mut conn, post, Some(b)).await.unwrap();
    assert_eq!(of_b.iter().map(|x| x.id).collect::<Vec<_>>(), vec![second]);
    for id in [first, second] {
        assert!(
            stored::settle_application(&mut conn, id, "accepted", "", None, 3_000)
                .await
                .unwrap()
        );
    }
    assert!(
        !stored::settle_application(&mut conn, first, "declined", "", None, 3_500)
            .await
            .unwrap()
    );
    stored::lock_post(&mut conn, post).await.unwrap();
    assert!(stored::confirm_post(&mut conn, post, None, 4_000).await.unwrap());
    assert!(!stored::confirm_post(&mut conn, post, None, 5_000).await.unwrap());
    assert_eq!(
        stored::posts_of_cluster(&mut conn, cluster).await.unwrap().len(),
        1
    );
    // b's share is accepted: a second live application of b is refused by the store itself.
    assert!(matches!(
        stored::insert_application(&mut conn, post, b, "1", "x", None, 6_000).await,
        Err(StoreError::Duplicate(_))
    ));
    let pending = stored::insert_application(&mut conn, post, host, "1", "x", None, 6_000)
        .await
        .unwrap();
    assert!(
        stored::withdraw_post(&mut conn, post, "Retiré", None, 7_000)
            .await
            .unwrap()
    );
    assert_eq!(
        stored::application(&mut conn, pending)
            .await
            .unwrap()
            .unwrap()
            .state,
        "declined"
    );
    assert_eq!(
        stored::application(&mut conn, first)
            .await
            .unwrap()
            .unwrap()
            .state,
        "accepted"
    );
    assert!(
        stored::posts_of_cluster(&mut conn, cluster)
            .await
            .unwrap()
            .is_empty()
    );
    assert!(!stored::confirm_post(&mut conn, post, None, 8_000).await.unwrap());
}

fn munich() -> VieFields {
    VieFields {
        title: "VIE Munich".into(),
        country: "DE".into(),
        city: "Munich".into(),
        mission: "Ventes".into(),
        starts_on: "2031-09-01".into(),
        duration_months: 12,
        monthly_cost: "4200.00".into(),
    }
}

/// Pending or accepted, an organisation's application is its only live one for the post; once
/// declined or withdrawn it may apply again.
async fn one_organisation_has_one_live_application_per_post(db: TestDatabase) {
    let mut conn = db.store.conn().await.unwrap();
    let (cluster, host, [a, b], _) = setup(&mut conn).await;
    let post = stored::insert_post(&mut conn, cluster, host, &munich(), None, 1_000)
        .await
        .unwrap();
    let first = stored::insert_application(&mut conn, post, a, "40", "Prospection", None, 2_000)
        .await
        .unwrap();
    assert!(matches!(
        stored::insert_application(&mut conn, post, a, "20", "Encore", None, 2_100).await,
        Err(StoreError::Duplicate(_))
    ));
    // Another organisation, and another post, are not concerned.
    stored::insert_application(&mut conn, post, b, "20", "Veille", None, 2_200)
        .await
        .unwrap();
    let other = stored::insert_post(&mut conn, cluster, host, &munich(), None, 1_000)
        .await
        .unwrap();
    stored::insert_application(&mut conn, other, a, "20", "Ailleurs", None, 2_300)
        .await
        .unwrap();
    assert!(
        stored::settle_application(&mut conn, first, "withdrawn", "", None, 3_000)
            .await
            .unwrap()
    );
    stored::insert_application(&mut conn, post, a, "30", "Nouvelle demande", None, 4_000)
        .await
        .unwrap();
    assert_eq!(
        stored::applications(&mut conn, post, Some(a))
            .await
            .unwrap()
            .len(),
        2
    );
}

/// The offer locks really serialise two writers on PostgreSQL: while one transaction holds the
/// premises' (or the post's) lock, another cannot take it (it would wait; here it gives up after
/// 100 ms), and takes it as soon as the first commits. Deterministic: no timing decides the
/// outcome, the 100 ms only bounds the wait. SQLite has no row locks (`BEGIN IMMEDIATE` serialises
/// its writers already): the story is skipped there.
async fn a_second_accept_waits_for_the_offer_lock(db: TestDatabase) {
    if db.store.backend() == Backend::Sqlite {
        eprintln!("skipped on SQLite: no row locks, writers are serialised by BEGIN IMMEDIATE");
        return;
    }
    let (premises, post) = {
        let mut conn = db.store.conn().await.unwrap();
        let (cluster, host, _, _) = setup(&mut conn).await;
        let premises = stored::insert_premises(&mut conn, cluster, host, &montreal(2), None, 1_000)
            .await
            .unwrap();
        let post = stored::insert_post(&mut conn, cluster, host, &munich(), None, 1_000)
            .await
            .unwrap();
        (premises, post)
    };
    for (what, id) in [("premises", premises), ("post", post)] {
        let mut first = db.store.begin().await.unwrap();
        lock(&mut first, what, id).await.unwrap();
        let mut second = db.store.begin().await.unwrap();
        assert!(
            lock(&mut second, what, id).await.is_err(),
            "the {what} lock is held by the first transaction"
        );
        second.rollback().await.unwrap();
        first.commit().await.unwrap();
        let mut third = db.store.begin().await.unwrap();
        lock(&mut third, what, id)
            .await
            .expect("free once the first committed");
        third.commit().await.unwrap();
    }
}

/// Takes an offer's lock, waiting 100 ms at most.
async fn lock(tx: &mut store::Tx, what: &str, id: i64) -> store::Result<()> {
    sqlx::query("SET LOCAL lock_timeout = '100ms'")
        .execute(&mut **tx)
        .await
        .unwrap();
    if what == "premises" {
        stored::lock_premises(tx, id).await
    } else {
        stored::lock_post(tx, id).await
    }
}
