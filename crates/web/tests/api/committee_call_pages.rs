//! The call side of the committee beyond the core loop, through the API and the pages: the buyer
//! edits and amends a call, attaches documents that every reader downloads, invites member
//! organisations; candidates download and remove their own files, the buyer side reads submitted
//! files only once unsealed and another SME never; a due call is closed and audited while reads
//! never wait for that; the store refuses a submission one second after a closing across a DST
//! change.

use crate::api_client::{Caller, error_fields, json_of};
use crate::committee_fixture::{
    ADMIN, BUYER, EVALUATOR, LAB, MEMBER, ORG_ADMIN, call_body, close_now, draft_call, person_id,
    published_call, submit,
};
use crate::helpers::{SignedIn, TestApp, post_form};
use crate::multipart::{pdf, with_multipart};
use app::demo::{DEMO_LARGE_ACCOUNT, DEMO_SME};
use reqwest::header::{CACHE_CONTROL, CONTENT_DISPOSITION, LOCATION};
use reqwest::{Method, Response};
use serde_json::{Value, json};

async fn upload(
    caller: &Caller<'_>,
    path: &str,
    fields: &[(&str, &str)],
    name: &str,
    bytes: &[u8],
) -> Response {
    with_multipart(caller.request(Method::POST, path), fields, Some((name, bytes)))
        .send()
        .await
        .unwrap()
}

async fn page_upload(
    who: &SignedIn,
    app: &TestApp,
    path: &str,
    fields: &[(&str, &str)],
    name: &str,
    bytes: &[u8],
) -> Response {
    let mut all = vec![("csrf_token", who.csrf.as_str())];
    all.extend_from_slice(fields);
    with_multipart(who.client.post(app.url(path)), &all, Some((name, bytes)))
        .send()
        .await
        .unwrap()
}

async fn text_of(who: &SignedIn, app: &TestApp, path: &str, status: u16) -> String {
    let response = who.client.get(app.url(path)).send().await.unwrap();
    assert_eq!(response.status(), status, "GET {path}");
    response.text().await.unwrap()
}

async fn bytes_of(response: Response, status: u16) -> Vec<u8> {
    let url = response.url().to_string();
    assert_eq!(response.status(), status, "{url}");
    response.bytes().await.unwrap().to_vec()
}

/// The call's JSON body as the page's form sends it.
fn form_of(body: &Value) -> Vec<(String, String)> {
    let text = |v: &Value| v.as_str().unwrap_or_default().to_owned();
    let mut form = vec![
        ("title".to_owned(), text(&body["title"])),
        ("description".to_owned(), text(&body["description"])),
        ("category".to_owned(), text(&body["category"])),
        ("opens_at".to_owned(), text(&body["opens_at"])),
        ("closes_at".to_owned(), text(&body["closes_at"])),
        ("visibility".to_owned(), text(&body["visibility"])),
    ];
    for (i, lot) in body["lots"].as_array().unwrap().iter().enumerate() {
        form.push((format!("lots[{i}].name"), text(&lot["name"])));
        form.push((format!("lots[{i}].description"), text(&lot["description"])));
    }
    for (i, k) in body["criteria"].as_array().unwrap().iter().enumerate() {
        for field in ["name", "weight", "scale_max"] {
            form.push((format!("criteria[{i}].{field}"), text(&k[field])));
        }
    }
    form
}

async fn corrupt(app: &TestApp, sha256: &str) {
    let mut conn = app.db.store.conn().await.unwrap();
    assert!(
        store::committee::files::corrupt_for_tests(&mut conn, sha256, b"%PDF-1.7\ntampered")
            .await
            .unwrap()
    );
}

// ---- documents ------------------------------------------------------------------------------

#[tokio::test]
async fn call_documents_are_the_buyers_to_change_and_every_readers_to_download() {
    call_documents(TestApp::spawn().await).await;
}

#[tokio::test]
async fn call_documents_on_postgres() {
    crate::helpers::on_postgres("call documents", call_documents).await;
}

