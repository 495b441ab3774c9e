//! How generic an SME's profile text reads next to its peers in the same sector, and why: the
//! stock phrases it shares with many of them, the words few of them use, and what to change.
//!
//! Pure: the caller loads the peers (same sector, e.g. same NAF division) and hands over their
//! texts; [`differentiate`] reads them with the search pipeline ([`crate::analysis`]: language
//! detected per text, stems, accents folded), so that a word counts here as it counts for a
//! buyer's search. Stop words of both languages are left out.
//!
//! - **Score.** TF-IDF over stems, IDF taken from the peers and the subject, sublinear term
//!   frequency; cosine similarity to each peer; the mean over the `k` most similar peers gives
//!   [`Differentiation::distinctiveness`]. Stock words are in every peer's text, so they weigh
//!   little on their own but make texts made of nothing else alike; a text naming its materials,
//!   machines and markets is carried by words rare in the sector and sits far from everyone.
//! - **Phrases.** Runs of 2 to 16 content words (stop words may sit between them, never at the
//!   ends; a sentence end breaks a run), compared by the stems of their accent-folded spelling,
//!   so "Entreprise à taille humaine" and "entreprises de taille humaine" are one phrase. The
//!   subject's phrases form a trie; each peer's text is walked through it once and stops at
//!   the first step the subject never took: linear in the total text, not in peers × phrases.
//!   Stock phrases have two to four words; the longer runs let a sentence copied from a shared
//!   template be reported once, whole, rather than as a row of overlapping pieces filling the
//!   list. Of phrases that overlap or contain one another and are shared about as widely, the
//!   longest is kept.
//! - **Suggestions** are codes with parameters ([`Suggestion`]); the web layer words them.

use std::collections::HashMap;
use std::hash::{BuildHasherDefault, Hasher};

use serde::{Deserialize, Serialize};
use tantivy::tokenizer::{TextAnalyzer, TokenStream};

use crate::analysis::{self, Lang, is_stop_word};
use crate::document::OrgId;

/// A reasonable number of nearest peers: enough that one look-alike does not decide the score,
/// few enough that the sector's outliers do not dilute it.
pub const DEFAULT_K: usize = 10;

/// Words read per text; the rest of a longer text is ignored (a presentation is ~150 words).
pub const MAX_WORDS: usize = 5_000;

/// Bytes read per text, before words are counted: bounds the language detection, which reads
/// the whole text it is given. Generous for [`MAX_WORDS`] words.
const MAX_TEXT_BYTES: usize = 64 * MAX_WORDS;

/// Below this many words a profile says too little for a buyer, and its score is shaky.
pub const MIN_WORDS: usize = 50;

/// A phrase is "shared" when at least this many peers use it...
const MIN_PHRASE_PEERS: usize = 3;
/// ...and at least this share of the peers compared.
const MIN_PHRASE_SHARE: f32 = 0.2;
/// Phrases reported, most shared first.
const MAX_SHARED_PHRASES: usize = 8;
/// Phrases that get a [`Suggestion::ReplaceStockPhrase`]: a short to-do list; the editor shows
/// the others from [`Differentiation::shared_phrases`].
const MAX_PHRASE_SUGGESTIONS: usize = 3;
/// A phrase mostly inside a longer (or as long) reported one is dropped when that one is used
/// by at least this share of its peers: it adds nothing. "sur mesure" (60 % of peers) stays
/// next to "large gamme de solutions sur mesure" (20 %).
const CLOSE_PEERS: f32 = 0.8;
/// Content words per phrase. The longest bound a copied sentence, not a stock phrase; it
/// also bounds the subject's phrase table at 16 entries a word.
const MIN_PHRASE_WORDS: usize = 2;
const MAX_PHRASE_WORDS: usize = 16;
/// Stop words allowed between two content words of a phrase ("gamme de la", "qualité et de").
const MAX_GAP: usize = 2;
/// What ends a run of words: sentence and list punctuation. Commas, hyphens, slashes and
/// apostrophes do not ("réactivité, qualité", "savoir-faire", "l'écoute").
const BREAKS: [char; 13] = ['.', ';', ':', '!', '?', '\n', '\r', '(', ')', '[', ']', '•', '|'];

/// A word of the subject is distinctive when at most this share of the peers use it.
const RARE_SHARE: f32 = 0.05;
const MAX_DISTINCTIVE_TERMS: usize = 8;
/// Distinctive terms shorter than this (in characters) are initials and units, not strengths.
const MIN_TERM_CHARS: usize = 3;

/// A profile below this distinctiveness reads generic: it is told to lead with what is its own.
pub const GENERIC_BELOW: u8 = 60;
/// A peer this similar has nearly the same text: a shared template or a copy.
const NEAR_DUPLICATE: f32 = 0.8;

/// The text of one peer profile, e.g. presentation, offers and capabilities joined.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PeerText {
    pub org_id: OrgId,
    pub text: String,
}

/// How generic a profile reads next to its peers, and why.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Differentiation {
    /// 0–100: 100 = reads unlike any peer, 0 = interchangeable with its nearest peers; it is
    /// `100 × (1 − √mean_similarity)`, rounded. 0 for a text without a content word (it says
    /// nothing of its own), peers or not; otherwise 100 when there is no peer to compare with
    /// (then [`Suggestion::NoPeers`] is given and the score should not be shown).
    pub distinctiveness: u8,
    /// Mean cosine similarity (TF-IDF over stems, IDF from the peers and the subject) to the
    /// `k` nearest peers, in 0–1.
    pub mean_similarity: f32,
    /// The `k` nearest peers and their similarity, most similar first (ties by id). Other
    /// members' ids: for staff screens and diagnostics, not for the SME's editor.
    pub nearest: Vec<(OrgId, f32)>,
    /// The subject's phrases used by many peers, most shared first.
    pub shared_phrases: Vec<SharedPhrase>,
    /// Words of the subject that few peers use (at most 5 %), as the subject wrote them at
    /// first use, rarest first. Empty without peers.
    pub distinctive_terms: Vec<String>,
    /// What to change, most useful first.
    pub suggestions: Vec<Suggestion>,
    /// Peers compared: those given, less the subject itself and texts without a content word.
    pub peers_compared: usize,
}

