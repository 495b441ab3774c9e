//! A union of a few scorers (one query word across fields and stems), cheap to seek into.
//! tantivy's buffered union refills a 4,096-document window on every far seek, which dominated
//! searches whose words are intersected; here a seek moves only the children that lag behind.

use tantivy::query::{EnableScoring, Explanation, Query, Scorer, Weight};
use tantivy::{DocId, DocSet, Score, SegmentReader, TERMINATED};

/// Matches documents matched by any child. Children come in groups: a document's score is,
/// summed over groups, the best score of the group's children on it (a group being one field,
/// whose stems must not add up).
#[derive(Debug)]
pub struct AnyOf {
    children: Vec<(usize, Box<dyn Query>)>,
}

impl Clone for AnyOf {
    fn clone(&self) -> Self {
        AnyOf {
            children: self.children.iter().map(|(g, q)| (*g, q.box_clone())).collect(),
        }
    }
}

impl AnyOf {
    /// `children` as (group, query) pairs.
    pub fn new(children: Vec<(usize, Box<dyn Query>)>) -> Self {
        AnyOf { children }
    }
}

impl Query for AnyOf {
    fn weight(&self, enable_scoring: EnableScoring<'_>) -> tantivy::Result<Box<dyn Weight>> {
        let children = self
            .children
            .iter()
            .map(|(group, query)| Ok((*group, query.weight(enable_scoring)?)))
            .collect::<tantivy::Result<Vec<_>>>()?;
        let groups = self.children.iter().map(|(g, _)| g + 1).max().unwrap_or(0);
        Ok(Box::new(AnyOfWeight { children, groups }))
    }

    fn query_terms<'a>(&'a self, visitor: &mut dyn FnMut(&'a tantivy::Term, bool)) {
        for (_, query) in &self.children {
            query.query_terms(visitor);
        }
    }
}

struct AnyOfWeight {
    children: Vec<(usize, Box<dyn Weight>)>,
    groups: usize,
}

impl Weight for AnyOfWeight {
    fn scorer(&self, reader: &SegmentReader, boost: Score) -> tantivy::Result<Box<dyn Scorer>> {
        let mut children = Vec::with_capacity(self.children.len());
        for (group, weight) in &self.children {
            let scorer = weight.scorer(reader, boost)?;
            // Children with nothing in this segment cost nothing afterwards.
            if scorer.doc() != TERMINATED {
                children.push((*group, scorer));
            }
        }
        if children.len() == 1 {
            return Ok(children.pop().expect("one child").1);
        }
        let docs: Vec<DocId> = children.iter().map(|(_, c)| c.doc()).collect();
        let doc = docs.iter().copied().min().unwrap_or(TERMINATED);
        let mut groups: Vec<usize> = children.iter().map(|(g, _)| *g).collect();
        groups.sort_unstable();
        groups.dedup();
        let one_per_group = groups.len() == children.len();
        Ok(Box::new(AnyOfScorer {
            children,
            docs,
            best: vec![0.0; self.groups],
            one_per_group,
            doc,
        }))
    }

    fn explain(&self, reader: &SegmentReader, doc: DocId) -> tantivy::Result<Explanation> {
        let mut scorer = self.scorer(reader, 1.0)?;
        if scorer.seek(doc) != doc {
            return Err(tantivy::TantivyError::InvalidArgument(format!(
                "document {doc} does not match"
            )));
        }
        Ok(Explanation::new("any of, best per field, summed", scorer.score()))
    }
}

struct AnyOfScorer {
    children: Vec<(usize, Box<dyn Scorer>)>,
    /// Each child's current document, kept here: asking the children through their vtable on
    /// every step was most of the cost of a full scan.
    docs: Vec<DocId>,
    /// Per-group best score, reused by every `score` call.
    best: Vec<Score>,
    /// No two children share a group: the score is a plain sum.
    one_per_group: bool,
    doc: DocId,
}

impl DocSet for AnyOfScorer {
    fn advance(&mut self) -> DocId {
        let current = self.doc;
        if current == TERMINATED {
            return TERMINATED;
        }
        let mut min = TERMINATED;
        for ((_, child), doc) in self.children.iter_mut().zip(&mut self.docs) {
            if *doc == current {
                *doc = child.advance();
            }
            min = min.min(*doc);
        }
        self.doc = min;
        min
    }

