import assert from "node:assert/strict";
import { test } from "../../harness.ts";
import { freePort, sleep, start, stats, until } from "../lib.ts";

test("with only sandboxed light mules, a \"mule\" signal runs in one of them at a time, in turn, and a farm signal in its member", async () => {
  const [port, sport] = [await freePort(), await freePort()];
  const mf = start([
    "--http", `127.0.0.1:${port}`, "--module", "test/fixtures/sandbox/one-mule-app.ts",
    "--mule=sandbox:test/fixtures/sandbox/signalled.ts", "--mule=sandbox:test/fixtures/sandbox/signalled.ts", "--farm", "lf:2",
    "--cache2", "name=default,items=100,blocksize=256", "--grant", "cache", "--stats", `127.0.0.1:${sport}`,
  ]);
  const counts = async (id: number) => JSON.parse(await (await fetch(`http://127.0.0.1:${port}/counts?id=${id}`)).text());
  const n = (c: any, k: string) => c[k] ?? 0;
  try {
    await until(async () => { const x = await stats(sport); return x?.workers[0].status === "idle" && x.mules.length === 2 && x.mules.every((m: any) => m.status === "idle") && x.signals?.length >= 2; }, 20000, "ready");
    for (let i = 0; i < 4; i++) { assert.equal(await (await fetch(`http://127.0.0.1:${port}/raise/33`)).text(), "raised"); await sleep(50); }
    await until(async () => n(await counts(1), "33") + n(await counts(2), "33") === 4, 10000, "signal 33 ran four times in all");
    const [c1, c2] = [await counts(1), await counts(2)];
    assert.deepEqual([n(c1, "33"), n(c2, "33")], [2, 2], "one mule per raise, in turn");
    for (let i = 0; i < 2; i++) await (await fetch(`http://127.0.0.1:${port}/raise/34`)).text();
    await until(async () => n(await counts(2), "34") === 2, 10000, "the farm's member ran signal 34 twice");
    await sleep(200);
    assert.equal(n(await counts(1), "34"), 0, "light mule 1 is not in farm lf");
  } finally { await mf.stop(); }
}, 45000);
