import assert from "node:assert/strict";
import { test } from "../../harness.ts";
import { freePort, start, stats, until } from "../lib.ts";

test("a signal registered for \"mules\" runs once in every process mule and once in every sandboxed light mule", async () => {
  const [port, sport] = [await freePort(), await freePort()];
  const mf = start([
    "--http", `127.0.0.1:${port}`, "--module", "test/fixtures/sandbox/broadcast-app.ts", "--mules", "2",
    "--mule=sandbox:test/fixtures/sandbox/signalled.ts", "--mule=sandbox:test/fixtures/sandbox/signalled.ts",
    "--cache2", "name=default,items=100,blocksize=256", "--grant", "cache", "--stats", `127.0.0.1:${sport}`,
  ]);
  const get = async (q: string) => JSON.parse(await (await fetch(`http://127.0.0.1:${port}/counts?${q}`)).text());
  try {
    let mules: any[] = [];
    await until(async () => { const x = await stats(sport); mules = x.mules; return x.workers[0].status === "idle" && mules.length === 4 && mules.every((m: any) => m.status === "idle") && x.signals?.length >= 1; }, 20000, "ready");
    const light = mules.filter((m) => m.sandboxed).map((m) => m.id), proc = mules.filter((m) => !m.sandboxed).map((m) => m.id);
    assert.equal(light.length, 2, JSON.stringify(mules));
    assert.equal(proc.length, 2, JSON.stringify(mules));
    for (let i = 0; i < 3; i++) assert.equal(await (await fetch(`http://127.0.0.1:${port}/raise/32`)).text(), "raised");
    const all = async () => [...await Promise.all(proc.map((id) => get(`process=${id}`))), ...await Promise.all(light.map((id) => get(`id=${id}`)))].map((c) => c["32"] ?? 0);
    await until(async () => (await all()).every((n) => n >= 3), 10000, "every mule ran signal 32 three times");
    await new Promise((r) => setTimeout(r, 300));
    assert.deepEqual(await all(), [3, 3, 3, 3], "each mule exactly three times");
    await until(async () => (await stats(sport)).signals.find((x: any) => x.num === 32).in_flight === 0, 5000, "signal 32 reported finished everywhere");
  } finally { await mf.stop(); }
}, 60000);
