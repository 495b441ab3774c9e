//! Business meetings, the second part: suggested matches from the directory, "met before" in the
//! weights, guests registered from the organiser's screen, generation with a progress display,
//! and the outcome figures — each with its bad inputs and its refusals per role.

use crate::helpers::{TestApp, client, on_postgres};
use crate::meetings::{ADMIN, Api, BUYER, LAB, MEMBER, ORG_ADMIN, demo_event, event_with_participants};
use reqwest::header::{LOCATION, REFRESH};
use reqwest::{Client, StatusCode};
use serde_json::{Value, json};
use std::time::Duration;

const EVALUATOR: &str = "evaluateur@grandcompte-demo.fr";

/// Polls the generation status (as htmx does) until it is done; returns the last fragment.
/// Not a timing test: it waits as long as it must, up to a generous cap, and checks the outcome.
pub(crate) async fn generation_finished(app: &TestApp, client: &Client, event: i64) -> String {
    for _ in 0..1_200 {
        let response = client
            .get(app.url(&format!("/events/{event}/generation")))
            .header("hx-request", "true")
            .send()
            .await
            .unwrap();
        assert_eq!(response.status(), 200);
        let html = response.text().await.unwrap();
        assert!(
            !html.contains("data-phase=\"failed\""),
            "the generation failed: {html}"
        );
        if html.contains("data-phase=\"done\"") {
            return html;
        }
        assert!(
            html.contains("hx-trigger=\"every 500ms\""),
            "a running generation keeps polling: {html}"
        );
        tokio::time::sleep(Duration::from_millis(25)).await;
    }
    panic!("the generation of event {event} did not finish");
}

/// The participant id of a demo account in an event.
async fn participant_of(app: &TestApp, event: i64, email: &str) -> i64 {
    let mut conn = app.db.store.conn().await.unwrap();
    let person = store::people::by_email(&mut conn, email).await.unwrap().unwrap();
    store::meetings::participant_of_person(&mut conn, event, person.id)
        .await
        .unwrap()
        .expect("registered")
        .id
}

/// A request from `from` to `to` that `to` accepts; returns the request id.
async fn accepted(app: &TestApp, event: i64, from: &str, to: &str, to_participant: i64, extra: Value) -> i64 {
    let mut body = json!({"to": to_participant});
    body.as_object_mut()
        .unwrap()
        .extend(extra.as_object().unwrap().clone());
    let (status, sent) = Api::of(app, from)
        .await
        .post(&format!("/api/v1/events/{event}/requests"), body)
        .await;
    assert_eq!(status, StatusCode::CREATED, "{sent}");
    let id = sent["id"].as_i64().unwrap();
    let (status, _) = Api::of(app, to)
        .await
        .post_empty(&format!("/api/v1/events/{event}/requests/{id}/accept"))
        .await;
    assert_eq!(status, StatusCode::OK);
    id
}

async fn page(client: &Client, url: String) -> (StatusCode, String) {
    let response = client.get(url).send().await.unwrap();
    (response.status(), response.text().await.unwrap())
}

// ---- suggested matches ---------------------------------------------------------------------

