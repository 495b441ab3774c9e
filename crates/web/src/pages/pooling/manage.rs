//! The staff's page of a pool: edit the draft, choose the invited suppliers, publish, cancel with
//! a reason; every commitment; the offers once the closing instant has passed; the award with
//! its totals, its confirmation and its exports.

use super::*;
use axum::extract::Path;

pub(super) struct Candidate {
    id: i64,
    name: String,
    checked: bool,
}

pub(super) struct CommitmentRow {
    organisation: String,
    volume: String,
    current_price: String,
    updated: String,
}

pub(super) struct OfferRow {
    organisation: String,
    /// (from volume, unit price), one list item each.
    tiers: Vec<(String, String)>,
    max_volume: String,
}

pub(super) struct LineRow {
    organisation: String,
    volume: String,
    unit_price: String,
    cost: String,
}

pub(super) struct ShareRow {
    organisation: String,
    volume: String,
    current_price: String,
    current_cost: String,
    new_cost: String,
    savings: String,
}

pub(super) struct AwardBlock {
    volume: String,
    total: String,
    unit_price: String,
    current_total: String,
    savings: String,
    lines: Vec<LineRow>,
    shares: Vec<ShareRow>,
}

#[derive(Template)]
#[template(path = "pooling/manage.html")]
struct ManagePage {
    c: Chrome,
    id: i64,
    title: String,
    unit: String,
    phase: String,
    outcome: String,
    cancel_reason: String,
    is_draft: bool,
    can_cancel: bool,
    /// Open past its closing instant: being settled, cancelled once settled.
    settling: bool,
    can_confirm: bool,
    closes: String,
    minimum: i64,
    committed: String,
    committers: String,
    form: PoolForm,
    categories: Vec<CategoryOption>,
    q: String,
    candidates: Vec<Candidate>,
    invited: Vec<String>,
    commitments: Vec<CommitmentRow>,
    offers: Option<Vec<OfferRow>>,
    award: Option<AwardBlock>,
    reason: String,
    notice: String,
    errors: Vec<FieldError>,
}

#[derive(Deserialize, Default)]
pub(super) struct ManageQuery {
    #[serde(default)]
    notice: String,
    /// Narrows the supplier candidates by name.
    #[serde(default)]
    q: String,
}

#[derive(Default)]
pub(super) struct Typed {
    form: Option<PoolForm>,
    reason: String,
    /// The suppliers ticked on a refused form, to tick again.
    checked: Option<Vec<i64>>,
    /// The values posted for them, in order (what `suppliers[k]` refers to).
    ticked: Vec<String>,
}

