//! Schedule generations as the organiser watches them: one at a time per event, run in the
//! background on request, their phase and elapsed time kept in memory for the progress display.
//!
//! The registry lives in the process (it is not a source of truth: the schedule itself is in the
//! store). A generation that ends in any way — success, error, even a panic — leaves its slot
//! free: the ticket that holds it marks it failed when dropped unfinished.

use super::organised_event;
use super::scheduling::Preview;
use crate::{App, AppError, Result};
use domain::policy::Actor;
use serde::{Deserialize, Serialize};
use std::collections::HashMap;
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::{Duration, Instant};

/// Where a generation stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum Phase {
    /// Reading the event, its participants and their accepted requests.
    Reading,
    /// The scheduler is computing (the long part on big events).
    Solving,
    /// Writing the draft meetings and the figures.
    Saving,
    Done,
    Failed,
}

impl Phase {
    pub fn as_str(self) -> &'static str {
        match self {
            Phase::Reading => "reading",
            Phase::Solving => "solving",
            Phase::Saving => "saving",
            Phase::Done => "done",
            Phase::Failed => "failed",
        }
    }

    pub fn is_running(self) -> bool {
        !matches!(self, Phase::Done | Phase::Failed)
    }
}

/// The figures of a finished generation, as the organiser's screen shows them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct GenerationFigures {
    pub requested: i64,
    pub scheduled: i64,
    pub total_weight: i64,
    pub upper_bound: i64,
}

/// The latest generation of an event, running or finished.
#[derive(Debug, Clone, PartialEq, Serialize, utoipa::ToSchema)]
pub struct GenerationStatus {
    pub event_id: i64,
    pub phase: Phase,
    /// Since it started while it runs; how long it took once finished.
    pub elapsed_ms: u64,
    /// When done.
    pub figures: Option<GenerationFigures>,
    /// When failed: why, in words.
    pub error: Option<String>,
}

impl GenerationStatus {
    pub fn is_running(&self) -> bool {
        self.phase.is_running()
    }
}

#[derive(Debug)]
struct Run {
    phase: Phase,
    started: Instant,
    took: Option<Duration>,
    figures: Option<GenerationFigures>,
    error: Option<String>,
}

/// The generations of every event in this process, the latest one per event.
#[derive(Debug, Default)]
pub struct Generations {
    runs: Mutex<HashMap<i64, Run>>,
}

impl Generations {
    fn runs(&self) -> MutexGuard<'_, HashMap<i64, Run>> {
        // A panic while the lock was held leaves plain data behind: still usable.
        self.runs.lock().unwrap_or_else(|poisoned| poisoned.into_inner())
    }

    /// Claims the event's generation: refused (409) while another one runs.
    pub fn begin(self: &Arc<Self>, event_id: i64) -> Result<Ticket> {
        let mut runs = self.runs();
        if runs.get(&event_id).is_some_and(|run| run.phase.is_running()) {
            return Err(AppError::Conflict(
                "a schedule is already being generated for this event; wait for it to finish".into(),
            ));
        }
        runs.insert(
            event_id,
            Run {
                phase: Phase::Reading,
                started: Instant::now(),
                took: None,
                figures: None,
                error: None,
            },
        );
        Ok(Ticket {
            registry: Arc::clone(self),
            event_id,
            finished: false,
        })
    }

    /// The event's latest generation, if one ran since the process started.
    pub fn status(&self, event_id: i64) -> Option<GenerationStatus> {
        let runs = self.runs();
        let run = runs.get(&event_id)?;
        let elapsed = run.took.unwrap_or_else(|| run.started.elapsed());
        Some(GenerationStatus {
            event_id,
            phase: run.phase,
            elapsed_ms: u64::try_from(elapsed.as_millis()).unwrap_or(u64::MAX),
            figures: run.figures,
            error: run.error.clone(),
        })
    }

    fn update(&self, event_id: i64, change: impl FnOnce(&mut Run)) {
        if let Some(run) = self.runs().get_mut(&event_id) {
            change(run);
        }
    }
}

/// Holds an event's generation slot; reports the phases and, at the end, the outcome.
#[derive(Debug)]
pub struct Ticket {
    registry: Arc<Generations>,
    event_id: i64,
    finished: bool,
}

impl Ticket {
    pub fn phase(&self, phase: Phase) {
        self.registry.update(self.event_id, |run| run.phase = phase);
    }

