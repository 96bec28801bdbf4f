import assert from "node:assert/strict";
import { test } from "../../harness.ts";
import { openCache, parseCache2 } from "../../../core/cache/index.ts";
import { cleanup, tmpShm } from "../../fixtures/shm/run.ts";

test("a full purge_lru=1 cache evicts the least recently used item (gets and updates count as use) instead of refusing", () => {
  const path = tmpShm("cache");
  try {
    const c = openCache(path, parseCache2("name=lru,items=3,blocksize=64,purge_lru=1"), { fresh: true });
    c.set("a", "1"); c.set("b", "2"); c.set("c", "3");
    assert.equal(c.getString("a"), "1"); // b is now the oldest
    assert.equal(c.set("d", "4"), true);
    assert.deepEqual(c.keys().sort(), ["a", "c", "d"]);
    c.update("c", "33"); // a is now the oldest
    assert.equal(c.set("e", "5"), true);
    assert.deepEqual(c.keys().sort(), ["c", "d", "e"]);
    const s = c.stats();
    assert.equal(s.evicted, 2);
    assert.equal(s.full, 0);
  } finally {
    cleanup(path);
  }
});
