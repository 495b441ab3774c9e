//! The single-valued facets of a profile (NAF section and division, region, department, size)
//! packed into one fast-field number, so that counting them costs one read per matching profile.

use std::collections::HashMap;
use std::sync::LazyLock;

use domain::org::OrgSize;

use crate::document::ProfileDoc;
use crate::facets::Facet;

/// Bit layout, lowest bits first; 0 in a slot means "unknown code".
const SECTION: Slot = Slot { shift: 0, bits: 5 };
const DIVISION: Slot = Slot { shift: 5, bits: 7 };
const REGION: Slot = Slot { shift: 12, bits: 6 };
const DEPARTMENT: Slot = Slot { shift: 18, bits: 8 };
const SIZE: Slot = Slot { shift: 26, bits: 2 };

#[derive(Clone, Copy)]
struct Slot {
    shift: u32,
    bits: u32,
}

impl Slot {
    #[inline]
    fn get(self, packed: u64) -> usize {
        ((packed >> self.shift) & ((1 << self.bits) - 1)) as usize
    }

    fn put(self, value: usize) -> u64 {
        debug_assert!(value < 1 << self.bits);
        (value as u64) << self.shift
    }

    /// Size of a counting array for this slot.
    pub const fn len(self) -> usize {
        1 << self.bits
    }
}

/// INSEE's region and department codes in table order; a code's slot value is its index + 1.
struct Codes {
    regions: Vec<&'static str>,
    departments: Vec<&'static str>,
    region_index: HashMap<&'static str, usize>,
    department_index: HashMap<&'static str, usize>,
}

static CODES: LazyLock<Codes> = LazyLock::new(|| {
    let regions: Vec<&'static str> = domain::geo::regions().map(|r| r.code).collect();
    let departments: Vec<&'static str> = domain::geo::departments().map(|d| d.code).collect();
    assert!(regions.len() < REGION.len() && departments.len() < DEPARTMENT.len());
    Codes {
        region_index: regions.iter().enumerate().map(|(i, c)| (*c, i + 1)).collect(),
        department_index: departments.iter().enumerate().map(|(i, c)| (*c, i + 1)).collect(),
        regions,
        departments,
    }
});

fn size_index(size: Option<OrgSize>) -> usize {
    size.and_then(|size| OrgSize::ALL.iter().position(|s| *s == size))
        .map_or(0, |i| i + 1)
}

/// The packed facets of `profile`. Region and department codes outside INSEE's tables pack as
/// unknown: filters still match them (they are indexed as text), counts leave them out.
pub fn pack(profile: &ProfileDoc) -> u64 {
    let section = (profile.naf.section() as u8).wrapping_sub(b'A') as usize + 1;
    let division: usize = profile.naf.division().parse().unwrap_or(0);
    let region = CODES
        .region_index
        .get(profile.region.trim())
        .copied()
        .unwrap_or(0);
    let department = domain::geo::department(&profile.department)
        .and_then(|d| CODES.department_index.get(d.code).copied())
        .unwrap_or(0);
    SECTION.put(section.min(SECTION.len() - 1))
        | DIVISION.put(division.min(DIVISION.len() - 1))
        | REGION.put(region)
        | DEPARTMENT.put(department)
        | SIZE.put(size_index(profile.size))
}

fn slot(facet: Facet) -> Option<Slot> {
    match facet {
        Facet::NafSection => Some(SECTION),
        Facet::NafDivision => Some(DIVISION),
        Facet::Region => Some(REGION),
        Facet::Department => Some(DEPARTMENT),
        Facet::Size => Some(SIZE),
        Facet::Certification | Facet::Label | Facet::Cluster => None,
    }
}

pub fn is_packed(facet: Facet) -> bool {
    slot(facet).is_some()
}

/// Counts of the packed facets for one segment: small arrays indexed by slot value, laid end
/// to end in one vector.
pub struct PackedCounts {
    facets: Vec<(Facet, Slot, usize)>,
    counts: Vec<u32>,
}

impl PackedCounts {
    /// Counts for those of `facets` that are packed.
    pub fn new(facets: &[Facet]) -> Self {
        let mut offset = 0;
        let facets: Vec<(Facet, Slot, usize)> = facets
            .iter()
            .filter_map(|f| {
                let slot = slot(*f)?;
                let start = offset;
                offset += slot.len();
                Some((*f, slot, start))
            })
            .collect();
        PackedCounts {
            facets,
            counts: vec![0; offset],
        }
    }

    pub fn is_empty(&self) -> bool {
        self.facets.is_empty()
    }

    #[inline]
    pub fn add(&mut self, packed: u64) {
        for (_, slot, start) in &self.facets {
            self.counts[start + slot.get(packed)] += 1;
        }
    }

    /// Non-zero counts by facet value, unknown codes left out.
    pub fn harvest(self) -> Vec<(Facet, Vec<(String, u64)>)> {
        self.facets
            .iter()
            .map(|(facet, slot, start)| {
                let counts = &self.counts[*start..start + slot.len()];
                let values = counts
                    .iter()
                    .enumerate()
                    .skip(1)
                    .filter(|(_, count)| **count > 0)
                    .filter_map(|(value, count)| Some((label(*facet, value)?, u64::from(*count))))
                    .collect();
                (*facet, values)
            })
            .collect()
    }
}

/// The facet value a slot value stands for, as filters and hits spell it.
fn label(facet: Facet, value: usize) -> Option<String> {
    match facet {
        Facet::NafSection => Some(char::from(b'A' + (value - 1) as u8).to_string()),
        Facet::NafDivision => Some(format!("{value:02}")),
        Facet::Region => CODES.regions.get(value - 1).map(|c| (*c).to_owned()),
        Facet::Department => CODES.departments.get(value - 1).map(|c| (*c).to_owned()),
        Facet::Size => OrgSize::ALL.get(value - 1).map(|s| s.as_str().to_owned()),
        Facet::Certification | Facet::Label | Facet::Cluster => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_code_round_trips() {
        for (i, region) in CODES.regions.iter().enumerate() {
            assert_eq!(label(Facet::Region, i + 1).as_deref(), Some(*region));
        }
        for (i, department) in CODES.departments.iter().enumerate() {
            assert_eq!(label(Facet::Department, i + 1).as_deref(), Some(*department));
        }
        for code in domain::naf::all_subclasses() {
            let section = (code.section() as u8 - b'A') as usize + 1;
            assert_eq!(
                label(Facet::NafSection, section),
                Some(code.section().to_string())
            );
            let division: usize = code.division().parse().unwrap();
            assert_eq!(
                label(Facet::NafDivision, division).as_deref(),
                Some(code.division())
            );
        }
        for size in OrgSize::ALL {
            assert_eq!(
                label(Facet::Size, size_index(Some(size))).as_deref(),
                Some(size.as_str())
            );
        }
    }

    #[test]
    fn slots_do_not_overlap() {
        let slots = [SECTION, DIVISION, REGION, DEPARTMENT, SIZE];
        for pair in slots.windows(2) {
            assert_eq!(pair[0].shift + pair[0].bits, pair[1].shift);
        }
    }
}
