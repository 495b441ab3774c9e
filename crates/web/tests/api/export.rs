//! export (issue 6) over HTTP: the API and the pages, bad input and access.
//!
//! The demo large account's buyer hosts; the demo SME and the demo lab request stays and shares.

use crate::api_client::{Caller, body_of, error_fields, json_of, location, problem};
use crate::committee_fixture::EVALUATOR;
use crate::committee_fixture::{ADMIN, BUYER, LAB, MEMBER, ORG_ADMIN};
use crate::helpers::{TestApp, on_postgres, page, post_form};
use crate::pages::mails_to;
use crate::policy_matrix::Fixture;
use app::demo::{DEMO_LARGE_ACCOUNT, DEMO_SME};
use reqwest::Method;
use serde_json::{Value, json};

/// Every API route of the area, with its methods, as the OpenAPI document must list them (checked
/// by `json_api`); path parameters other than `{id}` and `{cluster_id}` are filled with an unknown id.
pub const SERVED: &[(&str, &[&str])] = &[
    ("/api/v1/clusters/{cluster_id}/export", &["get"]),
    ("/api/v1/clusters/{cluster_id}/export/premises", &["post"]),
    ("/api/v1/export/premises/{id}", &["get", "put"]),
    ("/api/v1/export/premises/{id}/withdraw", &["post"]),
    ("/api/v1/export/premises/{id}/stays", &["post"]),
    ("/api/v1/export/stays/{id}", &["get"]),
    ("/api/v1/export/stays/{id}/decision", &["post"]),
    ("/api/v1/export/stays/{id}/withdraw", &["post"]),
    ("/api/v1/clusters/{cluster_id}/export/vie", &["post"]),
    ("/api/v1/export/vie/{id}", &["get"]),
    ("/api/v1/export/vie/{id}/withdraw", &["post"]),
    ("/api/v1/export/vie/{id}/confirm", &["post"]),
    ("/api/v1/export/vie/{id}/applications", &["post"]),
    ("/api/v1/export/vie-applications/{id}", &["get"]),
    ("/api/v1/export/vie-applications/{id}/decision", &["post"]),
    ("/api/v1/export/vie-applications/{id}/withdraw", &["post"]),
];

pub fn premises_body(city: &str, country: &str, desks: i64) -> Value {
    json!({
        "city": city, "country": country, "desks": desks,
        "available_from": "2031-03-01", "available_to": "2031-06-30",
        "conditions": "Badge remis à l'accueil ; accès 8 h – 19 h.",
        "contact_email": "international@grandcompte-demo.fr"
    })
}

pub fn stay_body(from: &str, to: &str, desks: i64) -> Value {
    json!({"starts_on": from, "ends_on": to, "desks": desks, "purpose": "Prospection de donneurs d'ordres locaux"})
}

pub fn vie_body(duration: i64, cost: &str) -> Value {
    json!({
        "title": "VIE ingénieur d'affaires aéronautique", "country": "DE", "city": "Munich",
        "mission": "Développer les ventes auprès des équipementiers bavarois.",
        "starts_on": "2031-09-01", "duration_months": duration, "monthly_cost": cost
    })
}

async fn created_id(response: reqwest::Response) -> i64 {
    json_of(response, 201).await["id"].as_i64().unwrap()
}

async fn publish_premises(host: &Caller<'_>, cluster: i64, desks: i64) -> i64 {
    let path = format!("/api/v1/clusters/{cluster}/export/premises");
    created_id(host.post(&path, &premises_body("Montréal", "CA", desks)).await).await
}

async fn decide(caller: &Caller<'_>, path: &str, outcome: &str, message: &str) -> reqwest::Response {
    caller
        .post(path, &json!({"outcome": outcome, "message": message}))
        .await
}

#[tokio::test]
async fn premises_from_request_to_accepted_stay() {
    premises_story(TestApp::spawn().await).await;
}

#[tokio::test]
async fn premises_from_request_to_accepted_stay_on_postgres() {
    on_postgres("the premises story", premises_story).await;
}

async fn premises_story(app: TestApp) {
    let cluster = app.cluster_id;
    let host = Caller::person(&app, BUYER).await;
    let sme = Caller::person(&app, ORG_ADMIN).await;
    let colleague = Caller::person(&app, MEMBER).await;
    let lab = Caller::person(&app, LAB).await;

    let premises = publish_premises(&host, cluster, 3).await;
    let hub = json_of(sme.get(&format!("/api/v1/clusters/{cluster}/export")).await, 200).await;
    assert!(
        hub["premises"]
            .as_array()
            .unwrap()
            .iter()
            .any(|p| p["id"] == premises),
        "{hub}"
    );
    assert_eq!(hub["may_host"], false, "an SME does not host");

    let path = format!("/api/v1/export/premises/{premises}/stays");
    let ours = json_of(
        sme.post(&path, &stay_body("2031-04-01", "2031-04-30", 2)).await,
        201,
    )
    .await;
    assert_eq!(ours["state"], "pending");
    let ours = ours["id"].as_i64().unwrap();
    let mails = app.mails().join("\n");
    assert!(
        mails.contains("international@grandcompte-demo.fr"),
        "the host's contact is told"
    );
    assert!(mails.contains(ORG_ADMIN), "the requester is told");
    let theirs = created_id(lab.post(&path, &stay_body("2031-04-15", "2031-05-15", 2)).await).await;

    // Each requester reads its own organisation's request only; the host reads both.
    json_of(colleague.get(&format!("/api/v1/export/stays/{ours}")).await, 200).await;
    problem(lab.get(&format!("/api/v1/export/stays/{ours}")).await, 404).await;
    let seen = json_of(sme.get(&format!("/api/v1/export/premises/{premises}")).await, 200).await;
    assert_eq!(seen["requests"].as_array().unwrap().len(), 1, "{seen}");
    let seen = json_of(
        host.get(&format!("/api/v1/export/premises/{premises}")).await,
        200,
    )
    .await;
    assert_eq!(seen["requests"].as_array().unwrap().len(), 2, "{seen}");
    assert_eq!(seen["is_host"], true);

    // Only the host answers: the requester is refused, another member does not even see it.
    let decision = format!("/api/v1/export/stays/{ours}/decision");
    problem(decide(&sme, &decision, "accepted", "").await, 403).await;
    problem(decide(&lab, &decision, "accepted", "").await, 404).await;
    let accepted = json_of(decide(&host, &decision, "accepted", "Bienvenue").await, 200).await;
    assert_eq!(accepted["state"], "accepted");
    assert!(
        app.mails().join("\n").contains("accept"),
        "the decision is e-mailed"
    );

    // 2 + 2 desks on 15-30 April would overbook the 3 desks.
    let overbooked = problem(
        decide(
            &host,
            &format!("/api/v1/export/stays/{theirs}/decision"),
            "accepted",
            "",
        )
        .await,
        409,
    )
    .await;
    assert!(
        overbooked["detail"].as_str().unwrap().contains("2031-04-15"),
        "{overbooked}"
    );
    let declined = problem(
        decide(
            &host,
            &format!("/api/v1/export/stays/{theirs}/decision"),
            "declined",
            "",
        )
        .await,
        422,
    )
    .await;
    assert_eq!(error_fields(&declined), vec!["message"]);
    let declined = json_of(
        decide(
            &host,
            &format!("/api/v1/export/stays/{theirs}/decision"),
            "declined",
            "Complet en avril",
        )
        .await,
        200,
    )
    .await;
    assert_eq!(declined["answer"], "Complet en avril");
    problem(decide(&host, &decision, "declined", "Trop tard").await, 409).await;

    // The requester withdraws a pending request, once.
    let later = created_id(sme.post(&path, &stay_body("2031-06-01", "2031-06-10", 1)).await).await;
    problem(
        host.post(&format!("/api/v1/export/stays/{later}/withdraw"), &json!({}))
            .await,
        403,
    )
    .await;
    let withdrawn = json_of(
        sme.post(&format!("/api/v1/export/stays/{later}/withdraw"), &json!({}))
            .await,
        200,
    )
    .await;
    assert_eq!(withdrawn["state"], "withdrawn");
    problem(
        sme.post(&format!("/api/v1/export/stays/{later}/withdraw"), &json!({}))
            .await,
        409,
    )
    .await;

    // The host may not shrink the premises under an accepted stay.
    let mut smaller = premises_body("Montréal", "CA", 1);
    let shrunk = problem(
        host.put(&format!("/api/v1/export/premises/{premises}"), &smaller)
            .await,
        422,
    )
    .await;
    assert_eq!(error_fields(&shrunk), vec!["desks"]);
    smaller["desks"] = json!(5);
    smaller["available_to"] = json!("2031-04-20");
    let cut = problem(
        host.put(&format!("/api/v1/export/premises/{premises}"), &smaller)
            .await,
        422,
    )
    .await;
    assert_eq!(error_fields(&cut), vec!["available_to"]);
    smaller["available_to"] = json!("2031-06-30");
    let grown = json_of(
        host.put(&format!("/api/v1/export/premises/{premises}"), &smaller)
            .await,
        200,
    )
    .await;
    assert_eq!(grown["desks"], 5);
    assert_eq!(grown["peak_booked"], 2);

    // Withdrawn premises decline their pending requests and take no more.
    let pending = created_id(lab.post(&path, &stay_body("2031-05-01", "2031-05-02", 1)).await).await;
    problem(
        sme.post(
            &format!("/api/v1/export/premises/{premises}/withdraw"),
            &json!({}),
        )
        .await,
        403,
    )
    .await;
    json_of(
        host.post(
            &format!("/api/v1/export/premises/{premises}/withdraw"),
            &json!({}),
        )
        .await,
        200,
    )
    .await;
    let closed = json_of(lab.get(&format!("/api/v1/export/stays/{pending}")).await, 200).await;
    assert_eq!(closed["state"], "declined");
    problem(
        sme.post(&path, &stay_body("2031-05-01", "2031-05-02", 1)).await,
        409,
    )
    .await;
}

