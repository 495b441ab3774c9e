//! The committee's calendar and reading material, as its people use them: the large account's
//! purchasing policy (drafted, published, read by the cluster's members only), the staff's
//! committee sessions (Paris times, presenters, attached calls each shown only to those who may
//! see it) and a call's audit trail, which its buyer side reads without learning what sealed
//! dossiers hold or what candidates drafted. Bad input on every write is refused, nothing stored.

use crate::api_client::{Caller, error_fields, json_of};
use crate::committee_fixture::{
    ADMIN, BUYER, EVALUATOR, LAB, MEMBER, ORG_ADMIN, call_body, close_now, published_call, submit,
};
use crate::helpers::{SignedIn, TestApp, hidden_value, post_form};
use crate::policy_matrix::Fixture;
use app::demo::{DEMO_LARGE_ACCOUNT, DEMO_SME};
use reqwest::Response;
use serde_json::{Value, json};

const FOREIGN_BUYER: &str = "secret@forge-nord.fr";

/// A buyer of an organisation in another cluster (the policy matrix's foreign person, made a
/// buyer there).
async fn foreign_buyer(app: &TestApp) -> Fixture {
    let fixture = Fixture::prepare(app).await;
    let mut conn = app.db.store.conn().await.unwrap();
    store::people::grant(
        &mut conn,
        fixture.foreign_person,
        "buyer",
        "organisation",
        fixture.foreign_org,
    )
    .await
    .unwrap();
    fixture
}

fn policy_body(published: bool) -> Value {
    json!({
        "buys": "  Pièces usinées en titane  ",
        "innovation_priorities": "Fabrication additive",
        "how_to_get_listed": "Répondre aux appels du comité.",
        "contacts": "acheteuse@grandcompte-demo.fr",
        "commitments": "",
        "published": published,
    })
}

async fn status(response: Response) -> u16 {
    response.status().as_u16()
}

// ---- purchasing policies ----------------------------------------------------------------------

#[tokio::test]
async fn the_large_accounts_policy_is_read_by_the_cluster_and_its_drafts_by_its_editors_only() {
    let app = TestApp::spawn().await;
    policy_story(&app).await;
}

#[tokio::test]
async fn purchasing_policy_story_on_postgres() {
    crate::helpers::on_postgres("the purchasing policy story", |app| async move {
        policy_story(&app).await;
        session_story(&app).await;
        audit_story(&app).await;
    })
    .await;
}

async fn policy_story(app: &TestApp) {
    let large = app.organisation_id(DEMO_LARGE_ACCOUNT).await;
    let sme_org = app.organisation_id(DEMO_SME).await;
    let cluster = app.cluster_id;
    let buyer = Caller::person(app, BUYER).await;
    let admin = Caller::person(app, ADMIN).await;
    let member = Caller::person(app, MEMBER).await;
    let sme_admin = Caller::person(app, ORG_ADMIN).await;
    let lab = Caller::person(app, LAB).await;
    let evaluator = Caller::person(app, EVALUATOR).await;
    let visitor = Caller::visitor(app);
    let path = format!("/api/v1/organisations/{large}/purchasing-policy");
    let list = format!("/api/v1/clusters/{cluster}/purchasing-policies");

    // The demo's published policy is read by every registry participant of the cluster.
    for reader in [&member, &sme_admin, &lab, &admin, &buyer] {
        let policy = json_of(reader.get(&path).await, 200).await;
        assert_eq!(policy["published"], true);
        assert_eq!(policy["organisation_name"], DEMO_LARGE_ACCOUNT);
    }
    let listed = json_of(member.get(&list).await, 200).await;
    assert!(
        listed
            .as_array()
            .unwrap()
            .iter()
            .any(|p| p["organisation_id"] == large)
    );
    // Evaluators see only the calls they mark; visitors must sign in.
    assert_eq!(status(evaluator.get(&path).await).await, 404);
    assert_eq!(status(evaluator.get(&list).await).await, 404);
    assert_eq!(status(visitor.get(&path).await).await, 401);
    assert_eq!(status(visitor.get(&list).await).await, 401);

    // The buyer takes it back to a draft: members no longer see it, the buyer and staff do.
    let draft = json_of(buyer.put(&path, &policy_body(false)).await, 200).await;
    assert_eq!(draft["published"], false);
    assert_eq!(draft["buys"], "Pièces usinées en titane", "text is trimmed");
    assert_eq!(draft["can_edit"], true);
    assert_eq!(status(member.get(&path).await).await, 404);
    let listed = json_of(member.get(&list).await, 200).await;
    assert!(
        !listed
            .as_array()
            .unwrap()
            .iter()
            .any(|p| p["organisation_id"] == large)
    );
    assert_eq!(json_of(admin.get(&path).await, 200).await["published"], false);

    // An SME may read the policy but not write it; the staff may.
    assert_eq!(status(sme_admin.put(&path, &policy_body(true)).await).await, 403);
    assert_eq!(status(visitor.put(&path, &policy_body(true)).await).await, 401);
    let published = json_of(admin.put(&path, &policy_body(true)).await, 200).await;
    assert_eq!(published["published"], true);
    assert_eq!(status(member.get(&path).await).await, 200);

    // An organisation without a policy: its editors get "not found" too, others the same.
    let none = format!("/api/v1/organisations/{sme_org}/purchasing-policy");
    assert_eq!(status(sme_admin.get(&none).await).await, 404);
    assert_eq!(status(buyer.get(&none).await).await, 404);

    // Each save is audited with the states before and after.
    let mut conn = app.db.store.conn().await.unwrap();
    let trail = store::audit::of_entity(&mut conn, "purchasing_policy", large)
        .await
        .unwrap();
    let actions: Vec<&str> = trail.iter().map(|e| e.action.as_str()).collect();
    assert_eq!(actions, ["unpublish", "publish"]);
    assert!(
        trail[0]
            .before_json
            .as_deref()
            .unwrap()
            .contains("\"published\":1")
    );
    assert!(
        trail[0]
            .after_json
            .as_deref()
            .unwrap()
            .contains("\"published\":0")
    );
}

