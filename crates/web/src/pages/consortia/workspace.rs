//! A consortium's page: the invitation for an invited organisation, the private workspace for its
//! accepted members (members and who covers what, messages, documents, the lead's actions and the
//! joint dossier), nothing for anyone else.

use super::*;

struct MemberLine {
    name: String,
    role: String,
    covers: String,
}

struct MessageLine {
    author: String,
    organisation: String,
    at: String,
    body: String,
}

struct DocumentLine {
    name: String,
    href: String,
    organisation: String,
    size_kib: i64,
}

struct JointLine {
    call_id: i64,
    at: String,
    members: String,
    /// submitted, withdrawn or replaced, translated.
    status: String,
    answer: String,
    lots: String,
}

/// A lot of the call the joint dossier may answer, ticked as last chosen.
struct LotChoice {
    position: i64,
    name: String,
    checked: bool,
}

struct Option_ {
    id: i64,
    name: String,
}

#[derive(Template)]
#[template(path = "consortia/workspace.html")]
struct WorkspacePage {
    c: Chrome,
    id: i64,
    name: String,
    opportunity_id: i64,
    opportunity: String,
    lead: String,
    leading: bool,
    members: Vec<MemberLine>,
    uncovered: Vec<RequirementLine>,
    messages: Vec<MessageLine>,
    documents: Vec<DocumentLine>,
    joints: Vec<JointLine>,
    call_id: Option<i64>,
    call_closes: String,
    lots: Vec<LotChoice>,
    invitable: Vec<Option_>,
    accepted: Vec<Option_>,
    message: String,
    answer: String,
    notice: String,
    errors: Vec<FieldError>,
}

#[derive(Template)]
#[template(path = "consortia/invitation.html")]
struct InvitationPage {
    c: Chrome,
    id: i64,
    name: String,
    opportunity: String,
    lead: String,
    state: String,
    answered: String,
    notice: String,
    errors: Vec<FieldError>,
}

/// Typed text kept when a form of the workspace is refused.
#[derive(Default)]
struct Typed {
    message: String,
    answer: String,
    /// The joint dossier's lots as ticked; None: every lot (the form's first showing).
    lots: Option<Vec<i64>>,
}

async fn workspace_page(
    state: &AppState,
    viewer: &Viewer,
    id: i64,
    notice: &str,
    typed: Typed,
    errors: Vec<FieldError>,
    status: StatusCode,
) -> Response {
    let view = match state
        .app
        .consortium_workspace(&viewer.actor, id, viewer.tr.locale)
        .await
    {
        Ok(view) => view,
        Err(AppError::NotFound(what)) => {
            // Not a member: an invited organisation reads its invitation, anyone else nothing.
            return match state.app.consortium_invitation(&viewer.actor, id).await {
                Ok(invitation) => render_with(
                    status,
                    &InvitationPage {
                        c: Chrome::of(viewer, "consortia"),
                        id,
                        name: invitation.consortium.name,
                        opportunity: invitation.opportunity.fields.title,
                        lead: invitation.lead_name,
                        answered: viewer.tr.t(format!("consortia.role.{}", invitation.state)),
                        state: invitation.state,
                        notice: notice_text(viewer, "consortia", &NOTICES, notice),
                        errors,
                    },
                ),
                Err(_) => fail(viewer, AppError::NotFound(what)),
            };
        }
        Err(error) => return fail(viewer, error),
    };
    // Only the lead invites: the candidates are read for it alone.
    let candidates = if view.leading {
        match state
            .app
            .consortium_candidates(&viewer.actor, view.opportunity.id)
            .await
        {
            Ok(found) => found,
            Err(error) => return fail(viewer, error),
        }
    } else {
        Vec::new()
    };
    let label = |i: &usize| view.requirements.get(*i).map(|r| r.label.clone());
    let lots = view
        .call_lots
        .iter()
        .map(|(position, name)| LotChoice {
            position: *position,
            name: name.clone(),
            checked: typed.lots.as_ref().is_none_or(|ticked| ticked.contains(position)),
        })
        .collect();
    let in_it: Vec<i64> = view
        .members
        .iter()
        .filter(|m| m.member.state != "declined")
        .map(|m| m.member.organisation_id)
        .collect();
    let page = WorkspacePage {
        c: Chrome::of(viewer, "consortia"),
        id,
        name: view.consortium.name.clone(),
        opportunity_id: view.opportunity.id,
        opportunity: view.opportunity.fields.title.clone(),
        lead: view.lead_name.clone(),
        leading: view.leading,
        members: view
            .members
            .iter()
            .map(|m| MemberLine {
                name: m.name.clone(),
                role: viewer.tr.t(format!("consortia.role.{}", m.role)),
                covers: m.covers.iter().filter_map(label).collect::<Vec<_>>().join(", "),
            })
            .collect(),
        uncovered: view
            .uncovered
            .iter()
            .map(|r| requirement_line(viewer, r))
            .collect(),
        messages: view
            .messages
            .iter()
            .map(|m| MessageLine {
                author: m.author.clone(),
                organisation: m.organisation_name.clone(),
                at: m.posted_at_paris.clone(),
                body: m.message.body.clone(),
            })
            .collect(),
        documents: view
            .documents
            .iter()
            .map(|d| DocumentLine {
                name: d.document.file.file_name.clone(),
                href: format!(
                    "/consortia/{id}/documents/{}",
                    path_segment(&d.document.file.file_name)
                ),
                organisation: d.organisation_name.clone(),
                size_kib: (d.document.file.size_bytes + 1023) / 1024,
            })
            .collect(),
        joints: view
            .joint_dossiers
            .iter()
            .map(|j| JointLine {
                call_id: j.joint.call_id,
                at: j.submitted_at_paris.clone(),
                members: j.members.join(", "),
                status: viewer.tr.t(format!("consortia.joint_status.{}", j.status)),
                answer: j.answer.clone(),
                lots: j.lots.join(", "),
            })
            .collect(),
        call_id: view.opportunity.fields.call_id,
        call_closes: view.call_closes_paris.clone().unwrap_or_default(),
        lots,
        invitable: candidates
            .iter()
            .filter(|(org, _)| !in_it.contains(org))
            .map(|(id, name)| Option_ {
                id: *id,
                name: name.clone(),
            })
            .collect(),
        accepted: view
            .members
            .iter()
            .filter(|m| m.member.state == "accepted" && m.role != "lead")
            .map(|m| Option_ {
                id: m.member.organisation_id,
                name: m.name.clone(),
            })
            .collect(),
        message: typed.message,
        answer: typed.answer,
        notice: notice_text(viewer, "consortia", &NOTICES, notice),
        errors,
    };
    render_with(status, &page)
}

