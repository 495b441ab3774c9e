//! The purchasing committee's core loop through the JSON API: a buyer writes and publishes a call,
//! candidates ask questions, keep a draft with files and submit it; the dossiers stay sealed until
//! the call closes; a late submission is refused and the draft kept; bad input and wrong roles are
//! refused with nothing stored.

use crate::api_client::{Caller, error_fields, json_of};
use crate::committee_fixture::{
    ADMIN, BUYER, EVALUATOR, LAB, MEMBER, ORG_ADMIN, call_body, close_now, published_call,
};
use crate::helpers::TestApp;
use crate::multipart::{pdf, with_multipart};
use app::demo::{DEMO_LAB, DEMO_SME};
use reqwest::header::CONTENT_TYPE;
use reqwest::{Method, Response};
use serde_json::{Value, json};

/// Sends a file to the caller's dossier for the call.
async fn attach(caller: &Caller<'_>, call: i64, file_name: &str, bytes: &[u8]) -> Response {
    let request = caller.request(Method::POST, &format!("/api/v1/calls/{call}/dossier/attachments"));
    with_multipart(request, &[], Some((file_name, bytes)))
        .send()
        .await
        .unwrap()
}

#[tokio::test]
async fn committee_loop_from_call_to_unsealed_dossiers() {
    committee_loop(TestApp::spawn().await).await;
}

#[tokio::test]
async fn committee_loop_on_postgres() {
    crate::helpers::on_postgres("the committee loop", committee_loop).await;
}