#[tokio::test]
async fn bad_policy_input_is_refused_and_nothing_is_stored() {
    let app = TestApp::spawn().await;
    let large = app.organisation_id(DEMO_LARGE_ACCOUNT).await;
    let buyer = Caller::person(&app, BUYER).await;
    let path = format!("/api/v1/organisations/{large}/purchasing-policy");
    let before = json_of(buyer.get(&path).await, 200).await;

    // Publishing without what is bought, how to get listed and whom to contact.
    let empty = json!({"buys": " ", "how_to_get_listed": "", "contacts": "", "published": true});
    let problem = json_of(buyer.put(&path, &empty).await, 422).await;
    assert_eq!(error_fields(&problem), ["buys", "how_to_get_listed", "contacts"]);
    // Over-long, control characters, wrong types, not JSON.
    let long = json!({"buys": "x".repeat(8_001), "published": false});
    let problem = json_of(buyer.put(&path, &long).await, 422).await;
    assert_eq!(error_fields(&problem), ["buys"]);
    let control = json!({"contacts": "a\u{0007}b", "published": false});
    assert_eq!(
        error_fields(&json_of(buyer.put(&path, &control).await, 422).await),
        ["contacts"]
    );
    let typed = json!({"buys": "x", "published": "yes"});
    assert_eq!(
        error_fields(&json_of(buyer.put(&path, &typed).await, 422).await),
        ["published"]
    );
    let raw = buyer
        .request(reqwest::Method::PUT, &path)
        .header("content-type", "application/json")
        .body("{not json")
        .send()
        .await
        .unwrap();
    assert_eq!(raw.status(), 400);
    let bad_id = buyer
        .put("/api/v1/organisations/abc/purchasing-policy", &policy_body(true))
        .await;
    assert_eq!(bad_id.status(), 400);
    let missing = buyer
        .put(
            "/api/v1/organisations/999999/purchasing-policy",
            &policy_body(true),
        )
        .await;
    assert_eq!(missing.status(), 404);

    assert_eq!(
        json_of(buyer.get(&path).await, 200).await,
        before,
        "nothing stored"
    );
}

