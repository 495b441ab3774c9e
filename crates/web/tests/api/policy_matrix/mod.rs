//! The access policy as one table: every route × every role with the answer each must get.
//! One server per backend, one client per role; a failing cell names route, role, expected and got.

use crate::helpers::{self, TestApp, client};
use app::demo::{DEMO_ASSOCIATION, DEMO_LAB, DEMO_LARGE_ACCOUNT, DEMO_SME};
use app::organisations::{OrganisationInput, parse_input};
use reqwest::header::{CONTENT_TYPE, LOCATION, WWW_AUTHENTICATE};
use reqwest::{Client, Method};
use store::records::NewPerson;

/// Who knocks: a visitor and one demo login per role (the lab's member stands for a member
/// organisation that is not a company).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Who {
    Visitor,
    ClusterAdmin,
    OrgAdmin,
    Buyer,
    Evaluator,
    Mediator,
    Member,
    LabMember,
}

/// In the order of the table's columns.
const EVERYONE: [Who; 8] = [
    Who::Visitor,
    Who::ClusterAdmin,
    Who::OrgAdmin,
    Who::Buyer,
    Who::Evaluator,
    Who::Mediator,
    Who::Member,
    Who::LabMember,
];

impl Who {
    fn email(self) -> Option<&'static str> {
        match self {
            Who::Visitor => None,
            Who::ClusterAdmin => Some("animation@pole-demo.fr"),
            Who::OrgAdmin => Some("dirigeant@pme-demo.fr"),
            Who::Buyer => Some("acheteuse@grandcompte-demo.fr"),
            Who::Evaluator => Some("evaluateur@grandcompte-demo.fr"),
            Who::Mediator => Some("mediation@pole-demo.fr"),
            Who::Member => Some("membre@pme-demo.fr"),
            Who::LabMember => Some("labo@labo-demo.fr"),
        }
    }
}

/// What a cell expects.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Outcome {
    /// This status; a 303 must then lead anywhere but the sign-in page.
    Status(u16),
    /// 303 to `/login?next=…`: a visitor is asked to sign in.
    SignIn,
}

enum Body {
    None,
    Form(&'static str),
    Json(&'static str),
}

struct Row {
    method: &'static str,
    path: &'static str,
    body: Body,
    expect: [Outcome; 8],
}

macro_rules! outcome {
    (login) => {
        Outcome::SignIn
    };
    ($code:literal) => {
        Outcome::Status($code)
    };
}

macro_rules! row {
    ($method:ident $path:literal, $body:expr, [$v:tt $ca:tt $oa:tt $bu:tt $ev:tt $me:tt $mb:tt $lb:tt]) => {
        Row {
            method: stringify!($method),
            path: $path,
            body: $body,
            expect: [
                outcome!($v),
                outcome!($ca),
                outcome!($oa),
                outcome!($bu),
                outcome!($ev),
                outcome!($me),
                outcome!($mb),
                outcome!($lb),
            ],
        }
    };
}

use Body::{Form, Json, None as NoBody};

// The rows of issue 6's areas, each in its own file: `rows()` for the table and `prepare()` for
// the placeholders they add (ids of records the rows act on, created before the table runs).
mod consortia_rows;
mod export_rows;
mod pooling_rows;

/// Valid in every respect but the SIRET's check digit: an authorised caller gets 422, anyone
/// else 403, and nothing is ever written.
const ORG_FORM_BAD_SIRET: &str =
    "legal_name=Essai&kind=company&siret=73282932000075&naf_code=25.62B&commune_code=31555&headcount=10";
const ORG_JSON_BAD_SIRET: &str = r#"{"cluster_id": {cluster}, "legal_name": "Essai", "siret": "73282932000075",
    "naf_code": "25.62B", "commune_code": "31555", "headcount": 10}"#;
const ORG_JSON_BAD_SIRET_FOREIGN: &str = r#"{"cluster_id": {foreign_cluster}, "legal_name": "Essai",
    "siret": "73282932000075", "naf_code": "25.62B", "commune_code": "31555", "headcount": 10}"#;
const UPDATE_JSON_BAD_SIRET: &str = r#"{"legal_name": "Essai", "siret": "73282932000075",
    "naf_code": "25.62B", "commune_code": "31555", "headcount": 10}"#;
/// Inviting an address that already has an account: an authorised caller gets 409, nothing is sent.
const INVITE_FORM_TAKEN: &str = "email=membre%40pme-demo.fr&role=member";
const INVITE_JSON_TAKEN: &str = r#"{"email": "membre@pme-demo.fr", "role": "member"}"#;
const INVITE_JSON_CLUSTER_ROLE: &str = r#"{"email": "membre@pme-demo.fr", "role": "cluster_admin"}"#;
const INVITE_JSON_MEDIATOR: &str = r#"{"email": "membre@pme-demo.fr", "role": "mediator"}"#;
/// The lab is a member already: adding it again is a no-op (200) for the cluster admin.
/// Published with nothing said: refused (422) for those who may write the policy, 403/404 else.
const POLICY_JSON_EMPTY: &str = r#"{"buys": "", "innovation_priorities": "", "how_to_get_listed": "",
    "contacts": "", "commitments": "", "published": true}"#;
/// A decision meeting before the presentation.
const SESSION_JSON_BAD: &str = r#"{"title": "Session", "presentation_at": "2030-03-01T10:00",
    "dossiers_due_at": "2030-02-01T10:00", "decision_at": "2030-01-01T10:00"}"#;
/// A large account listing itself as its own supplier.
const LIST_ITSELF: &str = r#"{"supplier_id": {large}, "note": ""}"#;
const MEMBERSHIP_LAB: &str = r#"{"organisation_id": {lab}}"#;
const MEMBERSHIP_SME: &str = r#"{"organisation_id": {sme}}"#;
const MEMBERSHIP_MISSING: &str = r#"{"organisation_id": {missing}}"#;

