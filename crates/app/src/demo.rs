//! Demo data set: one fictitious cluster with ~300 member organisations, their people and the
//! documented demo logins, generated from a fixed seed so every installation shows the same data.

use std::collections::HashSet;
use std::time::Instant;

use domain::geo::{self, Commune};
use domain::naf::NafCode;
use domain::org::{OrgKind, size_category};
use domain::person::Role;
use domain::siret::luhn_complete;
use domain::text::search_key;
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;
use store::records::{NewPerson, OrganisationFields};
use store::{Conn, Store, StoreError, clusters, organisations, people};

// A child of this module so that it may read the plan; kept in its own file for its length.
#[path = "demo_committee.rs"]
mod demo_committee;
#[path = "demo_consortia.rs"]
mod demo_consortia;
#[path = "demo_export.rs"]
mod demo_export;
#[path = "demo_listings.rs"]
mod demo_listings;
#[path = "demo_pooling.rs"]
mod demo_pooling;
#[path = "demo_portfolio.rs"]
mod demo_portfolio;
#[path = "demo_profiles.rs"]
mod demo_profiles;

pub const DEMO_CLUSTER_SLUG: &str = "pole-demo";
pub const DEMO_CLUSTER_NAME: &str = "Pôle Passerelle Démo";
pub const DEMO_PASSWORD: &str = "demo-passerelle";

/// A documented login of the demo, for the README and the login page.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct DemoAccount {
    pub email: &'static str,
    pub role: Role,
    /// Legal name of the organisation the account works for.
    pub organisation: &'static str,
    pub description_fr: &'static str,
}

/// The cluster's own association bears the cluster's name, as real clusters' associations do.
pub const DEMO_ASSOCIATION: &str = DEMO_CLUSTER_NAME;
pub const DEMO_LARGE_ACCOUNT: &str = "Aérostructures Groupe Démo SA";
pub const DEMO_SME: &str = "Usinage Titane Occitanie SAS";
pub const DEMO_LAB: &str = "Laboratoire Démo Matériaux et Systèmes";

/// One login per role, all with [`DEMO_PASSWORD`].
pub const DEMO_ACCOUNTS: &[DemoAccount] = &[
    DemoAccount {
        email: "animation@pole-demo.fr",
        role: Role::ClusterAdmin,
        organisation: DEMO_ASSOCIATION,
        description_fr: "Animatrice du pôle : administre le registre des adhérents, le comité achats, \
                         les événements et les indicateurs.",
    },
    DemoAccount {
        email: "acheteuse@grandcompte-demo.fr",
        role: Role::Buyer,
        organisation: DEMO_LARGE_ACCOUNT,
        description_fr: "Acheteuse d'un grand compte : publie besoins et appels, cherche dans l'annuaire, \
                         référence des fournisseurs.",
    },
    DemoAccount {
        email: "evaluateur@grandcompte-demo.fr",
        role: Role::Evaluator,
        organisation: DEMO_LARGE_ACCOUNT,
        description_fr: "Évaluateur : note les dossiers des appels de son grand compte et ne voit rien d'autre.",
    },
    DemoAccount {
        email: "dirigeant@pme-demo.fr",
        role: Role::OrgAdmin,
        organisation: DEMO_SME,
        description_fr: "Dirigeant d'une PME adhérente : tient le profil de capacités, répond aux appels, \
                         gère les personnes de son entreprise.",
    },
    DemoAccount {
        email: "membre@pme-demo.fr",
        role: Role::Member,
        organisation: DEMO_SME,
        description_fr: "Salariée d'une PME adhérente : consulte les appels et demande des rendez-vous d'affaires.",
    },
    DemoAccount {
        email: "mediation@pole-demo.fr",
        role: Role::Mediator,
        organisation: DEMO_ASSOCIATION,
        description_fr: "Médiatrice : traite les dossiers de médiation confidentiels qui lui sont confiés.",
    },
    DemoAccount {
        email: "labo@labo-demo.fr",
        role: Role::Member,
        organisation: DEMO_LAB,
        description_fr: "Ingénieur d'un laboratoire adhérent : profil de compétences, consortiums et appels \
                         à partenaires.",
    },
];

/// Who stands behind each entry of [`DEMO_ACCOUNTS`], in the same order: first name, last name, job title.
const DEMO_ACCOUNT_PEOPLE: [(&str, &str, &str); 7] = [
    ("Claire", "Dumas", "Chargée d'animation du pôle"),
    ("Sophie", "Marchand", "Acheteuse innovation"),
    ("Nicolas", "Perrin", "Ingénieur méthodes, évaluateur technique"),
    ("Laurent", "Fabre", "Président"),
    ("Julie", "Roux", "Responsable commerciale"),
    ("Hélène", "Vidal", "Médiatrice des relations fournisseurs"),
    ("Thomas", "Mercier", "Ingénieur de recherche"),
];
const _: () = assert!(DEMO_ACCOUNT_PEOPLE.len() == DEMO_ACCOUNTS.len());

/// What a load did, and how much demo data the store holds.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DemoSummary {
    /// False when the demo cluster was already there and nothing was written.
    pub created: bool,
    pub cluster_id: i64,
    /// Member organisations of the demo cluster.
    pub organisations: i64,
    /// People working in those organisations.
    pub people: i64,
}

/// Loads the demo data set into the store unless it is already there (idempotent: keyed on the cluster slug).
/// `password_hash` is the argon2 hash of DEMO_PASSWORD, computed once by the caller and given to every demo account.
pub async fn load(store: &Store, password_hash: &str) -> Result<DemoSummary, StoreError> {
    let started = Instant::now();
    let mut tx = store.begin().await?;
    if let Some(cluster) = clusters::by_slug(&mut tx, DEMO_CLUSTER_SLUG).await? {
        let summary = existing(&mut tx, cluster.id).await?;
        tx.rollback().await?;
        return Ok(summary);
    }
    let cluster_id = match clusters::insert(&mut tx, DEMO_CLUSTER_NAME, DEMO_CLUSTER_SLUG).await {
        Ok(id) => id,
        // On PostgreSQL a concurrent load can commit the slug between our check and our insert;
        // theirs won, so report it rather than fail.
        Err(StoreError::Duplicate(constraint)) => {
            tx.rollback().await?;
            let mut conn = store.conn().await?;
            return match clusters::by_slug(&mut conn, DEMO_CLUSTER_SLUG).await? {
                Some(cluster) => existing(&mut conn, cluster.id).await,
                None => Err(StoreError::Duplicate(constraint)),
            };
        }
        Err(error) => return Err(error),
    };
    let plan = plan();
    let (people, ids) = insert_plan(&mut tx, cluster_id, &plan, password_hash).await?;
    insert_event(&mut tx, cluster_id, &plan, &ids).await?;
    demo_committee::insert(&mut tx, cluster_id, &plan, &ids).await?;
    demo_portfolio::insert(&mut tx, cluster_id, &plan, &ids).await?;
    demo_listings::insert(&mut tx, cluster_id, &plan, &ids).await?;
    demo_pooling::insert(&mut tx, cluster_id, &plan, &ids).await?;
    demo_consortia::insert(&mut tx, cluster_id, &plan, &ids).await?;
    demo_export::insert(&mut tx, cluster_id, &plan, &ids).await?;
    tx.commit().await?;
    let summary = DemoSummary {
        created: true,
        cluster_id,
        organisations: i64::try_from(plan.len()).unwrap_or(i64::MAX),
        people,
    };
    tracing::info!(
        organisations = summary.organisations,
        people = summary.people,
        elapsed = ?started.elapsed(),
        "demo data set loaded"
    );
    Ok(summary)
}

/// Counts what is there now, which may have grown since the demo was loaded.
async fn existing(conn: &mut Conn, cluster_id: i64) -> Result<DemoSummary, StoreError> {
    let organisations = clusters::count_members(conn, cluster_id).await?;
    let people = people::count_in_cluster(conn, cluster_id).await?;
    Ok(DemoSummary {
        created: false,
        cluster_id,
        organisations,
        people,
    })
}

