#!/usr/bin/env bash
# Copies the Open Contracting Data Standard 1.1.5 schemas the OCDS export is validated against
# (release-package-schema.json and release-schema.json, unchanged) into data/ocds-1.1.5/, so that
# the tests read them from the repository and need no network.
#
# usage: copy-ocds-schema.sh [SOURCE_DIR]
#   SOURCE_DIR defaults to ../shared/data/ocds-1.1.5 beside the repository (where the project's
#   shared folder is laid); it may be any folder holding the two files of the official release
#   (open-contracting/standard, tag 1__1__5, schema/).
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
source_dir="${1:-$root/../shared/data/ocds-1.1.5}"
target="$root/data/ocds-1.1.5"
files=(release-package-schema.json release-schema.json)

for file in "${files[@]}"; do
  [[ -f "$source_dir/$file" ]] || { echo "missing $source_dir/$file" >&2; exit 1; }
done
# The package schema names the release schema by this URL; a copy of another version would not match.
grep -q '"id": "https://standard.open-contracting.org/schema/1__1__5/release-schema.json"' \
  "$source_dir/release-schema.json" || { echo "$source_dir/release-schema.json is not OCDS 1.1.5" >&2; exit 1; }

mkdir -p "$target"
for file in "${files[@]}"; do
  install -m 0644 "$source_dir/$file" "$target/$file"
done
echo "copied ${files[*]} to $target"
