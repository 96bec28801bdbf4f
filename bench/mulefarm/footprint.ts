// Workload 5: footprint (see ../shared/bench/WORKLOADS.md).
// Launch master + 2 HTTP workers + 4 programmed mules; time from launch until
// all 4 mules announced readiness (and until the first HTTP 200); then read
// VmRSS and Pss of every process of the tree. Repeated LAUNCHES times.
// Extras: the same with 4 signal-only mules (`--mules 4`, readiness seen in
// the stats server), and the runtime's floor (the same executable as a bare
// Bun runtime with nothing loaded, idling on a timer).
import { spawn } from "node:child_process";
import { BIN, caseFn, stats, cleanEnv, envInt, freePort, median, nowNs, procMem, readJson, round, runCases, Server, sleep, waitFor, withServer, type Case } from "./lib.ts";

const LAUNCHES = envInt("BENCH_FOOTPRINT_LAUNCHES", 5);
const MULES = 4, WORKERS = 2;

type Mem = ReturnType<typeof procMem>;
interface Launch { mules_ready_ms: number; first_http_ok_ms: number; procs: { master: Mem; workers: Mem[]; mules: Mem[]; other: Mem[] }; command: string }

/** A wall-clock reading (performance.timeOrigin + now(), ms, any process) as CLOCK_MONOTONIC ns. */
function wallToMonoNs(wallMs: number): number {
  const offsets: number[] = [];
  for (let k = 0; k < 5; k++) offsets.push(nowNs() - (performance.timeOrigin + performance.now()) * 1e6);
  return wallMs * 1e6 + median(offsets);
}

async function oneLaunch(i: number, signalOnly: boolean): Promise<Launch> {
  const sport = signalOnly ? await freePort() : 0;
  const args = ["--http", "127.0.0.1:{port}", "--processes", String(WORKERS), "--module", "{apps}/hello_app.ts"];
  if (signalOnly) args.push("--mules", String(MULES), "--stats", `127.0.0.1:${sport}`);
  else for (let m = 0; m < MULES; m++) args.push("--mule={apps}/ready_mule.ts");
  return await withServer(new Server(`footprint${signalOnly ? "-sig" : ""}${i}`, args), async (u) => {
    let tMules: number;
    let mulePids: Map<number, number>; // mule id -> pid
    if (signalOnly) {
      // readiness of a signal-only mule: the master marks it "idle" once it reported Ready
      const st = await waitFor(async () => {
        u.checkAlive();
        const s = await stats(sport);
        return s && s.mules?.length === MULES && s.mules.every((m: any) => m.status === "idle" && m.pid) ? s : null;
      }, 10, "4 signal-only mules idle in the stats", 5);
      tMules = nowNs();
      mulePids = new Map(st.mules.map((m: any) => [m.id, m.pid]));
    } else {
      const names = Array.from({ length: MULES }, (_, m) => `mule${m + 1}.ready`);
      await u.waitFiles(names, 10);
      const ready = names.map((n) => readJson(u.path(n)));
      tMules = Math.max(...ready.map((r) => wallToMonoNs(r.t_wall_ms)));
      mulePids = new Map(ready.map((r) => [r.mule, r.pid]));
    }
    await u.waitHttp(10);
    const tHttp = nowNs();
    await sleep(500); // let every process settle before reading memory
    const master = u.proc!.pid!;
    const all = u.pids();
    const mset = new Set(mulePids.values());
    const rest = [...all].filter((p) => p !== master && !mset.has(p)).sort((a, b) => a - b);
    let workerPids = rest;
    let otherPids: number[] = [];
    if (sport) {
      const s = await stats(sport);
      const w = new Set<number>((s?.workers ?? []).map((x: any) => x.pid));
      if (w.size) { workerPids = rest.filter((p) => w.has(p)); otherPids = rest.filter((p) => !w.has(p)); }
    }
    return {
      mules_ready_ms: (tMules - u.tLaunchNs) / 1e6, first_http_ok_ms: (tHttp - u.tLaunchNs) / 1e6,
      procs: { master: procMem(master), workers: workerPids.map(procMem), mules: [...mulePids.entries()].sort((a, b) => a[0] - b[0]).map(([, p]) => procMem(p)), other: otherPids.map(procMem) },
      command: u.command(),
    };
  });
}

function summarize(name: string, runs: Launch[], params: Record<string, unknown>): Case {
  const last = runs[runs.length - 1].procs;
  const allp = [last.master, ...last.workers, ...last.mules, ...last.other];
  const ready = runs.map((r) => r.mules_ready_ms).sort((a, b) => a - b);
  const http = runs.map((r) => r.first_http_ok_ms);
  const sum = (k: "rss_kb" | "pss_kb") => allp.reduce((a, p) => a + (p[k] ?? 0), 0);
  const pick = (k: "rss_kb" | "pss_kb") => ({
    master: last.master[k], workers: last.workers.map((p) => p[k]), mules: last.mules.map((p) => p[k]),
    ...(last.other.length ? { other: last.other.map((p) => p[k]) } : {}), total: sum(k),
  });
  const children = [...last.workers, ...last.mules];
  return {
    name, ok: last.workers.length === WORKERS && last.mules.length === MULES,
    params: { workers: WORKERS, mules: MULES, launches: runs.length, ...params },
    mules_ready_ms_median: round(median(ready), 1), mules_ready_ms_min: round(ready[0], 1), mules_ready_ms_max: round(ready[ready.length - 1], 1),
    mules_ready_ms_all: ready.map((x) => round(x, 1)),
    first_http_ok_ms_median: round(median(http), 1),
    rss_kb: pick("rss_kb"), pss_kb: pick("pss_kb"),
    pss_kb_per_child_max: Math.max(...children.map((p) => p.pss_kb ?? 0)),
    rss_kb_per_child_max: Math.max(...children.map((p) => p.rss_kb ?? 0)),
    command: runs[runs.length - 1].command,
  };
}

