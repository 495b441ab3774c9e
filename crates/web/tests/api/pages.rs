//! The pages as people use them, through real HTTP: signing in and out, the form token, the
//! language, the member list, organisation forms, invitations, password reset and the account page.

use crate::api_client::location;
use crate::helpers::{self, TestApp, client, hidden_value, page};
use crate::policy_matrix::fresh_siret;
use app::demo::{DEMO_LARGE_ACCOUNT, DEMO_PASSWORD, DEMO_SME};
use reqwest::header::{CONTENT_TYPE, SET_COOKIE};
use reqwest::{Client, Response};

const ADMIN: &str = "animation@pole-demo.fr";
const ORG_ADMIN: &str = "dirigeant@pme-demo.fr";
const BUYER: &str = "acheteuse@grandcompte-demo.fr";
const MEMBER: &str = "membre@pme-demo.fr";

async fn attempt_login(app: &TestApp, client: &Client, email: &str, password: &str, next: &str) -> Response {
    let csrf = app.csrf(client).await;
    client
        .post(app.url("/login"))
        .form(&[
            ("email", email),
            ("password", password),
            ("csrf_token", &csrf),
            ("next", next),
        ])
        .send()
        .await
        .unwrap()
}

async fn get(client: &Client, app: &TestApp, path: &str) -> Response {
    client.get(app.url(path)).send().await.unwrap()
}

async fn organisation_count(app: &TestApp) -> (i64, i64) {
    let mut conn = app.db.store.conn().await.unwrap();
    (
        store::organisations::count(&mut conn).await.unwrap(),
        store::clusters::count_members(&mut conn, app.cluster_id)
            .await
            .unwrap(),
    )
}

