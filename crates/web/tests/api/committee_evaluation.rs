//! The committee loop after closing, through the JSON API: the buyer names evaluators; marks are
//! refused while the dossiers are sealed and outside a criterion's scale; a conflicted evaluator's
//! sheet does not count; two evaluators saving at once both keep their marks; the ranking's order
//! and weighted totals are exact; decisions stay invisible to candidates until published, are then
//! final (a correction is a new linked decision) and mailed; evaluators reach nothing else.

use crate::api_client::{Caller, error_fields, json_of};
use crate::committee_fixture::call_body;
use crate::helpers::TestApp;
use serde_json::{Value, json};

use crate::committee_fixture::{BUYER, EVALUATOR, LAB, ORG_ADMIN as SME, close_now, person_id, submit};

fn marks(price: i64, quality: i64) -> Value {
    json!([
        {"criterion": 1, "mark": price, "comment": "Prix argumenté"},
        {"criterion": 2, "mark": quality, "comment": "Plan qualité"}
    ])
}

#[tokio::test]
async fn calls_for_you_lists_open_calls_by_eligibility_with_reasons() {
    let app = TestApp::spawn().await;
    let cluster = app.cluster_id;
    let buyer = Caller::person(&app, BUYER).await;
    let sme = Caller::person(&app, SME).await;
    let mut publish = Vec::new();
    for (title, sizes) in [
        ("Usinage titane", json!([])),
        ("Grands ensembles", json!(["large"])),
    ] {
        let mut body = call_body(title, "members");
        body["eligibility"]["sizes"] = sizes;
        let id = json_of(
            buyer
                .post(&format!("/api/v1/clusters/{cluster}/calls"), &body)
                .await,
            201,
        )
        .await["id"]
            .as_i64()
            .unwrap();
        json_of(
            buyer
                .post(&format!("/api/v1/calls/{id}/publish"), &json!({}))
                .await,
            200,
        )
        .await;
        publish.push(id);
    }
    let (open_to_smes, large_only) = (publish[0], publish[1]);
    // A draft is nobody's call for them.
    let draft = json_of(
        buyer
            .post(
                &format!("/api/v1/clusters/{cluster}/calls"),
                &call_body("Brouillon", "members"),
            )
            .await,
        201,
    )
    .await["id"]
        .clone();

    let found = json_of(sme.get("/api/v1/calls-for-you").await, 200).await;
    let ids = |list: &Value| -> Vec<Value> {
        list.as_array()
            .unwrap()
            .iter()
            .map(|c| c["call_id"].clone())
            .collect()
    };
    assert_eq!(ids(&found["eligible"]), [json!(open_to_smes)], "{found}");
    assert_eq!(ids(&found["not_eligible"]), [json!(large_only)], "{found}");
    assert_eq!(found["not_eligible"][0]["reasons"][0]["code"], "wrong_size");
    assert!(!ids(&found["eligible"]).contains(&draft));
    // The buyer's own calls are not calls for it.
    let own = json_of(buyer.get("/api/v1/calls-for-you").await, 200).await;
    assert_eq!(own, json!({"eligible": [], "not_eligible": []}));
    json_of(Caller::visitor(&app).get("/api/v1/calls-for-you").await, 401).await;

    // The buyer's recommended suppliers: eligible ones only, the titanium SME among them.
    let sme_id = app.organisation_id(app::demo::DEMO_SME).await;
    let suggested = json_of(
        buyer
            .get(&format!("/api/v1/calls/{open_to_smes}/recommendations?limit=20"))
            .await,
        200,
    )
    .await;
    let suggested: Vec<i64> = suggested
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["organisation_id"].as_i64().unwrap())
        .collect();
    assert!(suggested.contains(&sme_id), "{suggested:?}");
    let large = json_of(
        buyer
            .get(&format!("/api/v1/calls/{large_only}/recommendations"))
            .await,
        200,
    )
    .await;
    assert!(
        !large
            .as_array()
            .unwrap()
            .iter()
            .any(|s| s["organisation_id"] == sme_id),
        "an SME is not eligible for a call for large companies: {large}"
    );
    json_of(
        buyer
            .get(&format!("/api/v1/calls/{open_to_smes}/recommendations?limit=0"))
            .await,
        422,
    )
    .await;
    json_of(
        sme.get(&format!("/api/v1/calls/{open_to_smes}/recommendations"))
            .await,
        404,
    )
    .await;
}

