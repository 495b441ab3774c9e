//! `passerelle bench search` as a maintainer runs it: a small corpus gives every figure for both
//! engines in the agreed JSON; a meaningless size or an unwritable file is refused at once.
//! Figures are checked for shape only: timings are never asserted.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use serde_json::Value;

fn scratch() -> PathBuf {
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_nanos();
    let dir = std::env::temp_dir().join(format!(
        "passerelle-bench-search-test-{}-{nanos}",
        std::process::id()
    ));
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

fn bench_search(dir: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_passerelle"))
        .args(["bench", "search"])
        .args(args)
        .current_dir(dir)
        .env_remove("PASSERELLE_DATABASE_URL")
        .output()
        .expect("run passerelle")
}

fn stderr(output: &Output) -> String {
    String::from_utf8_lossy(&output.stderr).into_owned()
}

#[test]
fn a_small_run_reports_both_engines_in_the_agreed_json() {
    let dir = scratch();
    let json = dir.join("figures.json");
    let indexes = dir.join("indexes");
    let run = bench_search(
        &dir,
        &[
            "--profiles",
            "3000",
            "--queries",
            "200",
            "--seed",
            "7",
            "--scratch-dir",
            indexes.to_str().unwrap(),
            "--json",
            json.to_str().unwrap(),
        ],
    );
    assert!(run.status.success(), "{}", stderr(&run));
    let stdout = String::from_utf8_lossy(&run.stdout);
    for label in ["passerelle", "sqlite fts5", "p99 speedup"] {
        assert!(stdout.contains(label), "{label} in {stdout}");
    }

    let figures: Value = serde_json::from_str(&std::fs::read_to_string(&json).unwrap()).unwrap();
    assert_eq!(figures["profiles"], 3000, "{figures}");
    let positive = |value: &Value, name: &str| {
        let number = value
            .as_f64()
            .unwrap_or_else(|| panic!("{name} is not a number in {figures}"));
        assert!(number.is_finite() && number > 0.0, "{name} = {number}");
    };
    positive(&figures["p99_speedup"], "p99_speedup");
    for engine in ["passerelle", "fts5"] {
        for key in ["build_per_s", "p50_ms", "p95_ms", "p99_ms", "qps"] {
            positive(&figures[engine][key], &format!("{engine}.{key}"));
        }
    }
    // The indexes were built where asked, then removed.
    assert_eq!(std::fs::read_dir(&indexes).unwrap().count(), 0);
    std::fs::remove_dir_all(dir).unwrap();
}

#[test]
fn an_empty_corpus_or_no_queries_is_refused() {
    let dir = scratch();
    let json = dir.join("figures.json");
    for (args, named) in [
        (["--profiles", "0", "--queries", "10"], "--profiles"),
        (["--profiles", "100", "--queries", "0"], "--queries"),
    ] {
        let run = bench_search(&dir, &[&args[..], &["--json", json.to_str().unwrap()]].concat());
        assert!(!run.status.success(), "{args:?} was accepted");
        assert!(stderr(&run).contains(named), "{args:?}: {}", stderr(&run));
        assert!(!json.exists());
    }
    std::fs::remove_dir_all(dir).unwrap();
}

#[test]
fn an_unwritable_json_file_is_refused_before_the_run() {
    let dir = scratch();
    let missing_folder = dir.join("no-such-folder").join("figures.json");
    for path in [&missing_folder, &dir] {
        let run = bench_search(
            &dir,
            &[
                "--profiles",
                "3000",
                "--queries",
                "10",
                "--json",
                path.to_str().unwrap(),
            ],
        );
        assert!(!run.status.success(), "{} was accepted", path.display());
        let message = stderr(&run);
        assert!(message.contains("cannot write"), "{message}");
        assert!(message.contains(path.to_str().unwrap()), "{message}");
        assert!(!message.contains("indexing"), "the run started: {message}");
    }
    std::fs::remove_dir_all(dir).unwrap();
}
