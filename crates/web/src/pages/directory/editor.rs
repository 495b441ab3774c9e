//! The profile editor: every field of the capability profile with the visibility its owner
//! chooses, the brochures, and two reports that say what to improve — completeness, and how
//! generic the text reads next to the sector's other profiles (differentiation).
//!
//! The form is flat (repeated keys for rows and checkboxes); rows are zipped back into the
//! profile's shape here, blank rows dropped, so that error paths such as `offers[2].title` point
//! at the row shown third when the form comes back.

use super::profile::BrochureRow;
use super::{headcount_bands, percent, tr_with, turnover_bands};
use crate::error::status_of;
use crate::i18n::Tr;
use crate::identity::Viewer;
use crate::pages::{Chrome, Refusal, form_errors, render, render_with};
use crate::state::AppState;
use ::search::differentiation::{Differentiation, GENERIC_BELOW, Suggestion};
use app::{AppError, FieldError};
use askama::Template;
use axum::extract::{Path, Query, State};
use axum::response::{IntoResponse, Redirect, Response};
use axum_extra::extract::Form;
use domain::capability::CapabilityCode;
use domain::country::CountryCode;
use domain::language::LanguageCode;
use domain::policy::{Action, OrgFacts, authorize};
use domain::profile::{Credential, Hint, Offer, ProfileInput, Reference, Visibility, Visible, limits};
use serde::Deserialize;

/// Blank rows offered below the filled ones, to add entries without JavaScript.
const BLANK_OFFERS: usize = 3;
const BLANK_CREDENTIALS: usize = 2;
const BLANK_REFERENCES: usize = 2;

/// The form as the browser sends it: one key per input, repeated for rows and checkboxes.
#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct RawForm {
    presentation: String,
    presentation_visibility: String,
    offer_title: Vec<String>,
    offer_description: Vec<String>,
    offer_visibility: Vec<String>,
    capability_terms: Vec<String>,
    capability_terms_visibility: String,
    capabilities_text: String,
    capabilities_text_visibility: String,
    certification_name: Vec<String>,
    certification_expires_on: Vec<String>,
    certifications_visibility: String,
    label_name: Vec<String>,
    label_expires_on: Vec<String>,
    labels_visibility: String,
    reference_client: Vec<String>,
    reference_project: Vec<String>,
    reference_year: Vec<String>,
    reference_visibility: Vec<String>,
    regions_served: Vec<String>,
    regions_served_visibility: String,
    export_markets: Vec<String>,
    export_markets_visibility: String,
    languages: Vec<String>,
    languages_visibility: String,
    headcount_band: String,
    headcount_band_visibility: String,
    turnover_band: String,
    turnover_band_visibility: String,
}

#[derive(Debug, Clone, Default)]
pub struct OfferRow {
    pub title: String,
    pub description: String,
    pub visibility: String,
}

#[derive(Debug, Clone, Default)]
pub struct CredentialRow {
    pub name: String,
    pub expires_on: String,
}

#[derive(Debug, Clone, Default)]
pub struct ReferenceRow {
    pub client: String,
    pub project: String,
    pub year: String,
    pub visibility: String,
}

/// The editor's fields as typed — codes, dates and years as text — so that a refused form
/// comes back exactly as it was sent.
#[derive(Debug, Clone, Default)]
pub struct EditorForm {
    pub presentation: String,
    pub presentation_visibility: String,
    pub offers: Vec<OfferRow>,
    pub capability_terms: Vec<String>,
    pub capability_terms_visibility: String,
    pub capabilities_text: String,
    pub capabilities_text_visibility: String,
    pub certifications: Vec<CredentialRow>,
    pub certifications_visibility: String,
    pub labels: Vec<CredentialRow>,
    pub labels_visibility: String,
    pub references: Vec<ReferenceRow>,
    pub regions_served: Vec<String>,
    pub regions_served_visibility: String,
    pub export_markets: Vec<String>,
    pub export_markets_visibility: String,
    pub languages: Vec<String>,
    pub languages_visibility: String,
    pub headcount_band: String,
    pub headcount_band_visibility: String,
    pub turnover_band: String,
    pub turnover_band_visibility: String,
}

