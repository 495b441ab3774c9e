//! Snippets: the best short fragment of a hit's visible text, HTML-escaped, with the words that
//! matched (exactly, by typo or by prefix) wrapped in `<mark>`.

use std::collections::HashSet;
use std::ops::Range;

use tantivy::tokenizer::TextAnalyzer;

use crate::analysis::QueryAnalyzer;
use crate::query::{Clause, FUZZY_MIN_CHARS, ParsedQuery};

/// Fragment length, in bytes of source text (about two lines of a result list).
pub const FRAGMENT_BYTES: usize = 200;
/// Context kept before the first highlighted word of a fragment.
const LEAD_BYTES: usize = 40;

/// Decides which words of a text the query matched, the way the index matched them: the text
/// goes through the indexing pipeline, and a term is marked if the query looked it up exactly,
/// as a typo variant or under a prefix.
pub struct Highlighter {
    exact: HashSet<String>,
    fuzzy: Vec<Vec<char>>,
    prefixes: Vec<String>,
    pipeline: TextAnalyzer,
}

/// A highlighted span and the term it stands for (so repeats of one word count once).
struct Mark {
    range: Range<usize>,
    key: String,
}

impl Highlighter {
    /// Takes its pipeline from `analyzer`, which built `parsed`.
    pub fn new(parsed: &ParsedQuery, analyzer: &QueryAnalyzer) -> Self {
        let mut highlighter = Highlighter {
            exact: HashSet::new(),
            fuzzy: Vec::new(),
            prefixes: Vec::new(),
            pipeline: analyzer.index_pipeline(),
        };
        for clause in &parsed.clauses {
            match clause {
                Clause::Word(word) => {
                    highlighter.exact.extend(word.terms.iter().cloned());
                    if word.raw.chars().count() >= FUZZY_MIN_CHARS {
                        highlighter.fuzzy.push(word.stem().chars().collect());
                    }
                }
                Clause::Prefix(word) => {
                    highlighter.prefixes.push(word.folded.clone());
                    highlighter.exact.extend(word.terms.iter().cloned());
                }
                Clause::Phrase(readings) => {
                    for reading in readings {
                        highlighter.exact.extend(reading.iter().map(|(_, t)| t.clone()));
                    }
                }
            }
        }
        highlighter
    }

    fn marks(&mut self, text: &str) -> Vec<Mark> {
        let mut marks: Vec<Mark> = Vec::new();
        let mut stream = self.pipeline.token_stream(text);
        while let Some(token) = stream.next() {
            let term = token.text.as_str();
            let hit = self.exact.contains(term)
                || self.prefixes.iter().any(|p| term.starts_with(p.as_str()))
                || self.fuzzy.iter().any(|f| within_one_edit(f, term));
            if !hit {
                continue;
            }
            // An accented word's second stem sits on the same span: one mark.
            match marks.last_mut() {
                Some(last) if token.offset_from < last.range.end => {
                    last.range.end = last.range.end.max(token.offset_to);
                }
                _ => marks.push(Mark {
                    range: token.offset_from..token.offset_to,
                    key: token.text.clone(),
                }),
            }
        }
        marks
    }

    /// The whole of `text`, escaped, matched words marked: for short texts such as a name.
    pub fn highlight(&mut self, text: &str) -> String {
        let marks = self.marks(text);
        render(text, 0..text.len(), &marks)
    }

    /// The best fragment among `sources` (the texts the audience may read, in order of
    /// preference on ties): the window holding the most distinct matched words. Without any
    /// match, the start of the first non-empty source.
    pub fn snippet<'a>(&mut self, sources: impl IntoIterator<Item = &'a str>) -> String {
        let mut best: Option<(f32, &'a str, Range<usize>, Vec<Mark>)> = None;
        let mut first_text: Option<&'a str> = None;
        for text in sources {
            if text.trim().is_empty() {
                continue;
            }
            first_text.get_or_insert(text);
            let marks = self.marks(text);
            if let Some((score, window)) = best_window(text, &marks)
                && best.as_ref().is_none_or(|(s, ..)| score > *s)
            {
                best = Some((score, text, window, marks));
            }
        }
        match (best, first_text) {
            (Some((_, text, window, marks)), _) => render(text, window, &marks),
            (None, Some(text)) => {
                let end = cut_end(text, FRAGMENT_BYTES.min(text.len()));
                render(text, 0..end, &[])
            }
            (None, None) => String::new(),
        }
    }
}

fn best_window(text: &str, marks: &[Mark]) -> Option<(f32, Range<usize>)> {
    let mut best: Option<(f32, Range<usize>)> = None;
    for (i, first) in marks.iter().enumerate() {
        let start = cut_start(text, first.range.start.saturating_sub(LEAD_BYTES));
        let end = cut_end(text, (start + FRAGMENT_BYTES).min(text.len()));
        let inside: Vec<&Mark> = marks[i..].iter().take_while(|m| m.range.end <= end).collect();
        let distinct: HashSet<&str> = inside.iter().map(|m| m.key.as_str()).collect();
        let score = distinct.len() as f32 + 0.1 * inside.len() as f32;
        if best.as_ref().is_none_or(|(s, _)| score > *s) {
            best = Some((score, start..end));
        }
    }
    best
}