#[tokio::test]
async fn two_accepts_racing_never_overbook() {
    racing_accepts(TestApp::spawn().await).await;
}

#[tokio::test]
async fn two_accepts_racing_never_overbook_on_postgres() {
    on_postgres("racing accepts", racing_accepts).await;
}

/// Two requests that fit alone but not together, accepted at the same moment: exactly one wins.
async fn racing_accepts(app: TestApp) {
    let host = Caller::person(&app, BUYER).await;
    let sme = Caller::person(&app, ORG_ADMIN).await;
    let lab = Caller::person(&app, LAB).await;
    for round in 0..3 {
        let premises = publish_premises(&host, app.cluster_id, 3).await;
        let path = format!("/api/v1/export/premises/{premises}/stays");
        let a = created_id(sme.post(&path, &stay_body("2031-04-01", "2031-04-10", 2)).await).await;
        let b = created_id(lab.post(&path, &stay_body("2031-04-05", "2031-04-20", 2)).await).await;
        let (path_a, path_b) = (
            format!("/api/v1/export/stays/{a}/decision"),
            format!("/api/v1/export/stays/{b}/decision"),
        );
        let (first, second) = tokio::join!(
            decide(&host, &path_a, "accepted", ""),
            decide(&host, &path_b, "accepted", ""),
        );
        let mut statuses = [first.status().as_u16(), second.status().as_u16()];
        statuses.sort_unstable();
        assert_eq!(statuses, [200, 409], "round {round}");
        let seen = json_of(
            host.get(&format!("/api/v1/export/premises/{premises}")).await,
            200,
        )
        .await;
        assert_eq!(seen["peak_booked"], 2, "round {round}: {seen}");
    }
}

#[tokio::test]
async fn two_share_accepts_racing_never_pass_100_percent() {
    racing_shares(TestApp::spawn().await).await;
}

#[tokio::test]
async fn two_share_accepts_racing_never_pass_100_percent_on_postgres() {
    on_postgres("racing share accepts", racing_shares).await;
}

/// 60 % and 50 % applied for, accepted at the same moment: exactly one is accepted.
async fn racing_shares(app: TestApp) {
    let host = Caller::person(&app, BUYER).await;
    let sme = Caller::person(&app, ORG_ADMIN).await;
    let lab = Caller::person(&app, LAB).await;
    for round in 0..3 {
        let publish = format!("/api/v1/clusters/{}/export/vie", app.cluster_id);
        let post = created_id(host.post(&publish, &vie_body(12, "3000")).await).await;
        let apply = format!("/api/v1/export/vie/{post}/applications");
        let a = created_id(sme.post(&apply, &json!({"share": "60", "tasks": "Ventes"})).await).await;
        let b = created_id(lab.post(&apply, &json!({"share": "50", "tasks": "Veille"})).await).await;
        let (path_a, path_b) = (
            format!("/api/v1/export/vie-applications/{a}/decision"),
            format!("/api/v1/export/vie-applications/{b}/decision"),
        );
        let (first, second) = tokio::join!(
            decide(&host, &path_a, "accepted", ""),
            decide(&host, &path_b, "accepted", ""),
        );
        let mut statuses = [first.status().as_u16(), second.status().as_u16()];
        statuses.sort_unstable();
        assert_eq!(statuses, [200, 409], "round {round}");
        let seen = json_of(host.get(&format!("/api/v1/export/vie/{post}")).await, 200).await;
        assert_eq!(
            seen["shares"].as_array().unwrap().len(),
            1,
            "round {round}: {seen}"
        );
    }
}

#[tokio::test]
async fn bad_premises_and_stays_are_refused_with_their_fields() {
    let app = TestApp::spawn().await;
    let cluster = app.cluster_id;
    let host = Caller::person(&app, BUYER).await;
    let sme = Caller::person(&app, ORG_ADMIN).await;
    let publish = format!("/api/v1/clusters/{cluster}/export/premises");

    // A small SME does not host.
    let small = problem(
        sme.post(&publish, &premises_body("Singapour", "SG", 2)).await,
        422,
    )
    .await;
    assert_eq!(error_fields(&small), vec!["host_id"]);
    assert!(small["detail"].as_str().unwrap().contains("large"), "{small}");
    // A member who is not its organisation's admin or buyer may not host at all.
    problem(
        Caller::person(&app, MEMBER)
            .await
            .post(&publish, &premises_body("Singapour", "SG", 2))
            .await,
        403,
    )
    .await;
    problem(
        Caller::visitor(&app)
            .post(&publish, &premises_body("Singapour", "SG", 2))
            .await,
        401,
    )
    .await;

    for (desks, field) in [(0, "desks"), (-2, "desks")] {
        let refused = problem(
            host.post(&publish, &premises_body("Singapour", "SG", desks))
                .await,
            422,
        )
        .await;
        assert_eq!(error_fields(&refused), vec![field]);
    }
    let mut backwards = premises_body("Singapour", "SG", 2);
    backwards["available_to"] = json!("2031-02-01");
    backwards["country"] = json!("XX");
    backwards["contact_email"] = json!("");
    let refused = problem(host.post(&publish, &backwards).await, 422).await;
    assert_eq!(
        error_fields(&refused),
        vec!["country", "available_to", "contact_email"]
    );

    let premises = publish_premises(&host, cluster, 2).await;
    let path = format!("/api/v1/export/premises/{premises}/stays");
    for (body, field) in [
        (stay_body("2031-04-01", "2031-04-10", 0), "desks"),
        (stay_body("2031-04-01", "2031-04-10", -1), "desks"),
        (stay_body("2031-04-01", "2031-04-10", 3), "desks"),
        (stay_body("2031-02-20", "2031-03-10", 1), "starts_on"),
        (stay_body("2031-06-20", "2031-07-10", 1), "ends_on"),
        (stay_body("2031-04-10", "2031-04-01", 1), "ends_on"),
        (stay_body("le 1er avril", "2031-04-01", 1), "starts_on"),
    ] {
        let refused = problem(sme.post(&path, &body).await, 422).await;
        assert_eq!(error_fields(&refused), vec![field], "{body}");
    }
    // The host does not request its own premises.
    let own = problem(
        host.post(&path, &stay_body("2031-04-01", "2031-04-10", 1)).await,
        422,
    )
    .await;
    assert_eq!(error_fields(&own), vec!["form"]);
    // Nothing was written.
    let seen = json_of(
        host.get(&format!("/api/v1/export/premises/{premises}")).await,
        200,
    )
    .await;
    assert_eq!(seen["requests"], json!([]));
}

