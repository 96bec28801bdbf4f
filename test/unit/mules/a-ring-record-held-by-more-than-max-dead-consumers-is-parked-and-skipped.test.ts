import assert from "node:assert/strict";
import { test } from "../../harness.ts";
import { Inbox } from "../../../core/mules/inbox.ts";
import { PARKED } from "../../../core/mules/ring.ts";
import { cleanup, tmpShm } from "../../fixtures/shm/run.ts";

// core/mules/ring.ts: the master charges each record a dead consumer had
// handed out; past the bound it takes a copy and marks the record PARKED.
test("a ring record handed out to more than max consumers that died is parked (a copy), later records keep their order", () => {
  const path = tmpShm("ring-poison");
  try {
    const info = { path, rings: 1, cap: 1 << 16, maxCount: 1 << 30 };
    const ib = Inbox.create(info);
    const ring = ib.rings[0];
    ring.claim(1);
    for (const m of ["a", "poison", "c"]) assert.equal(ring.tryWrite(1, m), true);
    const parked: Array<[number, string, number]> = [];
    const park = (type: number, p: Uint8Array, n: number) => parked.push([type, new TextDecoder().decode(p), n]);
    // "a" is finished; "poison" is handed out when the consumer dies, three times over.
    assert.equal(ring.next(), true);
    ring.commit(ring.read);
    for (let death = 1; death <= 3; death++) {
      ring.rewind();
      assert.equal(ring.next(), true);
      assert.equal(ring.type, 1);
      assert.equal(ring.text(), "poison");
      assert.equal(ring.chargeHandedOut(2, park), death === 3 ? 1 : 0, `death ${death}`);
    }
    assert.deepEqual(parked, [[1, "poison", 3]]);
    ring.rewind();
    assert.equal(ring.next(), true);
    assert.equal(ring.type, PARKED, "a reader sees it as parked");
    assert.equal(ring.next(), true);
    assert.equal(ring.type, 1);
    assert.equal(ring.text(), "c");
    assert.equal(ring.chargeHandedOut(2, park), 0, "a parked record is not charged again; c is charged once");
    assert.equal(parked.length, 1);
  } finally {
    cleanup(path);
  }
});
