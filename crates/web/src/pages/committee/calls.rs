//! The calls: the list the viewer may see, the buyer's form (new, edit, amend), one call's page
//! with its documents, public Q&A and amendments, and the buyer's publish, cancel and answer
//! controls.

use super::{back_to, fail, paris_time};
use crate::error::status_of;
use crate::identity::Viewer;
use crate::pages::{Chrome, Refusal, form_errors, render, render_with};
use crate::state::AppState;
use app::committee::{CallUpdate, CallView};
use app::{Actor, AppError, FieldError};
use askama::Template;
use axum::Form;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::Response;
use domain::committee::call::{CriterionInput, EligibilityInput, SCALES};
use domain::committee::{CallInput, CallState, CallVisibility, Category, Lot, paris};
use domain::org::OrgSize;
use domain::policy::{Action, authorize};
use serde::Deserialize;
use store::committee::calls::Call;

/// The cluster a signed-in person's calls come from; visitors read every cluster's public calls.
async fn clusters_for(state: &AppState, viewer: &Viewer) -> Result<Vec<i64>, AppError> {
    if let Actor::Person(p) = &viewer.actor
        && let Some(id) = app::actor::home_cluster(p)
    {
        return Ok(vec![id]);
    }
    let mut conn = state.app.store.conn().await?;
    Ok(store::clusters::list(&mut conn)
        .await?
        .into_iter()
        .map(|c| c.id)
        .collect())
}

/// A call as a line of the list.
struct CallRow {
    id: i64,
    title: String,
    state: String,
    open: bool,
    closes: String,
}

#[derive(Template)]
#[template(path = "committee/calls.html")]
struct CallsPage {
    c: Chrome,
    calls: Vec<CallRow>,
    can_create: bool,
    /// Signed in: offered the page of open calls for their organisation (its own left out).
    for_you: bool,
    /// The calls the viewer is named evaluator of, each linking to its marking desk.
    to_evaluate: Vec<CallRow>,
}

impl CallRow {
    fn of(call: Call, now: i64) -> CallRow {
        CallRow {
            id: call.id,
            open: is_open(&call, now),
            closes: paris_time(call.fields.closes_at),
            title: call.fields.title,
            state: call.state,
        }
    }
}

fn is_open(call: &Call, now: i64) -> bool {
    call.state == CallState::Published.as_str() && call.fields.opens_at <= now && now < call.fields.closes_at
}

/// `GET /calls`.
pub async fn list(State(state): State<AppState>, viewer: Viewer) -> Response {
    let clusters = match clusters_for(&state, &viewer).await {
        Ok(ids) => ids,
        Err(error) => return fail(&viewer, error),
    };
    let now = store::now_ms();
    let mut calls = Vec::new();
    for cluster_id in clusters {
        match state.app.calls(&viewer.actor, cluster_id).await {
            Ok(found) => calls.extend(found.into_iter().map(|call| CallRow::of(call, now))),
            Err(error) => return fail(&viewer, error),
        }
    }
    let to_evaluate = match state.app.calls_to_evaluate(&viewer.actor).await {
        Ok(found) => found.into_iter().map(|call| CallRow::of(call, now)).collect(),
        Err(error) => return fail(&viewer, error),
    };
    render(&CallsPage {
        to_evaluate,
        for_you: viewer.signed_in(),
        can_create: may_create(&viewer),
        c: Chrome::of(&viewer, "calls"),
        calls,
    })
}

fn may_create(viewer: &Viewer) -> bool {
    match &viewer.actor {
        Actor::Person(p) => app::actor::home_cluster(p).is_some_and(|cluster_id| {
            authorize(
                &viewer.actor,
                &Action::ManageCall {
                    cluster_id,
                    buyer_id: p.organisation_id,
                },
            )
            .is_ok()
        }),
        Actor::Visitor => false,
    }
}

// ---- the call form ----------------------------------------------------------------------------

/// The form as typed; rows left wholly empty are dropped before validation.
#[derive(Debug, Clone, Default)]
struct CallForm {
    title: String,
    description: String,
    category: String,
    lots: Vec<Lot>,
    criteria: Vec<CriterionInput>,
    sizes: Vec<String>,
    /// One per line.
    certifications: String,
    regions: Vec<String>,
    opens_at: String,
    closes_at: String,
    visibility: String,
    /// What an edit of a published call changes, in the buyer's words.
    amendment: String,
}

