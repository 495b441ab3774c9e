//! One application: the applicant's evidence and files, a named reviewer's opinions, the staff's
//! reviewers and decision.

use super::*;

struct FileLine {
    name: String,
    kind: String,
    size_kib: i64,
    href: String,
}

struct CriterionBlock {
    id: i64,
    name: String,
    description: String,
    evidence: String,
    files: Vec<FileLine>,
    /// The viewing reviewer's own opinion: "met", "not_met" or "".
    my_opinion: String,
    my_comment: String,
}

struct OpinionLine {
    reviewer: String,
    criterion: String,
    met: bool,
    comment: String,
}

#[derive(Template)]
#[template(path = "committee/portfolio_application.html")]
struct ApplicationPage {
    c: Chrome,
    id: i64,
    cluster_id: i64,
    organisation: String,
    state: String,
    standing: String,
    renewal_on: String,
    refusal_reason: String,
    criteria: Vec<CriterionBlock>,
    reviewers: Vec<String>,
    reviewer_emails: String,
    opinions: Vec<OpinionLine>,
    min_renewal: String,
    notice: String,
    errors: Vec<FieldError>,
}

async fn application_page(
    state: &AppState,
    viewer: &Viewer,
    id: i64,
    notice: &str,
    errors: Vec<FieldError>,
    status: StatusCode,
) -> Response {
    let view = match state.app.qualification_application(&viewer.actor, id).await {
        Ok(view) => view,
        Err(error) => return fail(viewer, error),
    };
    let me = match &viewer.actor {
        Actor::Person(p) => Some(p.person_id),
        Actor::Visitor => None,
    };
    let criteria = view
        .criteria
        .iter()
        .map(|k| {
            let mine = view
                .opinions
                .iter()
                .find(|o| o.criterion_id == k.id && Some(o.person_id) == me);
            CriterionBlock {
                id: k.id,
                name: k.name.clone(),
                description: k.description.clone(),
                evidence: view
                    .evidence
                    .iter()
                    .find(|e| e.criterion_id == k.id)
                    .map(|e| e.text.clone())
                    .unwrap_or_default(),
                files: view
                    .files
                    .iter()
                    .filter(|f| f.criterion_id == k.id)
                    .map(|f| FileLine {
                        name: f.file.file_name.clone(),
                        kind: f.file.content_type.clone(),
                        size_kib: f.file.size_bytes.saturating_add(1023) / 1024,
                        href: format!(
                            "/qualification/applications/{id}/files/{}",
                            path_segment(&f.file.file_name)
                        ),
                    })
                    .collect(),
                my_opinion: mine
                    .map_or("", |o| if o.met { "met" } else { "not_met" })
                    .to_owned(),
                my_comment: mine.map(|o| o.comment.clone()).unwrap_or_default(),
            }
        })
        .collect();
    let reviewer_name = |person_id: i64| {
        view.reviewers
            .iter()
            .find(|r| r.person_id == person_id)
            .map_or_else(|| person_id.to_string(), |r| r.name.clone())
    };
    let opinions = if view.standing == Standing::Staff {
        view.opinions
            .iter()
            .map(|o| OpinionLine {
                reviewer: reviewer_name(o.person_id),
                criterion: view
                    .criteria
                    .iter()
                    .find(|k| k.id == o.criterion_id)
                    .map(|k| k.name.clone())
                    .unwrap_or_default(),
                met: o.met,
                comment: o.comment.clone(),
            })
            .collect()
    } else {
        Vec::new()
    };
    let tomorrow = app::committee::portfolio::today().tomorrow().ok();
    render_with(
        status,
        &ApplicationPage {
            c: Chrome::of(viewer, "committee"),
            id,
            cluster_id: view.application.cluster_id,
            organisation: view.organisation_name.clone(),
            state: view.application.state.clone(),
            standing: standing_code(view.standing).to_owned(),
            renewal_on: view.application.renewal_on.clone().unwrap_or_default(),
            refusal_reason: view.application.refusal_reason.clone().unwrap_or_default(),
            criteria,
            reviewers: view
                .reviewers
                .iter()
                .map(|r| format!("{} ({})", r.name, r.organisation_name))
                .collect(),
            reviewer_emails: String::new(),
            opinions,
            min_renewal: tomorrow.map(app::committee::portfolio::iso).unwrap_or_default(),
            notice: notice_text(viewer, notice),
            errors,
        },
    )
}

