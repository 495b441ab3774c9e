//! The JSON API under `/api/v1` as a program uses it: bearer tokens, JSON in and out, and every
//! refusal an RFC 9457 problem document; plus the OpenAPI document, `/healthz` and `/metrics`.

use crate::api_client::{self, error_fields, json_of};
use crate::helpers::{self, TestApp, client};
use crate::pages::{link, mails_to};
use crate::policy_matrix::fresh_siret;
use app::demo::{DEMO_LARGE_ACCOUNT, DEMO_SME};
use reqwest::header::CONTENT_TYPE;
use reqwest::{RequestBuilder, Response};
use serde_json::{Value, json};
use std::collections::BTreeSet;

const ADMIN: &str = "animation@pole-demo.fr";
const ORG_ADMIN: &str = "dirigeant@pme-demo.fr";
const BUYER: &str = "acheteuse@grandcompte-demo.fr";
const MEMBER: &str = "membre@pme-demo.fr";

/// A program holding one person's token.
struct Api<'a> {
    app: &'a TestApp,
    token: String,
}

impl<'a> Api<'a> {
    async fn as_person(app: &'a TestApp, email: &str) -> Api<'a> {
        Api {
            app,
            token: app.token_for(email).await,
        }
    }

    fn request(&self, method: reqwest::Method, path: &str) -> RequestBuilder {
        client()
            .request(method, self.app.url(path))
            .bearer_auth(&self.token)
    }

    async fn get(&self, path: &str) -> Response {
        self.request(reqwest::Method::GET, path).send().await.unwrap()
    }

    async fn send_json(&self, method: reqwest::Method, path: &str, body: &Value) -> Response {
        self.request(method, path).json(body).send().await.unwrap()
    }

    async fn raw(
        &self,
        method: reqwest::Method,
        path: &str,
        content_type: Option<&str>,
        body: &str,
    ) -> Response {
        let mut request = self.request(method, path).body(body.to_owned());
        if let Some(content_type) = content_type {
            request = request.header(CONTENT_TYPE, content_type);
        }
        request.send().await.unwrap()
    }
}

/// Checks a refusal is a well-formed problem document with this status (one that also repeats
/// the status and has a title), and returns it.
async fn problem(response: Response, status: u16) -> Value {
    let body = api_client::problem(response, status).await;
    assert_eq!(body["status"], status, "{body}");
    assert!(body["title"].as_str().is_some_and(|t| !t.is_empty()), "{body}");
    body
}

/// What refused writes must leave exactly as it was.
#[derive(Debug, PartialEq, Eq)]
struct Census {
    organisations: i64,
    people: i64,
    members: i64,
    mails: usize,
}

async fn census(app: &TestApp) -> Census {
    let mut conn = app.db.store.conn().await.unwrap();
    Census {
        organisations: store::organisations::count(&mut conn).await.unwrap(),
        people: store::people::count(&mut conn).await.unwrap(),
        members: store::clusters::count_members(&mut conn, app.cluster_id)
            .await
            .unwrap(),
        mails: app.mails().len(),
    }
}

fn new_organisation(cluster_id: i64, siret: &str) -> Value {
    json!({
        "cluster_id": cluster_id,
        "legal_name": "Capteurs Garonne SAS",
        "kind": "company",
        "siret": siret,
        "naf_code": "2651B",
        "address_line": "4 quai de la Daurade",
        "postcode": "31000",
        "commune_code": "31555",
        "headcount": 23,
        "turnover_eur": 3_100_000,
        "website": "https://capteurs-garonne.example"
    })
}

fn with(mut body: Value, field: &str, value: Value) -> Value {
    body[field] = value;
    body
}

fn without(mut body: Value, field: &str) -> Value {
    body.as_object_mut().unwrap().remove(field);
    body
}

// ---------------------------------------------------------------------------------------------
// Reading

#[tokio::test]
async fn me_tells_a_program_whose_token_it_holds() {
    let app = TestApp::spawn().await;
    let sme = app.organisation_id(DEMO_SME).await;
    let me = json_of(Api::as_person(&app, ORG_ADMIN).await.get("/api/v1/me").await, 200).await;
    assert_eq!(me["email"], ORG_ADMIN);
    assert_eq!(me["first_name"], "Laurent");
    assert_eq!(me["last_name"], "Fabre");
    assert_eq!(me["organisation_id"], sme);
    assert_eq!(me["clusters"], json!([app.cluster_id]));
    assert_eq!(me["roles"], json!(["org_admin"]));
    let admin = json_of(Api::as_person(&app, ADMIN).await.get("/api/v1/me").await, 200).await;
    assert_eq!(admin["roles"], json!(["cluster_admin"]));
}

#[tokio::test]
async fn clusters_lists_the_cluster_a_participant_may_browse() {
    let app = TestApp::spawn().await;
    let clusters = json_of(
        Api::as_person(&app, BUYER).await.get("/api/v1/clusters").await,
        200,
    )
    .await;
    assert_eq!(
        clusters,
        json!([{ "id": app.cluster_id, "name": "Pôle Passerelle Démo", "slug": "pole-demo" }])
    );
}

#[tokio::test]
async fn members_listing_searches_by_name_and_paginates() {
    let app = TestApp::spawn().await;
    let api = Api::as_person(&app, BUYER).await;
    let members = census(&app).await.members;
    let base = format!("/api/v1/clusters/{}/members", app.cluster_id);

    let first = json_of(api.get(&base).await, 200).await;
    assert_eq!(first["total"], members);
    assert_eq!(
        (first["page"].clone(), first["per_page"].clone()),
        (json!(1), json!(25))
    );
    assert_eq!(first["items"].as_array().unwrap().len(), 25);

    let found = json_of(api.get(&format!("{base}?q=usinage")).await, 200).await;
    let sme = found["items"]
        .as_array()
        .unwrap()
        .iter()
        .find(|o| o["legal_name"] == DEMO_SME)
        .expect("the demo SME is found");
    assert_eq!(sme["naf_code"], "25.62B");
    assert_eq!(sme["commune_name"], "Toulouse");
    assert_eq!(sme["size"], "sme");
    assert!(sme["naf_label"].as_str().is_some_and(|l| !l.is_empty()));
    assert!(sme.get("name_key").is_none(), "internal columns stay internal");

    for query in [
        "aerostructures%20groupe%20demo",
        "A%C3%89ROSTRUCTURES%20GROUPE%20D%C3%89MO",
        "a%C3%A9rostructures%20%20groupe%20-%20d%C3%A9mo",
    ] {
        let page = json_of(api.get(&format!("{base}?q={query}")).await, 200).await;
        assert_eq!(page["total"], 1, "query {query}");
        assert_eq!(page["items"][0]["legal_name"], DEMO_LARGE_ACCOUNT);
    }

    let ids = |page: &Value| -> Vec<i64> {
        page["items"]
            .as_array()
            .unwrap()
            .iter()
            .map(|o| o["id"].as_i64().unwrap())
            .collect()
    };
    let p1 = json_of(api.get(&format!("{base}?per_page=10&page=1")).await, 200).await;
    let p2 = json_of(api.get(&format!("{base}?per_page=10&page=2")).await, 200).await;
    assert_eq!(
        (p2["page"].clone(), p2["per_page"].clone()),
        (json!(2), json!(10))
    );
    assert_eq!(ids(&p2).len(), 10);
    assert!(ids(&p2).iter().all(|id| !ids(&p1).contains(id)));
    assert_eq!(ids(&p1), ids(&first)[..10], "same order whatever the page size");

    let capped = json_of(api.get(&format!("{base}?per_page=1000")).await, 200).await;
    assert_eq!(capped["per_page"], 100);
    assert_eq!(ids(&capped).len(), 100);
    let at_least_one = json_of(api.get(&format!("{base}?per_page=0&page=-3")).await, 200).await;
    assert_eq!(
        (at_least_one["page"].clone(), at_least_one["per_page"].clone()),
        (json!(1), json!(1))
    );
    let beyond = json_of(api.get(&format!("{base}?page=1000")).await, 200).await;
    assert_eq!(beyond["items"], json!([]));
    assert_eq!(beyond["total"], members);

    problem(api.get(&format!("{base}?page=abc")).await, 400).await;
    let too_long = problem(api.get(&format!("{base}?q={}", "a".repeat(201))).await, 422).await;
    assert_eq!(error_fields(&too_long), ["q"]);
    let far = api.get(&format!("{base}?page=9223372036854775807")).await;
    assert!(
        far.status().is_success(),
        "a huge page number is an empty page, not a {}",
        far.status()
    );
}

#[tokio::test]
async fn people_of_an_organisation_are_listed_for_its_own_people_and_cluster_staff() {
    let app = TestApp::spawn().await;
    let sme = app.organisation_id(DEMO_SME).await;
    let member = Api::as_person(&app, MEMBER).await;
    let people = json_of(
        member.get(&format!("/api/v1/organisations/{sme}/people")).await,
        200,
    )
    .await;
    let people_list = people.as_array().unwrap();
    let emails: Vec<&str> = people_list.iter().map(|p| p["email"].as_str().unwrap()).collect();
    assert!(
        emails.contains(&ORG_ADMIN) && emails.contains(&MEMBER),
        "{emails:?}"
    );
    assert!(people_list.iter().all(|p| p["organisation_id"] == sme));
    let names: Vec<(String, String)> = people_list
        .iter()
        .map(|p| (p["last_name"].to_string(), p["first_name"].to_string()))
        .collect();
    assert!(names.is_sorted(), "by last name, then first name: {names:?}");
    let keys: BTreeSet<&str> = people[0]
        .as_object()
        .unwrap()
        .keys()
        .map(String::as_str)
        .collect();
    assert_eq!(
        keys,
        BTreeSet::from([
            "id",
            "organisation_id",
            "email",
            "first_name",
            "last_name",
            "job_title"
        ]),
        "no password hash, no internal column"
    );
    let boss = people_list.iter().find(|p| p["email"] == ORG_ADMIN).unwrap();
    let boss_id = boss["id"].as_i64().unwrap();
    let one = json_of(member.get(&format!("/api/v1/people/{boss_id}")).await, 200).await;
    assert_eq!(&one, boss);

    let buyer = Api::as_person(&app, BUYER).await;
    problem(
        buyer.get(&format!("/api/v1/organisations/{sme}/people")).await,
        403,
    )
    .await;
    problem(buyer.get(&format!("/api/v1/people/{boss_id}")).await, 404).await;
    let admin = Api::as_person(&app, ADMIN).await;
    let staff_view = json_of(
        admin.get(&format!("/api/v1/organisations/{sme}/people")).await,
        200,
    )
    .await;
    assert_eq!(staff_view, people);
}

#[tokio::test]
async fn ids_in_paths_and_unknown_routes_answer_with_problem_documents() {
    let app = TestApp::spawn().await;
    let api = Api::as_person(&app, ADMIN).await;
    for (path, status) in [
        ("/api/v1/organisations/abc", 400),
        ("/api/v1/organisations/1.5", 400),
        ("/api/v1/organisations/99999999999999999999", 400),
        ("/api/v1/people/-", 400),
        ("/api/v1/clusters/x/members", 400),
        ("/api/v1/organisations/999999", 404),
        ("/api/v1/people/999999", 404),
        ("/api/v1/clusters/999999/members", 404),
        ("/api/v1/nothing-here", 404),
        ("/api/v1/organisations/1/nothing", 404),
        ("/api/nothing", 404),
    ] {
        problem(api.get(path).await, status).await;
    }
    let wrong_method = api.raw(reqwest::Method::DELETE, "/api/v1/me", None, "").await;
    assert_eq!(wrong_method.status(), 405);
}

// ---------------------------------------------------------------------------------------------
// Writing organisations

async fn cluster_admin_registers_an_organisation(app: TestApp) {
    let api = Api::as_person(&app, ADMIN).await;
    let before = census(&app).await;
    let siret = fresh_siret(2);
    let spaced = format!(
        "{} {} {} {}",
        &siret[..3],
        &siret[3..6],
        &siret[6..9],
        &siret[9..]
    );
    let response = api
        .send_json(
            reqwest::Method::POST,
            "/api/v1/organisations",
            &new_organisation(app.cluster_id, &spaced),
        )
        .await;
    let created = json_of(response, 201).await;
    assert_eq!(created["legal_name"], "Capteurs Garonne SAS");
    assert_eq!(created["siret"], siret, "stored without spaces");
    assert_eq!(created["siren"], &siret[..9]);
    assert_eq!(created["naf_code"], "26.51B", "stored in the official form");
    assert_eq!(created["department_code"], "31");
    assert_eq!(created["region_code"], "76");
    assert_eq!(created["size"], "sme");
    assert_eq!(created["kind"], "company");
    let id = created["id"].as_i64().unwrap();

    assert_eq!(
        census(&app).await,
        Census {
            organisations: before.organisations + 1,
            members: before.members + 1,
            ..before
        }
    );
    let read = json_of(api.get(&format!("/api/v1/organisations/{id}")).await, 200).await;
    assert_eq!(read, created);
    // Other participants of the cluster find it in the directory at once.
    let buyer = Api::as_person(&app, BUYER).await;
    let found = json_of(
        buyer
            .get(&format!(
                "/api/v1/clusters/{}/members?q=capteurs%20garonne",
                app.cluster_id
            ))
            .await,
        200,
    )
    .await;
    assert_eq!(found["total"], 1);
    assert_eq!(found["items"][0]["id"], id);
    let mut conn = app.db.store.conn().await.unwrap();
    let audit = store::audit::of_entity(&mut conn, "organisation", id)
        .await
        .unwrap();
    assert_eq!(audit.len(), 1);
    assert_eq!(audit[0].action, "create");
}

#[tokio::test]
async fn cluster_admin_registers_an_organisation_on_sqlite() {
    cluster_admin_registers_an_organisation(TestApp::spawn().await).await;
}

#[tokio::test]
async fn cluster_admin_registers_an_organisation_on_postgres() {
    helpers::on_postgres(
        "cluster_admin_registers_an_organisation",
        cluster_admin_registers_an_organisation,
    )
    .await;
}

async fn refused_organisations_write_nothing_and_say_why(app: TestApp) {
    let api = Api::as_person(&app, ADMIN).await;
    let cluster = app.cluster_id;
    let valid = new_organisation(cluster, &fresh_siret(3));
    let mut conn = app.db.store.conn().await.unwrap();
    let sme = store::organisations::get(&mut conn, app.organisation_id(DEMO_SME).await)
        .await
        .unwrap()
        .unwrap();
    drop(conn);
    let spaced_sme_siret = format!("{} {}", &sme.siret[..9], &sme.siret[9..]);
    let before = census(&app).await;

    // (what, body, status, fields named in errors[], words the detail must hold)
    let cases: Vec<(&str, Value, u16, Vec<&str>, &str)> = vec![
        (
            "a SIRET failing Luhn",
            with(valid.clone(), "siret", json!("73282932000075")),
            422,
            vec!["siret"],
            "Luhn",
        ),
        (
            "a SIRET of 13 digits",
            with(valid.clone(), "siret", json!("7328293200007")),
            422,
            vec!["siret"],
            "siret",
        ),
        (
            "an unknown NAF code",
            with(valid.clone(), "naf_code", json!("99.99Z")),
            422,
            vec!["naf_code"],
            "naf_code",
        ),
        (
            "an over-long legal name",
            with(valid.clone(), "legal_name", json!("N".repeat(201))),
            422,
            vec!["legal_name"],
            "legal_name",
        ),
        (
            "a blank legal name",
            with(valid.clone(), "legal_name", json!("   ")),
            422,
            vec!["legal_name"],
            "legal_name",
        ),
        (
            "a control character",
            with(valid.clone(), "legal_name", json!("Bip\u{7} SAS")),
            422,
            vec!["legal_name"],
            "legal_name",
        ),
        (
            "an unknown kind",
            with(valid.clone(), "kind", json!("cooperative")),
            422,
            vec!["kind"],
            "kind",
        ),
        (
            "an unknown commune",
            with(valid.clone(), "commune_code", json!("99999")),
            422,
            vec!["commune_code"],
            "commune_code",
        ),
        (
            "a postcode of elsewhere",
            with(valid.clone(), "postcode", json!("75001")),
            422,
            vec!["postcode"],
            "postcode",
        ),
        (
            "a negative headcount",
            with(valid.clone(), "headcount", json!(-1)),
            422,
            vec!["headcount"],
            "headcount",
        ),
        (
            "a negative turnover",
            with(valid.clone(), "turnover_eur", json!(-5)),
            422,
            vec!["turnover_eur"],
            "turnover_eur",
        ),
        (
            "a website that is not http",
            with(valid.clone(), "website", json!("javascript:alert(1)")),
            422,
            vec!["website"],
            "website",
        ),
        (
            "the SIRET of a member",
            with(valid.clone(), "siret", json!(sme.siret)),
            409,
            vec![],
            "SIRET",
        ),
        (
            "the same SIRET spaced",
            with(valid.clone(), "siret", json!(spaced_sme_siret)),
            409,
            vec![],
            "SIRET",
        ),
        (
            "a missing SIRET",
            without(valid.clone(), "siret"),
            422,
            vec!["siret"],
            "siret",
        ),
        (
            "a missing cluster",
            without(valid.clone(), "cluster_id"),
            422,
            vec!["cluster_id"],
            "cluster_id",
        ),
        (
            "a headcount in words",
            with(valid.clone(), "headcount", json!("many")),
            422,
            vec!["headcount"],
            "invalid type",
        ),
        ("an array", json!([valid.clone()]), 422, vec!["body"], "invalid"),
        // The policy answers before the registry: nobody administers a cluster that does not exist.
        (
            "an unknown cluster",
            with(valid.clone(), "cluster_id", json!(999_999)),
            403,
            vec![],
            "not allowed",
        ),
    ];
    for (what, body, status, fields, words) in cases {
        let response = api
            .send_json(reqwest::Method::POST, "/api/v1/organisations", &body)
            .await;
        let refusal = problem(response, status).await;
        assert_eq!(error_fields(&refusal), fields, "{what}: {refusal}");
        let detail = refusal["detail"].as_str().unwrap().to_lowercase();
        assert!(
            detail.contains(&words.to_lowercase()),
            "{what}: detail '{detail}' should mention {words}"
        );
        assert_eq!(census(&app).await, before, "{what}: nothing written");
    }

    // Bodies that are not the JSON object the route expects.
    let text = valid.to_string();
    for (what, content_type, body, status) in [
        (
            "malformed JSON",
            Some("application/json"),
            "{\"cluster_id\": 1,",
            400,
        ),
        ("JSON sent as text", Some("text/plain"), text.as_str(), 415),
        (
            "JSON sent as a form",
            Some("application/x-www-form-urlencoded"),
            text.as_str(),
            415,
        ),
        ("no content type", None, text.as_str(), 415),
        ("an empty body", Some("application/json"), "", 400),
    ] {
        let response = api
            .raw(reqwest::Method::POST, "/api/v1/organisations", content_type, body)
            .await;
        problem(response, status).await;
        assert_eq!(census(&app).await, before, "{what}: nothing written");
    }
    let huge = with(valid.clone(), "address_line", json!("x".repeat(2 * 1024 * 1024)));
    let response = api
        .send_json(reqwest::Method::POST, "/api/v1/organisations", &huge)
        .await;
    assert_eq!(response.status(), 413, "a body over the limit");
    assert_eq!(census(&app).await, before, "an oversized body writes nothing");

    // Nobody but cluster staff may register, whatever they send.
    let buyer = Api::as_person(&app, BUYER).await;
    let response = buyer
        .send_json(reqwest::Method::POST, "/api/v1/organisations", &valid)
        .await;
    problem(response, 403).await;
    let response = client()
        .post(app.url("/api/v1/organisations"))
        .json(&valid)
        .send()
        .await
        .unwrap();
    assert_eq!(response.headers().get("www-authenticate").unwrap(), "Bearer");
    problem(response, 401).await;
    assert_eq!(census(&app).await, before, "refused callers write nothing");

    // The same valid body is then accepted: the refusals above were about what they said.
    let response = api
        .send_json(reqwest::Method::POST, "/api/v1/organisations", &valid)
        .await;
    assert_eq!(response.status(), 201);
}

#[tokio::test]
async fn refused_organisations_write_nothing_and_say_why_on_sqlite() {
    refused_organisations_write_nothing_and_say_why(TestApp::spawn().await).await;
}

#[tokio::test]
async fn refused_organisations_write_nothing_and_say_why_on_postgres() {
    helpers::on_postgres(
        "refused_organisations_write_nothing_and_say_why",
        refused_organisations_write_nothing_and_say_why,
    )
    .await;
}

/// A program that sends a wrong or missing field must learn which one, as `errors[]` says for
/// every other mistake; a byte position in a 300-character body is no help.
#[tokio::test]
async fn a_missing_or_mistyped_field_is_named_in_the_problem() {
    let app = TestApp::spawn().await;
    let api = Api::as_person(&app, ADMIN).await;
    let sme = app.organisation_id(DEMO_SME).await;
    let valid = new_organisation(app.cluster_id, &fresh_siret(6));
    let update = without(valid.clone(), "cluster_id");
    let before = census(&app).await;
    let mut unnamed = Vec::new();
    for (what, method, path, body, field) in [
        (
            "create without a SIRET",
            reqwest::Method::POST,
            "/api/v1/organisations".to_owned(),
            without(valid.clone(), "siret"),
            "siret",
        ),
        (
            "create with a headcount in words",
            reqwest::Method::POST,
            "/api/v1/organisations".to_owned(),
            with(valid.clone(), "headcount", json!("many")),
            "headcount",
        ),
        (
            "create with a text cluster",
            reqwest::Method::POST,
            "/api/v1/organisations".to_owned(),
            with(valid.clone(), "cluster_id", json!("one")),
            "cluster_id",
        ),
        (
            "update with a headcount in words",
            reqwest::Method::PUT,
            format!("/api/v1/organisations/{sme}"),
            with(update.clone(), "headcount", json!("many")),
            "headcount",
        ),
        (
            "update without a NAF code",
            reqwest::Method::PUT,
            format!("/api/v1/organisations/{sme}"),
            without(update.clone(), "naf_code"),
            "naf_code",
        ),
    ] {
        let refusal = problem(api.send_json(method, &path, &body).await, 422).await;
        if error_fields(&refusal) != [field] {
            unnamed.push(format!(
                "{what}: errors {:?}, detail '{}'",
                error_fields(&refusal),
                refusal["detail"]
            ));
        }
    }
    assert_eq!(census(&app).await, before);
    assert!(
        unnamed.is_empty(),
        "field not named in errors[]:\n{}",
        unnamed.join("\n")
    );
}

#[tokio::test]
async fn organisation_admin_updates_their_organisation_and_nobody_elses() {
    let app = TestApp::spawn().await;
    let sme = app.organisation_id(DEMO_SME).await;
    let large = app.organisation_id(DEMO_LARGE_ACCOUNT).await;
    let api = Api::as_person(&app, ORG_ADMIN).await;
    let current = json_of(api.get(&format!("/api/v1/organisations/{sme}")).await, 200).await;
    let large_siret =
        json_of(api.get(&format!("/api/v1/organisations/{large}")).await, 200).await["siret"].clone();
    let input = json!({
        "legal_name": current["legal_name"],
        "kind": current["kind"],
        "siret": current["siret"],
        "naf_code": current["naf_code"],
        "address_line": "8 chemin de la Titane",
        "postcode": current["postcode"],
        "commune_code": current["commune_code"],
        "headcount": 61,
        "turnover_eur": current["turnover_eur"],
        "website": "https://usinage-titane.example"
    });
    let db = app.db.store.clone();
    let store_view = move |id: i64| {
        let db = db.clone();
        async move {
            let mut conn = db.conn().await.unwrap();
            store::organisations::get(&mut conn, id).await.unwrap().unwrap()
        }
    };

    // Refusals first: each leaves both organisations exactly as they were.
    let (sme_before, large_before) = (store_view(sme).await, store_view(large).await);
    let path = format!("/api/v1/organisations/{sme}");
    let refusals = [
        (with(input.clone(), "siret", large_siret.clone()), 409),
        (with(input.clone(), "naf_code", json!("00.00Z")), 422),
        (with(input.clone(), "headcount", json!(-61)), 422),
        (without(input.clone(), "naf_code"), 422),
    ];
    for (body, status) in refusals {
        problem(api.send_json(reqwest::Method::PUT, &path, &body).await, status).await;
    }
    problem(
        api.raw(reqwest::Method::PUT, &path, Some("application/json"), "{")
            .await,
        400,
    )
    .await;
    problem(
        api.send_json(
            reqwest::Method::PUT,
            &format!("/api/v1/organisations/{large}"),
            &input,
        )
        .await,
        403,
    )
    .await;
    let buyer = Api::as_person(&app, BUYER).await;
    problem(buyer.send_json(reqwest::Method::PUT, &path, &input).await, 403).await;
    problem(
        api.send_json(reqwest::Method::PUT, "/api/v1/organisations/999999", &input)
            .await,
        404,
    )
    .await;
    assert_eq!(store_view(sme).await, sme_before);
    assert_eq!(store_view(large).await, large_before);

    let updated = json_of(api.send_json(reqwest::Method::PUT, &path, &input).await, 200).await;
    assert_eq!(updated["headcount"], 61);
    assert_eq!(updated["address_line"], "8 chemin de la Titane");
    assert_eq!(updated["website"], "https://usinage-titane.example");
    assert_eq!(updated["created_at"], current["created_at"]);
    let stored = store_view(sme).await;
    assert_eq!(stored.headcount, 61);
    assert!(stored.updated_at >= sme_before.updated_at);
    assert_eq!(store_view(large).await, large_before);
    // Cluster staff may correct any member's record too.
    let admin = Api::as_person(&app, ADMIN).await;
    let fixed = json_of(
        admin
            .send_json(
                reqwest::Method::PUT,
                &path,
                &with(input.clone(), "headcount", json!(62)),
            )
            .await,
        200,
    )
    .await;
    assert_eq!(fixed["headcount"], 62);
}

// ---------------------------------------------------------------------------------------------
// People and memberships

#[tokio::test]
async fn organisation_admin_invites_a_colleague_over_the_api() {
    let app = TestApp::spawn().await;
    let sme = app.organisation_id(DEMO_SME).await;
    let api = Api::as_person(&app, ORG_ADMIN).await;
    let path = format!("/api/v1/organisations/{sme}/invitations");
    let before = census(&app).await;

    for (body, status, fields) in [
        (
            json!({ "email": "pas-une-adresse", "role": "member" }),
            422,
            vec!["email"],
        ),
        (
            json!({ "email": "x@pme-demo.fr", "role": "superuser" }),
            422,
            vec!["role"],
        ),
        (json!({ "email": MEMBER, "role": "member" }), 409, vec![]),
        (
            json!({ "email": "x@pme-demo.fr", "role": "cluster_admin" }),
            403,
            vec![],
        ),
        (json!({ "email": "x@pme-demo.fr" }), 422, vec!["role"]),
    ] {
        let refusal = problem(api.send_json(reqwest::Method::POST, &path, &body).await, status).await;
        assert_eq!(error_fields(&refusal), fields, "{body}");
    }
    assert_eq!(census(&app).await, before, "no mail for refused invitations");

    let newcomer = "lea.nouvelle@pme-demo.fr";
    let created = json_of(
        api.send_json(
            reqwest::Method::POST,
            &path,
            &json!({ "email": newcomer, "role": "evaluator" }),
        )
        .await,
        201,
    )
    .await;
    assert!(created["id"].as_i64().is_some_and(|id| id > 0));
    let mails = mails_to(&app, newcomer);
    assert_eq!(mails.len(), 1);
    let invitation = link(&mails[0], &format!("{}/invitations/", app.address));

    // The newcomer accepts in a browser; their token then speaks for an evaluator of the SME.
    let browser = client();
    let csrf = app.csrf(&browser).await;
    let response = browser
        .post(&invitation)
        .form(&[
            ("first_name", "Léa"),
            ("last_name", "Nouvelle"),
            ("password", "un-mot-de-passe-solide"),
            ("csrf_token", &csrf),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 303);
    let me = json_of(Api::as_person(&app, newcomer).await.get("/api/v1/me").await, 200).await;
    assert_eq!(me["organisation_id"], sme);
    assert_eq!(me["roles"], json!(["evaluator", "member"]));
}

#[tokio::test]
async fn cluster_admin_invites_a_colleague_to_the_cluster_staff() {
    let app = TestApp::spawn().await;
    let assoc = app.organisation_id(app::demo::DEMO_ASSOCIATION).await;
    let api = Api::as_person(&app, ADMIN).await;
    let newcomer = "nouvelle.animatrice@pole-demo.fr";
    json_of(
        api.send_json(
            reqwest::Method::POST,
            &format!("/api/v1/organisations/{assoc}/invitations"),
            &json!({ "email": newcomer, "role": "cluster_admin" }),
        )
        .await,
        201,
    )
    .await;
    let invitation = link(
        &mails_to(&app, newcomer)[0],
        &format!("{}/invitations/", app.address),
    );
    let browser = client();
    let csrf = app.csrf(&browser).await;
    let response = browser
        .post(&invitation)
        .form(&[
            ("first_name", "Inès"),
            ("last_name", "Garnier"),
            ("password", "un-mot-de-passe-solide"),
            ("csrf_token", &csrf),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 303);
    let staff = Api::as_person(&app, newcomer).await;
    let me = json_of(staff.get("/api/v1/me").await, 200).await;
    assert_eq!(me["roles"], json!(["cluster_admin"]));
    let valid = new_organisation(app.cluster_id, &fresh_siret(4));
    let response = staff
        .send_json(reqwest::Method::POST, "/api/v1/organisations", &valid)
        .await;
    assert_eq!(response.status(), 201, "the new staff member runs the registry");
}

#[tokio::test]
async fn cluster_admin_removes_a_membership_and_adds_it_back() {
    let app = TestApp::spawn().await;
    let api = Api::as_person(&app, ADMIN).await;
    let buyer = Api::as_person(&app, BUYER).await;
    let cluster = app.cluster_id;
    let created = json_of(
        api.send_json(
            reqwest::Method::POST,
            "/api/v1/organisations",
            &new_organisation(cluster, &fresh_siret(5)),
        )
        .await,
        201,
    )
    .await;
    let id = created["id"].as_i64().unwrap();
    let membership = format!("/api/v1/clusters/{cluster}/members/{id}");
    let search = format!("/api/v1/clusters/{cluster}/members?q=capteurs%20garonne");
    let before = census(&app).await;

    problem(
        buyer.raw(reqwest::Method::DELETE, &membership, None, "").await,
        403,
    )
    .await;
    let response = api.raw(reqwest::Method::DELETE, &membership, None, "").await;
    assert_eq!(response.status(), 204);
    assert_eq!(census(&app).await.members, before.members - 1);
    assert_eq!(json_of(buyer.get(&search).await, 200).await["total"], 0);
    problem(buyer.get(&format!("/api/v1/organisations/{id}")).await, 404).await;
    problem(api.raw(reqwest::Method::DELETE, &membership, None, "").await, 404).await;
    assert_eq!(
        census(&app).await.organisations,
        before.organisations,
        "the organisation stays"
    );

    let members = format!("/api/v1/clusters/{cluster}/members");
    let add = json!({ "organisation_id": id });
    problem(buyer.send_json(reqwest::Method::POST, &members, &add).await, 403).await;
    assert_eq!(
        api.send_json(reqwest::Method::POST, &members, &add)
            .await
            .status(),
        201
    );
    assert_eq!(
        api.send_json(reqwest::Method::POST, &members, &add)
            .await
            .status(),
        200
    );
    assert_eq!(census(&app).await.members, before.members);
    assert_eq!(json_of(buyer.get(&search).await, 200).await["total"], 1);
    problem(
        api.send_json(
            reqwest::Method::POST,
            &members,
            &json!({ "organisation_id": "x" }),
        )
        .await,
        422,
    )
    .await;

    let mut conn = app.db.store.conn().await.unwrap();
    let actions: Vec<String> = store::audit::of_entity(&mut conn, "organisation", id)
        .await
        .unwrap()
        .into_iter()
        .map(|e| e.action)
        .collect();
    assert_eq!(actions, ["create", "membership_remove", "membership_add"]);
}

// ---------------------------------------------------------------------------------------------
// Credentials

#[tokio::test]
async fn revoked_or_garbage_tokens_are_refused_with_www_authenticate() {
    let app = TestApp::spawn().await;
    let person = {
        let mut conn = app.db.store.conn().await.unwrap();
        let id = store::people::by_email(&mut conn, BUYER)
            .await
            .unwrap()
            .unwrap()
            .id;
        app::actor::load_principal(&mut conn, id).await.unwrap().unwrap()
    };
    let actor = app::Actor::Person(person);
    let (id, revoked) = app.app.create_api_token(&actor, "old script").await.unwrap();
    app.app.revoke_api_token(&actor, id).await.unwrap();
    let valid = app.token_for(BUYER).await;
    let long = format!("Bearer psl_{}", "a".repeat(300));
    let cases = [
        ("no credential", None),
        ("a revoked token", Some(format!("Bearer {revoked}"))),
        ("a made-up token", Some("Bearer psl_not-a-real-token".to_owned())),
        ("an empty bearer", Some("Bearer ".to_owned())),
        ("an over-long token", Some(long)),
        (
            "basic credentials",
            Some("Basic YW5pbWF0aW9uQHBvbGUtZGVtby5mcjpkZW1vLXBhc3NlcmVsbGU=".to_owned()),
        ),
        ("a token without its scheme", Some(valid.clone())),
    ];
    for path in [
        "/api/v1/me".to_owned(),
        "/api/v1/clusters".to_owned(),
        format!("/api/v1/clusters/{}/members", app.cluster_id),
    ] {
        for (what, header) in &cases {
            let mut request = client().get(app.url(&path));
            if let Some(header) = header {
                request = request.header("authorization", header);
            }
            let response = request.send().await.unwrap();
            assert_eq!(
                response
                    .headers()
                    .get("www-authenticate")
                    .and_then(|v| v.to_str().ok()),
                Some("Bearer"),
                "{what} on {path}"
            );
            problem(response, 401).await;
        }
    }
    let response = client()
        .get(app.url("/api/v1/me"))
        .bearer_auth(&valid)
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 200, "while a live token works");
}

// ---------------------------------------------------------------------------------------------
// Documentation and operations

/// Every route the API router serves, with its methods: the OpenAPI document must list exactly these.
const SERVED: &[(&str, &[&str])] = &[
    ("/api/v1/me", &["get"]),
    ("/api/v1/clusters", &["get"]),
    ("/api/v1/clusters/{cluster_id}/members", &["get", "post"]),
    (
        "/api/v1/clusters/{cluster_id}/members/{organisation_id}",
        &["delete"],
    ),
    ("/api/v1/organisations", &["post"]),
    ("/api/v1/organisations/{id}", &["get", "put"]),
    ("/api/v1/organisations/{id}/people", &["get"]),
    ("/api/v1/organisations/{id}/invitations", &["post"]),
    ("/api/v1/people/{id}", &["get"]),
    ("/api/v1/clusters/{cluster_id}/events", &["get", "post"]),
    ("/api/v1/events/{id}", &["get"]),
    ("/api/v1/events/{id}/registrations", &["post"]),
    ("/api/v1/events/{id}/requests", &["get", "post"]),
    ("/api/v1/events/{id}/requests/{request_id}/accept", &["post"]),
    ("/api/v1/events/{id}/requests/{request_id}/decline", &["post"]),
    ("/api/v1/events/{id}/schedule", &["get", "post"]),
    ("/api/v1/events/{id}/meetings/{meeting_id}/move", &["post"]),
    ("/api/v1/events/{id}/publish", &["post"]),
    ("/api/v1/events/{id}/agenda", &["get"]),
    ("/api/v1/events/{id}/requests/{request_id}/cancel", &["post"]),
    ("/api/v1/events/{id}/guests", &["post"]),
    (
        "/api/v1/events/{id}/participants/{participant_id}/check-in",
        &["post"],
    ),
    ("/api/v1/events/{id}/meetings/{meeting_id}/attendance", &["post"]),
    ("/api/v1/events/{id}/meetings/{meeting_id}/follow-up", &["post"]),
    ("/api/v1/events/{id}/suggestions", &["get"]),
    ("/api/v1/events/{id}/outcomes", &["get"]),
    ("/api/v1/search", &["get"]),
    ("/api/v1/organisations/{id}/profile", &["get", "put"]),
    ("/api/v1/organisations/{id}/similar", &["get"]),
    ("/api/v1/organisations/{id}/differentiation", &["get"]),
    ("/api/v1/organisations/{id}/brochures", &["post"]),
    ("/api/v1/organisations/{id}/brochures/{brochure_id}", &["delete"]),
    ("/api/v1/brochures/{id}", &["get"]),
    ("/api/v1/saved-searches", &["get", "post"]),
    ("/api/v1/saved-searches/{id}", &["delete"]),
    ("/api/v1/shortlists", &["get", "post"]),
    ("/api/v1/shortlists/{id}", &["get", "delete"]),
    ("/api/v1/shortlists/{id}/entries", &["post"]),
    ("/api/v1/shortlists/{id}/entries/{organisation_id}", &["delete"]),
    ("/api/v1/shortlists/{id}/export", &["get"]),
    ("/api/v1/clusters/{id}/calls", &["get", "post"]),
    ("/api/v1/calls/{id}", &["get", "put"]),
    ("/api/v1/calls/{id}/publish", &["post"]),
    ("/api/v1/calls/{id}/cancel", &["post"]),
    ("/api/v1/calls/{id}/questions", &["post"]),
    ("/api/v1/calls/{id}/questions/{qid}/answer", &["post"]),
    ("/api/v1/calls/{id}/dossier", &["get", "put"]),
    ("/api/v1/calls/{id}/dossier/attachments", &["post"]),
    ("/api/v1/calls/{id}/dossier/submit", &["post"]),
    ("/api/v1/calls/{id}/dossier/withdraw", &["post"]),
    ("/api/v1/calls/{id}/dossiers", &["get"]),
    ("/api/v1/calls/{id}/evaluators", &["put"]),
    ("/api/v1/calls/{id}/dossiers/{did}/conflict", &["post"]),
    ("/api/v1/calls/{id}/dossiers/{did}/marks", &["put"]),
    ("/api/v1/calls/{id}/ranking", &["get"]),
    ("/api/v1/calls/{id}/shortlist", &["post"]),
    ("/api/v1/calls/{id}/dossiers/{did}/decision", &["put"]),
    ("/api/v1/calls/{id}/decisions/publish", &["post"]),
    ("/api/v1/calls/{id}/dossier/decision", &["get"]),
    ("/api/v1/calls-for-you", &["get"]),
    ("/api/v1/calls/{id}/recommendations", &["get"]),
    ("/api/v1/clusters/{id}/purchasing-policies", &["get"]),
    ("/api/v1/organisations/{id}/purchasing-policy", &["get", "put"]),
    ("/api/v1/clusters/{id}/committee-sessions", &["get", "post"]),
    ("/api/v1/committee-sessions/{id}", &["get", "put"]),
    ("/api/v1/committee-sessions/{id}/presenters", &["put"]),
    ("/api/v1/calls/{id}/session", &["put"]),
    ("/api/v1/calls/{id}/audit", &["get"]),
    ("/api/v1/clusters/{id}/qualification/criteria", &["get", "put"]),
    (
        "/api/v1/clusters/{id}/qualification/applications",
        &["get", "post"],
    ),
    ("/api/v1/qualification/applications/{id}", &["get", "put"]),
    ("/api/v1/qualification/applications/{id}/submit", &["post"]),
    ("/api/v1/qualification/applications/{id}/withdraw", &["post"]),
    ("/api/v1/qualification/applications/{id}/reviewers", &["put"]),
    ("/api/v1/qualification/applications/{id}/opinions", &["put"]),
    ("/api/v1/qualification/applications/{id}/decision", &["post"]),
    ("/api/v1/qualification/applications/{id}/files", &["post"]),
    (
        "/api/v1/qualification/applications/{id}/files/{name}",
        &["get", "delete"],
    ),
    ("/api/v1/clusters/{id}/portfolio", &["get"]),
    ("/api/v1/clusters/{id}/portfolio/subscriptions", &["get", "post"]),
    (
        "/api/v1/clusters/{id}/portfolio/subscriptions/{sid}/revoke",
        &["post"],
    ),
    ("/api/v1/clusters/{id}/portfolio/listings", &["post"]),
    ("/api/v1/calls/{id}/ocds", &["get"]),
    ("/api/v1/calls/{id}/ranking.xlsx", &["get"]),
    ("/api/v1/clusters/{id}/delistings", &["get"]),
    ("/api/v1/organisations/{id}/listings", &["get"]),
    ("/api/v1/organisations/{id}/suppliers", &["get", "post"]),
    (
        "/api/v1/organisations/{id}/suppliers/{supplier_id}/delist",
        &["post"],
    ),
    ("/api/v1/calls/{id}/documents", &["post"]),
    ("/api/v1/calls/{id}/documents/{doc}", &["get"]),
    ("/api/v1/calls/{id}/documents/{doc}/remove", &["post"]),
    ("/api/v1/calls/{id}/dossier/attachments/{name}", &["delete"]),
    (
        "/api/v1/calls/{id}/dossiers/{did}/versions/{version}/files/{name}",
        &["get"],
    ),
    ("/api/v1/calls/{id}/invitations", &["get", "post"]),
    ("/api/v1/calls/{id}/invitations/{org}", &["delete"]),
];

#[tokio::test]
async fn openapi_document_lists_exactly_the_routes_served() {
    let app = TestApp::spawn().await;
    let response = client().get(app.url("/api/openapi.json")).send().await.unwrap();
    assert_eq!(response.status(), 200);
    assert!(
        response.headers()[CONTENT_TYPE]
            .to_str()
            .unwrap()
            .starts_with("application/json")
    );
    let document: Value = response.json().await.unwrap();
    assert!(
        document["openapi"].as_str().unwrap().starts_with("3."),
        "{}",
        document["openapi"]
    );
    assert_eq!(document["info"]["title"], "Passerelle API");
    assert_eq!(
        document["components"]["securitySchemes"]["bearer"]["scheme"],
        "bearer"
    );
    assert!(document["components"]["schemas"]["Problem"].is_object());

    let documented: BTreeSet<(String, String)> = document["paths"]
        .as_object()
        .unwrap()
        .iter()
        .flat_map(|(path, item)| {
            item.as_object()
                .unwrap()
                .keys()
                .filter(|k| ["get", "post", "put", "patch", "delete"].contains(&k.as_str()))
                .map(move |method| (path.clone(), method.clone()))
        })
        .collect();
    let served: BTreeSet<(String, String)> = SERVED
        .iter()
        .chain(crate::pooling::SERVED)
        .chain(crate::consortia::SERVED)
        .chain(crate::export::SERVED)
        .flat_map(|(path, methods)| methods.iter().map(|m| (path.to_string(), m.to_string())))
        .collect();
    assert_eq!(documented, served);

    // And the router really serves each of them: none falls through to "no such route" or 405.
    let api = Api::as_person(&app, ADMIN).await;
    for (path, method) in &served {
        let concrete = path
            .replace("{cluster_id}", &app.cluster_id.to_string())
            .replace("{organisation_id}", "999999")
            .replace("{request_id}", "999999")
            .replace("{meeting_id}", "999999")
            .replace("{participant_id}", "999999")
            .replace("{brochure_id}", "999999")
            .replace("{id}", "999999");
        // Any other path parameter of the areas' routes: a number that names nothing.
        let concrete = unnamed_ids(&concrete);
        let method = reqwest::Method::from_bytes(method.to_uppercase().as_bytes()).unwrap();
        let response = api
            .raw(method.clone(), &concrete, Some("application/json"), "{}")
            .await;
        let status = response.status();
        let body = response.text().await.unwrap();
        assert_ne!(status, 405, "{method} {concrete}");
        assert!(!body.contains("no such route"), "{method} {concrete}: {body}");
    }
}

#[tokio::test]
async fn browsable_api_docs_are_served_without_a_network() {
    let app = TestApp::spawn().await;
    let response = client().get(app.url("/api/docs/")).send().await.unwrap();
    assert_eq!(response.status(), 200);
    let html = response.text().await.unwrap();
    assert!(html.to_lowercase().contains("swagger"));
    assert!(
        !html.contains("https://unpkg") && !html.contains("cdn."),
        "assets are vendored"
    );
}

#[tokio::test]
async fn health_and_metrics_are_served_for_operations() {
    let app = TestApp::spawn().await;
    let health = client().get(app.url("/healthz")).send().await.unwrap();
    assert_eq!(health.status(), 200);
    assert_eq!(health.text().await.unwrap(), "ok");

    let sme = app.organisation_id(DEMO_SME).await;
    let api = Api::as_person(&app, MEMBER).await;
    json_of(api.get(&format!("/api/v1/organisations/{sme}")).await, 200).await;
    problem(api.get("/api/v1/organisations/999999").await, 404).await;

    let metrics = client().get(app.url("/metrics")).send().await.unwrap();
    assert_eq!(metrics.status(), 200);
    assert!(
        metrics.headers()[CONTENT_TYPE]
            .to_str()
            .unwrap()
            .starts_with("application/openmetrics-text")
    );
    let text = metrics.text().await.unwrap();
    assert!(text.contains("passerelle_http_requests_total"), "{text}");
    assert!(text.contains("passerelle_http_request_duration_seconds"));
    assert!(
        text.contains(r#"passerelle_http_requests_total{method="GET",route="/api/v1/organisations/{id}",status="200"} 1"#),
        "{text}"
    );
    assert!(text.contains(r#"route="/api/v1/organisations/{id}",status="404"} 1"#));
    assert!(
        !text.contains(&format!("/api/v1/organisations/{sme}")),
        "ids never become labels"
    );
}

/// Replaces every remaining `{name}` path parameter with an id that names nothing.
fn unnamed_ids(path: &str) -> String {
    path.split('/')
        .map(|segment| {
            if segment.starts_with('{') && segment.ends_with('}') {
                "999999"
            } else {
                segment
            }
        })
        .collect::<Vec<_>>()
        .join("/")
}

/// Each area's request bodies keep their own schema in the document: two bodies of one type name
/// (an invitation's answer and a question's answer, two decisions) would otherwise share one entry,
/// and the later area's fields would be documented for both routes.
#[tokio::test]
async fn request_bodies_of_different_areas_keep_their_own_schemas() {
    let app = TestApp::spawn().await;
    let response = client().get(app.url("/api/openapi.json")).send().await.unwrap();
    let document: Value = response.json().await.unwrap();
    let fields_of = |path: &str, method: &str| -> BTreeSet<String> {
        let reference =
            document["paths"][path][method]["requestBody"]["content"]["application/json"]["schema"]["$ref"]
                .as_str()
                .unwrap_or_else(|| panic!("{method} {path} has a JSON body by reference"));
        let name = reference.rsplit('/').next().unwrap();
        document["components"]["schemas"][name]["properties"]
            .as_object()
            .unwrap_or_else(|| panic!("schema {name} has properties"))
            .keys()
            .cloned()
            .collect()
    };
    let has = |fields: BTreeSet<String>, expected: &[&str]| expected.iter().all(|f| fields.contains(*f));
    assert!(has(
        fields_of("/api/v1/consortia/{id}/invitation", "post"),
        &["accept"]
    ));
    assert!(has(
        fields_of("/api/v1/calls/{id}/questions/{qid}/answer", "post"),
        &["answer"]
    ));
    assert!(has(
        fields_of("/api/v1/calls/{id}/dossiers/{did}/decision", "put"),
        &["outcome", "feedback", "corrects"]
    ));
    assert!(has(
        fields_of("/api/v1/qualification/applications/{id}/decision", "post"),
        &["outcome", "renewal_on", "reason"]
    ));
}