/// A phrase of the subject that many peers use too.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SharedPhrase {
    /// As the subject wrote it (first use, whitespace collapsed).
    pub phrase: String,
    /// Peers that use it (accents, case, plurals and the stop words between its words aside).
    pub peers: usize,
    /// `peers` / [`Differentiation::peers_compared`], in 0–1.
    pub share: f32,
}

/// Advice for the profile editor, as a code and its parameters: the web layer words it
/// (French first, English). Serialised as `{"code": "too_short", "words": 12, "minimum": 50}`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "code", rename_all = "snake_case")]
pub enum Suggestion {
    /// No other profile in the sector to compare with: the score means nothing yet.
    NoPeers,
    /// The text has `words` words; buyers need at least `minimum` to know what the SME does.
    TooShort { words: usize, minimum: usize },
    /// A peer's text is nearly the same (cosine `similarity`): a template or a copy.
    NearDuplicate { similarity: f32 },
    /// `phrase` is used by `share` of the peers: say concretely what it stands for.
    ReplaceStockPhrase { phrase: String, share: f32 },
    /// The text reads generic but has words few peers use: lead with them.
    NameDistinctiveStrengths { terms: Vec<String> },
    /// The text reads generic and has no word of its own: name materials, processes,
    /// machines, markets, certifications.
    BeSpecific,
    /// No figure at all: capacities, tolerances, volumes, staff, years, customers served.
    AddFiguresAndReferences,
}

/// Compares `subject` with `peers` and says how generic it reads.
///
/// `subject_id`: the subject's organisation, left out of `peers` if there (a profile is not
/// its own peer); `None` for a text not yet saved. `k`: the nearest peers averaged, at least 1
/// (see [`DEFAULT_K`]); fewer if fewer peers. Never panics; texts are read up to
/// [`MAX_WORDS`] words.
pub fn differentiate(
    subject_id: Option<OrgId>,
    subject: &str,
    peers: &[PeerText],
    k: usize,
) -> Differentiation {
    let k = k.max(1);
    let subject = capped(subject);
    let bytes = subject.len()
        + peers
            .iter()
            .map(|p| p.text.len().min(MAX_TEXT_BYTES))
            .sum::<usize>();
    let mut reader = Reader::new(bytes);
    let mut words = Vec::new();
    let mut links = Vec::new();

    // The subject first: the peers are read against its words and phrases.
    let subject_terms = reader.read(subject, &mut words);
    let subject_words = std::mem::take(&mut words);
    link(subject, &subject_words, &mut links);
    let mut phrases = Phrases::of_subject(&subject_words, &links);

    // Then each peer, once: its terms kept for the similarity, its words and phrases counted.
    let mut docs: Vec<(OrgId, Vec<(u32, u32)>)> = Vec::new();
    for peer in peers {
        if Some(peer.org_id) == subject_id {
            continue;
        }
        let text = capped(&peer.text);
        let terms = reader.read(text, &mut words);
        if terms.is_empty() {
            continue;
        }
        docs.push((peer.org_id, terms));
        link(text, &words, &mut links);
        // Peer numbers start at 1: 0 marks "not seen yet".
        phrases.count_peer(&words, &links, u32::try_from(docs.len()).unwrap_or(u32::MAX));
    }
    let peers_compared = docs.len();

    let nearest = nearest(&subject_terms, &docs, reader.stems.len(), k);
    let mean_similarity = if nearest.is_empty() {
        0.0
    } else {
        nearest.iter().map(|(_, s)| s).sum::<f32>() / nearest.len() as f32
    };
    let distinctiveness = if subject_terms.is_empty() {
        0
    } else if peers_compared == 0 {
        100
    } else {
        score(mean_similarity)
    };

    let shared_phrases = shared_phrases(subject, &subject_words, &phrases, peers_compared);
    let distinctive_terms = distinctive_terms(subject, &subject_words, &phrases, peers_compared);

    let mut suggestions = Vec::new();
    if peers_compared == 0 {
        suggestions.push(Suggestion::NoPeers);
    }
    let word_count = count_words(subject);
    if word_count < MIN_WORDS {
        suggestions.push(Suggestion::TooShort {
            words: word_count,
            minimum: MIN_WORDS,
        });
    }
    if let Some(&(_, similarity)) = nearest.first()
        && similarity >= NEAR_DUPLICATE
    {
        suggestions.push(Suggestion::NearDuplicate { similarity });
    }
    for phrase in shared_phrases.iter().take(MAX_PHRASE_SUGGESTIONS) {
        suggestions.push(Suggestion::ReplaceStockPhrase {
            phrase: phrase.phrase.clone(),
            share: phrase.share,
        });
    }
    let generic = peers_compared > 0
        && !subject_terms.is_empty()
        && (distinctiveness < GENERIC_BELOW || !shared_phrases.is_empty());
    if generic {
        suggestions.push(if distinctive_terms.is_empty() {
            Suggestion::BeSpecific
        } else {
            Suggestion::NameDistinctiveStrengths {
                terms: distinctive_terms.clone(),
            }
        });
    }
    if !subject_terms.is_empty() && !subject.chars().any(|c| c.is_ascii_digit()) {
        suggestions.push(Suggestion::AddFiguresAndReferences);
    }

    Differentiation {
        distinctiveness,
        mean_similarity,
        nearest,
        shared_phrases,
        distinctive_terms,
        suggestions,
        peers_compared,
    }
}

/// `100 × (1 − √s)`: a linear scale would put nearly every profile between 80 and 100, since
/// TF-IDF cosines between different companies' texts are small; the square root spreads the
/// range where texts actually fall (s = 0.04 gives 80, 0.16 gives 60, 0.36 gives 40).
fn score(mean_similarity: f32) -> u8 {
    let s = mean_similarity.clamp(0.0, 1.0);
    (100.0 * (1.0 - s.sqrt())).round().clamp(0.0, 100.0) as u8
}

