//! Business-meeting scheduler: assigns accepted requests to (slot, table), maximising total weight,
//! then SME coverage and compact agendas, and proves how far from optimal the result can be.
//!
//! # The problem
//! Requests are edges of a graph on the participants, with positive integer weights. A schedule
//! picks a set of edges and a slot for each such that nobody is in two meetings in a slot, a slot
//! holds at most `tables` meetings, both people are available in the slot, and nobody exceeds
//! `max_meetings`. It is a weighted, degree-capped edge colouring with slot capacities: NP-hard
//! in general (edge colouring alone is), so large events get a heuristic with a proven bound and
//! small ones an exact search.
//!
//! # The algorithm (why this shape)
//! 1. **Greedy by weight** (`construct`): heaviest requests first, the most constrained first
//!    among equals (fewest common slots); each goes to the feasible slot with the most free
//!    tables. Weight order is what a first-come, first-served platform lacks; spreading the tables
//!    keeps every slot usable for the constrained requests that come later.
//! 2. **Local search** (`improve`), heaviest unscheduled request first, passes until no gain:
//!    *Kempe swaps* exchange two slots along the whole alternating path of meetings that blocks
//!    a request; *relocation chains* move the meetings in the way to other slots, displacing
//!    others in turn (depth-limited); neither loses a meeting. *Ejections* then drop the lighter
//!    meetings in the way (or over a cap, or holding the last table), schedule the request and
//!    put the dropped ones back if they fit; *augmenting paths* (as in b-matching) give a
//!    participant with room a request whose partner is full, dropping that partner's lighter
//!    meeting and going on from its other participant. Moves that drop meetings are kept only when
//!    the total weight grows. Every limit counts work, not time, so a given instance always gives
//!    the same schedule: there is no randomness at all.
//! 3. **The bound** (`bound`, then `lp`): subgradient steps on the Lagrangian dual; when the LP
//!    is small (≤ `lp_max_vars` request × slot columns, i.e. typical events) its dual is solved
//!    to optimality by constraint generation with microlp.
//! 4. **Lagrangian heuristic** (`construct::priced_greedy`): a second greedy in the order of
//!    reduced weight at those multipliers (weight less the prices of both caps and of the
//!    cheapest slot), each request in its cheapest slot, then the same local search; the heavier
//!    schedule is kept. Weight order alone misjudges which of a popular participant's requests
//!    to keep; the prices know which partners are scarce. On our instances the LP relaxation is
//!    usually tight, and this is what brings small events within a few units of the optimum.
//! 5. **Exact search** (`exact`) while the bound is not reached: integer programming with
//!    microlp over the columns that *reduced-cost fixing* keeps (at the multipliers above, a
//!    column whose reduced cost exceeds the gap cannot be in a better schedule), first the
//!    zero-reduced-cost columns alone (few, and where an LP-tight optimum lives), then all kept
//!    ones; bounded by `exact_max_vars` and a node limit. Infeasible means the incumbent is
//!    optimal, which is how typical events get proven optimal in well under a second. microlp is
//!    used directly rather than through good_lp for node limits (deterministic, unlike time
//!    limits) and for its infeasibility answer.
//! 6. **SME coverage, then gaps** (`polish`), never at the cost of weight: an SME with no meeting
//!    gets one through an insertion or an exchange against meetings of at most the same weight
//!    that uncovers no other SME; then meetings move to other free slots, or two meetings of one
//!    person swap slots, while that shortens idle gaps. The objectives are lexicographic (weight,
//!    then these); the two act on different decisions (which meetings; which slots), so running
//!    coverage first costs the gaps nothing in practice.
//!
//! # The upper bound and why it is valid (`bound`)
//! With x[e,s] ≥ 0 for request e in a slot s both its people have, the LP relaxation reads
//! max Σ w_e x[e,s] subject to: Σ_s x[e,s] ≤ 1 (each request once); Σ_{e∋p} x[e,s] ≤ 1 (one
//! meeting per person per slot); Σ_{e∋p,s} x[e,s] ≤ cap_p (caps, tightened to the number of slots
//! p is available in, which every schedule respects anyway); Σ_e x[e,s] ≤ T (tables); and the
//! sum of the table rows, Σ_{e,s} x[e,s] ≤ S·T (redundant, but its multiplier λ moves all slots at
//! once). Every schedule is an integral point of it, so the LP optimum bounds every schedule. By
//! weak duality, for *any* multipliers y_p, z_{p,s}, μ_s, λ ≥ 0 the value
//! `Σ cap_p y_p + Σ z_{p,s} + T Σ μ_s + S·T λ + Σ_e max(0, max_s (w_e − y_a − y_b − z_{a,s} − z_{b,s} − μ_s − λ))`
//! is at least the LP optimum (the last term is the best multiplier of the request rows given the
//! others). So the bound is valid whatever multipliers the search ends with, whether they come
//! from subgradient steps, exact coordinate minimisation, or microlp's floating-point LP: the
//! solver is only trusted to *find* multipliers, never to certify them. The final value is
//! computed in integer arithmetic with the multipliers rounded down to multiples of 2^-20 (still
//! non-negative, still valid), then rounded down, since any schedule's weight is an integer.
//! Pinned meetings are fixed: their weight is added and the residual problem has their people's
//! slots, cap units and tables removed. This accounts for tables per slot and per-slot
//! availability, which the per-participant "top-k incident weights / 2" bound ignores. When the
//! exact search proves the schedule optimal, the bound reported is the schedule's weight (that
//! proof does rely on microlp's branch and bound and its infeasibility answer). The reported
//! bound is never below the schedule's weight.
//!
//! # Incremental mode
//! Pinned meetings are placed first and are never moved, dropped or counted as movable by any
//! move; new requests fill around them.

