//! The staff's side of a pool: create and edit a draft, choose the invited suppliers, publish,
//! cancel with a reason, confirm the award computed at the close.

use domain::committee::paris;
use domain::policy::{Action, Actor, authorize};
use domain::pooling::money::MAX_TOTAL_VOLUME;
use domain::pooling::{Category, PoolState};
use jiff::Timestamp;
use serde::{Deserialize, Serialize};
use store::pooling::{self as stored, Pool, PoolFields};
use store::{StoreError, clusters};

use super::{LoadedPool, conflict, load_for, manage};
use crate::audit::Entry;
use crate::{App, AppError, FieldError, Result};

const TITLE_CHARS: usize = 200;
const SPECIFICATION_CHARS: usize = 8_000;
const UNIT_CHARS: usize = 30;
const REASON_CHARS: usize = 2_000;
use domain::pooling::pool::MAX_SUPPLIERS;

/// A pool as the staff type it: times are Paris wall-clock `YYYY-MM-DDTHH:MM`, the minimum a whole
/// number of units.
#[derive(Debug, Clone, Default, Deserialize, Serialize)]
pub struct PoolInput {
    pub title: String,
    pub category: String,
    pub specification: String,
    pub unit: String,
    pub opens_at: String,
    pub closes_at: String,
    pub minimum_volume: String,
}

/// A whole number of units, at least 1.
pub(crate) fn units(field: &str, text: &str, max: u64) -> std::result::Result<u64, FieldError> {
    let text = text.trim().replace([' ', '\u{a0}', '\u{202f}'], "");
    if text.is_empty() {
        return Err(FieldError::new(field, "a whole number of units is required"));
    }
    match text.parse::<i128>() {
        Ok(n) if n < 1 => Err(FieldError::new(field, "a volume is at least 1 unit")),
        Ok(n) if n > i128::from(max) => Err(FieldError::new(field, format!("at most {max} units"))),
        Ok(n) => Ok(n as u64),
        Err(_) => Err(FieldError::new(
            field,
            format!(
                "'{}' is not a whole number of units",
                text.chars().take(30).collect::<String>()
            ),
        )),
    }
}

fn validate(input: &PoolInput) -> Result<PoolFields> {
    let mut issues = Vec::new();
    let mut text = |field: &'static str, value: &str, max: usize, multiline: bool| {
        let checked = if multiline {
            domain::text::multiline(field, value, max)
        } else {
            domain::text::optional(field, value, max)
        };
        match checked {
            Ok(Some(text)) => text,
            Ok(None) => {
                issues.push(FieldError::new(field, format!("{field} is required")));
                String::new()
            }
            Err(e) => {
                issues.push(FieldError::new(field, e));
                String::new()
            }
        }
    };
    let title = text("title", &input.title, TITLE_CHARS, false);
    let specification = text("specification", &input.specification, SPECIFICATION_CHARS, true);
    let unit = text("unit", &input.unit, UNIT_CHARS, false);
    let category = match Category::parse(input.category.trim()) {
        Some(c) => c.as_str().to_owned(),
        None => {
            let codes: Vec<&str> = Category::ALL.iter().map(|c| c.as_str()).collect();
            issues.push(FieldError::new(
                "category",
                format!("choose one of {}", codes.join(", ")),
            ));
            String::new()
        }
    };
    let mut instant = |field: &str, value: &str| match paris::parse_local(value) {
        Ok(at) => Some(at),
        Err(e) => {
            issues.push(FieldError::new(field, e));
            None
        }
    };
    let opens = instant("opens_at", &input.opens_at);
    let closes = instant("closes_at", &input.closes_at);
    if let (Some(opens), Some(closes)) = (opens, closes) {
        if closes <= opens {
            issues.push(FieldError::new("closes_at", "the pool closes after it opens"));
        } else if closes <= Timestamp::now() {
            issues.push(FieldError::new(
                "closes_at",
                "the closing instant must be in the future",
            ));
        }
    }
    let minimum = units("minimum_volume", &input.minimum_volume, MAX_TOTAL_VOLUME)
        .map_err(|e| issues.push(e))
        .unwrap_or(0);
    if !issues.is_empty() {
        return Err(AppError::Invalid(issues));
    }
    Ok(PoolFields {
        title,
        category,
        specification,
        unit,
        opens_at: opens.map_or(0, |t| t.as_millisecond()),
        closes_at: closes.map_or(0, |t| t.as_millisecond()),
        minimum_volume: minimum as i64,
    })
}

