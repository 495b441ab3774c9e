//! `passerelle bench …`: benchmarks run by hand in release mode, never as timed tests.
//! `bench schedule` generates a realistic matchmaking event and compares the scheduler with
//! first come, first served; `bench search` runs `search::bench` (Passerelle's engine against
//! SQLite FTS5 on one synthetic corpus) and prints its report; `bench teams` times the team
//! finder on a synthetic cluster of members and requirements.

use std::collections::HashSet;
use std::path::{Path, PathBuf};
use std::time::Instant;

use anyhow::{Context, Result, bail};
use clap::{Args, Subcommand};
use domain::scheduler::{self, Instance, Kind, Participant, Request};
use domain::teams::{self, Candidate, TeamRequest};
use rand::seq::SliceRandom;
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;
use search::bench::{BenchOptions, BenchReport, try_run_bench};
use serde::Serialize;

use crate::schedule::write_json;

#[derive(Subcommand)]
pub enum Bench {
    /// Generate an event, schedule it, compare with first come, first served.
    Schedule(ScheduleBench),
    /// Index a synthetic directory with Passerelle's engine and SQLite FTS5, time the same queries.
    Search(SearchBench),
    /// Generate clusters of members, time the team finder on one tender per cluster.
    Teams(TeamsBench),
}

#[derive(Args)]
pub struct TeamsBench {
    #[arg(long, default_value_t = 100_000)]
    members: usize,
    /// Requirements of the tender (at most 64).
    #[arg(long, default_value_t = 12)]
    requirements: usize,
    /// At most this many members per team (k).
    #[arg(long, default_value_t = 4)]
    max_members: usize,
    /// Teams asked for.
    #[arg(long, default_value_t = 5)]
    limit: usize,
    /// People the team needs together (0: no minimum).
    #[arg(long, default_value_t = 0)]
    min_headcount: u64,
    /// Rank teams with a large account or an ETI able to lead first.
    #[arg(long)]
    prefer_lead: bool,
    /// Timed calls, each on its own cluster (seeds seed, seed + 1, …).
    #[arg(long, default_value_t = 5)]
    runs: usize,
    #[arg(long, default_value_t = 1)]
    seed: u64,
    /// Step budget of the exact search [default: the finder's own].
    #[arg(long)]
    budget: Option<u64>,
    /// Write the figures to this JSON file as well.
    #[arg(long, value_name = "FILE")]
    json: Option<PathBuf>,
}

#[derive(Serialize)]
struct TeamsFigures {
    members: usize,
    requirements: usize,
    max_members: usize,
    runs: usize,
    min_ms: f64,
    median_ms: f64,
    max_ms: f64,
    exact_runs: usize,
    /// Per run: the sizes of the teams found, best first (empty: no team within k).
    sizes: Vec<Vec<usize>>,
}

#[derive(Args)]
pub struct ScheduleBench {
    #[arg(long, default_value_t = 5000)]
    participants: usize,
    #[arg(long, default_value_t = 50000)]
    requests: usize,
    #[arg(long, default_value_t = 16)]
    slots: u32,
    #[arg(long, default_value_t = 600)]
    tables: u32,
    #[arg(long, default_value_t = 1)]
    seed: u64,
    /// Share of requests aimed at participants drawn by popularity (the rest: anyone).
    #[arg(long, default_value_t = 0.85)]
    popular_share: f64,
    /// Leave every participant uncapped (availability only), as at hosted-buyer events
    /// where the organiser fills agendas.
    #[arg(long)]
    no_caps: bool,
    /// Write the figures to this JSON file as well.
    #[arg(long)]
    json: Option<PathBuf>,
    /// Write the generated instance (the `schedule --input` format) to this file.
    #[arg(long)]
    instance_out: Option<PathBuf>,
}

