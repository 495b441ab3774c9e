//! `passerelle import sirene` as an operator meets it: exit codes and messages for a wrong file or
//! cluster, the summary of counts, the rejects file beside the input, and a quiet re-import.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use store::{Store, clusters, organisations};

const SAMPLE: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/../app/tests/fixtures/sirene_sample.csv"
);

fn passerelle(args: &[&str], dir: &Path) -> Output {
    Command::new(env!("CARGO_BIN_EXE_passerelle"))
        .args(args)
        .current_dir(dir)
        .env_remove("PASSERELLE_DATABASE_URL")
        .output()
        .expect("run passerelle")
}

/// A fresh working directory holding a copy of the sample as `sirene.csv`.
fn scratch() -> PathBuf {
    static COUNTER: std::sync::atomic::AtomicU32 = std::sync::atomic::AtomicU32::new(0);
    let n = COUNTER.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .subsec_nanos();
    let dir = std::env::temp_dir().join(format!("passerelle-import-{}-{n}-{nanos}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::copy(SAMPLE, dir.join("sirene.csv")).unwrap();
    dir
}

fn stdout(output: &Output) -> String {
    String::from_utf8_lossy(&output.stdout).into_owned()
}

fn stderr(output: &Output) -> String {
    String::from_utf8_lossy(&output.stderr).into_owned()
}

/// The count printed on the summary line `label`.
fn count(output: &Output, label: &str) -> u64 {
    stdout(output)
        .lines()
        .find_map(|line| {
            let mut words = line.split_whitespace();
            (words.next() == Some(label)).then(|| words.next().unwrap().parse().unwrap())
        })
        .unwrap_or_else(|| panic!("no '{label}' line in:\n{}", stdout(output)))
}

async fn sqlite_store(dir: &Path) -> Store {
    let store = Store::connect(&format!("sqlite://{}", dir.join("passerelle.db").display()))
        .await
        .unwrap();
    store.migrate().await.unwrap();
    store
}

#[test]
fn a_missing_file_is_refused_with_its_name_and_creates_nothing() {
    let dir = scratch();
    let output = passerelle(&["import", "sirene", "absent.csv"], &dir);
    assert_eq!(output.status.code(), Some(1));
    assert_eq!(
        stderr(&output).trim(),
        "error: cannot open absent.csv: No such file or directory (os error 2)"
    );
    assert!(!dir.join("passerelle.db").exists(), "not even the database");
    assert!(!dir.join("absent.rejects.csv").exists());
}

#[test]
fn a_file_without_the_required_columns_is_refused_naming_them() {
    let dir = scratch();
    std::fs::write(
        dir.join("other.csv"),
        "siren,siret,denominationUniteLegale\n732829320,73282932000074,ACME\n",
    )
    .unwrap();
    let output = passerelle(&["import", "sirene", "other.csv"], &dir);
    assert_eq!(output.status.code(), Some(1));
    assert_eq!(
        stderr(&output).trim(),
        "error: SIRENE import of other.csv failed: missing required SIRENE column(s): \
         activitePrincipaleEtablissement, trancheEffectifsEtablissement, codeCommuneEtablissement, \
         etatAdministratifEtablissement; the first line must be the SIRENE header row"
    );
    assert!(!dir.join("other.rejects.csv").exists());

    std::fs::write(dir.join("semicolons.csv"), "siren;siret;etat\n1;2;A\n").unwrap();
    let output = passerelle(&["import", "sirene", "semicolons.csv"], &dir);
    assert_eq!(output.status.code(), Some(1));
    assert!(
        stderr(&output).contains("seems separated by semicolons"),
        "{}",
        stderr(&output)
    );
}

#[test]
fn an_empty_file_or_one_without_its_header_is_refused() {
    let dir = scratch();
    std::fs::write(dir.join("empty.csv"), "").unwrap();
    let output = passerelle(&["import", "sirene", "empty.csv"], &dir);
    assert_eq!(output.status.code(), Some(1));
    assert!(
        stderr(&output).contains("the file is empty: expected a header row naming the SIRENE columns"),
        "{}",
        stderr(&output)
    );

    let without_header = std::fs::read(dir.join("sirene.csv")).unwrap();
    let first_newline = without_header.iter().position(|&b| b == b'\n').unwrap();
    std::fs::write(dir.join("headless.csv"), &without_header[first_newline + 1..]).unwrap();
    let output = passerelle(&["import", "sirene", "headless.csv"], &dir);
    assert_eq!(output.status.code(), Some(1));
    assert!(
        stderr(&output).contains("(this one looks like data: is the header row missing?)"),
        "{}",
        stderr(&output)
    );
    assert!(!dir.join("headless.rejects.csv").exists());
}

#[tokio::test(flavor = "multi_thread")]
async fn an_unknown_cluster_is_refused_before_anything_is_written() {
    let dir = scratch();
    let output = passerelle(
        &["import", "sirene", "sirene.csv", "--cluster", "nulle-part"],
        &dir,
    );
    assert_eq!(output.status.code(), Some(1));
    assert_eq!(
        stderr(&output).trim(),
        "error: SIRENE import of sirene.csv failed: unknown cluster 'nulle-part'"
    );
    assert!(!dir.join("sirene.rejects.csv").exists());
    let store = sqlite_store(&dir).await;
    let mut conn = store.conn().await.unwrap();
    assert_eq!(organisations::count(&mut conn).await.unwrap(), 0);
}

#[test]
fn the_sample_is_imported_with_counts_and_a_rejects_file_then_reimported_unchanged() {
    let dir = scratch();
    let output = passerelle(&["import", "sirene", "sirene.csv"], &dir);
    assert!(output.status.success(), "{}", stderr(&output));
    assert_eq!(
        ["read", "created", "updated", "unchanged", "closed", "rejected"].map(|label| count(&output, label)),
        [15, 6, 0, 0, 1, 8]
    );
    assert!(
        stdout(&output).contains("closed             1 (skipped)"),
        "{}",
        stdout(&output)
    );
    // Not a terminal: no progress bar, nothing on stderr.
    assert_eq!(stderr(&output), "");
    let rejects = dir.join("sirene.rejects.csv");
    assert!(
        stdout(&output).contains(&format!("rejects: {}", Path::new("sirene.rejects.csv").display())),
        "{}",
        stdout(&output)
    );
    let content = std::fs::read_to_string(&rejects).unwrap();
    let lines: Vec<&str> = content.lines().collect();
    assert_eq!(lines.len(), 9, "{content}");
    assert_eq!(lines[0], "line,siret,reason");
    assert_eq!(
        lines[1],
        "7,94821993600011,SIRET 94821993600011 fails the Luhn check"
    );
    assert_eq!(
        lines[5],
        "11,75749118800012,\"wrong column count: 19 fields, the header has 20\""
    );
    assert_eq!(lines[8], "15,52601815500014,duplicate SIRET: already on line 2");

    let again = passerelle(
        &["import", "sirene", "sirene.csv", "--rejects", "again.csv"],
        &dir,
    );
    assert!(again.status.success(), "{}", stderr(&again));
    assert_eq!(count(&again, "created"), 0);
    assert_eq!(count(&again, "unchanged"), 6);
    assert_eq!(count(&again, "rejected"), 8);
    assert_eq!(std::fs::read_to_string(dir.join("again.csv")).unwrap(), content);
}

#[tokio::test(flavor = "multi_thread")]
async fn the_cluster_option_makes_the_imported_organisations_members() {
    let dir = scratch();
    let store = sqlite_store(&dir).await;
    let cluster_id = {
        let mut conn = store.conn().await.unwrap();
        clusters::insert(&mut conn, "Pôle Aéro", "pole-aero")
            .await
            .unwrap()
    };
    let output = passerelle(
        &["import", "sirene", "sirene.csv", "--cluster", "pole-aero"],
        &dir,
    );
    assert!(output.status.success(), "{}", stderr(&output));
    assert!(
        stdout(&output).contains("(new members of pole-aero)"),
        "{}",
        stdout(&output)
    );
    assert_eq!(count(&output, "joined"), 6);
    let mut conn = store.conn().await.unwrap();
    assert_eq!(clusters::count_members(&mut conn, cluster_id).await.unwrap(), 6);
}

#[tokio::test(flavor = "multi_thread")]
async fn importing_into_postgresql_gives_the_same_counts() {
    let Some(db) = store::testing::TestDatabase::postgres().await else {
        eprintln!("skipped: PostgreSQL half of the import CLI (PASSERELLE_TEST_DATABASE_URL not set)");
        return;
    };
    let dir = scratch();
    let url = db.url.clone();
    let output = tokio::task::spawn_blocking(move || {
        passerelle(&["import", "sirene", "sirene.csv", "--database-url", &url], &dir)
    })
    .await
    .unwrap();
    assert!(output.status.success(), "{}", stderr(&output));
    assert_eq!(count(&output, "created"), 6);
    assert_eq!(count(&output, "rejected"), 8);
    let mut conn = db.store.conn().await.unwrap();
    assert_eq!(organisations::count(&mut conn).await.unwrap(), 6);
}