/// A complete, valid organisation form with one field replaced.
fn organisation_form(overrides: &[(&'static str, &str)]) -> Vec<(&'static str, String)> {
    let mut form: Vec<(&'static str, String)> = [
        ("legal_name", "Fonderie Étoile du Tarn SAS"),
        ("kind", "company"),
        ("siret", "placeholder"),
        ("naf_code", "24.51Z"),
        ("address_line", "12 rue des Forges"),
        ("postcode", "31000"),
        ("commune_code", "31555"),
        ("headcount", "42"),
        ("turnover_eur", "5 200 000"),
        ("balance_sheet_eur", ""),
        ("website", "https://fonderie-etoile.example"),
    ]
    .into_iter()
    .map(|(k, v)| (k, v.to_owned()))
    .collect();
    form[2].1 = fresh_siret(1);
    for (key, value) in overrides {
        let slot = form
            .iter_mut()
            .find(|(k, _)| k == key)
            .expect("a field of the form");
        slot.1 = (*value).to_owned();
    }
    form
}

fn with_csrf(mut form: Vec<(&'static str, String)>, csrf: &str) -> Vec<(&'static str, String)> {
    form.push(("csrf_token", csrf.to_owned()));
    form
}

/// The fields an error summary names, in order.
fn error_fields(html: &str) -> Vec<String> {
    let Some(start) = html.find("id=\"error-summary\"") else {
        return Vec::new();
    };
    let summary = &html[start..html[start..].find("</div>").map_or(html.len(), |e| start + e)];
    summary
        .split("<li><a href=\"#")
        .skip(1)
        .map(|item| item.split('"').next().unwrap_or_default().to_owned())
        .collect()
}

/// Decoded e-mails sent to `to` (quoted-printable or base64 bodies as lettre writes them).
pub(crate) fn mails_to(app: &TestApp, to: &str) -> Vec<String> {
    use base64::Engine;
    app.mails()
        .into_iter()
        .filter_map(|raw| {
            let raw = raw.replace("\r\n", "\n");
            let (head, body) = raw.split_once("\n\n")?;
            let to_line = head.lines().find(|l| l.to_ascii_lowercase().starts_with("to:"))?;
            if !to_line.contains(to) {
                return None;
            }
            let encoding = head.to_ascii_lowercase();
            let decoded = if encoding.contains("content-transfer-encoding: base64") {
                let compact: String = body.split_whitespace().collect();
                let bytes = base64::engine::general_purpose::STANDARD.decode(compact).ok()?;
                String::from_utf8(bytes).ok()?
            } else if encoding.contains("content-transfer-encoding: quoted-printable") {
                quoted_printable(body)
            } else {
                body.to_owned()
            };
            Some(decoded)
        })
        .collect()
}

fn quoted_printable(body: &str) -> String {
    let joined = body.replace("=\n", "");
    let bytes = joined.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        let escaped = (bytes[i] == b'=' && i + 3 <= bytes.len())
            .then(|| std::str::from_utf8(&bytes[i + 1..i + 3]).ok())
            .flatten()
            .and_then(|hex| u8::from_str_radix(hex, 16).ok());
        if let Some(byte) = escaped {
            out.push(byte);
            i += 3;
            continue;
        }
        out.push(bytes[i]);
        i += 1;
    }
    String::from_utf8(out).expect("UTF-8 mail body")
}

/// The first link in `text` that starts with `prefix`.
pub(crate) fn link(text: &str, prefix: &str) -> String {
    let start = text
        .find(prefix)
        .unwrap_or_else(|| panic!("no link {prefix} in:\n{text}"));
    text[start..]
        .split(|c: char| c.is_whitespace())
        .next()
        .unwrap()
        .to_owned()
}

/// The value of a cookie the response sets.
fn set_cookie(response: &Response, name: &str) -> Option<String> {
    response.headers().get_all(SET_COOKIE).iter().find_map(|v| {
        let text = v.to_str().ok()?;
        let value = text.strip_prefix(&format!("{name}="))?;
        Some(value.split(';').next().unwrap_or_default().to_owned())
    })
}

// ---------------------------------------------------------------------------------------------
// Signing in and out

#[tokio::test]
async fn visitor_signs_in_and_is_taken_where_they_were_going() {
    let app = TestApp::spawn().await;
    let browser = client();
    let bounced = get(&browser, &app, "/members?q=titane").await;
    assert_eq!(bounced.status(), 303);
    assert_eq!(location(&bounced), "/login?next=%2Fmembers%3Fq%3Dtitane");

    let html = page(&browser, &app, "/login?next=/members?q=titane").await;
    assert!(
        html.contains("name=\"next\" value=\"/members?q=titane\">"),
        "the form remembers where to go"
    );
    let response = attempt_login(&app, &browser, BUYER, DEMO_PASSWORD, "/members?q=titane").await;
    assert_eq!(response.status(), 303);
    assert_eq!(location(&response), "/members?q=titane");
    let cookie = response
        .headers()
        .get_all(SET_COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .find(|v| v.starts_with("passerelle_session="))
        .expect("a session cookie")
        .to_owned();
    assert!(
        cookie.contains("HttpOnly") && cookie.contains("SameSite=Lax"),
        "{cookie}"
    );

    let account = page(&browser, &app, "/account").await;
    assert!(account.contains(BUYER));
    assert!(account.contains("Sophie Marchand"));

    // A `next` pointing off-site is ignored.
    let other = client();
    let response = attempt_login(&app, &other, MEMBER, DEMO_PASSWORD, "//evil.example/").await;
    assert_eq!(location(&response), "/");
}

/// Browsers drop tabs and newlines inside a URL, so "/<TAB>/evil.example" is "//evil.example":
/// whatever `next` holds, signing in or switching language lands on this site, never a 5xx.
#[tokio::test]
async fn sign_in_and_language_switch_never_send_people_off_site() {
    let app = TestApp::spawn().await;
    let hostile = [
        "//evil.example/",
        "/\\evil.example/",
        "https://evil.example/",
        "/\t/evil.example/",
        "/\n/evil.example/",
        "/\r\n/evil.example/",
        "/\t\\evil.example/",
    ];
    let member = app.signed_in(MEMBER).await;
    let mut offsite = Vec::new();
    for (n, next) in hostile.iter().enumerate() {
        // Spread over three accounts so that no account reaches its sign-in quota.
        let email = [ORG_ADMIN, BUYER, "labo@labo-demo.fr"][n % 3];
        let login = attempt_login(&app, &client(), email, DEMO_PASSWORD, next).await;
        let lang = member
            .client
            .post(app.url("/lang"))
            .form(&[("locale", "fr"), ("next", next), ("csrf_token", &member.csrf)])
            .send()
            .await
            .unwrap();
        for (what, response) in [("sign-in", login), ("language", lang)] {
            // What a browser makes of the Location header.
            let target: String = location(&response)
                .chars()
                .filter(|c| !matches!(c, '\t' | '\n' | '\r'))
                .collect();
            let local = target.starts_with('/') && !target.starts_with("//") && !target.starts_with("/\\");
            if response.status() != 303 || !local {
                offsite.push(format!(
                    "{what} with next={next:?}: {} to {:?}",
                    response.status(),
                    location(&response)
                ));
            }
        }
    }
    assert!(offsite.is_empty(), "{}", offsite.join("\n"));
}

#[tokio::test]
async fn wrong_password_shows_the_form_again_with_a_message_and_no_session() {
    let app = TestApp::spawn().await;
    let browser = client();
    let response = attempt_login(&app, &browser, BUYER, "not-the-password", "/").await;
    assert_eq!(response.status(), 401);
    assert!(set_cookie(&response, "passerelle_session").is_none());
    let html = response.text().await.unwrap();
    assert!(html.contains("id=\"login-error\""));
    assert!(html.contains("Adresse e-mail ou mot de passe incorrect."));
    assert!(
        html.contains(&format!("value=\"{BUYER}\"")),
        "the e-mail stays in the form"
    );
    assert!(!html.contains("not-the-password"), "the password is never echoed");

    // An unknown address gets the very same answer.
    let response = attempt_login(&app, &browser, "nobody@pole-demo.fr", "not-the-password", "/").await;
    assert_eq!(response.status(), 401);
    assert!(
        response
            .text()
            .await
            .unwrap()
            .contains("Adresse e-mail ou mot de passe incorrect.")
    );

    assert_eq!(
        location(&get(&browser, &app, "/account").await),
        "/login?next=%2Faccount"
    );
}

#[tokio::test]
async fn sign_in_is_throttled_after_five_bad_attempts_on_one_account() {
    let app = TestApp::spawn().await;
    let browser = client();
    for attempt in 1..=5 {
        let response = attempt_login(&app, &browser, MEMBER, "guess-number-x", "/").await;
        assert_eq!(response.status(), 401, "attempt {attempt}");
    }
    let response = attempt_login(&app, &browser, MEMBER, DEMO_PASSWORD, "/").await;
    assert_eq!(
        response.status(),
        429,
        "even the right password waits once throttled"
    );
    assert!(set_cookie(&response, "passerelle_session").is_none());
    let html = response.text().await.unwrap();
    assert!(html.contains("Trop de tentatives de connexion"), "{html}");

    // The same address in capitals is the same account.
    let response = attempt_login(&app, &browser, "MEMBRE@pme-demo.fr", DEMO_PASSWORD, "/").await;
    assert_eq!(response.status(), 429);
    // Other accounts are not locked out.
    let response = attempt_login(&app, &client(), ORG_ADMIN, DEMO_PASSWORD, "/").await;
    assert_eq!(response.status(), 303);
}

/// A client without a cookie store: the test hands it cookies itself.
fn bare() -> Client {
    Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap()
}

/// Signs in without a cookie store and returns the raw cookie header, to replay it later.
async fn raw_sign_in(app: &TestApp, email: &str) -> (String, String) {
    let bare = bare();
    let login = bare.get(app.url("/login")).send().await.unwrap();
    let csrf = set_cookie(&login, "passerelle_csrf").expect("a CSRF cookie");
    let response = bare
        .post(app.url("/login"))
        .header("cookie", format!("passerelle_csrf={csrf}"))
        .form(&[
            ("email", email),
            ("password", DEMO_PASSWORD),
            ("csrf_token", &csrf),
            ("next", "/"),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 303);
    let session = set_cookie(&response, "passerelle_session").expect("a session cookie");
    (
        format!("passerelle_session={session}; passerelle_csrf={csrf}"),
        csrf,
    )
}

#[tokio::test]
async fn signing_out_ends_the_session_on_the_server() {
    let app = TestApp::spawn().await;
    let (cookies, csrf) = raw_sign_in(&app, MEMBER).await;
    let bare = bare();
    let account = bare
        .get(app.url("/account"))
        .header("cookie", &cookies)
        .send()
        .await
        .unwrap();
    assert_eq!(account.status(), 200);

    let response = bare
        .post(app.url("/logout"))
        .header("cookie", &cookies)
        .form(&[("csrf_token", &csrf)])
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 303);
    assert_eq!(location(&response), "/");
    assert_eq!(
        set_cookie(&response, "passerelle_session").as_deref(),
        Some(""),
        "the browser is told to forget the session"
    );

    // A copy of the old cookie opens nothing any more.
    let replay = bare
        .get(app.url("/account"))
        .header("cookie", &cookies)
        .send()
        .await
        .unwrap();
    assert_eq!(replay.status(), 303);
    assert_eq!(location(&replay), "/login?next=%2Faccount");
}

// ---------------------------------------------------------------------------------------------
// The form token

#[tokio::test]
async fn form_posts_without_the_right_csrf_token_are_refused_and_change_nothing() {
    let app = TestApp::spawn().await;
    let admin = app.signed_in(ADMIN).await;
    let before = organisation_count(&app).await;
    let form = organisation_form(&[]);
    let wrong = "A".repeat(43);

    let attempts: Vec<(&str, reqwest::RequestBuilder)> = vec![
        (
            "no token",
            admin.client.post(app.url("/organisations")).form(&form),
        ),
        (
            "a wrong token",
            admin
                .client
                .post(app.url("/organisations"))
                .form(&with_csrf(form.clone(), &wrong)),
        ),
        (
            "a wrong htmx header",
            admin
                .client
                .post(app.url("/organisations"))
                .header("x-csrf-token", &wrong)
                .form(&with_csrf(form.clone(), &admin.csrf)),
        ),
        (
            "a JSON body",
            admin
                .client
                .post(app.url("/organisations"))
                .header(CONTENT_TYPE, "application/json")
                .body(format!("{{\"csrf_token\": \"{}\"}}", admin.csrf)),
        ),
    ];
    for (what, request) in attempts {
        let response = request.send().await.unwrap();
        assert_eq!(response.status(), 403, "a form post with {what}");
        assert!(response.text().await.unwrap().contains("security check failed"));
        assert_eq!(
            organisation_count(&app).await,
            before,
            "nothing written with {what}"
        );
    }

    // The token from another browser's cookie does not fit this one.
    let other = client();
    let other_csrf = app.csrf(&other).await;
    let response = admin
        .client
        .post(app.url("/lang"))
        .form(&[("locale", "en"), ("next", "/"), ("csrf_token", &other_csrf)])
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 403);
    // A cross-site post arrives without the (SameSite=Strict) token cookie at all.
    let response = client()
        .post(app.url("/password/forgot"))
        .form(&[("email", MEMBER), ("csrf_token", &admin.csrf)])
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 403);
    assert!(app.mails().is_empty(), "no reset mail sent");
    let mut conn = app.db.store.conn().await.unwrap();
    let person = store::people::by_email(&mut conn, ADMIN).await.unwrap().unwrap();
    assert_eq!(person.locale, "fr");

    // With the right token, in the form or in htmx's header, the same requests go through.
    let response = admin
        .client
        .post(app.url("/organisations"))
        .form(&with_csrf(form.clone(), &admin.csrf))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 303);
    assert_eq!(organisation_count(&app).await, (before.0 + 1, before.1 + 1));
    let response = admin
        .client
        .post(app.url("/lang"))
        .header("x-csrf-token", &admin.csrf)
        .form(&[("locale", "en"), ("next", "/")])
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 303);
}

