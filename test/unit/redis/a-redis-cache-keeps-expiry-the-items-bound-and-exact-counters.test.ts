import assert from "node:assert/strict";
import { test } from "../../harness.ts";
import { startRedis } from "../../redis-lib.ts";
import { RedisCache } from "../../../core/cache/redis.ts";
import { parseCache2 } from "../../../core/cache/spec.ts";

test("a cache on Redis keeps set/update semantics, expiry, the items bound, exact counters and its stats", async () => {
  const s = await startRedis({ appendfsync: "off" });
  try {
    const cfg = parseCache2(`name=c1,items=2,blocksize=8,store=${s.url}`);
    assert.equal(cfg.store, s.url);
    assert.throws(() => parseCache2(`name=c,items=2,purge_lru=1,store=${s.url}`), /purge_lru is not supported with store=redis/);
    assert.throws(() => parseCache2(`name=c,items=2,store=/tmp/x`), /--cache2 store must be a redis:\/\/ or rediss:\/\/ URL: got "\/tmp\/x"/);
    const c = new RedisCache(cfg as any);
    const other = new RedisCache(cfg as any); // another process, same cache
    assert.equal(await c.set("a", "1"), true);
    assert.equal(await other.set("a", "2"), false, "set keeps an unexpired key");
    assert.equal(await other.getString("a"), "1");
    assert.equal(await other.update("a", "2", 0.2), true);
    assert.equal(await c.exists("a"), true);
    await assert.rejects(c.set("big", "123456789"), /value larger than the block size of cache "c1": 9 > 8/);
    assert.equal(await c.inc("n", 5), 5);
    assert.equal(await other.dec("n", 2), 3);
    assert.equal(await c.set("third", "x"), false, "items=2: full");
    await new Promise((r) => setTimeout(r, 300));
    assert.equal(await c.get("a"), null, "expired");
    assert.equal(await c.set("third", "x"), true, "the expired item no longer counts");
    assert.deepEqual((await c.keys()).sort(), ["n", "third"]);
    assert.equal(await c.del("third"), true);
    assert.equal(await c.del("third"), false);
    await assert.rejects(c.inc("n", 1.5), /must be an integer/);
    await c.update("s", "abc");
    await assert.rejects(c.inc("s"), /its value is not an integer/);
    const st = await c.refreshStats();
    assert.equal(st.items, 2);
    assert.equal(st.full, 1);
    assert.ok(st.hits >= 1 && st.miss >= 1, JSON.stringify(st));
    await c.close();
    await other.close();
  } finally {
    await s.stop();
  }
}, 30_000);