/// `GET /consortia/{id}`.
pub(super) async fn consortium(
    State(state): State<AppState>,
    viewer: Viewer,
    Path(id): Path<i64>,
    Query(notice): Query<Notice>,
) -> Response {
    workspace_page(
        &state,
        &viewer,
        id,
        &notice.notice,
        Typed::default(),
        Vec::new(),
        StatusCode::OK,
    )
    .await
}

async fn after(
    state: &AppState,
    viewer: &Viewer,
    id: i64,
    result: Result<(), AppError>,
    notice: &str,
    typed: Typed,
) -> Response {
    // A conflict (`form`) points at the form that was sent.
    let form_id = match notice {
        // The invitation (the form, or the answer given) or, once accepted, the member list.
        "accepted" | "declined" => "membership",
        "invited" => "invite-form",
        "lead" => "lead-form",
        "posted" => "message-form",
        "attached" => "document-form",
        _ => "joint-form",
    };
    match result {
        Ok(()) => go_with_notice(&format!("/consortia/{id}"), notice),
        Err(error) => {
            refused(viewer, error, |errors, status| {
                let errors = errors
                    .into_iter()
                    .map(|e| match e.field.as_str() {
                        "form" => FieldError {
                            field: form_id.into(),
                            ..e
                        },
                        _ => e,
                    })
                    .collect();
                workspace_page(state, viewer, id, "", typed, errors, status)
            })
            .await
        }
    }
}

#[derive(Deserialize, Default)]
pub(super) struct AnswerForm {
    #[serde(default)]
    accept: String,
}

/// `POST /consortia/{id}/answer`: `accept` yes or no.
pub(super) async fn answer(
    State(state): State<AppState>,
    viewer: Viewer,
    Path(id): Path<i64>,
    Form(form): Form<AnswerForm>,
) -> Response {
    let accept = form.accept == "yes";
    let result = match form.accept.as_str() {
        "yes" | "no" => {
            state
                .app
                .answer_consortium_invitation(&viewer.actor, id, accept)
                .await
        }
        _ => Err(AppError::invalid("accept", "accept or decline: yes or no")),
    };
    after(
        &state,
        &viewer,
        id,
        result,
        if accept { "accepted" } else { "declined" },
        Typed::default(),
    )
    .await
}

