//! Text analysis: one bilingual pipeline that detects, per field value, whether it is French or
//! English and stems it accordingly, and the same steps applied to the words of a query.
//!
//! Why detect rather than index everything twice: a profile field is written in one language
//! (French mostly, English for some export-minded SMEs), and indexing each value through both
//! pipelines doubled the indexing work and the query fan-out for little recall. The query side
//! does not guess: each query word is looked up by its French and its English stems, so a
//! buyer's "machined" meets an English profile's "machining" and "usinées" a French "usinage".

use std::borrow::Cow;
use std::cell::RefCell;
use std::collections::{HashMap, HashSet};
use std::hash::{BuildHasherDefault, Hasher};
use std::sync::LazyLock;

use frostem::Algorithm;
use tantivy::tokenizer::{
    AsciiFoldingFilter, LowerCaser, RemoveLongFilter, SimpleTokenizer, TextAnalyzer, Token, TokenFilter,
    TokenStream, Tokenizer, TokenizerManager,
};

/// The tokenizer name of every text field.
pub const TEXT: &str = "passerelle_text";

/// Longer "words" are serial numbers, URLs or garbage; they would only bloat the dictionary.
const MAX_TOKEN_BYTES: usize = 40;

/// Snowball's French list, trimmed, plus the elided articles and pronouns that the tokenizer
/// cuts off at the apostrophe ("l'usinage" gives "l" and "usinage"). "est" stays a word: it is
/// the east of "Grand Est".
const FRENCH_STOP_WORDS: &[&str] = &[
    "au", "aux", "avec", "ce", "ces", "dans", "de", "des", "du", "elle", "en", "et", "eux", "il", "je", "la",
    "le", "les", "leur", "lui", "ma", "mais", "me", "même", "mes", "moi", "mon", "ne", "nos", "notre",
    "nous", "on", "ou", "par", "pas", "pour", "qu", "que", "qui", "sa", "se", "ses", "son", "sur", "ta",
    "te", "tes", "toi", "ton", "tu", "un", "une", "vos", "votre", "vous", "c", "d", "j", "l", "à", "m", "n",
    "s", "t", "y", "été", "sont", "ont", "leurs", "ainsi", "dont",
];

/// Lucene's English list: short, so that English product names keep their words.
const ENGLISH_STOP_WORDS: &[&str] = &[
    "a", "an", "and", "are", "as", "at", "be", "but", "by", "for", "if", "in", "into", "is", "it", "no",
    "not", "of", "on", "or", "such", "that", "the", "their", "then", "there", "these", "they", "this", "to",
    "was", "will", "with",
];

/// The longest stop word of either list, in bytes ("ainsi", "même", "their").
const MAX_STOP_WORD_BYTES: usize = 5;

/// Words that tell English text apart without being stop words ("we" is not in Lucene's list
/// but opens most English company presentations).
const ENGLISH_MARKERS: &[&str] = &["we", "our", "you", "your", "from", "have", "has"];

/// FxHash: the stem cache and stop-word sets hash short words millions of times a second,
/// where SipHash's collision resistance buys nothing.
#[derive(Default, Clone, Copy)]
struct FxHasher(u64);

impl FxHasher {
    #[inline]
    fn add(&mut self, word: u64) {
        self.0 = (self.0.rotate_left(5) ^ word).wrapping_mul(0x51_7c_c1_b7_27_22_0a_95);
    }
}

impl Hasher for FxHasher {
    #[inline]
    fn write(&mut self, bytes: &[u8]) {
        let mut chunks = bytes.chunks_exact(8);
        for chunk in &mut chunks {
            self.add(u64::from_le_bytes(chunk.try_into().expect("eight bytes")));
        }
        let mut last = [0u8; 8];
        let rest = chunks.remainder();
        last[..rest.len()].copy_from_slice(rest);
        self.add(u64::from_le_bytes(last));
    }

    #[inline]
    fn write_u8(&mut self, byte: u8) {
        self.add(u64::from(byte));
    }

    #[inline]
    fn write_usize(&mut self, n: usize) {
        self.add(n as u64);
    }

    fn finish(&self) -> u64 {
        self.0
    }
}

type FxBuild = BuildHasherDefault<FxHasher>;

static FRENCH_STOPS: LazyLock<HashSet<&'static str, FxBuild>> =
    LazyLock::new(|| FRENCH_STOP_WORDS.iter().copied().collect());