async fn committee_loop(app: TestApp) {
    let cluster = app.cluster_id;
    let buyer = Caller::person(&app, BUYER).await;
    let sme = Caller::person(&app, ORG_ADMIN).await;
    let colleague = Caller::person(&app, MEMBER).await;
    let lab = Caller::person(&app, LAB).await;
    let visitor = Caller::visitor(&app);

    // A draft is the buyer's alone.
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
    assert_eq!(created["state"], "draft");
    assert!(
        created["closes_at_paris"]
            .as_str()
            .unwrap()
            .ends_with("(Paris time)")
    );
    json_of(sme.get(&format!("/api/v1/calls/{call}")).await, 404).await;
    json_of(visitor.get(&format!("/api/v1/calls/{call}")).await, 401).await;
    json_of(
        sme.post(&format!("/api/v1/calls/{call}/publish"), &json!({}))
            .await,
        404,
    )
    .await;

    let published = json_of(
        buyer
            .post(&format!("/api/v1/calls/{call}/publish"), &json!({}))
            .await,
        200,
    )
    .await;
    assert_eq!(published["state"], "published");
    json_of(
        buyer
            .post(&format!("/api/v1/calls/{call}/publish"), &json!({}))
            .await,
        409,
    )
    .await;
    let listed = json_of(
        colleague.get(&format!("/api/v1/clusters/{cluster}/calls")).await,
        200,
    )
    .await;
    assert!(listed.as_array().unwrap().iter().any(|c| c["id"] == call));
    let seen_by_visitor = json_of(
        visitor.get(&format!("/api/v1/clusters/{cluster}/calls")).await,
        200,
    )
    .await;
    assert!(
        !seen_by_visitor
            .as_array()
            .unwrap()
            .iter()
            .any(|c| c["id"] == call),
        "members only"
    );
    // A candidate may read it but not manage it.
    json_of(
        sme.post(&format!("/api/v1/calls/{call}/publish"), &json!({}))
            .await,
        403,
    )
    .await;

    // A question from one candidate, answered for all, without saying who asked.
    let question = json_of(
        colleague
            .post(
                &format!("/api/v1/calls/{call}/questions"),
                &json!({"question": "Tolérances ?"}),
            )
            .await,
        201,
    )
    .await;
    let qid = question["id"].as_i64().unwrap();
    json_of(
        lab.post(
            &format!("/api/v1/calls/{call}/questions/{qid}/answer"),
            &json!({"answer": "Non"}),
        )
        .await,
        403,
    )
    .await;
    let answer_path = format!("/api/v1/calls/{call}/questions/{qid}/answer");
    json_of(
        buyer.post(&answer_path, &json!({"answer": "±0,05 mm"})).await,
        200,
    )
    .await;
    json_of(buyer.post(&answer_path, &json!({"answer": "±0,1 mm"})).await, 409).await;
    let read_by_lab = json_of(lab.get(&format!("/api/v1/calls/{call}")).await, 200).await;
    assert_eq!(read_by_lab["questions"][0]["answer"], "±0,05 mm");
    assert_eq!(read_by_lab["questions"][0]["organisation_id"], Value::Null);
    assert_eq!(read_by_lab["can_manage"], false);
    assert_eq!(read_by_lab["lots"][1]["position"], 2);

    // The SME keeps a draft, attaches files (names sanitised) and submits.
    let draft = json_of(
        sme.send(
            Method::PUT,
            &format!("/api/v1/calls/{call}/dossier"),
            &json!({"answer": "Notre offre", "lots": [1]}),
        )
        .await,
        200,
    )
    .await;
    assert_eq!(
        (draft["state"].as_str(), draft["lots"].clone()),
        (Some("draft"), json!([1]))
    );
    let offer = json_of(attach(&sme, call, "offre.pdf", &pdf("offre")).await, 201).await;
    assert_eq!(
        (offer["file_name"].as_str(), offer["content_type"].as_str()),
        (Some("offre.pdf"), Some("application/pdf"))
    );
    let sneaky = json_of(attach(&sme, call, "../../etc/passwd", &pdf("x")).await, 201).await;
    assert_eq!(sneaky["file_name"], "passwd");
    let dots = json_of(attach(&sme, call, "..", &pdf("y")).await, 201).await;
    assert_eq!(dots["file_name"], "document.pdf");
    json_of(attach(&sme, call, "offre.pdf", &pdf("autre")).await, 409).await;
    let submitted = json_of(
        sme.post(&format!("/api/v1/calls/{call}/dossier/submit"), &json!({}))
            .await,
        200,
    )
    .await;
    assert_eq!(submitted["state"], "submitted");
    assert_eq!(submitted["versions"][0]["version"], 1);
    // Withdraw and submit again: the history keeps both versions.
    let withdrawn = json_of(
        sme.post(&format!("/api/v1/calls/{call}/dossier/withdraw"), &json!({}))
            .await,
        200,
    )
    .await;
    assert_eq!(withdrawn["state"], "withdrawn");
    let again = json_of(
        sme.post(&format!("/api/v1/calls/{call}/dossier/submit"), &json!({}))
            .await,
        200,
    )
    .await;
    assert_eq!(again["versions"].as_array().unwrap().len(), 2);
    // Its own colleague reads it; the lab has its own (empty) dossier and nothing else.
    let by_colleague = json_of(colleague.get(&format!("/api/v1/calls/{call}/dossier")).await, 200).await;
    assert_eq!(by_colleague["answer"], "Notre offre");
    let labs_own = json_of(lab.get(&format!("/api/v1/calls/{call}/dossier")).await, 200).await;
    assert_eq!(
        (labs_own["state"].as_str(), labs_own["answer"].as_str()),
        (Some("none"), Some(""))
    );
    json_of(lab.get(&format!("/api/v1/calls/{call}/dossiers")).await, 404).await;
    json_of(
        lab.send(
            Method::PUT,
            &format!("/api/v1/calls/{call}/dossier"),
            &json!({"answer": "Brouillon du labo", "lots": []}),
        )
        .await,
        200,
    )
    .await;

    // An amendment reaches the candidates.
    let mut edit = call_body("Usinage titane", "members");
    edit["amendment"] = json!("Lot 2 : anodisation incluse");
    json_of(
        buyer
            .send(Method::PUT, &format!("/api/v1/calls/{call}"), &edit)
            .await,
        200,
    )
    .await;
    let mails = app.mails();
    assert!(
        mails
            .iter()
            .any(|m| m.contains("dirigeant@pme-demo.fr") && m.contains("anodisation")),
        "{mails:?}"
    );

    // Sealed: the buyer knows how many, not what.
    let buyer_view = json_of(buyer.get(&format!("/api/v1/calls/{call}")).await, 200).await;
    assert_eq!(
        (
            buyer_view["submitted"].as_i64(),
            buyer_view["can_manage"].as_bool()
        ),
        (Some(1), Some(true))
    );
    assert!(buyer_view["questions"][0]["organisation_id"].is_i64());
    let sealed = json_of(buyer.get(&format!("/api/v1/calls/{call}/dossiers")).await, 404).await;
    assert!(!sealed.to_string().contains("Notre offre"));
    json_of(buyer.get(&format!("/api/v1/calls/{call}/dossier")).await, 404).await;

    close_now(&app, call).await;

    // Late: refused with the closing instant in Paris time, the draft kept.
    let late = json_of(
        lab.post(&format!("/api/v1/calls/{call}/dossier/submit"), &json!({}))
            .await,
        409,
    )
    .await;
    let detail = late["detail"].as_str().unwrap();
    assert!(
        detail.contains("(Paris time)") && detail.contains("draft is kept"),
        "{detail}"
    );
    let kept = json_of(lab.get(&format!("/api/v1/calls/{call}/dossier")).await, 200).await;
    assert_eq!(
        (kept["state"].as_str(), kept["answer"].as_str()),
        (Some("draft"), Some("Brouillon du labo"))
    );
    json_of(
        sme.send(
            Method::PUT,
            &format!("/api/v1/calls/{call}/dossier"),
            &json!({"answer": "Trop tard"}),
        )
        .await,
        409,
    )
    .await;
    json_of(
        sme.post(&format!("/api/v1/calls/{call}/dossier/withdraw"), &json!({}))
            .await,
        409,
    )
    .await;

    // Unsealed for the buyer side, never for another candidate.
    let opened = json_of(buyer.get(&format!("/api/v1/calls/{call}/dossiers")).await, 200).await;
    let opened = opened.as_array().unwrap();
    assert_eq!(opened.len(), 1, "the lab's draft was never submitted");
    assert_eq!(opened[0]["organisation_id"], app.organisation_id(DEMO_SME).await);
    assert_eq!(opened[0]["version"]["answer"], "Notre offre");
    assert_eq!(opened[0]["version"]["version"], 2);
    assert_eq!(opened[0]["attachments"].as_array().unwrap().len(), 3);
    let staff = Caller::person(&app, ADMIN).await;
    json_of(staff.get(&format!("/api/v1/calls/{call}/dossiers")).await, 200).await;
    json_of(lab.get(&format!("/api/v1/calls/{call}/dossiers")).await, 404).await;
    json_of(sme.get(&format!("/api/v1/calls/{call}/dossiers")).await, 404).await;
    json_of(visitor.get(&format!("/api/v1/calls/{call}/dossiers")).await, 401).await;

    // Cancelling tells the candidates why.
    json_of(
        buyer
            .post(&format!("/api/v1/calls/{call}/cancel"), &json!({"reason": " "}))
            .await,
        422,
    )
    .await;
    let cancelled = json_of(
        buyer
            .post(
                &format!("/api/v1/calls/{call}/cancel"),
                &json!({"reason": "Besoin reporté à 2028"}),
            )
            .await,
        200,
    )
    .await;
    assert_eq!(cancelled["state"], "cancelled");
    let mails = app.mails();
    assert!(
        mails
            .iter()
            .any(|m| m.contains("dirigeant@pme-demo.fr") && m.contains("Besoin report")),
        "{mails:?}"
    );
    assert!(
        mails.iter().any(|m| m.contains("labo@labo-demo.fr")),
        "the lab held a draft"
    );
}

