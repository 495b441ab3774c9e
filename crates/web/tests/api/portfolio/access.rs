//! Who sees what of the portfolio: subscribers, non-subscribers, lapsed and revoked subscriptions,
//! lapsed qualifications; bad subscriptions and criteria refused; listing from the portfolio.

use super::*;

async fn who_sees_what(app: TestApp) {
    let cluster = app.cluster_id;
    let staff = Caller::person(&app, ADMIN).await;
    let subscriber = Caller::person(&app, BUYER).await;
    let other_email = other_buyer_email(&app).await;
    let non_subscriber = Caller::person(&app, &other_email).await;
    let sme = Caller::person(&app, SME).await;
    let evaluator = Caller::person(&app, EVALUATOR).await;

    // A visitor is asked to sign in.
    json_of(
        Caller::visitor(&app)
            .get(&format!("/api/v1/clusters/{cluster}/portfolio"))
            .await,
        401,
    )
    .await;
    // The staff and the subscribed large account: the full list of the demo's three qualified SMEs.
    for caller in [&staff, &subscriber] {
        let full = portfolio(&app, caller).await;
        assert_eq!(full["access"], "full");
        assert_eq!(full["summary"]["qualified"], 3);
        assert_eq!(supplier_names(&full).len(), 3);
        assert!(full["suppliers"][0]["renewal_on"].as_str().unwrap() > day(0).as_str());
    }
    // The rest of the cluster: the summary only, no names.
    for caller in [&non_subscriber, &sme] {
        let summary = portfolio(&app, caller).await;
        assert_eq!(summary["access"], "summary");
        assert_eq!(summary["summary"]["qualified"], 3);
        assert!(summary.get("suppliers").is_none(), "{summary}");
        assert_eq!(
            summary["summary"]["by_size"]
                .as_array()
                .unwrap()
                .iter()
                .map(|c| c["count"].as_u64().unwrap())
                .sum::<u64>(),
            3
        );
    }
    // An evaluator is no registry participant: not even the summary.
    json_of(
        evaluator
            .get(&format!("/api/v1/clusters/{cluster}/portfolio"))
            .await,
        404,
    )
    .await;
    // Only the staff read and grant subscriptions.
    for caller in [&subscriber, &sme] {
        json_of(
            caller
                .get(&format!("/api/v1/clusters/{cluster}/portfolio/subscriptions"))
                .await,
            404,
        )
        .await;
    }
    let other = app.organisation_id(OTHER_LARGE_ACCOUNT).await;
    json_of(
        subscriber
            .post(
                &format!("/api/v1/clusters/{cluster}/portfolio/subscriptions"),
                &json!({"organisation_id": other, "starts_on": day(0), "ends_on": day(30)}),
            )
            .await,
        404,
    )
    .await;

    // Granted a subscription, the other large account reads the full portfolio…
    let granted = json_of(
        staff
            .post(
                &format!("/api/v1/clusters/{cluster}/portfolio/subscriptions"),
                &json!({"organisation_id": other, "starts_on": day(0), "ends_on": day(30)}),
            )
            .await,
        201,
    )
    .await;
    assert_eq!(granted["active"], true);
    let sid = granted["id"].as_i64().unwrap();
    assert_eq!(portfolio(&app, &non_subscriber).await["access"], "full");
    // …while a subscription whose last day was yesterday gives nothing (written to the store as
    // if time had passed: the API refuses to grant one already over)…
    json_of(
        staff
            .post(
                &format!("/api/v1/clusters/{cluster}/portfolio/subscriptions/{sid}/revoke"),
                &json!({}),
            )
            .await,
        200,
    )
    .await;
    {
        let mut conn = app.db.store.conn().await.unwrap();
        store::committee::portfolio::grant_subscription(
            &mut conn,
            cluster,
            other,
            &day(-30),
            &day(-1),
            None,
            0,
        )
        .await
        .unwrap();
    }
    assert_eq!(portfolio(&app, &non_subscriber).await["access"], "summary");
    // …or not begun yet…
    let later = json_of(
        staff
            .post(
                &format!("/api/v1/clusters/{cluster}/portfolio/subscriptions"),
                &json!({"organisation_id": other, "starts_on": day(1), "ends_on": day(30)}),
            )
            .await,
        201,
    )
    .await;
    assert_eq!(later["active"], false);
    assert_eq!(portfolio(&app, &non_subscriber).await["access"], "summary");
    // …or revoked; revoking twice is refused.
    let current = json_of(
        staff
            .post(
                &format!("/api/v1/clusters/{cluster}/portfolio/subscriptions"),
                &json!({"organisation_id": other, "starts_on": day(-1), "ends_on": day(1)}),
            )
            .await,
        201,
    )
    .await;
    assert_eq!(portfolio(&app, &non_subscriber).await["access"], "full");
    let current = current["id"].as_i64().unwrap();
    let revoke = format!("/api/v1/clusters/{cluster}/portfolio/subscriptions/{current}/revoke");
    json_of(subscriber.post(&revoke, &json!({})).await, 404).await;
    let revoked = json_of(staff.post(&revoke, &json!({})).await, 200).await;
    assert_eq!(revoked["active"], false);
    json_of(staff.post(&revoke, &json!({})).await, 409).await;
    assert_eq!(portfolio(&app, &non_subscriber).await["access"], "summary");
    let listed = json_of(
        staff
            .get(&format!("/api/v1/clusters/{cluster}/portfolio/subscriptions"))
            .await,
        200,
    )
    .await;
    assert_eq!(
        listed.as_array().unwrap().len(),
        5,
        "the demo's and the four granted here"
    );

    // Applications: the staff see them all; an SME sees its own; nobody else sees the pending one.
    let all = json_of(
        staff
            .get(&format!("/api/v1/clusters/{cluster}/qualification/applications"))
            .await,
        200,
    )
    .await;
    assert_eq!(all.as_array().unwrap().len(), 4, "three qualified, one pending");
    let pending = all
        .as_array()
        .unwrap()
        .iter()
        .find(|a| a["state"] == "submitted")
        .unwrap()["id"]
        .as_i64()
        .unwrap();
    for (caller, own) in [(&sme, vec![DEMO_SME]), (&subscriber, vec![])] {
        let mine = json_of(
            caller
                .get(&format!("/api/v1/clusters/{cluster}/qualification/applications"))
                .await,
            200,
        )
        .await;
        let names: Vec<&str> = mine
            .as_array()
            .unwrap()
            .iter()
            .map(|a| a["organisation_name"].as_str().unwrap())
            .collect();
        assert_eq!(names, own);
        json_of(
            caller
                .get(&format!("/api/v1/qualification/applications/{pending}"))
                .await,
            404,
        )
        .await;
    }
}