/// The `k` peers most similar to the subject, most similar first, ties by id.
fn nearest(
    subject: &[(u32, u32)],
    docs: &[(OrgId, Vec<(u32, u32)>)],
    vocabulary: usize,
    k: usize,
) -> Vec<(OrgId, f32)> {
    if subject.is_empty() || docs.is_empty() {
        return Vec::new();
    }
    let mut document_frequency = vec![0u32; vocabulary];
    for &(term, _) in subject.iter().chain(docs.iter().flat_map(|(_, terms)| terms)) {
        document_frequency[term as usize] += 1;
    }
    // Smoothed IDF: a word in every text still weighs 1, so texts made only of common words
    // are alike rather than undefined.
    let texts = (docs.len() + 1) as f32;
    let idf: Vec<f32> = document_frequency
        .iter()
        .map(|&df| ((texts + 1.0) / (df as f32 + 1.0)).ln() + 1.0)
        .collect();
    let weight = |term: u32, tf: u32| (1.0 + (tf as f32).ln()) * idf[term as usize];

    let mut subject_weights = vec![0f32; vocabulary];
    let mut subject_norm = 0f32;
    for &(term, tf) in subject {
        let w = weight(term, tf);
        subject_weights[term as usize] = w;
        subject_norm += w * w;
    }
    let subject_norm = subject_norm.sqrt();

    let mut similarities: Vec<(OrgId, f32)> = docs
        .iter()
        .map(|(org_id, terms)| {
            let (mut dot, mut norm) = (0f32, 0f32);
            for &(term, tf) in terms {
                let w = weight(term, tf);
                dot += w * subject_weights[term as usize];
                norm += w * w;
            }
            let similarity = if norm > 0.0 && subject_norm > 0.0 {
                (dot / (norm.sqrt() * subject_norm)).clamp(0.0, 1.0)
            } else {
                0.0
            };
            (*org_id, similarity)
        })
        .collect();
    let order = |a: &(OrgId, f32), b: &(OrgId, f32)| b.1.total_cmp(&a.1).then(a.0.cmp(&b.0));
    if similarities.len() > k {
        similarities.select_nth_unstable_by(k - 1, order);
        similarities.truncate(k);
    }
    similarities.sort_unstable_by(order);
    similarities
}

/// The subject's runs of 1 to [`MAX_PHRASE_WORDS`] content words, as a trie over word keys,
/// with the number of peers that use each.
struct Phrases {
    /// (parent node, or [`ROOT`] for single words; word key) → node.
    edges: HashMap<u64, u32, FxBuild>,
    nodes: Vec<Node>,
    /// By word key: whether the subject uses it. Most words of a peer's text are not the
    /// subject's: they are passed over without hashing.
    known: Vec<bool>,
}

const ROOT: u32 = u32::MAX;

/// One phrase of the subject: its first use (indices into the subject's content words) and
/// how many peers use it.
struct Node {
    first: usize,
    last: usize,
    peers: u32,
    /// The last peer counted, so that a peer using the phrase twice counts once.
    last_peer: u32,
}

impl Node {
    fn words(&self) -> usize {
        self.last - self.first + 1
    }
}

fn edge(parent: u32, key: u32) -> u64 {
    (u64::from(parent) << 32) | u64::from(key)
}

impl Phrases {
    fn of_subject(words: &[Word], links: &[bool]) -> Self {
        let mut phrases = Phrases {
            edges: HashMap::default(),
            nodes: Vec::new(),
            known: Vec::new(),
        };
        for word in words {
            let key = word.key as usize;
            if phrases.known.len() <= key {
                phrases.known.resize(key + 1, false);
            }
            phrases.known[key] = true;
        }
        for first in 0..words.len() {
            let mut parent = ROOT;
            for last in first..words.len().min(first + MAX_PHRASE_WORDS) {
                if last > first && !links[last] {
                    break;
                }
                let key = words[last].key;
                let next = u32::try_from(phrases.nodes.len()).unwrap_or(ROOT - 1);
                let node = *phrases.edges.entry(edge(parent, key)).or_insert(next);
                if node == next {
                    phrases.nodes.push(Node {
                        first,
                        last,
                        peers: 0,
                        last_peer: 0,
                    });
                }
                parent = node;
            }
        }
        phrases
    }

    /// Counts peer number `peer` (from 1) for every phrase of the subject its text uses.
    fn count_peer(&mut self, words: &[Word], links: &[bool], peer: u32) {
        for first in 0..words.len() {
            let mut parent = ROOT;
            for last in first..words.len().min(first + MAX_PHRASE_WORDS) {
                let key = words[last].key;
                if (last > first && !links[last]) || !self.known.get(key as usize).copied().unwrap_or(false) {
                    break;
                }
                let Some(&node) = self.edges.get(&edge(parent, key)) else {
                    break;
                };
                let counted = &mut self.nodes[node as usize];
                if counted.last_peer != peer {
                    counted.last_peer = peer;
                    counted.peers += 1;
                }
                parent = node;
            }
        }
    }

    /// Calls `f` with every phrase of the subject written inside `words[first..=last]`.
    fn each_inside(&self, words: &[Word], first: usize, last: usize, mut f: impl FnMut(u32)) {
        for start in first..=last {
            let mut parent = ROOT;
            for word in &words[start..=last] {
                let Some(&node) = self.edges.get(&edge(parent, word.key)) else {
                    break;
                };
                f(node);
                parent = node;
            }
        }
    }

    /// Peers using the single word `key` of the subject.
    fn peers_using(&self, key: u32) -> u32 {
        self.edges
            .get(&edge(ROOT, key))
            .map_or(0, |&node| self.nodes[node as usize].peers)
    }
}