// ---------------------------------------------------------------------------------------------
// Language

#[tokio::test]
async fn language_toggle_switches_to_english_and_is_remembered_in_the_account() {
    let app = TestApp::spawn().await;
    let member = app.signed_in(MEMBER).await;
    let html = page(&member.client, &app, "/members").await;
    assert!(html.contains("<html lang=\"fr\">"));
    assert!(html.contains("Adhérents du pôle"));
    assert_eq!(
        hidden_value(&html, "locale").as_deref(),
        Some("en"),
        "the toggle offers English"
    );

    let response = member
        .client
        .post(app.url("/lang"))
        .form(&[
            ("locale", "en"),
            ("next", "/members"),
            ("csrf_token", &member.csrf),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 303);
    assert_eq!(location(&response), "/members");
    let html = page(&member.client, &app, "/members").await;
    assert!(html.contains("<html lang=\"en\">"));
    assert!(html.contains("Cluster members"));
    assert!(html.contains("Sign out"));
    assert!(!html.contains("Adhérents du pôle"));

    let mut conn = app.db.store.conn().await.unwrap();
    let person = store::people::by_email(&mut conn, MEMBER).await.unwrap().unwrap();
    assert_eq!(person.locale, "en", "saved in the account");
    // On another device, with no language cookie, the saved choice applies once signed in.
    let elsewhere = app.signed_in(MEMBER).await;
    let html = page(&elsewhere.client, &app, "/account").await;
    assert!(html.contains("<html lang=\"en\">"));
    assert!(html.contains("My account"));

    // Only the two languages of the product are accepted.
    let response = member
        .client
        .post(app.url("/lang"))
        .form(&[("locale", "de"), ("next", "/"), ("csrf_token", &member.csrf)])
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 422);
}

