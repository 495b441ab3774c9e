//! The search index handle: open or create, keep fresh change by change (visible within a
//! second), rebuild in bulk, and answer searches and "similar companies".
//!
//! Freshness: `upsert` and `delete` go to the writer at once, and a background committer thread
//! commits and reloads the reader [`COMMIT_DELAY`] after the first pending change, so a burst of
//! edits costs one commit and each edit is searchable well within a second. The reader reloads
//! manually right after each commit (not on a file watch), so visibility does not depend on
//! the file system's notifications; [`SearchIndex::commit`] does the same at once.

use std::borrow::Borrow;
use std::path::Path;
use std::sync::{Arc, Condvar, Mutex, MutexGuard, PoisonError};
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

use tantivy::collector::{Count, TopDocs};
use tantivy::directory::MmapDirectory;
use tantivy::indexer::IndexWriterOptions;
use tantivy::query::{AllQuery, BooleanQuery, MoreLikeThisQuery, Occur, Query, TermQuery};
use tantivy::schema::{IndexRecordOption, OwnedValue, Value};
use tantivy::{
    DocAddress, Index, IndexReader, IndexSettings, IndexWriter, ReloadPolicy, Searcher, TantivyDocument, Term,
};

use crate::analysis::{self, QueryAnalyzer};
use crate::document::{OrgId, ProfileDoc};
use crate::error::{Result, SearchError};
use crate::facets::FacetCollector;
use crate::query::{self, MatchMode, ParsedQuery, QueryBuilder};
use crate::request::{Hit, MAX_LIMIT, MAX_OFFSET, SearchRequest, SearchResults};
use crate::schema::{self, Audience, Fields, TextGroup};
use crate::snippets::Highlighter;

/// How long pending changes wait for company before the committer commits them.
pub const COMMIT_DELAY: Duration = Duration::from_millis(200);
/// Memory of the writer that follows single changes: small, one thread.
const INCREMENTAL_HEAP_BYTES: usize = 50_000_000;
/// Threads one search may use, one per segment at most.
const MAX_SEARCH_THREADS: usize = 4;
/// Hits [`SearchIndex::search_bulk`] returns at most.
pub const MAX_BULK_LIMIT: usize = 1_000;
/// Progress is reported every this many profiles during a rebuild.
pub const PROGRESS_EVERY: usize = 10_000;

/// How a bulk rebuild uses the machine.
#[derive(Debug, Clone, Copy)]
pub struct RebuildOptions {
    /// Indexing threads; one per core by default.
    pub threads: usize,
    /// Indexing memory per thread: larger means fewer, larger segments and faster queries.
    pub heap_bytes_per_thread: usize,
}

impl Default for RebuildOptions {
    fn default() -> Self {
        RebuildOptions {
            threads: std::thread::available_parallelism().map_or(1, |n| n.get()).min(8),
            heap_bytes_per_thread: 1 << 30,
        }
    }
}

#[derive(Default)]
struct Pending {
    changes: bool,
    shutdown: bool,
}

struct Inner {
    index: Index,
    fields: Fields,
    reader: IndexReader,
    /// `None` only while a rebuild swaps the incremental writer for a bulk one.
    writer: Mutex<Option<IndexWriter>>,
    pending: Mutex<Pending>,
    wake: Condvar,
    /// Cloned per search: building analyzers allocates their stop-word sets.
    query_analyzer: QueryAnalyzer,
}

/// A full-text index of capability profiles. Share it behind an `Arc`; every method takes `&self`.
pub struct SearchIndex {
    inner: Arc<Inner>,
    committer: Option<JoinHandle<()>>,
}

fn lock<T>(mutex: &Mutex<T>) -> MutexGuard<'_, T> {
    // A panic elsewhere leaves the writer usable: tantivy's state is not half-updated by it.
    mutex.lock().unwrap_or_else(PoisonError::into_inner)
}

