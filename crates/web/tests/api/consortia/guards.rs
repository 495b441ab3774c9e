//! The consortia's guards: who may be invited (never the call's buyer, never an organisation that
//! cannot see the call), who is e-mailed (registry participants only), who reads "my consortia",
//! the joint dossier's life (no co-contractor yet, withdrawn, replaced by a solo submission, the
//! lead kept while it stands), the workspace's closed door for the not-yet-accepted, and the bad
//! input each write path refuses with nothing stored.

use super::*;
use crate::committee_fixture::EVALUATOR;
use app::demo::DEMO_LARGE_ACCOUNT;

async fn submit_joint(caller: &Caller<'_>, id: i64, body: Value) -> reqwest::Response {
    caller
        .post(&format!("/api/v1/consortia/{id}/joint-dossier"), &body)
        .await
}

async fn joint_status(caller: &Caller<'_>, id: i64) -> Value {
    let workspace = json_of(caller.get(&format!("/api/v1/consortia/{id}")).await, 200).await;
    workspace["joint_dossiers"][0]["status"].clone()
}

async fn hand_lead(caller: &Caller<'_>, id: i64, organisation_id: i64) -> reqwest::Response {
    caller
        .post(
            &format!("/api/v1/consortia/{id}/lead"),
            &json!({"organisation_id": organisation_id}),
        )
        .await
}

async fn joining_story(app: TestApp) {
    let sme = Caller::person(&app, SME).await;
    let buyer = Caller::person(&app, BUYER).await;
    let buyer_org = app.organisation_id(DEMO_LARGE_ACCOUNT).await;
    let sme_id = app.organisation_id(DEMO_SME).await;
    let lab_id = app.organisation_id(DEMO_LAB).await;
    let (_, opportunity) = linked_opportunity(&app).await;

    // The call's buyer does not answer its own call: refused by name, offered nowhere.
    let consortia = count(&app, "consortia").await;
    let refused = problem(
        sme.post(
            &format!("/api/v1/opportunities/{opportunity}/consortia"),
            &json!({"members": [lab_id, buyer_org]}),
        )
        .await,
        422,
    )
    .await;
    assert_eq!(error_fields(&refused), ["members[1]"], "{refused}");
    assert_eq!(count(&app, "consortia").await, consortia, "nothing formed");
    let sme_page = app.signed_in(SME).await;
    let teams = crate::helpers::page(
        &sme_page.client,
        &app,
        &format!("/opportunities/{opportunity}/teams"),
    )
    .await;
    let by_hand = teams.split("id=\"members\"").nth(1).unwrap();
    let by_hand = by_hand.split("</select>").next().unwrap();
    assert!(
        by_hand.contains(&format!("<option value=\"{lab_id}\"")),
        "{by_hand}"
    );
    assert!(
        !by_hand.contains(&format!("<option value=\"{buyer_org}\"")),
        "the buyer is not a candidate"
    );
    let id = consortium_with_lab(&app, opportunity).await;
    let refused = problem(
        sme.post(
            &format!("/api/v1/consortia/{id}/invitations"),
            &json!({"organisation_id": buyer_org}),
        )
        .await,
        422,
    )
    .await;
    assert_eq!(error_fields(&refused), ["organisation_id"]);
    // Inviting an organisation already invited: a conflict, nothing added.
    let members = count(&app, "members").await;
    problem(
        sme.post(
            &format!("/api/v1/consortia/{id}/invitations"),
            &json!({"organisation_id": lab_id}),
        )
        .await,
        409,
    )
    .await;
    assert_eq!(count(&app, "members").await, members);

    // A call by invitation: the lab, not invited by the buyer, cannot see it, so cannot join.
    let restricted = published_call(&app, &buyer, "Appel restreint titane", "invited").await;
    let invited = buyer
        .post(
            &format!("/api/v1/calls/{restricted}/invitations"),
            &json!({"organisation_id": sme_id}),
        )
        .await;
    assert!(invited.status().is_success(), "{}", invited.status());
    let linked = json_of(
        sme.post(
            &format!("/api/v1/clusters/{}/opportunities", app.cluster_id),
            &json!({"call_id": restricted, "lots": lots()}),
        )
        .await,
        201,
    )
    .await["id"]
        .as_i64()
        .unwrap();
    let refused = problem(
        sme.post(
            &format!("/api/v1/opportunities/{linked}/consortia"),
            &json!({"members": [lab_id]}),
        )
        .await,
        422,
    )
    .await;
    assert_eq!(error_fields(&refused), ["members[0]"]);
    assert!(refused.to_string().contains("may not see the call"), "{refused}");

    // The invitation is e-mailed to the invited organisation's registry participants only: the
    // large account's buyer is told, its evaluator is not.
    let external = json_of(
        sme.post(
            &format!("/api/v1/clusters/{}/opportunities", app.cluster_id),
            &json!({"title": "Bancs d'essais", "buyer": "Région", "deadline": "2031-01-09T12:00",
                    "lots": lots()}),
        )
        .await,
        201,
    )
    .await["id"]
        .as_i64()
        .unwrap();
    let with_large = json_of(
        sme.post(
            &format!("/api/v1/opportunities/{external}/consortia"),
            &json!({"name": "Groupement large", "members": [buyer_org]}),
        )
        .await,
        201,
    )
    .await["id"]
        .as_i64()
        .unwrap();
    let told = |email: &str| {
        app.mails()
            .iter()
            .any(|m| m.contains(email) && m.contains(&format!("/consortia/{with_large}")))
    };
    assert!(told(BUYER), "the buyer, a registry participant, is told");
    assert!(!told(EVALUATOR), "the evaluator is not");

    // "My consortia" is for those who may answer an invitation: the evaluator and the mediator
    // find nothing, the buyer its invitation.
    let evaluator = Caller::person(&app, EVALUATOR).await;
    problem(evaluator.get("/api/v1/consortia").await, 404).await;
    let mine = json_of(buyer.get("/api/v1/consortia").await, 200).await;
    assert_eq!(mine[0]["id"], with_large);
    assert_eq!(mine[0]["state"], "invited");
}

