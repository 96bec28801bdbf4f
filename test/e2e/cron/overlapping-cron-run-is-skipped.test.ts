import assert from "node:assert/strict";
import { test } from "../../harness.ts";
import { sleep } from "../lib.ts";
import { startSignals } from "../signal-lib.ts";

test("a 3-second job on a 1-second schedule never runs twice at once", async () => {
  const s = await startSignals(["--mules", "2"], { OVERLAP: "1" });
  try {
    await sleep(7500);
    const events = [...s.lines("overlap-start").map((l) => ({ t: Number(l[3]), d: +1 })), ...s.lines("overlap-end").map((l) => ({ t: Number(l[3]), d: -1 }))].sort((a, b) => a.t - b.t || a.d - b.d);
    let running = 0, max = 0;
    for (const e of events) { running += e.d; max = Math.max(max, running); }
    assert.ok(s.lines("overlap-start").length >= 2, "ran more than once");
    assert.equal(max, 1);
    assert.match(s.mf.output(), /previous run still going, skipped/);
  } finally { await s.mf.stop(); }
}, 30000);
