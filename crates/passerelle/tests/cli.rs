//! The `passerelle` command as an operator meets it: clear messages and non-zero exit codes on
//! bad input, idempotent demo loading, and a server that answers and stops cleanly.

use std::path::PathBuf;
use std::process::{Command, Output};

fn passerelle(args: &[&str], dir: &std::path::Path) -> Output {
    Command::new(env!("CARGO_BIN_EXE_passerelle"))
        .args(args)
        .current_dir(dir)
        .env_remove("PASSERELLE_DATABASE_URL")
        .env_remove("PASSERELLE_ADDR")
        .output()
        .expect("run passerelle")
}

fn scratch() -> PathBuf {
    let dir = std::env::temp_dir().join(format!("passerelle-cli-{}-{}", std::process::id(), rand_suffix()));
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

fn rand_suffix() -> u128 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_nanos()
}

fn stderr(output: &Output) -> String {
    String::from_utf8_lossy(&output.stderr).into_owned()
}

#[test]
fn an_unsupported_database_url_is_refused_with_a_message() {
    let dir = scratch();
    let output = passerelle(&["migrate", "--database-url", "mysql://localhost/x"], &dir);
    assert_eq!(output.status.code(), Some(1));
    assert!(
        stderr(&output).contains("unsupported database URL scheme 'mysql'"),
        "{}",
        stderr(&output)
    );
}

#[test]
fn an_unknown_command_is_refused_by_the_parser() {
    let output = passerelle(&["frobnicate"], &scratch());
    assert_eq!(output.status.code(), Some(2));
    assert!(
        stderr(&output).contains("unrecognized subcommand"),
        "{}",
        stderr(&output)
    );
}

#[test]
fn a_malformed_configuration_file_is_refused_with_its_name() {
    let dir = scratch();
    std::fs::write(dir.join("passerelle.toml"), "addr = [not toml").unwrap();
    let output = passerelle(&["migrate"], &dir);
    assert_eq!(output.status.code(), Some(1));
    assert!(
        stderr(&output).contains("invalid configuration"),
        "{}",
        stderr(&output)
    );
}

#[test]
fn demo_loads_once_into_the_default_sqlite_file() {
    let dir = scratch();
    let first = passerelle(&["demo"], &dir);
    assert!(first.status.success(), "{}", stderr(&first));
    assert!(String::from_utf8_lossy(&first.stdout).contains("demo data loaded: 300 organisations"));
    assert!(
        dir.join("passerelle.db").exists(),
        "the default database is ./passerelle.db"
    );
    let second = passerelle(&["demo"], &dir);
    assert!(second.status.success(), "{}", stderr(&second));
    assert!(String::from_utf8_lossy(&second.stdout).contains("demo data already present: 300 organisations"));
    let _ = std::fs::remove_dir_all(dir);
}

#[test]
fn openapi_is_printed_as_json() {
    let output = passerelle(&["openapi"], &scratch());
    assert!(output.status.success());
    let document: serde_json::Value = serde_json::from_slice(&output.stdout).expect("JSON");
    assert!(document["paths"]["/api/v1/organisations/{id}"].is_object());
}

#[test]
fn a_port_already_taken_is_reported() {
    let taken = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let addr = taken.local_addr().unwrap().to_string();
    let dir = scratch();
    let output = passerelle(&["serve", "--addr", &addr], &dir);
    assert_eq!(output.status.code(), Some(1));
    assert!(
        stderr(&output).contains(&format!("cannot listen on {addr}")),
        "{}",
        stderr(&output)
    );
    let _ = std::fs::remove_dir_all(dir);
}

/// A raw HTTP GET, enough to probe the server without a client library.
fn http_get(addr: &str, path: &str) -> Option<String> {
    use std::io::{Read, Write};
    let mut stream = std::net::TcpStream::connect(addr).ok()?;
    stream
        .set_read_timeout(Some(std::time::Duration::from_secs(5)))
        .ok()?;
    write!(stream, "GET {path} HTTP/1.0\r\nHost: {addr}\r\n\r\n").ok()?;
    let mut response = String::new();
    stream.read_to_string(&mut response).ok()?;
    Some(response)
}

