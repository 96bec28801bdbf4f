#!/usr/bin/env bash
# Every test: unit tests on Bun and on Deno, the e2e suite against mulefarm
# run from source on Bun, as the compiled binary, and from source on Deno.
# Ends with one line "N passed, N failed".
set -uo pipefail
cd "$(dirname "$0")/.."
BUN=node_modules/.bin/bun
DENO=node_modules/.bin/deno
passed=0
failed=0
log=$(mktemp)
trap 'rm -f "$log"' EXIT

count_bun() { # parses bun test's " N pass" / " N fail" summary
  local p f
  p=$(grep -E '^ *[0-9]+ pass$' "$log" | tail -1 | awk '{print $1}')
  f=$(grep -E '^ *[0-9]+ fail$' "$log" | tail -1 | awk '{print $1}')
  if [ -z "$p$f" ]; then echo "   (no summary: counted as 1 failure)"; failed=$((failed + 1)); return; fi
  passed=$((passed + ${p:-0})); failed=$((failed + ${f:-0}))
  echo "   ${p:-0} passed, ${f:-0} failed"
}
count_deno() { # parses "ok | N passed | M failed" / "FAILED | N passed | M failed"
  local line p f
  line=$(grep -E '\| [0-9]+ passed' "$log" | tail -1)
  if [ -z "$line" ]; then echo "   (no summary: counted as 1 failure)"; failed=$((failed + 1)); return; fi
  p=$(echo "$line" | sed -E 's/.*\| ([0-9]+) passed.*/\1/')
  f=$(echo "$line" | sed -E 's/.*\| ([0-9]+) failed.*/\1/')
  passed=$((passed + p)); failed=$((failed + f))
  echo "   $p passed, $f failed"
}
step() { echo "== $1"; }
show_failures() { # the lines that explain each failed test (bun prints them before the "(fail)" line)
  grep -q '^(fail)' "$log" || return 0
  grep -B20 '^(fail)' "$log" | grep -vE '^\(pass\)' | head -80
}

step "build dist/mulefarm"
if ! $BUN build.ts; then echo "build failed"; failed=$((failed + 1)); fi

step "unit tests on Bun"
$BUN test --timeout 60000 test/unit >"$log" 2>&1; show_failures; count_bun

step "unit tests on Deno"
$DENO test -A --no-check --config deno.json test/unit >"$log" 2>&1; grep -E 'FAILED|=> ' "$log" | head -20; count_deno

# The three e2e suites run at once: they spend most of their time waiting on
# real processes (leases, cron seconds, respawn back-off, Redis restarts), so
# one after another the machine sat idle ~80% of the time (a fresh-clone run
# took 26 min for 4 min of user CPU). Each suite keeps its files in order and
# every test its own ports, temp dirs and servers, so they share nothing.
e2e_logs=()
pids=()
for rt in bun compiled deno; do
  l=$(mktemp); e2e_logs+=("$l")
  MF_RUNTIME=$rt $BUN test --timeout 120000 test/e2e >"$l" 2>&1 &
  pids+=($!)
done
for p in "${pids[@]}"; do wait "$p"; done
i=0
for rt in bun compiled deno; do
  step "e2e suite against mulefarm on $rt"
  cp "${e2e_logs[$i]}" "$log"; rm -f "${e2e_logs[$i]}"
  show_failures; count_bun
  i=$((i + 1))
done

echo
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
