import assert from "node:assert/strict";
import { test } from "../../harness.ts";
import { openCache } from "../../../core/cache/index.ts";
import { cleanup, tmpShm } from "../../fixtures/shm/run.ts";

test("cacheSet on an unexpired key returns false and keeps the old value; after expiry it succeeds; cacheUpdate always writes", async () => {
  const path = tmpShm("cache");
  try {
    const c = openCache(path, { name: "default", items: 10, blocksize: 64 }, { fresh: true });
    assert.equal(c.set("k", "old", 0.3), true);
    assert.equal(c.set("k", "new"), false);
    assert.equal(c.getString("k"), "old");

    await new Promise((r) => setTimeout(r, 400));
    assert.equal(c.set("k", "new"), true);
    assert.equal(c.getString("k"), "new");

    assert.equal(c.update("k", "newer"), true);
    assert.equal(c.getString("k"), "newer");
    assert.equal(c.update("fresh-key", new Uint8Array([1, 2, 3])), true);
    assert.deepEqual([...c.get("fresh-key")!], [1, 2, 3]);
  } finally {
    cleanup(path);
  }
});