/// The `i`th value of a repeated input, or blank when the browser sent fewer.
fn nth(values: &[String], i: usize) -> String {
    values.get(i).cloned().unwrap_or_default()
}

fn credential_rows(names: &[String], dates: &[String]) -> Vec<CredentialRow> {
    (0..names.len().max(dates.len()))
        .map(|i| CredentialRow {
            name: nth(names, i),
            expires_on: nth(dates, i),
        })
        .filter(|r| !r.name.trim().is_empty() || !r.expires_on.trim().is_empty())
        .collect()
}

fn credentials_of(list: &[Credential]) -> Vec<CredentialRow> {
    list.iter()
        .map(|c| CredentialRow {
            name: c.name.clone(),
            expires_on: c.expires_on.clone().unwrap_or_default(),
        })
        .collect()
}

/// Reads a visibility select; an unknown value (a tampered form) is an error, never a guess.
fn visibility(field: &str, text: &str, errors: &mut Vec<FieldError>) -> Visibility {
    Visibility::parse(text).unwrap_or_else(|| {
        errors.push(FieldError::new(
            &format!("{field}.visibility"),
            format!("'{text}' is neither public nor members"),
        ));
        Visibility::Members
    })
}

fn visible<T>(field: &str, value: T, text: &str, errors: &mut Vec<FieldError>) -> Visible<T> {
    Visible {
        value,
        visibility: visibility(field, text, errors),
    }
}

fn some_text(text: &str) -> Option<String> {
    Some(text.trim().to_owned()).filter(|t| !t.is_empty())
}

impl EditorForm {
    /// Zips the repeated inputs into rows and drops the rows left blank.
    pub fn from_raw(raw: RawForm) -> EditorForm {
        let offers = (0..raw.offer_title.len().max(raw.offer_description.len()))
            .map(|i| OfferRow {
                title: nth(&raw.offer_title, i),
                description: nth(&raw.offer_description, i),
                visibility: nth(&raw.offer_visibility, i),
            })
            .filter(|r| !r.title.trim().is_empty() || !r.description.trim().is_empty())
            .collect();
        let references = (0..raw.reference_client.len().max(raw.reference_project.len()))
            .map(|i| ReferenceRow {
                client: nth(&raw.reference_client, i),
                project: nth(&raw.reference_project, i),
                year: nth(&raw.reference_year, i),
                visibility: nth(&raw.reference_visibility, i),
            })
            .filter(|r| {
                !r.client.trim().is_empty() || !r.project.trim().is_empty() || !r.year.trim().is_empty()
            })
            .collect();
        EditorForm {
            presentation: raw.presentation,
            presentation_visibility: raw.presentation_visibility,
            offers,
            capability_terms: raw.capability_terms,
            capability_terms_visibility: raw.capability_terms_visibility,
            capabilities_text: raw.capabilities_text,
            capabilities_text_visibility: raw.capabilities_text_visibility,
            certifications: credential_rows(&raw.certification_name, &raw.certification_expires_on),
            certifications_visibility: raw.certifications_visibility,
            labels: credential_rows(&raw.label_name, &raw.label_expires_on),
            labels_visibility: raw.labels_visibility,
            references,
            regions_served: raw.regions_served,
            regions_served_visibility: raw.regions_served_visibility,
            export_markets: raw.export_markets,
            export_markets_visibility: raw.export_markets_visibility,
            languages: raw.languages,
            languages_visibility: raw.languages_visibility,
            headcount_band: raw.headcount_band,
            headcount_band_visibility: raw.headcount_band_visibility,
            turnover_band: raw.turnover_band,
            turnover_band_visibility: raw.turnover_band_visibility,
        }
    }