static ENGLISH_STOPS: LazyLock<HashSet<&'static str, FxBuild>> =
    LazyLock::new(|| ENGLISH_STOP_WORDS.iter().copied().collect());

/// The two languages profiles are written in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Lang {
    French,
    English,
}

impl Lang {
    fn algorithm(self) -> Algorithm {
        match self {
            Lang::French => Algorithm::French,
            Lang::English => Algorithm::English,
        }
    }

    fn stop_words(self) -> &'static HashSet<&'static str, FxBuild> {
        match self {
            Lang::French => &FRENCH_STOPS,
            Lang::English => &ENGLISH_STOPS,
        }
    }
}

/// How many French and English function words `text` has.
fn function_words(text: &str) -> (u32, u32) {
    let (mut french, mut english) = (0u32, 0u32);
    let mut lower = String::with_capacity(8);
    for word in text.split(|c: char| !c.is_alphanumeric()) {
        if word.is_empty() || word.len() > MAX_STOP_WORD_BYTES {
            continue;
        }
        lower.clear();
        lower.extend(word.chars().flat_map(char::to_lowercase));
        if FRENCH_STOPS.contains(lower.as_str()) {
            french += 1;
        }
        if ENGLISH_STOPS.contains(lower.as_str()) || ENGLISH_MARKERS.contains(&lower.as_str()) {
            english += 1;
        }
    }
    (french, english)
}

/// English when English function words outnumber French ones, French otherwise (the
/// platform's default, and the answer for texts without any, such as names and terms).
pub fn detect(text: &str) -> Lang {
    let (french, english) = function_words(text);
    if english > french {
        Lang::English
    } else {
        Lang::French
    }
}

/// Which language a [`LanguageStemmer`] stems in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mode {
    /// Detected for each value: the indexing pipeline.
    Detect,
    /// Always this language, stop words included: query phrases in a given language.
    Fixed(Lang),
    /// Always this language, stop words kept: single query words, whose stop words are
    /// decided beforehand for both languages at once.
    StemOnly(Lang),
}

/// Stop-word removal and accent-tolerant Snowball stemming, in the language of each value.
///
/// It runs after lower-casing and before ASCII folding. Before folding, because the French
/// stemmer keys on accented suffixes ("sécurité" stems to "sécur", "securite" to "securit"):
/// folding first would stem French badly (and "développée" would part from "développement").
/// For an accented word whose unaccented spelling stems differently, both stems are emitted at
/// the word's position, so that "securite" typed by a buyer meets "sécurité" written by an SME.
#[derive(Clone, Copy)]
pub struct LanguageStemmer {
    mode: Mode,
}

impl LanguageStemmer {
    pub fn new(mode: Mode) -> Self {
        LanguageStemmer { mode }
    }
}

impl TokenFilter for LanguageStemmer {
    type Tokenizer<T: Tokenizer> = LanguageStemmerFilter<T>;

    fn transform<T: Tokenizer>(self, inner: T) -> LanguageStemmerFilter<T> {
        LanguageStemmerFilter {
            mode: self.mode,
            inner,
        }
    }
}

#[derive(Clone)]
pub struct LanguageStemmerFilter<T> {
    mode: Mode,
    inner: T,
}

impl<T: Tokenizer> Tokenizer for LanguageStemmerFilter<T> {
    type TokenStream<'a> = LanguageStemmerStream<T::TokenStream<'a>>;

    fn token_stream<'a>(&'a mut self, text: &'a str) -> Self::TokenStream<'a> {
        let (lang, remove_stop_words) = match self.mode {
            Mode::Detect => (detect(text), true),
            Mode::Fixed(lang) => (lang, true),
            Mode::StemOnly(lang) => (lang, false),
        };
        LanguageStemmerStream {
            tail: self.inner.token_stream(text),
            lang,
            remove_stop_words,
            alternate: None,
        }
    }
}

pub struct LanguageStemmerStream<T> {
    tail: T,
    lang: Lang,
    remove_stop_words: bool,
    /// The unaccented spelling's stem, emitted on the next `advance` at the same position.
    alternate: Option<String>,
}

impl<T: TokenStream> TokenStream for LanguageStemmerStream<T> {
    fn advance(&mut self) -> bool {
        if let Some(alternate) = self.alternate.take() {
            self.tail.token_mut().text = alternate;
            return true;
        }
        loop {
            if !self.tail.advance() {
                return false;
            }
            let token = self.tail.token_mut();
            // No stop word is longer than five bytes: most words skip the lookup.
            if self.remove_stop_words
                && token.text.len() <= MAX_STOP_WORD_BYTES
                && self.lang.stop_words().contains(token.text.as_str())
            {
                continue;
            }
            self.alternate = stem_in_place(self.lang, &mut token.text);
            return true;
        }
    }