#[tokio::test]
async fn a_vie_post_shared_sixty_forty() {
    vie_story(TestApp::spawn().await).await;
}

#[tokio::test]
async fn a_vie_post_shared_sixty_forty_on_postgres() {
    on_postgres("the VIE story", vie_story).await;
}

async fn vie_story(app: TestApp) {
    let cluster = app.cluster_id;
    let host = Caller::person(&app, BUYER).await;
    let sme = Caller::person(&app, ORG_ADMIN).await;
    let lab = Caller::person(&app, LAB).await;
    let publish = format!("/api/v1/clusters/{cluster}/export/vie");

    for (body, field) in [
        (vie_body(5, "4200"), "duration_months"),
        (vie_body(25, "4200"), "duration_months"),
        (vie_body(12, "-1"), "monthly_cost"),
        (vie_body(12, "0"), "monthly_cost"),
        (vie_body(12, "4200.005"), "monthly_cost"),
    ] {
        let refused = problem(host.post(&publish, &body).await, 422).await;
        assert_eq!(error_fields(&refused), vec![field], "{body}");
    }
    problem(sme.post(&publish, &vie_body(12, "4200")).await, 422).await;
    let post = created_id(host.post(&publish, &vie_body(12, "4200.00")).await).await;

    let apply = format!("/api/v1/export/vie/{post}/applications");
    for share in ["0", "-5", "100.5", "33.333", "beaucoup"] {
        let refused = problem(
            sme.post(&apply, &json!({"share": share, "tasks": "Suivi"})).await,
            422,
        )
        .await;
        assert_eq!(error_fields(&refused), vec!["share"], "{share}");
    }
    let ours = created_id(
        sme.post(&apply, &json!({"share": "60", "tasks": "Prospection Bavière"}))
            .await,
    )
    .await;
    let theirs = created_id(
        lab.post(&apply, &json!({"share": "50", "tasks": "Veille technologique"}))
            .await,
    )
    .await;
    problem(
        lab.get(&format!("/api/v1/export/vie-applications/{ours}")).await,
        404,
    )
    .await;
    problem(
        decide(
            &sme,
            &format!("/api/v1/export/vie-applications/{ours}/decision"),
            "accepted",
            "",
        )
        .await,
        403,
    )
    .await;
    json_of(
        decide(
            &host,
            &format!("/api/v1/export/vie-applications/{ours}/decision"),
            "accepted",
            "",
        )
        .await,
        200,
    )
    .await;

    // 60 + 50 would pass 100 %: refused, naming what is left.
    let over = problem(
        decide(
            &host,
            &format!("/api/v1/export/vie-applications/{theirs}/decision"),
            "accepted",
            "",
        )
        .await,
        409,
    )
    .await;
    assert!(over["detail"].as_str().unwrap().contains("40 %"), "{over}");

    // Confirming needs exactly 100 %.
    let confirm = format!("/api/v1/export/vie/{post}/confirm");
    problem(sme.post(&confirm, &json!({})).await, 403).await;
    let gap = problem(host.post(&confirm, &json!({})).await, 409).await;
    assert!(
        gap["detail"].as_str().unwrap().contains("40 % still to share"),
        "{gap}"
    );
    let partial = json_of(host.get(&format!("/api/v1/export/vie/{post}")).await, 200).await;
    assert_eq!(partial["shares"][0]["monthly_part"], "2520.00");
    assert_eq!(partial["unshared_part"], "1680.00");

    json_of(
        decide(
            &host,
            &format!("/api/v1/export/vie-applications/{theirs}/decision"),
            "declined",
            "50 % ne tient plus",
        )
        .await,
        200,
    )
    .await;
    let refused = problem(
        lab.post(&apply, &json!({"share": "45", "tasks": "Veille"})).await,
        422,
    )
    .await;
    assert_eq!(error_fields(&refused), vec!["share"]);
    let forty = created_id(
        lab.post(&apply, &json!({"share": "40.00", "tasks": "Veille"}))
            .await,
    )
    .await;
    json_of(
        decide(
            &host,
            &format!("/api/v1/export/vie-applications/{forty}/decision"),
            "accepted",
            "",
        )
        .await,
        200,
    )
    .await;
    let confirmed = json_of(host.post(&confirm, &json!({})).await, 200).await;
    assert_eq!(confirmed["confirmed"], true);
    assert_eq!(confirmed["shared"], "100");
    let parts: Vec<&str> = confirmed["shares"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["monthly_part"].as_str().unwrap())
        .collect();
    assert_eq!(parts, vec!["2520.00", "1680.00"]);
    assert_eq!(confirmed["unshared_part"], "0.00");
    assert!(
        app.mails().join("\n").contains("2520.00"),
        "the split is e-mailed"
    );

    // Once confirmed, the shares no longer move.
    problem(sme.post(&apply, &json!({"share": "1", "tasks": "x"})).await, 409).await;
    problem(host.post(&confirm, &json!({})).await, 409).await;
    // The lab reads the post and the shares, but only its own applications.
    let seen = json_of(lab.get(&format!("/api/v1/export/vie/{post}")).await, 200).await;
    assert_eq!(seen["applications"].as_array().unwrap().len(), 2, "{seen}");
    assert_eq!(seen["shares"].as_array().unwrap().len(), 2);
}

#[tokio::test]
async fn thirds_of_a_vie_add_up_to_the_cost() {
    let app = TestApp::spawn().await;
    let host = Caller::person(&app, BUYER).await;
    let sme = Caller::person(&app, ORG_ADMIN).await;
    let lab = Caller::person(&app, LAB).await;
    let post = created_id(
        host.post(
            &format!("/api/v1/clusters/{}/export/vie", app.cluster_id),
            &vie_body(6, "1000.00"),
        )
        .await,
    )
    .await;
    let apply = format!("/api/v1/export/vie/{post}/applications");
    for (who, share) in [(&sme, "33.33"), (&lab, "33.33")] {
        let id = created_id(who.post(&apply, &json!({"share": share, "tasks": "Suivi"})).await).await;
        json_of(
            decide(
                &host,
                &format!("/api/v1/export/vie-applications/{id}/decision"),
                "accepted",
                "",
            )
            .await,
            200,
        )
        .await;
    }
    let seen = json_of(host.get(&format!("/api/v1/export/vie/{post}")).await, 200).await;
    assert_eq!(seen["remaining"], "33.34");
    let parts: Vec<&str> = seen["shares"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["monthly_part"].as_str().unwrap())
        .collect();
    assert_eq!(parts, vec!["333.30", "333.30"]);
    assert_eq!(seen["unshared_part"], "333.40");
}

