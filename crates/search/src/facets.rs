//! Facets: the structured attributes a search can be narrowed by, the filters on them (AND across
//! facets, OR within one), and a collector counting their values over the whole match set.

use std::collections::{BTreeMap, BTreeSet, HashMap};

use serde::{Deserialize, Serialize};
use tantivy::collector::{Collector, SegmentCollector};
use tantivy::columnar::{Column, ColumnIndex, StrColumn};
use tantivy::query::{BooleanQuery, ConstScoreQuery, Occur, Query, TermQuery, TermSetQuery};
use tantivy::schema::{Field, IndexRecordOption};
use tantivy::{DocId, Score, SegmentOrdinal, SegmentReader, Term};

use crate::packed::{self, PackedCounts};
use crate::schema::{self, FacetFields, PACKED_FACETS, SET_SEPARATOR};

/// A facet of the directory.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Facet {
    /// NAF section letter, `A`–`U`.
    NafSection,
    /// NAF division, two digits.
    NafDivision,
    /// INSEE region code.
    Region,
    /// INSEE department code.
    Department,
    /// `sme`, `mid_cap` or `large`.
    Size,
    Certification,
    Label,
    /// Cluster id, in decimal.
    Cluster,
}

impl Facet {
    pub const ALL: [Facet; 8] = [
        Facet::NafSection,
        Facet::NafDivision,
        Facet::Region,
        Facet::Department,
        Facet::Size,
        Facet::Certification,
        Facet::Label,
        Facet::Cluster,
    ];

    /// What the directory page shows by default; departments are a filter more than a facet.
    pub const DEFAULT: [Facet; 7] = [
        Facet::NafSection,
        Facet::NafDivision,
        Facet::Region,
        Facet::Size,
        Facet::Certification,
        Facet::Label,
        Facet::Cluster,
    ];

    /// Stable code, identical to the serde form and to the index field's name.
    pub fn as_str(self) -> &'static str {
        match self {
            Facet::NafSection => "naf_section",
            Facet::NafDivision => "naf_division",
            Facet::Region => "region",
            Facet::Department => "department",
            Facet::Size => "size",
            Facet::Certification => "certification",
            Facet::Label => "label",
            Facet::Cluster => "cluster",
        }
    }

    pub fn parse(code: &str) -> Option<Facet> {
        Facet::ALL.into_iter().find(|f| f.as_str() == code)
    }

    pub(crate) fn field(self, fields: &FacetFields) -> Field {
        match self {
            Facet::NafSection => fields.naf_section,
            Facet::NafDivision => fields.naf_division,
            Facet::Region => fields.region,
            Facet::Department => fields.department,
            Facet::Size => fields.size,
            Facet::Certification => fields.certification,
            Facet::Label => fields.label,
            Facet::Cluster => fields.cluster,
        }
    }
}

/// Selected facet values: a profile must match every facet that has a selection, and any one of
/// the values selected within it.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Filters {
    selected: BTreeMap<Facet, BTreeSet<String>>,
}

impl Filters {
    pub fn new() -> Self {
        Filters::default()
    }

    /// Adds `value` to the values accepted for `facet`.
    pub fn add(&mut self, facet: Facet, value: impl Into<String>) {
        self.selected.entry(facet).or_default().insert(value.into());
    }

    /// Builder form of [`Filters::add`].
    pub fn with(mut self, facet: Facet, value: impl Into<String>) -> Self {
        self.add(facet, value);
        self
    }

    pub fn is_empty(&self) -> bool {
        self.selected.is_empty()
    }

    /// These filters without any selection on `facet`: what that facet's own counts are taken
    /// over, so that ticking one value still shows the counts of the alternatives to OR with it.
    pub fn without(&self, facet: Facet) -> Filters {
        let mut selected = self.selected.clone();
        selected.remove(&facet);
        Filters { selected }
    }

    pub fn selects(&self, facet: Facet) -> bool {
        self.selected.contains_key(&facet)
    }

    pub fn iter(&self) -> impl Iterator<Item = (Facet, &BTreeSet<String>)> {
        self.selected.iter().map(|(f, v)| (*f, v))
    }