#[tokio::test]
async fn visitor_whose_language_is_english_gets_english_pages() {
    let app = TestApp::spawn().await;
    let french = page(&client(), &app, "/").await;
    assert!(french.contains("<html lang=\"fr\">"));
    assert!(french.contains("Bienvenue sur Passerelle"));

    let response = client()
        .get(app.url("/"))
        .header("accept-language", "en-GB,en;q=0.9,fr;q=0.5")
        .send()
        .await
        .unwrap();
    let html = response.text().await.unwrap();
    assert!(html.contains("<html lang=\"en\">"));
    assert!(html.contains("Welcome to Passerelle"));
    let login = client()
        .get(app.url("/login"))
        .header("accept-language", "en")
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(login.contains("Forgot your password?"));

    // A language the product does not speak falls back to French.
    let html = client()
        .get(app.url("/"))
        .header("accept-language", "de-DE")
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(html.contains("<html lang=\"fr\">"));
}

// ---------------------------------------------------------------------------------------------
// The member list

fn result_count(html: &str) -> i64 {
    let start = html.find("id=\"result-count\">").expect("a result count") + "id=\"result-count\">".len();
    html[start..].split_whitespace().next().unwrap().parse().unwrap()
}

fn listed_ids(html: &str) -> Vec<i64> {
    html.split("<td><a href=\"/organisations/")
        .skip(1)
        .map(|s| s.split('"').next().unwrap().parse().unwrap())
        .collect()
}

#[tokio::test]
async fn buyer_searches_members_by_name_ignoring_accents_and_case() {
    let app = TestApp::spawn().await;
    let buyer = app.signed_in(BUYER).await;
    let sme = app.organisation_id(DEMO_SME).await;
    let large = app.organisation_id(DEMO_LARGE_ACCOUNT).await;

    let html = page(&buyer.client, &app, "/members?q=usinage").await;
    assert!(html.contains(DEMO_SME));
    assert!(listed_ids(&html).contains(&sme));
    assert!(
        html.contains("value=\"usinage\""),
        "the search box keeps the query"
    );

    for query in [
        "aerostructures groupe demo",
        "AÉROSTRUCTURES GROUPE DÉMO",
        "Aérostructures Groupe Démo SA",
        "aérostructures%20%20groupe%20-%20demo",
    ] {
        let html = page(&buyer.client, &app, &format!("/members?q={query}")).await;
        assert_eq!(listed_ids(&html), vec![large], "query {query}");
    }
    let html = page(&buyer.client, &app, "/members?q=zzzz-aucun").await;
    assert_eq!(result_count(&html), 0);
    assert!(listed_ids(&html).is_empty());
    // SQL wildcards typed by a person are plain punctuation, not patterns.
    for query in ["usin%25ge", "usin_ge"] {
        let html = page(&buyer.client, &app, &format!("/members?q={query}")).await;
        assert_eq!(result_count(&html), 0, "query {query}");
    }
}

#[tokio::test]
async fn search_as_you_type_gets_only_the_results_fragment() {
    let app = TestApp::spawn().await;
    let member = app.signed_in(MEMBER).await;
    let fragment = member
        .client
        .get(app.url("/members?q=titane"))
        .header("hx-request", "true")
        .send()
        .await
        .unwrap();
    assert_eq!(fragment.status(), 200);
    let html = fragment.text().await.unwrap();
    assert!(!html.contains("<html"), "a fragment, not a page");
    assert!(!html.contains("<form"));
    assert!(html.contains("id=\"result-count\""));
    assert!(html.contains(DEMO_SME));

    // Back/forward asks htmx to restore history: that needs the whole page.
    let restore = member
        .client
        .get(app.url("/members?q=titane"))
        .header("hx-request", "true")
        .header("hx-history-restore-request", "true")
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(restore.contains("<html"));
    assert!(restore.contains("id=\"member-results\""));
}

#[tokio::test]
async fn member_list_is_paginated_25_by_25() {
    let app = TestApp::spawn().await;
    let member = app.signed_in(MEMBER).await;
    let (_, members) = organisation_count(&app).await;
    let pages = (members + 24) / 25;

    let first = page(&member.client, &app, "/members").await;
    assert_eq!(result_count(&first), members);
    assert_eq!(listed_ids(&first).len(), 25);
    assert!(first.contains(&format!("Page 1 / {pages}")));
    assert!(first.contains("href=\"/members?q=&amp;page=2\" rel=\"next\""));
    assert!(!first.contains("rel=\"prev\""));

    let second = page(&member.client, &app, "/members?page=2").await;
    assert_eq!(listed_ids(&second).len(), 25);
    assert!(
        listed_ids(&second)
            .iter()
            .all(|id| !listed_ids(&first).contains(id))
    );
    assert!(second.contains("rel=\"prev\""));

    let last = page(&member.client, &app, &format!("/members?page={pages}")).await;
    let on_last = members - 25 * (pages - 1);
    assert_eq!(listed_ids(&last).len() as i64, on_last);
    assert!(!last.contains("rel=\"next\""));

    // Every organisation appears exactly once across the pages.
    let mut seen = Vec::new();
    for n in 1..=pages {
        seen.extend(listed_ids(
            &page(&member.client, &app, &format!("/members?page={n}")).await,
        ));
    }
    let total = seen.len();
    seen.sort_unstable();
    seen.dedup();
    assert_eq!((total as i64, seen.len() as i64), (members, members));

    // A hand-typed page that is not a number shows page 1; one past the end shows nobody.
    let typed = page(&member.client, &app, "/members?page=abc").await;
    assert_eq!(listed_ids(&typed), listed_ids(&first));
    let beyond = page(&member.client, &app, &format!("/members?page={}", pages + 1)).await;
    assert!(listed_ids(&beyond).is_empty());
    let far = get(&member.client, &app, "/members?page=9223372036854775807").await;
    assert_eq!(
        far.status(),
        200,
        "a huge page number is an empty page, not a server error"
    );
    // A search text longer than any name is refused politely.
    let long = get(&member.client, &app, &format!("/members?q={}", "a".repeat(201))).await;
    assert_eq!(long.status(), 422);
}

