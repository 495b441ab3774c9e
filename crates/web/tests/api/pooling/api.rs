//! A pool's whole life through the API, the seal, the outcomes without award, state violations.

use super::*;
use crate::api_client::{body_of, problem};
use crate::committee_fixture::{ADMIN, BUYER, MEMBER, ORG_ADMIN as SME};
use crate::helpers::on_postgres;

/// From draft to award, with two SMEs: SME A commits 1,000 kWh at 0.21 today, SME B 200 kWh at
/// 0.19; the demo large account offers 0.20, or 0.15 from 800 kWh; the energy supplier 0.18 up to
/// 300 kWh. The cheapest award gives all 1,200 kWh to the large account at 0.15 = 180.00 (300 at
/// 0.18 + 900 at 0.15 = 189.00 is dearer); A pays 150.00 and saves 60.00, B pays 30.00 and saves
/// 8.00 (current 38.00). Neither SME learns anything of the other.
async fn pool_to_award(app: TestApp) {
    let staff = Caller::person(&app, ADMIN).await;
    let sme = Caller::person(&app, SME).await;
    let sme_id = app.organisation_id("Usinage Titane Occitanie SAS").await;
    let (other_email, other_id, other_name) = other_sme_admin(&app).await;
    let other = Caller::person(&app, &other_email).await;
    let supplier = Caller::person(&app, BUYER).await;
    let energy_email = someone_of(&app, ENERGY_SUPPLIER).await;
    let energy = Caller::person(&app, &energy_email).await;
    let id = open_pool(&app, &staff, "Électricité 2027", 1100).await;
    assert!(
        app.mails()
            .iter()
            .any(|m| m.contains(&energy_email) && m.contains("Invitation")),
        "invited suppliers are told"
    );

    let mine = json_of(
        sme.put(
            &format!("/api/v1/pools/{id}/commitment"),
            &commitment(900, "0.25"),
        )
        .await,
        200,
    )
    .await;
    assert_eq!(mine["volume"], 900);
    // Changed before the close: one commitment per organisation.
    json_of(
        sme.put(
            &format!("/api/v1/pools/{id}/commitment"),
            &commitment(1000, "0.21"),
        )
        .await,
        200,
    )
    .await;
    // Half the minimum or more, not yet reached: that is all SME A reads of the progress.
    let seen = get_pool(&sme, id).await;
    assert_eq!(
        (seen["progress"].as_str(), seen["minimum_reached"].as_bool()),
        (Some("half_or_more"), Some(false))
    );
    json_of(
        other
            .put(
                &format!("/api/v1/pools/{id}/commitment"),
                &commitment(200, "0.19"),
            )
            .await,
        200,
    )
    .await;
    json_of(
        supplier
            .put(
                &format!("/api/v1/pools/{id}/offer"),
                &json!({"tiers": [{"from_volume": 1, "unit_price": "0.20"}, {"from_volume": 800, "unit_price": "0.15"}]}),
            )
            .await,
        200,
    )
    .await;
    json_of(
        energy
            .put(
                &format!("/api/v1/pools/{id}/offer"),
                &json!({"tiers": [{"from_volume": 1, "unit_price": "0.18"}], "max_volume": 300}),
            )
            .await,
        200,
    )
    .await;

    // An SME reads a band and its own commitment: neither the committed volume nor how many
    // committed (with two, the total less its own is the other's volume), nor anyone's offer.
    let seen = get_pool(&sme, id).await;
    assert_eq!(
        (seen["progress"].as_str(), seen["minimum_reached"].as_bool()),
        (Some("reached"), Some(true))
    );
    for hidden in [
        "committers",
        "committed_volume",
        "commitments",
        "offers",
        "offer_count",
        "invited",
        "award",
    ] {
        assert!(seen.get(hidden).is_none(), "{hidden} is the staff's: {seen}");
    }
    assert_eq!(seen["my_commitment"]["current_price"], "0.21");
    assert!(seen["my_offer"].is_null());
    let theirs = get_pool(&energy, id).await;
    assert_eq!(
        theirs["my_offer"]["organisation_id"],
        app.organisation_id(ENERGY_SUPPLIER).await
    );
    assert_eq!(theirs["my_offer"]["tiers"].as_array().unwrap().len(), 1);
    for hidden in [
        "committers",
        "committed_volume",
        "commitments",
        "offers",
        "offer_count",
    ] {
        assert!(theirs.get(hidden).is_none(), "{hidden} is the staff's: {theirs}");
    }
    // Sealed for the staff too: neither the offers nor how many stand.
    let staff_view = get_pool(&staff, id).await;
    assert!(
        staff_view.get("offer_count").is_none() && staff_view.get("offers").is_none(),
        "sealed for the staff too: {staff_view}"
    );
    assert_eq!(
        (
            staff_view["committers"].as_i64(),
            staff_view["committed_volume"].as_i64()
        ),
        (Some(2), Some(1200))
    );
    assert_eq!(staff_view["commitments"][0]["volume"], 1000);
    problem(staff.get(&format!("/api/v1/pools/{id}/award")).await, 404).await;
    // The audit keeps that offers were saved, and neither who offered nor at what price.
    let offers_audited = offer_audit(&app, id).await;
    assert_eq!(offers_audited.len(), 2, "{offers_audited:?}");
    for after in &offers_audited {
        let after: Value = serde_json::from_str(after).unwrap();
        assert_eq!(after, json!({"offer": "saved (sealed)"}));
    }

    // Confirming before the close is a state violation.
    problem(
        staff.post(&format!("/api/v1/pools/{id}/award"), &json!({})).await,
        409,
    )
    .await;

    close_and_settle(&app, id).await;
    let closed = get_pool(&staff, id).await;
    assert_eq!(
        (closed["state"].as_str(), closed["outcome"].as_str()),
        (Some("closed"), Some("award"))
    );
    assert!(
        app.mails()
            .iter()
            .any(|m| m.contains(ADMIN) && m.contains("awaits your confirmation")),
        "the staff are told an award awaits them"
    );
    assert_eq!(
        closed["offers"].as_array().unwrap().len(),
        2,
        "opened at the close"
    );
    let award = &closed["award"];
    assert_eq!(award["total"], "180.00");
    assert_eq!(award["unit_price"], "0.15");
    assert_eq!(award["savings"], "68.00");
    assert_eq!(award["current_total"], "248.00");
    assert_eq!(award["volume"], 1200);
    let lines = award["lines"].as_array().unwrap();
    assert_eq!(lines[0]["organisation_name"], LARGE_ACCOUNT);
    assert_eq!(
        (lines[0]["volume"].as_i64(), lines[0]["cost"].as_str()),
        (Some(1200), Some("180.00"))
    );
    assert_eq!(lines[1]["volume"], 0);
    let shares = award["shares"].as_array().unwrap();
    let figures = |s: &Value| {
        (
            s["organisation_id"].as_i64().unwrap(),
            s["current_cost"].as_str().unwrap().to_owned(),
            s["new_cost"].as_str().unwrap().to_owned(),
            s["savings"].as_str().unwrap().to_owned(),
        )
    };
    assert_eq!(
        shares.iter().map(figures).collect::<Vec<_>>(),
        [
            (sme_id, "210.00".into(), "150.00".into(), "60.00".into()),
            (other_id, "38.00".into(), "30.00".into(), "8.00".into()),
        ]
    );
    // Before the staff confirm, the parties read nothing of it.
    problem(sme.get(&format!("/api/v1/pools/{id}/award")).await, 404).await;
    assert!(get_pool(&sme, id).await["my_share"].is_null());

    let csv = body_of(staff.get(&format!("/api/v1/pools/{id}/award.csv")).await, 200).await;
    assert!(
        csv.contains("180.00") && csv.contains("68.00") && csv.contains(LARGE_ACCOUNT),
        "{csv}"
    );
    // Row labels in the headers' language.
    let (rows, header) = if csv.contains("ligne,organisation") {
        (["fournisseur,", "PME,"], "ligne")
    } else {
        (["supplier,", "SME,"], "row")
    };
    for label in rows {
        assert!(csv.contains(&format!("\n{label}")), "{header}: {csv}");
    }
    let xlsx = staff.get(&format!("/api/v1/pools/{id}/award.xlsx")).await;
    assert_eq!(xlsx.status(), 200);
    assert!(xlsx.bytes().await.unwrap().starts_with(b"PK"));
    problem(sme.get(&format!("/api/v1/pools/{id}/award.csv")).await, 403).await;

    let awarded = json_of(
        staff.post(&format!("/api/v1/pools/{id}/award"), &json!({})).await,
        200,
    )
    .await;
    assert_eq!(awarded["state"], "awarded");
    problem(
        staff.post(&format!("/api/v1/pools/{id}/award"), &json!({})).await,
        409,
    )
    .await;

    // Each SME reads its own share, structurally alone: no line, no total, no pooled volume, no
    // other organisation; the same in its pool and in its mails.
    let share = json_of(sme.get(&format!("/api/v1/pools/{id}/award")).await, 200).await;
    let own = share["shares"].as_array().unwrap();
    assert_eq!(own.len(), 1);
    assert_eq!(own[0]["organisation_id"], sme_id);
    assert_eq!(own[0]["new_cost"], "150.00");
    assert_eq!(own[0]["savings"], "60.00");
    assert!(share["lines"].as_array().unwrap().is_empty());
    for hidden in ["total", "current_total", "savings", "volume"] {
        assert!(share.get(hidden).is_none_or(Value::is_null), "{hidden}: {share}");
    }
    let seen = get_pool(&sme, id).await;
    assert_eq!(seen["my_share"]["new_unit_price"], "0.15");
    for (what, text) in [("award", share.to_string()), ("pool", seen.to_string())] {
        assert!(
            !text.contains(&format!("\"organisation_id\":{other_id}")) && !text.contains(&other_name),
            "SME A's {what} names SME B: {text}"
        );
        for figure in ["38.00", "30.00", "\"8.00\"", "0.19", "180.00", "248.00"] {
            assert!(!text.contains(figure), "SME A's {what} holds {figure}: {text}");
        }
    }
    let theirs = json_of(other.get(&format!("/api/v1/pools/{id}/award")).await, 200).await;
    assert_eq!(theirs["shares"][0]["organisation_id"], other_id);
    assert_eq!(theirs["shares"].as_array().unwrap().len(), 1);
    let line = json_of(supplier.get(&format!("/api/v1/pools/{id}/award")).await, 200).await;
    assert_eq!(line["lines"][0]["cost"], "180.00");
    assert_eq!(line["lines"].as_array().unwrap().len(), 1);
    assert!(line["shares"].as_array().unwrap().is_empty());
    let member = Caller::person(&app, MEMBER).await;
    // The SME's member reads its organisation's share (it is its organisation's), not others'.
    let theirs = json_of(member.get(&format!("/api/v1/pools/{id}/award")).await, 200).await;
    assert_eq!(theirs["shares"][0]["savings"], "60.00");
    let mails = app.mails();
    let to_a: Vec<&String> = mails
        .iter()
        .filter(|m| m.contains(SME) && m.contains("attribu"))
        .collect();
    assert!(!to_a.is_empty(), "SME A gets its award letter");
    for mail in to_a {
        assert!(mail.contains("60.00") && mail.contains("150.00"), "{mail}");
        for figure in ["38.00", "30.00", " 8.00", "0.19", "180.00"] {
            assert!(!mail.contains(figure), "SME A's letter holds {figure}: {mail}");
        }
        assert!(
            !mail.contains(&other_email),
            "one letter per organisation: {mail}"
        );
    }
    let audit = audit_of(&app, id).await;
    for step in [
        "pool_create",
        "pool_suppliers",
        "pool_publish",
        "pool_commit",
        "pool_commitment_change",
        "pool_close",
        "pool_award",
    ] {
        assert!(audit.contains(step), "{step} audited: {audit}");
    }
}

