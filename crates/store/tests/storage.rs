//! The storage test-suite: every story runs on SQLite and on PostgreSQL (when
//! `PASSERELLE_TEST_DATABASE_URL` names a server), each on a fresh database.

use store::organisations::{AuditAs, Upsert, Upserted};
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

// Each area of issue 6 keeps its storage stories in its own file, run on both backends the same way.
#[path = "storage/consortia.rs"]
mod consortia;
#[path = "storage/export.rs"]
mod export;
#[path = "storage/pooling.rs"]
mod pooling;

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
    bulk_upsert_creates_updates_and_leaves_unchanged_by_siret,
    bulk_upsert_keeps_what_merge_keeps_and_audits_each_change,
    bulk_upsert_spans_several_statements_and_repeated_sirets,
    bulk_cluster_join_admits_new_and_former_members_once,
    meeting_event_requests_and_meetings_round_trip,
    meeting_tables_are_not_double_booked_and_requests_not_duplicated,
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

/// The import's rule in miniature: incoming data owns everything but the finances and the website.
fn keep_finances(stored: &OrganisationFields, incoming: &OrganisationFields) -> OrganisationFields {
    OrganisationFields {
        turnover_eur: stored.turnover_eur,
        balance_sheet_eur: stored.balance_sheet_eur,
        website: stored.website.clone(),
        ..incoming.clone()
    }
}

const IMPORT: AuditAs<'static> = AuditAs {
    actor_person_id: None,
    action: "sirene_import",
};

fn outcomes(upserted: &[Upserted]) -> Vec<Upsert> {
    upserted.iter().map(|u| u.outcome).collect()
}

async fn bulk_upsert_creates_updates_and_leaves_unchanged_by_siret(db: TestDatabase) {
    let mut conn = db.store.conn().await.unwrap();
    let existing = organisations::insert(&mut conn, &fields("Ancien Nom", "73282932000074"))
        .await
        .unwrap();
    let same = fields("Inchangée SARL", "55210055400013");
    let same_id = organisations::insert(&mut conn, &same).await.unwrap();
    let before = organisations::get(&mut conn, same_id).await.unwrap().unwrap();

    let rows = [
        fields("Nouveau Nom", "73282932000074"),
        same.clone(),
        fields("Créée SAS", "33243395200022"),
    ];
    let done = organisations::upsert_by_siret(&mut conn, &rows, keep_finances, IMPORT)
        .await
        .unwrap();
    assert_eq!(
        outcomes(&done),
        [Upsert::Updated, Upsert::Unchanged, Upsert::Created]
    );
    assert_eq!(done[0].id, existing);
    assert_eq!(done[1].id, same_id);
    let created = organisations::get(&mut conn, done[2].id).await.unwrap().unwrap();
    assert_eq!(created.fields, rows[2]);
    assert_eq!(
        organisations::get(&mut conn, existing)
            .await
            .unwrap()
            .unwrap()
            .legal_name,
        "Nouveau Nom"
    );
    let untouched = organisations::get(&mut conn, same_id).await.unwrap().unwrap();
    assert_eq!(untouched, before, "an unchanged row keeps its updated_at");
    // The name key follows the new name, so the member search finds it.
    let pole = clusters::insert(&mut conn, "Pôle", "pole").await.unwrap();
    clusters::add_member(&mut conn, pole, existing).await.unwrap();
    let found = organisations::list_members(&mut conn, pole, "nouveau", 0, 10)
        .await
        .unwrap();
    assert_eq!(found.total, 1);

    let again = organisations::upsert_by_siret(&mut conn, &rows, keep_finances, IMPORT)
        .await
        .unwrap();
    assert_eq!(outcomes(&again), [Upsert::Unchanged; 3]);
    assert_eq!(organisations::count(&mut conn).await.unwrap(), 3);
    let none = organisations::upsert_by_siret(&mut conn, &[], keep_finances, IMPORT)
        .await
        .unwrap();
    assert!(none.is_empty());
}

async fn bulk_upsert_keeps_what_merge_keeps_and_audits_each_change(db: TestDatabase) {
    let mut conn = db.store.conn().await.unwrap();
    let mut declared = fields("Usinage Titane", "73282932000074");
    declared.website = Some("https://titane.example".into());
    declared.turnover_eur = Some(12_000_000);
    let id = organisations::insert(&mut conn, &declared).await.unwrap();

    let mut incoming = fields("USINAGE TITANE OCCITANIE", "73282932000074");
    incoming.turnover_eur = None;
    incoming.headcount = 50;
    let done = organisations::upsert_by_siret(&mut conn, &[incoming], keep_finances, IMPORT)
        .await
        .unwrap();
    assert_eq!(done[0].outcome, Upsert::Updated);
    let stored = organisations::get(&mut conn, id).await.unwrap().unwrap();
    assert_eq!(stored.legal_name, "USINAGE TITANE OCCITANIE");
    assert_eq!(stored.headcount, 50);
    assert_eq!(
        stored.turnover_eur,
        Some(12_000_000),
        "merge kept the declared turnover"
    );
    assert_eq!(stored.website.as_deref(), Some("https://titane.example"));

    let trail = store::audit::of_entity(&mut conn, "organisation", id)
        .await
        .unwrap();
    assert_eq!(trail.len(), 1);
    assert_eq!(trail[0].action, "sirene_import");
    assert_eq!(trail[0].actor_person_id, None);
    let before: serde_json::Value = serde_json::from_str(trail[0].before_json.as_deref().unwrap()).unwrap();
    let after: serde_json::Value = serde_json::from_str(trail[0].after_json.as_deref().unwrap()).unwrap();
    assert_eq!(before["legal_name"], "Usinage Titane");
    assert_eq!(after["legal_name"], "USINAGE TITANE OCCITANIE");
    assert_eq!(after["id"], id);

    let created = organisations::upsert_by_siret(
        &mut conn,
        &[fields("Créée", "33243395200022")],
        keep_finances,
        IMPORT,
    )
    .await
    .unwrap();
    let trail = store::audit::of_entity(&mut conn, "organisation", created[0].id)
        .await
        .unwrap();
    assert_eq!(trail.len(), 1);
    assert_eq!(trail[0].before_json, None);
    // Unchanged rows leave no trace.
    organisations::upsert_by_siret(
        &mut conn,
        &[fields("Créée", "33243395200022")],
        keep_finances,
        IMPORT,
    )
    .await
    .unwrap();
    assert_eq!(
        store::audit::of_entity(&mut conn, "organisation", created[0].id)
            .await
            .unwrap()
            .len(),
        1
    );
}

async fn bulk_upsert_spans_several_statements_and_repeated_sirets(db: TestDatabase) {
    let mut tx = db.store.begin().await.unwrap();
    // More rows than one multi-row statement holds, so chunk boundaries are crossed.
    let rows: Vec<OrganisationFields> = (0..1_203)
        .map(|i| fields(&format!("Entreprise {i}"), &format!("{:014}", 10_000_000 + i)))
        .collect();
    let done = organisations::upsert_by_siret(&mut tx, &rows, keep_finances, IMPORT)
        .await
        .unwrap();
    assert!(done.iter().all(|u| u.outcome == Upsert::Created));
    let mut ids: Vec<i64> = done.iter().map(|u| u.id).collect();
    for (row, upserted) in rows.iter().zip(&done).step_by(97) {
        let stored = organisations::get(&mut tx, upserted.id).await.unwrap().unwrap();
        assert_eq!(&stored.fields, row, "ids match their rows");
    }
    ids.sort_unstable();
    ids.dedup();
    assert_eq!(ids.len(), rows.len());

    let mut changed = rows.clone();
    for row in changed.iter_mut().skip(600) {
        row.headcount += 1;
    }
    // A SIRET given twice: the second row applies on top of the first, one organisation in the end.
    let mut twice = fields("Doublon v1", "99999999999999");
    changed.push(twice.clone());
    twice.legal_name = "Doublon v2".into();
    changed.push(twice.clone());
    changed.push(twice);
    let done = organisations::upsert_by_siret(&mut tx, &changed, keep_finances, IMPORT)
        .await
        .unwrap();
    let count = |o: Upsert| done.iter().filter(|u| u.outcome == o).count();
    assert_eq!(count(Upsert::Unchanged), 600 + 1);
    assert_eq!(count(Upsert::Updated), 603 + 1);
    assert_eq!(count(Upsert::Created), 1);
    let n = done.len();
    assert_eq!(done[n - 1].id, done[n - 3].id);
    tx.commit().await.unwrap();

    let mut conn = db.store.conn().await.unwrap();
    assert_eq!(organisations::count(&mut conn).await.unwrap(), 1_204);
    let doublon = organisations::by_siret(&mut conn, "99999999999999")
        .await
        .unwrap()
        .unwrap();
    assert_eq!(doublon.legal_name, "Doublon v2");
    assert_eq!(
        organisations::get(&mut conn, done[1_202].id)
            .await
            .unwrap()
            .unwrap()
            .headcount,
        43
    );
}

async fn bulk_cluster_join_admits_new_and_former_members_once(db: TestDatabase) {
    let mut conn = db.store.conn().await.unwrap();
    let pole = clusters::insert(&mut conn, "Pôle", "pole").await.unwrap();
    let mut ids = Vec::new();
    for i in 0..4 {
        ids.push(
            organisations::insert(&mut conn, &fields(&format!("Membre {i}"), &format!("{:014}", i)))
                .await
                .unwrap(),
        );
    }
    clusters::add_member(&mut conn, pole, ids[0]).await.unwrap();
    clusters::add_member(&mut conn, pole, ids[1]).await.unwrap();
    clusters::remove_member(&mut conn, pole, ids[1]).await.unwrap();

    let mut asked = ids.clone();
    asked.push(ids[2]);
    let joined = organisations::join_cluster(&mut conn, pole, &asked, IMPORT)
        .await
        .unwrap();
    assert_eq!(
        joined,
        [ids[1], ids[2], ids[3]],
        "the current member is left alone"
    );
    assert_eq!(clusters::count_members(&mut conn, pole).await.unwrap(), 4);
    let trail = store::audit::of_entity(&mut conn, "organisation", ids[3])
        .await
        .unwrap();
    assert_eq!(trail.len(), 1);
    assert_eq!(trail[0].action, "membership_add");
    assert_eq!(
        trail[0].after_json.as_deref(),
        Some(format!("{{\"cluster_id\":{pole}}}").as_str())
    );

    let again = organisations::join_cluster(&mut conn, pole, &ids, IMPORT)
        .await
        .unwrap();
    assert!(again.is_empty());
    let missing = organisations::join_cluster(&mut conn, pole, &[ids[3] + 1_000], IMPORT).await;
    assert!(
        matches!(missing, Err(StoreError::MissingReference(_))),
        "{missing:?}"
    );
}

// ---- business meetings ----------------------------------------------------------------------

fn event_fields() -> store::meetings::EventFields {
    store::meetings::EventFields {
        title: "Convention d'affaires".into(),
        venue: "Centre des congrès".into(),
        first_day: "2027-03-16".into(),
        days: 1,
        sessions: "09:00-12:00".into(),
        slot_minutes: 20,
        break_minutes: 5,
        tables_count: 2,
        online: 0,
        request_deadline: 1_900_000_000_000,
        max_pending: 20,
        max_meetings: Some(8),
    }
}