#[tokio::test]
async fn visitors_and_strangers_do_not_see_export_offers() {
    let app = TestApp::spawn().await;
    let host = Caller::person(&app, BUYER).await;
    let premises = publish_premises(&host, app.cluster_id, 2).await;
    problem(
        Caller::visitor(&app)
            .get(&format!("/api/v1/export/premises/{premises}"))
            .await,
        401,
    )
    .await;
    problem(host.get("/api/v1/export/premises/999999").await, 404).await;
    problem(host.get("/api/v1/clusters/999999/export").await, 404).await;
    // A registry participant of another cluster does not know the offers exist.
    let post = created_id(
        host.post(
            &format!("/api/v1/clusters/{}/export/vie", app.cluster_id),
            &vie_body(12, "4200"),
        )
        .await,
    )
    .await;
    let stay = created_id(
        Caller::person(&app, ORG_ADMIN)
            .await
            .post(
                &format!("/api/v1/export/premises/{premises}/stays"),
                &stay_body("2031-04-01", "2031-04-02", 1),
            )
            .await,
    )
    .await;
    let stranger = stranger(&app).await;
    for path in [
        format!("/api/v1/clusters/{}/export", app.cluster_id),
        format!("/api/v1/export/premises/{premises}"),
        format!("/api/v1/export/vie/{post}"),
        format!("/api/v1/export/stays/{stay}"),
    ] {
        problem(stranger.get(&path).await, 404).await;
    }
    problem(
        stranger
            .post(
                &format!("/api/v1/export/premises/{premises}/stays"),
                &stay_body("2031-04-01", "2031-04-02", 1),
            )
            .await,
        404,
    )
    .await;
    problem(
        stranger
            .post(
                &format!("/api/v1/export/vie/{post}/applications"),
                &json!({"share": "10", "tasks": "x"}),
            )
            .await,
        404,
    )
    .await;
    let response = host
        .request(Method::GET, "/api/v1/export/stays/999999")
        .send()
        .await
        .unwrap();
    problem(response, 404).await;
}

// ---- pages --------------------------------------------------------------------------------------

#[tokio::test]
async fn a_stay_is_requested_and_accepted_through_the_pages() {
    stay_pages(TestApp::spawn().await).await;
}

#[tokio::test]
async fn a_stay_is_requested_and_accepted_through_the_pages_on_postgres() {
    on_postgres("the stay pages", stay_pages).await;
}

async fn stay_pages(app: TestApp) {
    let host = app.signed_in(BUYER).await;
    let sme = app.signed_in(ORG_ADMIN).await;

    // The SME may not publish: the host form is not theirs.
    let response = sme
        .client
        .get(app.url("/export/premises/new"))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 403);
    let form = page(&host.client, &app, "/export/premises/new").await;
    assert!(form.contains("id=\"premises-form\""), "{form}");

    let mut fields = vec![
        ("city", "Singapour"),
        ("country", "SG"),
        ("desks", "zéro"),
        ("available_from", "2031-03-01"),
        ("available_to", "2031-06-30"),
        ("conditions", "Bureau fermé"),
        ("contact_email", "asie@grandcompte-demo.fr"),
    ];
    let refused = body_of(post_form(&host, &app, "/export/premises", &fields).await, 422).await;
    assert!(
        refused.contains("error-summary") && refused.contains("value=\"Singapour\""),
        "{refused}"
    );
    // The contact may be a person of the host instead of an address.
    assert!(form.contains("id=\"contact_person_id\""));
    let buyer_id = crate::committee_fixture::person_id(&app, BUYER).await.to_string();
    // Every error at once, each beside its field.
    fields[0] = ("city", "");
    let refused = body_of(post_form(&host, &app, "/export/premises", &fields).await, 422).await;
    assert!(
        refused.contains("href=\"#desks\"")
            && refused.contains("href=\"#city\"")
            && refused.contains("aria-describedby=\"desks-error\"")
            && refused.contains("id=\"city-error\""),
        "{refused}"
    );
    fields[0] = ("city", "Singapour");
    fields[2] = ("desks", "2");
    fields.push(("contact_person_id", &buyer_id));
    let published = post_form(&host, &app, "/export/premises", &fields).await;
    assert_eq!(published.status(), 303);
    let premises_path = location(&published).split('?').next().unwrap().to_owned();
    let seen = page(&sme.client, &app, &premises_path).await;
    assert!(
        seen.contains("mailto:asie@grandcompte-demo.fr") && seen.contains("01/03/2031 → 30/06/2031"),
        "{seen}"
    );
    assert!(page(&sme.client, &app, "/export").await.contains(&premises_path));

    // A request outside the availability comes back with its error and the typed purpose kept.
    let stays = format!("{premises_path}/stays");
    let mut request = vec![
        ("starts_on", "2031-02-01"),
        ("ends_on", "2031-02-10"),
        ("desks", "1"),
        ("purpose", "Salon Aerospace Asia"),
    ];
    let refused = body_of(post_form(&sme, &app, &stays, &request).await, 422).await;
    assert!(
        refused.contains("href=\"#starts_on\"") && refused.contains("Salon Aerospace Asia"),
        "{refused}"
    );
    request[0] = ("starts_on", "2031-04-01");
    request[1] = ("ends_on", "2031-04-10");
    let sent = post_form(&sme, &app, &stays, &request).await;
    assert_eq!(location(&sent), format!("{premises_path}?notice=requested"));

    let host_page = page(&host.client, &app, &premises_path).await;
    let stay_id = host_page
        .split("id=\"accept-")
        .nth(1)
        .and_then(|rest| rest.split('"').next())
        .expect("an accept button for the pending request")
        .to_owned();
    let decided = post_form(
        &host,
        &app,
        &format!("/export/stays/{stay_id}/decision"),
        &[("outcome", "accepted"), ("message", "Bienvenue à Changi")],
    )
    .await;
    assert_eq!(location(&decided), format!("{premises_path}?notice=decided"));
    let seen = page(&sme.client, &app, &premises_path).await;
    assert!(
        seen.contains("Acceptée") && seen.contains("Bienvenue à Changi"),
        "{seen}"
    );
    // The requester has no accept button, and answering is refused to them.
    assert!(!seen.contains("id=\"accept-") && !seen.contains("id=\"edit-premises\""));

    // The host edits the premises: none may go below the accepted stay's desk.
    let edit = page(&host.client, &app, &format!("{premises_path}/edit")).await;
    assert!(
        edit.contains("value=\"Singapour\"") && edit.contains(&format!("action=\"{premises_path}\"")),
        "{edit}"
    );
    // Both contacts come back as stored: the person chosen and the address given.
    assert!(
        edit.contains(&format!("<option value=\"{buyer_id}\" selected>"))
            && edit.contains("value=\"asie@grandcompte-demo.fr\""),
        "{edit}"
    );
    let sme_edit = sme
        .client
        .get(app.url(&format!("{premises_path}/edit")))
        .send()
        .await
        .unwrap();
    assert_eq!(sme_edit.status(), 403);
    let edits = [
        ("host_id", ""),
        ("city", "Singapour"),
        ("country", "SG"),
        ("desks", "0"),
        ("available_from", "2031-03-01"),
        ("available_to", "2031-06-30"),
        ("contact_person_id", buyer_id.as_str()),
    ];
    let refused = body_of(post_form(&host, &app, &premises_path, &edits).await, 422).await;
    assert!(refused.contains("href=\"#desks\""), "{refused}");
    let mut edits = edits.to_vec();
    edits[3] = ("desks", "6");
    let saved = post_form(&host, &app, &premises_path, &edits).await;
    assert_eq!(location(&saved), format!("{premises_path}?notice=saved"));
    assert!(page(&sme.client, &app, &premises_path).await.contains("<dd>6 "));

    let again = post_form(
        &sme,
        &app,
        &format!("/export/stays/{stay_id}/decision"),
        &[("outcome", "declined")],
    )
    .await;
    assert_eq!(again.status(), 403);
}