async fn insert_plan(
    conn: &mut Conn,
    cluster_id: i64,
    plan: &[PlannedOrganisation],
    password_hash: &str,
) -> Result<(i64, Vec<InsertedIds>), StoreError> {
    let mut count = 0;
    let mut ids = Vec::with_capacity(plan.len());
    for organisation in plan {
        let organisation_id = organisations::insert(conn, &organisation.fields).await?;
        let mut person_ids = Vec::with_capacity(organisation.people.len());
        clusters::add_member(conn, cluster_id, organisation_id).await?;
        demo_profiles::save(conn, organisation_id, &organisation.fields).await?;
        for person in &organisation.people {
            let person_id = people::insert(
                conn,
                &NewPerson {
                    organisation_id,
                    email: person.email.clone(),
                    first_name: person.first_name.clone(),
                    last_name: person.last_name.clone(),
                    job_title: Some(person.job_title.clone()),
                    locale: "fr".into(),
                    // Everyone else has only been invited: they cannot sign in until they accept.
                    password_hash: person.demo_account.then(|| password_hash.to_owned()),
                },
            )
            .await?;
            let (scope_kind, scope_id) = if person.role.is_cluster_scoped() {
                ("cluster", cluster_id)
            } else {
                ("organisation", organisation_id)
            };
            people::grant(conn, person_id, person.role.as_str(), scope_kind, scope_id).await?;
            person_ids.push(person_id);
            count += 1;
        }
        ids.push((organisation_id, person_ids));
    }
    Ok((count, ids))
}

/// Row ids of one planned organisation and of its people, in plan order.
type InsertedIds = (i64, Vec<i64>);

// ---------------------------------------------------------------------------------------------
// The demo matchmaking event: a one-day convention d'affaires with registration open, ~40
// participants (the buyer and the SME demo accounts among them, the lab account left out so a
// demo can register it) and ~80 meeting requests, some accepted, some mutual, two awaiting the
// demo SME's answer. Drawn from its own seed, so the organisations above do not change with it.

pub const DEMO_EVENT_TITLE: &str = "Convention d'affaires Aéro 2027";
const EVENT_SEED: u64 = 0x4556_454e_5432_3032;
const EVENT_PARTICIPANTS: usize = 40;
/// Requests drawn at random, on top of the two addressed to the demo SME (mutual replies included).
const EVENT_REQUESTS: usize = 78;
const BUYER_EMAIL: &str = "acheteuse@grandcompte-demo.fr";
const SME_EMAIL: &str = "dirigeant@pme-demo.fr";
const SME_MEMBER_EMAIL: &str = "membre@pme-demo.fr";

/// What members offer and seek, in words the suggested matches compare.
const TOPICS: &[&str] = &[
    "usinage titane",
    "pièces composites",
    "fabrication additive métal",
    "traitement de surface",
    "contrôle non destructif",
    "électronique embarquée",
    "logiciel embarqué",
    "câblage et harnais",
    "chaudronnerie aéronautique",
    "essais et qualification",
    "robotique et automatisation",
    "jumeau numérique",
    "maintenance MRO",
    "ingénierie de conception",
];