    fn seek(&mut self, target: DocId) -> DocId {
        if self.doc >= target {
            return self.doc;
        }
        let mut min = TERMINATED;
        for ((_, child), doc) in self.children.iter_mut().zip(&mut self.docs) {
            if *doc < target {
                *doc = child.seek(target);
            }
            min = min.min(*doc);
        }
        self.doc = min;
        min
    }

    fn doc(&self) -> DocId {
        self.doc
    }

    fn size_hint(&self) -> u32 {
        self.children
            .iter()
            .map(|(_, c)| c.size_hint())
            .fold(0u32, u32::saturating_add)
    }

    fn cost(&self) -> u64 {
        self.children.iter().map(|(_, c)| c.cost()).sum()
    }
}

impl Scorer for AnyOfScorer {
    fn score(&mut self) -> Score {
        let current = self.doc;
        if self.one_per_group {
            let mut sum = 0.0;
            for ((_, child), doc) in self.children.iter_mut().zip(&self.docs) {
                if *doc == current {
                    sum += child.score();
                }
            }
            return sum;
        }
        self.best.iter_mut().for_each(|b| *b = 0.0);
        for ((group, child), doc) in self.children.iter_mut().zip(&self.docs) {
            if *doc == current {
                let score = child.score();
                let best = &mut self.best[*group];
                if score > *best {
                    *best = score;
                }
            }
        }
        self.best.iter().sum()
    }
}

#[cfg(test)]
mod tests {
    use tantivy::collector::{Count, TopDocs};
    use tantivy::query::{Query, TermQuery};
    use tantivy::schema::{IndexRecordOption, STRING, Schema};
    use tantivy::{Index, IndexWriter, TantivyDocument, Term, doc};

    use super::*;

    #[test]
    fn matches_like_a_boolean_union_and_scores_best_per_group() {
        let mut builder = Schema::builder();
        let a = builder.add_text_field("a", STRING);
        let b = builder.add_text_field("b", STRING);
        let index = Index::create_in_ram(builder.build());
        let mut writer: IndexWriter<TantivyDocument> = index.writer_with_num_threads(1, 15_000_000).unwrap();
        for i in 0..10_000u32 {
            let mut document = doc!();
            if i % 7 == 0 {
                document.add_text(a, "x");
            }
            if i % 11 == 0 {
                document.add_text(a, "y");
            }
            if i % 700 == 0 {
                document.add_text(b, "x");
            }
            writer.add_document(document).unwrap();
        }
        writer.commit().unwrap();
        let searcher = index.reader().unwrap().searcher();
        let term = |field, text| -> Box<dyn Query> {
            Box::new(TermQuery::new(
                Term::from_field_text(field, text),
                IndexRecordOption::Basic,
            ))
        };
        let union = AnyOf::new(vec![(0, term(a, "x")), (0, term(a, "y")), (1, term(b, "x"))]);
        let expected = (0..10_000u32).filter(|i| i % 7 == 0 || i % 11 == 0).count();
        assert_eq!(searcher.search(&union, &Count).unwrap(), expected);
        let score_of = |query: &dyn Query, doc: u32| {
            let top = searcher
                .search(query, &TopDocs::with_limit(10_000).order_by_score())
                .unwrap();
            top.into_iter()
                .find(|(_, address)| address.doc_id == doc)
                .map(|(score, _)| score)
                .unwrap()
        };
        // Doc 77 has "x" and "y" in field a: the better of the two, not their sum.
        let (x, y) = (score_of(&*term(a, "x"), 77), score_of(&*term(a, "y"), 77));
        assert_eq!(score_of(&union, 77), x.max(y));
        // Doc 700 has "x" in both fields: the two fields add up.
        let (in_a, in_b) = (score_of(&*term(a, "x"), 700), score_of(&*term(b, "x"), 700));
        assert!((score_of(&union, 700) - (in_a + in_b)).abs() < 1e-4);
    }
}
