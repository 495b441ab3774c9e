//! pooling (issue 6) in a real browser, with the tools of `crate::browser`: the staff create a
//! pool with the form, invite a supplier and publish; the demo SME's head commits through the
//! page; a person of the invited supplier makes a tiered offer; the pool closes and is settled;
//! the staff confirm the award; the SME reads its new price and savings.

use crate::browser::{
    BrowserTools, click, current_url, find, launch, sign_in, sign_out, text, type_into, wait_for_url_ending,
};
use crate::helpers::TestApp;
use crate::pooling::{ENERGY_SUPPLIER, someone_of};

const STAFF: &str = "animation@pole-demo.fr";
const SME_HEAD: &str = "dirigeant@pme-demo.fr";

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_pool_goes_from_the_staff_form_to_the_smes_savings() {
    let Some(tools) = BrowserTools::find() else { return };
    let app = TestApp::spawn().await;
    let supplier_email = someone_of(&app, ENERGY_SUPPLIER).await;
    app.give_demo_password(&supplier_email).await;
    let supplier = app.organisation_id(ENERGY_SUPPLIER).await;
    let (_driver, browser) = launch(&tools).await;

    // The staff write the pool (the window is prefilled: from now, for two weeks).
    sign_in(&browser, &app, STAFF).await;
    browser.goto(&app.url("/pools")).await.expect("open /pools");
    click(&browser, "#new-pool").await;
    type_into(&browser, "#title", "Électricité verte 2027").await;
    type_into(
        &browser,
        "#specification",
        "Électricité d'origine renouvelable, profil industriel.",
    )
    .await;
    type_into(&browser, "#unit", "MWh").await;
    type_into(&browser, "#minimum_volume", "300").await;
    click(&browser, "#create-pool").await;
    wait_for_url_ending(&browser, "/manage?notice=created", "the new pool's page").await;
    let url = current_url(&browser).await;
    let id: i64 = url
        .rsplit("/pools/")
        .next()
        .and_then(|rest| rest.split('/').next())
        .and_then(|id| id.parse().ok())
        .unwrap_or_else(|| panic!("a pool id in {url}"));

    // Invite the energy supplier (found by name) and publish.
    type_into(&browser, "#q", "Énergies Démo").await;
    click(&browser, "form[role=search] button").await;
    wait_for_url_ending(&browser, "D%C3%A9mo", "the suppliers found by name").await;
    click(&browser, &format!("#supplier-{supplier}")).await;
    click(&browser, "#save-suppliers").await;
    wait_for_url_ending(&browser, "?notice=suppliers", "the suppliers saved").await;
    click(&browser, "#publish-pool").await;
    wait_for_url_ending(&browser, "?notice=published", "the pool published").await;
    sign_out(&browser, &app).await;

    // The SME's head commits 500 MWh, paying 0.2100 today.
    sign_in(&browser, &app, SME_HEAD).await;
    browser
        .goto(&app.url(&format!("/pools/{id}")))
        .await
        .expect("open the pool");
    assert!(text(&browser, "#commitment").await.contains("conditionnel"));
    type_into(&browser, "#volume", "500").await;
    type_into(&browser, "#current_price", "0,2100").await;
    click(&browser, "#commit").await;
    wait_for_url_ending(&browser, "?notice=committed", "the commitment saved").await;
    // The SME reads a band, not the committed volume (the staff's alone).
    assert_eq!(text(&browser, "#progress-text").await, "Minimum atteint");
    sign_out(&browser, &app).await;

    // The supplier offers 0.19, or 0.16 from 400 MWh.
    sign_in(&browser, &app, &supplier_email).await;
    browser
        .goto(&app.url(&format!("/pools/{id}")))
        .await
        .expect("open the pool");
    type_into(&browser, "input[name=\"tier_price_0\"]", "0.19").await;
    type_into(&browser, "input[name=\"tier_from_1\"]", "400").await;
    type_into(&browser, "input[name=\"tier_price_1\"]", "0.16").await;
    click(&browser, "#save-offer").await;
    wait_for_url_ending(&browser, "?notice=offered", "the offer saved").await;
    sign_out(&browser, &app).await;

    // The close passes; the server's task settles the pool.
    let mut conn = app.db.store.conn().await.unwrap();
    store::pooling::move_close(&mut conn, id, store::now_ms() - 1_000)
        .await
        .unwrap();
    drop(conn);
    assert_eq!(app.app.close_due_pools().await.unwrap(), [id]);

    // The staff read the award (500 × 0.16 = 80.00) and confirm it.
    sign_in(&browser, &app, STAFF).await;
    browser
        .goto(&app.url(&format!("/pools/{id}/manage")))
        .await
        .expect("open the staff page");
    // As the browser reads it: no-break spaces become plain ones.
    let euros =
        |text: &str| domain::display::euros(text.parse().unwrap(), "fr").replace(['\u{a0}', '\u{202f}'], " ");
    assert_eq!(text(&browser, "#award-total").await, euros("80.00"));
    assert_eq!(text(&browser, "#award-savings").await, euros("25.00"));
    click(&browser, "#confirm-award").await;
    wait_for_url_ending(&browser, "?notice=awarded", "the award confirmed").await;
    sign_out(&browser, &app).await;

    // The SME reads its new price and savings: 105.00 − 80.00.
    sign_in(&browser, &app, SME_HEAD).await;
    browser
        .goto(&app.url(&format!("/pools/{id}")))
        .await
        .expect("open the pool");
    assert_eq!(
        text(&browser, "#new-price").await,
        domain::display::decimal("0.16".parse().unwrap(), 4, "fr")
    );
    assert_eq!(text(&browser, "#my-savings").await, euros("25.00"));
    let _ = find(&browser, "#my-share").await;
}
