import assert from "node:assert/strict";
import { test } from "../../harness.ts";
import { openCache } from "../../../core/cache/index.ts";
import { openLocks } from "../../../core/locks/index.ts";
import { cleanup, runFixture, tmpShm } from "../../fixtures/shm/run.ts";

test("two processes incrementing a cache counter 10k times each under lock(1) get exactly 20000", async () => {
  const cachePath = tmpShm("cache"), locksPath = tmpShm("locks"), barrier = tmpShm("barrier");
  try {
    const cache = openCache(cachePath, { name: "default", items: 100, blocksize: 64 }, { fresh: true });
    openLocks(locksPath, 1, { fresh: true });
    const args = ["locked", cachePath, locksPath, barrier, "2", "10000"];
    const [a, b] = await Promise.all([runFixture("cache-counter.ts", args), runFixture("cache-counter.ts", args)]);
    assert.equal(a.code, 0, a.stderr);
    assert.equal(b.code, 0, b.stderr);
    assert.equal(cache.getString("counter"), "20000");
  } finally {
    cleanup(cachePath, locksPath, barrier);
  }
}, 60_000);