    /// The stored profile, as the form shows it.
    pub fn from_input(p: &ProfileInput) -> EditorForm {
        let vis = |v: Visibility| v.as_str().to_owned();
        EditorForm {
            presentation: p.presentation.value.clone(),
            presentation_visibility: vis(p.presentation.visibility),
            offers: p
                .offers
                .iter()
                .map(|o| OfferRow {
                    title: o.title.clone(),
                    description: o.description.clone(),
                    visibility: vis(o.visibility),
                })
                .collect(),
            capability_terms: p.capability_terms.value.clone(),
            capability_terms_visibility: vis(p.capability_terms.visibility),
            capabilities_text: p.capabilities_text.value.clone(),
            capabilities_text_visibility: vis(p.capabilities_text.visibility),
            certifications: credentials_of(&p.certifications.value),
            certifications_visibility: vis(p.certifications.visibility),
            labels: credentials_of(&p.labels.value),
            labels_visibility: vis(p.labels.visibility),
            references: p
                .references
                .iter()
                .map(|r| ReferenceRow {
                    client: r.client.clone(),
                    project: r.project.clone(),
                    year: r.year.map(|y| y.to_string()).unwrap_or_default(),
                    visibility: vis(r.visibility),
                })
                .collect(),
            regions_served: p.regions_served.value.clone(),
            regions_served_visibility: vis(p.regions_served.visibility),
            export_markets: p.export_markets.value.clone(),
            export_markets_visibility: vis(p.export_markets.visibility),
            languages: p.languages.value.clone(),
            languages_visibility: vis(p.languages.visibility),
            headcount_band: p.headcount_band.value.clone().unwrap_or_default(),
            headcount_band_visibility: vis(p.headcount_band.visibility),
            turnover_band: p.turnover_band.value.clone().unwrap_or_default(),
            turnover_band_visibility: vis(p.turnover_band.visibility),
        }
    }

    /// What the use-case validates, and the mistakes only the form can see (a year that is not
    /// a number, a visibility that is neither choice).
    pub fn to_input(&self) -> (ProfileInput, Vec<FieldError>) {
        let mut errors = Vec::new();
        let e = &mut errors;
        let credentials = |rows: &[CredentialRow]| -> Vec<Credential> {
            rows.iter()
                .map(|r| Credential {
                    name: r.name.clone(),
                    expires_on: some_text(&r.expires_on),
                })
                .collect()
        };
        let offers = self
            .offers
            .iter()
            .enumerate()
            .map(|(i, r)| Offer {
                title: r.title.clone(),
                description: r.description.clone(),
                visibility: visibility(&format!("offers[{i}]"), &r.visibility, e),
            })
            .collect();
        let references = self
            .references
            .iter()
            .enumerate()
            .map(|(i, r)| {
                let year = some_text(&r.year).and_then(|y| {
                    y.parse::<i32>()
                        .map_err(|_| {
                            e.push(FieldError::new(
                                &format!("references[{i}].year"),
                                format!("'{y}' is not a year"),
                            ))
                        })
                        .ok()
                });
                Reference {
                    client: r.client.clone(),
                    project: r.project.clone(),
                    year,
                    visibility: visibility(&format!("references[{i}]"), &r.visibility, e),
                }
            })
            .collect();
        let input = ProfileInput {
            presentation: visible(
                "presentation",
                self.presentation.clone(),
                &self.presentation_visibility,
                e,
            ),
            offers,
            capability_terms: visible(
                "capability_terms",
                self.capability_terms.clone(),
                &self.capability_terms_visibility,
                e,
            ),
            capabilities_text: visible(
                "capabilities_text",
                self.capabilities_text.clone(),
                &self.capabilities_text_visibility,
                e,
            ),
            certifications: visible(
                "certifications",
                credentials(&self.certifications),
                &self.certifications_visibility,
                e,
            ),
            labels: visible("labels", credentials(&self.labels), &self.labels_visibility, e),
            references,
            regions_served: visible(
                "regions_served",
                self.regions_served.clone(),
                &self.regions_served_visibility,
                e,
            ),
            export_markets: visible(
                "export_markets",
                self.export_markets.clone(),
                &self.export_markets_visibility,
                e,
            ),
            languages: visible("languages", self.languages.clone(), &self.languages_visibility, e),
            headcount_band: visible(
                "headcount_band",
                some_text(&self.headcount_band),
                &self.headcount_band_visibility,
                e,
            ),
            turnover_band: visible(
                "turnover_band",
                some_text(&self.turnover_band),
                &self.turnover_band_visibility,
                e,
            ),
        };
        (input, errors)
    }
}

