//! The cheapest split of a pooled volume across suppliers' all-units tiered offers.
//!
//! Giving `v` units to supplier `s` costs `f_s(v) = v × p_s(v)`, where `p_s(v)` is the price of
//! the tier `v` reaches, and `v` may not exceed the supplier's capacity. We look for volumes `v_s`
//! with `Σ v_s = V` minimising `Σ f_s(v_s)`. With capacities and price steps this is a knapsack-like
//! problem (NP-hard in general), so it is solved exactly by enumeration over *breakpoints*, not over
//! every volume — volumes of 10^6 units and more stay cheap when offers have a few tiers.
//!
//! **Why breakpoints suffice.** Split each supplier's volumes into segments: `{0}` and, per tier,
//! the range from its break to one below the next break (cut at capacity and at `V`). On a segment
//! `f_s` is linear with slope the tier's price. Take an optimal allocation `v*` and freeze the
//! segment each `v*_s` lies in. Among allocations that keep every supplier in its frozen segment,
//! the cost is linear, and minimising a linear cost over boxes `lo_s ≤ v_s ≤ hi_s` with
//! `Σ v_s = V` is a continuous knapsack: fill every lower bound, then add units to the cheapest
//! slope first, up to its upper bound, and so on. That greedy optimum is no costlier than `v*` (which
//! is one of the allocations it ranges over), and in it **every supplier but at most one sits at an
//! end of its segment**; the one left over receives `V` minus integers, so it is whole. Hence some
//! optimal allocation has all suppliers but one ("the free one") at a segment end (`0`, a break,
//! one below the next break, the capacity or `V`), and the free one takes the remainder.
//!
//! **The search.** For each choice of free supplier, a dynamic programme runs over the other
//! suppliers, keeping for each reachable partial volume (at most `V`) the cheapest way to reach it
//! using segment ends only; the free supplier then takes `V` minus the partial volume, priced
//! directly. The number of states is at most `min(V + 1, Π (segment ends))`, and in practice far
//! fewer because breaks are round numbers whose sums coincide; partial awards that cannot beat an
//! award already known (by a lower bound at each supplier's lowest price) are dropped.
//!
//! **Work budget.** Adversarial offers (many suppliers, many tiers at unrelated breaks, prices
//! within a hair of each other so that the bound prunes little) can make the number of partial
//! volumes explode. The search counts the partial awards it examines and gives up past
//! [`WORK_BUDGET`] with [`PoolingError::TooComplex`]: the pool's staff then decide. It never
//! returns an award it has not proven cheapest — exactness is never silently lost.
//!
//! **Ties** go to the award using fewer suppliers (the argument above keeps a supplier at 0 at 0
//! and the others above 0, so some cheapest award with fewest suppliers has the same shape), then
//! to the first found, so the result is reproducible.

use std::collections::BTreeMap;

use crate::pooling::error::PoolingError;
use crate::pooling::offer::Schedule;

/// The most partial awards the search examines (over every choice of free supplier) before it
/// gives up. Some 20 million a second in a release build on adversarial offers: the budget bounds
/// a settlement to well under 2 s, whatever the offers.
pub const WORK_BUDGET: u64 = 15_000_000;

/// The cheapest cost so far, the number of suppliers used, and the volume given to the supplier of
/// this layer (to walk the choices back).
#[derive(Debug, Clone, Copy)]
struct Reached {
    cost_e4: u128,
    suppliers: u32,
    volume: u64,
}

impl Reached {
    const START: Reached = Reached {
        cost_e4: 0,
        suppliers: 0,
        volume: 0,
    };

    fn better_than(&self, other: &Reached) -> bool {
        (self.cost_e4, self.suppliers) < (other.cost_e4, other.suppliers)
    }
}

/// The volumes where an optimal award may leave a supplier that is not the free one.
fn segment_ends(schedule: &Schedule, volume: u64) -> Vec<u64> {
    let mut ends: Vec<u64> = std::iter::once(0)
        .chain(schedule.segments(volume).iter().flat_map(|s| [s.lo, s.hi]))
        .collect();
    ends.sort_unstable();
    ends.dedup();
    ends
}