// ---------------------------------------------------------------------------------------------
// Organisations

#[tokio::test]
async fn organisation_page_shows_the_registry_facts_and_offers_editing_only_to_its_admins() {
    let app = TestApp::spawn().await;
    let sme = app.organisation_id(DEMO_SME).await;
    let path = format!("/organisations/{sme}");

    let buyer = app.signed_in(BUYER).await;
    let html = page(&buyer.client, &app, &path).await;
    assert!(html.contains(&format!("<h1>{DEMO_SME}</h1>")));
    assert!(html.contains("25.62B"), "NAF code");
    assert!(html.contains("Toulouse"), "commune resolved to its name");
    assert!(
        !html.contains(&format!("href=\"{path}/edit\"")),
        "a buyer cannot edit"
    );
    assert!(!html.contains("/invitations\""), "nor invite");
    assert!(!html.contains("mailto:"), "nor see the people");

    let org_admin = app.signed_in(ORG_ADMIN).await;
    let html = page(&org_admin.client, &app, &path).await;
    assert!(html.contains(&format!("href=\"{path}/edit\"")));
    assert!(html.contains(&format!("action=\"{path}/invitations\"")));
    assert!(html.contains("mailto:membre@pme-demo.fr"));
    assert!(
        !html.contains("<option value=\"cluster_admin\"") && !html.contains("<option value=\"mediator\""),
        "an organisation admin is not offered cluster roles"
    );
    assert!(html.contains("<option value=\"buyer\""));

    let admin = app.signed_in(ADMIN).await;
    let html = page(&admin.client, &app, &path).await;
    assert!(html.contains("<option value=\"cluster_admin\""));
    let home = page(&admin.client, &app, "/").await;
    let (_, members) = organisation_count(&app).await;
    assert!(
        home.contains(&format!("<strong>{members}</strong>")),
        "staff see the registry's size"
    );
}

async fn create_organisation_through_the_form(app: TestApp) {
    let admin = app.signed_in(ADMIN).await;
    let html = page(&admin.client, &app, "/organisations/new").await;
    assert!(html.contains("action=\"/organisations\""));
    let before = organisation_count(&app).await;

    let response = admin
        .client
        .post(app.url("/organisations"))
        .form(&with_csrf(organisation_form(&[]), &admin.csrf))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 303);
    let target = location(&response);
    let id: i64 = target
        .strip_prefix("/organisations/")
        .and_then(|id| id.parse().ok())
        .unwrap_or_else(|| panic!("redirect to the new page, got {target}"));
    assert_eq!(organisation_count(&app).await, (before.0 + 1, before.1 + 1));

    let html = page(&admin.client, &app, &target).await;
    assert!(html.contains("<h1>Fonderie Étoile du Tarn SAS</h1>"));
    let mut conn = app.db.store.conn().await.unwrap();
    let stored = store::organisations::get(&mut conn, id).await.unwrap().unwrap();
    assert_eq!(stored.siret, fresh_siret(1));
    assert_eq!(stored.naf_code, "24.51Z");
    assert_eq!(
        stored.turnover_eur,
        Some(5_200_000),
        "spaces in numbers are accepted"
    );
    assert_eq!(stored.department_code, "31");
    let search = page(&admin.client, &app, "/members?q=fonderie%20etoile").await;
    assert_eq!(listed_ids(&search), vec![id]);
}

#[tokio::test]
async fn cluster_admin_registers_an_organisation_through_the_form_on_sqlite() {
    create_organisation_through_the_form(TestApp::spawn().await).await;
}

#[tokio::test]
async fn cluster_admin_registers_an_organisation_through_the_form_on_postgres() {
    helpers::on_postgres(
        "cluster_admin_registers_an_organisation_through_the_form",
        create_organisation_through_the_form,
    )
    .await;
}

