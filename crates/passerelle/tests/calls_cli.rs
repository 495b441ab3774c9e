//! `passerelle calls close-due` as an operator's cron job runs it: it closes what is due, says
//! so, and fails with a message and exit code 1 when the database cannot be opened.

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

fn scratch() -> std::path::PathBuf {
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_nanos();
    let dir = std::env::temp_dir().join(format!("passerelle-calls-{}-{nanos}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

#[test]
fn close_due_reports_what_it_closed_and_fails_on_a_bad_database() {
    let dir = scratch();
    let output = passerelle(&["calls", "close-due"], &dir);
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    assert_eq!(String::from_utf8_lossy(&output.stdout), "calls: none due\n");

    let output = passerelle(
        &["calls", "close-due", "--database-url", "mysql://localhost/x"],
        &dir,
    );
    assert_eq!(output.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&output.stderr).contains("unsupported database URL scheme"));
}
