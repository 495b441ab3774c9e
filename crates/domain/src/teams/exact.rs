//! Branch and bound over coverage masks, one team size at a time: the classic set-cover
//! branching on the uncovered requirement with the fewest coverers, then the choice of members.

use super::prepare::{INF, Instance};

/// A team found by either search, in ranking terms.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub(super) struct Found {
    pub size: usize,
    /// `prefer_lead` and no member can lead: ranks after the teams with a lead.
    pub nolead: bool,
    pub cost: u64,
    /// Candidate indexes, ascending.
    pub members: Vec<usize>,
}

/// The best teams so far, ranked, at most `cap`.
#[derive(Debug)]
pub(super) struct Best {
    cap: usize,
    pub teams: Vec<Found>,
}

impl Best {
    pub fn new(cap: usize) -> Self {
        Best {
            cap,
            teams: Vec::new(),
        }
    }

    /// The last kept (lead, cost) once the list is full: anything ranking after it is useless.
    fn worst(&self) -> Option<(bool, u64)> {
        (self.teams.len() >= self.cap)
            .then(|| self.teams.last().map(|t| (t.nolead, t.cost)))
            .flatten()
    }

    pub fn offer(&mut self, team: Found) {
        if let Err(at) = self.teams.binary_search(&team)
            && at < self.cap
        {
            self.teams.insert(at, team);
            self.teams.truncate(self.cap);
        }
    }
}

/// Where the coverage branching stands.
#[derive(Clone, Copy)]
struct Node {
    uncovered: u64,
    /// `uncovered` as the cost tables see it.
    table_uncovered: usize,
    /// The path with the cheapest member of each group.
    cost: u64,
    lead: bool,
    /// The most people the path's groups can bring.
    hc_max: u64,
    /// Requirements covered by at least one, and at least two, groups of the path.
    once: u64,
    twice: u64,
}

/// The exact search of the teams of exactly `size` members.
pub(super) struct Search<'a> {
    inst: &'a Instance,
    size: usize,
    pub best: Best,
    /// Groups excluded by earlier siblings (each team is met once, under its first coverer).
    excluded: Vec<bool>,
    path: Vec<usize>,
    chosen: Vec<usize>,
    undo: Vec<usize>,
    rest_min: Vec<u64>,
    rest_lead: Vec<bool>,
    rest_hc: Vec<u64>,
    pub steps: u64,
    budget: u64,
    pub out_of_budget: bool,
}

impl<'a> Search<'a> {
    pub fn new(inst: &'a Instance, size: usize, wanted: usize, budget: u64) -> Self {
        Search {
            inst,
            size,
            best: Best::new(wanted),
            excluded: vec![false; inst.groups.len()],
            path: Vec::with_capacity(size),
            chosen: Vec::with_capacity(size),
            undo: Vec::new(),
            rest_min: Vec::with_capacity(size + 1),
            rest_lead: Vec::with_capacity(size + 1),
            rest_hc: Vec::with_capacity(size + 1),
            steps: 0,
            budget,
            out_of_budget: false,
        }
    }

    pub fn run(&mut self) {
        if self.inst.groups.is_empty() {
            return;
        }
        let inst = self.inst;
        self.cover(Node {
            uncovered: inst.full,
            table_uncovered: inst.tables.project(inst.full),
            cost: 0,
            lead: false,
            hc_max: 0,
            once: 0,
            twice: 0,
        });
    }

    fn tick(&mut self) -> bool {
        self.steps += 1;
        if self.steps > self.budget {
            self.out_of_budget = true;
        }
        !self.out_of_budget
    }

    /// Whether a team with this (lead, cost) at best would rank after the full list.
    fn worse(&self, nolead: bool, cost: u64) -> bool {
        self.best.worst().is_some_and(|w| (nolead, cost) > w)
    }

    /// Whether no team costing at least `floor` can enter, lead or not: candidates are walked
    /// cheapest first, so the walk stops there.
    fn cut(&self, floor: u64) -> bool {
        self.best
            .worst()
            .is_some_and(|(nolead, cost)| !nolead && floor > cost)
    }

    /// Branches on the coverers of the rarest uncovered requirement.
    fn cover(&mut self, node: Node) {
        let inst = self.inst;
        let left = self.size - self.path.len();
        let j = rarest(inst, node.uncovered);
        let undo_from = self.undo.len();
        for &g in &inst.coverers[j] {
            if self.out_of_budget {
                break;
            }
            if self.excluded[g] {
                continue;
            }
            let group = &inst.groups[g];
            let after = left - 1;
            let floor = node.cost + group.min_cost + after as u64 * inst.cmin;
            if self.cut(floor) || !self.tick() {
                break;
            }
            if self.worth(g, after, floor, &node) {
                let next = Node {
                    uncovered: node.uncovered & !group.mask,
                    table_uncovered: node.table_uncovered & !group.table_mask,
                    cost: node.cost + group.min_cost,
                    lead: node.lead || group.has_lead,
                    hc_max: node.hc_max + group.max_hc,
                    once: node.once | group.mask,
                    twice: node.twice | (node.once & group.mask),
                };
                self.path.push(g);
                if next.uncovered == 0 {
                    self.concretize(after);
                } else {
                    self.cover(next);
                }
                self.path.pop();
            }
            // Later siblings leave this group out: teams holding it were all met under it.
            self.excluded[g] = true;
            self.undo.push(g);
        }
        for g in self.undo.drain(undo_from..) {
            self.excluded[g] = false;
        }
    }

