// Shared plumbing for the mulefarm benchmark drivers (the twin of
// ../shared/bench/uwsgi/harness.py). Every driver starts one or more
// `dist/mulefarm` instances, drives them over loopback only and prints exactly
// one JSON line on stdout (see ../shared/bench/WORKLOADS.md).
//
// Bounded everywhere: each driver has a whole-script deadline, every wait has
// a timeout, each case's server runs in a fresh temp dir and is stopped by PID
// (SIGINT to the master, then SIGKILL to every remembered PID whose
// /proc/PID/exe is the mulefarm binary). No pkill/killall.
import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { closeSync, existsSync, mkdtempSync, openSync, readFileSync, readdirSync, readlinkSync, realpathSync, rmSync } from "node:fs";
import { connect, createServer } from "node:net";
import { tmpdir } from "node:os";
import { monoNs } from "./apps/clock.ts";
import { dirname, join, resolve } from "node:path";

export const HERE = dirname(new URL(import.meta.url).pathname);
export const APPS = join(HERE, "apps");
export const REPO = resolve(HERE, "../..");
export const BIN = process.env.MULEFARM_BIN ?? join(REPO, "dist/mulefarm");
export const KEEP = process.env.BENCH_KEEP === "1";

export class BenchTimeout extends Error { override name = "BenchTimeout"; }
export class BenchDeadline extends Error { override name = "BenchDeadline"; }

/** CLOCK_MONOTONIC in ns (the same clock as Python's time.monotonic_ns()); see apps/clock.ts. */
export const nowNs = monoNs;
export const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

export function envInt(name: string, dflt: number): number {
  const v = process.env[name];
  return v === undefined || v === "" ? dflt : Number(v);
}

export async function freePort(): Promise<number> {
  return await new Promise((res, rej) => {
    const s = createServer();
    s.once("error", rej);
    s.listen(0, "127.0.0.1", () => {
      const port = (s.address() as any).port as number;
      s.close(() => res(port));
    });
  });
}

let deadlineAt = Infinity;
export function remainingMs(): number { return deadlineAt - Date.now(); }

export async function waitFor<T>(pred: () => T | Promise<T>, timeoutS: number, what: string, intervalMs = 10): Promise<NonNullable<T>> {
  const end = Date.now() + timeoutS * 1000;
  for (;;) {
    const v = await pred();
    if (v) return v as NonNullable<T>;
    if (Date.now() >= end) throw new BenchTimeout(`timed out after ${timeoutS}s waiting for ${what}`);
    if (Date.now() >= deadlineAt) throw new BenchDeadline("script deadline exceeded");
    await sleep(intervalMs);
  }
}

export function readJson(path: string): any {
  try { return JSON.parse(readFileSync(path, "utf8")); } catch { return null; }
}

/** Nearest-rank percentile of an already sorted array (p in 0..100). */
export function percentile(sorted: number[], p: number): number | null {
  if (!sorted.length) return null;
  const k = Math.max(1, Math.min(sorted.length, Math.ceil((p / 100) * sorted.length)));
  return sorted[k - 1];
}
export function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const n = s.length;
  return n % 2 ? s[(n - 1) / 2] : (s[n / 2 - 1] + s[n / 2]) / 2;
}
export const round = (x: number, d = 0) => { const f = 10 ** d; return Math.round(x * f) / f; };

let versionCache: string | null = null;
export function mulefarmVersion(): string {
  if (versionCache !== null) return versionCache;
  try {
    const r = spawnSync(BIN, ["--version"], { encoding: "utf8", timeout: 5000, env: cleanEnv() });
    versionCache = (r.stdout || "").trim() || `unknown (rc=${r.status})`;
  } catch (e) {
    versionCache = `unknown (${e})`;
  }
  return versionCache;
}

