//! The purchasing committee's pages as people use them: the buyer writes a call with the form
//! (a bad one comes back with errors beside its fields and nothing stored) and publishes it;
//! visitors see public calls; the SME keeps a draft and submits it; a late submission shows the
//! closing time and keeps the draft; the submissions stay sealed (404) until the call closes, and
//! another organisation never sees the SME's dossier.

use crate::api_client::location;
use crate::committee_fixture::{BUYER, LAB, ORG_ADMIN, close_now, paris_in};
use crate::helpers::{SignedIn, TestApp, client, page};
use crate::multipart::with_multipart;
use jiff::SignedDuration;
use reqwest::Response;

/// The call form as a buyer fills it in, with one field replaced.
fn call_form(title: &str, csrf: &str, replace: (&str, &str)) -> Vec<(String, String)> {
    let opens = paris_in(SignedDuration::from_hours(-1));
    let closes = paris_in(SignedDuration::from_hours(48));
    let fields = [
        ("csrf_token", csrf),
        ("title", title),
        (
            "description",
            "Pièces de structure en titane, séries de 50 à 500.",
        ),
        ("category", "goods"),
        ("lots[0].name", "Usinage"),
        ("lots[0].description", ""),
        ("lots[1].name", ""),
        ("criteria[0].name", "Prix"),
        ("criteria[0].weight", "3"),
        ("criteria[0].scale_max", "10"),
        ("criteria[1].name", "Qualité"),
        ("criteria[1].weight", "2"),
        ("criteria[1].scale_max", "10"),
        ("opens_at", opens.as_str()),
        ("closes_at", closes.as_str()),
        ("visibility", "public"),
    ];
    fields
        .iter()
        .map(|(k, v)| {
            let v = if *k == replace.0 { replace.1 } else { v };
            (k.to_string(), v.to_string())
        })
        .collect()
}

async fn post(who: &SignedIn, app: &TestApp, path: &str, form: &[(String, String)]) -> Response {
    who.client.post(app.url(path)).form(form).send().await.unwrap()
}

async fn post_empty(who: &SignedIn, app: &TestApp, path: &str) -> Response {
    let form = vec![("csrf_token".to_owned(), who.csrf.clone())];
    post(who, app, path, &form).await
}

/// Creates a call through the form and publishes it; returns its id.
async fn published_call(app: &TestApp, buyer: &SignedIn, title: &str) -> i64 {
    let response = post(buyer, app, "/calls", &call_form(title, &buyer.csrf, ("", ""))).await;
    assert_eq!(response.status(), 303, "a good call form is accepted");
    let id: i64 = location(&response)
        .strip_prefix("/calls/")
        .and_then(|id| id.parse().ok())
        .expect("redirected to the new call");
    let response = post_empty(buyer, app, &format!("/calls/{id}/publish")).await;
    assert_eq!(response.status(), 303, "publishing redirects to the call");
    id
}