/// Field errors, looked up by the path of the input they belong to.
pub struct Errors(Vec<FieldError>);

impl Errors {
    fn joined<'a>(messages: impl Iterator<Item = &'a str>) -> Option<String> {
        let all: Vec<&str> = messages.collect();
        (!all.is_empty()).then(|| all.join(" ; "))
    }

    /// Errors of exactly this input.
    pub fn at(&self, path: &str) -> Option<String> {
        Self::joined(
            self.0
                .iter()
                .filter(|e| e.field == path)
                .map(|e| e.message.as_str()),
        )
    }

    /// Errors of one input of a row: `offers[2].title`.
    pub fn row(&self, list: &str, index: &usize, field: &str) -> Option<String> {
        self.at(&format!("{list}[{index}].{field}"))
    }

    /// Errors of a list as a whole (too many entries) and of its codes (`export_markets[3]`),
    /// shown once beside the list, each with the value concerned.
    pub fn within(&self, list: &str) -> Option<String> {
        let prefix = format!("{list}[");
        Self::joined(
            self.0
                .iter()
                .filter(|e| e.field == list || (e.field.starts_with(&prefix) && e.field.ends_with(']')))
                .map(|e| e.message.as_str()),
        )
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// The summary at the top: each error with the id of the input (or group) it points to.
    pub fn summary(&self) -> Vec<(String, String, String)> {
        self.0
            .iter()
            .map(|e| {
                let code_in_list = e.field.ends_with(']') && !e.field.contains('.');
                let anchor = if code_in_list {
                    e.field.split('[').next().unwrap_or_default().to_owned()
                } else {
                    e.field.clone()
                };
                (anchor, e.field.clone(), e.message.clone())
            })
            .collect()
    }
}

/// A checkbox or an option.
pub struct Choice {
    pub value: &'static str,
    pub label: String,
    pub checked: bool,
}

/// The capability terms of one group, as a collapsible list of checkboxes.
pub struct TermGroup {
    pub code: &'static str,
    pub label: &'static str,
    pub chosen: usize,
    pub terms: Vec<Choice>,
}

pub struct Completeness {
    pub score: u8,
    pub hints: Vec<String>,
}

pub struct DifferentiationView {
    /// False without peers: the score then means nothing and is not shown.
    pub scored: bool,
    pub score: u8,
    pub verdict: String,
    /// Phrase and the share of peers using it, as a percentage.
    pub phrases: Vec<(String, String)>,
    pub terms: Vec<String>,
    pub suggestions: Vec<String>,
}

#[derive(Template)]
#[template(path = "directory/editor.html")]
pub struct EditorPage {
    c: Chrome,
    id: i64,
    name: String,
    form: EditorForm,
    errors: Errors,
    notice: Option<String>,
    offer_rows: Vec<OfferRow>,
    certification_rows: Vec<CredentialRow>,
    label_rows: Vec<CredentialRow>,
    reference_rows: Vec<ReferenceRow>,
    term_groups: Vec<TermGroup>,
    regions: Vec<Choice>,
    countries: Vec<Choice>,
    languages: Vec<Choice>,
    headcount_bands: Vec<Choice>,
    turnover_bands: Vec<Choice>,
    completeness: Option<Completeness>,
    differentiation: Option<DifferentiationView>,
    brochures: Vec<BrochureRow>,
    brochure_errors: Errors,
    can_add_brochure: bool,
}

