//! Local search that raises a schedule's weight: Kempe swaps and relocation chains that make room
//! without losing anything, ejections of lighter meetings, and b-matching augmenting paths.

use super::model::NONE;
use super::state::State;

/// Effort knobs; every limit counts work, not time, so runs are reproducible.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Effort {
    /// Nested displacements a relocation chain may make.
    pub depth: u32,
    /// Search nodes one insertion attempt may visit.
    pub budget: u32,
    /// Passes over the unscheduled requests.
    pub passes: u32,
    /// Slots tried per ejection attempt (the cheapest first).
    pub eject_slots: usize,
}

/// Moves meeting `f` to another slot, never into a slot listed in `tabu`, displacing at most
/// `depth` levels of other meetings (which may take the slot `f` leaves: a Kempe swap).
/// On failure the state is as before.
pub(crate) fn evict(
    state: &mut State<'_>,
    f: usize,
    depth: u32,
    tabu: &mut Vec<u32>,
    budget: &mut u32,
) -> bool {
    let model = state.model;
    let (c, d) = (model.ea[f] as usize, model.eb[f] as usize);
    let from = state.slot[f];
    let start = state.mark();
    state.unplace(f);
    let mut target = NONE;
    model.for_common_slots(f, |s| {
        if target == NONE
            && s as u32 != from
            && !tabu.contains(&(s as u32))
            && state.free(c, s)
            && state.free(d, s)
            && state.table_free(s)
        {
            target = s as u32;
        }
    });
    if target != NONE {
        state.place(f, target as usize);
        return true;
    }
    if depth > 0 {
        for s in model.common_slots(f) {
            if *budget == 0 {
                break;
            }
            if s as u32 == from || tabu.contains(&(s as u32)) {
                continue;
            }
            let (g1, g2) = (state.busy(c, s), state.busy(d, s));
            if g1 == NONE && g2 == NONE {
                continue; // only the tables are full there; freeing one is the table pass's job
            }
            if (g1 != NONE && !state.movable(g1 as usize)) || (g2 != NONE && !state.movable(g2 as usize)) {
                continue;
            }
            *budget -= 1;
            let before = state.mark();
            tabu.push(s as u32);
            let moved = (g1 == NONE || evict(state, g1 as usize, depth - 1, tabu, budget))
                && (g2 == NONE || evict(state, g2 as usize, depth - 1, tabu, budget));
            tabu.pop();
            if moved && state.free(c, s) && state.free(d, s) && state.table_free(s) {
                state.place(f, s);
                return true;
            }
            state.undo_to(before);
        }
    }
    state.undo_to(start);
    false
}

/// Schedules unscheduled request `e` without dropping any meeting, relocating the meetings in the
/// way if needed. On failure the state is as before.
pub(crate) fn insert(state: &mut State<'_>, e: usize, effort: &Effort) -> bool {
    let model = state.model;
    let (a, b) = (model.ea[e] as usize, model.eb[e] as usize);
    if !state.room(a) || !state.room(b) {
        return false;
    }
    let mut direct = NONE;
    model.for_common_slots(e, |s| {
        if direct == NONE && state.fits(e, s) {
            direct = s as u32;
        }
    });
    if direct != NONE {
        state.place(e, direct as usize);
        return true;
    }
    if kempe(state, e) {
        return true;
    }
    if effort.depth == 0 || state.open_slots == 0 {
        // With every slot full, making room for `e` means a slot losing a meeting for good.
        return false;
    }
    let mut budget = effort.budget;
    let mut tabu = Vec::with_capacity(effort.depth as usize + 2);
    for s in model.common_slots(e) {
        if budget == 0 {
            break;
        }
        let (g1, g2) = (state.busy(a, s), state.busy(b, s));
        if (g1 != NONE && !state.movable(g1 as usize)) || (g2 != NONE && !state.movable(g2 as usize)) {
            continue;
        }
        let start = state.mark();
        tabu.clear();
        tabu.push(s as u32);
        let mut ok = (g1 == NONE || evict(state, g1 as usize, effort.depth - 1, &mut tabu, &mut budget))
            && (g2 == NONE || evict(state, g2 as usize, effort.depth - 1, &mut tabu, &mut budget));
        if ok && !state.table_free(s) {
            ok = free_a_table(state, s, effort.depth - 1, &mut tabu, &mut budget);
        }
        if ok && state.fits(e, s) {
            state.place(e, s);
            return true;
        }
        state.undo_to(start);
    }
    false
}

