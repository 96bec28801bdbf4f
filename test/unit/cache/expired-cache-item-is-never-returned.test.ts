import assert from "node:assert/strict";
import { test } from "../../harness.ts";
import { openCache } from "../../../core/cache/index.ts";
import { cleanup, tmpShm } from "../../fixtures/shm/run.ts";

test("an expired cache item is never returned by get, exists, keys or a second process's view", async () => {
  const path = tmpShm("cache");
  try {
    const c = openCache(path, { name: "default", items: 10, blocksize: 64 }, { fresh: true });
    const other = openCache(path, { name: "default", items: 10, blocksize: 64 });
    c.set("short", "x", 0.2);
    c.set("forever", "y");
    assert.equal(other.getString("short"), "x");
    await new Promise((r) => setTimeout(r, 300));
    assert.equal(c.get("short"), null);
    assert.equal(other.get("short"), null);
    assert.equal(c.exists("short"), false);
    assert.deepEqual(c.keys(), ["forever"]);
    assert.equal(c.del("short"), false);
    assert.equal(c.getString("forever"), "y");
  } finally {
    cleanup(path);
  }
});

test("a cache's default expires applies when set gives none, and an explicit 0 means never", async () => {
  const path = tmpShm("cache");
  try {
    const c = openCache(path, { name: "default", items: 10, blocksize: 64, expires: 0.2 }, { fresh: true });
    c.set("default-ttl", "x");
    c.set("never", "y", 0);
    await new Promise((r) => setTimeout(r, 300));
    assert.equal(c.get("default-ttl"), null);
    assert.equal(c.getString("never"), "y");
  } finally {
    cleanup(path);
  }
});