async fn call_documents(app: TestApp) {
    let buyer = Caller::person(&app, BUYER).await;
    let sme = Caller::person(&app, ORG_ADMIN).await;
    let lab = Caller::person(&app, LAB).await;
    let visitor = Caller::visitor(&app);
    let call = draft_call(&app, &buyer, "Usinage titane", "members").await;
    let documents = format!("/api/v1/calls/{call}/documents");

    // A draft takes documents without an amendment; bad files are refused with nothing stored.
    let spec = json_of(
        upload(&buyer, &documents, &[], "../CCTP titane.pdf", &pdf("cahier")).await,
        201,
    )
    .await;
    assert_eq!(spec["file_name"], "CCTP titane.pdf");
    let refused = json_of(
        upload(&buyer, &documents, &[], "x.pdf", b"MZ\x90\0 not a pdf").await,
        422,
    )
    .await;
    assert_eq!(error_fields(&refused), ["file"]);
    json_of(upload(&buyer, &documents, &[], "vide.pdf", b"").await, 422).await;
    json_of(
        upload(&buyer, &documents, &[], "CCTP titane.pdf", &pdf("autre")).await,
        409,
    )
    .await;
    json_of(upload(&visitor, &documents, &[], "a.pdf", &pdf("a")).await, 401).await;
    json_of(upload(&sme, &documents, &[], "a.pdf", &pdf("a")).await, 404).await;
    let url = spec["url"].as_str().unwrap().to_owned();
    json_of(sme.get(&url).await, 404).await;
    let read = json_of(buyer.get(&format!("/api/v1/calls/{call}")).await, 200).await;
    assert_eq!(read["documents"].as_array().unwrap().len(), 1, "{read}");

    json_of(
        buyer
            .post(&format!("/api/v1/calls/{call}/publish"), &json!({}))
            .await,
        200,
    )
    .await;
    // The SME starts a draft: it is a candidate, told of amendments.
    json_of(
        sme.put(
            &format!("/api/v1/calls/{call}/dossier"),
            &json!({"answer": "Offre", "lots": [1]}),
        )
        .await,
        200,
    )
    .await;

    // Every reader downloads it, as an attachment never sniffed nor cached by shared caches.
    let response = sme.get(&url).await;
    assert_eq!(
        response.headers()[CONTENT_DISPOSITION].to_str().unwrap(),
        "attachment; filename=\"CCTP titane.pdf\"; filename*=UTF-8''CCTP%20titane.pdf"
    );
    assert_eq!(response.headers()[CACHE_CONTROL], "private, no-store");
    assert_eq!(response.headers()["x-content-type-options"], "nosniff");
    assert_eq!(bytes_of(response, 200).await, pdf("cahier"));
    assert_eq!(bytes_of(lab.get(&url).await, 200).await, pdf("cahier"));
    json_of(visitor.get(&url).await, 401).await;
    json_of(sme.get(&format!("{documents}/999999")).await, 404).await;
    let evaluator = Caller::person(&app, EVALUATOR).await;
    json_of(evaluator.get(&url).await, 404).await;
    json_of(
        upload(&evaluator, &documents, &[("amendment", "x")], "e.pdf", &pdf("e")).await,
        404,
    )
    .await;

    // Published: a change of documents is an amendment, its text required and e-mailed.
    let refused = json_of(
        upload(&buyer, &documents, &[], "annexe.pdf", &pdf("annexe")).await,
        422,
    )
    .await;
    assert_eq!(error_fields(&refused), ["amendment"]);
    let annex = json_of(
        upload(
            &buyer,
            &documents,
            &[("amendment", "Annexe : plans des pièces ajoutés")],
            "annexe.pdf",
            &pdf("annexe"),
        )
        .await,
        201,
    )
    .await;
    let mails = app.mails();
    assert!(
        mails
            .iter()
            .any(|m| m.contains("dirigeant@pme-demo.fr") && m.contains("plans des pi")),
        "{mails:?}"
    );
    let remove = format!("{documents}/{}/remove", spec["id"]);
    let refused = json_of(buyer.post(&remove, &json!({})).await, 422).await;
    assert_eq!(error_fields(&refused), ["amendment"]);
    json_of(sme.post(&remove, &json!({"amendment": "x"})).await, 403).await;
    let removed = buyer
        .post(&remove, &json!({"amendment": "CCTP remplacé par la version 2"}))
        .await;
    assert_eq!(removed.status(), 204);
    json_of(sme.get(&url).await, 404).await;
    let read = json_of(sme.get(&format!("/api/v1/calls/{call}")).await, 200).await;
    assert_eq!(read["documents"][0]["id"], annex["id"]);
    let texts: Vec<&str> = read["amendments"]
        .as_array()
        .unwrap()
        .iter()
        .map(|a| a["text"].as_str().unwrap())
        .collect();
    assert_eq!(
        texts,
        [
            "Annexe : plans des pièces ajoutés",
            "CCTP remplacé par la version 2"
        ]
    );

    // A damaged file is never handed out.
    corrupt(&app, annex["sha256"].as_str().unwrap()).await;
    let damaged = sme.get(annex["url"].as_str().unwrap()).await;
    assert_eq!(damaged.status(), 500);

    // A public call's documents are for visitors too.
    let public = published_call(&app, &buyer, "Appel public", "public").await;
    let notice = json_of(
        upload(
            &buyer,
            &format!("/api/v1/calls/{public}/documents"),
            &[("amendment", "Avis de marché joint")],
            "avis.pdf",
            &pdf("avis"),
        )
        .await,
        201,
    )
    .await;
    let by_visitor = visitor.get(notice["url"].as_str().unwrap()).await;
    assert_eq!(bytes_of(by_visitor, 200).await, pdf("avis"));

    // After closing, the documents are final.
    close_now(&app, call).await;
    let late = json_of(
        upload(
            &buyer,
            &documents,
            &[("amendment", "trop tard")],
            "b.pdf",
            &pdf("b"),
        )
        .await,
        409,
    )
    .await;
    assert!(late["detail"].as_str().unwrap().contains("closed"), "{late}");
    json_of(
        buyer
            .post(
                &format!("{documents}/{}/remove", annex["id"]),
                &json!({"amendment": "x"}),
            )
            .await,
        409,
    )
    .await;
}

