// Checks, as WORKLOADS.md asks, that the clock used for cross-process
// intervals reads the same in two processes: Python's time.monotonic_ns()
// (run before and after) must bracket monoNs() (apps/clock.ts). Also records
// whether Bun's process.hrtime.bigint() is comparable (it is not under Bun
// 1.4.5: it counts from the process's start). Prints one JSON line.
import { spawnSync } from "node:child_process";
import { monoNs } from "./apps/clock.ts";

const PY = process.env.BENCH_PYTHON ?? "/usr/bin/python3";
const py = () => Number(spawnSync(PY, ["-c", "import time; print(time.monotonic_ns())"], { encoding: "utf8", timeout: 5000 }).stdout.trim());
const before = py();
const mono = monoNs();
const hr = Number(process.hrtime.bigint());
const after = py();
const ok = before <= mono && mono <= after;
const hrOk = before <= hr && hr <= after;
process.stdout.write(JSON.stringify({
  clock: "CLOCK_MONOTONIC via libc clock_gettime (bun:ffi), bench/mulefarm/apps/clock.ts",
  ok, python_before_ns: before, bun_monotonic_ns: mono, python_after_ns: after,
  bun_hrtime_ns: hr, bun_hrtime_comparable_across_processes: hrOk,
}) + "\n");
process.exit(ok ? 0 : 1);