fn participant_fields(name: &str) -> store::meetings::ParticipantFields {
    store::meetings::ParticipantFields {
        display_name: name.into(),
        organisation_name: format!("{name} SAS"),
        email: format!("{}@exemple.fr", name.to_lowercase()),
        guest: 0,
        kind: "sme".into(),
        offers: "usinage".into(),
        seeks: "clients".into(),
        available: "0,1,2".into(),
        max_meetings: None,
    }
}

/// An event with two participants and a request from the first to the second.
async fn meeting_fixture(conn: &mut store::Conn) -> (i64, i64, i64, i64) {
    use store::meetings::*;
    let cluster = clusters::insert(conn, "Pôle", "pole").await.unwrap();
    let event = insert_event(conn, cluster, &event_fields(), None).await.unwrap();
    let slots: Vec<Slot> = (0..3)
        .map(|i| Slot {
            slot_index: i,
            starts_at: 1_000 * i,
            ends_at: 1_000 * i + 900,
        })
        .collect();
    replace_slots(conn, event, &slots).await.unwrap();
    let a = insert_participant(conn, event, None, None, &participant_fields("Alice"))
        .await
        .unwrap();
    let b = insert_participant(conn, event, None, None, &participant_fields("Bruno"))
        .await
        .unwrap();
    (cluster, event, a, b)
}

async fn meeting_event_requests_and_meetings_round_trip(db: TestDatabase) {
    use store::meetings::*;
    let mut conn = db.store.conn().await.unwrap();
    let (cluster, event, a, b) = meeting_fixture(&mut conn).await;
    let stored = get_event(&mut conn, event).await.unwrap().unwrap();
    assert_eq!(
        (stored.cluster_id, stored.fields.clone()),
        (cluster, event_fields())
    );
    assert!(!stored.is_open() && !stored.is_published());
    assert!(set_registration_open(&mut conn, event, true).await.unwrap());
    assert!(get_event(&mut conn, event).await.unwrap().unwrap().is_open());
    assert_eq!(slots(&mut conn, event).await.unwrap().len(), 3);
    assert_eq!(events_of_cluster(&mut conn, cluster).await.unwrap().len(), 1);
    let alice = participant(&mut conn, a).await.unwrap().unwrap();
    assert_eq!(alice.available_slots(), vec![0, 1, 2]);
    assert!(
        update_profile(&mut conn, a, "titane", "avionneurs", "1,2", Some(3))
            .await
            .unwrap()
    );
    let alice = participant(&mut conn, a).await.unwrap().unwrap();
    assert_eq!(
        (alice.offers.as_str(), alice.available_slots(), alice.max_meetings),
        ("titane", vec![1, 2], Some(3))
    );

    assert!(set_feed_token_hash(&mut conn, a, "hash-a").await.unwrap());
    assert_eq!(
        participant_by_feed_hash(&mut conn, "hash-a")
            .await
            .unwrap()
            .unwrap()
            .id,
        a
    );
    assert!(
        participant_by_feed_hash(&mut conn, "nope")
            .await
            .unwrap()
            .is_none()
    );

    let request = NewRequest {
        event_id: event,
        from_participant: a,
        to_participant: b,
        message: "Bonjour",
        must_meet: true,
        met_before: false,
        expires_at: 5_000,
    };
    let rid = insert_request(&mut conn, &request).await.unwrap();
    assert_eq!(count_pending_from(&mut conn, a).await.unwrap(), 1);
    assert!(
        answer_request(&mut conn, rid, "accepted", false, 10)
            .await
            .unwrap()
    );
    assert!(
        !answer_request(&mut conn, rid, "declined", false, 11)
            .await
            .unwrap(),
        "answered once"
    );
    let stored = store::meetings::request(&mut conn, rid).await.unwrap().unwrap();
    assert_eq!(
        (stored.status.as_str(), stored.must_meet, stored.answered_at),
        ("accepted", 1, Some(10))
    );
    assert_eq!(requests_of(&mut conn, b).await.unwrap().len(), 1);

    // A pending request from b expires once its instant has passed.
    let back = insert_request(
        &mut conn,
        &NewRequest {
            from_participant: b,
            to_participant: a,
            ..request.clone()
        },
    )
    .await
    .unwrap();
    assert_eq!(expire_due(&mut conn, event, 4_999).await.unwrap(), 0);
    assert_eq!(expire_due(&mut conn, event, 5_000).await.unwrap(), 1);
    assert_eq!(
        store::meetings::request(&mut conn, back)
            .await
            .unwrap()
            .unwrap()
            .status,
        "expired"
    );

    let mid = insert_meeting(
        &mut conn,
        event,
        &NewMeeting {
            request_id: rid,
            participant_a: a,
            participant_b: b,
            slot_index: 1,
            table_no: 0,
            weight: 3,
        },
    )
    .await
    .unwrap();
    assert_eq!(meetings_of(&mut conn, b).await.unwrap().len(), 1);
    assert_eq!(publish_meetings(&mut conn, event).await.unwrap(), 1);
    assert_eq!(
        delete_drafts(&mut conn, event).await.unwrap(),
        0,
        "published meetings stay"
    );
    assert!(set_attendance(&mut conn, mid, "held").await.unwrap());
    assert!(set_follow_up(&mut conn, mid, "quote").await.unwrap());
    let m = meeting(&mut conn, mid).await.unwrap().unwrap();
    assert_eq!(
        (m.state.as_str(), m.attendance.as_deref(), m.follow_up.as_str()),
        ("published", Some("held"), "quote")
    );
    assert!(check_in(&mut conn, a, 42).await.unwrap());
    assert_eq!(
        participant(&mut conn, a).await.unwrap().unwrap().checked_in_at,
        Some(42)
    );
    assert!(set_published(&mut conn, event, 99).await.unwrap());
    assert_eq!(
        get_event(&mut conn, event).await.unwrap().unwrap().published_at,
        Some(99)
    );
}

async fn meeting_tables_are_not_double_booked_and_requests_not_duplicated(db: TestDatabase) {
    use store::meetings::*;
    let mut conn = db.store.conn().await.unwrap();
    let (_, event, a, b) = meeting_fixture(&mut conn).await;
    let c = insert_participant(&mut conn, event, None, None, &participant_fields("Chloé"))
        .await
        .unwrap();
    let new = |from, to| NewRequest {
        event_id: event,
        from_participant: from,
        to_participant: to,
        message: "",
        must_meet: false,
        met_before: false,
        expires_at: 9_000,
    };
    let r1 = insert_request(&mut conn, &new(a, b)).await.unwrap();
    assert!(matches!(
        insert_request(&mut conn, &new(a, b)).await,
        Err(StoreError::Duplicate(_))
    ));
    let r2 = insert_request(&mut conn, &new(c, b)).await.unwrap();
    let meeting = |request_id, participant_a, participant_b| NewMeeting {
        request_id,
        participant_a,
        participant_b,
        slot_index: 0,
        table_no: 1,
        weight: 1,
    };
    insert_meeting(&mut conn, event, &meeting(r1, a, b))
        .await
        .unwrap();
    assert!(matches!(
        insert_meeting(&mut conn, event, &meeting(r2, c, b)).await,
        Err(StoreError::Duplicate(_))
    ));
    let m2 = insert_meeting(
        &mut conn,
        event,
        &NewMeeting {
            table_no: 0,
            ..meeting(r2, c, b)
        },
    )
    .await
    .unwrap();
    assert!(matches!(
        move_meeting(&mut conn, m2, 0, 1).await,
        Err(StoreError::Duplicate(_))
    ));
    assert!(move_meeting(&mut conn, m2, 2, 1).await.unwrap());
    assert!(!said_no_thanks(&mut conn, event, b, c).await.unwrap());
    assert!(answer_request(&mut conn, r2, "declined", true, 5).await.unwrap());
    assert!(said_no_thanks(&mut conn, event, b, c).await.unwrap());
}

// ---------------------------------------------------------------------------------------------
// Buyer tools: saved searches with their seen sets, supplier shortlists.

on_both_backends!(
    saved_searches_belong_to_their_owner_and_remember_what_they_saw,
    shortlists_belong_to_their_owner_and_carry_organisation_facts,
);

