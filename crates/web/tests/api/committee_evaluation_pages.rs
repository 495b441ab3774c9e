//! The evaluation pages as people use them: the buyer names an evaluator (the ranking stays
//! sealed, with the closing time, until the call closes), the evaluator declares no conflict and
//! marks, the buyer reads the ranking, shortlists, decides, confirms publication and later
//! corrects; the candidate sees nothing before publication, then the decision in force and the one
//! it corrected. Each role reaches only its own pages; every form refuses bad input beside the
//! field, with nothing stored.

use crate::api_client::{Caller, body_of, location};
use crate::committee_fixture::{
    ADMIN, BUYER, EVALUATOR, LAB, MEMBER, ORG_ADMIN as SME, close_now, person_id, published_call, submit,
};
use crate::helpers::{TestApp, client, on_postgres, page, post_form};
use store::committee::evaluation as stored;

async fn status_of(who: &reqwest::Client, app: &TestApp, path: &str) -> u16 {
    who.get(app.url(path)).send().await.unwrap().status().as_u16()
}

/// A published call (criteria: price ×3, quality ×2, out of 10) with the SME's dossier submitted.
async fn call_with_dossier(app: &TestApp, title: &str) -> (i64, i64) {
    let buyer = Caller::person(app, BUYER).await;
    let call = published_call(app, &buyer, title, "members").await;
    let sme = Caller::person(app, SME).await;
    let dossier = submit(&sme, call, "Nous usinons le titane.").await;
    (call, dossier)
}

async fn stored_marks(app: &TestApp, call: i64) -> Vec<stored::Mark> {
    stored::marks(&mut app.db.store.conn().await.unwrap(), call)
        .await
        .unwrap()
}

async fn stored_decisions(app: &TestApp, dossier: i64) -> Vec<stored::Decision> {
    stored::decisions(&mut app.db.store.conn().await.unwrap(), dossier)
        .await
        .unwrap()
}

