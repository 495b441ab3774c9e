//! Buyers' supplier lists through the API and the pages: the demo large account's list with its
//! history; listing directly (refusals: itself, a stranger, twice, a long note) and delisting with
//! a mandatory reason the supplier's admins receive; the SME's "where we are listed"; the cluster
//! staff's delisting figures; publishing a call's decisions lists its winners, and a correction
//! to "not retained" delists them again. Each role sees only what it may.

use crate::api_client::{Caller, error_fields, json_of};
use crate::committee_fixture::{
    ADMIN, BUYER, EVALUATOR, LAB, MEMBER, ORG_ADMIN, close_now, published_call, submit,
};
use crate::helpers::TestApp;
use app::demo::{DEMO_LAB, DEMO_LARGE_ACCOUNT, DEMO_SME};
use serde_json::{Value, json};

async fn audit_actions(app: &TestApp, listing: i64) -> Vec<String> {
    let mut conn = app.db.store.conn().await.unwrap();
    store::audit::of_entity(&mut conn, "supplier_listing", listing)
        .await
        .unwrap()
        .into_iter()
        .map(|e| e.action)
        .collect()
}

fn find(list: &Value, supplier: i64) -> Option<&Value> {
    list.as_array()
        .unwrap()
        .iter()
        .find(|l| l["supplier_id"] == supplier)
}

#[tokio::test]
async fn a_buyer_lists_and_delists_suppliers_and_the_sme_sees_why() {
    listing_story(TestApp::spawn().await).await;
}

#[tokio::test]
async fn supplier_listing_on_postgres() {
    crate::helpers::on_postgres("the supplier listing story", listing_story).await;
}