#[tokio::test]
async fn the_buyer_is_suggested_the_titanium_sme_and_asks_it_in_one_click() {
    let app = TestApp::spawn().await;
    let event = demo_event(&app).await;
    let buyer = Api::of(&app, BUYER).await;
    let suggestions = format!("/api/v1/events/{event}/suggestions");
    let sme_head = participant_of(&app, event, ORG_ADMIN).await;

    let (status, list) = buyer.get(&suggestions).await;
    assert_eq!(status, StatusCode::OK, "{list}");
    let list = list.as_array().unwrap().clone();
    assert!(!list.is_empty());
    assert!(
        list.iter().any(|s| s["participant_id"] == sme_head),
        "the SME the buyer's needs describe: {list:?}"
    );
    let me = participant_of(&app, event, BUYER).await;
    let mine = store::meetings::requests_of(&mut app.db.store.conn().await.unwrap(), me)
        .await
        .unwrap();
    for s in &list {
        let id = s["participant_id"].as_i64().unwrap();
        assert_ne!(id, me);
        assert!(
            !mine
                .iter()
                .any(|r| r.from_participant == id || r.to_participant == id),
            "{s} was asked already"
        );
        assert!(s["score"].as_f64().unwrap() > 0.0 && s["name"].is_string() && s["why_html"].is_string());
    }
    let scores: Vec<f64> = list.iter().map(|s| s["score"].as_f64().unwrap()).collect();
    assert!(scores.windows(2).all(|w| w[0] >= w[1]), "best first: {scores:?}");
    let (_, one) = buyer.get(&format!("{suggestions}?limit=1")).await;
    assert_eq!(one.as_array().unwrap().len(), 1);

    // Bad input.
    for bad in ["0", "51"] {
        let (status, body) = buyer.get(&format!("{suggestions}?limit={bad}")).await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "limit={bad}: {body}");
        assert_eq!(body["errors"][0]["field"], "limit");
    }
    assert_eq!(
        buyer.get(&format!("{suggestions}?limit=beaucoup")).await.0,
        StatusCode::BAD_REQUEST
    );

    // Roles: unregistered people get nothing; those who may not see the event do not find it.
    for email in [ADMIN, LAB] {
        let (status, body) = Api::of(&app, email).await.get(&suggestions).await;
        assert_eq!((status, body), (StatusCode::OK, json!([])), "{email}");
    }
    let (status, _) = Api::of(&app, EVALUATOR).await.get(&suggestions).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    let response = client().get(app.url(&suggestions)).send().await.unwrap();
    assert_eq!(response.status(), StatusCode::UNAUTHORIZED);
    let (status, _) = buyer.get("/api/v1/events/999999/suggestions").await;
    assert_eq!(status, StatusCode::NOT_FOUND);

    // The event page shows them, each with a form that sends the request (htmx).
    let session = app.signed_in(BUYER).await;
    let (status, html) = page(&session.client, app.url(&format!("/events/{event}"))).await;
    assert_eq!(status, 200);
    assert!(html.contains("id=\"suggestions\""));
    assert!(
        html.contains(&format!("data-suggestion=\"{sme_head}\"")),
        "listed on the page"
    );
    assert!(html.contains("<mark>"), "the words that matched are shown");
    let response = session
        .client
        .post(app.url(&format!("/events/{event}/requests")))
        .header("hx-request", "true")
        .form(&[
            ("to", sme_head.to_string().as_str()),
            ("message", ""),
            ("csrf_token", &session.csrf),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 200);
    assert!(response.text().await.unwrap().contains("Laurent Fabre"));
    let (_, html) = page(&session.client, app.url(&format!("/events/{event}"))).await;
    assert!(
        !html.contains(&format!("data-suggestion=\"{sme_head}\"")),
        "asked: no longer suggested"
    );
    let (_, list) = buyer.get(&suggestions).await;
    assert!(
        !list
            .as_array()
            .unwrap()
            .iter()
            .any(|s| s["participant_id"] == sme_head)
    );
}

#[tokio::test]
async fn someone_who_seeks_nothing_is_told_how_to_get_suggestions() {
    let app = TestApp::spawn().await;
    let (event, _) = event_with_participants(&app).await;
    let session = app.signed_in(MEMBER).await;
    let (status, html) = page(&session.client, app.url(&format!("/events/{event}"))).await;
    assert_eq!(status, 200);
    assert!(
        html.contains("id=\"suggestions\"") && html.contains("ce que vous cherchez"),
        "the section says suggestions come from what one seeks"
    );
    // The other two registered are a colleague and the buyer, whose company's directory profile is
    // compared with the SME's when it seeks nothing; a colleague is never suggested.
    let (status, list) = Api::of(&app, MEMBER)
        .await
        .get(&format!("/api/v1/events/{event}/suggestions"))
        .await;
    assert_eq!(status, StatusCode::OK);
    let colleague = participant_of(&app, event, ORG_ADMIN).await;
    assert!(
        !list
            .as_array()
            .unwrap()
            .iter()
            .any(|s| s["participant_id"] == colleague)
    );
}

