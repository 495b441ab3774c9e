//! The SME directory as buyers and visitors meet it through the use-cases: relevance in French
//! (accents and typos forgiven) and in English, facet counts that agree with the store, members-only
//! fields kept from visitors, freshness after a save or a membership change, and an index on disk
//! that catches up, or rebuilds, after a restart. Every story runs on SQLite and on PostgreSQL.

use std::collections::{BTreeMap, HashMap};
use std::future::Future;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use app::directory::DirectoryQuery;
use app::directory::index::today;
use app::{Actor, App, AppConfig};
use domain::naf::NafCode;
use domain::person::Role;
use domain::profile::{Credential, Offer, Profile, ProfileInput, Reference, Visibility, Visible};
use domain::siret::{Siret, luhn_complete};
use search::{Facet, SearchResults};
use store::records::{NewPerson, OrganisationFields};
use store::testing::TestDatabase;
use store::{Backend, Store, clusters, organisations, people};

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
    titanium_aerospace_machining_finds_the_specialist_first_whatever_the_spelling,
    an_english_query_finds_the_profile_written_in_english,
    facet_counts_equal_what_the_store_holds,
    expired_and_members_only_certifications_stay_out_of_the_facet,
    a_credential_lapsing_overnight_logs_its_organisation_for_reindexing,
    members_only_fields_never_reach_a_visitor_and_members_see_them,
    a_saved_profile_and_a_membership_change_show_up_within_seconds,
    a_change_committed_after_a_later_one_is_not_skipped,
    an_index_on_disk_catches_up_after_a_restart_and_rebuilds_when_it_must,
    the_demo_sme_comes_first_in_the_demo_directory_and_a_second_load_adds_nothing,
);

async fn database(backend: Backend) -> Option<TestDatabase> {
    let db = TestDatabase::of(backend).await;
    if db.is_none() {
        eprintln!("skipped: no {} test database configured", backend.as_str());
    }
    db
}

// ---------------------------------------------------------------------------------------------
// The corpus: a dozen organisations of two clusters, most with a profile.

const TITANE: &str = "Usinage Titane Occitanie SAS";
const MECA: &str = "Mécanique Précision Garonne SARL";
const COMPOSITES: &str = "Aéro Composites Tarbais SAS";
const ENGLISH: &str = "Precision Machining Bordeaux SAS";
const ELEC: &str = "Électronique Embarquée Toulouse SAS";
const SOFT: &str = "Logiciels Critiques Lyon SAS";
const FORGE: &str = "Forges de l'Adour SA";
const LARGE: &str = "Groupe Aéronautique Démo SA";
const CHAUDRO: &str = "Chaudronnerie Provence SARL";
const LAB: &str = "Laboratoire Matériaux Test";
const SURFACE: &str = "Traitements de Surface du Lot SAS";
const SENSORS: &str = "Capteurs Alpes SAS";
const ASSOCIATION: &str = "Pôle Aéro Test";

/// Who an organisation is: kind, NAF code, commune (code, postcode, department, region), headcount,
/// turnover, size, and the clusters it belongs to (0 the aerospace cluster, 1 the digital one).
struct Spec {
    name: &'static str,
    kind: &'static str,
    naf: &'static str,
    place: (&'static str, &'static str, &'static str, &'static str),
    headcount: i64,
    turnover_eur: Option<i64>,
    size: Option<&'static str>,
    clusters: &'static [usize],
}

const TOULOUSE: (&str, &str, &str, &str) = ("31555", "31000", "31", "76");
const TARBES: (&str, &str, &str, &str) = ("65440", "65000", "65", "76");
const CAHORS: (&str, &str, &str, &str) = ("46042", "46000", "46", "76");
const BORDEAUX: (&str, &str, &str, &str) = ("33063", "33000", "33", "75");
const PAU: (&str, &str, &str, &str) = ("64445", "64000", "64", "75");
const LYON: (&str, &str, &str, &str) = ("69123", "69001", "69", "84");
const GRENOBLE: (&str, &str, &str, &str) = ("38185", "38000", "38", "84");
const MARSEILLE: (&str, &str, &str, &str) = ("13055", "13001", "13", "93");
const PARIS: (&str, &str, &str, &str) = ("75108", "75008", "75", "11");

#[rustfmt::skip]
const CORPUS: [Spec; 13] = [
    Spec { name: ASSOCIATION, kind: "association", naf: "94.99Z", place: TOULOUSE, headcount: 12, turnover_eur: None, size: None, clusters: &[0] },
    Spec { name: TITANE, kind: "company", naf: "25.62B", place: TOULOUSE, headcount: 38, turnover_eur: Some(5_200_000), size: Some("sme"), clusters: &[0] },
    Spec { name: MECA, kind: "company", naf: "25.62B", place: TOULOUSE, headcount: 12, turnover_eur: Some(1_400_000), size: Some("sme"), clusters: &[0] },
    Spec { name: COMPOSITES, kind: "company", naf: "22.29A", place: TARBES, headcount: 60, turnover_eur: Some(8_000_000), size: Some("sme"), clusters: &[0] },
    Spec { name: ENGLISH, kind: "company", naf: "25.62B", place: BORDEAUX, headcount: 25, turnover_eur: Some(3_100_000), size: Some("sme"), clusters: &[0] },
    Spec { name: ELEC, kind: "company", naf: "26.12Z", place: TOULOUSE, headcount: 80, turnover_eur: Some(11_000_000), size: Some("sme"), clusters: &[0, 1] },
    Spec { name: SOFT, kind: "company", naf: "62.01Z", place: LYON, headcount: 150, turnover_eur: Some(14_000_000), size: Some("sme"), clusters: &[1] },
    Spec { name: FORGE, kind: "company", naf: "25.50A", place: PAU, headcount: 320, turnover_eur: Some(64_000_000), size: Some("mid_cap"), clusters: &[0] },
    Spec { name: LARGE, kind: "company", naf: "30.30Z", place: PARIS, headcount: 18_000, turnover_eur: Some(9_000_000_000), size: Some("large"), clusters: &[0] },
    Spec { name: CHAUDRO, kind: "company", naf: "25.11Z", place: MARSEILLE, headcount: 9, turnover_eur: Some(900_000), size: Some("sme"), clusters: &[1] },
    Spec { name: LAB, kind: "research_lab", naf: "72.19Z", place: TOULOUSE, headcount: 120, turnover_eur: None, size: None, clusters: &[0] },
    Spec { name: SURFACE, kind: "company", naf: "25.61Z", place: CAHORS, headcount: 45, turnover_eur: Some(4_000_000), size: Some("sme"), clusters: &[0] },
    Spec { name: SENSORS, kind: "company", naf: "26.51B", place: GRENOBLE, headcount: 30, turnover_eur: Some(3_500_000), size: Some("sme"), clusters: &[1] },
];