// ---- dossier files ----------------------------------------------------------------------------

#[tokio::test]
async fn dossier_files_are_read_only_by_those_who_may_read_the_dossier() {
    dossier_files(TestApp::spawn().await).await;
}

#[tokio::test]
async fn dossier_files_on_postgres() {
    crate::helpers::on_postgres("dossier files", dossier_files).await;
}

async fn dossier_files(app: TestApp) {
    let buyer = Caller::person(&app, BUYER).await;
    let sme = Caller::person(&app, ORG_ADMIN).await;
    let colleague = Caller::person(&app, MEMBER).await;
    let lab = Caller::person(&app, LAB).await;
    let staff = Caller::person(&app, ADMIN).await;
    let visitor = Caller::visitor(&app);
    let call = published_call(&app, &buyer, "Usinage titane", "members").await;
    let attachments = format!("/api/v1/calls/{call}/dossier/attachments");

    let offer = json_of(
        upload(&sme, &attachments, &[], "offre #1.pdf", &pdf("offre")).await,
        201,
    )
    .await;
    let spare = json_of(
        upload(&sme, &attachments, &[], "brouillon.pdf", &pdf("brouillon")).await,
        201,
    )
    .await;
    let draft_url = offer["url"].as_str().unwrap().to_owned();
    assert!(
        draft_url.ends_with("/versions/0/files/offre%20%231.pdf"),
        "{draft_url}"
    );
    assert_eq!(bytes_of(sme.get(&draft_url).await, 200).await, pdf("offre"));
    assert_eq!(bytes_of(colleague.get(&draft_url).await, 200).await, pdf("offre"));
    for (who, status) in [(&lab, 404), (&buyer, 404), (&staff, 404), (&visitor, 401)] {
        json_of(who.get(&draft_url).await, status).await;
    }

    // Removing a draft file: the candidate's alone, a name that is not there is 404.
    let spare_path = format!("{attachments}/brouillon.pdf");
    json_of(
        lab.request(Method::DELETE, &spare_path).send().await.unwrap(),
        404,
    )
    .await;
    json_of(
        visitor.request(Method::DELETE, &spare_path).send().await.unwrap(),
        401,
    )
    .await;
    let after = json_of(
        sme.request(Method::DELETE, &spare_path).send().await.unwrap(),
        200,
    )
    .await;
    assert_eq!(after["attachments"].as_array().unwrap().len(), 1, "{after}");
    json_of(
        sme.request(Method::DELETE, &spare_path).send().await.unwrap(),
        404,
    )
    .await;
    json_of(sme.get(spare["url"].as_str().unwrap()).await, 404).await;

    let dossier = submit(&sme, call, "Notre offre").await;
    let submitted_url = format!("/api/v1/calls/{call}/dossiers/{dossier}/versions/1/files/offre%20%231.pdf");
    let mine = json_of(sme.get(&format!("/api/v1/calls/{call}/dossier")).await, 200).await;
    assert_eq!(mine["submitted_attachments"][0]["url"], submitted_url.as_str());
    // Sealed: the buyer side cannot open it before closing.
    json_of(buyer.get(&submitted_url).await, 404).await;
    json_of(staff.get(&submitted_url).await, 404).await;

    close_now(&app, call).await;
    let removed_late = sme
        .request(Method::DELETE, &format!("{attachments}/offre%20%231.pdf"))
        .send()
        .await
        .unwrap();
    assert_eq!(removed_late.status(), 409, "the draft is frozen after closing");
    let response = buyer.get(&submitted_url).await;
    assert!(
        response.headers()[CONTENT_DISPOSITION]
            .to_str()
            .unwrap()
            .starts_with("attachment; filename=\"offre _1.pdf\""),
    );
    assert_eq!(bytes_of(response, 200).await, pdf("offre"));
    assert_eq!(bytes_of(staff.get(&submitted_url).await, 200).await, pdf("offre"));
    // An evaluator of the buyer reads the files only once named for this call.
    let evaluator = Caller::person(&app, EVALUATOR).await;
    json_of(evaluator.get(&submitted_url).await, 404).await;
    let evaluator_id = person_id(&app, EVALUATOR).await;
    json_of(
        buyer
            .put(
                &format!("/api/v1/calls/{call}/evaluators"),
                &json!({"person_ids": [evaluator_id]}),
            )
            .await,
        200,
    )
    .await;
    assert_eq!(
        bytes_of(evaluator.get(&submitted_url).await, 200).await,
        pdf("offre")
    );
    json_of(evaluator.get(&draft_url).await, 404).await;
    let listed = json_of(buyer.get(&format!("/api/v1/calls/{call}/dossiers")).await, 200).await;
    assert_eq!(listed[0]["attachments"][0]["url"], submitted_url.as_str());
    // The buyer never reads a draft; another SME never reads anything.
    json_of(buyer.get(&draft_url).await, 404).await;
    json_of(lab.get(&submitted_url).await, 404).await;
    json_of(
        buyer
            .get(&format!(
                "/api/v1/calls/{call}/dossiers/{dossier}/versions/2/files/offre%20%231.pdf"
            ))
            .await,
        404,
    )
    .await;
    assert_eq!(bytes_of(sme.get(&submitted_url).await, 200).await, pdf("offre"));

    corrupt(&app, offer["sha256"].as_str().unwrap()).await;
    assert_eq!(buyer.get(&submitted_url).await.status(), 500, "checksum verified");
}

