// uWSGI's --touch-mules-reload and --touch-spoolers-reload: a touch replaces
// that kind of process only (uWSGI's t/mules/reload.py, t/spooler/reload.py).
import assert from "node:assert/strict";
import { mkdirSync, utimesSync, writeFileSync } from "node:fs";
import { test } from "../../harness.ts";
import { freePort, start, stats, tmp, until } from "../lib.ts";

test("touching a --touch-mules-reload file replaces every mule and nothing else; a --touch-spoolers-reload file every spooler", async () => {
  const [port, sport] = [await freePort(), await freePort()];
  const dir = tmp("mf-touch-roles-");
  mkdirSync(dir, { recursive: true });
  const [mules, spoolers] = [`${dir}/mules.reload`, `${dir}/spoolers.reload`];
  writeFileSync(mules, "x");
  writeFileSync(spoolers, "x");
  const mf = start(["--http", `127.0.0.1:${port}`, "-p", "2", "--module", "examples/hello.ts", "--mules", "2", "--spooler", `${dir}/spool`,
    "--touch-mules-reload", mules, "--touch-spoolers-reload", spoolers, "--stats", `127.0.0.1:${sport}`]);
  const pids = async () => {
    const d = await stats(sport);
    return { workers: d.workers.map((w: any) => w.pid).sort(), mules: d.mules.map((m: any) => m.pid).sort(), spoolers: d.spoolers.flatMap((s: any) => s.pids).sort(),
      idle: [...d.workers, ...d.mules].every((x: any) => x.status === "idle") };
  };
  const touch = (f: string) => { const t = new Date(Date.now() + 60_000 + Math.random() * 1000); utimesSync(f, t, t); };
  // pid 0: a slot between its old process's exit and its new one's spawn.
  const disjoint = (a: number[], b: number[]) => a.every((p) => p > 0 && !b.includes(p));
  try {
    await until(async () => (await stats(sport)) && (await pids()).idle, 20000, "ready");
    const p0 = await pids();
    touch(mules);
    await until(async () => { const p = await pids(); return p.idle && p.mules.length === 2 && disjoint(p.mules, p0.mules); }, 15000, "both mules replaced");
    const p1 = await pids();
    assert.deepEqual(p1.workers, p0.workers, "workers untouched");
    assert.deepEqual(p1.spoolers, p0.spoolers, "spoolers untouched");
    touch(spoolers);
    await until(async () => { const p = await pids(); return p.spoolers.length === 1 && disjoint(p.spoolers, p1.spoolers); }, 15000, "the spooler replaced");
    const p2 = await pids();
    assert.deepEqual(p2.workers, p0.workers, "workers untouched");
    assert.deepEqual(p2.mules, p1.mules, `mules untouched by the spoolers' file: ${JSON.stringify({ p0, p1, p2 })}`);
    assert.match(mf.output(), /touch-mules-reload .* changed: reloading\n.*graceful reload of the mules\b/);
  } finally { await mf.stop(); }
}, 60000);
