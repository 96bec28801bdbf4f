// Workload 3: timer_accuracy (see ../shared/bench/WORKLOADS.md).
// Two 1-second timers (addTimer / addRbTimer) raise signals 20 and 21 handled
// in mule 1 (signal-only); TICKS+1 ticks each; drift against t_0 + k*1 s.
import { caseFn, envInt, readJson, requireCaps, round, runCases, Server, waitFor, withServer, type Case } from "./lib.ts";

const TICKS = envInt("BENCH_TIMER_TICKS", 10);
const INTERVAL_MS = 1000;

function stats(ticks: number[], tReg: number) {
  const t = ticks.slice(0, TICKS + 1).map((x) => x / 1e6);
  const drift = t.slice(1).map((x, i) => x - t[0] - (i + 1) * INTERVAL_MS);
  const err = t.slice(1).map((x, i) => x - t[i] - INTERVAL_MS);
  const mean = (a: number[]) => a.reduce((x, y) => x + y, 0) / a.length;
  return {
    ticks: t.length, mean_drift_ms: round(mean(drift), 3), max_abs_drift_ms: round(Math.max(...drift.map(Math.abs)), 3),
    final_drift_ms: round(drift[drift.length - 1], 3), mean_abs_interval_err_ms: round(mean(err.map(Math.abs)), 3),
    max_abs_interval_err_ms: round(Math.max(...err.map(Math.abs)), 3), first_tick_after_ms: round(t[0] - tReg / 1e6, 3),
  };
}

const timers = caseFn("timers_1s", async (): Promise<Case> => {
  const args = ["--http", "127.0.0.1:{port}", "--processes", "1", "--module", "{apps}/timer_app.ts", "--mules", "1"];
  return await withServer(new Server("timer", args), async (u) => {
    await u.waitHttp();
    await requireCaps(u);
    const reg = await waitFor(() => readJson(u.path("registered.json")), 5, "registered.json");
    const [a, b] = await waitFor(() => {
      u.checkAlive();
      const a = readJson(u.path("timer20.json")), b = readJson(u.path("timer21.json"));
      return a && a.length > TICKS && (!reg.rb || (b && b.length > TICKS)) ? [a, b] : null;
    }, TICKS + 8, "timer ticks", 100);
    return {
      name: "timers_1s", ok: true,
      params: { interval_s: 1, intervals: TICKS, target: "mule1", created_in: "worker 1 (handlers registered in every process that loads the app)" },
      add_timer: stats(a, reg.t_reg_ns), add_rb_timer: reg.rb ? stats(b, reg.t_reg_ns) : null,
      command: u.command(),
    };
  });
});

await runCases("timer_accuracy", [timers], envInt("BENCH_DEADLINE_S", 40),
  { cron: "not measured: uWSGI-style cron is minute-granular (as for the uWSGI peer)" });