/// `lots[2].name` → (`lots`, 2, `name`).
fn row_key(key: &str) -> Option<(&str, usize, &str)> {
    let (list, rest) = key.split_once('[')?;
    let (index, field) = rest.split_once("].")?;
    Some((list, index.parse().ok().filter(|i| *i < 100)?, field))
}

fn row<T: Default>(rows: &mut Vec<T>, index: usize) -> &mut T {
    if rows.len() <= index {
        rows.resize_with(index + 1, T::default);
    }
    &mut rows[index]
}

impl CallForm {
    fn from_pairs(pairs: Vec<(String, String)>) -> CallForm {
        let mut form = CallForm::default();
        for (key, value) in pairs {
            match key.as_str() {
                "title" => form.title = value,
                "description" => form.description = value,
                "category" => form.category = value,
                "sizes" => form.sizes.push(value),
                "certifications" => form.certifications = value,
                "regions" => form.regions.push(value),
                "opens_at" => form.opens_at = value,
                "closes_at" => form.closes_at = value,
                "visibility" => form.visibility = value,
                "amendment" => form.amendment = value,
                other => match row_key(other) {
                    Some(("lots", i, "name")) => row(&mut form.lots, i).name = value,
                    Some(("lots", i, "description")) => row(&mut form.lots, i).description = value,
                    Some(("criteria", i, "name")) => row(&mut form.criteria, i).name = value,
                    Some(("criteria", i, "description")) => row(&mut form.criteria, i).description = value,
                    Some(("criteria", i, "weight")) => row(&mut form.criteria, i).weight = value,
                    Some(("criteria", i, "scale_max")) => row(&mut form.criteria, i).scale_max = value,
                    _ => {}
                },
            }
        }
        form.lots
            .retain(|l| !l.name.trim().is_empty() || !l.description.trim().is_empty());
        form.criteria.retain(|k| {
            !k.name.trim().is_empty() || !k.description.trim().is_empty() || !k.weight.trim().is_empty()
        });
        form
    }

    /// The call as stored, in the form's terms: what the edit form starts from.
    fn of_call(view: &CallView) -> CallForm {
        let fields = &view.call.fields;
        let paris_input = |ms: i64| {
            jiff::Timestamp::from_millisecond(ms)
                .map(paris::input)
                .unwrap_or_default()
        };
        CallForm {
            title: fields.title.clone(),
            description: fields.description.clone(),
            category: fields.category.clone(),
            lots: view
                .parts
                .lots
                .iter()
                .map(|l| Lot {
                    name: l.name.clone(),
                    description: l.description.clone(),
                })
                .collect(),
            criteria: view
                .parts
                .criteria
                .iter()
                .map(|k| CriterionInput {
                    name: k.name.clone(),
                    description: k.description.clone(),
                    weight: k.weight.to_string(),
                    scale_max: k.scale_max.to_string(),
                })
                .collect(),
            sizes: fields.eligible_sizes.clone(),
            certifications: fields.required_certifications.join("\n"),
            regions: fields.accepted_regions.clone(),
            opens_at: paris_input(fields.opens_at),
            closes_at: paris_input(fields.closes_at),
            visibility: fields.visibility.clone(),
            amendment: String::new(),
        }
    }

    fn to_input(&self) -> CallInput {
        CallInput {
            title: self.title.clone(),
            description: self.description.clone(),
            category: self.category.clone(),
            lots: self.lots.clone(),
            eligibility: EligibilityInput {
                sizes: self.sizes.clone(),
                certifications: self
                    .certifications
                    .lines()
                    .map(str::trim)
                    .filter(|l| !l.is_empty())
                    .map(str::to_owned)
                    .collect(),
                regions: self.regions.clone(),
            },
            criteria: self.criteria.clone(),
            opens_at: self.opens_at.clone(),
            closes_at: self.closes_at.clone(),
            visibility: self.visibility.clone(),
        }
    }
}

struct Choice {
    code: String,
    label: String,
    checked: bool,
}

#[derive(Template)]
#[template(path = "committee/call_form.html")]
struct CallFormPage {
    c: Chrome,
    form: CallForm,
    /// The lot rows shown: those typed and two empty ones.
    lots: Vec<Lot>,
    criteria: Vec<CriterionInput>,
    categories: Vec<Choice>,
    sizes: Vec<Choice>,
    regions: Vec<Choice>,
    visibilities: Vec<Choice>,
    scales: Vec<u32>,
    errors: Vec<FieldError>,
    /// Where the form posts: `/calls` for a new call, `/calls/{id}/edit` for an edit.
    action: String,
    heading: String,
    /// An edit of a published call: the amendment field is shown and required.
    amending: bool,
    /// The call edited, for the way back.
    call_id: Option<i64>,
}