/// The demo event's input, as an organiser would type it: 16 slots of 20 minutes on one day.
fn demo_event_input() -> crate::meetings::EventInput {
    crate::meetings::EventInput {
        title: DEMO_EVENT_TITLE.into(),
        venue: "Centre de congrès Pierre Baudis, Toulouse".into(),
        first_day: "2027-03-16".into(),
        days: 1,
        sessions: "09:00-12:20,14:00-17:20".into(),
        slot_minutes: 20,
        break_minutes: 5,
        tables: 30,
        online: false,
        request_deadline: "2027-03-15T18:00".into(),
        max_pending: None,
        max_meetings: None,
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
struct PlannedParticipant {
    /// (organisation, person) positions in the plan.
    organisation: usize,
    person: usize,
    kind: &'static str,
    offers: String,
    seeks: String,
    available: Vec<i64>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
struct PlannedRequest {
    /// Positions in the participant list.
    from: usize,
    to: usize,
    message: &'static str,
    /// pending, accepted or declined.
    status: &'static str,
    must_meet: bool,
    met_before: bool,
}

fn topics(rng: &mut ChaCha8Rng, count: usize) -> Vec<&'static str> {
    let mut chosen: Vec<&'static str> = Vec::with_capacity(count);
    while chosen.len() < count {
        let topic = *pick(rng, TOPICS);
        if !chosen.contains(&topic) {
            chosen.push(topic);
        }
    }
    chosen
}

/// Participants and requests of the demo event, computed from the plan alone.
fn event_plan(plan: &[PlannedOrganisation], slots: i64) -> (Vec<PlannedParticipant>, Vec<PlannedRequest>) {
    let mut rng = ChaCha8Rng::seed_from_u64(EVENT_SEED);
    let position = |email: &str| {
        plan.iter()
            .enumerate()
            .find_map(|(o, org)| org.people.iter().position(|p| p.email == email).map(|p| (o, p)))
            .unwrap_or_else(|| panic!("{email} is not in the demo plan"))
    };
    let all: Vec<i64> = (0..slots).collect();
    let mut participants = Vec::with_capacity(EVENT_PARTICIPANTS);
    let fixed = [
        (
            BUYER_EMAIL,
            "large",
            "achats aérostructures, programmes civils, référencement fournisseurs",
            "usinage titane, pièces composites, contrôle non destructif, fabrication additive métal",
        ),
        (
            SME_EMAIL,
            "sme",
            "usinage titane, pièces de structure, fabrication additive métal",
            "donneurs d'ordre aérostructures, traitement de surface, contrôle non destructif",
        ),
        (
            SME_MEMBER_EMAIL,
            "sme",
            "usinage titane, chaudronnerie aéronautique",
            "donneurs d'ordre, essais et qualification",
        ),
    ];
    for (email, kind, offers, seeks) in fixed {
        let (organisation, person) = position(email);
        participants.push(PlannedParticipant {
            organisation,
            person,
            kind,
            offers: offers.into(),
            seeks: seeks.into(),
            available: all.clone(),
        });
    }
    let taken: HashSet<usize> = participants.iter().map(|p| p.organisation).collect();
    // Every other large account and four mid-caps send one person; SMEs drawn at random fill the rest.
    let mut candidates: Vec<usize> = plan
        .iter()
        .enumerate()
        .filter(|(o, org)| {
            !taken.contains(o)
                && !org.people.is_empty()
                && matches!(org.fields.size.as_deref(), Some("large" | "mid_cap"))
        })
        .map(|(o, _)| o)
        .collect();
    let mid_caps_kept = 4;
    let mut mid_caps = 0;
    candidates.retain(|&o| {
        let keep = plan[o].fields.size.as_deref() == Some("large") || mid_caps < mid_caps_kept;
        if plan[o].fields.size.as_deref() == Some("mid_cap") && keep {
            mid_caps += 1;
        }
        keep
    });
    let smes: Vec<usize> = plan
        .iter()
        .enumerate()
        .filter(|(o, org)| {
            !taken.contains(o) && !org.people.is_empty() && org.fields.size.as_deref() == Some("sme")
        })
        .map(|(o, _)| o)
        .collect();
    let mut chosen = HashSet::new();
    while candidates.len() + participants.len() < EVENT_PARTICIPANTS {
        let o = *pick(&mut rng, &smes);
        if chosen.insert(o) {
            candidates.push(o);
        }
    }
    for o in candidates {
        let kind = match plan[o].fields.size.as_deref() {
            Some("large") => "large",
            Some("mid_cap") => "midcap",
            _ => "sme",
        };
        let (offers, seeks) = match kind {
            "large" => (
                "achats, programmes aéronautiques".to_owned(),
                topics(&mut rng, 3).join(", "),
            ),
            "midcap" => (
                format!(
                    "intégration de sous-ensembles, {}",
                    topics(&mut rng, 1).join(", ")
                ),
                topics(&mut rng, 2).join(", "),
            ),
            _ => (
                topics(&mut rng, 2).join(", "),
                format!("donneurs d'ordre, {}", topics(&mut rng, 1).join(", ")),
            ),
        };
        // A quarter of them miss the morning or the afternoon.
        let available = match rng.random_range(0..8) {
            0 => all[(slots / 2) as usize..].to_vec(),
            1 => all[..(slots / 2) as usize].to_vec(),
            _ => all.clone(),
        };
        participants.push(PlannedParticipant {
            organisation: o,
            person: 0,
            kind,
            offers,
            seeks,
            available,
        });
    }
    let (buyer, sme, sme_member) = (0, 1, 2);
    // Two requests await the demo SME's answer; the SME and the buyer have not asked each other yet,
    // so a demo (or the browser story) can.
    let mut requests = vec![
        PlannedRequest {
            from: 3,
            to: sme,
            message: "Nous cherchons un second source en usinage titane pour 2028.",
            status: "pending",
            must_meet: true,
            met_before: false,
        },
        PlannedRequest {
            from: participants.len() - 1,
            to: sme,
            message: "Échange sur une sous-traitance de pièces de structure ?",
            status: "pending",
            must_meet: false,
            met_before: false,
        },
    ];
    let mut pairs: HashSet<(usize, usize)> = requests.iter().map(|r| (r.from, r.to)).collect();
    pairs.insert((sme, buyer));
    pairs.insert((buyer, sme));
    let messages = [
        "Bonjour, je souhaiterais vous présenter notre savoir-faire.",
        "Votre besoin rejoint notre offre : rencontrons-nous.",
        "",
        "Nous avons un projet de R&D où vous auriez toute votre place.",
    ];
    let buyers: Vec<usize> = (0..participants.len())
        .filter(|&i| participants[i].kind != "sme")
        .collect();
    let mut drawn = 0;
    while drawn < EVENT_REQUESTS {
        let from = rng.random_range(0..participants.len());
        // Most requests go from an SME to a large account or a mid-cap, as at real conventions.
        let to = if participants[from].kind == "sme" && rng.random_bool(0.7) {
            *pick(&mut rng, &buyers)
        } else {
            rng.random_range(0..participants.len())
        };
        let same_company = participants[from].organisation == participants[to].organisation;
        let with_demo_sme = [from, to].iter().any(|&p| p == sme || p == sme_member);
        if from == to || same_company || pairs.contains(&(from, to)) {
            continue;
        }
        let status = match rng.random_range(0..10) {
            0..6 => "accepted",
            6..8 if !with_demo_sme => "pending",
            6..8 => "accepted",
            _ => "declined",
        };
        pairs.insert((from, to));
        requests.push(PlannedRequest {
            from,
            to,
            message: messages[rng.random_range(0..messages.len())],
            status,
            must_meet: rng.random_bool(0.1),
            met_before: rng.random_bool(0.1),
        });
        drawn += 1;
        // A third of the accepted requests were asked both ways: mutual interest.
        if status == "accepted" && drawn < EVENT_REQUESTS && rng.random_bool(0.33) && pairs.insert((to, from))
        {
            requests.push(PlannedRequest {
                from: to,
                to: from,
                message: "",
                status: "accepted",
                must_meet: false,
                met_before: false,
            });
            drawn += 1;
        }
    }
    (participants, requests)
}

/// Creates the demo event, its participants and requests, inside the demo's transaction.
async fn insert_event(
    conn: &mut Conn,
    cluster_id: i64,
    plan: &[PlannedOrganisation],
    ids: &[InsertedIds],
) -> Result<(), StoreError> {
    use store::meetings::{self, NewRequest, ParticipantFields};
    // A constant input: the unit tests check it parses.
    let (fields, slots) =
        crate::meetings::events::parse_event(&demo_event_input()).expect("the demo event is valid");
    let organiser = plan.iter().zip(ids).find_map(|(org, (_, people))| {
        org.people
            .iter()
            .position(|p| p.email == DEMO_ACCOUNTS[0].email)
            .map(|i| people[i])
    });
    let event_id = meetings::insert_event(conn, cluster_id, &fields, organiser).await?;
    meetings::replace_slots(conn, event_id, &slots).await?;
    meetings::set_registration_open(conn, event_id, true).await?;
    let (participants, requests) = event_plan(plan, slots.len() as i64);
    let mut participant_ids = Vec::with_capacity(participants.len());
    for p in &participants {
        let organisation = &plan[p.organisation];
        let person = &organisation.people[p.person];
        let (organisation_id, people) = &ids[p.organisation];
        let id = meetings::insert_participant(
            conn,
            event_id,
            Some(people[p.person]),
            Some(*organisation_id),
            &ParticipantFields {
                display_name: format!("{} {}", person.first_name, person.last_name),
                organisation_name: organisation.fields.legal_name.clone(),
                email: person.email.clone(),
                guest: 0,
                kind: p.kind.into(),
                offers: p.offers.clone(),
                seeks: p.seeks.clone(),
                available: p
                    .available
                    .iter()
                    .map(i64::to_string)
                    .collect::<Vec<_>>()
                    .join(","),
                max_meetings: None,
            },
        )
        .await?;
        participant_ids.push(id);
    }
    let now = store::now_ms();
    for r in &requests {
        let id = meetings::insert_request(
            conn,
            &NewRequest {
                event_id,
                from_participant: participant_ids[r.from],
                to_participant: participant_ids[r.to],
                message: r.message,
                must_meet: r.must_meet,
                met_before: r.met_before,
                expires_at: fields.request_deadline,
            },
        )
        .await?;
        if r.status != "pending" {
            meetings::answer_request(conn, id, r.status, false, now).await?;
        }
    }
    Ok(())
}

// ---------------------------------------------------------------------------------------------
// The plan: the whole data set computed in memory first, so it depends on the seed alone and
// can be checked without a database.

/// Changing the seed changes every name of the demo: screenshots and documentation rely on it.
const SEED: u64 = 0x5041_5353_4552_454c;
/// With the association, the lab, the 5 large accounts, the 12 mid-caps and the demo SME: 300.
const GENERATED_SMES: usize = 280;

#[derive(Debug, Clone, PartialEq, Eq)]
struct PlannedOrganisation {
    fields: OrganisationFields,
    people: Vec<PlannedPerson>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
struct PlannedPerson {
    email: String,
    first_name: String,
    last_name: String,
    job_title: String,
    role: Role,
    demo_account: bool,
}

/// Masculine and feminine forms of a job title.
type Title = (&'static str, &'static str);

/// Whose staff an organisation's people are; decides job titles and roles.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Profile {
    Association,
    Lab,
    Large,
    MidCap,
    Sme(LegalForm),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum LegalForm {
    Sas,
    Sarl,
    Sa,
}

impl LegalForm {
    fn as_str(self) -> &'static str {
        match self {
            LegalForm::Sas => "SAS",
            LegalForm::Sarl => "SARL",
            LegalForm::Sa => "SA",
        }
    }
}

/// A fixed organisation of the demo (cluster association, lab, large accounts, mid-caps, demo SME).
struct FixedOrganisation {
    /// Name without the legal form.
    name: &'static str,
    form: Option<LegalForm>,
    naf: &'static str,
    commune: &'static str,
    headcount: u32,
    /// Turnover in millions of euros; the balance sheet is derived from it.
    turnover_meur: Option<u64>,
    /// E-mail and web domain without `.fr`; derived from the name when absent.
    domain: Option<&'static str>,
}

/// Invented groups, one per sector a cluster's purchasing committee typically hosts.
const LARGE_ACCOUNTS: [FixedOrganisation; 5] = [
    FixedOrganisation {
        name: "Aérostructures Groupe Démo",
        form: Some(LegalForm::Sa),
        naf: "30.30Z",
        commune: "31069",
        headcount: 18_500,
        turnover_meur: Some(12_400),
        domain: Some("grandcompte-demo"),
    },
    FixedOrganisation {
        name: "Énergies Démo Réseaux",
        form: Some(LegalForm::Sa),
        naf: "35.11Z",
        commune: "75108",
        headcount: 32_000,
        turnover_meur: Some(21_300),
        domain: None,
    },
    FixedOrganisation {
        name: "Démo Mobilités Ferroviaires",
        form: Some(LegalForm::Sa),
        naf: "30.20Z",
        commune: "59350",
        headcount: 9_800,
        turnover_meur: Some(3_650),
        domain: None,
    },
    FixedOrganisation {
        name: "Systèmes Spatiaux Démo",
        form: Some(LegalForm::Sas),
        naf: "30.30Z",
        commune: "31555",
        headcount: 6_200,
        turnover_meur: Some(2_350),
        domain: None,
    },
    FixedOrganisation {
        name: "Automobiles Démo Groupe",
        form: Some(LegalForm::Sa),
        naf: "29.10Z",
        commune: "91377",
        headcount: 41_000,
        turnover_meur: Some(27_800),
        domain: None,
    },
];

/// Mid-caps (ETI) of the supply chain; turnover is drawn from the seed.
const MID_CAPS: [FixedOrganisation; 12] = [
    mid_cap(
        "Forges et Estampages de Garonne",
        LegalForm::Sas,
        "25.50A",
        "31395",
        620,
    ),
    mid_cap(
        "Composites Pyrénées Industrie",
        LegalForm::Sas,
        "22.29A",
        "65440",
        480,
    ),
    mid_cap(
        "Mécanique Aéro du Sud-Ouest",
        LegalForm::Sa,
        "25.62B",
        "31149",
        1_150,
    ),
    mid_cap(
        "Électronique Embarquée d'Occitanie",
        LegalForm::Sas,
        "26.12Z",
        "31254",
        890,
    ),
    mid_cap(
        "Systèmes Avioniques du Midi",
        LegalForm::Sa,
        "26.51A",
        "31069",
        1_700,
    ),
    mid_cap(
        "Ingénierie Autan Conseil",
        LegalForm::Sas,
        "71.12B",
        "31555",
        2_300,
    ),
    mid_cap(
        "Alliages Techniques du Tarn",
        LegalForm::Sas,
        "24.53Z",
        "81065",
        410,
    ),
    mid_cap(
        "Traitements de Surface Méridionaux",
        LegalForm::Sas,
        "25.61Z",
        "46102",
        290,
    ),
    mid_cap(
        "Logiciels Critiques de Garonne",
        LegalForm::Sas,
        "62.01Z",
        "31555",
        760,
    ),
    mid_cap(
        "Hydraulique Aéro Lauragais",
        LegalForm::Sa,
        "28.13Z",
        "31451",
        350,
    ),
    mid_cap(
        "Robotique Industrielle d'Aquitaine",
        LegalForm::Sas,
        "28.99B",
        "33281",
        640,
    ),
    mid_cap(
        "Équipements Spatiaux des Alpes",
        LegalForm::Sa,
        "30.30Z",
        "38185",
        1_320,
    ),
];

const fn mid_cap(
    name: &'static str,
    form: LegalForm,
    naf: &'static str,
    commune: &'static str,
    headcount: u32,
) -> FixedOrganisation {
    FixedOrganisation {
        name,
        form: Some(form),
        naf,
        commune,
        headcount,
        turnover_meur: None,
        domain: None,
    }
}

const ASSOCIATION: FixedOrganisation = FixedOrganisation {
    name: DEMO_ASSOCIATION,
    form: None,
    naf: "94.99Z",
    commune: "31555",
    headcount: 24,
    turnover_meur: None,
    domain: Some("pole-demo"),
};

const LAB: FixedOrganisation = FixedOrganisation {
    name: DEMO_LAB,
    form: None,
    naf: "72.19Z",
    commune: "31446",
    headcount: 180,
    turnover_meur: None,
    domain: Some("labo-demo"),
};

const SME: FixedOrganisation = FixedOrganisation {
    name: "Usinage Titane Occitanie",
    form: Some(LegalForm::Sas),
    naf: "25.62B",
    commune: "31555",
    headcount: 38,
    turnover_meur: None,
    domain: Some("pme-demo"),
};

/// An SME trade: the word that goes into the company name, and the NAF code that goes with it.
struct Activity {
    word: &'static str,
    naf: &'static str,
    /// Words that may follow the trade in a name ("Usinage Titane"); agreed with it by hand.
    specialties: &'static [&'static str],
}

const fn act(word: &'static str, naf: &'static str, specialties: &'static [&'static str]) -> Activity {
    Activity {
        word,
        naf,
        specialties,
    }
}

