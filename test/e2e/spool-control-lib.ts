// An instance whose worker spools the tasks of test/fixtures/spooler/control-tasks.ts
// (Unrecoverable, Retry, spoolforever) into one spooler.
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { freePort, start, stats, tmp, until, type Instance } from "./lib.ts";

export interface ControlSpooler { mf: Instance; out: string; dir: string; log(name: string): string[]; get(path: string): Promise<any>; files(sub: string): string[] }

export async function startControlSpooler(): Promise<ControlSpooler> {
  const [port, sport] = [await freePort(), await freePort()];
  const out = tmp("mf-spoolctl-");
  const dir = join(out, "spool");
  const mf = start(["--http", `127.0.0.1:${port}`, "--module", "test/fixtures/spooler/control-app.ts", "--import", "test/fixtures/spooler/control-tasks.ts", "--spooler", dir, "--stats", `127.0.0.1:${sport}`], { env: { OUT: out } });
  await until(async () => { const d = await stats(sport); return d.workers.length && d.spoolers.length && d.workers.every((w: any) => w.status === "idle") && d.spoolers.every((s: any) => s.pid > 0 && s.statuses.every((x: string) => x === "idle")); }, 30000, "ready");
  const log = (name: string) => { const f = join(out, `${name}.log`); return existsSync(f) ? readFileSync(f, "utf8").trim().split("\n").filter(Boolean) : []; };
  const get = async (path: string) => { const r = await fetch(`http://127.0.0.1:${port}${path}`); const t = await r.text(); try { return JSON.parse(t); } catch { return t; } };
  const files = (sub: string) => { try { return readdirSync(join(dir, sub)).filter((f) => !f.startsWith(".")); } catch { return []; } };
  return { mf, out, dir, log, get, files };
}
