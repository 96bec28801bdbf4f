import assert from "node:assert/strict";
import { test } from "../../harness.ts";
import { Inbox } from "../../../core/mules/inbox.ts";
import { ringCapacityFor } from "../../../core/mules/ring.ts";
import { cleanup, tmpShm } from "../../fixtures/shm/run.ts";

test("a ring full by count refuses, and commit() says so only once half the messages are finished", () => {
  const path = tmpShm("ring-full");
  try {
    const info = { path, rings: 1, cap: 1 << 16, maxCount: 100 };
    const p = Inbox.create(info).rings[0];
    const c = Inbox.open(info).rings[0];
    p.claim(1);
    for (let i = 0; i < 100; i++) assert.equal(p.tryWrite(1, `m${i}`), true);
    assert.equal(p.tryWrite(1, "one too many"), false);
    assert.equal(p.queued, 100);
    p.wantSpace();
    let told = -1;
    for (let i = 0; i < 100 && c.next(); i++) {
      if (c.commit(c.read)) { told = i; break; }
    }
    assert.equal(told, 49, "told when 50 of 100 were finished");
    assert.equal(p.tryWrite(1, "fits again"), true);
  } finally {
    cleanup(path);
  }
});

test("a ring full by bytes refuses a big message until enough is finished, and the largest message always fits an empty ring", () => {
  const path = tmpShm("ring-bytes");
  try {
    const cap = ringCapacityFor(60_000, 0, 1 << 16);
    assert.equal(cap, 1 << 17);
    const info = { path, rings: 1, cap, maxCount: 1 << 20 };
    const p = Inbox.create(info).rings[0];
    const c = Inbox.open(info).rings[0];
    p.claim(1);
    const big = new Uint8Array(60_000).fill(7);
    assert.equal(p.tryWrite(0, big), true);
    assert.equal(p.tryWrite(0, big), true);
    assert.equal(p.tryWrite(0, big), false);
    p.wantSpace();
    assert.equal(c.next(), true);
    assert.equal(c.commit(c.read), true, "room for the waiting message");
    assert.equal(p.tryWrite(0, big), true); // wraps around
    assert.equal(c.next(), true);
    c.commit(c.read);
    assert.equal(c.next(), true);
    assert.deepEqual(c.bytes(), big);
    c.commit(c.read);
    assert.equal(p.queued, 0);
  } finally {
    cleanup(path);
  }
});