#[tokio::test]
async fn each_role_sees_the_portfolio_it_may() {
    who_sees_what(TestApp::spawn().await).await;
}

#[tokio::test]
async fn each_role_sees_the_portfolio_it_may_on_postgres() {
    on_postgres("who sees the portfolio", who_sees_what).await;
}

#[tokio::test]
async fn bad_subscriptions_are_refused_and_nothing_is_stored() {
    let app = TestApp::spawn().await;
    let cluster = app.cluster_id;
    let staff = Caller::person(&app, ADMIN).await;
    let other = app.organisation_id(OTHER_LARGE_ACCOUNT).await;
    let path = format!("/api/v1/clusters/{cluster}/portfolio/subscriptions");
    for (body, fields) in [
        (
            json!({"organisation_id": other, "starts_on": day(10), "ends_on": day(5)}),
            vec!["ends_on"],
        ),
        (
            json!({"organisation_id": other, "starts_on": day(10), "ends_on": day(10)}),
            vec!["ends_on"],
        ),
        (
            json!({"organisation_id": other, "starts_on": day(-60), "ends_on": day(-1)}),
            vec!["ends_on"],
        ),
        (
            json!({"organisation_id": other, "starts_on": "demain", "ends_on": "2027-13-01"}),
            vec!["starts_on", "ends_on"],
        ),
        (
            json!({"organisation_id": 987_654, "starts_on": day(0), "ends_on": day(5)}),
            vec!["organisation_id"],
        ),
    ] {
        let refused = json_of(staff.post(&path, &body).await, 422).await;
        assert_eq!(error_fields(&refused), fields, "{body}");
    }
    json_of(
        staff
            .post(&path, &json!({"organisation_id": other, "starts_on": day(0)}))
            .await,
        422,
    )
    .await;
    let listed = json_of(staff.get(&path).await, 200).await;
    assert_eq!(
        listed.as_array().unwrap().len(),
        1,
        "only the demo's subscription"
    );

    // Criteria: an empty name, a name twice, an unknown id; nothing changes.
    let before = json_of(
        staff
            .get(&format!("/api/v1/clusters/{cluster}/qualification/criteria"))
            .await,
        200,
    )
    .await;
    let refused = json_of(
        staff
            .put(
                &format!("/api/v1/clusters/{cluster}/qualification/criteria"),
                &json!({"criteria": [
                    {"name": " "},
                    {"name": "RSE"},
                    {"name": "rse"},
                    {"id": 999_999, "name": "Inconnu"}
                ]}),
            )
            .await,
        422,
    )
    .await;
    assert_eq!(
        error_fields(&refused),
        vec!["criteria[0].name", "criteria[2].name", "criteria[3].id"]
    );
    let after = json_of(
        staff
            .get(&format!("/api/v1/clusters/{cluster}/qualification/criteria"))
            .await,
        200,
    )
    .await;
    assert_eq!(before, after);
    // Only the staff set criteria.
    json_of(
        Caller::person(&app, BUYER)
            .await
            .put(
                &format!("/api/v1/clusters/{cluster}/qualification/criteria"),
                &json!({"criteria": [{"name": "RSE"}]}),
            )
            .await,
        404,
    )
    .await;
    // Retiring one and adding one: the retired one is kept, inactive.
    let ids = criteria_ids(&app, &staff).await;
    let saved = json_of(
        staff
            .put(
                &format!("/api/v1/clusters/{cluster}/qualification/criteria"),
                &json!({"criteria": [
                    {"id": ids[1], "name": "Solidité financière"},
                    {"id": ids[0], "name": "Système qualité certifié"},
                    {"name": "Politique RSE", "description": "Bilan carbone, achats responsables."}
                ]}),
            )
            .await,
        200,
    )
    .await;
    let saved = saved.as_array().unwrap();
    assert_eq!(saved.len(), 4);
    assert_eq!(saved[0]["id"], ids[1]);
    assert_eq!(saved[2]["name"], "Politique RSE");
    assert_eq!(saved[3]["id"], ids[2]);
    assert_eq!(saved[3]["active"], false);
}