    fn token(&self) -> &Token {
        self.tail.token()
    }

    fn token_mut(&mut self) -> &mut Token {
        self.tail.token_mut()
    }
}

/// A word's stem and, for accented words, the differing stem of its unaccented spelling.
struct Stems {
    stem: Box<str>,
    alternate: Option<Box<str>>,
}

/// Stemming is most of the indexing time, and a corpus uses a few tens of thousands of words
/// over and over: each thread keeps the stems it computed. Bounded; emptied when full.
const STEM_CACHE_WORDS: usize = 100_000;

thread_local! {
    static STEM_CACHE: RefCell<[HashMap<Box<str>, Stems, FxBuild>; 2]> =
        RefCell::new([HashMap::default(), HashMap::default()]);
}

fn stem_in_place(lang: Lang, word: &mut String) -> Option<String> {
    STEM_CACHE.with(|cache| {
        let mut cache = cache.borrow_mut();
        let cache = &mut cache[lang as usize];
        if let Some(stems) = cache.get(word.as_str()) {
            word.clear();
            word.push_str(&stems.stem);
            return stems.alternate.as_deref().map(str::to_owned);
        }
        let stems = compute_stems(lang, word);
        if cache.len() >= STEM_CACHE_WORDS {
            cache.clear();
        }
        let key: Box<str> = word.as_str().into();
        word.clear();
        word.push_str(&stems.stem);
        let alternate = stems.alternate.as_deref().map(str::to_owned);
        cache.insert(key, stems);
        alternate
    })
}

fn compute_stems(lang: Lang, word: &str) -> Stems {
    let stemmer = frostem::Stemmer::new(lang.algorithm());
    let stem: Box<str> = match stemmer.stem(word) {
        Cow::Borrowed(same) => same.into(),
        Cow::Owned(stem) => stem.into(),
    };
    if word.is_ascii() {
        return Stems {
            stem,
            alternate: None,
        };
    }
    let mut unaccented = String::with_capacity(word.len());
    strip_accents(word, &mut unaccented);
    let mut folded_stem = String::with_capacity(stem.len());
    strip_accents(&stem, &mut folded_stem);
    let unaccented_stem = stemmer.stem(&unaccented);
    let alternate = (*unaccented_stem != *folded_stem).then(|| unaccented_stem.as_ref().into());
    Stems { stem, alternate }
}

/// Removes the diacritics of French (and Latin-1) letters; other characters are left to the
/// ASCII folding that follows in the pipeline.
fn strip_accents(word: &str, out: &mut String) {
    out.clear();
    for c in word.chars() {
        match c {
            'à' | 'á' | 'â' | 'ã' | 'ä' | 'å' => out.push('a'),
            'ç' => out.push('c'),
            'è' | 'é' | 'ê' | 'ë' => out.push('e'),
            'ì' | 'í' | 'î' | 'ï' => out.push('i'),
            'ñ' => out.push('n'),
            'ò' | 'ó' | 'ô' | 'õ' | 'ö' => out.push('o'),
            'ù' | 'ú' | 'û' | 'ü' => out.push('u'),
            'ý' | 'ÿ' => out.push('y'),
            'œ' => out.push_str("oe"),
            'æ' => out.push_str("ae"),
            c => out.push(c),
        }
    }
}

fn pipeline(mode: Mode) -> TextAnalyzer {
    TextAnalyzer::builder(SimpleTokenizer::default())
        .filter(RemoveLongFilter::limit(MAX_TOKEN_BYTES))
        .filter(LowerCaser)
        .filter(LanguageStemmer::new(mode))
        .filter(AsciiFoldingFilter)
        .build()
}

/// The indexing pipeline of every text field: words, lower case, language detected per value,
/// its stop words removed, stems (accent-tolerant), accents folded.
pub fn text() -> TextAnalyzer {
    pipeline(Mode::Detect)
}

/// The indexing pipeline with the language fixed.
pub fn in_language(lang: Lang) -> TextAnalyzer {
    pipeline(Mode::Fixed(lang))
}

/// Words as the user typed them, lower-cased: the common first steps of the pipelines.
fn words() -> TextAnalyzer {
    TextAnalyzer::builder(SimpleTokenizer::default())
        .filter(RemoveLongFilter::limit(MAX_TOKEN_BYTES))
        .filter(LowerCaser)
        .build()
}

