//! The SIRENE import: streams an INSEE establishment-stock CSV into the registry, a few thousand rows
//! per transaction, and writes every row it cannot take to a rejects file with its line and reason.
//!
//! The CLI operator runs it with the database's own authority (like the demo loader): there is no
//! person to ask the policy about, and the audit trail records the changes with no actor.
//!
//! Reading is line-based: one record per line, fields split by RFC 4180 rules. A general CSV reader
//! would let an unclosed quote swallow every following line into one field, losing those rows
//! without a reason; here a broken line is one reject and the next line reads normally. The SIRENE
//! layout has no line breaks inside fields, so nothing valid is lost by this.

use std::borrow::Cow;
use std::collections::HashMap;
use std::fmt;
use std::fs::File;
use std::io::{self, BufRead, BufReader, BufWriter, Read};
use std::path::{Path, PathBuf};

use domain::org::{OrgKind, size_category};
use domain::sirene::{Establishment, Layout, MissingColumns, Reasons, Row};
use serde::Serialize;
use store::organisations::{self, AuditAs, Upsert};
use store::records::OrganisationFields;
use store::{Store, StoreError, clusters};
use tokio::sync::mpsc;

/// Rows per transaction: large enough for multi-row statements to pay off, small enough that a
/// failure loses little work and memory stays flat.
pub const DEFAULT_BATCH_SIZE: usize = 5_000;

/// A longer line is rejected without being held in memory (a SIRENE row is well under 2 KiB).
pub const MAX_LINE_BYTES: usize = 64 * 1024;

/// The audit trail's action for organisations the import creates or updates.
pub const AUDIT_ACTION: &str = "sirene_import";

const AUDIT: AuditAs<'static> = AuditAs {
    actor_person_id: None,
    action: AUDIT_ACTION,
};

/// Batches parsed ahead of the one being written: reading and writing overlap, memory stays bounded.
const BATCHES_AHEAD: usize = 2;

#[derive(Debug, Clone)]
pub struct ImportOptions {
    /// Slug of a cluster the imported organisations become members of.
    pub cluster: Option<String>,
    /// Where rejected rows are written (CSV: line, siret, reason); replaced if it exists.
    pub rejects: PathBuf,
    pub batch_size: usize,
}

impl ImportOptions {
    pub fn new(rejects: impl Into<PathBuf>) -> ImportOptions {
        ImportOptions {
            cluster: None,
            rejects: rejects.into(),
            batch_size: DEFAULT_BATCH_SIZE,
        }
    }
}

/// `data/sirene.csv` → `data/sirene.rejects.csv`, beside the input.
pub fn default_rejects_path(input: &Path) -> PathBuf {
    let stem = input
        .file_stem()
        .map_or_else(|| "sirene".into(), |s| s.to_string_lossy());
    input.with_file_name(format!("{stem}.rejects.csv"))
}

/// What the import did with the rows; `read` is the sum of the five outcomes.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct Counts {
    /// Data rows (blank lines are not rows).
    pub read: u64,
    pub created: u64,
    pub updated: u64,
    pub unchanged: u64,
    /// Closed establishments, skipped.
    pub closed: u64,
    pub rejected: u64,
    /// Organisations that became members of the `--cluster` (not counting current members).
    pub joined_cluster: u64,
}