#[tokio::test]
async fn pages_render_per_role() {
    let app = TestApp::spawn().await;
    let buyer = app.signed_in(BUYER).await;
    let form = page(&buyer.client, &app, "/calls/new").await;
    assert!(
        form.contains("name=\"criteria[0].weight\""),
        "the form has criteria rows"
    );
    assert!(form.contains("type=\"datetime-local\""));

    let response = post(
        &buyer,
        &app,
        "/calls",
        &call_form("Appel titane", &buyer.csrf, ("", "")),
    )
    .await;
    let id: i64 = location(&response)
        .strip_prefix("/calls/")
        .unwrap()
        .parse()
        .unwrap();
    let draft = page(&buyer.client, &app, &format!("/calls/{id}")).await;
    assert!(
        draft.contains("id=\"publish\""),
        "the buyer sees the publish button"
    );
    let visitor = client();
    let listed = page(&visitor, &app, "/calls").await;
    assert!(!listed.contains("Appel titane"), "a draft is the buyer's alone");
    let response = post_empty(&buyer, &app, &format!("/calls/{id}/publish")).await;
    assert_eq!(response.status(), 303);

    let listed = page(&visitor, &app, "/calls").await;
    assert!(listed.contains("Appel titane"), "visitors see public calls");
    assert!(
        listed.contains("href=\"/calls\""),
        "the navigation offers the calls"
    );
    let seen = page(&visitor, &app, &format!("/calls/{id}")).await;
    assert!(!seen.contains("id=\"dossier-link\"") && !seen.contains("id=\"buyer-controls\""));

    let sme = app.signed_in(ORG_ADMIN).await;
    let seen = page(&sme.client, &app, &format!("/calls/{id}")).await;
    assert!(
        seen.contains("id=\"dossier-link\""),
        "the SME sees its dossier link"
    );
    assert!(!seen.contains("id=\"buyer-controls\""));
    let managed = page(&buyer.client, &app, &format!("/calls/{id}")).await;
    assert!(
        managed.contains("id=\"submitted-count\""),
        "the buyer sees the count of dossiers"
    );
    assert!(
        !managed.contains("id=\"publish\""),
        "a published call is not published twice"
    );
    let dossier = page(&sme.client, &app, &format!("/calls/{id}/dossier")).await;
    assert!(dossier.contains("name=\"answer\"") && dossier.contains("name=\"csrf_token\""));

    // Q&A: an empty question is refused; a real one is answered once, for everyone.
    let ask = |text: &str| {
        vec![
            ("csrf_token".to_owned(), sme.csrf.clone()),
            ("question".to_owned(), text.to_owned()),
        ]
    };
    let response = post(&sme, &app, &format!("/calls/{id}/questions"), &ask("  ")).await;
    assert_eq!(response.status(), 422, "an empty question is refused");
    let response = post(
        &sme,
        &app,
        &format!("/calls/{id}/questions"),
        &ask("Quelle nuance de titane ?"),
    )
    .await;
    assert_eq!(response.status(), 303);
    let managed = page(&buyer.client, &app, &format!("/calls/{id}")).await;
    let qid: i64 = managed
        .split(&format!("/calls/{id}/questions/"))
        .nth(1)
        .and_then(|rest| rest.split('/').next()?.parse().ok())
        .expect("the buyer has an answer form");
    let before = page(&visitor, &app, &format!("/calls/{id}")).await;
    assert!(
        !before.contains("Quelle nuance"),
        "unanswered questions stay with the buyer"
    );
    let answer = vec![
        ("csrf_token".to_owned(), buyer.csrf.clone()),
        ("answer".to_owned(), "Ti6Al4V grade 5.".to_owned()),
    ];
    let path = format!("/calls/{id}/questions/{qid}/answer");
    let response = post(
        &sme,
        &app,
        &path,
        &[
            ("csrf_token".to_owned(), sme.csrf.clone()),
            ("answer".to_owned(), "moi".to_owned()),
        ],
    )
    .await;
    assert_ne!(response.status(), 303, "a candidate does not answer");
    let response = post(&buyer, &app, &path, &answer).await;
    assert_eq!(response.status(), 303);
    let after = page(&visitor, &app, &format!("/calls/{id}")).await;
    assert!(after.contains("Quelle nuance de titane ?") && after.contains("Ti6Al4V grade 5."));
}

#[tokio::test]
async fn a_bad_call_form_is_refused_with_field_errors_and_nothing_stored() {
    let app = TestApp::spawn().await;
    let buyer = app.signed_in(BUYER).await;
    let count = || async {
        let mut conn = app.db.store.conn().await.unwrap();
        store::committee::calls::of_cluster(&mut conn, app.cluster_id)
            .await
            .unwrap()
            .len()
    };
    let before = count().await;
    for (field, value, error) in [
        ("criteria[0].weight", "trois", "criteria[0].weight-error"),
        ("closes_at", "2027-03-28T02:30", "closes_at-error"),
        ("title", "", "title-error"),
    ] {
        let form = call_form("Appel refusé", &buyer.csrf, (field, value));
        let response = post(&buyer, &app, "/calls", &form).await;
        assert_eq!(response.status(), 422, "{field} = {value:?} is refused");
        let html = response.text().await.unwrap();
        assert!(
            html.contains(&format!("id=\"{error}\"")),
            "the error sits beside {field}"
        );
        assert!(
            html.contains("Pièces de structure en titane"),
            "what was typed stays"
        );
    }
    assert_eq!(count().await, before, "nothing stored");

    let visitor = client();
    let response = visitor.get(app.url("/calls/new")).send().await.unwrap();
    assert_ne!(response.status(), 200, "visitors get no call form");

    // Cancelling needs a reason, which the call then shows.
    let id = published_call(&app, &buyer, "Appel annulé").await;
    let reason = |text: &str| {
        vec![
            ("csrf_token".to_owned(), buyer.csrf.clone()),
            ("reason".to_owned(), text.to_owned()),
        ]
    };
    let response = post(&buyer, &app, &format!("/calls/{id}/cancel"), &reason("")).await;
    assert_eq!(response.status(), 422, "no cancellation without a reason");
    let response = post(
        &buyer,
        &app,
        &format!("/calls/{id}/cancel"),
        &reason("Besoin reporté à 2028"),
    )
    .await;
    assert_eq!(response.status(), 303);
    let shown = page(&buyer.client, &app, &format!("/calls/{id}")).await;
    assert!(shown.contains("Besoin reporté à 2028") && shown.contains("Annulé"));
    assert!(
        !shown.contains(
            "action=\"/calls/{id}/cancel\""
                .replace("{id}", &id.to_string())
                .as_str()
        )
    );
}

