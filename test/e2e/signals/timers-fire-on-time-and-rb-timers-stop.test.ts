import assert from "node:assert/strict";
import { test } from "../../harness.ts";
import { sleep } from "../lib.ts";
import { startSignals } from "../signal-lib.ts";

test("timer(0.2) fires 10 times in 2 s (±1), rbtimer(0.1, 5 iterations) exactly 5 times, and mstimer(250) 8 times in 2 s (±1)", async () => {
  const s = await startSignals(["--mules", "2"], { TIMERS: "1" });
  try {
    const first = await (async () => { for (let i = 0; i < 100; i++) { const l = s.lines("timer"); if (l.length) return Number(l[0][3]); await sleep(20); } throw new Error("no tick"); })();
    await sleep(2000 - (Date.now() - first) + 100);
    const ticks = s.lines("timer").map((l) => Number(l[3])).filter((t) => t <= first + 2000 - 100);
    assert.ok(ticks.length >= 9 && ticks.length <= 11, `ticks in 2 s: ${ticks.length}`);
    await sleep(500);
    assert.equal(s.lines("rbtimer").length, 5);
    const ms = s.lines("mstimer").map((l) => Number(l[3]));
    assert.ok(ms.length >= 2, `mstimer(250) ticks: ${ms.length}`);
    const inTwoS = ms.filter((t) => t < ms[0] + 2000 - 125).length;
    assert.ok(inTwoS >= 7 && inTwoS <= 9, `uwsgidecorators' mstimer(250) ticks in 2 s: ${inTwoS}`);
    assert.ok(s.lines("mstimer").every((l) => l[2] === "2"), "mstimer ran in mule 2 only");
  } finally { await s.mf.stop(); }
}, 30000);
