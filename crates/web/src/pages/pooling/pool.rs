//! A pool's page: what it buys, its window in Paris time, its minimum and the progress towards it
//! (totals only), the viewer's own commitment form (conditional, said so) or sealed offer form,
//! and once awarded the viewer's own share or line.

use super::*;
use app::pooling::{CommitmentInput, OfferInput, PoolView, TierInput};
use axum::extract::Path;

/// Offer rows on the form: enough price breaks for most offers; more go through the API.
const TIER_ROWS: usize = 5;

pub(super) struct TierRow {
    k: usize,
    from_volume: String,
    unit_price: String,
}

pub(super) struct ShareLine {
    volume: String,
    current_price: String,
    current_cost: String,
    new_unit_price: String,
    new_cost: String,
    savings: String,
}

pub(super) struct SupplierLine {
    retained: bool,
    volume: String,
    unit_price: String,
    cost: String,
}

#[derive(Template)]
#[template(path = "pooling/pool.html")]
struct PoolPage {
    c: Chrome,
    id: i64,
    title: String,
    category: String,
    specification: String,
    unit: String,
    opens: String,
    closes: String,
    minimum: i64,
    progress: String,
    /// The staff's: the committed volume, for the progress bar.
    committed: Option<i64>,
    phase: String,
    outcome: String,
    cancel_reason: String,
    is_staff: bool,
    may_commit: bool,
    may_offer: bool,
    taking: bool,
    has_commitment: bool,
    volume: String,
    current_price: String,
    has_offer: bool,
    tiers: Vec<TierRow>,
    max_volume: String,
    share: Option<ShareLine>,
    line: Option<SupplierLine>,
    notice: String,
    errors: Vec<FieldError>,
}

/// What the viewer typed, to show again beside a refusal.
#[derive(Default)]
pub(super) struct Typed {
    commitment: Option<CommitmentForm>,
    offer: Option<Vec<(String, String)>>,
}

async fn pool_page(
    state: &AppState,
    viewer: &Viewer,
    id: i64,
    notice: &str,
    typed: Typed,
    errors: Vec<FieldError>,
    status: StatusCode,
) -> Response {
    let view: PoolView = match state.app.pool(&viewer.actor, id).await {
        Ok(view) => view,
        Err(error) => return fail(viewer, error),
    };
    let (volume, current_price) = match (&typed.commitment, &view.my_commitment) {
        (Some(form), _) => (form.volume.clone(), form.current_price.clone()),
        (None, Some(c)) => (c.volume.to_string(), c.current_price.clone()),
        (None, None) => (String::new(), String::new()),
    };
    let (mut tiers, max_volume): (Vec<TierRow>, String) = match (&typed.offer, &view.my_offer) {
        (Some(fields), _) => {
            let value = |name: String| {
                fields
                    .iter()
                    .find(|(k, _)| *k == name)
                    .map(|(_, v)| v.clone())
                    .unwrap_or_default()
            };
            (
                (0..TIER_ROWS)
                    .map(|k| TierRow {
                        k,
                        from_volume: value(format!("tier_from_{k}")),
                        unit_price: value(format!("tier_price_{k}")),
                    })
                    .collect(),
                value("max_volume".into()),
            )
        }
        (None, Some(offer)) => (
            offer
                .tiers
                .iter()
                .enumerate()
                .map(|(k, t)| TierRow {
                    k,
                    from_volume: t.from_volume.to_string(),
                    unit_price: t.unit_price.clone(),
                })
                .collect(),
            offer.max_volume.map(|m| m.to_string()).unwrap_or_default(),
        ),
        (None, None) => (
            vec![TierRow {
                k: 0,
                from_volume: "1".into(),
                unit_price: String::new(),
            }],
            String::new(),
        ),
    };
    while tiers.len() < TIER_ROWS {
        tiers.push(TierRow {
            k: tiers.len(),
            from_volume: String::new(),
            unit_price: String::new(),
        });
    }
    let pool = &view.pool;
    render_with(
        status,
        &PoolPage {
            c: Chrome::of(viewer, "pools"),
            id: pool.id,
            title: pool.title.clone(),
            category: category_label(viewer, &pool.category),
            specification: pool.specification.clone(),
            unit: pool.unit.clone(),
            opens: paris_text(viewer, pool.opens_at),
            closes: paris_text(viewer, pool.closes_at),
            minimum: pool.minimum_volume,
            progress: progress_text(viewer, &view.progress, pool.minimum_volume, &pool.unit),
            committed: view.progress.exact.map(|e| e.volume),
            phase: phase_label(viewer, view.phase),
            outcome: outcome_label(viewer, pool.outcome.as_deref()),
            cancel_reason: pool.cancel_reason.clone().unwrap_or_default(),
            is_staff: view.is_staff,
            may_commit: view.may_commit,
            may_offer: view.may_offer,
            taking: view.taking,
            has_commitment: view.my_commitment.is_some(),
            volume,
            current_price,
            has_offer: view.my_offer.is_some(),
            tiers,
            max_volume,
            share: view.my_share.as_ref().map(|s| ShareLine {
                volume: super::volume(viewer, s.volume),
                current_price: price(viewer, &s.current_price),
                current_cost: euros(viewer, &s.current_cost),
                new_unit_price: price(viewer, &s.new_unit_price),
                new_cost: euros(viewer, &s.new_cost),
                savings: euros(viewer, &s.savings),
            }),
            line: view.my_line.as_ref().map(|l| SupplierLine {
                retained: l.volume > 0,
                volume: super::volume(viewer, l.volume),
                unit_price: l
                    .unit_price
                    .as_deref()
                    .map(|p| price(viewer, p))
                    .unwrap_or_default(),
                cost: euros(viewer, &l.cost),
            }),
            notice: notice_text(viewer, notice),
            errors,
        },
    )
}