/// Longest alternating path a Kempe swap may move.
const KEMPE_LIMIT: usize = 64;

/// Schedules `e` in a slot s1 where one participant `x` is free and the other, `y`, is busy, by
/// swapping slots s1 and s2 along the alternating path of meetings that starts at `y` (who is
/// free in s2): afterwards `y` is free in s1. The path is followed to its end however long
/// (up to KEMPE_LIMIT), which the depth-limited relocation search cannot do.
fn kempe(state: &mut State<'_>, e: usize) -> bool {
    let model = state.model;
    let (a, b) = (model.ea[e] as usize, model.eb[e] as usize);
    let common = model.common_slots(e);
    let mut path = Vec::with_capacity(KEMPE_LIMIT);
    for &s1 in &common {
        for (x, y) in [(a, b), (b, a)] {
            if !state.free(x, s1) || state.free(y, s1) {
                continue;
            }
            // s2 only needs `y` free (and available) there: `x` keeps its own slot-s2 meeting.
            for s2 in 0..model.slots {
                if s2 == s1 || !model.available(y, s2) || !state.free(y, s2) {
                    continue;
                }
                if kempe_path(state, y, x, s1, s2, &mut path) {
                    let start = state.mark();
                    for &(g, _) in &path {
                        state.unplace(g as usize);
                    }
                    for &(g, to) in &path {
                        state.place(g as usize, to as usize);
                    }
                    if state.fits(e, s1) {
                        state.place(e, s1);
                        return true;
                    }
                    state.undo_to(start);
                }
            }
        }
    }
    false
}

/// The alternating s1/s2 path from `y` (busy in s1, free in s2) as (meeting, new slot), if every
/// meeting on it can change slot, it avoids `x`, and the table counts allow the swap plus one
/// more meeting in s1.
fn kempe_path(
    state: &State<'_>,
    y: usize,
    x: usize,
    s1: usize,
    s2: usize,
    path: &mut Vec<(u32, u32)>,
) -> bool {
    let model = state.model;
    path.clear();
    let (mut v, mut here, mut there) = (y, s1, s2);
    let (mut out_of_s1, mut into_s1) = (0i64, 0i64);
    loop {
        let g = state.busy(v, here);
        if g == NONE {
            break;
        }
        let g = g as usize;
        let u = model.other(g, v);
        if u == x
            || !state.movable(g)
            || path.len() == KEMPE_LIMIT
            || !model.available(v, there)
            || !model.available(u, there)
        {
            return false;
        }
        path.push((g as u32, there as u32));
        if here == s1 {
            out_of_s1 += 1;
        } else {
            into_s1 += 1;
        }
        v = u;
        std::mem::swap(&mut here, &mut there);
    }
    let tables = model.tables as i64;
    state.used[s1] as i64 - out_of_s1 + into_s1 < tables
        && state.used[s2] as i64 + out_of_s1 - into_s1 <= tables
}

/// Moves some meeting out of full slot `s` into a slot with a free table.
fn free_a_table(state: &mut State<'_>, s: usize, depth: u32, tabu: &mut Vec<u32>, budget: &mut u32) -> bool {
    if state.open_slots == 0 {
        return false; // every slot is full: a table can only be freed by dropping a meeting
    }
    let candidates: Vec<u32> = state.by_weight[s].iter().map(|&(_, g)| g).collect();
    for g in candidates {
        if *budget == 0 {
            return false;
        }
        *budget -= 1;
        if evict(state, g as usize, depth.min(1), tabu, budget) {
            return true;
        }
    }
    false
}

