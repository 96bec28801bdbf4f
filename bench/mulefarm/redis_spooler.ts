// Workload 9: redis_spooler (see ../shared/bench/WORKLOADS.md). mulefarm's
// spooler on Redis (--spooler redis://…#bench) against BullMQ on the same
// redis-server process, same host, same runtime (Bun), same client (ioredis,
// auto-pipelining off), once with appendfsync always and once without
// persistence. Each case runs both sides on one fresh Redis and reports both
// (BullMQ's figures under `bullmq`) and the ratio of the headline.
//
// Env: BENCH_REDIS_N (20000), BENCH_REDIS_P spooler processes per instance (2: the VM has 2 cores, shared with Redis, the master and the worker),
// BENCH_BULLMQ_CONCURRENCY (100), BENCH_REDIS_CASES (comma list, default all),
// BENCH_REDIS_KILL_BULLMQ=0 skips BullMQ's side of kill_instance (it waits
// for BullMQ's 30 s lock duration plus its 30 s stalled check).
import { spawn, type ChildProcess } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Redis } from "ioredis";
import { startRedis, type RedisServer } from "../../test/redis-lib.ts";
import { APPS, caseFn, envInt, freePort, median, percentile, round, runCases, Server, sleep, stats, waitFor, type Case } from "./lib.ts";
import { monoNs } from "./apps/clock.ts";

const N = envInt("BENCH_REDIS_N", 20000);
const P = envInt("BENCH_REDIS_P", 2);
const CONC = envInt("BENCH_BULLMQ_CONCURRENCY", 100);
const BUN = process.execPath;
const read = (p: string) => { try { return readFileSync(p, "utf8"); } catch { return ""; } };
const lines = (p: string) => read(p).split("\n").filter(Boolean);
const BULLMQ_VERSION = JSON.parse(read(join(APPS, "../../../node_modules/bullmq/package.json")) || "{}").version ?? null;
const IOREDIS_VERSION = JSON.parse(read(join(APPS, "../../../node_modules/ioredis/package.json")) || "{}").version ?? null;

type Persistence = "aof_always" | "no_persistence";

/** Commands Redis ran (script-internal ones included) and the top-level ones, since the last reset. */
async function commandCounts(r: Redis): Promise<{ all: number; toplevel: number; byCommand: Record<string, number> }> {
  const info = await r.info("commandstats");
  const byCommand: Record<string, number> = {};
  let all = 0, toplevel = 0;
  for (const m of info.matchAll(/cmdstat_([^:]+):calls=(\d+)/g)) {
    const n = Number(m[2]);
    byCommand[m[1]] = n;
    if (["info", "config|resetstat", "flushall"].includes(m[1])) continue;
    all += n;
    // Never called from inside either side's scripts: each is one round trip.
    if (/^(eval|evalsha|evalsha_ro|eval_ro|blpop|bzpopmin|brpoplpush|blmove|multi|exec|ping|client\|.*|script\|.*|hello|select|xread|xreadgroup)$/.test(m[1])) toplevel += n;
  }
  return { all, toplevel, byCommand };
}

/** Throughput figures from done.log lines "<id> <enqueue ns> <start ns>". */
function figures(done: string, n: number, tStart: number, tEnd: number, failed: number) {
  const ls = lines(done);
  const ids = new Set<number>();
  const lat: number[] = [];
  let last = 0;
  for (const l of ls) {
    const [i, te, ts] = l.split(" ").map(Number);
    ids.add(i);
    lat.push((ts - te) / 1e6);
    last = Math.max(last, ts);
  }
  lat.sort((a, b) => a - b);
  const e2eS = ls.length ? (last - tStart) / 1e9 : null;
  return {
    e2e_tasks_per_s: e2eS ? Math.round(ids.size / e2eS) : 0, enqueue_per_s: Math.round(n / ((tEnd - tStart) / 1e9)),
    executed: ls.length, unique: ids.size, duplicates: ls.length - ids.size, lost: n - ids.size, enqueue_failed: failed,
    e2e_s: e2eS ? round(e2eS, 3) : null,
    task_latency_median_ms: lat.length ? round(median(lat), 2) : null, task_latency_p99_ms: lat.length ? round(percentile(lat, 99)!, 2) : null,
  };
}

// ---------------------------------------------------------------- mulefarm