/// Member organisations offered at once to the staff choosing suppliers; a search narrows them.
const CANDIDATES: i64 = 200;

impl App {
    /// The member organisations of the pool's cluster the staff may invite (by name, `query`
    /// narrowing them), at most 200.
    pub async fn pool_supplier_candidates(
        &self,
        actor: &Actor,
        pool_id: i64,
        query: &str,
    ) -> Result<Vec<super::OrgRef>> {
        let mut conn = self.store.conn().await?;
        let loaded = load_for(actor, &mut conn, pool_id).await?;
        manage(actor, &loaded)?;
        let page = store::organisations::list_members(
            &mut conn,
            loaded.pool.cluster_id,
            query.trim(),
            0,
            CANDIDATES,
        )
        .await?;
        Ok(page
            .items
            .into_iter()
            .map(|o| super::OrgRef {
                id: o.id,
                name: o.fields.legal_name,
            })
            .collect())
    }

    /// Creates a draft pool in a cluster (its staff).
    #[tracing::instrument(skip(self, actor, input))]
    pub async fn create_pool(&self, actor: &Actor, cluster_id: i64, input: &PoolInput) -> Result<Pool> {
        let mut tx = self.store.begin().await?;
        clusters::get(&mut tx, cluster_id)
            .await?
            .ok_or(AppError::NotFound("cluster"))?;
        authorize(actor, &Action::ManagePools { cluster_id })?;
        let fields = validate(input)?;
        let by = crate::actor::actor_id(actor);
        let id = stored::create(&mut tx, cluster_id, &fields, by, store::now_ms()).await?;
        let pool = stored::get(&mut tx, id)
            .await?
            .ok_or(AppError::NotFound("pool"))?;
        Entry::by(actor, "pool_create", "pool", id)
            .after(&fields)
            .write(&mut tx)
            .await?;
        tx.commit().await.map_err(StoreError::from)?;
        Ok(pool)
    }

    /// Rewrites a draft pool; a published one is no longer edited (409).
    #[tracing::instrument(skip(self, actor, input))]
    pub async fn update_pool(&self, actor: &Actor, pool_id: i64, input: &PoolInput) -> Result<Pool> {
        let mut tx = self.store.begin().await?;
        let loaded = load_for(actor, &mut tx, pool_id).await?;
        manage(actor, &loaded)?;
        if loaded.state != PoolState::Draft {
            return Err(conflict(format!(
                "the pool is {} and can no longer be edited",
                loaded.state
            )));
        }
        let fields = validate(input)?;
        let by = crate::actor::actor_id(actor);
        if !stored::update_draft(&mut tx, pool_id, &fields, by, store::now_ms()).await? {
            return Err(conflict("the pool was published meanwhile; reload it"));
        }
        let pool = stored::get(&mut tx, pool_id)
            .await?
            .ok_or(AppError::NotFound("pool"))?;
        Entry::by(actor, "pool_update", "pool", pool_id)
            .before(&loaded.pool)
            .after(&fields)
            .write(&mut tx)
            .await?;
        tx.commit().await.map_err(StoreError::from)?;
        Ok(pool)
    }