/// Which form: a new call, or an edit of call `id` (an amendment once published).
#[derive(Clone, Copy)]
enum FormKind {
    New,
    Edit { id: i64, published: bool },
}

impl CallFormPage {
    fn new(viewer: &Viewer, form: CallForm, errors: Vec<FieldError>) -> CallFormPage {
        CallFormPage::of_kind(viewer, FormKind::New, form, errors)
    }

    fn of_kind(viewer: &Viewer, kind: FormKind, form: CallForm, errors: Vec<FieldError>) -> CallFormPage {
        let tr = viewer.tr;
        let mut lots = form.lots.clone();
        lots.resize_with(lots.len() + 2, Lot::default);
        let mut criteria = form.criteria.clone();
        criteria.resize_with(criteria.len() + 2, || CriterionInput {
            scale_max: "10".into(),
            ..Default::default()
        });
        let choice = |code: &str, label: String, checked: bool| Choice {
            code: code.to_owned(),
            label,
            checked,
        };
        CallFormPage {
            categories: Category::ALL
                .iter()
                .map(|k| {
                    choice(
                        k.as_str(),
                        tr.t(format!("committee.category.{}", k.as_str())),
                        form.category == k.as_str(),
                    )
                })
                .collect(),
            sizes: OrgSize::ALL
                .iter()
                .map(|s| {
                    let label = if tr.locale == "fr" {
                        s.label_fr()
                    } else {
                        s.label_en()
                    };
                    choice(
                        s.as_str(),
                        label.to_owned(),
                        form.sizes.iter().any(|x| x == s.as_str()),
                    )
                })
                .collect(),
            regions: domain::geo::regions()
                .map(|r| {
                    choice(
                        r.code,
                        r.name.to_owned(),
                        form.regions.iter().any(|x| x == r.code),
                    )
                })
                .collect(),
            visibilities: CallVisibility::ALL
                .iter()
                .map(|v| {
                    choice(
                        v.as_str(),
                        tr.t(format!("committee.visibility.{}", v.as_str())),
                        form.visibility == v.as_str(),
                    )
                })
                .collect(),
            scales: SCALES.to_vec(),
            action: match kind {
                FormKind::New => "/calls".to_owned(),
                FormKind::Edit { id, .. } => format!("/calls/{id}/edit"),
            },
            heading: match kind {
                FormKind::New => tr.t("committee.new_call"),
                FormKind::Edit { published: true, .. } => tr.t("committee_calls.amend_call"),
                FormKind::Edit { .. } => tr.t("committee_calls.edit_call"),
            },
            amending: matches!(kind, FormKind::Edit { published: true, .. }),
            call_id: match kind {
                FormKind::New => None,
                FormKind::Edit { id, .. } => Some(id),
            },
            c: Chrome::of(viewer, "calls"),
            lots,
            criteria,
            form,
            errors,
        }
    }

    /// The messages about a row's field (`criteria[0].weight`), joined.
    fn row_err(&self, list: &str, index: &usize, field: &str) -> String {
        self.err(&format!("{list}[{index}].{field}"))
    }

    /// The messages about one field, joined, for beside it.
    fn err(&self, field: &str) -> String {
        self.errors
            .iter()
            .filter(|e| e.field == field)
            .map(|e| e.message.as_str())
            .collect::<Vec<_>>()
            .join(" ")
    }
}

/// `GET /calls/new`.
pub async fn new_form(viewer: Viewer) -> Response {
    if !may_create(&viewer) {
        let error = if viewer.signed_in() {
            AppError::Forbidden
        } else {
            AppError::Unauthenticated
        };
        return fail(&viewer, error);
    }
    let form = CallForm {
        category: Category::Services.as_str().into(),
        visibility: CallVisibility::Members.as_str().into(),
        ..Default::default()
    };
    render(&CallFormPage::new(&viewer, form, Vec::new()))
}