/// The volume each supplier (in the offers' order) delivers in the cheapest award of `volume`
/// units, and its total cost in ten-thousandths.
pub(crate) fn cheapest(schedules: &[Schedule], volume: u64) -> Result<(Vec<u64>, u128), PoolingError> {
    cheapest_within(schedules, volume, WORK_BUDGET)
}

/// [`cheapest`] with a work budget of `budget` partial awards.
fn cheapest_within(
    schedules: &[Schedule],
    volume: u64,
    budget: u64,
) -> Result<(Vec<u64>, u128), PoolingError> {
    if schedules.is_empty() {
        return Err(PoolingError::NoOffer);
    }
    let capacity = schedules
        .iter()
        .map(Schedule::capacity)
        .try_fold(0u64, |sum, c| c.map(|c| sum.saturating_add(c)));
    if let Some(capacity) = capacity
        && capacity < volume
    {
        return Err(PoolingError::Infeasible { capacity, volume });
    }
    search(schedules, volume, true, budget).ok_or(PoolingError::TooComplex { budget })
}

/// The search proper, on offers whose capacities cover `volume`; `None` once it has examined
/// `budget` partial awards without finishing. `prune` is off only in tests, which check that
/// pruning never changes the optimum.
fn search(schedules: &[Schedule], volume: u64, prune: bool, mut budget: u64) -> Option<(Vec<u64>, u128)> {
    let ends: Vec<Vec<u64>> = schedules.iter().map(|s| segment_ends(s, volume)).collect();
    // Partial awards that cannot beat a known award are dropped (branch and bound); the optimum
    // is never dropped because its partial costs plus any lower bound stay at or below it.
    let mut bound = if prune {
        incumbent(schedules, volume)
    } else {
        u128::MAX
    };
    let mut best: Option<(Reached, Vec<u64>)> = None;
    for free in 0..schedules.len() {
        let others: Vec<usize> = (0..schedules.len()).filter(|&s| s != free).collect();
        let layers = partial_volumes(schedules, &ends, &others, free, volume, bound, &mut budget)?;
        let start = BTreeMap::from([(0, Reached::START)]);
        for (&partial, reached) in layers.last().unwrap_or(&start) {
            let rest = volume - partial;
            let Some(rest_cost) = schedules[free].cost_e4(rest) else {
                continue;
            };
            let total = Reached {
                cost_e4: reached.cost_e4 + rest_cost,
                suppliers: reached.suppliers + u32::from(rest > 0),
                volume: rest,
            };
            if best.as_ref().is_none_or(|(b, _)| total.better_than(b)) {
                let mut volumes = vec![0; schedules.len()];
                volumes[free] = rest;
                let mut sum = partial;
                for (layer, &s) in layers.iter().zip(&others).rev() {
                    let given = layer[&sum].volume;
                    volumes[s] = given;
                    sum -= given;
                }
                if prune {
                    bound = bound.min(total.cost_e4);
                }
                best = Some((total, volumes));
            }
        }
    }
    let (reached, volumes) = best.expect("the optimum is never pruned and capacities cover the volume");
    Some((volumes, reached.cost_e4))
}

/// The cost of some feasible award, as a first bound: the best single supplier able to take it
/// all, or filling suppliers to capacity, cheapest price at capacity first.
fn incumbent(schedules: &[Schedule], volume: u64) -> u128 {
    let single = schedules.iter().filter_map(|s| s.cost_e4(volume)).min();
    let mut order: Vec<&Schedule> = schedules.iter().collect();
    order.sort_by_key(|s| s.unit_price_e4(s.capacity().unwrap_or(volume).min(volume)));
    let mut rest = volume;
    let mut filled = 0u128;
    for schedule in order {
        let given = schedule.capacity().unwrap_or(rest).min(rest);
        filled += schedule.cost_e4(given).expect("within capacity");
        rest -= given;
    }
    single.map_or(filled, |single| single.min(filled))
}