    /// Replaces the invited suppliers of a draft: organisations that are members of the cluster.
    #[tracing::instrument(skip(self, actor))]
    pub async fn set_pool_suppliers(
        &self,
        actor: &Actor,
        pool_id: i64,
        suppliers: &[i64],
    ) -> Result<Vec<i64>> {
        let mut tx = self.store.begin().await?;
        let loaded = load_for(actor, &mut tx, pool_id).await?;
        manage(actor, &loaded)?;
        if loaded.state != PoolState::Draft {
            return Err(conflict(format!(
                "the pool is {}: its suppliers were invited at publication and no longer change",
                loaded.state
            )));
        }
        let mut chosen: Vec<i64> = Vec::new();
        let mut issues = Vec::new();
        if suppliers.len() > MAX_SUPPLIERS {
            issues.push(FieldError::new(
                "suppliers",
                format!("at most {MAX_SUPPLIERS} suppliers"),
            ));
        }
        for (k, &organisation_id) in suppliers.iter().enumerate().take(MAX_SUPPLIERS) {
            let member = clusters::of_organisation(&mut tx, organisation_id)
                .await?
                .contains(&loaded.pool.cluster_id);
            if !member {
                issues.push(FieldError::new(
                    &format!("suppliers[{k}]"),
                    "not a member organisation of the cluster",
                ));
            } else if !chosen.contains(&organisation_id) {
                chosen.push(organisation_id);
            }
        }
        if !issues.is_empty() {
            return Err(AppError::Invalid(issues));
        }
        chosen.sort_unstable();
        let by = crate::actor::actor_id(actor);
        if !stored::set_invitations(&mut tx, pool_id, &chosen, by, store::now_ms()).await? {
            return Err(conflict("the pool was published meanwhile; reload it"));
        }
        Entry::by(actor, "pool_suppliers", "pool", pool_id)
            .before(&loaded.invited)
            .after(&chosen)
            .write(&mut tx)
            .await?;
        tx.commit().await.map_err(StoreError::from)?;
        Ok(chosen)
    }

    /// Publishes a draft: members may read it and commit from its opening instant, the invited
    /// suppliers are told by e-mail.
    #[tracing::instrument(skip(self, actor))]
    pub async fn publish_pool(&self, actor: &Actor, pool_id: i64) -> Result<Pool> {
        let mut tx = self.store.begin().await?;
        let loaded = load_for(actor, &mut tx, pool_id).await?;
        manage(actor, &loaded)?;
        if loaded.state != PoolState::Draft {
            return Err(conflict(format!("the pool is {} already", loaded.state)));
        }
        let now = store::now_ms();
        let mut issues = Vec::new();
        if loaded.invited.is_empty() {
            issues.push(FieldError::new(
                "suppliers",
                "invite at least one supplier before publishing",
            ));
        }
        if loaded.pool.closes_at <= now {
            issues.push(FieldError::new(
                "closes_at",
                "the closing instant has passed: move it before publishing",
            ));
        }
        if !issues.is_empty() {
            return Err(AppError::Invalid(issues));
        }
        let by = crate::actor::actor_id(actor);
        if !stored::publish(&mut tx, pool_id, by, now).await? {
            return Err(conflict("the pool changed meanwhile; reload it"));
        }
        let pool = stored::get(&mut tx, pool_id)
            .await?
            .ok_or(AppError::NotFound("pool"))?;
        Entry::by(actor, "pool_publish", "pool", pool_id)
            .before(&loaded.pool.state)
            .after(&pool.state)
            .write(&mut tx)
            .await?;
        let invited = crate::committee::addresses_of(&mut tx, &loaded.invited).await?;
        tx.commit().await.map_err(StoreError::from)?;
        self.announce_pool(&pool, &invited).await;
        Ok(pool)
    }

