//! Exact search: looks for a schedule heavier than the incumbent with an integer program
//! (microlp branch and bound) over the columns that reduced-cost fixing cannot exclude.

use microlp::{
    ComparisonOp, Error, OptimizationDirection, Problem, SolveOptions, SolveOutcome, TerminationReason,
};

use super::bound::{Dual, Residual};
use super::model::{Model, NONE};

/// What the search concluded about the residual problem.
pub(crate) enum Outcome {
    /// No schedule beats the incumbent: it is optimal.
    Optimal,
    /// A heavier schedule (slot per residual request, NONE = left out), and whether it is optimal.
    Better { slot: Vec<u32>, optimal: bool },
    /// Out of nodes, too large, or the solver failed: nothing learnt.
    Unknown,
}

/// Columns (residual request index, slot) whose reduced cost at `prices` is at least `-slack`.
///
/// Reduced-cost fixing: at multipliers `prices` whose dual value is `bound` (≥ the LP optimum),
/// every schedule weighs at most `bound + Σ rc` over its columns, where each column's reduced
/// cost rc = w − y_a − y_b − z_a,s − z_b,s − μ_s − λ − u_e is ≤ 0 (u_e being the request row's
/// implied multiplier). So a schedule of weight ≥ `goal` uses only columns with
/// rc ≥ goal − bound: with that slack, no schedule reaching `goal` is lost.
fn columns(model: &Model, r: &Residual, prices: &Dual, slack: f64) -> Vec<(usize, u32)> {
    let mut columns = Vec::new();
    for (i, &e) in r.edges.iter().enumerate() {
        let e = e as usize;
        let cand = &r.cand[r.start[i] as usize..r.start[i + 1] as usize];
        let base = model.w[e] as f64
            - prices.y[model.ea[e] as usize]
            - prices.y[model.eb[e] as usize]
            - prices.lambda;
        let reduced = |s: u32| base - prices.slot_price(model, e, s as usize);
        let implied = cand.iter().map(|&s| reduced(s)).fold(0.0f64, f64::max);
        for &s in cand {
            // The margin absorbs round-off: keeping a column too many is always safe.
            if reduced(s) - implied >= -slack - 1e-6 {
                columns.push((i, s));
            }
        }
    }
    columns
}

/// Searches for a residual schedule heavier than `incumbent`, given multipliers `prices` whose
/// dual value is `bound`. First among the columns of zero reduced cost only (where an LP-tight
/// optimum lives, and which are few): reaching `bound` there proves optimality. Then among all
/// the columns that reduced-cost fixing keeps: infeasible there means the incumbent is optimal.
pub(crate) fn improve(
    model: &Model,
    r: &Residual,
    prices: &Dual,
    bound: f64,
    incumbent: u64,
    max_vars: usize,
    node_limit: u64,
) -> Outcome {
    let ceiling = (bound + 1e-6).floor();
    let tight = columns(model, r, prices, 0.0);
    let mut incumbent = incumbent;
    let mut found = None;
    if !tight.is_empty()
        && tight.len() <= max_vars
        && let Outcome::Better { slot, optimal } = search(model, r, &tight, incumbent + 1, node_limit)
    {
        let weight: u64 = slot
            .iter()
            .enumerate()
            .filter(|&(_, &s)| s != NONE)
            .map(|(i, _)| model.w[r.edges[i] as usize])
            .sum();
        if optimal && weight as f64 >= ceiling {
            return Outcome::Better { slot, optimal: true };
        }
        incumbent = weight;
        found = Some(slot);
    }
    let all = columns(model, r, prices, bound - (incumbent + 1) as f64);
    let outcome = if all.is_empty() {
        Outcome::Optimal
    } else if all.len() > max_vars {
        Outcome::Unknown
    } else {
        search(model, r, &all, incumbent + 1, node_limit)
    };
    match (outcome, found) {
        (Outcome::Optimal, Some(slot)) => Outcome::Better { slot, optimal: true },
        (Outcome::Unknown, Some(slot)) => Outcome::Better { slot, optimal: false },
        (outcome, _) => outcome,
    }
}

/// Maximises the weight over `columns`, requiring at least `goal`.
fn search(model: &Model, r: &Residual, columns: &[(usize, u32)], goal: u64, node_limit: u64) -> Outcome {
    let goal = goal as f64;
    let mut problem = Problem::new(OptimizationDirection::Maximize);
    let mut per_request: Vec<Vec<usize>> = vec![Vec::new(); r.edges.len()];
    let mut per_cell: std::collections::HashMap<usize, Vec<usize>> = std::collections::HashMap::new();
    let mut per_person: Vec<Vec<usize>> = vec![Vec::new(); r.n];
    let mut per_slot: Vec<Vec<usize>> = vec![Vec::new(); r.slots];
    let mut vars = Vec::with_capacity(columns.len());
    for (k, &(i, s)) in columns.iter().enumerate() {
        let e = r.edges[i] as usize;
        let (a, b) = (model.ea[e] as usize, model.eb[e] as usize);
        vars.push(problem.add_binary_var(model.w[e] as f64));
        per_request[i].push(k);
        per_cell.entry(a * r.slots + s as usize).or_default().push(k);
        per_cell.entry(b * r.slots + s as usize).or_default().push(k);
        per_person[a].push(k);
        per_person[b].push(k);
        per_slot[s as usize].push(k);
    }
    let row = |ks: &[usize]| ks.iter().map(|&k| (vars[k], 1.0)).collect::<Vec<_>>();
    for ks in per_request.iter().filter(|ks| ks.len() > 1) {
        problem.add_constraint(row(ks), ComparisonOp::Le, 1.0);
    }
    let mut cells: Vec<_> = per_cell.into_iter().filter(|(_, ks)| ks.len() > 1).collect();
    cells.sort_unstable_by_key(|(cell, _)| *cell); // HashMap order would make runs differ
    for (_, ks) in &cells {
        problem.add_constraint(row(ks), ComparisonOp::Le, 1.0);
    }
    for (p, ks) in per_person.iter().enumerate() {
        if ks.len() as f64 > r.cap[p] {
            problem.add_constraint(row(ks), ComparisonOp::Le, r.cap[p]);
        }
    }
    for (s, ks) in per_slot.iter().enumerate() {
        if ks.len() as f64 > r.tables[s] {
            problem.add_constraint(row(ks), ComparisonOp::Le, r.tables[s]);
        }
    }
    let objective: Vec<_> = columns
        .iter()
        .zip(&vars)
        .map(|(&(i, _), &v)| (v, model.w[r.edges[i] as usize] as f64))
        .collect();
    problem.add_constraint(objective, ComparisonOp::Ge, goal);
    let mut options = SolveOptions::default();
    options.node_limit = Some(node_limit);
    let outcome = match problem.solve_with(options) {
        Ok(outcome) => outcome,
        Err(Error::Infeasible) => return Outcome::Optimal,
        Err(_) => return Outcome::Unknown,
    };
    let optimal = matches!(outcome.termination_reason(), TerminationReason::ProvenOptimal);
    let SolveOutcome::Solution(solution) = outcome else {
        return Outcome::Unknown;
    };
    let mut slot = vec![NONE; r.edges.len()];
    for (&(i, s), &v) in columns.iter().zip(&vars) {
        if solution.var_value(v) > 0.5 {
            slot[i] = s;
        }
    }
    Outcome::Better { slot, optimal }
}