fn shared_phrases(
    subject: &str,
    words: &[Word],
    phrases: &Phrases,
    peers_compared: usize,
) -> Vec<SharedPhrase> {
    let minimum = MIN_PHRASE_PEERS.max((MIN_PHRASE_SHARE * peers_compared as f32).ceil() as usize);
    let mut candidates: Vec<(u32, &Node)> = phrases
        .nodes
        .iter()
        .enumerate()
        .filter(|(_, node)| node.words() >= MIN_PHRASE_WORDS && node.peers as usize >= minimum)
        .map(|(id, node)| (u32::try_from(id).unwrap_or(ROOT), node))
        .collect();
    // Longest first, so that each phrase meets the longer ones that may cover it.
    candidates.sort_unstable_by(|(_, a), (_, b)| {
        b.words()
            .cmp(&a.words())
            .then(b.peers.cmp(&a.peers))
            .then(a.first.cmp(&b.first))
    });
    // What the phrases kept so far cover, as the most peers of a kept phrase: per phrase of
    // the subject (those inside a kept one, wherever written) and per word of the subject.
    // Constant work per candidate: a long text copied by every peer has tens of thousands.
    let mut covered_phrase = vec![0u32; phrases.nodes.len()];
    let mut covered_word = vec![0u32; words.len()];
    let mut kept: Vec<&Node> = Vec::new();
    for (id, candidate) in candidates {
        let close = |peers: u32| peers as f32 >= CLOSE_PEERS * candidate.peers as f32;
        let inside = covered_phrase.get(id as usize).is_some_and(|&peers| close(peers));
        let overlap = covered_word[candidate.first..=candidate.last]
            .iter()
            .filter(|&&peers| close(peers))
            .count();
        if inside || 2 * overlap > candidate.words() {
            continue;
        }
        for peers in &mut covered_word[candidate.first..=candidate.last] {
            *peers = (*peers).max(candidate.peers);
        }
        phrases.each_inside(words, candidate.first, candidate.last, |inner| {
            if let Some(peers) = covered_phrase.get_mut(inner as usize) {
                *peers = (*peers).max(candidate.peers);
            }
        });
        kept.push(candidate);
    }
    kept.sort_unstable_by(|a, b| {
        b.peers
            .cmp(&a.peers)
            .then(b.words().cmp(&a.words()))
            .then(a.first.cmp(&b.first))
    });
    kept.into_iter()
        .take(MAX_SHARED_PHRASES)
        .map(|node| {
            let surface = subject
                .get(words[node.first].start..words[node.last].end)
                .unwrap_or("");
            SharedPhrase {
                phrase: surface.split_whitespace().collect::<Vec<_>>().join(" "),
                peers: node.peers as usize,
                share: node.peers as f32 / peers_compared as f32,
            }
        })
        .collect()
}

fn distinctive_terms(subject: &str, words: &[Word], phrases: &Phrases, peers_compared: usize) -> Vec<String> {
    if peers_compared == 0 {
        return Vec::new();
    }
    let most = (RARE_SHARE * peers_compared as f32).floor() as u32;
    // Per word key: peers using it, uses in the subject, first use.
    let mut found: HashMap<u32, (u32, u32, usize), FxBuild> = HashMap::default();
    for (index, word) in words.iter().enumerate() {
        let key = word.key;
        let peers = phrases.peers_using(key);
        let surface = subject.get(word.start..word.end).unwrap_or("");
        if peers > most
            || surface.chars().count() < MIN_TERM_CHARS
            || !surface.chars().any(char::is_alphabetic)
        {
            continue;
        }
        found.entry(key).or_insert((peers, 0, index)).1 += 1;
    }
    let mut terms: Vec<(u32, u32, usize)> = found.into_values().collect();
    terms.sort_unstable_by(|a, b| a.0.cmp(&b.0).then(b.1.cmp(&a.1)).then(a.2.cmp(&b.2)));
    terms
        .into_iter()
        .take(MAX_DISTINCTIVE_TERMS)
        .map(|(_, _, index)| {
            let word = &words[index];
            subject.get(word.start..word.end).unwrap_or("").to_owned()
        })
        .collect()
}

/// Words as the tokenizer counts them (stop words included), up to [`MAX_WORDS`].
fn count_words(text: &str) -> usize {
    text.split(|c: char| !is_word_char(c))
        .filter(|word| !word.is_empty())
        .take(MAX_WORDS)
        .count()
}

/// `text` cut to [`MAX_TEXT_BYTES`] at a character boundary.
fn capped(text: &str) -> &str {
    if text.len() <= MAX_TEXT_BYTES {
        return text;
    }
    let mut end = MAX_TEXT_BYTES;
    while !text.is_char_boundary(end) {
        end -= 1;
    }
    &text[..end]
}

/// One content word of a text: not a stop word of either language.
struct Word {
    position: usize,
    start: usize,
    end: usize,
    /// The stem of its accent-folded spelling: what phrases are compared by.
    key: u32,
}

/// Reads texts as the search pipeline does, and numbers their stems.
///
/// The pipeline runs once per distinct word and language in a call, not once per word: the
/// peers of a sector share most of their vocabulary, and the per-word work of the tantivy
/// stream was most of the time of a call. A text's new words go through the pipeline of the
/// text's language ([`analysis::detect`], [`analysis::in_language`]) in one batch, one word
/// per position: each word gets the stems [`analysis::text`] gives it in the text.
struct Reader {
    french: TextAnalyzer,
    english: TextAnalyzer,
    /// Per language ([`Lang`] as index): each word met, as written, and its reading's index.
    seen: [HashMap<Box<str>, u32, FxBuild>; 2],
    readings: Vec<Reading>,
    /// Every stem of every text.
    stems: Interner,
    /// The current text's words (byte ranges) and their readings.
    spans: Vec<(usize, usize, u32)>,
    /// The current text's new words, space-separated, and their readings.
    batch: String,
    batched: Vec<u32>,
    lower: String,
    term_ids: Vec<u32>,
}

/// A word's stems as term ids: its stem and, for an accented word whose unaccented spelling
/// stems differently, that stem too; none for a stop word of either language.
#[derive(Clone, Copy, Default)]
struct Reading {
    stems: [u32; 2],
    len: u8,
}

