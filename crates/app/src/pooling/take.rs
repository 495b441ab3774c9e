//! Commitments and offers while a pool is open. The use-case checks the window to explain a
//! refusal; the store's statement checks it again at the instant of the write, so that a
//! commitment or offer arriving at or after the close is refused by the database itself and the
//! standing one is kept unchanged.

use domain::committee::paris;
use domain::policy::{Action, Actor, authorize};
use domain::pooling::money::MAX_TOTAL_VOLUME;
use domain::pooling::{Commitment, Offer, PoolState, Tier, pool as rules};
use serde::{Deserialize, Serialize};
use store::StoreError;
use store::pooling::{self as stored, StoredTier};

use super::manage::units;
use super::{LoadedPool, conflict, load_for, view};
use crate::audit::Entry;
use crate::{App, AppError, FieldError, Result};

use domain::pooling::pool::MAX_TIERS;

/// A commitment as typed: a whole number of units and today's unit price (decimal text).
#[derive(Debug, Clone, Default, Deserialize, Serialize)]
pub struct CommitmentInput {
    pub volume: String,
    pub current_price: String,
}

#[derive(Debug, Clone, Default, Deserialize, Serialize)]
pub struct TierInput {
    pub from_volume: String,
    pub unit_price: String,
}

/// An offer as typed: tiers in order, the maximum volume empty for no limit.
#[derive(Debug, Clone, Default, Deserialize, Serialize)]
pub struct OfferInput {
    pub tiers: Vec<TierInput>,
    #[serde(default)]
    pub max_volume: String,
}

fn person(actor: &Actor) -> Result<&domain::policy::Principal> {
    match actor {
        Actor::Person(p) => Ok(p),
        Actor::Visitor => Err(AppError::Unauthenticated),
    }
}

/// Why the pool takes no commitment or offer at `now` (ms), if it does not.
fn window(loaded: &LoadedPool, now: i64, what: &str) -> Result<()> {
    match loaded.state {
        PoolState::Open if now < loaded.pool.opens_at => Err(conflict(format!(
            "the pool opens at {}; {what} is not taken before",
            paris::display(loaded.opens())
        ))),
        PoolState::Open if now >= loaded.pool.closes_at => Err(conflict(format!(
            "the pool closed at {}; {what} was not changed",
            paris::display(loaded.closes())
        ))),
        PoolState::Open => Ok(()),
        state => Err(conflict(format!("the pool is {state}; {what} is not taken"))),
    }
}

/// Starts a take: explains a pool that takes nothing at `now`, then locks the pool row for the
/// rest of the transaction (`stored::lock_taking`), so that the close waits for this take and
/// reads what it writes. Refused at the lock when the close got there first (409).
async fn start_take(tx: &mut store::Conn, loaded: &LoadedPool, now: i64, what: &str) -> Result<()> {
    window(loaded, now, what)?;
    if !stored::lock_taking(tx, loaded.pool.id, now).await? {
        return Err(closed_meanwhile(loaded, what));
    }
    Ok(())
}

/// The refusal of a take the store's guard turned down: the pool closed meanwhile.
fn closed_meanwhile(loaded: &LoadedPool, what: &str) -> AppError {
    conflict(format!(
        "the pool closed at {}; {what} was not taken",
        paris::display(loaded.closes())
    ))
}

fn problem(p: rules::FieldProblem) -> FieldError {
    FieldError::new(&p.field, p.message)
}

fn check_commitment(input: &CommitmentInput) -> Result<(u64, String)> {
    let mut issues = Vec::new();
    let volume = units("volume", &input.volume, MAX_TOTAL_VOLUME)
        .map_err(|e| issues.push(e))
        .ok();
    let price = rules::parse_price("current_price", &input.current_price)
        .map_err(|e| issues.push(problem(e)))
        .ok();
    if let (Some(volume), Some(current_price)) = (volume, price) {
        let commitment = Commitment {
            volume,
            current_price,
        };
        if let Err(e) = rules::check_commitment(&commitment) {
            issues.push(problem(e));
        }
        if issues.is_empty() {
            return Ok((volume, current_price.normalize().to_string()));
        }
    }
    Err(AppError::Invalid(issues))
}