impl SearchIndex {
    /// Opens the index in `path`, creating the directory and an empty index if needed.
    pub fn open_or_create(path: impl AsRef<Path>) -> Result<Self> {
        let path = path.as_ref();
        std::fs::create_dir_all(path).map_err(|source| SearchError::Directory {
            path: path.to_owned(),
            source,
        })?;
        let directory = MmapDirectory::open(path).map_err(tantivy::TantivyError::from)?;
        let (schema, fields) = schema::build();
        let index = if Index::exists(&directory).map_err(tantivy::TantivyError::from)? {
            let index = Index::open(directory)?;
            if schema::fields_of(&index.schema()).is_none() {
                return Err(SearchError::SchemaMismatch(path.to_owned()));
            }
            index
        } else {
            Index::create(directory, schema, IndexSettings::default())?
        };
        SearchIndex::from_index(index, fields)
    }

    /// An index in memory, for tests and benchmarks.
    pub fn in_ram() -> Result<Self> {
        let (schema, fields) = schema::build();
        SearchIndex::from_index(Index::create_in_ram(schema), fields)
    }

    fn from_index(mut index: Index, fields: Fields) -> Result<Self> {
        analysis::register(index.tokenizers());
        // Segments are searched in parallel, one core each: a search over a million profiles
        // is then bounded by the largest segment rather than by their sum.
        let cores = std::thread::available_parallelism()
            .map_or(1, |n| n.get())
            .min(MAX_SEARCH_THREADS);
        if cores > 1 {
            index.set_multithread_executor(cores)?;
        }
        let reader = index
            .reader_builder()
            .reload_policy(ReloadPolicy::Manual)
            .try_into()?;
        let writer = incremental_writer(&index)?;
        let inner = Arc::new(Inner {
            index,
            fields,
            reader,
            writer: Mutex::new(Some(writer)),
            pending: Mutex::new(Pending::default()),
            wake: Condvar::new(),
            query_analyzer: QueryAnalyzer::new(),
        });
        let committer = {
            let inner = Arc::clone(&inner);
            std::thread::Builder::new()
                .name("search-committer".into())
                .spawn(move || run_committer(&inner))
                .map_err(|e| tantivy::TantivyError::SystemError(e.to_string()))?
        };
        Ok(SearchIndex {
            inner,
            committer: Some(committer),
        })
    }

    /// Adds or replaces the profile of `doc.org_id`; searchable within a second.
    pub fn upsert(&self, doc: &ProfileDoc) -> Result<()> {
        let document = schema::document(doc, &self.inner.fields);
        self.inner.with_writer(|writer| {
            writer.delete_term(self.org_term(doc.org_id));
            writer.add_document(document)?;
            Ok(())
        })
    }

    /// Removes the profile of `org_id` (absent is fine); gone from searches within a second.
    pub fn delete(&self, org_id: OrgId) -> Result<()> {
        self.inner.with_writer(|writer| {
            writer.delete_term(self.org_term(org_id));
            Ok(())
        })
    }

    /// Makes every change so far visible now, without waiting for the committer.
    pub fn commit(&self) -> Result<()> {
        self.inner.commit()
    }

    /// Replaces the whole index with `docs`, in bulk: all cores, a large indexing heap, one
    /// commit at the end. Searches see the old index until that commit, then the new one.
    /// `progress` gets the count of profiles read so far, every [`PROGRESS_EVERY`] and at the
    /// end. Single changes wait while a rebuild runs. Returns the number of profiles indexed.
    pub fn rebuild<I>(&self, docs: I, progress: impl FnMut(usize)) -> Result<usize>
    where
        I: IntoIterator,
        I::Item: Borrow<ProfileDoc>,
    {
        self.rebuild_with(docs, RebuildOptions::default(), progress)
    }

