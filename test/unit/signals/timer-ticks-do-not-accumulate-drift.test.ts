// Tick k is due at start + k·interval however late each wake-up was.
import assert from "node:assert/strict";
import { test } from "../../harness.ts";
import { nextTimerTick, timerTick } from "../../../core/cron/index.ts";

test("timer ticks stay on the start + k·interval grid despite late wake-ups", () => {
  const start = 1_000_000.5;
  const interval = 100.1; // not exact in binary, on purpose
  let firedK = 0;
  let at = timerTick(start, interval, 1);
  let seed = 7;
  for (let k = 1; k <= 10_000; k++) {
    seed = (seed * 1103515245 + 12345) % 2 ** 31;
    const now = at + (seed % 3000) / 1000; // wake 0-3 ms late
    const t = nextTimerTick(start, interval, now, firedK);
    assert.equal(t.due, 1, `tick ${k}: one tick due`);
    assert.equal(t.missed, 0);
    assert.equal(t.k, k + 1);
    firedK = t.k - 1;
    at = t.at;
  }
  // Naive "last wake + interval" would be ~15 s late by now.
  assert.ok(Math.abs(at - (start + 10_001 * interval)) < 1e-6, `drifted to ${at}`);
});

test("a stalled clock skips to the next future tick and counts the ticks it missed", () => {
  // Fired tick 3 (due at 300), then stalled until 855: ticks 4-8 came due.
  const t = nextTimerTick(0, 100, 855, 3);
  assert.deepEqual(t, { k: 9, at: 900, due: 5, missed: 4 });
  // Exactly on a tick: it is due now, the next one is a full interval away.
  assert.deepEqual(nextTimerTick(0, 100, 900, 8), { k: 10, at: 1000, due: 1, missed: 0 });
  // Before the first tick: nothing due.
  assert.deepEqual(nextTimerTick(0, 100, 40), { k: 1, at: 100, due: 0, missed: 0 });
});