impl Reading {
    fn stems(&self) -> &[u32] {
        &self.stems[..usize::from(self.len)]
    }
}

impl Reader {
    /// `bytes`: about how much text will be read, to size the tables once (a sector's
    /// vocabulary is a few percent of its running words).
    fn new(bytes: usize) -> Self {
        let words = (bytes / 64).min(1 << 16);
        Reader {
            french: analysis::in_language(Lang::French),
            english: analysis::in_language(Lang::English),
            seen: [HashMap::default(), HashMap::default()],
            readings: Vec::with_capacity(words),
            stems: Interner::with_capacity(words),
            spans: Vec::new(),
            batch: String::new(),
            batched: Vec::new(),
            lower: String::new(),
            term_ids: Vec::new(),
        }
    }

    /// Fills `words` with the content words of `text` and returns its term counts, sorted by
    /// term.
    fn read(&mut self, text: &str, words: &mut Vec<Word>) -> Vec<(u32, u32)> {
        let lang = analysis::detect(text);
        let seen = &mut self.seen[lang as usize];
        self.spans.clear();
        self.batch.clear();
        self.batched.clear();
        // Words as tantivy's simple tokenizer cuts them: runs of alphanumeric characters.
        let mut start = None;
        let ends = text
            .char_indices()
            .map(|(i, c)| (i, is_word_char(c)))
            .chain([(text.len(), false)]);
        for (i, alphanumeric) in ends {
            if alphanumeric {
                start.get_or_insert(i);
                continue;
            }
            let Some(start) = start.take() else { continue };
            let surface = &text[start..i];
            // Keyed by the word as written: most words come in one spelling, and a known one
            // then costs one lookup.
            let reading = match seen.get(surface) {
                Some(&reading) => reading,
                None => {
                    let reading = u32::try_from(self.readings.len()).unwrap_or(u32::MAX);
                    self.readings.push(Reading::default());
                    seen.insert(surface.into(), reading);
                    // The pipeline drops the stop words of the text's language; the other's
                    // ("a", "as" in French text) go here, so that they neither make texts
                    // alike nor start or end a phrase.
                    self.lower.clear();
                    self.lower.extend(surface.chars().flat_map(char::to_lowercase));
                    if !is_stop_word(&self.lower) {
                        self.batch.push_str(surface);
                        self.batch.push(' ');
                        self.batched.push(reading);
                    }
                    reading
                }
            };
            self.spans.push((start, i, reading));
            if self.spans.len() == MAX_WORDS {
                break;
            }
        }

        if !self.batched.is_empty() {
            let analyzer = match lang {
                Lang::French => &mut self.french,
                Lang::English => &mut self.english,
            };
            let mut stream = analyzer.token_stream(&self.batch);
            while stream.advance() {
                let token = stream.token();
                let Some(&index) = self.batched.get(token.position) else {
                    break;
                };
                let reading = &mut self.readings[index as usize];
                // At most two stems at a position: the word's and its unaccented spelling's.
                if usize::from(reading.len) < reading.stems.len() {
                    reading.stems[usize::from(reading.len)] = self.stems.intern(&token.text);
                    reading.len += 1;
                }
            }
        }

        words.clear();
        self.term_ids.clear();
        for (position, &(start, end, reading)) in self.spans.iter().enumerate() {
            let stems = self.readings[reading as usize].stems();
            // The last stem, of the unaccented spelling, is the key under which "qualité" and
            // "qualite" meet; both count for the similarity, as both are indexed.
            if let Some(&key) = stems.last() {
                self.term_ids.extend_from_slice(stems);
                words.push(Word {
                    position,
                    start,
                    end,
                    key,
                });
            }
        }
        self.term_ids.sort_unstable();
        let mut counts: Vec<(u32, u32)> = Vec::new();
        for &id in &self.term_ids {
            match counts.last_mut() {
                Some((last, count)) if *last == id => *count += 1,
                _ => counts.push((id, 1)),
            }
        }
        counts
    }
}

/// `char::is_alphanumeric`, without its table search for the accented letters of French
/// (Latin-1 and Latin Extended-A letters), which are most of the non-ASCII characters read.
fn is_word_char(c: char) -> bool {
    match c {
        'a'..='z' | 'A'..='Z' | '0'..='9' => true,
        '\u{c0}'..='\u{17f}' => c != '×' && c != '÷',
        c => !c.is_ascii() && c.is_alphanumeric(),
    }
}

/// `links[i]`: whether content word `i` continues a run from word `i − 1`: at most
/// [`MAX_GAP`] stop words and no sentence punctuation between them.
fn link(text: &str, words: &[Word], links: &mut Vec<bool>) {
    links.clear();
    links.push(false);
    links.extend(words.windows(2).map(|pair| {
        let (previous, word) = (&pair[0], &pair[1]);
        word.position.saturating_sub(previous.position + 1) <= MAX_GAP
            && !text.get(previous.end..word.start).unwrap_or("").contains(BREAKS)
    }));
}

/// Numbers strings in order of first sight.
#[derive(Default)]
struct Interner {
    ids: HashMap<Box<str>, u32, FxBuild>,
}

impl Interner {
    fn with_capacity(capacity: usize) -> Self {
        Interner {
            ids: HashMap::with_capacity_and_hasher(capacity, FxBuild::default()),
        }
    }

    fn intern(&mut self, text: &str) -> u32 {
        if let Some(&id) = self.ids.get(text) {
            return id;
        }
        let id = u32::try_from(self.ids.len()).unwrap_or(u32::MAX);
        self.ids.insert(text.into(), id);
        id
    }

    fn len(&self) -> usize {
        self.ids.len()
    }
}

/// FxHash, as in [`crate::analysis`]: stems and trie edges are hashed hundreds of thousands
/// of times per call, where SipHash's collision resistance buys nothing.
#[derive(Default, Clone, Copy)]
struct FxHasher(u64);