impl EditorPage {
    /// Names of the chosen entries of a list, for the summary of its collapsed group.
    pub fn chosen_names(&self, choices: &[Choice]) -> String {
        choices
            .iter()
            .filter(|c| c.checked)
            .map(|c| c.label.as_str())
            .collect::<Vec<_>>()
            .join(", ")
    }
}

/// What the editor shows after an action: the form as typed (else the stored profile), the
/// errors beside the form or the brochures, and a notice.
pub struct Feedback {
    pub typed: Option<EditorForm>,
    pub errors: Vec<FieldError>,
    pub brochure_errors: Vec<FieldError>,
    pub notice: Option<String>,
}

/// Builds the editor for `id` if `viewer` may edit that profile: visitors are asked to sign in,
/// others are told there is no such page (as the use-cases do).
pub async fn editor_page(
    state: &AppState,
    viewer: &Viewer,
    id: i64,
    feedback: Feedback,
) -> Result<EditorPage, AppError> {
    let page = state.app.profile_page(&viewer.actor, id).await?;
    let facts = OrgFacts {
        id,
        clusters: &page.clusters,
    };
    authorize(&viewer.actor, &Action::EditProfile(facts)).map_err(|d| AppError::hiding(d, "organisation"))?;
    // The report helps; the editor must open without it.
    let differentiation = match state.app.differentiation(&viewer.actor, id).await {
        Ok(report) => Some(differentiation_view(viewer.tr, &report)),
        Err(error) => {
            tracing::warn!(%error, organisation = id, "differentiation report unavailable");
            None
        }
    };
    let tr = viewer.tr;
    let locale = tr.locale;
    let form = feedback
        .typed
        .unwrap_or_else(|| EditorForm::from_input(&ProfileInput::from(&page.profile)));
    let chosen = |list: &[String], code: &str| list.iter().any(|v| v.trim().eq_ignore_ascii_case(code));
    let term_groups = CapabilityCode::by_group()
        .map(|(group, members)| {
            let terms: Vec<Choice> = members
                .iter()
                .map(|code| Choice {
                    value: code.as_str(),
                    label: code.label(locale).to_owned(),
                    checked: chosen(&form.capability_terms, code.as_str()),
                })
                .collect();
            TermGroup {
                code: group.as_str(),
                label: group.label(locale),
                chosen: terms.iter().filter(|t| t.checked).count(),
                terms,
            }
        })
        .collect();
    let regions = domain::geo::regions()
        .map(|r| Choice {
            value: r.code,
            label: r.name.to_owned(),
            checked: chosen(&form.regions_served, r.code),
        })
        .collect();
    let mut countries: Vec<Choice> = CountryCode::all()
        .map(|c| Choice {
            value: c.as_str(),
            label: c.name(locale).to_owned(),
            checked: chosen(&form.export_markets, c.as_str()),
        })
        .collect();
    let mut languages: Vec<Choice> = LanguageCode::all()
        .map(|l| Choice {
            value: l.as_str(),
            label: l.name(locale).to_owned(),
            checked: chosen(&form.languages, l.as_str()),
        })
        .collect();
    if locale != "fr" {
        countries.sort_by(|a, b| a.label.cmp(&b.label));
        languages.sort_by(|a, b| a.label.cmp(&b.label));
    }
    let bands = |list: Vec<(&'static str, String)>, current: &str| -> Vec<Choice> {
        list.into_iter()
            .map(|(value, label)| Choice {
                value,
                label,
                checked: value == current.trim(),
            })
            .collect()
    };
    // Blank rows up to the list's limit (never fewer rows than were typed).
    let with_blanks = |typed: usize, blanks: usize, max: usize| (typed + blanks).min(max.max(typed));
    let mut offer_rows = form.offers.clone();
    offer_rows.resize_with(
        with_blanks(form.offers.len(), BLANK_OFFERS, limits::OFFERS),
        || OfferRow {
            visibility: Visibility::Public.as_str().into(),
            ..OfferRow::default()
        },
    );
    let mut certification_rows = form.certifications.clone();
    certification_rows.resize_with(
        with_blanks(form.certifications.len(), BLANK_CREDENTIALS, limits::CREDENTIALS),
        CredentialRow::default,
    );
    let mut label_rows = form.labels.clone();
    label_rows.resize_with(
        with_blanks(form.labels.len(), BLANK_CREDENTIALS, limits::CREDENTIALS),
        CredentialRow::default,
    );
    let mut reference_rows = form.references.clone();
    reference_rows.resize_with(
        with_blanks(form.references.len(), BLANK_REFERENCES, limits::REFERENCES),
        || ReferenceRow {
            visibility: Visibility::Public.as_str().into(),
            ..ReferenceRow::default()
        },
    );
    Ok(EditorPage {
        c: Chrome::of(viewer, "directory"),
        id,
        name: page.organisation.legal_name.clone(),
        headcount_bands: bands(headcount_bands(tr), &form.headcount_band),
        turnover_bands: bands(turnover_bands(tr), &form.turnover_band),
        offer_rows,
        certification_rows,
        label_rows,
        reference_rows,
        term_groups,
        regions,
        countries,
        languages,
        form,
        errors: Errors(feedback.errors),
        notice: feedback.notice,
        completeness: page.completeness.map(|c| Completeness {
            score: c.score,
            hints: c.hints.iter().map(|h| hint_text(tr, h)).collect(),
        }),
        differentiation,
        can_add_brochure: page.brochures.len() < app::directory::profiles::MAX_BROCHURES,
        brochures: page.brochures.iter().map(|b| BrochureRow::of(tr, b)).collect(),
        brochure_errors: Errors(feedback.brochure_errors),
    })
}

