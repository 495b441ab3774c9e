//! User input to tantivy query: a forgiving parser (quotes make phrases, a trailing `*` makes a
//! prefix, everything else is plain words) and the query tree built over an audience's fields.

use tantivy::query::{
    BooleanQuery, BoostQuery, ConstScoreQuery, DfaWrapper, FuzzyTermQuery, Occur, PhrasePrefixQuery,
    PhraseQuery, Query, TermQuery, TermSetQuery,
};
use tantivy::schema::{Field, IndexRecordOption};
use tantivy::{Searcher, Term};

use crate::analysis::{AnalysedWord, PhraseTerms, QueryAnalyzer};
use crate::schema::Searchable;
use crate::union::AnyOf;

/// Longer input is cut here (at a character boundary): no buyer types more, and it bounds the
/// work a pasted document can cause.
pub const MAX_QUERY_CHARS: usize = 512;
/// Words, prefixes and phrases beyond this many are ignored.
pub const MAX_CLAUSES: usize = 16;
/// Terms of one phrase beyond this many are ignored.
pub const MAX_PHRASE_TERMS: usize = 8;
/// Words this long or longer tolerate one typo; shorter ones ("inox", "pvc") would match too
/// many unrelated words.
pub const FUZZY_MIN_CHARS: usize = 5;
/// Words this long tolerate two edits of their stem: a typo near the end of a long word
/// ("aeronautiqe") changes its stem by two letters ("aeronautiq" against "aeronaut").
pub const FUZZY_TWO_EDITS_MIN_CHARS: usize = 9;
/// A typo-tolerant match weighs this fraction of its field's boost, as a constant score: below
/// any exact BM25 match in the same field.
const FUZZY_WEIGHT: f32 = 0.3;
/// Dictionary words one typo away from a query word, per field, beyond which the rest are
/// ignored (a short stem in a large dictionary has many neighbours).
const MAX_TYPO_VARIANTS: usize = 64;
/// A word found in this share of the profiles (or in `COMMON_WORD_MIN_DOCS`) is taken as
/// spelled as meant: looking for its typo variants would add noise, and cost the most.
const COMMON_WORD_SHARE: u64 = 1_000;
const COMMON_WORD_MIN_DOCS: u64 = 20;
/// Prefix matches are constant-scored too, a little above typos.
const PREFIX_WEIGHT: f32 = 0.5;
/// `a*` would expand to half the dictionary; such a "prefix" is taken as a word.
const PREFIX_MIN_CHARS: usize = 2;
/// Terms a prefix may expand to, per field and segment.
const PREFIX_MAX_EXPANSIONS: u32 = 200;

/// One requirement of a query.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Clause {
    /// A plain word: any of its stems, or a dictionary word one typo away.
    Word(AnalysedWord),
    /// `word*`: terms starting with the word (folded), or its own stems.
    Prefix(AnalysedWord),
    /// `"…"`: the phrase's terms with their positions, as read in French and in English.
    Phrase(Vec<PhraseTerms>),
}

/// A query as understood, after sanitising.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ParsedQuery {
    pub clauses: Vec<Clause>,
    /// Some of the input was ignored (too long, too many words).
    pub truncated: bool,
}

impl ParsedQuery {
    pub fn is_empty(&self) -> bool {
        self.clauses.is_empty()
    }
}

/// Whether every clause must match, or any one (the fallback when all-of finds nothing).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MatchMode {
    All,
    Any,
}

fn is_open_quote(c: char) -> bool {
    matches!(c, '"' | '«' | '“' | '„')
}

fn is_close_quote(c: char) -> bool {
    matches!(c, '"' | '»' | '”')
}

