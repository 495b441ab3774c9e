//! Every bad input of the issue, refused with the field it names, and nothing lost: the standing
//! commitment or offer is still there, unchanged, after each refusal.

use super::*;
use crate::api_client::{error_fields, problem};
use crate::committee_fixture::{ADMIN, BUYER, LAB, MEMBER, ORG_ADMIN as SME};
use crate::helpers::on_postgres;

async fn refused_fields(response: reqwest::Response, status: u16) -> Vec<String> {
    error_fields(&problem(response, status).await)
}

async fn bad_input(app: TestApp) {
    let staff = Caller::person(&app, ADMIN).await;
    let sme = Caller::person(&app, SME).await;
    let supplier = Caller::person(&app, BUYER).await;
    let id = open_pool(&app, &staff, "Palettes 2027", 10).await;
    let commit_path = format!("/api/v1/pools/{id}/commitment");
    let offer_path = format!("/api/v1/pools/{id}/offer");

    // Pools themselves.
    let cluster = app.cluster_id;
    let mut body = pool_body("", 0);
    body["category"] = json!("food");
    body["closes_at"] = json!("2020-01-01T10:00");
    let fields = refused_fields(
        staff
            .post(&format!("/api/v1/clusters/{cluster}/pools"), &body)
            .await,
        422,
    )
    .await;
    for field in ["title", "category", "closes_at", "minimum_volume"] {
        assert!(fields.contains(&field.to_owned()), "{field} in {fields:?}");
    }
    // Closing before opening; a wall-clock time that does not exist in Paris (the spring-forward
    // gap); an empty unit.
    for (key, value, field) in [
        (
            "opens_at",
            json!(crate::committee_fixture::paris_in(SignedDuration::from_hours(72))),
            "closes_at",
        ),
        ("opens_at", json!("2031-03-30T02:30"), "opens_at"),
        ("closes_at", json!("2031-03-30T02:30"), "closes_at"),
        ("unit", json!("  "), "unit"),
    ] {
        let mut body = pool_body("Gap", 10);
        body[key] = value;
        let fields = refused_fields(
            staff
                .post(&format!("/api/v1/clusters/{cluster}/pools"), &body)
                .await,
            422,
        )
        .await;
        assert_eq!(fields, [field], "{key}");
    }
    // More suppliers than the cap (it bounds the award's search).
    let draft = draft_pool(&app, &staff, "Trop de fournisseurs", 10, &[]).await;
    let many: Vec<i64> = (0..11).map(|k| 900_000 + k).collect();
    let fields = refused_fields(
        staff
            .put(
                &format!("/api/v1/pools/{draft}/suppliers"),
                &json!({ "suppliers": many }),
            )
            .await,
        422,
    )
    .await;
    assert!(fields.contains(&"suppliers".to_owned()), "{fields:?}");
    let fields = refused_fields(
        staff
            .put(
                &format!("/api/v1/pools/{id}/suppliers"),
                &json!({"suppliers": [999_999]}),
            )
            .await,
        409,
    )
    .await;
    assert!(fields.is_empty(), "a published pool's suppliers are fixed");

    // Commitments.
    json_of(sme.put(&commit_path, &commitment(40, "1.5")).await, 200).await;
    for (volume, price, field) in [
        (json!(0), json!("1"), "volume"),
        (json!(-3), json!("1"), "volume"),
        (json!(5), json!("-0.01"), "current_price"),
        (json!(5), json!("0.12345"), "current_price"),
        (json!(5), json!("abc"), "current_price"),
        (json!("many"), json!("1"), "volume"),
        (json!(1_000_000_000_001_i64), json!("1"), "volume"),
        // A JSON number has gone through a float by the time it is read: refused.
        (json!(5), json!(0.15), "current_price"),
    ] {
        let fields = refused_fields(
            sme.put(&commit_path, &json!({"volume": volume, "current_price": price}))
                .await,
            422,
        )
        .await;
        assert_eq!(fields, [field], "{volume} at {price}");
    }
    let refused = problem(
        sme.put(&commit_path, &json!({"volume": 5, "current_price": 0.15}))
            .await,
        422,
    )
    .await;
    assert!(
        refused.to_string().contains("send prices as strings"),
        "{refused}"
    );
    let kept = get_pool(&sme, id).await;
    assert_eq!(kept["my_commitment"]["volume"], 40, "nothing lost");
    assert_eq!(kept["my_commitment"]["current_price"], "1.5");
    // Only buyers and admins commit, for their own organisation.
    problem(
        Caller::person(&app, MEMBER)
            .await
            .put(&commit_path, &commitment(5, "1"))
            .await,
        403,
    )
    .await;
    problem(
        Caller::visitor(&app).put(&commit_path, &commitment(5, "1")).await,
        401,
    )
    .await;

    // Offers.
    let good =
        json!({"tiers": [{"from_volume": 1, "unit_price": "2"}, {"from_volume": 100, "unit_price": "1.8"}]});
    json_of(supplier.put(&offer_path, &good).await, 200).await;
    let tier = |from: i64, price: &str| json!({"from_volume": from, "unit_price": price});
    for (offer, field) in [
        (
            json!({"tiers": [tier(1, "2"), tier(100, "1.9"), tier(100, "1.8")]}),
            "tiers[2].from_volume",
        ),
        (
            json!({"tiers": [tier(1, "2"), tier(200, "1.9"), tier(100, "1.8")]}),
            "tiers[2].from_volume",
        ),
        (
            json!({"tiers": [tier(1, "2"), tier(1, "1.9")]}),
            "tiers[1].from_volume",
        ),
        (json!({"tiers": [tier(10, "2")]}), "tiers[0].from_volume"),
        (json!({"tiers": []}), "tiers"),
        (json!({"tiers": [tier(1, "-2")]}), "tiers[0].unit_price"),
        (
            json!({"tiers": [tier(1, "2"), tier(50, "1.00001")]}),
            "tiers[1].unit_price",
        ),
        (json!({"tiers": [tier(1, "2")], "max_volume": 0}), "max_volume"),
        (
            json!({"tiers": [tier(1, "2"), tier(500, "1")], "max_volume": 100}),
            "tiers[1].from_volume",
        ),
        (json!({"tiers": [tier(0, "2")]}), "tiers[0].from_volume"),
        (
            json!({"tiers": [tier(1, "2"), {"from_volume": 100, "unit_price": 1.8}]}),
            "tiers[1].unit_price",
        ),
        (
            json!({"tiers": (0..11).map(|k| tier(1 + 10 * k, "1")).collect::<Vec<_>>()}),
            "tiers",
        ),
    ] {
        let fields = refused_fields(supplier.put(&offer_path, &offer).await, 422).await;
        assert_eq!(fields, [field], "{offer}");
    }
    let kept = get_pool(&supplier, id).await;
    assert_eq!(
        kept["my_offer"]["tiers"][1]["unit_price"], "1.8",
        "nothing lost: {kept}"
    );

    // Offers by an organisation that is not invited: a reader of the pool is forbidden.
    problem(Caller::person(&app, LAB).await.put(&offer_path, &good).await, 403).await;
    problem(sme.put(&offer_path, &good).await, 403).await;
    problem(staff.put(&offer_path, &good).await, 403).await;
    problem(sme.delete(&offer_path).await, 403).await;

    // The pool's total stays within what the award computes with: another SME's commitment that
    // would take it past 10^12 units is refused with its volume, the standing ones kept.
    let (other_email, _, _) = other_sme_admin(&app).await;
    let other = Caller::person(&app, &other_email).await;
    json_of(
        sme.put(&commit_path, &commitment(999_999_999_990, "1")).await,
        200,
    )
    .await;
    let fields = refused_fields(other.put(&commit_path, &commitment(11, "1")).await, 422).await;
    assert_eq!(fields, ["volume"]);
    json_of(other.put(&commit_path, &commitment(10, "1")).await, 200).await;
    assert_eq!(
        get_pool(&staff, id).await["committed_volume"],
        1_000_000_000_000_i64
    );

    // A pool not open yet takes nothing (409), and says when it opens.
    let mut later = pool_body("Pas encore", 10);
    later["opens_at"] = json!(crate::committee_fixture::paris_in(SignedDuration::from_hours(24)));
    let scheduled = json_of(
        staff
            .post(&format!("/api/v1/clusters/{cluster}/pools"), &later)
            .await,
        201,
    )
    .await["id"]
        .as_i64()
        .unwrap();
    json_of(
        staff
            .put(
                &format!("/api/v1/pools/{scheduled}/suppliers"),
                &json!({"suppliers": [app.organisation_id(LARGE_ACCOUNT).await]}),
            )
            .await,
        200,
    )
    .await;
    json_of(
        staff
            .post(&format!("/api/v1/pools/{scheduled}/publish"), &json!({}))
            .await,
        200,
    )
    .await;
    assert_eq!(get_pool(&sme, scheduled).await["phase"], "scheduled");
    let refused = problem(
        sme.put(
            &format!("/api/v1/pools/{scheduled}/commitment"),
            &commitment(5, "1"),
        )
        .await,
        409,
    )
    .await;
    assert!(refused.to_string().contains("opens at"), "{refused}");
}

