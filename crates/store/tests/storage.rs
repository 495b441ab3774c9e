//! The storage test-suite: every story runs on SQLite and on PostgreSQL (when
//! `PASSERELLE_TEST_DATABASE_URL` names a server), each on a fresh database.

use store::records::{NewPerson, OrganisationFields};
use store::testing::TestDatabase;
use store::{Backend, StoreError, auth, clusters, organisations, people};

/// Runs `story` once per backend; the PostgreSQL half says so when it is skipped.
macro_rules! on_both_backends {
    ($($story:ident),* $(,)?) => {$(
        mod $story {
            use super::*;
            #[tokio::test]
            async fn sqlite() {
                super::$story(TestDatabase::of(Backend::Sqlite).await.unwrap()).await;
            }
            #[tokio::test]
            async fn postgres() {
                match TestDatabase::of(Backend::Postgres).await {
                    Some(db) => super::$story(db).await,
                    None => eprintln!("skipped: PostgreSQL half of {} (PASSERELLE_TEST_DATABASE_URL not set)", stringify!($story)),
                }
            }
        }
    )*};
}

on_both_backends!(
    organisation_round_trips_and_siret_is_unique,
    member_listing_is_per_cluster_accent_insensitive_and_paginated,
    people_hold_roles_and_emails_are_unique,
    sessions_expire_and_end,
    password_reset_tokens_are_single_use,
    invitations_are_accepted_once,
    api_tokens_are_found_by_hash_and_revocable,
    a_rolled_back_transaction_leaves_nothing,
    references_to_missing_records_are_refused,
    migrating_twice_changes_nothing,
    audit_entries_are_read_back_in_order,
);

fn fields(name: &str, siret: &str) -> OrganisationFields {
    OrganisationFields {
        legal_name: name.to_owned(),
        kind: "company".into(),
        siren: siret[..9].to_owned(),
        siret: siret.to_owned(),
        naf_code: "62.01Z".into(),
        address_line: "1 rue de la Paix".into(),
        postcode: "75002".into(),
        commune_code: "75102".into(),
        department_code: "75".into(),
        region_code: "11".into(),
        headcount: 42,
        turnover_eur: Some(3_000_000),
        balance_sheet_eur: None,
        size: Some("sme".into()),
        website: None,
    }
}

fn person(organisation_id: i64, email: &str) -> NewPerson {
    NewPerson {
        organisation_id,
        email: email.to_owned(),
        first_name: "Camille".into(),
        last_name: "Martin".into(),
        job_title: None,
        locale: "fr".into(),
        password_hash: Some("hash".into()),
    }
}

async fn organisation_round_trips_and_siret_is_unique(db: TestDatabase) {
    let mut conn = db.store.conn().await.unwrap();
    let id = organisations::insert(&mut conn, &fields("Usinage Titane SAS", "73282932000074"))
        .await
        .unwrap();
    let read = organisations::get(&mut conn, id).await.unwrap().unwrap();
    assert_eq!(read.legal_name, "Usinage Titane SAS");
    assert_eq!(read.turnover_eur, Some(3_000_000));
    assert_eq!(read.balance_sheet_eur, None);
    assert_eq!(
        organisations::by_siret(&mut conn, "73282932000074")
            .await
            .unwrap()
            .unwrap()
            .id,
        id
    );

    let again = organisations::insert(&mut conn, &fields("Copie", "73282932000074")).await;
    assert!(matches!(again, Err(StoreError::Duplicate(_))), "{again:?}");

    let mut changed = fields("Usinage Titane", "73282932000074");
    changed.headcount = 50;
    assert!(organisations::update(&mut conn, id, &changed).await.unwrap());
    assert_eq!(
        organisations::get(&mut conn, id)
            .await
            .unwrap()
            .unwrap()
            .headcount,
        50
    );
    assert!(
        !organisations::update(&mut conn, id + 1000, &changed)
            .await
            .unwrap()
    );
    assert_eq!(organisations::count(&mut conn).await.unwrap(), 1);
}