/// Which results of an ejection move are kept.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Keep {
    /// Only a heavier schedule.
    Heavier,
    /// A heavier one, or one of equal weight that leaves no SME without a meeting among the
    /// participants of the dropped meetings (used to give an uncovered SME a meeting).
    SmeNeutral,
}

/// Schedules `e` at the slot where that costs least, dropping the lighter meetings in its way,
/// then tries to put the dropped ones back elsewhere; keeps the result as `keep` says.
/// On failure the state is as before.
pub(crate) fn eject_insert(state: &mut State<'_>, e: usize, effort: &Effort, keep: Keep) -> bool {
    let neutral = keep == Keep::SmeNeutral;
    let model = state.model;
    let (a, b) = (model.ea[e] as usize, model.eb[e] as usize);
    let we = model.w[e];
    let mut options: Vec<(u64, usize)> = Vec::new();
    model.for_common_slots(e, |s| {
        // An equal cost is worth trying: the people it frees may then take other requests.
        if let Some(cost) = ejection_cost(state, e, s)
            && cost <= we
        {
            options.push((cost, s));
        }
    });
    options.sort_unstable();
    options.truncate(effort.eject_slots);
    for (_, s) in options {
        let start = state.mark();
        let before = state.weight;
        let mut dropped = Vec::new();
        for p in [a, b] {
            let g = state.busy(p, s);
            if g != NONE {
                state.unplace(g as usize);
                dropped.push(g);
            }
        }
        let mut stuck = false;
        for p in [a, b] {
            if !state.room(p) {
                let g = lightest_of(state, p);
                if g == NONE {
                    stuck = true;
                    break;
                }
                state.unplace(g as usize);
                dropped.push(g);
            }
        }
        if stuck {
            state.undo_to(start);
            continue;
        }
        if !state.table_free(s) {
            let Some(&(_, g)) = state.by_weight[s].first() else {
                state.undo_to(start);
                continue;
            };
            state.unplace(g as usize);
            dropped.push(g);
        }
        if !state.fits(e, s) {
            state.undo_to(start);
            continue;
        }
        state.place(e, s);
        dropped.sort_unstable_by_key(|&g| std::cmp::Reverse(model.w[g as usize]));
        let reinsert = Effort {
            depth: effort.depth.min(2),
            ..*effort
        };
        for &g in &dropped {
            insert(state, g as usize, &reinsert);
        }
        // The partners of meetings that stayed dropped have a free slot and room now: an
        // augmenting path of length three, as in b-matching.
        for &g in &dropped {
            let g = g as usize;
            if state.slot[g] != NONE {
                continue;
            }
            for q in [model.ea[g] as usize, model.eb[g] as usize] {
                if q != a && q != b {
                    let mut budget = AUGMENT_TRIES as u32;
                    augment(state, q, 0, &reinsert, &mut budget);
                }
            }
        }
        let uncovers_sme = || {
            dropped.iter().any(|&g| {
                let g = g as usize;
                state.slot[g] == NONE
                    && [model.ea[g], model.eb[g]]
                        .iter()
                        .any(|&p| model.sme[p as usize] && state.deg[p as usize] == 0)
            })
        };
        if state.weight > before || (neutral && state.weight == before && !uncovers_sme()) {
            return true;
        }
        state.undo_to(start);
    }
    false
}

