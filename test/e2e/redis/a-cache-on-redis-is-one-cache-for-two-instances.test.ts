// --cache2 name=NAME,items=N,store=redis://…: the same cache functions, one
// cache for every instance on that Redis, with the items bound and the
// hits/miss/full counters in each instance's stats.
import assert from "node:assert/strict";
import { test } from "../../harness.ts";
import { stats, until } from "../lib.ts";
import { startRedis } from "../../redis-lib.ts";
import { twoInstances } from "./two-instances.ts";

test("a cache on Redis is one cache for two instances: set in A is read in B, counters add up, the items bound holds, stats count it", async () => {
  const store = await startRedis({ appendfsync: "off" });
  const p = await twoInstances({ args: ["--cache2", `name=shared,items=3,store=${store.url}/2`], env: { CACHE: "shared" } });
  try {
    assert.equal(await p.get("a", "/cache/set/colour/blue"), "true");
    assert.equal(await p.get("b", "/cache/get/colour"), "blue");
    assert.equal(await p.get("b", "/cache/get/missing"), "null");
    for (let i = 0; i < 5; i++) { await p.get("a", "/cache/inc/hits"); await p.get("b", "/cache/inc/hits"); }
    assert.equal(await p.get("a", "/cache/get/hits"), "10");
    assert.equal(await p.get("b", "/cache/set/third/x"), "true");
    assert.equal(await p.get("a", "/cache/set/fourth/x"), "false", "a fourth key is refused (items=3)");
    assert.equal(await p.get("b", "/cache/set/colour/red"), "true", "an existing key is updated");
    assert.equal(await p.get("a", "/cache/get/colour"), "red");
    const c = await until(async () => { const d = await stats(p.b.stats); const x = d.caches?.find((k: any) => k.name === "shared"); return x?.full === 1 && x; }, 10_000, "B's stats count the cache");
    assert.equal(c.items, 3);
    assert.equal(c.max_items, 3);
    assert.ok(c.hits >= 3 && c.miss >= 1, JSON.stringify(c));
    assert.match(c.store, /^redis:\/\/127\.0\.0\.1:\d+\/2$/);
  } finally {
    await p.stop();
    await store.stop();
  }
}, 60_000);