/// The `after` of a pool's offer audit rows.
async fn offer_audit(app: &TestApp, pool: i64) -> Vec<String> {
    let mut conn = app.db.store.conn().await.unwrap();
    store::audit::of_entity(&mut conn, "pool", pool)
        .await
        .unwrap()
        .into_iter()
        .filter(|row| row.action.starts_with("pool_offer"))
        .map(|row| row.after_json.unwrap_or_default())
        .collect()
}

/// The audit rows of a pool, as text.
pub async fn audit_of(app: &TestApp, pool: i64) -> String {
    let mut conn = app.db.store.conn().await.unwrap();
    let rows = store::audit::of_entity(&mut conn, "pool", pool).await.unwrap();
    format!("{rows:?}")
}

#[tokio::test]
async fn a_pool_runs_from_draft_to_award() {
    pool_to_award(TestApp::spawn().await).await;
}

#[tokio::test]
async fn a_pool_runs_from_draft_to_award_on_postgres() {
    on_postgres("the pool loop", pool_to_award).await;
}

/// Below the minimum nobody is bound and everyone is told; suppliers short of the volume make the
/// award infeasible; neither can be confirmed, both can be cancelled.
async fn pools_without_award(app: TestApp) {
    let staff = Caller::person(&app, ADMIN).await;
    let sme = Caller::person(&app, SME).await;
    let energy = Caller::person(&app, &someone_of(&app, ENERGY_SUPPLIER).await).await;
    let short = open_pool(&app, &staff, "Gaz 2027", 10_000).await;
    json_of(
        sme.put(
            &format!("/api/v1/pools/{short}/commitment"),
            &commitment(100, "1"),
        )
        .await,
        200,
    )
    .await;
    close_and_settle(&app, short).await;
    let seen = get_pool(&staff, short).await;
    assert_eq!(seen["outcome"], "below_minimum");
    assert!(seen["award"].is_null());
    problem(
        staff
            .post(&format!("/api/v1/pools/{short}/award"), &json!({}))
            .await,
        409,
    )
    .await;
    assert!(
        app.mails()
            .iter()
            .any(|m| m.contains("Gaz 2027") && m.contains("minimum"))
    );
    let cancelled = json_of(
        staff
            .post(
                &format!("/api/v1/pools/{short}/cancel"),
                &json!({"reason": "Minimum non atteint."}),
            )
            .await,
        200,
    )
    .await;
    assert_eq!(cancelled["state"], "cancelled");

    let tight = open_pool(&app, &staff, "Fioul 2027", 10).await;
    json_of(
        sme.put(
            &format!("/api/v1/pools/{tight}/commitment"),
            &commitment(100, "1"),
        )
        .await,
        200,
    )
    .await;
    json_of(
        energy
            .put(
                &format!("/api/v1/pools/{tight}/offer"),
                &json!({"tiers": [{"from_volume": 1, "unit_price": "0.9"}], "max_volume": 50}),
            )
            .await,
        200,
    )
    .await;
    close_and_settle(&app, tight).await;
    assert_eq!(get_pool(&staff, tight).await["outcome"], "infeasible");
    problem(
        staff
            .post(&format!("/api/v1/pools/{tight}/award"), &json!({}))
            .await,
        409,
    )
    .await;
    // The close ran once: running it again closes nothing.
    assert!(app.app.close_due_pools().await.unwrap().is_empty());
}