async fn application_refused(state: &AppState, viewer: &Viewer, id: i64, error: AppError) -> Response {
    refused(viewer, error, |errors, status| {
        application_page(state, viewer, id, "", errors, status)
    })
    .await
}

fn application_done(id: i64, notice: &str) -> Response {
    go(&format!("/qualification/applications/{id}"), notice)
}

/// `GET /qualification/applications/{id}`.
pub(super) async fn application(
    State(state): State<AppState>,
    viewer: Viewer,
    Path(id): Path<i64>,
    Query(notice): Query<Notice>,
) -> Response {
    application_page(&state, &viewer, id, &notice.notice, Vec::new(), StatusCode::OK).await
}

/// The number after `prefix` in a field name such as `evidence_12`.
fn suffix_id(key: &str, prefix: &str) -> Option<i64> {
    key.strip_prefix(prefix)?.parse().ok()
}

/// The evidence fields of the applicant's form (`evidence_<criterion>`).
fn evidence_of(pairs: Vec<(String, String)>) -> Vec<EvidenceInput> {
    pairs
        .into_iter()
        .filter_map(|(key, text)| {
            suffix_id(&key, "evidence_").map(|criterion_id| EvidenceInput { criterion_id, text })
        })
        .collect()
}

/// `POST /qualification/applications/{id}`: the applicant saves evidence.
pub(super) async fn save_evidence(
    State(state): State<AppState>,
    viewer: Viewer,
    Path(id): Path<i64>,
    Form(pairs): Form<Vec<(String, String)>>,
) -> Response {
    let inputs = evidence_of(pairs);
    match state
        .app
        .save_qualification_evidence(&viewer.actor, id, &inputs)
        .await
    {
        Ok(_) => application_done(id, "saved"),
        Err(error) => application_refused(&state, &viewer, id, error).await,
    }
}

/// `POST /qualification/applications/{id}/files`: multipart `file` and `criterion_id`.
pub(super) async fn attach_file(
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
        Ok(form) => match form.text("criterion_id").trim().parse::<i64>() {
            Ok(criterion_id) => state
                .app
                .attach_qualification_file(&viewer.actor, id, criterion_id, form.upload)
                .await
                .map(|_| ()),
            Err(_) => Err(AppError::invalid(
                "criterion_id",
                "choose the criterion the file backs",
            )),
        },
        Err(error) => Err(error),
    };
    match result {
        Ok(()) => application_done(id, "attached"),
        Err(error) => application_refused(&state, &viewer, id, error).await,
    }
}

/// `GET /qualification/applications/{id}/files/{name}`.
pub(super) async fn download(
    State(state): State<AppState>,
    viewer: Viewer,
    Path((id, name)): Path<(i64, String)>,
) -> Response {
    match state.app.qualification_file(&viewer.actor, id, &name).await {
        Ok(file) => committee_file(file),
        Err(error) => fail(&viewer, error),
    }
}

/// `POST /qualification/applications/{id}/files/{name}/remove`.
pub(super) async fn remove_file(
    State(state): State<AppState>,
    viewer: Viewer,
    Path((id, name)): Path<(i64, String)>,
) -> Response {
    match state
        .app
        .remove_qualification_file(&viewer.actor, id, &name)
        .await
    {
        Ok(()) => application_done(id, "removed"),
        Err(error) => application_refused(&state, &viewer, id, error).await,
    }
}

