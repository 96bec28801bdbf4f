import assert from "node:assert/strict";
import { test } from "../../harness.ts";
import { run, sleep, until } from "../lib.ts";
import { STORES, startTasks } from "../tasks-lib.ts";

// A worker follows a task with spoolEvents (the SSE example of the docs):
// it sees each progress() value, then completed with the return value;
// taskHandle(id).progress() and `spool show` keep the last progress. A
// batch's callback runs once all its tasks ended, with the counts (onComplete
// despite a failure; onSuccess only when none failed).
for (const kind of STORES) {
  test(`${kind} store: spoolEvents and progress reach a worker; a batch callback runs once with its counts`, async () => {
    const t = await startTasks(kind);
    try {
      const ev = await t.get("/events");
      assert.equal(ev.result, "stepped", JSON.stringify(ev));
      assert.deepEqual(ev.events, [
        { type: "progress", value: { step: 1, of: 3 } },
        { type: "progress", value: { step: 2, of: 3 } },
        { type: "progress", value: { step: 3, of: 3 } },
        { type: "completed", value: "stepped" },
      ]);
      assert.deepEqual(ev.last, { step: 3, of: 3 });
      const show = await run(["spool", "show", t.address, ev.id]);
      assert.equal(show.code, 0, show.output);
      assert.equal(JSON.parse(show.output).state, "completed", show.output);

      // A numeric progress shows in the stats while the task runs, and in `spool show`.
      const c = await t.get("/counted?ms=3000");
      await until(async () => (await t.stats()).spoolers[0].progress.some((p: unknown) => typeof p === "number" && p > 0), 10000, "progress in the stats");
      const running = await run(["spool", "show", t.address, c.id]);
      assert.equal(typeof JSON.parse(running.output).progress, "number", running.output);

      await t.get("/batch?n=3&fail=1&label=mixed");
      await t.get("/batch?n=2&label=clean&when=success");
      await t.get("/batch?n=2&fail=0&label=skipped&when=success");
      await until(() => t.log("batchDone").length >= 2 && t.log("member").length >= 7, 20000, "batches done");
      await sleep(1000);
      assert.deepEqual(t.log("batchDone").sort(), ["clean 2/2/0", "mixed 3/2/1"], "onComplete with counts; onSuccess only when none failed");
    } finally {
      await t.stop();
    }
  }, 90_000);
}
