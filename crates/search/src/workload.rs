//! The benchmark's fixed, seeded mix of buyer queries, kept structured so that each engine gets
//! the same query in its own syntax: user text for Passerelle, a MATCH expression for FTS5.

use rand::seq::IndexedRandom;
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;

use crate::corpus::SECTORS;
use crate::facets::{Facet, Filters};
use crate::schema::Audience;

/// The families of queries in the mix, with their share in percent.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum QueryKind {
    /// One to three trade words, accents sometimes left out.
    Words,
    /// Words narrowed by one or two facet filters.
    WordsFiltered,
    /// Words with a one-letter typo in one of them.
    Typo,
    /// A quoted multi-word capability term.
    Phrase,
    /// The beginning of a trade word with a star.
    Prefix,
    /// Words in English.
    English,
    /// No words, only filters: browsing the directory.
    Browse,
}

impl QueryKind {
    const MIX: [(QueryKind, u32); 7] = [
        (QueryKind::Words, 30),
        (QueryKind::WordsFiltered, 20),
        (QueryKind::Typo, 15),
        (QueryKind::Phrase, 10),
        (QueryKind::Prefix, 10),
        (QueryKind::English, 5),
        (QueryKind::Browse, 10),
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            QueryKind::Words => "words",
            QueryKind::WordsFiltered => "words+filters",
            QueryKind::Typo => "typo",
            QueryKind::Phrase => "phrase",
            QueryKind::Prefix => "prefix",
            QueryKind::English => "english",
            QueryKind::Browse => "browse",
        }
    }
}

/// One requirement of a benchmark query.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum BenchClause {
    Word(String),
    Phrase(Vec<String>),
    Prefix(String),
}

#[derive(Debug, Clone)]
pub struct BenchQuery {
    pub kind: QueryKind,
    pub clauses: Vec<BenchClause>,
    pub filters: Filters,
    pub audience: Audience,
}

/// Columns a visitor's FTS5 query may match: the public ones.
const FTS5_PUBLIC_COLUMNS: &str = "{name capabilities_public offers_public presentation_public}";

impl BenchQuery {
    /// What a user would type.
    pub fn text(&self) -> String {
        let parts: Vec<String> = self
            .clauses
            .iter()
            .map(|clause| match clause {
                BenchClause::Word(word) => word.clone(),
                BenchClause::Phrase(words) => format!("\"{}\"", words.join(" ")),
                BenchClause::Prefix(prefix) => format!("{prefix}*"),
            })
            .collect();
        parts.join(" ")
    }

    /// The FTS5 MATCH expression: every clause (`all`) or any, restricted to the audience's
    /// columns. `None` for a query without words.
    pub fn fts5_match(&self, all: bool) -> Option<String> {
        if self.clauses.is_empty() {
            return None;
        }
        let quote = |s: &str| format!("\"{}\"", s.replace('"', "\"\""));
        let parts: Vec<String> = self
            .clauses
            .iter()
            .map(|clause| match clause {
                BenchClause::Word(word) => quote(word),
                BenchClause::Phrase(words) => quote(&words.join(" ")),
                BenchClause::Prefix(prefix) => format!("{} *", quote(prefix)),
            })
            .collect();
        let expression = parts.join(if all { " AND " } else { " OR " });
        Some(match self.audience {
            Audience::Visitor => format!("{FTS5_PUBLIC_COLUMNS} : ({expression})"),
            Audience::Member => expression,
        })
    }
}

const MARKET_WORDS: &[&str] = &[
    "aéronautique",
    "spatial",
    "défense",
    "automobile",
    "ferroviaire",
    "naval",
    "énergie",
    "nucléaire",
    "médical",
    "agroalimentaire",
    "luxe",
    "chimie",
];

const ENGLISH_WORDS: &[&str] = &["aerospace", "automotive", "medical", "energy", "parts"];

fn strip_accents(word: &str) -> String {
    word.chars()
        .map(|c| match c {
            'à' | 'â' | 'ä' => 'a',
            'é' | 'è' | 'ê' | 'ë' => 'e',
            'î' | 'ï' => 'i',
            'ô' | 'ö' => 'o',
            'ù' | 'û' | 'ü' => 'u',
            'ç' => 'c',
            c => c,
        })
        .collect()
}

/// Single words of a capability term worth searching for ("Usinage 5 axes" gives "usinage").
fn term_words(term: &str) -> Vec<String> {
    term.split(|c: char| !c.is_alphanumeric())
        .filter(|w| w.chars().count() >= 4)
        .map(str::to_lowercase)
        .collect()
}

fn typo(rng: &mut ChaCha8Rng, word: &str) -> String {
    let mut chars: Vec<char> = word.chars().collect();
    let at = rng.random_range(1..chars.len());
    match rng.random_range(0..4) {
        0 => {
            chars.remove(at);
        }
        1 => {
            let c = chars[at];
            chars.insert(at, c);
        }
        2 => chars[at] = *['a', 'e', 'i', 'o', 'r', 's', 't'].choose(rng).expect("letters"),
        _ if at + 1 < chars.len() => chars.swap(at, at + 1),
        _ => chars[at] = 'x',
    }
    chars.into_iter().collect()
}

/// `count` queries drawn from the sector vocabularies with `seed`, always the same ones.
pub fn queries(count: usize, seed: u64, regions: &[&str]) -> Vec<BenchQuery> {
    let mut rng = ChaCha8Rng::seed_from_u64(seed ^ 0x5EA2_C4B3_7AB1_E000);
    let total: u32 = QueryKind::MIX.iter().map(|(_, w)| w).sum();
    (0..count)
        .map(|_| {
            let mut roll = rng.random_range(0..total);
            let kind = QueryKind::MIX
                .iter()
                .find(|(_, weight)| {
                    let hit = roll < *weight;
                    roll = roll.saturating_sub(*weight);
                    hit
                })
                .map(|(kind, _)| *kind)
                .expect("the roll falls in the mix");
            query(&mut rng, kind, regions)
        })
        .collect()
}

