//! The policy table's rows for export (issue 6): every route of the area × every role.
//!
//! The demo large account hosts premises and a VIE post; the demo SME has a pending request and a
//! pending application on them, and one of each already withdrawn. Writes carry bad input or act
//! on settled records, so an authorised caller gets 422 or 409 and nothing changes between cells.

#[allow(unused_imports)]
use super::{Body, Outcome};
use super::{Fixture, Row};
use crate::helpers::TestApp;
use store::export::{self as stored, PremisesFields, VieFields};

/// Creates what the rows act on and returns the placeholders that name it.
pub(super) async fn prepare(app: &TestApp, fixture: &Fixture) -> Vec<(&'static str, i64)> {
    let mut conn = app.db.store.conn().await.unwrap();
    let premises_fields = PremisesFields {
        city: "Montréal".into(),
        country: "CA".into(),
        desks: 3,
        available_from: "2031-03-01".into(),
        available_to: "2031-06-30".into(),
        conditions: String::new(),
        contact_person_id: Some(fixture.large_person),
        contact_email: None,
    };
    let (cluster, host, sme, by) = (
        fixture.cluster,
        fixture.large,
        fixture.sme,
        Some(fixture.sme_person),
    );
    let premises = stored::insert_premises(&mut conn, cluster, host, &premises_fields, None, 1)
        .await
        .unwrap();
    let withdrawn = stored::insert_premises(&mut conn, cluster, host, &premises_fields, None, 1)
        .await
        .unwrap();
    stored::withdraw_premises(&mut conn, withdrawn, "", None, 2)
        .await
        .unwrap();
    let stay = stored::insert_stay(
        &mut conn,
        premises,
        sme,
        "2031-04-01",
        "2031-04-05",
        1,
        "Salon",
        by,
        3,
    )
    .await
    .unwrap();
    let stay_done = stored::insert_stay(
        &mut conn,
        premises,
        sme,
        "2031-04-01",
        "2031-04-05",
        1,
        "Salon",
        by,
        3,
    )
    .await
    .unwrap();
    stored::settle_stay(&mut conn, stay_done, "withdrawn", "", by, 4)
        .await
        .unwrap();
    let vie_fields = VieFields {
        title: "VIE Munich".into(),
        country: "DE".into(),
        city: "Munich".into(),
        mission: "Ventes".into(),
        starts_on: "2031-09-01".into(),
        duration_months: 12,
        monthly_cost: "4200.00".into(),
    };
    let vie = stored::insert_post(&mut conn, cluster, host, &vie_fields, None, 1)
        .await
        .unwrap();
    let vie_withdrawn = stored::insert_post(&mut conn, cluster, host, &vie_fields, None, 1)
        .await
        .unwrap();
    stored::withdraw_post(&mut conn, vie_withdrawn, "", None, 2)
        .await
        .unwrap();
    // One live application per organisation: the withdrawn one comes first.
    let application_done = stored::insert_application(&mut conn, vie, sme, "10", "Veille", by, 3)
        .await
        .unwrap();
    stored::settle_application(&mut conn, application_done, "withdrawn", "", by, 4)
        .await
        .unwrap();
    let application = stored::insert_application(&mut conn, vie, sme, "60", "Prospection", by, 5)
        .await
        .unwrap();
    vec![
        ("{ex_premises}", premises),
        ("{ex_premises_withdrawn}", withdrawn),
        ("{ex_stay}", stay),
        ("{ex_stay_done}", stay_done),
        ("{ex_vie}", vie),
        ("{ex_vie_withdrawn}", vie_withdrawn),
        ("{ex_vie_app}", application),
        ("{ex_vie_app_done}", application_done),
    ]
}

const PREMISES_FORM_BAD: &str = "city=&country=XX&desks=1&available_from=x&available_to=y";
const PREMISES_JSON_BAD: &str =
    r#"{"city": "", "country": "XX", "desks": 1, "available_from": "x", "available_to": "y"}"#;
const STAY_FORM_BAD: &str = "starts_on=x&ends_on=y&desks=1&purpose=";
const STAY_JSON_BAD: &str = r#"{"starts_on": "x", "ends_on": "y", "desks": 0, "purpose": ""}"#;
const VIE_FORM_BAD: &str = "title=&country=XX&city=&mission=&starts_on=x&duration_months=3&monthly_cost=x";
const VIE_JSON_BAD: &str = r#"{"title": "", "country": "XX", "city": "", "mission": "", "starts_on": "x",
    "duration_months": 3, "monthly_cost": "-1"}"#;
const SHARE_FORM_BAD: &str = "share=0&tasks=";
const SHARE_JSON_BAD: &str = r#"{"share": "0", "tasks": ""}"#;
const DECISION_FORM_BAD: &str = "outcome=maybe";
const DECISION_JSON_BAD: &str = r#"{"outcome": "maybe"}"#;

