//! Turns the candidates into what the searches walk: requirement bitmasks, the few candidates per
//! coverage mask that can still appear in the best teams, and lower bounds on covering costs.

use std::cmp::Reverse;
use std::collections::{BinaryHeap, HashMap};

use super::{Candidate, TeamRequest};

/// Requirements are bits of a `u64`.
pub(super) const MAX_REQUIREMENTS: usize = 64;
/// Cost bounds are tabulated per set of uncovered requirements, on at most this many of them
/// (`3^bits / 2` work per team size: 2.4 million steps at 14).
const TABLE_BITS: usize = 14;
pub(super) const INF: u64 = u64::MAX;

/// A candidate kept for the search, identified by its position in [`Instance::reps`].
#[derive(Debug, Clone, Copy)]
pub(super) struct Rep {
    /// Index into the caller's candidates.
    pub idx: usize,
    pub mask: u64,
    pub cost: u64,
    pub lead: bool,
    pub hc: u64,
    /// Index into [`Instance::groups`].
    pub group: usize,
}

/// The kept candidates that cover exactly the same requirements.
#[derive(Debug)]
pub(super) struct Group {
    pub mask: u64,
    /// `mask` as the cost tables see it.
    pub table_mask: usize,
    /// Rep ids by (cost, candidate index).
    pub reps: Vec<usize>,
    pub min_cost: u64,
    pub has_lead: bool,
    pub max_hc: u64,
}

/// `levels[t - 1][u]`: the least cost of at most `t` groups (repeats allowed) whose masks cover
/// `u`; `INF` when impossible. Ignores headcount, leads and exclusions, hence a lower bound. With
/// more than [`TABLE_BITS`] requirements, the tables cover the [`TABLE_BITS`] rarest ones only:
/// covering a set costs at least covering its rare part, so the bound holds, only looser.
#[derive(Debug)]
pub(super) struct Tables {
    bits: usize,
    /// The requirements kept, when not all of them are.
    kept: Option<Vec<u32>>,
    levels: Vec<Vec<u64>>,
}

impl Tables {
    fn new(requirements: usize, groups: &[Group], coverers: &[Vec<usize>]) -> Self {
        let kept = (requirements > TABLE_BITS).then(|| {
            let mut by_rarity: Vec<usize> = (0..requirements).collect();
            by_rarity.sort_by_key(|&j| (coverers[j].len(), j));
            let mut kept: Vec<u32> = by_rarity[..TABLE_BITS].iter().map(|&j| j as u32).collect();
            kept.sort_unstable();
            kept
        });
        let bits = requirements.min(TABLE_BITS);
        let mut tables = Tables {
            bits,
            kept,
            levels: Vec::new(),
        };
        let mut first = vec![INF; 1 << bits];
        for g in groups {
            let slot = &mut first[tables.project(g.mask)];
            *slot = (*slot).min(g.min_cost);
        }
        // Superset minimum: a group covers `u` when its mask contains `u`.
        for b in 0..bits {
            for m in 0..first.len() {
                if m & (1 << b) == 0 {
                    first[m] = first[m].min(first[m | (1 << b)]);
                }
            }
        }
        first[0] = 0;
        tables.levels.push(first);
        tables
    }

    /// The requirements of `mask` the tables know, as a table index.
    pub fn project(&self, mask: u64) -> usize {
        match &self.kept {
            None => mask as usize,
            Some(kept) => kept
                .iter()
                .enumerate()
                .fold(0, |p, (i, &j)| p | (((mask >> j) & 1) as usize) << i),
        }
    }

    /// Makes `get(t, _)` available for every `t <= members`.
    pub fn ensure(&mut self, members: usize) {
        let members = members.min(self.bits).max(1);
        while self.levels.len() < members {
            let first = &self.levels[0];
            let prev = self.levels.last().expect("the first level exists");
            let mut next = vec![0; prev.len()];
            for u in 1..prev.len() {
                let mut best = prev[u];
                // Some member covers the lowest uncovered bit: enumerate what else it covers.
                let low = u & u.wrapping_neg();
                let rest = u ^ low;
                let mut sub = rest;
                loop {
                    let a = sub | low;
                    let v = first[a].saturating_add(prev[u ^ a]);
                    best = best.min(v);
                    if sub == 0 {
                        break;
                    }
                    sub = (sub - 1) & rest;
                }
                next[u] = best;
            }
            self.levels.push(next);
        }
    }

    /// A lower bound on the cost of at most `members` groups covering the requirements of
    /// `projected` (see [`Tables::project`]); `INF`: impossible.
    pub fn get(&self, members: usize, projected: usize) -> u64 {
        if projected == 0 {
            return 0;
        }
        if members == 0 {
            return INF;
        }
        let level = members.min(self.bits);
        debug_assert!(level <= self.levels.len(), "tables not computed for {members}");
        self.levels[level - 1][projected]
    }
}

/// The prepared search instance.
#[derive(Debug)]
pub(super) struct Instance {
    pub full: u64,
    /// Team size cap, never above the number of kept candidates.
    pub k: usize,
    pub min_hc: u64,
    /// `prefer_lead` and some candidate can lead (otherwise the preference changes nothing).
    pub prefer_lead: bool,
    pub limit: usize,
    /// Kept candidates by (cost, candidate index).
    pub reps: Vec<Rep>,
    pub groups: Vec<Group>,
    /// Per requirement, the groups covering it, cheapest first.
    pub coverers: Vec<Vec<usize>>,
    /// Cheapest kept cost (at least 1).
    pub cmin: u64,
    /// Largest kept headcount, and the largest among `reps[i..]`.
    pub max_hc: u64,
    pub suffix_max_hc: Vec<u64>,
    pub any_lead: bool,
    /// Largest number of requirements one group covers.
    pub max_pop: u32,
    pub tables: Tables,
}