#[tokio::test]
async fn another_clusters_people_learn_nothing_of_our_policies_and_we_nothing_of_theirs() {
    let app = TestApp::spawn().await;
    let fixture = foreign_buyer(&app).await;
    let large = app.organisation_id(DEMO_LARGE_ACCOUNT).await;
    let foreign = Caller::person(&app, FOREIGN_BUYER).await;
    let admin = Caller::person(&app, ADMIN).await;
    let cluster = app.cluster_id;

    for path in [
        format!("/api/v1/organisations/{large}/purchasing-policy"),
        format!("/api/v1/clusters/{cluster}/purchasing-policies"),
        format!("/api/v1/clusters/{cluster}/committee-sessions"),
    ] {
        assert_eq!(status(foreign.get(&path).await).await, 404, "{path}");
    }
    let call = published_call(
        &app,
        &Caller::person(&app, BUYER).await,
        "Appel du pôle",
        "public",
    )
    .await;
    assert_eq!(
        status(foreign.get(&format!("/api/v1/calls/{call}/audit")).await).await,
        404,
        "a public call's trail stays its buyer side's"
    );
    let write = foreign
        .put(
            &format!("/api/v1/organisations/{large}/purchasing-policy"),
            &policy_body(false),
        )
        .await;
    assert_eq!(write.status(), 404);

    // The foreign buyer writes their own; our staff cannot read or list it.
    let theirs = format!("/api/v1/organisations/{}/purchasing-policy", fixture.foreign_org);
    json_of(foreign.put(&theirs, &policy_body(true)).await, 200).await;
    assert_eq!(status(admin.get(&theirs).await).await, 404);
    let their_list = format!("/api/v1/clusters/{}/purchasing-policies", fixture.foreign_cluster);
    assert_eq!(status(admin.get(&their_list).await).await, 404);
    assert_eq!(status(admin.put(&theirs, &policy_body(false)).await).await, 404);
}

// ---- committee sessions -----------------------------------------------------------------------

fn session_body(title: &str) -> Value {
    json!({
        "title": title,
        "presentation_at": "2027-12-14T14:00",
        "dossiers_due_at": "2028-01-09T12:00",
        "decision_at": "2028-02-18T10:00",
    })
}

#[tokio::test]
async fn staff_schedule_a_session_in_paris_time_with_presenters_and_calls() {
    let app = TestApp::spawn().await;
    session_story(&app).await;
}

