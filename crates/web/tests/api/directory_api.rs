//! The directory through its JSON API: a buyer's program searching it, an SME's program keeping
//! its profile and brochures, and what visitors may (not) learn from either.

use crate::api_client::{Caller, error_fields, json_of, problem};
use crate::helpers::{TestApp, client};
use crate::multipart::with_multipart;
use app::demo::DEMO_SME;
use reqwest::header::{CONTENT_DISPOSITION, CONTENT_TYPE};
use reqwest::{Method, Response};
use serde_json::{Value, json};
use std::collections::BTreeMap;
use std::time::{Duration, Instant};

const ADMIN: &str = "animation@pole-demo.fr";
const ORG_ADMIN: &str = "dirigeant@pme-demo.fr";
const MEMBER: &str = "membre@pme-demo.fr";
const BUYER: &str = "acheteuse@grandcompte-demo.fr";

/// What the directory tests ask of the API, beyond plain requests.
trait DirectoryCalls {
    async fn put_profile(&self, organisation: i64, body: &Value) -> Response;
    async fn search(&self, pairs: &[(&str, &str)]) -> Value;
    async fn upload(
        &self,
        organisation: i64,
        file_name: &str,
        bytes: &[u8],
        visibility: Option<&str>,
    ) -> Response;
}

impl DirectoryCalls for Caller<'_> {
    async fn put_profile(&self, organisation: i64, body: &Value) -> Response {
        self.put(&format!("/api/v1/organisations/{organisation}/profile"), body)
            .await
    }

    /// `GET /api/v1/search` with these query pairs, expecting 200.
    async fn search(&self, pairs: &[(&str, &str)]) -> Value {
        let query = url::form_urlencoded::Serializer::new(String::new())
            .extend_pairs(pairs)
            .finish();
        json_of(self.get(&format!("/api/v1/search?{query}")).await, 200).await
    }

    async fn upload(
        &self,
        organisation: i64,
        file_name: &str,
        bytes: &[u8],
        visibility: Option<&str>,
    ) -> Response {
        let fields: Vec<(&str, &str)> = visibility.map(|v| ("visibility", v)).into_iter().collect();
        let request = self.request(
            Method::POST,
            &format!("/api/v1/organisations/{organisation}/brochures"),
        );
        with_multipart(request, &fields, Some((file_name, bytes)))
            .send()
            .await
            .unwrap()
    }
}

fn hit_ids(results: &Value) -> Vec<i64> {
    results["hits"]
        .as_array()
        .unwrap()
        .iter()
        .map(|h| h["organisation_id"].as_i64().unwrap())
        .collect()
}

