//! Why a request stayed out of the final schedule, in a fixed vocabulary, with a sentence that
//! says what blocks it on each participant's side.

use super::instance::{Instance, Reason};
use super::model::{Model, NONE};
use super::state::State;

/// The reason for unscheduled request `e` and its explanation. The checks follow `Reason`'s
/// order, so the first obstacle a participant could act on is the one reported.
pub(crate) fn explain(instance: &Instance, state: &State<'_>, e: usize) -> (Reason, String) {
    let model = state.model;
    let (a, b) = (model.ea[e] as usize, model.eb[e] as usize);
    let id = |p: usize| instance.participants[p].id.as_str();
    let common = model.common_slots(e);
    if common.is_empty() {
        let detail = match (model.available_count(a), model.available_count(b)) {
            (0, _) => format!("{} is available in no slot", id(a)),
            (_, 0) => format!("{} is available in no slot", id(b)),
            _ => format!("{} and {} have no available slot in common", id(a), id(b)),
        };
        return (Reason::NoCommonSlot, detail);
    }
    let full: Vec<String> = [a, b]
        .into_iter()
        .filter(|&p| !state.room(p))
        .map(|p| cap_sentence(model, state, p, id(p)))
        .collect();
    if !full.is_empty() {
        return (Reason::CapReached, full.join("; "));
    }
    let both_free: Vec<usize> = common
        .iter()
        .copied()
        .filter(|&s| state.free(a, s) && state.free(b, s))
        .collect();
    if !both_free.is_empty() {
        let detail = format!(
            "{} and {} are both free in {} but all {} tables are taken there",
            id(a),
            id(b),
            slot_list(&both_free),
            model.tables
        );
        return (Reason::TablesFull, detail);
    }
    let busy = |p: usize| {
        let parts: Vec<String> = common
            .iter()
            .filter_map(|&s| {
                let g = state.busy(p, s);
                (g != NONE).then(|| {
                    let g = g as usize;
                    let pinned = if model.pinned[g].is_some() {
                        ", published"
                    } else {
                        ""
                    };
                    format!(
                        "{} in slot {s} (weight {}{pinned})",
                        id(model.other(g, p)),
                        model.w[g]
                    )
                })
            })
            .collect();
        (!parts.is_empty()).then(|| format!("{} meets {}", id(p), parts.join(", ")))
    };
    let sides: Vec<String> = [a, b].into_iter().filter_map(busy).collect();
    let detail = format!(
        "in each common slot one of them is in another meeting (this request weighs {}): {}",
        model.w[e],
        sides.join("; ")
    );
    (Reason::Conflicts, detail)
}

fn cap_sentence(model: &Model, state: &State<'_>, p: usize, id: &str) -> String {
    match model.declared_cap[p] {
        Some(0) => format!("{id} takes no meetings (max_meetings is 0)"),
        Some(k) if k <= model.cap[p] => format!(
            "{id} already has {} meetings, the maximum asked for",
            state.deg[p]
        ),
        _ => format!(
            "{id} already meets in all {} slots they are available in",
            model.available_count(p)
        ),
    }
}

fn slot_list(slots: &[usize]) -> String {
    let names: Vec<String> = slots.iter().map(|s| s.to_string()).collect();
    match names.len() {
        1 => format!("slot {}", names[0]),
        _ => format!("slots {}", names.join(", ")),
    }
}