async fn listing_story(app: TestApp) {
    let large = app.organisation_id(DEMO_LARGE_ACCOUNT).await;
    let sme = app.organisation_id(DEMO_SME).await;
    let lab = app.organisation_id(DEMO_LAB).await;
    let buyer = Caller::person(&app, BUYER).await;
    let staff = Caller::person(&app, ADMIN).await;
    let sme_admin = Caller::person(&app, ORG_ADMIN).await;
    let sme_member = Caller::person(&app, MEMBER).await;
    let evaluator = Caller::person(&app, EVALUATOR).await;
    let lab_member = Caller::person(&app, LAB).await;
    let visitor = Caller::visitor(&app);
    let suppliers = format!("/api/v1/organisations/{large}/suppliers");

    // The demo list: the SME listed again from the portfolio after a delisting, with its reason.
    let list = json_of(buyer.get(&suppliers).await, 200).await;
    assert_eq!(list["can_manage"], true);
    let current = find(&list["current"], sme).expect("the demo SME is listed");
    assert_eq!(current["origin"], "portfolio");
    assert_eq!(current["supplier_size"], "sme");
    let past = find(&list["history"], sme).expect("its earlier period");
    assert!(past["delist_reason"].as_str().unwrap().contains("Transfert"));
    assert!(list["history"].as_array().unwrap().len() >= 2);

    // Who reads the list: the buyer's people and the cluster staff, nobody else.
    let read = json_of(staff.get(&suppliers).await, 200).await;
    assert_eq!(read["can_manage"], false);
    json_of(visitor.get(&suppliers).await, 401).await;
    json_of(sme_admin.get(&suppliers).await, 404).await;
    json_of(evaluator.get(&suppliers).await, 404).await;
    json_of(buyer.get("/api/v1/organisations/999999/suppliers").await, 404).await;

    // Listing directly: refusals first, nothing stored.
    let bad = json_of(buyer.post(&suppliers, &json!({"supplier_id": large})).await, 422).await;
    assert_eq!(error_fields(&bad), ["supplier_id"]);
    let bad = json_of(
        buyer.post(&suppliers, &json!({"supplier_id": 999_999})).await,
        422,
    )
    .await;
    assert_eq!(error_fields(&bad), ["supplier_id"]);
    let long = "x".repeat(2_001);
    let bad = json_of(
        buyer
            .post(&suppliers, &json!({"supplier_id": lab, "note": long}))
            .await,
        422,
    )
    .await;
    assert_eq!(error_fields(&bad), ["note"]);
    let malformed = buyer.post(&suppliers, &json!({"supplier_id": "lab"})).await;
    assert!(malformed.status().is_client_error(), "{}", malformed.status());
    json_of(buyer.post(&suppliers, &json!({"supplier_id": sme})).await, 409).await;
    json_of(visitor.post(&suppliers, &json!({"supplier_id": lab})).await, 401).await;
    json_of(staff.post(&suppliers, &json!({"supplier_id": lab})).await, 403).await;
    json_of(
        sme_admin.post(&suppliers, &json!({"supplier_id": lab})).await,
        404,
    )
    .await;
    let unchanged = json_of(buyer.get(&suppliers).await, 200).await;
    assert!(find(&unchanged["current"], lab).is_none());

    let listed = json_of(
        buyer
            .post(
                &suppliers,
                &json!({"supplier_id": lab, "note": "Essais de fatigue"}),
            )
            .await,
        201,
    )
    .await;
    assert_eq!(
        (
            listed["origin"].clone(),
            listed["note"].clone(),
            listed["delisted_at"].clone()
        ),
        (json!("direct"), json!("Essais de fatigue"), Value::Null)
    );
    let lab_period = listed["id"].as_i64().unwrap();
    assert_eq!(audit_actions(&app, lab_period).await, ["list_supplier"]);

    // Delisting needs a reason; the supplier's admins receive it.
    let delist = |supplier: i64| format!("/api/v1/organisations/{large}/suppliers/{supplier}/delist");
    let bad = json_of(buyer.post(&delist(sme), &json!({"reason": "  "})).await, 422).await;
    assert_eq!(error_fields(&bad), ["reason"]);
    json_of(staff.post(&delist(sme), &json!({"reason": "Volumes"})).await, 403).await;
    json_of(
        visitor.post(&delist(sme), &json!({"reason": "Volumes"})).await,
        401,
    )
    .await;
    let reason = "Volumes transferred to another plant";
    let delisted = json_of(buyer.post(&delist(sme), &json!({"reason": reason})).await, 200).await;
    assert_eq!(delisted["delist_reason"], reason);
    assert!(delisted["delisted_at"].is_i64());
    json_of(buyer.post(&delist(sme), &json!({"reason": reason})).await, 404).await;
    let period = delisted["id"].as_i64().unwrap();
    assert_eq!(audit_actions(&app, period).await, ["delist_supplier"]);
    let mails = app.mails();
    assert!(
        mails
            .iter()
            .any(|m| m.contains(&format!("To: {ORG_ADMIN}")) && m.contains("Volumes transferred")),
        "the SME's admin is told why: {mails:?}"
    );
    assert!(
        !mails.iter().any(|m| m.contains(&format!("To: {MEMBER}"))),
        "only its admins are written to"
    );

    // Listing it again opens a new period; the history keeps both delistings.
    let again = json_of(buyer.post(&suppliers, &json!({"supplier_id": sme})).await, 201).await;
    assert_ne!(again["id"], delisted["id"]);
    let list = json_of(buyer.get(&suppliers).await, 200).await;
    let sme_history: Vec<&Value> = list["history"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|l| l["supplier_id"] == sme)
        .collect();
    assert_eq!(sme_history.len(), 2, "{list}");
    assert_eq!(sme_history[0]["delist_reason"], reason, "latest first");

    // Where the SME is listed: its own people and the staff.
    let where_listed = format!("/api/v1/organisations/{sme}/listings");
    for reader in [&sme_admin, &sme_member, &staff] {
        let own = json_of(reader.get(&where_listed).await, 200).await;
        let open: Vec<&Value> = own
            .as_array()
            .unwrap()
            .iter()
            .filter(|l| l["delisted_at"].is_null())
            .collect();
        assert_eq!(open.len(), 1);
        assert_eq!(open[0]["buyer_name"], DEMO_LARGE_ACCOUNT);
        assert!(
            own.as_array()
                .unwrap()
                .iter()
                .any(|l| l["delist_reason"] == reason)
        );
    }
    json_of(visitor.get(&where_listed).await, 401).await;
    json_of(lab_member.get(&where_listed).await, 404).await;
    json_of(buyer.get(&where_listed).await, 404).await;

    // The staff's figures: delistings per buyer and month, SMEs apart.
    let figures_path = format!("/api/v1/clusters/{}/delistings", app.cluster_id);
    let figures = json_of(staff.get(&figures_path).await, 200).await;
    let of_large = figures
        .as_array()
        .unwrap()
        .iter()
        .find(|b| b["buyer_id"] == large)
        .expect("the demo large account");
    assert_eq!(of_large["delisted"], 3, "{of_large}");
    assert_eq!(of_large["delisted_smes"], 3);
    assert_eq!(of_large["listed_now"], 3);
    let months: i64 = of_large["by_month"]
        .as_array()
        .unwrap()
        .iter()
        .map(|m| m["delisted"].as_i64().unwrap())
        .sum();
    assert_eq!(months, 3);
    json_of(buyer.get(&figures_path).await, 404).await;
    json_of(sme_admin.get(&figures_path).await, 404).await;
    json_of(visitor.get(&figures_path).await, 401).await;
}