#[tokio::test]
async fn bad_calls_are_refused_with_field_paths_and_nothing_stored() {
    let app = TestApp::spawn().await;
    let cluster = app.cluster_id;
    let buyer = Caller::person(&app, BUYER).await;
    let path = format!("/api/v1/clusters/{cluster}/calls");
    let before = json_of(buyer.get(&path).await, 200)
        .await
        .as_array()
        .unwrap()
        .len();

    let mut bad = call_body("", "secret");
    bad["criteria"][0]["weight"] = json!("lourd");
    // 02:30 does not exist in Paris on the night clocks go forward.
    bad["closes_at"] = json!("2027-03-28T02:30");
    let refused = json_of(buyer.post(&path, &bad).await, 422).await;
    let fields = error_fields(&refused);
    for field in ["title", "criteria[0].weight", "closes_at", "visibility"] {
        assert!(fields.iter().any(|f| f == field), "{field} in {fields:?}");
    }
    let wrong_type = json_of(buyer.post(&path, &json!({"title": 3})).await, 422).await;
    assert_eq!(error_fields(&wrong_type), ["title"]);
    json_of(
        buyer
            .request(Method::POST, &path)
            .body("{")
            .header(CONTENT_TYPE, "application/json")
            .send()
            .await
            .unwrap(),
        400,
    )
    .await;
    assert_eq!(
        json_of(buyer.get(&path).await, 200)
            .await
            .as_array()
            .unwrap()
            .len(),
        before
    );

    // Only the buyer side writes calls.
    let good = call_body("Appel", "public");
    json_of(Caller::person(&app, MEMBER).await.post(&path, &good).await, 403).await;
    // An organisation's admin may buy for it: the call is then that organisation's.
    let own = json_of(
        Caller::person(&app, ORG_ADMIN).await.post(&path, &good).await,
        201,
    )
    .await;
    assert_eq!(own["buyer_id"], app.organisation_id(DEMO_SME).await);
    json_of(
        Caller::person(&app, EVALUATOR).await.post(&path, &good).await,
        403,
    )
    .await;
    json_of(Caller::visitor(&app).post(&path, &good).await, 401).await;
    json_of(buyer.post("/api/v1/clusters/999999/calls", &good).await, 404).await;
    json_of(Caller::person(&app, ADMIN).await.post(&path, &good).await, 201).await;

    // A published call changes only with an amendment, and its candidates are told.
    let call = published_call(&app, &buyer, "Usinage titane", "public").await;
    let mut edit = call_body("Usinage titane (v2)", "public");
    let refused = json_of(
        buyer
            .send(Method::PUT, &format!("/api/v1/calls/{call}"), &edit)
            .await,
        422,
    )
    .await;
    assert_eq!(error_fields(&refused), ["amendment"]);
    edit["amendment"] = json!("Titre précisé");
    let amended = json_of(
        buyer
            .send(Method::PUT, &format!("/api/v1/calls/{call}"), &edit)
            .await,
        200,
    )
    .await;
    assert_eq!(amended["title"], "Usinage titane (v2)");
    let read = json_of(
        Caller::visitor(&app).get(&format!("/api/v1/calls/{call}")).await,
        200,
    )
    .await;
    assert_eq!(read["amendments"][0]["text"], "Titre précisé");
    json_of(
        Caller::visitor(&app)
            .post(
                &format!("/api/v1/calls/{call}/questions"),
                &json!({"question": "?"}),
            )
            .await,
        401,
    )
    .await;
}