async fn manage_page(
    state: &AppState,
    viewer: &Viewer,
    id: i64,
    query: ManageQuery,
    typed: Typed,
    errors: Vec<FieldError>,
    status: StatusCode,
) -> Response {
    let view = match state.app.pool(&viewer.actor, id).await {
        Ok(view) if view.is_staff => view,
        Ok(_) => return fail(viewer, AppError::Forbidden),
        Err(error) => return fail(viewer, error),
    };
    let pool = &view.pool;
    let is_draft = pool.state == "draft";
    let candidates = if is_draft {
        match state
            .app
            .pool_supplier_candidates(&viewer.actor, id, &query.q)
            .await
        {
            Ok(list) => {
                let invited: Vec<i64> = view.invited.iter().map(|o| o.id).collect();
                let checked = typed.checked.clone().unwrap_or_else(|| invited.clone());
                let mut shown: Vec<Candidate> = view
                    .invited
                    .iter()
                    .map(|o| Candidate {
                        id: o.id,
                        name: o.name.clone(),
                        checked: checked.contains(&o.id),
                    })
                    .collect();
                shown.extend(
                    list.into_iter()
                        .filter(|o| !invited.contains(&o.id))
                        .map(|o| Candidate {
                            checked: checked.contains(&o.id),
                            id: o.id,
                            name: o.name,
                        }),
                );
                shown
            }
            Err(error) => return fail(viewer, error),
        }
    } else {
        Vec::new()
    };
    let form = typed.form.unwrap_or_else(|| PoolForm::of(pool));
    let award = view.award.as_ref().map(|a| AwardBlock {
        volume: a.volume.map(|v| volume(viewer, v)).unwrap_or_default(),
        total: a.total.as_deref().map(|t| euros(viewer, t)).unwrap_or_default(),
        unit_price: a
            .unit_price
            .as_deref()
            .map(|p| price(viewer, p))
            .unwrap_or_default(),
        current_total: a
            .current_total
            .as_deref()
            .map(|t| euros(viewer, t))
            .unwrap_or_default(),
        savings: a.savings.as_deref().map(|t| euros(viewer, t)).unwrap_or_default(),
        lines: a
            .lines
            .iter()
            .map(|l| LineRow {
                organisation: l.organisation.name.clone(),
                volume: volume(viewer, l.line.volume),
                unit_price: l
                    .line
                    .unit_price
                    .as_deref()
                    .map_or_else(|| "—".into(), |p| price(viewer, p)),
                cost: euros(viewer, &l.line.cost),
            })
            .collect(),
        shares: a
            .shares
            .iter()
            .map(|s| ShareRow {
                organisation: s.organisation.name.clone(),
                volume: volume(viewer, s.share.volume),
                current_price: price(viewer, &s.share.current_price),
                current_cost: euros(viewer, &s.share.current_cost),
                new_cost: euros(viewer, &s.share.new_cost),
                savings: euros(viewer, &s.share.savings),
            })
            .collect(),
    });
    render_with(
        status,
        &ManagePage {
            c: Chrome::of(viewer, "pools"),
            id,
            title: pool.title.clone(),
            unit: pool.unit.clone(),
            phase: phase_label(viewer, view.phase),
            outcome: outcome_label(viewer, pool.outcome.as_deref()),
            cancel_reason: pool.cancel_reason.clone().unwrap_or_default(),
            is_draft,
            can_cancel: matches!(pool.state.as_str(), "draft" | "open" | "closed") && view.phase != "closing",
            settling: view.phase == "closing",
            can_confirm: pool.state == "closed" && pool.outcome.as_deref() == Some("award"),
            closes: paris_text(viewer, pool.closes_at),
            minimum: pool.minimum_volume,
            committed: view
                .progress
                .exact
                .map(|e| e.volume.to_string())
                .unwrap_or_default(),
            committers: view
                .progress
                .exact
                .map(|e| e.committers.to_string())
                .unwrap_or_default(),
            categories: categories(viewer, &form.category),
            form,
            q: query.q,
            candidates,
            invited: view.invited.iter().map(|o| o.name.clone()).collect(),
            commitments: view
                .commitments
                .clone()
                .unwrap_or_default()
                .into_iter()
                .map(|c| CommitmentRow {
                    organisation: c.organisation.name,
                    volume: volume(viewer, c.commitment.volume),
                    current_price: price(viewer, &c.commitment.current_price),
                    updated: paris_text(viewer, c.commitment.updated_at),
                })
                .collect(),
            offers: view.offers.clone().map(|list| {
                list.into_iter()
                    .map(|o| OfferRow {
                        organisation: o.organisation.name,
                        tiers: o
                            .offer
                            .tiers
                            .iter()
                            .map(|t| (volume(viewer, t.from_volume), price(viewer, &t.unit_price)))
                            .collect(),
                        max_volume: o
                            .offer
                            .max_volume
                            .map(|m| m.to_string())
                            .unwrap_or_else(|| "—".into()),
                    })
                    .collect()
            }),
            award,
            reason: typed.reason,
            notice: notice_text(viewer, &query.notice),
            errors,
        },
    )
}

/// `GET /pools/{id}/manage` (staff).
pub(super) async fn show(
    State(state): State<AppState>,
    viewer: Viewer,
    Path(id): Path<i64>,
    Query(query): Query<ManageQuery>,
) -> Response {
    manage_page(
        &state,
        &viewer,
        id,
        query,
        Typed::default(),
        Vec::new(),
        StatusCode::OK,
    )
    .await
}

/// After a staff form: back to the page with `notice`, or the page again with the refusal, its
/// links pointing into `section` (a refusal of the whole form) or at the supplier ticked.
async fn after<T>(
    state: &AppState,
    viewer: &Viewer,
    id: i64,
    result: Result<T, AppError>,
    (notice, section): (&str, &str),
    typed: Typed,
) -> Response {
    match result {
        Ok(_) => go(&format!("/pools/{id}/manage"), notice),
        Err(error) => {
            let ticked = typed.ticked.clone();
            refused(viewer, error, |errors, status| {
                let errors = anchored(errors, section, |field| supplier_target(field, &ticked));
                manage_page(state, viewer, id, ManageQuery::default(), typed, errors, status)
            })
            .await
        }
    }
}

