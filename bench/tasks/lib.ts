// Plumbing for the task-control benchmarks (bench/tasks/): one mulefarm
// instance on a spool directory or on its own redis-server, driven over
// loopback, stopped by PID. Each script prints one JSON line.
import { spawn, type ChildProcess } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { startRedis, type RedisServer } from "../../test/redis-lib.ts";

export const REPO = resolve(dirname(new URL(import.meta.url).pathname), "../..");
const BIN = process.env.MULEFARM_BIN ?? join(REPO, "dist/mulefarm");
export const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));
export const envNum = (k: string, d: number) => (process.env[k] ? Number(process.env[k]) : d);

async function freePort(): Promise<number> {
  return await new Promise((res, rej) => {
    const s = createServer();
    s.once("error", rej);
    s.listen(0, "127.0.0.1", () => { const p = (s.address() as any).port; s.close(() => res(p)); });
  });
}

export interface Inst { out: string; address: string; get(path: string): Promise<any>; stats(): Promise<any>; lines(name: string): string[]; stop(): Promise<void> }

/** Starts one instance; `store` "file" puts the spool in `base` (default a temp dir on disk), "redis" on a fresh redis-server. */
export async function startInstance(store: "file" | "redis", extra: string[], base?: string): Promise<Inst> {
  const out = mkdtempSync(join(base ?? tmpdir(), "mf-bench-tasks-"));
  let redis: RedisServer | null = null;
  let address = join(out, "spool");
  if (store === "redis") { redis = await startRedis({ appendfsync: "always" }); address = `${redis.url}#bench`; }
  const [port, sport] = [await freePort(), await freePort()];
  const cmd = existsSync(BIN) ? [BIN] : [join(REPO, "node_modules/.bin/bun"), join(REPO, "cmd/main.ts")];
  const proc: ChildProcess = spawn(cmd[0], [...cmd.slice(1), "--http", `127.0.0.1:${port}`, "--module", join(REPO, "bench/tasks/app.ts"), "--import", join(REPO, "bench/tasks/app.ts"), "--spooler", address, "--stats", `127.0.0.1:${sport}`, ...extra], { cwd: REPO, env: { ...process.env, OUT: out }, stdio: ["ignore", "ignore", "pipe"] });
  let err = "";
  proc.stderr!.on("data", (d) => { err = (err + d).slice(-4000); });
  const stats = async () => {
    const { connect } = await import("node:net");
    return await new Promise<any>((res, rej) => {
      const c = connect(sport, "127.0.0.1");
      let b = "";
      c.on("data", (d) => (b += d)); c.on("end", () => { try { res(JSON.parse(b)); } catch (e) { rej(e); } }); c.on("error", rej);
    });
  };
  const until = Date.now() + 30_000;
  for (;;) {
    try { const d = await stats(); if (d.workers?.every((w: any) => w.status === "idle") && d.spoolers?.every((s: any) => s.pid > 0)) break; } catch { /* not yet */ }
    if (Date.now() > until) { proc.kill("SIGKILL"); await redis?.stop(); throw new Error(`instance did not start: ${err}`); }
    await sleep(50);
  }
  return {
    out, address, stats,
    async get(path) { return (await fetch(`http://127.0.0.1:${port}${path}`)).json(); },
    lines(name) { const f = join(out, name); return existsSync(f) ? readFileSync(f, "utf8").trim().split("\n").filter(Boolean) : []; },
    async stop() {
      proc.kill("SIGINT");
      const t = setTimeout(() => proc.kill("SIGKILL"), 15_000);
      await new Promise((r) => proc.once("exit", r));
      clearTimeout(t);
      await redis?.stop();
      if (!process.env.BENCH_KEEP) rmSync(out, { recursive: true, force: true });
    },
  };
}