fn free_addr() -> String {
    let probe = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    probe.local_addr().unwrap().to_string()
}

/// Starts `serve --demo` on `database_url`, checks it answers, then stops it with SIGTERM.
fn serve_answers_and_stops_cleanly(database_url: &str) {
    let dir = scratch();
    let addr = free_addr();
    let child = Command::new(env!("CARGO_BIN_EXE_passerelle"))
        .args(["serve", "--demo", "--addr", &addr, "--database-url", database_url])
        .current_dir(&dir)
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .expect("start passerelle serve");
    let mut health = None;
    for _ in 0..100 {
        health = http_get(&addr, "/healthz");
        if health.is_some() {
            break;
        }
        std::thread::sleep(std::time::Duration::from_millis(100));
    }
    let health = health.expect("the server answers /healthz");
    assert!(
        health.starts_with("HTTP/1.0 200") || health.starts_with("HTTP/1.1 200"),
        "{health}"
    );
    let login = http_get(&addr, "/login").unwrap();
    assert!(
        login.contains("<form method=\"post\" action=\"/login\""),
        "{login}"
    );
    let openapi = http_get(&addr, "/api/openapi.json").unwrap();
    assert!(openapi.contains("\"openapi\""), "{openapi}");

    let killed = Command::new("kill")
        .args(["-TERM", &child.id().to_string()])
        .status()
        .unwrap();
    assert!(killed.success());
    let output = child.wait_with_output().unwrap();
    assert!(
        output.status.success(),
        "exit {:?}: {}",
        output.status,
        stderr(&output)
    );
    assert!(
        String::from_utf8_lossy(&output.stderr).contains("stopped cleanly")
            || String::from_utf8_lossy(&output.stdout).contains("stopped cleanly")
    );
    let _ = std::fs::remove_dir_all(dir);
}

#[test]
fn serve_on_sqlite_answers_and_stops_on_sigterm() {
    serve_answers_and_stops_cleanly("sqlite://passerelle.db");
}

#[tokio::test(flavor = "multi_thread")]
async fn serve_on_postgres_answers_and_stops_on_sigterm() {
    let Some(db) = store::testing::TestDatabase::postgres().await else {
        eprintln!("skipped: PostgreSQL half of serve (PASSERELLE_TEST_DATABASE_URL not set)");
        return;
    };
    let url = db.url.clone();
    tokio::task::spawn_blocking(move || serve_answers_and_stops_cleanly(&url))
        .await
        .unwrap();
    drop(db);
}

#[test]
fn index_rebuild_indexes_every_organisation() {
    let dir = scratch();
    let demo = passerelle(&["demo"], &dir);
    assert!(demo.status.success(), "{}", stderr(&demo));
    let rebuilt = passerelle(&["index", "rebuild"], &dir);
    assert!(rebuilt.status.success(), "{}", stderr(&rebuilt));
    let stdout = String::from_utf8_lossy(&rebuilt.stdout);
    assert!(stdout.contains("300 organisations"), "{stdout}");
    assert!(
        dir.join("passerelle-index").join("passerelle-watermark").exists(),
        "the rebuild records the index's place in the change log beside it"
    );
}

#[test]
fn index_rebuild_reports_an_unusable_index_folder() {
    let dir = scratch();
    std::fs::write(dir.join("not-a-folder"), "x").unwrap();
    let output = Command::new(env!("CARGO_BIN_EXE_passerelle"))
        .args(["index", "rebuild"])
        .current_dir(&dir)
        .env_remove("PASSERELLE_DATABASE_URL")
        .env("PASSERELLE_INDEX_DIR", dir.join("not-a-folder"))
        .output()
        .expect("run passerelle");
    assert_eq!(output.status.code(), Some(1));
    assert!(stderr(&output).contains("search index"), "{}", stderr(&output));
}