/// Without an offer nothing is awarded and everyone concerned is told nobody is bound. An open
/// pool past its closing instant is not cancelled before it is settled (its offers are being
/// opened); once settled it may be. Two closers racing settle a pool once, with one audit row.
async fn outcomes_and_their_mails(app: TestApp) {
    let staff = Caller::person(&app, ADMIN).await;
    let sme = Caller::person(&app, SME).await;
    let energy_email = someone_of(&app, ENERGY_SUPPLIER).await;
    let id = open_pool(&app, &staff, "Bois 2027", 10).await;
    json_of(
        sme.put(&format!("/api/v1/pools/{id}/commitment"), &commitment(100, "1"))
            .await,
        200,
    )
    .await;
    close_at(&app, id, 1_000).await;
    let refused = problem(
        staff
            .post(
                &format!("/api/v1/pools/{id}/cancel"),
                &json!({"reason": "Trop tard"}),
            )
            .await,
        409,
    )
    .await;
    assert!(refused.to_string().contains("being settled"), "{refused}");
    let manage = crate::helpers::page(
        &app.signed_in(ADMIN).await.client,
        &app,
        &format!("/pools/{id}/manage"),
    )
    .await;
    assert!(
        manage.contains("id=\"settling\"") && !manage.contains("id=\"cancel-form\""),
        "the staff page says the pool is being settled: {manage}"
    );

    // Two closers at once: one settles, the other finds nothing left to do.
    let (first, second) = tokio::join!(app.app.close_due_pools(), app.app.close_due_pools());
    let settled: Vec<i64> = first.unwrap().into_iter().chain(second.unwrap()).collect();
    assert_eq!(settled, [id], "settled once");
    let mut conn = app.db.store.conn().await.unwrap();
    let closes = store::audit::of_entity(&mut conn, "pool", id)
        .await
        .unwrap()
        .into_iter()
        .filter(|row| row.action == "pool_close")
        .count();
    assert_eq!(closes, 1, "one audit row for the close");
    drop(conn);

    let seen = get_pool(&staff, id).await;
    assert_eq!(
        (seen["state"].as_str(), seen["outcome"].as_str()),
        (Some("closed"), Some("no_offer"))
    );
    let mails = app.mails();
    let told = |who: &str| {
        mails
            .iter()
            .any(|m| m.contains(who) && m.contains("Bois 2027") && m.contains("Nobody is bound"))
    };
    assert!(
        told(SME) && told(&energy_email),
        "the parties are told nobody is bound"
    );
    assert!(
        mails
            .iter()
            .any(|m| m.contains(ADMIN) && m.contains("without an award (no_offer)")),
        "the staff are told"
    );
    json_of(
        staff
            .post(
                &format!("/api/v1/pools/{id}/cancel"),
                &json!({"reason": "Aucune offre."}),
            )
            .await,
        200,
    )
    .await;
}