/// Parses any string without failing: operators and punctuation are plain text, an unclosed
/// quote runs to the end, and the input is capped in length and in clauses.
pub fn parse(input: &str, analyzer: &mut QueryAnalyzer) -> ParsedQuery {
    let mut truncated = false;
    let input = match input.char_indices().nth(MAX_QUERY_CHARS) {
        Some((cut, _)) => {
            truncated = true;
            &input[..cut]
        }
        None => input,
    };
    let mut clauses = Vec::new();
    let mut rest = input;
    while !rest.is_empty() {
        match rest.find(is_open_quote) {
            Some(open) => {
                free_text(&rest[..open], analyzer, &mut clauses);
                let quoted = &rest[open..];
                let body_start = quoted.chars().next().map_or(1, char::len_utf8);
                let body = &quoted[body_start..];
                match body.find(is_close_quote) {
                    Some(close) => {
                        phrase(&body[..close], analyzer, &mut clauses, &mut truncated);
                        let close_len = body[close..].chars().next().map_or(1, char::len_utf8);
                        rest = &body[close + close_len..];
                    }
                    None => {
                        phrase(body, analyzer, &mut clauses, &mut truncated);
                        rest = "";
                    }
                }
            }
            None => {
                free_text(rest, analyzer, &mut clauses);
                rest = "";
            }
        }
    }
    dedup(&mut clauses);
    if clauses.len() > MAX_CLAUSES {
        clauses.truncate(MAX_CLAUSES);
        truncated = true;
    }
    ParsedQuery { clauses, truncated }
}

fn free_text(text: &str, analyzer: &mut QueryAnalyzer, clauses: &mut Vec<Clause>) {
    for chunk in text.split_whitespace() {
        let stem = chunk.trim_end_matches('*');
        if stem.len() < chunk.len() {
            let mut words = analyzer.words(stem);
            // Only `word*` is a prefix; `foo-bar*` and `*` alone are plain text.
            if words.len() == 1 && words[0].folded.chars().count() >= PREFIX_MIN_CHARS {
                clauses.push(Clause::Prefix(words.remove(0)));
                continue;
            }
            clauses.extend(words.into_iter().map(Clause::Word));
            continue;
        }
        clauses.extend(analyzer.words(chunk).into_iter().map(Clause::Word));
    }
}

fn phrase(text: &str, analyzer: &mut QueryAnalyzer, clauses: &mut Vec<Clause>, truncated: &mut bool) {
    let mut readings = analyzer.phrase(text);
    for reading in &mut readings {
        if reading.len() > MAX_PHRASE_TERMS {
            reading.truncate(MAX_PHRASE_TERMS);
            *truncated = true;
        }
    }
    if readings.iter().any(|r| r.len() >= 2) {
        clauses.push(Clause::Phrase(readings));
    } else {
        // A quoted single word asks for that word, typo tolerance included.
        clauses.extend(analyzer.words(text).into_iter().map(Clause::Word));
    }
}

/// "usinage usinages" is one requirement, not two.
fn dedup(clauses: &mut Vec<Clause>) {
    let mut seen: Vec<Clause> = Vec::with_capacity(clauses.len());
    clauses.retain(|clause| {
        let duplicate = seen.iter().any(|s| match (s, clause) {
            (Clause::Word(a), Clause::Word(b)) => a.terms == b.terms,
            (a, b) => a == b,
        });
        if !duplicate {
            seen.push(clause.clone());
        }
        !duplicate
    });
}

fn term_query(field: Field, text: &str) -> Box<dyn Query> {
    Box::new(TermQuery::new(
        Term::from_field_text(field, text),
        IndexRecordOption::WithFreqs,
    ))
}

fn boosted(query: Box<dyn Query>, boost: f32) -> Box<dyn Query> {
    Box::new(BoostQuery::new(query, boost))
}

/// Builds the query tree of a parsed query over an audience's fields, reading the term
/// dictionaries of the searcher to expand typos.
pub struct QueryBuilder<'a> {
    searcher: &'a Searcher,
    fields: &'a [Searchable],
}

impl<'a> QueryBuilder<'a> {
    pub fn new(searcher: &'a Searcher, fields: &'a [Searchable]) -> Self {
        QueryBuilder { searcher, fields }
    }

    /// The scoring part of a search, or `None` for a query without words.
    pub fn build(&self, parsed: &ParsedQuery, mode: MatchMode) -> tantivy::Result<Option<Box<dyn Query>>> {
        if parsed.clauses.is_empty() {
            return Ok(None);
        }
        let clauses = parsed
            .clauses
            .iter()
            .map(|clause| self.clause(clause))
            .collect::<tantivy::Result<Vec<_>>>()?;
        Ok(Some(match mode {
            MatchMode::All => Box::new(BooleanQuery::new(
                clauses.into_iter().map(|c| (Occur::Must, c)).collect(),
            )),
            // Each clause its own group: the scores of the clauses a profile matches add up.
            MatchMode::Any => Box::new(AnyOf::new(clauses.into_iter().enumerate().collect())),
        }))
    }

