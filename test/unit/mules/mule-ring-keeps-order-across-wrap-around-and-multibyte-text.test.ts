import assert from "node:assert/strict";
import { test } from "../../harness.ts";
import { Inbox } from "../../../core/mules/inbox.ts";
import { cleanup, tmpShm } from "../../fixtures/shm/run.ts";

test("a mule ring passes 20k messages of mixed sizes and types in order, many times around", () => {
  const path = tmpShm("ring-order");
  try {
    const info = { path, rings: 2, cap: 1 << 16, maxCount: 1 << 20 };
    const producer = Inbox.create(info).rings[1];
    const consumer = Inbox.open(info).rings[1];
    assert.equal(producer.claim(4242), true);
    const make = (i: number): string | Uint8Array => {
      if (i % 3 === 0) return new Uint8Array(i % 700).fill(i & 0xff);
      return `${i}:` + (i % 2 ? "ü€😀".repeat(i % 97) : "x".repeat(i % 1500));
    };
    let sent = 0, got = 0;
    while (got < 20000) {
      while (sent < 20000) {
        const m = make(sent);
        if (!producer.tryWrite(typeof m === "string" ? 1 : 0, m)) break;
        sent++;
      }
      // read a few, finish them, read on
      for (let k = 0; k < 7 && consumer.next(); k++) {
        const want = make(got);
        const m = consumer.type === 1 ? consumer.text() : consumer.bytes();
        assert.deepEqual(m, want, `message ${got}`);
        got++;
        consumer.commit(consumer.read);
      }
    }
    assert.equal(consumer.next(), false);
    assert.equal(producer.queued, 0);
    assert.ok(consumer.finished === 20000);
    assert.ok(sent * 400 > 30 * info.cap, "the ring went around many times");
  } finally {
    cleanup(path);
  }
});