/// Registers the pipeline under [`TEXT`].
pub fn register(manager: &TokenizerManager) {
    manager.register(TEXT, text());
}

/// A stop word of either language is no use as a required query word: the query's language
/// is unknown, and a French "des" looked up as English would match every French profile.
pub fn is_stop_word(lowercased: &str) -> bool {
    FRENCH_STOPS.contains(lowercased) || ENGLISH_STOPS.contains(lowercased)
}

/// One word of a query, as the index may hold it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AnalysedWord {
    /// Position in the query, counted like the indexing pipeline counts it.
    pub position: usize,
    /// Lower-cased, accents kept.
    pub raw: String,
    /// Every term the word may be indexed as, without repeats: French stem, the stem of its
    /// unaccented spelling, English stem(s). The French stem comes first.
    pub terms: Vec<String>,
    /// Lower-cased and folded, not stemmed: what a prefix is matched against.
    pub folded: String,
}

impl AnalysedWord {
    /// The French stem: the base for typo tolerance.
    pub fn stem(&self) -> &str {
        &self.terms[0]
    }
}

/// A quoted phrase as each language's pipeline reads it (one term per position).
pub type PhraseTerms = Vec<(usize, String)>;

/// Runs the pipelines over query text. Holds its own analyzers: they need `&mut` to run.
#[derive(Clone)]
pub struct QueryAnalyzer {
    words: TextAnalyzer,
    french_stem: TextAnalyzer,
    english_stem: TextAnalyzer,
    fold: TextAnalyzer,
    french: TextAnalyzer,
    english: TextAnalyzer,
    text: TextAnalyzer,
}

impl Default for QueryAnalyzer {
    fn default() -> Self {
        QueryAnalyzer::new()
    }
}

impl QueryAnalyzer {
    pub fn new() -> Self {
        QueryAnalyzer {
            words: words(),
            french_stem: pipeline(Mode::StemOnly(Lang::French)),
            english_stem: pipeline(Mode::StemOnly(Lang::English)),
            fold: TextAnalyzer::builder(SimpleTokenizer::default())
                .filter(LowerCaser)
                .filter(AsciiFoldingFilter)
                .build(),
            french: in_language(Lang::French),
            english: in_language(Lang::English),
            text: text(),
        }
    }

    /// The indexing pipeline, for marking matched words in stored text.
    pub fn index_pipeline(&self) -> TextAnalyzer {
        self.text.clone()
    }

    /// The content words of `text`, stop words of both languages dropped, with positions.
    pub fn words(&mut self, text: &str) -> Vec<AnalysedWord> {
        let mut raw = Vec::new();
        let mut stream = self.words.token_stream(text);
        while let Some(token) = stream.next() {
            if !is_stop_word(&token.text) {
                raw.push((token.position, token.text.clone()));
            }
        }
        raw.into_iter()
            .map(|(position, raw)| {
                let mut terms = all_terms(&mut self.french_stem, &raw);
                for term in all_terms(&mut self.english_stem, &raw) {
                    if !terms.contains(&term) {
                        terms.push(term);
                    }
                }
                AnalysedWord {
                    position,
                    folded: all_terms(&mut self.fold, &raw).swap_remove(0),
                    terms,
                    raw,
                }
            })
            .collect()
    }

    /// `text` read as French and/or as English, as the indexing pipeline would read a value in
    /// that language: one stem per position. The readings, without repeats; none if the text
    /// is only stop words.
    pub fn phrase(&mut self, text: &str) -> Vec<PhraseTerms> {
        let mut readings: Vec<PhraseTerms> = Vec::with_capacity(2);
        // A phrase with function words says which language it is in ("traitement de surface");
        // one without ("precision machining") is read both ways.
        let analyzers = match function_words(text) {
            (0, 0) => vec![&mut self.french, &mut self.english],
            (french, english) if english > french => vec![&mut self.english],
            _ => vec![&mut self.french],
        };
        for analyzer in analyzers {
            let mut terms: PhraseTerms = Vec::new();
            let mut stream = analyzer.token_stream(text);
            while let Some(token) = stream.next() {
                if terms.last().is_none_or(|(p, _)| *p != token.position) {
                    terms.push((token.position, token.text.clone()));
                }
            }
            if terms.is_empty() {
                // Only stop words in one of the languages ("de la"): nothing to look for.
                return Vec::new();
            }
            if !readings.contains(&terms) {
                readings.push(terms);
            }
        }
        readings
    }
}