/// A lower bound on what the suppliers still to be decided charge for a volume: each unit at the
/// lowest price its supplier quotes, cheapest first, within capacities.
struct Floor {
    /// (lowest unit price, capacity), cheapest first.
    suppliers: Vec<(u64, u64)>,
}

impl Floor {
    fn new<'a>(schedules: impl Iterator<Item = &'a Schedule>, volume: u64) -> Floor {
        let mut suppliers: Vec<(u64, u64)> = schedules
            .map(|s| (s.lowest_price_e4(), s.capacity().unwrap_or(volume)))
            .collect();
        suppliers.sort_unstable();
        Floor { suppliers }
    }

    /// `None` when the suppliers left cannot deliver `volume` at all.
    fn cost_e4(&self, mut volume: u64) -> Option<u128> {
        let mut cost = 0u128;
        for &(price, capacity) in &self.suppliers {
            if volume == 0 {
                break;
            }
            let given = capacity.min(volume);
            cost += u128::from(given) * u128::from(price);
            volume -= given;
        }
        (volume == 0).then_some(cost)
    }
}

/// One layer per supplier of `order`: every partial volume up to `volume` reachable with segment
/// ends, with its cheapest way there, keeping only those that may still lead to an award costing
/// at most `bound` once the rest (the suppliers after it in `order`, and `free`) is bought.
/// `None` when `budget` runs out (each partial award examined spends one).
fn partial_volumes(
    schedules: &[Schedule],
    ends: &[Vec<u64>],
    order: &[usize],
    free: usize,
    volume: u64,
    bound: u128,
    budget: &mut u64,
) -> Option<Vec<BTreeMap<u64, Reached>>> {
    let mut layers: Vec<BTreeMap<u64, Reached>> = Vec::with_capacity(order.len());
    let start = BTreeMap::from([(0, Reached::START)]);
    for (k, &s) in order.iter().enumerate() {
        let later = order[k + 1..].iter().chain([&free]).map(|&t| &schedules[t]);
        let floor = Floor::new(later, volume);
        let previous = layers.last().unwrap_or(&start);
        let mut next: BTreeMap<u64, Reached> = BTreeMap::new();
        for (&partial, reached) in previous {
            for &given in &ends[s] {
                let Some(sum) = partial.checked_add(given).filter(|&t| t <= volume) else {
                    break;
                };
                *budget = budget.checked_sub(1)?;
                let cost = schedules[s]
                    .cost_e4(given)
                    .expect("segment ends are within capacity");
                let candidate = Reached {
                    cost_e4: reached.cost_e4 + cost,
                    suppliers: reached.suppliers + u32::from(given > 0),
                    volume: given,
                };
                let hopeful = floor
                    .cost_e4(volume - sum)
                    .is_some_and(|rest| candidate.cost_e4 + rest <= bound);
                if !hopeful {
                    continue;
                }
                match next.get(&sum) {
                    Some(kept) if !candidate.better_than(kept) => {}
                    _ => {
                        next.insert(sum, candidate);
                    }
                }
            }
        }
        layers.push(next);
    }
    Some(layers)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::pooling::fixtures::offer;
    use proptest::prelude::*;

    fn schedules(offers: &[crate::pooling::Offer]) -> Vec<Schedule> {
        offers
            .iter()
            .enumerate()
            .map(|(k, o)| Schedule::check(k, o).unwrap())
            .collect()
    }

    /// Every allocation of `volume`, tried one by one.
    fn brute_force(schedules: &[Schedule], volume: u64) -> Option<u128> {
        fn go(schedules: &[Schedule], volume: u64) -> Option<u128> {
            match schedules.split_first() {
                None => (volume == 0).then_some(0),
                Some((first, rest)) => (0..=volume)
                    .filter_map(|v| Some(first.cost_e4(v)? + go(rest, volume - v)?))
                    .min(),
            }
        }
        go(schedules, volume)
    }

    #[test]
    fn one_supplier_takes_everything() {
        let s = schedules(&[offer(&[(1, "3"), (10, "2")], None)]);
        assert_eq!(cheapest(&s, 12), Ok((vec![12], 12 * 20_000)));
    }

    #[test]
    fn reaching_a_tier_can_beat_a_cheaper_first_tier() {
        // 100 units: A at 1.00 each costs 100; B reaches its 0.90 tier at 100 units.
        let s = schedules(&[offer(&[(1, "1")], None), offer(&[(1, "1.5"), (100, "0.9")], None)]);
        assert_eq!(cheapest(&s, 100), Ok((vec![0, 100], 100 * 9_000)));
    }

    #[test]
    fn capacity_forces_a_split() {
        let s = schedules(&[
            offer(&[(1, "1")], Some(600_000)),
            offer(&[(1, "1.2"), (500_000, "1.1")], Some(1_000_000)),
        ]);
        // 1.5 million units: A gives all it can, B the rest at its better tier.
        let (volumes, cost) = cheapest(&s, 1_500_000).unwrap();
        assert_eq!(volumes, vec![600_000, 900_000]);
        assert_eq!(cost, 600_000 * 10_000 + 900_000 * 11_000);
    }

    #[test]
    fn buying_into_a_tier_is_split_with_care() {
        // 120 units. A: 2.00, 1.00 from 100 units, at most 100. B: 1.50 flat.
        // Best: A exactly 100 at 1.00 (100) + B 20 at 1.50 (30) = 130.
        let s = schedules(&[
            offer(&[(1, "2"), (100, "1")], Some(100)),
            offer(&[(1, "1.5")], None),
        ]);
        assert_eq!(cheapest(&s, 120), Ok((vec![100, 20], 1_300_000)));
    }

    #[test]
    fn ties_prefer_fewer_suppliers() {
        let s = schedules(&[offer(&[(1, "1")], None), offer(&[(1, "1")], None)]);
        let (volumes, _) = cheapest(&s, 50).unwrap();
        assert_eq!(volumes.iter().filter(|&&v| v > 0).count(), 1);
    }

    #[test]
    fn too_little_capacity_is_infeasible() {
        let s = schedules(&[offer(&[(1, "1")], Some(10)), offer(&[(1, "1")], Some(5))]);
        assert_eq!(
            cheapest(&s, 16),
            Err(PoolingError::Infeasible {
                capacity: 15,
                volume: 16
            })
        );
        assert_eq!(cheapest(&[], 1), Err(PoolingError::NoOffer));
    }

    #[test]
    fn large_volumes_with_few_tiers_are_quick() {
        let s = schedules(&[
            offer(
                &[(1, "0.2"), (100_000, "0.18"), (1_000_000, "0.16")],
                Some(3_000_000),
            ),
            offer(
                &[(1, "0.19"), (500_000, "0.17"), (2_000_000, "0.155")],
                Some(2_500_000),
            ),
            offer(&[(1, "0.21"), (50_000, "0.175")], None),
            offer(&[(1, "0.2"), (250_000, "0.165")], Some(800_000)),
        ]);
        let (volumes, cost) = cheapest(&s, 4_321_987).unwrap();
        assert_eq!(volumes.iter().sum::<u64>(), 4_321_987);
        let priced: u128 = volumes.iter().zip(&s).map(|(&v, s)| s.cost_e4(v).unwrap()).sum();
        assert_eq!(priced, cost);
    }

    #[test]
    fn an_irregular_pool_of_millions_is_solved_exactly() {
        // Eight suppliers, six tiers each at awkward breaks, capacities forcing a split. The
        // expected award was found by the same search without its bound (26 s unoptimised);
        // with the bound it takes milliseconds.
        let offers: Vec<_> = (0..8u64)
            .map(|k| {
                let b = 1_007 * (k + 3);
                offer(
                    &[
                        (1, "1"),
                        (b, "0.99"),
                        (3 * b + 17, "0.97"),
                        (7 * b + 3, "0.95"),
                        (20 * b + 11, "0.93"),
                        (40 * b + 1, "0.9"),
                    ],
                    Some(400_000 + 37_001 * k),
                )
            })
            .collect();
        let (volumes, cost) = cheapest(&schedules(&offers), 3_456_789).unwrap();
        assert_eq!(
            volumes,
            vec![397_807, 437_001, 474_002, 0, 281_961, 585_005, 622_006, 659_007]
        );
        assert_eq!(cost, 31_111_101_000);
    }

    /// `suppliers` offers of `tiers` tiers each, at irregular breaks, prices within about 0.5 % of
    /// each other (the bound prunes least when every supplier could be the cheapest), capacities
    /// that force a split; and the pooled volume (about two thirds of all capacities). A fixed
    /// xorshift from `seed`, so that each instance is reproducible.
    pub(crate) fn adversarial(
        suppliers: usize,
        tiers: usize,
        seed: u64,
    ) -> (Vec<crate::pooling::Offer>, u64) {
        let mut state = seed.wrapping_mul(0x9E37_79B9_7F4A_7C15) | 1;
        let mut next = move |below: u64| {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            state % below
        };
        let mut total = 0;
        let offers = (0..suppliers)
            .map(|_| {
                let capacity = 200_000 + next(800_000);
                total += capacity;
                let mut breaks: Vec<u64> = (1..tiers).map(|_| 2 + next(capacity - 2)).collect();
                breaks.push(1);
                breaks.sort_unstable();
                breaks.dedup();
                let mut price = 10_000 + next(50);
                crate::pooling::Offer {
                    tiers: breaks
                        .into_iter()
                        .map(|from_volume| {
                            price = price.saturating_sub(next(6)).max(9_900) + next(2);
                            crate::pooling::Tier {
                                from_volume,
                                unit_price: rust_decimal::Decimal::new(price as i64, 4),
                            }
                        })
                        .collect(),
                    max_volume: Some(capacity),
                }
            })
            .collect();
        (offers, total * 2 / 3 + 1)
    }

    #[test]
    fn the_search_gives_up_past_its_budget_rather_than_guess() {
        let (offers, volume) = adversarial(6, 8, 7);
        let s = schedules(&offers);
        assert_eq!(search(&s, volume, true, 1_000), None);
        // With the whole budget the same instance is solved, and the answer priced exactly.
        let (volumes, cost) = cheapest(&s, volume).unwrap();
        assert_eq!(volumes.iter().sum::<u64>(), volume);
        let priced: u128 = volumes.iter().zip(&s).map(|(&v, s)| s.cost_e4(v).unwrap()).sum();
        assert_eq!(priced, cost);
    }

    #[test]
    fn a_budget_run_out_is_an_explicit_outcome() {
        // Beyond the caps with a small budget: the search stops and says so, no award returned.
        let (offers, volume) = adversarial(20, 20, 3);
        assert_eq!(
            cheapest_within(&schedules(&offers), volume, 100_000),
            Err(PoolingError::TooComplex { budget: 100_000 })
        );
    }

    #[test]
    fn adversarial_pools_at_the_caps_are_settled_exactly() {
        use crate::pooling::pool::{MAX_SUPPLIERS, MAX_TIERS};
        for seed in 1..=3 {
            let (offers, volume) = adversarial(MAX_SUPPLIERS, MAX_TIERS, seed);
            let s = schedules(&offers);
            let (volumes, cost) = cheapest(&s, volume).expect("within the work budget at the caps");
            assert_eq!(volumes.iter().sum::<u64>(), volume);
            let priced: u128 = volumes.iter().zip(&s).map(|(&v, s)| s.cost_e4(v).unwrap()).sum();
            assert_eq!(priced, cost);
            assert!(
                cost <= incumbent(&s, volume),
                "never dearer than the first feasible award"
            );
        }
    }

    /// The settlement time of adversarial pools, for the README:
    /// `cargo test --release -p domain pooling::allocation::tests::adversarial_timings -- --ignored --nocapture`.
    /// Prints, per size, the slowest of its seeds and how many gave up (`TooComplex`).
    #[test]
    #[ignore = "a benchmark: run in release with --ignored --nocapture"]
    fn adversarial_timings() {
        for (suppliers, tiers, seeds) in [
            (5, 10, 10),
            (10, 10, 100),
            (10, 20, 10),
            (12, 10, 10),
            (20, 10, 10),
            (20, 20, 10),
            (50, 20, 5),
        ] {
            let mut slowest = std::time::Duration::ZERO;
            let mut gave_up = 0;
            for seed in 1..=seeds {
                let (offers, volume) = adversarial(suppliers, tiers, seed);
                let s = schedules(&offers);
                let started = std::time::Instant::now();
                if cheapest(&s, volume).is_err() {
                    gave_up += 1;
                }
                slowest = slowest.max(started.elapsed());
            }
            println!("{suppliers} suppliers × {tiers} tiers: slowest {slowest:?}, gave up {gave_up}/{seeds}");
        }
    }

    fn small_offer() -> impl Strategy<Value = crate::pooling::Offer> {
        (
            prop::collection::btree_set(2u64..12, 0..3),
            prop::collection::vec(0u32..400, 3),
            prop::option::of(1u64..12),
        )
            .prop_map(|(breaks, prices, cap)| {
                let breaks: Vec<u64> = std::iter::once(1)
                    .chain(breaks)
                    .filter(|&b| cap.is_none_or(|c| b <= c))
                    .collect();
                crate::pooling::Offer {
                    tiers: breaks
                        .iter()
                        .zip(&prices)
                        .map(|(&from_volume, &cents)| crate::pooling::Tier {
                            from_volume,
                            unit_price: rust_decimal::Decimal::new(i64::from(cents), 2),
                        })
                        .collect(),
                    max_volume: cap,
                }
            })
    }

    fn medium_offer() -> impl Strategy<Value = crate::pooling::Offer> {
        (
            prop::collection::btree_set(2u64..800, 0..5),
            prop::collection::vec(1u32..400, 6),
            prop::option::of(200u64..900),
        )
            .prop_map(|(breaks, prices, cap)| crate::pooling::Offer {
                tiers: std::iter::once(1)
                    .chain(breaks)
                    .filter(|&b| cap.is_none_or(|c| b <= c))
                    .zip(&prices)
                    .map(|(from_volume, &cents)| crate::pooling::Tier {
                        from_volume,
                        unit_price: rust_decimal::Decimal::new(i64::from(cents), 2),
                    })
                    .collect(),
                max_volume: cap,
            })
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(48))]
        #[test]
        fn pruning_never_changes_the_optimum(offers in prop::collection::vec(medium_offer(), 1..5), volume in 1u64..1200) {
            let s = schedules(&offers);
            if let Ok((_, cost)) = cheapest(&s, volume) {
                prop_assert_eq!(Some(cost), search(&s, volume, false, u64::MAX).map(|(_, c)| c));
            }
        }
    }

    proptest! {
        #[test]
        fn the_award_is_the_exact_optimum(offers in prop::collection::vec(small_offer(), 1..4), volume in 1u64..16) {
            let s = schedules(&offers);
            match (cheapest(&s, volume), brute_force(&s, volume)) {
                (Ok((volumes, cost)), Some(best)) => {
                    prop_assert_eq!(cost, best);
                    prop_assert_eq!(volumes.iter().sum::<u64>(), volume);
                    let priced: u128 = volumes.iter().zip(&s).map(|(&v, s)| s.cost_e4(v).unwrap()).sum();
                    prop_assert_eq!(priced, cost);
                }
                (Err(PoolingError::Infeasible { .. }), None) => {}
                (got, expected) => prop_assert!(false, "got {got:?}, brute force {expected:?}"),
            }
        }

        #[test]
        fn never_costlier_than_any_single_supplier(offers in prop::collection::vec(small_offer(), 1..4), volume in 1u64..16) {
            let s = schedules(&offers);
            if let Ok((_, cost)) = cheapest(&s, volume) {
                for single in &s {
                    if let Some(alone) = single.cost_e4(volume) {
                        prop_assert!(cost <= alone);
                    }
                }
            }
        }
    }
}
