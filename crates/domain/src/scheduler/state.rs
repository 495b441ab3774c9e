//! A schedule under construction: who meets whom in which slot, with O(1) placement checks and
//! an undo log so that a search can try a chain of moves and take it back.

use std::collections::BTreeSet;

use super::model::{Model, NONE};

#[derive(Debug, Clone)]
pub(crate) struct State<'m> {
    pub model: &'m Model,
    /// Request met by participant `p` in slot `s`, at `p * slots + s`, or NONE.
    pub at: Vec<u32>,
    /// Slot of each request, or NONE when unscheduled.
    pub slot: Vec<u32>,
    /// Meetings per slot.
    pub used: Vec<u32>,
    pub deg: Vec<u32>,
    pub weight: u64,
    /// Movable meetings of each slot by (weight, request): the cheapest one to give up is first.
    pub by_weight: Vec<BTreeSet<(u64, u32)>>,
    /// Slots that still have a free table; when zero, no relocation can free a table.
    pub open_slots: usize,
    log: Vec<(u32, u32)>,
    logging: bool,
}

impl<'m> State<'m> {
    /// An empty schedule holding only the pinned meetings.
    pub fn new(model: &'m Model) -> Self {
        let mut state = State {
            model,
            at: vec![NONE; model.n * model.slots],
            slot: vec![NONE; model.m()],
            used: vec![0; model.slots],
            deg: vec![0; model.n],
            weight: 0,
            by_weight: vec![BTreeSet::new(); model.slots],
            open_slots: model.slots,
            log: Vec::new(),
            logging: false,
        };
        for e in 0..model.m() {
            if let Some((s, _)) = model.pinned[e] {
                state.place(e, s as usize);
            }
        }
        state
    }

    pub fn busy(&self, p: usize, s: usize) -> u32 {
        self.at[p * self.model.slots + s]
    }

    pub fn free(&self, p: usize, s: usize) -> bool {
        self.at[p * self.model.slots + s] == NONE
    }

    pub fn movable(&self, e: usize) -> bool {
        self.model.pinned[e].is_none()
    }

    pub fn room(&self, p: usize) -> bool {
        self.deg[p] < self.model.cap[p]
    }

    pub fn table_free(&self, s: usize) -> bool {
        self.used[s] < self.model.tables
    }

    /// Whether unscheduled request `e` can go to slot `s` as things stand (availability assumed).
    pub fn fits(&self, e: usize, s: usize) -> bool {
        let (a, b) = (self.model.ea[e] as usize, self.model.eb[e] as usize);
        self.free(a, s) && self.free(b, s) && self.table_free(s) && self.room(a) && self.room(b)
    }

    pub fn place(&mut self, e: usize, s: usize) {
        debug_assert_eq!(self.slot[e], NONE);
        let m = self.model;
        let (a, b) = (m.ea[e] as usize, m.eb[e] as usize);
        debug_assert!(self.free(a, s) && self.free(b, s));
        self.at[a * m.slots + s] = e as u32;
        self.at[b * m.slots + s] = e as u32;
        self.slot[e] = s as u32;
        self.used[s] += 1;
        if self.used[s] == m.tables {
            self.open_slots -= 1;
        }
        self.deg[a] += 1;
        self.deg[b] += 1;
        self.weight += m.w[e];
        if m.pinned[e].is_none() {
            self.by_weight[s].insert((m.w[e], e as u32));
        }
        if self.logging {
            self.log.push((e as u32, NONE));
        }
    }

    pub fn unplace(&mut self, e: usize) {
        let m = self.model;
        let s = self.slot[e] as usize;
        debug_assert_ne!(self.slot[e], NONE);
        let (a, b) = (m.ea[e] as usize, m.eb[e] as usize);
        self.at[a * m.slots + s] = NONE;
        self.at[b * m.slots + s] = NONE;
        self.slot[e] = NONE;
        if self.used[s] == m.tables {
            self.open_slots += 1;
        }
        self.used[s] -= 1;
        self.deg[a] -= 1;
        self.deg[b] -= 1;
        self.weight -= m.w[e];
        if m.pinned[e].is_none() {
            self.by_weight[s].remove(&(m.w[e], e as u32));
        }
        if self.logging {
            self.log.push((e as u32, s as u32));
        }
    }

    pub fn relocate(&mut self, e: usize, s: usize) {
        self.unplace(e);
        self.place(e, s);
    }

    /// Starts recording moves, so that `undo_to` can take back everything after a `mark`.
    pub fn record(&mut self) {
        self.log.clear();
        self.logging = true;
    }

    /// Stops recording and forgets the log: the moves made are kept.
    pub fn keep(&mut self) {
        self.logging = false;
        self.log.clear();
    }

    pub fn mark(&self) -> usize {
        self.log.len()
    }

    /// Undoes the moves recorded after `mark`, newest first.
    pub fn undo_to(&mut self, mark: usize) {
        let logging = std::mem::replace(&mut self.logging, false);
        while self.log.len() > mark {
            let Some((e, previous)) = self.log.pop() else {
                break;
            };
            let e = e as usize;
            if previous == NONE {
                self.unplace(e);
            } else {
                self.place(e, previous as usize);
            }
        }
        self.logging = logging;
    }

    /// Sum over participants of idle available slots between their first and last meeting.
    pub fn gaps_of(&self, p: usize) -> u64 {
        let m = self.model;
        let row = &self.at[p * m.slots..(p + 1) * m.slots];
        let Some(first) = row.iter().position(|&x| x != NONE) else {
            return 0;
        };
        let last = row.iter().rposition(|&x| x != NONE).unwrap_or(first);
        (first..=last)
            .filter(|&s| row[s] == NONE && m.available(p, s))
            .count() as u64
    }

    pub fn total_gaps(&self) -> u64 {
        (0..self.model.n).map(|p| self.gaps_of(p)).sum()
    }
}