async fn saved_searches_belong_to_their_owner_and_remember_what_they_saw(db: TestDatabase) {
    use store::saved_searches;
    let mut conn = db.store.conn().await.unwrap();
    let org = organisations::insert(&mut conn, &fields("Grand Compte SA", "73282932000074"))
        .await
        .unwrap();
    let buyer = people::insert(&mut conn, &person(org, "acheteuse@gc.fr"))
        .await
        .unwrap();
    let other = people::insert(&mut conn, &person(org, "autre@gc.fr"))
        .await
        .unwrap();
    let query = r#"[["q","usinage"],["f","region:76"]]"#;
    let first = saved_searches::insert(&mut conn, buyer, "Usinage Occitanie", query, true)
        .await
        .unwrap();
    let second = saved_searches::insert(&mut conn, buyer, "Titane", r#"[["q","titane"]]"#, false)
        .await
        .unwrap();

    let mine = saved_searches::list(&mut conn, buyer).await.unwrap();
    assert_eq!(
        mine.iter().map(|s| s.id).collect::<Vec<_>>(),
        [second, first],
        "newest first"
    );
    assert_eq!(mine[1].query_json, query);
    assert!(mine[1].alerts && !mine[0].alerts);
    assert_eq!(saved_searches::count(&mut conn, buyer).await.unwrap(), 2);
    assert!(saved_searches::list(&mut conn, other).await.unwrap().is_empty());
    assert_eq!(saved_searches::get(&mut conn, other, first).await.unwrap(), None);
    assert!(
        !saved_searches::set_alerts(&mut conn, other, first, false)
            .await
            .unwrap()
    );
    assert!(!saved_searches::delete(&mut conn, other, first).await.unwrap());
    assert!(
        saved_searches::get(&mut conn, buyer, first)
            .await
            .unwrap()
            .unwrap()
            .alerts
    );

    // Only searches with alerts on are the alert job's, with their owner's address and language.
    let subscriptions = saved_searches::with_alerts(&mut conn).await.unwrap();
    assert_eq!(subscriptions.len(), 1);
    assert_eq!(subscriptions[0].search.id, first);
    assert_eq!(
        (subscriptions[0].email.as_str(), subscriptions[0].locale.as_str()),
        ("acheteuse@gc.fr", "fr")
    );
    assert!(
        saved_searches::set_alerts(&mut conn, buyer, second, true)
            .await
            .unwrap()
    );
    assert_eq!(saved_searches::with_alerts(&mut conn).await.unwrap().len(), 2);

    // The seen set: a second mark returns only what is new, over several statements.
    let many: Vec<i64> = (1..=1_200).collect();
    assert_eq!(
        saved_searches::mark_seen(&mut conn, first, &many[..700])
            .await
            .unwrap()
            .len(),
        700
    );
    let added = saved_searches::mark_seen(&mut conn, first, &many).await.unwrap();
    assert_eq!(added, many[700..].to_vec());
    assert!(
        saved_searches::mark_seen(&mut conn, first, &[5, 5, 900])
            .await
            .unwrap()
            .is_empty()
    );
    assert_eq!(saved_searches::seen_count(&mut conn, first).await.unwrap(), 1_200);
    let seen = saved_searches::seen_among(&mut conn, first, &[3, 1_199, 5_000])
        .await
        .unwrap();
    assert_eq!(seen, [3, 1_199].into_iter().collect());
    assert!(
        saved_searches::seen_among(&mut conn, second, &[3])
            .await
            .unwrap()
            .is_empty()
    );
    saved_searches::unmark_seen(&mut conn, first, &[3, 4])
        .await
        .unwrap();
    assert_eq!(saved_searches::seen_count(&mut conn, first).await.unwrap(), 1_198);
    assert_eq!(
        saved_searches::mark_seen(&mut conn, first, &[4, 3])
            .await
            .unwrap(),
        [3, 4]
    );

    saved_searches::set_last_alert(&mut conn, first, Some(42))
        .await
        .unwrap();
    assert_eq!(
        saved_searches::get(&mut conn, buyer, first)
            .await
            .unwrap()
            .unwrap()
            .last_alert_at,
        Some(42)
    );
    assert!(saved_searches::delete(&mut conn, buyer, first).await.unwrap());
    assert_eq!(
        saved_searches::seen_count(&mut conn, first).await.unwrap(),
        0,
        "its seen set goes too"
    );
    assert_eq!(saved_searches::count(&mut conn, buyer).await.unwrap(), 1);
}

async fn shortlists_belong_to_their_owner_and_carry_organisation_facts(db: TestDatabase) {
    use store::shortlists;
    let mut conn = db.store.conn().await.unwrap();
    let buyer_org = organisations::insert(&mut conn, &fields("Grand Compte SA", "73282932000074"))
        .await
        .unwrap();
    let mut sme_fields = fields("Usinage Titane Occitanie", "10000000000001");
    sme_fields.region_code = "76".into();
    sme_fields.naf_code = "25.62B".into();
    sme_fields.website = Some("https://titane.example".into());
    let sme = organisations::insert(&mut conn, &sme_fields).await.unwrap();
    let lab = organisations::insert(&mut conn, &fields("Laboratoire Énergie", "10000000000002"))
        .await
        .unwrap();
    let buyer = people::insert(&mut conn, &person(buyer_org, "acheteuse@gc.fr"))
        .await
        .unwrap();
    let other = people::insert(&mut conn, &person(buyer_org, "autre@gc.fr"))
        .await
        .unwrap();

    assert_eq!(shortlists::latest(&mut conn, buyer).await.unwrap(), None);
    let older = shortlists::insert(&mut conn, buyer, "Énergie").await.unwrap();
    let list = shortlists::insert(&mut conn, buyer, "Usineurs").await.unwrap();
    assert!(
        shortlists::add_entry(&mut conn, buyer, list, sme, "rappeler en mai")
            .await
            .unwrap()
    );
    assert!(
        !shortlists::add_entry(&mut conn, buyer, list, sme, "autre note")
            .await
            .unwrap(),
        "adding twice changes nothing"
    );
    assert!(
        shortlists::add_entry(&mut conn, buyer, list, lab, "")
            .await
            .unwrap()
    );
    assert_eq!(
        shortlists::latest(&mut conn, buyer).await.unwrap(),
        Some(list),
        "the list last changed"
    );
    let missing = shortlists::add_entry(&mut conn, buyer, list, 999_999, "").await;
    assert!(
        matches!(missing, Err(StoreError::MissingReference(_))),
        "{missing:?}"
    );

    // Another person can neither read nor change the list.
    assert!(
        !shortlists::add_entry(&mut conn, other, list, sme, "")
            .await
            .unwrap()
    );
    assert!(
        shortlists::entries(&mut conn, other, list)
            .await
            .unwrap()
            .is_empty()
    );
    assert_eq!(shortlists::get(&mut conn, other, list).await.unwrap(), None);
    assert!(!shortlists::rename(&mut conn, other, list, "Volé").await.unwrap());
    assert!(
        !shortlists::remove_entry(&mut conn, other, list, sme)
            .await
            .unwrap()
    );
    assert!(
        !shortlists::set_note(&mut conn, other, list, sme, "volée")
            .await
            .unwrap()
    );
    assert!(!shortlists::delete(&mut conn, other, list).await.unwrap());
    assert!(shortlists::list(&mut conn, other).await.unwrap().is_empty());

    let entries = shortlists::entries(&mut conn, buyer, list).await.unwrap();
    assert_eq!(entries.len(), 2);
    let first = &entries[0];
    assert_eq!(
        (
            first.legal_name.as_str(),
            first.siret.as_str(),
            first.naf_code.as_str(),
            first.region_code.as_str()
        ),
        ("Usinage Titane Occitanie", "10000000000001", "25.62B", "76")
    );
    assert_eq!(first.note, "rappeler en mai");
    assert!(
        shortlists::set_note(&mut conn, buyer, list, lab, "labo à visiter")
            .await
            .unwrap()
    );
    assert!(
        !shortlists::set_note(&mut conn, buyer, older, lab, "pas sur cette liste")
            .await
            .unwrap()
    );
    assert_eq!(first.website.as_deref(), Some("https://titane.example"));
    assert_eq!(first.size.as_deref(), Some("sme"));

    let mine = shortlists::list(&mut conn, buyer).await.unwrap();
    assert_eq!(
        mine.iter().map(|l| (l.id, l.entries)).collect::<Vec<_>>(),
        [(list, 2), (older, 0)]
    );
    assert_eq!(shortlists::count(&mut conn, buyer).await.unwrap(), 2);
    assert!(
        shortlists::rename(&mut conn, buyer, older, "Énergie verte")
            .await
            .unwrap()
    );
    assert_eq!(
        shortlists::get(&mut conn, buyer, older)
            .await
            .unwrap()
            .unwrap()
            .name,
        "Énergie verte"
    );

    assert_eq!(
        shortlists::entries(&mut conn, buyer, list).await.unwrap()[1].note,
        "labo à visiter"
    );
    assert!(
        shortlists::remove_entry(&mut conn, buyer, list, lab)
            .await
            .unwrap()
    );
    assert!(
        !shortlists::remove_entry(&mut conn, buyer, list, lab)
            .await
            .unwrap()
    );
    assert!(shortlists::delete(&mut conn, buyer, list).await.unwrap());
    assert!(
        shortlists::entries(&mut conn, buyer, list)
            .await
            .unwrap()
            .is_empty()
    );
    assert_eq!(shortlists::count(&mut conn, buyer).await.unwrap(), 1);
    assert!(
        organisations::get(&mut conn, sme).await.unwrap().is_some(),
        "organisations stay"
    );
}

// ---------------------------------------------------------------------------------------------
// The SME directory: capability profiles, brochures, and the change log the search index follows.

on_both_backends!(
    a_profile_is_saved_read_and_replaced_and_each_save_is_logged,
    brochures_round_trip_byte_for_byte_and_are_deleted_one_by_one,
    the_change_log_pages_marks_reindex_all_and_prunes_only_what_was_passed,
    directory_rows_carry_current_clusters_and_profile_documents,
    directory_rows_are_read_across_several_statements,
    organisation_and_membership_writes_log_a_change_only_when_something_changed,
    profiles_in_a_division_are_listed_newest_first,
);

/// Everything logged after `after`, as (organisation, in order), and the last change id.
async fn logged_after(conn: &mut store::Conn, after: i64) -> (Vec<Option<i64>>, i64) {
    let changes = store::directory::changes_after(conn, after, 10_000)
        .await
        .unwrap();
    let last = changes.last().map_or(after, |c| c.id);
    (changes.iter().map(|c| c.organisation_id).collect(), last)
}

async fn a_profile_is_saved_read_and_replaced_and_each_save_is_logged(db: TestDatabase) {
    use store::profiles;
    let mut conn = db.store.conn().await.unwrap();
    let sme = organisations::insert(&mut conn, &fields("Usinage Titane SAS", "73282932000074"))
        .await
        .unwrap();
    let editor = people::insert(&mut conn, &person(sme, "dirigeant@ut.fr"))
        .await
        .unwrap();
    assert_eq!(profiles::get(&mut conn, sme).await.unwrap(), None);
    let (_, before) = logged_after(&mut conn, 0).await;

    let first = r#"{"presentation":{"value":"Usinage 5 axes","visibility":"public"}}"#;
    profiles::save(&mut conn, sme, first, None).await.unwrap();
    let stored = profiles::get(&mut conn, sme).await.unwrap().unwrap();
    assert_eq!((stored.document.as_str(), stored.updated_by), (first, None));

    // A second save replaces the document (one row per organisation) and names its author.
    let second =
        r#"{"presentation":{"value":"Usinage 5 axes du titane — « précision »","visibility":"members"}}"#;
    profiles::save(&mut conn, sme, second, Some(editor))
        .await
        .unwrap();
    let replaced = profiles::get(&mut conn, sme).await.unwrap().unwrap();
    assert_eq!(
        (replaced.document.as_str(), replaced.updated_by),
        (second, Some(editor))
    );
    assert!(replaced.updated_at >= stored.updated_at);
    let (logged, _) = logged_after(&mut conn, before).await;
    assert_eq!(logged, [Some(sme), Some(sme)], "one change per save");

    let orphan = profiles::save(&mut conn, sme + 1_000, first, None).await;
    assert!(
        matches!(orphan, Err(StoreError::MissingReference(_))),
        "{orphan:?}"
    );
    let other = organisations::insert(&mut conn, &fields("Autre SAS", "40483304800022"))
        .await
        .unwrap();
    assert_eq!(profiles::get(&mut conn, other).await.unwrap(), None);
}

async fn brochures_round_trip_byte_for_byte_and_are_deleted_one_by_one(db: TestDatabase) {
    use store::profiles::{self, NewBrochure};
    let mut conn = db.store.conn().await.unwrap();
    let sme = organisations::insert(&mut conn, &fields("Usinage Titane SAS", "73282932000074"))
        .await
        .unwrap();
    let other = organisations::insert(&mut conn, &fields("Autre SAS", "40483304800022"))
        .await
        .unwrap();
    let author = people::insert(&mut conn, &person(sme, "dirigeant@ut.fr"))
        .await
        .unwrap();
    // 1 MiB where every byte value occurs, NULs and invalid UTF-8 included.
    let mut state: u32 = 0x1234_5678;
    let big: Vec<u8> = (0..1_048_576)
        .map(|i| {
            state = state.wrapping_mul(1_664_525).wrapping_add(1_013_904_223);
            if i < 256 { i as u8 } else { (state >> 24) as u8 }
        })
        .collect();
    let sha = "5f".repeat(32);
    let first = profiles::add_brochure(
        &mut conn,
        &NewBrochure {
            organisation_id: sme,
            file_name: "plaquette.pdf",
            content_type: "application/pdf",
            sha256: &sha,
            visibility: "public",
            content: &big,
            created_by: Some(author),
        },
    )
    .await
    .unwrap();
    let second = profiles::add_brochure(
        &mut conn,
        &NewBrochure {
            organisation_id: sme,
            file_name: "fiche technique.pdf",
            content_type: "application/pdf",
            sha256: &sha,
            visibility: "members",
            content: b"%PDF-1.7 fiche",
            created_by: None,
        },
    )
    .await
    .unwrap();

    let described = profiles::brochure(&mut conn, first).await.unwrap().unwrap();
    assert_eq!(described.organisation_id, sme);
    assert_eq!(described.file_name, "plaquette.pdf");
    assert_eq!(described.content_type, "application/pdf");
    assert_eq!(described.size_bytes, 1_048_576);
    assert_eq!(
        (described.sha256.as_str(), described.visibility.as_str()),
        (sha.as_str(), "public")
    );
    assert!(described.created_at > 0);
    let content = profiles::brochure_content(&mut conn, first)
        .await
        .unwrap()
        .unwrap();
    assert!(content == big, "the 1 MiB brochure came back changed");

    let listed = profiles::brochures(&mut conn, sme).await.unwrap();
    assert_eq!(
        listed.iter().map(|b| b.id).collect::<Vec<_>>(),
        [first, second],
        "oldest first"
    );
    assert_eq!(listed[1].visibility, "members");
    assert!(profiles::brochures(&mut conn, other).await.unwrap().is_empty());

    assert!(profiles::delete_brochure(&mut conn, first).await.unwrap());
    assert!(
        !profiles::delete_brochure(&mut conn, first).await.unwrap(),
        "already gone"
    );
    assert_eq!(profiles::brochure(&mut conn, first).await.unwrap(), None);
    assert_eq!(profiles::brochure_content(&mut conn, first).await.unwrap(), None);
    let left = profiles::brochures(&mut conn, sme).await.unwrap();
    assert_eq!(left.iter().map(|b| b.id).collect::<Vec<_>>(), [second]);
    assert_eq!(
        profiles::brochure_content(&mut conn, second)
            .await
            .unwrap()
            .as_deref(),
        Some(&b"%PDF-1.7 fiche"[..])
    );
}

async fn the_change_log_pages_marks_reindex_all_and_prunes_only_what_was_passed(db: TestDatabase) {
    use store::directory::{changes_after, last_change, prune_changes, touch, touch_all};
    let mut conn = db.store.conn().await.unwrap();
    assert_eq!(last_change(&mut conn).await.unwrap(), 0, "an empty log");
    assert!(changes_after(&mut conn, 0, 10).await.unwrap().is_empty());

    touch(&mut conn, &[]).await.unwrap();
    assert_eq!(
        last_change(&mut conn).await.unwrap(),
        0,
        "touching nothing logs nothing"
    );
    touch(&mut conn, &[7, 3, 7]).await.unwrap();
    touch_all(&mut conn).await.unwrap();
    touch(&mut conn, &[11]).await.unwrap();
    let all = changes_after(&mut conn, 0, 10).await.unwrap();
    let organisations: Vec<Option<i64>> = all.iter().map(|c| c.organisation_id).collect();
    assert_eq!(
        organisations,
        [Some(7), Some(3), Some(7), None, Some(11)],
        "in order; NULL is reindex-all"
    );
    assert!(all.windows(2).all(|w| w[0].id < w[1].id));
    assert_eq!(last_change(&mut conn).await.unwrap(), all[4].id);

    // Pages: a limit, then the rest after the last id seen.
    let page = changes_after(&mut conn, 0, 2).await.unwrap();
    assert_eq!(page, all[..2]);
    assert_eq!(changes_after(&mut conn, page[1].id, 10).await.unwrap(), all[2..]);
    assert!(changes_after(&mut conn, all[4].id, 10).await.unwrap().is_empty());

    // Pruning keeps what is recent or not yet passed by the follower.
    let future = store::now_ms() + 60_000;
    assert_eq!(
        prune_changes(&mut conn, all[4].id, 0).await.unwrap(),
        0,
        "nothing is that old"
    );
    assert_eq!(prune_changes(&mut conn, all[2].id, future).await.unwrap(), 3);
    assert_eq!(changes_after(&mut conn, 0, 10).await.unwrap(), all[3..]);
    assert_eq!(last_change(&mut conn).await.unwrap(), all[4].id);
    // The newest entry always stays: the log's position survives in the database itself.
    assert_eq!(prune_changes(&mut conn, all[4].id, future).await.unwrap(), 1);
    assert_eq!(changes_after(&mut conn, 0, 10).await.unwrap(), all[4..]);
    assert_eq!(
        store::directory::first_change(&mut conn).await.unwrap(),
        Some(all[4].id)
    );

    // Ids are never given twice: a follower's watermark stays valid.
    touch(&mut conn, &[5]).await.unwrap();
    let next = changes_after(&mut conn, all[4].id, 10).await.unwrap();
    assert_eq!(next.len(), 1);
    assert_eq!(next[0].organisation_id, Some(5));
}

async fn directory_rows_carry_current_clusters_and_profile_documents(db: TestDatabase) {
    use store::directory::{rows_after, rows_by_ids};
    let mut conn = db.store.conn().await.unwrap();
    let pole = clusters::insert(&mut conn, "Pôle A", "pole-a").await.unwrap();
    let other_pole = clusters::insert(&mut conn, "Pôle B", "pole-b").await.unwrap();
    let mut ids = Vec::new();
    for (i, siret) in ["73282932000074", "40483304800022", "55210055400013"]
        .iter()
        .enumerate()
    {
        ids.push(
            organisations::insert(&mut conn, &fields(&format!("Membre {i}"), siret))
                .await
                .unwrap(),
        );
    }
    let (both, former, alone) = (ids[0], ids[1], ids[2]);
    clusters::add_member(&mut conn, other_pole, both).await.unwrap();
    clusters::add_member(&mut conn, pole, both).await.unwrap();
    clusters::add_member(&mut conn, pole, former).await.unwrap();
    clusters::remove_member(&mut conn, pole, former).await.unwrap();
    let document = r#"{"presentation":{"value":"Usinage","visibility":"public"}}"#;
    store::profiles::save(&mut conn, both, document, None)
        .await
        .unwrap();

    let rows = rows_by_ids(&mut conn, &[alone, both, both, former, alone + 1_000])
        .await
        .unwrap();
    let shape: Vec<(i64, Vec<i64>, bool)> = rows
        .iter()
        .map(|r| (r.organisation.id, r.clusters.clone(), r.profile_json.is_some()))
        .collect();
    assert_eq!(
        shape,
        [
            (both, vec![pole, other_pole], true),
            (former, vec![], false),
            (alone, vec![], false)
        ],
        "id order, unknown ids skipped, duplicates once, clusters ascending and current only"
    );
    assert_eq!(rows[0].profile_json.as_deref(), Some(document));
    assert_eq!(rows[0].organisation.legal_name, "Membre 0");
    assert_eq!(rows[0].organisation.siret, "73282932000074");
    assert!(rows_by_ids(&mut conn, &[]).await.unwrap().is_empty());

    let first_page = rows_after(&mut conn, 0, 2).await.unwrap();
    assert_eq!(
        first_page.iter().map(|r| r.organisation.id).collect::<Vec<_>>(),
        [both, former]
    );
    assert_eq!(first_page[0], rows[0]);
    let rest = rows_after(&mut conn, former, 2).await.unwrap();
    assert_eq!(rest, rows[2..]);
    assert!(rows_after(&mut conn, alone, 2).await.unwrap().is_empty());
}

async fn directory_rows_are_read_across_several_statements(db: TestDatabase) {
    use store::directory::{rows_after, rows_by_ids};
    let mut conn = db.store.conn().await.unwrap();
    let pole = clusters::insert(&mut conn, "Pôle", "pole").await.unwrap();
    // More than one multi-row statement's worth (500), so that chunks are stitched together.
    let rows: Vec<OrganisationFields> = (0..1_203)
        .map(|i| fields(&format!("Membre {i}"), &format!("{:014}", 10_000 + i)))
        .collect();
    let ids: Vec<i64> = organisations::upsert_by_siret(&mut conn, &rows, keep_finances, IMPORT)
        .await
        .unwrap()
        .iter()
        .map(|u| u.id)
        .collect();
    organisations::join_cluster(&mut conn, pole, &ids[..1_100], IMPORT)
        .await
        .unwrap();
    for id in ids.iter().step_by(100) {
        store::profiles::save(&mut conn, *id, &format!("{{\"n\":{id}}}"), None)
            .await
            .unwrap();
    }

    let by_ids = rows_by_ids(&mut conn, &ids).await.unwrap();
    assert_eq!(by_ids.iter().map(|r| r.organisation.id).collect::<Vec<_>>(), ids);
    assert_eq!(by_ids.iter().filter(|r| r.clusters == [pole]).count(), 1_100);
    let with_profile: Vec<i64> = by_ids
        .iter()
        .filter(|r| r.profile_json.is_some())
        .map(|r| r.organisation.id)
        .collect();
    assert_eq!(with_profile, ids.iter().copied().step_by(100).collect::<Vec<_>>());
    assert!(by_ids.iter().all(|r| {
        r.profile_json
            .as_ref()
            .is_none_or(|j| *j == format!("{{\"n\":{}}}", r.organisation.id))
    }));

    let mut paged = Vec::new();
    let mut after = 0;
    loop {
        let page = rows_after(&mut conn, after, 700).await.unwrap();
        let Some(last) = page.last() else { break };
        after = last.organisation.id;
        paged.extend(page);
    }
    assert_eq!(paged, by_ids);
}

async fn organisation_and_membership_writes_log_a_change_only_when_something_changed(db: TestDatabase) {
    let mut conn = db.store.conn().await.unwrap();
    let pole = clusters::insert(&mut conn, "Pôle", "pole").await.unwrap();
    let (_, mut seen) = logged_after(&mut conn, 0).await;
    let mut expect = async |conn: &mut store::Conn, what: &str, expected: Vec<Option<i64>>| {
        let (logged, last) = logged_after(conn, seen).await;
        assert_eq!(logged, expected, "{what}");
        seen = last;
    };

    let sme = organisations::insert(&mut conn, &fields("Usinage", "73282932000074"))
        .await
        .unwrap();
    expect(&mut conn, "insert", vec![Some(sme)]).await;
    let mut changed = fields("Usinage Titane", "73282932000074");
    changed.region_code = "76".into();
    assert!(organisations::update(&mut conn, sme, &changed).await.unwrap());
    expect(&mut conn, "update", vec![Some(sme)]).await;
    assert!(
        !organisations::update(&mut conn, sme + 1_000, &changed)
            .await
            .unwrap()
    );
    expect(&mut conn, "update of nobody", vec![]).await;

    assert!(clusters::add_member(&mut conn, pole, sme).await.unwrap());
    expect(&mut conn, "join", vec![Some(sme)]).await;
    assert!(!clusters::add_member(&mut conn, pole, sme).await.unwrap());
    expect(&mut conn, "join again", vec![]).await;
    assert!(clusters::remove_member(&mut conn, pole, sme).await.unwrap());
    expect(&mut conn, "leave", vec![Some(sme)]).await;
    assert!(!clusters::remove_member(&mut conn, pole, sme).await.unwrap());
    expect(&mut conn, "leave again", vec![]).await;
    assert!(clusters::add_member(&mut conn, pole, sme).await.unwrap());
    expect(&mut conn, "come back", vec![Some(sme)]).await;

    // A rolled-back write leaves no change behind either.
    drop(conn);
    let mut tx = db.store.begin().await.unwrap();
    organisations::update(&mut tx, sme, &fields("Renommée", "73282932000074"))
        .await
        .unwrap();
    tx.rollback().await.unwrap();
    let mut conn = db.store.conn().await.unwrap();
    expect(&mut conn, "rolled back", vec![]).await;
}

async fn profiles_in_a_division_are_listed_newest_first(db: TestDatabase) {
    use store::directory::profiles_in_division;
    let mut conn = db.store.conn().await.unwrap();
    let org = async |conn: &mut store::Conn, siret: &str, naf: &str, updated_at: Option<i64>| {
        let mut f = fields(naf, siret);
        f.naf_code = naf.into();
        let id = organisations::insert(conn, &f).await.unwrap();
        if let Some(at) = updated_at {
            store::profiles::save(conn, id, &format!("{{\"naf\":\"{naf}\"}}"), None)
                .await
                .unwrap();
            // Saves within one millisecond would tie: the order is set by hand.
            sqlx::query("UPDATE profiles SET updated_at = $1 WHERE organisation_id = $2")
                .bind(at)
                .bind(id)
                .execute(&mut *conn)
                .await
                .unwrap();
        }
        id
    };
    let older = org(&mut conn, "73282932000074", "25.62B", Some(1_000)).await;
    let newer = org(&mut conn, "40483304800022", "25.11Z", Some(3_000)).await;
    let middle = org(&mut conn, "55210055400013", "25.62A", Some(2_000)).await;
    org(&mut conn, "33333333300001", "25.50B", None).await;
    let software = org(&mut conn, "44444444400001", "62.01Z", Some(5_000)).await;
    org(&mut conn, "22222222200001", "26.11Z", Some(4_000)).await;

    let peers = profiles_in_division(&mut conn, "25", 10).await.unwrap();
    assert_eq!(
        peers.iter().map(|(id, _)| *id).collect::<Vec<_>>(),
        [newer, middle, older]
    );
    assert_eq!(peers[0].1, r#"{"naf":"25.11Z"}"#);
    let first_two = profiles_in_division(&mut conn, "25", 2).await.unwrap();
    assert_eq!(
        first_two.iter().map(|(id, _)| *id).collect::<Vec<_>>(),
        [newer, middle]
    );
    assert_eq!(
        profiles_in_division(&mut conn, "62", 10)
            .await
            .unwrap()
            .iter()
            .map(|(id, _)| *id)
            .collect::<Vec<_>>(),
        [software]
    );
    assert!(
        profiles_in_division(&mut conn, "2", 10).await.unwrap().is_empty(),
        "a division is two digits"
    );
    assert!(
        profiles_in_division(&mut conn, "30", 10)
            .await
            .unwrap()
            .is_empty()
    );
}

// ---------------------------------------------------------------------------------------------
// The purchasing committee: policies, sessions, calls and their parts, dossiers and their
// versions, files stored once per content, evaluation.

on_both_backends!(
    purchasing_policies_and_committee_sessions_round_trip,
    a_call_round_trips_with_its_lots_criteria_and_listings,
    call_state_changes_are_guarded_and_one_of_two_racing_writers_wins,
    questions_are_answered_once_and_amendments_invitations_and_documents_are_kept,
    a_late_submission_is_refused_by_the_sql_guard_and_the_draft_is_kept,
    resubmission_keeps_every_version_with_its_attachments,
    dossiers_stay_sealed_until_the_call_closes,
    files_are_stored_once_per_content_and_come_back_byte_for_byte,
    marks_are_guarded_and_published_decisions_are_final,
    the_candidates_of_a_call_are_the_organisations_holding_a_dossier,
);

/// Opening and closing instants of the calls below (Unix ms); the closing is ten minutes later.
const OPENS: i64 = 1_800_000_000_000;
const CLOSES: i64 = 1_800_000_600_000;

fn call_fields(title: &str) -> store::committee::calls::CallFields {
    store::committee::calls::CallFields {
        title: title.into(),
        description: "Pièces de structure en titane.\nSéries de 50 à 500.".into(),
        category: "goods".into(),
        eligible_sizes: vec!["sme".into(), "mid_cap".into()],
        required_certifications: vec!["EN 9100".into(), "ISO 14001, édition 2015".into()],
        accepted_regions: vec!["76".into()],
        opens_at: OPENS,
        closes_at: CLOSES,
        visibility: "members".into(),
    }
}

fn call_parts() -> store::committee::calls::CallParts {
    use store::committee::calls::{CallParts, Criterion, Lot};
    CallParts {
        lots: vec![
            Lot {
                name: "Prototypes".into(),
                description: String::new(),
            },
            Lot {
                name: "Séries".into(),
                description: "50 à 500 pièces".into(),
            },
        ],
        criteria: vec![
            Criterion {
                name: "Prix".into(),
                description: String::new(),
                weight: 40,
                scale_max: 20,
            },
            Criterion {
                name: "Qualité".into(),
                description: "Tolérances".into(),
                weight: 60,
                scale_max: 10,
            },
        ],
    }
}

/// Ids of the committee stories' cast.
struct Committee {
    cluster: i64,
    buyer: i64,
    sme: i64,
    other_sme: i64,
    buyer_person: i64,
    sme_person: i64,
    call: i64,
}

/// A cluster, a large account with a buyer, two SMEs and a published call of the buyer.
async fn committee_fixture(conn: &mut store::Conn) -> Committee {
    use store::committee::calls;
    let cluster = clusters::insert(conn, "Pôle Démo", "pole-demo").await.unwrap();
    let buyer = organisations::insert(conn, &fields("Grand Compte SA", "73282932000074"))
        .await
        .unwrap();
    let sme = organisations::insert(conn, &fields("Usinage Titane SAS", "40483304800022"))
        .await
        .unwrap();
    let other_sme = organisations::insert(conn, &fields("Autre PME SARL", "10000000000001"))
        .await
        .unwrap();
    for org in [buyer, sme, other_sme] {
        clusters::add_member(conn, cluster, org).await.unwrap();
    }
    let buyer_person = people::insert(conn, &person(buyer, "acheteuse@gc.fr"))
        .await
        .unwrap();
    let sme_person = people::insert(conn, &person(sme, "dirigeant@ut.fr"))
        .await
        .unwrap();
    let call = calls::insert(
        conn,
        cluster,
        buyer,
        &call_fields("Usinage titane"),
        &call_parts(),
        Some(buyer_person),
        OPENS - 1_000,
    )
    .await
    .unwrap();
    assert!(
        calls::change_state(conn, call, "draft", "published", OPENS - 500)
            .await
            .unwrap()
    );
    Committee {
        cluster,
        buyer,
        sme,
        other_sme,
        buyer_person,
        sme_person,
        call,
    }
}

async fn purchasing_policies_and_committee_sessions_round_trip(db: TestDatabase) {
    use store::committee::{calls, policies, sessions};
    let mut conn = db.store.conn().await.unwrap();
    let c = committee_fixture(&mut conn).await;
    assert_eq!(policies::get(&mut conn, c.buyer).await.unwrap(), None);
    let mut policy = policies::PolicyFields {
        buys: "Pièces usinées, traitements de surface".into(),
        innovation_priorities: "Fabrication additive".into(),
        how_to_get_listed: "Répondre aux appels du comité".into(),
        contacts: "achats@gc.fr".into(),
        commitments: "Paiement à 30 jours".into(),
        published: 0,
    };
    policies::save(&mut conn, c.buyer, &policy, Some(c.buyer_person), 10)
        .await
        .unwrap();
    assert!(
        policies::published_in_cluster(&mut conn, c.cluster)
            .await
            .unwrap()
            .is_empty(),
        "not published yet"
    );
    policy.published = 1;
    policies::save(&mut conn, c.buyer, &policy, None, 20)
        .await
        .unwrap();
    let stored = policies::get(&mut conn, c.buyer).await.unwrap().unwrap();
    assert_eq!(
        (&stored.fields, stored.updated_at, stored.updated_by),
        (&policy, 20, None)
    );
    assert!(stored.is_published());
    let listed = policies::published_in_cluster(&mut conn, c.cluster)
        .await
        .unwrap();
    assert_eq!(
        listed.iter().map(|p| p.organisation_id).collect::<Vec<_>>(),
        [c.buyer]
    );

    let fields = sessions::SessionFields {
        title: "Comité achats de décembre".into(),
        presentation_at: 1_000,
        dossiers_due_at: 2_000,
        decision_at: 3_000,
    };
    let session = sessions::insert(&mut conn, c.cluster, &fields, Some(c.buyer_person), 5)
        .await
        .unwrap();
    let read = sessions::get(&mut conn, session).await.unwrap().unwrap();
    assert_eq!((read.cluster_id, &read.fields), (c.cluster, &fields));
    let moved = sessions::SessionFields {
        decision_at: 4_000,
        ..fields.clone()
    };
    assert!(sessions::update(&mut conn, session, &moved, 6).await.unwrap());
    assert!(
        !sessions::update(&mut conn, session + 100, &moved, 6)
            .await
            .unwrap()
    );
    assert_eq!(
        sessions::get(&mut conn, session)
            .await
            .unwrap()
            .unwrap()
            .decision_at,
        4_000
    );
    sessions::set_presenters(&mut conn, session, &[c.buyer, c.other_sme])
        .await
        .unwrap();
    sessions::set_presenters(&mut conn, session, &[c.other_sme, c.buyer])
        .await
        .unwrap();
    assert_eq!(
        sessions::presenters(&mut conn, session).await.unwrap(),
        [c.other_sme, c.buyer],
        "replaced, in speaking order"
    );
    assert!(
        calls::attach_to_session(&mut conn, c.call, None, Some(session), 7)
            .await
            .unwrap()
    );
    assert!(
        !calls::attach_to_session(&mut conn, c.call, None, Some(session), 8)
            .await
            .unwrap(),
        "no longer unattached: the guard refuses"
    );
    assert!(
        !calls::attach_to_session(&mut conn, c.call, Some(session + 1), None, 8)
            .await
            .unwrap(),
        "not in that session: nothing detached"
    );
    let attached = calls::of_session(&mut conn, session).await.unwrap();
    assert_eq!(attached.iter().map(|k| k.id).collect::<Vec<_>>(), [c.call]);
    assert_eq!(sessions::of_cluster(&mut conn, c.cluster).await.unwrap().len(), 1);
}

async fn a_call_round_trips_with_its_lots_criteria_and_listings(db: TestDatabase) {
    use store::committee::calls;
    let mut conn = db.store.conn().await.unwrap();
    let c = committee_fixture(&mut conn).await;
    let call = calls::get(&mut conn, c.call).await.unwrap().unwrap();
    assert_eq!(call.fields, call_fields("Usinage titane"));
    assert_eq!(
        (
            call.cluster_id,
            call.buyer_id,
            call.session_id,
            call.state.as_str()
        ),
        (c.cluster, c.buyer, None, "published")
    );
    assert_eq!(call.published_at, Some(OPENS - 500));
    assert_eq!(call.created_by, Some(c.buyer_person));
    assert_eq!(calls::parts(&mut conn, c.call).await.unwrap(), call_parts());

    // Editing replaces the lots and criteria wholesale.
    let mut edited = call_fields("Usinage titane — lot unique");
    edited.accepted_regions.clear();
    let mut parts = call_parts();
    parts.lots.truncate(1);
    parts.criteria.reverse();
    assert!(
        calls::update(&mut conn, c.call, &edited, &parts, OPENS)
            .await
            .unwrap()
    );
    let call = calls::get(&mut conn, c.call).await.unwrap().unwrap();
    assert_eq!((&call.fields, call.updated_at), (&edited, OPENS));
    assert_eq!(calls::parts(&mut conn, c.call).await.unwrap(), parts);

    let draft = calls::insert(
        &mut conn,
        c.cluster,
        c.buyer,
        &call_fields("Brouillon"),
        &Default::default(),
        None,
        1,
    )
    .await
    .unwrap();
    assert_eq!(calls::parts(&mut conn, draft).await.unwrap(), Default::default());
    let ids = |list: Vec<calls::Call>| list.iter().map(|k| k.id).collect::<Vec<_>>();
    assert_eq!(
        ids(calls::of_buyer(&mut conn, c.buyer).await.unwrap()),
        [c.call, draft]
    );
    assert_eq!(
        ids(calls::of_cluster(&mut conn, c.cluster).await.unwrap()),
        [c.call, draft]
    );
    assert!(calls::of_buyer(&mut conn, c.sme).await.unwrap().is_empty());
    // Only the published call accepts dossiers, and only from opening to just before closing.
    assert!(ids(calls::open_at(&mut conn, c.cluster, OPENS - 1).await.unwrap()).is_empty());
    assert_eq!(
        ids(calls::open_at(&mut conn, c.cluster, OPENS).await.unwrap()),
        [c.call]
    );
    assert_eq!(
        ids(calls::open_at(&mut conn, c.cluster, CLOSES - 1).await.unwrap()),
        [c.call]
    );
    assert!(ids(calls::open_at(&mut conn, c.cluster, CLOSES).await.unwrap()).is_empty());

    assert!(
        !calls::delete_draft(&mut conn, c.call).await.unwrap(),
        "published"
    );
    assert!(calls::delete_draft(&mut conn, draft).await.unwrap());
    assert_eq!(calls::get(&mut conn, draft).await.unwrap(), None);
    assert_eq!(calls::parts(&mut conn, draft).await.unwrap(), Default::default());

    let orphan = calls::insert(&mut conn, c.cluster + 100, c.buyer, &edited, &parts, None, 1).await;
    assert!(
        matches!(orphan, Err(StoreError::MissingReference(_))),
        "{orphan:?}"
    );
}

async fn call_state_changes_are_guarded_and_one_of_two_racing_writers_wins(db: TestDatabase) {
    use store::committee::calls;
    let mut conn = db.store.conn().await.unwrap();
    let c = committee_fixture(&mut conn).await;
    let state = |call: Option<calls::Call>| call.unwrap().state;

    // Closing before the closing instant is refused by the statement, whatever the caller thought.
    assert!(
        !calls::change_state(&mut conn, c.call, "published", "closed", CLOSES - 1)
            .await
            .unwrap()
    );
    assert!(
        !calls::change_state(&mut conn, c.call, "draft", "published", OPENS)
            .await
            .unwrap()
    );
    assert_eq!(state(calls::get(&mut conn, c.call).await.unwrap()), "published");
    assert!(calls::close_due(&mut conn, CLOSES - 1).await.unwrap().is_empty());
    assert_eq!(calls::close_due(&mut conn, CLOSES).await.unwrap(), [c.call]);
    assert!(
        calls::close_due(&mut conn, CLOSES + 1).await.unwrap().is_empty(),
        "closed once"
    );
    assert!(
        !calls::cancel(&mut conn, c.call, "published", "trop tard", CLOSES)
            .await
            .unwrap()
    );
    assert!(
        calls::change_state(&mut conn, c.call, "closed", "decided", CLOSES + 5)
            .await
            .unwrap()
    );
    assert!(
        !calls::cancel(&mut conn, c.call, "decided", "non", CLOSES + 6)
            .await
            .unwrap(),
        "final"
    );
    let decided = calls::get(&mut conn, c.call).await.unwrap().unwrap();
    assert_eq!(
        (decided.state.as_str(), decided.state_changed_at),
        ("decided", CLOSES + 5)
    );

    // A draft whose closing instant has passed cannot be published.
    let late = calls::insert(
        &mut conn,
        c.cluster,
        c.buyer,
        &call_fields("Tard"),
        &Default::default(),
        None,
        1,
    )
    .await
    .unwrap();
    assert!(
        !calls::change_state(&mut conn, late, "draft", "published", CLOSES)
            .await
            .unwrap()
    );

    // Two writers race on one draft: one publishes, one cancels; exactly one wins.
    let raced = calls::insert(
        &mut conn,
        c.cluster,
        c.buyer,
        &call_fields("Course"),
        &Default::default(),
        None,
        1,
    )
    .await
    .unwrap();
    drop(conn);
    let attempt = |to: &'static str| {
        let store = db.store.clone();
        async move {
            let mut tx = store.begin().await.unwrap();
            let won = if to == "cancelled" {
                calls::cancel(&mut tx, raced, "draft", "doublon", OPENS)
                    .await
                    .unwrap()
            } else {
                calls::change_state(&mut tx, raced, "draft", to, OPENS)
                    .await
                    .unwrap()
            };
            tx.commit().await.unwrap();
            won
        }
    };
    let (published, cancelled) = tokio::join!(attempt("published"), attempt("cancelled"));
    assert!(
        published != cancelled,
        "exactly one wins: {published} {cancelled}"
    );
    let mut conn = db.store.conn().await.unwrap();
    let after = calls::get(&mut conn, raced).await.unwrap().unwrap();
    if published {
        assert_eq!(
            (after.state.as_str(), after.published_at),
            ("published", Some(OPENS))
        );
    } else {
        assert_eq!(
            (
                after.state.as_str(),
                after.cancel_reason.as_deref(),
                after.published_at
            ),
            ("cancelled", Some("doublon"), None)
        );
    }
    // The stored state no longer matches either writer's expectation: a third writer loses too.
    assert!(
        !calls::change_state(&mut conn, raced, "draft", "published", OPENS)
            .await
            .unwrap()
    );
}

async fn questions_are_answered_once_and_amendments_invitations_and_documents_are_kept(db: TestDatabase) {
    use store::committee::{calls, files};
    let mut conn = db.store.conn().await.unwrap();
    let c = committee_fixture(&mut conn).await;
    let first = calls::ask(
        &mut conn,
        c.call,
        Some(c.sme),
        Some(c.sme_person),
        "Le titane est-il fourni ?",
        10,
    )
    .await
    .unwrap();
    let second = calls::ask(
        &mut conn,
        c.call,
        Some(c.other_sme),
        None,
        "Délai de paiement ?",
        11,
    )
    .await
    .unwrap();
    assert!(
        calls::answered(&mut conn, c.call).await.unwrap().is_empty(),
        "nothing public yet"
    );
    assert!(
        calls::answer(&mut conn, second, "30 jours", Some(c.buyer_person), 20)
            .await
            .unwrap()
    );
    assert!(
        !calls::answer(&mut conn, second, "60 jours", Some(c.buyer_person), 21)
            .await
            .unwrap(),
        "an answer is given once"
    );
    let public = calls::answered(&mut conn, c.call).await.unwrap();
    assert_eq!(public.len(), 1);
    assert_eq!(
        (public[0].id, public[0].answer.as_deref(), public[0].answered_at),
        (second, Some("30 jours"), Some(20))
    );
    let all = calls::questions(&mut conn, c.call).await.unwrap();
    assert_eq!(all.iter().map(|q| q.id).collect::<Vec<_>>(), [first, second]);
    assert_eq!(all[0].organisation_id, Some(c.sme));
    assert_eq!(
        calls::question(&mut conn, first).await.unwrap().unwrap().answer,
        None
    );

    let a1 = calls::amend(
        &mut conn,
        c.call,
        "Le lot 2 est supprimé.",
        Some(c.buyer_person),
        30,
    )
    .await
    .unwrap();
    let a2 = calls::amend(&mut conn, c.call, "Clôture inchangée.", None, 31)
        .await
        .unwrap();
    let amendments = calls::amendments(&mut conn, c.call).await.unwrap();
    assert_eq!(amendments.iter().map(|a| a.id).collect::<Vec<_>>(), [a1, a2]);
    assert_eq!(amendments[0].text, "Le lot 2 est supprimé.");

    assert!(
        calls::invite(&mut conn, c.call, c.sme, Some(c.buyer_person), 40)
            .await
            .unwrap()
    );
    assert!(
        !calls::invite(&mut conn, c.call, c.sme, None, 41).await.unwrap(),
        "invited once"
    );
    assert!(
        calls::invite(&mut conn, c.call, c.other_sme, None, 42)
            .await
            .unwrap()
    );
    let invited = calls::invitations(&mut conn, c.call).await.unwrap();
    assert_eq!(
        invited
            .iter()
            .map(|i| (i.organisation_id, i.invited_at))
            .collect::<Vec<_>>(),
        [(c.sme, 40), (c.other_sme, 42)]
    );
    assert!(calls::is_invited(&mut conn, c.call, c.sme).await.unwrap());
    assert_eq!(calls::inviting(&mut conn, c.sme).await.unwrap()[0].id, c.call);
    assert!(calls::uninvite(&mut conn, c.call, c.sme).await.unwrap());
    assert!(!calls::is_invited(&mut conn, c.call, c.sme).await.unwrap());
    assert!(calls::inviting(&mut conn, c.sme).await.unwrap().is_empty());

    let sha = "ab".repeat(32);
    files::put(&mut conn, &sha, "application/pdf", b"%PDF-1.7 cahier", 50)
        .await
        .unwrap();
    let spec = store::committee::files::Attached {
        file_name: "cahier des charges.pdf".into(),
        file_sha256: sha.clone(),
        size_bytes: 15,
        content_type: "application/pdf".into(),
    };
    let doc = calls::add_document(&mut conn, c.call, &spec, Some(c.buyer_person), 51)
        .await
        .unwrap();
    let same_name = calls::add_document(&mut conn, c.call, &spec, None, 52).await;
    assert!(
        matches!(same_name, Err(StoreError::Duplicate(_))),
        "{same_name:?}"
    );
    let missing = calls::add_document(
        &mut conn,
        c.call,
        &files::Attached {
            file_name: "absent.pdf".into(),
            file_sha256: "cd".repeat(32),
            ..spec.clone()
        },
        None,
        53,
    )
    .await;
    assert!(
        matches!(missing, Err(StoreError::MissingReference(_))),
        "{missing:?}"
    );
    let docs = calls::documents(&mut conn, c.call).await.unwrap();
    assert_eq!(docs.len(), 1);
    assert_eq!(
        (docs[0].id, &docs[0].file, docs[0].added_by),
        (doc, &spec, Some(c.buyer_person))
    );
    assert!(
        !calls::remove_document(&mut conn, c.call + 1, doc).await.unwrap(),
        "another call's"
    );
    assert!(calls::remove_document(&mut conn, c.call, doc).await.unwrap());
    assert!(calls::documents(&mut conn, c.call).await.unwrap().is_empty());
}

fn attachment(name: &str, sha256: &str, size: i64) -> store::committee::files::Attached {
    store::committee::files::Attached {
        file_name: name.into(),
        file_sha256: sha256.into(),
        size_bytes: size,
        content_type: "application/pdf".into(),
    }
}

async fn a_late_submission_is_refused_by_the_sql_guard_and_the_draft_is_kept(db: TestDatabase) {
    use store::committee::{calls, dossiers, files};
    let mut conn = db.store.conn().await.unwrap();
    let c = committee_fixture(&mut conn).await;
    let dossier = dossiers::save_draft(
        &mut conn,
        c.call,
        c.sme,
        "Notre offre",
        &[1, 2],
        Some(c.sme_person),
        OPENS,
    )
    .await
    .unwrap();
    files::put(
        &mut conn,
        &"01".repeat(32),
        "application/pdf",
        b"%PDF memoire",
        OPENS,
    )
    .await
    .unwrap();
    dossiers::add_draft_attachment(
        &mut conn,
        dossier,
        &attachment("memoire.pdf", &"01".repeat(32), 12),
        OPENS,
    )
    .await
    .unwrap();
    drop(conn);

    let submit = |now: i64| {
        let store = db.store.clone();
        async move {
            let mut tx = store.begin().await.unwrap();
            let version = dossiers::submit(&mut tx, dossier, Some(c.sme_person), now)
                .await
                .unwrap();
            tx.commit().await.unwrap();
            version
        }
    };
    // At the closing instant and after it: refused, nothing written.
    assert_eq!(submit(CLOSES).await, None);
    assert_eq!(submit(CLOSES + 1_000).await, None);
    // Before opening: refused too.
    assert_eq!(submit(OPENS - 1).await, None);
    let mut conn = db.store.conn().await.unwrap();
    let kept = dossiers::get(&mut conn, dossier).await.unwrap().unwrap();
    assert_eq!(
        (
            kept.state.as_str(),
            kept.answer.as_str(),
            kept.lots.as_slice(),
            kept.current_version
        ),
        ("draft", "Notre offre", &[1, 2][..], None)
    );
    assert!(dossiers::versions(&mut conn, dossier).await.unwrap().is_empty());
    assert_eq!(
        dossiers::attachments(&mut conn, dossier, dossiers::DRAFT)
            .await
            .unwrap()
            .len(),
        1
    );
    assert_eq!(dossiers::count_submitted(&mut conn, c.call).await.unwrap(), 0);
    drop(conn);

    // One millisecond before closing: accepted.
    assert_eq!(submit(CLOSES - 1).await, Some(1));
    let mut conn = db.store.conn().await.unwrap();
    let submitted = dossiers::find(&mut conn, c.call, c.sme).await.unwrap().unwrap();
    assert_eq!(
        (
            submitted.id,
            submitted.state.as_str(),
            submitted.current_version,
            submitted.submitted_at
        ),
        (dossier, "submitted", Some(1), Some(CLOSES - 1))
    );
    assert_eq!(dossiers::count_submitted(&mut conn, c.call).await.unwrap(), 1);
    // Withdrawal is refused once closed; a cancelled call accepts nothing.
    assert!(!dossiers::withdraw(&mut conn, dossier, CLOSES).await.unwrap());
    let other = dossiers::save_draft(&mut conn, c.call, c.other_sme, "Offre", &[], None, OPENS)
        .await
        .unwrap();
    assert!(
        calls::cancel(&mut conn, c.call, "published", "besoin abandonné", OPENS + 1)
            .await
            .unwrap()
    );
    drop(conn);
    let store = db.store.clone();
    let mut tx = store.begin().await.unwrap();
    assert_eq!(
        dossiers::submit(&mut tx, other, None, OPENS + 2).await.unwrap(),
        None
    );
    tx.commit().await.unwrap();
}

async fn resubmission_keeps_every_version_with_its_attachments(db: TestDatabase) {
    use store::committee::{dossiers, files};
    let mut conn = db.store.conn().await.unwrap();
    let c = committee_fixture(&mut conn).await;
    let (one, two) = ("11".repeat(32), "22".repeat(32));
    files::put(&mut conn, &one, "application/pdf", b"%PDF v1", OPENS)
        .await
        .unwrap();
    files::put(&mut conn, &two, "application/pdf", b"%PDF v2", OPENS)
        .await
        .unwrap();
    let dossier = dossiers::save_draft(&mut conn, c.call, c.sme, "Première offre", &[1], None, OPENS)
        .await
        .unwrap();
    dossiers::add_draft_attachment(&mut conn, dossier, &attachment("offre.pdf", &one, 7), OPENS)
        .await
        .unwrap();
    let twice =
        dossiers::add_draft_attachment(&mut conn, dossier, &attachment("offre.pdf", &two, 7), OPENS).await;
    assert!(matches!(twice, Err(StoreError::Duplicate(_))), "{twice:?}");
    assert_eq!(
        dossiers::submit(&mut conn, dossier, Some(c.sme_person), OPENS + 10)
            .await
            .unwrap(),
        Some(1)
    );

    // The draft changes after submission: the submitted version does not.
    let again = dossiers::save_draft(
        &mut conn,
        c.call,
        c.sme,
        "Offre révisée",
        &[1, 2],
        Some(c.sme_person),
        OPENS + 20,
    )
    .await
    .unwrap();
    assert_eq!(again, dossier, "one dossier per candidate and call");
    assert!(
        dossiers::remove_draft_attachment(&mut conn, dossier, "offre.pdf")
            .await
            .unwrap()
    );
    assert!(
        !dossiers::remove_draft_attachment(&mut conn, dossier, "offre.pdf")
            .await
            .unwrap()
    );
    dossiers::add_draft_attachment(
        &mut conn,
        dossier,
        &attachment("offre-v2.pdf", &two, 7),
        OPENS + 21,
    )
    .await
    .unwrap();
    let edited = dossiers::get(&mut conn, dossier).await.unwrap().unwrap();
    assert_eq!(
        (edited.state.as_str(), edited.current_version),
        ("submitted", Some(1))
    );
    assert_eq!(
        dossiers::version(&mut conn, dossier, 1)
            .await
            .unwrap()
            .unwrap()
            .answer,
        "Première offre"
    );

    // Withdrawing keeps the history; submitting again reinstates the dossier as version 2.
    assert!(dossiers::withdraw(&mut conn, dossier, OPENS + 30).await.unwrap());
    assert!(
        !dossiers::withdraw(&mut conn, dossier, OPENS + 31).await.unwrap(),
        "already withdrawn"
    );
    let withdrawn = dossiers::get(&mut conn, dossier).await.unwrap().unwrap();
    assert_eq!(
        (withdrawn.state.as_str(), withdrawn.withdrawn_at),
        ("withdrawn", Some(OPENS + 30))
    );
    assert_eq!(dossiers::count_submitted(&mut conn, c.call).await.unwrap(), 0);
    drop(conn);

    // Two submissions at once queue on the dossier and get consecutive versions.
    let submit = |now: i64| {
        let store = db.store.clone();
        async move {
            let mut tx = store.begin().await.unwrap();
            let version = dossiers::submit(&mut tx, dossier, Some(c.sme_person), now)
                .await
                .unwrap();
            tx.commit().await.unwrap();
            version
        }
    };
    let (a, b) = tokio::join!(submit(OPENS + 40), submit(OPENS + 41));
    let mut versions = [a.unwrap(), b.unwrap()];
    versions.sort_unstable();
    assert_eq!(versions, [2, 3]);

    let mut conn = db.store.conn().await.unwrap();
    let history = dossiers::versions(&mut conn, dossier).await.unwrap();
    assert_eq!(
        history.iter().map(|v| v.version).collect::<Vec<_>>(),
        [3, 2, 1],
        "newest first"
    );
    assert_eq!(
        (history[1].answer.as_str(), history[1].lots.as_slice()),
        ("Offre révisée", &[1, 2][..])
    );
    assert_eq!(
        (history[2].answer.as_str(), history[2].submitted_at),
        ("Première offre", OPENS + 10)
    );
    let names =
        |list: Vec<dossiers::Attachment>| list.into_iter().map(|a| a.file.file_name).collect::<Vec<_>>();
    assert_eq!(
        names(dossiers::attachments(&mut conn, dossier, 1).await.unwrap()),
        ["offre.pdf"]
    );
    assert_eq!(
        names(dossiers::attachments(&mut conn, dossier, 2).await.unwrap()),
        ["offre-v2.pdf"]
    );
    assert_eq!(
        names(
            dossiers::attachments(&mut conn, dossier, dossiers::DRAFT)
                .await
                .unwrap()
        ),
        ["offre-v2.pdf"]
    );
    let current = dossiers::get(&mut conn, dossier).await.unwrap().unwrap();
    assert_eq!(
        (
            current.state.as_str(),
            current.current_version,
            current.withdrawn_at
        ),
        ("submitted", Some(3), None)
    );
    assert_eq!(
        dossiers::of_organisation(&mut conn, c.sme).await.unwrap().len(),
        1
    );
    assert!(
        dossiers::of_organisation(&mut conn, c.other_sme)
            .await
            .unwrap()
            .is_empty()
    );
}

async fn dossiers_stay_sealed_until_the_call_closes(db: TestDatabase) {
    use store::committee::{calls, dossiers};
    let mut conn = db.store.conn().await.unwrap();
    let c = committee_fixture(&mut conn).await;
    let mine = dossiers::save_draft(&mut conn, c.call, c.sme, "Offre A", &[1], None, OPENS)
        .await
        .unwrap();
    let theirs = dossiers::save_draft(&mut conn, c.call, c.other_sme, "Offre B", &[2], None, OPENS)
        .await
        .unwrap();
    assert_eq!(
        dossiers::submit(&mut conn, mine, None, OPENS + 1).await.unwrap(),
        Some(1)
    );
    assert_eq!(
        dossiers::submit(&mut conn, theirs, None, OPENS + 2)
            .await
            .unwrap(),
        Some(1)
    );
    assert!(dossiers::withdraw(&mut conn, theirs, OPENS + 3).await.unwrap());

    assert!(
        dossiers::unsealed_submissions(&mut conn, c.call, CLOSES - 1)
            .await
            .unwrap()
            .is_empty(),
        "sealed before closing"
    );
    // At the closing instant the published call's dossiers open, withdrawn ones excepted.
    let opened = dossiers::unsealed_submissions(&mut conn, c.call, CLOSES)
        .await
        .unwrap();
    assert_eq!(opened.len(), 1);
    assert_eq!(
        (
            opened[0].organisation_id,
            opened[0].version.answer.as_str(),
            opened[0].version.version
        ),
        (c.sme, "Offre A", 1)
    );
    calls::close_due(&mut conn, CLOSES).await.unwrap();
    assert_eq!(
        dossiers::unsealed_submissions(&mut conn, c.call, CLOSES)
            .await
            .unwrap()
            .len(),
        1
    );
    // A cancelled call's dossiers are never opened.
    assert!(
        calls::cancel(&mut conn, c.call, "closed", "abandon", CLOSES + 1)
            .await
            .unwrap()
    );
    assert!(
        dossiers::unsealed_submissions(&mut conn, c.call, CLOSES + 2)
            .await
            .unwrap()
            .is_empty()
    );
}

async fn files_are_stored_once_per_content_and_come_back_byte_for_byte(db: TestDatabase) {
    use store::committee::{calls, dossiers, files};
    let mut conn = db.store.conn().await.unwrap();
    let c = committee_fixture(&mut conn).await;
    // 300 KiB where every byte value occurs, NULs and invalid UTF-8 included.
    let mut state: u32 = 0x9e37_79b9;
    let bytes: Vec<u8> = (0..307_200)
        .map(|i| {
            state = state.wrapping_mul(1_664_525).wrapping_add(1_013_904_223);
            if i < 256 { i as u8 } else { (state >> 24) as u8 }
        })
        .collect();
    let sha = "f0".repeat(32);
    assert!(
        files::put(&mut conn, &sha, "application/zip", &bytes, 100)
            .await
            .unwrap(),
        "new"
    );
    assert!(
        !files::put(&mut conn, &sha, "application/zip", &bytes, 200)
            .await
            .unwrap(),
        "already stored"
    );
    let stored = files::get(&mut conn, &sha).await.unwrap().unwrap();
    assert_eq!(
        (stored.size_bytes, stored.content_type.as_str(), stored.created_at),
        (307_200, "application/zip", 100),
        "the first copy stays"
    );
    let back = files::content(&mut conn, &sha).await.unwrap().unwrap();
    assert!(back == bytes, "the file came back changed");
    assert_eq!(files::get(&mut conn, &"00".repeat(32)).await.unwrap(), None);
    assert_eq!(files::content(&mut conn, &"00".repeat(32)).await.unwrap(), None);

    // Two candidates attach the same bytes: one stored file, two attachments.
    let empty_sha = "e3".repeat(32);
    files::put(&mut conn, &empty_sha, "text/plain", b"", 100)
        .await
        .unwrap();
    assert_eq!(
        files::content(&mut conn, &empty_sha).await.unwrap().as_deref(),
        Some(&b""[..])
    );
    let a = dossiers::save_draft(&mut conn, c.call, c.sme, "A", &[], None, OPENS)
        .await
        .unwrap();
    let b = dossiers::save_draft(&mut conn, c.call, c.other_sme, "B", &[], None, OPENS)
        .await
        .unwrap();
    for dossier in [a, b] {
        dossiers::add_draft_attachment(
            &mut conn,
            dossier,
            &attachment("annexe.zip", &sha, 307_200),
            OPENS,
        )
        .await
        .unwrap();
    }
    let count: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM files")
        .fetch_one(&mut *conn)
        .await
        .unwrap();
    assert_eq!(count, 2);
    // Only files nothing refers to are cleaned up.
    assert_eq!(
        files::delete_unreferenced(&mut conn).await.unwrap(),
        1,
        "the empty file"
    );
    dossiers::remove_draft_attachment(&mut conn, a, "annexe.zip")
        .await
        .unwrap();
    assert_eq!(
        files::delete_unreferenced(&mut conn).await.unwrap(),
        0,
        "b still refers to it"
    );
    dossiers::remove_draft_attachment(&mut conn, b, "annexe.zip")
        .await
        .unwrap();
    calls::add_document(
        &mut conn,
        c.call,
        &attachment("annexe.zip", &sha, 307_200),
        None,
        OPENS,
    )
    .await
    .unwrap();
    assert_eq!(
        files::delete_unreferenced(&mut conn).await.unwrap(),
        0,
        "a call document refers to it"
    );
    assert!(files::content(&mut conn, &sha).await.unwrap().is_some());
}

async fn marks_are_guarded_and_published_decisions_are_final(db: TestDatabase) {
    use store::committee::{calls, dossiers, evaluation};
    let mut conn = db.store.conn().await.unwrap();
    let c = committee_fixture(&mut conn).await;
    let evaluator = people::insert(&mut conn, &person(c.buyer, "evaluateur@gc.fr"))
        .await
        .unwrap();
    let conflicted = people::insert(&mut conn, &person(c.buyer, "cousin@gc.fr"))
        .await
        .unwrap();
    for p in [evaluator, conflicted] {
        assert!(
            evaluation::name_evaluator(&mut conn, c.call, p, Some(c.buyer_person), 1)
                .await
                .unwrap()
        );
    }
    assert!(
        !evaluation::name_evaluator(&mut conn, c.call, evaluator, None, 2)
            .await
            .unwrap()
    );
    assert_eq!(
        evaluation::evaluators(&mut conn, c.call).await.unwrap(),
        [evaluator, conflicted]
    );
    let dossier = dossiers::save_draft(&mut conn, c.call, c.sme, "Offre", &[1], None, OPENS)
        .await
        .unwrap();
    let draft_only = dossiers::save_draft(&mut conn, c.call, c.other_sme, "Brouillon", &[], None, OPENS)
        .await
        .unwrap();
    dossiers::submit(&mut conn, dossier, None, OPENS + 1)
        .await
        .unwrap()
        .unwrap();

    // Nobody marks before closing.
    assert!(
        !evaluation::save_mark(&mut conn, dossier, evaluator, 1, 15, "", OPENS + 2)
            .await
            .unwrap()
    );
    calls::close_due(&mut conn, CLOSES).await.unwrap();
    assert!(
        evaluation::declare_conflict(&mut conn, dossier, conflicted, "ancien associé", CLOSES)
            .await
            .unwrap()
    );
    assert!(
        !evaluation::declare_conflict(&mut conn, dossier, conflicted, "bis", CLOSES)
            .await
            .unwrap()
    );

    // Two evaluators' saves never collide: each writes only their own rows.
    let save = |person: i64, criterion: i64, mark: i64| {
        let store = db.store.clone();
        async move {
            let mut tx = store.begin().await.unwrap();
            let saved = evaluation::save_mark(&mut tx, dossier, person, criterion, mark, "Bien", CLOSES + 1)
                .await
                .unwrap();
            tx.commit().await.unwrap();
            saved
        }
    };
    drop(conn);
    let (a, b) = tokio::join!(save(evaluator, 1, 15), save(c.buyer_person, 1, 10));
    assert!(a && !b, "the buyer was not named evaluator");
    let mut conn = db.store.conn().await.unwrap();
    assert!(
        evaluation::name_evaluator(&mut conn, c.call, c.buyer_person, None, 3)
            .await
            .unwrap()
    );
    drop(conn);
    let (a, b) = tokio::join!(save(evaluator, 2, 7), save(c.buyer_person, 1, 10));
    assert!(a && b);
    let mut conn = db.store.conn().await.unwrap();
    // Outside the scale, an unknown criterion, a conflicted evaluator, an unsubmitted dossier: refused.
    assert!(
        !evaluation::save_mark(&mut conn, dossier, evaluator, 1, 21, "", CLOSES)
            .await
            .unwrap()
    );
    assert!(
        !evaluation::save_mark(&mut conn, dossier, evaluator, 2, -1, "", CLOSES)
            .await
            .unwrap()
    );
    assert!(
        !evaluation::save_mark(&mut conn, dossier, evaluator, 3, 1, "", CLOSES)
            .await
            .unwrap()
    );
    assert!(
        !evaluation::save_mark(&mut conn, dossier, conflicted, 1, 10, "", CLOSES)
            .await
            .unwrap()
    );
    assert!(
        !evaluation::save_mark(&mut conn, draft_only, evaluator, 1, 10, "", CLOSES)
            .await
            .unwrap()
    );
    // Saving again replaces the evaluator's own mark.
    assert!(
        evaluation::save_mark(&mut conn, dossier, evaluator, 1, 20, "Très bien", CLOSES + 2)
            .await
            .unwrap()
    );
    let marks = evaluation::marks(&mut conn, c.call).await.unwrap();
    let seen: Vec<(i64, i64, i64)> = marks
        .iter()
        .map(|m| (m.person_id, m.criterion_position, m.mark))
        .collect();
    let mut expected = vec![(evaluator, 1, 20), (evaluator, 2, 7), (c.buyer_person, 1, 10)];
    expected.sort_unstable();
    assert_eq!(seen, expected);
    assert_eq!(
        evaluation::conflicts(&mut conn, c.call).await.unwrap()[0].person_id,
        conflicted
    );

    assert!(
        evaluation::set_shortlisted(&mut conn, dossier, true, CLOSES + 3)
            .await
            .unwrap()
    );
    assert_eq!(
        dossiers::get(&mut conn, dossier)
            .await
            .unwrap()
            .unwrap()
            .shortlisted_at,
        Some(CLOSES + 3)
    );
    assert!(
        !evaluation::set_shortlisted(&mut conn, draft_only, true, CLOSES + 3)
            .await
            .unwrap()
    );

    let decision = evaluation::record_decision(
        &mut conn,
        dossier,
        "not_retained",
        "Prix élevé",
        None,
        Some(c.buyer_person),
        CLOSES + 4,
    )
    .await
    .unwrap();
    assert!(
        evaluation::revise_decision(&mut conn, decision, "listed", "Retenu")
            .await
            .unwrap()
    );
    assert_eq!(
        evaluation::publish_decisions(&mut conn, c.call, CLOSES + 5)
            .await
            .unwrap(),
        1
    );
    assert_eq!(
        evaluation::publish_decisions(&mut conn, c.call, CLOSES + 6)
            .await
            .unwrap(),
        0
    );
    assert!(
        !evaluation::revise_decision(&mut conn, decision, "not_retained", "Oups")
            .await
            .unwrap(),
        "published"
    );
    let correction = evaluation::record_decision(
        &mut conn,
        dossier,
        "listed",
        "Retenu, lot 1 seulement",
        Some(decision),
        None,
        CLOSES + 7,
    )
    .await
    .unwrap();
    let history = evaluation::decisions(&mut conn, dossier).await.unwrap();
    assert_eq!(history.len(), 2);
    assert_eq!(
        (
            history[0].outcome.as_str(),
            history[0].feedback.as_str(),
            history[0].published_at
        ),
        ("listed", "Retenu", Some(CLOSES + 5))
    );
    assert_eq!(
        (history[1].id, history[1].corrects, history[1].published_at),
        (correction, Some(decision), None)
    );
}

async fn the_candidates_of_a_call_are_the_organisations_holding_a_dossier(db: TestDatabase) {
    use store::committee::dossiers;
    let mut conn = db.store.conn().await.unwrap();
    let c = committee_fixture(&mut conn).await;
    assert!(dossiers::candidates(&mut conn, c.call).await.unwrap().is_empty());
    for org in [c.other_sme, c.sme] {
        dossiers::save_draft(&mut conn, c.call, org, "Offre", &[], None, OPENS)
            .await
            .unwrap();
    }
    let mut expected = vec![c.sme, c.other_sme];
    expected.sort_unstable();
    assert_eq!(dossiers::candidates(&mut conn, c.call).await.unwrap(), expected);
}