async fn joint_life_story(app: TestApp) {
    let sme = Caller::person(&app, SME).await;
    let lab = Caller::person(&app, LAB).await;
    let buyer = Caller::person(&app, BUYER).await;
    let lab_id = app.organisation_id(DEMO_LAB).await;
    let (call, opportunity) = linked_opportunity(&app).await;
    let id = consortium_with_lab(&app, opportunity).await;

    // Before the lab accepts, there is no co-contractor: nothing is submitted.
    let refused = problem(
        submit_joint(&sme, id, json!({"answer": "Offre", "lots": [1]})).await,
        409,
    )
    .await;
    assert!(
        refused["detail"]
            .as_str()
            .unwrap()
            .contains("no member has accepted"),
        "{refused}"
    );
    assert_eq!(count(&app, "joint").await, 0);
    let (messages, documents) = (count(&app, "messages").await, count(&app, "documents").await);
    // Nor may the lab use the workspace before it accepts: no message, no document.
    problem(
        lab.post(
            &format!("/api/v1/consortia/{id}/messages"),
            &json!({"body": "Bonjour"}),
        )
        .await,
        404,
    )
    .await;
    problem(attach(&lab, id, "essais.pdf", &pdf("essais")).await, 404).await;
    for outsider in [&buyer, &Caller::person(&app, ADMIN).await] {
        problem(attach(outsider, id, "essais.pdf", &pdf("essais")).await, 404).await;
    }
    assert_eq!(count(&app, "messages").await, messages);
    assert_eq!(count(&app, "documents").await, documents);
    lab.post(
        &format!("/api/v1/consortia/{id}/invitation"),
        &json!({"accept": true}),
    )
    .await;

    // Lots sent alone are saved to the draft (its answer kept) before the submission.
    json_of(
        sme.put(
            &format!("/api/v1/calls/{call}/dossier"),
            &json!({"answer": "Brouillon du mandataire", "lots": [1]}),
        )
        .await,
        200,
    )
    .await;
    let submitted = json_of(
        submit_joint(&sme, id, json!({"answer": "", "lots": [2]})).await,
        200,
    )
    .await;
    assert_eq!(submitted["state"], "submitted");
    let workspace = json_of(lab.get(&format!("/api/v1/consortia/{id}")).await, 200).await;
    assert_eq!(workspace["joint_dossiers"][0]["status"], "submitted");
    let mut conn = app.db.store.conn().await.unwrap();
    let sme_id = app.organisation_id(DEMO_SME).await;
    let draft = store::committee::dossiers::find(&mut conn, call, sme_id)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(
        (draft.answer.as_str(), draft.lots.as_slice()),
        ("Brouillon du mandataire", &[2][..])
    );
    drop(conn);

    // While the joint dossier stands and the call is open, the lead stays.
    let refused = problem(hand_lead(&sme, id, lab_id).await, 409).await;
    assert!(
        refused["detail"].as_str().unwrap().contains("withdraw"),
        "{refused}"
    );

    // Withdrawn: the workspace says so; submitted again jointly, it stands again.
    let withdrawn = sme
        .post(&format!("/api/v1/calls/{call}/dossier/withdraw"), &json!({}))
        .await;
    assert!(withdrawn.status().is_success(), "{}", withdrawn.status());
    assert_eq!(joint_status(&lab, id).await, "withdrawn");
    json_of(submit_joint(&sme, id, json!({})).await, 200).await;
    assert_eq!(joint_status(&lab, id).await, "submitted");

    // The lead submits again alone, through the committee's page: the joint offer is replaced,
    // and the buyer reads a solo offer once the call closes.
    json_of(
        sme.post(&format!("/api/v1/calls/{call}/dossier/submit"), &json!({}))
            .await,
        200,
    )
    .await;
    assert_eq!(joint_status(&lab, id).await, "replaced");
    assert_eq!(
        hand_lead(&sme, id, lab_id).await.status(),
        204,
        "nothing joint stands"
    );
    close_now(&app, call).await;
    let dossiers = json_of(buyer.get(&format!("/api/v1/calls/{call}/dossiers")).await, 200).await;
    assert_eq!(dossiers[0]["organisation_name"], DEMO_SME);
    assert_eq!(dossiers[0]["co_contractors"], json!([]), "a solo offer");
}

