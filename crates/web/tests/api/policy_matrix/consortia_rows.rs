//! The policy table's rows for consortia (issue 6): every route of the area × every role.
//!
//! Placeholders: `{opportunity}` an external tender the demo SME entered; `{consortium}` the demo
//! SME's consortium for it with the lab accepted; `{pending}` another SME's consortium to which the
//! demo SME is invited and has not answered. Writes carry bad input or hit a guard (already
//! answered, an external tender has no call), so the table changes nothing.

#[allow(unused_imports)]
use super::{Body, Outcome};
use super::{Fixture, Form, Json, NoBody, Row};
use crate::helpers::TestApp;
use store::consortia::{self as stored, Lot, OpportunityFields, Requirement};

/// Creates what the rows act on and returns the placeholders that name it.
pub(super) async fn prepare(app: &TestApp, fixture: &Fixture) -> Vec<(&'static str, i64)> {
    let mut conn = app.db.store.conn().await.unwrap();
    let fields = OpportunityFields {
        call_id: None,
        title: "Maintenance des bancs d'essais".into(),
        buyer: "Région Occitanie".into(),
        url: String::new(),
        description: String::new(),
        deadline_at: Some(1_900_000_000_000),
    };
    let opportunity =
        stored::insert_opportunity(&mut conn, fixture.cluster, fixture.sme, &fields, None, 1_000)
            .await
            .unwrap();
    let lots = [Lot {
        position: 1,
        name: "Essais".into(),
        min_headcount: 0,
        requirements: vec![Requirement {
            kind: "capability".into(),
            code: "testing".into(),
        }],
    }];
    stored::replace_lots(&mut conn, opportunity, &lots).await.unwrap();
    let consortium =
        stored::insert_consortium(&mut conn, opportunity, "Groupement", fixture.sme, None, 1_000)
            .await
            .unwrap();
    stored::invite(&mut conn, consortium, fixture.lab, None, 1_000)
        .await
        .unwrap();
    stored::answer(&mut conn, consortium, fixture.lab, true, None, 1_001)
        .await
        .unwrap();
    let pending = stored::insert_consortium(&mut conn, opportunity, "Autre", fixture.other_sme, None, 1_000)
        .await
        .unwrap();
    stored::invite(&mut conn, pending, fixture.sme, None, 1_000)
        .await
        .unwrap();
    vec![
        ("{opportunity}", opportunity),
        ("{consortium}", consortium),
        ("{pending}", pending),
    ]
}