    /// One non-scoring clause per facet: filters narrow the match set, they do not rank.
    pub(crate) fn clauses(&self, fields: &FacetFields) -> Vec<(Occur, Box<dyn Query>)> {
        self.iter()
            .map(|(facet, values)| {
                let field = facet.field(fields);
                let mut terms = values.iter().map(|v| Term::from_field_text(field, v));
                let query: Box<dyn Query> = if values.len() == 1 {
                    let term = terms.next().expect("one value");
                    Box::new(TermQuery::new(term, IndexRecordOption::Basic))
                } else {
                    Box::new(TermSetQuery::new(terms))
                };
                let filter: Box<dyn Query> = Box::new(ConstScoreQuery::new(query, 0.0));
                (Occur::Must, filter)
            })
            .collect()
    }

    /// The filters alone, for a search without words.
    pub(crate) fn query(&self, fields: &FacetFields) -> BooleanQuery {
        BooleanQuery::new(self.clauses(fields))
    }
}

/// How many matching profiles carry one value of a facet.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FacetValue {
    pub value: String,
    pub count: u64,
}

/// The values of one facet over the match set, most frequent first.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FacetCounts {
    pub facet: Facet,
    pub values: Vec<FacetValue>,
}

/// Counts facet values through the fast-field term ordinals of each segment: one array
/// increment per value per matching document; ordinals become strings once per segment.
pub(crate) struct FacetCollector {
    facets: Vec<Facet>,
}

impl FacetCollector {
    pub fn new(facets: &[Facet]) -> Self {
        let mut facets = facets.to_vec();
        facets.sort();
        facets.dedup();
        FacetCollector { facets }
    }
}

/// Matching documents are counted in blocks of this many: one pass per facet column per block
/// reads values with less dispatch and better locality than seven lookups per document.
const BLOCK: usize = 512;

struct FacetColumn {
    column: StrColumn,
    ords: Column<u64>,
    counts: Vec<u32>,
}

pub(crate) struct FacetSegmentCollector {
    /// The single-valued facets, all read from one packed value per document.
    packed: Option<(Column<u64>, PackedCounts)>,
    /// Multi-valued facets through the ordinals of their value-set columns; `None` where a
    /// segment has no such column.
    columns: Vec<(Facet, Option<FacetColumn>)>,
    block: Vec<DocId>,
    // Scratch space reused by every block.
    docs_out: Vec<DocId>,
    rows: Vec<u32>,
    values: Vec<u64>,
}

type SegmentFruit = Vec<(Facet, Vec<(String, u64)>)>;

impl Collector for FacetCollector {
    type Fruit = Vec<FacetCounts>;
    type Child = FacetSegmentCollector;

    fn for_segment(
        &self,
        _segment_local_id: SegmentOrdinal,
        segment: &SegmentReader,
    ) -> tantivy::Result<FacetSegmentCollector> {
        let fast_fields = segment.fast_fields();
        let counts = PackedCounts::new(&self.facets);
        let packed = if counts.is_empty() {
            None
        } else {
            Some((fast_fields.u64(PACKED_FACETS)?, counts))
        };
        let mut columns = Vec::with_capacity(self.facets.len());
        for &facet in self.facets.iter().filter(|f| !packed::is_packed(**f)) {
            let column = fast_fields.str(&schema::set_field(facet))?.map(|column| {
                let ords = column.ords().clone();
                let counts = vec![0; column.num_terms()];
                FacetColumn { column, ords, counts }
            });
            columns.push((facet, column));
        }
        let any = packed.is_some() || !columns.is_empty();
        Ok(FacetSegmentCollector {
            packed,
            columns,
            block: Vec::with_capacity(if any { BLOCK } else { 0 }),
            docs_out: Vec::new(),
            rows: Vec::new(),
            values: Vec::new(),
        })
    }

    fn requires_scoring(&self) -> bool {
        false
    }