async fn session_story(app: &TestApp) {
    let cluster = app.cluster_id;
    let large = app.organisation_id(DEMO_LARGE_ACCOUNT).await;
    let sme_org = app.organisation_id(DEMO_SME).await;
    let admin = Caller::person(app, ADMIN).await;
    let buyer = Caller::person(app, BUYER).await;
    let member = Caller::person(app, MEMBER).await;
    let evaluator = Caller::person(app, EVALUATOR).await;
    let sme_admin = Caller::person(app, ORG_ADMIN).await;
    let lab = Caller::person(app, LAB).await;
    let visitor = Caller::visitor(app);
    let sessions = format!("/api/v1/clusters/{cluster}/committee-sessions");

    // The demo's session is there, with the demo buyer presenting.
    let listed = json_of(member.get(&sessions).await, 200).await;
    let demo = &listed.as_array().unwrap()[0];
    assert_eq!(demo["presenters"][0]["organisation_id"], large);
    assert!(demo["presentation_at_paris"].as_str().unwrap().contains("14:00"));
    assert_eq!(demo["can_manage"], false);

    // Only staff schedule.
    assert_eq!(
        status(buyer.post(&sessions, &session_body("Hiver")).await).await,
        403
    );
    assert_eq!(
        status(visitor.post(&sessions, &session_body("Hiver")).await).await,
        401
    );
    assert_eq!(
        status(evaluator.post(&sessions, &session_body("Hiver")).await).await,
        404
    );
    let created = json_of(admin.post(&sessions, &session_body("Comité 2028")).await, 201).await;
    let id = created["id"].as_i64().unwrap();
    // 14 December is winter time in Paris (UTC+1).
    assert_eq!(
        created["presentation_at"].as_i64().unwrap(),
        "2027-12-14T13:00:00Z"
            .parse::<jiff::Timestamp>()
            .unwrap()
            .as_millisecond()
    );
    assert_eq!(created["presentation_at_paris"], "2027-12-14 14:00 (Paris time)");
    assert_eq!(created["can_manage"], true);
    let one = format!("/api/v1/committee-sessions/{id}");

    // Presenters: members of the cluster, in the order given.
    let presenters = format!("{one}/presenters");
    let set = json_of(
        admin
            .put(&presenters, &json!({"organisations": [sme_org, large]}))
            .await,
        200,
    )
    .await;
    let order: Vec<i64> = set["presenters"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["organisation_id"].as_i64().unwrap())
        .collect();
    assert_eq!(order, [sme_org, large]);
    assert_eq!(
        status(buyer.put(&presenters, &json!({"organisations": [large]})).await).await,
        403
    );

    // A call attached to the session shows to those who may see the call, and only to them.
    let public = published_call(app, &buyer, "Appel rattaché public", "public").await;
    let draft = json_of(
        buyer
            .post(
                &format!("/api/v1/clusters/{cluster}/calls"),
                &call_body("Appel brouillon rattaché", "members"),
            )
            .await,
        201,
    )
    .await["id"]
        .as_i64()
        .unwrap();
    for call in [public, draft] {
        let attached = json_of(
            admin
                .put(
                    &format!("/api/v1/calls/{call}/session"),
                    &json!({"session_id": id}),
                )
                .await,
            200,
        )
        .await;
        assert_eq!(attached["session_id"], id);
    }
    assert_eq!(
        status(
            buyer
                .put(
                    &format!("/api/v1/calls/{public}/session"),
                    &json!({"session_id": null})
                )
                .await
        )
        .await,
        403,
        "the buyer side reads the call but does not run the calendar"
    );
    let calls_seen_by = |view: &Value| -> Vec<i64> {
        view["calls"]
            .as_array()
            .unwrap()
            .iter()
            .map(|c| c["id"].as_i64().unwrap())
            .collect()
    };
    for reader in [&sme_admin, &lab] {
        assert_eq!(status(reader.get(&one).await).await, 200);
    }
    let for_member = json_of(member.get(&one).await, 200).await;
    assert_eq!(calls_seen_by(&for_member), [public]);
    let for_buyer = json_of(buyer.get(&one).await, 200).await;
    let mut seen = calls_seen_by(&for_buyer);
    seen.sort_unstable();
    assert_eq!(seen, [public.min(draft), public.max(draft)]);
    assert_eq!(status(evaluator.get(&one).await).await, 404);
    assert_eq!(status(visitor.get(&one).await).await, 401);

    // Detaching, and rescheduling.
    let detached = json_of(
        admin
            .put(
                &format!("/api/v1/calls/{draft}/session"),
                &json!({"session_id": null}),
            )
            .await,
        200,
    )
    .await;
    assert_eq!(detached["session_id"], Value::Null);
    let moved = json_of(
        admin
            .put(
                &one,
                &json!({
                    "title": "Comité 2028 (reporté)",
                    "presentation_at": "2028-03-30T09:00",
                    "dossiers_due_at": "2028-04-10T12:00",
                    "decision_at": "2028-05-18T10:00",
                }),
            )
            .await,
        200,
    )
    .await;
    // 30 March 2028 is summer time (UTC+2).
    assert_eq!(
        moved["presentation_at"].as_i64().unwrap(),
        "2028-03-30T07:00:00Z"
            .parse::<jiff::Timestamp>()
            .unwrap()
            .as_millisecond()
    );
    assert_eq!(status(buyer.put(&one, &session_body("x")).await).await, 403);

    // Every change is audited.
    let mut conn = app.db.store.conn().await.unwrap();
    let actions: Vec<String> = store::audit::of_entity(&mut conn, "committee_session", id)
        .await
        .unwrap()
        .into_iter()
        .map(|e| e.action)
        .collect();
    assert_eq!(actions, ["create", "set_presenters", "update"]);
    let call_actions: Vec<String> = store::audit::of_entity(&mut conn, "call", draft)
        .await
        .unwrap()
        .into_iter()
        .map(|e| e.action)
        .collect();
    assert_eq!(call_actions, ["create", "attach_to_session", "attach_to_session"]);
}

