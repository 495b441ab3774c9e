//! Subscriptions to the portfolio: granted and revoked by the staff, in force from their first to
//! their last day.

use super::*;

impl App {
    /// The cluster's subscriptions (staff).
    pub async fn portfolio_subscriptions(
        &self,
        actor: &Actor,
        cluster_id: i64,
    ) -> Result<Vec<SubscriptionView>> {
        let mut conn = self.store.conn().await?;
        clusters::get(&mut conn, cluster_id)
            .await?
            .ok_or(AppError::NotFound("cluster"))?;
        manage(actor, cluster_id)?;
        let today = iso(today());
        let mut out = Vec::new();
        for subscription in stored::subscriptions(&mut conn, cluster_id).await? {
            out.push(subscription_view(&mut conn, subscription, &today).await?);
        }
        Ok(out)
    }

    /// The organisations a subscription may be granted to (large accounts and mid-caps of the
    /// cluster), for the staff's form.
    pub async fn portfolio_subscription_candidates(
        &self,
        actor: &Actor,
        cluster_id: i64,
    ) -> Result<Vec<(i64, String)>> {
        let mut conn = self.store.conn().await?;
        manage(actor, cluster_id)?;
        Ok(stored::buying_members(&mut conn, cluster_id).await?)
    }

    /// The staff grant an organisation of the cluster a subscription from `starts_on` to
    /// `ends_on` (inclusive; it must end after it starts, and not before today).
    #[tracing::instrument(skip(self, actor, input))]
    pub async fn grant_portfolio_subscription(
        &self,
        actor: &Actor,
        cluster_id: i64,
        input: &SubscriptionInput,
    ) -> Result<SubscriptionView> {
        let mut tx = self.store.begin().await?;
        clusters::get(&mut tx, cluster_id)
            .await?
            .ok_or(AppError::NotFound("cluster"))?;
        manage(actor, cluster_id)?;
        let mut issues = Vec::new();
        let starts = parse_date("starts_on", &input.starts_on)
            .map_err(|e| issues.push(e))
            .ok();
        let ends = parse_date("ends_on", &input.ends_on)
            .map_err(|e| issues.push(e))
            .ok();
        if let (Some(starts), Some(ends)) = (starts, ends) {
            if ends <= starts {
                issues.push(FieldError::new(
                    "ends_on",
                    "the subscription must end after it starts",
                ));
            } else if ends < today() {
                issues.push(FieldError::new(
                    "ends_on",
                    "the subscription would already be over",
                ));
            }
        }
        let member = clusters::of_organisation(&mut tx, input.organisation_id)
            .await?
            .contains(&cluster_id);
        if !member {
            issues.push(FieldError::new(
                "organisation_id",
                format!(
                    "organisation {} is not a member of the cluster",
                    input.organisation_id
                ),
            ));
        }
        let (Some(starts), Some(ends), true) = (starts, ends, issues.is_empty()) else {
            return Err(AppError::Invalid(issues));
        };
        let id = stored::grant_subscription(
            &mut tx,
            cluster_id,
            input.organisation_id,
            &iso(starts),
            &iso(ends),
            crate::actor::actor_id(actor),
            store::now_ms(),
        )
        .await?;
        let granted = stored::subscription(&mut tx, id)
            .await?
            .ok_or(AppError::NotFound("subscription"))?;
        Entry::by(actor, "grant_subscription", "portfolio_subscription", id)
            .after(&granted)
            .write(&mut tx)
            .await?;
        let view = subscription_view(&mut tx, granted, &iso(today())).await?;
        tx.commit().await.map_err(StoreError::from)?;
        Ok(view)
    }

    /// The staff revoke a subscription; revoking it twice is refused.
    #[tracing::instrument(skip(self, actor))]
    pub async fn revoke_portfolio_subscription(
        &self,
        actor: &Actor,
        cluster_id: i64,
        id: i64,
    ) -> Result<SubscriptionView> {
        let mut tx = self.store.begin().await?;
        manage(actor, cluster_id)?;
        let before = stored::subscription(&mut tx, id)
            .await?
            .filter(|s| s.cluster_id == cluster_id)
            .ok_or(AppError::NotFound("subscription"))?;
        if !stored::revoke_subscription(&mut tx, id, crate::actor::actor_id(actor), store::now_ms()).await? {
            return Err(conflict("the subscription is revoked already"));
        }
        let after = stored::subscription(&mut tx, id)
            .await?
            .ok_or(AppError::NotFound("subscription"))?;
        Entry::by(actor, "revoke_subscription", "portfolio_subscription", id)
            .before(&before)
            .after(&after)
            .write(&mut tx)
            .await?;
        let view = subscription_view(&mut tx, after, &iso(today())).await?;
        tx.commit().await.map_err(StoreError::from)?;
        Ok(view)
    }
}

async fn subscription_view(
    conn: &mut Conn,
    subscription: Subscription,
    today: &str,
) -> Result<SubscriptionView> {
    let active = subscription.revoked_at.is_none()
        && subscription.starts_on.as_str() <= today
        && subscription.ends_on.as_str() >= today;
    Ok(SubscriptionView {
        organisation_name: organisation_name(conn, subscription.organisation_id).await?,
        subscription,
        active,
    })
}