fn text(presentation: &str) -> ProfileInput {
    ProfileInput {
        presentation: Visible::public(presentation.into()),
        languages: Visible::public(vec!["fr".into()]),
        ..ProfileInput::default()
    }
}

fn offer(title: &str, description: &str, visibility: Visibility) -> Offer {
    Offer {
        title: title.into(),
        description: description.into(),
        visibility,
    }
}

fn credentials(list: &[(&str, &str)]) -> Vec<Credential> {
    list.iter()
        .map(|(name, expires_on)| Credential {
            name: (*name).into(),
            expires_on: Some((*expires_on).into()),
        })
        .collect()
}

/// The profile each organisation fills in; `None` for those that never did.
/// Words used once in the whole corpus mark members-only fields: "cryogénique" (a members-only
/// capabilities text), "AOG" (a members-only offer), "anodisation" (a members-only presentation).
fn profile_of(name: &str) -> Option<ProfileInput> {
    let p = match name {
        TITANE => {
            let mut p = text(
                "Usinage Titane Occitanie est spécialisée dans l'usinage 5 axes de pièces en titane et en Inconel \
                 pour l'aéronautique : ferrures, pièces de structure et carters d'hélicoptères. Nous tenons \
                 ±0,01 mm sur des pièces jusqu'à 1,2 m, contrôlées sur machine tridimensionnelle.",
            );
            p.offers = vec![
                offer(
                    "Usinage 5 axes de pièces aéronautiques en titane",
                    "Ferrures et pièces de structure en Ti-6Al-4V, du prototype à la série.",
                    Visibility::Public,
                ),
                offer(
                    "Dépannage AOG sous 72 heures",
                    "Une cellule dédiée aux urgences des compagnies.",
                    Visibility::Members,
                ),
            ];
            p.capability_terms = Visible::public(vec!["machining-5-axis".into(), "aerostructures".into()]);
            p.capabilities_text =
                Visible::members("Procédé d'usinage cryogénique breveté pour le titane.".into());
            p.certifications = Visible::public(credentials(&[
                ("EN 9100", "2099-12-31"),
                ("ISO 14001", "2020-01-31"),
            ]));
            p.labels = Visible::public(credentials(&[("French Fab", "2099-12-31")]));
            p.references = vec![Reference {
                client: "Airbus Helicopters".into(),
                project: "Ferrures de boîte de transmission".into(),
                year: Some(2024),
                visibility: Visibility::Members,
            }];
            p
        }
        MECA => text(
            "Mécanique Précision Garonne : atelier d'usinage conventionnel et à commande numérique, tournage et \
             fraisage de pièces en aluminium et en inox pour le médical, quelques pièces en titane pour les implants.",
        ),
        COMPOSITES => text(
            "Aéro Composites Tarbais drape et cuit en autoclave des pièces composites pour l'aéronautique ; \
             usinage et détourage des pièces, pose d'inserts en titane.",
        ),
        ENGLISH => {
            let mut p = text(
                "Precision Machining Bordeaux specialises in titanium machining for aerospace and defence customers. \
                 Our five-axis machining centres hold tolerances of ±5 µm on titanium and Inconel parts.",
            );
            p.languages = Visible::public(vec!["en".into(), "fr".into()]);
            p.certifications = Visible::public(credentials(&[("AS9100", "2099-06-30")]));
            p
        }
        ELEC => {
            let mut p = text(
                "Électronique Embarquée Toulouse conçoit et fabrique des cartes électroniques et des calculateurs \
                 pour l'aéronautique et le spatial.",
            );
            p.certifications = Visible::public(credentials(&[
                ("ISO 9001", "2021-06-30"),
                ("IPC-A-610", "2099-01-31"),
            ]));
            p
        }
        SOFT => {
            let mut p = text(
                "Logiciels Critiques Lyon développe des logiciels embarqués critiques selon la DO-178C pour \
                 l'aéronautique et le ferroviaire.",
            );
            p.certifications = Visible::public(credentials(&[
                ("ISO/IEC 27001", "2099-03-31"),
                ("ISO 9001", "2099-03-31"),
            ]));
            p.labels = Visible::public(vec![Credential {
                name: "French Tech".into(),
                expires_on: None,
            }]);
            p
        }
        FORGE => {
            let mut p = text(
                "Forges de l'Adour estampe des pièces en titane et en acier pour les trains d'atterrissage de \
                 l'aéronautique ; usinage d'ébauche intégré.",
            );
            p.certifications = Visible::public(credentials(&[
                ("EN 9100", "2099-12-31"),
                ("ISO 9001", "2099-12-31"),
            ]));
            p
        }
        CHAUDRO => {
            let mut p = text(
                "Chaudronnerie Provence fabrique des cuves et des tuyauteries en inox pour l'agroalimentaire.",
            );
            p.certifications = Visible::members(credentials(&[
                ("ISO 3834-2", "2099-12-31"),
                ("ISO 9001", "2099-12-31"),
            ]));
            p
        }
        LAB => text("Laboratoire de caractérisation des matériaux : essais de fatigue et tomographie."),
        SURFACE => {
            let mut p =
                text("Traitements de Surface du Lot : anodisation des pièces aéronautiques en aluminium.");
            p.presentation.visibility = Visibility::Members;
            p.offers = vec![offer(
                "Passivation des inox et des titanes",
                "Lignes automatiques pour pièces jusqu'à 3 m.",
                Visibility::Public,
            )];
            p.certifications = Visible::public(credentials(&[
                ("Nadcap", "2099-12-31"),
                ("EN 9100", "2020-05-01"),
                ("ISO 9001", "2099-12-31"),
            ]));
            p
        }
        _ => return None,
    };
    Some(p)
}