async fn bad_input_story(app: TestApp) {
    let sme = Caller::person(&app, SME).await;
    let cluster = app.cluster_id;
    let lab_id = app.organisation_id(DEMO_LAB).await;
    let (call, opportunity) = linked_opportunity(&app).await;
    let before = count(&app, "opportunities").await;
    let enter = |body: Value| {
        let sme = &sme;
        async move {
            problem(
                sme.post(&format!("/api/v1/clusters/{cluster}/opportunities"), &body)
                    .await,
                422,
            )
            .await
        }
    };
    let external =
        |lots: Value| json!({"title": "T", "buyer": "B", "deadline": "2031-01-09T12:00", "lots": lots});
    let lot = json!({"capabilities": ["testing"]});
    let refused = enter(external(Value::Array(vec![lot.clone(); 21]))).await;
    assert_eq!(error_fields(&refused), ["lots"]);
    let many: Vec<String> = (0..21).map(|i| format!("ISO {i}")).collect();
    let refused = enter(external(json!([{"certifications": many}]))).await;
    assert_eq!(error_fields(&refused), ["lots[0].certifications"]);
    let refused = enter(external(json!([{"certifications": ["x".repeat(81)]}]))).await;
    assert_eq!(error_fields(&refused), ["lots[0].certifications[0]"]);
    assert_eq!(count(&app, "opportunities").await, before);

    // Teams: k must be a number from 1 to 8.
    let refused = problem(
        sme.get(&format!("/api/v1/opportunities/{opportunity}/teams?k=abc"))
            .await,
        422,
    )
    .await;
    assert_eq!(error_fields(&refused), ["k"]);

    // Forming: a name of 201 characters, 21 organisations at once.
    let consortia = count(&app, "consortia").await;
    let form = |body: Value| {
        let sme = &sme;
        async move {
            problem(
                sme.post(&format!("/api/v1/opportunities/{opportunity}/consortia"), &body)
                    .await,
                422,
            )
            .await
        }
    };
    let refused = form(json!({"name": "G".repeat(201), "members": [lab_id]})).await;
    assert_eq!(error_fields(&refused), ["name"]);
    let refused = form(json!({"members": vec![lab_id; 21]})).await;
    assert_eq!(error_fields(&refused), ["members"]);
    assert_eq!(count(&app, "consortia").await, consortia);

    // Once a consortium is formed, the opportunity's call no longer changes (lots may).
    consortium_with_lab(&app, opportunity).await;
    let refused = problem(
        sme.put(
            &format!("/api/v1/opportunities/{opportunity}"),
            &json!({"lots": lots()}),
        )
        .await,
        422,
    )
    .await;
    assert_eq!(error_fields(&refused), ["call_id"]);
    let kept = json_of(
        sme.get(&format!("/api/v1/opportunities/{opportunity}")).await,
        200,
    )
    .await;
    assert_eq!(kept["call_id"], call);
    let edited = sme
        .put(
            &format!("/api/v1/opportunities/{opportunity}"),
            &json!({"call_id": call, "description": "Lots revus", "lots": lots()}),
        )
        .await;
    assert_eq!(edited.status(), 200);
}