/// Moves a fragment start forward to the beginning of a word.
fn cut_start(text: &str, at: usize) -> usize {
    if at == 0 {
        return 0;
    }
    let mut at = at;
    while !text.is_char_boundary(at) {
        at += 1;
    }
    match text[at..].find(char::is_whitespace) {
        // Only skip a partial word if the space is near; otherwise cut mid-word.
        Some(space) if space < 20 => at + space + 1,
        _ => at,
    }
}

/// Moves a fragment end back to the end of a word.
fn cut_end(text: &str, at: usize) -> usize {
    if at >= text.len() {
        return text.len();
    }
    let mut at = at;
    while !text.is_char_boundary(at) {
        at -= 1;
    }
    match text[..at].rfind(char::is_whitespace) {
        Some(space) if at - space < 20 => space,
        _ => at,
    }
}

fn render(text: &str, window: Range<usize>, marks: &[Mark]) -> String {
    let mut html = String::with_capacity(window.len() + 32);
    if window.start > 0 {
        html.push('…');
    }
    let mut at = window.start;
    for mark in marks {
        if mark.range.start < window.start || mark.range.end > window.end {
            continue;
        }
        escape_into(&text[at..mark.range.start], &mut html);
        html.push_str("<mark>");
        escape_into(&text[mark.range.clone()], &mut html);
        html.push_str("</mark>");
        at = mark.range.end;
    }
    escape_into(&text[at..window.end], &mut html);
    if window.end < text.len() {
        html.push('…');
    }
    html
}

/// Escapes the five characters that matter in HTML text and attribute values.
pub fn escape_into(text: &str, out: &mut String) {
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
}

/// Damerau–Levenshtein distance ≤ 1, as tantivy's fuzzy query with transpositions counts it.
fn within_one_edit(a: &[char], b: &str) -> bool {
    let b: Vec<char> = b.chars().collect();
    let (la, lb) = (a.len(), b.len());
    if la.abs_diff(lb) > 1 {
        return false;
    }
    let prefix = a.iter().zip(&b).take_while(|(x, y)| x == y).count();
    if prefix == la && prefix == lb {
        return true;
    }
    let (ra, rb) = (&a[prefix..], &b[prefix..]);
    match la.cmp(&lb) {
        std::cmp::Ordering::Equal => {
            ra[1..] == rb[1..] || (ra.len() >= 2 && ra[0] == rb[1] && ra[1] == rb[0] && ra[2..] == rb[2..])
        }
        std::cmp::Ordering::Greater => ra[1..] == *rb,
        std::cmp::Ordering::Less => *ra == rb[1..],
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::query::parse;

    fn highlighter(query: &str) -> Highlighter {
        let mut analyzer = QueryAnalyzer::new();
        Highlighter::new(&parse(query, &mut analyzer), &analyzer)
    }

    #[test]
    fn marks_stems_accents_and_escapes() {
        let html = highlighter("usinage aeronautique").highlight("Usinages <b>aéronautiques</b> & spatial");
        assert_eq!(
            html,
            "<mark>Usinages</mark> &lt;b&gt;<mark>aéronautiques</mark>&lt;/b&gt; &amp; spatial"
        );
    }

    #[test]
    fn marks_typos_and_prefixes() {
        let html = highlighter("titanne aéro*").highlight("Pièces en titane pour l'aérospatial");
        assert_eq!(
            html,
            "Pièces en <mark>titane</mark> pour l&#39;<mark>aérospatial</mark>"
        );
    }

    #[test]
    fn picks_the_densest_fragment() {
        let filler = "Entreprise familiale fondée il y a longtemps. ".repeat(10);
        let text = format!("{filler}Nous usinons le titane pour l'aéronautique. {filler}");
        let html = highlighter("titane aéronautique").snippet([text.as_str()]);
        assert!(html.starts_with('…') && html.ends_with('…'), "{html}");
        assert!(html.contains("<mark>titane</mark>"), "{html}");
        assert!(html.contains("<mark>aéronautique</mark>"), "{html}");
        assert!(html.len() < FRAGMENT_BYTES + 80, "{html}");
    }

    #[test]
    fn without_a_match_the_start_of_the_first_text() {
        let html = highlighter("zzz").snippet(["", "Décolletage de précision"]);
        assert_eq!(html, "Décolletage de précision");
    }

    #[test]
    fn one_edit() {
        let t: Vec<char> = "titan".chars().collect();
        for ok in ["titan", "titann", "tita", "titen", "itan", "tiatn"] {
            assert!(within_one_edit(&t, ok), "{ok}");
        }
        for no in ["tit", "titanes", "tatun", "nati"] {
            assert!(!within_one_edit(&t, no), "{no}");
        }
    }
}
