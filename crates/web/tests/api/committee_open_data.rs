//! A call taken out of Passerelle: its OCDS 1.1 release package validates against the official
//! schema (copied into data/ocds-1.1.5 by scripts/copy-ocds-schema.sh) while published, once
//! closed and decided with awards, and once cancelled; it is readable by whoever may read the call.
//! Its ranking downloads as an XLSX workbook for the buyer side only.

use std::io::Read;

use crate::api_client::{Caller, json_of};
use crate::committee_fixture::{ADMIN, BUYER, EVALUATOR, LAB, ORG_ADMIN, close_now, published_call, submit};
use crate::helpers::TestApp;
use app::demo::{DEMO_LAB, DEMO_LARGE_ACCOUNT, DEMO_SME};
use serde_json::{Value, json};

const RELEASE_SCHEMA_URL: &str = "https://standard.open-contracting.org/schema/1__1__5/release-schema.json";

fn schema(name: &str) -> Value {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join(format!("../../data/ocds-1.1.5/{name}"));
    serde_json::from_str(&std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{path:?}: {e}"))).unwrap()
}

/// What the official schema finds wrong with a release package: the package schema, with the
/// release schema it refers to by URL served from the repository's copy (nothing is fetched).
fn ocds_errors(package: &Value) -> Vec<String> {
    let release = jsonschema::Resource::from_contents(schema("release-schema.json"));
    let registry = jsonschema::Registry::new()
        .add(RELEASE_SCHEMA_URL, release)
        .and_then(|builder| builder.prepare())
        .expect("the release schema registers");
    let validator = jsonschema::options()
        .with_registry(&registry)
        .offline()
        .build(&schema("release-package-schema.json"))
        .expect("the package schema compiles");
    validator
        .iter_errors(package)
        .map(|e| format!("{} at {}", e, e.instance_path()))
        .collect()
}

fn assert_valid_ocds(package: &Value) {
    let errors = ocds_errors(package);
    assert!(errors.is_empty(), "{errors:#?}\n{package:#}");
}

fn release(package: &Value) -> &Value {
    &package["releases"][0]
}

fn party<'p>(package: &'p Value, name: &str) -> &'p Value {
    release(package)["parties"]
        .as_array()
        .unwrap()
        .iter()
        .find(|p| p["name"] == name)
        .unwrap_or_else(|| panic!("{name} among the parties: {package:#}"))
}

#[tokio::test]
async fn a_call_is_published_as_valid_ocds_through_its_life() {
    ocds_story(TestApp::spawn().await).await;
}

#[tokio::test]
async fn ocds_on_postgres() {
    crate::helpers::on_postgres("the OCDS story", ocds_story).await;
}

