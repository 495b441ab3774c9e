//! Pooled purchasing pages: the cluster's pools, a pool with the viewer's own commitment or offer
//! (and once awarded its own share or line), and the staff's page with every commitment, the
//! offers once the closing instant has passed, the award and its exports. Forms work without
//! JavaScript; refusals come back beside the form with what was typed.

mod manage;
mod pool;

use crate::error::status_of;
use crate::identity::Viewer;
use crate::pages::{Chrome, Refusal, fail, form_errors, refused, render_with};
use crate::state::AppState;
use app::{Actor, AppError, FieldError};
use askama::Template;
use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::Response;
use axum::routing::{get, post};
use axum::{Form, Router};
use domain::committee::paris;
use domain::policy::{Action, authorize};
use domain::pooling::Category;
use serde::Deserialize;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/pools", get(list))
        .route("/pools/new", get(new_pool).post(create))
        .route("/pools/{id}", get(pool::show))
        .route("/pools/{id}/commitment", post(pool::commit))
        .route("/pools/{id}/commitment/withdraw", post(pool::withdraw_commitment))
        .route("/pools/{id}/offer", post(pool::offer))
        .route("/pools/{id}/offer/withdraw", post(pool::withdraw_offer))
        .route("/pools/{id}/manage", get(manage::show))
        .route("/pools/{id}/edit", post(manage::edit))
        .route("/pools/{id}/suppliers", post(manage::suppliers))
        .route("/pools/{id}/publish", post(manage::publish))
        .route("/pools/{id}/cancel", post(manage::cancel))
        .route("/pools/{id}/award", post(manage::confirm))
        .route("/pools/{id}/award.csv", get(manage::award_csv))
        .route("/pools/{id}/award.xlsx", get(manage::award_xlsx))
}

#[derive(Deserialize, Default)]
pub struct Notice {
    #[serde(default)]
    notice: String,
}

const NOTICES: [&str; 10] = [
    "created",
    "saved",
    "suppliers",
    "published",
    "cancelled",
    "awarded",
    "committed",
    "commitment_withdrawn",
    "offered",
    "offer_withdrawn",
];

fn notice_text(viewer: &Viewer, notice: &str) -> String {
    crate::pages::notice_text(viewer, "pooling", &NOTICES, notice)
}

fn go(path: &str, notice: &str) -> Response {
    crate::pages::go_with_notice(path, notice)
}

/// An instant as the pages show it: Paris wall-clock time, said so.
fn paris_text(viewer: &Viewer, ms: i64) -> String {
    format!(
        "{} ({})",
        crate::pages::paris_time(ms),
        viewer.tr.t("pooling.paris_time")
    )
}

fn category_label(viewer: &Viewer, code: &str) -> String {
    match Category::parse(code) {
        Some(c) => viewer.tr.t(format!("pooling.category.{}", c.as_str())),
        None => code.to_owned(),
    }
}

/// The progress as the viewer may read it: the exact figures for the staff, the band for others.
fn progress_text(viewer: &Viewer, progress: &app::pooling::Progress, minimum: i64, unit: &str) -> String {
    match progress.exact {
        Some(exact) => format!(
            "{} / {} {unit} — {} {}",
            volume(viewer, exact.volume),
            volume(viewer, minimum),
            exact.committers,
            viewer.tr.t("pooling.committers")
        ),
        None => viewer.tr.t(format!("pooling.band.{}", progress.band)),
    }
}

/// Field errors whose link would lead nowhere pointed at an element of the page: a refusal of
/// the whole form (`form`) at `section`, a field `target` knows at its element.
fn anchored(
    mut errors: Vec<FieldError>,
    section: &str,
    target: impl Fn(&str) -> Option<String>,
) -> Vec<FieldError> {
    for e in &mut errors {
        if e.field == "form" {
            e.field = section.to_owned();
        } else if let Some(id) = target(&e.field) {
            e.field = id;
        }
    }
    errors
}

/// Stored money text (`"1554.00"`) as the page's language writes euros ("1 554,00 €").
fn euros(viewer: &Viewer, text: &str) -> String {
    text.parse::<domain::pooling::Decimal>()
        .map_or_else(|_| text.to_owned(), |d| viewer.tr.euros(d))
}

/// A stored unit price to its four places ("0,1500").
fn price(viewer: &Viewer, text: &str) -> String {
    text.parse::<domain::pooling::Decimal>()
        .map_or_else(|_| text.to_owned(), |d| viewer.tr.decimal(d, 4))
}

/// A volume, its thousands grouped ("1 660").
fn volume(viewer: &Viewer, units: i64) -> String {
    viewer.tr.decimal(domain::pooling::Decimal::from(units), 0)
}

/// The outcome of the close, said in words; empty before the close.
fn outcome_label(viewer: &Viewer, outcome: Option<&str>) -> String {
    outcome
        .map(|o| viewer.tr.t(format!("pooling.outcome.{o}")))
        .unwrap_or_default()
}

fn phase_label(viewer: &Viewer, phase: &str) -> String {
    viewer.tr.t(format!("pooling.phase.{phase}"))
}

/// The categories for a select, the chosen one marked.
pub(crate) struct CategoryOption {
    code: &'static str,
    label: String,
    selected: bool,
}

