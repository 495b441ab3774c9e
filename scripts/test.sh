#!/usr/bin/env bash
# The whole test suite, as CI runs it: every crate, every test, both storage backends (SQLite and
# PostgreSQL) and the headless-browser test. Installs what is missing first (see
# scripts/install-test-deps.sh). Extra arguments go to `cargo test`, e.g. `scripts/test.sh -- --nocapture`.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

# The PostgreSQL server the storage tests create their throw-away databases on.
export PASSERELLE_TEST_DATABASE_URL="${PASSERELLE_TEST_DATABASE_URL:-postgres://postgres@127.0.0.1:5432/postgres}"

scripts/install-test-deps.sh

# The dev/test profile only (no --release): one build shared with `cargo clippy` and local work.
# --no-fail-fast: one run reports every failing test binary, not only the first.
exec cargo test --workspace --no-fail-fast "$@"
