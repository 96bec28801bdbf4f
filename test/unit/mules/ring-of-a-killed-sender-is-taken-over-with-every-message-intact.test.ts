import assert from "node:assert/strict";
import { test } from "../../harness.ts";
import { Inbox } from "../../../core/mules/inbox.ts";
import { cleanup, finished, spawnFixture, tmpShm } from "../../fixtures/shm/run.ts";

test("a sender SIGKILLed mid-write leaves only whole messages; a new sender takes its ring over and continues after them", async () => {
  const path = tmpShm("ring-kill");
  try {
    const info = { path, rings: 1, cap: 1 << 16, maxCount: 1 << 30 };
    const ib = Inbox.create(info);
    const child = spawnFixture("ring-writer.ts", [path, "1", String(info.cap)]);
    const done = finished(child);
    const consumer = ib.rings[0];
    // Read while it writes, then kill it in the middle of its loop.
    let got = 0;
    const pad = "é".repeat(300);
    const t0 = Date.now();
    while (got < 3000 && Date.now() - t0 < 20000) {
      if (!consumer.next()) { await new Promise((r) => setTimeout(r, 1)); continue; }
      assert.equal(consumer.text(), `seq:${got}:${pad}`);
      consumer.commit(consumer.read);
      got++;
    }
    child.kill("SIGKILL");
    await done;
    while (consumer.next()) {
      assert.equal(consumer.text(), `seq:${got}:${pad}`, `message ${got} after the kill`);
      consumer.commit(consumer.read);
      got++;
    }
    assert.ok(got >= 3000, `read ${got}`);
    // Its ring is free for the next sender: claimed although the dead pid still owns it.
    const again = Inbox.open(info).claimRing(process.pid);
    assert.ok(again, "the dead sender's ring was taken over");
    assert.equal(again!.tryWrite(1, "next life"), true);
    assert.equal(consumer.next(), true);
    assert.equal(consumer.text(), "next life");
  } finally {
    cleanup(path);
  }
}, 60_000);