#[tokio::test]
async fn outcomes_are_told_and_pools_settled_once() {
    outcomes_and_their_mails(TestApp::spawn().await).await;
}

#[tokio::test]
async fn outcomes_are_told_and_pools_settled_once_on_postgres() {
    on_postgres("pool outcomes", outcomes_and_their_mails).await;
}

#[tokio::test]
async fn pools_below_their_minimum_or_short_of_capacity_award_nothing() {
    pools_without_award(TestApp::spawn().await).await;
}

#[tokio::test]
async fn pools_below_their_minimum_or_short_of_capacity_award_nothing_on_postgres() {
    on_postgres("pools without award", pools_without_award).await;
}

/// States are the server's: drafts are the staff's alone, a published pool is no longer edited,
/// a cancelled one takes nothing, an awarded one cannot be cancelled.
async fn state_violations(app: TestApp) {
    let staff = Caller::person(&app, ADMIN).await;
    let sme = Caller::person(&app, SME).await;
    let supplier = Caller::person(&app, BUYER).await;
    let large = app.organisation_id(LARGE_ACCOUNT).await;
    let draft = draft_pool(&app, &staff, "Cartons 2027", 10, &[large]).await;
    // A draft is the staff's: others may not even know it exists.
    problem(
        sme.put(&format!("/api/v1/pools/{draft}/commitment"), &commitment(5, "1"))
            .await,
        404,
    )
    .await;
    problem(sme.get(&format!("/api/v1/pools/{draft}")).await, 404).await;
    let listed = json_of(sme.get("/api/v1/pools").await, 200).await;
    assert!(!listed.to_string().contains("Cartons 2027"));
    problem(
        staff
            .put(&format!("/api/v1/pools/{draft}/commitment"), &commitment(5, "1"))
            .await,
        403,
    )
    .await;
    // Edited freely while a draft.
    json_of(
        staff
            .put(
                &format!("/api/v1/pools/{draft}"),
                &pool_body("Cartons 2027 (v2)", 20),
            )
            .await,
        200,
    )
    .await;
    json_of(
        staff
            .post(&format!("/api/v1/pools/{draft}/publish"), &json!({}))
            .await,
        200,
    )
    .await;
    problem(
        staff
            .post(&format!("/api/v1/pools/{draft}/publish"), &json!({}))
            .await,
        409,
    )
    .await;
    problem(
        staff
            .put(&format!("/api/v1/pools/{draft}"), &pool_body("Cartons", 20))
            .await,
        409,
    )
    .await;
    problem(
        staff
            .put(
                &format!("/api/v1/pools/{draft}/suppliers"),
                &json!({"suppliers": []}),
            )
            .await,
        409,
    )
    .await;
    problem(
        sme.post(
            &format!("/api/v1/pools/{draft}/cancel"),
            &json!({"reason": "non"}),
        )
        .await,
        403,
    )
    .await;
    json_of(
        sme.put(&format!("/api/v1/pools/{draft}/commitment"), &commitment(5, "1"))
            .await,
        200,
    )
    .await;
    let refused = problem(
        staff
            .post(&format!("/api/v1/pools/{draft}/cancel"), &json!({"reason": "  "}))
            .await,
        422,
    )
    .await;
    assert_eq!(crate::api_client::error_fields(&refused), ["reason"]);
    json_of(
        staff
            .post(
                &format!("/api/v1/pools/{draft}/cancel"),
                &json!({"reason": "Besoin abandonné."}),
            )
            .await,
        200,
    )
    .await;
    assert!(
        app.mails()
            .iter()
            .any(|m| m.contains("Besoin abandonn") || m.contains("annul"))
    );
    problem(
        sme.put(&format!("/api/v1/pools/{draft}/commitment"), &commitment(6, "1"))
            .await,
        409,
    )
    .await;
    problem(
        sme.delete(&format!("/api/v1/pools/{draft}/commitment")).await,
        409,
    )
    .await;
    problem(
        supplier
            .put(
                &format!("/api/v1/pools/{draft}/offer"),
                &json!({"tiers": [{"from_volume": 1, "unit_price": "1"}]}),
            )
            .await,
        409,
    )
    .await;
    problem(
        staff
            .post(
                &format!("/api/v1/pools/{draft}/cancel"),
                &json!({"reason": "Encore"}),
            )
            .await,
        409,
    )
    .await;
    // Cancelled before its close: the offers stay sealed for ever (none here), the award absent.
    problem(staff.get(&format!("/api/v1/pools/{draft}/award")).await, 404).await;
    // Publishing needs a supplier.
    let lonely = draft_pool(&app, &staff, "Sans fournisseur", 10, &[]).await;
    let refused = problem(
        staff
            .post(&format!("/api/v1/pools/{lonely}/publish"), &json!({}))
            .await,
        422,
    )
    .await;
    assert_eq!(crate::api_client::error_fields(&refused), ["suppliers"]);
}