async fn ocds_story(app: TestApp) {
    let buyer = Caller::person(&app, BUYER).await;
    let sme = Caller::person(&app, ORG_ADMIN).await;
    let lab = Caller::person(&app, LAB).await;
    let visitor = Caller::visitor(&app);

    // Published, public: anyone reads it; nothing about tenderers yet.
    let call = published_call(&app, &buyer, "Usinage titane", "public").await;
    attach_specification(&app, call).await;
    submit(&sme, call, "Notre offre").await;
    let ocds = format!("/api/v1/calls/{call}/ocds");
    let package = json_of(visitor.get(&ocds).await, 200).await;
    assert_valid_ocds(&package);
    let r = release(&package);
    assert_eq!(r["ocid"], format!("ocds-passerelle-{call}"));
    assert_eq!(r["tag"], json!(["tender"]));
    assert_eq!(r["tender"]["status"], "active");
    assert_eq!(r["tender"]["mainProcurementCategory"], "goods");
    assert_eq!(r["tender"]["procurementMethod"], "open");
    assert_eq!(r["tender"]["awardCriteria"], "ratedCriteria");
    assert!(
        r["tender"]["awardCriteriaDetails"]
            .as_str()
            .unwrap()
            .contains("Prix (3 %")
    );
    assert_eq!(r["tender"]["lots"].as_array().unwrap().len(), 2);
    assert_eq!(
        package["extensions"].as_array().unwrap().len(),
        1,
        "the lots extension"
    );
    let end = r["tender"]["tenderPeriod"]["endDate"].as_str().unwrap();
    assert!(
        end.ends_with("+01:00") || end.ends_with("+02:00"),
        "Paris offset: {end}"
    );
    assert!(
        r["tender"].get("tenderers").is_none(),
        "sealed until closing: {r:#}"
    );
    assert!(r["tender"].get("numberOfTenderers").is_none());
    assert_eq!(r["buyer"]["name"], DEMO_LARGE_ACCOUNT);
    assert_eq!(
        party(&package, DEMO_LARGE_ACCOUNT)["roles"],
        json!(["buyer", "procuringEntity"])
    );
    assert_eq!(r["awards"], json!([]));
    let document = &r["tender"]["documents"][0];
    assert_eq!(document["title"], "cahier-des-charges.pdf");
    let url = document["url"].as_str().unwrap();
    assert!(url.starts_with(&app.address), "{url}");
    let download = visitor.get(url.trim_start_matches(&app.address)).await;
    assert_eq!(download.status(), 200, "the document's URL downloads it");

    // Closed with a second dossier: tenderers appear; decided: one award, for the listed one.
    submit(&lab, call, "Offre du laboratoire").await;
    close_now(&app, call).await;
    let closed = json_of(visitor.get(&ocds).await, 200).await;
    assert_valid_ocds(&closed);
    assert_eq!(release(&closed)["tender"]["numberOfTenderers"], 2);
    assert_eq!(release(&closed)["awards"], json!([]));
    let ranking = json_of(buyer.get(&format!("/api/v1/calls/{call}/ranking")).await, 200).await;
    let dossier_of = |name: &str| {
        ranking
            .as_array()
            .unwrap()
            .iter()
            .find(|r| r["organisation_name"] == name)
            .unwrap()["dossier_id"]
            .as_i64()
            .unwrap()
    };
    let decision = |dossier: i64| format!("/api/v1/calls/{call}/dossiers/{dossier}/decision");
    json_of(
        buyer
            .put(
                &decision(dossier_of(DEMO_SME)),
                &json!({"outcome": "listed", "feedback": "Bravo"}),
            )
            .await,
        200,
    )
    .await;
    json_of(
        buyer
            .put(
                &decision(dossier_of(DEMO_LAB)),
                &json!({"outcome": "not_retained", "feedback": "Prix"}),
            )
            .await,
        200,
    )
    .await;
    let before_publication = json_of(visitor.get(&ocds).await, 200).await;
    assert_eq!(
        release(&before_publication)["awards"],
        json!([]),
        "unpublished decisions stay inside"
    );
    json_of(
        buyer
            .post(&format!("/api/v1/calls/{call}/decisions/publish"), &json!({}))
            .await,
        200,
    )
    .await;
    let decided = json_of(visitor.get(&ocds).await, 200).await;
    assert_valid_ocds(&decided);
    let r = release(&decided);
    assert_eq!(r["tag"], json!(["tender", "award"]));
    assert_eq!(r["tender"]["status"], "complete");
    let awards = r["awards"].as_array().unwrap();
    assert_eq!(awards.len(), 1, "{awards:#?}");
    assert_eq!(awards[0]["suppliers"][0]["name"], DEMO_SME);
    assert_eq!(awards[0]["status"], "active");
    assert_eq!(awards[0]["relatedLots"], json!(["lot-1"]));
    assert_eq!(
        party(&decided, DEMO_SME)["roles"],
        json!(["tenderer", "supplier"])
    );
    assert_eq!(party(&decided, DEMO_LAB)["roles"], json!(["tenderer"]));

    // Cancelled: the status says so and the reason is the amendment's rationale.
    let cancelled = published_call(&app, &buyer, "Besoin abandonné", "public").await;
    json_of(
        buyer
            .post(
                &format!("/api/v1/calls/{cancelled}/cancel"),
                &json!({"reason": "Budget gelé pour l'année"}),
            )
            .await,
        200,
    )
    .await;
    let package = json_of(visitor.get(&format!("/api/v1/calls/{cancelled}/ocds")).await, 200).await;
    assert_valid_ocds(&package);
    let r = release(&package);
    assert_eq!(r["tag"], json!(["tenderCancellation"]));
    assert_eq!(r["tender"]["status"], "cancelled");
    let amendments = r["tender"]["amendments"].as_array().unwrap();
    assert!(
        amendments
            .iter()
            .any(|a| a["rationale"] == "Budget gelé pour l'année")
    );

    // The validator does reject what the standard does not allow.
    let mut broken = package.clone();
    broken["releases"][0]["tender"]["status"] = json!("suspended");
    broken["releases"][0]["date"] = json!("2027-01-09 12:00");
    let errors = ocds_errors(&broken);
    assert!(
        errors.iter().any(|e| e.contains("/releases/0/tender/status")),
        "an unknown tender status is refused: {errors:?}"
    );
    assert!(
        errors.iter().any(|e| e.contains("/releases/0/date")),
        "dates are checked as RFC 3339 date-times: {errors:?}"
    );
}

/// A specification attached straight in the store (the upload path has its own tests).
async fn attach_specification(app: &TestApp, call: i64) {
    use store::committee::{calls, files};
    let content = b"%PDF-1.4 cahier des charges";
    // SHA-256 of `content`: downloads are checked against it.
    let sha256 = "ff4c2d19b25a4b00bb4da94dff11f37b9adefc0e33b15faea3c660aa725b8fd8";
    let mut conn = app.db.store.conn().await.unwrap();
    files::put(&mut conn, sha256, "application/pdf", content, store::now_ms())
        .await
        .unwrap();
    let attached = files::Attached {
        file_name: "cahier-des-charges.pdf".into(),
        file_sha256: sha256.into(),
        size_bytes: content.len() as i64,
        content_type: "application/pdf".into(),
    };
    calls::add_document(&mut conn, call, &attached, None, store::now_ms())
        .await
        .unwrap();
}