#[tokio::test]
async fn publishing_decisions_lists_the_winners_and_a_correction_delists_them() {
    decisions_story(TestApp::spawn().await).await;
}

#[tokio::test]
async fn decisions_and_listings_on_postgres() {
    crate::helpers::on_postgres("decisions and listings", decisions_story).await;
}

async fn decisions_story(app: TestApp) {
    let large = app.organisation_id(DEMO_LARGE_ACCOUNT).await;
    let sme = app.organisation_id(DEMO_SME).await;
    let lab = app.organisation_id(DEMO_LAB).await;
    let buyer = Caller::person(&app, BUYER).await;
    let sme_admin = Caller::person(&app, ORG_ADMIN).await;
    let lab_member = Caller::person(&app, LAB).await;
    let call = published_call(&app, &buyer, "Essais de fatigue", "members").await;
    let sme_dossier = submit(&sme_admin, call, "Notre offre").await;
    let lab_dossier = submit(&lab_member, call, "Offre du laboratoire").await;
    close_now(&app, call).await;
    let decision = |dossier: i64| format!("/api/v1/calls/{call}/dossiers/{dossier}/decision");
    let publish = format!("/api/v1/calls/{call}/decisions/publish");
    let suppliers = format!("/api/v1/organisations/{large}/suppliers");

    // Both win; the SME was listed already (from the portfolio) and keeps that period.
    let lab_won = json_of(
        buyer
            .put(
                &decision(lab_dossier),
                &json!({"outcome": "listed", "feedback": "Retenu"}),
            )
            .await,
        200,
    )
    .await;
    let sme_won = json_of(
        buyer
            .put(
                &decision(sme_dossier),
                &json!({"outcome": "listed", "feedback": "Retenue"}),
            )
            .await,
        200,
    )
    .await;
    let before = json_of(buyer.get(&suppliers).await, 200).await;
    assert!(
        find(&before["current"], lab).is_none(),
        "nothing before publication"
    );
    json_of(buyer.post(&publish, &json!({})).await, 200).await;
    let after = json_of(buyer.get(&suppliers).await, 200).await;
    let lab_listing = find(&after["current"], lab).expect("the winner is listed");
    assert_eq!(lab_listing["origin"], "call");
    assert_eq!(lab_listing["call_id"], call);
    assert_eq!(lab_listing["call_title"], "Essais de fatigue");
    let lab_period = lab_listing["id"].as_i64().unwrap();
    assert_eq!(audit_actions(&app, lab_period).await, ["list_supplier"]);
    assert_eq!(
        find(&after["current"], sme).unwrap()["origin"],
        "portfolio",
        "a supplier listed already keeps its period"
    );

    // Corrections to "not retained": the call's own listing ends with the correction's feedback
    // as its reason; the SME, listed otherwise, stays listed.
    let feedback = "Offre reçue hors délai : erreur de saisie corrigée";
    for (dossier, won) in [(lab_dossier, &lab_won), (sme_dossier, &sme_won)] {
        json_of(
            buyer
                .put(
                    &decision(dossier),
                    &json!({"outcome": "not_retained", "feedback": feedback, "corrects": won["id"]}),
                )
                .await,
            200,
        )
        .await;
    }
    json_of(buyer.post(&publish, &json!({})).await, 200).await;
    let corrected = json_of(buyer.get(&suppliers).await, 200).await;
    assert!(find(&corrected["current"], lab).is_none(), "{corrected}");
    let ended = find(&corrected["history"], lab).expect("the lab's period, closed");
    assert_eq!(ended["delist_reason"], feedback);
    assert_eq!(ended["id"], lab_period);
    assert_eq!(
        audit_actions(&app, lab_period).await,
        ["list_supplier", "delist_supplier"]
    );
    assert!(find(&corrected["current"], sme).is_some());
}

