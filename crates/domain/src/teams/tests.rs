use super::*;
use proptest::prelude::*;

fn member(covers: &[usize], cost: u32) -> Candidate {
    Candidate {
        id: 0,
        covers: covers.to_vec(),
        cost,
        can_lead: false,
        headcount: 10,
    }
}

fn leader(covers: &[usize], cost: u32) -> Candidate {
    Candidate {
        can_lead: true,
        ..member(covers, cost)
    }
}

fn people(covers: &[usize], cost: u32, headcount: u32) -> Candidate {
    Candidate {
        headcount,
        ..member(covers, cost)
    }
}

fn request(requirements: usize, max_members: usize) -> TeamRequest {
    TeamRequest {
        requirements,
        max_members,
        min_headcount: 0,
        prefer_lead: false,
        limit: 5,
    }
}

fn memberships(proposal: &Proposal) -> Vec<Vec<usize>> {
    proposal
        .teams
        .iter()
        .map(|t| {
            let mut m = t.members.clone();
            m.sort_unstable();
            m
        })
        .collect()
}

/// Every rule a returned team must satisfy, with the reason when one fails.
fn check_team(request: &TeamRequest, candidates: &[Candidate], team: &Team) -> Result<(), String> {
    let n = team.members.len();
    if n == 0 || n > request.max_members {
        return Err(format!("{n} members"));
    }
    let mut sorted = team.members.clone();
    sorted.sort_unstable();
    sorted.dedup();
    if sorted.len() != n {
        return Err("a member twice".into());
    }
    let covers = |i: usize, j: usize| candidates[i].covers.contains(&j);
    for j in 0..request.requirements {
        if !team.members.iter().any(|&i| covers(i, j)) {
            return Err(format!("requirement {j} uncovered"));
        }
        let mut expected: Vec<usize> = sorted.iter().copied().filter(|&i| covers(i, j)).collect();
        expected.sort_unstable();
        if team.cover[j] != expected {
            return Err(format!("cover of {j} is {:?}", team.cover[j]));
        }
    }
    let headcount: u64 = team.members.iter().map(|&i| candidates[i].headcount as u64).sum();
    if headcount != team.headcount || headcount < request.min_headcount {
        return Err(format!("headcount {headcount}"));
    }
    let cost: u64 = team.members.iter().map(|&i| candidates[i].cost as u64).sum();
    if cost != team.cost {
        return Err(format!("cost {cost}"));
    }
    for &out in &team.members {
        let others: Vec<usize> = team.members.iter().copied().filter(|&i| i != out).collect();
        let still_covered = (0..request.requirements).all(|j| others.iter().any(|&i| covers(i, j)));
        let still_people = headcount - candidates[out].headcount as u64 >= request.min_headcount;
        if still_covered && still_people {
            return Err(format!("member {out} is not needed"));
        }
    }
    match team.lead {
        Some(lead) if team.members[0] != lead || !candidates[lead].can_lead => {
            return Err("the lead is not first or cannot lead".into());
        }
        None if team.members.iter().any(|&i| candidates[i].can_lead) => {
            return Err("no lead though one can lead".into());
        }
        _ => {}
    }
    let rest = match team.lead {
        Some(_) => &team.members[1..],
        None => &team.members[..],
    };
    if rest.windows(2).any(|w| w[0] > w[1]) {
        return Err("members out of order".into());
    }
    Ok(())
}

/// The ranking key of the contract.
fn rank(
    request: &TeamRequest,
    candidates: &[Candidate],
    members: &[usize],
) -> (usize, bool, u64, Vec<usize>) {
    let mut sorted = members.to_vec();
    sorted.sort_unstable();
    (
        members.len(),
        request.prefer_lead && !members.iter().any(|&i| candidates[i].can_lead),
        members.iter().map(|&i| candidates[i].cost as u64).sum(),
        sorted,
    )
}

