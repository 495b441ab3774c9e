//! `passerelle bench …`: benchmarks run by hand in release mode, never as timed tests.
//! `bench schedule` generates a realistic matchmaking event and compares the scheduler with
//! first come, first served.

use std::collections::HashSet;
use std::path::PathBuf;
use std::time::Instant;

use anyhow::{Result, bail};
use clap::{Args, Subcommand};
use domain::scheduler::{self, Instance, Kind, Participant, Request};
use rand::seq::SliceRandom;
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;
use serde::Serialize;

use crate::schedule::write_json;

#[derive(Subcommand)]
pub enum Bench {
    /// Generate an event, schedule it, compare with first come, first served.
    Schedule(ScheduleBench),
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
    }
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