/// Columns: visitor, cluster admin, org admin (of the demo SME), buyer and evaluator (of the large
/// account), mediator (of the cluster's association), member (of the demo SME), lab member.
/// `login` is a 303 to the sign-in page. Rows that change something come last.
#[rustfmt::skip]
fn table() -> Vec<Row> {
    vec![
        // Pages anyone may open.
        row!(GET    "/",                                        NoBody, [200   200 200 200 200 200 200 200]),
        row!(GET    "/login",                                   NoBody, [200   303 303 303 303 303 303 303]),
        row!(POST   "/login", Form("email=personne-{who}%40exemple.fr&password=pas-le-bon-mot&next=/"),
                                                                        [401   401 401 401 401 401 401 401]),
        row!(POST   "/lang",  Form("locale=fr&next=/members"),          [303   303 303 303 303 303 303 303]),
        row!(GET    "/password/forgot",                         NoBody, [200   200 200 200 200 200 200 200]),
        row!(POST   "/password/forgot", Form("email=personne%40exemple.fr"),
                                                                        [200   200 200 200 200 200 200 200]),
        row!(GET    "/password/reset/pas-un-jeton",             NoBody, [410   410 410 410 410 410 410 410]),
        row!(POST   "/password/reset/pas-un-jeton", Form("password=un-mot-de-passe-solide"),
                                                                        [410   410 410 410 410 410 410 410]),
        row!(GET    "/invitations/pas-un-jeton",                NoBody, [410   410 410 410 410 410 410 410]),
        row!(POST   "/invitations/pas-un-jeton", Form("first_name=A&last_name=B&password=un-mot-de-passe-solide"),
                                                                        [410   410 410 410 410 410 410 410]),
        row!(GET    "/no-such-page",                            NoBody, [404   404 404 404 404 404 404 404]),

        // The member registry: cluster staff and registry participants; evaluators and mediators
        // see only their own organisation.
        row!(GET    "/members",                                 NoBody, [login 200 200 200 404 404 200 200]),
        row!(GET    "/members?q=usinage&page=2",                NoBody, [login 200 200 200 404 404 200 200]),
        row!(GET    "/organisations/new",                       NoBody, [login 200 403 403 403 403 403 403]),
        row!(POST   "/organisations", Form(ORG_FORM_BAD_SIRET),         [login 422 403 403 403 403 403 403]),
        row!(GET    "/organisations/{sme}",                     NoBody, [login 200 200 200 404 404 200 200]),
        row!(GET    "/organisations/{other_sme}",               NoBody, [login 200 200 200 404 404 200 200]),
        row!(GET    "/organisations/{large}",                   NoBody, [login 200 200 200 200 404 200 200]),
        row!(GET    "/organisations/{assoc}",                   NoBody, [login 200 200 200 404 200 200 200]),
        row!(GET    "/organisations/{foreign_org}",             NoBody, [login 404 404 404 404 404 404 404]),
        row!(GET    "/organisations/{missing}",                 NoBody, [login 404 404 404 404 404 404 404]),
        row!(GET    "/organisations/abc",                       NoBody, [400   400 400 400 400 400 400 400]),
        row!(GET    "/organisations/{sme}/edit",                NoBody, [login 200 200 403 404 404 403 403]),
        row!(GET    "/organisations/{large}/edit",              NoBody, [login 200 403 403 403 404 403 403]),
        row!(GET    "/organisations/{foreign_org}/edit",        NoBody, [login 404 404 404 404 404 404 404]),
        row!(POST   "/organisations/{sme}", Form(ORG_FORM_BAD_SIRET),   [login 422 422 403 404 404 403 403]),
        row!(POST   "/organisations/{large}", Form(ORG_FORM_BAD_SIRET), [login 422 403 403 403 404 403 403]),
        row!(POST   "/organisations/{foreign_org}", Form(ORG_FORM_BAD_SIRET),
                                                                        [login 404 404 404 404 404 404 404]),
        row!(POST   "/organisations/{missing}", Form(ORG_FORM_BAD_SIRET),
                                                                        [login 404 404 404 404 404 404 404]),
        row!(POST   "/organisations/{sme}/invitations", Form(INVITE_FORM_TAKEN),
                                                                        [login 409 409 403 404 404 403 403]),
        row!(POST   "/organisations/{large}/invitations", Form(INVITE_FORM_TAKEN),
                                                                        [login 409 403 403 403 404 403 403]),
        row!(POST   "/organisations/{foreign_org}/invitations", Form(INVITE_FORM_TAKEN),
                                                                        [login 404 404 404 404 404 404 404]),
        row!(GET    "/account",                                 NoBody, [login 200 200 200 200 200 200 200]),
        row!(POST   "/account/password", Form("current_password=x&new_password=court"),
                                                                        [login 422 422 422 422 422 422 422]),
        row!(POST   "/account/tokens", Form("name="),                   [login 422 422 422 422 422 422 422]),

        // Business meetings: the cluster's events are for its staff and registry participants;
        // a calendar feed needs a real token, never a session.
        row!(GET    "/events",                                  NoBody, [login 200 200 200 404 404 200 200]),
        row!(GET    "/events/new",                              NoBody, [login 200 403 403 403 403 403 403]),
        row!(POST   "/events", Form("title=&first_day=x"),              [login 422 403 403 403 403 403 403]),
        row!(GET    "/events/{missing}",                        NoBody, [login 404 404 404 404 404 404 404]),
        row!(GET    "/events/{missing}/organiser",              NoBody, [login 404 404 404 404 404 404 404]),
        row!(GET    "/events/{missing}/agenda",                 NoBody, [login 404 404 404 404 404 404 404]),
        row!(GET    "/agenda/pas-un-jeton.ics",                 NoBody, [404   404 404 404 404 404 404 404]),
        row!(GET    "/api/v1/clusters/{cluster}/events",        NoBody, [401   200 200 200 404 404 200 200]),
        row!(GET    "/api/v1/clusters/{foreign_cluster}/events", NoBody, [401  404 404 404 404 404 404 404]),
        row!(POST   "/api/v1/clusters/{cluster}/events", Json(r#"{"title": "", "first_day": "x", "sessions": "", "slot_minutes": 0, "tables": 0}"#),
                                                                        [401   422 403 403 403 403 403 403]),
        row!(GET    "/api/v1/events/{missing}",                 NoBody, [401   404 404 404 404 404 404 404]),
        row!(POST   "/api/v1/events/{missing}/schedule",        NoBody, [401   404 404 404 404 404 404 404]),
        row!(POST   "/events/{missing}/requests/{missing}/cancel", Form(""),    [login 404 404 404 404 404 404 404]),
        row!(POST   "/events/{missing}/profile", Form("available=1"),   [login 404 404 404 404 404 404 404]),
        row!(POST   "/api/v1/events/{missing}/requests/{missing}/cancel", NoBody, [401 404 404 404 404 404 404 404]),
        row!(POST   "/api/v1/events/{missing}/guests", Json(r#"{"name": "", "email": "", "organisation": ""}"#),
                                                                        [401   404 404 404 404 404 404 404]),
        row!(POST   "/api/v1/events/{missing}/participants/{missing}/check-in", NoBody, [401 404 404 404 404 404 404 404]),
        row!(POST   "/api/v1/events/{missing}/meetings/{missing}/attendance", Json(r#"{"attendance": "held"}"#),
                                                                        [401   404 404 404 404 404 404 404]),
        row!(POST   "/api/v1/events/{missing}/meetings/{missing}/follow-up", Json(r#"{"follow_up": "quote"}"#),
                                                                        [401   404 404 404 404 404 404 404]),

        // The capability directory is public; members read members-only fields. A profile is
        // edited by its organisation's admins and its clusters' staff; buyer tools are per person.
        row!(GET    "/directory",                               NoBody, [200   200 200 200 200 200 200 200]),
        row!(GET    "/directory?q=usinage&f=region%3A76",       NoBody, [200   200 200 200 200 200 200 200]),
        row!(GET    "/directory?f=colour%3Ablue",               NoBody, [422   422 422 422 422 422 422 422]),
        row!(GET    "/directory/results?q=titane",              NoBody, [200   200 200 200 200 200 200 200]),
        row!(GET    "/directory/{sme}",                         NoBody, [200   200 200 200 200 200 200 200]),
        row!(GET    "/directory/{foreign_org}",                 NoBody, [200   200 200 200 200 200 200 200]),
        row!(GET    "/directory/{missing}",                     NoBody, [404   404 404 404 404 404 404 404]),
        row!(GET    "/directory/{sme}/edit",                    NoBody, [login 200 200 404 404 404 404 404]),
        row!(GET    "/directory/{foreign_org}/edit",            NoBody, [login 404 404 404 404 404 404 404]),
        row!(GET    "/directory/brochures/{missing}",           NoBody, [404   404 404 404 404 404 404 404]),
        row!(GET    "/api/v1/search?q=titane",                  NoBody, [200   200 200 200 200 200 200 200]),
        row!(GET    "/api/v1/search?f=colour%3Ablue",           NoBody, [422   422 422 422 422 422 422 422]),
        row!(GET    "/api/v1/organisations/{sme}/profile",      NoBody, [200   200 200 200 200 200 200 200]),
        row!(GET    "/api/v1/organisations/{sme}/differentiation", NoBody, [401 200 200 404 404 404 404 404]),
        row!(PUT    "/api/v1/organisations/{sme}/profile", Json(r#"{"export_markets": {"value": ["ZZ"], "visibility": "public"}}"#),
                                                                        [401   422 422 404 404 404 404 404]),
        row!(PUT    "/api/v1/organisations/{foreign_org}/profile", Json(r#"{"export_markets": {"value": ["ZZ"], "visibility": "public"}}"#),
                                                                        [401   404 404 404 404 404 404 404]),
        row!(GET    "/saved-searches",                          NoBody, [login 200 200 200 200 200 200 200]),
        row!(POST   "/saved-searches", Form("name=&query=q%3Dtitane"),  [login 422 422 422 422 422 422 422]),
        row!(GET    "/shortlists",                              NoBody, [login 200 200 200 200 200 200 200]),
        row!(GET    "/shortlists/{missing}",                    NoBody, [login 404 404 404 404 404 404 404]),
        row!(GET    "/api/v1/saved-searches",                   NoBody, [401   200 200 200 200 200 200 200]),
        row!(GET    "/api/v1/shortlists",                       NoBody, [401   200 200 200 200 200 200 200]),
        row!(GET    "/api/v1/shortlists/{missing}/export?format=csv", NoBody, [401 404 404 404 404 404 404 404]),

        // The purchasing committee: the cluster's committee (registry participants and staff)
        // reads policies, sessions and the portfolio; a policy is written by its organisation's
        // buyers and admins and the staff; a supplier list is its buyer's, read by the staff;
        // where an organisation is listed is its own people's and the staff's.
        row!(GET    "/committee-sessions",                      NoBody, [login 200 200 200 404 404 200 200]),
        row!(GET    "/purchasing-policies",                     NoBody, [login 200 200 200 404 404 200 200]),
        row!(GET    "/organisations/{large}/purchasing-policy", NoBody, [login 200 200 200 404 404 200 200]),
        row!(GET    "/organisations/{large}/purchasing-policy/edit", NoBody, [login 200 403 200 404 404 403 403]),
        row!(GET    "/clusters/{cluster}/portfolio",            NoBody, [login 200 200 200 404 404 200 200]),
        row!(GET    "/clusters/{foreign_cluster}/portfolio",    NoBody, [login 404 404 404 404 404 404 404]),
        row!(GET    "/clusters/{cluster}/qualification",        NoBody, [login 200 200 200 404 404 200 200]),
        row!(GET    "/organisations/{large}/suppliers",         NoBody, [login 200 404 200 404 404 404 404]),
        row!(GET    "/organisations/{sme}/listings",            NoBody, [login 200 200 404 404 404 200 404]),
        row!(GET    "/clusters/{cluster}/delistings",           NoBody, [login 200 404 404 404 404 404 404]),
        row!(GET    "/calls/for-you",                           NoBody, [login 200 200 200 200 200 200 200]),
        // A call that does not exist is not found by anyone: public calls are readable signed out.
        row!(GET    "/calls/{missing}/evaluation",              NoBody, [404   404 404 404 404 404 404 404]),
        row!(GET    "/calls/{missing}/marking",                 NoBody, [404   404 404 404 404 404 404 404]),
        row!(GET    "/calls/{missing}/audit",                   NoBody, [404   404 404 404 404 404 404 404]),
        row!(GET    "/calls/{missing}/dossier/decision",        NoBody, [login 404 404 404 404 404 404 404]),
        row!(GET    "/api/v1/clusters/{cluster}/calls",         NoBody, [200   200 200 200 200 200 200 200]),
        row!(GET    "/api/v1/calls-for-you",                    NoBody, [401   200 200 200 200 200 200 200]),
        row!(GET    "/api/v1/calls/{missing}/ocds",             NoBody, [404   404 404 404 404 404 404 404]),
        row!(GET    "/api/v1/calls/{missing}/audit",            NoBody, [404   404 404 404 404 404 404 404]),
        row!(GET    "/api/v1/clusters/{cluster}/purchasing-policies", NoBody, [401 200 200 200 404 404 200 200]),
        row!(GET    "/api/v1/clusters/{foreign_cluster}/purchasing-policies", NoBody,
                                                                        [401   404 404 404 404 404 404 404]),
        row!(GET    "/api/v1/organisations/{large}/purchasing-policy", NoBody, [401 200 200 200 404 404 200 200]),
        row!(PUT    "/api/v1/organisations/{large}/purchasing-policy", Json(POLICY_JSON_EMPTY),
                                                                        [401   422 403 422 403 404 403 403]),
        row!(GET    "/api/v1/clusters/{cluster}/committee-sessions", NoBody, [401 200 200 200 404 404 200 200]),
        row!(POST   "/api/v1/clusters/{cluster}/committee-sessions", Json(SESSION_JSON_BAD),
                                                                        [401   422 403 403 404 404 403 403]),
        row!(GET    "/api/v1/organisations/{large}/suppliers",  NoBody, [401   200 404 200 404 404 404 404]),
        row!(POST   "/api/v1/organisations/{large}/suppliers", Json(LIST_ITSELF),
                                                                        [401   403 404 422 404 404 404 404]),
        row!(GET    "/api/v1/organisations/{sme}/listings",     NoBody, [401   200 200 404 404 404 200 404]),
        row!(GET    "/api/v1/clusters/{cluster}/delistings",    NoBody, [401   200 404 404 404 404 404 404]),
        row!(GET    "/api/v1/clusters/{cluster}/portfolio",     NoBody, [401   200 200 200 404 404 200 200]),
        row!(GET    "/api/v1/clusters/{cluster}/portfolio/subscriptions", NoBody,
                                                                        [401   200 404 404 404 404 404 404]),
        row!(GET    "/api/v1/clusters/{cluster}/qualification/applications", NoBody,
                                                                        [401   200 200 200 404 404 200 200]),

        // Operations, documentation and assets are public.
        row!(GET    "/healthz",                                 NoBody, [200   200 200 200 200 200 200 200]),
        row!(GET    "/metrics",                                 NoBody, [200   200 200 200 200 200 200 200]),
        row!(GET    "/api/openapi.json",                        NoBody, [200   200 200 200 200 200 200 200]),
        row!(GET    "/api/docs/",                               NoBody, [200   200 200 200 200 200 200 200]),
        row!(GET    "/static/htmx.min.js",                      NoBody, [200   200 200 200 200 200 200 200]),
        row!(GET    "/static/passerelle.css",                   NoBody, [200   200 200 200 200 200 200 200]),
        row!(GET    "/static/nothing-here.js",                  NoBody, [404   404 404 404 404 404 404 404]),

        // The JSON API, over bearer tokens: 401 where the pages say "sign in".
        row!(GET    "/api/v1/me",                               NoBody, [401   200 200 200 200 200 200 200]),
        row!(GET    "/api/v1/clusters",                         NoBody, [401   200 200 200 200 200 200 200]),
        row!(GET    "/api/v1/clusters/{cluster}/members",       NoBody, [401   200 200 200 404 404 200 200]),
        row!(GET    "/api/v1/clusters/{cluster}/members?q=titane&page=1&per_page=5",
                                                                NoBody, [401   200 200 200 404 404 200 200]),
        row!(GET    "/api/v1/clusters/{foreign_cluster}/members", NoBody, [401 404 404 404 404 404 404 404]),
        row!(GET    "/api/v1/clusters/{missing}/members",       NoBody, [401   404 404 404 404 404 404 404]),
        row!(GET    "/api/v1/clusters/abc/members",             NoBody, [400   400 400 400 400 400 400 400]),
        row!(POST   "/api/v1/clusters/{cluster}/members", Json(MEMBERSHIP_LAB),
                                                                        [401   200 403 403 403 403 403 403]),
        row!(POST   "/api/v1/clusters/{cluster}/members", Json(MEMBERSHIP_MISSING),
                                                                        [401   404 403 403 403 403 403 403]),
        row!(POST   "/api/v1/clusters/{foreign_cluster}/members", Json(MEMBERSHIP_SME),
                                                                        [401   403 403 403 403 403 403 403]),
        row!(DELETE "/api/v1/clusters/{cluster}/members/{missing}", NoBody, [401 404 403 403 403 403 403 403]),
        row!(DELETE "/api/v1/clusters/{foreign_cluster}/members/{foreign_org}", NoBody,
                                                                        [401   403 403 403 403 403 403 403]),
        row!(POST   "/api/v1/organisations", Json(ORG_JSON_BAD_SIRET),  [401   422 403 403 403 403 403 403]),
        row!(POST   "/api/v1/organisations", Json(ORG_JSON_BAD_SIRET_FOREIGN),
                                                                        [401   403 403 403 403 403 403 403]),
        row!(GET    "/api/v1/organisations/{sme}",              NoBody, [401   200 200 200 404 404 200 200]),
        row!(GET    "/api/v1/organisations/{other_sme}",        NoBody, [401   200 200 200 404 404 200 200]),
        row!(GET    "/api/v1/organisations/{large}",            NoBody, [401   200 200 200 200 404 200 200]),
        row!(GET    "/api/v1/organisations/{assoc}",            NoBody, [401   200 200 200 404 200 200 200]),
        row!(GET    "/api/v1/organisations/{lab}",              NoBody, [401   200 200 200 404 404 200 200]),
        row!(GET    "/api/v1/organisations/{foreign_org}",      NoBody, [401   404 404 404 404 404 404 404]),
        row!(GET    "/api/v1/organisations/{missing}",          NoBody, [401   404 404 404 404 404 404 404]),
        row!(GET    "/api/v1/organisations/abc",                NoBody, [400   400 400 400 400 400 400 400]),
        row!(PUT    "/api/v1/organisations/{sme}", Json(UPDATE_JSON_BAD_SIRET),
                                                                        [401   422 422 403 404 404 403 403]),
        row!(PUT    "/api/v1/organisations/{large}", Json(UPDATE_JSON_BAD_SIRET),
                                                                        [401   422 403 403 403 404 403 403]),
        row!(PUT    "/api/v1/organisations/{foreign_org}", Json(UPDATE_JSON_BAD_SIRET),
                                                                        [401   404 404 404 404 404 404 404]),
        row!(PUT    "/api/v1/organisations/{missing}", Json(UPDATE_JSON_BAD_SIRET),
                                                                        [401   404 404 404 404 404 404 404]),
        // People are private to their organisation and cluster staff.
        row!(GET    "/api/v1/organisations/{sme}/people",       NoBody, [401   200 200 403 404 404 200 403]),
        row!(GET    "/api/v1/organisations/{other_sme}/people", NoBody, [401   200 403 403 404 404 403 403]),
        row!(GET    "/api/v1/organisations/{large}/people",     NoBody, [401   200 403 200 200 404 403 403]),
        row!(GET    "/api/v1/organisations/{foreign_org}/people", NoBody, [401 404 404 404 404 404 404 404]),
        row!(GET    "/api/v1/organisations/{missing}/people",   NoBody, [401   404 404 404 404 404 404 404]),
        row!(GET    "/api/v1/people/{sme_person}",              NoBody, [401   200 200 404 404 404 200 404]),
        row!(GET    "/api/v1/people/{other_person}",            NoBody, [401   200 404 404 404 404 404 404]),
        row!(GET    "/api/v1/people/{large_person}",            NoBody, [401   200 404 200 200 404 404 404]),
        row!(GET    "/api/v1/people/{foreign_person}",          NoBody, [401   404 404 404 404 404 404 404]),
        row!(GET    "/api/v1/people/{missing}",                 NoBody, [401   404 404 404 404 404 404 404]),
        row!(GET    "/api/v1/people/abc",                       NoBody, [400   400 400 400 400 400 400 400]),
        row!(POST   "/api/v1/organisations/{sme}/invitations", Json(INVITE_JSON_TAKEN),
                                                                        [401   409 409 403 404 404 403 403]),
        row!(POST   "/api/v1/organisations/{sme}/invitations", Json(INVITE_JSON_CLUSTER_ROLE),
                                                                        [401   409 403 403 404 404 403 403]),
        row!(POST   "/api/v1/organisations/{sme}/invitations", Json(INVITE_JSON_MEDIATOR),
                                                                        [401   409 403 403 404 404 403 403]),
        row!(POST   "/api/v1/organisations/{large}/invitations", Json(INVITE_JSON_TAKEN),
                                                                        [401   409 403 403 403 404 403 403]),
        row!(POST   "/api/v1/organisations/{foreign_org}/invitations", Json(INVITE_JSON_TAKEN),
                                                                        [401   404 404 404 404 404 404 404]),
        row!(POST   "/api/v1/organisations/{missing}/invitations", Json(INVITE_JSON_TAKEN),
                                                                        [401   404 404 404 404 404 404 404]),
        row!(GET    "/api/v1/no-such-route",                    NoBody, [404   404 404 404 404 404 404 404]),
        row!(GET    "/api/v2/members",                          NoBody, [404   404 404 404 404 404 404 404]),

    ]
}

/// Last, the rows that change state: the buyer's spare token may be revoked by the buyer alone,
/// then everyone signs out.
#[rustfmt::skip]
fn closing_rows() -> Vec<Row> {
    vec![
        row!(POST   "/account/tokens/{buyer_token}/revoke",     NoBody, [login 404 404 200 404 404 404 404]),
        row!(POST   "/logout",                                  NoBody, [303   303 303 303 303 303 303 303]),
    ]
}

/// Every row, the areas' between the foundation's and the closing ones.
fn all_rows() -> Vec<Row> {
    let mut rows = table();
    rows.extend(pooling_rows::rows());
    rows.extend(consortia_rows::rows());
    rows.extend(export_rows::rows());
    rows.extend(closing_rows());
    rows
}

/// Demo ids the table's placeholders stand for, plus a second cluster nobody of the demo belongs to.
pub struct Fixture {
    pub cluster: i64,
    pub foreign_cluster: i64,
    pub sme: i64,
    pub other_sme: i64,
    pub other_person_email: String,
    pub large: i64,
    pub assoc: i64,
    pub lab: i64,
    pub foreign_org: i64,
    pub missing: i64,
    pub sme_person: i64,
    pub other_person: i64,
    pub large_person: i64,
    pub foreign_person: i64,
    pub buyer_token: i64,
    /// Placeholders the areas' rows add, e.g. `("{open_pool}", 12)`.
    pub extra: Vec<(&'static str, i64)>,
}

pub const FOREIGN_ORG_NAME: &str = "Forge Secrète du Nord SAS";

/// A Luhn-valid SIRET no demo organisation holds (the demo's are drawn from another range).
pub fn fresh_siret(n: u32) -> String {
    use domain::siret::luhn_complete;
    let siren8 = format!("{:08}", 41_000_000 + n);
    let prefix = format!("{siren8}{}0001", luhn_complete(&siren8));
    format!("{prefix}{}", luhn_complete(&prefix))
}

impl Fixture {
    pub async fn prepare(app: &TestApp) -> Fixture {
        let store = &app.db.store;
        let mut conn = store.conn().await.unwrap();
        let foreign_cluster = store::clusters::insert(&mut conn, "Pôle Voisin", "pole-voisin")
            .await
            .unwrap();
        let fields = parse_input(&OrganisationInput {
            legal_name: FOREIGN_ORG_NAME.into(),
            siret: fresh_siret(999),
            naf_code: "25.62B".into(),
            commune_code: "59350".into(),
            headcount: 12,
            ..Default::default()
        })
        .unwrap();
        let foreign_org = store::organisations::insert(&mut conn, &fields).await.unwrap();
        store::clusters::add_member(&mut conn, foreign_cluster, foreign_org)
            .await
            .unwrap();
        let foreign_person = store::people::insert(
            &mut conn,
            &NewPerson {
                organisation_id: foreign_org,
                email: "secret@forge-nord.fr".into(),
                first_name: "Gaspard".into(),
                last_name: "Secret".into(),
                job_title: None,
                locale: "fr".into(),
                password_hash: None,
            },
        )
        .await
        .unwrap();

        let sme = app.organisation_id(DEMO_SME).await;
        let members = store::organisations::list_members(&mut conn, app.cluster_id, "", 0, 1000)
            .await
            .unwrap();
        let other = members
            .items
            .iter()
            .find(|o| o.id != sme && o.size.as_deref() == Some("sme"))
            .expect("the demo has other SMEs");
        let other_person = store::people::of_organisation(&mut conn, other.id)
            .await
            .unwrap()
            .into_iter()
            .next()
            .expect("every demo SME has people");
        let person_id = |email: &'static str| {
            let store = store.clone();
            async move {
                store::people::by_email(&mut store.conn().await.unwrap(), email)
                    .await
                    .unwrap()
                    .unwrap()
                    .id
            }
        };
        let buyer = person_id("acheteuse@grandcompte-demo.fr").await;
        let buyer_principal = app::actor::load_principal(&mut conn, buyer)
            .await
            .unwrap()
            .unwrap();
        let (buyer_token, _) = app
            .app
            .create_api_token(&app::Actor::Person(buyer_principal), "spare")
            .await
            .unwrap();
        Fixture {
            cluster: app.cluster_id,
            foreign_cluster,
            sme,
            other_sme: other.id,
            other_person_email: other_person.email,
            large: app.organisation_id(DEMO_LARGE_ACCOUNT).await,
            assoc: app.organisation_id(DEMO_ASSOCIATION).await,
            lab: app.organisation_id(DEMO_LAB).await,
            foreign_org,
            missing: 999_999,
            sme_person: person_id("membre@pme-demo.fr").await,
            other_person: other_person.id,
            large_person: buyer,
            foreign_person,
            buyer_token,
            extra: Vec::new(),
        }
    }

    fn resolve(&self, text: &str) -> String {
        [
            ("{cluster}", self.cluster),
            ("{foreign_cluster}", self.foreign_cluster),
            ("{sme}", self.sme),
            ("{other_sme}", self.other_sme),
            ("{large}", self.large),
            ("{assoc}", self.assoc),
            ("{lab}", self.lab),
            ("{foreign_org}", self.foreign_org),
            ("{missing}", self.missing),
            ("{sme_person}", self.sme_person),
            ("{other_person}", self.other_person),
            ("{large_person}", self.large_person),
            ("{foreign_person}", self.foreign_person),
            ("{buyer_token}", self.buyer_token),
        ]
        .into_iter()
        .chain(self.extra.iter().copied())
        .fold(text.to_owned(), |acc, (placeholder, id)| {
            acc.replace(placeholder, &id.to_string())
        })
    }
}

/// A role's way in: a browser session for pages, a bearer token for the API.
struct Caller {
    who: Who,
    client: Client,
    csrf: String,
    token: Option<String>,
}

impl Caller {
    async fn of(app: &TestApp, who: Who) -> Caller {
        match who.email() {
            None => {
                let client = client();
                let csrf = app.csrf(&client).await;
                Caller {
                    who,
                    client,
                    csrf,
                    token: None,
                }
            }
            Some(email) => {
                let session = app.signed_in(email).await;
                Caller {
                    who,
                    client: session.client,
                    csrf: session.csrf,
                    token: Some(app.token_for(email).await),
                }
            }
        }
    }
}

struct Answer {
    status: u16,
    location: String,
    content_type: String,
    www_authenticate: Option<String>,
}

fn header(response: &reqwest::Response, name: reqwest::header::HeaderName) -> Option<String> {
    response
        .headers()
        .get(name)
        .and_then(|v| v.to_str().ok())
        .map(str::to_owned)
}

async fn send(
    app: &TestApp,
    caller: &Caller,
    method: &str,
    path: &str,
    body: &Body,
    fixture: &Fixture,
) -> Answer {
    // Sign-in attempts are throttled per address: each caller fails with an address of its own.
    let resolve = |text: &str| {
        fixture
            .resolve(text)
            .replace("{who}", &format!("{:?}", caller.who).to_lowercase())
    };
    let method = Method::from_bytes(method.as_bytes()).unwrap();
    let is_api = path.starts_with("/api/");
    let mut request = caller.client.request(method.clone(), app.url(path));
    if is_api && let Some(token) = &caller.token {
        request = request.bearer_auth(token);
    }
    request = match body {
        Body::Json(json) => request
            .header(CONTENT_TYPE, "application/json")
            .body(resolve(json)),
        Body::Form(form) => request
            .header(CONTENT_TYPE, "application/x-www-form-urlencoded")
            .body(format!("{}&csrf_token={}", resolve(form), caller.csrf)),
        Body::None if method == Method::POST && !is_api => request
            .header(CONTENT_TYPE, "application/x-www-form-urlencoded")
            .body(format!("csrf_token={}", caller.csrf)),
        Body::None => request,
    };
    let response = request.send().await.expect("the server answers");
    Answer {
        status: response.status().as_u16(),
        location: header(&response, LOCATION).unwrap_or_default(),
        content_type: header(&response, CONTENT_TYPE).unwrap_or_default(),
        www_authenticate: header(&response, WWW_AUTHENTICATE),
    }
}

/// Why a cell's answer is wrong, if it is.
fn judge(expected: Outcome, got: &Answer, path: &str) -> Option<String> {
    let status_ok = match expected {
        Outcome::SignIn => got.status == 303 && got.location.starts_with("/login?next="),
        Outcome::Status(303) => got.status == 303 && !got.location.starts_with("/login"),
        Outcome::Status(code) => got.status == code,
    };
    if !status_ok {
        return Some(format!("got {} {}", got.status, got.location));
    }
    if path.starts_with("/api/v1") && got.status >= 400 && got.content_type != "application/problem+json" {
        return Some(format!(
            "got {} as '{}', not problem+json",
            got.status, got.content_type
        ));
    }
    if path.starts_with("/api/v1") && got.status == 401 && got.www_authenticate.as_deref() != Some("Bearer") {
        return Some(format!(
            "got 401 with WWW-Authenticate {:?}",
            got.www_authenticate
        ));
    }
    let is_page = !path.starts_with("/api/") && !path.starts_with("/static/") && path != "/no-such-page";
    if is_page
        && [401, 403, 404, 409, 410, 422, 429].contains(&got.status)
        && !got.content_type.starts_with("text/html")
    {
        return Some(format!(
            "got {} as '{}', not an HTML page",
            got.status, got.content_type
        ));
    }
    None
}

fn describe(outcome: Outcome) -> String {
    match outcome {
        Outcome::SignIn => "303 to /login".into(),
        Outcome::Status(code) => code.to_string(),
    }
}

async fn every_route_answers_every_role_as_the_policy_says(app: TestApp) {
    let mut fixture = Fixture::prepare(&app).await;
    let mut extra = pooling_rows::prepare(&app, &fixture).await;
    extra.extend(consortia_rows::prepare(&app, &fixture).await);
    extra.extend(export_rows::prepare(&app, &fixture).await);
    fixture.extra = extra;
    let mut callers = Vec::new();
    for who in EVERYONE {
        callers.push(Caller::of(&app, who).await);
    }
    let rows = all_rows();
    let mut failures = Vec::new();
    for row in &rows {
        let path = fixture.resolve(row.path);
        for (caller, expected) in callers.iter().zip(row.expect) {
            let got = send(&app, caller, row.method, &path, &row.body, &fixture).await;
            if let Some(why) = judge(expected, &got, &path) {
                failures.push(format!(
                    "{} {} as {:?}: expected {}, {why}",
                    row.method,
                    row.path,
                    caller.who,
                    describe(expected)
                ));
            }
        }
    }
    assert!(
        failures.is_empty(),
        "{} of {} cells break the policy:\n{}",
        failures.len(),
        rows.len() * EVERYONE.len(),
        failures.join("\n")
    );
}

#[tokio::test]
async fn every_route_answers_every_role_as_the_policy_says_on_sqlite() {
    every_route_answers_every_role_as_the_policy_says(TestApp::spawn().await).await;
}

#[tokio::test]
async fn every_route_answers_every_role_as_the_policy_says_on_postgres() {
    helpers::on_postgres(
        "every_route_answers_every_role_as_the_policy_says",
        every_route_answers_every_role_as_the_policy_says,
    )
    .await;
}

/// An organisation profile page is public to the registry, its people are not.
#[tokio::test]
async fn people_of_an_organisation_show_only_to_its_own_people_and_cluster_staff() {
    let app = TestApp::spawn().await;
    let fixture = Fixture::prepare(&app).await;
    let colleague = "mailto:membre@pme-demo.fr";
    let stranger = format!("mailto:{}", fixture.other_person_email);
    // (who, sees the demo SME's people, sees another SME's people)
    let expectations = [
        (Who::ClusterAdmin, true, true),
        (Who::OrgAdmin, true, false),
        (Who::Member, true, false),
        (Who::Buyer, false, false),
        (Who::LabMember, false, false),
    ];
    for (who, sees_own, sees_other) in expectations {
        let caller = Caller::of(&app, who).await;
        for (org, marker, expected) in [
            (fixture.sme, colleague, sees_own),
            (fixture.other_sme, stranger.as_str(), sees_other),
        ] {
            let response = caller
                .client
                .get(app.url(&format!("/organisations/{org}")))
                .send()
                .await
                .unwrap();
            assert_eq!(response.status(), 200, "{who:?} opens organisation {org}");
            let html = response.text().await.unwrap();
            assert_eq!(
                html.contains(marker),
                expected,
                "{who:?} on organisation {org}: people shown should be {expected}"
            );
        }
    }
}

/// Evaluators and mediators work on what they are assigned, not on the directory: no member
/// list in their navigation, none over the API.
#[tokio::test]
async fn evaluator_and_mediator_are_not_offered_the_member_list() {
    let app = TestApp::spawn().await;
    for (who, offered) in [
        (Who::Evaluator, false),
        (Who::Mediator, false),
        (Who::Buyer, true),
        (Who::LabMember, true),
    ] {
        let caller = Caller::of(&app, who).await;
        let html = caller
            .client
            .get(app.url("/"))
            .send()
            .await
            .unwrap()
            .text()
            .await
            .unwrap();
        assert_eq!(
            html.contains("href=\"/members\""),
            offered,
            "{who:?}'s navigation"
        );
        let clusters: serde_json::Value = caller
            .client
            .get(app.url("/api/v1/clusters"))
            .bearer_auth(caller.token.as_ref().unwrap())
            .send()
            .await
            .unwrap()
            .json()
            .await
            .unwrap();
        let ids: Vec<i64> = clusters
            .as_array()
            .unwrap()
            .iter()
            .map(|c| c["id"].as_i64().unwrap())
            .collect();
        let expected = if offered { vec![app.cluster_id] } else { vec![] };
        assert_eq!(ids, expected, "clusters {who:?} may browse");
    }
}

/// Another cluster hosted on the same instance stays invisible to every demo login: not listed,
/// not found by search, not readable by id.
#[tokio::test]
async fn nothing_of_another_cluster_leaks_to_any_demo_role() {
    let app = TestApp::spawn().await;
    let fixture = Fixture::prepare(&app).await;
    for who in EVERYONE.into_iter().filter(|w| *w != Who::Visitor) {
        let caller = Caller::of(&app, who).await;
        let token = caller.token.as_deref().unwrap();
        let api = |path: String| caller.client.get(app.url(&path)).bearer_auth(token).send();

        let clusters = api("/api/v1/clusters".into())
            .await
            .unwrap()
            .text()
            .await
            .unwrap();
        assert!(
            !clusters.contains("pole-voisin"),
            "{who:?} sees the other cluster: {clusters}"
        );
        for path in [
            format!("/api/v1/clusters/{}/members", fixture.foreign_cluster),
            format!("/api/v1/organisations/{}", fixture.foreign_org),
            format!("/api/v1/organisations/{}/people", fixture.foreign_org),
            format!("/api/v1/people/{}", fixture.foreign_person),
        ] {
            let response = api(path.clone()).await.unwrap();
            assert_eq!(response.status(), 404, "{who:?} GET {path}");
            let body = response.text().await.unwrap();
            assert!(
                !body.contains("Forge") && !body.contains("secret@"),
                "{who:?} GET {path}: {body}"
            );
        }
        let search = api(format!(
            "/api/v1/clusters/{}/members?q=forge%20secrete",
            fixture.cluster
        ))
        .await
        .unwrap();
        if search.status() == 200 {
            let page: serde_json::Value = search.json().await.unwrap();
            assert_eq!(
                page["total"], 0,
                "{who:?} finds the other cluster's member by name"
            );
        }
        let page = caller
            .client
            .get(app.url(&format!("/organisations/{}", fixture.foreign_org)))
            .send()
            .await
            .unwrap();
        assert_eq!(
            page.status(),
            404,
            "{who:?} opens the other cluster's organisation page"
        );
        assert!(!page.text().await.unwrap().contains("Forge Secrète"));
    }
}

/// Cluster staff run their own registry: an organisation of another cluster, which they cannot
/// even see, must not be pulled into theirs by id (which would then open its page and people).
#[tokio::test]
async fn cluster_admin_cannot_annex_an_organisation_of_another_cluster() {
    let app = TestApp::spawn().await;
    let fixture = Fixture::prepare(&app).await;
    let token = app.token_for("animation@pole-demo.fr").await;
    let response = client()
        .post(app.url(&format!("/api/v1/clusters/{}/members", fixture.cluster)))
        .bearer_auth(&token)
        .json(&serde_json::json!({ "organisation_id": fixture.foreign_org }))
        .send()
        .await
        .unwrap();
    let status = response.status();
    let mut conn = app.db.store.conn().await.unwrap();
    let clusters = store::clusters::of_organisation(&mut conn, fixture.foreign_org)
        .await
        .unwrap();
    assert_eq!(
        clusters,
        vec![fixture.foreign_cluster],
        "the other cluster's organisation was added to the demo cluster (answer {status})"
    );
    assert_eq!(status, 404, "an organisation the admin cannot see is 'not found'");
    let people = client()
        .get(app.url(&format!("/api/v1/organisations/{}/people", fixture.foreign_org)))
        .bearer_auth(&token)
        .send()
        .await
        .unwrap();
    assert_eq!(people.status(), 404);
}
