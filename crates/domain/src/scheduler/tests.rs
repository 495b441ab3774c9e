//! Stories and properties of the scheduler: validation messages, each reason for leaving a
//! request out, SME coverage, compact agendas, incremental mode, and optimality on tiny events.

use std::collections::{HashMap, HashSet};

use proptest::prelude::*;

use super::*;

fn person(id: &str, kind: Kind, available: &[i64], max_meetings: Option<i64>) -> Participant {
    Participant {
        id: id.into(),
        kind,
        available: available.to_vec(),
        max_meetings,
    }
}

fn request(a: &str, b: &str, weight: i64) -> Request {
    Request {
        a: a.into(),
        b: b.into(),
        weight,
    }
}

fn event(slots: u32, tables: u32, participants: Vec<Participant>, requests: Vec<Request>) -> Instance {
    Instance {
        slots,
        tables,
        participants,
        requests,
        pinned: Vec::new(),
    }
}

/// Everyone available all day, no caps.
fn open_event(slots: u32, tables: u32, ids: &[&str], requests: Vec<Request>) -> Instance {
    let all: Vec<i64> = (0..slots as i64).collect();
    let people = ids.iter().map(|id| person(id, Kind::Other, &all, None)).collect();
    event(slots, tables, people, requests)
}

fn pair(a: &str, b: &str) -> (String, String) {
    if a < b {
        (a.into(), b.into())
    } else {
        (b.into(), a.into())
    }
}

/// Panics unless `schedule` is a feasible schedule of `instance` with consistent totals.
fn assert_feasible(instance: &Instance, schedule: &Schedule) {
    let people: HashMap<&str, &Participant> =
        instance.participants.iter().map(|p| (p.id.as_str(), p)).collect();
    let weights: HashMap<(String, String), u64> = instance
        .requests
        .iter()
        .map(|r| (pair(&r.a, &r.b), r.weight as u64))
        .collect();
    let mut busy = HashSet::new();
    let mut tables = HashSet::new();
    let mut count: HashMap<&str, i64> = HashMap::new();
    let mut seen = HashSet::new();
    let mut total = 0;
    for m in &schedule.meetings {
        let key = pair(&m.a, &m.b);
        total += weights.get(&key).copied().expect("a meeting is a request");
        assert!(seen.insert(key), "request scheduled twice: {m:?}");
        assert!(
            m.slot < instance.slots && m.table < instance.tables,
            "out of range: {m:?}"
        );
        assert!(tables.insert((m.slot, m.table)), "table double-booked: {m:?}");
        for id in [m.a.as_str(), m.b.as_str()] {
            assert!(busy.insert((id, m.slot)), "{id} double-booked in slot {}", m.slot);
            assert!(
                people[id].available.contains(&(m.slot as i64)),
                "{id} unavailable in {}",
                m.slot
            );
            *count.entry(id).or_default() += 1;
        }
    }
    for (id, n) in count {
        if let Some(cap) = people[id].max_meetings {
            assert!(n <= cap, "{id} has {n} meetings, cap {cap}");
        }
    }
    assert_eq!(schedule.total_weight, total);
    assert!(
        schedule.upper_bound >= schedule.total_weight,
        "bound below the schedule"
    );
    assert_eq!(
        schedule.meetings.len() + schedule.unscheduled.len(),
        instance.requests.len()
    );
    for u in &schedule.unscheduled {
        assert!(
            !seen.contains(&pair(&u.a, &u.b)),
            "both scheduled and unscheduled: {u:?}"
        );
    }
    for p in &instance.pinned {
        assert!(
            schedule
                .meetings
                .iter()
                .any(|m| pair(&m.a, &m.b) == pair(&p.a, &p.b) && m.slot == p.slot && m.table == p.table),
            "pinned meeting moved: {p:?}"
        );
    }
}