    /// Cancels a draft, open or closed pool with a reason; the committed organisations and the
    /// invited suppliers are told (nobody is bound).
    #[tracing::instrument(skip(self, actor, reason))]
    pub async fn cancel_pool(&self, actor: &Actor, pool_id: i64, reason: &str) -> Result<Pool> {
        let mut tx = self.store.begin().await?;
        let loaded = load_for(actor, &mut tx, pool_id).await?;
        manage(actor, &loaded)?;
        if !loaded.state.cancellable() {
            return Err(conflict(format!(
                "the pool is {} and can no longer be cancelled",
                loaded.state
            )));
        }
        let now = store::now_ms();
        if loaded.state == PoolState::Open && now >= loaded.pool.closes_at {
            // Its offers are open to the staff and the close is under way: settle first.
            return Err(conflict(
                "the pool has closed and is being settled; cancel it once settled",
            ));
        }
        let reason = match domain::text::multiline("reason", reason, REASON_CHARS) {
            Ok(Some(text)) => text,
            Ok(None) => {
                return Err(AppError::invalid(
                    "reason",
                    "say why the pool is cancelled: its members and suppliers are told",
                ));
            }
            Err(e) => return Err(AppError::invalid("reason", e)),
        };
        let by = crate::actor::actor_id(actor);
        if !stored::cancel(&mut tx, pool_id, loaded.state.as_str(), &reason, by, now).await? {
            return Err(conflict("the pool changed meanwhile; reload it"));
        }
        let pool = stored::get(&mut tx, pool_id)
            .await?
            .ok_or(AppError::NotFound("pool"))?;
        Entry::by(actor, "pool_cancel", "pool", pool_id)
            .before(&loaded.pool.state)
            .after(&serde_json::json!({ "state": pool.state, "reason": reason }))
            .write(&mut tx)
            .await?;
        let recipients = if loaded.state == PoolState::Draft {
            Vec::new()
        } else {
            parties(&mut tx, &loaded).await?
        };
        tx.commit().await.map_err(StoreError::from)?;
        self.announce_cancellation(&pool, &recipients).await;
        Ok(pool)
    }

    /// Confirms the award computed at the close: the pool becomes awarded, each SME is told its
    /// new price and savings, each supplier its volume and amount. Once only (409 after).
    #[tracing::instrument(skip(self, actor))]
    pub async fn confirm_pool_award(&self, actor: &Actor, pool_id: i64) -> Result<Pool> {
        let mut tx = self.store.begin().await?;
        let loaded = load_for(actor, &mut tx, pool_id).await?;
        manage(actor, &loaded)?;
        if loaded.state != PoolState::Closed || loaded.pool.outcome.as_deref() != Some("award") {
            return Err(conflict(match (loaded.state, loaded.pool.outcome.as_deref()) {
                (PoolState::Closed, Some(outcome)) => {
                    format!("the pool closed without an award ({outcome}); it can only be cancelled")
                }
                (PoolState::Draft | PoolState::Open, _) => {
                    format!("the pool is {}: an award is computed at its close", loaded.state)
                }
                (state, _) => format!("the pool is {state}; there is no award to confirm"),
            }));
        }
        let by = crate::actor::actor_id(actor);
        if !stored::confirm_award(&mut tx, pool_id, by, store::now_ms()).await? {
            return Err(conflict("the pool changed meanwhile; reload it"));
        }
        let pool = stored::get(&mut tx, pool_id)
            .await?
            .ok_or(AppError::NotFound("pool"))?;
        Entry::by(actor, "pool_award", "pool", pool_id)
            .before(&loaded.pool.state)
            .after(&serde_json::json!({ "state": pool.state, "total": pool.award_total }))
            .write(&mut tx)
            .await?;
        let letters = self.award_letters(&mut tx, &pool).await?;
        tx.commit().await.map_err(StoreError::from)?;
        for (to, subject, body) in letters {
            self.mail_all(&to, &subject, &body).await;
        }
        Ok(pool)
    }
}

/// The addresses of everyone a published pool's fate concerns: the committed organisations' people
/// and the invited suppliers'.
pub(crate) async fn parties(conn: &mut store::Conn, loaded: &LoadedPool) -> Result<Vec<String>> {
    let mut organisations: Vec<i64> = stored::commitments(conn, loaded.pool.id)
        .await?
        .into_iter()
        .map(|c| c.organisation_id)
        .collect();
    organisations.extend(&loaded.invited);
    organisations.sort_unstable();
    organisations.dedup();
    crate::committee::addresses_of(conn, &organisations).await
}