async fn the_loop_through_the_pages(app: TestApp) {
    let (call, dossier) = call_with_dossier(&app, "Appel évaluation pages").await;
    let buyer = app.signed_in(BUYER).await;
    let evaluator = app.signed_in(EVALUATOR).await;
    let sme = app.signed_in(SME).await;
    let board_path = format!("/calls/{call}/evaluation");

    // Before closing: evaluators may be named; the rest is sealed, with the closing time.
    let board = page(&buyer.client, &app, &board_path).await;
    assert!(board.contains("id=\"sealed-notice\""), "{board}");
    assert!(!board.contains("id=\"ranking-table\"") && !board.contains("id=\"decisions\""));
    let evaluator_id = person_id(&app, EVALUATOR).await.to_string();
    let response = post_form(
        &buyer,
        &app,
        &format!("/calls/{call}/evaluation/evaluators"),
        &[("person_ids", &evaluator_id)],
    )
    .await;
    assert_eq!(response.status(), 303);
    assert_eq!(location(&response), format!("{board_path}?notice=evaluators"));
    let board = page(&buyer.client, &app, &location(&response)).await;
    assert!(board.contains(&format!("value=\"{evaluator_id}\" checked")));
    let sealed = body_of(
        evaluator
            .client
            .get(app.url(&format!("/calls/{call}/marking")))
            .send()
            .await
            .unwrap(),
        409,
    )
    .await;
    assert!(sealed.contains("sealed until the call closes"), "{sealed}");
    let response = post_form(
        &buyer,
        &app,
        &format!("/calls/{call}/evaluation/dossiers/{dossier}/decision"),
        &[("outcome", "listed"), ("feedback", "Trop tôt")],
    )
    .await;
    assert_eq!(response.status(), 409, "no decision before closing");
    assert!(stored_decisions(&app, dossier).await.is_empty());

    // After closing: the evaluator finds the dossier, declares no conflict and marks it.
    close_now(&app, call).await;
    let desk = page(&evaluator.client, &app, &format!("/calls/{call}/marking")).await;
    assert!(
        desk.contains(&format!("href=\"/calls/{call}/marking/{dossier}\"")),
        "{desk}"
    );
    let sheet_path = format!("/calls/{call}/marking/{dossier}");
    let sheet = page(&evaluator.client, &app, &sheet_path).await;
    assert!(
        sheet.contains("Nous usinons le titane."),
        "the dossier is shown read-only"
    );
    assert!(sheet.contains("name=\"mark_1\"") && sheet.contains("max=\"10\""));
    let response = post_form(
        &evaluator,
        &app,
        &format!("{sheet_path}/conflict"),
        &[("conflict", "none"), ("note", "")],
    )
    .await;
    assert_eq!(location(&response), format!("{sheet_path}?notice=no_conflict"));
    let response = post_form(
        &evaluator,
        &app,
        &format!("{sheet_path}/marks"),
        &[
            ("mark_1", "8"),
            ("comment_1", "Prix argumenté"),
            ("mark_2", "6"),
            ("comment_2", "Plan qualité"),
        ],
    )
    .await;
    assert_eq!(location(&response), format!("{sheet_path}?notice=marked"));
    let sheet = page(&evaluator.client, &app, &location(&response)).await;
    assert!(
        sheet.contains("value=\"8\"") && sheet.contains("Plan qualité"),
        "{sheet}"
    );

    // The buyer reads the ranking: (3×8 + 2×6) / (5×10) = 72 / 100.
    let board = page(&buyer.client, &app, &board_path).await;
    assert!(board.contains("id=\"ranking-table\"") && !board.contains("id=\"sealed-notice\""));
    assert!(board.contains("<td class=\"total\">72</td>"), "{board}");
    assert!(board.contains(&format!("href=\"/calls/{call}/ranking.xlsx\"")));
    let xlsx = buyer
        .client
        .get(app.url(&format!("/calls/{call}/ranking.xlsx")))
        .send()
        .await
        .unwrap();
    assert_eq!(xlsx.status(), 200, "the board's XLSX link leads to the ranking");
    let response = post_form(
        &buyer,
        &app,
        &format!("/calls/{call}/evaluation/shortlist"),
        &[("dossier_ids", &dossier.to_string())],
    )
    .await;
    assert_eq!(response.status(), 303);
    let board = page(&buyer.client, &app, &board_path).await;
    assert!(board.contains(&format!("name=\"dossier_ids\" value=\"{dossier}\" checked")));

    // A decision, revised before publication: the candidate sees none of it.
    let decide = format!("/calls/{call}/evaluation/dossiers/{dossier}/decision");
    for (outcome, feedback) in [("not_retained", "Brouillon"), ("listed", "Offre solide")] {
        let response = post_form(
            &buyer,
            &app,
            &decide,
            &[("outcome", outcome), ("feedback", feedback)],
        )
        .await;
        assert_eq!(location(&response), format!("{board_path}?notice=decided"));
    }
    assert_eq!(stored_decisions(&app, dossier).await.len(), 1, "revised in place");
    let mine = page(&sme.client, &app, &format!("/calls/{call}/dossier/decision")).await;
    assert!(mine.contains("id=\"no-decision\"") && !mine.contains("Offre solide"));

    // Publication goes through a confirmation page.
    let confirm = page(&buyer.client, &app, &format!("{board_path}/publish")).await;
    assert!(confirm.contains("id=\"confirm-publish\"") && confirm.contains("Offre solide"));
    let response = post_form(&buyer, &app, &format!("{board_path}/publish"), &[]).await;
    assert_eq!(location(&response), format!("{board_path}?notice=published"));
    assert!(
        app.mails().iter().any(|m| m.contains("Offre solide")),
        "the candidate is told by e-mail"
    );
    let again = body_of(
        post_form(&buyer, &app, &format!("{board_path}/publish"), &[]).await,
        409,
    )
    .await;
    assert!(
        again.contains("no decision is waiting to be published"),
        "{again}"
    );
    let mine = page(&sme.client, &app, &format!("/calls/{call}/dossier/decision")).await;
    assert!(
        mine.contains("class=\"outcome-listed\"") && mine.contains("Offre solide"),
        "{mine}"
    );
    let sheet = page(&evaluator.client, &app, &sheet_path).await;
    assert!(
        sheet.contains("id=\"sheet-closed\"") && !sheet.contains("id=\"save-marks\""),
        "marks are final once decisions are out"
    );
    let colleague = app.signed_in(MEMBER).await;
    let theirs = page(
        &colleague.client,
        &app,
        &format!("/calls/{call}/dossier/decision"),
    )
    .await;
    assert!(theirs.contains("Offre solide"), "the SME's members read it too");

    // Published is final: a plain revision is refused; a correction is a new linked decision.
    let refused = body_of(
        post_form(
            &buyer,
            &app,
            &decide,
            &[("outcome", "not_retained"), ("feedback", "Non")],
        )
        .await,
        409,
    )
    .await;
    assert!(refused.contains("is published and final"), "{refused}");
    let published = stored_decisions(&app, dossier).await;
    assert_eq!(published.len(), 1);
    let board = page(&buyer.client, &app, &board_path).await;
    let corrects = published[0].id.to_string();
    assert!(
        board.contains(&format!("name=\"corrects\" value=\"{corrects}\"")),
        "{board}"
    );
    let response = post_form(
        &buyer,
        &app,
        &decide,
        &[
            ("outcome", "not_retained"),
            ("feedback", "Capacité insuffisante"),
            ("corrects", &corrects),
        ],
    )
    .await;
    assert_eq!(response.status(), 303);
    let mine = page(&sme.client, &app, &format!("/calls/{call}/dossier/decision")).await;
    assert!(
        !mine.contains("Capacité insuffisante"),
        "a correction shows once published"
    );
    let response = post_form(&buyer, &app, &format!("{board_path}/publish"), &[]).await;
    assert_eq!(response.status(), 303);
    let mine = page(&sme.client, &app, &format!("/calls/{call}/dossier/decision")).await;
    assert!(mine.contains("class=\"outcome-not_retained\""), "{mine}");
    assert!(mine.contains("id=\"corrected-decisions\"") && mine.contains("Offre solide"));
    let history = stored_decisions(&app, dossier).await;
    assert_eq!(history.len(), 2);
    assert_eq!(history[1].corrects, Some(published[0].id));
}

