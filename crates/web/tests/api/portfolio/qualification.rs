//! The qualification loop over the API: applying, evidence, reviewers, opinions, a decision taken
//! once and e-mailed, a renewal; withdrawal.

use super::*;

async fn qualification_loop(app: TestApp) {
    let cluster = app.cluster_id;
    let staff = Caller::person(&app, ADMIN).await;
    let sme = Caller::person(&app, SME).await;
    let colleague = Caller::person(&app, MEMBER).await;
    let reviewer = Caller::person(&app, LAB).await;
    let not_named = Caller::person(&app, EVALUATOR).await;
    let subscriber = Caller::person(&app, BUYER).await;
    let criteria = criteria_ids(&app, &staff).await;
    assert_eq!(criteria.len(), 3, "the demo's three criteria");
    // The demo SME's qualification runs out in six months: it applies for its renewal.
    let before = portfolio(&app, &subscriber).await;
    let demo_entry = before["suppliers"]
        .as_array()
        .unwrap()
        .iter()
        .find(|s| s["name"] == DEMO_SME)
        .expect("the demo SME is qualified in the demo")
        .clone();
    assert!(demo_entry["renewal_on"].as_str().unwrap() < day(365).as_str());

    // The SME opens a draft; a second one while it is open is refused.
    let created = json_of(
        sme.post(
            &format!("/api/v1/clusters/{cluster}/qualification/applications"),
            &json!({}),
        )
        .await,
        201,
    )
    .await;
    assert_eq!(created["application"]["state"], "draft");
    assert_eq!(created["application"]["standing"], "applicant");
    let id = created["application"]["id"].as_i64().unwrap();
    json_of(
        colleague
            .post(
                &format!("/api/v1/clusters/{cluster}/qualification/applications"),
                &json!({}),
            )
            .await,
        409,
    )
    .await;

    // Evidence for one criterion only: submission names the others, and the draft stays.
    json_of(
        sme.put(
            &format!("/api/v1/qualification/applications/{id}"),
            &json!({"evidence": [{"criterion_id": criteria[0], "text": "Certifiée EN 9100"}]}),
        )
        .await,
        200,
    )
    .await;
    let refused = json_of(
        sme.post(
            &format!("/api/v1/qualification/applications/{id}/submit"),
            &json!({}),
        )
        .await,
        422,
    )
    .await;
    assert_eq!(
        error_fields(&refused),
        vec![
            format!("evidence.{}", criteria[1]),
            format!("evidence.{}", criteria[2])
        ]
    );
    assert_eq!(state_of(&app, id).await, "draft");
    // Evidence on a criterion of nothing, or too long: refused, nothing saved.
    let bad = json_of(
        sme.put(
            &format!("/api/v1/qualification/applications/{id}"),
            &json!({"evidence": [
                {"criterion_id": criteria[1], "text": "Bilan"},
                {"criterion_id": 999_999, "text": "?"},
                {"criterion_id": criteria[2], "text": "x".repeat(8_001)}
            ]}),
        )
        .await,
        422,
    )
    .await;
    assert_eq!(
        error_fields(&bad),
        vec!["evidence[1].criterion_id", "evidence[2].text"]
    );
    let detail = json_of(
        sme.get(&format!("/api/v1/qualification/applications/{id}")).await,
        200,
    )
    .await;
    assert_eq!(detail["evidence"].as_array().unwrap().len(), 1, "{detail}");

    let rest: Vec<Value> = criteria[1..]
        .iter()
        .map(
            |k| json!({"criterion_id": k, "text": "Trois exercices bénéficiaires ; deux références rang 1."}),
        )
        .collect();
    json_of(
        colleague
            .put(
                &format!("/api/v1/qualification/applications/{id}"),
                &json!({ "evidence": rest }),
            )
            .await,
        200,
    )
    .await;
    let submitted = json_of(
        sme.post(
            &format!("/api/v1/qualification/applications/{id}/submit"),
            &json!({}),
        )
        .await,
        200,
    )
    .await;
    assert_eq!(submitted["application"]["state"], "submitted");
    // Submitted, the evidence is frozen.
    json_of(
        sme.put(
            &format!("/api/v1/qualification/applications/{id}"),
            &json!({"evidence": [{"criterion_id": criteria[0], "text": "autre"}]}),
        )
        .await,
        409,
    )
    .await;

    // Nobody but the staff names reviewers; a reviewer is independent of the applicant.
    let lab = person_id(&app, LAB).await;
    let sme_person = person_id(&app, MEMBER).await;
    json_of(
        sme.put(
            &format!("/api/v1/qualification/applications/{id}/reviewers"),
            &json!({"person_ids": [lab]}),
        )
        .await,
        404,
    )
    .await;
    let dependent = json_of(
        staff
            .put(
                &format!("/api/v1/qualification/applications/{id}/reviewers"),
                &json!({"person_ids": [lab, sme_person, 987_654]}),
            )
            .await,
        422,
    )
    .await;
    assert_eq!(error_fields(&dependent), vec!["person_ids[1]", "person_ids[2]"]);
    assert_eq!(state_of(&app, id).await, "submitted", "nothing stored");
    // Before being named, the lab's researcher knows nothing of the application.
    json_of(
        reviewer
            .get(&format!("/api/v1/qualification/applications/{id}"))
            .await,
        404,
    )
    .await;
    let named = json_of(
        staff
            .put(
                &format!("/api/v1/qualification/applications/{id}/reviewers"),
                &json!({"person_ids": [lab]}),
            )
            .await,
        200,
    )
    .await;
    assert_eq!(named["person_ids"], json!([lab]));
    assert_eq!(state_of(&app, id).await, "under_review");
    let letters = app.mails();
    assert!(
        letters.iter().any(|m| m.contains(LAB)
            && m.contains("named a reviewer")
            && m.contains(&format!("/qualification/applications/{id}"))),
        "the reviewer is e-mailed: {letters:?}"
    );

    // The named reviewer reads the application and gives opinions; anyone else is refused.
    let read = json_of(
        reviewer
            .get(&format!("/api/v1/qualification/applications/{id}"))
            .await,
        200,
    )
    .await;
    assert_eq!(read["application"]["standing"], "reviewer");
    assert_eq!(read["evidence"].as_array().unwrap().len(), 3);
    assert!(read["reviewers"].as_array().unwrap().is_empty());
    let opinions = json!({"opinions": criteria.iter().map(|k| json!({"criterion_id": k, "met": true, "comment": "Vérifié"})).collect::<Vec<_>>()});
    json_of(
        not_named
            .get(&format!("/api/v1/qualification/applications/{id}"))
            .await,
        404,
    )
    .await;
    json_of(
        not_named
            .put(
                &format!("/api/v1/qualification/applications/{id}/opinions"),
                &opinions,
            )
            .await,
        404,
    )
    .await;
    json_of(
        sme.put(
            &format!("/api/v1/qualification/applications/{id}/opinions"),
            &opinions,
        )
        .await,
        403,
    )
    .await;
    let bad_opinion = json_of(
        reviewer
            .put(
                &format!("/api/v1/qualification/applications/{id}/opinions"),
                &json!({"opinions": [{"criterion_id": 999_999, "met": true}]}),
            )
            .await,
        422,
    )
    .await;
    assert_eq!(error_fields(&bad_opinion), vec!["opinions[0].criterion_id"]);
    let mine = json_of(
        reviewer
            .put(
                &format!("/api/v1/qualification/applications/{id}/opinions"),
                &opinions,
            )
            .await,
        200,
    )
    .await;
    assert_eq!(mine.as_array().unwrap().len(), 3);
    // The applicant reads its application without the reviewers or their opinions.
    let own = json_of(
        colleague
            .get(&format!("/api/v1/qualification/applications/{id}"))
            .await,
        200,
    )
    .await;
    assert!(own["opinions"].as_array().unwrap().is_empty());
    assert!(own["reviewers"].as_array().unwrap().is_empty());
    let seen_by_staff = json_of(
        staff
            .get(&format!("/api/v1/qualification/applications/{id}"))
            .await,
        200,
    )
    .await;
    assert_eq!(seen_by_staff["opinions"].as_array().unwrap().len(), 3);
    assert_eq!(seen_by_staff["reviewers"][0]["person_id"], lab);

    // Bad decisions: a renewal date passed or today, a malformed one, an unknown outcome, a
    // refusal without a reason; and a decision by anyone but the staff.
    for (body, field) in [
        (
            json!({"outcome": "qualified", "renewal_on": day(-1)}),
            "renewal_on",
        ),
        (
            json!({"outcome": "qualified", "renewal_on": day(0)}),
            "renewal_on",
        ),
        (
            json!({"outcome": "qualified", "renewal_on": "31/12/2030"}),
            "renewal_on",
        ),
        (json!({"outcome": "qualified"}), "renewal_on"),
        (json!({"outcome": "maybe"}), "outcome"),
        (json!({"outcome": "refused", "reason": "  "}), "reason"),
    ] {
        let refused = json_of(
            staff
                .post(
                    &format!("/api/v1/qualification/applications/{id}/decision"),
                    &body,
                )
                .await,
            422,
        )
        .await;
        assert_eq!(error_fields(&refused), vec![field], "{body}");
    }
    json_of(
        sme.post(
            &format!("/api/v1/qualification/applications/{id}/decision"),
            &json!({"outcome": "qualified", "renewal_on": day(365)}),
        )
        .await,
        403,
    )
    .await;
    json_of(
        reviewer
            .post(
                &format!("/api/v1/qualification/applications/{id}/decision"),
                &json!({"outcome": "qualified", "renewal_on": day(365)}),
            )
            .await,
        404,
    )
    .await;
    assert_eq!(state_of(&app, id).await, "under_review", "nothing decided");
    assert!(
        !app.mails()
            .iter()
            .any(|m| m.contains("Qualification fournisseur"))
    );

    // The decision: qualified for a year; the applicant is told; a second decision is refused.
    let renewal = day(365);
    let decided = json_of(
        staff
            .post(
                &format!("/api/v1/qualification/applications/{id}/decision"),
                &json!({"outcome": "qualified", "renewal_on": renewal}),
            )
            .await,
        200,
    )
    .await;
    assert_eq!(decided["application"]["state"], "qualified");
    assert_eq!(decided["application"]["renewal_on"], renewal.as_str());
    let again = json_of(
        staff
            .post(
                &format!("/api/v1/qualification/applications/{id}/decision"),
                &json!({"outcome": "refused", "reason": "Changement d'avis"}),
            )
            .await,
        409,
    )
    .await;
    assert!(again["detail"].as_str().unwrap().contains("qualified"), "{again}");
    assert_eq!(state_of(&app, id).await, "qualified");
    let mails = app.mails();
    let letter = mails
        .iter()
        .find(|m| m.contains("dirigeant@pme-demo.fr") && m.contains("Qualification fournisseur"))
        .expect("the applicant is told the decision");
    assert!(letter.contains(&renewal), "{letter}");
    // Opinions after the decision: refused.
    json_of(
        reviewer
            .put(
                &format!("/api/v1/qualification/applications/{id}/opinions"),
                &opinions,
            )
            .await,
        409,
    )
    .await;

    // Every state change is in the audit trail, with who made it.
    let mut conn = app.db.store.conn().await.unwrap();
    let trail = store::audit::of_entity(&mut conn, "qualification_application", id)
        .await
        .unwrap();
    let actions: Vec<&str> = trail.iter().map(|e| e.action.as_str()).collect();
    assert_eq!(
        actions,
        vec![
            "apply_for_qualification",
            "save_evidence",
            "save_evidence",
            "submit",
            "name_reviewers",
            "give_opinions",
            "decide_qualification"
        ]
    );
    let decision = trail.last().unwrap();
    assert_eq!(decision.actor_person_id, Some(person_id(&app, ADMIN).await));
    assert!(decision.before_json.as_deref().unwrap().contains("under_review"));
    assert!(decision.after_json.as_deref().unwrap().contains(&renewal));
    drop(conn);

    // The subscriber finds the SME's new qualification in force: the latest decision's dates.
    let full = portfolio(&app, &subscriber).await;
    assert_eq!(full["access"], "full");
    let entry = full["suppliers"]
        .as_array()
        .unwrap()
        .iter()
        .find(|s| s["name"] == DEMO_SME)
        .expect("the requalified SME is in the portfolio")
        .clone();
    assert_eq!(entry["renewal_on"], renewal.as_str());
    assert_eq!(entry["qualified_on"], day(0).as_str());
    assert_eq!(entry["criteria_met"].as_array().unwrap().len(), 3);

    // A renewal is a new application.
    let renewal_application = json_of(
        sme.post(
            &format!("/api/v1/clusters/{cluster}/qualification/applications"),
            &json!({}),
        )
        .await,
        201,
    )
    .await;
    assert_eq!(renewal_application["application"]["state"], "draft");
}

