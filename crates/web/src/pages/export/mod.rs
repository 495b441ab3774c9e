//! Export support pages: premises abroad and stay requests, shared VIE posts and applications.
//! `/export` lists the viewer's cluster's offers; a premises page carries the request form and,
//! for the host, the requests with accept/decline; a VIE post page the shares, the split of the
//! cost, the application form and the host's decisions; two host forms publish.

use crate::i18n::Tr;
use crate::identity::Viewer;
use crate::pages::{Chrome, fail, go_with_notice as go, notice_text, refused, render_with};
use crate::state::AppState;
use app::export::{DecisionInput, PremisesInput, PremisesView, ShareInput, StayInput, VieInput, ViePostView};
use app::{Actor, AppError, FieldError};
use askama::Template;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::Response;
use axum::routing::{get, post};
use axum::{Form, Router};
use domain::country::CountryCode;
use serde::Deserialize;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/export", get(hub))
        .route("/export/premises", post(publish_premises))
        .route("/export/premises/new", get(new_premises))
        .route("/export/premises/{id}", get(premises).post(update_premises))
        .route("/export/premises/{id}/edit", get(edit_premises))
        .route("/export/premises/{id}/stays", post(request_stay))
        .route("/export/premises/{id}/withdraw", post(withdraw_premises))
        .route("/export/stays/{id}/decision", post(decide_stay))
        .route("/export/stays/{id}/withdraw", post(withdraw_stay))
        .route("/export/vie", post(publish_vie))
        .route("/export/vie/new", get(new_vie))
        .route("/export/vie/{id}", get(vie))
        .route("/export/vie/{id}/applications", post(apply_vie))
        .route("/export/vie/{id}/confirm", post(confirm_vie))
        .route("/export/vie/{id}/withdraw", post(withdraw_vie))
        .route("/export/vie-applications/{id}/decision", post(decide_application))
        .route(
            "/export/vie-applications/{id}/withdraw",
            post(withdraw_application),
        )
}

#[derive(Deserialize, Default)]
pub struct Notice {
    #[serde(default)]
    notice: String,
}

const NOTICES: [&str; 9] = [
    "published",
    "saved",
    "requested",
    "decided",
    "withdrawn",
    "applied",
    "confirmed",
    "request_withdrawn",
    "application_withdrawn",
];

fn notice(viewer: &Viewer, notice: &str) -> String {
    notice_text(viewer, "export", &NOTICES, notice)
}

/// How the export pages show values in the viewer's language: days, euros, percentages, country
/// names, and the errors beside their fields.
trait Shown {
    fn tr(&self) -> Tr;
    fn field_errors(&self) -> &[FieldError];

    /// The messages about one field, joined, for beside it.
    fn err(&self, field: &str) -> String {
        self.field_errors()
            .iter()
            .filter(|e| e.field == field)
            .map(|e| e.message.as_str())
            .collect::<Vec<_>>()
            .join(" ")
    }

    /// The attributes tying a field to its error: `aria-invalid` and `aria-describedby` (built
    /// from field names only, never from typed text: the template writes them unescaped).
    fn invalid(&self, field: &str) -> String {
        self.invalid_with(field, "")
    }

