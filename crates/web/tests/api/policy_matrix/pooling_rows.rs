//! The policy table's rows for pooling (issue 6): every route of the area × every role. A draft is
//! the staff's alone (404 for the rest); a published pool is read by the cluster's registry
//! participants (evaluators and mediators are not: 404); buyers and admins commit for their own
//! organisation; people of an invited supplier (the large account) offer; the award is the staff's
//! in full and each party's own part once confirmed; a draft cancelled before it was published
//! stays the staff's. Writes are invalid or refused by the state (409), so nothing changes.

#[allow(unused_imports)]
use super::{Body, Outcome};
use super::{Fixture, Row};
use crate::helpers::TestApp;
use app::pooling::{CommitmentInput, OfferInput, PoolInput, TierInput};
use domain::committee::paris;
use jiff::{SignedDuration, Timestamp};

async fn actor(app: &TestApp, email: &str) -> app::Actor {
    let mut conn = app.db.store.conn().await.unwrap();
    let person = store::people::by_email(&mut conn, email).await.unwrap().unwrap();
    app::Actor::Person(
        app::actor::load_principal(&mut conn, person.id)
            .await
            .unwrap()
            .unwrap(),
    )
}

fn input(title: &str) -> PoolInput {
    PoolInput {
        title: title.into(),
        category: "energy".into(),
        specification: "Électricité verte".into(),
        unit: "kWh".into(),
        opens_at: paris::input(Timestamp::now() - SignedDuration::from_hours(1)),
        closes_at: paris::input(Timestamp::now() + SignedDuration::from_hours(48)),
        minimum_volume: "10".into(),
    }
}

/// Creates what the rows act on and returns the placeholders that name it: a draft, an open pool
/// and an awarded pool (the SME committed, the large account won), each inviting the large account.
pub(super) async fn prepare(app: &TestApp, fixture: &Fixture) -> Vec<(&'static str, i64)> {
    let staff = actor(app, "animation@pole-demo.fr").await;
    let sme = actor(app, "dirigeant@pme-demo.fr").await;
    let buyer = actor(app, "acheteuse@grandcompte-demo.fr").await;
    let pools = &app.app;
    let mut ids = Vec::new();
    for title in ["Brouillon", "Ouvert", "Attribué", "Brouillon annulé"] {
        let pool = pools
            .create_pool(&staff, fixture.cluster, &input(title))
            .await
            .unwrap();
        pools
            .set_pool_suppliers(&staff, pool.id, &[fixture.large])
            .await
            .unwrap();
        ids.push(pool.id);
    }
    for &id in &ids[1..3] {
        pools.publish_pool(&staff, id).await.unwrap();
    }
    // A draft cancelled before it was ever published stays the staff's alone.
    pools
        .cancel_pool(&staff, ids[3], "Besoin abandonné.")
        .await
        .unwrap();
    let awarded = ids[2];
    let commitment = CommitmentInput {
        volume: "20".into(),
        current_price: "1".into(),
    };
    pools.commit_to_pool(&sme, awarded, &commitment).await.unwrap();
    let offer = OfferInput {
        tiers: vec![TierInput {
            from_volume: "1".into(),
            unit_price: "0.8".into(),
        }],
        max_volume: String::new(),
    };
    pools.offer_to_pool(&buyer, awarded, &offer).await.unwrap();
    let mut conn = app.db.store.conn().await.unwrap();
    store::pooling::move_close(&mut conn, awarded, store::now_ms() - 1_000)
        .await
        .unwrap();
    pools.close_due_pools().await.unwrap();
    pools.confirm_pool_award(&staff, awarded).await.unwrap();
    vec![
        ("{draft_pool}", ids[0]),
        ("{open_pool}", ids[1]),
        ("{awarded_pool}", ids[2]),
        ("{cancelled_draft}", ids[3]),
    ]
}

const COMMITMENT: &str = r#"{"volume": 5, "current_price": "1"}"#;
const OFFER: &str = r#"{"tiers": [{"from_volume": 1, "unit_price": "1"}]}"#;

