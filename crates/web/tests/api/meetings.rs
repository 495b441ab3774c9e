//! Business meetings over HTTP: an event is created, members register and exchange requests, the
//! organiser generates and publishes, agendas and calendar feeds follow — with the bad inputs.

use crate::helpers::{TestApp, client};
use reqwest::StatusCode;
use serde_json::{Value, json};

pub(crate) const ADMIN: &str = "animation@pole-demo.fr";
pub(crate) const MEMBER: &str = "membre@pme-demo.fr";
pub(crate) const BUYER: &str = "acheteuse@grandcompte-demo.fr";
pub(crate) const ORG_ADMIN: &str = "dirigeant@pme-demo.fr";
pub(crate) const LAB: &str = "labo@labo-demo.fr";

pub(crate) struct Api<'a> {
    app: &'a TestApp,
    token: String,
}

impl Api<'_> {
    pub(crate) async fn of<'a>(app: &'a TestApp, email: &str) -> Api<'a> {
        Api {
            app,
            token: app.token_for(email).await,
        }
    }

    pub(crate) async fn send(
        &self,
        method: reqwest::Method,
        path: &str,
        body: Option<Value>,
    ) -> (StatusCode, Value) {
        let mut request = client()
            .request(method, self.app.url(path))
            .bearer_auth(&self.token);
        if let Some(body) = body {
            request = request.json(&body);
        }
        let response = request.send().await.unwrap();
        let status = response.status();
        let text = response.text().await.unwrap();
        (status, serde_json::from_str(&text).unwrap_or(Value::Null))
    }

    pub(crate) async fn get(&self, path: &str) -> (StatusCode, Value) {
        self.send(reqwest::Method::GET, path, None).await
    }

    pub(crate) async fn post(&self, path: &str, body: Value) -> (StatusCode, Value) {
        self.send(reqwest::Method::POST, path, Some(body)).await
    }

    pub(crate) async fn post_empty(&self, path: &str) -> (StatusCode, Value) {
        self.send(reqwest::Method::POST, path, None).await
    }
}

/// An event with open registration, the member, the buyer and the org admin registered.
pub(crate) async fn event_with_participants(app: &TestApp) -> (i64, [i64; 3]) {
    let admin = Api::of(app, ADMIN).await;
    let (status, event) = admin
        .post(
            &format!("/api/v1/clusters/{}/events", app.cluster_id),
            json!({"title": "Convention d'affaires Aéro 2030", "venue": "Toulouse", "first_day": "2030-03-16",
                   "sessions": "09:00-12:00", "slot_minutes": 20, "break_minutes": 5, "tables": 1,
                   "request_deadline": "2030-03-15T18:00"}),
        )
        .await;
    assert_eq!(status, StatusCode::CREATED, "{event}");
    let id = event["id"].as_i64().unwrap();
    assert_eq!(event["slots"].as_array().unwrap().len(), 7);
    // Registration opens through the organiser's page.
    let session = app.signed_in(ADMIN).await;
    let response = session
        .client
        .post(app.url(&format!("/events/{id}/registration")))
        .form(&[("open", "1"), ("csrf_token", &session.csrf)])
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 303);
    let mut ids = [0; 3];
    for (n, email) in [MEMBER, BUYER, ORG_ADMIN].into_iter().enumerate() {
        let (status, p) = Api::of(app, email)
            .await
            .post(
                &format!("/api/v1/events/{id}/registrations"),
                json!({"offers": "usinage titane"}),
            )
            .await;
        assert_eq!(status, StatusCode::CREATED, "{email}: {p}");
        ids[n] = p["id"].as_i64().unwrap();
    }
    (id, ids)
}