#[tokio::test]
async fn bad_commitments_and_offers_are_refused_with_their_field() {
    bad_input(TestApp::spawn().await).await;
}

#[tokio::test]
async fn bad_commitments_and_offers_are_refused_with_their_field_on_postgres() {
    on_postgres("pool bad input", bad_input).await;
}

/// At the closing instant exactly, and after it, commitments and offers are refused — by the
/// database's own statement, before the closing task has even run — and what stood is kept. The
/// offers open at that instant for the staff, never before, never for another supplier.
async fn the_close_is_final(app: TestApp) {
    let staff = Caller::person(&app, ADMIN).await;
    let sme = Caller::person(&app, SME).await;
    let supplier = Caller::person(&app, BUYER).await;
    let energy = Caller::person(&app, &someone_of(&app, ENERGY_SUPPLIER).await).await;
    let id = open_pool(&app, &staff, "Licences 2027", 10).await;
    let commit_path = format!("/api/v1/pools/{id}/commitment");
    let offer_path = format!("/api/v1/pools/{id}/offer");
    json_of(sme.put(&commit_path, &commitment(40, "12")).await, 200).await;
    json_of(
        supplier
            .put(
                &offer_path,
                &json!({"tiers": [{"from_volume": 1, "unit_price": "9.5"}]}),
            )
            .await,
        200,
    )
    .await;
    // Withdrawn and made again: changeable until the close.
    assert_eq!(
        energy.delete(&offer_path).await.status(),
        404,
        "no offer to withdraw yet"
    );
    json_of(
        energy
            .put(
                &offer_path,
                &json!({"tiers": [{"from_volume": 1, "unit_price": "9.9"}]}),
            )
            .await,
        200,
    )
    .await;
    assert_eq!(energy.delete(&offer_path).await.status(), 204);
    json_of(
        energy
            .put(
                &offer_path,
                &json!({"tiers": [{"from_volume": 1, "unit_price": "9.7"}]}),
            )
            .await,
        200,
    )
    .await;
    // Before the close: sealed for the staff and for the other supplier, on every read path.
    let before = get_pool(&staff, id).await;
    assert!(before.get("offers").is_none());
    problem(staff.get(&format!("/api/v1/pools/{id}/award.csv")).await, 409).await;
    assert!(!get_pool(&energy, id).await.to_string().contains("9.5"));
    assert!(!super::api::audit_of(&app, id).await.contains("9.5"));

    close_at(&app, id, 0).await;
    let refused = problem(sme.put(&commit_path, &commitment(99, "12")).await, 409).await;
    assert!(
        refused["detail"].as_str().unwrap().contains("closed"),
        "{refused}"
    );
    problem(sme.delete(&commit_path).await, 409).await;
    problem(
        supplier
            .put(
                &offer_path,
                &json!({"tiers": [{"from_volume": 1, "unit_price": "1"}]}),
            )
            .await,
        409,
    )
    .await;
    problem(supplier.delete(&offer_path).await, 409).await;
    let kept = get_pool(&sme, id).await;
    assert_eq!(
        (kept["my_commitment"]["volume"].as_i64(), kept["phase"].as_str()),
        (Some(40), Some("closing"))
    );
    // At the instant itself the offers open for the staff, the other supplier still sees its own.
    let opened = get_pool(&staff, id).await;
    assert_eq!(opened["offers"].as_array().map(Vec::len), Some(2), "{opened}");
    assert!(!get_pool(&energy, id).await.to_string().contains("9.5"));
    assert_eq!(
        get_pool(&supplier, id).await["my_offer"]["tiers"][0]["unit_price"],
        "9.5"
    );
}

#[tokio::test]
async fn commitments_and_offers_at_or_after_the_close_are_refused() {
    the_close_is_final(TestApp::spawn().await).await;
}

#[tokio::test]
async fn commitments_and_offers_at_or_after_the_close_are_refused_on_postgres() {
    on_postgres("the pool close", the_close_is_final).await;
}
