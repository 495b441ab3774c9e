//! Guards on the edges of the committee: every download is an attachment never sniffed; a call leaves a session
//! only from the session it is in; named evaluators read the call's documents; an attachment's
//! answer names its dossier; duplicates refused in the portfolio; no subscription is a 403.

use crate::api_client::{Caller, error_fields, json_of};
use crate::committee_fixture::{ADMIN, BUYER, EVALUATOR, LAB, ORG_ADMIN, person_id, published_call};
use crate::helpers::{TestApp, on_postgres};
use crate::multipart::{pdf, with_multipart};
use reqwest::Method;
use reqwest::header::{CACHE_CONTROL, CONTENT_DISPOSITION, X_CONTENT_TYPE_OPTIONS};
use serde_json::{Value, json};

#[tokio::test]
async fn an_export_is_an_attachment_never_sniffed() {
    let app = TestApp::spawn().await;
    let buyer = Caller::person(&app, BUYER).await;
    let list = json_of(
        buyer
            .post("/api/v1/shortlists", &json!({"name": "Liste « été » n°1"}))
            .await,
        201,
    )
    .await["id"]
        .as_i64()
        .unwrap();
    let response = buyer
        .get(&format!("/api/v1/shortlists/{list}/export?format=csv"))
        .await;
    assert_eq!(response.status(), 200);
    let headers = response.headers();
    assert_eq!(headers[X_CONTENT_TYPE_OPTIONS], "nosniff");
    assert_eq!(headers[CACHE_CONTROL], "private, no-store");
    let disposition = headers[CONTENT_DISPOSITION].to_str().unwrap();
    assert!(
        disposition.starts_with("attachment; filename=\"") && disposition.ends_with(".csv\""),
        "{disposition}"
    );
}

#[tokio::test]
async fn a_call_is_detached_only_from_the_session_it_is_in() {
    detaching(TestApp::spawn().await).await;
}

#[tokio::test]
async fn a_call_is_detached_only_from_the_session_it_is_in_on_postgres() {
    on_postgres("detaching a call", detaching).await;
}

async fn detaching(app: TestApp) {
    let cluster = app.cluster_id;
    let staff = Caller::person(&app, ADMIN).await;
    let buyer = Caller::person(&app, BUYER).await;
    let call = published_call(&app, &buyer, "Usinage titane", "public").await;
    let mut sessions = Vec::new();
    for title in ["Session A", "Session B"] {
        let created = json_of(
            staff
                .post(
                    &format!("/api/v1/clusters/{cluster}/committee-sessions"),
                    &json!({
                        "title": title,
                        "presentation_at": "2027-12-14T14:00",
                        "dossiers_due_at": "2028-01-09T12:00",
                        "decision_at": "2028-02-18T10:00",
                    }),
                )
                .await,
            201,
        )
        .await;
        sessions.push(created["id"].as_i64().unwrap());
    }
    let (a, b) = (sessions[0], sessions[1]);
    json_of(
        staff
            .put(
                &format!("/api/v1/calls/{call}/session"),
                &json!({"session_id": a}),
            )
            .await,
        200,
    )
    .await;

    let admin = app.signed_in(ADMIN).await;
    let detach = |session: i64| {
        admin
            .client
            .post(app.url(&format!("/committee-sessions/{session}/calls/{call}/detach")))
            .form(&[("csrf_token", admin.csrf.as_str())])
            .send()
    };
    assert_eq!(detach(b).await.unwrap().status(), 404, "not in session B");
    let mut conn = app.db.store.conn().await.unwrap();
    let still = store::committee::calls::get(&mut conn, call)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(still.session_id, Some(a), "left in session A");
    drop(conn);
    assert!(detach(a).await.unwrap().status().is_redirection());
    let mut conn = app.db.store.conn().await.unwrap();
    let gone = store::committee::calls::get(&mut conn, call)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(gone.session_id, None);
}