/// Gives participant `q` (who has room) one more meeting along an augmenting path, as in
/// b-matching: add q's request h; if h's partner r is at its cap, drop one of r's lighter
/// meetings f and continue from f's other participant. Each step is kept only if it does not
/// lose weight (a step at equal weight only if the path goes on to gain). `budget` counts the
/// insertion attempts. Returns the weight gained.
pub(crate) fn augment(state: &mut State<'_>, q: usize, depth: u32, effort: &Effort, budget: &mut u32) -> u64 {
    let model = state.model;
    if !state.room(q) {
        return 0;
    }
    let mut tried = 0;
    for &h in model.incident(q) {
        let h = h as usize;
        if state.slot[h] != NONE {
            continue;
        }
        if *budget == 0 || tried == AUGMENT_TRIES {
            return 0;
        }
        tried += 1;
        *budget -= 1;
        let r = model.other(h, q);
        if state.room(r) {
            if insert(state, h, effort) {
                return model.w[h];
            }
            continue;
        }
        if depth == 0 {
            continue;
        }
        // r is full: give up its lightest meetings that weigh no more than h, lightest first.
        let mut lighter: Vec<u32> = model
            .incident(r)
            .iter()
            .copied()
            .filter(|&f| {
                let f = f as usize;
                state.slot[f] != NONE && state.movable(f) && model.w[f] <= model.w[h]
            })
            .collect();
        lighter.sort_by_key(|&f| (model.w[f as usize], f));
        for &f in lighter.iter().take(2) {
            let f = f as usize;
            let start = state.mark();
            state.unplace(f);
            if insert(state, h, effort) {
                let gain = model.w[h] - model.w[f];
                let further = augment(state, model.other(f, r), depth - 1, effort, budget);
                if gain + further > 0 {
                    return gain + further;
                }
            }
            state.undo_to(start);
        }
    }
    0
}

/// Requests tried per participant along an augmenting path.
const AUGMENT_TRIES: usize = 4;

/// Weight lost by clearing the way for `e` in slot `s` (before any re-insertion), or None when a
/// pinned meeting is in the way.
fn ejection_cost(state: &State<'_>, e: usize, s: usize) -> Option<u64> {
    let model = state.model;
    let (a, b) = (model.ea[e] as usize, model.eb[e] as usize);
    let mut cost = 0;
    let mut freed_table = false;
    let mut chosen = [NONE; 2];
    for (i, p) in [a, b].into_iter().enumerate() {
        let g = state.busy(p, s);
        if g != NONE {
            if !state.movable(g as usize) {
                return None;
            }
            cost += model.w[g as usize];
            freed_table = true;
            chosen[i] = g;
        }
    }
    for (i, p) in [a, b].into_iter().enumerate() {
        if !state.room(p) && chosen[i] == NONE {
            if model.cap[p] == 0 {
                return None;
            }
            let g = lightest_of(state, p);
            if g == NONE {
                return None;
            }
            cost += model.w[g as usize];
            if state.slot[g as usize] as usize == s {
                freed_table = true;
            }
        }
    }
    if !freed_table && !state.table_free(s) {
        cost += state.by_weight[s].first()?.0;
    }
    Some(cost)
}

/// The lightest movable meeting of `p`, or NONE.
fn lightest_of(state: &State<'_>, p: usize) -> u32 {
    let model = state.model;
    let mut best = (u64::MAX, NONE);
    for s in 0..model.slots {
        let g = state.busy(p, s);
        if g != NONE && state.movable(g as usize) && (model.w[g as usize], g) < best {
            best = (model.w[g as usize], g);
        }
    }
    best.1
}

/// Passes over the unscheduled requests, heaviest first, until a pass changes nothing.
pub(crate) fn improve(state: &mut State<'_>, order: &[u32], effort: &Effort) {
    state.record();
    for _ in 0..effort.passes {
        let before = state.weight;
        for &e in order {
            let e = e as usize;
            if state.slot[e] != NONE {
                continue;
            }
            let start = state.mark();
            if !insert(state, e, effort) && !eject_insert(state, e, effort, Keep::Heavier) {
                state.undo_to(start);
            }
            if state.mark() > 1 << 20 {
                state.keep();
                state.record();
            }
        }
        for q in 0..state.model.n {
            let mut budget = effort.budget;
            augment(state, q, effort.depth, effort, &mut budget);
            if state.mark() > 1 << 20 {
                state.keep();
                state.record();
            }
        }
        if state.weight == before {
            break;
        }
    }
    state.keep();
}