/// A completeness hint in words.
pub fn hint_text(tr: Tr, hint: &Hint) -> String {
    let key = format!("directory.hint.{}", hint.code());
    match hint {
        Hint::LengthenPresentation { minimum } | Hint::AddCapabilityTerms { minimum } => {
            tr_with(tr, &key, &[("minimum", &minimum.to_string())])
        }
        Hint::RenewExpired { name } => tr_with(tr, &key, &[("name", name)]),
        Hint::AddPresentation
        | Hint::AddOffers
        | Hint::DescribeCapabilities
        | Hint::AddCertifications
        | Hint::AddReferences
        | Hint::AddRegionsServed
        | Hint::AddExportMarkets
        | Hint::AddSizeBands
        | Hint::AddLanguages
        | Hint::AddBrochure => tr.t(key),
    }
}

/// A differentiation suggestion in words, with its parameters.
pub fn suggestion_text(tr: Tr, suggestion: &Suggestion) -> String {
    let key = |code: &str| format!("directory.suggestion.{code}");
    match suggestion {
        Suggestion::NoPeers => tr.t(key("no_peers")),
        Suggestion::TooShort { words, minimum } => tr_with(
            tr,
            &key("too_short"),
            &[("words", &words.to_string()), ("minimum", &minimum.to_string())],
        ),
        Suggestion::NearDuplicate { similarity } => tr_with(
            tr,
            &key("near_duplicate"),
            &[("similarity", &percent(tr, *similarity))],
        ),
        Suggestion::ReplaceStockPhrase { phrase, share } => tr_with(
            tr,
            &key("replace_stock_phrase"),
            &[("phrase", phrase), ("share", &percent(tr, *share))],
        ),
        Suggestion::NameDistinctiveStrengths { terms } => tr_with(
            tr,
            &key("name_distinctive_strengths"),
            &[("terms", &terms.join(", "))],
        ),
        Suggestion::BeSpecific => tr.t(key("be_specific")),
        Suggestion::AddFiguresAndReferences => tr.t(key("add_figures_and_references")),
    }
}

