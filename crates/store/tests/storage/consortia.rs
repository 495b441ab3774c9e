//! Storage stories of consortia, on both backends (`on_both_backends!` comes from the suite's root).

#[allow(unused_imports)]
use super::*;
use store::committee::calls::{self, CallFields, CallParts};
use store::committee::files::{self as stored_files, Attached};
use store::consortia::{self as stored, Lot, OpportunityFields, Requirement};

on_both_backends!(
    opportunities_keep_their_lots_and_requirements,
    members_are_invited_answered_once_and_the_lead_goes_only_to_an_accepted_one,
    the_workspace_keeps_messages_and_uniquely_named_documents,
    a_joint_dossier_is_recorded_once_per_lead_and_call,
    invitations_reach_participants_and_lists_carry_the_state,
);

/// A cluster with three member organisations and one outsider: (cluster, [a, b, c], outsider).
async fn setup(conn: &mut store::Conn) -> (i64, Vec<i64>, i64) {
    let cluster = clusters::insert(conn, "Pôle", "pole").await.unwrap();
    let mut members = Vec::new();
    for (i, siret) in ["73282932000074", "55208131766522", "44306184100047"]
        .iter()
        .enumerate()
    {
        let id = organisations::insert(conn, &fields(&format!("Membre {i}"), siret))
            .await
            .unwrap();
        clusters::add_member(conn, cluster, id).await.unwrap();
        members.push(id);
    }
    let outsider = organisations::insert(conn, &fields("Dehors", "38012986643097"))
        .await
        .unwrap();
    (cluster, members, outsider)
}

fn requirement(kind: &str, code: &str) -> Requirement {
    Requirement {
        kind: kind.into(),
        code: code.into(),
    }
}

fn external(title: &str) -> OpportunityFields {
    OpportunityFields {
        call_id: None,
        title: title.into(),
        buyer: "Région".into(),
        url: "https://marches.example/1".into(),
        description: String::new(),
        deadline_at: Some(1_900_000_000_000),
    }
}

async fn opportunity(conn: &mut store::Conn, cluster: i64, by_org: i64) -> i64 {
    let id = stored::insert_opportunity(conn, cluster, by_org, &external("Bancs d'essais"), None, 1_000)
        .await
        .unwrap();
    let lots = [Lot {
        position: 1,
        name: "Essais".into(),
        min_headcount: 0,
        requirements: vec![requirement("capability", "testing")],
    }];
    stored::replace_lots(conn, id, &lots).await.unwrap();
    id
}

async fn opportunities_keep_their_lots_and_requirements(db: TestDatabase) {
    let mut conn = db.store.conn().await.unwrap();
    let (cluster, members, _) = setup(&mut conn).await;
    let id = stored::insert_opportunity(&mut conn, cluster, members[0], &external("Bancs"), None, 1_000)
        .await
        .unwrap();
    let lots = vec![
        Lot {
            position: 1,
            name: "Usinage".into(),
            min_headcount: 20,
            requirements: vec![
                requirement("capability", "machining-5-axis"),
                requirement("certification", "EN 9100"),
                requirement("region", "76"),
            ],
        },
        Lot {
            position: 2,
            name: "Essais".into(),
            min_headcount: 0,
            requirements: vec![requirement("capability", "testing")],
        },
    ];
    stored::replace_lots(&mut conn, id, &lots).await.unwrap();
    let read = stored::lots(&mut conn, id).await.unwrap();
    assert_eq!(read.len(), 2);
    assert_eq!(read[0].min_headcount, 20);
    // Requirements come back by kind, then code.
    let kinds: Vec<&str> = read[0].requirements.iter().map(|r| r.kind.as_str()).collect();
    assert_eq!(kinds, ["capability", "certification", "region"]);
    assert_eq!(read[1].requirements, lots[1].requirements);

    // Replacing the lots renumbers them and drops the old requirements.
    stored::replace_lots(&mut conn, id, &lots[1..]).await.unwrap();
    let read = stored::lots(&mut conn, id).await.unwrap();
    assert_eq!(read.len(), 1);
    assert_eq!((read[0].position, read[0].name.as_str()), (1, "Essais"));

    let mut changed = external("Bancs d'essais moteurs");
    changed.deadline_at = None;
    assert!(
        stored::update_opportunity(&mut conn, id, &changed, 2_000)
            .await
            .unwrap()
    );
    let read = stored::opportunity(&mut conn, id).await.unwrap().unwrap();
    assert_eq!(read.fields, changed);
    assert_eq!((read.created_at, read.updated_at), (1_000, 2_000));
    assert!(
        !stored::update_opportunity(&mut conn, 999_999, &changed, 2_000)
            .await
            .unwrap()
    );
    let listed = stored::opportunities(&mut conn, cluster).await.unwrap();
    assert_eq!(listed.iter().map(|o| o.id).collect::<Vec<_>>(), [id]);

    // The cluster's members with their facts; the outsider is not among them.
    let facts = stored::member_facts(&mut conn, cluster).await.unwrap();
    assert_eq!(
        facts.iter().map(|f| f.organisation_id).collect::<Vec<_>>(),
        members
    );
    assert!(facts.iter().all(|f| f.profile.is_none() && f.headcount == 42));
    store::profiles::save(&mut conn, members[1], "{}", None)
        .await
        .unwrap();
    let facts = stored::member_facts(&mut conn, cluster).await.unwrap();
    assert_eq!(facts[1].profile.as_deref(), Some("{}"));
    assert!(clusters::is_member(&mut conn, cluster, members[2]).await.unwrap());
    clusters::remove_member(&mut conn, cluster, members[2])
        .await
        .unwrap();
    assert!(!clusters::is_member(&mut conn, cluster, members[2]).await.unwrap());
    assert_eq!(stored::member_facts(&mut conn, cluster).await.unwrap().len(), 2);
}

