//! The proven upper bound: any non-negative multipliers of the LP relaxation's dual give one
//! (weak duality); subgradient steps search for small ones and the value is evaluated exactly.

use super::model::{Model, NONE};

/// Multipliers are rounded to multiples of 1/QUANTUM before the final, exact (integer) evaluation.
const QUANTUM: f64 = (1u64 << 20) as f64;
/// Subgradient schedule: starting step factor, halved after STALL steps without a better bound,
/// stopping below MIN_THETA.
const THETA: f64 = 0.5;
const STALL: u32 = 12;
const MIN_THETA: f64 = 1e-3;

/// The residual problem left once the pinned meetings are in place: free requests, the slots
/// both of their participants still have, the caps and table counts that remain.
pub(crate) struct Residual {
    pub n: usize,
    pub slots: usize,
    pub pinned_weight: u64,
    pub edges: Vec<u32>,
    /// Candidate slots of `edges[i]` are `cand[start[i]..start[i + 1]]`.
    pub start: Vec<u32>,
    pub cand: Vec<u32>,
    pub cap: Vec<f64>,
    pub tables: Vec<f64>,
    pub total_tables: f64,
}

impl Residual {
    pub(crate) fn new(model: &Model) -> Self {
        let (n, slots) = (model.n, model.slots);
        let mut taken = vec![false; n * slots];
        let mut pinned_deg = vec![0u32; n];
        let mut pinned_used = vec![0u32; slots];
        let mut pinned_weight = 0;
        for e in 0..model.m() {
            if let Some((s, _)) = model.pinned[e] {
                let s = s as usize;
                for p in [model.ea[e] as usize, model.eb[e] as usize] {
                    taken[p * slots + s] = true;
                    pinned_deg[p] += 1;
                }
                pinned_used[s] += 1;
                pinned_weight += model.w[e];
            }
        }
        let mut residual = Residual {
            n,
            slots,
            pinned_weight,
            edges: Vec::new(),
            start: vec![0],
            cand: Vec::new(),
            cap: (0..n).map(|p| (model.cap[p] - pinned_deg[p]) as f64).collect(),
            tables: (0..slots)
                .map(|s| (model.tables - pinned_used[s]) as f64)
                .collect(),
            total_tables: 0.0,
        };
        residual.total_tables = residual.tables.iter().sum();
        for e in 0..model.m() {
            let (a, b) = (model.ea[e] as usize, model.eb[e] as usize);
            if model.pinned[e].is_some() || residual.cap[a] == 0.0 || residual.cap[b] == 0.0 {
                continue; // a request whose participant can take no more meeting adds nothing
            }
            let before = residual.cand.len();
            model.for_common_slots(e, |s| {
                if !taken[a * slots + s] && !taken[b * slots + s] {
                    residual.cand.push(s as u32);
                }
            });
            if residual.cand.len() > before {
                residual.edges.push(e as u32);
                residual.start.push(residual.cand.len() as u32);
            }
        }
        residual
    }
}

/// Dual multipliers: `y` per participant (cap), `z` per participant and slot (one meeting at a
/// time), `mu` per slot (tables), and `lambda` for the sum of the table rows (redundant in the LP,
/// but its multiplier moves every slot at once, which single-slot steps cannot do when a request
/// can go to several slots). The request rows' multipliers are implied (the positive parts).
#[derive(Debug, Clone)]
pub(crate) struct Dual {
    pub y: Vec<f64>,
    pub z: Vec<f64>,
    pub mu: Vec<f64>,
    pub lambda: f64,
}

impl Dual {
    /// What using slot `s` for request `e` costs at these prices (besides the caps).
    pub fn slot_price(&self, model: &Model, e: usize, s: usize) -> f64 {
        let slots = model.slots;
        self.z[model.ea[e] as usize * slots + s] + self.z[model.eb[e] as usize * slots + s] + self.mu[s]
    }

    /// The weight of `e` less the prices of its participants' caps and of its cheapest slot.
    pub fn reduced(&self, model: &Model, e: usize) -> f64 {
        let mut cheapest = f64::INFINITY;
        model.for_common_slots(e, |s| cheapest = cheapest.min(self.slot_price(model, e, s)));
        model.w[e] as f64 - self.y[model.ea[e] as usize] - self.y[model.eb[e] as usize] - cheapest
    }
}

