import assert from "node:assert/strict";
import { test } from "../../harness.ts";
import { openCache } from "../../../core/cache/index.ts";
import { mapShared } from "../../../core/shm/index.ts";
import { cleanup, tmpShm } from "../../fixtures/shm/run.ts";

// A pid above Linux's PID_MAX_LIMIT (2^22): no process can ever have it.
const DEAD_PID = 2 ** 22 + 7;
// Header words of the cache file (documented in core/cache/index.ts).
const LOCK = 16, SEQ = 32, JOURNAL = 53, TABLE_OFF = 8192;

test("a writer that died mid-change (lock held, seqlock odd, index torn) is recovered by the next reader: its item is dropped, the others survive", async () => {
  const path = tmpShm("cache");
  try {
    const recovered: Array<[string, number]> = [];
    const c = openCache(path, { name: "default", items: 16, blocksize: 64 }, { fresh: true, onRecovered: (n, p) => recovered.push([n, p]) });
    c.set("a", "1"); c.set("b", "2"); c.set("c", "3"); c.set("long-".repeat(20), "4");

    // what a SIGKILL in the middle of updating "b" (slot 1) leaves behind
    const raw = mapShared(path, 65536);
    const w = new Int32Array(raw.buffer, raw.byteOffset, 1024);
    Atomics.store(w, LOCK, DEAD_PID);
    Atomics.add(w, SEQ, 1);
    Atomics.store(w, JOURNAL, 2);
    new Int32Array(raw.buffer, raw.byteOffset + TABLE_OFF, 64).fill(0); // index half rebuilt

    assert.equal(c.getString("a"), "1");
    assert.equal(c.get("b"), null);
    assert.equal(c.getString("c"), "3");
    assert.equal(c.getString("long-".repeat(20)), "4");
    await Promise.resolve(); // the recovery is reported from a microtask
    assert.deepEqual(recovered, [["default", DEAD_PID]]);
    assert.equal(c.lockHolder(), 0);
    assert.equal(Atomics.load(w, SEQ) % 2, 0);
    assert.equal(c.stats().items, 3);
    assert.equal(c.set("b", "again"), true);
    assert.equal(c.getString("b"), "again");
  } finally {
    cleanup(path);
  }
});