    /// As [`Shown::invalid`], for a field also described by the hint `hint` (an element id).
    fn invalid_with(&self, field: &str, hint: &str) -> String {
        let failed = self.field_errors().iter().any(|e| e.field == field);
        match (failed, hint.is_empty()) {
            (true, true) => format!(r#"aria-invalid="true" aria-describedby="{field}-error""#),
            (true, false) => format!(r#"aria-invalid="true" aria-describedby="{hint} {field}-error""#),
            (false, false) => format!(r#"aria-describedby="{hint}""#),
            (false, true) => String::new(),
        }
    }

    /// An ISO day (as stored) as the language writes it: 30/06/2027 or 2027-06-30.
    fn day(&self, iso: &str) -> String {
        iso.parse::<jiff::civil::Date>()
            .map_or_else(|_| iso.to_owned(), |d| self.tr().date(d))
    }

    /// A decimal string of euros: "2 520,00 €" or "€2,520.00".
    fn euros(&self, amount: &str) -> String {
        amount
            .parse::<rust_decimal::Decimal>()
            .map_or_else(|_| amount.to_owned(), |d| self.tr().euros(d))
    }

    /// A decimal string of percent, with the decimals it has: "33,33 %", "60 %".
    fn percent(&self, share: &str) -> String {
        share.parse::<rust_decimal::Decimal>().map_or_else(
            |_| format!("{share} %"),
            |d| {
                let d = d.normalize();
                format!("{}\u{a0}%", self.tr().decimal(d, d.scale()))
            },
        )
    }

    /// A country's name in the viewer's language.
    fn country(&self, code: &str) -> String {
        CountryCode::parse(code).map_or_else(|_| code.to_owned(), |c| c.name(self.tr().locale).to_owned())
    }
}

fn home_cluster(viewer: &Viewer) -> Result<i64, AppError> {
    match &viewer.actor {
        Actor::Person(p) => app::actor::home_cluster(p).ok_or(AppError::NotFound("cluster")),
        Actor::Visitor => Err(AppError::Unauthenticated),
    }
}

/// A form field holding a whole number ("1 000" too); a field error when it does not, and 0 —
/// a value the use-case refuses on that same field (desks and durations start at 1 and 6), so
/// that it still checks every other field and nothing is written: see [`with_number_errors`].
fn number(field: &str, text: &str, errors: &mut Vec<FieldError>) -> i64 {
    let digits: String = text.chars().filter(|c| !c.is_whitespace()).collect();
    match digits.parse::<i64>() {
        Ok(n) => n,
        Err(_) => {
            errors.push(FieldError::new(
                field,
                if digits.is_empty() {
                    format!("{field} is required")
                } else {
                    format!(
                        "'{}' is not a whole number",
                        text.trim().chars().take(20).collect::<String>()
                    )
                },
            ));
            0
        }
    }
}

/// The use-case's answer with the page's own number errors in front: all the errors of the form
/// at once, the page's message (not the use-case's about the 0 put in its place) for a number.
fn with_number_errors<T>(result: Result<T, AppError>, ours: Vec<FieldError>) -> Result<T, AppError> {
    if ours.is_empty() {
        return result;
    }
    match result {
        Err(AppError::Invalid(theirs)) => {
            let mut all = ours;
            let taken: Vec<String> = all.iter().map(|e| e.field.clone()).collect();
            all.extend(theirs.into_iter().filter(|e| !taken.contains(&e.field)));
            Err(AppError::Invalid(all))
        }
        Err(other) => Err(other),
        // Unreachable: the 0 standing for a bad number is refused before anything is written.
        Ok(_) => Err(AppError::Invalid(ours)),
    }
}

struct Country {
    code: &'static str,
    name: &'static str,
}

macro_rules! shown {
    ($($page:ty),*) => {$(
        impl Shown for $page {
            fn tr(&self) -> Tr {
                self.c.tr
            }
            fn field_errors(&self) -> &[FieldError] {
                &self.errors
            }
        }
    )*};
}

shown!(HubPage, PremisesFormPage, PremisesPage, VieFormPage, ViePage);

fn countries(viewer: &Viewer) -> Vec<Country> {
    CountryCode::all()
        .map(|c| Country {
            code: c.as_str(),
            name: c.name(viewer.tr.locale),
        })
        .collect()
}

fn state_label(viewer: &Viewer, state: &str) -> String {
    viewer.tr.t(format!("export.state.{state}"))
}

// ---- hub ----------------------------------------------------------------------------------------

#[derive(Template)]
#[template(path = "export/hub.html")]
struct HubPage {
    c: Chrome,
    premises: Vec<PremisesView>,
    posts: Vec<ViePostView>,
    may_host: bool,
    notice: String,
    errors: Vec<FieldError>,
}

/// `GET /export`: the viewer's cluster's premises abroad and VIE posts.
async fn hub(State(state): State<AppState>, viewer: Viewer, Query(notice): Query<Notice>) -> Response {
    let cluster_id = match home_cluster(&viewer) {
        Ok(id) => id,
        Err(error) => return fail(&viewer, error),
    };
    match state.app.export_hub(&viewer.actor, cluster_id).await {
        Ok(hub) => render_with(
            StatusCode::OK,
            &HubPage {
                c: Chrome::of(&viewer, "export"),
                premises: hub.premises,
                posts: hub.posts,
                may_host: hub.may_host,
                notice: self::notice(&viewer, &notice.notice),
                errors: Vec::new(),
            },
        ),
        Err(error) => fail(&viewer, error),
    }
}

// ---- premises -----------------------------------------------------------------------------------

#[derive(Deserialize, Default)]
struct PremisesForm {
    #[serde(default)]
    host_id: String,
    #[serde(default)]
    city: String,
    #[serde(default)]
    country: String,
    #[serde(default)]
    desks: String,
    #[serde(default)]
    available_from: String,
    #[serde(default)]
    available_to: String,
    #[serde(default)]
    conditions: String,
    #[serde(default)]
    contact_person_id: String,
    #[serde(default)]
    contact_email: String,
}

struct Host {
    id: i64,
    name: String,
}

#[derive(Template)]
#[template(path = "export/premises_form.html")]
struct PremisesFormPage {
    c: Chrome,
    hosts: Vec<Host>,
    /// People of the hosts, any of whom may be the contact.
    contacts: Vec<Host>,
    /// The premises being edited; none for new ones.
    editing: Option<i64>,
    countries: Vec<Country>,
    form: PremisesForm,
    errors: Vec<FieldError>,
}

async fn hosts(state: &AppState, viewer: &Viewer) -> Result<Vec<Host>, AppError> {
    let cluster_id = home_cluster(viewer)?;
    let hosts: Vec<Host> = state
        .app
        .export_hosts(&viewer.actor, cluster_id)
        .await?
        .into_iter()
        .map(|(id, name)| Host { id, name })
        .collect();
    Ok(hosts)
}

async fn premises_form_page(
    state: &AppState,
    viewer: &Viewer,
    editing: Option<i64>,
    form: PremisesForm,
    errors: Vec<FieldError>,
    status: StatusCode,
) -> Response {
    let contacts = match home_cluster(viewer) {
        Ok(cluster_id) => state.app.export_contacts(&viewer.actor, cluster_id).await,
        Err(error) => Err(error),
    };
    let contacts = match contacts {
        Ok(found) => found.into_iter().map(|(id, name)| Host { id, name }).collect(),
        Err(error) => return fail(viewer, error),
    };
    match hosts(state, viewer).await {
        // Nobody the viewer speaks for may host: the blank form is not theirs (a refused one is
        // shown with its reasons).
        Ok(hosts) if hosts.is_empty() && errors.is_empty() && editing.is_none() => {
            fail(viewer, AppError::Forbidden)
        }
        Ok(hosts) => render_with(
            status,
            &PremisesFormPage {
                c: Chrome::of(viewer, "export"),
                hosts,
                contacts,
                editing,
                countries: countries(viewer),
                form,
                errors,
            },
        ),
        Err(error) => fail(viewer, error),
    }
}

fn premises_input(form: &PremisesForm, errors: &mut Vec<FieldError>) -> PremisesInput {
    let id = |text: &str| text.trim().parse::<i64>().ok();
    PremisesInput {
        host_id: id(&form.host_id),
        city: form.city.clone(),
        country: form.country.clone(),
        desks: number("desks", &form.desks, errors),
        available_from: form.available_from.clone(),
        available_to: form.available_to.clone(),
        conditions: form.conditions.clone(),
        contact_person_id: id(&form.contact_person_id),
        contact_email: form.contact_email.clone(),
    }
}

/// A refused host form: its errors beside the form, the typed values kept.
async fn premises_form_refused(
    state: &AppState,
    viewer: &Viewer,
    editing: Option<i64>,
    form: PremisesForm,
    error: AppError,
) -> Response {
    refused(viewer, error, |errors, status| {
        premises_form_page(state, viewer, editing, form, errors, status)
    })
    .await
}

/// `GET /export/premises/new`.
async fn new_premises(State(state): State<AppState>, viewer: Viewer) -> Response {
    premises_form_page(
        &state,
        &viewer,
        None,
        PremisesForm::default(),
        Vec::new(),
        StatusCode::OK,
    )
    .await
}

/// `POST /export/premises`.
async fn publish_premises(
    State(state): State<AppState>,
    viewer: Viewer,
    Form(form): Form<PremisesForm>,
) -> Response {
    let cluster_id = match home_cluster(&viewer) {
        Ok(id) => id,
        Err(error) => return fail(&viewer, error),
    };
    let mut errors = Vec::new();
    let input = premises_input(&form, &mut errors);
    let result = state
        .app
        .publish_premises(&viewer.actor, cluster_id, &input)
        .await;
    let result = with_number_errors(result, errors);
    match result {
        Ok(view) => go(&format!("/export/premises/{}", view.id), "published"),
        Err(error) => premises_form_refused(&state, &viewer, None, form, error).await,
    }
}

/// `GET /export/premises/{id}/edit`: the host side's form, filled in.
async fn edit_premises(State(state): State<AppState>, viewer: Viewer, Path(id): Path<i64>) -> Response {
    let p = match state.app.export_premises(&viewer.actor, id).await {
        Ok(p) if p.is_host => p,
        Ok(_) => return fail(&viewer, AppError::Forbidden),
        Err(error) => return fail(&viewer, error),
    };
    let form = PremisesForm {
        host_id: p.host_id.to_string(),
        city: p.city,
        country: p.country,
        desks: p.desks.to_string(),
        available_from: p.available_from,
        available_to: p.available_to,
        conditions: p.conditions,
        contact_person_id: p.contact_person_id.map(|id| id.to_string()).unwrap_or_default(),
        // Both as stored: the address given, never the contact person's shown in its place.
        contact_email: p.given_contact_email.unwrap_or_default(),
    };
    premises_form_page(&state, &viewer, Some(id), form, Vec::new(), StatusCode::OK).await
}

/// `POST /export/premises/{id}`: the host side's changes.
async fn update_premises(
    State(state): State<AppState>,
    viewer: Viewer,
    Path(id): Path<i64>,
    Form(form): Form<PremisesForm>,
) -> Response {
    let mut errors = Vec::new();
    let input = premises_input(&form, &mut errors);
    let result = state.app.update_premises(&viewer.actor, id, &input).await;
    let result = with_number_errors(result, errors);
    match result {
        Ok(_) => go(&format!("/export/premises/{id}"), "saved"),
        Err(error) => premises_form_refused(&state, &viewer, Some(id), form, error).await,
    }
}

#[derive(Deserialize, Default)]
struct StayForm {
    #[serde(default)]
    starts_on: String,
    #[serde(default)]
    ends_on: String,
    #[serde(default)]
    desks: String,
    #[serde(default)]
    purpose: String,
}

struct RequestLine {
    id: i64,
    organisation: String,
    starts_on: String,
    ends_on: String,
    desks: i64,
    purpose: String,
    state: String,
    state_label: String,
    answer: String,
}

#[derive(Template)]
#[template(path = "export/premises.html")]
struct PremisesPage {
    c: Chrome,
    p: PremisesView,
    requests: Vec<RequestLine>,
    form: StayForm,
    /// A refused decision: the request it was about and the message typed, shown again.
    kept: Kept,
    notice: String,
    errors: Vec<FieldError>,
}

/// The host's typed message of a refused decision, kept for the request it was about.
#[derive(Default)]
struct Kept {
    id: i64,
    message: String,
}

impl Kept {
    fn message_for(&self, id: &i64) -> &str {
        if self.id == *id { &self.message } else { "" }
    }
}

/// What a page shows again after a refusal: the typed request or application, or the decision.
#[derive(Default)]
struct Typed<F> {
    form: F,
    kept: Kept,
}

/// A refused decision's errors about its message belong beside that request's textarea.
fn decision_errors(id: i64, errors: Vec<FieldError>) -> Vec<FieldError> {
    errors
        .into_iter()
        .map(|e| {
            if e.field == "message" || e.field == "outcome" {
                FieldError::new(&format!("{}-{id}", e.field), e.message)
            } else {
                e
            }
        })
        .collect()
}

async fn premises_page(
    state: &AppState,
    viewer: &Viewer,
    id: i64,
    notice: &str,
    typed: Typed<StayForm>,
    errors: Vec<FieldError>,
    status: StatusCode,
) -> Response {
    let p = match state.app.export_premises(&viewer.actor, id).await {
        Ok(p) => p,
        Err(error) => return fail(viewer, error),
    };
    let requests = p
        .requests
        .iter()
        .map(|s| RequestLine {
            id: s.id,
            organisation: s.organisation_name.clone(),
            starts_on: s.starts_on.clone(),
            ends_on: s.ends_on.clone(),
            desks: s.desks,
            purpose: s.purpose.clone(),
            state_label: state_label(viewer, &s.state),
            state: s.state.clone(),
            answer: s.answer.clone(),
        })
        .collect();
    render_with(
        status,
        &PremisesPage {
            c: Chrome::of(viewer, "export"),
            p,
            requests,
            form: typed.form,
            kept: typed.kept,
            notice: self::notice(viewer, notice),
            errors,
        },
    )
}

/// `GET /export/premises/{id}`.
async fn premises(
    State(state): State<AppState>,
    viewer: Viewer,
    Path(id): Path<i64>,
    Query(notice): Query<Notice>,
) -> Response {
    premises_page(
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

/// A refused action on a premises page: its errors shown there (with what was typed kept).
async fn premises_refused(
    state: &AppState,
    viewer: &Viewer,
    id: i64,
    typed: Typed<StayForm>,
    error: AppError,
) -> Response {
    let kept_id = typed.kept.id;
    refused(viewer, error, |errors, status| {
        let errors = if kept_id > 0 {
            decision_errors(kept_id, errors)
        } else {
            errors
        };
        premises_page(state, viewer, id, "", typed, errors, status)
    })
    .await
}

/// `POST /export/premises/{id}/stays`.
async fn request_stay(
    State(state): State<AppState>,
    viewer: Viewer,
    Path(id): Path<i64>,
    Form(form): Form<StayForm>,
) -> Response {
    let mut errors = Vec::new();
    let desks = number("desks", &form.desks, &mut errors);
    let input = StayInput {
        starts_on: form.starts_on.clone(),
        ends_on: form.ends_on.clone(),
        desks,
        purpose: form.purpose.clone(),
    };
    let result = state.app.request_stay(&viewer.actor, id, &input).await;
    match with_number_errors(result, errors) {
        Ok(_) => go(&format!("/export/premises/{id}"), "requested"),
        Err(error) => {
            let typed = Typed {
                form,
                kept: Kept::default(),
            };
            premises_refused(&state, &viewer, id, typed, error).await
        }
    }
}

/// `POST /export/premises/{id}/withdraw`.
async fn withdraw_premises(State(state): State<AppState>, viewer: Viewer, Path(id): Path<i64>) -> Response {
    match state.app.withdraw_premises(&viewer.actor, id).await {
        Ok(_) => go(&format!("/export/premises/{id}"), "withdrawn"),
        Err(error) => premises_refused(&state, &viewer, id, Typed::default(), error).await,
    }
}

#[derive(Deserialize, Default)]
struct DecisionForm {
    #[serde(default)]
    outcome: String,
    #[serde(default)]
    message: String,
}

impl DecisionForm {
    fn input(&self) -> DecisionInput {
        DecisionInput {
            outcome: self.outcome.clone(),
            message: self.message.clone(),
        }
    }

    /// What a refused decision shows again: the message typed, beside request `id`.
    fn kept<F: Default>(self, id: i64) -> Typed<F> {
        Typed {
            form: F::default(),
            kept: Kept {
                id,
                message: self.message,
            },
        }
    }
}

/// `POST /export/stays/{id}/decision`.
async fn decide_stay(
    State(state): State<AppState>,
    viewer: Viewer,
    Path(id): Path<i64>,
    Form(form): Form<DecisionForm>,
) -> Response {
    let premises_id = match state.app.stay_request(&viewer.actor, id).await {
        Ok(stay) => stay.premises_id,
        Err(error) => return fail(&viewer, error),
    };
    match state.app.decide_stay(&viewer.actor, id, &form.input()).await {
        Ok(_) => go(&format!("/export/premises/{premises_id}"), "decided"),
        Err(error) => premises_refused(&state, &viewer, premises_id, form.kept(id), error).await,
    }
}

/// `POST /export/stays/{id}/withdraw`.
async fn withdraw_stay(State(state): State<AppState>, viewer: Viewer, Path(id): Path<i64>) -> Response {
    let premises_id = match state.app.stay_request(&viewer.actor, id).await {
        Ok(stay) => stay.premises_id,
        Err(error) => return fail(&viewer, error),
    };
    match state.app.withdraw_stay(&viewer.actor, id).await {
        Ok(_) => go(&format!("/export/premises/{premises_id}"), "request_withdrawn"),
        Err(error) => premises_refused(&state, &viewer, premises_id, Typed::default(), error).await,
    }
}

// ---- VIE posts ----------------------------------------------------------------------------------

#[derive(Deserialize, Default)]
struct VieForm {
    #[serde(default)]
    host_id: String,
    #[serde(default)]
    title: String,
    #[serde(default)]
    country: String,
    #[serde(default)]
    city: String,
    #[serde(default)]
    mission: String,
    #[serde(default)]
    starts_on: String,
    #[serde(default)]
    duration_months: String,
    #[serde(default)]
    monthly_cost: String,
}

#[derive(Template)]
#[template(path = "export/vie_form.html")]
struct VieFormPage {
    c: Chrome,
    hosts: Vec<Host>,
    countries: Vec<Country>,
    form: VieForm,
    errors: Vec<FieldError>,
}

async fn vie_form_page(
    state: &AppState,
    viewer: &Viewer,
    form: VieForm,
    errors: Vec<FieldError>,
    status: StatusCode,
) -> Response {
    match hosts(state, viewer).await {
        Ok(hosts) if hosts.is_empty() && errors.is_empty() => fail(viewer, AppError::Forbidden),
        Ok(hosts) => render_with(
            status,
            &VieFormPage {
                c: Chrome::of(viewer, "export"),
                hosts,
                countries: countries(viewer),
                form,
                errors,
            },
        ),
        Err(error) => fail(viewer, error),
    }
}

/// `GET /export/vie/new`.
async fn new_vie(State(state): State<AppState>, viewer: Viewer) -> Response {
    vie_form_page(&state, &viewer, VieForm::default(), Vec::new(), StatusCode::OK).await
}

/// `POST /export/vie`.
async fn publish_vie(State(state): State<AppState>, viewer: Viewer, Form(form): Form<VieForm>) -> Response {
    let cluster_id = match home_cluster(&viewer) {
        Ok(id) => id,
        Err(error) => return fail(&viewer, error),
    };
    let mut errors = Vec::new();
    let duration_months = number("duration_months", &form.duration_months, &mut errors);
    let input = VieInput {
        host_id: form.host_id.trim().parse::<i64>().ok(),
        title: form.title.clone(),
        country: form.country.clone(),
        city: form.city.clone(),
        mission: form.mission.clone(),
        starts_on: form.starts_on.clone(),
        duration_months,
        monthly_cost: domain::export::typed_number(&form.monthly_cost),
    };
    let result = state
        .app
        .publish_vie_post(&viewer.actor, cluster_id, &input)
        .await;
    match with_number_errors(result, errors) {
        Ok(view) => go(&format!("/export/vie/{}", view.id), "published"),
        Err(error) => {
            refused(&viewer, error, |errors, status| {
                vie_form_page(&state, &viewer, form, errors, status)
            })
            .await
        }
    }
}

#[derive(Deserialize, Default)]
struct ShareForm {
    #[serde(default)]
    share: String,
    #[serde(default)]
    tasks: String,
}

struct ApplicationLine {
    id: i64,
    organisation: String,
    share: String,
    tasks: String,
    state: String,
    state_label: String,
    answer: String,
}

#[derive(Template)]
#[template(path = "export/vie.html")]
struct ViePage {
    c: Chrome,
    p: ViePostView,
    applications: Vec<ApplicationLine>,
    form: ShareForm,
    kept: Kept,
    notice: String,
    errors: Vec<FieldError>,
}

async fn vie_page(
    state: &AppState,
    viewer: &Viewer,
    id: i64,
    notice: &str,
    typed: Typed<ShareForm>,
    errors: Vec<FieldError>,
    status: StatusCode,
) -> Response {
    let p = match state.app.vie_post(&viewer.actor, id).await {
        Ok(p) => p,
        Err(error) => return fail(viewer, error),
    };
    let applications = p
        .applications
        .iter()
        .map(|a| ApplicationLine {
            id: a.id,
            organisation: a.organisation_name.clone(),
            share: a.share.clone(),
            tasks: a.tasks.clone(),
            state_label: state_label(viewer, &a.state),
            state: a.state.clone(),
            answer: a.answer.clone(),
        })
        .collect();
    render_with(
        status,
        &ViePage {
            c: Chrome::of(viewer, "export"),
            p,
            applications,
            form: typed.form,
            kept: typed.kept,
            notice: self::notice(viewer, notice),
            errors,
        },
    )
}

async fn vie_refused(
    state: &AppState,
    viewer: &Viewer,
    id: i64,
    typed: Typed<ShareForm>,
    error: AppError,
) -> Response {
    let kept_id = typed.kept.id;
    refused(viewer, error, |errors, status| {
        let errors = if kept_id > 0 {
            decision_errors(kept_id, errors)
        } else {
            errors
        };
        vie_page(state, viewer, id, "", typed, errors, status)
    })
    .await
}

/// `GET /export/vie/{id}`.
async fn vie(
    State(state): State<AppState>,
    viewer: Viewer,
    Path(id): Path<i64>,
    Query(notice): Query<Notice>,
) -> Response {
    vie_page(
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

/// `POST /export/vie/{id}/applications`.
async fn apply_vie(
    State(state): State<AppState>,
    viewer: Viewer,
    Path(id): Path<i64>,
    Form(form): Form<ShareForm>,
) -> Response {
    let input = ShareInput {
        share: domain::export::typed_number(&form.share),
        tasks: form.tasks.clone(),
    };
    match state.app.apply_for_vie_share(&viewer.actor, id, &input).await {
        Ok(_) => go(&format!("/export/vie/{id}"), "applied"),
        Err(error) => {
            let typed = Typed {
                form,
                kept: Kept::default(),
            };
            vie_refused(&state, &viewer, id, typed, error).await
        }
    }
}

/// `POST /export/vie/{id}/confirm`.
async fn confirm_vie(State(state): State<AppState>, viewer: Viewer, Path(id): Path<i64>) -> Response {
    match state.app.confirm_vie_sharing(&viewer.actor, id).await {
        Ok(_) => go(&format!("/export/vie/{id}"), "confirmed"),
        Err(error) => vie_refused(&state, &viewer, id, Typed::default(), error).await,
    }
}

/// `POST /export/vie/{id}/withdraw`.
async fn withdraw_vie(State(state): State<AppState>, viewer: Viewer, Path(id): Path<i64>) -> Response {
    match state.app.withdraw_vie_post(&viewer.actor, id).await {
        Ok(_) => go(&format!("/export/vie/{id}"), "withdrawn"),
        Err(error) => vie_refused(&state, &viewer, id, Typed::default(), error).await,
    }
}

/// `POST /export/vie-applications/{id}/decision`.
async fn decide_application(
    State(state): State<AppState>,
    viewer: Viewer,
    Path(id): Path<i64>,
    Form(form): Form<DecisionForm>,
) -> Response {
    let post_id = match state.app.vie_application(&viewer.actor, id).await {
        Ok(a) => a.post_id,
        Err(error) => return fail(&viewer, error),
    };
    match state
        .app
        .decide_vie_application(&viewer.actor, id, &form.input())
        .await
    {
        Ok(_) => go(&format!("/export/vie/{post_id}"), "decided"),
        Err(error) => vie_refused(&state, &viewer, post_id, form.kept(id), error).await,
    }
}

/// `POST /export/vie-applications/{id}/withdraw`.
async fn withdraw_application(
    State(state): State<AppState>,
    viewer: Viewer,
    Path(id): Path<i64>,
) -> Response {
    let post_id = match state.app.vie_application(&viewer.actor, id).await {
        Ok(a) => a.post_id,
        Err(error) => return fail(&viewer, error),
    };
    match state.app.withdraw_vie_application(&viewer.actor, id).await {
        Ok(_) => go(&format!("/export/vie/{post_id}"), "application_withdrawn"),
        Err(error) => vie_refused(&state, &viewer, post_id, Typed::default(), error).await,
    }
}