/** The driver's environment minus what must not leak into the binary (bun's own switches). */
export function cleanEnv(extra: Record<string, string | number> = {}): Record<string, string> {
  const env: Record<string, string> = {};
  for (const [k, v] of Object.entries(process.env)) if (v !== undefined && !k.startsWith("BUN_")) env[k] = v;
  for (const [k, v] of Object.entries(extra)) env[k] = String(v);
  return env;
}

// ------------------------------------------------------------------ /proc

export function procChildren(pid: number): number[] {
  const kids: number[] = [];
  try {
    for (const tid of readdirSync(`/proc/${pid}/task`)) {
      try {
        for (const x of readFileSync(`/proc/${pid}/task/${tid}/children`, "utf8").split(/\s+/)) if (x) kids.push(Number(x));
      } catch { /* thread gone */ }
    }
  } catch { /* process gone */ }
  return kids;
}

export function procStatusKb(pid: number, key: string): number | null {
  try {
    const m = new RegExp(`^${key}:\\s+(\\d+)`, "m").exec(readFileSync(`/proc/${pid}/status`, "utf8"));
    return m ? Number(m[1]) : null;
  } catch { return null; }
}
export function procPssKb(pid: number): number | null {
  try {
    const m = /^Pss:\s+(\d+)/m.exec(readFileSync(`/proc/${pid}/smaps_rollup`, "utf8"));
    return m ? Number(m[1]) : null;
  } catch { return null; }
}
export function procMem(pid: number) {
  return { pid, rss_kb: procStatusKb(pid, "VmRSS"), pss_kb: procPssKb(pid) };
}

/** The process's start time (clock ticks since boot), to tell a reused PID from the one remembered. */
function startTime(pid: number): string | null {
  try {
    const st = readFileSync(`/proc/${pid}/stat`, "utf8");
    return st.slice(st.lastIndexOf(")") + 2).split(" ")[19] ?? null;
  } catch { return null; }
}

function exeOf(pid: number): string | null {
  try { return readlinkSync(`/proc/${pid}/exe`); } catch { return null; }
}
const BIN_REAL = (() => { try { return realpathSync(BIN); } catch { return BIN; } })();
function isMulefarm(pid: number): boolean {
  const e = exeOf(pid);
  return e !== null && (e === BIN_REAL || e.replace(/ \(deleted\)$/, "") === BIN_REAL);
}

// ---------------------------------------------------------------- server

/** Every live server, so that a deadline or a signal still stops them. */
const live = new Set<Server>();

export class Server {
  readonly dir: string;
  port = 0;
  readonly log: string;
  proc: ChildProcess | null = null;
  tLaunchNs = 0;
  /** Every PID seen in this server's tree, with its start time (a reused PID is never signalled). */
  seenPids = new Map<number, string | null>();
  private exited: Promise<void> = Promise.resolve();
  exitCode: number | null = null;
  exitSignal: string | null = null;
  cmd: string[] = [];

  /** `args` may contain {port}, {dir}, {apps} placeholders. */
  constructor(readonly name: string, readonly args: string[], readonly env: Record<string, string | number> = {}) {
    this.dir = mkdtempSync(join(tmpdir(), `mulefarm-bench-${name}-`));
    this.log = join(this.dir, "mulefarm.log");
  }

  async start(): Promise<this> {
    this.port = await freePort();
    const fmt = (a: string) => a.replaceAll("{port}", String(this.port)).replaceAll("{dir}", this.dir).replaceAll("{apps}", APPS);
    this.cmd = [BIN, ...this.args.map(fmt)];
    const out = openSync(this.log, "a");
    live.add(this);
    this.tLaunchNs = nowNs();
    this.proc = spawn(this.cmd[0], this.cmd.slice(1), {
      cwd: this.dir, env: cleanEnv({ BENCH_DIR: this.dir, ...this.env }),
      stdio: ["ignore", out, out], detached: true, // own session, as uWSGI's harness does
    });
    closeSync(out);
    this.exited = new Promise((res) => this.proc!.once("exit", (code, sig) => { this.exitCode = code; this.exitSignal = sig; res(); }));
    this.proc.once("error", () => {});
    return this;
  }

