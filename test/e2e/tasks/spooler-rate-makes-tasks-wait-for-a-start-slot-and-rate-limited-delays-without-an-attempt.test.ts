import assert from "node:assert/strict";
import { test } from "../../harness.ts";
import { STORES, startTasks } from "../tasks-lib.ts";

// --spooler-rate 2/1 with two spooler processes: six tasks all run (none is
// dropped), and the last starts at least 2 s after they were spooled (slots
// at 0, 0, 1, 1, 2, 2 s). A task that throws RateLimited(ms) runs again
// after ms without counting an attempt (retries: 0 and it still completes).
for (const kind of STORES) {
  test(`${kind} store: --spooler-rate makes tasks wait for a slot; RateLimited delays without counting an attempt`, async () => {
    const t = await startTasks(kind, ["--spooler-rate", "2/1", "--spooler-processes", "2"]);
    try {
      const r = await t.get("/ticks?n=6");
      assert.equal(r.ids?.length, 6, JSON.stringify(r));
      const starts = t.log("tick").map((l) => Number(l.split(" ")[1])).sort((a, b) => a - b);
      assert.equal(starts.length, 6, "every task ran once");
      assert.ok(starts[5] - r.t0 >= 2000, `the 5th and 6th starts waited for the third window: ${starts.map((s) => s - r.t0)}`);

      const l = await t.get("/limited?ms=500");
      assert.equal(l.result, "through", JSON.stringify(l));
      const runs = t.log("limited").map((x) => x.split(" ").map(Number));
      assert.deepEqual(runs.map((x) => x[0]), [1, 1], "the delayed run is still attempt 1");
      assert.ok(runs[1][1] - runs[0][1] >= 500, "run again after its ms");
    } finally {
      await t.stop();
    }
  }, 90_000);
}