/// `POST /calls`: creates a draft call, or shows the form again with the errors (422).
pub async fn create(
    State(state): State<AppState>,
    viewer: Viewer,
    Form(pairs): Form<Vec<(String, String)>>,
) -> Response {
    let form = CallForm::from_pairs(pairs);
    let cluster_id = match &viewer.actor {
        Actor::Person(p) => app::actor::home_cluster(p).ok_or(AppError::NotFound("cluster")),
        Actor::Visitor => Err(AppError::Unauthenticated),
    };
    let result = match cluster_id {
        Ok(cluster_id) => {
            state
                .app
                .create_call(&viewer.actor, cluster_id, &form.to_input())
                .await
        }
        Err(error) => Err(error),
    };
    match result {
        Ok(call) => back_to(call.id, ""),
        Err(error) => {
            let status = status_of(&error);
            match form_errors(&viewer, error) {
                Refusal::Fields(errors) => render_with(status, &CallFormPage::new(&viewer, form, errors)),
                Refusal::Page(response) => response,
            }
        }
    }
}

/// The edit form of call `id`: for its buyer side, while a draft or published and open.
async fn edit_page(
    state: &AppState,
    viewer: &Viewer,
    id: i64,
    typed: Option<CallForm>,
    errors: Vec<FieldError>,
    status: StatusCode,
) -> Response {
    let view = match state.app.call(&viewer.actor, id).await {
        Ok(view) if view.can_manage => view,
        Ok(_) => return fail(viewer, AppError::Forbidden),
        Err(error) => return fail(viewer, error),
    };
    let kind = FormKind::Edit {
        id,
        published: view.call.state == CallState::Published.as_str(),
    };
    let form = typed.unwrap_or_else(|| CallForm::of_call(&view));
    render_with(status, &CallFormPage::of_kind(viewer, kind, form, errors))
}

/// `GET /calls/{id}/edit`.
pub async fn edit_form(State(state): State<AppState>, viewer: Viewer, Path(id): Path<i64>) -> Response {
    edit_page(&state, &viewer, id, None, Vec::new(), StatusCode::OK).await
}

/// `POST /calls/{id}/edit`: saves a draft, or amends a published call (the amendment text is
/// required and e-mailed to the candidates); refusals show the form again with the errors.
pub async fn edit(
    State(state): State<AppState>,
    viewer: Viewer,
    Path(id): Path<i64>,
    Form(pairs): Form<Vec<(String, String)>>,
) -> Response {
    let form = CallForm::from_pairs(pairs);
    let update = CallUpdate {
        call: form.to_input(),
        amendment: form.amendment.clone(),
    };
    match state.app.update_call(&viewer.actor, id, &update).await {
        Ok(_) => back_to(id, ""),
        Err(error) => {
            let status = status_of(&error);
            match form_errors(&viewer, error) {
                Refusal::Fields(errors) => edit_page(&state, &viewer, id, Some(form), errors, status).await,
                Refusal::Page(response) => response,
            }
        }
    }
}

// ---- one call ---------------------------------------------------------------------------------

struct QuestionRow {
    id: i64,
    question: String,
    answer: Option<String>,
}

struct DocumentRow {
    id: i64,
    name: String,
    kind: String,
    size_kib: i64,
}

#[derive(Template)]
#[template(path = "committee/call.html")]
struct CallPage {
    c: Chrome,
    view: CallView,
    id: i64,
    category: String,
    visibility: String,
    state_label: String,
    opens: String,
    closes: String,
    open: bool,
    closed: bool,
    draft: bool,
    published: bool,
    sizes: Vec<String>,
    regions: Vec<String>,
    questions: Vec<QuestionRow>,
    amendments: Vec<(String, String)>,
    documents: Vec<DocumentRow>,
    /// Draft, or published before its closing instant: the buyer side may still change it.
    changeable: bool,
    /// Signed-in and not on the buyer side: may ask and keep a dossier.
    candidate: bool,
    errors: Vec<FieldError>,
}