mod bound;
mod construct;
mod exact;
mod improve;
mod instance;
mod lp;
mod model;
mod polish;
mod reasons;
mod state;
mod validate;

#[cfg(test)]
mod tests;

pub use instance::{Instance, Kind, Participant, Placed, Reason, Request, Schedule, Unscheduled};
pub use validate::{InvalidInstance, MAX_SLOTS, MAX_WEIGHT};

use improve::Effort;
use model::{Model, NONE};
use state::State;

/// How hard to search. The defaults meet the targets of DESIGN.md; every limit counts work.
#[derive(Debug, Clone, Copy)]
pub struct Options {
    /// Largest integer program (request × slot variables) handed to the exact search.
    pub exact_max_vars: usize,
    /// Branch-and-bound nodes the exact search may explore.
    pub exact_node_limit: u64,
    /// Subgradient steps spent on the bound.
    pub bound_iterations: u32,
    /// Largest LP (request × slot columns) whose bound is solved to optimality.
    pub lp_max_vars: usize,
    /// Constraint-generation rounds for that LP.
    pub lp_rounds: u32,
}

impl Default for Options {
    fn default() -> Self {
        Options {
            exact_max_vars: 8_000,
            exact_node_limit: 200,
            bound_iterations: 300,
            lp_max_vars: 10_000,
            lp_rounds: 12,
        }
    }
}

/// Checks an instance without scheduling it.
pub fn validate(instance: &Instance) -> Result<(), InvalidInstance> {
    validate::build(instance).map(|_| ())
}

/// Schedules `instance` with the default effort.
pub fn schedule(instance: &Instance) -> Result<Schedule, InvalidInstance> {
    schedule_with(instance, &Options::default())
}

/// Schedules `instance`: see the module documentation for the method and the bound.
pub fn schedule_with(instance: &Instance, options: &Options) -> Result<Schedule, InvalidInstance> {
    let model = validate::build(instance)?;
    let effort = Effort {
        depth: 3,
        budget: 200,
        passes: 6,
        eject_slots: 4,
    };
    let order = construct::priority_order(&model);
    let mut state = State::new(&model);
    construct::greedy(&mut state, &order);
    improve::improve(&mut state, &order, &effort);
    let residual = bound::Residual::new(&model);
    let (mut upper, mut prices) =
        bound::upper_bound(&model, &residual, state.weight, options.bound_iterations, None);
    let small = residual.cand.len() <= options.lp_max_vars;
    if state.weight < upper && small {
        let slots: Vec<u32> = residual.edges.iter().map(|&e| state.slot[e as usize]).collect();
        if let Some(optimal) = lp::solve(&model, &residual, &prices, &slots, options.lp_rounds) {
            let proven = bound::certify(&model, &residual, &optimal);
            if proven <= upper {
                upper = proven;
                prices = optimal;
            }
        }
    }
    if state.weight < upper {
        // Lagrangian heuristic: a second schedule built in the order the LP prices suggest.
        let priced = construct::priced_order(&model, &prices);
        let mut other = State::new(&model);
        construct::priced_greedy(&mut other, &priced, &prices);
        improve::improve(&mut other, &priced, &effort);
        if other.weight > state.weight {
            state = other;
        }
    }
    if state.weight < upper {
        let value = bound::residual_value(&model, &residual, &prices) * (1.0 + 1e-9) + 1e-6;
        let incumbent = state.weight - residual.pinned_weight;
        // Without the exact LP the reduced costs fix few columns: keep the program small.
        let max_vars = if small {
            options.exact_max_vars
        } else {
            options.exact_max_vars / 4
        };
        let nodes = options.exact_node_limit;
        match exact::improve(&model, &residual, &prices, value, incumbent, max_vars, nodes) {
            exact::Outcome::Optimal => upper = state.weight,
            exact::Outcome::Better { slot, optimal, .. } => {
                if let Some(better) = adopt(&model, &residual, &slot) {
                    state = better;
                    if optimal {
                        upper = state.weight;
                    } else {
                        improve::improve(&mut state, &order, &effort);
                    }
                }
            }
            exact::Outcome::Unknown => {}
        }
    }
    fill(&mut state, &order);
    polish::cover_smes(&mut state, &effort);
    polish::compact(&mut state, 8);
    // A valid bound is never below a feasible schedule; this only guards the LP's round-off.
    let upper = upper.max(state.weight);
    Ok(render(instance, &state, upper))
}

