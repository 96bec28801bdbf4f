import assert from "node:assert/strict";
import { test } from "../../harness.ts";
import { openCache } from "../../../core/cache/index.ts";
import { CacheError } from "../../../core/errors.ts";
import { cleanup, tmpShm } from "../../fixtures/shm/run.ts";

test("a value larger than the block size is a CacheError naming the cache and both sizes, and changes nothing", () => {
  const path = tmpShm("cache");
  try {
    const c = openCache(path, { name: "default", items: 4 }, { fresh: true });
    c.set("k", "kept");
    assert.throws(() => c.update("k", new Uint8Array(70000)), (e: unknown) => {
      assert.ok(e instanceof CacheError);
      assert.equal((e as CacheError).message, 'value larger than the block size of cache "default": 70000 > 65536');
      return true;
    });
    assert.throws(() => c.set("s", "é".repeat(40000)), /value larger than the block size of cache "default": 80000 > 65536/);
    assert.equal(c.getString("k"), "kept");
    assert.equal(c.stats().items, 1);
    assert.equal(c.update("k", new Uint8Array(65536)), true, "exactly blocksize fits");
  } finally {
    cleanup(path);
  }
});

test("a key longer than the key size is a CacheError with both sizes", () => {
  const path = tmpShm("cache");
  try {
    const c = openCache(path, { name: "default", items: 4, blocksize: 64 }, { fresh: true });
    assert.equal(c.set("k".repeat(2048), "ok"), true);
    assert.throws(() => c.set("k".repeat(2049), "no"), /key longer than the key size of cache "default": 2049 > 2048/);
    assert.equal(c.getString("k".repeat(2048)), "ok");
  } finally {
    cleanup(path);
  }
});
