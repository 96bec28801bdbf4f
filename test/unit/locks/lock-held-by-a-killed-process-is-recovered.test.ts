import assert from "node:assert/strict";
import process from "node:process";
import { test } from "../../harness.ts";
import { openLocks } from "../../../core/locks/index.ts";
import { cleanup, finished, spawnFixture, tmpShm, waitForLine } from "../../fixtures/shm/run.ts";

test("a lock held by a SIGKILLed process is taken over within 1 s and reported", async () => {
  const path = tmpShm("locks");
  try {
    const recovered: Array<[number, number]> = [];
    const locks = openLocks(path, 3, { fresh: true, onRecovered: (n, pid) => recovered.push([n, pid]) });
    const child = spawnFixture("hold-lock.ts", [path, "1"]);
    const exited = finished(child);
    await waitForLine(child, "locked 1");
    assert.equal(locks.holder(1), child.pid);
    assert.equal(locks.isLocked(1), true);
    assert.equal(locks.tryLock(1), false);

    child.kill("SIGKILL");
    const t0 = performance.now();
    await locks.lock(1);
    const waited = performance.now() - t0;
    assert.ok(waited < 1000, `took ${waited.toFixed(0)} ms`);
    assert.deepEqual(recovered, [[1, child.pid]]);
    assert.equal(locks.holder(1), process.pid);
    locks.unlock(1);
    await exited;
  } finally {
    cleanup(path);
  }
}, 20_000);

test("releaseAllOf(pid) frees every lock a reaped child held", () => {
  const path = tmpShm("locks");
  try {
    const locks = openLocks(path, 3, { fresh: true });
    const other = openLocks(path, 3, { pid: 424242 });
    assert.equal(other.tryLock(0), true);
    assert.equal(other.tryLock(2), true);
    assert.deepEqual(locks.releaseAllOf(424242), [0, 2]);
    assert.deepEqual(locks.holders(), [0, 0, 0, 0]);
  } finally {
    cleanup(path);
  }
});
