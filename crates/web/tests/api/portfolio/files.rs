//! Evidence files over the API: checked, stored once, frozen at submission, read only by those who
//! may.

use super::*;

async fn evidence_files(app: TestApp) {
    let sme = Caller::person(&app, SME).await;
    let staff = Caller::person(&app, ADMIN).await;
    let reviewer = Caller::person(&app, LAB).await;
    let id = open_application(&app, &sme).await;
    let criteria = criteria_ids(&app, &sme).await;
    let certificate = b"%PDF-1.7\ncertificat EN 9100\n%%EOF\n".to_vec();

    // A PDF whose name tries to climb out: kept, under its last component.
    let attached = json_of(
        attach(
            &sme,
            id,
            criteria[0],
            "../../etc/certificat EN 9100.pdf",
            &certificate,
        )
        .await,
        201,
    )
    .await;
    assert_eq!(attached["file_name"], "certificat EN 9100.pdf");
    assert_eq!(attached["content_type"], "application/pdf");
    assert_eq!(attached["criterion_id"], criteria[0]);

    // Refused, nothing stored: a type the content gives away, an empty file, an oversize one, an
    // unknown criterion, a name already taken.
    for (name, bytes, criterion, status, field) in [
        (
            "bilan.pdf",
            b"just some text, not a PDF".to_vec(),
            criteria[1],
            422,
            Some("file"),
        ),
        ("vide.pdf", Vec::new(), criteria[1], 422, Some("file")),
        (
            "enorme.pdf",
            [b"%PDF-1.7\n".as_slice(), &vec![b'x'; 10 * 1024 * 1024]].concat(),
            criteria[1],
            422,
            Some("file"),
        ),
        (
            "ailleurs.pdf",
            certificate.clone(),
            999_999,
            422,
            Some("criterion_id"),
        ),
        (
            "certificat EN 9100.pdf",
            certificate.clone(),
            criteria[1],
            409,
            None,
        ),
    ] {
        let refused = json_of(attach(&sme, id, criterion, name, &bytes).await, status).await;
        if let Some(field) = field {
            assert_eq!(error_fields(&refused), vec![field], "{name}: {refused}");
        }
    }
    assert_eq!(
        file_count(&app, id).await,
        1,
        "nothing stored by a refused upload"
    );
    // Only the applicant attaches; a visitor is asked to sign in before sending anything.
    json_of(
        attach(&staff, id, criteria[1], "staff.pdf", &certificate).await,
        403,
    )
    .await;
    json_of(
        attach(&Caller::visitor(&app), id, criteria[1], "v.pdf", &certificate).await,
        401,
    )
    .await;

    // The applicant reads it back, byte for byte; others know nothing of it.
    let download = format!("/api/v1/qualification/applications/{id}/files/certificat%20EN%209100.pdf");
    let got = sme.get(&download).await;
    assert_eq!(got.status(), 200);
    assert_eq!(got.bytes().await.unwrap().as_ref(), certificate.as_slice());
    json_of(reviewer.get(&download).await, 404).await;
    json_of(Caller::person(&app, BUYER).await.get(&download).await, 404).await;
    json_of(Caller::visitor(&app).get(&download).await, 401).await;

    // A second file, then removed while still a draft.
    json_of(
        attach(&sme, id, criteria[1], "bilans.pdf", &certificate).await,
        201,
    )
    .await;
    let removed = sme
        .request(
            reqwest::Method::DELETE,
            &format!("/api/v1/qualification/applications/{id}/files/bilans.pdf"),
        )
        .send()
        .await
        .unwrap();
    assert_eq!(removed.status(), 204);
    assert_eq!(file_count(&app, id).await, 1);

    // Submitted, the files are frozen; a named reviewer reads them.
    answer_and_submit(&app, &sme, id).await;
    json_of(attach(&sme, id, criteria[2], "tard.pdf", &certificate).await, 409).await;
    let frozen = sme
        .request(reqwest::Method::DELETE, &download)
        .send()
        .await
        .unwrap();
    assert_eq!(frozen.status(), 409);
    json_of(
        staff
            .put(
                &format!("/api/v1/qualification/applications/{id}/reviewers"),
                &json!({"person_ids": [person_id(&app, LAB).await]}),
            )
            .await,
        200,
    )
    .await;
    let read = json_of(
        reviewer
            .get(&format!("/api/v1/qualification/applications/{id}"))
            .await,
        200,
    )
    .await;
    assert_eq!(read["files"][0]["download"], download.as_str());
    assert_eq!(reviewer.get(&download).await.status(), 200);
    let mut conn = app.db.store.conn().await.unwrap();
    let actions: Vec<String> = store::audit::of_entity(&mut conn, "qualification_application", id)
        .await
        .unwrap()
        .into_iter()
        .map(|e| e.action)
        .filter(|a| a.contains("evidence_file"))
        .collect();
    assert_eq!(
        actions,
        vec![
            "attach_evidence_file",
            "attach_evidence_file",
            "remove_evidence_file"
        ]
    );
}

#[tokio::test]
async fn evidence_files_are_checked_and_read_only_by_those_who_may() {
    evidence_files(TestApp::spawn().await).await;
}

#[tokio::test]
async fn evidence_files_are_checked_and_read_only_by_those_who_may_on_postgres() {
    on_postgres("evidence files", evidence_files).await;
}