#[tokio::test]
async fn request_accept_generate_publish_and_agenda_with_every_refusal() {
    let app = TestApp::spawn().await;
    let (event, [member_p, buyer_p, org_admin_p]) = event_with_participants(&app).await;
    let member = Api::of(&app, MEMBER).await;
    let buyer = Api::of(&app, BUYER).await;
    let org_admin = Api::of(&app, ORG_ADMIN).await;
    let admin = Api::of(&app, ADMIN).await;
    let requests = format!("/api/v1/events/{event}/requests");

    // Registering twice is refused.
    let (status, _) = member
        .post(&format!("/api/v1/events/{event}/registrations"), json!({}))
        .await;
    assert_eq!(status, StatusCode::CONFLICT);

    let (status, sent) = member
        .post(
            &requests,
            json!({"to": buyer_p, "message": "Pièces titane", "must_meet": true}),
        )
        .await;
    assert_eq!(status, StatusCode::CREATED, "{sent}");
    let request_id = sent["id"].as_i64().unwrap();
    assert!(
        app.mails()
            .iter()
            .any(|m| m.contains("acheteuse@grandcompte-demo.fr")),
        "recipient told"
    );

    let (status, body) = member.post(&requests, json!({"to": buyer_p})).await;
    assert_eq!(status, StatusCode::CONFLICT, "duplicate: {body}");
    let (status, body) = member.post(&requests, json!({"to": member_p})).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "to oneself: {body}");
    assert_eq!(body["errors"][0]["field"], "to");
    let (status, _) = member.post(&requests, json!({"to": 999_999})).await;
    assert_eq!(status, StatusCode::NOT_FOUND);

    // Neither the sender nor a third party may answer; only the recipient.
    let accept = format!("/api/v1/events/{event}/requests/{request_id}/accept");
    assert_eq!(member.post_empty(&accept).await.0, StatusCode::FORBIDDEN);
    assert_eq!(org_admin.post_empty(&accept).await.0, StatusCode::NOT_FOUND);
    assert_eq!(admin.post_empty(&accept).await.0, StatusCode::NOT_FOUND);
    let (status, accepted) = buyer.post_empty(&accept).await;
    assert_eq!(
        (status, accepted["status"].as_str()),
        (StatusCode::OK, Some("accepted"))
    );
    assert_eq!(
        buyer.post_empty(&accept).await.0,
        StatusCode::CONFLICT,
        "answered once"
    );
    assert!(
        app.mails()
            .iter()
            .any(|m| m.contains("membre@pme-demo.fr") && m.contains("accept"))
    );

    // Participants see only their own requests.
    let (_, mine) = org_admin.get(&requests).await;
    assert_eq!(mine.as_array().unwrap().len(), 0);
    let (_, mine) = member.get(&requests).await;
    assert_eq!(mine.as_array().unwrap().len(), 1);

    // Members may not run the schedule.
    let schedule = format!("/api/v1/events/{event}/schedule");
    assert_eq!(member.post_empty(&schedule).await.0, StatusCode::FORBIDDEN);
    let (status, preview) = admin.post_empty(&schedule).await;
    assert_eq!(status, StatusCode::OK, "{preview}");
    assert_eq!(
        (preview["requested"].as_i64(), preview["scheduled"].as_i64()),
        (Some(1), Some(1))
    );
    assert_eq!(
        preview["total_weight"].as_i64(),
        Some(6),
        "must meet: (1 + 2), doubled for a pair meeting for the first time"
    );
    assert!(preview["upper_bound"].as_i64() >= preview["total_weight"].as_i64());

    // Drafts are not in agendas; publishing puts them there.
    let agenda = format!("/api/v1/events/{event}/agenda");
    assert_eq!(member.get(&agenda).await.1["items"].as_array().unwrap().len(), 0);
    let (status, published) = admin.post_empty(&format!("/api/v1/events/{event}/publish")).await;
    assert_eq!(
        (status, published["meetings_published"].as_u64()),
        (StatusCode::OK, Some(1))
    );
    let (_, mine) = member.get(&agenda).await;
    assert_eq!(mine["items"].as_array().unwrap().len(), 1);
    assert!(
        mine["items"][0]["with"]
            .as_str()
            .unwrap()
            .contains("Aérostructures")
    );
    let published_meeting = preview["meetings"][0].clone();

    // Someone else's agenda is not found; the organiser may read it.
    let (status, _) = member.get(&format!("{agenda}?participant={buyer_p}")).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    assert_eq!(
        admin.get(&format!("{agenda}?participant={buyer_p}")).await.0,
        StatusCode::OK
    );

    // A late request after publication: incremental mode leaves the published meeting in place.
    let (status, late) = org_admin.post(&requests, json!({"to": buyer_p})).await;
    assert_eq!(status, StatusCode::CREATED);
    let late_id = late["id"].as_i64().unwrap();
    buyer
        .post_empty(&format!("/api/v1/events/{event}/requests/{late_id}/accept"))
        .await;
    let (_, preview) = admin.post_empty(&schedule).await;
    assert_eq!(preview["scheduled"].as_i64(), Some(2));
    let kept = preview["meetings"]
        .as_array()
        .unwrap()
        .iter()
        .find(|m| m["state"] == "published")
        .unwrap();
    assert_eq!(
        (&kept["slot"], &kept["table"]),
        (&published_meeting["slot"], &published_meeting["table"])
    );
    let draft = preview["meetings"]
        .as_array()
        .unwrap()
        .iter()
        .find(|m| m["state"] == "draft")
        .unwrap();
    // Moving the draft onto the published meeting's table in its slot is refused.
    let moved = format!("/api/v1/events/{event}/meetings/{}/move", draft["id"]);
    let (status, body) = admin
        .post(&moved, json!({"slot": kept["slot"], "table": kept["table"]}))
        .await;
    assert_eq!(status, StatusCode::CONFLICT, "{body}");
    let (status, _) = admin.post(&moved, json!({"slot": 99, "table": 0})).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    let free = (0..7).find(|s| Some(*s) != kept["slot"].as_i64()).unwrap();
    let (status, body) = admin.post(&moved, json!({"slot": free, "table": 0})).await;
    assert_eq!(status, StatusCode::NO_CONTENT, "{body}");
    assert_eq!(
        member.post(&moved, json!({"slot": free, "table": 0})).await.0,
        StatusCode::FORBIDDEN
    );

    // Declining with "no thanks" stops the sender from asking again.
    let (_, back) = buyer.post(&requests, json!({"to": org_admin_p})).await;
    let back_id = back["id"].as_i64().unwrap();
    let (status, _) = org_admin
        .post_empty(&format!(
            "/api/v1/events/{event}/requests/{back_id}/decline?no_thanks=true"
        ))
        .await;
    assert_eq!(status, StatusCode::OK);

    // After the deadline no request is taken.
    let mut conn = app.db.store.conn().await.unwrap();
    let stored = store::meetings::get_event(&mut conn, event)
        .await
        .unwrap()
        .unwrap();
    let mut fields = stored.fields.clone();
    fields.request_deadline = store::now_ms() - 1;
    store::meetings::update_event(&mut conn, event, &fields)
        .await
        .unwrap();
    let (status, body) = buyer.post(&requests, json!({"to": member_p})).await;
    assert_eq!(status, StatusCode::CONFLICT, "late: {body}");
    assert!(body["detail"].as_str().unwrap().contains("deadline"));
}

