#!/usr/bin/env bash
# Makes sure what the test suite needs is present, installing only what is missing (idempotent):
#   - headless Chromium and chromedriver (Debian packages `chromium`, `chromium-driver`) for the
#     browser test in crates/web/tests/api/browser.rs;
#   - PostgreSQL answering on 127.0.0.1:5432, for the PostgreSQL half of the storage tests.
# Safe to run again and again: when everything is in place it changes nothing.
set -euo pipefail

log() { printf 'install-test-deps: %s\n' "$*"; }

# --- Chromium + chromedriver -------------------------------------------------------------------
missing=()
command -v chromium >/dev/null 2>&1 || missing+=(chromium)
command -v chromedriver >/dev/null 2>&1 || missing+=(chromium-driver)

if ((${#missing[@]} > 0)); then
    if ! command -v apt-get >/dev/null 2>&1; then
        log "missing ${missing[*]} and apt-get is not available: install them by hand" >&2
        exit 1
    fi
    sudo=()
    if [[ $(id -u) -ne 0 ]]; then
        command -v sudo >/dev/null 2>&1 || { log "need root (or sudo) to install ${missing[*]}" >&2; exit 1; }
        sudo=(sudo)
    fi
    log "installing ${missing[*]}"
    export DEBIAN_FRONTEND=noninteractive
    "${sudo[@]}" apt-get update -qq
    "${sudo[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}"
fi
log "$(chromium --version 2>/dev/null || echo 'chromium: version unknown')"
log "$(chromedriver --version 2>/dev/null || echo 'chromedriver: version unknown')"

# --- PostgreSQL on 127.0.0.1:5432 --------------------------------------------------------------
if pg_isready -q -h 127.0.0.1 -p 5432 2>/dev/null; then
    log "PostgreSQL answers on 127.0.0.1:5432"
else
    if ! command -v pg_ctlcluster >/dev/null 2>&1 || [[ ! -d /etc/postgresql ]]; then
        log "PostgreSQL is not installed (no pg_ctlcluster or /etc/postgresql)" >&2
        exit 1
    fi
    # The newest installed major version (a single one on this machine).
    version="$(ls /etc/postgresql | sort -V | tail -n 1)"
    log "starting PostgreSQL ${version}/main"
    # "already running" (exit 2) is fine: the loop below decides.
    pg_ctlcluster --skip-systemctl-redirect "${version}" main start || true
    for _ in $(seq 1 30); do
        pg_isready -q -h 127.0.0.1 -p 5432 2>/dev/null && break
        sleep 1
    done
    if ! pg_isready -h 127.0.0.1 -p 5432; then
        log "PostgreSQL did not answer on 127.0.0.1:5432 within 30 s" >&2
        exit 1
    fi
    log "PostgreSQL answers on 127.0.0.1:5432"
fi
