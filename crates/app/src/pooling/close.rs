//! The close: every open pool whose closing instant has passed is closed and settled with
//! `domain::pooling::settle` — below its minimum (nobody bound, everyone told), infeasible (the
//! suppliers' maximum volumes fall short), without offers, or with an award computed exactly and
//! stored as decimal text for the staff to confirm. Also the mails of a pool's life.

use domain::committee::paris;
use domain::pooling::{Commitment, Offer, PoolOutcome, PoolingError, Tier, settle};
use store::pooling::{self as stored, AwardLine, AwardShare, AwardTotals, Pool};
use store::{Conn, StoreError};

use super::{category_label, decimal, load};
use crate::audit::Entry;
use crate::{App, AppError, Result};

impl App {
    /// Closes the pools whose commitment window has ended and settles them; returns the ids of
    /// the pools this call settled. A pool that cannot be settled is logged and left for the next
    /// run; the others go on. Two closers (the server's task and `passerelle pools close-due`)
    /// settle a pool once: the close and the outcome are both guarded updates.
    #[tracing::instrument(skip(self))]
    pub async fn close_due_pools(&self) -> Result<Vec<i64>> {
        let due = {
            let mut conn = self.store.conn().await?;
            stored::due(&mut conn, store::now_ms()).await?
        };
        let mut closed = Vec::new();
        for id in due {
            match self.close_pool(id).await {
                Ok(true) => closed.push(id),
                Ok(false) => {}
                Err(error) => tracing::error!(pool = id, %error, "closing a pool failed; will retry"),
            }
        }
        Ok(closed)
    }

    /// Closes one pool and settles it in three steps: the close, a guarded update that waits for
    /// any commitment or offer under way (they lock the pool row) and after which nothing is
    /// taken; the settlement, computed on a blocking thread outside any transaction from what was
    /// read after the close; and the outcome, recorded by a guarded update (once, whoever gets
    /// there first) with its audit row, then the mails.
    async fn close_pool(&self, pool_id: i64) -> Result<bool> {
        let now = store::now_ms();
        {
            let mut tx = self.store.begin().await?;
            let closed = stored::close(&mut tx, pool_id, now).await?;
            tx.commit().await.map_err(StoreError::from)?;
            if !closed {
                // Another closer was first, or an interrupted settlement is resumed below.
                let mut conn = self.store.conn().await?;
                let pool = stored::get(&mut conn, pool_id).await?;
                if !pool.is_some_and(|p| p.state == "closed" && p.outcome.is_none()) {
                    return Ok(false);
                }
            }
        }
        let (loaded, commitments, offers) = {
            let mut conn = self.store.conn().await?;
            let loaded = load(&mut conn, pool_id).await?;
            let commitments = stored::commitments(&mut conn, pool_id).await?;
            let offers = stored::unsealed_offers(&mut conn, pool_id, now.max(loaded.pool.closes_at)).await?;
            (loaded, commitments, offers)
        };
        let committed: i64 = commitments.iter().map(|c| c.volume).sum();
        let (outcome, award) = {
            let pool = loaded.pool.clone();
            let (commitments, offers) = (commitments.clone(), offers.clone());
            tokio::task::spawn_blocking(move || settled(&pool, &commitments, &offers))
                .await
                .map_err(|e| AppError::Internal(format!("settling pool {pool_id}: {e}")))??
        };
        let mut tx = self.store.begin().await?;
        let award_ref = award.as_ref().map(|(t, l, s)| (t, l.as_slice(), s.as_slice()));
        if !stored::record_outcome(&mut tx, pool_id, outcome, committed, award_ref).await? {
            return Ok(false);
        }
        Entry::bare(None, "pool_close", "pool", pool_id)
            .before(&"open")
            .after(&serde_json::json!({
                "state": "closed",
                "outcome": outcome,
                "committed_volume": committed,
                "commitments": commitments.len(),
                "offers": offers.len(),
                "award_total": award.as_ref().map(|(t, _, _)| t.total.clone()),
            }))
            .write(&mut tx)
            .await?;
        let parties = if outcome == "award" {
            Vec::new()
        } else {
            super::manage::parties(&mut tx, &loaded).await?
        };
        let staff = staff_addresses(&mut tx, loaded.pool.cluster_id).await?;
        tx.commit().await.map_err(StoreError::from)?;
        self.announce_outcome(&loaded, outcome, &parties, &staff).await;
        Ok(true)
    }

