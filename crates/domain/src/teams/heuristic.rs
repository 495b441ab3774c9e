//! The answer when the exact search runs out of budget: greedy by cost-effectiveness from a few
//! different first members, then local improvement (two members replaced by one, one member by
//! a better one), every team made irreducible.

use super::exact::Found;
use super::prepare::Instance;

/// At most this many greedy starts.
const STARTS: usize = 24;
/// Improvement rounds per start (each strictly improves the team, so this only caps the time).
const ROUNDS: usize = 32;

/// Valid teams of at most `inst.k` members, ranked, distinct, at most `wanted`.
pub(super) fn teams(inst: &Instance, wanted: usize) -> Vec<Found> {
    let mut starts: Vec<Option<usize>> = vec![None];
    let spread = (wanted.saturating_mul(2)).clamp(8, STARTS);
    if let Some(j) = (0..inst.coverers.len())
        .filter(|&j| inst.full & (1u64 << j) != 0)
        .min_by_key(|&j| (inst.coverers[j].len(), j))
    {
        starts.extend(
            inst.coverers[j]
                .iter()
                .take(spread)
                .map(|&g| Some(inst.groups[g].reps[0])),
        );
    }
    if inst.prefer_lead {
        let mut leads: Vec<usize> = (0..inst.reps.len()).filter(|&r| inst.reps[r].lead).collect();
        // Most requirements per unit of cost first.
        leads.sort_by(|&a, &b| {
            let (ra, rb) = (&inst.reps[a], &inst.reps[b]);
            let (pa, pb) = (ra.mask.count_ones() as u64, rb.mask.count_ones() as u64);
            (pb * ra.cost).cmp(&(pa * rb.cost)).then(a.cmp(&b))
        });
        starts.extend(leads.into_iter().take(spread / 2).map(Some));
    }
    starts.truncate(STARTS + 1);
    let mut found: Vec<Found> = Vec::new();
    for start in starts {
        if let Some(team) = build(inst, start)
            && !found.contains(&team)
        {
            found.push(team);
        }
    }
    found.sort();
    found.truncate(wanted);
    found
}

/// One team from one start, if the greedy and the improvements reach a valid one.
fn build(inst: &Instance, start: Option<usize>) -> Option<Found> {
    let mut team: Vec<usize> = start.into_iter().collect();
    // Cover: the group bringing most new requirements per unit of cost, its cheapest free member.
    while covered(inst, &team) != inst.full {
        let uncovered = inst.full & !covered(inst, &team);
        let mut best: Option<(u64, usize)> = None;
        for group in &inst.groups {
            let new = (group.mask & uncovered).count_ones() as u64;
            if new == 0 {
                continue;
            }
            let Some(&r) = group.reps.iter().find(|r| !team.contains(r)) else {
                continue;
            };
            let better = match best {
                None => true,
                Some((n, b)) => {
                    let (cost, b_cost) = (inst.reps[r].cost, inst.reps[b].cost);
                    // new / cost against n / b_cost, then the cheaper, then the lower index.
                    (new * b_cost)
                        .cmp(&(n * cost))
                        .then((b_cost, b).cmp(&(cost, r)))
                        .is_gt()
                }
            };
            if better {
                best = Some((new, r));
            }
        }
        team.push(best?.1);
    }
    // People: most people per unit of cost.
    while headcount(inst, &team) < inst.min_hc {
        let r = (0..inst.reps.len())
            .filter(|r| !team.contains(r) && inst.reps[*r].hc > 0)
            .max_by(|&a, &b| {
                let (ra, rb) = (&inst.reps[a], &inst.reps[b]);
                (ra.hc * rb.cost)
                    .cmp(&(rb.hc * ra.cost))
                    .then(rb.cost.cmp(&ra.cost))
                    .then(b.cmp(&a))
            })?;
        team.push(r);
    }
    reduce(inst, &mut team);
    for _ in 0..ROUNDS {
        if !improve(inst, &mut team) {
            break;
        }
        reduce(inst, &mut team);
    }
    (team.len() <= inst.k).then(|| found(inst, &team))
}

fn covered(inst: &Instance, team: &[usize]) -> u64 {
    team.iter().fold(0, |m, &r| m | inst.reps[r].mask)
}

fn headcount(inst: &Instance, team: &[usize]) -> u64 {
    team.iter().map(|&r| inst.reps[r].hc).sum()
}

fn found(inst: &Instance, team: &[usize]) -> Found {
    let mut members: Vec<usize> = team.iter().map(|&r| inst.reps[r].idx).collect();
    members.sort_unstable();
    Found {
        size: team.len(),
        nolead: inst.prefer_lead && !team.iter().any(|&r| inst.reps[r].lead),
        cost: team.iter().map(|&r| inst.reps[r].cost).sum(),
        members,
    }
}

/// Drops members the team can do without, the costliest first.
fn reduce(inst: &Instance, team: &mut Vec<usize>) {
    loop {
        let mut order: Vec<usize> = (0..team.len()).collect();
        order.sort_by_key(|&i| std::cmp::Reverse((inst.reps[team[i]].cost, team[i])));
        let hc = headcount(inst, team);
        let removable = order.into_iter().find(|&i| {
            let others = team
                .iter()
                .enumerate()
                .filter(|&(j, _)| j != i)
                .fold(0, |m, (_, &r)| m | inst.reps[r].mask);
            others == inst.full && hc - inst.reps[team[i]].hc >= inst.min_hc
        });
        match removable {
            Some(i) => {
                team.swap_remove(i);
            }
            None => return,
        }
    }
}

/// Replaces two members by one, or one member by a better one; true when the team improved.
fn improve(inst: &Instance, team: &mut Vec<usize>) -> bool {
    let current = found(inst, team);
    let mut best: Option<(Found, Vec<usize>)> = None;
    let n = team.len();
    let consider = |out: &[usize], best: &mut Option<(Found, Vec<usize>)>| {
        let kept: Vec<usize> = (0..n).filter(|i| !out.contains(i)).map(|i| team[i]).collect();
        let need = inst.full & !covered(inst, &kept);
        let people = inst.min_hc.saturating_sub(headcount(inst, &kept));
        for group in &inst.groups {
            if group.mask & need != need {
                continue;
            }
            for &r in &group.reps {
                if team.contains(&r) || inst.reps[r].hc < people {
                    continue;
                }
                let mut candidate = kept.clone();
                candidate.push(r);
                let f = found(inst, &candidate);
                if f < current && best.as_ref().is_none_or(|(b, _)| f < *b) {
                    *best = Some((f, candidate));
                }
            }
        }
    };
    for a in 0..n {
        for b in a + 1..n {
            consider(&[a, b], &mut best);
        }
    }
    if best.is_none() {
        for a in 0..n {
            consider(&[a], &mut best);
        }
    }
    match best {
        Some((_, better)) => {
            *team = better;
            true
        }
        None => false,
    }
}