#[tokio::test]
async fn the_evaluation_loop_works_through_the_pages() {
    the_loop_through_the_pages(TestApp::spawn().await).await;
    on_postgres(
        "the_evaluation_loop_works_through_the_pages",
        the_loop_through_the_pages,
    )
    .await;
}

#[tokio::test]
async fn each_role_reaches_only_its_evaluation_pages() {
    let app = TestApp::spawn().await;
    let (call, dossier) = call_with_dossier(&app, "Appel rôles").await;
    let board = format!("/calls/{call}/evaluation");
    let desk = format!("/calls/{call}/marking");
    let sheet = format!("/calls/{call}/marking/{dossier}");
    let decision = format!("/calls/{call}/dossier/decision");
    close_now(&app, call).await;

    // A visitor is sent to sign in.
    let visitor = client();
    for path in [&board, &desk, &sheet, &decision, &format!("{board}/publish")] {
        let response = visitor.get(app.url(path)).send().await.unwrap();
        assert_eq!(response.status(), 303, "{path}");
        assert!(location(&response).starts_with("/login?next="), "{path}");
    }
    // Another organisation finds none of it; the candidate only its decision page.
    let lab = app.signed_in(LAB).await;
    for path in [&board, &desk, &sheet, &decision] {
        assert_eq!(status_of(&lab.client, &app, path).await, 404, "lab: {path}");
    }
    let sme = app.signed_in(SME).await;
    for path in [&board, &desk, &sheet] {
        assert_eq!(status_of(&sme.client, &app, path).await, 404, "candidate: {path}");
    }
    assert_eq!(status_of(&sme.client, &app, &decision).await, 200);
    // An evaluator not named reaches nothing; named, the desk but never the buyer's board.
    let evaluator = app.signed_in(EVALUATOR).await;
    for path in [&board, &desk, &sheet, &decision] {
        assert_eq!(
            status_of(&evaluator.client, &app, path).await,
            404,
            "not named: {path}"
        );
    }
    let buyer = app.signed_in(BUYER).await;
    let evaluator_id = person_id(&app, EVALUATOR).await.to_string();
    let response = post_form(
        &buyer,
        &app,
        &format!("{board}/evaluators"),
        &[("person_ids", &evaluator_id)],
    )
    .await;
    assert_eq!(response.status(), 303);
    // Named, the evaluator is told by e-mail and finds the desk from the calls page.
    let mails = app.mails();
    assert!(
        mails
            .iter()
            .any(|m| m.contains(EVALUATOR) && m.contains("named an evaluator")),
        "the evaluator is e-mailed: {mails:?}"
    );
    let calls = page(&evaluator.client, &app, "/calls").await;
    assert!(calls.contains(&format!("href=\"{desk}\"")), "{calls}");
    assert!(
        !page(&lab.client, &app, "/calls")
            .await
            .contains("id=\"to-evaluate\"")
    );
    assert_eq!(status_of(&evaluator.client, &app, &desk).await, 200);
    assert_eq!(status_of(&evaluator.client, &app, &sheet).await, 200);
    assert_eq!(status_of(&evaluator.client, &app, &board).await, 404);
    assert_eq!(
        status_of(&evaluator.client, &app, &format!("{board}/publish")).await,
        404
    );
    let response = post_form(&evaluator, &app, &format!("{board}/publish"), &[]).await;
    assert_eq!(response.status(), 404, "an evaluator publishes nothing");
    // The buyer, not named, has the board but no marking desk; the board links it once named.
    let page_html = page(&buyer.client, &app, &board).await;
    assert!(!page_html.contains("id=\"marking-link\""));
    assert_eq!(status_of(&buyer.client, &app, &desk).await, 404);
    // The cluster's staff is on the buyer side of its calls (policy `ManageCall`), not an evaluator.
    let admin = app.signed_in(ADMIN).await;
    assert_eq!(status_of(&admin.client, &app, &board).await, 200);
    assert_eq!(status_of(&admin.client, &app, &desk).await, 404);
    assert_eq!(status_of(&admin.client, &app, &decision).await, 404);
}

