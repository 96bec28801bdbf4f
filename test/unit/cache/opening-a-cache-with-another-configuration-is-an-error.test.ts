import assert from "node:assert/strict";
import { test } from "../../harness.ts";
import { getCache, openCache, registerCache, unregisterCaches, cacheGet, cacheSet, cacheInc, cacheStats } from "../../../core/cache/index.ts";
import { CacheError } from "../../../core/errors.ts";
import { cleanup, tmpShm } from "../../fixtures/shm/run.ts";

test("attaching to a cache file created with another configuration is a CacheError naming both", () => {
  const path = tmpShm("cache");
  try {
    openCache(path, { name: "default", items: 10, blocksize: 64 }, { fresh: true });
    assert.throws(() => openCache(path, { name: "default", items: 20, blocksize: 64 }), (e: unknown) => {
      assert.ok(e instanceof CacheError);
      assert.match((e as Error).message, /cache "default" in .* was created with items=10,blocksize=64,keysize=2048,purge_lru=0; this process asked for items=20,blocksize=64,keysize=2048,purge_lru=0/);
      return true;
    });
  } finally {
    cleanup(path);
  }
});

test("the positional cache functions use the first cache by default and a named one when given; an unknown name is a CacheError", () => {
  const p1 = tmpShm("c1"), p2 = tmpShm("c2");
  try {
    unregisterCaches();
    registerCache(openCache(p1, { name: "default", items: 10, blocksize: 64 }, { fresh: true }));
    registerCache(openCache(p2, { name: "other", items: 10, blocksize: 64 }, { fresh: true }));
    assert.equal(cacheSet("k", "in default"), true);
    assert.equal(cacheSet("k", "in other", 0, "other"), true);
    assert.equal(new TextDecoder().decode(cacheGet("k")!), "in default");
    assert.equal(getCache("other").getString("k"), "in other");
    assert.equal(cacheInc("n", 5, 0, "other"), 5);
    assert.throws(() => cacheGet("k", "nope"), new CacheError('unknown cache "nope": configured caches are default, other'));
    assert.deepEqual(cacheStats().map((s) => [s.name, s.items, s.hits]), [["default", 1, 1], ["other", 2, 1]]);
  } finally {
    unregisterCaches();
    cleanup(p1, p2);
  }
});