/** The bare runtime: the same executable as a plain Bun process idling on a timer (BUN_BE_BUN=1). */
async function runtimeFloor(copies: number): Promise<Mem[]> {
  const procs = Array.from({ length: copies }, () =>
    spawn(BIN, ["-e", "setTimeout(() => {}, 5000)"], { env: { ...cleanEnv(), BUN_BE_BUN: "1" }, stdio: "ignore", detached: true }));
  try {
    await sleep(1000);
    return procs.map((p) => procMem(p.pid!));
  } finally {
    for (const p of procs) { try { process.kill(p.pid!, "SIGKILL"); } catch { /* gone */ } }
  }
}

const programmed = caseFn("master_2workers_4mules", async () => {
  const runs: Launch[] = [];
  for (let i = 0; i < LAUNCHES; i++) runs.push(await oneLaunch(i, false));
  const c = summarize("master_2workers_4mules", runs, { mule_kind: "programmed (--mule=ready_mule.ts), ready = file written by the mule's first statement" });
  const alone = await runtimeFloor(1);
  const three = await runtimeFloor(3);
  c.runtime_floor = {
    what: "the same executable run as a bare Bun runtime (BUN_BE_BUN=1 dist/mulefarm -e 'setTimeout(()=>{},5000)'), nothing of mulefarm loaded, read after 1 s",
    alone: { rss_kb: alone[0].rss_kb, pss_kb: alone[0].pss_kb },
    three_copies: { rss_kb: three.map((p) => p.rss_kb), pss_kb: three.map((p) => p.pss_kb) },
  };
  return c;
});

const signalOnly = caseFn("master_2workers_4signal_mules", async () => {
  const runs: Launch[] = [];
  for (let i = 0; i < LAUNCHES; i++) runs.push(await oneLaunch(i, true));
  return summarize("master_2workers_4signal_mules", runs, {
    mule_kind: "signal-only (--mules 4), ready = status 'idle' in the stats server, polled every 5 ms (includes the poll)",
  });
});

/** N sandboxed light mules (QuickJS runtimes) in one host process: memory per light mule. */
async function lightMules(n: number): Promise<{ host: Mem; master: Mem; readyMs: number }> {
  const sport = await freePort();
  const args: string[] = ["--stats", `127.0.0.1:${sport}`];
  for (let i = 0; i < n; i++) args.push("--mule=sandbox:{apps}/light_mule.ts");
  return await withServer(new Server(`footprint-light${n}`, args), async (u) => {
    const st = await waitFor(async () => {
      u.checkAlive();
      const s = await stats(sport);
      return s && s.mules?.length === n && s.mules.every((m: any) => m.status === "idle") ? s : null;
    }, 50, `${n} light mules idle`, 20);
    const readyMs = (nowNs() - u.tLaunchNs) / 1e6;
    await sleep(500);
    return { host: procMem(st.mules[0].pid), master: procMem(u.proc!.pid!), readyMs };
  });
}

const light = caseFn("sandboxed_light_mules_1000", async () => {
  const N = envInt("BENCH_LIGHT_MULES", 1000);
  const one = await lightMules(1);
  const many = await lightMules(N);
  const per = (k: "rss_kb" | "pss_kb") => many.host[k] === null || one.host[k] === null ? null : round((many.host[k]! - one.host[k]!) / (N - 1), 1);
  return {
    name: "sandboxed_light_mules_1000", ok: true,
    params: { light_mules: N, what: "--mule=sandbox:light_mule.ts × N: QuickJS runtimes in one host process (no HTTP workers)" },
    ready_ms: round(many.readyMs, 1),
    host_rss_kb: many.host.rss_kb, host_pss_kb: many.host.pss_kb,
    host_rss_kb_with_1: one.host.rss_kb, host_pss_kb_with_1: one.host.pss_kb,
    rss_kb_per_light_mule: per("rss_kb"), pss_kb_per_light_mule: per("pss_kb"),
    rss_kb_per_light_mule_incl_host: round(many.host.rss_kb! / N, 1),
  };
});

const fns = [programmed];
if (process.env.BENCH_FOOTPRINT_EXTRA !== "0") fns.push(light);
if (process.env.BENCH_FOOTPRINT_EXTRA !== "0") fns.push(signalOnly);
await runCases("footprint", fns, envInt("BENCH_DEADLINE_S", 60));