async fn call_page(
    state: &AppState,
    viewer: &Viewer,
    id: i64,
    errors: Vec<FieldError>,
    status: StatusCode,
) -> Response {
    let view = match state.app.call(&viewer.actor, id).await {
        Ok(view) => view,
        Err(error) => return fail(viewer, error),
    };
    let tr = viewer.tr;
    let now = store::now_ms();
    let fields = &view.call.fields;
    let published = view.call.state == CallState::Published.as_str();
    let draft = view.call.state == CallState::Draft.as_str();
    let past_closing = now >= fields.closes_at;
    let page = CallPage {
        c: Chrome::of(viewer, "calls"),
        id,
        category: tr.t(format!("committee.category.{}", fields.category)),
        visibility: tr.t(format!("committee.visibility.{}", fields.visibility)),
        state_label: tr.t(format!("committee.state.{}", view.call.state)),
        opens: paris_time(fields.opens_at),
        closes: paris_time(fields.closes_at),
        open: is_open(&view.call, now),
        // Closed by its instant, whether or not the closing task has run yet.
        closed: past_closing
            && [CallState::Published, CallState::Closed, CallState::Decided]
                .iter()
                .any(|s| s.as_str() == view.call.state),
        draft,
        published,
        changeable: view.changeable,
        sizes: fields
            .eligible_sizes
            .iter()
            .map(|code| match OrgSize::ALL.iter().find(|s| s.as_str() == code) {
                Some(s) if tr.locale == "fr" => s.label_fr().to_owned(),
                Some(s) => s.label_en().to_owned(),
                None => code.clone(),
            })
            .collect(),
        regions: fields
            .accepted_regions
            .iter()
            .map(|code| domain::geo::region(code).map_or_else(|| code.clone(), |r| r.name.to_owned()))
            .collect(),
        questions: view
            .questions
            .iter()
            .map(|q| QuestionRow {
                id: q.id,
                question: q.question.clone(),
                answer: q.answer.clone(),
            })
            .collect(),
        amendments: view
            .amendments
            .iter()
            .map(|a| (paris_time(a.at), a.text.clone()))
            .collect(),
        documents: view
            .documents
            .iter()
            .map(|d| DocumentRow {
                id: d.id,
                name: d.file.file_name.clone(),
                kind: d.file.content_type.clone(),
                size_kib: d.file.size_bytes.saturating_add(1023) / 1024,
            })
            .collect(),
        candidate: viewer.signed_in() && !view.can_manage,
        view,
        errors,
    };
    render_with(status, &page)
}

/// After a control: back to the call, or the call's page again with the refusal beside it.
pub(super) async fn after(
    state: &AppState,
    viewer: &Viewer,
    id: i64,
    result: Result<(), AppError>,
) -> Response {
    match result {
        Ok(()) => back_to(id, ""),
        Err(error) => {
            let status = status_of(&error);
            match form_errors(viewer, error) {
                Refusal::Fields(errors) => call_page(state, viewer, id, errors, status).await,
                Refusal::Page(response) => response,
            }
        }
    }
}

/// `GET /calls/{id}`.
pub async fn show(State(state): State<AppState>, viewer: Viewer, Path(id): Path<i64>) -> Response {
    call_page(&state, &viewer, id, Vec::new(), StatusCode::OK).await
}

/// `POST /calls/{id}/publish`.
pub async fn publish(State(state): State<AppState>, viewer: Viewer, Path(id): Path<i64>) -> Response {
    let result = state.app.publish_call(&viewer.actor, id).await.map(|_| ());
    after(&state, &viewer, id, result).await
}

#[derive(Deserialize)]
pub struct ReasonForm {
    #[serde(default)]
    reason: String,
}

/// `POST /calls/{id}/cancel`.
pub async fn cancel(
    State(state): State<AppState>,
    viewer: Viewer,
    Path(id): Path<i64>,
    Form(form): Form<ReasonForm>,
) -> Response {
    let result = state
        .app
        .cancel_call(&viewer.actor, id, &form.reason)
        .await
        .map(|_| ());
    after(&state, &viewer, id, result).await
}

#[derive(Deserialize)]
pub struct QuestionForm {
    #[serde(default)]
    question: String,
}

/// `POST /calls/{id}/questions`.
pub async fn ask(
    State(state): State<AppState>,
    viewer: Viewer,
    Path(id): Path<i64>,
    Form(form): Form<QuestionForm>,
) -> Response {
    let result = state
        .app
        .ask_question(&viewer.actor, id, &form.question)
        .await
        .map(|_| ());
    after(&state, &viewer, id, result).await
}

#[derive(Deserialize)]
pub struct AnswerForm {
    #[serde(default)]
    answer: String,
}

/// `POST /calls/{id}/questions/{qid}/answer`.
pub async fn answer(
    State(state): State<AppState>,
    viewer: Viewer,
    Path((id, qid)): Path<(i64, i64)>,
    Form(form): Form<AnswerForm>,
) -> Response {
    let result = state
        .app
        .answer_question(&viewer.actor, id, qid, &form.answer)
        .await
        .map(|_| ());
    after(&state, &viewer, id, result).await
}
