#!/usr/bin/env bash
# Vendors the browser assets the pages use (htmx) from the npm registry into crates/web/static,
# so the product never loads anything from a CDN. Re-run to upgrade; commit the result.
set -euo pipefail
HTMX_VERSION="${HTMX_VERSION:-2.0.11}"
here="$(cd "$(dirname "$0")/.." && pwd)"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
(cd "$work" && npm pack --silent "htmx.org@${HTMX_VERSION}" >/dev/null && tar xzf htmx.org-*.tgz)
cp "$work/package/dist/htmx.min.js" "$here/crates/web/static/htmx.min.js"
echo "vendored htmx ${HTMX_VERSION} into crates/web/static/htmx.min.js"