// ---- "met before" --------------------------------------------------------------------------

#[tokio::test]
async fn a_pair_who_met_before_weighs_half_a_new_pair() {
    let app = TestApp::spawn().await;
    let (event, [member_p, buyer_p, org_admin_p]) = event_with_participants(&app).await;
    accepted(&app, event, MEMBER, BUYER, buyer_p, json!({"met_before": true})).await;
    accepted(&app, event, ORG_ADMIN, BUYER, buyer_p, json!({})).await;
    let (status, preview) = Api::of(&app, ADMIN)
        .await
        .post_empty(&format!("/api/v1/events/{event}/schedule"))
        .await;
    assert_eq!(status, StatusCode::OK, "{preview}");
    let weight_of = |p: i64| {
        preview["meetings"]
            .as_array()
            .unwrap()
            .iter()
            .find(|m| m["participant_a"] == p || m["participant_b"] == p)
            .map(|m| m["weight"].as_i64().unwrap())
    };
    assert_eq!(weight_of(member_p), Some(1), "met before");
    assert_eq!(weight_of(org_admin_p), Some(2), "a first meeting");
    assert_eq!(preview["total_weight"].as_i64(), Some(3));

    // The request form offers the flag.
    let session = app.signed_in(MEMBER).await;
    let (_, html) = page(&session.client, app.url(&format!("/events/{event}"))).await;
    assert!(html.contains("name=\"met_before\""));
}

// ---- guests from the organiser's screen ------------------------------------------------------

#[tokio::test]
async fn the_organiser_registers_a_guest_from_the_page_and_bad_input_keeps_what_was_typed() {
    let app = TestApp::spawn().await;
    let (event, _) = event_with_participants(&app).await;
    let guests = app.url(&format!("/events/{event}/guests"));
    let count = || async {
        store::meetings::participants(&mut app.db.store.conn().await.unwrap(), event)
            .await
            .unwrap()
            .len()
    };
    let before = count().await;
    let admin = app.signed_in(ADMIN).await;
    let (status, html) = page(&admin.client, app.url(&format!("/events/{event}/organiser"))).await;
    assert_eq!(status, 200);
    assert!(html.contains("id=\"guest-form\"") && html.contains("<legend>"));

    let post = |session: &crate::helpers::SignedIn, fields: Vec<(&'static str, &'static str)>| {
        let mut body = vec![("csrf_token", session.csrf.clone())];
        body.extend(fields.into_iter().map(|(k, v)| (k, v.to_owned())));
        session.client.post(guests.clone()).form(&body).send()
    };
    // Every mistake at once, what was typed kept, nothing registered.
    let response = post(
        &admin,
        vec![
            ("name", ""),
            ("organisation", ""),
            ("email", "pas-un-courriel"),
            ("kind", "géant"),
            ("offers", "achats composites"),
            ("available", "0"),
            ("max_meetings", "beaucoup"),
        ],
    )
    .await
    .unwrap();
    assert_eq!(response.status(), 422);
    let html = response.text().await.unwrap();
    for field in [
        "name",
        "organisation",
        "email",
        "kind",
        "available",
        "max_meetings",
    ] {
        assert!(
            html.contains(&format!("<a href=\"#{field}\">{field}</a>")),
            "{field} named"
        );
    }
    assert!(html.contains("value=\"pas-un-courriel\"") && html.contains("achats composites"));
    // No slot ticked: refused by name too, and the form comes back with none ticked.
    let response = post(
        &admin,
        vec![
            ("name", "Ana Ruiz"),
            ("organisation", "Aero Iberia SL"),
            ("email", "ana.ruiz@example.es"),
        ],
    )
    .await
    .unwrap();
    assert_eq!(response.status(), 422);
    let html = response.text().await.unwrap();
    assert!(html.contains("<a href=\"#available\">available</a>"));
    assert!(html.contains("value=\"Ana Ruiz\""));
    assert_eq!(count().await, before, "nothing registered");

    // Other roles: a participant is refused, someone outside events does not find it, a visitor signs in.
    let valid = vec![
        ("name", "Ana Ruiz"),
        ("organisation", "Aero Iberia SL"),
        ("email", "ana.ruiz@example.es"),
        ("kind", "large"),
        ("offers", "achats aérostructures"),
        ("seeks", "usinage titane"),
        ("available", "1"),
        ("available", "2"),
    ];
    for (email, expected) in [(MEMBER, 403), (BUYER, 403), (EVALUATOR, 404)] {
        let session = app.signed_in(email).await;
        let response = post(&session, valid.clone()).await.unwrap();
        assert_eq!(response.status(), expected, "{email}");
        // Bad input from them is refused the same way, not answered with field errors.
        let response = post(&session, vec![("name", "")]).await.unwrap();
        assert_eq!(response.status(), expected, "{email}, bad input");
    }
    let visitor = client();
    let csrf = app.csrf(&visitor).await;
    let mut body: Vec<(&str, &str)> = valid.clone();
    body.push(("csrf_token", &csrf));
    let response = visitor.post(guests.clone()).form(&body).send().await.unwrap();
    assert_eq!(response.status(), 303);
    assert!(
        response.headers()[LOCATION]
            .to_str()
            .unwrap()
            .starts_with("/login")
    );
    assert_eq!(count().await, before);

    let response = post(&admin, valid).await.unwrap();
    assert_eq!(response.status(), 303);
    assert_eq!(
        response.headers()[LOCATION],
        format!("/events/{event}/organiser#guests").as_str()
    );
    let guest = store::meetings::participants(&mut app.db.store.conn().await.unwrap(), event)
        .await
        .unwrap()
        .into_iter()
        .find(|p| p.display_name == "Ana Ruiz")
        .expect("registered");
    assert_eq!(
        (
            guest.guest,
            guest.kind.as_str(),
            guest.available.as_str(),
            guest.person_id
        ),
        (1, "large", "0,1", None)
    );
    let (_, html) = page(&admin.client, app.url(&format!("/events/{event}/organiser"))).await;
    assert!(html.contains("Ana Ruiz (Aero Iberia SL)"));
}

