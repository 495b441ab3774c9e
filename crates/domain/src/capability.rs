//! The capabilities an SME can tick on its profile (`machining-5-axis`, `cybersecurity`…), in groups.
//! Embedded from `data/capabilities.tsv` and `data/capability_groups.tsv`.
//!
//! There is no public nomenclature of industrial capabilities fine enough for matchmaking (NAF
//! says what a firm is registered as, not what it can make), so this is Passerelle's own product
//! vocabulary, curated by hand across the trades of the French competitiveness clusters. Codes
//! are stored in profiles and must stay stable: rename a label freely, but retire a code only
//! with a data migration. Labels exist in French and English only.

use std::fmt;
use std::sync::LazyLock;

use crate::code_table::rows;
use crate::code_table::table_code;
use crate::country::is_english;
use crate::naf::excerpt;

// Edited by hand, not generated; embedded so that validation needs no I/O.
const CAPABILITIES_TSV: &str = include_str!("../../../data/capabilities.tsv");
const GROUPS_TSV: &str = include_str!("../../../data/capability_groups.tsv");

/// A capability of the vocabulary, e.g. `machining-5-axis`.
///
/// It borrows the code from the embedded table, so it is `Copy` and its labels cost a lookup.
#[derive(Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct CapabilityCode(&'static str);

/// A heading under which capabilities are listed, e.g. `mechanical`.
#[derive(Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct CapabilityGroup(&'static str);

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum CapabilityError {
    /// Holds the input as given (trimmed, shortened if long).
    #[error("unknown capability '{0}'")]
    Unknown(String),
}

struct Capability {
    code: &'static str,
    group: &'static str,
    label_fr: &'static str,
    label_en: &'static str,
}

struct Group {
    code: &'static str,
    label_fr: &'static str,
    label_en: &'static str,
    /// In file order, which is the order a form lists them in.
    members: Vec<CapabilityCode>,
}

struct Vocabulary {
    /// Sorted by code, so that lookups are binary searches over borrowed data.
    capabilities: Vec<Capability>,
    /// In file order.
    groups: Vec<Group>,
}

static VOCABULARY: LazyLock<Vocabulary> = LazyLock::new(|| {
    let mut groups: Vec<Group> = rows(
        GROUPS_TSV,
        "capability_groups.tsv",
        &["code", "label_fr", "label_en"],
    )
    .map(|r| Group {
        code: r[0],
        label_fr: r[1],
        label_en: r[2],
        members: Vec::new(),
    })
    .collect();
    let mut capabilities: Vec<Capability> = rows(
        CAPABILITIES_TSV,
        "capabilities.tsv",
        &["code", "group", "label_fr", "label_en"],
    )
    .map(|r| Capability {
        code: r[0],
        group: r[1],
        label_fr: r[2],
        label_en: r[3],
    })
    .collect();
    for c in &capabilities {
        groups
            .iter_mut()
            .find(|g| g.code == c.group)
            .unwrap_or_else(|| panic!("capability {} has unknown group {}", c.code, c.group))
            .members
            .push(CapabilityCode(c.code));
    }
    capabilities.sort_unstable_by_key(|c| c.code);
    Vocabulary { capabilities, groups }
});

fn find(code: &str) -> Option<&'static Capability> {
    let table = &VOCABULARY.capabilities;
    table
        .binary_search_by(|c| c.code.cmp(code))
        .ok()
        .map(|i| &table[i])
}

fn capability(code: &str) -> &'static Capability {
    find(code).unwrap_or_else(|| panic!("capability {code} missing from the embedded table"))
}

fn group(code: &str) -> &'static Group {
    VOCABULARY
        .groups
        .iter()
        .find(|g| g.code == code)
        .unwrap_or_else(|| panic!("capability group {code} missing from the embedded table"))
}

impl CapabilityCode {
    /// Accepts the code, with surrounding whitespace or in capitals; labels are not codes.
    pub fn parse(input: &str) -> Result<CapabilityCode, CapabilityError> {
        let trimmed = input.trim();
        find(&trimmed.to_ascii_lowercase())
            .map(|c| CapabilityCode(c.code))
            .ok_or_else(|| CapabilityError::Unknown(excerpt(trimmed)))
    }