async function mulefarmInstance(redis: RedisServer, out: string, name: string, persistence: Persistence, procs = P): Promise<Server> {
  const sport = await freePort();
  const s = new Server(`redis-${name}`, ["--http", "127.0.0.1:{port}", "--processes", "1", "--module", "{apps}/redis_spooler_app.ts", "--import", "{apps}/redis_spooler_app.ts",
    "--spooler", `${redis.url}#bench`, "--spooler-processes", String(procs), "--stats", `127.0.0.1:${sport}`,
    ...(persistence === "no_persistence" ? ["--spooler-sync", "none"] : [])], { RS_OUT: out, RS_INSTANCE: name });
  await s.start();
  await s.waitHttp(20);
  await waitFor(async () => { s.checkAlive(); const d = await stats(sport); return d?.spoolers?.[0]?.pids?.every((p: number) => p > 0) && d.spoolers[0].statuses.every((x: string) => x === "idle"); }, 20, "spoolers ready", 20);
  return s;
}

async function mulefarmSide(redis: RedisServer, r: Redis, persistence: Persistence, instances: number, delay = 0, n = N) {
  const out = mkdtempSync(join(tmpdir(), "mulefarm-bench-redis-"));
  const servers: Server[] = [];
  try {
    for (let i = 1; i <= instances; i++) servers.push(await mulefarmInstance(redis, out, `m${i}`, persistence));
    await sleep(300);
    await r.config("RESETSTAT");
    const e = await servers[0].getJson(`/enqueue?n=${n}&inflight=100&delay=${delay}`, 60);
    await waitFor(() => { for (const s of servers) s.checkAlive(); return lines(`${out}/done.log`).length >= n; }, 60, "all tasks started", 20).catch(() => null);
    await sleep(200);
    const c = await commandCounts(r);
    // Its scripts run one SREM per task (leaving the running set); SREMs beyond
    // that are the start marks of tasks claimed ahead, sent by the spooler (not awaited).
    const marks = Math.max(0, (c.byCommand.srem ?? 0) - n);
    return { ...figures(`${out}/done.log`, n, e.t_start_ns, e.t_end_ns, e.failed), redis_cmds_per_task: round(c.all / n, 2), redis_roundtrips_per_task: round((c.toplevel + marks) / n, 2),
      redis_awaited_roundtrips_per_task: round(c.toplevel / n, 2), command: servers[0].command() };
  } finally {
    for (const s of servers) await s.stop();
    rmSync(out, { recursive: true, force: true });
  }
}

// ---------------------------------------------------------------- BullMQ

interface Proc { child: ChildProcess; exited: Promise<void> }

function bullmq(args: string[], detached = false): Proc & { line: Promise<string> } {
  const child = spawn(BUN, [join(APPS, "bullmq_side.ts"), ...args], { stdio: ["ignore", "pipe", "inherit"], detached });
  let buf = "";
  const line = new Promise<string>((resolve) => child.stdout!.on("data", (b) => { buf += b; if (buf.includes("\n")) resolve(buf.split("\n")[0]); }));
  const exited = new Promise<void>((r) => child.once("exit", () => r()));
  return { child, exited, line };
}

async function stopProc(p: Proc) {
  if (p.child.exitCode === null && p.child.signalCode === null) p.child.kill("SIGINT");
  await Promise.race([p.exited, sleep(5000)]);
  if (p.child.exitCode === null && p.child.signalCode === null) p.child.kill("SIGKILL");
}

async function bullmqSide(redis: RedisServer, r: Redis, instances: number, delay = 0, n = N) {
  const out = mkdtempSync(join(tmpdir(), "bullmq-bench-redis-"));
  const workers: Proc[] = [];
  try {
    for (let i = 1; i <= instances; i++) {
      const w = bullmq(["worker", redis.url, "bench", `${out}/done.log`, String(CONC), "0", `b${i}`]);
      workers.push(w);
      await Promise.race([w.line, sleep(20_000).then(() => { throw new Error("BullMQ worker did not start within 20 s"); })]);
    }
    await sleep(300);
    await r.config("RESETSTAT");
    const p = bullmq(["producer", redis.url, "bench", String(n), "100", String(delay)]);
    const e = JSON.parse(await Promise.race([p.line, sleep(60_000).then(() => { throw new Error("BullMQ producer did not finish within 60 s"); })]));
    await waitFor(() => lines(`${out}/done.log`).length >= n, 60, "all jobs started", 20).catch(() => null);
    await sleep(200);
    const c = await commandCounts(r);
    return { ...figures(`${out}/done.log`, n, e.t_start_ns, e.t_end_ns, e.failed), redis_cmds_per_task: round(c.all / n, 2), redis_roundtrips_per_task: round(c.toplevel / n, 2) };
  } finally {
    for (const w of workers) await stopProc(w);
    rmSync(out, { recursive: true, force: true });
  }
}

