import assert from "node:assert/strict";
import { test } from "../../harness.ts";
import { Journal } from "../../../core/mules/journal.ts";
import { cleanup, tmpShm } from "../../fixtures/shm/run.ts";

// core/mules/journal.ts: what a killed master had accepted and not seen
// finished is what the next master of the instance reads back.
test("the master path's journal gives back the records not done, oldest first, across wrap-around, and refuses when full", () => {
  const path = tmpShm("journal"), path2 = tmpShm("journal-small");
  try {
    const cap = 1 << 16;
    const { journal: j, adopted } = Journal.open(path, cap);
    assert.equal(adopted, false);
    const text = (i: number) => new TextEncoder().encode(`message ${i} `.padEnd(100, "."));
    const pos: number[] = [];
    // Many times around the ring: finish all but every 7th, which stays live (and holds its room).
    let live: number[] = [];
    for (let i = 0; i < 3000; i++) {
      const p = j.append(2, 1, 1, 4242, text(i));
      if (p < 0) { // full: finish the live ones so far, as mules would
        for (const q of live) j.done(q);
        live = [];
        i--;
        continue;
      }
      pos[i] = p;
      if (i % 7) j.done(p); else live.push(p);
    }
    const { journal: again, adopted: took } = Journal.open(path, 1 << 20);
    assert.equal(took, true, "the journal a killed master left is taken over");
    assert.equal(again.cap, cap, "with its own capacity");
    const recs = again.live();
    assert.deepEqual(recs.map((r) => r.pos), live, "the live records, oldest first");
    for (const r of recs) {
      assert.equal(r.target, 2);
      assert.equal(r.index, 1);
      assert.equal(r.type, 1);
      assert.equal(r.from, 4242);
    }
    const first = pos.indexOf(recs[0].pos);
    assert.equal(new TextDecoder().decode(recs[0].payload), new TextDecoder().decode(text(first)));
    // Full: every record live and no room for one more.
    const { journal: small } = Journal.open(path2, 1 << 16);
    let n = 0;
    while (small.append(0, 0, 0, 1, text(n)) >= 0) n++;
    assert.ok(n > 400 && small.fullNow, `refused after ${n}`);
    assert.equal(small.live().length, n);
  } finally {
    cleanup(path, path2);
  }
});
