//! The search index as a follower of the store: opened (or rebuilt) at start, then kept fresh by a
//! task that applies the store's change log (`search_changes`) as soon as a write is signalled,
//! and at least every half second for writes made by other processes (an import, say).
//!
//! Where the follower stands in the log (the watermark) is kept in a file beside the index, so
//! that a restart applies only what it missed; without that file the index is rebuilt.

use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::atomic::{AtomicI64, Ordering};
use std::time::Duration;

use domain::naf::NafCode;
use domain::org::OrgSize;
use domain::profile::{Profile, Visibility, Visible};
use search::{ProfileDoc, RebuildOptions, SearchIndex};
use store::Store;
use store::directory::{self, DirectoryRow};
use tokio::sync::Notify;

use crate::{AppError, Result};

/// Changes applied per step; a step is one store read and one batch of index writes.
const CHANGES_PER_STEP: i64 = 5_000;
/// Organisations read per page during a rebuild.
const REBUILD_PAGE: i64 = 5_000;
/// How often the follower looks for changes made by other processes.
const POLL_EVERY: Duration = Duration::from_millis(500);
/// Applied changes are pruned from the log once this old (other followers may still need them).
const KEEP_CHANGES_MS: i64 = 24 * 3600 * 1000;
const WATERMARK_FILE: &str = "passerelle-watermark";

/// The directory's search index and where it stands in the store's change log.
#[derive(Clone)]
pub struct Directory {
    index: Arc<SearchIndex>,
    watermark: Arc<AtomicI64>,
    watermark_file: Option<PathBuf>,
    wake: Arc<Notify>,
}

impl Directory {
    /// Opens the index in `dir` (in memory when `None`) and brings it up to date with the store:
    /// a rebuild when it has no watermark, else the changes it missed.
    pub async fn open(store: &Store, dir: Option<&Path>) -> Result<Directory> {
        let (directory, in_step) = Directory::open_index(dir).await?;
        if in_step && directory.log_reaches_watermark(store).await? {
            // Credentials that lapsed while nobody followed are logged, then applied with the rest.
            let since = directory.last_advanced_day();
            directory.touch_expired(store, since.as_deref(), &today()).await?;
            directory.catch_up(store).await?;
        } else {
            directory.rebuild(store, |_, _| {}).await?;
        }
        Ok(directory)
    }

    /// The Paris day the watermark last moved (its file's modification time), if known.
    fn last_advanced_day(&self) -> Option<String> {
        let modified = std::fs::metadata(self.watermark_file.as_deref()?)
            .ok()?
            .modified()
            .ok()?;
        let instant = jiff::Timestamp::try_from(modified).ok()?;
        Some(
            crate::meetings::programme::paris()
                .to_datetime(instant)
                .date()
                .to_string(),
        )
    }

    /// Whether the store's change log continues where the index stopped. It does not when the
    /// database was swapped or restored under the index (the log ends before the watermark), or
    /// when changes the index never saw were pruned (the log starts after it): then only a
    /// rebuild makes the index current.
    async fn log_reaches_watermark(&self, store: &Store) -> Result<bool> {
        let watermark = self.watermark.load(Ordering::Acquire);
        let mut conn = store.conn().await?;
        let last = directory::last_change(&mut conn).await?;
        let first = directory::first_change(&mut conn).await?;
        Ok(last >= watermark && first.is_none_or(|first| first <= watermark + 1))
    }

    /// Opens the index without looking at the store; also says whether it knows where it stands
    /// in the change log (else only a rebuild makes it current).
    pub async fn open_index(dir: Option<&Path>) -> Result<(Directory, bool)> {
        let index = match dir {
            Some(dir) => {
                let dir = dir.to_owned();
                tokio::task::spawn_blocking(move || SearchIndex::open_or_create(dir))
                    .await
                    .map_err(|e| AppError::Internal(e.to_string()))?
            }
            None => SearchIndex::in_ram(),
        }
        .map_err(|e| {
            AppError::Internal(format!(
                "cannot open the search index ({e}); is another Passerelle process using it?"
            ))
        })?;
        let watermark_file = dir.map(|d| d.join(WATERMARK_FILE));
        let stored = watermark_file
            .as_deref()
            .and_then(|f| std::fs::read_to_string(f).ok())
            .and_then(|s| s.trim().parse::<i64>().ok());
        let directory = Directory {
            index: Arc::new(index),
            watermark: Arc::new(AtomicI64::new(stored.unwrap_or(0))),
            watermark_file,
            wake: Arc::new(Notify::new()),
        };
        Ok((directory, stored.is_some()))
    }

    pub fn index(&self) -> &SearchIndex {
        &self.index
    }