/// A valid SIRET (Luhn-checked SIREN and SIRET) for the n-th organisation.
fn siret(n: usize) -> (String, String) {
    let prefix = format!("{:08}", 52_000_000 + n);
    let siren = format!("{prefix}{}", luhn_complete(&prefix));
    let head = format!("{siren}0001");
    let siret = format!("{head}{}", luhn_complete(&head));
    Siret::parse(&siret).expect("a valid test SIRET");
    (siren, siret)
}

fn fields_of(n: usize, spec: &Spec) -> OrganisationFields {
    let (siren, siret) = siret(n);
    let (commune, postcode, department, region) = spec.place;
    OrganisationFields {
        legal_name: spec.name.into(),
        kind: spec.kind.into(),
        siren,
        siret,
        naf_code: spec.naf.into(),
        address_line: format!("{} rue de l'Industrie", n + 1),
        postcode: postcode.into(),
        commune_code: commune.into(),
        department_code: department.into(),
        region_code: region.into(),
        headcount: spec.headcount,
        turnover_eur: spec.turnover_eur,
        balance_sheet_eur: None,
        size: spec.size.map(str::to_owned),
        website: None,
    }
}

/// The corpus once written: organisation ids by name, the two clusters and three signed-in people.
struct Corpus {
    ids: HashMap<&'static str, i64>,
    aero: i64,
    digital: i64,
    /// Cluster admin of both clusters: edits every profile.
    staff: Actor,
    /// A plain member of MECA.
    member: Actor,
}

impl Corpus {
    fn id(&self, name: &str) -> i64 {
        self.ids[name]
    }

    fn name(&self, id: i64) -> &'static str {
        self.ids
            .iter()
            .find_map(|(name, i)| (*i == id).then_some(*name))
            .unwrap_or("?")
    }
}

async fn person(
    store: &Store,
    organisation_id: i64,
    email: &str,
    role: Role,
    scopes: &[(&str, i64)],
) -> Actor {
    let mut conn = store.conn().await.unwrap();
    let id = people::insert(
        &mut conn,
        &NewPerson {
            organisation_id,
            email: email.into(),
            first_name: "Camille".into(),
            last_name: "Martin".into(),
            job_title: None,
            locale: "fr".into(),
            password_hash: None,
        },
    )
    .await
    .unwrap();
    for (kind, scope) in scopes {
        people::grant(&mut conn, id, role.as_str(), kind, *scope)
            .await
            .unwrap();
    }
    let principal = app::actor::load_principal(&mut conn, id).await.unwrap().unwrap();
    Actor::Person(principal)
}

/// Writes the corpus: registry rows and memberships in one transaction, then each profile through
/// the editor's use-case, as the cluster's staff would fill them in.
async fn corpus(store: &Store) -> Corpus {
    let mut tx = store.begin().await.unwrap();
    let aero = clusters::insert(&mut tx, "Pôle Aéro Test", "pole-aero")
        .await
        .unwrap();
    let digital = clusters::insert(&mut tx, "Pôle Numérique Test", "pole-numerique")
        .await
        .unwrap();
    let mut ids = HashMap::new();
    for (n, spec) in CORPUS.iter().enumerate() {
        let id = organisations::insert(&mut tx, &fields_of(n, spec)).await.unwrap();
        for c in spec.clusters {
            clusters::add_member(&mut tx, [aero, digital][*c], id)
                .await
                .unwrap();
        }
        ids.insert(spec.name, id);
    }
    tx.commit().await.unwrap();
    let staff = person(
        store,
        ids[ASSOCIATION],
        "animation@pole-aero.fr",
        Role::ClusterAdmin,
        &[("cluster", aero), ("cluster", digital)],
    )
    .await;
    let member = person(
        store,
        ids[MECA],
        "membre@meca.fr",
        Role::Member,
        &[("organisation", ids[MECA])],
    )
    .await;
    let editor = App::new(store.clone(), AppConfig::default()).unwrap();
    for spec in &CORPUS {
        if let Some(input) = profile_of(spec.name) {
            editor.save_profile(&staff, ids[spec.name], &input).await.unwrap();
        }
    }
    Corpus {
        ids,
        aero,
        digital,
        staff,
        member,
    }
}