    /// [`SearchIndex::rebuild`] with explicit threads and memory.
    pub fn rebuild_with<I>(
        &self,
        docs: I,
        options: RebuildOptions,
        mut progress: impl FnMut(usize),
    ) -> Result<usize>
    where
        I: IntoIterator,
        I::Item: Borrow<ProfileDoc>,
    {
        let inner = &self.inner;
        let mut slot = lock(&inner.writer);
        // Pending single changes are committed first so that nothing buffered is lost.
        if let Some(writer) = slot.as_mut() {
            writer.commit()?;
        }
        // Only one writer may hold the index lock: the incremental one makes way.
        drop(slot.take());
        let outcome = (|| -> Result<usize> {
            let mut bulk: IndexWriter = inner.index.writer_with_options(
                IndexWriterOptions::builder()
                    .num_worker_threads(options.threads.max(1))
                    .memory_budget_per_thread(options.heap_bytes_per_thread)
                    .build(),
            )?;
            bulk.delete_all_documents()?;
            let mut count = 0;
            for doc in docs {
                bulk.add_document(schema::document(doc.borrow(), &inner.fields))?;
                count += 1;
                if count % PROGRESS_EVERY == 0 {
                    progress(count);
                }
            }
            progress(count);
            bulk.commit()?;
            bulk.wait_merging_threads()?;
            Ok(count)
        })();
        // The incremental writer comes back whatever happened, or later changes would panic.
        *slot = Some(incremental_writer(&inner.index)?);
        drop(slot);
        inner.reader.reload()?;
        outcome
    }

    /// Profiles currently searchable.
    pub fn num_docs(&self) -> u64 {
        self.inner.reader.searcher().num_docs()
    }

    /// Runs a search. Never fails on the text; fails only on a page too deep or an I/O error.
    pub fn search(&self, request: &SearchRequest) -> Result<SearchResults> {
        self.search_capped(request, MAX_LIMIT)
    }

    /// [`SearchIndex::search`] with up to [`MAX_BULK_LIMIT`] hits at once, all read from one
    /// snapshot of the index: for callers that follow a whole result set (saved-search alerts),
    /// which paging would get wrong when the index changes between two pages.
    pub fn search_bulk(&self, request: &SearchRequest) -> Result<SearchResults> {
        self.search_capped(request, MAX_BULK_LIMIT)
    }

    fn search_capped(&self, request: &SearchRequest, cap: usize) -> Result<SearchResults> {
        if request.offset > MAX_OFFSET {
            return Err(SearchError::PageTooDeep { max: MAX_OFFSET });
        }
        let inner = &self.inner;
        let limit = request.limit.min(cap);
        let mut analyzer = inner.query_analyzer.clone();
        let parsed = query::parse(&request.text, &mut analyzer);
        let searcher = inner.reader.searcher();
        let collector = (
            TopDocs::with_limit(limit.max(1))
                .and_offset(request.offset)
                .order_by_score(),
            Count,
            FacetCollector::new(&request.facets),
        );
        let mut mode = MatchMode::All;
        let query = self.full_query(&searcher, &parsed, request, mode)?;
        let (mut top, mut total, mut facets) = searcher.search(query.as_ref(), &collector)?;
        if total == 0 && parsed.clauses.len() > 1 {
            mode = MatchMode::Any;
            let query = self.full_query(&searcher, &parsed, request, mode)?;
            (top, total, facets) = searcher.search(query.as_ref(), &collector)?;
        }
        let relaxed = mode == MatchMode::Any;
        // A facet with a selection is counted without its own filter (disjunctive facets):
        // otherwise ticking "PME" would leave "PME" as the only size one could add.
        for counts in facets.iter_mut().filter(|c| request.filters.selects(c.facet)) {
            let others = SearchRequest {
                filters: request.filters.without(counts.facet),
                ..request.clone()
            };
            let query = self.full_query(&searcher, &parsed, &others, mode)?;
            let mut recounted = searcher.search(query.as_ref(), &FacetCollector::new(&[counts.facet]))?;
            if let Some(own) = recounted.pop() {
                *counts = own;
            }
        }
        top.truncate(limit);
        let mut highlighter = Highlighter::new(&parsed, &analyzer);
        let hits = top
            .into_iter()
            .map(|(score, address)| self.hit(&searcher, address, score, request.audience, &mut highlighter))
            .collect::<Result<Vec<_>>>()?;
        Ok(SearchResults {
            total: total as u64,
            hits,
            facets,
            relaxed,
            truncated: parsed.truncated,
        })
    }