// ---- invitations ------------------------------------------------------------------------------

#[tokio::test]
async fn invitations_reach_member_organisations_and_bad_ids_store_nothing() {
    invitations(TestApp::spawn().await).await;
}

#[tokio::test]
async fn invitations_on_postgres() {
    crate::helpers::on_postgres("invitations", invitations).await;
}

async fn invitations(app: TestApp) {
    let buyer = Caller::person(&app, BUYER).await;
    let sme = Caller::person(&app, ORG_ADMIN).await;
    let lab = Caller::person(&app, LAB).await;
    let sme_id = app.organisation_id(DEMO_SME).await;
    let buyer_org = app.organisation_id(DEMO_LARGE_ACCOUNT).await;
    let call = draft_call(&app, &buyer, "Usinage titane sur invitation", "invited").await;
    let path = format!("/api/v1/calls/{call}/invitations");

    // A former member of the cluster cannot be invited.
    let former = {
        let mut conn = app.db.store.conn().await.unwrap();
        let members = store::organisations::list_members(&mut conn, app.cluster_id, "", 0, 50)
            .await
            .unwrap();
        let former = members
            .items
            .iter()
            .find(|o| o.id != sme_id && o.id != buyer_org && o.legal_name != app::demo::DEMO_LAB)
            .unwrap()
            .id;
        assert!(
            store::clusters::remove_member(&mut conn, app.cluster_id, former)
                .await
                .unwrap()
        );
        former
    };
    let refused = json_of(buyer.post(&path, &json!({"organisation_id": former})).await, 422).await;
    assert_eq!(error_fields(&refused), ["organisation_id"]);
    let refused = json_of(
        buyer.post(&path, &json!({"organisation_id": buyer_org})).await,
        422,
    )
    .await;
    assert_eq!(error_fields(&refused), ["organisation_id"]);
    json_of(buyer.post(&path, &json!({"organisation_id": 999_999})).await, 404).await;
    json_of(buyer.post(&path, &json!({"organisation_id": "PME"})).await, 422).await;
    json_of(sme.post(&path, &json!({"organisation_id": sme_id})).await, 404).await;
    assert_eq!(
        json_of(buyer.get(&path).await, 200).await,
        json!([]),
        "nothing stored"
    );

    // Invited while a draft: told when the call is published.
    let invited = json_of(buyer.post(&path, &json!({"organisation_id": sme_id})).await, 201).await;
    assert_eq!(invited["name"], DEMO_SME);
    json_of(buyer.post(&path, &json!({"organisation_id": sme_id})).await, 200).await;
    assert!(!app.mails().iter().any(|m| m.contains("Invitation")));
    json_of(
        buyer
            .post(&format!("/api/v1/calls/{call}/publish"), &json!({}))
            .await,
        200,
    )
    .await;
    let mails = app.mails();
    let to_sme: Vec<_> = mails
        .iter()
        .filter(|m| m.contains("dirigeant@pme-demo.fr") && m.contains("Invitation"))
        .collect();
    assert_eq!(to_sme.len(), 1, "{mails:?}");
    assert!(to_sme[0].contains(&format!("/calls/{call}")));

    // The invited SME sees the invited-only call among its calls for you; the lab does not.
    let for_sme = json_of(sme.get("/api/v1/calls-for-you").await, 200).await;
    let listed = |v: &Value| {
        ["eligible", "not_eligible"]
            .iter()
            .any(|k| v[k].as_array().unwrap().iter().any(|c| c["call_id"] == call))
    };
    assert!(listed(&for_sme), "{for_sme}");
    assert!(!listed(
        &json_of(lab.get("/api/v1/calls-for-you").await, 200).await
    ));
    json_of(lab.get(&format!("/api/v1/calls/{call}")).await, 404).await;
    // Only the buyer side lists invitations.
    json_of(sme.get(&path).await, 403).await;
    json_of(lab.get(&path).await, 404).await;
    json_of(Caller::visitor(&app).get(&path).await, 401).await;

    // Withdrawn before closing: out of sight again.
    let lab_id = app.organisation_id(app::demo::DEMO_LAB).await;
    json_of(
        buyer
            .request(Method::DELETE, &format!("{path}/{lab_id}"))
            .send()
            .await
            .unwrap(),
        404,
    )
    .await;
    let gone = buyer
        .request(Method::DELETE, &format!("{path}/{sme_id}"))
        .send()
        .await
        .unwrap();
    assert_eq!(gone.status(), 204);
    assert!(!listed(
        &json_of(sme.get("/api/v1/calls-for-you").await, 200).await
    ));
    json_of(sme.get(&format!("/api/v1/calls/{call}")).await, 404).await;

    // Published, the invitation is e-mailed at once; after closing, invitations are final.
    let lab_invited = json_of(buyer.post(&path, &json!({"organisation_id": lab_id})).await, 201).await;
    assert_eq!(lab_invited["organisation_id"], lab_id);
    assert!(
        app.mails()
            .iter()
            .any(|m| m.contains("labo@labo-demo.fr") && m.contains("Invitation"))
    );
    close_now(&app, call).await;
    json_of(buyer.post(&path, &json!({"organisation_id": sme_id})).await, 409).await;
    json_of(
        buyer
            .request(Method::DELETE, &format!("{path}/{lab_id}"))
            .send()
            .await
            .unwrap(),
        409,
    )
    .await;
}