/// An app over `store` with its directory open in memory.
async fn searching(store: &Store) -> App {
    let app = App::new(store.clone(), AppConfig::default()).unwrap();
    app.open_directory().await.unwrap();
    app
}

async fn search(app: &App, actor: &Actor, text: &str) -> SearchResults {
    app.search_directory(actor, &DirectoryQuery::text(text))
        .await
        .unwrap()
}

fn names(results: &SearchResults) -> Vec<&str> {
    results.hits.iter().map(|h| h.name.as_str()).collect()
}

/// Searches until `done` holds, for five seconds at most: the index follows the store on its own.
async fn eventually(
    app: &App,
    actor: &Actor,
    query: &DirectoryQuery,
    done: impl Fn(&SearchResults) -> bool,
) -> SearchResults {
    let deadline = Instant::now() + Duration::from_secs(5);
    loop {
        let results = app.search_directory(actor, query).await.unwrap();
        if done(&results) || Instant::now() > deadline {
            return results;
        }
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
}

fn counts(results: &SearchResults, facet: Facet) -> BTreeMap<String, u64> {
    results
        .facets
        .iter()
        .find(|f| f.facet == facet)
        .unwrap_or_else(|| panic!("no {facet:?} facet"))
        .values
        .iter()
        .map(|v| (v.value.clone(), v.count))
        .collect()
}

// ---------------------------------------------------------------------------------------------
// Relevance.

async fn titanium_aerospace_machining_finds_the_specialist_first_whatever_the_spelling(backend: Backend) {
    let Some(db) = database(backend).await else { return };
    let corpus = corpus(&db.store).await;
    let app = searching(&db.store).await;
    for actor in [Actor::Visitor, corpus.member.clone()] {
        for query in [
            "usinage titane aéronautique",
            "usinage titane aeronautique",
            "USINAGE TITANE AÉRONAUTIQUE",
            "usinage titnae aéronautique",
        ] {
            let results = search(&app, &actor, query).await;
            assert_eq!(
                names(&results).first(),
                Some(&TITANE),
                "{query}: {:?}",
                names(&results)
            );
            assert!(!results.relaxed, "{query}: every word should match");
        }
        // A typo in a word's ending still finds it first. Typos are forgiven on stems, and the
        // stem of "aeronautiqe" is two edits from "aeronaut": the words that do match carry it.
        let results = search(&app, &actor, "usinage titane aeronautiqe").await;
        assert_eq!(names(&results).first(), Some(&TITANE), "{:?}", names(&results));
    }
    // The others that speak of all three come after it, and the snippet shows why it matched.
    let results = search(&app, &Actor::Visitor, "usinage titane aéronautique").await;
    let found = names(&results);
    for other in [COMPOSITES, FORGE] {
        assert!(found.contains(&other), "{other} missing from {found:?}");
    }
    assert!(!found.contains(&SOFT), "{found:?}");
    assert!(
        results.hits[0].snippet_html.contains("<mark>"),
        "{}",
        results.hits[0].snippet_html
    );
}

async fn an_english_query_finds_the_profile_written_in_english(backend: Backend) {
    let Some(db) = database(backend).await else { return };
    let corpus = corpus(&db.store).await;
    let app = searching(&db.store).await;
    for actor in [Actor::Visitor, corpus.staff.clone()] {
        let results = search(&app, &actor, "titanium machining").await;
        assert_eq!(names(&results).first(), Some(&ENGLISH), "{:?}", names(&results));
        let results = search(&app, &actor, "aerospace").await;
        assert_eq!(names(&results), [ENGLISH]);
    }
}

// ---------------------------------------------------------------------------------------------
// Facets.

/// Facet counts as the store's own rows give them, computed here without the index's code.
struct Expected {
    region: BTreeMap<String, u64>,
    size: BTreeMap<String, u64>,
    naf_section: BTreeMap<String, u64>,
    cluster: BTreeMap<String, u64>,
    certification: BTreeMap<String, u64>,
}

async fn expected_from_store(store: &Store) -> (u64, Expected) {
    let mut conn = store.conn().await.unwrap();
    let rows = store::directory::rows_after(&mut conn, 0, 10_000).await.unwrap();
    let today = today();
    let mut expected = Expected {
        region: BTreeMap::new(),
        size: BTreeMap::new(),
        naf_section: BTreeMap::new(),
        cluster: BTreeMap::new(),
        certification: BTreeMap::new(),
    };
    for row in &rows {
        let org = &row.organisation;
        *expected.region.entry(org.region_code.clone()).or_default() += 1;
        // Labs and associations have no size category, and no size facet value.
        if let Some(size) = &org.size {
            *expected.size.entry(size.clone()).or_default() += 1;
        }
        let section = NafCode::parse(&org.naf_code).unwrap().section().to_string();
        *expected.naf_section.entry(section).or_default() += 1;
        for cluster in &row.clusters {
            *expected.cluster.entry(cluster.to_string()).or_default() += 1;
        }
        let profile: Option<Profile> = row
            .profile_json
            .as_deref()
            .map(|j| serde_json::from_str(j).unwrap());
        if let Some(profile) = profile.filter(|p| p.certifications.is_public()) {
            let mut names: Vec<&str> = profile
                .certifications
                .value
                .iter()
                .filter(|c| c.expires_on.as_deref().is_none_or(|d| d >= today.as_str()))
                .map(|c| c.name.as_str())
                .collect();
            names.sort_unstable();
            names.dedup();
            for name in names {
                *expected.certification.entry(name.to_owned()).or_default() += 1;
            }
        }
    }
    (rows.len() as u64, expected)
}

async fn facet_counts_equal_what_the_store_holds(backend: Backend) {
    let Some(db) = database(backend).await else { return };
    let corpus = corpus(&db.store).await;
    let app = searching(&db.store).await;
    let (total, expected) = expected_from_store(&db.store).await;
    for actor in [Actor::Visitor, corpus.member.clone()] {
        let everything = search(&app, &actor, "").await;
        assert_eq!(
            everything.total, total,
            "every organisation of the registry is listed"
        );
        assert_eq!(counts(&everything, Facet::Region), expected.region);
        assert_eq!(counts(&everything, Facet::Size), expected.size);
        assert_eq!(counts(&everything, Facet::NafSection), expected.naf_section);
        assert_eq!(counts(&everything, Facet::Cluster), expected.cluster);
        assert_eq!(counts(&everything, Facet::Certification), expected.certification);
    }
    // Spot checks against the corpus as written, so that the store-side count cannot drift with the index.
    let mut conn = db.store.conn().await.unwrap();
    let everything = search(&app, &Actor::Visitor, "").await;
    let clusters = counts(&everything, Facet::Cluster);
    for cluster in [corpus.aero, corpus.digital] {
        let members = clusters::count_members(&mut conn, cluster).await.unwrap() as u64;
        assert_eq!(clusters[&cluster.to_string()], members);
    }
    assert_eq!(counts(&everything, Facet::Region)["76"], 7);
    assert_eq!(counts(&everything, Facet::Size)["mid_cap"], 1);
    assert_eq!(
        counts(&everything, Facet::Size)["sme"],
        9,
        "the lab and the association are not SMEs"
    );
    assert_eq!(counts(&everything, Facet::NafSection)["C"], 10);

    // A filter narrows the facets to its match set: counts within the digital cluster.
    let query = DirectoryQuery::from_pairs([("f", format!("cluster:{}", corpus.digital).as_str())]).unwrap();
    let digital = app.search_directory(&Actor::Visitor, &query).await.unwrap();
    let mut found = names(&digital);
    found.sort_unstable();
    let mut members = vec![CHAUDRO, SOFT, SENSORS, ELEC];
    members.sort_unstable();
    assert_eq!(found, members);
    assert_eq!(
        counts(&digital, Facet::Region),
        BTreeMap::from([("76".into(), 1), ("84".into(), 2), ("93".into(), 1)])
    );
}

async fn expired_and_members_only_certifications_stay_out_of_the_facet(backend: Backend) {
    let Some(db) = database(backend).await else { return };
    let corpus = corpus(&db.store).await;
    let app = searching(&db.store).await;
    for actor in [Actor::Visitor, corpus.member.clone(), corpus.staff.clone()] {
        let certifications = counts(&search(&app, &actor, "").await, Facet::Certification);
        // EN 9100: the titanium SME and the forge; the surface treater's has lapsed.
        assert_eq!(certifications.get("EN 9100"), Some(&2), "{certifications:?}");
        // ISO 9001: the software house, the forge and the surface treater; the electronics firm's
        // has lapsed and the boilermaker shows its certifications to members only.
        assert_eq!(certifications.get("ISO 9001"), Some(&3), "{certifications:?}");
        assert_eq!(certifications.get("ISO 14001"), None, "expired");
        assert_eq!(certifications.get("ISO 3834-2"), None, "members only");
        assert_eq!(certifications.get("Nadcap"), Some(&1));
    }
    // Filtering on a lapsed certification finds nobody holding it.
    let query = DirectoryQuery::from_pairs([("f", "certification:ISO 14001")]).unwrap();
    assert_eq!(
        app.search_directory(&Actor::Visitor, &query).await.unwrap().total,
        0
    );
    let query = DirectoryQuery::from_pairs([("f", "certification:EN 9100")]).unwrap();
    let holders = app.search_directory(&Actor::Visitor, &query).await.unwrap();
    let mut found = names(&holders);
    found.sort_unstable();
    assert_eq!(found, [FORGE, TITANE]);
}

async fn a_credential_lapsing_overnight_logs_its_organisation_for_reindexing(backend: Backend) {
    let Some(db) = database(backend).await else { return };
    corpus(&db.store).await;
    let app = searching(&db.store).await;
    let directory = app.directory().unwrap();
    let mut conn = db.store.conn().await.unwrap();
    let before = store::directory::last_change(&mut conn).await.unwrap();
    drop(conn);
    // Only the software house has a credential ending in March 2099 (valid through the 31st).
    let touched = directory
        .touch_expired(&db.store, Some("2099-03-31"), "2099-04-01")
        .await
        .unwrap();
    assert_eq!(touched, 1);
    let mut conn = db.store.conn().await.unwrap();
    let logged = store::directory::changes_after(&mut conn, before, 10)
        .await
        .unwrap();
    assert_eq!(logged.len(), 1);
    let organisation = organisations::get(&mut conn, logged[0].organisation_id.unwrap())
        .await
        .unwrap()
        .unwrap();
    assert_eq!(organisation.legal_name, SOFT);
    // The day before, nothing of it has lapsed yet; days long past are not the follower's news.
    drop(conn);
    assert_eq!(
        directory
            .touch_expired(&db.store, Some("2099-03-30"), "2099-03-31")
            .await
            .unwrap(),
        0
    );
}

// ---------------------------------------------------------------------------------------------
// Visibility.

async fn members_only_fields_never_reach_a_visitor_and_members_see_them(backend: Backend) {
    let Some(db) = database(backend).await else { return };
    let corpus = corpus(&db.store).await;
    let app = searching(&db.store).await;
    // Words that only members-only fields hold: a visitor finds nobody by them.
    for word in ["cryogénique", "AOG", "anodisation"] {
        let visitor = search(&app, &Actor::Visitor, word).await;
        assert_eq!(visitor.total, 0, "{word}: {:?}", names(&visitor));
        for member in [&corpus.member, &corpus.staff] {
            let seen = search(&app, member, word).await;
            let expected = if word == "anodisation" { SURFACE } else { TITANE };
            assert_eq!(names(&seen), [expected], "{word}");
            assert!(
                seen.hits[0].snippet_html.to_lowercase().contains("<mark>"),
                "{}",
                seen.hits[0].snippet_html
            );
        }
    }
    // Nor do those words reach a visitor's snippets when the profile matches on public words.
    for query in ["titane", "usinage titane aéronautique", "ferrures", "passivation"] {
        for hit in search(&app, &Actor::Visitor, query).await.hits {
            let snippet = hit.snippet_html.to_lowercase();
            for secret in ["cryog", "aog", "dépannage", "anodisation", "urgences"] {
                assert!(
                    !snippet.contains(secret),
                    "{query}: {} shows '{secret}': {snippet}",
                    hit.name
                );
            }
        }
    }
    // The surface treater's presentation is for members: a visitor sees only its public offer.
    let visitor = search(&app, &Actor::Visitor, "passivation").await;
    assert_eq!(names(&visitor), [SURFACE]);
    assert!(
        !visitor.hits[0].snippet_html.contains("Lot :"),
        "{}",
        visitor.hits[0].snippet_html
    );
    let member = search(&app, &corpus.member, "anodisation aéronautiques").await;
    assert!(
        member.hits[0].snippet_html.contains("anodisation"),
        "{}",
        member.hits[0].snippet_html
    );
    // The editor's page agrees: members-only fields are emptied for visitors.
    let page = app
        .profile_page(&Actor::Visitor, corpus.id(TITANE))
        .await
        .unwrap();
    assert!(page.profile.capabilities_text.value.is_empty());
    assert!(page.profile.references.is_empty());
    assert_eq!(page.profile.offers.len(), 1);
    let page = app.profile_page(&corpus.member, corpus.id(TITANE)).await.unwrap();
    assert!(page.profile.capabilities_text.value.contains("cryogénique"));
    assert_eq!(page.profile.references[0].client, "Airbus Helicopters");
}

// ---------------------------------------------------------------------------------------------
// Freshness.

async fn a_saved_profile_and_a_membership_change_show_up_within_seconds(backend: Backend) {
    let Some(db) = database(backend).await else { return };
    let corpus = corpus(&db.store).await;
    let app = searching(&db.store).await;
    assert_eq!(search(&app, &Actor::Visitor, "hyperspectral").await.total, 0);

    // The editor saves; the follower is woken and the new words are searchable within seconds.
    let mut input = profile_of(SOFT).unwrap();
    input
        .presentation
        .value
        .push_str(" Nouveau : traitement d'images hyperspectral embarqué.");
    app.save_profile(&corpus.staff, corpus.id(SOFT), &input)
        .await
        .unwrap();
    let query = DirectoryQuery::text("hyperspectral");
    let found = eventually(&app, &Actor::Visitor, &query, |r| r.total > 0).await;
    assert_eq!(names(&found), [SOFT]);

    // A save that removes a certification takes it out of the facet too.
    let mut input = profile_of(FORGE).unwrap();
    input.certifications.value.retain(|c| c.name != "EN 9100");
    app.save_profile(&corpus.staff, corpus.id(FORGE), &input)
        .await
        .unwrap();
    let everything = DirectoryQuery::text("");
    let after = eventually(&app, &Actor::Visitor, &everything, |r| {
        counts(r, Facet::Certification).get("EN 9100") == Some(&1)
    })
    .await;
    assert_eq!(counts(&after, Facet::Certification).get("EN 9100"), Some(&1));

    // Leaving a cluster is written straight to the store, as the membership use-case does: the
    // follower's poll picks it up without being woken.
    let before = counts(&search(&app, &Actor::Visitor, "").await, Facet::Cluster);
    let digital = corpus.digital.to_string();
    let mut tx = db.store.begin().await.unwrap();
    assert!(
        clusters::remove_member(&mut tx, corpus.digital, corpus.id(ELEC))
            .await
            .unwrap()
    );
    tx.commit().await.unwrap();
    let after = eventually(&app, &Actor::Visitor, &everything, |r| {
        counts(r, Facet::Cluster).get(&digital) != before.get(&digital)
    })
    .await;
    let clusters = counts(&after, Facet::Cluster);
    assert_eq!(clusters[&digital], before[&digital] - 1);
    assert_eq!(
        clusters[&corpus.aero.to_string()],
        before[&corpus.aero.to_string()],
        "still in the other"
    );
    let query = DirectoryQuery::from_pairs([("f", format!("cluster:{digital}").as_str())]).unwrap();
    let members = app.search_directory(&Actor::Visitor, &query).await.unwrap();
    assert!(!names(&members).contains(&ELEC), "{:?}", names(&members));
    assert_eq!(corpus.name(corpus.id(ELEC)), ELEC);
}

/// Two writers: the first to log its change commits last. The follower must not move past the
/// first change while it is still invisible (on PostgreSQL ids are drawn at write, seen at commit).
async fn a_change_committed_after_a_later_one_is_not_skipped(backend: Backend) {
    let Some(db) = database(backend).await else { return };
    let corpus = corpus(&db.store).await;
    let directory = app::directory::Directory::open(&db.store, None).await.unwrap();
    let document = |presentation: &str| {
        let input = ProfileInput {
            presentation: Visible::public(presentation.into()),
            ..ProfileInput::default()
        };
        serde_json::to_string(&input.validate().unwrap()).unwrap()
    };
    let found = |text: &str| {
        let request = search::SearchRequest::new(text, search::Audience::Visitor);
        names(&directory.index().search(&request).unwrap())
            .into_iter()
            .map(str::to_owned)
            .collect::<Vec<_>>()
    };

    let mut slow = db.store.begin().await.unwrap();
    store::profiles::save(
        &mut slow,
        corpus.id(LAB),
        &document("Essais de fatigue en hélium liquide."),
        None,
    )
    .await
    .unwrap();
    let mut fast = {
        let (store, id, document) = (
            db.store.clone(),
            corpus.id(SOFT),
            document("Logiciels de métrologie optique."),
        );
        tokio::spawn(async move {
            let mut tx = store.begin().await.unwrap();
            store::profiles::save(&mut tx, id, &document, None).await.unwrap();
            tx.commit().await.unwrap();
        })
    };
    // The second writer gets every chance to commit first; it cannot once writers are ordered, so
    // the wait ends either with its commit (the case to survive) or at the bound.
    let fast_done = tokio::time::timeout(Duration::from_secs(1), &mut fast)
        .await
        .is_ok();
    // The follower reads while the first writer is still open.
    directory.catch_up(&db.store).await.unwrap();
    slow.commit().await.unwrap();
    if !fast_done {
        fast.await.unwrap();
    }
    directory.catch_up(&db.store).await.unwrap();
    assert_eq!(found("métrologie"), [SOFT]);
    assert_eq!(found("hélium"), [LAB], "the change committed last was skipped");
}

// ---------------------------------------------------------------------------------------------
// Restarts: each "process" has its own runtime, store pool and index, all gone when it ends.

/// Runs `story` as a process of its own over the database at `url`, with its index in `dir`.
fn process<T, F, Fut>(url: &str, dir: &Path, story: F) -> T
where
    T: Send + 'static,
    F: FnOnce(App) -> Fut + Send + 'static,
    Fut: Future<Output = T>,
{
    let (url, dir) = (url.to_owned(), dir.to_owned());
    std::thread::spawn(move || {
        let runtime = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(2)
            .enable_all()
            .build()
            .unwrap();
        let outcome = runtime.block_on(async move {
            let store = Store::connect(&url).await.unwrap();
            let config = AppConfig {
                index_dir: Some(dir),
                ..AppConfig::default()
            };
            let outcome = story(App::new(store.clone(), config).unwrap()).await;
            store.close().await;
            outcome
        });
        // Dropping the runtime stops the index follower, which closes the index and frees its lock.
        drop(runtime);
        outcome
    })
    .join()
    .expect("the process ran to its end")
}

/// Starts a process that opens the directory and returns who `text` finds for a visitor, by name.
fn open_and_search(url: &str, dir: &Path, text: &'static str) -> Vec<String> {
    process(url, dir, move |app| async move {
        app.open_directory().await.unwrap();
        let results = app
            .search_directory(&Actor::Visitor, &DirectoryQuery::text(text))
            .await
            .unwrap();
        results.hits.into_iter().map(|h| h.name).collect()
    })
}

fn watermark_file(dir: &Path) -> PathBuf {
    let files: Vec<PathBuf> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| {
            p.file_name()
                .is_some_and(|n| n.to_string_lossy().ends_with("watermark"))
        })
        .collect();
    assert_eq!(files.len(), 1, "one watermark file in {}", dir.display());
    files[0].clone()
}