    /// The stable code, kebab-case ASCII: `machining-5-axis`.
    pub fn as_str(&self) -> &'static str {
        self.0
    }

    /// The English label for locale `en` (or `en-GB`, `EN`…), the French label for any other.
    pub fn label(&self, locale: &str) -> &'static str {
        let c = capability(self.0);
        if is_english(locale) {
            c.label_en
        } else {
            c.label_fr
        }
    }

    pub fn group(&self) -> CapabilityGroup {
        CapabilityGroup(capability(self.0).group)
    }

    pub fn group_label(&self, locale: &str) -> &'static str {
        self.group().label(locale)
    }

    /// Every capability, group after group in the order of [`CapabilityCode::by_group`].
    pub fn all() -> impl Iterator<Item = CapabilityCode> {
        Self::by_group().flat_map(|(_, members)| members.iter().copied())
    }

    /// The groups in display order, each with its capabilities in display order: what a
    /// profile form lays out as headed lists of checkboxes.
    pub fn by_group() -> impl Iterator<Item = (CapabilityGroup, &'static [CapabilityCode])> {
        VOCABULARY
            .groups
            .iter()
            .map(|g| (CapabilityGroup(g.code), g.members.as_slice()))
    }
}

impl CapabilityGroup {
    /// The group's code: `mechanical`.
    pub fn as_str(&self) -> &'static str {
        self.0
    }

    /// The English label for locale `en` (or `en-GB`, `EN`…), the French label for any other.
    pub fn label(&self, locale: &str) -> &'static str {
        let g = group(self.0);
        if is_english(locale) {
            g.label_en
        } else {
            g.label_fr
        }
    }

    pub fn capabilities(&self) -> &'static [CapabilityCode] {
        &group(self.0).members
    }
}

impl fmt::Display for CapabilityGroup {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.0)
    }
}

impl fmt::Debug for CapabilityGroup {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "CapabilityGroup({})", self.0)
    }
}

table_code!(CapabilityCode, CapabilityError);

#[cfg(test)]
mod tests {
    use super::*;
    use crate::text::search_key;
    use std::collections::{HashMap, HashSet};

    #[test]
    fn codes_parse_with_labels_and_group() {
        let code = CapabilityCode::parse("machining-5-axis").unwrap();
        assert_eq!(code.as_str(), "machining-5-axis");
        assert_eq!(code.label("fr"), "Usinage 5 axes");
        assert_eq!(code.label("en"), "5-axis machining");
        assert_eq!(code.label("en-GB"), "5-axis machining");
        assert_eq!(code.label("de"), "Usinage 5 axes");
        assert_eq!(code.group().as_str(), "mechanical");
        assert_eq!(code.group_label("fr"), "Mécanique et usinage");
        assert_eq!(code.group_label("en"), "Mechanical engineering and machining");
        assert!(code.group().capabilities().contains(&code));

        let cyber: CapabilityCode = " Cybersecurity\n".parse().unwrap();
        assert_eq!(cyber.as_str(), "cybersecurity");
        assert_eq!(cyber.label("fr"), "Cybersécurité");
        assert_eq!(cyber.group().as_str(), "software");
        assert_eq!(
            format!("{cyber} {cyber:?}"),
            "cybersecurity CapabilityCode(cybersecurity)"
        );
    }

    #[test]
    fn unknown_capabilities_are_refused_with_the_input() {
        let err = CapabilityCode::parse("xyz").unwrap_err();
        assert_eq!(err, CapabilityError::Unknown("xyz".into()));
        assert_eq!(err.to_string(), "unknown capability 'xyz'");
        // A label is what a person reads, not what is stored.
        assert!(CapabilityCode::parse("Usinage 5 axes").is_err());
        assert!(CapabilityCode::parse("").is_err());
        assert!(CapabilityCode::parse("machining_5_axis").is_err());
        let long = CapabilityCode::parse(&"x".repeat(1000)).unwrap_err().to_string();
        assert!(long.len() < 80, "{long}");
    }