    /// Profiles that read most like `org_id`'s, judged on the text `audience` may see.
    pub fn similar(&self, org_id: OrgId, audience: Audience, limit: usize) -> Result<Vec<Hit>> {
        let inner = &self.inner;
        let searcher = inner.reader.searcher();
        let address = self
            .address_of(&searcher, org_id)?
            .ok_or(SearchError::UnknownOrg(org_id))?;
        let doc: TantivyDocument = searcher.doc(address)?;
        // Only the audience's fields feed the query: members-only words must not decide which
        // companies a visitor is shown as similar.
        let doc_fields: Vec<_> = inner
            .fields
            .searchable(audience)
            .iter()
            .map(|searchable| {
                let field = searchable.field;
                let values = doc
                    .get_all(field)
                    .filter_map(|v| v.as_str().map(|s| OwnedValue::Str(s.to_owned())))
                    .collect();
                (field, values)
            })
            .collect();
        let num_docs = searcher.num_docs();
        let mut like = MoreLikeThisQuery::builder()
            .with_min_doc_frequency(2)
            .with_min_term_frequency(1)
            .with_max_query_terms(30)
            .with_min_word_length(3);
        if num_docs > 1_000 {
            // Words in a tenth of all profiles ("solutions", "innovation") say nothing.
            like = like.with_max_doc_frequency(num_docs / 10);
        }
        let like = like.with_document_fields(doc_fields);
        let query = BooleanQuery::new(vec![
            (Occur::Must, Box::new(like) as Box<dyn Query>),
            (
                Occur::MustNot,
                Box::new(TermQuery::new(self.org_term(org_id), IndexRecordOption::Basic)),
            ),
        ]);
        let limit = limit.clamp(1, MAX_LIMIT);
        let top = searcher.search(&query, &TopDocs::with_limit(limit).order_by_score())?;
        let mut highlighter = Highlighter::new(&ParsedQuery::default(), &inner.query_analyzer);
        top.into_iter()
            .map(|(score, address)| self.hit(&searcher, address, score, audience, &mut highlighter))
            .collect()
    }

    fn org_term(&self, org_id: OrgId) -> Term {
        Term::from_field_i64(self.inner.fields.org_id, org_id)
    }

    fn address_of(&self, searcher: &Searcher, org_id: OrgId) -> Result<Option<DocAddress>> {
        let query = TermQuery::new(self.org_term(org_id), IndexRecordOption::Basic);
        let top = searcher.search(&query, &TopDocs::with_limit(1).order_by_score())?;
        Ok(top.first().map(|(_, address)| *address))
    }

    fn full_query(
        &self,
        searcher: &Searcher,
        parsed: &ParsedQuery,
        request: &SearchRequest,
        mode: MatchMode,
    ) -> Result<Box<dyn Query>> {
        let fields = &self.inner.fields;
        let text = QueryBuilder::new(searcher, fields.searchable(request.audience)).build(parsed, mode)?;
        Ok(match (text, request.filters.is_empty()) {
            (None, true) => Box::new(AllQuery),
            (None, false) => Box::new(request.filters.query(&fields.facets)),
            (Some(text), true) => text,
            (Some(text), false) => {
                let mut clauses = request.filters.clauses(&fields.facets);
                clauses.push((Occur::Must, text));
                Box::new(BooleanQuery::new(clauses))
            }
        })
    }

