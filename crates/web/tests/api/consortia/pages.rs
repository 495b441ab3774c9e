//! The consortia pages: entering an opportunity (errors beside the form, typed text kept), teams,
//! forming a consortium from a proposed team, the invitation and the private workspace, messages
//! and documents, the joint dossier and the buyer's reading of it as a joint offer.

use super::*;
use crate::api_client::{body_of, location};
use crate::helpers::{page, post_form};

async fn pages_story(app: TestApp) {
    let cluster = app.cluster_id;
    let sme = app.signed_in(SME).await;
    let lab = app.signed_in(LAB).await;
    let staff = app.signed_in(ADMIN).await;

    let before = count(&app, "opportunities").await;
    let home = sme.client.get(app.url("/opportunities")).send().await.unwrap();
    assert_eq!(location(&home), format!("/clusters/{cluster}/opportunities"));
    let list = page(&sme.client, &app, &format!("/clusters/{cluster}/opportunities")).await;
    assert!(list.contains("Opportunités et groupements"), "{list}");
    let form = page(
        &sme.client,
        &app,
        &format!("/clusters/{cluster}/opportunities/new"),
    )
    .await;
    assert!(form.contains("name=\"lots[0].capabilities\"") && form.contains("value=\"machining-5-axis\""));

    // Refused: no lot at all, unknown capability; the typed title stays in the form.
    let path = format!("/clusters/{cluster}/opportunities");
    let refused = post_form(
        &sme,
        &app,
        &path,
        &[
            ("title", "Bancs d'essais moteurs"),
            ("buyer", "Région"),
            ("deadline", "2031-01-09T12:00"),
        ],
    )
    .await;
    let html = body_of(refused, 422).await;
    assert!(
        html.contains("error-summary") && html.contains("href=\"#lots[0].name\""),
        "{html}"
    );
    assert!(
        html.contains("value=\"Bancs d&#x27;essais moteurs\"") || html.contains("Bancs d&#39;essais moteurs"),
        "typed text kept"
    );
    let refused = post_form(
        &sme,
        &app,
        &path,
        &[
            ("title", "T"),
            ("buyer", "B"),
            ("deadline", "2031-01-09T12:00"),
            ("lots[0].capabilities", "teleportation"),
        ],
    )
    .await;
    assert!(
        body_of(refused, 422)
            .await
            .contains("href=\"#lots[0].capabilities\"")
    );
    assert_eq!(count(&app, "opportunities").await, before);

    // Entered, with two lots the SME and the lab cover between them.
    let entered = post_form(
        &sme,
        &app,
        &path,
        &[
            ("title", "Bancs d'essais moteurs"),
            ("buyer", "Région Occitanie"),
            ("deadline", "2031-01-09T12:00"),
            ("lots[0].name", "Usinage"),
            ("lots[0].capabilities", "machining-5-axis"),
            ("lots[0].certifications", "EN 9100"),
            ("lots[1].name", "Essais"),
            ("lots[1].capabilities", "non-destructive-testing"),
        ],
    )
    .await;
    assert_eq!(entered.status(), 303);
    let shown = location(&entered);
    let opportunity: i64 = shown
        .trim_start_matches("/opportunities/")
        .split('?')
        .next()
        .unwrap()
        .parse()
        .unwrap();
    let html = page(&sme.client, &app, &shown).await;
    assert!(html.contains("Opportunité enregistrée.") && html.contains("EN 9100"));

    // Teams: k out of range is refused beside the form; k = 4 proposes teams covering it all.
    let html = body_of(
        sme.client
            .get(app.url(&format!("/opportunities/{opportunity}/teams?k=9")))
            .send()
            .await
            .unwrap(),
        422,
    )
    .await;
    assert!(html.contains("href=\"#k\""));
    let html = page(
        &sme.client,
        &app,
        &format!("/opportunities/{opportunity}/teams?k=4&prefer_lead=on"),
    )
    .await;
    assert!(html.contains("id=\"team-1\""), "{html}");
    assert!(html.contains("Qui couvre quoi"));

    // Formed with the lab by hand; the lab sees an invitation, the staff nothing.
    let lab_id = app.organisation_id(DEMO_LAB).await.to_string();
    let formed = post_form(
        &sme,
        &app,
        &format!("/opportunities/{opportunity}/consortia"),
        &[("name", "Groupement bancs"), ("members", &lab_id)],
    )
    .await;
    assert_eq!(formed.status(), 303);
    let workspace = location(&formed).split('?').next().unwrap().to_owned();
    let html = page(&sme.client, &app, &workspace).await;
    assert!(html.contains("Groupement bancs") && html.contains("Invité"));
    let invitation = page(&lab.client, &app, &workspace).await;
    assert!(invitation.contains("id=\"accept\"") && !invitation.contains("message-form"));
    assert_eq!(
        staff
            .client
            .get(app.url(&workspace))
            .send()
            .await
            .unwrap()
            .status(),
        404
    );
    let outsider = post_form(
        &staff,
        &app,
        &format!("{workspace}/messages"),
        &[("body", "Bonjour")],
    )
    .await;
    assert_eq!(outsider.status(), 404);

    // The lab accepts and writes; an empty message is refused beside the form.
    let accepted = post_form(&lab, &app, &format!("{workspace}/answer"), &[("accept", "yes")]).await;
    assert_eq!(location(&accepted), format!("{workspace}?notice=accepted"));
    let empty = post_form(&lab, &app, &format!("{workspace}/messages"), &[("body", "  ")]).await;
    assert!(body_of(empty, 422).await.contains("href=\"#body\""));
    let posted = post_form(
        &lab,
        &app,
        &format!("{workspace}/messages"),
        &[("body", "Nos bancs sont libres en mars.")],
    )
    .await;
    assert_eq!(posted.status(), 303);

    // A document through the page's upload form; a wrong type is refused beside it.
    let upload = |who: &crate::helpers::SignedIn, name: &'static str, bytes: Vec<u8>| {
        with_multipart(
            who.client.post(app.url(&format!("{workspace}/documents"))),
            &[("csrf_token", who.csrf.as_str())],
            Some((name, bytes.as_slice())),
        )
        .send()
    };
    let refused = body_of(
        upload(&lab, "notes.txt", b"plain text".to_vec()).await.unwrap(),
        422,
    )
    .await;
    assert!(refused.contains("href=\"#file\""));
    assert_eq!(
        upload(&lab, "essais.pdf", pdf("essais")).await.unwrap().status(),
        303
    );
    let html = page(&sme.client, &app, &workspace).await;
    assert!(html.contains("Nos bancs sont libres en mars.") && html.contains("essais.pdf"));
    assert!(html.contains("Cotraitant"), "the lab is a member now");
    let file = sme
        .client
        .get(app.url(&format!("{workspace}/documents/essais.pdf")))
        .send()
        .await
        .unwrap();
    assert_eq!(file.status(), 200);
    assert_eq!(
        staff
            .client
            .get(app.url(&format!("{workspace}/documents/essais.pdf")))
            .send()
            .await
            .unwrap()
            .status(),
        404
    );

    // An external tender has no joint dossier form.
    assert!(!html.contains("joint-form"));
}

