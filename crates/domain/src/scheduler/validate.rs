//! Checks an instance and turns it into the dense `Model`, refusing it with a message that names
//! the first offending entry (as a JSON path such as `requests[3]`) and what is wrong with it.

use std::collections::HashMap;

use super::instance::{Instance, Kind};
use super::model::Model;

/// More slots than this is no longer a matchmaking event; the bound keeps memory predictable.
pub const MAX_SLOTS: u32 = 1000;
/// Weights beyond this would let one request outweigh a whole event and hurt the LP's numerics.
pub const MAX_WEIGHT: i64 = 1_000_000;
/// participants × slots above this would not fit the agenda arrays in memory comfortably.
pub const MAX_CELLS: u64 = 50_000_000;

/// Why an instance was refused: `entry` names the first offending entry, `problem` says what is wrong.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{entry}: {problem}")]
pub struct InvalidInstance {
    pub entry: String,
    pub problem: String,
}

fn invalid<T>(entry: impl Into<String>, problem: impl Into<String>) -> Result<T, InvalidInstance> {
    Err(InvalidInstance {
        entry: entry.into(),
        problem: problem.into(),
    })
}

/// Validates `instance` and builds its dense form.
pub(crate) fn build(instance: &Instance) -> Result<Model, InvalidInstance> {
    let slots = instance.slots;
    if slots == 0 {
        return invalid("slots", "must be at least 1");
    }
    if slots > MAX_SLOTS {
        return invalid(
            "slots",
            format!("at most {MAX_SLOTS} slots are supported, got {slots}"),
        );
    }
    if instance.tables == 0 {
        return invalid("tables", "must be at least 1");
    }
    let n = instance.participants.len();
    if n as u64 * slots as u64 > MAX_CELLS {
        return invalid(
            "participants",
            format!("{n} participants × {slots} slots exceeds the supported {MAX_CELLS} agenda cells"),
        );
    }
    let slots_us = slots as usize;
    let words = slots_us.div_ceil(64);
    let mut index: HashMap<&str, usize> = HashMap::with_capacity(n);
    let mut avail = vec![0u64; n * words];
    let mut cap = Vec::with_capacity(n);
    let mut declared_cap = Vec::with_capacity(n);
    let mut sme = Vec::with_capacity(n);
    for (i, p) in instance.participants.iter().enumerate() {
        let entry = format!("participants[{i}]");
        if p.id.trim().is_empty() {
            return invalid(entry, "the id is empty");
        }
        let entry = format!("{entry} (\"{}\")", p.id);
        if let Some(j) = index.insert(p.id.as_str(), i) {
            return invalid(
                entry,
                format!("the id \"{}\" is already used by participants[{j}]", p.id),
            );
        }
        for &s in &p.available {
            if s < 0 || s >= slots as i64 {
                return invalid(
                    entry,
                    format!("available slot {s} is out of range (slots are 0..{})", slots - 1),
                );
            }
            avail[i * words + s as usize / 64] |= 1 << (s as usize % 64);
        }
        let count: u32 = avail[i * words..(i + 1) * words]
            .iter()
            .map(|w| w.count_ones())
            .sum();
        let declared = match p.max_meetings {
            None => None,
            Some(k) if k < 0 => {
                return invalid(entry, format!("max_meetings must not be negative, got {k}"));
            }
            Some(k) => Some(k.min(u32::MAX as i64) as u32),
        };
        cap.push(declared.map_or(count, |k| k.min(count)));
        declared_cap.push(declared);
        sme.push(p.kind == Kind::Sme);
    }

    let m = instance.requests.len();
    let (mut ea, mut eb, mut w) = (
        Vec::with_capacity(m),
        Vec::with_capacity(m),
        Vec::with_capacity(m),
    );
    let mut pairs: HashMap<(u32, u32), usize> = HashMap::with_capacity(m);
    for (k, r) in instance.requests.iter().enumerate() {
        let entry = format!("requests[{k}] ({}–{})", r.a, r.b);
        let (a, b) = ends(&index, &r.a, &r.b).or_else(|problem| invalid(&entry, problem))?;
        if r.weight <= 0 {
            return invalid(
                entry,
                format!("weight must be a positive integer, got {}", r.weight),
            );
        }
        if r.weight > MAX_WEIGHT {
            return invalid(
                entry,
                format!("weight {} exceeds the maximum {MAX_WEIGHT}", r.weight),
            );
        }
        if let Some(j) = pairs.insert(pair(a, b), k) {
            let first = &instance.requests[j];
            return invalid(
                entry,
                format!(
                    "the pair is already requested by requests[{j}] ({}–{})",
                    first.a, first.b
                ),
            );
        }
        ea.push(a as u32);
        eb.push(b as u32);
        w.push(r.weight as u64);
    }

    let mut pinned = vec![None; m];
    let mut person_slot: HashMap<(usize, u32), usize> = HashMap::new();
    let mut table_slot: HashMap<(u32, u32), usize> = HashMap::new();
    let mut pinned_count = vec![0u32; n];
    for (k, p) in instance.pinned.iter().enumerate() {
        let entry = format!("pinned[{k}] ({}–{})", p.a, p.b);
        let (a, b) = ends(&index, &p.a, &p.b).or_else(|problem| invalid(&entry, problem))?;
        let Some(&e) = pairs.get(&pair(a, b)) else {
            return invalid(
                entry,
                "matches no request (a published meeting needs its request and weight)",
            );
        };
        if pinned[e].is_some() {
            return invalid(entry, format!("requests[{e}] is pinned twice"));
        }
        if p.slot >= slots {
            return invalid(
                entry,
                format!("slot {} is out of range (slots are 0..{})", p.slot, slots - 1),
            );
        }
        if p.table >= instance.tables {
            return invalid(
                entry,
                format!(
                    "table {} is out of range (tables are 0..{})",
                    p.table,
                    instance.tables - 1
                ),
            );
        }
        for (person, id) in [(a, &p.a), (b, &p.b)] {
            if avail[person * words + p.slot as usize / 64] >> (p.slot % 64) & 1 == 0 {
                return invalid(entry, format!("{id} is not available in slot {}", p.slot));
            }
            if let Some(j) = person_slot.insert((person, p.slot), k) {
                return invalid(
                    entry,
                    format!("{id} is already in pinned[{j}] in slot {}", p.slot),
                );
            }
            pinned_count[person] += 1;
            if let Some(limit) = declared_cap[person]
                && pinned_count[person] > limit
            {
                return invalid(
                    entry,
                    format!("{id} has more pinned meetings than max_meetings ({limit})"),
                );
            }
        }
        if let Some(j) = table_slot.insert((p.slot, p.table), k) {
            return invalid(
                entry,
                format!(
                    "table {} in slot {} is already taken by pinned[{j}]",
                    p.table, p.slot
                ),
            );
        }
        pinned[e] = Some((p.slot, p.table));
    }

    let mut degree = vec![0u32; n + 1];
    for e in 0..m {
        degree[ea[e] as usize] += 1;
        degree[eb[e] as usize] += 1;
    }
    let mut adj_start = vec![0u32; n + 1];
    for p in 0..n {
        adj_start[p + 1] = adj_start[p] + degree[p];
    }
    let mut fill = adj_start.clone();
    let mut adj = vec![0u32; 2 * m];
    for e in 0..m {
        for p in [ea[e] as usize, eb[e] as usize] {
            adj[fill[p] as usize] = e as u32;
            fill[p] += 1;
        }
    }
    // Heaviest first, so that "a participant's best requests" is a prefix.
    for p in 0..n {
        adj[adj_start[p] as usize..adj_start[p + 1] as usize]
            .sort_by_key(|&e| (std::cmp::Reverse(w[e as usize]), e));
    }
    Ok(Model {
        n,
        slots: slots_us,
        tables: instance.tables,
        words,
        avail,
        cap,
        declared_cap,
        sme,
        ea,
        eb,
        w,
        pinned,
        adj_start,
        adj,
    })
}

fn ends(index: &HashMap<&str, usize>, a: &str, b: &str) -> Result<(usize, usize), String> {
    let find = |id: &str| {
        index
            .get(id)
            .copied()
            .ok_or_else(|| format!("unknown participant \"{id}\""))
    };
    let (a, b) = (find(a)?, find(b)?);
    if a == b {
        return Err("a participant cannot meet themselves".into());
    }
    Ok((a, b))
}

fn pair(a: usize, b: usize) -> (u32, u32) {
    (a.min(b) as u32, a.max(b) as u32)
}