    /// The mails of a settled pool: without an award, everyone it concerns learns that nobody is
    /// bound (and why, in general terms: no figure of anyone's); the staff learn the outcome, and
    /// that an award awaits their confirmation.
    async fn announce_outcome(
        &self,
        loaded: &super::LoadedPool,
        outcome: &str,
        parties: &[String],
        staff: &[String],
    ) {
        let pool = &loaded.pool;
        let url = self.pool_url(pool.id);
        let closes = paris::display(loaded.closes());
        let (why_fr, why_en) = match outcome {
            "below_minimum" => (
                format!(
                    "les engagements n'ont pas atteint son minimum de {} {}",
                    pool.minimum_volume, pool.unit
                ),
                format!(
                    "the commitments fell short of its minimum of {} {}",
                    pool.minimum_volume, pool.unit
                ),
            ),
            "infeasible" => (
                "les fournisseurs ne peuvent pas livrer ensemble le volume engagé".to_owned(),
                "the suppliers together cannot deliver the committed volume".to_owned(),
            ),
            "no_offer" => (
                "aucun fournisseur n'a fait d'offre".to_owned(),
                "no supplier made an offer".to_owned(),
            ),
            "too_complex" | "invalid" => (
                "l'attribution n'a pas pu être calculée ; l'équipe du pôle décide de la suite".to_owned(),
                "the award could not be computed; the cluster staff decide what follows".to_owned(),
            ),
            _ => (String::new(), String::new()),
        };
        if outcome != "award" {
            let subject = format!(
                "Achat groupé « {} » : rien n'est attribué / Nothing awarded",
                pool.title
            );
            let body = format!(
                "L'achat groupé « {title} » a clos le {closes} : {why_fr}. Personne n'est engagé, rien \
                 n'est attribué.\n\n\
                 The pool “{title}” closed on {closes}: {why_en}. Nobody is bound, nothing is \
                 awarded.\n\n{url}\n",
                title = pool.title,
            );
            self.mail_all(parties, &subject, &body).await;
        }
        let subject = if outcome == "award" {
            format!(
                "Achat groupé « {} » : attribution à confirmer / Award to confirm",
                pool.title
            )
        } else {
            format!(
                "Achat groupé « {} » clos : {outcome} / Pool closed: {outcome}",
                pool.title
            )
        };
        let body = if outcome == "award" {
            format!(
                "L'achat groupé « {title} » a clos le {closes} ; l'attribution est calculée et attend \
                 votre confirmation.\n\n\
                 The pool “{title}” closed on {closes}; its award is computed and awaits your \
                 confirmation.\n\n{url}/manage\n",
                title = pool.title,
            )
        } else {
            format!(
                "L'achat groupé « {title} » a clos le {closes} sans attribution ({outcome}) : \
                 {why_fr}. Vous pouvez l'annuler.\n\n\
                 The pool “{title}” closed on {closes} without an award ({outcome}): {why_en}. You \
                 may cancel it.\n\n{url}/manage\n",
                title = pool.title,
            )
        };
        self.mail_all(staff, &subject, &body).await;
    }

    /// Closes due pools every `every`, for `serve`. Seals follow the closing instant itself; this
    /// keeps the state and the award current.
    pub fn spawn_pool_closing(&self, every: std::time::Duration) -> tokio::task::JoinHandle<()> {
        self.spawn_every(
            "pools closed",
            every,
            |app| async move { app.close_due_pools().await },
        )
    }

    pub(crate) fn pool_url(&self, pool_id: i64) -> String {
        format!("{}/pools/{pool_id}", self.config.public_url.trim_end_matches('/'))
    }

    /// Tells the invited suppliers a pool is published (after the change is committed).
    pub(crate) async fn announce_pool(&self, pool: &Pool, recipients: &[String]) {
        let subject = format!("Invitation : achat groupé « {} » / Pool invitation", pool.title);
        let body = format!(
            "Le pôle vous invite à faire une offre sous pli scellé pour l'achat groupé « {title} » \
             ({category}, en {unit}). Offres du {opens} au {closes} ; elles ne sont ouvertes qu'à \
             la clôture.\n\n\
             The cluster invites you to make a sealed offer to the pool “{title}”, from {opens} to \
             {closes}; offers are opened only at the close.\n\n{url}\n",
            title = pool.title,
            category = category_label(&pool.category),
            unit = pool.unit,
            opens = paris::display(crate::committee::instant(pool.opens_at)),
            closes = paris::display(crate::committee::instant(pool.closes_at)),
            url = self.pool_url(pool.id),
        );
        self.mail_all(recipients, &subject, &body).await;
    }