/// Folds `covers` into masks (indexes already checked).
pub(super) fn masks(candidates: &[Candidate]) -> Vec<u64> {
    candidates
        .iter()
        .map(|c| c.covers.iter().fold(0u64, |m, &r| m | (1u64 << r)))
        .collect()
}

/// Keeps, among candidates with the same mask, those dominated by fewer than `limit + k - 1`
/// others. `d` dominates `c` when it ranks before it by (cost, index), has at least as many people
/// (when a headcount is asked) and can lead if `c` can (when a lead is preferred). Swapping `c` for
/// any of `limit` dominators outside a team gives `limit` distinct teams ranked strictly before
/// it (or smaller teams inside those), so no team among the `limit` best uses `c`; a team holds
/// at most `k - 1` other members, hence the `k - 1`.
pub(super) fn prepare(request: &TeamRequest, candidates: &[Candidate], masks: &[u64]) -> Instance {
    let r = request.requirements;
    let full = if r == 64 { u64::MAX } else { (1u64 << r) - 1 };
    let min_hc = request.min_headcount;
    let any_lead_at_all = candidates.iter().any(|c| c.can_lead);
    let prefer_lead = request.prefer_lead && any_lead_at_all;
    let k = request.max_members.min(candidates.len().max(1));
    let keep = request.limit.saturating_add(k - 1);

    let mut by_mask: HashMap<u64, Vec<usize>> = HashMap::new();
    for (i, &m) in masks.iter().enumerate() {
        // Without a headcount to reach, a member covering nothing is never needed.
        if m == 0 && min_hc == 0 {
            continue;
        }
        by_mask.entry(m).or_default().push(i);
    }
    let mut kept: Vec<usize> = Vec::new();
    for (_, mut members) in by_mask {
        members.sort_by_key(|&i| (candidates[i].cost, i));
        // The `keep` largest headcounts among those ranked before, for everyone and for leads.
        let mut all: BinaryHeap<Reverse<u64>> = BinaryHeap::new();
        let mut leads: BinaryHeap<Reverse<u64>> = BinaryHeap::new();
        for i in members {
            let c = &candidates[i];
            let hc = if min_hc > 0 { c.headcount as u64 } else { 0 };
            let heap = if prefer_lead && c.can_lead { &leads } else { &all };
            let dominated = heap.len() >= keep && heap.peek().is_some_and(|Reverse(h)| *h >= hc);
            if !dominated {
                kept.push(i);
            }
            push_capped(&mut all, hc, keep);
            if c.can_lead {
                push_capped(&mut leads, hc, keep);
            }
        }
    }
    kept.sort_by_key(|&i| (candidates[i].cost, i));

    let mut groups: Vec<Group> = Vec::new();
    let mut group_of: HashMap<u64, usize> = HashMap::new();
    let mut reps = Vec::with_capacity(kept.len());
    for (id, &i) in kept.iter().enumerate() {
        let c = &candidates[i];
        let mask = masks[i];
        let g = *group_of.entry(mask).or_insert_with(|| {
            groups.push(Group {
                mask,
                table_mask: 0,
                reps: Vec::new(),
                min_cost: c.cost as u64,
                has_lead: false,
                max_hc: 0,
            });
            groups.len() - 1
        });
        let group = &mut groups[g];
        group.reps.push(id);
        group.has_lead |= c.can_lead;
        group.max_hc = group.max_hc.max(c.headcount as u64);
        reps.push(Rep {
            idx: i,
            mask,
            cost: c.cost as u64,
            lead: c.can_lead,
            hc: c.headcount as u64,
            group: g,
        });
    }
    let mut coverers: Vec<Vec<usize>> = vec![Vec::new(); r];
    for (g, group) in groups.iter().enumerate() {
        for (j, list) in coverers.iter_mut().enumerate() {
            if group.mask & (1u64 << j) != 0 {
                list.push(g);
            }
        }
    }
    for list in &mut coverers {
        list.sort_by_key(|&g| {
            let group = &groups[g];
            (group.min_cost, Reverse(group.mask.count_ones()), group.mask)
        });
    }
    let mut suffix_max_hc = vec![0; reps.len() + 1];
    for i in (0..reps.len()).rev() {
        suffix_max_hc[i] = suffix_max_hc[i + 1].max(reps[i].hc);
    }
    let tables = Tables::new(r, &groups, &coverers);
    for group in &mut groups {
        group.table_mask = tables.project(group.mask);
    }
    Instance {
        full,
        k,
        min_hc,
        prefer_lead,
        limit: request.limit,
        cmin: reps.iter().map(|r| r.cost).min().unwrap_or(1),
        max_hc: suffix_max_hc[0],
        suffix_max_hc,
        any_lead: reps.iter().any(|r| r.lead),
        max_pop: groups.iter().map(|g| g.mask.count_ones()).max().unwrap_or(0),
        reps,
        groups,
        coverers,
        tables,
    }
}

fn push_capped(heap: &mut BinaryHeap<Reverse<u64>>, value: u64, cap: usize) {
    if heap.len() < cap {
        heap.push(Reverse(value));
    } else if heap.peek().is_some_and(|Reverse(h)| *h < value) {
        heap.pop();
        heap.push(Reverse(value));
    }
}
