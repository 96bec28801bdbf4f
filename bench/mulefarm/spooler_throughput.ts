// Workload 4: spooler_throughput (see ../shared/bench/WORKLOADS.md).
// A worker enqueues N tasks with spool(fn).spool(args); P spooler processes
// execute them; each execution appends one line to done.log. Spool dir on
// disk (system temp dir) and on tmpfs (/dev/shm).
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { caseFn, envInt, median, percentile, requireCaps, round, runCases, Server, skipIfUnavailable, waitFor, withServer, type Case } from "./lib.ts";

const N = envInt("BENCH_SPOOL_N", 5000);
const FREQ = process.env.BENCH_SPOOLER_FREQUENCY ?? "1";
const read = (p: string) => { try { return readFileSync(p, "utf8"); } catch { return ""; } };

function scase(procs: number, fs: "disk" | "tmpfs", mode: "await" | "pipelined" = "await") {
  const name = `spooler_processes_${procs}_${fs}${mode === "pipelined" ? "_pipelined" : ""}`;
  return caseFn(name, async (): Promise<Case> => {
    skipIfUnavailable();
    const root = fs === "disk" ? tmpdir() : "/dev/shm";
    const spool = mkdtempSync(join(root, "mulefarm-bench-spool-"));
    try {
      const args = ["--http", "127.0.0.1:{port}", "--processes", "1", "--module", "{apps}/spooler_app.ts", "--import", "{apps}/spooler_app.ts",
        "--spooler", spool, "--spooler-processes", String(procs), "--spooler-frequency", FREQ];
      return await withServer(new Server(name, args), async (u) => {
        await u.waitHttp();
        await requireCaps(u);
        const e = await u.getJson(`/enqueue?n=${N}&mode=${mode}`, 25);
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
          params: { n: N, spooler_processes: procs, spooler_frequency_s: Number(FREQ), spool_fs: fs, spool_root: root,
            durability: "durable accept (--spooler-sync always, the default): spool() resolves once the task file (or its group) is written and fsynced and its directory fsynced",
            enqueue_mode: mode === "await" ? "each spool() awaited before the next (one fsync barrier per task)"
              : "all N spool() calls issued, then awaited together (concurrent calls share fsyncs: group commit)" },
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

const cases = [scase(1, "disk"), scase(2, "disk"), scase(1, "tmpfs"), scase(2, "tmpfs")];
if (process.env.BENCH_SPOOL_EXTRA !== "0") cases.push(scase(1, "disk", "pipelined"), scase(2, "disk", "pipelined"));
await runCases("spooler_throughput", cases,
  envInt("BENCH_DEADLINE_S", 110), { n: N });