async fn refused_organisation_form_lists_every_mistake_and_writes_nothing(app: TestApp) {
    let admin = app.signed_in(ADMIN).await;
    let before = organisation_count(&app).await;
    let mut conn = app.db.store.conn().await.unwrap();
    let sme = store::organisations::get(&mut conn, app.organisation_id(DEMO_SME).await)
        .await
        .unwrap()
        .unwrap();
    drop(conn);
    let long_name = "N".repeat(201);
    // (what, fields typed differently from the valid form, status, fields the summary names)
    type Case<'a> = (&'a str, Vec<(&'static str, &'a str)>, u16, Vec<&'a str>);
    let cases: Vec<Case> = vec![
        (
            "a SIRET failing Luhn",
            vec![("siret", "732 829 320 00075")],
            422,
            vec!["siret"],
        ),
        (
            "an unknown NAF code",
            vec![("naf_code", "99.99Z")],
            422,
            vec!["naf_code"],
        ),
        (
            "an over-long name",
            vec![("legal_name", &long_name)],
            422,
            vec!["legal_name"],
        ),
        (
            "a headcount in words",
            vec![("headcount", "quarante")],
            422,
            vec!["headcount"],
        ),
        (
            "everything wrong",
            vec![
                ("legal_name", " "),
                ("siret", "123"),
                ("naf_code", "nope"),
                ("commune_code", "00000"),
                ("website", "ftp://x"),
            ],
            422,
            vec!["legal_name", "siret", "naf_code", "commune_code", "website"],
        ),
        (
            "the SIRET of a member",
            vec![("siret", &sme.siret)],
            409,
            vec!["form"],
        ),
    ];
    for (what, overrides, status, fields) in cases {
        let form = organisation_form(&overrides);
        let response = admin
            .client
            .post(app.url("/organisations"))
            .form(&with_csrf(form.clone(), &admin.csrf))
            .send()
            .await
            .unwrap();
        assert_eq!(response.status(), status, "{what}");
        let html = response.text().await.unwrap();
        assert!(html.contains("<html"), "{what}: a whole page");
        assert_eq!(error_fields(&html), fields, "{what}: the fields named");
        assert!(
            html.contains("action=\"/organisations\""),
            "{what}: the form comes back"
        );
        let website = form.iter().find(|(k, _)| *k == "website").unwrap().1.clone();
        assert!(
            html.contains(&format!("value=\"{website}\"")),
            "{what}: with what was typed"
        );
        assert_eq!(organisation_count(&app).await, before, "{what}: nothing written");
    }
}

#[tokio::test]
async fn refused_organisation_form_lists_every_mistake_and_writes_nothing_on_sqlite() {
    refused_organisation_form_lists_every_mistake_and_writes_nothing(TestApp::spawn().await).await;
}

#[tokio::test]
async fn refused_organisation_form_lists_every_mistake_and_writes_nothing_on_postgres() {
    helpers::on_postgres(
        "refused_organisation_form_lists_every_mistake_and_writes_nothing",
        refused_organisation_form_lists_every_mistake_and_writes_nothing,
    )
    .await;
}

#[tokio::test]
async fn organisation_admin_edits_their_organisation_and_only_theirs() {
    let app = TestApp::spawn().await;
    let sme = app.organisation_id(DEMO_SME).await;
    let large = app.organisation_id(DEMO_LARGE_ACCOUNT).await;
    let org_admin = app.signed_in(ORG_ADMIN).await;

    let html = page(&org_admin.client, &app, &format!("/organisations/{sme}/edit")).await;
    assert!(html.contains(&format!("action=\"/organisations/{sme}\"")));
    assert!(
        html.contains(&format!("value=\"{DEMO_SME}\"")),
        "the form holds the current values"
    );
    let mut conn = app.db.store.conn().await.unwrap();
    let before = store::organisations::get(&mut conn, sme).await.unwrap().unwrap();
    let mut form: Vec<(&'static str, String)> = vec![
        ("legal_name", before.legal_name.clone()),
        ("kind", before.kind.clone()),
        ("siret", before.siret.clone()),
        ("naf_code", before.naf_code.clone()),
        ("address_line", "8 chemin de la Titane".into()),
        ("postcode", before.postcode.clone()),
        ("commune_code", before.commune_code.clone()),
        ("headcount", "52".into()),
        (
            "turnover_eur",
            before.turnover_eur.map(|t| t.to_string()).unwrap_or_default(),
        ),
        ("balance_sheet_eur", String::new()),
        ("website", "https://usinage-titane.example".into()),
    ];
    form.push(("csrf_token", org_admin.csrf.clone()));
    let response = org_admin
        .client
        .post(app.url(&format!("/organisations/{sme}")))
        .form(&form)
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 303);
    assert_eq!(location(&response), format!("/organisations/{sme}"));
    let after = store::organisations::get(&mut conn, sme).await.unwrap().unwrap();
    assert_eq!(after.headcount, 52);
    assert_eq!(after.address_line, "8 chemin de la Titane");
    assert_eq!(after.website.as_deref(), Some("https://usinage-titane.example"));
    assert_eq!(after.siret, before.siret);
    let audit = store::audit::of_entity(&mut conn, "organisation", sme)
        .await
        .unwrap();
    assert_eq!(
        audit.last().map(|e| e.action.as_str()),
        Some("update"),
        "the change is audited"
    );

    // The same form aimed at another organisation is refused and changes nothing there.
    let large_before = store::organisations::get(&mut conn, large)
        .await
        .unwrap()
        .unwrap();
    let response = org_admin
        .client
        .post(app.url(&format!("/organisations/{large}")))
        .form(&form)
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 403);
    assert_eq!(
        store::organisations::get(&mut conn, large)
            .await
            .unwrap()
            .unwrap(),
        large_before
    );
    assert_eq!(
        get(&org_admin.client, &app, &format!("/organisations/{large}/edit"))
            .await
            .status(),
        403
    );
}

// ---------------------------------------------------------------------------------------------
// Invitations and passwords