async fn member_listing_is_per_cluster_accent_insensitive_and_paginated(db: TestDatabase) {
    let mut conn = db.store.conn().await.unwrap();
    let pole = clusters::insert(&mut conn, "Pôle Démo", "pole-demo")
        .await
        .unwrap();
    let other = clusters::insert(&mut conn, "Autre pôle", "autre").await.unwrap();
    let names = [
        "Métallurgie Alpine",
        "Mécanique de Précision",
        "Logiciels du Sud",
        "Metal Plus",
    ];
    for (i, name) in names.iter().enumerate() {
        let id = organisations::insert(&mut conn, &fields(name, &format!("1000000000000{i}")))
            .await
            .unwrap();
        assert!(clusters::add_member(&mut conn, pole, id).await.unwrap());
        assert!(
            !clusters::add_member(&mut conn, pole, id).await.unwrap(),
            "second add is a no-op"
        );
    }
    let outsider = organisations::insert(&mut conn, &fields("Métal Étranger", "10000000000099"))
        .await
        .unwrap();
    clusters::add_member(&mut conn, other, outsider).await.unwrap();

    let metal = organisations::list_members(&mut conn, pole, "METAL", 0, 10)
        .await
        .unwrap();
    let found: Vec<_> = metal.items.iter().map(|o| o.legal_name.as_str()).collect();
    assert_eq!(found, ["Metal Plus", "Métallurgie Alpine"]);
    assert_eq!(metal.total, 2);

    let first = organisations::list_members(&mut conn, pole, "", 0, 3)
        .await
        .unwrap();
    let second = organisations::list_members(&mut conn, pole, "", 3, 3)
        .await
        .unwrap();
    assert_eq!((first.total, first.items.len(), second.items.len()), (4, 3, 1));
    assert_eq!(clusters::count_members(&mut conn, pole).await.unwrap(), 4);
    assert_eq!(
        clusters::of_organisation(&mut conn, outsider).await.unwrap(),
        vec![other]
    );

    assert!(
        clusters::remove_member(&mut conn, pole, first.items[0].id)
            .await
            .unwrap()
    );
    assert_eq!(clusters::count_members(&mut conn, pole).await.unwrap(), 3);
}

async fn people_hold_roles_and_emails_are_unique(db: TestDatabase) {
    let mut conn = db.store.conn().await.unwrap();
    let org = organisations::insert(&mut conn, &fields("Acme", "73282932000074"))
        .await
        .unwrap();
    let id = people::insert(&mut conn, &person(org, "camille@acme.fr"))
        .await
        .unwrap();
    let dup = people::insert(&mut conn, &person(org, "camille@acme.fr")).await;
    assert!(matches!(dup, Err(StoreError::Duplicate(_))), "{dup:?}");

    people::grant(&mut conn, id, "buyer", "organisation", org)
        .await
        .unwrap();
    people::grant(&mut conn, id, "buyer", "organisation", org)
        .await
        .unwrap();
    people::grant(&mut conn, id, "cluster_admin", "cluster", 7)
        .await
        .unwrap();
    let grants = people::grants(&mut conn, id).await.unwrap();
    assert_eq!(grants.len(), 2);
    assert_eq!(grants[0].role, "buyer");

    assert_eq!(
        people::by_email(&mut conn, "camille@acme.fr")
            .await
            .unwrap()
            .unwrap()
            .id,
        id
    );
    assert_eq!(
        people::password_hash(&mut conn, id).await.unwrap().as_deref(),
        Some("hash")
    );
    people::set_password_hash(&mut conn, id, "new").await.unwrap();
    assert_eq!(
        people::password_hash(&mut conn, id).await.unwrap().as_deref(),
        Some("new")
    );
    people::set_locale(&mut conn, id, "en").await.unwrap();
    assert_eq!(
        people::of_organisation(&mut conn, org).await.unwrap()[0].locale,
        "en"
    );
}