/// The optimum by exhaustive search: each request left out or in one of its common slots.
fn brute_force(instance: &Instance) -> u64 {
    let model = validate::build(instance).unwrap();
    let mut state = State::new(&model);
    let free: Vec<usize> = (0..model.m()).filter(|&e| model.pinned[e].is_none()).collect();
    fn go(state: &mut State<'_>, free: &[usize], best: &mut u64) {
        let Some((&e, rest)) = free.split_first() else {
            *best = (*best).max(state.weight);
            return;
        };
        go(state, rest, best);
        for s in state.model.common_slots(e) {
            if state.fits(e, s) {
                state.place(e, s);
                go(state, rest, best);
                state.unplace(e);
            }
        }
    }
    let mut best = 0;
    go(&mut state, &free, &mut best);
    best
}

fn refused(instance: &Instance) -> String {
    validate(instance)
        .expect_err("the instance should be refused")
        .to_string()
}

#[test]
fn an_unknown_participant_is_named_with_its_request() {
    let mut instance = open_event(
        2,
        1,
        &["p1", "p2"],
        vec![request("p1", "p2", 1), request("p1", "p9", 1)],
    );
    assert_eq!(
        refused(&instance),
        "requests[1] (p1–p9): unknown participant \"p9\""
    );
    instance.requests.insert(0, request("p7", "p1", 1));
    assert!(
        refused(&instance).starts_with("requests[0] (p7–p1)"),
        "the first offending entry is named"
    );
}

#[test]
fn a_slot_out_of_range_is_named_with_its_participant() {
    let instance = event(3, 1, vec![person("p1", Kind::Sme, &[0, 3], None)], vec![]);
    assert_eq!(
        refused(&instance),
        "participants[0] (\"p1\"): available slot 3 is out of range (slots are 0..2)"
    );
    let negative = event(3, 1, vec![person("p1", Kind::Sme, &[-1], None)], vec![]);
    assert!(refused(&negative).contains("available slot -1 is out of range"));
}

#[test]
fn a_pair_requested_twice_in_either_direction_is_refused() {
    let instance = open_event(
        2,
        1,
        &["p1", "p2"],
        vec![request("p1", "p2", 1), request("p2", "p1", 3)],
    );
    assert_eq!(
        refused(&instance),
        "requests[1] (p2–p1): the pair is already requested by requests[0] (p1–p2)"
    );
}

#[test]
fn a_participant_cannot_request_themselves() {
    let instance = open_event(2, 1, &["p1"], vec![request("p1", "p1", 1)]);
    assert_eq!(
        refused(&instance),
        "requests[0] (p1–p1): a participant cannot meet themselves"
    );
}

#[test]
fn weights_must_be_positive_and_bounded() {
    for (weight, problem) in [
        (0, "got 0"),
        (-2, "got -2"),
        (MAX_WEIGHT + 1, "exceeds the maximum"),
    ] {
        let instance = open_event(2, 1, &["p1", "p2"], vec![request("p1", "p2", weight)]);
        let message = refused(&instance);
        assert!(message.starts_with("requests[0] (p1–p2): weight"), "{message}");
        assert!(message.contains(problem), "{message}");
    }
}

#[test]
fn event_shape_and_participants_are_checked() {
    assert_eq!(
        refused(&open_event(0, 1, &[], vec![])),
        "slots: must be at least 1"
    );
    assert_eq!(
        refused(&open_event(2, 0, &[], vec![])),
        "tables: must be at least 1"
    );
    assert!(refused(&open_event(MAX_SLOTS + 1, 1, &[], vec![])).starts_with("slots: at most"));
    assert_eq!(
        refused(&open_event(2, 1, &["p1", "p1"], vec![])),
        "participants[1] (\"p1\"): the id \"p1\" is already used by participants[0]"
    );
    assert_eq!(
        refused(&open_event(2, 1, &[" "], vec![])),
        "participants[0]: the id is empty"
    );
    let negative_cap = event(2, 1, vec![person("p1", Kind::Sme, &[0], Some(-1))], vec![]);
    assert!(refused(&negative_cap).contains("max_meetings must not be negative, got -1"));
}