#[derive(Deserialize, Default)]
pub(super) struct OrganisationForm {
    #[serde(default)]
    organisation_id: String,
}

fn organisation_of(form: &OrganisationForm) -> Result<i64, AppError> {
    form.organisation_id
        .trim()
        .parse()
        .map_err(|_| AppError::invalid("organisation_id", "choose an organisation"))
}

/// `POST /consortia/{id}/invitations`.
pub(super) async fn invite(
    State(state): State<AppState>,
    viewer: Viewer,
    Path(id): Path<i64>,
    Form(form): Form<OrganisationForm>,
) -> Response {
    let result = match organisation_of(&form) {
        Ok(org) => state.app.invite_to_consortium(&viewer.actor, id, org).await,
        Err(error) => Err(error),
    };
    after(&state, &viewer, id, result, "invited", Typed::default()).await
}

/// `POST /consortia/{id}/lead`.
pub(super) async fn hand_lead(
    State(state): State<AppState>,
    viewer: Viewer,
    Path(id): Path<i64>,
    Form(form): Form<OrganisationForm>,
) -> Response {
    let result = match organisation_of(&form) {
        Ok(org) => state.app.hand_consortium_lead(&viewer.actor, id, org).await,
        Err(error) => Err(error),
    }
    // The lead's select is `new_lead` on the page (`organisation_id` is the invitation's).
    .map_err(|error| match error {
        AppError::Invalid(errors) => AppError::Invalid(
            errors
                .into_iter()
                .map(|e| match e.field.as_str() {
                    "organisation_id" => FieldError {
                        field: "new_lead".into(),
                        ..e
                    },
                    _ => e,
                })
                .collect(),
        ),
        other => other,
    });
    after(&state, &viewer, id, result, "lead", Typed::default()).await
}

#[derive(Deserialize, Default)]
pub(super) struct MessageForm {
    #[serde(default)]
    body: String,
}

/// `POST /consortia/{id}/messages`.
pub(super) async fn post_message(
    State(state): State<AppState>,
    viewer: Viewer,
    Path(id): Path<i64>,
    Form(form): Form<MessageForm>,
) -> Response {
    let result = state
        .app
        .post_consortium_message(&viewer.actor, id, &form.body)
        .await
        .map(|_| ());
    let typed = Typed {
        message: form.body,
        ..Typed::default()
    };
    after(&state, &viewer, id, result, "posted", typed).await
}

/// `POST /consortia/{id}/documents`: multipart `file`.
pub(super) async fn attach(
    State(state): State<AppState>,
    viewer: Viewer,
    Path(id): Path<i64>,
    multipart: Result<Multipart, MultipartRejection>,
) -> Response {
    // Nobody streams 10 MiB in before being known to be someone.
    if matches!(viewer.actor, Actor::Visitor) {
        return fail(&viewer, AppError::Unauthenticated);
    }
    let result = match read_form_file(multipart).await {
        Ok(form) => state
            .app
            .attach_consortium_document(&viewer.actor, id, form.upload)
            .await
            .map(|_| ()),
        Err(error) => Err(error),
    };
    after(&state, &viewer, id, result, "attached", Typed::default()).await
}

/// `GET /consortia/{id}/documents/{name}`.
pub(super) async fn download(
    State(state): State<AppState>,
    viewer: Viewer,
    Path((id, name)): Path<(i64, String)>,
) -> Response {
    match state.app.consortium_document(&viewer.actor, id, &name).await {
        Ok(file) => committee_file(file),
        Err(error) => fail(&viewer, error),
    }
}

/// `POST /consortia/{id}/joint-dossier`: `answer` and repeated `lots`.
pub(super) async fn submit_joint(
    State(state): State<AppState>,
    viewer: Viewer,
    Path(id): Path<i64>,
    Form(pairs): Form<Vec<(String, String)>>,
) -> Response {
    let answer = pairs
        .iter()
        .find(|(k, _)| k == "answer")
        .map(|(_, v)| v.clone())
        .unwrap_or_default();
    let lots = pairs
        .iter()
        .filter(|(k, _)| k == "lots")
        .filter_map(|(_, v)| v.trim().parse().ok())
        .collect();
    let input = app::committee::DossierInput {
        answer: answer.clone(),
        lots,
    };
    let result = state
        .app
        .submit_joint_dossier(&viewer.actor, id, &input)
        .await
        .map(|_| ());
    let typed = Typed {
        message: String::new(),
        answer,
        lots: Some(input.lots.clone()),
    };
    after(&state, &viewer, id, result, "submitted", typed).await
}