/// `GET /pools/{id}`.
pub(super) async fn show(
    State(state): State<AppState>,
    viewer: Viewer,
    Path(id): Path<i64>,
    Query(notice): Query<Notice>,
) -> Response {
    pool_page(
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

#[derive(Deserialize, Default, Clone)]
pub(super) struct CommitmentForm {
    #[serde(default)]
    volume: String,
    #[serde(default)]
    current_price: String,
}

/// `POST /pools/{id}/commitment`.
pub(super) async fn commit(
    State(state): State<AppState>,
    viewer: Viewer,
    Path(id): Path<i64>,
    Form(form): Form<CommitmentForm>,
) -> Response {
    let input = CommitmentInput {
        volume: form.volume.clone(),
        current_price: form.current_price.clone(),
    };
    match state.app.commit_to_pool(&viewer.actor, id, &input).await {
        Ok(_) => go(&format!("/pools/{id}"), "committed"),
        Err(error) => {
            refused(&viewer, error, |errors, status| {
                let typed = Typed {
                    commitment: Some(form),
                    offer: None,
                };
                let errors = anchored(errors, "commitment", |_| None);
                pool_page(&state, &viewer, id, "", typed, errors, status)
            })
            .await
        }
    }
}

/// `POST /pools/{id}/commitment/withdraw`.
pub(super) async fn withdraw_commitment(
    State(state): State<AppState>,
    viewer: Viewer,
    Path(id): Path<i64>,
) -> Response {
    match state.app.withdraw_pool_commitment(&viewer.actor, id).await {
        Ok(()) => go(&format!("/pools/{id}"), "commitment_withdrawn"),
        Err(error) => {
            refused(&viewer, error, |errors, status| {
                let errors = anchored(errors, "commitment", |_| None);
                pool_page(&state, &viewer, id, "", Typed::default(), errors, status)
            })
            .await
        }
    }
}

/// The offer typed on the form: its tier rows up to the last filled one, each keeping its row's
/// index (so that a refusal names the row the viewer sees), and the maximum volume. An empty row
/// between filled ones is refused on that row.
fn offer_input(fields: &[(String, String)]) -> Result<OfferInput, Vec<FieldError>> {
    let value = |name: &str| {
        fields
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.trim().to_owned())
            .unwrap_or_default()
    };
    let rows: Vec<(String, String)> = (0..TIER_ROWS)
        .map(|k| {
            (
                value(&format!("tier_from_{k}")),
                value(&format!("tier_price_{k}")),
            )
        })
        .collect();
    let empty = |(from, price): &(String, String)| from.is_empty() && price.is_empty();
    let filled = rows
        .iter()
        .rposition(|row| !empty(row))
        .map_or(0, |last| last + 1);
    let gaps: Vec<FieldError> = rows[..filled]
        .iter()
        .enumerate()
        .filter(|(_, row)| empty(row))
        .map(|(k, _)| {
            FieldError::new(
                &format!("tiers[{k}].from_volume"),
                "an empty row between tiers: fill it in, or move the next tiers up",
            )
        })
        .collect();
    if !gaps.is_empty() {
        return Err(gaps);
    }
    Ok(OfferInput {
        tiers: rows
            .into_iter()
            .take(filled)
            .map(|(from_volume, unit_price)| TierInput {
                from_volume,
                unit_price,
            })
            .collect(),
        max_volume: value("max_volume"),
    })
}

/// `POST /pools/{id}/offer`.
pub(super) async fn offer(
    State(state): State<AppState>,
    viewer: Viewer,
    Path(id): Path<i64>,
    Form(fields): Form<Vec<(String, String)>>,
) -> Response {
    let input = match offer_input(&fields) {
        Ok(input) => input,
        Err(errors) => {
            let typed = Typed {
                commitment: None,
                offer: Some(fields),
            };
            return pool_page(
                &state,
                &viewer,
                id,
                "",
                typed,
                errors,
                StatusCode::UNPROCESSABLE_ENTITY,
            )
            .await;
        }
    };
    match state.app.offer_to_pool(&viewer.actor, id, &input).await {
        Ok(_) => go(&format!("/pools/{id}"), "offered"),
        Err(error) => {
            refused(&viewer, error, |errors, status| {
                let typed = Typed {
                    commitment: None,
                    offer: Some(fields),
                };
                // A refusal of the whole list of tiers points at the table of tiers.
                let errors = anchored(errors, "offer", |field| {
                    (field == "tiers").then(|| "tiers[0].from_volume".to_owned())
                });
                pool_page(&state, &viewer, id, "", typed, errors, status)
            })
            .await
        }
    }
}

/// `POST /pools/{id}/offer/withdraw`.
pub(super) async fn withdraw_offer(
    State(state): State<AppState>,
    viewer: Viewer,
    Path(id): Path<i64>,
) -> Response {
    match state.app.withdraw_pool_offer(&viewer.actor, id).await {
        Ok(()) => go(&format!("/pools/{id}"), "offer_withdrawn"),
        Err(error) => {
            refused(&viewer, error, |errors, status| {
                let errors = anchored(errors, "offer", |_| None);
                pool_page(&state, &viewer, id, "", Typed::default(), errors, status)
            })
            .await
        }
    }
}
