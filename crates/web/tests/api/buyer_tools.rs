//! A buyer's own tools, through the pages and the API: saved searches that e-mail newly matching
//! profiles, and supplier shortlists exported as CSV and XLSX. Nobody reaches anyone else's.

use crate::api_client::{Caller, error_fields, json_of, problem};
use crate::helpers::{TestApp, client};
use crate::pages::mails_to;
use app::Actor;
use app::demo::{DEMO_LAB, DEMO_SME};
use app::directory::DirectoryQuery;
use reqwest::Response;
use reqwest::header::{CONTENT_DISPOSITION, CONTENT_TYPE, LOCATION, REFERER};
use serde_json::{Value, json};
use std::io::Read;
use std::time::Duration;

const ADMIN: &str = "animation@pole-demo.fr";
const ORG_ADMIN: &str = "dirigeant@pme-demo.fr";
const BUYER: &str = "acheteuse@grandcompte-demo.fr";
const EVALUATOR: &str = "evaluateur@grandcompte-demo.fr";
const MEMBER: &str = "membre@pme-demo.fr";
const LAB: &str = "labo@labo-demo.fr";

/// A problem document with this status; returns the names of the fields it blames.
async fn refused(response: Response, status: u16) -> Vec<String> {
    error_fields(&problem(response, status).await)
}

async fn actor(app: &TestApp, email: &str) -> Actor {
    let mut conn = app.db.store.conn().await.unwrap();
    let person = store::people::by_email(&mut conn, email).await.unwrap().unwrap();
    Actor::Person(
        app::actor::load_principal(&mut conn, person.id)
            .await
            .unwrap()
            .unwrap(),
    )
}

/// A new shortlist of `caller`'s; returns its id.
async fn new_list(caller: &Caller<'_>, name: &str) -> i64 {
    let created = json_of(
        caller.post("/api/v1/shortlists", &json!({ "name": name })).await,
        201,
    )
    .await;
    created["id"].as_i64().unwrap()
}

// ---------------------------------------------------------------------------------------------
// Who may

