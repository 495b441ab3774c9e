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
    let _ = (request, candidates);
    unimplemented!("the team finder is being written")
}