/// `POST /qualification/applications/{id}/submit`: saves the evidence the form carries (its
/// "submit" button belongs to the evidence form, so nothing typed is lost), then submits.
pub(super) async fn submit(
    State(state): State<AppState>,
    viewer: Viewer,
    Path(id): Path<i64>,
    Form(pairs): Form<Vec<(String, String)>>,
) -> Response {
    let inputs = evidence_of(pairs);
    if !inputs.is_empty()
        && let Err(error) = state
            .app
            .save_qualification_evidence(&viewer.actor, id, &inputs)
            .await
    {
        return application_refused(&state, &viewer, id, error).await;
    }
    match state.app.submit_qualification(&viewer.actor, id).await {
        Ok(_) => application_done(id, "submitted"),
        Err(error) => application_refused(&state, &viewer, id, error).await,
    }
}

/// `POST /qualification/applications/{id}/withdraw`.
pub(super) async fn withdraw(State(state): State<AppState>, viewer: Viewer, Path(id): Path<i64>) -> Response {
    match state.app.withdraw_qualification(&viewer.actor, id).await {
        Ok(_) => application_done(id, "withdrawn"),
        Err(error) => application_refused(&state, &viewer, id, error).await,
    }
}

#[derive(Deserialize)]
pub(super) struct ReviewersForm {
    #[serde(default)]
    reviewers: String,
}

/// `POST /qualification/applications/{id}/reviewers`: the staff name reviewers by e-mail, one a line.
pub(super) async fn name_reviewers(
    State(state): State<AppState>,
    viewer: Viewer,
    Path(id): Path<i64>,
    Form(form): Form<ReviewersForm>,
) -> Response {
    let emails: Vec<String> = form
        .reviewers
        .split(['\n', ',', ';'])
        .map(str::trim)
        .filter(|e| !e.is_empty())
        .map(str::to_owned)
        .collect();
    match state
        .app
        .name_qualification_reviewers_by_email(&viewer.actor, id, &emails)
        .await
    {
        Ok(_) => application_done(id, "reviewers"),
        Err(error) => application_refused(&state, &viewer, id, error).await,
    }
}

/// `POST /qualification/applications/{id}/opinions`: `met_<criterion>` (met or not_met) and
/// `comment_<criterion>`; criteria left without a choice are not sent.
pub(super) async fn give_opinions(
    State(state): State<AppState>,
    viewer: Viewer,
    Path(id): Path<i64>,
    Form(pairs): Form<Vec<(String, String)>>,
) -> Response {
    let mut inputs: Vec<OpinionInput> = Vec::new();
    let mut errors = Vec::new();
    for (key, value) in &pairs {
        if let Some(criterion_id) = suffix_id(key, "met_") {
            let met = match value.as_str() {
                "met" => true,
                "not_met" => false,
                _ => {
                    errors.push(FieldError::new(key, "is met or not_met"));
                    continue;
                }
            };
            let comment = pairs
                .iter()
                .find(|(k, _)| suffix_id(k, "comment_") == Some(criterion_id))
                .map(|(_, v)| v.clone())
                .unwrap_or_default();
            inputs.push(OpinionInput {
                criterion_id,
                met,
                comment,
            });
        }
    }
    let result = if errors.is_empty() {
        state
            .app
            .give_qualification_opinions(&viewer.actor, id, &inputs)
            .await
            .map(|_| ())
    } else {
        Err(AppError::Invalid(errors))
    };
    match result {
        Ok(()) => application_done(id, "opinions"),
        Err(error) => application_refused(&state, &viewer, id, error).await,
    }
}

#[derive(Deserialize)]
pub(super) struct DecisionForm {
    #[serde(default)]
    outcome: String,
    #[serde(default)]
    renewal_on: String,
    #[serde(default)]
    reason: String,
}

/// `POST /qualification/applications/{id}/decision`.
pub(super) async fn decide(
    State(state): State<AppState>,
    viewer: Viewer,
    Path(id): Path<i64>,
    Form(form): Form<DecisionForm>,
) -> Response {
    let input = DecisionInput {
        outcome: form.outcome,
        renewal_on: form.renewal_on,
        reason: form.reason,
    };
    match state.app.decide_qualification(&viewer.actor, id, &input).await {
        Ok(_) => application_done(id, "decided"),
        Err(error) => application_refused(&state, &viewer, id, error).await,
    }
}
