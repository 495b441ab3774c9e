//! Pooled purchasing run by a cluster: pools with their window and minimum, SMEs' conditional
//! commitments, invited suppliers' sealed tiered offers, the award at the close (computed by
//! `domain::pooling::settle`), notifications, exports and the audit trail.
//!
//! - `manage`: the staff create, edit, invite, publish, cancel and confirm the award;
//! - `take`: commitments and offers, refused by the store's guarded SQL outside the window;
//! - `close`: the close and settlement, the mails that follow;
//! - `view`: what each reader sees (totals for all, their own part, everything for the staff) and
//!   the staff's exports.

mod close;
mod manage;
mod take;
mod view;

pub(crate) use close::settled;
pub use manage::PoolInput;
pub use take::{CommitmentInput, OfferInput, TierInput};
pub use view::{
    AwardTable, ExactProgress, NamedCommitment, NamedLine, NamedOffer, NamedShare, OrgRef, PoolSummary,
    PoolView, Progress,
};

use domain::policy::{Action, Actor, PoolFacts, authorize};
use domain::pooling::{Category, Decimal, PoolState};
use jiff::Timestamp;
use store::Conn;
use store::pooling::{self as stored, Pool};

use crate::{AppError, Result};

/// A pool with what the policy needs to reason on it.
pub(crate) struct LoadedPool {
    pub pool: Pool,
    pub state: PoolState,
    pub invited: Vec<i64>,
}

impl LoadedPool {
    pub fn facts(&self) -> PoolFacts<'_> {
        PoolFacts {
            cluster_id: self.pool.cluster_id,
            // A pool cancelled as a draft was never published: it stays the staff's alone.
            published: self.pool.published_at.is_some(),
            invited: &self.invited,
        }
    }

    pub fn closes(&self) -> Timestamp {
        crate::committee::instant(self.pool.closes_at)
    }

    pub fn opens(&self) -> Timestamp {
        crate::committee::instant(self.pool.opens_at)
    }
}

pub(crate) async fn load(conn: &mut Conn, pool_id: i64) -> Result<LoadedPool> {
    let pool = stored::get(conn, pool_id)
        .await?
        .ok_or(AppError::NotFound("pool"))?;
    let state = PoolState::parse(&pool.state)
        .ok_or_else(|| AppError::Internal(format!("pool {pool_id} has an unknown state")))?;
    let invited = stored::invitations(conn, pool_id).await?;
    Ok(LoadedPool { pool, state, invited })
}

/// Loads a pool for a use-case: a visitor is asked to sign in before learning whether it exists.
pub(crate) async fn load_for(actor: &Actor, conn: &mut Conn, pool_id: i64) -> Result<LoadedPool> {
    if matches!(actor, Actor::Visitor) {
        return Err(AppError::Unauthenticated);
    }
    load(conn, pool_id).await
}

/// Who may read the pool at all; others learn nothing of it.
pub(crate) fn view(actor: &Actor, loaded: &LoadedPool) -> Result<()> {
    authorize(actor, &Action::ViewPool(loaded.facts())).map_err(|d| AppError::hiding(d, "pool"))
}

/// The staff of the pool's cluster; readers who are not learn they may not, others nothing.
pub(crate) fn manage(actor: &Actor, loaded: &LoadedPool) -> Result<()> {
    if authorize(
        actor,
        &Action::ManagePools {
            cluster_id: loaded.pool.cluster_id,
        },
    )
    .is_ok()
    {
        return Ok(());
    }
    view(actor, loaded)?;
    Err(AppError::Forbidden)
}

pub(crate) fn is_staff(actor: &Actor, cluster_id: i64) -> bool {
    authorize(actor, &Action::ManagePools { cluster_id }).is_ok()
}

pub(crate) fn conflict(message: impl Into<String>) -> AppError {
    AppError::Conflict(message.into())
}

/// Stored decimal text as a decimal (it was written from one).
pub(crate) fn decimal(text: &str) -> Result<Decimal> {
    text.parse::<Decimal>()
        .map_err(|_| AppError::Internal(format!("stored amount '{text}' is not a decimal")))
}

/// The category's French label (mails), the code itself for an unknown one.
pub(crate) fn category_label(code: &str) -> String {
    Category::parse(code).map_or_else(|| code.to_owned(), |c| c.label_fr().to_owned())
}

/// The pool's phase as readers see it: the state, with an open pool before its opening instant
/// "scheduled" and one past its closing instant "closing" (the closing task has yet to run).
pub fn phase(pool: &Pool, now: Timestamp) -> &'static str {
    let now = now.as_millisecond();
    match PoolState::parse(&pool.state) {
        Some(PoolState::Open) if now < pool.opens_at => "scheduled",
        Some(PoolState::Open) if now >= pool.closes_at => "closing",
        Some(state) => state.as_str(),
        None => "unknown",
    }
}