// ---- generation with progress ------------------------------------------------------------------

#[tokio::test]
async fn generation_runs_in_the_background_and_the_screen_follows_it_to_the_end() {
    generation_story(TestApp::spawn().await).await;
}

#[tokio::test]
async fn generation_runs_in_the_background_on_postgres() {
    on_postgres("the generation story", generation_story).await;
}

async fn generation_story(app: TestApp) {
    let (event, [_, buyer_p, _]) = event_with_participants(&app).await;
    accepted(&app, event, MEMBER, BUYER, buyer_p, json!({})).await;
    accepted(&app, event, ORG_ADMIN, BUYER, buyer_p, json!({})).await;
    let admin = app.signed_in(ADMIN).await;
    let status_url = app.url(&format!("/events/{event}/generation"));
    let generate = app.url(&format!("/events/{event}/generate"));

    let (status, html) = page(&admin.client, status_url.clone()).await;
    assert_eq!(status, 200);
    assert!(html.contains("id=\"no-generation\""), "nothing ran yet");

    // htmx: the answer comes at once with the progress fragment, polled until done.
    let response = admin
        .client
        .post(generate.clone())
        .header("hx-request", "true")
        .form(&[("csrf_token", &admin.csrf)])
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 200);
    let fragment = response.text().await.unwrap();
    assert!(
        fragment.contains("id=\"generation\"") && !fragment.contains("<html"),
        "{fragment}"
    );
    let done = generation_finished(&app, &admin.client, event).await;
    assert!(done.contains("id=\"generation-scheduled\">2 / 2<"), "{done}");
    assert!(done.contains("id=\"generation-weight\">4 / 4<"), "{done}");
    assert!(
        done.contains("hx-select=\"#preview\"") && done.contains("id=\"refresh-preview\""),
        "the preview is reloaded once, and a link offers it"
    );
    assert!(!done.contains("every 500ms"), "polling stops");
    let (_, html) = page(&admin.client, app.url(&format!("/events/{event}/organiser"))).await;
    assert_eq!(
        html.matches("data-meeting=").count(),
        2,
        "the preview has the meetings"
    );
    assert!(html.contains("id=\"preview\"") && html.contains("id=\"scheduled\">2<"));

    // Without JavaScript: a redirect to the status page, which refreshes itself until done.
    let response = admin
        .client
        .post(generate.clone())
        .form(&[("csrf_token", &admin.csrf)])
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 303);
    assert_eq!(
        response.headers()[LOCATION],
        format!("/events/{event}/generation").as_str()
    );
    generation_finished(&app, &admin.client, event).await;
    let response = admin.client.get(status_url.clone()).send().await.unwrap();
    assert_eq!(response.status(), 200);
    assert!(
        response.headers().get(REFRESH).is_none(),
        "done: no more refreshing"
    );
    let html = response.text().await.unwrap();
    assert!(html.contains("<html") && html.contains("data-phase=\"done\""));

    // While a generation runs, another start is refused: page, fragment and API alike.
    let held = app.app.generations().begin(event).unwrap();
    let response = admin.client.get(status_url.clone()).send().await.unwrap();
    assert_eq!(
        response.headers()[REFRESH],
        "1",
        "the status page refreshes itself"
    );
    assert!(response.text().await.unwrap().contains("http-equiv=\"refresh\""));
    let response = admin
        .client
        .post(generate.clone())
        .form(&[("csrf_token", &admin.csrf)])
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 409);
    assert!(response.text().await.unwrap().contains("already being generated"));
    let response = admin
        .client
        .post(generate.clone())
        .header("hx-request", "true")
        .form(&[("csrf_token", &admin.csrf)])
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 409);
    let fragment = response.text().await.unwrap();
    assert!(
        fragment.contains("id=\"generation-notice\"") && fragment.contains("every 500ms"),
        "the message beside the running progress: {fragment}"
    );
    let (status, body) = Api::of(&app, ADMIN)
        .await
        .post_empty(&format!("/api/v1/events/{event}/schedule"))
        .await;
    assert_eq!(status, StatusCode::CONFLICT, "{body}");
    drop(held);
    let response = admin
        .client
        .post(generate.clone())
        .form(&[("csrf_token", &admin.csrf)])
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 303, "free again");
    generation_finished(&app, &admin.client, event).await;

    // Who may not: participants are refused, outsiders do not find it, visitors sign in.
    for (email, expected) in [(MEMBER, 403), (BUYER, 403), (LAB, 403), (EVALUATOR, 404)] {
        let session = app.signed_in(email).await;
        let response = session
            .client
            .post(generate.clone())
            .header("hx-request", "true")
            .form(&[("csrf_token", &session.csrf)])
            .send()
            .await
            .unwrap();
        assert_eq!(response.status(), expected, "{email} generates");
        let (status, _) = page(&session.client, status_url.clone()).await;
        assert_eq!(status, expected, "{email} reads the progress");
    }
    let response = client().get(status_url.clone()).send().await.unwrap();
    assert_eq!(response.status(), 303);
    assert!(
        response.headers()[LOCATION]
            .to_str()
            .unwrap()
            .starts_with("/login")
    );
    let (status, _) = page(&admin.client, app.url("/events/999999/generation")).await;
    assert_eq!(status, 404);
}