#[tokio::test]
async fn only_the_sender_withdraws_a_pending_request_once() {
    let app = TestApp::spawn().await;
    let (event, [_, buyer_p, _]) = event_with_participants(&app).await;
    let member = Api::of(&app, MEMBER).await;
    let (status, sent) = member
        .post(
            &format!("/api/v1/events/{event}/requests"),
            json!({"to": buyer_p}),
        )
        .await;
    assert_eq!(status, StatusCode::CREATED, "{sent}");
    let request_id = sent["id"].as_i64().unwrap();
    let cancel = format!("/api/v1/events/{event}/requests/{request_id}/cancel");

    // The recipient may not withdraw it; people outside the request do not learn it exists.
    assert_eq!(
        Api::of(&app, BUYER).await.post_empty(&cancel).await.0,
        StatusCode::FORBIDDEN
    );
    assert_eq!(
        Api::of(&app, ORG_ADMIN).await.post_empty(&cancel).await.0,
        StatusCode::NOT_FOUND
    );
    assert_eq!(
        Api::of(&app, ADMIN).await.post_empty(&cancel).await.0,
        StatusCode::NOT_FOUND
    );
    let (status, _) = member
        .post_empty(&format!("/api/v1/events/{event}/requests/999999/cancel"))
        .await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    let (status, _) = member
        .post_empty(&format!("/api/v1/events/999999/requests/{request_id}/cancel"))
        .await;
    assert_eq!(status, StatusCode::NOT_FOUND);

    // The sender's page offers to withdraw it, and the htmx answer shows it withdrawn.
    let own = app.signed_in(MEMBER).await;
    let page = own
        .client
        .get(app.url(&format!("/events/{event}")))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(
        page.contains(&format!("/requests/{request_id}/cancel")),
        "a withdraw button"
    );
    let response = own
        .client
        .post(app.url(&format!("/events/{event}/requests/{request_id}/cancel")))
        .header("hx-request", "true")
        .form(&[("csrf_token", &own.csrf)])
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 200);
    let fragment = response.text().await.unwrap();
    assert!(fragment.contains("annulée"), "{fragment}");
    assert!(
        !fragment.contains("/cancel\""),
        "no second withdraw button: {fragment}"
    );

    // Once withdrawn, it can be neither withdrawn again nor accepted.
    let (status, body) = member.post_empty(&cancel).await;
    assert_eq!(status, StatusCode::CONFLICT, "{body}");
    let (status, _) = Api::of(&app, BUYER)
        .await
        .post_empty(&format!("/api/v1/events/{event}/requests/{request_id}/accept"))
        .await;
    assert_eq!(status, StatusCode::CONFLICT);
    // Without the CSRF token the page refuses.
    let response = own
        .client
        .post(app.url(&format!("/events/{event}/requests/{request_id}/cancel")))
        .send()
        .await
        .unwrap();
    assert!(response.status().is_client_error(), "{}", response.status());
}