#[tokio::test]
async fn bad_session_input_is_refused_and_nothing_is_stored() {
    let app = TestApp::spawn().await;
    let fixture = foreign_buyer(&app).await;
    let cluster = app.cluster_id;
    let large = app.organisation_id(DEMO_LARGE_ACCOUNT).await;
    let admin = Caller::person(&app, ADMIN).await;
    let buyer = Caller::person(&app, BUYER).await;
    let sessions = format!("/api/v1/clusters/{cluster}/committee-sessions");
    let count = |listed: Value| listed.as_array().unwrap().len();
    let before = count(json_of(admin.get(&sessions).await, 200).await);

    let cases = [
        // The cycle's order.
        (
            json!({"title": "x", "presentation_at": "2027-12-14T14:00", "dossiers_due_at": "2027-12-01T12:00", "decision_at": "2028-02-18T10:00"}),
            vec!["dossiers_due_at"],
        ),
        (
            json!({"title": "x", "presentation_at": "2027-12-14T14:00", "dossiers_due_at": "2028-01-09T12:00", "decision_at": "2028-01-08T10:00"}),
            vec!["decision_at"],
        ),
        // The hour skipped when clocks go forward, a malformed time, missing ones, no title.
        (
            json!({"title": "x", "presentation_at": "2028-03-26T02:30", "dossiers_due_at": "2028-04-09T12:00", "decision_at": "2028-05-18T10:00"}),
            vec!["presentation_at"],
        ),
        (
            json!({"title": " ", "presentation_at": "14/12/2027", "dossiers_due_at": "", "decision_at": "2028-05-18T10:00"}),
            vec!["title", "presentation_at", "dossiers_due_at"],
        ),
        (
            json!({"title": "x".repeat(201), "presentation_at": "2027-12-14T14:00", "dossiers_due_at": "2028-01-09T12:00", "decision_at": "2028-02-18T10:00"}),
            vec!["title"],
        ),
        (json!({"title": 3}), vec!["title"]),
    ];
    for (body, fields) in &cases {
        let problem = json_of(admin.post(&sessions, body).await, 422).await;
        assert_eq!(&error_fields(&problem), fields, "{body}");
    }
    assert_eq!(count(json_of(admin.get(&sessions).await, 200).await), before);

    // Updates refused the same way leave the session as it was.
    let id = json_of(admin.post(&sessions, &session_body("Comité")).await, 201).await["id"]
        .as_i64()
        .unwrap();
    let one = format!("/api/v1/committee-sessions/{id}");
    let stored = json_of(admin.get(&one).await, 200).await;
    for (body, _) in &cases {
        assert_eq!(status(admin.put(&one, body).await).await, 422, "{body}");
    }
    assert_eq!(json_of(admin.get(&one).await, 200).await, stored);
    assert_eq!(
        status(
            admin
                .put("/api/v1/committee-sessions/999999", &session_body("x"))
                .await
        )
        .await,
        404
    );

    // Presenters: not a member of the cluster, twice, not a list.
    let presenters = format!("{one}/presenters");
    let problem = json_of(
        admin
            .put(
                &presenters,
                &json!({"organisations": [large, fixture.foreign_org]}),
            )
            .await,
        422,
    )
    .await;
    assert_eq!(error_fields(&problem), ["organisations[1]"]);
    let problem = json_of(
        admin
            .put(&presenters, &json!({"organisations": [large, large]}))
            .await,
        422,
    )
    .await;
    assert_eq!(error_fields(&problem), ["organisations[1]"]);
    assert_eq!(
        status(admin.put(&presenters, &json!({"organisations": "all"})).await).await,
        422
    );
    assert_eq!(json_of(admin.get(&one).await, 200).await["presenters"], json!([]));

    // A call attached to a session of another cluster, or to none that exists.
    let call = published_call(&app, &buyer, "Appel à rattacher", "members").await;
    let mut conn = app.db.store.conn().await.unwrap();
    let foreign_session = store::committee::sessions::insert(
        &mut conn,
        fixture.foreign_cluster,
        &store::committee::sessions::SessionFields {
            title: "Voisin".into(),
            presentation_at: 1,
            dossiers_due_at: 2,
            decision_at: 3,
        },
        None,
        1,
    )
    .await
    .unwrap();
    drop(conn);
    for session_id in [foreign_session, 999_999] {
        let problem = json_of(
            admin
                .put(
                    &format!("/api/v1/calls/{call}/session"),
                    &json!({"session_id": session_id}),
                )
                .await,
            422,
        )
        .await;
        assert_eq!(error_fields(&problem), ["session_id"]);
    }
    assert_eq!(
        status(
            admin
                .put("/api/v1/calls/999999/session", &json!({"session_id": id}))
                .await
        )
        .await,
        404
    );
    let mut conn = app.db.store.conn().await.unwrap();
    let stored = store::committee::calls::get(&mut conn, call)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(stored.session_id, None, "nothing attached");
    drop(conn);
    // Our staff cannot see the other cluster's session.
    assert_eq!(
        status(
            admin
                .get(&format!("/api/v1/committee-sessions/{foreign_session}"))
                .await
        )
        .await,
        404
    );
}

