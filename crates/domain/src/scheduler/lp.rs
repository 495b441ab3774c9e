//! The LP bound solved to optimality for small and medium events: the dual LP by constraint
//! generation (microlp); its multipliers are then certified like any others by `bound`.

use std::collections::HashMap;

use microlp::{ComparisonOp, OptimizationDirection, Problem, Variable};

use super::bound::{Dual, Residual};
use super::model::{Model, NONE};

/// Tolerance above which a request's reduced weight counts as a violated dual row.
const VIOLATION: f64 = 1e-6;

/// Minimises the LP dual over the rows (request, slot) seen so far, adds for each request its
/// most violated row at the multipliers found, and repeats until none is violated (then the
/// multipliers are optimal for the whole LP) or `rounds` runs out. Starts from the slots of a
/// known schedule (`slots`, per residual request) and the best slot at the `start` prices.
/// Returns the multipliers, or None if microlp fails.
pub(crate) fn solve(model: &Model, r: &Residual, start: &Dual, slots: &[u32], rounds: u32) -> Option<Dual> {
    let mut rows: Vec<Vec<u32>> = (0..r.edges.len())
        .map(|i| {
            let mut chosen = Vec::with_capacity(2);
            if slots[i] != NONE {
                chosen.push(slots[i]);
            }
            let best = most_violated(model, r, start, i, f64::NEG_INFINITY);
            if let Some(s) = best
                && !chosen.contains(&s)
            {
                chosen.push(s);
            }
            chosen
        })
        .collect();
    let max_weight = model.w.iter().copied().max().unwrap_or(1) as f64;
    let mut dual = None;
    for _ in 0..rounds {
        let (found, u) = solve_restricted(model, r, &rows, max_weight)?;
        let mut added = false;
        for (i, row) in rows.iter_mut().enumerate() {
            if let Some(s) = most_violated(model, r, &found, i, u[i] + VIOLATION)
                && !row.contains(&s)
            {
                row.push(s);
                added = true;
            }
        }
        dual = Some(found);
        if !added {
            break;
        }
    }
    dual
}

/// The slot where request `i`'s reduced weight is largest, if that exceeds `above`.
fn most_violated(model: &Model, r: &Residual, dual: &Dual, i: usize, above: f64) -> Option<u32> {
    let e = r.edges[i] as usize;
    let (a, b) = (model.ea[e] as usize, model.eb[e] as usize);
    let base = model.w[e] as f64 - dual.y[a] - dual.y[b] - dual.lambda;
    let mut best = (above, None);
    for &s in &r.cand[r.start[i] as usize..r.start[i + 1] as usize] {
        let v = base - dual.slot_price(model, e, s as usize);
        if v > best.0 {
            best = (v, Some(s));
        }
    }
    best.1
}

/// The dual LP restricted to `rows`: min Σ cap·y + Σ z + Σ T·μ + Σ u subject to
/// u_e + y_a + y_b + z_{a,s} + z_{b,s} + μ_s ≥ w_e for each listed (e, s). Multipliers are capped
/// at the largest weight, which some optimal solution respects anyway.
fn solve_restricted(
    model: &Model,
    r: &Residual,
    rows: &[Vec<u32>],
    max_weight: f64,
) -> Option<(Dual, Vec<f64>)> {
    let mut problem = Problem::new(OptimizationDirection::Minimize);
    let bounds = (0.0, max_weight);
    let y: Vec<Variable> = (0..r.n).map(|p| problem.add_var(r.cap[p], bounds)).collect();
    let mu: Vec<Variable> = (0..r.slots)
        .map(|s| problem.add_var(r.tables[s], bounds))
        .collect();
    let u: Vec<Variable> = (0..r.edges.len()).map(|_| problem.add_var(1.0, bounds)).collect();
    let mut z: HashMap<usize, Variable> = HashMap::new();
    for (i, row) in rows.iter().enumerate() {
        let e = r.edges[i] as usize;
        let (a, b) = (model.ea[e] as usize, model.eb[e] as usize);
        for &s in row {
            let s = s as usize;
            let mut cell = |p: usize| {
                *z.entry(p * r.slots + s)
                    .or_insert_with(|| problem.add_var(1.0, bounds))
            };
            let (za, zb) = (cell(a), cell(b));
            problem.add_constraint(
                [
                    (u[i], 1.0),
                    (y[a], 1.0),
                    (y[b], 1.0),
                    (za, 1.0),
                    (zb, 1.0),
                    (mu[s], 1.0),
                ],
                ComparisonOp::Ge,
                model.w[e] as f64,
            );
        }
    }
    let solution = problem.solve().ok()?.into_solution().ok()?;
    let value = |v: Variable| solution.var_value(v).max(0.0);
    let mut dual = Dual {
        y: y.iter().map(|&v| value(v)).collect(),
        z: vec![0.0; r.n * r.slots],
        mu: mu.iter().map(|&v| value(v)).collect(),
        lambda: 0.0,
    };
    for (&cell, &v) in &z {
        dual.z[cell] = value(v);
    }
    Some((dual, u.iter().map(|&v| value(v)).collect()))
}