/// Columns: visitor, cluster admin, org admin (SME), buyer and evaluator (large account), mediator,
/// member (SME), lab member. The staff read and host for members but request nothing; the SME's
/// org admin is refused hosting with a 422 naming its size, its member with a 403; evaluators and
/// mediators are no registry participants and do not see export offers at all.
#[rustfmt::skip]
pub(super) fn rows() -> Vec<Row> {
    use Body::{Form, Json, None as NoBody};
    vec![
        // Pages.
        row!(GET    "/export",                                   NoBody, [login 200 200 200 404 404 200 200]),
        row!(GET    "/export/premises/new",                      NoBody, [login 200 403 200 404 404 403 403]),
        row!(GET    "/export/vie/new",                           NoBody, [login 200 403 200 404 404 403 403]),
        row!(GET    "/export/premises/{ex_premises}",            NoBody, [login 200 200 200 404 404 200 200]),
        row!(GET    "/export/premises/{missing}",                NoBody, [login 404 404 404 404 404 404 404]),
        row!(GET    "/export/premises/{ex_premises}/edit",       NoBody, [login 200 403 200 404 404 403 403]),
        row!(POST   "/export/premises/{ex_premises}", Form(PREMISES_FORM_BAD),
                                                                         [login 422 403 422 404 404 403 403]),
        row!(GET    "/export/vie/{ex_vie}",                      NoBody, [login 200 200 200 404 404 200 200]),
        row!(GET    "/export/vie/{missing}",                     NoBody, [login 404 404 404 404 404 404 404]),
        row!(POST   "/export/premises", Form(PREMISES_FORM_BAD),         [login 422 422 422 404 404 403 403]),
        row!(POST   "/export/premises/{ex_premises}/stays", Form(STAY_FORM_BAD),
                                                                         [login 403 422 422 404 404 422 422]),
        row!(POST   "/export/premises/{ex_premises_withdrawn}/withdraw", NoBody,
                                                                         [login 409 403 409 404 404 403 403]),
        row!(POST   "/export/stays/{ex_stay}/decision", Form(DECISION_FORM_BAD),
                                                                         [login 422 403 422 404 404 403 404]),
        row!(POST   "/export/stays/{ex_stay_done}/withdraw",     NoBody, [login 403 409 403 404 404 409 404]),
        row!(POST   "/export/vie", Form(VIE_FORM_BAD),                   [login 422 422 422 404 404 403 403]),
        row!(POST   "/export/vie/{ex_vie}/applications", Form(SHARE_FORM_BAD),
                                                                         [login 403 422 422 404 404 422 422]),
        row!(POST   "/export/vie/{ex_vie}/confirm",              NoBody, [login 409 403 409 404 404 403 403]),
        row!(POST   "/export/vie/{ex_vie_withdrawn}/withdraw",   NoBody, [login 409 403 409 404 404 403 403]),
        row!(POST   "/export/vie-applications/{ex_vie_app}/decision", Form(DECISION_FORM_BAD),
                                                                         [login 422 403 422 404 404 403 404]),
        row!(POST   "/export/vie-applications/{ex_vie_app_done}/withdraw", NoBody,
                                                                         [login 403 409 403 404 404 409 404]),

        // The JSON API.
        row!(GET    "/api/v1/clusters/{cluster}/export",         NoBody, [401   200 200 200 404 404 200 200]),
        row!(GET    "/api/v1/clusters/{foreign_cluster}/export", NoBody, [401   404 404 404 404 404 404 404]),
        row!(POST   "/api/v1/clusters/{cluster}/export/premises", Json(PREMISES_JSON_BAD),
                                                                         [401   422 422 422 404 404 403 403]),
        row!(GET    "/api/v1/export/premises/{ex_premises}",     NoBody, [401   200 200 200 404 404 200 200]),
        row!(PUT    "/api/v1/export/premises/{ex_premises}", Json(PREMISES_JSON_BAD),
                                                                         [401   422 403 422 404 404 403 403]),
        row!(POST   "/api/v1/export/premises/{ex_premises_withdrawn}/withdraw", NoBody,
                                                                         [401   409 403 409 404 404 403 403]),
        row!(POST   "/api/v1/export/premises/{ex_premises}/stays", Json(STAY_JSON_BAD),
                                                                         [401   403 422 422 404 404 422 422]),
        row!(GET    "/api/v1/export/stays/{ex_stay}",            NoBody, [401   200 200 200 404 404 200 404]),
        row!(POST   "/api/v1/export/stays/{ex_stay}/decision", Json(DECISION_JSON_BAD),
                                                                         [401   422 403 422 404 404 403 404]),
        row!(POST   "/api/v1/export/stays/{ex_stay_done}/withdraw", NoBody,
                                                                         [401   403 409 403 404 404 409 404]),
        row!(POST   "/api/v1/clusters/{cluster}/export/vie", Json(VIE_JSON_BAD),
                                                                         [401   422 422 422 404 404 403 403]),
        row!(GET    "/api/v1/export/vie/{ex_vie}",               NoBody, [401   200 200 200 404 404 200 200]),
        row!(POST   "/api/v1/export/vie/{ex_vie_withdrawn}/withdraw", NoBody,
                                                                         [401   409 403 409 404 404 403 403]),
        row!(POST   "/api/v1/export/vie/{ex_vie}/confirm",       NoBody, [401   409 403 409 404 404 403 403]),
        row!(POST   "/api/v1/export/vie/{ex_vie}/applications", Json(SHARE_JSON_BAD),
                                                                         [401   403 422 422 404 404 422 422]),
        row!(GET    "/api/v1/export/vie-applications/{ex_vie_app}", NoBody,
                                                                         [401   200 200 200 404 404 200 404]),
        row!(POST   "/api/v1/export/vie-applications/{ex_vie_app}/decision", Json(DECISION_JSON_BAD),
                                                                         [401   422 403 422 404 404 403 404]),
        row!(POST   "/api/v1/export/vie-applications/{ex_vie_app_done}/withdraw", NoBody,
                                                                         [401   403 409 403 404 404 409 404]),
    ]
}
