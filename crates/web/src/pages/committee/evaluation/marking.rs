//! The named evaluator's desk: the call's dossiers to mark, and for each one its content
//! (read-only), a declaration of conflict of interest or of none, and a mark with a comment per
//! criterion. Each evaluator writes only their own sheet.

use super::super::{back_to, fail, paris_time};
use super::{Notice, error_for};
use crate::error::status_of;
use crate::identity::Viewer;
use crate::pages::{Chrome, Refusal, form_errors, render, render_with};
use crate::state::AppState;
use app::committee::evaluation::{DossierToMark, MarkInput, MarkingDesk};
use app::{AppError, FieldError};
use askama::Template;
use axum::Form;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::Response;
use std::collections::HashMap;

struct DeskRow {
    dossier_id: i64,
    organisation: String,
    conflict: bool,
    marked: usize,
}

#[derive(Template)]
#[template(path = "committee/evaluation_desk.html")]
struct DeskPage {
    c: Chrome,
    id: i64,
    title: String,
    criteria_count: usize,
    rows: Vec<DeskRow>,
}

/// `GET /calls/{id}/marking`: the dossiers a named evaluator has to mark.
pub async fn desk(State(state): State<AppState>, viewer: Viewer, Path(id): Path<i64>) -> Response {
    let desk = match state.app.marking_desk(&viewer.actor, id).await {
        Ok(desk) => desk,
        Err(error) => return fail(&viewer, error),
    };
    render(&DeskPage {
        c: Chrome::of(&viewer, "calls"),
        id,
        title: desk.title,
        criteria_count: desk.criteria.len(),
        rows: desk
            .dossiers
            .into_iter()
            .map(|d| DeskRow {
                dossier_id: d.dossier_id,
                organisation: d.organisation_name,
                conflict: d.conflict.is_some(),
                marked: d.marks.len(),
            })
            .collect(),
    })
}

/// One criterion's line of the marks form.
struct MarkRow {
    position: usize,
    name: String,
    description: String,
    weight: u32,
    scale_max: u32,
    mark: String,
    comment: String,
    mark_error: Option<String>,
    comment_error: Option<String>,
}

struct FileRow {
    name: String,
    kind: String,
    size_kib: i64,
}

#[derive(Template)]
#[template(path = "committee/evaluation_sheet.html")]
struct SheetPage {
    c: Chrome,
    id: i64,
    dossier_id: i64,
    title: String,
    organisation: String,
    version: i64,
    submitted: String,
    answer: String,
    lots: String,
    files: Vec<FileRow>,
    /// The declared conflict's note, when there is one: then nothing is marked.
    conflict: Option<String>,
    /// Decisions are out: the sheet is read-only.
    decided: bool,
    conflict_choice: String,
    note: String,
    note_error: Option<String>,
    choice_error: Option<String>,
    marks: Vec<MarkRow>,
    notice: String,
    errors: Vec<FieldError>,
}

/// What the evaluator typed, by field name, to show again when refused.
type Typed = HashMap<String, String>;

const NOTICES: [&str; 3] = ["marked", "no_conflict", "conflict"];

/// How a sheet is shown: fresh (with a confirmation, maybe), or refused with what was typed.
struct Shown {
    typed: Option<Typed>,
    notice: String,
    errors: Vec<FieldError>,
    status: StatusCode,
}

impl Shown {
    fn fresh(notice: String) -> Shown {
        Shown {
            typed: None,
            notice,
            errors: Vec::new(),
            status: StatusCode::OK,
        }
    }

    fn refused(typed: Typed, errors: Vec<FieldError>, status: StatusCode) -> Shown {
        Shown {
            typed: Some(typed),
            notice: String::new(),
            errors,
            status,
        }
    }
}