// ---- closing ----------------------------------------------------------------------------------

#[tokio::test]
async fn a_due_call_is_closed_and_audited_and_reads_never_wait_for_it() {
    let app = TestApp::spawn().await;
    let buyer = Caller::person(&app, BUYER).await;
    let sme = Caller::person(&app, ORG_ADMIN).await;
    let call = published_call(&app, &buyer, "Appel à clore", "members").await;
    let open = published_call(&app, &buyer, "Appel encore ouvert", "members").await;
    submit(&sme, call, "Offre").await;
    close_now(&app, call).await;

    // One second after the closing instant, before any closing task ran: closed in effect.
    let state = json_of(buyer.get(&format!("/api/v1/calls/{call}")).await, 200).await;
    assert_eq!(state["call"]["state"], "published");
    json_of(buyer.get(&format!("/api/v1/calls/{call}/dossiers")).await, 200).await;
    json_of(
        sme.post(&format!("/api/v1/calls/{call}/dossier/submit"), &json!({}))
            .await,
        409,
    )
    .await;
    let mut extended = call_body("Appel à clore", "members");
    extended["amendment"] = json!("Délai prolongé");
    let reopened = json_of(buyer.put(&format!("/api/v1/calls/{call}"), &extended).await, 409).await;
    assert!(
        reopened["detail"].as_str().unwrap().contains("closed"),
        "{reopened}"
    );
    json_of(
        sme.post(
            &format!("/api/v1/calls/{call}/questions"),
            &json!({"question": "Encore ?"}),
        )
        .await,
        409,
    )
    .await;

    let closed = app.app.close_due_calls().await.unwrap();
    assert!(closed.contains(&call) && !closed.contains(&open), "{closed:?}");
    assert!(app.app.close_due_calls().await.unwrap().is_empty(), "closed once");
    let state = json_of(buyer.get(&format!("/api/v1/calls/{call}")).await, 200).await;
    assert_eq!(state["call"]["state"], "closed");
    let open_state = json_of(buyer.get(&format!("/api/v1/calls/{open}")).await, 200).await;
    assert_eq!(open_state["call"]["state"], "published");
    let mut conn = app.db.store.conn().await.unwrap();
    let trail = store::audit::of_entity(&mut conn, "call", call).await.unwrap();
    let closing = trail.iter().find(|e| e.action == "close").expect("audited");
    assert_eq!(closing.actor_person_id, None, "closed by the clock, not a person");
    assert_eq!(closing.after_json.as_deref(), Some("\"closed\""));
    // Still readable by the buyer side, still refused to the candidate.
    json_of(buyer.get(&format!("/api/v1/calls/{call}/dossiers")).await, 200).await;
    json_of(
        sme.post(&format!("/api/v1/calls/{call}/dossier/submit"), &json!({}))
            .await,
        409,
    )
    .await;
}