#[tokio::test]
async fn an_sme_renews_its_qualification_through_the_api() {
    qualification_loop(TestApp::spawn().await).await;
}

#[tokio::test]
async fn an_sme_renews_its_qualification_through_the_api_on_postgres() {
    on_postgres("the qualification loop", qualification_loop).await;
}

#[tokio::test]
async fn a_withdrawn_application_is_final_and_a_new_one_may_follow() {
    let app = TestApp::spawn().await;
    let sme = Caller::person(&app, SME).await;
    let staff = Caller::person(&app, ADMIN).await;
    let id = submitted_application(&app, &sme).await;
    json_of(
        staff
            .post(
                &format!("/api/v1/qualification/applications/{id}/withdraw"),
                &json!({}),
            )
            .await,
        403,
    )
    .await;
    let withdrawn = json_of(
        sme.post(
            &format!("/api/v1/qualification/applications/{id}/withdraw"),
            &json!({}),
        )
        .await,
        200,
    )
    .await;
    assert_eq!(withdrawn["application"]["state"], "withdrawn");
    json_of(
        sme.post(
            &format!("/api/v1/qualification/applications/{id}/withdraw"),
            &json!({}),
        )
        .await,
        409,
    )
    .await;
    json_of(
        staff
            .post(
                &format!("/api/v1/qualification/applications/{id}/decision"),
                &json!({"outcome": "qualified", "renewal_on": day(30)}),
            )
            .await,
        409,
    )
    .await;
    open_application(&app, &sme).await;
}