/// Sectors of an industrial and tech cluster, with their weight among member SMEs.
const SECTORS: &[(&[Activity], u32)] = &[
    (
        &[
            act(
                "Usinage",
                "25.62B",
                &["Titane", "Précision", "Aéro", "Inox", "5 Axes"],
            ),
            act("Méca Précision", "25.62B", &[]),
            act("Mécanique", "25.62B", &["Aéro", "Précision", "Générale"]),
            act("Décolletage", "25.62A", &["Précision", "Micro"]),
            act("Tôlerie", "25.50B", &["Fine", "Aéro"]),
            act("Outillage", "25.73B", &["Aéro", "Précision"]),
            act("Moules", "25.73A", &["Composites"]),
            act("Engrenages", "28.15Z", &[]),
            act("Machines Spéciales", "28.99B", &[]),
            act("Automatismes", "28.29B", &["Industrie"]),
            act("Manutention", "28.22Z", &["Aéro"]),
            act("Machines-Outils", "28.41Z", &[]),
            act("Aéro Maintenance", "33.16Z", &[]),
            act("Aérostructures", "30.30Z", &[]),
            act("Drones", "30.30Z", &["Industrie"]),
            act("Équipements Aéro", "30.30Z", &[]),
            act("Pompes", "28.13Z", &["Hydrauliques"]),
        ],
        30,
    ),
    (
        &[
            act("Électronique", "26.12Z", &["Aéro", "Puissance", "Hyperfréquence"]),
            act("Cartes Électroniques", "26.12Z", &[]),
            act("Composants", "26.11Z", &["Hyperfréquence", "Puissance"]),
            act("Capteurs", "26.51B", &["Aéro", "Industrie"]),
            act("Instrumentation", "26.51B", &["Aéro", "Mesure"]),
            act("Avionique", "26.51A", &[]),
            act("Radiocom", "26.30Z", &[]),
            act("Optronique", "26.70Z", &[]),
            act("Calculateurs", "26.20Z", &["Embarqués"]),
            act("Électrotechnique", "27.11Z", &[]),
        ],
        15,
    ),
    (
        &[
            act("Logiciels", "62.01Z", &["Temps Réel", "Aéro", "Embarqués"]),
            act("Informatique", "62.02A", &["Industrielle"]),
            act("Data", "62.01Z", &["Industrie"]),
            act("Cyber", "62.02A", &["Défense", "Sécurité"]),
            act("Numérique", "62.01Z", &[]),
            act("Simulation", "62.01Z", &["Numérique"]),
            act("Conseil SI", "62.02A", &[]),
            act("Jumeaux Numériques", "62.01Z", &[]),
        ],
        20,
    ),
    (
        &[
            act(
                "Ingénierie",
                "71.12B",
                &["Aéro", "Thermique", "Structures", "Systèmes"],
            ),
            act("Études Techniques", "71.12B", &[]),
            act("Bureau d'Études", "71.12B", &["Mécaniques"]),
            act("Calcul de Structures", "71.12B", &[]),
            act("Essais", "71.20B", &["Aéro", "Matériaux"]),
            act("Contrôle Non Destructif", "71.20B", &[]),
        ],
        13,
    ),
    (
        &[
            act("Recherche", "72.19Z", &["Matériaux", "Photonique"]),
            act("Innovation", "72.19Z", &["Hydrogène", "Matériaux"]),
            act("Photonique", "72.19Z", &[]),
            act("Plasma Technologies", "72.19Z", &[]),
        ],
        5,
    ),
    (
        &[
            act("Composites", "22.29A", &["Aéro", "Thermoplastiques"]),
            act("Plasturgie", "22.29A", &["Technique"]),
            act("Polymères", "20.16Z", &["Techniques"]),
            act("Chimie", "20.59Z", &["Fine"]),
            act("Revêtements", "20.30Z", &["Techniques"]),
            act("Caoutchouc Technique", "22.19Z", &[]),
            act("Résines", "20.16Z", &[]),
            act("Céramiques", "23.44Z", &["Techniques"]),
            act("Profilés", "22.21Z", &[]),
        ],
        9,
    ),
    (
        &[
            act("Fonderie", "24.53Z", &["Alu", "Aéro"]),
            act("Alliages", "24.42Z", &["Légers"]),
            act("Tubes", "24.20Z", &["Inox"]),
            act("Structures Métalliques", "25.11Z", &[]),
            act("Chaudronnerie", "25.11Z", &["Inox", "Aéro"]),
            act("Forge", "25.50A", &["Aéro"]),
            act("Traitements Thermiques", "25.61Z", &[]),
            act("Traitement de Surface", "25.61Z", &[]),
            act("Découpe Laser", "25.62B", &[]),
        ],
        8,
    ),
];