/// First come, first served (request order, earliest slot that fits): the baseline that
/// benchmarks compare against. Its `upper_bound` is the trivial one, the sum of all weights.
pub fn first_come_first_served(instance: &Instance) -> Result<Schedule, InvalidInstance> {
    let model = validate::build(instance)?;
    let mut state = State::new(&model);
    construct::request_order(&mut state);
    let total = model.w.iter().sum();
    Ok(render(instance, &state, total))
}

/// A schedule from the exact search's slots, checked move by move (None if any does not fit).
fn adopt<'m>(model: &'m Model, residual: &bound::Residual, slots: &[u32]) -> Option<State<'m>> {
    let mut state = State::new(model);
    for (i, &e) in residual.edges.iter().enumerate() {
        let s = slots[i];
        if s != NONE {
            if !state.fits(e as usize, s as usize) {
                return None;
            }
            state.place(e as usize, s as usize);
        }
    }
    Some(state)
}

/// Places every request that still fits as things stand, so that each unscheduled request has
/// a real obstacle to report.
fn fill(state: &mut State<'_>, order: &[u32]) {
    for &e in order {
        let e = e as usize;
        if state.slot[e] != NONE {
            continue;
        }
        let mut slot = NONE;
        state.model.for_common_slots(e, |s| {
            if slot == NONE && state.fits(e, s) {
                slot = s as u32;
            }
        });
        if slot != NONE {
            state.place(e, slot as usize);
        }
    }
}

/// The output form: meetings with tables (pinned ones keep theirs; the others take the lowest
/// free numbers in request order), totals and the reasons of the unscheduled requests.
fn render(instance: &Instance, state: &State<'_>, upper: u64) -> Schedule {
    let model = state.model;
    let mut taken = vec![Vec::<bool>::new(); model.slots];
    let mut next = vec![0u32; model.slots];
    for e in 0..model.m() {
        if let Some((s, t)) = model.pinned[e] {
            let row = &mut taken[s as usize];
            if row.len() <= t as usize {
                row.resize(t as usize + 1, false);
            }
            row[t as usize] = true;
        }
    }
    let mut meetings = Vec::new();
    let mut unscheduled = Vec::new();
    for (e, request) in instance.requests.iter().enumerate() {
        let s = state.slot[e];
        if s == NONE {
            let (reason, detail) = reasons::explain(instance, state, e);
            unscheduled.push(Unscheduled {
                a: request.a.clone(),
                b: request.b.clone(),
                reason,
                detail,
            });
            continue;
        }
        let table = match model.pinned[e] {
            Some((_, t)) => t,
            None => {
                let (row, t) = (&taken[s as usize], &mut next[s as usize]);
                while row.get(*t as usize).copied().unwrap_or(false) {
                    *t += 1;
                }
                *t += 1;
                *t - 1
            }
        };
        meetings.push(Placed {
            a: request.a.clone(),
            b: request.b.clone(),
            slot: s,
            table,
        });
    }
    meetings.sort_by_key(|m| (m.slot, m.table));
    Schedule {
        meetings,
        total_weight: state.weight,
        upper_bound: upper,
        unscheduled,
        proven_optimal: state.weight == upper,
        idle_gaps: state.total_gaps(),
    }
}
