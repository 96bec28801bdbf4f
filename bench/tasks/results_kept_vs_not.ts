// Spooler throughput with task results kept (--spooler-result-ttl 300, the
// default: one result write and one event per task) versus not (0), on the
// file store (disk, --spooler-sync none so the disk's fsync does not hide the
// difference, and tmpfs) and on Redis (appendfsync always). N no-op tasks are
// spooled pipelined, then timed from the first accept to the last completion.
//   BENCH_TASKS_N=20000 BENCH_TASKS_REPEATS=3 node_modules/.bin/bun bench/tasks/results_kept_vs_not.ts
import { envNum, sleep, startInstance } from "./lib.ts";

const N = envNum("BENCH_TASKS_N", 20000);
const REPEATS = envNum("BENCH_TASKS_REPEATS", 3);
const PROCS = envNum("BENCH_TASKS_PROCS", 2);
const cases: Array<{ name: string; store: "file" | "redis"; base?: string; sync: string }> = [
  { name: "disk_sync_none", store: "file", sync: "none" },
  { name: "tmpfs", store: "file", base: "/dev/shm", sync: "none" },
  { name: "redis_always", store: "redis", sync: "always" },
];
const only = process.env.BENCH_TASKS_CASES?.split(",");

const rows: any[] = [];
for (const c of cases.filter((c) => !only || only.includes(c.name))) {
  for (const ttl of [300, 0]) {
    const rates: number[] = [];
    for (let r = 0; r < REPEATS; r++) {
      const inst = await startInstance(c.store, ["--spooler-processes", String(PROCS), "--spooler-sync", c.sync, "--spooler-result-ttl", String(ttl)], c.base);
      try {
        const t0 = performance.now();
        await inst.get(`/flood?n=${N}`);
        for (;;) {
          const d = await inst.stats();
          if (d.spoolers[0].tasks >= N) break;
          await sleep(20);
        }
        rates.push(N / ((performance.now() - t0) / 1000));
      } finally { await inst.stop(); }
    }
    rows.push({ case: c.name, result_ttl: ttl, tasks: N, spooler_processes: PROCS, tasks_per_s: rates.map((x) => Math.round(x)), median: Math.round(rates.sort((a, b) => a - b)[Math.floor(rates.length / 2)]) });
  }
}
const byCase: Record<string, any> = {};
for (const r of rows) (byCase[r.case] ??= {})[r.result_ttl ? "kept" : "not_kept"] = r.median;
for (const [k, v] of Object.entries(byCase)) v.ratio_kept_over_not = v.kept && v.not_kept ? +(v.kept / v.not_kept).toFixed(3) : null, byCase[k] = v;
console.log(JSON.stringify({ workload: "tasks_results_kept_vs_not", rows, summary: byCase }));