#[tokio::test]
async fn the_pages_take_an_opportunity_to_a_workspace() {
    pages_story(TestApp::spawn().await).await;
}

#[tokio::test]
async fn the_pages_take_an_opportunity_to_a_workspace_on_postgres() {
    on_postgres("the consortia pages story", pages_story).await;
}

async fn joint_page_story(app: TestApp) {
    let sme = app.signed_in(SME).await;
    let lab = app.signed_in(LAB).await;
    let buyer = app.signed_in(BUYER).await;
    let (call, opportunity) = linked_opportunity(&app).await;
    let id = consortium_with_lab(&app, opportunity).await;
    let workspace = format!("/consortia/{id}");

    // The opportunity now reads as one lot; the joint dossier still answers the call's two lots.
    // Refused (nobody accepted yet), the form keeps the answer and the lots as ticked.
    let api = Caller::person(&app, SME).await;
    let edited = api
        .put(
            &format!("/api/v1/opportunities/{opportunity}"),
            &json!({"call_id": call, "lots": [{"name": "Tout le marché", "capabilities": ["machining-5-axis"]}]}),
        )
        .await;
    assert_eq!(edited.status(), 200);
    let refused = post_form(
        &sme,
        &app,
        &format!("{workspace}/joint-dossier"),
        &[("answer", "Offre gardée"), ("lots", "2")],
    )
    .await;
    let html = body_of(refused, 409).await;
    assert!(html.contains("Offre gardée"), "{html}");
    assert!(
        html.contains("value=\"1\"> Usinage") && html.contains("value=\"2\" checked> Traitement de surface"),
        "{html}"
    );
    assert_eq!(
        post_form(&lab, &app, &format!("{workspace}/answer"), &[("accept", "yes")])
            .await
            .status(),
        303
    );

    let html = page(&lab.client, &app, &workspace).await;
    assert!(
        !html.contains("joint-form"),
        "only the lead sees the joint dossier form"
    );
    let refused = post_form(
        &lab,
        &app,
        &format!("{workspace}/joint-dossier"),
        &[("answer", "x"), ("lots", "1")],
    )
    .await;
    assert_eq!(refused.status(), 403);
    let html = page(&sme.client, &app, &workspace).await;
    assert!(html.contains("joint-form") && html.contains("Traitement de surface"));
    let submitted = post_form(
        &sme,
        &app,
        &format!("{workspace}/joint-dossier"),
        &[("answer", "Offre du groupement"), ("lots", "1"), ("lots", "2")],
    )
    .await;
    assert_eq!(location(&submitted), format!("{workspace}?notice=submitted"));
    let html = page(&lab.client, &app, &workspace).await;
    assert!(html.contains("class=\"joint-submitted\""));
    // Every member reads what the lead submitted, and that it stands.
    assert!(
        html.contains("Offre du groupement") && html.contains("Usinage, Traitement de surface"),
        "{html}"
    );
    assert!(html.contains("déposé"));

    // Sealed until the close; then the buyer reads a joint offer, with its co-contractor.
    assert_eq!(
        buyer
            .client
            .get(app.url(&format!("/calls/{call}/dossiers")))
            .send()
            .await
            .unwrap()
            .status(),
        404
    );
    close_now(&app, call).await;
    let html = page(&buyer.client, &app, &format!("/calls/{call}/dossiers")).await;
    assert!(
        html.contains("Offre conjointe") && html.contains(DEMO_LAB),
        "{html}"
    );
    // A late joint submission is refused beside the form, the record unchanged.
    let late = post_form(
        &sme,
        &app,
        &format!("{workspace}/joint-dossier"),
        &[("answer", "Encore")],
    )
    .await;
    assert!(body_of(late, 409).await.contains("Paris"));
    assert_eq!(count(&app, "joint").await, 1);
}

#[tokio::test]
async fn the_lead_submits_the_joint_dossier_from_the_workspace() {
    joint_page_story(TestApp::spawn().await).await;
}

#[tokio::test]
async fn the_lead_submits_the_joint_dossier_from_the_workspace_on_postgres() {
    on_postgres("the joint dossier page story", joint_page_story).await;
}