/// `suppliers[k]` → the checkbox of the k-th value posted; the fieldset for the list itself and
/// for a value that names no checkbox.
fn supplier_target(field: &str, ticked: &[String]) -> Option<String> {
    if field == "suppliers" {
        return Some("suppliers".into());
    }
    let k: usize = field
        .strip_prefix("suppliers[")?
        .strip_suffix(']')?
        .parse()
        .ok()?;
    Some(
        ticked
            .get(k)
            .and_then(|v| v.trim().parse::<i64>().ok())
            .map_or_else(|| "suppliers".into(), |id| format!("supplier-{id}")),
    )
}

/// `POST /pools/{id}/edit` (a draft).
pub(super) async fn edit(
    State(state): State<AppState>,
    viewer: Viewer,
    Path(id): Path<i64>,
    Form(form): Form<PoolForm>,
) -> Response {
    let result = state.app.update_pool(&viewer.actor, id, &form.input()).await;
    let typed = Typed {
        form: Some(form),
        ..Typed::default()
    };
    after(&state, &viewer, id, result, ("saved", "pool-form"), typed).await
}

/// `POST /pools/{id}/suppliers` (a draft): the checked organisations.
pub(super) async fn suppliers(
    State(state): State<AppState>,
    viewer: Viewer,
    Path(id): Path<i64>,
    Form(fields): Form<Vec<(String, String)>>,
) -> Response {
    let ticked: Vec<&str> = fields
        .iter()
        .filter(|(k, _)| k == "supplier")
        .map(|(_, v)| v.as_str())
        .collect();
    let chosen: Vec<i64> = ticked.iter().filter_map(|v| v.trim().parse().ok()).collect();
    // A value that is no organisation id at all is refused where it stands, not dropped.
    let unreadable: Vec<FieldError> = ticked
        .iter()
        .enumerate()
        .filter(|(_, v)| v.trim().parse::<i64>().is_err())
        .map(|(k, _)| FieldError::new(&format!("suppliers[{k}]"), "not an organisation"))
        .collect();
    let result = if unreadable.is_empty() {
        state.app.set_pool_suppliers(&viewer.actor, id, &chosen).await
    } else {
        Err(AppError::Invalid(unreadable))
    };
    let typed = Typed {
        checked: Some(chosen),
        ticked: ticked.iter().map(|v| (*v).to_owned()).collect(),
        ..Typed::default()
    };
    after(&state, &viewer, id, result, ("suppliers", "suppliers"), typed).await
}

/// `POST /pools/{id}/publish`.
pub(super) async fn publish(State(state): State<AppState>, viewer: Viewer, Path(id): Path<i64>) -> Response {
    let result = state.app.publish_pool(&viewer.actor, id).await;
    after(
        &state,
        &viewer,
        id,
        result,
        ("published", "publish-pool"),
        Typed::default(),
    )
    .await
}

#[derive(Deserialize, Default)]
pub(super) struct CancelForm {
    #[serde(default)]
    reason: String,
}

/// `POST /pools/{id}/cancel`.
pub(super) async fn cancel(
    State(state): State<AppState>,
    viewer: Viewer,
    Path(id): Path<i64>,
    Form(form): Form<CancelForm>,
) -> Response {
    let result = state.app.cancel_pool(&viewer.actor, id, &form.reason).await;
    let typed = Typed {
        reason: form.reason,
        ..Typed::default()
    };
    after(&state, &viewer, id, result, ("cancelled", "reason"), typed).await
}

/// `POST /pools/{id}/award`: the staff confirm the computed award.
pub(super) async fn confirm(State(state): State<AppState>, viewer: Viewer, Path(id): Path<i64>) -> Response {
    let result = state.app.confirm_pool_award(&viewer.actor, id).await;
    after(
        &state,
        &viewer,
        id,
        result,
        ("awarded", "manage-phase"),
        Typed::default(),
    )
    .await
}

/// `GET /pools/{id}/award.csv` (staff), headers in the page's language.
pub(super) async fn award_csv(state: State<AppState>, viewer: Viewer, id: Path<i64>) -> Response {
    award_file(state, viewer, id, "csv").await
}

/// `GET /pools/{id}/award.xlsx` (staff).
pub(super) async fn award_xlsx(state: State<AppState>, viewer: Viewer, id: Path<i64>) -> Response {
    award_file(state, viewer, id, "xlsx").await
}

async fn award_file(
    State(state): State<AppState>,
    viewer: Viewer,
    Path(id): Path<i64>,
    format: &str,
) -> Response {
    match state
        .app
        .pool_award_export(&viewer.actor, id, format, Some(viewer.tr.locale))
        .await
    {
        Ok(download) => crate::brochure_files::export_file(download),
        Err(error) => fail(&viewer, error),
    }
}
