//! The staff's subscriptions page: grant and revoke access to the full portfolio.

use super::*;

struct SubscriptionLine {
    id: i64,
    organisation: String,
    starts_on: String,
    ends_on: String,
    active: bool,
    revoked: bool,
}

struct Candidate {
    id: i64,
    name: String,
}

#[derive(Template)]
#[template(path = "committee/portfolio_subscriptions.html")]
struct SubscriptionsPage {
    c: Chrome,
    cluster_id: i64,
    subscriptions: Vec<SubscriptionLine>,
    candidates: Vec<Candidate>,
    starts_on: String,
    ends_on: String,
    notice: String,
    errors: Vec<FieldError>,
}

async fn subscriptions_page(
    state: &AppState,
    viewer: &Viewer,
    cluster_id: i64,
    notice: &str,
    typed: Option<SubscriptionForm>,
    errors: Vec<FieldError>,
    status: StatusCode,
) -> Response {
    let found = match state.app.portfolio_subscriptions(&viewer.actor, cluster_id).await {
        Ok(found) => found,
        Err(error) => return fail(viewer, error),
    };
    let candidates = match state
        .app
        .portfolio_subscription_candidates(&viewer.actor, cluster_id)
        .await
    {
        Ok(found) => found,
        Err(error) => return fail(viewer, error),
    };
    let typed = typed.unwrap_or_default();
    render_with(
        status,
        &SubscriptionsPage {
            c: Chrome::of(viewer, "committee"),
            cluster_id,
            subscriptions: found
                .into_iter()
                .map(|s| SubscriptionLine {
                    id: s.subscription.id,
                    organisation: s.organisation_name,
                    starts_on: s.subscription.starts_on,
                    ends_on: s.subscription.ends_on,
                    active: s.active,
                    revoked: s.subscription.revoked_at.is_some(),
                })
                .collect(),
            candidates: candidates
                .into_iter()
                .map(|(id, name)| Candidate { id, name })
                .collect(),
            starts_on: typed.starts_on,
            ends_on: typed.ends_on,
            notice: notice_text(viewer, notice),
            errors,
        },
    )
}

/// `GET /clusters/{id}/portfolio/subscriptions`.
pub(super) async fn subscriptions(
    State(state): State<AppState>,
    viewer: Viewer,
    Path(id): Path<i64>,
    Query(notice): Query<Notice>,
) -> Response {
    subscriptions_page(
        &state,
        &viewer,
        id,
        &notice.notice,
        None,
        Vec::new(),
        StatusCode::OK,
    )
    .await
}

#[derive(Deserialize, Default)]
pub(super) struct SubscriptionForm {
    #[serde(default)]
    organisation_id: String,
    #[serde(default)]
    starts_on: String,
    #[serde(default)]
    ends_on: String,
}

/// `POST /clusters/{id}/portfolio/subscriptions`.
pub(super) async fn grant(
    State(state): State<AppState>,
    viewer: Viewer,
    Path(id): Path<i64>,
    Form(form): Form<SubscriptionForm>,
) -> Response {
    let result = match form.organisation_id.trim().parse::<i64>() {
        Ok(organisation_id) => {
            let input = SubscriptionInput {
                organisation_id,
                starts_on: form.starts_on.clone(),
                ends_on: form.ends_on.clone(),
            };
            state
                .app
                .grant_portfolio_subscription(&viewer.actor, id, &input)
                .await
                .map(|_| ())
        }
        Err(_) => Err(AppError::invalid("organisation_id", "choose an organisation")),
    };
    match result {
        Ok(()) => go(&format!("/clusters/{id}/portfolio/subscriptions"), "granted"),
        Err(error) => {
            refused(&viewer, error, |errors, status| {
                subscriptions_page(&state, &viewer, id, "", Some(form), errors, status)
            })
            .await
        }
    }
}

/// `POST /clusters/{id}/portfolio/subscriptions/{sid}/revoke`.
pub(super) async fn revoke(
    State(state): State<AppState>,
    viewer: Viewer,
    Path((id, sid)): Path<(i64, i64)>,
) -> Response {
    match state
        .app
        .revoke_portfolio_subscription(&viewer.actor, id, sid)
        .await
    {
        Ok(_) => go(&format!("/clusters/{id}/portfolio/subscriptions"), "revoked"),
        Err(error) => {
            refused(&viewer, error, |errors, status| {
                subscriptions_page(&state, &viewer, id, "", None, errors, status)
            })
            .await
        }
    }
}