impl Counts {
    fn add(&mut self, other: &Counts) {
        self.read += other.read;
        self.created += other.created;
        self.updated += other.updated;
        self.unchanged += other.unchanged;
        self.closed += other.closed;
        self.rejected += other.rejected;
        self.joined_cluster += other.joined_cluster;
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ImportReport {
    pub counts: Counts,
    /// Committed transactions.
    pub batches: u64,
    /// The last line committed (the header is line 1).
    pub last_line: u64,
    pub rejects: PathBuf,
}

/// Reported after each committed batch.
#[derive(Debug, Clone, Copy)]
pub struct Progress {
    /// Bytes of the input consumed up to the end of the committed batch.
    pub bytes: u64,
    pub counts: Counts,
}

#[derive(Debug, thiserror::Error)]
pub enum ImportError {
    #[error("cannot open {}", path.display())]
    Open {
        path: PathBuf,
        #[source]
        source: io::Error,
    },
    #[error("the file is empty: expected a header row naming the SIRENE columns")]
    Empty,
    #[error("cannot read the header row: {0}")]
    Header(String),
    #[error("{missing}; the first line must be the SIRENE header row{hint}")]
    MissingColumns {
        missing: MissingColumns,
        hint: &'static str,
    },
    #[error("unknown cluster '{0}'")]
    UnknownCluster(String),
    #[error("cannot write the rejects file {}", path.display())]
    Rejects {
        path: PathBuf,
        #[source]
        source: io::Error,
    },
    #[error("cannot read the file")]
    Read(#[source] io::Error),
    #[error(transparent)]
    Store(#[from] StoreError),
    /// Stopped mid-file; the batches before `line` are committed and `report` counts them.
    #[error(
        "import stopped at line {line}; the lines before it are committed ({} transaction(s) up to line {}: \
         {} created, {} updated, {} unchanged, {} closed skipped, {} rejected; rejects in {})",
        report.batches, report.last_line, report.counts.created, report.counts.updated,
        report.counts.unchanged, report.counts.closed, report.counts.rejected, report.rejects.display()
    )]
    Interrupted {
        line: u64,
        report: Box<ImportReport>,
        #[source]
        cause: Failure,
    },
}

/// Why an import stopped mid-file.
#[derive(Debug, thiserror::Error)]
pub enum Failure {
    #[error("cannot read the file")]
    Read(#[source] io::Error),
    #[error("cannot write the batch")]
    Store(#[source] StoreError),
    #[error("cannot write the rejects file")]
    Rejects(#[source] io::Error),
    #[error("the reader thread stopped unexpectedly")]
    Reader,
}

/// Opens `path` and imports it; see [`import`].
pub async fn import_file(
    store: &Store,
    path: &Path,
    options: &ImportOptions,
    progress: &(dyn Fn(Progress) + Sync),
) -> Result<ImportReport, ImportError> {
    let file = File::open(path).map_err(|source| ImportError::Open {
        path: path.to_owned(),
        source,
    })?;
    import(store, file, options, progress).await
}

/// Imports SIRENE establishments from `input`: creates or updates organisations keyed on SIRET,
/// skips closed establishments and rejects invalid rows into `options.rejects`. Nothing is written
/// (not even the rejects file) until the header and the cluster have been checked.
pub async fn import<R: Read + Send + 'static>(
    store: &Store,
    input: R,
    options: &ImportOptions,
    progress: &(dyn Fn(Progress) + Sync),
) -> Result<ImportReport, ImportError> {
    let mut lines = Lines::new(input);
    let layout = read_header(&mut lines)?;
    let cluster_id = match &options.cluster {
        Some(slug) => {
            let mut conn = store.conn().await?;
            let cluster = clusters::by_slug(&mut conn, slug).await?;
            Some(
                cluster
                    .ok_or_else(|| ImportError::UnknownCluster(slug.clone()))?
                    .id,
            )
        }
        None => None,
    };
    let rejects_error = |source| ImportError::Rejects {
        path: options.rejects.clone(),
        source,
    };
    let file = File::create(&options.rejects).map_err(rejects_error)?;
    let mut rejects = csv::Writer::from_writer(BufWriter::new(file));
    rejects
        .write_record(["line", "siret", "reason"])
        .and_then(|()| rejects.flush().map_err(csv::Error::from))
        .map_err(|e| rejects_error(e.into()))?;

    let (sender, mut receiver) = mpsc::channel(BATCHES_AHEAD);
    let batch_size = options.batch_size.max(1);
    let reader = std::thread::Builder::new()
        .name("sirene-reader".into())
        .spawn(move || read_rows(lines, &layout, batch_size, &sender))
        .map_err(ImportError::Read)?;

    let mut report = ImportReport {
        counts: Counts::default(),
        batches: 0,
        last_line: 1,
        rejects: options.rejects.clone(),
    };
    let mut failure = None;
    while let Some(batch) = receiver.recv().await {
        let written = write_batch(store, cluster_id, &batch).await;
        let counts = match written {
            Ok(counts) => counts,
            Err(error) => {
                failure = Some((batch.first_line, Failure::Store(error)));
                break;
            }
        };
        if let Err(error) = write_rejects(&mut rejects, &batch.rejects) {
            failure = Some((batch.first_line, Failure::Rejects(error)));
            break;
        }
        report.counts.add(&counts);
        report.batches += u64::from(!batch.rows.is_empty());
        report.last_line = batch.last_line;
        progress(Progress {
            bytes: batch.end_offset,
            counts: report.counts,
        });
    }
    // Stops the reader if the writer gave up; it sees the closed channel at its next batch.
    drop(receiver);
    let read = tokio::task::spawn_blocking(move || reader.join())
        .await
        .map_err(|_| Failure::Reader)
        .and_then(|joined| joined.map_err(|_| Failure::Reader));
    if failure.is_none() {
        failure = match read {
            Ok(Ok(())) => None,
            Ok(Err(ReadFailure { line, error })) => Some((line, Failure::Read(error))),
            Err(failure) => Some((report.last_line + 1, failure)),
        };
    }
    if let Some((line, cause)) = failure {
        return Err(ImportError::Interrupted {
            line,
            report: Box::new(report),
            cause,
        });
    }
    Ok(report)
}

/// Writes one batch in one transaction; returns its counts.
async fn write_batch(store: &Store, cluster_id: Option<i64>, batch: &Batch) -> Result<Counts, StoreError> {
    let mut counts = Counts {
        read: batch.read,
        closed: batch.closed,
        rejected: batch.rejects.len() as u64,
        ..Counts::default()
    };
    if batch.rows.is_empty() {
        return Ok(counts);
    }
    let mut tx = store.begin().await?;
    let done = organisations::upsert_by_siret(&mut tx, &batch.rows, merge, AUDIT).await?;
    for upserted in &done {
        match upserted.outcome {
            Upsert::Created => counts.created += 1,
            Upsert::Updated => counts.updated += 1,
            Upsert::Unchanged => counts.unchanged += 1,
        }
    }
    if let Some(cluster_id) = cluster_id {
        let ids: Vec<i64> = done.iter().map(|u| u.id).collect();
        counts.joined_cluster = organisations::join_cluster(&mut tx, cluster_id, &ids, AUDIT)
            .await?
            .len() as u64;
    }
    tx.commit().await?;
    Ok(counts)
}

fn write_rejects(writer: &mut csv::Writer<BufWriter<File>>, rejects: &[Reject]) -> io::Result<()> {
    for reject in rejects {
        writer
            .write_record([reject.line.to_string().as_str(), &reject.siret, &reject.reason])
            .map_err(io::Error::other)?;
    }
    // Flushed with each batch, so the file always matches what is committed.
    writer.flush()
}

/// SIRENE owns identity, name, activity, address and headcount. What the organisation declared
/// itself (kind, turnover, balance sheet, website) stays, and the size is derived again from both.
fn merge(stored: &OrganisationFields, incoming: &OrganisationFields) -> OrganisationFields {
    let is_company = OrgKind::parse(&stored.kind).is_ok_and(|k| k == OrgKind::Company);
    let size = is_company.then(|| {
        let headcount = u32::try_from(incoming.headcount).unwrap_or(u32::MAX);
        let turnover = stored.turnover_eur.and_then(|v| u64::try_from(v).ok());
        let balance = stored.balance_sheet_eur.and_then(|v| u64::try_from(v).ok());
        size_category(headcount, turnover, balance).as_str().to_owned()
    });
    OrganisationFields {
        kind: stored.kind.clone(),
        turnover_eur: stored.turnover_eur,
        balance_sheet_eur: stored.balance_sheet_eur,
        website: stored.website.clone(),
        size,
        ..incoming.clone()
    }
}

fn organisation_fields(e: Establishment) -> OrganisationFields {
    OrganisationFields {
        legal_name: e.name,
        kind: e.kind.as_str().to_owned(),
        siren: e.siret.siren().as_str().to_owned(),
        siret: e.siret.as_str().to_owned(),
        naf_code: e.naf.as_str().to_owned(),
        address_line: e.address_line,
        postcode: e.postcode,
        commune_code: e.commune.code.to_owned(),
        department_code: e.commune.department_code.to_owned(),
        region_code: e.commune.region_code.to_owned(),
        headcount: i64::from(e.headcount),
        turnover_eur: None,
        balance_sheet_eur: None,
        size: e.size.map(|s| s.as_str().to_owned()),
        website: None,
    }
}

/// Rows read between two commits, with what became of those not written.
struct Batch {
    first_line: u64,
    last_line: u64,
    end_offset: u64,
    read: u64,
    closed: u64,
    rows: Vec<OrganisationFields>,
    rejects: Vec<Reject>,
}

impl Batch {
    fn starting_at(line: u64) -> Batch {
        Batch {
            first_line: line,
            last_line: line,
            end_offset: 0,
            read: 0,
            closed: 0,
            rows: Vec::new(),
            rejects: Vec::new(),
        }
    }
}

struct Reject {
    line: u64,
    siret: String,
    reason: String,
}

struct ReadFailure {
    line: u64,
    error: io::Error,
}

fn read_header<R: Read>(lines: &mut Lines<R>) -> Result<Layout, ImportError> {
    let mut buf = Vec::new();
    // Blank lines before the header are tolerated; a file with nothing else is empty.
    let line = loop {
        match lines.next(&mut buf).map_err(ImportError::Read)? {
            None => return Err(ImportError::Empty),
            Some(LineStatus::TooLong) => {
                return Err(ImportError::Header(format!("longer than {MAX_LINE_BYTES} bytes")));
            }
            Some(LineStatus::Complete) if is_blank(&buf) => continue,
            Some(LineStatus::Complete) => break &buf,
        }
    };
    let text = std::str::from_utf8(line)
        .map_err(|e| ImportError::Header(encoding_reason(line, &e)))?
        .trim_start_matches('\u{feff}');
    let mut fields = Vec::new();
    split_line(text, &mut fields).map_err(|e| ImportError::Header(e.to_string()))?;
    Layout::from_header(&fields).map_err(|missing| {
        let hint = if fields.len() == 1 && (text.contains(';') || text.contains('\t')) {
            " (this one seems separated by semicolons or tabs; SIRENE files use commas)"
        } else if fields
            .first()
            .is_some_and(|f| !f.is_empty() && f.bytes().all(|b| b.is_ascii_digit()))
        {
            " (this one looks like data: is the header row missing?)"
        } else {
            ""
        };
        ImportError::MissingColumns { missing, hint }
    })
}

/// The reader thread: parses and validates rows, hands batches to the writer.
fn read_rows<R: Read>(
    mut lines: Lines<R>,
    layout: &Layout,
    batch_size: usize,
    sender: &mpsc::Sender<Batch>,
) -> Result<(), ReadFailure> {
    // SIRET (as a number: 14 digits fit) → line of its first active row: a second one is rejected.
    let mut seen: HashMap<u64, u64> = HashMap::new();
    let mut buf = Vec::with_capacity(2048);
    let mut line_no = lines.line;
    let mut batch = Batch::starting_at(line_no + 1);
    loop {
        let status = match lines.next(&mut buf) {
            Ok(Some(status)) => status,
            Ok(None) => break,
            Err(error) => {
                let line = lines.line + 1;
                batch.end_offset = lines.offset;
                // What was read before the failure is still written.
                let _ = sender.blocking_send(batch);
                return Err(ReadFailure { line, error });
            }
        };
        line_no = lines.line;
        if status == LineStatus::Complete && is_blank(&buf) {
            continue;
        }
        batch.read += 1;
        batch.last_line = line_no;
        let mut fields = Vec::with_capacity(layout.width());
        match classify(status, &buf, layout, &mut fields) {
            Ok(Some(establishment)) => {
                let key = establishment.siret.as_str().parse::<u64>().unwrap_or_default();
                match seen.get(&key) {
                    Some(first) => batch.rejects.push(Reject {
                        line: line_no,
                        siret: establishment.siret.to_string(),
                        reason: format!("duplicate SIRET: already on line {first}"),
                    }),
                    None => {
                        seen.insert(key, line_no);
                        batch.rows.push(organisation_fields(establishment));
                    }
                }
            }
            Ok(None) => batch.closed += 1,
            Err((siret, reason)) => batch.rejects.push(Reject {
                line: line_no,
                siret,
                reason,
            }),
        }
        if batch.read >= batch_size as u64 {
            batch.end_offset = lines.offset;
            let next = Batch::starting_at(line_no + 1);
            if sender.blocking_send(std::mem::replace(&mut batch, next)).is_err() {
                return Ok(()); // the writer stopped and reports why
            }
        }
    }
    if batch.read > 0 {
        batch.end_offset = lines.offset;
        let _ = sender.blocking_send(batch);
    }
    Ok(())
}

/// One data line: an active establishment, `None` for a closed one, or (siret, reason) to reject.
fn classify<'a>(
    status: LineStatus,
    line: &'a [u8],
    layout: &Layout,
    fields: &mut Vec<Cow<'a, str>>,
) -> Result<Option<Establishment>, (String, String)> {
    if status == LineStatus::TooLong {
        return Err((String::new(), format!("line longer than {MAX_LINE_BYTES} bytes")));
    }
    let text = match std::str::from_utf8(line) {
        Ok(text) => text,
        Err(e) => {
            let lossy = String::from_utf8_lossy(line);
            let mut guess = Vec::new();
            let _ = split_line(&lossy, &mut guess);
            return Err((siret_guess(layout, &guess), encoding_reason(line, &e)));
        }
    };
    if let Err(e) = split_line(text, fields) {
        return Err((siret_guess(layout, fields), e.to_string()));
    }
    if fields.len() != layout.width() {
        let reason = format!(
            "wrong column count: {} fields, the header has {}",
            fields.len(),
            layout.width()
        );
        return Err((siret_guess(layout, fields), reason));
    }
    match layout.read(fields) {
        Row::Active(establishment) => Ok(Some(establishment)),
        Row::Closed => Ok(None),
        Row::Rejected(errors) => {
            let siret = fields[layout.siret_column()].trim().to_owned();
            Err((siret, Reasons(&errors).to_string()))
        }
    }
}

/// The `siret` field of a row that could not be read whole, when it at least looks like one.
fn siret_guess(layout: &Layout, fields: &[Cow<'_, str>]) -> String {
    fields
        .get(layout.siret_column())
        .map(|f| f.trim())
        .filter(|f| !f.is_empty() && f.bytes().all(|b| b.is_ascii_digit() || b == b' '))
        .map(str::to_owned)
        .unwrap_or_default()
}

fn encoding_reason(line: &[u8], error: &std::str::Utf8Error) -> String {
    let at = error.valid_up_to();
    format!(
        "invalid UTF-8: byte 0x{:02X} at position {} of the line (the file must be UTF-8; was it saved as Latin-1?)",
        line.get(at).copied().unwrap_or_default(),
        at + 1
    )
}

fn is_blank(line: &[u8]) -> bool {
    line.iter().all(u8::is_ascii_whitespace)
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum LineStatus {
    Complete,
    /// Longer than [`MAX_LINE_BYTES`]: skipped to its end, content dropped.
    TooLong,
}

/// Physical lines of the input with their numbers and byte offsets, never holding more than
/// [`MAX_LINE_BYTES`] of one line.
struct Lines<R> {
    reader: BufReader<R>,
    /// Number of the last line returned (1 for the header).
    line: u64,
    /// Bytes consumed so far.
    offset: u64,
}

impl<R: Read> Lines<R> {
    fn new(input: R) -> Lines<R> {
        Lines {
            reader: BufReader::with_capacity(1 << 20, input),
            line: 0,
            offset: 0,
        }
    }

    /// Reads the next line into `buf` without its `\n` or `\r\n`; `None` at the end of the input.
    fn next(&mut self, buf: &mut Vec<u8>) -> io::Result<Option<LineStatus>> {
        buf.clear();
        let mut any = false;
        let mut status = LineStatus::Complete;
        loop {
            let available = match self.reader.fill_buf() {
                Ok(available) => available,
                Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
                Err(e) => return Err(e),
            };
            if available.is_empty() {
                break;
            }
            any = true;
            let (chunk, used, done) = match available.iter().position(|&b| b == b'\n') {
                Some(i) => (&available[..i], i + 1, true),
                None => (available, available.len(), false),
            };
            if status == LineStatus::Complete {
                if buf.len() + chunk.len() > MAX_LINE_BYTES {
                    status = LineStatus::TooLong;
                    buf.clear();
                } else {
                    buf.extend_from_slice(chunk);
                }
            }
            self.reader.consume(used);
            self.offset += used as u64;
            if done {
                break;
            }
        }
        if !any {
            return Ok(None);
        }
        if buf.last() == Some(&b'\r') {
            buf.pop();
        }
        self.line += 1;
        Ok(Some(status))
    }
}

/// Why a line's quotes cannot be read; columns count from 1.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum QuoteError {
    Unclosed(usize),
    InsideUnquoted(usize),
    AfterClosing(usize),
}

impl fmt::Display for QuoteError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            QuoteError::Unclosed(c) => {
                write!(f, "broken quotes: the quoted field in column {c} is never closed")
            }
            QuoteError::InsideUnquoted(c) => {
                write!(
                    f,
                    "broken quotes: a quote inside the unquoted field in column {c}"
                )
            }
            QuoteError::AfterClosing(c) => {
                write!(f, "broken quotes: text after the closing quote in column {c}")
            }
        }
    }
}

/// Splits one line into comma-separated fields (RFC 4180: a quoted field may hold commas, and `""`
/// for a quote). Fields borrow from the line unless they hold an escaped quote. On error, `out`
/// holds the fields read before the broken one.
fn split_line<'a>(line: &'a str, out: &mut Vec<Cow<'a, str>>) -> Result<(), QuoteError> {
    out.clear();
    let bytes = line.as_bytes();
    let mut i = 0;
    loop {
        let column = out.len() + 1;
        if bytes.get(i) == Some(&b'"') {
            let mut start = i + 1;
            let mut unescaped: Option<String> = None;
            let close = loop {
                let Some(k) = bytes[start..].iter().position(|&b| b == b'"') else {
                    return Err(QuoteError::Unclosed(column));
                };
                let quote = start + k;
                if bytes.get(quote + 1) == Some(&b'"') {
                    unescaped
                        .get_or_insert_with(String::new)
                        .push_str(&line[start..=quote]);
                    start = quote + 2;
                } else {
                    break quote;
                }
            };
            out.push(match unescaped {
                Some(mut value) => {
                    value.push_str(&line[start..close]);
                    Cow::Owned(value)
                }
                None => Cow::Borrowed(&line[start..close]),
            });
            match bytes.get(close + 1) {
                None => return Ok(()),
                Some(b',') => i = close + 2,
                Some(_) => return Err(QuoteError::AfterClosing(column)),
            }
        } else {
            let end = bytes[i..]
                .iter()
                .position(|&b| b == b',')
                .map_or(bytes.len(), |k| i + k);
            let field = &line[i..end];
            if field.contains('"') {
                return Err(QuoteError::InsideUnquoted(column));
            }
            out.push(Cow::Borrowed(field));
            if end == bytes.len() {
                return Ok(());
            }
            i = end + 1;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn split(line: &str) -> Result<Vec<String>, QuoteError> {
        let mut out = Vec::new();
        split_line(line, &mut out).map(|()| out.iter().map(|f| f.to_string()).collect())
    }

    #[test]
    fn fields_split_on_commas_outside_quotes() {
        assert_eq!(split("a,b,,c").unwrap(), ["a", "b", "", "c"]);
        assert_eq!(split("").unwrap(), [""]);
        assert_eq!(split("a,").unwrap(), ["a", ""]);
        assert_eq!(split(r#""a, b",c"#).unwrap(), ["a, b", "c"]);
        assert_eq!(split(r#""say ""hi""","#).unwrap(), [r#"say "hi""#, ""]);
        assert_eq!(split(r#""""#).unwrap(), [""]);
        assert_eq!(split("é,ü").unwrap(), ["é", "ü"]);
    }

    #[test]
    fn broken_quotes_name_their_column() {
        assert_eq!(split(r#"a,"never closed"#), Err(QuoteError::Unclosed(2)));
        assert_eq!(split(r#"a,b"c"#), Err(QuoteError::InsideUnquoted(2)));
        assert_eq!(split(r#""a"b,c"#), Err(QuoteError::AfterClosing(1)));
        assert_eq!(
            QuoteError::Unclosed(20).to_string(),
            "broken quotes: the quoted field in column 20 is never closed"
        );
    }

    #[test]
    fn lines_end_at_newlines_and_over_long_lines_are_skipped() {
        let long = "x".repeat(MAX_LINE_BYTES + 10);
        let input = format!("a,b\r\n\nc\n{long}\nd");
        let mut lines = Lines::new(input.as_bytes());
        let mut buf = Vec::new();
        let mut seen = Vec::new();
        while let Some(status) = lines.next(&mut buf).unwrap() {
            seen.push((lines.line, status, String::from_utf8(buf.clone()).unwrap()));
        }
        assert_eq!(
            seen,
            [
                (1, LineStatus::Complete, "a,b".to_owned()),
                (2, LineStatus::Complete, String::new()),
                (3, LineStatus::Complete, "c".to_owned()),
                (4, LineStatus::TooLong, String::new()),
                (5, LineStatus::Complete, "d".to_owned()),
            ]
        );
        assert_eq!(lines.offset, input.len() as u64);
    }

    #[test]
    fn rejects_file_sits_beside_the_input() {
        assert_eq!(
            default_rejects_path(Path::new("data/StockEtablissement.csv")),
            PathBuf::from("data/StockEtablissement.rejects.csv")
        );
    }

    #[test]
    fn merge_keeps_declared_finances_and_derives_the_size_again() {
        let stored = OrganisationFields {
            legal_name: "Usinage Titane".into(),
            kind: "company".into(),
            siren: "732829320".into(),
            siret: "73282932000074".into(),
            naf_code: "25.62A".into(),
            address_line: String::new(),
            postcode: "31000".into(),
            commune_code: "31555".into(),
            department_code: "31".into(),
            region_code: "76".into(),
            headcount: 40,
            turnover_eur: Some(60_000_000),
            balance_sheet_eur: Some(50_000_000),
            size: Some("mid_cap".into()),
            website: Some("https://titane.example".into()),
        };
        let incoming = OrganisationFields {
            legal_name: "USINAGE TITANE".into(),
            headcount: 20,
            turnover_eur: None,
            balance_sheet_eur: None,
            size: Some("sme".into()),
            website: None,
            ..stored.clone()
        };
        let merged = merge(&stored, &incoming);
        assert_eq!(merged.legal_name, "USINAGE TITANE");
        assert_eq!(merged.headcount, 20);
        assert_eq!(merged.turnover_eur, Some(60_000_000));
        assert_eq!(merged.website.as_deref(), Some("https://titane.example"));
        assert_eq!(
            merged.size.as_deref(),
            Some("mid_cap"),
            "finances above the SME ceilings"
        );
        let lab = OrganisationFields {
            kind: "research_lab".into(),
            size: None,
            ..stored
        };
        assert_eq!(merge(&lab, &incoming).size, None);
        assert_eq!(merge(&lab, &incoming).kind, "research_lab");
    }
}