/// Rewrites a profile's presentation behind the change log's back (a restored backup, a manual
/// fix): only a rebuild can know of it.
async fn rewrite_unlogged(store: &Store, organisation_id: i64, presentation: &str) {
    let input = ProfileInput {
        presentation: Visible::public(presentation.into()),
        ..ProfileInput::default()
    };
    let document = serde_json::to_string(&input.validate().unwrap()).unwrap();
    let mut conn = store.conn().await.unwrap();
    let before = store::directory::last_change(&mut conn).await.unwrap();
    sqlx::query("UPDATE profiles SET document = $1 WHERE organisation_id = $2")
        .bind(document)
        .bind(organisation_id)
        .execute(&mut *conn)
        .await
        .unwrap();
    assert_eq!(store::directory::last_change(&mut conn).await.unwrap(), before);
}

async fn an_index_on_disk_catches_up_after_a_restart_and_rebuilds_when_it_must(backend: Backend) {
    let Some(db) = database(backend).await else { return };
    let corpus = corpus(&db.store).await;
    let dir = std::env::temp_dir().join(format!(
        "passerelle-index-{}-{}-{}",
        backend.as_str(),
        std::process::id(),
        store::now_ms()
    ));
    let url = db.url.clone();
    let run = {
        let (url, dir) = (url.clone(), dir.clone());
        move |text: &'static str| {
            let (url, dir) = (url.clone(), dir.clone());
            tokio::task::spawn_blocking(move || open_and_search(&url, &dir, text))
        }
    };

    // First start: no watermark, so a full build; it leaves a watermark at the log's end.
    assert_eq!(
        run("usinage titane aéronautique")
            .await
            .unwrap()
            .first()
            .map(String::as_str),
        Some(TITANE)
    );
    let mut conn = db.store.conn().await.unwrap();
    let last = store::directory::last_change(&mut conn).await.unwrap();
    drop(conn);
    let watermark = watermark_file(&dir);
    assert_eq!(
        std::fs::read_to_string(&watermark).unwrap().trim(),
        last.to_string()
    );

    // While it is down, another process saves a profile (nobody to wake) and an organisation is renamed.
    let other = App::new(db.store.clone(), AppConfig::default()).unwrap();
    let mut input = profile_of(MECA).unwrap();
    input
        .presentation
        .value
        .push_str(" Nous usinons désormais l'Hastelloy.");
    other
        .save_profile(&corpus.staff, corpus.id(MECA), &input)
        .await
        .unwrap();
    let mut conn = db.store.conn().await.unwrap();
    let mut renamed = organisations::get(&mut conn, corpus.id(SENSORS))
        .await
        .unwrap()
        .unwrap()
        .fields;
    renamed.legal_name = "Capteurs Alpes Gyroscopes SAS".into();
    assert!(
        organisations::update(&mut conn, corpus.id(SENSORS), &renamed)
            .await
            .unwrap()
    );
    drop(conn);
    // The next start applies what it missed from its watermark on.
    assert_eq!(run("hastelloy").await.unwrap(), [MECA]);
    assert_eq!(
        run("gyroscopes").await.unwrap(),
        ["Capteurs Alpes Gyroscopes SAS"]
    );
    let mut conn = db.store.conn().await.unwrap();
    let last = store::directory::last_change(&mut conn).await.unwrap();
    drop(conn);
    assert_eq!(
        std::fs::read_to_string(&watermark).unwrap().trim(),
        last.to_string()
    );

    // A change the log never saw is not picked up by catching up...
    rewrite_unlogged(
        &db.store,
        corpus.id(ELEC),
        "Électronique de puissance au nitrure de gallium.",
    )
    .await;
    assert!(run("gallium").await.unwrap().is_empty(), "caught up, not rebuilt");
    // ...but without its watermark the index does not know where it stands, and rebuilds.
    std::fs::remove_file(&watermark).unwrap();
    assert_eq!(run("gallium").await.unwrap(), [ELEC]);
    assert_eq!(
        run("hastelloy").await.unwrap(),
        [MECA],
        "the rebuild kept everything else"
    );

    // A "reindex all" entry in the log (after a bulk import, say) rebuilds as well.
    rewrite_unlogged(
        &db.store,
        corpus.id(SOFT),
        "Logiciels de calcul quantique pour l'industrie.",
    )
    .await;
    assert!(run("quantique").await.unwrap().is_empty());
    let mut conn = db.store.conn().await.unwrap();
    store::directory::touch_all(&mut conn).await.unwrap();
    drop(conn);
    assert_eq!(run("quantique").await.unwrap(), [SOFT]);
    assert_eq!(run("gallium").await.unwrap(), [ELEC]);

    std::fs::remove_dir_all(&dir).unwrap();
}

