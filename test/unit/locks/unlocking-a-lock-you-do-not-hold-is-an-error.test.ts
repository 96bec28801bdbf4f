import assert from "node:assert/strict";
import process from "node:process";
import { test } from "../../harness.ts";
import { openLocks } from "../../../core/locks/index.ts";
import { LockError } from "../../../core/errors.ts";
import { cleanup, tmpShm } from "../../fixtures/shm/run.ts";

test("unlocking a lock another pid holds is a LockError naming both pids, and the lock stays held", () => {
  const path = tmpShm("locks");
  try {
    const mine = openLocks(path, 2, { fresh: true });
    const theirs = openLocks(path, 2, { pid: 123 });
    assert.equal(theirs.tryLock(1), true);
    assert.throws(() => mine.unlock(1), (e: unknown) => {
      assert.ok(e instanceof LockError);
      assert.equal((e as Error).message, `cannot unlock lock 1: held by pid 123, not by pid ${process.pid}`);
      return true;
    });
    assert.equal(mine.holder(1), 123);
    assert.throws(() => mine.unlock(2), /cannot unlock lock 2: it is not locked/);
  } finally {
    cleanup(path);
  }
});

test("a lock number out of range is a LockError with the range and the value", async () => {
  const path = tmpShm("locks");
  try {
    const locks = openLocks(path, 2, { fresh: true });
    await assert.rejects(locks.lock(7), new LockError("lock number out of range 0..2: got 7"));
    assert.throws(() => locks.unlock(3), new LockError("lock number out of range 0..2: got 3"));
    assert.throws(() => locks.isLocked(-1), /lock number out of range 0\.\.2: got -1/);
    await locks.lock(2);
    locks.unlock(2);
  } finally {
    cleanup(path);
  }
});
