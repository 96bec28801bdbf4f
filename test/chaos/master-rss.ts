// The master's memory under a sustained flood (issue 17, point 3): one
// producer mule sends to mule 1 and to a farm of two as fast as it can for
// --seconds S (default 80); the master's VmRSS (and each mule's) is read from
// /proc every 200 ms, and the peak printed. Needs a quiet machine for the
// throughput figure; the peak is what it is for. Linux only.
// `bun test/chaos/master-rss.ts [--seconds S] [--only mule|farm] [--runtime bun|compiled|deno]`
import { spawn } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";

const ROOT = resolve(import.meta.dirname ?? new URL(".", import.meta.url).pathname, "../..");
const opt = (name: string, def: string) => { const i = process.argv.indexOf(`--${name}`); return i > 0 ? process.argv[i + 1] : def; };
const SECONDS = Number(opt("seconds", "80"));
const RUNTIME = opt("runtime", process.env.MF_RUNTIME ?? "bun");
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const rssMb = (pid: number) => { try { return Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, "utf8"))![1]) / 1024; } catch { return 0; } };
const children = (pid: number) => { try { return readFileSync(`/proc/${pid}/task/${pid}/children`, "utf8").trim().split(/\s+/).filter(Boolean).map(Number); } catch { return []; } };

const bin = (n: string) => join(ROOT, "node_modules/.bin", n);
const cmd = RUNTIME === "compiled" ? [join(ROOT, "dist/mulefarm")] : RUNTIME === "deno" ? [bin("deno"), "run", "-A", "--no-check", "--config", join(ROOT, "deno.json"), join(ROOT, "cmd/main.ts")] : [bin("bun"), ...(process.env.RSS_SMOL ? ["--smol"] : []), join(ROOT, "cmd/main.ts")];
const out = mkdtempSync(join(tmpdir(), "mf-rss-"));
const c = "--mule=test/chaos/flood-consumer.ts";
const master = spawn(cmd[0], [...cmd.slice(1), c, c, c, "--mule=test/chaos/flood-producer.ts", "--farm", "f:2,3"], { cwd: ROOT, env: { ...process.env, OUT: out, FLOOD_ONLY: opt("only", "") }, stdio: "ignore" });
let peak = 0, peakMules = 0;
const samples: number[] = [];
const t0 = Date.now();
while (Date.now() - t0 < SECONDS * 1000) {
  await sleep(200);
  const m = rssMb(master.pid!);
  samples.push(m);
  peak = Math.max(peak, m);
  for (const p of children(master.pid!)) peakMules = Math.max(peakMules, rssMb(p));
}
writeFileSync(join(out, "stop"), "");
await sleep(1000);
const got = [1, 2, 3].map((i) => (existsSync(join(out, `got${i}`)) ? Number(readFileSync(join(out, `got${i}`), "utf8")) : 0));
master.kill("SIGTERM");
await new Promise((r) => master.once("exit", r));
rmSync(out, { recursive: true, force: true });
samples.sort((a, b) => a - b);
console.log(`flood ${SECONDS} s on ${RUNTIME}: mule 1 took ${got[0]}, farm f took ${got[1] + got[2]} (${((got[0] + got[1] + got[2]) / SECONDS / 1e6).toFixed(2)} M messages/s)`);
console.log(`master RSS: peak ${peak.toFixed(0)} MB, median ${samples[samples.length >> 1]?.toFixed(0)} MB, min ${samples[0]?.toFixed(0)} MB; largest mule ${peakMules.toFixed(0)} MB`);