#[tokio::test]
async fn guests_check_in_attendance_and_follow_up_over_the_api() {
    let app = TestApp::spawn().await;
    let (event, [member_p, buyer_p, _]) = event_with_participants(&app).await;
    let member = Api::of(&app, MEMBER).await;
    let buyer = Api::of(&app, BUYER).await;
    let org_admin = Api::of(&app, ORG_ADMIN).await;
    let admin = Api::of(&app, ADMIN).await;

    // Guests: organisers only, every bad field named.
    let guests = format!("/api/v1/events/{event}/guests");
    let (status, body) = admin
        .post(&guests, json!({"name": "", "email": "pas-un-courriel", "organisation": "", "kind": "géant", "available": [99]}))
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
    let fields: Vec<&str> = body["errors"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|e| e["field"].as_str())
        .collect();
    for field in ["name", "email", "organisation", "kind"] {
        assert!(fields.contains(&field), "{field} missing in {body}");
    }
    let guest = json!({"name": "Ana Ruiz", "email": "ana.ruiz@example.es", "organisation": "Aero Iberia SL",
                       "kind": "large", "offers": "achats", "available": [0, 1, 2]});
    assert_eq!(buyer.post(&guests, guest.clone()).await.0, StatusCode::FORBIDDEN);
    assert_eq!(
        admin.post("/api/v1/events/999999/guests", guest.clone()).await.0,
        StatusCode::NOT_FOUND
    );
    let (status, body) = admin.post(&guests, guest).await;
    assert_eq!(
        (status, body["name"].as_str()),
        (StatusCode::CREATED, Some("Ana Ruiz")),
        "{body}"
    );

    // A meeting between the member and the buyer, generated but not yet published.
    let (_, sent) = member
        .post(
            &format!("/api/v1/events/{event}/requests"),
            json!({"to": buyer_p}),
        )
        .await;
    let request_id = sent["id"].as_i64().unwrap();
    buyer
        .post_empty(&format!("/api/v1/events/{event}/requests/{request_id}/accept"))
        .await;
    let (status, preview) = admin
        .post_empty(&format!("/api/v1/events/{event}/schedule"))
        .await;
    assert_eq!(status, StatusCode::OK, "{preview}");
    let meeting = preview["meetings"][0]["id"].as_i64().unwrap();
    let attendance = format!("/api/v1/events/{event}/meetings/{meeting}/attendance");
    let follow_up = format!("/api/v1/events/{event}/meetings/{meeting}/follow-up");
    let (status, _) = admin.post(&attendance, json!({"attendance": "held"})).await;
    assert_eq!(status, StatusCode::CONFLICT, "a draft meeting has not happened");
    admin.post_empty(&format!("/api/v1/events/{event}/publish")).await;

    // Attendance: organisers only, held or no_show.
    assert_eq!(
        admin
            .post(&attendance, json!({"attendance": "peut-être"}))
            .await
            .0,
        StatusCode::UNPROCESSABLE_ENTITY
    );
    assert_eq!(
        admin.post(&attendance, json!({})).await.0,
        StatusCode::UNPROCESSABLE_ENTITY
    );
    assert_eq!(
        buyer.post(&attendance, json!({"attendance": "held"})).await.0,
        StatusCode::FORBIDDEN
    );
    let (status, _) = admin
        .post(
            &format!("/api/v1/events/{event}/meetings/999999/attendance"),
            json!({"attendance": "held"}),
        )
        .await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    assert_eq!(
        admin.post(&attendance, json!({"attendance": "held"})).await.0,
        StatusCode::NO_CONTENT
    );

    // Follow-up: either side of the meeting (or the organisers); others do not see the meeting.
    assert_eq!(
        member.post(&follow_up, json!({"follow_up": "commande"})).await.0,
        StatusCode::UNPROCESSABLE_ENTITY
    );
    assert_eq!(
        org_admin.post(&follow_up, json!({"follow_up": "quote"})).await.0,
        StatusCode::NOT_FOUND
    );
    assert_eq!(
        member.post(&follow_up, json!({"follow_up": "quote"})).await.0,
        StatusCode::NO_CONTENT
    );
    let (_, agenda) = member.get(&format!("/api/v1/events/{event}/agenda")).await;
    assert_eq!(agenda["items"][0]["follow_up"], "quote", "{agenda}");

    // Check-in: organisers only, a participant of this event.
    let check_in = format!("/api/v1/events/{event}/participants/{member_p}/check-in");
    assert_eq!(member.post_empty(&check_in).await.0, StatusCode::FORBIDDEN);
    assert_eq!(
        admin
            .post_empty(&format!("/api/v1/events/{event}/participants/999999/check-in"))
            .await
            .0,
        StatusCode::NOT_FOUND
    );
    assert_eq!(admin.post_empty(&check_in).await.0, StatusCode::NO_CONTENT);
    assert_eq!(
        admin.post_empty(&check_in).await.0,
        StatusCode::NO_CONTENT,
        "twice is harmless"
    );
    let checked = store::meetings::participant(&mut app.db.store.conn().await.unwrap(), member_p)
        .await
        .unwrap()
        .unwrap();
    assert!(checked.checked_in_at.is_some());
}