/// Where member SMEs are, with weights: mostly the Toulouse area, then the rest of Occitanie,
/// then the other aerospace and industrial regions.
const COMMUNES: &[(&str, u32)] = &[
    // Toulouse and its metropolitan area (Haute-Garonne).
    ("31555", 40),
    ("31069", 12),
    ("31149", 10),
    ("31254", 8),
    ("31446", 5),
    ("31557", 4),
    ("31157", 3),
    ("31395", 4),
    ("31044", 4),
    ("31113", 3),
    ("31506", 3),
    ("31433", 3),
    ("31424", 2),
    ("31056", 2),
    ("31032", 2),
    ("31561", 2),
    ("31282", 1),
    ("31588", 2),
    ("31451", 2),
    ("31547", 1),
    ("31417", 1),
    ("31291", 1),
    ("31116", 1),
    ("31022", 1),
    ("31091", 1),
    // The rest of Occitanie.
    ("65440", 6),
    ("81004", 5),
    ("81065", 5),
    ("82121", 5),
    ("46102", 5),
    ("12202", 3),
    ("32013", 2),
    ("09122", 2),
    ("11069", 2),
    ("11076", 2),
    ("34172", 8),
    ("30189", 3),
    ("66136", 3),
    ("65286", 1),
    // Nouvelle-Aquitaine.
    ("33063", 6),
    ("33281", 6),
    ("33200", 3),
    ("33449", 3),
    ("64445", 4),
    ("64102", 2),
    ("40312", 2),
    ("17299", 2),
    ("86194", 1),
    ("87085", 1),
    // Île-de-France.
    ("78640", 4),
    ("91377", 2),
    ("78208", 2),
    ("91272", 2),
    ("92012", 2),
    ("75108", 2),
    ("78646", 1),
    // Auvergne-Rhône-Alpes.
    ("69123", 4),
    ("38185", 4),
    ("42218", 2),
    ("63113", 2),
    ("26362", 1),
    // Provence-Alpes-Côte d'Azur.
    ("13054", 3),
    ("13047", 2),
    ("13055", 2),
    ("06088", 1),
    ("06029", 2),
    ("83137", 1),
    // Elsewhere.
    ("44109", 3),
    ("35238", 2),
    ("29019", 1),
    ("56121", 1),
    ("59350", 2),
    ("67482", 1),
    ("57463", 1),
    ("51454", 1),
    ("25056", 2),
    ("21231", 1),
    ("37261", 1),
    ("14118", 1),
    ("76540", 1),
];

