import assert from "node:assert/strict";
import process from "node:process";
import { test } from "../../harness.ts";
import { openLocks } from "../../../core/locks/index.ts";
import { LockError } from "../../../core/errors.ts";
import { cleanup, tmpShm } from "../../fixtures/shm/run.ts";

test("two async tasks of one process taking the same lock run one after the other", async () => {
  const path = tmpShm("locks");
  try {
    const locks = openLocks(path, 1, { fresh: true });
    const trace: string[] = [];
    const task = (name: string) => locks.withLock(async () => {
      trace.push(`${name} in`);
      await new Promise((r) => setTimeout(r, 20));
      trace.push(`${name} out`);
    }, 1);
    await Promise.all([task("a"), task("b")]);
    assert.deepEqual(trace, ["a in", "a out", "b in", "b out"]);
    assert.equal(locks.isLocked(1), false);
  } finally {
    cleanup(path);
  }
});

test("lockSync on a lock this process holds throws instead of deadlocking; lock(n, timeout) gives up with a LockError", async () => {
  const path = tmpShm("locks");
  try {
    const locks = openLocks(path, 1, { fresh: true });
    const other = openLocks(path, 1, { pid: process.ppid });
    locks.lockSync(0);
    assert.throws(() => locks.lockSync(0), /lock 0 is already held by this process .*: locks are not re-entrant/);
    locks.unlock(0);
    assert.equal(other.tryLock(1), true);
    await assert.rejects(locks.lock(1, 50), new LockError(`timed out after 50 ms waiting for lock 1: held by pid ${process.ppid}`));
  } finally {
    cleanup(path);
  }
});
