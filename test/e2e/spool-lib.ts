import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { freePort, start, stats, tmp, until, type Instance } from "./lib.ts";

export interface SpoolInstance { mf: Instance; out: string; dir: string; port: number; sport: number; log(name: string): string[]; get(path: string): Promise<any> }

export async function startSpooler(extra: string[] = [], env: Record<string, string> = {}): Promise<SpoolInstance> {
  const [port, sport] = [await freePort(), await freePort()];
  const out = tmp("mf-spool-");
  const dir = join(out, "spool");
  const mf = start(["--http", `127.0.0.1:${port}`, "--module", "test/fixtures/spooler/app.ts", "--import", "test/fixtures/spooler/tasks.ts", "--spooler", dir, "--stats", `127.0.0.1:${sport}`, ...extra], { env: { OUT: out, ...env } });
  const http = extra.includes("--stats-http");
  await until(async () => { const d = await stats(sport, http); return [...d.workers, ...d.spoolers.map((s: any) => ({ status: s.pid || s.statuses?.[0] === "cheap" ? "idle" : "x" }))].every((x: any) => x.status === "idle"); }, 20000, "ready");
  await until(async () => (await stats(sport, http)).workers[0].status === "idle", 10000, "worker");
  const log = (name: string) => { const f = join(out, name); return existsSync(f) ? readFileSync(f, "utf8").trim().split("\n").filter(Boolean) : []; };
  const get = async (path: string) => { const r = await fetch(`http://127.0.0.1:${port}${path}`); const t = await r.text(); try { return JSON.parse(t); } catch { return t; } };
  return { mf, out, dir, port, sport, log, get };
}