// ---- audit trail ------------------------------------------------------------------------------

#[tokio::test]
async fn the_buyer_side_reads_the_calls_trail_without_seeing_inside_sealed_dossiers() {
    let app = TestApp::spawn().await;
    audit_story(&app).await;
}

async fn audit_story(app: &TestApp) {
    let buyer = Caller::person(app, BUYER).await;
    let admin = Caller::person(app, ADMIN).await;
    let sme = Caller::person(app, ORG_ADMIN).await;
    let member = Caller::person(app, MEMBER).await;
    let evaluator = Caller::person(app, EVALUATOR).await;
    let visitor = Caller::visitor(app);
    let call = published_call(app, &buyer, "Appel audité", "public").await;
    let audit = format!("/api/v1/calls/{call}/audit");
    json_of(
        sme.post(
            &format!("/api/v1/calls/{call}/questions"),
            &json!({"question": "Quelle série ?"}),
        )
        .await,
        201,
    )
    .await;
    submit(&sme, call, "Offre secrète : 42 € la pièce").await;

    // Only the buyer side reads it; a public call's readers, candidates included, do not.
    for (who, expected) in [(&sme, 404), (&member, 404), (&evaluator, 404), (&visitor, 401)] {
        assert_eq!(status(who.get(&audit).await).await, expected);
    }
    let trail = json_of(buyer.get(&audit).await, 200).await;
    let entries = trail.as_array().unwrap();
    let what: Vec<(&str, &str)> = entries
        .iter()
        .map(|e| (e["entity"].as_str().unwrap(), e["action"].as_str().unwrap()))
        .collect();
    assert_eq!(
        what,
        [
            ("dossier", "submit"),
            ("call_question", "create"),
            ("call", "publish"),
            ("call", "create"),
        ],
        "newest first, without the candidate's draft saves"
    );
    let submitted = &entries[0];
    assert_eq!(submitted["sealed"], true);
    assert!(submitted["actor_name"].is_null() && submitted["after"].is_null());
    assert!(!trail.to_string().contains("42 €"), "{trail}");
    assert_eq!(entries[2]["actor_name"], "Sophie Marchand");
    assert!(entries[2]["at_paris"].as_str().unwrap().ends_with("(Paris time)"));
    assert_eq!(status(admin.get(&audit).await).await, 200);

    // Another candidate submits, then withdraws: its offer stays its own, even after closing.
    let lab = Caller::person(app, LAB).await;
    submit(&lab, call, "Offre retirée du laboratoire").await;
    json_of(
        lab.post(&format!("/api/v1/calls/{call}/dossier/withdraw"), &json!({}))
            .await,
        200,
    )
    .await;

    // Once closed, the dossier's entries show who — never what they held, nor the drafts.
    close_now(app, call).await;
    let trail = json_of(admin.get(&audit).await, 200).await;
    let submitted = trail
        .as_array()
        .unwrap()
        .iter()
        .rev()
        .find(|e| e["action"] == "submit")
        .unwrap();
    assert_eq!(submitted["sealed"], false, "the SME's, the first submitted");
    assert_eq!(submitted["actor_name"], "Laurent Fabre");
    assert!(submitted["after"].is_null());
    let text = trail.to_string();
    assert!(text.contains("\"withdraw\""), "{text}");
    assert!(!text.contains("save_draft") && !text.contains("42 €") && !text.contains("Offre retirée"));
    assert_eq!(status(buyer.get("/api/v1/calls/999999/audit").await).await, 404);
    assert_eq!(status(buyer.get("/api/v1/calls/x/audit").await).await, 400);
}

// ---- pages ------------------------------------------------------------------------------------

async fn page(who: &SignedIn, app: &TestApp, path: &str) -> (u16, String) {
    let response = who.client.get(app.url(path)).send().await.unwrap();
    (response.status().as_u16(), response.text().await.unwrap())
}

async fn post(who: &SignedIn, app: &TestApp, path: &str, form: &[(&str, &str)]) -> (u16, String) {
    let response = post_form(who, app, path, form).await;
    (response.status().as_u16(), response.text().await.unwrap())
}

