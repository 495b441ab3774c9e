//! Organisation pages: the profile with its people, the create and edit forms, and inviting people.

use super::members::{place_of, size_label};
use super::{Chrome, Refusal, form_errors, render, render_with};
use crate::identity::Viewer;
use crate::state::AppState;
use app::organisations::OrganisationInput;
use app::{Actor, AppError, FieldError};
use askama::Template;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use axum::{Form, Router};
use domain::org::OrgKind;
use domain::person::Role;
use domain::policy::{Action, OrgFacts, authorize};
use serde::Deserialize;
use store::records::{Organisation, Person};

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/organisations/new", get(new_form))
        .route("/organisations", post(create))
        .route("/organisations/{id}", get(show).post(update))
        .route("/organisations/{id}/edit", get(edit_form))
        .route("/organisations/{id}/invitations", post(invite))
}

/// The form exactly as typed, so that a refused form comes back with what the person wrote.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default)]
pub struct OrganisationForm {
    pub legal_name: String,
    pub kind: String,
    pub siret: String,
    pub naf_code: String,
    pub address_line: String,
    pub postcode: String,
    pub commune_code: String,
    pub headcount: String,
    pub turnover_eur: String,
    pub balance_sheet_eur: String,
    pub website: String,
}

/// Reads a whole number typed with optional spaces ("1 500 000").
fn number(field: &str, text: &str, errors: &mut Vec<FieldError>) -> Option<i64> {
    let digits: String = text.chars().filter(|c| !c.is_whitespace()).collect();
    if digits.is_empty() {
        return None;
    }
    digits
        .parse()
        .map_err(|_| errors.push(FieldError::new(field, format!("'{text}' is not a whole number"))))
        .ok()
}

impl OrganisationForm {
    fn to_input(&self) -> Result<OrganisationInput, Vec<FieldError>> {
        let mut errors = Vec::new();
        let headcount = number("headcount", &self.headcount, &mut errors);
        if headcount.is_none() && self.headcount.trim().is_empty() {
            errors.push(FieldError::new("headcount", "is required"));
        }
        let turnover = number("turnover_eur", &self.turnover_eur, &mut errors);
        let balance = number("balance_sheet_eur", &self.balance_sheet_eur, &mut errors);
        if !errors.is_empty() {
            return Err(errors);
        }
        Ok(OrganisationInput {
            legal_name: self.legal_name.clone(),
            kind: self.kind.clone(),
            siret: self.siret.clone(),
            naf_code: self.naf_code.clone(),
            address_line: self.address_line.clone(),
            postcode: self.postcode.clone(),
            commune_code: self.commune_code.clone(),
            headcount: headcount.unwrap_or_default(),
            turnover_eur: turnover,
            balance_sheet_eur: balance,
            website: Some(self.website.clone()).filter(|w| !w.trim().is_empty()),
        })
    }

    fn of(org: &Organisation) -> OrganisationForm {
        OrganisationForm {
            legal_name: org.legal_name.clone(),
            kind: org.kind.clone(),
            siret: org.siret.clone(),
            naf_code: org.naf_code.clone(),
            address_line: org.address_line.clone(),
            postcode: org.postcode.clone(),
            commune_code: org.commune_code.clone(),
            headcount: org.headcount.to_string(),
            turnover_eur: org.turnover_eur.map(|v| v.to_string()).unwrap_or_default(),
            balance_sheet_eur: org.balance_sheet_eur.map(|v| v.to_string()).unwrap_or_default(),
            website: org.website.clone().unwrap_or_default(),
        }
    }
}

#[derive(Template)]
#[template(path = "organisation_form.html")]
struct OrganisationFormPage {
    c: Chrome,
    title_key: &'static str,
    action: String,
    form: OrganisationForm,
    kinds: Vec<&'static str>,
    errors: Vec<FieldError>,
}

fn form_page(
    viewer: &Viewer,
    title_key: &'static str,
    action: String,
    form: OrganisationForm,
    errors: Vec<FieldError>,
) -> OrganisationFormPage {
    OrganisationFormPage {
        c: Chrome::of(viewer, "members"),
        title_key,
        action,
        form,
        kinds: OrgKind::ALL.iter().map(|k| k.as_str()).collect(),
        errors,
    }
}

fn home_cluster(viewer: &Viewer) -> Result<i64, AppError> {
    match &viewer.actor {
        Actor::Person(p) => app::actor::home_cluster(p).ok_or(AppError::Forbidden),
        Actor::Visitor => Err(AppError::Unauthenticated),
    }
}

async fn new_form(viewer: Viewer) -> Response {
    let allowed = home_cluster(&viewer).and_then(|cluster_id| {
        authorize(&viewer.actor, &Action::CreateOrganisation { cluster_id }).map_err(Into::into)
    });
    if let Err(error) = allowed {
        return viewer.fail(error).into_response();
    }
    let form = OrganisationForm {
        kind: "company".into(),
        ..Default::default()
    };
    render(&form_page(
        &viewer,
        "org.new_title",
        "/organisations".into(),
        form,
        Vec::new(),
    ))
}

async fn create(
    State(state): State<AppState>,
    viewer: Viewer,
    Form(form): Form<OrganisationForm>,
) -> Response {
    let cluster_id = match home_cluster(&viewer) {
        Ok(id) => id,
        Err(error) => return viewer.fail(error).into_response(),
    };
    let result = match form.to_input() {
        Ok(input) => {
            state
                .app
                .create_organisation(&viewer.actor, cluster_id, &input)
                .await
        }
        Err(errors) => Err(AppError::Invalid(errors)),
    };
    match result {
        Ok(created) => Redirect::to(&format!("/organisations/{}", created.id)).into_response(),
        Err(error) => refused_form(&viewer, "org.new_title", "/organisations".into(), form, error),
    }
}