#[tokio::test]
async fn the_store_refuses_a_submission_one_second_after_a_closing_across_a_dst_change() {
    let app = TestApp::spawn().await;
    let buyer = Caller::person(&app, BUYER).await;
    let sme = Caller::person(&app, ORG_ADMIN).await;
    let cluster = app.cluster_id;
    // 03:30 the night clocks go forward (02:00 → 03:00), and 02:30 of the repeated autumn hour.
    for (closes, utc) in [
        ("2027-03-28T03:30", "2027-03-28T01:30:00Z"),
        ("2027-10-31T02:30", "2027-10-31T00:30:00Z"),
    ] {
        let mut body = call_body("Appel au changement d'heure", "members");
        body["closes_at"] = json!(closes);
        let created = json_of(
            buyer
                .post(&format!("/api/v1/clusters/{cluster}/calls"), &body)
                .await,
            201,
        )
        .await;
        let call = created["id"].as_i64().unwrap();
        let expected: jiff::Timestamp = utc.parse().unwrap();
        assert_eq!(created["closes_at"], expected.as_millisecond(), "{closes}");
        json_of(
            buyer
                .post(&format!("/api/v1/calls/{call}/publish"), &json!({}))
                .await,
            200,
        )
        .await;
        let dossier = json_of(
            sme.put(
                &format!("/api/v1/calls/{call}/dossier"),
                &json!({"answer": "Offre"}),
            )
            .await,
            200,
        )
        .await["id"]
            .as_i64()
            .unwrap();
        let closes_ms = expected.as_millisecond();
        let mut conn = app.db.store.conn().await.unwrap();
        use store::committee::dossiers::submit as store_submit;
        // One hour of wall clock before a spring closing is not there: the real instant counts.
        assert_eq!(
            store_submit(&mut conn, dossier, None, closes_ms + 1_000)
                .await
                .unwrap(),
            None,
            "one second after {closes}"
        );
        assert_eq!(
            store_submit(&mut conn, dossier, None, closes_ms).await.unwrap(),
            None,
            "at {closes} itself"
        );
        assert_eq!(
            store_submit(&mut conn, dossier, None, closes_ms - 1_000)
                .await
                .unwrap(),
            Some(1),
            "one second before {closes}"
        );
    }
}

// ---- pages ------------------------------------------------------------------------------------

