//! What the committee tests share: the demo accounts by role, a valid call (JSON body), a draft
//! or published call made through the API, a submitted dossier, and moving a call's deadline into the
//! past so the tests need not wait for it.

use crate::api_client::{Caller, json_of};
use crate::helpers::TestApp;
use domain::committee::paris;
use jiff::{SignedDuration, Timestamp};
use serde_json::{Value, json};

pub const ADMIN: &str = "animation@pole-demo.fr";
pub const BUYER: &str = "acheteuse@grandcompte-demo.fr";
pub const EVALUATOR: &str = "evaluateur@grandcompte-demo.fr";
pub const ORG_ADMIN: &str = "dirigeant@pme-demo.fr";
pub const MEMBER: &str = "membre@pme-demo.fr";
pub const LAB: &str = "labo@labo-demo.fr";

/// Paris wall-clock time `offset` from now, as a form or a JSON body sends it.
pub fn paris_in(offset: SignedDuration) -> String {
    paris::input(Timestamp::now() + offset)
}

/// A valid call open since an hour ago and closing in two days: two lots, price (×3) and quality
/// (×2) marked out of 10.
pub fn call_body(title: &str, visibility: &str) -> Value {
    json!({
        "title": title,
        "description": "Pièces de structure en titane, séries de 50 à 500.",
        "category": "goods",
        "lots": [{"name": "Usinage", "description": ""}, {"name": "Traitement de surface"}],
        "eligibility": {"sizes": [], "certifications": [], "regions": []},
        "criteria": [
            {"name": "Prix", "weight": "3", "scale_max": "10"},
            {"name": "Qualité", "weight": "2", "scale_max": "10"}
        ],
        "opens_at": paris_in(SignedDuration::from_hours(-1)),
        "closes_at": paris_in(SignedDuration::from_hours(48)),
        "visibility": visibility,
    })
}

/// Creates `call_body(title, visibility)` in the demo cluster as `buyer`, left a draft; returns its
/// id.
pub async fn draft_call(app: &TestApp, buyer: &Caller<'_>, title: &str, visibility: &str) -> i64 {
    let cluster = app.cluster_id;
    json_of(
        buyer
            .post(
                &format!("/api/v1/clusters/{cluster}/calls"),
                &call_body(title, visibility),
            )
            .await,
        201,
    )
    .await["id"]
        .as_i64()
        .unwrap()
}

/// Creates `call_body(title, visibility)` in the demo cluster as `buyer` and publishes it.
pub async fn published_call(app: &TestApp, buyer: &Caller<'_>, title: &str, visibility: &str) -> i64 {
    let id = draft_call(app, buyer, title, visibility).await;
    let published = json_of(
        buyer
            .post(&format!("/api/v1/calls/{id}/publish"), &json!({}))
            .await,
        200,
    )
    .await;
    assert_eq!(published["state"], "published");
    id
}

/// The candidate's dossier for lot 1, saved and submitted; returns its id.
pub async fn submit(candidate: &Caller<'_>, call: i64, answer: &str) -> i64 {
    json_of(
        candidate
            .put(
                &format!("/api/v1/calls/{call}/dossier"),
                &json!({"answer": answer, "lots": [1]}),
            )
            .await,
        200,
    )
    .await;
    let submitted = json_of(
        candidate
            .post(&format!("/api/v1/calls/{call}/dossier/submit"), &json!({}))
            .await,
        200,
    )
    .await;
    assert_eq!(submitted["state"], "submitted");
    submitted["id"].as_i64().unwrap()
}

/// Moves a call's closing instant to one second ago, as if its deadline had passed.
pub async fn close_now(app: &TestApp, call: i64) {
    use store::committee::calls;
    let mut conn = app.db.store.conn().await.unwrap();
    let stored = calls::get(&mut conn, call).await.unwrap().unwrap();
    let parts = calls::parts(&mut conn, call).await.unwrap();
    let mut fields = stored.fields.clone();
    fields.closes_at = store::now_ms() - 1_000;
    assert!(
        calls::update(&mut conn, call, &fields, &parts, store::now_ms())
            .await
            .unwrap()
    );
}

pub async fn person_id(app: &TestApp, email: &str) -> i64 {
    let mut conn = app.db.store.conn().await.unwrap();
    store::people::by_email(&mut conn, email)
        .await
        .unwrap()
        .unwrap()
        .id
}