// ---- outcomes --------------------------------------------------------------------------------

#[tokio::test]
async fn outcomes_count_what_came_of_the_meetings_for_the_organisers_only() {
    outcomes_story(TestApp::spawn().await).await;
}

#[tokio::test]
async fn outcomes_count_on_postgres() {
    on_postgres("the outcomes story", outcomes_story).await;
}

async fn outcomes_story(app: TestApp) {
    let (event, [_, buyer_p, _]) = event_with_participants(&app).await;
    accepted(&app, event, MEMBER, BUYER, buyer_p, json!({})).await;
    let admin = Api::of(&app, ADMIN).await;
    let outcomes = format!("/api/v1/events/{event}/outcomes");
    let (_, preview) = admin
        .post_empty(&format!("/api/v1/events/{event}/schedule"))
        .await;
    let (status, figures) = admin.get(&outcomes).await;
    assert_eq!(status, StatusCode::OK, "{figures}");
    assert_eq!(
        (figures["scheduled"].as_i64(), figures["published"].as_i64()),
        (Some(1), Some(0)),
        "a draft is scheduled, not published"
    );
    let session = app.signed_in(ADMIN).await;
    let organiser = app.url(&format!("/events/{event}/organiser"));
    let (_, html) = page(&session.client, organiser.clone()).await;
    assert!(
        !html.contains("id=\"outcomes\""),
        "before publication there is nothing to count"
    );

    admin.post_empty(&format!("/api/v1/events/{event}/publish")).await;
    let meeting = preview["meetings"][0]["id"].as_i64().unwrap();
    admin
        .post(
            &format!("/api/v1/events/{event}/meetings/{meeting}/attendance"),
            json!({"attendance": "held"}),
        )
        .await;
    Api::of(&app, MEMBER)
        .await
        .post(
            &format!("/api/v1/events/{event}/meetings/{meeting}/follow-up"),
            json!({"follow_up": "contract"}),
        )
        .await;
    let (status, figures) = admin.get(&outcomes).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(figures["event_id"].as_i64(), Some(event));
    assert_eq!(
        [
            "participants",
            "scheduled",
            "published",
            "held",
            "no_show",
            "attendance_unrecorded"
        ]
        .map(|k| figures[k].as_i64().unwrap()),
        [3, 1, 1, 1, 0, 0]
    );
    assert_eq!(
        figures["follow_ups"],
        json!({"none": 0, "call": 0, "quote": 0, "contract": 1})
    );
    let kind = |k: &str| {
        figures["by_kind"]
            .as_array()
            .unwrap()
            .iter()
            .find(|x| x["kind"] == k)
            .unwrap()
            .clone()
    };
    let sme = kind("sme");
    assert_eq!(
        ["participants", "with_meetings", "meetings", "held"].map(|k| sme[k].as_i64().unwrap()),
        [2, 1, 1, 1]
    );
    assert_eq!(sme["follow_ups"]["contract"], 1);
    assert_eq!(kind("large")["meetings"], 1);

    let (_, html) = page(&session.client, organiser).await;
    assert!(html.contains("id=\"outcomes\"") && html.contains("id=\"outcome-held\">1<"));
    assert!(html.contains("data-kind=\"sme\"") && html.contains("id=\"outcome-contract\">1<"));

    // Only the organisers read them.
    for (email, expected) in [
        (MEMBER, StatusCode::FORBIDDEN),
        (BUYER, StatusCode::FORBIDDEN),
        (LAB, StatusCode::FORBIDDEN),
        (EVALUATOR, StatusCode::NOT_FOUND),
    ] {
        let (status, body) = Api::of(&app, email).await.get(&outcomes).await;
        assert_eq!(status, expected, "{email}: {body}");
    }
    let response = client().get(app.url(&outcomes)).send().await.unwrap();
    assert_eq!(response.status(), StatusCode::UNAUTHORIZED);
    assert_eq!(
        admin.get("/api/v1/events/999999/outcomes").await.0,
        StatusCode::NOT_FOUND
    );
    assert_eq!(
        admin.get("/api/v1/events/abc/outcomes").await.0,
        StatusCode::BAD_REQUEST
    );

    // The whole cluster, as the indicators will read it.
    let mut conn = app.db.store.conn().await.unwrap();
    let person = store::people::by_email(&mut conn, ADMIN).await.unwrap().unwrap();
    let staff = app::Actor::Person(
        app::actor::load_principal(&mut conn, person.id)
            .await
            .unwrap()
            .unwrap(),
    );
    let cluster = app
        .app
        .meeting_outcomes(&staff, app.cluster_id, None)
        .await
        .unwrap();
    assert!(cluster.events >= 2 && cluster.published >= 1 && cluster.follow_ups.contract >= 1);
    assert!(matches!(
        app.app
            .meeting_outcomes(&staff, app.cluster_id, Some(999_999))
            .await,
        Err(app::AppError::NotFound(_))
    ));
}