    fn merge_fruits(&self, segment_fruits: Vec<SegmentFruit>) -> tantivy::Result<Vec<FacetCounts>> {
        let mut merged: Vec<(Facet, HashMap<String, u64>)> =
            self.facets.iter().map(|f| (*f, HashMap::new())).collect();
        for fruit in segment_fruits {
            for ((_, totals), (_, values)) in merged.iter_mut().zip(fruit) {
                for (value, count) in values {
                    *totals.entry(value).or_insert(0) += count;
                }
            }
        }
        Ok(merged
            .into_iter()
            .map(|(facet, totals)| {
                let mut values: Vec<FacetValue> = totals
                    .into_iter()
                    .map(|(value, count)| FacetValue { value, count })
                    .collect();
                values.sort_by(|a, b| b.count.cmp(&a.count).then_with(|| a.value.cmp(&b.value)));
                FacetCounts { facet, values }
            })
            .collect())
    }
}

impl FacetSegmentCollector {
    /// Reads the values of `column` for the documents of the block into `values`.
    fn read_block(
        column: &Column<u64>,
        block: &[DocId],
        docs_out: &mut Vec<DocId>,
        rows: &mut Vec<u32>,
        values: &mut Vec<u64>,
    ) {
        // Every column read here has one value per document: documents are rows.
        let rows: &[u32] = if matches!(column.index, ColumnIndex::Full) {
            block
        } else {
            docs_out.clear();
            rows.clear();
            column.row_ids_for_docs(block, docs_out, rows);
            rows
        };
        // Overwritten below: resized, not cleared, so that full blocks cost no zeroing.
        if values.len() != rows.len() {
            values.resize(rows.len(), 0);
        }
        column.values.get_vals(rows, values);
    }

    fn flush(&mut self) {
        if self.block.is_empty() {
            return;
        }
        if let Some((column, counts)) = &mut self.packed {
            Self::read_block(
                column,
                &self.block,
                &mut self.docs_out,
                &mut self.rows,
                &mut self.values,
            );
            for &packed in &self.values {
                counts.add(packed);
            }
        }
        for (_, column) in &mut self.columns {
            let Some(FacetColumn { ords, counts, .. }) = column else {
                continue;
            };
            Self::read_block(
                ords,
                &self.block,
                &mut self.docs_out,
                &mut self.rows,
                &mut self.values,
            );
            for &ord in &self.values {
                counts[ord as usize] += 1;
            }
        }
        self.block.clear();
    }
}

impl SegmentCollector for FacetSegmentCollector {
    type Fruit = SegmentFruit;

    #[inline]
    fn collect(&mut self, doc: DocId, _score: Score) {
        if self.block.capacity() == 0 {
            return;
        }
        self.block.push(doc);
        if self.block.len() == BLOCK {
            self.flush();
        }
    }

    fn collect_block(&mut self, docs: &[DocId]) {
        for &doc in docs {
            self.collect(doc, 0.0);
        }
    }

    fn harvest(mut self) -> SegmentFruit {
        self.flush();
        let mut fruit: SegmentFruit = self
            .packed
            .map(|(_, counts)| counts.harvest())
            .unwrap_or_default();
        for (facet, column) in self.columns {
            let mut values: Vec<(String, u64)> = Vec::new();
            if let Some(FacetColumn { column, counts, .. }) = column {
                let ords: Vec<u64> = (0..counts.len() as u64)
                    .filter(|o| counts[*o as usize] > 0)
                    .collect();
                let mut next = ords.iter();
                // One pass over the dictionary for all the ordinals; a missing one would be a
                // corrupt segment, and skipping it is enough.
                let _ = column.dictionary().sorted_ords_to_term_cb(&ords, |set| {
                    let count = next.next().map_or(0, |ord| u64::from(counts[*ord as usize]));
                    let set = String::from_utf8_lossy(set);
                    // Each combination of values counts for each of its values.
                    for value in set.split(SET_SEPARATOR).filter(|v| !v.is_empty()) {
                        match values.iter_mut().find(|(v, _)| v == value) {
                            Some((_, total)) => *total += count,
                            None => values.push((value.to_owned(), count)),
                        }
                    }
                });
            }
            fruit.push((facet, values));
        }
        // In the collector's facet order, which `merge_fruits` relies on.
        fruit.sort_by_key(|(facet, _)| *facet);
        fruit
    }
}