/// The dual objective at `dual`, and for the subgradient the slot each request would take
/// (NONE where its reduced weight is not positive).
fn evaluate(model: &Model, r: &Residual, dual: &Dual, choice: &mut [u32], rotate: usize) -> f64 {
    let mut value: f64 = r.cap.iter().zip(&dual.y).map(|(c, y)| c * y).sum::<f64>()
        + dual.z.iter().sum::<f64>()
        + r.tables.iter().zip(&dual.mu).map(|(t, m)| t * m).sum::<f64>()
        + r.total_tables * dual.lambda;
    for (i, &e) in r.edges.iter().enumerate() {
        let e = e as usize;
        let (a, b) = (model.ea[e] as usize, model.eb[e] as usize);
        let base = model.w[e] as f64 - dual.y[a] - dual.y[b] - dual.lambda;
        let (za, zb) = (&dual.z[a * r.slots..], &dual.z[b * r.slots..]);
        let mut best = 0.0;
        let mut arg = NONE;
        // Ties go round-robin from a per-request offset, so the subgradient does not pile every
        // request on the lowest slot.
        let cand = &r.cand[r.start[i] as usize..r.start[i + 1] as usize];
        let offset = (e + rotate) % cand.len();
        for &s in cand[offset..].iter().chain(&cand[..offset]) {
            let s = s as usize;
            let reduced = base - za[s] - zb[s] - dual.mu[s];
            if reduced > best {
                best = reduced;
                arg = s as u32;
            }
        }
        choice[i] = arg;
        value += best;
    }
    value
}

/// The same dual objective in exact integer arithmetic, in units of 1/QUANTUM, with every
/// multiplier rounded down to that grid (still non-negative, hence still a valid bound).
fn exact_value(model: &Model, r: &Residual, dual: &Dual) -> i128 {
    let q = |x: f64| (x.max(0.0) * QUANTUM).floor() as i128;
    let y: Vec<i128> = dual.y.iter().map(|&x| q(x)).collect();
    let z: Vec<i128> = dual.z.iter().map(|&x| q(x)).collect();
    let mu: Vec<i128> = dual.mu.iter().map(|&x| q(x)).collect();
    let lambda = q(dual.lambda);
    let mut value: i128 = r.cap.iter().zip(&y).map(|(&c, y)| c as i128 * y).sum::<i128>()
        + z.iter().sum::<i128>()
        + r.tables
            .iter()
            .zip(&mu)
            .map(|(&t, m)| t as i128 * m)
            .sum::<i128>()
        + r.total_tables as i128 * lambda;
    for (i, &e) in r.edges.iter().enumerate() {
        let e = e as usize;
        let (a, b) = (model.ea[e] as usize, model.eb[e] as usize);
        let base = model.w[e] as i128 * QUANTUM as i128 - y[a] - y[b] - lambda;
        let best = r.cand[r.start[i] as usize..r.start[i + 1] as usize]
            .iter()
            .map(|&s| {
                let s = s as usize;
                base - z[a * r.slots + s] - z[b * r.slots + s] - mu[s]
            })
            .max()
            .unwrap_or(0)
            .max(0);
        value += best;
    }
    value
}

/// Sets each table multiplier to its exact minimiser given the others: the (T+1)-th largest
/// gain a request draws from that slot over its best other slot.
fn best_mu(model: &Model, r: &Residual, dual: &mut Dual) {
    let mut gains: Vec<Vec<f64>> = vec![Vec::new(); r.slots];
    for (i, &e) in r.edges.iter().enumerate() {
        let e = e as usize;
        let (a, b) = (model.ea[e] as usize, model.eb[e] as usize);
        let base = model.w[e] as f64 - dual.y[a] - dual.y[b] - dual.lambda;
        let cand = &r.cand[r.start[i] as usize..r.start[i + 1] as usize];
        let (mut first, mut second, mut arg) = (0.0f64, 0.0f64, NONE);
        for &s in cand {
            let s = s as usize;
            let v = base - dual.z[a * r.slots + s] - dual.z[b * r.slots + s] - dual.mu[s];
            if v > first {
                second = first;
                first = v;
                arg = s as u32;
            } else if v > second {
                second = v;
            }
        }
        for &s in cand {
            let s = s as usize;
            let v = base - dual.z[a * r.slots + s] - dual.z[b * r.slots + s];
            let other = if arg == s as u32 { second } else { first };
            if v > other {
                gains[s].push(v - other);
            }
        }
    }
    for (s, g) in gains.iter_mut().enumerate() {
        dual.mu[s] = kth_largest(g, r.tables[s] as usize + 1);
    }
}