fn query(rng: &mut ChaCha8Rng, kind: QueryKind, regions: &[&str]) -> BenchQuery {
    let sector = SECTORS.choose(rng).expect("sectors");
    let audience = if rng.random_bool(0.75) {
        Audience::Visitor
    } else {
        Audience::Member
    };
    let term_word = |rng: &mut ChaCha8Rng| {
        let words = term_words(sector.terms.choose(rng).expect("terms"));
        words
            .choose(rng)
            .cloned()
            .unwrap_or_else(|| sector.materials[0].to_lowercase())
    };
    let words = |rng: &mut ChaCha8Rng| {
        let mut clauses = vec![BenchClause::Word(term_word(rng))];
        if rng.random_bool(0.6) {
            let material = sector.materials.choose(rng).expect("materials");
            clauses.push(BenchClause::Word(material.to_lowercase()));
        }
        if rng.random_bool(0.3) {
            let market = MARKET_WORDS.choose(rng).expect("markets");
            clauses.push(BenchClause::Word((*market).to_owned()));
        }
        if rng.random_bool(0.4) {
            for clause in &mut clauses {
                if let BenchClause::Word(word) = clause {
                    *word = strip_accents(word);
                }
            }
        }
        clauses
    };
    let mut filters = Filters::new();
    let clauses = match kind {
        QueryKind::Words => words(rng),
        QueryKind::WordsFiltered => {
            let clauses = words(rng);
            filters.add(Facet::Region, *regions.choose(rng).expect("regions"));
            if rng.random_bool(0.5) {
                let certification = sector.certifications.choose(rng).expect("certifications");
                filters.add(Facet::Certification, *certification);
            } else {
                filters.add(Facet::Size, "sme");
            }
            clauses
        }
        QueryKind::Typo => {
            let mut clauses = words(rng);
            let long: Vec<usize> = clauses
                .iter()
                .enumerate()
                .filter(|(_, c)| matches!(c, BenchClause::Word(w) if w.chars().count() >= 6))
                .map(|(i, _)| i)
                .collect();
            if let Some(&i) = long.choose(rng)
                && let BenchClause::Word(word) = &clauses[i]
            {
                clauses[i] = BenchClause::Word(typo(rng, word));
            }
            clauses
        }
        QueryKind::Phrase => {
            let multi: Vec<&str> = sector.terms.iter().copied().filter(|t| t.contains(' ')).collect();
            let term = multi.choose(rng).copied().unwrap_or(sector.terms[0]);
            let words = term
                .split(|c: char| !c.is_alphanumeric())
                .filter(|w| !w.is_empty())
                .map(str::to_lowercase)
                .collect();
            vec![BenchClause::Phrase(words)]
        }
        QueryKind::Prefix => {
            let word = term_word(rng);
            let keep = rng.random_range(4..=6).min(word.chars().count());
            let mut clauses = vec![BenchClause::Prefix(word.chars().take(keep).collect())];
            if rng.random_bool(0.4) {
                let material = sector.materials.choose(rng).expect("materials");
                clauses.push(BenchClause::Word(material.to_lowercase()));
            }
            clauses
        }
        QueryKind::English => {
            let phrase = sector.english.choose(rng).expect("english");
            let mut clauses: Vec<BenchClause> = phrase
                .split_whitespace()
                .filter(|w| w.len() >= 4)
                .take(2)
                .map(|w| BenchClause::Word(w.to_lowercase()))
                .collect();
            if rng.random_bool(0.3) {
                let word = ENGLISH_WORDS.choose(rng).expect("words");
                clauses.push(BenchClause::Word((*word).to_owned()));
            }
            clauses
        }
        QueryKind::Browse => {
            filters.add(Facet::Region, *regions.choose(rng).expect("regions"));
            let naf = sector.naf.choose(rng).expect("codes");
            let section = domain::naf::NafCode::parse(naf)
                .expect("sector codes are real")
                .section();
            filters.add(Facet::NafSection, section.to_string());
            Vec::new()
        }
    };
    BenchQuery {
        kind,
        clauses,
        filters,
        audience,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_mix_is_seeded_and_covers_every_kind() {
        let regions = ["76", "84"];
        let a = queries(500, 3, &regions);
        let b = queries(500, 3, &regions);
        assert_eq!(
            a.iter().map(BenchQuery::text).collect::<Vec<_>>(),
            b.iter().map(BenchQuery::text).collect::<Vec<_>>()
        );
        for (kind, _) in QueryKind::MIX {
            assert!(a.iter().any(|q| q.kind == kind), "{kind:?}");
        }
    }

    #[test]
    fn both_syntaxes_say_the_same() {
        let query = BenchQuery {
            kind: QueryKind::Phrase,
            clauses: vec![
                BenchClause::Phrase(vec!["usinage".into(), "5".into(), "axes".into()]),
                BenchClause::Prefix("aéro".into()),
                BenchClause::Word("ti\"tane".into()),
            ],
            filters: Filters::new(),
            audience: Audience::Visitor,
        };
        assert_eq!(query.text(), "\"usinage 5 axes\" aéro* ti\"tane");
        assert_eq!(
            query.fts5_match(true).unwrap(),
            "{name capabilities_public offers_public presentation_public} : \
             (\"usinage 5 axes\" AND \"aéro\" * AND \"ti\"\"tane\")"
        );
    }
}