/// Columns: visitor, cluster admin, org admin (SME, the lead), buyer, evaluator, mediator, member
/// (SME), lab member (accepted). The staff read and enter opportunities but neither form consortia
/// nor see a workspace.
#[rustfmt::skip]
pub(super) fn rows() -> Vec<Row> {
    vec![
        // Pages.
        row!(GET    "/opportunities",                           NoBody, [login 303 303 303 303 303 303 303]),
        row!(GET    "/consortia",                               NoBody, [login 303 303 303 303 303 303 303]),
        row!(GET    "/clusters/{cluster}/opportunities",        NoBody, [login 200 200 200 404 404 200 200]),
        row!(GET    "/clusters/{foreign_cluster}/opportunities", NoBody, [login 404 404 404 404 404 404 404]),
        row!(GET    "/clusters/{cluster}/opportunities/new",    NoBody, [login 200 200 200 404 404 200 200]),
        row!(POST   "/clusters/{cluster}/opportunities", Form("title=&buyer="),
                                                                        [login 422 422 422 404 404 422 422]),
        row!(GET    "/opportunities/{opportunity}",             NoBody, [login 200 200 200 404 404 200 200]),
        row!(GET    "/opportunities/{missing}",                 NoBody, [login 404 404 404 404 404 404 404]),
        row!(GET    "/opportunities/{opportunity}/edit",        NoBody, [login 200 200 403 404 404 200 403]),
        row!(POST   "/opportunities/{opportunity}", Form("title="),     [login 422 422 403 404 404 422 403]),
        row!(GET    "/opportunities/{opportunity}/teams?k=4",   NoBody, [login 200 200 200 404 404 200 200]),
        row!(GET    "/opportunities/{opportunity}/teams?k=9",   NoBody, [login 422 422 422 404 404 422 422]),
        row!(POST   "/opportunities/{opportunity}/consortia", Form("members={foreign_org}"),
                                                                        [login 403 422 422 404 404 422 422]),
        row!(GET    "/consortia/{consortium}",                  NoBody, [login 404 200 404 404 404 200 200]),
        row!(GET    "/consortia/{pending}",                     NoBody, [login 404 200 404 404 404 200 404]),
        row!(GET    "/consortia/{missing}",                     NoBody, [login 404 404 404 404 404 404 404]),
        row!(POST   "/consortia/{consortium}/messages", Form("body="),  [login 404 422 404 404 404 422 422]),
        row!(POST   "/consortia/{consortium}/documents",        NoBody, [login 404 422 404 404 404 422 422]),
        row!(GET    "/consortia/{consortium}/documents/rien.pdf", NoBody, [login 404 404 404 404 404 404 404]),
        row!(POST   "/consortia/{consortium}/answer", Form("accept=yes"), [login 404 409 404 404 404 409 409]),
        row!(POST   "/consortia/{pending}/answer", Form("accept=peut-etre"), [login 404 422 404 404 404 422 404]),
        row!(POST   "/consortia/{consortium}/invitations", Form("organisation_id={foreign_org}"),
                                                                        [login 404 422 404 404 404 422 403]),
        row!(POST   "/consortia/{consortium}/lead", Form("organisation_id={foreign_org}"),
                                                                        [login 404 422 404 404 404 422 403]),
        row!(POST   "/consortia/{consortium}/joint-dossier", Form("answer=x"),
                                                                        [login 404 409 404 404 404 409 403]),

        // The API.
        row!(GET    "/api/v1/clusters/{cluster}/opportunities", NoBody, [401   200 200 200 404 404 200 200]),
        row!(GET    "/api/v1/clusters/{foreign_cluster}/opportunities", NoBody, [401 404 404 404 404 404 404 404]),
        row!(POST   "/api/v1/clusters/{cluster}/opportunities", Json(r#"{"lots": []}"#),
                                                                        [401   422 422 422 404 404 422 422]),
        row!(GET    "/api/v1/opportunities/{opportunity}",      NoBody, [401   200 200 200 404 404 200 200]),
        row!(PUT    "/api/v1/opportunities/{opportunity}", Json(r#"{"lots": []}"#),
                                                                        [401   422 422 403 404 404 422 403]),
        row!(GET    "/api/v1/opportunities/{opportunity}/teams", NoBody, [401  200 200 200 404 404 200 200]),
        row!(GET    "/api/v1/opportunities/{opportunity}/teams?k=0", NoBody, [401 422 422 422 404 404 422 422]),
        row!(GET    "/api/v1/opportunities/{opportunity}/teams?k=abc", NoBody, [401 422 422 422 404 404 422 422]),
        row!(POST   "/api/v1/opportunities/{opportunity}/consortia", Json(r#"{"members": [{foreign_org}]}"#),
                                                                        [401   403 422 422 404 404 422 422]),
        // Those who may answer an invitation (registry participants) read "my consortia".
        row!(GET    "/api/v1/consortia",                        NoBody, [401   404 200 200 404 404 200 200]),
        row!(GET    "/api/v1/consortia/{consortium}",           NoBody, [401   404 200 404 404 404 200 200]),
        row!(GET    "/api/v1/consortia/{pending}",              NoBody, [401   404 404 404 404 404 404 404]),
        row!(GET    "/api/v1/consortia/{pending}/invitation",   NoBody, [401   404 200 404 404 404 200 404]),
        row!(POST   "/api/v1/consortia/{consortium}/invitation", Json(r#"{"accept": true}"#),
                                                                        [401   404 409 404 404 404 409 409]),
        row!(POST   "/api/v1/consortia/{consortium}/invitations", Json(r#"{"organisation_id": {foreign_org}}"#),
                                                                        [401   404 422 404 404 404 422 403]),
        row!(POST   "/api/v1/consortia/{consortium}/lead", Json(r#"{"organisation_id": {foreign_org}}"#),
                                                                        [401   404 422 404 404 404 422 403]),
        row!(POST   "/api/v1/consortia/{consortium}/messages", Json(r#"{"body": ""}"#),
                                                                        [401   404 422 404 404 404 422 422]),
        row!(POST   "/api/v1/consortia/{consortium}/documents", NoBody, [415   415 415 415 415 415 415 415]),
        row!(GET    "/api/v1/consortia/{consortium}/documents/rien.pdf", NoBody, [401 404 404 404 404 404 404 404]),
        row!(POST   "/api/v1/consortia/{consortium}/joint-dossier", Json(r#"{}"#),
                                                                        [401   404 409 404 404 404 409 403]),
        row!(POST   "/api/v1/consortia/{missing}/joint-dossier", Json(r#"{}"#),
                                                                        [401   404 404 404 404 404 404 404]),
    ]
}
