// Starts the real mulefarm (from source on Bun, the compiled binary, or from
// source on Deno: MF_RUNTIME=bun|compiled|deno) and helps tests observe it.
import { spawn, type ChildProcess } from "node:child_process";
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { createConnection, createServer } from "node:net";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { afterThisTest } from "../harness.ts";

export const ROOT = resolve(import.meta.dirname ?? new URL(".", import.meta.url).pathname, "../..");
export const RUNTIME = (process.env.MF_RUNTIME ?? "bun") as "bun" | "compiled" | "deno";
export const FIX = join(ROOT, "test/fixtures");

export function command(): string[] {
  const bin = (n: string) => join(ROOT, "node_modules/.bin", n);
  switch (RUNTIME) {
    case "compiled": return [join(ROOT, "dist/mulefarm")];
    case "deno": return [bin("deno"), "run", "-A", "--no-check", "--config", join(ROOT, "deno.json"), join(ROOT, "cmd/main.ts")];
    default: return [bin("bun"), join(ROOT, "cmd/main.ts")];
  }
}

/** A fresh temp dir, removed when the test that made it ends (MF_KEEP_TMP=1 keeps it, to look at). */
export function tmp(prefix = "mf-test-"): string {
  const d = mkdtempSync(join(tmpdir(), prefix));
  if (!process.env.MF_KEEP_TMP) afterThisTest.push(() => rmSync(d, { recursive: true, force: true }));
  return d;
}

export interface Instance {
  proc: ChildProcess;
  pid: number;
  output(): string;
  waitFor(re: RegExp, ms?: number): Promise<RegExpMatchArray>;
  exited: Promise<{ code: number | null; signal: string | null }>;
  stop(sig?: NodeJS.Signals): Promise<{ code: number | null; signal: string | null }>;
}

/** Runs mulefarm with `args`; output (stdout+stderr) is collected. */
export function start(args: string[], opts: { env?: Record<string, string>; cwd?: string } = {}): Instance {
  const [cmd, ...pre] = command();
  const proc = spawn(cmd, [...pre, ...args], {
    cwd: opts.cwd ?? ROOT,
    env: { ...process.env, ...opts.env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let out = "";
  const listeners: Array<() => void> = [];
  const onData = (d: Buffer) => { out += d.toString(); for (const l of listeners.splice(0)) l(); };
  proc.stdout!.on("data", onData);
  proc.stderr!.on("data", onData);
  const exited = new Promise<{ code: number | null; signal: string | null }>((r) => proc.once("exit", (code, signal) => r({ code, signal })));
  const inst: Instance = {
    proc,
    pid: proc.pid!,
    output: () => out,
    exited,
    waitFor(re, ms = 15000) {
      return new Promise((resolve, reject) => {
        const t = setTimeout(() => reject(new Error(`timed out waiting for ${re} in output:\n${out.slice(-3000)}`)), ms);
        const check = () => {
          const m = out.match(re);
          if (m) { clearTimeout(t); resolve(m); } else listeners.push(check);
        };
        check();
        exited.then(() => setTimeout(() => { const m = out.match(re); if (m) { clearTimeout(t); resolve(m); } else { clearTimeout(t); reject(new Error(`exited before ${re}:\n${out.slice(-3000)}`)); } }, 50));
      });
    },
    async stop(sig = "SIGTERM") {
      if (proc.exitCode === null && proc.signalCode === null) proc.kill(sig);
      const t = setTimeout(() => proc.kill("SIGKILL"), 15000);
      const r = await exited;
      clearTimeout(t);
      return r;
    },
  };
  return inst;
}

/** Runs mulefarm to completion (for usage errors). */
export async function run(args: string[], opts: { env?: Record<string, string>; cwd?: string; timeoutMs?: number } = {}) {
  const i = start(args, opts);
  const t = setTimeout(() => i.proc.kill("SIGKILL"), opts.timeoutMs ?? 15000);
  const r = await i.exited;
  clearTimeout(t);
  await new Promise((res) => setTimeout(res, 20));
  return { ...r, output: i.output() };
}

export function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const s = createServer();
    s.listen(0, "127.0.0.1", () => {
      const p = (s.address() as any).port;
      s.close(() => resolve(p));
    });
  });
}

/** Reads the stats server's one JSON document (`http`: a server started with --stats-http). */
export function stats(port: number, http = false): Promise<any> {
  if (http) return fetch(`http://127.0.0.1:${port}/`).then((r) => r.json());
  return new Promise((resolve, reject) => {
    const s = createConnection(port, "127.0.0.1");
    let data = "";
    s.on("data", (d) => (data += d));
    s.on("end", () => { try { resolve(JSON.parse(data)); } catch (e) { reject(e); } });
    s.on("error", reject);
  });
}

export async function until<T>(fn: () => T | Promise<T>, ms = 10000, what = "condition"): Promise<T> {
  const end = Date.now() + ms;
  let last: unknown;
  while (Date.now() < end) {
    try {
      const v = await fn();
      if (v) return v;
    } catch (e) { last = e; }
    await sleep(50);
  }
  throw new Error(`timed out after ${ms} ms waiting for ${what}${last ? `: ${last}` : ""}`);
}

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * Whether `pid` is still running. A zombie has exited (it runs nothing and
 * holds no port) and only waits for its new parent, pid 1, to reap it, which
 * here can take a while: it counts as gone.
 */
export function alive(pid: number): boolean {
  try { process.kill(pid, 0); } catch { return false; }
  try {
    const st = readFileSync(`/proc/${pid}/stat`, "utf8");
    return st.slice(st.lastIndexOf(")") + 2)[0] !== "Z";
  } catch { return false; }
}

export function readJson(path: string): any {
  return existsSync(path) ? JSON.parse(readFileSync(path, "utf8")) : null;
}

/** Every descendant pid of `pid` (from /proc), for "no child left" checks. */
export function descendants(pid: number): number[] {
  const parent = new Map<number, number>();
  for (const d of readdirSync("/proc")) {
    if (!/^\d+$/.test(d)) continue;
    try {
      const st = readFileSync(`/proc/${d}/stat`, "utf8");
      const ppid = Number(st.slice(st.lastIndexOf(")") + 2).split(" ")[1]);
      parent.set(Number(d), ppid);
    } catch { /* gone */ }
  }
  const out: number[] = [];
  const walk = (p: number) => { for (const [c, pp] of parent) if (pp === p) { out.push(c); walk(c); } };
  walk(pid);
  return out;
}

/** `n` GET requests with `concurrency` keep-alive loops; returns failures. */
export async function load(url: string, n: number, concurrency = 8): Promise<{ ok: number; failed: number; errors: string[] }> {
  let ok = 0, failed = 0, next = 0;
  const errors: string[] = [];
  await Promise.all(Array.from({ length: concurrency }, async () => {
    while (next < n) {
      next++;
      try {
        const r = await fetch(url);
        await r.text();
        if (r.status === 200) ok++; else { failed++; errors.push(`status ${r.status}`); }
      } catch (e) { failed++; errors.push(String(e)); }
    }
  }));
  return { ok, failed, errors };
}