/// Every irreducible valid team, ranked, by trying all subsets.
fn brute_force(request: &TeamRequest, candidates: &[Candidate]) -> Vec<Vec<usize>> {
    let n = candidates.len();
    let valid = |set: u32| {
        let members: Vec<usize> = (0..n).filter(|&i| set & (1 << i) != 0).collect();
        let covered =
            (0..request.requirements).all(|j| members.iter().any(|&i| candidates[i].covers.contains(&j)));
        let people: u64 = members.iter().map(|&i| candidates[i].headcount as u64).sum();
        covered && people >= request.min_headcount
    };
    let mut teams: Vec<Vec<usize>> = (1u32..1 << n)
        .filter(|&set| set.count_ones() as usize <= request.max_members && valid(set))
        .filter(|&set| (0..n).all(|i| set & (1 << i) == 0 || !valid(set & !(1 << i))))
        .map(|set| (0..n).filter(|&i| set & (1 << i) != 0).collect())
        .collect();
    teams.sort_by_key(|m| rank(request, candidates, m));
    teams
}

#[test]
fn one_member_covering_everything_comes_first() {
    let candidates = [member(&[0, 1], 3), member(&[0, 1, 2], 5), member(&[2], 1)];
    let proposal = propose(&request(3, 3), &candidates).unwrap();
    assert!(proposal.exact);
    assert!(proposal.uncoverable.is_empty());
    assert_eq!(memberships(&proposal), vec![vec![1], vec![0, 2]]);
    assert_eq!(proposal.teams[1].cost, 4);
    assert_eq!(proposal.teams[1].cover, vec![vec![0], vec![0], vec![2]]);
}

#[test]
fn among_teams_of_one_size_the_cheaper_ranks_first_then_the_lower_indexes() {
    let candidates = [
        member(&[0], 2),
        member(&[1], 2),
        member(&[0], 1),
        member(&[1], 3),
        member(&[1], 2),
    ];
    let proposal = propose(&request(2, 2), &candidates).unwrap();
    assert_eq!(
        memberships(&proposal),
        vec![vec![1, 2], vec![2, 4], vec![0, 1], vec![0, 4], vec![2, 3]]
    );
    assert_eq!(
        proposal.teams.iter().map(|t| t.cost).collect::<Vec<_>>(),
        vec![3, 3, 4, 4, 4]
    );
}

#[test]
fn a_lead_is_preferred_only_when_asked() {
    let candidates = [member(&[0], 1), member(&[1], 1), leader(&[1], 9)];
    let mut asked = request(2, 2);
    let cheapest = propose(&asked, &candidates).unwrap();
    assert_eq!(memberships(&cheapest), vec![vec![0, 1], vec![0, 2]]);
    assert_eq!(cheapest.teams[0].lead, None);
    asked.prefer_lead = true;
    let led = propose(&asked, &candidates).unwrap();
    assert_eq!(memberships(&led), vec![vec![0, 2], vec![0, 1]]);
    assert_eq!(led.teams[0].lead, Some(2));
    assert_eq!(led.teams[0].members, vec![2, 0], "the lead first");
}

#[test]
fn a_smaller_team_beats_a_led_one() {
    let candidates = [member(&[0, 1], 5), leader(&[0], 1), member(&[1], 1)];
    let mut asked = request(2, 2);
    asked.prefer_lead = true;
    let proposal = propose(&asked, &candidates).unwrap();
    assert_eq!(memberships(&proposal), vec![vec![0], vec![1, 2]]);
}

#[test]
fn the_lead_is_the_largest_member_able_to_lead() {
    let candidates = [
        Candidate {
            headcount: 50,
            ..leader(&[0], 1)
        },
        Candidate {
            headcount: 900,
            ..leader(&[1], 1)
        },
    ];
    let proposal = propose(&request(2, 2), &candidates).unwrap();
    assert_eq!(proposal.teams[0].lead, Some(1));
    assert_eq!(proposal.teams[0].members, vec![1, 0]);
}

