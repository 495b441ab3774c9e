//! Runs the directory-search benchmark from the command line until the `passerelle bench
//! search` command calls it: `cargo run --release -p search --features bench --example
//! bench_search -- PROFILES QUERIES [SEED] [JSON_FILE]`.

use search::bench::{BenchOptions, try_run_bench};

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let number = |i: usize, default: u64| {
        args.get(i)
            .map(|a| a.replace('_', "").parse().expect("a number"))
            .unwrap_or(default)
    };
    let options = BenchOptions::new(
        number(0, 100_000) as usize,
        number(1, 2_000) as usize,
        number(2, 42),
    );
    let started = std::time::Instant::now();
    let report = try_run_bench(&options, &mut |phase| {
        eprintln!("[{:>7.1}s] {phase}", started.elapsed().as_secs_f64());
    })
    .unwrap_or_else(|e| {
        eprintln!("error: {e}");
        std::process::exit(1);
    });
    eprintln!(
        "{:<14} {:>6} {:>10} {:>10} {:>10} {:>10} {:>12} {:>12}",
        "kind", "n", "ours p50", "ours p99", "fts5 p50", "fts5 p99", "ours total", "fts5 total"
    );
    for k in &report.by_kind {
        eprintln!(
            "{:<14} {:>6} {:>10.2} {:>10.2} {:>10.2} {:>10.2} {:>12.0} {:>12.0}",
            k.kind,
            k.queries,
            k.passerelle_p50_ms,
            k.passerelle_p99_ms,
            k.fts5_p50_ms,
            k.fts5_p99_ms,
            k.passerelle_mean_total,
            k.fts5_mean_total
        );
    }
    let json = report.to_json();
    println!("{json}");
    if let Some(path) = args.get(3) {
        std::fs::write(path, format!("{json}\n")).expect("write the JSON file");
    }
}