/// A place name for company names: bare ("Lauragais") and after "de" ("du Lauragais").
type Place = (&'static str, &'static str, &'static str);

/// Keyed by department code. Kept apart from region places because the two code lists overlap
/// (department 76 is Seine-Maritime, region 76 is Occitanie).
const DEPARTMENT_PLACES: &[Place] = &[
    ("31", "Lauragais", "du Lauragais"),
    ("31", "Garonne", "de Garonne"),
    ("31", "Comminges", "du Comminges"),
    ("31", "Toulousain", "du Toulousain"),
    ("81", "Tarn", "du Tarn"),
    ("81", "Albigeois", "de l'Albigeois"),
    ("81", "Montagne Noire", "de la Montagne Noire"),
    ("82", "Quercy", "du Quercy"),
    ("82", "Lomagne", "de Lomagne"),
    ("65", "Bigorre", "de Bigorre"),
    ("65", "Pyrénées", "des Pyrénées"),
    ("09", "Ariège", "de l'Ariège"),
    ("09", "Pyrénées", "des Pyrénées"),
    ("11", "Aude", "de l'Aude"),
    ("11", "Lauragais", "du Lauragais"),
    ("34", "Hérault", "de l'Hérault"),
    ("30", "Gard", "du Gard"),
    ("30", "Cévennes", "des Cévennes"),
    ("66", "Roussillon", "du Roussillon"),
    ("66", "Catalogne", "de Catalogne"),
    ("46", "Quercy", "du Quercy"),
    ("46", "Lot", "du Lot"),
    ("12", "Rouergue", "du Rouergue"),
    ("12", "Aveyron", "de l'Aveyron"),
    ("32", "Gascogne", "de Gascogne"),
    ("33", "Gironde", "de Gironde"),
    ("33", "Médoc", "du Médoc"),
    ("64", "Béarn", "du Béarn"),
    ("64", "Adour", "de l'Adour"),
    ("40", "Landes", "des Landes"),
    ("40", "Adour", "de l'Adour"),
    ("17", "Aunis", "d'Aunis"),
    ("86", "Poitou", "du Poitou"),
    ("87", "Limousin", "du Limousin"),
    ("69", "Lyonnais", "du Lyonnais"),
    ("38", "Dauphiné", "du Dauphiné"),
    ("38", "Alpes", "des Alpes"),
    ("42", "Forez", "du Forez"),
    ("63", "Auvergne", "d'Auvergne"),
    ("26", "Drôme", "de la Drôme"),
    ("78", "Yvelines", "des Yvelines"),
    ("91", "Saclay", "de Saclay"),
    ("91", "Essonne", "de l'Essonne"),
    ("13", "Provence", "de Provence"),
    ("06", "Riviera", "de la Riviera"),
    ("83", "Var", "du Var"),
    ("44", "Loire", "de Loire"),
    ("35", "Armor", "d'Armor"),
    ("29", "Iroise", "d'Iroise"),
    ("56", "Morbihan", "du Morbihan"),
    ("59", "Flandres", "des Flandres"),
    ("67", "Alsace", "d'Alsace"),
    ("57", "Lorraine", "de Lorraine"),
    ("51", "Champagne", "de Champagne"),
    ("25", "Doubs", "du Doubs"),
    ("21", "Bourgogne", "de Bourgogne"),
    ("37", "Touraine", "de Touraine"),
    ("14", "Normandie", "de Normandie"),
    ("76", "Seine", "de Seine"),
];

/// Keyed by region code.
const REGION_PLACES: &[Place] = &[
    ("76", "Occitanie", "d'Occitanie"),
    ("76", "Midi", "du Midi"),
    ("76", "Sud-Ouest", "du Sud-Ouest"),
    ("75", "Aquitaine", "d'Aquitaine"),
    ("75", "Sud-Ouest", "du Sud-Ouest"),
    ("11", "Île-de-France", "d'Île-de-France"),
    ("84", "Rhône-Alpes", "de Rhône-Alpes"),
    ("93", "Méditerranée", "de Méditerranée"),
    ("52", "Atlantique", "de l'Atlantique"),
    ("53", "Bretagne", "de Bretagne"),
    ("32", "Nord", "du Nord"),
    ("44", "Est", "de l'Est"),
    ("27", "Franche-Comté", "de Franche-Comté"),
    ("24", "Val de Loire", "du Val de Loire"),
    ("28", "Normandie", "de Normandie"),
];

/// Invented brand names: stars, Occitan winds, figures of flight and science.
#[rustfmt::skip]
const BRANDS: &[&str] = &[
    "Cobalt", "Altaïr", "Sirius", "Véga", "Orion", "Zénith", "Azimut", "Boréal", "Argos", "Hélios",
    "Kaléo", "Quartz", "Onyx", "Lynx", "Cassiopée", "Mistral", "Tramontane", "Autan", "Cers",
    "Albatros", "Colibri", "Pégase", "Icare", "Dédale", "Mercure", "Athéna", "Éole", "Galilée",
    "Ampère", "Volta", "Carnot", "Vauban", "Aldébaran", "Antarès", "Capella", "Céphée", "Nadir",
    "Sextant",
];

/// Family names that head family firms ("Garrigues Usinage").
#[rustfmt::skip]
const FAMILY_FIRMS: &[&str] = &[
    "Garrigues", "Cazals", "Castex", "Bousquet", "Carrère", "Fourcade", "Lafont", "Pujol", "Sabatier",
    "Delmas", "Bories", "Cabanes", "Marty", "Estève", "Teisseire", "Salvetat", "Baylac", "Soulié",
];

const STREETS: &[&str] = &[
    "rue Clément Ader",
    "avenue de l'Europe",
    "rue de l'Industrie",
    "avenue Jean Jaurès",
    "chemin des Capelles",
    "rue Ampère",
    "boulevard des Aéronautes",
    "impasse des Artisans",
    "rue Pierre-Paul Riquet",
    "avenue du Général de Gaulle",
    "rue de la Découverte",
    "rue Hermès",
    "rue des Pyrénées",
    "allée des Sciences",
    "rue Louis Blériot",
    "avenue Marcel Dassault",
    "rue des Frères Lumière",
    "chemin de la Plaine",
    "rue du Commerce",
    "parc d'activités du Canal",
];

#[rustfmt::skip]
const FEMALE_FIRST_NAMES: &[&str] = &[
    "Marie", "Camille", "Claire", "Sophie", "Julie", "Céline", "Nathalie", "Isabelle", "Émilie",
    "Laure", "Pauline", "Chloé", "Léa", "Manon", "Sarah", "Anne", "Hélène", "Élodie", "Aurélie",
    "Mathilde", "Inès", "Clémence", "Agnès", "Valérie", "Sandrine", "Audrey", "Margaux", "Lucie",
    "Juliette", "Amandine", "Nadia", "Yasmine", "Sylvie", "Christelle", "Maëlle", "Océane",
    "Anne-Sophie",
];

#[rustfmt::skip]
const MALE_FIRST_NAMES: &[&str] = &[
    "Jean", "Pierre", "Nicolas", "Thomas", "Julien", "Laurent", "Olivier", "Philippe", "Christophe",
    "Sébastien", "François", "Mathieu", "Antoine", "Guillaume", "Stéphane", "David", "Alexandre",
    "Maxime", "Romain", "Vincent", "Benoît", "Frédéric", "Jérôme", "Hugo", "Lucas", "Karim", "Mehdi",
    "Yann", "Loïc", "Cédric", "Arnaud", "Bruno", "Éric", "Jean-Marc", "Jean-Pierre", "Raphaël", "Théo",
];

#[rustfmt::skip]
const LAST_NAMES: &[&str] = &[
    "Martin", "Bernard", "Dubois", "Durand", "Lefebvre", "Moreau", "Laurent", "Simon", "Michel",
    "Garcia", "Roux", "Fournier", "Girard", "Bonnet", "Dupont", "Lambert", "Fontaine", "Rousseau",
    "Vincent", "Muller", "Faure", "André", "Mercier", "Blanc", "Guérin", "Boyer", "Garnier",
    "Chevalier", "Legrand", "Gauthier", "Perrin", "Robin", "Clément", "Morin", "Henry", "Roussel",
    "Masson", "Marchand", "Duval", "Denis", "Dumont", "Lemaire", "Noël", "Meyer", "Dufour", "Meunier",
    "Brun", "Blanchard", "Giraud", "Joly", "Rivière", "Brunet", "Gaillard", "Barbier", "Arnaud",
    "Martinez", "Gérard", "Roche", "Renard", "Schmitt", "Roy", "Leroux", "Colin", "Vidal", "Caron",
    "Picard", "Fabre", "Aubert", "Lemoine", "Renaud", "Dumas", "Lacroix", "Bourgeois", "Rey", "Leclerc",
    "Rolland", "Lecomte", "Lopez", "Dupuy", "Guillot", "Hubert", "Berger", "Carpentier", "Sanchez",
    "Dupuis", "Moulin", "Deschamps", "Huet", "Perez", "Fleury", "Klein", "Adam", "Poirier", "Marty",
    "Aubry", "Carré", "Ménard", "Maillard", "Baron", "Bertin", "Bailly", "Hervé", "Schneider",
    "Fernandez", "Le Gall", "Léger", "Bouvier", "Prévost", "Millet", "Cousin", "Germain", "Breton",
    "Besson", "Langlois", "Le Goff", "Pelletier", "Lévêque", "Leblanc", "Lebrun", "Weber", "Hamon",
    "Michaud", "Rodriguez", "Tessier", "Chauvin", "Da Silva", "Lemaître", "Maréchal", "Reynaud",
    "Cordier", "Lejeune", "Delaunay", "Laporte", "Garrigues", "Cazals", "Castex", "Bousquet", "Carrère",
    "Fourcade", "Lafont", "Pujol", "Sabatier", "Estève", "Delmas", "Bories", "Cabanes", "N'Diaye",
    "Nguyen", "Benali", "Haddad", "Ferreira", "Teixeira",
];

const SME_STAFF: &[Title] = &[
    ("Responsable commercial", "Responsable commerciale"),
    ("Ingénieur méthodes", "Ingénieure méthodes"),
    ("Responsable qualité", "Responsable qualité"),
    ("Chargé d'affaires", "Chargée d'affaires"),
    ("Directeur technique", "Directrice technique"),
    ("Responsable de production", "Responsable de production"),
    (
        "Directeur administratif et financier",
        "Directrice administrative et financière",
    ),
    ("Responsable du bureau d'études", "Responsable du bureau d'études"),
    ("Chef de projet", "Cheffe de projet"),
];

const MID_CAP_STAFF: &[Title] = &[
    ("Directeur commercial", "Directrice commerciale"),
    ("Responsable grands comptes", "Responsable grands comptes"),
    ("Directeur des opérations", "Directrice des opérations"),
    ("Responsable innovation", "Responsable innovation"),
    ("Responsable achats", "Responsable achats"),
    ("Directeur industriel", "Directrice industrielle"),
];

const BUYERS: &[Title] = &[
    ("Acheteur famille usinage", "Acheteuse famille usinage"),
    ("Acheteur famille électronique", "Acheteuse famille électronique"),
    ("Responsable achats innovation", "Responsable achats innovation"),
    ("Acheteur projets", "Acheteuse projets"),
    (
        "Acheteur composites et matériaux",
        "Acheteuse composites et matériaux",
    ),
    (
        "Acheteur prestations intellectuelles",
        "Acheteuse prestations intellectuelles",
    ),
];

const LAB_STAFF: &[Title] = &[
    ("Chercheur", "Chercheuse"),
    ("Ingénieur de recherche", "Ingénieure de recherche"),
    ("Responsable valorisation", "Responsable valorisation"),
    ("Maître de conférences", "Maîtresse de conférences"),
];

const CLUSTER_STAFF: &[Title] = &[
    ("Chargé de mission industrie", "Chargée de mission industrie"),
    ("Chargé de mission achats", "Chargée de mission achats"),
    ("Chargé de communication", "Chargée de communication"),
    ("Responsable des adhésions", "Responsable des adhésions"),
];

impl Profile {
    fn admin_title(self) -> Title {
        match self {
            Profile::Association => ("Délégué général", "Déléguée générale"),
            Profile::Lab => ("Directeur du laboratoire", "Directrice du laboratoire"),
            Profile::Large => ("Directeur des achats", "Directrice des achats"),
            Profile::MidCap => ("Directeur général", "Directrice générale"),
            Profile::Sme(LegalForm::Sas) => ("Président", "Présidente"),
            Profile::Sme(LegalForm::Sarl) => ("Gérant", "Gérante"),
            Profile::Sme(LegalForm::Sa) => ("Président-directeur général", "Présidente-directrice générale"),
        }
    }

    fn staff_titles(self) -> &'static [Title] {
        match self {
            Profile::Association => CLUSTER_STAFF,
            Profile::Lab => LAB_STAFF,
            Profile::Large => BUYERS,
            Profile::MidCap => MID_CAP_STAFF,
            Profile::Sme(_) => SME_STAFF,
        }
    }

    /// Large accounts are on the platform to buy: their staff are buyers.
    fn staff_role(self) -> Role {
        match self {
            Profile::Large => Role::Buyer,
            _ => Role::Member,
        }
    }
}

/// Builds the data set from the seed; keeps what must stay unique across it.
struct Planner {
    rng: ChaCha8Rng,
    sirens: HashSet<String>,
    /// Slugs of organisation names, which are also their e-mail domains.
    names: HashSet<String>,
    emails: HashSet<String>,
}