#[derive(Args)]
pub struct SearchBench {
    /// Synthetic profiles to index (seeded; the same corpus for both engines).
    #[arg(long, default_value_t = 1_000_000)]
    profiles: usize,
    /// Timed queries, the same mix on both engines, one at a time.
    #[arg(long, default_value_t = 10_000)]
    queries: usize,
    #[arg(long, default_value_t = 1)]
    seed: u64,
    /// Untimed queries run on each engine first [default: the smaller of --queries and 200].
    #[arg(long)]
    warmup: Option<usize>,
    /// Build both indexes under this directory (in a fresh subdirectory, removed at the end)
    /// rather than the system's temporary one: choose the disk, or a tmpfs, being measured.
    #[arg(long, value_name = "DIR")]
    scratch_dir: Option<PathBuf>,
    /// Write the figures to this JSON file as well.
    #[arg(long, value_name = "FILE")]
    json: Option<PathBuf>,
}

#[derive(Serialize)]
struct Figures {
    total_weight: u64,
    upper_bound: u64,
    ratio_to_bound: f64,
    greedy_weight: u64,
    gain_over_greedy: f64,
    seconds: f64,
    participants: usize,
    requests: usize,
    scheduled: usize,
    greedy_scheduled: usize,
    proven_optimal: bool,
    idle_gaps: u64,
}

pub fn run(bench: Bench) -> Result<()> {
    match bench {
        Bench::Schedule(args) => schedule(args),
        Bench::Search(args) => search_bench(args),
        Bench::Teams(args) => teams_bench(args),
    }
}

fn teams_bench(args: TeamsBench) -> Result<()> {
    if args.members == 0 || args.runs == 0 {
        bail!("--members and --runs must be at least 1");
    }
    if args.requirements == 0 || args.requirements > 64 {
        bail!("--requirements must be between 1 and 64");
    }
    if let Some(path) = &args.json {
        check_writable(path)?;
    }
    let request = TeamRequest {
        requirements: args.requirements,
        max_members: args.max_members,
        min_headcount: args.min_headcount,
        prefer_lead: args.prefer_lead,
        limit: args.limit,
    };
    println!(
        "{} members, {} requirements, k = {}, {} teams asked, min headcount {}, prefer lead {}",
        args.members, args.requirements, args.max_members, args.limit, args.min_headcount, args.prefer_lead
    );
    println!(
        "{:>4} {:>6} {:>10} {:>6} {:>12} {:>10}  sizes",
        "run", "seed", "ms", "exact", "first cost", "first hc"
    );
    let mut times = Vec::with_capacity(args.runs);
    let mut sizes = Vec::with_capacity(args.runs);
    let mut exact_runs = 0;
    for run in 0..args.runs {
        let seed = args.seed.wrapping_add(run as u64);
        let candidates = cluster(&args, seed);
        let started = Instant::now();
        let proposal = match args.budget {
            Some(budget) => teams::propose_within(&request, &candidates, budget),
            None => teams::propose(&request, &candidates),
        }
        .context("the team finder refused the generated tender")?;
        let ms = started.elapsed().as_secs_f64() * 1000.0;
        let found: Vec<usize> = proposal.teams.iter().map(|t| t.members.len()).collect();
        let first = proposal.teams.first();
        println!(
            "{:>4} {:>6} {:>10.1} {:>6} {:>12} {:>10}  {:?}{}",
            run + 1,
            seed,
            ms,
            proposal.exact,
            first.map_or("-".into(), |t| t.cost.to_string()),
            first.map_or("-".into(), |t| t.headcount.to_string()),
            found,
            if proposal.uncoverable.is_empty() {
                String::new()
            } else {
                format!(" (uncoverable: {:?})", proposal.uncoverable)
            }
        );
        exact_runs += usize::from(proposal.exact);
        times.push(ms);
        sizes.push(found);
    }
    times.sort_by(f64::total_cmp);
    let figures = TeamsFigures {
        members: args.members,
        requirements: args.requirements,
        max_members: args.max_members,
        runs: args.runs,
        min_ms: times[0],
        median_ms: times[times.len() / 2],
        max_ms: times[times.len() - 1],
        exact_runs,
        sizes,
    };
    println!(
        "per call: min {:.1} ms, median {:.1} ms, max {:.1} ms; exact in {}/{} runs",
        figures.min_ms, figures.median_ms, figures.max_ms, figures.exact_runs, figures.runs
    );
    println!("{}", serde_json::to_string(&figures)?);
    if let Some(path) = &args.json {
        write_json(path, &figures)?;
    }
    Ok(())
}