#[tokio::test]
async fn a_vie_is_shared_through_the_pages() {
    let app = TestApp::spawn().await;
    let host = app.signed_in(BUYER).await;
    let sme = app.signed_in(ORG_ADMIN).await;
    let lab = app.signed_in(LAB).await;
    let published = post_form(
        &host,
        &app,
        "/export/vie",
        &[
            ("title", ""),
            ("country", "DE"),
            ("city", "Stuttgart"),
            ("mission", "Ventes outillage"),
            ("starts_on", "2031-09-01"),
            ("duration_months", "douze"),
            ("monthly_cost", "3 600,00"),
        ],
    )
    .await;
    // Every error at once: the page's own about the number, the use-case's about the rest.
    let refused = body_of(published, 422).await;
    assert!(
        refused.contains("href=\"#duration_months\"")
            && refused.contains("douze")
            && refused.contains("is not a whole number")
            && refused.contains("href=\"#title\"")
            && refused
                .contains("aria-invalid=\"true\" aria-describedby=\"duration-hint duration_months-error\""),
        "{refused}"
    );
    let published = post_form(
        &host,
        &app,
        "/export/vie",
        &[
            ("title", "VIE Stuttgart"),
            ("country", "DE"),
            ("city", "Stuttgart"),
            ("mission", "Ventes outillage"),
            ("starts_on", "2031-09-01"),
            ("duration_months", "12"),
            ("monthly_cost", "3 600,00"),
        ],
    )
    .await;
    assert_eq!(published.status(), 303);
    let post_path = location(&published).split('?').next().unwrap().to_owned();
    let apply = format!("{post_path}/applications");
    let sent = post_form(&sme, &app, &apply, &[("share", "75"), ("tasks", "Prospection")]).await;
    assert_eq!(sent.status(), 303);
    let zero = body_of(
        post_form(&lab, &app, &apply, &[("share", "0"), ("tasks", "Veille")]).await,
        422,
    )
    .await;
    assert!(zero.contains("href=\"#share\""), "{zero}");

    let host_page = page(&host.client, &app, &post_path).await;
    let application = host_page
        .split("id=\"accept-")
        .nth(1)
        .and_then(|rest| rest.split('"').next())
        .unwrap()
        .to_owned();
    post_form(
        &host,
        &app,
        &format!("/export/vie-applications/{application}/decision"),
        &[("outcome", "accepted")],
    )
    .await;
    let gap = body_of(
        post_form(&host, &app, &format!("{post_path}/confirm"), &[]).await,
        409,
    )
    .await;
    assert!(gap.contains("25 % still to share"), "{gap}");
    // The sharer reads the split, in French: "2 700,00 €" (narrow no-break space, no-break space).
    let split = page(&sme.client, &app, &post_path).await;
    assert!(
        split.contains("2\u{202f}700,00\u{a0}€")
            && split.contains("900,00\u{a0}€")
            && split.contains("3\u{202f}600,00\u{a0}€")
            && split.contains("75\u{a0}%")
            && split.contains("01/09/2031"),
        "{split}"
    );
    // The lab shares nothing: it reads how much is shared, not who pays what.
    let lab_page = page(&lab.client, &app, &post_path).await;
    assert!(
        lab_page.contains("75\u{a0}%") && !lab_page.contains("id=\"split\"") && !lab_page.contains("700,00"),
        "{lab_page}"
    );
    // A share typed the French way is read.
    let sent = post_form(&lab, &app, &apply, &[("share", "12,5"), ("tasks", "Veille")]).await;
    assert_eq!(sent.status(), 303);
    assert!(page(&host.client, &app, &post_path).await.contains("12,5\u{a0}%"));
}

#[tokio::test]
async fn the_demo_offers_premises_abroad_and_a_vie_shared_sixty_forty() {
    let app = TestApp::spawn().await;
    let sme = Caller::person(&app, ORG_ADMIN).await;
    let hub = json_of(
        sme.get(&format!("/api/v1/clusters/{}/export", app.cluster_id))
            .await,
        200,
    )
    .await;
    let cities: Vec<&str> = hub["premises"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["city"].as_str().unwrap())
        .collect();
    assert_eq!(cities, vec!["Montréal", "Singapour"]);
    let montreal = &hub["premises"][0];
    assert_eq!(montreal["requests"][0]["state"], "pending", "{montreal}");
    let post = &hub["posts"][0];
    assert_eq!(
        (post["city"].as_str(), post["confirmed"].as_bool()),
        (Some("Munich"), Some(true))
    );
    let shares: Vec<(&str, &str)> = post["shares"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| (s["share"].as_str().unwrap(), s["monthly_part"].as_str().unwrap()))
        .collect();
    assert_eq!(shares, vec![("60", "2520.00"), ("40", "1680.00")]);
    // The buyer answers the demo SME's pending request from the premises page.
    let host = app.signed_in(BUYER).await;
    let html = page(
        &host.client,
        &app,
        &format!("/export/premises/{}", montreal["id"]),
    )
    .await;
    assert!(
        html.contains("id=\"accept-"),
        "the pending request waits for the host"
    );
    // The sharing SME reads the split in its language: French first, English on request, the
    // country named in that language too.
    let reader = app.signed_in(ORG_ADMIN).await;
    let vie_path = format!("/export/vie/{}", post["id"]);
    let french = page(&reader.client, &app, &vie_path).await;
    assert!(
        french.contains("2\u{202f}520,00\u{a0}€")
            && french.contains("60\u{a0}%")
            && french.contains("Allemagne"),
        "{french}"
    );
    let switched = post_form(&reader, &app, "/lang", &[("locale", "en"), ("next", "/")]).await;
    assert_eq!(switched.status(), 303);
    let english = page(&reader.client, &app, &vie_path).await;
    assert!(
        english.contains("€2,520.00") && english.contains("Germany") && !english.contains("Allemagne"),
        "{english}"
    );
}

#[tokio::test]
async fn the_staff_publish_for_a_large_member_but_never_for_an_sme() {
    let app = TestApp::spawn().await;
    let staff = Caller::person(&app, ADMIN).await;
    let publish = format!("/api/v1/clusters/{}/export/premises", app.cluster_id);
    let large = app.organisation_id(DEMO_LARGE_ACCOUNT).await;
    let sme = app.organisation_id(DEMO_SME).await;
    let mut body = premises_body("Singapour", "SG", 2);
    body["host_id"] = json!(sme);
    let refused = problem(staff.post(&publish, &body).await, 422).await;
    assert_eq!(error_fields(&refused), vec!["host_id"]);
    body["host_id"] = json!(large);
    let published = json_of(staff.post(&publish, &body).await, 201).await;
    assert_eq!(published["host_id"], large);
    assert_eq!(published["is_host"], true, "the staff answer for the host");
    // The large account's buyer answers it too, the SME reads it.
    let seen = json_of(
        Caller::person(&app, BUYER)
            .await
            .get(&format!("/api/v1/export/premises/{}", published["id"]))
            .await,
        200,
    )
    .await;
    assert_eq!(seen["is_host"], true);
    let seen = json_of(
        Caller::person(&app, ORG_ADMIN)
            .await
            .get(&format!("/api/v1/export/premises/{}", published["id"]))
            .await,
        200,
    )
    .await;
    assert_eq!(
        (seen["is_host"].as_bool(), seen["may_request"].as_bool()),
        (Some(false), Some(true))
    );
}

