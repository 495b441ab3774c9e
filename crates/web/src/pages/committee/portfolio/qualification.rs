//! The qualification page: the criteria, applying, and the applications the viewer may see.

use super::*;

struct CriterionLine {
    name: String,
    description: String,
}

struct ApplicationLine {
    id: i64,
    organisation: String,
    state: String,
    standing: String,
}

#[derive(Template)]
#[template(path = "committee/portfolio_qualification.html")]
struct QualificationPage {
    c: Chrome,
    cluster_id: i64,
    criteria: Vec<CriterionLine>,
    applications: Vec<ApplicationLine>,
    can_apply: bool,
    staff: bool,
    errors: Vec<FieldError>,
}

pub(super) fn standing_code(standing: Standing) -> &'static str {
    match standing {
        Standing::Staff => "staff",
        Standing::Applicant => "applicant",
        Standing::Reviewer => "reviewer",
    }
}

async fn qualification_page(
    state: &AppState,
    viewer: &Viewer,
    cluster_id: i64,
    errors: Vec<FieldError>,
    status: StatusCode,
) -> Response {
    let criteria = match state.app.qualification_criteria(&viewer.actor, cluster_id).await {
        Ok(found) => found,
        Err(error) => return fail(viewer, error),
    };
    let applications = match state
        .app
        .qualification_applications(&viewer.actor, cluster_id)
        .await
    {
        Ok(found) => found,
        Err(error) => return fail(viewer, error),
    };
    let can_apply = match &viewer.actor {
        Actor::Person(p) => authorize(
            &viewer.actor,
            &Action::ApplyForQualification {
                cluster_id,
                organisation_id: p.organisation_id,
            },
        )
        .is_ok(),
        Actor::Visitor => false,
    };
    render_with(
        status,
        &QualificationPage {
            c: Chrome::of(viewer, "committee"),
            cluster_id,
            criteria: criteria
                .into_iter()
                .filter(|k| k.active)
                .map(|k| CriterionLine {
                    name: k.name,
                    description: k.description,
                })
                .collect(),
            applications: applications
                .into_iter()
                .map(|a| ApplicationLine {
                    id: a.application.id,
                    organisation: a.organisation_name,
                    state: a.application.state,
                    standing: standing_code(a.standing).to_owned(),
                })
                .collect(),
            can_apply,
            staff: is_staff(viewer, cluster_id),
            errors,
        },
    )
}

/// `GET /clusters/{id}/qualification`.
pub(super) async fn qualification(
    State(state): State<AppState>,
    viewer: Viewer,
    Path(id): Path<i64>,
) -> Response {
    qualification_page(&state, &viewer, id, Vec::new(), StatusCode::OK).await
}

/// `POST /clusters/{id}/qualification/applications`: opens a draft for the viewer's organisation.
pub(super) async fn apply(State(state): State<AppState>, viewer: Viewer, Path(id): Path<i64>) -> Response {
    match state.app.apply_for_qualification(&viewer.actor, id).await {
        Ok(created) => go(&format!("/qualification/applications/{}", created.id), "applied"),
        Err(error) => {
            refused(&viewer, error, |errors, status| {
                qualification_page(&state, &viewer, id, errors, status)
            })
            .await
        }
    }
}