#[tokio::test]
async fn pool_states_are_enforced_by_the_server() {
    state_violations(TestApp::spawn().await).await;
}

#[tokio::test]
async fn pool_states_are_enforced_by_the_server_on_postgres() {
    on_postgres("pool state violations", state_violations).await;
}

/// The demo: an open energy pool the demo SME may join, and an awarded packaging pool whose figures
/// reconcile to the cent, the demo SME's share among them.
async fn demo_pools(app: TestApp) {
    let staff = Caller::person(&app, ADMIN).await;
    let sme = Caller::person(&app, SME).await;
    let listed = json_of(sme.get("/api/v1/pools").await, 200).await;
    let find = |phase: &str| {
        listed
            .as_array()
            .unwrap()
            .iter()
            .find(|p| p["phase"] == phase)
            .unwrap_or_else(|| panic!("a demo pool {phase}: {listed}"))
            .clone()
    };
    let open = find("open");
    assert_eq!(open["category"], "energy");
    // The SME reads a band; the staff the exact figures (the demo's four SMEs, 1,660 of 2,000).
    assert_eq!(
        (
            open["progress"].as_str(),
            open.get("committers"),
            open.get("committed_volume")
        ),
        (Some("half_or_more"), None, None),
        "{open}"
    );
    let exact = get_pool(&staff, open["id"].as_i64().unwrap()).await;
    assert_eq!(
        (exact["committers"].as_i64(), exact["committed_volume"].as_i64()),
        (Some(4), Some(1660))
    );
    let seen = get_pool(&sme, open["id"].as_i64().unwrap()).await;
    assert!(
        seen["may_commit"] == true && seen["my_commitment"].is_null(),
        "{seen}"
    );
    let awarded = find("awarded")["id"].as_i64().unwrap();
    let mine = json_of(sme.get(&format!("/api/v1/pools/{awarded}/award")).await, 200).await;
    assert_eq!(
        mine["shares"][0]["new_cost"], "1554.00",
        "120 palettes at the pooled 12.95"
    );
    assert_eq!(mine["shares"][0]["savings"], "222.00");
    let all = json_of(staff.get(&format!("/api/v1/pools/{awarded}/award")).await, 200).await;
    let cents = |v: &Value| cents_of(v.as_str().unwrap());
    let shares: i64 = all["shares"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| cents(&s["new_cost"]))
        .sum();
    let lines: i64 = all["lines"]
        .as_array()
        .unwrap()
        .iter()
        .map(|l| cents(&l["cost"]))
        .sum();
    assert_eq!(
        (shares, lines),
        (cents(&all["total"]), cents(&all["total"])),
        "{all}"
    );
    assert_eq!(all["total"], "7252.00");
    assert_eq!(all["savings"], "1179.00");
    // Current costs and savings reconcile to the cent too: Σ current = current total,
    // Σ savings = total savings = current total − award total.
    let sum = |key: &str| -> i64 {
        all["shares"]
            .as_array()
            .unwrap()
            .iter()
            .map(|s| cents(&s[key]))
            .sum()
    };
    assert_eq!(sum("current_cost"), cents(&all["current_total"]));
    assert_eq!(sum("savings"), cents(&all["savings"]));
    assert_eq!(
        cents(&all["savings"]),
        cents(&all["current_total"]) - cents(&all["total"])
    );
}

/// Decimal money text ("-12.30", "7252.00") in cents, its sign kept on both parts.
fn cents_of(text: &str) -> i64 {
    let (negative, digits) = match text.strip_prefix('-') {
        Some(rest) => (true, rest),
        None => (false, text),
    };
    let (units, decimals) = digits.split_once('.').unwrap_or((digits, "00"));
    assert_eq!(decimals.len(), 2, "money is in cents: {text}");
    let magnitude = units.parse::<i64>().unwrap() * 100 + decimals.parse::<i64>().unwrap();
    if negative { -magnitude } else { magnitude }
}

#[test]
fn money_text_reads_in_cents_with_its_sign() {
    assert_eq!(cents_of("7252.00"), 725_200);
    assert_eq!(cents_of("-0.05"), -5);
    assert_eq!(cents_of("-12.30"), -1_230);
}

#[tokio::test]
async fn the_demo_holds_an_open_and_an_awarded_pool() {
    demo_pools(TestApp::spawn().await).await;
}

#[tokio::test]
async fn the_demo_holds_an_open_and_an_awarded_pool_on_postgres() {
    on_postgres("the demo pools", demo_pools).await;
}