/// A lone lower-cased word gives one or two tokens through these pipelines, never none.
fn all_terms(analyzer: &mut TextAnalyzer, word: &str) -> Vec<String> {
    let mut terms = Vec::with_capacity(2);
    let mut stream = analyzer.token_stream(word);
    while let Some(token) = stream.next() {
        terms.push(token.text.clone());
    }
    if terms.is_empty() {
        terms.push(word.to_owned());
    }
    terms
}

#[cfg(test)]
mod tests {
    use super::*;

    fn terms(mut analyzer: TextAnalyzer, text: &str) -> Vec<String> {
        let mut out = Vec::new();
        let mut stream = analyzer.token_stream(text);
        while let Some(token) = stream.next() {
            out.push(token.text.clone());
        }
        out
    }

    #[test]
    fn no_stop_word_is_longer_than_the_lookup_bound() {
        for word in FRENCH_STOP_WORDS
            .iter()
            .chain(ENGLISH_STOP_WORDS)
            .chain(ENGLISH_MARKERS)
        {
            assert!(word.len() <= MAX_STOP_WORD_BYTES, "{word}");
        }
    }

    #[test]
    fn accents_fold_after_stemming() {
        assert_eq!(terms(text(), "métallurgie"), terms(text(), "metallurgie"));
        assert_eq!(terms(text(), "Aéronautique"), ["aeronaut"]);
        assert_eq!(terms(text(), "aeronautique"), ["aeronaut"]);
    }

    #[test]
    fn french_stemmer_sees_the_accents() {
        // Folded first, "développée" would stem to "developpe", apart from "développement".
        assert_eq!(terms(text(), "développement"), ["developp"]);
        assert_eq!(terms(text(), "développée")[0], "developp");
        assert_eq!(terms(text(), "sécurité")[0], "secur");
    }

    #[test]
    fn an_accented_word_also_gets_its_unaccented_stem() {
        assert_eq!(terms(text(), "sécurité"), ["secur", "securit"]);
        assert_eq!(terms(text(), "securite"), ["securit"]);
        let words = QueryAnalyzer::new().words("sécurité");
        assert_eq!(words[0].terms[..2], ["secur", "securit"]);
    }

    #[test]
    fn the_stem_cache_gives_the_same_stems() {
        for _ in 0..3 {
            assert_eq!(terms(text(), "sécurité usinages"), ["secur", "securit", "usinag"]);
        }
    }

    #[test]
    fn french_stop_words_and_elisions_go() {
        assert_eq!(
            terms(text(), "l'usinage des pièces"),
            terms(text(), "usinage pièces")
        );
    }

    #[test]
    fn language_is_detected_per_value() {
        assert_eq!(
            detect("Nous usinons des pièces pour l'aéronautique"),
            Lang::French
        );
        assert_eq!(
            detect("We machine parts for the aerospace industry"),
            Lang::English
        );
        assert_eq!(detect("Usinage 5 axes"), Lang::French);
        // English text is stemmed as English: "machining" and "machined" meet.
        assert_eq!(
            terms(text(), "We are machining parts for the aerospace industry")[1],
            terms(text(), "Our parts are machined with care and precision")[2]
        );
    }

    #[test]
    fn query_words_drop_stop_words_of_both_languages() {
        let words = QueryAnalyzer::new().words("Usinage de la Métallurgie and the titane");
        let raw: Vec<&str> = words.iter().map(|w| w.raw.as_str()).collect();
        assert_eq!(raw, ["usinage", "métallurgie", "titane"]);
        assert_eq!(words[1].folded, "metallurgie");
        assert_eq!(words[1].stem(), "metallurg");
    }

    #[test]
    fn query_words_carry_both_languages_stems() {
        let words = QueryAnalyzer::new().words("machined");
        assert!(
            words[0].terms.contains(&"machin".to_owned()),
            "{:?}",
            words[0].terms
        );
    }

    #[test]
    fn phrases_are_read_in_their_language() {
        let readings = QueryAnalyzer::new().phrase("sécurité des procédés");
        assert_eq!(
            readings,
            [vec![(0, "secur".to_owned()), (2, "proced".to_owned())]]
        );
        let readings = QueryAnalyzer::new().phrase("machining of the parts");
        assert_eq!(readings, [vec![(0, "machin".to_owned()), (3, "part".to_owned())]]);
        // Without function words, both readings.
        assert_eq!(QueryAnalyzer::new().phrase("machined parts").len(), 2);
    }
}