/// A cluster's members against one tender: requirements of skewed frequency (a Zipf-like few
/// that most members bring, a long tail of rare certifications or regions), members bringing one
/// to five of them, large accounts and ETIs (about 6 %) able to lead, bigger and broader;
/// headcounts skewed towards small firms; costs as the app sets them (1 plus the requirements
/// the member does not bring), so narrower members cost more.
fn cluster(args: &TeamsBench, seed: u64) -> Vec<Candidate> {
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    let r = args.requirements;
    let mut order: Vec<usize> = (0..r).collect();
    order.shuffle(&mut rng);
    // The requirement at rank q weighs 1 / (q + 1)^1.1: the first is ~15 times the twelfth.
    let weights: Vec<f64> = (0..r).map(|q| 1.0 / ((q + 1) as f64).powf(1.1)).collect();
    let total: f64 = weights.iter().sum();
    (0..args.members)
        .map(|i| {
            let can_lead = rng.random_bool(0.06);
            let roll: f64 = rng.random();
            let mut brings = match roll {
                x if x < 0.35 => 1,
                x if x < 0.70 => 2,
                x if x < 0.90 => 3,
                x if x < 0.98 => 4,
                _ => 5,
            } + usize::from(can_lead);
            brings = brings.min(r);
            let mut covers = Vec::with_capacity(brings);
            while covers.len() < brings {
                let mut x = rng.random::<f64>() * total;
                let mut q = 0;
                while q + 1 < r && x >= weights[q] {
                    x -= weights[q];
                    q += 1;
                }
                if !covers.contains(&order[q]) {
                    covers.push(order[q]);
                }
            }
            let headcount = if can_lead {
                rng.random_range(250..5000)
            } else {
                // Mostly micro and small firms, some up to 249.
                let u: f64 = rng.random();
                (1.0 + 248.0 * u.powi(3)) as u32
            };
            Candidate {
                id: i as i64,
                cost: 1 + (r - covers.len()) as u32,
                covers,
                can_lead,
                headcount,
            }
        })
        .collect()
}

fn search_bench(args: SearchBench) -> Result<()> {
    if args.profiles == 0 {
        bail!("--profiles must be at least 1: the benchmark needs a corpus to index");
    }
    if args.queries == 0 {
        bail!("--queries must be at least 1: there is nothing to time otherwise");
    }
    // Minutes of indexing would be lost to a typo in the path: refuse it before starting.
    if let Some(path) = &args.json {
        check_writable(path)?;
    }
    let mut options = BenchOptions::new(args.profiles, args.queries, args.seed);
    if let Some(warmup) = args.warmup {
        options.warmup = warmup;
    }
    if let Some(dir) = &args.scratch_dir {
        if dir.exists() && !dir.is_dir() {
            bail!("--scratch-dir {} is not a directory", dir.display());
        }
        // The library empties its scratch directory before and after: give it one of its own,
        // never the user's.
        options.scratch = Some(dir.join(format!("passerelle-bench-search-{}", std::process::id())));
    }
    // The library drives SQLite through a tokio runtime of its own, which cannot be started on
    // a thread already running ours; a plain thread has none.
    let report = std::thread::scope(|scope| {
        scope
            .spawn(|| {
                let started = Instant::now();
                try_run_bench(&options, &mut |phase| {
                    eprintln!("[{:>7.1}s] {phase}", started.elapsed().as_secs_f64());
                })
            })
            .join()
    })
    .map_err(|_| anyhow::anyhow!("the search benchmark panicked"))?
    .context("the search benchmark failed")?;
    print_report(&args, &report);
    if let Some(path) = &args.json {
        write_json(path, &report)?;
    }
    Ok(())
}

