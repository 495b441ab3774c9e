//! Partner pools: finding small teams of complementary members that together cover every
//! requirement of a tender (weighted set cover). Pure values and functions; the app turns
//! directory profiles into [`Candidate`]s and an opportunity's requirements into indexes.
//!
//! The contract the app relies on:
//! - requirements are identified by their index `0..request.requirements`;
//! - a returned team always covers every requirement and has at most `request.max_members`
//!   members and at least `request.min_headcount` people in total;
//! - teams are ranked by number of members, then (when `prefer_lead`) teams with a member that
//!   `can_lead` before the others, then by total cost, then by candidate indexes (deterministic);
//! - the search is exact (`Proposal::exact`) up to a size limit by branch and bound, and a
//!   heuristic beyond it.
//!
//! Only irreducible teams are proposed: every member covers a requirement nobody else in the
//! team covers, or is needed to reach the headcount.
//!
//! How: candidates become requirement bitmasks (hence 64 requirements at most); per mask only
//! the few that can still appear among the `limit` best teams are kept (`prepare`). The exact
//! search (`exact`) tries team sizes 1, 2, … k in turn, branching on the uncovered requirement
//! with the fewest coverers, bounded by tabulated least covering costs; it is exact whatever k,
//! as long as it fits in [`SEARCH_BUDGET`] steps. When it does not, the greedy and
//! local-improvement `heuristic` completes the answer and `exact` is false.

mod exact;
mod heuristic;
mod prepare;
#[cfg(test)]
mod tests;

use exact::Found;

/// A member that could join a team.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Candidate {
    /// The caller's identifier (an organisation id); never interpreted here.
    pub id: i64,
    /// Indexes of the requirements this member covers (any order; duplicates ignored).
    pub covers: Vec<usize>,
    /// The weight of taking this member, at least 1: lower is preferred among teams of one size.
    pub cost: u32,
    /// A large account or an ETI, able to lead the team (mandataire) when a lead is preferred.
    pub can_lead: bool,
    pub headcount: u32,
}

/// What the caller asks for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TeamRequest {
    /// How many requirements there are (the `covers` indexes are below this).
    pub requirements: usize,
    /// At most this many members per team (k), at least 1.
    pub max_members: usize,
    /// The team's people together, 0 for no minimum.
    pub min_headcount: u64,
    /// Rank teams with a possible lead first.
    pub prefer_lead: bool,
    /// How many teams to return at most, at least 1.
    pub limit: usize,
}

/// One proposed team.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Team {
    /// Indexes into the candidates, the lead (if any) first, then by index.
    pub members: Vec<usize>,
    /// The member proposed as lead: a `can_lead` member when there is one.
    pub lead: Option<usize>,
    /// Sum of the members' costs.
    pub cost: u64,
    pub headcount: u64,
    /// For each requirement, the members (candidate indexes) that cover it.
    pub cover: Vec<Vec<usize>>,
}

/// The ranked teams, with what could not be covered by anyone.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Proposal {
    pub teams: Vec<Team>,
    /// True when the ranking's first team is proven optimal (branch and bound ran to the end).
    pub exact: bool,
    /// Requirements no candidate covers: with any of these, `teams` is empty.
    pub uncoverable: Vec<usize>,
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum TeamError {
    #[error("requirements: an opportunity needs at least one requirement")]
    NoRequirement,
    #[error("requirements: at most {max} requirements can be matched at once")]
    TooManyRequirements { max: usize },
    #[error("max_members: a team has at least one member")]
    NoMember,
    #[error("limit: ask for at least one team")]
    NoTeam,
    #[error("candidates[{candidate}].cost: a cost is at least 1")]
    ZeroCost { candidate: usize },
    #[error("candidates[{candidate}].covers: requirement {requirement} does not exist")]
    UnknownRequirement { candidate: usize, requirement: usize },
}

/// Proposes up to `request.limit` teams of `candidates` covering every requirement.
pub fn propose(request: &TeamRequest, candidates: &[Candidate]) -> Result<Proposal, TeamError> {
    propose_within(request, candidates, SEARCH_BUDGET)
}

