import assert from "node:assert/strict";
import { test } from "../../harness.ts";
import { openCache } from "../../../core/cache/index.ts";
import { cleanup, tmpShm } from "../../fixtures/shm/run.ts";

test("a cache with items=10 holds 10 keys, refuses the 11th and counts it in stats.full", () => {
  const path = tmpShm("cache");
  try {
    const c = openCache(path, { name: "default", items: 10, blocksize: 64 }, { fresh: true });
    for (let i = 0; i < 10; i++) assert.equal(c.set(`k${i}`, `v${i}`), true, `key ${i}`);
    assert.equal(c.set("k10", "v10"), false);
    assert.equal(c.update("k10", "v10"), false);
    assert.equal(c.get("k10"), null);
    for (let i = 0; i < 10; i++) assert.equal(c.getString(`k${i}`), `v${i}`);
    const s = c.stats();
    assert.equal(s.items, 10);
    assert.equal(s.max_items, 10);
    assert.equal(s.full, 2);
    assert.equal(c.update("k3", "changed"), true, "an existing key can still be updated");
    assert.equal(c.del("k0"), true);
    assert.equal(c.set("k10", "v10"), true, "a freed slot is reused");
  } finally {
    cleanup(path);
  }
});

test("a full cache with expired items sweeps them instead of refusing", async () => {
  const path = tmpShm("cache");
  try {
    const c = openCache(path, { name: "default", items: 3, blocksize: 64 }, { fresh: true });
    c.set("a", "1", 0.1); c.set("b", "2"); c.set("c", "3");
    await new Promise((r) => setTimeout(r, 200));
    assert.equal(c.set("d", "4"), true);
    assert.deepEqual(c.keys().sort(), ["b", "c", "d"]);
    assert.equal(c.stats().full, 0);
  } finally {
    cleanup(path);
  }
});