/// The staff of another cluster the host also belongs to do not answer for offers made here.
#[tokio::test]
async fn the_staff_of_another_cluster_do_not_answer_for_the_host_here() {
    let app = TestApp::spawn().await;
    let large = app.organisation_id(DEMO_LARGE_ACCOUNT).await;
    let lab = app.organisation_id(app::demo::DEMO_LAB).await;
    {
        let mut conn = app.db.store.conn().await.unwrap();
        let other = store::clusters::insert(&mut conn, "Pôle Voisin", "pole-voisin")
            .await
            .unwrap();
        store::clusters::add_member(&mut conn, other, large)
            .await
            .unwrap();
        let person = store::people::insert(
            &mut conn,
            &store::records::NewPerson {
                organisation_id: lab,
                email: "animation@pole-voisin.fr".into(),
                first_name: "Inès".into(),
                last_name: "Voisin".into(),
                job_title: None,
                locale: "fr".into(),
                password_hash: None,
            },
        )
        .await
        .unwrap();
        store::people::grant(&mut conn, person, "cluster_admin", "cluster", other)
            .await
            .unwrap();
    }
    let host = Caller::person(&app, BUYER).await;
    let sme = Caller::person(&app, ORG_ADMIN).await;
    let neighbour = Caller::person(&app, "animation@pole-voisin.fr").await;
    let premises = publish_premises(&host, app.cluster_id, 2).await;
    let stay = created_id(
        sme.post(
            &format!("/api/v1/export/premises/{premises}/stays"),
            &stay_body("2031-04-01", "2031-04-02", 1),
        )
        .await,
    )
    .await;
    problem(
        neighbour
            .get(&format!("/api/v1/export/premises/{premises}"))
            .await,
        404,
    )
    .await;
    problem(
        decide(
            &neighbour,
            &format!("/api/v1/export/stays/{stay}/decision"),
            "accepted",
            "",
        )
        .await,
        404,
    )
    .await;
    let still = json_of(sme.get(&format!("/api/v1/export/stays/{stay}")).await, 200).await;
    assert_eq!(still["state"], "pending");
}

/// The org admin of an organisation of another cluster: a registry participant, elsewhere.
async fn stranger(app: &TestApp) -> Caller<'_> {
    let fixture = Fixture::prepare(app).await;
    let mut conn = app.db.store.conn().await.unwrap();
    store::people::grant(
        &mut conn,
        fixture.foreign_person,
        "org_admin",
        "organisation",
        fixture.foreign_org,
    )
    .await
    .unwrap();
    drop(conn);
    Caller::person(app, "secret@forge-nord.fr").await
}

async fn accept(host: &Caller<'_>, kind: &str, id: i64) -> reqwest::Response {
    decide(
        host,
        &format!("/api/v1/export/{kind}/{id}/decision"),
        "accepted",
        "",
    )
    .await
}

async fn publish_vie(host: &Caller<'_>, cluster: i64, cost: &str) -> Value {
    json_of(
        host.post(
            &format!("/api/v1/clusters/{cluster}/export/vie"),
            &vie_body(12, cost),
        )
        .await,
        201,
    )
    .await
}

async fn apply(who: &Caller<'_>, post: i64, share: &str) -> reqwest::Response {
    who.post(
        &format!("/api/v1/export/vie/{post}/applications"),
        &json!({"share": share, "tasks": "Prospection"}),
    )
    .await
}

async fn applications_seen_by_host(host: &Caller<'_>, post: i64) -> Vec<Value> {
    json_of(host.get(&format!("/api/v1/export/vie/{post}")).await, 200).await["applications"]
        .as_array()
        .unwrap()
        .clone()
}

#[tokio::test]
async fn who_pays_what_is_for_the_host_and_the_sharers_only() {
    let app = TestApp::spawn().await;
    let host = Caller::person(&app, BUYER).await;
    let sme = Caller::person(&app, ORG_ADMIN).await;
    let post = publish_vie(&host, app.cluster_id, "4200").await["id"]
        .as_i64()
        .unwrap();
    let ours = created_id(apply(&sme, post, "60").await).await;
    json_of(accept(&host, "vie-applications", ours).await, 200).await;

    for (who, sees) in [(BUYER, 1), (ORG_ADMIN, 1), (MEMBER, 1), (LAB, 0)] {
        let caller = Caller::person(&app, who).await;
        let seen = json_of(caller.get(&format!("/api/v1/export/vie/{post}")).await, 200).await;
        assert_eq!(seen["shares"].as_array().unwrap().len(), sees, "{who}: {seen}");
        assert_eq!(
            (seen["shared"].as_str(), seen["remaining"].as_str()),
            (Some("60"), Some("40"))
        );
        let hub = json_of(
            caller
                .get(&format!("/api/v1/clusters/{}/export", app.cluster_id))
                .await,
            200,
        )
        .await;
        let listed = hub["posts"]
            .as_array()
            .unwrap()
            .iter()
            .find(|p| p["id"] == post)
            .unwrap()
            .clone();
        assert_eq!(
            listed["shares"].as_array().unwrap().len(),
            sees,
            "{who} on the hub"
        );
    }
}

#[tokio::test]
async fn mails_reach_the_people_concerned_only() {
    mails_story(TestApp::spawn().await).await;
}

#[tokio::test]
async fn mails_reach_the_people_concerned_only_on_postgres() {
    on_postgres("export mails", mails_story).await;
}

async fn mails_story(app: TestApp) {
    let fixture = Fixture::prepare(&app).await;
    let host = Caller::person(&app, BUYER).await;
    let sme = Caller::person(&app, ORG_ADMIN).await;
    let lab = Caller::person(&app, LAB).await;
    let other = Caller::person(&app, &fixture.other_person_email).await;

    // A stay: the SME's requester and the host's contact hear of it, not the lab nor colleagues.
    let premises = publish_premises(&host, app.cluster_id, 2).await;
    created_id(
        sme.post(
            &format!("/api/v1/export/premises/{premises}/stays"),
            &stay_body("2031-04-01", "2031-04-10", 1),
        )
        .await,
    )
    .await;
    assert_eq!(mails_to(&app, ORG_ADMIN).len(), 1);
    assert_eq!(mails_to(&app, "international@grandcompte-demo.fr").len(), 1);
    for nobody in [LAB, MEMBER, EVALUATOR, BUYER] {
        assert!(
            mails_to(&app, nobody).is_empty(),
            "{nobody} hears nothing of the stay"
        );
    }

    // A VIE: the host side is the person who published, never the evaluator.
    let post = publish_vie(&host, app.cluster_id, "4200").await["id"]
        .as_i64()
        .unwrap();
    let ours = created_id(apply(&sme, post, "60").await).await;
    assert!(
        mails_to(&app, BUYER).iter().any(|m| m.contains("60 %")),
        "the host is told of the application"
    );
    assert_eq!(mails_to(&app, ORG_ADMIN).len(), 2);
    json_of(accept(&host, "vie-applications", ours).await, 200).await;
    let waiting = created_id(apply(&other, post, "20").await).await;
    let theirs = created_id(apply(&lab, post, "40").await).await;
    json_of(accept(&host, "vie-applications", theirs).await, 200).await;
    let confirmed = json_of(
        host.post(&format!("/api/v1/export/vie/{post}/confirm"), &json!({}))
            .await,
        200,
    )
    .await;
    assert_eq!(confirmed["confirmed"], true);

    // Confirming closes the application still waiting, in the same transaction, and says so.
    let closed = json_of(
        other
            .get(&format!("/api/v1/export/vie-applications/{waiting}"))
            .await,
        200,
    )
    .await;
    assert_eq!(closed["state"], "declined");
    assert!(closed["answer"].as_str().unwrap().contains("confirm"), "{closed}");
    assert!(
        mails_to(&app, &fixture.other_person_email)
            .iter()
            .any(|m| m.contains("close")),
        "the waiting applicant is told"
    );
    for told in [BUYER, ORG_ADMIN, LAB] {
        assert!(
            mails_to(&app, told).iter().any(|m| m.contains("2520.00")),
            "{told} receives the confirmed split"
        );
    }
    for nobody in [MEMBER, EVALUATOR] {
        assert!(mails_to(&app, nobody).is_empty(), "{nobody} hears nothing");
    }
}