/// The demo's matchmaking event, where the lab's account is not registered yet.
pub(crate) async fn demo_event(app: &TestApp) -> i64 {
    let mut conn = app.db.store.conn().await.unwrap();
    store::meetings::events_of_cluster(&mut conn, app.cluster_id)
        .await
        .unwrap()
        .iter()
        .find(|e| e.title == app::demo::DEMO_EVENT_TITLE)
        .expect("the demo event")
        .id
}

#[tokio::test]
async fn registering_and_editing_the_profile_with_slot_checkboxes() {
    let app = TestApp::spawn().await;
    let event = demo_event(&app).await;
    let lab = app.signed_in(LAB).await;
    let page = lab
        .client
        .get(app.url(&format!("/events/{event}")))
        .send()
        .await
        .unwrap();
    let html = page.text().await.unwrap();
    assert_eq!(
        html.matches("name=\"available\"").count(),
        16,
        "one checkbox per slot"
    );
    assert_eq!(
        html.matches(" checked>").count(),
        16,
        "every slot ticked for a newcomer"
    );
    let post = |path: &'static str, fields: Vec<(&'static str, &'static str)>| {
        let mut body = vec![("csrf_token", lab.csrf.as_str())];
        body.extend(fields);
        lab.client
            .post(app.url(&format!("/events/{event}/{path}")))
            .form(&body)
            .send()
    };

    // Editing a profile before registering is refused.
    let response = post("profile", vec![("available", "1")]).await.unwrap();
    assert_eq!(response.status(), 409);
    // Bad input: no slot ticked, a slot that does not exist, a cap that is not a number.
    for (fields, field) in [
        (vec![("offers", "essais")], "available"),
        (vec![("available", "99")], "available"),
        (vec![("available", "0")], "available"),
        (
            vec![("available", "1"), ("max_meetings", "beaucoup")],
            "max_meetings",
        ),
        (vec![("available", "1"), ("max_meetings", "40")], "max_meetings"),
    ] {
        let response = post("register", fields.clone()).await.unwrap();
        assert_eq!(response.status(), 422, "{fields:?}");
        let html = response.text().await.unwrap();
        assert!(
            html.contains(&format!("<a href=\"#{field}\">{field}</a>")),
            "{fields:?}: {field} named"
        );
    }
    let response = post(
        "register",
        vec![
            ("offers", "essais de fatigue, caractérisation matériaux"),
            ("seeks", "partenaires industriels"),
            ("available", "1"),
            ("available", "2"),
            ("available", "9"),
            ("max_meetings", "2"),
        ],
    )
    .await
    .unwrap();
    assert_eq!(response.status(), 303);
    let person = store::people::by_email(&mut app.db.store.conn().await.unwrap(), LAB)
        .await
        .unwrap()
        .unwrap();
    let me = || async {
        store::meetings::participant_of_person(&mut app.db.store.conn().await.unwrap(), event, person.id)
            .await
            .unwrap()
            .unwrap()
    };
    let registered = me().await;
    assert_eq!(registered.available_slots(), vec![0, 1, 8]);
    assert_eq!(registered.max_meetings, Some(2));

    // The profile form shows what was saved, and saving it again changes it.
    let html = lab
        .client
        .get(app.url(&format!("/events/{event}")))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(html.contains("id=\"profile-form\""));
    assert_eq!(html.matches(" checked>").count(), 3, "the three slots ticked");
    assert!(html.contains("caractérisation matériaux"));
    let response = post(
        "profile",
        vec![("offers", "essais"), ("available", "16"), ("max_meetings", "")],
    )
    .await
    .unwrap();
    assert_eq!(response.status(), 303);
    let updated = me().await;
    assert_eq!(
        (
            updated.offers.as_str(),
            updated.available_slots(),
            updated.max_meetings
        ),
        ("essais", vec![15], None)
    );
    let response = post("profile", vec![("available", "17")]).await.unwrap();
    assert_eq!(response.status(), 422);
    assert_eq!(
        me().await.available_slots(),
        vec![15],
        "a refused edit changes nothing"
    );
}