  alive(): boolean { return this.proc !== null && this.exitCode === null && this.exitSignal === null; }

  checkAlive(): void {
    if (this.proc && !this.alive()) throw new Error(`mulefarm exited early (rc=${this.exitCode}, signal=${this.exitSignal}); log tail:\n${this.logTail()}`);
  }

  logTail(n = 20): string {
    try { return readFileSync(this.log, "utf8").split("\n").slice(-n - 1).join("\n"); } catch { return "(no log)"; }
  }
  logText(): string { try { return readFileSync(this.log, "utf8"); } catch { return ""; } }

  /** The master and all its mulefarm descendants (remembered for stop()). */
  pids(): Set<number> {
    const found = new Set<number>();
    if (!this.proc?.pid) return found;
    const todo = [this.proc.pid];
    while (todo.length) {
      const p = todo.pop()!;
      if (found.has(p)) continue;
      found.add(p);
      todo.push(...procChildren(p));
    }
    for (const p of [...found]) if (p !== this.proc.pid && !isMulefarm(p)) found.delete(p);
    for (const p of found) if (!this.seenPids.has(p)) this.seenPids.set(p, startTime(p));
    return found;
  }

  async stop(): Promise<void> {
    try {
      if (this.proc?.pid) {
        this.pids();
        if (this.alive()) {
          try { process.kill(this.proc.pid, "SIGINT"); } catch { /* gone */ }
          await Promise.race([this.exited, sleep(5000)]);
        }
        for (const [p, started] of [...this.seenPids.entries()].sort((a, b) => a[0] - b[0])) {
          const same = started !== null && startTime(p) === started;
          if (p === this.proc.pid ? this.alive() : same && isMulefarm(p)) { try { process.kill(p, "SIGKILL"); } catch { /* gone */ } }
        }
        await Promise.race([this.exited, sleep(5000)]);
      }
    } finally {
      live.delete(this);
      this.proc = null;
      if (!KEEP) rmSync(this.dir, { recursive: true, force: true });
      else process.stderr.write(`[${this.name}] kept ${this.dir}\n`);
    }
  }

  /** The command line with the temp dir, apps dir and port as placeholders. */
  command(): string {
    return this.cmd.map((a) => a.replaceAll(this.dir, "$TMP").replaceAll(APPS, "bench/mulefarm/apps").replaceAll(`127.0.0.1:${this.port}`, "127.0.0.1:$PORT").replace(BIN, "dist/mulefarm")).join(" ");
  }

  path(...parts: string[]): string { return join(this.dir, ...parts); }

  async get(path: string, timeoutS = 25): Promise<Response> {
    return await fetch(`http://127.0.0.1:${this.port}${path}`, { signal: AbortSignal.timeout(timeoutS * 1000) });
  }
  async getJson(path: string, timeoutS = 25): Promise<any> {
    const r = await this.get(path, timeoutS);
    const t = await r.text();
    if (r.status !== 200) throw new Error(`GET ${path}: HTTP ${r.status}: ${t.slice(0, 500)}`);
    return JSON.parse(t);
  }

  async waitHttp(timeoutS = 10): Promise<void> {
    await waitFor(async () => {
      this.checkAlive();
      try { const r = await this.get("/ping", 1); await r.arrayBuffer(); return r.status === 200; } catch { return false; }
    }, timeoutS, "HTTP /ping", 20);
  }

  async waitFiles(names: string[], timeoutS = 10): Promise<void> {
    await waitFor(() => { this.checkAlive(); return names.every((n) => existsSync(this.path(n))); }, timeoutS, `files ${names.join(", ")}`, 5);
  }
}