fn differentiation_view(tr: Tr, report: &Differentiation) -> DifferentiationView {
    let scored = report.peers_compared > 0;
    let verdict = if !scored {
        tr.t("directory.differentiation.unscored")
    } else {
        let key = if report.distinctiveness >= GENERIC_BELOW {
            "directory.differentiation.distinct"
        } else {
            "directory.differentiation.generic"
        };
        tr_with(tr, key, &[("peers", &report.peers_compared.to_string())])
    };
    DifferentiationView {
        scored,
        score: report.distinctiveness,
        verdict,
        phrases: report
            .shared_phrases
            .iter()
            .map(|p| (p.phrase.clone(), percent(tr, p.share)))
            .collect(),
        terms: report.distinctive_terms.clone(),
        suggestions: report
            .suggestions
            .iter()
            .map(|s| suggestion_text(tr, s))
            .collect(),
    }
}

#[derive(Deserialize)]
pub struct NoticeQuery {
    #[serde(default)]
    notice: String,
}

/// The notice a redirect asked for, if it is one the editor knows.
fn notice(tr: Tr, code: &str) -> Option<String> {
    matches!(code, "saved" | "brochure_added" | "brochure_deleted")
        .then(|| tr.t(format!("directory.notice.{code}")))
}

/// `GET /directory/{id}/edit`.
pub async fn show(
    State(state): State<AppState>,
    viewer: Viewer,
    Path(id): Path<i64>,
    Query(query): Query<NoticeQuery>,
) -> Response {
    let feedback = Feedback {
        typed: None,
        errors: Vec::new(),
        brochure_errors: Vec::new(),
        notice: notice(viewer.tr, &query.notice),
    };
    match editor_page(&state, &viewer, id, feedback).await {
        Ok(page) => render(&page),
        Err(error) => viewer.fail(error).into_response(),
    }
}

