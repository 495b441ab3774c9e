//! `passerelle schedule` as an organiser meets it: a valid instance file gives a feasible
//! schedule file; a bad one gives a message naming the first offending entry, exit 1, no file.

use std::collections::{HashMap, HashSet};
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use serde_json::{Value, json};

fn scratch() -> PathBuf {
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_nanos();
    let dir = std::env::temp_dir().join(format!("passerelle-schedule-{}-{nanos}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

/// Writes `instance` (JSON value or raw text) to a file and runs `passerelle schedule` on it.
fn schedule(dir: &Path, instance: &str) -> (Output, PathBuf) {
    let input = dir.join("instance.json");
    let output = dir.join("schedule.json");
    std::fs::write(&input, instance).unwrap();
    let run = Command::new(env!("CARGO_BIN_EXE_passerelle"))
        .args([
            "schedule",
            "--input",
            input.to_str().unwrap(),
            "--output",
            output.to_str().unwrap(),
        ])
        .current_dir(dir)
        .env_remove("PASSERELLE_DATABASE_URL")
        .output()
        .expect("run passerelle");
    (run, output)
}

fn stderr(output: &Output) -> String {
    String::from_utf8_lossy(&output.stderr).into_owned()
}

/// A small convention: two large accounts, four SMEs, one of them arriving late.
fn convention() -> Value {
    let all: Vec<u32> = (0..4).collect();
    json!({
        "slots": 4,
        "tables": 2,
        "participants": [
            {"id": "airbus", "kind": "large", "available": all, "max_meetings": 3},
            {"id": "thales", "kind": "large", "available": all},
            {"id": "sme1", "kind": "sme", "available": all},
            {"id": "sme2", "kind": "sme", "available": all, "max_meetings": 2},
            {"id": "sme3", "kind": "sme", "available": [2, 3]},
            {"id": "lab", "kind": "other", "available": [0, 1]}
        ],
        "requests": [
            {"a": "sme1", "b": "airbus", "weight": 3},
            {"a": "sme2", "b": "airbus", "weight": 5},
            {"a": "sme3", "b": "airbus", "weight": 1},
            {"a": "sme1", "b": "thales", "weight": 2},
            {"a": "sme2", "b": "thales", "weight": 2},
            {"a": "sme3", "b": "thales", "weight": 4},
            {"a": "lab", "b": "airbus", "weight": 1},
            {"a": "lab", "b": "sme3", "weight": 6}
        ]
    })
}

/// Checks the schedule file against the instance: fields, feasibility, totals.
fn assert_valid_schedule(instance: &Value, schedule: &Value) {
    for field in [
        "meetings",
        "total_weight",
        "upper_bound",
        "unscheduled",
        "seconds",
    ] {
        assert!(schedule.get(field).is_some(), "missing {field}: {schedule}");
    }
    let people: HashMap<&str, &Value> = instance["participants"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| (p["id"].as_str().unwrap(), p))
        .collect();
    let weight: HashMap<(String, String), u64> = instance["requests"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| {
            let (a, b) = (r["a"].as_str().unwrap(), r["b"].as_str().unwrap());
            (
                (a.min(b).to_owned(), a.max(b).to_owned()),
                r["weight"].as_u64().unwrap(),
            )
        })
        .collect();
    let (slots, tables) = (
        instance["slots"].as_u64().unwrap(),
        instance["tables"].as_u64().unwrap(),
    );
    let mut busy = HashSet::new();
    let mut booked = HashSet::new();
    let mut count: HashMap<&str, u64> = HashMap::new();
    let mut total = 0;
    for m in schedule["meetings"].as_array().unwrap() {
        let (a, b) = (m["a"].as_str().unwrap(), m["b"].as_str().unwrap());
        let (slot, table) = (m["slot"].as_u64().unwrap(), m["table"].as_u64().unwrap());
        assert!(slot < slots && table < tables, "{m}");
        assert!(booked.insert((slot, table)), "table double-booked: {m}");
        total += weight[&(a.min(b).to_owned(), a.max(b).to_owned())];
        for id in [a, b] {
            assert!(busy.insert((id, slot)), "{id} double-booked: {m}");
            let available = people[id]["available"].as_array().unwrap();
            assert!(
                available.iter().any(|s| s.as_u64() == Some(slot)),
                "{id} unavailable: {m}"
            );
            *count.entry(id).or_default() += 1;
        }
    }
    for (id, n) in count {
        if let Some(cap) = people[id]["max_meetings"].as_u64() {
            assert!(n <= cap, "{id} over its cap");
        }
    }
    assert_eq!(schedule["total_weight"].as_u64(), Some(total));
    assert!(schedule["upper_bound"].as_u64().unwrap() >= total);
    let scheduled = schedule["meetings"].as_array().unwrap().len();
    let unscheduled = schedule["unscheduled"].as_array().unwrap();
    assert_eq!(scheduled + unscheduled.len(), weight.len());
    for u in unscheduled {
        let reason = u["reason"].as_str().unwrap();
        assert!(
            ["no_common_slot", "cap_reached", "tables_full", "conflicts"].contains(&reason),
            "{u}"
        );
    }
}

#[test]
fn an_organiser_schedules_a_convention_from_a_file() {
    let dir = scratch();
    let instance = convention();
    let (run, output) = schedule(&dir, &instance.to_string());
    assert_eq!(run.status.code(), Some(0), "{}", stderr(&run));
    let schedule: Value = serde_json::from_str(&std::fs::read_to_string(&output).unwrap()).unwrap();
    assert_valid_schedule(&instance, &schedule);
    assert_eq!(
        schedule["total_weight"], schedule["upper_bound"],
        "a small event is solved to the optimum"
    );
    assert!(String::from_utf8_lossy(&run.stdout).contains("optimal"));
}

#[test]
fn late_requests_are_added_around_published_meetings() {
    let dir = scratch();
    let mut instance = convention();
    instance["pinned"] = json!([
        {"a": "sme1", "b": "airbus", "slot": 3, "table": 1},
        {"a": "lab", "b": "sme3", "slot": 2, "table": 0}
    ]);
    instance["participants"][5]["available"] = json!([0, 1, 2]);
    let (run, output) = schedule(&dir, &instance.to_string());
    assert_eq!(run.status.code(), Some(0), "{}", stderr(&run));
    let schedule: Value = serde_json::from_str(&std::fs::read_to_string(&output).unwrap()).unwrap();
    assert_valid_schedule(&instance, &schedule);
    let meetings = schedule["meetings"].as_array().unwrap();
    assert!(meetings.contains(&json!({"a": "sme1", "b": "airbus", "slot": 3, "table": 1})));
    assert!(meetings.contains(&json!({"a": "lab", "b": "sme3", "slot": 2, "table": 0})));
}

/// Runs an invalid instance and checks: exit code 1, the message on stderr, no output file.
fn assert_refused(instance: &str, message: &str) {
    let dir = scratch();
    let (run, output) = schedule(&dir, instance);
    assert_eq!(run.status.code(), Some(1), "{}", stderr(&run));
    assert!(
        stderr(&run).contains(message),
        "expected '{message}' in: {}",
        stderr(&run)
    );
    assert!(!output.exists(), "no schedule file on failure");
}

#[test]
fn an_unknown_participant_is_refused_by_name() {
    let mut instance = convention();
    instance["requests"][3]["b"] = json!("dassault");
    assert_refused(
        &instance.to_string(),
        "requests[3] (sme1–dassault): unknown participant \"dassault\"",
    );
}

#[test]
fn a_slot_out_of_range_is_refused_by_participant() {
    let mut instance = convention();
    instance["participants"][4]["available"] = json!([2, 3, 4]);
    assert_refused(
        &instance.to_string(),
        "participants[4] (\"sme3\"): available slot 4 is out of range (slots are 0..3)",
    );
}

#[test]
fn a_duplicate_pair_is_refused_even_reversed() {
    let mut instance = convention();
    instance["requests"]
        .as_array_mut()
        .unwrap()
        .push(json!({"a": "airbus", "b": "sme2", "weight": 1}));
    assert_refused(
        &instance.to_string(),
        "requests[8] (airbus–sme2): the pair is already requested by requests[1] (sme2–airbus)",
    );
}

#[test]
fn a_negative_or_zero_weight_is_refused() {
    let mut instance = convention();
    instance["requests"][2]["weight"] = json!(-1);
    assert_refused(
        &instance.to_string(),
        "requests[2] (sme3–airbus): weight must be a positive integer, got -1",
    );
    instance["requests"][2]["weight"] = json!(0);
    assert_refused(
        &instance.to_string(),
        "requests[2] (sme3–airbus): weight must be a positive integer, got 0",
    );
}

#[test]
fn a_self_request_and_a_bad_pinned_meeting_are_refused() {
    let mut instance = convention();
    instance["requests"][0]["b"] = json!("sme1");
    assert_refused(
        &instance.to_string(),
        "requests[0] (sme1–sme1): a participant cannot meet themselves",
    );
    let mut instance = convention();
    instance["pinned"] = json!([{"a": "sme3", "b": "thales", "slot": 0, "table": 0}]);
    assert_refused(
        &instance.to_string(),
        "pinned[0] (sme3–thales): sme3 is not available in slot 0",
    );
}

#[test]
fn malformed_json_is_refused_with_its_position() {
    assert_refused(
        "{\"slots\": 4, \"tables\": ",
        "instance.json is not a valid instance",
    );
    assert_refused(
        "{\"slots\": 4, \"tables\": 2, \"participants\": []}",
        "missing field `requests`",
    );
}

#[test]
fn a_missing_input_file_is_refused() {
    let dir = scratch();
    let output = dir.join("schedule.json");
    let run = Command::new(env!("CARGO_BIN_EXE_passerelle"))
        .args([
            "schedule",
            "--input",
            "nowhere.json",
            "--output",
            output.to_str().unwrap(),
        ])
        .current_dir(&dir)
        .output()
        .unwrap();
    assert_eq!(run.status.code(), Some(1));
    assert!(
        stderr(&run).contains("cannot read nowhere.json"),
        "{}",
        stderr(&run)
    );
    assert!(!output.exists());
}