#[tokio::test]
async fn invited_colleague_signs_up_from_the_emailed_link_once() {
    let app = TestApp::spawn().await;
    let sme = app.organisation_id(DEMO_SME).await;
    let org_admin = app.signed_in(ORG_ADMIN).await;
    let newcomer = "camille.nouvelle@pme-demo.fr";

    let response = org_admin
        .client
        .post(app.url(&format!("/organisations/{sme}/invitations")))
        .form(&[
            ("email", newcomer),
            ("role", "buyer"),
            ("csrf_token", &org_admin.csrf),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 200);
    let html = response.text().await.unwrap();
    assert!(
        html.contains(&format!("Invitation envoyée à {newcomer}")),
        "{html}"
    );

    let mails = mails_to(&app, newcomer);
    assert_eq!(mails.len(), 1, "one invitation e-mail");
    assert!(mails[0].contains(DEMO_SME));
    let link = link(&mails[0], &format!("{}/invitations/", app.address));
    let path = link.strip_prefix(&app.address).unwrap().to_owned();

    let browser = client();
    let html = page(&browser, &app, &path).await;
    assert!(html.contains(DEMO_SME) && html.contains(newcomer));
    let csrf = hidden_value(&html, "csrf_token").unwrap();

    // A mistake in the sign-up form keeps the invitation open.
    let response = browser
        .post(app.url(&path))
        .form(&[
            ("first_name", "Camille"),
            ("last_name", ""),
            ("password", "court"),
            ("csrf_token", &csrf),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 422);
    let html = response.text().await.unwrap();
    assert_eq!(error_fields(&html), ["last_name", "password"]);
    assert!(html.contains("value=\"Camille\""));

    let response = browser
        .post(app.url(&path))
        .form(&[
            ("first_name", "Camille"),
            ("last_name", "Nouvelle"),
            ("job_title", "Acheteuse"),
            ("password", "un-mot-de-passe-solide"),
            ("locale", "fr"),
            ("csrf_token", &csrf),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 303);
    assert_eq!(location(&response), "/");
    let home = page(&browser, &app, "/").await;
    assert!(home.contains("Bonjour Camille Nouvelle"));
    assert!(home.contains(DEMO_SME));
    let account = page(&browser, &app, "/account").await;
    assert!(
        account.contains("Acheteur") && account.contains("Membre"),
        "buyer, and member of the SME"
    );

    let mut conn = app.db.store.conn().await.unwrap();
    let person = store::people::by_email(&mut conn, newcomer)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(person.organisation_id, sme);
    let roles: Vec<String> = store::people::grants(&mut conn, person.id)
        .await
        .unwrap()
        .into_iter()
        .map(|g| format!("{}@{}:{}", g.role, g.scope_kind, g.scope_id))
        .collect();
    assert_eq!(
        roles,
        [
            format!("buyer@organisation:{sme}"),
            format!("member@organisation:{sme}")
        ]
    );

    // The link works once.
    assert_eq!(get(&client(), &app, &path).await.status(), 410);
    let again = client();
    let csrf = app.csrf(&again).await;
    let response = again
        .post(app.url(&path))
        .form(&[
            ("first_name", "Intrus"),
            ("last_name", "Second"),
            ("password", "un-autre-mot-de-passe"),
            ("csrf_token", &csrf),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 410);
    assert!(set_cookie(&response, "passerelle_session").is_none());
    // And the newcomer can sign in with the chosen password.
    let response = attempt_login(&app, &client(), newcomer, "un-mot-de-passe-solide", "/").await;
    assert_eq!(response.status(), 303);
}

#[tokio::test]
async fn forgotten_password_is_reset_from_the_emailed_link_once() {
    let app = TestApp::spawn().await;
    let still_signed_in = app.signed_in(MEMBER).await;
    let browser = client();
    let csrf = app.csrf(&browser).await;
    let response = browser
        .post(app.url("/password/forgot"))
        .form(&[("email", "  Membre@PME-demo.fr "), ("csrf_token", &csrf)])
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 200);
    assert!(
        response
            .text()
            .await
            .unwrap()
            .contains("Si un compte existe pour cette adresse")
    );

    let mails = mails_to(&app, MEMBER);
    assert_eq!(mails.len(), 1);
    let path = link(&mails[0], &format!("{}/password/reset/", app.address))
        .strip_prefix(&app.address)
        .unwrap()
        .to_owned();
    let html = page(&browser, &app, &path).await;
    assert!(html.contains(&format!("action=\"{path}\"")));

    let too_short = browser
        .post(app.url(&path))
        .form(&[("password", "court"), ("csrf_token", &csrf)])
        .send()
        .await
        .unwrap();
    assert_eq!(
        too_short.status(),
        422,
        "a refused password does not use up the link"
    );
    let response = browser
        .post(app.url(&path))
        .form(&[("password", "nouveau-mot-de-passe"), ("csrf_token", &csrf)])
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 200);
    assert!(
        response
            .text()
            .await
            .unwrap()
            .contains("Votre mot de passe a été changé")
    );

    assert_eq!(
        get(&still_signed_in.client, &app, "/account").await.status(),
        303,
        "a reset ends the sessions already open"
    );
    let old = attempt_login(&app, &client(), MEMBER, DEMO_PASSWORD, "/").await;
    assert_eq!(old.status(), 401, "the old password is refused");
    let new = attempt_login(&app, &client(), MEMBER, "nouveau-mot-de-passe", "/").await;
    assert_eq!(new.status(), 303, "the new one works");

    let reused = browser
        .post(app.url(&path))
        .form(&[("password", "encore-un-autre-mot"), ("csrf_token", &csrf)])
        .send()
        .await
        .unwrap();
    assert_eq!(reused.status(), 410, "the link is single use");
    let after_reuse = attempt_login(&app, &client(), MEMBER, "encore-un-autre-mot", "/").await;
    assert_eq!(after_reuse.status(), 401);
}

#[tokio::test]
async fn password_reset_request_does_not_tell_who_has_an_account() {
    let app = TestApp::spawn().await;
    let browser = client();
    let csrf = app.csrf(&browser).await;
    let mut answers = Vec::new();
    for email in [MEMBER, "personne@pme-demo.fr"] {
        let response = browser
            .post(app.url("/password/forgot"))
            .form(&[("email", email), ("csrf_token", &csrf)])
            .send()
            .await
            .unwrap();
        answers.push((response.status().as_u16(), response.text().await.unwrap()));
    }
    assert_eq!(answers[0].0, 200);
    assert_eq!(
        answers[0], answers[1],
        "a known and an unknown address get the same page"
    );
    assert_eq!(app.mails().len(), 1, "only the known address gets mail");
    assert_eq!(mails_to(&app, MEMBER).len(), 1);

    // Something that is not an address at all is pointed out.
    let response = browser
        .post(app.url("/password/forgot"))
        .form(&[("email", "pas-une-adresse"), ("csrf_token", &csrf)])
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 422);
    assert_eq!(error_fields(&response.text().await.unwrap()), ["email"]);
}

// ---------------------------------------------------------------------------------------------
// The account page

#[tokio::test]
async fn person_changes_their_password_on_the_account_page() {
    let app = TestApp::spawn().await;
    let member = app.signed_in(MEMBER).await;
    let change = |current: &'static str, new: &'static str| {
        member
            .client
            .post(app.url("/account/password"))
            .form(&[
                ("current_password", current),
                ("new_password", new),
                ("csrf_token", &member.csrf),
            ])
            .send()
    };

    let response = change("not-my-password", "un-nouveau-mot-de-passe")
        .await
        .unwrap();
    assert_eq!(response.status(), 422);
    assert_eq!(
        error_fields(&response.text().await.unwrap()),
        ["current_password"]
    );
    let response = change(DEMO_PASSWORD, "court").await.unwrap();
    assert_eq!(response.status(), 422);
    assert_eq!(error_fields(&response.text().await.unwrap()), ["new_password"]);
    let old_still_works = attempt_login(&app, &client(), MEMBER, DEMO_PASSWORD, "/").await;
    assert_eq!(old_still_works.status(), 303, "refused changes change nothing");

    let response = change(DEMO_PASSWORD, "un-nouveau-mot-de-passe").await.unwrap();
    assert_eq!(response.status(), 200);
    assert!(
        response
            .text()
            .await
            .unwrap()
            .contains("Votre mot de passe a été changé.")
    );
    assert_eq!(
        attempt_login(&app, &client(), MEMBER, DEMO_PASSWORD, "/")
            .await
            .status(),
        401
    );
    assert_eq!(
        attempt_login(&app, &client(), MEMBER, "un-nouveau-mot-de-passe", "/")
            .await
            .status(),
        303
    );
}

#[tokio::test]
async fn person_creates_an_api_token_sees_it_once_and_revokes_it() {
    let app = TestApp::spawn().await;
    let buyer = app.signed_in(BUYER).await;
    let response = buyer
        .client
        .post(app.url("/account/tokens"))
        .form(&[("name", "Export ERP"), ("csrf_token", &buyer.csrf)])
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 200);
    let html = response.text().await.unwrap();
    assert!(html.contains("Jeton créé."));
    let start =
        html.find("<code id=\"new-token\">").expect("the token is shown") + "<code id=\"new-token\">".len();
    let token = html[start..].split('<').next().unwrap().to_owned();
    assert!(token.starts_with("psl_"), "{token}");

    let me = client()
        .get(app.url("/api/v1/me"))
        .bearer_auth(&token)
        .send()
        .await
        .unwrap();
    assert_eq!(me.status(), 200);
    let me: serde_json::Value = me.json().await.unwrap();
    assert_eq!(me["email"], BUYER);

    let account = page(&buyer.client, &app, "/account").await;
    assert!(account.contains("Export ERP"));
    assert!(!account.contains(&token), "shown once, never again");
    let marker = "action=\"/account/tokens/";
    let start = account.find(marker).expect("a revoke button") + marker.len();
    let id = account[start..].split('/').next().unwrap().to_owned();

    let response = buyer
        .client
        .post(app.url(&format!("/account/tokens/{id}/revoke")))
        .form(&[("csrf_token", &buyer.csrf)])
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 200);
    let html = response.text().await.unwrap();
    assert!(html.contains("Jeton révoqué."));
    assert!(html.contains("Révoqué"));

    let me = client()
        .get(app.url("/api/v1/me"))
        .bearer_auth(&token)
        .send()
        .await
        .unwrap();
    assert_eq!(me.status(), 401);
    assert_eq!(me.headers().get("www-authenticate").unwrap(), "Bearer");
    // Revoking twice finds nothing to revoke.
    let again = buyer
        .client
        .post(app.url(&format!("/account/tokens/{id}/revoke")))
        .form(&[("csrf_token", &buyer.csrf)])
        .send()
        .await
        .unwrap();
    assert_eq!(again.status(), 404);
}