#[tokio::test]
async fn the_buyer_edits_a_draft_and_amends_a_published_call_from_the_page() {
    let app = TestApp::spawn().await;
    let api_buyer = Caller::person(&app, BUYER).await;
    let sme_api = Caller::person(&app, ORG_ADMIN).await;
    let buyer = app.signed_in(BUYER).await;
    let call = draft_call(&app, &api_buyer, "Usinage titane", "members").await;
    let edit = format!("/calls/{call}/edit");

    let html = text_of(&buyer, &app, &edit, 200).await;
    assert!(html.contains("value=\"Usinage titane\"") && !html.contains("id=\"amendment\""));
    let mut body = call_body("Usinage titane", "members");
    body["title"] = json!("");
    let form: Vec<(String, String)> = form_of(&body);
    let fields: Vec<(&str, &str)> = form.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
    let refused = post_form(&buyer, &app, &edit, &fields).await;
    assert_eq!(refused.status(), 422);
    assert!(refused.text().await.unwrap().contains("id=\"title-error\""));
    body["title"] = json!("Usinage titane (lots revus)");
    let form = form_of(&body);
    let fields: Vec<(&str, &str)> = form.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
    let saved = post_form(&buyer, &app, &edit, &fields).await;
    assert_eq!(saved.status(), 303);
    assert_eq!(saved.headers()[LOCATION], format!("/calls/{call}").as_str());

    json_of(
        api_buyer
            .post(&format!("/api/v1/calls/{call}/publish"), &json!({}))
            .await,
        200,
    )
    .await;
    json_of(
        sme_api
            .put(
                &format!("/api/v1/calls/{call}/dossier"),
                &json!({"answer": "Offre"}),
            )
            .await,
        200,
    )
    .await;
    let html = text_of(&buyer, &app, &format!("/calls/{call}"), 200).await;
    assert!(html.contains("class=\"call-tools\"") && html.contains("id=\"edit-link\""));
    let html = text_of(&buyer, &app, &edit, 200).await;
    assert!(
        html.contains("id=\"amendment\""),
        "published: the amendment field is shown"
    );
    body["title"] = json!("Usinage titane (délai précisé)");
    let form = form_of(&body);
    let mut fields: Vec<(&str, &str)> = form.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
    let refused = post_form(&buyer, &app, &edit, &fields).await;
    assert_eq!(refused.status(), 422);
    let html = refused.text().await.unwrap();
    assert!(
        html.contains("id=\"amendment-error\""),
        "the missing amendment is named"
    );
    assert!(
        html.contains("Usinage titane (délai précisé)"),
        "what was typed is kept"
    );
    fields.push(("amendment", "Le titre précise le délai"));
    assert_eq!(post_form(&buyer, &app, &edit, &fields).await.status(), 303);
    let html = text_of(&buyer, &app, &format!("/calls/{call}"), 200).await;
    assert!(html.contains("Le titre précise le délai"));
    assert!(
        app.mails()
            .iter()
            .any(|m| m.contains("dirigeant@pme-demo.fr") && m.contains("Le titre pr"))
    );

    // Nobody else edits it.
    let sme = app.signed_in(ORG_ADMIN).await;
    text_of(&sme, &app, &edit, 403).await;
    assert_eq!(post_form(&sme, &app, &edit, &fields).await.status(), 403);
    close_now(&app, call).await;
    let html = text_of(&buyer, &app, &format!("/calls/{call}"), 200).await;
    assert!(!html.contains("id=\"edit-link\""), "a closed call is not edited");
    assert!(html.contains("id=\"submissions-link\""));
    assert_eq!(post_form(&buyer, &app, &edit, &fields).await.status(), 409);
}

#[tokio::test]
async fn documents_and_dossier_files_work_from_the_pages() {
    let app = TestApp::spawn().await;
    let api_buyer = Caller::person(&app, BUYER).await;
    let buyer = app.signed_in(BUYER).await;
    let sme = app.signed_in(ORG_ADMIN).await;
    let lab = app.signed_in(LAB).await;
    let call = draft_call(&app, &api_buyer, "Usinage titane", "members").await;
    let documents = format!("/calls/{call}/documents");

    let added = page_upload(&buyer, &app, &documents, &[], "CCTP.pdf", &pdf("cctp")).await;
    assert_eq!(added.status(), 303);
    let refused = page_upload(&buyer, &app, &documents, &[], "x.pdf", b"not a pdf").await;
    assert_eq!(refused.status(), 422);
    assert!(refused.text().await.unwrap().contains("not accepted"));
    json_of(
        api_buyer
            .post(&format!("/api/v1/calls/{call}/publish"), &json!({}))
            .await,
        200,
    )
    .await;
    let refused = page_upload(&buyer, &app, &documents, &[], "annexe.pdf", &pdf("annexe")).await;
    assert_eq!(refused.status(), 422, "published: an amendment is required");
    let added = page_upload(
        &buyer,
        &app,
        &documents,
        &[("amendment", "Annexe ajoutée")],
        "annexe.pdf",
        &pdf("annexe"),
    )
    .await;
    assert_eq!(added.status(), 303);
    let html = text_of(&sme, &app, &format!("/calls/{call}"), 200).await;
    let read = json_of(api_buyer.get(&format!("/api/v1/calls/{call}")).await, 200).await;
    let cctp = read["documents"][0]["id"].as_i64().unwrap();
    assert!(html.contains(&format!("href=\"/calls/{call}/documents/{cctp}\"")));
    assert!(
        !html.contains("id=\"document-form\""),
        "candidates do not add documents"
    );
    let download = sme
        .client
        .get(app.url(&format!("{documents}/{cctp}")))
        .send()
        .await
        .unwrap();
    assert_eq!(bytes_of(download, 200).await, pdf("cctp"));
    let removed = post_form(
        &buyer,
        &app,
        &format!("{documents}/{cctp}/remove"),
        &[("amendment", "CCTP retiré")],
    )
    .await;
    assert_eq!(removed.status(), 303);
    text_of(&sme, &app, &format!("{documents}/{cctp}"), 404).await;

    // The candidate's files: downloaded, removed from the draft; the lab reads none of them.
    let attach = format!("/calls/{call}/dossier/attachments");
    assert_eq!(
        page_upload(&sme, &app, &attach, &[], "offre.pdf", &pdf("offre"))
            .await
            .status(),
        303
    );
    assert_eq!(
        page_upload(&sme, &app, &attach, &[], "devis.pdf", &pdf("devis"))
            .await
            .status(),
        303
    );
    let html = text_of(&sme, &app, &format!("/calls/{call}/dossier"), 200).await;
    let href = html
        .split("href=\"")
        .map(|rest| rest.split('"').next().unwrap())
        .find(|h| h.ends_with("/files/offre.pdf"))
        .expect("a download link")
        .to_owned();
    let download = sme.client.get(app.url(&href)).send().await.unwrap();
    assert_eq!(bytes_of(download, 200).await, pdf("offre"));
    text_of(&lab, &app, &href, 404).await;
    let removed = post_form(
        &sme,
        &app,
        &format!("{attach}/remove"),
        &[("file_name", "devis.pdf")],
    )
    .await;
    assert_eq!(removed.status(), 303);
    let html = text_of(&sme, &app, &format!("/calls/{call}/dossier?notice=removed"), 200).await;
    assert!(!html.contains("devis.pdf") && html.contains("Fichier retiré du brouillon."));
    let missing = post_form(
        &sme,
        &app,
        &format!("{attach}/remove"),
        &[("file_name", "devis.pdf")],
    )
    .await;
    assert_eq!(missing.status(), 404);

    assert_eq!(
        post_form(&sme, &app, &format!("/calls/{call}/dossier/submit"), &[])
            .await
            .status(),
        303
    );
    let html = text_of(
        &sme,
        &app,
        &format!("/calls/{call}/dossier?notice=submitted"),
        200,
    )
    .await;
    assert!(html.contains("id=\"dossier-state\""), "{html}");
    close_now(&app, call).await;
    let html = text_of(&buyer, &app, &format!("/calls/{call}/dossiers"), 200).await;
    let href = html
        .split("href=\"")
        .map(|rest| rest.split('"').next().unwrap())
        .find(|h| h.ends_with("/versions/1/files/offre.pdf"))
        .expect("the submitted file is linked")
        .to_owned();
    let download = buyer.client.get(app.url(&href)).send().await.unwrap();
    assert_eq!(bytes_of(download, 200).await, pdf("offre"));
}