#[test]
fn pinned_meetings_are_checked_against_requests_availability_and_each_other() {
    let mut instance = open_event(
        2,
        2,
        &["p1", "p2", "p3"],
        vec![request("p1", "p2", 1), request("p1", "p3", 1)],
    );
    let pin = |a: &str, b: &str, slot, table| Placed {
        a: a.into(),
        b: b.into(),
        slot,
        table,
    };
    instance.pinned = vec![pin("p2", "p3", 0, 0)];
    assert!(refused(&instance).starts_with("pinned[0] (p2–p3): matches no request"));
    instance.pinned = vec![pin("p1", "p2", 2, 0)];
    assert!(refused(&instance).contains("slot 2 is out of range"));
    instance.pinned = vec![pin("p1", "p2", 0, 2)];
    assert!(refused(&instance).contains("table 2 is out of range"));
    instance.pinned = vec![pin("p1", "p2", 0, 0), pin("p1", "p3", 0, 1)];
    assert_eq!(
        refused(&instance),
        "pinned[1] (p1–p3): p1 is already in pinned[0] in slot 0"
    );
    instance.pinned = vec![pin("p1", "p2", 0, 0), pin("p3", "p1", 1, 0)];
    assert!(validate(&instance).is_ok());
    instance.pinned = vec![pin("p1", "p2", 0, 0), pin("p2", "p1", 1, 0)];
    assert!(refused(&instance).contains("is pinned twice"));
    instance.participants[2].available = vec![0];
    instance.pinned = vec![pin("p1", "p3", 1, 0)];
    assert_eq!(
        refused(&instance),
        "pinned[0] (p1–p3): p3 is not available in slot 1"
    );
    instance.participants[2].available = vec![0, 1];
    instance.participants[0].max_meetings = Some(1);
    instance.pinned = vec![pin("p1", "p2", 0, 0), pin("p1", "p3", 1, 1)];
    assert!(refused(&instance).contains("p1 has more pinned meetings than max_meetings (1)"));
}

