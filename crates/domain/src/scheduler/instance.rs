//! The scheduler's file interface: the instance it reads and the schedule it returns.
//! Plain serde types; indices and invariants are established by `validate`, not here.

use serde::{Deserialize, Serialize};

/// A matchmaking event to schedule: slots `0..slots`, `tables` tables per slot, the participants and
/// the accepted meeting requests. `pinned` lists published meetings that must stay where they are
/// (incremental mode); each must match a request, which gives its weight.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Instance {
    pub slots: u32,
    pub tables: u32,
    pub participants: Vec<Participant>,
    pub requests: Vec<Request>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub pinned: Vec<Placed>,
}

/// One participant of the event. `available` lists the slots they can meet in (duplicates are
/// harmless). `max_meetings` absent means "as many as their availability allows"; 0 means they
/// take no meeting at all (their requests are reported as `cap_reached`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Participant {
    pub id: String,
    pub kind: Kind,
    pub available: Vec<i64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub max_meetings: Option<i64>,
}

/// What a participant is; SMEs are guaranteed a meeting where the weight objective allows it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Kind {
    Sme,
    Midcap,
    Large,
    Other,
}

/// An accepted request: one potential meeting between `a` and `b` (unordered), worth `weight`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Request {
    pub a: String,
    pub b: String,
    pub weight: i64,
}

/// A meeting placed at a slot and a table: the schedule's meetings and the pinned input ones.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Placed {
    pub a: String,
    pub b: String,
    pub slot: u32,
    pub table: u32,
}

/// The result: meetings, their total weight, a proven upper bound on the best achievable total
/// weight, and why each other request was left out.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Schedule {
    pub meetings: Vec<Placed>,
    pub total_weight: u64,
    pub upper_bound: u64,
    pub unscheduled: Vec<Unscheduled>,
    /// True when `total_weight == upper_bound`, i.e. the schedule is proven optimal.
    #[serde(skip)]
    pub proven_optimal: bool,
    /// Idle slots between meetings, summed over all personal agendas (the second objective).
    #[serde(skip)]
    pub idle_gaps: u64,
}

/// A request the schedule leaves out, with a reason from a fixed vocabulary and a sentence that
/// names the participant(s) concerned.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Unscheduled {
    pub a: String,
    pub b: String,
    pub reason: Reason,
    pub detail: String,
}

/// Why a request was not scheduled, checked in this order.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Reason {
    /// The two participants share no available slot.
    NoCommonSlot,
    /// One of them already has as many meetings as their `max_meetings` (or availability) allows.
    CapReached,
    /// In every common slot where both are free, all tables are taken.
    TablesFull,
    /// In every common slot one of them is in another meeting that the schedule preferred
    /// (keeping it is worth at least as much as this request).
    Conflicts,
}

impl Reason {
    /// Stable code, identical to the serde form.
    pub fn as_str(self) -> &'static str {
        match self {
            Reason::NoCommonSlot => "no_common_slot",
            Reason::CapReached => "cap_reached",
            Reason::TablesFull => "tables_full",
            Reason::Conflicts => "conflicts",
        }
    }
}