#[tokio::test]
async fn the_buyer_invites_from_the_page_and_the_sme_finds_the_call_for_it() {
    let app = TestApp::spawn().await;
    let api_buyer = Caller::person(&app, BUYER).await;
    let buyer = app.signed_in(BUYER).await;
    let sme = app.signed_in(ORG_ADMIN).await;
    let call = published_call(&app, &api_buyer, "Usinage titane de précision", "invited").await;
    let invitations = format!("/calls/{call}/invitations");

    let html = text_of(&buyer, &app, &invitations, 200).await;
    assert!(html.contains("id=\"recommended\"") && html.contains("id=\"search-members\""));
    let html = text_of(&buyer, &app, &format!("{invitations}?q=usinage titane"), 200).await;
    assert!(html.contains(DEMO_SME), "the member search finds the SME");
    let sme_id = app.organisation_id(DEMO_SME).await.to_string();
    let refused = post_form(&buyer, &app, &invitations, &[("organisation_id", "douze")]).await;
    assert_eq!(refused.status(), 422);
    let invited = post_form(&buyer, &app, &invitations, &[("organisation_id", &sme_id)]).await;
    assert_eq!(invited.status(), 303);
    let html = text_of(&buyer, &app, &invitations, 200).await;
    assert!(html.contains(&format!("action=\"/calls/{call}/invitations/{sme_id}/remove\"")));
    text_of(&sme, &app, &invitations, 403).await;

    let calls = text_of(&sme, &app, "/calls", 200).await;
    assert!(calls.contains("href=\"/calls/for-you\""));
    let for_you = text_of(&sme, &app, "/calls/for-you", 200).await;
    assert!(
        for_you.contains(&format!("href=\"/calls/{call}\"")),
        "the invited-only call is there"
    );
    let visitor = crate::helpers::client();
    let response = visitor.get(app.url("/calls/for-you")).send().await.unwrap();
    assert_ne!(response.status(), 200, "visitors have no calls for them");

    let withdrawn = post_form(&buyer, &app, &format!("{invitations}/{sme_id}/remove"), &[]).await;
    assert_eq!(withdrawn.status(), 303);
    let for_you = text_of(&sme, &app, "/calls/for-you", 200).await;
    assert!(!for_you.contains(&format!("href=\"/calls/{call}\"")));
}