/// Sets each cap multiplier to its exact minimiser given the others: the (cap+1)-th largest
/// reduced weight among the participant's requests.
fn best_y(model: &Model, r: &Residual, dual: &mut Dual) {
    let mut reduced: Vec<Vec<f64>> = vec![Vec::new(); r.n];
    for (i, &e) in r.edges.iter().enumerate() {
        let e = e as usize;
        let (a, b) = (model.ea[e] as usize, model.eb[e] as usize);
        let mut best = f64::NEG_INFINITY;
        for &s in &r.cand[r.start[i] as usize..r.start[i + 1] as usize] {
            let s = s as usize;
            best = best.max(-dual.z[a * r.slots + s] - dual.z[b * r.slots + s] - dual.mu[s]);
        }
        let v = model.w[e] as f64 - dual.lambda + best;
        reduced[a].push(v - dual.y[b]);
        reduced[b].push(v - dual.y[a]);
    }
    // All participants at once (Jacobi): this can overshoot where two capped participants share
    // requests, which is harmless since only the best multipliers seen are kept.
    for ((y, values), &cap) in dual.y.iter_mut().zip(&mut reduced).zip(&r.cap) {
        *y = kth_largest(values, cap as usize + 1);
    }
}

/// Sets the all-tables multiplier to its exact minimiser given the others: the (ΣT+1)-th
/// largest reduced weight over all requests.
fn best_lambda(model: &Model, r: &Residual, dual: &mut Dual) {
    let mut reduced = Vec::with_capacity(r.edges.len());
    for (i, &e) in r.edges.iter().enumerate() {
        let e = e as usize;
        let (a, b) = (model.ea[e] as usize, model.eb[e] as usize);
        let mut best = f64::NEG_INFINITY;
        for &s in &r.cand[r.start[i] as usize..r.start[i + 1] as usize] {
            let s = s as usize;
            best = best.max(-dual.z[a * r.slots + s] - dual.z[b * r.slots + s] - dual.mu[s]);
        }
        let v = model.w[e] as f64 - dual.y[a] - dual.y[b] + best;
        if v > 0.0 {
            reduced.push(v);
        }
    }
    dual.lambda = kth_largest(&mut reduced, r.total_tables as usize + 1);
}

/// Zeroes the subgradient coordinates whose multiplier is at zero and would go negative.
fn project(g: &mut Dual, at: &Dual) {
    let clip = |g: &mut f64, x: f64| {
        if x <= 0.0 && *g > 0.0 {
            *g = 0.0;
        }
    };
    g.y.iter_mut().zip(&at.y).for_each(|(g, &x)| clip(g, x));
    g.z.iter_mut().zip(&at.z).for_each(|(g, &x)| clip(g, x));
    g.mu.iter_mut().zip(&at.mu).for_each(|(g, &x)| clip(g, x));
    clip(&mut g.lambda, at.lambda);
}

fn inner(u: &Dual, v: &Dual) -> f64 {
    let dot = |a: &[f64], b: &[f64]| a.iter().zip(b).map(|(x, y)| x * y).sum::<f64>();
    dot(&u.y, &v.y) + dot(&u.z, &v.z) + dot(&u.mu, &v.mu) + u.lambda * v.lambda
}

/// direction ← g + beta · direction
fn combine(direction: &mut Dual, g: &Dual, beta: f64) {
    let mix = |d: &mut [f64], g: &[f64]| d.iter_mut().zip(g).for_each(|(d, &g)| *d = g + beta * *d);
    mix(&mut direction.y, &g.y);
    mix(&mut direction.z, &g.z);
    mix(&mut direction.mu, &g.mu);
    direction.lambda = g.lambda + beta * direction.lambda;
}

/// dual ← max(0, dual − step · direction)
fn advance(dual: &mut Dual, direction: &Dual, step: f64) {
    let go = |x: &mut [f64], d: &[f64]| {
        x.iter_mut()
            .zip(d)
            .for_each(|(x, &d)| *x = (*x - step * d).max(0.0))
    };
    go(&mut dual.y, &direction.y);
    go(&mut dual.z, &direction.z);
    go(&mut dual.mu, &direction.mu);
    dual.lambda = (dual.lambda - step * direction.lambda).max(0.0);
}

fn kth_largest(values: &mut [f64], k: usize) -> f64 {
    if values.len() < k {
        return 0.0;
    }
    let (_, kth, _) = values.select_nth_unstable_by(k - 1, |x, y| y.total_cmp(x));
    kth.max(0.0)
}