#[tokio::test]
async fn bad_input_on_every_evaluation_form_is_refused_and_nothing_is_stored() {
    let app = TestApp::spawn().await;
    let (call, dossier) = call_with_dossier(&app, "Appel mauvaises saisies").await;
    let buyer = app.signed_in(BUYER).await;
    let evaluator = app.signed_in(EVALUATOR).await;
    let board = format!("/calls/{call}/evaluation");
    let sheet = format!("/calls/{call}/marking/{dossier}");

    // Evaluators: someone outside the buying organisation, or not an id.
    let outsider = person_id(&app, SME).await.to_string();
    let refused = body_of(
        post_form(
            &buyer,
            &app,
            &format!("{board}/evaluators"),
            &[("person_ids", &outsider)],
        )
        .await,
        422,
    )
    .await;
    assert!(
        refused.contains("is not a person of the buying organisation"),
        "{refused}"
    );
    let refused = post_form(
        &buyer,
        &app,
        &format!("{board}/evaluators"),
        &[("person_ids", "moi")],
    )
    .await;
    assert_eq!(refused.status(), 422);
    let named = stored::evaluators(&mut app.db.store.conn().await.unwrap(), call)
        .await
        .unwrap();
    assert!(named.is_empty(), "nobody was named");
    let evaluator_id = person_id(&app, EVALUATOR).await.to_string();
    let buyer_id = person_id(&app, BUYER).await.to_string();
    let response = post_form(
        &buyer,
        &app,
        &format!("{board}/evaluators"),
        &[("person_ids", &evaluator_id), ("person_ids", &buyer_id)],
    )
    .await;
    assert_eq!(response.status(), 303);
    close_now(&app, call).await;
    let board_html = page(&buyer.client, &app, &board).await;
    assert!(
        board_html.contains("id=\"marking-link\""),
        "a named buyer is offered the desk"
    );

    // Marks: out of scale, not a number, a comment without a mark, a comment too long.
    for (fields, field, message) in [
        (vec![("mark_1", "11"), ("comment_1", "Trop")], "mark_1", ""),
        (
            vec![("mark_1", "huit"), ("comment_1", "")],
            "mark_1",
            "nombre entier",
        ),
        (
            vec![("mark_1", ""), ("comment_1", "Sans note")],
            "mark_1",
            "donnez une note",
        ),
        (vec![("mark_1", "-1"), ("mark_2", "5")], "mark_1", ""),
        (vec![("mark_1", "5"), ("comment_1", " ")], "comment_1", "comment"),
    ] {
        let refused = body_of(
            post_form(&evaluator, &app, &format!("{sheet}/marks"), &fields).await,
            422,
        )
        .await;
        assert!(
            refused.contains(&format!("id=\"{field}-error\"")),
            "{fields:?}: {refused}"
        );
        assert!(refused.contains(message), "{fields:?}: {refused}");
        assert!(refused.contains("id=\"error-summary\""));
    }
    let long = "x".repeat(4_001);
    let refused = body_of(
        post_form(
            &evaluator,
            &app,
            &format!("{sheet}/marks"),
            &[("mark_2", "5"), ("comment_2", &long)],
        )
        .await,
        422,
    )
    .await;
    assert!(refused.contains("id=\"comment_2-error\""), "{refused}");
    let refused = body_of(
        post_form(&evaluator, &app, &format!("{sheet}/marks"), &[("mark_1", "")]).await,
        422,
    )
    .await;
    assert!(refused.contains("give at least one mark"), "{refused}");
    // What was typed is shown again.
    let refused = body_of(
        post_form(
            &evaluator,
            &app,
            &format!("{sheet}/marks"),
            &[("mark_1", "11"), ("comment_1", "Gardé")],
        )
        .await,
        422,
    )
    .await;
    assert!(
        refused.contains("value=\"11\"") && refused.contains(">Gardé</textarea>"),
        "{refused}"
    );
    assert!(stored_marks(&app, call).await.is_empty(), "no mark was stored");

    // An unknown dossier, on every route that names one.
    let unknown = dossier + 1000;
    assert_eq!(
        status_of(
            &evaluator.client,
            &app,
            &format!("/calls/{call}/marking/{unknown}")
        )
        .await,
        404
    );
    let response = post_form(
        &evaluator,
        &app,
        &format!("/calls/{call}/marking/{unknown}/marks"),
        &[("mark_1", "5")],
    )
    .await;
    assert_eq!(response.status(), 404);
    let response = post_form(
        &evaluator,
        &app,
        &format!("/calls/{call}/marking/{unknown}/conflict"),
        &[("conflict", "none")],
    )
    .await;
    assert_eq!(response.status(), 404);
    let response = post_form(
        &buyer,
        &app,
        &format!("{board}/dossiers/{unknown}/decision"),
        &[("outcome", "listed")],
    )
    .await;
    assert_eq!(response.status(), 404);
    let refused = post_form(
        &buyer,
        &app,
        &format!("{board}/shortlist"),
        &[("dossier_ids", &unknown.to_string())],
    )
    .await;
    assert_eq!(refused.status(), 422);

    // Conflict: no choice made.
    let refused = body_of(
        post_form(
            &evaluator,
            &app,
            &format!("{sheet}/conflict"),
            &[("note", "hésitation")],
        )
        .await,
        422,
    )
    .await;
    assert!(refused.contains("id=\"conflict-error\"") && refused.contains(">hésitation</textarea>"));

    // Decisions: no outcome, an unknown one, a correction of nothing published.
    let decide = format!("{board}/dossiers/{dossier}/decision");
    for fields in [
        vec![("feedback", "Sans décision")],
        vec![("outcome", "peut-être"), ("feedback", "")],
        vec![("outcome", "listed"), ("corrects", "1")],
        vec![("outcome", "listed"), ("corrects", "un")],
    ] {
        let refused = body_of(post_form(&buyer, &app, &decide, &fields).await, 422).await;
        assert!(
            refused.contains(&format!("href=\"#decision-{dossier}\"")),
            "{fields:?}: {refused}"
        );
    }
    let refused = body_of(
        post_form(&buyer, &app, &decide, &[("feedback", "Gardé")]).await,
        422,
    )
    .await;
    assert!(
        refused.contains(&format!("id=\"outcome-{dossier}-error\"")),
        "{refused}"
    );
    assert!(
        refused.contains(">Gardé</textarea>"),
        "the feedback typed is kept"
    );
    assert!(
        stored_decisions(&app, dossier).await.is_empty(),
        "no decision was stored"
    );
    // Nothing to publish yet.
    let refused = body_of(
        post_form(&buyer, &app, &format!("{board}/publish"), &[]).await,
        409,
    )
    .await;
    assert!(refused.contains("no decision is waiting to be published"));
    let confirm = page(&buyer.client, &app, &format!("{board}/publish")).await;
    assert!(confirm.contains("id=\"nothing-pending\"") && !confirm.contains("id=\"confirm-publish\""));

    // A declared conflict is final, and its evaluator marks nothing.
    let response = post_form(
        &evaluator,
        &app,
        &format!("{sheet}/conflict"),
        &[("conflict", "declared"), ("note", "Ancien employeur")],
    )
    .await;
    assert_eq!(response.status(), 303);
    let sheet_html = page(&evaluator.client, &app, &sheet).await;
    assert!(sheet_html.contains("id=\"conflict-declared\"") && !sheet_html.contains("id=\"save-marks\""));
    let refused = post_form(
        &evaluator,
        &app,
        &format!("{sheet}/marks"),
        &[("mark_1", "5"), ("comment_1", "Correct")],
    )
    .await;
    assert_eq!(refused.status(), 409);
    let refused = post_form(
        &evaluator,
        &app,
        &format!("{sheet}/conflict"),
        &[("conflict", "none")],
    )
    .await;
    assert_eq!(refused.status(), 409);
    assert!(stored_marks(&app, call).await.is_empty());
}