// ---------------------------------------------------------------- cases

async function withRedis<T>(persistence: Persistence, fn: (s: RedisServer, r: Redis) => Promise<T>): Promise<T> {
  const s = await startRedis({ appendfsync: persistence === "aof_always" ? "always" : "off" });
  const r = new Redis(s.url, { enableAutoPipelining: false, maxRetriesPerRequest: 1 });
  try { return await fn(s, r); } finally { r.disconnect(); await s.stop(); }
}

function params(persistence: Persistence, instances: number, version: string) {
  return {
    n: N, instances, producer: "one worker process (mulefarm: instance 1's HTTP worker; BullMQ: a producer process), 100 adds in flight at a time",
    mulefarm: { spooler_processes_per_instance: P, store: "redis://…#bench", sync: persistence === "aof_always" ? "always" : "none" },
    bullmq: { version: BULLMQ_VERSION, concurrency_per_worker: CONC, worker_processes: instances, removeOnComplete: true },
    ioredis: IOREDIS_VERSION, auto_pipelining: false, runtime: `bun ${(globalThis as any).Bun?.version ?? "?"}`,
    redis: version, persistence: persistence === "aof_always" ? "appendonly yes, appendfsync always" : "appendonly no, save \"\"",
    redis_cmds_per_task_note: "INFO commandstats calls (commands run inside scripts included) / N; roundtrips: commands sent by clients (eval*, blocking pops, multi/exec…, and mulefarm's start marks: SREMs beyond the one each task's scripts run) / N; mulefarm's awaited_roundtrips leave the start marks out (the spooler does not wait for them)",
  };
}

function throughputCase(persistence: Persistence, instances: number) {
  const name = `${persistence}_${instances}`;
  return caseFn(name, () => withRedis(persistence, async (s, r) => {
    const version = (await r.info("server")).match(/redis_version:(\S+)/)?.[1] ?? "?";
    const mf = await mulefarmSide(s, r, persistence, instances);
    await r.flushall();
    const bq = await bullmqSide(s, r, instances);
    const c: Case = { name, ok: mf.unique === N && mf.duplicates === 0 && bq.unique === N, params: params(persistence, instances, version), ...mf, bullmq: bq,
      ratio_e2e_tasks_per_s: bq.e2e_tasks_per_s ? round(mf.e2e_tasks_per_s / bq.e2e_tasks_per_s, 2) : null,
      goal: ">= 2x BullMQ e2e_tasks_per_s at equal durability; 0 lost, 0 duplicates" };
    return c;
  }));
}

/** `at` accuracy: tasks due 1 s after they are spooled; latency = start - due time. */
function atCase() {
  const n = 2000;
  return caseFn("at_due_error", () => withRedis("aof_always", async (s, r) => {
    const version = (await r.info("server")).match(/redis_version:(\S+)/)?.[1] ?? "?";
    const mf = await mulefarmSide(s, r, "aof_always", 1, 1000, n);
    await r.flushall();
    const bq = await bullmqSide(s, r, 1, 1000, n);
    const pick = (x: any) => ({ due_to_start_median_ms: x.task_latency_median_ms, due_to_start_p99_ms: x.task_latency_p99_ms, unique: x.unique, duplicates: x.duplicates, lost: x.lost });
    return { name: "at_due_error", ok: mf.unique === n && bq.unique === n, params: { ...params("aof_always", 1, version), n, delay_ms: 1000 }, ...pick(mf), bullmq: pick(bq) };
  }));
}