/// A proven upper bound on the total weight of any feasible schedule (pinned meetings included),
/// with the multipliers that give it (prices that the priced greedy uses).
/// `target` is the weight of a known schedule: it steers the step sizes and stops the search
/// once the bound reaches it. `iterations` caps the subgradient steps; `start` resumes from
/// earlier multipliers.
pub(crate) fn upper_bound(
    model: &Model,
    r: &Residual,
    target: u64,
    iterations: u32,
    start: Option<Dual>,
) -> (u64, Dual) {
    let fresh = start.is_none();
    let mut dual = start.unwrap_or_else(|| Dual {
        y: vec![0.0; r.n],
        z: vec![0.0; r.n * r.slots],
        mu: vec![0.0; r.slots],
        lambda: 0.0,
    });
    let goal = target.saturating_sub(r.pinned_weight) as f64;
    let mut choice = vec![NONE; r.edges.len()];
    let mut best = dual.clone();
    let mut best_value = evaluate(model, r, &dual, &mut choice, 0);
    // Exact coordinate steps on the aggregate multipliers first: they take most of the gap at
    // once; the subgradient then spreads it over slots and people.
    for round in 0..if fresh { 4 } else { 0 } {
        best_lambda(model, r, &mut dual);
        best_y(model, r, &mut dual);
        best_mu(model, r, &mut dual);
        let value = evaluate(model, r, &dual, &mut choice, round);
        if value < best_value {
            best_value = value;
            best = dual.clone();
        }
    }
    dual = best.clone();
    let mut theta = THETA;
    let mut stall = 0;
    // Deflected subgradient (Camerini–Fratta–Maffioli): with many requests tied at a zero
    // reduced weight, plain subgradients zigzag; mixing in the previous direction damps it.
    let mut direction = Dual {
        y: vec![0.0; r.n],
        z: vec![0.0; r.n * r.slots],
        mu: vec![0.0; r.slots],
        lambda: 0.0,
    };
    let mut g = direction.clone();
    for iteration in 0..iterations as usize {
        let value = evaluate(model, r, &dual, &mut choice, iteration);
        if value < best_value {
            best_value = value;
            best = dual.clone();
            stall = 0;
        } else {
            stall += 1;
            if stall >= STALL {
                theta /= 2.0;
                stall = 0;
                dual = best.clone();
            }
        }
        if best_value.floor() <= goal || theta < MIN_THETA {
            break;
        }
        // Subgradient g = capacity − load (a step goes against it).
        g.y.clone_from(&r.cap);
        g.z.fill(1.0);
        g.mu.clone_from(&r.tables);
        g.lambda = r.total_tables;
        for (i, &e) in r.edges.iter().enumerate() {
            let s = choice[i];
            if s == NONE {
                continue;
            }
            let (s, e) = (s as usize, e as usize);
            for p in [model.ea[e] as usize, model.eb[e] as usize] {
                g.y[p] -= 1.0;
                g.z[p * r.slots + s] -= 1.0;
            }
            g.mu[s] -= 1.0;
            g.lambda -= 1.0;
        }
        // A coordinate at zero that the step would push below zero does not move: drop it.
        project(&mut g, &dual);
        let dot = inner(&g, &direction);
        let beta = if dot < 0.0 {
            -1.5 * dot / inner(&direction, &direction).max(1e-12)
        } else {
            0.0
        };
        combine(&mut direction, &g, beta);
        let norm = inner(&direction, &direction);
        if norm == 0.0 {
            break; // the chosen slots form a feasible point of the LP: the bound is its value
        }
        let step = theta * (value - goal).max(1.0) / norm;
        advance(&mut dual, &direction, step);
    }
    (certify(model, r, &best), best)
}

/// The dual objective of the residual problem at `dual`, in floating point (for reduced-cost
/// fixing, which only needs it approximately and adds its own margin).
pub(crate) fn residual_value(model: &Model, r: &Residual, dual: &Dual) -> f64 {
    let mut choice = vec![NONE; r.edges.len()];
    evaluate(model, r, dual, &mut choice, 0)
}

/// The bound that multipliers `dual` prove, computed exactly: pinned weight plus the dual
/// objective, rounded down since every schedule's weight is an integer.
pub(crate) fn certify(model: &Model, r: &Residual, dual: &Dual) -> u64 {
    let value = exact_value(model, r, dual);
    r.pinned_weight + (value / QUANTUM as i128) as u64
}