fn refused_form(
    viewer: &Viewer,
    title_key: &'static str,
    action: String,
    form: OrganisationForm,
    error: AppError,
) -> Response {
    let status = crate::error::status_of(&error);
    match form_errors(viewer, error) {
        Refusal::Fields(errors) => render_with(status, &form_page(viewer, title_key, action, form, errors)),
        Refusal::Page(response) => response,
    }
}

#[derive(Template)]
#[template(path = "organisation.html")]
struct OrganisationPage {
    c: Chrome,
    org: Organisation,
    kind_key: String,
    size: String,
    naf_label: String,
    place: String,
    people: Option<Vec<Person>>,
    can_edit: bool,
    /// Links to the committee's supplier pages, shown to those who may open them.
    can_view_suppliers: bool,
    can_view_listings: bool,
    can_invite: bool,
    invitable_roles: Vec<&'static str>,
    notice: Option<String>,
    errors: Vec<FieldError>,
}

async fn profile(
    state: &AppState,
    viewer: &Viewer,
    id: i64,
    notice: Option<String>,
    errors: Vec<FieldError>,
) -> Result<OrganisationPage, AppError> {
    let view = state.app.organisation(&viewer.actor, id).await?;
    let facts = OrgFacts {
        id,
        clusters: &view.clusters,
    };
    let people = match state.app.people_of(&viewer.actor, id).await {
        Ok(people) => Some(people),
        Err(AppError::Forbidden) => None,
        Err(other) => return Err(other),
    };
    let invitable_roles: Vec<&'static str> = Role::ALL
        .into_iter()
        .filter(|role| {
            authorize(
                &viewer.actor,
                &Action::InvitePerson {
                    org: facts,
                    role: *role,
                },
            )
            .is_ok()
        })
        .map(Role::as_str)
        .collect();
    let org = view.organisation;
    Ok(OrganisationPage {
        c: Chrome::of(viewer, "members"),
        kind_key: format!("kind.{}", org.kind),
        size: size_label(org.size.as_deref(), viewer.tr.locale),
        naf_label: domain::naf::NafCode::parse(&org.naf_code)
            .map(|c| c.label_fr().to_owned())
            .unwrap_or_default(),
        place: place_of(&org),
        can_edit: authorize(&viewer.actor, &Action::UpdateOrganisation(facts)).is_ok(),
        can_view_suppliers: authorize(&viewer.actor, &Action::ViewSupplierList(facts)).is_ok(),
        can_view_listings: authorize(&viewer.actor, &Action::ViewOwnListings(facts)).is_ok(),
        can_invite: !invitable_roles.is_empty(),
        invitable_roles,
        people,
        org,
        notice,
        errors,
    })
}

async fn show(State(state): State<AppState>, viewer: Viewer, Path(id): Path<i64>) -> Response {
    match profile(&state, &viewer, id, None, Vec::new()).await {
        Ok(page) => render(&page),
        Err(error) => viewer.fail(error).into_response(),
    }
}

async fn edit_form(State(state): State<AppState>, viewer: Viewer, Path(id): Path<i64>) -> Response {
    let view = match state.app.organisation(&viewer.actor, id).await {
        Ok(view) => view,
        Err(error) => return viewer.fail(error).into_response(),
    };
    let facts = OrgFacts {
        id,
        clusters: &view.clusters,
    };
    if let Err(denial) = authorize(&viewer.actor, &Action::UpdateOrganisation(facts)) {
        return viewer.fail(denial.into()).into_response();
    }
    let form = OrganisationForm::of(&view.organisation);
    render(&form_page(
        &viewer,
        "org.edit_title",
        format!("/organisations/{id}"),
        form,
        Vec::new(),
    ))
}

async fn update(
    State(state): State<AppState>,
    viewer: Viewer,
    Path(id): Path<i64>,
    Form(form): Form<OrganisationForm>,
) -> Response {
    let result = match form.to_input() {
        Ok(input) => state.app.update_organisation(&viewer.actor, id, &input).await,
        Err(errors) => Err(AppError::Invalid(errors)),
    };
    match result {
        Ok(_) => Redirect::to(&format!("/organisations/{id}")).into_response(),
        Err(error) => refused_form(
            &viewer,
            "org.edit_title",
            format!("/organisations/{id}"),
            form,
            error,
        ),
    }
}

#[derive(Deserialize)]
struct InviteForm {
    #[serde(default)]
    email: String,
    #[serde(default)]
    role: String,
}

async fn invite(
    State(state): State<AppState>,
    viewer: Viewer,
    Path(id): Path<i64>,
    Form(form): Form<InviteForm>,
) -> Response {
    let (notice, errors, status) = match state.app.invite(&viewer.actor, id, &form.email, &form.role).await {
        Ok(_) => (
            Some(format!("{} {}", viewer.tr.t("invite.sent"), form.email.trim())),
            Vec::new(),
            StatusCode::OK,
        ),
        Err(error) => {
            let status = crate::error::status_of(&error);
            match form_errors(&viewer, error) {
                Refusal::Fields(errors) => (None, errors, status),
                Refusal::Page(response) => return response,
            }
        }
    };
    match profile(&state, &viewer, id, notice, errors).await {
        Ok(page) => render_with(status, &page),
        Err(error) => viewer.fail(error).into_response(),
    }
}