/** SIGKILL of one of two consumer instances mid-run: how long until what it held starts elsewhere. */
function killCase() {
  const n = 1000, ms = 50;
  const measure = async (kill: () => void, out: string, name: string) => {
    const done = `${out}/done.log`;
    await waitFor(() => lines(done).filter((l) => l.startsWith("E ")).length >= 200, 60, "200 completions", 10);
    const ended = () => new Set(lines(done).filter((l) => l.startsWith("E ")).map((l) => l.split(" ")[1]));
    const e0 = ended();
    const held = lines(done).filter((l) => l.startsWith("S ") && l.split(" ")[4] === name && !e0.has(l.split(" ")[1])).map((l) => l.split(" ")[1]);
    const killedNs = monoNs();
    kill();
    const heldSet = new Set(held);
    let recoveredNs: number | null = null;
    try {
      await waitFor(() => {
        const again = new Map<string, number>();
        for (const l of lines(done)) { const f = l.split(" "); if (f[0] === "S" && heldSet.has(f[1]) && f[4] !== name) again.set(f[1], Number(f[3])); }
        if (again.size < heldSet.size) return false;
        recoveredNs = Math.max(...again.values());
        return true;
      }, 100, "held tasks to start elsewhere", 20);
    } catch { /* reported as null */ }
    await waitFor(() => ended().size >= n, 100, "every task ended", 50).catch(() => null);
    const starts = lines(done).filter((l) => l.startsWith("E "));
    const ids = new Set(starts.map((l) => l.split(" ")[1]));
    return { held_at_kill: held.length, recovery_s: recoveredNs === null ? null : round((recoveredNs - killedNs) / 1e9, 3), ended_unique: ids.size, lost: n - ids.size, duplicate_ends: starts.length - ids.size };
  };
  return caseFn("kill_instance", () => withRedis("aof_always", async (s, r) => {
    const version = (await r.info("server")).match(/redis_version:(\S+)/)?.[1] ?? "?";
    // mulefarm: two instances; the second is killed with its whole process group.
    const out = mkdtempSync(join(tmpdir(), "mulefarm-bench-redis-kill-"));
    let mf: any;
    const servers: Server[] = [];
    try {
      servers.push(await mulefarmInstance(s, out, "m1", "aof_always"), await mulefarmInstance(s, out, "m2", "aof_always"));
      await servers[0].getJson(`/enqueue?n=${n}&inflight=100&ms=${ms}`, 60);
      mf = await measure(() => { try { process.kill(-servers[1].proc!.pid!, "SIGKILL"); } catch { /* gone */ } }, out, "m2");
    } finally {
      for (const x of servers) await x.stop();
      rmSync(out, { recursive: true, force: true });
    }
    await r.flushall();
    let bq: any = null;
    if (process.env.BENCH_REDIS_KILL_BULLMQ !== "0") {
      const bout = mkdtempSync(join(tmpdir(), "bullmq-bench-redis-kill-"));
      const ws = [bullmq(["worker", s.url, "bench", `${bout}/done.log`, String(CONC), String(ms), "b1"]), bullmq(["worker", s.url, "bench", `${bout}/done.log`, String(CONC), String(ms), "b2"], true)];
      try {
        await Promise.all(ws.map((w) => w.line));
        const p = bullmq(["producer", s.url, "bench", String(n), "100", "0"]);
        await p.line;
        bq = await measure(() => { try { process.kill(-ws[1].child.pid!, "SIGKILL"); } catch { /* gone */ } }, bout, "b2");
        bq.lock_duration_ms = 30000;
        bq.note = "BullMQ defaults: lockDuration 30 s, stalledInterval 30 s";
      } finally {
        for (const w of ws) await stopProc(w);
        rmSync(bout, { recursive: true, force: true });
      }
    }
    return { name: "kill_instance", ok: mf?.lost === 0, params: { ...params("aof_always", 2, version), n, task_ms: ms, kill_after_completions: 200, mulefarm_lease_ms: 4000 }, ...mf, bullmq: bq };
  }));
}

const all = [throughputCase("aof_always", 1), throughputCase("aof_always", 2), throughputCase("no_persistence", 1), throughputCase("no_persistence", 2), atCase(), killCase()];
const want = process.env.BENCH_REDIS_CASES?.split(",").filter(Boolean);
await runCases("redis_spooler", want ? all.filter((c) => want.includes(c.caseName)) : all, envInt("BENCH_DEADLINE_S", 400), { n: N });