fn categories(viewer: &Viewer, chosen: &str) -> Vec<CategoryOption> {
    Category::ALL
        .iter()
        .map(|c| CategoryOption {
            code: c.as_str(),
            label: viewer.tr.t(format!("pooling.category.{}", c.as_str())),
            selected: c.as_str() == chosen,
        })
        .collect()
}

/// The cluster whose pools the staff member runs, if they run one.
fn staff_cluster(viewer: &Viewer) -> Option<i64> {
    match &viewer.actor {
        Actor::Person(p) => app::actor::home_cluster(p)
            .filter(|&cluster_id| authorize(&viewer.actor, &Action::ManagePools { cluster_id }).is_ok()),
        Actor::Visitor => None,
    }
}

// ---- the list ---------------------------------------------------------------------------------

struct PoolRow {
    id: i64,
    title: String,
    category: String,
    phase: String,
    closes: String,
    progress: String,
}

#[derive(Template)]
#[template(path = "pooling/list.html")]
struct ListPage {
    c: Chrome,
    pools: Vec<PoolRow>,
    can_create: bool,
    notice: String,
}

/// `GET /pools`.
async fn list(State(state): State<AppState>, viewer: Viewer, Query(notice): Query<Notice>) -> Response {
    let pools = match state.app.pools(&viewer.actor).await {
        Ok(pools) => pools,
        Err(error) => return fail(&viewer, error),
    };
    render_with(
        StatusCode::OK,
        &ListPage {
            c: Chrome::of(&viewer, "pools"),
            pools: pools
                .into_iter()
                .map(|s| PoolRow {
                    id: s.pool.id,
                    category: category_label(&viewer, &s.pool.category),
                    phase: phase_label(&viewer, s.phase),
                    closes: paris_text(&viewer, s.pool.closes_at),
                    progress: progress_text(&viewer, &s.progress, s.pool.minimum_volume, &s.pool.unit),
                    title: s.pool.title,
                })
                .collect(),
            can_create: staff_cluster(&viewer).is_some(),
            notice: notice_text(&viewer, &notice.notice),
        },
    )
}

// ---- the pool form (new and edit) ----------------------------------------------------------------

#[derive(Deserialize, Default, Clone)]
pub struct PoolForm {
    #[serde(default)]
    title: String,
    #[serde(default)]
    category: String,
    #[serde(default)]
    specification: String,
    #[serde(default)]
    unit: String,
    #[serde(default)]
    opens_at: String,
    #[serde(default)]
    closes_at: String,
    #[serde(default)]
    minimum_volume: String,
}

impl PoolForm {
    fn input(&self) -> app::pooling::PoolInput {
        app::pooling::PoolInput {
            title: self.title.clone(),
            category: self.category.clone(),
            specification: self.specification.clone(),
            unit: self.unit.clone(),
            opens_at: self.opens_at.clone(),
            closes_at: self.closes_at.clone(),
            minimum_volume: self.minimum_volume.clone(),
        }
    }

    fn of(pool: &store::pooling::Pool) -> PoolForm {
        let at = |ms: i64| paris::input(jiff::Timestamp::from_millisecond(ms).unwrap_or_default());
        PoolForm {
            title: pool.title.clone(),
            category: pool.category.clone(),
            specification: pool.specification.clone(),
            unit: pool.unit.clone(),
            opens_at: at(pool.opens_at),
            closes_at: at(pool.closes_at),
            minimum_volume: pool.minimum_volume.to_string(),
        }
    }
}

#[derive(Template)]
#[template(path = "pooling/new.html")]
struct NewPage {
    c: Chrome,
    form: PoolForm,
    categories: Vec<CategoryOption>,
    errors: Vec<FieldError>,
}

fn new_page(viewer: &Viewer, form: PoolForm, errors: Vec<FieldError>, status: StatusCode) -> Response {
    if staff_cluster(viewer).is_none() {
        return fail(
            viewer,
            if viewer.signed_in() {
                AppError::Forbidden
            } else {
                AppError::Unauthenticated
            },
        );
    }
    render_with(
        status,
        &NewPage {
            c: Chrome::of(viewer, "pools"),
            categories: categories(viewer, &form.category),
            form,
            errors,
        },
    )
}

/// `GET /pools/new` (staff): a blank pool opening now, closing in two weeks.
async fn new_pool(viewer: Viewer) -> Response {
    let now = jiff::Timestamp::now();
    let form = PoolForm {
        opens_at: paris::input(now),
        closes_at: paris::input(now + jiff::SignedDuration::from_hours(14 * 24)),
        category: "energy".into(),
        ..PoolForm::default()
    };
    new_page(&viewer, form, Vec::new(), StatusCode::OK)
}

/// `POST /pools/new` (staff): creates the draft in their cluster.
async fn create(State(state): State<AppState>, viewer: Viewer, Form(form): Form<PoolForm>) -> Response {
    let Some(cluster_id) = staff_cluster(&viewer) else {
        return new_page(&viewer, form, Vec::new(), StatusCode::FORBIDDEN);
    };
    match state
        .app
        .create_pool(&viewer.actor, cluster_id, &form.input())
        .await
    {
        Ok(pool) => go(&format!("/pools/{}/manage", pool.id), "created"),
        Err(error) => {
            let status = status_of(&error);
            match form_errors(&viewer, error) {
                Refusal::Fields(errors) => new_page(&viewer, form, errors, status),
                Refusal::Page(response) => response,
            }
        }
    }
}