#[tokio::test]
async fn committee_evaluation_from_marks_to_published_decisions() {
    evaluation_loop(TestApp::spawn().await).await;
}

#[tokio::test]
async fn committee_evaluation_on_postgres() {
    crate::helpers::on_postgres("the committee evaluation", evaluation_loop).await;
}

async fn evaluation_loop(app: TestApp) {
    let cluster = app.cluster_id;
    let buyer = Caller::person(&app, BUYER).await;
    let evaluator = Caller::person(&app, EVALUATOR).await;
    let sme = Caller::person(&app, SME).await;
    let lab = Caller::person(&app, LAB).await;
    let visitor = Caller::visitor(&app);

    let created = json_of(
        buyer
            .post(
                &format!("/api/v1/clusters/{cluster}/calls"),
                &call_body("Usinage titane", "members"),
            )
            .await,
        201,
    )
    .await;
    let call = created["id"].as_i64().unwrap();
    json_of(
        buyer
            .post(&format!("/api/v1/calls/{call}/publish"), &json!({}))
            .await,
        200,
    )
    .await;
    // Another call of the same buyer, a draft the evaluator is not named on.
    let other = json_of(
        buyer
            .post(
                &format!("/api/v1/clusters/{cluster}/calls"),
                &call_body("Autre besoin", "members"),
            )
            .await,
        201,
    )
    .await["id"]
        .as_i64()
        .unwrap();
    let sme_dossier = submit(&sme, call, "Notre offre").await;
    let lab_dossier = submit(&lab, call, "Offre du laboratoire").await;

    // The buyer names evaluators among its own people only.
    let evaluators_path = format!("/api/v1/calls/{call}/evaluators");
    let (evaluator_id, buyer_id) = (person_id(&app, EVALUATOR).await, person_id(&app, BUYER).await);
    let sme_person = person_id(&app, SME).await;
    let refused = json_of(
        buyer
            .put(
                &evaluators_path,
                &json!({"person_ids": [evaluator_id, sme_person]}),
            )
            .await,
        422,
    )
    .await;
    assert_eq!(error_fields(&refused), ["person_ids[1]"]);
    json_of(
        evaluator
            .put(&evaluators_path, &json!({"person_ids": [evaluator_id]}))
            .await,
        404,
    )
    .await;
    json_of(
        visitor
            .put(&evaluators_path, &json!({"person_ids": [evaluator_id]}))
            .await,
        401,
    )
    .await;
    let named = json_of(
        buyer
            .put(&evaluators_path, &json!({"person_ids": [evaluator_id, buyer_id]}))
            .await,
        200,
    )
    .await;
    let mut named: Vec<i64> = named["person_ids"]
        .as_array()
        .unwrap()
        .iter()
        .map(|id| id.as_i64().unwrap())
        .collect();
    named.sort_unstable();
    let mut expected = vec![evaluator_id, buyer_id];
    expected.sort_unstable();
    assert_eq!(named, expected);

    // Sealed until the call closes.
    let sme_marks = format!("/api/v1/calls/{call}/dossiers/{sme_dossier}/marks");
    let lab_marks = format!("/api/v1/calls/{call}/dossiers/{lab_dossier}/marks");
    let sealed = json_of(evaluator.put(&sme_marks, &marks(8, 6)).await, 409).await;
    assert!(sealed["detail"].as_str().unwrap().contains("sealed"), "{sealed}");
    json_of(buyer.get(&format!("/api/v1/calls/{call}/ranking")).await, 409).await;
    close_now(&app, call).await;

    // A mark outside the scale is refused naming the criterion; nothing is saved.
    let out_of_scale = json_of(
        evaluator
            .put(
                &sme_marks,
                &json!([{"criterion": 1, "mark": 11, "comment": "Trop cher"}]),
            )
            .await,
        422,
    )
    .await;
    assert_eq!(error_fields(&out_of_scale), ["marks[0].mark"]);
    assert!(out_of_scale.to_string().contains("Prix"), "{out_of_scale}");
    let unknown = json_of(
        evaluator
            .put(&sme_marks, &json!([{"criterion": 3, "mark": 1}]))
            .await,
        422,
    )
    .await;
    assert_eq!(error_fields(&unknown), ["marks[0].criterion"]);
    // Every mark is explained.
    let unexplained = json_of(
        evaluator
            .put(&sme_marks, &json!([{"criterion": 1, "mark": 5, "comment": "  "}]))
            .await,
        422,
    )
    .await;
    assert_eq!(error_fields(&unexplained), ["marks[0].comment"]);
    json_of(visitor.put(&sme_marks, &marks(8, 6)).await, 401).await;
    json_of(sme.put(&sme_marks, &marks(10, 10)).await, 404).await;

    // Conflicts: none on the SME, one on the laboratory, which cannot be taken back.
    let conflict = |dossier: i64| format!("/api/v1/calls/{call}/dossiers/{dossier}/conflict");
    json_of(
        evaluator
            .post(&conflict(sme_dossier), &json!({"conflict": false}))
            .await,
        200,
    )
    .await;
    json_of(
        evaluator
            .post(
                &conflict(lab_dossier),
                &json!({"conflict": true, "note": "Ancien employeur"}),
            )
            .await,
        200,
    )
    .await;
    json_of(
        evaluator
            .post(&conflict(lab_dossier), &json!({"conflict": false}))
            .await,
        409,
    )
    .await;
    json_of(evaluator.put(&lab_marks, &marks(10, 10)).await, 409).await;

    // Two evaluators save at once: both sheets are kept.
    let (evaluator_sheet, buyer_sheet) = (marks(8, 6), marks(7, 9));
    let (first, second) = tokio::join!(
        evaluator.put(&sme_marks, &evaluator_sheet),
        buyer.put(&sme_marks, &buyer_sheet),
    );
    let first = json_of(first, 200).await;
    let second = json_of(second, 200).await;
    assert_eq!(first.as_array().unwrap().len(), 2);
    assert_eq!(second[0]["person_id"], buyer_id);
    json_of(buyer.put(&lab_marks, &marks(9, 5)).await, 200).await;

    // Ranking: SME (8,6)→72 and (7,9)→78, mean 75; laboratory (9,5)→74, the conflicted sheet out.
    let ranking_path = format!("/api/v1/calls/{call}/ranking");
    let ranking = json_of(buyer.get(&ranking_path).await, 200).await;
    assert_eq!(ranking[0]["dossier_id"], sme_dossier);
    assert_eq!(ranking[0]["rank"], 1);
    assert_eq!(ranking[0]["total"], "75");
    assert_eq!(ranking[0]["total_milli"], 75_000);
    let by_evaluator = ranking[0]["by_evaluator"].as_array().unwrap();
    assert_eq!(by_evaluator.len(), 2, "{ranking}");
    for expected in [
        json!({"person_id": evaluator_id, "total": "72", "total_milli": 72_000}),
        json!({"person_id": buyer_id, "total": "78", "total_milli": 78_000}),
    ] {
        assert!(by_evaluator.contains(&expected), "{ranking}");
    }
    assert_eq!(ranking[1]["dossier_id"], lab_dossier);
    assert_eq!(ranking[1]["rank"], 2);
    assert_eq!(ranking[1]["total"], "74");
    assert_eq!(ranking[1]["excluded_for_conflict"], 1);
    json_of(evaluator.get(&ranking_path).await, 404).await;
    json_of(sme.get(&ranking_path).await, 404).await;
    json_of(visitor.get(&ranking_path).await, 401).await;

    // The evaluator reaches nothing else of the buyer's.
    json_of(evaluator.get(&format!("/api/v1/calls/{other}")).await, 404).await;
    json_of(
        evaluator
            .put(
                &format!("/api/v1/calls/{other}/dossiers/{sme_dossier}/marks"),
                &marks(1, 1),
            )
            .await,
        404,
    )
    .await;
    json_of(
        evaluator.get(&format!("/api/v1/calls/{call}/dossiers")).await,
        404,
    )
    .await;
    let listed = json_of(
        evaluator.get(&format!("/api/v1/clusters/{cluster}/calls")).await,
        200,
    )
    .await;
    assert!(
        !listed.as_array().unwrap().iter().any(|c| c["id"] == other),
        "{listed}"
    );

    // Shortlist.
    let shortlist_path = format!("/api/v1/calls/{call}/shortlist");
    let bad = json_of(
        buyer
            .post(&shortlist_path, &json!({"dossier_ids": [sme_dossier, 999_999]}))
            .await,
        422,
    )
    .await;
    assert_eq!(error_fields(&bad), ["dossier_ids[1]"]);
    json_of(
        buyer
            .post(&shortlist_path, &json!({"dossier_ids": [sme_dossier]}))
            .await,
        200,
    )
    .await;
    let ranking = json_of(buyer.get(&ranking_path).await, 200).await;
    assert_eq!(
        (
            ranking[0]["shortlisted"].clone(),
            ranking[1]["shortlisted"].clone()
        ),
        (json!(true), json!(false))
    );

    // Decisions, revisable until published, invisible to candidates until then.
    let decision = |dossier: i64| format!("/api/v1/calls/{call}/dossiers/{dossier}/decision");
    let mine = format!("/api/v1/calls/{call}/dossier/decision");
    let bad = json_of(
        buyer
            .put(
                &decision(sme_dossier),
                &json!({"outcome": "maybe", "feedback": ""}),
            )
            .await,
        422,
    )
    .await;
    assert_eq!(error_fields(&bad), ["outcome"]);
    let first = json_of(
        buyer
            .put(
                &decision(sme_dossier),
                &json!({"outcome": "not_retained", "feedback": "Brouillon"}),
            )
            .await,
        200,
    )
    .await;
    let revised = json_of(
        buyer
            .put(
                &decision(sme_dossier),
                &json!({"outcome": "listed", "feedback": "Bravo, offre référencée"}),
            )
            .await,
        200,
    )
    .await;
    assert_eq!(revised["id"], first["id"]);
    json_of(
        buyer
            .put(
                &decision(lab_dossier),
                &json!({"outcome": "not_retained", "feedback": "Prix trop élevé"}),
            )
            .await,
        200,
    )
    .await;
    json_of(
        sme.put(&decision(sme_dossier), &json!({"outcome": "listed"}))
            .await,
        404,
    )
    .await;
    json_of(sme.get(&mine).await, 404).await;
    json_of(visitor.get(&mine).await, 401).await;

    let publish = format!("/api/v1/calls/{call}/decisions/publish");
    json_of(evaluator.post(&publish, &json!({})).await, 404).await;
    let published = json_of(buyer.post(&publish, &json!({})).await, 200).await;
    assert_eq!(published["published"], 2);
    let decided = json_of(buyer.get(&format!("/api/v1/calls/{call}")).await, 200).await;
    assert_eq!(
        decided["call"]["state"], "decided",
        "published decisions decide the call"
    );
    json_of(buyer.post(&publish, &json!({})).await, 409).await;
    let seen = json_of(sme.get(&mine).await, 200).await;
    assert_eq!(seen["decision"]["outcome"], "listed");
    assert_eq!(seen["decision"]["feedback"], "Bravo, offre référencée");
    let lab_seen = json_of(lab.get(&mine).await, 200).await;
    assert_eq!(lab_seen["decision"]["outcome"], "not_retained");
    assert_eq!(lab_seen["decision"]["dossier_id"], lab_dossier);
    // Mail bodies are quoted-printable: look for their ASCII words.
    let mails = app.mails();
    assert!(
        mails
            .iter()
            .any(|m| m.contains(&format!("To: {SME}")) && m.contains("Bravo")),
        "{mails:?}"
    );
    assert!(
        !mails
            .iter()
            .any(|m| m.contains(&format!("To: {SME}")) && m.contains("Prix trop")),
        "each candidate receives its own decision only"
    );

    // Published means final; a correction is a new decision linked to it.
    let published_id = revised["id"].as_i64().unwrap();
    json_of(
        buyer
            .put(&decision(sme_dossier), &json!({"outcome": "not_retained"}))
            .await,
        409,
    )
    .await;
    let wrong = json_of(
        buyer
            .put(
                &decision(sme_dossier),
                &json!({"outcome": "not_retained", "corrects": published_id + 1_000}),
            )
            .await,
        422,
    )
    .await;
    assert_eq!(error_fields(&wrong), ["corrects"]);
    let correction = json_of(
        buyer
            .put(
                &decision(sme_dossier),
                &json!({"outcome": "listed", "feedback": "Référencée sur le lot 1", "corrects": published_id}),
            )
            .await,
        200,
    )
    .await;
    assert_eq!(correction["corrects"], published_id);
    assert_ne!(correction["id"], published_id);
    assert_eq!(correction["published_at"], Value::Null);
    let still = json_of(sme.get(&mine).await, 200).await;
    assert_eq!(still["decision"]["id"], published_id);
    json_of(buyer.post(&publish, &json!({})).await, 200).await;
    let corrected = json_of(sme.get(&mine).await, 200).await;
    assert_eq!(corrected["decision"]["id"], correction["id"]);
    assert_eq!(corrected["decision"]["feedback"], "Référencée sur le lot 1");
}