/// Waits for the index to follow the store: true as soon as `check` is, false after 5 s.
async fn within_five_seconds<F, Fut>(mut check: F) -> bool
where
    F: FnMut() -> Fut,
    Fut: std::future::Future<Output = bool>,
{
    let deadline = Instant::now() + Duration::from_secs(5);
    loop {
        if check().await {
            return true;
        }
        if Instant::now() >= deadline {
            return false;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

fn pdf(size: usize) -> Vec<u8> {
    let mut bytes = b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n".to_vec();
    bytes.resize(size, b'x');
    bytes
}

/// A profile with words no demo profile uses: a public presentation and offer, and members-only
/// capabilities.
fn distinctive_profile() -> Value {
    json!({
        "presentation": {
            "value": "Atelier de cryoérosion et d'hydroformage de pièces aéronautiques en titane.",
            "visibility": "public"
        },
        "offers": [
            {"title": "Hydroformage de tubes", "description": "Petites séries", "visibility": "public"}
        ],
        "capabilities_text": {
            "value": "Procédé confidentiel zirconiumquartz pour l'hydroformage.",
            "visibility": "members"
        },
        "export_markets": {"value": ["DE", "ES"], "visibility": "public"}
    })
}

/// Another organisation's admin: the head of some other demo SME.
async fn other_org_admin(app: &TestApp, sme: i64) -> String {
    let mut conn = app.db.store.conn().await.unwrap();
    let members = store::organisations::list_members(&mut conn, app.cluster_id, "", 0, 1000)
        .await
        .unwrap();
    for organisation in members.items.iter().filter(|o| o.id != sme) {
        for person in store::people::of_organisation(&mut conn, organisation.id)
            .await
            .unwrap()
        {
            let grants = store::people::grants(&mut conn, person.id).await.unwrap();
            if grants
                .iter()
                .any(|g| g.role == "org_admin" && g.scope_id == organisation.id)
            {
                return person.email;
            }
        }
    }
    panic!("the demo has admins of other organisations");
}

#[tokio::test]
async fn visitors_find_the_demo_sme_by_its_name() {
    let app = TestApp::spawn().await;
    let sme = app.organisation_id(DEMO_SME).await;
    let results = Caller::visitor(&app).search(&[("q", "usinage titane")]).await;
    let hit = results["hits"]
        .as_array()
        .unwrap()
        .iter()
        .find(|h| h["organisation_id"] == sme)
        .unwrap_or_else(|| panic!("{DEMO_SME} is found: {results}"));
    assert_eq!(hit["name"], DEMO_SME);
    assert_eq!(hit["url"], format!("/directory/{sme}"));
    assert!(hit["name_html"].as_str().unwrap().contains("<mark>"), "{hit}");
    assert_eq!(hit["size"], "sme");
    assert_eq!(results["page"], 1);
    assert_eq!(results["per_page"], 20);
    assert_eq!(results["truncated"], false);
    assert!(results["total"].as_u64().unwrap() >= 1);
    let facets: Vec<&str> = results["facets"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["facet"].as_str().unwrap())
        .collect();
    assert!(
        facets.contains(&"region") && facets.contains(&"size"),
        "{facets:?}"
    );
}

#[tokio::test]
async fn a_saved_profile_is_searchable_at_once_with_accents_and_typos_forgiven() {
    let app = TestApp::spawn().await;
    let sme = app.organisation_id(DEMO_SME).await;
    let visitor = &Caller::visitor(&app);
    let before = visitor.search(&[("q", "cryoerosion")]).await;
    assert!(!hit_ids(&before).contains(&sme), "the word is new: {before}");

    let editor = Caller::person(&app, ORG_ADMIN).await;
    let saved = json_of(editor.put_profile(sme, &distinctive_profile()).await, 200).await;
    assert!(
        saved["presentation"]["value"]
            .as_str()
            .unwrap()
            .contains("cryoérosion"),
        "{saved}"
    );
    assert_eq!(saved["export_markets"]["value"], json!(["DE", "ES"]));

    // Typed without its accents, as most people do.
    let found = within_five_seconds(|| async move {
        hit_ids(&visitor.search(&[("q", "cryoerosion")]).await).contains(&sme)
    })
    .await;
    assert!(found, "the index follows a saved profile within 5 s");
    // One letter wrong in a long word.
    let typo = visitor.search(&[("q", "hydrofornage")]).await;
    assert!(hit_ids(&typo).contains(&sme), "{typo}");
    // And filters combine with words.
    let filtered = visitor
        .search(&[("q", "hydroformage"), ("f", "size:sme"), ("f", "naf_section:C")])
        .await;
    assert!(hit_ids(&filtered).contains(&sme), "{filtered}");
    let selected: Vec<&Value> = filtered["facets"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| f["facet"] == "size")
        .flat_map(|f| f["values"].as_array().unwrap())
        .filter(|v| v["selected"] == true)
        .collect();
    assert_eq!(selected.len(), 1, "{filtered}");
    assert_eq!(selected[0]["value"], "sme");
}

#[tokio::test]
async fn facet_counts_equal_a_count_of_the_registry() {
    let app = TestApp::spawn().await;
    let results = Caller::visitor(&app)
        .search(&[("q", ""), ("per_page", "1")])
        .await;
    let engine = |facet: &str| -> BTreeMap<String, u64> {
        results["facets"]
            .as_array()
            .unwrap()
            .iter()
            .find(|f| f["facet"] == facet)
            .unwrap_or_else(|| panic!("facet {facet} is counted"))["values"]
            .as_array()
            .unwrap()
            .iter()
            .map(|v| {
                (
                    v["value"].as_str().unwrap().to_owned(),
                    v["count"].as_u64().unwrap(),
                )
            })
            .collect()
    };

    let mut regions: BTreeMap<String, u64> = BTreeMap::new();
    let mut sizes: BTreeMap<String, u64> = BTreeMap::new();
    let mut conn = app.db.store.conn().await.unwrap();
    let mut after = 0;
    loop {
        let rows = store::directory::rows_after(&mut conn, after, 500).await.unwrap();
        let Some(last) = rows.last() else { break };
        after = last.organisation.id;
        for row in &rows {
            *regions.entry(row.organisation.region_code.clone()).or_default() += 1;
            // Labs, public bodies and associations have no size category: no value to count.
            if let Some(size) = &row.organisation.size {
                *sizes.entry(size.clone()).or_default() += 1;
            }
        }
    }
    let organisations = store::organisations::count(&mut conn).await.unwrap() as u64;
    assert_eq!(
        results["total"].as_u64().unwrap(),
        organisations,
        "every organisation is indexed"
    );
    assert_eq!(regions.values().sum::<u64>(), organisations);
    assert_eq!(engine("region"), regions);
    assert_eq!(engine("size"), sizes);
}

#[tokio::test]
async fn members_only_fields_never_reach_visitors() {
    let app = TestApp::spawn().await;
    let sme = app.organisation_id(DEMO_SME).await;
    let editor = Caller::person(&app, ORG_ADMIN).await;
    json_of(editor.put_profile(sme, &distinctive_profile()).await, 200).await;

    let buyer = &Caller::person(&app, BUYER).await;
    let found =
        within_five_seconds(|| async move { buyer.search(&[("q", "zirconiumquartz")]).await["total"] == 1 })
            .await;
    assert!(found, "a signed-in buyer finds members-only words");
    let member_results = buyer.search(&[("q", "zirconiumquartz")]).await;
    assert_eq!(hit_ids(&member_results), vec![sme]);

    let visitor = Caller::visitor(&app);
    let results = visitor.search(&[("q", "zirconiumquartz")]).await;
    assert_eq!(results["total"], 0, "{results}");
    assert!(!results.to_string().contains("zirconiumquartz"), "{results}");
    // A public word of the same profile: the snippet shows public text only.
    let results = visitor.search(&[("q", "hydroformage")]).await;
    assert!(hit_ids(&results).contains(&sme), "{results}");
    assert!(!results.to_string().contains("zirconiumquartz"), "{results}");
    let similar = visitor
        .get(&format!("/api/v1/organisations/{sme}/similar"))
        .await
        .text()
        .await
        .unwrap();
    assert!(!similar.contains("zirconiumquartz"), "{similar}");

    let page = json_of(
        visitor.get(&format!("/api/v1/organisations/{sme}/profile")).await,
        200,
    )
    .await;
    assert!(!page.to_string().contains("zirconiumquartz"), "{page}");
    assert_eq!(page["profile"]["capabilities_text"]["visibility"], "members");
    assert_eq!(page["can_edit"], false);
    assert!(page["completeness"].is_null());
    assert_eq!(page["legal_name"], DEMO_SME);
    let page = json_of(
        buyer.get(&format!("/api/v1/organisations/{sme}/profile")).await,
        200,
    )
    .await;
    assert!(page.to_string().contains("zirconiumquartz"));
    assert_eq!(page["can_edit"], false);
}

#[tokio::test]
async fn bad_profiles_are_refused_by_field_and_change_nothing() {
    let app = TestApp::spawn().await;
    let sme = app.organisation_id(DEMO_SME).await;
    let editor = Caller::person(&app, ORG_ADMIN).await;
    json_of(editor.put_profile(sme, &distinctive_profile()).await, 200).await;
    let path = format!("/api/v1/organisations/{sme}/profile");
    let before = json_of(editor.get(&path).await, 200).await;
    assert_eq!(before["can_edit"], true);
    assert!(before["completeness"]["score"].as_u64().is_some(), "{before}");
    assert!(before["completeness"]["hints"][0]["code"].is_string(), "{before}");

    let with = |field: &str, value: Value| {
        let mut body = distinctive_profile();
        body[field] = value;
        body
    };
    let cases = [
        (
            "an unknown export market",
            with("export_markets", json!({"value": ["DE", "ZZ"]})),
            vec!["export_markets[1]"],
        ),
        (
            "an offer without a title",
            with(
                "offers",
                json!([{"title": "Tubes", "description": "a"}, {"title": " ", "description": "b"}]),
            ),
            vec!["offers[1].title"],
        ),
        (
            "a 5,000-character presentation",
            with("presentation", json!({"value": "é".repeat(5_000)})),
            vec!["presentation"],
        ),
        (
            "a list where an object belongs",
            with("offers", json!("many")),
            vec!["offers"],
        ),
        (
            "a number where text belongs",
            with("capabilities_text", json!({"value": 12})),
            vec!["capabilities_text.value"],
        ),
        (
            "an unknown visibility",
            with("presentation", json!({"value": "x", "visibility": "secret"})),
            vec!["presentation.visibility"],
        ),
    ];
    for (what, body, fields) in cases {
        let refusal = problem(editor.put_profile(sme, &body).await, 422).await;
        assert_eq!(error_fields(&refusal), fields, "{what}: {refusal}");
    }
    // Every mistake at once.
    let mut body = distinctive_profile();
    body["export_markets"] = json!({"value": ["ZZ"]});
    body["presentation"] = json!({"value": "x".repeat(5_000)});
    let refusal = problem(editor.put_profile(sme, &body).await, 422).await;
    let mut fields = error_fields(&refusal);
    fields.sort();
    assert_eq!(fields, ["export_markets[0]", "presentation"], "{refusal}");
    // Not JSON at all.
    let response = editor
        .request(Method::PUT, &path)
        .header(CONTENT_TYPE, "application/json")
        .body("{\"presentation\": ")
        .send()
        .await
        .unwrap();
    problem(response, 400).await;

    let after = json_of(editor.get(&path).await, 200).await;
    assert_eq!(after, before, "refused saves change nothing");

    // Who may save.
    let changed = json!({"presentation": {"value": "Nouvelle présentation.", "visibility": "public"}});
    problem(Caller::visitor(&app).put_profile(sme, &changed).await, 401).await;
    let member = Caller::person(&app, MEMBER).await;
    problem(member.put_profile(sme, &changed).await, 404).await;
    let buyer = Caller::person(&app, BUYER).await;
    problem(buyer.put_profile(sme, &changed).await, 404).await;
    let other_admin = Caller::person(&app, &other_org_admin(&app, sme).await).await;
    problem(other_admin.put_profile(sme, &changed).await, 404).await;
    assert_eq!(
        json_of(editor.get(&path).await, 200).await,
        before,
        "refused callers change nothing"
    );

    let saved = json_of(editor.put_profile(sme, &changed).await, 200).await;
    assert_eq!(saved["presentation"]["value"], "Nouvelle présentation.");
    assert_eq!(saved["offers"], json!([]), "a PUT replaces the whole profile");
    let staff = Caller::person(&app, ADMIN).await;
    let by_staff = json!({"presentation": {"value": "Revue par le pôle.", "visibility": "members"}});
    json_of(staff.put_profile(sme, &by_staff).await, 200).await;
    let page = json_of(member.get(&path).await, 200).await;
    assert_eq!(page["profile"]["presentation"]["value"], "Revue par le pôle.");
    assert!(page["updated_at"].as_i64().is_some());
    problem(editor.put_profile(999_999, &changed).await, 404).await;
}

#[tokio::test]
async fn search_input_is_checked_by_parameter_name() {
    let app = TestApp::spawn().await;
    let visitor = Caller::visitor(&app);
    for (query, field, names) in [
        ("f=colour:blue", "f", "colour:blue"),
        ("f=region", "f", "region"),
        ("page=0", "page", "page"),
        ("page=abc", "page", "abc"),
        ("per_page=1000", "per_page", "per_page"),
        ("page=100000", "page", "page"),
    ] {
        let refusal = problem(visitor.get(&format!("/api/v1/search?{query}")).await, 422).await;
        assert_eq!(error_fields(&refusal), [field], "{query}: {refusal}");
        assert!(
            refusal["detail"].as_str().unwrap().contains(names),
            "{query}: {refusal}"
        );
    }

    let long = "titane ".repeat(1_500);
    let results = visitor.search(&[("q", &long[..10_000])]).await;
    assert_eq!(results["truncated"], true, "{}", results["truncated"]);
    for q in [
        r#""usinage AND (titane OR" -foo +bar*"#,
        "*",
        "\"",
        "<script>alert(1)</script>",
        "((((",
        "ü¨^$",
    ] {
        let results = visitor.search(&[("q", q)]).await;
        assert!(results["hits"].is_array(), "{q}: {results}");
        assert!(
            !results.to_string().contains("<script>"),
            "{q}: snippets are escaped"
        );
    }
    // Unknown parameters are ignored; paging works.
    let second = visitor
        .search(&[("q", ""), ("page", "2"), ("per_page", "5"), ("utm", "x")])
        .await;
    assert_eq!(second["page"], 2);
    assert_eq!(hit_ids(&second).len(), 5);
}

#[tokio::test]
async fn brochures_are_uploaded_downloaded_and_deleted_by_editors_only() {
    let app = TestApp::spawn().await;
    let sme = app.organisation_id(DEMO_SME).await;
    let editor = Caller::person(&app, ORG_ADMIN).await;
    let visitor = Caller::visitor(&app);
    let member = Caller::person(&app, MEMBER).await;

    let bytes = pdf(200_000);
    let public = json_of(
        editor.upload(sme, "Plaquette Été 2025.pdf", &bytes, None).await,
        201,
    )
    .await;
    assert_eq!(public["content_type"], "application/pdf");
    assert_eq!(public["size_bytes"], 200_000);
    assert_eq!(public["visibility"], "public");
    assert_eq!(public["file_name"], "Plaquette Été 2025.pdf");
    let url = public["url"].as_str().unwrap().to_owned();
    assert_eq!(url, format!("/api/v1/brochures/{}", public["id"]));

    let download = visitor.get(&url).await;
    assert_eq!(download.status(), 200);
    let headers = download.headers().clone();
    assert_eq!(headers[CONTENT_TYPE], "application/pdf");
    assert_eq!(headers["x-content-type-options"], "nosniff");
    let disposition = headers[CONTENT_DISPOSITION].to_str().unwrap();
    assert!(
        disposition.starts_with("attachment; filename=\"Plaquette _t_ 2025.pdf\""),
        "{disposition}"
    );
    assert!(
        disposition.contains("filename*=UTF-8''Plaquette%20%C3%89t%C3%A9%202025.pdf"),
        "{disposition}"
    );
    assert_eq!(
        download.bytes().await.unwrap().as_ref(),
        bytes.as_slice(),
        "the very bytes"
    );

    // The largest brochure accepted goes through the body limits.
    let largest = pdf(10 * 1024 * 1024);
    let members_only = json_of(
        editor
            .upload(sme, "catalogue.pdf", &largest, Some("members"))
            .await,
        201,
    )
    .await;
    let members_url = members_only["url"].as_str().unwrap().to_owned();
    problem(visitor.get(&members_url).await, 404).await;
    let fetched = member.get(&members_url).await;
    assert_eq!(fetched.status(), 200);
    assert_eq!(fetched.bytes().await.unwrap().len(), largest.len());

    let profile_path = format!("/api/v1/organisations/{sme}/profile");
    let seen = json_of(visitor.get(&profile_path).await, 200).await;
    assert_eq!(
        seen["brochures"].as_array().unwrap().len(),
        1,
        "visitors see public brochures"
    );
    let seen = json_of(member.get(&profile_path).await, 200).await;
    assert_eq!(seen["brochures"].as_array().unwrap().len(), 2);

    // Refused uploads, by reason.
    let (editor, profile_path) = (&editor, &profile_path);
    let count = || async move {
        json_of(editor.get(profile_path).await, 200).await["brochures"]
            .as_array()
            .unwrap()
            .len()
    };
    for (what, name, content, visibility) in [
        (
            "a text file",
            "notes.pdf",
            b"just some text, renamed".to_vec(),
            None,
        ),
        (
            "a program",
            "setup.exe",
            b"MZ\x90\0\x03\0\0\0\x04\0\0\0\xff\xff".to_vec(),
            None,
        ),
        ("an empty file", "vide.pdf", Vec::new(), None),
        ("an unknown visibility", "ok.pdf", pdf(1_000), Some("secret")),
    ] {
        let refusal = problem(editor.upload(sme, name, &content, visibility).await, 422).await;
        assert!(!error_fields(&refusal).is_empty(), "{what}: {refusal}");
    }
    let oversized = pdf(10 * 1024 * 1024 + 1);
    let refusal = problem(editor.upload(sme, "trop.pdf", &oversized, None).await, 422).await;
    assert!(
        refusal["detail"].as_str().unwrap().contains("10 MiB"),
        "{refusal}"
    );
    let response = editor
        .request(Method::POST, &format!("/api/v1/organisations/{sme}/brochures"))
        .json(&json!({"file": "JVBERi0="}))
        .send()
        .await
        .unwrap();
    problem(response, 415).await;
    assert_eq!(count().await, 2, "refused uploads store nothing");

    // Who may upload and delete.
    problem(visitor.upload(sme, "a.pdf", &pdf(1_000), None).await, 401).await;
    problem(member.upload(sme, "a.pdf", &pdf(1_000), None).await, 404).await;
    let public_id = public["id"].as_i64().unwrap();
    let delete_path = format!("/api/v1/organisations/{sme}/brochures/{public_id}");
    let delete = |caller: &Caller<'_>| caller.request(Method::DELETE, &delete_path).send();
    problem(delete(&visitor).await.unwrap(), 401).await;
    problem(delete(&member).await.unwrap(), 404).await;
    let other_admin = Caller::person(&app, &other_org_admin(&app, sme).await).await;
    problem(delete(&other_admin).await.unwrap(), 404).await;
    assert_eq!(count().await, 2, "refused deletions delete nothing");
    assert_eq!(delete(editor).await.unwrap().status(), 204);
    problem(visitor.get(&url).await, 404).await;
    problem(delete(editor).await.unwrap(), 404).await;
    // Another organisation's brochure is not reached through this one.
    let members_id = members_only["id"].as_i64().unwrap();
    let other_org = app.organisation_id(app::demo::DEMO_LARGE_ACCOUNT).await;
    let staff = Caller::person(&app, ADMIN).await;
    let response = staff
        .request(
            Method::DELETE,
            &format!("/api/v1/organisations/{other_org}/brochures/{members_id}"),
        )
        .send()
        .await
        .unwrap();
    problem(response, 404).await;
    assert_eq!(count().await, 1);
}

#[tokio::test]
async fn editors_see_differentiation_and_everyone_similar_organisations() {
    let app = TestApp::spawn().await;
    let sme = app.organisation_id(DEMO_SME).await;
    let path = format!("/api/v1/organisations/{sme}/differentiation");
    problem(Caller::visitor(&app).get(&path).await, 401).await;
    problem(Caller::person(&app, MEMBER).await.get(&path).await, 404).await;
    let report = json_of(Caller::person(&app, ORG_ADMIN).await.get(&path).await, 200).await;
    assert!(
        report["distinctiveness"].as_u64().is_some_and(|d| d <= 100),
        "{report}"
    );
    assert!(report["suggestions"].is_array(), "{report}");
    json_of(Caller::person(&app, ADMIN).await.get(&path).await, 200).await;

    let visitor = Caller::visitor(&app);
    let similar = json_of(
        visitor
            .get(&format!("/api/v1/organisations/{sme}/similar?limit=3"))
            .await,
        200,
    )
    .await;
    let similar = similar.as_array().unwrap();
    assert!(similar.len() <= 3);
    assert!(similar.iter().all(|h| h["organisation_id"] != sme), "not itself");
    problem(visitor.get("/api/v1/organisations/999999/similar").await, 404).await;
    problem(visitor.get("/api/v1/organisations/999999/profile").await, 404).await;
    problem(
        visitor
            .get(&format!("/api/v1/organisations/{sme}/similar?limit=x"))
            .await,
        400,
    )
    .await;
}

#[tokio::test]
async fn the_openapi_document_describes_the_search_parameters() {
    let app = TestApp::spawn().await;
    let document = json_of(
        client().get(app.url("/api/openapi.json")).send().await.unwrap(),
        200,
    )
    .await;
    let parameters = document["paths"]["/api/v1/search"]["get"]["parameters"]
        .as_array()
        .unwrap_or_else(|| panic!("{}", document["paths"]["/api/v1/search"]));
    let names: Vec<&str> = parameters.iter().map(|p| p["name"].as_str().unwrap()).collect();
    assert_eq!(names, ["q", "f", "page", "per_page"]);
    let filter = &parameters[1];
    assert_eq!(filter["schema"]["type"], "array", "{filter}");
    assert_eq!(filter["explode"], true, "{filter}");
    assert!(
        filter["description"].as_str().unwrap().contains("naf_division"),
        "{filter}"
    );
    let upload = &document["paths"]["/api/v1/organisations/{id}/brochures"]["post"]["requestBody"];
    assert!(upload["content"]["multipart/form-data"].is_object(), "{upload}");
}
