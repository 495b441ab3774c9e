//! consortia (issue 6) in a real browser, with the tools of `crate::browser`: from an opportunity
//! linked to a published call to the joint dossier the buyer reads as a joint offer.

use crate::api_client::Caller;
use crate::browser::{
    BrowserTools, click, current_text, current_url, launch, patiently, save_screenshot, screenshot_dir,
    sign_in, sign_out, text, type_into, wait_for_url_ending,
};
use crate::committee_fixture::{BUYER, ORG_ADMIN as SME, close_now};
use crate::consortia::linked_opportunity;
use crate::helpers::TestApp;
use fantoccini::{Client, Locator};

async fn wait_for(browser: &Client, css: &str, what: &str) {
    if let Err(error) = patiently(browser).for_element(Locator::Css(css)).await {
        panic!("{what} ({css}) on {}: {error}", current_url(browser).await);
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_consortium_goes_from_proposed_team_to_joint_offer() {
    let Some(tools) = BrowserTools::find() else { return };
    let app = TestApp::spawn().await;
    let (call, opportunity) = linked_opportunity(&app).await;
    let (_driver, browser) = launch(&tools).await;

    // The SME's head opens the opportunity from the navigation and asks for teams led by a large
    // account or an ETI when possible.
    sign_in(&browser, &app, SME).await;
    click(&browser, "nav a[href=\"/opportunities\"]").await;
    wait_for(
        &browser,
        &format!("a[href=\"/opportunities/{opportunity}\"]"),
        "the opportunity in the list",
    )
    .await;
    click(&browser, &format!("a[href=\"/opportunities/{opportunity}\"]")).await;
    wait_for(&browser, "#teams-form", "the team search").await;
    click(&browser, "#teams-form input[name=\"prefer_lead\"]").await;
    click(&browser, "#find-teams").await;
    wait_for(&browser, "#team-1", "the first proposed team").await;
    assert!(text(&browser, "#team-1").await.contains("Équipe 1"));
    save_screenshot(&browser, &screenshot_dir().join("consortia-teams-fr.png")).await;

    // It forms the consortium with the first team: its workspace, the SME leading.
    click(&browser, "#form-team-1").await;
    wait_for_url_ending(&browser, "?notice=formed", "the new consortium's workspace").await;
    assert_eq!(text(&browser, "#lead").await, app::demo::DEMO_SME);
    let id: i64 = current_url(&browser)
        .await
        .rsplit("/consortia/")
        .next()
        .and_then(|rest| rest.split('?').next())
        .and_then(|n| n.parse().ok())
        .expect("the consortium's id");
    sign_out(&browser, &app).await;

    // One invited organisation's person accepts (signed in as them) and writes in the workspace.
    let invited = {
        let mut conn = app.db.store.conn().await.unwrap();
        let member = store::consortia::members(&mut conn, id)
            .await
            .unwrap()
            .into_iter()
            .find(|m| m.state == "invited")
            .expect("the team brought at least one other member");
        store::people::of_organisation(&mut conn, member.organisation_id)
            .await
            .unwrap()
            .into_iter()
            .next()
            .expect("the invited organisation has people")
            .email
    };
    app.give_demo_password(&invited).await;
    sign_in(&browser, &app, &invited).await;
    browser
        .goto(&app.url(&format!("/consortia/{id}")))
        .await
        .expect("open the invitation");
    wait_for(&browser, "#accept", "the invitation's accept button").await;
    click(&browser, "#accept").await;
    wait_for_url_ending(&browser, "?notice=accepted", "the workspace after accepting").await;
    type_into(
        &browser,
        "#body",
        "Nous pouvons prendre le contrôle non destructif.",
    )
    .await;
    click(&browser, "#post-message").await;
    wait_for_url_ending(&browser, "?notice=posted", "the posted message").await;
    assert!(
        text(&browser, "#messages")
            .await
            .contains("contrôle non destructif")
    );
    sign_out(&browser, &app).await;

    // The lead submits the joint dossier before the close.
    sign_in(&browser, &app, SME).await;
    browser
        .goto(&app.url(&format!("/consortia/{id}")))
        .await
        .expect("open the workspace");
    wait_for(&browser, "#joint-form", "the joint dossier form").await;
    type_into(&browser, "#answer", "Offre conjointe : usinage 5 axes et essais.").await;
    click(&browser, "#submit-joint").await;
    wait_for_url_ending(&browser, "?notice=submitted", "the submitted joint dossier").await;
    assert!(current_text(&browser, ".joint-submitted").await.is_some());
    save_screenshot(&browser, &screenshot_dir().join("consortia-workspace-fr.png")).await;
    sign_out(&browser, &app).await;

    // Once the call has closed, the buyer reads it as a joint offer.
    close_now(&app, call).await;
    sign_in(&browser, &app, BUYER).await;
    browser
        .goto(&app.url(&format!("/calls/{call}/dossiers")))
        .await
        .expect("open the submissions");
    wait_for(&browser, ".joint-offer", "the joint offer's co-contractors").await;
    let joint = text(&browser, ".joint-offer").await;
    assert!(joint.contains("Offre conjointe"), "{joint}");
    let buyer = Caller::person(&app, BUYER).await;
    assert_eq!(
        buyer
            .get(&format!("/api/v1/calls/{call}/dossiers"))
            .await
            .status(),
        200
    );
    let _ = browser.close().await;
}
