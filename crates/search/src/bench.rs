//! The directory-search benchmark: Passerelle's engine against SQLite FTS5 on the same synthetic
//! corpus and the same query mix, in one run; `passerelle bench search` prints its report.
//!
//! Both engines work from files in a scratch directory (memory-mapped / page-cached), run the
//! same warm-up queries untimed, then the timed queries one after the other on one thread:
//! `qps` is queries over the summed latencies. Each timed query is the whole of what a search
//! page needs: match set, total, facet counts over the match set, top 10 with snippets.

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use serde::{Deserialize, Serialize};

use crate::corpus::Corpus;
use crate::document::ProfileDoc;
use crate::facets::Facet;
use crate::fts5::{Fts5, PAGE};
use crate::index::{RebuildOptions, SearchIndex};
use crate::request::SearchRequest;
use crate::workload::{self, BenchQuery, QueryKind};

/// One engine's figures.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct EngineFigures {
    /// Profiles indexed per second, bulk load to searchable.
    pub build_per_s: f64,
    pub p50_ms: f64,
    pub p95_ms: f64,
    pub p99_ms: f64,
    /// Queries per second, one query at a time.
    pub qps: f64,
}

/// Latencies of one family of queries, for reading the run (not part of the JSON).
#[derive(Debug, Clone, PartialEq)]
pub struct KindFigures {
    pub kind: &'static str,
    pub queries: usize,
    pub passerelle_p50_ms: f64,
    pub passerelle_p99_ms: f64,
    pub fts5_p50_ms: f64,
    pub fts5_p99_ms: f64,
    /// Mean match-set size, Passerelle then FTS5 (they differ: FTS5 has no stemming or typos).
    pub passerelle_mean_total: f64,
    pub fts5_mean_total: f64,
}

/// The report; serialises to exactly the JSON `passerelle bench search --json` writes.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct BenchReport {
    pub profiles: usize,
    pub passerelle: EngineFigures,
    pub fts5: EngineFigures,
    /// FTS5's p99 over Passerelle's: above 1, Passerelle is faster.
    pub p99_speedup: f64,
    #[serde(skip)]
    pub by_kind: Vec<KindFigures>,
}

impl BenchReport {
    pub fn to_json(&self) -> String {
        serde_json::to_string(self).expect("plain numbers serialise")
    }
}

