//! export (issue 6) in a real browser, with the tools of `crate::browser`: the demo SME's head
//! requests a stay in the demo premises in Singapore through the page; the large account's buyer
//! accepts it from the premises page; the SME reads the acceptance.

use crate::browser::{
    BrowserTools, click, current_url, find, launch, sign_in, sign_out, text, type_into, wait_for_url_ending,
};
use crate::committee_fixture::{BUYER, ORG_ADMIN};
use crate::helpers::TestApp;
use fantoccini::Locator;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_sme_requests_a_stay_and_the_host_accepts_it() {
    let Some(tools) = BrowserTools::find() else { return };
    let app = TestApp::spawn().await;
    let (_driver, browser) = launch(&tools).await;

    // The SME's head finds the premises from the export hub.
    sign_in(&browser, &app, ORG_ADMIN).await;
    browser.goto(&app.url("/export")).await.expect("open /export");
    browser
        .find(Locator::XPath("//main//a[normalize-space()=\"Singapour\"]"))
        .await
        .expect("the Singapore premises in the hub")
        .click()
        .await
        .expect("open the premises");
    let premises_path = url::Url::parse(&current_url(&browser).await)
        .expect("the premises address")
        .path()
        .to_owned();
    // Date inputs take keys in the browser's locale order: the first available day is set directly.
    find(&browser, "#starts_on").await;
    browser
        .execute(
            "for (const id of ['starts_on', 'ends_on']) { const e = document.getElementById(id); e.value = e.min; }",
            vec![],
        )
        .await
        .expect("set the stay's dates");
    type_into(&browser, "#desks", "1").await;
    type_into(&browser, "#purpose", "Rencontres avec les intégrateurs de Changi").await;
    click(&browser, "#request-stay").await;
    wait_for_url_ending(&browser, "?notice=requested", "the request sent").await;
    assert!(text(&browser, "#requests").await.contains("En attente"));
    sign_out(&browser, &app).await;

    // The buyer accepts it from the same page.
    sign_in(&browser, &app, BUYER).await;
    browser
        .goto(&app.url(&premises_path))
        .await
        .expect("open the premises as host");
    type_into(&browser, "#requests textarea", "Bienvenue à Changi").await;
    click(&browser, "#requests button[value=\"accepted\"]").await;
    wait_for_url_ending(&browser, "?notice=decided", "the decision saved").await;
    sign_out(&browser, &app).await;

    sign_in(&browser, &app, ORG_ADMIN).await;
    browser
        .goto(&app.url(&premises_path))
        .await
        .expect("open the premises again");
    let seen = text(&browser, "#requests").await;
    assert!(
        seen.contains("Acceptée") && seen.contains("Bienvenue à Changi"),
        "{seen}"
    );
    let _ = browser.close().await;
}
