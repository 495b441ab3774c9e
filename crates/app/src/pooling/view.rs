//! What each reader of a pool sees. Everyone who may read a published pool sees its
//! specification, window, minimum and a progress band (under half the minimum, half or more,
//! reached) — not the committed volume nor how many committed, which would give a peer's volume
//! away when two organisations commit. Each party sees its own commitment or offer and, once
//! awarded, its own share or line. The staff see the exact progress, every commitment, nothing of
//! the offers while they are sealed (not even how many stand), every offer once the closing
//! instant has passed (the store's statement checks it), and the award.

use domain::policy::{Action, Actor, authorize};
use domain::pooling::PoolState;
use jiff::Timestamp;
use store::Conn;
use store::pooling::{self as stored, AwardLine, AwardShare, Pool};

use super::{LoadedPool, conflict, is_staff, load, load_for, manage, phase, view};
use crate::committee::organisation_name;
use crate::spreadsheet::{self, Cell, Download, Table, english};
use crate::{App, AppError, Result};

#[derive(Debug, Clone)]
pub struct OrgRef {
    pub id: i64,
    pub name: String,
}

async fn org(conn: &mut Conn, id: i64) -> Result<OrgRef> {
    Ok(OrgRef {
        id,
        name: organisation_name(conn, id).await?,
    })
}

/// How far the commitments stand from the minimum, as the reader may see it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Progress {
    pub minimum_reached: bool,
    /// under_half, half_or_more or reached.
    pub band: &'static str,
    /// The staff's alone: how many organisations committed, and their volume together.
    pub exact: Option<ExactProgress>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ExactProgress {
    pub committers: i64,
    pub volume: i64,
}

impl Progress {
    fn of(minimum: i64, committers: i64, volume: i64, staff: bool) -> Progress {
        let band = if volume >= minimum {
            "reached"
        } else if volume.saturating_mul(2) >= minimum {
            "half_or_more"
        } else {
            "under_half"
        };
        Progress {
            minimum_reached: volume >= minimum,
            band,
            exact: staff.then_some(ExactProgress { committers, volume }),
        }
    }
}

async fn progress(conn: &mut Conn, pool: &Pool, staff: bool) -> Result<Progress> {
    let (committers, volume) = stored::progress(conn, pool.id).await?;
    Ok(Progress::of(pool.minimum_volume, committers, volume, staff))
}

/// The pool's row as a reader who is not the staff may see it: the figures of the close (the
/// committed volume, the award's totals) are the staff's.
fn scrubbed(mut pool: Pool, staff: bool) -> Pool {
    if !staff {
        pool.committed_volume = None;
        pool.award_total = None;
        pool.award_unit_price = None;
        pool.award_current_total = None;
        pool.award_savings = None;
    }
    pool
}

/// A pool in a list.
#[derive(Debug, Clone)]
pub struct PoolSummary {
    pub pool: Pool,
    /// draft, scheduled, open, closing, closed, awarded or cancelled.
    pub phase: &'static str,
    pub progress: Progress,
}

#[derive(Debug, Clone)]
pub struct NamedCommitment {
    pub organisation: OrgRef,
    pub commitment: stored::Commitment,
}

#[derive(Debug, Clone)]
pub struct NamedOffer {
    pub organisation: OrgRef,
    pub offer: stored::Offer,
}

#[derive(Debug, Clone)]
pub struct NamedLine {
    pub organisation: OrgRef,
    pub line: AwardLine,
}

#[derive(Debug, Clone)]
pub struct NamedShare {
    pub organisation: OrgRef,
    pub share: AwardShare,
}

/// The award as its reader may see it: the staff everything, with totals; an SME its own share,
/// a supplier its own line, without the totals.
#[derive(Debug, Clone)]
pub struct AwardTable {
    pub pool_id: i64,
    /// The pooled volume: the staff's (a party learns only its own).
    pub volume: Option<i64>,
    pub total: Option<String>,
    pub unit_price: Option<String>,
    pub current_total: Option<String>,
    pub savings: Option<String>,
    pub lines: Vec<NamedLine>,
    pub shares: Vec<NamedShare>,
    /// Whether the staff confirmed it (the pool is awarded).
    pub confirmed: bool,
}