#[tokio::test]
async fn the_buyer_edits_the_policy_with_the_form_and_members_read_the_pages() {
    let app = TestApp::spawn().await;
    let large = app.organisation_id(DEMO_LARGE_ACCOUNT).await;
    let buyer = app.signed_in(BUYER).await;
    let member = app.signed_in(MEMBER).await;
    let evaluator = app.signed_in(EVALUATOR).await;

    let (code, list) = page(&member, &app, "/purchasing-policies").await;
    assert_eq!(code, 200);
    assert!(list.contains(&format!("/organisations/{large}/purchasing-policy")));
    let (code, view) = page(
        &member,
        &app,
        &format!("/organisations/{large}/purchasing-policy"),
    )
    .await;
    assert_eq!(code, 200);
    assert!(view.contains("Comment devenir fournisseur") && !view.contains("/purchasing-policy/edit"));
    let (code, _) = page(
        &member,
        &app,
        &format!("/organisations/{large}/purchasing-policy/edit"),
    )
    .await;
    assert_eq!(code, 403);
    assert_eq!(page(&evaluator, &app, "/purchasing-policies").await.0, 404);
    let (_, organisation) = page(&member, &app, &format!("/organisations/{large}")).await;
    assert!(organisation.contains(&format!("/organisations/{large}/purchasing-policy")));

    let edit = format!("/organisations/{large}/purchasing-policy/edit");
    let (code, form) = page(&buyer, &app, &edit).await;
    assert_eq!(code, 200);
    assert!(form.contains("name=\"csrf_token\"") && form.contains("<label for=\"buys\""));

    // Publishing without the required sections: errors beside the fields, nothing stored.
    let action = format!("/organisations/{large}/purchasing-policy");
    let (code, refused) = post(
        &buyer,
        &app,
        &action,
        &[
            ("buys", "Tout changer"),
            ("how_to_get_listed", ""),
            ("contacts", ""),
            ("intent", "publish"),
        ],
    )
    .await;
    assert_eq!(code, 422);
    assert!(refused.contains("id=\"contacts-error\"") && refused.contains("id=\"how_to_get_listed-error\""));
    assert!(refused.contains("Tout changer"), "what was typed is kept");
    let (_, view) = page(&member, &app, &action).await;
    assert!(!view.contains("Tout changer"));

    // Without the form token, refused.
    let response = buyer
        .client
        .post(app.url(&action))
        .form(&[("buys", "x"), ("intent", "draft")])
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 403);

    let (code, _) = post(
        &buyer,
        &app,
        &action,
        &[
            ("buys", "Pièces titane révisées"),
            ("how_to_get_listed", "Appels du comité"),
            ("contacts", "achats@example.fr"),
            ("intent", "publish"),
        ],
    )
    .await;
    assert_eq!(code, 303);
    let (_, view) = page(&member, &app, &action).await;
    assert!(view.contains("Pièces titane révisées"));

    // An SME admin cannot post to it.
    let sme = app.signed_in(ORG_ADMIN).await;
    let (code, _) = post(&sme, &app, &action, &[("buys", "x"), ("intent", "draft")]).await;
    assert_eq!(code, 403);
}

