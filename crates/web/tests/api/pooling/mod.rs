//! Pooled purchasing (issue 6) over HTTP: the staff create, invite and publish a pool; SMEs commit
//! conditionally; invited suppliers make sealed tiered offers; at the close the pool is settled and
//! the staff confirm the award; everyone reads their own part. Every bad input of the issue is
//! refused with its field, nothing lost; the seal holds for everyone before the close.

mod api;
mod bad_input;
mod pages;

use crate::api_client::{Caller, json_of};
use crate::committee_fixture::paris_in;
use crate::helpers::TestApp;
use jiff::SignedDuration;
use serde_json::{Value, json};

/// Every API route of the area, with its methods, as the OpenAPI document must list them (checked
/// by `json_api`); path parameters other than `{id}` and `{cluster_id}` are filled with an unknown id.
pub const SERVED: &[(&str, &[&str])] = &[
    ("/api/v1/pools", &["get"]),
    ("/api/v1/clusters/{cluster_id}/pools", &["post"]),
    ("/api/v1/pools/{id}", &["get", "put"]),
    ("/api/v1/pools/{id}/suppliers", &["put"]),
    ("/api/v1/pools/{id}/publish", &["post"]),
    ("/api/v1/pools/{id}/cancel", &["post"]),
    ("/api/v1/pools/{id}/commitment", &["put", "delete"]),
    ("/api/v1/pools/{id}/offer", &["put", "delete"]),
    ("/api/v1/pools/{id}/award", &["get", "post"]),
    ("/api/v1/pools/{id}/award.csv", &["get"]),
    ("/api/v1/pools/{id}/award.xlsx", &["get"]),
];

/// The demo's second large account, invited as a supplier beside the demo buyer's.
pub const ENERGY_SUPPLIER: &str = "Énergies Démo Réseaux SA";
pub const LARGE_ACCOUNT: &str = "Aérostructures Groupe Démo SA";

/// The e-mail of a person of an organisation of the demo (the API takes a token, no password).
pub async fn someone_of(app: &TestApp, legal_name: &str) -> String {
    let organisation = app.organisation_id(legal_name).await;
    let mut conn = app.db.store.conn().await.unwrap();
    store::people::of_organisation(&mut conn, organisation)
        .await
        .unwrap()
        .first()
        .expect("the organisation has people")
        .email
        .clone()
}

/// A valid pool open since an hour ago and closing in two days, minimum `minimum` kWh.
pub fn pool_body(title: &str, minimum: i64) -> Value {
    json!({
        "title": title,
        "category": "energy",
        "specification": "Électricité verte, profil industriel, livraison 2027.",
        "unit": "kWh",
        "opens_at": paris_in(SignedDuration::from_hours(-1)),
        "closes_at": paris_in(SignedDuration::from_hours(48)),
        "minimum_volume": minimum,
    })
}

/// A draft pool with `suppliers` invited; returns its id.
pub async fn draft_pool(
    app: &TestApp,
    staff: &Caller<'_>,
    title: &str,
    minimum: i64,
    suppliers: &[i64],
) -> i64 {
    let cluster = app.cluster_id;
    let id = json_of(
        staff
            .post(
                &format!("/api/v1/clusters/{cluster}/pools"),
                &pool_body(title, minimum),
            )
            .await,
        201,
    )
    .await["id"]
        .as_i64()
        .unwrap();
    json_of(
        staff
            .put(
                &format!("/api/v1/pools/{id}/suppliers"),
                &json!({ "suppliers": suppliers }),
            )
            .await,
        200,
    )
    .await;
    id
}

/// A published pool inviting the demo large account and the energy supplier.
pub async fn open_pool(app: &TestApp, staff: &Caller<'_>, title: &str, minimum: i64) -> i64 {
    let suppliers = [
        app.organisation_id(LARGE_ACCOUNT).await,
        app.organisation_id(ENERGY_SUPPLIER).await,
    ];
    let id = draft_pool(app, staff, title, minimum, &suppliers).await;
    let published = json_of(
        staff
            .post(&format!("/api/v1/pools/{id}/publish"), &json!({}))
            .await,
        200,
    )
    .await;
    assert_eq!(published["state"], "open");
    id
}

/// Moves a pool's closing instant `ms_ago` milliseconds into the past (0: exactly now).
pub async fn close_at(app: &TestApp, pool: i64, ms_ago: i64) -> i64 {
    let at = store::now_ms() - ms_ago;
    let mut conn = app.db.store.conn().await.unwrap();
    assert!(store::pooling::move_close(&mut conn, pool, at).await.unwrap());
    at
}

/// Moves the close into the past and runs the closing task, as the server does every minute.
pub async fn close_and_settle(app: &TestApp, pool: i64) {
    close_at(app, pool, 1_000).await;
    let closed = app.app.close_due_pools().await.unwrap();
    assert!(closed.contains(&pool), "{closed:?}");
}

pub fn commitment(volume: i64, price: &str) -> Value {
    json!({ "volume": volume, "current_price": price })
}

pub async fn get_pool(caller: &Caller<'_>, pool: i64) -> Value {
    json_of(caller.get(&format!("/api/v1/pools/{pool}")).await, 200).await
}

/// Another member organisation's admin, who may commit for it: (e-mail, organisation id, name).
/// Not the demo SME, the demo large account nor the energy supplier.
pub async fn other_sme_admin(app: &TestApp) -> (String, i64, String) {
    let skip = [
        app.organisation_id("Usinage Titane Occitanie SAS").await,
        app.organisation_id(LARGE_ACCOUNT).await,
        app.organisation_id(ENERGY_SUPPLIER).await,
    ];
    let mut conn = app.db.store.conn().await.unwrap();
    let members = store::organisations::list_members(&mut conn, app.cluster_id, "", 0, 1000)
        .await
        .unwrap();
    for organisation in members.items.iter().filter(|o| !skip.contains(&o.id)) {
        for person in store::people::of_organisation(&mut conn, organisation.id)
            .await
            .unwrap()
        {
            let grants = store::people::grants(&mut conn, person.id).await.unwrap();
            if grants
                .iter()
                .any(|g| g.role == "org_admin" && g.scope_id == organisation.id)
            {
                return (person.email, organisation.id, organisation.legal_name.clone());
            }
        }
    }
    panic!("the demo has admins of other organisations");
}