/// The whole demo data set, in insertion order: the cluster's association first.
fn plan() -> Vec<PlannedOrganisation> {
    let mut planner = Planner {
        rng: ChaCha8Rng::seed_from_u64(SEED),
        sirens: HashSet::new(),
        names: HashSet::new(),
        emails: HashSet::new(),
    };
    // Reserve the fixed names first so no generated SME can take one.
    for fixed in [&ASSOCIATION, &LAB, &SME]
        .into_iter()
        .chain(&LARGE_ACCOUNTS)
        .chain(&MID_CAPS)
    {
        let fresh = planner.names.insert(slug(fixed.name));
        assert!(fresh, "fixed demo organisation named twice: {}", fixed.name);
    }
    let mut plan = Vec::with_capacity(GENERATED_SMES + 20);
    plan.push(planner.fixed(&ASSOCIATION, OrgKind::Association, Profile::Association, 2));
    for large in &LARGE_ACCOUNTS {
        plan.push(planner.fixed(large, OrgKind::Company, Profile::Large, 3));
    }
    for mid_cap in &MID_CAPS {
        let people = planner.rng.random_range(2..=3);
        plan.push(planner.fixed(mid_cap, OrgKind::Company, Profile::MidCap, people));
    }
    plan.push(planner.fixed(&LAB, OrgKind::ResearchLab, Profile::Lab, 2));
    plan.push(planner.fixed(&SME, OrgKind::Company, Profile::Sme(LegalForm::Sas), 1));
    for _ in 0..GENERATED_SMES {
        plan.push(planner.sme());
    }
    for (account, (first_name, last_name, job_title)) in DEMO_ACCOUNTS.iter().zip(DEMO_ACCOUNT_PEOPLE) {
        let organisation = plan
            .iter_mut()
            .find(|o| o.fields.legal_name == account.organisation)
            .unwrap_or_else(|| panic!("demo account {} names an unknown organisation", account.email));
        let position = organisation.people.iter().take_while(|p| p.demo_account).count();
        organisation.people.insert(
            position,
            PlannedPerson {
                email: account.email.to_owned(),
                first_name: first_name.to_owned(),
                last_name: last_name.to_owned(),
                job_title: job_title.to_owned(),
                role: account.role,
                demo_account: true,
            },
        );
    }
    plan
}

impl Planner {
    fn fixed(
        &mut self,
        spec: &FixedOrganisation,
        kind: OrgKind,
        profile: Profile,
        people: usize,
    ) -> PlannedOrganisation {
        let turnover = match (kind, spec.turnover_meur) {
            (OrgKind::Company, Some(meur)) => Some(meur * 1_000_000),
            // Mid-caps: sales per head of an industrial mid-cap, 160 to 230 k€.
            (OrgKind::Company, None) if spec.headcount >= 250 => Some(round_thousands(
                u64::from(spec.headcount) * self.rng.random_range(160_000..230_000),
            )),
            (OrgKind::Company, None) => Some(round_thousands(
                u64::from(spec.headcount) * self.rng.random_range(110_000..150_000),
            )),
            _ => None,
        };
        let domain = spec.domain.map_or_else(|| slug(spec.name), str::to_owned);
        let fields = self.organisation(
            spec.name,
            spec.form,
            kind,
            spec.naf,
            spec.commune,
            spec.headcount,
            turnover,
            &domain,
        );
        // The demo SME's head is the documented `dirigeant` account, so nobody generated is admin there.
        let with_admin = spec.name != SME.name;
        let people = self.people(&domain, profile, people, with_admin);
        PlannedOrganisation { fields, people }
    }

    fn sme(&mut self) -> PlannedOrganisation {
        let commune = commune(weighted(&mut self.rng, COMMUNES));
        let activities = weighted(&mut self.rng, SECTORS);
        let activity = pick(&mut self.rng, activities);
        let name = self.sme_name(activity, commune);
        let domain = slug(&name);
        // Size classes of French SMEs: micro (< 10), small (< 50), medium (< 250).
        let headcount: u32 = match self.rng.random_range(0..100) {
            0..30 => self.rng.random_range(1..10),
            30..75 => self.rng.random_range(10..50),
            _ => self.rng.random_range(50..250),
        };
        let form = match self.rng.random_range(0..100) {
            0..60 => LegalForm::Sas,
            60..92 => LegalForm::Sarl,
            _ => LegalForm::Sa,
        };
        // 70 to 170 k€ of sales per head, at least 80 k€: keeps every SME under the 50 M€ ceiling.
        let turnover =
            round_thousands((u64::from(headcount) * self.rng.random_range(70_000..170_000)).max(80_000));
        let fields = self.organisation(
            &name,
            Some(form),
            OrgKind::Company,
            activity.naf,
            commune.code,
            headcount,
            Some(turnover),
            &domain,
        );
        let people = match headcount {
            1 => 1,
            2..10 => self.rng.random_range(1..=2),
            _ => self.rng.random_range(1..=3),
        };
        let people = self.people(&domain, Profile::Sme(form), people, true);
        PlannedOrganisation { fields, people }
    }

    /// A name like "Usinage Titane Occitanie", "Chaudronnerie du Lauragais" or "Cobalt Logiciels",
    /// unique across the data set.
    fn sme_name(&mut self, activity: &Activity, commune: &Commune) -> String {
        let places: Vec<&Place> = DEPARTMENT_PLACES
            .iter()
            .filter(|p| p.0 == commune.department_code)
            .chain(REGION_PLACES.iter().filter(|p| p.0 == commune.region_code))
            .collect();
        for _ in 0..1_000 {
            let place = *pick(&mut self.rng, &places);
            let name = match self.rng.random_range(0..100) {
                0..25 if !activity.specialties.is_empty() => {
                    let specialty = pick(&mut self.rng, activity.specialties);
                    format!("{} {specialty} {}", activity.word, place.1)
                }
                0..40 => format!("{} {}", activity.word, place.1),
                40..60 => format!("{} {}", activity.word, place.2),
                60..85 => format!("{} {}", pick(&mut self.rng, BRANDS), activity.word),
                _ => format!("{} {}", pick(&mut self.rng, FAMILY_FIRMS), activity.word),
            };
            if self.names.insert(slug(&name)) {
                return name;
            }
        }
        panic!("the demo word lists are too small for {GENERATED_SMES} distinct company names");
    }

    #[allow(clippy::too_many_arguments)]
    fn organisation(
        &mut self,
        name: &str,
        form: Option<LegalForm>,
        kind: OrgKind,
        naf: &str,
        commune_code: &str,
        headcount: u32,
        turnover_eur: Option<u64>,
        domain: &str,
    ) -> OrganisationFields {
        let commune = commune(commune_code);
        let naf = NafCode::parse(naf).unwrap_or_else(|e| panic!("demo NAF code: {e}"));
        // Public research units and associations get SIRENs from their own ranges (1…/2… and 7…/8…).
        let siren_head = match kind {
            OrgKind::ResearchLab | OrgKind::Academic | OrgKind::PublicBody => self.rng.random_range(18..20),
            OrgKind::Association => self.rng.random_range(77..90),
            OrgKind::Company => self.rng.random_range(30..99),
        };
        let siren = loop {
            let prefix = format!("{siren_head:02}{:06}", self.rng.random_range(0..1_000_000));
            let siren = format!("{prefix}{}", luhn_complete(&prefix));
            if self.sirens.insert(siren.clone()) {
                break siren;
            }
        };
        // The head office is usually one of the first establishments registered.
        let nic_prefix = format!("{siren}000{}", self.rng.random_range(1..10));
        let siret = format!("{nic_prefix}{}", luhn_complete(&nic_prefix));
        let postcode = *pick(&mut self.rng, &commune.postcodes);
        let address_line = format!(
            "{} {}",
            self.rng.random_range(1..180),
            pick(&mut self.rng, STREETS)
        );
        // Balance sheet at 40 to 90 % of turnover, a usual ratio for industry and services.
        let balance_sheet_eur =
            turnover_eur.map(|t| round_thousands(t / 100 * self.rng.random_range(40..90)));
        let size = (kind == OrgKind::Company).then(|| {
            size_category(headcount, turnover_eur, balance_sheet_eur)
                .as_str()
                .to_owned()
        });
        let legal_name = match form {
            Some(form) => format!("{name} {}", form.as_str()),
            None => name.to_owned(),
        };
        OrganisationFields {
            legal_name,
            kind: kind.as_str().to_owned(),
            siren,
            siret,
            naf_code: naf.as_str().to_owned(),
            address_line,
            postcode: postcode.to_owned(),
            commune_code: commune.code.to_owned(),
            department_code: commune.department_code.to_owned(),
            region_code: commune.region_code.to_owned(),
            headcount: i64::from(headcount),
            turnover_eur: turnover_eur.map(money),
            balance_sheet_eur: balance_sheet_eur.map(money),
            size,
            website: Some(format!("https://www.{domain}.fr")),
        }
    }