#[tokio::test]
async fn visitors_are_asked_to_sign_in_and_nothing_is_stored() {
    let app = TestApp::spawn().await;
    let visitor = Caller::visitor(&app);
    for path in [
        "/api/v1/saved-searches",
        "/api/v1/shortlists",
        "/api/v1/shortlists/1",
    ] {
        refused(visitor.get(path).await, 401).await;
    }
    refused(
        visitor.post("/api/v1/shortlists", &json!({ "name": "x" })).await,
        401,
    )
    .await;
    refused(
        visitor
            .post(
                "/api/v1/saved-searches",
                &json!({ "name": "x", "query": "q=titane" }),
            )
            .await,
        401,
    )
    .await;
    refused(visitor.get("/api/v1/shortlists/1/export?format=csv").await, 401).await;

    let browser = client();
    for path in [
        "/saved-searches",
        "/shortlists",
        "/shortlists/1",
        "/shortlists/1/export.csv",
    ] {
        let response = browser.get(app.url(path)).send().await.unwrap();
        assert_eq!(response.status(), 303, "{path}");
        let location = response.headers()[LOCATION].to_str().unwrap();
        assert!(location.starts_with("/login?next="), "{path}: {location}");
    }
    let csrf = app.csrf(&browser).await;
    let sme = app.organisation_id(DEMO_SME).await;
    let response = browser
        .post(app.url("/shortlists/add"))
        .form(&[
            ("csrf_token", csrf.as_str()),
            ("organisation_id", &sme.to_string()),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 303);
    assert!(
        response.headers()[LOCATION]
            .to_str()
            .unwrap()
            .starts_with("/login")
    );
    let error = app
        .app
        .save_search(&Actor::Visitor, "x", &DirectoryQuery::text("titane"), true)
        .await
        .unwrap_err();
    assert!(matches!(error, app::AppError::Unauthenticated), "{error:?}");
    let mut conn = app.db.store.conn().await.unwrap();
    assert_eq!(
        store::saved_searches::with_alerts(&mut conn).await.unwrap().len(),
        0
    );
}

#[tokio::test]
async fn every_signed_in_role_keeps_its_own_lists_and_never_reaches_anothers() {
    let app = TestApp::spawn().await;
    let sme = app.organisation_id(DEMO_SME).await;
    let buyer = Caller::person(&app, BUYER).await;
    let list = new_list(&buyer, "Usineurs").await;
    json_of(
        buyer
            .post(
                &format!("/api/v1/shortlists/{list}/entries"),
                &json!({ "organisation_id": sme }),
            )
            .await,
        201,
    )
    .await;
    let search = json_of(
        buyer
            .post(
                "/api/v1/saved-searches",
                &json!({ "name": "Titane", "query": "q=titane", "alerts": true }),
            )
            .await,
        201,
    )
    .await["id"]
        .as_i64()
        .unwrap();

    // Cluster staff, an SME's head and member, an evaluator of the buyer's own company, a lab.
    for email in [ADMIN, ORG_ADMIN, MEMBER, EVALUATOR, LAB] {
        let other = Caller::person(&app, email).await;
        assert_eq!(
            json_of(other.get("/api/v1/shortlists").await, 200).await,
            json!([]),
            "{email}"
        );
        assert_eq!(
            json_of(other.get("/api/v1/saved-searches").await, 200).await,
            json!([]),
            "{email}"
        );
        refused(other.get(&format!("/api/v1/shortlists/{list}")).await, 404).await;
        refused(
            other
                .get(&format!("/api/v1/shortlists/{list}/export?format=csv"))
                .await,
            404,
        )
        .await;
        refused(
            other
                .post(
                    &format!("/api/v1/shortlists/{list}/entries"),
                    &json!({ "organisation_id": sme }),
                )
                .await,
            404,
        )
        .await;
        refused(
            other
                .delete(&format!("/api/v1/shortlists/{list}/entries/{sme}"))
                .await,
            404,
        )
        .await;
        refused(other.delete(&format!("/api/v1/shortlists/{list}")).await, 404).await;
        refused(
            other.delete(&format!("/api/v1/saved-searches/{search}")).await,
            404,
        )
        .await;
        // Each may keep their own.
        let own = new_list(&other, "Mes fournisseurs").await;
        assert_ne!(own, list);
    }

    // The same through the pages.
    let member = app.signed_in(MEMBER).await;
    let page = member
        .client
        .get(app.url(&format!("/shortlists/{list}")))
        .send()
        .await
        .unwrap();
    assert_eq!(page.status(), 404);
    let export = member
        .client
        .get(app.url(&format!("/shortlists/{list}/export.xlsx")))
        .send()
        .await
        .unwrap();
    assert_eq!(export.status(), 404);
    for path in [
        format!("/shortlists/{list}/delete"),
        format!("/shortlists/{list}/entries/{sme}/delete"),
        format!("/shortlists/{list}/rename"),
        format!("/saved-searches/{search}/delete"),
        format!("/saved-searches/{search}/alerts"),
    ] {
        let response = member
            .client
            .post(app.url(&path))
            .form(&[
                ("csrf_token", member.csrf.as_str()),
                ("name", "Volée"),
                ("alerts", "off"),
            ])
            .send()
            .await
            .unwrap();
        assert_eq!(response.status(), 404, "{path}");
    }
    let added = member
        .client
        .post(app.url("/shortlists/add"))
        .form(&[
            ("csrf_token", member.csrf.as_str()),
            ("organisation_id", &sme.to_string()),
            ("shortlist_id", &list.to_string()),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(added.status(), 404, "adding to another's list");

    // The buyer's list and search are as they were.
    let mine = json_of(buyer.get(&format!("/api/v1/shortlists/{list}")).await, 200).await;
    assert_eq!(mine["name"], "Usineurs");
    assert_eq!(mine["entries"].as_array().unwrap().len(), 1);
    let searches = json_of(buyer.get("/api/v1/saved-searches").await, 200).await;
    assert_eq!(searches[0]["alerts"], true);
    assert_eq!(
        json_of(buyer.get("/api/v1/shortlists").await, 200)
            .await
            .as_array()
            .unwrap()
            .len(),
        1
    );
}

// ---------------------------------------------------------------------------------------------
// Bad input

#[tokio::test]
async fn bad_input_is_refused_by_field_and_nothing_is_stored() {
    let app = TestApp::spawn().await;
    let sme = app.organisation_id(DEMO_SME).await;
    let buyer = Caller::person(&app, BUYER).await;
    let long = "x".repeat(121);
    for name in ["", "   ", long.as_str(), "tab\u{7}bell"] {
        let fields = refused(
            buyer.post("/api/v1/shortlists", &json!({ "name": name })).await,
            422,
        )
        .await;
        assert_eq!(fields, ["name"], "{name:?}");
        let fields = refused(
            buyer
                .post(
                    "/api/v1/saved-searches",
                    &json!({ "name": name, "query": "q=titane" }),
                )
                .await,
            422,
        )
        .await;
        assert_eq!(fields, ["name"], "{name:?}");
    }
    refused(buyer.post("/api/v1/shortlists", &json!({})).await, 422).await;
    for query in ["f=colour:blue", "f=region", "q=titane&page=deux"] {
        let fields = refused(
            buyer
                .post(
                    "/api/v1/saved-searches",
                    &json!({ "name": "Couleurs", "query": query }),
                )
                .await,
            422,
        )
        .await;
        assert_eq!(fields, ["query"], "{query}");
    }
    assert_eq!(
        json_of(buyer.get("/api/v1/saved-searches").await, 200).await,
        json!([])
    );
    assert_eq!(
        json_of(buyer.get("/api/v1/shortlists").await, 200).await,
        json!([])
    );

    let list = new_list(&buyer, "Énergie").await;
    let entries = format!("/api/v1/shortlists/{list}/entries");
    let note = "n".repeat(501);
    let fields = refused(
        buyer
            .post(&entries, &json!({ "organisation_id": sme, "note": note }))
            .await,
        422,
    )
    .await;
    assert_eq!(fields, ["note"]);
    refused(
        buyer.post(&entries, &json!({ "organisation_id": 999_999 })).await,
        404,
    )
    .await;
    refused(
        buyer.post(&entries, &json!({ "organisation_id": "abc" })).await,
        422,
    )
    .await;
    refused(
        buyer
            .post(
                "/api/v1/shortlists/999999/entries",
                &json!({ "organisation_id": sme }),
            )
            .await,
        404,
    )
    .await;
    refused(buyer.delete(&format!("{entries}/{sme}")).await, 404).await;
    let fields = refused(
        buyer
            .get(&format!("/api/v1/shortlists/{list}/export?format=pdf"))
            .await,
        422,
    )
    .await;
    assert_eq!(fields, ["format"]);
    refused(buyer.get(&format!("/api/v1/shortlists/{list}/export")).await, 422).await;
    refused(
        buyer.get("/api/v1/shortlists/999999/export?format=csv").await,
        404,
    )
    .await;
    let view = json_of(buyer.get(&format!("/api/v1/shortlists/{list}")).await, 200).await;
    assert_eq!(view["entries"], json!([]), "nothing was added");

    // The same mistakes through the pages come back beside the form, with what was typed.
    let signed = app.signed_in(BUYER).await;
    let page = signed
        .client
        .post(app.url("/saved-searches"))
        .form(&[
            ("csrf_token", signed.csrf.as_str()),
            ("name", "Couleurs"),
            ("query", "f=colour:blue"),
            ("alerts", "on"),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(page.status(), 422);
    let html = page.text().await.unwrap();
    assert!(html.contains("href=\"#query\""), "the error points at the field");
    assert!(html.contains("colour:blue"));
    assert!(html.contains("value=\"Couleurs\""), "what was typed is kept");
    let page = signed
        .client
        .post(app.url("/shortlists"))
        .form(&[("csrf_token", signed.csrf.as_str()), ("name", long.as_str())])
        .send()
        .await
        .unwrap();
    assert_eq!(page.status(), 422);
    assert!(page.text().await.unwrap().contains("href=\"#name\""));
    let page = signed
        .client
        .post(app.url("/shortlists/add"))
        .form(&[
            ("csrf_token", signed.csrf.as_str()),
            ("organisation_id", "999999"),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(page.status(), 404);
    let page = signed
        .client
        .post(app.url("/shortlists/add"))
        .form(&[("csrf_token", signed.csrf.as_str()), ("organisation_id", "abc")])
        .send()
        .await
        .unwrap();
    assert_eq!(page.status(), 422);
    assert_eq!(
        json_of(buyer.get("/api/v1/saved-searches").await, 200).await,
        json!([])
    );
    let lists = json_of(buyer.get("/api/v1/shortlists").await, 200).await;
    assert_eq!(
        lists.as_array().unwrap().len(),
        1,
        "no default list was made for a bad id"
    );
    assert_eq!(lists[0]["entries"], 0);
}

// ---------------------------------------------------------------------------------------------
// Shortlists

#[tokio::test]
async fn adding_from_the_directory_fills_the_latest_list_and_returns_to_the_results() {
    let app = TestApp::spawn().await;
    let sme = app.organisation_id(DEMO_SME).await.to_string();
    let lab = app.organisation_id(DEMO_LAB).await.to_string();
    let signed = app.signed_in(BUYER).await;
    let add = |organisation: &str, referer: Option<String>| {
        let mut request = signed.client.post(app.url("/shortlists/add")).form(&[
            ("csrf_token", signed.csrf.as_str()),
            ("organisation_id", organisation),
        ]);
        if let Some(referer) = referer {
            request = request.header(REFERER, referer);
        }
        request.send()
    };
    let back = add(&sme, Some(app.url("/directory?q=titane&f=region%3A76")))
        .await
        .unwrap();
    assert_eq!(back.status(), 303);
    assert_eq!(back.headers()[LOCATION], "/directory?q=titane&f=region%3A76");

    let buyer = Caller::person(&app, BUYER).await;
    let lists = json_of(buyer.get("/api/v1/shortlists").await, 200).await;
    assert_eq!(lists.as_array().unwrap().len(), 1);
    assert_eq!(
        lists[0]["name"], "Ma liste",
        "made on first use, in the person's language"
    );
    let list = lists[0]["id"].as_i64().unwrap();

    let again = add(&sme, None).await.unwrap();
    assert_eq!(again.headers()[LOCATION], format!("/shortlists/{list}").as_str());
    let off_site = add(&lab, Some("https://elsewhere.example/directory".into()))
        .await
        .unwrap();
    assert_eq!(
        off_site.headers()[LOCATION],
        format!("/shortlists/{list}").as_str()
    );
    let view = json_of(buyer.get(&format!("/api/v1/shortlists/{list}")).await, 200).await;
    let mut names: Vec<&str> = view["entries"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["legal_name"].as_str().unwrap())
        .collect();
    names.sort_unstable();
    let mut expected = [DEMO_SME, DEMO_LAB];
    expected.sort_unstable();
    assert_eq!(names, expected, "adding twice is a no-op");

    // The list page shows them with their facts, a note can be written and an entry removed.
    let html = signed
        .client
        .get(app.url(&format!("/shortlists/{list}")))
        .send()
        .await
        .unwrap();
    assert_eq!(html.status(), 200);
    let html = html.text().await.unwrap();
    assert!(html.contains(DEMO_SME) && html.contains(&format!("/shortlists/{list}/export.xlsx")));
    let noted = signed
        .client
        .post(app.url(&format!("/shortlists/{list}/entries/{sme}/note")))
        .form(&[
            ("csrf_token", signed.csrf.as_str()),
            ("note", "Visite d'usine en juin"),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(noted.status(), 303);
    let removed = signed
        .client
        .post(app.url(&format!("/shortlists/{list}/entries/{lab}/delete")))
        .form(&[("csrf_token", signed.csrf.as_str())])
        .send()
        .await
        .unwrap();
    assert_eq!(
        removed.headers()[LOCATION],
        format!("/shortlists/{list}").as_str()
    );
    let view = json_of(buyer.get(&format!("/api/v1/shortlists/{list}")).await, 200).await;
    assert_eq!(view["entries"].as_array().unwrap().len(), 1);
    assert_eq!(view["entries"][0]["note"], "Visite d'usine en juin");
    let deleted = signed
        .client
        .post(app.url(&format!("/shortlists/{list}/delete")))
        .form(&[("csrf_token", signed.csrf.as_str())])
        .send()
        .await
        .unwrap();
    assert_eq!(deleted.headers()[LOCATION], "/shortlists");
    refused(buyer.get(&format!("/api/v1/shortlists/{list}")).await, 404).await;
}

#[tokio::test]
async fn a_shortlist_exports_to_csv_and_xlsx_with_accents_intact() {
    let app = TestApp::spawn().await;
    let sme = app.organisation_id(DEMO_SME).await;
    let lab = app.organisation_id(DEMO_LAB).await;
    let buyer = Caller::person(&app, BUYER).await;
    let list = new_list(&buyer, "Fournisseurs à auditer").await;
    let entries = format!("/api/v1/shortlists/{list}/entries");
    let note = "à rappeler, « urgent » — =SOMME(A1)";
    json_of(
        buyer
            .post(&entries, &json!({ "organisation_id": sme, "note": note }))
            .await,
        201,
    )
    .await;
    json_of(
        buyer.post(&entries, &json!({ "organisation_id": lab })).await,
        201,
    )
    .await;
    let again = json_of(
        buyer
            .post(&entries, &json!({ "organisation_id": lab, "note": "autre" }))
            .await,
        200,
    )
    .await;
    assert_eq!(again["note"], "", "adding twice changes nothing");

    let response = buyer
        .get(&format!("/api/v1/shortlists/{list}/export?format=csv"))
        .await;
    assert_eq!(response.status(), 200);
    assert_eq!(response.headers()[CONTENT_TYPE], "text/csv; charset=utf-8");
    let disposition = response.headers()[CONTENT_DISPOSITION]
        .to_str()
        .unwrap()
        .to_owned();
    assert!(
        disposition.starts_with("attachment; filename=\"fournisseurs-a-auditer-")
            && disposition.ends_with(".csv\""),
        "{disposition}"
    );
    let bytes = response.bytes().await.unwrap();
    let text = std::str::from_utf8(&bytes).unwrap();
    let text = text
        .strip_prefix('\u{feff}')
        .expect("a byte-order mark for Excel");
    let mut reader = csv::Reader::from_reader(text.as_bytes());
    let header: Vec<String> = reader.headers().unwrap().iter().map(str::to_owned).collect();
    assert_eq!(
        header,
        [
            "nom",
            "SIRET",
            "code NAF",
            "libellé NAF",
            "région",
            "taille",
            "site web",
            "note",
            "ajouté le"
        ]
    );
    let rows: Vec<Vec<String>> = reader
        .records()
        .map(|r| r.unwrap().iter().map(str::to_owned).collect())
        .collect();
    assert_eq!(rows.len(), 2);
    let row = |name: &str| {
        rows.iter()
            .find(|r| r[0] == name)
            .unwrap_or_else(|| panic!("{name} in {rows:?}"))
    };
    assert_eq!(row(DEMO_LAB)[7], "", "accents intact in the name");
    let sme_row = row(DEMO_SME);
    assert_eq!(sme_row[1].len(), 14, "SIRET");
    assert!(
        !sme_row[3].is_empty() && !sme_row[4].is_empty(),
        "NAF label and region named: {sme_row:?}"
    );
    assert_eq!(
        sme_row[7], note,
        "a note is kept as typed (only a leading = would be defused)"
    );
    assert_eq!(sme_row[8].len(), 10, "a day: {}", sme_row[8]);

    // XLSX through the page, in the page's language.
    let signed = app.signed_in(BUYER).await;
    let response = signed
        .client
        .get(app.url(&format!("/shortlists/{list}/export.xlsx")))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 200);
    assert_eq!(
        response.headers()[CONTENT_TYPE],
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    );
    assert!(
        response.headers()[CONTENT_DISPOSITION]
            .to_str()
            .unwrap()
            .ends_with(".xlsx\"")
    );
    let bytes = response.bytes().await.unwrap();
    assert!(bytes.starts_with(b"PK"), "a zip archive");
    let mut archive = zip::ZipArchive::new(std::io::Cursor::new(bytes.to_vec())).unwrap();
    let mut sheet = String::new();
    archive
        .by_name("xl/worksheets/sheet1.xml")
        .unwrap()
        .read_to_string(&mut sheet)
        .unwrap();
    assert!(
        sheet.contains("<autoFilter ref=\"A1:I3\""),
        "an autofilter over the table: {sheet}"
    );
    assert!(sheet.contains("<cols>"), "column widths");
    let mut strings = String::new();
    archive
        .by_name("xl/sharedStrings.xml")
        .unwrap()
        .read_to_string(&mut strings)
        .unwrap();
    assert!(strings.contains(DEMO_SME) && strings.contains(DEMO_LAB));
    assert!(strings.contains("libellé NAF") && strings.contains("« urgent »"));

    // The page's CSV link gives the same file.
    let response = signed
        .client
        .get(app.url(&format!("/shortlists/{list}/export.csv")))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 200);
    assert!(response.text().await.unwrap().contains(DEMO_LAB));
}

// ---------------------------------------------------------------------------------------------
// Saved searches and their alerts

#[tokio::test]
async fn a_saved_search_is_listed_rerun_switched_and_deleted_from_its_page() {
    let app = TestApp::spawn().await;
    let signed = app.signed_in(BUYER).await;
    let saved = signed
        .client
        .post(app.url("/saved-searches"))
        .form(&[
            ("csrf_token", signed.csrf.as_str()),
            ("name", "Usinage en Occitanie"),
            ("query", "q=usinage&f=region%3A76"),
            ("alerts", "on"),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(saved.status(), 303);
    assert_eq!(saved.headers()[LOCATION], "/saved-searches");
    let html = signed
        .client
        .get(app.url("/saved-searches"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(html.contains("Usinage en Occitanie"));
    assert!(
        html.contains("href=\"/directory?q=usinage&#38;f=region%3A76\""),
        "re-run link"
    );
    assert!(html.contains("Occitanie"), "the region is named");

    let buyer = Caller::person(&app, BUYER).await;
    let listed = json_of(buyer.get("/api/v1/saved-searches").await, 200).await;
    assert_eq!(listed[0]["query"], "q=usinage&f=region%3A76");
    assert_eq!(listed[0]["filters"], json!(["region:76"]));
    assert_eq!(listed[0]["alerts"], true);
    let id = listed[0]["id"].as_i64().unwrap();

    let off = signed
        .client
        .post(app.url(&format!("/saved-searches/{id}/alerts")))
        .form(&[("csrf_token", signed.csrf.as_str()), ("alerts", "off")])
        .send()
        .await
        .unwrap();
    assert_eq!(off.status(), 303);
    assert_eq!(
        json_of(buyer.get("/api/v1/saved-searches").await, 200).await[0]["alerts"],
        false
    );
    let deleted = signed
        .client
        .post(app.url(&format!("/saved-searches/{id}/delete")))
        .form(&[("csrf_token", signed.csrf.as_str())])
        .send()
        .await
        .unwrap();
    assert_eq!(deleted.status(), 303);
    assert_eq!(
        json_of(buyer.get("/api/v1/saved-searches").await, 200).await,
        json!([])
    );
    let api_saved = json_of(
        buyer
            .post("/api/v1/saved-searches", &json!({ "name": "Tout", "query": "" }))
            .await,
        201,
    )
    .await;
    assert_eq!(
        buyer
            .delete(&format!("/api/v1/saved-searches/{}", api_saved["id"]))
            .await
            .status(),
        204
    );
}

/// A word no demo profile uses, so that only the profile we change will match it.
const NEW_WORD: &str = "xylophorex";

/// Adds `NEW_WORD` to the presentation of the SME's profile, as its head would in the editor.
async fn mention_new_word(app: &TestApp, organisation_id: i64) {
    let mut conn = app.db.store.conn().await.unwrap();
    let stored = store::profiles::get(&mut conn, organisation_id)
        .await
        .unwrap()
        .expect("demo profile");
    drop(conn);
    let mut document: Value = serde_json::from_str(&stored.document).unwrap();
    let presentation = document["presentation"]["value"]
        .as_str()
        .unwrap_or_default()
        .to_owned();
    document["presentation"] =
        json!({ "value": format!("{presentation} Nouveau : usinage {NEW_WORD}."), "visibility": "public" });
    let input: domain::profile::ProfileInput = serde_json::from_value(document).unwrap();
    app.app
        .save_profile(&actor(app, ORG_ADMIN).await, organisation_id, &input)
        .await
        .expect("the SME's head saves its profile");
}

#[tokio::test]
async fn alerts_name_only_profiles_that_match_after_the_search_was_saved_and_only_once() {
    let app = TestApp::spawn().await;
    let sme = app.organisation_id(DEMO_SME).await;
    let buyer = actor(&app, BUYER).await;
    let query = DirectoryQuery::text(NEW_WORD);
    let saved = app
        .app
        .save_search(&buyer, "Nouveau procédé", &query, true)
        .await
        .unwrap();
    // A search without alerts is never mailed about.
    app.app
        .save_search(&buyer, "Sans alerte", &DirectoryQuery::text(NEW_WORD), false)
        .await
        .unwrap();

    let report = app.app.send_search_alerts().await.unwrap();
    assert_eq!(
        (report.searches, report.mails, report.failures),
        (1, 0, 0),
        "{report}"
    );
    assert!(mails_to(&app, BUYER).is_empty(), "nothing new yet");

    mention_new_word(&app, sme).await;
    // The index follows the store within moments; wait for it (at most 5 s) rather than guess.
    let mut found = false;
    for _ in 0..100 {
        let results = app.app.search_directory(&buyer, &query).await.unwrap();
        if results.hits.iter().any(|h| h.org_id == sme) {
            found = true;
            break;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    assert!(found, "the index picked the new profile up");

    let report = app.app.send_search_alerts().await.unwrap();
    assert_eq!(
        (report.mails, report.organisations, report.failures),
        (1, 1, 0),
        "{report}"
    );
    let mails = mails_to(&app, BUYER);
    assert_eq!(mails.len(), 1, "one mail per saved search");
    let mail = &mails[0];
    assert!(mail.contains(DEMO_SME), "{mail}");
    assert!(
        mail.contains(&format!("{}/directory/{sme}", app.address)),
        "{mail}"
    );
    assert!(mail.contains("Nouveau procédé"), "{mail}");
    assert!(mail.contains("Bonjour"), "in the buyer's language: {mail}");
    assert!(
        app.app
            .saved_search(&buyer, saved.id)
            .await
            .unwrap()
            .last_alert_at
            .is_some()
    );

    let report = app.app.send_search_alerts().await.unwrap();
    assert_eq!(report.mails, 0, "{report}");
    assert_eq!(mails_to(&app, BUYER).len(), 1, "announced once");
}

#[tokio::test]
async fn a_search_saved_after_a_profile_appeared_does_not_announce_it() {
    let app = TestApp::spawn().await;
    let buyer = actor(&app, BUYER).await;
    // Everything in the directory matches; all of it is already seen when the search is saved.
    app.app
        .save_search(&buyer, "Tout l'annuaire", &DirectoryQuery::text(""), true)
        .await
        .unwrap();
    let report = app.app.send_search_alerts().await.unwrap();
    assert_eq!((report.mails, report.failures), (0, 0), "{report}");
    assert!(mails_to(&app, BUYER).is_empty());
}
