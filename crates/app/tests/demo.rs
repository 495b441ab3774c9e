//! The demo data set as a newcomer meets it: one cluster of ~300 members with valid identifiers,
//! the documented logins, the same data on every installation, and a second load that does nothing.

use app::demo::{self, DEMO_ACCOUNTS, DEMO_CLUSTER_SLUG, DemoSummary};
use domain::geo;
use domain::naf::NafCode;
use domain::org::{OrgKind, size_category};
use domain::siret::Siret;
use store::records::{GrantRow, Organisation, Person};
use store::testing::TestDatabase;
use store::{Backend, Store, meetings, organisations, people};

/// Stands in for the argon2 hash of the demo password: the store keeps it opaque, and hashing
/// for real would only slow the tests down.
const HASH: &str = "$argon2id$v=19$m=19456,t=2,p=1$ZGVtby1zYWx0$ZGVtby1oYXNoLW9mLXRoZS1wYXNzd29yZA";

/// Runs each named story on SQLite, and on PostgreSQL when `PASSERELLE_TEST_DATABASE_URL` is set.
macro_rules! on_both_backends {
    ($($story:ident),* $(,)?) => {
        mod sqlite {
            $(#[tokio::test] async fn $story() { super::$story(store::Backend::Sqlite).await })*
        }
        mod postgres {
            $(#[tokio::test] async fn $story() { super::$story(store::Backend::Postgres).await })*
        }
    };
}

on_both_backends!(
    loading_creates_a_cluster_of_about_300_members_with_five_large_accounts,
    every_member_has_a_valid_siret_naf_code_commune_and_size,
    every_documented_account_exists_with_its_role_and_password,
    loading_twice_changes_nothing,
    two_fresh_databases_get_identical_data,
    the_demo_event_is_open_with_requests_to_answer,
);

async fn database(backend: Backend) -> Option<TestDatabase> {
    let db = TestDatabase::of(backend).await;
    if db.is_none() {
        eprintln!("skipped: no {} test database configured", backend.as_str());
    }
    db
}

async fn members(store: &Store, cluster_id: i64) -> Vec<Organisation> {
    let mut conn = store.conn().await.unwrap();
    let page = organisations::list_members(&mut conn, cluster_id, "", 0, 10_000)
        .await
        .unwrap();
    assert_eq!(page.items.len() as i64, page.total);
    page.items
}

async fn people_of(store: &Store, organisation_id: i64) -> Vec<Person> {
    let mut conn = store.conn().await.unwrap();
    people::of_organisation(&mut conn, organisation_id).await.unwrap()
}

async fn grants_of(store: &Store, person_id: i64) -> Vec<GrantRow> {
    let mut conn = store.conn().await.unwrap();
    people::grants(&mut conn, person_id).await.unwrap()
}

async fn loading_creates_a_cluster_of_about_300_members_with_five_large_accounts(backend: Backend) {
    let Some(db) = database(backend).await else { return };
    let summary = demo::load(&db.store, HASH).await.unwrap();

    assert!(summary.created);
    assert!((290..=310).contains(&summary.organisations), "{summary:?}");
    let members = members(&db.store, summary.cluster_id).await;
    assert_eq!(members.len() as i64, summary.organisations);
    let count = |predicate: &dyn Fn(&Organisation) -> bool| members.iter().filter(|o| predicate(o)).count();
    assert_eq!(count(&|o| o.size.as_deref() == Some("large")), 5);
    assert_eq!(count(&|o| o.size.as_deref() == Some("mid_cap")), 12);
    assert!(count(&|o| o.size.as_deref() == Some("sme")) >= 270);
    assert_eq!(count(&|o| o.kind == OrgKind::ResearchLab.as_str()), 1);
    assert_eq!(count(&|o| o.kind == OrgKind::Association.as_str()), 1);
    assert!(
        count(&|o| o.region_code == "76") > members.len() / 2,
        "Occitanie is the home region"
    );
    assert!(
        members
            .iter()
            .map(|o| &o.region_code)
            .collect::<std::collections::HashSet<_>>()
            .len()
            >= 5,
        "members come from several regions"
    );
    for large in members.iter().filter(|o| o.size.as_deref() == Some("large")) {
        assert!(large.headcount >= 5_000, "{}", large.legal_name);
        assert!(
            large.turnover_eur.unwrap() > 1_500_000_000,
            "{}",
            large.legal_name
        );
    }

    let mut people = 0;
    for organisation in &members {
        let staff = people_of(&db.store, organisation.id).await;
        assert!(!staff.is_empty(), "{} has nobody", organisation.legal_name);
        people += staff.len() as i64;
    }
    assert_eq!(people, summary.people);
}

async fn every_member_has_a_valid_siret_naf_code_commune_and_size(backend: Backend) {
    let Some(db) = database(backend).await else { return };
    let summary = demo::load(&db.store, HASH).await.unwrap();
    let members = members(&db.store, summary.cluster_id).await;
    let mut sirets = std::collections::HashSet::new();
    for o in &members {
        let siret = Siret::parse(&o.siret).unwrap_or_else(|e| panic!("{}: {e}", o.legal_name));
        assert_eq!(siret.siren().as_str(), o.siren);
        assert!(
            sirets.insert(o.siret.clone()),
            "{} shares its SIRET",
            o.legal_name
        );
        NafCode::parse(&o.naf_code).unwrap_or_else(|e| panic!("{}: {e}", o.legal_name));
        let commune = geo::commune(&o.commune_code).unwrap_or_else(|| panic!("{}", o.legal_name));
        assert!(
            commune.postcode_matches(&o.postcode),
            "{}: {}",
            o.legal_name,
            o.postcode
        );
        assert_eq!(commune.department_code, o.department_code);
        assert_eq!(commune.region_code, o.region_code);
        let expected_size = (o.kind == OrgKind::Company.as_str()).then(|| {
            let figure = |v: Option<i64>| v.map(|v| u64::try_from(v).unwrap());
            let headcount = u32::try_from(o.headcount).unwrap();
            size_category(headcount, figure(o.turnover_eur), figure(o.balance_sheet_eur))
                .as_str()
                .to_owned()
        });
        assert_eq!(o.size, expected_size, "{}", o.legal_name);
    }
    let lab = members.iter().find(|o| o.kind == "research_lab").unwrap();
    assert_eq!((lab.naf_code.as_str(), lab.size.as_deref()), ("72.19Z", None));
}

async fn every_documented_account_exists_with_its_role_and_password(backend: Backend) {
    let Some(db) = database(backend).await else { return };
    let summary = demo::load(&db.store, HASH).await.unwrap();
    let mut conn = db.store.conn().await.unwrap();
    for account in DEMO_ACCOUNTS {
        let person = people::by_email(&mut conn, account.email)
            .await
            .unwrap()
            .unwrap_or_else(|| panic!("{} is missing", account.email));
        let organisation = organisations::get(&mut conn, person.organisation_id)
            .await
            .unwrap()
            .unwrap();
        assert_eq!(organisation.legal_name, account.organisation, "{}", account.email);
        let (scope_kind, scope_id) = if account.role.is_cluster_scoped() {
            ("cluster", summary.cluster_id)
        } else {
            ("organisation", organisation.id)
        };
        assert_eq!(
            people::grants(&mut conn, person.id).await.unwrap(),
            vec![GrantRow {
                role: account.role.as_str().to_owned(),
                scope_kind: scope_kind.to_owned(),
                scope_id
            }],
            "{}",
            account.email
        );
        assert_eq!(
            people::password_hash(&mut conn, person.id)
                .await
                .unwrap()
                .as_deref(),
            Some(HASH)
        );
    }
    let sme = organisations::list_members(&mut conn, summary.cluster_id, "Usinage Titane Occitanie", 0, 10)
        .await
        .unwrap();
    assert_eq!(sme.total, 1);
    assert_eq!(
        (sme.items[0].naf_code.as_str(), sme.items[0].commune_code.as_str()),
        ("25.62B", "31555")
    );
    drop(conn);

    // Everyone else was invited and has not chosen a password yet.
    let mut with_password = 0;
    for organisation in members(&db.store, summary.cluster_id).await {
        for person in people_of(&db.store, organisation.id).await {
            let mut conn = db.store.conn().await.unwrap();
            if people::password_hash(&mut conn, person.id)
                .await
                .unwrap()
                .is_some()
            {
                with_password += 1;
                assert!(
                    DEMO_ACCOUNTS.iter().any(|a| a.email == person.email),
                    "{}",
                    person.email
                );
            }
        }
    }
    assert_eq!(with_password, DEMO_ACCOUNTS.len());
}

async fn loading_twice_changes_nothing(backend: Backend) {
    let Some(db) = database(backend).await else { return };
    let first = demo::load(&db.store, HASH).await.unwrap();
    let second = demo::load(&db.store, "another hash").await.unwrap();
    assert_eq!(
        second,
        DemoSummary {
            created: false,
            ..first.clone()
        }
    );
    let mut conn = db.store.conn().await.unwrap();
    assert_eq!(
        organisations::count(&mut conn).await.unwrap(),
        first.organisations
    );
    assert_eq!(people::count(&mut conn).await.unwrap(), first.people);
    let cluster = store::clusters::by_slug(&mut conn, DEMO_CLUSTER_SLUG)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(cluster.id, first.cluster_id);
    let account = people::by_email(&mut conn, DEMO_ACCOUNTS[0].email)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(
        people::password_hash(&mut conn, account.id)
            .await
            .unwrap()
            .as_deref(),
        Some(HASH)
    );
}

/// Everything but row ids and timestamps, with role scopes named by SIRET so ids do not matter.
async fn snapshot(store: &Store) -> Vec<String> {
    let mut conn = store.conn().await.unwrap();
    let cluster = store::clusters::by_slug(&mut conn, DEMO_CLUSTER_SLUG)
        .await
        .unwrap()
        .unwrap();
    drop(conn);
    let members = members(store, cluster.id).await;
    let siret_of = |id: i64| members.iter().find(|o| o.id == id).map(|o| o.siret.clone());
    let mut lines = Vec::new();
    for o in &members {
        lines.push(format!(
            "{} | {} | {} | {} | {} | {} {} {} {} | {} {:?} {:?} {:?} | {:?}",
            o.legal_name,
            o.kind,
            o.siret,
            o.naf_code,
            o.address_line,
            o.postcode,
            o.commune_code,
            o.department_code,
            o.region_code,
            o.headcount,
            o.turnover_eur,
            o.balance_sheet_eur,
            o.size,
            o.website
        ));
        for p in people_of(store, o.id).await {
            let grants: Vec<String> = grants_of(store, p.id)
                .await
                .into_iter()
                .map(|g| match g.scope_kind.as_str() {
                    "cluster" => format!("{}@cluster", g.role),
                    _ => format!("{}@{}", g.role, siret_of(g.scope_id).unwrap_or_default()),
                })
                .collect();
            lines.push(format!(
                "  {} {} <{}> {:?} {} {grants:?}",
                p.first_name, p.last_name, p.email, p.job_title, p.locale
            ));
        }
    }
    let mut conn = store.conn().await.unwrap();
    for event in meetings::events_of_cluster(&mut conn, cluster.id).await.unwrap() {
        lines.push(format!("{:?}", event.fields));
        let participants = meetings::participants(&mut conn, event.id).await.unwrap();
        let email = |id: i64| participants.iter().find(|p| p.id == id).map(|p| p.email.clone());
        for p in &participants {
            lines.push(format!("  {:?}", p.fields));
        }
        for r in meetings::requests_of_event(&mut conn, event.id).await.unwrap() {
            lines.push(format!(
                "  {:?} -> {:?} {} {:?} {} {}",
                email(r.from_participant),
                email(r.to_participant),
                r.status,
                r.message,
                r.must_meet,
                r.met_before
            ));
        }
    }
    lines
}

/// The demo's matchmaking event: open, 16 slots, ~40 participants with the buyer and the SME
/// accounts among them (not the lab's, so a demo can register it), ~80 requests, two awaiting the
/// demo SME's answer.
async fn the_demo_event_is_open_with_requests_to_answer(backend: Backend) {
    let Some(db) = database(backend).await else { return };
    let summary = demo::load(&db.store, HASH).await.unwrap();
    let mut conn = db.store.conn().await.unwrap();
    let events = meetings::events_of_cluster(&mut conn, summary.cluster_id)
        .await
        .unwrap();
    assert_eq!(events.len(), 1);
    let event = &events[0];
    assert_eq!(event.title, demo::DEMO_EVENT_TITLE);
    assert!(event.is_open() && !event.is_published());
    assert_eq!(meetings::slots(&mut conn, event.id).await.unwrap().len(), 16);
    assert_eq!(event.tables_count, 30);
    let participants = meetings::participants(&mut conn, event.id).await.unwrap();
    assert!((35..=45).contains(&participants.len()), "{}", participants.len());
    let find = |email: &str| participants.iter().find(|p| p.email == email);
    let buyer = find("acheteuse@grandcompte-demo.fr").expect("the buyer takes part");
    let sme = find("dirigeant@pme-demo.fr").expect("the SME takes part");
    assert!(find("membre@pme-demo.fr").is_some());
    assert!(find("labo@labo-demo.fr").is_none(), "the lab is left to register");
    assert_eq!((buyer.kind.as_str(), sme.kind.as_str()), ("large", "sme"));
    let requests = meetings::requests_of_event(&mut conn, event.id).await.unwrap();
    assert!((70..=90).contains(&requests.len()), "{}", requests.len());
    let accepted = requests.iter().filter(|r| r.status == "accepted").count();
    assert!(accepted >= 30, "{accepted} accepted");
    let pending_to_sme = requests
        .iter()
        .filter(|r| r.to_participant == sme.id && r.status == "pending")
        .count();
    assert!(pending_to_sme >= 2);
    assert!(
        meetings::request_between(&mut conn, event.id, sme.id, buyer.id)
            .await
            .unwrap()
            .is_none()
    );
    // Loading again adds no second event.
    drop(conn);
    demo::load(&db.store, HASH).await.unwrap();
    let mut conn = db.store.conn().await.unwrap();
    assert_eq!(
        meetings::events_of_cluster(&mut conn, summary.cluster_id)
            .await
            .unwrap()
            .len(),
        1
    );
}

async fn two_fresh_databases_get_identical_data(backend: Backend) {
    let (Some(a), Some(b)) = (database(backend).await, database(backend).await) else {
        return;
    };
    demo::load(&a.store, HASH).await.unwrap();
    demo::load(&b.store, HASH).await.unwrap();
    let (a, b) = (snapshot(&a.store).await, snapshot(&b.store).await);
    assert!(a.len() > 800, "{} lines", a.len());
    assert_eq!(a, b);
}