fn sheet_page(viewer: &Viewer, desk: MarkingDesk, dossier: DossierToMark, shown: Shown) -> Response {
    let Shown {
        typed,
        notice,
        errors,
        status,
    } = shown;
    let typed_value = |field: &str| typed.as_ref().and_then(|t| t.get(field).cloned());
    let marks = (1..)
        .zip(&desk.criteria)
        .map(|(position, k)| {
            let saved = dossier
                .marks
                .iter()
                .find(|m| m.criterion_position == position as i64);
            let mark_field = format!("mark_{position}");
            let comment_field = format!("comment_{position}");
            MarkRow {
                position,
                name: k.name.clone(),
                description: k.description.clone(),
                weight: k.weight,
                scale_max: k.scale_max,
                mark: typed_value(&mark_field)
                    .or_else(|| saved.map(|m| m.mark.to_string()))
                    .unwrap_or_default(),
                comment: typed_value(&comment_field)
                    .or_else(|| saved.map(|m| m.comment.clone()))
                    .unwrap_or_default(),
                mark_error: error_for(&errors, &mark_field),
                comment_error: error_for(&errors, &comment_field),
            }
        })
        .collect();
    render_with(
        status,
        &SheetPage {
            c: Chrome::of(viewer, "calls"),
            id: desk.call_id,
            dossier_id: dossier.dossier_id,
            title: desk.title,
            organisation: dossier.organisation_name,
            version: dossier.version.version,
            submitted: paris_time(dossier.version.submitted_at),
            answer: dossier.version.answer,
            lots: dossier
                .version
                .lots
                .iter()
                .map(i64::to_string)
                .collect::<Vec<_>>()
                .join(", "),
            files: dossier
                .attachments
                .into_iter()
                .map(|a| FileRow {
                    name: a.file.file_name,
                    kind: a.file.content_type,
                    size_kib: a.file.size_bytes.saturating_add(1023) / 1024,
                })
                .collect(),
            conflict: dossier.conflict.map(|c| c.reason),
            decided: desk.state == "decided",
            conflict_choice: typed_value("conflict").unwrap_or_default(),
            note: typed_value("note").unwrap_or_default(),
            note_error: error_for(&errors, "note"),
            choice_error: error_for(&errors, "conflict"),
            marks,
            notice,
            errors,
        },
    )
}

/// Loads the desk and shows one dossier's sheet; a dossier not on the desk is not found.
async fn show_sheet(state: &AppState, viewer: &Viewer, id: i64, did: i64, shown: Shown) -> Response {
    let mut desk = match state.app.marking_desk(&viewer.actor, id).await {
        Ok(desk) => desk,
        Err(error) => return fail(viewer, error),
    };
    let Some(at) = desk.dossiers.iter().position(|d| d.dossier_id == did) else {
        return fail(viewer, AppError::NotFound("dossier"));
    };
    let dossier = desk.dossiers.swap_remove(at);
    sheet_page(viewer, desk, dossier, shown)
}

async fn refused(
    state: &AppState,
    viewer: &Viewer,
    id: i64,
    did: i64,
    typed: Typed,
    error: AppError,
) -> Response {
    let status = status_of(&error);
    match form_errors(viewer, error) {
        Refusal::Fields(errors) => {
            show_sheet(state, viewer, id, did, Shown::refused(typed, errors, status)).await
        }
        Refusal::Page(response) => response,
    }
}

/// `GET /calls/{id}/marking/{did}`.
pub async fn sheet(
    State(state): State<AppState>,
    viewer: Viewer,
    Path((id, did)): Path<(i64, i64)>,
    Query(notice): Query<Notice>,
) -> Response {
    let notice = notice.text(viewer.tr, &NOTICES);
    show_sheet(&state, &viewer, id, did, Shown::fresh(notice)).await
}

fn done(id: i64, did: i64, notice: &str) -> Response {
    back_to(id, &format!("/marking/{did}?notice={notice}"))
}