/// A pool as its reader may see it.
#[derive(Debug, Clone)]
pub struct PoolView {
    pub pool: Pool,
    pub phase: &'static str,
    pub progress: Progress,
    /// Whether commitments and offers are taken now.
    pub taking: bool,
    pub is_staff: bool,
    /// Whether the reader may commit for their organisation (buyers and admins of a member).
    pub may_commit: bool,
    /// Whether the reader's organisation is an invited supplier they may offer for.
    pub may_offer: bool,
    pub my_commitment: Option<stored::Commitment>,
    pub my_offer: Option<stored::Offer>,
    /// Once awarded: the reader's organisation's share (an SME) or line (a supplier).
    pub my_share: Option<AwardShare>,
    pub my_line: Option<AwardLine>,
    /// The staff's: the invited suppliers; empty for others.
    pub invited: Vec<OrgRef>,
    /// The staff's: every commitment.
    pub commitments: Option<Vec<NamedCommitment>>,
    /// The staff's, once the closing instant has passed: every offer.
    pub offers: Option<Vec<NamedOffer>>,
    /// The staff's, once computed at the close.
    pub award: Option<AwardTable>,
}

fn organisation_of(actor: &Actor) -> Option<i64> {
    match actor {
        Actor::Person(p) => Some(p.organisation_id),
        Actor::Visitor => None,
    }
}

async fn summary(conn: &mut Conn, pool: Pool, now: Timestamp, staff: bool) -> Result<PoolSummary> {
    Ok(PoolSummary {
        phase: phase(&pool, now),
        progress: progress(conn, &pool, staff).await?,
        pool: scrubbed(pool, staff),
    })
}

async fn award_table(conn: &mut Conn, pool: &Pool, only: Option<i64>) -> Result<AwardTable> {
    let mut lines = Vec::new();
    for line in stored::award_lines(conn, pool.id).await? {
        if only.is_none_or(|o| o == line.organisation_id) {
            lines.push(NamedLine {
                organisation: org(conn, line.organisation_id).await?,
                line,
            });
        }
    }
    let mut shares = Vec::new();
    for share in stored::award_shares(conn, pool.id).await? {
        if only.is_none_or(|o| o == share.organisation_id) {
            shares.push(NamedShare {
                organisation: org(conn, share.organisation_id).await?,
                share,
            });
        }
    }
    let full = only.is_none();
    Ok(AwardTable {
        pool_id: pool.id,
        volume: pool.committed_volume.filter(|_| full),
        total: pool.award_total.clone().filter(|_| full),
        unit_price: pool
            .award_unit_price
            .clone()
            .filter(|_| full || !shares.is_empty()),
        current_total: pool.award_current_total.clone().filter(|_| full),
        savings: pool.award_savings.clone().filter(|_| full),
        lines,
        shares,
        confirmed: pool.state == PoolState::Awarded.as_str(),
    })
}

impl App {
    /// The pools the actor may read: their clusters' published pools, the pools their
    /// organisation is invited to, and for the staff their clusters' drafts; closing last first.
    #[tracing::instrument(skip(self, actor))]
    pub async fn pools(&self, actor: &Actor) -> Result<Vec<PoolSummary>> {
        let Actor::Person(principal) = actor else {
            return Err(AppError::Unauthenticated);
        };
        let mut conn = self.store.conn().await?;
        let mut clusters = principal.clusters.clone();
        clusters.extend(principal.grants.iter().filter_map(|g| match g.scope {
            domain::policy::Scope::Cluster(id) => Some(id),
            domain::policy::Scope::Organisation(_) => None,
        }));
        clusters.sort_unstable();
        clusters.dedup();
        let mut pools = Vec::new();
        for cluster_id in clusters {
            pools.extend(stored::of_cluster(&mut conn, cluster_id).await?);
        }
        pools.extend(stored::inviting(&mut conn, principal.organisation_id).await?);
        pools.sort_by_key(|p| (std::cmp::Reverse(p.closes_at), std::cmp::Reverse(p.id)));
        pools.dedup_by_key(|p| p.id);
        let now = Timestamp::now();
        let mut visible = Vec::new();
        for pool in pools {
            let loaded = load(&mut conn, pool.id).await?;
            if authorize(actor, &Action::ViewPool(loaded.facts())).is_ok() {
                let staff = is_staff(actor, loaded.pool.cluster_id);
                visible.push(summary(&mut conn, loaded.pool, now, staff).await?);
            }
        }
        Ok(visible)
    }

