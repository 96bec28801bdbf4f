import assert from "node:assert/strict";
import { test } from "../../harness.ts";
import { openQueue, SharedQueue } from "../../../core/queue/index.ts";
import { cleanup, tmpShm } from "../../fixtures/shm/run.ts";

const text = SharedQueue.text;

test("queue pull returns the oldest item (FIFO) and pop the newest (LIFO), across processes' views", () => {
  const path = tmpShm("queue");
  try {
    const q = openQueue(path, 8, { fresh: true });
    const other = openQueue(path, 8);
    for (const v of ["a", "b", "c", "d"]) q.push(v);
    assert.equal(text(other.pull()), "a");
    assert.equal(text(q.pop()), "d");
    assert.equal(text(q.pull()), "b");
    assert.equal(text(other.pop()), "c");
    assert.equal(q.pull(), null);
    assert.equal(q.pop(), null);
  } finally {
    cleanup(path);
  }
});

test("queue get/set address slots, last(n) is newest first, slot() is the next push slot", () => {
  const path = tmpShm("queue");
  try {
    const q = openQueue(path, 4, { fresh: true });
    assert.equal(q.slot(), 0);
    q.push("x"); q.push("y");
    assert.equal(q.slot(), 2);
    assert.equal(text(q.get(1)), "y");
    assert.equal(q.get(3), null);
    assert.equal(q.set(1, "Y"), true);
    assert.equal(text(q.last()), "Y");
    assert.deepEqual(q.last(5).map(text), ["Y", "x"]);
    assert.throws(() => q.get(4), /queue slot out of range 0\.\.3: got 4/);
    assert.throws(() => q.push(new Uint8Array(8177)), /item larger than the queue block size allows: 8177 > 8176/);
  } finally {
    cleanup(path);
  }
});

test("queue push on a full queue overwrites the oldest item, as uWSGI does", () => {
  const path = tmpShm("queue");
  try {
    const q = openQueue(path, 3, { fresh: true });
    for (const v of ["1", "2", "3", "4", "5"]) assert.equal(q.push(v), true);
    assert.equal(q.length, 3);
    assert.equal(q.stats().overwritten, 2);
    assert.deepEqual([text(q.pull()), text(q.pull()), text(q.pull()), q.pull()], ["3", "4", "5", null]);
  } finally {
    cleanup(path);
  }
});