#[tokio::test]
async fn ocds_follows_who_may_read_the_call() {
    let app = TestApp::spawn().await;
    let buyer = Caller::person(&app, BUYER).await;
    let members_only = published_call(&app, &buyer, "Réservé aux membres", "members").await;
    let path = format!("/api/v1/calls/{members_only}/ocds");
    json_of(Caller::visitor(&app).get(&path).await, 401).await;
    json_of(Caller::person(&app, EVALUATOR).await.get(&path).await, 404).await;
    let package = json_of(Caller::person(&app, ORG_ADMIN).await.get(&path).await, 200).await;
    assert_eq!(release(&package)["tender"]["procurementMethod"], "selective");
    assert_valid_ocds(&package);
    json_of(Caller::visitor(&app).get("/api/v1/calls/999999/ocds").await, 404).await;

    // Closed, a members-only call tells its competitors nothing of who else answered; its buyer
    // side reads the tenderers.
    let sme = Caller::person(&app, ORG_ADMIN).await;
    submit(&sme, members_only, "Notre offre").await;
    submit(
        &Caller::person(&app, LAB).await,
        members_only,
        "Offre du laboratoire",
    )
    .await;
    close_now(&app, members_only).await;
    let theirs = json_of(sme.get(&path).await, 200).await;
    assert!(release(&theirs)["tender"].get("tenderers").is_none(), "{theirs}");
    assert!(release(&theirs)["tender"].get("numberOfTenderers").is_none());
    assert!(
        !theirs.to_string().contains("tenderer"),
        "no party has the tenderer role"
    );
    assert_valid_ocds(&theirs);
    let buyers = json_of(buyer.get(&path).await, 200).await;
    assert_eq!(release(&buyers)["tender"]["numberOfTenderers"], 2);
    assert_valid_ocds(&buyers);
}

/// The sheet and the shared strings of a workbook.
fn workbook_parts(bytes: &[u8]) -> (String, String) {
    assert!(bytes.starts_with(b"PK"), "a zip archive");
    let mut archive = zip::ZipArchive::new(std::io::Cursor::new(bytes.to_vec())).unwrap();
    let mut read = |name: &str| {
        let mut text = String::new();
        archive.by_name(name).unwrap().read_to_string(&mut text).unwrap();
        text
    };
    (read("xl/worksheets/sheet1.xml"), read("xl/sharedStrings.xml"))
}

#[tokio::test]
async fn the_ranking_downloads_as_a_workbook_for_the_buyer_side_only() {
    let app = TestApp::spawn().await;
    let buyer = Caller::person(&app, BUYER).await;
    let sme = Caller::person(&app, ORG_ADMIN).await;
    let call = published_call(&app, &buyer, "Traitement de surface", "members").await;
    submit(&sme, call, "Notre offre").await;
    let path = format!("/api/v1/calls/{call}/ranking.xlsx");
    json_of(buyer.get(&path).await, 409).await;
    close_now(&app, call).await;

    let response = buyer.get(&path).await;
    assert_eq!(response.status(), 200);
    assert_eq!(
        response.headers()["content-type"],
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    );
    let disposition = response.headers()["content-disposition"]
        .to_str()
        .unwrap()
        .to_owned();
    assert!(
        disposition.contains("traitement-de-surface") && disposition.ends_with(".xlsx\""),
        "{disposition}"
    );
    let (sheet, strings) = workbook_parts(&response.bytes().await.unwrap());
    assert!(
        strings.contains(DEMO_SME) && strings.contains("candidat"),
        "{strings}"
    );
    assert!(sheet.contains("<autoFilter"), "{sheet}");

    json_of(Caller::visitor(&app).get(&path).await, 401).await;
    json_of(sme.get(&path).await, 404).await;
    let staff = Caller::person(&app, ADMIN).await.get(&path).await;
    assert_eq!(staff.status(), 200, "the cluster staff is on the buyer side");

    // The page link, in the page's language, for the buyer side only.
    let signed = app.signed_in(BUYER).await;
    let page = signed
        .client
        .get(app.url(&format!("/calls/{call}/ranking.xlsx")))
        .send()
        .await
        .unwrap();
    assert_eq!(page.status(), 200);
    let (_, strings) = workbook_parts(&page.bytes().await.unwrap());
    assert!(strings.contains("rang") && strings.contains(DEMO_SME));
    let other = app.signed_in(ORG_ADMIN).await;
    let refused = other
        .client
        .get(app.url(&format!("/calls/{call}/ranking.xlsx")))
        .send()
        .await
        .unwrap();
    assert_eq!(refused.status(), 404);
}