/** Runs `fn` with a started server and always stops it. */
export async function withServer<T>(s: Server, fn: (s: Server) => Promise<T>): Promise<T> {
  try {
    await s.start();
    return await fn(s);
  } finally {
    await s.stop();
  }
}

async function stopAll() { for (const s of [...live]) await s.stop().catch(() => {}); }

// ---------------------------------------------------------------- output

export type Case = Record<string, any> & { name: string; ok: boolean };
export interface CaseFn { (): Promise<Case>; caseName: string }

export function caseFn(name: string, fn: () => Promise<Case>): CaseFn {
  return Object.assign(fn, { caseName: name });
}

export function emit(workload: string, cases: Case[], extra: Record<string, unknown> = {}, started?: number): void {
  const out: Record<string, unknown> = {
    workload, impl: "mulefarm", version: mulefarmVersion().split(/\s+/).slice(0, 2).join(" "),
    ok: cases.length > 0 && cases.every((c) => c.ok !== false), cases,
  };
  if (started !== undefined) out.elapsed_s = round((Date.now() - started) / 1000, 2);
  Object.assign(out, extra);
  process.stdout.write(JSON.stringify(out) + "\n");
}

/** Runs each case (a failing case is reported, not fatal) under a whole-script deadline. */
export async function runCases(workload: string, fns: CaseFn[], deadlineS: number, extra: Record<string, unknown> = {}): Promise<void> {
  const started = Date.now();
  deadlineAt = started + deadlineS * 1000;
  const cases: Case[] = [];
  let stopping = false;
  const onSignal = (sig: string) => {
    if (stopping) return;
    stopping = true;
    void stopAll().finally(() => {
      cases.push({ name: "(interrupted)", ok: false, error: `stopped by ${sig}` });
      emit(workload, cases, extra, started);
      process.exit(1);
    });
  };
  process.on("SIGTERM", () => onSignal("SIGTERM"));
  process.on("SIGINT", () => onSignal("SIGINT"));
  const hard = setTimeout(() => onSignal(`the script deadline of ${deadlineS}s`), deadlineS * 1000 + 15_000);
  for (const fn of fns) {
    if (Date.now() >= deadlineAt) {
      cases.push({ name: fn.caseName, ok: false, error: `BenchDeadline: script deadline of ${deadlineS}s exceeded before the case started` });
      continue;
    }
    try {
      cases.push(await fn());
    } catch (e: any) {
      cases.push({ name: fn.caseName, ok: false, error: `${e?.name ?? "Error"}: ${e?.message ?? e}`.slice(0, 2000) });
    }
  }
  clearTimeout(hard);
  if (stopping) return;
  emit(workload, cases, extra, started);
  await stopAll();
  process.exit(0);
}

export class EngineUnavailable extends Error { override name = "EngineUnavailable"; }
let unavailable: string | null = null;

/** Throws EngineUnavailable when an earlier case already found the engine missing. */
export function skipIfUnavailable(): void {
  if (unavailable) throw new EngineUnavailable(unavailable);
}

/** Asks the app which API functions it could not find (GET /caps); throws EngineUnavailable if any. */
export async function requireCaps(u: Server): Promise<void> {
  const caps = await u.getJson("/caps", 5);
  if (caps.missing?.length) {
    unavailable = `engine not available in this build: the API lacks ${caps.missing.join(", ")}`;
    throw new EngineUnavailable(unavailable);
  }
}

/** One document from a stats server (uWSGI style: JSON on connect, then close); null on failure. */
export function stats(port: number): Promise<any> {
  return new Promise((resolve) => {
    const s = connect(port, "127.0.0.1");
    let d = "";
    const t = setTimeout(() => { s.destroy(); resolve(null); }, 1000);
    s.on("data", (b) => (d += b));
    s.on("error", () => { clearTimeout(t); resolve(null); });
    s.on("close", () => { clearTimeout(t); try { resolve(JSON.parse(d)); } catch { resolve(null); } });
  });
}