/// `POST /directory/{id}/edit`: saves the whole profile, or shows the form again with every
/// mistake beside its field (422) and nothing saved.
pub async fn save(
    State(state): State<AppState>,
    viewer: Viewer,
    Path(id): Path<i64>,
    Form(raw): Form<RawForm>,
) -> Response {
    let form = EditorForm::from_raw(raw);
    let (input, mut errors) = form.to_input();
    let result = if errors.is_empty() {
        state
            .app
            .save_profile(&viewer.actor, id, &input)
            .await
            .map(|_| ())
    } else {
        // All mistakes at once: the profile's own checks too, though nothing is saved.
        if let Err(issues) = input.validate() {
            errors.extend(issues.into_iter().map(|i| FieldError::new(&i.field, i.message)));
        }
        Err(AppError::Invalid(errors))
    };
    let error = match result {
        Ok(()) => return Redirect::to(&format!("/directory/{id}/edit?notice=saved")).into_response(),
        Err(error) => error,
    };
    let status = status_of(&error);
    let errors = match form_errors(&viewer, error) {
        Refusal::Fields(errors) => errors,
        Refusal::Page(response) => return response,
    };
    let feedback = Feedback {
        typed: Some(form),
        errors,
        brochure_errors: Vec::new(),
        notice: None,
    };
    match editor_page(&state, &viewer, id, feedback).await {
        Ok(page) => render_with(status, &page),
        Err(error) => viewer.fail(error).into_response(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn words(text: &str) -> bool {
        !text.is_empty() && !text.contains("directory.") && !text.contains("%{")
    }

    #[test]
    fn every_hint_and_suggestion_is_worded_in_both_languages() {
        let hints = [
            Hint::AddPresentation,
            Hint::LengthenPresentation { minimum: 300 },
            Hint::AddOffers,
            Hint::AddCapabilityTerms { minimum: 3 },
            Hint::DescribeCapabilities,
            Hint::AddCertifications,
            Hint::AddReferences,
            Hint::AddRegionsServed,
            Hint::AddExportMarkets,
            Hint::AddSizeBands,
            Hint::AddLanguages,
            Hint::AddBrochure,
            Hint::RenewExpired {
                name: "EN 9100".into(),
            },
        ];
        let suggestions = [
            Suggestion::NoPeers,
            Suggestion::TooShort {
                words: 12,
                minimum: 50,
            },
            Suggestion::NearDuplicate { similarity: 0.91 },
            Suggestion::ReplaceStockPhrase {
                phrase: "entreprise à taille humaine".into(),
                share: 0.4,
            },
            Suggestion::NameDistinctiveStrengths {
                terms: vec!["titane".into(), "électroérosion".into()],
            },
            Suggestion::BeSpecific,
            Suggestion::AddFiguresAndReferences,
        ];
        for tr in [Tr::new("fr"), Tr::new("en")] {
            for hint in &hints {
                let text = hint_text(tr, hint);
                assert!(words(&text), "{}: {hint:?} reads {text:?}", tr.locale);
            }
            for suggestion in &suggestions {
                let text = suggestion_text(tr, suggestion);
                assert!(words(&text), "{}: {suggestion:?} reads {text:?}", tr.locale);
            }
        }
        let fr = Tr::new("fr");
        assert!(
            hint_text(
                fr,
                &Hint::RenewExpired {
                    name: "EN 9100".into()
                }
            )
            .contains("EN 9100")
        );
        assert!(suggestion_text(fr, &suggestions[3]).contains("40 %"));
    }

    #[test]
    fn rows_are_zipped_and_blank_rows_dropped_so_error_paths_match_the_rows_shown() {
        let raw = RawForm {
            offer_title: vec!["".into(), "Pièces titane".into(), "".into()],
            offer_description: vec!["".into(), "".into(), "Sans titre".into()],
            offer_visibility: vec!["public".into(), "members".into(), "public".into()],
            reference_client: vec!["Airbus".into(), "".into()],
            reference_project: vec!["".into(), "".into()],
            reference_year: vec!["vingt".into(), "".into()],
            reference_visibility: vec!["public".into(), "public".into()],
            presentation_visibility: "members".into(),
            ..RawForm::default()
        };
        let form = EditorForm::from_raw(raw);
        assert_eq!(form.offers.len(), 2, "the blank first row is dropped");
        assert_eq!(form.references.len(), 1);
        let (input, errors) = form.to_input();
        assert_eq!(input.offers[0].visibility, Visibility::Members);
        assert_eq!(input.presentation.visibility, Visibility::Members);
        let fields: Vec<&str> = errors.iter().map(|e| e.field.as_str()).collect();
        assert!(fields.contains(&"references[0].year"), "{fields:?}");
        assert!(
            fields.contains(&"certifications.visibility"),
            "a missing visibility is refused, not guessed: {fields:?}"
        );
        let issues = input.validate().unwrap_err();
        assert!(issues.iter().any(|i| i.field == "offers[1].title"), "{issues:?}");
    }

    #[test]
    fn errors_are_found_beside_their_inputs() {
        let errors = Errors(vec![
            FieldError::new("offers[1].title", "is required"),
            FieldError::new("export_markets[0]", "unknown country code 'ZZ'"),
        ]);
        assert_eq!(errors.row("offers", &1, "title").as_deref(), Some("is required"));
        assert_eq!(errors.row("offers", &0, "title"), None);
        assert!(errors.within("export_markets").is_some_and(|m| m.contains("ZZ")));
        assert_eq!(errors.summary()[1].0, "export_markets");
    }
}