#[tokio::test]
async fn hosting_rights_are_checked_before_the_host() {
    let app = TestApp::spawn().await;
    let publish = format!("/api/v1/clusters/{}/export/premises", app.cluster_id);
    let large = app.organisation_id(DEMO_LARGE_ACCOUNT).await;
    let sme = Caller::person(&app, ORG_ADMIN).await;
    let before = offers(&app).await;
    // Someone else's organisation, known or not: the same 403, nothing learnt.
    for host_id in [json!(large), json!(999_999)] {
        let mut body = premises_body("Montréal", "CA", 2);
        body["host_id"] = host_id;
        problem(sme.post(&publish, &body).await, 403).await;
    }
    problem(
        Caller::person(&app, MEMBER)
            .await
            .post(&publish, &premises_body("Montréal", "CA", 2))
            .await,
        403,
    )
    .await;
    // Their own SME: they speak for it, but it does not host.
    let refused = problem(sme.post(&publish, &premises_body("Montréal", "CA", 2)).await, 422).await;
    assert_eq!(error_fields(&refused), vec!["host_id"]);
    // The staff may name any member: an unknown one is a bad field.
    let mut body = premises_body("Montréal", "CA", 2);
    body["host_id"] = json!(999_999);
    let refused = problem(Caller::person(&app, ADMIN).await.post(&publish, &body).await, 422).await;
    assert_eq!(error_fields(&refused), vec!["host_id"]);
    assert_eq!(offers(&app).await, before, "nothing written");
}

/// How many premises and VIE posts the cluster offers (the demo's included).
async fn offers(app: &TestApp) -> (usize, usize) {
    let hub = json_of(
        Caller::person(app, BUYER)
            .await
            .get(&format!("/api/v1/clusters/{}/export", app.cluster_id))
            .await,
        200,
    )
    .await;
    (
        hub["premises"].as_array().unwrap().len(),
        hub["posts"].as_array().unwrap().len(),
    )
}

#[tokio::test]
async fn accepting_checks_the_premises_as_they_are_now() {
    premises_now_story(TestApp::spawn().await).await;
}

#[tokio::test]
async fn accepting_checks_the_premises_as_they_are_now_on_postgres() {
    on_postgres("premises as they are now", premises_now_story).await;
}

async fn premises_now_story(app: TestApp) {
    let host = Caller::person(&app, BUYER).await;
    let sme = Caller::person(&app, ORG_ADMIN).await;
    let lab = Caller::person(&app, LAB).await;
    let premises = publish_premises(&host, app.cluster_id, 3).await;
    let stays = format!("/api/v1/export/premises/{premises}/stays");
    let three = created_id(sme.post(&stays, &stay_body("2031-04-01", "2031-04-10", 3)).await).await;
    let late = created_id(lab.post(&stays, &stay_body("2031-06-20", "2031-06-30", 1)).await).await;

    // The host shrinks the premises (no stay is accepted yet, so the edit is allowed) ...
    let path = format!("/api/v1/export/premises/{premises}");
    let mut smaller = premises_body("Montréal", "CA", 2);
    smaller["available_to"] = json!("2031-06-15");
    json_of(host.put(&path, &smaller).await, 200).await;
    // ... and the pending requests that no longer fit cannot be accepted.
    let refused = problem(accept(&host, "stays", three).await, 409).await;
    assert!(
        refused["detail"].as_str().unwrap().contains("at most 2 desks"),
        "{refused}"
    );
    let refused = problem(accept(&host, "stays", late).await, 409).await;
    assert!(
        refused["detail"].as_str().unwrap().contains("available"),
        "{refused}"
    );
    for id in [three, late] {
        let seen = json_of(host.get(&format!("/api/v1/export/stays/{id}")).await, 200).await;
        assert_eq!(seen["state"], "pending");
    }

    // An accepted stay pins the availability: the error names the end that would leave it out.
    let one = created_id(sme.post(&stays, &stay_body("2031-04-01", "2031-04-10", 1)).await).await;
    json_of(accept(&host, "stays", one).await, 200).await;
    let mut later_start = smaller.clone();
    later_start["available_from"] = json!("2031-04-05");
    let refused = problem(host.put(&path, &later_start).await, 422).await;
    assert_eq!(error_fields(&refused), vec!["available_from"]);
    let mut earlier_end = smaller.clone();
    earlier_end["available_to"] = json!("2031-04-05");
    let refused = problem(host.put(&path, &earlier_end).await, 422).await;
    assert_eq!(error_fields(&refused), vec!["available_to"]);
}

#[tokio::test]
async fn days_in_the_past_are_refused() {
    let app = TestApp::spawn().await;
    let host = Caller::person(&app, BUYER).await;
    let sme = Caller::person(&app, ORG_ADMIN).await;
    let mut body = premises_body("Montréal", "CA", 2);
    body["available_from"] = json!("2020-01-01");
    let refused = problem(
        host.post(
            &format!("/api/v1/clusters/{}/export/premises", app.cluster_id),
            &body,
        )
        .await,
        422,
    )
    .await;
    assert_eq!(error_fields(&refused), vec!["available_from"]);
    let mut body = vie_body(12, "4200");
    body["starts_on"] = json!("2020-01-01");
    let refused = problem(
        host.post(&format!("/api/v1/clusters/{}/export/vie", app.cluster_id), &body)
            .await,
        422,
    )
    .await;
    assert_eq!(error_fields(&refused), vec!["starts_on"]);
    // Premises available since long ago: a stay may not start in the past all the same.
    let premises = {
        let mut conn = app.db.store.conn().await.unwrap();
        let mut fields = store::export::PremisesFields {
            city: "Montréal".into(),
            country: "CA".into(),
            desks: 2,
            available_from: "2020-01-01".into(),
            available_to: "2040-12-31".into(),
            conditions: String::new(),
            contact_person_id: None,
            contact_email: Some("international@grandcompte-demo.fr".into()),
        };
        fields.conditions = "Badge".into();
        let large = app.organisation_id(DEMO_LARGE_ACCOUNT).await;
        store::export::insert_premises(&mut conn, app.cluster_id, large, &fields, None, 1)
            .await
            .unwrap()
    };
    let refused = problem(
        sme.post(
            &format!("/api/v1/export/premises/{premises}/stays"),
            &stay_body("2020-02-01", "2031-02-10", 1),
        )
        .await,
        422,
    )
    .await;
    assert_eq!(error_fields(&refused), vec!["starts_on"]);
    assert!(refused.to_string().contains("in the past"), "{refused}");
}

#[tokio::test]
async fn one_live_application_per_organisation_and_nothing_written_when_refused() {
    let app = TestApp::spawn().await;
    let host = Caller::person(&app, BUYER).await;
    let sme = Caller::person(&app, ORG_ADMIN).await;
    let colleague = Caller::person(&app, MEMBER).await;
    let post = publish_vie(&host, app.cluster_id, "4200").await["id"]
        .as_i64()
        .unwrap();
    let first = created_id(apply(&sme, post, "30").await).await;
    problem(apply(&colleague, post, "20").await, 409).await;
    problem(apply(&sme, post, "0").await, 422).await;
    let refused = problem(
        sme.post(
            &format!("/api/v1/export/vie/{post}/applications"),
            &json!({"share": 40, "tasks": "Prospection"}),
        )
        .await,
        422,
    )
    .await;
    assert!(refused.is_object());
    assert_eq!(
        applications_seen_by_host(&host, post).await.len(),
        1,
        "nothing written"
    );
    // Once accepted, still one; once withdrawn, the organisation may apply again.
    json_of(accept(&host, "vie-applications", first).await, 200).await;
    problem(apply(&colleague, post, "20").await, 409).await;
    let second_post = publish_vie(&host, app.cluster_id, "3000").await["id"]
        .as_i64()
        .unwrap();
    let pending = created_id(apply(&sme, second_post, "30").await).await;
    json_of(
        sme.post(
            &format!("/api/v1/export/vie-applications/{pending}/withdraw"),
            &json!({}),
        )
        .await,
        200,
    )
    .await;
    created_id(apply(&colleague, second_post, "20").await).await;
}

#[tokio::test]
async fn withdrawing_vie_posts_and_applications() {
    withdraw_vie_story(TestApp::spawn().await).await;
}

#[tokio::test]
async fn withdrawing_vie_posts_and_applications_on_postgres() {
    on_postgres("withdrawing VIE posts", withdraw_vie_story).await;
}

