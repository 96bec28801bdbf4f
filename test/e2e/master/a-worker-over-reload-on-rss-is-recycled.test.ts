// uWSGI's --reload-on-rss (PM2's max_memory_restart): a leaking worker is
// replaced gracefully; the instance keeps serving.
import assert from "node:assert/strict";
import { test } from "../../harness.ts";
import { freePort, start, stats, until } from "../lib.ts";

test("a worker whose RSS passes --reload-on-rss is recycled and replaced; one under it is left alone", async () => {
  const [port, sport] = [await freePort(), await freePort()];
  const mf = start(["--http", `127.0.0.1:${port}`, "--module", "test/fixtures/greedy-app.ts", "--reload-on-rss", "200", "--stats", `127.0.0.1:${sport}`]);
  const pid = async () => (await stats(sport)).workers[0].pid;
  try {
    await until(async () => (await stats(sport).catch(() => null))?.workers[0].status === "idle", 20000, "ready");
    const first = await pid();
    await new Promise((r) => setTimeout(r, 1500));
    assert.equal(await pid(), first, "under the limit: left alone");
    for (let i = 0; i < 4; i++) await (await fetch(`http://127.0.0.1:${port}/grow`)).text(); // +256 MB
    await until(async () => { const p = await pid(); return p > 0 && p !== first; }, 15000, "the worker replaced");
    assert.match(mf.output(), /RSS \d+ MB is over --reload-on-rss 200 MB: recycling/);
    await until(async () => { try { return /holds 0 MB/.test(await (await fetch(`http://127.0.0.1:${port}/`)).text()); } catch { return false; } }, 10000, "a fresh worker serves");
  } finally { await mf.stop(); }
}, 45000);