    pub(crate) async fn announce_cancellation(&self, pool: &Pool, recipients: &[String]) {
        let subject = format!("Achat groupé « {} » annulé / Pool cancelled", pool.title);
        let reason = pool.cancel_reason.clone().unwrap_or_default();
        let body = format!(
            "L'achat groupé « {title} » est annulé : personne n'est engagé.\n\n{reason}\n\n\
             The pool “{title}” is cancelled: nobody is bound.\n\n{url}\n",
            title = pool.title,
            url = self.pool_url(pool.id),
        );
        self.mail_all(recipients, &subject, &body).await;
    }

    /// The letters of a confirmed award: (addresses, subject, body) per SME and per supplier.
    pub(crate) async fn award_letters(
        &self,
        conn: &mut Conn,
        pool: &Pool,
    ) -> Result<Vec<(Vec<String>, String, String)>> {
        let mut letters = Vec::new();
        let url = self.pool_url(pool.id);
        let subject = format!("Achat groupé « {} » attribué / Pool awarded", pool.title);
        for share in stored::award_shares(conn, pool.id).await? {
            let to = crate::committee::addresses_of(conn, &[share.organisation_id]).await?;
            let (fr, en) = (Figures("fr"), Figures("en"));
            let body = format!(
                "L'achat groupé « {title} » est attribué. Pour vos {volume_fr} {unit} : nouveau prix \
                 unitaire {new_price_fr} (au lieu de {current_price_fr}), coût {new_cost_fr} (au lieu \
                 de {current_cost_fr}), économie {savings_fr}.\n\n\
                 The pool “{title}” is awarded. For your {volume_en} {unit}: new unit price \
                 {new_price_en} (was {current_price_en}), cost {new_cost_en} (was {current_cost_en}), \
                 savings {savings_en}.\n\n{url}\n",
                title = pool.title,
                unit = pool.unit,
                volume_fr = fr.volume(share.volume),
                volume_en = en.volume(share.volume),
                new_price_fr = fr.price(&share.new_unit_price),
                new_price_en = en.price(&share.new_unit_price),
                current_price_fr = fr.price(&share.current_price),
                current_price_en = en.price(&share.current_price),
                new_cost_fr = fr.euros(&share.new_cost),
                new_cost_en = en.euros(&share.new_cost),
                current_cost_fr = fr.euros(&share.current_cost),
                current_cost_en = en.euros(&share.current_cost),
                savings_fr = fr.euros(&share.savings),
                savings_en = en.euros(&share.savings),
            );
            letters.push((to, subject.clone(), body));
        }
        for line in stored::award_lines(conn, pool.id).await? {
            let to = crate::committee::addresses_of(conn, &[line.organisation_id]).await?;
            let body = if line.volume > 0 {
                let (fr, en) = (Figures("fr"), Figures("en"));
                let price = line.unit_price.clone().unwrap_or_default();
                format!(
                    "L'achat groupé « {title} » vous est attribué pour {volume_fr} {unit} au prix \
                     unitaire de {price_fr}, soit un montant de {cost_fr}.\n\n\
                     The pool “{title}” awards you {volume_en} {unit} at a unit price of {price_en}, \
                     an amount of {cost_en}.\n\n{url}\n",
                    title = pool.title,
                    unit = pool.unit,
                    volume_fr = fr.volume(line.volume),
                    volume_en = en.volume(line.volume),
                    price_fr = fr.price(&price),
                    price_en = en.price(&price),
                    cost_fr = fr.euros(&line.cost),
                    cost_en = en.euros(&line.cost),
                )
            } else {
                format!(
                    "L'achat groupé « {title} » est attribué ; votre offre n'a pas été retenue.\n\n\
                     The pool “{title}” is awarded; your offer was not retained.\n\n{url}\n",
                    title = pool.title,
                )
            };
            letters.push((to, subject.clone(), body));
        }
        Ok(letters)
    }
}

