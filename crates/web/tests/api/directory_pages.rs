//! The directory's pages as people use them: a visitor searching and filtering, the results
//! htmx swaps in, refusals of malformed searches, what visitors and members each see of a
//! profile, who may open the editor, refused edits that change nothing, brochures, and the form
//! token on every kind of form.

use crate::api_client::location;
use crate::helpers::{TestApp, client, hidden_value, page};
use crate::multipart::multipart;
use app::demo::DEMO_SME;
use reqwest::header::{CONTENT_DISPOSITION, CONTENT_TYPE};
use reqwest::{Client, Response};
use std::time::{Duration, Instant};

const ADMIN: &str = "animation@pole-demo.fr";
const ORG_ADMIN: &str = "dirigeant@pme-demo.fr";
const BUYER: &str = "acheteuse@grandcompte-demo.fr";
const MEMBER: &str = "membre@pme-demo.fr";
/// Words only a members-only field of the test profile holds.
const SECRET: &str = "Zirconoxyde";

async fn get(client: &Client, app: &TestApp, path: &str) -> Response {
    client.get(app.url(path)).send().await.unwrap()
}

/// The organisations listed as hits on a results page, by id.
fn hit_ids(html: &str) -> Vec<i64> {
    html.split("<li class=\"hit\" data-org=\"")
        .skip(1)
        .filter_map(|rest| rest.split('"').next()?.parse().ok())
        .collect()
}

/// The number the result count announces (0 for "none").
fn result_count(html: &str) -> u64 {
    let start =
        html.find("id=\"directory-count\">").expect("a result count") + "id=\"directory-count\">".len();
    html[start..]
        .chars()
        .take_while(char::is_ascii_digit)
        .collect::<String>()
        .parse()
        .unwrap_or(0)
}

async fn demo_sme(app: &TestApp) -> store::records::Organisation {
    let id = app.organisation_id(DEMO_SME).await;
    store::organisations::get(&mut app.db.store.conn().await.unwrap(), id)
        .await
        .unwrap()
        .expect("the demo SME")
}

async fn stored_profile(app: &TestApp, id: i64) -> Option<String> {
    store::profiles::get(&mut app.db.store.conn().await.unwrap(), id)
        .await
        .unwrap()
        .map(|p| p.document)
}

async fn brochure_count(app: &TestApp, id: i64) -> usize {
    store::profiles::brochures(&mut app.db.store.conn().await.unwrap(), id)
        .await
        .unwrap()
        .len()
}

/// A complete editor form as the browser sends it, with `overrides` replacing or adding keys.
fn profile_form(csrf: &str, overrides: &[(&str, &str)]) -> Vec<(String, String)> {
    let mut form: Vec<(String, String)> = [
        ("csrf_token", csrf),
        (
            "presentation",
            "Usinage de précision de pièces en titane et en inconel pour l'aéronautique.\n\nAtelier de 40 machines 5 axes.",
        ),
        ("presentation_visibility", "public"),
        ("offer_title", "Pièces titane usinées"),
        ("offer_description", "Séries de 1 à 500 pièces"),
        ("offer_visibility", "public"),
        ("offer_title", ""),
        ("offer_description", ""),
        ("offer_visibility", "public"),
        ("capability_terms_visibility", "public"),
        ("capabilities_text", &format!("Tolérances de 5 µm sur {SECRET} et alliages réfractaires")),
        ("capabilities_text_visibility", "members"),
        ("certification_name", "EN 9100"),
        ("certification_expires_on", "2030-06-30"),
        ("certifications_visibility", "public"),
        ("label_name", ""),
        ("label_expires_on", ""),
        ("labels_visibility", "public"),
        ("reference_client", "Airbus Helicopters"),
        ("reference_project", "Carters de transmission"),
        ("reference_year", "2024"),
        ("reference_visibility", "members"),
        ("regions_served", "76"),
        ("regions_served_visibility", "public"),
        ("export_markets", "DE"),
        ("export_markets_visibility", "public"),
        ("languages", "fr"),
        ("languages", "en"),
        ("languages_visibility", "public"),
        ("headcount_band", "10_49"),
        ("headcount_band_visibility", "public"),
        ("turnover_band", "2m_10m"),
        ("turnover_band_visibility", "members"),
    ]
    .into_iter()
    .map(|(k, v)| (k.to_owned(), v.to_owned()))
    .collect();
    for (key, value) in overrides {
        match form.iter_mut().find(|(k, _)| k == key) {
            Some(slot) => slot.1 = (*value).to_owned(),
            None => form.push(((*key).to_owned(), (*value).to_owned())),
        }
    }
    form
}

