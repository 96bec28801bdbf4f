#!/usr/bin/env bash
# The task-control benchmarks (issue #19), for a quiet machine:
#   bash bench/tasks/run.sh            # results kept vs not (3 stores x 2), rate precision over 60 s, group fairness (both stores)
# Quick check: BENCH_TASKS_N=2000 BENCH_TASKS_REPEATS=1 BENCH_RATE_SECONDS=5 BENCH_GROUP_BIG=1000 BENCH_GROUP_SMALL=10 bash bench/tasks/run.sh
# Uses dist/mulefarm when built (node_modules/.bin/bun build.ts), else Bun from source.
set -euo pipefail
REPO="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
BUN="$REPO/node_modules/.bin/bun"
mkdir -p "$REPO/bench/results"
STAMP="$(date -u +%Y%m%dT%H%M%SZ)"
OUT="$REPO/bench/results/tasks-$STAMP.jsonl"
timeout 1800 "$BUN" "$REPO/bench/tasks/results_kept_vs_not.ts" | tee -a "$OUT"
timeout 600 "$BUN" "$REPO/bench/tasks/rate_precision.ts" | tee -a "$OUT"
timeout 900 "$BUN" "$REPO/bench/tasks/group_fairness.ts" | tee -a "$OUT"
echo "written: $OUT" >&2
