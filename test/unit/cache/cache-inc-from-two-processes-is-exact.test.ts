import assert from "node:assert/strict";
import { test } from "../../harness.ts";
import { openCache } from "../../../core/cache/index.ts";
import { openLocks } from "../../../core/locks/index.ts";
import { cleanup, runFixture, tmpShm } from "../../fixtures/shm/run.ts";

test("cacheInc from two processes 10k times each, without a user lock, gives exactly 20000", async () => {
  const cachePath = tmpShm("cache"), locksPath = tmpShm("locks"), barrier = tmpShm("barrier");
  try {
    const cache = openCache(cachePath, { name: "default", items: 100, blocksize: 64 }, { fresh: true });
    openLocks(locksPath, 1, { fresh: true });
    const args = ["inc", cachePath, locksPath, barrier, "2", "10000"];
    const [a, b] = await Promise.all([runFixture("cache-counter.ts", args), runFixture("cache-counter.ts", args)]);
    assert.equal(a.code, 0, a.stderr);
    assert.equal(b.code, 0, b.stderr);
    assert.equal(cache.num("counter"), 20000);
    assert.equal(cache.get("counter")!.length, 8);
  } finally {
    cleanup(cachePath, locksPath, barrier);
  }
}, 60_000);