#[tokio::test]
async fn late_submission_keeps_the_draft_and_dossiers_stay_sealed_until_closing() {
    let app = TestApp::spawn().await;
    let buyer = app.signed_in(BUYER).await;
    let id = published_call(&app, &buyer, "Appel scellé").await;
    let sme = app.signed_in(ORG_ADMIN).await;
    let dossier = format!("/calls/{id}/dossier");
    let draft = |text: &str| {
        vec![
            ("csrf_token".to_owned(), sme.csrf.clone()),
            ("answer".to_owned(), text.to_owned()),
            ("lots".to_owned(), "1".to_owned()),
        ]
    };
    let response = post(&sme, &app, &dossier, &draft("Première réponse Ti6Al4V")).await;
    assert_eq!(response.status(), 303, "the draft is saved");
    let response = post(
        &sme,
        &app,
        &dossier,
        &draft("x")
            .into_iter()
            .chain([("lots".to_owned(), "9".to_owned())])
            .collect::<Vec<_>>(),
    )
    .await;
    assert_eq!(response.status(), 422, "a lot the call lacks is refused");
    let upload = |bytes: &[u8], csrf: &str| {
        with_multipart(
            sme.client.post(app.url(&format!("{dossier}/attachments"))),
            &[("csrf_token", csrf)],
            Some(("../offre.pdf", bytes)),
        )
    };
    let response = upload(b"%PDF-1.7\noffre\n%%EOF\n", &sme.csrf)
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 303, "a PDF is added to the draft");
    let response = upload(b"not a known kind of file", &sme.csrf)
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 422, "an unrecognised file is refused");
    let response = upload(b"%PDF-1.7\nautre\n%%EOF\n", "wrong-token")
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 403, "the form token is checked on uploads too");
    let html = page(&sme.client, &app, &dossier).await;
    assert_eq!(
        html.matches(">offre.pdf</a>").count(),
        1,
        "one file kept, its name cleaned"
    );
    let response = post_empty(&sme, &app, &format!("{dossier}/submit")).await;
    assert_eq!(response.status(), 303, "submitted before closing");
    let response = post(&sme, &app, &dossier, &draft("Brouillon tardif")).await;
    assert_eq!(response.status(), 303);

    let sealed = buyer
        .client
        .get(app.url(&format!("/calls/{id}/dossiers")))
        .send()
        .await
        .unwrap();
    assert_eq!(sealed.status(), 404, "sealed until closing, even for the buyer");
    let lab = app.signed_in(LAB).await;
    let other = lab.client.get(app.url(&dossier)).send().await.unwrap();
    let other = other.text().await.unwrap();
    assert!(
        !other.contains("Ti6Al4V") && !other.contains("Brouillon tardif"),
        "another organisation never reads it"
    );

    close_now(&app, id).await;
    let late = post_empty(&sme, &app, &format!("{dossier}/submit")).await;
    assert_eq!(late.status(), 409, "a late submission is refused");
    let html = late.text().await.unwrap();
    assert!(
        html.contains("submissions are no longer accepted"),
        "with a clear message"
    );
    assert!(html.contains("Brouillon tardif"), "and the draft stays");

    let managed = page(&buyer.client, &app, &format!("/calls/{id}")).await;
    assert!(managed.contains("id=\"submissions-link\""));
    let opened = page(&buyer.client, &app, &format!("/calls/{id}/dossiers")).await;
    assert!(
        opened.contains("Première réponse Ti6Al4V"),
        "the submitted version, not the late draft"
    );
    assert!(!opened.contains("Brouillon tardif"));
    let refused = sme
        .client
        .get(app.url(&format!("/calls/{id}/dossiers")))
        .send()
        .await
        .unwrap();
    assert_eq!(refused.status(), 404, "candidates never read the submissions");
}