    /// Tells the follower a change was just written, so it does not wait for its next poll.
    pub fn notify(&self) {
        self.wake.notify_one();
    }

    /// Runs the follower until the process ends. When the day changes it also logs the
    /// organisations whose credentials expired the day before, so that they leave the facets
    /// (opening the index took care of the days before).
    pub fn spawn_follower(&self, store: Store) -> tokio::task::JoinHandle<()> {
        let directory = self.clone();
        tokio::spawn(async move {
            let mut day: Option<String> = Some(today());
            loop {
                let today = today();
                if day.as_deref() != Some(today.as_str()) {
                    match directory.touch_expired(&store, day.as_deref(), &today).await {
                        Ok(_) => day = Some(today),
                        Err(error) => {
                            tracing::warn!(%error, "search index follower: expiries will be retried")
                        }
                    }
                }
                if let Err(error) = directory.catch_up(&store).await {
                    tracing::warn!(%error, "search index follower: will retry");
                    tokio::time::sleep(POLL_EVERY).await;
                }
                let _ = tokio::time::timeout(POLL_EVERY, directory.wake.notified()).await;
            }
        })
    }

    /// Logs as changed the organisations with a certification or label that expired on a day in
    /// `[since, today)` (every past day when `since` is `None`); returns how many.
    pub async fn touch_expired(&self, store: &Store, since: Option<&str>, today: &str) -> Result<usize> {
        let mut expired = Vec::new();
        let mut after = 0;
        let mut conn = store.conn().await?;
        loop {
            let page = directory::profiles_with_expiries(&mut conn, after, REBUILD_PAGE).await?;
            let Some((last, _)) = page.last() else { break };
            after = *last;
            for (organisation_id, json) in &page {
                let Ok(profile) = serde_json::from_str::<Profile>(json) else {
                    continue;
                };
                let lapsed = profile
                    .certifications
                    .value
                    .iter()
                    .chain(&profile.labels.value)
                    .filter_map(|c| c.expires_on.as_deref())
                    .any(|end| end < today && since.is_none_or(|since| end >= since));
                if lapsed {
                    expired.push(*organisation_id);
                }
            }
        }
        drop(conn);
        if !expired.is_empty() {
            let mut tx = store.begin().await?;
            directory::touch(&mut tx, &expired).await?;
            tx.commit().await.map_err(store::StoreError::from)?;
        }
        Ok(expired.len())
    }

    /// Applies every change logged after the watermark; returns how many organisations were
    /// reindexed. A "reindex all" entry turns into a rebuild.
    pub async fn catch_up(&self, store: &Store) -> Result<usize> {
        let mut applied = 0;
        loop {
            let after = self.watermark.load(Ordering::Acquire);
            let mut conn = store.conn().await?;
            let changes = directory::changes_after(&mut conn, after, CHANGES_PER_STEP).await?;
            let Some(last) = changes.last().map(|c| c.id) else {
                return Ok(applied);
            };
            if changes.iter().any(|c| c.organisation_id.is_none()) {
                drop(conn);
                return Ok(applied + self.rebuild(store, |_, _| {}).await?);
            }
            let ids: Vec<i64> = changes.iter().filter_map(|c| c.organisation_id).collect();
            let rows = directory::rows_by_ids(&mut conn, &ids).await?;
            drop(conn);
            let today = today();
            let present: std::collections::HashSet<i64> = rows.iter().map(|r| r.organisation.id).collect();
            let docs: Vec<ProfileDoc> = rows.iter().map(|row| profile_doc(row, &today)).collect();
            let gone: Vec<i64> = ids.into_iter().filter(|id| !present.contains(id)).collect();
            applied += docs.len();
            // The writer may wait on a commit or a rebuild: not on an async worker.
            let index = Arc::clone(&self.index);
            tokio::task::spawn_blocking(move || -> search::Result<()> {
                for doc in &docs {
                    index.upsert(doc)?;
                }
                for id in gone {
                    index.delete(id)?;
                }
                Ok(())
            })
            .await
            .map_err(|e| AppError::Internal(e.to_string()))?
            .map_err(internal)?;
            self.advance(store, last).await?;
        }
    }