async fn save_profile(app: &TestApp, client: &Client, id: i64, form: &[(String, String)]) -> Response {
    client
        .post(app.url(&format!("/directory/{id}/edit")))
        .form(form)
        .send()
        .await
        .unwrap()
}

/// Posts a `multipart` body (content type and bytes) to the organisation's brochures.
async fn upload(
    app: &TestApp,
    client: &Client,
    id: i64,
    (content_type, body): (String, Vec<u8>),
) -> Response {
    client
        .post(app.url(&format!("/directory/{id}/brochures")))
        .header(CONTENT_TYPE, content_type)
        .body(body)
        .send()
        .await
        .unwrap()
}

fn pdf(extra: usize) -> Vec<u8> {
    let mut bytes = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\n".to_vec();
    bytes.resize(bytes.len() + extra, b' ');
    bytes.extend(b"\n%%EOF\n");
    bytes
}

/// Searches until `check` holds for the page (the index follows the store within a second).
async fn search_until(client: &Client, app: &TestApp, path: &str, check: impl Fn(&str) -> bool) -> String {
    let deadline = Instant::now() + Duration::from_secs(5);
    loop {
        let html = page(client, app, path).await;
        if check(&html) || Instant::now() >= deadline {
            return html;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

#[tokio::test]
async fn a_visitor_finds_the_demo_sme_by_searching_usinage_titane() {
    let app = TestApp::spawn().await;
    let sme = app.organisation_id(DEMO_SME).await;
    let visitor = client();

    let home = page(&visitor, &app, "/").await;
    assert!(
        home.contains("href=\"/directory\""),
        "the navigation offers the directory to visitors"
    );

    let html = page(&visitor, &app, "/directory?q=usinage+titane").await;
    assert!(html.contains("<h1>Annuaire des compétences</h1>"));
    assert!(hit_ids(&html).contains(&sme), "the demo SME is found");
    assert!(html.contains("<mark>"), "matched words are highlighted");
    assert!(html.contains("aria-live=\"polite\""), "results are announced");
    assert!(
        html.contains("<legend>Région</legend>"),
        "facets come as fieldsets"
    );
    assert!(
        html.contains(&format!("href=\"/directory/{sme}\"")),
        "each hit links to its profile"
    );
    assert!(
        !html.contains("/shortlists/add") && !html.contains("/saved-searches"),
        "visitors get no buyer tools"
    );
    assert!(
        html.contains("value=\"usinage titane\""),
        "the box keeps the search"
    );

    let english = visitor
        .get(app.url("/directory?q=usinage+titane"))
        .header("accept-language", "en")
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(english.contains("<h1>Capability directory</h1>"));
}

#[tokio::test]
async fn ticking_a_facet_narrows_the_results() {
    let app = TestApp::spawn().await;
    let sme = demo_sme(&app).await;
    let visitor = client();

    let everything = page(&visitor, &app, "/directory").await;
    let all = result_count(&everything);
    assert!(all > 1, "the directory lists the registry: {all}");
    let region_box = format!("value=\"region:{}\"", sme.region_code);
    assert!(
        everything.contains(&region_box),
        "the SME's region is a facet value"
    );

    let in_region = page(
        &visitor,
        &app,
        &format!("/directory?q=&f=region%3A{}", sme.region_code),
    )
    .await;
    let narrowed = result_count(&in_region);
    assert!(narrowed >= 1 && narrowed <= all, "{narrowed} of {all}");
    assert!(
        in_region.contains(&format!("{region_box} checked")),
        "the ticked box stays ticked"
    );

    let sme_size = page(&visitor, &app, "/directory?q=usinage+titane&f=size%3Asme").await;
    assert!(hit_ids(&sme_size).contains(&sme.id));
    let large_only = page(&visitor, &app, "/directory?q=usinage+titane&f=size%3Alarge").await;
    assert!(
        !hit_ids(&large_only).contains(&sme.id),
        "the SME is filtered out when only large accounts are asked for"
    );
}

#[tokio::test]
async fn the_results_fragment_is_what_htmx_swaps_in() {
    let app = TestApp::spawn().await;
    let sme = app.organisation_id(DEMO_SME).await;
    let visitor = client();

    let response = visitor
        .get(app.url("/directory/results?q=titane&f=size%3Asme"))
        .header("hx-request", "true")
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 200);
    assert_eq!(
        response
            .headers()
            .get("hx-push-url")
            .and_then(|v| v.to_str().ok()),
        Some("/directory?q=titane&f=size%3Asme"),
        "the address bar follows the search"
    );
    let html = response.text().await.unwrap();
    assert!(!html.contains("<html"), "a fragment, not a page");
    assert!(hit_ids(&html).contains(&sme));
    assert!(
        html.contains("id=\"directory-facets\" hx-swap-oob=\"innerHTML\""),
        "facets refreshed"
    );
    assert!(html.contains("id=\"directory-count\""));
}

#[tokio::test]
async fn malformed_searches_are_refused_with_a_422_page() {
    let app = TestApp::spawn().await;
    let visitor = client();
    for path in [
        "/directory?f=colour%3Ablue",
        "/directory/results?f=colour%3Ablue",
        "/directory?f=region",
        "/directory?q=x&page=0",
        "/directory?q=x&page=abc",
        "/directory?q=x&page=100000",
        "/directory/results?q=x&page=100000",
    ] {
        let response = get(&visitor, &app, path).await;
        assert_eq!(response.status(), 422, "GET {path}");
        let html = response.text().await.unwrap();
        assert!(html.contains("invalid input"), "{path} says why: {html}");
    }
    let html = get(&visitor, &app, "/directory?f=colour%3Ablue")
        .await
        .text()
        .await
        .unwrap();
    assert!(html.contains("colour:blue"), "the offending value is named");
}

#[tokio::test]
async fn a_ten_thousand_character_query_is_answered_with_a_notice() {
    let app = TestApp::spawn().await;
    let text: String = "usinage titane ".repeat(700).chars().take(10_000).collect();
    let query: String = url::form_urlencoded::Serializer::new(String::new())
        .append_pair("q", &text)
        .finish();
    let response = get(&client(), &app, &format!("/directory?{query}")).await;
    assert_eq!(response.status(), 200);
    let html = response.text().await.unwrap();
    assert!(
        html.contains("id=\"directory-truncated\""),
        "the page says the search was cut"
    );
}

#[tokio::test]
async fn signed_in_people_get_the_shortlist_and_saved_search_forms() {
    let app = TestApp::spawn().await;
    let sme = app.organisation_id(DEMO_SME).await;
    let buyer = app.signed_in(BUYER).await;
    let html = page(&buyer.client, &app, "/directory?q=usinage+titane&f=size%3Asme").await;
    assert!(html.contains("action=\"/shortlists/add\""));
    assert!(html.contains(&format!("name=\"organisation_id\" value=\"{sme}\"")));
    assert!(html.contains("Ajouter à ma liste"));
    assert!(html.contains("action=\"/saved-searches\""));
    assert_eq!(
        hidden_value(&html, "query")
            .map(|v| v.replace("&#38;", "&"))
            .as_deref(),
        Some("q=usinage+titane&f=size%3Asme"),
        "the saved search keeps the query without its page"
    );
    assert!(html.contains("name=\"alerts\" value=\"on\""));
    assert!(html.contains(&format!("name=\"csrf_token\" value=\"{}\"", buyer.csrf)));
}

#[tokio::test]
async fn members_only_fields_reach_members_but_never_visitors() {
    let app = TestApp::spawn().await;
    let sme = app.organisation_id(DEMO_SME).await;
    let head = app.signed_in(ORG_ADMIN).await;
    let saved = save_profile(&app, &head.client, sme, &profile_form(&head.csrf, &[])).await;
    assert_eq!(saved.status(), 303, "{}", saved.text().await.unwrap());
    assert_eq!(location(&saved), format!("/directory/{sme}/edit?notice=saved"));
    let editor = page(&head.client, &app, &format!("/directory/{sme}/edit?notice=saved")).await;
    assert!(editor.contains("Profil enregistré."));

    let visitor = client();
    let public = page(&visitor, &app, &format!("/directory/{sme}")).await;
    assert!(
        public.contains("Pièces titane usinées"),
        "public offers are shown"
    );
    assert!(public.contains("EN 9100"));
    assert!(public.contains("Connectez-vous pour voir le profil complet"));
    assert!(!public.contains(SECRET), "members-only text stays hidden");
    assert!(
        !public.contains("Airbus Helicopters"),
        "members-only references stay hidden"
    );
    assert!(!public.contains("De 2 à 10 M€"), "members-only bands stay hidden");
    assert!(!public.contains("edit-profile"));

    let buyer = app.signed_in(BUYER).await;
    let full = page(&buyer.client, &app, &format!("/directory/{sme}")).await;
    assert!(full.contains(SECRET) && full.contains("Airbus Helicopters") && full.contains("De 2 à 10 M€"));
    assert!(
        full.contains("réservé aux membres"),
        "members see which fields are theirs only"
    );
    assert!(
        full.contains("Allemagne") && full.contains("Anglais"),
        "codes read as names"
    );
    assert!(!full.contains("Connectez-vous pour voir le profil complet"));
    assert!(
        !full.contains("edit-profile"),
        "a buyer does not edit another company"
    );

    let mine = page(&head.client, &app, &format!("/directory/{sme}")).await;
    assert!(mine.contains(&format!("href=\"/directory/{sme}/edit\"")));

    // The index follows the save: members find the SME by the members-only word...
    let path = format!("/directory?q={SECRET}");
    let found = search_until(&buyer.client, &app, &path, |html| hit_ids(html).contains(&sme)).await;
    assert!(hit_ids(&found).contains(&sme), "members search members-only text");
    // ...visitors neither find it by that word nor read it in a snippet.
    let blind = page(&visitor, &app, &path).await;
    assert!(
        !hit_ids(&blind).contains(&sme),
        "visitors do not search members-only text"
    );
    let snippets = page(&visitor, &app, "/directory?q=tol%C3%A9rances+titane+alliages").await;
    assert!(!snippets.contains(SECRET), "no snippet shows members-only text");
}

#[tokio::test]
async fn only_its_admins_and_the_cluster_staff_open_the_editor() {
    let app = TestApp::spawn().await;
    let sme = app.organisation_id(DEMO_SME).await;
    let path = format!("/directory/{sme}/edit");
    let before = stored_profile(&app, sme).await;
    for email in [ORG_ADMIN, ADMIN] {
        let signed = app.signed_in(email).await;
        let html = page(&signed.client, &app, &path).await;
        assert!(html.contains("id=\"profile-form\""), "{email} gets the editor");
        assert!(
            html.contains("id=\"completeness\""),
            "{email} sees the completeness report"
        );
        assert!(
            html.contains("id=\"differentiation\""),
            "{email} sees the differentiation report"
        );
        assert!(html.contains("<details"), "capability groups fold");
    }
    for email in [MEMBER, BUYER] {
        let signed = app.signed_in(email).await;
        let response = get(&signed.client, &app, &path).await;
        assert!(
            matches!(response.status().as_u16(), 403 | 404),
            "{email} is refused: {}",
            response.status()
        );
        let posted = save_profile(&app, &signed.client, sme, &profile_form(&signed.csrf, &[])).await;
        assert!(
            matches!(posted.status().as_u16(), 403 | 404),
            "{email} cannot save"
        );
    }
    assert_eq!(
        stored_profile(&app, sme).await,
        before,
        "nobody refused saved anything"
    );
    let response = get(&client(), &app, &path).await;
    assert_eq!(response.status(), 303);
    assert!(
        location(&response).starts_with("/login?next="),
        "visitors are asked to sign in"
    );
}

#[tokio::test]
async fn a_refused_profile_comes_back_as_typed_and_changes_nothing() {
    let app = TestApp::spawn().await;
    let sme = app.organisation_id(DEMO_SME).await;
    let head = app.signed_in(ORG_ADMIN).await;
    let saved = save_profile(&app, &head.client, sme, &profile_form(&head.csrf, &[])).await;
    assert_eq!(saved.status(), 303);
    let before = stored_profile(&app, sme).await.expect("a stored profile");

    let bad = profile_form(
        &head.csrf,
        &[
            ("export_markets", "ZZ"),
            ("offer_title", ""),
            ("offer_description", "Une offre sans titre"),
            ("certification_expires_on", "31/12/2030"),
            ("reference_year", "deux mille"),
            ("presentation", "Un texte modifié qui ne doit pas être enregistré"),
        ],
    );
    let response = save_profile(&app, &head.client, sme, &bad).await;
    assert_eq!(response.status(), 422);
    let html = response.text().await.unwrap();
    for field in [
        "export_markets",
        "offers[0].title",
        "certifications[0].expires_on",
        "references[0].year",
    ] {
        assert!(
            html.contains(&format!("<a href=\"#{field}\"")),
            "{field} is reported: {html}"
        );
    }
    assert!(html.contains("ZZ"), "the unknown code is named");
    assert!(
        html.contains("id=\"offers[0].title-error\""),
        "the error sits beside its field"
    );
    assert!(html.contains("Une offre sans titre"), "what was typed comes back");
    assert!(html.contains("Un texte modifié qui ne doit pas être enregistré"));
    assert!(html.contains("value=\"deux mille\""));
    assert_eq!(
        stored_profile(&app, sme).await.as_deref(),
        Some(before.as_str()),
        "nothing changed"
    );

    // A tampered visibility is refused, not guessed.
    let tampered = profile_form(&head.csrf, &[("capabilities_text_visibility", "everyone")]);
    assert_eq!(
        save_profile(&app, &head.client, sme, &tampered).await.status(),
        422
    );
    assert_eq!(stored_profile(&app, sme).await.as_deref(), Some(before.as_str()));
}

#[tokio::test]
async fn brochures_are_uploaded_listed_downloaded_and_refused_when_wrong() {
    let app = TestApp::spawn().await;
    let sme = app.organisation_id(DEMO_SME).await;
    let head = app.signed_in(ORG_ADMIN).await;
    let csrf = head.csrf.as_str();
    let start = brochure_count(&app, sme).await;

    let bytes = pdf(2_000);
    let body = multipart(
        &[("csrf_token", csrf), ("visibility", "public")],
        Some(("Plaquette été 2026.pdf", &bytes)),
    );
    let response = upload(&app, &head.client, sme, body).await;
    assert_eq!(response.status(), 303, "{}", response.text().await.unwrap());
    assert_eq!(
        location(&response),
        format!("/directory/{sme}/edit?notice=brochure_added")
    );
    let secret = multipart(
        &[("csrf_token", csrf), ("visibility", "members")],
        Some(("tarifs.pdf", &pdf(10))),
    );
    assert_eq!(upload(&app, &head.client, sme, secret).await.status(), 303);
    assert_eq!(brochure_count(&app, sme).await, start + 2);

    let visitor = client();
    let profile = page(&visitor, &app, &format!("/directory/{sme}")).await;
    assert!(profile.contains("Plaquette été 2026.pdf"));
    assert!(
        !profile.contains("tarifs.pdf"),
        "members-only brochures are not listed for visitors"
    );
    let brochures = store::profiles::brochures(&mut app.db.store.conn().await.unwrap(), sme)
        .await
        .unwrap();
    let public = brochures
        .iter()
        .find(|b| b.file_name == "Plaquette été 2026.pdf")
        .unwrap();
    let members = brochures.iter().find(|b| b.file_name == "tarifs.pdf").unwrap();

    let download = get(&visitor, &app, &format!("/directory/brochures/{}", public.id)).await;
    assert_eq!(download.status(), 200);
    let header = |name| {
        download
            .headers()
            .get(name)
            .and_then(|v| v.to_str().ok())
            .unwrap_or_default()
            .to_owned()
    };
    assert_eq!(header(CONTENT_TYPE), "application/pdf");
    assert_eq!(header(reqwest::header::X_CONTENT_TYPE_OPTIONS), "nosniff");
    let disposition = header(CONTENT_DISPOSITION);
    assert!(
        disposition.starts_with("attachment; filename=\"Plaquette _t_ 2026.pdf\""),
        "{disposition}"
    );
    assert!(disposition.contains("filename*=UTF-8''Plaquette%20%C3%A9t%C3%A9%202026.pdf"));
    assert_eq!(download.bytes().await.unwrap().as_ref(), bytes.as_slice());

    let hidden = get(&visitor, &app, &format!("/directory/brochures/{}", members.id)).await;
    assert_eq!(
        hidden.status(),
        404,
        "visitors cannot fetch members-only brochures"
    );
    let buyer = app.signed_in(BUYER).await;
    let seen = get(
        &buyer.client,
        &app,
        &format!("/directory/brochures/{}", members.id),
    )
    .await;
    assert_eq!(seen.status(), 200, "members can");

    // Wrong types and sizes: the editor again, with the reason; nothing stored.
    let refusals: [(&str, Vec<u8>, &str); 3] = [
        (
            "setup.exe",
            b"MZ\x90\x00\x03\x00\x00\x00 not a brochure".to_vec(),
            "not accepted",
        ),
        (
            "notes.pdf",
            b"just some text, named like a PDF".to_vec(),
            "not accepted",
        ),
        ("huge.pdf", pdf(10 * 1024 * 1024), "MiB"),
    ];
    for (name, bytes, reason) in refusals {
        let body = multipart(
            &[("csrf_token", csrf), ("visibility", "public")],
            Some((name, &bytes)),
        );
        let response = upload(&app, &head.client, sme, body).await;
        let status = response.status().as_u16();
        assert!(matches!(status, 413 | 422), "{name}: {status}");
        let html = response.text().await.unwrap();
        assert!(html.contains(reason), "{name} is refused with its reason: {html}");
        assert!(
            html.contains("id=\"brochure-errors\""),
            "{name}: shown on the editor"
        );
    }
    assert_eq!(
        brochure_count(&app, sme).await,
        start + 2,
        "no refused file was stored"
    );

    // The buyer may not add to another company's profile, nor delete from it.
    let body = multipart(
        &[("csrf_token", buyer.csrf.as_str()), ("visibility", "public")],
        Some(("x.pdf", &pdf(10))),
    );
    assert_eq!(upload(&app, &buyer.client, sme, body).await.status(), 404);
    let delete = format!("/directory/{sme}/brochures/{}/delete", public.id);
    let refused = buyer
        .client
        .post(app.url(&delete))
        .form(&[("csrf_token", buyer.csrf.as_str())])
        .send()
        .await
        .unwrap();
    assert_eq!(refused.status(), 404);
    assert_eq!(brochure_count(&app, sme).await, start + 2);

    let deleted = head
        .client
        .post(app.url(&delete))
        .form(&[("csrf_token", csrf)])
        .send()
        .await
        .unwrap();
    assert_eq!(deleted.status(), 303);
    assert_eq!(brochure_count(&app, sme).await, start + 1);
}

#[tokio::test]
async fn forms_without_their_token_are_refused() {
    let app = TestApp::spawn().await;
    let sme = app.organisation_id(DEMO_SME).await;
    let head = app.signed_in(ORG_ADMIN).await;
    let before = (stored_profile(&app, sme).await, brochure_count(&app, sme).await);

    let mut form = profile_form(&head.csrf, &[]);
    form.retain(|(k, _)| k != "csrf_token");
    assert_eq!(save_profile(&app, &head.client, sme, &form).await.status(), 403);

    let without = multipart(&[("visibility", "public")], Some(("a.pdf", &pdf(10))));
    assert_eq!(upload(&app, &head.client, sme, without).await.status(), 403);
    let forged = multipart(
        &[("csrf_token", "x".repeat(43).as_str()), ("visibility", "public")],
        Some(("a.pdf", &pdf(10))),
    );
    assert_eq!(upload(&app, &head.client, sme, forged).await.status(), 403);

    let after = (stored_profile(&app, sme).await, brochure_count(&app, sme).await);
    assert_eq!(after, before, "nothing was saved or stored");
}