async fn sessions_expire_and_end(db: TestDatabase) {
    let mut conn = db.store.conn().await.unwrap();
    let org = organisations::insert(&mut conn, &fields("Acme", "73282932000074"))
        .await
        .unwrap();
    let id = people::insert(&mut conn, &person(org, "a@acme.fr"))
        .await
        .unwrap();
    auth::insert_session(&mut conn, "live", id, 2_000).await.unwrap();
    auth::insert_session(&mut conn, "old", id, 1_000).await.unwrap();
    assert_eq!(
        auth::session_person(&mut conn, "live", 1_500).await.unwrap(),
        Some(id)
    );
    assert_eq!(auth::session_person(&mut conn, "old", 1_500).await.unwrap(), None);
    assert_eq!(auth::delete_expired_sessions(&mut conn, 1_500).await.unwrap(), 1);
    auth::insert_session(&mut conn, "other", id, 2_000).await.unwrap();
    assert_eq!(
        auth::delete_other_sessions(&mut conn, id, "live").await.unwrap(),
        1
    );
    assert_eq!(
        auth::session_person(&mut conn, "other", 1_500).await.unwrap(),
        None
    );
    assert_eq!(
        auth::session_person(&mut conn, "live", 1_500).await.unwrap(),
        Some(id)
    );
    auth::delete_session(&mut conn, "live").await.unwrap();
    assert_eq!(
        auth::session_person(&mut conn, "live", 1_500).await.unwrap(),
        None
    );
}

async fn password_reset_tokens_are_single_use(db: TestDatabase) {
    let mut conn = db.store.conn().await.unwrap();
    let org = organisations::insert(&mut conn, &fields("Acme", "73282932000074"))
        .await
        .unwrap();
    let id = people::insert(&mut conn, &person(org, "a@acme.fr"))
        .await
        .unwrap();
    auth::insert_password_reset(&mut conn, "tok", id, 5_000)
        .await
        .unwrap();
    auth::insert_password_reset(&mut conn, "stale", id, 1_000)
        .await
        .unwrap();
    assert_eq!(
        auth::use_password_reset(&mut conn, "stale", 2_000).await.unwrap(),
        None
    );
    assert_eq!(
        auth::use_password_reset(&mut conn, "tok", 2_000).await.unwrap(),
        Some(id)
    );
    assert_eq!(
        auth::use_password_reset(&mut conn, "tok", 2_001).await.unwrap(),
        None
    );
}

async fn invitations_are_accepted_once(db: TestDatabase) {
    let mut conn = db.store.conn().await.unwrap();
    let org = organisations::insert(&mut conn, &fields("Acme", "73282932000074"))
        .await
        .unwrap();
    let inviter = people::insert(&mut conn, &person(org, "boss@acme.fr"))
        .await
        .unwrap();
    let invitation = auth::NewInvitation {
        token_hash: "h",
        email: "new@acme.fr",
        organisation_id: org,
        role: "member",
        cluster_id: None,
        invited_by: inviter,
        expires_at: 10_000,
    };
    let id = auth::insert_invitation(&mut conn, &invitation).await.unwrap();
    let open = auth::open_invitation(&mut conn, "h", 5_000)
        .await
        .unwrap()
        .unwrap();
    assert_eq!((open.id, open.email.as_str()), (id, "new@acme.fr"));
    assert!(
        auth::open_invitation(&mut conn, "h", 10_001)
            .await
            .unwrap()
            .is_none(),
        "expired"
    );
    assert!(auth::accept_invitation(&mut conn, id, 6_000).await.unwrap());
    assert!(!auth::accept_invitation(&mut conn, id, 6_001).await.unwrap());
    assert!(
        auth::open_invitation(&mut conn, "h", 6_002)
            .await
            .unwrap()
            .is_none()
    );
}