    #[test]
    fn serde_uses_the_code() {
        let codes: Vec<CapabilityCode> = ["welding", "hydrogen", "csr"]
            .iter()
            .map(|c| c.parse().unwrap())
            .collect();
        let json = serde_json::to_string(&codes).unwrap();
        assert_eq!(json, r#"["welding","hydrogen","csr"]"#);
        let back: Vec<CapabilityCode> = serde_json::from_str(&json).unwrap();
        assert_eq!(back, codes);
        let err = serde_json::from_str::<CapabilityCode>(r#""soudure""#).unwrap_err();
        assert!(
            err.to_string().starts_with("unknown capability 'soudure'"),
            "{err}"
        );
    }

    #[test]
    fn codes_are_unique_stable_kebab_case() {
        let file_rows = CAPABILITIES_TSV.lines().skip(1).filter(|l| !l.is_empty());
        let mut seen = HashSet::new();
        for row in file_rows {
            let code = row.split('\t').next().unwrap();
            assert!(seen.insert(code), "duplicate code {code}");
            let kebab = !code.is_empty()
                && code.split('-').all(|part| {
                    !part.is_empty() && part.bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit())
                });
            assert!(kebab, "code {code:?} is not kebab-case ASCII");
        }
        assert_eq!(seen.len(), VOCABULARY.capabilities.len());
        assert!((120..=160).contains(&seen.len()), "{} capabilities", seen.len());
    }

    #[test]
    fn labels_are_unique_and_clean_in_both_languages() {
        for locale in ["fr", "en"] {
            // Folded as search folds them, so "Forge" and "forge " could not both slip in.
            let mut seen = HashMap::new();
            for c in CapabilityCode::all() {
                let label = c.label(locale);
                assert!(!label.is_empty() && label.trim() == label, "{c} {locale}");
                assert!(
                    !label.contains(['\t', '\n', '\r']) && !label.contains("  "),
                    "{c}"
                );
                if let Some(other) = seen.insert(search_key(label), c) {
                    panic!("{c} and {other} share the {locale} label {label:?}");
                }
            }
        }
    }

    #[test]
    fn groups_are_listed_in_file_order_and_cover_everything() {
        let groups: Vec<&str> = CapabilityCode::by_group().map(|(g, _)| g.as_str()).collect();
        assert!((12..=16).contains(&groups.len()), "{groups:?}");
        assert_eq!(groups[0], "mechanical");
        assert_eq!(groups.iter().collect::<HashSet<_>>().len(), groups.len());
        for (group, members) in CapabilityCode::by_group() {
            assert!(!members.is_empty(), "empty group {group}");
            assert!(!group.label("fr").is_empty() && !group.label("en").is_empty());
            assert!(members.iter().all(|c| c.group() == group), "{group}");
        }
        let all: Vec<CapabilityCode> = CapabilityCode::all().collect();
        assert_eq!(all.len(), VOCABULARY.capabilities.len());
        assert_eq!(all.iter().collect::<HashSet<_>>().len(), all.len());
        // Grouped: once a group is left it never comes back.
        let mut left = HashSet::new();
        for pair in all.windows(2) {
            if pair[0].group() != pair[1].group() {
                assert!(left.insert(pair[0].group()), "{} split", pair[0].group());
                assert!(!left.contains(&pair[1].group()), "{} split", pair[1].group());
            }
        }
        for c in &all {
            assert_eq!(CapabilityCode::parse(c.as_str()), Ok(*c));
        }
    }

    /// The search benchmark's generated profiles tick these terms by their French label, so demo
    /// data and vocabulary must agree. The search crate depends on this one, not the reverse,
    /// hence the source is read as text.
    #[test]
    fn every_corpus_term_is_a_french_label() {
        let corpus = include_str!("../../search/src/corpus.rs");
        let terms = corpus_terms(corpus);
        assert_eq!(
            terms.len(),
            corpus.matches("terms: &[").count(),
            "every `terms:` array is read"
        );
        let labels: HashSet<&str> = CapabilityCode::all().map(|c| c.label("fr")).collect();
        let mut total = 0;
        for sector in &terms {
            assert!(!sector.is_empty());
            for term in sector {
                total += 1;
                assert!(
                    labels.contains(term),
                    "corpus term {term:?} is not a capability label"
                );
            }
        }
        assert!(total >= 90, "only {total} terms read from corpus.rs");
    }

    /// The quoted strings of each `terms: &[ … ]` array, one list per sector.
    fn corpus_terms(source: &str) -> Vec<Vec<&str>> {
        source
            .split("terms: &[")
            .skip(1)
            .map(|rest| {
                let body = &rest[..rest.find(']').expect("terms array is closed")];
                body.split('"').skip(1).step_by(2).collect()
            })
            .collect()
    }
}