fn check_offer(input: &OfferInput) -> Result<(Vec<StoredTier>, Option<i64>)> {
    let mut issues = Vec::new();
    if input.tiers.is_empty() {
        return Err(AppError::invalid("tiers", "an offer has at least one tier"));
    }
    if input.tiers.len() > MAX_TIERS {
        return Err(AppError::invalid("tiers", format!("at most {MAX_TIERS} tiers")));
    }
    let mut tiers = Vec::new();
    for (k, tier) in input.tiers.iter().enumerate() {
        let from = units(
            &format!("tiers[{k}].from_volume"),
            &tier.from_volume,
            MAX_TOTAL_VOLUME,
        )
        .map_err(|e| issues.push(e))
        .ok();
        let price = rules::parse_price(&format!("tiers[{k}].unit_price"), &tier.unit_price)
            .map_err(|e| issues.push(problem(e)))
            .ok();
        if let (Some(from_volume), Some(unit_price)) = (from, price) {
            tiers.push(Tier {
                from_volume,
                unit_price,
            });
        }
    }
    let max_volume = if input.max_volume.trim().is_empty() {
        None
    } else {
        units("max_volume", &input.max_volume, MAX_TOTAL_VOLUME)
            .map_err(|e| issues.push(e))
            .ok()
    };
    if !issues.is_empty() {
        return Err(AppError::Invalid(issues));
    }
    let offer = Offer { tiers, max_volume };
    rules::check_offer(&offer).map_err(|e| AppError::Invalid(vec![problem(e)]))?;
    Ok((
        offer
            .tiers
            .iter()
            .map(|t| StoredTier {
                from_volume: t.from_volume as i64,
                unit_price: t.unit_price.normalize().to_string(),
            })
            .collect(),
        offer.max_volume.map(|m| m as i64),
    ))
}

impl App {
    /// Commits the actor's organisation to a pool, or changes its commitment, while the pool is
    /// open (buyers and admins of an organisation of the cluster). Conditional: binding only if
    /// the pool reaches its minimum by the close.
    #[tracing::instrument(skip(self, actor, input))]
    pub async fn commit_to_pool(
        &self,
        actor: &Actor,
        pool_id: i64,
        input: &CommitmentInput,
    ) -> Result<stored::Commitment> {
        let principal = person(actor)?;
        let organisation_id = principal.organisation_id;
        let mut tx = self.store.begin().await?;
        let loaded = load_for(actor, &mut tx, pool_id).await?;
        view(actor, &loaded)?;
        authorize(
            actor,
            &Action::CommitToPool {
                cluster_id: loaded.pool.cluster_id,
                organisation_id,
            },
        )?;
        let now = store::now_ms();
        start_take(&mut tx, &loaded, now, "a commitment").await?;
        let (volume, price) = check_commitment(input)?;
        let before = stored::commitment(&mut tx, pool_id, organisation_id).await?;
        // The pool's total stays within what the award computes with (checked again by the
        // statement; the lock keeps other takes out meanwhile).
        let (_, total) = stored::progress(&mut tx, pool_id).await?;
        let others = total - before.as_ref().map_or(0, |c| c.volume);
        if u64::try_from(others).unwrap_or(0).saturating_add(volume) > MAX_TOTAL_VOLUME {
            return Err(AppError::invalid(
                "volume",
                format!("the pool's commitments together would exceed {MAX_TOTAL_VOLUME} units"),
            ));
        }
        if !stored::commit(
            &mut tx,
            pool_id,
            organisation_id,
            volume as i64,
            &price,
            Some(principal.person_id),
            now,
            MAX_TOTAL_VOLUME as i64,
        )
        .await?
        {
            return Err(closed_meanwhile(&loaded, "your commitment"));
        }
        let after = stored::commitment(&mut tx, pool_id, organisation_id)
            .await?
            .ok_or(AppError::NotFound("commitment"))?;
        let action = if before.is_some() {
            "pool_commitment_change"
        } else {
            "pool_commit"
        };
        Entry::by(actor, action, "pool", pool_id)
            .before(&before)
            .after(&after)
            .write(&mut tx)
            .await?;
        tx.commit().await.map_err(StoreError::from)?;
        Ok(after)
    }