    /// Rebuilds the whole index from the store. `progress(done, total)` is called as pages are read.
    pub async fn rebuild(&self, store: &Store, mut progress: impl FnMut(u64, u64)) -> Result<usize> {
        let mut conn = store.conn().await?;
        // Taken first: changes logged while the rebuild reads are applied again afterwards.
        let last = directory::last_change(&mut conn).await?;
        let total = store::organisations::count(&mut conn).await?.max(0) as u64;
        let (sender, mut receiver) = tokio::sync::mpsc::channel::<ProfileDoc>(REBUILD_PAGE as usize);
        let index = Arc::clone(&self.index);
        let indexing = tokio::task::spawn_blocking(move || {
            let options = RebuildOptions {
                heap_bytes_per_thread: 256 << 20,
                ..RebuildOptions::default()
            };
            let docs = std::iter::from_fn(move || receiver.blocking_recv());
            index.rebuild_with(docs, options, |_| {})
        });
        let today = today();
        let mut after = 0;
        let mut done = 0u64;
        progress(0, total);
        let read: Result<()> = async {
            loop {
                let rows = directory::rows_after(&mut conn, after, REBUILD_PAGE).await?;
                let Some(last_row) = rows.last() else {
                    return Ok(());
                };
                after = last_row.organisation.id;
                done += rows.len() as u64;
                for row in &rows {
                    // The indexing thread stopped: its error is reported below.
                    if sender.send(profile_doc(row, &today)).await.is_err() {
                        return Ok(());
                    }
                }
                progress(done, total.max(done));
            }
        }
        .await;
        drop(sender);
        drop(conn);
        let indexed = indexing
            .await
            .map_err(|e| AppError::Internal(e.to_string()))?
            .map_err(internal)?;
        read?;
        self.advance(store, last).await?;
        Ok(indexed)
    }

    /// Moves the watermark to `last` and persists it, once the index has committed what came before.
    async fn advance(&self, store: &Store, last: i64) -> Result<()> {
        let index = Arc::clone(&self.index);
        tokio::task::spawn_blocking(move || index.commit())
            .await
            .map_err(|e| AppError::Internal(e.to_string()))?
            .map_err(internal)?;
        self.watermark.store(last, Ordering::Release);
        if let Some(file) = &self.watermark_file {
            write_atomically(file, &last.to_string())
                .map_err(|e| AppError::Internal(format!("cannot write {}: {e}", file.display())))?;
        }
        let mut conn = store.conn().await?;
        directory::prune_changes(&mut conn, last, store::now_ms() - KEEP_CHANGES_MS).await?;
        Ok(())
    }
}

fn write_atomically(path: &Path, content: &str) -> std::io::Result<()> {
    let temporary = path.with_extension("tmp");
    std::fs::write(&temporary, content)?;
    std::fs::rename(&temporary, path)
}

fn internal(error: search::SearchError) -> AppError {
    AppError::Internal(format!("search index: {error}"))
}

/// Today in Paris, `YYYY-MM-DD`: credentials expire at the end of a French day.
pub fn today() -> String {
    domain::committee::paris::date(jiff::Timestamp::now()).to_string()
}

/// What the index gets of one organisation: its registry facts, and its profile's text with the
/// visibility the SME chose. Expired credentials are left out of the facets; members-only
/// credentials too, since facets are public.
pub fn profile_doc(row: &DirectoryRow, today: &str) -> ProfileDoc {
    let org = &row.organisation;
    let profile: Profile = row
        .profile_json
        .as_deref()
        .and_then(|json| serde_json::from_str(json).ok())
        .unwrap_or_default();
    let credentials = |field: &Visible<Vec<domain::profile::Credential>>| -> Vec<String> {
        if field.visibility != Visibility::Public {
            return Vec::new();
        }
        field
            .value
            .iter()
            .filter(|c| c.is_current(today))
            .map(|c| c.name.clone())
            .collect()
    };
    // Terms are indexed in French and English so that a query in either language finds them.
    let terms = Visible {
        value: profile
            .capability_terms
            .value
            .iter()
            .flat_map(|t| [t.label("fr").to_owned(), t.label("en").to_owned()])
            .collect(),
        visibility: profile.capability_terms.visibility,
    };
    ProfileDoc {
        org_id: org.id,
        name: org.legal_name.clone(),
        presentation: profile.presentation.clone(),
        offers: profile.offers.clone(),
        capability_terms: terms,
        capabilities_text: profile.capabilities_text.clone(),
        naf: NafCode::parse(&org.naf_code).unwrap_or_else(|_| fallback_naf()),
        region: org.region_code.clone(),
        department: org.department_code.clone(),
        size: org.size.as_deref().and_then(|code| OrgSize::parse(code).ok()),
        certifications: credentials(&profile.certifications),
        labels: credentials(&profile.labels),
        clusters: row.clusters.clone(),
    }
}

/// Stored codes were validated on the way in; this only guards against a nomenclature change.
fn fallback_naf() -> NafCode {
    NafCode::parse("82.99Z").expect("82.99Z is in NAF rev. 2")
}
