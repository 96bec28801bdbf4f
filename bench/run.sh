#!/usr/bin/env bash
# `npm run bench`: mulefarm's benchmarks next to real uWSGI, same session.
#
#   bash bench/run.sh                         # every workload (~4-5 min), writes BENCHMARKS.md
#   bash bench/run.sh mule_msg_throughput http_rps   # a subset, both sides
#
# 1. builds dist/mulefarm (node_modules/.bin/bun build.ts);
# 2. runs bench/mulefarm/<workload>.ts for each workload (one JSON line each)
#    and writes bench/results/mulefarm-<UTC>.json ({"meta", "workloads"});
# 3. runs ../shared/bench/run-uwsgi.sh with the same workloads (uWSGI has no
#    ipc_raw; run from a temporary copy, since shared/ is read-only) and writes
#    bench/results/uwsgi-<UTC>.json. By default the two sides alternate per
#    workload (BENCH_ORDER=interleaved: mulefarm w, uWSGI w, next w...) so that
#    the load bursts of this shared VM hit both sides of a comparison alike;
#    BENCH_ORDER=sequential runs all of mulefarm, then run-uwsgi.sh once;
#    signal_latency's case rtt_interleaved is the exception: its driver starts
#    real uWSGI (the shared app and command line) beside mulefarm and lets
#    them take turns in one window (this VM's p99 drifts more between two
#    runs 30 s apart than between the two implementations);
# 4. ../shared/bench/report.py on both, then bench/report.ts writes
#    BENCHMARKS.md (a subset run writes bench/results/BENCHMARKS-partial-<UTC>.md
#    instead, unless BENCH_WRITE_MD=1).
#
# Workload 10 (spooler_awaited) has no uWSGI driver: its uWSGI side is
# spooler_throughput, run beside it. For a quick check shrink the spooler
# workloads with BENCH_SPOOL_N=300 (both sides) or BENCH_SPOOL_AWAITED_N=300
# (workload 10 only), and pick cases with BENCH_SPOOL_AWAITED_CASES=tmpfs_sync_none,...
#
# The shared dir is ../shared beside the repo (CI clones it there);
# MULEFARM_SHARED=/path/to/shared overrides it. BENCH_SKIP_UWSGI=1 skips the
# uWSGI side, BENCH_UWSGI_JSON=FILE reuses an existing uWSGI result instead
# (figures from another session are not comparable: for development only).
# Loopback only; every case is bounded and stops what it started, by PID.
set -euo pipefail
REPO="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
BENCH="$REPO/bench"
if [ -n "${MULEFARM_SHARED:-}" ]; then SHARED="$MULEFARM_SHARED"; else SHARED="$REPO/../shared"; fi
if [ -f "$SHARED/bench/run-uwsgi.sh" ]; then SHARED_BENCH="$(cd "$SHARED/bench" && pwd)"
elif [ -f "$SHARED/run-uwsgi.sh" ]; then SHARED_BENCH="$(cd "$SHARED" && pwd)"
else echo "bench: cannot find the shared benchmark dir (looked for $SHARED/bench/run-uwsgi.sh; set MULEFARM_SHARED)" >&2; exit 2; fi
# The drivers' cases that run uWSGI beside mulefarm (bench/mulefarm/uwsgi_peer.ts) take its apps from here.
export BENCH_SHARED_BENCH="$SHARED_BENCH"
BUN="$REPO/node_modules/.bin/bun"
PY="${BENCH_PYTHON:-/usr/bin/python3}"
ALL=(ipc_raw mule_msg_throughput signal_latency timer_accuracy spooler_throughput spooler_awaited footprint cache_ops lock_roundtrip http_rps)
if [ $# -gt 0 ]; then WORKLOADS=("$@"); FULL=0; else WORKLOADS=("${ALL[@]}"); FULL=1; fi
for w in "${WORKLOADS[@]}"; do
  [ -f "$BENCH/mulefarm/$w.ts" ] || { echo "bench: unknown workload: $w (known: ${ALL[*]})" >&2; exit 2; }
done
T0=$(date +%s)

# --- tools ---------------------------------------------------------------
[ -x "$BUN" ] || { echo "bench: $BUN is missing: run npm ci first" >&2; exit 2; }
need=()
command -v wrk >/dev/null || need+=(wrk)
[ -x "$PY" ] || need+=(python3)
if [ ${#need[@]} -gt 0 ]; then
  if [ "$(id -u)" = 0 ]; then
    echo "bench: installing ${need[*]}" >&2
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${need[@]}" >&2
  else
    echo "bench: missing ${need[*]} (apt-get install them as root)" >&2; exit 2
  fi
fi

# --- build ---------------------------------------------------------------
echo "== build" >&2
(cd "$REPO" && "$BUN" build.ts) >&2
VERSION="$("$REPO/dist/mulefarm" --version 2>/dev/null || echo unknown)"
echo "   $VERSION" >&2

mkdir -p "$BENCH/results"
STAMP="$(date -u +%Y%m%dT%H%M%SZ)"
OUT="$BENCH/results/mulefarm-$STAMP.json"
WORK="$(mktemp -d)"
trap 'rm -rf "$WORK"' EXIT
LINES="$WORK/lines"
: > "$LINES"
LOAD_START="$(cut -d' ' -f1-3 /proc/loadavg)"

echo "== clock check" >&2
CLOCK="$("$BUN" "$BENCH/mulefarm/clock_check.ts" 2>&1 | tail -n 1 || true)"
echo "   $CLOCK" >&2

# --- the two sides ----------------------------------------------------------
# BENCH_ORDER=interleaved (default): for each workload, mulefarm's driver and
# then run-uwsgi.sh for that workload alone, so the two figures of a workload
# are measured within seconds of each other (this VM's load comes in bursts);
# the per-workload uWSGI results are merged into one file.
# BENCH_ORDER=sequential: every mulefarm workload, then one run-uwsgi.sh call
# with all of them.
ORDER="${BENCH_ORDER:-interleaved}"
UOUT=""
UWSGI_MODE=run
if [ -n "${BENCH_UWSGI_JSON:-}" ]; then UOUT="$BENCH_UWSGI_JSON"; UWSGI_MODE=reuse; echo "== uWSGI: reusing $UOUT (NOT the same session)" >&2
elif [ "${BENCH_SKIP_UWSGI:-0}" = 1 ]; then UWSGI_MODE=skip; echo "== uWSGI: skipped" >&2; fi
UFILES="$WORK/ufiles"
: > "$UFILES"
RUNDIR="$WORK/shared-bench"
if [ "$UWSGI_MODE" = run ]; then
  # shared/ is read-only (its results/ holds the curated reference runs): run an
  # identical copy of its scripts so that nothing is written there.
  cp -r "$SHARED_BENCH" "$RUNDIR"; chmod -R u+w "$RUNDIR"; rm -f "$RUNDIR"/results/*.json
fi

run_mulefarm() {  # $1 = workload
  local w="$1" start line
  echo "== mulefarm $w" >&2
  start=$(date +%s)
  # outer bound on top of each driver's own deadline
  if line="$(cd "$REPO" && timeout -k 5 150 "$BUN" "$BENCH/mulefarm/$w.ts" | tail -n 1)" && [ -n "$line" ] \
     && printf '%s' "$line" | "$PY" -c 'import json,sys; json.loads(sys.stdin.read())' 2>/dev/null; then
    echo "$line" >> "$LINES"
  else
    printf '{"workload":"%s","impl":"mulefarm","ok":false,"cases":[],"error":"driver failed or timed out"}\n' "$w" >> "$LINES"
  fi
  printf '   %s s: %s\n' "$(( $(date +%s) - start ))" \
    "$(tail -n 1 "$LINES" | "$PY" -c 'import json,sys; d=json.load(sys.stdin); print("ok" if d.get("ok") else "NOT OK: " + "; ".join(c["name"] + ": " + str(c.get("error","ok:false"))[:160] for c in d.get("cases",[]) if not c.get("ok", True)) + (d.get("error") or ""))' 2>/dev/null || echo '?')" >&2
}

run_uwsgi() {  # $@ = workloads (those the uWSGI peer has)
  local ws=() w src
  for w in "$@"; do
    # workload 10 (spooler_awaited) has no uWSGI driver of its own: its uWSGI side is spooler_throughput
    # (uWSGI's spool() is a plain call); run that once unless it is already in the list.
    [ "$w" = spooler_awaited ] && { [[ " $* " == *" spooler_throughput "* ]] && continue; w=spooler_throughput; }
    [ -f "$SHARED_BENCH/uwsgi/$w.py" ] && ws+=("$w")
  done
  [ "$UWSGI_MODE" = run ] && [ ${#ws[@]} -gt 0 ] || return 0
  echo "== uWSGI ${ws[*]}" >&2
  if bash "$RUNDIR/run-uwsgi.sh" "${ws[@]}" > "$WORK/uwsgi.out"; then :; else echo "bench: run-uwsgi.sh failed" >&2; fi
  src="$(grep -o '/[^ ]*/results/uwsgi-[0-9TZ]*\.json' "$WORK/uwsgi.out" | tail -n 1 || true)"
  if [ -n "$src" ] && [ -f "$src" ]; then echo "$src" >> "$UFILES"
  else echo "bench: no uWSGI result file for ${ws[*]}; output was:" >&2; tail -n 20 "$WORK/uwsgi.out" >&2; fi
}

# BENCH_REPEAT="workload:N,...": run those workloads N times on both sides;
# each case then reports the run with the median headline figure (and every
# run's figure). Default: the mule workload 3 times (its figures are the
# noisiest and the issue's headline); BENCH_REPEAT= (empty) runs everything once.
REPEAT_SPEC="${BENCH_REPEAT-mule_msg_throughput:3}"
reps_of() {  # $1 = workload
  local item n=1
  for item in ${REPEAT_SPEC//,/ }; do [ "${item%%:*}" = "$1" ] && n="${item##*:}"; done
  echo "$n"
}
if [ "$ORDER" = sequential ]; then
  for w in "${WORKLOADS[@]}"; do for _ in $(seq "$(reps_of "$w")"); do run_mulefarm "$w"; done; done
  run_uwsgi "${WORKLOADS[@]}"
  for w in "${WORKLOADS[@]}"; do for _ in $(seq 2 "$(reps_of "$w")"); do run_uwsgi "$w"; done; done
else
  for w in "${WORKLOADS[@]}"; do for _ in $(seq "$(reps_of "$w")"); do run_mulefarm "$w"; run_uwsgi "$w"; done; done
fi
"$PY" "$BENCH/merge_repeats.py" "$LINES" > "$LINES.merged" && mv "$LINES.merged" "$LINES"

"$PY" - "$LINES" "$OUT" "$STAMP" "$VERSION" "$CLOCK" "$LOAD_START" "$REPO" "$ORDER" <<'PYEOF'
import json, os, platform, subprocess, sys
lines, out, stamp, version, clock, load_start, repo, order = sys.argv[1:9]
def sh(*cmd, cwd=None):
    try:
        return subprocess.run(cmd, capture_output=True, text=True, timeout=10, cwd=cwd).stdout.strip()
    except Exception as e:
        return f"unavailable ({e})"
try:
    clock = json.loads(clock)
except Exception:
    clock = {"ok": False, "error": clock[:300]}
meta = {
    "impl": "mulefarm", "date_utc": stamp, "version": version,
    "runtime": version.split("(")[-1].rstrip(")") if "(" in version else None,
    "git_commit": sh("git", "rev-parse", "--short", "HEAD", cwd=repo),
    "git_dirty": bool(sh("git", "status", "--porcelain", "--untracked-files=no", cwd=repo)),
    "wrk": sh("dpkg-query", "-W", "-f", "${Version}", "wrk"),
    "kernel": platform.release(), "cpus": os.cpu_count(),
    "mem_total_kb": int(open("/proc/meminfo").readline().split()[1]),
    "machine_note": "noisy 2-core VM; load generator and servers share the cores; other sessions may run concurrently",
    "order": order,
    "loadavg_at_start": load_start.split(), "loadavg_at_end": open("/proc/loadavg").read().split()[:3],
    "clock_check": clock,
}
workloads = [json.loads(l) for l in open(lines) if l.strip()]
json.dump({"meta": meta, "workloads": workloads}, open(out, "w"), indent=1)
print(out)
PYEOF

# merge the uWSGI result file(s) of this session into bench/results/uwsgi-<UTC>.json
if [ "$UWSGI_MODE" = run ] && [ -s "$UFILES" ]; then
  UOUT="$("$PY" - "$UFILES" "$BENCH/results" "$ORDER" <<'PYEOF'
import json, os, sys
files = [l.strip() for l in open(sys.argv[1]) if l.strip()]
runs = [json.load(open(f)) for f in files]
meta = dict(runs[0]["meta"])
meta["loadavg_at_end"] = runs[-1]["meta"].get("loadavg_at_end")
meta["order"] = sys.argv[3]
if len(runs) > 1:
    meta["merged_from"] = [r["meta"].get("date_utc") for r in runs]
out = os.path.join(sys.argv[2], f"uwsgi-{meta['date_utc']}.json")
sys.path.insert(0, os.path.dirname(os.path.abspath(sys.argv[2])))
from merge_repeats import merge  # bench/merge_repeats.py
order, groups = [], {}
for r in runs:
    for w in r["workloads"]:
        if w["workload"] not in groups:
            order.append(w["workload"]); groups[w["workload"]] = []
        groups[w["workload"]].append(w)
json.dump({"meta": meta, "workloads": [merge(groups[w]) for w in order]}, open(out, "w"), indent=1)
print(out)
PYEOF
)"
fi

# --- report ------------------------------------------------------------------
if [ -n "$UOUT" ]; then
  "$PY" "$SHARED_BENCH/report.py" "$UOUT" "$OUT" > "$WORK/table.md"
else
  "$PY" "$SHARED_BENCH/report.py" "$OUT" > "$WORK/table.md"
  UOUT="$WORK/none.json"; echo '{"meta":{},"workloads":[]}' > "$UOUT"
fi
cat "$WORK/table.md"
if [ "$FULL" = 1 ] || [ "${BENCH_WRITE_MD:-0}" = 1 ]; then MD="$REPO/BENCHMARKS.md"; else MD="$BENCH/results/BENCHMARKS-partial-$STAMP.md"; fi
# the curated uWSGI reference runs in shared/bench/results give each uWSGI figure of this run a sanity range
BENCH_UWSGI_REFS="$(ls "$SHARED_BENCH"/results/uwsgi-*.json 2>/dev/null | tr '\n' ':')" \
  "$BUN" "$BENCH/report.ts" "$UOUT" "$OUT" "$WORK/table.md" > "$MD.tmp" && mv "$MD.tmp" "$MD"
echo "" >&2
echo "mulefarm results: $OUT" >&2
echo "uWSGI results:    $UOUT" >&2
echo "report:           $MD" >&2
echo "total:            $(( $(date +%s) - T0 )) s" >&2