    fn clause(&self, clause: &Clause) -> tantivy::Result<Box<dyn Query>> {
        Ok(match clause {
            Clause::Word(word) => self.word(word)?,
            Clause::Prefix(word) => self.prefix(word),
            Clause::Phrase(readings) => self.phrase(readings),
        })
    }

    /// A word in any field. Within a field its alternatives (stems, typo variants) do not add
    /// up: the best counts. Across fields, matches add up.
    fn word(&self, word: &AnalysedWord) -> tantivy::Result<Box<dyn Query>> {
        let typo = match self.fields.first() {
            Some(first) if word.raw.chars().count() >= FUZZY_MIN_CHARS && !self.is_common(word)? => {
                let term = Term::from_field_text(first.field, word.stem());
                let edits = if word.raw.chars().count() >= FUZZY_TWO_EDITS_MIN_CHARS {
                    2
                } else {
                    1
                };
                Some(FuzzyTermQuery::new(term, edits, true).automaton()?)
            }
            _ => None,
        };
        let mut alternatives: Vec<(usize, Box<dyn Query>)> = Vec::with_capacity(self.fields.len() * 3);
        for (group, searchable) in self.fields.iter().enumerate() {
            let boost = searchable.group.boost();
            let field = searchable.field;
            for term in &word.terms {
                alternatives.push((group, boosted(term_query(field, term), boost)));
            }
            if let Some(dfa) = &typo {
                let variants = self.typo_variants(field, dfa, word)?;
                if !variants.is_empty() {
                    let typos = Box::new(TermSetQuery::new(variants));
                    let scored = ConstScoreQuery::new(typos, boost * FUZZY_WEIGHT);
                    alternatives.push((group, Box::new(scored)));
                }
            }
        }
        Ok(Box::new(AnyOf::new(alternatives)))
    }

    /// Whether the word, as typed, is already frequent in the fields searched.
    fn is_common(&self, word: &AnalysedWord) -> tantivy::Result<bool> {
        let threshold = (self.searcher.num_docs() / COMMON_WORD_SHARE).max(COMMON_WORD_MIN_DOCS);
        let mut found = 0;
        for searchable in self.fields {
            for term in &word.terms {
                found += self
                    .searcher
                    .doc_freq(&Term::from_field_text(searchable.field, term))?;
                if found >= threshold {
                    return Ok(true);
                }
            }
        }
        Ok(false)
    }

