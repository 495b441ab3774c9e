//! The portfolio in the browser: the applicant, the staff, a reviewer, a subscribed buyer, an SME
//! member and a visitor, each on their pages.

use super::*;

#[tokio::test]
async fn the_qualification_loop_works_in_the_browser() {
    let app = TestApp::spawn().await;
    let cluster = app.cluster_id;
    let sme = app.signed_in(SME).await;
    let staff = app.signed_in(ADMIN).await;
    let reviewer = app.signed_in(LAB).await;
    let buyer = app.signed_in(BUYER).await;
    let member = app.signed_in(MEMBER).await;

    // The SME finds the criteria and applies.
    let page = body_of(
        sme.client
            .get(app.url(&format!("/clusters/{cluster}/qualification")))
            .send()
            .await
            .unwrap(),
        200,
    )
    .await;
    assert!(page.contains("Système qualité certifié"));
    assert!(page.contains("id=\"apply\""));
    let applied = sme
        .client
        .post(app.url(&format!("/clusters/{cluster}/qualification/applications")))
        .form(&[("csrf_token", sme.csrf.as_str())])
        .send()
        .await
        .unwrap();
    assert_eq!(applied.status(), 303);
    let place = location(&applied);
    let page_path = place.split('?').next().unwrap().to_owned();
    let id: i64 = page_path.rsplit('/').next().unwrap().parse().unwrap();
    let form = body_of(sme.client.get(app.url(&place)).send().await.unwrap(), 200).await;
    assert!(form.contains("id=\"evidence-form\""));

    // Submitting with no evidence shows what is missing, beside the form.
    let refused = body_of(
        sme.client
            .post(app.url(&format!("{page_path}/submit")))
            .form(&[("csrf_token", sme.csrf.as_str())])
            .send()
            .await
            .unwrap(),
        422,
    )
    .await;
    assert!(refused.contains("error-summary"));
    let criteria: Vec<i64> =
        store::committee::portfolio::criteria(&mut app.db.store.conn().await.unwrap(), cluster)
            .await
            .unwrap()
            .into_iter()
            .filter(|k| k.active)
            .map(|k| k.id)
            .collect();
    let mut fields: Vec<(String, String)> = vec![("csrf_token".into(), sme.csrf.clone())];
    for k in &criteria {
        fields.push((
            format!("evidence_{k}"),
            "Certifiée, bilans et références joints.".into(),
        ));
    }
    // The first answer is saved as a draft; the rest go with the submit button of the same form.
    let saved = sme
        .client
        .post(app.url(&page_path))
        .form(&fields[..2])
        .send()
        .await
        .unwrap();
    assert_eq!(saved.status(), 303);
    let submitted = sme
        .client
        .post(app.url(&format!("{page_path}/submit")))
        .form(&fields)
        .send()
        .await
        .unwrap();
    assert_eq!(submitted.status(), 303);
    assert_eq!(state_of(&app, id).await, "submitted");

    // The reviewer's page is not found before they are named.
    body_of(
        reviewer.client.get(app.url(&page_path)).send().await.unwrap(),
        404,
    )
    .await;
    // The staff name the lab's researcher by e-mail; an unknown address is refused.
    let unknown = body_of(
        staff
            .client
            .post(app.url(&format!("{page_path}/reviewers")))
            .form(&[
                ("csrf_token", staff.csrf.as_str()),
                ("reviewers", "personne@nulle-part.fr"),
            ])
            .send()
            .await
            .unwrap(),
        422,
    )
    .await;
    assert!(unknown.contains("personne@nulle-part.fr"));
    let named = staff
        .client
        .post(app.url(&format!("{page_path}/reviewers")))
        .form(&[("csrf_token", staff.csrf.as_str()), ("reviewers", LAB)])
        .send()
        .await
        .unwrap();
    assert_eq!(named.status(), 303);

    // The reviewer gives opinions through the form.
    let review = body_of(
        reviewer.client.get(app.url(&page_path)).send().await.unwrap(),
        200,
    )
    .await;
    assert!(review.contains("id=\"opinions-form\""));
    assert!(!review.contains("id=\"decision-form\""));
    let mut opinions: Vec<(String, String)> = vec![("csrf_token".into(), reviewer.csrf.clone())];
    for k in &criteria {
        opinions.push((format!("met_{k}"), "met".into()));
        opinions.push((format!("comment_{k}"), "Vérifié sur pièces".into()));
    }
    let given = reviewer
        .client
        .post(app.url(&format!("{page_path}/opinions")))
        .form(&opinions)
        .send()
        .await
        .unwrap();
    assert_eq!(given.status(), 303);

    // The staff see the opinions; a renewal date in the past is refused on the page.
    let decision_page = body_of(staff.client.get(app.url(&page_path)).send().await.unwrap(), 200).await;
    assert!(decision_page.contains("Vérifié sur pièces"));
    let past = day(-1);
    let refused = body_of(
        staff
            .client
            .post(app.url(&format!("{page_path}/decision")))
            .form(&[
                ("csrf_token", staff.csrf.as_str()),
                ("outcome", "qualified"),
                ("renewal_on", past.as_str()),
            ])
            .send()
            .await
            .unwrap(),
        422,
    )
    .await;
    assert!(refused.contains("renewal_on"));
    assert_eq!(state_of(&app, id).await, "under_review");
    let renewal = day(730);
    let decided = staff
        .client
        .post(app.url(&format!("{page_path}/decision")))
        .form(&[
            ("csrf_token", staff.csrf.as_str()),
            ("outcome", "qualified"),
            ("renewal_on", renewal.as_str()),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(decided.status(), 303);
    let after = body_of(sme.client.get(app.url(&page_path)).send().await.unwrap(), 200).await;
    assert!(after.contains(&renewal));

    // The subscribed buyer sees the SME in the full portfolio and lists it; an SME member sees
    // the summary only; a visitor is sent to sign in.
    let full = body_of(
        buyer
            .client
            .get(app.url(&format!("/clusters/{cluster}/portfolio")))
            .send()
            .await
            .unwrap(),
        200,
    )
    .await;
    assert!(full.contains("id=\"portfolio-suppliers\""));
    assert!(full.contains(DEMO_SME));
    let supplier = unlisted_supplier(&app).await;
    let sme_org = supplier.to_string();
    let listed = buyer
        .client
        .post(app.url(&format!("/clusters/{cluster}/portfolio/listings")))
        .form(&[
            ("csrf_token", buyer.csrf.as_str()),
            ("supplier_id", sme_org.as_str()),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(listed.status(), 303);
    assert!(location(&listed).ends_with("notice=listed"));
    assert!(listed_by_demo_buyer(&app, supplier).await);
    let summary = body_of(
        member
            .client
            .get(app.url(&format!("/clusters/{cluster}/portfolio")))
            .send()
            .await
            .unwrap(),
        200,
    )
    .await;
    assert!(summary.contains("id=\"summary-size\""));
    assert!(!summary.contains("id=\"portfolio-suppliers\""));
    assert!(!summary.contains(DEMO_SME));
    let visitor = crate::helpers::client()
        .get(app.url(&format!("/clusters/{cluster}/portfolio")))
        .send()
        .await
        .unwrap();
    assert_eq!(visitor.status(), 303);
    assert!(location(&visitor).starts_with("/login"));
}

#[tokio::test]
async fn the_staff_keep_criteria_and_subscriptions_in_the_browser() {
    let app = TestApp::spawn().await;
    let cluster = app.cluster_id;
    let staff = app.signed_in(ADMIN).await;
    let buyer = app.signed_in(BUYER).await;

    // The criteria form: a new criterion added on the blank line.
    let form = body_of(
        staff
            .client
            .get(app.url(&format!("/clusters/{cluster}/qualification/criteria")))
            .send()
            .await
            .unwrap(),
        200,
    )
    .await;
    assert!(
        form.contains("name=\"name_3\""),
        "three criteria, then a blank line"
    );
    body_of(
        buyer
            .client
            .get(app.url(&format!("/clusters/{cluster}/qualification/criteria")))
            .send()
            .await
            .unwrap(),
        404,
    )
    .await;
    let ids: Vec<String> = (0..3)
        .map(|i| crate::helpers::hidden_value(&form, &format!("id_{i}")).unwrap())
        .collect();
    let names = [
        "Système qualité certifié",
        "Solidité financière",
        "Références industrielles",
    ];
    let mut fields: Vec<(String, String)> = vec![("csrf_token".into(), staff.csrf.clone())];
    for (i, (id, name)) in ids.iter().zip(names).enumerate() {
        fields.push((format!("id_{i}"), id.clone()));
        fields.push((format!("name_{i}"), name.into()));
        fields.push((format!("description_{i}"), String::new()));
    }
    fields.push(("retire_2".into(), "1".into()));
    fields.push(("id_3".into(), String::new()));
    fields.push(("name_3".into(), "Politique RSE".into()));
    fields.push(("description_3".into(), "Bilan carbone".into()));
    let saved = staff
        .client
        .post(app.url(&format!("/clusters/{cluster}/qualification/criteria")))
        .form(&fields)
        .send()
        .await
        .unwrap();
    assert_eq!(saved.status(), 303);
    let hub = body_of(
        staff
            .client
            .get(app.url(&format!("/clusters/{cluster}/qualification")))
            .send()
            .await
            .unwrap(),
        200,
    )
    .await;
    assert!(hub.contains("Politique RSE"));
    assert!(!hub.contains("Références industrielles"));

    // Subscriptions: one ending before it starts is refused on the page; a good one is granted.
    let other = app.organisation_id(OTHER_LARGE_ACCOUNT).await.to_string();
    let page = body_of(
        staff
            .client
            .get(app.url(&format!("/clusters/{cluster}/portfolio/subscriptions")))
            .send()
            .await
            .unwrap(),
        200,
    )
    .await;
    assert!(page.contains(OTHER_LARGE_ACCOUNT));
    let (start, end) = (day(10), day(5));
    let refused = body_of(
        staff
            .client
            .post(app.url(&format!("/clusters/{cluster}/portfolio/subscriptions")))
            .form(&[
                ("csrf_token", staff.csrf.as_str()),
                ("organisation_id", other.as_str()),
                ("starts_on", start.as_str()),
                ("ends_on", end.as_str()),
            ])
            .send()
            .await
            .unwrap(),
        422,
    )
    .await;
    assert!(refused.contains("ends_on"));
    let (start, end) = (day(0), day(90));
    let granted = staff
        .client
        .post(app.url(&format!("/clusters/{cluster}/portfolio/subscriptions")))
        .form(&[
            ("csrf_token", staff.csrf.as_str()),
            ("organisation_id", other.as_str()),
            ("starts_on", start.as_str()),
            ("ends_on", end.as_str()),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(granted.status(), 303);
    let page = body_of(
        staff
            .client
            .get(app.url(&format!("/clusters/{cluster}/portfolio/subscriptions")))
            .send()
            .await
            .unwrap(),
        200,
    )
    .await;
    assert!(page.contains(&end));
    body_of(
        buyer
            .client
            .get(app.url(&format!("/clusters/{cluster}/portfolio/subscriptions")))
            .send()
            .await
            .unwrap(),
        404,
    )
    .await;
}

#[tokio::test]
async fn an_applicant_attaches_evidence_files_in_the_browser() {
    let app = TestApp::spawn().await;
    let cluster = app.cluster_id;
    let sme = app.signed_in(SME).await;
    let applied = sme
        .client
        .post(app.url(&format!("/clusters/{cluster}/qualification/applications")))
        .form(&[("csrf_token", sme.csrf.as_str())])
        .send()
        .await
        .unwrap();
    let page_path = location(&applied).split('?').next().unwrap().to_owned();
    let criterion = criteria_ids(&app, &Caller::person(&app, SME).await).await[0].to_string();
    let upload = |name: &'static str, bytes: &'static [u8]| {
        with_multipart(
            sme.client.post(app.url(&format!("{page_path}/files"))),
            &[
                ("csrf_token", sme.csrf.as_str()),
                ("criterion_id", criterion.as_str()),
            ],
            Some((name, bytes)),
        )
        .send()
    };
    let refused = body_of(upload("notes.pdf", b"plain text").await.unwrap(), 422).await;
    assert!(refused.contains("error-summary"));
    let sent = upload("kbis.pdf", b"%PDF-1.7\nkbis\n%%EOF\n").await.unwrap();
    assert_eq!(sent.status(), 303);
    assert!(location(&sent).ends_with("notice=attached"));
    // A file over the general 1 MiB form limit goes through: the page is an upload path.
    let mut report = b"%PDF-1.7\n".to_vec();
    report.resize(2 * 1024 * 1024, b'x');
    report.extend_from_slice(b"\n%%EOF\n");
    let sent = upload("rapport.pdf", Box::leak(report.into_boxed_slice()))
        .await
        .unwrap();
    assert_eq!(sent.status(), 303, "a 2 MiB evidence file is accepted");
    let page = body_of(sme.client.get(app.url(&page_path)).send().await.unwrap(), 200).await;
    assert!(page.contains(&format!("{page_path}/files/kbis.pdf")));
    assert!(page.contains(&format!("{page_path}/files/rapport.pdf")));
    let downloaded = sme
        .client
        .get(app.url(&format!("{page_path}/files/kbis.pdf")))
        .send()
        .await
        .unwrap();
    assert_eq!(downloaded.status(), 200);
    assert_eq!(downloaded.headers()["content-type"], "application/pdf");
}