async fn withdraw_vie_story(app: TestApp) {
    let host = Caller::person(&app, BUYER).await;
    let sme = Caller::person(&app, ORG_ADMIN).await;
    let lab = Caller::person(&app, LAB).await;
    let post = publish_vie(&host, app.cluster_id, "4200").await["id"]
        .as_i64()
        .unwrap();
    let ours = created_id(apply(&sme, post, "30").await).await;
    let theirs = created_id(apply(&lab, post, "20").await).await;

    // The applicant withdraws its own pending application (nobody else may), and the host hears.
    problem(
        sme.post(
            &format!("/api/v1/export/vie-applications/{theirs}/withdraw"),
            &json!({}),
        )
        .await,
        404,
    )
    .await;
    let withdrawn = json_of(
        lab.post(
            &format!("/api/v1/export/vie-applications/{theirs}/withdraw"),
            &json!({}),
        )
        .await,
        200,
    )
    .await;
    assert_eq!(withdrawn["state"], "withdrawn");
    assert!(
        mails_to(&app, BUYER).iter().any(|m| m.contains("retir")),
        "the host hears of it"
    );
    problem(
        lab.post(
            &format!("/api/v1/export/vie-applications/{theirs}/withdraw"),
            &json!({}),
        )
        .await,
        409,
    )
    .await;

    // The host withdraws the post: the pending application is declined and its applicant told.
    let before = mails_to(&app, ORG_ADMIN).len();
    problem(
        sme.post(&format!("/api/v1/export/vie/{post}/withdraw"), &json!({}))
            .await,
        403,
    )
    .await;
    let gone = json_of(
        host.post(&format!("/api/v1/export/vie/{post}/withdraw"), &json!({}))
            .await,
        200,
    )
    .await;
    assert_eq!(gone["withdrawn"], true);
    let declined = json_of(
        sme.get(&format!("/api/v1/export/vie-applications/{ours}")).await,
        200,
    )
    .await;
    assert_eq!(declined["state"], "declined");
    assert_eq!(mails_to(&app, ORG_ADMIN).len(), before + 1);
    assert!(mails_to(&app, MEMBER).is_empty());
    assert_eq!(
        mails_to(&app, LAB).len(),
        1,
        "the lab, no longer applying, only had its application's receipt... none after"
    );

    // A confirmed sharing is not withdrawn from here.
    let confirmed = publish_vie(&host, app.cluster_id, "4200").await["id"]
        .as_i64()
        .unwrap();
    let all = created_id(apply(&sme, confirmed, "100").await).await;
    json_of(accept(&host, "vie-applications", all).await, 200).await;
    json_of(
        host.post(&format!("/api/v1/export/vie/{confirmed}/confirm"), &json!({}))
            .await,
        200,
    )
    .await;
    problem(
        host.post(&format!("/api/v1/export/vie/{confirmed}/withdraw"), &json!({}))
            .await,
        409,
    )
    .await;
}

#[tokio::test]
async fn withdrawing_premises_tells_the_stays_still_to_come() {
    let app = TestApp::spawn().await;
    let host = Caller::person(&app, BUYER).await;
    let sme = Caller::person(&app, ORG_ADMIN).await;
    let lab = Caller::person(&app, LAB).await;
    let premises = publish_premises(&host, app.cluster_id, 2).await;
    let stays = format!("/api/v1/export/premises/{premises}/stays");
    let accepted = created_id(sme.post(&stays, &stay_body("2031-04-01", "2031-04-10", 1)).await).await;
    json_of(accept(&host, "stays", accepted).await, 200).await;
    let pending = created_id(lab.post(&stays, &stay_body("2031-05-01", "2031-05-10", 1)).await).await;
    json_of(
        host.post(
            &format!("/api/v1/export/premises/{premises}/withdraw"),
            &json!({}),
        )
        .await,
        200,
    )
    .await;
    let seen = json_of(lab.get(&format!("/api/v1/export/stays/{pending}")).await, 200).await;
    assert_eq!(seen["state"], "declined");
    let seen = json_of(sme.get(&format!("/api/v1/export/stays/{accepted}")).await, 200).await;
    assert_eq!(seen["state"], "accepted");
    assert!(
        mails_to(&app, ORG_ADMIN)
            .iter()
            .any(|m| m.contains("01/04/2031") && m.contains("international@grandcompte-demo.fr")),
        "the accepted stay's requester is told, with dates in French and whom to write to"
    );
    assert!(mails_to(&app, LAB).iter().any(|m| m.contains("close")));
}

#[tokio::test]
async fn money_to_the_cent_and_bad_json_are_answered() {
    let app = TestApp::spawn().await;
    let host = Caller::person(&app, BUYER).await;
    let (premises_before, posts_before) = offers(&app).await;
    for (typed, stored) in [("4200", "4200.00"), ("4200.5", "4200.50"), ("4200.50", "4200.50")] {
        let post = publish_vie(&host, app.cluster_id, typed).await;
        assert_eq!(post["monthly_cost"], stored, "{typed}");
    }
    // Missing texts are field errors; wrong JSON types are refused before anything is read.
    let mut body = vie_body(12, "4200");
    body["title"] = json!("");
    body["mission"] = json!(" ");
    let publish = format!("/api/v1/clusters/{}/export/vie", app.cluster_id);
    let refused = problem(host.post(&publish, &body).await, 422).await;
    assert_eq!(error_fields(&refused), vec!["title", "mission"]);
    let mut body = vie_body(12, "4200");
    body.as_object_mut().unwrap().remove("title");
    problem(host.post(&publish, &body).await, 422).await;
    let mut body = premises_body("Montréal", "CA", 2);
    body["desks"] = json!("2");
    let premises_path = format!("/api/v1/clusters/{}/export/premises", app.cluster_id);
    problem(host.post(&premises_path, &body).await, 422).await;
    // The contact person must be one of the host's people.
    let mut body = premises_body("Montréal", "CA", 2);
    body["contact_person_id"] = json!(crate::committee_fixture::person_id(&app, ORG_ADMIN).await);
    let refused = problem(host.post(&premises_path, &body).await, 422).await;
    assert_eq!(error_fields(&refused), vec!["contact_person_id"]);
    assert_eq!(
        offers(&app).await,
        (premises_before, posts_before + 3),
        "only the three good posts are written"
    );
}

#[tokio::test]
async fn a_refused_decision_keeps_the_message_beside_its_request() {
    let app = TestApp::spawn().await;
    let api_host = Caller::person(&app, BUYER).await;
    let premises = publish_premises(&api_host, app.cluster_id, 1).await;
    let stays = format!("/api/v1/export/premises/{premises}/stays");
    let first = created_id(
        Caller::person(&app, ORG_ADMIN)
            .await
            .post(&stays, &stay_body("2031-04-01", "2031-04-10", 1))
            .await,
    )
    .await;
    let second = created_id(
        Caller::person(&app, LAB)
            .await
            .post(&stays, &stay_body("2031-04-05", "2031-04-08", 1))
            .await,
    )
    .await;
    json_of(accept(&api_host, "stays", first).await, 200).await;
    let host = app.signed_in(BUYER).await;
    let refused = body_of(
        post_form(
            &host,
            &app,
            &format!("/export/stays/{second}/decision"),
            &[("outcome", "accepted"), ("message", "Bienvenue quand même")],
        )
        .await,
        409,
    )
    .await;
    assert!(
        refused.contains(&format!("id=\"message-{second}\""))
            && refused.contains("Bienvenue quand même</textarea>"),
        "{refused}"
    );
    let refused = body_of(
        post_form(
            &host,
            &app,
            &format!("/export/stays/{second}/decision"),
            &[("outcome", "declined"), ("message", "")],
        )
        .await,
        422,
    )
    .await;
    assert!(
        refused.contains(&format!("href=\"#message-{second}\""))
            && refused.contains(&format!("aria-describedby=\"message-{second}-error\"")),
        "{refused}"
    );
}
