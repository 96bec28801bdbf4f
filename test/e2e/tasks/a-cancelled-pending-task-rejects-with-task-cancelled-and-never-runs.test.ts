import assert from "node:assert/strict";
import { test } from "../../harness.ts";
import { until } from "../lib.ts";
import { STORES, startTasks } from "../tasks-lib.ts";

// The one spooler process is busy with a slow task; a task queued behind it is
// cancelled while pending: its result rejects with TaskCancelled at once, and
// it never runs (the task after it does).
for (const kind of STORES) {
  test(`${kind} store: a cancelled pending task rejects with TaskCancelled and never runs`, async () => {
    const t = await startTasks(kind);
    try {
      await t.get("/slow?tag=busy&ms=1500");
      await until(() => t.log("slow").includes("start busy 1"), 15000, "the slow task started");
      const { id } = await t.get("/marker?tag=cancelled");
      const c = await t.get(`/cancel?id=${id}`);
      assert.equal(c.was, "pending", JSON.stringify(c));
      const r = await t.get(`/result?id=${id}&timeout=10`);
      assert.equal(r.code, "TaskCancelled", JSON.stringify(r));
      await t.get("/marker?tag=after");
      await until(() => t.log("marker").includes("after"), 20000, "the task after it ran");
      assert.deepEqual(t.log("marker"), ["after"], "the cancelled task never ran");
    } finally {
      await t.stop();
    }
  }, 90_000);
}