#[derive(Debug, thiserror::Error)]
pub enum BenchError {
    #[error("search engine: {0}")]
    Search(#[from] crate::SearchError),
    #[error("SQLite FTS5: {0}")]
    Sqlite(#[from] sqlx::Error),
    #[error("scratch directory {path}: {source}")]
    Io { path: PathBuf, source: std::io::Error },
}

/// What to run.
#[derive(Debug, Clone)]
pub struct BenchOptions {
    pub profiles: usize,
    pub queries: usize,
    pub seed: u64,
    /// Where the two indexes are built; a fresh directory under the system's temporary
    /// directory by default, removed at the end.
    pub scratch: Option<PathBuf>,
    /// Untimed queries run on each engine first.
    pub warmup: usize,
}

impl BenchOptions {
    pub fn new(profiles: usize, queries: usize, seed: u64) -> Self {
        BenchOptions {
            profiles,
            queries,
            seed,
            scratch: None,
            warmup: queries.min(200),
        }
    }
}

/// Runs the benchmark. Panics if it cannot (no disk space for the scratch directory, …): it is
/// a measuring tool; [`try_run_bench`] returns the error instead.
pub fn run_bench(profiles: usize, queries: usize, seed: u64) -> BenchReport {
    try_run_bench(&BenchOptions::new(profiles, queries, seed), &mut |_| {})
        .unwrap_or_else(|e| panic!("search benchmark failed: {e}"))
}

struct Scratch(PathBuf);

impl Drop for Scratch {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

fn io(path: &Path) -> impl FnOnce(std::io::Error) -> BenchError + '_ {
    move |source| BenchError::Io {
        path: path.to_owned(),
        source,
    }
}

/// [`run_bench`] with options and a progress callback (one line per phase).
pub fn try_run_bench(
    options: &BenchOptions,
    progress: &mut dyn FnMut(&str),
) -> Result<BenchReport, BenchError> {
    let root = options
        .scratch
        .clone()
        .unwrap_or_else(|| std::env::temp_dir().join(format!("passerelle-bench-{}", std::process::id())));
    let _ = std::fs::remove_dir_all(&root);
    std::fs::create_dir_all(&root).map_err(io(&root))?;
    let scratch = Scratch(root);

    progress(&format!("generating {} profiles", options.profiles));
    let corpus = Corpus::new(options.seed);
    let profiles: Vec<ProfileDoc> = corpus.profiles(options.profiles).collect();
    let mut regions: Vec<&str> = domain::geo::departments()
        .filter(|d| d.code.len() == 2)
        .map(|d| d.region_code)
        .collect();
    regions.sort_unstable();
    regions.dedup();
    let queries = workload::queries(options.queries, options.seed, &regions);
    let warmup = workload::queries(options.warmup, options.seed ^ 0xFFFF, &regions);

    progress("indexing with Passerelle (tantivy)");
    let index = SearchIndex::open_or_create(scratch.0.join("tantivy"))?;
    let started = Instant::now();
    index.rebuild_with(&profiles, RebuildOptions::default(), |_| {})?;
    let passerelle_build = started.elapsed();

    progress("searching with Passerelle");
    let requests: Vec<SearchRequest> = queries.iter().map(request).collect();
    for query in &warmup {
        index.search(&request(query))?;
    }
    let mut passerelle = Vec::with_capacity(queries.len());
    for request in &requests {
        let started = Instant::now();
        let results = index.search(request)?;
        passerelle.push((started.elapsed(), results.total));
    }
    drop(index);

    progress("indexing with SQLite FTS5");
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .map_err(io(&scratch.0))?;
    let fts5_path = scratch.0.join("fts5.sqlite");
    let (fts5_build, fts5) = runtime.block_on(async {
        let mut engine = Fts5::create(&fts5_path).await?;
        let started = Instant::now();
        engine.load(&profiles).await?;
        let build = started.elapsed();
        drop(profiles);
        progress("searching with SQLite FTS5");
        for query in &warmup {
            engine.search(query).await?;
        }
        let mut latencies = Vec::with_capacity(queries.len());
        for query in &queries {
            let started = Instant::now();
            let (total, _) = engine.search(query).await?;
            latencies.push((started.elapsed(), total));
        }
        Ok::<_, BenchError>((build, latencies))
    })?;

    let passerelle_figures = figures(options.profiles, passerelle_build, &passerelle);
    let fts5_figures = figures(options.profiles, fts5_build, &fts5);
    Ok(BenchReport {
        profiles: options.profiles,
        passerelle: passerelle_figures,
        fts5: fts5_figures,
        p99_speedup: fts5_figures.p99_ms / passerelle_figures.p99_ms,
        by_kind: by_kind(&queries, &passerelle, &fts5),
    })
}

fn request(query: &BenchQuery) -> SearchRequest {
    SearchRequest {
        text: query.text(),
        audience: query.audience,
        filters: query.filters.clone(),
        facets: Facet::DEFAULT.to_vec(),
        offset: 0,
        limit: PAGE as usize,
    }
}

fn millis(duration: Duration) -> f64 {
    duration.as_secs_f64() * 1_000.0
}

/// The nearest-rank percentile of sorted latencies.
fn percentile(sorted: &[Duration], p: f64) -> f64 {
    if sorted.is_empty() {
        return 0.0;
    }
    let rank = ((p * sorted.len() as f64).ceil() as usize).clamp(1, sorted.len());
    millis(sorted[rank - 1])
}

fn figures(profiles: usize, build: Duration, runs: &[(Duration, u64)]) -> EngineFigures {
    let mut sorted: Vec<Duration> = runs.iter().map(|(d, _)| *d).collect();
    sorted.sort_unstable();
    let busy: f64 = sorted.iter().map(Duration::as_secs_f64).sum();
    EngineFigures {
        build_per_s: profiles as f64 / build.as_secs_f64().max(1e-9),
        p50_ms: percentile(&sorted, 0.50),
        p95_ms: percentile(&sorted, 0.95),
        p99_ms: percentile(&sorted, 0.99),
        qps: if busy > 0.0 {
            sorted.len() as f64 / busy
        } else {
            0.0
        },
    }
}

fn by_kind(
    queries: &[BenchQuery],
    passerelle: &[(Duration, u64)],
    fts5: &[(Duration, u64)],
) -> Vec<KindFigures> {
    let mut kinds: Vec<QueryKind> = queries.iter().map(|q| q.kind).collect();
    kinds.sort();
    kinds.dedup();
    kinds
        .into_iter()
        .map(|kind| {
            let pick = |runs: &[(Duration, u64)]| {
                let mut chosen: Vec<(Duration, u64)> = queries
                    .iter()
                    .zip(runs)
                    .filter(|(q, _)| q.kind == kind)
                    .map(|(_, r)| *r)
                    .collect();
                chosen.sort_unstable();
                chosen
            };
            let (p, f) = (pick(passerelle), pick(fts5));
            let durations = |runs: &[(Duration, u64)]| runs.iter().map(|r| r.0).collect::<Vec<_>>();
            let mean_total =
                |runs: &[(Duration, u64)]| runs.iter().map(|r| r.1 as f64).sum::<f64>() / runs.len() as f64;
            KindFigures {
                kind: kind.as_str(),
                queries: p.len(),
                passerelle_p50_ms: percentile(&durations(&p), 0.5),
                passerelle_p99_ms: percentile(&durations(&p), 0.99),
                fts5_p50_ms: percentile(&durations(&f), 0.5),
                fts5_p99_ms: percentile(&durations(&f), 0.99),
                passerelle_mean_total: mean_total(&p),
                fts5_mean_total: mean_total(&f),
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_small_run_reports_every_figure_in_the_agreed_json() {
        let report = run_bench(2_000, 60, 42);
        assert_eq!(report.profiles, 2_000);
        for figures in [report.passerelle, report.fts5] {
            assert!(figures.build_per_s > 0.0);
            assert!(figures.p50_ms > 0.0 && figures.p50_ms <= figures.p95_ms);
            assert!(figures.p95_ms <= figures.p99_ms);
            assert!(figures.qps > 0.0);
        }
        let json: serde_json::Value = serde_json::from_str(&report.to_json()).unwrap();
        let keys: Vec<&str> = json.as_object().unwrap().keys().map(String::as_str).collect();
        assert_eq!(keys.len(), 4, "{json}");
        for key in ["profiles", "passerelle", "fts5", "p99_speedup"] {
            assert!(json.get(key).is_some(), "{key} in {json}");
        }
        for engine in ["passerelle", "fts5"] {
            let figures = json[engine].as_object().unwrap();
            let mut keys: Vec<&str> = figures.keys().map(String::as_str).collect();
            keys.sort();
            assert_eq!(keys, ["build_per_s", "p50_ms", "p95_ms", "p99_ms", "qps"]);
        }
        assert!(report.by_kind.iter().all(|k| k.queries > 0));
    }

    #[test]
    fn percentiles_are_nearest_rank() {
        let sorted: Vec<Duration> = (1..=100).map(Duration::from_millis).collect();
        assert_eq!(percentile(&sorted, 0.5), 50.0);
        assert_eq!(percentile(&sorted, 0.99), 99.0);
        assert_eq!(percentile(&sorted[..1], 0.99), 1.0);
    }
}
