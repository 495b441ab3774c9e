//! `passerelle schedule`: reads an instance file, schedules it with the domain scheduler and
//! writes the schedule file; refuses a bad file with a message and writes nothing.

use std::path::Path;
use std::time::Instant;

use anyhow::{Context, Result};
use domain::scheduler::{self, Instance, Placed, Schedule, Unscheduled};
use serde::Serialize;

/// The schedule file: the domain's result plus the time the scheduler took.
#[derive(Serialize)]
pub struct Output<'a> {
    pub meetings: &'a [Placed],
    pub total_weight: u64,
    pub upper_bound: u64,
    pub unscheduled: &'a [Unscheduled],
    pub seconds: f64,
}

impl<'a> Output<'a> {
    pub fn new(schedule: &'a Schedule, seconds: f64) -> Self {
        Output {
            meetings: &schedule.meetings,
            total_weight: schedule.total_weight,
            upper_bound: schedule.upper_bound,
            unscheduled: &schedule.unscheduled,
            seconds,
        }
    }
}

/// Reads and parses an instance file; the error names the file and serde's line and column.
pub fn read_instance(path: &Path) -> Result<Instance> {
    let text = std::fs::read_to_string(path).with_context(|| format!("cannot read {}", path.display()))?;
    serde_json::from_str(&text).with_context(|| format!("{} is not a valid instance", path.display()))
}

/// Writes `value` as JSON through a temporary file, so a reader never sees half a file.
pub fn write_json(path: &Path, value: &impl Serialize) -> Result<()> {
    let text = serde_json::to_string_pretty(value).context("cannot render JSON")?;
    let tmp = path.with_extension("tmp~");
    std::fs::write(&tmp, text + "\n").with_context(|| format!("cannot write {}", tmp.display()))?;
    std::fs::rename(&tmp, path).with_context(|| format!("cannot write {}", path.display()))
}

pub fn run(input: &Path, output: &Path) -> Result<()> {
    let instance = read_instance(input)?;
    let started = Instant::now();
    let schedule = scheduler::schedule(&instance)
        .with_context(|| format!("{} is not a valid instance", input.display()))?;
    let seconds = started.elapsed().as_secs_f64();
    write_json(output, &Output::new(&schedule, seconds))?;
    let requests = instance.requests.len();
    println!(
        "scheduled {} of {requests} requests: weight {} of at most {} ({:.2} %{}), {} idle gaps, in {seconds:.3} s",
        schedule.meetings.len(),
        schedule.total_weight,
        schedule.upper_bound,
        if schedule.upper_bound == 0 {
            100.0
        } else {
            100.0 * schedule.total_weight as f64 / schedule.upper_bound as f64
        },
        if schedule.proven_optimal { ", optimal" } else { "" },
        schedule.idle_gaps,
    );
    Ok(())
}