/// The exact search's budget in steps (a step is one member or group tried): a few hundred
/// milliseconds on one core in release builds at worst (`passerelle bench teams`).
pub const SEARCH_BUDGET: u64 = 20_000_000;

/// [`propose`] with another step budget for the exact search (0: the heuristic alone).
pub fn propose_within(
    request: &TeamRequest,
    candidates: &[Candidate],
    budget: u64,
) -> Result<Proposal, TeamError> {
    check(request, candidates)?;
    let masks = prepare::masks(candidates);
    let reachable = masks.iter().fold(0u64, |m, &c| m | c);
    let uncoverable: Vec<usize> = (0..request.requirements)
        .filter(|&j| reachable & (1u64 << j) == 0)
        .collect();
    if !uncoverable.is_empty() {
        return Ok(Proposal {
            teams: Vec::new(),
            exact: true,
            uncoverable,
        });
    }
    let mut inst = prepare::prepare(request, candidates, &masks);
    let mut found: Vec<Found> = Vec::new();
    let mut exact = true;
    let mut spent = 0u64;
    for size in 1..=inst.k {
        inst.tables.ensure(size - 1);
        let mut search = exact::Search::new(&inst, size, inst.limit - found.len(), budget - spent);
        search.run();
        spent += search.steps.min(budget - spent);
        let out_of_budget = search.out_of_budget;
        found.extend(search.best.teams);
        if out_of_budget {
            exact = false;
            break;
        }
        if found.len() >= inst.limit {
            break;
        }
    }
    if !exact {
        for team in heuristic::teams(&inst, inst.limit) {
            if !found.contains(&team) {
                found.push(team);
            }
        }
        found.sort();
        found.truncate(inst.limit);
    }
    let teams = found
        .into_iter()
        .map(|f| team(request, candidates, &masks, f))
        .collect();
    Ok(Proposal {
        teams,
        exact,
        uncoverable,
    })
}

fn check(request: &TeamRequest, candidates: &[Candidate]) -> Result<(), TeamError> {
    if request.requirements == 0 {
        return Err(TeamError::NoRequirement);
    }
    if request.requirements > prepare::MAX_REQUIREMENTS {
        return Err(TeamError::TooManyRequirements {
            max: prepare::MAX_REQUIREMENTS,
        });
    }
    if request.max_members == 0 {
        return Err(TeamError::NoMember);
    }
    if request.limit == 0 {
        return Err(TeamError::NoTeam);
    }
    for (candidate, c) in candidates.iter().enumerate() {
        if c.cost == 0 {
            return Err(TeamError::ZeroCost { candidate });
        }
        if let Some(&requirement) = c.covers.iter().find(|&&r| r >= request.requirements) {
            return Err(TeamError::UnknownRequirement {
                candidate,
                requirement,
            });
        }
    }
    Ok(())
}

/// The caller's view of a found team: the lead is the largest member that can lead.
fn team(request: &TeamRequest, candidates: &[Candidate], masks: &[u64], found: Found) -> Team {
    let lead = found
        .members
        .iter()
        .copied()
        .filter(|&i| candidates[i].can_lead)
        .max_by_key(|&i| (candidates[i].headcount, std::cmp::Reverse(i)));
    let mut members = found.members;
    if let Some(lead) = lead {
        members.retain(|&i| i != lead);
        members.insert(0, lead);
    }
    let cover = (0..request.requirements)
        .map(|j| {
            let mut who: Vec<usize> = members
                .iter()
                .copied()
                .filter(|&i| masks[i] & (1u64 << j) != 0)
                .collect();
            who.sort_unstable();
            who
        })
        .collect();
    Team {
        lead,
        cost: members.iter().map(|&i| candidates[i].cost as u64).sum(),
        headcount: members.iter().map(|&i| candidates[i].headcount as u64).sum(),
        members,
        cover,
    }
}