#[tokio::test]
async fn a_page_session_does_not_open_the_api_and_a_token_does_not_open_the_pages() {
    let app = TestApp::spawn().await;
    let member = app.signed_in(MEMBER).await;
    let api = member.client.get(app.url("/api/v1/me")).send().await.unwrap();
    assert_eq!(api.status(), 401, "the session cookie is not an API credential");

    let token = app.token_for(MEMBER).await;
    let response = client()
        .get(app.url("/account"))
        .bearer_auth(&token)
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 303, "a bearer token is not a page session");
    assert_eq!(location(&response), "/login?next=%2Faccount");
    // Nor does a bearer token stand in for the form token.
    let response = client()
        .post(app.url("/lang"))
        .bearer_auth(&token)
        .form(&[("locale", "en"), ("next", "/")])
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 403);
}

/// A mistyped address in the browser gets a page in the person's language; problem documents
/// are for API clients under /api.
#[tokio::test]
async fn an_unknown_page_is_an_html_not_found_page() {
    let app = TestApp::spawn().await;
    let response = client()
        .get(app.url("/organisation/1"))
        .header("accept", "text/html")
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 404);
    let content_type = response.headers()[CONTENT_TYPE].to_str().unwrap().to_owned();
    let body = response.text().await.unwrap();
    assert!(
        content_type.starts_with("text/html"),
        "answered as {content_type}: {body}"
    );
    assert!(body.contains("<html lang=\"fr\">"));
}
