//! The SIRENE import as an operator meets it: a small file in the INSEE layout with good and bad
//! rows, imported twice, into a cluster, with broken files and a failure half-way.

use std::io::Read;
use std::path::{Path, PathBuf};
use std::sync::Mutex;

use app::sirene::{self, Counts, ImportError, ImportOptions, ImportReport};
use store::testing::TestDatabase;
use store::{Backend, Store, clusters, organisations};

const SAMPLE: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/sirene_sample.csv");

/// What the sample holds: 15 rows, 6 good ones, 1 closed, 8 bad ones.
const SAMPLE_COUNTS: Counts = Counts {
    read: 15,
    created: 6,
    updated: 0,
    unchanged: 0,
    closed: 1,
    rejected: 8,
    joined_cluster: 0,
};

/// Runs each named story on SQLite, and on PostgreSQL when `PASSERELLE_TEST_DATABASE_URL` is set.
macro_rules! on_both_backends {
    ($($story:ident),* $(,)?) => {
        mod sqlite {
            $(#[tokio::test] async fn $story() { super::$story(store::Backend::Sqlite).await })*
        }
        mod postgres {
            $(#[tokio::test] async fn $story() { super::$story(store::Backend::Postgres).await })*
        }
    };
}

on_both_backends!(
    importing_the_sample_keeps_good_rows_and_reports_every_bad_one,
    importing_the_same_file_again_changes_nothing,
    an_edited_file_updates_what_sirene_owns_and_keeps_what_members_declared,
    the_cluster_option_makes_imported_organisations_members,
    an_unknown_cluster_or_a_bad_header_writes_nothing,
    batch_size_changes_nothing_but_the_number_of_transactions,
    a_database_failure_mid_file_keeps_the_earlier_batches_and_says_so,
    a_read_error_mid_file_keeps_what_was_read_before,
    windows_line_endings_and_a_byte_order_mark_read_the_same,
);

async fn database(backend: Backend) -> Option<TestDatabase> {
    let db = TestDatabase::of(backend).await;
    if db.is_none() {
        eprintln!("skipped: no {} test database configured", backend.as_str());
    }
    db
}

/// A fresh folder for the rejects file and edited copies of the sample.
fn scratch() -> PathBuf {
    static COUNTER: std::sync::atomic::AtomicU32 = std::sync::atomic::AtomicU32::new(0);
    let n = COUNTER.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .subsec_nanos();
    let dir = std::env::temp_dir().join(format!("passerelle-sirene-{}-{n}-{nanos}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

fn options(dir: &Path) -> ImportOptions {
    ImportOptions::new(dir.join("rejects.csv"))
}

async fn import(store: &Store, file: &Path, options: &ImportOptions) -> Result<ImportReport, ImportError> {
    sirene::import_file(store, file, options, &|_| {}).await
}

fn sample_bytes() -> Vec<u8> {
    std::fs::read(SAMPLE).unwrap()
}

/// The sample with `from` replaced by `to` (bytes, since one row is not UTF-8 on purpose).
fn edited(dir: &Path, name: &str, edits: &[(&str, &str)]) -> PathBuf {
    let mut bytes = sample_bytes();
    for (from, to) in edits {
        let at = bytes
            .windows(from.len())
            .position(|w| w == from.as_bytes())
            .unwrap_or_else(|| panic!("{from} not in the sample"));
        bytes.splice(at..at + from.len(), to.bytes());
    }
    let path = dir.join(name);
    std::fs::write(&path, bytes).unwrap();
    path
}

/// The rejects file as (line, siret, reason) rows, header checked.
fn rejects(path: &Path) -> Vec<(u64, String, String)> {
    let mut reader = csv::Reader::from_path(path).unwrap();
    assert_eq!(reader.headers().unwrap(), vec!["line", "siret", "reason"]);
    reader
        .records()
        .map(|r| {
            let r = r.unwrap();
            (r[0].parse().unwrap(), r[1].to_owned(), r[2].to_owned())
        })
        .collect()
}

async fn organisation(store: &Store, siret: &str) -> Option<store::records::Organisation> {
    let mut conn = store.conn().await.unwrap();
    organisations::by_siret(&mut conn, siret).await.unwrap()
}

async fn organisation_count(store: &Store) -> i64 {
    let mut conn = store.conn().await.unwrap();
    organisations::count(&mut conn).await.unwrap()
}

async fn importing_the_sample_keeps_good_rows_and_reports_every_bad_one(backend: Backend) {
    let Some(db) = database(backend).await else { return };
    let dir = scratch();
    let report = import(&db.store, Path::new(SAMPLE), &options(&dir))
        .await
        .unwrap();
    assert_eq!(report.counts, SAMPLE_COUNTS);
    assert_eq!(report.batches, 1);
    assert_eq!(report.last_line, 16);
    assert_eq!(report.rejects, dir.join("rejects.csv"));
    assert_eq!(organisation_count(&db.store).await, 6);

    let titane = organisation(&db.store, "52601815500014").await.unwrap();
    assert_eq!(titane.legal_name, "USINAGE TITANE OCCITANIE");
    assert_eq!(titane.kind, "company");
    assert_eq!(titane.siren, "526018155");
    assert_eq!(titane.naf_code, "25.62A");
    assert_eq!(titane.address_line, "12 BIS AVENUE DES MINIMES");
    assert_eq!(
        (titane.postcode.as_str(), titane.commune_code.as_str()),
        ("31200", "31555")
    );
    assert_eq!(
        (titane.department_code.as_str(), titane.region_code.as_str()),
        ("31", "76")
    );
    assert_eq!(titane.headcount, 20, "band 12 (20 to 49) counts its lower bound");
    assert_eq!(titane.size.as_deref(), Some("sme"));
    assert_eq!(titane.turnover_eur, None);

    let sign = organisation(&db.store, "13186091800013").await.unwrap();
    assert_eq!(
        sign.legal_name, "BUREAU D'ETUDES RHONE",
        "no legal name: the sign"
    );
    assert_eq!(sign.size.as_deref(), Some("mid_cap"), "band 32: 250 persons");
    let quoted = organisation(&db.store, "39099603100014").await.unwrap();
    assert_eq!(quoted.legal_name, r#"AERO, COMPOSITES & "CIE""#);
    let large = organisation(&db.store, "13186091800021").await.unwrap();
    assert_eq!((large.headcount, large.size.as_deref()), (10_000, Some("large")));
    let masked = organisation(&db.store, "39099603100022").await.unwrap();
    assert_eq!(
        (masked.address_line.as_str(), masked.postcode.as_str()),
        ("", "33000")
    );
    assert!(
        organisation(&db.store, "08246281300013").await.is_none(),
        "closed: skipped"
    );

    let rejects = rejects(&report.rejects);
    let expected: [(u64, &str, &str); 8] = [
        (7, "94821993600011", "SIRET 94821993600011 fails the Luhn check"),
        (8, "51819093900018", "unknown NAF code 99.99Z"),
        (
            9,
            "78657975500012",
            "invalid UTF-8: byte 0xE9 at position 115 of the line (the file must be UTF-8; was it saved as Latin-1?)",
        ),
        (
            10,
            "43231948100011",
            "broken quotes: the quoted field in column 20 is never closed",
        ),
        (
            11,
            "75749118800012",
            "wrong column count: 19 fields, the header has 20",
        ),
        (12, "52601815500022", "unknown commune code 99999"),
        (
            13,
            "90830166600024",
            "activity code in nomenclature NAFRev1: only NAFRev2 is supported",
        ),
        (15, "52601815500014", "duplicate SIRET: already on line 2"),
    ];
    let expected: Vec<(u64, String, String)> = expected
        .iter()
        .map(|(l, s, r)| (*l, (*s).to_owned(), (*r).to_owned()))
        .collect();
    assert_eq!(rejects, expected);
}

async fn importing_the_same_file_again_changes_nothing(backend: Backend) {
    let Some(db) = database(backend).await else { return };
    let dir = scratch();
    import(&db.store, Path::new(SAMPLE), &options(&dir))
        .await
        .unwrap();
    let before = organisation(&db.store, "52601815500014").await.unwrap();
    let again = import(&db.store, Path::new(SAMPLE), &options(&dir))
        .await
        .unwrap();
    assert_eq!(
        again.counts,
        Counts {
            created: 0,
            unchanged: 6,
            ..SAMPLE_COUNTS
        }
    );
    assert_eq!(again.batches, 1);
    assert_eq!(organisation_count(&db.store).await, 6);
    let after = organisation(&db.store, "52601815500014").await.unwrap();
    assert_eq!(after, before, "not even updated_at moves");
    let mut conn = db.store.conn().await.unwrap();
    let trail = store::audit::of_entity(&mut conn, "organisation", after.id)
        .await
        .unwrap();
    assert_eq!(trail.len(), 1, "one audit entry, from the first import");
    assert_eq!(trail[0].action, sirene::AUDIT_ACTION);
    assert_eq!(rejects(&again.rejects).len(), 8, "rewritten, not appended");
}

async fn an_edited_file_updates_what_sirene_owns_and_keeps_what_members_declared(backend: Backend) {
    let Some(db) = database(backend).await else { return };
    let dir = scratch();
    import(&db.store, Path::new(SAMPLE), &options(&dir))
        .await
        .unwrap();
    // A member declared its finances and website since: above the SME ceilings, so an ETI.
    let declared = {
        let mut conn = db.store.conn().await.unwrap();
        let mut org = organisations::by_siret(&mut conn, "90830166600016")
            .await
            .unwrap()
            .unwrap();
        org.fields.turnover_eur = Some(80_000_000);
        org.fields.balance_sheet_eur = Some(60_000_000);
        org.fields.website = Some("https://logiciels-du-sud.example".into());
        org.fields.size = Some("mid_cap".into());
        organisations::update(&mut conn, org.id, &org.fields)
            .await
            .unwrap();
        org
    };
    let file = edited(
        &dir,
        "edited.csv",
        &[
            ("LOGICIELS DU SUD", "LOGICIELS DU SUD SAS"),
            (
                "31200,TOULOUSE,31555,A,,,25.62A",
                "31200,TOULOUSE,31555,A,,,25.62B",
            ),
        ],
    );
    let report = import(&db.store, &file, &options(&dir)).await.unwrap();
    assert_eq!(
        report.counts,
        Counts {
            created: 0,
            updated: 2,
            unchanged: 4,
            ..SAMPLE_COUNTS
        }
    );
    let logiciels = organisation(&db.store, "90830166600016").await.unwrap();
    assert_eq!(logiciels.legal_name, "LOGICIELS DU SUD SAS");
    assert_eq!(logiciels.turnover_eur, Some(80_000_000));
    assert_eq!(logiciels.balance_sheet_eur, Some(60_000_000));
    assert_eq!(
        logiciels.website.as_deref(),
        Some("https://logiciels-du-sud.example")
    );
    assert_eq!(logiciels.size.as_deref(), Some("mid_cap"));
    assert_eq!(logiciels.id, declared.id);
    assert_eq!(
        organisation(&db.store, "52601815500014").await.unwrap().naf_code,
        "25.62B"
    );
}

async fn the_cluster_option_makes_imported_organisations_members(backend: Backend) {
    let Some(db) = database(backend).await else { return };
    let dir = scratch();
    let cluster_id = {
        let mut conn = db.store.conn().await.unwrap();
        clusters::insert(&mut conn, "Pôle Aéro", "pole-aero")
            .await
            .unwrap()
    };
    let mut into_cluster = options(&dir);
    into_cluster.cluster = Some("pole-aero".into());
    // Imported without the cluster first: the second import adds the memberships only.
    import(&db.store, Path::new(SAMPLE), &options(&dir))
        .await
        .unwrap();
    let report = import(&db.store, Path::new(SAMPLE), &into_cluster).await.unwrap();
    assert_eq!(report.counts.unchanged, 6);
    assert_eq!(report.counts.joined_cluster, 6);
    let mut conn = db.store.conn().await.unwrap();
    assert_eq!(clusters::count_members(&mut conn, cluster_id).await.unwrap(), 6);
    let members = organisations::list_members(&mut conn, cluster_id, "titane", 0, 10)
        .await
        .unwrap();
    assert_eq!(members.items[0].siret, "52601815500014");
    drop(conn);

    let again = import(&db.store, Path::new(SAMPLE), &into_cluster).await.unwrap();
    assert_eq!(again.counts.joined_cluster, 0, "already members");
}

async fn an_unknown_cluster_or_a_bad_header_writes_nothing(backend: Backend) {
    let Some(db) = database(backend).await else { return };
    let dir = scratch();
    let mut unknown = options(&dir);
    unknown.cluster = Some("nulle-part".into());
    let error = import(&db.store, Path::new(SAMPLE), &unknown).await.unwrap_err();
    assert_eq!(error.to_string(), "unknown cluster 'nulle-part'");

    let no_state = edited(
        &dir,
        "no-state.csv",
        &[("etatAdministratifEtablissement", "etat")],
    );
    let error = import(&db.store, &no_state, &options(&dir)).await.unwrap_err();
    assert_eq!(
        error.to_string(),
        "missing required SIRENE column(s): etatAdministratifEtablissement; the first line must be the SIRENE header row"
    );

    let headless = dir.join("headless.csv");
    let bytes = sample_bytes();
    let first_newline = bytes.iter().position(|&b| b == b'\n').unwrap();
    std::fs::write(&headless, &bytes[first_newline + 1..]).unwrap();
    let error = import(&db.store, &headless, &options(&dir)).await.unwrap_err();
    assert!(matches!(error, ImportError::MissingColumns { .. }), "{error:?}");
    assert!(
        error
            .to_string()
            .ends_with("(this one looks like data: is the header row missing?)"),
        "{error}"
    );

    let empty = dir.join("empty.csv");
    std::fs::write(&empty, "\n\n").unwrap();
    let error = import(&db.store, &empty, &options(&dir)).await.unwrap_err();
    assert_eq!(
        error.to_string(),
        "the file is empty: expected a header row naming the SIRENE columns"
    );

    let missing = import(&db.store, &dir.join("absent.csv"), &options(&dir))
        .await
        .unwrap_err();
    assert!(matches!(missing, ImportError::Open { .. }), "{missing:?}");

    assert_eq!(organisation_count(&db.store).await, 0);
    assert!(!dir.join("rejects.csv").exists(), "no rejects file either");
}

async fn batch_size_changes_nothing_but_the_number_of_transactions(backend: Backend) {
    let Some(db) = database(backend).await else { return };
    let dir = scratch();
    let mut small = options(&dir);
    small.batch_size = 4;
    let seen = Mutex::new(Vec::new());
    let report = sirene::import_file(&db.store, Path::new(SAMPLE), &small, &|p| {
        seen.lock().unwrap().push(p)
    })
    .await
    .unwrap();
    assert_eq!(report.counts, SAMPLE_COUNTS);
    // Lines 2-5, 6-9, 10-13, 14-16: the middle two hold no good row, so they need no transaction.
    assert_eq!(report.batches, 2);
    let seen = seen.into_inner().unwrap();
    assert_eq!(seen.len(), 4);
    assert!(seen.windows(2).all(|w| w[0].bytes < w[1].bytes));
    assert_eq!(seen[3].bytes, sample_bytes().len() as u64);
    assert_eq!(seen[0].counts.read, 4);
    assert_eq!(seen[3].counts, SAMPLE_COUNTS);
    assert_eq!(rejects(&report.rejects).len(), 8);
}

async fn a_database_failure_mid_file_keeps_the_earlier_batches_and_says_so(backend: Backend) {
    let Some(db) = database(backend).await else { return };
    let dir = scratch();
    // The large account on line 14 cannot be written: the fourth batch fails.
    let refuse = match backend {
        Backend::Sqlite => {
            "CREATE TRIGGER refuse BEFORE INSERT ON organisations WHEN NEW.siret = '13186091800021' \
             BEGIN SELECT RAISE(ABORT, 'refused by the test'); END;"
        }
        Backend::Postgres => {
            "CREATE FUNCTION refuse() RETURNS trigger AS $$ BEGIN \
             IF NEW.siret = '13186091800021' THEN RAISE EXCEPTION 'refused by the test'; END IF; \
             RETURN NEW; END $$ LANGUAGE plpgsql; \
             CREATE TRIGGER refuse BEFORE INSERT ON organisations FOR EACH ROW EXECUTE FUNCTION refuse();"
        }
    };
    {
        let mut conn = db.store.conn().await.unwrap();
        sqlx::raw_sql(refuse).execute(&mut *conn).await.unwrap();
    }
    let mut small = options(&dir);
    small.batch_size = 4;
    let error = import(&db.store, Path::new(SAMPLE), &small).await.unwrap_err();
    let ImportError::Interrupted { line, report, .. } = &error else {
        panic!("{error:?}")
    };
    assert_eq!(*line, 14);
    assert_eq!(report.last_line, 13);
    assert_eq!(report.batches, 1, "lines 6 to 13 needed no transaction");
    assert_eq!(report.counts.created, 4);
    assert_eq!(report.counts.read, 12);
    let message = error.to_string();
    assert!(
        message.starts_with(
            "import stopped at line 14; the lines before it are committed (1 transaction(s) up to line 13: 4 created"
        ),
        "{message}"
    );
    assert_eq!(organisation_count(&db.store).await, 4, "earlier batches stay");
    let lines: Vec<u64> = rejects(&report.rejects).iter().map(|r| r.0).collect();
    assert_eq!(
        lines,
        [7, 8, 9, 10, 11, 12, 13],
        "rejects of the committed lines only"
    );
}

/// Yields `limit` bytes of `inner`, then fails as a dying disk would.
struct FailingAfter<R> {
    inner: R,
    limit: usize,
}

impl<R: Read> Read for FailingAfter<R> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        if self.limit == 0 {
            return Err(std::io::Error::other("disk on fire"));
        }
        let n = buf.len().min(self.limit);
        let n = self.inner.read(&mut buf[..n])?;
        self.limit -= n;
        Ok(n)
    }
}

async fn a_read_error_mid_file_keeps_what_was_read_before(backend: Backend) {
    let Some(db) = database(backend).await else { return };
    let dir = scratch();
    let bytes = sample_bytes();
    // Cut right after line 5, the last of the quoted-name row.
    let cut = bytes
        .iter()
        .enumerate()
        .filter(|(_, b)| **b == b'\n')
        .nth(4)
        .map(|(i, _)| i + 1)
        .unwrap();
    let input = FailingAfter {
        inner: std::io::Cursor::new(bytes),
        limit: cut,
    };
    let error = sirene::import(&db.store, input, &options(&dir), &|_| {})
        .await
        .unwrap_err();
    let ImportError::Interrupted { line, report, .. } = &error else {
        panic!("{error:?}")
    };
    assert_eq!(*line, 6);
    assert_eq!(report.counts.created, 4);
    assert_eq!(report.last_line, 5);
    assert_eq!(organisation_count(&db.store).await, 4);
    let chain = anyhow_like(&error);
    assert!(chain.contains("disk on fire"), "{chain}");
}

/// The error with its causes, as the CLI prints them.
fn anyhow_like(error: &dyn std::error::Error) -> String {
    let mut out = error.to_string();
    let mut source = error.source();
    while let Some(cause) = source {
        out.push_str(": ");
        out.push_str(&cause.to_string());
        source = cause.source();
    }
    out
}

async fn windows_line_endings_and_a_byte_order_mark_read_the_same(backend: Backend) {
    let Some(db) = database(backend).await else { return };
    let dir = scratch();
    let mut bytes = "\u{feff}".as_bytes().to_vec();
    for &b in &sample_bytes() {
        if b == b'\n' {
            bytes.push(b'\r');
        }
        bytes.push(b);
    }
    let file = dir.join("windows.csv");
    std::fs::write(&file, bytes).unwrap();
    let report = import(&db.store, &file, &options(&dir)).await.unwrap();
    assert_eq!(report.counts, SAMPLE_COUNTS);
    let quoted = organisation(&db.store, "39099603100014").await.unwrap();
    assert_eq!(quoted.legal_name, r#"AERO, COMPOSITES & "CIE""#);
    assert_eq!(rejects(&report.rejects).len(), 8);
}