async fn members_are_invited_answered_once_and_the_lead_goes_only_to_an_accepted_one(db: TestDatabase) {
    let mut conn = db.store.conn().await.unwrap();
    let (cluster, members, outsider) = setup(&mut conn).await;
    let opportunity = opportunity(&mut conn, cluster, members[0]).await;
    let id = stored::insert_consortium(&mut conn, opportunity, "Groupement", members[0], None, 1_000)
        .await
        .unwrap();
    assert_eq!(
        stored::member_state(&mut conn, id, members[0])
            .await
            .unwrap()
            .as_deref(),
        Some(stored::ACCEPTED),
        "the lead is a member from the start"
    );
    assert!(
        stored::invite(&mut conn, id, members[1], None, 1_001)
            .await
            .unwrap()
    );
    assert!(
        stored::invite(&mut conn, id, members[2], None, 1_001)
            .await
            .unwrap()
    );
    assert!(
        !stored::invite(&mut conn, id, members[1], None, 1_002)
            .await
            .unwrap(),
        "already invited"
    );
    assert!(
        !stored::invite(&mut conn, id, members[0], None, 1_002)
            .await
            .unwrap(),
        "already a member"
    );

    // The lead goes to accepted members only.
    assert!(
        !stored::set_lead(&mut conn, id, members[0], members[1], 1_003)
            .await
            .unwrap()
    );
    assert!(
        !stored::set_lead(&mut conn, id, members[0], outsider, 1_003)
            .await
            .unwrap()
    );
    assert!(
        stored::answer(&mut conn, id, members[1], true, None, 1_004)
            .await
            .unwrap()
    );
    assert!(
        !stored::answer(&mut conn, id, members[1], false, None, 1_005)
            .await
            .unwrap(),
        "answered once"
    );
    assert!(
        stored::answer(&mut conn, id, members[2], false, None, 1_005)
            .await
            .unwrap()
    );
    assert!(
        !stored::answer(&mut conn, id, outsider, true, None, 1_005)
            .await
            .unwrap(),
        "never invited"
    );
    let states: Vec<(i64, String)> = stored::members(&mut conn, id)
        .await
        .unwrap()
        .into_iter()
        .map(|m| (m.organisation_id, m.state))
        .collect();
    assert_eq!(
        states,
        [
            (members[0], "accepted".to_owned()),
            (members[1], "accepted".to_owned()),
            (members[2], "declined".to_owned())
        ]
    );
    // Declined: out of the organisation's list, and may be invited again.
    assert!(
        stored::of_organisation(&mut conn, members[2])
            .await
            .unwrap()
            .is_empty()
    );
    assert!(
        stored::invite(&mut conn, id, members[2], None, 1_006)
            .await
            .unwrap()
    );
    assert_eq!(
        stored::of_organisation(&mut conn, members[2]).await.unwrap()[0].1,
        "invited"
    );

    assert!(
        stored::set_lead(&mut conn, id, members[0], members[1], 1_007)
            .await
            .unwrap()
    );
    assert!(
        !stored::set_lead(&mut conn, id, members[0], members[0], 1_008)
            .await
            .unwrap(),
        "only the lead in place hands it on"
    );
    let read = stored::consortium(&mut conn, id).await.unwrap().unwrap();
    assert_eq!((read.lead_organisation_id, read.updated_at), (members[1], 1_007));
    assert_eq!(
        stored::of_opportunity(&mut conn, opportunity)
            .await
            .unwrap()
            .len(),
        1
    );
}