    /// One pool as the actor may read it (404 for those who may not know it exists).
    #[tracing::instrument(skip(self, actor))]
    pub async fn pool(&self, actor: &Actor, pool_id: i64) -> Result<PoolView> {
        let mut conn = self.store.conn().await?;
        let loaded = load_for(actor, &mut conn, pool_id).await?;
        view(actor, &loaded)?;
        let now = Timestamp::now();
        let now_ms = now.as_millisecond();
        let staff = is_staff(actor, loaded.pool.cluster_id);
        let organisation = organisation_of(actor);
        let may_commit = organisation.is_some_and(|organisation_id| {
            authorize(
                actor,
                &Action::CommitToPool {
                    cluster_id: loaded.pool.cluster_id,
                    organisation_id,
                },
            )
            .is_ok()
        });
        let may_offer = organisation.is_some_and(|organisation_id| {
            authorize(
                actor,
                &Action::OfferToPool {
                    organisation_id,
                    invited: loaded.invited.contains(&organisation_id),
                },
            )
            .is_ok()
        });
        let progress = progress(&mut conn, &loaded.pool, staff).await?;
        let my_commitment = match organisation {
            Some(o) => stored::commitment(&mut conn, pool_id, o).await?,
            None => None,
        };
        // A supplier's own offer, always readable by its own people; nobody else's.
        let my_offer = match organisation {
            Some(o) if loaded.invited.contains(&o) => stored::own_offer(&mut conn, pool_id, o).await?,
            _ => None,
        };
        let awarded = loaded.state == PoolState::Awarded;
        let (my_share, my_line) = match organisation {
            Some(o) if awarded => (
                stored::award_shares(&mut conn, pool_id)
                    .await?
                    .into_iter()
                    .find(|s| s.organisation_id == o),
                stored::award_lines(&mut conn, pool_id)
                    .await?
                    .into_iter()
                    .find(|l| l.organisation_id == o),
            ),
            _ => (None, None),
        };
        let mut result = PoolView {
            phase: phase(&loaded.pool, now),
            progress,
            taking: loaded.state == PoolState::Open
                && loaded.pool.opens_at <= now_ms
                && now_ms < loaded.pool.closes_at,
            is_staff: staff,
            may_commit,
            may_offer,
            my_commitment,
            my_offer,
            my_share,
            my_line,
            invited: Vec::new(),
            commitments: None,
            offers: None,
            award: None,
            pool: scrubbed(loaded.pool.clone(), staff),
        };
        if staff {
            self.staff_parts(&mut conn, &loaded, now_ms, &mut result).await?;
        }
        Ok(result)
    }

    async fn staff_parts(
        &self,
        conn: &mut Conn,
        loaded: &LoadedPool,
        now_ms: i64,
        view: &mut PoolView,
    ) -> Result<()> {
        let pool_id = loaded.pool.id;
        for &id in &loaded.invited {
            view.invited.push(org(conn, id).await?);
        }
        let mut commitments = Vec::new();
        for commitment in stored::commitments(conn, pool_id).await? {
            commitments.push(NamedCommitment {
                organisation: org(conn, commitment.organisation_id).await?,
                commitment,
            });
        }
        view.commitments = Some(commitments);
        // The seal: nothing of the offers, not even how many stand, before the closing instant
        // (the statement itself returns nothing before it).
        let never_closed = loaded.pool.published_at.is_none()
            || (loaded.state == PoolState::Cancelled && loaded.pool.closed_at.is_none());
        let sealed = now_ms < loaded.pool.closes_at || never_closed;
        if !sealed {
            let mut offers = Vec::new();
            for offer in stored::unsealed_offers(conn, pool_id, now_ms).await? {
                offers.push(NamedOffer {
                    organisation: org(conn, offer.organisation_id).await?,
                    offer,
                });
            }
            view.offers = Some(offers);
        }
        if loaded.pool.outcome.as_deref() == Some("award") {
            view.award = Some(award_table(conn, &loaded.pool, None).await?);
        }
        Ok(())
    }

    /// The award: the staff's in full once computed at the close; an SME's share or a supplier's
    /// line once the staff confirmed it. 404 for anyone with nothing to read.
    #[tracing::instrument(skip(self, actor))]
    pub async fn pool_award(&self, actor: &Actor, pool_id: i64) -> Result<AwardTable> {
        let mut conn = self.store.conn().await?;
        let loaded = load_for(actor, &mut conn, pool_id).await?;
        view(actor, &loaded)?;
        if loaded.pool.outcome.as_deref() != Some("award") {
            return Err(AppError::NotFound("award"));
        }
        if is_staff(actor, loaded.pool.cluster_id) {
            return award_table(&mut conn, &loaded.pool, None).await;
        }
        let Some(organisation) = organisation_of(actor) else {
            return Err(AppError::NotFound("award"));
        };
        if loaded.state != PoolState::Awarded {
            return Err(AppError::NotFound("award"));
        }
        let table = award_table(&mut conn, &loaded.pool, Some(organisation)).await?;
        if table.lines.is_empty() && table.shares.is_empty() {
            return Err(AppError::NotFound("award"));
        }
        Ok(table)
    }