// ---------------------------------------------------------------------------------------------
// The demo data set, as a newcomer searches it.

/// Stands in for the argon2 hash of the demo password (the store keeps it opaque).
const HASH: &str = "$argon2id$v=19$m=19456,t=2,p=1$ZGVtby1zYWx0$ZGVtby1oYXNoLW9mLXRoZS1wYXNzd29yZA";

async fn the_demo_sme_comes_first_in_the_demo_directory_and_a_second_load_adds_nothing(backend: Backend) {
    let Some(db) = database(backend).await else { return };
    let count = async |sql: &'static str| -> i64 {
        let mut conn = db.store.conn().await.unwrap();
        sqlx::query_scalar(sql).fetch_one(&mut *conn).await.unwrap()
    };
    let summary = app::demo::load(&db.store, HASH).await.unwrap();
    let profiles = count("SELECT COUNT(*) FROM profiles").await;
    let changes = count("SELECT COUNT(*) FROM search_changes").await;
    // Every SME and mid-cap, the lab and a few large accounts; not the cluster's association.
    assert!(
        (295..summary.organisations).contains(&profiles),
        "{profiles} profiles"
    );
    let again = app::demo::load(&db.store, HASH).await.unwrap();
    assert!(!again.created);
    assert_eq!(count("SELECT COUNT(*) FROM profiles").await, profiles);
    assert_eq!(count("SELECT COUNT(*) FROM search_changes").await, changes);

    let app = searching(&db.store).await;
    for text in [
        "usinage titane aéronautique",
        "usinage titane aeronautique",
        "usinage titnae aéronautique",
    ] {
        let results = search(&app, &Actor::Visitor, text).await;
        assert_eq!(
            names(&results).first(),
            Some(&app::demo::DEMO_SME),
            "{text}: {:?}",
            names(&results)
        );
    }
    // Its stored profile reads back whole, and a visitor's page hides its members-only reference.
    let sme = search(&app, &Actor::Visitor, "usinage titane aéronautique")
        .await
        .hits[0]
        .org_id;
    let page = app.profile_page(&Actor::Visitor, sme).await.unwrap();
    assert!(
        page.profile
            .certifications
            .value
            .iter()
            .any(|c| c.name == "EN 9100")
    );
    assert!(
        page.profile
            .references
            .iter()
            .all(|r| r.client != "Airbus Helicopters")
    );
    let everything = search(&app, &Actor::Visitor, "").await;
    assert_eq!(everything.total, summary.organisations as u64);
    let certifications = counts(&everything, Facet::Certification);
    assert!(
        certifications.get("EN 9100").is_some_and(|n| *n >= 30),
        "{certifications:?}"
    );
}