async fn documents_story(app: TestApp) {
    let sme = Caller::person(&app, SME).await;
    let lab = Caller::person(&app, LAB).await;
    let (_, opportunity) = linked_opportunity(&app).await;
    let id = consortium_with_lab(&app, opportunity).await;
    lab.post(
        &format!("/api/v1/consortia/{id}/invitation"),
        &json!({"accept": true}),
    )
    .await;

    // The replies name who wrote and who attached.
    let message = json_of(
        lab.post(
            &format!("/api/v1/consortia/{id}/messages"),
            &json!({"body": "Essais prêts"}),
        )
        .await,
        201,
    )
    .await;
    assert_eq!(message["organisation_name"], DEMO_LAB);
    assert!(!message["author"].as_str().unwrap().is_empty(), "{message}");
    let document = json_of(attach(&sme, id, "devis.pdf", &pdf("devis")).await, 201).await;
    assert_eq!(document["organisation_name"], DEMO_SME);

    // An organisation that leaves the cluster leaves the workspace with it.
    let lab_id = app.organisation_id(DEMO_LAB).await;
    let mut conn = app.db.store.conn().await.unwrap();
    store::clusters::remove_member(&mut conn, app.cluster_id, lab_id)
        .await
        .unwrap();
    drop(conn);
    problem(lab.get(&format!("/api/v1/consortia/{id}")).await, 404).await;
    let mut conn = app.db.store.conn().await.unwrap();
    store::clusters::add_member(&mut conn, app.cluster_id, lab_id)
        .await
        .unwrap();
    drop(conn);
    json_of(lab.get(&format!("/api/v1/consortia/{id}")).await, 200).await;

    // One name once: a second file of that name is a conflict, the first kept.
    let again = problem(attach(&lab, id, "devis.pdf", &pdf("autre")).await, 409).await;
    assert!(again["detail"].as_str().unwrap().contains("devis.pdf"), "{again}");
    let kept = lab
        .get(&format!("/api/v1/consortia/{id}/documents/devis.pdf"))
        .await;
    assert_eq!(kept.bytes().await.unwrap().as_ref(), pdf("devis").as_slice());

    // At most MAX_DOCUMENTS documents: the next one is refused on `file`.
    for i in 1..app::consortia::MAX_DOCUMENTS {
        json_of(
            attach(&sme, id, &format!("piece-{i}.pdf"), &pdf(&format!("piece {i}"))).await,
            201,
        )
        .await;
    }
    let documents = count(&app, "documents").await;
    let full = problem(attach(&lab, id, "encore.pdf", &pdf("encore")).await, 422).await;
    assert_eq!(error_fields(&full), ["file"]);
    assert_eq!(count(&app, "documents").await, documents);
    let workspace = json_of(lab.get(&format!("/api/v1/consortia/{id}")).await, 200).await;
    assert_eq!(
        workspace["documents"].as_array().unwrap().len(),
        app::consortia::MAX_DOCUMENTS
    );
}

#[tokio::test]
async fn only_cluster_members_who_may_see_the_call_and_are_not_its_buyer_join() {
    joining_story(TestApp::spawn().await).await;
}

#[tokio::test]
async fn only_cluster_members_who_may_see_the_call_and_are_not_its_buyer_join_on_postgres() {
    on_postgres("the joining story", joining_story).await;
}

#[tokio::test]
async fn a_joint_dossier_stands_until_withdrawn_or_replaced() {
    joint_life_story(TestApp::spawn().await).await;
}

#[tokio::test]
async fn a_joint_dossier_stands_until_withdrawn_or_replaced_on_postgres() {
    on_postgres("the joint dossier's life", joint_life_story).await;
}

#[tokio::test]
async fn bad_input_on_every_write_path_is_refused_by_name() {
    bad_input_story(TestApp::spawn().await).await;
}

#[tokio::test]
async fn bad_input_on_every_write_path_is_refused_by_name_on_postgres() {
    on_postgres("the bad input story", bad_input_story).await;
}

#[tokio::test]
async fn a_workspace_holds_uniquely_named_documents_up_to_its_cap() {
    documents_story(TestApp::spawn().await).await;
}

#[tokio::test]
async fn a_workspace_holds_uniquely_named_documents_up_to_its_cap_on_postgres() {
    on_postgres("the documents story", documents_story).await;
}