#[test]
fn a_member_joins_for_headcount_when_the_cover_is_too_small() {
    let candidates = [
        people(&[0, 1], 1, 5),
        people(&[], 1, 30),
        people(&[0], 1, 100),
        people(&[1], 4, 8),
    ];
    let mut asked = request(2, 3);
    asked.min_headcount = 20;
    let proposal = propose(&asked, &candidates).unwrap();
    assert_eq!(memberships(&proposal), vec![vec![0, 1], vec![0, 2], vec![2, 3]]);
    assert!(proposal.teams.iter().all(|t| t.headcount >= 20));
    for team in &proposal.teams {
        check_team(&asked, &candidates, team).unwrap();
    }
}

#[test]
fn teams_never_carry_a_member_for_nothing() {
    let candidates = [
        member(&[0, 1, 2], 1),
        member(&[0], 1),
        member(&[1], 1),
        member(&[2], 1),
    ];
    let proposal = propose(&request(3, 4), &candidates).unwrap();
    assert_eq!(memberships(&proposal), vec![vec![0], vec![1, 2, 3]]);
}

#[test]
fn requirements_nobody_covers_are_named_and_no_team_is_proposed() {
    let candidates = [member(&[0, 2], 1), member(&[2], 1)];
    let proposal = propose(&request(4, 3), &candidates).unwrap();
    assert_eq!(proposal.uncoverable, vec![1, 3]);
    assert!(proposal.teams.is_empty());
}

#[test]
fn no_team_within_the_size_limit_is_an_empty_proven_answer() {
    let candidates = [member(&[0], 1), member(&[1], 1), member(&[2], 1)];
    let proposal = propose(&request(3, 2), &candidates).unwrap();
    assert!(proposal.teams.is_empty());
    assert!(proposal.exact);
    assert!(proposal.uncoverable.is_empty());
}

#[test]
fn the_limit_caps_the_teams() {
    let candidates: Vec<Candidate> = (0..10).map(|i| member(&[0], 1 + i)).collect();
    let mut asked = request(1, 1);
    asked.limit = 3;
    let proposal = propose(&asked, &candidates).unwrap();
    assert_eq!(memberships(&proposal), vec![vec![0], vec![1], vec![2]]);
}

#[test]
fn bad_requests_are_refused() {
    let ok = [member(&[0], 1)];
    assert_eq!(propose(&request(0, 2), &ok), Err(TeamError::NoRequirement));
    assert_eq!(
        propose(&request(65, 2), &ok),
        Err(TeamError::TooManyRequirements { max: 64 })
    );
    assert_eq!(propose(&request(1, 0), &ok), Err(TeamError::NoMember));
    let mut none = request(1, 1);
    none.limit = 0;
    assert_eq!(propose(&none, &ok), Err(TeamError::NoTeam));
    assert_eq!(
        propose(&request(1, 1), &[member(&[0], 1), member(&[0], 0)]),
        Err(TeamError::ZeroCost { candidate: 1 })
    );
    assert_eq!(
        propose(&request(2, 1), &[member(&[0, 2], 1)]),
        Err(TeamError::UnknownRequirement {
            candidate: 0,
            requirement: 2
        })
    );
}

#[test]
fn sixty_four_requirements_are_handled() {
    let candidates = [
        member(&(0..32).collect::<Vec<_>>(), 1),
        member(&(32..64).collect::<Vec<_>>(), 1),
    ];
    let proposal = propose(&request(64, 2), &candidates).unwrap();
    assert_eq!(memberships(&proposal), vec![vec![0, 1]]);
    assert!(proposal.exact);
}

#[test]
fn without_budget_the_heuristic_answers_and_says_so() {
    let candidates = [
        member(&[0, 1], 2),
        member(&[2, 3], 2),
        member(&[0, 1, 2, 3], 5),
        member(&[0], 1),
    ];
    let proposal = propose_within(&request(4, 2), &candidates, 0).unwrap();
    assert!(!proposal.exact);
    assert!(!proposal.teams.is_empty());
    for team in &proposal.teams {
        check_team(&request(4, 2), &candidates, team).unwrap();
    }
}

fn small_instance() -> impl Strategy<Value = (TeamRequest, Vec<Candidate>)> {
    instance(1..=8, 0..=4, 1..=12)
}

/// More requirements than the cost tables hold: they bound on the rarest ones only.
fn wide_instance() -> impl Strategy<Value = (TeamRequest, Vec<Candidate>)> {
    instance(15..=20, 3..=12, 6..=12)
}