/// Fails if `path` cannot be written, leaving nothing behind that was not there.
fn check_writable(path: &Path) -> Result<()> {
    if path.is_dir() {
        bail!("cannot write {}: it is a directory", path.display());
    }
    let existed = path.exists();
    std::fs::OpenOptions::new()
        .write(true)
        .create(true)
        .truncate(false)
        .open(path)
        .with_context(|| format!("cannot write {}", path.display()))?;
    if !existed {
        std::fs::remove_file(path).with_context(|| format!("cannot write {}", path.display()))?;
    }
    Ok(())
}

fn print_report(args: &SearchBench, report: &BenchReport) {
    println!(
        "{} profiles, {} queries, seed {}; one query at a time on one thread",
        report.profiles, args.queries, args.seed
    );
    println!(
        "{:<12} {:>12} {:>9} {:>9} {:>9} {:>9}",
        "engine", "build/s", "p50 ms", "p95 ms", "p99 ms", "qps"
    );
    for (name, figures) in [("passerelle", &report.passerelle), ("sqlite fts5", &report.fts5)] {
        println!(
            "{name:<12} {:>12.0} {:>9.2} {:>9.2} {:>9.2} {:>9.0}",
            figures.build_per_s, figures.p50_ms, figures.p95_ms, figures.p99_ms, figures.qps
        );
    }
    println!(
        "p99 speedup (FTS5 p99 / Passerelle p99): {:.1}x",
        report.p99_speedup
    );
    println!();
    println!(
        "{:<14} {:>6} {:>10} {:>10} {:>10} {:>10} {:>12} {:>12}",
        "query family", "n", "ours p50", "ours p99", "fts5 p50", "fts5 p99", "ours total", "fts5 total"
    );
    for kind in &report.by_kind {
        println!(
            "{:<14} {:>6} {:>10.2} {:>10.2} {:>10.2} {:>10.2} {:>12.0} {:>12.0}",
            kind.kind,
            kind.queries,
            kind.passerelle_p50_ms,
            kind.passerelle_p99_ms,
            kind.fts5_p50_ms,
            kind.fts5_p99_ms,
            kind.passerelle_mean_total,
            kind.fts5_mean_total
        );
    }
    println!("{}", report.to_json());
}

fn schedule(args: ScheduleBench) -> Result<()> {
    if args.participants < 2 || args.slots == 0 || args.tables == 0 {
        bail!("a benchmark needs at least 2 participants, 1 slot and 1 table");
    }
    if !(0.0..=1.0).contains(&args.popular_share) {
        bail!("--popular-share must be between 0 and 1");
    }
    let instance = generate(&args);
    if let Some(path) = &args.instance_out {
        write_json(path, &instance)?;
    }
    let started = Instant::now();
    let ours = scheduler::schedule(&instance)?;
    let seconds = started.elapsed().as_secs_f64();
    let greedy = scheduler::first_come_first_served(&instance)?;
    let figures = Figures {
        total_weight: ours.total_weight,
        upper_bound: ours.upper_bound,
        ratio_to_bound: ours.total_weight as f64 / ours.upper_bound.max(1) as f64,
        greedy_weight: greedy.total_weight,
        gain_over_greedy: ours.total_weight as f64 / greedy.total_weight.max(1) as f64 - 1.0,
        seconds,
        participants: instance.participants.len(),
        requests: instance.requests.len(),
        scheduled: ours.meetings.len(),
        greedy_scheduled: greedy.meetings.len(),
        proven_optimal: ours.proven_optimal,
        idle_gaps: ours.idle_gaps,
    };
    println!("{}", serde_json::to_string(&figures)?);
    if let Some(path) = &args.json {
        write_json(path, &figures)?;
    }
    Ok(())
}