async fn pages_story(app: TestApp) {
    use crate::api_client::body_of;
    use crate::helpers::{page, post_form};
    let cluster = app.cluster_id;
    let sme = app.signed_in(SME).await;
    let lab = app.signed_in(LAB).await;
    let before = count(&app, "opportunities").await;

    // A blank first row, a bad capability in the second, a headcount typed in words: the errors
    // name the rows as typed, the words stay.
    let refused = post_form(
        &sme,
        &app,
        &format!("/clusters/{cluster}/opportunities"),
        &[
            ("title", "Bancs"),
            ("buyer", "Région"),
            ("deadline", "2031-01-09T12:00"),
            ("lots[1].capabilities", "teleportation"),
            ("lots[2].capabilities", "testing"),
            ("lots[2].min_headcount", "douze"),
        ],
    )
    .await;
    let html = body_of(refused, 422).await;
    assert!(html.contains("href=\"#lots[1].capabilities\""), "{html}");
    assert!(html.contains("href=\"#lots[2].min_headcount\""), "{html}");
    assert!(html.contains("value=\"douze\""), "the typed headcount is kept");
    assert_eq!(count(&app, "opportunities").await, before);

    // Four lots: the edit form shows the four and one blank row, and saving keeps the four.
    let four: Vec<Value> = [
        "testing",
        "machining-5-axis",
        "non-destructive-testing",
        "testing",
    ]
    .iter()
    .enumerate()
    .map(|(i, c)| json!({"name": format!("Lot {}", i + 1), "capabilities": [c]}))
    .collect();
    let api = Caller::person(&app, SME).await;
    let id = json_of(
        api.post(
            &format!("/api/v1/clusters/{cluster}/opportunities"),
            &json!({"title": "Quatre lots", "buyer": "Région", "deadline": "2031-01-09T12:00", "lots": four}),
        )
        .await,
        201,
    )
    .await["id"]
        .as_i64()
        .unwrap();
    let form = page(&sme.client, &app, &format!("/opportunities/{id}/edit")).await;
    assert!(form.contains("name=\"lots[3].name\" value=\"Lot 4\""), "{form}");
    assert!(
        form.contains("name=\"lots[4].name\" value=\"\""),
        "a blank row to add one"
    );
    let mut fields = vec![
        ("title", "Quatre lots"),
        ("buyer", "Région"),
        ("deadline", "2031-01-09T12:00"),
    ];
    let names: Vec<String> = (0..4).map(|i| format!("lots[{i}].capabilities")).collect();
    for name in &names {
        fields.push((name.as_str(), "testing"));
    }
    let saved = post_form(&sme, &app, &format!("/opportunities/{id}"), &fields).await;
    assert_eq!(saved.status(), 303);
    let read = json_of(api.get(&format!("/api/v1/opportunities/{id}")).await, 200).await;
    assert_eq!(read["lots"].as_array().unwrap().len(), 4);

    // Forming refused: the name typed and the organisations chosen stay, the error points at the list.
    let lab_id = app.organisation_id(DEMO_LAB).await.to_string();
    let refused = post_form(
        &sme,
        &app,
        &format!("/opportunities/{id}/consortia"),
        &[
            ("name", "Groupement gardé"),
            ("members", &lab_id),
            ("members", "999999"),
            ("k", "3"),
        ],
    )
    .await;
    let html = body_of(refused, 422).await;
    assert!(html.contains("href=\"#members\""), "{html}");
    assert!(html.contains("value=\"Groupement gardé\""), "{html}");
    assert!(
        html.contains(&format!("<option value=\"{lab_id}\" selected>")),
        "{html}"
    );
    assert!(html.contains("<option value=\"3\" selected>"), "k kept");

    // Answers are yes or no; a second answer is refused beside the form.
    let formed = post_form(
        &sme,
        &app,
        &format!("/opportunities/{id}/consortia"),
        &[("members", &lab_id)],
    )
    .await;
    let workspace = crate::api_client::location(&formed)
        .split('?')
        .next()
        .unwrap()
        .to_owned();
    let answer = format!("{workspace}/answer");
    let html = body_of(
        post_form(&lab, &app, &answer, &[("accept", "peut-être")]).await,
        422,
    )
    .await;
    assert!(html.contains("href=\"#accept\""), "{html}");
    assert!(
        page(&lab.client, &app, &workspace)
            .await
            .contains("id=\"decline\""),
        "still pending"
    );
    assert_eq!(
        post_form(&lab, &app, &answer, &[("accept", "yes")])
            .await
            .status(),
        303
    );
    let html = body_of(post_form(&lab, &app, &answer, &[("accept", "no")]).await, 409).await;
    assert!(
        html.contains("href=\"#membership\"") && html.contains("id=\"membership\""),
        "{html}"
    );

    // The member (not the lead) reads no invitation list; the workspace shows each row once.
    let html = page(&lab.client, &app, &workspace).await;
    assert!(!html.contains("invite-form"));
}

#[tokio::test]
async fn the_pages_keep_what_was_typed_and_point_at_each_error() {
    pages_story(TestApp::spawn().await).await;
}

#[tokio::test]
async fn the_pages_keep_what_was_typed_and_point_at_each_error_on_postgres() {
    on_postgres("the consortia pages' guards", pages_story).await;
}