/// Stored figures written for a mail in one language (`domain::display`).
struct Figures(&'static str);

impl Figures {
    fn euros(&self, text: &str) -> String {
        text.parse()
            .map_or_else(|_| text.to_owned(), |d| domain::display::euros(d, self.0))
    }

    fn price(&self, text: &str) -> String {
        text.parse()
            .map_or_else(|_| text.to_owned(), |d| domain::display::decimal(d, 4, self.0))
    }

    fn volume(&self, units: i64) -> String {
        domain::display::decimal(units.into(), 0, self.0)
    }
}

pub(crate) type Settled = (
    &'static str,
    Option<(AwardTotals, Vec<AwardLine>, Vec<AwardShare>)>,
);

/// The addresses of the staff of a cluster (those who may manage its pools).
async fn staff_addresses(conn: &mut Conn, cluster_id: i64) -> Result<Vec<String>> {
    let mut addresses = Vec::new();
    for (person_id, email) in stored::cluster_people(conn, cluster_id).await? {
        if let Some(principal) = crate::actor::load_principal(conn, person_id).await?
            && super::is_staff(&domain::policy::Actor::Person(principal), cluster_id)
        {
            addresses.push(email);
        }
    }
    Ok(addresses)
}

/// Settles a closing pool from its stored commitments (earliest first) and offers: the outcome
/// (award, below_minimum, infeasible, no_offer, too_complex or invalid) and the award's rows.
pub(crate) fn settled(
    pool: &Pool,
    commitments: &[stored::Commitment],
    offers: &[stored::Offer],
) -> Result<Settled> {
    let domain_commitments = commitments
        .iter()
        .map(|c| {
            Ok(Commitment {
                volume: c.volume.max(0) as u64,
                current_price: decimal(&c.current_price)?,
            })
        })
        .collect::<Result<Vec<_>>>()?;
    let domain_offers = offers
        .iter()
        .map(|o| {
            Ok(Offer {
                tiers: o
                    .tiers
                    .iter()
                    .map(|t| {
                        Ok(Tier {
                            from_volume: t.from_volume.max(0) as u64,
                            unit_price: decimal(&t.unit_price)?,
                        })
                    })
                    .collect::<Result<Vec<_>>>()?,
                max_volume: o.max_volume.map(|m| m.max(0) as u64),
            })
        })
        .collect::<Result<Vec<_>>>()?;
    let minimum = pool.minimum_volume.max(1) as u64;
    match settle(minimum, &domain_commitments, &domain_offers) {
        Ok(PoolOutcome::BelowMinimum { .. }) => Ok(("below_minimum", None)),
        Ok(PoolOutcome::Awarded(award)) => {
            let totals = AwardTotals {
                total: award.total_cost.to_string(),
                unit_price: award.unit_price.to_string(),
                current_total: award.current_total.to_string(),
                savings: award.total_savings.to_string(),
            };
            let lines = award
                .suppliers
                .iter()
                .zip(offers)
                .map(|(line, offer)| AwardLine {
                    organisation_id: offer.organisation_id,
                    volume: line.volume as i64,
                    unit_price: line.unit_price.map(|p| p.to_string()),
                    cost: line.cost.to_string(),
                })
                .collect();
            let shares = award
                .shares
                .iter()
                .zip(commitments)
                .enumerate()
                .map(|(k, (share, commitment))| AwardShare {
                    organisation_id: commitment.organisation_id,
                    position: k as i64,
                    volume: share.volume as i64,
                    current_price: share.current_price.to_string(),
                    current_cost: share.current_cost.to_string(),
                    new_unit_price: share.new_unit_price.to_string(),
                    new_cost: share.new_cost.to_string(),
                    savings: share.savings.to_string(),
                })
                .collect();
            Ok(("award", Some((totals, lines, shares))))
        }
        Err(PoolingError::Infeasible { .. }) => Ok(("infeasible", None)),
        Err(PoolingError::NoOffer) => Ok(("no_offer", None)),
        Err(PoolingError::TooComplex { budget }) => {
            tracing::warn!(
                pool = pool.id,
                budget,
                "the exact award needs more than the work budget"
            );
            Ok(("too_complex", None))
        }
        Err(error) => {
            // Every commitment and offer was checked when written; a stored one that no longer
            // passes is a bug to look at. The pool is closed `invalid` (the staff decide) rather
            // than retried for ever.
            tracing::error!(pool = pool.id, %error, "stored pool figures refused at the close");
            Ok(("invalid", None))
        }
    }
}