async fn the_workspace_keeps_messages_and_uniquely_named_documents(db: TestDatabase) {
    let mut conn = db.store.conn().await.unwrap();
    let (cluster, members, _) = setup(&mut conn).await;
    let opportunity = opportunity(&mut conn, cluster, members[0]).await;
    let id = stored::insert_consortium(&mut conn, opportunity, "G", members[0], None, 1_000)
        .await
        .unwrap();
    let second = stored::post_message(&mut conn, id, members[0], None, "Deuxième", 2_000)
        .await
        .unwrap();
    let first = stored::post_message(&mut conn, id, members[0], None, "Premier", 1_500)
        .await
        .unwrap();
    let read = stored::messages(&mut conn, id).await.unwrap();
    assert_eq!(
        read.iter().map(|m| m.id).collect::<Vec<_>>(),
        [first, second],
        "oldest first"
    );

    let bytes = b"%PDF-1.7\nplanning";
    let file = Attached {
        file_name: "planning.pdf".into(),
        file_sha256: "ab".repeat(32),
        size_bytes: bytes.len() as i64,
        content_type: "application/pdf".into(),
    };
    stored_files::put(&mut conn, &file.file_sha256, &file.content_type, bytes, 1_000)
        .await
        .unwrap();
    assert!(
        stored::add_document(&mut conn, id, &file, members[0], None, 1_000)
            .await
            .unwrap()
    );
    assert!(
        !stored::add_document(&mut conn, id, &file, members[0], None, 1_001)
            .await
            .unwrap(),
        "same name"
    );
    let documents = stored::documents(&mut conn, id).await.unwrap();
    assert_eq!(documents.len(), 1);
    assert_eq!(documents[0].file, file);
    let mut unknown = file.clone();
    unknown.file_name = "autre.pdf".into();
    unknown.file_sha256 = "cd".repeat(32);
    assert!(
        stored::add_document(&mut conn, id, &unknown, members[0], None, 1_002)
            .await
            .is_err(),
        "a document refers to stored content"
    );
    assert_eq!(
        stored_files::delete_unreferenced(&mut conn).await.unwrap(),
        0,
        "the clean-up keeps a file a workspace document refers to"
    );
    assert!(
        stored_files::get(&mut conn, &file.file_sha256)
            .await
            .unwrap()
            .is_some()
    );
}

async fn a_joint_dossier_is_recorded_once_per_lead_and_call(db: TestDatabase) {
    let mut conn = db.store.conn().await.unwrap();
    let (cluster, members, _) = setup(&mut conn).await;
    let fields = CallFields {
        title: "Appel".into(),
        description: String::new(),
        category: "goods".into(),
        eligible_sizes: vec![],
        required_certifications: vec![],
        accepted_regions: vec![],
        opens_at: 0,
        closes_at: 1_900_000_000_000,
        visibility: "members".into(),
    };
    let call = calls::insert(
        &mut conn,
        cluster,
        members[2],
        &fields,
        &CallParts::default(),
        None,
        1_000,
    )
    .await
    .unwrap();
    let opportunity = opportunity(&mut conn, cluster, members[0]).await;
    let first = stored::insert_consortium(&mut conn, opportunity, "A", members[0], None, 1_000)
        .await
        .unwrap();
    let second = stored::insert_consortium(&mut conn, opportunity, "B", members[0], None, 1_000)
        .await
        .unwrap();
    assert!(
        stored::joint_dossier_of(&mut conn, call, members[0])
            .await
            .unwrap()
            .is_none()
    );
    stored::record_joint_dossier(
        &mut conn,
        first,
        call,
        members[0],
        &[members[0], members[1]],
        None,
        2_000,
    )
    .await
    .unwrap();
    // Submitting again replaces the record.
    stored::record_joint_dossier(
        &mut conn,
        first,
        call,
        members[0],
        &[members[1], members[0]],
        None,
        3_000,
    )
    .await
    .unwrap();
    let joint = stored::joint_dossier_of(&mut conn, call, members[0])
        .await
        .unwrap()
        .unwrap();
    assert_eq!((joint.consortium_id, joint.submitted_at), (first, 3_000));
    assert_eq!(joint.members, [members[0], members[1]]);
    // The same lead's dossier for the call answers for one consortium at a time.
    stored::record_joint_dossier(&mut conn, second, call, members[0], &[members[0]], None, 4_000)
        .await
        .unwrap();
    assert_eq!(
        stored::joint_dossier_of(&mut conn, call, members[0])
            .await
            .unwrap()
            .unwrap()
            .consortium_id,
        second
    );
    assert!(stored::joint_dossiers(&mut conn, first).await.unwrap().is_empty());
    assert_eq!(stored::joint_dossiers(&mut conn, second).await.unwrap().len(), 1);
    assert!(
        stored::joint_dossier_of(&mut conn, call, members[1])
            .await
            .unwrap()
            .is_none()
    );
}

