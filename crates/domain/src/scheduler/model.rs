//! The validated instance in index form: participants and requests as dense numbers,
//! availability as bitsets, caps already tightened to what availability allows.

/// Marks "no slot" / "nobody" in the dense arrays.
pub(crate) const NONE: u32 = u32::MAX;

/// An instance that passed validation. Requests are edges `e` between `ea[e]` and `eb[e]`.
#[derive(Debug, Clone)]
pub(crate) struct Model {
    pub n: usize,
    pub slots: usize,
    pub tables: u32,
    /// Bitset words per participant.
    pub words: usize,
    pub avail: Vec<u64>,
    /// min(max_meetings, number of available slots).
    pub cap: Vec<u32>,
    /// The cap as written (None = unlimited), for explanations.
    pub declared_cap: Vec<Option<u32>>,
    pub sme: Vec<bool>,
    pub ea: Vec<u32>,
    pub eb: Vec<u32>,
    pub w: Vec<u64>,
    /// Pinned (slot, table) per request, if published.
    pub pinned: Vec<Option<(u32, u32)>>,
    /// Incident requests of each participant (CSR), heaviest first.
    pub adj_start: Vec<u32>,
    pub adj: Vec<u32>,
}

impl Model {
    pub fn m(&self) -> usize {
        self.ea.len()
    }

    pub fn available(&self, p: usize, s: usize) -> bool {
        self.avail[p * self.words + s / 64] >> (s % 64) & 1 == 1
    }

    pub fn incident(&self, p: usize) -> &[u32] {
        &self.adj[self.adj_start[p] as usize..self.adj_start[p + 1] as usize]
    }

    pub fn other(&self, e: usize, p: usize) -> usize {
        if self.ea[e] as usize == p {
            self.eb[e] as usize
        } else {
            self.ea[e] as usize
        }
    }

    /// Calls `f` on every slot where both ends of request `e` are available, in increasing order.
    pub fn for_common_slots(&self, e: usize, mut f: impl FnMut(usize)) {
        let (a, b) = (self.ea[e] as usize * self.words, self.eb[e] as usize * self.words);
        for word in 0..self.words {
            let mut bits = self.avail[a + word] & self.avail[b + word];
            while bits != 0 {
                f(word * 64 + bits.trailing_zeros() as usize);
                bits &= bits - 1;
            }
        }
    }

    pub fn common_slots(&self, e: usize) -> Vec<usize> {
        let mut out = Vec::new();
        self.for_common_slots(e, |s| out.push(s));
        out
    }

    pub fn common_count(&self, e: usize) -> u32 {
        let (a, b) = (self.ea[e] as usize * self.words, self.eb[e] as usize * self.words);
        (0..self.words)
            .map(|word| (self.avail[a + word] & self.avail[b + word]).count_ones())
            .sum()
    }

    pub fn available_count(&self, p: usize) -> u32 {
        self.avail[p * self.words..(p + 1) * self.words]
            .iter()
            .map(|w| w.count_ones())
            .sum()
    }
}