#[tokio::test]
async fn two_evaluators_saving_their_sheets_at_once_both_keep_them() {
    let app = TestApp::spawn().await;
    let (call, dossier) = call_with_dossier(&app, "Appel deux évaluateurs").await;
    let buyer = app.signed_in(BUYER).await;
    let evaluator = app.signed_in(EVALUATOR).await;
    let ids = [
        person_id(&app, EVALUATOR).await.to_string(),
        person_id(&app, BUYER).await.to_string(),
    ];
    let response = post_form(
        &buyer,
        &app,
        &format!("/calls/{call}/evaluation/evaluators"),
        &[("person_ids", &ids[0]), ("person_ids", &ids[1])],
    )
    .await;
    assert_eq!(response.status(), 303);
    close_now(&app, call).await;
    let marks = format!("/calls/{call}/marking/{dossier}/marks");
    let (first, second) = tokio::join!(
        post_form(
            &evaluator,
            &app,
            &marks,
            &[
                ("mark_1", "8"),
                ("comment_1", "Bon prix"),
                ("mark_2", "6"),
                ("comment_2", "Correct")
            ]
        ),
        post_form(
            &buyer,
            &app,
            &marks,
            &[
                ("mark_1", "4"),
                ("comment_1", "Cher"),
                ("mark_2", "10"),
                ("comment_2", "Excellent")
            ]
        ),
    );
    assert_eq!((first.status().as_u16(), second.status().as_u16()), (303, 303));
    let stored = stored_marks(&app, call).await;
    assert_eq!(stored.len(), 4, "both sheets are whole: {stored:?}");
    // Each reads back only their own sheet.
    let sheet = format!("/calls/{call}/marking/{dossier}");
    let theirs = page(&evaluator.client, &app, &sheet).await;
    assert!(
        theirs.contains("value=\"8\"") && !theirs.contains("value=\"4\""),
        "{theirs}"
    );
    let hers = page(&buyer.client, &app, &sheet).await;
    assert!(
        hers.contains("value=\"4\"") && !hers.contains("value=\"8\""),
        "{hers}"
    );
    // Means: evaluator (24+12)/50 = 72, buyer (12+20)/50 = 64 → 68.
    let board = page(&buyer.client, &app, &format!("/calls/{call}/evaluation")).await;
    assert!(board.contains("<td class=\"total\">68</td>"), "{board}");
}