/// `POST /calls/{id}/marking/{did}/conflict`: `conflict` is `none` or `declared`, with a `note`.
pub async fn declare(
    State(state): State<AppState>,
    viewer: Viewer,
    Path((id, did)): Path<(i64, i64)>,
    Form(typed): Form<Typed>,
) -> Response {
    let choice = typed.get("conflict").map(String::as_str).unwrap_or_default();
    let note = typed.get("note").map(String::as_str).unwrap_or_default();
    let has_conflict = match choice {
        "none" => Ok(false),
        "declared" => Ok(true),
        _ => Err(AppError::invalid(
            "conflict",
            viewer.tr.t("evaluation.conflict_choose"),
        )),
    };
    let result = match has_conflict {
        Ok(has) => {
            state
                .app
                .declare_conflict(&viewer.actor, id, did, has, note)
                .await
        }
        Err(error) => Err(error),
    };
    match result {
        Ok(true) => done(id, did, "conflict"),
        Ok(false) => done(id, did, "no_conflict"),
        Err(error) => refused(&state, &viewer, id, did, typed, error).await,
    }
}

/// Reads `mark_<n>` / `comment_<n>` pairs: a criterion left without a mark is not sent; a
/// comment without a mark, or a mark that is not a whole number, is a field error.
fn parse_marks(typed: &Typed, tr: crate::i18n::Tr) -> Result<Vec<MarkInput>, AppError> {
    let mut positions: Vec<i64> = typed
        .keys()
        .filter_map(|k| k.strip_prefix("mark_").or_else(|| k.strip_prefix("comment_")))
        .filter_map(|n| n.parse().ok())
        .collect();
    positions.sort_unstable();
    positions.dedup();
    let mut marks = Vec::new();
    let mut errors = Vec::new();
    for position in positions {
        let mark = typed.get(&format!("mark_{position}")).map_or("", |m| m.trim());
        let comment = typed
            .get(&format!("comment_{position}"))
            .cloned()
            .unwrap_or_default();
        if mark.is_empty() {
            if !comment.trim().is_empty() {
                errors.push(FieldError::new(
                    &format!("mark_{position}"),
                    tr.t("evaluation.mark_missing"),
                ));
            }
            continue;
        }
        match mark.parse() {
            Ok(mark) => marks.push(MarkInput {
                criterion: position,
                mark,
                comment,
            }),
            Err(_) => errors.push(FieldError::new(
                &format!("mark_{position}"),
                tr.t("evaluation.mark_whole"),
            )),
        }
    }
    if errors.is_empty() {
        Ok(marks)
    } else {
        Err(AppError::Invalid(errors))
    }
}

/// The use-case names `marks[i].mark`; the form names `mark_<criterion>`.
fn to_form_fields(error: AppError, marks: &[MarkInput]) -> AppError {
    let AppError::Invalid(errors) = error else {
        return error;
    };
    let renamed = errors
        .into_iter()
        .map(|e| {
            let field = e
                .field
                .strip_prefix("marks[")
                .and_then(|rest| rest.split_once("]."))
                .and_then(|(i, part)| {
                    let position = marks.get(i.parse::<usize>().ok()?)?.criterion;
                    Some(match part {
                        "comment" => format!("comment_{position}"),
                        _ => format!("mark_{position}"),
                    })
                })
                .unwrap_or(e.field);
            FieldError::new(&field, e.message)
        })
        .collect();
    AppError::Invalid(renamed)
}

/// `POST /calls/{id}/marking/{did}/marks`: saves the sheet's marks, all or none.
pub async fn save_marks(
    State(state): State<AppState>,
    viewer: Viewer,
    Path((id, did)): Path<(i64, i64)>,
    Form(typed): Form<Typed>,
) -> Response {
    let result = match parse_marks(&typed, viewer.tr) {
        Ok(marks) => state
            .app
            .save_marks(&viewer.actor, id, did, &marks)
            .await
            .map(|_| ())
            .map_err(|e| to_form_fields(e, &marks)),
        Err(error) => Err(error),
    };
    match result {
        Ok(()) => done(id, did, "marked"),
        Err(error) => refused(&state, &viewer, id, did, typed, error).await,
    }
}