impl Hasher for FxHasher {
    fn write(&mut self, bytes: &[u8]) {
        let mut chunks = bytes.chunks_exact(8);
        for chunk in &mut chunks {
            let mut word = [0u8; 8];
            word.copy_from_slice(chunk);
            self.write_u64(u64::from_le_bytes(word));
        }
        let rest = chunks.remainder();
        if !rest.is_empty() {
            let mut word = [0u8; 8];
            word[..rest.len()].copy_from_slice(rest);
            self.write_u64(u64::from_le_bytes(word));
        }
    }

    fn write_u64(&mut self, word: u64) {
        self.0 = (self.0.rotate_left(5) ^ word).wrapping_mul(0x51_7c_c1_b7_27_22_0a_95);
    }

    /// Multiplication carries only upwards: without the rotation the bucket index (low bits)
    /// of a trie edge would depend on its word key alone, not on its parent.
    fn finish(&self) -> u64 {
        self.0.rotate_left(26)
    }
}

type FxBuild = BuildHasherDefault<FxHasher>;

#[cfg(test)]
mod tests {
    use proptest::prelude::*;

    use super::*;

    const CRAFTS: &[&str] = &[
        "Tournage et fraisage de pièces en aluminium pour l'automobile.",
        "Décolletage de précision en laiton pour la robinetterie.",
        "Rectification plane et cylindrique de pièces en acier traité.",
        "Fabrication de moules pour l'injection plastique.",
        "Chaudronnerie inox pour l'industrie agroalimentaire.",
        "Soudure orbitale de tubes pour les laboratoires pharmaceutiques.",
        "Découpe laser de tôles fines pour le mobilier urbain.",
        "Traitement thermique sous vide des aciers à outils.",
        "Usinage de grandes pièces mécano-soudées pour le ferroviaire.",
        "Montage de sous-ensembles pneumatiques pour les machines spéciales.",
    ];
    const CITIES: &[&str] = &["Toulouse", "Figeac", "Tarbes", "Albi", "Rodez", "Castres"];
    const MARKETS: &[&str] = &[
        "l'aéronautique",
        "le spatial",
        "la défense",
        "le nucléaire",
        "le médical",
    ];

    /// A sector of `n` peers, each in its own words around the sector's stock phrases:
    /// "entreprise à taille humaine" (2 in 3), "large gamme de solutions sur mesure" (3 in 4),
    /// "savoir-faire reconnu" or "réactivité et qualité" (1 in 2 each).
    fn sector(n: usize) -> Vec<PeerText> {
        (0..n)
            .map(|i| {
                let (city, market) = (CITIES[i % CITIES.len()], MARKETS[i % MARKETS.len()]);
                let mut text = match i % 3 {
                    0 => format!(
                        "Implantée à {city}, notre entreprise à taille humaine travaille pour {market}. "
                    ),
                    1 => format!("Entreprise à taille humaine, nous servons {market} depuis {city}. "),
                    _ => format!("Nous sommes une PME de {city} au service de {market}. "),
                };
                text.push_str(CRAFTS[i % CRAFTS.len()]);
                text.push_str(if i % 2 == 0 {
                    " Notre savoir-faire reconnu et notre réactivité font la différence."
                } else {
                    " Réactivité et qualité guident chacun de nos projets."
                });
                if i % 4 != 3 {
                    text.push_str(&format!(
                        " Nous proposons une large gamme de solutions sur mesure pour {market}."
                    ));
                }
                if i % 5 < 2 {
                    text.push_str(" Toujours à l'écoute de nos clients.");
                }
                if i % 3 == 0 {
                    text.push(' ');
                    text.push_str(CRAFTS[(i * 7 + 3) % CRAFTS.len()]);
                }
                PeerText {
                    org_id: 100 + i as OrgId,
                    text,
                }
            })
            .collect()
    }

    fn generic_profile() -> String {
        "Entreprise à taille humaine, Mécasud met son savoir-faire reconnu au service de ses \
         clients. Réactivité et qualité sont nos maîtres mots. Une large gamme de solutions sur \
         mesure, toujours à l'écoute de nos clients, dans le respect des délais."
            .to_owned()
    }