/// Records a qualified decision straight in the store, as the staff would have taken it long ago.
async fn decide_as_if(app: &TestApp, organisation: i64, renewal: String) {
    use store::committee::portfolio as stored;
    let mut conn = app.db.store.conn().await.unwrap();
    let at = store::now_ms();
    let id = stored::create_application(&mut conn, app.cluster_id, organisation, None, at)
        .await
        .unwrap();
    assert!(
        stored::change_state(&mut conn, id, "draft", "submitted", at)
            .await
            .unwrap()
    );
    assert!(
        stored::decide(&mut conn, id, "qualified", Some(&renewal), None, None, at)
            .await
            .unwrap()
    );
}

async fn lapsing(app: TestApp) {
    let subscriber = Caller::person(&app, BUYER).await;
    let before = portfolio(&app, &subscriber).await;
    let names = supplier_names(&before);
    assert_eq!(names.len(), 3);
    // One supplier's qualification in force lapses: written to the store as if time had passed
    // (the API takes no renewal date in the past), as its latest qualified decision.
    let lapsed = app.organisation_id(&names[0]).await;
    decide_as_if(&app, lapsed, day(-1)).await;
    let after = portfolio(&app, &subscriber).await;
    assert_eq!(supplier_names(&after), names[1..].to_vec());
    assert_eq!(after["summary"]["qualified"], 2);
    // Its last day is still in: a renewal date of today keeps it.
    decide_as_if(&app, lapsed, day(0)).await;
    assert_eq!(supplier_names(&portfolio(&app, &subscriber).await).len(), 3);
}

#[tokio::test]
async fn a_lapsed_qualification_leaves_the_portfolio() {
    lapsing(TestApp::spawn().await).await;
}

#[tokio::test]
async fn a_lapsed_qualification_leaves_the_portfolio_on_postgres() {
    on_postgres("a lapsed qualification", lapsing).await;
}

async fn listing(app: TestApp) {
    let cluster = app.cluster_id;
    let subscriber = Caller::person(&app, BUYER).await;
    let other_email = other_buyer_email(&app).await;
    let non_subscriber = Caller::person(&app, &other_email).await;
    let supplier = unlisted_supplier(&app).await;
    let path = format!("/api/v1/clusters/{cluster}/portfolio/listings");

    // Without a subscription, or for a supplier outside the portfolio: refused.
    let refused = json_of(
        non_subscriber
            .post(&path, &json!({"supplier_id": supplier}))
            .await,
        403,
    )
    .await;
    assert_eq!(refused["status"], 403);
    let pending = app.organisation_id(&pending_applicant(&app).await).await;
    let outside = json_of(
        subscriber.post(&path, &json!({"supplier_id": pending})).await,
        422,
    )
    .await;
    assert_eq!(error_fields(&outside), vec!["supplier_id"]);
    // An SME of the cluster has no supplier list to write.
    json_of(
        Caller::person(&app, MEMBER)
            .await
            .post(&path, &json!({"supplier_id": supplier}))
            .await,
        403,
    )
    .await;
    assert!(!listed_by_demo_buyer(&app, supplier).await, "nothing listed");

    let listed = json_of(
        subscriber
            .post(
                &path,
                &json!({"supplier_id": supplier, "note": "Vu au portefeuille"}),
            )
            .await,
        201,
    )
    .await;
    assert_eq!(listed["origin"], "portfolio");
    assert_eq!(listed["supplier_id"], supplier);
    let now = portfolio(&app, &subscriber).await;
    let entry = now["suppliers"]
        .as_array()
        .unwrap()
        .iter()
        .find(|s| s["organisation_id"] == supplier)
        .unwrap()
        .clone();
    assert_eq!(entry["on_my_list"], true);
    json_of(
        subscriber.post(&path, &json!({"supplier_id": supplier})).await,
        409,
    )
    .await;
}

#[tokio::test]
async fn a_subscribed_buyer_lists_a_supplier_from_the_portfolio() {
    listing(TestApp::spawn().await).await;
}

#[tokio::test]
async fn a_subscribed_buyer_lists_a_supplier_from_the_portfolio_on_postgres() {
    on_postgres("listing from the portfolio", listing).await;
}