    /// Withdraws the actor's organisation's commitment while the pool is open.
    #[tracing::instrument(skip(self, actor))]
    pub async fn withdraw_pool_commitment(&self, actor: &Actor, pool_id: i64) -> Result<()> {
        let principal = person(actor)?;
        let organisation_id = principal.organisation_id;
        let mut tx = self.store.begin().await?;
        let loaded = load_for(actor, &mut tx, pool_id).await?;
        view(actor, &loaded)?;
        authorize(
            actor,
            &Action::CommitToPool {
                cluster_id: loaded.pool.cluster_id,
                organisation_id,
            },
        )?;
        let before = stored::commitment(&mut tx, pool_id, organisation_id)
            .await?
            .ok_or(AppError::NotFound("commitment"))?;
        let now = store::now_ms();
        start_take(&mut tx, &loaded, now, "a withdrawal").await?;
        if !stored::withdraw(&mut tx, stored::Taken::Commitment, pool_id, organisation_id, now).await? {
            return Err(closed_meanwhile(&loaded, "the withdrawal of your commitment"));
        }
        Entry::by(actor, "pool_commitment_withdraw", "pool", pool_id)
            .before(&before)
            .write(&mut tx)
            .await?;
        tx.commit().await.map_err(StoreError::from)?;
        Ok(())
    }

    /// Makes or changes the actor's organisation's sealed offer (an invited supplier) while the
    /// pool is open. Until the close the audit keeps only that an offer was saved (by whom, the
    /// entry's author), never the organisation's name or prices.
    #[tracing::instrument(skip(self, actor, input))]
    pub async fn offer_to_pool(
        &self,
        actor: &Actor,
        pool_id: i64,
        input: &OfferInput,
    ) -> Result<stored::Offer> {
        let principal = person(actor)?;
        let organisation_id = principal.organisation_id;
        let mut tx = self.store.begin().await?;
        let loaded = load_for(actor, &mut tx, pool_id).await?;
        view(actor, &loaded)?;
        authorize(
            actor,
            &Action::OfferToPool {
                organisation_id,
                invited: loaded.invited.contains(&organisation_id),
            },
        )?;
        let now = store::now_ms();
        start_take(&mut tx, &loaded, now, "an offer").await?;
        let (tiers, max_volume) = check_offer(input)?;
        let existed = stored::own_offer(&mut tx, pool_id, organisation_id)
            .await?
            .is_some();
        if !stored::save_offer(
            &mut tx,
            pool_id,
            organisation_id,
            &tiers,
            max_volume,
            Some(principal.person_id),
            now,
        )
        .await?
        {
            return Err(closed_meanwhile(&loaded, "your offer"));
        }
        let offer = stored::own_offer(&mut tx, pool_id, organisation_id)
            .await?
            .ok_or(AppError::NotFound("offer"))?;
        Entry::by(
            actor,
            if existed {
                "pool_offer_change"
            } else {
                "pool_offer"
            },
            "pool",
            pool_id,
        )
        .after(&serde_json::json!({ "offer": "saved (sealed)" }))
        .write(&mut tx)
        .await?;
        tx.commit().await.map_err(StoreError::from)?;
        Ok(offer)
    }

    /// Withdraws the actor's organisation's offer while the pool is open.
    #[tracing::instrument(skip(self, actor))]
    pub async fn withdraw_pool_offer(&self, actor: &Actor, pool_id: i64) -> Result<()> {
        let principal = person(actor)?;
        let organisation_id = principal.organisation_id;
        let mut tx = self.store.begin().await?;
        let loaded = load_for(actor, &mut tx, pool_id).await?;
        view(actor, &loaded)?;
        authorize(
            actor,
            &Action::OfferToPool {
                organisation_id,
                invited: loaded.invited.contains(&organisation_id),
            },
        )?;
        stored::own_offer(&mut tx, pool_id, organisation_id)
            .await?
            .ok_or(AppError::NotFound("offer"))?;
        let now = store::now_ms();
        start_take(&mut tx, &loaded, now, "a withdrawal").await?;
        if !stored::withdraw(&mut tx, stored::Taken::Offer, pool_id, organisation_id, now).await? {
            return Err(closed_meanwhile(&loaded, "the withdrawal of your offer"));
        }
        Entry::by(actor, "pool_offer_withdraw", "pool", pool_id)
            .after(&serde_json::json!({ "offer": "withdrawn" }))
            .write(&mut tx)
            .await?;
        tx.commit().await.map_err(StoreError::from)?;
        Ok(())
    }
}