    fn specific_profile() -> &'static str {
        "Usinage 5 axes de pièces en titane pour moteurs d'hélicoptères, tolérances ±5 µm. \
         Centre DMG Mori de 2019, contrôle tridimensionnel Zeiss en salle climatisée, \
         certification EN 9100. Séries de 10 à 500 pièces, 42 salariés à Tarnos."
    }

    #[test]
    fn a_profile_of_stock_phrases_reads_more_generic_than_a_specific_one() {
        let peers = sector(40);
        let generic = differentiate(Some(1), &generic_profile(), &peers, DEFAULT_K);
        let specific = differentiate(Some(2), specific_profile(), &peers, DEFAULT_K);
        assert!(
            generic.distinctiveness < GENERIC_BELOW
                && specific.distinctiveness >= 75
                && generic.distinctiveness + 25 < specific.distinctiveness,
            "generic {} vs specific {}",
            generic.distinctiveness,
            specific.distinctiveness
        );
        assert!(generic.mean_similarity > specific.mean_similarity);
        assert!(
            specific.shared_phrases.is_empty(),
            "{:?}",
            specific.shared_phrases
        );
        assert!(specific.distinctive_terms.iter().any(|t| t == "titane"));

        let phrases: Vec<&str> = generic.shared_phrases.iter().map(|p| p.phrase.as_str()).collect();
        assert!(phrases.contains(&"Entreprise à taille humaine"), "{phrases:?}");
        assert!(
            phrases.contains(&"large gamme de solutions sur mesure"),
            "{phrases:?}"
        );
        assert!(
            generic
                .shared_phrases
                .iter()
                .all(|p| p.share >= MIN_PHRASE_SHARE && p.share <= 1.0),
            "{:?}",
            generic.shared_phrases
        );
        assert!(
            generic
                .suggestions
                .iter()
                .any(|s| matches!(s, Suggestion::ReplaceStockPhrase { .. }))
        );
        assert!(generic.suggestions.iter().any(|s| matches!(
            s,
            Suggestion::NameDistinctiveStrengths { .. } | Suggestion::BeSpecific
        )));
        assert!(generic.suggestions.contains(&Suggestion::AddFiguresAndReferences));
        assert!(
            !specific
                .suggestions
                .contains(&Suggestion::AddFiguresAndReferences)
        );
    }

    #[test]
    fn a_phrase_inside_a_longer_one_shared_as_widely_is_not_repeated() {
        let peers = sector(40);
        let generic = differentiate(None, &generic_profile(), &peers, DEFAULT_K);
        let phrases: Vec<&str> = generic.shared_phrases.iter().map(|p| p.phrase.as_str()).collect();
        assert!(!phrases.contains(&"gamme de solutions"), "{phrases:?}");
        assert!(!phrases.contains(&"solutions sur mesure"), "{phrases:?}");
        assert!(phrases.len() <= MAX_SHARED_PHRASES);
        // Most shared first.
        assert!(
            generic
                .shared_phrases
                .windows(2)
                .all(|w| w[0].peers >= w[1].peers)
        );
    }

    #[test]
    fn accents_case_plural_and_stop_words_do_not_hide_a_stock_phrase() {
        let peers: Vec<PeerText> = [
            "ENTREPRISE A TAILLE HUMAINE spécialisée en peinture industrielle.",
            "entreprise a taille humaine, nous traitons vos surfaces.",
            "Entreprises de taille humaine au service de la métallurgie.",
            "Une entreprise à taille humaine pour vos projets de câblage.",
            "Bureau d'études en électronique embarquée.",
        ]
        .iter()
        .enumerate()
        .map(|(i, text)| PeerText {
            org_id: i as OrgId,
            text: (*text).to_owned(),
        })
        .collect();
        let result = differentiate(None, "Entreprise à Taille Humaine, réactivité.", &peers, 3);
        assert_eq!(
            result.shared_phrases,
            [SharedPhrase {
                phrase: "Entreprise à Taille Humaine".to_owned(),
                peers: 4,
                share: 0.8,
            }]
        );
        assert_eq!(result.peers_compared, 5);
    }

    #[test]
    fn words_get_the_stems_the_search_index_gives_them() {
        let texts = [
            "L'usinage des pièces en Sécurité, sécurité et securite : développée, développement.",
            "We are machining parts for the aerospace industry, as a supplier.",
            "Il a une entreprise à Saint-Étienne ; œuvres, Œuvre, ÉTÉ 2024.",
            "Mot trèèèèèèèèèèèèèèèèèèèèèèèèèèèèèèèèèèèèèèèèèèèès long puis qualité.",
            "",
        ];
        let mut reader = Reader::new(0);
        let mut words = Vec::new();
        for text in texts {
            reader.read(text, &mut words);
            let names: &HashMap<u32, &str> =
                &reader.stems.ids.iter().map(|(stem, &id)| (id, &**stem)).collect();
            let read: Vec<(usize, &str)> = reader
                .spans
                .iter()
                .enumerate()
                .flat_map(|(position, &(.., reading))| {
                    let stems = reader.readings[reading as usize].stems();
                    stems.iter().map(move |id| (position, names[id]))
                })
                .collect();

            let mut pipeline = analysis::text();
            let mut stream = pipeline.token_stream(text);
            let mut indexed: Vec<(usize, String)> = Vec::new();
            while stream.advance() {
                let token = stream.token();
                if !is_stop_word(&text[token.offset_from..token.offset_to].to_lowercase()) {
                    indexed.push((token.position, token.text.clone()));
                }
            }
            let indexed: Vec<(usize, &str)> = indexed.iter().map(|(p, t)| (*p, t.as_str())).collect();
            assert_eq!(read, indexed, "{text:?}");
        }
    }

    #[test]
    fn words_are_cut_where_the_search_tokenizer_cuts_them() {
        for c in ('\0'..='\u{3000}').chain(['\u{1F600}', '\u{10FFFF}']) {
            assert_eq!(is_word_char(c), c.is_alphanumeric(), "{c:?}");
        }
    }

    #[test]
    fn a_passage_copied_by_peers_is_reported_in_a_few_pieces() {
        let copied = "Notre atelier de mécanique générale réalise tournage, fraisage, \
                      soudure, montage, peinture, contrôle, emballage, expédition, \
                      maintenance, réparation, conseil, formation, étude, prototypage, \
                      industrialisation et production pour tous secteurs industriels";
        let mut peers = sector(10);
        peers.extend((0..5).map(|i| PeerText {
            org_id: 500 + i,
            text: format!("{copied}. {}", CRAFTS[i as usize]),
        }));
        let result = differentiate(None, copied, &peers, DEFAULT_K);
        assert!(
            (1..=2).contains(&result.shared_phrases.len()),
            "{:?}",
            result.shared_phrases
        );
        assert!(
            result.shared_phrases[0]
                .phrase
                .starts_with("atelier de mécanique")
        );
        assert!(result.shared_phrases.iter().all(|p| p.peers == 5));
        assert!(
            result
                .suggestions
                .iter()
                .any(|s| matches!(s, Suggestion::NearDuplicate { .. }))
        );
    }

    #[test]
    fn a_phrase_stops_at_the_end_of_a_sentence() {
        let peers: Vec<PeerText> = (0..5)
            .map(|i| PeerText {
                org_id: i,
                text: "Qualité reconnue. Réactivité totale.".to_owned(),
            })
            .collect();
        let result = differentiate(None, "Qualité reconnue, réactivité totale.", &peers, 3);
        let phrases: Vec<&str> = result.shared_phrases.iter().map(|p| p.phrase.as_str()).collect();
        assert!(phrases.contains(&"Qualité reconnue"), "{phrases:?}");
        assert!(
            !phrases.iter().any(|p| p.contains("reconnue, réactivité")),
            "{phrases:?}"
        );
    }

    #[test]
    fn the_subject_is_not_its_own_peer() {
        let mut peers = sector(12);
        peers.push(PeerText {
            org_id: 7,
            text: specific_profile().to_owned(),
        });
        let result = differentiate(Some(7), specific_profile(), &peers, 20);
        assert_eq!(result.peers_compared, 12);
        assert!(result.nearest.iter().all(|(id, _)| *id != 7));
        assert!(
            !result
                .suggestions
                .iter()
                .any(|s| matches!(s, Suggestion::NearDuplicate { .. }))
        );

        // Unsaved, the same text met under another id is a near duplicate.
        let copied = differentiate(None, specific_profile(), &peers, 20);
        assert_eq!(copied.peers_compared, 13);
        assert_eq!(copied.nearest[0].0, 7);
        assert!(copied.nearest[0].1 > 0.99);
        assert!(
            copied
                .suggestions
                .iter()
                .any(|s| matches!(s, Suggestion::NearDuplicate { .. }))
        );
    }

    #[test]
    fn without_peers_the_score_is_100_and_flagged() {
        for peers in [
            vec![],
            vec![PeerText {
                org_id: 1,
                text: "Usinage".to_owned(),
            }],
            vec![PeerText {
                org_id: 2,
                text: "de la et les".to_owned(),
            }],
        ] {
            let result = differentiate(Some(1), specific_profile(), &peers, DEFAULT_K);
            assert_eq!(result.distinctiveness, 100);
            assert_eq!(result.peers_compared, 0);
            assert!(result.nearest.is_empty());
            assert!(result.distinctive_terms.is_empty());
            assert_eq!(result.suggestions[0], Suggestion::NoPeers);
        }
    }

    #[test]
    fn an_empty_or_stop_word_text_is_not_distinctive() {
        let peers = sector(10);
        for text in ["", "   ", "de la et les, à the of and", "!!! ... ???"] {
            let result = differentiate(None, text, &peers, DEFAULT_K);
            assert_eq!(result.distinctiveness, 0, "{text:?}");
            assert_eq!(result.mean_similarity, 0.0);
            assert!(result.nearest.is_empty());
            assert!(result.shared_phrases.is_empty());
            assert_eq!(result.peers_compared, 10);
            assert!(result.suggestions.iter().any(|s| matches!(
                s,
                Suggestion::TooShort {
                    minimum: MIN_WORDS,
                    ..
                }
            )));
        }
    }

    #[test]
    fn fewer_peers_than_k_are_all_compared_and_k_zero_means_one() {
        let peers = sector(4);
        let result = differentiate(None, &generic_profile(), &peers, 10);
        assert_eq!(result.nearest.len(), 4);
        assert!(result.nearest.windows(2).all(|w| w[0].1 >= w[1].1));
        assert_eq!(
            differentiate(None, &generic_profile(), &peers, 0).nearest.len(),
            1
        );
        // Fewer than three peers: no phrase can be shared widely enough.
        assert!(
            differentiate(None, &generic_profile(), &peers[..2], 10)
                .shared_phrases
                .is_empty()
        );
    }

    #[test]
    fn a_short_text_is_told_so() {
        let result = differentiate(None, "Usinage de précision.", &sector(10), DEFAULT_K);
        assert!(result.suggestions.contains(&Suggestion::TooShort {
            words: 3,
            minimum: MIN_WORDS,
        }));
    }

    #[test]
    fn a_very_long_text_is_read_up_to_the_cap() {
        let long = "usinage titane ".repeat(20_000);
        let peers = vec![
            PeerText {
                org_id: 1,
                text: long.clone(),
            },
            PeerText {
                org_id: 2,
                text: "éa ".repeat(MAX_TEXT_BYTES),
            },
        ];
        let result = differentiate(None, &long, &peers, DEFAULT_K);
        assert_eq!(result.peers_compared, 2);
        assert!(result.distinctiveness <= 100);
    }

    #[test]
    fn the_same_input_gives_the_same_answer() {
        let peers = sector(30);
        let first = differentiate(Some(3), &generic_profile(), &peers, 5);
        for _ in 0..3 {
            assert_eq!(differentiate(Some(3), &generic_profile(), &peers, 5), first);
        }
    }

    fn mixed_text() -> impl Strategy<Value = String> {
        prop_oneof![
            any::<String>(),
            prop::collection::vec(
                prop_oneof![
                    Just("entreprise".to_owned()),
                    Just("à".to_owned()),
                    Just("taille".to_owned()),
                    Just("humaine".to_owned()),
                    Just("Qualité".to_owned()),
                    Just("de".to_owned()),
                    Just(".".to_owned()),
                    Just("5".to_owned()),
                    "\\PC{0,12}",
                ],
                0..60,
            )
            .prop_map(|words| words.join(" ")),
        ]
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(64))]

        #[test]
        fn never_panics_and_stays_in_range(
            subject in mixed_text(),
            texts in prop::collection::vec(mixed_text(), 0..12),
            k in 0usize..15,
            subject_id in prop::option::of(0i64..4),
        ) {
            let peers: Vec<PeerText> = texts
                .into_iter()
                .enumerate()
                .map(|(i, text)| PeerText { org_id: (i % 6) as OrgId, text })
                .collect();
            let result = differentiate(subject_id, &subject, &peers, k);
            prop_assert!(result.distinctiveness <= 100);
            prop_assert!((0.0..=1.0).contains(&result.mean_similarity));
            prop_assert!(result.nearest.len() <= k.max(1));
            prop_assert!(result.nearest.iter().all(|(_, s)| (0.0..=1.0).contains(s)));
            prop_assert!(result.peers_compared <= peers.len());
            prop_assert!(result.shared_phrases.len() <= MAX_SHARED_PHRASES);
            prop_assert!(result
                .shared_phrases
                .iter()
                .all(|p| p.share > 0.0 && p.share <= 1.0 && p.peers <= result.peers_compared));
            prop_assert!(result.distinctive_terms.len() <= MAX_DISTINCTIVE_TERMS);
        }
    }
}