    /// `count` people of one organisation: its head first (unless `with_admin` is false), then staff
    /// with distinct job titles.
    fn people(
        &mut self,
        domain: &str,
        profile: Profile,
        count: usize,
        with_admin: bool,
    ) -> Vec<PlannedPerson> {
        let staff = profile.staff_titles();
        let first_title = self.rng.random_range(0..staff.len());
        let mut people = Vec::with_capacity(count);
        for index in 0..count {
            let female = self.rng.random_bool(0.5);
            let (title, role) = if index == 0 && with_admin {
                (profile.admin_title(), Role::OrgAdmin)
            } else {
                (staff[(first_title + index) % staff.len()], profile.staff_role())
            };
            let (first_name, last_name, email) = loop {
                let first_name = pick(
                    &mut self.rng,
                    if female {
                        FEMALE_FIRST_NAMES
                    } else {
                        MALE_FIRST_NAMES
                    },
                );
                let last_name = pick(&mut self.rng, LAST_NAMES);
                // "Arnaud Arnaud" looks like a bug, and a namesake of a demo account confuses a demo.
                let odd = slug(first_name) == slug(last_name)
                    || DEMO_ACCOUNT_PEOPLE
                        .iter()
                        .any(|(f, l, _)| f == first_name && l == last_name);
                let email = format!("{}.{}@{domain}.fr", slug(first_name), slug(last_name));
                if !odd && self.emails.insert(email.clone()) {
                    break (first_name, last_name, email);
                }
            };
            people.push(PlannedPerson {
                email,
                first_name: (*first_name).to_owned(),
                last_name: (*last_name).to_owned(),
                job_title: if female { title.1 } else { title.0 }.to_owned(),
                role,
                demo_account: false,
            });
        }
        people
    }
}

/// ASCII, lower-case, hyphenated: "Méca Précision Lauragais" → "meca-precision-lauragais".
fn slug(text: &str) -> String {
    search_key(text).replace(' ', "-")
}

fn commune(code: &str) -> &'static Commune {
    geo::commune(code).unwrap_or_else(|| panic!("demo commune {code} is not in the geography tables"))
}

fn round_thousands(euros: u64) -> u64 {
    euros / 1_000 * 1_000
}

/// Demo figures stay below a few tens of billions, far inside the column's range.
fn money(euros: u64) -> i64 {
    i64::try_from(euros).unwrap_or(i64::MAX)
}

fn pick<'a, T>(rng: &mut ChaCha8Rng, items: &'a [T]) -> &'a T {
    &items[rng.random_range(0..items.len())]
}

/// Picks from `(item, weight)` pairs, in proportion to the weights.
fn weighted<T: Copy>(rng: &mut ChaCha8Rng, items: &[(T, u32)]) -> T {
    let total: u32 = items.iter().map(|(_, weight)| weight).sum();
    let mut draw = rng.random_range(0..total);
    for &(item, weight) in items {
        if draw < weight {
            return item;
        }
        draw -= weight;
    }
    unreachable!("the draw is below the total weight")
}

#[cfg(test)]
mod tests {
    use super::*;
    use domain::org::OrgSize;
    use domain::siret::Siret;

    #[test]
    fn the_plan_depends_on_the_seed_alone() {
        assert_eq!(plan(), plan());
    }

    #[test]
    fn every_fixed_code_and_commune_exists() {
        for (code, _) in COMMUNES {
            commune(code);
        }
        for fixed in [&ASSOCIATION, &LAB, &SME]
            .into_iter()
            .chain(&LARGE_ACCOUNTS)
            .chain(&MID_CAPS)
        {
            commune(fixed.commune);
            NafCode::parse(fixed.naf).unwrap();
        }
        for (activities, _) in SECTORS {
            for activity in *activities {
                NafCode::parse(activity.naf).unwrap_or_else(|e| panic!("{}: {e}", activity.word));
            }
        }
    }

    #[test]
    fn every_commune_has_a_place_name_for_company_names() {
        for (code, _) in COMMUNES {
            let c = commune(code);
            assert!(
                DEPARTMENT_PLACES.iter().any(|p| p.0 == c.department_code)
                    || REGION_PLACES.iter().any(|p| p.0 == c.region_code),
                "{} has no place name",
                c.name
            );
        }
    }

    #[test]
    fn the_plan_has_the_documented_shape() {
        let plan = plan();
        assert_eq!(plan.len(), 300);
        let count = |size: Option<OrgSize>| {
            plan.iter()
                .filter(|o| o.fields.size.as_deref() == size.map(OrgSize::as_str))
                .count()
        };
        assert_eq!(count(Some(OrgSize::Large)), 5);
        assert_eq!(count(Some(OrgSize::MidCap)), 12);
        assert_eq!(count(Some(OrgSize::Sme)), 281);
        assert_eq!(count(None), 2);
        let home = plan.iter().filter(|o| o.fields.region_code == "76").count();
        assert!(
            home * 10 > plan.len() * 6,
            "only {home} organisations in Occitanie"
        );
        let mut sirens = HashSet::new();
        for organisation in &plan {
            let siret = Siret::parse(&organisation.fields.siret).unwrap();
            assert_eq!(siret.siren().as_str(), organisation.fields.siren);
            assert!(sirens.insert(organisation.fields.siren.clone()));
            let c = commune(&organisation.fields.commune_code);
            assert!(c.postcode_matches(&organisation.fields.postcode));
            assert!(!organisation.people.is_empty());
            let admins = organisation
                .people
                .iter()
                .filter(|p| p.role == Role::OrgAdmin)
                .count();
            assert_eq!(admins, 1, "{}", organisation.fields.legal_name);
        }
    }

    #[test]
    fn emails_are_ascii_and_unique() {
        let mut emails = HashSet::new();
        for person in plan().iter().flat_map(|o| &o.people) {
            assert!(person.email.is_ascii(), "{}", person.email);
            assert!(!person.email.contains(' '), "{}", person.email);
            assert!(emails.insert(person.email.clone()), "{}", person.email);
        }
    }

    #[test]
    fn only_demo_accounts_are_marked_as_such() {
        let demo: Vec<_> = plan()
            .into_iter()
            .flat_map(|o| o.people)
            .filter(|p| p.demo_account)
            .map(|p| (p.email, p.role))
            .collect();
        let documented: Vec<_> = DEMO_ACCOUNTS
            .iter()
            .map(|a| (a.email.to_owned(), a.role))
            .collect();
        let mut sorted = demo.clone();
        sorted.sort();
        let mut expected = documented.clone();
        expected.sort();
        assert_eq!(sorted, expected);
    }

    #[test]
    fn the_demo_event_has_the_documented_shape() {
        let (fields, slots) = crate::meetings::events::parse_event(&demo_event_input()).unwrap();
        assert_eq!((slots.len(), fields.tables_count), (16, 30));
        assert!(fields.request_deadline < slots[0].starts_at);
        let plan = plan();
        let (participants, requests) = event_plan(&plan, 16);
        assert_eq!((participants, requests.clone()), event_plan(&plan, 16));
        let (participants, _) = event_plan(&plan, 16);
        assert_eq!(participants.len(), EVENT_PARTICIPANTS);
        let email = |i: usize| {
            plan[participants[i].organisation].people[participants[i].person]
                .email
                .as_str()
        };
        let emails: HashSet<&str> = (0..participants.len()).map(email).collect();
        assert_eq!(emails.len(), participants.len(), "someone registered twice");
        for account in [BUYER_EMAIL, SME_EMAIL, SME_MEMBER_EMAIL] {
            assert!(emails.contains(account), "{account}");
        }
        assert!(!emails.contains("labo@labo-demo.fr"));
        assert_eq!(requests.len(), EVENT_REQUESTS + 2);
        let pairs: HashSet<(usize, usize)> = requests.iter().map(|r| (r.from, r.to)).collect();
        assert_eq!(pairs.len(), requests.len(), "a pair asked twice");
        assert!(requests.iter().all(|r| r.from != r.to));
        assert!(
            !pairs.contains(&(0, 1)) && !pairs.contains(&(1, 0)),
            "buyer and SME left to the demo"
        );
        let pending_to_sme = requests
            .iter()
            .filter(|r| r.to == 1 && r.status == "pending")
            .count();
        assert!(pending_to_sme >= 2);
        let accepted = requests.iter().filter(|r| r.status == "accepted").count();
        let mutual = requests
            .iter()
            .filter(|r| r.status == "accepted" && pairs.contains(&(r.to, r.from)) && r.from < r.to)
            .count();
        assert!(
            accepted >= 35 && mutual >= 5,
            "{accepted} accepted, {mutual} mutual"
        );
        let mut pending_from = vec![0; participants.len()];
        for r in requests.iter().filter(|r| r.status == "pending") {
            pending_from[r.from] += 1;
        }
        assert!(
            pending_from
                .iter()
                .all(|&n| n <= crate::meetings::DEFAULT_MAX_PENDING)
        );
    }
}