    /// Records how the generation ended and frees the slot.
    pub fn finish(mut self, outcome: &Result<Preview>) {
        self.finished = true;
        self.registry.update(self.event_id, |run| {
            run.took = Some(run.started.elapsed());
            match outcome {
                Ok(preview) => {
                    run.phase = Phase::Done;
                    run.figures = Some(GenerationFigures {
                        requested: preview.requested,
                        scheduled: preview.scheduled,
                        total_weight: preview.total_weight.unwrap_or_default(),
                        upper_bound: preview.upper_bound.unwrap_or_default(),
                    });
                }
                Err(error) => {
                    run.phase = Phase::Failed;
                    run.error = Some(error.to_string());
                }
            }
        });
    }
}

impl Drop for Ticket {
    fn drop(&mut self) {
        if !self.finished {
            self.registry.update(self.event_id, |run| {
                run.took = Some(run.started.elapsed());
                run.phase = Phase::Failed;
                run.error = Some("the generation was interrupted".into());
            });
        }
    }
}

impl App {
    /// The registry of schedule generations (tests hold a ticket to play a running generation).
    pub fn generations(&self) -> &Arc<Generations> {
        &self.generations
    }

    /// Starts generating the event's schedule in the background and answers at once with its
    /// status; the organiser follows it with [`App::generation_status`]. 409 while one runs.
    #[tracing::instrument(skip(self, actor))]
    pub async fn start_generation(&self, actor: &Actor, event_id: i64) -> Result<GenerationStatus> {
        {
            let mut conn = self.store.conn().await?;
            organised_event(&mut conn, actor, event_id).await?;
        }
        let ticket = self.generations.begin(event_id)?;
        let status = self
            .generations
            .status(event_id)
            .ok_or_else(|| AppError::Internal("the generation just started is not registered".into()))?;
        let app = self.clone();
        let actor = actor.clone();
        tokio::spawn(async move {
            let outcome = app.generate_reporting(&actor, event_id, &ticket).await;
            if let Err(error) = &outcome {
                tracing::warn!(%error, event_id, "schedule generation failed");
            }
            ticket.finish(&outcome);
        });
        Ok(status)
    }

    /// The event's latest generation (organisers); `None` when none ran since the server started.
    pub async fn generation_status(&self, actor: &Actor, event_id: i64) -> Result<Option<GenerationStatus>> {
        let mut conn = self.store.conn().await?;
        organised_event(&mut conn, actor, event_id).await?;
        Ok(self.generations.status(event_id))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn preview() -> Preview {
        Preview {
            event_id: 7,
            requested: 5,
            scheduled: 4,
            total_weight: Some(9),
            upper_bound: Some(10),
            generated_at: None,
            published: false,
            tables: 2,
            slots: 3,
            meetings: Vec::new(),
            unscheduled: Vec::new(),
        }
    }

    #[test]
    fn one_generation_at_a_time_per_event() {
        let registry = Arc::new(Generations::default());
        let ticket = registry.begin(7).unwrap();
        assert!(matches!(registry.begin(7), Err(AppError::Conflict(_))));
        let other_event = registry.begin(8).unwrap();
        ticket.phase(Phase::Solving);
        assert_eq!(registry.status(7).unwrap().phase, Phase::Solving);
        ticket.finish(&Ok(preview()));
        let done = registry.status(7).unwrap();
        assert_eq!(done.phase, Phase::Done);
        assert_eq!(
            done.figures
                .map(|f| (f.requested, f.scheduled, f.total_weight, f.upper_bound)),
            Some((5, 4, 9, 10))
        );
        assert!(registry.begin(7).is_ok(), "free again once finished");
        other_event.finish(&Err(AppError::Conflict("no slot".into())));
        let failed = registry.status(8).unwrap();
        assert_eq!(
            (failed.phase, failed.error.as_deref()),
            (Phase::Failed, Some("no slot"))
        );
    }

    #[test]
    fn a_ticket_dropped_unfinished_frees_the_event() {
        let registry = Arc::new(Generations::default());
        drop(registry.begin(3).unwrap());
        let status = registry.status(3).unwrap();
        assert_eq!(status.phase, Phase::Failed);
        assert!(status.error.unwrap().contains("interrupted"));
        assert!(registry.begin(3).is_ok());
        assert_eq!(registry.status(4), None);
    }
}