const BAD_POOL: &str = r#"{"title": "", "category": "energy", "specification": "x", "unit": "kWh",
    "opens_at": "2030-01-01T10:00", "closes_at": "2030-02-01T10:00", "minimum_volume": 0}"#;

#[rustfmt::skip]
pub(super) fn rows() -> Vec<Row> {
    use Body::{Form, Json, None as NoBody};
    vec![
        // Pages.
        row!(GET    "/pools",                                    NoBody, [login 200 200 200 200 200 200 200]),
        row!(GET    "/pools/new",                                NoBody, [login 200 403 403 403 403 403 403]),
        row!(POST   "/pools/new", Form("title=&minimum_volume=0"),       [login 422 403 403 403 403 403 403]),
        row!(GET    "/pools/{draft_pool}",                       NoBody, [login 200 404 404 404 404 404 404]),
        row!(GET    "/pools/{open_pool}",                        NoBody, [login 200 200 200 404 404 200 200]),
        row!(GET    "/pools/{awarded_pool}",                     NoBody, [login 200 200 200 404 404 200 200]),
        row!(GET    "/pools/{cancelled_draft}",                  NoBody, [login 200 404 404 404 404 404 404]),
        row!(GET    "/pools/{cancelled_draft}/manage",           NoBody, [login 200 404 404 404 404 404 404]),
        row!(GET    "/pools/{awarded_pool}/manage",              NoBody, [login 200 403 403 404 404 403 403]),
        row!(POST   "/pools/{awarded_pool}/commitment", Form("volume=5&current_price=1"),
                                                                         [login 403 409 409 404 404 403 403]),
        row!(POST   "/pools/{awarded_pool}/cancel", Form("reason=Trop+tard"),
                                                                         [login 409 403 403 404 404 403 403]),
        row!(GET    "/pools/{missing}",                          NoBody, [login 404 404 404 404 404 404 404]),
        row!(GET    "/pools/{draft_pool}/manage",                NoBody, [login 200 404 404 404 404 404 404]),
        row!(GET    "/pools/{open_pool}/manage",                 NoBody, [login 200 403 403 404 404 403 403]),
        row!(POST   "/pools/{draft_pool}/edit", Form("title="),          [login 422 404 404 404 404 404 404]),
        row!(POST   "/pools/{draft_pool}/suppliers", Form("supplier={missing}"),
                                                                         [login 422 404 404 404 404 404 404]),
        row!(POST   "/pools/{open_pool}/publish",                NoBody, [login 409 403 403 404 404 403 403]),
        row!(POST   "/pools/{open_pool}/cancel", Form("reason="),        [login 422 403 403 404 404 403 403]),
        row!(POST   "/pools/{open_pool}/commitment", Form("volume=0&current_price=1"),
                                                                         [login 403 422 422 404 404 403 403]),
        row!(POST   "/pools/{open_pool}/commitment/withdraw",    NoBody, [login 403 404 404 404 404 403 403]),
        row!(POST   "/pools/{open_pool}/offer", Form("tier_from_0=5&tier_price_0=1"),
                                                                         [login 403 403 422 404 404 403 403]),
        row!(POST   "/pools/{open_pool}/offer/withdraw",         NoBody, [login 403 403 404 404 404 403 403]),
        row!(POST   "/pools/{awarded_pool}/award",               NoBody, [login 409 403 403 404 404 403 403]),
        row!(GET    "/pools/{awarded_pool}/award.csv",           NoBody, [login 200 403 403 404 404 403 403]),
        row!(GET    "/pools/{awarded_pool}/award.xlsx",          NoBody, [login 200 403 403 404 404 403 403]),
        row!(GET    "/pools/{open_pool}/award.csv",              NoBody, [login 409 403 403 404 404 403 403]),

        // The API.
        row!(GET    "/api/v1/pools",                             NoBody, [401   200 200 200 200 200 200 200]),
        row!(POST   "/api/v1/clusters/{cluster}/pools", Json(BAD_POOL),  [401   422 403 403 403 403 403 403]),
        row!(POST   "/api/v1/clusters/{foreign_cluster}/pools", Json(BAD_POOL),
                                                                         [401   403 403 403 403 403 403 403]),
        row!(GET    "/api/v1/pools/{draft_pool}",                NoBody, [401   200 404 404 404 404 404 404]),
        row!(GET    "/api/v1/pools/{open_pool}",                 NoBody, [401   200 200 200 404 404 200 200]),
        row!(GET    "/api/v1/pools/{awarded_pool}",              NoBody, [401   200 200 200 404 404 200 200]),
        row!(GET    "/api/v1/pools/{cancelled_draft}",           NoBody, [401   200 404 404 404 404 404 404]),
        row!(GET    "/api/v1/pools/{cancelled_draft}/award",     NoBody, [401   404 404 404 404 404 404 404]),
        row!(PUT    "/api/v1/pools/{cancelled_draft}/commitment", Json(COMMITMENT),
                                                                         [401   403 404 404 404 404 404 404]),
        row!(PUT    "/api/v1/pools/{awarded_pool}/commitment", Json(COMMITMENT),
                                                                         [401   403 409 409 404 404 403 403]),
        row!(DELETE "/api/v1/pools/{awarded_pool}/commitment",   NoBody, [401   403 409 404 404 404 403 403]),
        row!(PUT    "/api/v1/pools/{awarded_pool}/offer", Json(OFFER),   [401   403 403 409 404 404 403 403]),
        row!(POST   "/api/v1/pools/{awarded_pool}/cancel", Json(r#"{"reason": "Trop tard"}"#),
                                                                         [401   409 403 403 404 404 403 403]),
        row!(PUT    "/api/v1/pools/{awarded_pool}/suppliers", Json(r#"{"suppliers": []}"#),
                                                                         [401   409 403 403 404 404 403 403]),
        row!(GET    "/api/v1/pools/{missing}",                   NoBody, [401   404 404 404 404 404 404 404]),
        row!(PUT    "/api/v1/pools/{draft_pool}", Json(BAD_POOL),        [401   422 404 404 404 404 404 404]),
        row!(PUT    "/api/v1/pools/{open_pool}", Json(BAD_POOL),         [401   409 403 403 404 404 403 403]),
        row!(PUT    "/api/v1/pools/{draft_pool}/suppliers", Json(r#"{"suppliers": [{missing}]}"#),
                                                                         [401   422 404 404 404 404 404 404]),
        row!(POST   "/api/v1/pools/{open_pool}/publish",         NoBody, [401   409 403 403 404 404 403 403]),
        row!(POST   "/api/v1/pools/{open_pool}/cancel", Json(r#"{"reason": ""}"#),
                                                                         [401   422 403 403 404 404 403 403]),
        row!(PUT    "/api/v1/pools/{open_pool}/commitment", Json(r#"{"volume": 0, "current_price": "1"}"#),
                                                                         [401   403 422 422 404 404 403 403]),
        row!(DELETE "/api/v1/pools/{open_pool}/commitment",      NoBody, [401   403 404 404 404 404 403 403]),
        row!(PUT    "/api/v1/pools/{open_pool}/offer", Json(r#"{"tiers": []}"#),
                                                                         [401   403 403 422 404 404 403 403]),
        row!(DELETE "/api/v1/pools/{open_pool}/offer",           NoBody, [401   403 403 404 404 404 403 403]),
        row!(GET    "/api/v1/pools/{open_pool}/award",           NoBody, [401   404 404 404 404 404 404 404]),
        row!(GET    "/api/v1/pools/{awarded_pool}/award",        NoBody, [401   200 200 200 404 404 200 404]),
        row!(POST   "/api/v1/pools/{awarded_pool}/award",        NoBody, [401   409 403 403 404 404 403 403]),
        row!(GET    "/api/v1/pools/{awarded_pool}/award.csv",    NoBody, [401   200 403 403 404 404 403 403]),
        row!(GET    "/api/v1/pools/{awarded_pool}/award.xlsx",   NoBody, [401   200 403 403 404 404 403 403]),
        row!(GET    "/api/v1/pools/{open_pool}/award.csv",       NoBody, [401   409 403 403 404 404 403 403]),
    ]
}
