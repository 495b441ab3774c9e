//! The pool through the pages: the staff create (with refusals beside the form), invite and
//! publish; the SME commits and the supplier offers through their forms (bad input shown beside
//! the form with what was typed); the staff page shows the seal, then the award to confirm; the
//! SME reads its new price and savings.

use super::*;
use crate::api_client::{body_of, location};
use crate::committee_fixture::{ADMIN, BUYER, MEMBER, ORG_ADMIN as SME};
use crate::helpers::{on_postgres, page, post_form};

async fn pool_pages(app: TestApp) {
    let staff = app.signed_in(ADMIN).await;
    let listing = page(&staff.client, &app, "/pools").await;
    assert!(listing.contains("href=\"/pools/new\""));
    let blank = page(&staff.client, &app, "/pools/new").await;
    assert!(blank.contains("id=\"closes_at\""));

    let opens = paris_in(SignedDuration::from_hours(-1));
    let closes = paris_in(SignedDuration::from_hours(48));
    let refused = body_of(
        post_form(
            &staff,
            &app,
            "/pools/new",
            &[
                ("title", "Palettes bois 2027"),
                ("category", "packaging"),
                ("specification", "Palettes EUR 1200×800"),
                ("unit", "palette"),
                ("opens_at", &opens),
                ("closes_at", &closes),
                ("minimum_volume", "0"),
            ],
        )
        .await,
        422,
    )
    .await;
    assert!(
        refused.contains("error-summary") && refused.contains("href=\"#minimum_volume\""),
        "{refused}"
    );
    assert!(
        refused.contains("value=\"Palettes bois 2027\""),
        "what was typed is kept"
    );
    let created = post_form(
        &staff,
        &app,
        "/pools/new",
        &[
            ("title", "Palettes bois 2027"),
            ("category", "packaging"),
            ("specification", "Palettes EUR 1200×800"),
            ("unit", "palette"),
            ("opens_at", &opens),
            ("closes_at", &closes),
            ("minimum_volume", "100"),
        ],
    )
    .await;
    assert_eq!(created.status(), 303);
    let manage_path = location(&created);
    let manage_path = manage_path.split('?').next().unwrap().to_owned();
    let id: i64 = manage_path
        .trim_start_matches("/pools/")
        .trim_end_matches("/manage")
        .parse()
        .unwrap();
    let large = app.organisation_id(LARGE_ACCOUNT).await.to_string();
    let found = page(&staff.client, &app, &format!("{manage_path}?q=Aérostructures")).await;
    assert!(
        found.contains(&format!("value=\"{large}\"")),
        "the member is offered"
    );
    // A value that is no organisation is refused where it stands; what was ticked stays ticked.
    let refused = body_of(
        post_form(
            &staff,
            &app,
            &format!("/pools/{id}/suppliers"),
            &[("supplier", &large), ("supplier", "abc")],
        )
        .await,
        422,
    )
    .await;
    assert!(refused.contains("href=\"#suppliers\""), "{refused}");
    assert!(
        refused.contains(&format!(
            "id=\"supplier-{large}\" name=\"supplier\" value=\"{large}\" checked"
        )),
        "the ticked supplier stays ticked: {refused}"
    );
    // A member of no cluster of the pool: refused on its own checkbox.
    let refused = body_of(
        post_form(
            &staff,
            &app,
            &format!("/pools/{id}/suppliers"),
            &[("supplier", &large), ("supplier", "999999")],
        )
        .await,
        422,
    )
    .await;
    assert!(refused.contains("href=\"#supplier-999999\""), "{refused}");
    assert_eq!(
        post_form(
            &staff,
            &app,
            &format!("/pools/{id}/suppliers"),
            &[("supplier", &large)]
        )
        .await
        .status(),
        303
    );
    assert_eq!(
        post_form(&staff, &app, &format!("/pools/{id}/publish"), &[])
            .await
            .status(),
        303
    );

    // The SME's head commits; a bad price comes back beside the form, the volume kept.
    let sme = app.signed_in(SME).await;
    let seen = page(&sme.client, &app, &format!("/pools/{id}")).await;
    assert!(
        seen.contains("id=\"commitment-form\"") && seen.contains("conditionnel"),
        "{seen}"
    );
    assert!(
        !seen.contains("id=\"offer-form\""),
        "the SME is not an invited supplier"
    );
    let bad = body_of(
        post_form(
            &sme,
            &app,
            &format!("/pools/{id}/commitment"),
            &[("volume", "120"), ("current_price", "-4")],
        )
        .await,
        422,
    )
    .await;
    assert!(
        bad.contains("href=\"#current_price\"") && bad.contains("value=\"120\""),
        "{bad}"
    );
    assert_eq!(
        post_form(
            &sme,
            &app,
            &format!("/pools/{id}/commitment"),
            &[("volume", "120"), ("current_price", "12,50")]
        )
        .await
        .status(),
        303
    );
    let member = app.signed_in(MEMBER).await;
    let theirs = page(&member.client, &app, &format!("/pools/{id}")).await;
    // A band only: neither the committed volume nor how many committed.
    let progress = theirs
        .split("id=\"progress-text\">")
        .nth(1)
        .and_then(|rest| rest.split('<').next())
        .unwrap_or_else(|| panic!("the progress shows: {theirs}"));
    assert_eq!(progress, "Minimum atteint");
    assert!(
        !theirs.contains("<progress") && !theirs.contains("120 /"),
        "the exact progress is the staff's: {theirs}"
    );
    let staff_page = page(&staff.client, &app, &format!("/pools/{id}")).await;
    assert!(
        staff_page.contains("120 / 100"),
        "the staff read the exact progress"
    );
    assert!(
        !theirs.contains("id=\"commitment-form\""),
        "a member does not commit for the company"
    );

    // The supplier offers; bad tiers are named.
    let supplier = app.signed_in(BUYER).await;
    let form = page(&supplier.client, &app, &format!("/pools/{id}")).await;
    assert!(form.contains("id=\"offer-form\""));
    let bad = body_of(
        post_form(
            &supplier,
            &app,
            &format!("/pools/{id}/offer"),
            &[
                ("tier_from_0", "1"),
                ("tier_price_0", "11"),
                ("tier_from_1", "1"),
                ("tier_price_1", "10"),
            ],
        )
        .await,
        422,
    )
    .await;
    assert!(bad.contains("href=\"#tiers[1].from_volume\""), "{bad}");
    // An empty row between tiers is refused on that row (not renumbered away), what was typed kept.
    let gap = body_of(
        post_form(
            &supplier,
            &app,
            &format!("/pools/{id}/offer"),
            &[
                ("tier_from_0", "1"),
                ("tier_price_0", "11"),
                ("tier_from_2", "1"),
                ("tier_price_2", "10"),
            ],
        )
        .await,
        422,
    )
    .await;
    assert!(gap.contains("href=\"#tiers[1].from_volume\""), "{gap}");
    assert!(!gap.contains("href=\"#tiers[2].from_volume\""), "{gap}");
    assert!(
        gap.contains("name=\"tier_price_2\" inputmode=\"decimal\" value=\"10\""),
        "{gap}"
    );
    assert_eq!(
        post_form(
            &supplier,
            &app,
            &format!("/pools/{id}/offer"),
            &[
                ("tier_from_0", "1"),
                ("tier_price_0", "11"),
                ("tier_from_1", "100"),
                ("tier_price_1", "9.5"),
                ("max_volume", ""),
            ]
        )
        .await
        .status(),
        303
    );
    let sealed = page(&staff.client, &app, &manage_path).await;
    assert!(
        sealed.contains("id=\"sealed-offers\"") && !sealed.contains(&price("9.5")),
        "sealed for the staff"
    );
    assert_eq!(
        post_form(&sme, &app, &format!("/pools/{id}/cancel"), &[("reason", "x")])
            .await
            .status(),
        403
    );
    assert_eq!(
        sme.client
            .get(app.url(&manage_path))
            .send()
            .await
            .unwrap()
            .status(),
        403
    );

    close_at(&app, id, 1_000).await;
    // Past the closing instant, before the task: the page refuses a commitment beside the form.
    let late = body_of(
        post_form(
            &sme,
            &app,
            &format!("/pools/{id}/commitment"),
            &[("volume", "500"), ("current_price", "12,50")],
        )
        .await,
        409,
    )
    .await;
    assert!(
        late.contains("href=\"#commitment\"") && late.contains("closed at"),
        "{late}"
    );
    assert!(app.app.close_due_pools().await.unwrap().contains(&id));
    let settled = page(&staff.client, &app, &manage_path).await;
    assert!(
        settled.contains(&format!("id=\"award-total\">{}<", euros("1140.00"))),
        "120 × 9.5: {settled}"
    );
    assert!(
        settled.contains(&format!("id=\"award-savings\">{}<", euros("360.00"))),
        "120 × 12.50 − 1140.00"
    );
    assert!(settled.contains(&price("9.5")), "offers opened at the close");
    assert_eq!(
        post_form(&staff, &app, &format!("/pools/{id}/award"), &[])
            .await
            .status(),
        303
    );
    let again = body_of(
        post_form(&staff, &app, &format!("/pools/{id}/award"), &[]).await,
        409,
    )
    .await;
    assert!(again.contains("error-summary"));
    let csv = staff
        .client
        .get(app.url(&format!("/pools/{id}/award.csv")))
        .send()
        .await
        .unwrap();
    assert_eq!(csv.status(), 200);
    assert!(csv.text().await.unwrap().contains("1140.00"));
    let mine = page(&sme.client, &app, &format!("/pools/{id}")).await;
    assert!(
        mine.contains(&format!("id=\"new-price\">{}<", price("9.5")))
            && mine.contains(&format!("id=\"my-savings\">{}<", euros("360.00"))),
        "{mine}"
    );
}

/// Money as the French pages write it ("1 140,00 €").
fn euros(text: &str) -> String {
    domain::display::euros(text.parse().unwrap(), "fr")
}

/// A unit price as the French pages write it ("9,5000").
fn price(text: &str) -> String {
    domain::display::decimal(text.parse().unwrap(), 4, "fr")
}

#[tokio::test]
async fn a_pool_runs_through_the_pages() {
    pool_pages(TestApp::spawn().await).await;
}

#[tokio::test]
async fn a_pool_runs_through_the_pages_on_postgres() {
    on_postgres("the pool pages", pool_pages).await;
}
