import assert from "node:assert/strict";
import { test } from "../../harness.ts";
import { freePort, sleep, start, stats, until } from "../lib.ts";

test("a signal registered for light mule 2 runs its Mule.onSignal handlers, and a timer ticks light mule 1; neither reaches the other", async () => {
  const [port, sport] = [await freePort(), await freePort()];
  const mf = start([
    "--http", `127.0.0.1:${port}`, "--module", "test/fixtures/sandbox/signal-app.ts",
    "--mule=sandbox:test/fixtures/sandbox/signalled.ts", "--mule=sandbox:test/fixtures/sandbox/signalled.ts",
    "--cache2", "name=default,items=100,blocksize=256", "--grant", "cache", "--stats", `127.0.0.1:${sport}`,
  ]);
  const counts = async (id: number) => JSON.parse(await (await fetch(`http://127.0.0.1:${port}/counts?id=${id}`)).text());
  try {
    await until(async () => { const x = await stats(sport); return x.workers[0].status === "idle" && x.mules.every((m: any) => m.status === "idle") && x.signals?.length >= 2; }, 20000, "ready");
    for (let i = 0; i < 3; i++) assert.equal(await (await fetch(`http://127.0.0.1:${port}/raise/30`)).text(), "raised");
    await until(async () => (await counts(2))["30"] === 3, 10000, "light mule 2 ran signal 30 three times");
    await until(async () => ((await counts(1))["31"] ?? 0) >= 3, 10000, "the timer ticked light mule 1");
    await sleep(300);
    const [c1, c2] = [await counts(1), await counts(2)];
    assert.equal(c1["30"], undefined, "signal 30 only in light mule 2");
    assert.equal(c2["31"], undefined, "signal 31 only in light mule 1");
    assert.equal(c2["30"], 3);
    const s30 = (await stats(sport)).signals.find((x: any) => x.num === 30);
    assert.equal(s30.delivered, 3);
    await until(async () => (await stats(sport)).signals.find((x: any) => x.num === 30).in_flight === 0, 5000, "signal 30 reported finished");
  } finally { await mf.stop(); }
}, 60000);
