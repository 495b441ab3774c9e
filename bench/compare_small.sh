#!/usr/bin/env bash
# Gap between Passerelle's scheduler and the exact optimum (HiGHS) on small events
# (≤ 300 participants). Target (DESIGN.md): within 1 %. A benchmark, not a test: run by hand.
#
#   bench/compare_small.sh [SEEDS]      # default 3 seeds per configuration
#
# Needs python3; installs highspy into a venv under /tmp (never into the repository).
# HiGHS gets TIME_LIMIT seconds per instance (default 120); when it stops early the gap is
# measured against its best bound instead, which overstates the gap, and is flagged '≤'.
set -euo pipefail
cd "$(dirname "$0")/.."
SEEDS=${1:-3}
TIME_LIMIT=${TIME_LIMIT:-120}
VENV=${VENV:-/tmp/passerelle-highs-venv}
WORK=$(mktemp -d /tmp/passerelle-compare.XXXXXX)

if ! "$VENV/bin/python" -c "import highspy" 2>/dev/null; then
    python3 -m venv "$VENV"
    "$VENV/bin/pip" install --quiet highspy numpy
fi
cargo build --release --quiet -p passerelle
PASSERELLE=target/release/passerelle

# participants requests slots tables: typical conventions up to the largest "small" events.
CONFIGS=(
    "60 300 12 20"
    "100 500 16 30"
    "100 500 10 60"
    "150 1000 12 40"
    "200 1500 16 50"
    "250 2000 16 100"
    "300 2000 12 60"
    "300 3000 16 60"
)

printf '%-22s %5s %9s %9s %9s %7s %8s %8s\n' "P/R/S/T" seed ours exact bound gap ours_s exact_s
worst=0
for config in "${CONFIGS[@]}"; do
    read -r p r s t <<<"$config"
    for seed in $(seq 1 "$SEEDS"); do
        instance="$WORK/i-$p-$r-$s-$t-$seed.json"
        ours=$("$PASSERELLE" bench schedule --participants "$p" --requests "$r" --slots "$s" --tables "$t" \
            --seed "$seed" --instance-out "$instance")
        exact=$("$VENV/bin/python" bench/exact_schedule.py "$instance" --time-limit "$TIME_LIMIT")
        line=$(python3 - "$ours" "$exact" <<'PY'
import json, sys
ours, exact = json.loads(sys.argv[1]), json.loads(sys.argv[2])
optimal = exact["status"] == "Optimal"
reference = exact["optimum"] if optimal else exact["bound"]
gap = 100.0 * (reference - ours["total_weight"]) / max(reference, 1)
print(f'{ours["total_weight"]} {exact["optimum"]} {ours["upper_bound"]} '
      f'{"" if optimal else "≤"}{gap:.2f}% {ours["seconds"]:.3f} {exact["seconds"]:.1f} {gap:.4f}')
PY
)
        read -r w opt ub gap os es raw <<<"$line"
        printf '%-22s %5s %9s %9s %9s %7s %8s %8s\n' "$p/$r/$s/$t" "$seed" "$w" "$opt" "$ub" "$gap" "$os" "$es"
        worst=$(python3 -c "print(max($worst, $raw))")
    done
done
echo "worst gap to the exact optimum: ${worst} % (target ≤ 1 %)"
rm -rf "$WORK"