    /// The award as a CSV or XLSX file (the staff): supplier lines, SME shares, the totals.
    #[tracing::instrument(skip(self, actor))]
    pub async fn pool_award_export(
        &self,
        actor: &Actor,
        pool_id: i64,
        format: &str,
        locale: Option<&str>,
    ) -> Result<Download> {
        let (pool, table, locale) = {
            let mut conn = self.store.conn().await?;
            let loaded = load_for(actor, &mut conn, pool_id).await?;
            manage(actor, &loaded)?;
            if loaded.pool.outcome.as_deref() != Some("award") {
                return Err(conflict("the pool has no award to export"));
            }
            let table = award_table(&mut conn, &loaded.pool, None).await?;
            let locale = spreadsheet::reader_locale(&mut conn, actor, locale).await?;
            (loaded.pool, table, locale)
        };
        let rows = award_rows(&table, &pool.unit, &locale);
        match format {
            "csv" => Ok(Download {
                file_name: spreadsheet::file_name(&pool.title, "pool", "csv"),
                content_type: "text/csv; charset=utf-8",
                // Names and the unit are typed text; the other cells are figures we wrote.
                bytes: spreadsheet::csv(&headers(&locale), &rows, |k| k == 1 || k == 3)?,
            }),
            "xlsx" => {
                let table = Table {
                    sheet_name: if english(&locale) { "Award" } else { "Attribution" },
                    columns: headers(&locale)
                        .iter()
                        .zip(WIDTHS)
                        .map(|(h, w)| ((*h).to_owned(), w))
                        .collect(),
                    rows: rows
                        .into_iter()
                        .map(|row| {
                            row.into_iter()
                                .enumerate()
                                .map(|(k, cell)| match (k, cell.parse::<i64>()) {
                                    // Volumes are whole numbers; money stays exact decimal text.
                                    (2, Ok(n)) => Cell::Number(n as f64),
                                    _ if cell.is_empty() => Cell::Empty,
                                    _ => Cell::Text(cell),
                                })
                                .collect()
                        })
                        .collect(),
                };
                spreadsheet::xlsx_download(table, spreadsheet::file_name(&pool.title, "pool", "xlsx")).await
            }
            _ => Err(AppError::invalid("format", "csv or xlsx")),
        }
    }
}

const WIDTHS: [f64; 9] = [12.0, 40.0, 12.0, 10.0, 16.0, 16.0, 16.0, 16.0, 14.0];

fn headers(locale: &str) -> [&'static str; 9] {
    if english(locale) {
        [
            "row",
            "organisation",
            "volume",
            "unit",
            "current unit price",
            "current cost",
            "unit price",
            "cost",
            "savings",
        ]
    } else {
        [
            "ligne",
            "organisation",
            "volume",
            "unité",
            "prix unitaire actuel",
            "coût actuel",
            "prix unitaire",
            "coût",
            "économie",
        ]
    }
}

/// The export's rows: suppliers, then SMEs, then the totals (which add up to the cent); the row
/// labels in the headers' language.
fn award_rows(table: &AwardTable, unit: &str, locale: &str) -> Vec<Vec<String>> {
    let [supplier, sme, total] = if english(locale) {
        ["supplier", "SME", "total"]
    } else {
        ["fournisseur", "PME", "total"]
    };
    let mut rows = Vec::new();
    for l in &table.lines {
        rows.push(vec![
            supplier.into(),
            l.organisation.name.clone(),
            l.line.volume.to_string(),
            unit.to_owned(),
            String::new(),
            String::new(),
            l.line.unit_price.clone().unwrap_or_default(),
            l.line.cost.clone(),
            String::new(),
        ]);
    }
    for s in &table.shares {
        rows.push(vec![
            sme.into(),
            s.organisation.name.clone(),
            s.share.volume.to_string(),
            unit.to_owned(),
            s.share.current_price.clone(),
            s.share.current_cost.clone(),
            s.share.new_unit_price.clone(),
            s.share.new_cost.clone(),
            s.share.savings.clone(),
        ]);
    }
    rows.push(vec![
        total.into(),
        String::new(),
        table.volume.map(|v| v.to_string()).unwrap_or_default(),
        unit.to_owned(),
        String::new(),
        table.current_total.clone().unwrap_or_default(),
        table.unit_price.clone().unwrap_or_default(),
        table.total.clone().unwrap_or_default(),
        table.savings.clone().unwrap_or_default(),
    ]);
    rows
}