#[tokio::test]
async fn staff_run_sessions_with_the_forms_and_the_buyer_reads_the_trail_page() {
    let app = TestApp::spawn().await;
    let admin = app.signed_in(ADMIN).await;
    let member = app.signed_in(MEMBER).await;
    let buyer = app.signed_in(BUYER).await;
    let sme = app.signed_in(ORG_ADMIN).await;
    let large = app.organisation_id(DEMO_LARGE_ACCOUNT).await;

    let (code, list) = page(&member, &app, "/committee-sessions").await;
    assert_eq!(code, 200);
    assert!(list.contains("Comité achats innovation") && !list.contains("/committee-sessions/new"));
    // The committee hub links the policies, the portfolio and qualification; delistings are staff's.
    assert!(list.contains("id=\"portfolio-link\"") && list.contains("id=\"qualification-link\""));
    assert!(!list.contains("id=\"delistings-link\""));
    let (_, staff_list) = page(&admin, &app, "/committee-sessions").await;
    let delistings = format!("href=\"/clusters/{}/delistings\"", app.cluster_id);
    assert!(staff_list.contains(&delistings), "{staff_list}");
    assert_eq!(page(&member, &app, "/committee-sessions/new").await.0, 403);
    let (code, form) = page(&admin, &app, "/committee-sessions/new").await;
    assert_eq!(code, 200);
    assert!(hidden_value(&form, "csrf_token").is_some());

    // A bad form comes back with the errors beside the fields; nothing is stored.
    let bad = [
        ("title", "Comité de printemps"),
        ("presentation_at", "2028-03-26T02:30"),
        ("dossiers_due_at", "2028-04-09T12:00"),
        ("decision_at", "2028-04-01T10:00"),
    ];
    let (code, refused) = post(&admin, &app, "/committee-sessions", &bad).await;
    assert_eq!(code, 422);
    assert!(refused.contains("id=\"presentation_at-error\"") && refused.contains("id=\"decision_at-error\""));
    assert!(refused.contains("Comité de printemps"));
    let (_, list) = page(&admin, &app, "/committee-sessions").await;
    assert!(!list.contains("Comité de printemps"));
    let (code, _) = post(&member, &app, "/committee-sessions", &bad).await;
    assert_eq!(code, 403);

    let good = [
        ("title", "Comité de printemps"),
        ("presentation_at", "2028-03-20T14:00"),
        ("dossiers_due_at", "2028-04-09T12:00"),
        ("decision_at", "2028-05-18T10:00"),
    ];
    let response = admin
        .client
        .post(app.url("/committee-sessions"))
        .form(&[[("csrf_token", admin.csrf.as_str())].as_slice(), good.as_slice()].concat())
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 303);
    let location = response.headers()["location"].to_str().unwrap().to_owned();
    let id: i64 = location.rsplit('/').next().unwrap().parse().unwrap();

    // Presenters and a call, through the session page's forms.
    let large_text = large.to_string();
    let (code, _) = post(
        &admin,
        &app,
        &format!("/committee-sessions/{id}/presenters"),
        &[("presenter", large_text.as_str()), ("presenter", "")],
    )
    .await;
    assert_eq!(code, 303);
    let (code, refused) = post(
        &admin,
        &app,
        &format!("/committee-sessions/{id}/presenters"),
        &[
            ("presenter", large_text.as_str()),
            ("presenter", large_text.as_str()),
        ],
    )
    .await;
    assert_eq!(code, 422);
    assert!(refused.contains("id=\"organisations-error\""));
    let (code, _) = post(
        &admin,
        &app,
        &format!("/committee-sessions/{id}/calls"),
        &[("call_id", "")],
    )
    .await;
    assert_eq!(code, 422);

    let api_buyer = Caller::person(&app, BUYER).await;
    let call = published_call(&app, &api_buyer, "Appel de printemps", "members").await;
    let call_text = call.to_string();
    let (code, _) = post(
        &admin,
        &app,
        &format!("/committee-sessions/{id}/calls"),
        &[("call_id", call_text.as_str())],
    )
    .await;
    assert_eq!(code, 303);
    let (code, session) = page(&member, &app, &format!("/committee-sessions/{id}")).await;
    assert_eq!(code, 200);
    assert!(session.contains("Appel de printemps") && session.contains(DEMO_LARGE_ACCOUNT));
    assert!(
        !session.contains("/presenters\""),
        "members get no staff controls"
    );
    let (code, _) = post(
        &member,
        &app,
        &format!("/committee-sessions/{id}/calls/{call}/detach"),
        &[],
    )
    .await;
    assert_eq!(code, 403, "members may see the call, not run the calendar");
    let (code, _) = post(
        &admin,
        &app,
        &format!("/committee-sessions/{id}/calls/{call}/detach"),
        &[],
    )
    .await;
    assert_eq!(code, 303);

    // Editing.
    let (code, edit) = page(&admin, &app, &format!("/committee-sessions/{id}/edit")).await;
    assert_eq!(code, 200);
    assert!(edit.contains("value=\"2028-03-20T14:00\""));

    // The call's trail page: for the buyer side, "not found" for the candidate.
    let (code, trail) = page(&buyer, &app, &format!("/calls/{call}/audit")).await;
    assert_eq!(code, 200);
    assert!(trail.contains("attach_to_session") && trail.contains("publish"));
    assert_eq!(page(&sme, &app, &format!("/calls/{call}/audit")).await.0, 404);
}
