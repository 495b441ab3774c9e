//! The objectives after weight, which never cost weight: give uncovered SMEs a meeting by
//! equal-weight exchanges, then shorten idle gaps by moving meetings between slots.

use super::improve::{Effort, Keep, eject_insert, insert};
use super::model::NONE;
use super::state::State;

/// For each SME without a meeting, tries its requests (heaviest first): a direct or relocated
/// insertion, else an exchange against meetings of at most the same total weight that leaves
/// no other SME without a meeting.
pub(crate) fn cover_smes(state: &mut State<'_>, effort: &Effort) {
    let model = state.model;
    state.record();
    for p in 0..model.n {
        if !model.sme[p] || state.deg[p] > 0 || model.cap[p] == 0 {
            continue;
        }
        let mut requests: Vec<u32> = model.incident(p).to_vec();
        requests.sort_by_key(|&e| (std::cmp::Reverse(model.w[e as usize]), e));
        for e in requests {
            let e = e as usize;
            if state.slot[e] != NONE {
                continue;
            }
            if insert(state, e, effort) || eject_insert(state, e, effort, Keep::SmeNeutral) {
                break;
            }
        }
    }
    state.keep();
}

/// Idle gaps summed over `people`.
fn gaps(state: &State<'_>, people: &[usize]) -> u64 {
    people.iter().map(|&p| state.gaps_of(p)).sum()
}

/// Moves single meetings to other free slots, and swaps two meetings of one person, whenever
/// that shortens the idle gaps of the people involved; repeats until nothing improves.
pub(crate) fn compact(state: &mut State<'_>, passes: u32) {
    let model = state.model;
    for _ in 0..passes {
        let mut improved = false;
        for f in 0..model.m() {
            let from = state.slot[f];
            if from == NONE || !state.movable(f) {
                continue;
            }
            let people = [model.ea[f] as usize, model.eb[f] as usize];
            let before = gaps(state, &people);
            if before == 0 {
                continue;
            }
            let mut best = (before, from as usize);
            for s in model.common_slots(f) {
                if s == from as usize
                    || !state.table_free(s)
                    || !state.free(people[0], s)
                    || !state.free(people[1], s)
                {
                    continue;
                }
                state.relocate(f, s);
                let after = gaps(state, &people);
                if after < best.0 {
                    best = (after, s);
                }
                state.relocate(f, from as usize);
            }
            if best.1 != from as usize {
                state.relocate(f, best.1);
                improved = true;
            }
        }
        for p in 0..model.n {
            improved |= swap_pass(state, p);
        }
        if !improved {
            break;
        }
    }
}

/// Exchanges the slots of two of `p`'s meetings when both partners can follow and the three
/// agendas get shorter gaps. Table counts do not change.
fn swap_pass(state: &mut State<'_>, p: usize) -> bool {
    let model = state.model;
    if state.gaps_of(p) == 0 {
        return false;
    }
    let mut improved = false;
    let slots: Vec<usize> = (0..model.slots).filter(|&s| !state.free(p, s)).collect();
    for (i, &s1) in slots.iter().enumerate() {
        for &s2 in &slots[i + 1..] {
            let (f, g) = (state.busy(p, s1) as usize, state.busy(p, s2) as usize);
            if f == NONE as usize || g == NONE as usize || !state.movable(f) || !state.movable(g) {
                continue;
            }
            let (x, y) = (model.other(f, p), model.other(g, p));
            if !(model.available(x, s2) && model.available(y, s1) && state.free(x, s2) && state.free(y, s1)) {
                continue;
            }
            let people = [p, x, y];
            let before = gaps(state, &people);
            state.unplace(f);
            state.unplace(g);
            state.place(f, s2);
            state.place(g, s1);
            if gaps(state, &people) < before {
                improved = true;
            } else {
                state.unplace(f);
                state.unplace(g);
                state.place(f, s1);
                state.place(g, s2);
            }
        }
    }
    improved
}