#[test]
fn bad_json_shapes_are_refused_by_serde_with_a_position() {
    let error =
        serde_json::from_str::<Instance>(r#"{"slots": 2, "tables": 1, "participants": []}"#).unwrap_err();
    assert!(error.to_string().contains("missing field `requests`"), "{error}");
    let error = serde_json::from_str::<Instance>(
        r#"{"slots": 2, "tables": 1, "participants": [{"id": "p", "kind": "giant", "available": []}], "requests": []}"#,
    )
    .unwrap_err();
    assert!(error.to_string().contains("unknown variant `giant`"), "{error}");
}

fn only_unscheduled(schedule: &Schedule) -> &Unscheduled {
    assert_eq!(schedule.unscheduled.len(), 1, "{:?}", schedule.unscheduled);
    &schedule.unscheduled[0]
}

#[test]
fn participants_without_a_common_slot_are_told_so() {
    let instance = event(
        2,
        1,
        vec![
            person("ana", Kind::Sme, &[0], None),
            person("bob", Kind::Large, &[1], None),
        ],
        vec![request("ana", "bob", 3)],
    );
    let schedule = schedule(&instance).unwrap();
    let left = only_unscheduled(&schedule);
    assert_eq!(left.reason, Reason::NoCommonSlot);
    assert_eq!(left.detail, "ana and bob have no available slot in common");
    assert_eq!(schedule.upper_bound, 0);
}

#[test]
fn a_full_agenda_is_reported_as_the_cap_of_the_busy_participant() {
    let all = [0, 1, 2];
    let instance = event(
        3,
        5,
        vec![
            person("buyer", Kind::Large, &all, Some(1)),
            person("ana", Kind::Sme, &all, None),
            person("bob", Kind::Sme, &all, None),
        ],
        vec![request("ana", "buyer", 5), request("bob", "buyer", 1)],
    );
    let schedule = schedule(&instance).unwrap();
    let left = only_unscheduled(&schedule);
    assert_eq!((left.a.as_str(), left.reason), ("bob", Reason::CapReached));
    assert_eq!(left.detail, "buyer already has 1 meetings, the maximum asked for");
    assert!(schedule.proven_optimal);
}

#[test]
fn a_cap_of_zero_means_no_meetings() {
    let instance = event(
        1,
        1,
        vec![
            person("ana", Kind::Sme, &[0], Some(0)),
            person("bob", Kind::Large, &[0], None),
        ],
        vec![request("ana", "bob", 2)],
    );
    let left = only_unscheduled(&schedule(&instance).unwrap()).clone();
    assert_eq!(left.reason, Reason::CapReached);
    assert_eq!(left.detail, "ana takes no meetings (max_meetings is 0)");
}

#[test]
fn when_all_tables_are_taken_the_lighter_request_waits() {
    let instance = open_event(
        1,
        1,
        &["a", "b", "c", "d"],
        vec![request("a", "b", 1), request("c", "d", 4)],
    );
    let schedule = schedule(&instance).unwrap();
    let left = only_unscheduled(&schedule);
    assert_eq!((left.a.as_str(), left.reason), ("a", Reason::TablesFull));
    assert_eq!(
        left.detail,
        "a and b are both free in slot 0 but all 1 tables are taken there"
    );
    assert_eq!(schedule.total_weight, 4);
}

#[test]
fn a_conflict_names_the_meeting_in_the_way() {
    let instance = event(
        2,
        3,
        vec![
            person("a", Kind::Other, &[0, 1], None),
            person("b", Kind::Other, &[0], None),
            person("c", Kind::Other, &[0], None),
        ],
        vec![request("a", "b", 5), request("a", "c", 1)],
    );
    let schedule = schedule(&instance).unwrap();
    let left = only_unscheduled(&schedule);
    assert_eq!((left.b.as_str(), left.reason), ("c", Reason::Conflicts));
    assert!(
        left.detail.contains("a meets b in slot 0 (weight 5)"),
        "{}",
        left.detail
    );
}

#[test]
fn a_published_meeting_in_the_way_is_said_to_be_published() {
    let mut instance = event(
        2,
        2,
        vec![
            person("a", Kind::Other, &[0, 1], None),
            person("b", Kind::Other, &[0], None),
            person("c", Kind::Other, &[0], None),
        ],
        vec![request("a", "b", 1), request("a", "c", 9)],
    );
    instance.pinned = vec![Placed {
        a: "a".into(),
        b: "b".into(),
        slot: 0,
        table: 1,
    }];
    let schedule = schedule(&instance).unwrap();
    assert_feasible(&instance, &schedule);
    let left = only_unscheduled(&schedule);
    assert_eq!(left.reason, Reason::Conflicts);
    assert!(
        left.detail.contains("a meets b in slot 0 (weight 1, published)"),
        "{}",
        left.detail
    );
    assert_eq!(schedule.total_weight, 1);
    assert_eq!(schedule.upper_bound, 1, "the bound respects the pinned meeting");
}

#[test]
fn an_sme_without_a_meeting_gets_one_at_equal_weight() {
    let all = [0];
    let instance = event(
        1,
        1,
        vec![
            person("buyer1", Kind::Large, &all, None),
            person("buyer2", Kind::Large, &all, None),
            person("sme", Kind::Sme, &all, None),
            person("buyer3", Kind::Large, &all, None),
        ],
        vec![request("buyer1", "buyer2", 2), request("sme", "buyer3", 2)],
    );
    let schedule = schedule(&instance).unwrap();
    assert_eq!(schedule.meetings.len(), 1);
    assert_eq!(schedule.meetings[0].a, "sme");
}

#[test]
fn agendas_are_compacted_without_losing_weight() {
    let instance = event(
        3,
        5,
        vec![
            person("a", Kind::Other, &[0, 1, 2], None),
            person("b", Kind::Other, &[0, 1], None),
            person("c", Kind::Other, &[1, 2], None),
            person("d", Kind::Other, &[0, 1, 2], None),
        ],
        vec![
            request("a", "b", 1),
            request("a", "c", 1),
            request("c", "d", 1),
            request("b", "d", 1),
        ],
    );
    let schedule = schedule(&instance).unwrap();
    assert_feasible(&instance, &schedule);
    assert_eq!(schedule.total_weight, 4);
    assert_eq!(schedule.idle_gaps, 0);
}

#[test]
fn tables_are_numbered_from_zero_around_published_ones() {
    let mut instance = open_event(
        1,
        3,
        &["a", "b", "c", "d", "e", "f"],
        vec![request("a", "b", 1), request("c", "d", 1), request("e", "f", 1)],
    );
    instance.pinned = vec![Placed {
        a: "c".into(),
        b: "d".into(),
        slot: 0,
        table: 0,
    }];
    let schedule = schedule(&instance).unwrap();
    assert_feasible(&instance, &schedule);
    let tables: Vec<u32> = schedule.meetings.iter().map(|m| m.table).collect();
    assert_eq!(tables, vec![0, 1, 2]);
}

#[test]
fn first_come_first_served_takes_requests_in_order() {
    let instance = open_event(
        1,
        1,
        &["a", "b", "c", "d"],
        vec![request("a", "b", 1), request("c", "d", 4)],
    );
    let baseline = first_come_first_served(&instance).unwrap();
    assert_eq!(baseline.total_weight, 1);
    assert_eq!(schedule(&instance).unwrap().total_weight, 4);
}

/// A tiny random event: few people, slots and requests, so that brute force is instant.
fn tiny_event() -> impl Strategy<Value = Instance> {
    (2usize..=6, 1u32..=3, 1u32..=3).prop_flat_map(|(n, slots, tables)| {
        let people = proptest::collection::vec(
            (
                proptest::collection::vec(any::<bool>(), slots as usize),
                proptest::option::of(0i64..=3),
                0u8..4,
            ),
            n,
        );
        let requests = proptest::collection::vec((0..n, 0..n, 1i64..=5), 0..=8);
        (people, requests).prop_map(move |(people, requests)| {
            let kinds = [Kind::Sme, Kind::Midcap, Kind::Large, Kind::Other];
            let participants = people
                .iter()
                .enumerate()
                .map(|(i, (avail, cap, kind))| Participant {
                    id: format!("p{i}"),
                    kind: kinds[*kind as usize],
                    available: (0..slots as i64).filter(|&s| avail[s as usize]).collect(),
                    max_meetings: *cap,
                })
                .collect();
            let mut seen = HashSet::new();
            let requests = requests
                .into_iter()
                .filter(|&(a, b, _)| a != b && seen.insert((a.min(b), a.max(b))))
                .map(|(a, b, w)| request(&format!("p{a}"), &format!("p{b}"), w))
                .collect();
            event(slots, tables, participants, requests)
        })
    })
}

/// A planted event: a random feasible schedule is drawn first, and availability, caps and tables
/// are made just loose enough for it, so that every request can be scheduled.
fn planted_event() -> impl Strategy<Value = Instance> {
    (4usize..=14, 2u32..=6).prop_flat_map(|(n, slots)| {
        let meetings = proptest::collection::vec((0..n, 0..n, 0..slots, 1i64..=4), 1..=30);
        let extra = proptest::collection::vec(proptest::collection::vec(any::<bool>(), slots as usize), n);
        (meetings, extra).prop_map(move |(meetings, extra)| {
            let mut busy = HashSet::new();
            let mut pairs = HashSet::new();
            let mut available = vec![HashSet::new(); n];
            let mut degree = vec![0i64; n];
            let mut per_slot = vec![0u32; slots as usize];
            let mut requests = Vec::new();
            for (a, b, s, w) in meetings {
                if a == b
                    || busy.contains(&(a, s))
                    || busy.contains(&(b, s))
                    || !pairs.insert((a.min(b), a.max(b)))
                {
                    continue;
                }
                busy.insert((a, s));
                busy.insert((b, s));
                available[a].insert(s as i64);
                available[b].insert(s as i64);
                degree[a] += 1;
                degree[b] += 1;
                per_slot[s as usize] += 1;
                requests.push(request(&format!("p{a}"), &format!("p{b}"), w));
            }
            let participants = (0..n)
                .map(|p| {
                    let mut slots_of: Vec<i64> = available[p].iter().copied().collect();
                    slots_of.extend((0..slots as i64).filter(|&s| extra[p][s as usize]));
                    slots_of.sort_unstable();
                    slots_of.dedup();
                    person(&format!("p{p}"), Kind::Sme, &slots_of, Some(degree[p]))
                })
                .collect();
            let tables = per_slot.iter().copied().max().unwrap_or(1).max(1);
            event(slots, tables, participants, requests)
        })
    })
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(200))]

    #[test]
    fn schedules_are_feasible_and_optimal_on_tiny_events(instance in tiny_event()) {
        let schedule = schedule(&instance).unwrap();
        assert_feasible(&instance, &schedule);
        prop_assert_eq!(schedule.total_weight, brute_force(&instance));
        prop_assert!(schedule.upper_bound >= schedule.total_weight);
    }

    #[test]
    fn every_request_is_scheduled_when_all_can_be(instance in planted_event()) {
        let schedule = schedule(&instance).unwrap();
        assert_feasible(&instance, &schedule);
        prop_assert!(schedule.unscheduled.is_empty(), "left out: {:?}", schedule.unscheduled);
        prop_assert!(schedule.proven_optimal);
    }

    #[test]
    fn incremental_mode_never_moves_a_published_meeting(instance in tiny_event(), late in proptest::collection::vec((0usize..6, 0usize..6, 1i64..=9), 0..4)) {
        let first = schedule(&instance).unwrap();
        let mut next = instance.clone();
        next.pinned = first.meetings.iter().step_by(2).cloned().collect();
        let n = instance.participants.len();
        let mut seen: HashSet<_> = instance.requests.iter().map(|r| pair(&r.a, &r.b)).collect();
        for (a, b, w) in late {
            let (a, b) = (format!("p{}", a % n), format!("p{}", b % n));
            if a != b && seen.insert(pair(&a, &b)) {
                next.requests.push(request(&a, &b, w));
            }
        }
        let second = schedule(&next).unwrap();
        assert_feasible(&next, &second);
        prop_assert_eq!(second.total_weight, brute_force(&next));
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(24))]

    #[test]
    fn the_bound_holds_and_the_baseline_is_feasible_on_larger_events(
        instance in (20usize..60, 4u32..10, 2u32..8).prop_flat_map(|(n, slots, tables)| {
            let people = proptest::collection::vec((proptest::collection::vec(any::<bool>(), slots as usize), proptest::option::of(1i64..=6)), n);
            let requests = proptest::collection::vec((0..n, 0..n, 1i64..=6), 10..200);
            (people, requests).prop_map(move |(people, requests)| {
                let participants = people.iter().enumerate().map(|(i, (avail, cap))| person(
                    &format!("p{i}"), if i % 3 == 0 { Kind::Large } else { Kind::Sme },
                    &(0..slots as i64).filter(|&s| avail[s as usize]).collect::<Vec<_>>(), *cap)).collect();
                let mut seen = HashSet::new();
                let requests = requests.into_iter()
                    .filter(|&(a, b, _)| a != b && seen.insert((a.min(b), a.max(b))))
                    .map(|(a, b, w)| request(&format!("p{a}"), &format!("p{b}"), w)).collect();
                event(slots, tables, participants, requests)
            })
        })
    ) {
        let ours = schedule(&instance).unwrap();
        assert_feasible(&instance, &ours);
        let baseline = first_come_first_served(&instance).unwrap();
        assert_feasible(&instance, &baseline);
        prop_assert!(ours.upper_bound >= baseline.total_weight, "the bound holds for any schedule");
        let again = schedule(&instance).unwrap();
        prop_assert_eq!(&ours, &again, "deterministic");
    }
}
