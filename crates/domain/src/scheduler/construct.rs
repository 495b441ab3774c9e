//! First schedules: the weight-ordered greedy that seeds the local search, and the first-come,
//! first-served baseline (request order, earliest slot) that other platforms use.

use super::bound::Dual;
use super::model::{Model, NONE};
use super::state::State;

/// Requests in the order the greedy considers them: heaviest first; among equals the most
/// constrained (fewest common slots, then busiest participants) first, since the others
/// can still go elsewhere later.
pub(crate) fn priority_order(model: &Model) -> Vec<u32> {
    let pressure: Vec<u32> = (0..model.n)
        .map(|p| (model.incident(p).len() as u32).saturating_sub(model.cap[p]))
        .collect();
    let mut order: Vec<u32> = (0..model.m() as u32)
        .filter(|&e| model.pinned[e as usize].is_none())
        .collect();
    let key = |e: u32| {
        let e = e as usize;
        let busy = pressure[model.ea[e] as usize] + pressure[model.eb[e] as usize];
        (
            std::cmp::Reverse(model.w[e]),
            model.common_count(e),
            std::cmp::Reverse(busy),
            e,
        )
    };
    order.sort_by_cached_key(|&e| key(e));
    order
}

/// Greedy by weight: each request goes to the feasible slot with the most free tables, which
/// keeps every slot open for the constrained requests that come later; ties go to a slot next
/// to the participants' other meetings, for compact agendas.
pub(crate) fn greedy(state: &mut State<'_>, order: &[u32]) {
    let model = state.model;
    for &e in order {
        let e = e as usize;
        let (a, b) = (model.ea[e] as usize, model.eb[e] as usize);
        if !state.room(a) || !state.room(b) {
            continue;
        }
        let mut best = (u32::MAX, u32::MAX, NONE);
        model.for_common_slots(e, |s| {
            if state.free(a, s) && state.free(b, s) && state.table_free(s) {
                let score = (state.used[s], 2 - neighbours(state, a, b, s), s as u32);
                if score < best {
                    best = score;
                }
            }
        });
        if best.2 != NONE {
            state.place(e, best.2 as usize);
        }
    }
}

/// Requests by reduced weight at the LP prices (weight less cap prices and cheapest slot price),
/// best first: the order in which a greedy follows the LP when the relaxation is tight.
pub(crate) fn priced_order(model: &Model, prices: &Dual) -> Vec<u32> {
    let mut keyed: Vec<(f64, u32)> = (0..model.m())
        .filter(|&e| model.pinned[e].is_none())
        .map(|e| (prices.reduced(model, e), e as u32))
        .collect();
    keyed.sort_by(|x, y| y.0.total_cmp(&x.0).then(x.1.cmp(&y.1)));
    keyed.into_iter().map(|(_, e)| e).collect()
}

/// Greedy in `order`, each request in its cheapest feasible slot at the LP prices.
pub(crate) fn priced_greedy(state: &mut State<'_>, order: &[u32], prices: &Dual) {
    let model = state.model;
    for &e in order {
        let e = e as usize;
        let (a, b) = (model.ea[e] as usize, model.eb[e] as usize);
        if !state.room(a) || !state.room(b) {
            continue;
        }
        let mut best = (f64::INFINITY, u32::MAX, NONE);
        model.for_common_slots(e, |s| {
            if state.free(a, s) && state.free(b, s) && state.table_free(s) {
                let price = prices.slot_price(model, e, s);
                if price < best.0 || (price == best.0 && state.used[s] < best.1) {
                    best = (price, state.used[s], s as u32);
                }
            }
        });
        if best.2 != NONE {
            state.place(e, best.2 as usize);
        }
    }
}

/// How many of `a`, `b` have a meeting in an adjacent slot (0..=2).
fn neighbours(state: &State<'_>, a: usize, b: usize, s: usize) -> u32 {
    let near =
        |p: usize| (s > 0 && !state.free(p, s - 1)) || (s + 1 < state.model.slots && !state.free(p, s + 1));
    near(a) as u32 + near(b) as u32
}

/// First come, first served: requests in input order, each in the earliest slot that fits.
pub(crate) fn request_order(state: &mut State<'_>) {
    let model = state.model;
    for e in 0..model.m() {
        if state.slot[e] != NONE {
            continue;
        }
        let mut first = NONE;
        model.for_common_slots(e, |s| {
            if first == NONE && state.fits(e, s) {
                first = s as u32;
            }
        });
        if first != NONE {
            state.place(e, first as usize);
        }
    }
}