    /// A hit built from the stored document, reading only the fields `audience` may see.
    fn hit(
        &self,
        searcher: &Searcher,
        address: DocAddress,
        score: f32,
        audience: Audience,
        highlighter: &mut Highlighter,
    ) -> Result<Hit> {
        let fields = &self.inner.fields;
        let doc: TantivyDocument = searcher.doc(address)?;
        let first = |field| {
            doc.get_first(field)
                .and_then(|v| v.as_str().map(str::to_owned))
                .unwrap_or_default()
        };
        let joined = |field| {
            let values: Vec<&str> = doc.get_all(field).filter_map(|v| v.as_str()).collect();
            values.join(" · ")
        };
        // Prose first: on a tie the presentation reads better than a list of terms.
        let mut sources: Vec<(u8, String)> = fields
            .searchable(audience)
            .iter()
            .filter_map(|s| {
                let preference = match s.group {
                    TextGroup::Name => return None,
                    TextGroup::Presentation => 0,
                    TextGroup::Offers => 1,
                    TextGroup::Capabilities => 2,
                };
                Some((preference, joined(s.field)))
            })
            .collect();
        sources.sort_by_key(|(preference, _)| *preference);
        let name = first(fields.name);
        Ok(Hit {
            org_id: doc
                .get_first(fields.org_id)
                .and_then(|v| v.as_i64())
                .unwrap_or_default(),
            score,
            name_html: highlighter.highlight(&name),
            snippet_html: highlighter.snippet(sources.iter().map(|(_, text)| text.as_str())),
            name,
            naf: first(fields.naf),
            region: first(fields.facets.region),
            department: first(fields.facets.department),
            size: first(fields.facets.size),
        })
    }
}

impl Drop for SearchIndex {
    fn drop(&mut self) {
        lock(&self.inner.pending).shutdown = true;
        self.inner.wake.notify_all();
        if let Some(committer) = self.committer.take() {
            // The committer makes a last commit of pending changes before it stops.
            let _ = committer.join();
        }
    }
}

fn incremental_writer(index: &Index) -> Result<IndexWriter> {
    Ok(index.writer_with_options(
        IndexWriterOptions::builder()
            .num_worker_threads(1)
            .memory_budget_per_thread(INCREMENTAL_HEAP_BYTES)
            .build(),
    )?)
}

impl Inner {
    /// Runs a single change through the incremental writer and wakes the committer.
    fn with_writer(&self, change: impl FnOnce(&IndexWriter) -> Result<()>) -> Result<()> {
        {
            let slot = lock(&self.writer);
            // Only a rebuild that failed to reopen the incremental writer leaves none.
            let writer = slot.as_ref().ok_or(SearchError::WriterUnavailable)?;
            change(writer)?;
        }
        lock(&self.pending).changes = true;
        self.wake.notify_all();
        Ok(())
    }

    fn commit(&self) -> Result<()> {
        // Cleared first: a change arriving during the commit sets it again for the next round.
        lock(&self.pending).changes = false;
        if let Some(writer) = lock(&self.writer).as_mut() {
            writer.commit()?;
        }
        self.reader.reload()?;
        Ok(())
    }
}

fn run_committer(inner: &Inner) {
    loop {
        let mut pending = lock(&inner.pending);
        while !pending.changes && !pending.shutdown {
            pending = inner.wake.wait(pending).unwrap_or_else(PoisonError::into_inner);
        }
        if !pending.changes {
            return;
        }
        // Let a burst of changes gather into one commit, unless we are shutting down.
        let deadline = Instant::now() + COMMIT_DELAY;
        while !pending.shutdown {
            let now = Instant::now();
            if now >= deadline {
                break;
            }
            pending = inner
                .wake
                .wait_timeout(pending, deadline - now)
                .unwrap_or_else(PoisonError::into_inner)
                .0;
        }
        let shutdown = pending.shutdown;
        drop(pending);
        if let Err(error) = inner.commit() {
            // Retried on the next change; the store stays the source of truth meanwhile.
            tracing::error!(%error, "search index commit failed");
            lock(&inner.pending).changes = true;
            if !shutdown {
                std::thread::sleep(COMMIT_DELAY);
            }
        }
        if shutdown {
            return;
        }
    }
}