#[tokio::test]
async fn named_evaluators_read_the_documents_of_an_invitation_only_call() {
    let app = TestApp::spawn().await;
    let buyer = Caller::person(&app, BUYER).await;
    let evaluator = Caller::person(&app, EVALUATOR).await;
    let call = published_call(&app, &buyer, "Usinage titane", "invited").await;
    let document = with_multipart(
        buyer.request(Method::POST, &format!("/api/v1/calls/{call}/documents")),
        &[("amendment", "Ajout du cahier des charges")],
        Some(("CCTP.pdf", &pdf("cahier"))),
    )
    .send()
    .await
    .unwrap();
    let document = json_of(document, 201).await;
    let url = document["url"].as_str().unwrap().to_owned();

    json_of(evaluator.get(&url).await, 404).await;
    let evaluator_id = person_id(&app, EVALUATOR).await;
    json_of(
        buyer
            .put(
                &format!("/api/v1/calls/{call}/evaluators"),
                &json!({"person_ids": [evaluator_id]}),
            )
            .await,
        200,
    )
    .await;
    let read = evaluator.get(&url).await;
    assert_eq!(read.status(), 200);
    assert_eq!(read.bytes().await.unwrap().as_ref(), pdf("cahier").as_slice());
    // Someone of the cluster who is not invited still does not.
    json_of(Caller::person(&app, LAB).await.get(&url).await, 404).await;
}

#[tokio::test]
async fn an_attachment_names_the_dossier_holding_it() {
    let app = TestApp::spawn().await;
    let buyer = Caller::person(&app, BUYER).await;
    let sme = Caller::person(&app, ORG_ADMIN).await;
    let call = published_call(&app, &buyer, "Usinage titane", "public").await;
    let added = with_multipart(
        sme.request(Method::POST, &format!("/api/v1/calls/{call}/dossier/attachments")),
        &[],
        Some(("offre.pdf", &pdf("offre"))),
    )
    .send()
    .await
    .unwrap();
    let added = json_of(added, 201).await;
    let dossier = json_of(sme.get(&format!("/api/v1/calls/{call}/dossier")).await, 200).await;
    let id = dossier["dossier"]["id"]
        .as_i64()
        .or_else(|| dossier["id"].as_i64())
        .unwrap();
    let url = added["url"].as_str().unwrap();
    assert!(
        url.starts_with(&format!("/api/v1/calls/{call}/dossiers/{id}/")),
        "{url} {dossier}"
    );
    let read = sme.get(url).await;
    assert_eq!(read.status(), 200);
}

async fn criteria(app: &TestApp, caller: &Caller<'_>) -> Vec<Value> {
    let cluster = app.cluster_id;
    json_of(
        caller
            .get(&format!("/api/v1/clusters/{cluster}/qualification/criteria"))
            .await,
        200,
    )
    .await
    .as_array()
    .unwrap()
    .iter()
    .filter(|k| k["active"] == true)
    .cloned()
    .collect()
}

#[tokio::test]
async fn a_criterion_given_twice_is_refused() {
    let app = TestApp::spawn().await;
    let staff = Caller::person(&app, ADMIN).await;
    let before = criteria(&app, &staff).await;
    let first = &before[0];
    let refused = json_of(
        staff
            .put(
                &format!("/api/v1/clusters/{}/qualification/criteria", app.cluster_id),
                &json!({"criteria": [
                    {"id": first["id"], "name": "Un"},
                    {"id": first["id"], "name": "Deux"}
                ]}),
            )
            .await,
        422,
    )
    .await;
    assert_eq!(error_fields(&refused), ["criteria[1].id"]);
    assert_eq!(criteria(&app, &staff).await, before, "nothing stored");
}

#[tokio::test]
async fn a_reviewer_named_twice_is_refused() {
    let app = TestApp::spawn().await;
    let staff = Caller::person(&app, ADMIN).await;
    let sme = Caller::person(&app, ORG_ADMIN).await;
    let created = json_of(
        sme.post(
            &format!("/api/v1/clusters/{}/qualification/applications", app.cluster_id),
            &json!({}),
        )
        .await,
        201,
    )
    .await;
    let id = created["application"]["id"].as_i64().unwrap();
    let evidence: Vec<Value> = criteria(&app, &sme)
        .await
        .iter()
        .map(|k| json!({"criterion_id": k["id"], "text": "Justificatif"}))
        .collect();
    let path = format!("/api/v1/qualification/applications/{id}");
    json_of(sme.put(&path, &json!({ "evidence": evidence })).await, 200).await;
    json_of(sme.post(&format!("{path}/submit"), &json!({})).await, 200).await;

    let lab = person_id(&app, LAB).await;
    let refused = json_of(
        staff
            .put(&format!("{path}/reviewers"), &json!({"person_ids": [lab, lab]}))
            .await,
        422,
    )
    .await;
    assert_eq!(error_fields(&refused), ["person_ids[1]"]);
    let read = json_of(staff.get(&path).await, 200).await;
    assert!(read["reviewers"].as_array().unwrap().is_empty(), "{read}");
}
