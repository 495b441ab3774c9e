//! The candidate's dossier for a call (draft, files to download or remove, submission,
//! withdrawal) and the buyer side's submissions, readable only once the call has closed.

use super::files::dossier_file_path;
use super::{fail, paris_time};
use crate::brochure_files::read_form_file;
use crate::error::status_of;
use crate::identity::Viewer;
use crate::pages::{Chrome, Refusal, form_errors, render, render_with};
use crate::state::AppState;
use app::committee::dossiers::SubmissionView;
use app::committee::{DossierInput, DossierView};
use app::{AppError, FieldError};
use askama::Template;
use axum::Form;
use axum::extract::multipart::MultipartRejection;
use axum::extract::{Multipart, Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use serde::Deserialize;

struct LotChoice {
    position: i64,
    name: String,
    checked: bool,
}

struct FileRow {
    name: String,
    kind: String,
    size_kib: i64,
    /// Where it is downloaded.
    href: String,
}

fn file_row(call_id: i64, dossier_id: i64, a: &store::committee::dossiers::Attachment) -> FileRow {
    FileRow {
        name: a.file.file_name.clone(),
        kind: a.file.content_type.clone(),
        size_kib: a.file.size_bytes.saturating_add(1023) / 1024,
        href: dossier_file_path(call_id, dossier_id, a.version, &a.file.file_name),
    }
}

struct VersionRow {
    version: i64,
    at: String,
    files: Vec<FileRow>,
}

#[derive(Template)]
#[template(path = "committee/dossier.html")]
struct DossierPage {
    c: Chrome,
    id: i64,
    title: String,
    closes: String,
    /// none, draft, submitted or withdrawn.
    state: String,
    state_label: String,
    answer: String,
    lots: Vec<LotChoice>,
    files: Vec<FileRow>,
    versions: Vec<VersionRow>,
    notice: String,
    errors: Vec<FieldError>,
}

#[derive(Deserialize, Default)]
pub struct Notice {
    #[serde(default)]
    notice: String,
}

const NOTICES: [&str; 5] = ["saved", "attached", "removed", "submitted", "withdrawn"];

/// The dossier page; `typed` keeps what the person typed when a save was refused.
async fn dossier_page(
    state: &AppState,
    viewer: &Viewer,
    id: i64,
    typed: Option<DossierInput>,
    notice: &str,
    errors: Vec<FieldError>,
    status: StatusCode,
) -> Response {
    let view: DossierView = match state.app.my_dossier(&viewer.actor, id).await {
        Ok(view) => view,
        Err(error) => return fail(viewer, error),
    };
    let call = match state.app.call(&viewer.actor, id).await {
        Ok(call) => call,
        Err(error) => return fail(viewer, error),
    };
    let dossier = view.dossier.as_ref();
    let dossier_id = dossier.map_or(0, |d| d.id);
    let mut versions = Vec::new();
    for v in &view.versions {
        let files = view
            .submitted_files
            .iter()
            .filter(|a| a.version == v.version)
            .map(|a| file_row(id, dossier_id, a))
            .collect();
        versions.push(VersionRow {
            version: v.version,
            at: paris_time(v.submitted_at),
            files,
        });
    }
    let state = dossier.map_or_else(|| "none".to_owned(), |d| d.state.clone());
    let (answer, chosen) = match typed {
        Some(input) => (input.answer, input.lots),
        None => (
            dossier.map(|d| d.answer.clone()).unwrap_or_default(),
            dossier.map(|d| d.lots.clone()).unwrap_or_default(),
        ),
    };
    let notice = if NOTICES.contains(&notice) {
        viewer.tr.t(format!("committee.notice.{notice}"))
    } else {
        String::new()
    };
    render_with(
        status,
        &DossierPage {
            c: Chrome::of(viewer, "calls"),
            id,
            title: call.call.fields.title.clone(),
            closes: paris_time(call.call.fields.closes_at),
            state_label: viewer.tr.t(format!("committee.dossier.{state}")),
            state,
            answer,
            lots: (1..)
                .zip(call.parts.lots)
                .map(|(position, lot)| LotChoice {
                    position,
                    name: lot.name,
                    checked: chosen.contains(&position),
                })
                .collect(),
            files: view
                .attachments
                .iter()
                .map(|a| file_row(id, dossier_id, a))
                .collect(),
            versions,
            notice,
            errors,
        },
    )
}

fn done(id: i64, notice: &str) -> Response {
    Redirect::to(&format!("/calls/{id}/dossier?notice={notice}")).into_response()
}

/// Turns a refusal into the dossier page with the reason, or an error page.
async fn refused(
    state: &AppState,
    viewer: &Viewer,
    id: i64,
    typed: Option<DossierInput>,
    error: AppError,
) -> Response {
    let status = status_of(&error);
    match form_errors(viewer, error) {
        Refusal::Fields(errors) => dossier_page(state, viewer, id, typed, "", errors, status).await,
        Refusal::Page(response) => response,
    }
}

/// `GET /calls/{id}/dossier`.
pub async fn show(
    State(state): State<AppState>,
    viewer: Viewer,
    Path(id): Path<i64>,
    Query(notice): Query<Notice>,
) -> Response {
    dossier_page(
        &state,
        &viewer,
        id,
        None,
        &notice.notice,
        Vec::new(),
        StatusCode::OK,
    )
    .await
}

/// `POST /calls/{id}/dossier`: saves the draft (answer, lots chosen).
pub async fn save(
    State(state): State<AppState>,
    viewer: Viewer,
    Path(id): Path<i64>,
    Form(pairs): Form<Vec<(String, String)>>,
) -> Response {
    let mut input = DossierInput {
        answer: String::new(),
        lots: Vec::new(),
    };
    let mut errors = Vec::new();
    for (key, value) in pairs {
        match key.as_str() {
            "answer" => input.answer = value,
            "lots" => match value.trim().parse() {
                Ok(lot) => input.lots.push(lot),
                Err(_) => errors.push(FieldError::new("lots", format!("'{value}' is not a lot number"))),
            },
            _ => {}
        }
    }
    let result = if errors.is_empty() {
        state
            .app
            .save_dossier(&viewer.actor, id, &input)
            .await
            .map(|_| ())
    } else {
        Err(AppError::Invalid(errors))
    };
    match result {
        Ok(()) => done(id, "saved"),
        Err(error) => refused(&state, &viewer, id, Some(input), error).await,
    }
}

/// `POST /calls/{id}/dossier/attachments`: adds a file (multipart `file`) to the draft.
pub async fn attach(
    State(state): State<AppState>,
    viewer: Viewer,
    Path(id): Path<i64>,
    multipart: Result<Multipart, MultipartRejection>,
) -> Response {
    // Nobody streams 10 MiB in before being known to be someone.
    if matches!(viewer.actor, app::Actor::Visitor) {
        return fail(&viewer, AppError::Unauthenticated);
    }
    let read = read_form_file(multipart).await;
    let result = match read {
        Ok(form) => state
            .app
            .attach_to_dossier(&viewer.actor, id, form.upload)
            .await
            .map(|_| ()),
        Err(error) => Err(error),
    };
    match result {
        Ok(()) => done(id, "attached"),
        Err(error) => refused(&state, &viewer, id, None, error).await,
    }
}

#[derive(Deserialize)]
pub struct RemoveFile {
    #[serde(default)]
    file_name: String,
}

/// `POST /calls/{id}/dossier/attachments/remove`: takes a file out of the draft (the file's name
/// travels in the form, not the path, so any name the sanitiser kept works).
pub async fn remove_file(
    State(state): State<AppState>,
    viewer: Viewer,
    Path(id): Path<i64>,
    Form(form): Form<RemoveFile>,
) -> Response {
    match state
        .app
        .remove_dossier_attachment(&viewer.actor, id, &form.file_name)
        .await
    {
        Ok(_) => done(id, "removed"),
        Err(error) => refused(&state, &viewer, id, None, error).await,
    }
}

/// `POST /calls/{id}/dossier/submit`: a late submission shows the closing time; the draft stays.
pub async fn submit(State(state): State<AppState>, viewer: Viewer, Path(id): Path<i64>) -> Response {
    match state.app.submit_dossier(&viewer.actor, id).await {
        Ok(_) => done(id, "submitted"),
        Err(error) => refused(&state, &viewer, id, None, error).await,
    }
}

/// `POST /calls/{id}/dossier/withdraw`.
pub async fn withdraw(State(state): State<AppState>, viewer: Viewer, Path(id): Path<i64>) -> Response {
    match state.app.withdraw_dossier(&viewer.actor, id).await {
        Ok(_) => done(id, "withdrawn"),
        Err(error) => refused(&state, &viewer, id, None, error).await,
    }
}

struct SubmissionRow {
    organisation: String,
    version: i64,
    at: String,
    answer: String,
    lots: String,
    files: Vec<FileRow>,
    /// A joint offer's co-contractors, comma-separated; empty for a dossier answering alone.
    co_contractors: String,
}

#[derive(Template)]
#[template(path = "committee/submissions.html")]
struct SubmissionsPage {
    c: Chrome,
    id: i64,
    title: String,
    submissions: Vec<SubmissionRow>,
}

fn submission_row(call_id: i64, s: SubmissionView) -> SubmissionRow {
    let dossier_id = s.version.dossier_id;
    SubmissionRow {
        organisation: s.organisation_name,
        version: s.version.version,
        at: paris_time(s.version.submitted_at),
        answer: s.version.answer,
        lots: s
            .version
            .lots
            .iter()
            .map(i64::to_string)
            .collect::<Vec<_>>()
            .join(", "),
        files: s
            .attachments
            .iter()
            .map(|a| file_row(call_id, dossier_id, a))
            .collect(),
        co_contractors: s.co_contractors.join(", "),
    }
}

/// `GET /calls/{id}/dossiers`: the buyer side's reading, once the call has closed (404 before).
pub async fn submissions(State(state): State<AppState>, viewer: Viewer, Path(id): Path<i64>) -> Response {
    let submissions = match state.app.submissions(&viewer.actor, id).await {
        Ok(found) => found,
        Err(error) => return fail(&viewer, error),
    };
    let title = match state.app.call(&viewer.actor, id).await {
        Ok(view) => view.call.fields.title,
        Err(error) => return fail(&viewer, error),
    };
    render(&SubmissionsPage {
        c: Chrome::of(&viewer, "calls"),
        id,
        title,
        submissions: submissions.into_iter().map(|s| submission_row(id, s)).collect(),
    })
}