    /// Dictionary terms of `field` one edit from the word's stem, over every segment, the
    /// word's own terms left out: they are matched exactly, with BM25. Expanding here rather
    /// than with a fuzzy query keeps the exact term's (long) postings from being read twice.
    fn typo_variants(
        &self,
        field: Field,
        dfa: &DfaWrapper,
        word: &AnalysedWord,
    ) -> tantivy::Result<Vec<Term>> {
        let mut variants: Vec<Term> = Vec::new();
        'segments: for segment in self.searcher.segment_readers() {
            let inverted = segment.inverted_index(field)?;
            let mut stream = inverted.terms().search(dfa).into_stream()?;
            while stream.advance() {
                let Ok(key) = std::str::from_utf8(stream.key()) else {
                    continue;
                };
                if word.terms.iter().any(|t| t == key)
                    || variants.iter().any(|v| v.value().as_str() == Some(key))
                {
                    continue;
                }
                variants.push(Term::from_field_text(field, key));
                if variants.len() >= MAX_TYPO_VARIANTS {
                    break 'segments;
                }
            }
        }
        Ok(variants)
    }

    fn prefix(&self, word: &AnalysedWord) -> Box<dyn Query> {
        let mut alternatives: Vec<(usize, Box<dyn Query>)> = Vec::with_capacity(self.fields.len() * 2);
        for (group, searchable) in self.fields.iter().enumerate() {
            let boost = searchable.group.boost();
            let field = searchable.field;
            let mut prefix = PhrasePrefixQuery::new(vec![Term::from_field_text(field, &word.folded)]);
            prefix.set_max_expansions(PREFIX_MAX_EXPANSIONS);
            alternatives.push((group, boosted(Box::new(prefix), boost * PREFIX_WEIGHT)));
            // A whole word typed with a star ("aéronautique*") is longer than its stem.
            for stem in word.terms.iter().filter(|stem| **stem != word.folded) {
                alternatives.push((group, boosted(term_query(field, stem), boost)));
            }
        }
        Box::new(AnyOf::new(alternatives))
    }

    fn phrase(&self, readings: &[PhraseTerms]) -> Box<dyn Query> {
        let mut alternatives: Vec<(usize, Box<dyn Query>)> = Vec::new();
        for (group, searchable) in self.fields.iter().enumerate() {
            let field = searchable.field;
            for reading in readings {
                let query: Box<dyn Query> = match reading.as_slice() {
                    [(_, one)] => term_query(field, one),
                    terms => Box::new(PhraseQuery::new_with_offset(
                        terms
                            .iter()
                            .map(|(position, text)| (*position, Term::from_field_text(field, text)))
                            .collect(),
                    )),
                };
                alternatives.push((group, boosted(query, searchable.group.boost())));
            }
        }
        Box::new(AnyOf::new(alternatives))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse_str(input: &str) -> ParsedQuery {
        parse(input, &mut QueryAnalyzer::new())
    }

    fn shape(parsed: &ParsedQuery) -> Vec<String> {
        parsed
            .clauses
            .iter()
            .map(|c| match c {
                Clause::Word(w) => format!("word:{}", w.raw),
                Clause::Prefix(w) => format!("prefix:{}", w.folded),
                Clause::Phrase(readings) => {
                    format!(
                        "phrase:{}",
                        readings[0]
                            .iter()
                            .map(|(_, s)| s.as_str())
                            .collect::<Vec<_>>()
                            .join(" ")
                    )
                }
            })
            .collect()
    }

    #[test]
    fn words_prefixes_and_phrases() {
        let parsed = parse_str(r#"titane aéro* "usinage de précision" inox"#);
        assert_eq!(
            shape(&parsed),
            ["word:titane", "prefix:aero", "phrase:usinag precis", "word:inox"]
        );
        assert!(!parsed.truncated);
    }

    #[test]
    fn french_quotes_and_unclosed_quotes() {
        assert_eq!(
            shape(&parse_str("«fabrication additive» métal")),
            ["phrase:fabriqu addit", "word:métal"]
        );
        assert_eq!(
            shape(&parse_str(r#"capteurs "usinage titane"#)),
            ["word:capteurs", "phrase:usinag titan"]
        );
    }

    #[test]
    fn operators_are_plain_text() {
        let parsed = parse_str("usinage AND (titane OR inox) NOT -aluminium region:76 ~2 ^3");
        assert_eq!(
            shape(&parsed),
            [
                "word:usinage",
                "word:titane",
                "word:inox",
                "word:aluminium",
                "word:region",
                "word:76",
                "word:2",
                "word:3"
            ]
        );
    }

    #[test]
    fn lone_stars_and_short_prefixes_are_words() {
        assert_eq!(shape(&parse_str("* ** a* iso*")), ["prefix:iso"]);
        assert_eq!(shape(&parse_str("x*")), ["word:x"]);
    }

    #[test]
    fn repeated_words_count_once() {
        assert_eq!(shape(&parse_str("usinage usinages Usinage")), ["word:usinage"]);
    }

    #[test]
    fn long_input_is_capped() {
        let long = "usinage titane ".repeat(1000);
        let parsed = parse_str(&long);
        assert!(parsed.truncated);
        assert!(parsed.clauses.len() <= MAX_CLAUSES);
        let many: String = (0..100).map(|i| format!("mot{i} ")).collect();
        let parsed = parse_str(&many);
        assert_eq!(parsed.clauses.len(), MAX_CLAUSES);
        assert!(parsed.truncated);
    }

    #[test]
    fn stop_words_only_is_empty() {
        assert!(parse_str("de la et the of").is_empty());
        assert!(parse_str(r#""" "de la" ***"#).is_empty());
    }
}