/// A matchmaking event as clusters run them: few large accounts that most SMEs want to meet
/// (Zipf-like popularity), people arriving late or leaving early, caps per kind, mutual interest
/// weighing more, and requests in arrival order (which is what first come, first served sees).
fn generate(args: &ScheduleBench) -> Instance {
    let mut rng = ChaCha8Rng::seed_from_u64(args.seed);
    let (n, slots) = (args.participants, args.slots as i64);
    let mut participants = Vec::with_capacity(n);
    let mut popularity = Vec::with_capacity(n);
    for i in 0..n {
        let roll: f64 = rng.random();
        let kind = match roll {
            r if r < 0.08 => Kind::Large,
            r if r < 0.20 => Kind::Midcap,
            r if r < 0.85 => Kind::Sme,
            _ => Kind::Other,
        };
        let rank = 1.0 + rng.random::<f64>() * 50.0;
        popularity.push(match kind {
            Kind::Large => 40.0 / rank.powf(0.8),
            Kind::Midcap => 3.0 * rng.random_range(0.5..1.5),
            Kind::Sme => rng.random_range(0.5..1.5),
            Kind::Other => 0.5,
        });
        let mut available: Vec<i64> = (0..slots).collect();
        let late_or_early: f64 = rng.random();
        let cut = rng.random_range(1..=(slots / 3).max(1));
        if late_or_early < 0.15 {
            available.retain(|&s| s >= cut);
        } else if late_or_early < 0.30 {
            available.retain(|&s| s < slots - cut);
        }
        if rng.random_bool(0.2) {
            let off = rng.random_range(0..slots);
            available.retain(|&s| s != off);
        }
        let max_meetings = match kind {
            _ if args.no_caps || rng.random_bool(0.2) => None,
            Kind::Large => Some(rng.random_range((slots * 3 / 4).max(1)..=slots)),
            Kind::Midcap => Some(rng.random_range((slots / 2).max(1)..=slots)),
            Kind::Sme => Some(rng.random_range(3.min(slots)..=(slots / 2).max(3))),
            Kind::Other => Some(rng.random_range(2.min(slots)..=(slots / 2).max(2))),
        };
        participants.push(Participant {
            id: format!("p{i}"),
            kind,
            available,
            max_meetings,
        });
    }
    let mut cumulative = Vec::with_capacity(n);
    let mut sum = 0.0;
    for &p in &popularity {
        sum += p;
        cumulative.push(sum);
    }
    let popular = |rng: &mut ChaCha8Rng| {
        let x = rng.random::<f64>() * sum;
        cumulative.partition_point(|&c| c < x).min(n - 1)
    };
    let mut pairs = HashSet::with_capacity(args.requests);
    let mut requests = Vec::with_capacity(args.requests);
    let mut attempts = 0;
    while requests.len() < args.requests && attempts < args.requests * 20 {
        attempts += 1;
        let a = rng.random_range(0..n);
        let b = if rng.random_bool(args.popular_share) {
            popular(&mut rng)
        } else {
            rng.random_range(0..n)
        };
        if a == b || !pairs.insert((a.min(b), a.max(b))) {
            continue;
        }
        let mutual = rng.random_bool(0.2);
        let must_meet = rng.random_bool(0.05);
        let weight = if mutual {
            rng.random_range(4..=6)
        } else {
            rng.random_range(1..=3)
        } + if must_meet { 3 } else { 0 };
        requests.push(Request {
            a: format!("p{a}"),
            b: format!("p{b}"),
            weight,
        });
    }
    requests.shuffle(&mut rng);
    Instance {
        slots: args.slots,
        tables: args.tables,
        participants,
        requests,
        pinned: Vec::new(),
    }
}