#[tokio::test]
async fn bad_files_and_wrong_candidates_are_refused_and_nothing_stored() {
    let app = TestApp::spawn().await;
    let buyer = Caller::person(&app, BUYER).await;
    let sme = Caller::person(&app, ORG_ADMIN).await;
    let call = published_call(&app, &buyer, "Usinage titane", "members").await;

    let empty = json_of(attach(&sme, call, "vide.pdf", b"").await, 422).await;
    assert_eq!(error_fields(&empty), ["file"]);
    let exe = json_of(
        attach(&sme, call, "offre.pdf", b"MZ\x90\0 not a pdf at all").await,
        422,
    )
    .await;
    assert!(
        exe["errors"][0]["message"]
            .as_str()
            .unwrap()
            .contains("not accepted"),
        "{exe}"
    );
    let mut big = pdf("grand");
    big.resize(10 * 1024 * 1024 + 1, b' ');
    let oversize = json_of(attach(&sme, call, "grand.pdf", &big).await, 422).await;
    assert!(
        oversize["errors"][0]["message"]
            .as_str()
            .unwrap()
            .contains("10 MiB"),
        "{oversize}"
    );
    json_of(
        sme.request(Method::POST, &format!("/api/v1/calls/{call}/dossier/attachments"))
            .json(&json!({"file": "x"}))
            .send()
            .await
            .unwrap(),
        415,
    )
    .await;
    let nothing = json_of(sme.get(&format!("/api/v1/calls/{call}/dossier")).await, 200).await;
    assert_eq!(
        nothing["state"], "none",
        "no dossier was created by refused files"
    );

    // Bad draft input.
    let bad_lot = json_of(
        sme.send(
            Method::PUT,
            &format!("/api/v1/calls/{call}/dossier"),
            &json!({"answer": "x", "lots": [7]}),
        )
        .await,
        422,
    )
    .await;
    assert_eq!(error_fields(&bad_lot), ["lots"]);
    json_of(
        sme.post(&format!("/api/v1/calls/{call}/dossier/submit"), &json!({}))
            .await,
        422,
    )
    .await;

    // Who may not write a dossier.
    let draft = json!({"answer": "Offre", "lots": []});
    let dossier = format!("/api/v1/calls/{call}/dossier");
    json_of(buyer.send(Method::PUT, &dossier, &draft).await, 403).await;
    json_of(
        Caller::person(&app, EVALUATOR)
            .await
            .send(Method::PUT, &dossier, &draft)
            .await,
        404,
    )
    .await;
    json_of(
        Caller::visitor(&app).send(Method::PUT, &dossier, &draft).await,
        401,
    )
    .await;
    json_of(
        attach(&Caller::visitor(&app), call, "offre.pdf", &pdf("x")).await,
        401,
    )
    .await;

    // An invited-only call is for the invited; an ineligible candidate is told why.
    let invited_only = published_call(&app, &buyer, "Usinage titane", "invited").await;
    json_of(sme.get(&format!("/api/v1/calls/{invited_only}")).await, 404).await;
    let cluster = app.cluster_id;
    let mut sme_only = call_body("PME seulement", "members");
    sme_only["eligibility"]["sizes"] = json!(["sme"]);
    let created = json_of(
        buyer
            .post(&format!("/api/v1/clusters/{cluster}/calls"), &sme_only)
            .await,
        201,
    )
    .await;
    let sme_call = created["id"].as_i64().unwrap();
    json_of(
        buyer
            .post(&format!("/api/v1/calls/{sme_call}/publish"), &json!({}))
            .await,
        200,
    )
    .await;
    let lab = Caller::person(&app, LAB).await;
    let ineligible = json_of(
        lab.send(Method::PUT, &format!("/api/v1/calls/{sme_call}/dossier"), &draft)
            .await,
        409,
    )
    .await;
    assert!(
        ineligible["detail"].as_str().unwrap().contains("eligibility"),
        "{ineligible}"
    );
    let _ = app.organisation_id(DEMO_LAB).await;
}