    /// The bounds for adding group `g` to the path with `after` places left after it; `floor`
    /// counts the cheapest member for each place.
    fn worth(&self, g: usize, after: usize, floor: u64, node: &Node) -> bool {
        let inst = self.inst;
        let group = &inst.groups[g];
        let rest = node.uncovered & !group.mask;
        if inst.min_hc == 0 {
            // Nothing but coverage keeps a member: the team is complete when covered, and a
            // member whose requirements all come from others can never stay.
            if (rest == 0) != (after == 0) {
                return false;
            }
            let twice = node.twice | (node.once & group.mask);
            if self.path.iter().any(|&p| inst.groups[p].mask & !twice == 0) {
                return false;
            }
        } else if node.hc_max + group.max_hc + after as u64 * inst.max_hc < inst.min_hc {
            return false;
        }
        let mut lb = floor;
        if rest != 0 {
            if after == 0 || rest.count_ones() as u64 > after as u64 * inst.max_pop as u64 {
                return false;
            }
            let f = inst.tables.get(after, node.table_uncovered & !group.table_mask);
            if f == INF {
                return false;
            }
            lb = lb.max(node.cost + group.min_cost + f);
        }
        let lead = node.lead || group.has_lead || (after > 0 && inst.any_lead);
        !self.worse(inst.prefer_lead && !lead, lb)
    }

    /// Chooses a member in each group of the path, then `extras` members for headcount.
    fn concretize(&mut self, extras: usize) {
        let inst = self.inst;
        let p = self.path.len();
        self.rest_min.clear();
        self.rest_lead.clear();
        self.rest_hc.clear();
        self.rest_min.resize(p + 1, 0);
        self.rest_lead.resize(p + 1, false);
        self.rest_hc.resize(p + 1, 0);
        for i in (0..p).rev() {
            let g = &inst.groups[self.path[i]];
            self.rest_min[i] = self.rest_min[i + 1] + g.min_cost;
            self.rest_lead[i] = self.rest_lead[i + 1] || g.has_lead;
            self.rest_hc[i] = self.rest_hc[i + 1] + g.max_hc;
        }
        self.chosen.clear();
        self.pick(0, extras, 0, 0, false, 0);
    }

    fn pick(&mut self, i: usize, extras: usize, cost: u64, hc: u64, lead: bool, start: usize) {
        let inst = self.inst;
        let p = self.path.len();
        if i < p {
            let group = &inst.groups[self.path[i]];
            for &r in &group.reps {
                let rep = &inst.reps[r];
                let floor = cost + rep.cost + self.rest_min[i + 1] + extras as u64 * inst.cmin;
                if self.cut(floor) || !self.tick() {
                    break;
                }
                let lead = lead || rep.lead;
                let may_lead = lead || self.rest_lead[i + 1] || (extras > 0 && inst.any_lead);
                if self.worse(inst.prefer_lead && !may_lead, floor) {
                    continue;
                }
                let hc = hc + rep.hc;
                if hc + self.rest_hc[i + 1] + extras as u64 * inst.max_hc < inst.min_hc {
                    continue;
                }
                self.chosen.push(r);
                self.pick(i + 1, extras, cost + rep.cost, hc, lead, start);
                self.chosen.pop();
            }
            return;
        }
        let placed = self.chosen.len() - p;
        if placed == extras {
            self.finish(cost, hc, lead);
            return;
        }
        if hc >= inst.min_hc {
            // One more member would be there for nothing.
            return;
        }
        let left = (extras - placed - 1) as u64;
        for pos in start..inst.reps.len() {
            let rep = &inst.reps[pos];
            let floor = cost + rep.cost + left * inst.cmin;
            if self.cut(floor) || !self.tick() {
                break;
            }
            if self.excluded[rep.group] || self.chosen.contains(&pos) {
                continue;
            }
            if hc + rep.hc + left * inst.suffix_max_hc[pos + 1] < inst.min_hc {
                continue;
            }
            let lead = lead || rep.lead;
            if self.worse(inst.prefer_lead && !(lead || (left > 0 && inst.any_lead)), floor) {
                continue;
            }
            self.chosen.push(pos);
            self.pick(i, extras, cost + rep.cost, hc + rep.hc, lead, pos + 1);
            self.chosen.pop();
        }
    }

    fn finish(&mut self, cost: u64, hc: u64, lead: bool) {
        let inst = self.inst;
        if hc < inst.min_hc {
            return;
        }
        let nolead = inst.prefer_lead && !lead;
        if self.worse(nolead, cost) {
            return;
        }
        let (mut once, mut twice) = (0u64, 0u64);
        for &r in &self.chosen {
            let m = inst.reps[r].mask;
            twice |= once & m;
            once |= m;
        }
        let reducible = self.chosen.iter().any(|&r| {
            let rep = &inst.reps[r];
            rep.mask & !twice == 0 && hc - rep.hc >= inst.min_hc
        });
        if reducible {
            return;
        }
        let mut members: Vec<usize> = self.chosen.iter().map(|&r| inst.reps[r].idx).collect();
        members.sort_unstable();
        self.best.offer(Found {
            size: self.size,
            nolead,
            cost,
            members,
        });
    }
}

/// The uncovered requirement with the fewest covering groups (lowest index on ties).
fn rarest(inst: &Instance, uncovered: u64) -> usize {
    let mut bits = uncovered;
    let mut best = (usize::MAX, 0);
    while bits != 0 {
        let j = bits.trailing_zeros() as usize;
        bits &= bits - 1;
        best = best.min((inst.coverers[j].len(), j));
    }
    best.1
}