#[tokio::test]
async fn supplier_pages_show_the_list_refuse_bad_forms_and_hide_from_others() {
    let app = TestApp::spawn().await;
    let large = app.organisation_id(DEMO_LARGE_ACCOUNT).await;
    let sme = app.organisation_id(DEMO_SME).await;
    let lab = app.organisation_id(DEMO_LAB).await;
    let buyer = app.signed_in(BUYER).await;
    let page = format!("/organisations/{large}/suppliers");

    // The organisation pages link the supplier list for its buyer, the listings for the SME.
    let text_of = |client: &reqwest::Client, path: String| {
        let request = client.get(app.url(&path));
        async move { request.send().await.unwrap().text().await.unwrap() }
    };
    let own = text_of(&buyer.client, format!("/organisations/{large}")).await;
    assert!(own.contains(&format!("href=\"{page}\"")), "{own}");
    let sme_admin = app.signed_in(ORG_ADMIN).await;
    let theirs = text_of(&sme_admin.client, format!("/organisations/{large}")).await;
    assert!(!theirs.contains("id=\"suppliers-link\"") && !theirs.contains("id=\"listings-link\""));
    let mine = text_of(&sme_admin.client, format!("/organisations/{sme}")).await;
    assert!(
        mine.contains(&format!("href=\"/organisations/{sme}/listings\"")),
        "{mine}"
    );

    let html = buyer.client.get(app.url(&page)).send().await.unwrap();
    assert_eq!(html.status(), 200);
    let html = html.text().await.unwrap();
    assert!(html.contains(DEMO_SME) && html.contains("Transfert des volumes"));
    assert!(html.contains("Portefeuille qualifié") && html.contains("<select id=\"supplier_id\""));
    assert!(
        html.contains(&format!("<option value=\"{lab}\"")),
        "the lab may be listed"
    );

    // A delisting without a reason comes back beside its form, nothing changed.
    let refused = buyer
        .client
        .post(app.url(&format!("{page}/{sme}/delist")))
        .form(&[("csrf_token", buyer.csrf.as_str()), ("reason", "")])
        .send()
        .await
        .unwrap();
    assert_eq!(refused.status(), 422);
    let html = refused.text().await.unwrap();
    assert!(html.contains(&format!("id=\"reason-{sme}-error\"")), "{html}");
    // No supplier chosen.
    let refused = buyer
        .client
        .post(app.url(&page))
        .form(&[
            ("csrf_token", buyer.csrf.as_str()),
            ("supplier_id", ""),
            ("note", "gardée"),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(refused.status(), 422);
    assert!(
        refused.text().await.unwrap().contains("gardée"),
        "what was typed is kept"
    );

    // Listing and delisting through the forms.
    let listed = buyer
        .client
        .post(app.url(&page))
        .form(&[
            ("csrf_token", buyer.csrf.as_str()),
            ("supplier_id", lab.to_string().as_str()),
            ("note", ""),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(listed.status(), 303);
    let delisted = buyer
        .client
        .post(app.url(&format!("{page}/{lab}/delist")))
        .form(&[("csrf_token", buyer.csrf.as_str()), ("reason", "Fin des essais")])
        .send()
        .await
        .unwrap();
    assert_eq!(delisted.status(), 303);
    let html = buyer
        .client
        .get(app.url(&page))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(html.contains("Fin des essais"));

    // The SME's page, and what others get.
    let sme_admin = app.signed_in(ORG_ADMIN).await;
    let own = sme_admin
        .client
        .get(app.url(&format!("/organisations/{sme}/listings")))
        .send()
        .await
        .unwrap();
    assert_eq!(own.status(), 200);
    let html = own.text().await.unwrap();
    assert!(html.contains("Où nous sommes référencés") && html.contains(DEMO_LARGE_ACCOUNT));
    let hidden = sme_admin.client.get(app.url(&page)).send().await.unwrap();
    assert_eq!(hidden.status(), 404);
    let staff = app.signed_in(ADMIN).await;
    let figures = staff
        .client
        .get(app.url(&format!("/clusters/{}/delistings", app.cluster_id)))
        .send()
        .await
        .unwrap();
    assert_eq!(figures.status(), 200);
    let html = figures.text().await.unwrap();
    assert!(html.contains(DEMO_LARGE_ACCOUNT) && html.contains("Fin des essais"));
    let refused = buyer
        .client
        .get(app.url(&format!("/clusters/{}/delistings", app.cluster_id)))
        .send()
        .await
        .unwrap();
    assert_eq!(refused.status(), 404);
    let visitor = crate::helpers::client()
        .get(app.url(&format!("/organisations/{sme}/listings")))
        .send()
        .await
        .unwrap();
    assert!(
        visitor.status() == 303 || visitor.status() == 401,
        "a visitor is sent to sign in: {}",
        visitor.status()
    );
}
