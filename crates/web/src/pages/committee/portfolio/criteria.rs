//! The staff's criteria form: edit, add and retire the qualification criteria.

use super::*;

struct CriterionEdit {
    index: usize,
    id: String,
    name: String,
    description: String,
}

#[derive(Template)]
#[template(path = "committee/portfolio_criteria.html")]
struct CriteriaPage {
    c: Chrome,
    cluster_id: i64,
    rows: Vec<CriterionEdit>,
    retired: Vec<String>,
    errors: Vec<FieldError>,
}

/// The criteria form: the active criteria, then one blank line for a new one.
async fn criteria_page(
    state: &AppState,
    viewer: &Viewer,
    cluster_id: i64,
    typed: Option<Vec<CriterionInput>>,
    errors: Vec<FieldError>,
    status: StatusCode,
) -> Response {
    if !is_staff(viewer, cluster_id) {
        return fail(viewer, AppError::NotFound("cluster"));
    }
    let stored = match state.app.qualification_criteria(&viewer.actor, cluster_id).await {
        Ok(found) => found,
        Err(error) => return fail(viewer, error),
    };
    let mut lines: Vec<CriterionInput> = typed.unwrap_or_else(|| {
        stored
            .iter()
            .filter(|k| k.active)
            .map(|k| CriterionInput {
                id: Some(k.id),
                name: k.name.clone(),
                description: k.description.clone(),
            })
            .collect()
    });
    lines.push(CriterionInput {
        id: None,
        name: String::new(),
        description: String::new(),
    });
    render_with(
        status,
        &CriteriaPage {
            c: Chrome::of(viewer, "committee"),
            cluster_id,
            rows: lines
                .into_iter()
                .enumerate()
                .map(|(index, k)| CriterionEdit {
                    index,
                    id: k.id.map(|id| id.to_string()).unwrap_or_default(),
                    name: k.name,
                    description: k.description,
                })
                .collect(),
            retired: stored.into_iter().filter(|k| !k.active).map(|k| k.name).collect(),
            errors,
        },
    )
}

/// `GET /clusters/{id}/qualification/criteria`.
pub(super) async fn criteria(State(state): State<AppState>, viewer: Viewer, Path(id): Path<i64>) -> Response {
    criteria_page(&state, &viewer, id, None, Vec::new(), StatusCode::OK).await
}

/// `POST /clusters/{id}/qualification/criteria`: lines `id_<n>`, `name_<n>`, `description_<n>`
/// and `retire_<n>`; a line with an empty name and no id is ignored (the blank line for a new one).
pub(super) async fn save_criteria(
    State(state): State<AppState>,
    viewer: Viewer,
    Path(id): Path<i64>,
    Form(pairs): Form<Vec<(String, String)>>,
) -> Response {
    let field = |name: &str, index: usize| {
        pairs
            .iter()
            .find(|(k, _)| *k == format!("{name}_{index}"))
            .map(|(_, v)| v.clone())
    };
    let mut inputs = Vec::new();
    let mut errors = Vec::new();
    for index in 0..=MAX_FORM_LINES {
        let Some(name) = field("name", index) else {
            continue;
        };
        let existing = field("id", index).filter(|v| !v.trim().is_empty());
        let criterion_id = match existing.map(|v| v.trim().parse::<i64>()) {
            Some(Ok(value)) => Some(value),
            Some(Err(_)) => {
                errors.push(FieldError::new(
                    &format!("id_{index}"),
                    "is not a criterion number",
                ));
                continue;
            }
            None => None,
        };
        if field("retire", index).is_some() || (criterion_id.is_none() && name.trim().is_empty()) {
            continue;
        }
        inputs.push(CriterionInput {
            id: criterion_id,
            name,
            description: field("description", index).unwrap_or_default(),
        });
    }
    let result = if errors.is_empty() {
        state
            .app
            .set_qualification_criteria(&viewer.actor, id, &inputs)
            .await
            .map(|_| ())
    } else {
        Err(AppError::Invalid(errors))
    };
    match result {
        Ok(()) => Redirect::to(&format!("/clusters/{id}/qualification")).into_response(),
        Err(error) => {
            refused(&viewer, error, |errors, status| {
                criteria_page(&state, &viewer, id, Some(inputs), errors, status)
            })
            .await
        }
    }
}

/// Lines the criteria form may carry (criteria are capped well below).
const MAX_FORM_LINES: usize = 60;