async fn api_tokens_are_found_by_hash_and_revocable(db: TestDatabase) {
    let mut conn = db.store.conn().await.unwrap();
    let org = organisations::insert(&mut conn, &fields("Acme", "73282932000074"))
        .await
        .unwrap();
    let owner = people::insert(&mut conn, &person(org, "a@acme.fr"))
        .await
        .unwrap();
    let other = people::insert(&mut conn, &person(org, "b@acme.fr"))
        .await
        .unwrap();
    let token = auth::insert_api_token(&mut conn, owner, "ci", "hash1")
        .await
        .unwrap();
    assert_eq!(
        auth::api_token_person(&mut conn, "hash1", 10).await.unwrap(),
        Some(owner)
    );
    assert_eq!(
        auth::api_tokens_of(&mut conn, owner).await.unwrap()[0].last_used_at,
        Some(10)
    );
    assert!(
        !auth::revoke_api_token(&mut conn, other, token, 11).await.unwrap(),
        "not theirs"
    );
    assert!(auth::revoke_api_token(&mut conn, owner, token, 12).await.unwrap());
    assert_eq!(
        auth::api_token_person(&mut conn, "hash1", 13).await.unwrap(),
        None
    );
}

async fn a_rolled_back_transaction_leaves_nothing(db: TestDatabase) {
    {
        let mut tx = db.store.begin().await.unwrap();
        organisations::insert(&mut tx, &fields("Acme", "73282932000074"))
            .await
            .unwrap();
        tx.rollback().await.unwrap();
    }
    {
        // Dropping an uncommitted transaction rolls it back too (an error path returning early).
        let mut tx = db.store.begin().await.unwrap();
        organisations::insert(&mut tx, &fields("Acme", "73282932000074"))
            .await
            .unwrap();
    }
    let mut conn = db.store.conn().await.unwrap();
    assert_eq!(organisations::count(&mut conn).await.unwrap(), 0);
    drop(conn);
    let mut tx = db.store.begin().await.unwrap();
    organisations::insert(&mut tx, &fields("Acme", "73282932000074"))
        .await
        .unwrap();
    tx.commit().await.unwrap();
    let mut conn = db.store.conn().await.unwrap();
    assert_eq!(organisations::count(&mut conn).await.unwrap(), 1);
}

async fn references_to_missing_records_are_refused(db: TestDatabase) {
    let mut conn = db.store.conn().await.unwrap();
    let orphan = people::insert(&mut conn, &person(9_999, "ghost@acme.fr")).await;
    assert!(
        matches!(orphan, Err(StoreError::MissingReference(_))),
        "{orphan:?}"
    );
    assert_eq!(people::count(&mut conn).await.unwrap(), 0);
}

async fn migrating_twice_changes_nothing(db: TestDatabase) {
    let mut conn = db.store.conn().await.unwrap();
    organisations::insert(&mut conn, &fields("Acme", "73282932000074"))
        .await
        .unwrap();
    drop(conn);
    db.store.migrate().await.unwrap();
    let mut conn = db.store.conn().await.unwrap();
    assert_eq!(organisations::count(&mut conn).await.unwrap(), 1);
}

async fn audit_entries_are_read_back_in_order(db: TestDatabase) {
    let mut conn = db.store.conn().await.unwrap();
    for action in ["create", "update"] {
        store::audit::record(
            &mut conn,
            &store::audit::Change {
                actor_person_id: Some(1),
                action,
                entity: "organisation",
                entity_id: 5,
                before: None,
                after: Some(serde_json::json!({"legal_name": "Acme"})),
            },
        )
        .await
        .unwrap();
    }
    let entries = store::audit::of_entity(&mut conn, "organisation", 5)
        .await
        .unwrap();
    assert_eq!(
        entries.iter().map(|e| e.action.as_str()).collect::<Vec<_>>(),
        ["create", "update"]
    );
    assert_eq!(entries[1].after_json.as_deref(), Some(r#"{"legal_name":"Acme"}"#));
}