#[tokio::test]
async fn pages_show_requests_agenda_feed_and_table_sheets() {
    let app = TestApp::spawn().await;
    let (event, [_, buyer_p, _]) = event_with_participants(&app).await;
    let member = app.signed_in(MEMBER).await;
    let page = member
        .client
        .get(app.url(&format!("/events/{event}")))
        .send()
        .await
        .unwrap();
    assert_eq!(page.status(), 200);
    assert!(page.text().await.unwrap().contains("Aéro 2030"));

    // The htmx form answers with the requests fragment.
    let response = member
        .client
        .post(app.url(&format!("/events/{event}/requests")))
        .header("hx-request", "true")
        .form(&[
            ("to", buyer_p.to_string().as_str()),
            ("message", "Bonjour"),
            ("csrf_token", &member.csrf),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 200);
    let fragment = response.text().await.unwrap();
    assert!(
        fragment.contains("id=\"requests\"") && fragment.contains("en attente"),
        "{fragment}"
    );
    // Asking oneself through the form comes back with the error beside it.
    let own = app.signed_in(MEMBER).await;
    let me = store::meetings::participant_of_person(
        &mut app.db.store.conn().await.unwrap(),
        event,
        store::people::by_email(&mut app.db.store.conn().await.unwrap(), MEMBER)
            .await
            .unwrap()
            .unwrap()
            .id,
    )
    .await
    .unwrap()
    .unwrap();
    let response = own
        .client
        .post(app.url(&format!("/events/{event}/requests")))
        .form(&[("to", me.id.to_string().as_str()), ("csrf_token", &own.csrf)])
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 422);

    let buyer = app.signed_in(BUYER).await;
    let request_id = store::meetings::requests_of(&mut app.db.store.conn().await.unwrap(), buyer_p)
        .await
        .unwrap()[0]
        .id;
    let response = buyer
        .client
        .post(app.url(&format!("/events/{event}/requests/{request_id}/accept")))
        .header("hx-request", "true")
        .form(&[("csrf_token", &buyer.csrf)])
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 200);
    assert!(response.text().await.unwrap().contains("acceptée"));

    let admin = app.signed_in(ADMIN).await;
    for path in ["generate", "publish"] {
        let response = admin
            .client
            .post(app.url(&format!("/events/{event}/{path}")))
            .form(&[("csrf_token", &admin.csrf)])
            .send()
            .await
            .unwrap();
        assert_eq!(response.status(), 303, "{path}");
        if path == "generate" {
            // The generation runs in the background: publish once it is done.
            crate::meetings_more::generation_finished(&app, &admin.client, event).await;
        }
    }
    let organiser = admin
        .client
        .get(app.url(&format!("/events/{event}/organiser")))
        .send()
        .await
        .unwrap();
    assert_eq!(organiser.status(), 200);
    let html = organiser.text().await.unwrap();
    assert!(html.contains("id=\"scheduled\">1<"), "figures shown");
    let sheets = admin
        .client
        .get(app.url(&format!("/events/{event}/tables")))
        .send()
        .await
        .unwrap();
    assert_eq!(sheets.status(), 200);
    assert!(sheets.text().await.unwrap().contains("Usinage Titane Occitanie"));
    let refused = member
        .client
        .get(app.url(&format!("/events/{event}/tables")))
        .send()
        .await
        .unwrap();
    assert_eq!(refused.status(), 403);
    let refused = member
        .client
        .get(app.url(&format!("/events/{event}/organiser")))
        .send()
        .await
        .unwrap();
    assert_eq!(refused.status(), 403);

    let agenda = member
        .client
        .get(app.url(&format!("/events/{event}/agenda")))
        .send()
        .await
        .unwrap();
    assert_eq!(agenda.status(), 200);
    assert!(
        agenda
            .text()
            .await
            .unwrap()
            .contains("Aérostructures Groupe Démo SA")
    );
    let other = member
        .client
        .get(app.url(&format!("/events/{event}/agenda?participant={buyer_p}")))
        .send()
        .await
        .unwrap();
    assert_eq!(other.status(), 404, "another participant's agenda");

    let ics = member
        .client
        .get(app.url(&format!("/events/{event}/agenda.ics")))
        .send()
        .await
        .unwrap();
    assert_eq!(ics.status(), 200);
    assert!(
        ics.headers()["content-type"]
            .to_str()
            .unwrap()
            .starts_with("text/calendar")
    );
    // A personal agenda is a private download, never sniffed nor kept by a shared cache.
    assert_eq!(ics.headers()["x-content-type-options"], "nosniff");
    assert_eq!(ics.headers()["cache-control"], "private, no-store");
    assert!(
        ics.headers()["content-disposition"]
            .to_str()
            .unwrap()
            .starts_with("attachment;")
    );
    let ics = ics.text().await.unwrap();
    assert!(
        ics.contains("BEGIN:VTIMEZONE") && ics.contains("DTSTART;TZID=Europe/Paris:20300316T"),
        "{ics}"
    );
    check_with_python(&ics);

    // The private feed: created on the agenda page, read without signing in.
    let page = member
        .client
        .post(app.url(&format!("/events/{event}/feed")))
        .form(&[("csrf_token", &member.csrf)])
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    let start = page.find("id=\"feed-url\">").expect("feed URL shown") + "id=\"feed-url\">".len();
    let url = &page[start..start + page[start..].find('<').unwrap()];
    let feed = client().get(url).send().await.unwrap();
    assert_eq!(feed.status(), 200);
    assert_eq!(feed.text().await.unwrap().matches("BEGIN:VEVENT").count(), 1);
    for garbage in ["/agenda/not-a-token.ics", "/agenda/x", "/agenda/.ics"] {
        assert_eq!(
            client().get(app.url(garbage)).send().await.unwrap().status(),
            404,
            "{garbage}"
        );
    }
}

/// Parses the `.ics` with the PyPI `icalendar` package through `bench/check_ics.py` when a Python
/// with it is at hand (`/tmp/ics-venv` or the system one); the Rust parser checks it in `app` anyway.
fn check_with_python(ics: &str) {
    let script = concat!(env!("CARGO_MANIFEST_DIR"), "/../../bench/check_ics.py");
    let python = ["/tmp/ics-venv/bin/python", "python3"].into_iter().find(|p| {
        std::process::Command::new(p)
            .args(["-c", "import icalendar"])
            .output()
            .is_ok_and(|o| o.status.success())
    });
    let Some(python) = python else {
        eprintln!("skipped: no Python with the icalendar package for bench/check_ics.py");
        return;
    };
    let path = std::env::temp_dir().join(format!("agenda-{}.ics", uuid::Uuid::new_v4()));
    std::fs::write(&path, ics).unwrap();
    let out = std::process::Command::new(python)
        .arg(script)
        .arg(&path)
        .output()
        .unwrap();
    let _ = std::fs::remove_file(&path);
    assert!(
        out.status.success(),
        "check_ics.py: {}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
}
