//! The qualified-supplier portfolio, through the JSON API and the pages: an SME applies with
//! evidence, the staff name independent reviewers, a named reviewer gives opinions, the staff
//! decide once (with a renewal date in the future) and the SME is told; the portfolio is read in
//! full by the staff and subscribers and as a summary by the rest of the cluster; a lapsed
//! qualification or subscription changes what is seen; a subscribed buyer lists a supplier from it.
//! Every refused write leaves nothing behind.

mod access;
mod files;
mod pages;
mod qualification;

use crate::api_client::{Caller, body_of, error_fields, json_of, location};
use crate::committee_fixture::{ADMIN, BUYER, EVALUATOR, LAB, MEMBER, ORG_ADMIN as SME, person_id};
use crate::helpers::{TestApp, on_postgres};
use crate::multipart::with_multipart;
use jiff::ToSpan;
use serde_json::{Value, json};

/// The demo's second large account: a member of the cluster without a subscription.
const OTHER_LARGE_ACCOUNT: &str = "Énergies Démo Réseaux SA";
const DEMO_SME: &str = "Usinage Titane Occitanie SAS";

fn day(offset_days: i64) -> String {
    let today = app::committee::portfolio::today();
    app::committee::portfolio::iso(today.saturating_add(offset_days.days()))
}

/// The e-mail of a person of the other large account (none of them is a demo login; the API
/// takes a token, which needs no password).
async fn other_buyer_email(app: &TestApp) -> String {
    let organisation = app.organisation_id(OTHER_LARGE_ACCOUNT).await;
    let mut conn = app.db.store.conn().await.unwrap();
    store::people::of_organisation(&mut conn, organisation)
        .await
        .unwrap()
        .first()
        .expect("the other large account has people")
        .email
        .clone()
}

async fn criteria_ids(app: &TestApp, caller: &Caller<'_>) -> Vec<i64> {
    let cluster = app.cluster_id;
    let criteria = json_of(
        caller
            .get(&format!("/api/v1/clusters/{cluster}/qualification/criteria"))
            .await,
        200,
    )
    .await;
    criteria
        .as_array()
        .unwrap()
        .iter()
        .filter(|k| k["active"] == true)
        .map(|k| k["id"].as_i64().unwrap())
        .collect()
}

async fn portfolio(app: &TestApp, caller: &Caller<'_>) -> Value {
    let cluster = app.cluster_id;
    json_of(
        caller.get(&format!("/api/v1/clusters/{cluster}/portfolio")).await,
        200,
    )
    .await
}

fn supplier_names(portfolio: &Value) -> Vec<String> {
    portfolio["suppliers"]
        .as_array()
        .map(|list| {
            list.iter()
                .map(|s| s["name"].as_str().unwrap().to_owned())
                .collect()
        })
        .unwrap_or_default()
}

async fn state_of(app: &TestApp, id: i64) -> String {
    let mut conn = app.db.store.conn().await.unwrap();
    store::committee::portfolio::application(&mut conn, id)
        .await
        .unwrap()
        .unwrap()
        .state
}

/// The caller's organisation opens a draft application; returns its id.
async fn open_application(app: &TestApp, applicant: &Caller<'_>) -> i64 {
    let cluster = app.cluster_id;
    let created = json_of(
        applicant
            .post(
                &format!("/api/v1/clusters/{cluster}/qualification/applications"),
                &json!({}),
            )
            .await,
        201,
    )
    .await;
    created["application"]["id"].as_i64().unwrap()
}

/// The applicant answers every criterion of its draft and submits it.
async fn answer_and_submit(app: &TestApp, applicant: &Caller<'_>, id: i64) {
    let evidence: Vec<Value> = criteria_ids(app, applicant)
        .await
        .into_iter()
        .map(|k| json!({"criterion_id": k, "text": format!("Justificatif pour le critère {k}")}))
        .collect();
    json_of(
        applicant
            .put(
                &format!("/api/v1/qualification/applications/{id}"),
                &json!({ "evidence": evidence }),
            )
            .await,
        200,
    )
    .await;
    json_of(
        applicant
            .post(
                &format!("/api/v1/qualification/applications/{id}/submit"),
                &json!({}),
            )
            .await,
        200,
    )
    .await;
}

/// The demo SME opens an application, answers every criterion and submits it; returns its id.
async fn submitted_application(app: &TestApp, sme: &Caller<'_>) -> i64 {
    let id = open_application(app, sme).await;
    answer_and_submit(app, sme, id).await;
    id
}

/// Whether the demo large account lists the organisation now.
async fn listed_by_demo_buyer(app: &TestApp, supplier: i64) -> bool {
    let mut conn = app.db.store.conn().await.unwrap();
    let buyer = store::people::by_email(&mut conn, BUYER)
        .await
        .unwrap()
        .unwrap()
        .organisation_id;
    store::committee::listings::open(&mut conn, buyer, supplier)
        .await
        .unwrap()
        .is_some()
}

/// A supplier of the portfolio the demo large account does not list yet.
async fn unlisted_supplier(app: &TestApp) -> i64 {
    let subscriber = Caller::person(app, BUYER).await;
    for name in supplier_names(&portfolio(app, &subscriber).await) {
        let id = app.organisation_id(&name).await;
        if !listed_by_demo_buyer(app, id).await {
            return id;
        }
    }
    panic!("the demo buyer lists every supplier of the portfolio");
}

/// The organisation whose demo application waits for reviewers (not in the portfolio).
async fn pending_applicant(app: &TestApp) -> String {
    let staff = Caller::person(app, ADMIN).await;
    let cluster = app.cluster_id;
    let all = json_of(
        staff
            .get(&format!("/api/v1/clusters/{cluster}/qualification/applications"))
            .await,
        200,
    )
    .await;
    all.as_array()
        .unwrap()
        .iter()
        .find(|a| a["state"] == "submitted")
        .expect("the demo's pending application")["organisation_name"]
        .as_str()
        .unwrap()
        .to_owned()
}

// ---- pages and files ---------------------------------------------------------------------------

async fn attach(
    caller: &Caller<'_>,
    application: i64,
    criterion: i64,
    file_name: &str,
    bytes: &[u8],
) -> reqwest::Response {
    let request = caller.request(
        reqwest::Method::POST,
        &format!("/api/v1/qualification/applications/{application}/files"),
    );
    let criterion = criterion.to_string();
    with_multipart(request, &[("criterion_id", &criterion)], Some((file_name, bytes)))
        .send()
        .await
        .unwrap()
}

async fn file_count(app: &TestApp, application: i64) -> usize {
    let mut conn = app.db.store.conn().await.unwrap();
    store::committee::portfolio::evidence_files(&mut conn, application)
        .await
        .unwrap()
        .len()
}
