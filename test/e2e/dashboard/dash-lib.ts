// Helpers of the dashboard tests: an instance with every kind of process
// (2 workers, 2 mules in a farm, a spooler, a cache, locks, a timer and a
// cron) serving --stats-http, and Debian's chromium driven by puppeteer-core.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { command, freePort, ROOT, start, stats, tmp, until, type Instance } from "../lib.ts";

export const CHROMIUM = process.env.MF_CHROMIUM ?? "/usr/bin/chromium";

export interface DashInstance { mf: Instance; out: string; dir: string; port: number; sport: number; base: string; token(): Promise<string>; doc(): Promise<any> }

export async function startDashboard(): Promise<DashInstance> {
  const [port, sport] = [await freePort(), await freePort()];
  const out = tmp("mf-dash-");
  const dir = join(out, "spool");
  const F = "test/fixtures/dashboard";
  const mf = start([
    "--http", `127.0.0.1:${port}`, "--processes", "2", "--module", `${F}/app.ts`, "--import", `${F}/tasks.ts`,
    "--mule", `${F}/mule.ts`, "--mule", `${F}/mule.ts`, "--farm", "f:1,2", "--spooler", dir, "--spooler-frequency", "1",
    "--cache2", "name=default,items=100", "--locks", "2", "--stats", `127.0.0.1:${sport}`, "--stats-http",
  ], { env: { OUT: out } });
  const doc = () => stats(sport, true);
  await until(async () => {
    const d = await doc();
    return [...d.workers, ...d.mules].every((p: any) => p.status === "idle") && d.spoolers[0].pid > 0;
  }, 30000, "every process ready");
  const base = `http://127.0.0.1:${sport}`;
  // The control token, read from the runtime dir as its owner (what `mulefarm reload --stats` does).
  const token = async () => readFileSync(join((await doc()).runtime_dir, "control.token"), "utf8");
  return { mf, out, dir, port, sport, base, doc, token };
}

export const CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"];

export async function launchChromium() {
  const puppeteer = (await import("puppeteer-core")).default;
  const profile = tmp("mf-chromium-");
  return puppeteer.launch({ executablePath: CHROMIUM, args: [...CHROMIUM_ARGS, `--user-data-dir=${profile}`, "--window-size=1400,1000"], headless: true, defaultViewport: { width: 1400, height: 1000 } });
}

/** `mulefarm spool ls DIR`, run as a process: its output. */
export function spoolLs(dir: string): string {
  const [cmd, ...pre] = command();
  const r = spawnSync(cmd, [...pre, "spool", "ls", dir], { cwd: ROOT, encoding: "utf8" });
  assert.equal(r.status, 0, r.stderr);
  return r.stdout;
}