async fn invitations_reach_participants_and_lists_carry_the_state(db: TestDatabase) {
    let mut conn = db.store.conn().await.unwrap();
    let (cluster, members, _) = setup(&mut conn).await;
    // Registry participants are e-mailed; an evaluator or a mediator of the organisation is not.
    for (email, role) in [
        ("admin@membre.fr", "org_admin"),
        ("achats@membre.fr", "buyer"),
        ("eval@membre.fr", "evaluator"),
        ("mediation@membre.fr", "mediator"),
        ("equipe@membre.fr", "member"),
    ] {
        let person = store::people::insert(
            &mut conn,
            &store::records::NewPerson {
                organisation_id: members[1],
                email: email.into(),
                first_name: "Camille".into(),
                last_name: role.into(),
                job_title: None,
                locale: "fr".into(),
                password_hash: None,
            },
        )
        .await
        .unwrap();
        store::people::grant(&mut conn, person, role, "organisation", members[1])
            .await
            .unwrap();
    }
    assert_eq!(
        stored::participant_addresses(&mut conn, members[1])
            .await
            .unwrap(),
        ["achats@membre.fr", "admin@membre.fr", "equipe@membre.fr"]
    );
    assert!(
        stored::participant_addresses(&mut conn, members[2])
            .await
            .unwrap()
            .is_empty()
    );

    // An organisation's consortia come with its state in each, declined ones left out.
    let opportunity = opportunity(&mut conn, cluster, members[0]).await;
    let a = stored::insert_consortium(&mut conn, opportunity, "A", members[0], None, 1_000)
        .await
        .unwrap();
    let b = stored::insert_consortium(&mut conn, opportunity, "B", members[2], None, 1_000)
        .await
        .unwrap();
    let c = stored::insert_consortium(&mut conn, opportunity, "C", members[2], None, 1_000)
        .await
        .unwrap();
    stored::invite(&mut conn, b, members[0], None, 2_000)
        .await
        .unwrap();
    stored::invite(&mut conn, c, members[0], None, 2_000)
        .await
        .unwrap();
    stored::answer(&mut conn, c, members[0], false, None, 3_000)
        .await
        .unwrap();
    let mine: Vec<(i64, String)> = stored::of_organisation(&mut conn, members[0])
        .await
        .unwrap()
        .into_iter()
        .map(|(c, state)| (c.id, state))
        .collect();
    assert_eq!(mine, [(b, "invited".to_owned()), (a, "accepted".to_owned())]);

    // Facts of some organisations only, by id; an unknown id gives nothing.
    let facts = stored::facts_of(&mut conn, &[members[2], members[0], 999_999])
        .await
        .unwrap();
    assert_eq!(
        facts.iter().map(|f| f.organisation_id).collect::<Vec<_>>(),
        [members[2], members[0]]
    );

    // One joint dossier per lead and call, whatever the consortium (the database says so too).
    let fields = CallFields {
        title: "Appel".into(),
        description: String::new(),
        category: "goods".into(),
        eligible_sizes: vec![],
        required_certifications: vec![],
        accepted_regions: vec![],
        opens_at: 0,
        closes_at: 1_900_000_000_000,
        visibility: "members".into(),
    };
    let call = calls::insert(
        &mut conn,
        cluster,
        members[1],
        &fields,
        &CallParts::default(),
        None,
        1_000,
    )
    .await
    .unwrap();
    let insert = "INSERT INTO consortium_dossiers (consortium_id, call_id, lead_organisation_id, submitted_at) \
                  VALUES ($1, $2, $3, 5000)";
    sqlx::query(insert)
        .bind(b)
        .bind(call)
        .bind(members[2])
        .execute(&mut *conn)
        .await
        .unwrap();
    let twice = sqlx::query(insert)
        .bind(c)
        .bind(call)
        .bind(members[2])
        .execute(&mut *conn)
        .await;
    assert!(twice.is_err(), "a second joint dossier of one lead for one call");
}