fn instance(
    requirements: std::ops::RangeInclusive<usize>,
    covered: std::ops::RangeInclusive<usize>,
    count: std::ops::RangeInclusive<usize>,
) -> impl Strategy<Value = (TeamRequest, Vec<Candidate>)> {
    (
        requirements,
        1usize..=4,
        1usize..=4,
        any::<bool>(),
        prop::option::weighted(0.3, 1u64..60),
    )
        .prop_flat_map(
            move |(requirements, max_members, limit, prefer_lead, min_headcount)| {
                let candidate = (
                    prop::collection::vec(0..requirements, covered.clone()),
                    1u32..6,
                    prop::bool::weighted(0.25),
                    0u32..25,
                )
                    .prop_map(|(covers, cost, can_lead, headcount)| Candidate {
                        id: 0,
                        covers,
                        cost,
                        can_lead,
                        headcount,
                    });
                prop::collection::vec(candidate, count.clone()).prop_map(move |candidates| {
                    (
                        TeamRequest {
                            requirements,
                            max_members,
                            min_headcount: min_headcount.unwrap_or(0),
                            prefer_lead,
                            limit,
                        },
                        candidates,
                    )
                })
            },
        )
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(400))]

    #[test]
    fn the_exact_search_returns_the_best_teams_brute_force_finds((asked, candidates) in small_instance()) {
        let proposal = propose(&asked, &candidates).unwrap();
        prop_assert!(proposal.exact);
        for team in &proposal.teams {
            prop_assert_eq!(check_team(&asked, &candidates, team), Ok(()));
        }
        let mut all = brute_force(&asked, &candidates);
        all.truncate(asked.limit);
        if proposal.uncoverable.is_empty() {
            prop_assert_eq!(memberships(&proposal), all);
        } else {
            prop_assert!(all.is_empty() && proposal.teams.is_empty());
        }
    }

    #[test]
    fn the_exact_search_is_right_beyond_the_tables((asked, candidates) in wide_instance()) {
        let proposal = propose(&asked, &candidates).unwrap();
        prop_assert!(proposal.exact);
        let mut all = brute_force(&asked, &candidates);
        all.truncate(asked.limit);
        if proposal.uncoverable.is_empty() {
            prop_assert_eq!(memberships(&proposal), all);
        } else {
            prop_assert!(all.is_empty() && proposal.teams.is_empty());
        }
    }

    #[test]
    fn the_first_team_has_the_fewest_members_possible((asked, candidates) in small_instance()) {
        let proposal = propose(&asked, &candidates).unwrap();
        let n = candidates.len();
        let smallest = (1u32..1 << n)
            .filter(|&set| {
                let members: Vec<usize> = (0..n).filter(|&i| set & (1 << i) != 0).collect();
                members.len() <= asked.max_members
                    && (0..asked.requirements).all(|j| members.iter().any(|&i| candidates[i].covers.contains(&j)))
                    && members.iter().map(|&i| candidates[i].headcount as u64).sum::<u64>() >= asked.min_headcount
            })
            .map(|set| set.count_ones() as usize)
            .min();
        prop_assert_eq!(proposal.teams.first().map(|t| t.members.len()), smallest);
    }

    #[test]
    fn the_heuristic_returns_only_valid_teams((asked, candidates) in small_instance(), budget in 0u64..40) {
        let proposal = propose_within(&asked, &candidates, budget).unwrap();
        for team in &proposal.teams {
            prop_assert_eq!(check_team(&asked, &candidates, team), Ok(()));
        }
        let keys: Vec<_> = proposal.teams.iter().map(|t| rank(&asked, &candidates, &t.members)).collect();
        prop_assert!(keys.windows(2).all(|w| w[0] < w[1]), "ranked and distinct: {:?}", keys);
        prop_assert!(proposal.teams.len() <= asked.limit);
        if proposal.exact {
            let mut all = brute_force(&asked, &candidates);
            all.truncate(asked.limit);
            prop_assert_eq!(memberships(&proposal), all);
        }
    }
}
