// Workload 10: spooler_awaited (see ../shared/bench/WORKLOADS.md): as
// spooler_throughput, but each spool() is awaited before the next (the way
// uWSGI code `for x in items: f.spool(x=x)` is ported), P spooler processes,
// on disk and on tmpfs, once per --spooler-sync setting. The uWSGI side is
// spooler_throughput (uWSGI's spool() is a plain call and never fsyncs):
// compare it with `none`; `batch` and `always` are shown beside it.
//
// BENCH_SPOOL_N (default 5000) tasks per case; BENCH_SPOOL_AWAITED_N overrides
// it for this workload only; BENCH_SPOOL_AWAITED_CASES=name,name runs a subset.
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { caseFn, envInt, median, percentile, requireCaps, round, runCases, Server, skipIfUnavailable, waitFor, withServer, type Case } from "./lib.ts";

const N = envInt("BENCH_SPOOL_AWAITED_N", envInt("BENCH_SPOOL_N", 5000));
const FREQ = process.env.BENCH_SPOOLER_FREQUENCY ?? "1";
const read = (p: string) => { try { return readFileSync(p, "utf8"); } catch { return ""; } };

const PROMISE: Record<string, string> = {
  always: "spool() resolves once the task file (or its group) and its directory are fsynced",
  batch: "spool() resolves once fsynced; calls arriving during an fsync share the next one",
  none: "spool() resolves once the task file is written under its name (no fsync: survives any process crash, not a power cut; uWSGI's level)",
};

/** Case name: the uWSGI spooler_throughput case it compares with, plus the setting. */
function acase(procs: number, fs: "disk" | "tmpfs", sync: "always" | "batch" | "none") {
  const name = `spooler_processes_${procs}_${fs}_sync_${sync}`;
  return caseFn(name, async (): Promise<Case> => {
    skipIfUnavailable();
    const root = fs === "disk" ? tmpdir() : "/dev/shm";
    const spool = mkdtempSync(join(root, "mulefarm-bench-spool-"));
    try {
      const args = ["--http", "127.0.0.1:{port}", "--processes", "1", "--module", "{apps}/spooler_app.ts", "--import", "{apps}/spooler_app.ts",
        "--spooler", spool, "--spooler-processes", String(procs), "--spooler-frequency", FREQ, "--spooler-sync", sync];
      return await withServer(new Server(name, args), async (u) => {
        await u.waitHttp();
        await requireCaps(u);
        const e = await u.getJson(`/enqueue?n=${N}&mode=await`, 60);
        const done = u.path("done.log");
        let timedOut = false;
        try {
          await waitFor(() => { u.checkAlive(); return read(done).split("\n").length - 1 >= N; }, 25, "all tasks executed", 20);
        } catch { timedOut = true; }
        const lines = read(done).split("\n").filter(Boolean);
        const ids = new Set<number>();
        const lat: number[] = [];
        let last = 0;
        for (const ln of lines) {
          const [i, te, tx] = ln.split(" ").map(Number);
          ids.add(i);
          lat.push((tx - te) / 1e6);
          last = Math.max(last, tx);
        }
        lat.sort((a, b) => a - b);
        const enqS = (e.t_end_ns - e.t_start_ns) / 1e9;
        const e2eS = lines.length ? (last - e.t_start_ns) / 1e9 : null;
        return {
          name, ok: !timedOut && ids.size === N,
          params: { n: N, spooler_processes: procs, spooler_frequency_s: Number(FREQ), spool_fs: fs, spool_root: root, spooler_sync: sync,
            durability: fs === "tmpfs" ? `${PROMISE[sync]}; on tmpfs nothing is fsynced whatever the setting` : PROMISE[sync],
            enqueue_mode: "each spool() awaited before the next",
            uwsgi_peer: `spooler_throughput/spooler_processes_${procs}_${fs} (uWSGI never fsyncs)` },
          e2e_tasks_per_s: e2eS ? Math.round(ids.size / e2eS) : 0, enqueue_per_s: Math.round(N / enqS),
          executed: lines.length, unique: ids.size, duplicates: lines.length - ids.size, lost: N - ids.size, enqueue_failed: e.failed,
          enqueue_s: round(enqS, 3), e2e_s: e2eS ? round(e2eS, 3) : null,
          drain_after_enqueue_s: lines.length ? round((last - e.t_end_ns) / 1e9, 3) : null,
          task_latency_median_ms: lat.length ? round(median(lat), 2) : null, task_latency_p99_ms: lat.length ? round(percentile(lat, 99)!, 2) : null,
          command: u.command().replaceAll(spool, "$SPOOL"),
        };
      });
    } finally {
      rmSync(spool, { recursive: true, force: true });
    }
  });
}

const all = [
  acase(1, "tmpfs", "always"), acase(2, "tmpfs", "always"), acase(2, "tmpfs", "batch"), acase(2, "tmpfs", "none"),
  acase(1, "disk", "none"), acase(2, "disk", "none"), acase(2, "disk", "batch"), acase(2, "disk", "always"),
];
const only = (process.env.BENCH_SPOOL_AWAITED_CASES ?? "").split(",").filter(Boolean);
const cases = only.length ? all.filter((c: any) => only.some((o) => (c.caseName ?? c.name ?? "").includes(o))) : all;
await runCases("spooler_awaited", cases, envInt("BENCH_DEADLINE_S", 140), { n: N });
